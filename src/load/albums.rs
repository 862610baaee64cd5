//! `albums/NAME/album.yaml` plus the photos beside it: checked here (every listed file and
//! the cover must exist); processed by the image pipeline.

use super::{read_text, walk};
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Album, Date, Photo};
use crate::yaml;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlbumFile {
    title: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    cover: Option<String>,
    #[serde(default)]
    photos: Vec<PhotoEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoEntry {
    file: String,
    #[serde(default)]
    caption: Option<String>,
}

pub fn load(root: &Path, diags: &mut Diagnostics) -> Vec<Album> {
    let dir = root.join("albums");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !crate::paths::is_ignored(n))
        .collect();
    names.sort();
    let mut albums = Vec::new();
    for name in names {
        let rel = format!("albums/{name}/album.yaml");
        let Some(src) = read_text(root, &rel, diags) else {
            diags.push(
                Diagnostic::warning(
                    format!("album folder albums/{name} has no album.yaml and is skipped"),
                    format!("相册目录 albums/{name} 中没有 album.yaml，已跳过"),
                )
                .file(format!("albums/{name}"))
                .hint(
                    "add album.yaml with at least `title: …`",
                    "请添加 album.yaml，至少写上 `title: …`",
                ),
            );
            continue;
        };
        let file: AlbumFile = match yaml::parse(&rel, &src, &src, 0) {
            Ok(f) => f,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let date = file.date.as_deref().and_then(|d| match Date::parse(d) {
            Ok(d) => Some(d),
            Err(e) => {
                diags.push(super::content::date_error(&rel, &src, "date", d, e));
                None
            }
        });
        let on_disk: Vec<String> = walk(&root.join("albums").join(&name))
            .filter_map(Result::ok)
            .filter(|e| e.depth() == 1 && e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| crate::paths::is_image(n))
            .collect();
        let present: HashSet<&str> = on_disk.iter().map(String::as_str).collect();
        let mut listed = HashSet::new();
        let mut photos = Vec::new();
        for entry in file.photos {
            if !present.contains(entry.file.as_str()) {
                diags.push(missing_photo(&rel, &src, "file", &entry.file));
                continue;
            }
            if !listed.insert(entry.file.clone()) {
                continue;
            }
            photos.push(Photo {
                source: format!("albums/{name}/{}", entry.file),
                file: entry.file,
                caption: entry.caption.filter(|c| !c.trim().is_empty()),
            });
        }
        // Photos not listed follow, by the date they were taken (EXIF), then by name.
        let mut rest: Vec<(Option<String>, &String)> = on_disk
            .iter()
            .filter(|f| !listed.contains(*f))
            .map(|f| {
                (
                    super::media::exif_date(&root.join("albums").join(&name).join(f)),
                    f,
                )
            })
            .collect();
        rest.sort_by(|a, b| (a.0.is_none(), &a.0, a.1).cmp(&(b.0.is_none(), &b.0, b.1)));
        for (_, f) in rest {
            photos.push(Photo {
                source: format!("albums/{name}/{f}"),
                file: f.clone(),
                caption: None,
            });
        }

        if let Some(cover) = &file.cover {
            if !present.contains(cover.as_str()) {
                diags.push(missing_photo(&rel, &src, "cover", cover));
            }
        }
        albums.push(Album {
            slug: crate::slug::slugify(&name, crate::config::SlugMode::Unicode),
            name,
            title: file.title,
            date,
            location: file.location,
            description: file.description,
            cover: file
                .cover
                .or_else(|| photos.first().map(|p| p.file.clone())),
            photos,
        });
    }
    albums
}

fn missing_photo(rel: &str, src: &str, key: &str, file: &str) -> Diagnostic {
    Diagnostic::error(
        format!("photo `{file}` is not in the album folder"),
        format!("相册目录中没有照片 `{file}`"),
    )
    .file(rel)
    .at_opt(src, yaml::find_value(src, key, file))
    .hint(
        "put the photo beside album.yaml (JPEG, PNG or WebP) or fix the file name; names are case-sensitive",
        "请把照片（JPEG、PNG 或 WebP）放在 album.yaml 旁边，或改正文件名；文件名区分大小写",
    )
}
