//! Slugs for file names, pillar keys, tags and heading ids (SPEC §2 Slugs).
//!
//! `pinyin`: Han characters become toneless pinyin, one word each, ASCII letters and digits
//! are kept, everything is lower-case and joined by `-` (`七一主题党日` →
//! `qi-yi-zhu-ti-dang-ri`). `unicode`: the text is kept, only characters that are unsafe
//! in a path or URL are replaced.

use crate::config::SlugMode;
use pinyin::ToPinyin;

pub fn slugify(text: &str, mode: SlugMode) -> String {
    match mode {
        SlugMode::Pinyin => pinyin_slug(text),
        SlugMode::Unicode => unicode_slug(text),
    }
}

/// Full-width ASCII (`２０２４`, `ＡＢＣ`) to its half-width twin.
fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

fn pinyin_slug(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars().map(half_width) {
        if c.is_ascii_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            // ü as the input methods type it (绿 → lv): a pinyin slug is ASCII.
            words.push(p.plain().replace('ü', "v"));
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.join("-")
}

fn unicode_slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().map(half_width) {
        let unsafe_char = c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '/' | '\\'
                    | '?'
                    | '#'
                    | '%'
                    | '"'
                    | '\''
                    | '<'
                    | '>'
                    | '|'
                    | ':'
                    | '*'
                    | '&'
                    | '+'
                    | '='
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '^'
                    | '`'
                    | ';'
                    | ','
                    | '!'
                    | '@'
                    | '$'
                    | '('
                    | ')'
            )
            || matches!(
                c,
                '，' | '。'
                    | '、'
                    | '：'
                    | '；'
                    | '！'
                    | '？'
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '（'
                    | '）'
                    | '《'
                    | '》'
                    | '「'
                    | '」'
                    | '·'
                    | '…'
                    | '—'
            );
        if unsafe_char || c == '-' || c == '_' && out.is_empty() {
            dash = !out.is_empty();
            continue;
        }
        if dash {
            out.push('-');
            dash = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_slugs() {
        assert_eq!(pinyin_slug("七一主题党日"), "qi-yi-zhu-ti-dang-ri");
        assert_eq!(
            pinyin_slug("2024年“七一”主题党日"),
            "2024-nian-qi-yi-zhu-ti-dang-ri"
        );
        assert_eq!(pinyin_slug("微党课 Vol.3"), "wei-dang-ke-vol-3");
        assert_eq!(pinyin_slug("About_Us"), "about-us");
        assert_eq!(pinyin_slug("２０２４"), "2024");
        assert_eq!(pinyin_slug("p00001"), "p00001");
        assert_eq!(pinyin_slug("绿水女子"), "lv-shui-nv-zi");
    }

    #[test]
    fn unicode_slugs_keep_the_text() {
        assert_eq!(unicode_slug("七一 主题党日"), "七一-主题党日");
        assert_eq!(unicode_slug("“五微一体”品牌/创建?"), "五微一体-品牌-创建");
        assert_eq!(unicode_slug("News 2024"), "news-2024");
    }
}
