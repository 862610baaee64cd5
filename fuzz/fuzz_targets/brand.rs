//! brand.yaml and achievements.yaml, loaded with the rest of the basic fixture site
//! (its pages, albums and pictures, which they point at). The first byte says which
//! file the rest is: even, brand.yaml; odd, achievements.yaml.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting_fuzz::{choose, load, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = choose(data) else {
        return;
    };
    let site = SITE.get_or_init(|| Scratch::fixture("brand", "basic"));
    let file = if which % 2 == 0 {
        "brand.yaml"
    } else {
        "achievements.yaml"
    };
    let kept = std::fs::read(site.root.join(file)).expect("the fixture's file");
    site.write(file, rest);
    load(&site.root);
    site.write(file, &kept);
});
