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
use std::collections::HashMap;

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

/// Lays the booklet of `job` out, a part at a time (see `split`): each part's pages
/// are kept and Typst's memory of laying it out released, then the cover and 目录 are
/// laid out with the page every chapter and report starts on, and the whole is written
/// as one PDF (its fonts subset once, its bookmarks from the parts' headings). A part
/// that goes on with a chapter begins where the one before it ended, on the same page,
/// so that the pages are those of the booklet laid out whole.
pub fn make(tools: &Tools, job: &Job, year: i32) -> Result<Made, Vec<Diagnostic>> {
    let site = tools.site;
    let what_en = format!("the booklet of {year}");
    let what_zh = format!("{year} 年成果汇编");
    let what = (what_en.as_str(), what_zh.as_str());
    // A character the built-in and site fonts lack: a system font's, else a warning.
    let timed =
        |stage: &str, start| crate::timing::timing(&format!("booklet-{year}.pdf: {stage}"), start);
    let start = std::time::Instant::now();
    let parts = parts(&job.inputs, year);
    let chosen = tools.chain.choose(&crate::boards::fonts::text_of(&parts));
    let glyphs = chosen.report(
        site,
        (&format!("booklet {year}"), &format!("{year} 年成果汇编")),
        &parts,
    );
    drop(parts);
    timed("fonts chosen", start);
    // Everything but the chapters: what every part and the front share.
    let mut frame = serde_json::Map::new();
    for (k, v) in job.inputs.as_object().into_iter().flatten() {
        if k != "chapters" {
            frame.insert(k.clone(), v.clone());
        }
    }
    let mut frame = Value::Object(frame);
    chosen.apply(&mut frame);
    let tools = &Tools {
        fonts: chosen.store.clone(),
        ..tools.clone()
    };
    let chapters = job.inputs["chapters"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut body = Body::default();
    let start = std::time::Instant::now();
    let runs = split(chapters);
    for (i, run) in runs.iter().enumerate() {
        if let Err(mut errors) = body.lay_out(tools, job, &frame, chapters, run, what) {
            // The pictures of the parts not laid out can fail too: every one is named.
            for rest in &runs[i + 1..] {
                let inputs = json!({ "part": { "reports": part_reports(chapters, rest) } });
                if let Err(more) = prepare(tools, &inputs, &job.pictures, what) {
                    errors.extend(more);
                }
            }
            return Err(errors);
        }
    }
    timed("chapters laid out", start);
    let start = std::time::Instant::now();
    let mut front = frame;
    front["contents"] = Value::Array(std::mem::take(&mut body.contents));
    let doc = lay_out(tools, front, &job.pictures, what)?;
    let mut pages: Vec<typst_layout::Page> = doc.pages().to_vec();
    let info = typst::model::Document::info(&doc).clone();
    drop(doc);
    crate::boards::world::forget();
    pages.append(&mut body.pages);
    timed("cover and contents laid out", start);
    let start = std::time::Instant::now();
    if std::env::var_os("ZHANTING_TIMINGS").is_some() {
        eprintln!("  booklet-{year}.pdf: laid out in {} parts", runs.len());
    }
    let doc = typst_layout::PagedDocument::new(pages.into(), info);
    let pdf = super::pdf(&doc, &format!("booklet-{year}"), what);
    drop(doc);
    crate::boards::world::forget();
    timed("PDF written", start);
    let pdf = pdf?;
    let mut warnings = glyphs;
    warnings.extend(job.warnings.iter().cloned());
    Ok(Made {
        pdf: pdf.into(),
        warnings,
    })
}

/// The characters of text (a picture counts as [`PICTURE_WEIGHT`]) laid out at a time:
/// about 25 A4 pages, so the booklet's memory stays that of a part, not of a year.
/// `ZHANTING_BOOKLET_PART` sets another (the tests compare a booklet in many parts with
/// the same in one).
const PART_WEIGHT: usize = 20_000;
const PICTURE_WEIGHT: usize = 600;

/// One part of the booklet: reports `reports` of chapter `chapter` (both counted from 0).
#[derive(Debug, Clone, PartialEq)]
struct Run {
    chapter: usize,
    reports: std::ops::Range<usize>,
}

/// The booklet's parts, in order: every chapter starts a part (it starts a page anyway),
/// and a long chapter is cut between reports once a part holds [`PART_WEIGHT`].
fn split(chapters: &[Value]) -> Vec<Run> {
    let most = std::env::var("ZHANTING_BOOKLET_PART")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PART_WEIGHT);
    split_at(chapters, most)
}

/// [`split`], each part holding at most `most` (a report more is a part of its own).
fn split_at(chapters: &[Value], most: usize) -> Vec<Run> {
    let mut runs = Vec::new();
    for (chapter, c) in chapters.iter().enumerate() {
        let reports = c["reports"].as_array().map_or(&[][..], Vec::as_slice);
        let mut start = 0;
        let mut weight = 0;
        for (i, r) in reports.iter().enumerate() {
            let w = report_weight(r);
            if i > start && weight + w > most {
                runs.push(Run {
                    chapter,
                    reports: start..i,
                });
                (start, weight) = (i, 0);
            }
            weight += w;
        }
        runs.push(Run {
            chapter,
            reports: start..reports.len(),
        });
    }
    runs
}

/// How much of a part report `r` takes: its characters, and its pictures.
fn report_weight(r: &Value) -> usize {
    let mut text = String::new();
    tree::plain_text(&r["body"], &mut text);
    let mut pictures = Vec::new();
    picture_paths(r, &mut pictures);
    text.chars().count() + pictures.len() * PICTURE_WEIGHT
}

/// Every picture path below `v` (a body's images, the album's photos).
fn picture_paths<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| picture_paths(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("path", Value::String(s)) => out.push(s),
                    _ => picture_paths(x, out),
                }
            }
        }
        _ => {}
    }
}

/// The pages of the chapters, laid out part by part, and the 目录's entries.
#[derive(Default)]
struct Body {
    pages: Vec<typst_layout::Page>,
    contents: Vec<Value>,
    /// Where the last part ended (its text, or the unseen divider of the report the next
    /// part opens with): its page (counted from 0 in `pages`) and height from the top,
    /// in points.
    end: Option<(usize, f64)>,
}

impl Body {
    /// Lays out `run`: its reports, with its chapter's heading when it opens the chapter,
    /// else from where the part before it ended; its pages added, the first onto the
    /// last one's when it goes on with the chapter.
    fn lay_out(
        &mut self,
        tools: &Tools,
        job: &Job,
        frame: &Value,
        chapters: &[Value],
        run: &Run,
        what: (&str, &str),
    ) -> Result<(), Vec<Diagnostic>> {
        let chapter = &chapters[run.chapter];
        let opens = run.reports.start == 0;
        let goes_on = if opens { None } else { self.end };
        // Its first page is the page the last part ended on, or the next.
        let first_number = match (goes_on, self.pages.last()) {
            (Some((page, _)), _) => self.pages[page].number,
            (None, Some(last)) => last.number + 1,
            (None, None) => 1,
        };
        let reports = part_reports(chapters, run);
        let mut inputs = frame.clone();
        inputs["part"] = json!({
            "chapter": run.chapter,
            "title": chapter_title(run.chapter, chapter),
            "opens": opens,
            "first": run.reports.start,
            "page": first_number,
            "from": goes_on.map(|(_, y)| y),
            "continued": run.reports.end < chapter["reports"].as_array().map_or(0, Vec::len),
            "reports": reports,
        });
        let doc = lay_out(tools, inputs, &job.pictures, what)?;
        // The first page of a part that goes on is the page the one before ended on.
        let base = self.pages.len() - usize::from(goes_on.is_some());
        self.add_contents(&doc, base, run, chapter, reports);
        let end = at_label(&doc, "zt-end");
        let mut pages = doc.pages().to_vec();
        drop(doc);
        crate::boards::world::forget();
        pages.truncate(end.map_or(pages.len(), |e| e.page.get()));
        self.add_pages(pages, goes_on);
        self.end = end.map(|e| (base + e.page.get() - 1, e.point.y.to_pt()));
        Ok(())
    }

    /// The 目录's entries of a part laid out as `doc`, whose first page is `base` in
    /// `pages`: its chapter's heading when it opens the chapter, and each report's.
    fn add_contents(
        &mut self,
        doc: &typst_layout::PagedDocument,
        base: usize,
        run: &Run,
        chapter: &Value,
        reports: &[Value],
    ) {
        let mut entry = |level: u8, title: String, name: String| {
            if let Some(at) = at_label(doc, &name) {
                self.contents.push(json!({
                    "level": level,
                    "title": title,
                    "page": doc.pages()[at.page.get() - 1].number,
                    "index": base + at.page.get() - 1,
                    "y": at.point.y.to_pt(),
                }));
            }
        };
        if run.reports.start == 0 {
            entry(
                1,
                chapter_title(run.chapter, chapter),
                format!("zt-c-{}", run.chapter),
            );
        }
        for (i, r) in reports.iter().enumerate() {
            let n = run.reports.start + i;
            let title = r["title"].as_str().unwrap_or("").to_string();
            entry(2, title, format!("zt-r-{}-{n}", run.chapter));
        }
    }

    /// Adds a part's `pages`; when it goes on from where the last part ended, its first
    /// page holds only the text below that (no running head or foot) and is laid onto
    /// that page.
    fn add_pages(&mut self, pages: Vec<typst_layout::Page>, goes_on: Option<(usize, f64)>) {
        let mut pages = pages.into_iter();
        if let Some((page, _)) = goes_on {
            self.pages.truncate(page + 1);
            if let Some(first) = pages.next() {
                self.pages[page]
                    .frame
                    .push_frame(typst::layout::Point::zero(), first.frame);
            }
        }
        self.pages.extend(pages);
    }
}

/// Where the element labelled `name` is in `doc`.
fn at_label(
    doc: &typst_layout::PagedDocument,
    name: &str,
) -> Option<typst::introspection::PagedPosition> {
    let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(name))?;
    let introspector = doc.introspector();
    let content = typst::introspection::Introspector::query_label(&**introspector, label).ok()?;
    introspector.position(content.location()?)
}

/// The reports of `run`.
fn part_reports<'a>(chapters: &'a [Value], run: &Run) -> &'a [Value] {
    let reports = chapters[run.chapter]["reports"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    &reports[run.reports.clone()]
}

/// A chapter's heading: its number and its section's title (「一、新闻动态」).
fn chapter_title(index: usize, chapter: &Value) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let n = index + 1;
    let number = match n {
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        // A hundred sections and more: in figures.
        _ => n.to_string(),
    };
    format!("{number}、{}", chapter["title"].as_str().unwrap_or(""))
}

/// Lays out `inputs` with the pictures they name of those `wanted`.
fn lay_out(
    tools: &Tools,
    inputs: Value,
    wanted: &[Picture],
    what: (&str, &str),
) -> Result<typst_layout::PagedDocument, Vec<Diagnostic>> {
    let pictures = prepare(tools, &inputs, wanted, what)?;
    super::compile(tools, LAYOUT, inputs, pictures, what).map_err(|e| match e {
        Ok(part) => vec![Diagnostic::error(
            format!("{}: {part} does not fit on a page", what.0),
            format!("{}：{part} 在一页内放不下", what.1),
        )],
        Err(errors) => errors,
    })
}

/// The pictures of those `wanted` that `inputs` name, prepared for printing.
fn prepare(
    tools: &Tools,
    inputs: &Value,
    wanted: &[Picture],
    what: (&str, &str),
) -> Result<HashMap<String, typst::foundations::Bytes>, Vec<Diagnostic>> {
    // The emblem is the cover's: a part never shows it.
    let mut named: Vec<&str> = match inputs.get("part") {
        None => inputs["emblem"].as_str().into_iter().collect(),
        Some(_) => Vec::new(),
    };
    picture_paths(inputs, &mut named);
    let named: std::collections::HashSet<&str> = named.into_iter().collect();
    let wanted: Vec<Picture> = wanted
        .iter()
        .filter(|p| named.contains(p.path.as_str()))
        .cloned()
        .collect();
    super::pictures(tools.site, &wanted, what)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of `chars` characters of text and `photos` album photos.
    fn report(chars: usize, photos: usize) -> Value {
        let photos: Vec<Value> = (0..photos)
            .map(|i| json!({ "path": format!("/pictures/{i}"), "caption": null }))
            .collect();
        json!({
            "title": "报道",
            "body": [{ "t": "p", "c": [{ "t": "text", "s": "字".repeat(chars) }] }],
            "photos": photos,
        })
    }

    fn chapter(reports: Vec<Value>) -> Value {
        json!({ "title": "支部动态", "reports": reports })
    }

    #[test]
    fn every_chapter_starts_a_part_and_a_long_one_is_cut_between_reports() {
        let chapters = [
            chapter(vec![report(100, 0), report(100, 0)]),
            // 8,000 characters a report: two and a half fit in a part.
            chapter((0..5).map(|_| report(8_000, 0)).collect()),
            chapter(vec![report(100, 0)]),
        ];
        let runs = split_at(&chapters, PART_WEIGHT);
        let run = |chapter, reports| Run { chapter, reports };
        assert_eq!(
            runs,
            vec![
                run(0, 0..2),
                run(1, 0..2),
                run(1, 2..4),
                run(1, 4..5),
                run(2, 0..1),
            ]
        );
    }

    #[test]
    fn a_report_longer_than_a_part_is_a_part_and_photos_weigh_too() {
        let chapters = [chapter(vec![
            report(50_000, 0),
            report(1_000, 0),
            // 1,000 characters and 29 photos: 18,400.
            report(1_000, 29),
            report(1_000, 0),
        ])];
        let runs = split_at(&chapters, PART_WEIGHT);
        assert_eq!(
            runs,
            vec![
                Run {
                    chapter: 0,
                    reports: 0..1
                },
                // Without the photos' weight the last three would be one part.
                Run {
                    chapter: 0,
                    reports: 1..3
                },
                Run {
                    chapter: 0,
                    reports: 3..4
                },
            ]
        );
    }

    #[test]
    fn chapters_are_numbered_in_chinese() {
        let c = json!({ "title": "微党课" });
        assert_eq!(chapter_title(0, &c), "一、微党课");
        assert_eq!(chapter_title(9, &c), "十、微党课");
        assert_eq!(chapter_title(11, &c), "十二、微党课");
        assert_eq!(chapter_title(20, &c), "二十一、微党课");
        assert_eq!(chapter_title(99, &c), "100、微党课");
    }
}
