//! The yearly 成果汇编 booklet: the year's dated pages, one chapter per section in the
//! site's order and each report in date order, with its Markdown body (headings, lists,
//! tables, quotes, images with captions) and its album's photos, laid out by the
//! template `booklet.typ` on A4 with a table of contents, running header and page
//! numbers.
//!
//! Every picture's printed size is decided here, so it is prepared at 300 DPI of that
//! size (never upscaled). A picture of a body is printed no larger than gives 150 DPI
//! (down to 60 mm wide); under 150 DPI, which a smaller one or an album photo in its
//! cell can be, is a warning.

use super::{Doc, Job, Made, Tools};
use crate::error::Diagnostic;
use crate::markdown::tree;
use crate::model::{Page, Site};
use crate::typeset::Picture;
use rayon::prelude::*;
use serde_json::{json, Value};

/// The template, `boards/booklet.typ`.
pub const LAYOUT: &str = "booklet";
/// The width of the text on the page, in millimetres (A4 less two 25 mm margins); the
/// template takes it from the inputs.
const TEXT_WIDTH: f64 = 160.0;
/// The tallest a picture of a report's body is printed.
const IMAGE_HEIGHT: f64 = 100.0;
/// The narrowest a picture of a body is printed, however few its pixels.
const SMALLEST_IMAGE: f64 = 60.0;
/// Gap between album photos.
const GUTTER: f64 = 4.0;
/// Album photos a report shows (its cover first).
const ALBUM_PHOTOS: usize = 9;
/// Pictures are prepared at this resolution of their printed size.
const PRINT_DPI: f64 = 300.0;
/// A picture printed under this resolution is a warning.
const LOW_DPI: f64 = 150.0;
const MM_PER_INCH: f64 = 25.4;

/// The reports of `year`, by chapter: (chapter title, pages in date order).
fn chapters(site: &Site, year: i32) -> Vec<(String, Vec<&Page>)> {
    let in_year = |p: &Page| p.date.is_some_and(|d| d.year() == year);
    let by_date =
        |pages: &mut Vec<&Page>| pages.sort_by(|a, b| (a.date, &a.title).cmp(&(b.date, &b.title)));
    let mut out: Vec<(String, Vec<&Page>)> = Vec::new();
    for (i, section) in site.sections.iter().enumerate() {
        let mut pages: Vec<&Page> = site
            .pages
            .iter()
            .map(|p| &**p)
            .filter(|p| p.section == Some(i) && in_year(p))
            .collect();
        if !pages.is_empty() {
            by_date(&mut pages);
            out.push((section.title.clone(), pages));
        }
    }
    let mut rest: Vec<&Page> = site
        .pages
        .iter()
        .map(|p| &**p)
        .filter(|p| p.section.is_none() && in_year(p))
        .collect();
    if !rest.is_empty() {
        by_date(&mut rest);
        out.push(("其他".to_string(), rest));
    }
    out
}

/// What every page of the booklet shows: the title, the branch, the theme, the fonts.
fn frame(site: &Site) -> Value {
    let config = &site.config;
    let brand = site.brand.as_ref();
    let title = match brand {
        Some(b) => format!("「{}」党建品牌成果汇编", b.name),
        None => "党建工作成果汇编".to_string(),
    };
    json!({
        "title": title,
        "site": config.title,
        "organization": config.organization,
        "slogan": brand.and_then(|b| b.slogan.as_ref()),
        "theme": { "primary": config.theme.primary, "accent": config.theme.accent },
        "fonts": crate::typeset::fonts(site),
        "text_width": TEXT_WIDTH,
    })
}

/// What laying out the booklet of `year` reads: every report of the year, with its
/// Markdown body and its pictures, each picture's printed size decided.
pub fn job(site: &Site, year: i32) -> Job {
    let mut book = Book {
        site,
        year,
        wanted: Vec::new(),
        warnings: Vec::new(),
    };
    let emblem = super::emblem(site).map(|source| book.picture(source, 50.0, None));
    let chapters = chapters(site, year);
    // The bodies' trees, side by side: the costly part with a year of reports.
    let trees: Vec<Vec<Value>> = chapters
        .par_iter()
        .map(|(_, pages)| {
            pages
                .par_iter()
                .map(|p| tree::to_document_tree(p.body()))
                .collect()
        })
        .collect();
    let mut sources = Vec::new();
    let chapters: Vec<Value> = chapters
        .into_iter()
        .zip(trees)
        .map(|((title, pages), trees)| {
            let reports: Vec<Value> = pages
                .into_iter()
                .zip(trees)
                .map(|(p, tree)| {
                    sources.push(p.text.clone());
                    book.report(p, tree)
                })
                .collect();
            let mut chapter = json!({ "title": title });
            chapter["reports"] = Value::Array(reports);
            chapter
        })
        .collect();
    let mut inputs = frame(site);
    inputs["year"] = json!(year);
    inputs["emblem"] = json!(emblem);
    inputs["chapters"] = Value::Array(chapters);
    Job {
        doc: Doc::Booklet(year),
        inputs,
        pictures: book.wanted,
        warnings: book.warnings,
        sources,
    }
}

/// Lays the booklet of `job` out.
pub fn make(tools: &Tools, job: &Job, year: i32) -> Result<Made, Vec<Diagnostic>> {
    let site = tools.site;
    let what_en = format!("the booklet of {year}");
    let what_zh = format!("{year} 年成果汇编");
    let what = (what_en.as_str(), what_zh.as_str());
    let mut inputs = job.inputs.clone();
    // A character the built-in and site fonts lack: a system font's, else a warning.
    let parts = parts(&inputs, year);
    let chosen = tools.chain.choose(&crate::boards::fonts::text_of(&parts));
    let glyphs = chosen.report(
        site,
        (&format!("booklet {year}"), &format!("{year} 年成果汇编")),
        &parts,
    );
    chosen.apply(&mut inputs);
    let tools = &Tools {
        fonts: chosen.store.clone(),
        ..tools.clone()
    };
    let pictures = super::pictures(site, &job.pictures, what)?;
    let doc = super::compile(tools, LAYOUT, inputs, pictures, what).map_err(|e| match e {
        Ok(part) => vec![Diagnostic::error(
            format!("{what_en}: {part} does not fit on a page"),
            format!("{what_zh}：{part} 在一页内放不下"),
        )],
        Err(errors) => errors,
    })?;
    let pdf = super::pdf(&doc, &format!("booklet-{year}"), what);
    drop(doc);
    crate::boards::world::forget();
    let pdf = pdf?;
    let mut warnings = glyphs;
    warnings.extend(job.warnings.iter().cloned());
    Ok(Made {
        pdf: pdf.into(),
        warnings,
    })
}

/// The booklet's text, part by part, for its fonts and for locating its characters: its
/// cover and running heads, then each report (its title, its section's, its text and
/// the captions of its pictures).
fn parts(inputs: &Value, year: i32) -> Vec<crate::boards::fonts::Part> {
    use crate::boards::fonts::Part;
    let frame: String = ["title", "site", "organization", "slogan"]
        .iter()
        .filter_map(|k| inputs[k].as_str())
        .flat_map(|s| [s, "\n"])
        .collect();
    let mut parts = vec![Part {
        text: frame,
        what: (format!("the cover of {year}"), format!("{year} 年封面")),
        files: vec![
            crate::config::FILE.into(),
            crate::load::brand::BRAND_FILE.into(),
        ],
        at: None,
    }];
    for chapter in inputs["chapters"].as_array().into_iter().flatten() {
        for r in chapter["reports"].as_array().into_iter().flatten() {
            let title = r["title"].as_str().unwrap_or("");
            let mut text = format!("{title}\n{}\n", chapter["title"].as_str().unwrap_or(""));
            tree::plain_text(&r["body"], &mut text);
            captions(r, &mut text);
            parts.push(Part {
                text,
                what: (format!("report “{title}”"), format!("报道“{title}”")),
                files: r["source"]
                    .as_str()
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
                at: None,
            });
        }
    }
    parts
}

/// Every `caption` below `v` (a body's images, the album's photos), one per line.
fn captions(v: &Value, out: &mut String) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| captions(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("caption", Value::String(s)) => {
                        out.push_str(s);
                        out.push('\n');
                    }
                    _ => captions(x, out),
                }
            }
        }
        _ => {}
    }
}

/// The booklet being made: the pictures it shows and what was found on the way.
struct Book<'a> {
    site: &'a Site,
    year: i32,
    wanted: Vec<Picture>,
    warnings: Vec<Diagnostic>,
}

impl Book<'_> {
    /// One report: title, date, body (its Markdown's `tree`) and album photos.
    fn report(&mut self, page: &Page, mut body: Value) -> Value {
        let source = &*page.source;
        self.images(&mut body, page);
        let photos = album_photos(self.site, page);
        let cols = match photos.len() {
            0 | 1 => 1,
            2 | 4 => 2,
            _ => 3,
        };
        let cell_w = (TEXT_WIDTH - GUTTER * (cols as f64 - 1.0)) / cols as f64;
        let cell_h = if cols == 1 {
            IMAGE_HEIGHT
        } else {
            cell_w * 0.75
        };
        let photos: Vec<Value> = photos
            .into_iter()
            .map(|(src, caption)| {
                let path = self.picture(src, cell_w, Some((cell_h, page)));
                json!({ "path": path, "caption": caption })
            })
            .collect();
        // Moved in, not copied: `json!` would copy the body's tree.
        let mut report = json!({
            "source": source,
            "title": page.title,
            "date": page.date.map(|d| d.display_zh()),
            "cell": [cell_w, cell_h],
            "cols": cols,
        });
        report["body"] = body;
        report["photos"] = Value::Array(photos);
        report
    }

    /// Each `img` of a body: its printed size and the picture to prepare, or no path
    /// when it is not a picture of the site (a web address, a missing file).
    fn images(&mut self, node: &mut Value, page: &Page) {
        match node {
            Value::Array(items) => items.iter_mut().for_each(|i| self.images(i, page)),
            Value::Object(map) => {
                if map.get("t").and_then(Value::as_str) == Some("img") {
                    let text =
                        |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    let (url, title) = (text("url"), text("title"));
                    let mut alt = String::new();
                    tree::plain_text(map.get("c").unwrap_or(&Value::Null), &mut alt);
                    let caption = if title.is_empty() { alt.trim() } else { &title };
                    // A video is not printed: its words stand for it.
                    let video = crate::paths::is_video(&url);
                    let caption = if video {
                        format!("【微视频】{caption}")
                    } else {
                        caption.to_string()
                    };
                    map.insert("caption".into(), json!(caption));
                    map.insert("video".into(), json!(video));
                    let found = self.image_source(&url, &page.source);
                    let placed = found.map(|(source, (w, h))| {
                        // As wide as the text (and at most 100 mm tall), but no wider than
                        // gives 150 DPI, down to 60 mm.
                        let sharp = (w as f64 / LOW_DPI * MM_PER_INCH).max(SMALLEST_IMAGE);
                        let width = TEXT_WIDTH
                            .min(IMAGE_HEIGHT * w as f64 / h.max(1) as f64)
                            .min(sharp);
                        let height = width * h as f64 / w.max(1) as f64;
                        let path = self.picture(source, width, Some((height, page)));
                        (path, width, height)
                    });
                    map.insert("path".into(), json!(placed.as_ref().map(|p| &p.0)));
                    map.insert("size".into(), json!(placed.map(|p| [p.1, p.2])));
                    map.remove("c");
                } else if let Some(c) = map.get_mut("c") {
                    self.images(c, page);
                }
            }
            _ => {}
        }
    }

    /// The site picture `url` in page `from` names, with its upright size.
    fn image_source(&self, url: &str, from: &str) -> Option<(String, (u32, u32))> {
        if url.is_empty() || crate::urls::is_external(url) || url.starts_with('/') {
            return None;
        }
        let path = url.split(['#', '?']).next().unwrap_or(url);
        if crate::paths::is_video(path) {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let source = crate::paths::join(crate::paths::parent(from), &decoded)?;
        let p = self.site.media.pictures.get(&source)?;
        Some((source, (p.width, p.height)))
    }

    /// A picture printed `width` mm wide (filling a `height` mm cell, cropped, when
    /// given with its report): its path in the template. Prepared at 300 DPI of its
    /// printed size; under 150 DPI a warning.
    fn picture(&mut self, source: String, width: f64, cell: Option<(f64, &Page)>) -> String {
        let (w, h) = self
            .site
            .media
            .pictures
            .get(&source)
            .map_or((0, 0), |p| (p.width, p.height));
        // Filling the cell, the picture is printed this wide (its sides beyond are cut).
        let printed = match cell {
            Some((ch, _)) if w > 0 && h > 0 => width.max(ch * w as f64 / h as f64),
            _ => width,
        };
        let px = ((printed / MM_PER_INCH * PRINT_DPI).ceil() as u32).max(1);
        if let Some((ch, page)) = cell {
            let dpi = w as f64 / (printed / MM_PER_INCH);
            if w > 0 && dpi < LOW_DPI - 0.5 {
                self.warnings
                    .push(self.low_dpi(&source, page, (width, ch), dpi));
            }
        }
        // The same picture twice is prepared for its larger print.
        if let Some(entry) = self.wanted.iter_mut().find(|p| p.source == source) {
            entry.width = entry.width.max(px);
            return entry.path.clone();
        }
        let path = format!("/pictures/{}", self.wanted.len());
        self.wanted.push(Picture {
            path: path.clone(),
            source,
            width: px,
        });
        path
    }

    fn low_dpi(&self, source: &str, page: &Page, (w, h): (f64, f64), dpi: f64) -> Diagnostic {
        let year = self.year;
        Diagnostic::warning(
            format!(
                "photo {source} of “{}” prints at {w:.0}×{h:.0} mm in the booklet of {year} with only {dpi:.0} DPI (under {LOW_DPI:.0})",
                page.title
            ),
            format!(
                "照片 {source}（“{}”）在 {year} 年成果汇编中印刷尺寸为 {w:.0}×{h:.0} 毫米，有效分辨率仅 {dpi:.0} DPI（低于 {LOW_DPI:.0}）",
                page.title
            ),
        )
        .file(source)
        .hint(
            "use the camera's original file; it may print blurred",
            "请使用相机拍摄的原图，否则印出来可能模糊",
        )
    }
}

/// The photos of the album `page` links (its cover first, at most [`ALBUM_PHOTOS`]),
/// with their captions.
fn album_photos(site: &Site, page: &Page) -> Vec<(String, Option<String>)> {
    let Some(album) = page
        .album
        .as_ref()
        .and_then(|name| site.albums.iter().find(|a| &a.name == name))
    else {
        return Vec::new();
    };
    album
        .cover_first()
        .into_iter()
        .take(ALBUM_PHOTOS)
        .map(|p| (p.source.clone(), p.caption.clone()))
        .collect()
}
