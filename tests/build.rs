//! Building fixture sites and checking the files produced.

mod common;

use common::{assert_links_resolve, links, SiteTest};
use std::path::Path;

#[test]
fn url_layout_of_a_small_site() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    for f in [
        "index.html",
        "404.html",
        "brand/index.html",
        "brand/wei-dangke/index.html",
        "brand/wei-huo-dong/index.html",
        "achievements/index.html",
        "news/index.html",
        "news/page/2/index.html",
        "news/qi-yi-zhu-ti-dang-ri/index.html",
        "news/second/index.html",
        "lectures/first/index.html",
        "about/index.html",
        "tags/index.html",
        "tags/zhu-ti-dang-ri/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "hello.txt",
        "assets/zhanting.css",
    ] {
        assert!(t.out_exists(f), "missing {f}");
    }
    // Three dated news pages, two per list page.
    assert!(!t.out_exists("news/page/3/index.html"));
    assert!(
        !t.out_exists("news/draft/index.html"),
        "drafts are left out"
    );
    assert!(
        !t.out_exists("media/content/news/img/photo.png"),
        "originals are not published"
    );
    let images: Vec<String> = std::fs::read_dir(t.out_dir().join("media/img"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        images.iter().any(|n| n.ends_with("-8.jpg"))
            && images.iter().any(|n| n.ends_with("-8.webp")),
        "{images:?}"
    );
}

#[test]
fn pinyin_slugs_and_unicode_slugs() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    assert!(t.out_exists("news/qi-yi-zhu-ti-dang-ri/index.html"));
    t.file(
        "site.yaml",
        &format!(
            "{}slugs: unicode\n",
            std::fs::read_to_string(t.site.join("site.yaml")).unwrap()
        ),
    );
    t.build(&[]).ok();
    assert!(t.out_exists("news/七一主题党日/index.html"));
    assert!(t.out_exists("tags/主题党日/index.html"));
    assert!(
        !t.out_exists("news/qi-yi-zhu-ti-dang-ri/index.html"),
        "stale output removed"
    );
    let home = t.out("index.html");
    assert!(
        home.contains("/branch/news/%E4%B8%83%E4%B8%80%E4%B8%BB%E9%A2%98%E5%85%9A%E6%97%A5/"),
        "links are percent-encoded"
    );
}

#[test]
fn pagination_is_newest_first_with_links_between_pages() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let p1 = t.out("news/index.html");
    let p2 = t.out("news/page/2/index.html");
    assert!(p1.find("开展“七一”主题党日活动").unwrap() < p1.find("&lt;script&gt;").unwrap());
    assert!(!p1.contains("第三篇"));
    assert!(p2.contains("第三篇"));
    assert!(p1.contains(r#"href="/branch/news/page/2/" rel="next""#));
    assert!(p2.contains(r#"href="/branch/news/" rel="prev""#));
    assert!(
        p1.contains("栏目介绍"),
        "the section's own text is on its first page"
    );
    assert!(!p2.contains("栏目介绍"));
    // sort_by: weight
    let lectures = t.out("lectures/index.html");
    assert!(lectures.find("第零课").unwrap() < lectures.find("第一课").unwrap());
}

#[test]
fn tags_and_pillar_pages_list_their_pages() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let tag = t.out("tags/zhu-ti-dang-ri/index.html");
    assert!(
        tag.contains("开展“七一”主题党日活动")
            && tag.contains("&lt;script&gt;alert(1)&lt;/script&gt; 标题")
    );
    assert!(t
        .out("tags/index.html")
        .contains("主题党日 <small>2</small>"));
    let pillar = t.out("brand/wei-dangke/index.html");
    assert!(
        pillar.contains("第一课") && pillar.contains("&lt;script&gt;"),
        "pillar by name and by key"
    );
    assert!(pillar.contains("微党课正文"));
    assert!(t
        .out("brand/wei-huo-dong/index.html")
        .contains("开展“七一”主题党日活动"));
    let brand = t.out("brand/index.html");
    for part in ["有名称", "有标识", "有内涵", "有载体", "有影响"] {
        assert!(brand.contains(part), "brand page shows {part}");
    }
    assert!(
        brand.contains(r#"href="/branch/news/qi-yi-zhu-ti-dang-ri/""#),
        "links in brand.yaml Markdown are rewritten"
    );
}

#[test]
fn achievements_timeline_is_sorted_by_date() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let a = t.out("achievements/index.html");
    assert!(a.find("第一件事").unwrap() < a.find("第二件事").unwrap());
    assert!(a.contains("35<small>期</small>") && a.contains("先进基层党组织"));
    let home = t.out("index.html");
    assert!(
        home.contains("「五微一体」")
            && home.contains("35<small>期</small>")
            && home.contains("先进基层党组织")
    );
}

#[test]
fn markdown_features_links_and_summaries() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let page = t.out("news/qi-yi-zhu-ti-dang-ri/index.html");
    assert!(
        page.contains(r#"<h2 id="xue-xi-yan-tao">学习研讨</h2>"#),
        "Chinese heading gets an id"
    );
    assert!(
        page.contains(r#"href="/branch/lectures/first/#xue-xi""#),
        "link to a .md source is rewritten, fragment kept"
    );
    assert!(page.contains(r#"href="/branch/about/""#));
    assert!(page.contains(r#"<picture><source type="image/webp" srcset="/branch/media/img/"#));
    assert!(page.contains(r#"alt="合影" loading="lazy"></picture>"#));
    assert!(
        page.contains("<table>")
            && page.contains("<del>删除</del>")
            && page.contains(r#"type="checkbox""#)
            && (page.contains(r#"aria-label="已完成""#) || page.contains(r#"aria-label="未完成""#)),
        "task list boxes say what they show"
    );
    assert!(page.contains("footnote-definition"));
    assert!(
        t.out("about/index.html").contains(r#"href="/branch/""#),
        "a site path is put under the base path"
    );
    // Summary: the first paragraph, as text.
    let list = t.out("news/index.html");
    assert!(list.contains("全体党员赴井冈山开展主题党日活动。这是第一段的第二句。"));
    assert!(
        list.contains("手写的摘要 &lt;b&gt;不是标签&lt;/b&gt;"),
        "a summary is text, escaped"
    );
}

#[test]
fn titles_are_escaped() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let page = t.out("news/second/index.html");
    assert!(page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; 标题"));
    assert!(!page.contains("<script>alert(1)"));
    assert!(t.out("feed.xml").contains("&lt;script&gt;"));
}

#[test]
fn drafts_only_with_the_flag() {
    let t = SiteTest::from_fixture("basic");
    t.build(&["--drafts"]).ok();
    assert!(t.out("news/draft/index.html").contains("草稿"));
    t.build(&[]).ok();
    assert!(
        !t.out_exists("news/draft/index.html"),
        "removed again without --drafts"
    );
}

#[test]
fn feed_and_sitemap_are_well_formed_with_absolute_urls() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let feed = t.out("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed.xml is XML");
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 3, "dated pages of sections only");
    let first_link = entries[0]
        .descendants()
        .find(|n| n.has_tag_name("link"))
        .unwrap()
        .attribute("href")
        .unwrap();
    assert_eq!(
        first_link,
        "https://example.org/branch/news/qi-yi-zhu-ti-dang-ri/"
    );
    assert!(feed.contains("<updated>2024-07-01T00:00:00+08:00</updated>"));
    let sitemap = t.out("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/branch/about/"));
    assert!(
        sitemap.contains("<url><loc>https://example.org/branch/news/qi-yi-zhu-ti-dang-ri/</loc><lastmod>2024-07-01</lastmod></url>"),
        "a dated page has its day as lastmod: {sitemap}"
    );
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://example.org/branch/")));
    assert_eq!(
        t.out("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/branch/sitemap.xml\n"
    );
}

#[test]
fn feed_can_be_turned_off() {
    let t = SiteTest::from_fixture("basic");
    t.edit("site.yaml", "organization:", "feed: false\norganization:");
    t.build(&[]).ok();
    assert!(!t.out_exists("feed.xml"));
    assert!(!t.out("index.html").contains("feed.xml"));
}

#[test]
fn pages_have_lang_alt_and_filing_links() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    let img = regex::Regex::new(r"<img\b[^>]*>").unwrap();
    for page in [
        "index.html",
        "news/qi-yi-zhu-ti-dang-ri/index.html",
        "brand/index.html",
        "404.html",
    ] {
        let html = t.out(page);
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\" itemscope itemtype=\"https://schema.org/WebPage\">"),
            "{page}"
        );
        for tag in img.find_iter(&html) {
            assert!(tag.as_str().contains(" alt=\""), "{page}: {}", tag.as_str());
        }
        assert!(
            html.contains(r#"<a href="https://beian.miit.gov.cn/""#),
            "{page}: ICP link"
        );
        assert!(
            html.contains("https://beian.mps.gov.cn/#/query/webSearch?code=11010502030000"),
            "{page}: police filing link"
        );
        assert!(
            !html.contains("http://") && !links(&html).iter().any(|l| l.starts_with("//")),
            "{page}: no external resource"
        );
    }
}

#[test]
fn every_link_resolves_under_a_base_path() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    assert_links_resolve(&t.out_dir(), "/branch/", false);
    t.build(&["--base-url", "https://other.example/a/b/"]).ok();
    assert!(t
        .out("index.html")
        .contains(r#"href="/a/b/assets/zhanting.css""#));
    assert_links_resolve(&t.out_dir(), "/a/b/", false);
}

#[test]
fn offline_links_are_relative_and_resolve() {
    let t = SiteTest::from_fixture("basic");
    t.build(&["--offline"]).ok();
    let page = t.out("news/qi-yi-zhu-ti-dang-ri/index.html");
    assert!(page.contains(r#"href="../../assets/zhanting.css""#));
    assert!(page.contains(r#"href="../../lectures/first/index.html#xue-xi""#));
    assert!(!page.contains("rel=\"canonical\""));
    assert_links_resolve(&t.out_dir(), "/", true);
}

#[test]
fn the_example_site_builds_with_every_link_resolving() {
    let t = SiteTest::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"));
    let run = t.build(&[]);
    run.ok();
    // The one warning: the example's base_url is a placeholder, so the QR codes of its
    // roll-up and banner lead nowhere.
    assert_eq!(
        run.stderr.matches("warning:").count(),
        1,
        "no other warning: {}",
        run.stderr
    );
    assert!(run.stderr.contains("the boards' QR codes lead nowhere"));
    assert_links_resolve(&t.out_dir(), "/lvshui/", false);
    // Valid HTML, the chat apps' itemprop tags included.
    if let Some(errors) = common::vnu_errors(&t.out_dir()) {
        assert_eq!(errors, Vec::<String>::new());
    }
    t.build(&["--offline"]).ok();
    assert_links_resolve(&t.out_dir(), "/", true);
    let dated = walkdir::WalkDir::new(t.site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert!(dated >= 14);
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let t = SiteTest::empty();
    t.run(&["init", "site"]).ok();
    for f in [
        "site.yaml",
        "brand.yaml",
        "achievements.yaml",
        "content/news/_index.md",
        "content/about.md",
        "boards/pinpai.yaml",
    ] {
        assert!(t.site.join(f).is_file(), "{f}");
    }
    t.run(&["check", "site"]).ok();
    t.build(&[]).ok();
    assert_eq!(
        t.out("index.html").matches("class=\"pillar-card\"").count(),
        5
    );
    assert!(t.out_exists("boards/pinpai.pdf") && t.out_exists("boards/pinpai/index.html"));
    // The starter is a Chinese site: its files explain themselves in Chinese.
    for f in [
        "site.yaml",
        "brand.yaml",
        "achievements.yaml",
        "boards/pinpai.yaml",
    ] {
        let text = std::fs::read_to_string(t.site.join(f)).unwrap();
        for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
            assert!(
                line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{f}: a comment not in Chinese: {line}"
            );
        }
    }
    // Its pillars have no reports yet: they invite a visit instead of counting none.
    let home = t.out("index.html");
    assert!(!home.contains("共 0 篇"), "{home}");
    assert!(home.contains("了解详情 ›"));
    assert!(!t.out("brand/index.html").contains("共 0 篇"));
    let again = t.run(&["init", "site"]);
    again.failed();
    assert!(again.stderr.contains("is not empty"));
}

#[test]
fn user_templates_override_the_theme_per_file() {
    let t = SiteTest::from_fixture("basic");
    t.file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<p class=\"mine\">{{ page.title }}</p>{% endblock %}");
    t.build(&[]).ok();
    let page = t.out("about/index.html");
    assert!(page.contains("<p class=\"mine\">关于我们</p>"));
    assert!(
        page.contains("class=\"masthead\""),
        "base.html still comes from the theme"
    );
    t.edit(
        "content/about.md",
        "title: 关于我们",
        "title: 关于我们\ntemplate: plain.html",
    );
    t.file("templates/plain.html", "PLAIN {{ page.title }}");
    t.build(&[]).ok();
    assert_eq!(t.out("about/index.html"), "PLAIN 关于我们");
}

#[test]
fn theme_colour_reaches_the_pages() {
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "site.yaml",
        "organization:",
        "theme: { primary: \"#1f4e9c\" }\norganization:",
    );
    t.build(&[]).ok();
    assert!(t
        .out("index.html")
        .contains("--primary:#1f4e9c;--accent:#f4b400"));
}

#[test]
fn check_writes_nothing() {
    let t = SiteTest::from_fixture("basic");
    t.run(&["check", "site"]).ok();
    assert!(!t.out_dir().exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let t = SiteTest::from_fixture("basic");
    assert_eq!(t.run(&["build", "site", "--no-such-flag"]).code, 2);
    assert_eq!(
        t.run(&["build", "site", "--base-url", "example.org"]).code,
        2
    );
    let help = t.run(&["--help"]);
    assert!(
        ["init", "build", "serve", "boards", "check"]
            .iter()
            .all(|c| help.stdout.contains(&format!("  {c} "))),
        "{}",
        help.stdout
    );
}

/// The Chinese user guide in `docs/` is a zhanting site: it builds with no warning and
/// every link of it resolves, online and offline.
#[test]
fn the_user_guide_builds_without_warnings_and_its_links_resolve() {
    let t = SiteTest::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs"));
    let run = t.build(&["--strict"]);
    run.ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_links_resolve(&t.out_dir(), "/zhanting/", false);
    t.build(&["--strict", "--offline"]).ok();
    assert_links_resolve(&t.out_dir(), "/", true);
}
