//! Link cards: the 1200×630 JPEG a chat app (WeChat, QQ, DingTalk) shows beside a shared
//! link, cropped from the cover of each page and album. The image pipeline makes a
//! cover's card from the same decoded picture as its sizes, into its cache, named by the
//! cover's hash (`KEY-card.jpg`), so a rebuild does no card work. A cover under 600 px
//! wide makes no card (it would be blurred): a warning says so, and the page's preview
//! shows the site's picture instead (`render::pages`, `share`).

use super::{encode_jpeg, resize};
use crate::error::{Diagnostic, Diagnostics};
use crate::model::media::{CARD_MIN_WIDTH, CARD_SIZE};
use crate::model::Site;
use std::collections::BTreeMap;

/// JPEG quality of the cards: they are seen small, in a chat.
const QUALITY: u8 = 82;

/// The covers that get a card: source → site path of the card.
pub type Cards = BTreeMap<String, String>;

/// The covers of pages and albums that get a card. A cover too narrow for a card is a
/// warning naming the page.
pub fn covers(site: &Site, diags: &mut Diagnostics) -> Cards {
    let page_covers = site
        .pages
        .iter()
        .filter_map(|p| Some((p.cover.as_ref()?.source.as_str(), &*p.source)));
    let album_covers = site
        .albums
        .iter()
        .filter_map(|a| Some((a.cover_source()?, "")));
    let page_covers = page_covers.map(|(source, page)| (source.to_string(), page));
    let mut out = BTreeMap::new();
    for (source, page) in page_covers.chain(album_covers) {
        let Some(picture) = site.media.pictures.get(&source) else {
            continue;
        };
        match picture.card() {
            Some(path) => {
                out.insert(source, path);
            }
            None if !page.is_empty() => diags.push(
                Diagnostic::warning(
                    format!(
                        "the cover {source} is {} px wide: a link card needs {CARD_MIN_WIDTH} px, so chat apps show the section's card",
                        picture.width
                    ),
                    format!(
                        "封面 {source} 宽 {} 像素，分享卡片至少需要 {CARD_MIN_WIDTH} 像素，聊天软件中将显示栏目的分享卡片",
                        picture.width
                    ),
                )
                .file(page.to_string())
                .hint(
                    "use a larger photo as the cover (the camera's original)",
                    "请换用更大的照片（相机原图）作封面",
                ),
            ),
            None => {}
        }
    }
    out
}

/// The card of a decoded cover: its centre, cropped to 1200:630 and sized to 1200×630.
pub fn card(img: &image::DynamicImage) -> Result<Vec<u8>, String> {
    let (cw, ch) = CARD_SIZE;
    let (w, h) = (img.width(), img.height());
    // The largest 1200:630 window, centred.
    let (crop_w, crop_h) = if w as u64 * ch as u64 > h as u64 * cw as u64 {
        ((h as u64 * cw as u64 / ch as u64) as u32, h)
    } else {
        (w, (w as u64 * ch as u64 / cw as u64) as u32)
    };
    let cropped = img.crop_imm(
        (w - crop_w) / 2,
        (h - crop_h) / 2,
        crop_w.max(1),
        crop_h.max(1),
    );
    let sized = resize(&cropped, cw, ch)?;
    encode_jpeg(&on_white(&sized), QUALITY)
}

/// The picture as RGB, transparent parts on white (a JPEG has no transparency, and a
/// logo's clear background would otherwise turn black).
fn on_white(img: &image::DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transparent cover (a logo) makes a card on white, centre-cropped to 1200×630.
    #[test]
    fn a_transparent_cover_makes_a_card_on_white() {
        let mut img = image::RgbaImage::from_pixel(1600, 1600, image::Rgba([0, 0, 0, 0]));
        for x in 700..900 {
            for y in 700..900 {
                img.put_pixel(x, y, image::Rgba([200, 20, 20, 255]));
            }
        }
        let jpeg = card(&image::DynamicImage::ImageRgba8(img)).unwrap();
        let out = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert_eq!(out.dimensions(), CARD_SIZE);
        let corner = out.get_pixel(5, 5).0;
        assert!(
            corner.iter().all(|&c| c > 245),
            "white, not black: {corner:?}"
        );
        let centre = out.get_pixel(600, 315).0;
        assert!(centre[0] > 170 && centre[1] < 60, "{centre:?}");
    }
}
