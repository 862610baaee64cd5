//! A picture's bytes through what zhanting itself reads of them: the header and the
//! sizes planned from it (JPEG, PNG, WebP), the EXIF date (of any container, HEIC too),
//! the EXIF orientation rewritten upright, the JPEG copied without metadata for print,
//! and, when it is small enough to be quick, the decode the image pipeline runs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhanting::config::Images;

fuzz_target!(|data: &[u8]| {
    let settings = Images::default();
    let planned = zhanting::load::media::plan_bytes(data, "0123456789abcdef", &settings);
    let _ = zhanting::load::media::exif_date_in(data);
    let _ = zhanting::images::exif_upright(data);
    let _ = zhanting::images::jpeg_without_metadata(data);
    let _ = zhanting::images::without_exif(data);
    if let Ok(picture) = planned {
        assert!(picture.width > 0 && picture.height > 0);
        assert!(!picture.variants.is_empty());
        for v in &picture.variants {
            assert!(v.width > 0 && v.height > 0 && v.width <= picture.width.max(1));
        }
        // Decoding is bounded by what the header says; past a few megapixels it only
        // measures the decoder's speed.
        if u64::from(picture.width) * u64::from(picture.height) <= 4_000_000 {
            let _ = zhanting::images::decode(data, (480, 480));
        }
    }
});
