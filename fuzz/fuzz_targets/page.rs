//! A Markdown page with front matter, through to HTML: written into a section of the
//! basic fixture site (beside pages, pictures and an album it may name), then loaded
//! and every page, feed and the search index made, as `zhanting check` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting_fuzz::{check, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let site = SITE.get_or_init(|| Scratch::fixture("page", "basic"));
    site.write("content/news/fuzz.md", data);
    check(&site.root, false);
});
