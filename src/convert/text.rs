//! What the readers recognise in plain text: blank characters, dates as Chinese
//! documents write them (「2024年5月20日」, 「二〇二四年五月二十日」, 「2024-05-20」) and the
//! numbering of 公文 headings (一、 （一） 1.).

/// A calendar day, as found in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Spaces of every width a document indents or pads with: ASCII, full-width (U+3000),
/// no-break, the typographic ones and zero-width ones (WeChat's editors leave those).
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
}

/// Full-width digits and letters (２０２４) as ASCII.
fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Full-width digits and Latin letters typed by mistake (「２０２５年」, 「ＰＰＴ」) as
/// ASCII, as 公文 and the web write them; with them a full-width 「－．／」 between
/// digits and a 「％」 after one. Chinese punctuation stays full-width.
pub fn half_width_alnum(text: &str) -> Option<String> {
    let wide = |c: char| matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A);
    if !text.chars().any(wide) {
        return None;
    }
    let chars: Vec<char> = text
        .chars()
        .map(|c| if wide(c) { half_width(c) } else { c })
        .collect();
    let mut out = String::with_capacity(text.len());
    for (k, &c) in chars.iter().enumerate() {
        let digit_before = k > 0 && chars[k - 1].is_ascii_digit();
        let digit_after = chars.get(k + 1).is_some_and(char::is_ascii_digit);
        out.push(match c {
            '－' | '．' | '／' if digit_before && digit_after => half_width(c),
            '％' if digit_before => '%',
            _ => c,
        });
    }
    Some(out)
}

fn han_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'O' | 'Ｏ' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A Chinese number of one to three characters up to 99: 一, 十, 十二, 二十, 三十一.
fn han_number(chars: &[char]) -> Option<u32> {
    match chars {
        [a] if *a == '十' => Some(10),
        [a] => han_digit(*a).filter(|&d| d > 0),
        ['十', b] => han_digit(*b).filter(|&d| d > 0).map(|d| 10 + d),
        [a, '十'] => han_digit(*a).filter(|&d| d > 1).map(|d| d * 10),
        [a, '十', b] => {
            let (a, b) = (han_digit(*a)?, han_digit(*b)?);
            (a > 1 && b > 0).then_some(a * 10 + b)
        }
        _ => None,
    }
}

/// Reads a number at `chars[i..]`: ASCII digits (at most `max_digits`) or a Chinese
/// number. Returns the value and the index after it.
fn number_at(chars: &[char], i: usize, max_digits: usize) -> Option<(u32, usize)> {
    let digits = chars[i..]
        .iter()
        .take(max_digits + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits > 0 {
        if digits > max_digits {
            return None;
        }
        let s: String = chars[i..i + digits].iter().collect();
        return s.parse().ok().map(|v| (v, i + digits));
    }
    let han = chars[i..]
        .iter()
        .take(3)
        .take_while(|&&c| c == '十' || han_digit(c).is_some())
        .count();
    (1..=han)
        .rev()
        .find_map(|n| han_number(&chars[i..i + n]).map(|v| (v, i + n)))
}

/// A year of four ASCII digits or four Chinese digits (二〇二四).
fn year_at(chars: &[char], i: usize) -> Option<(i32, usize)> {
    let four = chars.get(i..i + 4)?;
    if chars.get(i + 4).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if four.iter().all(|c| c.is_ascii_digit()) {
        let s: String = four.iter().collect();
        return s.parse().ok().map(|y| (y, i + 4));
    }
    let mut y = 0;
    for c in four {
        y = y * 10 + han_digit(*c)?;
    }
    Some((y as i32, i + 4))
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|&c| is_blank(c)) {
        i += 1;
    }
    i
}

/// A date starting at `chars[i]`: the day and the index after it.
fn date_at(chars: &[char], i: usize) -> Option<(Day, usize)> {
    if i > 0 && (chars[i - 1].is_ascii_digit() || han_digit(chars[i - 1]).is_some()) {
        return None;
    }
    let (year, j) = year_at(chars, i)?;
    let j = skip_spaces(chars, j);
    let sep = *chars.get(j)?;
    if !matches!(sep, '年' | '-' | '.' | '/') {
        return None;
    }
    let j = skip_spaces(chars, j + 1);
    let (month, j) = number_at(chars, j, 2)?;
    let j = skip_spaces(chars, j);
    let want = if sep == '年' { '月' } else { sep };
    if chars.get(j) != Some(&want) {
        return None;
    }
    let j = skip_spaces(chars, j + 1);
    let (day, mut j) = number_at(chars, j, 2)?;
    if sep == '年' {
        j = skip_spaces(chars, j);
        if !matches!(chars.get(j), Some('日' | '号')) {
            return None;
        }
        j += 1;
    } else if chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    (1900..=2200)
        .contains(&year)
        .then_some((Day { year, month, day }, j))
}

/// The first date in `text`, with the character range it takes.
pub fn find_date(text: &str) -> Option<(Day, usize, usize)> {
    let chars: Vec<char> = text.chars().map(half_width).collect();
    (0..chars.len()).find_map(|i| date_at(&chars, i).map(|(d, end)| (d, i, end)))
}

/// The date of a line that holds nothing else: 「（2024年5月20日）」, 「2024-05-20」,
/// 「日期：二〇二四年五月二十日」, 「2024年5月20日 星期一」.
pub fn date_line(text: &str) -> Option<Day> {
    let chars: Vec<char> = text.chars().map(half_width).collect();
    if chars.len() > 32 {
        return None;
    }
    let (day, start, end) = find_date(text)?;
    let rest: String = chars[..start].iter().chain(&chars[end..]).collect();
    let mut rest = rest.replace(['(', ')', '（', '）', '[', ']', '【', '】', ':', '：'], "");
    for word in [
        "发布时间",
        "发布日期",
        "日期",
        "时间",
        "发布",
        "星期",
        "周",
        "上午",
        "下午",
    ] {
        rest = rest.replace(word, "");
    }
    let rest: String = rest
        .chars()
        .filter(|&c| !is_blank(c) && !c.is_ascii_digit() && !"一二三四五六日天".contains(c))
        .collect();
    rest.is_empty().then_some(day)
}

/// The numbering a 公文 heading starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// 一、
    Han,
    /// （一）
    ParenHan,
    /// 1. or 1．or 1、
    Arabic,
}

/// The 公文 numbering `text` starts with, if any.
pub fn numbering(text: &str) -> Option<Numbering> {
    let chars: Vec<char> = text
        .trim_start_matches(is_blank)
        .chars()
        .take(8)
        .map(half_width)
        .collect();
    let han = |from: usize| {
        let n = chars[from.min(chars.len())..]
            .iter()
            .take_while(|&&c| c == '十' || (han_digit(c).is_some_and(|d| d > 0)))
            .count();
        (n > 0 && han_number(&chars[from..from + n]).is_some()).then_some(from + n)
    };
    if let Some(end) = han(0) {
        if chars.get(end) == Some(&'、') {
            return Some(Numbering::Han);
        }
    }
    if chars.first() == Some(&'(') || chars.first() == Some(&'（') {
        if let Some(end) = han(1) {
            if matches!(chars.get(end), Some(')' | '）')) {
                return Some(Numbering::ParenHan);
            }
        }
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits)
        && matches!(chars.get(digits), Some('.' | '、'))
        && chars.get(digits + 1).is_some_and(|c| !c.is_ascii_digit())
    {
        return Some(Numbering::Arabic);
    }
    None
}

/// Whether a paragraph that starts with 公文 numbering is short and whole enough to be
/// a heading: at most 40 characters, and no sentence inside it (a 。 only at its end).
/// 「（一）加强学习。支部坚持……」 runs on into its text and stays a paragraph.
pub fn heading_sized(text: &str) -> bool {
    let text = text.trim_matches(is_blank);
    let n = text.chars().count();
    let inner = text.trim_end_matches(['。', '；', '：', ':', ';']);
    n > 0 && n <= 40 && !inner.contains(['。', '；', '？', '！'])
}

/// Whether a short line under a picture reads as its caption: 「▲ 党员志愿者清扫楼道」,
/// 「图为……」, 「图1 ……」.
pub fn is_caption(text: &str) -> bool {
    let text = text.trim_matches(is_blank);
    let n = text.chars().count();
    n > 0
        && n <= 60
        && (text.starts_with(['▲', '△', '↑', '图'])
            || text.starts_with("（图")
            || text.starts_with("(图")
            || text.starts_with("上图"))
}

/// A caption as a picture's alt text: without its pointer mark.
pub fn caption_alt(text: &str) -> String {
    text.trim_matches(is_blank)
        .trim_start_matches(['▲', '△', '↑'])
        .trim_matches(is_blank)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        Day {
            year: y,
            month: m,
            day: d,
        }
    }

    #[test]
    fn dates_as_documents_write_them() {
        assert_eq!(date_line("（2024年5月20日）"), Some(day(2024, 5, 20)));
        assert_eq!(date_line("2024 年 05 月 20 日"), Some(day(2024, 5, 20)));
        assert_eq!(date_line("二〇二四年五月二十日"), Some(day(2024, 5, 20)));
        assert_eq!(
            date_line("二〇二四年十二月三十一日"),
            Some(day(2024, 12, 31))
        );
        assert_eq!(date_line("２０２４年７月１日"), Some(day(2024, 7, 1)));
        assert_eq!(date_line("2024-05-20 18:30"), Some(day(2024, 5, 20)));
        assert_eq!(date_line("发布时间：2024.5.20"), Some(day(2024, 5, 20)));
        assert_eq!(date_line("2024年5月20日 星期一"), Some(day(2024, 5, 20)));
        assert_eq!(date_line("2024年2月30日"), None);
        assert_eq!(date_line("2024年5月20日，支部召开了大会"), None);
        assert_eq!(date_line("12024年5月20日"), None);
        assert_eq!(date_line("2024.5.205"), None);
        assert_eq!(
            find_date("支部于2024年7月1日召开大会").map(|d| d.0),
            Some(day(2024, 7, 1))
        );
    }

    #[test]
    fn numbering_of_gongwen_headings() {
        assert_eq!(numbering("一、基本情况"), Some(Numbering::Han));
        assert_eq!(numbering("十二、下一步打算"), Some(Numbering::Han));
        assert_eq!(numbering("（三）强化组织"), Some(Numbering::ParenHan));
        assert_eq!(numbering("(三)强化组织"), Some(Numbering::ParenHan));
        assert_eq!(numbering("1.加强学习"), Some(Numbering::Arabic));
        assert_eq!(numbering("２．加强学习"), Some(Numbering::Arabic));
        assert_eq!(numbering("3、加强学习"), Some(Numbering::Arabic));
        assert_eq!(numbering("1.5 万元"), None);
        assert_eq!(
            half_width_alnum("于２０２５年５月，满意度９８．５％，热线０１０－８８８８６６６６，ＰＰＴ：第１页。"),
            Some("于2025年5月，满意度98.5%，热线010-88886666，PPT：第1页。".to_string())
        );
        assert_eq!(half_width_alnum("（一）－．％"), None);
        assert_eq!(numbering("2024.5.20"), None);
        assert_eq!(numbering("一是加强学习"), None);
        assert_eq!(numbering("一个支部"), None);
        assert!(heading_sized("一、基本情况"));
        assert!(heading_sized("（一）加强学习。"));
        assert!(!heading_sized(
            "（一）加强学习。支部坚持每月开展一次集中学习。"
        ));
    }
}
