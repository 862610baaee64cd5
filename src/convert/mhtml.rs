//! A web page saved as one file (.mhtml, .mht: 「网页，单个文件」): a MIME multipart
//! message whose first HTML part is the page and whose other parts are its pictures,
//! each named by the address it was loaded from (`Content-Location`).

use super::Error;
use std::collections::BTreeMap;

/// The files saved with a page, by address (and `cid:` id).
pub type Saved = BTreeMap<String, Vec<u8>>;

/// A part's headers, names lower-cased, in order.
type Headers = Vec<(String, String)>;

/// The page's HTML and the files saved with it.
pub fn read(bytes: &[u8]) -> Result<(Vec<u8>, Saved), Error> {
    let (headers, body) = split_head(bytes).ok_or(Error::BrokenArchive)?;
    let content_type = header(&headers, "content-type").unwrap_or_default();
    let lower = content_type.to_ascii_lowercase();
    if !lower.starts_with("multipart/") {
        if lower.starts_with("text/html") {
            return Ok((decode(&headers, body), BTreeMap::new()));
        }
        return Err(Error::BrokenArchive);
    }
    let boundary = parameter(&content_type, "boundary").ok_or(Error::BrokenArchive)?;
    let mut html: Option<Vec<u8>> = None;
    let mut files = BTreeMap::new();
    for part in parts(body, boundary.as_bytes()) {
        let Some((h, b)) = split_head(part) else {
            continue;
        };
        let kind = header(&h, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let data = decode(&h, b);
        if html.is_none() && kind.starts_with("text/html") {
            html = Some(data);
            continue;
        }
        if let Some(loc) = header(&h, "content-location") {
            files.insert(loc.trim().to_string(), data.clone());
        }
        if let Some(id) = header(&h, "content-id") {
            let id = id.trim().trim_start_matches('<').trim_end_matches('>');
            files.insert(format!("cid:{id}"), data);
        }
    }
    Ok((html.ok_or(Error::BrokenArchive)?, files))
}

/// Headers (unfolded, as `name: value` lines) and the body after the blank line.
fn split_head(bytes: &[u8]) -> Option<(Headers, &[u8])> {
    let crlf = find(bytes, b"\r\n\r\n").map(|i| (i, 4));
    let lf = find(bytes, b"\n\n").map(|i| (i, 2));
    let (end, skip) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b)?,
    };
    let head = String::from_utf8_lossy(&bytes[..end]);
    let mut headers: Headers = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Some((headers, &bytes[end + skip..]))
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|h| h.0 == name).map(|h| h.1.clone())
}

/// A parameter of a header value: `boundary="----MultipartBoundary--x----"`.
fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The parts between `--boundary` lines.
fn parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut marker = b"--".to_vec();
    marker.extend_from_slice(boundary);
    let mut out = Vec::new();
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(k) = find(&body[i..], &marker) {
        let at = i + k;
        // A boundary stands at the start of a line.
        if at == 0 || body[at - 1] == b'\n' {
            starts.push(at);
        }
        i = at + marker.len();
    }
    for w in starts.windows(2) {
        let mut part = &body[w[0] + marker.len()..w[1]];
        // The rest of the boundary line, and the line break before the next one.
        if let Some(nl) = part.iter().position(|&b| b == b'\n') {
            part = &part[nl + 1..];
        } else {
            continue;
        }
        let part = part.strip_suffix(b"\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r").unwrap_or(part);
        out.push(part);
    }
    out
}

/// A part's body decoded by its `Content-Transfer-Encoding`.
fn decode(headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let encoding = header(headers, "content-transfer-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    match encoding.as_str() {
        "base64" => {
            use base64::Engine as _;
            let clean: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(&clean)
                .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&clean))
                .unwrap_or_default()
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.to_vec(),
    }
}

/// Quoted-printable: `=XX` is a byte, `=` at a line's end joins it with the next.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        match (body.get(i + 1), body.get(i + 2)) {
            (Some(b'\r'), Some(b'\n')) => i += 3,
            (Some(b'\n'), _) => i += 2,
            (Some(&h), Some(&l)) => match (hex(h), hex(l)) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                _ => {
                    out.push(b'=');
                    i += 1;
                }
            },
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_and_its_pictures() {
        let m = b"From: <Saved by Blink>\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----B----\"\r\n\r\n\r\n------B----\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: https://mp.weixin.qq.com/s/x\r\n\r\n<p>=E6=94=AF=E9=83=A8 a=3D=\r\nb</p>\r\n------B----\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://mmbiz.qpic.cn/a/640?wx_fmt=gif\r\n\r\nR0lGODlh\r\n------B------\r\n";
        let (html, files) = read(m).unwrap();
        assert_eq!(String::from_utf8(html).unwrap(), "<p>支部 a=b</p>");
        assert_eq!(files.len(), 1);
        assert_eq!(files["https://mmbiz.qpic.cn/a/640?wx_fmt=gif"], b"GIF89a");
    }

    #[test]
    fn not_an_archive() {
        assert_eq!(read(b"hello"), Err(Error::BrokenArchive));
        assert_eq!(
            read(b"Content-Type: multipart/related\r\n\r\nx"),
            Err(Error::BrokenArchive)
        );
    }
}
