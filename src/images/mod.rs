//! The image pipeline: every picture the site shows (album photos, covers, the brand's
//! images, honours, the logo) is decoded once, turned upright (EXIF orientation), resized
//! to the widths of `site.yaml images.widths` (never upscaled) and encoded as WebP and
//! JPEG (PNG instead of JPEG for images with transparency). Published files carry no
//! metadata (re-encoding keeps none: GPS never leaks) and a hash of their content in the
//! name; originals are never published.
//!
//! Planning reads only headers, so templates get sizes and URLs at once; processing runs
//! afterwards in parallel (rayon, one decoded image per thread at a time). Results live in
//! `DIR/.zhanting-cache/images/`, named by a BLAKE3 hash of the source bytes and every
//! setting that shapes the output, so a warm build decodes and encodes nothing. The
//! source hash itself is remembered by path, size and modification time.
//!
//! A file that cannot be read as an image (corrupt, truncated, not an image) is an error
//! naming it: the build stops and the previous output stays.

use crate::config::{ImageFormat, Images};
use crate::error::Diagnostic;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Bump when the processing changes, so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 1;

/// One published size of an image.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Hash)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Site path of the JPEG (or, for images with transparency, PNG).
    pub fallback: String,
    /// Site path of the WebP, when WebP is on.
    pub webp: Option<String>,
}

/// An image as the templates see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Hash)]
pub struct Picture {
    /// Width and height after orientation.
    pub width: u32,
    pub height: u32,
    /// Smallest first.
    pub variants: Vec<Variant>,
}

impl Picture {
    /// The largest variant: the "full size" link.
    pub fn largest(&self) -> &Variant {
        self.variants.last().expect("a picture has a variant")
    }
}

/// What was read from a file's header.
#[derive(Debug, Clone)]
struct Probe {
    width: u32,
    height: u32,
    alpha: bool,
}

/// All pictures of a build, by site-relative source path.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    pub pictures: BTreeMap<String, Picture>,
    jobs: Vec<Job>,
}

#[derive(Debug, Clone)]
struct Job {
    source: PathBuf,
    rel: String,
    key: String,
    alpha: bool,
    widths: Vec<(u32, u32)>,
}

/// A source's size, modification time and content hash.
type SourceHash = (u64, Option<std::time::SystemTime>, String);

/// Remembered hashes and EXIF dates of sources, by path, size and modification time.
#[derive(Default)]
pub struct HashMemo {
    entries: Mutex<HashMap<PathBuf, SourceHash>>,
}

pub fn cache_dir(site_root: &Path) -> PathBuf {
    site_root.join(".zhanting-cache").join("images")
}

fn settings_key(settings: &Images) -> String {
    format!(
        "v{PIPELINE_VERSION}-q{}-{:?}-{:?}",
        settings.quality, settings.widths, settings.formats
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

fn probe(path: &Path) -> Result<Probe, String> {
    use image::ImageDecoder;
    let reader = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
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
    let file = std::fs::File::open(path).ok()?;
    let exif = exif::Reader::new()
        .read_from_container(&mut BufReader::new(file))
        .ok()?;
    let field = exif.get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)?;
    Some(field.display_value().to_string())
}

impl HashMemo {
    /// The memo saved by an earlier build in `cache` (empty if none).
    pub fn load(cache: &Path) -> HashMemo {
        let mut entries = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(cache.join("sources.tsv")) {
            for line in text.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                if let [path, len, nanos, hash] = f[..] {
                    let mtime = nanos
                        .parse::<u64>()
                        .ok()
                        .map(|n| std::time::UNIX_EPOCH + std::time::Duration::from_nanos(n));
                    if let Ok(len) = len.parse() {
                        entries.insert(PathBuf::from(path), (len, mtime, hash.to_string()));
                    }
                }
            }
        }
        HashMemo {
            entries: Mutex::new(entries),
        }
    }

    /// Saves the memo for the next build (best effort: a missing memo only costs time).
    pub fn save(&self, cache: &Path) {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut text = String::new();
        for (path, (len, mtime, hash)) in entries.iter() {
            let nanos = mtime
                .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            text.push_str(&format!("{}\t{len}\t{nanos}\t{hash}\n", path.display()));
        }
        if std::fs::create_dir_all(cache).is_ok() {
            let _ = write_file(&cache.join("sources.tsv"), text.as_bytes());
        }
    }

    fn hash(&self, path: &Path) -> std::io::Result<String> {
        let meta = std::fs::metadata(path)?;
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((len, mtime, h)) = self
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
        {
            if (*len, *mtime) == stamp {
                return Ok(h.clone());
            }
        }
        let bytes = std::fs::read(path)?;
        let h = blake3::hash(&bytes).to_hex()[..16].to_string();
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), (stamp.0, stamp.1, h.clone()));
        Ok(h)
    }
}

/// The picture an image file becomes (its header is read; nothing is decoded).
pub fn picture(
    root: &Path,
    rel: &str,
    settings: &Images,
    memo: &HashMemo,
) -> Result<Picture, Diagnostic> {
    describe(root, rel, settings, memo).map(|(p, _)| p)
}

fn describe(
    root: &Path,
    rel: &str,
    settings: &Images,
    memo: &HashMemo,
) -> Result<(Picture, Job), Diagnostic> {
    let skey = settings_key(settings);
    let webp = settings.formats.contains(&ImageFormat::Webp);
    let path = root.join(rel);
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
    let probe = probe(&path).map_err(bad)?;
    let source_hash = memo.hash(&path).map_err(|e| bad(e.to_string()))?;
    let key = blake3::hash(format!("{source_hash}-{skey}").as_bytes()).to_hex()[..16].to_string();
    let widths: Vec<(u32, u32)> = widths_for(probe.width, &settings.widths)
        .into_iter()
        .map(|w| {
            (
                w,
                ((probe.height as u64 * w as u64 + probe.width as u64 / 2) / probe.width as u64)
                    .max(1) as u32,
            )
        })
        .collect();
    let fallback_ext = if probe.alpha { "png" } else { "jpg" };
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
    Ok((
        picture,
        Job {
            source: path,
            rel: rel.to_string(),
            key,
            alpha: probe.alpha,
            widths,
        },
    ))
}

/// Reads the headers of `sources` (site-relative) and decides every output.
pub fn plan(
    root: &Path,
    sources: &[String],
    settings: &Images,
    memo: &HashMemo,
) -> (Plan, Vec<Diagnostic>) {
    let results: Vec<Result<(String, Picture, Job), Diagnostic>> = sources
        .par_iter()
        .map(|rel| describe(root, rel, settings, memo).map(|(p, j)| (rel.clone(), p, j)))
        .collect();
    let mut plan = Plan::default();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok((rel, picture, job)) => {
                plan.pictures.insert(rel, picture);
                plan.jobs.push(job);
            }
            Err(d) => diags.push(d),
        }
    }
    (plan, diags)
}

/// What processing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Source images decoded and encoded in this build.
    pub processed: usize,
    /// Source images whose outputs were all in the cache.
    pub cached: usize,
}

/// The output files of a plan: site path (without the leading `/`) → cache file.
pub fn outputs(plan: &Plan, cache: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for p in plan.pictures.values() {
        for v in &p.variants {
            for path in std::iter::once(&v.fallback).chain(v.webp.as_ref()) {
                let name = path.rsplit('/').next().expect("a file name");
                out.push((path.trim_start_matches('/').to_string(), cache.join(name)));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Removes cache files no output of `plan` uses (images removed or settings changed).
/// Returns how many were removed.
pub fn prune(plan: &Plan, cache: &Path) -> usize {
    let keep: std::collections::HashSet<PathBuf> =
        outputs(plan, cache).into_iter().map(|(_, p)| p).collect();
    let Ok(entries) = std::fs::read_dir(cache) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        // Only our own outputs: KEY-WIDTH.EXT with a 16-digit hex key.
        let ours = name.len() > 17
            && name.as_bytes()[16] == b'-'
            && name[..16].bytes().all(|b| b.is_ascii_hexdigit());
        if ours && !keep.contains(&path) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Makes every output of `plan` that the cache lacks, in parallel, showing progress on a
/// terminal.
pub fn process(plan: &Plan, cache: &Path, settings: &Images) -> Result<Stats, Vec<Diagnostic>> {
    let todo: Vec<&Job> = plan
        .jobs
        .iter()
        .filter(|j| {
            let p = &plan.pictures[&j.rel];
            p.variants.iter().any(|v| {
                std::iter::once(&v.fallback)
                    .chain(v.webp.as_ref())
                    .any(|f| !cache.join(f.rsplit('/').next().unwrap_or("")).is_file())
            })
        })
        .collect();
    let cached = plan.jobs.len() - todo.len();
    if todo.is_empty() {
        return Ok(Stats {
            processed: 0,
            cached,
        });
    }
    std::fs::create_dir_all(cache).map_err(|e| {
        vec![Diagnostic::error(
            format!("cannot create {}: {e}", cache.display()),
            format!("无法创建 {}：{e}", cache.display()),
        )]
    })?;
    let bar = progress_bar(todo.len(), "images");
    let done = AtomicUsize::new(0);
    let results: Vec<Result<(), Diagnostic>> = todo
        .par_iter()
        .map(|job| {
            let r = process_one(job, cache, settings).map_err(|reason| {
                Diagnostic::error(
                    format!("cannot process image {}: {reason}", job.rel),
                    format!("无法处理图片 {}：{reason}", job.rel),
                )
                .file(job.rel.clone())
                .hint(
                    "the file may be damaged: open it in an image viewer and save it again",
                    "文件可能已损坏：请用看图软件打开后重新保存",
                )
            });
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(bar) = &bar {
                bar.set_position(n as u64);
            }
            r
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(Stats {
            processed: todo.len(),
            cached,
        })
    } else {
        Err(errors)
    }
}

pub(crate) fn progress_bar(len: usize, label: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {eta}")
            .ok()?
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    Some(bar)
}

/// Decodes (scaled down in the JPEG decoder when the largest output allows), orients,
/// resizes and encodes one image.
fn process_one(job: &Job, cache: &Path, settings: &Images) -> Result<(), String> {
    let bytes = std::fs::read(&job.source).map_err(|e| e.to_string())?;
    let largest = job.widths.last().copied().ok_or("no output size")?;
    let img = decode(&bytes, largest)?;
    let webp = settings.formats.contains(&ImageFormat::Webp);
    for &(w, h) in &job.widths {
        let resized = resize(&img, w, h)?;
        let base = cache.join(format!("{}-{w}", job.key));
        if job.alpha {
            let rgba = resized.to_rgba8();
            let mut png = Vec::new();
            image::DynamicImage::ImageRgba8(rgba.clone())
                .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
                .map_err(|e| e.to_string())?;
            write_file(&base.with_extension("png"), &png)?;
            if webp {
                let data = encode_webp(
                    webp::Encoder::from_rgba(rgba.as_raw(), w, h),
                    settings.quality,
                )?;
                write_file(&base.with_extension("webp"), &data)?;
            }
        } else {
            let rgb = resized.to_rgb8();
            let jpeg = encode_jpeg(&rgb, settings.quality)?;
            write_file(&base.with_extension("jpg"), &jpeg)?;
            if webp {
                let data = encode_webp(
                    webp::Encoder::from_rgb(rgb.as_raw(), w, h),
                    settings.quality,
                )?;
                write_file(&base.with_extension("webp"), &data)?;
            }
        }
    }
    Ok(())
}

/// A JPEG as is, less its metadata (EXIF with GPS, XMP, IPTC, comments), when it can be
/// printed unchanged: upright (no EXIF rotation) and RGB or gray (not CMYK). Segments are
/// copied, never decoded, so the picture is bit for bit the photographer's.
pub(crate) fn jpeg_without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    {
        use image::ImageDecoder;
        let mut d = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes)).ok()?;
        let upright = matches!(
            d.orientation().ok()?,
            image::metadata::Orientation::NoTransforms
        );
        if !upright {
            return None;
        }
    }
    let mut out = vec![0xFF, 0xD8];
    let mut at = 2;
    loop {
        if bytes.get(at)? != &0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]) as usize;
        let end = at + 2 + len;
        let segment = bytes.get(at..end)?;
        // A frame header (SOF0–15 but DHT, JPG, DAC) with other than 1 or 3 components:
        // CMYK or YCCK, which is converted to RGB instead.
        if (0xC0..=0xCF).contains(&marker)
            && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
            && !matches!(segment.get(9), Some(1 | 3))
        {
            return None;
        }
        // APP1 (EXIF, XMP), APP13 (IPTC, Photoshop) and comments go; JFIF, the ICC
        // profile (APP2) and Adobe's colour transform (APP14) stay.
        if !matches!(marker, 0xE1 | 0xED | 0xFE) {
            out.extend_from_slice(segment);
        }
        if marker == 0xDA {
            // Start of scan: the rest is image data.
            out.extend_from_slice(bytes.get(end..)?);
            return Some(out);
        }
        at = end;
    }
}

/// Baseline JPEG at `quality` (jpeg-encoder).
pub(crate) fn encode_jpeg(rgb: &image::RgbImage, quality: u8) -> Result<Vec<u8>, String> {
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, quality)
        .encode(
            rgb.as_raw(),
            u16::try_from(rgb.width()).map_err(|_| "too wide")?,
            u16::try_from(rgb.height()).map_err(|_| "too tall")?,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|e| e.to_string())?;
    Ok(jpeg)
}

/// Lossy WebP at `quality` with libwebp's fastest method (0): on 50 camera photos the
/// default method (4) took 3× the time of the whole JPEG pass for files ~3 % smaller.
fn encode_webp(encoder: webp::Encoder, quality: u8) -> Result<Vec<u8>, String> {
    let mut config = webp::WebPConfig::new().map_err(|_| "libwebp configuration")?;
    config.quality = quality as f32;
    config.method = 0;
    config.alpha_compression = 1;
    encoder
        .encode_advanced(&config)
        .map(|m| m.to_vec())
        .map_err(|e| format!("WebP encoding failed: {e:?}"))
}

/// Writes through a temporary name, so a cache file is whole or absent.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| e.to_string())
}

/// Decodes an image upright. A JPEG is decoded at 1/2, 1/4 or 1/8 scale in the DCT when
/// that still gives `need.0` pixels of width; CMYK and YCCK JPEGs become RGB.
pub(crate) fn decode(bytes: &[u8], need: (u32, u32)) -> Result<image::DynamicImage, String> {
    let format = image::guess_format(bytes).map_err(|e| e.to_string())?;
    let orientation = {
        use image::ImageDecoder;
        let mut d = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?
            .into_decoder()
            .map_err(|e| e.to_string())?;
        d.orientation()
            .unwrap_or(image::metadata::Orientation::NoTransforms)
    };
    use image::metadata::Orientation::*;
    let rotated = matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    );
    // The decoder's frame is the stored one: before rotation.
    let (need_w, need_h) = if rotated { (need.1, need.0) } else { need };
    let mut img = if format == image::ImageFormat::Jpeg {
        decode_jpeg(bytes, need_w, need_h)?
    } else {
        image::load_from_memory_with_format(bytes, format).map_err(|e| e.to_string())?
    };
    img.apply_orientation(orientation);
    Ok(img)
}

fn decode_jpeg(bytes: &[u8], need_w: u32, need_h: u32) -> Result<image::DynamicImage, String> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    d.read_info().map_err(|e| e.to_string())?;
    let clamp = |v: u32| v.min(u16::MAX as u32) as u16;
    let (w, h) = d
        .scale(clamp(need_w), clamp(need_h))
        .map_err(|e| e.to_string())?;
    let pixels = d.decode().map_err(|e| e.to_string())?;
    let info = d.info().ok_or("no image information")?;
    let (w, h) = (w as u32, h as u32);
    let buffer = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => image::DynamicImage::ImageRgb8(
            image::RgbImage::from_raw(w, h, pixels).ok_or("truncated image data")?,
        ),
        jpeg_decoder::PixelFormat::L8 => image::DynamicImage::ImageLuma8(
            image::GrayImage::from_raw(w, h, pixels).ok_or("truncated image data")?,
        ),
        jpeg_decoder::PixelFormat::L16 => {
            let v: Vec<u16> = pixels
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            image::DynamicImage::ImageLuma16(
                image::ImageBuffer::from_raw(w, h, v).ok_or("truncated image data")?,
            )
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            // The decoder gives ink amounts (0 = no ink) for CMYK and YCCK alike, Adobe's
            // inverted storage already undone.
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let white = 255 - p[3] as u32;
                    let ch = |v: u8| ((255 - v as u32) * white / 255) as u8;
                    [ch(p[0]), ch(p[1]), ch(p[2])]
                })
                .collect();
            image::DynamicImage::ImageRgb8(
                image::RgbImage::from_raw(w, h, rgb).ok_or("truncated image data")?,
            )
        }
    };
    Ok(buffer)
}

/// Resizes with fast_image_resize (SIMD, Lanczos3); the same size is returned as is.
pub(crate) fn resize(
    img: &image::DynamicImage,
    w: u32,
    h: u32,
) -> Result<image::DynamicImage, String> {
    if img.width() == w && img.height() == h {
        return Ok(img.clone());
    }
    use fast_image_resize::images::Image;
    use fast_image_resize::{PixelType, ResizeAlg, ResizeOptions, Resizer};
    let (src, pixel, alpha) = match img {
        image::DynamicImage::ImageRgba8(_)
        | image::DynamicImage::ImageLumaA8(_)
        | image::DynamicImage::ImageRgba16(_)
        | image::DynamicImage::ImageLumaA16(_)
        | image::DynamicImage::ImageRgba32F(_) => {
            (img.to_rgba8().into_raw(), PixelType::U8x4, true)
        }
        _ => (img.to_rgb8().into_raw(), PixelType::U8x3, false),
    };
    let src =
        Image::from_vec_u8(img.width(), img.height(), src, pixel).map_err(|e| e.to_string())?;
    let mut dst = Image::new(w, h, pixel);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(
        fast_image_resize::FilterType::Lanczos3,
    ));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    let raw = dst.into_vec();
    Ok(if alpha {
        image::DynamicImage::ImageRgba8(
            image::RgbaImage::from_raw(w, h, raw).ok_or("resize failed")?,
        )
    } else {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, raw).ok_or("resize failed")?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same ink encoded as CMYK and as YCCK decodes to the same colour, red.
    #[test]
    fn cmyk_and_ycck_jpegs_agree() {
        let ink: Vec<u8> = [0u8, 255, 255, 0].repeat(16 * 16);
        let encode = |color| {
            let mut out = Vec::new();
            jpeg_encoder::Encoder::new(&mut out, 95)
                .encode(&ink, 16, 16, color)
                .unwrap();
            out
        };
        let cmyk = encode(jpeg_encoder::ColorType::Cmyk);
        let ycck = encode(jpeg_encoder::ColorType::CmykAsYcck);
        let a = decode(&cmyk, (16, 16)).unwrap().to_rgb8().get_pixel(8, 8).0;
        let b = decode(&ycck, (16, 16)).unwrap().to_rgb8().get_pixel(8, 8).0;
        assert!(
            a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 12),
            "CMYK {a:?} vs YCCK {b:?}"
        );
        assert!(a[0] > 200 && a[1] < 40 && a[2] < 40, "{a:?}");
    }

    #[test]
    fn widths_are_never_upscaled() {
        assert_eq!(widths_for(1200, &[480, 960, 1600]), vec![480, 960, 1200]);
        assert_eq!(widths_for(4000, &[480, 960, 1600]), vec![480, 960, 1600]);
        assert_eq!(widths_for(300, &[480, 960, 1600]), vec![300]);
        assert_eq!(widths_for(960, &[480, 960, 1600]), vec![480, 960]);
    }
}
