//! `site.yaml`: the site's title, address, theme, footer and switches.
//!
//! [`SiteConfig::parse`] reads a string (cheap to test); [`SiteConfig::from_file`] reads
//! the file and reports problems as [`Diagnostic`]s pointing into it.

pub mod portal;
pub mod publish;

use crate::error::Diagnostic;
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const FILE: &str = "site.yaml";

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// One sentence for search engines and link previews.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub logo: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub nav: Option<Vec<NavItem>>,
    #[serde(default)]
    pub footer: Footer,
    #[serde(default)]
    pub slugs: SlugMode,
    /// Pages per list page for sections without `paginate_by` and for tag pages.
    #[serde(default = "default_paginate")]
    pub paginate_by: usize,
    #[serde(default)]
    pub images: Images,
    #[serde(default)]
    pub boards: Boards,
    #[serde(default = "yes")]
    pub search: bool,
    #[serde(default = "yes")]
    pub feed: bool,
    /// Publish the 展评 deck and the latest year's booklet under `/downloads/`.
    #[serde(default = "yes")]
    pub documents: bool,
    /// Where `zhanting publish` puts the site (a bucket or a folder).
    #[serde(default)]
    pub publish: Option<publish::Publish>,
    /// The portal this site is built in, if any: not a key of site.yaml, set by the
    /// portal (`portal`), so every page links back to it.
    #[serde(skip)]
    pub portal: Option<PortalLink>,
}

/// A branch's way back to its committee's portal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PortalLink {
    pub title: String,
    /// The portal's home as a path of the server (`/dangwei/`), for hosted builds;
    /// offline builds link to the folder above the branch's.
    pub path: String,
}

fn yes() -> bool {
    true
}

fn default_paginate() -> usize {
    20
}

#[cfg_attr(test, derive(schemars::JsonSchema, serde::Serialize))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    #[serde(default = "default_primary")]
    pub primary: String,
    #[serde(default = "default_accent")]
    pub accent: String,
}

/// The theme's own colours.
pub const DEFAULT_PRIMARY: &str = "#c8161d";
pub const DEFAULT_ACCENT: &str = "#f4b400";

fn default_primary() -> String {
    DEFAULT_PRIMARY.into()
}
fn default_accent() -> String {
    DEFAULT_ACCENT.into()
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            primary: default_primary(),
            accent: default_accent(),
        }
    }
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    #[serde(default)]
    pub icp: Option<String>,
    #[serde(default)]
    pub police: Option<String>,
    #[serde(default)]
    pub copyright: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema, serde::Serialize))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugMode {
    #[default]
    Pinyin,
    Unicode,
}

/// Settings of the image pipeline (used by the photo issue; accepted and checked here).
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Images {
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    #[serde(default = "default_quality")]
    pub quality: u8,
    #[serde(default = "default_formats")]
    pub formats: Vec<ImageFormat>,
    #[serde(default = "yes")]
    pub strip_metadata: bool,
}

fn default_widths() -> Vec<u32> {
    vec![480, 960, 1600]
}
fn default_quality() -> u8 {
    82
}
fn default_formats() -> Vec<ImageFormat> {
    vec![ImageFormat::Webp, ImageFormat::Jpeg]
}

impl Default for Images {
    fn default() -> Self {
        Images {
            widths: default_widths(),
            quality: default_quality(),
            formats: default_formats(),
            strip_metadata: true,
        }
    }
}

#[cfg_attr(test, derive(schemars::JsonSchema, serde::Serialize))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Webp,
    Jpeg,
}

/// How a board is printed (`process:`), each a preset of the geometry keys.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Process {
    /// 写真 or offset (胶印): bleed and, if asked, crop marks.
    #[default]
    Offset,
    /// 喷绘: large format, no bleed, a safe margin for hemming and grommets.
    Banner,
    /// 易拉宝: the foot of the sheet goes into the stand.
    Rollup,
    /// X展架: the corners hold the frame.
    Xstand,
}

impl Process {
    pub const NAMES: &[&str] = &["offset", "banner", "rollup", "xstand"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// What the print shop calls it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Process::Offset => "写真/胶印",
            Process::Banner => "喷绘",
            Process::Rollup => "易拉宝",
            Process::Xstand => "X展架",
        }
    }

    /// The visible size when the board gives none, in mm (else site.yaml's default).
    pub fn default_size(self) -> Option<(f64, f64)> {
        match self {
            Process::Rollup => Some((800.0, 2000.0)),
            Process::Xstand => Some((600.0, 1600.0)),
            Process::Offset | Process::Banner => None,
        }
    }

    /// Whether the process prints past the trim (a banner's page is its trim).
    pub fn bleeds(self) -> bool {
        self != Process::Banner
    }

    /// The safe margin, hidden strip and corner squares when the board gives none, mm.
    pub fn default_safe(self) -> f64 {
        if self == Process::Banner {
            50.0
        } else {
            0.0
        }
    }

    pub fn default_hidden(self) -> f64 {
        if self == Process::Rollup {
            100.0
        } else {
            0.0
        }
    }

    pub fn corners(self) -> f64 {
        if self == Process::Xstand {
            50.0
        } else {
            0.0
        }
    }

    /// The low-DPI threshold for photos: a banner is seen from metres away.
    pub fn default_dpi(self) -> u32 {
        if self == Process::Banner {
            30
        } else {
            72
        }
    }
}

/// Defaults for exhibition boards (used by the boards issue; accepted and checked here).
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boards {
    #[serde(default = "default_board_size")]
    pub size: String,
    #[serde(default = "default_bleed")]
    pub bleed: String,
    /// Overrides every process's own low-DPI threshold.
    #[serde(default)]
    pub dpi_warning: Option<u32>,
    /// The print process of boards that name none.
    #[serde(default)]
    pub process: Process,
    /// The exact inks of the theme colours on boards, CMYK in percent.
    #[serde(default)]
    pub cmyk: Inks,
    /// Body font family (in fonts/ or installed); the built-in Noto Sans CJK SC otherwise.
    #[serde(default)]
    pub font: Option<String>,
    /// Title font family; the built-in Noto Serif CJK SC (bold) otherwise.
    #[serde(default)]
    pub title_font: Option<String>,
}

fn default_board_size() -> String {
    "900x1200mm".into()
}
fn default_bleed() -> String {
    "3mm".into()
}
/// The inks of the board theme colours (`boards.cmyk`), C, M, Y, K in percent.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Inks {
    #[serde(default = "default_primary_ink")]
    pub primary: [f64; 4],
    #[serde(default = "default_accent_ink")]
    pub accent: [f64; 4],
}

impl Default for Inks {
    fn default() -> Inks {
        Inks {
            primary: default_primary_ink(),
            accent: default_accent_ink(),
        }
    }
}

/// Party red: full magenta and yellow, the ink print shops mix for 党建红.
fn default_primary_ink() -> [f64; 4] {
    [0.0, 100.0, 100.0, 0.0]
}
/// Gold: a touch of magenta in yellow.
fn default_accent_ink() -> [f64; 4] {
    [0.0, 12.0, 90.0, 0.0]
}

impl Boards {
    /// The default trim size in millimetres (checked when site.yaml was read).
    pub fn size_mm(&self) -> (f64, f64) {
        parse_size(&self.size).unwrap_or((900.0, 1200.0))
    }

    /// The default bleed in millimetres (checked when site.yaml was read).
    pub fn bleed_mm(&self) -> f64 {
        parse_bleed(&self.bleed).unwrap_or(3.0)
    }
}

/// Board sizes by name: ISO A0/A1 and the print shops' common sizes in cm.
const SIZE_PRESETS: &[(&str, f64, f64)] = &[
    ("A0", 841.0, 1189.0),
    ("A1", 594.0, 841.0),
    ("60x90", 600.0, 900.0),
    ("80x180", 800.0, 1800.0),
    ("90x120", 900.0, 1200.0),
    ("120x240", 1200.0, 2400.0),
];

pub const SIZE_HINT: (&str, &str) = (
    "write width x height with a unit, e.g. `900x1200mm` or `90x120cm`, or a preset: A0, A1, 60x90, 80x180, 90x120, 120x240 (cm)",
    "请写“宽x高”加单位，如 `900x1200mm` 或 `90x120cm`，或预设尺寸：A0、A1、60x90、80x180、90x120、120x240（厘米）",
);

pub const BLEED_HINT: (&str, &str) = ("print shops usually ask for `3mm`", "印刷厂通常要求 `3mm`");

/// A board size in millimetres: a preset or `WxH` with `mm` or `cm`.
pub fn parse_size(s: &str) -> Option<(f64, f64)> {
    let s = s.trim().replace(['×', 'X', '*'], "x").replace(' ', "");
    if let Some((_, w, h)) = SIZE_PRESETS.iter().find(|p| p.0.eq_ignore_ascii_case(&s)) {
        return Some((*w, *h));
    }
    let (num, scale) = if let Some(n) = s.strip_suffix("mm") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("cm") {
        (n, 10.0)
    } else {
        return None;
    };
    let (w, h) = num.split_once('x')?;
    let (w, h): (f64, f64) = (w.parse().ok()?, h.parse().ok()?);
    let (w, h) = (w * scale, h * scale);
    // From a postcard to the largest rolls print shops take.
    let ok = |v: f64| (50.0..=5000.0).contains(&v);
    (ok(w) && ok(h)).then_some((w, h))
}

/// A length in millimetres: `3mm`, `0.3cm`, `0`.
pub fn parse_length(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("mm") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("cm") {
        (n, 10.0)
    } else if s == "0" {
        ("0", 1.0)
    } else {
        return None;
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * scale)
}

/// A bleed: a length from 0 to 20 mm.
pub fn parse_bleed(s: &str) -> Option<f64> {
    parse_length(s).filter(|b| (0.0..=20.0).contains(b))
}

/// The error for a board size that is not understood, at `pos` of `file`.
pub fn bad_size(text: &str, file: &str, src: &str, pos: Option<(usize, usize)>) -> Diagnostic {
    Diagnostic::error(
        format!("board size `{text}` is not understood"),
        format!("无法识别展板尺寸 `{text}`"),
    )
    .file(file)
    .at_opt(src, pos)
    .hint(SIZE_HINT.0, SIZE_HINT.1)
}

/// The error for a bleed out of range, at `pos` of `file`.
pub fn bad_bleed(text: &str, file: &str, src: &str, pos: Option<(usize, usize)>) -> Diagnostic {
    Diagnostic::error(
        format!("bleed `{text}` is not a length from 0 to 20 mm"),
        format!("出血 `{text}` 不是 0 到 20 毫米之间的长度"),
    )
    .file(file)
    .at_opt(src, pos)
    .hint(BLEED_HINT.0, BLEED_HINT.1)
}

impl Default for Boards {
    fn default() -> Self {
        Boards {
            size: default_board_size(),
            bleed: default_bleed(),
            dpi_warning: None,
            process: Process::default(),
            cmyk: Inks::default(),
            font: None,
            title_font: None,
        }
    }
}

impl SiteConfig {
    /// Parses and checks `site.yaml` text; every problem found is returned.
    pub fn parse(src: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let secrets = publish::secrets_in(FILE, src);
        if !secrets.is_empty() {
            return Err(secrets);
        }
        let config: SiteConfig = yaml::parse(FILE, src, src, 0).map_err(|d| vec![d])?;
        let problems = config.check(src);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Reads `DIR/site.yaml`.
    pub fn from_file(site_dir: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = site_dir.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(src) => SiteConfig::parse(&src),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(vec![Diagnostic::error(
                format!("no site.yaml in {}", site_dir.display()),
                format!("{} 中没有 site.yaml", site_dir.display()),
            )
            .hint(
                "run zhanting in a site folder, or create one with `zhanting init DIR`",
                "请在站点目录中运行，或用 `zhanting init 目录` 新建一个站点",
            )]),
            Err(e) => Err(vec![Diagnostic::unreadable(FILE, &e)]),
        }
    }

    fn check(&self, src: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut err = |d: Diagnostic| out.push(d.file(FILE));
        if self.title.trim().is_empty() {
            err(
                Diagnostic::error("the site title is empty", "站点标题 title 为空")
                    .at_opt(src, yaml::find_key(src, "title", 1))
                    .hint(
                        "write the branch's name, e.g. title: 中共某某支部委员会",
                        "请填写支部名称，例如 title: 中共某某支部委员会",
                    ),
            );
        }
        if let Some(url) = &self.base_url {
            if let Err((en, zh)) = check_base_url(url) {
                err(Diagnostic::error(en, zh)
                    .at_opt(src, yaml::find_key(src, "base_url", 1))
                    .hint(
                        "write the full address the site is served at, e.g. https://example.org/dangjian/",
                        "请填写网站的完整地址，例如 https://example.org/dangjian/",
                    ));
            }
        }
        for (key, value) in [
            ("primary", &self.theme.primary),
            ("accent", &self.theme.accent),
        ] {
            if !is_hex_colour(value) {
                err(Diagnostic::error(
                    format!("theme.{key} `{value}` is not a colour"),
                    format!("theme.{key} 的值 `{value}` 不是颜色"),
                )
                .at_opt(src, yaml::find_value(src, key, value))
                .hint(
                    "write a hex colour in quotes, e.g. primary: \"#c8161d\"",
                    "请用带引号的十六进制颜色，例如 primary: \"#c8161d\"",
                ));
            }
        }
        if self.paginate_by == 0 {
            err(
                Diagnostic::error("paginate_by must be at least 1", "paginate_by 至少为 1")
                    .at_opt(src, yaml::find_key(src, "paginate_by", 1))
                    .hint("e.g. paginate_by: 20", "例如 paginate_by: 20"),
            );
        }
        if self.images.widths.is_empty() || self.images.widths.contains(&0) {
            err(Diagnostic::error(
                "images.widths must list widths in pixels",
                "images.widths 应列出以像素为单位的宽度",
            )
            .at_opt(src, yaml::find_key(src, "widths", 1))
            .hint(
                "e.g. widths: [480, 960, 1600]",
                "例如 widths: [480, 960, 1600]",
            ));
        }
        if parse_size(&self.boards.size).is_none() {
            let pos =
                yaml::find_key(src, "boards", 1).and_then(|(l, _)| yaml::find_key(src, "size", l));
            err(bad_size(&self.boards.size, FILE, src, pos));
        }
        let inks = &self.boards.cmyk;
        for (name, ink) in [("primary", &inks.primary), ("accent", &inks.accent)] {
            if ink.iter().any(|v| !(0.0..=100.0).contains(v)) {
                let pos =
                    yaml::find_key(src, "cmyk", 1).and_then(|(l, _)| yaml::find_key(src, name, l));
                err(Diagnostic::error(
                    format!("boards.cmyk.{name} {ink:?} is not four percentages from 0 to 100"),
                    format!("boards.cmyk.{name} {ink:?} 应为 0 到 100 之间的四个百分比"),
                )
                .at_opt(src, pos)
                .hint(
                    "C, M, Y, K in percent, e.g. `primary: [0, 100, 100, 0]`",
                    "依次为 C、M、Y、K 的百分比，例如 `primary: [0, 100, 100, 0]`",
                ));
            }
        }
        if parse_bleed(&self.boards.bleed).is_none() {
            let pos =
                yaml::find_key(src, "boards", 1).and_then(|(l, _)| yaml::find_key(src, "bleed", l));
            err(bad_bleed(&self.boards.bleed, FILE, src, pos));
        }
        if let Some(p) = &self.publish {
            p.check(FILE, src).into_iter().for_each(&mut err);
        }
        if !(1..=100).contains(&self.images.quality) {
            err(Diagnostic::error(
                "images.quality must be between 1 and 100",
                "images.quality 应在 1 到 100 之间",
            )
            .at_opt(src, yaml::find_key(src, "quality", 1))
            .hint(
                "82 is a good balance of size and quality",
                "82 是兼顾体积与画质的取值",
            ));
        }
        out
    }

    /// The absolute base URL, always ending with `/`.
    pub fn base_url(&self) -> Option<String> {
        self.base_url.as_ref().map(|u| normalize_base_url(u))
    }
}

pub fn normalize_base_url(url: &str) -> String {
    let url = url.trim();
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Checks that `url` is an absolute http(s) address without query or fragment.
pub fn check_base_url(url: &str) -> Result<(), (String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', '#', ' ']) =>
        {
            Ok(())
        }
        _ => Err((
            format!("base_url `{url}` is not an absolute http(s) address"),
            format!("base_url `{url}` 不是以 http:// 或 https:// 开头的完整地址"),
        )),
    }
}

pub fn is_hex_colour(s: &str) -> bool {
    let Some(hex) = s.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The schema the loader reads SiteConfig by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(SiteConfig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example() {
        let src = r##"title: 中共某某支部委员会
subtitle: “五微一体”党建品牌
base_url: https://example.org/dangjian
language: zh-CN
theme: { primary: "#c8161d", accent: "#f4b400" }
nav:
  - { title: 首页, url: / }
footer:
  icp: 京ICP备12345678号-1
slugs: pinyin
images: { widths: [480, 960, 1600], quality: 82, formats: [webp, jpeg], strip_metadata: true }
boards: { size: 900x1200mm, bleed: 3mm, dpi_warning: 72 }
search: true
feed: true
"##;
        let c = SiteConfig::parse(src).unwrap();
        assert_eq!(c.base_url().unwrap(), "https://example.org/dangjian/");
        assert_eq!(c.subtitle.as_deref(), Some("“五微一体”党建品牌"));
        assert_eq!(c.nav.unwrap()[0].url, "/");
    }

    #[test]
    fn unknown_key_names_itself_and_the_known_keys() {
        let errs = SiteConfig::parse("title: x\ntitel: y\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message.en, "unknown key `titel`");
        assert_eq!(errs[0].line, Some(2));
        assert!(errs[0].hint.as_ref().unwrap().en.contains("subtitle"));
    }

    #[test]
    fn sizes_parse_from_presets_and_units() {
        assert_eq!(parse_size("900x1200mm"), Some((900.0, 1200.0)));
        assert_eq!(parse_size("90 × 120 cm"), Some((900.0, 1200.0)));
        assert_eq!(parse_size("a1"), Some((594.0, 841.0)));
        assert_eq!(parse_size("80x180"), Some((800.0, 1800.0)));
        assert_eq!(parse_size("900x1200"), None);
        assert_eq!(parse_size("9x12mm"), None);
        assert_eq!(parse_size("big"), None);
        assert_eq!(parse_length("3mm"), Some(3.0));
        assert_eq!(parse_length("0.5cm"), Some(5.0));
        assert_eq!(parse_length("3"), None);
        assert_eq!(parse_bleed("30mm"), None);
    }

    #[test]
    fn board_defaults_are_checked_once_with_their_line() {
        let errs =
            SiteConfig::parse("title: x\nboards:\n  size: huge\n  bleed: 40mm\n").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].message.en, "board size `huge` is not understood");
        assert_eq!((errs[0].line, errs[0].column), (Some(3), Some(3)));
        assert_eq!((errs[1].line, errs[1].column), (Some(4), Some(3)));
    }

    #[test]
    fn an_ink_out_of_range_is_an_error_at_its_line() {
        let errs = SiteConfig::parse("title: x\nboards:\n  cmyk:\n    primary: [0, 120, 100, 0]\n")
            .unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0]
            .message
            .en
            .starts_with("boards.cmyk.primary [0.0, 120.0, 100.0, 0.0] is not four percentages"));
        assert_eq!(errs[0].line, Some(4));
    }

    #[test]
    fn reports_every_semantic_problem() {
        let errs = SiteConfig::parse("title: x\nbase_url: example.org\ntheme: { primary: red }\n")
            .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[1].line, Some(3));
    }
}
