//! Exhibition boards (展板): each board's data laid out by a Typst template into a
//! print-ready PDF (trim size plus bleed, TrimBox and BleedBox, fonts embedded, photos
//! at the resolution the print needs) and a PNG preview.
//!
//! Boards are laid out in parallel, each in its own `world::BoardWorld`. A board's
//! results are kept under `.zhanting-cache/boards/` (and in memory for `serve`), keyed by
//! everything that went into them, so a rebuild lays out only the boards that changed.

pub mod cards;
pub mod fonts;
pub mod inputs;
mod layout;
mod pdf;
pub(crate) mod photos;
pub mod preflight;
pub(crate) mod store;
pub(crate) mod world;

use crate::artifact::{Content, Counts, OutputFile, RenderContext, Rendered, Renderer};
use crate::cache::{DiskCache, Memo};
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Board, Site};
use crate::urls::routes;
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};
use typst_kit::fonts::FontStore;

/// One board laid out: its print file and preview, and the warnings laying it out gave.
#[derive(Debug, Clone)]
pub struct Laid {
    pub slug: String,
    pub pdf: Arc<[u8]>,
    pub png: Arc<[u8]>,
    pub warnings: Vec<Diagnostic>,
    pub preflight: preflight::Preflight,
    /// Its key in the cache.
    key: String,
}

/// The boards renderer: `/boards/SLUG.pdf` and `/boards/SLUG.png` for each board (their
/// web pages are HTML pages).
#[derive(Default)]
pub struct Boards {
    /// Only the board with this slug (`zhanting boards --only`).
    only: Option<String>,
    /// Boards kept in memory between rebuilds (`zhanting serve`).
    memo: Option<Memo<Laid>>,
    /// Where the boards' preflight goes (`zhanting boards --preflight`).
    preflight: Option<Arc<std::sync::Mutex<Vec<preflight::Preflight>>>>,
}

impl Boards {
    /// Only the board `slug`; an unknown slug is an error listing the boards.
    pub fn only(slug: Option<String>) -> Boards {
        Boards {
            only: slug,
            ..Boards::default()
        }
    }

    /// These boards, handing each board's preflight to `rows`.
    pub fn with_preflight(
        mut self,
        rows: Arc<std::sync::Mutex<Vec<preflight::Preflight>>>,
    ) -> Boards {
        self.preflight = Some(rows);
        self
    }

    /// Boards that keep what they laid out in memory, for rebuild after rebuild.
    pub fn kept() -> Boards {
        Boards {
            memo: Some(Memo::default()),
            ..Boards::default()
        }
    }
}

impl Renderer for Boards {
    fn name(&self) -> &'static str {
        "boards"
    }

    fn render(&self, ctx: &RenderContext, diags: &mut Diagnostics) -> Rendered {
        let site = ctx.site;
        let Some(boards) = self.chosen(site, diags) else {
            return Rendered::default();
        };
        if boards.is_empty() {
            return Rendered::default();
        }
        let job = Job {
            site,
            fonts: OnceLock::new(),
            store: store::Store {
                disk: DiskCache::new(&site.root, store::CACHE),
                memo: self.memo.as_ref(),
            },
        };
        let bar = crate::images::progress_bar(boards.len(), "boards");
        // As many boards in their first pass at once as there are threads, then their
        // second passes one after the other: a second pass holds the board's photos
        // decoded at full size (Typst decodes every image it is given), so only one
        // board's are ever in memory (six camera-photo boards peaked at 760 MB with
        // every board in flight, 346 MB with two, 2xx MB with one second pass).
        let in_flight = rayon::current_num_threads().max(1);
        let mut results: Vec<(Option<(Laid, bool)>, Diagnostics)> = Vec::new();
        for chunk in boards.chunks(in_flight) {
            let firsts: Vec<(Step, Diagnostics)> = chunk
                .par_iter()
                .map(|b| {
                    let mut diags = Diagnostics::new();
                    let step = job.first(b, &mut diags);
                    (step, diags)
                })
                .collect();
            world::give_back();
            for (step, mut diags) in firsts {
                let r = job.second(step, &mut diags);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                results.push((r, diags));
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let (laid, counts) = gather(results, diags);
        if let Some(rows) = &self.preflight {
            let mut rows = rows.lock().unwrap_or_else(|e| e.into_inner());
            *rows = laid.iter().map(|b| b.preflight.clone()).collect();
        }
        if self.only.is_none() && !diags.has_errors() {
            job.store.prune(&laid);
        }
        let files = laid
            .iter()
            .flat_map(|b| {
                [("pdf", b.pdf.clone()), ("png", b.png.clone())].map(|(ext, bytes)| {
                    let path = routes::board_file(&b.slug, ext);
                    OutputFile::generated(&path[1..], Content::Shared(bytes))
                })
            })
            .collect();
        Rendered {
            files,
            counts: Some(counts),
        }
    }
}

impl Boards {
    /// The boards to lay out: all, or the one `--only` names.
    fn chosen<'s>(&self, site: &'s Site, diags: &mut Diagnostics) -> Option<Vec<&'s Board>> {
        let Some(slug) = &self.only else {
            return Some(site.boards.iter().collect());
        };
        let found: Vec<&Board> = site.boards.iter().filter(|b| &b.slug == slug).collect();
        if found.is_empty() {
            let known: Vec<&str> = site.boards.iter().map(|b| b.slug.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    format!("there is no board `{slug}`"),
                    format!("没有名为 `{slug}` 的展板"),
                )
                .hint(
                    format!("boards of this site: {}", known.join(", ")),
                    format!("本站的展板：{}", known.join("、")),
                ),
            );
            return None;
        }
        Some(found)
    }
}

/// The boards laid out and the counts; every error (a font missing for every board
/// reported once), then every warning, into `diags`.
fn gather(
    results: Vec<(Option<(Laid, bool)>, Diagnostics)>,
    diags: &mut Diagnostics,
) -> (Vec<Laid>, Counts) {
    let mut laid = Vec::new();
    let mut counts = Counts::default();
    let mut errors = Diagnostics::new();
    let mut warnings = Vec::new();
    for (r, d) in results {
        for d in d {
            if d.is_error() {
                errors.push(d);
            } else {
                warnings.push(d);
            }
        }
        if let Some((b, made)) = r {
            if made {
                counts.made += 1;
            } else {
                counts.reused += 1;
            }
            warnings.extend(b.warnings.iter().cloned());
            laid.push(b);
        }
    }
    errors.sort_dedup();
    diags.extend(errors);
    diags.extend(warnings);
    (laid, counts)
}

/// A board between its two passes.
enum Step<'b> {
    Cached(Box<Laid>),
    Failed,
    Half {
        board: &'b Board,
        inputs: serde_json::Value,
        key: String,
        fonts: Arc<FontStore>,
        first: Box<layout::First>,
        /// What the board's characters gave: system fonts used, characters no font has.
        glyphs: Vec<Diagnostic>,
    },
}

/// What laying out a site's boards shares.
struct Job<'a> {
    site: &'a Site,
    /// Loaded when the first board needs laying out: a build whose boards all come
    /// from the cache scans no font.
    fonts: OnceLock<Result<Arc<fonts::Fonts>, Diagnostic>>,
    store: store::Store<'a>,
}

impl Job<'_> {
    fn fonts(&self, diags: &mut Diagnostics) -> Option<Arc<fonts::Fonts>> {
        self.fonts
            .get_or_init(|| fonts::Fonts::load(self.site).map(Arc::new))
            .clone()
            .map_err(|d| diags.push(d))
            .ok()
    }

    /// One board's first pass ([`layout::Layout::first`]), or the board from the cache
    /// when nothing it is made from changed.
    fn first<'b>(&self, board: &'b Board, diags: &mut Diagnostics) -> Step<'b> {
        let inputs = inputs::inputs(self.site, board);
        let key = store::key(self.site, board, &inputs);
        if let Some(hit) = self.store.get(&board.slug, &key) {
            // Its characters were checked when it was laid out, with these inputs.
            return Step::Cached(Box::new(hit));
        }
        let Some(fonts) = self.fonts(diags) else {
            return Step::Failed;
        };
        // A character the built-in and site fonts lack is drawn with a system font, or,
        // when none has it, is a warning: the board is still made.
        let parts = fonts::board_parts(board, self.site);
        let chosen = fonts.choose(&fonts::text_of(&parts));
        let what = (
            format!("board {}", board.slug),
            format!("展板 {}", board.slug),
        );
        let glyphs = chosen.report(self.site, (&what.0, &what.1), &parts);
        let mut inputs = inputs;
        chosen.apply(&mut inputs);
        let fonts = chosen.store;
        let first = self.layout(board, &inputs, fonts.clone()).first(diags);
        match first {
            Some(first) => Step::Half {
                board,
                inputs,
                key,
                fonts,
                first: Box::new(first),
                glyphs,
            },
            None => Step::Failed,
        }
    }

    /// The board from its first pass: laid out now (`true`), or from the cache (`false`).
    fn second(&self, step: Step, diags: &mut Diagnostics) -> Option<(Laid, bool)> {
        match step {
            Step::Cached(hit) => Some((*hit, false)),
            Step::Failed => None,
            Step::Half {
                board,
                inputs,
                key,
                fonts,
                first,
                glyphs,
            } => {
                let laid = self
                    .layout(board, &inputs, fonts)
                    .second(*first, key, diags);
                // Typst's memoized results hold the photos decoded at full size.
                world::forget();
                let mut laid = laid?;
                // Kept with the board: a board from the cache says the same. A board with
                // a character no font has is not kept: laid out again on the next build,
                // with the fonts there are then.
                let lacking = glyphs.iter().any(fonts::is_missing_glyph);
                laid.warnings.splice(0..0, glyphs);
                if !lacking {
                    self.store.put(&laid);
                }
                Some((laid, true))
            }
        }
    }

    fn layout<'s>(
        &'s self,
        board: &'s Board,
        inputs: &'s serde_json::Value,
        fonts: Arc<FontStore>,
    ) -> layout::Layout<'s> {
        layout::Layout {
            site: self.site,
            board,
            inputs,
            templates: self.site.board_templates.clone(),
            fonts,
        }
    }
}
