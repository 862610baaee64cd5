//! Exhibition boards (展板): each board's data laid out by a Typst template into a
//! print-ready PDF (trim size plus bleed, TrimBox and BleedBox, fonts embedded, photos
//! at the resolution the print needs) and a PNG preview.
//!
//! Boards are compiled in parallel, each in its own [`world::BoardWorld`]. A board's
//! results are cached under `.zhanting-cache/boards/`, keyed by everything that went
//! into them, so a rebuild compiles only the boards that changed.

pub mod markdown;
mod pdf;
mod world;

use crate::error::Diagnostic;
use crate::model::{Board, Site};
use rayon::prelude::*;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Dict, Value};
use typst::layout::{Frame, FrameItem};
use typst::text::Font;
use typst::visualize::ImageKind;
use typst::{World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// Width of the PNG preview in pixels.
pub const PREVIEW_WIDTH: u32 = 1600;
/// Room for crop marks outside the bleed, in millimetres.
pub const MARKS_SLUG: f64 = 10.0;
/// Photos are embedded at no more than this resolution at their printed size.
const PRINT_DPI: f64 = 300.0;
const MM_PER_PT: f64 = 25.4 / 72.0;
/// The template library every layout imports; not a layout itself.
const LIBRARY: &str = "zhanting.typ";
/// The families of the fonts zhanting embeds.
pub const BODY_FONT: &str = "Noto Sans CJK SC";
pub const TITLE_FONT: &str = "Noto Serif CJK SC";

/// One board's outputs.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub slug: String,
    pub pdf: Arc<[u8]>,
    pub png: Arc<[u8]>,
    /// Whether this build compiled the board (false: taken from the cache).
    pub compiled: bool,
    /// Its key in the cache.
    key: String,
}

/// What rendering the boards produced: outputs and warnings.
#[derive(Debug, Default)]
pub struct Outcome {
    pub boards: Vec<Rendered>,
    pub warnings: Vec<Diagnostic>,
}

impl Outcome {
    /// Boards laid out by this build, and boards taken from the cache.
    pub fn counts(&self) -> (usize, usize) {
        let compiled = self.boards.iter().filter(|b| b.compiled).count();
        (compiled, self.boards.len() - compiled)
    }
}

/// Pixel size of a board's PNG preview: [`PREVIEW_WIDTH`] wide, the trim's aspect.
pub fn preview_size(board: &Board) -> (u32, u32) {
    let (w, h) = board.size;
    (PREVIEW_WIDTH, (PREVIEW_WIDTH as f64 * h / w).round() as u32)
}

/// Names of the layouts available to the site: the theme's `boards/*.typ` and the site's
/// `templates/boards/*.typ`.
pub fn layouts(user_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = templates(user_dir)
        .keys()
        .filter(|k| k.as_str() != LIBRARY)
        .filter_map(|k| k.strip_suffix(".typ").map(str::to_string))
        .collect();
    names.sort();
    names
}

/// The board templates: the theme's, then the site's `templates/boards/` over them.
fn templates(user_dir: Option<&Path>) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    if let Some(dir) = crate::templates::THEME.get_dir("boards") {
        for f in dir.files() {
            let name = f.path().file_name().unwrap_or_default().to_string_lossy();
            if let Some(text) = f.contents_utf8() {
                out.insert(
                    name.to_string(),
                    (format!("site-template/boards/{name}"), text.to_string()),
                );
            }
        }
    }
    if let Some(dir) = user_dir.map(|d| d.join("boards")) {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".typ") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    out.insert(name.clone(), (format!("templates/boards/{name}"), text));
                }
            }
        }
    }
    out
}

/// Renders the site's boards (only `only`'s when given), from the cache where nothing
/// changed. Errors: every error and warning found.
/// `memo`: boards kept in memory between builds (`zhanting serve`).
pub fn render(
    site: &Site,
    only: Option<&str>,
    memo: Option<&crate::load::Cache>,
) -> Result<Outcome, Vec<Diagnostic>> {
    let boards: Vec<&Board> = site
        .boards
        .iter()
        .filter(|b| only.is_none_or(|s| s == b.slug))
        .collect();
    if boards.is_empty() {
        return Ok(Outcome::default());
    }
    let templates: world::Templates = Arc::new(templates(site.templates_dir.as_deref()));
    let dir = site.root.join(".zhanting-cache").join("boards");
    let shared = Shared {
        site,
        fonts: std::sync::OnceLock::new(),
        templates,
        cache: dir.clone(),
        memo,
    };
    let bar = crate::images::progress_bar(boards.len(), "boards");
    let results: Vec<BoardResult> = boards
        .par_iter()
        .map(|b| {
            let r = shared.board(b);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            r
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut outcome = Outcome::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((rendered, warnings)) => {
                outcome.boards.push(rendered);
                outcome.warnings.extend(warnings);
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        // A font missing for every board is one error.
        crate::error::dedup(&mut errors);
        errors.extend(outcome.warnings);
        return Err(errors);
    }
    if only.is_none() {
        prune(&dir, &outcome.boards);
    }
    Ok(outcome)
}

/// Removes cached boards this build did not use (older versions, removed boards).
fn prune(dir: &Path, boards: &[Rendered]) {
    let keep: std::collections::HashSet<&str> = boards.iter().map(|b| b.key.as_str()).collect();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = name.split_once('.').map_or(name.as_str(), |(k, _)| k);
        if !keep.contains(key) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The fonts in the binary, read once per process.
fn embedded_fonts() -> &'static [(Font, typst::text::FontInfo)] {
    static FONTS: std::sync::OnceLock<Vec<(Font, typst::text::FontInfo)>> =
        std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let Some(dir) = crate::templates::THEME.get_dir("fonts") else {
            return Vec::new();
        };
        dir.files()
            .filter(|f| {
                let ext = f.path().extension().and_then(|e| e.to_str());
                matches!(ext, Some("otf" | "ttf" | "ttc"))
            })
            .flat_map(|f| Font::iter(Bytes::new(f.contents())))
            .map(|font| {
                let info = font.info().clone();
                (font, info)
            })
            .collect()
    })
}

/// The embedded fonts, the site's `fonts/`, and the system's when site.yaml names a
/// family neither has.
fn load_fonts(site: &Site) -> Result<FontStore, Diagnostic> {
    let mut store = FontStore::new();
    store.extend(embedded_fonts().iter().cloned());
    let site_fonts = site.root.join("fonts");
    if site_fonts.is_dir() {
        store.extend(typst_kit::fonts::scan(&site_fonts));
    }
    let wanted: Vec<(&str, &str)> = [
        ("font", site.config.boards.font.as_deref()),
        ("title_font", site.config.boards.title_font.as_deref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let missing = |store: &FontStore| {
        wanted
            .iter()
            .find(|(_, f)| !store.book().contains_family(&f.to_lowercase()))
            .copied()
    };
    if missing(&store).is_some() {
        store.extend(typst_kit::fonts::system());
    }
    if let Some((key, family)) = missing(&store) {
        let src = std::fs::read_to_string(site.root.join(crate::config::FILE)).unwrap_or_default();
        return Err(Diagnostic::error(
            format!("font `{family}` (boards.{key}) is neither in fonts/ nor installed"),
            format!("字体 `{family}`（boards.{key}）既不在 fonts/ 目录中，也未安装在系统里"),
        )
        .file(crate::config::FILE)
        .at_opt(&src, crate::load::yaml::find_value(&src, key, family))
        .hint(
            format!("put the font file (.otf/.ttf/.ttc) in fonts/, check the family name, or remove boards.{key} to use the built-in {BODY_FONT}"),
            format!("请把字体文件（.otf/.ttf/.ttc）放进 fonts/ 目录，核对字体名称，或删除 boards.{key} 以使用内置的思源字体"),
        ));
    }
    Ok(store)
}

/// One board's outputs and warnings, or its errors.
type BoardResult = Result<(Rendered, Vec<Diagnostic>), Vec<Diagnostic>>;

struct Shared<'a> {
    site: &'a Site,
    /// Loaded when the first board needs laying out: a build whose boards all come
    /// from the cache scans no font.
    fonts: std::sync::OnceLock<Result<Arc<FontStore>, Diagnostic>>,
    templates: world::Templates,
    cache: PathBuf,
    memo: Option<&'a crate::load::Cache>,
}

/// A board's photo: its size and a stand-in at preview resolution for the first pass.
struct Photo {
    source: String,
    /// The file, read once for both passes.
    bytes: Vec<u8>,
    /// Pixel size, upright.
    size: (u32, u32),
    proxy: Bytes,
}

impl Shared<'_> {
    fn fonts(&self) -> Result<Arc<FontStore>, Vec<Diagnostic>> {
        self.fonts
            .get_or_init(|| load_fonts(self.site).map(Arc::new))
            .clone()
            .map_err(|d| vec![d])
    }

    fn board(&self, board: &Board) -> BoardResult {
        let inputs = self.inputs(board);
        let key = self.key(board, &inputs);
        if let Some(hit) = self.cached(board, &key) {
            // Its characters were checked when it was laid out, with these inputs.
            return Ok(hit);
        }
        let fonts = self.fonts()?;
        check_glyphs(board, self.site, &fonts)?;
        let t0 = std::time::Instant::now();
        let timings = std::env::var_os("ZHANTING_TIMINGS").is_some();
        let tick = |what: &str| {
            if timings {
                eprintln!("  board {}: {what} at {:?}", board.slug, t0.elapsed());
            }
        };
        let photos = board
            .blocks
            .iter()
            .flat_map(|b| b.photos.iter())
            .collect::<Vec<_>>()
            .par_iter()
            .map(|p| load_photo(self.site, board, &p.source))
            .collect::<Result<Vec<Photo>, Diagnostic>>()
            .map_err(|d| vec![d])?;
        tick("photos");
        // Pass 1, with stand-ins of the same shape at preview resolution: the layout, the
        // preview, and each photo's printed size.
        let proxies: HashMap<String, Bytes> = photos
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("/photos/{i}.jpg"), p.proxy.clone()))
            .collect();
        let (doc, mut warnings) = self.compile(board, &inputs, proxies.clone())?;
        if doc.pages().len() > 1 {
            return Err(vec![self.overflow(board, &inputs, &proxies)]);
        }
        tick("pass1");
        let printed = printed_sizes(&doc, &photos);
        let limit = self.site.config.boards.dpi_warning as f64;
        for (i, p) in photos.iter().enumerate() {
            if let Some(&(w_pt, h_pt)) = printed.get(&i) {
                let dpi = p.size.0 as f64 / (w_pt / 72.0);
                if dpi < limit {
                    warnings.push(low_dpi(board, &p.source, w_pt, h_pt, dpi, limit));
                }
            }
        }
        let (preview, doc) = rayon::join(
            || {
                let r = preview(&doc);
                tick("preview");
                r
            },
            || -> Result<PagedDocument, Vec<Diagnostic>> {
                if photos.is_empty() {
                    return Ok(doc.clone());
                }
                // Pass 2, with the photos as they will be printed.
                let finals = photos
                    .par_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        // A photo the template does not show goes in whole.
                        let width_in = printed.get(&i).map_or(f64::INFINITY, |s| s.0 / 72.0);
                        for_print(p, width_in).map(|b| (format!("/photos/{i}.jpg"), Bytes::new(b)))
                    })
                    .collect::<Result<HashMap<_, _>, Diagnostic>>()
                    .map_err(|d| vec![d])?;
                tick("finals");
                Ok(self.compile(board, &inputs, finals)?.0)
            },
        );
        let doc = doc?;
        if doc.pages().len() > 1 {
            // The photos have their stand-ins' shape, so the second pass lays out as the
            // first did; checked anyway, as a board must never be printed cut in two.
            return Err(vec![self.overflow(board, &inputs, &proxies)]);
        }
        tick("pass2");
        let pdf = typst_pdf::pdf(
            &doc,
            &typst_pdf::PdfOptions {
                ident: typst::foundations::Smart::Custom(board.slug.clone()),
                // A print file: no structure tree (poppler also warns about Typst's).
                tagged: false,
                ..Default::default()
            },
        )
        .map_err(|e| self.typst_errors(board, &e, None))?;
        let pdf = pdf::add_bleed_box(pdf, board.bleed);
        tick("pdf");
        let png = preview.map_err(|e| {
            vec![Diagnostic::error(
                format!("the preview of board {} could not be made: {e}", board.slug),
                format!("展板 {} 的预览图无法生成：{e}", board.slug),
            )
            .file(&board.source)]
        })?;
        let rendered = Rendered {
            slug: board.slug.clone(),
            pdf: pdf.into(),
            png: png.into(),
            compiled: true,
            key: key.clone(),
        };
        tick("stored");
        self.store(&key, &rendered, &warnings);
        Ok((rendered, warnings))
    }

    /// What the template gets in `sys.inputs`.
    fn inputs(&self, board: &Board) -> serde_json::Value {
        let config = &self.site.config;
        let fonts = |own: Option<&String>, builtin: &str| {
            let mut v: Vec<String> = own.cloned().into_iter().collect();
            v.push(builtin.to_string());
            v.push(BODY_FONT.to_string());
            v.dedup();
            v
        };
        json!({
            "board": {
                "title": board.title,
                "subtitle": board.subtitle,
                "series": board.series,
                "width": board.size.0,
                "height": board.size.1,
                "bleed": board.bleed,
                "marks": board.marks,
                "slug": if board.marks { MARKS_SLUG } else { 0.0 },
                "layout": board.layout,
            },
            "site": {
                "title": config.title,
                "organization": config.organization,
                "brand": self.site.brand.as_ref().map(|b| &b.name),
                "slogan": self.site.brand.as_ref().and_then(|b| b.slogan.as_ref()),
            },
            "theme": {
                "name": board.theme,
                "primary": config.theme.primary,
                "accent": config.theme.accent,
            },
            "fonts": {
                "body": fonts(config.boards.font.as_ref(), BODY_FONT),
                "title": fonts(config.boards.title_font.as_ref(), TITLE_FONT),
            },
            "blocks": board.blocks.iter().map(|b| &b.data).collect::<Vec<_>>(),
        })
    }

    /// A key over everything a board's outputs are made from.
    fn key(&self, board: &Board, inputs: &serde_json::Value) -> String {
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(build_id().as_bytes());
        h.update(inputs.to_string().as_bytes());
        let mut names: Vec<&String> = self.templates.keys().collect();
        names.sort();
        for n in names {
            h.update(n.as_bytes());
            h.update(self.templates[n].1.as_bytes());
        }
        for p in board.blocks.iter().flat_map(|b| &b.photos) {
            h.update(p.source.as_bytes());
            let stamp = std::fs::metadata(self.site.root.join(&p.source))
                .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
                .unwrap_or_default();
            h.update(stamp.as_bytes());
        }
        let fonts_dir = self.site.root.join("fonts");
        for e in std::fs::read_dir(fonts_dir).into_iter().flatten().flatten() {
            let m = e.metadata().ok();
            h.update(
                format!(
                    "{:?}{:?}{:?}",
                    e.file_name(),
                    m.as_ref().map(|m| m.len()),
                    m.and_then(|m| m.modified().ok())
                )
                .as_bytes(),
            );
        }
        h.update(&self.site.config.boards.dpi_warning.to_le_bytes());
        format!("{}@{}", board.slug, &h.finalize().to_hex()[..20])
    }

    /// The board made from `key` earlier: from memory, else from the disk cache.
    fn cached(&self, board: &Board, key: &str) -> Option<(Rendered, Vec<Diagnostic>)> {
        let hash = crate::load::fingerprint(key);
        if let Some(memo) = self.memo {
            let boards = memo.boards.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((h, (rendered, warnings))) = boards.get(&board.slug) {
                if *h == hash {
                    let rendered = Rendered {
                        compiled: false,
                        ..rendered.clone()
                    };
                    return Some((rendered, warnings.clone()));
                }
            }
        }
        let found = self.read_disk(board, key)?;
        self.remember(key, &found.0, &found.1);
        Some(found)
    }

    fn remember(&self, key: &str, r: &Rendered, warnings: &[Diagnostic]) {
        if let Some(memo) = self.memo {
            memo.boards
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    r.slug.clone(),
                    (
                        crate::load::fingerprint(key),
                        (r.clone(), warnings.to_vec()),
                    ),
                );
        }
    }

    fn read_disk(&self, board: &Board, key: &str) -> Option<(Rendered, Vec<Diagnostic>)> {
        let pdf = std::fs::read(self.cache.join(format!("{key}.pdf"))).ok()?;
        let png = std::fs::read(self.cache.join(format!("{key}.png"))).ok()?;
        let meta = std::fs::read(self.cache.join(format!("{key}.json"))).ok()?;
        let warnings: Vec<Diagnostic> = serde_json::from_slice(&meta).ok()?;
        Some((
            Rendered {
                slug: board.slug.clone(),
                pdf: pdf.into(),
                png: png.into(),
                compiled: false,
                key: key.to_string(),
            },
            warnings,
        ))
    }

    fn store(&self, key: &str, r: &Rendered, warnings: &[Diagnostic]) {
        self.remember(key, r, warnings);
        if std::fs::create_dir_all(&self.cache).is_err() {
            return;
        }
        let meta = serde_json::to_vec(warnings).unwrap_or_default();
        // The JSON goes last: an entry without it is never read.
        let write = |ext: &str, bytes: &[u8]| {
            let path = self.cache.join(format!("{key}.{ext}"));
            let tmp = self
                .cache
                .join(format!("{key}.{ext}.tmp{}", std::process::id()));
            std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, &path))
        };
        let _ = write("pdf", &r.pdf)
            .and_then(|_| write("png", &r.png))
            .and_then(|_| write("json", &meta));
    }

    fn compile(
        &self,
        board: &Board,
        inputs: &serde_json::Value,
        photos: HashMap<String, Bytes>,
    ) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
        let world = self.world(board, inputs, photos)?;
        let warned = typst::compile::<PagedDocument>(&world);
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for w in &warned.warnings {
            if w.message.contains("unknown font family") {
                let mut e = w.clone();
                e.severity = Severity::Error;
                errors.push(e);
            } else {
                warnings.extend(self.typst_errors(board, std::slice::from_ref(w), Some(&world)));
            }
        }
        match warned.output {
            Ok(doc) if errors.is_empty() => Ok((doc, warnings)),
            Ok(_) => Err(self.typst_errors(board, &errors, Some(&world))),
            Err(e) => {
                errors.extend(e.iter().cloned());
                Err(self.typst_errors(board, &errors, Some(&world)))
            }
        }
    }

    fn world(
        &self,
        board: &Board,
        inputs: &serde_json::Value,
        photos: HashMap<String, Bytes>,
    ) -> Result<world::BoardWorld, Vec<Diagnostic>> {
        use serde::Deserialize;
        let dict = match Value::deserialize(inputs.clone()) {
            Ok(Value::Dict(d)) => d,
            _ => Dict::new(),
        };
        world::BoardWorld::new(
            &board.layout,
            dict,
            self.fonts()?,
            self.templates.clone(),
            photos,
        )
        .ok_or_else(|| {
            vec![Diagnostic::error(
                format!("`{}` is not a usable layout name", board.layout),
                format!("`{}` 不能用作版式名称", board.layout),
            )
            .file(&board.source)]
        })
    }

    /// Typst's diagnostics as ours: the template file, line and column, and the board.
    fn typst_errors(
        &self,
        board: &Board,
        diags: &[SourceDiagnostic],
        world: Option<&world::BoardWorld>,
    ) -> Vec<Diagnostic> {
        diags
            .iter()
            .map(|d| {
                let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
                let en = format!("board {}: {}", board.source, d.message);
                let zh = format!("展板 {}：{}", board.source, d.message);
                let mut out = if d.severity == Severity::Error {
                    Diagnostic::error(en, zh)
                } else {
                    Diagnostic::warning(en, zh)
                };
                let located = world.and_then(|w| {
                    let id = d.span.id()?;
                    let source = w.source(id).ok()?;
                    let range = w.range(d.span)?;
                    let (line, col) = source.lines().byte_to_line_column(range.start)?;
                    Some((w.display_path(id), source, line, col))
                });
                out = match located {
                    Some((path, source, line, col)) => {
                        out.file(path).at(source.text(), line + 1, col + 1)
                    }
                    None => out.file(&board.source),
                };
                if d.message.contains("unknown font family") {
                    out = out.hint(
                        "the template names a font that is not available: put it in fonts/ or use boards.font in site.yaml",
                        "模板使用了不存在的字体：请把字体放进 fonts/ 目录，或在 site.yaml 的 boards.font 中指定",
                    );
                } else if !hints.is_empty() {
                    let h = hints.join("; ");
                    out = out.hint(h.clone(), h);
                }
                out
            })
            .collect()
    }

    /// Names the block that does not fit: the first `k` such that the board with blocks
    /// `..k` already takes more than one page.
    fn overflow(
        &self,
        board: &Board,
        inputs: &serde_json::Value,
        photos: &HashMap<String, Bytes>,
    ) -> Diagnostic {
        let overflows = |k: usize| {
            let mut inputs = inputs.clone();
            if let Some(blocks) = inputs["blocks"].as_array_mut() {
                blocks.truncate(k);
            }
            self.compile(board, &inputs, photos.clone())
                .map(|(doc, _)| doc.pages().len() > 1)
                .unwrap_or(true)
        };
        let (mut lo, mut hi) = (0, board.blocks.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if overflows(mid + 1) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let hint = (
            "shorten the text, choose a larger board size, or move blocks to another board",
            "请精简文字、选用更大的展板尺寸，或把部分内容块移到另一块展板",
        );
        if overflows(0) {
            return Diagnostic::error(
                format!(
                    "the title of board {} does not fit on the board",
                    board.slug
                ),
                format!("展板 {} 的标题区放不下", board.slug),
            )
            .file(&board.source)
            .at_opt(
                &board.yaml,
                crate::load::yaml::find_key(&board.yaml, "title", 1),
            )
            .hint("shorten the title or subtitle", "请缩短标题或副标题");
        }
        let i = lo.min(board.blocks.len().saturating_sub(1));
        let block = &board.blocks[i];
        let name = block.title.as_deref().unwrap_or(&block.kind);
        Diagnostic::error(
            format!(
                "board {}: the content does not fit on one board from block {} ({name}, {}) on",
                board.slug,
                i + 1,
                block.kind
            ),
            format!(
                "展板 {}：从第 {} 个内容块（{name}，{}）起内容超出了一块展板",
                board.slug,
                i + 1,
                block.kind
            ),
        )
        .file(&board.source)
        .at_opt(&board.yaml, block.at)
        .hint(hint.0, hint.1)
    }
}

/// Tells this zhanting binary from another of the same version (a board made by an
/// older build of the templates or the layout code must not be reused).
fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
            .unwrap_or_default()
    })
}

/// Every character the board shows must be in some font: Typst would print a blank box.
fn check_glyphs(board: &Board, site: &Site, fonts: &FontStore) -> Result<(), Vec<Diagnostic>> {
    let config_texts: Vec<&String> = [
        Some(&site.config.title),
        site.config.organization.as_ref(),
        site.brand.as_ref().map(|b| &b.name),
        site.brand.as_ref().and_then(|b| b.slogan.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let book = fonts.book();
    let infos: Vec<&typst::text::FontInfo> = (0..).map_while(|i| book.info(i)).collect();
    let covered = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
            || infos.iter().any(|f| f.coverage.contains(c as u32))
    };
    let mut errors = Vec::new();
    let mut check = |text: &str, what_en: String, what_zh: String, at: Option<(usize, usize)>| {
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars().filter(|&c| !covered(c)) {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
        if let Some(&c) = missing.first() {
            let list: String = missing.iter().take(8).collect();
            errors.push(
                Diagnostic::error(
                    format!(
                        "board {}, {what_en}: no font can show `{c}` (U+{:04X}){}",
                        board.slug,
                        c as u32,
                        if missing.len() > 1 { format!(", nor {}", &list[c.len_utf8()..]) } else { String::new() }
                    ),
                    format!(
                        "展板 {}，{what_zh}：没有字体能显示字符 `{c}`（U+{:04X}）{}",
                        board.slug,
                        c as u32,
                        if missing.len() > 1 { format!("，以及 {}", &list[c.len_utf8()..]) } else { String::new() }
                    ),
                )
                .file(&board.source)
                .at_opt(&board.yaml, crate::load::yaml::find_text(&board.yaml, &c.to_string()).or(at))
                .hint(
                    "the built-in font covers GB 2312; put a font with this character in fonts/ and name it in site.yaml (boards.font), or write a common variant",
                    "内置字体覆盖 GB 2312 字符集；请把含有该字符的字体放进 fonts/ 目录并在 site.yaml 的 boards.font 中指定，或改用常用写法",
                ),
            );
        }
    };
    let mut head = board.title.clone();
    // The title band and the footer, which shows the organization and the slogan.
    let site = &config_texts;
    for s in board
        .subtitle
        .iter()
        .chain(board.series.as_ref().map(|s| &s.name))
        .chain(site.iter().copied())
    {
        head.push('\n');
        head.push_str(s);
    }
    check(&head, "title and footer".into(), "标题与页脚".into(), None);
    for (i, b) in board.blocks.iter().enumerate() {
        check(
            &b.text,
            format!("block {} ({})", i + 1, b.kind),
            format!("第 {} 个内容块（{}）", i + 1, b.kind),
            b.at,
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Long side of the stand-in photos of the first pass, which also makes the preview.
const PROXY_SIDE: u32 = 1000;

fn photo_error(board: &Board, source: &str, e: String) -> Diagnostic {
    Diagnostic::error(
        format!("photo {source} of board {} cannot be read: {e}", board.slug),
        format!("展板 {} 使用的照片 {source} 无法读取：{e}", board.slug),
    )
    .file(source)
    .hint(
        "replace the file with a JPEG, PNG or WebP photo",
        "请换成 JPEG、PNG 或 WebP 格式的照片",
    )
}

fn load_photo(site: &Site, board: &Board, source: &str) -> Result<Photo, Diagnostic> {
    let fail = |e: String| photo_error(board, source, e);
    // Its upright size is known from planning the site's images (album photos all are).
    let picture = site
        .media
        .pictures
        .get(source)
        .ok_or_else(|| fail("not among the site's images".into()))?;
    let (w, h) = (picture.width, picture.height);
    let bytes = std::fs::read(site.root.join(source)).map_err(|e| fail(e.to_string()))?;
    let (pw, ph) = fit(w, h, PROXY_SIDE);
    // Decoded at 1/2, 1/4 or 1/8 scale in the JPEG decoder where that gives enough pixels.
    let image = crate::images::decode(&bytes, (pw, ph)).map_err(fail)?;
    let small = crate::images::resize(&image, pw, ph).map_err(fail)?;
    let proxy = crate::images::encode_jpeg(&small.to_rgb8(), 85).map_err(fail)?;
    Ok(Photo {
        source: source.to_string(),
        bytes,
        size: (w, h),
        proxy: Bytes::new(proxy),
    })
}

/// `w`×`h` scaled to at most `side` on the long side, never up.
fn fit(w: u32, h: u32, side: u32) -> (u32, u32) {
    let scale = side as f64 / w.max(h) as f64;
    if scale >= 1.0 {
        return (w, h);
    }
    (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    )
}

/// The photo as a JPEG of at most [`PRINT_DPI`] at `width_in` inches, never upscaled:
/// the original file (without its metadata) when it is an upright RGB or gray JPEG that
/// needs no downscaling, else decoded, resized and encoded.
fn for_print(p: &Photo, width_in: f64) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error(
            format!("photo {} could not be prepared for print: {e}", p.source),
            format!("照片 {} 无法处理为印刷用图：{e}", p.source),
        )
        .file(&p.source)
    };
    let bytes = &p.bytes;
    let (w, h) = p.size;
    let want = (width_in * PRINT_DPI).ceil().min(u32::MAX as f64) as u32;
    // Up to a quarter more than 300 DPI is kept as is: decoding and encoding again would
    // cost more than the bytes saved.
    if (w as f64) <= want as f64 * 1.25 {
        if let Some(jpeg) = crate::images::jpeg_without_metadata(bytes) {
            return Ok(jpeg);
        }
    }
    let (tw, th) = if want < w {
        (
            want.max(1),
            ((h as f64 * want as f64 / w as f64).round() as u32).max(1),
        )
    } else {
        (w, h)
    };
    // The JPEG decoder's 1/2, 1/4, 1/8 scaling gives at least 80 % of the pixels wanted
    // (240 DPI and more) far faster than a full decode and a resize.
    let floor = ((tw as f64 * 0.8) as u32, (th as f64 * 0.8) as u32);
    let image = crate::images::decode(bytes, floor).map_err(fail)?;
    let img = if image.width() > tw {
        crate::images::resize(&image, tw, th).map_err(fail)?
    } else {
        image
    };
    crate::images::encode_jpeg(&img.to_rgb8(), 90).map_err(fail)
}

/// Printed size (points) of each photo, by index, found in the laid-out page.
fn printed_sizes(doc: &PagedDocument, photos: &[Photo]) -> HashMap<usize, (f64, f64)> {
    // The same photo twice has the same stand-in.
    let mut by_bytes: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, p) in photos.iter().enumerate() {
        by_bytes.entry(p.proxy.as_slice()).or_default().push(i);
    }
    let mut out = HashMap::new();
    type Sizes = HashMap<usize, (f64, f64)>;
    fn walk(frame: &Frame, by: &HashMap<&[u8], Vec<usize>>, out: &mut Sizes) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, by, out),
                FrameItem::Image(img, size, _) => {
                    let ImageKind::Raster(r) = img.kind() else {
                        continue;
                    };
                    for &i in by.get(r.data().as_slice()).into_iter().flatten() {
                        let e = out.entry(i).or_insert((0.0, 0.0));
                        // A photo shown twice is prepared for its larger print.
                        if size.x.to_pt() > e.0 {
                            *e = (size.x.to_pt(), size.y.to_pt());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for page in doc.pages() {
        walk(&page.frame, &by_bytes, &mut out);
    }
    out
}

fn low_dpi(board: &Board, source: &str, w_pt: f64, h_pt: f64, dpi: f64, limit: f64) -> Diagnostic {
    let (w, h) = (w_pt * MM_PER_PT, h_pt * MM_PER_PT);
    Diagnostic::warning(
        format!(
            "photo {source} prints at {w:.0}×{h:.0} mm on board {} with only {dpi:.0} DPI (under {limit:.0})",
            board.slug
        ),
        format!(
            "照片 {source} 在展板 {} 上印刷尺寸为 {w:.0}×{h:.0} 毫米，有效分辨率仅 {dpi:.0} DPI（低于 {limit:.0}）",
            board.slug
        ),
    )
    .file(source)
    .hint(
        "use the camera's original file, or show the photo smaller; it may print blurred",
        "请使用相机拍摄的原图，或把照片排得小一些，否则印出来可能模糊",
    )
}

/// The page at [`PREVIEW_WIDTH`] pixels wide, trim area only, as PNG.
fn preview(doc: &PagedDocument) -> Result<Vec<u8>, String> {
    let page = doc.pages().first().ok_or("the board has no page")?;
    let width_pt = page.frame.width().to_pt();
    let opts = typst_render::RenderOptions {
        pixel_per_pt: (PREVIEW_WIDTH as f64 / width_pt).into(),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &opts);
    let (w, h) = (pixmap.width(), pixmap.height());
    // Premultiplied RGBA over an opaque background: the colour channels are the colour.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let img = image::RgbImage::from_raw(w, h, rgb).ok_or("bad preview size")?;
    let mut png = Vec::new();
    // Fast deflate: a third of the time of the default for ~10 % more bytes.
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    image::DynamicImage::ImageRgb8(img)
        .write_with_encoder(encoder)
        .map_err(|e| e.to_string())?;
    Ok(png)
}
