//! A `typst::World` for one board: the layout's `.typ` files (the site's
//! `templates/boards/` over the theme's `boards/`), the board's photos prepared in memory,
//! and the fonts. Nothing else is readable and Typst packages are refused, so compiling a
//! board never touches the network or files outside the templates.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use typst::diag::{FileError, FileResult};
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
