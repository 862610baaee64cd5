//! Laying out one board: Typst compiles its template twice — first with stand-ins of
//! the photos at preview resolution (which gives the layout, the preview and each
//! photo's printed size), then with the photos as they will be printed — and the PDF
//! gets its BleedBox. A board that takes more than one page is an error naming the
//! block from which it no longer fits.

use super::photos::{self, Photo};
use super::world::{BoardWorld, Templates};
use super::{inputs, pdf, preflight, Laid};
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Board, Process, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use typst::diag::SourceDiagnostic;
use typst::foundations::Bytes;
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// The photo printed at the lowest resolution, with its DPI.
fn lowest_dpi(photos: &[Photo], printed: &HashMap<usize, (f64, f64)>) -> Option<(f64, String)> {
    photos
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let &(w_pt, _) = printed.get(&i)?;
            Some((p.size.0 as f64 / (w_pt / 72.0), p.source.clone()))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// What the board library's fit solver panics with when the blocks are taller than the
/// board even with photos and type at their smallest: `…: block N, X mm over`.
const OVERFLOW: &str = "zhanting: the blocks do not fit";

/// A board after its first pass, waiting for its second.
pub struct First {
    photos: Vec<Photo>,
    proxies: HashMap<String, Bytes>,
    doc: PagedDocument,
    printed: HashMap<usize, (f64, f64)>,
    warnings: Vec<Diagnostic>,
    preflight: preflight::Preflight,
    png: Vec<u8>,
}

/// One board to lay out, with what its template reads.
pub struct Layout<'a> {
    pub site: &'a Site,
    pub board: &'a Board,
    pub inputs: &'a serde_json::Value,
    pub templates: Templates,
    pub fonts: Arc<FontStore>,
}

impl Layout<'_> {
    /// Pass 1, with stand-ins of the photos at preview resolution: the layout, the
    /// preview, each photo's printed size and the checks. Holds no photo decoded at full
    /// size, so boards can go through it side by side.
    pub fn first(&self, diags: &mut Diagnostics) -> Option<First> {
        let board = self.board;
        let t0 = std::time::Instant::now();
        let photos = board
            .photos()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|p| photos::load_photo(self.site, board, &p.source))
            .collect::<Result<Vec<Photo>, Diagnostic>>()
            .map_err(|d| diags.push(d))
            .ok()?;
        self.tick("photos", t0);
        let proxies: HashMap<String, Bytes> = photos
            .iter()
            .enumerate()
            .map(|(i, p)| (inputs::photo_path(i), p.proxy.clone()))
            .collect();
        let (doc, mut warnings) = self.one_page(proxies.clone(), &proxies, diags)?;
        self.tick("pass1", t0);
        let printed = photos::printed_sizes(&doc, &photos);
        warnings.extend(self.low_dpi(&photos, &printed));
        let preflight = preflight::measure(board, &doc, lowest_dpi(&photos, &printed));
        if let Some(t) = preflight.smallest_text.filter(|_| !preflight.passes()[1]) {
            warnings.push(preflight::small_text(board, t));
        }
        let png = photos::preview(&doc)
            .map_err(|e| {
                diags.push(
                    Diagnostic::error(
                        format!("the preview of board {} could not be made: {e}", board.slug),
                        format!("展板 {} 的预览图无法生成：{e}", board.slug),
                    )
                    .file(&board.source),
                )
            })
            .ok()?;
        self.tick("preview", t0);
        Some(First {
            photos,
            proxies,
            doc,
            printed,
            warnings,
            preflight,
            png,
        })
    }

    /// Pass 2, with the photos as they will be printed (decoded at full size by Typst),
    /// and the PDF: one board at a time.
    pub fn second(&self, first: First, key: String, diags: &mut Diagnostics) -> Option<Laid> {
        let First {
            photos,
            proxies,
            doc,
            printed,
            warnings,
            preflight,
            png,
        } = first;
        let t0 = std::time::Instant::now();
        let doc = self.print_pass(&doc, &photos, &printed, &proxies, diags)?;
        self.tick("pass2", t0);
        let pdf = self.pdf(&doc, diags)?;
        self.tick("pdf", t0);
        Some(Laid {
            slug: self.board.slug.clone(),
            pdf: pdf.into(),
            png: png.into(),
            warnings,
            preflight,
            key,
        })
    }

    /// With `ZHANTING_TIMINGS` set, how long the board's step took.
    fn tick(&self, what: &str, start: std::time::Instant) {
        crate::timing::timing(&format!("board {}: {what}", self.board.slug), start);
    }

    /// Pass 2, with the photos as they will be printed.
    fn print_pass(
        &self,
        doc: &PagedDocument,
        photos: &[Photo],
        printed: &HashMap<usize, (f64, f64)>,
        proxies: &HashMap<String, Bytes>,
        diags: &mut Diagnostics,
    ) -> Option<PagedDocument> {
        if photos.is_empty() {
            return Some(doc.clone());
        }
        let finals = photos
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                // A photo the template does not show goes in whole.
                let width_in = printed.get(&i).map_or(f64::INFINITY, |s| s.0 / 72.0);
                let bytes = Bytes::new(photos::for_print(p, width_in)?);
                // Typst decodes each image it is given, one after the other, while it
                // lays out; decoded here side by side, its memoized decoder finds them.
                let _ = typst::visualize::RasterImage::new(
                    bytes.clone(),
                    typst::visualize::ExchangeFormat::Jpg,
                    typst::foundations::Smart::Auto,
                );
                Ok((inputs::photo_path(i), bytes))
            })
            .collect::<Result<HashMap<_, _>, Diagnostic>>()
            .map_err(|d| diags.push(d))
            .ok()?;
        // The photos have their stand-ins' shape, so the second pass lays out as the
        // first did; checked anyway, as a board must never be printed cut in two.
        self.one_page(finals, proxies, diags).map(|(doc, _)| doc)
    }

    /// The warnings for photos printed under the DPI limit.
    fn low_dpi(&self, photos: &[Photo], printed: &HashMap<usize, (f64, f64)>) -> Vec<Diagnostic> {
        let limit = self.board.dpi_warning as f64;
        photos
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let &(w_pt, h_pt) = printed.get(&i)?;
                let dpi = p.size.0 as f64 / (w_pt / 72.0);
                (dpi < limit).then(|| photos::low_dpi(self.board, p, w_pt, h_pt, dpi, limit))
            })
            .collect()
    }

    fn pdf(&self, doc: &PagedDocument, diags: &mut Diagnostics) -> Option<Vec<u8>> {
        let board = self.board;
        let pdf = typst_pdf::pdf(
            doc,
            &typst_pdf::PdfOptions {
                ident: typst::foundations::Smart::Custom(board.slug.clone()),
                // A print file: no structure tree (poppler also warns about Typst's).
                tagged: false,
                ..Default::default()
            },
        )
        .map_err(|e| diags.extend(self.typst_errors(&e, None)))
        .ok()?;
        Some(pdf::add_bleed_box(pdf, board.bleed))
    }

    /// The board laid out with `photos`, which must take one page (else the error names
    /// the block that does not fit, found with the stand-ins `proxies`).
    fn one_page(
        &self,
        photos: HashMap<String, Bytes>,
        proxies: &HashMap<String, Bytes>,
        diags: &mut Diagnostics,
    ) -> Option<(PagedDocument, Vec<Diagnostic>)> {
        match self.compile_with(self.inputs, photos) {
            Ok((doc, _)) if doc.pages().len() > 1 => {
                diags.push(self.overflow(proxies, Some(spill_mm(&doc))));
                None
            }
            Ok(done) => Some(done),
            // The library's fit solver found the blocks too tall for the board: it names
            // the block that crosses the foot and by how much.
            Err(errors) if errors.iter().any(|e| e.message.en.contains(OVERFLOW)) => {
                let verdict = errors.iter().find_map(|e| Overflow::parse(&e.message.en));
                diags.push(match verdict {
                    Some(v) => v.diagnostic(self.board),
                    None => self.overflow(proxies, None),
                });
                None
            }
            Err(errors) => {
                diags.extend(errors);
                None
            }
        }
    }

    /// Compiles the template with `inputs`: the document and its warnings, or every
    /// error. Typst's unknown-font warning is an error: the board would print in
    /// another font.
    fn compile_with(
        &self,
        inputs: &serde_json::Value,
        photos: HashMap<String, Bytes>,
    ) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
        let world = self.world(inputs, photos)?;
        world
            .compile()
            .map(|(doc, warnings)| (doc, self.typst_errors(&warnings, Some(&world))))
            .map_err(|errors| self.typst_errors(&errors, Some(&world)))
    }

    fn world(
        &self,
        inputs: &serde_json::Value,
        photos: HashMap<String, Bytes>,
    ) -> Result<BoardWorld, Vec<Diagnostic>> {
        let board = self.board;
        BoardWorld::from_json(
            &board.layout,
            inputs,
            self.fonts.clone(),
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

    /// Typst's diagnostics as ours: the template file, line and column (else the
    /// board's file), and the board.
    fn typst_errors(
        &self,
        diags: &[SourceDiagnostic],
        world: Option<&BoardWorld>,
    ) -> Vec<Diagnostic> {
        let source = &self.board.source;
        let what = (format!("board {source}"), format!("展板 {source}"));
        diags
            .iter()
            .map(|d| {
                let out = super::world::diagnostic(world, d, (&what.0, &what.1));
                if out.file.is_none() {
                    out.file(source)
                } else {
                    out
                }
            })
            .collect()
    }

    /// Names the block that does not fit in a layout without the fit solver (a site's
    /// own): the first `k` such that the board with blocks `..k` already takes more
    /// than one page; `over` is how much the content took on the pages after the first.
    fn overflow(&self, photos: &HashMap<String, Bytes>, over: Option<f64>) -> Diagnostic {
        let board = self.board;
        let overflows = |k: usize| {
            let mut inputs = self.inputs.clone();
            if let Some(blocks) = inputs["blocks"].as_array_mut() {
                blocks.truncate(k);
            }
            // A second page, or the library's signal (an error).
            self.compile_with(&inputs, photos.clone())
                .map(|(doc, _)| doc.pages().len() > 1)
                .unwrap_or(true)
        };
        if overflows(0) {
            return Overflow { block: 0, over }.diagnostic(board);
        }
        let (mut lo, mut hi) = (0, board.blocks.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if overflows(mid + 1) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let block = lo.min(board.blocks.len().saturating_sub(1)) + 1;
        Overflow { block, over }.diagnostic(board)
    }
}

/// How much the content took on the pages after the first, in mm: from the top of what
/// each holds to its bottom.
fn spill_mm(doc: &PagedDocument) -> f64 {
    fn extent(frame: &typst::layout::Frame, at: typst::layout::Point) -> Option<(f64, f64)> {
        use typst::layout::FrameItem;
        frame
            .items()
            .filter_map(|(pos, item)| {
                let top = (at.y + pos.y).to_pt();
                match item {
                    FrameItem::Group(g) => extent(&g.frame, at + *pos),
                    FrameItem::Text(t) => Some((top - t.size.to_pt(), top)),
                    FrameItem::Shape(s, _) => Some((top, top + s.bbox(false).size().y.to_pt())),
                    FrameItem::Image(_, size, _) => Some((top, top + size.y.to_pt())),
                    _ => None,
                }
            })
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
    let pt = doc
        .pages()
        .iter()
        .skip(1)
        .filter_map(|p| extent(&p.frame, typst::layout::Point::zero()))
        .map(|(top, bottom)| bottom - top)
        .sum::<f64>();
    pt * 25.4 / 72.0
}

/// A board whose content does not fit: from block `block` (1-based; 0: the head and
/// foot alone) on, `over` mm more than the sheet holds.
#[derive(Debug, PartialEq)]
struct Overflow {
    block: usize,
    over: Option<f64>,
}

impl Overflow {
    /// The fit solver's verdict in its panic message (`…: block 3, 123.4 mm over`).
    fn parse(message: &str) -> Option<Overflow> {
        let rest = &message[message.find(OVERFLOW)? + OVERFLOW.len()..];
        let rest = rest.strip_prefix(": block ")?;
        let (block, rest) = rest.split_once(", ")?;
        let over = rest.split_once(" mm over")?.0;
        Some(Overflow {
            block: block.trim().parse().ok()?,
            over: Some(over.trim().parse().ok()?),
        })
    }

    /// The error: which block, by how much, and the remedy that fits the sheet's shape —
    /// a roll-up or X-stand is as large as its stand, a wide banner gains nothing from
    /// more width, a portrait board can be taller.
    fn diagnostic(&self, board: &Board) -> Diagnostic {
        let slug = &board.slug;
        let over = self.over.map(|mm| mm.max(1.0).ceil());
        let (by_en, by_zh) = match over {
            Some(mm) => (format!(" by {mm:.0} mm"), format!("{mm:.0} 毫米")),
            None => (String::new(), String::new()),
        };
        let (w, h) = board.size;
        let taller = over.map(|mm| ((h + mm) / 10.0).ceil() * 10.0);
        let smallest = (
            format!(
                "even with photos and type at their smallest for {} m",
                board.viewing_distance
            ),
            format!(
                "照片和文字已缩到 {} 米观看距离允许的最小",
                board.viewing_distance
            ),
        );
        if self.block == 0 {
            let (hint_en, hint_zh) = if board.qr.is_some() {
                (
                    "shorten the title or subtitle, or make the QR code smaller (`qr: { size: … }`)",
                    "请缩短标题或副标题，或把二维码改小（`qr: { size: … }`）",
                )
            } else {
                ("shorten the title or subtitle", "请缩短标题或副标题")
            };
            return Diagnostic::error(
                format!("the title of board {slug} does not fit on the board{by_en}"),
                if by_zh.is_empty() {
                    format!("展板 {slug} 的标题区放不下")
                } else {
                    format!("展板 {slug} 的标题区放不下，超出 {by_zh}")
                },
            )
            .file(&board.source)
            .at_opt(&board.yaml, crate::yaml::find_key(&board.yaml, "title", 1))
            .hint(hint_en, hint_zh);
        }
        let i = self.block.min(board.blocks.len()).max(1) - 1;
        let block = &board.blocks[i];
        let kind = block.content.kind();
        // The block as the user knows it: its title and type, or its type.
        let name_en = match &block.title {
            Some(t) => format!("{t}, {kind}"),
            None => kind.to_string(),
        };
        let name_zh = match &block.title {
            Some(t) => format!("{t}，{}", kind_zh(kind)),
            None => kind_zh(kind).to_string(),
        };
        let n = i + 1;
        // The size of board that would hold it.
        let size: (String, String) = taller
            .map(|t| {
                (
                    format!(" (about {w:.0}×{t:.0} mm)"),
                    format!("（约 {w:.0}×{t:.0} 毫米）"),
                )
            })
            .unwrap_or_default();
        let (hint_en, hint_zh) = match board.process {
            Process::Rollup | Process::Xstand => {
                let what = board.process.label_zh();
                (
                    format!(
                        "a {} is as large as its stand: shorten the text, drop a block, or move the blocks from block {n} on to a second one",
                        if board.process == Process::Rollup { "roll-up" } else { "X-stand" }
                    ),
                    format!("{what}的尺寸由支架决定：请精简文字、删去内容块，或把第 {n} 个内容块起的内容移到第二块{what}"),
                )
            }
            _ if w > h => {
                (
                    format!(
                        "a wider banner holds no more: give two blocks `width: half` so they sit side by side, shorten or drop blocks, or make it taller{}",
                        size.0
                    ),
                    format!(
                        "横幅加宽也放不下更多内容：请给两个内容块写 `width: half` 让它们并排，精简或删去内容块，或加高横幅{}",
                        size.1
                    ),
                )
            }
            _ => {
                (
                    format!(
                        "choose a taller board{}, shorten the text, or move the blocks from block {n} on to another board",
                        size.0
                    ),
                    format!(
                        "请选用更高的展板{}、精简文字，或把第 {n} 个内容块起的内容移到另一块展板",
                        size.1
                    ),
                )
            }
        };
        let (en, zh) = match over {
            Some(_) => (
                format!(
                    "board {slug}: block {n} ({name_en}) does not fit: the content is taller than the board{by_en}, {}",
                    smallest.0
                ),
                format!(
                    "展板 {slug}：第 {n} 个内容块（{name_zh}）放不下：{}，内容仍比展板高出 {by_zh}",
                    smallest.1
                ),
            ),
            None => (
                format!("board {slug}: the content does not fit on one board from block {n} ({name_en}) on"),
                format!("展板 {slug}：从第 {n} 个内容块（{name_zh}）起内容超出了一块展板"),
            ),
        };
        Diagnostic::error(en, zh)
            .file(&board.source)
            .at_opt(&board.yaml, block.at)
            .hint(hint_en, hint_zh)
    }
}

/// A block type as the user guide names it in Chinese.
fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "text" => "文字",
        "stats" => "统计数字",
        "photos" => "照片",
        "timeline" => "时间轴",
        "pillars" => "工作载体",
        "quote" => "引语",
        _ => "内容块",
    }
}
