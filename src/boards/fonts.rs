//! The fonts a board can use — the CJK subsets embedded in the binary, the site's
//! `fonts/`, and the system's when site.yaml names a family neither has — and the check
//! that every character a board shows is in one of them.

use super::inputs::BODY_FONT;
use crate::error::Diagnostic;
use crate::model::{Board, Site};
use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::FontStore;

/// The fonts in the binary, read once per process.
fn embedded_fonts() -> &'static [(Font, typst::text::FontInfo)] {
    static FONTS: std::sync::OnceLock<Vec<(Font, typst::text::FontInfo)>> =
        std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let Some(dir) = crate::theme::THEME.get_dir("fonts") else {
            return Vec::new();
        };
        dir.files()
            .filter(|f| {
                let ext = f.path().extension().and_then(|e| e.to_str());
                matches!(ext, Some("otf" | "ttf" | "ttc"))
            })
            .flat_map(|f| Font::iter(Bytes::new(f.contents())))
            .map(|font| {
                let info = font.info().clone();
                (font, info)
            })
            .collect()
    })
}

/// The embedded fonts, the site's `fonts/`, and the system's when site.yaml names a
/// family neither has.
pub fn load_fonts(site: &Site) -> Result<FontStore, Diagnostic> {
    let mut store = FontStore::new();
    store.extend(embedded_fonts().iter().cloned());
    let site_fonts = site.root.join("fonts");
    if site_fonts.is_dir() {
        store.extend(typst_kit::fonts::scan(&site_fonts));
    }
    let wanted: Vec<(&str, &str)> = [
        ("font", site.config.boards.font.as_deref()),
        ("title_font", site.config.boards.title_font.as_deref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let missing = |store: &FontStore| {
        wanted
            .iter()
            .find(|(_, f)| !store.book().contains_family(&f.to_lowercase()))
            .copied()
    };
    if missing(&store).is_some() {
        store.extend(typst_kit::fonts::system());
    }
    if let Some((key, family)) = missing(&store) {
        let src = std::fs::read_to_string(site.root.join(crate::config::FILE)).unwrap_or_default();
        return Err(Diagnostic::error(
            format!("font `{family}` (boards.{key}) is neither in fonts/ nor installed"),
            format!("字体 `{family}`（boards.{key}）既不在 fonts/ 目录中，也未安装在系统里"),
        )
        .file(crate::config::FILE)
        .at_opt(&src, crate::yaml::find_value(&src, key, family))
        .hint(
            format!("put the font file (.otf/.ttf/.ttc) in fonts/, check the family name, or remove boards.{key} to use the built-in {BODY_FONT}"),
            format!("请把字体文件（.otf/.ttf/.ttc）放进 fonts/ 目录，核对字体名称，或删除 boards.{key} 以使用内置的思源字体"),
        ));
    }
    Ok(store)
}

/// Which characters a set of fonts can show.
pub struct Coverage<'a> {
    infos: Vec<&'a typst::text::FontInfo>,
}

impl<'a> Coverage<'a> {
    pub fn new(fonts: &'a FontStore) -> Coverage<'a> {
        let book = fonts.book();
        Coverage {
            infos: (0..).map_while(|i| book.info(i)).collect(),
        }
    }

    /// The characters of `text` no font shows, each once, in order.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let covered = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
                || self.infos.iter().any(|f| f.coverage.contains(c as u32))
        };
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars().filter(|&c| !covered(c)) {
            if !missing.contains(&c) {
                missing.push(c);
            }
        }
        missing
    }
}

/// The error for characters of `what` (in a board, a deck, a booklet) no font shows.
/// `name` and `what` are (English, Chinese).
pub fn missing_glyphs(name: (&str, &str), what: (&str, &str), missing: &[char]) -> Diagnostic {
    let c = missing[0];
    let more: String = missing.iter().skip(1).take(7).collect();
    let (more_en, more_zh) = if more.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(", nor {more}"), format!("，以及 {more}"))
    };
    Diagnostic::error(
        format!(
            "{}, {}: no font can show `{c}` (U+{:04X}){more_en}",
            name.0, what.0, c as u32
        ),
        format!(
            "{}，{}：没有字体能显示字符 `{c}`（U+{:04X}）{more_zh}",
            name.1, what.1, c as u32
        ),
    )
    .hint(
        "the built-in font covers GB 2312; put a font with this character in fonts/ and name it in site.yaml (boards.font), or write a common variant",
        "内置字体覆盖 GB 2312 字符集；请把含有该字符的字体放进 fonts/ 目录并在 site.yaml 的 boards.font 中指定，或改用常用写法",
    )
}

/// Whether every character the board shows is in some font; each part of the board
/// with one that is not is an error in `diags` (Typst would print a blank box).
pub fn check_glyphs(
    board: &Board,
    site: &Site,
    fonts: &FontStore,
    diags: &mut crate::error::Diagnostics,
) -> bool {
    let coverage = Coverage::new(fonts);
    let mut ok = true;
    for (text, what_en, what_zh, at) in board_texts(board, site) {
        let missing = coverage.missing(&text);
        if missing.is_empty() {
            continue;
        }
        ok = false;
        let name = (
            format!("board {}", board.slug),
            format!("展板 {}", board.slug),
        );
        let d = missing_glyphs((&name.0, &name.1), (&what_en, &what_zh), &missing);
        let pos = crate::yaml::find_text(&board.yaml, &missing[0].to_string()).or(at);
        diags.push(d.file(&board.source).at_opt(&board.yaml, pos));
    }
    ok
}

/// One part of a board: its text, what it is (English, Chinese), where it starts.
type Part = (String, String, String, Option<(usize, usize)>);

/// What a board shows, part by part: the title band and footer (with the site's
/// organization, brand and slogan), then each block.
fn board_texts(board: &Board, site: &Site) -> Vec<Part> {
    let mut head = board.title.clone();
    let footer = [
        Some(&site.config.title),
        site.config.organization.as_ref(),
        site.brand.as_ref().map(|b| &b.name),
        site.brand.as_ref().and_then(|b| b.slogan.as_ref()),
    ];
    for s in board
        .subtitle
        .iter()
        .chain(board.series.as_ref().map(|s| &s.name))
        .chain(footer.into_iter().flatten())
    {
        head.push('\n');
        head.push_str(s);
    }
    let mut texts = vec![(head, "title and footer".into(), "标题与页脚".into(), None)];
    for (i, b) in board.blocks.iter().enumerate() {
        let kind = b.content.kind();
        texts.push((
            b.text.clone(),
            format!("block {} ({kind})", i + 1),
            format!("第 {} 个内容块（{kind}）", i + 1),
            b.at,
        ));
    }
    texts
}
