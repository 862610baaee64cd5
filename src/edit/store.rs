//! The editor's writes to the site folder: each one atomic (a hidden temporary file in
//! the same folder, then a rename, which the watcher takes as one save), refused when the
//! file changed on disk since the editor read it, and never a deletion — a deleted file
//! is moved into `.zhanting-trash/`, where it can be restored. Uploads are judged by
//! their content, named safely and capped in size.

use super::confine::{self, FileKind, Refused, TRASH};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A file's version: a hash of its bytes (the editor sends back the version it read).
pub fn version(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum Failure {
    /// The path is not one the editor may touch.
    Refused(Refused),
    /// The file changed on disk since it was read: what it holds now.
    Conflict { text: String, version: String },
    /// The file is not there (for an edit of an existing file).
    Missing,
    /// What was sent cannot become the file (a body that does not fit the file's kind,
    /// a value the file cannot be changed into in place).
    Invalid(String),
    /// The disk said no.
    Io(String),
}

impl From<Refused> for Failure {
    fn from(r: Refused) -> Failure {
        Failure::Refused(r)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Io(e.to_string())
    }
}

/// The site folder as the editor writes it. One write at a time: a save compares the
/// version on disk and replaces the file with nothing in between from this process.
pub struct Store {
    root: PathBuf,
    lock: Mutex<()>,
}

/// A fresh name for a temporary file beside `path` (hidden, so neither the watcher nor
/// the loader takes it for a site file).
fn temporary(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = format!(".zt-edit-{}-{n}.tmp", std::process::id());
    path.with_file_name(name)
}

/// Writes `bytes` to `path` through a temporary file and a rename, making its folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temporary(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

impl Store {
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            lock: Mutex::new(()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of file `rel`, checked as text and on disk.
    pub fn file(&self, rel: &str) -> Result<(PathBuf, FileKind), Refused> {
        let kind = confine::site_path(rel)?;
        Ok((confine::resolve(&self.root, rel)?, kind))
    }

    /// File `rel`'s bytes and version.
    pub fn read(&self, rel: &str) -> Result<(Vec<u8>, String), Failure> {
        let (path, _) = self.file(rel)?;
        match std::fs::read(&path) {
            Ok(b) => {
                let v = version(&b);
                Ok((b, v))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Failure::Missing),
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces file `rel` by `make(current text)` when it still has version `base`; a
    /// new file (`base` `None`) only when none is there. Returns the new version.
    pub fn save(
        &self,
        rel: &str,
        base: Option<&str>,
        make: impl FnOnce(Option<&str>) -> Result<String, Failure>,
    ) -> Result<String, Failure> {
        let (path, _) = self.file(rel)?;
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let current = match std::fs::read(&path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let now = current.as_deref().map(version);
        if now.as_deref() != base {
            return Err(match current {
                Some(b) => Failure::Conflict {
                    text: String::from_utf8_lossy(&b).into_owned(),
                    version: now.unwrap_or_default(),
                },
                None => Failure::Missing,
            });
        }
        let text = current
            .as_deref()
            .map(|b| {
                std::str::from_utf8(b).map_err(|_| Failure::Io("the file is not UTF-8 text".into()))
            })
            .transpose()?;
        let new = make(text)?;
        if Some(new.as_bytes()) != current.as_deref() {
            write_atomic(&path, new.as_bytes())?;
        }
        Ok(version(new.as_bytes()))
    }

    /// Moves file or folder `rel` into the trash: `.zhanting-trash/TIME/rel`. Returns
    /// where it went, site-relative.
    pub fn trash(&self, rel: &str, is_folder: bool) -> Result<String, Failure> {
        if is_folder {
            confine::site_folder(rel)?;
            if !rel.contains('/') {
                return Err(Failure::Refused(Refused {
                    en: format!("{rel}: a whole top folder is not deleted from the editor"),
                    zh: format!("{rel}：编辑器不能删除整个顶层文件夹"),
                }));
            }
        } else {
            confine::site_path(rel)?;
        }
        let path = confine::resolve(&self.root, rel)?;
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let meta = std::fs::symlink_metadata(&path).map_err(|_| Failure::Missing)?;
        if meta.is_dir() != is_folder {
            return Err(Failure::Missing);
        }
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S%.3f").to_string();
        let to_rel = format!("{TRASH}/{stamp}/{rel}");
        let to = self.root.join(&to_rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&path, &to)?;
        Ok(to_rel)
    }

    /// Moves `trashed` (as [`Store::trash`] returned it) back where it was, unless
    /// something is there now.
    pub fn restore(&self, trashed: &str) -> Result<String, Failure> {
        let rest = trashed
            .strip_prefix(TRASH)
            .and_then(|r| r.strip_prefix('/'))
            .and_then(|r| r.split_once('/'))
            .filter(|(stamp, _)| {
                !stamp.is_empty()
                    && stamp
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
            })
            .map(|(_, rel)| rel)
            .ok_or_else(|| {
                Failure::Refused(Refused {
                    en: format!("{trashed}: not in the trash"),
                    zh: format!("{trashed}：不在回收站中"),
                })
            })?;
        if confine::site_path(rest).is_err() {
            confine::site_folder(rest)?;
        }
        let to = confine::resolve(&self.root, rest)?;
        let from = self.root.join(trashed);
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        if std::fs::symlink_metadata(&from).is_err() {
            return Err(Failure::Missing);
        }
        if to.exists() {
            return Err(Failure::Refused(Refused {
                en: format!("{rest}: a file of that name is there again"),
                zh: format!("{rest}：同名文件已经存在"),
            }));
        }
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&from, &to)?;
        Ok(rest.to_string())
    }

    /// A name in folder `dir` (site-relative) for a file called `wanted`, made safe, not
    /// taken: `合影.jpg`, else `合影-2.jpg`, …
    pub fn free_name(&self, dir: &str, wanted: &str) -> String {
        let safe = safe_name(wanted);
        let (stem, ext) = match safe.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), format!(".{e}")),
            None => (safe.clone(), String::new()),
        };
        let taken = |name: &str| {
            let p = self.root.join(dir).join(name);
            // Another case of the same name is the same file on Windows and macOS.
            p.exists()
                || std::fs::read_dir(self.root.join(dir))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().to_lowercase() == name.to_lowercase())
        };
        let mut name = safe.clone();
        let mut n = 2;
        while taken(&name) {
            name = format!("{stem}-{n}{ext}");
            n += 1;
        }
        name
    }

    /// Where an upload into folder `dir` (site-relative) is written while it comes in: a
    /// hidden temporary file there. [`Store::place`] names and places it once complete.
    pub fn upload_file(&self, dir: &str) -> Result<PathBuf, Failure> {
        confine::site_folder(dir)?;
        let folder = confine::resolve(&self.root, dir)?;
        std::fs::create_dir_all(&folder)?;
        Ok(temporary(&folder.join("upload")))
    }

    /// Places the complete upload `tmp` (from [`Store::upload_file`]) in folder `dir`
    /// under a free, safe name after `wanted`, its extension the one of its content (a
    /// PNG called .jpg becomes .png). Returns its site-relative path; the temporary file
    /// is removed on any failure.
    pub fn place(&self, dir: &str, wanted: &str, tmp: &Path) -> Result<String, Failure> {
        let placed = (|| {
            let mut first = [0u8; 32];
            let n = std::io::Read::read(&mut std::fs::File::open(tmp)?, &mut first)?;
            let Some(ext) = sniff(&first[..n]) else {
                return Err(Failure::Refused(Refused {
                    en: format!(
                        "{wanted}: not a photo (JPEG, PNG, WebP, HEIC) or a video (MP4, WebM)"
                    ),
                    zh: format!("{wanted}：不是照片（JPEG、PNG、WebP、HEIC）或视频（MP4、WebM）"),
                }));
            };
            let safe = safe_name(wanted);
            let stem = safe.rsplit_once('.').map_or(safe.as_str(), |(s, _)| s);
            let given = confine::extension(&safe);
            let ext = if same_kind(&given, ext) {
                given
            } else {
                ext.to_string()
            };
            let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            let name = self.free_name(dir, &format!("{stem}.{ext}"));
            let rel = format!("{dir}/{name}");
            let (path, _) = self.file(&rel)?;
            std::fs::rename(tmp, &path)?;
            Ok(rel)
        })();
        if placed.is_err() {
            let _ = std::fs::remove_file(tmp);
        }
        placed
    }
}

fn same_kind(given: &str, sniffed: &str) -> bool {
    given == sniffed
        || matches!(
            (given, sniffed),
            ("jpeg", "jpg") | ("heif", "heic") | ("m4v", "mp4") | ("mov", "mp4")
        ) && given != "mov"
}

/// The kind of a file from its first bytes, as an extension: `jpg`, `png`, `webp`,
/// `heic`, `mp4`, `webm`; `None` for anything else.
pub fn sniff(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some("webp");
    }
    if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Some("webm");
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        let brand = &b[8..12];
        let heif: &[&[u8]] = &[
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1",
            b"msf1",
        ];
        let video: &[&[u8]] = &[
            b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
            b"M4VH", b"M4VP", b"dash", b"mmp4", b"MSNV", b"3gp4", b"3gp5",
        ];
        if heif.contains(&brand) {
            return Some("heic");
        }
        if video.contains(&brand) {
            return Some("mp4");
        }
    }
    None
}

/// A file name made safe for every system and for the site: only its last part, without
/// characters Windows refuses, control characters, leading dots and trailing dots or
/// spaces, spaces as `-`, at most 60 characters before a lower-case extension.
pub fn safe_name(wanted: &str) -> String {
    let last = wanted.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !"<>:\"|?*#%&{}$!'@+`=".contains(*c))
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '.' || c == '-' || c == ' ');
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e))
            if !e.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (s.trim_end_matches(['.', '-']), e.to_ascii_lowercase())
        }
        _ => (cleaned, String::new()),
    };
    let mut stem: String = stem.chars().take(60).collect();
    if stem.is_empty() || stem.chars().all(|c| c == '.') {
        stem = "file".into();
    }
    let name = if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    };
    if confine::site_path(&format!("content/{name}")).is_err() && !ext.is_empty() {
        // A device name of Windows (`con.jpg`) and the like.
        return format!("file-{name}");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_judged_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some("heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0"), Some("heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Some("mp4"));
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("IMG_0001.HEIC"), "IMG_0001.heic");
        assert_eq!(safe_name("C:\\Users\\张三\\七一 合影.JPG"), "七一-合影.jpg");
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name(".hidden.jpg"), "hidden.jpg");
        assert_eq!(safe_name("a<b>:c?.png"), "abc.png");
        assert_eq!(safe_name("con.jpg"), "file-con.jpg");
        assert_eq!(safe_name("...jpg"), "jpg");
        assert_eq!(safe_name(""), "file");
        assert_eq!(safe_name(&"长".repeat(100)).chars().count(), 60);
    }

    #[test]
    fn a_save_is_refused_when_the_file_changed_and_never_half_written() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(tmp.path().join("content/a.md"), "旧").unwrap();
        let (_, v) = store.read("content/a.md").unwrap();
        let v2 = store
            .save("content/a.md", Some(&v), |_| Ok("新".into()))
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("content/a.md")).unwrap(),
            "新"
        );
        // Saved again from the old version: refused, with what the disk holds.
        match store.save("content/a.md", Some(&v), |_| Ok("又一个".into())) {
            Err(Failure::Conflict { text, version }) => {
                assert_eq!(text, "新");
                assert_eq!(version, v2);
            }
            other => panic!("{other:?}"),
        }
        // A new file where one exists: refused.
        assert!(matches!(
            store.save("content/a.md", None, |_| Ok("x".into())),
            Err(Failure::Conflict { .. })
        ));
        assert!(store.save("content/b.md", None, |_| Ok("b".into())).is_ok());
        // No temporary file is left.
        let names: Vec<String> = std::fs::read_dir(tmp.path().join("content"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn deleting_moves_into_the_trash_and_back() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        std::fs::create_dir_all(tmp.path().join("content/news")).unwrap();
        std::fs::write(tmp.path().join("content/news/a.md"), "a").unwrap();
        let t = store.trash("content/news/a.md", false).unwrap();
        assert!(t.starts_with(".zhanting-trash/") && t.ends_with("/content/news/a.md"));
        assert!(!tmp.path().join("content/news/a.md").exists());
        assert_eq!(std::fs::read_to_string(tmp.path().join(&t)).unwrap(), "a");
        assert_eq!(store.restore(&t).unwrap(), "content/news/a.md");
        assert!(tmp.path().join("content/news/a.md").exists());
        assert!(store.restore("../x").is_err());
        assert!(store.restore(".zhanting-trash/1/../../x.md").is_err());
        assert!(store.trash("content", true).is_err());
        assert!(store.trash("site.yaml", false).is_err(), "missing");
    }

    #[test]
    fn uploads_get_free_safe_names_and_the_extension_of_their_content() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let png = b"\x89PNG\r\n\x1a\nrest";
        let put = |name: &str, bytes: &'static [u8]| {
            let tmp = store.upload_file("albums/新相册")?;
            std::fs::write(&tmp, bytes).unwrap();
            let placed = store.place("albums/新相册", name, &tmp);
            assert!(!tmp.exists());
            placed
        };
        assert_eq!(put("合影.png", png).unwrap(), "albums/新相册/合影.png");
        assert_eq!(put("合影.PNG", png).unwrap(), "albums/新相册/合影-2.png");
        assert_eq!(put("伪装.jpg", png).unwrap(), "albums/新相册/伪装.png");
        assert!(matches!(
            put("x.jpg", b"MZ\x90\0"),
            Err(Failure::Refused(_))
        ));
        assert!(matches!(
            store.upload_file("public"),
            Err(Failure::Refused(_))
        ));
        assert!(matches!(
            store.upload_file("albums/../.."),
            Err(Failure::Refused(_))
        ));
    }
}
