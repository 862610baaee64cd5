//! What a board template reads from `sys.inputs`: the board, the site, the theme, the
//! fonts and the blocks, as plain data made from the model. User text stays data (a
//! template places it as text), so it is never read as Typst markup.

use crate::model::{BlockContent, Board, Site};
use serde_json::{json, Value};

pub use crate::typeset::{fonts, BODY_FONT, TITLE_FONT};
/// Room for crop marks outside the bleed, in millimetres.
pub const MARKS_SLUG: f64 = 10.0;

/// The path a template shows photo `i` of the board by (its blocks' photos in order).
pub fn photo_path(i: usize) -> String {
    format!("/photos/{i}.jpg")
}

/// The template's `sys.inputs` for `board`.
pub fn inputs(site: &Site, board: &Board) -> Value {
    let config = &site.config;
    json!({
        "board": {
            "title": board.title,
            "subtitle": board.subtitle,
            "series": board.series,
            "width": board.size.0,
            // The trim: the visible part and a roll-up's hidden strip.
            "height": board.trim().1,
            "hidden": board.hidden,
            "safe": board.safe,
            "corners": board.process.corners(),
            "process": board.process.name(),
            "qr": qr(board),
            "bleed": board.bleed,
            "marks": board.marks,
            "slug": if board.marks { MARKS_SLUG } else { 0.0 },
            "layout": board.layout,
        },
        "site": {
            "title": config.title,
            "organization": config.organization,
            "brand": site.brand.as_ref().map(|b| &b.name),
            "slogan": site.brand.as_ref().and_then(|b| b.slogan.as_ref()),
        },
        "theme": {
            "name": board.theme,
            "primary": config.theme.primary,
            "accent": config.theme.accent,
            "inks": {
                "primary": config.boards.cmyk.primary,
                "accent": config.boards.cmyk.accent,
            },
        },
        "fonts": fonts(site),
        "blocks": blocks(board),
    })
}

/// The board's QR code for the template to draw as vectors: its side in modules (quiet
/// zone included), the runs of dark modules `[x, y, length]`, its size in mm and label.
fn qr(board: &Board) -> Value {
    let Some(q) = &board.qr else {
        return Value::Null;
    };
    let code = &q.code;
    let runs: Vec<[usize; 3]> = code.runs().into_iter().map(|(x, y, w)| [x, y, w]).collect();
    json!({
        "url": q.url,
        "label": q.label,
        "size": q.size,
        "side": code.side(),
        "runs": runs,
    })
}

/// Each block's data with its `type`, `title` and `width`.
fn blocks(board: &Board) -> Vec<Value> {
    let mut photo = 0;
    board
        .blocks
        .iter()
        .map(|b| {
            let mut data = match &b.content {
                BlockContent::Text { body } => json!({ "body": body }),
                BlockContent::Stats { items } => json!({ "items": items }),
                BlockContent::Timeline { items } => json!({ "items": items }),
                BlockContent::Pillars { brand, items } => json!({ "items": items, "brand": brand }),
                BlockContent::Quote { text, source } => json!({ "text": text, "source": source }),
                BlockContent::Photos { album, photos } => {
                    let items: Vec<Value> = photos
                        .iter()
                        .map(|p| {
                            photo += 1;
                            json!({ "path": photo_path(photo - 1), "caption": p.caption })
                        })
                        .collect();
                    json!({ "photos": items, "album": album })
                }
            };
            if let Value::Object(map) = &mut data {
                map.insert("type".into(), json!(b.content.kind()));
                map.insert("title".into(), json!(b.title));
                map.insert("width".into(), json!(b.width));
            }
            data
        })
        .collect()
}
