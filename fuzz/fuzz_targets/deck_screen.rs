//! deck.yaml and screen.yaml, loaded with the basic fixture site (the pillars, albums
//! and achievements their slides show). The first byte says which file the rest is:
//! even, deck.yaml; odd, screen.yaml.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting_fuzz::{choose, load, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = choose(data) else {
        return;
    };
    let site = SITE.get_or_init(|| Scratch::fixture("deck_screen", "basic"));
    let file = if which % 2 == 0 {
        "deck.yaml"
    } else {
        "screen.yaml"
    };
    site.write(file, rest);
    load(&site.root);
    site.remove(file);
});
