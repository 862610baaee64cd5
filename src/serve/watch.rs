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
/// wait, as does a page closed after it was written in place.
pub const DEBOUNCE: Duration = Duration::from_millis(12);
/// The wait after a removal: an editor that saves by deleting and creating the file
/// creates it at once, and then the wait for its writes to end is [`DEBOUNCE`].
const AFTER_REMOVAL: Duration = Duration::from_millis(3);
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
/// event came for [`DEBOUNCE`] ([`AFTER_REMOVAL`] after a removal), right after a rename
/// into place or a site file closed after writing, or after [`LONGEST`].
fn batches(
    events: &Receiver<notify::Result<notify::Event>>,
    roots: &[(PathBuf, String)],
    tx: &Sender<Vec<String>>,
) {
    let mut paths = BTreeSet::new();
    let mut since = Instant::now();
    let mut quiet = DEBOUNCE;
    loop {
        let event = if paths.is_empty() {
            match events.recv() {
                Ok(e) => e,
                Err(_) => return,
            }
        } else {
            let wait = quiet.min(LONGEST.saturating_sub(since.elapsed()));
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
        if closed_after_writing(&event, roots) && !paths.is_empty() {
            while let Ok(Ok(e)) = events.try_recv() {
                add(&e, roots, &mut paths);
            }
            send(&mut paths, tx);
            continue;
        }
        if !add(&event, roots, &mut paths) {
            continue;
        }
        quiet = if matches!(event.kind, EventKind::Remove(_)) {
            AFTER_REMOVAL
        } else {
            DEBOUNCE
        };
        if renamed_into_place(&event, roots) {
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

/// Whether `event` put a file of the site in its place by renaming it there: the save is
/// complete. (A rename away, such as vim's backup `page.md~`, is not: the new file
/// follows.)
fn renamed_into_place(event: &notify::Event, roots: &[(PathBuf, String)]) -> bool {
    matches!(
        event.kind,
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    ) && event
        .paths
        .last()
        .is_some_and(|to| relative(to, roots).is_some())
}

/// Names of the files an in-place save writes: a site's pages, settings, templates,
/// pictures and videos. An editor's temporary file (`sedXAbc12`, `page.md___jb_tmp___`)
/// has none of them, so the save is complete only when it is renamed into place.
const SAVED: &[&str] = &[
    "md", "yaml", "yml", "html", "css", "js", "typ", "txt", "svg", "jpg", "jpeg", "png", "webp",
    "heic", "heif", "mp4", "m4v", "webm", "vtt",
];

/// Whether `event` closed a file of the site after writing it (an in-place save, a copy):
/// the save is complete.
fn closed_after_writing(event: &notify::Event, roots: &[(PathBuf, String)]) -> bool {
    use notify::event::{AccessKind, AccessMode};
    event.kind == EventKind::Access(AccessKind::Close(AccessMode::Write))
        && event.paths.iter().any(|p| {
            let known = p.extension().is_some_and(|e| {
                let e = e.to_string_lossy().to_ascii_lowercase();
                SAVED.contains(&e.as_str())
            });
            known && relative(p, roots).is_some()
        })
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
    for rel in event.paths.iter().filter_map(|p| relative(p, roots)) {
        paths.insert(rel);
        added = true;
    }
    added
}

/// `path` as the site names it (behind its folder's prefix), when it matters to the site.
fn relative(path: &Path, roots: &[(PathBuf, String)]) -> Option<String> {
    let (base, prefix) = roots.iter().find(|(base, _)| path.starts_with(base))?;
    let rel = path.strip_prefix(base).ok()?;
    if !relevant(rel) {
        return None;
    }
    let rel = crate::paths::rel_string(rel);
    Some(if prefix.is_empty() {
        rel
    } else {
        format!("{prefix}/{rel}")
    })
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

    /// The batches `events` make, the watcher stopping after them: a batch still waiting
    /// for quiet is never sent, so only the batches sent at once are seen.
    fn batches_of(
        roots: &[(PathBuf, String)],
        events_in: Vec<notify::Result<notify::Event>>,
    ) -> Vec<Vec<String>> {
        let (events_tx, events) = mpsc::channel();
        let (tx, batches_rx) = mpsc::channel();
        for e in events_in {
            events_tx.send(e).unwrap();
        }
        drop(events_tx);
        batches(&events, roots, &tx);
        batches_rx.try_iter().collect()
    }

    #[test]
    fn a_rename_into_place_sends_its_batch_at_once_with_what_came_before() {
        let roots = vec![
            (PathBuf::from("/site"), String::new()),
            (PathBuf::from("/elsewhere/xili"), "../xili".to_string()),
        ];
        let got = batches_of(
            &roots,
            vec![
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
            ],
        );
        assert_eq!(
            got,
            [vec![
                "../xili/b.md".to_string(),
                "albums/x/p.jpg".to_string(),
                "content/a.md".to_string(),
            ]]
        );
    }

    #[test]
    fn vim_renaming_the_page_to_its_backup_waits_for_the_new_page() {
        let roots = vec![(PathBuf::from("/site"), String::new())];
        let both = notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/site/content/a.md"))
            .add_path(PathBuf::from("/site/content/a.md~"));
        let got = batches_of(
            &roots,
            vec![
                event(
                    EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                    "/site/content/a.md",
                ),
                event(
                    EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                    "/site/content/a.md~",
                ),
                Ok(both),
                event(
                    EventKind::Create(notify::event::CreateKind::File),
                    "/site/content/a.md",
                ),
            ],
        );
        // Nothing went at once (the watcher stopped before the quiet wait ended): the
        // page was never served as deleted.
        assert!(got.is_empty());
    }

    #[test]
    fn a_page_closed_after_writing_goes_at_once_a_temporary_file_does_not() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange};
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let roots = vec![(PathBuf::from("/site"), String::new())];
        let run = |events| batches_of(&roots, events);
        let in_place = vec![
            event(written, "/site/content/a.md"),
            event(closed, "/site/content/a.md"),
        ];
        assert_eq!(run(in_place), [vec!["content/a.md".to_string()]]);
        // `sed -i`: its temporary file is closed, then renamed over the page.
        let sed = vec![
            event(EventKind::Create(CreateKind::File), "/site/content/sedAb12"),
            event(written, "/site/content/sedAb12"),
            event(closed, "/site/content/sedAb12"),
        ];
        assert_eq!(run(sed), Vec::<Vec<String>>::new());
    }
}
