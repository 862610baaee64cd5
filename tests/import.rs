//! `zhanting import`: Word, WPS and LibreOffice documents and saved WeChat articles
//! (tests/fixtures/import/, made by scripts/make-import-fixtures.py) become pages a
//! build shows; every refusal says what to do and writes nothing.

mod common;

use common::{Run, SiteTest};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// `zhanting import FILE… --site site --to news` in Chinese (the fixture's first
/// section is `lectures`).
fn import(t: &SiteTest, files: &[&Path], extra: &[&str]) -> Run {
    let mut args: Vec<String> = vec!["import".into()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend(["--site".into(), "site".into()]);
    if !extra.contains(&"--to") {
        args.extend(["--to".into(), "news".into()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.run_lang(&args, "zh_CN.UTF-8")
}

fn page(t: &SiteTest, folder: &str) -> String {
    std::fs::read_to_string(t.site.join(folder).join("index.md"))
        .unwrap_or_else(|e| panic!("{folder}/index.md: {e}"))
}

/// The Markdown after the front matter.
fn body(text: &str) -> &str {
    let end = text[4..].find("\n---\n").expect("front matter") + 4 + 5;
    &text[end..]
}

const REPORT: &str = "content/news/lv-shui-she-qu-di-yi-dang-zhi-bu-qi-yi-zhu-ti-dang-ri-huo";

#[test]
fn a_word_document_becomes_a_page_with_its_pictures_and_a_report() {
    let t = SiteTest::from_fixture("basic");
    let run = import(&t, &[&fixture("styled.docx")], &[]);
    run.ok();
    let shown = fixture("styled.docx").display().to_string();
    assert_eq!(
        run.stdout,
        format!(
            "已导入 {shown} → {REPORT}/index.md\n  标题：绿水社区第一党支部“七一”主题党日活动情况报告；日期：2024-07-02（取自标题下的日期）\n  封面：01.jpg\n  7 个标题、3 张图片、2 个表格、2 个列表、1 个脚注；未导入：文本框 1 个、EMF/WMF 图片 1 张\n"
        )
    );
    // The inspection checks ran on the new page: a mistyped term, a phone number, a
    // picture without alt text.
    assert!(
        run.stderr.contains(
            "「社会主意核心价值观」疑似「社会主义核心价值观」写错：「义」写成了「意」（同音字）"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("13812345678 疑似手机号码"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("--> {REPORT}/index.md:58:1")),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!("styled_docx", page(&t, REPORT));
    // Pictures at their original resolution, in order.
    for (name, size) in [
        ("01.jpg", (1200, 900)),
        ("02.jpg", (800, 600)),
        ("03.png", (300, 200)),
    ] {
        let dims = image::image_dimensions(t.site.join(REPORT).join(name)).unwrap();
        assert_eq!(dims, size, "{name}");
    }
    let mut names: Vec<String> = std::fs::read_dir(t.site.join(REPORT))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["01.jpg", "02.jpg", "03.png", "index.md"]);
}

#[test]
fn the_same_content_without_heading_styles_or_saved_by_libreoffice_reads_the_same() {
    let t = SiteTest::from_fixture("basic");
    import(
        &t,
        &[
            &fixture("styled.docx"),
            &fixture("plain.docx"),
            &fixture("libreoffice.docx"),
        ],
        &[],
    )
    .ok();
    let styled = page(&t, REPORT);
    // An existing page is never overwritten: the same title gets -2, -3.
    let plain = page(&t, &format!("{REPORT}-2"));
    let libre = page(&t, &format!("{REPORT}-3"));
    assert_eq!(
        body(&plain),
        body(&styled),
        "WPS-style document (no heading styles)"
    );
    assert_eq!(body(&libre), body(&styled), "saved by LibreOffice");
    assert!(styled.starts_with("---\ntitle: 绿水社区第一党支部“七一”主题党日活动情况报告\ndate: 2024-07-02\ncover: 01.jpg\n---\n"));
}

#[test]
fn a_saved_wechat_article_and_the_same_page_as_mhtml() {
    let t = SiteTest::from_fixture("basic");
    let run = import(
        &t,
        &[&fixture("公众号文章.html"), &fixture("公众号文章.mhtml")],
        &["--to", "支部动态"],
    );
    run.ok();
    let folder = "content/news/lv-shui-she-qu-di-yi-dang-zhi-bu-kai-zhan-qi-yi-zhu-ti-dang";
    assert!(run.stdout.contains("  2 个标题、3 张图片、1 个表格、1 个列表；未导入：音频 1 个、未随网页保存的图片 1 张\n"), "{}", run.stdout);
    // The picture that was only an address on the web is named, never fetched.
    assert!(run.stderr.contains("有 1 张图片没有随网页保存下来，未导入（展厅不会从网上下载）：\n  https://mmbiz.qpic.cn/mmbiz_jpg/lvshui/notsaved/640?wx_fmt=jpeg&from=appmsg\n"), "{}", run.stderr);
    let html = page(&t, folder);
    insta::assert_snapshot!("wechat_html", html);
    let mhtml = page(&t, &format!("{folder}-2"));
    assert_eq!(mhtml, html);
    for name in ["01.jpg", "02.jpg", "03.gif"] {
        assert_eq!(
            std::fs::read(t.site.join(folder).join(name)).unwrap(),
            std::fs::read(t.site.join(format!("{folder}-2")).join(name)).unwrap(),
            "{name}"
        );
    }
}

/// The site's files, without zhanting's cache (loading the site keeps its checks'
/// results there).
fn sources(t: &SiteTest) -> Vec<(String, Vec<u8>)> {
    SiteTest::snapshot(&t.site)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".zhanting-cache"))
        .map(|(rel, (bytes, _))| (rel, bytes))
        .collect()
}

/// Runs `import` on `file` and checks it failed with exactly `message` (the error's
/// first three lines) and wrote nothing into the site.
fn refused(file: &Path, lang: &str, message: &str) {
    let t = SiteTest::from_fixture("basic");
    let before = sources(&t);
    let args = ["import", &file.display().to_string(), "--site", "site"];
    let run = t.run_lang(&args, lang);
    run.failed();
    let shown = file.display().to_string();
    let first: Vec<&str> = run.stderr.lines().take(3).collect();
    assert_eq!(
        first.join("\n"),
        message.replace("FILE", &shown),
        "{}",
        run.stderr
    );
    assert_eq!(sources(&t), before, "nothing may be written");
}

#[test]
fn what_cannot_be_imported_is_refused_with_what_to_do_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("报告.docx");
    let whole = std::fs::read(fixture("styled.docx")).unwrap();
    std::fs::write(&broken, &whole[..whole.len() / 3]).unwrap();
    let page = tmp.path().join("网页.html");
    std::fs::write(
        &page,
        "<html><head><title>新闻</title></head><body><p>不是公众号文章</p></body></html>",
    )
    .unwrap();

    refused(&broken, "zh_CN.UTF-8", "错误：FILE 已损坏：不是完整的 .docx 文件（zip 压缩包无法读取）\n--> FILE\n = 提示：请用 WPS 或 Word 打开：能打开就「文件 → 另存为」.docx 后导入新文件；打不开请重新索取文件（下载或拷贝可能没有完成）");
    refused(&broken, "C.UTF-8", "error: FILE is damaged: it is not a complete .docx file (its zip cannot be read)\n--> FILE\n = hint: open it in WPS or Word: if it opens, save it again as .docx (文件 → 另存为) and import the new file; else ask for the file again (a download or a copy may have been cut short)");
    refused(&fixture("encrypted.docx"), "zh_CN.UTF-8", "错误：FILE 设置了打开密码，无法读取\n--> FILE\n = 提示：请输入密码打开文档，取消密码并保存后再导入：WPS 中点「文件 → 文档加密 → 密码加密」，清空密码；Word 中点「文件 → 信息 → 保护文档 → 用密码进行加密」，清空密码");
    refused(&fixture("encrypted.docx"), "C.UTF-8", "error: FILE is protected by a password: zhanting cannot read it\n--> FILE\n = hint: open it with its password and remove the password, save, then import again: in WPS, 文件 → 文档加密 → 密码加密, empty both boxes; in Word, 文件 → 信息 → 保护文档 → 用密码进行加密, empty the box");
    let save_as_zh = "请用 WPS 或 Word 打开它，另存为 .docx 后再导入：WPS 中点「文件 → 另存为」，文件类型选「Word 文件（*.docx）」；Word 中点「文件 → 另存为」，保存类型选「Word 文档（*.docx）」";
    refused(&fixture("renamed.docx"), "zh_CN.UTF-8", &format!("错误：FILE 其实是旧版 Word 文档（.doc），只是扩展名被改成了 .docx：改扩展名不会改变文件格式\n--> FILE\n = 提示：{save_as_zh}"));
    refused(&fixture("renamed.docx"), "C.UTF-8", "error: FILE is an old Word document (.doc) renamed to .docx: renaming a file does not change its format\n--> FILE\n = hint: open it in WPS or Word and save it as .docx: in WPS, 文件 → 另存为, file type 「Word 文件（*.docx）」; in Word, 文件 → 另存为, type 「Word 文档（*.docx）」; then import the new file");
    refused(&fixture("old.doc"), "zh_CN.UTF-8", &format!("错误：FILE 是旧版 Word 或 WPS 文档（.doc、.wps），展厅无法直接读取\n--> FILE\n = 提示：{save_as_zh}"));
    refused(
        &fixture("empty.docx"),
        "zh_CN.UTF-8",
        "错误：FILE 是空文档：没有文字，也没有图片\n--> FILE\n = 提示：请确认选对了文件",
    );
    refused(&fixture("empty.docx"), "C.UTF-8", "error: FILE is empty: it has no text and no pictures\n--> FILE\n = hint: check that this is the right file");
    refused(&page, "zh_CN.UTF-8", "错误：FILE 不是保存下来的微信公众号文章：找不到正文（#js_content）\n--> FILE\n = 提示：请在电脑浏览器中打开文章（从微信复制文章链接），等所有图片都显示出来后按 Ctrl+S，保存类型选「网页，全部」（.html）或「网页，单个文件」（.mhtml）");
    refused(&page, "C.UTF-8", "error: FILE is not a saved WeChat article: it has no article body (#js_content)\n--> FILE\n = hint: open the article in a computer's browser (copy its link from WeChat), wait until every picture shows, press Ctrl+S and save as 「网页，全部」 (.html) or 「网页，单个文件」 (.mhtml)");
}

#[test]
fn an_unknown_section_lists_the_sections_and_a_title_names_one() {
    let t = SiteTest::from_fixture("basic");
    let run = import(&t, &[&fixture("styled.docx")], &["--to", "xinwen"]);
    run.failed();
    assert!(
        run.stderr
            .starts_with("错误：站点中没有栏目 `xinwen`\n = 提示：请用 --to 指定已有的栏目："),
        "{}",
        run.stderr
    );
    let sections: Vec<String> = std::fs::read_dir(t.site.join("content"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for s in &sections {
        assert!(
            run.stderr.contains(s.as_str()),
            "{s} not listed: {}",
            run.stderr
        );
    }
}

/// The text of the page's article body and the tags that matter, in order.
fn outline(html: &str) -> Vec<String> {
    let start = html
        .find("<div class=\"prose\">")
        .expect("the article's body");
    let end = start + html[start..].find("</article>").unwrap();
    let prose = &html[start..end];
    let tag = regex::Regex::new(r#"<(h[2-6])[^>]*>(.*?)</h[2-6]>|<(table)|<(ul|ol)>|<strong>(.*?)</strong>|<img [^>]*alt="([^"]*)""#).unwrap();
    let strip = regex::Regex::new(r"<[^>]+>").unwrap();
    tag.captures_iter(prose)
        .map(|c| {
            if let Some(h) = c.get(1) {
                format!("{} {}", h.as_str(), strip.replace_all(&c[2], ""))
            } else if c.get(3).is_some() {
                "table".into()
            } else if let Some(l) = c.get(4) {
                l.as_str().into()
            } else if let Some(s) = c.get(5) {
                format!("strong {}", s.as_str())
            } else {
                format!("img {}", &c[6])
            }
        })
        .collect()
}

#[test]
fn an_imported_page_builds_with_its_headings_table_lists_bold_and_pictures_in_order() {
    let t = SiteTest::from_fixture("basic");
    // The author's name has a character outside the booklet's fonts (䶮, U+4DAE): the
    // booklet is not this test's business.
    let yaml = std::fs::read_to_string(t.site.join("site.yaml")).unwrap();
    t.file("site.yaml", &format!("{yaml}documents: false\n"));
    import(
        &t,
        &[&fixture("plain.docx"), &fixture("公众号文章.html")],
        &[],
    )
    .ok();
    t.build(&["--no-boards"]).ok();
    let report = t.out("news/lv-shui-she-qu-di-yi-dang-zhi-bu-qi-yi-zhu-ti-dang-ri-huo/index.html");
    let mut shown = outline(&report);
    // The logo has no alt text (the checks said so): the build names it by its file.
    let last = shown.pop().unwrap_or_default();
    assert!(last.starts_with("img "), "{last}");
    assert_eq!(
        shown,
        [
            "strong 重温入党誓词 践行初心使命",
            "h2 一、活动开展情况",
            "h3 （一）重温入党誓词",
            "img 全体党员在党旗下重温入党誓词",
            "h3 （二）开展志愿服务",
            "h4 1.清扫楼道",
            "img 党员志愿者清扫楼道",
            "h4 2.走访慰问",
            "ul",
            "h2 二、参与情况",
            "table",
            "table",
            "h2 三、下一步打算",
            "ol",
        ]
    );
    assert!(report.contains("<a href=\"https://www.12371.cn/\">共产党员网</a>"));
    assert!(report.contains("<th colspan=\"3\">2024年上半年活动统计</th>"));
    let article =
        t.out("news/lv-shui-she-qu-di-yi-dang-zhi-bu-kai-zhan-qi-yi-zhu-ti-dang/index.html");
    assert!(article.contains("作者：陈䶮"), "the author is shown");
    // The article opens with its cover picture: shown once, as the cover.
    assert_eq!(
        outline(&article),
        [
            "strong 重温入党誓词 践行初心使命",
            "h2 一、重温入党誓词",
            "img 支部书记领誓",
            "h2 二、志愿服务进楼院",
            "ul",
            "strong 12",
            "table",
            "img 03",
        ]
    );
    assert!(article.contains("class=\"article-cover\""));
}

#[test]
fn a_missing_file_or_a_folder_without_site_yaml_says_what_to_do() {
    let t = SiteTest::from_fixture("basic");
    let before = sources(&t);
    let run = t.run_lang(&["import", "报告.docx", "--site", "site"], "zh_CN.UTF-8");
    run.failed();
    assert!(
        run.stderr.starts_with(
            "错误：找不到文件 报告.docx\n--> 报告.docx\n = 提示：请检查文件名和所在文件夹是否正确"
        ),
        "{}",
        run.stderr
    );
    // Run beside the site, not in it.
    let styled = fixture("styled.docx").display().to_string();
    let run = t.run_lang(&["import", &styled], "zh_CN.UTF-8");
    run.failed();
    assert!(
        run.stderr.starts_with("错误：当前文件夹不是站点文件夹：其中没有 site.yaml\n = 提示：请进入站点文件夹再运行，或用 --site 指明站点文件夹"),
        "{}",
        run.stderr
    );
    assert_eq!(sources(&t), before, "nothing may be written");
}
