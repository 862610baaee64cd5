//! A picture found in a document: its bytes as they were (original resolution), what
//! format they are, and its size from the file's header (nothing is decoded).

use super::left_out::LeftOut;

/// The formats of pictures documents carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Bmp,
    Svg,
    Tiff,
    /// EMF or WMF: Windows' vector pictures, which browsers cannot show.
    Metafile,
}

impl Format {
    /// The file extension it is saved with.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
            Format::Bmp => "bmp",
            Format::Svg => "svg",
            Format::Tiff => "tif",
            Format::Metafile => "emf",
        }
    }

    /// Why a picture of this format cannot be shown on a web page, if it cannot.
    pub fn left_out(self) -> Option<LeftOut> {
        match self {
            Format::Tiff => Some(LeftOut::Tiff),
            Format::Metafile => Some(LeftOut::Metafile),
            _ => None,
        }
    }
}

/// The format of `bytes`, told by their first bytes (a file's name can lie).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(Format::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(Format::Webp)
    } else if starts(b"BM") && bytes.len() > 26 {
        Some(Format::Bmp)
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some(Format::Tiff)
    } else if (starts(&[1, 0, 0, 0]) && bytes.get(40..44) == Some(b" EMF"))
        || starts(&[0xD7, 0xCD, 0xC6, 0x9A])
        || starts(&[1, 0, 9, 0])
        || starts(&[2, 0, 9, 0])
    {
        Some(Format::Metafile)
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
        head.contains("<svg").then_some(Format::Svg)
    }
}

/// Width and height in pixels, read from the header.
pub fn size(bytes: &[u8], format: Format) -> Option<(u32, u32)> {
    match format {
        Format::Jpeg | Format::Png | Format::Gif | Format::Webp => {
            let f = match format {
                Format::Jpeg => image::ImageFormat::Jpeg,
                Format::Png => image::ImageFormat::Png,
                Format::Gif => image::ImageFormat::Gif,
                _ => image::ImageFormat::WebP,
            };
            image::ImageReader::with_format(std::io::Cursor::new(bytes), f)
                .into_dimensions()
                .ok()
        }
        Format::Bmp => {
            let w = i32::from_le_bytes(bytes.get(18..22)?.try_into().ok()?);
            let h = i32::from_le_bytes(bytes.get(22..26)?.try_into().ok()?);
            Some((w.unsigned_abs(), h.unsigned_abs()))
        }
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub bytes: Vec<u8>,
    pub format: Format,
    /// Pixels, when the header says.
    pub size: Option<(u32, u32)>,
    /// What the document says it shows (its alt text or caption), or empty.
    pub alt: String,
}

/// A picture from `bytes`, or what was left out instead.
pub fn picture(bytes: Vec<u8>, alt: String) -> Result<Picture, LeftOut> {
    let format = sniff(&bytes).ok_or(LeftOut::UnknownPicture)?;
    if let Some(why) = format.left_out() {
        return Err(why);
    }
    let size = size(&bytes, format);
    Ok(Picture {
        bytes,
        format,
        size,
        alt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_their_first_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Format::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Some(Format::Gif));
        assert_eq!(
            sniff(b"<?xml version='1.0'?><svg xmlns=''/>"),
            Some(Format::Svg)
        );
        assert_eq!(sniff(&[0xD7, 0xCD, 0xC6, 0x9A, 0]), Some(Format::Metafile));
        assert_eq!(sniff(b"hello"), None);
        assert_eq!(
            picture(b"hello".to_vec(), String::new()),
            Err(LeftOut::UnknownPicture)
        );
    }
}
