//! Planning the pictures: each image's header is read (size, orientation, transparency)
//! and its source hashed, which decides every published size and file name before
//! anything is decoded. The image pipeline (`images`) then makes the files.

use crate::cache::SourceHashes;
use crate::config::{ImageFormat, Images};
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{ImageJob, Media, Picture, Variant};
use rayon::prelude::*;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bump when the processing changes, so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 2;

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
        let probe = if crate::images::heic::is_heic(&path) {
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
            probe(&path).map_err(bad)?
        };
        let key =
            blake3::hash(format!("{source_hash}-{}", settings_key(&self.settings)).as_bytes())
                .to_hex()[..16]
                .to_string();
        let widths: Vec<(u32, u32)> = widths_for(probe.width, &self.settings.widths)
            .into_iter()
            .map(|w| (w, scaled_height(&probe, w)))
            .collect();
        let fallback_ext = if probe.alpha { "png" } else { "jpg" };
        let webp = self.settings.formats.contains(&ImageFormat::Webp);
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

impl crate::markdown::Pictures for Planner {
    fn picture(&self, source: &str) -> Result<Picture, Diagnostic> {
        self.describe(source).map(|(p, _)| p)
    }
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
    // JPEG, PNG, WebP and HEIF containers alike.
    let file = std::fs::File::open(path).ok()?;
    let exif = exif::Reader::new()
        .read_from_container(&mut BufReader::new(file))
        .ok()?;
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

    #[test]
    fn widths_are_never_upscaled() {
        assert_eq!(widths_for(1200, &[480, 960, 1600]), vec![480, 960, 1200]);
        assert_eq!(widths_for(4000, &[480, 960, 1600]), vec![480, 960, 1600]);
        assert_eq!(widths_for(300, &[480, 960, 1600]), vec![300]);
        assert_eq!(widths_for(960, &[480, 960, 1600]), vec![480, 960]);
    }
}
