//! Link cards: the 1200×630 JPEG a chat app (WeChat, QQ, DingTalk) shows beside a shared
//! link, cropped from the cover of each page and album. Made by the image pipeline into
//! `.zhanting-cache/cards/`, named by the cover's hash like its other sizes, so a rebuild
//! does no card work. A cover under 600 px wide makes no card (it would be blurred): a
//! warning says so, and the page's preview falls back as the templates' `share` says.

use super::{decode, encode_jpeg, heic, resize};
use crate::artifact::{
    Content, Counts, Mode, Origin, OutputFile, RenderContext, Rendered, Renderer,
};
use crate::cache::DiskCache;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::media::{CARD_MIN_WIDTH, CARD_SIZE};
use crate::model::Site;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Name of the cards folder of `.zhanting-cache/`.
pub const CACHE: &str = "cards";

/// JPEG quality of the cards: they are seen small, in a chat.
const QUALITY: u8 = 82;

/// The link cards as a renderer: `/media/img/KEY-card.jpg` for each cover.
pub struct CardFiles;

impl Renderer for CardFiles {
    fn name(&self) -> &'static str {
        "cards"
    }

    fn render(&self, ctx: &RenderContext, diags: &mut Diagnostics) -> Rendered {
        let site = ctx.site;
        let cache = DiskCache::new(&site.root, CACHE);
        let covers = covers(site, diags);
        let missing: Vec<(&String, &String)> = covers
            .iter()
            .filter(|(_, (name, _))| !cache.has(name))
            .map(|(source, (name, _))| (source, name))
            .collect();
        let made = if ctx.mode == Mode::Check || missing.is_empty() {
            0
        } else if let Err(e) = std::fs::create_dir_all(&cache.dir) {
            diags.push(Diagnostic::error(
                format!("cannot create {}: {e}", cache.dir.display()),
                format!("无法创建 {}：{e}", cache.dir.display()),
            ));
            0
        } else {
            let errors: Vec<Diagnostic> = missing
                .par_iter()
                .filter_map(|(source, name)| {
                    let made = make(site, source)
                        .and_then(|bytes| cache.write(name, &bytes).map_err(|e| e.to_string()));
                    made.err().map(|e| {
                        Diagnostic::error(
                            format!("cannot make the link card of {source}: {e}"),
                            format!("无法生成 {source} 的分享卡片：{e}"),
                        )
                        .file(source.to_string())
                    })
                })
                .collect();
            diags.extend(errors);
            missing.len()
        };
        let keep: HashSet<String> = covers.values().map(|(name, _)| name.clone()).collect();
        if ctx.mode != Mode::Check && !diags.has_errors() {
            cache.prune(|n| n.ends_with("-card.jpg"), &keep);
        }
        let files = if ctx.mode == Mode::Check {
            Vec::new()
        } else {
            covers
                .values()
                .map(|(name, path)| OutputFile {
                    path: path.trim_start_matches('/').to_string(),
                    content: Content::CopyNamedByHash(cache.path(name)),
                    origin: Origin::Media,
                    key: None,
                })
                .collect()
        };
        Rendered {
            files,
            counts: Some(Counts {
                made,
                reused: covers.len() - made,
            }),
        }
    }
}

/// The covers of pages and albums that get a card: source → (cache file name, site
/// path). A cover too narrow for a card is a warning naming the page.
fn covers(site: &Site, diags: &mut Diagnostics) -> BTreeMap<String, (String, String)> {
    let page_covers = site
        .pages
        .iter()
        .filter_map(|p| Some((p.cover.as_ref()?.source.as_str(), &*p.source)));
    let album_covers = site.albums.iter().filter_map(|a| {
        let cover = a.cover.as_ref()?;
        let photo = a.photos.iter().find(|p| &p.file == cover)?;
        Some((photo.source.as_str(), ""))
    });
    let mut out = BTreeMap::new();
    for (source, page) in page_covers.chain(album_covers) {
        let Some(picture) = site.media.pictures.get(source) else {
            continue;
        };
        match picture.card() {
            Some(path) => {
                let name = path.rsplit('/').next().unwrap_or(&path).to_string();
                out.insert(source.to_string(), (name, path));
            }
            None if !page.is_empty() => diags.push(
                Diagnostic::warning(
                    format!(
                        "the cover {source} is {} px wide: a link card needs {CARD_MIN_WIDTH} px, so chat apps show the section's card",
                        picture.width
                    ),
                    format!(
                        "封面 {source} 宽 {} 像素，分享卡片至少需要 {CARD_MIN_WIDTH} 像素，聊天软件中将显示栏目卡片",
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

/// The card of `source`: its centre, cropped to 1200:630 and sized to 1200×630.
fn make(site: &Site, source: &str) -> Result<Vec<u8>, String> {
    let cache_root = site.root.join(crate::paths::CACHE_FOLDER);
    let bytes = heic::image_bytes(&site.root.join(source), &cache_root)?;
    let (cw, ch) = CARD_SIZE;
    let img = decode(&bytes, (cw, ch))?;
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
    encode_jpeg(&sized.to_rgb8(), QUALITY)
}
