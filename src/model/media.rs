//! Pictures as the site shows them, planned from the files' headers before anything is
//! decoded: each picture's published sizes and file names, and the work the image
//! pipeline will do to make them.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Size of a link card (Open Graph image), in pixels.
pub const CARD_SIZE: (u32, u32) = (1200, 630);

/// The narrowest picture a link card is cropped from: narrower would be blurred.
pub const CARD_MIN_WIDTH: u32 = 600;

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

    /// Site path of the picture's link card (1200×630 JPEG, cropped from it for chat
    /// apps' link previews), when it is wide enough for one.
    pub fn card(&self) -> Option<String> {
        if self.width < CARD_MIN_WIDTH {
            return None;
        }
        let first = &self.variants.first()?.fallback;
        let (dir, name) = first.rsplit_once('/')?;
        let key = name.get(..16)?;
        Some(format!("{dir}/{key}-card.jpg"))
    }

    /// Every published file: site path of each variant's JPEG/PNG and WebP.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.variants
            .iter()
            .flat_map(|v| std::iter::once(&v.fallback).chain(v.webp.as_ref()))
    }
}

/// A video as the site shows it (微视频): its published file, named by its content hash,
/// what its container says, its poster and its captions. Never re-encoded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Hash)]
pub struct Video {
    /// Site-relative source path.
    pub source: String,
    /// Site path of the published copy (`/media/video/HASH.mp4`).
    pub path: String,
    /// `video/mp4` or `video/webm`.
    pub mime: &'static str,
    pub bytes: u64,
    /// `3:25`, when the container (or `duration:`) says.
    pub duration: Option<String>,
    /// `PT3M25S`.
    pub duration_iso: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `H.264`, `HEVC (H.265)`, `VP9` …
    pub codec: String,
    /// The `poster:` image, else a frame of the video (with ffmpeg); `None` shows the
    /// theme's placeholder.
    pub poster: Option<Picture>,
    /// Site path of the WebVTT captions: `captions:`, else a `.vtt` beside the video
    /// with the same name.
    pub captions: Option<String>,
    /// Site-relative source of the captions.
    #[serde(skip)]
    pub captions_source: Option<String>,
    /// The captions' words, for search.
    #[serde(skip)]
    pub captions_text: String,
    /// Whether every browser plays its codec.
    #[serde(skip)]
    pub plays_everywhere: bool,
    /// MP4: the index before the data (playback starts at once).
    #[serde(skip)]
    pub fast_start: Option<bool>,
}

/// The work of making one source image's variants.
#[derive(Debug, Clone)]
pub struct ImageJob {
    pub source: PathBuf,
    /// Site-relative source path.
    pub rel: String,
    /// Hash of the source bytes and every setting that shapes the outputs; the cache
    /// files are `KEY-WIDTH.EXT`.
    pub key: String,
    /// Hash of the source bytes alone (16 hex digits of BLAKE3).
    pub source_hash: String,
    pub alpha: bool,
    /// (width, height) of each variant, smallest first.
    pub widths: Vec<(u32, u32)>,
}

/// Every picture of a build, by site-relative source path, and the jobs that make them.
#[derive(Debug, Default, Clone)]
pub struct Media {
    pub pictures: BTreeMap<String, Picture>,
    /// The videos of albums and of Markdown bodies, by site-relative source path.
    pub videos: BTreeMap<String, Video>,
    /// Each page's `video:`, by the page's source path.
    pub page_videos: BTreeMap<String, Video>,
    pub jobs: Vec<ImageJob>,
    /// The designed link cards of pages without a photo.
    pub cards: super::cards::DesignedCards,
}

impl Media {
    /// The output files: site path without the leading `/`, and the cache file's name
    /// (the last segment, which holds the content hash).
    pub fn outputs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .pictures
            .values()
            .flat_map(Picture::files)
            .map(|path| {
                let name = path.rsplit('/').next().unwrap_or(path);
                (path.trim_start_matches('/').to_string(), name.to_string())
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
