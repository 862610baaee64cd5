//! A saved WeChat 公众号 article (the page a browser saves, or the HTML of an .mhtml) as a
//! [`Document`]: the title from `#activity-name`, the date from `#publish_time` (else
//! the page's `ct` timestamp), the author, and the body from `#js_content` with its
//! inline styles dropped and its bold, italics, headings, lists, quotes, tables, links
//! and pictures kept.
//!
//! WeChat loads pictures lazily: each `<img>` names its picture in `data-src`, and a
//! browser that saved the page may have put a local copy's path in `data-src` or in
//! `src`. A picture is taken from the saved files ([`SideFiles`]); one that is only an
//! address on the web is listed as missing, never fetched.

use super::doc::{
    all_bold, bold_line_headings, plain, unbold, Block, Cell, DateFrom, Day, Document, Inline,
    LeftOut, Style, Table,
};
use super::picture::{picture, size, sniff};
use super::{text, Error, SideFiles};
use ego_tree::NodeRef;
use scraper::{Html, Node};

/// How deep elements may nest before the rest is skipped (WeChat's editors nest
/// `<section>`s a dozen deep; a crafted page must not exhaust the stack).
const MAX_DEPTH: usize = 160;

/// Reads a saved article from its HTML; `files` holds what was saved beside it.
pub fn read(html: &[u8], files: &dyn SideFiles) -> Result<Document, Error> {
    let html = String::from_utf8_lossy(html);
    let page = Html::parse_document(&html);
    let by_id = |id: &str| {
        page.tree
            .nodes()
            .find(|n| n.value().as_element().is_some_and(|e| e.id() == Some(id)))
    };
    let content = by_id("js_content").ok_or(Error::NotWeChat)?;
    let mut reader = Reader {
        files,
        doc: Document::default(),
    };
    let mut para = Vec::new();
    let mut blocks = Vec::new();
    reader.walk(content, Style::default(), 0, &mut para, &mut blocks);
    flush(&mut para, &mut blocks);
    let mut doc = reader.doc;
    doc.blocks = gongwen_headings(blocks);

    doc.title = by_id("activity-name")
        .map(text_of)
        .filter(|t| !t.is_empty())
        .or_else(|| meta(&page, "property", "og:title"))
        .or_else(|| {
            page.tree
                .nodes()
                .find(|n| n.value().as_element().is_some_and(|e| e.name() == "title"))
                .map(text_of)
                .filter(|t| !t.is_empty())
        });
    let shown = by_id("publish_time")
        .map(text_of)
        .and_then(|t| text::find_date(&t).map(|d| d.0));
    doc.date = shown
        .or_else(|| timestamp_day(&page))
        .map(|d| (d, DateFrom::Published));
    doc.author = by_id("js_author_name")
        .map(text_of)
        .filter(|t| !t.is_empty())
        .or_else(|| meta(&page, "name", "author"))
        .or_else(|| by_id("js_name").map(text_of).filter(|t| !t.is_empty()));
    doc.tidy();
    if doc.blocks.is_empty() {
        return Err(Error::Empty { text_boxes: 0 });
    }
    Ok(doc)
}

/// The text of a node, its white space collapsed.
fn text_of(n: NodeRef<Node>) -> String {
    let mut s = String::new();
    for d in n.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
        }
    }
    collapse(&s).trim_matches(text::is_blank).to_string()
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

fn meta(page: &Html, key: &str, value: &str) -> Option<String> {
    page.tree.nodes().find_map(|n| {
        let e = n.value().as_element()?;
        (e.name() == "meta" && e.attr(key) == Some(value))
            .then(|| e.attr("content").map(|c| collapse(c).trim().to_string()))
            .flatten()
            .filter(|c| !c.is_empty())
    })
}

/// The publishing time the page's script holds (`var ct = "1716201600";`), as a day
/// in China.
fn timestamp_day(page: &Html) -> Option<Day> {
    for n in page.tree.nodes() {
        let Some(e) = n.value().as_element() else {
            continue;
        };
        if e.name() != "script" {
            continue;
        }
        let script: String = n
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        for name in ["ct", "create_time", "publish_time"] {
            if let Some(secs) = assigned_number(&script, name) {
                let at = chrono::DateTime::from_timestamp(secs, 0)?
                    .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600)?);
                use chrono::Datelike;
                return Some(Day {
                    year: at.year(),
                    month: at.month(),
                    day: at.day(),
                });
            }
        }
    }
    None
}

/// The number of 9 to 11 digits assigned to `name` in a script (`name = "…"`,
/// `name: '…'`).
fn assigned_number(script: &str, name: &str) -> Option<i64> {
    let bytes = script.as_bytes();
    let mut from = 0;
    while let Some(i) = script[from..].find(name) {
        let start = from + i;
        from = start + name.len();
        let before_ok =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if !before_ok {
            continue;
        }
        let rest = script[from..].trim_start();
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let rest = rest.trim_start().trim_start_matches(['"', '\'']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if (9..=11).contains(&digits.len()) {
            return digits.parse().ok();
        }
    }
    None
}

struct Reader<'f> {
    files: &'f dyn SideFiles,
    doc: Document,
}

/// What an `iframe` held, left out: a video (WeChat's or Tencent Video's), or another
/// object.
fn embedded(e: &scraper::node::Element) -> LeftOut {
    let src = e.attr("data-src").or(e.attr("src")).unwrap_or("");
    if e.has_class("video_iframe", scraper::CaseSensitivity::CaseSensitive)
        || src.contains("video")
        || src.contains("v.qq.com")
    {
        LeftOut::Video
    } else {
        LeftOut::Object
    }
}

/// Ends the paragraph being gathered.
fn flush(para: &mut Vec<Inline>, out: &mut Vec<Block>) {
    if !para.is_empty() {
        out.push(Block::Paragraph(std::mem::take(para)));
    }
}

/// The style an element's tag and `style` attribute give its text.
fn style_of(name: &str, css: Option<&str>, mut s: Style) -> Style {
    match name {
        "strong" | "b" => s.bold = true,
        "em" | "i" => s.italic = true,
        "s" | "del" | "strike" => s.strike = true,
        _ => {}
    }
    if let Some(css) = css {
        for decl in css.split(';') {
            let Some((prop, value)) = decl.split_once(':') else {
                continue;
            };
            let value = value.trim().to_ascii_lowercase();
            let value = value.trim_end_matches("!important").trim();
            match prop.trim().to_ascii_lowercase().as_str() {
                "font-weight" => {
                    s.bold = match value {
                        "bold" | "bolder" => true,
                        "normal" | "lighter" => false,
                        v => v.parse::<u32>().map_or(s.bold, |w| w >= 600),
                    }
                }
                "font-style" => s.italic = value == "italic" || value == "oblique",
                "text-decoration" | "text-decoration-line" if value.contains("line-through") => {
                    s.strike = true
                }
                _ => {}
            }
        }
    }
    s
}

fn hidden(css: Option<&str>) -> bool {
    css.is_some_and(|c| {
        c.split(';').any(|d| {
            d.split_once(':').is_some_and(|(p, v)| {
                p.trim().eq_ignore_ascii_case("display") && v.trim().eq_ignore_ascii_case("none")
            })
        })
    })
}

impl Reader<'_> {
    fn walk(
        &mut self,
        node: NodeRef<Node>,
        style: Style,
        depth: usize,
        para: &mut Vec<Inline>,
        out: &mut Vec<Block>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in node.children() {
            match child.value() {
                Node::Text(t) => para.push(Inline::Text(collapse(t), style)),
                Node::Element(_) => self.element(child, style, depth + 1, para, out),
                _ => {}
            }
        }
    }

    fn element(
        &mut self,
        node: NodeRef<Node>,
        style: Style,
        depth: usize,
        para: &mut Vec<Inline>,
        out: &mut Vec<Block>,
    ) {
        let Some(e) = node.value().as_element() else {
            return;
        };
        let name = e.name();
        let css = e.attr("style");
        if hidden(css) {
            return;
        }
        let inner_style = style_of(name, css, style);
        match name {
            "script" | "style" | "noscript" | "template" | "head" | "title" | "meta" | "link"
            | "mp-style-type" | "mpprofile" | "mp-common-profile" | "input" | "button" => {}
            "mpvoice" | "mpaudio" | "qqmusic" | "mp-common-audio" | "audio" => {
                self.doc.leave_out(LeftOut::Audio)
            }
            "mpvideo" | "video" | "mp-common-videosnap" | "mp-common-video" => {
                self.doc.leave_out(LeftOut::Video)
            }
            "iframe" => self.doc.leave_out(embedded(e)),
            "mp-miniprogram"
            | "mp-common-miniprogram"
            | "mp-common-product"
            | "mp-common-mpaudio" => self.doc.leave_out(LeftOut::MiniProgram),
            "svg" => self.doc.leave_out(LeftOut::Interactive),
            "br" => para.push(Inline::Break),
            "img" => self.img(e, para, out),
            "a" => self.link(node, e.attr("href"), inner_style, depth, para, out),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                flush(para, out);
                let level = name.as_bytes()[1] - b'0';
                self.heading(node, level, inner_style, depth, out);
            }
            "ul" | "ol" => {
                flush(para, out);
                let list = self.list(node, e, inner_style, depth);
                out.push(list);
            }
            "blockquote" => {
                flush(para, out);
                let mut p = Vec::new();
                let mut blocks = Vec::new();
                self.walk(node, inner_style, depth, &mut p, &mut blocks);
                flush(&mut p, &mut blocks);
                out.push(Block::Quote(blocks));
            }
            "table" => {
                flush(para, out);
                let t = self.table(node, inner_style, depth);
                if !t.rows.is_empty() {
                    out.push(Block::Table(t));
                }
            }
            "hr" => {
                flush(para, out);
                out.push(Block::Rule);
            }
            "p" | "section" | "div" | "figure" | "figcaption" | "center" | "article" | "header"
            | "footer" | "pre" | "dl" | "dt" | "dd" | "li" | "tr" | "td" | "th" | "tbody"
            | "thead" | "tfoot" | "caption" | "main" | "aside" | "nav" | "address" | "body"
            | "html" => {
                flush(para, out);
                self.walk(node, inner_style, depth, para, out);
                flush(para, out);
            }
            _ => self.walk(node, inner_style, depth, para, out),
        }
    }

    /// A link: kept when it leads to the web or an address, else its text alone.
    fn link(
        &mut self,
        node: NodeRef<Node>,
        href: Option<&str>,
        style: Style,
        depth: usize,
        para: &mut Vec<Inline>,
        out: &mut Vec<Block>,
    ) {
        let href = href.unwrap_or("").trim().to_string();
        let mut inner = Vec::new();
        self.walk(node, style, depth, &mut inner, out);
        let lower = href.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("mailto:")
        {
            para.push(Inline::Link(href, inner));
        } else {
            para.extend(inner);
        }
    }

    /// A heading of HTML's `level`, one level down (the page's title is its only level-1 heading), and
    /// the blocks found inside it after it.
    fn heading(
        &mut self,
        node: NodeRef<Node>,
        level: u8,
        style: Style,
        depth: usize,
        out: &mut Vec<Block>,
    ) {
        let mut inner = Vec::new();
        let mut after = Vec::new();
        self.walk(node, style, depth, &mut inner, &mut after);
        out.push(Block::Heading((level + 1).min(6), unbold(inner)));
        out.extend(after);
    }

    /// A `ul` or `ol` list, each item its blocks.
    fn list(
        &mut self,
        node: NodeRef<Node>,
        e: &scraper::node::Element,
        inner_style: Style,
        depth: usize,
    ) -> Block {
        let start = e
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        let mut items: Vec<Vec<Block>> = Vec::new();
        for li in node.children() {
            let mut p = Vec::new();
            let mut blocks = Vec::new();
            match li.value() {
                Node::Element(le) if le.name() == "li" => {
                    let s = style_of("li", le.attr("style"), inner_style);
                    self.walk(li, s, depth + 1, &mut p, &mut blocks);
                }
                Node::Element(_) => self.element(li, inner_style, depth + 1, &mut p, &mut blocks),
                Node::Text(t) if !t.trim().is_empty() => {
                    p.push(Inline::Text(collapse(t), inner_style))
                }
                _ => continue,
            }
            if !p.is_empty() {
                blocks.insert(0, Block::Paragraph(p));
            }
            if !blocks.is_empty() {
                items.push(blocks);
            }
        }
        Block::List {
            ordered: e.name() == "ol",
            start,
            items,
        }
    }

    fn table(&mut self, table: NodeRef<Node>, style: Style, depth: usize) -> Table {
        let mut rows = Vec::new();
        let mut trs = Vec::new();
        for c in table.children() {
            match c.value().as_element().map(|e| e.name()) {
                Some("tr") => trs.push(c),
                Some("thead" | "tbody" | "tfoot") => trs.extend(
                    c.children()
                        .filter(|r| r.value().as_element().is_some_and(|e| e.name() == "tr")),
                ),
                _ => {}
            }
        }
        for tr in trs {
            let mut row = Vec::new();
            for td in tr.children() {
                let Some(te) = td.value().as_element() else {
                    continue;
                };
                if !matches!(te.name(), "td" | "th") {
                    continue;
                }
                let span = |a: &str| {
                    te.attr(a)
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .unwrap_or(1)
                        .clamp(1, 64)
                };
                let s = style_of(te.name(), te.attr("style"), style);
                let s = if te.name() == "th" {
                    Style { bold: false, ..s }
                } else {
                    s
                };
                let mut p = Vec::new();
                let mut blocks = Vec::new();
                self.walk(td, s, depth + 1, &mut p, &mut blocks);
                flush(&mut p, &mut blocks);
                row.push(Cell {
                    blocks,
                    colspan: span("colspan"),
                    rowspan: span("rowspan"),
                });
            }
            if !row.is_empty() {
                rows.push(row);
            }
        }
        Table { rows }
    }

    /// A picture: the first of `data-src` and `src` that the saved files hold (or that
    /// is a picture written into the page), else the address listed as missing.
    fn img(&mut self, e: &scraper::node::Element, para: &mut Vec<Inline>, out: &mut Vec<Block>) {
        let alt = e.attr("alt").map(str::trim).unwrap_or("");
        let alt = if matches!(
            alt.to_lowercase().as_str(),
            "图片" | "image" | "img" | "picture"
        ) {
            ""
        } else {
            alt
        };
        let candidates: Vec<&str> = ["data-src", "src", "data-original", "data-backsrc"]
            .iter()
            .filter_map(|a| e.attr(a))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for c in &candidates {
            let bytes = if let Some(data) = c.strip_prefix("data:") {
                match data_uri(data) {
                    Some(b) => b,
                    None => continue,
                }
            } else {
                match self.files.get(c) {
                    Some(b) => b,
                    None => continue,
                }
            };
            // A lazy-loading placeholder (a 1×1 GIF, a blank SVG) is no picture.
            let tiny = sniff(&bytes)
                .and_then(|f| size(&bytes, f))
                .is_some_and(|(w, h)| w <= 16 && h <= 16);
            let measured = sniff(&bytes)
                .filter(|&f| f != super::picture::Format::Svg)
                .and_then(|f| size(&bytes, f))
                .is_some();
            if c.starts_with("data:") && (tiny || !measured) {
                continue;
            }
            match picture(bytes, alt.to_string()) {
                Ok(p) => {
                    let i = self.doc.add_picture(p);
                    para.push(Inline::Picture(i));
                }
                Err(why) => self.doc.leave_out(why),
            }
            return;
        }
        if let Some(url) = candidates.iter().find(|c| {
            let l = c.to_ascii_lowercase();
            l.starts_with("http://") || l.starts_with("https://") || l.starts_with("//")
        }) {
            self.doc.missing.push(url.to_string());
            flush(para, out);
            out.push(Block::Missing(url.to_string()));
        }
    }
}

/// The bytes of a `data:` URI's base64 picture.
fn data_uri(data: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let (head, body) = data.split_once(',')?;
    if !head.ends_with(";base64") || !head.starts_with("image/") {
        return None;
    }
    let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

/// WeChat articles that repost a 公文 write its headings as bold paragraphs: 一、 is
/// `##`, （一） is `###`, 1. is `####`, when the whole paragraph is bold and short.
fn gongwen_headings(blocks: Vec<Block>) -> Vec<Block> {
    if blocks.iter().any(|b| matches!(b, Block::Heading(..))) {
        return blocks;
    }
    let mut blocks: Vec<Block> = blocks
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(l) if all_bold(&l) => {
                let t = plain(&l);
                let t = t.trim_matches(text::is_blank);
                let level = match text::numbering(t) {
                    _ if !text::heading_sized(t) => None,
                    Some(text::Numbering::Han) => Some(2),
                    Some(text::Numbering::ParenHan) => Some(3),
                    Some(text::Numbering::Arabic) => Some(4),
                    None => None,
                };
                match level {
                    Some(level) => Block::Heading(level, unbold(l)),
                    None => Block::Paragraph(l),
                }
            }
            other => other,
        })
        .collect();
    bold_line_headings(&mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_script_s_timestamp() {
        assert_eq!(
            assigned_number("var ct = \"1716201600\";", "ct"),
            Some(1716201600)
        );
        assert_eq!(
            assigned_number("var act = \"1716201600\"; ct:'1700000000'", "ct"),
            Some(1700000000)
        );
        assert_eq!(assigned_number("var ct = \"\";", "ct"), None);
    }

    #[test]
    fn a_page_without_the_article_body_is_refused() {
        let files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        assert_eq!(
            read(b"<html><body><p>hi</p></body></html>", &files),
            Err(Error::NotWeChat)
        );
    }

    #[test]
    fn styles_are_dropped_and_bold_kept() {
        let html = r#"<div id="js_content" style="visibility: hidden;"><section style="margin: 0 8px;"><p style="text-indent: 2em;"><span style="font-size: 15px; color: rgb(62, 62, 62);">　　支部</span><span style="font-weight: bold;">“五微一体”</span>品牌</p><p><br></p><p style="display:none">x</p><p><strong>一、基本情况</strong></p></section></div>"#;
        let files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let doc = read(html.as_bytes(), &files).unwrap();
        let md = super::super::markdown::body(&doc, &[]);
        assert_eq!(md, "支部“**五微一体**”品牌\n\n## 一、基本情况\n");
    }

    #[test]
    fn bold_lines_are_headings_and_a_placeholder_is_a_missing_picture() {
        let html = r#"<div id="js_content"><p>6月3日，微课堂开讲。</p><section><span style="font-size:18px"><strong>01 初心如磐</strong></span></section><p>老党员讲述入党故事。</p><p><img data-src="https://mmbiz.qpic.cn/mmbiz_gif/q/640?wx_fmt=gif" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></p><p>联系电话：１３８００１３８０００</p></div>"#;
        let files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let doc = read(html.as_bytes(), &files).unwrap();
        assert_eq!(
            doc.missing,
            ["https://mmbiz.qpic.cn/mmbiz_gif/q/640?wx_fmt=gif"]
        );
        assert!(doc.pictures.is_empty());
        let md = super::super::markdown::body(&doc, &[]);
        assert_eq!(
            md,
            "6月3日，微课堂开讲。\n\n## 01 初心如磐\n\n老党员讲述入党故事。\n\n<!-- 图片未随网页保存，请补上：https://mmbiz.qpic.cn/mmbiz_gif/q/640?wx_fmt=gif -->\n\n联系电话：13800138000\n"
        );
    }
}
