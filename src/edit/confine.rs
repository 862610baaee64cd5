//! Which paths the editor may touch: a site-relative path is checked as text first
//! ([`site_path`]: no `..`, nothing absolute, nothing hidden, not the output, the cache or
//! the trash, only the site's own kinds of file in their own places), then on disk
//! ([`resolve`]: no symbolic link anywhere on the way, inside the site folder once
//! resolved). Every file operation of the editor goes through both.

use std::path::{Path, PathBuf};

/// Why a path is refused (the message names it; shown to the user as is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub en: String,
    pub zh: String,
}

fn refused(path: &str, en: &str, zh: &str) -> Refused {
    Refused {
        en: format!("{path}: {en}"),
        zh: format!("{path}：{zh}"),
    }
}

/// What a file is, by its place and extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown page or a section's `_index.md` under `content/`.
    Page,
    /// One of the site's YAML files.
    Yaml,
    /// A picture the image pipeline takes.
    Picture,
    /// A 微视频.
    Video,
    /// A video's captions (`.vtt`).
    Captions,
}

/// The YAML files at the top of the site folder.
pub const ROOT_YAML: &[&str] = &[
    "site.yaml",
    "brand.yaml",
    "achievements.yaml",
    "deck.yaml",
    "screen.yaml",
    "checks.yaml",
];

/// Top-level folders the editor never writes into: the output, the sources that are not
/// content (the theme's overrides, static files, fonts), a Rust checkout's `target`.
const CLOSED: &[&str] = &[
    "public",
    "static",
    "templates",
    "fonts",
    "target",
    "node_modules",
];

/// Where deleted files go (hidden: never loaded, never watched).
pub const TRASH: &str = ".zhanting-trash";

/// Names Windows keeps for devices: a file so named cannot be opened there.
fn windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// The extension of a file name, lower-case.
pub fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Checks a site-relative path (`/`-separated, as the editor sends it) as text, and says
/// what kind of file it names. A folder (`albums/2025-qiyi`) is checked with
/// [`site_folder`].
pub fn site_path(rel: &str) -> Result<FileKind, Refused> {
    let parts = parts(rel)?;
    let name = parts[parts.len() - 1];
    let ext = extension(name);
    let top = parts[0];
    let kind = match ext.as_str() {
        "md" if top == "content" && parts.len() >= 2 => FileKind::Page,
        "yaml" if parts.len() == 1 && ROOT_YAML.contains(&name) => FileKind::Yaml,
        "yaml" if parts.len() == 3 && top == "albums" && name == "album.yaml" => FileKind::Yaml,
        "yaml" if parts.len() == 2 && top == "boards" => FileKind::Yaml,
        "jpg" | "jpeg" | "png" | "webp" | "heic" | "heif" if parts.len() >= 2 => FileKind::Picture,
        "mp4" | "m4v" | "webm" if parts.len() >= 2 => FileKind::Video,
        "vtt" if parts.len() >= 2 => FileKind::Captions,
        _ => {
            return Err(refused(
                rel,
                "the editor changes only the site's pages, YAML files, pictures and videos in their folders",
                "编辑器只能修改站点自己的页面、YAML 文件、图片和视频（放在各自的文件夹里）",
            ))
        }
    };
    Ok(kind)
}

/// Checks a site-relative folder: one a page bundle, an album or pictures may live in.
pub fn site_folder(rel: &str) -> Result<(), Refused> {
    let parts = parts(rel)?;
    let ok = match parts[0] {
        "content" | "albums" => true,
        _ => parts.len() == 1 || parts[0] == "brand" || parts[0] == "honors",
    };
    if ok {
        Ok(())
    } else {
        Err(refused(
            rel,
            "not a folder of the site's content",
            "不是站点内容所在的文件夹",
        ))
    }
}

/// The parts of a path, each checked.
fn parts(rel: &str) -> Result<Vec<&str>, Refused> {
    if rel.is_empty() || rel.len() > 400 {
        return Err(refused(rel, "no file named", "没有指定文件"));
    }
    if rel.starts_with('/') || rel.contains('\\') || rel.contains(':') {
        return Err(refused(
            rel,
            "paths are relative to the site folder",
            "路径必须相对于站点文件夹",
        ));
    }
    if rel.chars().any(|c| c.is_control()) {
        return Err(refused(
            rel,
            "control characters in a path",
            "路径中有控制字符",
        ));
    }
    let parts: Vec<&str> = rel.split('/').collect();
    for p in &parts {
        if p.is_empty() || *p == "." || *p == ".." {
            return Err(refused(
                rel,
                "a path may not leave its folder",
                "路径不能离开所在的文件夹",
            ));
        }
        if crate::paths::is_ignored(p) {
            return Err(refused(
                rel,
                "hidden files, the cache, the trash and editor leftovers are not edited",
                "隐藏文件、缓存、回收站和编辑器的临时文件不能编辑",
            ));
        }
        if p.ends_with(['.', ' ']) || p.starts_with(' ') || windows_device(p) {
            return Err(refused(
                rel,
                "a name that Windows cannot open",
                "Windows 无法打开这样的文件名",
            ));
        }
    }
    if CLOSED.contains(&parts[0]) {
        return Err(refused(
            rel,
            "the output, templates, static files and fonts are not edited here",
            "输出文件夹、模板、静态文件和字体不在这里编辑",
        ));
    }
    Ok(parts)
}

/// The file or folder `rel` (already checked by [`site_path`] or [`site_folder`]) in
/// `site`, refused when a symbolic link is anywhere on the way or it resolves outside.
pub fn resolve(site: &Path, rel: &str) -> Result<PathBuf, Refused> {
    let root = site.canonicalize().map_err(|e| {
        refused(
            rel,
            &format!("the site folder: {e}"),
            &format!("站点文件夹：{e}"),
        )
    })?;
    let mut path = root.clone();
    for part in rel.split('/') {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(
                    rel,
                    "symbolic links are not followed",
                    "不跟随符号链接",
                ))
            }
            Ok(_) => {}
            // What does not exist yet is made inside the folder checked so far.
            Err(_) => break,
        }
    }
    let full = root.join(rel);
    // The part that exists, resolved, must be inside the site.
    let mut existing = full.clone();
    while !existing.exists() {
        if !existing.pop() {
            break;
        }
    }
    let real = existing.canonicalize().unwrap_or(existing);
    if !real.starts_with(&root) {
        return Err(refused(rel, "outside the site folder", "在站点文件夹之外"));
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_sites_own_files_only() {
        assert_eq!(site_path("content/news/七一.md"), Ok(FileKind::Page));
        assert_eq!(site_path("content/news/x/index.md"), Ok(FileKind::Page));
        assert_eq!(site_path("site.yaml"), Ok(FileKind::Yaml));
        assert_eq!(site_path("albums/2025-qiyi/album.yaml"), Ok(FileKind::Yaml));
        assert_eq!(site_path("boards/weifuwu.yaml"), Ok(FileKind::Yaml));
        assert_eq!(site_path("albums/a/IMG_0001.HEIC"), Ok(FileKind::Picture));
        assert_eq!(site_path("content/news/x/合影.jpg"), Ok(FileKind::Picture));
        assert_eq!(site_path("content/v.mp4"), Ok(FileKind::Video));
        for bad in [
            "",
            "/etc/passwd",
            "../site.yaml",
            "content/../../x.md",
            "content/./a.md",
            "content//a.md",
            "C:/x.md",
            "content\\a.md",
            ".git/config",
            "content/.hidden.md",
            ".zhanting-cache/images/x.jpg",
            ".zhanting-trash/a.md",
            "public/index.html",
            "static/x.jpg",
            "templates/page.html",
            "content/a.html",
            "content/a.md~",
            "content/a.exe",
            "other.yaml",
            "albums/a/b/album.yaml",
            "boards/x/y.yaml",
            "content/con.md",
            "content/a .md ",
            "content/a\u{0}.md",
            "logo.png",
            "a.md",
        ] {
            assert!(site_path(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(site_folder("albums/新相册").is_ok());
        assert!(site_folder("content/news").is_ok());
        assert!(site_folder("public").is_err());
        assert!(site_folder("albums/../..").is_err());
        assert!(site_folder("templates/x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_and_escapes_are_refused_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(site.join("content/news")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("content/out")).unwrap();
        std::os::unix::fs::symlink(outside.join("x.md"), site.join("content/link.md")).unwrap();
        assert!(resolve(&site, "content/news/a.md").is_ok());
        assert!(resolve(&site, "content/new/folder/a.md").is_ok());
        assert!(resolve(&site, "content/out/a.md").is_err());
        assert!(resolve(&site, "content/link.md").is_err());
    }
}
