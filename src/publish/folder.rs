//! `kind: folder`: publishing into a folder (a USB stick, a mounted share). Each file
//! is copied through a temporary file and a rename, so a reader never sees half of it;
//! its modification time is the stamp the manifest checks it by.

use super::{Error, ErrorKind, LocalFile, Remote, Store, MANIFEST};
use crate::config::publish::Publish;
use crate::paths::rel_string;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

pub(crate) struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder of `settings.path` (relative to the site folder `site_dir`): not the
    /// site folder nor inside it, and its parent must exist (a stick not plugged in is
    /// an error, not a new folder on the computer).
    pub fn new(settings: &Publish, site_dir: &Path, file: &str) -> Result<Folder, Error> {
        let given = settings.path.as_deref().unwrap_or("").trim();
        let root = site_dir.join(given);
        let shown = root.display().to_string();
        let abs = absolute(&root);
        let site = absolute(site_dir);
        if abs.starts_with(&site) || site.starts_with(&abs) {
            return Err(Error::new(
                ErrorKind::Settings,
                format!("the publish folder {shown} is the site folder, inside it or around it"),
                format!("发布文件夹 {shown} 是站点文件夹本身、在其中或包含它"),
            )
            .hint(
                format!("choose a folder outside the site folder in `publish: {{ path: … }}` of {file}, e.g. /media/usb/dangjian"),
                format!("请在 {file} 的 `publish: {{ path: … }}` 中选择站点文件夹之外的位置，例如 /media/usb/dangjian"),
            ));
        }
        let parent_ok = abs.parent().is_none_or(Path::is_dir);
        if !abs.is_dir() && !parent_ok {
            return Err(Error::new(
                ErrorKind::Settings,
                format!("the publish folder {shown} cannot be reached: its parent folder does not exist"),
                format!("无法访问发布文件夹 {shown}：它的上级文件夹不存在"),
            )
            .hint(
                "plug in the USB stick or mount the share, then publish again",
                "请插好 U 盘或连接共享文件夹后再发布",
            ));
        }
        Ok(Folder { root: abs })
    }

    fn io(&self, what: &Path, e: &std::io::Error) -> Error {
        let shown = what.display();
        Error::new(
            ErrorKind::Io,
            format!("cannot write {shown}: {e}"),
            format!("无法写入 {shown}：{e}"),
        )
        .hint(
            "check that the folder is writable and the disk is not full",
            "请检查文件夹是否可写、磁盘是否已满",
        )
    }
}

/// `path` made absolute and without `.`/`..`, without touching the disk beyond what
/// exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let base = std::env::current_dir().unwrap_or_default().join(path);
    let mut out = PathBuf::new();
    for c in base.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    // The part that exists, resolved (links), with the rest after it.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        existing.pop();
    }
    let mut p = std::fs::canonicalize(&existing).unwrap_or(existing);
    for n in rest.iter().rev() {
        p.push(n);
    }
    p
}

fn stamp(meta: &std::fs::Metadata) -> Option<String> {
    let t = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{}.{:09}", t.as_secs(), t.subsec_nanos()))
}

impl Store for Folder {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn list(&self) -> Result<BTreeMap<String, Remote>, Error> {
        let mut out = BTreeMap::new();
        if !self.root.is_dir() {
            return Ok(out);
        }
        for e in walkdir::WalkDir::new(&self.root).into_iter().flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&self.root) else {
                continue;
            };
            let rel = rel_string(rel);
            if rel == MANIFEST {
                continue;
            }
            if let Ok(meta) = e.metadata() {
                out.insert(
                    rel,
                    Remote {
                        size: meta.len(),
                        stamp: stamp(&meta),
                    },
                );
            }
        }
        Ok(out)
    }

    fn read_manifest(&self) -> Result<Option<Vec<u8>>, Error> {
        match std::fs::read(self.root.join(MANIFEST)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(&self.root.join(MANIFEST), &e)),
        }
    }

    fn write_manifest(&self, bytes: &[u8]) -> Result<(), Error> {
        let to = self.root.join(MANIFEST);
        write_atomically(&to, |tmp| std::fs::write(tmp, bytes)).map_err(|e| self.io(&to, &e))
    }

    fn put(&self, file: &LocalFile, from: &Path) -> Result<Option<String>, Error> {
        let to = self.root.join(&file.path);
        write_atomically(&to, |tmp| std::fs::copy(from, tmp).map(|_| ()))
            .map_err(|e| self.io(&to, &e))?;
        let meta = std::fs::metadata(&to).map_err(|e| self.io(&to, &e))?;
        Ok(stamp(&meta))
    }

    fn delete(&self, key: &str) -> Result<(), Error> {
        let path = self.root.join(key);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.io(&path, &e)),
        }
        // Folders left empty go too, up to the root.
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}

/// Writes `to` through a temporary file beside it, renamed into place.
fn write_atomically(
    to: &Path,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = to.with_file_name(format!(".{name}.zhanting-tmp"));
    write(&tmp)
        .and_then(|()| std::fs::rename(&tmp, to))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}
