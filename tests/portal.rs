//! A committee's portal (`portal.yaml`): three small branches built in one run, their
//! links, the search over every branch, the summed statistics, a broken branch, and
//! each mistake of `portal.yaml`.

mod common;

use common::{ask, assert_links_resolve, chromium, serve_dir, SiteTest};

#[test]
fn each_branch_is_built_under_its_slug_and_every_link_resolves() {
    let t = SiteTest::from_fixture("portal");
    let run = t.build(&[]);
    run.ok();
    // A branch whose own base_url differs hears where the portal publishes it.
    assert!(
        run.stderr.contains(
            "note: in the portal this branch is published at https://example.org/dangwei/er/, not at its own base_url https://example.org/er/\n--> branches/er/site.yaml"
        ),
        "{}",
        run.stderr
    );
    // Branch three's own address is already the portal's: no note.
    assert!(
        !run.stderr.contains("branches/san/site.yaml"),
        "{}",
        run.stderr
    );
    for f in [
        "index.html",
        "branches/index.html",
        "boards/index.html",
        "search/index.html",
        "search/index.js",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "assets/zhanting.css",
        // Each branch is a whole site of its own.
        "yi/index.html",
        "yi/brand/index.html",
        "yi/photos/trip/index.html",
        "yi/search/index.js",
        "er/index.html",
        "er/boards/guanjia.pdf",
        "er/boards/guanjia/index.html",
        "san/news/hezuoshe/index.html",
        "san/feed.xml",
    ] {
        assert!(t.out_exists(f), "{f}");
    }
    // Branch pages know their address under the portal.
    assert!(t
        .out("er/news/yishi/index.html")
        .contains(r#"<link rel="canonical" href="https://example.org/dangwei/er/news/yishi/">"#));
    // Every branch page leads back to the portal.
    assert!(t
        .out("er/news/yishi/index.html")
        .contains(r#"<p class="masthead-org"><a href="/dangwei/">‹ 测试工委</a></p>"#));
    let home = t.out("index.html");
    // The brand cards: brand, slogan, branch, link; a branch without a brand says so.
    for s in [
        "「五微一体」",
        "以微见著",
        "测试支部",
        "「红色管家」",
        "小区有事管家来办",
        "第二测试支部",
        "第三测试支部",
        "品牌创建中",
        r#"href="/dangwei/er/""#,
        r#"href="/dangwei/er/brand/""#,
        "3 个党支部 · 2 个党建品牌",
    ] {
        assert!(home.contains(s), "home lacks {s}");
    }
    // The latest reports of every branch, newest first, each naming its branch.
    let latest = &home[home.find("各支部最新动态").unwrap()..];
    let first = latest.find("党员帮扶村里的合作社").unwrap();
    let second = latest.find("议事厅开会").unwrap();
    assert!(first < second, "newest first");
    assert!(
        latest[first..second].contains(r#"<a class="chip" href="/dangwei/san/">第三测试支部</a>"#)
    );
    // Album highlights, pictures under their branch.
    assert!(
        home.contains(r#"href="/dangwei/er/photos/trip/""#),
        "album of branch two"
    );
    assert!(
        home.contains("/dangwei/er/media/"),
        "its cover under the branch"
    );
    // The boards of every branch, by branch.
    let boards = t.out("boards/index.html");
    assert!(
        boards.contains("第二测试支部") && boards.contains(r#"href="/dangwei/er/boards/guanjia/""#)
    );
    assert!(boards.contains(r#"src="/dangwei/er/boards/guanjia.png""#));
    // The directory lists the three.
    let dir = t.out("branches/index.html");
    for b in ["测试支部", "第二测试支部", "第三测试支部"] {
        assert!(dir.contains(b), "{b}");
    }
    // Feed: entries of every branch, each with its branch as author.
    let feed = t.out("feed.xml");
    assert!(feed.contains("<title>议事厅开会</title>"));
    assert!(feed.contains("<author><name>第二测试支部</name></author>"));
    assert!(feed.contains("https://example.org/dangwei/san/news/hezuoshe/"));
    // The sitemap indexes the portal's pages and each branch's own sitemap.
    let sitemap = t.out("sitemap.xml");
    for loc in [
        "https://example.org/dangwei/sitemap-portal.xml",
        "https://example.org/dangwei/yi/sitemap.xml",
        "https://example.org/dangwei/er/sitemap.xml",
        "https://example.org/dangwei/san/sitemap.xml",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
    assert!(t
        .out("sitemap-portal.xml")
        .contains("<loc>https://example.org/dangwei/branches/</loc>"));
    assert!(t
        .out("er/sitemap.xml")
        .contains("<loc>https://example.org/dangwei/er/news/yishi/</loc>"));
    assert_links_resolve(&t.out_dir(), "/dangwei/", false);

    // Offline: the whole portal opens from file://.
    t.build(&["--offline"]).ok();
    assert!(t.out("index.html").contains(r#"href="er/index.html""#));
    assert!(t
        .out("er/news/yishi/index.html")
        .contains(r#"<a href="../../../index.html">‹ 测试工委</a>"#));
    assert_links_resolve(&t.out_dir(), "/", true);

    // Each branch still builds alone, as its own site.
    t.run(&["build", "site/branches/san", "-o", "alone"]).ok();
    let alone = std::fs::read_to_string(t.root.join("alone/news/hezuoshe/index.html")).unwrap();
    assert!(!alone.contains("测试工委"), "alone, no portal");
}

#[test]
fn combined_statistics_add_up() {
    let t = SiteTest::from_fixture("portal");
    t.build(&["--no-boards"]).ok();
    let home = t.out("index.html");
    let stat = |label: &str| {
        let at = home
            .find(&format!(r#"<span class="stat-label">{label}</span>"#))
            .unwrap_or_else(|| panic!("no statistic {label}"));
        let start = home[..at].rfind("<li class=\"stat\">").unwrap();
        let end = at + home[at..].find("</li>").unwrap();
        home[start..end].to_string()
    };
    // 35 + 7 + 1,000 期 from three branches.
    let lectures = stat("微党课");
    assert!(lectures.contains("1,042<small>期</small>"), "{lectures}");
    assert!(lectures.contains("3 个支部合计"), "{lectures}");
    // A rate is averaged: (90 + 95) / 2.
    let rate = stat("群众满意度");
    assert!(rate.contains("92.5<small>%</small>"), "{rate}");
    assert!(rate.contains("2 个支部平均"), "{rate}");
    // A statistic in words is not summed.
    assert!(!home.contains("荣誉称号"));
}

#[test]
fn the_portal_search_finds_a_phrase_only_branch_three_has() {
    let t = SiteTest::from_fixture("portal");
    t.build(&["--no-boards", "--base-url", "http://127.0.0.1/dangwei/"])
        .ok();
    // The index holds every branch's documents under their slugs.
    let texts: String = (0..8)
        .filter_map(|k| std::fs::read_to_string(t.out_dir().join(format!("search/t{k}.js"))).ok())
        .collect();
    for path in ["/yi/news/second/", "/er/news/yishi/", "/san/news/hezuoshe/"] {
        assert!(texts.contains(path), "{path} indexed");
    }
    let Some(chrome) = chromium() else { return };
    let port = serve_dir(t.out_dir(), "/dangwei/");
    let url = format!("http://127.0.0.1:{port}/dangwei/harness.html");
    let r = ask(&chrome, &t.out_dir(), "search/", &url, &[], "金银花合作社");
    assert_eq!(r.console, Vec::<String>::new(), "no console message");
    assert_eq!(r.status, "找到 1 条结果");
    assert_eq!(r.links, vec!["/dangwei/san/news/hezuoshe/"]);
    assert_eq!(r.metas, vec!["第三测试支部 · 工作动态 · 2026-06-01"]);
    // A word two branches have: both, each naming its branch.
    let r = ask(&chrome, &t.out_dir(), "search/", &url, &[], "议事厅");
    assert!(
        r.links.contains(&"/dangwei/er/news/yishi/".to_string()),
        "{:?}",
        r.links
    );
    assert!(
        r.metas.iter().all(|m| m.starts_with("第二测试支部")),
        "{:?}",
        r.metas
    );
    // Each branch keeps its own search, of its own pages only.
    let own = std::fs::read_to_string(t.out_dir().join("san/search/t0.js")).unwrap();
    assert!(own.contains("/news/hezuoshe/") && !own.contains("/er/"));
}

#[test]
fn one_broken_branch_fails_the_portal_and_leaves_the_output() {
    let t = SiteTest::from_fixture("portal");
    let run = t.rebuild_fails(|t| {
        t.edit(
            "branches/san/content/news/hezuoshe.md",
            "date: 2026-06-01",
            "date: 2026-13-01",
        );
        t.edit("branches/er/brand.yaml", "slogan:", "slgan:");
    });
    // Every error of every branch, each naming the branch's folder.
    assert!(
        run.stderr
            .contains("--> branches/san/content/news/hezuoshe.md:3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> branches/er/brand.yaml:2"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("slgan"), "{}", run.stderr);
}

#[test]
fn a_page_that_fails_while_written_names_its_branch() {
    let t = SiteTest::from_fixture("portal");
    let run = t.rebuild_fails(|t| {
        t.file(
            "branches/san/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ page.no_such_key.x }}{% endblock %}\n",
        );
    });
    assert!(
        run.stderr
            .contains("--> branches/san/templates/page.html:2"),
        "{}",
        run.stderr
    );
}

#[test]
fn portal_mistakes_are_errors_at_their_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "  - { path: branches/er }\n",
            "  - { path: branches/er }\n  - { path: branches/san, slug: er }\n",
            "error: the slug `er` is used by two branches\n --> portal.yaml:9:3",
        ),
        (
            "  - { path: branches/er }\n",
            "  - { path: branches/er }\n  - { path: branches/si }\n",
            "error: the branch folder branches/si does not exist\n --> portal.yaml:9:3",
        ),
        (
            "  - { path: branches/er }\n",
            "  - { path: branches/er, slug: search }\n",
            "error: the branch slug `search` is a path of the portal itself\n --> portal.yaml:8:3",
        ),
        (
            "  - { path: branches/er }\n",
            "  - { path: branches/er, slug: Er 2 }\n",
            "error: the branch slug `Er 2` is not a lower-case ASCII name\n --> portal.yaml:8:3",
        ),
        (
            "  - { path: branches/er }\n",
            "  - { path: branches/er, sulg: er }\n",
            "error: unknown key `sulg`",
        ),
        (
            "subtitle: 党建品牌矩阵\n",
            "subtitle: 党建品牌矩阵\nbase: x\n",
            "error: unknown key `base`",
        ),
        (
            "subtitle: 党建品牌矩阵\n",
            "subtitle: 党建品牌矩阵\ntheme: { primary: red }\n",
            "error: theme.primary `red` is not a colour\n --> portal.yaml:3:",
        ),
        (
            "branches:\n  - { path: branches/yi, slug: yi }\n  - { path: branches/er }\n  - { path: branches/san, slug: san }\n",
            "branches: []\n",
            "error: portal.yaml lists no branches\n --> portal.yaml:6:1",
        ),
    ];
    // One portal, built once; each mistake fails the next build, names its line and
    // leaves the output as it was, then is undone.
    let t = SiteTest::from_fixture("portal");
    t.build(&["--no-boards"]).ok();
    let before = SiteTest::snapshot(&t.out_dir());
    let portal_yaml = std::fs::read_to_string(t.site.join("portal.yaml")).unwrap();
    let fails = |break_it: &dyn Fn(&SiteTest), expected: &str| {
        break_it(&t);
        let run = t.build(&["--no-boards"]);
        run.failed();
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
        assert_eq!(SiteTest::snapshot(&t.out_dir()), before, "output untouched");
        std::fs::write(t.site.join("portal.yaml"), &portal_yaml).unwrap();
    };
    for (from, to, expected) in cases {
        fails(
            &|t| {
                t.edit("portal.yaml", from, to);
            },
            expected,
        );
    }
    fails(
        &|t| {
            t.file("branches/er/portal.yaml", "title: x\nbranches: []\n");
        },
        "error: the branch folder branches/er is itself a portal (it has portal.yaml)\n --> portal.yaml:8:3",
    );
    t.remove("branches/er/portal.yaml");
    fails(
        &|t| {
            std::fs::rename(
                t.site.join("branches/san/site.yaml"),
                t.root.join("san.yaml"),
            )
            .unwrap();
        },
        "error: the branch folder branches/san has no site.yaml\n --> portal.yaml:9:3",
    );
    std::fs::rename(
        t.root.join("san.yaml"),
        t.site.join("branches/san/site.yaml"),
    )
    .unwrap();
    t.build(&["--no-boards"]).ok();
    // No address.
    let t = SiteTest::from_fixture("portal");
    t.edit(
        "portal.yaml",
        "base_url: https://example.org/dangwei/\n",
        "",
    );
    let run = t.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("error: portal.yaml has no base_url"),
        "{}",
        run.stderr
    );
    // Chinese, for the people who use it.
    let t = SiteTest::from_fixture("portal");
    t.edit(
        "portal.yaml",
        "- { path: branches/er }",
        "- { path: branches/wu }",
    );
    let run = t.run_lang(&["build", "site"], "zh_CN.UTF-8");
    assert!(
        run.stderr.contains("错误：支部目录 branches/wu 不存在"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_photo_two_branches_hold_is_processed_once_into_the_portals_cache() {
    let t = SiteTest::from_fixture("portal");
    let run = t.build(&["--no-boards"]);
    run.ok();
    // Branch one's two pictures, and branch two's copy of one of them, made once.
    assert!(
        run.stdout.contains("Images: 2 processed, 1 from the cache"),
        "{}",
        run.stdout
    );
    let one = t.out("yi/photos/trip/index.html");
    let two = t.out("er/photos/trip/index.html");
    let name = |html: &str| {
        let at = html.find("/media/img/").unwrap() + "/media/img/".len();
        html[at..at + 16].to_string()
    };
    // The same picture, named by its content: one set of files in the portal's cache.
    assert_eq!(name(&one), name(&two));
    let cache = t.site.join(".zhanting-cache/images");
    let made: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name(&one)))
        .collect();
    assert!(!made.is_empty());
    // The branches keep no processed pictures of their own.
    for b in ["yi", "er"] {
        let own = t
            .site
            .join("branches")
            .join(b)
            .join(".zhanting-cache/images");
        let pictures = std::fs::read_dir(&own)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name() != "sources.tsv")
                    .count()
            })
            .unwrap_or(0);
        assert_eq!(pictures, 0, "{b}");
    }
    // A photo removed from both is pruned from the shared cache.
    t.remove("branches/yi/albums/trip/a.png");
    t.edit(
        "branches/yi/albums/trip/album.yaml",
        "  - { file: a.png, caption: 合影 }\n",
        "",
    );
    t.build(&["--no-boards"]).ok();
    assert!(cache.join(&made[0]).is_file(), "branch two still shows it");
    t.remove("branches/er/albums/trip/a.png");
    t.edit(
        "branches/er/albums/trip/album.yaml",
        "  - { file: a.png, caption: 与第一支部同一张照片 }\n",
        "",
    );
    t.build(&["--no-boards"]).ok();
    assert!(
        !cache.join(&made[0]).exists(),
        "pruned once no branch shows it"
    );
}

#[test]
fn the_changed_list_names_what_a_build_wrote_and_removed() {
    let t = SiteTest::from_fixture("portal");
    t.build(&["--no-boards"]).ok();
    t.edit(
        "branches/san/content/news/hezuoshe.md",
        "把山里的金银花",
        "把山里的好金银花",
    );
    t.remove("branches/er/content/news/yishi.md");
    let list = t.root.join("changed.txt");
    t.build(&["--no-boards", "--changed-list", list.to_str().unwrap()])
        .ok();
    let changed = std::fs::read_to_string(&list).unwrap();
    let lines: Vec<&str> = changed.lines().collect();
    assert!(lines.contains(&"san/news/hezuoshe/index.html"), "{changed}");
    assert!(
        lines.contains(&"er/news/yishi/index.html"),
        "removed: {changed}"
    );
    assert!(!t.out_exists("er/news/yishi/index.html"));
    // Pages that show neither are not rewritten, nor listed.
    assert!(!lines.contains(&"yi/news/second/index.html"), "{changed}");
    assert!(
        !lines.iter().any(|l| l.starts_with("yi/media/")),
        "{changed}"
    );
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "sorted");
    // Nothing changed: an empty list.
    t.build(&["--no-boards", "--changed-list", list.to_str().unwrap()])
        .ok();
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "");
}

#[test]
fn check_and_boards_take_a_portal() {
    let t = SiteTest::from_fixture("portal");
    t.run(&["check", "site"]).ok();
    assert!(!t.out_dir().exists(), "check writes nothing");
    t.edit(
        "branches/san/content/news/hezuoshe.md",
        "date: 2026-06-01",
        "date: 2026-13-01",
    );
    let run = t.run(&["check", "site"]);
    run.failed();
    assert!(
        run.stderr
            .contains("--> branches/san/content/news/hezuoshe.md:3"),
        "{}",
        run.stderr
    );
    t.edit(
        "branches/san/content/news/hezuoshe.md",
        "date: 2026-13-01",
        "date: 2026-06-01",
    );
    t.run(&["boards", "site", "--only", "er/guanjia"]).ok();
    assert!(t.out_exists("er/boards/guanjia.pdf") && t.out_exists("er/boards/guanjia.png"));
    assert!(!t.out_exists("index.html"), "only the boards");
    let run = t.run(&["boards", "site", "--only", "guanjia"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: --only guanjia names no branch's board of this portal"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("--only SLUG/BOARD; the branches are yi, er, san"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_deck_of_a_portal_is_asked_of_a_branch() {
    let t = SiteTest::from_fixture("portal");
    let run = t.run(&["deck", "site"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: site is a portal: the deck and the booklet are made for one branch"),
        "{}",
        run.stderr
    );
}
