//! Link previews for chat apps: Open Graph and Twitter tags on every page, link cards
//! cropped from covers (1200×630), and what an offline build leaves out.

mod common;

use common::SiteTest;
use regex::Regex;
use std::path::Path;

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect()
}

fn meta<'a>(html: &'a str, property: &str) -> Option<&'a str> {
    let re = Regex::new(&format!(
        r#"<meta (?:property|name|itemprop)="{}" content="([^"]*)">"#,
        regex::escape(property)
    ))
    .unwrap();
    re.captures(html).map(|c| c.get(1).unwrap().as_str())
}

#[test]
fn every_page_has_link_preview_tags_that_resolve() {
    let t = SiteTest::from_fixture("photos");
    t.file(
        "content/news/big.md",
        "---\ntitle: 大封面\ndate: 2024-07-03\ncover: ../../albums/mixed/七一 合影.jpg\n---\n正文。\n",
    );
    let run = t.build(&[]);
    run.ok();
    // The small cover: a warning naming the page, and the site's picture instead.
    assert!(
        run.stderr.contains(
            "warning: the cover albums/mixed/progressive.jpg is 64 px wide: a link card needs 600 px, so chat apps show the site's picture\n--> content/news/a.md"
        ),
        "{}",
        run.stderr
    );
    let out = t.out_dir();
    let base = "https://example.org/";
    let pages = html_files(&out);
    assert!(pages.len() > 5);
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let name = page.strip_prefix(&out).unwrap().display().to_string();
        for p in [
            "og:title",
            "og:description",
            "og:site_name",
            "og:type",
            "og:url",
        ] {
            assert!(meta(&html, p).is_some_and(|v| !v.is_empty()), "{name}: {p}");
        }
        assert_eq!(meta(&html, "og:locale"), Some("zh_CN"), "{name}");
        assert_eq!(
            meta(&html, "twitter:card"),
            Some("summary_large_image"),
            "{name}"
        );
        assert!(meta(&html, "og:url").unwrap().starts_with(base), "{name}");
        assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/"));
        if let Some(image) = meta(&html, "og:image") {
            let rel = image.strip_prefix(base).expect("absolute, under base_url");
            assert!(out.join(rel).is_file(), "{name}: {image} is in the output");
            assert_eq!(meta(&html, "image"), Some(image), "itemprop image");
            let (w, h) = image::image_dimensions(out.join(rel)).unwrap();
            assert_eq!(
                (
                    meta(&html, "og:image:width"),
                    meta(&html, "og:image:height")
                ),
                (Some(w.to_string().as_str()), Some(h.to_string().as_str())),
                "{name}"
            );
        }
    }
    // A dated page with a big cover: an article, its date and its own 1200×630 card.
    let big = t.out("news/big/index.html");
    assert_eq!(meta(&big, "og:type"), Some("article"));
    assert_eq!(meta(&big, "og:title"), Some("大封面"));
    assert_eq!(
        meta(&big, "article:published_time"),
        Some("2024-07-03T00:00:00+08:00")
    );
    let card = meta(&big, "og:image").unwrap();
    assert!(card.ends_with("-card.jpg"), "{card}");
    let card_file = out.join(card.strip_prefix(base).unwrap());
    assert_eq!(image::image_dimensions(&card_file).unwrap(), (1200, 630));
    // The album's card is the same picture's: one file.
    let album = t.out("photos/mixed/index.html");
    assert_eq!(meta(&album, "og:image"), Some(card));
    assert_eq!(meta(&album, "og:type"), Some("website"));

    // A rebuild makes no card again (nothing is processed), and the files stay.
    let again = t.build(&[]);
    assert!(
        again.stdout.contains("Images: 0 processed"),
        "{}",
        again.stdout
    );
    assert!(card_file.is_file());
}

#[test]
fn offline_build_leaves_out_what_needs_a_host() {
    let t = SiteTest::from_fixture("photos");
    t.build(&["--offline"]).ok();
    let album = t.out("photos/mixed/index.html");
    assert!(meta(&album, "og:url").is_none());
    assert!(!album.contains("rel=\"canonical\""));
    let image = meta(&album, "og:image").unwrap();
    assert!(image.starts_with("../../media/img/"), "relative: {image}");
    assert!(t.out_dir().join("photos/mixed").join(image).is_file());
}

/// A board's page previews as the board itself: its PNG, with its size.
#[test]
fn a_board_page_previews_as_the_board() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/ceshi.yaml",
        "title: 测试展板\nsize: 400x600mm\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n",
    );
    t.build(&[]).ok();
    let page = t.out("boards/ceshi/index.html");
    let image = meta(&page, "og:image").unwrap();
    assert!(image.ends_with("/boards/ceshi.png"), "{image}");
    let (w, h) = image::image_dimensions(t.out_dir().join("boards/ceshi.png")).unwrap();
    assert_eq!(meta(&page, "og:image:width"), Some(w.to_string().as_str()));
    assert_eq!(meta(&page, "og:image:height"), Some(h.to_string().as_str()));
}
