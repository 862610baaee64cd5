//! A .docx (Word, WPS or LibreOffice) as a [`Document`]: paragraphs with their bold and
//! italic runs, headings, lists, tables, links, footnotes and pictures in order.
//!
//! What decides a heading: a heading style (`heading N`, `标题 N`, or an outline level,
//! followed through `basedOn`) makes level N+1. A document with no heading style at all
//! — most that WPS writes, with numeric style ids and direct formatting only — is read
//! by its 公文 numbering: 一、 is `##`, （一） is `###`, and 1. is `####` when the
//! paragraph is bold or in a 黑体 face; only a short paragraph that is not a sentence
//! becomes a heading. The title is a Title (or first Heading 1) paragraph, else the first
//! paragraph when it is centred, bold or larger than the body text; the date a line
//! such as 「（2024年5月20日）」 under it, else the 落款 date at the end, else the
//! document's creation date.

use super::doc::{
    all_bold, plain, split_inlines, Block, Cell, DateFrom, Day, Document, Inline, LeftOut, Style,
    Table,
};
use super::package::{not_a_zip, parse_xml, Found, Package, Rel};
use super::picture::picture;
use super::{text, Error};
use roxmltree::Node;
use std::collections::HashMap;

const W: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// How deep tables and content controls may nest before the rest is skipped: real
/// documents nest a few levels; a crafted one must not exhaust the stack.
const MAX_DEPTH: usize = 24;

/// Reads a .docx from its bytes.
pub fn read(bytes: &[u8]) -> Result<Document, Error> {
    if let Some(found) = not_a_zip(bytes) {
        return Err(Error::Format(found));
    }
    let mut pkg = Package::open(bytes)?;
    let package_rels = pkg.rels("")?;
    let main = package_rels
        .values()
        .find(|r| r.kind.ends_with("/officeDocument") && !r.external)
        .map(|r| r.target.clone())
        .unwrap_or_else(|| "word/document.xml".to_string());
    let Some(main_text) = pkg.text(&main)? else {
        return Err(Error::Format(other_package(&pkg)));
    };
    let rels = pkg.rels(&main)?;
    let texts = part_texts(&mut pkg, &rels)?;
    let core_name = package_rels
        .values()
        .find(|r| r.kind.ends_with("/core-properties"))
        .map_or_else(|| "docProps/core.xml".to_string(), |r| r.target.clone());
    let created = pkg.text(&core_name)?.and_then(|t| created_day(&t));

    let xml = parse_xml(&main_text, &main)?;
    let parse_part = |key: &str| -> Result<Option<roxmltree::Document<'_>>, Error> {
        texts
            .get(key)
            .map(|t| parse_xml(t, &format!("word/{key}.xml")))
            .transpose()
    };
    let styles = parse_part("styles")?
        .map(|x| Styles::parse(&x))
        .unwrap_or_default();
    let numbering = parse_part("numbering")?
        .map(|x| Numbering::parse(&x))
        .unwrap_or_default();
    let footnotes = parse_part("footnotes")?;
    let endnotes = parse_part("endnotes")?;
    let body = xml
        .root_element()
        .children()
        .find(|n| is_w(*n, "body"))
        .ok_or_else(|| Error::Damaged(main.clone()))?;

    let mut reader = Reader {
        pkg,
        rels,
        styles,
        numbering,
        footnotes: notes_by_id(footnotes.as_ref(), "footnote"),
        endnotes: notes_by_id(endnotes.as_ref(), "endnote"),
        doc: Document::default(),
        counters: HashMap::new(),
        fields: Vec::new(),
        in_note: false,
        seen_contents: false,
        pictures_by_target: HashMap::new(),
    };
    let mut raws = Vec::new();
    reader.blocks(body, 0, &mut raws);
    let mut doc = std::mem::take(&mut reader.doc);
    let (blocks, title, date) = assemble_top(raws, &mut doc);
    doc.blocks = blocks;
    doc.title = title;
    doc.date = date
        .map(|d| (d.0, d.1))
        .or(created.map(|d| (d, DateFrom::Created)));
    doc.tidy();
    if doc.blocks.is_empty() && doc.title.is_none() {
        return Err(Error::Empty {
            text_boxes: doc.left_out.get(&LeftOut::TextBox).copied().unwrap_or(0),
        });
    }
    Ok(doc)
}

/// What a zip package without a Word document is: an Excel workbook, a PowerPoint
/// presentation, an OpenDocument text, or something else.
fn other_package(pkg: &Package) -> Found {
    if pkg.has("xl/workbook.xml") {
        Found::Excel
    } else if pkg.has("ppt/presentation.xml") {
        Found::PowerPoint
    } else if pkg.has("content.xml") {
        Found::Odt
    } else {
        Found::Other
    }
}

/// The texts of the main document's parts that are read whole — styles, numbering,
/// footnotes and endnotes — by the keys `styles`, `numbering`, `footnotes`, `endnotes`.
fn part_texts(
    pkg: &mut Package,
    rels: &HashMap<String, Rel>,
) -> Result<HashMap<&'static str, String>, Error> {
    let part_of = |kind: &str| {
        rels.values()
            .find(|r| r.kind.ends_with(kind) && !r.external)
            .map(|r| r.target.clone())
    };
    let mut texts = HashMap::new();
    for (key, kind) in [
        ("styles", "/styles"),
        ("numbering", "/numbering"),
        ("footnotes", "/footnotes"),
        ("endnotes", "/endnotes"),
    ] {
        if let Some(name) = part_of(kind) {
            if let Some(t) = pkg.text(&name)? {
                texts.insert(key, t);
            }
        }
    }
    Ok(texts)
}

/// The character a `w:sym` inserts, unless it is a symbol font's (Wingdings, Symbol) or
/// in the private use area: those show as nothing elsewhere.
fn symbol(n: Node) -> Option<char> {
    let font = wattr(n, "font").unwrap_or("").to_lowercase();
    let c = wattr(n, "char")
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .and_then(char::from_u32)
        .filter(|c| !('\u{e000}'..='\u{f8ff}').contains(c));
    c.filter(|_| !(font.contains("wingdings") || font.contains("symbol")))
}

fn is_w(n: Node, name: &str) -> bool {
    n.is_element()
        && n.tag_name().name() == name
        && n.tag_name().namespace().is_some_and(|ns| W.contains(&ns))
}

/// The `w:` attribute `name` of `n`.
fn wattr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes()
        .find(|a| a.name() == name && a.namespace().is_some_and(|ns| W.contains(&ns)))
        .map(|a| a.value())
}

/// An `r:` (relationship) attribute of `n`.
fn rattr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes()
        .find(|a| {
            a.name() == name
                && a.namespace()
                    .is_some_and(|ns| ns.ends_with("relationships"))
        })
        .map(|a| a.value())
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_w(*c, name))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`).
fn toggle(n: Node) -> bool {
    !matches!(wattr(n, "val"), Some("0" | "false" | "off" | "none"))
}

fn created_day(core: &str) -> Option<Day> {
    let xml = roxmltree::Document::parse(core).ok()?;
    let created = xml
        .descendants()
        .find(|n| n.tag_name().name() == "created")?
        .text()?
        .trim()
        .to_string();
    let at = chrono::DateTime::parse_from_rfc3339(&created).ok()?;
    let china = chrono::FixedOffset::east_opt(8 * 3600)?;
    let local = at.with_timezone(&china);
    use chrono::Datelike;
    // Word writes 1601 or 1899 when it has no date.
    (local.year() > 1980).then(|| Day {
        year: local.year(),
        month: local.month(),
        day: local.day(),
    })
}

/// Run formatting as a style or a run states it; `None` where it says nothing.
#[derive(Debug, Clone, Default)]
struct RunProps {
    bold: Option<bool>,
    italic: Option<bool>,
    strike: Option<bool>,
    font: Option<String>,
    /// Half-points.
    size: Option<u32>,
}

impl RunProps {
    fn read(rpr: Option<Node>) -> RunProps {
        let mut p = RunProps::default();
        let Some(rpr) = rpr else {
            return p;
        };
        for c in rpr.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "b" => p.bold = Some(toggle(c)),
                "i" => p.italic = Some(toggle(c)),
                "strike" | "dstrike" => p.strike = Some(toggle(c)),
                "rFonts" => {
                    p.font = wattr(c, "eastAsia")
                        .or_else(|| wattr(c, "ascii"))
                        .or_else(|| wattr(c, "hAnsi"))
                        .map(str::to_string)
                }
                "sz" => p.size = wattr(c, "val").and_then(|v| v.parse().ok()),
                _ => {}
            }
        }
        p
    }

    /// `self` where it says something, else `under`.
    fn over(&self, under: &RunProps) -> RunProps {
        RunProps {
            bold: self.bold.or(under.bold),
            italic: self.italic.or(under.italic),
            strike: self.strike.or(under.strike),
            font: self.font.clone().or_else(|| under.font.clone()),
            size: self.size.or(under.size),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    center: Option<bool>,
    num: Option<(String, u8)>,
    run: RunProps,
}

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, StyleDef>,
    defaults: RunProps,
    default_paragraph: Option<String>,
}

impl Styles {
    fn parse(xml: &roxmltree::Document) -> Styles {
        let mut s = Styles::default();
        let root = xml.root_element();
        if let Some(rpr) = root
            .descendants()
            .find(|n| is_w(*n, "rPrDefault"))
            .and_then(|d| child(d, "rPr"))
        {
            s.defaults = RunProps::read(Some(rpr));
        }
        for st in root.children().filter(|n| is_w(*n, "style")) {
            let Some(id) = wattr(st, "styleId") else {
                continue;
            };
            let ppr = child(st, "pPr");
            let def = StyleDef {
                name: child(st, "name")
                    .and_then(|n| wattr(n, "val"))
                    .unwrap_or("")
                    .to_lowercase(),
                based_on: child(st, "basedOn")
                    .and_then(|n| wattr(n, "val"))
                    .map(str::to_string),
                outline: ppr
                    .and_then(|p| child(p, "outlineLvl"))
                    .and_then(|o| wattr(o, "val"))
                    .and_then(|v| v.parse().ok()),
                center: ppr
                    .and_then(|p| child(p, "jc"))
                    .map(|j| is_center(wattr(j, "val"))),
                num: ppr.and_then(num_pr),
                run: RunProps::read(child(st, "rPr")),
            };
            if wattr(st, "type") == Some("paragraph")
                && matches!(wattr(st, "default"), Some("1" | "true"))
            {
                s.default_paragraph = Some(id.to_string());
            }
            s.by_id.insert(id.to_string(), def);
        }
        s
    }

    /// The chain of a style and the styles it is based on, nearest first.
    fn chain(&self, id: Option<&str>) -> Vec<&StyleDef> {
        let mut out = Vec::new();
        let mut next = id.map(str::to_string);
        while let Some(i) = next {
            let Some(def) = self.by_id.get(&i) else {
                break;
            };
            if out.len() > 16 {
                break;
            }
            out.push(def);
            next = def.based_on.clone();
        }
        out
    }

    fn run(&self, id: Option<&str>) -> RunProps {
        self.chain(id)
            .iter()
            .fold(RunProps::default(), |acc, d| acc.over(&d.run))
    }

    fn name(&self, id: Option<&str>) -> &str {
        id.and_then(|i| self.by_id.get(i))
            .map_or("", |d| d.name.as_str())
    }

    /// The heading level (1–9) a paragraph style gives.
    fn heading(&self, id: Option<&str>) -> Option<u8> {
        let name = self.name(id);
        for prefix in ["heading ", "标题 ", "标题"] {
            if let Some(n) = name
                .strip_prefix(prefix)
                .and_then(|n| n.trim().parse::<u8>().ok())
            {
                return (1..=9).contains(&n).then_some(n);
            }
        }
        self.chain(id)
            .iter()
            .find_map(|d| d.outline)
            .filter(|&o| o < 9)
            .map(|o| o + 1)
    }

    fn is_title(&self, id: Option<&str>) -> bool {
        matches!(self.name(id), "title" | "标题")
    }

    fn is_contents(&self, id: Option<&str>) -> bool {
        let n = self.name(id);
        n.starts_with("toc ") || n.starts_with("目录") || n == "toc heading"
    }

    fn is_caption(&self, id: Option<&str>) -> bool {
        matches!(self.name(id), "caption" | "题注")
    }

    fn center(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).iter().find_map(|d| d.center)
    }

    fn num(&self, id: Option<&str>) -> Option<(String, u8)> {
        self.chain(id).iter().find_map(|d| d.num.clone())
    }
}

fn is_center(v: Option<&str>) -> bool {
    matches!(v, Some("center" | "centre"))
}

fn num_pr(ppr: Node) -> Option<(String, u8)> {
    let n = child(ppr, "numPr")?;
    let id = child(n, "numId").and_then(|i| wattr(i, "val"))?.to_string();
    let level = child(n, "ilvl")
        .and_then(|i| wattr(i, "val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0u8)
        .min(8);
    Some((id, level))
}

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Default)]
struct Numbering {
    /// numId → (abstractNumId, start overrides by level).
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    abstracts: HashMap<String, HashMap<u8, Level>>,
}

impl Numbering {
    fn parse(xml: &roxmltree::Document) -> Numbering {
        let mut n = Numbering::default();
        let root = xml.root_element();
        for a in root.children().filter(|c| is_w(*c, "abstractNum")) {
            let Some(id) = wattr(a, "abstractNumId") else {
                continue;
            };
            let mut levels = HashMap::new();
            for l in a.children().filter(|c| is_w(*c, "lvl")) {
                let Some(ilvl) = wattr(l, "ilvl").and_then(|v| v.parse::<u8>().ok()) else {
                    continue;
                };
                let val = |name: &str| child(l, name).and_then(|c| wattr(c, "val"));
                levels.insert(
                    ilvl,
                    Level {
                        format: val("numFmt").unwrap_or("decimal").to_string(),
                        text: val("lvlText").unwrap_or("").to_string(),
                        start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
                    },
                );
            }
            n.abstracts.insert(id.to_string(), levels);
        }
        for num in root.children().filter(|c| is_w(*c, "num")) {
            let (Some(id), Some(abs)) = (
                wattr(num, "numId"),
                child(num, "abstractNumId").and_then(|a| wattr(a, "val")),
            ) else {
                continue;
            };
            let mut starts = HashMap::new();
            for o in num.children().filter(|c| is_w(*c, "lvlOverride")) {
                let lvl = wattr(o, "ilvl").and_then(|v| v.parse::<u8>().ok());
                let start = child(o, "startOverride")
                    .and_then(|s| wattr(s, "val"))
                    .and_then(|v| v.parse().ok());
                if let (Some(l), Some(s)) = (lvl, start) {
                    starts.insert(l, s);
                }
            }
            n.nums.insert(id.to_string(), (abs.to_string(), starts));
        }
        n
    }

    fn level(&self, num: &str, ilvl: u8) -> Option<(Level, Option<u32>)> {
        let (abs, starts) = self.nums.get(num)?;
        let level = self.abstracts.get(abs)?.get(&ilvl)?.clone();
        Some((level, starts.get(&ilvl).copied()))
    }
}

/// A number in a list format: decimal, 一二三, a b c, i ii iii, ①②③.
fn format_number(n: u32, format: &str) -> String {
    const HAN: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting" => {
            if n == 0 || n >= 100 {
                return n.to_string();
            }
            let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
            let mut s = String::new();
            if tens > 1 {
                s.push_str(HAN[tens]);
            }
            if tens > 0 {
                s.push('十');
            }
            if ones > 0 {
                s.push_str(HAN[ones]);
            }
            s
        }
        "ideographDigital" | "taiwaneseDigital" => n
            .to_string()
            .chars()
            .map(|c| HAN[c.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "lowerLetter" | "upperLetter" if n <= 26 * 4 => {
            let k = (n.max(1) - 1) % 26;
            let c = char::from(b'a' + k as u8);
            let s = c.to_string().repeat(((n.max(1) - 1) / 26 + 1) as usize);
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" => {
            let mut v = n.min(3999);
            let mut s = String::new();
            for (value, r) in [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ] {
                while v >= value {
                    s.push_str(r);
                    v -= value;
                }
            }
            if format == "upperRoman" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x245F + n).map_or_else(|| n.to_string(), |c| c.to_string())
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

/// How a numbered paragraph is marked.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Bullet,
    /// An item of a Markdown ordered list, with its number.
    Ordered(u32),
    /// Numbering Markdown cannot write (一、 （一） 第1条 a)): kept as text before the
    /// paragraph.
    Label(String),
}

/// A paragraph before the document is put together.
#[derive(Debug, Clone)]
struct Para {
    inlines: Vec<Inline>,
    /// Level from a heading style (1–9).
    heading: Option<u8>,
    title_style: bool,
    caption_style: bool,
    center: bool,
    mark: Option<(Mark, u8)>,
    /// Every character of text is bold / in a 黑体 face.
    bold: bool,
    heiti: bool,
    /// The largest text, in half-points.
    size: Option<u32>,
    /// Characters of text by size, for the body's usual size.
    sizes: Vec<(u32, usize)>,
    /// The text at the start formatted alike, when text formatted otherwise follows.
    lead: Option<String>,
}

impl Para {
    fn text(&self) -> String {
        plain(&self.inlines)
    }

    /// The text with its numbering label.
    fn labelled_inlines(&self) -> Vec<Inline> {
        let mut inlines = self.inlines.clone();
        if let Some((Mark::Label(label), _)) = &self.mark {
            let sep = if label.ends_with(|c: char| !c.is_ascii()) {
                ""
            } else {
                " "
            };
            inlines.insert(0, Inline::Text(format!("{label}{sep}"), Style::default()));
        }
        inlines
    }

    fn has_picture(&self) -> bool {
        self.inlines.iter().any(|i| matches!(i, Inline::Picture(_)))
    }
}

#[derive(Debug, Clone)]
enum Raw {
    Para(Para),
    Table(Table),
}

/// A complex field (`w:fldChar` begin … separate … end) being read.
struct Field {
    instr: String,
    /// Past `separate`: its runs are the field's result.
    result: bool,
    /// Where a hyperlink's result starts in the paragraph's inlines.
    link_from: Option<usize>,
    contents: bool,
}

struct Reader<'p, 'x, 'i> {
    pkg: Package<'p>,
    rels: HashMap<String, Rel>,
    styles: Styles,
    numbering: Numbering,
    footnotes: HashMap<String, Node<'x, 'i>>,
    endnotes: HashMap<String, Node<'x, 'i>>,
    doc: Document,
    /// Counters by numbering id and level.
    counters: HashMap<String, [u32; 9]>,
    fields: Vec<Field>,
    in_note: bool,
    seen_contents: bool,
    pictures_by_target: HashMap<String, usize>,
}

fn notes_by_id<'x, 'i>(
    xml: Option<&'x roxmltree::Document<'i>>,
    tag: &str,
) -> HashMap<String, Node<'x, 'i>> {
    let mut out = HashMap::new();
    if let Some(xml) = xml {
        for n in xml.root_element().children().filter(|n| is_w(*n, tag)) {
            if let Some(id) = wattr(n, "id") {
                out.insert(id.to_string(), n);
            }
        }
    }
    out
}

impl Reader<'_, '_, '_> {
    fn in_contents(&self) -> bool {
        self.fields.iter().any(|f| f.contents && f.result)
    }

    fn in_instruction(&self) -> bool {
        self.fields.last().is_some_and(|f| !f.result)
    }

    fn contents(&mut self) {
        if !self.seen_contents {
            self.seen_contents = true;
            self.doc.leave_out(LeftOut::Contents);
        }
    }

    /// The block-level children of `parent` (the body, a cell, a content control).
    fn blocks(&mut self, parent: Node, depth: usize, out: &mut Vec<Raw>) {
        if depth > MAX_DEPTH {
            return;
        }
        for n in parent.children().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            if name == "AlternateContent" {
                if let Some(choice) = n.children().find(|c| c.is_element()) {
                    self.blocks(choice, depth + 1, out);
                }
                continue;
            }
            if !n.tag_name().namespace().is_some_and(|ns| W.contains(&ns)) {
                continue;
            }
            match name {
                "p" => self.paragraph(n, out),
                "tbl" => {
                    if let Some(t) = self.table(n, depth + 1) {
                        out.push(Raw::Table(t));
                    }
                }
                "sdt" => {
                    let gallery = n
                        .descendants()
                        .find(|d| is_w(*d, "docPartGallery"))
                        .and_then(|g| wattr(g, "val"))
                        .unwrap_or("");
                    if gallery.contains("Table of Contents") {
                        self.contents();
                    } else if let Some(c) = child(n, "sdtContent") {
                        self.blocks(c, depth + 1, out);
                    }
                }
                "customXml" | "ins" | "moveTo" | "smartTag" => self.blocks(n, depth + 1, out),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node, out: &mut Vec<Raw>) {
        let ppr = child(p, "pPr");
        let style = ppr
            .and_then(|pp| child(pp, "pStyle"))
            .and_then(|s| wattr(s, "val"))
            .map(str::to_string)
            .or_else(|| self.styles.default_paragraph.clone());
        let style = style.as_deref();
        if self.styles.is_contents(style) {
            self.contents();
            return;
        }
        let paragraph_run = self.styles.run(style).over(&self.styles.defaults);
        let mut inlines = Vec::new();
        let mut stats = Stats::default();
        self.inlines(p, &paragraph_run, &mut inlines, &mut stats, 0);
        // A hyperlink field that runs past its paragraph loses its link.
        for f in &mut self.fields {
            f.link_from = None;
        }
        if self.in_contents() {
            return;
        }
        let direct_outline = ppr
            .and_then(|pp| child(pp, "outlineLvl"))
            .and_then(|o| wattr(o, "val"))
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|&o| o < 9)
            .map(|o| o + 1);
        let center = ppr
            .and_then(|pp| child(pp, "jc"))
            .map(|j| is_center(wattr(j, "val")))
            .or_else(|| self.styles.center(style))
            .unwrap_or(false);
        let num = ppr.and_then(num_pr).or_else(|| self.styles.num(style));
        let mark = num.and_then(|(id, level)| self.mark(&id, level));
        let total: usize = stats.sizes.iter().map(|s| s.1).sum();
        out.push(Raw::Para(Para {
            inlines,
            heading: self.styles.heading(style).or(direct_outline),
            title_style: self.styles.is_title(style),
            caption_style: self.styles.is_caption(style),
            center,
            mark,
            bold: stats.chars > 0 && stats.bold == stats.chars,
            heiti: stats.chars > 0 && stats.heiti == stats.chars,
            size: stats.sizes.iter().map(|s| s.0).max(),
            sizes: if total > 0 { stats.sizes } else { Vec::new() },
            lead: stats.lead_ended.then_some(stats.lead),
        }));
    }

    /// The mark of a paragraph numbered `id` at `level`, counting it.
    fn mark(&mut self, id: &str, level: u8) -> Option<(Mark, u8)> {
        if id == "0" {
            return None;
        }
        let (lvl, start_override) = self.numbering.level(id, level)?;
        if lvl.format == "none" {
            return None;
        }
        if lvl.format == "bullet" {
            return Some((Mark::Bullet, level));
        }
        let li = level as usize;
        let mut starts = [1u32; 9];
        for (k, s) in starts.iter_mut().enumerate() {
            if let Some((l, o)) = self.numbering.level(id, k as u8) {
                *s = o.unwrap_or(l.start);
            }
        }
        let counters = self.counters.entry(id.to_string()).or_insert([0; 9]);
        counters[li] = if counters[li] == 0 {
            start_override.unwrap_or(lvl.start)
        } else {
            counters[li].saturating_add(1)
        };
        for c in counters.iter_mut().skip(li + 1) {
            *c = 0;
        }
        let counters = *counters;
        let mut label = lvl.text.clone();
        for k in 0..=li {
            let value = if counters[k] == 0 {
                starts[k]
            } else {
                counters[k]
            };
            let format = self
                .numbering
                .level(id, k as u8)
                .map_or_else(|| "decimal".to_string(), |l| l.0.format);
            label = label.replace(&format!("%{}", k + 1), &format_number(value, &format));
        }
        let decimal = lvl.format == "decimal" || lvl.format == "decimalHalfWidth";
        let n = counters[li];
        let plain_number = [".", ")", "、", "．"]
            .iter()
            .any(|end| lvl.text == format!("%{}{end}", li + 1));
        Some(if decimal && plain_number {
            (Mark::Ordered(n), level)
        } else {
            (Mark::Label(label.trim().to_string()), level)
        })
    }

    /// The inline content of `parent` (a paragraph, a link, a field) into `out`.
    fn inlines(
        &mut self,
        parent: Node,
        para: &RunProps,
        out: &mut Vec<Inline>,
        stats: &mut Stats,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for n in parent.children().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            match name {
                "oMath" | "oMathPara" => {
                    self.doc.leave_out(LeftOut::Equation);
                    continue;
                }
                "AlternateContent" => {
                    if let Some(choice) = n.children().find(|c| c.is_element()) {
                        self.inlines(choice, para, out, stats, depth + 1);
                    }
                    continue;
                }
                _ => {}
            }
            if !n.tag_name().namespace().is_some_and(|ns| W.contains(&ns)) {
                continue;
            }
            match name {
                "r" => self.run(n, para, out, stats, depth),
                "hyperlink" => {
                    let url = rattr(n, "id")
                        .and_then(|id| self.rels.get(id))
                        .filter(|r| r.external)
                        .map(|r| r.target.clone());
                    let mut inner = Vec::new();
                    self.inlines(n, para, &mut inner, stats, depth + 1);
                    match url {
                        Some(u) if is_web_address(&u) && !self.in_contents() => {
                            out.push(Inline::Link(u, inner))
                        }
                        _ => out.extend(inner),
                    }
                }
                "fldSimple" => {
                    let instr = wattr(n, "instr").unwrap_or("");
                    let mut inner = Vec::new();
                    if instr.trim_start().starts_with("TOC") {
                        self.contents();
                        continue;
                    }
                    self.inlines(n, para, &mut inner, stats, depth + 1);
                    match hyperlink_of(instr) {
                        Some(u) => out.push(Inline::Link(u, inner)),
                        None => out.extend(inner),
                    }
                }
                "ins" | "moveTo" | "smartTag" | "customXml" | "dir" | "bdo" => {
                    self.inlines(n, para, out, stats, depth + 1)
                }
                "sdt" => {
                    if let Some(c) = child(n, "sdtContent") {
                        self.inlines(c, para, out, stats, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(
        &mut self,
        r: Node,
        para: &RunProps,
        out: &mut Vec<Inline>,
        stats: &mut Stats,
        depth: usize,
    ) {
        let rpr = child(r, "rPr");
        let char_style = rpr
            .and_then(|p| child(p, "rStyle"))
            .and_then(|s| wattr(s, "val"));
        let props = RunProps::read(rpr)
            .over(&self.styles.run(char_style))
            .over(para);
        let style = Style {
            bold: props.bold.unwrap_or(false),
            italic: props.italic.unwrap_or(false),
            strike: props.strike.unwrap_or(false),
        };
        for n in r.children().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            if name == "fldChar" {
                self.field_char(n, out);
                continue;
            }
            if name == "instrText" {
                if let Some(f) = self.fields.last_mut() {
                    if !f.result {
                        f.instr.push_str(n.text().unwrap_or(""));
                    }
                }
                continue;
            }
            if self.in_instruction() || self.in_contents() {
                continue;
            }
            match name {
                "t" => {
                    let t = n.text().unwrap_or("");
                    stats.add(t, &props);
                    out.push(Inline::Text(t.to_string(), style));
                }
                "tab" | "ptab" => out.push(Inline::Text(" ".into(), style)),
                "br" if !matches!(wattr(n, "type"), Some("page" | "column")) => {
                    out.push(Inline::Break)
                }
                "cr" => out.push(Inline::Break),
                "noBreakHyphen" => out.push(Inline::Text("-".into(), style)),
                "sym" => {
                    if let Some(c) = symbol(n) {
                        out.push(Inline::Text(c.to_string(), style));
                    }
                }
                "drawing" => self.drawing(n, out),
                "pict" => self.vml(n, out),
                "object" => self.doc.leave_out(LeftOut::Object),
                "footnoteReference" | "endnoteReference" => {
                    if let Some(i) = self.note(name == "footnoteReference", wattr(n, "id"), depth) {
                        out.push(Inline::Note(i));
                    }
                }
                "AlternateContent" => self.alternate(n, out),
                "ruby" => {
                    if let Some(base) = child(n, "rubyBase") {
                        self.inlines(base, para, out, stats, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// The first choice of an `mc:AlternateContent`: its drawing, as if it stood in the
    /// run.
    fn alternate(&mut self, n: Node, out: &mut Vec<Inline>) {
        if let Some(choice) = n.children().find(|c| c.is_element()) {
            for d in choice.children().filter(|c| c.is_element()) {
                match d.tag_name().name() {
                    "drawing" => self.drawing(d, out),
                    "pict" => self.vml(d, out),
                    _ => {}
                }
            }
        }
    }

    fn field_char(&mut self, n: Node, out: &mut Vec<Inline>) {
        match wattr(n, "fldCharType") {
            Some("begin") => self.fields.push(Field {
                instr: String::new(),
                result: false,
                link_from: None,
                contents: false,
            }),
            Some("separate") => {
                let len = out.len();
                let mut contents = false;
                if let Some(f) = self.fields.last_mut() {
                    f.result = true;
                    let instr = f.instr.trim_start();
                    if instr.starts_with("TOC") {
                        f.contents = true;
                        contents = true;
                    } else if hyperlink_of(instr).is_some() {
                        f.link_from = Some(len);
                    }
                }
                if contents {
                    self.contents();
                }
            }
            Some("end") => {
                if let Some(f) = self.fields.pop() {
                    if let (Some(from), Some(url)) = (f.link_from, hyperlink_of(&f.instr)) {
                        if from <= out.len() {
                            let inner: Vec<Inline> = out.drain(from..).collect();
                            out.push(Inline::Link(url, inner));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A footnote's or endnote's text, added to the document's notes; its index.
    fn note(&mut self, foot: bool, id: Option<&str>, depth: usize) -> Option<usize> {
        if self.in_note {
            return None;
        }
        let node = *(if foot {
            &self.footnotes
        } else {
            &self.endnotes
        })
        .get(id?)?;
        let index = self.doc.notes.len();
        self.doc.notes.push(Vec::new());
        self.in_note = true;
        let mut text = Vec::new();
        for p in node.children().filter(|p| is_w(*p, "p")) {
            let style = child(p, "pPr")
                .and_then(|pp| child(pp, "pStyle"))
                .and_then(|s| wattr(s, "val"));
            let para = self.styles.run(style).over(&self.styles.defaults);
            if !text.is_empty() {
                text.push(Inline::Text(" ".into(), Style::default()));
            }
            self.inlines(p, &para, &mut text, &mut Stats::default(), depth + 1);
        }
        self.in_note = false;
        text.retain(|i| !matches!(i, Inline::Note(_)));
        self.doc.notes[index] = text;
        Some(index)
    }

    /// A DrawingML object: a picture, or what is left out (chart, SmartArt, text box,
    /// shape).
    fn drawing(&mut self, d: Node, out: &mut Vec<Inline>) {
        let Some(data) = d
            .descendants()
            .find(|n| n.tag_name().name() == "graphicData")
        else {
            return;
        };
        let uri = data.attribute("uri").unwrap_or("");
        if uri.ends_with("/picture") {
            let alt = d
                .descendants()
                .find(|n| n.tag_name().name() == "docPr")
                .map(|p| alt_text(p.attribute("descr").or(p.attribute("title")).unwrap_or("")))
                .unwrap_or_default();
            let Some(blip) = data.descendants().find(|n| n.tag_name().name() == "blip") else {
                return;
            };
            if let Some(id) = rattr(blip, "embed") {
                self.embedded_picture(id, alt, out);
            } else if let Some(url) = rattr(blip, "link").and_then(|id| self.rels.get(id)) {
                self.doc.missing.push(url.target.clone());
            }
        } else if uri.ends_with("/chart") || uri.contains("chartex") {
            self.doc.leave_out(LeftOut::Chart);
        } else if uri.ends_with("/diagram") {
            self.doc.leave_out(LeftOut::SmartArt);
        } else if data
            .descendants()
            .any(|n| matches!(n.tag_name().name(), "txbx" | "txbxContent"))
        {
            self.doc.leave_out(LeftOut::TextBox);
        } else if uri.contains("wordprocessingShape")
            || uri.contains("wordprocessingGroup")
            || uri.contains("wordprocessingCanvas")
        {
            self.doc.leave_out(LeftOut::Shape);
        } else {
            self.doc.leave_out(LeftOut::Object);
        }
    }

    /// An old-style (VML) picture, text box or shape.
    fn vml(&mut self, pict: Node, out: &mut Vec<Inline>) {
        if pict.descendants().any(|n| n.tag_name().name() == "textbox") {
            self.doc.leave_out(LeftOut::TextBox);
            return;
        }
        if let Some(img) = pict
            .descendants()
            .find(|n| n.tag_name().name() == "imagedata")
        {
            let alt = img
                .parent()
                .and_then(|s| s.attribute("alt"))
                .map(alt_text)
                .unwrap_or_default();
            if let Some(id) = rattr(img, "id") {
                self.embedded_picture(id, alt, out);
            }
            return;
        }
        let horizontal_rule = pict.descendants().any(|n| {
            n.attributes()
                .any(|a| a.name() == "hr" && matches!(a.value(), "t" | "true"))
        });
        if !horizontal_rule && pict.descendants().any(|n| n.is_element() && n != pict) {
            self.doc.leave_out(LeftOut::Shape);
        }
    }

    fn embedded_picture(&mut self, id: &str, alt: String, out: &mut Vec<Inline>) {
        let Some(rel) = self.rels.get(id).cloned() else {
            return;
        };
        if rel.external {
            self.doc.missing.push(rel.target);
            return;
        }
        if let Some(&i) = self.pictures_by_target.get(&rel.target) {
            out.push(Inline::Picture(i));
            return;
        }
        let Ok(Some(bytes)) = self.pkg.bytes(&rel.target) else {
            self.doc.leave_out(LeftOut::UnknownPicture);
            return;
        };
        match picture(bytes, alt) {
            Ok(p) => {
                let i = self.doc.add_picture(p);
                self.pictures_by_target.insert(rel.target, i);
                out.push(Inline::Picture(i));
            }
            Err(why) => self.doc.leave_out(why),
        }
    }

    /// A table: its rows and cells, merged cells as spans.
    fn table(&mut self, tbl: Node, depth: usize) -> Option<Table> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        // Column → (row, cell index) of the cell a vertical merge continues.
        let mut open: HashMap<u32, (usize, usize)> = HashMap::new();
        for tr in children_through_controls(tbl, "tr") {
            let r = rows.len();
            let mut row = Vec::new();
            let mut col: u32 = child(tr, "trPr")
                .and_then(|p| child(p, "gridBefore"))
                .and_then(|g| wattr(g, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            for tc in children_through_controls(tr, "tc") {
                let pr = child(tc, "tcPr");
                let span: u32 = pr
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| wattr(g, "val"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let vmerge = pr
                    .and_then(|p| child(p, "vMerge"))
                    .map(|v| wattr(v, "val").unwrap_or("continue"));
                if vmerge == Some("continue") {
                    if let Some(&(orow, oidx)) = open.get(&col) {
                        if let Some(cell) = rows.get_mut(orow).and_then(|row| row.get_mut(oidx)) {
                            cell.rowspan += 1;
                        }
                    }
                    col = col.saturating_add(span);
                    continue;
                }
                let mut raws = Vec::new();
                self.blocks(tc, depth + 1, &mut raws);
                let blocks = assemble(raws, &mut self.doc, None);
                if vmerge == Some("restart") {
                    open.insert(col, (r, row.len()));
                } else {
                    open.remove(&col);
                }
                row.push(Cell {
                    blocks,
                    colspan: span,
                    rowspan: 1,
                });
                col = col.saturating_add(span);
            }
            rows.push(row);
        }
        if rows.is_empty() {
            return None;
        }
        Some(Table { rows })
    }
}

/// The `name` children of a table or row, also those a content control wraps.
fn children_through_controls<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    parent
        .children()
        .flat_map(|c| {
            if is_w(c, name) {
                vec![c]
            } else if is_w(c, "sdt") || is_w(c, "customXml") {
                c.descendants().filter(|d| is_w(*d, name)).collect()
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// Counts of a paragraph's text by formatting.
#[derive(Default)]
struct Stats {
    chars: usize,
    bold: usize,
    heiti: usize,
    sizes: Vec<(u32, usize)>,
    /// The text at the start that looks alike (bold or not, one face): a run-in heading
    /// such as 「（一）强化组织领导。」 in 楷体 before the paragraph's text.
    lead: String,
    lead_look: Option<(bool, Option<String>)>,
    /// Text that looks otherwise follows the lead.
    lead_ended: bool,
}

impl Stats {
    fn add(&mut self, text: &str, props: &RunProps) {
        let n = text.chars().filter(|c| !text::is_blank(*c)).count();
        if !self.lead_ended {
            let look = (props.bold == Some(true), props.font.clone());
            match &self.lead_look {
                _ if n == 0 => self.lead.push_str(text),
                None => {
                    self.lead_look = Some(look);
                    self.lead.push_str(text);
                }
                Some(l) if *l == look => self.lead.push_str(text),
                Some(_) => self.lead_ended = true,
            }
        }
        if n == 0 {
            return;
        }
        self.chars += n;
        if props.bold == Some(true) {
            self.bold += n;
        }
        if props.font.as_deref().is_some_and(is_heiti) {
            self.heiti += n;
        }
        if let Some(s) = props.size {
            match self.sizes.iter_mut().find(|x| x.0 == s) {
                Some(x) => x.1 += n,
                None => self.sizes.push((s, n)),
            }
        }
    }
}

/// 黑体, SimHei, 方正黑体, 华文黑体, STHeiti, 微软雅黑: the faces 公文 headings are set in.
fn is_heiti(font: &str) -> bool {
    font.contains('黑') || font.to_lowercase().contains("hei")
}

fn is_web_address(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The address of a `HYPERLINK "…"` field instruction.
fn hyperlink_of(instr: &str) -> Option<String> {
    let rest = instr.trim_start().strip_prefix("HYPERLINK")?;
    let mut parts = rest.split('"');
    let url = parts.nth(1)?.trim();
    // `\l "anchor"` links within the document.
    let before = rest.split('"').next().unwrap_or("");
    (!before.contains("\\l") && is_web_address(url)).then(|| url.to_string())
}

/// A picture's description as alt text, without what Word adds to one it wrote itself.
fn alt_text(descr: &str) -> String {
    let first = descr.lines().next().unwrap_or("").trim();
    let generic = ["图片", "picture", "image", "图像", "img"];
    let lower = first.to_lowercase();
    if first.contains("自动生成的说明") || first.contains("Automatically generated") {
        return String::new();
    }
    if generic.iter().any(|g| {
        lower.strip_prefix(g).is_some_and(|r| {
            r.trim()
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c.is_ascii_alphabetic())
        })
    }) {
        return String::new();
    }
    first.to_string()
}

/// The usual size of the body's text: the size most characters have.
fn body_size(raws: &[Raw]) -> Option<u32> {
    let mut by_size: HashMap<u32, usize> = HashMap::new();
    for r in raws {
        if let Raw::Para(p) = r {
            for &(s, n) in &p.sizes {
                *by_size.entry(s).or_default() += n;
            }
        }
    }
    by_size
        .into_iter()
        .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        .map(|x| x.0)
}

/// The whole document: title and date taken from the top, the rest as blocks.
fn assemble_top(
    mut raws: Vec<Raw>,
    doc: &mut Document,
) -> (Vec<Block>, Option<String>, Option<(Day, DateFrom)>) {
    let title = take_title(&mut raws);
    let date = take_date(&mut raws);
    let styled_headings = raws
        .iter()
        .any(|r| matches!(r, Raw::Para(p) if p.heading.is_some()));
    let mut blocks = assemble(raws, doc, Some(styled_headings));
    if !styled_headings {
        super::doc::bold_line_headings(&mut blocks);
    }
    super::doc::typed_lists(&mut blocks);
    (blocks, title, date)
}

/// The title, taken from the raws: the first paragraph with text, when it is styled as
/// the title (or as the first heading, in a document without a title style) or looks
/// like one (centred, bold or larger than the body's usual size, short, no sentence),
/// with the next paragraph formatted alike when the title is set on two lines.
fn take_title(raws: &mut Vec<Raw>) -> Option<String> {
    let usual = body_size(raws);
    let uses_title_style = raws
        .iter()
        .any(|r| matches!(r, Raw::Para(p) if p.title_style));
    let first = raws.iter().position(|r| match r {
        Raw::Para(p) => !p.text().trim_matches(text::is_blank).is_empty(),
        Raw::Table(_) => true,
    });
    if let Some(i) = first {
        if let Raw::Para(p) = &raws[i] {
            let t = p.text().trim_matches(text::is_blank).to_string();
            let styled = p.title_style || (!uses_title_style && p.heading == Some(1));
            let looks = p.mark.is_none()
                && p.heading.is_none()
                && (p.center || p.bold || p.size.zip(usual).is_some_and(|(s, u)| s > u))
                && t.chars().count() <= 80
                && !t.ends_with('。')
                && text::date_line(&t).is_none();
            if styled || looks {
                let (center, bold, size) = (p.center, p.bold, p.size);
                let mut whole = t;
                raws.remove(i);
                // A title set on two lines: the next paragraph formatted alike.
                if let Some(Raw::Para(next)) = raws.get(i) {
                    let nt = next.text().trim_matches(text::is_blank).to_string();
                    let alike = if styled {
                        next.title_style
                    } else {
                        next.center == center
                            && next.bold == bold
                            && next.size == size
                            && next.mark.is_none()
                            && next.heading.is_none()
                    };
                    if alike
                        && !nt.is_empty()
                        && !nt.starts_with('—')
                        && text::date_line(&nt).is_none()
                        && whole.chars().count() + nt.chars().count() <= 80
                    {
                        whole.push_str(&nt);
                        raws.remove(i);
                    }
                }
                return Some(whole);
            }
        }
    }
    None
}

/// The date line under the title, taken from the raws; else the 落款 date at the end,
/// left where it is.
fn take_date(raws: &mut Vec<Raw>) -> Option<(Day, DateFrom)> {
    let mut date = None;
    let top: Vec<usize> = raws
        .iter()
        .enumerate()
        .take_while(|(_, r)| matches!(r, Raw::Para(p) if p.heading.is_none()))
        .filter(
            |(_, r)| matches!(r, Raw::Para(p) if !p.text().trim_matches(text::is_blank).is_empty()),
        )
        .map(|(k, _)| k)
        .take(3)
        .collect();
    for k in top {
        if let Raw::Para(p) = &raws[k] {
            if let Some(d) = text::date_line(&p.text()) {
                date = Some((d, DateFrom::Text));
                raws.remove(k);
                break;
            }
        }
    }
    if date.is_none() {
        let tail: Vec<&Raw> = raws
            .iter()
            .rev()
            .filter(
                |r| matches!(r, Raw::Para(p) if !p.text().trim_matches(text::is_blank).is_empty()),
            )
            .take(3)
            .collect();
        date = tail.iter().find_map(|r| match r {
            Raw::Para(p) => text::date_line(&p.text()).map(|d| (d, DateFrom::Signature)),
            Raw::Table(_) => None,
        });
    }
    date
}

/// Paragraphs and tables as blocks: headings, lists grouped and nested, captions given
/// to the pictures above them. `styled_headings` is `None` inside a table cell (no
/// headings there), else whether the document uses heading styles (when it does not,
/// 公文 numbering makes the headings).
fn assemble(raws: Vec<Raw>, doc: &mut Document, styled_headings: Option<bool>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut items: Vec<(u8, bool, u32, Vec<Inline>)> = Vec::new();
    let flush = |items: &mut Vec<(u8, bool, u32, Vec<Inline>)>, blocks: &mut Vec<Block>| {
        if !items.is_empty() {
            blocks.extend(lists(std::mem::take(items)));
        }
    };
    let mut previous_picture_only: Option<usize> = None;
    for raw in raws {
        let p = match raw {
            Raw::Table(t) => {
                flush(&mut items, &mut blocks);
                previous_picture_only = None;
                // A table of one cell is a frame around text: its text.
                if t.rows.len() == 1 && t.rows[0].len() == 1 {
                    blocks.extend(t.rows.into_iter().flatten().flat_map(|c| c.blocks));
                } else {
                    blocks.push(Block::Table(t));
                }
                continue;
            }
            Raw::Para(p) => p,
        };
        let text = p.text();
        let trimmed = text.trim_matches(text::is_blank);
        // A caption under a picture describes it.
        if let Some(pic) = previous_picture_only.take() {
            if !trimmed.is_empty() && captions_picture(&p, trimmed) {
                if let Some(picture) = doc.pictures.get_mut(pic) {
                    if picture.alt.is_empty() {
                        picture.alt = text::caption_alt(trimmed);
                    }
                }
            }
        }
        if trimmed.is_empty() && p.has_picture() {
            previous_picture_only = p.inlines.iter().find_map(|i| match i {
                Inline::Picture(k) => Some(*k),
                _ => None,
            });
        }
        let heading = heading_level(&p, styled_headings);
        if let Some(level) = heading {
            flush(&mut items, &mut blocks);
            let mut inlines = p.labelled_inlines();
            if styled_headings == Some(false) {
                drop_full_stop(&mut inlines);
            }
            blocks.push(Block::Heading(level.min(6), inlines));
            continue;
        }
        if styled_headings == Some(false) {
            if let Some((level, head, rest)) = run_in(&p) {
                flush(&mut items, &mut blocks);
                blocks.push(Block::Heading(level, head));
                blocks.push(Block::Paragraph(rest));
                continue;
            }
        }
        match &p.mark {
            Some((Mark::Bullet, level)) => items.push((*level, false, 1, p.inlines.clone())),
            Some((Mark::Ordered(n), level)) => items.push((*level, true, *n, p.inlines.clone())),
            _ => {
                flush(&mut items, &mut blocks);
                blocks.push(Block::Paragraph(p.labelled_inlines()));
            }
        }
    }
    flush(&mut items, &mut blocks);
    blocks
}

/// The heading level paragraph `p` takes in the page (see [`assemble`] for
/// `styled_headings`): its style's, one down; or, when the document uses no heading
/// styles, that of its 公文 numbering (一、, （一）, and 1. in bold or 黑体).
fn heading_level(p: &Para, styled_headings: Option<bool>) -> Option<u8> {
    match styled_headings {
        None => None,
        Some(true) => p.heading.map(|l| l + 1),
        Some(false) => {
            let labelled = plain(&p.labelled_inlines());
            let t = labelled.trim_matches(text::is_blank);
            match text::numbering(t) {
                _ if !text::heading_sized(t)
                    || p.mark
                        .as_ref()
                        .is_some_and(|m| matches!(m.0, Mark::Bullet | Mark::Ordered(_))) =>
                {
                    None
                }
                Some(text::Numbering::Han) => Some(2),
                Some(text::Numbering::ParenHan) => Some(3),
                Some(text::Numbering::Arabic) if p.bold || p.heiti || all_bold(&p.inlines) => {
                    Some(4)
                }
                _ => None,
            }
        }
    }
}

/// Whether paragraph `p`, of text `trimmed`, under a picture is its caption: styled as
/// one, worded as one (图1 …), or a short centred line.
fn captions_picture(p: &Para, trimmed: &str) -> bool {
    p.caption_style || text::is_caption(trimmed) || (p.center && trimmed.chars().count() <= 40)
}

/// A paragraph that opens with a run-in 公文 heading, set apart by its look — 「（一）强化
/// 组织领导。」 in 楷体 or bold, then the text — as that heading (without its full stop)
/// and the paragraph's text.
fn run_in(p: &Para) -> Option<(u8, Vec<Inline>, Vec<Inline>)> {
    if p.mark.is_some() {
        return None;
    }
    let lead = p.lead.as_deref()?;
    if !p.text().starts_with(lead) {
        return None;
    }
    let head = lead.trim_matches(text::is_blank);
    if !head.ends_with(['。', '：', ':']) || !text::heading_sized(head) {
        return None;
    }
    let level = match text::numbering(head)? {
        text::Numbering::Han => 2,
        text::Numbering::ParenHan => 3,
        text::Numbering::Arabic => 4,
    };
    let (mut first, rest) = split_inlines(&p.inlines, lead.chars().count())?;
    if plain(&rest).trim_matches(text::is_blank).is_empty() {
        return None;
    }
    drop_full_stop(&mut first);
    Some((level, first, rest))
}

/// A 公文 heading typed as a sentence loses its full stop or colon: 「（二）丰富活动载体。」.
fn drop_full_stop(inlines: &mut [Inline]) {
    if let Some(Inline::Text(t, _)) = inlines
        .iter_mut()
        .rev()
        .find(|i| !matches!(i, Inline::Text(t, _) if t.chars().all(text::is_blank)))
    {
        let kept = t
            .trim_end_matches(text::is_blank)
            .trim_end_matches(['。', '：', ':']);
        if !kept.trim_matches(text::is_blank).is_empty() {
            let n = kept.len();
            t.truncate(n);
        }
    }
}

/// List items (level, ordered, number, text) as lists, nested by level.
fn lists(items: Vec<(u8, bool, u32, Vec<Inline>)>) -> Vec<Block> {
    fn nest(items: &[(u8, bool, u32, Vec<Inline>)], at: &mut usize, level: u8) -> Block {
        let (ordered, start) = (items[*at].1, items[*at].2);
        let mut out: Vec<Vec<Block>> = Vec::new();
        while *at < items.len() {
            let (l, o, _, ref text) = items[*at];
            if l < level {
                break;
            }
            if l > level {
                let sub = nest(items, at, l);
                match out.last_mut() {
                    Some(last) => last.push(sub),
                    None => out.push(vec![sub]),
                }
                continue;
            }
            if o != ordered && !out.is_empty() {
                break;
            }
            out.push(vec![Block::Paragraph(text.clone())]);
            *at += 1;
        }
        Block::List {
            ordered,
            start,
            items: out,
        }
    }
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < items.len() {
        let level = items[at].0;
        blocks.push(nest(&items, &mut at, level));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_numbers_in_their_formats() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(20, "chineseCountingThousand"), "二十");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(2024, "ideographDigital"), "二〇二四");
    }

    #[test]
    fn hyperlink_fields() {
        assert_eq!(
            hyperlink_of(" HYPERLINK \"https://www.12371.cn/\" \\t \"_blank\""),
            Some("https://www.12371.cn/".to_string())
        );
        assert_eq!(hyperlink_of(" HYPERLINK \\l \"_Toc1\""), None);
        assert_eq!(hyperlink_of(" PAGEREF _Toc1 \\h"), None);
    }

    #[test]
    fn word_s_own_picture_names_are_no_alt_text() {
        assert_eq!(alt_text("图片 3"), "");
        assert_eq!(alt_text("Picture 1"), "");
        assert_eq!(
            alt_text("一群人站在建筑物前\n\n自动生成的说明"),
            "一群人站在建筑物前"
        );
        assert_eq!(alt_text("党员志愿者清扫楼道"), "党员志愿者清扫楼道");
    }

    /// A .docx of `body` (WordprocessingML paragraphs), as WPS writes one: no styles part.
    fn docx_of(body: &str) -> Vec<u8> {
        use std::io::Write as _;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        write!(w, "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>").unwrap();
        w.finish().unwrap().into_inner()
    }

    /// A paragraph of runs (`b` bold, else a font's name, "" the body's face).
    fn p(runs: &[(&str, &str)]) -> String {
        let runs: String = runs
            .iter()
            .map(|(look, text)| {
                let props = match *look {
                    "" => String::new(),
                    "b" => "<w:rPr><w:b/></w:rPr>".to_string(),
                    font => format!("<w:rPr><w:rFonts w:eastAsia=\"{font}\"/></w:rPr>"),
                };
                format!("<w:r>{props}<w:t xml:space=\"preserve\">{text}</w:t></w:r>")
            })
            .collect();
        format!("<w:p>{runs}</w:p>")
    }

    #[test]
    fn run_in_headings_and_bold_lines_without_heading_styles() {
        let title = "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>志愿服务月活动总结</w:t></w:r></w:p>";
        let body = [
            title.to_string(),
            p(&[("", "（2025年6月28日）")]),
            p(&[("", "　　我支部于２０２５年５月开展活动，满意度９８．５％。")]),
            p(&[("黑体", "一、主要做法")]),
            p(&[
                ("楷体_GB2312", "　　（一）强化组织领导。"),
                ("", "支部召开支委会专题研究。"),
            ]),
            p(&[("楷体_GB2312", "（二）丰富活动载体。")]),
            p(&[("b", "活动亮点")]),
            p(&[("", "老党员讲述入党故事。")]),
            p(&[("", "　　（三）加强督促。"), ("", "同一字体的不是标题。")]),
            p(&[("b", "特别提示：")]),
            p(&[("", "请提前预约。")]),
            p(&[("b", "第一条")]),
            p(&[("b", "第二条")]),
            p(&[("", "两行粗体相连，不是标题。")]),
            p(&[("", "　　1、建立积分制度；")]),
            p(&[("", "")]),
            p(&[("", "２、每月开展一次主题党日。")]),
            p(&[("", "1.5万元用于活动。")]),
        ]
        .concat();
        let doc = read(&docx_of(&body)).unwrap();
        assert_eq!(doc.title.as_deref(), Some("志愿服务月活动总结"));
        assert_eq!(
            super::super::markdown::body(&doc, &[]),
            "我支部于2025年5月开展活动，满意度98.5%。\n\n\
             ## 一、主要做法\n\n\
             ### （一）强化组织领导\n\n\
             支部召开支委会专题研究。\n\n\
             ### （二）丰富活动载体\n\n\
             #### 活动亮点\n\n\
             老党员讲述入党故事。\n\n\
             （三）加强督促。同一字体的不是标题。\n\n\
             **特别提示**：\n\n\
             请提前预约。\n\n\
             **第一条**\n\n\
             **第二条**\n\n\
             两行粗体相连，不是标题。\n\n\
             1. 建立积分制度；\n\
             2. 每月开展一次主题党日。\n\n\
             1\\.5万元用于活动。\n"
        );
        // Without 公文 numbering, a bold line is a `##` heading.
        let body = [
            title.to_string(),
            p(&[("b", "支部简介")]),
            p(&[("", "绿水社区第一党支部成立于1998年。")]),
        ]
        .concat();
        let doc = read(&docx_of(&body)).unwrap();
        assert_eq!(
            super::super::markdown::body(&doc, &[]),
            "## 支部简介\n\n绿水社区第一党支部成立于1998年。\n"
        );
    }

    #[test]
    fn nested_lists() {
        let t = |s: &str| vec![Inline::Text(s.into(), Style::default())];
        let blocks = lists(vec![
            (0, false, 1, t("a")),
            (1, true, 1, t("a1")),
            (1, true, 2, t("a2")),
            (0, false, 1, t("b")),
        ]);
        assert_eq!(blocks.len(), 1);
        let Block::List { items, .. } = &blocks[0] else {
            panic!("a list")
        };
        assert_eq!(items.len(), 2);
        assert!(
            matches!(&items[0][1], Block::List { ordered: true, items, .. } if items.len() == 2)
        );
    }
}
