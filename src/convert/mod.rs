//! Documents from elsewhere as Markdown: a .docx (Word, WPS, LibreOffice) and a saved
//! WeChat 公众号 article (an .html with its `_files` folder, or one .mhtml).
//!
//! Every reader is a pure function from bytes (and, for a saved page, the files saved
//! beside it) to a [`Document`] or an [`Error`]; none reads the disk, fetches anything
//! or panics, whatever the input. [`markdown`] writes a document as the Markdown a
//! person would write. `zhanting import` (the `import` module) puts the result into a
//! site.
//!
//! What is kept follows pandoc's docx reader and mammoth: headings, paragraphs with bold
//! and italic, lists, tables, links, footnotes and pictures in order; fonts, sizes and
//! colours are dropped on purpose.

pub mod doc;
pub mod docx;
pub mod left_out;
pub mod markdown;
pub mod mhtml;
pub mod package;
pub mod picture;
pub mod text;
pub mod wechat;

use crate::error::Diagnostic;
pub use doc::Document;
use package::Found;
use std::collections::BTreeMap;

/// Why a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not a zip, or a zip that cannot be read to its end.
    BrokenZip,
    /// Something else than a .docx: an old .doc, an encrypted package, a PDF…
    Format(Found),
    /// A part of the package (`word/document.xml`) is not readable XML.
    Damaged(String),
    /// No text and no picture; `text_boxes` counts the text boxes left out.
    Empty { text_boxes: usize },
    /// An HTML page without WeChat's article body (`#js_content`).
    NotWeChat,
    /// An .mhtml that is not a MIME archive with an HTML page.
    BrokenArchive,
    /// More than zhanting reads of one document (256 MB a part, 1 GB in all).
    TooLarge,
}

/// How to save a document as .docx, in WPS and in Word.
const SAVE_AS_EN: &str = "open it in WPS or Word and save it as .docx: in WPS, 文件 → 另存为, file type 「Word 文件（*.docx）」; in Word, 文件 → 另存为, type 「Word 文档（*.docx）」; then import the new file";
const SAVE_AS_ZH: &str = "请用 WPS 或 Word 打开它，另存为 .docx 后再导入：WPS 中点「文件 → 另存为」，文件类型选「Word 文件（*.docx）」；Word 中点「文件 → 另存为」，保存类型选「Word 文档（*.docx）」";

impl Error {
    /// The error as a diagnostic naming `file` (the name the user gave).
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        let ext = file
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        let d = match self {
            Error::BrokenZip => Diagnostic::error(
                format!("{file} is damaged: it is not a complete .docx file (its zip cannot be read)"),
                format!("{file} 已损坏：不是完整的 .docx 文件（zip 压缩包无法读取）"),
            )
            .hint(
                "open it in WPS or Word: if it opens, save it again as .docx (文件 → 另存为) and import the new file; else ask for the file again (a download or a copy may have been cut short)",
                "请用 WPS 或 Word 打开：能打开就「文件 → 另存为」.docx 后导入新文件；打不开请重新索取文件（下载或拷贝可能没有完成）",
            ),
            Error::Format(Found::Encrypted) => Diagnostic::error(
                format!("{file} is protected by a password: zhanting cannot read it"),
                format!("{file} 设置了打开密码，无法读取"),
            )
            .hint(
                "open it with its password and remove the password, save, then import again: in WPS, 文件 → 文档加密 → 密码加密, empty both boxes; in Word, 文件 → 信息 → 保护文档 → 用密码进行加密, empty the box",
                "请输入密码打开文档，取消密码并保存后再导入：WPS 中点「文件 → 文档加密 → 密码加密」，清空密码；Word 中点「文件 → 信息 → 保护文档 → 用密码进行加密」，清空密码",
            ),
            Error::Format(Found::OldWord) if ext == "docx" => Diagnostic::error(
                format!("{file} is an old Word document (.doc) renamed to .docx: renaming a file does not change its format"),
                format!("{file} 其实是旧版 Word 文档（.doc），只是扩展名被改成了 .docx：改扩展名不会改变文件格式"),
            )
            .hint(SAVE_AS_EN, SAVE_AS_ZH),
            Error::Format(Found::OldWord) => Diagnostic::error(
                format!("{file} is an old Word or WPS document (.doc, .wps), which zhanting does not read"),
                format!("{file} 是旧版 Word 或 WPS 文档（.doc、.wps），展厅无法直接读取"),
            )
            .hint(SAVE_AS_EN, SAVE_AS_ZH),
            Error::Format(Found::Rtf) => Diagnostic::error(
                format!("{file} is an RTF document, not a .docx"),
                format!("{file} 是 RTF 文档，不是 .docx"),
            )
            .hint(SAVE_AS_EN, SAVE_AS_ZH),
            Error::Format(Found::Odt) => Diagnostic::error(
                format!("{file} is an OpenDocument text (.odt), not a .docx"),
                format!("{file} 是 OpenDocument 文档（.odt），不是 .docx"),
            )
            .hint(SAVE_AS_EN, SAVE_AS_ZH),
            Error::Format(found) => {
                let (en, zh) = match found {
                    Found::Pdf => ("a PDF", "PDF 文件"),
                    Found::Excel => ("an Excel workbook", "Excel 表格"),
                    Found::PowerPoint => ("a PowerPoint presentation", "PowerPoint 演示文稿"),
                    _ => ("no Word document", "Word 文档"),
                };
                let (en_msg, zh_msg) = if *found == Found::Other {
                    (
                        format!("{file} is not a Word document (.docx)"),
                        format!("{file} 不是 Word 文档（.docx）"),
                    )
                } else {
                    (
                        format!("{file} is {en}, not a Word document (.docx)"),
                        format!("{file} 是{zh}，不是 Word 文档（.docx）"),
                    )
                };
                Diagnostic::error(en_msg, zh_msg).hint(
                    "zhanting imports Word documents (.docx) and saved WeChat articles (.html, .mhtml); copy the text into a Word document, or into a page of the site",
                    "展厅可导入 Word 文档（.docx）和保存下来的公众号文章（.html、.mhtml）；请把内容复制到 Word 文档中，或直接复制到网站的页面里",
                )
            }
            Error::Damaged(part) => Diagnostic::error(
                format!("{file} is damaged: its part {part} cannot be read"),
                format!("{file} 已损坏：其中的 {part} 无法读取"),
            )
            .hint(
                "open it in WPS or Word, save it again as .docx (文件 → 另存为), and import the new file",
                "请用 WPS 或 Word 打开，「文件 → 另存为」.docx 后导入新文件",
            ),
            Error::Empty { text_boxes: 0 } => Diagnostic::error(
                format!("{file} is empty: it has no text and no pictures"),
                format!("{file} 是空文档：没有文字，也没有图片"),
            )
            .hint("check that this is the right file", "请确认选对了文件"),
            Error::Empty { text_boxes } => Diagnostic::error(
                format!("{file} has no text outside its {text_boxes} text box(es), which are not imported"),
                format!("{file} 的文字都在 {text_boxes} 个文本框里，文本框不会导入"),
            )
            .hint(
                "copy the text out of the text boxes into ordinary paragraphs, save, and import again",
                "请把文本框里的文字复制到正文段落中，保存后再导入",
            ),
            Error::NotWeChat => Diagnostic::error(
                format!("{file} is not a saved WeChat article: it has no article body (#js_content)"),
                format!("{file} 不是保存下来的微信公众号文章：找不到正文（#js_content）"),
            )
            .hint(
                "open the article in a computer's browser (copy its link from WeChat), wait until every picture shows, press Ctrl+S and save as 「网页，全部」 (.html) or 「网页，单个文件」 (.mhtml)",
                "请在电脑浏览器中打开文章（从微信复制文章链接），等所有图片都显示出来后按 Ctrl+S，保存类型选「网页，全部」（.html）或「网页，单个文件」（.mhtml）",
            ),
            Error::BrokenArchive => Diagnostic::error(
                format!("{file} is not a complete web archive (.mhtml): no page was found in it"),
                format!("{file} 不是完整的单文件网页（.mhtml）：其中找不到网页"),
            )
            .hint(
                "save the article again from the browser (Ctrl+S, 「网页，单个文件」), or as 「网页，全部」 (.html)",
                "请在浏览器中重新保存文章（Ctrl+S，「网页，单个文件」），或保存为「网页，全部」（.html）",
            ),
            Error::TooLarge => Diagnostic::error(
                format!("{file} is too large to import: over 256 MB in one part or 1 GB in all"),
                format!("{file} 太大，无法导入：单个部分超过 256 MB 或合计超过 1 GB"),
            )
            .hint(
                "compress its pictures in WPS or Word (图片工具 → 压缩图片), or split it into several documents",
                "请在 WPS 或 Word 中压缩图片（图片工具 → 压缩图片），或拆分成几个文档",
            ),
        };
        d.file(file)
    }
}

/// The files saved with a web page, asked for by the address the page gives them
/// (`./文章_files/640.jpeg`, or a web address inside an .mhtml).
pub trait SideFiles {
    fn get(&self, reference: &str) -> Option<Vec<u8>>;
}

impl SideFiles for BTreeMap<String, Vec<u8>> {
    fn get(&self, reference: &str) -> Option<Vec<u8>> {
        reference_forms(reference)
            .iter()
            .find_map(|r| BTreeMap::get(self, r))
            .cloned()
    }
}

/// The forms a reference may be stored under: as written, without its fragment, with
/// `./` dropped, percent-decoded, with `https:` before a `//` address.
pub fn reference_forms(reference: &str) -> Vec<String> {
    let r = reference.trim();
    let no_fragment = r.split('#').next().unwrap_or(r);
    let mut out = vec![r.to_string(), no_fragment.to_string()];
    let stripped = no_fragment.trim_start_matches("./");
    out.push(stripped.to_string());
    out.push(
        percent_encoding::percent_decode_str(stripped)
            .decode_utf8_lossy()
            .into_owned(),
    );
    if let Some(rest) = no_fragment.strip_prefix("//") {
        out.push(format!("https://{rest}"));
        out.push(format!("http://{rest}"));
    }
    if let Some(rest) = no_fragment.strip_prefix("http://") {
        out.push(format!("https://{rest}"));
    }
    out.dedup();
    out
}

/// What a file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docx,
    /// .doc, .wps, .rtf: the save-as message.
    OldWord,
    Html,
    Mhtml,
}

impl Kind {
    pub fn of(name: &str) -> Option<Kind> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        Some(match ext.as_str() {
            "docx" | "docm" | "dotx" | "wpsx" => Kind::Docx,
            "doc" | "wps" | "dot" | "wpt" | "rtf" => Kind::OldWord,
            "html" | "htm" | "xhtml" => Kind::Html,
            "mhtml" | "mht" => Kind::Mhtml,
            _ => return None,
        })
    }
}

/// Reads a document of kind `kind` from `bytes` (and, for a saved page, `files`).
pub fn read(kind: Kind, bytes: &[u8], files: &dyn SideFiles) -> Result<Document, Error> {
    match kind {
        Kind::Docx => docx::read(bytes),
        Kind::OldWord => match docx::read(bytes) {
            // A .docx named .doc reads as one.
            Ok(doc) => Ok(doc),
            Err(Error::Format(f)) => Err(Error::Format(f)),
            Err(_) => Err(Error::Format(Found::OldWord)),
        },
        Kind::Html => wechat::read(bytes, files),
        Kind::Mhtml => {
            let (html, saved) = mhtml::read(bytes)?;
            wechat::read(&html, &saved)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What fuzzing will do at length (issue 37), in brief: damaged copies of real files
    /// and hostile shapes give a result or an error, never a panic or a hang.
    #[test]
    fn damaged_and_hostile_input_gives_an_error_not_a_panic() {
        let none: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let docx = include_bytes!("../../tests/fixtures/import/plain.docx");
        for k in 0..40 {
            let cut = docx.len() * k / 40;
            let _ = read(Kind::Docx, &docx[..cut], &none);
            let mut flipped = docx.to_vec();
            let at = (cut * 7919) % flipped.len();
            flipped[at] ^= 0x5a;
            let _ = read(Kind::Docx, &flipped, &none);
        }
        let mhtml = include_bytes!("../../tests/fixtures/import/公众号文章.mhtml");
        for k in 0..20 {
            let _ = read(Kind::Mhtml, &mhtml[..mhtml.len() * k / 20], &none);
        }
        let deep = |levels: usize| {
            format!(
                "<div id=\"js_content\">{}文{}</div>",
                "<section><span>".repeat(levels),
                "<br>".repeat(100_000)
            )
        };
        let doc = read(Kind::Html, deep(60).as_bytes(), &none).unwrap();
        assert_eq!(markdown::body(&doc, &[]), "文\n");
        // Beyond what any editor nests, the rest is skipped.
        assert!(read(Kind::Html, deep(5_000).as_bytes(), &none).is_err());
        let dates = format!(
            "<em id=\"publish_time\">{}</em><div id=\"js_content\">x</div>",
            "一".repeat(50_000)
        );
        assert!(read(Kind::Html, dates.as_bytes(), &none).is_ok());
    }
}
