//! Bad input: every class of error has its exact message snapshotted, and a failed build
//! leaves the previous output exactly as it was.

mod common;

use common::SiteTest;

/// Builds the fixture once, applies `break_it`, builds again: the build must fail with
/// exit 1, print nothing on stdout and leave every output file untouched. Returns stderr.
fn fails(name: &str, break_it: impl Fn(&SiteTest)) -> String {
    let run = SiteTest::from_fixture("basic").rebuild_fails(break_it);
    assert!(run.stdout.is_empty(), "{name}: nothing on stdout");
    run.stderr
}

#[test]
fn unknown_key_in_site_yaml() {
    let err = fails("unknown key", |t| {
        t.edit("site.yaml", "organization:", "titel: 拼错了\norganization:");
    });
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_key_in_front_matter() {
    let err = fails("unknown front matter key", |t| {
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date: 2024-05-01\ntag: [x]",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn ascii_quote_in_chinese_title() {
    let err = fails("ascii quote", |t| {
        t.edit(
            "content/news/third.md",
            "title: 第三篇",
            "title: \"五微一体\"品牌创建",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn impossible_and_malformed_dates() {
    let err = fails("dates", |t| {
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date: 2024-02-30",
        );
        t.edit("achievements.yaml", "date: 2019-05", "date: 2019年5月");
    });
    insta::assert_snapshot!(err);
}

#[test]
fn link_to_a_missing_page_and_image() {
    let err = fails("missing link", |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "第三篇正文。\n\n见[旧文](old.md)和![图](nope.jpg)。",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn link_to_a_draft() {
    let err = fails("draft link", |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "见[草稿](draft.md)。",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_pillar_and_album() {
    let err = fails("unknown pillar", |t| {
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date: 2024-05-01\npillar: 微阵地\nalbum: 2099-none",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn missing_cover_and_path_outside_the_site() {
    let err = fails("cover", |t| {
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date: 2024-05-01\ncover: gone.jpg",
        );
        t.edit(
            "content/lectures/zero.md",
            "weight: 1",
            "weight: 1\ncover: ../../../../etc/passwd",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn two_sources_with_the_same_output_path() {
    let err = fails("collision", |t| {
        t.file(
            "content/news/qiyi.md",
            "---\ntitle: 另一篇\ndate: 2024-01-01\nslug: qi-yi-zhu-ti-dang-ri\n---\n正文\n",
        );
    });
    insta::assert_snapshot!(err);
}

#[test]
fn missing_title_and_missing_date() {
    let err = fails("missing fields", |t| {
        t.edit(
            "content/news/third.md",
            "title: 第三篇\ndate: 2024-05-01\n",
            "title: 第三篇\n",
        );
        t.edit("content/lectures/zero.md", "title: 第零课\n", "");
    });
    insta::assert_snapshot!(err);
}

#[test]
fn every_error_in_one_run() {
    let err = fails("many", |t| {
        t.edit("brand.yaml", "motto: 小课堂", "moto: 小课堂");
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date: 2024-13-01",
        );
        t.edit(
            "content/lectures/first.md",
            "第一课正文。",
            "[坏链接](../news/nothing.md)",
        );
        t.edit("achievements.yaml", "year: 2019", "year: 二〇一九");
    });
    assert!(err.ends_with("4 errors, 0 warnings\n"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn messages_in_chinese() {
    let t = SiteTest::from_fixture("basic");
    t.edit("site.yaml", "organization:", "titel: 拼错了\norganization:");
    t.edit(
        "content/news/third.md",
        "title: 第三篇",
        "title: \"五微一体\"品牌创建",
    );
    let run = t.run_lang(&["build", "site"], "zh_CN.UTF-8");
    run.failed();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn template_error_names_the_template_and_line() {
    let err = fails("template", |t| {
        t.file("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.titel }}</p>\n{% endblock %}\n");
    });
    insta::assert_snapshot!(err);
}

#[test]
fn static_file_over_a_generated_page() {
    let err = fails("static collision", |t| {
        t.file("static/index.html", "<p>mine</p>");
    });
    insta::assert_snapshot!(err);
}

#[test]
fn missing_site_yaml_and_missing_base_url() {
    let t = SiteTest::from_fixture("basic");
    t.remove("site.yaml");
    let run = t.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("no site.yaml in site"),
        "{}",
        run.stderr
    );
    t.file("site.yaml", "title: 测试\n");
    let run = t.build(&[]);
    run.failed();
    insta::assert_snapshot!(run.stderr);
    t.build(&["--base-url", "https://example.org/"]).ok();
}

#[test]
fn check_reports_errors_and_writes_nothing() {
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/news/third.md",
        "date: 2024-05-01",
        "date: 2024-02-30",
    );
    let run = t.run(&["check", "site"]);
    run.failed();
    assert!(run.stderr.contains("`2024-02-30` is not a real date"));
    assert!(!t.out_dir().exists());
}

#[test]
fn not_utf8_is_reported() {
    let err = fails("encoding", |t| {
        std::fs::write(
            t.site.join("content/news/gbk.md"),
            b"---\ntitle: \xb5\xb3\xbd\xa8\n---\n",
        )
        .unwrap();
    });
    insta::assert_snapshot!(err);
}

/// Odd and broken files of every kind: never a panic (exit 101), always exit 0 or 1.
#[test]
fn strange_input_never_panics() {
    let cases: &[(&str, &[u8])] = &[
        ("content/news/a.md", b""),
        ("content/news/a.md", b"---"),
        ("content/news/a.md", b"---\n---\n"),
        ("content/news/a.md", b"---\ntitle: [1, 2]\n---\n"),
        ("content/news/a.md", b"---\ntitle: x\ndate: 99999-01-01\n---\n"),
        ("content/news/a.md", b"---\ntitle: x\ndate: 2024-01-01T25:61:00+08:00\n---\n"),
        ("content/news/a.md", b"---\r\ntitle: x\r\ndate: 2024-01-01\r\n---\r\n\xe4\xb8\x80\r\n"),
        ("content/news/a.md", b"---\n\ttitle: x\n---\n"),
        ("content/news/a.md", b"---\ntitle: x\ndate: 2024-01-01\ntags: [\"\", \"  \"]\n---\n[](<>)![]()[x](../../../../../../x.md)"),
        ("content/news/a.md", b"---\ntitle: x\ndate: 2024-01-01\nslug: ../../etc\n---\n"),
        ("content/news/a.md", b"\xff\xfe\x00\x00binary"),
        ("content/news/_index.md", b"---\npaginate_by: 0\nsort_by: random\n---\n"),
        ("content/_index.md", b"---\ntitle: home\n---\n"),
        ("content/a/b/_index.md", b"---\ntitle: nested\n---\n"),
        ("site.yaml", b"title: x\nbase_url: https://example.org/\ntheme: { primary: \"#zzz\" }\npaginate_by: 0\n"),
        ("site.yaml", b"- just\n- a list\n"),
        ("site.yaml", b"title: \"unterminated\n"),
        ("brand.yaml", b"name: x\npillars:\n  - name: a\n  - name: a\n"),
        ("brand.yaml", b"pillars: 3\n"),
        ("achievements.yaml", b"stats: [{ label: a, value: [1] }]\nmilestones: [{ date: 2024-02-30, title: t }]\n"),
        ("albums/trip/album.yaml", b"title: t\ncover: none.jpg\nphotos: [{ file: none.png }]\n"),
        ("templates/page.html", b"{% for %}"),
        ("templates/base.html", b"{{ url() }}"),
    ];
    for (file, bytes) in cases {
        let t = SiteTest::from_fixture("basic");
        let p = t.site.join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        let run = t.build(&[]);
        assert!(
            run.code == 0 || run.code == 1,
            "{file} {:?}: exit {}\n{}",
            String::from_utf8_lossy(bytes),
            run.code,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    }
}

/// A first build that fails leaves no output folder behind (pages are written as they are
/// made, so the half-made folder is removed).
#[test]
fn a_failed_first_build_leaves_no_output() {
    let t = SiteTest::from_fixture("basic");
    t.file("templates/tag.html", "{{ tag.nme }}");
    let run = t.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("templates/tag.html:1:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error: template error").count(),
        1,
        "reported once: {}",
        run.stderr
    );
    assert!(!t.out_dir().exists());
}

#[test]
fn help_is_in_chinese_when_lang_says_so() {
    let t = SiteTest::empty();
    for args in [&["build", "--help"][..], &["--help"], &["help", "booklet"]] {
        let zh = t.run_lang(args, "zh_CN.UTF-8");
        assert_eq!(zh.code, 0, "{}", zh.stderr);
        assert!(zh.stdout.contains("用法：zhanting"), "{}", zh.stdout);
        assert!(zh.stdout.contains("显示帮助"), "{}", zh.stdout);
        for english in ["Usage:", "Options:", "Print help", "[default:"] {
            assert!(!zh.stdout.contains(english), "{english} in\n{}", zh.stdout);
        }
    }
    let build = t.run_lang(&["build", "--help"], "zh_CN.UTF-8");
    assert!(
        build.stdout.contains("生成网站到 DIR/public"),
        "{}",
        build.stdout
    );
    assert!(
        build
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("--offline ") && l.contains("离线版")),
        "{}",
        build.stdout
    );
    let en = t.run(&["build", "--help"]);
    assert!(
        en.stdout.contains("Usage: zhanting build [OPTIONS] [DIR]"),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains("Treat warnings as errors"),
        "{}",
        en.stdout
    );
}

/// `zhanting check` on the basic fixture after `plant`, in English and in Chinese: both
/// outputs, for one snapshot.
fn slip(plant: impl Fn(&SiteTest)) -> String {
    let t = SiteTest::from_fixture("basic");
    plant(&t);
    let en = t.run(&["check", "site"]);
    let zh = t.run_lang(&["check", "site"], "zh_CN.UTF-8");
    assert_eq!(en.code, zh.code);
    format!("exit {}\n{}\n---\n{}", en.code, en.stderr, zh.stderr)
}

#[test]
fn full_width_colon_after_a_key() {
    let out = slip(|t| {
        t.edit("site.yaml", "title: 测试支部", "title：测试支部");
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date：2024-05-01",
        );
    });
    insta::assert_snapshot!(out);
}

#[test]
fn full_width_spaces_in_indentation() {
    let out = slip(|t| {
        t.edit("brand.yaml", "  - name: 微活动", "　　- name: 微活动");
    });
    insta::assert_snapshot!(out);
}

/// A Tab gives one error, and a board or slide that takes its data from the broken
/// file says nothing of it.
#[test]
fn a_tab_in_indentation_is_one_error() {
    let out = slip(|t| {
        t.edit(
            "achievements.yaml",
            "  - { label: 微党课",
            "\t- { label: 微党课",
        );
        t.file(
            "boards/a.yaml",
            "title: 展板\nblocks:\n  - { type: stats, from: achievements }\n  - { type: timeline, from: achievements }\n",
        );
        t.file("deck.yaml", "slides:\n  - type: results\n");
    });
    insta::assert_snapshot!(out);
}

#[test]
fn full_width_comma_in_a_list_and_in_braces() {
    let out = slip(|t| {
        t.edit(
            "content/news/third.md",
            "date: 2024-05-01",
            "date: 2024-05-01\ntags: [理论学习，微党课]",
        );
    });
    assert!(out.starts_with("exit 0\n"), "a warning: {out}");
    insta::assert_snapshot!(out);
    let out = slip(|t| {
        t.edit(
            "achievements.yaml",
            "{ label: 微党课, value: 35,",
            "{ label: 微党课，value: 35,",
        );
    });
    insta::assert_snapshot!("full_width_comma_in_braces", out);
}

#[test]
fn chinese_quotes_around_a_value() {
    let out = slip(|t| {
        t.edit(
            "content/news/third.md",
            "title: 第三篇",
            "title: “五微一体: 品牌创建”",
        );
    });
    insta::assert_snapshot!(out);
}

/// A misspelled key of brand.yaml is the one error: the board block and the slide that
/// take their data from brand.yaml say nothing.
#[test]
fn a_misspelled_brand_key_is_the_only_error() {
    let out = slip(|t| {
        t.edit("brand.yaml", "slogan:", "slogen:");
        t.file(
            "boards/a.yaml",
            "title: 展板\nblocks:\n  - { type: pillars, from: brand }\n",
        );
        t.file(
            "deck.yaml",
            "slides:\n  - type: meaning\n  - type: pillars\n",
        );
    });
    assert_eq!(out.matches("error: ").count(), 1, "{out}");
    insta::assert_snapshot!(out);
}

/// Every message the YAML parser can give reads in Chinese in Chinese mode: no English
/// word is left (the list is libyaml's and serde_yaml's, in `zhanting::yaml::SYNTAX`).
#[test]
fn yaml_syntax_errors_are_in_chinese() {
    for (bad, expect) in [
        ("title: a\n  b: c\n", "这里不能出现“冒号加空格”"),
        ("title: \"abc\n", "引号"),
        ("title: a\n- b\n", "这里应是一个键"),
        ("title: `x`\n", "不能出现在此处的字符"),
        ("title: \"a\\qb\"\n", "反斜杠"),
    ] {
        let t = SiteTest::from_fixture("basic");
        t.file("site.yaml", bad);
        let zh = t.run_lang(&["check", "site"], "zh_CN.UTF-8");
        let first = zh.stderr.lines().next().unwrap_or_default();
        assert!(first.contains(expect), "{bad:?}: {}", zh.stderr);
        // Words outside `code` (key names are shown as written).
        let english = first
            .split('`')
            .step_by(2)
            .flat_map(|part| part.split(|c: char| !c.is_ascii_alphabetic()))
            .any(|w| w.len() > 3 && !["YAML", "Tab"].contains(&w));
        assert!(!english, "{bad:?}: {first}");
    }
}
