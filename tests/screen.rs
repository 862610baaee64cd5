//! The 大屏 mode (`/screen/`): which slides it shows from the site's facts, in which
//! order, with which pictures; `screen.yaml`; its mistakes. The browser test that the
//! slides advance and answer the keys, from an offline build, is in tests/browser.rs.

mod common;
use common::SiteTest;

/// The `aria-label` of each slide, in order.
fn slide_labels(html: &str) -> Vec<String> {
    html.split("<section class=\"sc-slide")
        .skip(1)
        .map(|s| {
            let label = s.split("aria-label=\"").nth(1).unwrap();
            label[..label.find('"').unwrap()].to_string()
        })
        .collect()
}

fn img_sources(html: &str) -> Vec<String> {
    html.split("<img src=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn the_screen_shows_every_kind_the_site_has_facts_for_in_order() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let html = t.out("screen/index.html");
    assert_eq!(
        slide_labels(&html),
        [
            "五微一体",
            "微党课",
            "微活动",
            "品牌成效",
            "最新动态",
            "出行"
        ],
        "brand, each pillar, the statistics, the latest reports, the album (no boards)"
    );
    assert!(html.contains("data-seconds=\"12\""), "12 s by default");
    // The brand: name, slogan, branch; the statistic counts up from its value.
    assert!(html.contains("「五微一体」"));
    assert!(html.contains("以微见著"));
    assert!(html.contains("<span class=\"count\" data-value=\"35\">35</span>"));
    // The latest three dated reports, newest first, titles escaped.
    let reports = &html[html.find("sc-reports").unwrap()..];
    let first = reports
        .find("&lt;script&gt;alert(1)&lt;/script&gt; 标题")
        .unwrap();
    let second = reports.find("第三篇").unwrap();
    assert!(first < second, "newest first");
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("草稿"), "no draft");
    // Pictures are the ones already made, at the largest size: the album page's full-size
    // link of the same photo.
    let album = t.out("photos/trip/index.html");
    let full = album
        .split("class=\"gallery-item\" href=\"")
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .unwrap();
    assert!(
        img_sources(&html).contains(&full),
        "the album's photo at full size {full} in {:?}",
        img_sources(&html)
    );
    for src in img_sources(&html) {
        let rel = src.trim_start_matches("/branch/");
        assert!(t.out_exists(rel), "{src} is published");
    }
    assert!(html.contains("/branch/assets/screen.js"));
    assert!(t.out_exists("assets/screen.js") && t.out_exists("assets/screen.css"));
    // The brand page links to it; search engines are kept out, the sitemap leaves it out.
    assert!(t
        .out("brand/index.html")
        .contains("href=\"/branch/screen/\""));
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!t.out("sitemap.xml").contains("/screen/"));
}

#[test]
fn screen_yaml_chooses_the_slides_their_order_and_time() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "screen.yaml",
        "seconds: 20\nslides:\n  - stats\n  - brand\n  - photos\n  - brand\n",
    );
    t.build(&[]).ok();
    let html = t.out("screen/index.html");
    assert_eq!(
        slide_labels(&html),
        ["品牌成效", "五微一体", "出行", "五微一体"]
    );
    assert!(html.contains("data-seconds=\"20\""));
}

#[test]
fn a_listed_kind_the_site_has_nothing_for_is_left_out_with_a_warning() {
    let t = SiteTest::from_fixture("basic");
    t.file("screen.yaml", "slides:\n  - brand\n  - boards\n");
    let run = t.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains(
            "warning: the screen's `boards` slide is left out: the site has no board in boards/"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> screen.yaml:3:3"), "{}", run.stderr);
    assert_eq!(slide_labels(&t.out("screen/index.html")), ["五微一体"]);
}

#[test]
fn screen_yaml_mistakes_are_errors_at_their_lines_and_keep_the_output() {
    let t = SiteTest::from_fixture("basic");
    let run = t.rebuild_fails(|t| {
        t.file("screen.yaml", "seconds: 12\nslides: [brand, video]\n");
    });
    assert!(
        run.stderr
            .contains("error: unknown value `video` (in slides[1])\n --> screen.yaml:2:17"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "hint: use one of: `brand`, `pillars`, `stats`, `reports`, `photos`, `boards`"
        ),
        "{}",
        run.stderr
    );

    let t = SiteTest::from_fixture("basic");
    let run = t.rebuild_fails(|t| {
        t.file("screen.yaml", "# 大屏\nseconds: 1\n");
    });
    assert!(
        run.stderr
            .contains("error: `seconds: 1` is out of range: a slide stays 3 to 600 seconds"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\n --> screen.yaml:2:1"),
        "{}",
        run.stderr
    );

    let t = SiteTest::from_fixture("basic");
    let run = t.rebuild_fails(|t| {
        t.file("screen.yaml", "second: 10\n");
    });
    assert!(
        run.stderr
            .contains("error: unknown key `second`\n --> screen.yaml:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the known keys here are: `seconds`, `slides`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_offline_screen_names_its_files_relatively() {
    let t = SiteTest::from_fixture("basic");
    t.build(&["--offline"]).ok();
    let html = t.out("screen/index.html");
    assert!(html.contains("src=\"../assets/screen.js\""), "{html}");
    assert!(html.contains("href=\"../assets/screen.css\""));
    for src in img_sources(&html) {
        assert!(src.starts_with("../"), "{src}");
        assert!(t.out_dir().join("screen").join(&src).exists(), "{src}");
    }
}
