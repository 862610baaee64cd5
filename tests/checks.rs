//! The inspection checks (`zhanting check` and `build`): each rule with one planted
//! defect, its exact place and message, `--strict`, and `checks.yaml`.

mod common;

use common::SiteTest;

/// `zhanting check site` on the basic fixture after `plant`: its stderr.
fn check(args: &[&str], plant: impl Fn(&SiteTest)) -> (i32, String) {
    let t = SiteTest::from_fixture("basic");
    plant(&t);
    let mut all = vec!["check", "site"];
    all.extend_from_slice(args);
    let run = t.run(&all);
    (run.code, run.stderr)
}

/// The warnings of a run (not its notes), each as its first two lines.
fn warnings(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("warning: "))
        .map(|(i, l)| format!("{l}\n{}", lines.get(i + 1).unwrap_or(&"").trim()))
        .collect()
}

#[test]
fn the_clean_fixture_has_no_warning() {
    let (code, stderr) = check(&["--strict"], |_| {});
    assert_eq!(warnings(&stderr), Vec::<String>::new(), "{stderr}");
    assert_eq!(
        code, 0,
        "a note is not a warning, even with --strict: {stderr}"
    );
}

#[test]
fn a_mistyped_fixed_formulation_is_found_with_its_place() {
    let (code, stderr) = check(&[], |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "第三篇正文。\n\n大力弘扬社会主意核心价值观。",
        );
    });
    assert_eq!(code, 0, "a warning: {stderr}");
    assert_eq!(
        warnings(&stderr),
        ["warning: 「社会主意核心价值观」 looks like a mistyped 「社会主义核心价值观」: 「意」 for 「义」 (they sound alike)\n--> content/news/third.md:7:5"]
    );
    assert!(stderr.contains("hint: write 「社会主义核心价值观」; if 「社会主意核心价值观」 is right, add it to `allow:` in checks.yaml"));
    let (code, _) = check(&["--strict"], |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "弘扬社会主意核心价值观。",
        );
    });
    assert_eq!(code, 1, "--strict turns the warning into a failure");
}

#[test]
fn the_same_text_twice_on_a_page_is_reported_at_each_place_once() {
    let (_, stderr) = check(&[], |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "按时召开组织活生会。\n\n再次召开组织活生会。",
        );
    });
    assert_eq!(
        warnings(&stderr),
        [
            "warning: 「组织活生会」 looks like a mistyped 「组织生活会」: 「生」 and 「活」 swapped\n--> content/news/third.md:5:5",
            "warning: 「组织活生会」 looks like a mistyped 「组织生活会」: 「生」 and 「活」 swapped\n--> content/news/third.md:7:5",
        ]
    );
}

#[test]
fn personal_numbers_in_pages_and_yaml_are_found_and_the_footer_contact_is_not() {
    let (code, stderr) = check(&["--strict"], |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "联系人身份证 11010519491231002X，电话 13812345678。",
        );
        t.edit(
            "brand.yaml",
            "summary: 品牌简介。",
            "summary: 品牌简介。捐款账户 6222021234567890128",
        );
        t.edit(
            "albums/trip/album.yaml",
            "caption: 合影",
            "caption: 合影 13912345678",
        );
        t.edit(
            "site.yaml",
            "  police:",
            "  contact: 书记 13912345678\n  police:",
        );
    });
    assert_eq!(
        warnings(&stderr),
        [
            "warning: 13912345678 looks like a mobile phone number: personal data must not be published\n--> albums/trip/album.yaml:4:32",
            "warning: 6222021234567890128 looks like a bank card number: personal data must not be published\n--> brand.yaml:3:20",
            "warning: 11010519491231002X looks like an ID card number (居民身份证号码): personal data must not be published\n--> content/news/third.md:5:8",
            "warning: 13812345678 looks like a mobile phone number: personal data must not be published\n--> content/news/third.md:5:30",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("hint: mask it (138****5678) or remove it"));
    assert!(stderr.contains("hint: mask it (110105********002X) or remove it"));
    assert!(stderr.contains("hint: mask it (6222***********0128) or remove it"));
    assert_eq!(code, 1);
}

#[test]
fn markdown_images_need_alt_text_and_headings_descend_in_order() {
    let (_, stderr) = check(&[], |t| {
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "## 活动\n\n#### 细节\n\n![](img/x.png)\n\n```\n# 代码里的不算\n```",
        );
    });
    let w = warnings(&stderr);
    assert_eq!(
        w,
        [
            "warning: the heading jumps to level 4 after level 2: headings must descend in order\n--> content/news/third.md:7:1",
            "warning: the image has no alt text: screen readers cannot say what it shows\n--> content/news/third.md:9:1",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("hint: start it with ### (the page title is the only level-1 heading)"));
}

#[test]
fn a_public_site_needs_its_icp_number_and_a_police_number_that_links() {
    let (_, stderr) = check(&[], |t| {
        t.edit(
            "site.yaml",
            "https://example.org/branch/",
            "https://dangjian.lvshui.cn/",
        );
        t.edit("site.yaml", "  icp: 京ICP备12345678号-1\n", "");
        t.edit("site.yaml", "京公网安备 11010502030000号", "京公网安备");
    });
    assert_eq!(
        warnings(&stderr),
        [
            "warning: https://dangjian.lvshui.cn/ is a public address but site.yaml has no `footer.icp`: a website hosted in mainland China must show its ICP 备案 number\n--> site.yaml:3:1",
            "warning: `footer.police` (京公网安备) holds no 14-digit record number: its link to the 公安备案 lookup cannot name the site\n--> site.yaml:6:3",
        ],
        "{stderr}"
    );
    // example.org is a documentation address: no 备案 expected.
    let (_, stderr) = check(&[], |t| {
        t.edit("site.yaml", "  icp: 京ICP备12345678号-1\n", "");
    });
    assert_eq!(warnings(&stderr), Vec::<String>::new(), "{stderr}");
}

#[test]
fn a_light_theme_colour_is_warned_and_darkened_for_text() {
    let (_, stderr) = check(&[], |t| {
        t.edit(
            "site.yaml",
            "organization:",
            "theme: { accent: \"#ffcc00\" }\norganization:",
        );
    });
    assert_eq!(
        warnings(&stderr),
        ["warning: theme.accent #ffcc00 on white has a contrast of 1.51:1, under the 4.5:1 that WCAG AA asks of text\n--> site.yaml:4:10"],
        "{stderr}"
    );
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "site.yaml",
        "organization:",
        "theme: { accent: \"#ffcc00\" }\norganization:",
    );
    t.build(&[]).ok();
    let html = t.out("index.html");
    assert!(
        html.contains("--accent:#ffcc00"),
        "the brand colour stays for fills"
    );
    assert!(
        html.contains("--accent-text:#8f7200"),
        "text gets a darker shade: {}",
        &html[..html.find("</style>").unwrap_or(0)]
    );
}

#[test]
fn the_brand_lacking_part_of_the_five_is_a_note() {
    let (code, stderr) = check(&["--strict"], |_| {});
    assert!(
        stderr.contains("note: the brand lacks part of the 五有 (name, emblem, meaning, carriers, impact): 标识 (logo with logo_meaning)"),
        "{stderr}"
    );
    assert_eq!(code, 0);
    let t = SiteTest::from_fixture("basic");
    let zh = t.run_lang(&["check", "site"], "zh_CN.UTF-8");
    assert!(
        zh.stderr.contains(
            "说明：品牌“五有”（名称、标识、内涵、载体、影响）尚缺：标识（logo 及 logo_meaning）"
        ),
        "{}",
        zh.stderr
    );
}

#[test]
fn checks_yaml_adds_terms_allows_texts_and_turns_rules_off() {
    let (_, stderr) = check(&[], |t| {
        t.file(
            "checks.yaml",
            "checks:\n  names: [龙泉驿区机关工委]\n  terms: [党建引领网格治理]\n  allow: [组织活生会]\n  off: [mobile]\n",
        );
        t.edit(
            "content/news/third.md",
            "第三篇正文。",
            "龙泉驿区机关公委，龙泉驿区机关委，党建引领网格治里，组织活生会，13812345678。",
        );
    });
    assert_eq!(
        warnings(&stderr),
        [
            "warning: 「龙泉驿区机关公委」 looks like a mistyped 「龙泉驿区机关工委」: 「公」 for 「工」 (they sound alike)\n--> content/news/third.md:5:1",
            "warning: 「龙泉驿区机关委」 looks like a mistyped 「龙泉驿区机关工委」: 「工」 missing\n--> content/news/third.md:5:10",
            "warning: 「党建引领网格治里」 looks like a mistyped 「党建引领网格治理」: 「里」 for 「理」 (they sound alike)\n--> content/news/third.md:5:18",
        ],
        "{stderr}"
    );
}

#[test]
fn an_unknown_key_in_checks_yaml_is_an_error_with_its_line() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "checks.yaml",
        "checks:\n  terms: [龙泉驿区机关工委]\n  alow: [x]\n",
    );
    let run = t.run(&["check", "site"]);
    run.failed();
    assert!(run.stderr.contains("--> checks.yaml:3:3"), "{}", run.stderr);
    let t = SiteTest::from_fixture("basic");
    t.file("checks.yaml", "checks:\n  off: [spelling]\n");
    let run = t.run(&["check", "site"]);
    run.failed();
    assert!(run.stderr.contains("checks.yaml:2"), "{}", run.stderr);
}

/// Files the checks found clean are remembered (`.zhanting-cache/checks/clean`) and not
/// checked again while unchanged; a file with findings is checked, and warned about,
/// every time; an edit that plants a defect in a remembered file is found.
#[test]
fn clean_files_are_remembered_and_findings_are_shown_every_time() {
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "content/news/third.md",
        "第三篇正文。",
        "第三篇正文。\n\n大力弘扬社会主意核心价值观。",
    );
    let expected = ["warning: 「社会主意核心价值观」 looks like a mistyped 「社会主义核心价值观」: 「意」 for 「义」 (they sound alike)\n--> content/news/third.md:7:5"];
    assert_eq!(warnings(&t.run(&["check", "site"]).stderr), expected);
    let record = std::fs::read_to_string(t.site.join(".zhanting-cache/checks/clean")).unwrap();
    assert!(record.starts_with("zhanting-checks-v1 "), "{record}");
    assert!(record.contains("\tcontent/about.md\n"), "{record}");
    assert!(!record.contains("third.md"), "{record}");
    assert_eq!(warnings(&t.run(&["check", "site"]).stderr), expected);
    // A defect planted in a file the record holds as clean.
    t.edit(
        "content/about.md",
        "关于正文，",
        "关于正文，身份证 11010519491231002X，",
    );
    let stderr = t.run(&["check", "site"]).stderr;
    assert_eq!(warnings(&stderr).len(), 2, "{stderr}");
    assert!(stderr.contains("--> content/about.md"), "{stderr}");
}
