//! Rare characters in print: people's names with characters GB 2312 lacks, a traditional
//! character, CJK Extension B, a combining macron. The built-in fonts hold the
//! 通用规范汉字表; what they lack is drawn with the system's CJK fonts (Debian's
//! fonts-noto-cjk, which .ci/run installs), named in a note; what no font has is a
//! warning. Checked in a board, the deck and the booklet with poppler's tools.

mod common;

use common::{pdf_text, poppler, tool, SiteTest};

/// Names of the kind GB 18030-2022 exists for (堃 喆 犇 珺 玥 昇 are in the built-in
/// fonts), 孙𠮷 (U+20BB7, CJK Extension B) and 周機 (traditional), which they lack.
const NAMES: &str = "王堃、李喆、张犇、陈珺、赵玥、刘昇、孙𠮷、周機";

fn noto_cjk_installed() -> bool {
    let found =
        std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").is_file();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Noto CJK: .ci/run installs fonts-noto-cjk"
        );
        eprintln!(
            "SKIPPED: install fonts-noto-cjk to check rare characters drawn by the system's fonts"
        );
    }
    found
}

/// The basic fixture with the names on a board, a slide of the deck and a report of
/// the booklet's year, with 瞭 and a combining macron (mā) beside them.
fn site() -> SiteTest {
    let t = SiteTest::from_fixture("basic");
    t.file(
        "boards/mingdan.yaml",
        &format!("title: 党员名单\nsize: 400x600mm\nblocks:\n  - {{ type: text, title: 骨干党员, body: \"{NAMES}\" }}\n"),
    );
    t.file(
        "deck.yaml",
        &format!(
            "slides:\n  - type: cover\n  - type: text\n    title: 骨干党员\n    body: {NAMES}\n"
        ),
    );
    t.file(
        "content/news/mingdan.md",
        &format!("---\ntitle: 表彰优秀党员\ndate: 2030-06-30\n---\n\n受表彰的党员：{NAMES}。登高瞭望，学习拼音 ma\u{304}。\n"),
    );
    t
}

/// The text of the three PDFs, without whitespace.
fn texts(t: &SiteTest) -> [String; 3] {
    [
        "boards/mingdan.pdf",
        "downloads/deck.pdf",
        "downloads/booklet-2030.pdf",
    ]
    .map(|f| pdf_text(&t.out_dir().join(f), None))
}

#[test]
fn rare_names_are_drawn_with_the_systems_cjk_fonts_and_named_in_a_note() {
    if !poppler() || !noto_cjk_installed() {
        return;
    }
    let t = site();
    let run = t.build(&[]);
    run.ok();
    // No warning: every character has a font; the system's fonts are named, per document,
    // at the place the first such character is written.
    assert!(!run.stderr.contains("no font has"), "{}", run.stderr);
    for (what, at) in [
        ("board mingdan", "--> boards/mingdan.yaml:4:"),
        ("the deck", "--> deck.yaml:5:"),
        ("booklet 2030", "--> content/news/mingdan.md:6:"),
    ] {
        let note = format!("note: {what}: 𠮷機 drawn with the system's Noto Sans CJK SC (/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc), Noto Serif CJK SC (/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc)");
        let after = run
            .stderr
            .split(&note)
            .nth(1)
            .unwrap_or_else(|| panic!("{note}\n{}", run.stderr));
        let place = after.lines().nth(1).unwrap_or_default();
        assert!(place.trim_start().starts_with(at), "{what}: {}", run.stderr);
    }
    // Real glyphs: the text comes out of every PDF as written, rare characters included
    // (a character drawn as .notdef does not: see below), and the system's font is in it.
    let names: String = NAMES.chars().collect();
    for (text, f) in texts(&t).iter().zip(["board", "deck", "booklet"]) {
        assert!(text.contains(&names), "{f}: {text}");
    }
    assert!(
        texts(&t)[2].contains("登高瞭望，学习拼音ma\u{304}"),
        "{}",
        texts(&t)[2]
    );
    let fonts = tool("pdffonts", &[], &t.out_dir().join("boards/mingdan.pdf"));
    assert!(
        fonts.matches("NotoSansCJKsc-Regular").count() >= 2,
        "the subset and the system's: {fonts}"
    );
}

#[test]
fn without_the_systems_fonts_a_rare_character_is_a_warning_at_its_place() {
    if !poppler() {
        return;
    }
    let t = site();
    let off = [("ZHANTING_SYSTEM_FONTS", "0")];
    let run = t.run_env(&["build", "site"], "C.UTF-8", &off);
    run.ok();
    assert!(
        run.stderr.contains("warning: board mingdan, block 1 (text): no font has `𠮷` (U+20BB7): it prints as a blank box\n --> boards/mingdan.yaml:4:58\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: the deck, slide 2: no font has `機` (U+6A5F): it prints as a blank box\n --> deck.yaml:5:33\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: booklet 2030, report “表彰优秀党员”: no font has `𠮷` (U+20BB7): it prints as a blank box\n --> content/news/mingdan.md:6:27\n"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("drawn with the system's"),
        "{}",
        run.stderr
    );
    // Everything is still made; the characters the built-in fonts hold are drawn, the
    // others are not (poppler finds no text for a blank box).
    for text in texts(&t) {
        assert!(
            text.contains("王堃、李喆、张犇、陈珺、赵玥、刘昇"),
            "{text}"
        );
        assert!(!text.contains("孙𠮷"), "{text}");
    }
    // --strict makes the warnings errors, and writes nothing new.
    t.run_env(&["build", "site", "--strict"], "C.UTF-8", &off)
        .failed();
    // What lacked a character was not kept in the cache: with the system's fonts, the
    // next build draws it.
    if noto_cjk_installed() {
        t.build(&[]).ok();
        for text in texts(&t) {
            assert!(text.contains("孙𠮷、周機"), "{text}");
        }
    }
}
