//! The 展评 deck and the 成果汇编 booklet, checked with poppler's tools: page sizes,
//! embedded fonts, the text of every pillar, statistic and report, and a table of
//! contents whose page numbers lead to their reports; each mistake by its exact message.

mod common;

use common::{pdf_text as text, poppler, squeeze, tool, SiteTest};
use std::path::{Path, PathBuf};
use std::process::Command;

fn pages(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn page_size(info: &str) -> (f64, f64) {
    let line = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap();
    let v: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (v[0], v[1])
}

/// Every font of the PDF is embedded.
fn fonts_embedded(pdf: &Path) {
    let fonts = tool("pdffonts", &[], pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {row}");
    }
}

fn example() -> SiteTest {
    SiteTest::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"))
}

/// (title, year) of every dated Markdown page of the site, read from front matter.
fn dated_titles(site: &Path) -> Vec<(String, i32)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(site.join("content")) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        if let (Some(title), Some(date)) = (field("title"), field("date")) {
            out.push((title, date[..4].parse().unwrap()));
        }
    }
    out
}

#[test]
fn example_deck_is_16_9_with_every_pillar_a_statistic_and_the_notes() {
    if !poppler() {
        return;
    }
    let t = example();
    let run = t.run(&["deck", "site", "-o", "docs"]);
    run.ok();
    let deck = t.root.join("docs/deck.pdf");
    assert!(run.stdout.contains("deck.pdf"), "{}", run.stdout);
    let info = tool("pdfinfo", &[], &deck);
    let (w, h) = page_size(&info);
    assert!((w - 960.0).abs() < 0.1 && (h - 540.0).abs() < 0.1, "{info}");
    fonts_embedded(&deck);
    let all = text(&deck, None);
    for pillar in ["微党课", "微活动", "微阵地", "微行动", "微服务"] {
        assert!(all.contains(pillar), "{pillar} missing from the deck");
    }
    assert!(all.contains("3,200"), "a statistic is missing: {all}");
    assert!(all.contains("「五微一体」") && all.contains("以微见著"));
    assert!(all.contains("下一步打算") && all.contains("深化载体"));
    // deck.yaml's order: cover, meaning, five pillars, results, milestones, photos,
    // the free slide, closing.
    assert_eq!(pages(&info), 12, "{info}");
    assert!(text(&deck, Some((8, 8))).contains("建设成效"));
    assert!(text(&deck, Some((11, 11))).contains("下一步打算"));
    assert!(text(&deck, Some((12, 12))).contains("扫码访问品牌展厅"));
    // The speaker's script: A4, with each note.
    let notes = t.root.join("docs/deck-notes.pdf");
    let info = tool("pdfinfo", &[], &notes);
    assert!(info.contains("(A4)"), "{info}");
    fonts_embedded(&notes);
    let script = text(&notes, None);
    assert!(
        script.contains(&squeeze("我代表绿水社区第一党支部")),
        "{script}"
    );
    assert!(script.contains(&squeeze("让每一名党员都成为社区里的一面旗帜")));

    // Again: from the cache.
    let again = t.run(&["deck", "site", "-o", "docs"]);
    again.ok();
    assert!(
        again.stdout.contains("Unchanged, from the cache"),
        "{}",
        again.stdout
    );
}

/// The physical page a printed page number of the body is on: the body counts from 1
/// after the cover and the contents, and the last page carries its number.
fn body_offset(pdf: &Path, total: usize) -> usize {
    let last = text(pdf, Some((total, total)));
    let n: usize = last
        .rsplit('—')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no page number on the last page: {last}"));
    total - n
}

/// The entries of the table of contents: (title, page), from `pdftotext -layout`: a
/// title, the dotted leader (a rule, no text), and the page number.
fn contents(pdf: &Path, page: usize) -> Vec<(String, usize)> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (title, n) = l.trim_end().rsplit_once("   ")?;
            Some((squeeze(title), n.trim().parse().ok()?))
        })
        .collect()
}

#[test]
fn example_booklet_holds_every_report_of_the_year_and_its_contents_lead_to_them() {
    if !poppler() {
        return;
    }
    let t = example();
    for year in [2025, 2026] {
        let run = t.run(&["booklet", "site", "--year", &year.to_string(), "-o", "docs"]);
        run.ok();
        let pdf: PathBuf = t.root.join(format!("docs/booklet-{year}.pdf"));
        let info = tool("pdfinfo", &[], &pdf);
        assert!(info.contains("(A4)"), "{info}");
        fonts_embedded(&pdf);
        let fonts = tool("pdffonts", &[], &pdf);
        assert!(
            fonts.contains("NotoSerifCJKsc-Regular"),
            "body not in the serif: {fonts}"
        );
        let all = text(&pdf, None);
        assert!(all.contains("「五微一体」党建品牌成果汇编"));
        let titles: Vec<String> = dated_titles(&t.site)
            .into_iter()
            .filter(|(_, y)| *y == year)
            .map(|(title, _)| squeeze(&title))
            .collect();
        assert!(!titles.is_empty());
        for title in &titles {
            assert!(all.contains(title.as_str()), "{title} missing from {year}");
        }
        // Each report of the contents starts on the page the contents name.
        let total = pages(&info);
        let offset = body_offset(&pdf, total);
        let entries: Vec<(String, usize)> = (2..=offset).flat_map(|p| contents(&pdf, p)).collect();
        let reports: Vec<&(String, usize)> = entries
            .iter()
            .filter(|(title, _)| titles.iter().any(|t| t.starts_with(title.as_str())))
            .collect();
        assert_eq!(reports.len(), titles.len(), "contents: {entries:?}");
        for (title, n) in reports {
            let page = text(&pdf, Some((offset + n, offset + n)));
            assert!(
                page.contains(title.as_str()),
                "{title} is not on page {n}: {page}"
            );
        }
    }
    // Without --year: the latest year with dated pages; without -o: into the current
    // folder, which is left otherwise as it was, so the site still builds.
    let run = t.run(&["booklet", "site"]);
    run.ok();
    assert!(t.root.join("booklet-2026.pdf").exists(), "{}", run.stdout);
    assert!(!t.root.join(".zhanting-output").exists());
    t.build(&[]).ok();
}

/// Paragraphs of report `n`: about 1,300 characters, different from report to report.
fn long_report(n: usize) -> String {
    let phrases = [
        "支部组织党员深入学习党的创新理论，围绕主题开展交流研讨",
        "党员志愿者走进小区楼栋，为居民解决急难愁盼问题",
        "支部书记结合工作实际讲授专题党课，引导党员立足岗位作贡献",
        "活动中大家重温入党誓词，进一步坚定理想信念、增强党性修养",
        "社区党群服务中心延长服务时间，为群众办事提供更多便利",
        "青年党员围绕基层治理难点问题开展调研，形成了多条意见建议",
    ];
    (0..6)
        .map(|p| {
            (0..6)
                .map(|i| format!("{}（第{n}篇第{}段）。", phrases[(n + p + i) % 6], p + 1))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn a_long_year_is_laid_out_in_parts_that_read_as_one_booklet() {
    if !poppler() {
        return;
    }
    let t = example();
    // 40 long reports in one chapter: more than a part holds, so it goes on from part to
    // part mid-page; two of them with the same title.
    let mut titles = Vec::new();
    for n in 0..40 {
        let title = if n == 7 || n == 31 {
            "支部召开月度主题党日活动".to_string()
        } else {
            format!("第{n}次党员志愿服务活动纪实")
        };
        t.file(
            &format!("content/news/long-{n:02}.md"),
            &format!(
                "---\ntitle: {title}\ndate: 2026-{:02}-{:02}\n---\n\n{}\n",
                1 + n / 4,
                1 + n % 4 * 7,
                long_report(n)
            ),
        );
        titles.push(squeeze(&title));
    }
    let run = t.run_env(
        &["booklet", "site", "--year", "2026", "-o", "docs"],
        "C.UTF-8",
        &[("ZHANTING_TIMINGS", "1")],
    );
    run.ok();
    let parts: usize = run
        .stderr
        .split("laid out in ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of parts: {}", run.stderr));
    assert!(
        parts >= 4,
        "{parts} parts for 40 long reports in one chapter and the example's 2026 lectures"
    );
    let pdf = t.root.join("docs/booklet-2026.pdf");
    // Laid out in one part a chapter, the booklet is the same, every word at the same
    // place on the same page.
    std::fs::remove_dir_all(t.site.join(".zhanting-cache/documents")).unwrap();
    let whole = t.run_env(
        &["booklet", "site", "--year", "2026", "-o", "whole"],
        "C.UTF-8",
        &[
            ("ZHANTING_TIMINGS", "1"),
            ("ZHANTING_BOOKLET_PART", "100000000"),
        ],
    );
    whole.ok();
    assert!(
        whole.stderr.contains("laid out in 2 parts"),
        "{}",
        whole.stderr
    );
    let words = |pdf: &Path| {
        let out = Command::new("pdftotext")
            .arg("-bbox")
            .arg(pdf)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let (parted, one) = (words(&pdf), words(&t.root.join("whole/booklet-2026.pdf")));
    // (A line of Chinese is one word to pdftotext.)
    let count = parted.matches("<word ").count();
    assert!(count > 1_000, "{count} words: {parted}");
    assert!(
        parted == one,
        "the booklet in parts differs from the booklet in one"
    );
    let info = tool("pdfinfo", &[], &pdf);
    let total = pages(&info);
    let offset = body_offset(&pdf, total);
    // Every page of the chapters has its running head and its number once, counting on
    // from page to page across the parts.
    let layout = Command::new("pdftotext")
        .args(["-layout", "-f", &(offset + 1).to_string()])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let layout = String::from_utf8_lossy(&layout.stdout).into_owned();
    let body: Vec<&str> = layout
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(body.len(), total - offset);
    let mut short = Vec::new();
    for (i, page) in body.iter().enumerate() {
        let page = squeeze(page);
        assert_eq!(
            page.matches("成果汇编·2026").count(),
            1,
            "page {}: {page}",
            i + 1
        );
        assert!(
            page.ends_with(&format!("—{}—", i + 1)),
            "page {}: {page}",
            i + 1
        );
        assert_eq!(page.matches('—').count(), 2, "page {}: {page}", i + 1);
        // A page the text does not fill ends its chapter.
        if page.chars().count() < 500 && i + 1 < body.len() {
            short.push(i + 1);
        }
    }
    assert!(short.len() <= 1, "pages left short: {short:?}");
    // The contents lead to every report, the same title twice to both.
    let entries: Vec<(String, usize)> = (2..=offset).flat_map(|p| contents(&pdf, p)).collect();
    for title in &titles {
        let at: Vec<usize> = entries
            .iter()
            .filter(|(t, _)| t == title)
            .map(|(_, n)| *n)
            .collect();
        let expected = if title.contains("月度主题党日") {
            2
        } else {
            1
        };
        assert_eq!(at.len(), expected, "{title} in the contents: {entries:?}");
        for n in at {
            let page = text(&pdf, Some((offset + n, offset + n)));
            assert!(page.contains(title.as_str()), "{title} is not on page {n}");
        }
    }
    // Bookmarks: every chapter and report, the same title twice on two pages.
    if Command::new("qpdf").arg("--version").output().is_ok() {
        let json = Command::new("qpdf")
            .args(["--json", "--json-key=outlines"])
            .arg(&pdf)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let mut marks = Vec::new();
        fn walk(v: &serde_json::Value, out: &mut Vec<(String, i64)>) {
            for o in v.as_array().into_iter().flatten() {
                let page = o["destpageposfrom1"].as_i64().unwrap_or(0);
                out.push((squeeze(o["title"].as_str().unwrap_or("")), page));
                walk(&o["kids"], out);
            }
        }
        walk(&json["outlines"], &mut marks);
        let reports = dated_titles(&t.site)
            .into_iter()
            .filter(|(_, y)| *y == 2026)
            .count();
        let chapters = marks.iter().filter(|(t, _)| t.contains('、')).count();
        assert_eq!(marks.len(), reports + chapters, "{marks:?}");
        let twice: Vec<i64> = marks
            .iter()
            .filter(|(t, _)| t.contains("月度主题党日"))
            .map(|m| m.1)
            .collect();
        assert!(twice.len() == 2 && twice[0] < twice[1], "{marks:?}");
    }
}

/// A report dated 2030 in `section` showing `name`.jpg: a `w`×`h` photo whose header
/// reads but whose data does not (a Huffman table cut short in the middle).
fn broken_photo_report(t: &SiteTest, section: &str, name: &str, (w, h): (u32, u32)) {
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let cut = jpeg.len() / 3;
    let broken = [&jpeg[..cut], b"\xff\xc4\x00\x03\x00", &jpeg[cut..]].concat();
    std::fs::write(t.site.join(format!("content/{section}/{name}.jpg")), broken).unwrap();
    t.file(
        &format!("content/{section}/{name}.md"),
        &format!("---\ntitle: 照片{name}\ndate: 2030-05-04\n---\n\n活动现场。\n\n![活动现场]({name}.jpg)\n"),
    );
}

#[test]
fn unreadable_pictures_of_every_part_are_named_and_no_booklet_is_made() {
    let t = SiteTest::from_fixture("basic");
    // Two camera-sized photos in two chapters (two parts), and one small enough to be
    // printed as it is (Typst would decode it, and its failure name the template).
    broken_photo_report(&t, "news", "cut-a", (4000, 3000));
    broken_photo_report(&t, "lectures", "cut-b", (4000, 3000));
    broken_photo_report(&t, "news", "cut-c", (900, 600));
    let run = t.run(&["booklet", "site", "--year", "2030", "-o", "docs"]);
    run.failed();
    assert!(!run.stderr.contains("booklet.typ"), "{}", run.stderr);
    for file in [
        "content/news/cut-a.jpg",
        "content/lectures/cut-b.jpg",
        "content/news/cut-c.jpg",
    ] {
        let message = format!("error: the booklet of 2030: picture {file} cannot be read: ");
        assert!(run.stderr.contains(&message), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {file}\n")),
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
    assert!(!t.root.join("docs/booklet-2030.pdf").exists());
    // Its header was read, so the file is damaged, not of another kind; in Chinese too.
    assert!(
        run.stderr
            .contains("hint: the file is damaged (a copy or download cut short?)"),
        "{}",
        run.stderr
    );
    let zh = t.run_lang(
        &["booklet", "site", "--year", "2030", "-o", "docs"],
        "zh_CN.UTF-8",
    );
    zh.failed();
    assert!(
        zh.stderr.contains(
            "提示：文件已损坏（可能拷贝或下载没有完成）：请从相机或手机重新导出原图后替换"
        ),
        "{}",
        zh.stderr
    );
}

#[test]
fn a_year_without_pages_names_the_years_there_are() {
    let t = example();
    let run = t.run(&["booklet", "site", "--year", "2019"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: no page is dated in 2019, so there is no booklet of 2019"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: years with dated pages: 2025, 2026"),
        "{}",
        run.stderr
    );
    let zh = t.run_lang(&["booklet", "site", "--year", "2019"], "zh_CN.UTF-8");
    assert!(
        zh.stderr.contains("有日期页面的年份：2025、2026"),
        "{}",
        zh.stderr
    );
    assert!(!t.out_exists("downloads/booklet-2019.pdf"));
}

#[test]
fn an_unknown_slide_type_is_an_error_at_its_line() {
    let t = example();
    t.edit(
        "deck.yaml",
        "  - type: milestones\n",
        "  - type: timeline\n",
    );
    let run = t.run(&["deck", "site", "-o", "docs"]);
    run.failed();
    assert!(
        run.stderr.contains("error: unknown slide type `timeline`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> deck.yaml:14:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hint: known types: cover, meaning, pillars, pillar, results, milestones, photos, text, closing"),
        "{}",
        run.stderr
    );
    assert!(!t.root.join("docs/deck.pdf").exists());
}

#[test]
fn deck_yaml_mistakes_are_all_reported_with_their_lines() {
    let t = example();
    t.file(
        "deck.yaml",
        "slides:\n  - type: cover\n    colour: red\n  - type: pillar\n    pillar: 微宣传\n  - type: photos\n    albums: [2025-qiyi, 2024-chunjie]\n",
    );
    let run = t.build(&[]);
    run.failed();
    let err = &run.stderr;
    assert!(err.contains("error: unknown key `colour`"), "{err}");
    assert!(
        err.contains("hint: check the spelling; the known keys here are: `notes`"),
        "{err}"
    );
    assert!(err.contains("--> deck.yaml:3:"), "{err}");
    assert!(
        err.contains("error: there is no pillar `微宣传` in brand.yaml"),
        "{err}"
    );
    assert!(err.contains("--> deck.yaml:5:"), "{err}");
    assert!(
        err.contains("hint: pillars of the brand: 微党课, 微活动, 微阵地, 微行动, 微服务"),
        "{err}"
    );
    assert!(
        err.contains("error: there is no album `2024-chunjie` under albums/"),
        "{err}"
    );
    assert!(err.contains("--> deck.yaml:7:"), "{err}");
}

#[test]
fn a_slide_that_does_not_fit_names_the_slide_and_leaves_the_site_as_it_was() {
    let t = example();
    let run = t.rebuild_fails(|t| {
        let long = "      - 支部坚持把党的组织优势转化为服务群众的工作优势，持续推进各项工作。\n"
            .repeat(16);
        t.edit(
            "deck.yaml",
            "      - **总结提炼**：每年编印一册品牌成果汇编\n",
            &format!("      - **总结提炼**：每年编印一册品牌成果汇编\n{long}"),
        );
    });
    let err = &run.stderr;
    assert!(
        err.contains("error: slide 11 of the deck (text, “下一步打算”) does not fit on the slide"),
        "{err}"
    );
    assert!(err.contains("--> deck.yaml:16:3"), "{err}");
    assert!(err.contains("hint: shorten its text"), "{err}");
}

#[test]
fn the_site_publishes_the_deck_and_the_latest_booklet_unless_told_not_to() {
    if !poppler() {
        return;
    }
    let t = example();
    t.build(&[]).ok();
    for file in ["downloads/deck.pdf", "downloads/booklet-2026.pdf"] {
        let info = tool("pdfinfo", &[], &t.out_dir().join(file));
        assert!(pages(&info) > 2, "{file}: {info}");
    }
    assert!(
        !t.out_exists("downloads/deck-notes.pdf"),
        "the script is the speaker's"
    );
    let brand = t.out("brand/index.html");
    assert!(
        brand.contains(
            "href=\"/lvshui/downloads/deck.pdf\" download>「五微一体」党建品牌展评演示文稿</a>"
        ),
        "{brand}"
    );
    assert!(brand.contains("href=\"/lvshui/downloads/booklet-2026.pdf\" download>2026年「五微一体」党建品牌成果汇编</a>"));

    t.edit(
        "site.yaml",
        "search: true\n",
        "search: true\ndocuments: false\n",
    );
    t.build(&[]).ok();
    assert!(!t.out_exists("downloads/deck.pdf"));
    assert!(!t.out_exists("downloads/booklet-2026.pdf"));
    assert!(!t.out("brand/index.html").contains("downloads/"));
}

/// The basic fixture with a report of 2030 (`content/news/NAME.md`, titled `title`)
/// showing a `w`×`h` picture (with `caption`, as Markdown writes it after the file),
/// and `zhanting booklet --year 2030` run on it.
fn booklet_of_a_picture(
    name: &str,
    title: &str,
    (w, h): (u32, u32),
    caption: &str,
) -> (SiteTest, common::Run) {
    let t = SiteTest::from_fixture("basic");
    let picture = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
    picture
        .save(t.site.join(format!("content/news/{name}.jpg")))
        .unwrap();
    t.file(
        &format!("content/news/{name}.md"),
        &format!("---\ntitle: {title}\ndate: 2030-05-04\n---\n\n活动现场。\n\n![活动现场]({name}.jpg{caption})\n"),
    );
    let run = t.run(&["booklet", "site", "--year", "2030", "-o", "docs"]);
    (t, run)
}

#[test]
fn a_low_resolution_picture_in_a_report_is_a_warning_with_its_print_size() {
    let (t, run) = booklet_of_a_picture("xiaotu", "一张小图", (200, 150), "");
    run.ok();
    assert!(
        run.stderr.contains("warning: photo content/news/xiaotu.jpg of “一张小图” prints at 60×45 mm in the booklet of 2030 with only 85 DPI (under 150)"),
        "{}",
        run.stderr
    );
    let strict = t.run(&[
        "booklet", "site", "--year", "2030", "-o", "docs", "--strict",
    ]);
    strict.failed();
}

#[test]
fn a_character_no_font_has_is_a_warning_at_its_slide() {
    let t = example();
    t.edit(
        "brand.yaml",
        "motto: 小课堂 · 大道理",
        "motto: 小课堂 · 大道理𠀀",
    );
    let off = [("ZHANTING_SYSTEM_FONTS", "0")];
    let run = t.run_env(&["deck", "site", "-o", "docs"], "C.UTF-8", &off);
    run.ok();
    assert!(
        run.stderr.contains(
            "warning: the deck, slide 3: no font has `𠀀` (U+20000): it prints as a blank box\n"
        ),
        "{}",
        run.stderr
    );
    let line = run.stderr.lines().find(|l| l.contains("--> brand.yaml:"));
    assert!(line.is_some(), "at the motto in brand.yaml: {}", run.stderr);
    assert!(
        t.root.join("docs/deck.pdf").is_file(),
        "the deck is still made"
    );
}

#[test]
fn a_character_no_font_has_in_a_caption_is_a_warning_naming_the_report() {
    let (_t, run) = booklet_of_a_picture("tu", "图注", (800, 600), " \"合影𠀀\"");
    run.ok();
    assert!(
        run.stderr
            .contains("warning: booklet 2030, report “图注”: no font has `𠀀` (U+20000): it prints as a blank box\n --> content/news/tu.md:"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_slide_the_site_has_no_facts_for_and_an_empty_deck_are_errors() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "achievements.yaml",
        "stats:\n  - { label: 微党课, value: 35, unit: 期 }\n",
    );
    t.file(
        "deck.yaml",
        "slides:\n  - type: cover\n  - type: milestones\n",
    );
    let run = t.run(&["deck", "site", "-o", "docs"]);
    run.failed();
    assert!(
        run.stderr.contains(
            "error: a `milestones` slide needs `milestones` in achievements.yaml, which the site does not have"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> deck.yaml:3:5"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hint: write `milestones` in achievements.yaml, or remove this slide"),
        "{}",
        run.stderr
    );

    t.file("deck.yaml", "slides: []\n");
    let run = t.run(&["deck", "site", "-o", "docs"]);
    run.failed();
    assert!(
        run.stderr.contains("error: deck.yaml lists no slides"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> deck.yaml:1:1"), "{}", run.stderr);
    assert!(!t.root.join("docs/deck.pdf").exists());
}

#[test]
fn a_site_without_dated_pages_has_no_booklet() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: 测试支部\nbase_url: https://example.org/\n",
    );
    t.file(
        "content/about.md",
        "---\ntitle: 关于我们\n---\n\n支部简介。\n",
    );
    let run = t.run(&["booklet", "site"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: no page has a date, so there is no year to make a booklet of"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("hint: give the reports a `date:` in their front matter"));
    // The site itself builds, with a deck and no booklet to publish.
    t.build(&[]).ok();
    assert!(t.out_exists("downloads/deck.pdf"));
    assert!(!t.out_dir().join("downloads").read_dir().unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("booklet")
    }));
}
