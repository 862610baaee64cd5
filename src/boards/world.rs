//! A `typst::World` for one board: the layout's `.typ` files (the site's
//! `templates/boards/` over the theme's `boards/`), the board's photos prepared in memory,
//! and the fonts. Nothing else is readable and Typst packages are refused, so compiling a
//! board never touches the network or files outside the templates.

use crate::error::Diagnostic;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

/// The board templates a site can use: file name → (path shown in errors, text).
pub type Templates = Arc<HashMap<String, (String, String)>>;

pub struct BoardWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontStore>,
    main: FileId,
    templates: Templates,
    photos: HashMap<String, Bytes>,
    sources: Mutex<HashMap<FileId, Source>>,
}

/// Empties Typst's memoization cache, which otherwise keeps every compilation's
/// intermediate results — each board's photos decoded at full size among them — until
/// the process ends. Called once a board or document is done: what two of them share
/// (fonts, templates) is cheap to compute again; holding it cost hundreds of MB.
pub fn forget() {
    comemo::evict(0);
    give_back();
}

/// Gives memory freed meanwhile back to the system: glibc keeps it in each thread's
/// arena, so the next board's photos would come on top of what the last one freed.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl BoardWorld {
    pub fn new(
        layout: &str,
        inputs: Dict,
        fonts: Arc<FontStore>,
        templates: Templates,
        photos: HashMap<String, Bytes>,
    ) -> Option<BoardWorld> {
        Some(BoardWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            fonts,
            main: file_id(&format!("/{layout}.typ"))?,
            templates,
            photos,
            sources: Mutex::new(HashMap::new()),
        })
    }

    /// A world whose `sys.inputs` are `inputs` (a JSON object; anything else gives
    /// none): the boards', the cards' and the documents' way in.
    pub fn from_json(
        layout: &str,
        inputs: &serde_json::Value,
        fonts: Arc<FontStore>,
        templates: Templates,
        photos: HashMap<String, Bytes>,
    ) -> Option<BoardWorld> {
        use serde::Deserialize;
        let dict = match typst::foundations::Value::deserialize(inputs) {
            Ok(typst::foundations::Value::Dict(d)) => d,
            _ => Dict::new(),
        };
        BoardWorld::new(layout, dict, fonts, templates, photos)
    }

    /// Where Typst's `span` points: the file as users see it, its text, and the 0-based
    /// line and column.
    pub fn locate(&self, span: typst::syntax::DiagSpan) -> Option<(String, Source, usize, usize)> {
        use typst::WorldExt;
        let id = span.id()?;
        let source = self.source(id).ok()?;
        let range = self.range(span)?;
        let (line, col) = source.lines().byte_to_line_column(range.start)?;
        Some((self.display_path(id), source, line, col))
    }

    /// Lays the main file out: the document and Typst's warnings, or every error. An
    /// unknown font family is an error, not a warning: the print would come out in
    /// another face.
    pub fn compile(
        &self,
    ) -> Result<(typst_layout::PagedDocument, Vec<SourceDiagnostic>), Vec<SourceDiagnostic>> {
        let warned = typst::compile::<typst_layout::PagedDocument>(self);
        let (mut errors, warnings): (Vec<_>, Vec<_>) = warned
            .warnings
            .iter()
            .cloned()
            .partition(|w| w.message.contains("unknown font family"));
        for e in &mut errors {
            e.severity = Severity::Error;
        }
        match warned.output {
            Ok(doc) if errors.is_empty() => Ok((doc, warnings)),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.extend(e.iter().cloned());
                Err(errors)
            }
        }
    }

    /// The path shown to users for a file of this world.
    pub fn display_path(&self, id: FileId) -> String {
        let path = id.get().vpath().get_without_slash().to_string();
        self.templates
            .get(&path)
            .map(|(shown, _)| shown.clone())
            .unwrap_or(path)
    }

    fn lookup(&self, id: FileId) -> FileResult<&str> {
        if !matches!(id.get().root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(
                "Typst packages are not available to board templates".into(),
            )));
        }
        let path = id.get().vpath().get_without_slash();
        self.templates
            .get(path)
            .map(|(_, text)| text.as_str())
            .ok_or_else(|| FileError::NotFound(path.into()))
    }
}

impl World for BoardWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = sources.get(&id) {
            return Ok(s.clone());
        }
        let source = Source::new(id, self.lookup(id)?.to_string());
        sources.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.get().vpath().get_with_slash();
        if let Some(photo) = self.photos.get(path) {
            return Ok(photo.clone());
        }
        Ok(Bytes::from_string(self.lookup(id)?.to_string()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Boards must come out the same whenever they are built.
        None
    }
}

/// Typst's `d` as ours: "WHAT: message", at the template's file, line and column
/// when `world` is given and the span names one (else at no file), with Typst's hints, or how to provide
/// a missing font.
pub fn diagnostic(
    world: Option<&BoardWorld>,
    d: &SourceDiagnostic,
    what: (&str, &str),
) -> Diagnostic {
    let en = format!("{}: {}", what.0, d.message);
    let zh = format!("{}：{}", what.1, d.message);
    let mut out = if d.severity == Severity::Error {
        Diagnostic::error(en, zh)
    } else {
        Diagnostic::warning(en, zh)
    };
    if let Some((path, source, line, col)) = world.and_then(|w| w.locate(d.span)) {
        out = out.file(path).at(source.text(), line + 1, col + 1);
    }
    if d.message.contains("unknown font family") {
        out.hint(
            "the template names a font that is not available: put it in fonts/ or use boards.font in site.yaml",
            "模板使用了不存在的字体：请把字体放进 fonts/ 目录，或在 site.yaml 的 boards.font 中指定",
        )
    } else if d.hints.is_empty() {
        out
    } else {
        let h = d
            .hints
            .iter()
            .map(|h| h.v.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        out.hint(h.clone(), h)
    }
}
