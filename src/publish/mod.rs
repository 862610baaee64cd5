//! `zhanting publish`: puts a built output folder where the site is served — an
//! S3-compatible bucket (阿里云 OSS, 腾讯云 COS, 华为云 OBS, MinIO, …) or a folder —
//! changing only what changed.
//!
//! Three steps, each callable on its own (the CLI drives them; the editor's 发布 button
//! will too): [`Publisher::open`] reads the settings and the credentials,
//! [`Publisher::plan`] compares the output with the target and says what would change,
//! [`Publisher::execute`] does it, reporting through [`Progress`].
//!
//! What the target holds is known from a manifest that zhanting keeps beside the files
//! ([`manifest`]), each entry checked against the target's own listing (size, and the
//! ETag or modification time), so an object changed or removed by hand is noticed.
//! Order: new and changed files that are not pages first, then the pages that point at
//! them, then the feeds and sitemaps, then deletions — so a half-finished publish never
//! serves a page whose pictures are missing. Deletions only remove what zhanting
//! published before, never more than the guard allows, and never after an error.

mod credentials;
mod folder;
mod local;
pub mod manifest;
mod s3;

pub use credentials::{Credentials, Source};
pub use local::{cache_control, content_type, LocalFile};

use crate::config::publish::{Kind, Publish};
use crate::error::{Diagnostic, Text};
use manifest::{Entry, Manifest};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What `zhanting publish` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// Say what would change; change nothing.
    pub dry_run: bool,
    /// Upload every file, changed or not.
    pub force: bool,
    /// The deletion guard; `None` takes the settings' (`max_deletes`, 256).
    pub max_deletes: Option<usize>,
    /// Uploads at a time.
    pub jobs: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dry_run: false,
            force: false,
            max_deletes: None,
            jobs: 8,
        }
    }
}

/// What a publish reports while it runs. Every method has an empty default.
pub trait Progress: Sync {
    /// The plan is made; `execute` starts.
    fn started(&self, _plan: &Plan) {}
    /// One file is in place.
    fn uploaded(&self, _path: &str, _bytes: u64) {}
    /// One file is removed.
    fn deleted(&self, _path: &str) {}
    /// A request failed and is tried again after `wait`.
    fn retrying(&self, _path: &str, _attempt: u32, _wait: Duration, _why: &Text) {}
}

/// A [`Progress`] that reports nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// Why a publish stopped. Nothing was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The settings, or a folder that cannot be used.
    Settings,
    /// No credentials, or the store refused them.
    Credentials,
    /// The key is valid but may not do this.
    Denied,
    /// The bucket does not exist (at this endpoint).
    NoBucket,
    /// The store cannot be reached.
    Network,
    /// The computer's clock differs from the store's.
    ClockSkew,
    /// More deletions than the guard allows.
    TooManyDeletes,
    /// The store answered with an error of its own.
    Store,
    /// A local file could not be read or written.
    Io,
}

/// A publish's failure: its kind and the message for the user.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub diagnostic: Diagnostic,
    /// Trying the same request again may work (the network, a busy store).
    pub transient: bool,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, en: impl Into<String>, zh: impl Into<String>) -> Error {
        Error {
            kind,
            diagnostic: Diagnostic::error(en, zh),
            transient: false,
        }
    }

    pub(crate) fn hint(mut self, en: impl Into<String>, zh: impl Into<String>) -> Error {
        self.diagnostic = self.diagnostic.hint(en, zh);
        self
    }
}

impl From<Error> for Diagnostic {
    fn from(e: Error) -> Diagnostic {
        e.diagnostic
    }
}

/// What the target holds of one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remote {
    pub size: u64,
    /// The ETag (a bucket) or modification time (a folder), when the listing gives one.
    pub stamp: Option<String>,
}

/// Where files go: a bucket or a folder. Keys are output paths (`news/a/index.html`);
/// the store adds its prefix.
pub(crate) trait Store: Send + Sync {
    /// Shown to the user: `s3://bucket/prefix/ (endpoint)`, or the folder.
    fn describe(&self) -> String;
    /// Everything under the prefix (the manifest excluded).
    fn list(&self) -> Result<BTreeMap<String, Remote>, Error>;
    /// The manifest's bytes, if there is one.
    fn read_manifest(&self) -> Result<Option<Vec<u8>>, Error>;
    fn write_manifest(&self, bytes: &[u8]) -> Result<(), Error>;
    /// Puts one file; returns its new stamp.
    fn put(&self, file: &LocalFile, from: &Path) -> Result<Option<String>, Error>;
    fn delete(&self, key: &str) -> Result<(), Error>;
}

/// One file to upload, and why.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file: LocalFile,
    /// The target has no such file yet.
    pub new: bool,
}

/// What a publish will do.
#[derive(Debug)]
pub struct Plan {
    /// Where to, as shown to the user.
    pub target: String,
    /// In order: other files, then pages, then feeds and sitemaps.
    pub uploads: Vec<Upload>,
    /// Files zhanting published before that the site no longer has.
    pub deletes: Vec<String>,
    /// Files already in place.
    pub unchanged: usize,
    /// Files under the prefix that zhanting did not publish: left alone.
    pub kept: usize,
    /// The bytes to upload.
    pub bytes: u64,
    /// The deletion guard in force.
    pub max_deletes: usize,
    output: PathBuf,
    manifest: Manifest,
    /// The manifest learnt something without any file changing.
    manifest_changed: bool,
    files: Vec<LocalFile>,
}

impl Plan {
    /// Whether the plan changes nothing.
    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty()
    }

    /// The guard's refusal, when the plan deletes more than it allows.
    pub fn refusal(&self) -> Option<Error> {
        let n = self.deletes.len();
        if n <= self.max_deletes {
            return None;
        }
        let first: Vec<&str> = self.deletes.iter().take(10).map(String::as_str).collect();
        let more = if n > first.len() { "\n  …" } else { "" };
        let list = format!("\n  {}{more}", first.join("\n  "));
        let max = self.max_deletes;
        Some(
            Error::new(
                ErrorKind::TooManyDeletes,
                format!("{n} files would be deleted, more than the {max} allowed; nothing was uploaded or deleted. The first:{list}"),
                format!("将删除 {n} 个文件，超过允许的 {max} 个；没有上传或删除任何文件。前几个是：{list}"),
            )
            .hint(
                format!("check that this is the right site and `prefix`; if these files should go, run again with --max-deletes {n}"),
                format!("请确认站点和 `prefix` 无误；如果确实要删除这些文件，请加上 --max-deletes {n} 再运行"),
            ),
        )
    }
}

/// What a publish did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub uploaded: usize,
    pub bytes: u64,
    pub deleted: usize,
    pub unchanged: usize,
    pub kept: usize,
    pub elapsed: Duration,
}

/// An open target: the store and what it needs.
pub struct Publisher {
    store: Box<dyn Store>,
}

/// A file name for the manifest, at the root of the prefix or folder.
pub const MANIFEST: &str = ".zhanting-publish.json";

impl Publisher {
    /// The target `settings` name, for the site (or portal) at `site_dir`, whose
    /// settings file is `file`. Credentials come from the environment or the file the
    /// settings name (see [`Credentials::find`]).
    pub fn open(settings: &Publish, site_dir: &Path, file: &str) -> Result<Publisher, Error> {
        let store: Box<dyn Store> = match settings.kind {
            Kind::S3 => {
                let credentials = Credentials::find(settings, site_dir, file)?;
                Box::new(s3::Bucket::new(settings, credentials)?)
            }
            Kind::Folder => Box::new(folder::Folder::new(settings, site_dir, file)?),
        };
        Ok(Publisher { store })
    }

    /// Where to, as shown to the user.
    pub fn target(&self) -> String {
        self.store.describe()
    }

    /// Compares the output folder `output` with the target: what to upload, what to
    /// delete. Reads every output file once (its MD5) and lists the target.
    pub fn plan(&self, output: &Path, settings: &Publish, opts: &Options) -> Result<Plan, Error> {
        let files = local::files(output)?;
        let remote = self.store.list()?;
        let manifest = match self.store.read_manifest()? {
            Some(bytes) => Manifest::parse(&bytes),
            None => Manifest::default(),
        };
        let mut uploads = Vec::new();
        let mut unchanged = 0;
        // Files a stopped run put whose ETag shows they arrived whole.
        let mut promoted = Vec::new();
        for f in &files {
            let there = remote.get(&f.path);
            let entry = manifest
                .files
                .get(&f.path)
                .or_else(|| manifest.pending.get(&f.path));
            let pending = !manifest.files.contains_key(&f.path);
            if !opts.force && in_place(f, there, entry, pending) {
                unchanged += 1;
                if pending {
                    promoted.push((f, there.and_then(|r| r.stamp.clone())));
                }
            } else {
                uploads.push(Upload {
                    file: f.clone(),
                    new: there.is_none(),
                });
            }
        }
        uploads.sort_by(|a, b| {
            (local::phase(&a.file.path), &a.file.path)
                .cmp(&(local::phase(&b.file.path), &b.file.path))
        });
        let here: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let ours: BTreeSet<&String> = manifest
            .files
            .keys()
            .chain(manifest.pending.keys())
            .collect();
        let deletes: Vec<String> = ours
            .iter()
            .filter(|k| !here.contains(k.as_str()) && remote.contains_key(k.as_str()))
            .map(|k| k.to_string())
            .collect();
        let kept = remote
            .keys()
            .filter(|k| !here.contains(k.as_str()) && !ours.contains(k))
            .count();
        let bytes = uploads.iter().map(|u| u.file.size).sum();
        let mut manifest = manifest;
        let manifest_changed = !promoted.is_empty();
        for (f, stamp) in promoted {
            manifest.pending.remove(&f.path);
            manifest.files.insert(f.path.clone(), Entry::of(f, stamp));
        }
        Ok(Plan {
            target: self.store.describe(),
            uploads,
            deletes,
            unchanged,
            kept,
            bytes,
            max_deletes: opts.max_deletes.unwrap_or(settings.max_deletes),
            output: output.to_path_buf(),
            manifest,
            manifest_changed,
            files,
        })
    }

    /// Carries out `plan`: uploads in its order, several at a time with retries, then
    /// deletes. On an error it stops and deletes nothing; running the same publish again
    /// finishes the work.
    pub fn execute(
        &self,
        plan: &Plan,
        opts: &Options,
        progress: &dyn Progress,
    ) -> Result<Report, Error> {
        let start = Instant::now();
        if let Some(refusal) = plan.refusal() {
            return Err(refusal);
        }
        progress.started(plan);
        let mut report = Report {
            unchanged: plan.unchanged,
            kept: plan.kept,
            ..Report::default()
        };
        if plan.is_empty() {
            if plan.manifest_changed {
                self.store.write_manifest(&plan.manifest.to_bytes())?;
            }
            report.elapsed = start.elapsed();
            return Ok(report);
        }
        // Before anything changes, the manifest names every file this run may put, so
        // that a run stopped midway leaves nothing the next run would not know of.
        let mut manifest = plan.manifest.clone();
        for u in &plan.uploads {
            manifest.files.remove(&u.file.path);
            manifest
                .pending
                .insert(u.file.path.clone(), Entry::of(&u.file, None));
        }
        if !plan.uploads.is_empty() {
            self.store.write_manifest(&manifest.to_bytes())?;
        }
        let (done, failed) = self.upload_all(plan, opts, progress);
        report.uploaded = done.len();
        report.bytes = plan
            .uploads
            .iter()
            .filter(|u| done.contains_key(&u.file.path))
            .map(|u| u.file.size)
            .sum();
        let by_path: BTreeMap<&str, &LocalFile> =
            plan.files.iter().map(|f| (f.path.as_str(), f)).collect();
        for (path, stamp) in &done {
            if let Some(f) = by_path.get(path.as_str()) {
                manifest.pending.remove(path);
                manifest
                    .files
                    .insert(path.clone(), Entry::of(f, stamp.clone()));
            }
        }
        if let Some(e) = failed {
            // Keep what finished, if the store still answers; the error is what counts.
            let _ = self.store.write_manifest(&manifest.to_bytes());
            return Err(e);
        }
        let (deleted, failed) = self.delete_all(plan, opts, progress);
        report.deleted = deleted.len();
        for key in &deleted {
            manifest.files.remove(key);
            manifest.pending.remove(key);
        }
        // What the site no longer has stays named only while it is still there to
        // delete (a deletion that failed); the rest is gone from the store already.
        let planned: BTreeSet<&String> = plan.deletes.iter().collect();
        let here: BTreeSet<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
        manifest
            .files
            .retain(|k, _| here.contains(k.as_str()) || planned.contains(k));
        manifest.pending.retain(|k, _| planned.contains(k));
        let written = self.store.write_manifest(&manifest.to_bytes());
        if let Some(e) = failed {
            return Err(e);
        }
        written?;
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// The plan's uploads, phase by phase (each phase's files several at a time, with
    /// retries), until one fails: what arrived, by path with the store's stamp, and the
    /// error that stopped them.
    fn upload_all(
        &self,
        plan: &Plan,
        opts: &Options,
        progress: &dyn Progress,
    ) -> (BTreeMap<String, Option<String>>, Option<Error>) {
        let done: Mutex<BTreeMap<String, Option<String>>> = Mutex::default();
        let mut failed = None;
        for phase in phases(&plan.uploads) {
            let result = run_all(phase, opts.jobs, |u| {
                let stamp = retried(&u.file.path, progress, || {
                    self.store.put(&u.file, &plan.output.join(&u.file.path))
                })?;
                progress.uploaded(&u.file.path, u.file.size);
                done.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(u.file.path.clone(), stamp);
                Ok(())
            });
            if let Err(e) = result {
                failed = Some(e);
                break;
            }
        }
        let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        (done, failed)
    }

    /// The plan's deletions, several at a time with retries: the keys deleted, and the
    /// first error.
    fn delete_all(
        &self,
        plan: &Plan,
        opts: &Options,
        progress: &dyn Progress,
    ) -> (Vec<String>, Option<Error>) {
        let deleted: Mutex<Vec<String>> = Mutex::default();
        let result = run_all(&plan.deletes, opts.jobs, |key| {
            retried(key, progress, || self.store.delete(key))?;
            progress.deleted(key);
            deleted
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(key.clone());
            Ok(())
        });
        let deleted = deleted.into_inner().unwrap_or_else(|e| e.into_inner());
        (deleted, result.err())
    }
}

/// The uploads, in their order, cut into phases (`local::phase`): one phase finishes
/// before the next starts.
fn phases(uploads: &[Upload]) -> Vec<&[Upload]> {
    let mut phases: Vec<&[Upload]> = Vec::new();
    let mut rest = uploads;
    while let Some(first) = rest.first() {
        let phase = local::phase(&first.file.path);
        let n = rest
            .iter()
            .take_while(|u| local::phase(&u.file.path) == phase)
            .count();
        phases.push(&rest[..n]);
        rest = &rest[n..];
    }
    phases
}

/// Whether file `f` is in the store as it is here: listed there (`there`) as the
/// manifest's `entry` describes it, which is `pending` when a run put it and stopped
/// before it knew the upload finished.
fn in_place(f: &LocalFile, there: Option<&Remote>, entry: Option<&Entry>, pending: bool) -> bool {
    match (there, entry) {
        (Some(r), Some(e)) if e.describes(f) && r.size == f.size => match (&r.stamp, &e.stamp) {
            // Checked against the listing: changed by hand, or (pending) never finished.
            (Some(listed), Some(known)) if !pending => listed == known,
            // A pending upload finished if the store's MD5 ETag says so.
            (Some(listed), _) if pending => etag_is_md5(listed, &f.md5),
            (_, _) => !pending,
        },
        _ => false,
    }
}

/// Whether an ETag is the MD5 of the content (a plain upload to OSS, COS, OBS, MinIO).
fn etag_is_md5(etag: &str, md5: &[u8; 16]) -> bool {
    etag.trim_matches('"')
        .eq_ignore_ascii_case(&local::hex(md5))
}

/// Runs `work` on every item, `jobs` at a time; stops taking new items after the first
/// error, which it returns.
fn run_all<T: Sync>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let first: Mutex<Option<Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, 32).min(items.len().max(1)) {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if let Err(e) = work(item) {
                        stop.store(true, Ordering::Relaxed);
                        first
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .get_or_insert(e);
                    }
                }
            });
        }
    });
    match first.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Tries `op` up to five times while it fails in a way that may pass (the network, a
/// busy server), waiting 0.25, 0.5, 1 and 2 s between tries.
fn retried<T>(
    path: &str,
    progress: &dyn Progress,
    mut op: impl FnMut() -> Result<T, Error>,
) -> Result<T, Error> {
    let mut attempt = 0;
    loop {
        match op() {
            Ok(v) => return Ok(v),
            Err(e) if e.transient && attempt < 4 => {
                let wait = Duration::from_millis(250 << attempt);
                attempt += 1;
                progress.retrying(path, attempt, wait, &e.diagnostic.message);
                std::thread::sleep(wait);
            }
            Err(e) => return Err(e),
        }
    }
}
