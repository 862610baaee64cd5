//! The site as plain data: what loading produces and rendering reads.
//!
//! Every path called `path` is a site path (`/news/qi-yi/`), not yet joined with the
//! base URL; [`crate::urls::Urls`] turns it into a link.

pub mod board;
pub mod cards;
pub mod date;
pub mod documents;
pub mod media;
pub mod screen;

use crate::config::SiteConfig;
pub use board::{
    Block, BlockContent, Board, BoardPhoto, BoardQr, BoardTheme, PillarItem, Process, Series,
    StatItem, TimelineItem, Width, PREVIEW_WIDTH,
};
pub use date::Date;
pub use media::{ImageJob, Media, Picture, Variant, Video};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A file referenced by the content that is published as is (covers, logos, images in
/// Markdown) until the image pipeline processes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Site-relative source path (`brand/logo.png`).
    pub source: String,
    /// Output site path (`/media/brand/logo.png`).
    pub path: String,
}

impl Asset {
    /// The asset of a site-relative source, published where [`crate::paths::published_path`]
    /// says.
    pub fn of(source: &str) -> Asset {
        Asset {
            source: source.to_string(),
            path: crate::paths::published_path(source),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Unique among the pages of a process: a page made again from changed sources
    /// gets a new one (`serve` keys what it shows of a page by it).
    pub id: u64,
    /// Site-relative source path (`content/news/qiyi.md`); shared, as the link table
    /// and the routes hold it too.
    pub source: std::sync::Arc<str>,
    /// Index into [`Site::sections`]; `None` for root pages such as `content/about.md`.
    pub section: Option<usize>,
    pub slug: String,
    pub path: std::sync::Arc<str>,
    pub title: String,
    pub date: Option<Date>,
    /// Plain text, never HTML.
    pub summary: String,
    pub tags: Vec<String>,
    /// The slug of each tag, same order: made once when loading.
    pub tag_slugs: Vec<String>,
    /// Index into the brand's pillars.
    pub pillar: Option<usize>,
    pub cover: Option<Asset>,
    /// The page's 微视频 (`video:` in its front matter), as written.
    pub video: Option<PageVideo>,
    /// Folder name of an album under `albums/`.
    pub album: Option<String>,
    pub draft: bool,
    pub weight: i64,
    pub template: Option<String>,
    /// The source file's whole text (shared with the loader's cache in `serve`), for
    /// what is made from the Markdown itself, such as the booklet.
    pub text: std::sync::Arc<str>,
    /// Where the Markdown body starts in `text`, after the front matter.
    pub body_start: usize,
    /// The rendered Markdown body, shared with the Markdown cache (`serve`).
    pub content: std::sync::Arc<str>,
    /// A fingerprint of `content`, so a view holding it is hashed without hashing it.
    pub content_key: u64,
}

impl Page {
    /// Its Markdown body, after the front matter.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }
}

/// A page's `video:` with its `poster:`, `captions:` and `duration:`, each resolved to a
/// site-relative file that exists; what the video is, is read when planning.
#[derive(Debug, Clone, PartialEq)]
pub struct PageVideo {
    pub source: String,
    pub poster: Option<String>,
    pub captions: Option<String>,
    /// Seconds, for a file whose container does not say.
    pub duration: Option<f64>,
    /// Where `video:` is written: line, column and that line, for the errors found when
    /// the file is read.
    pub at: (usize, usize, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortBy {
    Date,
    Weight,
    Title,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Site-relative folder (`content/news`).
    pub dir: String,
    /// Site-relative `_index.md`, when there is one.
    pub index_file: Option<String>,
    pub slug: String,
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub content: String,
    pub sort_by: SortBy,
    pub paginate_by: usize,
    pub weight: i64,
    pub template: Option<String>,
    /// Indexes into [`Site::pages`], in display order.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Brand {
    pub name: String,
    pub slogan: Option<String>,
    pub logo: Option<Asset>,
    pub logo_meaning: Option<String>,
    pub summary: Option<String>,
    /// HTML.
    pub meaning: String,
    /// The meaning's Markdown, for the deck.
    pub meaning_markdown: Option<String>,
    /// HTML.
    pub story: String,
    pub pillars: Vec<Pillar>,
}

#[derive(Debug, Clone)]
pub struct Pillar {
    pub name: String,
    pub key: String,
    pub path: String,
    pub motto: Option<String>,
    pub summary: Option<String>,
    /// HTML.
    pub body: String,
    pub cover: Option<Asset>,
    /// Indexes into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Achievements {
    pub stats: Vec<Stat>,
    pub honors: Vec<Honor>,
    /// Sorted by date, oldest first.
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone)]
pub struct Stat {
    pub label: String,
    pub value: String,
    pub unit: Option<String>,
    pub as_of: Option<Date>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Honor {
    pub title: String,
    pub year: Option<i32>,
    pub issuer: Option<String>,
    pub image: Option<Asset>,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub date: Date,
    pub title: String,
    /// HTML.
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Album {
    /// Folder name under `albums/`, the name pages use in `album:`.
    pub name: String,
    pub slug: String,
    pub title: String,
    pub date: Option<Date>,
    pub location: Option<String>,
    pub description: Option<String>,
    pub cover: Option<String>,
    pub photos: Vec<Photo>,
    /// Its videos (微视频), in the order album.yaml lists them, then by name.
    pub videos: Vec<Photo>,
}

impl Album {
    /// Site-relative source of the album's cover photo (`albums/NAME/FILE`).
    pub fn cover_source(&self) -> Option<String> {
        self.cover
            .as_ref()
            .map(|file| format!("albums/{}/{file}", self.name))
    }

    /// The photos with the cover first, the rest in order.
    pub fn cover_first(&self) -> Vec<&Photo> {
        let cover = self.cover_source();
        let mut photos: Vec<&Photo> = self.photos.iter().collect();
        photos.sort_by_key(|p| Some(&p.source) != cover.as_ref());
        photos
    }
}

#[derive(Debug, Clone)]
pub struct Photo {
    /// Site-relative source path.
    pub source: String,
    pub file: String,
    pub caption: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Indexes into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
}

/// A file copied to the output as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFile {
    /// Output path relative to the output folder, with `/` separators.
    pub output: String,
    pub source: PathBuf,
}

/// Everything the renderers need, loaded and checked.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    /// The folder whose `.zhanting-cache/images/` holds the processed pictures: the
    /// site folder, or a portal's, which its branches share (and which the portal
    /// prunes, not each branch).
    pub cache_root: PathBuf,
    pub config: SiteConfig,
    pub brand: Option<Brand>,
    pub achievements: Achievements,
    pub sections: Vec<Section>,
    /// Published pages (drafts only with `--drafts`), newest first; shared, so a page
    /// unchanged since the last load (`serve`) is the same page.
    pub pages: Vec<std::sync::Arc<Page>>,
    pub albums: Vec<Album>,
    /// In series order (`series.number`, then file name).
    pub boards: Vec<Board>,
    /// The 展评 deck's slides (`deck.yaml`, or the default deck).
    pub deck: documents::Deck,
    /// The 大屏 mode's slides (`screen.yaml`, or every kind the site has facts for).
    pub screen: screen::Screen,
    pub tags: Vec<Tag>,
    /// Files from the site's `static/`.
    pub static_files: Vec<CopiedFile>,
    /// Assets referenced by content: output site path → source.
    pub assets: BTreeMap<String, String>,
    /// The site's own `templates/` folder, if any.
    pub templates_dir: Option<PathBuf>,
    /// The Typst templates of boards, link cards and documents (the theme's
    /// `boards/*.typ` under the site's `templates/boards/`), read once per load.
    pub board_templates: std::sync::Arc<crate::theme::BoardTemplates>,
    /// Every picture the site shows, planned from the files' headers.
    pub media: Media,
}

impl Site {
    /// Site-relative paths of every image the site shows: album photos, then images
    /// referenced by pages, the brand, achievements and site.yaml (not those in static/).
    pub fn image_sources(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .albums
            .iter()
            .flat_map(|a| a.photos.iter().chain(&a.videos).map(|p| p.source.clone()))
            .collect();
        out.extend(
            self.assets
                .values()
                .filter(|s| crate::paths::is_image(s))
                .cloned(),
        );
        out.sort();
        out.dedup();
        out
    }
}

impl Site {
    /// Pages with a date, newest first.
    pub fn dated_pages(&self) -> impl Iterator<Item = &Page> {
        self.pages.iter().map(|p| &**p).filter(|p| p.date.is_some())
    }
}
