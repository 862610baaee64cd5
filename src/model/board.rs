//! Exhibition boards (`boards/SLUG.yaml`) with every block's data resolved from the brand,
//! achievements and albums it names, so the boards and the site never disagree.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone)]
pub struct Board {
    /// Site-relative source path (`boards/wuwei.yaml`).
    pub source: String,
    /// The YAML text, to point at a block's line from later stages.
    pub yaml: String,
    pub slug: String,
    /// `/boards/SLUG/`.
    pub path: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Trim size in millimetres (width, height).
    pub size: (f64, f64),
    /// Millimetres.
    pub bleed: f64,
    pub series: Option<Series>,
    /// A layout of the theme's or the site's `boards/*.typ`.
    pub layout: String,
    pub theme: BoardTheme,
    pub marks: bool,
    pub blocks: Vec<Block>,
    /// How the print shop makes it, with the geometry that follows from it.
    pub process: Process,
    /// Millimetres at every edge that stay free of text, QR code and faces (a banner's
    /// hem or grommets).
    pub safe: f64,
    /// Millimetres at the foot that disappear into a roll-up's stand: printed, but
    /// carrying only the background. The trim is `size.1 + hidden` high.
    pub hidden: f64,
    /// From how far the board is read, in metres: sets the smallest legible text and
    /// the smallest QR code.
    pub viewing_distance: f64,
    /// Photos printed under this many dots per inch get a warning.
    pub dpi_warning: u32,
    pub qr: Option<BoardQr>,
}

pub use crate::config::Process;

/// The QR code a board carries back to the web.
#[derive(Debug, Clone, Serialize)]
pub struct BoardQr {
    /// The public address it encodes.
    pub url: String,
    /// The words beside it (扫码看更多).
    pub label: String,
    /// Its side in millimetres, quiet zone included.
    pub size: f64,
    #[serde(skip)]
    /// The code of `url` (error correction M, the best mask), made when the board is
    /// read, which is where an address too long to encode is found.
    pub code: crate::qr::Qr,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum BoardTheme {
    /// Party red and gold.
    Red,
    Blue,
    /// site.yaml's theme colours.
    Site,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Width {
    #[default]
    Full,
    /// Two half blocks sit side by side.
    Half,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub name: String,
    pub number: u32,
    pub of: u32,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub title: Option<String>,
    pub width: Width,
    /// Where the block starts in the YAML (1-based line, column).
    pub at: Option<(usize, usize)>,
    pub content: BlockContent,
    /// All text the block shows, title first, for the glyph check, the web page and
    /// the search index.
    pub text: String,
}

/// What a block shows, by type.
#[derive(Debug, Clone)]
pub enum BlockContent {
    /// Markdown as a tree of nodes (see `markdown::tree`), never Typst markup.
    Text {
        body: serde_json::Value,
    },
    Stats {
        items: Vec<StatItem>,
    },
    Photos {
        album: String,
        photos: Vec<BoardPhoto>,
    },
    Timeline {
        items: Vec<TimelineItem>,
    },
    Pillars {
        brand: String,
        items: Vec<PillarItem>,
    },
    Quote {
        text: String,
        source: Option<String>,
    },
}

impl BlockContent {
    /// The block's `type:` as written in the YAML.
    pub fn kind(&self) -> &'static str {
        match self {
            BlockContent::Text { .. } => "text",
            BlockContent::Stats { .. } => "stats",
            BlockContent::Photos { .. } => "photos",
            BlockContent::Timeline { .. } => "timeline",
            BlockContent::Pillars { .. } => "pillars",
            BlockContent::Quote { .. } => "quote",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatItem {
    pub label: String,
    pub value: String,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    /// As shown (`2021年7月`).
    pub date: String,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PillarItem {
    pub name: String,
    pub motto: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BoardPhoto {
    /// Site-relative source path.
    pub source: String,
    pub caption: Option<String>,
}

/// Width of a board's PNG preview in pixels.
pub const PREVIEW_WIDTH: u32 = 1600;

impl Board {
    /// Pixel size of the PNG preview: [`PREVIEW_WIDTH`] wide, the trim's aspect.
    pub fn preview_size(&self) -> (u32, u32) {
        let (w, h) = self.trim();
        (PREVIEW_WIDTH, (PREVIEW_WIDTH as f64 * h / w).round() as u32)
    }

    /// The trim size in mm: the visible size and a roll-up's hidden strip.
    pub fn trim(&self) -> (f64, f64) {
        (self.size.0, self.size.1 + self.hidden)
    }

    /// The smallest legible text at the viewing distance: about 1 pt per 0.1 m.
    pub fn min_text_pt(&self) -> f64 {
        self.viewing_distance * 10.0
    }

    /// The smallest QR code read from the viewing distance: a tenth of it, in mm.
    pub fn min_qr_mm(&self) -> f64 {
        self.viewing_distance * 100.0
    }

    /// Every photo the board shows, in the order of its blocks.
    pub fn photos(&self) -> impl Iterator<Item = &BoardPhoto> {
        self.blocks.iter().flat_map(|b| match &b.content {
            BlockContent::Photos { photos, .. } => photos.as_slice(),
            _ => &[],
        })
    }
}
