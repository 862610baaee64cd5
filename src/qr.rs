//! QR codes: the page address a phone opens, drawn as SVG. One crate (`qrcodegen`, the
//! reference encoder) makes every code of a site: the share panel's code on each page
//! and the poster's, both from the same SVG path.
//!
//! Codes for the screen ([`Qr::screen`]) use one fixed mask pattern: choosing the best of
//! the eight by the standard's penalty score costs twenty times as much (210 µs against
//! 10 µs a code, measured), a price every page of a 10,000-page site would pay on every
//! build, while any reader decodes any mask. A printed code ([`Qr::print`]), made a few
//! times per build, gets the best mask.

use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};
use std::sync::Arc;

/// The light border around a code, in modules, that readers need (the standard's 4).
pub const QUIET: usize = 4;

/// A QR code's dark modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    /// Modules per side, without the quiet zone.
    pub size: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// The code of `text` for a screen: error correction M, a fixed mask. `None` when the
    /// text is too long for any QR code (about 2,300 bytes).
    pub fn screen(text: &str) -> Option<Qr> {
        Self::encode(text, QrCodeEcc::Medium, Some(Mask::new(2)))
    }

    /// The code of `text` for print: error correction M (larger modules than Q at the
    /// same size, which a phone reads from further away), the best mask.
    pub fn print(text: &str) -> Option<Qr> {
        Self::encode(text, QrCodeEcc::Medium, None)
    }

    fn encode(text: &str, ecc: QrCodeEcc, mask: Option<Mask>) -> Option<Qr> {
        let segments = QrSegment::make_segments(text);
        let code = QrCode::encode_segments_advanced(
            &segments,
            ecc,
            Version::MIN,
            Version::MAX,
            mask,
            true,
        )
        .ok()?;
        let size = code.size() as usize;
        let dark = (0..size * size)
            .map(|i| code.get_module((i % size) as i32, (i / size) as i32))
            .collect();
        Some(Qr { size, dark })
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.size + x]
    }

    /// Modules per side with the quiet zone: the SVG's view box.
    pub fn side(&self) -> usize {
        self.size + 2 * QUIET
    }

    /// The runs of dark modules, row by row: `(x, y, length)` in modules from the top
    /// left corner of the quiet zone.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        self.each_run(|x, y, w| out.push((x, y, w)));
        out
    }

    /// Calls `f` with each run of [`Qr::runs`].
    fn each_run(&self, mut f: impl FnMut(usize, usize, usize)) {
        for (y, row) in self.dark.chunks_exact(self.size).enumerate() {
            let mut start = None;
            for (x, &on) in row.iter().chain([&false]).enumerate() {
                match (on, start) {
                    (true, None) => start = Some(x),
                    (false, Some(s)) => {
                        f(s + QUIET, y + QUIET, x - s);
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    }

    /// The dark modules as one SVG path to stroke 1 unit wide: each row's runs of dark
    /// modules are horizontal lines (`M4 4.5h7m2 0h1…`), about a third of the bytes of one
    /// square per module. Written digit by digit: `write!` made this cost more than
    /// encoding the code.
    pub fn path(&self) -> String {
        let mut d = String::with_capacity(self.size * self.size);
        // Where the pen is once a run is drawn: the next run of its row starts from it.
        let mut pen: Option<(usize, usize)> = None;
        self.each_run(|x, y, w| {
            match pen {
                Some((px, py)) if py == y => {
                    d.push('m');
                    push_number(&mut d, x - px);
                    d.push_str(" 0");
                }
                _ => {
                    d.push('M');
                    push_number(&mut d, x);
                    d.push(' ');
                    push_number(&mut d, y);
                    d.push_str(".5");
                }
            }
            d.push('h');
            push_number(&mut d, w);
            pen = Some((x + w, y));
        });
        d
    }

    /// The code as a standalone SVG image, `label` its accessible name.
    pub fn svg(&self, label: &str) -> String {
        let side = self.side();
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" shape-rendering="crispEdges" role="img" aria-label="{label}"><rect width="{side}" height="{side}" fill="#fff"/><path stroke="#000" d="{}"/></svg>"##,
            self.path()
        )
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The screen codes of a site's pages as SVG paths ([`Qr::path`]), kept between builds
/// in one file of `.zhanting-cache/qr/`. Loading the paths of a 10,000-page site takes a
/// few milliseconds; encoding and drawing them again costs a fifth of a second of CPU.
pub struct ScreenCodes {
    /// By fingerprint of the text: modules per side with the quiet zone, and the path.
    codes: rustc_hash::FxHashMap<u64, (usize, Arc<str>)>,
}

/// The cache file, named for the format of its entries.
const CODES_FILE: &str = "screen-v1";

impl ScreenCodes {
    /// The code of every text of `texts`, from the cache in `cache` or made now (in
    /// parallel); the cache is written again when its set of codes changed.
    pub fn of(texts: &[&str], cache: &crate::cache::DiskCache) -> ScreenCodes {
        use rayon::prelude::*;
        let mut known = read_codes(&cache.read(CODES_FILE).unwrap_or_default());
        let before = known.len();
        let wanted: Vec<(u64, &str)> = texts
            .iter()
            .map(|t| (crate::cache::fingerprint(t), *t))
            .collect();
        let fresh: Vec<(u64, (usize, Arc<str>))> = wanted
            .par_iter()
            .filter(|(k, _)| !known.contains_key(k))
            .filter_map(|&(k, t)| {
                let qr = Qr::screen(t)?;
                Some((k, (qr.side(), qr.path().into())))
            })
            .collect();
        let added = fresh.len();
        known.extend(fresh);
        let wanted: rustc_hash::FxHashSet<u64> = wanted.iter().map(|w| w.0).collect();
        known.retain(|k, _| wanted.contains(k));
        if added > 0 || known.len() != before {
            let mut bytes = Vec::new();
            for (k, (side, path)) in &known {
                bytes.extend_from_slice(&k.to_le_bytes());
                bytes.push(*side as u8);
                bytes.extend_from_slice(&(path.len() as u32).to_le_bytes());
                bytes.extend_from_slice(path.as_bytes());
            }
            // A cache that cannot be written only costs the next build time.
            let _ = cache.write(CODES_FILE, &bytes);
        }
        ScreenCodes { codes: known }
    }

    /// The side (modules, with the quiet zone) and SVG path of `text`'s code, if it was
    /// among the texts.
    pub fn get(&self, text: &str) -> Option<(usize, Arc<str>)> {
        self.codes.get(&crate::cache::fingerprint(text)).cloned()
    }
}

/// The entries of a cache file; a damaged tail is left out.
fn read_codes(mut bytes: &[u8]) -> rustc_hash::FxHashMap<u64, (usize, Arc<str>)> {
    let mut out = rustc_hash::FxHashMap::default();
    while bytes.len() >= 13 {
        let key = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
        let side = bytes[8] as usize;
        let len = u32::from_le_bytes(bytes[9..13].try_into().unwrap_or_default()) as usize;
        let Some(path) = bytes
            .get(13..13 + len)
            .and_then(|p| std::str::from_utf8(p).ok())
        else {
            break;
        };
        out.insert(key, (side, Arc::from(path)));
        bytes = &bytes[13 + len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path draws exactly the dark modules: replaying its commands marks the same
    /// cells as the matrix.
    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        for qr in [
            Qr::screen("https://dangjian.example.org/news/2024-05-20-wei-dang-ke/").unwrap(),
            Qr::print("https://example.org/").unwrap(),
        ] {
            let side = qr.side();
            let mut drawn = vec![false; side * side];
            let (mut x, mut y) = (0usize, 0usize);
            let d = qr.path();
            let mut rest = d.as_str();
            while !rest.is_empty() {
                let cmd = rest.as_bytes()[0];
                let end = rest[1..]
                    .find(['M', 'm', 'h'])
                    .map_or(rest.len(), |i| i + 1);
                let args: Vec<&str> = rest[1..end].split(' ').collect();
                match cmd {
                    b'M' => {
                        x = args[0].parse().unwrap();
                        y = args[1].trim_end_matches(".5").parse().unwrap();
                    }
                    b'm' => x += args[0].parse::<usize>().unwrap(),
                    b'h' => {
                        let w: usize = args[0].parse().unwrap();
                        for c in x..x + w {
                            drawn[y * side + c] = true;
                        }
                        x += w;
                    }
                    _ => unreachable!(),
                }
                rest = &rest[end..];
            }
            for yy in 0..side {
                for xx in 0..side {
                    let inside = (QUIET..QUIET + qr.size).contains(&xx)
                        && (QUIET..QUIET + qr.size).contains(&yy);
                    let dark = inside && qr.dark(xx - QUIET, yy - QUIET);
                    assert_eq!(drawn[yy * side + xx], dark, "module {xx},{yy}");
                }
            }
        }
    }

    /// Codes survive the cache: written, read back equal; a text no longer wanted is
    /// dropped from the file.
    #[test]
    fn screen_codes_are_kept_between_builds() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = crate::cache::DiskCache::new(tmp.path(), "qr");
        let texts = ["https://example.org/a/", "https://example.org/b/"];
        let first = ScreenCodes::of(&texts, &cache);
        let again = ScreenCodes::of(&texts, &cache);
        for t in texts {
            assert_eq!(first.get(t), again.get(t));
            let qr = Qr::screen(t).unwrap();
            assert_eq!(again.get(t), Some((qr.side(), qr.path().into())));
        }
        let fewer = ScreenCodes::of(&texts[..1], &cache);
        assert!(fewer.get(texts[1]).is_none());
        let size = std::fs::metadata(cache.path(CODES_FILE)).unwrap().len() as usize;
        let one = Qr::screen(texts[0]).unwrap().path().len();
        assert_eq!(size, 13 + one, "one code left");
    }

    /// Text too long for any code is `None`, not a panic.
    #[test]
    fn text_too_long_is_none() {
        assert!(Qr::screen(&"x".repeat(3000)).is_none());
        assert!(Qr::screen("https://example.org/").is_some());
    }
}
