//! Watching the site folder: notify events coalesced into sets of changed site-relative
//! paths (editors save by write-then-rename, delete-then-create, swap files: all of it
//! arrives as one batch), without the output folder, the cache, hidden files and editor
//! leftovers.

use notify::event::{MetadataKind, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Time the watcher waits for a burst of events to end: an editor's save (write then
/// rename, delete then create) takes a few milliseconds. A rename into place ends a save
/// at once (an atomic save: vim, `sed -i`, most editors), so its batch goes without the
/// wait.
pub const DEBOUNCE: Duration = Duration::from_millis(12);
/// The longest a batch waits while events keep coming (a folder being copied in).
const LONGEST: Duration = Duration::from_millis(250);

/// The running watcher: watching stops when it is dropped.
pub struct Watching {
    _watcher: notify::RecommendedWatcher,
}

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
pub fn watch(roots: &[(PathBuf, String)], tx: Sender<Vec<String>>) -> notify::Result<Watching> {
    let roots: Vec<(PathBuf, String)> = roots
        .iter()
        .map(|(dir, prefix)| {
            (
                dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()),
                prefix.clone(),
            )
        })
        .collect();
    let (events_tx, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(events_tx)?;
    for (root, _) in &roots {
        watcher.watch(root, RecursiveMode::Recursive)?;
    }
    std::thread::Builder::new()
        .name("zhanting-watch".into())
        .spawn(move || batches(&events, &roots, &tx))
        .map_err(notify::Error::io)?;
    Ok(Watching { _watcher: watcher })
}

/// Gathers events into batches until the watcher is dropped: a batch is sent once no
/// event came for [`DEBOUNCE`], right after a rename into place, or after [`LONGEST`].
fn batches(
    events: &Receiver<notify::Result<notify::Event>>,
    roots: &[(PathBuf, String)],
    tx: &Sender<Vec<String>>,
) {
    let mut paths = BTreeSet::new();
    let mut since = Instant::now();
    loop {
        let event = if paths.is_empty() {
            match events.recv() {
                Ok(e) => e,
                Err(_) => return,
            }
        } else {
            let wait = DEBOUNCE.min(LONGEST.saturating_sub(since.elapsed()));
            match events.recv_timeout(wait) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => {
                    send(&mut paths, tx);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        let Ok(event) = event else { continue };
        if paths.is_empty() {
            since = Instant::now();
        }
        if add(&event, roots, &mut paths) && renamed_into_place(&event) {
            // What came with the save (its temporary file) is already queued.
            while let Ok(Ok(e)) = events.try_recv() {
                add(&e, roots, &mut paths);
            }
            send(&mut paths, tx);
        }
    }
}

fn send(paths: &mut BTreeSet<String>, tx: &Sender<Vec<String>>) {
    if !paths.is_empty() {
        let _ = tx.send(std::mem::take(paths).into_iter().collect());
    }
}

/// Whether `event` put a file in its place by renaming it there: the save is complete.
fn renamed_into_place(event: &notify::Event) -> bool {
    matches!(
        event.kind,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    )
}

/// Adds the relevant paths `event` changed to `paths`; whether it changed one.
fn add(event: &notify::Event, roots: &[(PathBuf, String)], paths: &mut BTreeSet<String>) -> bool {
    // Reading the site opens its files: access events would rebuild forever.
    let writes = match event.kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Modify(_) => true,
        _ => false,
    };
    if !writes {
        return false;
    }
    let mut added = false;
    for p in &event.paths {
        for (base, prefix) in roots {
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
                added = true;
            }
            break;
        }
    }
    added
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

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn a_rename_into_place_sends_its_batch_at_once_with_what_came_before() {
        let (events_tx, events) = mpsc::channel();
        let (tx, batches_rx) = mpsc::channel();
        let roots = vec![
            (PathBuf::from("/site"), String::new()),
            (PathBuf::from("/elsewhere/xili"), "../xili".to_string()),
        ];
        for e in [
            event(
                EventKind::Create(notify::event::CreateKind::File),
                "/site/content/.a.md.tmp",
            ),
            event(
                EventKind::Create(notify::event::CreateKind::File),
                "/site/albums/x/p.jpg",
            ),
            event(
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                "/site/site.yaml",
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "/site/content/a.md",
            ),
            event(
                EventKind::Remove(notify::event::RemoveKind::File),
                "/elsewhere/xili/b.md",
            ),
            event(
                EventKind::Remove(notify::event::RemoveKind::File),
                "/other/c.md",
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "/site/public/x.html",
            ),
        ] {
            events_tx.send(e).unwrap();
        }
        // The watcher stops: a batch is only sent if the renames sent it.
        drop(events_tx);
        batches(&events, &roots, &tx);
        let got: Vec<Vec<String>> = batches_rx.try_iter().collect();
        assert_eq!(
            got,
            [vec![
                "../xili/b.md".to_string(),
                "albums/x/p.jpg".to_string(),
                "content/a.md".to_string(),
            ]]
        );
    }
}
