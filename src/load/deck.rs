//! `deck.yaml`: which slides the 展评 deck shows, in which order, with free Markdown
//! slides and speaker notes. Slide types are an enum tagged by `type`, each with only
//! its own keys, and each slide is parsed on its own, so every mistake of the file is
//! reported in one run. Without the file the deck is the default one: every slide the
//! site has the facts for.

use super::read_text;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::markdown::tree;
use crate::model::documents::{Deck, Slide, SlideKind, DECK_FILE};
use crate::model::Site;
use crate::yaml::{self, Checked};
use serde::Deserialize;

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckFile {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    slides: Option<Vec<Checked<SlideFile>>>,
}

/// One slide as written: `type` picks the variant, and only its keys are allowed.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum SlideFile {
    Cover {
        #[serde(default)]
        notes: Option<String>,
    },
    Meaning {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        notes: Option<String>,
    },
    /// Every pillar, one slide each.
    Pillars,
    Pillar {
        pillar: String,
        #[serde(default)]
        notes: Option<String>,
    },
    Results {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        notes: Option<String>,
    },
    Milestones {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        notes: Option<String>,
    },
    Photos {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        albums: Option<Vec<String>>,
        #[serde(default)]
        notes: Option<String>,
    },
    Text {
        title: String,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        notes: Option<String>,
    },
    Closing {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        notes: Option<String>,
    },
}

/// The slide types, as `deck.yaml` names them.
pub const SLIDE_TYPES: [&str; 9] = [
    "cover",
    "meaning",
    "pillars",
    "pillar",
    "results",
    "milestones",
    "photos",
    "text",
    "closing",
];

/// The deck of the site: `deck.yaml`'s slides, or the default deck.
pub fn load(folder: &SiteFolder, site: &Site, diags: &mut Diagnostics) -> Deck {
    if !folder.is_file(DECK_FILE) {
        return default_deck(site);
    }
    let Some(src) = read_text(folder, DECK_FILE, diags) else {
        return Deck::default();
    };
    let file: DeckFile = match yaml::parse(DECK_FILE, &src, &src, 0) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return Deck::default();
        }
    };
    let Some(written) = file.slides else {
        return Deck {
            date: file.date,
            ..default_deck(site)
        };
    };
    let starts = yaml::item_lines(&src, "slides");
    let mut slides = Vec::new();
    for (i, s) in written.into_iter().enumerate() {
        let ctx = SlideCtx {
            site,
            src: &src,
            at: starts.get(i).copied(),
        };
        ctx.slides(s, &mut slides, diags);
    }
    if slides.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::error("deck.yaml lists no slides", "deck.yaml 没有列出任何幻灯片")
                .file(DECK_FILE)
                .at_opt(&src, yaml::find_key(&src, "slides", 1))
                .hint(
                    "list slides such as `- { type: cover }`, or remove `slides:` for the default deck",
                    "请列出幻灯片，例如 `- { type: cover }`；或删除 `slides:`，使用默认的幻灯片",
                ),
        );
    }
    Deck {
        yaml: src,
        from_file: true,
        date: file.date,
        slides,
    }
}

/// Every slide the site has the facts for: the cover, the meaning, each pillar, the
/// results, the milestones, a photo wall and the closing slide.
fn default_deck(site: &Site) -> Deck {
    let mut kinds = vec![SlideKind::Cover];
    if site.brand.as_ref().is_some_and(has_meaning) {
        kinds.push(SlideKind::Meaning);
    }
    let pillars = site.brand.as_ref().map_or(0, |b| b.pillars.len());
    kinds.extend((0..pillars).map(SlideKind::Pillar));
    if !site.achievements.stats.is_empty() {
        kinds.push(SlideKind::Results);
    }
    if !site.achievements.milestones.is_empty() {
        kinds.push(SlideKind::Milestones);
    }
    let albums = albums_with_photos(site);
    if !albums.is_empty() {
        kinds.push(SlideKind::Photos(albums));
    }
    kinds.push(SlideKind::Closing);
    Deck {
        slides: kinds
            .into_iter()
            .map(|kind| Slide {
                kind,
                title: None,
                notes: None,
                at: None,
            })
            .collect(),
        ..Deck::default()
    }
}

fn has_meaning(b: &crate::model::Brand) -> bool {
    b.meaning_markdown
        .as_deref()
        .is_some_and(|m| !m.trim().is_empty())
}

/// The albums with photos, newest first (undated last).
fn albums_with_photos(site: &Site) -> Vec<usize> {
    let mut out: Vec<usize> = (0..site.albums.len())
        .filter(|&i| !site.albums[i].photos.is_empty())
        .collect();
    out.sort_by(|&a, &b| site.albums[b].date.cmp(&site.albums[a].date));
    out
}

/// One slide entry being resolved, with where it starts in the file.
struct SlideCtx<'a> {
    site: &'a Site,
    src: &'a str,
    at: Option<(usize, usize)>,
}

impl SlideCtx<'_> {
    /// Where `key` sits in this slide, else the slide's start.
    fn pos(&self, key: Option<&str>) -> Option<(usize, usize)> {
        let from = self.at.map_or(1, |a| a.0);
        key.and_then(|k| yaml::find_key(self.src, k, from))
            .or(self.at)
    }

    fn error(&self, en: String, zh: String, key: Option<&str>) -> Diagnostic {
        Diagnostic::error(en, zh)
            .file(DECK_FILE)
            .at_opt(self.src, self.pos(key))
    }

    /// The slides of one entry (`pillars` makes one per pillar) into `out`.
    fn slides(&self, s: Checked<SlideFile>, out: &mut Vec<Slide>, diags: &mut Diagnostics) {
        let s = match s {
            Checked::Ok(s) => s,
            Checked::Bad { error, .. } => {
                diags.push(self.schema_error(&error));
                return;
            }
        };
        let slide = |kind, title, notes| Slide {
            kind,
            title,
            notes,
            at: self.at,
        };
        let brand = self.site.brand.as_ref();
        let achievements = &self.site.achievements;
        let missing = |what: &str| match what {
            "meaning" => brand.is_none_or(|b| !has_meaning(b)),
            "pillars" => brand.is_none_or(|b| b.pillars.is_empty()),
            "results" => achievements.stats.is_empty(),
            "milestones" => achievements.milestones.is_empty(),
            _ => false,
        };
        let made = match s {
            SlideFile::Cover { notes } => slide(SlideKind::Cover, None, notes),
            SlideFile::Meaning { title, notes } if !missing("meaning") => {
                slide(SlideKind::Meaning, title, notes)
            }
            SlideFile::Pillars if !missing("pillars") => {
                let n = brand.map_or(0, |b| b.pillars.len());
                out.extend((0..n).map(|i| slide(SlideKind::Pillar(i), None, None)));
                return;
            }
            SlideFile::Pillar { pillar, notes } => {
                let Some(i) = self.pillar(&pillar, diags) else {
                    return;
                };
                slide(SlideKind::Pillar(i), None, notes)
            }
            SlideFile::Results { title, notes } if !missing("results") => {
                slide(SlideKind::Results, title, notes)
            }
            SlideFile::Milestones { title, notes } if !missing("milestones") => {
                slide(SlideKind::Milestones, title, notes)
            }
            SlideFile::Photos {
                title,
                albums,
                notes,
            } => {
                let Some(albums) = self.albums(albums, diags) else {
                    return;
                };
                slide(SlideKind::Photos(albums), title, notes)
            }
            SlideFile::Text { title, body, notes } => {
                let Some(kind) = self.text(body.unwrap_or_default(), diags) else {
                    return;
                };
                slide(kind, Some(title), notes)
            }
            SlideFile::Closing { title, notes } => slide(SlideKind::Closing, title, notes),
            SlideFile::Meaning { .. } => return diags.push(self.no_facts("meaning")),
            SlideFile::Pillars => return diags.push(self.no_facts("pillars")),
            SlideFile::Results { .. } => return diags.push(self.no_facts("results")),
            SlideFile::Milestones { .. } => return diags.push(self.no_facts("milestones")),
        };
        out.push(made);
    }

    /// A slide of a kind the site has no facts for.
    fn no_facts(&self, kind: &str) -> Diagnostic {
        let (en, zh) = match kind {
            "meaning" => (
                "the brand's `meaning` in brand.yaml",
                "brand.yaml 中品牌的 `meaning`（内涵）",
            ),
            "pillars" => (
                "`pillars` in brand.yaml",
                "brand.yaml 中的 `pillars`（载体）",
            ),
            "results" => (
                "`stats` in achievements.yaml",
                "achievements.yaml 中的 `stats`（统计数据）",
            ),
            _ => (
                "`milestones` in achievements.yaml",
                "achievements.yaml 中的 `milestones`（大事记）",
            ),
        };
        self.error(
            format!("a `{kind}` slide needs {en}, which the site does not have"),
            format!("`{kind}` 幻灯片需要 {zh}，但站点中没有"),
            Some("type"),
        )
        .hint(
            format!("write {en}, or remove this slide"),
            format!("请补写 {zh}，或删除这张幻灯片"),
        )
        .follows_from(if zh.starts_with("brand.yaml") {
            crate::load::brand::BRAND_FILE
        } else {
            crate::load::brand::ACHIEVEMENTS_FILE
        })
    }

    /// A slide that does not fit the schema: an unknown type, a key its type does not
    /// take, a value of the wrong kind.
    fn schema_error(&self, error: &str) -> Diagnostic {
        let what = ("slide", "幻灯片");
        yaml::item_error(DECK_FILE, self.src, self.at, error, what, &SLIDE_TYPES)
    }

    /// The pillar named `name` (its name or key).
    fn pillar(&self, name: &str, diags: &mut Diagnostics) -> Option<usize> {
        let pillars = self
            .site
            .brand
            .as_ref()
            .map(|b| &b.pillars[..])
            .unwrap_or(&[]);
        let found = pillars.iter().position(|p| p.name == name || p.key == name);
        if found.is_none() {
            let known: Vec<&str> = pillars.iter().map(|p| p.name.as_str()).collect();
            diags.push(
                self.error(
                    format!("there is no pillar `{name}` in brand.yaml"),
                    format!("brand.yaml 中没有名为 `{name}` 的载体"),
                    Some("pillar"),
                )
                .hint(
                    format!("pillars of the brand: {}", known.join(", ")),
                    format!("品牌的载体：{}", known.join("、")),
                ),
            );
        }
        found
    }

    /// The albums a photo wall shows: those named, or every album with photos.
    fn albums(&self, names: Option<Vec<String>>, diags: &mut Diagnostics) -> Option<Vec<usize>> {
        let albums = &self.site.albums;
        let Some(names) = names else {
            let all = albums_with_photos(self.site);
            if all.is_empty() {
                diags.push(
                    self.error(
                        "a `photos` slide needs an album with photos, and the site has none".into(),
                        "`photos` 幻灯片需要含有照片的相册，但站点中没有".into(),
                        Some("type"),
                    )
                    .hint(
                        "add photos under albums/NAME/, or remove this slide",
                        "请在 albums/相册名/ 下添加照片，或删除这张幻灯片",
                    ),
                );
                return None;
            }
            return Some(all);
        };
        let mut out = Vec::new();
        for name in &names {
            match albums.iter().position(|a| &a.name == name) {
                Some(i) => out.push(i),
                None => {
                    let known: Vec<&str> = albums.iter().map(|a| a.name.as_str()).collect();
                    diags.push(
                        Diagnostic::error(
                            format!("there is no album `{name}` under albums/"),
                            format!("albums/ 下没有名为 `{name}` 的相册"),
                        )
                        .file(DECK_FILE)
                        .at_opt(
                            self.src,
                            yaml::find_text_from(self.src, name, self.at.map_or(1, |a| a.0)),
                        )
                        .hint(
                            format!("albums of the site: {}", known.join(", ")),
                            format!("站点的相册：{}", known.join("、")),
                        ),
                    );
                }
            }
        }
        (out.len() == names.len()).then_some(out)
    }

    /// A free slide's Markdown as a tree (no images, tables, HTML or footnotes).
    fn text(&self, body: String, diags: &mut Diagnostics) -> Option<SlideKind> {
        match tree::to_tree(&body) {
            Ok(body) => {
                let mut text = String::new();
                tree::plain_text(&body, &mut text);
                Some(SlideKind::Text { body, text })
            }
            Err(u) => {
                diags.push(
                    self.error(
                        format!(
                            "a slide's text cannot hold {} (line {} of the text)",
                            u.what, u.line
                        ),
                        format!("幻灯片文字中不能使用 {}（文字第 {} 行）", u.what, u.line),
                        Some("body"),
                    )
                    .hint(
                        "use a `photos` slide for photos, and lists instead of tables",
                        "照片请用 `photos` 幻灯片展示，表格请改写为列表",
                    ),
                );
                None
            }
        }
    }
}

/// The problems serde finds in deck.yaml's text on its own, as `build` words them.
pub(crate) fn check_text(src: &str) -> Option<Diagnostic> {
    yaml::parse::<DeckFile>(DECK_FILE, src, src, 0).err()
}

/// The schema the loader reads DeckFile by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(DeckFile)
}
