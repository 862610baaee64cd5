//! The image pipeline: every picture the site shows (album photos, covers, the brand's
//! images, honours, the logo) is decoded once, turned upright (EXIF orientation), resized
//! to the widths of `site.yaml images.widths` (never upscaled) and encoded as WebP and
//! JPEG (PNG instead of JPEG for images with transparency). Published files carry no
//! metadata (re-encoding keeps none: GPS never leaks) and a hash of their content in the
//! name; originals are never published.
//!
//! Loading planned every picture from the files' headers (`load::media`); this renderer
//! makes the files, in parallel (rayon, one decoded image per thread at a time), into
//! `DIR/.zhanting-cache/images/`, named by a BLAKE3 hash of the source bytes and every
//! setting that shapes the output, so a warm build decodes and encodes nothing. For
//! `check`, images missing from the cache are decoded in full (a truncated file is
//! found) and nothing is encoded.
//!
//! A file that cannot be read as an image (corrupt, truncated, not an image) is an error
//! naming it: the build stops and the previous output stays.

pub mod cards;
mod colour;
pub mod heic;
pub mod video;

use crate::artifact::{
    Content, Counts, Mode, Origin, OutputFile, RenderContext, Rendered, Renderer,
};
use crate::cache::DiskCache;
use crate::config::{ImageFormat, Images};
use crate::error::{Diagnostic, Diagnostics};
use crate::model::media::CARD_SIZE;
use crate::model::{ImageJob, Media, Site};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Name of the images folder of `.zhanting-cache/`.
pub const CACHE: &str = "images";

/// The image pipeline as a renderer: processed pictures under `/media/img/`.
pub struct ImageFiles;

impl Renderer for ImageFiles {
    fn name(&self) -> &'static str {
        "images"
    }

    fn render(&self, ctx: &RenderContext, diags: &mut Diagnostics) -> Rendered {
        let site = ctx.site;
        let cache = DiskCache::new(&site.cache_root, CACHE);
        let cards = cards::covers(site, diags);
        // A shared cache (a portal's) is pruned by its owner, with every branch's files.
        let own_cache = site.cache_root == site.root;
        let counts = match ctx.mode {
            Mode::Check => verify(&site.media, &cache, diags),
            Mode::Build | Mode::Serve => {
                let counts = process(&site.media, &cache, &site.config.images, &cards, diags);
                if !diags.has_errors() && own_cache {
                    prune(&[(site, &cards)], &cache);
                }
                counts
            }
        };
        let card_files = cards
            .values()
            .map(|path| (path.trim_start_matches('/').to_string(), file_name(path)));
        let mut files: Vec<OutputFile> = site
            .media
            .outputs()
            .into_iter()
            .chain(card_files)
            .map(|(path, name)| OutputFile {
                path,
                content: Content::CopyNamedByHash(cache.path(&name)),
                origin: Origin::Media,
                key: None,
            })
            .collect();
        if ctx.urls.offline {
            files.extend(poster_scripts(site, &cards, &cache));
        }
        Rendered {
            files,
            counts: Some(counts),
        }
    }
}

/// For an offline build, the pictures a share poster draws as scripts
/// (`artifact::image_script`): each cover's link card and the brand emblem's smallest
/// size, which the poster's template names.
fn poster_scripts(site: &Site, cards: &cards::Cards, cache: &DiskCache) -> Vec<OutputFile> {
    let emblem = site
        .brand
        .as_ref()
        .and_then(|b| b.logo.as_ref())
        .and_then(|logo| site.media.pictures.get(&logo.source))
        .and_then(|p| p.variants.first())
        .map(|v| v.fallback.clone());
    cards
        .values()
        .cloned()
        .chain(emblem)
        .map(|path| {
            let cached = cache.path(&file_name(&path));
            crate::artifact::image_script(&path, move || std::fs::read(&cached))
        })
        .collect()
}

/// The last segment of a site path: the cache file's name.
fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// Removes from `cache` (the images' folder) and its siblings (HEIC conversions, video
/// frames) what none of `sites` uses any more (pictures removed, settings changed).
/// Each site with its cover cards; a portal passes all its branches. Returns how many
/// processed pictures were removed.
pub fn prune(sites: &[(&Site, &cards::Cards)], cache: &DiskCache) -> usize {
    let keep: HashSet<String> = sites
        .iter()
        .flat_map(|(site, cards)| {
            site.media
                .outputs()
                .into_iter()
                .map(|(_, name)| name)
                .chain(cards.values().map(|path| file_name(path)))
        })
        .collect();
    // Only our own outputs: KEY-WIDTH.EXT with a 16-digit hex key.
    let ours = |name: &str| {
        name.len() > 17
            && name.as_bytes()[16] == b'-'
            && name[..16].bytes().all(|b| b.is_ascii_hexdigit())
    };
    let removed = cache.prune(ours, &keep);
    let hashes = |of: fn(&std::path::Path) -> bool| -> HashSet<&str> {
        sites
            .iter()
            .flat_map(|(site, _)| &site.media.jobs)
            .filter(|j| of(&j.source))
            .map(|j| j.source_hash.as_str())
            .collect()
    };
    heic::prune(cache_root(cache), &hashes(heic::is_heic));
    video::prune(cache_root(cache), &hashes(video::is_video));
    removed
}

/// Processing claims: the output name each picture being made now is known by, so two
/// sites sharing a cache (a portal's branches) make an identical picture once.
static CLAIMS: std::sync::LazyLock<
    std::sync::Mutex<HashMap<String, std::sync::Arc<std::sync::Mutex<()>>>>,
> = std::sync::LazyLock::new(Default::default);

/// Runs `make` for the picture whose first output is `name`, unless another thread made
/// it meanwhile (`done` says so once the claim is held).
fn claimed<T>(
    name: &str,
    done: impl Fn() -> bool,
    make: impl FnOnce() -> Result<T, String>,
) -> Result<Option<T>, String> {
    let lock = CLAIMS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(name.to_string())
        .or_default()
        .clone();
    let held = lock.lock().unwrap_or_else(|e| e.into_inner());
    let result = if done() { Ok(None) } else { make().map(Some) };
    drop(held);
    let mut claims = CLAIMS.lock().unwrap_or_else(|e| e.into_inner());
    // The last holder forgets the name.
    if std::sync::Arc::strong_count(&lock) == 2 {
        claims.remove(name);
    }
    result
}

/// The jobs whose outputs (sizes, and the link card of a cover) are not all in the cache.
fn missing<'m>(media: &'m Media, cards: &cards::Cards, cache: &DiskCache) -> Vec<&'m ImageJob> {
    media
        .jobs
        .iter()
        .filter(|j| missing_outputs(media, cards, cache, j))
        .collect()
}

/// Whether an output of `job` is not in the cache.
fn missing_outputs(media: &Media, cards: &cards::Cards, cache: &DiskCache, job: &ImageJob) -> bool {
    let p = &media.pictures[&job.rel];
    p.files()
        .chain(cards.get(&job.rel))
        .any(|f| !cache.has(f.rsplit('/').next().unwrap_or("")))
}

/// Makes every output of `media` that the cache lacks, in parallel, showing progress on
/// a terminal.
pub fn process(
    media: &Media,
    cache: &DiskCache,
    settings: &Images,
    cards: &cards::Cards,
    diags: &mut Diagnostics,
) -> Counts {
    let todo = missing(media, cards, cache);
    let reused = media.jobs.len() - todo.len();
    if todo.is_empty() {
        return Counts { made: 0, reused };
    }
    if let Err(e) = std::fs::create_dir_all(&cache.dir) {
        diags.push(Diagnostic::error(
            format!("cannot create {}: {e}", cache.dir.display()),
            format!("无法创建 {}：{e}", cache.dir.display()),
        ));
        return Counts::default();
    }
    // Pictures another site sharing the cache made meanwhile (a portal's branches).
    let made_elsewhere = AtomicUsize::new(0);
    let errors = each_with_progress(&todo, |job| {
        let card = cards.get(&job.rel).map(|path| file_name(path));
        let first = media.pictures[&job.rel]
            .files()
            .next()
            .map(|f| file_name(f))
            .unwrap_or_default();
        let done = || !missing_outputs(media, cards, cache, job);
        claimed(&first, done, || {
            process_one(job, cache, settings, card.as_deref())
        })
        .map(|made| {
            if made.is_none() {
                made_elsewhere.fetch_add(1, Ordering::Relaxed);
            }
        })
        .map_err(|reason| unprocessable(job, &reason))
    });
    let elsewhere = made_elsewhere.into_inner();
    diags.extend(errors);
    Counts {
        made: todo.len() - elsewhere,
        reused: reused + elsewhere,
    }
}

/// For `check`: decodes in full every image the cache does not hold, so a broken file
/// is found without encoding anything. (An image with outputs in the cache decoded
/// before: its name holds the hash of its bytes.)
fn verify(media: &Media, cache: &DiskCache, diags: &mut Diagnostics) -> Counts {
    let todo = missing(media, &cards::Cards::new(), cache);
    let reused = media.jobs.len() - todo.len();
    let errors = each_with_progress(&todo, |job| {
        let bytes = source_bytes(job, cache).map_err(|e| unprocessable(job, &e))?;
        decode(&bytes, (u32::MAX, u32::MAX))
            .map(|_| ())
            .map_err(|reason| unprocessable(job, &reason))
    });
    diags.extend(errors);
    Counts {
        made: todo.len(),
        reused,
    }
}

/// Runs `work` on each job in parallel with a progress bar; returns the errors.
fn each_with_progress(
    todo: &[&ImageJob],
    work: impl Fn(&ImageJob) -> Result<(), Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    let bar = progress_bar(todo.len(), "images");
    let done = AtomicUsize::new(0);
    let errors: Vec<Diagnostic> = todo
        .par_iter()
        .filter_map(|job| {
            let r = work(job).err();
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
    errors
}

fn unprocessable(job: &ImageJob, reason: &str) -> Diagnostic {
    Diagnostic::error(
        format!("cannot process image {}: {reason}", job.rel),
        format!("无法处理图片 {}：{reason}", job.rel),
    )
    .file(job.rel.clone())
    .hint(
        "the file may be damaged: open it in an image viewer and save it again",
        "文件可能已损坏：请用看图软件打开后重新保存",
    )
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

/// Removes the files of `dir` named by a content hash (`HASH16.jpg`) that no source of
/// the site (content hashes `keep`) has any more: HEIC conversions, video frames.
fn prune_by_hash(dir: &std::path::Path, keep: &HashSet<&str>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let ours = name.len() == 20 && name.ends_with(".jpg");
        if ours && !keep.contains(&name[..16]) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The bytes of the job's image: for a HEIC photo its JPEG conversion, found by the
/// content hash planning already took.
fn source_bytes(job: &ImageJob, cache: &DiskCache) -> Result<Vec<u8>, String> {
    let path = if video::is_video(&job.source) {
        video::poster(&job.source, &job.source_hash, cache_root(cache))?
    } else if heic::is_heic(&job.source) {
        heic::converted(&job.source, &job.source_hash, cache_root(cache))?
    } else {
        job.source.clone()
    };
    std::fs::read(path).map_err(|e| e.to_string())
}

/// `.zhanting-cache/`, the folder of the images' cache and of the HEIC conversions.
fn cache_root(cache: &DiskCache) -> &std::path::Path {
    cache.dir.parent().unwrap_or(&cache.dir)
}

/// Decodes (scaled down in the JPEG decoder when the largest output allows), orients,
/// resizes and encodes one image.
fn process_one(
    job: &ImageJob,
    cache: &DiskCache,
    settings: &Images,
    card: Option<&str>,
) -> Result<(), String> {
    let bytes = source_bytes(job, cache)?;
    let largest = job.widths.last().copied().ok_or("no output size")?;
    // A cover's link card needs 1,200 px of width even when the sizes need fewer.
    let need = match card {
        Some(_) => (largest.0.max(CARD_SIZE.0), largest.1.max(CARD_SIZE.1)),
        None => largest,
    };
    let img = decode(&bytes, need)?;
    // `strip_metadata: false`: the JPEG sizes keep the photo's EXIF (its orientation set
    // to upright, as the pixels now are).
    let exif = if settings.strip_metadata {
        None
    } else {
        exif_upright(&bytes)
    };
    if let Some(name) = card {
        let jpeg = cards::card(&img)?;
        cache.write(name, &jpeg).map_err(|e| e.to_string())?;
    }
    let webp = settings.formats.contains(&ImageFormat::Webp);
    // Largest first: a size at most half of the last one made is resized from it (with
    // the default widths, 480 px from 960 px instead of from the decoded photo: a
    // quarter of the pixels to read).
    let mut made: Option<image::DynamicImage> = None;
    for &(w, h) in job.widths.iter().rev() {
        let source = made.as_ref().filter(|m| m.width() >= 2 * w).unwrap_or(&img);
        let resized = resize(source, w, h)?;
        let base = format!("{}-{w}", job.key);
        let write = |ext: &str, bytes: &[u8]| {
            cache
                .write(&format!("{base}.{ext}"), bytes)
                .map_err(|e| e.to_string())
        };
        if job.alpha {
            let rgba = resized.to_rgba8();
            let mut png = Vec::new();
            image::DynamicImage::ImageRgba8(rgba.clone())
                .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
                .map_err(|e| e.to_string())?;
            write("png", &png)?;
            if webp {
                let data = encode_webp(
                    webp::Encoder::from_rgba(rgba.as_raw(), w, h),
                    settings.quality,
                )?;
                write("webp", &data)?;
            }
        } else {
            let rgb = resized.to_rgb8();
            let jpeg = match &exif {
                Some(exif) => encode_jpeg_with(&rgb, settings.quality, None, Some(exif))?,
                None => encode_jpeg(&rgb, settings.quality)?,
            };
            write("jpg", &jpeg)?;
            if webp {
                let data = encode_webp(
                    webp::Encoder::from_rgb(rgb.as_raw(), w, h),
                    settings.quality,
                )?;
                write("webp", &data)?;
            }
        }
        made = Some(resized);
    }
    Ok(())
}

/// A JPEG as is, less its metadata (EXIF with GPS, XMP, IPTC, comments), when it can be
/// printed unchanged: upright (no EXIF rotation) and RGB or gray (not CMYK). Segments are
/// copied, never decoded, so the picture is bit for bit the photographer's; an RGB JPEG
/// without a profile gets the sRGB one, so the PDF never holds untagged colours.
pub fn jpeg_without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
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
    let (segments, scan) = jpeg_segments(bytes)?;
    let is_frame = |m: u8| (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC);
    // A frame header (SOF0–15 but DHT, JPG, DAC) with other than 1 or 3 components:
    // CMYK or YCCK, which is converted to RGB instead.
    let components = segments
        .iter()
        .find(|(m, _)| is_frame(*m))
        .and_then(|(_, s)| s.get(9).copied())?;
    if !matches!(components, 1 | 3) {
        return None;
    }
    let tagged = segments
        .iter()
        .any(|(m, s)| *m == 0xE2 && s.get(4..16) == Some(b"ICC_PROFILE\0"));
    // An RGB JPEG without a profile holds sRGB numbers: in print it says so, with the
    // profile after the application segments at the file's start.
    let profile_at = (!tagged && components == 3)
        .then(|| {
            segments
                .iter()
                .position(|(m, _)| !(0xE0..=0xEF).contains(m))
        })
        .flatten();
    let mut out = vec![0xFF, 0xD8];
    for (i, (marker, segment)) in segments.iter().enumerate() {
        if profile_at == Some(i) {
            out.extend_from_slice(&icc_segment(colour::srgb_icc())?);
        }
        // APP1 (EXIF, XMP), APP13 (IPTC, Photoshop) and comments go; JFIF, the ICC
        // profile (APP2) and Adobe's colour transform (APP14) stay.
        if !matches!(marker, 0xE1 | 0xED | 0xFE) {
            out.extend_from_slice(segment);
        }
    }
    out.extend_from_slice(scan);
    Some(out)
}

/// The EXIF segment (APP1 payload) of a JPEG with its orientation set to 1 (upright);
/// `None` without EXIF.
pub fn exif_upright(bytes: &[u8]) -> Option<Vec<u8>> {
    let (segments, _) = jpeg_segments(bytes)?;
    let (_, segment) = segments
        .iter()
        .find(|(m, s)| *m == 0xE1 && s.get(4..10) == Some(b"Exif\0\0"))?;
    let mut payload = segment.get(4..)?.to_vec();
    let tiff = 6;
    let big = match payload.get(tiff..tiff + 2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |p: &[u8], at: usize| {
        let b = [*p.get(at)?, *p.get(at + 1)?];
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |p: &[u8], at: usize| {
        let b = [
            *p.get(at)?,
            *p.get(at + 1)?,
            *p.get(at + 2)?,
            *p.get(at + 3)?,
        ];
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let ifd0 = tiff + u32_at(&payload, tiff + 4)? as usize;
    let entries = u16_at(&payload, ifd0)? as usize;
    for i in 0..entries {
        let entry = ifd0 + 2 + i * 12;
        // Orientation: tag 0x0112, one SHORT, its value in the entry itself.
        if u16_at(&payload, entry)? == 0x0112 {
            let one = if big { [0, 1] } else { [1, 0] };
            payload
                .get_mut(entry + 8..entry + 10)?
                .copy_from_slice(&one);
        }
    }
    Some(payload)
}

/// A JPEG less its APP1 segments (EXIF and XMP), every other byte as it was.
pub fn without_exif(bytes: &[u8]) -> Option<Vec<u8>> {
    let (segments, scan) = jpeg_segments(bytes)?;
    let mut out = vec![0xFF, 0xD8];
    for (marker, segment) in segments {
        if marker != 0xE1 {
            out.extend_from_slice(segment);
        }
    }
    out.extend_from_slice(scan);
    Some(out)
}

/// A JPEG marker and its segment's bytes, marker included.
type Segment<'a> = (u8, &'a [u8]);

/// The marker segments of a JPEG up to and including its start of scan (SOS), each with
/// its marker and bytes (marker included), and the image data after them.
fn jpeg_segments(bytes: &[u8]) -> Option<(Vec<Segment<'_>>, &[u8])> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut segments = Vec::new();
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
        segments.push((marker, bytes.get(at..end)?));
        if marker == 0xDA {
            return Some((segments, bytes.get(end..)?));
        }
        at = end;
    }
}

/// An APP2 segment carrying the ICC profile `icc` whole (profiles over 64 KB: `None`).
fn icc_segment(icc: &[u8]) -> Option<Vec<u8>> {
    let len = u16::try_from(2 + 14 + icc.len()).ok()?;
    let mut seg = vec![0xFF, 0xE2];
    seg.extend_from_slice(&len.to_be_bytes());
    seg.extend_from_slice(b"ICC_PROFILE\0");
    seg.extend_from_slice(&[1, 1]);
    seg.extend_from_slice(icc);
    Some(seg)
}

/// Baseline JPEG at `quality` (jpeg-encoder), with no profile: sRGB, as browsers take it.
pub(crate) fn encode_jpeg(rgb: &image::RgbImage, quality: u8) -> Result<Vec<u8>, String> {
    encode_jpeg_with(rgb, quality, None, None)
}

/// A JPEG for print: its numbers are sRGB and it says so with an embedded sRGB profile,
/// so a PDF never holds untagged colours.
pub(crate) fn encode_jpeg_srgb(rgb: &image::RgbImage, quality: u8) -> Result<Vec<u8>, String> {
    encode_jpeg_with(rgb, quality, Some(colour::srgb_icc()), None)
}

/// A JPEG with, optionally, an ICC profile and an APP1 segment (EXIF: `Exif\0\0` and
/// its TIFF data).
fn encode_jpeg_with(
    rgb: &image::RgbImage,
    quality: u8,
    icc: Option<&[u8]>,
    app1: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, quality);
    if let Some(app1) = app1 {
        encoder
            .add_app_segment(1, app1)
            .map_err(|e| e.to_string())?;
    }
    if let Some(icc) = icc.filter(|i| !i.is_empty()) {
        encoder.add_icc_profile(icc).map_err(|e| e.to_string())?;
    }
    encoder
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

/// Decodes an image upright. A JPEG is decoded at 1/2, 1/4 or 1/8 scale in the DCT when
/// that still gives `need.0` pixels of width; CMYK and YCCK JPEGs become RGB.
pub fn decode(bytes: &[u8], need: (u32, u32)) -> Result<image::DynamicImage, String> {
    let format = image::guess_format(bytes).map_err(|e| e.to_string())?;
    let (orientation, icc) = {
        use image::ImageDecoder;
        let mut d = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?
            .into_decoder()
            .map_err(|e| e.to_string())?;
        let orientation = d
            .orientation()
            .unwrap_or(image::metadata::Orientation::NoTransforms);
        (orientation, d.icc_profile().ok().flatten())
    };
    use image::metadata::Orientation::*;
    let rotated = matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    );
    // The decoder's frame is the stored one: before rotation.
    let (need_w, need_h) = if rotated { (need.1, need.0) } else { need };
    let mut img = if format == image::ImageFormat::Jpeg {
        decode_jpeg(bytes, need_w, need_h, icc.as_deref())?
    } else {
        image::load_from_memory_with_format(bytes, format).map_err(|e| e.to_string())?
    };
    // Colours from the embedded profile to sRGB, before any resizing (CMYK JPEGs were
    // converted through theirs while decoding).
    if let Some(icc) = &icc {
        if matches!(
            img,
            image::DynamicImage::ImageRgb8(_)
                | image::DynamicImage::ImageRgba8(_)
                | image::DynamicImage::ImageRgb16(_)
                | image::DynamicImage::ImageRgba16(_)
        ) {
            img = colour::to_srgb(img, icc);
        }
    }
    img.apply_orientation(orientation);
    Ok(img)
}

fn decode_jpeg(
    bytes: &[u8],
    need_w: u32,
    need_h: u32,
    icc: Option<&[u8]>,
) -> Result<image::DynamicImage, String> {
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
            // inverted storage already undone: through the file's CMYK profile when it
            // has one, else by the naive formula.
            let profiled = icc.and_then(|icc| colour::cmyk_to_srgb(&pixels, icc));
            let rgb: Vec<u8> = profiled.unwrap_or_else(|| {
                pixels
                    .chunks_exact(4)
                    .flat_map(|p| {
                        let white = 255 - p[3] as u32;
                        let ch = |v: u8| ((255 - v as u32) * white / 255) as u8;
                        [ch(p[0]), ch(p[1]), ch(p[2])]
                    })
                    .collect()
            });
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

    /// A print JPEG says what its colours are: an untagged RGB JPEG gets the sRGB
    /// profile, a tagged one keeps its own, a gray one gets none; EXIF goes.
    #[test]
    fn print_jpegs_are_tagged_srgb_when_untagged() {
        let icc_count = |j: &[u8]| j.windows(12).filter(|w| w == b"ICC_PROFILE\0").count();
        let rgb = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 30, 30]));
        let plain = encode_jpeg_with(&rgb, 90, None, Some(b"Exif\0\0MM\0*\0\0\0\x08\0\0")).unwrap();
        let printed = jpeg_without_metadata(&plain).unwrap();
        assert_eq!(icc_count(&printed), 1);
        assert!(printed.windows(6).all(|w| w != b"Exif\0\0"), "EXIF removed");
        let decoded = decode(&printed, (8, 8))
            .unwrap()
            .to_rgb8()
            .get_pixel(4, 4)
            .0;
        assert!(decoded[0] > 180 && decoded[1] < 60, "{decoded:?}");
        let adobe = moxcms::ColorProfile::new_adobe_rgb().encode().unwrap();
        let tagged = encode_jpeg_with(&rgb, 90, Some(&adobe), None).unwrap();
        let printed = jpeg_without_metadata(&tagged).unwrap();
        assert_eq!(icc_count(&printed), 1);
        assert!(
            printed.windows(adobe.len()).any(|w| w == adobe.as_slice()),
            "its own"
        );
        let gray = image::GrayImage::from_pixel(8, 8, image::Luma([128]));
        let mut g = Vec::new();
        jpeg_encoder::Encoder::new(&mut g, 90)
            .encode(gray.as_raw(), 8, 8, jpeg_encoder::ColorType::Luma)
            .unwrap();
        assert_eq!(icc_count(&jpeg_without_metadata(&g).unwrap()), 0);
    }

    /// A CMYK JPEG with a profile converts through it: Ghostscript's default CMYK profile
    /// (Debian's libgs-common, which .ci/run installs). Expected: Little CMS 2.19 through
    /// Pillow, `ImageCms.profileToProfile(img, default_cmyk.icc, sRGB, renderingIntent=1,
    /// outputMode="RGB")` of the ink (0, 200, 200, 20); the naive formula gives (235, 50, 50).
    #[test]
    fn cmyk_jpeg_converts_through_its_profile() {
        let path = "/usr/share/color/icc/ghostscript/default_cmyk.icc";
        let Ok(icc) = std::fs::read(path) else {
            assert!(std::env::var_os("CI").is_none(), "CI must have {path}");
            eprintln!("SKIPPED: no {path} (apt-get install -y libgs-common)");
            return;
        };
        let ink: Vec<u8> = [0u8, 200, 200, 20].repeat(16 * 16);
        let mut jpeg = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 100);
        encoder.add_icc_profile(&icc).unwrap();
        encoder
            .encode(&ink, 16, 16, jpeg_encoder::ColorType::Cmyk)
            .unwrap();
        let got = decode(&jpeg, (16, 16)).unwrap().to_rgb8().get_pixel(8, 8).0;
        assert!(
            got.iter()
                .zip([224, 95, 74])
                .all(|(a, b)| a.abs_diff(b) <= 3),
            "{got:?}"
        );
    }
}
