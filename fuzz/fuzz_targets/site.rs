//! A whole small site from an `arbitrary` description (`zhanting_fuzz::site`): written
//! out as a person would write it, then through `zhanting check` up to its web — loaded,
//! planned, every page, feed, search index and file made, every picture decoded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting_fuzz::site::Description;
use zhanting_fuzz::{check, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|site: Description| {
    let scratch = SITE.get_or_init(|| Scratch::empty("site"));
    scratch.clear();
    for (rel, bytes) in site.files() {
        let path = scratch.root.join(&rel);
        if let Some(parent) = path.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        let _ = std::fs::write(path, bytes);
    }
    check(&scratch.root, true);
});
