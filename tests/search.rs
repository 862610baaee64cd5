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

/// Every document of the search index: (path, title, kind), read from its text files.
fn documents(t: &SiteTest) -> Vec<(String, String, String)> {
    let row = regex::Regex::new(r#"\["(/[^"]*)","([^"]*)",(?:null|"[^"]*"),"([^"]*)""#).unwrap();
    let mut out = Vec::new();
    for k in 0.. {
        let f = format!("search/t{k}.js");
        if !t.out_exists(&f) {
            break;
        }
        for c in row.captures_iter(&t.out(&f)) {
            out.push((c[1].to_string(), c[2].to_string(), c[3].to_string()));
        }
    }
    out
}

#[test]
fn results_of_the_same_title_say_what_kind_of_page_they_are() {
    let t = SiteTest::from_fixture("basic");
    // 「出行」: a report that shows the album 出行, and a root page of the same title.
    t.file(
        "content/news/chuxing.md",
        "---\ntitle: 出行\ndate: 2024-07-02\nalbum: trip\n---\n支部出行。\n",
    );
    t.file("content/chuxing.md", "---\ntitle: 出行\n---\n出行须知。\n");
    t.build(&[]).ok();
    let docs = documents(&t);
    let of = |title: &str| -> Vec<(String, String)> {
        docs.iter()
            .filter(|d| d.1 == title)
            .map(|d| (d.0.clone(), d.2.clone()))
            .collect()
    };
    // The report and the album it shows are one result; the root page says it is a page.
    let mut trips = of("出行");
    trips.sort();
    assert_eq!(
        trips,
        [
            ("/chuxing/".to_string(), "页面".to_string()),
            ("/news/chuxing/".to_string(), "支部动态".to_string()),
        ],
        "{docs:?}"
    );
    assert!(!docs.iter().any(|d| d.0 == "/photos/trip/"), "{docs:?}");
    // The album's captions find the report that shows them.
    assert!(t.out("search/b0.js").contains("\"合影\":"));
    // A pillar and the brand page name themselves.
    assert!(
        docs.contains(&(
            "/brand/wei-dangke/".into(),
            "微党课".into(),
            "「五微一体」品牌载体".into()
        )),
        "{docs:?}"
    );
    assert!(
        docs.contains(&("/brand/".into(), "「五微一体」".into(), "党建品牌".into())),
        "{docs:?}"
    );
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

/// Postings long enough to be split (`render::search::BIG`): the first page of results
/// comes from the newest documents' postings, the count from the document lists, and a
/// query whose count needs every position gets it once the rest has loaded.
#[test]
fn long_postings_are_split_and_still_found_in_order() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.file(
        "content/news/jian.md",
        &format!(
            "---\ntitle: 鉴往知来会纪要\ndate: 2022-06-01\n---\n{}\n",
            "鉴往。".repeat(40)
        ),
    );
    for i in 1..=150 {
        // Every third page has the phrase, the next one both words apart.
        let tail = match i % 3 {
            0 => "鉴往知来，砥砺前行。",
            1 => "知来者之可追。",
            _ => "",
        };
        t.file(
            &format!("content/news/n{i}.md"),
            &format!(
                "---\ntitle: 第{i}篇\ndate: 2023-{:02}-{:02}\n---\n{}{tail}\n",
                1 + (i - 1) / 28,
                1 + (i - 1) % 28,
                "鉴往。".repeat(40)
            ),
        );
    }
    t.build(&["--base-url", "http://127.0.0.1/branch/"]).ok();
    let shards: String = (0..)
        .map_while(|n| std::fs::read_to_string(t.out_dir().join(format!("search/b{n}.js"))).ok())
        .collect();
    assert!(shards.contains("\"鉴往\":[\""), "鉴往 is split");
    assert!(t.out_exists("search/p0.js"));

    let port = serve(t.out_dir(), "/branch/");
    let url = format!("http://127.0.0.1:{port}/branch/harness.html");
    let search = |query: &str| ask(&chrome, &t.out_dir(), "search/", &url, &[], query);
    // The title hit, then the phrase newest first: more than the first postings hold.
    let r = search("鉴往知来");
    assert_eq!(r.console, Vec::<String>::new(), "no console message");
    assert_eq!(r.status, "找到 101 条结果");
    let mut expected = vec!["/branch/news/jian/".to_string()];
    expected.extend((0..9).map(|k| format!("/branch/news/n{}/", 150 - 3 * k)));
    assert_eq!(r.links, expected);
    // 鉴往 and 知来 two apart, with a stop between: the count needs every position.
    let r = search("鉴往。知来");
    assert_eq!(r.status, "找到 101 条结果");
    assert_eq!(r.phrase, "101");
    assert_eq!(
        r.links[..3],
        [
            "/branch/news/jian/",
            "/branch/news/n150/",
            "/branch/news/n148/"
        ]
    );
}
