//! `albums/NAME/album.yaml` plus the photos beside it: checked here (every listed file and
//! the cover must exist); processed by the image pipeline.

use super::read_text;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::model::{Album, Date, Photo};
use crate::yaml;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

#[cfg_attr(test, derive(schemars::JsonSchema))]
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

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoEntry {
    file: String,
    #[serde(default)]
    caption: Option<String>,
}

pub fn load(folder: &SiteFolder, diags: &mut Diagnostics) -> Vec<Album> {
    folder
        .folders("albums")
        .into_iter()
        .filter_map(|name| album(folder, name, diags))
        .collect()
}

/// The album of folder `albums/NAME`, or `None` (with a warning) when it has no
/// album.yaml.
fn album(folder: &SiteFolder, name: String, diags: &mut Diagnostics) -> Option<Album> {
    let rel = format!("albums/{name}/album.yaml");
    let Some(src) = read_text(folder, &rel, diags) else {
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
        return None;
    };
    let file: AlbumFile = yaml::parse(&rel, &src, &src, 0)
        .map_err(|d| diags.push(d))
        .ok()?;
    let date = file.date.as_deref().and_then(|d| match Date::parse(d) {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(super::content::date_error(&rel, &src, "date", d, e));
            None
        }
    });
    let dir = format!("albums/{name}");
    let (on_disk, others): (Vec<String>, Vec<String>) = folder
        .files(&dir, Some(1))
        .into_iter()
        .map(|rel| rel[dir.len() + 1..].to_string())
        .partition(|n| crate::paths::is_image(n) || crate::paths::is_video(n));
    for other in others.iter().filter(|o| !is_companion(o, &on_disk)) {
        diags.push(stray_file(&format!("{dir}/{other}")));
    }
    let listed = Listed {
        name: &name,
        rel: &rel,
        src: &src,
        on_disk: &on_disk,
    };
    let (videos, photos): (Vec<_>, Vec<_>) = listed
        .photos(&folder.path(&dir), file.photos, diags)
        .into_iter()
        .partition(|p| crate::paths::is_video(&p.file));
    if let Some(cover) = &file.cover {
        if crate::paths::is_video(cover) {
            diags.push(
                Diagnostic::error(
                    format!("cover `{cover}` is a video: an album's cover is a photo"),
                    format!("封面 `{cover}` 是视频：相册封面应为照片"),
                )
                .file(rel.clone())
                .at_opt(&src, yaml::find_value(&src, "cover", cover))
                .hint(
                    "name a photo of the album as its cover; the video keeps its own poster",
                    "请用相册中的一张照片作封面；视频有自己的封面画面",
                ),
            );
        } else if !on_disk.contains(cover) {
            diags.push(missing_photo(&rel, &src, "cover", cover));
        }
    }
    Some(Album {
        slug: crate::slug::slugify(&name, crate::config::SlugMode::Unicode),
        title: file.title,
        date,
        location: file.location,
        description: file.description,
        cover: file
            .cover
            .or_else(|| photos.first().map(|p| p.file.clone())),
        photos,
        videos,
        name,
    })
}

/// An album's photo files and its album.yaml.
struct Listed<'a> {
    name: &'a str,
    rel: &'a str,
    src: &'a str,
    on_disk: &'a [String],
}

impl Listed<'_> {
    /// The photos listed in album.yaml (each must exist), then those not listed, by the
    /// date they were taken (EXIF), then by name.
    fn photos(
        &self,
        folder: &Path,
        entries: Vec<PhotoEntry>,
        diags: &mut Diagnostics,
    ) -> Vec<Photo> {
        let name = self.name;
        let present: HashSet<&str> = self.on_disk.iter().map(String::as_str).collect();
        let mut listed = HashSet::new();
        let mut photos = Vec::new();
        for entry in entries {
            if !present.contains(entry.file.as_str()) {
                diags.push(missing_photo(self.rel, self.src, "file", &entry.file));
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
        let mut rest: Vec<(Option<String>, &String)> = self
            .on_disk
            .iter()
            .filter(|f| !listed.contains(*f))
            .map(|f| (super::media::exif_date(&folder.join(f)), f))
            .collect();
        rest.sort_by(|a, b| (a.0.is_none(), &a.0, a.1).cmp(&(b.0.is_none(), &b.0, b.1)));
        photos.extend(rest.into_iter().map(|(_, f)| Photo {
            source: format!("albums/{name}/{f}"),
            file: f.clone(),
            caption: None,
        }));
        photos
    }
}

/// Whether `name`, a file of an album folder that is not a photo, belongs there all the
/// same: the album's YAML, a Live Photo's movie beside its photo, an iPhone edit's
/// `.AAE`, and the files Windows and macOS leave behind.
fn is_companion(name: &str, photos: &[String]) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = |n: &str| {
        n.rsplit_once('.')
            .map_or(n, |(s, _)| s)
            .to_ascii_lowercase()
    };
    lower == "album.yaml"
        || lower == "thumbs.db"
        || lower == "desktop.ini"
        || lower.ends_with(".aae")
        || (lower.ends_with(".mov") && photos.iter().any(|p| stem(p) == stem(name)))
}

/// A warning for `rel`, a file in an album folder that is neither a photo nor a companion.
fn stray_file(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        format!("{rel} is not a photo: it is not published"),
        format!("{rel} 不是照片，不会发布到网站"),
    )
    .file(rel.to_string())
    .hint(
        "albums show JPEG, PNG, WebP and HEIC photos; move other files out of albums/ \
(documents for a page go under content/ and are linked from it)",
        "相册只展示 JPEG、PNG、WebP 和 HEIC 照片；请把其他文件移出 albums/\
（供页面下载的文档请放在 content/ 下并在正文中链接）",
    )
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

/// The problems serde finds in an album.yaml's text on its own, as `build` words them.
pub(crate) fn check_text(rel: &str, src: &str) -> Option<Diagnostic> {
    yaml::parse::<AlbumFile>(rel, src, src, 0).err()
}

/// The schema the loader reads AlbumFile by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(AlbumFile)
}
