//! The 展评 deck: the slides of `model::documents::Deck` as the template `deck.typ`'s
//! `sys.inputs`, laid out at 16:9 (338.67×190.5 mm). A slide whose text does not fit is
//! an error naming the slide, at its line of deck.yaml (or the file its facts come from).

use super::{Doc, Job, Made, Tools};
use crate::error::Diagnostic;
use crate::markdown::tree;
use crate::model::documents::{Slide, SlideKind, DECK_FILE};
use crate::model::Site;
use crate::typeset::Picture;
use serde_json::{json, Value};

/// The template, `boards/deck.typ`.
pub const LAYOUT: &str = "deck";
/// Photos on slides need no more pixels than a 4K screen shows of them.
const PHOTO_WIDTH: u32 = 1600;
const WALL_WIDTH: u32 = 900;
const EMBLEM_WIDTH: u32 = 800;
/// Photos on the photo wall.
const WALL: usize = 8;
/// The most statistics and milestones a slide shows (the first statistics, the latest
/// milestones): beyond, a slide would be a table, not a slide.
const RESULTS: usize = 12;
const MILESTONES: usize = 12;
/// Reports a pillar's slide lists.
const PILLAR_PAGES: usize = 3;

const WHAT: (&str, &str) = ("the deck", "展评演示文稿");

/// What laying out the deck reads: its slides, or (`notes`) the speaker's script.
pub fn job(site: &Site, public: Option<&str>, notes: bool) -> Job {
    let (inputs, pictures) = inputs(site, public, notes);
    Job {
        doc: if notes { Doc::DeckNotes } else { Doc::Deck },
        inputs,
        pictures,
        warnings: Vec::new(),
        // Messages about a slide point at its line of deck.yaml (in the key with the
        // site's other YAML files).
        sources: Vec::new(),
    }
}

/// Lays the deck of `job` out.
pub fn make(tools: &Tools, job: &Job) -> Result<Made, Vec<Diagnostic>> {
    let site = tools.site;
    let mut inputs = job.inputs.clone();
    // A character the built-in and site fonts lack: a system font's, else a warning.
    let parts = parts(site, &inputs);
    let chosen = tools.chain.choose(&crate::boards::fonts::text_of(&parts));
    let mut warnings = chosen.report(site, ("the deck", "演示文稿"), &parts);
    chosen.apply(&mut inputs);
    let tools = &Tools {
        fonts: chosen.store.clone(),
        ..tools.clone()
    };
    let pictures = super::pictures(site, &job.pictures, WHAT)?;
    let doc = super::compile(tools, LAYOUT, inputs, pictures, WHAT).map_err(|e| match e {
        Ok(part) => vec![too_long(site, &part)],
        Err(errors) => errors,
    })?;
    let ident = job.doc.file_name();
    let pdf = super::pdf(&doc, ident.trim_end_matches(".pdf"), WHAT);
    drop(doc);
    crate::boards::world::forget();
    let pdf = pdf?;
    warnings.extend(job.warnings.iter().cloned());
    Ok(Made {
        pdf: pdf.into(),
        warnings,
    })
}

/// The deck's text, part by part, for its fonts and for locating its characters: what
/// every slide shows (the site's and brand's names), then each slide.
fn parts(site: &Site, inputs: &Value) -> Vec<crate::boards::fonts::Part> {
    use crate::boards::fonts::Part;
    let frame: Vec<&Value> = inputs
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| *k != "slides")
        .map(|(_, v)| v)
        .collect();
    let mut parts = vec![Part {
        text: crate::boards::fonts::strings(&json!(frame)),
        what: ("the site's name".into(), "站点名称".into()),
        files: vec![
            crate::config::FILE.into(),
            crate::load::brand::BRAND_FILE.into(),
        ],
        at: None,
    }];
    let slides = inputs["slides"].as_array().into_iter().flatten();
    for (i, (v, s)) in slides.zip(&site.deck.slides).enumerate() {
        let (file, at) = place(site, s);
        parts.push(Part {
            text: crate::boards::fonts::strings(v),
            what: (format!("slide {}", i + 1), format!("第 {} 张幻灯片", i + 1)),
            files: vec![file.to_string()],
            at,
        });
    }
    parts
}

/// Where slide `slide` is written: its line of deck.yaml, or the file its facts come
/// from.
fn place(site: &Site, slide: &Slide) -> (&'static str, Option<(usize, usize)>) {
    if site.deck.from_file && slide.at.is_some() {
        return (DECK_FILE, slide.at);
    }
    let file = match slide.kind {
        SlideKind::Results | SlideKind::Milestones => crate::load::brand::ACHIEVEMENTS_FILE,
        _ => crate::load::brand::BRAND_FILE,
    };
    (file, None)
}

/// `d` at slide `slide`'s line of deck.yaml, or at the file its facts come from.
fn locate(site: &Site, slide: &Slide, d: Diagnostic) -> Diagnostic {
    match place(site, slide) {
        (DECK_FILE, at) => d.file(DECK_FILE).at_opt(&site.deck.yaml, at),
        (file, _) => d.file(file),
    }
}

/// The error for slide `part` (`slide N`) whose text does not fit.
fn too_long(site: &Site, part: &str) -> Diagnostic {
    let n: usize = part
        .trim_start_matches("slide ")
        .parse()
        .unwrap_or(1)
        .max(1);
    let deck = &site.deck;
    let Some(slide) = deck.slides.get(n - 1) else {
        return Diagnostic::error(
            format!("slide {n} of the deck does not fit"),
            format!("演示文稿第 {n} 张幻灯片内容放不下"),
        );
    };
    let name = heading(site, slide);
    let d = Diagnostic::error(
        format!(
            "slide {n} of the deck ({}, “{name}”) does not fit on the slide",
            slide.kind.name()
        ),
        format!(
            "演示文稿第 {n} 张幻灯片（{}，“{name}”）内容放不下",
            slide.kind.name()
        ),
    )
    .hint(
        "shorten its text: a slide holds a few short lines, the talk says the rest (put it in `notes`)",
        "请精简这张幻灯片的文字：幻灯片只放要点，其余内容放进讲稿（`notes`）口头讲述",
    );
    locate(site, slide, d)
}

/// The slide's heading: its own title, else its kind's.
fn heading(site: &Site, slide: &Slide) -> String {
    if let Some(t) = &slide.title {
        return t.clone();
    }
    let brand = site.brand.as_ref();
    match &slide.kind {
        SlideKind::Cover => brand.map_or_else(|| site.config.title.clone(), |b| b.name.clone()),
        SlideKind::Meaning => "品牌内涵".into(),
        SlideKind::Pillar(i) => brand
            .and_then(|b| b.pillars.get(*i))
            .map_or_else(String::new, |p| p.name.clone()),
        SlideKind::Results => "建设成效".into(),
        SlideKind::Milestones => "发展历程".into(),
        SlideKind::Photos(_) => "活动掠影".into(),
        SlideKind::Text { .. } => String::new(),
        SlideKind::Closing => "谢谢！".into(),
    }
}

/// The template's `sys.inputs` and the pictures it shows.
fn inputs(site: &Site, public: Option<&str>, notes: bool) -> (Value, Vec<Picture>) {
    let config = &site.config;
    let brand = site.brand.as_ref();
    let mut wanted: Vec<Picture> = Vec::new();
    let emblem = super::emblem(site).map(|source| {
        let path = "/pictures/emblem".to_string();
        wanted.push(Picture {
            path: path.clone(),
            source,
            width: EMBLEM_WIDTH,
        });
        path
    });
    let qr = public.and_then(crate::qr::Qr::print).map(|code| {
        let runs: Vec<[usize; 3]> = code.runs().into_iter().map(|(x, y, w)| [x, y, w]).collect();
        json!({ "side": code.side(), "runs": runs })
    });
    let slides: Vec<Value> = site
        .deck
        .slides
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut v = slide(site, s, &mut wanted);
            if let Value::Object(map) = &mut v {
                map.insert("type".into(), json!(s.kind.name()));
                map.insert("n".into(), json!(i + 1));
                map.insert("title".into(), json!(heading(site, s)));
                map.insert("notes".into(), json!(s.notes));
            }
            v
        })
        .collect();
    let inputs = json!({
        "mode": if notes { "notes" } else { "slides" },
        "site": {
            "title": config.title,
            "organization": config.organization,
            "brand": brand.map(|b| &b.name),
            "slogan": brand.and_then(|b| b.slogan.as_ref()),
        },
        "theme": { "primary": config.theme.primary, "accent": config.theme.accent },
        "fonts": crate::typeset::fonts(site),
        "emblem": emblem,
        "date": site.deck.date.clone().unwrap_or_else(this_month),
        "url": public,
        "qr": qr,
        "slides": slides,
    });
    (inputs, wanted)
}

/// This month, as a cover shows it: 2026年12月.
fn this_month() -> String {
    use chrono::Datelike;
    let now = chrono::Utc::now() + chrono::Duration::hours(8);
    format!("{}年{}月", now.year(), now.month())
}

/// One slide's own data.
fn slide(site: &Site, s: &Slide, wanted: &mut Vec<Picture>) -> Value {
    let brand = site.brand.as_ref();
    let achievements = &site.achievements;
    match &s.kind {
        SlideKind::Cover | SlideKind::Closing => json!({}),
        SlideKind::Meaning => {
            let md = brand
                .and_then(|b| b.meaning_markdown.as_deref())
                .unwrap_or("");
            let body = tree::to_tree(md).unwrap_or_else(|_| tree::to_document_tree(md));
            json!({
                "body": body,
                "emblem_meaning": brand.and_then(|b| b.logo_meaning.as_ref()),
            })
        }
        SlideKind::Pillar(i) => pillar(site, *i, wanted),
        SlideKind::Results => results(achievements),
        SlideKind::Milestones => milestones(achievements),
        SlideKind::Photos(albums) => {
            let photos: Vec<Value> = wall(site, albums)
                .into_iter()
                .enumerate()
                .map(|(k, (source, caption))| {
                    let path = format!("/pictures/wall-{k}");
                    wanted.push(Picture {
                        path: path.clone(),
                        source,
                        width: WALL_WIDTH,
                    });
                    json!({ "path": path, "caption": caption })
                })
                .collect();
            json!({ "photos": photos })
        }
        SlideKind::Text { body, .. } => json!({ "body": body }),
    }
}

/// A pillar's slide: its words, a photo, its latest reports.
fn pillar(site: &Site, i: usize, wanted: &mut Vec<Picture>) -> Value {
    let brand = site.brand.as_ref();
    let Some(p) = brand.and_then(|b| b.pillars.get(i)) else {
        return json!({});
    };
    let photo = pillar_photo(site, i).map(|source| {
        let path = format!("/pictures/pillar-{i}");
        wanted.push(Picture {
            path: path.clone(),
            source,
            width: PHOTO_WIDTH,
        });
        path
    });
    let pages: Vec<Value> = p
        .pages
        .iter()
        .take(PILLAR_PAGES)
        .map(|&k| {
            let page = &site.pages[k];
            json!({ "title": page.title, "date": page.date.map(|d| d.display()) })
        })
        .collect();
    json!({
        "name": p.name,
        "motto": p.motto,
        "summary": p.summary,
        "index": i + 1,
        "total": brand.map_or(0, |b| b.pillars.len()),
        "photo": photo,
        "pages": pages,
        "count": p.pages.len(),
    })
}

/// The results slide: the first stats, and the honours, newest first.
fn results(achievements: &crate::model::Achievements) -> Value {
    let items: Vec<Value> = achievements
        .stats
        .iter()
        .take(RESULTS)
        .map(|s| json!({ "label": s.label, "value": s.value, "unit": s.unit, "note": s.note }))
        .collect();
    let mut honors: Vec<&crate::model::Honor> = achievements.honors.iter().collect();
    honors.sort_by_key(|h| std::cmp::Reverse(h.year));
    let honors: Vec<Value> = honors
        .iter()
        .map(|h| json!({ "year": h.year, "title": h.title, "issuer": h.issuer }))
        .collect();
    json!({ "items": items, "honors": honors })
}

/// The milestones slide: the latest milestones, each with its text.
fn milestones(achievements: &crate::model::Achievements) -> Value {
    let skip = achievements.milestones.len().saturating_sub(MILESTONES);
    let items: Vec<Value> = achievements
        .milestones
        .iter()
        .skip(skip)
        .map(|m| {
            let mut text = String::new();
            crate::markdown::html_to_text(&m.body, &mut text);
            use chrono::Datelike;
            let (year, month) = (m.date.at.year(), m.date.at.month());
            json!({ "year": year, "month": month, "title": m.title, "text": text.trim() })
        })
        .collect();
    json!({ "items": items })
}

/// The photo of pillar `i`: its cover, else the cover of its newest report that has one,
/// else the first photo of an album its reports link.
fn pillar_photo(site: &Site, i: usize) -> Option<String> {
    let p = site.brand.as_ref()?.pillars.get(i)?;
    if let Some(c) = &p.cover {
        return Some(c.source.clone());
    }
    let pages = || p.pages.iter().map(|&k| &site.pages[k]);
    if let Some(c) = pages().find_map(|page| page.cover.as_ref()) {
        return Some(c.source.clone());
    }
    pages().find_map(|page| {
        let album = site
            .albums
            .iter()
            .find(|a| Some(&a.name) == page.album.as_ref())?;
        album
            .cover_source()
            .or_else(|| album.photos.first().map(|ph| ph.source.clone()))
    })
}

/// Up to [`WALL`] photos from `albums`, taken in turn (each album's cover first), with
/// their captions (the album's title when a photo has none).
fn wall(site: &Site, albums: &[usize]) -> Vec<(String, String)> {
    let lists: Vec<Vec<(String, String)>> = albums
        .iter()
        .filter_map(|&i| site.albums.get(i))
        .map(|a| {
            a.cover_first()
                .into_iter()
                .map(|p| {
                    (
                        p.source.clone(),
                        p.caption.clone().unwrap_or_else(|| a.title.clone()),
                    )
                })
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
    for k in 0..longest {
        for list in &lists {
            if out.len() < WALL {
                if let Some(p) = list.get(k) {
                    out.push(p.clone());
                }
            }
        }
    }
    out
}
