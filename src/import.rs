//! `zhanting import FILE… [--to SECTION] [--site DIR]`: a Word or WPS document, or a
//! saved WeChat article, as a new page of a section — `content/SECTION/SLUG/index.md`
//! with its pictures beside it — plus a short report and the inspection checks' findings
//! on the new page.
//!
//! Two steps, so the editor's 「导入 Word / 公众号文章」 can show what would be written
//! before writing it: [`Target::prepare`] reads and converts (nothing touches the disk),
//! [`Target::write`] creates the page's folder and files. An existing page is never
//! overwritten: a slug already taken gets `-2`, `-3`…; the folder is created new, so a
//! race with another writer fails instead of mixing files. A failed write removes what
//! it wrote.

use crate::checks::Checks;
use crate::config::{SiteConfig, SlugMode};
use crate::convert::doc::{Block, DateFrom, Day, Inline, LeftOut};
use crate::convert::{self, markdown, Document, Kind, SideFiles};
use crate::error::{Diagnostic, Diagnostics, Text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A picture at least this wide may be the page's cover.
const COVER_WIDTH: u32 = 600;

/// Files a saved page's side folder may hold that are read at most: a picture larger
/// than this is no web picture.
const SIDE_FILE_LIMIT: u64 = 64 << 20;

/// A file to import: its name (for messages and the fallback title), what it is, its
/// bytes and, for a saved page, the files saved with it.
pub struct Source {
    pub name: String,
    pub kind: Kind,
    pub bytes: Vec<u8>,
    files: Box<dyn SideFiles + Send + Sync>,
}

impl Source {
    /// Reads `path` from disk; a saved page's pictures are read from its folder as the
    /// page asks for them (only below that folder).
    pub fn open(path: &Path) -> Result<Source, Diagnostic> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let shown = path.display().to_string();
        let kind = Kind::of(&name).ok_or_else(|| unsupported(&shown))?;
        let bytes = std::fs::read(path).map_err(|e| {
            let (en, zh) = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    (format!("{shown} not found"), format!("找不到文件 {shown}"))
                }
                std::io::ErrorKind::PermissionDenied => (
                    format!("{shown} cannot be read: permission denied"),
                    format!("没有权限读取 {shown}"),
                ),
                _ if path.is_dir() => (
                    format!("{shown} is a folder, not a file"),
                    format!("{shown} 是文件夹，不是文件"),
                ),
                _ => (
                    format!("cannot read {shown}: {e}"),
                    format!("无法读取 {shown}：{e}"),
                ),
            };
            Diagnostic::error(en, zh).file(shown.clone()).hint(
                "check the file's name and folder (a name with spaces goes in quotes), or drag the file into the terminal window to type its path",
                "请检查文件名和所在文件夹是否正确（文件名有空格时要加引号），也可以把文件拖进命令行窗口，自动填上它的路径",
            )
        })?;
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(Source {
            name: shown,
            kind,
            bytes,
            files: Box::new(Folder { dir }),
        })
    }

    /// A file a browser sent (the editor): `files` are the other files dropped with it,
    /// by their path relative to it (`文章_files/640.jpeg`).
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        files: BTreeMap<String, Vec<u8>>,
    ) -> Result<Source, Diagnostic> {
        let kind = Kind::of(name).ok_or_else(|| unsupported(name))?;
        Ok(Source {
            name: name.to_string(),
            kind,
            bytes,
            files: Box::new(files),
        })
    }

    /// The file's name without its folder and extension.
    fn stem(&self) -> String {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
    }
}

fn unsupported(file: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{file} cannot be imported: zhanting imports Word documents (.docx) and saved WeChat articles (.html, .mhtml)"),
        format!("{file} 不能导入：展厅可导入 Word 文档（.docx）和保存下来的公众号文章（.html、.mhtml）"),
    )
    .file(file)
    .hint(
        "save the document as .docx in WPS or Word (文件 → 另存为), or save the article from a browser with Ctrl+S",
        "请在 WPS 或 Word 中「文件 → 另存为」.docx，或在浏览器中按 Ctrl+S 保存公众号文章",
    )
}

/// A saved page's folder: references are files below it, never above it, never a web
/// address.
struct Folder {
    dir: PathBuf,
}

impl SideFiles for Folder {
    fn get(&self, reference: &str) -> Option<Vec<u8>> {
        let lower = reference.trim().to_ascii_lowercase();
        if lower.contains("://") || lower.starts_with("//") || lower.starts_with("data:") {
            return None;
        }
        for form in convert::reference_forms(reference) {
            let form = form.split('?').next().unwrap_or("");
            let rel = Path::new(form);
            let safe = !form.is_empty()
                && rel
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !safe {
                continue;
            }
            let path = self.dir.join(rel);
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_file() && meta.len() <= SIDE_FILE_LIMIT {
                if let Ok(bytes) = std::fs::read(&path) {
                    return Some(bytes);
                }
            }
        }
        None
    }
}

/// What an import brings, for the report: 「2 张图片、1 个表格；未导入：文本框 1 个」.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub headings: usize,
    pub pictures: usize,
    pub tables: usize,
    pub lists: usize,
    pub footnotes: usize,
    pub left_out: Vec<(LeftOut, usize)>,
    /// Addresses of pictures that were not saved with the page.
    pub missing: Vec<String>,
}

impl Report {
    /// What the document held, `pictures` of its pictures imported.
    fn of(doc: &Document, pictures: usize) -> Report {
        let (headings, tables, lists) = doc.counts();
        Report {
            headings,
            pictures,
            tables,
            lists,
            footnotes: doc.notes.len(),
            left_out: doc.left_out.iter().map(|(k, v)| (*k, *v)).collect(),
            missing: doc.missing.clone(),
        }
    }

    /// The report's one line.
    pub fn summary(&self) -> Text {
        let mut zh: Vec<String> = Vec::new();
        let mut en: Vec<String> = Vec::new();
        let plural = |n: usize, w: &str| {
            if n == 1 {
                format!("1 {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        for (n, zh_unit, en_word) in [
            (self.headings, "个标题", "heading"),
            (self.pictures, "张图片", "picture"),
            (self.tables, "个表格", "table"),
            (self.lists, "个列表", "list"),
            (self.footnotes, "个脚注", "footnote"),
        ] {
            if n > 0 {
                zh.push(format!("{n} {zh_unit}"));
                en.push(plural(n, en_word));
            }
        }
        let mut zh_line = if zh.is_empty() {
            "正文".to_string()
        } else {
            zh.join("、")
        };
        let mut en_line = if en.is_empty() {
            "text only".to_string()
        } else {
            en.join(", ")
        };
        let mut zh_out: Vec<String> = Vec::new();
        let mut en_out: Vec<String> = Vec::new();
        for (what, n) in &self.left_out {
            let (e, z, unit) = what.names();
            zh_out.push(format!("{z} {n} {unit}"));
            en_out.push(format!("{n} {e}{}", if *n == 1 { "" } else { "(s)" }));
        }
        if !self.missing.is_empty() {
            let n = self.missing.len();
            zh_out.push(format!("未随网页保存的图片 {n} 张"));
            en_out.push(format!("{n} picture(s) not saved with the page"));
        }
        if !zh_out.is_empty() {
            zh_line.push_str("；未导入：");
            zh_line.push_str(&zh_out.join("、"));
            en_line.push_str("; not imported: ");
            en_line.push_str(&en_out.join(", "));
        }
        Text::new(en_line, zh_line)
    }
}

/// A new file of the page: site-relative path and bytes.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// What an import would write, and what it found.
#[derive(Debug, Clone)]
pub struct Import {
    /// The file imported, as the user named it.
    pub source: String,
    /// The page's folder and file (`content/news/qi-yi/`, `…/index.md`), site-relative.
    pub folder: String,
    pub page: String,
    pub slug: String,
    pub title: String,
    pub date: Day,
    /// Where the date came from; `None`: today's.
    pub date_from: Option<DateFrom>,
    /// The cover's file name, beside the page.
    pub cover: Option<String>,
    /// The page's text (front matter and Markdown).
    pub text: String,
    /// Every file to write, the page last.
    pub files: Vec<NewFile>,
    pub report: Report,
    /// The inspection checks' findings on the new page (warnings).
    pub findings: Vec<Diagnostic>,
    /// What the user should know: where the title and date came from, what was left out.
    pub notes: Vec<Diagnostic>,
}

/// The error of a folder without site.yaml, and where to run the import instead.
fn not_a_site(dir: &Path) -> Diagnostic {
    let (en, zh) = if dir == Path::new(".") {
        ("the current folder".to_string(), "当前文件夹".to_string())
    } else {
        (dir.display().to_string(), format!("{} ", dir.display()))
    };
    Diagnostic::error(
        format!("{en} is not a site folder: it has no site.yaml"),
        format!("{zh}不是站点文件夹：其中没有 site.yaml"),
    )
    .hint(
        "run zhanting import in the site's folder, or name it: zhanting import FILE --site SITE-FOLDER",
        "请进入站点文件夹再运行，或用 --site 指明站点文件夹：zhanting import 文件 --site 站点文件夹",
    )
}

/// (folder, title) of each section; the loaded site's when it loads, else the folders
/// under content/.
fn sections(dir: &Path, site: Option<&crate::model::Site>) -> Vec<(String, String)> {
    if let Some(site) = site {
        return site
            .sections
            .iter()
            .map(|s| (s.dir.clone(), s.title.clone()))
            .collect();
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.join("content"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !crate::paths::is_ignored(n))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (format!("content/{n}"), n))
        .collect()
}

/// The folder of the section `section` names (by folder or title), by default the
/// first; or the error listing those there are.
fn chosen_section(
    sections: &[(String, String)],
    section: Option<&str>,
) -> Result<String, Vec<Diagnostic>> {
    let chosen = match section {
        None => sections.first(),
        Some(want) => {
            let want = want.trim().trim_end_matches('/');
            let want = want.strip_prefix("content/").unwrap_or(want);
            sections
                .iter()
                .find(|(d, t)| d.strip_prefix("content/") == Some(want) || t == want)
        }
    };
    if let Some((section_dir, _)) = chosen {
        return Ok(section_dir.clone());
    }
    let list = sections
        .iter()
        .map(|(d, t)| format!("{} ({t})", d.trim_start_matches("content/")))
        .collect::<Vec<_>>()
        .join(", ");
    let list_zh = sections
        .iter()
        .map(|(d, t)| format!("{}（{t}）", d.trim_start_matches("content/")))
        .collect::<Vec<_>>()
        .join("、");
    Err(vec![match section {
        Some(want) if !sections.is_empty() => Diagnostic::error(
            format!("the site has no section `{want}`"),
            format!("站点中没有栏目 `{want}`"),
        )
        .hint(
            format!("name one of its sections with --to: {list}"),
            format!("请用 --to 指定已有的栏目：{list_zh}"),
        ),
        _ => Diagnostic::error(
            "the site has no section to import into",
            "站点中还没有可以导入的栏目",
        )
        .hint(
            "create one: a folder under content/ (content/news/) with an _index.md holding its title",
            "请先新建栏目：在 content/ 下建一个文件夹（如 content/news/），放入写有栏目标题的 _index.md",
        ),
    }])
}

/// The slugs the section's pages, files and folders already take, and its list's
/// `page`.
fn taken_slugs(
    dir: &Path,
    site: Option<&crate::model::Site>,
    section_dir: &str,
) -> BTreeSet<String> {
    let mut taken = BTreeSet::new();
    if let Some(site) = site {
        if let Some(si) = site.sections.iter().position(|s| s.dir == section_dir) {
            for p in site.pages.iter().filter(|p| p.section == Some(si)) {
                taken.insert(p.slug.clone());
            }
        }
    }
    for e in std::fs::read_dir(dir.join(section_dir))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        taken.insert(name.strip_suffix(".md").unwrap_or(&name).to_string());
    }
    // A section's pages are listed at /SECTION/page/N/.
    taken.insert("page".to_string());
    taken
}

/// The site's inspection checks (checks.yaml), its brand's own names allowed.
fn site_checks(dir: &Path, site: Option<&crate::model::Site>) -> Checks {
    let checks_text = std::fs::read_to_string(dir.join(crate::checks::CHECKS_FILE)).ok();
    // The brand's own names pass the wording check, as in `build`.
    let own: Vec<String> = site
        .iter()
        .filter_map(|site| site.brand.as_ref())
        .flat_map(|b| std::iter::once(&b.name).chain(b.pillars.iter().map(|p| &p.name)))
        .cloned()
        .collect();
    Checks::from_file(checks_text.as_deref(), &own, &mut Diagnostics::new())
}

/// The document's pictures as files of the page's folder, named `01.jpg`, `02.png`… in
/// the order they are shown: each picture's name (by its index), the files, and the
/// cover's name. The cover is the first picture of 600 px or more; when it opens the
/// body, the page shows it as the cover and the body starts after it.
fn pictures(doc: &mut Document, folder: &str) -> (Vec<String>, Vec<NewFile>, Option<String>) {
    let order = doc.pictures_in_order();
    let cover = order
        .iter()
        .copied()
        .find(|&i| doc.pictures[i].size.is_some_and(|(w, _)| w >= COVER_WIDTH));
    if let (Some(c), Some(Block::Paragraph(first))) = (cover, doc.blocks.first()) {
        if first.len() == 1 && first[0] == Inline::Picture(c) {
            doc.blocks.remove(0);
        }
    }
    let width = if order.len() >= 100 { 3 } else { 2 };
    let mut names = vec![String::new(); doc.pictures.len()];
    let mut files = Vec::new();
    for (n, &i) in order.iter().enumerate() {
        let p = &doc.pictures[i];
        let name = format!("{:0width$}.{}", n + 1, p.format.extension());
        files.push(NewFile {
            rel: format!("{folder}/{name}"),
            bytes: p.bytes.clone(),
        });
        names[i] = name;
    }
    let cover_name = cover.map(|c| names[c].clone());
    (names, files, cover_name)
}

/// The warning that a saved page's pictures were not saved with it.
fn missing_pictures(doc: &Document, source: &Source) -> Diagnostic {
    let list = doc.missing.join("\n  ");
    Diagnostic::warning(
        format!("{} picture(s) were not saved with the page and were not imported (zhanting fetches nothing from the web):\n  {list}", doc.missing.len()),
        format!("有 {} 张图片没有随网页保存下来，未导入（展厅不会从网上下载）：\n  {list}", doc.missing.len()),
    )
    .file(source.name.clone())
    .hint(
        "save the article again once every picture shows (scroll to its end first), or add the pictures by hand: the page marks where each was",
        "请先把文章滚动到底、等所有图片都显示出来后重新保存，或手动补上图片：页面中已用注释标出每张图片的位置",
    )
}

/// A section of a site that pages are imported into.
pub struct Target {
    dir: PathBuf,
    /// `content/news`.
    section: String,
    slugs: SlugMode,
    /// Slugs that pages, files and folders of the section already take.
    taken: BTreeSet<String>,
    checks: Checks,
}

impl Target {
    /// The site at `dir` and its section `section` (a folder name under `content/`, or
    /// a section's title); by default the site's first section.
    pub fn open(dir: &Path, section: Option<&str>) -> Result<Target, Vec<Diagnostic>> {
        if !dir.join("site.yaml").is_file() {
            return Err(vec![not_a_site(dir)]);
        }
        let config = SiteConfig::from_file(dir)?;
        let opts = crate::BuildOptions {
            drafts: true,
            no_boards: true,
            ..crate::BuildOptions::default()
        };
        let mut diags = Diagnostics::new();
        let loaded = crate::pipeline::Pipeline::check(dir, &opts).load(&mut diags);
        let site = loaded.as_ref().map(|(site, _)| site);
        let sections = sections(dir, site);
        let section_dir = chosen_section(&sections, section)?;
        Ok(Target {
            dir: dir.to_path_buf(),
            slugs: config.slugs,
            taken: taken_slugs(dir, site, &section_dir),
            checks: site_checks(dir, site),
            section: section_dir,
        })
    }

    /// The section's folder, site-relative (`content/news`).
    pub fn section(&self) -> &str {
        &self.section
    }

    /// Reads and converts `source` into what [`Target::write`] writes; `today` dates a
    /// document that has no date. Nothing is written.
    pub fn prepare(&self, source: &Source, today: Day) -> Result<Import, Vec<Diagnostic>> {
        let doc = convert::read(source.kind, &source.bytes, source.files.as_ref())
            .map_err(|e| vec![e.diagnostic(&source.name)])?;
        Ok(self.page(source, doc, today))
    }

    fn page(&self, source: &Source, mut doc: Document, today: Day) -> Import {
        let mut notes = Vec::new();
        let title = match doc.title.take() {
            Some(t) => t,
            None => {
                let stem = source.stem();
                notes.push(Diagnostic::note(
                    format!(
                        "no title found in the document: the file's name 「{stem}」 is the title"
                    ),
                    format!("文档中没有找到标题，用文件名「{stem}」作标题"),
                ));
                stem
            }
        };
        let (date, date_from) = match doc.date {
            Some((d, from)) => (d, Some(from)),
            None => {
                notes.push(Diagnostic::note(
                    format!("no date found in the document: today's date, {today}, is the page's date; change `date:` if it is not right"),
                    format!("文档中没有找到日期，页面日期用了今天（{today}）；如不对，请修改 `date:`"),
                ));
                (today, None)
            }
        };
        let slug = self.free_slug(&title, &source.stem());
        let folder = format!("{}/{slug}", self.section);
        let page = format!("{folder}/index.md");

        let (names, mut files, cover_name) = pictures(&mut doc, &folder);
        // The pictures shown: those given a name (`files` gets the page's own file too).
        let shown = names.iter().filter(|n| !n.is_empty()).count();
        let report = Report::of(&doc, shown);
        let front = markdown::front_matter(
            &title,
            Some(date),
            doc.author.as_deref(),
            cover_name.as_deref(),
        );
        let body = markdown::body(&doc, &names);
        let text = if body.trim().is_empty() {
            front.clone()
        } else {
            format!("{front}\n{body}")
        };
        files.push(NewFile {
            rel: page.clone(),
            bytes: text.clone().into_bytes(),
        });
        if !doc.missing.is_empty() {
            notes.push(missing_pictures(&doc, source));
        }
        let mut findings = Diagnostics::new();
        let body_start = text.find("\n---\n").map_or(0, |i| i + 5);
        self.checks
            .text(&page, &text, Some(body_start), &[], &mut findings);
        Import {
            source: source.name.clone(),
            folder,
            page,
            slug,
            title,
            date,
            date_from,
            cover: cover_name,
            text,
            files,
            report,
            findings: findings.into_vec(),
            notes,
        }
    }

    /// A slug from the title (else the file's name) by the site's slug rule, short
    /// enough for a folder name, and not yet taken in the section.
    fn free_slug(&self, title: &str, stem: &str) -> String {
        let make = |s: &str| shorten(&crate::slug::slugify(s, self.slugs));
        let mut base = make(title);
        if base.is_empty() {
            base = make(stem);
        }
        if base.is_empty() {
            base = make("文章");
        }
        if !self.taken.contains(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|s| !self.taken.contains(s))
            .unwrap_or(base)
    }

    /// Writes an import made by [`Target::prepare`]: a new folder with its pictures and
    /// then its page. Fails, writing nothing, if the folder exists; removes what it
    /// wrote if a write fails.
    pub fn write(&mut self, import: &Import) -> Result<(), Diagnostic> {
        let folder = self.dir.join(&import.folder);
        let failed = |e: std::io::Error| {
            let shown = import.folder.clone();
            Diagnostic::error(
                format!("cannot write {shown}: {e}"),
                format!("无法写入 {shown}：{e}"),
            )
            .file(shown)
            .hint(
                "check the folder's permissions and the disk's free space",
                "请检查文件夹的写入权限和磁盘剩余空间",
            )
        };
        std::fs::create_dir(&folder).map_err(failed)?;
        let mut written = Vec::new();
        for f in &import.files {
            let path = self.dir.join(&f.rel);
            let result = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut file| {
                    written.push(path.clone());
                    std::io::Write::write_all(&mut file, &f.bytes)
                });
            if let Err(e) = result {
                for p in &written {
                    let _ = std::fs::remove_file(p);
                }
                let _ = std::fs::remove_dir(&folder);
                return Err(failed(e));
            }
        }
        self.taken.insert(import.slug.clone());
        Ok(())
    }
}

/// A slug cut to at most 60 bytes, at a `-`.
fn shorten(slug: &str) -> String {
    if slug.len() <= 60 {
        return slug.to_string();
    }
    let mut end = 60;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &slug[..end];
    cut.rfind('-').map_or(cut, |i| &cut[..i]).to_string()
}

/// Today in China (UTC+8), for a document without a date.
pub fn today() -> Day {
    use chrono::Datelike;
    let now = chrono::Utc::now().with_timezone(
        &chrono::FixedOffset::east_opt(8 * 3600)
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("UTC")),
    );
    Day {
        year: now.year(),
        month: now.month(),
        day: now.day(),
    }
}

/// Where the date came from, in words: 「取自正文」.
pub fn date_source(from: Option<DateFrom>) -> Text {
    match from {
        Some(DateFrom::Text) => Text::new("from the date line under the title", "取自标题下的日期"),
        Some(DateFrom::Signature) => Text::new("from the date at the end", "取自文末落款日期"),
        Some(DateFrom::Created) => Text::new("when the document was created", "取自文档的创建日期"),
        Some(DateFrom::Published) => {
            Text::new("when the article was published", "取自文章的发布时间")
        }
        None => Text::new("today: none was found", "文档中没有日期，用了今天"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_line() {
        let r = Report {
            pictures: 2,
            tables: 1,
            left_out: vec![(LeftOut::TextBox, 1)],
            ..Report::default()
        };
        assert_eq!(r.summary().zh, "2 张图片、1 个表格；未导入：文本框 1 个");
        assert_eq!(
            r.summary().en,
            "2 pictures, 1 table; not imported: 1 text box"
        );
    }

    #[test]
    fn long_slugs_are_cut_at_a_dash() {
        let s = "guan-yu-kai-zhan-2024-nian-qi-yi-zhu-ti-dang-ri-huo-dong-de-qing-kuang-bao-gao";
        let cut = shorten(s);
        assert!(cut.len() <= 60 && s.starts_with(&cut) && !cut.ends_with('-'));
        assert_eq!(shorten("qi-yi"), "qi-yi");
    }
}
