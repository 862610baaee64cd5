//! The one funnel for writing the output folder.
//!
//! A file is written only when its bytes changed (through a temporary file and a rename,
//! so a reader never sees half a file); files that earlier builds wrote and this one did
//! not are removed. The output folder carries a marker listing what zhanting wrote:
//! zhanting refuses to write into a non-empty folder without it, and never deletes a file
//! it did not write. Writing starts only once everything rendered without error, so a
//! failed build leaves the previous output as it was.

use crate::artifact::{Content, OutputFile};
use crate::error::{Diagnostic, Diagnostics};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Name of the marker file in the output folder; it lists the files zhanting wrote.
pub const MARKER: &str = ".zhanting-output";
const MARKER_HEADER: &str =
    "# written by zhanting; the files below are removed when a build no longer makes them\n";

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// The paths written and removed, for an upload of only what changed
    /// (`zhanting build --changed-list`).
    pub changed: Vec<String>,
}

/// Checks that `out` may be written: not the site folder, not above it, not inside a
/// source folder, and either new, empty or made by zhanting.
pub fn check_target(site: &Path, out: &Path) -> Result<(), Diagnostic> {
    let site = absolute(site);
    let out = absolute(out);
    let shown = out.display().to_string();
    if site.starts_with(&out) {
        return Err(Diagnostic::error(
            format!("the output folder {shown} is the site folder or contains it"),
            format!("输出目录 {shown} 是站点目录本身或包含站点目录"),
        )
        .hint(
            "choose another folder with -o, e.g. -o public",
            "请用 -o 选择其他目录，例如 -o public",
        ));
    }
    if let Ok(rel) = out.strip_prefix(&site) {
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if crate::paths::SOURCE_FOLDERS.contains(&first.as_str()) {
            return Err(Diagnostic::error(
                format!("the output folder {shown} is inside the source folder {first}/"),
                format!("输出目录 {shown} 位于源文件目录 {first}/ 之内"),
            )
            .hint(
                "use the default (public/) or a folder outside the sources",
                "请使用默认的 public/ 或源文件之外的目录",
            ));
        }
    }
    match fs::read_dir(&out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_diag(&out, &e)),
        Ok(mut entries) => {
            if entries.next().is_none() || out.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(Diagnostic::error(
                    format!("the output folder {shown} is not empty and was not made by zhanting"),
                    format!("输出目录 {shown} 不是空目录，也不是 zhanting 生成的"),
                )
                .hint(
                    "zhanting only writes into new, empty or its own folders: choose another with -o, or empty this one",
                    "zhanting 只会写入新目录、空目录或它自己生成的目录：请用 -o 另选目录，或先清空该目录",
                ))
            }
        }
    }
}

/// Name of the folder, inside the output, where changed files wait until every output
/// was made without error.
const STAGING: &str = ".zhanting-staging";

/// Writes `files` into `out` and removes what earlier builds wrote that is gone now.
///
/// Files are made (pages rendered) while writing, in parallel, so they never all sit in
/// memory. Into a folder that did not exist they go straight to their place, and on an
/// error the folder is removed again; into an existing output, changed files wait in a
/// staging folder and are moved into place only when every file was made, so a failed
/// build leaves the previous output as it was.
pub fn write(
    site: &Path,
    out: &Path,
    files: &[OutputFile],
    diags: &mut Diagnostics,
) -> Option<WriteReport> {
    let report = write_all(site, out, files);
    report.map_err(|e| diags.extend(e)).ok()
}

fn write_all(
    site: &Path,
    out: &Path,
    files: &[OutputFile],
) -> Result<WriteReport, Vec<Diagnostic>> {
    check_target(site, out).map_err(|d| vec![d])?;
    let fresh = !out.exists();
    fs::create_dir_all(out).map_err(|e| vec![io_diag(out, &e)])?;
    let staging = out.join(STAGING);
    let _ = fs::remove_dir_all(&staging);
    let previous = read_marker(out);
    let folders = fresh.then(|| Folders::new(out));
    let start = std::time::Instant::now();
    let results: Vec<Result<Written, Failure>> = files
        .par_iter()
        .map(|f| write_one(out, &staging, f, folders.as_ref()))
        .collect();
    crate::timing::timing("make and write", start);
    let mut report = WriteReport::default();
    let mut staged = Vec::new();
    let mut errors = Vec::new();
    for (f, r) in files.iter().zip(results) {
        match r {
            Ok(Written::Unchanged) => report.unchanged += 1,
            Ok(Written::Done) => {
                report.written += 1;
                report.changed.push(f.path.clone());
            }
            Ok(Written::Staged) => staged.push(f.path.as_str()),
            Err(Failure::Made(d)) => errors.push(d),
            Err(Failure::Io(e)) => errors.push(io_diag(&out.join(&f.path), &e)),
        }
    }
    if !errors.is_empty() {
        if fresh {
            let _ = fs::remove_dir_all(out);
        } else {
            let _ = fs::remove_dir_all(&staging);
        }
        crate::error::dedup(&mut errors);
        return Err(errors);
    }
    for path in &staged {
        let target = out.join(path);
        let moved = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|_| fs::rename(staging.join(path), &target));
        moved.map_err(|e| vec![io_diag(&target, &e)])?;
        report.written += 1;
        report.changed.push(path.to_string());
    }
    let _ = fs::remove_dir_all(&staging);
    let current: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for stale in previous.iter().filter(|p| !current.contains(p.as_str())) {
        if !is_safe_relative(stale) {
            continue;
        }
        let path = out.join(stale);
        if fs::remove_file(&path).is_ok() {
            report.removed += 1;
            report.changed.push(stale.clone());
            remove_empty_parents(out, &path);
        }
    }
    let mut marker = String::from(MARKER_HEADER);
    for p in &current {
        marker.push_str(p);
        marker.push('\n');
    }
    let marker_file = OutputFile::generated(MARKER, Content::Bytes(marker.into_bytes()));
    match write_one(out, out, &marker_file, None) {
        Ok(_) => Ok(report),
        Err(Failure::Io(e)) => Err(vec![io_diag(&out.join(MARKER), &e)]),
        Err(Failure::Made(d)) => Err(vec![d]),
    }
}

/// Writes `files` into `out` (each only if its bytes changed, through a temporary file)
/// and adds them to the marker; removes nothing. For `zhanting boards`, which makes a
/// part of the output.
pub fn write_some(
    site: &Path,
    out: &Path,
    files: &[OutputFile],
    diags: &mut Diagnostics,
) -> Option<WriteReport> {
    write_some_of(site, out, files)
        .map_err(|e| diags.extend(e))
        .ok()
}

fn write_some_of(
    site: &Path,
    out: &Path,
    files: &[OutputFile],
) -> Result<WriteReport, Vec<Diagnostic>> {
    check_target(site, out).map_err(|d| vec![d])?;
    let mut listed: BTreeSet<String> = read_marker(out).into_iter().collect();
    let report = write_each(out, files)?;
    listed.extend(files.iter().map(|f| f.path.clone()));
    let mut marker = String::from(MARKER_HEADER);
    for p in &listed {
        marker.push_str(p);
        marker.push('\n');
    }
    write_atomic(&out.join(MARKER), marker.as_bytes())
        .map_err(|e| vec![io_diag(&out.join(MARKER), &e)])?;
    Ok(report)
}

/// Writes `files` into `out` (each only if its bytes changed, through a temporary file):
/// nothing else of the folder is read, listed or removed, and no marker is left. For
/// `zhanting deck` and `zhanting booklet`, which make named files where they are asked
/// to (the current folder by default), not a part of the site's output.
pub fn write_files(
    out: &Path,
    files: &[OutputFile],
    diags: &mut Diagnostics,
) -> Option<WriteReport> {
    write_each(out, files).map_err(|e| diags.extend(e)).ok()
}

fn write_each(out: &Path, files: &[OutputFile]) -> Result<WriteReport, Vec<Diagnostic>> {
    let mut report = WriteReport::default();
    for f in files {
        let path = out.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| vec![io_diag(parent, &e)])?;
        }
        match write_one(out, out, f, None) {
            Ok(Written::Unchanged) => report.unchanged += 1,
            Ok(_) => {
                report.written += 1;
                report.changed.push(f.path.clone());
            }
            Err(Failure::Io(e)) => return Err(vec![io_diag(&path, &e)]),
            Err(Failure::Made(d)) => return Err(vec![d]),
        }
    }
    Ok(report)
}

/// The folders of a new output folder, each made once, by the first file that goes into
/// it, while the other files are being made: a cold 10,000-page build makes 11,554 folders,
/// which took 0.4–0.8 s on one core while the other waited when they were made first,
/// one after the other. Made side by side with nothing else to do, the folders of one
/// parent wait on its lock in the kernel (a cold 10,000-page build on disk took 4.0 s
/// instead of 3.45 s); spread over the making of the pages, they seldom meet.
struct Folders<'a> {
    out: &'a Path,
    made: Mutex<HashSet<String>>,
}

impl<'a> Folders<'a> {
    fn new(out: &'a Path) -> Folders<'a> {
        Folders {
            out,
            made: Mutex::new(HashSet::new()),
        }
    }

    fn is_made(&self, dir: &str) -> bool {
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(dir)
    }

    /// Makes the folder `dir` (relative, `/`-separated) and those above it, unless made;
    /// an error names the folder.
    fn make(&self, dir: &str) -> Result<(), Failure> {
        if self.is_made(dir) {
            return Ok(());
        }
        if let Some((parent, _)) = dir.rsplit_once('/') {
            self.make(parent)?;
        }
        let path = self.out.join(dir);
        match fs::create_dir(&path) {
            // Another thread made it between the look and the making.
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                return Err(Failure::Made(io_diag(&path, &e)))
            }
            _ => {}
        }
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_owned());
        Ok(())
    }
}

/// What became of one file.
enum Written {
    Unchanged,
    /// Written in place (into a new output folder).
    Done,
    /// Written to the staging folder, to be moved into place.
    Staged,
}

enum Failure {
    /// The file could not be made (a template error).
    Made(Diagnostic),
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

/// Writes one file, making it first when it is deferred. `folders` is for a new output
/// folder: the file goes straight to its place, its folder made on the way.
fn write_one(
    out: &Path,
    staging: &Path,
    f: &OutputFile,
    folders: Option<&Folders>,
) -> Result<Written, Failure> {
    let path = out.join(&f.path);
    let fresh = folders.is_some();
    let made;
    let content = match &f.content {
        Content::Deferred(make) => {
            made = make().map_err(Failure::Made)?;
            &made
        }
        other => other,
    };
    let owned;
    let bytes: &[u8] = match content {
        Content::Bytes(b) => b,
        Content::Shared(b) => b,
        Content::Static(b) => b,
        Content::Copy(src) => {
            owned = fs::read(src)?;
            &owned
        }
        Content::CopyNamedByHash(src) => {
            if let (Ok(s), Ok(d)) = (fs::metadata(src), fs::metadata(&path)) {
                if !fresh && d.is_file() && s.len() == d.len() {
                    return Ok(Written::Unchanged);
                }
            }
            owned = fs::read(src)?;
            &owned
        }
        Content::Deferred(_) => {
            return Err(Failure::Made(Diagnostic::error(
                "a deferred output made another",
                "延迟生成的输出又生成了延迟输出",
            )))
        }
    };
    if let Some(folders) = folders {
        if let Some((dir, _)) = f.path.rsplit_once('/') {
            folders.make(dir)?;
        }
        fs::write(&path, bytes)?;
        return Ok(Written::Done);
    }
    if let Ok(meta) = fs::metadata(&path) {
        if meta.is_file() && meta.len() == bytes.len() as u64 && fs::read(&path)? == bytes {
            return Ok(Written::Unchanged);
        }
    }
    if staging == out {
        write_atomic(&path, bytes)?;
        return Ok(Written::Done);
    }
    let staged = staging.join(&f.path);
    if let Some(parent) = staged.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&staged, bytes)?;
    Ok(Written::Staged)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.zhanting-tmp"));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// The files zhanting wrote into the output folder `out`, as its marker lists them
/// (relative, `/`-separated, no `..`); `None` when there is no marker. What
/// `zhanting publish` uploads.
pub fn written_files(out: &Path) -> Option<Vec<String>> {
    if !out.join(MARKER).is_file() {
        return None;
    }
    Some(
        read_marker(out)
            .into_iter()
            .filter(|p| is_safe_relative(p))
            .collect(),
    )
}

fn read_marker(out: &Path) -> Vec<String> {
    fs::read_to_string(out.join(MARKER))
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A marker line we are willing to delete: relative, no `..`.
fn is_safe_relative(p: &str) -> bool {
    Path::new(p)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(p) {
        return c;
    }
    // A folder that does not exist yet: canonicalize what exists above it.
    let base = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = base.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return base,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
}

fn io_diag(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        format!("cannot write {}: {e}", path.display()),
        format!("无法写入 {}：{e}", path.display()),
    )
    .hint(
        "check the disk space and the folder's permissions",
        "请检查磁盘空间和目录权限",
    )
}
