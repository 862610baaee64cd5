//! A .docx as a package: the zip, its parts by name (OOXML part names ignore case), the
//! relationships of a part, and the first bytes of files that are not zips at all (an old
//! .doc renamed, a password-protected document, a PDF).

use super::Error;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Parts larger than this are refused: no document's XML or picture comes near it, and a
/// crafted zip cannot make us allocate more.
const PART_LIMIT: u64 = 256 << 20;

/// What all parts read may add up to (a document of a few hundred phone photos is a
/// tenth of it).
const TOTAL_LIMIT: u64 = 1 << 30;

/// What a file that is not a .docx zip is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// An old binary Word or WPS document (.doc, .wps): an OLE file with a WordDocument.
    OldWord,
    /// A .docx saved with a password: an OLE file holding the encrypted package.
    Encrypted,
    Rtf,
    Pdf,
    Excel,
    PowerPoint,
    /// An OpenDocument text (.odt).
    Odt,
    /// Anything else.
    Other,
}

/// An OLE compound file's name for a stream, as its directory stores it (UTF-16LE).
fn has_stream(bytes: &[u8], name: &str) -> bool {
    let wide: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(wide.len()).any(|w| w == wide.as_slice())
}

/// What `bytes` are when they are not a zip; `None` for a zip.
pub fn not_a_zip(bytes: &[u8]) -> Option<Found> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return None;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // Only the stream names are looked at: the directory, not the streams, is read.
        return Some(
            if has_stream(bytes, "EncryptedPackage") || has_stream(bytes, "EncryptionInfo") {
                Found::Encrypted
            } else if has_stream(bytes, "WordDocument") {
                Found::OldWord
            } else if has_stream(bytes, "Workbook") || has_stream(bytes, "Book") {
                Found::Excel
            } else if has_stream(bytes, "PowerPoint Document") {
                Found::PowerPoint
            } else {
                Found::Other
            },
        );
    }
    if bytes.starts_with(b"{\\rtf") {
        return Some(Found::Rtf);
    }
    if bytes.starts_with(b"%PDF") {
        return Some(Found::Pdf);
    }
    // A zip whose first entry is damaged may still start with something else; a zip
    // always ends with its directory.
    if bytes.len() > 22
        && bytes[bytes.len().saturating_sub(66_000)..]
            .windows(4)
            .any(|w| w == b"PK\x05\x06")
    {
        return None;
    }
    Some(Found::Other)
}

pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-case part name → index in the zip.
    names: HashMap<String, usize>,
    /// Bytes read so far.
    read: u64,
}

/// One relationship of a part.
#[derive(Debug, Clone)]
pub struct Rel {
    pub kind: String,
    /// The part it points at (a name in the package), or an address when external.
    pub target: String,
    pub external: bool,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, Error> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Error::BrokenZip)?;
        let names = zip
            .file_names_raw()
            .enumerate()
            .map(|(i, n)| (String::from_utf8_lossy(n).to_lowercase(), i))
            .collect();
        Ok(Package {
            zip,
            names,
            read: 0,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names
            .contains_key(&name.trim_start_matches('/').to_lowercase())
    }

    /// The bytes of a part, `None` when there is no such part.
    pub fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(&i) = self.names.get(&name.trim_start_matches('/').to_lowercase()) else {
            return Ok(None);
        };
        let mut file = self.zip.by_index(i).map_err(|_| Error::BrokenZip)?;
        // What the zip claims is only a hint.
        let mut out = Vec::with_capacity(file.size().min(16 << 20) as usize);
        let limit = PART_LIMIT.min(TOTAL_LIMIT - self.read);
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|_| Error::BrokenZip)?;
        if out.len() as u64 > limit {
            return Err(Error::TooLarge);
        }
        self.read += out.len() as u64;
        Ok(Some(out))
    }

    /// The text of an XML part, `None` when there is no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, Error> {
        Ok(self.bytes(name)?.map(|b| {
            let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&b);
            String::from_utf8_lossy(b).into_owned()
        }))
    }

    /// The relationships of `part` (from `_rels/NAME.rels` beside it), by id.
    pub fn rels(&mut self, part: &str) -> Result<HashMap<String, Rel>, Error> {
        let (dir, file) = match part.rsplit_once('/') {
            Some((d, f)) => (d, f),
            None => ("", part),
        };
        let name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(text) = self.text(&name)? else {
            return Ok(HashMap::new());
        };
        let xml = parse_xml(&text, &name)?;
        let mut out = HashMap::new();
        for r in xml
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("Relationship") || n.tag_name().name() == "Relationship")
        {
            let (Some(id), Some(target)) = (r.attribute("Id"), r.attribute("Target")) else {
                continue;
            };
            let external = r.attribute("TargetMode") == Some("External");
            let target = if external {
                target.to_string()
            } else {
                resolve(dir, target)
            };
            out.insert(
                id.to_string(),
                Rel {
                    kind: r.attribute("Type").unwrap_or("").to_string(),
                    target,
                    external,
                },
            );
        }
        Ok(out)
    }
}

/// A part name from a relationship's target, relative to `dir` (or absolute).
fn resolve(dir: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or("");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Parses a part's XML: no DTD (a .docx never has one), a bound on the number of nodes.
pub fn parse_xml<'t>(text: &'t str, part: &str) -> Result<roxmltree::Document<'t>, Error> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 20_000_000,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .map_err(|_| Error::Damaged(part.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_within_the_package() {
        assert_eq!(resolve("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(
            resolve("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }

    #[test]
    fn files_that_are_not_zips_are_told_apart() {
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend(vec![0; 100]);
        let mut word = ole.clone();
        word.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(not_a_zip(&word), Some(Found::OldWord));
        let mut enc = ole.clone();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(not_a_zip(&enc), Some(Found::Encrypted));
        assert_eq!(not_a_zip(b"%PDF-1.7"), Some(Found::Pdf));
        assert_eq!(not_a_zip(b"PK\x03\x04rest"), None);
        assert_eq!(not_a_zip(b"hello"), Some(Found::Other));
    }
}
