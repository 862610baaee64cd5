//! Preflight (印前检查): what a print shop checks before it prints a board — process,
//! trim and media size, bleed, colour model, the lowest photo resolution, the smallest
//! text against what can be read from the viewing distance, and the QR code's size —
//! measured on the laid-out board. `zhanting boards --preflight` prints one row per
//! board; every failing check is also a warning of the build.

use crate::error::Diagnostic;
use crate::model::Board;
use serde::{Deserialize, Serialize};
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

/// One board's preflight, kept with the board in the cache.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Preflight {
    pub slug: String,
    pub process: String,
    /// Trim size, mm.
    pub trim: (f64, f64),
    /// The PDF page: trim, bleed and crop-mark slug, mm.
    pub media: (f64, f64),
    pub bleed: f64,
    /// Colour model of the theme colours and text.
    pub colour: String,
    /// The lowest resolution of a photo at its printed size, and the photo.
    pub lowest_dpi: Option<(f64, String)>,
    pub dpi_limit: f64,
    /// The smallest text on the board, pt.
    pub smallest_text: Option<f64>,
    /// What can be read from the viewing distance, pt.
    pub text_limit: f64,
    /// The QR code's side, mm.
    pub qr: Option<f64>,
    pub qr_limit: f64,
}

impl Preflight {
    /// Whether each check passes: DPI, text, QR.
    pub fn passes(&self) -> [bool; 3] {
        [
            self.lowest_dpi
                .as_ref()
                .is_none_or(|(d, _)| *d >= self.dpi_limit),
            self.smallest_text
                .is_none_or(|t| t + 0.05 >= self.text_limit),
            self.qr.is_none_or(|q| q + 0.05 >= self.qr_limit),
        ]
    }
}

/// The preflight of `board` laid out as `doc`, with the lowest photo DPI found.
pub fn measure(board: &Board, doc: &PagedDocument, lowest_dpi: Option<(f64, String)>) -> Preflight {
    let (w, h) = board.trim();
    let slug_mm = if board.marks {
        super::inputs::MARKS_SLUG
    } else {
        0.0
    };
    let around = 2.0 * (board.bleed + slug_mm);
    Preflight {
        slug: board.slug.clone(),
        process: board.process.name().to_string(),
        trim: (w, h),
        media: (w + around, h + around),
        bleed: board.bleed,
        colour: "CMYK".to_string(),
        lowest_dpi,
        dpi_limit: board.dpi_warning as f64,
        smallest_text: doc.pages().first().and_then(|p| smallest_text(&p.frame)),
        text_limit: board.min_text_pt(),
        qr: board.qr.as_ref().map(|q| q.size),
        qr_limit: board.min_qr_mm(),
    }
}

/// The smallest font size used in `frame`, pt.
fn smallest_text(frame: &Frame) -> Option<f64> {
    frame
        .items()
        .filter_map(|(_, item)| match item {
            FrameItem::Group(g) => smallest_text(&g.frame),
            FrameItem::Text(t) if !t.glyphs.is_empty() => Some(t.size.to_pt()),
            _ => None,
        })
        .reduce(f64::min)
}

/// The warning for text smaller than can be read from the viewing distance.
pub fn small_text(board: &Board, smallest: f64) -> Diagnostic {
    let (limit, distance) = (board.min_text_pt(), board.viewing_distance);
    Diagnostic::warning(
        format!(
            "board {}: the smallest text is {smallest:.1} pt, under the {limit:.0} pt that can be read from {distance} m",
            board.slug
        ),
        format!(
            "展板 {}：最小的文字只有 {smallest:.1} 磅，在 {distance} 米外难以看清（至少 {limit:.0} 磅）",
            board.slug
        ),
    )
    .file(board.source.as_str())
    .hint(
        "choose a larger board size, shorten the text so it can grow, or set `viewing_distance:` to how far away people really read it",
        "请选用更大的展板尺寸、精简文字让字号变大，或把 `viewing_distance:` 设为实际的观看距离",
    )
}

/// The preflight table, one row per board, in the user's language.
pub fn table(rows: &[Preflight], zh: bool) -> String {
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    let mut out = String::new();
    out.push_str(if zh {
        "展板 | 工艺 | 成品尺寸 mm | 文件尺寸 mm | 出血 | 色彩 | 最低照片分辨率 | 最小字号 | 二维码\n"
    } else {
        "board | process | trim mm | media mm | bleed | colour | lowest photo DPI | smallest text | QR code\n"
    });
    for r in rows {
        let [dpi_ok, text_ok, qr_ok] = r.passes();
        let dpi = match &r.lowest_dpi {
            Some((d, photo)) => format!("{} {d:.0} ({photo}) ≥ {:.0}", mark(dpi_ok), r.dpi_limit),
            None => "—".to_string(),
        };
        let text = match r.smallest_text {
            Some(t) => format!("{} {t:.1} pt ≥ {:.0}", mark(text_ok), r.text_limit),
            None => "—".to_string(),
        };
        let qr = match r.qr {
            Some(q) => format!("{} {q:.0} mm ≥ {:.0}", mark(qr_ok), r.qr_limit),
            None => "—".to_string(),
        };
        out.push_str(&format!(
            "{} | {} | {:.0}×{:.0} | {:.0}×{:.0} | {} mm | {} | {dpi} | {text} | {qr}\n",
            r.slug, r.process, r.trim.0, r.trim.1, r.media.0, r.media.1, r.bleed, r.colour
        ));
    }
    out
}
