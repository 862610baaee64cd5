//! YAML parsing that never loses the line: serde errors become [`Diagnostic`]s with file,
//! line, column, a Chinese translation and a hint; helpers find where a key or value sits
//! so checks made after parsing can point at it too.

use crate::error::Diagnostic;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A value parsed on its own. A mistake in it (an unknown variant, an unknown key of a
/// nested mapping) is kept, with serde's message and the value as written, instead of
/// failing the whole file: the caller reports it in its own words, and every other
/// mistake of the file is still found in the same run.
#[derive(Debug, Clone)]
pub enum Checked<T> {
    Ok(T),
    Bad { written: String, error: String },
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_yaml::Value::deserialize(d)?;
        let written = match &value {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        Ok(match T::deserialize(value) {
            Ok(t) => Checked::Ok(t),
            Err(e) => Checked::Bad {
                written,
                error: e.to_string(),
            },
        })
    }
}

/// A number as written: `35`, `97.5` or `"3,200"`.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize, Clone)]
#[serde(untagged)]
pub(crate) enum Number {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Number {
    pub(crate) fn display(&self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Float(f) => f.to_string(),
            Number::Text(s) => s.clone(),
        }
    }
}

/// A checked value has the schema of the value it checks (for the settings reference).
#[cfg(test)]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Checked<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl<T> Checked<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Checked::Ok(t) => Some(t),
            Checked::Bad { .. } => None,
        }
    }
}

/// Our diagnostic (message in both languages, hint) for one of serde's messages, without
/// a place: for values parsed on their own ([`Checked`]).
pub fn message_diagnostic(file: &str, msg: &str) -> Diagnostic {
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    translate(msg).file(file)
}

/// The key serde's message names (`unknown field `album``, `missing field `x``).
pub fn named_key(msg: &str) -> Option<&str> {
    let rest = msg
        .split_once("unknown field `")
        .or_else(|| msg.split_once("missing field `"))?
        .1;
    rest.split('`').next()
}

/// Parses `src` (the YAML text of `file`, which starts at line `line_offset + 1` of the
/// file as shown to the user) into `T`.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    src: &str,
    full_source: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping, so a file with only comments means "defaults".
    let result = if src.trim().is_empty() || only_comments(src) {
        serde_yaml::from_str::<T>("{}")
    } else {
        serde_yaml::from_str::<T>(src)
    };
    result.map_err(|e| to_diagnostic(file, &e, full_source, line_offset))
}

fn only_comments(src: &str) -> bool {
    src.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

fn to_diagnostic(
    file: &str,
    e: &serde_yaml::Error,
    full_source: &str,
    line_offset: usize,
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we show the position ourselves.
    let msg = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let msg = msg.trim_start_matches(['.', ' ']).to_string();
    let (line, column) = match e.location() {
        Some(loc) => (loc.line() + line_offset, loc.column()),
        None => (line_offset + 1, 1),
    };
    let mut d = translate(&msg).file(file).at(full_source, line, column);
    if let Some(quote_line) = find_quote_trouble(full_source, line) {
        d = d.at(full_source, quote_line.0, quote_line.1).hint(
            "a value that opens with an ASCII quote must end with it: quote the whole value (title: '\"五微一体\"品牌创建') or use Chinese quotes “ ”",
            "以英文引号开头的值必须整体用引号括起来：写成 title: '\"五微一体\"品牌创建'，或改用中文引号“ ”",
        );
    }
    d
}

/// The most common YAML mistake in Chinese text: `title: "五微一体"品牌创建`. Looks at the
/// error line and the few before it; returns the line and the column of the quote.
fn find_quote_trouble(src: &str, error_line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = src.lines().collect();
    let last = error_line.min(lines.len());
    let first = last.saturating_sub(3).max(1);
    for n in (first..=last).rev() {
        let line = lines[n - 1];
        if let Some(col) = quote_then_more(line) {
            return Some((n, col));
        }
    }
    None
}

/// `key: "quoted"more` or `- "quoted"more`: the column of the opening quote.
fn quote_then_more(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let value_start = if let Some(rest) = trimmed.strip_prefix("- ") {
        line.len() - rest.len()
    } else {
        let colon = line.find(": ")?;
        colon + 2
    };
    let value = line[value_start..].trim_start();
    let value_start = line.len() - value.len();
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q) {
            if let Some(close) = inner.find(q) {
                let after = inner[close + 1..].trim();
                if !after.is_empty() && !after.starts_with('#') && !after.starts_with(',') {
                    return Some(line[..value_start].chars().count() + 1);
                }
            }
        }
    }
    None
}

/// Turns serde's English message into ours, with a Chinese twin and a hint.
fn translate(msg: &str) -> Diagnostic {
    // serde_yaml puts the path of a nested value first: `milestones[0]: unknown field …`.
    let (path, msg) = match msg.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() => (Some(p), rest),
        _ => (None, msg),
    };
    let d = translate_message(msg);
    match path {
        Some(p) => Diagnostic {
            message: crate::error::Text::new(
                format!("{} (in {p})", d.message.en),
                format!("{}（位于 {p}）", d.message.zh),
            ),
            ..d
        },
        None => d,
    }
}

fn translate_message(msg: &str) -> Diagnostic {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (key, expected) = split_name(rest);
        let known = list_after_expected(expected);
        if !key.is_ascii() || key.contains(' ') {
            // `{ body: 值守 1,800 小时 }`: the comma ended the value and began a "key".
            return Diagnostic::error(
                format!("unknown key `{key}`"),
                format!("未知的键 `{key}`"),
            )
            .hint(
                format!("inside {{ … }} a comma separates entries: put a value that contains a comma in quotes; the known keys here are: {known}"),
                format!("在 {{ … }} 中逗号用来分隔各项：含有逗号的值请加引号；这里可用的键有：{known}"),
            );
        }
        return Diagnostic::error(format!("unknown key `{key}`"), format!("未知的键 `{key}`"))
            .hint(
                format!("check the spelling; the known keys here are: {known}"),
                format!("请检查拼写；这里可用的键有：{known}"),
            );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (value, expected) = split_name(rest);
        let known = list_after_expected(expected);
        return Diagnostic::error(
            format!("unknown value `{value}`"),
            format!("未知的取值 `{value}`"),
        )
        .hint(
            format!("use one of: {known}"),
            format!("可选的取值有：{known}"),
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return Diagnostic::error(
            format!("missing required key `{key}`"),
            format!("缺少必填的键 `{key}`"),
        )
        .hint(
            format!("add a line `{key}: …` here"),
            format!("请在此处添加一行 `{key}: …`"),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = match rest.split_once(", expected ") {
            Some((f, e)) => (f, e),
            None => (rest, ""),
        };
        let (found_zh, expected_zh) = (type_zh(found), type_zh(expected));
        let (hint_en, hint_zh) = match expected_zh.as_str() {
            "整数" | "数字" => (
                "write a number in Arabic digits, e.g. 2019",
                "请用阿拉伯数字填写，例如 2019",
            ),
            "列表" => (
                "lists are written [a, b] or as lines starting with `- `",
                "列表写成 [甲, 乙] 或以 `- ` 开头的多行",
            ),
            "文字" => (
                "put the value in quotes, e.g. title: \"2024\"",
                "请给这个值加上引号，例如 title: \"2024\"",
            ),
            _ => (
                "check the indentation and the value's form; text with a colon or # must be quoted",
                "请检查缩进和取值格式；含冒号或 # 的文字需要加引号",
            ),
        };
        return Diagnostic::error(
            format!("wrong kind of value: found {found}, expected {expected}"),
            format!("取值类型不对：这里是{found_zh}，应为{expected_zh}"),
        )
        .hint(hint_en, hint_zh);
    }
    if msg.starts_with("duplicate entry with key") || msg.starts_with("duplicate field") {
        return Diagnostic::error(
            format!("a key appears twice: {msg}"),
            format!("同一个键出现了两次：{msg}"),
        )
        .hint("keep only one of them", "只保留其中一个");
    }
    Diagnostic::error(
        format!("YAML syntax error: {msg}"),
        format!("YAML 语法错误：{msg}"),
    )
    .hint(
        "check indentation (spaces, not tabs), colons followed by a space, and quotes",
        "请检查缩进（用空格，不要用 Tab）、冒号后的空格以及引号是否成对",
    )
}

fn split_name(rest: &str) -> (&str, &str) {
    match rest.split_once('`') {
        Some((name, tail)) => (name, tail),
        None => (rest, ""),
    }
}

fn list_after_expected(tail: &str) -> String {
    let list = tail
        .split_once("expected one of ")
        .or_else(|| tail.split_once("expected "))
        .map(|(_, l)| l)
        .unwrap_or("");
    if list.contains("there are no fields") || list.is_empty() {
        return "(none)".to_string();
    }
    list.replace(" or ", ", ")
}

fn type_zh(t: &str) -> String {
    let t = t.trim();
    let word = |w: &str| t.starts_with(w);
    let zh = if word("a sequence") || word("sequence") {
        "列表"
    } else if word("a map") || word("map") || word("struct") {
        "键值映射"
    } else if word("a string") || word("string") {
        "文字"
    } else if word("integer")
        || word("i64")
        || word("i32")
        || word("u32")
        || word("u16")
        || word("u8")
        || word("usize")
        || word("an integer")
    {
        "整数"
    } else if word("a boolean") || word("boolean") {
        "true/false"
    } else if word("floating point") || word("f64") {
        "数字"
    } else if word("unit") || word("null") {
        "空值"
    } else {
        return t.to_string();
    };
    match t.find('`') {
        Some(i) => format!("{zh} {}", &t[i..]),
        None => zh.to_string(),
    }
}

/// Where `key:` sits in `src` (1-based line and column): the first occurrence at or after
/// line `from` as a mapping key (line start, after `- `, `{` or `,`).
pub fn find_key(src: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    let pat = format!("{key}:");
    for (i, line) in src.lines().enumerate().skip(from.saturating_sub(1)) {
        let mut search = 0;
        while let Some(pos) = line[search..].find(&pat) {
            let at = search + pos;
            let before = line[..at].trim_end();
            if before.is_empty()
                || before.ends_with('{')
                || before.ends_with(',')
                || before.ends_with('-')
            {
                return Some((i + 1, line[..at].chars().count() + 1));
            }
            search = at + pat.len();
        }
    }
    None
}

/// Where `key: value` sits, preferring the line where the value appears after the key.
pub fn find_value(src: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    for (i, line) in src.lines().enumerate() {
        if let Some(kpos) = line.find(&format!("{key}:")) {
            if let Some(vpos) = line[kpos..].find(value) {
                let at = kpos + vpos;
                return Some((i + 1, line[..at].chars().count() + 1));
            }
        }
    }
    find_text(src, value).or_else(|| find_key(src, key, 1))
}

/// The first occurrence of `needle` in `src`.
pub fn find_text(src: &str, needle: &str) -> Option<(usize, usize)> {
    find_text_from(src, needle, 1)
}

/// The first occurrence of `needle` at or after line `from` (1-based).
pub fn find_text_from(src: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    for (i, line) in src.lines().enumerate().skip(from.saturating_sub(1)) {
        if let Some(at) = line.find(needle) {
            return Some((i + 1, line[..at].chars().count() + 1));
        }
    }
    None
}

/// Where each item of the top-level list `key:` starts (1-based line and column of its
/// `-`), in order: the place of a board's block or a deck's slide.
pub fn item_lines(src: &str, key: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut indent = None;
    let head = format!("{key}:");
    for (i, line) in src.lines().enumerate() {
        let trimmed = line.trim_start();
        if !inside {
            inside = line.starts_with(&head);
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ind = line.len() - trimmed.len();
        if ind == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with('-') && indent.is_none_or(|n| n == ind) {
            indent = Some(ind);
            out.push((i + 1, line[..ind].chars().count() + 1));
        }
    }
    out
}

/// An item of a typed list (a board's block, a deck's slide) that does not fit its
/// schema: an unknown `type`, named with `what` (English, Chinese: "block", "内容块")
/// and the `types` there are; else serde's message, at the key it names within the item
/// that starts at `at`.
pub fn item_error(
    file: &str,
    src: &str,
    at: Option<(usize, usize)>,
    error: &str,
    what: (&str, &str),
    types: &[&str],
) -> Diagnostic {
    let from = at.map_or(1, |a| a.0);
    let pos = |key: Option<&str>| key.and_then(|k| find_key(src, k, from)).or(at);
    if let Some(rest) = error.split_once("unknown variant `").map(|x| x.1) {
        let kind = rest.split('`').next().unwrap_or(rest);
        return Diagnostic::error(
            format!("unknown {} type `{kind}`", what.0),
            format!("未知的{}类型 `{kind}`", what.1),
        )
        .file(file)
        .at_opt(src, pos(Some("type")))
        .hint(
            format!("known types: {}", types.join(", ")),
            format!("可用类型：{}", types.join("、")),
        );
    }
    let key = named_key(error).filter(|_| error.contains("unknown field"));
    message_diagnostic(file, error).at_opt(src, pos(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_ascii_quote_followed_by_text() {
        assert_eq!(quote_then_more("title: \"五微一体\"品牌创建"), Some(8));
        assert_eq!(quote_then_more("title: \"五微一体品牌创建\""), None);
        assert_eq!(quote_then_more("  - \"微\"党课"), Some(5));
        assert_eq!(quote_then_more("title: 五微一体 # note"), None);
    }

    #[test]
    fn finds_keys_in_block_and_flow_style() {
        let src = "title: a\ntheme: { primary: red }\nnav:\n  - title: x\n";
        assert_eq!(find_key(src, "primary", 1), Some((2, 10)));
        assert_eq!(find_key(src, "title", 2), Some((4, 5)));
        assert_eq!(find_value(src, "primary", "red"), Some((2, 19)));
    }
}
