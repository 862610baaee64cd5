//! QR codes: the page address a phone opens, drawn as SVG. One crate (`qrcodegen`, the
//! reference encoder) makes every code of a site: the share panel's code on each page
//! and the poster's, both from the same SVG path.
//!
//! Codes for the screen ([`Qr::screen`]) use one fixed mask pattern: choosing the best of
//! the eight by the standard's penalty score costs twenty times as much (210 µs against
//! 10 µs a code, measured), a price every page of a 10,000-page site would pay on every
//! build, while any reader decodes any mask. A printed code ([`Qr::print`]), made a few
//! times per build, gets the best mask and a higher error correction level, since ink
//! spreads and boards get scratched.

use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};

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

    /// The code of `text` for print: error correction Q, the best mask.
    pub fn print(text: &str) -> Option<Qr> {
        Self::encode(text, QrCodeEcc::Quartile, None)
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

    /// The dark modules as one SVG path to stroke 1 unit wide: each row's runs of dark
    /// modules are horizontal lines (`M4 4.5h7m2 0h1…`), about a third of the bytes of one
    /// square per module.
    pub fn path(&self) -> String {
        use std::fmt::Write as _;
        let mut d = String::with_capacity(self.size * self.size);
        for y in 0..self.size {
            let row = &self.dark[y * self.size..(y + 1) * self.size];
            // Where the pen is on this row, once it has drawn: a run starts relative to it.
            let mut pen: Option<usize> = None;
            let mut x = 0;
            while x < self.size {
                if !row[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && row[x] {
                    x += 1;
                }
                match pen {
                    None => {
                        let _ = write!(d, "M{} {}.5", start + QUIET, y + QUIET);
                    }
                    Some(at) => {
                        let _ = write!(d, "m{} 0", start - at);
                    }
                }
                let _ = write!(d, "h{}", x - start);
                pen = Some(x);
            }
        }
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

    /// Text too long for any code is `None`, not a panic.
    #[test]
    fn text_too_long_is_none() {
        assert!(Qr::screen(&"x".repeat(3000)).is_none());
        assert!(Qr::screen("https://example.org/").is_some());
    }
}
