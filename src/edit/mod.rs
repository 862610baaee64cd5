//! The browser editor's work on the site folder (`zhanting serve` and `zhanting edit`):
//! format-preserving edits of YAML and Markdown files.

pub mod preserve;
