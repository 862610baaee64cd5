//! The internal link check over the whole output: a link of a generated page that leads
//! to no file or page is an error at the place it is written, and nothing is written;
//! the guide's own `logo: brand/logo.png` gives a working header image.

mod common;

use common::{assert_links_resolve, SiteTest};

#[test]
fn a_logo_outside_static_is_the_processed_picture_and_a_missing_one_is_an_error() {
    let t = SiteTest::from_fixture("photos");
    std::fs::create_dir_all(t.site.join("brand")).unwrap();
    image::RgbaImage::from_pixel(300, 300, image::Rgba([200, 20, 20, 255]))
        .save(t.site.join("brand/logo.png"))
        .unwrap();
    t.edit("site.yaml", "title:", "logo: brand/logo.png\ntitle:");
    t.build(&[]).ok();
    let home = t.out("index.html");
    let logo = regex::Regex::new(r#"<img class="masthead-logo" src="/([^"]+)""#)
        .unwrap()
        .captures(&home)
        .unwrap_or_else(|| panic!("{home}"))[1]
        .to_string();
    assert!(
        logo.starts_with("media/img/") && logo.ends_with("-300.png"),
        "{logo}"
    );
    assert!(t.out_exists(&logo), "{logo} is written");
    assert!(home.contains(&format!(r#"<link rel="icon" href="/{logo}">"#)));
    assert_links_resolve(&t.out_dir(), "/", false);

    t.edit(
        "site.yaml",
        "logo: brand/logo.png",
        "logo: brand/emblem.png",
    );
    let run = t.build(&[]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: logo: file `brand/emblem.png` not found\n --> site.yaml:1:7\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_link_in_a_pages_html_is_an_error_at_its_line_and_nothing_is_written() {
    let t = SiteTest::from_fixture("basic");
    let run = t.rebuild_fails(|t| {
        t.edit(
            "content/about.md",
            "\n---\n",
            "\n---\n见<a href=\"/branch/news/gone/\">旧报道</a>与<img src=\"/branch/media/gone.png\" alt=\"旧图\">。\n",
        );
    });
    assert!(
        run.stderr.contains("error: broken link `/branch/news/gone/` on /about/: it leads to no file or page of the output\n --> content/about.md:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: broken link `/branch/media/gone.png` on /about/: it leads to no file or page of the output"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("hint: correct the address, or add the page or file it names"));
    // In Chinese.
    let zh = t.run_lang(&["build", "site"], "zh_CN.UTF-8");
    assert!(
        zh.stderr.contains(
            "错误：/about/ 上的链接 `/branch/news/gone/` 已失效：输出中没有它指向的文件或页面"
        ),
        "{}",
        zh.stderr
    );
}

#[test]
fn a_broken_menu_entry_is_one_error_for_every_page_at_its_line_of_site_yaml() {
    let t = SiteTest::from_fixture("basic");
    let run = t.rebuild_fails(|t| {
        t.edit(
            "site.yaml",
            "organization:",
            "nav:\n  - { title: 首页, url: / }\n  - { title: 旧栏目, url: /jiu-lan-mu/ }\norganization:",
        );
    });
    let errors = run.stderr.matches("error: broken link").count();
    assert_eq!(errors, 1, "{}", run.stderr);
    // Every page with the menu (all but the 大屏 screen): the home page and 21 others.
    assert!(
        run.stderr.contains("error: broken link `/branch/jiu-lan-mu/` on / and 21 other pages: it leads to no file or page of the output\n --> site.yaml:6:24\n  |\n6 |   - { title: 旧栏目, url: /jiu-lan-mu/ }\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_link_without_the_base_path_or_offline_from_the_root_names_the_template() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p><a href=\"/news/\">新闻</a></p>\n{% endblock %}\n",
    );
    let run = t.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("error: broken link `/news/` on /404.html: it leads to no file or page of the output\n --> templates/404.html:3:13\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: the site is published under /branch/: write the site path in Markdown ([新闻](/news/)) or url('/news/') in a template"),
        "{}",
        run.stderr
    );
    // Written as the guide says, it works online and offline.
    t.edit(
        "templates/404.html",
        "href=\"/news/\"",
        "href=\"{{ url('/news/') }}\"",
    );
    t.build(&[]).ok();
    t.build(&["--offline"]).ok();
    // Offline, a link from the root leads nowhere.
    t.edit(
        "templates/404.html",
        "{{ url('/news/') }}",
        "/news/index.html",
    );
    let run = t.build(&["--offline"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: broken link `/news/index.html` on /404.html"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("hint: an --offline build opens from a folder"));
}

#[test]
fn check_finds_broken_links_too() {
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/about.md",
        "\n---\n",
        "\n---\n<a href=\"../gone/\">旧</a>\n",
    );
    let run = t.run(&["check", "site"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: broken link `../gone/` on /about/"),
        "{}",
        run.stderr
    );
    assert!(!t.out_exists("index.html"));
}

#[test]
fn a_portal_checks_links_across_branches_naming_the_branch_file() {
    let t = SiteTest::from_fixture("portal");
    // A link to another branch's page: fine when it is there, an error when it is not.
    t.edit(
        "branches/yi/content/about.md",
        "关于正文",
        "见<a href=\"/dangwei/er/\">二支部</a>与<a href=\"/dangwei/si/\">四支部</a>。关于正文",
    );
    let run = t.build(&["--no-boards"]);
    run.failed();
    assert!(
        run.stderr.contains("error: broken link `/dangwei/si/` on /yi/about/: it leads to no file or page of the output\n --> branches/yi/content/about.md:4:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error: broken link").count(),
        1,
        "{}",
        run.stderr
    );
}
