//! Diagnostics: every problem zhanting reports, with file, line, column, the offending
//! line, a message and a hint, in English or Chinese.
//!
//! Loading and rendering collect diagnostics instead of stopping at the first one, so a
//! user with ten typos sees ten errors in one run.

use std::fmt::Write as _;
use unicode_width::UnicodeWidthChar;

/// The language diagnostics are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// Chinese when `LC_ALL` (or, if unset, `LANG`) starts with `zh`, English otherwise.
    pub fn from_env() -> Lang {
        let pick = |v: Option<String>| v.filter(|s| !s.is_empty());
        let value = pick(std::env::var("LC_ALL").ok())
            .or_else(|| pick(std::env::var("LC_MESSAGES").ok()))
            .or_else(|| pick(std::env::var("LANG").ok()))
            .unwrap_or_default();
        if value.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A message in both languages; the renderer picks one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
    /// Information: printed, never an error, not even with `--strict`.
    Note,
}

/// One problem found in the site, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site folder, with `/` separators.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    /// The text of the offending line.
    pub source_line: Option<String>,
    pub message: Text,
    pub hint: Option<Text>,
    /// The site file this problem only follows from (a block that takes its data from
    /// brand.yaml): not reported when that file has errors of its own, which are the
    /// real cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows_from: Option<String>,
}

impl Diagnostic {
    pub fn error(en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            source_line: None,
            message: Text::new(en, zh),
            hint: None,
            follows_from: None,
        }
    }

    pub fn warning(en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(en, zh)
        }
    }

    pub fn note(en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(en, zh)
        }
    }

    /// Names the file (relative to the site folder).
    pub fn file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    /// Points at `line`/`column` of `source` (the whole file text) and keeps that line.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Diagnostic {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Like [`Diagnostic::at`] with an optional position.
    pub fn at_opt(self, source: &str, pos: Option<(usize, usize)>) -> Diagnostic {
        match pos {
            Some((line, column)) => self.at(source, line, column),
            None => self,
        }
    }

    /// Marks the problem as one that follows from what site file `file` holds.
    pub fn follows_from(mut self, file: impl Into<String>) -> Diagnostic {
        self.follows_from = Some(file.into());
        self
    }

    pub fn hint(mut self, en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
        self.hint = Some(Text::new(en, zh));
        self
    }

    /// A file of the site that exists but cannot be read.
    pub fn unreadable(file: &str, e: &std::io::Error) -> Diagnostic {
        Diagnostic::error(
            format!("cannot read {file}: {e}"),
            format!("无法读取 {file}：{e}"),
        )
        .file(file)
        .hint(
            "check that the file exists and is readable",
            "请检查文件是否存在、是否有读取权限",
        )
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic the way a compiler does:
    ///
    /// ```text
    /// error: unknown key `titel`
    ///  --> site.yaml:2:1
    ///   |
    /// 2 | titel: 测试
    ///   | ^
    ///   = hint: …
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        let label = match (self.severity, lang) {
            (Severity::Error, Lang::En) => "error: ",
            (Severity::Error, Lang::Zh) => "错误：",
            (Severity::Warning, Lang::En) => "warning: ",
            (Severity::Warning, Lang::Zh) => "警告：",
            (Severity::Note, Lang::En) => "note: ",
            (Severity::Note, Lang::Zh) => "说明：",
        };
        let _ = writeln!(out, "{label}{}", self.message.get(lang));
        let number = self.line.map(|l| l.to_string()).unwrap_or_default();
        let pad = " ".repeat(number.len());
        if let Some(file) = &self.file {
            let _ = match (self.line, self.column) {
                (Some(l), Some(c)) => writeln!(out, "{pad}--> {file}:{l}:{c}"),
                (Some(l), None) => writeln!(out, "{pad}--> {file}:{l}"),
                _ => writeln!(out, "{pad}--> {file}"),
            };
        }
        if let (Some(src), Some(_)) = (&self.source_line, self.line) {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {src}");
            if let Some(col) = self.column {
                let indent: usize = src
                    .chars()
                    .take(col - 1)
                    .map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) })
                    .sum();
                let _ = writeln!(out, "{pad} | {}^", " ".repeat(indent));
            }
        }
        if let Some(hint) = &self.hint {
            let word = match lang {
                Lang::En => "hint: ",
                Lang::Zh => "提示：",
            };
            let _ = writeln!(out, "{pad} = {word}{}", hint.get(lang));
        }
        out
    }
}

/// Where every stage puts what it finds, errors and warnings alike: loading, rendering
/// and writing all take `&mut Diagnostics`, so a problem travels one way whatever the
/// stage. A stage that cannot produce its value returns `None` beside its errors.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// How many diagnostics there are; [`Diagnostics::errors_since`] takes it as a mark.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether an error was found after `mark` (an earlier [`Diagnostics::len`]).
    pub fn errors_since(&self, mark: usize) -> bool {
        self.0[mark.min(self.0.len())..]
            .iter()
            .any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Whether an error was found in `file`.
    pub fn has_errors_in(&self, file: &str) -> bool {
        self.0
            .iter()
            .any(|d| d.is_error() && d.file.as_deref() == Some(file))
    }

    /// Drops what was found after `mark` that only follows from a file of `broken`:
    /// one root cause, one message.
    pub fn drop_following(&mut self, mark: usize, broken: &[&str]) {
        let from = mark.min(self.0.len());
        let mut i = 0;
        self.0.retain(|d| {
            i += 1;
            i <= from
                || !d
                    .follows_from
                    .as_deref()
                    .is_some_and(|f| broken.contains(&f))
        });
    }

    /// Sorts what was found after `mark` by file and line ([`sort`]).
    pub fn sort_since(&mut self, mark: usize) {
        let from = mark.min(self.0.len());
        sort(&mut self.0[from..]);
    }

    /// Stable order whatever the thread order, each problem once (see [`dedup`]).
    pub fn sort_dedup(&mut self) {
        dedup(&mut self.0);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }

    /// The value when no error was found, with the warnings; else every diagnostic.
    pub fn into_result<T>(self, value: Option<T>) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        match value {
            Some(v) if !self.has_errors() => Ok((v, self.0)),
            _ => Err(self.0),
        }
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics(v)
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Renders many diagnostics, errors and warnings in the order found, and a summary line.
pub fn render_all(diags: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.render(lang));
        out.push('\n');
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "{errors} error{}, {warnings} warning{}",
                plural(errors),
                plural(warnings)
            ),
            Lang::Zh => writeln!(out, "共 {errors} 个错误，{warnings} 个警告"),
        };
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Reports each problem once: one broken template fails every page that uses it, and
/// those errors differ only in the page named after " (while".
pub fn dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| (&a.file, a.line, &a.message.en).cmp(&(&b.file, b.line, &b.message.en)));
    diags.dedup_by(|a, b| {
        a.file == b.file
            && a.line == b.line
            && a.message.en.split(" (while").next() == b.message.en.split(" (while").next()
    });
}

/// Sorts diagnostics by file and line so output is stable whatever the thread order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message.en).cmp(&(&b.file, b.line, b.column, &b.message.en))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_wide_characters() {
        let src = "title: 测试\ntitel: 错误\n";
        let d = Diagnostic::error("bad", "坏")
            .file("site.yaml")
            .at(src, 2, 8)
            .hint("fix it", "改正");
        assert_eq!(
            d.render(Lang::En),
            "error: bad\n --> site.yaml:2:8\n  |\n2 | titel: 错误\n  |        ^\n  = hint: fix it\n"
        );
        assert!(d.render(Lang::Zh).starts_with("错误：坏\n"));
    }
}
