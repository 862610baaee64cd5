//! The output folder as a publish sees it: every file zhanting wrote (the output's
//! marker lists them), its size, its MD5 (what stores compare and check an upload by)
//! and the headers it is served with.

use super::{Error, ErrorKind};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// One file of the output, as it will be published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalFile {
    /// Relative to the output folder, `/`-separated: the key under the prefix.
    pub path: String,
    pub size: u64,
    pub md5: [u8; 16],
    pub content_type: String,
    pub cache_control: String,
}

/// Every file zhanting wrote into `output`, with its MD5, sorted by path.
pub(crate) fn files(output: &Path) -> Result<Vec<LocalFile>, Error> {
    let Some(paths) = crate::output::written_files(output) else {
        let shown = output.display();
        return Err(Error::new(
            ErrorKind::Io,
            format!("{shown} holds no site built by zhanting"),
            format!("{shown} 中没有 zhanting 生成的网站"),
        )
        .hint(
            "publish builds the site first; check the site folder",
            "publish 会先生成网站，请检查站点文件夹",
        ));
    };
    let mut files = paths
        .par_iter()
        .map(|p| {
            let (size, md5) = md5_of(&output.join(p)).map_err(|e| {
                let shown = output.join(p);
                let shown = shown.display();
                Error::new(
                    ErrorKind::Io,
                    format!("cannot read {shown}: {e}"),
                    format!("无法读取 {shown}：{e}"),
                )
                .hint(
                    "build the site again: zhanting build",
                    "请重新生成网站：zhanting build",
                )
            })?;
            Ok(LocalFile {
                path: p.clone(),
                size,
                md5,
                content_type: content_type(p).to_string(),
                cache_control: cache_control(p).to_string(),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The size and MD5 of a file, read in pieces.
fn md5_of(path: &Path) -> std::io::Result<(u64, [u8; 16])> {
    use md5::Digest;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = md5::Md5::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hasher.finalize().into()))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The order files go up in: 0 everything a page may show (pictures, styles, scripts,
/// downloads), 1 the pages, 2 what lists pages (feeds, sitemaps).
pub(crate) fn phase(path: &str) -> u8 {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".html") {
        1
    } else if is_feed(name) {
        2
    } else {
        0
    }
}

fn is_feed(name: &str) -> bool {
    name == "feed.xml" || (name.starts_with("sitemap") && name.ends_with(".xml"))
}

/// The Content-Type a file is served with, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if name == "feed.xml" => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "vtt" => "text/vtt; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

/// The Cache-Control a file is served with: pages and feeds are asked for again every
/// time (`no-cache`), files named by their content never change (a year, immutable),
/// anything else is kept an hour.
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".html") || is_feed(name) {
        "no-cache"
    } else if is_content_named(name) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    }
}

/// Whether a file is named by a hash of its content: pictures (`3fa2…e1-480.jpg`),
/// videos and link cards start with 16 hex digits of BLAKE3.
fn is_content_named(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    let head = stem.split('-').next().unwrap_or(stem);
    head.len() == 16
        && head
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_kind_of_file() {
        assert_eq!(cache_control("index.html"), "no-cache");
        assert_eq!(cache_control("longquan/feed.xml"), "no-cache");
        assert_eq!(cache_control("sitemap-portal.xml"), "no-cache");
        assert_eq!(
            cache_control("media/img/0123456789abcdef-480.jpg"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("media/video/0123456789abcdef.mp4"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("assets/zhanting.css"), "public, max-age=3600");
        assert_eq!(
            cache_control("media/brand/logo.png"),
            "public, max-age=3600"
        );
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("feed.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("x.JPG"), "image/jpeg");
        assert_eq!(content_type("README"), "application/octet-stream");
        assert_eq!(phase("media/a.jpg"), 0);
        assert_eq!(phase("news/index.html"), 1);
        assert_eq!(phase("sitemap.xml"), 2);
    }
}
