//! Planning the pictures: each image's header is read (size, orientation, transparency)
//! and its source hashed, which decides every published size and file name before
//! anything is decoded. The image pipeline (`images`) then makes the files.

use crate::cache::SourceHashes;
use crate::config::{ImageFormat, Images};
use crate::error::{Diagnostic, Diagnostics};
use crate::images::video;
use crate::model::{ImageJob, Media, Picture, Variant, Video};
use rayon::prelude::*;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bump when the processing changes, so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 3;

/// What was read from a file's header.
#[derive(Debug, Clone)]
struct Probe {
    width: u32,
    height: u32,
    alpha: bool,
}

/// Turns image files into planned pictures.
#[derive(Clone)]
pub struct Planner {
    root: PathBuf,
    settings: Images,
    sources: Arc<SourceHashes>,
}

impl Planner {
    pub fn new(root: &Path, settings: &Images, sources: Arc<SourceHashes>) -> Planner {
        Planner {
            root: root.to_path_buf(),
            settings: settings.clone(),
            sources,
        }
    }

    /// What every picture's names depend on besides its bytes.
    pub fn settings_key(&self) -> String {
        settings_key(&self.settings)
    }

    /// The picture `rel` becomes and the job that makes it.
    fn describe(&self, rel: &str) -> Result<(Picture, ImageJob), Diagnostic> {
        let path = self.root.join(rel);
        let bad = |reason: String| {
            Diagnostic::error(
                format!("cannot read image {rel}: {reason}"),
                format!("无法读取图片 {rel}：{reason}"),
            )
            .file(rel.to_string())
            .hint(
                "replace the file with a JPEG, PNG or WebP image that opens in an image viewer",
                "请换成能在看图软件中正常打开的 JPEG、PNG 或 WebP 图片",
            )
        };
        let source_hash = self.sources.hash(&path).map_err(|e| bad(e.to_string()))?;
        // A HEIC photo: its size from its JPEG conversion's headers.
        let probe = if video::is_video(&path) {
            // A video's picture is its poster frame.
            let cache_root = self.root.join(crate::paths::CACHE_FOLDER);
            let jpeg = video::poster(&path, &source_hash, &cache_root)
                .map_err(|reason| no_frame(rel, &reason))?;
            probe(&jpeg).map_err(|reason| no_frame(rel, &reason))?
        } else if crate::images::heic::is_heic(&path) {
            let cache_root = self.root.join(crate::paths::CACHE_FOLDER);
            let jpeg = crate::images::heic::converted(&path, &source_hash, &cache_root).map_err(
                |reason| {
                    if crate::images::heic::is_missing(&reason) {
                        crate::images::heic::missing(rel)
                    } else {
                        bad(reason)
                    }
                },
            )?;
            probe(&jpeg).map_err(bad)?
        } else {
            // Its headers remembered with its hash: a photo not changed is not read.
            let header = self.sources.header(&path, &source_hash, || {
                probe(&path).map(|p| (p.width, p.height, p.alpha))
            });
            let (width, height, alpha) = header.map_err(bad)?;
            Probe {
                width,
                height,
                alpha,
            }
        };
        let key =
            blake3::hash(format!("{source_hash}-{}", settings_key(&self.settings)).as_bytes())
                .to_hex()[..16]
                .to_string();
        let (picture, widths) = sizes(&probe, &key, &self.settings);
        let job = ImageJob {
            source: path,
            rel: rel.to_string(),
            key,
            source_hash,
            alpha: probe.alpha,
            widths,
        };
        Ok((picture, job))
    }
}

impl Planner {
    /// The video `rel` as the site shows it, with the picture `poster` (site-relative)
    /// or else its own frame (none without ffmpeg: the plan warns), and its captions:
    /// `captions`, else a `.vtt` of the same name beside it. An error when it is not a
    /// video it can read, or the captions are missing.
    pub fn video(
        &self,
        rel: &str,
        poster: Option<&str>,
        captions: Option<&str>,
    ) -> Result<Video, Diagnostic> {
        let path = self.root.join(rel);
        let unreadable = |reason: String| {
            Diagnostic::error(
                format!("cannot read video {rel}: {reason}"),
                format!("无法读取视频 {rel}：{reason}"),
            )
            .file(rel.to_string())
            .hint(
                "use an MP4 (H.264) or WebM video that plays in a browser; phones and `ffmpeg -i IN -c:v libx264 -crf 28 -preset slow -movflags +faststart OUT.mp4` make one",
                "请使用能在浏览器中播放的 MP4（H.264）或 WebM 视频；手机拍摄的视频或用 `ffmpeg -i 原视频 -c:v libx264 -crf 28 -preset slow -movflags +faststart 新视频.mp4` 转换的视频都可以",
            )
        };
        let probe = video::probe(&path).map_err(unreadable)?;
        let hash = self
            .sources
            .hash(&path)
            .map_err(|e| unreadable(e.to_string()))?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("mp4")
            .to_ascii_lowercase();
        let poster = match poster {
            Some(p) => Some(self.describe(p)?.0),
            None => self.describe(rel).ok().map(|(p, _)| p),
        };
        let beside = Path::new(rel).with_extension("vtt");
        let beside = beside.to_string_lossy();
        let captions_source = match captions {
            Some(c) => Some(c.to_string()),
            None => self
                .root
                .join(&*beside)
                .is_file()
                .then(|| beside.to_string()),
        };
        let captions_text = match &captions_source {
            Some(c) => std::fs::read_to_string(self.root.join(c))
                .map(|t| video::captions_text(&t))
                .map_err(|e| {
                    Diagnostic::error(
                        format!("cannot read captions {c}: {e}"),
                        format!("无法读取字幕文件 {c}：{e}"),
                    )
                    .file(c.clone())
                    .hint(
                        "captions are a WebVTT file (.vtt) beside the video",
                        "字幕应为与视频放在一起的 WebVTT 文件（.vtt）",
                    )
                })?,
            None => String::new(),
        };
        Ok(Video {
            source: rel.to_string(),
            path: format!("/media/video/{hash}.{ext}"),
            mime: video::mime(&path),
            bytes: probe.bytes,
            duration: probe.duration.map(video::duration_text),
            duration_iso: probe.duration.map(video::duration_iso),
            width: probe.width,
            height: probe.height,
            codec: probe.codec.name().to_string(),
            poster,
            captions: captions_source.as_deref().map(crate::paths::published_path),
            captions_source,
            captions_text,
            plays_everywhere: probe.codec.plays_everywhere(),
            fast_start: probe.fast_start,
        })
    }
}

/// The warnings of a video the site publishes: too large, a codec some browsers cannot
/// play, an MP4 whose index is at its end.
pub fn video_warnings(v: &Video) -> Vec<Diagnostic> {
    let rel = &v.source;
    let mut out = Vec::new();
    let shrink = format!(
        "ffmpeg -i {rel} -c:v libx264 -crf 28 -preset slow -c:a aac -movflags +faststart OUT.mp4"
    );
    if v.bytes > video::LARGE {
        let mb = v.bytes as f64 / 1048576.0;
        out.push(
            Diagnostic::warning(
                format!(
                    "video {rel} is {mb:.0} MB: visitors on phones wait long and pay for the data"
                ),
                format!("视频 {rel} 有 {mb:.0} MB：手机访问者要等很久，还要耗费流量"),
            )
            .file(rel.clone())
            .hint(
                format!("shrink it (a third of the size is usual): `{shrink}`"),
                format!("请压缩（通常能小到三分之一）：`{shrink}`"),
            ),
        );
    }
    if !v.plays_everywhere {
        let (en, zh) = match v.codec.as_str() {
            "none" => (
                format!("video {rel} has no picture (an audio recording?)"),
                format!("视频 {rel} 没有画面（是录音文件吗？）"),
            ),
            "unknown" => (
                format!(
                    "video {rel} uses a codec zhanting does not know: browsers may not play it"
                ),
                format!("视频 {rel} 的编码无法识别：浏览器可能无法播放"),
            ),
            codec => (
                format!("video {rel} is {codec}: not every browser plays it"),
                format!("视频 {rel} 的编码是 {codec}：部分浏览器无法播放"),
            ),
        };
        out.push(Diagnostic::warning(en, zh).file(rel.clone()).hint(
            format!("convert it to H.264: `{shrink}`"),
            format!("请转换为 H.264：`{shrink}`"),
        ));
    }
    if v.fast_start == Some(false) {
        out.push(
            Diagnostic::warning(
                format!("video {rel} keeps its index (`moov`) at the end: it plays only once the whole file has arrived"),
                format!("视频 {rel} 的索引（moov）在文件末尾：要整个文件下载完才能开始播放"),
            )
            .file(rel.clone())
            .hint(
                format!("move the index to the front, without re-encoding: `ffmpeg -i {rel} -c copy -movflags +faststart OUT.mp4`"),
                format!("把索引移到开头（不重新编码）：`ffmpeg -i {rel} -c copy -movflags +faststart 新视频.mp4`"),
            ),
        );
    }
    out
}

/// Why a video has no poster frame: ffmpeg missing, or failing on it.
fn no_frame(rel: &str, reason: &str) -> Diagnostic {
    let (en, zh) = if video::is_missing(reason) {
        (
            format!("video {rel} has no poster: ffmpeg is not installed to take a frame"),
            format!("视频 {rel} 没有封面：没有安装 ffmpeg，无法截取画面"),
        )
    } else {
        (
            format!("video {rel} has no poster: {reason}"),
            format!("视频 {rel} 没有封面：{reason}"),
        )
    };
    let d = Diagnostic::warning(en, zh).file(rel.to_string());
    if video::is_missing(reason) {
        d.hint(
            "install ffmpeg (Debian/Ubuntu: apt install ffmpeg; macOS: brew install ffmpeg), or give the page a `poster:` image; until then a placeholder is shown",
            "请安装 ffmpeg（Debian/Ubuntu：apt install ffmpeg；macOS：brew install ffmpeg），或在页面头部写 `poster:` 指定封面图片；在此之前显示默认封面",
        )
    } else {
        d.hint(
            "check that the video plays; give the page a `poster:` image; until then a placeholder is shown",
            "请检查视频能否正常播放；或在页面头部写 `poster:` 指定封面图片；在此之前显示默认封面",
        )
    }
}

impl crate::markdown::Pictures for Planner {
    fn picture(&self, source: &str) -> Result<Picture, Diagnostic> {
        self.describe(source).map(|(p, _)| p)
    }

    fn video(&self, source: &str) -> Result<Video, Diagnostic> {
        Planner::video(self, source, None, None)
    }
}

/// The picture an image of `probe`'s size becomes, its files named by `key`, and the
/// sizes to make.
fn sizes(probe: &Probe, key: &str, settings: &Images) -> (Picture, Vec<(u32, u32)>) {
    let widths: Vec<(u32, u32)> = widths_for(probe.width, &settings.widths)
        .into_iter()
        .map(|w| (w, scaled_height(probe, w)))
        .collect();
    let fallback_ext = if probe.alpha { "png" } else { "jpg" };
    let webp = settings.formats.contains(&ImageFormat::Webp);
    let variants = widths
        .iter()
        .map(|&(w, h)| Variant {
            width: w,
            height: h,
            fallback: format!("/media/img/{key}-{w}.{fallback_ext}"),
            webp: webp.then(|| format!("/media/img/{key}-{w}.webp")),
        })
        .collect();
    let picture = Picture {
        width: probe.width,
        height: probe.height,
        variants,
    };
    (picture, widths)
}

/// What planning makes of an image file's bytes (its header read, its published sizes
/// decided, named by `key`), as for a file of the site: for tests and fuzzing.
pub fn plan_bytes(bytes: &[u8], key: &str, settings: &Images) -> Result<Picture, String> {
    let probe = probe_reader(image::ImageReader::new(std::io::Cursor::new(bytes)))?;
    Ok(sizes(&probe, key, settings).0)
}

fn scaled_height(probe: &Probe, w: u32) -> u32 {
    ((probe.height as u64 * w as u64 + probe.width as u64 / 2) / probe.width as u64).max(1) as u32
}

fn settings_key(settings: &Images) -> String {
    format!(
        "v{PIPELINE_VERSION}-q{}-{:?}-{:?}{}",
        settings.quality,
        settings.widths,
        settings.formats,
        if settings.strip_metadata { "" } else { "-exif" }
    )
}

/// Widths to publish for an image `width` pixels wide: every configured width below it,
/// and its own width when that is below the largest configured one.
pub fn widths_for(width: u32, settings: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = settings.iter().copied().filter(|&w| w < width).collect();
    let largest = settings.iter().copied().max().unwrap_or(width);
    if width <= largest || out.is_empty() {
        out.push(width.min(largest.max(1)));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Size (upright) and transparency from an image's headers.
fn probe(path: &Path) -> Result<Probe, String> {
    probe_reader(image::ImageReader::open(path).map_err(|e| e.to_string())?)
}

fn probe_reader<R: std::io::BufRead + std::io::Seek>(
    reader: image::ImageReader<R>,
) -> Result<Probe, String> {
    use image::ImageDecoder;
    let reader = reader.with_guessed_format().map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err("not a JPEG, PNG or WebP image".into());
    }
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    let alpha = decoder.color_type().has_alpha();
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    use image::metadata::Orientation::*;
    let (width, height) = match orientation {
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH => (h, w),
        _ => (w, h),
    };
    if width == 0 || height == 0 {
        return Err("the image has no pixels".into());
    }
    Ok(Probe {
        width,
        height,
        alpha,
    })
}

/// The EXIF date a photo was taken (`DateTimeOriginal`), as written (`2024:07:01 09:30:00`).
pub fn exif_date(path: &Path) -> Option<String> {
    use std::io::{Read, Seek};
    let mut file = BufReader::new(std::fs::File::open(path).ok()?);
    let mut start = [0u8; 2];
    file.read_exact(&mut start).ok()?;
    file.rewind().ok()?;
    if start == [0xFF, 0xD8] {
        // Given a whole JPEG, the EXIF reader goes on to its end when there is no EXIF
        // (a photo saved from WeChat, a scan): 2.7 MB read for a camera-sized photo.
        let tiff = jpeg_exif(&mut file)?;
        return date_of(&exif::Reader::new().read_raw(tiff).ok()?);
    }
    // PNG, WebP and HEIF containers.
    exif_date_of(&mut file)
}

/// The EXIF data of a JPEG (an APP1 segment `Exif\0\0`), its segments read one by one
/// up to its image data (the start of scan); `None` when it has none.
fn jpeg_exif<R: std::io::BufRead + std::io::Seek>(r: &mut R) -> Option<Vec<u8>> {
    let mut two = [0u8; 2];
    r.read_exact(&mut two).ok()?;
    if two != [0xFF, 0xD8] {
        return None;
    }
    loop {
        if byte(r)? != 0xFF {
            return None;
        }
        // Any number of fill bytes (FF) before the marker's code.
        let code = loop {
            match byte(r)? {
                0xFF => continue,
                code => break code,
            }
        };
        match code {
            // A start of scan, an end of image or a second start: no EXIF before it.
            0xD8..=0xDA => return None,
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        r.read_exact(&mut two).ok()?;
        let len = usize::from(u16::from_be_bytes(two).checked_sub(2)?);
        if code == 0xE1 {
            let mut segment = vec![0; len];
            r.read_exact(&mut segment).ok()?;
            if let Some(tiff) = segment.strip_prefix(b"Exif\0\0") {
                return Some(tiff.to_vec());
            }
        } else {
            r.seek_relative(i64::try_from(len).ok()?).ok()?;
        }
    }
}

fn byte<R: std::io::Read>(r: &mut R) -> Option<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b).ok().map(|()| b[0])
}

/// [`exif_date`] of a photo's bytes.
pub fn exif_date_in(bytes: &[u8]) -> Option<String> {
    exif_date_of(&mut std::io::Cursor::new(bytes))
}

fn exif_date_of<R: std::io::BufRead + std::io::Seek>(reader: &mut R) -> Option<String> {
    date_of(&exif::Reader::new().read_from_container(reader).ok()?)
}

fn date_of(exif: &exif::Exif) -> Option<String> {
    let field = exif.get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)?;
    Some(field.display_value().to_string())
}

/// Reads the headers of `sources` (site-relative) and decides every output.
pub fn plan(sources: &[String], planner: &Planner, diags: &mut Diagnostics) -> Media {
    let results: Vec<Result<(String, Picture, ImageJob), Diagnostic>> = sources
        .par_iter()
        .map(|rel| planner.describe(rel).map(|(p, j)| (rel.clone(), p, j)))
        .collect();
    let mut media = Media::default();
    for r in results {
        match r {
            Ok((rel, picture, job)) => {
                media.pictures.insert(rel, picture);
                media.jobs.push(job);
            }
            Err(d) => diags.push(d),
        }
    }
    media
}

/// The videos of albums, `sources` (site-relative), each with its warnings.
pub fn plan_videos(
    sources: &[String],
    planner: &Planner,
    diags: &mut Diagnostics,
) -> std::collections::BTreeMap<String, Video> {
    let results: Vec<Result<Video, Diagnostic>> = sources
        .par_iter()
        .map(|rel| planner.video(rel, None, None))
        .collect();
    let mut out = std::collections::BTreeMap::new();
    for r in results {
        match r {
            Ok(v) => {
                out.insert(v.source.clone(), v);
            }
            Err(d) => diags.push(d),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A HEIC photo's EXIF date is read from the HEIC file itself, as from a JPEG.
    #[test]
    fn heic_photos_have_their_exif_date() {
        let heic = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/phone/albums/phone/IMG_0001.HEIC");
        assert_eq!(exif_date(&heic).as_deref(), Some("2024-05-04 10:00:00"));
    }

    /// A JPEG of `segments` after its start, then 1 MB standing for its image data.
    fn jpeg(segments: &[(u8, &[u8])]) -> tempfile::NamedTempFile {
        let mut bytes = vec![0xFF, 0xD8];
        for (marker, data) in segments {
            bytes.extend([0xFF, *marker]);
            bytes.extend(u16::try_from(data.len() + 2).unwrap().to_be_bytes());
            bytes.extend(*data);
        }
        bytes.extend(vec![0x5A; 1 << 20]);
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), bytes).unwrap();
        file
    }

    #[test]
    fn a_jpegs_exif_date_is_read_from_its_start() {
        let date = exif::Field {
            tag: exif::Tag::DateTimeOriginal,
            ifd_num: exif::In::PRIMARY,
            value: exif::Value::Ascii(vec![b"2024:07:01 09:30:00".to_vec()]),
        };
        let mut writer = exif::experimental::Writer::new();
        writer.push_field(&date);
        let mut tiff = std::io::Cursor::new(Vec::new());
        writer.write(&mut tiff, false).unwrap();
        let app1 = [b"Exif\0\0".as_slice(), tiff.get_ref()].concat();
        let xmp = vec![b' '; 60_000];
        // After a JFIF header and an XMP segment, as some cameras write them.
        let dated = jpeg(&[
            (0xE0, b"JFIF\0\x01\x02"),
            // Bytes of a start of scan inside a segment (an ICC profile's) are data.
            (0xE2, &[0xFF, 0xDA, 0xFF, 0xD9]),
            (0xE1, &xmp),
            (0xE1, &app1),
            (0xDA, &[0; 10]),
        ]);
        assert_eq!(
            exif_date(dated.path()).as_deref(),
            Some("2024-07-01 09:30:00")
        );
        // No EXIF at all (a photo saved from WeChat): no date.
        let bare = jpeg(&[(0xE0, b"JFIF\0\x01\x02"), (0xDA, &[0; 10])]);
        assert_eq!(exif_date(bare.path()), None);
        // After long headers (an extended XMP): found all the same.
        let long = jpeg(&[
            (0xE1, &xmp),
            (0xE1, &xmp),
            (0xE1, &xmp),
            (0xE1, &xmp),
            (0xE1, &app1),
        ]);
        assert_eq!(
            exif_date(long.path()).as_deref(),
            Some("2024-07-01 09:30:00")
        );
    }

    #[test]
    fn widths_are_never_upscaled() {
        assert_eq!(widths_for(1200, &[480, 960, 1600]), vec![480, 960, 1200]);
        assert_eq!(widths_for(4000, &[480, 960, 1600]), vec![480, 960, 1600]);
        assert_eq!(widths_for(300, &[480, 960, 1600]), vec![300]);
        assert_eq!(widths_for(960, &[480, 960, 1600]), vec![480, 960]);
    }
}
