//! The documents made from the same facts as the site: the 展评 deck (`deck.yaml`, or
//! the default deck) and the yearly 成果汇编 booklet (made from the dated pages, so it
//! needs nothing here but the site's choice to publish them).

/// The deck's file in the site folder.
pub const DECK_FILE: &str = "deck.yaml";

/// The slides of the 展评 deck, in order, each with its data resolved.
#[derive(Debug, Clone, Default)]
pub struct Deck {
    /// The text of `deck.yaml` (empty when the site has none), to point at a slide's line.
    pub yaml: String,
    /// Whether the site has a `deck.yaml`.
    pub from_file: bool,
    /// The cover's date as written in `deck.yaml` (`date:`); the build's month otherwise.
    pub date: Option<String>,
    pub slides: Vec<Slide>,
}

#[derive(Debug, Clone)]
pub struct Slide {
    pub kind: SlideKind,
    /// A heading other than the kind's own.
    pub title: Option<String>,
    /// Speaker notes (讲稿), plain text.
    pub notes: Option<String>,
    /// Line and column of the slide in `deck.yaml`.
    pub at: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SlideKind {
    /// Emblem, brand name, slogan, branch and date.
    Cover,
    /// The brand's meaning (内涵), with the emblem and what it means.
    Meaning,
    /// One pillar (载体), by index into the brand's pillars.
    Pillar(usize),
    /// The statistics, large, and the honours.
    Results,
    /// The milestones as a timeline.
    Milestones,
    /// A photo wall from these albums (indexes into `Site::albums`, newest first).
    Photos(Vec<usize>),
    /// A free slide: Markdown as a tree (see `markdown::tree`) and its plain text.
    Text {
        body: serde_json::Value,
        text: String,
    },
    /// Thanks, and the site's QR code.
    Closing,
}

impl SlideKind {
    /// The kind as `deck.yaml` names it.
    pub fn name(&self) -> &'static str {
        match self {
            SlideKind::Cover => "cover",
            SlideKind::Meaning => "meaning",
            SlideKind::Pillar(_) => "pillar",
            SlideKind::Results => "results",
            SlideKind::Milestones => "milestones",
            SlideKind::Photos(_) => "photos",
            SlideKind::Text { .. } => "text",
            SlideKind::Closing => "closing",
        }
    }
}

/// The years that have dated pages, oldest first: the booklets there can be.
pub fn booklet_years(site: &super::Site) -> Vec<i32> {
    let mut years: Vec<i32> = site
        .dated_pages()
        .filter_map(|p| p.date.map(|d| d.year()))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// A document the site publishes under `/downloads/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Hash)]
pub struct Download {
    /// `/downloads/deck.pdf`.
    pub path: String,
    /// What it is, for the link (品牌展评演示文稿).
    pub title: String,
    /// Its format, beside the link: `PDF · 16:9`, `PDF · A4`.
    pub kind: String,
}

/// The documents the site publishes: the deck and the latest year's booklet, unless
/// site.yaml says `documents: false`.
pub fn published(site: &super::Site) -> Vec<Download> {
    if !site.config.documents {
        return Vec::new();
    }
    let brand = site.brand.as_ref().map(|b| format!("「{}」", b.name));
    let mut out = vec![Download {
        path: crate::urls::routes::deck(),
        title: format!("{}党建品牌展评演示文稿", brand.clone().unwrap_or_default()),
        kind: "PDF · 16:9".into(),
    }];
    if let Some(&year) = booklet_years(site).last() {
        out.push(Download {
            path: crate::urls::routes::booklet(year),
            title: format!("{year}年{}党建品牌成果汇编", brand.unwrap_or_default()),
            kind: "PDF · A4".into(),
        });
    }
    out
}
