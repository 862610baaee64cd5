//! What an artifact is. Every output zhanting makes — HTML pages, feeds, the search
//! index, processed images, board PDFs — comes from a [`Renderer`]: it reads the loaded
//! [`Site`] and returns output files, putting every problem it finds into the
//! [`Diagnostics`] it is given. Renderers never write: the pipeline hands their files to
//! a sink (the output folder, memory for `serve`, nothing for `check`).
//!
//! Adding an artifact is adding one renderer and registering it in `pipeline.rs`.

use crate::error::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::urls::Urls;
use std::path::PathBuf;
use std::sync::Arc;

/// What goes into one output file.
pub enum Content {
    Bytes(Vec<u8>),
    /// Bytes also kept elsewhere (a cache).
    Shared(std::sync::Arc<[u8]>),
    Static(&'static [u8]),
    /// Copied from a file on disk.
    Copy(PathBuf),
    /// Copied from a file whose name carries a hash of its content (processed images): an
    /// existing output of the same size is that file, unread.
    CopyNamedByHash(PathBuf),
    /// Made while writing (pages, search text), so a large site's outputs never all sit
    /// in memory at once. Gives bytes (never another `Deferred`), or the error.
    Deferred(Box<dyn Fn() -> Result<Content, Diagnostic> + Send + Sync>),
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Content::Shared(b) => write!(f, "Shared({} bytes)", b.len()),
            Content::Static(b) => write!(f, "Static({} bytes)", b.len()),
            Content::Copy(p) => write!(f, "Copy({})", p.display()),
            Content::CopyNamedByHash(p) => write!(f, "CopyNamedByHash({})", p.display()),
            Content::Deferred(_) => write!(f, "Deferred"),
        }
    }
}

/// Where an output comes from, which decides what happens when two outputs want the
/// same path: the site's `static/` may replace a theme file but never a generated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Made by zhanting from the content: pages, feeds, the search index, boards.
    Generated,
    /// A file of the theme's `static/`.
    Theme,
    /// A file of the site's `static/`, labelled `static/NAME` for errors.
    Static(String),
    /// A file the content references (published as is, or processed).
    Media,
}

#[derive(Debug)]
pub struct OutputFile {
    /// Path below the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
    pub origin: Origin,
    /// A fingerprint of everything the file is made from, when the renderer knows it
    /// without making the file: two files of one path with the same key have the same
    /// bytes, so `serve` makes a page only when it is asked for and its key changed.
    pub key: Option<u64>,
}

impl OutputFile {
    pub fn generated(path: impl Into<String>, content: Content) -> OutputFile {
        OutputFile {
            path: path.into(),
            content,
            origin: Origin::Generated,
            key: None,
        }
    }
}

/// A script that hands the image published at site path `path` to the share poster as a
/// `data:` URL: `ztImage("NAME", "data:image/jpeg;base64,…")`. A page opened from
/// `file://` cannot read its own images' pixels (the browser counts each file as another
/// origin and taints the canvas), but it can run a script beside them; so an offline
/// build publishes one for each picture a poster draws. `read` gives the image's bytes
/// when the file is written.
pub fn image_script<E: std::fmt::Display>(
    path: &str,
    read: impl Fn() -> Result<Vec<u8>, E> + Send + Sync + 'static,
) -> OutputFile {
    use base64::Engine as _;
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let mime = match name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => "image/jpeg",
    };
    let script_path = format!("{path}.js");
    let shown = script_path.clone();
    let content = Content::Deferred(Box::new(move || {
        let bytes = read().map_err(|e| {
            crate::error::Diagnostic::error(
                format!("{shown} could not be made: {e}"),
                format!("无法生成 {shown}：{e}"),
            )
        })?;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        Ok(Content::Bytes(
            format!("ztImage(\"{name}\",\"data:{mime};base64,{data}\");\n").into_bytes(),
        ))
    }));
    OutputFile::generated(script_path.trim_start_matches('/'), content)
}

/// Which command the pipeline runs for: renderers that can do less for `check` or more
/// for `serve` look here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Build,
    /// Everything checked, nothing written (images decoded, not encoded).
    Check,
    /// In memory, with the live-reload client in every page.
    Serve,
}

/// What every renderer reads. The site is shared: a file made while it is written (or,
/// in `serve`, when it is asked for) keeps its own handle on it.
pub struct RenderContext<'a> {
    pub site: &'a Arc<Site>,
    pub urls: &'a Urls,
    pub mode: Mode,
    /// The site folder, to tell which files exist and when they changed.
    pub folder: &'a crate::folder::SiteFolder,
}

/// How many items a renderer made now and how many it took from its cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub made: usize,
    pub reused: usize,
}

/// A renderer's output files, and its counts when it keeps a cache.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub counts: Option<Counts>,
}

impl Rendered {
    /// Generated files from (path, content) pairs, without counts.
    pub fn generated(files: impl IntoIterator<Item = (String, Content)>) -> Rendered {
        files
            .into_iter()
            .map(|(path, content)| OutputFile::generated(path, content))
            .collect::<Vec<_>>()
            .into()
    }
}

impl From<Vec<OutputFile>> for Rendered {
    fn from(files: Vec<OutputFile>) -> Rendered {
        Rendered {
            files,
            counts: None,
        }
    }
}

/// One artifact. See the module documentation.
pub trait Renderer: Send + Sync {
    /// A short name (`pages`, `search`, `images`, `boards`): what reports and
    /// `serve`'s choice of renderers refer to.
    fn name(&self) -> &'static str;

    /// The files of this artifact. Problems go to `diags`; an error there stops the
    /// build before anything is written.
    fn render(&self, ctx: &RenderContext, diags: &mut Diagnostics) -> Rendered;
}

/// A renderer shared with its owner, who keeps a handle on it (`serve` keeps the pages
/// renderer to render one page again).
impl<T: Renderer + ?Sized> Renderer for Arc<T> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn render(&self, ctx: &RenderContext, diags: &mut Diagnostics) -> Rendered {
        (**self).render(ctx, diags)
    }
}
