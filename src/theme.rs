//! The default theme, embedded in the binary (`site-template/`): page templates, static
//! files, board layouts, fonts and the starter site. A site overrides a file by putting
//! one of the same name in its `templates/` folder.

use include_dir::{include_dir, Dir};
use std::collections::HashMap;
use std::path::Path;

/// The default theme: templates, static files, board templates, fonts, starter site.
pub static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/site-template");

/// The Typst library every board layout imports; not a layout itself.
pub const BOARD_LIBRARY: &str = "zhanting.typ";
/// The layout of the designed link cards, beside the board layouts (not one of them).
pub const CARD_TEMPLATE: &str = "card.typ";
/// The templates of the deck and the booklet (not board layouts either).
pub const DOCUMENT_TEMPLATES: [&str; 2] = ["deck.typ", "booklet.typ"];

/// Board templates by file name: (the path shown in errors, the text).
pub type BoardTemplates = HashMap<String, (String, String)>;

/// The board templates: the theme's `boards/*.typ`, then the site's `templates/boards/`
/// over them (a new name there is a new layout).
pub fn board_templates(user_dir: Option<&Path>) -> BoardTemplates {
    let mut out = HashMap::new();
    if let Some(dir) = THEME.get_dir("boards") {
        for f in dir.files() {
            let name = f.path().file_name().unwrap_or_default().to_string_lossy();
            // Templates only (DESIGN.md beside them describes their rules).
            if !name.ends_with(".typ") {
                continue;
            }
            if let Some(text) = f.contents_utf8() {
                out.insert(
                    name.to_string(),
                    (format!("site-template/boards/{name}"), text.to_string()),
                );
            }
        }
    }
    if let Some(dir) = user_dir.map(|d| d.join("boards")) {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".typ") {
                if let Ok(text) = std::fs::read_to_string(entry.path()) {
                    out.insert(name.clone(), (format!("templates/boards/{name}"), text));
                }
            }
        }
    }
    out
}

/// Names of the board layouts a site can use, sorted.
pub fn board_layouts(templates: &BoardTemplates) -> Vec<String> {
    let mut names: Vec<String> = templates
        .keys()
        .filter(|k| k.as_str() != BOARD_LIBRARY && k.as_str() != CARD_TEMPLATE)
        .filter(|k| !DOCUMENT_TEMPLATES.contains(&k.as_str()))
        .filter_map(|k| k.strip_suffix(".typ").map(str::to_string))
        .collect();
    names.sort();
    names
}

/// A file of the theme as text (`dev/live-reload.js`), empty when absent.
pub fn file(path: &str) -> &'static [u8] {
    THEME
        .get_file(path)
        .map(|f| f.contents())
        .unwrap_or_default()
}
