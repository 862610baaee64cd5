//! A committee's portal's own part: its pages over the loaded branches ([`pages`]), and
//! where a branch's files and diagnostics stand in the portal ([`moved`], [`in_branch`]).
//!
//! `portal.yaml` lists the branches (`config::portal`). The pipeline runs a portal like
//! a site (`pipeline::Pipeline::build` on a portal folder): each branch through a
//! pipeline of its own, as the site it is, with its address under the portal's
//! (`BASE/SLUG/`), its files moved under `SLUG/` and the portal's image cache shared;
//! then this module's pages over them all, and everything to one sink.

pub mod pages;

pub use crate::config::portal as config;

use crate::artifact::{Content, OutputFile};
use crate::error::Diagnostic;
pub use config::{is_portal, Branch, Portal};
use std::sync::Arc;

/// `d`, found in branch `b`, naming the file by its path from the portal folder (the
/// theme's own files stay as they are named).
pub fn in_branch(mut d: Diagnostic, b: &Branch) -> Diagnostic {
    d.file = Some(match d.file.take() {
        Some(f) if f.starts_with("site-template/") => f,
        Some(f) => format!("{}/{f}", b.shown),
        None => format!("{}/", b.shown),
    });
    d
}

/// Output `f` of branch `b`, moved under the branch's slug; an error making it (a page
/// rendered while it is written) names the file from the portal folder.
pub fn moved(mut f: OutputFile, b: &Arc<Branch>) -> OutputFile {
    f.path = format!("{}/{}", b.slug, f.path);
    if let Content::Deferred(make) = f.content {
        let b = b.clone();
        f.content = Content::Deferred(Box::new(move || make().map_err(|d| in_branch(d, &b))));
    }
    f
}
