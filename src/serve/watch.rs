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
/// rename, delete then create) takes a few milliseconds. A save known to be complete goes
/// without the wait (see `Batch::add`).
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
/// event came for [`DEBOUNCE`] ([`AFTER_REMOVAL`] after a removal), as soon as a save is
/// complete (see [`Batch::add`]), or after [`LONGEST`].
fn batches(
    events: &Receiver<notify::Result<notify::Event>>,
    roots: &[(PathBuf, String)],
    tx: &Sender<Vec<String>>,
) {
    let mut batch = Batch::default();
    let mut since = Instant::now();
    let mut quiet = DEBOUNCE;
    loop {
        let event = if batch.paths.is_empty() {
            match events.recv() {
                Ok(e) => e,
                Err(_) => return,
            }
        } else {
            let wait = quiet.min(LONGEST.saturating_sub(since.elapsed()));
            match events.recv_timeout(wait) {
                Ok(e) => e,
                Err(RecvTimeoutError::Timeout) => {
                    batch.send(tx);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        };
        let Ok(event) = event else { continue };
        if batch.paths.is_empty() {
            since = Instant::now();
        }
        match batch.add(&event, roots) {
            Step::Nothing => {}
            Step::Wait(q) => quiet = q,
            Step::Complete => batch.send(tx),
        }
    }
}

/// The changes gathered since the last batch was sent.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<String>,
    /// Site files created or written to and not closed since: saves or copies going on.
    writing: BTreeSet<String>,
    /// The trackers of renames whose first half came (inotify's "moved from"): their
    /// "moved to" is followed by the pair, which completes the save.
    moving: Vec<usize>,
}

/// What an event means for the batch.
enum Step {
    /// Nothing that matters to the site.
    Nothing,
    /// A change: wait this long for more.
    Wait(Duration),
    /// A save is complete and no other file is being written: send now.
    Complete,
}

impl Batch {
    /// Takes in one event. A save is complete when a file of the site is renamed into
    /// place (an atomic save: vim, `sed -i`, most editors) or a site file that changed
    /// is closed after writing (an in-place save, a copy) — each only while no other
    /// file of the site is being written. A rename that moves a page away (vim's backup
    /// `page.md~`) is not; nor is an editor's temporary file closed (`sedXAbc12`,
    /// `page.md___jb_tmp___` have no site extension): its rename into place follows.
    fn add(&mut self, event: &notify::Event, roots: &[(PathBuf, String)]) -> Step {
        use notify::event::{AccessKind, AccessMode, CreateKind};
        // Each path as the site names it, or `None` when it does not matter to the site.
        let rels: Vec<Option<String>> = event.paths.iter().map(|p| relative(p, roots)).collect();
        let site_paths = || rels.iter().flatten().cloned();
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                let mut saved = false;
                for (p, rel) in event.paths.iter().zip(&rels) {
                    if let Some(rel) = rel {
                        self.writing.remove(rel);
                        saved |= self.paths.contains(rel) && has_site_extension(p);
                    }
                }
                if saved && self.writing.is_empty() {
                    Step::Complete
                } else {
                    Step::Nothing
                }
            }
            // Reading the site opens its files: access events would rebuild forever.
            EventKind::Access(_)
            | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
            | EventKind::Any
            | EventKind::Other => Step::Nothing,
            kind => {
                // A rename comes as its two halves, then as the pair: the save is complete
                // with the pair (or with a "moved to" alone, from outside the folder).
                let mut completes = false;
                if let EventKind::Modify(ModifyKind::Name(mode)) = kind {
                    let tracker = event.attrs.tracker();
                    let into_place = matches!(rels.last(), Some(Some(_)));
                    match mode {
                        RenameMode::From => self.moving.extend(tracker),
                        RenameMode::To => {
                            completes =
                                into_place && !tracker.is_some_and(|t| self.moving.contains(&t));
                        }
                        RenameMode::Both => {
                            self.moving.retain(|&t| Some(t) != tracker);
                            completes = into_place;
                        }
                        _ => {}
                    }
                }
                if rels.iter().all(Option::is_none) {
                    return Step::Nothing;
                }
                match kind {
                    EventKind::Create(CreateKind::Folder) => {}
                    EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_)) => {
                        self.writing.extend(site_paths());
                    }
                    EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(RenameMode::From | RenameMode::Both)) => {
                        // A file gone or renamed away is written no more.
                        if let Some(Some(gone)) = rels.first() {
                            self.writing.remove(gone);
                        }
                    }
                    _ => {}
                }
                self.paths.extend(site_paths());
                if completes && self.writing.is_empty() {
                    Step::Complete
                } else if matches!(kind, EventKind::Remove(_)) {
                    Step::Wait(AFTER_REMOVAL)
                } else {
                    Step::Wait(DEBOUNCE)
                }
            }
        }
    }

    fn send(&mut self, tx: &Sender<Vec<String>>) {
        self.writing.clear();
        self.moving.clear();
        if !self.paths.is_empty() {
            let _ = tx.send(std::mem::take(&mut self.paths).into_iter().collect());
        }
    }
}

/// Whether an in-place save of `path` writes a file of the site — a page, settings, a
/// template, a picture, a video — rather than an editor's temporary file.
fn has_site_extension(path: &Path) -> bool {
    let name = path.file_name().map_or("".into(), |n| n.to_string_lossy());
    let text = path.extension().is_some_and(|e| {
        let e = e.to_string_lossy();
        [
            "md", "yaml", "yml", "html", "css", "js", "typ", "txt", "svg", "vtt",
        ]
        .iter()
        .any(|t| e.eq_ignore_ascii_case(t))
    });
    text || crate::paths::is_image(&name) || crate::paths::is_video(&name)
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
    use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, RemoveKind};

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

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    fn created(path: &str) -> notify::Event {
        event(EventKind::Create(CreateKind::File), path)
    }

    fn written(path: &str) -> notify::Event {
        event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), path)
    }

    fn closed(path: &str) -> notify::Event {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            path,
        )
    }

    fn removed(path: &str) -> notify::Event {
        event(EventKind::Remove(RemoveKind::File), path)
    }

    /// A rename event as inotify's watcher reports it: one half (`From`, `To`) with one
    /// path, or the pair (`Both`) with from and to.
    fn renamed(mode: RenameMode, paths: &[&str]) -> notify::Event {
        paths.iter().fold(
            notify::Event::new(EventKind::Modify(ModifyKind::Name(mode))),
            |e, p| e.add_path(PathBuf::from(p)),
        )
    }

    /// The batches `events` make, the watcher stopping after them: a batch still waiting
    /// for quiet is never sent, so only the batches sent at once are seen.
    fn batches_of(roots: &[(PathBuf, String)], events_in: Vec<notify::Event>) -> Vec<Vec<String>> {
        let (events_tx, events) = mpsc::channel();
        let (tx, batches_rx) = mpsc::channel();
        for e in events_in {
            events_tx.send(Ok(e)).unwrap();
        }
        drop(events_tx);
        batches(&events, roots, &tx);
        batches_rx.try_iter().collect()
    }

    /// `events` and one more.
    fn then(mut events: Vec<notify::Event>, more: notify::Event) -> Vec<notify::Event> {
        events.push(more);
        events
    }

    fn site() -> Vec<(PathBuf, String)> {
        vec![(PathBuf::from("/site"), String::new())]
    }

    fn batch(paths: &[&str]) -> Vec<Vec<String>> {
        vec![paths.iter().map(|p| p.to_string()).collect()]
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
                created("/site/content/.a.md.tmp"),
                written("/site/content/.a.md.tmp"),
                closed("/site/content/.a.md.tmp"),
                event(
                    EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                    "/site/site.yaml",
                ),
                removed("/elsewhere/xili/b.md"),
                removed("/other/c.md"),
                renamed(RenameMode::To, &["/site/public/x.html"]),
                renamed(RenameMode::To, &["/site/content/a.md"]),
            ],
        );
        assert_eq!(got, batch(&["../xili/b.md", "content/a.md"]));
    }

    #[test]
    fn vim_renaming_the_page_to_its_backup_waits_for_the_new_page() {
        let got = batches_of(
            &site(),
            vec![
                renamed(RenameMode::From, &["/site/content/a.md"]),
                renamed(RenameMode::To, &["/site/content/a.md~"]),
                renamed(
                    RenameMode::Both,
                    &["/site/content/a.md", "/site/content/a.md~"],
                ),
                created("/site/content/a.md"),
            ],
        );
        // Nothing went at once (the watcher stopped before the quiet wait ended): the
        // page was never served as deleted.
        assert!(got.is_empty());
    }

    #[test]
    fn a_file_closed_after_writing_goes_at_once_unless_temporary_or_others_are_written() {
        let run = |events| batches_of(&site(), events);
        let in_place = vec![written("/site/content/a.md"), closed("/site/content/a.md")];
        assert_eq!(run(in_place), batch(&["content/a.md"]));
        // `sed -i`: its temporary file is closed, then renamed over the page.
        let sed = vec![
            created("/site/content/sedAb12"),
            written("/site/content/sedAb12"),
            closed("/site/content/sedAb12"),
        ];
        assert_eq!(run(sed.clone()), Vec::<Vec<String>>::new());
        let into_place = renamed(
            RenameMode::Both,
            &["/site/content/sedAb12", "/site/content/a.md"],
        );
        assert_eq!(
            run(then(sed, into_place)),
            batch(&["content/a.md", "content/sedAb12"])
        );
        // Two photos copied in at once: the batch goes when the last one is closed.
        let copies = vec![
            created("/site/albums/x/1.jpg"),
            created("/site/albums/x/2.jpg"),
            written("/site/albums/x/1.jpg"),
            closed("/site/albums/x/1.jpg"),
            written("/site/albums/x/2.jpg"),
        ];
        assert_eq!(run(copies.clone()), Vec::<Vec<String>>::new());
        assert_eq!(
            run(then(copies, closed("/site/albums/x/2.jpg"))),
            batch(&["albums/x/1.jpg", "albums/x/2.jpg"])
        );
    }

    #[test]
    fn a_rename_makes_one_batch_though_it_comes_as_halves_and_pair() {
        let got = batches_of(
            &site(),
            vec![
                renamed(RenameMode::From, &["/site/content/.a.md.tmp"]).set_tracker(7),
                renamed(RenameMode::To, &["/site/content/a.md"]).set_tracker(7),
                renamed(
                    RenameMode::Both,
                    &["/site/content/.a.md.tmp", "/site/content/a.md"],
                )
                .set_tracker(7),
            ],
        );
        assert_eq!(got, batch(&["content/a.md"]));
    }

    #[test]
    fn site_files_are_told_from_temporary_ones_by_their_extension() {
        for saved in [
            "a.md",
            "site.yaml",
            "p.JPG",
            "clip.mp4",
            "page.html",
            "c.vtt",
        ] {
            assert!(has_site_extension(Path::new(saved)), "{saved}");
        }
        for temporary in ["sedAb12", "a.md___jb_tmp___", "a.md.tmp", "4913"] {
            assert!(!has_site_extension(Path::new(temporary)), "{temporary}");
        }
    }
}
