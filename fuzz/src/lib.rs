//! What zhanting's fuzz targets share: a scratch site folder on tmpfs (`/dev/shm` where
//! there is one), made from a fixture site and changed by each input, which is then read
//! through zhanting's own pipeline (no copy of its logic lives here); and what every
//! result must hold besides not panicking: each diagnostic renders in both languages,
//! and each error names its file.

pub mod import;
pub mod request;
pub mod site;

use std::path::{Path, PathBuf};
use zhanting::error::{Diagnostic, Lang};
use zhanting::{BuildOptions, Pipeline, Sink};

/// The repository's root, whose fixtures the scratch sites copy.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ is in the repository")
        .to_path_buf()
}

/// A folder of this process for one target's sites, removed and made again on demand.
pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    /// An empty folder `zhanting-fuzz-NAME-PID`. Folders that processes no longer
    /// running left behind (a crash ends a fuzzer without clean-up) are removed.
    pub fn empty(name: &str) -> Scratch {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let prefix = format!("zhanting-fuzz-{name}-");
        for e in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let file_name = e.file_name();
            let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        let root = base.join(format!("{prefix}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("scratch folder");
        Scratch { root }
    }

    /// A copy of the fixture site `tests/fixtures/FIXTURE`.
    pub fn fixture(name: &str, fixture: &str) -> Scratch {
        let scratch = Scratch::empty(name);
        copy_dir(&repo().join("tests/fixtures").join(fixture), &scratch.root);
        scratch
    }

    /// Writes file `rel` (folders made as needed).
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("scratch folder");
        }
        std::fs::write(path, bytes).expect("scratch file");
    }

    /// Removes file `rel`, if it is there.
    pub fn remove(&self, rel: &str) {
        let _ = std::fs::remove_file(self.root.join(rel));
    }

    /// Removes everything in the folder.
    pub fn clear(&self) {
        for e in std::fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(path);
            } else {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Copies the fixture site `from` into `to`, without what builds of it left.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("fixture").flatten() {
        // What earlier builds of the fixture left.
        if matches!(e.file_name().to_str(), Some("public" | ".zhanting-cache")) {
            continue;
        }
        let target = to.join(e.file_name());
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::create_dir_all(&target).expect("scratch folder");
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("scratch file");
        }
    }
}

/// What `zhanting check` runs, with drafts: the options of every fuzzed load.
fn options() -> BuildOptions {
    BuildOptions {
        drafts: true,
        no_boards: true,
        ..BuildOptions::default()
    }
}

/// Loads and plans the site at `dir` as `zhanting check` does; whether it loaded.
pub fn load(dir: &Path) -> bool {
    match zhanting::load_site(dir, &options(), false) {
        Ok((_, _, warnings)) => {
            clean(&warnings);
            true
        }
        Err(diags) => {
            clean(&diags);
            false
        }
    }
}

/// The site at `dir` through `zhanting check` up to its web: loaded, planned, and every
/// page, feed, search index and static file made; with `images`, every picture decoded.
/// Boards, link cards and documents are left out: Typst lays out one in a second or
/// more, and is fuzzed upstream. Made in memory, as `serve` makes it: without the link
/// check of `check` and `build`, which would find the pages' links to the cards (and
/// pictures) left out broken. Whether it passed.
pub fn check(dir: &Path, images: bool) -> bool {
    let skip: &[&str] = if images {
        &["cards", "documents"]
    } else {
        &["cards", "documents", "images"]
    };
    match Pipeline::check(dir, &options()).run_without(&Sink::Memory, skip) {
        Ok(run) => {
            clean(&run.report.warnings);
            true
        }
        Err(diags) => {
            clean(&diags);
            false
        }
    }
}

/// What every diagnostic must be: renderable in both languages, and, when it is an
/// error, naming the file to fix.
pub fn clean(diags: &[Diagnostic]) {
    for d in diags {
        for lang in [Lang::En, Lang::Zh] {
            let _ = d.render(lang);
        }
        assert!(
            !d.is_error() || d.file.is_some(),
            "an error that names no file:\n{}",
            d.render(Lang::En)
        );
    }
}

/// The input split at its first byte: which of several files the rest is, and the rest.
pub fn choose(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(first, rest)| (*first, rest))
}
