//! Everything zhanting keeps to avoid doing work again, and the fingerprints that say
//! when a kept result is still good:
//!
//! - [`Memo`]: values kept in memory between rebuilds (`zhanting serve`), each under a
//!   name with the fingerprint of what it was made from; a lookup with another
//!   fingerprint misses, so a reuse is never stale.
//! - [`DiskCache`]: a folder of `.zhanting-cache/` (processed images, laid-out boards)
//!   whose files are written whole or not at all and pruned when no build uses them.
//! - [`SourceHashes`]: the content hash of each source image and its picture's headers,
//!   remembered by path, size and modification time, so unchanged photos are not even
//!   read.
//!
//! Stages never lock a cache themselves: they call these methods.

use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::SystemTime;

/// A fast hash of anything hashable, stable within a process (not across Rust
/// versions: never written to disk).
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// A file's size and modification time: what tells an unchanged file without reading it.
pub type Stamp = (u64, Option<SystemTime>);

/// A modification time as nanoseconds since 1970, as records on disk write it.
pub fn nanos(time: Option<SystemTime>) -> Option<u128> {
    Some(time?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos())
}

/// The stamp of `path`, `None` when it cannot be read.
pub fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

/// Values by name, each with the fingerprint of what it was made from. Lookups from
/// many threads at once share the lock.
pub struct Memo<V> {
    entries: RwLock<FxHashMap<String, (u64, V)>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            entries: RwLock::new(FxHashMap::default()),
        }
    }
}

impl<V: Clone> Memo<V> {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, FxHashMap<String, (u64, V)>> {
        // A panic elsewhere leaves the map whole: every entry is inserted at once.
        self.entries.read().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::RwLockWriteGuard<'_, FxHashMap<String, (u64, V)>> {
        self.entries.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The value kept under `name` when it was made from `key`.
    pub fn get(&self, name: &str, key: u64) -> Option<V> {
        self.read()
            .get(name)
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// Keeps `value`, made from `key`, under `name` (replacing an older one).
    pub fn insert(&self, name: &str, key: u64, value: V) {
        let mut entries = self.lock();
        match entries.get_mut(name) {
            Some(entry) => *entry = (key, value),
            None => {
                entries.insert(name.to_string(), (key, value));
            }
        }
    }

    /// The value kept under `name` for `key`, else `make()`'s, which is then kept.
    pub fn get_or_insert_with(&self, name: &str, key: u64, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.get(name, key) {
            return v;
        }
        let v = make();
        self.insert(name, key, v.clone());
        v
    }

    /// Like [`Memo::get_or_insert_with`], with a check that a hit is still good.
    pub fn get_valid_or_insert_with(
        &self,
        name: &str,
        key: u64,
        valid: impl FnOnce(&V) -> bool,
        make: impl FnOnce() -> V,
    ) -> V {
        match self.get(name, key) {
            Some(v) if valid(&v) => v,
            _ => {
                let v = make();
                self.insert(name, key, v.clone());
                v
            }
        }
    }

    /// Takes every entry out (for one pass over them all: no lookup takes the lock),
    /// leaving the memo empty until [`Memo::restore`].
    pub fn take(&self) -> FxHashMap<String, (u64, V)> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts entries back after [`Memo::take`]: these, and no others.
    pub fn restore(&self, entries: FxHashMap<String, (u64, V)>) {
        *self.lock() = entries;
    }

    /// Forgets every entry whose name `keep` refuses.
    pub fn retain(&self, keep: impl Fn(&str) -> bool) {
        self.lock().retain(|name, _| keep(name));
    }

    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }
}

/// A folder of `.zhanting-cache/`.
#[derive(Debug, Clone)]
pub struct DiskCache {
    pub dir: PathBuf,
}

impl DiskCache {
    /// `SITE/.zhanting-cache/NAME/`.
    pub fn new(site_root: &Path, name: &str) -> DiskCache {
        DiskCache {
            dir: site_root.join(crate::paths::CACHE_FOLDER).join(name),
        }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub fn read(&self, file: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(file)).ok()
    }

    pub fn has(&self, file: &str) -> bool {
        self.path(file).is_file()
    }

    /// Writes through a temporary name, so a file is whole or absent.
    pub fn write(&self, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(file);
        let tmp = self.dir.join(format!(".{file}.tmp{}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Removes the files that `ours` recognizes and `keep` does not name. Returns how
    /// many were removed.
    pub fn prune(&self, ours: impl Fn(&str) -> bool, keep: &HashSet<String>) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if ours(&name) && !keep.contains(&name) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// What a picture's headers say: its width and height, upright, and whether it has
/// transparency.
pub type Header = (u32, u32, bool);

/// A source's stamp, content hash and, once read, its picture's headers.
type SourceHash = (Stamp, String, Option<Header>);

/// Content hashes of source files, by path, size and modification time, and the headers
/// of the pictures they hold. Saved in the images cache folder between builds
/// (`sources.tsv`), so a build that changed no photo reads none: reading a camera JPEG's
/// headers reads the whole file (the decoder takes it in at once), 136 MB for 50 photos.
#[derive(Default)]
pub struct SourceHashes {
    entries: Mutex<HashMap<PathBuf, SourceHash>>,
}

const SOURCE_HASHES: &str = "sources.tsv";

/// The first line of `sources.tsv`: the headers it holds are read as this version of
/// zhanting reads them. Bump it when that changes (the probe in `load::media`, the image
/// crate's reading of sizes or orientation), so no header read the old way is kept.
const HEADERS_VERSION: &str = "# headers 1";

impl SourceHashes {
    /// The hashes saved by an earlier build in `cache` (empty if none).
    pub fn load(cache: &DiskCache) -> SourceHashes {
        let mut entries = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(cache.path(SOURCE_HASHES)) {
            let headers = text.lines().next() == Some(HEADERS_VERSION);
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                let f: Vec<&str> = line.split('\t').collect();
                let (fields, header) = match f[..] {
                    [path, len, nanos, hash] => ([path, len, nanos, hash], None),
                    [path, len, nanos, hash, w, h, alpha] => (
                        [path, len, nanos, hash],
                        w.parse()
                            .ok()
                            .zip(h.parse().ok())
                            .map(|(w, h)| (w, h, alpha == "1")),
                    ),
                    _ => continue,
                };
                let [path, len, nanos, hash] = fields;
                let header = header.filter(|_| headers);
                let mtime = nanos
                    .parse::<u64>()
                    .ok()
                    .map(|n| std::time::UNIX_EPOCH + std::time::Duration::from_nanos(n));
                if let Ok(len) = len.parse() {
                    entries.insert(
                        PathBuf::from(path),
                        ((len, mtime), hash.to_string(), header),
                    );
                }
            }
        }
        SourceHashes {
            entries: Mutex::new(entries),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, SourceHash>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Saves the hashes for the next build (best effort: a missing file only costs time).
    pub fn save(&self, cache: &DiskCache) {
        let mut text = format!("{HEADERS_VERSION}\n");
        for (path, ((len, mtime), hash, header)) in self.lock().iter() {
            let nanos = nanos(*mtime).unwrap_or(0);
            text.push_str(&format!("{}\t{len}\t{nanos}\t{hash}", path.display()));
            if let Some((w, h, alpha)) = header {
                text.push_str(&format!("\t{w}\t{h}\t{}", u8::from(*alpha)));
            }
            text.push('\n');
        }
        let _ = cache.write(SOURCE_HASHES, text.as_bytes());
    }

    /// The headers of the picture in `path`, read when its content hash was `hash`; `read`
    /// reads them when they are not known (an error is not remembered).
    pub fn header<E>(
        &self,
        path: &Path,
        hash: &str,
        read: impl FnOnce() -> Result<Header, E>,
    ) -> Result<Header, E> {
        if let Some((_, h, Some(header))) = self.lock().get(path) {
            if h == hash {
                return Ok(*header);
            }
        }
        let header = read()?;
        if let Some((_, h, known)) = self.lock().get_mut(path) {
            if h == hash {
                *known = Some(header);
            }
        }
        Ok(header)
    }

    /// The content hash of `path` (16 hex digits of BLAKE3), read again only when its
    /// size or modification time changed.
    pub fn hash(&self, path: &Path) -> std::io::Result<String> {
        let meta = std::fs::metadata(path)?;
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((s, h, _)) = self.lock().get(path) {
            if *s == stamp {
                return Ok(h.clone());
            }
        }
        let bytes = std::fs::read(path)?;
        let h = blake3::hash(&bytes).to_hex()[..16].to_string();
        let mut entries = self.lock();
        // The same content under a new time (a copy, a `touch`): its headers stay.
        let header = entries
            .get(path)
            .and_then(|(_, old, header)| header.filter(|_| *old == h));
        entries.insert(path.to_path_buf(), (stamp, h.clone(), header));
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_hit_needs_the_same_key() {
        let m: Memo<u32> = Memo::default();
        assert_eq!(m.get_or_insert_with("a", 1, || 10), 10);
        assert_eq!(m.get_or_insert_with("a", 1, || 11), 10);
        assert_eq!(m.get("a", 2), None);
        assert_eq!(m.get_or_insert_with("a", 2, || 12), 12);
        assert_eq!(m.get_valid_or_insert_with("a", 2, |_| false, || 13), 13);
        m.retain(|n| n != "a");
        assert!(m.is_empty());
    }

    #[test]
    fn disk_cache_prunes_only_its_own_unused_files() {
        let tmp = tempfile::tempdir().unwrap();
        let c = DiskCache::new(tmp.path(), "x");
        c.write("keep.a", b"1").unwrap();
        c.write("old.a", b"2").unwrap();
        c.write("other.b", b"3").unwrap();
        let keep: HashSet<String> = ["keep.a".to_string()].into();
        assert_eq!(c.prune(|n| n.ends_with(".a"), &keep), 1);
        assert!(c.has("keep.a") && !c.has("old.a") && c.has("other.b"));
    }

    #[test]
    fn a_photos_headers_are_remembered_until_it_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(tmp.path(), "x");
        let photo = tmp.path().join("a.jpg");
        std::fs::write(&photo, b"one").unwrap();
        let read = |n: &std::cell::Cell<u32>, h: Header| {
            n.set(n.get() + 1);
            Ok::<_, String>(h)
        };
        let reads = std::cell::Cell::new(0);
        let s = SourceHashes::load(&cache);
        let hash = s.hash(&photo).unwrap();
        assert_eq!(
            s.header(&photo, &hash, || Err("damaged".to_string())),
            Err("damaged".into())
        );
        assert_eq!(
            s.header(&photo, &hash, || read(&reads, (40, 30, false))),
            Ok((40, 30, false))
        );
        s.save(&cache);
        // The next build: the same file is not read again.
        let s = SourceHashes::load(&cache);
        let hash = s.hash(&photo).unwrap();
        assert_eq!(
            s.header(&photo, &hash, || read(&reads, (1, 1, true))),
            Ok((40, 30, false))
        );
        assert_eq!(reads.get(), 1);
        // Touched (a new time, the same bytes): not read again.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&photo)
            .and_then(|f| f.set_modified(later))
            .unwrap();
        assert_eq!(s.hash(&photo).unwrap(), hash);
        assert_eq!(
            s.header(&photo, &hash, || read(&reads, (1, 1, true))),
            Ok((40, 30, false))
        );
        assert_eq!(reads.get(), 1);
        // Changed (another size): read again.
        std::fs::write(&photo, b"second").unwrap();
        let new = s.hash(&photo).unwrap();
        assert_ne!(new, hash);
        assert_eq!(
            s.header(&photo, &new, || read(&reads, (8, 6, true))),
            Ok((8, 6, true))
        );
        assert_eq!(reads.get(), 2);
        // A file of an earlier build's format (no headers) still gives its hash; headers
        // of another version are not taken.
        std::fs::write(
            cache.path(SOURCE_HASHES),
            "b.jpg\t3\t0\tabc\n# headers 0\nc.jpg\t3\t0\tdef\t4\t3\t0\n",
        )
        .unwrap();
        let s = SourceHashes::load(&cache);
        assert!(s
            .lock()
            .get(Path::new("b.jpg"))
            .is_some_and(|e| e.1 == "abc" && e.2.is_none()));
        assert!(s
            .lock()
            .get(Path::new("c.jpg"))
            .is_some_and(|e| e.1 == "def" && e.2.is_none()));
    }
}
