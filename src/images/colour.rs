//! Colour management: a photo with an embedded ICC profile (Adobe RGB from cameras,
//! Display P3 from phones, a CMYK profile from scans and print files) is converted to
//! sRGB right after decoding, so every rendition, the lightbox and the boards show its
//! real colours. moxcms (pure Rust; image already builds it) does the conversion.
//!
//! Photos without a profile and photos whose profile is sRGB (tested by converting a grid
//! of probe colours: a profile that moves none of them by more than one step is sRGB)
//! are left as decoded and cost nothing more.

use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
use std::sync::OnceLock;

/// `img` (8-bit RGB, RGBA or 16-bit, which becomes 8-bit) converted from the colours of
/// `icc` to sRGB. A profile that cannot be read, or that is not for RGB data, leaves the
/// image as it is: its numbers are then taken as sRGB, as browsers do.
pub fn to_srgb(img: image::DynamicImage, icc: &[u8]) -> image::DynamicImage {
    let Some(profile) = ColorProfile::new_from_slice(icc).ok() else {
        return img;
    };
    if profile.color_space != DataColorSpace::Rgb || is_srgb(&profile) {
        return img;
    }
    let alpha = img.color().has_alpha();
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let Ok(transform) =
        profile.create_transform_8bit(layout, srgb(), layout, TransformOptions::default())
    else {
        return img;
    };
    let (w, h) = (img.width(), img.height());
    let convert = |src: &[u8]| {
        let mut out = vec![0u8; src.len()];
        transform.transform(src, &mut out).ok().map(|_| out)
    };
    // On failure (never with a transform made for the layout) the numbers stay.
    if alpha {
        let src = img.into_rgba8();
        match convert(src.as_raw()).and_then(|o| image::RgbaImage::from_raw(w, h, o)) {
            Some(out) => image::DynamicImage::ImageRgba8(out),
            None => image::DynamicImage::ImageRgba8(src),
        }
    } else {
        let src = img.into_rgb8();
        match convert(src.as_raw()).and_then(|o| image::RgbImage::from_raw(w, h, o)) {
            Some(out) => image::DynamicImage::ImageRgb8(out),
            None => image::DynamicImage::ImageRgb8(src),
        }
    }
}

/// CMYK ink amounts (0 = no ink, four bytes a pixel) to sRGB through the CMYK profile
/// `icc`; `None` when `icc` is not a usable CMYK profile.
pub fn cmyk_to_srgb(inks: &[u8], icc: &[u8]) -> Option<Vec<u8>> {
    let profile = ColorProfile::new_from_slice(icc).ok()?;
    if profile.color_space != DataColorSpace::Cmyk {
        return None;
    }
    let transform = profile
        .create_transform_8bit(
            Layout::Rgba,
            srgb(),
            Layout::Rgb,
            TransformOptions::default(),
        )
        .ok()?;
    let mut out = vec![0u8; inks.len() / 4 * 3];
    transform.transform(inks, &mut out).ok()?;
    Some(out)
}

/// A compact sRGB ICC profile, for files that must say what their numbers mean (the
/// photos of a print PDF).
pub fn srgb_icc() -> &'static [u8] {
    static ICC: OnceLock<Vec<u8>> = OnceLock::new();
    ICC.get_or_init(|| {
        let mut icc = srgb().encode().unwrap_or_default();
        // The encoder dates the profile now (header bytes 24–35); a fixed date makes the
        // same board the same file from build to build. The profile ID stays unset.
        if let Some(date) = icc.get_mut(24..36) {
            date.copy_from_slice(&ICC_DATE);
        }
        icc
    })
}

/// 2024-01-01 00:00:00 as an ICC dateTimeNumber (six big-endian u16).
const ICC_DATE: [u8; 12] = [0x07, 0xe8, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0];

fn srgb() -> &'static ColorProfile {
    static SRGB: OnceLock<ColorProfile> = OnceLock::new();
    SRGB.get_or_init(ColorProfile::new_srgb)
}

/// Whether `profile` maps a grid of colours (every channel at 0, 51, …, 255) onto sRGB
/// within one step: then the conversion would change nothing worth its time.
fn is_srgb(profile: &ColorProfile) -> bool {
    let Ok(t) = profile.create_transform_8bit(
        Layout::Rgb,
        srgb(),
        Layout::Rgb,
        TransformOptions::default(),
    ) else {
        return false;
    };
    const STEPS: [u8; 6] = [0, 51, 102, 153, 204, 255];
    let probe: Vec<u8> = STEPS
        .iter()
        .flat_map(|&r| {
            STEPS
                .iter()
                .flat_map(move |&g| STEPS.iter().map(move |&b| [r, g, b]))
        })
        .flatten()
        .collect();
    let mut out = vec![0u8; probe.len()];
    t.transform(&probe, &mut out).is_ok()
        && probe.iter().zip(&out).all(|(a, b)| a.abs_diff(*b) <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(rgb: [u8; 3], icc: &[u8]) -> [u8; 3] {
        let img =
            image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(4, 4, image::Rgb(rgb)));
        to_srgb(img, icc).to_rgb8().get_pixel(2, 2).0
    }

    #[test]
    fn the_srgb_profile_is_dated_the_same_every_run_and_still_reads() {
        let icc = srgb_icc();
        assert_eq!(&icc[24..36], &ICC_DATE);
        assert_eq!(&icc[36..40], b"acsp");
        let back = ColorProfile::new_from_slice(icc).expect("the profile reads");
        assert!(is_srgb(&back));
    }

    fn close(a: [u8; 3], b: [u8; 3]) -> bool {
        a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= 3)
    }

    /// Expected values are Little CMS 2.19's, through Pillow: `ImageCms.profileToProfile(
    /// img, profile, ImageCms.createProfile("sRGB"), renderingIntent=1)` (relative
    /// colorimetric) with the profiles of tests/fixtures/icc.
    #[test]
    fn adobe_rgb_and_display_p3_become_srgb() {
        let adobe = ColorProfile::new_adobe_rgb().encode().unwrap();
        let got = patch([60, 180, 75], &adobe);
        assert!(close(got, [0, 181, 64]), "Adobe RGB (60,180,75) → {got:?}");
        // P3 pure red lies outside sRGB: it clips to sRGB's own red.
        let p3 = ColorProfile::new_display_p3().encode().unwrap();
        let got = patch([255, 0, 0], &p3);
        assert!(close(got, [255, 0, 0]), "P3 red → {got:?}");
        let got = patch([200, 40, 40], &p3);
        assert!(close(got, [218, 0, 26]), "P3 (200,40,40) → {got:?}");
    }

    #[test]
    fn srgb_and_broken_profiles_change_nothing() {
        assert!(is_srgb(srgb()));
        assert_eq!(patch([60, 180, 75], srgb_icc()), [60, 180, 75]);
        assert_eq!(patch([60, 180, 75], b"not a profile"), [60, 180, 75]);
    }
}
