//! Link previews for chat apps: Open Graph and Twitter tags on every page, link cards
//! cropped from covers (1200×630), and what an offline build leaves out.

mod common;

use common::SiteTest;
use regex::Regex;
use std::path::Path;

/// The pages visitors share: every HTML file but the 大屏 screen, a full-screen kiosk
/// page for the activity room's television (no panel, no link preview, not indexed).
fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .filter(|p| !p.ends_with("screen/index.html"))
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
            "warning: the cover albums/mixed/progressive.jpg is 64 px wide: a link card needs 600 px, so chat apps show the section's card\n--> content/news/a.md"
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

/// The site path of a page's link card (`og:image` under the base URL).
fn card_of(t: &SiteTest, page: &str) -> String {
    let html = t.out(page);
    let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{page}: no og:image"));
    image
        .strip_prefix("https://example.org/branch/")
        .unwrap_or_else(|| panic!("{page}: {image}"))
        .to_string()
}

/// Pages without a photo of their own get a designed card (the home page, the brand,
/// each section, each board), 1200×630, drawn once: a page without a cover shows its
/// section's, a tag page the home page's; a rebuild draws none; a changed title draws
/// that card alone, and its old file leaves the output and the cache.
#[test]
fn designed_cards_for_pages_without_a_photo() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/ceshi.yaml",
        "title: 测试展板\nsize: 400x600mm\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n",
    );
    let run = t.build(&[]);
    run.ok();
    // Home, brand, two sections, one board, and the album whose photo is too small.
    assert!(
        run.stdout.contains("Link cards: 6 drawn, 0 from the cache"),
        "{}",
        run.stdout
    );
    let home = card_of(&t, "index.html");
    let cards: Vec<String> = [
        "brand/index.html",
        "news/index.html",
        "lectures/index.html",
        "boards/ceshi/index.html",
    ]
    .iter()
    .map(|p| card_of(&t, p))
    .collect();
    for card in cards.iter().chain([&home]) {
        assert!(
            card.starts_with("media/cards/") && card.ends_with(".jpg"),
            "{card}"
        );
        let file = t.out_dir().join(card);
        assert_eq!(
            image::image_dimensions(&file).unwrap(),
            (1200, 630),
            "{card}"
        );
    }
    let mut distinct = cards.clone();
    distinct.push(home.clone());
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 5, "one card each");
    let album = card_of(&t, "photos/trip/index.html");
    assert!(album.starts_with("media/cards/") && !distinct.contains(&album));
    // A page without a cover shows its section's card; a pillar page the brand's; the
    // tag pages and the search page the home page's.
    assert_eq!(card_of(&t, "news/second/index.html"), cards[1]);
    assert_eq!(card_of(&t, "brand/wei-dangke/index.html"), cards[0]);
    assert_eq!(card_of(&t, "tags/index.html"), home);
    assert_eq!(card_of(&t, "search/index.html"), home);
    // The card shows the theme: the page's left edge is the theme's red, darkened.
    let img = image::open(t.out_dir().join(&cards[1])).unwrap().to_rgb8();
    let [r, g, b] = img.get_pixel(20, 200).0;
    assert!(r > 100 && g < 60 && b < 60, "theme red: {r},{g},{b}");

    // A rebuild draws none and writes none.
    let again = t.build(&[]);
    again.ok();
    assert!(!again.stdout.contains("Link cards"), "{}", again.stdout);
    // A new section title: its card alone is drawn again, the old one is gone.
    t.edit(
        "content/news/_index.md",
        "title: 支部动态",
        "title: 工作动态",
    );
    let edited = t.build(&[]);
    assert!(
        edited
            .stdout
            .contains("Link cards: 1 drawn, 5 from the cache"),
        "{}",
        edited.stdout
    );
    let new = card_of(&t, "news/index.html");
    assert_ne!(new, cards[1]);
    assert!(!t.out_dir().join(&cards[1]).exists(), "old card removed");
    let cached = |card: &str| {
        t.site
            .join(".zhanting-cache/cards")
            .join(card.rsplit('/').next().unwrap())
    };
    assert!(!cached(&cards[1]).exists() && cached(&new).is_file());
}

/// Every page but the 404 page has a share panel whose QR code holds its public
/// address — in an offline build too, which links everything else relatively.
#[test]
fn share_panel_qr_codes_hold_the_public_address() {
    let t = SiteTest::from_fixture("basic");
    t.build(&["--offline"]).ok();
    let out = t.out_dir();
    let url = Regex::new(r#"<p class="sharebox-url">([^<]*)</p>"#).unwrap();
    let mut seen = 0;
    for page in html_files(&out) {
        let rel = page
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = std::fs::read_to_string(&page).unwrap();
        if rel == "404.html" {
            assert!(!html.contains("sharebox"), "no panel on the 404 page");
            continue;
        }
        let shown = url
            .captures(&html)
            .unwrap_or_else(|| panic!("{rel}: no share panel"))[1]
            .to_string();
        let path = rel.strip_suffix("index.html").unwrap_or(&rel);
        assert_eq!(shown, format!("https://example.org/branch/{path}"), "{rel}");
        assert!(html.contains(r#"<svg class="sharebox-qr""#), "{rel}");
        seen += 1;
    }
    assert!(seen > 10);
    // Posters on articles, albums, boards and the brand page, not on lists.
    assert!(t.out("news/second/index.html").contains("sharebox-poster"));
    assert!(t.out("brand/index.html").contains("sharebox-poster"));
    assert!(t.out("photos/trip/index.html").contains("sharebox-poster"));
    assert!(!t.out("news/index.html").contains("sharebox-poster"));
    // The offline build carries the pictures a poster draws as scripts beside them.
    let poster = t.out("news/second/index.html");
    let image = Regex::new(r#"data-image="([^"]*)""#)
        .unwrap()
        .captures(&poster)
        .unwrap()[1]
        .to_string();
    let script =
        std::fs::read_to_string(out.join("news/second").join(format!("{image}.js"))).unwrap();
    assert!(
        script.starts_with("ztImage(\"") && script.contains("\"data:image/jpeg;base64,/9j/"),
        "{}",
        &script[..80]
    );
}
