//! Exhibition boards: the PDFs are checked with poppler's tools (page size, TrimBox and
//! BleedBox, embedded fonts, extractable text, images), the previews and pages by what
//! they contain, and every board error by its exact message, with the previous output
//! left as it was.

mod common;

use common::{poppler, qr_codes, tool, SiteTest};
use std::path::Path;
use std::process::Command;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// A box of `pdfinfo -box` output: [x0, y0, x1, y1].
fn pdf_box(info: &str, name: &str) -> [f64; 4] {
    let line = info
        .lines()
        .find(|l| l.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} in\n{info}"));
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    [v[0], v[1], v[2], v[3]]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.05
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

/// The example site, without boards cached by earlier builds of the source folder.
fn example() -> SiteTest {
    let t = SiteTest::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"));
    let _ = std::fs::remove_dir_all(t.site.join(".zhanting-cache/boards"));
    t
}

#[test]
fn example_boards_are_print_ready_pdfs_with_previews_and_pages() {
    let t = example();
    let run = t.build(&[]);
    run.ok();
    assert!(
        run.stdout.contains("Boards: 5 laid out, 0 from the cache"),
        "{}",
        run.stdout
    );
    let out = t.out_dir();
    // (slug, trim width, trim height, bleed, marks)
    let boards = [
        (
            "wuwei-yiti",
            900.0,
            1200.0,
            3.0,
            false,
            "「五微一体」党建品牌",
        ),
        ("fazhan-licheng", 800.0, 1800.0, 3.0, true, "品牌发展历程"),
        ("weifuwu", 600.0, 900.0, 3.0, false, "微服务 · 大民生"),
        // A roll-up: 800×2000 mm seen, 100 mm more inside the stand.
        ("yilabao", 800.0, 2100.0, 3.0, false, "「五微一体」党建品牌"),
        // A banner: no bleed.
        ("hengfu", 2400.0, 1200.0, 0.0, false, "党员志愿服务在身边"),
    ];
    if poppler() {
        for (slug, w, h, bleed, marks, title) in boards {
            let pdf = out.join(format!("boards/{slug}.pdf"));
            let info = tool("pdfinfo", &["-box"], &pdf);
            assert!(
                info.contains("Pages:           1"),
                "{slug}: one page\n{info}"
            );
            let slug_mm = if marks { 10.0 } else { 0.0 };
            let media = pdf_box(&info, "MediaBox");
            assert!(
                close(media[2], (w + 2.0 * (bleed + slug_mm)) * PT_PER_MM),
                "{slug} width {media:?}"
            );
            assert!(
                close(media[3], (h + 2.0 * (bleed + slug_mm)) * PT_PER_MM),
                "{slug} height {media:?}"
            );
            let trim = pdf_box(&info, "TrimBox");
            let off = (bleed + slug_mm) * PT_PER_MM;
            assert!(
                close(trim[0], off) && close(trim[1], off),
                "{slug} trim {trim:?}"
            );
            assert!(
                close(trim[2] - trim[0], w * PT_PER_MM),
                "{slug} trim width {trim:?}"
            );
            assert!(
                close(trim[3] - trim[1], h * PT_PER_MM),
                "{slug} trim height {trim:?}"
            );
            let bleed_box = pdf_box(&info, "BleedBox");
            assert!(
                close(bleed_box[0], slug_mm * PT_PER_MM),
                "{slug} bleed {bleed_box:?}"
            );
            assert!(
                close(bleed_box[2] - bleed_box[0], (w + 2.0 * bleed) * PT_PER_MM),
                "{slug} bleed {bleed_box:?}"
            );

            let fonts = tool("pdffonts", &[], &pdf);
            let rows: Vec<&str> = fonts.lines().skip(2).collect();
            assert!(!rows.is_empty(), "{slug}: fonts\n{fonts}");
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                // name type… encoding emb sub uni object ID
                let emb = cols[cols.len() - 5];
                assert_eq!(emb, "yes", "{slug}: font not embedded: {row}");
            }
            assert!(
                fonts.contains("NotoSansCJKsc"),
                "{slug}: the built-in font\n{fonts}"
            );

            let text: String = pdf_text(&pdf).split_whitespace().collect();
            assert!(
                text.contains(&title.replace(' ', "")),
                "{slug}: title in\n{text}"
            );

            let (pw, ph) = png_size(&out.join(format!("boards/{slug}.png")));
            assert_eq!(pw, 1600);
            assert!(
                ((pw as f64 / ph as f64) - w / h).abs() < 0.002,
                "{slug}: preview {pw}x{ph}"
            );
        }
        let text = pdf_text(&out.join("boards/wuwei-yiti.pdf"));
        assert!(text.contains("96"), "a stat number from achievements.yaml");
        assert!(text.contains("以微见著"), "the quote");
        // Photos are JPEG, at no more than ~300 DPI at their printed size.
        let images = tool("pdfimages", &["-list"], &out.join("boards/weifuwu.pdf"));
        let rows: Vec<&str> = images.lines().skip(2).collect();
        assert_eq!(rows.len(), 4, "{images}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[8], "jpeg", "{row}");
            let ppi: f64 = cols[12].parse().unwrap();
            assert!(ppi <= 301.0, "{row}");
        }
    }
    // The online exhibition, in series order, and each board's page.
    let index = t.out("boards/index.html");
    let a = index.find("/boards/wuwei-yiti/").unwrap();
    let b = index.find("/boards/fazhan-licheng/").unwrap();
    let c = index.find("/boards/weifuwu/").unwrap();
    assert!(a < b && b < c, "series order");
    let page = t.out("boards/weifuwu/index.html");
    assert!(
        page.contains("class=\"button\" href=\"/lvshui/boards/weifuwu.pdf\" download"),
        "{page}"
    );
    assert!(page.contains("src=\"/lvshui/boards/weifuwu.png\""));
    assert!(page.contains("width=\"1600\" height=\"2400\""));
    assert!(
        page.contains("群众的小事，就是支部的大事。"),
        "the board's text is on the page"
    );
    assert!(page.contains("/lvshui/boards/fazhan-licheng/\" rel=\"prev\""));
    assert!(
        t.out("index.html").contains("/lvshui/boards/weifuwu.png"),
        "home shows boards"
    );
    assert!(t.out("sitemap.xml").contains("/lvshui/boards/weifuwu/"));
    // Boards are in the search index, with their text.
    let texts: String = std::fs::read_dir(out.join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('t'))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        texts.contains("[\"/boards/weifuwu/\",\"微服务 · 大民生\""),
        "the board, by its site path and title, in the index"
    );
    assert!(texts.contains("群众的小事"), "board text in the index");

    // A rebuild takes every board from the cache and writes nothing.
    let run = t.build(&[]);
    run.ok();
    assert!(
        run.stdout.contains("Boards: 0 laid out, 5 from the cache"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("(0 written,"), "{}", run.stdout);

    // --no-boards leaves the section out.
    let run = t.build(&["--no-boards"]);
    run.ok();
    assert!(!t.out_exists("boards/wuwei-yiti.pdf"));
    assert!(!t.out_exists("boards/index.html"));
    assert!(!t.out("index.html").contains("/boards/"));
}

#[test]
fn boards_command_writes_print_files_and_relays_out_only_changed_boards() {
    let t = example();
    let run = t.run(&["boards", "site"]);
    run.ok();
    assert!(
        run.stdout
            .contains("Boards: 5 laid out, 0 from the cache (10 files written"),
        "{}",
        run.stdout
    );
    assert!(t.out_exists("boards/weifuwu.pdf") && t.out_exists("boards/weifuwu.png"));
    assert!(!t.out_exists("index.html"), "print outputs only");

    t.edit("boards/weifuwu.yaml", "群众的小事", "居民的小事");
    let run = t.run(&["boards", "site"]);
    run.ok();
    assert!(
        run.stdout
            .contains("Boards: 1 laid out, 4 from the cache (2 files written, 8 unchanged)"),
        "{}",
        run.stdout
    );

    let run = t.run(&["boards", "site", "--only", "fazhan-licheng", "-o", "print"]);
    run.ok();
    assert!(
        run.stdout.contains("Boards: 0 laid out, 1 from the cache"),
        "{}",
        run.stdout
    );
    let print: Vec<String> = std::fs::read_dir(t.root.join("print/boards"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(print.len(), 2, "{print:?}");

    // A later build writes into the same folder without complaint.
    t.build(&[]).ok();
    assert!(t.out("boards/weifuwu/index.html").contains("居民的小事"));

    let run = t.run(&["boards", "site", "--only", "nope"]);
    run.failed();
    assert!(
        run.stderr.contains("there is no board `nope`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("wuwei-yiti, fazhan-licheng, weifuwu"),
        "{}",
        run.stderr
    );

    // Laid out again from nothing, a board with photos is the same file, byte for byte
    // (the print photos' colour profile carries no date of its own).
    let first = std::fs::read(t.out_dir().join("boards/weifuwu.pdf")).unwrap();
    std::fs::remove_dir_all(t.site.join(".zhanting-cache/boards")).unwrap();
    t.run(&["boards", "site", "--only", "weifuwu", "-o", "again"])
        .ok();
    assert!(
        std::fs::read(t.root.join("again/boards/weifuwu.pdf")).unwrap() == first,
        "the same board, the same PDF"
    );
}

const SMALL_BOARD: &str = "title: 测试展板
size: 400x600mm
blocks:
  - { type: text, title: 简介, body: 一段文字。 }
  - { type: stats, from: achievements }
";

/// The basic fixture with one small board, built once; then `break_it`: the build must
/// fail with exit 1, leave the output untouched, and its message is returned.
fn board_fails(break_it: impl Fn(&SiteTest)) -> String {
    let t = SiteTest::from_fixture("basic");
    t.file("boards/ceshi.yaml", SMALL_BOARD);
    t.rebuild_fails(|t| {
        assert!(t.out_exists("boards/ceshi.pdf"));
        break_it(t)
    })
    .stderr
}

#[test]
fn text_that_overflows_names_the_board_and_block() {
    let err = board_fails(|t| {
        let long = "支部坚持把党的组织优势转化为服务群众的工作优势。".repeat(400);
        t.file(
            "boards/ceshi.yaml",
            &format!("{SMALL_BOARD}  - {{ type: text, title: 很长的文字, body: {long} }}\n  - {{ type: quote, text: 结尾 }}\n"),
        );
    });
    assert!(err.contains("error: board ceshi: the content does not fit on one board from block 3 (很长的文字, text) on"), "{err}");
    assert!(err.contains("--> boards/ceshi.yaml:6:3"), "{err}");
    assert!(
        err.contains("hint: shorten the text, choose a larger board size"),
        "{err}"
    );
}

#[test]
fn missing_photo_names_the_yaml_line() {
    let err = board_fails(|t| {
        t.file(
            "boards/ceshi.yaml",
            &format!("{SMALL_BOARD}  - type: photos\n    album: trip\n    pick: [a.png, b.png]\n"),
        );
    });
    assert!(
        err.contains("error: photo `b.png` is not in album `trip`"),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:8:"), "{err}");
}

#[test]
fn character_no_font_has_is_a_warning_naming_board_block_and_character() {
    let t = SiteTest::from_fixture("basic");
    t.file("boards/ceshi.yaml", SMALL_BOARD);
    t.edit("boards/ceshi.yaml", "一段文字。", "一段文字：𠀀。");
    // Without the system's fonts, 𠀀 (CJK Extension B) is in no font: the board is
    // still made, and the warning says where the character is written.
    let off = [("ZHANTING_SYSTEM_FONTS", "0")];
    let run = t.run_env(&["build", "site"], "C.UTF-8", &off);
    run.ok();
    assert!(
        run.stderr.contains("warning: board ceshi, block 1 (text): no font has `𠀀` (U+20000): it prints as a blank box\n --> boards/ceshi.yaml:4:41\n  |\n4 |   - { type: text, title: 简介, body: 一段文字：𠀀。 }\n"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("hint: put a font that has it into the site's fonts/ folder"));
    assert!(t.out_exists("boards/ceshi.pdf"));
    // --strict makes it an error.
    t.run_env(&["build", "site", "--strict"], "C.UTF-8", &off)
        .failed();
    // A private-use character (an input method's own symbol) is a warning too.
    t.edit("boards/ceshi.yaml", "𠀀", "\u{e000}");
    let run = t.run_env(&["build", "site"], "C.UTF-8", &off);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: board ceshi, block 1 (text): no font has `\u{e000}` (U+E000)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: this is a private-use character"));
}

#[test]
fn bad_size_and_unknown_font_are_errors() {
    let err = board_fails(|t| {
        t.edit("boards/ceshi.yaml", "size: 400x600mm", "size: 400x600");
    });
    assert!(
        err.contains("error: board size `400x600` is not understood"),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:2:1"), "{err}");
    assert!(err.contains("or a preset: A0, A1, 60x90"), "{err}");

    let err = board_fails(|t| {
        t.edit(
            "site.yaml",
            "organization:",
            "boards: { font: 不存在的字体 }\norganization:",
        );
        t.file("boards/second.yaml", SMALL_BOARD);
    });
    assert_eq!(
        err.matches("is neither in fonts/").count(),
        1,
        "once, not per board: {err}"
    );
    assert!(
        err.contains("error: font `不存在的字体` (boards.font) is neither in fonts/ nor installed"),
        "{err}"
    );
    assert!(err.contains("--> site.yaml:"), "{err}");
}

#[test]
fn template_errors_name_the_template_line_and_column() {
    let err = board_fails(|t| {
        t.file(
            "templates/boards/brand.typ",
            "#import \"zhanting.typ\": *\n#show: frame\n\n#text(fill: nocolour)[x]\n",
        );
    });
    assert!(
        err.contains("error: board boards/ceshi.yaml: unknown variable: nocolour"),
        "{err}"
    );
    assert!(err.contains("--> templates/boards/brand.typ:4:13"), "{err}");

    // Typst's "unknown font family" warning is an error.
    let err = board_fails(|t| {
        t.file(
            "templates/boards/brand.typ",
            "#import \"zhanting.typ\": *\n#show: frame\n#text(font: \"No Such Font\")[x]\n",
        );
    });
    assert!(
        err.contains("error: board boards/ceshi.yaml: unknown font family: no such font"),
        "{err}"
    );
    assert!(err.contains("--> templates/boards/brand.typ:3:13"), "{err}");

    // Packages are never downloaded.
    let err = board_fails(|t| {
        t.file(
            "templates/boards/brand.typ",
            "#import \"@preview/cetz:0.3.0\": canvas\n",
        );
    });
    assert!(
        err.contains("Typst packages are not available to board templates"),
        "{err}"
    );
    assert!(err.contains("--> templates/boards/brand.typ:1:9"), "{err}");
}

#[test]
fn low_resolution_photo_is_a_warning_with_size_and_dpi() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/ceshi.yaml",
        &format!(
            "{SMALL_BOARD}  - {{ type: photos, album: trip }}\n  - {{ type: timeline, items: [{{ date: 2021-07, title: 品牌创建, text: 从这里开始 }}] }}\n"
        ),
    );
    let run = t.build(&[]);
    run.ok();
    // A timeline's own items, dates as the site shows them.
    let page = t.out("boards/ceshi/index.html");
    assert!(
        page.contains("2021年7月 品牌创建") && page.contains("从这里开始"),
        "{page}"
    );
    assert!(
        run.stderr.contains("warning: photo albums/trip/a.png prints at 347×260 mm on board ceshi with only 1 DPI (under 72)"),
        "{}",
        run.stderr
    );
    // --strict turns the warning into a failure.
    t.run(&["build", "site", "--strict"]).failed();
}

/// A photo saved from WeChat (1280 px on its long side, no EXIF) gets a hint that says
/// where the original is: 查看原图 in the chat.
#[test]
fn low_resolution_wechat_photo_says_where_the_original_is() {
    let t = SiteTest::from_fixture("basic");
    let img = image::RgbImage::from_pixel(1280, 960, image::Rgb([200, 40, 40]));
    img.save(t.site.join("albums/trip/mmexport1700000000000.jpg"))
        .unwrap();
    t.file(
        "boards/ceshi.yaml",
        "title: 大展板\nsize: 1200x1800mm\nblocks:\n  - { type: photos, album: trip, pick: [mmexport1700000000000.jpg] }\n",
    );
    let run = t.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: photo albums/trip/mmexport1700000000000.jpg prints at"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("tap 查看原图 (view full image) before saving"),
        "{}",
        run.stderr
    );
}

#[test]
fn print_photos_are_upright_rgb_and_carry_no_metadata() {
    let t = SiteTest::from_fixture("photos");
    t.file(
        "boards/zhaopian.yaml",
        "title: 照片\nsize: 300x400mm\nblocks:\n  - { type: photos, album: mixed, pick: [orient-1.jpg, orient-6.jpg, cmyk.jpg] }\n",
    );
    t.run(&["boards", "site"]).ok();
    let pdf_path = t.out_dir().join("boards/zhaopian.pdf");
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(
        !pdf.windows(4).any(|w| w == b"Exif"),
        "EXIF (and GPS) stripped"
    );
    if poppler() {
        let images = tool("pdfimages", &["-list"], &pdf_path);
        let rows: Vec<Vec<&str>> = images
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        // page num type width height color …
        let dims: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[3], r[4], r[5])).collect();
        assert_eq!(
            dims,
            [
                ("40", "20", "icc"),
                ("20", "40", "icc"),
                ("32", "24", "icc")
            ],
            "upright (orientation 6 turned), CMYK made RGB\n{images}"
        );
    }
}

#[test]
fn every_board_file_mistake_is_reported_in_one_run() {
    let err = board_fails(|t| {
        t.file(
            "boards/cuowu.yaml",
            "title: 错误展板
size: 400x600mm
bleed: 30mm
layout: poster
theme: green
series: { name: 系列, number: 5, of: 3 }
blocks:
  - { type: chart, title: 图表 }
  - { type: stats, from: brand }
  - { type: photos, album: nope }
  - { type: text, body: \"文字\\n\\n![图](a.png)\" }
  - { type: quote, width: third, text: 引语 }
  - { type: timeline }
  - { type: pillars, from: achievements }
  - { type: quote }
  - { type: stats, items: [{ label: 只有标签 }] }
  - { type: timeline, items: [{ title: 没有日期 }] }
",
        );
        t.file("boards/kong.yaml", "title: 空展板\n");
        t.file("boards/七一.yaml", SMALL_BOARD);
        t.file("boards/qi-yi.yaml", SMALL_BOARD);
    });
    for (message, at) in [
        (
            "bleed `30mm` is not a length from 0 to 20 mm",
            "cuowu.yaml:3:1",
        ),
        ("there is no board layout `poster`", "cuowu.yaml:4:1"),
        ("there is no board theme `green`", "cuowu.yaml:5:1"),
        ("series number 5 is not between 1 and 3", "cuowu.yaml:6:21"),
        ("unknown block type `chart`", "cuowu.yaml:8:7"),
        (
            "a stats block takes its data `from: achievements`, not `brand`",
            "cuowu.yaml:9:20",
        ),
        ("there is no album `nope`", "cuowu.yaml:10:21"),
        (
            "a board's text cannot hold an image (line 3 of the text)",
            "cuowu.yaml:11:19",
        ),
        (
            "block width `third` is neither `full` nor `half`",
            "cuowu.yaml:12:20",
        ),
        (
            "a timeline block needs `from: achievements` or `items:`",
            "cuowu.yaml:13:3",
        ),
        (
            "a pillars block takes its data `from: brand`",
            "cuowu.yaml:14:22",
        ),
        ("a quote block needs `text`", "cuowu.yaml:15:3"),
        (
            "every stats item needs `label` and `value`",
            "cuowu.yaml:16:20",
        ),
        (
            "every timeline item needs `date` and `title`",
            "cuowu.yaml:17:23",
        ),
        ("the board has no blocks", "kong.yaml"),
        (
            "boards/qi-yi.yaml and boards/七一.yaml both become /boards/qi-yi/",
            "七一.yaml",
        ),
    ] {
        let found = err.split("\nerror: ").any(|e| {
            e.trim_start_matches("error: ").starts_with(message)
                && e.contains(&format!("--> boards/{at}"))
        });
        assert!(found, "`{message}` at {at} in\n{err}");
    }
}

#[test]
fn a_site_layout_and_the_site_theme_are_used() {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "templates/boards/mine.typ",
        "#import \"zhanting.typ\": *\n#show: frame\n#text(fill: palette.primary)[自定义版式：#board.title]\n#body(inputs.blocks)\n",
    );
    t.file(
        "boards/ceshi.yaml",
        &SMALL_BOARD.replace(
            "size: 400x600mm",
            "size: 400x600mm\nlayout: mine\ntheme: site",
        ),
    );
    t.build(&[]).ok();
    if poppler() {
        let text = pdf_text(&t.out_dir().join("boards/ceshi.pdf"));
        assert!(text.contains("自定义版式：测试展板"), "{text}");
    }
    // An unknown layout lists the site's own beside the theme's.
    t.edit("boards/ceshi.yaml", "layout: mine", "layout: yours");
    let run = t.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("known layouts: brand, history, mine"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_another_block_type_takes_is_an_error_naming_it() {
    let err = board_fails(|t| {
        t.file(
            "boards/ceshi.yaml",
            "title: 测试展板\nsize: 400x600mm\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n  - { type: text, body: 文字, album: 2025-qiyi }\n",
        );
    });
    assert!(err.contains("error: unknown key `album`"), "{err}");
    assert!(err.contains("--> boards/ceshi.yaml:5:29"), "{err}");
    assert!(
        err.contains("hint: check the spelling; the known keys here are: `title`, `width`, `body`"),
        "{err}"
    );
}

/// A site whose public address is a real one (so boards carry a QR code by default),
/// with one board of `yaml`.
fn process_site(yaml: &str) -> SiteTest {
    let t = SiteTest::from_fixture("basic");
    t.edit(
        "site.yaml",
        "base_url: https://example.org/branch/",
        "base_url: https://dangjian.lvshui.cn/branch/",
    );
    t.file("boards/ceshi.yaml", yaml);
    t
}

/// `pdftoppm` of `pdf` at `dpi` as an RGB image.
fn rasterize(pdf: &Path, dpi: u32) -> image::RgbImage {
    let prefix = pdf.with_extension("raster");
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    image::open(prefix.with_extension("png")).unwrap().to_rgb8()
}

/// Each process's page geometry: a roll-up's trim is its visible size plus the hidden
/// strip, with bleed; a banner's page is its trim; an X-stand has its own default size.
/// The strip inside a roll-up's stand carries background only, and every board's QR
/// code reads as its page's public address — in an offline build too.
#[test]
fn processes_set_the_page_and_keep_their_zones_free() {
    if !poppler() {
        return;
    }
    let t = process_site(
        "title: 易拉宝\nprocess: rollup\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n  - { type: stats, from: achievements }\n",
    );
    t.file(
        "boards/hengfu.yaml",
        "title: 横幅\nprocess: banner\nsize: 300x150cm\nviewing_distance: 3m\nblocks:\n  - { type: quote, text: 群众的小事，就是支部的大事。 }\n",
    );
    t.file(
        "boards/zhanjia.yaml",
        "title: X展架\nprocess: xstand\nqr: { url: /news/, label: 扫码看动态 }\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n",
    );
    t.build(&["--offline"]).ok();
    let out = t.out_dir();
    // (slug, trim w, trim h, bleed)
    for (slug, w, h, bleed) in [
        ("ceshi", 800.0, 2100.0, 3.0),
        ("hengfu", 3000.0, 1500.0, 0.0),
        ("zhanjia", 600.0, 1600.0, 3.0),
    ] {
        let info = tool(
            "pdfinfo",
            &["-box"],
            &out.join(format!("boards/{slug}.pdf")),
        );
        let trim = pdf_box(&info, "TrimBox");
        let media = pdf_box(&info, "MediaBox");
        assert!(close(trim[2] - trim[0], w * PT_PER_MM), "{slug} {trim:?}");
        assert!(close(trim[3] - trim[1], h * PT_PER_MM), "{slug} {trim:?}");
        assert!(
            close(media[3] - media[1], (h + 2.0 * bleed) * PT_PER_MM),
            "{slug} {media:?}"
        );
    }
    // The roll-up's hidden strip (the last 100 mm of the trim) is one colour.
    let dpi = 20;
    let img = rasterize(&out.join("boards/ceshi.pdf"), dpi);
    let px = |mm: f64| (mm / 25.4 * dpi as f64).round() as u32;
    let (x0, x1) = (px(3.0 + 2.0), px(3.0 + 800.0 - 2.0));
    let (y0, y1) = (px(3.0 + 2000.0 + 2.0), px(3.0 + 2100.0 - 2.0));
    let first = *img.get_pixel(x0, y0);
    for y in y0..y1 {
        for x in x0..x1 {
            let p = img.get_pixel(x, y);
            let d = (0..3)
                .map(|c| (p[c] as i32 - first[c] as i32).abs())
                .max()
                .unwrap();
            assert!(
                d <= 12,
                "content in the hidden strip at {x},{y}: {p:?} vs {first:?}"
            );
        }
    }
    // Above the strip, the footer holds the QR code and the branch's name.
    let above: Vec<_> = (px(3.0 + 1800.0)..px(3.0 + 2000.0))
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| *img.get_pixel(x, y))
        .collect();
    assert!(
        above.iter().any(|p| p[0] > 240 && p[1] > 240),
        "the QR tile is above the strip"
    );

    // The codes: the board's own page, or the address it names, under the public base_url.
    for (slug, want) in [
        ("ceshi", "https://dangjian.lvshui.cn/branch/boards/ceshi/"),
        ("hengfu", "https://dangjian.lvshui.cn/branch/boards/hengfu/"),
        ("zhanjia", "https://dangjian.lvshui.cn/branch/news/"),
    ] {
        let img = rasterize(&out.join(format!("boards/{slug}.pdf")), 40);
        let png = out.join(format!("boards/{slug}.qr.png"));
        img.save(&png).unwrap();
        let Some(codes) = qr_codes(&png) else { return };
        assert_eq!(codes, [want], "{slug}");
        // The board's page shows the same code.
        let page = t.out(&format!("boards/{slug}/index.html"));
        assert!(page.contains("class=\"board-qr\""), "{slug}");
        assert!(page.contains(want), "{slug}");
    }
}

/// Theme colours and text are DeviceCMYK: the red palette's primary is `0 1 1 0 k`
/// (boards.cmyk's default), text is black ink alone (`0 0 0 1 k`), and site.yaml's inks
/// replace the palette's.
#[test]
fn board_colours_are_cmyk_inks() {
    if !poppler() || Command::new("qpdf").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have qpdf");
        return;
    }
    let streams = |t: &SiteTest| {
        let pdf = t.out_dir().join("boards/ceshi.pdf");
        let qdf = pdf.with_extension("qdf.pdf");
        let out = Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(&pdf)
            .arg(&qdf)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&std::fs::read(qdf).unwrap()).into_owned()
    };
    // Every `C M Y K k` fill of the content streams.
    let fills = |pdf: &str| -> Vec<[f64; 4]> {
        regex::Regex::new(r"(?:^|\s)([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+) k(?:\s|$)")
            .unwrap()
            .captures_iter(pdf)
            .map(|c| std::array::from_fn(|i| c[i + 1].parse().unwrap()))
            .collect()
    };
    // Inks are written to 8 bits: within half a percent.
    let has = |fills: &[[f64; 4]], want: [f64; 4]| {
        fills
            .iter()
            .any(|f| f.iter().zip(want).all(|(a, b)| (a - b).abs() < 0.005))
    };
    let t = process_site(SMALL_BOARD);
    t.build(&[]).ok();
    let pdf = streams(&t);
    let found = fills(&pdf);
    assert!(
        has(&found, [0.0, 1.0, 1.0, 0.0]),
        "the theme red as CMYK: {found:?}"
    );
    assert!(has(&found, [0.0, 0.0, 0.0, 1.0]), "text in black ink alone");
    assert!(
        !pdf.contains(" rg ") && !pdf.contains(" rg\n"),
        "no RGB fill"
    );

    t.edit(
        "site.yaml",
        "organization:",
        "boards: { cmyk: { primary: [0, 90, 80, 5] } }\norganization:",
    );
    t.build(&[]).ok();
    let found = fills(&streams(&t));
    assert!(
        has(&found, [0.0, 0.9, 0.8, 0.05]),
        "site.yaml's inks: {found:?}"
    );
    assert!(!has(&found, [0.0, 1.0, 1.0, 0.0]));
}

#[test]
fn process_mistakes_are_errors_at_their_line() {
    let err = board_fails(|t| {
        t.edit(
            "boards/ceshi.yaml",
            "size: 400x600mm",
            "size: 400x600mm\nprocess: poster",
        );
    });
    assert!(
        err.contains("error: there is no print process `poster`"),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:3:"), "{err}");
    assert!(err.contains("`rollup` (易拉宝"), "{err}");

    let err = board_fails(|t| {
        t.edit(
            "boards/ceshi.yaml",
            "size: 400x600mm",
            "size: 400x600mm\nprocess: rollup\nhidden: 700mm",
        );
    });
    assert!(
        err.contains("error: the hidden strip (700 mm) is not shorter than the board (600 mm)"),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:4:"), "{err}");

    let err = board_fails(|t| {
        t.edit(
            "boards/ceshi.yaml",
            "size: 400x600mm",
            "size: 400x600mm\nprocess: banner\nbleed: 3mm",
        );
    });
    assert!(
        err.contains("error: a banner (喷绘) has no bleed, but this one has `bleed: 3mm`"),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:4:"), "{err}");
    assert!(err.contains("hint: remove `bleed:`"), "{err}");

    let err = board_fails(|t| {
        t.edit(
            "boards/ceshi.yaml",
            "size: 400x600mm",
            "size: 400x600mm\nprocess: banner\nsafe: 25cm",
        );
    });
    assert!(
        err.contains(
            "error: the safe margin (250 mm at each edge) leaves no room on a 400×600 mm board"
        ),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:4:"), "{err}");

    let err = board_fails(|t| {
        t.edit(
            "boards/ceshi.yaml",
            "size: 400x600mm",
            "size: 400x600mm\nhidden: ten\nviewing_distance: 500m\nqr: { size: big }",
        );
    });
    assert!(
        err.contains("error: `hidden: ten` is not a length"),
        "{err}"
    );
    assert!(
        err.contains("error: viewing_distance `500m` is not a distance from 0.2 to 100 m"),
        "{err}"
    );
    assert!(
        err.contains("error: QR size `big` is not a length"),
        "{err}"
    );
    assert!(
        err.contains("--> boards/ceshi.yaml:5:") && err.contains("--> boards/ceshi.yaml:3:"),
        "{err}"
    );

    let long = format!("https://example.org/{}", "x".repeat(3000));
    let err = board_fails(|t| {
        t.edit(
            "boards/ceshi.yaml",
            "size: 400x600mm",
            &format!("size: 400x600mm\nqr: {long}"),
        );
    });
    assert!(
        err.contains("error: the QR code's address is too long to encode"),
        "{err}"
    );
    assert!(err.contains("--> boards/ceshi.yaml:3:"), "{err}");
}

/// A base_url that leads nowhere (example.org, localhost, a private network) gives no
/// QR code unless one is asked for, and then a warning.
#[test]
fn a_placeholder_address_gives_no_code_or_a_warning() {
    let t = SiteTest::from_fixture("basic");
    t.file("boards/ceshi.yaml", SMALL_BOARD);
    let run = t.build(&[]);
    run.ok();
    assert!(!run.stderr.contains("QR"), "{}", run.stderr);
    assert!(!t.out("boards/ceshi/index.html").contains("board-qr"));
    t.edit(
        "boards/ceshi.yaml",
        "size: 400x600mm",
        "size: 400x600mm\nqr: true",
    );
    let run = t.build(&[]);
    assert!(
        run.stderr.contains("warning: the boards' QR codes lead nowhere: base_url https://example.org/branch/ is not a public address"),
        "{}",
        run.stderr
    );
}

/// `zhanting boards --preflight` prints one row per board with the print shop's checks;
/// text too small for the viewing distance and a QR code too small are warnings of the
/// build too, and `--strict` fails on them.
#[test]
fn preflight_prints_each_boards_checks() {
    let t = process_site(
        "title: 预检\nsize: 400x600mm\nviewing_distance: 5m\nqr: { size: 80mm }\nblocks:\n  - { type: text, title: 简介, body: 一段文字。 }\n",
    );
    let run = t.run(&["boards", "site", "--preflight"]);
    run.ok();
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("ceshi |"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        row.starts_with("ceshi | offset | 400×600 | 406×606 | 3 mm | CMYK | — | ✗ "),
        "{row}"
    );
    assert!(row.ends_with("pt ≥ 50 | ✗ 80 mm ≥ 500"), "{row}");
    assert!(
        run.stderr
            .contains("warning: board ceshi: the smallest text is")
            && run
                .stderr
                .contains("under the 50 pt that can be read from 5 m"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: the QR code is 80 mm: read from 5 m it needs 500 mm\n --> boards/ceshi.yaml:4:7"),
        "{}",
        run.stderr
    );
    // The same checks in Chinese; --strict fails.
    let run = t.run_lang(
        &["boards", "site", "--preflight", "--strict"],
        "zh_CN.UTF-8",
    );
    run.failed();
    assert!(
        run.stdout.contains("展板 | 工艺 | 成品尺寸 mm"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("✗ 80 mm ≥ 500"), "{}", run.stdout);
}
