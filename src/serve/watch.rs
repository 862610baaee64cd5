//! Watching the site folder: notify events, debounced, coalesced into sets of changed
//! site-relative paths (editors save by write-then-rename, delete-then-create, swap files:
//! all of it arrives as one batch), without the output folder, the cache, hidden files and
//! editor leftovers.

use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{self, EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Time the watcher waits for a burst of events to end: an editor's save (write then
/// rename, delete then create) takes a few milliseconds.
pub const DEBOUNCE: Duration = Duration::from_millis(12);
/// How often the watcher looks for bursts that ended.
const TICK: Duration = Duration::from_millis(2);

/// Whether a change to `rel` (site-relative) matters to the site.
pub fn relevant(rel: &Path) -> bool {
    let mut components = rel.components();
    let first = match components.next() {
        Some(Component::Normal(c)) => c.to_string_lossy(),
        _ => return false,
    };
    if first == "public" || first == "target" {
        return false;
    }
    rel.components().all(|c| match c {
        Component::Normal(name) => !crate::paths::is_ignored(&name.to_string_lossy()),
        _ => false,
    })
}

/// Starts watching each folder of `roots` (a site or portal folder with the prefix
/// `""`, and a portal's branch folders outside it with the prefix `portal.yaml` names
/// them by); every batch of relevant changes is sent on `tx`, each path relative to its
/// folder behind that folder's prefix.
pub fn watch(
    roots: &[(PathBuf, String)],
    tx: Sender<Vec<String>>,
) -> notify::Result<Debouncer<notify::RecommendedWatcher, RecommendedCache>> {
    let roots: Vec<(PathBuf, String)> = roots
        .iter()
        .map(|(dir, prefix)| {
            (
                dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
                prefix.clone(),
            )
        })
        .collect();
    let bases = roots.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths = BTreeSet::new();
        for event in events {
            // Reading the site opens its files: access events would rebuild forever.
            let writes = match event.kind {
                EventKind::Create(_) | EventKind::Remove(_) => true,
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
                EventKind::Modify(_) => true,
                _ => false,
            };
            if !writes {
                continue;
            }
            for p in &event.paths {
                for (base, prefix) in &bases {
                    let Ok(rel) = p.strip_prefix(base) else {
                        continue;
                    };
                    if relevant(rel) {
                        let rel = crate::paths::rel_string(rel);
                        paths.insert(if prefix.is_empty() {
                            rel
                        } else {
                            format!("{prefix}/{rel}")
                        });
                    }
                    break;
                }
            }
        }
        if !paths.is_empty() {
            let _ = tx.send(paths.into_iter().collect());
        }
    })?;
    for (root, _) in &roots {
        debouncer.watch(root, RecursiveMode::Recursive)?;
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_output_cache_hidden_and_swap_files() {
        assert!(relevant(Path::new("content/news/a.md")));
        assert!(relevant(Path::new("site.yaml")));
        assert!(!relevant(Path::new("public/index.html")));
        assert!(!relevant(Path::new(".zhanting-cache/x")));
        assert!(!relevant(Path::new("content/news/.a.md.swp")));
        assert!(!relevant(Path::new("content/news/a.md~")));
        assert!(!relevant(Path::new("content/news/4913")));
        assert!(!relevant(Path::new(".git/index")));
    }
}
