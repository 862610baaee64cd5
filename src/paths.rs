//! Site-relative paths and the site folder's conventions: joining a path written in a
//! file with that file's folder (refusing any that escape the site folder), which names
//! are ignored (hidden files, editor leftovers), which files are pictures, and where a
//! referenced file is published.

use std::path::Path;

/// Folders of the site folder that are sources: never an output folder, never output.
pub const SOURCE_FOLDERS: &[&str] = &[
    "content",
    "static",
    "albums",
    "boards",
    "templates",
    "fonts",
    CACHE_FOLDER,
];

/// Where zhanting keeps what it can make again (processed images, laid-out boards).
pub const CACHE_FOLDER: &str = ".zhanting-cache";

/// A file or folder name zhanting never reads and the watcher never reports: hidden
/// files (`.git`, `.DS_Store`), editor leftovers (`a.md~`, `.a.md.swp`, `#a.md#`) and
/// vim's write test `4913`.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with('#')
        || name == "4913"
}

/// Whether a file name is a picture the image pipeline takes.
pub fn is_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Whether a file name is a video zhanting publishes (微视频): MP4, M4V or WebM.
pub fn is_video(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    ["mp4", "m4v", "webm"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// A path below the site as a `/`-separated string.
pub fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins `target` (as written in a file) with `dir` (site-relative folder of that file).
/// Returns `None` when the result would leave the site folder. A target starting with
/// `/` is taken from the site folder itself.
pub fn join(dir: &str, target: &str) -> Option<String> {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The site-relative folder of a site-relative file.
pub fn parent(file: &str) -> &str {
    match file.rfind('/') {
        Some(i) => &file[..i],
        None => "",
    }
}

/// Where a referenced file is published as is: files under `static/` keep the place
/// `static/` gives them, everything else goes under `/media/`.
pub fn published_path(source: &str) -> String {
    match source.strip_prefix("static/") {
        Some(rest) => format!("/{rest}"),
        None => format!("/media/{source}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_refuses_escapes() {
        assert_eq!(
            join("content/news", "../lectures/a.md").unwrap(),
            "content/lectures/a.md"
        );
        assert_eq!(
            join("content/news", "img/./a.jpg").unwrap(),
            "content/news/img/a.jpg"
        );
        assert_eq!(join("", "brand/logo.png").unwrap(), "brand/logo.png");
        assert_eq!(join("content", "/static/x.png").unwrap(), "static/x.png");
        assert_eq!(join("content/news", "../../../etc/passwd"), None);
        assert_eq!(published_path("static/logo.png"), "/logo.png");
        assert_eq!(published_path("brand/logo.png"), "/media/brand/logo.png");
    }
}
