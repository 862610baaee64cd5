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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum BoardTheme {
    /// Party red and gold.
    Red,
    Blue,
    /// site.yaml's theme colours.
    Site,
}

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
        let (w, h) = self.size;
        (PREVIEW_WIDTH, (PREVIEW_WIDTH as f64 * h / w).round() as u32)
    }

    /// Every photo the board shows, in the order of its blocks.
    pub fn photos(&self) -> impl Iterator<Item = &BoardPhoto> {
        self.blocks.iter().flat_map(|b| match &b.content {
            BlockContent::Photos { photos, .. } => photos.as_slice(),
            _ => &[],
        })
    }
}
