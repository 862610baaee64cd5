//! Drawing the designed link cards (`model::cards`) with the board engine: the theme's
//! `boards/card.typ` laid out by Typst, rendered at 1200×630 and saved as JPEG under
//! `.zhanting-cache/cards/KEY.jpg`. A card's key is a hash of everything it is drawn
//! from, so a build draws only cards whose key is new, and a rebuild none. Cards are
//! drawn while the output is written, beside the pages (a first build waits 50 ms for
//! them, not 230); `serve` draws one only when it is asked for.

use super::world::BoardWorld;
use crate::artifact::{Content, Counts, Mode, OutputFile, RenderContext, Rendered, Renderer};
use crate::cache::DiskCache;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::cards::{DesignedCard, DesignedCards};
use crate::model::media::CARD_SIZE;
use crate::model::Site;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};
use typst::foundations::Bytes;
use typst_layout::PagedDocument;

/// Name of the cards folder of `.zhanting-cache/`.
pub const CACHE: &str = "cards";

/// JPEG quality of the cards: flat colour and text, seen small in a chat.
const QUALITY: u8 = 88;

/// The designed cards as a renderer: `/media/cards/KEY.jpg`.
pub struct CardFiles;

impl Renderer for CardFiles {
    fn name(&self) -> &'static str {
        "cards"
    }

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        let site = ctx.site;
        let cards = site.media.cards.all();
        if cards.is_empty() {
            return Rendered::default();
        }
        let disk = DiskCache::new(&site.root, CACHE);
        let missing: Vec<&DesignedCard> = cards
            .iter()
            .copied()
            .filter(|c| !disk.has(&file_name(c)))
            .collect();
        // The missing ones are drawn while the output is written (or, in a preview,
        // when asked for).
        let counts = Counts {
            made: missing.len(),
            reused: cards.len() - missing.len(),
        };
        let keep: HashSet<String> = cards.iter().map(|c| file_name(c)).collect();
        disk.prune(|name| name.ends_with(".jpg"), &keep);
        let drawer = Arc::new(Drawer {
            site: site.clone(),
            disk: disk.clone(),
            keep: ctx.mode != Mode::Check,
            tools: OnceLock::new(),
            drawn: missing
                .iter()
                .map(|c| (c.key.clone(), OnceLock::new()))
                .collect(),
        });
        // A preview draws a card only when something asks for it (a chat app never
        // does): a brand.yaml edit then reaches the browser without waiting for Typst.
        let later = ctx.mode == Mode::Serve;
        let mut files: Vec<OutputFile> = cards
            .iter()
            .map(|c| {
                let path = &c.path()[1..];
                // In a preview every card is made when asked for, drawn or read from the
                // cache, so a card is served the same way before and after it is drawn.
                if !later && !missing.iter().any(|m| m.key == c.key) {
                    let cached = Content::CopyNamedByHash(disk.path(&file_name(c)));
                    return OutputFile::generated(path, cached);
                }
                let (drawer, card) = (drawer.clone(), (*c).clone());
                let make = move || drawer.jpeg(&card).map(Content::Shared);
                OutputFile {
                    key: later.then(|| crate::cache::fingerprint(&c.key)),
                    ..OutputFile::generated(path, Content::Deferred(Box::new(make)))
                }
            })
            .collect();
        if ctx.urls.offline {
            files.extend(cards.iter().map(|c| {
                let (drawer, card) = (drawer.clone(), (*c).clone());
                let read = move || {
                    drawer
                        .jpeg(&card)
                        .map(|b| b.to_vec())
                        .map_err(|d| d.message.en)
                };
                crate::artifact::image_script(&c.path(), read)
            }));
        }
        Rendered {
            files,
            counts: Some(counts),
        }
    }
}

/// The cache file of a card.
fn file_name(card: &DesignedCard) -> String {
    format!("{}.jpg", card.key)
}

/// What drawing a site's cards shares, made by the first card drawn: the fonts (the
/// costly part), the templates and the emblem.
type Tools = (
    Arc<super::fonts::Fonts>,
    crate::boards::world::Templates,
    Option<(String, Bytes)>,
);

/// A card's JPEG, or why it could not be drawn.
type Drawn = Result<Arc<[u8]>, Diagnostic>;

/// Draws the cards that are missing from the cache while the output is written, in
/// parallel with the pages, so a first build does not wait for Typst before writing.
struct Drawer {
    site: Arc<Site>,
    disk: DiskCache,
    keep: bool,
    tools: OnceLock<Result<Tools, Diagnostic>>,
    /// The JPEG of each card missing from the cache, drawn once for its file and its
    /// offline script.
    drawn: std::collections::HashMap<String, OnceLock<Drawn>>,
}

impl Drawer {
    fn tools(&self) -> Result<Tools, Diagnostic> {
        self.tools
            .get_or_init(|| {
                let site = &self.site;
                let fonts = Arc::new(super::fonts::Fonts::load(site)?);
                let templates = site.board_templates.clone();
                Ok((fonts, templates, emblem(site, &site.media.cards)))
            })
            .clone()
    }

    /// One card's JPEG: drawn once and kept in the cache (a card that cannot be kept is
    /// drawn again later), or read from the cache.
    fn jpeg(&self, card: &DesignedCard) -> Result<Arc<[u8]>, Diagnostic> {
        let Some(cell) = self.drawn.get(&card.key) else {
            let path = self.disk.path(&file_name(card));
            return std::fs::read(&path).map(Arc::from).map_err(|e| {
                Diagnostic::error(
                    format!("the link card {} could not be read: {e}", path.display()),
                    format!("无法读取分享卡片 {}：{e}", path.display()),
                )
            });
        };
        cell.get_or_init(|| {
            let (fonts, templates, emblem) = self.tools()?;
            let site = &self.site;
            let jpeg = draw(
                site,
                &site.media.cards,
                card,
                &fonts,
                &templates,
                emblem.as_ref(),
            )?;
            if self.keep {
                let _ = self.disk.write(&file_name(card), &jpeg);
            }
            Ok(jpeg.into())
        })
        .clone()
    }
}

/// The emblem's path in the card's world and its bytes (a HEIC as its conversion).
fn emblem(site: &Site, designed: &DesignedCards) -> Option<(String, Bytes)> {
    let source = designed.frame.emblem.as_ref()?;
    let cache_root = site.root.join(crate::paths::CACHE_FOLDER);
    let bytes = crate::images::heic::image_bytes(&site.root.join(source), &cache_root).ok()?;
    Some((crate::load::cards::emblem_path(source), Bytes::new(bytes)))
}

/// One card as JPEG.
fn draw(
    site: &Site,
    designed: &DesignedCards,
    card: &DesignedCard,
    fonts: &super::fonts::Fonts,
    templates: &crate::boards::world::Templates,
    emblem: Option<&(String, Bytes)>,
) -> Result<Vec<u8>, Diagnostic> {
    // The inputs its key was made from; a rare character of a title is drawn with a
    // system font that has it, as on boards.
    let mut inputs = crate::load::cards::inputs(site, &designed.frame, card);
    let chosen = fonts.choose(&super::fonts::strings(&inputs));
    chosen.apply(&mut inputs);
    let photos: HashMap<String, Bytes> = emblem.cloned().into_iter().collect();
    let layout = crate::load::cards::CARD_LAYOUT;
    let world = BoardWorld::from_json(layout, &inputs, chosen.store, templates.clone(), photos)
        .ok_or_else(|| failed(card, "no layout".into(), None))?;
    let doc = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| {
            let first = errors.first();
            let located = first
                .and_then(|d| world.locate(d.span))
                .map(|(path, source, line, col)| (path, source.text().to_string(), line, col));
            let message = first.map_or_else(String::new, |d| d.message.to_string());
            failed(card, message, located)
        })?;
    let page = doc
        .pages()
        .first()
        .ok_or_else(|| failed(card, "no page".into(), None))?;
    let (width, height) = CARD_SIZE;
    let opts = typst_render::RenderOptions {
        pixel_per_pt: (width as f64 / page.frame.width().to_pt()).into(),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &opts);
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let img = image::RgbImage::from_raw(pixmap.width(), pixmap.height(), rgb)
        .filter(|i| i.dimensions() == (width, height))
        .ok_or_else(|| {
            failed(
                card,
                format!(
                    "the layout's page is {}×{} px, not {width}×{height}",
                    pixmap.width(),
                    pixmap.height()
                ),
                None,
            )
        })?;
    crate::images::encode_jpeg(&img, QUALITY).map_err(|e| failed(card, e, None))
}

/// An error drawing `card`, at the template's line when Typst names one.
fn failed(
    card: &DesignedCard,
    message: String,
    at: Option<(String, String, usize, usize)>,
) -> Diagnostic {
    match at {
        // A mistake of the layout: the same for every card, so reported once.
        Some((path, text, line, col)) => Diagnostic::error(
            format!("the link cards could not be drawn: {message}"),
            format!("分享卡片无法绘制：{message}"),
        )
        .file(path)
        .at(&text, line + 1, col + 1),
        None => Diagnostic::error(
            format!(
                "the link card of “{}” could not be drawn: {message}",
                card.title
            ),
            format!("“{}”的分享卡片无法绘制：{message}", card.title),
        )
        .file(format!("templates/boards/{}", crate::theme::CARD_TEMPLATE)),
    }
}
