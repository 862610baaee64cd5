//! A board's Markdown as a tree of plain data, for the board template to turn into Typst
//! content. User text never becomes Typst markup: each text run is a string the
//! template places as is.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::{json, Map, Value};

/// What a board's text may not hold, with the (1-based) line it starts on.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported {
    pub what: &'static str,
    pub line: usize,
}

/// Converts Markdown to nodes `{t: KIND, …}`: `p`, `h` (`level`), `list` (`ordered`,
/// `start`), `item`, `quote`, `strong`, `emph`, `strike`, `link` (`url`) with children
/// in `c`; `text` and `code` with `s`; `codeblock` with `s`; `br`, `rule`.
pub fn to_tree(src: &str) -> Result<Value, Unsupported> {
    build(src, false)
}

/// [`to_tree`] for a printed document (the booklet), which shows everything a page
/// does: images become `img` (`url`, `title`, the alt text in `c`), tables `table` of
/// `row`s (`head`) of `cell`s, a footnote its label in brackets and its definition a
/// `note`; HTML is left out.
pub fn to_document_tree(src: &str) -> Value {
    build(src, true).unwrap_or_default()
}

/// A node being built: its fields, and its children so far.
type Open = (Map<String, Value>, Vec<Value>);

fn build(src: &str, rich: bool) -> Result<Value, Unsupported> {
    // Inside raw HTML (left out of a document).
    let mut in_html = 0usize;
    let mut stack: Vec<Open> = vec![(Map::new(), Vec::new())];
    // What a board cannot show, with the line it starts on.
    let refuse = |what: &'static str, offset: usize| {
        Err(Unsupported {
            what,
            line: src[..offset.min(src.len())].matches('\n').count() + 1,
        })
    };
    let mut options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    if rich {
        options |= Options::ENABLE_TASKLISTS;
    }
    let parser = Parser::new_ext(src, options);
    for (event, range) in parser.into_offset_iter() {
        let push = |stack: &mut Vec<Open>, v: Value| {
            if let Some(top) = stack.last_mut() {
                top.1.push(v);
            }
        };
        if in_html > 0 {
            match event {
                Event::Start(_) => in_html += 1,
                Event::End(_) => in_html -= 1,
                _ => {}
            }
            continue;
        }
        if let Some(step) = rich.then(|| document_only(&event)).flatten() {
            match step {
                Document::Html => in_html = 1,
                Document::Open(node) => stack.push(node),
                Document::Leaf(v) => push(&mut stack, v),
                Document::Nothing => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => match node(tag) {
                Ok(node) => stack.push((node, Vec::new())),
                Err(what) => return refuse(what, range.start),
            },
            Event::End(end) => {
                let Some((node, children)) = stack.pop() else {
                    continue;
                };
                push(&mut stack, closed(node, children, &end));
            }
            Event::Html(_) | Event::InlineHtml(_) => return refuse("HTML", range.start),
            Event::FootnoteReference(_) => return refuse("footnote", range.start),
            event => {
                if let Some(v) = leaf(&event, src, range.start) {
                    push(&mut stack, v);
                }
            }
        }
    }
    let (_, top) = stack.pop().unwrap_or_default();
    Ok(Value::Array(top))
}

/// What a printed document makes of an event a board refuses.
enum Document {
    /// Raw HTML starts: everything to its end is left out.
    Html,
    Open(Open),
    Leaf(Value),
    /// Left out.
    Nothing,
}

/// The document's own handling of `event` (images, tables, footnotes, HTML); `None` for
/// the events it treats as a board does.
fn document_only(event: &Event) -> Option<Document> {
    let open = |fields: &[(&str, Value)]| {
        let node = fields.iter().map(|(k, v)| (k.to_string(), v.clone()));
        Document::Open((Map::from_iter(node), Vec::new()))
    };
    Some(match event {
        Event::Start(Tag::HtmlBlock) => Document::Html,
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => open(&[
            ("t", json!("img")),
            ("url", json!(dest_url.to_string())),
            ("title", json!(title.to_string())),
        ]),
        Event::Start(Tag::Table(_)) => open(&[("t", json!("table"))]),
        Event::Start(Tag::TableHead) => open(&[("t", json!("row")), ("head", json!(true))]),
        Event::Start(Tag::TableRow) => open(&[("t", json!("row")), ("head", json!(false))]),
        Event::Start(Tag::TableCell) => open(&[("t", json!("cell"))]),
        Event::Start(Tag::FootnoteDefinition(label)) => Document::Open((
            Map::from_iter([("t".into(), json!("note"))]),
            vec![json!({"t": "text", "s": format!("[{label}] ")})],
        )),
        Event::FootnoteReference(label) => {
            Document::Leaf(json!({"t": "text", "s": format!("[{label}]")}))
        }
        Event::Html(_) | Event::InlineHtml(_) => Document::Nothing,
        _ => return None,
    })
}

/// The node a tag opens, or what a board cannot show.
fn node(tag: Tag) -> Result<Map<String, Value>, &'static str> {
    let mut node = Map::new();
    let kind = match tag {
        Tag::Paragraph => "p",
        Tag::Heading { level, .. } => {
            node.insert("level".into(), json!(level as u8));
            "h"
        }
        Tag::BlockQuote(_) => "quote",
        Tag::CodeBlock(_) => "codeblock",
        Tag::List(start) => {
            node.insert("ordered".into(), json!(start.is_some()));
            node.insert("start".into(), json!(start.unwrap_or(1)));
            "list"
        }
        Tag::Item => "item",
        Tag::Emphasis => "emph",
        Tag::Strong => "strong",
        Tag::Strikethrough => "strike",
        Tag::Link { dest_url, .. } => {
            node.insert("url".into(), json!(dest_url.to_string()));
            "link"
        }
        Tag::Image { .. } => return Err("image"),
        Tag::Table(_) => return Err("table"),
        Tag::HtmlBlock => return Err("HTML"),
        Tag::FootnoteDefinition(_) => return Err("footnote"),
        // Anything else keeps its children's text.
        _ => "span",
    };
    node.insert("t".into(), json!(kind));
    Ok(node)
}

/// A node closed by `end`, with its children (a code block's as its text).
fn closed(mut node: Map<String, Value>, children: Vec<Value>, end: &TagEnd) -> Value {
    if matches!(end, TagEnd::CodeBlock) {
        let text: String = children
            .iter()
            .filter_map(|c| c.get("s").and_then(Value::as_str))
            .collect();
        node.insert("s".into(), json!(text.trim_end_matches('\n')));
    } else {
        node.insert("c".into(), Value::Array(children));
    }
    Value::Object(node)
}

/// The node of an event without children (text, code, breaks, a rule, a task's box).
fn leaf(event: &Event, src: &str, at: usize) -> Option<Value> {
    Some(match event {
        Event::Text(t) => json!({"t": "text", "s": t.to_string()}),
        Event::Code(t) => json!({"t": "code", "s": t.to_string()}),
        Event::SoftBreak => json!({"t": "text", "s": soft_break(src, at)}),
        Event::HardBreak => json!({"t": "br"}),
        Event::Rule => json!({"t": "rule"}),
        Event::TaskListMarker(done) => json!({"t": "text", "s": if *done { "■ " } else { "□ " }}),
        _ => return None,
    })
}

/// A line break inside a paragraph: nothing between Chinese characters (as a browser
/// would not show a gap there either), a space otherwise.
fn soft_break(src: &str, at: usize) -> &'static str {
    let before = src[..at].trim_end().chars().next_back();
    let after = src[at..].trim_start().chars().next();
    let wide = |c: Option<char>| c.is_some_and(|c| c as u32 >= 0x2E80);
    if wide(before) || wide(after) {
        ""
    } else {
        " "
    }
}

/// The text of a tree, for the glyph check and the search index.
pub fn plain_text(tree: &Value, out: &mut String) {
    match tree {
        Value::Array(items) => items.iter().for_each(|i| plain_text(i, out)),
        Value::Object(node) => {
            if let Some(s) = node.get("s").and_then(Value::as_str) {
                out.push_str(s);
            }
            if let Some(c) = node.get("c") {
                plain_text(c, out);
            }
            if matches!(
                node.get("t").and_then(Value::as_str),
                Some("p" | "h" | "item" | "codeblock")
            ) {
                out.push('\n');
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_emphasis_become_nodes() {
        let tree = to_tree("第一段**重点**文字\n接续。\n\n- 甲\n- 乙 `code`").unwrap();
        assert_eq!(
            tree,
            json!([
                {"t": "p", "c": [
                    {"t": "text", "s": "第一段"},
                    {"t": "strong", "c": [{"t": "text", "s": "重点"}]},
                    {"t": "text", "s": "文字"},
                    {"t": "text", "s": ""},
                    {"t": "text", "s": "接续。"}]},
                {"t": "list", "ordered": false, "start": 1, "c": [
                    {"t": "item", "c": [{"t": "text", "s": "甲"}]},
                    {"t": "item", "c": [{"t": "text", "s": "乙 "}, {"t": "code", "s": "code"}]}]}
            ])
        );
        let mut text = String::new();
        plain_text(&tree, &mut text);
        assert_eq!(text, "第一段重点文字接续。\n甲\n乙 code\n");
    }

    #[test]
    fn markup_characters_stay_text() {
        let tree = to_tree("#set page(width: 1cm) $x$ [a] @c").unwrap();
        let mut text = String::new();
        plain_text(&tree, &mut text);
        assert_eq!(text, "#set page(width: 1cm) $x$ [a] @c\n");
    }

    #[test]
    fn a_document_tree_keeps_images_and_tables() {
        let tree = to_document_tree(
            "![活动现场](a.jpg \"合影\")\n\n| 项目 | 次数 |\n|---|---|\n| 微党课 | 96 |\n\n<div>x</div>\n",
        );
        assert_eq!(
            tree,
            json!([
                {"t": "p", "c": [{"t": "img", "url": "a.jpg", "title": "合影",
                    "c": [{"t": "text", "s": "活动现场"}]}]},
                {"t": "table", "c": [
                    {"t": "row", "head": true, "c": [
                        {"t": "cell", "c": [{"t": "text", "s": "项目"}]},
                        {"t": "cell", "c": [{"t": "text", "s": "次数"}]}]},
                    {"t": "row", "head": false, "c": [
                        {"t": "cell", "c": [{"t": "text", "s": "微党课"}]},
                        {"t": "cell", "c": [{"t": "text", "s": "96"}]}]}]}
            ])
        );
    }

    #[test]
    fn images_and_tables_are_refused_with_their_line() {
        assert_eq!(
            to_tree("文字\n\n![图](a.jpg)"),
            Err(Unsupported {
                what: "image",
                line: 3
            })
        );
        assert_eq!(
            to_tree("| a | b |\n|---|---|\n| 1 | 2 |").unwrap_err().what,
            "table"
        );
    }
}
