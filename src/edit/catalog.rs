//! What the site holds, as the editor lists it: sections and their pages, albums and
//! their photos, boards, the brand, achievements and settings files — from the last good
//! build of `serve` (so titles, dates and photo sizes are what the site shows) and the
//! folder (so a file that does not build yet is still listed). Also which source file
//! each served page comes from, for the 编辑 control.

use crate::model::Site;
use serde_json::{json, Value};
use std::path::Path;

/// The long side, in pixels, under which a photo prints under 72 DPI in a photo block of
/// a board (about 42 cm wide on a 90 cm board): shown as too small for a board.
pub const BOARD_MIN_PIXELS: u32 = 1200;

/// The site as the editor's home lists it.
pub fn site(site: Option<&Site>, root: &Path) -> Value {
    let exists = |rel: &str| root.join(rel).is_file();
    let files: Vec<Value> = super::confine::ROOT_YAML
        .iter()
        .map(|f| json!({ "path": f, "exists": exists(f) }))
        .collect();
    let Some(site) = site else {
        return json!({
            "built": false,
            "hasSite": exists("site.yaml"),
            "files": files,
            "sections": [],
            "rootPages": [],
            "albums": [],
            "boards": [],
        });
    };
    let sections: Vec<Value> = site
        .sections
        .iter()
        .map(|s| {
            json!({
                "dir": s.dir,
                "name": s.dir.rsplit('/').next().unwrap_or(&s.dir),
                "title": s.title,
                "index": s.index_file,
                "url": s.path,
                "pages": s.pages.iter().map(|&i| listed_page(site, i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let root_pages: Vec<Value> = (0..site.pages.len())
        .filter(|&i| site.pages[i].section.is_none())
        .map(|i| listed_page(site, i))
        .collect();
    let albums: Vec<Value> = site.albums.iter().map(|a| listed_album(site, a)).collect();
    let boards: Vec<Value> = site.boards.iter().map(listed_board).collect();
    json!({
        "built": true,
        "hasSite": true,
        "title": site.config.title,
        "language": language(site),
        "files": files,
        "sections": sections,
        "rootPages": root_pages,
        "albums": albums,
        "boards": boards,
        "pillars": site.brand.as_ref().map(|b| b.pillars.iter().map(|p| json!({"name": p.name, "key": p.key})).collect::<Vec<_>>()).unwrap_or_default(),
        "tags": site.tags.iter().map(|t| &t.name).collect::<Vec<_>>(),
    })
}

/// Page `i` as the editor lists it.
fn listed_page(site: &Site, i: usize) -> Value {
    let p = &site.pages[i];
    json!({
        "path": &*p.source,
        "title": p.title,
        "date": p.date.as_ref().map(|d| d.display()),
        "draft": p.draft,
        "url": &*p.path,
    })
}

/// An album as the editor lists it, with its cover's thumbnail.
fn listed_album(site: &Site, a: &crate::model::Album) -> Value {
    let cover = a
        .cover_source()
        .or_else(|| a.photos.first().map(|p| p.source.clone()));
    json!({
        "dir": format!("albums/{}", a.name),
        "name": a.name,
        "title": a.title,
        "date": a.date.as_ref().map(|d| d.display()),
        "url": format!("/photos/{}/", a.slug),
        "count": a.photos.len() + a.videos.len(),
        "thumb": cover.and_then(|c| thumb(site, &c)),
    })
}

/// A board as the editor lists it, with its preview.
fn listed_board(b: &crate::model::board::Board) -> Value {
    json!({
        "path": b.source,
        "slug": b.slug,
        "title": b.title,
        "url": b.path,
        "preview": format!("/boards/{}.png", b.slug),
    })
}

/// `zh` or `en`, as the site's pages are written.
pub fn language(site: &Site) -> &'static str {
    match site.config.language {
        crate::config::Language::En => "en",
        _ => "zh",
    }
}

/// The site path of the smallest published size of picture `source`.
pub fn thumb(site: &Site, source: &str) -> Option<String> {
    site.media
        .pictures
        .get(source)
        .and_then(|p| p.variants.first())
        .map(|v| v.fallback.clone())
}

/// The source file (site-relative) behind the served page at site path `path`
/// (`/news/qiyi/`), and what the editor opens it with.
pub fn source_of(site: &Site, path: &str) -> Option<(String, &'static str)> {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    if let Some(p) = site.pages.iter().find(|p| &*p.path == path) {
        return Some((p.source.to_string(), "page"));
    }
    if let Some(s) = site.sections.iter().find(|s| s.path == path) {
        return s.index_file.clone().map(|f| (f, "page"));
    }
    if let Some(b) = site.boards.iter().find(|b| b.path == path) {
        return Some((b.source.clone(), "board"));
    }
    if let Some(a) = site
        .albums
        .iter()
        .find(|a| format!("/photos/{}/", a.slug) == path)
    {
        return Some((format!("albums/{}", a.name), "album"));
    }
    let fixed = match path {
        "/" => ("site.yaml", "file"),
        "/brand/" => ("brand.yaml", "file"),
        "/achievements/" => ("achievements.yaml", "file"),
        "/screen/" => ("screen.yaml", "file"),
        _ => {
            let pillar = site.brand.as_ref().and_then(|b| {
                b.pillars
                    .iter()
                    .any(|p| p.path == path)
                    .then_some(("brand.yaml", "file"))
            })?;
            pillar
        }
    };
    Some((fixed.0.to_string(), fixed.1))
}

/// The site path of the page built from source file `file`, for the preview.
pub fn url_of(site: &Site, file: &str) -> Option<String> {
    if let Some(p) = site.pages.iter().find(|p| &*p.source == file) {
        return Some(p.path.to_string());
    }
    if let Some(s) = site
        .sections
        .iter()
        .find(|s| s.index_file.as_deref() == Some(file))
    {
        return Some(s.path.clone());
    }
    if let Some(b) = site.boards.iter().find(|b| b.source == file) {
        return Some(b.path.clone());
    }
    if let Some(name) = file
        .strip_prefix("albums/")
        .and_then(|r| r.strip_suffix("/album.yaml"))
    {
        let a = site.albums.iter().find(|a| a.name == name)?;
        return Some(format!("/photos/{}/", a.slug));
    }
    Some(
        match file {
            "site.yaml" => "/",
            "brand.yaml" => "/brand/",
            "achievements.yaml" => "/achievements/",
            "screen.yaml" => "/screen/",
            _ => return None,
        }
        .to_string(),
    )
}

/// An album's photos as the editor's grid shows them, in the site's order: file,
/// caption, size, thumbnail, and whether it is too small for a board.
pub fn album(site: &Site, name: &str) -> Option<Value> {
    let a = site.albums.iter().find(|a| a.name == name)?;
    let photos: Vec<Value> = a
        .photos
        .iter()
        .chain(&a.videos)
        .map(|p| {
            let pic = site.media.pictures.get(&p.source);
            let (w, h) = pic.map_or((0, 0), |p| (p.width, p.height));
            let video = crate::paths::is_video(&p.file);
            json!({
                "file": p.file,
                "caption": p.caption,
                "width": w,
                "height": h,
                "video": video,
                "thumb": thumb(site, &p.source),
                "small": !video && pic.is_some() && w.max(h) < BOARD_MIN_PIXELS,
            })
        })
        .collect();
    Some(json!({
        "name": a.name,
        "title": a.title,
        "url": format!("/photos/{}/", a.slug),
        "photos": photos,
    }))
}

/// The pictures beside page `file` (its folder, and its album's photos), to choose a
/// cover from: the path as the page would write it, and a thumbnail.
pub fn pictures_for(site: Option<&Site>, root: &Path, file: &str) -> Vec<Value> {
    let dir = crate::paths::parent(file);
    let mut out = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| crate::paths::is_image(n) && !crate::paths::is_ignored(n))
        .collect();
    names.sort();
    for n in names {
        let source = format!("{dir}/{n}");
        out.push(json!({
            "path": n,
            "thumb": site.and_then(|s| thumb(s, &source)),
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_page_of_the_example_site_has_its_source() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let mut diags = crate::error::Diagnostics::new();
        let loaded = crate::pipeline::Pipeline::check(&root, &Default::default()).load(&mut diags);
        let ((site, _), _) = diags
            .into_result(loaded)
            .unwrap_or_else(|e| panic!("{e:?}"));
        for p in &site.pages {
            assert_eq!(
                super::source_of(&site, &p.path).map(|s| s.0).as_deref(),
                Some(&*p.source)
            );
            assert_eq!(super::url_of(&site, &p.source).as_deref(), Some(&*p.path));
        }
        assert_eq!(
            super::source_of(&site, "/brand/").map(|s| s.0).as_deref(),
            Some("brand.yaml")
        );
        let a = &site.albums[0];
        assert_eq!(
            super::source_of(&site, &format!("/photos/{}/", a.slug)),
            Some((format!("albums/{}", a.name), "album"))
        );
        let listed = super::site(Some(&site), &root);
        assert_eq!(
            listed["sections"].as_array().unwrap().len(),
            site.sections.len()
        );
        assert!(
            super::album(&site, &a.name).unwrap()["photos"]
                .as_array()
                .unwrap()
                .len()
                > 1
        );
    }
}
