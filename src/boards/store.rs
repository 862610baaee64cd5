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

/// A board's key, over everything its layout reads: the template's inputs, the board
/// itself (the layout and the preflight read its geometry, process and limits, and its
/// warnings point into its YAML), what each of its photos is, and the site's YAML files
/// its notes may point into.
pub fn key(site: &Site, board: &Board, inputs: &serde_json::Value) -> String {
    crate::typeset::Key::new(site, &board.layout)
        .json(inputs)
        .bytes(format!("{board:?}").as_bytes())
        .sources(site, board.photos().map(|p| p.source.as_str()))
        .site_files(site)
        .name(&board.slug)
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
