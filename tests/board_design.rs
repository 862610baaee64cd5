//! Board design, measured on the print files of every process and layout, with the
//! example site's content and with long content (`tests/fixtures/board-variants/`):
//! - the hierarchy, from PyMuPDF's text spans: the title at least 1.2× every block
//!   heading and larger than any text but the statistics' figures, headings larger than
//!   the body, nothing under what the viewing distance can read;
//! - text in boxes padded by 0.4 em at least; line breaks by the Chinese rules (no closing
//!   mark at a line's start, no opening mark at its end, no number parted from its unit,
//!   no last line of one or two characters);
//! - bare paper: bands across the content on a 10 dpi render, at most 15 % of the height
//!   in all and 6 % each (the roll-up's hidden strip not counted);
//! - the footer: the branch, its higher body and the QR code where one is set;
//! - a committed PNG snapshot of each board, for a person to review
//!   (`scripts/board-snapshots.sh` makes them; no pixel is compared here).
//!
//! The rules are those of `site-template/boards/DESIGN.md`.

mod common;

use common::{pdf_text, poppler, qr_codes, rasterize, SiteTest};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One board of the set: what the test knows of it.
struct Case {
    slug: &'static str,
    /// Bleed and crop-mark slug around the trim, mm.
    around: f64,
    /// The roll-up's strip inside the stand, mm.
    hidden: f64,
    title: &'static str,
    headings: &'static [&'static str],
    /// The smallest legible text at its viewing distance, pt.
    legible: f64,
    /// The address its QR code leads to, when it carries one.
    qr: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        slug: "wuwei-yiti",
        around: 3.0,
        hidden: 0.0,
        title: "「五微一体」党建品牌",
        headings: &["品牌内涵"],
        legible: 10.0,
        qr: None,
    },
    Case {
        slug: "fazhan-licheng",
        around: 13.0,
        hidden: 0.0,
        title: "品牌发展历程",
        headings: &["一路走来", "大事记", "九年成效"],
        legible: 10.0,
        qr: None,
    },
    Case {
        slug: "weifuwu",
        around: 3.0,
        hidden: 0.0,
        title: "微服务 · 大民生",
        headings: &["我们这样做", "服务成效", "服务剪影"],
        legible: 10.0,
        qr: None,
    },
    Case {
        slug: "yilabao",
        around: 3.0,
        hidden: 100.0,
        title: "「五微一体」党建品牌",
        headings: &["品牌内涵"],
        legible: 10.0,
        qr: Some("https://example.org/lvshui/boards/yilabao/"),
    },
    Case {
        slug: "hengfu",
        around: 0.0,
        hidden: 0.0,
        title: "党员志愿服务在身边",
        headings: &[],
        legible: 30.0,
        qr: Some("https://example.org/lvshui/boards/hengfu/"),
    },
    Case {
        slug: "qiang-sizhao",
        around: 3.0,
        hidden: 0.0,
        title: "「五微一体」党建品牌",
        headings: &["品牌内涵", "活动剪影"],
        legible: 10.0,
        qr: None,
    },
    Case {
        slug: "hengfu-kuan",
        around: 0.0,
        hidden: 0.0,
        title: "党员志愿服务在身边",
        headings: &[],
        legible: 30.0,
        qr: Some("https://example.org/lvshui/boards/hengfu-kuan/"),
    },
    Case {
        slug: "yuanju",
        around: 3.0,
        hidden: 0.0,
        title: "「五微一体」党建品牌",
        headings: &["品牌内涵"],
        legible: 50.0,
        qr: None,
    },
    Case {
        slug: "licheng-3",
        around: 3.0,
        hidden: 0.0,
        title: "品牌发展历程",
        headings: &["大事记"],
        legible: 10.0,
        qr: None,
    },
    Case {
        slug: "licheng-20",
        around: 3.0,
        hidden: 0.0,
        title: "品牌发展历程",
        headings: &["大事记"],
        legible: 10.0,
        qr: None,
    },
    Case {
        slug: "zhanjia",
        around: 3.0,
        hidden: 0.0,
        title: "微服务 · 大民生",
        headings: &["我们这样做", "服务成效", "服务剪影"],
        legible: 10.0,
        qr: Some("https://example.org/lvshui/boards/zhanjia/"),
    },
    Case {
        slug: "yilabao-chang",
        around: 3.0,
        hidden: 100.0,
        title: "「五微一体」党建品牌",
        headings: &["品牌内涵"],
        legible: 10.0,
        qr: Some("https://example.org/lvshui/boards/yilabao-chang/"),
    },
];

/// Marks that never start a line, and marks that never end one (GB/T 15834).
const CLOSING: &str = "，。、；：？！…）》〉】〕」』”’%％,.;:?!)]";
const OPENING: &str = "（《〈【〔「『“‘([{";
/// Units that follow a number in the example content.
const UNITS: &str = "人名次件期处个户项条年月日天小时余多万亿%";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example site with the long-content boards beside its own.
fn design_site() -> SiteTest {
    let t = SiteTest::from_dir(&root().join("example-site"));
    let _ = std::fs::remove_dir_all(t.site.join(".zhanting-cache"));
    let variants = root().join("tests/fixtures/board-variants");
    for entry in std::fs::read_dir(&variants).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            t.file(
                &format!("boards/{name}"),
                &std::fs::read_to_string(&path).unwrap(),
            );
        }
    }
    t
}

/// Whether PyMuPDF can be imported (`.ci/run` installs it; CI fails without it).
fn pymupdf() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import pymupdf"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have PyMuPDF: .ci/run installs it (pip install pymupdf)"
        );
        eprintln!("SKIPPED: install PyMuPDF (pip install pymupdf) to measure the boards' text");
    }
    found
}

/// A text span: its text, size (pt) and the box of its characters but punctuation.
struct Span {
    text: String,
    size: f64,
    bbox: [f64; 4],
}

/// A line of text as PyMuPDF groups it.
struct Line {
    spans: Vec<Span>,
}

impl Line {
    fn text(&self) -> String {
        self.spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
    }
}

/// PyMuPDF's view of `pdf`: its lines and the filled boxes drawn.
fn spans(pdf: &Path) -> (Vec<Line>, Vec<[f64; 4]>) {
    let out = Command::new("python3")
        .arg(root().join("tests/common/board_spans.py"))
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rect = |r: &Value| -> [f64; 4] {
        let a = r.as_array().unwrap();
        [0, 1, 2, 3].map(|i| a[i].as_f64().unwrap())
    };
    let lines = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| Line {
            spans: l["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| Span {
                    text: s["text"].as_str().unwrap().to_string(),
                    size: s["size"].as_f64().unwrap(),
                    bbox: rect(&s["bbox"]),
                })
                .collect(),
        })
        .collect();
    let boxes = v["boxes"].as_array().unwrap().iter().map(rect).collect();
    (lines, boxes)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A statistic's figure (or a date's), which may be larger than the title.
fn is_figure(s: &str) -> bool {
    let s = squeeze(s);
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ",.%".contains(c))
}

/// The hierarchy of one board: the title's size, the largest heading, the body.
struct Hierarchy {
    title: f64,
    heading: f64,
    body: f64,
}

fn hierarchy(case: &Case, lines: &[Line], problems: &mut Vec<String>) -> Hierarchy {
    let slug = case.slug;
    let all: Vec<&Span> = lines.iter().flat_map(|l| &l.spans).collect();
    let title_text = squeeze(case.title);
    let title = all
        .iter()
        .filter(|s| {
            let t = squeeze(&s.text);
            t.chars().count() >= 2 && title_text.contains(&t)
        })
        .map(|s| s.size)
        .fold(0.0, f64::max);
    let headings: Vec<f64> = all
        .iter()
        .filter(|s| case.headings.contains(&squeeze(&s.text).as_str()))
        .map(|s| s.size)
        .collect();
    // The body: the size most characters are set in, titles and headings aside.
    let mut by_size: HashMap<i64, usize> = HashMap::new();
    for s in &all {
        if s.size < title - 0.05 && !headings.iter().any(|h| (h - s.size).abs() < 0.05) {
            *by_size.entry((s.size * 10.0).round() as i64).or_default() += s.text.chars().count();
        }
    }
    let body = by_size
        .iter()
        .max_by_key(|(size, n)| (**n, -**size))
        .map(|(s, _)| *s as f64 / 10.0)
        .unwrap_or(0.0);
    let heading = headings.iter().copied().fold(0.0, f64::max);
    if title == 0.0 {
        problems.push(format!("{slug}: no title found"));
    }
    if headings.len() < case.headings.len() {
        problems.push(format!(
            "{slug}: {} of the headings {:?} found",
            headings.len(),
            case.headings
        ));
    }
    if heading > 0.0 && title < 1.2 * heading - 0.05 {
        problems.push(format!(
            "{slug}: title {title:.1} pt is under 1.2× the heading {heading:.1} pt"
        ));
    }
    for h in &headings {
        if *h <= body {
            problems.push(format!(
                "{slug}: a heading ({h:.1} pt) is not larger than the body ({body:.1} pt)"
            ));
        }
    }
    for s in &all {
        if s.size > title + 0.05 && !is_figure(&s.text) {
            problems.push(format!(
                "{slug}: {:?} at {:.1} pt is larger than the title ({title:.1} pt)",
                s.text, s.size
            ));
        }
        if s.size < case.legible - 0.05 {
            problems.push(format!(
                "{slug}: {:?} at {:.1} pt is under the {} pt legible from its distance",
                s.text, s.size, case.legible
            ));
        }
    }
    Hierarchy {
        title,
        heading,
        body,
    }
}

/// Text inside a filled box keeps 0.4 em (of its own size) from each edge.
fn padding(case: &Case, lines: &[Line], boxes: &[[f64; 4]], problems: &mut Vec<String>) {
    for s in lines.iter().flat_map(|l| &l.spans) {
        let b = s.bbox;
        let inside = boxes
            .iter()
            .filter(|r| {
                r[0] <= b[0] + 1.0 && r[1] <= b[1] + 1.0 && r[2] >= b[2] - 1.0 && r[3] >= b[3] - 1.0
            })
            .min_by(|x, y| {
                let area = |r: &[f64; 4]| (r[2] - r[0]) * (r[3] - r[1]);
                area(x).total_cmp(&area(y))
            });
        let Some(r) = inside else { continue };
        let pad = (b[0] - r[0])
            .min(r[2] - b[2])
            .min(b[1] - r[1])
            .min(r[3] - b[3]);
        if pad < 0.4 * s.size - 0.5 {
            problems.push(format!(
                "{}: {:?} ({:.1} pt) has {:.2} em of padding in its box",
                case.slug,
                s.text,
                s.size,
                pad / s.size
            ));
        }
    }
}

/// The lines of each text: a line continues the one before it when it is set in the
/// same size, starts within a line's height under it and overlaps it across.
fn texts(lines: &[Line]) -> Vec<Vec<String>> {
    let size = |l: &Line| l.spans.iter().map(|s| s.size).fold(0.0, f64::max);
    let bounds = |l: &Line| {
        l.spans
            .iter()
            .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, s| {
                [
                    b[0].min(s.bbox[0]),
                    b[1].min(s.bbox[1]),
                    b[2].max(s.bbox[2]),
                    b[3].max(s.bbox[3]),
                ]
            })
    };
    let mut chains: Vec<(Vec<String>, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let (s, b) = (size(l), bounds(l));
        let follows = chains.iter_mut().rev().take(8).find(|(_, last)| {
            let p = &lines[*last];
            let pb = bounds(p);
            (size(p) - s).abs() < 0.1
                && b[1] > pb[1]
                && b[1] - pb[3] < s
                && b[0] < pb[2]
                && pb[0] < b[2]
        });
        match follows {
            Some((texts, last)) => {
                texts.push(l.text().trim().to_string());
                *last = i;
            }
            None => chains.push((vec![l.text().trim().to_string()], i)),
        }
    }
    chains.into_iter().map(|(t, _)| t).collect()
}

/// The Chinese rules of line breaking, within each text.
fn line_breaks(case: &Case, lines: &[Line], problems: &mut Vec<String>) {
    let slug = case.slug;
    for texts in texts(lines) {
        for (i, t) in texts.iter().enumerate() {
            let (Some(first), Some(last)) = (t.chars().next(), t.chars().last()) else {
                continue;
            };
            if i > 0 && CLOSING.contains(first) {
                problems.push(format!("{slug}: a line starts with {first:?}: {t:?}"));
            }
            if i + 1 < texts.len() && OPENING.contains(last) {
                problems.push(format!("{slug}: a line ends with {last:?}: {t:?}"));
            }
            if i > 0
                && UNITS.contains(first)
                && texts[i - 1].ends_with(|c: char| c.is_ascii_digit())
            {
                problems.push(format!(
                    "{slug}: a unit parted from its number: {:?} | {t:?}",
                    texts[i - 1]
                ));
            }
        }
        if texts.len() > 1 {
            let last = texts.last().unwrap();
            let han = last.chars().filter(|c| is_han(*c)).count();
            let other = last
                .chars()
                .filter(|c| c.is_alphanumeric() && !is_han(*c))
                .count();
            if (1..=2).contains(&han) && other == 0 {
                problems.push(format!(
                    "{slug}: an orphaned last line {last:?} after {:?}",
                    texts[texts.len() - 2]
                ));
            }
        }
    }
}

/// Bare-paper bands across the content, on a 10 dpi render of the trim without a
/// roll-up's hidden strip: runs of rows in which nothing but paper shows (decoration
/// that runs the whole height at an edge, such as the history board's spine, aside),
/// from the first row that shows something to the last. A run of at least 1 % of the
/// height is a band (the leading between lines of text is less); returns each band's
/// share of the height, in %.
fn bands(case: &Case, pdf: &Path) -> Vec<f64> {
    let img = rasterize(pdf, 10);
    let px = |mm: f64| (mm / 25.4 * 10.0).round() as u32;
    let (w, h) = img.dimensions();
    let (x0, x1) = (px(case.around), w - px(case.around));
    let (y0, y1) = (px(case.around), h - px(case.around) - px(case.hidden));
    // The paper: the commonest light colour of a column inside the right margin (bands
    // of colour cross it too).
    let mut counts: HashMap<[u8; 3], usize> = HashMap::new();
    for y in y0..y1 {
        let p = img.get_pixel(x1 - px(15.0), y).0;
        if p.iter().all(|c| *c >= 200) {
            *counts.entry(p).or_default() += 1;
        }
    }
    let paper = counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0;
    let ink = |x: u32, y: u32| {
        let p = img.get_pixel(x, y).0;
        (0..3).any(|c| (p[c] as i32 - paper[c] as i32).abs() > 10)
    };
    let rows = y1 - y0;
    let solid: Vec<bool> = (x0..x1)
        .map(|x| (y0..y1).filter(|&y| ink(x, y)).count() as f64 >= 0.95 * rows as f64)
        .collect();
    let mut decor = vec![false; solid.len()];
    for i in 0..solid.len() {
        if !solid[i] {
            break;
        }
        decor[i] = true;
    }
    for i in (0..solid.len()).rev() {
        if !solid[i] {
            break;
        }
        decor[i] = true;
    }
    let bare: Vec<bool> = (y0..y1)
        .map(|y| !(x0..x1).any(|x| !decor[(x - x0) as usize] && ink(x, y)))
        .collect();
    let Some(first) = bare.iter().position(|b| !b) else {
        return vec![100.0];
    };
    let last = bare.iter().rposition(|b| !b).unwrap();
    let mut out = Vec::new();
    let mut run = 0;
    for b in bare[first..=last].iter().chain([&false]) {
        if *b {
            run += 1;
        } else {
            let share = 100.0 * run as f64 / rows as f64;
            if share >= 1.0 {
                out.push(share);
            }
            run = 0;
        }
    }
    out
}

#[test]
fn boards_keep_the_design_rules_with_default_and_long_content() {
    if !poppler() || !pymupdf() {
        return;
    }
    let t = design_site();
    let run = t.run(&["boards", "site"]);
    run.ok();
    let out = t.out_dir().join("boards");
    let mut problems = Vec::new();
    let mut table = String::from(
        "board | title pt | heading pt | body pt | title/heading | bands | largest band\n",
    );
    for case in CASES {
        let pdf = out.join(format!("{}.pdf", case.slug));
        let (lines, boxes) = spans(&pdf);
        let h = hierarchy(case, &lines, &mut problems);
        padding(case, &lines, &boxes, &mut problems);
        line_breaks(case, &lines, &mut problems);
        let found = bands(case, &pdf);
        let total: f64 = found.iter().sum();
        let largest = found.iter().copied().fold(0.0, f64::max);
        if total > 15.0 || largest > 6.0 {
            problems.push(format!(
                "{}: bare paper in bands of {found:.1?} % of the height ({total:.1} % in all)",
                case.slug
            ));
        }
        table.push_str(&format!(
            "{} | {:.1} | {:.1} | {:.1} | {} | {total:.1} % | {largest:.1} %\n",
            case.slug,
            h.title,
            h.heading,
            h.body,
            if h.heading > 0.0 {
                format!("{:.2}", h.title / h.heading)
            } else {
                "—".into()
            },
        ));
        // The footer: the branch and its higher body.
        let text = pdf_text(&pdf, None);
        for name in ["中共绿水社区第一支部委员会", "中共某某区直属机关工作委员会"]
        {
            if !text.contains(name) {
                problems.push(format!("{}: the footer does not name {name}", case.slug));
            }
        }
    }
    eprintln!("{table}");
    // The QR code where one is set (a 40 dpi render is enough for zbarimg).
    for case in CASES {
        let Some(want) = case.qr else { continue };
        let pdf = out.join(format!("{}.pdf", case.slug));
        let png = pdf.with_extension("qr.png");
        let prefix = png.with_extension("");
        Command::new("pdftoppm")
            .args(["-r", "40", "-png", "-singlefile"])
            .arg(&pdf)
            .arg(&prefix)
            .output()
            .unwrap();
        let Some(codes) = qr_codes(&png) else { break };
        if codes != [want] {
            problems.push(format!("{}: QR codes {codes:?}, not {want}", case.slug));
        }
    }
    assert!(problems.is_empty(), "{}\n{table}", problems.join("\n"));
}

/// Each board of the set has a snapshot for a person to review, made by
/// `scripts/board-snapshots.sh` from the same boards: the trim, small.
#[test]
fn every_board_has_a_snapshot_to_review() {
    let dir = root().join("tests/snapshots/boards");
    for case in CASES {
        let png: PathBuf = dir.join(format!("{}.png", case.slug));
        let bytes = std::fs::read(&png).unwrap_or_else(|_| {
            panic!(
                "no snapshot {}: run scripts/board-snapshots.sh and look at it",
                png.display()
            )
        });
        assert!(
            bytes.len() < 400_000,
            "{}: snapshots stay small",
            png.display()
        );
        let img = image::load_from_memory(&bytes).unwrap();
        assert!(img.width().max(img.height()) <= 800, "{}", png.display());
    }
}

/// A board that cannot fit names the block that crosses the foot, by how many
/// millimetres, and the remedy for the sheet's shape: a taller board, a banner's blocks
/// side by side (a wider banner holds no more), a roll-up's content split (its stand
/// fixes its size).
#[test]
fn a_board_that_cannot_fit_says_which_block_by_how_much_and_what_to_do() {
    let t = SiteTest::from_dir(&root().join("example-site"));
    let _ = std::fs::remove_dir_all(t.site.join(".zhanting-cache"));
    // A wall board read from 5 m, with its QR code (500 mm at 5 m).
    t.file(
        "boards/yuanju-quan.yaml",
        &std::fs::read_to_string(t.site.join("boards/wuwei-yiti.yaml"))
            .unwrap()
            .replace(
                "size: 900x1200mm",
                "size: 900x1200mm\nviewing_distance: 5m\nqr: { url: /brand/, label: 扫码看品牌 }",
            ),
    );
    // A banner and a roll-up with more photo blocks than their height holds, each photo
    // at its smallest (a tenth of the height).
    let photos: String = (0..6)
        .map(|i| format!("  - {{ type: photos, title: 活动剪影{i}, album: 2025-qiyi, pick: [IMG_000{}.jpg] }}\n", 1 + i % 4))
        .collect();
    t.file(
        "boards/hengfu-man.yaml",
        &format!("title: 党员志愿服务在身边\nsize: 400x100cm\nprocess: banner\nviewing_distance: 3m\ndpi_warning: 30\nqr: false\nblocks:\n  - {{ type: stats, from: achievements }}\n{photos}"),
    );
    t.file(
        "boards/yilabao-man.yaml",
        &format!("title: 「五微一体」党建品牌\nprocess: rollup\nqr: false\nblocks:\n  - {{ type: pillars, from: brand }}\n{photos}{photos}"),
    );
    let message = |slug: &str, lang: &str| {
        let run = t.run_lang(&["boards", "site", "--only", slug], lang);
        run.failed();
        run.stderr
    };
    let expect = [
        (
            "yuanju-quan",
            "C.UTF-8",
            "error: board yuanju-quan: block 3 (photos) does not fit: the content is taller than the board by 1023 mm, even with photos and type at their smallest for 5 m\n  --> boards/yuanju-quan.yaml:14:3",
            "   = hint: choose a taller board (about 900×2230 mm), shorten the text, or move the blocks from block 3 on to another board\n",
        ),
        (
            "yuanju-quan",
            "zh_CN.UTF-8",
            "错误：展板 yuanju-quan：第 3 个内容块（照片）放不下：照片和文字已缩到 5 米观看距离允许的最小，内容仍比展板高出 1023 毫米\n  --> boards/yuanju-quan.yaml:14:3",
            "   = 提示：请选用更高的展板（约 900×2230 毫米）、精简文字，或把第 3 个内容块起的内容移到另一块展板\n",
        ),
        (
            "hengfu-man",
            "C.UTF-8",
            "error: board hengfu-man: block 5 (活动剪影3, photos) does not fit: the content is taller than the board by 330 mm, even with photos and type at their smallest for 3 m\n  --> boards/hengfu-man.yaml:12:3",
            "   = hint: a wider banner holds no more: give two blocks `width: half` so they sit side by side, shorten or drop blocks, or make it taller (about 4000×1330 mm)\n",
        ),
        (
            "hengfu-man",
            "zh_CN.UTF-8",
            "错误：展板 hengfu-man：第 5 个内容块（活动剪影3，照片）放不下：照片和文字已缩到 3 米观看距离允许的最小，内容仍比展板高出 330 毫米\n  --> boards/hengfu-man.yaml:12:3",
            "   = 提示：横幅加宽也放不下更多内容：请给两个内容块写 `width: half` 让它们并排，精简或删去内容块，或加高横幅（约 4000×1330 毫米）\n",
        ),
        (
            "yilabao-man",
            "C.UTF-8",
            "error: board yilabao-man: block 10 (活动剪影2, photos) does not fit: the content is taller than the board by 880 mm, even with photos and type at their smallest for 1 m\n  --> boards/yilabao-man.yaml:14:3",
            "   = hint: a roll-up is as large as its stand: shorten the text, drop a block, or move the blocks from block 10 on to a second one\n",
        ),
        (
            "yilabao-man",
            "zh_CN.UTF-8",
            "错误：展板 yilabao-man：第 10 个内容块（活动剪影2，照片）放不下：照片和文字已缩到 1 米观看距离允许的最小，内容仍比展板高出 880 毫米\n  --> boards/yilabao-man.yaml:14:3",
            "   = 提示：易拉宝的尺寸由支架决定：请精简文字、删去内容块，或把第 10 个内容块起的内容移到第二块易拉宝\n",
        ),
    ];
    for (slug, lang, error, hint) in expect {
        let err = message(slug, lang);
        assert!(err.starts_with(error), "{err}");
        assert!(err.contains(hint), "{err}");
        assert!(
            !err.contains("larger board") && !err.contains("更大的展板"),
            "{err}"
        );
    }
}
