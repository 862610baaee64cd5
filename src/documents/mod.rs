//! Documents made from the same facts as the site, laid out by the board engine: the
//! 展评 deck (`deck.rs`, 16:9 slides) and the yearly 成果汇编 booklet (`booklet.rs`, A4).
//!
//! Each document is named by a key over everything it is made from (its inputs, the
//! templates, the pictures' content-named files, the binary), kept under
//! `.zhanting-cache/documents/` with the warnings laying it out gave, so a rebuild lays
//! out only a document whose facts changed. `serve` lays one out only when it is asked
//! for.

pub mod booklet;
pub mod deck;

use crate::artifact::{Content, Counts, Mode, OutputFile, RenderContext, Rendered, Renderer};
use crate::cache::DiskCache;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::documents::booklet_years;
use crate::model::Site;
use crate::typeset::{Key, Picture};
use crate::urls::routes;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use typst::foundations::Bytes;
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// Name of the documents folder of `.zhanting-cache/`.
pub const CACHE: &str = "documents";

/// A new key for each preview build's booklet: its inputs are made when it is asked
/// for.
static NEXT_BUILD: AtomicU64 = AtomicU64::new(1);

/// The speaker's script beside the deck.
pub const NOTES_FILE: &str = "deck-notes.pdf";

/// Which booklet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Year {
    /// The latest year that has dated pages.
    Latest,
    Of(i32),
}

/// One document to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    Deck,
    /// The speaker's script (讲稿): each slide small with its notes, A4. Made by
    /// `zhanting deck` when deck.yaml has notes; not published.
    DeckNotes,
    Booklet(i32),
}

impl Doc {
    /// Its file name: `deck.pdf`, `booklet-2026.pdf`.
    pub fn file_name(self) -> String {
        match self {
            Doc::Deck => routes::DECK_FILE.to_string(),
            Doc::DeckNotes => NOTES_FILE.to_string(),
            Doc::Booklet(year) => routes::booklet_file(year),
        }
    }
}

/// The documents renderer: on the site, `/downloads/deck.pdf` and the latest year's
/// booklet (unless `documents: false`); for `zhanting deck` and `zhanting booklet`, the
/// one asked for, at the top of the output folder.
pub struct Documents {
    deck: bool,
    booklet: Option<Year>,
    /// Whether the files are the site's (under `/downloads/`, pruning the cache).
    on_site: bool,
    /// Where the names of the files made go (the commands print them).
    names: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Documents {
    /// The site's documents.
    pub fn site() -> Documents {
        Documents {
            deck: true,
            booklet: Some(Year::Latest),
            on_site: true,
            names: Arc::default(),
        }
    }

    /// Only the deck (`zhanting deck`).
    pub fn deck() -> Documents {
        Documents {
            deck: true,
            booklet: None,
            on_site: false,
            names: Arc::default(),
        }
    }

    /// Only a booklet (`zhanting booklet`).
    pub fn booklet(year: Year) -> Documents {
        Documents {
            deck: false,
            booklet: Some(year),
            on_site: false,
            names: Arc::default(),
        }
    }

    /// The names of the files made, filled by the run.
    pub fn names(&self) -> Arc<std::sync::Mutex<Vec<String>>> {
        self.names.clone()
    }

    /// The documents to make; a year without pages is an error naming those that have.
    fn chosen(&self, site: &Site, diags: &mut Diagnostics) -> Vec<Doc> {
        let mut docs = Vec::new();
        if self.deck {
            docs.push(Doc::Deck);
            let notes = site.deck.slides.iter().any(|s| s.notes.is_some());
            if notes && !self.on_site {
                docs.push(Doc::DeckNotes);
            }
        }
        let years = booklet_years(site);
        match self.booklet {
            None => {}
            Some(Year::Latest) => match years.last() {
                Some(&y) => docs.push(Doc::Booklet(y)),
                // A site without dated pages has no booklet to publish.
                None if self.on_site => {}
                None => diags.push(
                    Diagnostic::error(
                        "no page has a date, so there is no year to make a booklet of",
                        "没有任何页面填写了日期（date），无法按年份编印成果汇编",
                    )
                    .hint(
                        "give the reports a `date:` in their front matter",
                        "请在报道的头部信息中填写 `date:`",
                    ),
                ),
            },
            Some(Year::Of(y)) if years.contains(&y) => docs.push(Doc::Booklet(y)),
            Some(Year::Of(y)) => {
                let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
                let (en, zh) = if list.is_empty() {
                    (
                        "no page has a date".to_string(),
                        "没有任何页面填写了日期".to_string(),
                    )
                } else {
                    (
                        format!("years with dated pages: {}", list.join(", ")),
                        format!("有日期页面的年份：{}", list.join("、")),
                    )
                };
                diags.push(
                    Diagnostic::error(
                        format!("no page is dated in {y}, so there is no booklet of {y}"),
                        format!("{y} 年没有任何有日期的页面，无法编印该年的成果汇编"),
                    )
                    .hint(en, zh),
                );
            }
        }
        docs
    }
}

impl Renderer for Documents {
    fn name(&self) -> &'static str {
        "documents"
    }

    fn render(&self, ctx: &RenderContext, diags: &mut Diagnostics) -> Rendered {
        let site = ctx.site;
        if self.on_site && !site.config.documents {
            return Rendered::default();
        }
        let docs = self.chosen(site, diags);
        if docs.is_empty() {
            return Rendered::default();
        }
        let maker = Arc::new(Maker {
            site: site.clone(),
            public: ctx.urls.public_url(routes::HOME),
            disk: DiskCache::new(&site.root, CACHE),
            keep: ctx.mode != Mode::Check,
            fonts: std::sync::OnceLock::new(),
        });
        *self.names.lock().unwrap_or_else(|e| e.into_inner()) =
            docs.iter().map(|d| d.file_name()).collect();
        if ctx.mode == Mode::Serve {
            return Rendered {
                files: self.deferred(&maker, docs),
                counts: Some(Counts::default()),
            };
        }
        let (files, counts) = self.made(&maker, &docs, diags);
        Rendered {
            files,
            counts: Some(counts),
        }
    }
}

impl Documents {
    /// Where document `d` is published: under /downloads/ on the site, else at the top
    /// of the output folder.
    fn path(&self, d: Doc) -> String {
        let name = d.file_name();
        if self.on_site {
            format!("{}{name}", &routes::DOWNLOADS[1..])
        } else {
            name
        }
    }

    /// A preview's documents: each laid out only when it is asked for; the booklet's
    /// inputs (every report of a year) are made then too.
    fn deferred(&self, maker: &Arc<Maker>, docs: Vec<Doc>) -> Vec<OutputFile> {
        let site = &maker.site;
        docs.into_iter()
            .map(|d| {
                let key = match d {
                    Doc::Booklet(_) => NEXT_BUILD.fetch_add(1, Ordering::Relaxed),
                    _ => crate::cache::fingerprint(&maker.job(d).key(site)),
                };
                let maker = maker.clone();
                let make = move || {
                    let job = maker.job(d);
                    let key = job.key(&maker.site);
                    maker
                        .get_or_make(&job, &key)
                        .map(|(made, _)| Content::Shared(made.pdf))
                        // The first error: a response shows one.
                        .map_err(|e| e.into_iter().next().unwrap_or_else(|| unusable(d)))
                };
                OutputFile {
                    key: Some(key),
                    ..OutputFile::generated(self.path(d), Content::Deferred(Box::new(make)))
                }
            })
            .collect()
    }

    /// The documents laid out now, in parallel, or taken from the cache: their files and
    /// what was made and reused. On the site, the cache keeps only what this build used.
    fn made(
        &self,
        maker: &Maker,
        docs: &[Doc],
        diags: &mut Diagnostics,
    ) -> (Vec<OutputFile>, Counts) {
        let site = &maker.site;
        let results: Vec<_> = docs
            .par_iter()
            .map(|&d| {
                let start = std::time::Instant::now();
                let job = maker.job(d);
                let name = d.file_name();
                crate::timing::timing(&format!("{name}: inputs"), start);
                let key = job.key(site);
                crate::timing::timing(&format!("{name}: key"), start);
                let made = maker.get_or_make(&job, &key);
                crate::timing::timing(&format!("{name}: made or read"), start);
                (d, key, made)
            })
            .collect();
        let mut counts = Counts::default();
        let mut keep = HashSet::new();
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        for (d, key, r) in results {
            keep.extend(["pdf", "json"].map(|ext| format!("{key}.{ext}")));
            match r {
                Ok((made, fresh)) => {
                    if fresh {
                        counts.made += 1;
                    } else {
                        counts.reused += 1;
                    }
                    warnings.extend(made.warnings.iter().cloned());
                    files.push(OutputFile::generated(
                        self.path(d),
                        Content::Shared(made.pdf),
                    ));
                }
                Err(errors) => diags.extend(errors),
            }
        }
        diags.extend(warnings);
        if self.on_site && !diags.has_errors() {
            maker.disk.prune(|name| !name.starts_with('.'), &keep);
        }
        (files, counts)
    }
}

/// The error for a document that failed without saying why (never expected).
fn unusable(d: Doc) -> Diagnostic {
    let name = d.file_name();
    Diagnostic::error(
        format!("{name} could not be made"),
        format!("{name} 无法生成"),
    )
}

/// A document laid out: its PDF and the warnings laying it out gave.
#[derive(Clone)]
pub struct Made {
    pub pdf: Arc<[u8]>,
    pub warnings: Vec<Diagnostic>,
}

struct Maker {
    site: Arc<Site>,
    /// The site's public address, for the deck's QR code.
    public: Option<String>,
    disk: DiskCache,
    /// Whether what is made is kept in the cache (not by `check`).
    keep: bool,
    /// The fonts, read by the first document laid out.
    fonts: std::sync::OnceLock<Result<Arc<crate::boards::fonts::Fonts>, Diagnostic>>,
}

impl Maker {
    fn fonts(&self) -> Result<Arc<crate::boards::fonts::Fonts>, Diagnostic> {
        self.fonts
            .get_or_init(|| crate::boards::fonts::Fonts::load(&self.site).map(Arc::new))
            .clone()
    }

    /// What laying `doc` out reads.
    fn job(&self, doc: Doc) -> Job {
        let site = &self.site;
        match doc {
            Doc::Deck => deck::job(site, self.public.as_deref(), false),
            Doc::DeckNotes => deck::job(site, self.public.as_deref(), true),
            Doc::Booklet(year) => booklet::job(site, year),
        }
    }

    /// The document of `job` from the cache, or laid out now (and kept under `key`):
    /// `true` when made now.
    fn get_or_make(&self, job: &Job, key: &str) -> Result<(Made, bool), Vec<Diagnostic>> {
        if let Some(made) = self.read(key) {
            return Ok((made, false));
        }
        let chain = self.fonts().map_err(|d| vec![d])?;
        let tools = Tools {
            site: &self.site,
            fonts: chain.store(),
            chain,
            templates: self.site.board_templates.clone(),
        };
        let made = match job.doc {
            Doc::Deck | Doc::DeckNotes => deck::make(&tools, job)?,
            Doc::Booklet(year) => booklet::make(&tools, job, year)?,
        };
        // One with a character no font has is made again next time, with the fonts
        // there are then.
        let lacking = made
            .warnings
            .iter()
            .any(crate::boards::fonts::is_missing_glyph);
        if self.keep && !lacking {
            let meta = serde_json::to_vec(&made.warnings).unwrap_or_default();
            // The JSON goes last: an entry without it is never read.
            let _ = self
                .disk
                .write(&format!("{key}.pdf"), &made.pdf)
                .and_then(|_| self.disk.write(&format!("{key}.json"), &meta));
        }
        Ok((made, true))
    }

    fn read(&self, key: &str) -> Option<Made> {
        let warnings = self.disk.read(&format!("{key}.json"))?;
        let warnings: Vec<Diagnostic> = serde_json::from_slice(&warnings).ok()?;
        let pdf = self.disk.read(&format!("{key}.pdf"))?;
        Some(Made {
            pdf: pdf.into(),
            warnings,
        })
    }
}

/// What making one document reads.
#[derive(Clone)]
pub struct Tools<'a> {
    pub site: &'a Site,
    /// The fonts it is laid out with.
    pub fonts: Arc<FontStore>,
    /// The site's fonts and the system's, to choose them by the document's characters.
    pub chain: Arc<crate::boards::fonts::Fonts>,
    pub templates: crate::boards::world::Templates,
}

/// A document ready to lay out: everything laying it out reads, so that its key, made
/// from all of it, cannot miss what the document shows (STYLE rule 15).
pub struct Job {
    pub doc: Doc,
    /// The template's `sys.inputs`.
    pub inputs: serde_json::Value,
    /// The pictures the template shows.
    pub pictures: Vec<Picture>,
    /// What making the inputs found (a picture printed at too low a resolution).
    pub warnings: Vec<Diagnostic>,
    /// The source texts the document's messages point into, by line (deck.yaml, a
    /// booklet's pages).
    pub sources: Vec<Arc<str>>,
}

impl Job {
    /// Its key in the cache: `deck@…`, `booklet-2026@…`.
    pub fn key(&self, site: &Site) -> String {
        // Every field, so that a new one cannot be left out.
        let Job {
            doc,
            inputs,
            pictures,
            warnings,
            sources,
        } = self;
        let layout = match doc {
            Doc::Deck | Doc::DeckNotes => deck::LAYOUT,
            Doc::Booklet(_) => booklet::LAYOUT,
        };
        let mut key = Key::new(site, layout)
            .json(inputs)
            .pictures(site, pictures)
            .json(warnings)
            .site_files(site);
        for text in sources {
            key = key.bytes(text.as_bytes());
        }
        key.name(doc.file_name().trim_end_matches(".pdf"))
    }
}

/// What a template's Typst `panic` starts with when a part of a document does not fit;
/// the rest names the part (`slide 3`).
pub const TOO_LONG: &str = "zhanting: does not fit: ";

/// Lays out template `layout` with `inputs` and `pictures` (path in the template →
/// bytes). Errors are the template's (file and line), or the part named after
/// [`TOO_LONG`] in `Err(Ok(part))`.
pub fn compile(
    tools: &Tools,
    layout: &str,
    inputs: serde_json::Value,
    pictures: HashMap<String, Bytes>,
    what: (&str, &str),
) -> Result<PagedDocument, Result<String, Vec<Diagnostic>>> {
    use crate::boards::world::{diagnostic, BoardWorld};
    let (fonts, templates) = (tools.fonts.clone(), tools.templates.clone());
    let world =
        BoardWorld::from_json(layout, &inputs, fonts, templates, pictures).ok_or_else(|| {
            Err(vec![Diagnostic::error(
                format!("{}: `{layout}` is not a usable template name", what.0),
                format!("{}：`{layout}` 不能用作模板名称", what.1),
            )])
        })?;
    let errors = match world.compile() {
        Ok((doc, _)) => return Ok(doc),
        Err(errors) => errors,
    };
    if let Some(part) = errors
        .iter()
        .find_map(|e| e.message.split_once(TOO_LONG).map(|x| x.1.to_string()))
    {
        return Err(Ok(part.trim_end_matches('"').to_string()));
    }
    Err(Err(errors
        .iter()
        .map(|d| diagnostic(Some(&world), d, what))
        .collect()))
}

/// The PDF of a laid-out document, with its title for the reader's window.
pub fn pdf(
    doc: &PagedDocument,
    ident: &str,
    what: (&str, &str),
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    typst_pdf::pdf(
        doc,
        &typst_pdf::PdfOptions {
            ident: typst::foundations::Smart::Custom(ident.to_string()),
            // As the boards: poppler's tools warn about Typst's structure tree.
            tagged: false,
            ..Default::default()
        },
    )
    .map_err(|e| {
        e.iter()
            .map(|d| {
                Diagnostic::error(
                    format!("{}: {}", what.0, d.message),
                    format!("{}：{}", what.1, d.message),
                )
            })
            .collect()
    })
}

/// A picture prepared for a document: a JPEG at most `max_width` pixels wide (never
/// upscaled); a PNG, such as an emblem with its transparency, as it is.
fn picture(site: &Site, source: &str, max_width: u32) -> Result<Bytes, String> {
    let cache_root = site.root.join(crate::paths::CACHE_FOLDER);
    let bytes = crate::images::heic::image_bytes(&site.root.join(source), &cache_root)?;
    let (w, h) = match site.media.pictures.get(source) {
        Some(p) => (p.width, p.height),
        None => image::ImageReader::new(std::io::Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?
            .into_dimensions()
            .map_err(|e| e.to_string())?,
    };
    // A PNG small enough, or with transparency (an emblem), goes in as it is.
    if image::guess_format(&bytes).is_ok_and(|f| f == image::ImageFormat::Png)
        && (w <= max_width || has_alpha(&bytes))
    {
        decodes(&bytes)?;
        return Ok(Bytes::new(bytes));
    }
    if w <= max_width {
        if let Some(jpeg) = crate::images::jpeg_without_metadata(&bytes) {
            decodes(&jpeg)?;
            return Ok(Bytes::new(jpeg));
        }
    }
    crate::boards::photos::downscaled_jpeg(&bytes, (w, h), max_width).map(Bytes::new)
}

/// Whether a picture given to Typst as it is decodes, with the decoder Typst uses: a
/// file whose header reads but whose data does not would otherwise fail there, in an
/// error that names the template's line instead of the picture.
fn decodes(bytes: &[u8]) -> Result<(), String> {
    image::load_from_memory(bytes)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Whether an image's pixels carry transparency, read from its header.
fn has_alpha(bytes: &[u8]) -> bool {
    use image::ImageDecoder;
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_decoder().ok())
        .is_some_and(|d| d.color_type().has_alpha())
}

/// The pictures of a document, prepared in parallel: path in the template → bytes; a
/// picture that cannot be read is an error naming it.
pub fn pictures(
    site: &Site,
    wanted: &[Picture],
    what: (&str, &str),
) -> Result<HashMap<String, Bytes>, Vec<Diagnostic>> {
    let results: Vec<Result<(String, Bytes), Diagnostic>> = wanted
        .par_iter()
        .map(
            |Picture {
                 path,
                 source,
                 width,
             }| {
                picture(site, source, *width)
                    .map(|b| (path.clone(), b))
                    .map_err(|e| {
                        let error = Diagnostic::error(
                            format!("{}: picture {source} cannot be read: {e}", what.0),
                            format!("{}：图片 {source} 无法读取：{e}", what.1),
                        )
                        .file(source.as_str());
                        // A site picture's header read when the site loaded (or, for the
                        // same bytes, at an earlier build): what fails now is its data,
                        // cut short or damaged on the way.
                        if site.media.pictures.contains_key(source) {
                            error.hint(
                                "the file is damaged (a copy or download cut short?): export the photo again from the camera or phone and replace it",
                                "文件已损坏（可能拷贝或下载没有完成）：请从相机或手机重新导出原图后替换",
                            )
                        } else {
                            error.hint(
                                "replace the file with a JPEG, PNG or WebP picture",
                                "请换成 JPEG、PNG 或 WebP 格式的图片",
                            )
                        }
                    })
            },
        )
        .collect();
    let mut out = HashMap::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((p, b)) => {
                out.insert(p, b);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The site's emblem (the brand's logo, else the site's): its source, as the link
/// cards' plan found it.
pub fn emblem(site: &Site) -> Option<String> {
    site.media.cards.frame.emblem.clone()
}
