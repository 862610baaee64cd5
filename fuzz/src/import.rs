//! Documents for `zhanting import` described by `arbitrary` values: a .docx written as a
//! real zip in memory (its document, styles with `basedOn` chains, numbering, footnotes,
//! relationships, pictures, core properties) and a saved WeChat article (the page's
//! skeleton around a stream of elements, styles and pictures). Byte-level mutation
//! rarely gets past a zip's checksums or deflate; from a description every part is
//! well-formed unless the description says otherwise, so the readers go as deep as
//! they do on a real document.

use arbitrary::{Arbitrary, Result, Unstructured};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

/// Pieces of text: what branches write in reports, and what trips the readers (公文
/// numbering, dates, captions, Markdown's own characters, full-width forms).
const PHRASES: &[&str] = &[
    "一、主要做法",
    "二、",
    "（一）强化组织领导。",
    "（二）",
    "1. 建立积分制度；",
    "1、",
    "２、每月开展一次主题党日。",
    "1.5万元用于活动。",
    "（2024年5月20日）",
    "2025年6月28日",
    "二〇二四年七月一日",
    "2024-07-01",
    "2024-02-30",
    "绿水社区第一党支部",
    "志愿服务月活动总结",
    "　　我支部于２０２５年５月开展活动，满意度９８．５％。",
    "图1 党员志愿者清扫楼道",
    "图片 3",
    "特别提示：",
    "第一条",
    "附件：",
    "“五微一体”",
    "社会主意核心价值观",
    "13800138000",
    "https://www.12371.cn/",
    " HYPERLINK \"https://www.12371.cn/\" \\t \"_blank\"",
    " HYPERLINK \\l \"_Toc1\"",
    " PAGEREF _Toc1 \\h",
    " TOC \\o \"1-3\"",
    "目录",
    "**",
    "*",
    "_",
    "[",
    "](",
    "#",
    "`",
    "|",
    "\\",
    "<b>",
    "---",
    "- ",
    "> ",
    "1. ",
    "&",
    "<",
    "",
    " ",
    "　",
    "\u{200b}",
    "\u{feff}",
    "😀",
    "𠀀",
    "ａ",
];

/// A text made of [`PHRASES`] and any characters.
#[derive(Debug)]
pub struct Text(pub String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        crate::site::words(u, PHRASES, 6).map(Text)
    }
}

/// Text as XML character data and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Style ids and names as Word, WPS (numeric ids) and LibreOffice write them.
const STYLE_IDS: &[&str] = &[
    "1",
    "2",
    "3",
    "10",
    "Heading1",
    "Heading2",
    "Title",
    "a",
    "a0",
    "ListParagraph",
    "Normal",
];
const STYLE_NAMES: &[&str] = &[
    "heading 1",
    "heading 2",
    "heading 3",
    "Heading 9",
    "标题 1",
    "标题 2",
    "标题",
    "Title",
    "Subtitle",
    "Normal",
    "List Paragraph",
    "toc 1",
    "Caption",
    "题注",
    "",
];
const FONTS: &[&str] = &[
    "黑体",
    "宋体",
    "楷体_GB2312",
    "仿宋_GB2312",
    "方正小标宋简体",
    "SimHei",
    "Times New Roman",
];
const NUMBER_FORMATS: &[&str] = &[
    "decimal",
    "bullet",
    "chineseCounting",
    "chineseCountingThousand",
    "ideographDigital",
    "ideographTraditional",
    "japaneseCounting",
    "taiwaneseCounting",
    "lowerLetter",
    "upperLetter",
    "lowerRoman",
    "upperRoman",
    "decimalEnclosedCircle",
    "decimalEnclosedCircleChinese",
    "decimalFullWidth",
    "decimalZero",
    "none",
    "",
];
const LEVEL_TEXTS: &[&str] = &[
    "%1.", "%1、", "（%1）", "%1）", "第%1条", "%1.%2", "%1.%2.%3", "", "%9", "•", "%",
];
const PICTURE_EXTENSIONS: &[&str] = &[
    "png", "jpeg", "jpg", "gif", "emf", "wmf", "tiff", "bmp", "svg",
];

#[derive(Arbitrary, Debug)]
pub struct Docx {
    pub body: Vec<Block>,
    pub styles: Option<Vec<StyleDef>>,
    pub numbering: Option<Vec<AbstractNum>>,
    /// `w:num`s: id, the abstract numbering it uses, a start override.
    pub nums: Vec<(u8, u8, Option<i32>)>,
    pub footnotes: Vec<Vec<Run>>,
    pub pictures: Vec<Picture>,
    pub created: Option<Created>,
    /// The ISO 29500 strict namespace instead of the transitional one.
    pub strict: bool,
    /// Stored instead of deflated.
    pub stored: bool,
    /// Without `_rels/.rels` (the reader falls back to `word/document.xml`).
    pub no_package_rels: bool,
}

#[derive(Arbitrary, Debug)]
pub enum Created {
    Iso(u16, u8, u8),
    Text(Text),
}

#[derive(Arbitrary, Debug)]
pub enum Picture {
    /// One of the real pictures given to [`Docx::zip`], under an extension.
    Real(u8, u8),
    /// Any bytes.
    Bytes(Vec<u8>, u8),
}

#[derive(Arbitrary, Debug)]
pub struct StyleDef {
    pub id: u8,
    pub name: u8,
    pub own_name: Option<Text>,
    pub based_on: Option<u8>,
    pub outline: Option<u8>,
    pub bold: bool,
    pub size: Option<u8>,
    pub font: Option<u8>,
    pub character: bool,
    pub centred: bool,
}

#[derive(Arbitrary, Debug)]
pub struct AbstractNum {
    pub levels: Vec<Level>,
}

#[derive(Arbitrary, Debug)]
pub struct Level {
    pub ilvl: u8,
    pub format: u8,
    pub text: u8,
    pub start: Option<i32>,
}

#[derive(Arbitrary, Debug)]
pub enum Block {
    Para(Para),
    /// A table of rows of cells, nested `nest` tables deep.
    Table {
        rows: Vec<Vec<CellDef>>,
        nest: u8,
    },
    /// Paragraphs in `depth` nested content controls.
    Sdt {
        depth: u8,
        paras: Vec<Para>,
    },
    /// Paragraphs inserted with tracked changes, or moved.
    Inserted(Vec<Para>),
    SectionBreak,
}

#[derive(Arbitrary, Debug)]
pub struct CellDef {
    pub paras: Vec<Para>,
    pub span: Option<u8>,
    /// `w:vMerge`: `Some(true)` restarts a merge, `Some(false)` continues it.
    pub merge: Option<bool>,
}

#[derive(Arbitrary, Debug)]
pub struct Para {
    pub style: Option<u8>,
    pub num: Option<(u8, u8)>,
    pub centred: bool,
    pub outline: Option<u8>,
    pub runs: Vec<Run>,
}

#[derive(Arbitrary, Debug)]
pub enum Look {
    Plain,
    Bold,
    Italic,
    BoldItalic,
    Font(u8),
    Size(u8),
    CharStyle(u8),
    Strike,
}

#[derive(Arbitrary, Debug)]
pub enum FieldPart {
    Begin,
    Instr(Text),
    Separate,
    End,
}

#[derive(Arbitrary, Debug)]
pub enum Run {
    Text(Look, Text),
    Break(u8),
    Tab,
    Sym(u16),
    Note(u8),
    Endnote(u8),
    Picture {
        which: u8,
        vml: bool,
        name: Text,
        descr: Option<Text>,
    },
    Link {
        url: Text,
        anchor: bool,
        text: Text,
    },
    Field(FieldPart),
    SimpleField(Text, Text),
    TextBox(Text),
    Math(Text),
    Ruby(Text, Text),
    Inserted(Text),
    Deleted(Text),
    /// Text in `mc:AlternateContent`.
    Alternate(Text),
}

/// A zip of `files`, deflated unless `stored`.
fn zip_of(files: &[(String, Vec<u8>)], stored: bool) -> Vec<u8> {
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        if w.start_file(name.as_str(), options).is_err() || w.write_all(bytes).is_err() {
            continue;
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// The namespaces the document part declares.
fn namespaces(strict: bool) -> String {
    let w = if strict {
        "http://purl.oclc.org/ooxml/wordprocessingml/main"
    } else {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    };
    format!(
        "xmlns:w=\"{w}\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\" \
         xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
         xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\" \
         xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
         xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""
    )
}

/// The writing of one document: its relationships as they are made.
struct Writer<'d> {
    doc: &'d Docx,
    /// (id, type, target, external)
    rels: Vec<(String, &'static str, String, bool)>,
}

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

impl Writer<'_> {
    fn rel(&mut self, kind: &'static str, target: String, external: bool) -> String {
        let id = format!("rId{}", self.rels.len() + 1);
        self.rels.push((id.clone(), kind, target, external));
        id
    }

    fn style_id(&self, i: u8) -> String {
        match &self.doc.styles {
            Some(styles) if !styles.is_empty() => {
                let s = &styles[i as usize % styles.len()];
                STYLE_IDS[s.id as usize % STYLE_IDS.len()].to_string()
            }
            _ => STYLE_IDS[i as usize % STYLE_IDS.len()].to_string(),
        }
    }

    fn para(&mut self, p: &Para, out: &mut String) {
        out.push_str("<w:p>");
        let mut props = String::new();
        if let Some(s) = p.style {
            let _ = write!(props, "<w:pStyle w:val=\"{}\"/>", self.style_id(s));
        }
        if let Some((id, level)) = p.num {
            let _ = write!(
                props,
                "<w:numPr><w:ilvl w:val=\"{}\"/><w:numId w:val=\"{}\"/></w:numPr>",
                level % 10,
                id
            );
        }
        if let Some(o) = p.outline {
            let _ = write!(props, "<w:outlineLvl w:val=\"{}\"/>", o % 12);
        }
        if p.centred {
            props.push_str("<w:jc w:val=\"center\"/>");
        }
        if !props.is_empty() {
            let _ = write!(out, "<w:pPr>{props}</w:pPr>");
        }
        for r in &p.runs {
            self.run(r, out);
        }
        out.push_str("</w:p>");
    }

    fn text_run(look: &Look, text: &str, out: &mut String) {
        let props = match look {
            Look::Plain => String::new(),
            Look::Bold => "<w:b/>".into(),
            Look::Italic => "<w:i/>".into(),
            Look::BoldItalic => "<w:b/><w:bCs/><w:i/>".into(),
            Look::Font(f) => format!(
                "<w:rFonts w:eastAsia=\"{}\" w:ascii=\"{0}\"/>",
                FONTS[*f as usize % FONTS.len()]
            ),
            Look::Size(s) => format!("<w:sz w:val=\"{s}\"/>"),
            Look::CharStyle(s) => {
                format!(
                    "<w:rStyle w:val=\"{}\"/>",
                    STYLE_IDS[*s as usize % STYLE_IDS.len()]
                )
            }
            Look::Strike => "<w:strike/>".into(),
        };
        out.push_str("<w:r>");
        if !props.is_empty() {
            let _ = write!(out, "<w:rPr>{props}</w:rPr>");
        }
        let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text));
    }

    fn run(&mut self, r: &Run, out: &mut String) {
        match r {
            Run::Text(look, t) => Self::text_run(look, &t.0, out),
            Run::Break(kind) => {
                let kind = [
                    "",
                    " w:type=\"page\"",
                    " w:type=\"column\"",
                    " w:type=\"textWrapping\"",
                ][*kind as usize % 4];
                let _ = write!(out, "<w:r><w:br{kind}/></w:r>");
            }
            Run::Tab => out.push_str("<w:r><w:tab/></w:r>"),
            Run::Sym(c) => {
                let _ = write!(
                    out,
                    "<w:r><w:sym w:font=\"Wingdings\" w:char=\"{c:04X}\"/></w:r>"
                );
            }
            Run::Note(id) => {
                let _ = write!(out, "<w:r><w:footnoteReference w:id=\"{id}\"/></w:r>");
            }
            Run::Endnote(id) => {
                let _ = write!(out, "<w:r><w:endnoteReference w:id=\"{id}\"/></w:r>");
            }
            Run::Picture {
                which,
                vml,
                name,
                descr,
            } => {
                let pictures = &self.doc.pictures;
                let target = if pictures.is_empty() {
                    "media/missing.png".to_string()
                } else {
                    let i = *which as usize % pictures.len();
                    format!("media/image{i}.{}", picture_extension(&pictures[i]))
                };
                let id = self.rel("/image", target, false);
                if *vml {
                    let _ = write!(
                        out,
                        "<w:r><w:pict><v:shape><v:imagedata r:id=\"{id}\" o:title=\"{}\"/></v:shape></w:pict></w:r>",
                        esc(&name.0)
                    );
                } else {
                    let descr = descr
                        .as_ref()
                        .map(|d| format!(" descr=\"{}\"", esc(&d.0)))
                        .unwrap_or_default();
                    let _ = write!(
                        out,
                        "<w:r><w:drawing><wp:inline><wp:extent cx=\"5274310\" cy=\"3516630\"/><wp:docPr id=\"1\" name=\"{}\"{descr}/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:blipFill><a:blip r:embed=\"{id}\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>",
                        esc(&name.0)
                    );
                }
            }
            Run::Link { url, anchor, text } => {
                if *anchor {
                    let _ = write!(out, "<w:hyperlink w:anchor=\"{}\">", esc(&url.0));
                } else {
                    let id = self.rel("/hyperlink", url.0.clone(), true);
                    let _ = write!(out, "<w:hyperlink r:id=\"{id}\">");
                }
                Self::text_run(&Look::Plain, &text.0, out);
                out.push_str("</w:hyperlink>");
            }
            Run::Field(part) => match part {
                FieldPart::Begin => out.push_str("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"),
                FieldPart::Instr(t) => {
                    let _ = write!(
                        out,
                        "<w:r><w:instrText xml:space=\"preserve\">{}</w:instrText></w:r>",
                        esc(&t.0)
                    );
                }
                FieldPart::Separate => {
                    out.push_str("<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>")
                }
                FieldPart::End => out.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"),
            },
            Run::SimpleField(instr, t) => {
                let _ = write!(out, "<w:fldSimple w:instr=\"{}\">", esc(&instr.0));
                Self::text_run(&Look::Plain, &t.0, out);
                out.push_str("</w:fldSimple>");
            }
            Run::TextBox(t) => {
                let _ = write!(
                    out,
                    "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
                    esc(&t.0)
                );
            }
            Run::Math(t) => {
                let _ = write!(
                    out,
                    "<m:oMath><m:r><m:t>{}</m:t></m:r></m:oMath>",
                    esc(&t.0)
                );
            }
            Run::Ruby(base, above) => {
                let _ = write!(
                    out,
                    "<w:r><w:ruby><w:rt><w:r><w:t>{}</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>{}</w:t></w:r></w:rubyBase></w:ruby></w:r>",
                    esc(&above.0),
                    esc(&base.0)
                );
            }
            Run::Inserted(t) => {
                out.push_str("<w:ins w:id=\"1\" w:author=\"x\">");
                Self::text_run(&Look::Plain, &t.0, out);
                out.push_str("</w:ins>");
            }
            Run::Deleted(t) => {
                let _ = write!(
                    out,
                    "<w:del w:id=\"2\" w:author=\"x\"><w:r><w:delText>{}</w:delText></w:r></w:del>",
                    esc(&t.0)
                );
            }
            Run::Alternate(t) => {
                let _ = write!(
                    out,
                    "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{0}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:rect><v:textbox><w:txbxContent><w:p><w:r><w:t>{0}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
                    esc(&t.0)
                );
            }
        }
    }

    fn block(&mut self, b: &Block, out: &mut String) {
        match b {
            Block::Para(p) => self.para(p, out),
            Block::Table { rows, nest } => {
                // Deeper than the reader's limit (24) now and then.
                let nest = 1 + *nest as usize % 32;
                for _ in 0..nest {
                    out.push_str("<w:tbl><w:tr><w:tc>");
                }
                out.push_str("<w:tbl>");
                for row in rows {
                    out.push_str("<w:tr>");
                    for cell in row {
                        out.push_str("<w:tc>");
                        let mut props = String::new();
                        if let Some(span) = cell.span {
                            let _ = write!(props, "<w:gridSpan w:val=\"{span}\"/>");
                        }
                        match cell.merge {
                            Some(true) => props.push_str("<w:vMerge w:val=\"restart\"/>"),
                            Some(false) => props.push_str("<w:vMerge/>"),
                            None => {}
                        }
                        if !props.is_empty() {
                            let _ = write!(out, "<w:tcPr>{props}</w:tcPr>");
                        }
                        for p in &cell.paras {
                            self.para(p, out);
                        }
                        // A cell ends with a paragraph.
                        out.push_str("<w:p/></w:tc>");
                    }
                    out.push_str("</w:tr>");
                }
                out.push_str("</w:tbl>");
                for _ in 0..nest {
                    out.push_str("<w:p/></w:tc></w:tr></w:tbl>");
                }
            }
            Block::Sdt { depth, paras } => {
                let depth = 1 + *depth as usize % 32;
                for _ in 0..depth {
                    out.push_str("<w:sdt><w:sdtContent>");
                }
                for p in paras {
                    self.para(p, out);
                }
                for _ in 0..depth {
                    out.push_str("</w:sdtContent></w:sdt>");
                }
            }
            Block::Inserted(paras) => {
                out.push_str("<w:ins w:id=\"3\" w:author=\"x\">");
                for p in paras {
                    self.para(p, out);
                }
                out.push_str("</w:ins>");
            }
            Block::SectionBreak => out.push_str(
                "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:pPr></w:p>",
            ),
        }
    }
}

fn picture_extension(p: &Picture) -> &'static str {
    let e = match p {
        Picture::Real(_, e) | Picture::Bytes(_, e) => *e,
    };
    PICTURE_EXTENSIONS[e as usize % PICTURE_EXTENSIONS.len()]
}

impl Docx {
    /// The .docx as a zip; `real` are real pictures that [`Picture::Real`] names.
    pub fn zip(&self, real: &[Vec<u8>]) -> Vec<u8> {
        let ns = namespaces(self.strict);
        let mut w = Writer {
            doc: self,
            rels: Vec::new(),
        };
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();

        let mut body = String::new();
        for b in &self.body {
            w.block(b, &mut body);
        }
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {ns}><w:body>{body}<w:sectPr/></w:body></w:document>"
        );

        if let Some(styles) = &self.styles {
            let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:styles {ns}>");
            for s in styles {
                let kind = if s.character {
                    "character"
                } else {
                    "paragraph"
                };
                let id = STYLE_IDS[s.id as usize % STYLE_IDS.len()];
                let name = match &s.own_name {
                    Some(t) => esc(&t.0),
                    None => STYLE_NAMES[s.name as usize % STYLE_NAMES.len()].to_string(),
                };
                let _ = write!(
                    x,
                    "<w:style w:type=\"{kind}\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>"
                );
                if let Some(b) = s.based_on {
                    let _ = write!(
                        x,
                        "<w:basedOn w:val=\"{}\"/>",
                        STYLE_IDS[b as usize % STYLE_IDS.len()]
                    );
                }
                let mut ppr = String::new();
                if let Some(o) = s.outline {
                    let _ = write!(ppr, "<w:outlineLvl w:val=\"{}\"/>", o % 12);
                }
                if s.centred {
                    ppr.push_str("<w:jc w:val=\"center\"/>");
                }
                if !ppr.is_empty() {
                    let _ = write!(x, "<w:pPr>{ppr}</w:pPr>");
                }
                let mut rpr = String::new();
                if s.bold {
                    rpr.push_str("<w:b/>");
                }
                if let Some(sz) = s.size {
                    let _ = write!(rpr, "<w:sz w:val=\"{sz}\"/>");
                }
                if let Some(f) = s.font {
                    let _ = write!(
                        rpr,
                        "<w:rFonts w:eastAsia=\"{}\"/>",
                        FONTS[f as usize % FONTS.len()]
                    );
                }
                if !rpr.is_empty() {
                    let _ = write!(x, "<w:rPr>{rpr}</w:rPr>");
                }
                x.push_str("</w:style>");
            }
            x.push_str("</w:styles>");
            w.rel("/styles", "styles.xml".into(), false);
            files.push(("word/styles.xml".into(), x.into_bytes()));
        }

        if let Some(abstracts) = &self.numbering {
            let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:numbering {ns}>");
            for (i, a) in abstracts.iter().enumerate() {
                let _ = write!(x, "<w:abstractNum w:abstractNumId=\"{i}\">");
                for l in &a.levels {
                    let _ = write!(x, "<w:lvl w:ilvl=\"{}\">", l.ilvl % 10);
                    if let Some(s) = l.start {
                        let _ = write!(x, "<w:start w:val=\"{s}\"/>");
                    }
                    let _ = write!(
                        x,
                        "<w:numFmt w:val=\"{}\"/><w:lvlText w:val=\"{}\"/></w:lvl>",
                        NUMBER_FORMATS[l.format as usize % NUMBER_FORMATS.len()],
                        LEVEL_TEXTS[l.text as usize % LEVEL_TEXTS.len()]
                    );
                }
                x.push_str("</w:abstractNum>");
            }
            for (id, abs, start) in &self.nums {
                let _ = write!(
                    x,
                    "<w:num w:numId=\"{id}\"><w:abstractNumId w:val=\"{abs}\"/>"
                );
                if let Some(s) = start {
                    let _ = write!(
                        x,
                        "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{s}\"/></w:lvlOverride>"
                    );
                }
                x.push_str("</w:num>");
            }
            x.push_str("</w:numbering>");
            w.rel("/numbering", "numbering.xml".into(), false);
            files.push(("word/numbering.xml".into(), x.into_bytes()));
        }

        if !self.footnotes.is_empty() {
            let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:footnotes {ns}>");
            for (i, runs) in self.footnotes.iter().enumerate() {
                let _ = write!(x, "<w:footnote w:id=\"{i}\"><w:p>");
                for r in runs {
                    // A note's runs name relationships of the document part too.
                    w.run(r, &mut x);
                }
                x.push_str("</w:p></w:footnote>");
            }
            x.push_str("</w:footnotes>");
            w.rel("/footnotes", "footnotes.xml".into(), false);
            files.push(("word/footnotes.xml".into(), x.into_bytes()));
        }

        for (i, p) in self.pictures.iter().enumerate() {
            let bytes = match p {
                Picture::Real(r, _) if !real.is_empty() => real[*r as usize % real.len()].clone(),
                Picture::Real(..) => Vec::new(),
                Picture::Bytes(b, _) => b.clone(),
            };
            files.push((
                format!("word/media/image{i}.{}", picture_extension(p)),
                bytes,
            ));
        }

        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        );
        for (id, kind, target, external) in &w.rels {
            let mode = if *external {
                " TargetMode=\"External\""
            } else {
                ""
            };
            let _ = write!(
                rels,
                "<Relationship Id=\"{id}\" Type=\"{REL}{kind}\" Target=\"{}\"{mode}/>",
                esc(target)
            );
        }
        rels.push_str("</Relationships>");
        files.push(("word/_rels/document.xml.rels".into(), rels.into_bytes()));
        files.push(("word/document.xml".into(), document.into_bytes()));

        if let Some(c) = &self.created {
            let when = match c {
                Created::Iso(y, m, d) => format!("{y:04}-{m:02}-{d:02}T08:00:00Z"),
                Created::Text(t) => esc(&t.0),
            };
            files.push((
                "docProps/core.xml".into(),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created></cp:coreProperties>").into_bytes(),
            ));
        }
        if !self.no_package_rels {
            files.push((
                "_rels/.rels".into(),
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>").into_bytes(),
            ));
        }
        files.push((
            "[Content_Types].xml".into(),
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_vec(),
        ));
        files.reverse();
        zip_of(&files, self.stored)
    }
}

/// Elements of a WeChat article's body, as its editors (秀米, 135编辑器) write them.
const TAGS: &[&str] = &[
    "p",
    "section",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "s",
    "del",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "hr",
    "a",
    "figure",
    "figcaption",
    "center",
    "div",
    "pre",
    "code",
    "sup",
    "sub",
    "svg",
    "iframe",
    "mpvoice",
    "mpvideo",
    "mp-miniprogram",
    "mp-common-profile",
    "script",
    "style",
    "template",
    "font",
];

/// Attributes, with their values.
const ATTRS: &[&str] = &[
    "style=\"font-weight: bold;\"",
    "style=\"font-weight:700\"",
    "style=\"font-weight: normal\"",
    "style=\"font-style: italic;\"",
    "style=\"text-decoration: line-through\"",
    "style=\"display:none\"",
    "style=\"display: none !important; font-weight: bold\"",
    "style=\"font-size: 18px; color: rgb(62, 62, 62);\"",
    "style=\"text-align: center;\"",
    "style=\"font-size:20px;font-weight:bold\"",
    "style=\";;:;\"",
    "class=\"video_iframe\"",
    "class=\"rich_pages wxw-img\"",
    "colspan=\"2\"",
    "rowspan=\"3\"",
    "colspan=\"0\"",
    "rowspan=\"99999999999\"",
    "start=\"3\"",
    "start=\"-1\"",
    "start=\"4294967296\"",
    "href=\"https://mp.weixin.qq.com/s/abc\"",
    "href=\"javascript:alert(1)\"",
    "href=\"#top\"",
    "href=\"\"",
    "data-src=\"https://v.qq.com/x/video\"",
    "src=\"https://player.example/video.html\"",
    "alt=\"图片\"",
    "alt=\"党员志愿者\"",
];

/// Where a picture says it is.
const PICTURE_REFS: &[&str] = &[
    "./公众号文章_files/640.jpeg",
    "./公众号文章_files/640(1).jpeg",
    "公众号文章_files/640(2).gif",
    "./%E5%85%AC%E4%BC%97%E5%8F%B7%E6%96%87%E7%AB%A0_files/640.jpeg",
    "./公众号文章_files/640.jpeg#imgIndex=1",
    "./公众号文章_files/640.jpeg?wx_fmt=jpeg",
    "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg",
    "//mmbiz.qpic.cn/mmbiz_png/abc/640",
    "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
    "data:image/png;base64,",
    "",
    "../../etc/passwd",
    "/etc/passwd",
    "file:///etc/passwd",
];

#[derive(Arbitrary, Debug)]
pub enum Token {
    Open(u8, Vec<u8>),
    Close,
    Text(Text),
    Image {
        data_src: Option<u8>,
        src: Option<u8>,
        alt: Option<Text>,
        width: Option<u16>,
    },
}

#[derive(Arbitrary, Debug)]
pub struct WeChat {
    pub title: Option<Text>,
    pub author: Option<Text>,
    pub published: Option<Text>,
    /// The `var ct = "…"` timestamp of the page's script.
    pub ct: Option<u64>,
    pub og_title: Option<Text>,
    pub hidden_content: bool,
    pub body: Vec<Token>,
}

impl WeChat {
    /// The saved page's HTML.
    pub fn html(&self) -> String {
        let mut out = String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\">");
        if let Some(t) = &self.og_title {
            let _ = write!(
                out,
                "<meta property=\"og:title\" content=\"{}\">",
                esc(&t.0)
            );
        }
        out.push_str("<title>微信公众平台</title></head><body><div id=\"page-content\">");
        if let Some(t) = &self.title {
            let _ = write!(
                out,
                "<h1 class=\"rich_media_title\" id=\"activity-name\">{}</h1>",
                esc(&t.0)
            );
        }
        if let Some(a) = &self.author {
            let _ = write!(
                out,
                "<a id=\"js_name\">{0}</a><span id=\"js_author_name\">{0}</span>",
                esc(&a.0)
            );
        }
        if let Some(p) = &self.published {
            let _ = write!(out, "<em id=\"publish_time\">{}</em>", esc(&p.0));
        }
        let hidden = if self.hidden_content {
            " style=\"visibility: hidden;\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<div class=\"rich_media_content\" id=\"js_content\"{hidden}>"
        );
        let mut open: Vec<&str> = Vec::new();
        for t in &self.body {
            match t {
                Token::Open(tag, attrs) => {
                    let tag = TAGS[*tag as usize % TAGS.len()];
                    let _ = write!(out, "<{tag}");
                    for a in attrs.iter().take(4) {
                        let _ = write!(out, " {}", ATTRS[*a as usize % ATTRS.len()]);
                    }
                    out.push('>');
                    open.push(tag);
                }
                Token::Close => {
                    if let Some(tag) = open.pop() {
                        let _ = write!(out, "</{tag}>");
                    }
                }
                Token::Text(t) => out.push_str(&esc(&t.0)),
                Token::Image {
                    data_src,
                    src,
                    alt,
                    width,
                } => {
                    out.push_str("<img class=\"rich_pages wxw-img\"");
                    if let Some(r) = data_src {
                        let _ = write!(
                            out,
                            " data-src=\"{}\"",
                            PICTURE_REFS[*r as usize % PICTURE_REFS.len()]
                        );
                    }
                    if let Some(r) = src {
                        let _ = write!(
                            out,
                            " src=\"{}\"",
                            PICTURE_REFS[*r as usize % PICTURE_REFS.len()]
                        );
                    }
                    if let Some(a) = alt {
                        let _ = write!(out, " alt=\"{}\"", esc(&a.0));
                    }
                    if let Some(w) = width {
                        let _ = write!(out, " data-w=\"{w}\" width=\"{w}\"");
                    }
                    out.push('>');
                }
            }
        }
        while let Some(tag) = open.pop() {
            let _ = write!(out, "</{tag}>");
        }
        out.push_str("</div></div>");
        if let Some(ct) = self.ct {
            let _ = write!(out, "<script>var ct = \"{ct}\";</script>");
        }
        out.push_str("</body></html>");
        out
    }
}

/// The files saved beside the fixture article (`公众号文章_files/…`), by the name the
/// page gives them.
pub fn saved_files(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let folder = dir.join("公众号文章_files");
    for e in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        if let Ok(bytes) = std::fs::read(e.path()) {
            files.insert(
                format!("公众号文章_files/{}", e.file_name().to_string_lossy()),
                bytes,
            );
        }
    }
    files
}
