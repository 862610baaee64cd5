//! What the board engine is given to lay out — a template, its `sys.inputs`, the
//! pictures it shows — and the cache key of what it makes, derived from exactly that.
//! Boards, the deck, the booklet and the designed link cards are keyed here, so a key
//! cannot drift from what its renderer reads (STYLE rule 15: the booklet once kept a
//! phone number its author had removed, because its key was written beside it by hand
//! and covered titles, not bodies).

use crate::model::Site;
use serde_json::{json, Value};

/// The families of the fonts zhanting embeds.
pub const BODY_FONT: &str = "Noto Sans CJK SC";
pub const TITLE_FONT: &str = "Noto Serif CJK SC";

/// The font families a template sets text in: the site's choice (`boards.font`,
/// `boards.title_font`), then the embedded faces.
pub fn fonts(site: &Site) -> Value {
    let families = |own: Option<&String>, builtin: &str| {
        let mut v: Vec<String> = own.cloned().into_iter().collect();
        v.push(builtin.to_string());
        v.push(BODY_FONT.to_string());
        v.dedup();
        v
    };
    let boards = &site.config.boards;
    json!({
        "body": families(boards.font.as_ref(), BODY_FONT),
        "title": families(boards.title_font.as_ref(), TITLE_FONT),
    })
}

/// The site's YAML files a layout's messages may point into.
const SITE_FILES: [&str; 4] = [
    crate::config::FILE,
    "brand.yaml",
    "achievements.yaml",
    crate::model::documents::DECK_FILE,
];

/// A picture a template shows: its path there, its site-relative source, and how many
/// pixels wide it is prepared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub path: String,
    pub source: String,
    pub width: u32,
}

/// Tells this zhanting binary from another of the same version: a layout made by an
/// older build of the templates, the fonts or the layout code is never reused.
fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{}:{:?}", m.len(), m.modified().ok()))
            .unwrap_or_default()
    })
}

/// The site's `fonts/` folder: each file's name, size and modification time, sorted.
fn fonts_stamp(site: &Site) -> String {
    let mut files: Vec<String> = std::fs::read_dir(site.root.join("fonts"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let m = e.metadata().ok();
            format!(
                "{:?}{:?}{:?}",
                e.file_name(),
                m.as_ref().map(|m| m.len()),
                m.and_then(|m| m.modified().ok())
            )
        })
        .collect();
    files.sort();
    files.concat()
}

/// Where the system keeps fonts (what a layout falls back to for a character the
/// built-in and the site's fonts lack), with each folder's modification time, which
/// changes when a font is added or removed; and whether system fonts may be used
/// (`ZHANTING_SYSTEM_FONTS`). Read once per process, as the system's fonts are.
fn system_fonts_stamp() -> &'static str {
    static STAMP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STAMP.get_or_init(|| {
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let mut roots: Vec<std::path::PathBuf> = [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/Library/Fonts",
            "/System/Library/Fonts",
        ]
        .iter()
        .map(std::path::PathBuf::from)
        .collect();
        if let Some(home) = home {
            for rel in [".fonts", ".local/share/fonts", "Library/Fonts"] {
                roots.push(home.join(rel));
            }
        }
        for var in ["WINDIR", "LOCALAPPDATA"] {
            if let Some(dir) = std::env::var_os(var) {
                let dir = std::path::PathBuf::from(dir);
                roots.push(dir.join("Fonts"));
                roots.push(dir.join("Microsoft/Windows/Fonts"));
            }
        }
        let mut out = format!("{:?}", std::env::var("ZHANTING_SYSTEM_FONTS").ok());
        for root in roots {
            for e in walkdir::WalkDir::new(&root)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.file_type().is_dir())
                .flatten()
            {
                let time = e.metadata().ok().and_then(|m| m.modified().ok());
                out.push_str(&format!("{}{time:?}", e.path().display()));
            }
        }
        out
    })
}

/// The key of one laid-out artifact, fed with everything its layout reads. Begun with
/// what every layout depends on: this binary, every template, the site's fonts.
pub struct Key(blake3::Hasher);

impl Key {
    /// A key for template `layout` of `site`.
    pub fn new(site: &Site, layout: &str) -> Key {
        let templates = &site.board_templates;
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(build_id().as_bytes());
        let mut names: Vec<&String> = templates.keys().collect();
        names.sort();
        for n in names {
            h.update(n.as_bytes());
            h.update(&[0]);
            h.update(templates[n].1.as_bytes());
            h.update(&[0]);
        }
        h.update(fonts_stamp(site).as_bytes());
        h.update(&[0]);
        h.update(system_fonts_stamp().as_bytes());
        h.update(&[0]);
        h.update(layout.as_bytes());
        h.update(&[0]);
        Key(h)
    }

    /// Adds a value as its JSON (the template's inputs; the warnings kept beside a
    /// layout).
    pub fn json(mut self, value: &impl serde::Serialize) -> Key {
        // Buffered: the serializer writes a few bytes at a time, which the hasher takes
        // faster in large pieces (a year's booklet is megabytes of JSON). Hashing
        // writes nothing that can fail.
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut self.0);
        let _ = serde_json::to_writer(&mut w, value);
        drop(w);
        self.0.update(&[0]);
        self
    }

    /// Adds bytes (a source text messages point into).
    pub fn bytes(mut self, bytes: &[u8]) -> Key {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds the site's own YAML files (site.yaml, brand.yaml, achievements.yaml,
    /// deck.yaml), which a layout's notes about its characters may point into by line.
    pub fn site_files(mut self, site: &Site) -> Key {
        for file in SITE_FILES {
            let text = std::fs::read(site.root.join(file)).unwrap_or_default();
            self = self.bytes(&text);
        }
        self
    }

    /// Adds the pictures a template shows: where, at what width, and what each is.
    pub fn pictures(mut self, site: &Site, pictures: &[Picture]) -> Key {
        for p in pictures {
            self.0.update(p.path.as_bytes());
            self.0.update(&[0]);
            self.0.update(&p.width.to_le_bytes());
            picture(site, &p.source, &mut self.0);
        }
        self
    }

    /// Adds the pictures `sources` (a board's photos, each prepared as its printed
    /// size needs).
    pub fn sources<'a>(mut self, site: &Site, sources: impl IntoIterator<Item = &'a str>) -> Key {
        for s in sources {
            picture(site, s, &mut self.0);
        }
        self
    }

    /// The key as a cache file stem: `NAME@` and 20 hex digits.
    pub fn name(self, name: &str) -> String {
        format!("{name}@{}", &self.0.finalize().to_hex()[..20])
    }

    /// The key as 16 hex digits (a designed card's file name).
    pub fn short(self) -> String {
        self.0.finalize().to_hex()[..16].to_string()
    }
}

/// Feeds what the picture `source` is into `h`: its path, its upright size and its
/// content-named published file (a changed picture gets a new name); for a picture the
/// site does not publish, its size and modification time on disk.
pub fn picture(site: &Site, source: &str, h: &mut blake3::Hasher) {
    h.update(source.as_bytes());
    h.update(&[0]);
    match site.media.pictures.get(source) {
        Some(p) => {
            h.update(&p.width.to_le_bytes());
            h.update(&p.height.to_le_bytes());
            h.update(p.largest().fallback.as_bytes());
        }
        None => {
            let stamp = crate::cache::stamp(&site.root.join(source));
            h.update(format!("{stamp:?}").as_bytes());
        }
    }
    h.update(&[0]);
}
