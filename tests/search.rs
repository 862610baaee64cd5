//! Search: the index files, and the search page in headless Chromium over HTTP under a
//! sub-path and from `file://` in an offline build.

mod common;

use common::{ask, chromium, serve_dir as serve, SiteTest};

#[test]
fn index_files_are_written_and_search_can_be_turned_off() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    for f in [
        "search/index.html",
        "search/index.js",
        "search/b0.js",
        "search/c0.js",
        "search/t0.js",
        "assets/search.js",
    ] {
        assert!(t.out_exists(f), "{f}");
    }
    let index = t.out("search/index.js");
    assert!(index.starts_with("ZT.i({n:"), "{index}");
    assert!(
        t.out("search/b0.js").contains("\"七一\":"),
        "bigram 七一 is indexed"
    );
    assert!(
        t.out("search/b0.js").contains("\"合影\":"),
        "album captions are indexed"
    );
    assert!(
        t.out("search/t0.js").contains("/photos/trip/")
            || t.out("search/t1.js").contains("/photos/trip/"),
        "albums are documents"
    );
    assert!(
        t.out("index.html").contains(r#"action="/branch/search/""#),
        "a search box on every page"
    );
    t.edit("site.yaml", "organization:", "search: false\norganization:");
    t.build(&[]).ok();
    assert!(!t.out_exists("search/index.js") && !t.out_exists("search/index.html"));
    assert!(!t.out("index.html").contains("/branch/search/"));
}

#[test]
fn search_page_over_http_under_a_sub_path() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/lectures/zero.md",
        "第零课正文。",
        "第零课正文：党日活动的主题。",
    );
    t.build(&["--base-url", "http://127.0.0.1/branch/"]).ok();
    let port = serve(t.out_dir(), "/branch/");
    let url = format!("http://127.0.0.1:{port}/branch/harness.html");
    let search = |query: &str| ask(&chrome, &t.out_dir(), "search/", &url, &[], query);
    let r = search("七一");
    assert_eq!(r.console, Vec::<String>::new(), "no console message");
    assert_eq!(r.status, "找到 2 条结果");
    // The title hit first, then the brand page whose text names 七一.
    assert_eq!(
        r.links,
        vec!["/branch/news/qi-yi-zhu-ti-dang-ri/", "/branch/brand/"]
    );
    assert!(r.marks >= 2, "query marked in title and snippet");
    assert_eq!(
        r.search, "?q=%E4%B8%83%E4%B8%80",
        "the query is put in the address"
    );

    // Words apart come after the phrase; a title hit ranks first.
    let r = search("主题 党日");
    // 主题党日 stands in the first page's title and in the second's tag; the third page has
    // both words, apart.
    assert_eq!(r.phrase, "2");
    assert_eq!(
        r.links,
        vec![
            "/branch/news/qi-yi-zhu-ti-dang-ri/",
            "/branch/news/second/",
            "/branch/lectures/zero/"
        ]
    );

    // Spaces between Chinese characters do not break the phrase.
    let r = search("七 一");
    assert_eq!(r.phrase, "2");
    assert_eq!(
        &r.links[..2],
        ["/branch/news/qi-yi-zhu-ti-dang-ri/", "/branch/brand/"]
    );

    let r = search("没有这个词");
    assert_eq!(r.status, "没有找到相关内容，请换个关键词试试。");
    assert!(r.links.is_empty());
}

#[test]
fn search_page_from_file_in_an_offline_build() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/lectures/zero.md",
        "第零课正文。",
        "第零课正文：黨建工作，第3期Party活动。",
    );
    t.build(&["--offline"]).ok();
    let url = format!("file://{}/harness.html", t.out_dir().display());
    let search = |query: &str| {
        ask(
            &chrome,
            &t.out_dir(),
            "search/index.html",
            &url,
            &["--allow-file-access-from-files"],
            query,
        )
    };
    let r = search("第一课");
    assert_eq!(r.console, Vec::<String>::new(), "no console message");
    assert_eq!(
        r.links.first().map(String::as_str),
        Some("../lectures/first/index.html"),
        "{:?} {}",
        r.links,
        r.status
    );
    // Full-width letters and case fold: ＳＣＲＩＰＴ finds the title with <script>.
    let r = search("ＳＣＲＩＰＴ");
    assert_eq!(r.links, vec!["../news/second/index.html"]);
    // Traditional characters as typed; Chinese, digits and English mixed, by prefix.
    for q in ["黨建", "3期part", "第３期ＰＡＲＴＹ活动"] {
        let r = search(q);
        assert_eq!(r.links, vec!["../lectures/zero/index.html"], "{q}");
        assert_eq!(r.phrase, "1", "{q}");
    }
}
