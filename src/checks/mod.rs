//! The checks a Party website is inspected for, run over the site's own text before
//! anything is published:
//!
//! - **terms**: typos of canonical names and formulations (社会主意核心价值观 for
//!   社会主义核心价值观), from the built-in list `site-template/checks/terms.txt` and the
//!   site's `checks.yaml` ([`wording`]);
//! - **personal data**: 居民身份证 numbers (valid checksum and birth date), mainland mobile
//!   numbers and bank card numbers (Luhn);
//! - **Markdown accessibility**: images without alt text, headings that skip a level.
//!
//! Each finding is a warning with file, line and column.

pub mod wording;

use crate::error::{Diagnostic, Diagnostics};
use rustc_hash::FxHashSet;
use serde::Deserialize;
use wording::{Edit, Likeness, Matcher, Miss};

/// The file a site configures its checks in.
pub const CHECKS_FILE: &str = "checks.yaml";

/// What the wording check is, for the key of remembered results: changed whenever the
/// matcher's rules change.
const WORDING_RULES: &str = "wording-4";

/// The built-in canonical names and terms (`site-template/checks/terms.txt`).
fn built_in() -> &'static str {
    std::str::from_utf8(crate::theme::file("checks/terms.txt")).unwrap_or_default()
}

/// The entries of `terms.txt`: (names, terms), by their headings.
fn built_in_entries() -> (Vec<&'static str>, Vec<&'static str>) {
    let (mut names, mut terms) = (Vec::new(), Vec::new());
    let mut in_names = false;
    for line in built_in().lines().map(str::trim) {
        match line {
            "" => {}
            "[names]" => in_names = true,
            "[terms]" => in_names = false,
            l if l.starts_with('#') => {}
            l if in_names => names.push(l),
            l => terms.push(l),
        }
    }
    (names, terms)
}

/// A check that `checks.yaml` may turn off.
#[cfg_attr(test, derive(schemars::JsonSchema, serde::Serialize))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Near misses of canonical terms.
    Terms,
    IdCard,
    Mobile,
    BankCard,
    /// A public site without an ICP number in its footer.
    Icp,
    /// A 公安备案 footer without its record number.
    Police,
    /// The brand's 五有 completeness note.
    Brand,
    /// Markdown images without alt text.
    Alt,
    /// Markdown headings that skip a level.
    Headings,
    /// Theme colours under WCAG AA contrast.
    Contrast,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    checks: ChecksConfig,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksConfig {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    off: Vec<Rule>,
}

/// The site's checks: the wording matcher and what is turned off.
pub struct Checks {
    wording: Matcher,
    off: FxHashSet<Rule>,
    /// A fingerprint of the configuration: findings made with the same key are the same,
    /// in this process or another one.
    key: u64,
}

impl Default for Checks {
    fn default() -> Checks {
        Checks::new(&ChecksConfig::default())
    }
}

impl Checks {
    /// The checks `checks.yaml` (text `src`, `None` when there is none) configures;
    /// a broken file is reported and the built-in checks run. The texts of `own` (the
    /// brand's name and pillars: 五微一体 is no typo of 五位一体) are right as written.
    pub fn from_file(src: Option<&str>, own: &[String], diags: &mut Diagnostics) -> Checks {
        let mut config = match src.map(|s| crate::yaml::parse::<ChecksFile>(CHECKS_FILE, s, s, 0)) {
            None => ChecksConfig::default(),
            Some(Ok(f)) => f.checks,
            Some(Err(d)) => {
                diags.push(d);
                ChecksConfig::default()
            }
        };
        config.allow.extend(own.iter().cloned());
        Checks::new(&config)
    }

    fn new(config: &ChecksConfig) -> Checks {
        let (names, terms) = built_in_entries();
        let wording = Matcher::new(
            names
                .into_iter()
                .chain(config.names.iter().map(String::as_str)),
            terms
                .into_iter()
                .chain(config.terms.iter().map(String::as_str)),
            config.allow.iter().map(String::as_str),
        );
        // What the checks are: zhanting's version, the matcher's rules, the built-in
        // terms and checks.yaml. A BLAKE3 hash, the same in every process, so records on
        // disk can be keyed by it.
        let described = format!(
            "{} {WORDING_RULES}\n{}\n{:?}\n{:?}\n{:?}\n{:?}",
            env!("CARGO_PKG_VERSION"),
            built_in(),
            config.names,
            config.terms,
            config.allow,
            config.off
        );
        let hash = blake3::hash(described.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash.as_bytes()[..8]);
        Checks {
            wording,
            off: config.off.iter().copied().collect(),
            key: u64::from_le_bytes(first),
        }
    }

    pub fn key(&self) -> u64 {
        self.key
    }

    pub fn is_on(&self, rule: Rule) -> bool {
        !self.off.contains(&rule)
    }

    /// Checks the text of file `rel` for near misses of terms and for personal data,
    /// and (`markdown`, the body from byte `body_start`) its images and headings. Lines
    /// in `skip` (1-based) are public on purpose and not checked for personal data.
    pub fn text(
        &self,
        rel: &str,
        text: &str,
        markdown: Option<usize>,
        skip: &[usize],
        diags: &mut Diagnostics,
    ) {
        let lines = Lines::new(text);
        // Typing slips that leave valid YAML but not what was meant (a full-width comma
        // in a [ … ] list): in a YAML file, or in a page's front matter.
        diags.extend(crate::yaml::slip_warnings(
            rel,
            text,
            markdown.unwrap_or(text.len()),
        ));
        if self.is_on(Rule::Terms) {
            for miss in self.wording.misses(text) {
                let (line, column) = lines.at(miss.start);
                diags.push(
                    wording_warning(&miss, &text[miss.start..miss.end])
                        .file(rel)
                        .at(text, line, column),
                );
            }
        }
        for (start, end, kind) in personal_data(text) {
            let rule = match kind {
                Personal::IdCard => Rule::IdCard,
                Personal::Mobile => Rule::Mobile,
                Personal::BankCard => Rule::BankCard,
            };
            let (line, column) = lines.at(start);
            if !self.is_on(rule) || skip.contains(&line) {
                continue;
            }
            let number = &text[start..end];
            let masked = mask(number, kind);
            let (en, zh) = match kind {
                Personal::IdCard => ("an ID card number (居民身份证号码)", "居民身份证号码"),
                Personal::Mobile => ("a mobile phone number", "手机号码"),
                Personal::BankCard => ("a bank card number", "银行卡号"),
            };
            diags.push(
                Diagnostic::warning(
                    format!("{number} looks like {en}: personal data must not be published"),
                    format!("{number} 疑似{zh}，公开发布会泄露个人信息"),
                )
                .file(rel)
                .at(text, line, column)
                .hint(
                    format!("mask it ({masked}) or remove it"),
                    format!("请打码（如 {masked}）或删除"),
                ),
            );
        }
        if let Some(body_start) = markdown {
            self.markdown(rel, text, body_start, &lines, diags);
        }
    }

    /// Markdown images without alt text; headings that start at `#` (the page title is
    /// the page's only h1) or skip a level.
    fn markdown(
        &self,
        rel: &str,
        text: &str,
        body_start: usize,
        lines: &Lines,
        diags: &mut Diagnostics,
    ) {
        let mut fence: Option<&str> = None;
        let mut previous = 1;
        let mut at = body_start;
        for line in text[body_start..].split_inclusive('\n') {
            let start = at;
            at += line.len();
            let trimmed = line.trim_start();
            for marker in ["```", "~~~"] {
                if trimmed.starts_with(marker) {
                    fence = match fence {
                        Some(open) if open == marker => None,
                        None => Some(marker),
                        other => other,
                    };
                }
            }
            if fence.is_some() || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                continue;
            }
            if self.is_on(Rule::Alt) {
                let mut from = 0;
                while let Some(i) = line[from..].find("![") {
                    let open = from + i + 2;
                    let rest = &line[open..];
                    if let Some(close) = rest.find("](") {
                        if rest[..close].trim().is_empty() {
                            let (l, c) = lines.at(start + from + i);
                            diags.push(
                                Diagnostic::warning(
                                    "the image has no alt text: screen readers cannot say what it shows",
                                    "图片缺少替代文字（alt），读屏软件无法说明图片内容",
                                )
                                .file(rel)
                                .at(text, l, c)
                                .hint(
                                    "describe the picture between the brackets: ![党员志愿者清扫楼道](…)",
                                    "请在方括号中写明图片内容，如 ![党员志愿者清扫楼道](…)",
                                ),
                            );
                        }
                    }
                    from = open;
                }
            }
            let level = trimmed.chars().take_while(|&c| c == '#').count();
            let is_heading = (1..=6).contains(&level)
                && trimmed[level..].starts_with([' ', '\t'])
                && line.len() - trimmed.len() < 4;
            if is_heading && self.is_on(Rule::Headings) {
                let (l, c) = lines.at(start + (line.len() - trimmed.len()));
                let wanted = previous + 1;
                if level == 1 || level > wanted {
                    let should = "#".repeat(if level == 1 { 2 } else { wanted });
                    diags.push(
                        Diagnostic::warning(
                            format!(
                                "the heading jumps to level {level} after level {previous}: headings must descend in order"
                            ),
                            format!("标题从第 {previous} 级跳到第 {level} 级：标题层级应逐级递进"),
                        )
                        .file(rel)
                        .at(text, l, c)
                        .hint(
                            format!("start it with {should} (the page title is the only level-1 heading)"),
                            format!("请改用 {should} 开头（页面标题是唯一的一级标题）"),
                        ),
                    );
                }
                previous = level.max(2);
            }
        }
    }
}

/// The warning for a near miss of a canonical entry, written `found`: which character
/// is wrong and what to type instead.
fn wording_warning(miss: &Miss, found: &str) -> Diagnostic {
    let entry = &miss.entry;
    let chars: Vec<char> = entry.chars().collect();
    let (en, zh) = match miss.edit {
        Edit::Replaced { at, by, why } => {
            let right = chars[at];
            let (en, zh) = match why {
                Likeness::Sound => ("they sound alike", "同音字"),
                Likeness::NearSound => ("they sound nearly alike", "音近字"),
                Likeness::Shape => ("they look alike", "形近字"),
            };
            (
                format!("「{by}」 for 「{right}」 ({en})"),
                format!("「{right}」写成了「{by}」（{zh}）"),
            )
        }
        Edit::Swapped { at } => {
            let (a, b) = (chars[at], chars[at + 1]);
            (
                format!("「{a}」 and 「{b}」 swapped"),
                format!("「{a}{b}」写成了「{b}{a}」"),
            )
        }
        Edit::Missing { at } => (
            format!("「{}」 missing", chars[at]),
            format!("漏了「{}」", chars[at]),
        ),
        Edit::Extra { extra, .. } => (format!("an extra 「{extra}」"), format!("多了「{extra}」")),
    };
    Diagnostic::warning(
        format!("「{found}」 looks like a mistyped 「{entry}」: {en}"),
        format!("「{found}」疑似「{entry}」写错：{zh}"),
    )
    .hint(
        format!("write 「{entry}」; if 「{found}」 is right, add it to `allow:` in checks.yaml"),
        format!("请改为「{entry}」；如「{found}」确属正确，请把它写进 checks.yaml 的 `allow:`"),
    )
}

/// The checks over the whole site: the footer's 备案 numbers on a public site, the
/// brand's 五有, and the theme colours' contrast.
/// `site_yaml` is the text of site.yaml, where findings in it are pointed at.
pub fn site(
    site: &crate::model::Site,
    site_yaml: Option<&str>,
    checks: &Checks,
    offline: bool,
    diags: &mut Diagnostics,
) {
    let c = &site.config;
    let base_url = c
        .base_url
        .as_deref()
        .filter(|b| !offline && crate::urls::is_public(b));
    records(c, base_url, site_yaml, checks, diags);
    if checks.is_on(Rule::Brand) {
        if let Some(b) = &site.brand {
            five_haves(b, site, diags);
        }
    }
    if checks.is_on(Rule::Contrast) {
        theme_contrast(c, site_yaml, diags);
    }
}

/// A finding about site.yaml pointed at `key` in its text, when the key is there.
fn at_key(d: Diagnostic, site_yaml: Option<&str>, key: &str) -> Diagnostic {
    let src = site_yaml.unwrap_or("");
    d.at_opt(src, crate::yaml::find_key(src, key, 1))
}

/// The footer's 备案 records: the ICP number a public site must show, and a 公安备案
/// number that holds its 14 digits.
fn records(
    c: &crate::config::SiteConfig,
    base_url: Option<&str>,
    site_yaml: Option<&str>,
    checks: &Checks,
    diags: &mut Diagnostics,
) {
    let at = |d: Diagnostic, key: &str| at_key(d, site_yaml, key);
    if let Some(base_url) = base_url.filter(|_| c.footer.icp.is_none() && checks.is_on(Rule::Icp)) {
        diags.push(at(
            Diagnostic::warning(
                format!("{} is a public address but site.yaml has no `footer.icp`: a website hosted in mainland China must show its ICP 备案 number", base_url),
                format!("{} 是公开网址，但 site.yaml 没有设置 `footer.icp`：在中国大陆托管的网站须在页脚展示 ICP 备案号", base_url),
            )
            .file("site.yaml")
            .hint(
                "add `footer: { icp: 京ICP备12345678号-1 }` with your number (it links to beian.miit.gov.cn)",
                "请在 site.yaml 中加入 `footer: { icp: 京ICP备12345678号-1 }`（填写本单位的备案号，页脚会链接到 beian.miit.gov.cn）",
            ),
            "base_url",
        ));
    }
    if let Some(police) = &c.footer.police {
        let digits: String = police.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 14 && checks.is_on(Rule::Police) {
            diags.push(at(
                Diagnostic::warning(
                    format!("`footer.police` ({police}) holds no 14-digit record number: its link to the 公安备案 lookup cannot name the site"),
                    format!("`footer.police`（{police}）中没有 14 位备案编号，页脚无法链接到公安备案查询页"),
                )
                .file("site.yaml")
                .hint(
                    "write it as on the certificate: 京公网安备 11010502030000号",
                    "请按备案证书填写，如：京公网安备 11010502030000号",
                ),
                "police",
            ));
        }
    }
}

/// The brand's 五有 (name, emblem, meaning, carriers, impact): a note naming those missing.
fn five_haves(b: &crate::model::Brand, site: &crate::model::Site, diags: &mut Diagnostics) {
    let has_stats = site
        .achievements
        .stats
        .iter()
        .any(|s| s.value.chars().any(|c| c.is_ascii_digit()));
    let missing: Vec<(&str, &str)> = [
        (b.name.trim().is_empty(), ("名称 (name)", "名称（name）")),
        (
            b.logo.is_none() || b.logo_meaning.is_none(),
            (
                "标识 (logo with logo_meaning)",
                "标识（logo 及 logo_meaning）",
            ),
        ),
        (
            b.summary.is_none() && b.meaning.trim().is_empty() && b.story.trim().is_empty(),
            (
                "内涵 (summary, meaning or story)",
                "内涵（summary、meaning 或 story）",
            ),
        ),
        (b.pillars.is_empty(), ("载体 (pillars)", "载体（pillars）")),
        (
            !has_stats,
            (
                "影响 (achievements.yaml stats with numbers)",
                "影响（achievements.yaml 中带数字的 stats）",
            ),
        ),
    ]
    .into_iter()
    .filter(|(missing, _)| *missing)
    .map(|(_, names)| names)
    .collect();
    if !missing.is_empty() {
        let en: Vec<&str> = missing.iter().map(|m| m.0).collect();
        let zh: Vec<&str> = missing.iter().map(|m| m.1).collect();
        diags.push(
            Diagnostic::note(
                format!("the brand lacks part of the 五有 (name, emblem, meaning, carriers, impact): {}", en.join(", ")),
                format!("品牌“五有”（名称、标识、内涵、载体、影响）尚缺：{}", zh.join("、")),
            )
            .file("brand.yaml"),
        );
    }
}

/// The theme colours a site chose, against white: a warning when text of them falls under
/// WCAG AA's 4.5:1, naming the darker shade zhanting writes instead.
fn theme_contrast(c: &crate::config::SiteConfig, site_yaml: Option<&str>, diags: &mut Diagnostics) {
    let at = |d: Diagnostic, key: &str| at_key(d, site_yaml, key);
    for (name, value, default) in [
        ("primary", &c.theme.primary, crate::config::DEFAULT_PRIMARY),
        ("accent", &c.theme.accent, crate::config::DEFAULT_ACCENT),
    ] {
        // The theme's own colours are paired with shades it derives; only a
        // site's choice is worth a word.
        let Some(colour) = parse_colour(value).filter(|_| value != default) else {
            continue;
        };
        let white = [255, 255, 255];
        let ratio = contrast(colour, white);
        if ratio < 4.5 {
            let text = format_colour(darkened_for(colour, white, 4.5));
            diags.push(at(
                Diagnostic::warning(
                    format!("theme.{name} {value} on white has a contrast of {ratio:.2}:1, under the 4.5:1 that WCAG AA asks of text"),
                    format!("theme.{name} {value} 与白色的对比度为 {ratio:.2}:1，低于 WCAG AA 对正文的 4.5:1"),
                )
                .file("site.yaml")
                .hint(
                    format!("zhanting writes text of this colour on light backgrounds in the darker {text}; choose a darker {name} to keep the two alike"),
                    format!("浅色背景上的该色文字已改用更深的 {text}；如需一致，请选用更深的 {name} 颜色"),
                ),
                name,
            ));
        }
    }
}

/// Line and column (1-based, in characters) of byte offsets in one text.
struct Lines<'a> {
    text: &'a str,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines { text }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Personal {
    IdCard,
    Mobile,
    BankCard,
}

/// Numbers in `text` that are personal data: byte range and kind. A number must stand
/// alone: digits, letters or path characters beside it make it part of a name, a link
/// or a longer number.
fn personal_data(text: &str) -> Vec<(usize, usize, Personal)> {
    let bytes = text.as_bytes();
    let joins = |b: u8| b.is_ascii_alphanumeric() || b"_/.-%=#&?+".contains(&b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        // An ID card number may end in X.
        if end - start == 17 && matches!(bytes.get(end), Some(b'X' | b'x')) {
            end += 1;
            i = end;
        }
        // A full stop may end a sentence after a number; other joining characters
        // make it part of a longer name.
        let alone = (start == 0 || !joins(bytes[start - 1]))
            && match bytes.get(end) {
                None => true,
                Some(b'.') => !bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric),
                Some(&b) => !joins(b),
            };
        if !alone {
            continue;
        }
        let number = &text[start..end];
        let kind = if is_id_card(number) {
            Some(Personal::IdCard)
        } else if is_mobile(number) {
            Some(Personal::Mobile)
        } else if (16..=19).contains(&number.len()) && luhn(number) {
            Some(Personal::BankCard)
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push((start, end, kind));
        }
    }
    out
}

/// An 18-character 居民身份证 number: a region, a real birth date and the GB 11643
/// check character.
fn is_id_card(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || b[0] == b'0' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    let (Some(year), Some(month), Some(day)) = (digits(6..10), digits(10..12), digits(12..14))
    else {
        return false;
    };
    let this_year = chrono::Datelike::year(&chrono::Local::now()) as u32;
    if !(1900..=this_year).contains(&year)
        || chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none()
    {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

/// An 11-digit mainland mobile number: 13x to 19x.
fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The Luhn checksum of a card number.
fn luhn(s: &str) -> bool {
    let sum: u32 = s
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0 && !s.bytes().all(|d| d == b'0')
}

/// The number with its middle hidden: 138****5678, 110105********1234, 6222***********0128.
fn mask(number: &str, kind: Personal) -> String {
    let (keep_start, keep_end) = match kind {
        Personal::Mobile => (3, 4),
        Personal::IdCard => (6, 4),
        Personal::BankCard => (4, 4),
    };
    let n = number.len();
    format!(
        "{}{}{}",
        &number[..keep_start],
        "*".repeat(n - keep_start - keep_end),
        &number[n - keep_end..]
    )
}

/// The WCAG contrast ratio of two `#rrggbb` colours.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    fn luminance(c: [u8; 3]) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `#rrggbb` (or `#rgb`) as bytes.
pub fn parse_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.trim().strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let v = u32::from_str_radix(&full, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

pub fn format_colour(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// `colour`, darkened in small steps (same hue) until it reaches `ratio` against
/// `background`; `colour` itself when it already does.
pub fn darkened_for(colour: [u8; 3], background: [u8; 3], ratio: f64) -> [u8; 3] {
    let mut c = colour;
    for step in 0..=100 {
        let f = 1.0 - f64::from(step) / 100.0;
        c = colour.map(|v| (f64::from(v) * f).round() as u8);
        if contrast(c, background) >= ratio {
            break;
        }
    }
    c
}

/// The schema the loader reads ChecksFile by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(ChecksFile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn misses(text: &str) -> Vec<String> {
        Checks::default()
            .wording
            .misses(text)
            .into_iter()
            .map(|m| format!("{}→{}", &text[m.start..m.end], m.entry))
            .collect()
    }

    #[test]
    fn typos_of_every_kind_are_found_at_any_place() {
        for (text, want) in [
            (
                "弘扬社会主意核心价值观。",
                "社会主意核心价值观→社会主义核心价值观",
            ),
            // a homophone at the last character, the commonest pinyin slip
            ("牢牢掌握意识形太工作领导权", "意识形太工作→意识形态工作"),
            ("守好意识形太阵地", "意识形太→意识形态"),
            ("二十届三中全回精神", "三中全回→三中全会"),
            // a shape-alike
            ("开展主题教肓", "主题教肓→主题教育"),
            // swapped neighbours, at the start and inside
            ("识意形态领域", "识意形态→意识形态"),
            ("开好组织活生会", "组织活生会→组织生活会"),
            // missing, extra
            (
                "践行社会主核心价值观",
                "社会主核心价值观→社会主义核心价值观",
            ),
            ("开好组织生活生会", "组织生活生会→组织生活会"),
            // a stray stop inside a word of the entry
            ("中国共产。党成立", "中国共产。党→中国共产党"),
            // in a proper name, every missing or extra character counts
            ("中华人民和国成立", "中华人民和国→中华人民共和国"),
            // even a stop between two of its words
            ("中华人民。共和国成立", "中华人民。共和国→中华人民共和国"),
            // spaces between the characters change nothing
            (
                "弘扬社会 主意核 心价值观。",
                "社会 主意核 心价值观→社会主义核心价值观",
            ),
        ] {
            assert_eq!(misses(text), [want], "{text}");
        }
    }

    #[test]
    fn exact_terms_and_other_words_are_not_findings() {
        for ok in [
            "社会主义核心价值观",
            "在组织生活中",
            "中国共产党员",
            "入团积极分子和入党积极分子",
            "全面建设小康社会",
            "党史学习教育和党纪学习教育",
            "召开组织生活会会议",
            "把组织生活从会议室搬到社区",
            // the Party Constitution's own term, and a 的 inside a formulation
            "加强党的基层组织建设",
            "践行社会主义的核心价值观",
            "坚持党领导人民",
            // text pasted from a PDF
            "社 会 主 义 核 心 价 值 观",
            // a formulation's last character beginning another word
            "开展党员活动时，党员活动是否",
            "各国共产党和其他政党",
            // a sentence ending between two words of a formulation
            "助力乡村振兴和特色产业发展。党员志愿者走进社区",
            "推动高质量发展，党员带头",
        ] {
            assert!(misses(ok).is_empty(), "{ok}: {:?}", misses(ok));
        }
    }

    /// Recall on the generated typos of `tests/data/checks/typos.tsv` (homophones,
    /// near-homophones, look-alikes and swaps of every term, at every place; made by
    /// `scripts/make-typos.py`), and precision on 157 KB of real published prose
    /// (`tests/data/checks/prose/`, sources in its SOURCES.md).
    #[test]
    fn recall_on_generated_typos_and_no_finding_in_real_prose() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/checks");
        let checks = Checks::default();
        let typos = std::fs::read_to_string(dir.join("typos.tsv")).unwrap();
        let (mut total, mut found) = (0, 0);
        let mut missed = Vec::new();
        for line in typos.lines().filter(|l| !l.starts_with('#')) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (typo, term, sentence) = (cols[1], cols[2], cols[4]);
            total += 1;
            let hit = checks
                .wording
                .misses(sentence)
                .iter()
                .any(|m| &sentence[m.start..m.end] == typo && m.entry == term);
            if hit {
                found += 1;
            } else {
                missed.push(typo);
            }
        }
        let recall = found as f64 / total as f64;
        println!("recall {found}/{total} = {recall:.3}; missed: {missed:?}");
        assert!(total >= 300, "{total} typos");
        assert!(recall >= 0.95, "recall {recall:.3}: missed {missed:?}");
        let mut bytes = 0;
        for entry in std::fs::read_dir(dir.join("prose")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            bytes += text.len();
            let findings: Vec<String> = checks
                .wording
                .misses(&text)
                .into_iter()
                .map(|m| format!("{}→{}", &text[m.start..m.end], m.entry))
                .collect();
            assert_eq!(findings, Vec::<String>::new(), "{}", path.display());
        }
        assert!(bytes >= 100_000, "{bytes} bytes of prose");
    }

    #[test]
    fn personal_numbers_are_found_by_their_checksums() {
        fn found(t: &str) -> Vec<(&str, Personal)> {
            personal_data(t)
                .into_iter()
                .map(|(s, e, k)| (&t[s..e], k))
                .collect()
        }
        assert_eq!(
            found("身份证11010519491231002X。"),
            [("11010519491231002X", Personal::IdCard)]
        );
        assert!(
            found("编号110105194912310021").is_empty(),
            "wrong check digit"
        );
        // The check character is right (4): only the month is wrong.
        assert!(found("110105199913310024").is_empty(), "no 13th month");
        assert_eq!(
            found("电话13812345678"),
            [("13812345678", Personal::Mobile)]
        );
        assert!(found("座机01012345678、12345678901").is_empty());
        assert_eq!(
            found("卡号 6222021234567890128"),
            [("6222021234567890128", Personal::BankCard)]
        );
        assert!(found("6222021234567890129").is_empty(), "fails Luhn");
        assert!(
            found("IMG_13812345678.jpg /p/13812345678/").is_empty(),
            "part of a name"
        );
        assert_eq!(mask("13812345678", Personal::Mobile), "138****5678");
        assert_eq!(
            mask("11010519491231002X", Personal::IdCard),
            "110105********002X"
        );
    }

    #[test]
    fn contrast_matches_wcag() {
        let white = [255, 255, 255];
        assert!((contrast([0, 0, 0], white) - 21.0).abs() < 0.01);
        let gold = parse_colour("#f4b400").unwrap();
        assert!((contrast(gold, white) - 1.84).abs() < 0.01);
        let dark = darkened_for(gold, white, 4.5);
        assert!(contrast(dark, white) >= 4.5);
        assert_eq!(darkened_for([0, 0, 0], white, 4.5), [0, 0, 0]);
    }
}
