//! album.yaml, in an album folder of the photos fixture (PNG, alpha, 16-bit, gray, CMYK,
//! progressive and EXIF-rotated JPEG, WebP), loaded and planned with the site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting_fuzz::{load, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let site = SITE.get_or_init(|| Scratch::fixture("album", "photos"));
    site.write("albums/mixed/album.yaml", data);
    load(&site.root);
});
