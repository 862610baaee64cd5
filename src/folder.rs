//! The site folder as loading sees it: which files exist, their stamps (size and
//! modification time) and their contents.
//!
//! A build asks the file system each time ([`SiteFolder::disk`]). `zhanting serve`
//! keeps an index of every file ([`SiteFolder::indexed`]), made by one walk and updated
//! from the watcher's events ([`SiteFolder::refresh`]), so loading again after an edit
//! makes system calls only for the files that changed — on a slow disk a `stat` costs
//! 20 µs or more, and a site of 10,000 pages has 10,000 files.

use crate::cache::Stamp;
use crate::paths::{is_ignored, rel_string, CACHE_FOLDER};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use walkdir::WalkDir;

/// Top-level folders that are never sources: the default output and Rust's.
const NOT_SOURCES: &[&str] = &["public", "target", CACHE_FOLDER];

pub struct SiteFolder {
    root: PathBuf,
    /// Every file of the site by site-relative path, when indexed.
    index: Option<RwLock<BTreeMap<String, Stamp>>>,
    /// The symbolic links met while listing folders (site-relative), which are never
    /// followed: loading warns about each ([`SiteFolder::links`]).
    links: Mutex<BTreeSet<String>>,
}

/// Whether `rel` (site-relative, `/`-separated) can be a source: no ignored name, not
/// in the output or the cache.
pub fn is_source(rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or("");
    !NOT_SOURCES.contains(&first) && !rel.split('/').any(is_ignored)
}

impl SiteFolder {
    /// The folder at `root`, asking the file system each time.
    pub fn disk(root: &Path) -> SiteFolder {
        SiteFolder {
            root: root.to_path_buf(),
            index: None,
            links: Mutex::default(),
        }
    }

    /// The folder at `root` with an index of its files, made now.
    pub fn indexed(root: &Path) -> SiteFolder {
        let mut index = BTreeMap::new();
        let mut links = BTreeSet::new();
        for e in walk(root) {
            let Ok(rel) = e.path().strip_prefix(root) else {
                continue;
            };
            if e.file_type().is_file() {
                let stamp = e.metadata().map(|m| (m.len(), m.modified().ok()));
                if let Ok(stamp) = stamp {
                    index.insert(rel_string(rel), stamp);
                }
            } else if e.file_type().is_symlink() {
                links.insert(rel_string(rel));
            }
        }
        SiteFolder {
            root: root.to_path_buf(),
            index: Some(RwLock::new(index)),
            links: Mutex::new(links),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The symbolic links met so far (every one in the site when indexed), sorted: they
    /// are not followed, so what they point to is not part of the site.
    pub fn links(&self) -> Vec<String> {
        self.lock_links().iter().cloned().collect()
    }

    fn lock_links(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.links.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the index is kept (`serve`).
    pub fn is_indexed(&self) -> bool {
        self.index.is_some()
    }

    fn read_index(&self) -> Option<std::sync::RwLockReadGuard<'_, BTreeMap<String, Stamp>>> {
        self.index
            .as_ref()
            .map(|i| i.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The stamp of file `rel`; `None` when it is not a file.
    pub fn stamp(&self, rel: &str) -> Option<Stamp> {
        match self.read_index() {
            Some(index) => index.get(rel).copied(),
            None => std::fs::metadata(self.path(rel))
                .ok()
                .filter(|m| m.is_file())
                .map(|m| (m.len(), m.modified().ok())),
        }
    }

    pub fn is_file(&self, rel: &str) -> bool {
        match self.read_index() {
            Some(index) => index.contains_key(rel),
            None => self.path(rel).is_file(),
        }
    }

    /// Every file below folder `dir` (site-relative, `""` for the root), sorted by path,
    /// ignored names left out; with `depth: Some(1)` only those directly in it.
    pub fn files(&self, dir: &str, depth: Option<usize>) -> Vec<String> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        let deep_enough = |rel: &str| {
            let below = rel[prefix.len()..].matches('/').count() + 1;
            depth.is_none_or(|d| below <= d)
        };
        if let Some(index) = self.read_index() {
            return index
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(k, _)| k.clone())
                .filter(|k| deep_enough(k))
                .collect();
        }
        let base = self.path(dir);
        let mut walker = WalkDir::new(&base).sort_by_file_name();
        if let Some(d) = depth {
            walker = walker.max_depth(d);
        }
        let mut out = Vec::new();
        let entries = walker
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
            .filter_map(Result::ok);
        for e in entries {
            let is_link = e.depth() > 0 && e.file_type().is_symlink();
            if !e.file_type().is_file() && !is_link {
                continue;
            }
            let Some(rel) = e.path().strip_prefix(&self.root).ok().map(rel_string) else {
                continue;
            };
            if !is_source(&rel) {
                continue;
            }
            if is_link {
                self.lock_links().insert(rel);
            } else {
                out.push(rel);
            }
        }
        out.sort();
        out
    }

    /// Calls `f` with each file below folder `dir` (as [`SiteFolder::files`], all depths)
    /// and its stamp, in path order, without copying the paths.
    pub fn for_each_file(&self, dir: &str, mut f: impl FnMut(&str, Option<Stamp>)) {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        if let Some(index) = self.read_index() {
            for (rel, stamp) in index
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
            {
                f(rel, Some(*stamp));
            }
            return;
        }
        for rel in self.files(dir, None) {
            let stamp = self.stamp(&rel);
            f(&rel, stamp);
        }
    }

    /// The names of the folders directly in folder `dir`, sorted, ignored names left out.
    pub fn folders(&self, dir: &str) -> Vec<String> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        if let Some(index) = self.read_index() {
            let mut names: Vec<String> = index
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .filter_map(|(k, _)| {
                    let rest = &k[prefix.len()..];
                    rest.split_once('/').map(|(name, _)| name.to_string())
                })
                .collect();
            names.dedup();
            return names;
        }
        let mut names = Vec::new();
        for e in std::fs::read_dir(self.path(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(kind) = e.file_type() else {
                continue;
            };
            if is_ignored(&name) {
                continue;
            }
            if kind.is_dir() {
                names.push(name);
            } else if kind.is_symlink() {
                let rel = format!("{prefix}{name}");
                if is_source(&rel) {
                    self.lock_links().insert(rel);
                }
            }
        }
        names.sort();
        names
    }

    /// Takes note of changes to `changed` (site-relative files or folders, as the
    /// watcher reports them): each is looked at again on disk. Without an index this
    /// does nothing.
    pub fn refresh(&self, changed: &[String]) {
        let Some(index) = &self.index else {
            return;
        };
        let mut index = index.write().unwrap_or_else(|e| e.into_inner());
        let mut links = self.lock_links();
        for rel in changed.iter().filter(|r| is_source(r)) {
            let path = self.path(rel);
            // As the first walk: a link is not followed, even to a file.
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() => {
                    index.insert(rel.clone(), (m.len(), m.modified().ok()));
                }
                Ok(m) if m.is_dir() => {
                    // A folder moved in: everything below it is new.
                    for e in walk(&path) {
                        let Ok(r) = e.path().strip_prefix(&self.root) else {
                            continue;
                        };
                        if e.file_type().is_file() {
                            if let Ok(m) = e.metadata() {
                                index.insert(rel_string(r), (m.len(), m.modified().ok()));
                            }
                        } else if e.file_type().is_symlink() {
                            links.insert(rel_string(r));
                        }
                    }
                }
                found => {
                    // Gone (the file, or a folder and everything below it), or now a
                    // link, which is not followed.
                    index.remove(rel);
                    links.remove(rel);
                    let below = format!("{rel}/");
                    let gone: Vec<String> = index
                        .range(below.clone()..)
                        .take_while(|(k, _)| k.starts_with(&below))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for k in gone {
                        index.remove(&k);
                    }
                    links.retain(|k| !k.starts_with(&below));
                    if found.is_ok_and(|m| m.file_type().is_symlink()) {
                        links.insert(rel.clone());
                    }
                }
            }
        }
    }
}

/// Every entry below `dir`, ignored names and non-source folders left out.
fn walk(dir: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    let top = dir.to_path_buf();
    WalkDir::new(dir)
        .into_iter()
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let top_level = e.path().parent() == Some(top.as_path());
            !(is_ignored(&name) || top_level && NOT_SOURCES.contains(&name.as_ref()))
        })
        .filter_map(Result::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_answers_like_the_disk_and_follows_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in [
            "site.yaml",
            "content/a.md",
            "content/news/b.md",
            "content/.c.md.swp",
            "public/x.html",
            "albums/x/p.jpg",
        ] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), "x").unwrap();
        }
        let disk = SiteFolder::disk(root);
        let index = SiteFolder::indexed(root);
        for f in [&disk, &index] {
            assert_eq!(
                f.files("content", None),
                vec!["content/a.md", "content/news/b.md"]
            );
            assert_eq!(f.files("content", Some(1)), vec!["content/a.md"]);
            assert_eq!(f.folders("albums"), vec!["x"]);
            assert!(f.is_file("site.yaml") && !f.is_file("content"));
        }
        assert!(!index.is_file("public/x.html"));
        std::fs::write(root.join("content/news/new.md"), "x").unwrap();
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        index.refresh(&["content/news/new.md".into(), "content/a.md".into()]);
        assert_eq!(
            index.files("content", None),
            vec!["content/news/b.md", "content/news/new.md"]
        );
        std::fs::remove_dir_all(root.join("content/news")).unwrap();
        index.refresh(&["content/news".into()]);
        assert!(index.files("content", None).is_empty());
    }

    /// Links are never followed, on disk or indexed, made before or after the index:
    /// each is named by `links`, and forgotten when it goes.
    #[test]
    fn links_are_skipped_and_named() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, outside) = (tmp.path().join("site"), tmp.path().join("outside"));
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("albums/real")).unwrap();
        std::fs::create_dir_all(outside.join("dir")).unwrap();
        std::fs::write(outside.join("a.md"), "x").unwrap();
        std::fs::write(root.join("content/real.md"), "x").unwrap();
        std::fs::write(root.join("albums/real/album.yaml"), "x").unwrap();
        let link = |target: &str, rel: &str| {
            std::os::unix::fs::symlink(outside.join(target), root.join(rel)).unwrap();
        };
        link("a.md", "content/a.md");
        link("dir", "albums/linked");
        link("a.md", "content/.hidden.md");
        let disk = SiteFolder::disk(&root);
        let index = SiteFolder::indexed(&root);
        for f in [&disk, &index] {
            assert_eq!(f.files("content", None), vec!["content/real.md"]);
            assert_eq!(f.folders("albums"), vec!["real"]);
            assert_eq!(f.links(), vec!["albums/linked", "content/a.md"]);
        }
        link("a.md", "content/b.md");
        index.refresh(&["content/b.md".into()]);
        assert_eq!(index.files("content", None), vec!["content/real.md"]);
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        index.refresh(&["content/a.md".into()]);
        assert_eq!(index.links(), vec!["albums/linked", "content/b.md"]);
    }
}
