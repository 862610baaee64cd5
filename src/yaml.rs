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
    let (line, column) = match e.location() {
        Some(loc) => (loc.line() + line_offset, loc.column()),
        None => (line_offset + 1, 1),
    };
    // A typing slip of a Chinese input method is the real cause of whatever the parser
    // or the schema made of it: said in its own words, at its own place.
    let yaml_lines = yaml_line_range(full_source, line_offset);
    let found = slips(full_source, yaml_lines.clone());
    if let Some(first) = found.iter().find(|s| s.breaks()) {
        let others: Vec<usize> = found
            .iter()
            .filter(|s| s.breaks() && s.line != first.line)
            .map(|s| s.line)
            .collect();
        return first.diagnostic(file, full_source, &others);
    }
    let msg = without_places(&e.to_string());
    let mut d = translate(&msg).file(file).at(full_source, line, column);
    if let Some(slip) = found
        .iter()
        .find(|s| s.kind == SlipKind::ChineseQuotes && s.line.abs_diff(line) <= 1)
    {
        return slip.diagnostic(file, full_source, &[]);
    }
    if let Some(quote_line) = find_quote_trouble(full_source, line) {
        d = d.at(full_source, quote_line.0, quote_line.1).hint(
            "a value that opens with an ASCII quote must end with it: quote the whole value (title: '\"五微一体\"品牌创建') or use Chinese quotes “ ”",
            "以英文引号开头的值必须整体用引号括起来：写成 title: '\"五微一体\"品牌创建'，或改用中文引号“ ”",
        );
    }
    d
}

/// serde_yaml's message without the places it appends (" at line 3 column 1", also
/// after libyaml's context: "…, while parsing a block mapping at line 1 column 1").
fn without_places(raw: &str) -> String {
    let mut out = String::new();
    for (i, part) in raw.split(", while ").enumerate() {
        if i > 0 {
            out.push_str(", while ");
        }
        let cut = [" at line ", " at position "]
            .iter()
            .filter_map(|p| part.find(p))
            .min()
            .unwrap_or(part.len());
        out.push_str(&part[..cut]);
    }
    out.trim_start_matches(['.', ' ']).to_string()
}

/// The lines (1-based, of the whole file) that hold the YAML: from `line_offset + 1`
/// to the front matter's closing `---`, or to the end.
fn yaml_line_range(full_source: &str, line_offset: usize) -> std::ops::Range<usize> {
    let first = line_offset + 1;
    let mut last = full_source.lines().count() + 1;
    if line_offset > 0 {
        if let Some(i) = full_source
            .lines()
            .enumerate()
            .skip(line_offset)
            .find(|(_, l)| l.trim_end() == "---")
            .map(|(i, _)| i)
        {
            last = i + 1;
        }
    }
    first..last
}

/// A typing slip of a Chinese input method in YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipKind {
    /// `title：…`: a full-width colon after a key.
    FullWidthColon,
    /// Indentation with full-width spaces (U+3000).
    IdeographicSpace,
    /// Indentation with a Tab.
    Tab,
    /// `{ label: 微党课，value: 35 }`: a full-width comma between entries.
    FullWidthCommaInMapping,
    /// `tags: [理论学习，微党课]`: valid YAML, but one item.
    FullWidthCommaInList,
    /// `title: “五微一体: 品牌”`: Chinese quotes do not quote.
    ChineseQuotes,
}

/// One slip: where (1-based line, column in characters) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub line: usize,
    pub column: usize,
    pub kind: SlipKind,
    /// The list written, for [`SlipKind::FullWidthCommaInList`].
    pub text: String,
}

impl Slip {
    /// Whether the slip breaks the file (the others make valid YAML that may be meant).
    fn breaks(&self) -> bool {
        !matches!(
            self.kind,
            SlipKind::FullWidthCommaInList | SlipKind::ChineseQuotes
        )
    }

    /// The error (a warning for a list) that names the character and what to type.
    pub fn diagnostic(&self, file: &str, src: &str, others: &[usize]) -> Diagnostic {
        let n = self.line;
        let d = match self.kind {
            SlipKind::FullWidthColon => Diagnostic::error(
                format!("line {n}: a full-width colon 「：」 after the key"),
                format!("第 {n} 行键名后用了全角冒号「：」"),
            )
            .hint(
                "type an ASCII colon 「:」 followed by a space (switch the input method to English punctuation)",
                "请改为半角冒号「:」并在其后留一个空格（可把输入法切换到英文标点）",
            ),
            SlipKind::IdeographicSpace => Diagnostic::error(
                format!("line {n} is indented with full-width spaces (U+3000)"),
                format!("第 {n} 行用全角空格（U+3000）缩进"),
            )
            .hint(
                "indent with ASCII spaces (two per level); full-width spaces are characters to YAML, not indentation",
                "请删除全角空格，改用半角空格缩进（每级两个）；YAML 不把全角空格当作缩进",
            ),
            SlipKind::Tab => Diagnostic::error(
                format!("line {n} is indented with a Tab"),
                format!("第 {n} 行用了 Tab 键缩进"),
            )
            .hint(
                "YAML does not allow Tabs for indentation: indent with spaces (two per level)",
                "YAML 不允许用 Tab 缩进：请删除 Tab，改用半角空格（每级两个）",
            ),
            SlipKind::FullWidthCommaInMapping => Diagnostic::error(
                format!("line {n}: a full-width comma 「，」 between the entries of {{ … }}"),
                format!("第 {n} 行 {{ … }} 中用全角逗号「，」分隔了各项"),
            )
            .hint(
                "separate the entries with an ASCII comma 「,」 and a space; a value that holds a comma goes in quotes",
                "请改为半角逗号「,」加空格；值本身含逗号时请给它加上引号",
            ),
            SlipKind::FullWidthCommaInList => Diagnostic::warning(
                format!("line {n}: the full-width comma 「，」 makes {} one item", self.text),
                format!("第 {n} 行的全角逗号「，」使 {} 成了一项", self.text),
            )
            .hint(
                format!(
                    "separate the items with an ASCII comma 「,」: {}",
                    self.text.replace('，', ", ")
                ),
                format!(
                    "如要分成几项，请改为半角逗号「,」：{}",
                    self.text.replace('，', ", ")
                ),
            ),
            SlipKind::ChineseQuotes => Diagnostic::error(
                format!("line {n}: Chinese quotation marks “ ” around the value do not quote it in YAML"),
                format!("第 {n} 行值两边的中文引号“ ”在 YAML 中不起引号作用"),
            )
            .hint(
                "to quote a value, use ASCII quotes \"…\" (keep “ ” inside them if they should show: title: \"“五微一体”: 品牌\")",
                "需要引号时请用英文引号 \"…\"（要显示中文引号就写在英文引号里面，如 title: \"“五微一体”: 品牌\"）",
            ),
        };
        let d = if others.is_empty() {
            d
        } else {
            let list: Vec<String> = others.iter().map(|l| l.to_string()).collect();
            let (en, zh) = d.hint.clone().map(|h| (h.en, h.zh)).unwrap_or_default();
            d.hint(
                format!("{en}; the same on lines {}", list.join(", ")),
                format!("{zh}；第 {} 行也是这样", list.join("、")),
            )
        };
        d.file(file).at(src, self.line, self.column)
    }
}

/// The typing slips of lines `lines` (1-based, of `src`): what a pinyin input method
/// types in place of YAML's ASCII punctuation. Block scalars (`|`, `>`) are text, and
/// not looked into.
pub fn slips(src: &str, lines: std::ops::Range<usize>) -> Vec<Slip> {
    let mut out = Vec::new();
    // The indentation of the key of the block scalar being read.
    let mut block: Option<usize> = None;
    for (i, line) in src.lines().enumerate() {
        let n = i + 1;
        if !lines.contains(&n) {
            continue;
        }
        let trimmed = line.trim_start_matches([' ', '\t', '\u{3000}']);
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(key_indent) = block {
            if trimmed.is_empty() || indent.chars().count() > key_indent {
                continue;
            }
            block = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = |byte: usize| line[..byte].chars().count() + 1;
        let starts_entry =
            trimmed.starts_with("- ") || trimmed == "-" || key_start(trimmed).is_some();
        if indent.contains('\t') {
            out.push(Slip {
                line: n,
                column: at(indent.find('\t').unwrap_or(0)),
                kind: SlipKind::Tab,
                text: String::new(),
            });
        } else if indent.contains('\u{3000}') && starts_entry {
            out.push(Slip {
                line: n,
                column: at(indent.find('\u{3000}').unwrap_or(0)),
                kind: SlipKind::IdeographicSpace,
                text: String::new(),
            });
        }
        let entry = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
        if let Some(key_len) = key_start(entry) {
            if entry[key_len..].starts_with('：') {
                let byte = line.len() - entry.len() + key_len;
                out.push(Slip {
                    line: n,
                    column: at(byte),
                    kind: SlipKind::FullWidthColon,
                    text: String::new(),
                });
            }
        }
        // The value after `key: ` or `- `.
        let value = match entry.find(": ") {
            Some(c) if key_start(entry) == Some(c) => entry[c + 2..].trim(),
            _ if trimmed.starts_with("- ") => entry.trim(),
            _ => "",
        };
        if value.starts_with('|') || value.starts_with('>') {
            block = Some(indent.chars().count());
            continue;
        }
        let value_at = line.trim_end().len() - value.len();
        for (open, close) in [('“', '”'), ('‘', '’'), ('「', '」')] {
            if value.len() > 2 && value.starts_with(open) && value.ends_with(close) {
                out.push(Slip {
                    line: n,
                    column: at(value_at),
                    kind: SlipKind::ChineseQuotes,
                    text: String::new(),
                });
            }
        }
        out.extend(flow_commas(line, n));
    }
    out
}

/// The length of the ASCII key `trimmed` starts with, when a colon follows it.
fn key_start(trimmed: &str) -> Option<usize> {
    let len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(trimmed.len());
    let first = trimmed.chars().next()?;
    (len > 0 && first.is_ascii_alphabetic() && trimmed[len..].starts_with([':', '：']))
        .then_some(len)
}

/// Full-width commas inside `[ … ]` and `{ … }` of one line, outside quotes.
fn flow_commas(line: &str, n: usize) -> Vec<Slip> {
    let mut out = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut comma_in: Vec<bool> = Vec::new();
    let mut comment_ok = true;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if comment_ok => break,
            (None, '[' | '{') => {
                stack.push((c, i));
                comma_in.push(false);
            }
            (None, ']' | '}') => {
                if let (Some((open, start)), Some(comma)) = (stack.pop(), comma_in.pop()) {
                    if comma && open == '[' {
                        out.push(Slip {
                            line: n,
                            column: line[..start].chars().count() + 1,
                            kind: SlipKind::FullWidthCommaInList,
                            text: line[start..i + 1].to_string(),
                        });
                    }
                }
            }
            (None, '，') if !stack.is_empty() => {
                let inner = stack.last().map(|s| s.0);
                if inner == Some('{') {
                    out.push(Slip {
                        line: n,
                        column: line[..i].chars().count() + 1,
                        kind: SlipKind::FullWidthCommaInMapping,
                        text: String::new(),
                    });
                } else if let Some(last) = comma_in.last_mut() {
                    *last = true;
                }
            }
            _ => {}
        }
        comment_ok = c == ' ' || c == '\t';
    }
    out
}

/// The warnings of slips that leave valid YAML (a full-width comma in a `[ … ]` list)
/// in the YAML of file `rel` (`text`, the YAML being its first `yaml_end` bytes).
pub fn slip_warnings(rel: &str, text: &str, yaml_end: usize) -> Vec<Diagnostic> {
    let head = &text[..yaml_end.min(text.len())];
    let lines = 1..head.lines().count() + 1;
    slips(text, lines)
        .into_iter()
        .filter(|s| s.kind == SlipKind::FullWidthCommaInList)
        .map(|s| s.diagnostic(rel, text, &[]))
        .collect()
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
    if let Some(rest) = msg
        .strip_prefix("duplicate entry with key ")
        .or_else(|| msg.strip_prefix("duplicate field "))
    {
        let key = rest.trim_matches(['`', '"']);
        return Diagnostic::error(
            format!("a key appears twice: {msg}"),
            format!("同一个键 `{key}` 出现了两次"),
        )
        .hint("keep only one of them", "只保留其中一个");
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Diagnostic::error(
            format!("invalid value: {found}, expected {expected}"),
            format!(
                "取值不对：这里是{}，应为{}",
                type_zh(found),
                type_zh(expected)
            ),
        )
        .hint(
            "check the value against the settings reference (站点配置)",
            "请对照使用手册的“站点配置”检查这个值",
        );
    }
    if let Some(rest) = msg
        .strip_prefix("invalid length ")
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Diagnostic::error(
            format!("wrong number of items: {found}, expected {expected}"),
            format!("项数不对：写了 {found} 项，应为{}", type_zh(expected)),
        )
        .hint("check the list", "请检查这个列表");
    }
    // libyaml's syntax errors: "problem, while context".
    let (problem, context) = match msg.split_once(", while ") {
        Some((p, c)) => (p, Some(c)),
        None => (msg, None),
    };
    let problem_zh = syntax_zh(problem);
    let context_zh = context.and_then(|c| syntax_zh(&format!("while {c}")));
    let zh = match (&problem_zh, &context_zh) {
        (Some(p), Some(c)) => format!("YAML 格式错误：{p}（{c}）"),
        (Some(p), None) => format!("YAML 格式错误：{p}"),
        _ => "YAML 格式错误".to_string(),
    };
    Diagnostic::error(format!("YAML syntax error: {msg}"), zh).hint(
        "check indentation (spaces, not tabs), colons followed by a space, and quotes",
        "请检查缩进（用空格，不要用 Tab）、冒号后的空格以及引号是否成对",
    )
}

/// Every message of the YAML parser (libyaml's problems and contexts, as in
/// unsafe-libyaml's scanner, parser and reader, and serde_yaml's own) in Chinese.
pub const SYNTAX: &[(&str, &str)] = &[
    (
        "block sequence entries are not allowed in this context",
        "这里不能开始一个以 `- ` 开头的列表（`- ` 前的缩进或上一行的冒号可能不对）",
    ),
    (
        "control characters are not allowed",
        "文件中有不可见的控制字符",
    ),
    (
        "could not find expected ':'",
        "缺少冒号 `:`（键后要写半角冒号和空格）",
    ),
    ("could not find expected directive name", "`%` 指令缺少名称"),
    ("did not find URI escaped octet", "标签中的 % 转义不完整"),
    ("did not find expected '!'", "标签缺少 `!`"),
    (
        "did not find expected ',' or ']'",
        "方括号列表 [ … ] 中缺少半角逗号 `,` 或右括号 `]`",
    ),
    (
        "did not find expected ',' or '}'",
        "花括号 { … } 中缺少半角逗号 `,` 或右括号 `}`",
    ),
    (
        "did not find expected '-' indicator",
        "这里应是以 `- ` 开头的列表项（缩进可能不对）",
    ),
    (
        "did not find expected <document start>",
        "缺少文档开头 `---`",
    ),
    ("did not find expected <stream-start>", "文件开头无法识别"),
    (
        "did not find expected alphabetic or numeric character",
        "这里应是字母或数字",
    ),
    (
        "did not find expected comment or line break",
        "这里应是注释或换行",
    ),
    (
        "did not find expected digit or '.' character",
        "这里应是数字或小数点",
    ),
    (
        "did not find expected hexadecimal number",
        "这里应是十六进制数字",
    ),
    (
        "did not find expected key",
        "这里应是一个键（如 `title:`），缩进可能不对",
    ),
    ("did not find expected node content", "这里缺少取值"),
    ("did not find expected tag URI", "标签不完整"),
    (
        "did not find expected version number",
        "`%YAML` 指令缺少版本号",
    ),
    (
        "did not find expected whitespace or line break",
        "这里应是空格或换行",
    ),
    ("did not find expected whitespace", "这里应是空格"),
    ("did not find the expected '>'", "标签缺少 `>`"),
    ("expected low surrogate area", "转义的 Unicode 字符不完整"),
    (
        "found a tab character that violates indentation",
        "用 Tab 键缩进了（YAML 只允许用空格缩进）",
    ),
    (
        "found a tab character where an indentation space is expected",
        "用 Tab 键缩进了（YAML 只允许用空格缩进）",
    ),
    (
        "found an incorrect leading UTF-8 octet",
        "文件不是有效的 UTF-8 编码",
    ),
    (
        "found an incorrect trailing UTF-8 octet",
        "文件不是有效的 UTF-8 编码",
    ),
    (
        "found an indentation indicator equal to 0",
        "`|` 或 `>` 后的缩进数字不能为 0",
    ),
    (
        "found character that cannot start any token",
        "这里有一个不能出现在此处的字符（常见的是 Tab 缩进，或以 `@`、`` ` `` 开头的值需要加引号）",
    ),
    ("found duplicate %TAG directive", "`%TAG` 指令重复"),
    ("found duplicate %YAML directive", "`%YAML` 指令重复"),
    ("found duplicate anchor; first occurrence", "锚点 `&` 重复"),
    ("second occurrence", "第二次出现"),
    ("found extremely long version number", "版本号过长"),
    ("found incompatible YAML document", "不支持的 YAML 版本"),
    (
        "found invalid Unicode character escape code",
        "无效的 Unicode 转义",
    ),
    ("found undefined alias", "引用 `*` 的锚点不存在"),
    ("found undefined tag handle", "标签前缀未定义"),
    (
        "found unexpected ':'",
        "出现了多余的冒号 `:`（值里含冒号时请给整个值加引号）",
    ),
    (
        "found unexpected document indicator",
        "值中出现了 `---` 或 `...`",
    ),
    (
        "found unexpected end of stream",
        "文件意外结束（可能有引号或括号没有配对）",
    ),
    (
        "found unexpected non-alphabetical character",
        "这里出现了意外的字符",
    ),
    ("found unknown directive name", "未知的 `%` 指令"),
    (
        "found unknown escape character",
        "双引号中有无效的反斜杠转义（如要写反斜杠 `\\`，请改用单引号）",
    ),
    ("incomplete UTF-16 character", "文件不是有效的 UTF-16 编码"),
    (
        "incomplete UTF-16 surrogate pair",
        "文件不是有效的 UTF-16 编码",
    ),
    (
        "incomplete UTF-8 octet sequence",
        "文件不是有效的 UTF-8 编码",
    ),
    ("input error", "读取文件出错"),
    ("input is too long", "文件太长"),
    ("invalid Unicode character", "文件中有无效的 Unicode 字符"),
    ("invalid leading UTF-8 octet", "文件不是有效的 UTF-8 编码"),
    (
        "invalid length of a UTF-8 sequence",
        "文件不是有效的 UTF-8 编码",
    ),
    ("invalid trailing UTF-8 octet", "文件不是有效的 UTF-8 编码"),
    (
        "mapping keys are not allowed in this context",
        "这里不能写键",
    ),
    (
        "mapping values are not allowed in this context",
        "这里不能出现“冒号加空格”（值里含 `: ` 时请给整个值加引号，或检查上一行的缩进）",
    ),
    ("unexpected low surrogate area", "转义的 Unicode 字符不完整"),
    ("while parsing a %TAG directive", "解析 `%TAG` 指令时"),
    ("while parsing a block collection", "解析多行列表时"),
    ("while parsing a block mapping", "解析多行键值时"),
    ("while parsing a block node", "解析取值时"),
    ("while parsing a flow mapping", "解析花括号 { … } 时"),
    ("while parsing a flow node", "解析括号中的取值时"),
    ("while parsing a flow sequence", "解析方括号 [ … ] 时"),
    ("while parsing a node", "解析取值时"),
    ("while parsing a quoted scalar", "解析引号中的文字时"),
    ("while parsing a tag directive", "解析标签指令时"),
    ("while parsing a tag", "解析标签时"),
    ("while scanning a %TAG directive", "读取 `%TAG` 指令时"),
    ("while scanning a %YAML directive", "读取 `%YAML` 指令时"),
    (
        "while scanning a block scalar",
        "读取 `|` 或 `>` 后的多行文字时",
    ),
    ("while scanning a directive", "读取 `%` 指令时"),
    ("while scanning a plain scalar", "读取未加引号的文字时"),
    (
        "while scanning a quoted scalar",
        "读取引号中的文字时（引号可能没有配对）",
    ),
    ("while scanning a simple key", "读取键时"),
    ("while scanning a tag directive", "读取标签指令时"),
    ("while scanning a tag", "读取标签时"),
    ("while scanning an alias", "读取引用 `*` 时"),
    ("while scanning an anchor", "读取锚点 `&` 时"),
    ("while scanning for the next token", "读取下一项时"),
    // serde_yaml's own
    ("EOF while parsing a value", "文件在取值处意外结束"),
    (
        "deserializing from YAML containing more than one document is not supported",
        "一个文件里只能有一份 YAML（请删除多余的 `---` 行）",
    ),
    ("recursion limit exceeded", "嵌套层数太多"),
    ("repetition limit exceeded", "引用展开后内容过多"),
    ("unknown anchor", "引用 `*` 的锚点不存在"),
    (
        "expected a mapping or list of mappings for merging, but found scalar",
        "`<<` 合并需要键值映射",
    ),
    ("unexpected tagged value in merge", "`<<` 合并中不能用标签"),
    (
        "expected a mapping for merging, but found scalar",
        "`<<` 合并需要键值映射",
    ),
    (
        "expected a mapping for merging, but found sequence",
        "`<<` 合并需要键值映射",
    ),
    ("empty YAML tag is not allowed", "标签 `!` 不能为空"),
    ("failed to parse YAML number", "数字格式不对"),
    (
        "serialization and deserialization of bytes in YAML is not implemented",
        "不支持二进制内容",
    ),
    (
        "serializing nested enums in YAML is not supported yet",
        "不支持嵌套的枚举值",
    ),
];

/// The Chinese of one of the parser's messages (a problem or a "while …" context).
fn syntax_zh(msg: &str) -> Option<&'static str> {
    let msg = msg.trim();
    SYNTAX
        .iter()
        .find(|(en, _)| msg == *en || msg.starts_with(&format!("{en} ")))
        .map(|(_, zh)| *zh)
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

    /// Every message libyaml (unsafe-libyaml 0.2's scanner, parser and reader) and
    /// serde_yaml 0.9 can give, alone and with a context, comes out in Chinese with no
    /// English word left.
    #[test]
    fn every_parser_message_is_translated() {
        // Words outside `code` (key names and YAML's own marks are shown as written).
        let english = |s: &str| {
            s.split('`')
                .step_by(2)
                .flat_map(|part| part.split(|c: char| !c.is_ascii_alphabetic()))
                .filter(|w| w.len() > 3 && !["YAML", "Unicode", "TAG"].contains(w))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let problems = SYNTAX.iter().filter(|(en, _)| !en.starts_with("while "));
        for (en, _) in problems {
            for msg in [
                en.to_string(),
                format!(
                    "{en} at line 3 column 1, while parsing a block mapping at line 1 column 1"
                ),
            ] {
                let zh = translate(&without_places(&msg)).message.zh;
                assert!(english(&zh).is_empty(), "{msg} → {zh}");
                assert!(zh.contains(syntax_zh(en).unwrap()), "{msg} → {zh}");
            }
        }
        for (en, zh) in SYNTAX.iter().filter(|(en, _)| en.starts_with("while ")) {
            let msg = format!("did not find expected key, {en}");
            assert!(translate(&msg).message.zh.contains(zh), "{msg}");
        }
        assert_eq!(SYNTAX.len(), 92);
    }

    #[test]
    fn slips_of_a_chinese_input_method_are_found_where_they_are() {
        let src = "title：测试\n　　- name: 微活动\n\t- { a: 1 }\ntags: [理论学习，微党课]\nx: { a: 1，b: 2 }\ny: “a: b”\nstory: |\n  　　- 正文里的全角空格不算\n";
        let found: Vec<(usize, usize, SlipKind)> = slips(src, 1..20)
            .into_iter()
            .map(|s| (s.line, s.column, s.kind))
            .collect();
        assert_eq!(
            found,
            [
                (1, 6, SlipKind::FullWidthColon),
                (2, 1, SlipKind::IdeographicSpace),
                (3, 1, SlipKind::Tab),
                (4, 7, SlipKind::FullWidthCommaInList),
                (5, 10, SlipKind::FullWidthCommaInMapping),
                (6, 4, SlipKind::ChineseQuotes),
            ]
        );
    }

    #[test]
    fn finds_keys_in_block_and_flow_style() {
        let src = "title: a\ntheme: { primary: red }\nnav:\n  - title: x\n";
        assert_eq!(find_key(src, "primary", 1), Some((2, 10)));
        assert_eq!(find_key(src, "title", 2), Some((4, 5)));
        assert_eq!(find_value(src, "primary", "red"), Some((2, 19)));
    }
}
