//! Laid-out boards kept between builds: in memory for `zhanting serve`, and in
//! `.zhanting-cache/boards/` (`KEY.pdf`, `KEY.png`, `KEY.json` with the warnings), under
//! a key over everything a board is made from.

use super::Laid;
use crate::cache::{fingerprint, DiskCache, Memo};
use crate::error::Diagnostic;
use crate::model::{Board, Site};
use std::collections::HashSet;

/// Name of the boards folder of `.zhanting-cache/`.
pub const CACHE: &str = "boards";

/// What a board's `KEY.json` holds besides its files.
#[derive(serde::Deserialize)]
struct Meta {
    warnings: Vec<Diagnostic>,
    preflight: super::preflight::Preflight,
}

#[derive(serde::Serialize)]
struct MetaRef<'a> {
    warnings: &'a [Diagnostic],
    preflight: &'a super::preflight::Preflight,
}

pub struct Store<'a> {
    pub disk: DiskCache,
    pub memo: Option<&'a Memo<Laid>>,
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

/// A key over everything a board's outputs are made from: its inputs, every template,
/// its photos' size and modification time, the site's fonts, the DPI limit, the binary.
pub fn key(site: &Site, board: &Board, inputs: &serde_json::Value) -> String {
    let mut h = engine_hasher(site);
    h.update(inputs.to_string().as_bytes());
    for p in board.photos() {
        h.update(p.source.as_bytes());
        let stamp = crate::cache::stamp(&site.root.join(&p.source));
        h.update(format!("{stamp:?}").as_bytes());
    }
    h.update(&board.dpi_warning.to_le_bytes());
    format!("{}@{}", board.slug, &h.finalize().to_hex()[..20])
}

/// A hasher fed with what everything the engine lays out depends on: this binary, every
/// template, and the site's `fonts/` folder (each file's name, size and modification
/// time). Boards and documents add what is their own.
pub(crate) fn engine_hasher(site: &Site) -> blake3::Hasher {
    let templates = &site.board_templates;
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(build_id().as_bytes());
    let mut names: Vec<&String> = templates.keys().collect();
    names.sort();
    for n in names {
        h.update(n.as_bytes());
        h.update(templates[n].1.as_bytes());
    }
    h.update(fonts_stamp(site).as_bytes());
    h
}

fn fonts_stamp(site: &Site) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(site.root.join("fonts"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let m = e.metadata().ok();
        out.push_str(&format!(
            "{:?}{:?}{:?}",
            e.file_name(),
            m.as_ref().map(|m| m.len()),
            m.and_then(|m| m.modified().ok())
        ));
    }
    out
}

impl Store<'_> {
    /// The board made from `key` earlier: from memory, else from the disk cache.
    pub fn get(&self, slug: &str, key: &str) -> Option<Laid> {
        if let Some(hit) = self.memo.and_then(|m| m.get(slug, fingerprint(key))) {
            return Some(hit);
        }
        let found = self.read_disk(slug, key)?;
        self.remember(&found);
        Some(found)
    }

    fn remember(&self, laid: &Laid) {
        if let Some(memo) = self.memo {
            memo.insert(&laid.slug, fingerprint(&laid.key), laid.clone());
        }
    }

    fn read_disk(&self, slug: &str, key: &str) -> Option<Laid> {
        let pdf = self.disk.read(&format!("{key}.pdf"))?;
        let png = self.disk.read(&format!("{key}.png"))?;
        let meta = self.disk.read(&format!("{key}.json"))?;
        let meta: Meta = serde_json::from_slice(&meta).ok()?;
        Some(Laid {
            slug: slug.to_string(),
            pdf: pdf.into(),
            png: png.into(),
            warnings: meta.warnings,
            preflight: meta.preflight,
            key: key.to_string(),
        })
    }

    /// Keeps a board just laid out (best effort: a missing entry only costs time).
    pub fn put(&self, laid: &Laid) {
        self.remember(laid);
        let meta = serde_json::to_vec(&MetaRef {
            warnings: &laid.warnings,
            preflight: &laid.preflight,
        })
        .unwrap_or_default();
        let key = &laid.key;
        // The JSON goes last: an entry without it is never read.
        let _ = self
            .disk
            .write(&format!("{key}.pdf"), &laid.pdf)
            .and_then(|_| self.disk.write(&format!("{key}.png"), &laid.png))
            .and_then(|_| self.disk.write(&format!("{key}.json"), &meta));
    }

    /// Removes cached boards this build did not use (older versions, removed boards).
    pub fn prune(&self, used: &[Laid]) {
        let keep: HashSet<String> = used
            .iter()
            .flat_map(|b| ["pdf", "png", "json"].map(|ext| format!("{}.{ext}", b.key)))
            .collect();
        self.disk.prune(|name| !name.starts_with('.'), &keep);
    }
}
