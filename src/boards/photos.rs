//! A board's photos: read once, a stand-in at preview resolution for the first layout
//! pass, and the print version (at most 300 DPI at its printed size, never upscaled)
//! for the second; the low-DPI warning.

use crate::error::Diagnostic;
use crate::model::{Board, Site, PREVIEW_WIDTH};
use std::collections::HashMap;
use typst::foundations::Bytes;
use typst::layout::{Frame, FrameItem};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

/// Photos are embedded at no more than this resolution at their printed size.
const PRINT_DPI: f64 = 300.0;
const MM_PER_PT: f64 = 25.4 / 72.0;

/// A board's photo: its size and a stand-in at preview resolution for the first pass.
pub struct Photo {
    pub source: String,
    /// The file, read once for both passes.
    pub bytes: Vec<u8>,
    /// Pixel size, upright.
    pub size: (u32, u32),
    pub proxy: Bytes,
}

/// Long side of the stand-in photos of the first pass, which also makes the preview.
const PROXY_SIDE: u32 = 1000;

fn photo_error(board: &Board, source: &str, e: String) -> Diagnostic {
    Diagnostic::error(
        format!("photo {source} of board {} cannot be read: {e}", board.slug),
        format!("展板 {} 使用的照片 {source} 无法读取：{e}", board.slug),
    )
    .file(source)
    .hint(
        "replace the file with a JPEG, PNG or WebP photo",
        "请换成 JPEG、PNG 或 WebP 格式的照片",
    )
}

pub fn load_photo(site: &Site, board: &Board, source: &str) -> Result<Photo, Diagnostic> {
    let fail = |e: String| photo_error(board, source, e);
    // Its upright size is known from planning the site's images (album photos all are).
    let picture = site
        .media
        .pictures
        .get(source)
        .ok_or_else(|| fail("not among the site's images".into()))?;
    let (w, h) = (picture.width, picture.height);
    let cache_root = site.root.join(crate::paths::CACHE_FOLDER);
    let bytes =
        crate::images::heic::image_bytes(&site.root.join(source), &cache_root).map_err(fail)?;
    let (pw, ph) = fit(w, h, PROXY_SIDE);
    // Decoded at 1/2, 1/4 or 1/8 scale in the JPEG decoder where that gives enough pixels.
    let image = crate::images::decode(&bytes, (pw, ph)).map_err(fail)?;
    let small = crate::images::resize(&image, pw, ph).map_err(fail)?;
    let proxy = crate::images::encode_jpeg(&small.to_rgb8(), 85).map_err(fail)?;
    Ok(Photo {
        source: source.to_string(),
        bytes,
        size: (w, h),
        proxy: Bytes::new(proxy),
    })
}

/// `w`×`h` scaled to at most `side` on the long side, never up.
fn fit(w: u32, h: u32, side: u32) -> (u32, u32) {
    let scale = side as f64 / w.max(h) as f64;
    if scale >= 1.0 {
        return (w, h);
    }
    (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    )
}

/// The photo as a JPEG of at most [`PRINT_DPI`] at `width_in` inches, never upscaled:
/// the original file (without its metadata) when it is an upright RGB or gray JPEG that
/// needs no downscaling, else decoded, resized and encoded.
pub fn for_print(p: &Photo, width_in: f64) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error(
            format!("photo {} could not be prepared for print: {e}", p.source),
            format!("照片 {} 无法处理为印刷用图：{e}", p.source),
        )
        .file(&p.source)
    };
    let bytes = &p.bytes;
    let (w, h) = p.size;
    let want = (width_in * PRINT_DPI).ceil().min(u32::MAX as f64) as u32;
    // Up to a quarter more than 300 DPI is kept as is: decoding and encoding again would
    // cost more than the bytes saved.
    if (w as f64) <= want as f64 * 1.25 {
        if let Some(jpeg) = crate::images::jpeg_without_metadata(bytes) {
            return Ok(jpeg);
        }
    }
    downscaled_jpeg(bytes, (w, h), want).map_err(fail)
}

/// A picture (`bytes`, `w`×`h` upright) as an sRGB JPEG at most `max_w` pixels wide,
/// never upscaled: what boards and documents embed.
pub(crate) fn downscaled_jpeg(
    bytes: &[u8],
    (w, h): (u32, u32),
    max_w: u32,
) -> Result<Vec<u8>, String> {
    let (tw, th) = if max_w < w {
        (
            max_w.max(1),
            ((h as f64 * max_w as f64 / w as f64).round() as u32).max(1),
        )
    } else {
        (w, h)
    };
    // The JPEG decoder's 1/2, 1/4, 1/8 scaling gives at least 80 % of the pixels wanted
    // (240 DPI and more) far faster than a full decode and a resize.
    let floor = ((tw as f64 * 0.8) as u32, (th as f64 * 0.8) as u32);
    let image = crate::images::decode(bytes, floor)?;
    let img = if image.width() > tw {
        crate::images::resize(&image, tw, th)?
    } else {
        image
    };
    crate::images::encode_jpeg_srgb(&img.to_rgb8(), 90)
}

/// Printed size (points) of each photo, by index, found in the laid-out page.
pub fn printed_sizes(doc: &PagedDocument, photos: &[Photo]) -> HashMap<usize, (f64, f64)> {
    // The same photo twice has the same stand-in.
    let mut by_bytes: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, p) in photos.iter().enumerate() {
        by_bytes.entry(p.proxy.as_slice()).or_default().push(i);
    }
    let mut out = HashMap::new();
    type Sizes = HashMap<usize, (f64, f64)>;
    fn walk(frame: &Frame, by: &HashMap<&[u8], Vec<usize>>, out: &mut Sizes) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, by, out),
                FrameItem::Image(img, size, _) => {
                    let ImageKind::Raster(r) = img.kind() else {
                        continue;
                    };
                    for &i in by.get(r.data().as_slice()).into_iter().flatten() {
                        let e = out.entry(i).or_insert((0.0, 0.0));
                        // A photo shown twice is prepared for its larger print.
                        if size.x.to_pt() > e.0 {
                            *e = (size.x.to_pt(), size.y.to_pt());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for page in doc.pages() {
        walk(&page.frame, &by_bytes, &mut out);
    }
    out
}

pub fn low_dpi(
    board: &Board,
    photo: &Photo,
    w_pt: f64,
    h_pt: f64,
    dpi: f64,
    limit: f64,
) -> Diagnostic {
    let (w, h) = (w_pt * MM_PER_PT, h_pt * MM_PER_PT);
    let source = &photo.source;
    let warning = Diagnostic::warning(
        format!(
            "photo {source} prints at {w:.0}×{h:.0} mm on board {} with only {dpi:.0} DPI (under {limit:.0})",
            board.slug
        ),
        format!(
            "照片 {source} 在展板 {} 上印刷尺寸为 {w:.0}×{h:.0} 毫米，有效分辨率仅 {dpi:.0} DPI（低于 {limit:.0}）",
            board.slug
        ),
    )
    .file(source.as_str());
    if is_forwarded(photo) {
        warning.hint(
            "it looks like a photo saved from WeChat, which shrinks photos: open it in the chat, \
tap 查看原图 (view full image) before saving, or ask the sender for the original; or show it smaller",
            "这张照片像是从微信保存的（微信会压缩照片）：请在聊天中先点「查看原图」再保存，\
或向发送人要原图；也可以把照片排得小一些",
        )
    } else {
        warning.hint(
            "use the camera's original file, or show the photo smaller; it may print blurred",
            "请使用相机拍摄的原图，或把照片排得小一些，否则印出来可能模糊",
        )
    }
}

/// Whether `photo` looks forwarded through WeChat: 1080 or 1280 pixels on its long side
/// (its two compression sizes) and no EXIF, which WeChat removes.
fn is_forwarded(photo: &Photo) -> bool {
    let long = photo.size.0.max(photo.size.1);
    matches!(long, 1080 | 1280)
        && exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&photo.bytes))
            .is_err()
}

/// The page at [`PREVIEW_WIDTH`] pixels wide, trim area only, as PNG.
pub fn preview(doc: &PagedDocument) -> Result<Vec<u8>, String> {
    let page = doc.pages().first().ok_or("the board has no page")?;
    let width_pt = page.frame.width().to_pt();
    let opts = typst_render::RenderOptions {
        pixel_per_pt: (PREVIEW_WIDTH as f64 / width_pt).into(),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &opts);
    let (w, h) = (pixmap.width(), pixmap.height());
    // Premultiplied RGBA over an opaque background: the colour channels are the colour.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let img = image::RgbImage::from_raw(w, h, rgb).ok_or("bad preview size")?;
    let mut png = Vec::new();
    // Fast deflate: a third of the time of the default for ~10 % more bytes.
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    image::DynamicImage::ImageRgb8(img)
        .write_with_encoder(encoder)
        .map_err(|e| e.to_string())?;
    Ok(png)
}
