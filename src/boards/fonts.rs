//! The fonts boards and documents are laid out with, and where a character is looked for:
//!
//! 1. the CJK subsets embedded in the binary (the 通用规范汉字表 and GB 2312);
//! 2. the site's `fonts/`;
//! 3. the system's fonts, only for characters neither has — the CJK fonts first
//!    (Noto CJK, Source Han, Microsoft YaHei, SimSun, PingFang, Songti, SimSun-ExtB …),
//!    then any that has the character. Each use is a note naming the font and its file,
//!    so the same board built on two computers can be compared; `ZHANTING_SYSTEM_FONTS=0`
//!    leaves the system's fonts out;
//! 4. a character no font has is a warning naming the file, line and column where it is
//!    written and the character: the board or document is still made (the character
//!    prints as a blank box), and `--strict` makes the warning an error.
//!
//! A rare character never stops a build. The system's fonts are scanned once per process,
//! and only when some text needs them.

use super::inputs::BODY_FONT;
use crate::error::Diagnostic;
use crate::model::{Board, Site};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{FontPath, FontStore};

/// The environment variable that, set to `0`, leaves the system's fonts out: boards then
/// come out the same on every computer.
pub const SYSTEM_FONTS_VAR: &str = "ZHANTING_SYSTEM_FONTS";

/// System families a character missing from the site's fonts is looked for in, for body
/// text (sans first) …
const SANS: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "SimHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
];
/// … for titles and the booklet's text (serif first) …
const SERIF: &[&str] = &[
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "SimSun",
    "NSimSun",
    "Songti SC",
    "STSong",
    "AR PL UMing CN",
    "Noto Serif CJK TC",
    "Noto Serif CJK JP",
    "Noto Serif CJK KR",
];
/// … and, for both, the fonts made for the rarest characters (CJK Extensions B and on).
const RARE: &[&str] = &[
    "SimSun-ExtB",
    "SimSun-ExtG",
    "MingLiU-ExtB",
    "HanaMinA",
    "HanaMinB",
    "BabelStone Han",
    "Plangothic P1",
    "Plangothic P2",
];

/// One font face in a file.
#[derive(Clone)]
struct Face {
    path: PathBuf,
    index: u32,
    info: FontInfo,
}

impl Face {
    fn entry(&self, family: &str) -> (FontPath, FontInfo) {
        let mut info = self.info.clone();
        info.family = family.to_string();
        let path = FontPath {
            path: self.path.clone(),
            index: self.index,
        };
        (path, info)
    }
}

/// The fonts in the binary, read once per process.
fn embedded_fonts() -> &'static [(Font, FontInfo)] {
    static FONTS: OnceLock<Vec<(Font, FontInfo)>> = OnceLock::new();
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

/// Whether the system's fonts may be used (`ZHANTING_SYSTEM_FONTS` is not `0`).
fn system_allowed() -> bool {
    !matches!(
        std::env::var(SYSTEM_FONTS_VAR).as_deref(),
        Ok("0" | "off" | "no" | "false")
    )
}

/// The system's fonts, scanned once per process; none when they are not allowed.
fn system_faces() -> &'static [Face] {
    static FACES: OnceLock<Vec<Face>> = OnceLock::new();
    FACES.get_or_init(|| {
        if !system_allowed() {
            return Vec::new();
        }
        let mut faces: Vec<Face> = typst_kit::fonts::system()
            .map(|(p, info)| Face {
                path: p.path,
                index: p.index,
                info,
            })
            .collect();
        // The same choice whatever order the folders were read in.
        faces.sort_by(|a, b| {
            (&a.info.family, &a.path, a.index).cmp(&(&b.info.family, &b.path, b.index))
        });
        faces
    })
}

fn faces_in(dir: &std::path::Path) -> Vec<Face> {
    let mut faces: Vec<Face> = typst_kit::fonts::scan(dir)
        .map(|(p, info)| Face {
            path: p.path,
            index: p.index,
            info,
        })
        .collect();
    faces.sort_by(|a, b| (&a.path, a.index).cmp(&(&b.path, b.index)));
    faces
}

/// The fonts of a site: the embedded ones and the site's own (with the system's faces
/// of a family site.yaml names and neither has), and the system's for what they lack.
pub struct Fonts {
    base: Arc<FontStore>,
    /// The faces after the embedded ones: the site's `fonts/`, then the system's of a
    /// family site.yaml names.
    own: Vec<Face>,
    /// Every family of `base`, lower-cased.
    families: Vec<String>,
    /// The coverage of every face of `base`.
    infos: Vec<FontInfo>,
}

/// The fonts one board or document is laid out with.
pub struct Chosen {
    /// The embedded and site fonts, with the system's faces it uses.
    pub store: Arc<FontStore>,
    /// Families after the template's own: the site's fonts, then the system's.
    body: Vec<String>,
    title: Vec<String>,
    /// The system fonts used: family, file, the characters each draws.
    pub system: Vec<SystemUse>,
    /// The characters no font has, in order.
    pub missing: Vec<char>,
}

/// A system font a board or document uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemUse {
    pub family: String,
    pub path: PathBuf,
    pub chars: Vec<char>,
}

impl Fonts {
    /// The embedded fonts, the site's `fonts/`, and the system's faces of a family
    /// site.yaml names (`boards.font`, `boards.title_font`) that neither has; such a
    /// family found nowhere is an error at its line of site.yaml.
    pub fn load(site: &Site) -> Result<Fonts, Diagnostic> {
        let mut own = Vec::new();
        let site_fonts = site.root.join("fonts");
        if site_fonts.is_dir() {
            own.extend(faces_in(&site_fonts));
        }
        let mut families: Vec<String> = embedded_fonts()
            .iter()
            .map(|(_, i)| i.family.to_lowercase())
            .chain(own.iter().map(|f| f.info.family.to_lowercase()))
            .collect();
        let wanted = [
            ("font", site.config.boards.font.as_deref()),
            ("title_font", site.config.boards.title_font.as_deref()),
        ];
        for (key, family) in wanted {
            let Some(family) = family else { continue };
            let lower = family.to_lowercase();
            if families.contains(&lower) {
                continue;
            }
            let found: Vec<Face> = system_faces()
                .iter()
                .filter(|f| f.info.family.to_lowercase() == lower)
                .cloned()
                .collect();
            if found.is_empty() {
                return Err(unknown_family(site, key, family));
            }
            own.extend(found);
            families.push(lower);
        }
        let store = store(&own, &[]);
        let book = store.book();
        let infos = (0..).map_while(|i| book.info(i).cloned()).collect();
        families.sort();
        families.dedup();
        Ok(Fonts {
            base: Arc::new(store),
            own,
            families,
            infos,
        })
    }

    /// The embedded and the site's fonts.
    pub fn store(&self) -> Arc<FontStore> {
        self.base.clone()
    }

    /// The characters of `text` none of the embedded and site fonts has, each once, in
    /// order.
    pub fn lacking(&self, text: &str) -> Vec<char> {
        missing_from(&self.infos, text)
    }

    /// The families of the embedded and site fonts, each once, in order.
    fn own_families(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for f in &self.own {
            if !v.contains(&f.info.family) {
                v.push(f.info.family.clone());
            }
        }
        v
    }

    /// The embedded and site fonts alone, the characters in `missing` lacking.
    fn own_only(&self, missing: Vec<char>) -> Chosen {
        let families = self.own_families();
        Chosen {
            store: self.base.clone(),
            body: families.clone(),
            title: families,
            system: Vec::new(),
            missing,
        }
    }

    /// The fonts to lay out `text` with: the embedded and site fonts, and for each
    /// character they lack, the first system font that has it (the CJK families in
    /// order, sans first for body text and serif first for titles, then any other).
    pub fn choose(&self, text: &str) -> Chosen {
        let lacking = self.lacking(text);
        if lacking.is_empty() {
            return self.own_only(Vec::new());
        }
        let system = system_faces();
        let mut uses: Vec<SystemUse> = Vec::new();
        let mut body: Vec<String> = Vec::new();
        let mut title: Vec<String> = Vec::new();
        let mut missing = Vec::new();
        for &c in &lacking {
            let (Some(sans), Some(serif)) = (
                first_covering(system, c, [SANS, SERIF, RARE]),
                first_covering(system, c, [SERIF, SANS, RARE]),
            ) else {
                missing.push(c);
                continue;
            };
            for (face, list) in [(sans, &mut body), (serif, &mut title)] {
                let family = &face.info.family;
                if !list.contains(family) {
                    list.push(family.clone());
                }
                match uses.iter_mut().find(|u| &u.family == family) {
                    Some(u) if !u.chars.contains(&c) => u.chars.push(c),
                    Some(_) => {}
                    None => uses.push(SystemUse {
                        family: family.clone(),
                        path: face.path.clone(),
                        chars: vec![c],
                    }),
                }
            }
        }
        if uses.is_empty() {
            return self.own_only(missing);
        }
        let site_families = self.own_families();
        // A system family of the same name as one of the site's (the system's whole Noto
        // CJK beside the embedded subset) goes by another name in this store, so that
        // the templates' lists name one or the other.
        let renamed = |family: &str| {
            if self.families.contains(&family.to_lowercase()) {
                format!("{family} (system)")
            } else {
                family.to_string()
            }
        };
        let extra: Vec<(Face, String)> = uses
            .iter()
            .flat_map(|u| {
                system
                    .iter()
                    .filter(|f| f.info.family == u.family)
                    .map(|f| (f.clone(), renamed(&u.family)))
            })
            .collect();
        let with = |list: Vec<String>| {
            let mut all = site_families.clone();
            all.extend(list.iter().map(|f| renamed(f)));
            all
        };
        Chosen {
            store: Arc::new(store(&self.own, &extra)),
            body: with(body),
            title: with(title),
            system: uses,
            missing,
        }
    }
}

/// The first system face that has `c`, of the families in `order` (of each family the
/// face closest to the regular weight, which names its file), else of any family.
fn first_covering<'a>(system: &'a [Face], c: char, order: [&[&str]; 3]) -> Option<&'a Face> {
    let regular = |f: &&Face| (f.info.variant.weight.to_number() as i32 - 400).abs();
    let covers = |f: &&Face| f.info.coverage.contains(c as u32);
    order
        .iter()
        .flat_map(|names| names.iter())
        .find_map(|name| {
            system
                .iter()
                .filter(|f| f.info.family.eq_ignore_ascii_case(name))
                .filter(covers)
                .min_by_key(regular)
        })
        .or_else(|| system.iter().find(covers))
}

/// A store of the embedded fonts, `own` and the system's `extra` faces (each under the
/// family name given).
fn store(own: &[Face], extra: &[(Face, String)]) -> FontStore {
    let mut store = FontStore::new();
    store.extend(embedded_fonts().iter().cloned());
    for f in own {
        store.push(f.entry(&f.info.family));
    }
    for (f, family) in extra {
        store.push(f.entry(family));
    }
    store
}

/// The error for a family site.yaml names that is neither in fonts/ nor installed.
fn unknown_family(site: &Site, key: &str, family: &str) -> Diagnostic {
    let src = std::fs::read_to_string(site.root.join(crate::config::FILE)).unwrap_or_default();
    Diagnostic::error(
        format!("font `{family}` (boards.{key}) is neither in fonts/ nor installed"),
        format!("字体 `{family}`（boards.{key}）既不在 fonts/ 目录中，也未安装在系统里"),
    )
    .file(crate::config::FILE)
    .at_opt(&src, crate::yaml::find_value(&src, key, family))
    .hint(
        format!("put the font file (.otf/.ttf/.ttc) in fonts/, check the family name, or remove boards.{key} to use the built-in {BODY_FONT}"),
        format!("请把字体文件（.otf/.ttf/.ttc）放进 fonts/ 目录，核对字体名称，或删除 boards.{key} 以使用内置的思源字体"),
    )
}

/// Characters no font draws anything for, which need none: spaces, controls, zero-width
/// and joining characters, variation selectors.
fn needs_no_font(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{e0000}'..='\u{e0fff}')
}

/// The characters of `text` no font of `infos` has, each once, in order.
/// Each character is looked up once: a coverage is a list of runs searched from the
/// start, thousands long in a CJK font, and a year's booklet has a million characters
/// of a few thousand kinds (choosing a booklet's fonts: 2.1 s → 32 ms).
fn missing_from(infos: &[FontInfo], text: &str) -> Vec<char> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut missing: Vec<char> = Vec::new();
    for c in text.chars() {
        if needs_no_font(c) || !seen.insert(c) {
            continue;
        }
        if !infos.iter().any(|f| f.coverage.contains(c as u32)) {
            missing.push(c);
        }
    }
    missing
}

impl Chosen {
    /// Adds the fallback families to a template's `sys.inputs`: after the families of
    /// `fonts.body` and `fonts.title`, the site's fonts, then the system's it uses.
    pub fn apply(&self, inputs: &mut serde_json::Value) {
        for (role, extra) in [("body", &self.body), ("title", &self.title)] {
            if let Some(list) = inputs["fonts"][role].as_array_mut() {
                for family in extra {
                    let family = serde_json::Value::from(family.as_str());
                    if !list.contains(&family) {
                        list.push(family);
                    }
                }
            }
        }
    }

    /// What `what` (English, Chinese: `board wuwei`, `展板 wuwei`) says of the
    /// characters of `parts` (each a part's text and how to locate it): a note for each
    /// system font used, a warning for each character no font has, each at the file,
    /// line and column where the character is written.
    pub fn report(&self, site: &Site, what: (&str, &str), parts: &[Part]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some(first) = self.system.first() {
            let mut chars: Vec<char> = Vec::new();
            for c in self.system.iter().flat_map(|u| &u.chars) {
                if !chars.contains(c) {
                    chars.push(*c);
                }
            }
            let chars: String = chars.into_iter().collect();
            let fonts = |open: &str, close: &str, and: &str| {
                let named: Vec<String> = self
                    .system
                    .iter()
                    .map(|u| format!("{}{open}{}{close}", u.family, u.path.display()))
                    .collect();
                named.join(and)
            };
            let d = Diagnostic::note(
                format!("{}: {chars} drawn with the system's {} — not fonts of the site or of zhanting: built on another computer, they may look different or be missing", what.0, fonts(" (", ")", ", ")),
                format!("{}：{chars} 使用了本机的系统字体 {}，不是站点或 zhanting 自带的字体：在其他电脑上生成，字形可能不同甚至缺字", what.1, fonts("（", "）", "、")),
            )
            .hint(
                "to print the same on every computer, copy these font files into the site's fonts/ folder",
                "如需在任何电脑上生成相同的结果，请把这些字体文件复制到站点的 fonts/ 目录",
            );
            out.push(locate(site, parts, first.chars[0], d));
        }
        for &c in &self.missing {
            let part = parts.iter().find(|p| p.text.contains(c));
            let what = match part {
                Some(p) => (
                    format!("{}, {}", what.0, p.what.0),
                    format!("{}，{}", what.1, p.what.1),
                ),
                None => (what.0.to_string(), what.1.to_string()),
            };
            out.push(locate(site, parts, c, missing_glyph((&what.0, &what.1), c)));
        }
        out
    }
}

/// One part of a board or document, for locating its characters: its text, what it is
/// (English, Chinese), and the files it is written in, the first where it starts.
pub struct Part {
    pub text: String,
    pub what: (String, String),
    /// Site-relative files, in the order to look in, with a position in the first.
    pub files: Vec<String>,
    pub at: Option<(usize, usize)>,
}

/// `d` at the first place character `c` is written: in the files of the part that holds
/// it, then in the site's YAML files and pages; at the part's own position, else its
/// file, when the character is not found as written.
fn locate(site: &Site, parts: &[Part], c: char, d: Diagnostic) -> Diagnostic {
    let part = parts.iter().find(|p| p.text.contains(c));
    let mut files: Vec<String> = part.map(|p| p.files.clone()).unwrap_or_default();
    files.extend(
        [
            crate::config::FILE,
            crate::load::brand::BRAND_FILE,
            crate::load::brand::ACHIEVEMENTS_FILE,
            crate::model::documents::DECK_FILE,
        ]
        .map(str::to_string),
    );
    files.extend(
        site.albums
            .iter()
            .map(|a| format!("albums/{}/album.yaml", a.name)),
    );
    files.extend(site.pages.iter().map(|p| p.source.to_string()));
    let needle = c.to_string();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(site.root.join(file)) else {
            continue;
        };
        if let Some((line, col)) = crate::yaml::find_text(&text, &needle) {
            return d.file(file.as_str()).at(&text, line, col);
        }
    }
    match part.and_then(|p| Some((p.files.first()?, p.at))) {
        Some((file, at)) => {
            let text = std::fs::read_to_string(site.root.join(file)).unwrap_or_default();
            d.file(file.as_str()).at_opt(&text, at)
        }
        None => d,
    }
}

/// Whether `d` is the warning of a character no font has: what has it is not kept in a
/// cache, so that it is made again with the fonts there are then.
pub fn is_missing_glyph(d: &Diagnostic) -> bool {
    !d.is_error() && d.message.en.contains(": no font has `")
}

/// The warning for character `c` of `what` (English, Chinese) that no font has.
pub fn missing_glyph(what: (&str, &str), c: char) -> Diagnostic {
    let d = Diagnostic::warning(
        format!(
            "{}: no font has `{c}` (U+{:04X}): it prints as a blank box",
            what.0, c as u32
        ),
        format!(
            "{}：没有字体包含 `{c}`（U+{:04X}），印出来将是空白方框",
            what.1, c as u32
        ),
    );
    let private = matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    if private {
        d.hint(
            "this is a private-use character (from an input method's or Word's own symbol font): it shows only with that font; replace it with a standard character",
            "这是私用区字符（来自输入法或 Word 的专用符号字体），只有那种字体能显示：请换成标准字符",
        )
    } else {
        d.hint(
            "put a font that has it into the site's fonts/ folder (.otf/.ttf/.ttc: it is used for every character the built-in fonts lack), install one on this computer, or write a common variant",
            "请把包含该字的字体文件（.otf/.ttf/.ttc）放进站点的 fonts/ 目录（内置字体缺少的字会自动从中查找），或在本机安装含该字的字体，或改用常用写法",
        )
    }
}

/// A board's parts, for choosing its fonts and locating its characters: the title band
/// and footer (with the site's organization, brand and slogan), then each block.
pub fn board_parts(board: &Board, site: &Site) -> Vec<Part> {
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
    let mut parts = vec![Part {
        text: head,
        what: ("title and footer".into(), "标题与页脚".into()),
        files: vec![board.source.clone()],
        at: None,
    }];
    for (i, b) in board.blocks.iter().enumerate() {
        let kind = b.content.kind();
        parts.push(Part {
            text: b.text.clone(),
            what: (
                format!("block {} ({kind})", i + 1),
                format!("第 {} 个内容块（{kind}）", i + 1),
            ),
            files: vec![board.source.clone()],
            at: b.at,
        });
    }
    parts
}

/// Every string of a template's `sys.inputs`, one a line.
pub fn strings(v: &serde_json::Value) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(v, &mut out);
    out
}

/// The text of `parts`, one part a line.
pub fn text_of(parts: &[Part]) -> String {
    let mut text = String::new();
    for p in parts {
        text.push_str(&p.text);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_fonts_hold_the_tongyong_guifan_table_and_gb2312() {
        let infos: Vec<FontInfo> = embedded_fonts().iter().map(|(_, i)| i.clone()).collect();
        let table = include_str!("../../scripts/tongyong-guifan-hanzi-2013.txt");
        let chars: String = table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(chars.chars().count(), 8105);
        for (_, info) in embedded_fonts() {
            let lacking = missing_from(std::slice::from_ref(info), &chars);
            assert!(lacking.is_empty(), "{}: lacks {lacking:?}", info.family);
        }
        // Names and words that GB 2312 lacks, pinyin's tone marks, a combining macron.
        let lacking = missing_from(&infos, "堃喆犇珺玥昇瞭 lǜ ǎ a\u{304} ①");
        assert!(lacking.is_empty(), "{lacking:?}");
        // Traditional characters and CJK Extension B are left to the system's fonts.
        assert_eq!(
            missing_from(&infos, "機𠮷\u{e000}"),
            ['機', '𠮷', '\u{e000}']
        );
    }

    #[test]
    fn a_private_use_character_is_a_warning_with_its_own_hint() {
        let d = missing_glyph(("board a", "展板 a"), '\u{e000}');
        assert!(!d.is_error());
        assert_eq!(
            d.message.zh,
            "展板 a：没有字体包含 `\u{e000}`（U+E000），印出来将是空白方框"
        );
        assert!(d
            .hint
            .unwrap()
            .en
            .starts_with("this is a private-use character"));
    }
}
