//! What `zhanting serve` keeps of each output: its bytes, the file it is read from, or,
//! for a page, what makes it — a page is made when it is first asked for, so a rebuild
//! after an edit makes only what browsers look at, and a site of 10,000 pages does not
//! hold 10,000 pages in memory.

use crate::artifact::{Content, OutputFile};
use crate::error::{Diagnostic, Diagnostics};
use rayon::prelude::*;
/// The files served, by output path.
pub type Files = rustc_hash::FxHashMap<String, Served>;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// One output as served.
#[derive(Clone)]
pub enum Served {
    Bytes(Arc<[u8]>),
    /// A file of the theme, in the binary.
    Static(&'static [u8]),
    /// A file of the site folder or the cache, read when asked for.
    File(PathBuf),
    /// Made when first asked for.
    Lazy(Arc<Lazy>),
}

type Make = Box<dyn Fn() -> Result<Content, Diagnostic> + Send + Sync>;

/// A file made when first asked for, and kept once made. What makes it (which holds the
/// site it was rendered from) is dropped once it is made.
pub struct Lazy {
    /// The fingerprint of everything it is made from.
    pub key: u64,
    make: Mutex<Option<Make>>,
    made: OnceLock<Result<Arc<[u8]>, Diagnostic>>,
}

impl Lazy {
    fn new(key: u64, make: Make) -> Lazy {
        Lazy {
            key,
            make: Mutex::new(Some(make)),
            made: OnceLock::new(),
        }
    }

    /// Its bytes, made now if they were not yet.
    pub fn bytes(&self) -> Result<Arc<[u8]>, Diagnostic> {
        self.made
            .get_or_init(|| {
                let make = self.make.lock().unwrap_or_else(|e| e.into_inner()).take();
                match make.map(|m| m()) {
                    Some(Ok(Content::Deferred(_))) | None => Err(Diagnostic::error(
                        "an output could not be made",
                        "无法生成此输出",
                    )),
                    Some(made) => made.and_then(bytes_of),
                }
            })
            .clone()
    }

    /// Whether it was made (and holds nothing but its bytes).
    pub fn is_made(&self) -> bool {
        self.made.get().is_some()
    }
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Served::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Served::Static(b) => write!(f, "Static({} bytes)", b.len()),
            Served::File(p) => write!(f, "File({})", p.display()),
            Served::Lazy(l) => write!(f, "Lazy({:x})", l.key),
        }
    }
}

impl Served {
    /// The bytes to send (a page is made now if it was not yet).
    pub fn bytes(&self) -> Result<Arc<[u8]>, Diagnostic> {
        match self {
            Served::Bytes(b) => Ok(b.clone()),
            Served::Static(b) => Ok(Arc::from(*b)),
            Served::File(p) => std::fs::read(p)
                .map(Arc::from)
                .map_err(|e| Diagnostic::unreadable(&p.to_string_lossy(), &e)),
            Served::Lazy(l) => l.bytes(),
        }
    }
}

/// Outputs are equal when their bytes are (a page is made to compare it, unless both
/// are the same kept page).
impl PartialEq for Served {
    fn eq(&self, other: &Served) -> bool {
        match (self, other) {
            (Served::Bytes(a), Served::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Served::Static(a), Served::Static(b)) => std::ptr::eq(*a, *b) || a == b,
            (Served::File(a), Served::File(b)) => a == b,
            (Served::Lazy(a), Served::Lazy(b)) if Arc::ptr_eq(a, b) => true,
            (Served::File(_), _) | (_, Served::File(_)) => false,
            (a, b) => match (a.bytes(), b.bytes()) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            },
        }
    }
}

impl Eq for Served {}

/// Whether two outputs of one path are known to be the same without making them: the
/// same bytes, the same file, or pages made from the same inputs.
pub fn unchanged(old: &Served, new: &Served) -> bool {
    match (old, new) {
        (Served::Lazy(a), Served::Lazy(b)) => a.key == b.key,
        (Served::Static(a), Served::Static(b)) => std::ptr::eq(*a, *b),
        (Served::Bytes(a), Served::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
        (Served::File(a), Served::File(b)) => a == b,
        _ => false,
    }
}

fn bytes_of(content: Content) -> Result<Arc<[u8]>, Diagnostic> {
    Ok(match content {
        Content::Bytes(b) => b.into(),
        Content::Shared(b) => b,
        Content::Static(b) => b.into(),
        Content::Copy(p) | Content::CopyNamedByHash(p) => std::fs::read(&p)
            .map_err(|e| Diagnostic::unreadable(&p.to_string_lossy(), &e))?
            .into(),
        Content::Deferred(_) => unreachable!("made before"),
    })
}

/// The served form of each output: a page with a key is kept unmade (or the one of
/// `previous`, when its key is the same and it was made: what was made stays made);
/// anything else is made now, and the errors making it go to `diags`.
pub fn keep(files: Vec<OutputFile>, previous: &Files, diags: &mut Diagnostics) -> Files {
    let made: Vec<(String, Result<Served, Diagnostic>)> = files
        .into_par_iter()
        .map(|f| {
            let served = match (f.key, f.content) {
                (Some(key), Content::Deferred(make)) => Ok(match previous.get(&f.path) {
                    Some(Served::Lazy(old)) if old.key == key && old.is_made() => {
                        Served::Lazy(old.clone())
                    }
                    _ => Served::Lazy(Arc::new(Lazy::new(key, make))),
                }),
                (_, Content::Copy(p) | Content::CopyNamedByHash(p)) => Ok(Served::File(p)),
                (_, Content::Static(b)) => Ok(Served::Static(b)),
                (_, Content::Deferred(make)) => make().and_then(bytes_of).map(Served::Bytes),
                (_, content) => bytes_of(content).map(Served::Bytes),
            };
            (f.path, served)
        })
        .collect();
    let mut out = Files::default();
    let mut errors = Diagnostics::new();
    for (path, r) in made {
        match r {
            Ok(s) => {
                out.insert(path, s);
            }
            Err(d) => errors.push(d),
        }
    }
    errors.sort_dedup();
    diags.extend(errors);
    out
}
