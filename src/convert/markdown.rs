//! A [`Document`] as the Markdown a person would write by hand: `##` headings, `**bold**`,
//! `- ` lists, GFM tables (HTML only where cells are merged), `[^1]` footnotes, pictures
//! as `![alt](01.jpg)` on their own line; and the page's front matter.
//!
//! Chinese text needs one care CommonMark does not take by itself: `**“五微一体”**品牌`
//! is not bold (a closing `**` after punctuation must be followed by a space or
//! punctuation), so punctuation at either end of a bold or italic run is put outside
//! its markers: `“**五微一体**”品牌`.

use super::doc::{plain, Block, Cell, Day, Document, Inline, Style, Table};
use std::fmt::Write as _;

/// The body of `doc` in Markdown; `names[i]` is the file name of picture `i`.
pub fn body(doc: &Document, names: &[String]) -> String {
    let w = Writer { doc, names };
    let mut out = w.blocks(&doc.blocks);
    if !doc.notes.is_empty() {
        out.push_str("\n\n");
        for (i, n) in doc.notes.iter().enumerate() {
            let _ = writeln!(out, "[^{}]: {}", i + 1, w.inlines(n, Context::Text));
        }
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    out
}

/// The front matter of an imported page.
pub fn front_matter(
    title: &str,
    date: Option<Day>,
    author: Option<&str>,
    cover: Option<&str>,
) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", yaml_value(title));
    if let Some(d) = date {
        let _ = writeln!(out, "date: {d}");
    }
    if let Some(a) = author {
        let _ = writeln!(out, "author: {}", yaml_value(a));
    }
    if let Some(c) = cover {
        let _ = writeln!(out, "cover: {}", yaml_value(c));
    }
    out.push_str("---\n");
    out
}

/// `s` as a value of the front matter holds it: on one line, without the characters
/// YAML refuses or reads otherwise — control characters, a byte-order mark, the
/// non-characters U+FFFE and U+FFFF (`control characters are not allowed`), and the line
/// and paragraph separators (line breaks to YAML) — each a space, and trimmed.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control()
                || matches!(
                    c,
                    '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
                )
            {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A YAML scalar of [`one_line`]`(s)`: plain when YAML reads it back as the same
/// string, else double-quoted.
pub fn yaml_value(s: &str) -> String {
    let one_line = one_line(s);
    let s = one_line.as_str();
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
    ];
    let plain_ok = !s.is_empty()
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', ' ',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
        && s.parse::<f64>().is_err()
        && !s
            .chars()
            .all(|c| c.is_ascii_digit() || "-:.+_ eE".contains(c));
    if plain_ok {
        return s.to_string();
    }
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Text,
    /// A GFM table cell: `|` escaped, no line breaks.
    Cell,
}

struct Writer<'a> {
    doc: &'a Document,
    names: &'a [String],
}

impl Writer<'_> {
    fn blocks(&self, blocks: &[Block]) -> String {
        let parts: Vec<String> = blocks
            .iter()
            .map(|b| self.block(b))
            .filter(|s| !s.is_empty())
            .collect();
        parts.join("\n\n")
    }

    fn block(&self, b: &Block) -> String {
        match b {
            Block::Heading(level, l) => {
                let text = self.inlines(&super::doc::unbold(l.clone()), Context::Text);
                let text = text.replace("\\\n", " ");
                format!("{} {}", "#".repeat(*level as usize), text)
            }
            Block::Paragraph(l) => line_starts(&self.inlines(l, Context::Text)),
            Block::List {
                ordered,
                start,
                items,
            } => {
                let tight = items
                    .iter()
                    .all(|i| i.len() == 1 || (i.len() == 2 && matches!(i[1], Block::List { .. })));
                let mut out = String::new();
                for (k, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", *start as usize + k)
                    } else {
                        "- ".to_string()
                    };
                    let pad = " ".repeat(marker.chars().count());
                    let text = if tight {
                        item.iter()
                            .map(|b| self.block(b))
                            .collect::<Vec<_>>()
                            .join("\n")
                    } else {
                        self.blocks(item)
                    };
                    if k > 0 {
                        out.push_str(if tight { "\n" } else { "\n\n" });
                    }
                    for (n, line) in text.lines().enumerate() {
                        if n == 0 {
                            out.push_str(&marker);
                        } else {
                            out.push('\n');
                            if !line.is_empty() {
                                out.push_str(&pad);
                            }
                        }
                        out.push_str(line);
                    }
                }
                out
            }
            Block::Quote(inner) => self
                .blocks(inner)
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(t) => self.table(t),
            Block::Rule => "---".to_string(),
            Block::Missing(url) => format!(
                "<!-- 图片未随网页保存，请补上：{} -->",
                url.replace("--", "%2D%2D")
            ),
        }
    }

    fn table(&self, t: &Table) -> String {
        let simple = |c: &Cell| c.blocks.iter().all(|b| matches!(b, Block::Paragraph(_)));
        let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        // Rows are padded to the widest: a table wider than any document has is
        // written as it is.
        if width > 64 || t.is_merged() || !t.rows.iter().flatten().all(simple) {
            return self.html_table(t);
        }
        let mut out = String::new();
        for (r, row) in t.rows.iter().enumerate() {
            out.push('|');
            for k in 0..width {
                // A header is bold by itself.
                let text = row
                    .get(k)
                    .map(|c| {
                        if r > 0 {
                            return self.cell_text(c);
                        }
                        let blocks = c
                            .blocks
                            .iter()
                            .map(|b| match b {
                                Block::Paragraph(l) => {
                                    Block::Paragraph(super::doc::unbold(l.clone()))
                                }
                                other => other.clone(),
                            })
                            .collect();
                        self.cell_text(&Cell { blocks, ..*c })
                    })
                    .unwrap_or_default();
                let _ = write!(out, " {text} |");
            }
            out.push('\n');
            if r == 0 {
                out.push('|');
                out.push_str(&" --- |".repeat(width));
                out.push('\n');
            }
        }
        out.trim_end().to_string()
    }

    fn cell_text(&self, c: &Cell) -> String {
        c.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(l) => Some(self.inlines(l, Context::Cell)),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("<br>")
    }

    /// A table with merged cells, in HTML. A cell's text is inline HTML; a cell with a
    /// picture holds Markdown between blank lines, so the picture is published like
    /// every other.
    fn html_table(&self, t: &Table) -> String {
        let mut out = String::from("<table>\n");
        for (r, row) in t.rows.iter().enumerate() {
            out.push_str("<tr>");
            for c in row {
                let tag = if r == 0 { "th" } else { "td" };
                let mut attrs = String::new();
                if c.colspan > 1 {
                    let _ = write!(attrs, " colspan=\"{}\"", c.colspan);
                }
                if c.rowspan > 1 {
                    let _ = write!(attrs, " rowspan=\"{}\"", c.rowspan);
                }
                let has_picture = !Document {
                    blocks: c.blocks.clone(),
                    ..Document::default()
                }
                .pictures_in_order()
                .is_empty();
                if has_picture {
                    let _ = write!(
                        out,
                        "\n<{tag}{attrs}>\n\n{}\n\n</{tag}>\n",
                        self.blocks(&c.blocks)
                    );
                } else {
                    let _ = write!(out, "<{tag}{attrs}>{}</{tag}>", self.html_blocks(&c.blocks));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>");
        out
    }

    fn html_blocks(&self, blocks: &[Block]) -> String {
        let mut parts = Vec::new();
        for b in blocks {
            match b {
                Block::Heading(_, l) | Block::Paragraph(l) => parts.push(html_inlines(l)),
                Block::List { items, .. } => {
                    for i in items {
                        parts.push(format!("• {}", self.html_blocks(i)));
                    }
                }
                Block::Quote(inner) => parts.push(self.html_blocks(inner)),
                Block::Table(t) => {
                    for row in &t.rows {
                        let cells: Vec<String> =
                            row.iter().map(|c| self.html_blocks(&c.blocks)).collect();
                        parts.push(cells.join(" "));
                    }
                }
                Block::Rule | Block::Missing(_) => {}
            }
        }
        parts.join("<br>")
    }

    fn inlines(&self, list: &[Inline], cx: Context) -> String {
        let mut out = String::new();
        for i in list {
            match i {
                Inline::Text(t, style) => styled(&mut out, t, *style, cx),
                Inline::Link(url, inner) => {
                    let text = self.inlines(inner, cx);
                    if plain(inner) == *url && !url.contains(['<', '>', ' ']) {
                        let _ = write!(out, "<{url}>");
                    } else {
                        let _ = write!(out, "[{text}]({})", link_target(url));
                    }
                }
                Inline::Picture(p) => {
                    let name = self.names.get(*p).map(String::as_str).unwrap_or("");
                    if name.is_empty() {
                        continue;
                    }
                    let alt = self
                        .doc
                        .pictures
                        .get(*p)
                        .map(|p| p.alt.as_str())
                        .unwrap_or("");
                    let alt = escape(alt, Context::Cell).replace('\n', " ");
                    let _ = write!(out, "![{alt}]({})", link_target(name));
                }
                Inline::Break => out.push_str(if cx == Context::Cell { "<br>" } else { "\\\n" }),
                Inline::Note(n) => {
                    let _ = write!(out, "[^{}]", n + 1);
                }
            }
        }
        out
    }
}

/// Text with its style's markers, punctuation and spaces at either end kept outside them.
fn styled(out: &mut String, text: &str, style: Style, cx: Context) {
    if style == Style::default() {
        out.push_str(&escape(text, cx));
        return;
    }
    let edge = |c: char| is_punctuation(c) || super::text::is_blank(c);
    let core_start = text.find(|c: char| !edge(c)).unwrap_or(text.len());
    let core_end = text.rfind(|c: char| !edge(c)).map_or(core_start, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    if core_start >= core_end {
        out.push_str(&escape(text, cx));
        return;
    }
    let (lead, core, trail) = (
        &text[..core_start],
        &text[core_start..core_end],
        &text[core_end..],
    );
    out.push_str(&escape(lead, cx));
    // Markers right after markers would merge with them (`**a***b*`): HTML then.
    let html = out.ends_with(['*', '~']);
    let (open, close) = if html {
        let mut o = String::new();
        let mut c = String::new();
        for (on, tag) in [
            (style.strike, "del"),
            (style.bold, "strong"),
            (style.italic, "em"),
        ] {
            if on {
                o.push_str(&format!("<{tag}>"));
                c.insert_str(0, &format!("</{tag}>"));
            }
        }
        (o, c)
    } else {
        let mut m = String::new();
        if style.strike {
            m.push_str("~~");
        }
        if style.bold {
            m.push_str("**");
        }
        if style.italic {
            m.push('*');
        }
        (m.clone(), m.chars().rev().collect())
    };
    let _ = write!(out, "{open}{}{close}", escape(core, cx));
    out.push_str(&escape(trail, cx));
}

/// Unicode punctuation as CommonMark's flanking rules see it (ASCII, general, CJK and
/// full-width forms).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0x00A1..=0x00BF | 0x2010..=0x2027 | 0x2030..=0x205E | 0x3001..=0x303F
            | 0xFE10..=0xFE6F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65 | 0xFFE0..=0xFFEE)
}

/// Text with Markdown's special characters escaped.
fn escape(text: &str, cx: Context) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars
                .get(k + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            '|' if cx == Context::Cell => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes what would start a block at the beginning of a line: `#`, `-`, `+`, `=`,
/// `1.`, `1)`.
fn line_starts(text: &str) -> String {
    text.split("\\\n")
        .map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            if line.starts_with(['#', '-', '+', '=']) {
                format!("\\{line}")
            } else if digits > 0 && digits < 10 && line[digits..].starts_with(['.', ')']) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\\\n")
}

fn link_target(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Inline text as HTML (for cells of a merged table).
fn html_inlines(list: &[Inline]) -> String {
    let mut out = String::new();
    for i in list {
        match i {
            Inline::Text(t, s) => {
                let mut open = String::new();
                let mut close = String::new();
                for (on, tag) in [(s.strike, "del"), (s.bold, "strong"), (s.italic, "em")] {
                    if on {
                        open.push_str(&format!("<{tag}>"));
                        close.insert_str(0, &format!("</{tag}>"));
                    }
                }
                let _ = write!(out, "{open}{}{close}", html_escape(t));
            }
            Inline::Link(u, inner) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\">{}</a>",
                    html_escape(u),
                    html_inlines(inner)
                );
            }
            Inline::Break => out.push_str("<br>"),
            Inline::Note(n) => {
                let _ = write!(out, "<sup>{}</sup>", n + 1);
            }
            Inline::Picture(_) => {}
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into(), Style::default())
    }

    fn bold(s: &str) -> Inline {
        Inline::Text(
            s.into(),
            Style {
                bold: true,
                ..Style::default()
            },
        )
    }

    fn md(blocks: Vec<Block>) -> String {
        body(
            &Document {
                blocks,
                ..Document::default()
            },
            &[],
        )
    }

    #[test]
    fn bold_keeps_punctuation_outside_its_markers() {
        let p = Block::Paragraph(vec![t("打造"), bold("“五微一体”"), t("品牌。")]);
        assert_eq!(md(vec![p]), "打造“**五微一体**”品牌。\n");
        let both = Block::Paragraph(vec![
            bold("五微"),
            Inline::Text(
                "一体".into(),
                Style {
                    italic: true,
                    ..Style::default()
                },
            ),
        ]);
        assert_eq!(md(vec![both]), "**五微**<em>一体</em>\n");
    }

    #[test]
    fn markdown_characters_are_escaped() {
        let p = Block::Paragraph(vec![t("1. 第*1*项 [注] a_b <b> &amp;")]);
        assert_eq!(
            md(vec![p]),
            "1\\. 第\\*1\\*项 \\[注\\] a\\_b \\<b\\> \\&amp;\n"
        );
        let h = Block::Paragraph(vec![t("# 不是标题")]);
        assert_eq!(md(vec![h]), "\\# 不是标题\n");
    }

    #[test]
    fn lists_tables_and_quotes() {
        let cell = |s: &str| Cell {
            blocks: vec![Block::Paragraph(vec![t(s)])],
            colspan: 1,
            rowspan: 1,
        };
        let blocks = vec![
            Block::List {
                ordered: true,
                start: 1,
                items: vec![
                    vec![Block::Paragraph(vec![t("学习")])],
                    vec![
                        Block::Paragraph(vec![t("实践")]),
                        Block::List {
                            ordered: false,
                            start: 1,
                            items: vec![vec![Block::Paragraph(vec![t("走访")])]],
                        },
                    ],
                ],
            },
            Block::Table(Table {
                rows: vec![
                    vec![cell("项目"), cell("人数")],
                    vec![cell("a|b"), cell("12")],
                ],
            }),
            Block::Quote(vec![Block::Paragraph(vec![t("不忘初心")])]),
        ];
        assert_eq!(
            md(blocks),
            "1. 学习\n2. 实践\n   - 走访\n\n| 项目 | 人数 |\n| --- | --- |\n| a\\|b | 12 |\n\n> 不忘初心\n"
        );
    }

    #[test]
    fn merged_cells_make_an_html_table() {
        let table = Table {
            rows: vec![
                vec![Cell {
                    blocks: vec![Block::Paragraph(vec![bold("合计 <1>")])],
                    colspan: 2,
                    rowspan: 1,
                }],
                vec![
                    Cell {
                        blocks: vec![Block::Paragraph(vec![t("a")])],
                        colspan: 1,
                        rowspan: 1,
                    },
                    Cell {
                        blocks: vec![Block::Paragraph(vec![t("b")])],
                        colspan: 1,
                        rowspan: 1,
                    },
                ],
            ],
        };
        assert_eq!(
            md(vec![Block::Table(table)]),
            "<table>\n<tr><th colspan=\"2\"><strong>合计 &lt;1&gt;</strong></th></tr>\n<tr><td>a</td><td>b</td></tr>\n</table>\n"
        );
    }

    #[test]
    fn front_matter_quotes_only_what_yaml_would_misread() {
        assert_eq!(yaml_value("七一主题党日"), "七一主题党日");
        assert_eq!(yaml_value("通知: 开会"), "\"通知: 开会\"");
        assert_eq!(yaml_value("2024"), "\"2024\"");
        assert_eq!(yaml_value("2024-07-01"), "\"2024-07-01\"");
        assert_eq!(yaml_value("01.jpg"), "01.jpg");
        assert_eq!(yaml_value("\"五微一体\"品牌"), "\"\\\"五微一体\\\"品牌\"");
        for s in [
            "通知: 开会",
            "2024",
            "\"五微一体\"品牌",
            "yes",
            "- 列表",
            "a #b",
        ] {
            let v: String = serde_yaml::from_str(&yaml_value(s)).unwrap();
            assert_eq!(v, s);
        }
    }
}
