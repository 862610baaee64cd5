//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough and task lists;
//! heading ids that work for Chinese headings; links to `.md` sources and to images
//! rewritten to output URLs; a link to a missing file is an error with its line.
//!
//! [`tree`] turns a board's Markdown into plain data instead of HTML; [`text`] holds the
//! plain-text helpers (escaping, the text of HTML, summaries).

pub mod text;
pub mod tree;

use crate::config::SlugMode;
use crate::error::Diagnostic;
use crate::model::{Asset, Picture, Variant, Video};
use crate::paths;
use crate::slug::slugify;
use crate::urls::{is_external, Urls};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use std::sync::Arc;
pub use text::{escape, escape_into, html_to_text, summarize};

/// Where Markdown finds the pictures it shows: the image plan, which gives an image's
/// published sizes from its header, so an image becomes a responsive `<picture>`.
pub trait Pictures: Sync {
    fn picture(&self, source: &str) -> Result<Picture, Diagnostic>;
    /// A video shown with image syntax (`![微党课](chuxin.mp4)`).
    fn video(&self, source: &str) -> Result<Video, Diagnostic>;
}

/// What a Markdown text may link to, and where it is shown.
pub struct LinkContext<'a> {
    /// The site folder, to tell which files exist.
    pub folder: &'a crate::folder::SiteFolder,
    /// Site-relative file the Markdown comes from.
    pub file: &'a str,
    /// The whole text of that file, for showing the offending line.
    pub file_source: &'a str,
    /// Line of the file where the Markdown text starts, minus one.
    pub line_offset: usize,
    /// Site path of the page that shows this content.
    pub page_path: &'a str,
    pub urls: &'a Urls,
    /// Published Markdown sources → site path.
    pub pages: &'a FxHashMap<Arc<str>, Arc<str>>,
    /// Sources that exist but are not published (drafts).
    pub unpublished: &'a FxHashSet<String>,
    pub slugs: SlugMode,
    /// Images become responsive pictures when there is an image plan.
    pub pictures: Option<&'a dyn Pictures>,
}

#[derive(Debug, Clone)]
pub struct Rendered {
    /// Shared: kept by the Markdown cache (`serve`) and by the page.
    pub html: Arc<str>,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Files the content shows or links to, to be published (images processed).
    pub assets: Vec<Asset>,
    /// The pictures the content shows, by source: the HTML holds their file names.
    pub pictures: Vec<(String, Picture)>,
    /// Every link target looked up and what it was found to be: the render is still
    /// good while each resolves the same ([`LinkContext::resolves_as`]).
    pub lookups: Vec<Lookup>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A link target looked up while rendering, and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A page by its Markdown source: its site path when published, and whether it
    /// is a draft.
    Page {
        source: String,
        path: Option<String>,
        draft: bool,
    },
    /// A file of the site: its stamp (size and modification time), none when it does
    /// not exist.
    File {
        source: String,
        stamp: Option<crate::cache::Stamp>,
    },
}

impl LinkContext<'_> {
    fn page(&self, source: &str) -> Lookup {
        Lookup::Page {
            source: source.to_string(),
            path: self.pages.get(source).map(|p| p.to_string()),
            draft: self.unpublished.contains(source),
        }
    }

    fn file(&self, source: &str) -> Lookup {
        Lookup::File {
            source: source.to_string(),
            stamp: self.folder.stamp(source),
        }
    }

    /// Whether `lookup` would find the same now.
    pub fn resolves_as(&self, lookup: &Lookup) -> bool {
        match lookup {
            Lookup::Page {
                source,
                path,
                draft,
            } => {
                self.pages.get(source.as_str()).map(|p| &**p) == path.as_deref()
                    && self.unpublished.contains(source) == *draft
            }
            Lookup::File { source, stamp } => self.folder.stamp(source) == *stamp,
        }
    }
}

/// What a render makes before its HTML is shared.
#[derive(Default)]
struct Out {
    html: String,
    first_paragraph: String,
    assets: Vec<Asset>,
    pictures: Vec<(String, Picture)>,
    /// Videos shown with image syntax, taken by the image being read.
    videos: Vec<Video>,
    lookups: Vec<Lookup>,
    diagnostics: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(markdown: &str, ctx: &LinkContext) -> Rendered {
    let mut w = Writer {
        ctx,
        src: markdown,
        line_starts: std::iter::once(0)
            .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        out: Out::default(),
        events: Vec::new(),
        used_ids: std::collections::HashSet::new(),
        heading: None,
        image: None,
        paragraph_depth: 0,
        first_done: false,
    };
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        w.event(event, range);
    }
    let mut out = w.out;
    out.html.reserve(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, w.events.into_iter());
    Rendered {
        html: out.html.into(),
        first_paragraph: out.first_paragraph,
        assets: out.assets,
        pictures: out.pictures,
        lookups: out.lookups,
        diagnostics: out.diagnostics,
    }
}

/// An image being read: its resolved source, title, alt text so far and picture (or
/// video).
struct PendingImage {
    src: String,
    title: String,
    alt: String,
    picture: Option<Picture>,
    video: Option<Video>,
}

/// The state of one conversion: the events written so far and what is open.
struct Writer<'c, 'e> {
    ctx: &'c LinkContext<'c>,
    src: &'e str,
    line_starts: Vec<usize>,
    out: Out,
    events: Vec<Event<'e>>,
    used_ids: std::collections::HashSet<String>,
    /// A heading being read: its events are kept until its id is known.
    heading: Option<(Vec<Event<'e>>, Tag<'e>)>,
    image: Option<PendingImage>,
    paragraph_depth: usize,
    first_done: bool,
}

impl<'e> Writer<'_, 'e> {
    /// 1-based line (of the file) and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let col = self.src[self.line_starts[line - 1]..offset].chars().count() + 1;
        (line + self.ctx.line_offset, col)
    }

    /// Adds an event where it belongs: the open heading, else the output.
    fn push(&mut self, e: Event<'e>) {
        match &mut self.heading {
            Some((inner, _)) => inner.push(e),
            None => self.events.push(e),
        }
    }

    fn event(&mut self, event: Event<'e>, range: Range<usize>) {
        // Images are written by hand so they always carry alt text and lazy loading.
        if self.image.is_some() {
            return self.image_event(event);
        }
        match event {
            // A task list's box says what it shows to screen readers too (the default
            // `<input>` has no label, which accessibility audits flag).
            Event::TaskListMarker(done) => self.push(Event::InlineHtml(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"已完成\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"未完成\"> "
                }
                .into(),
            )),
            Event::Start(tag @ Tag::Heading { .. }) => self.heading = Some((Vec::new(), tag)),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.start_image(&dest_url, &title, range.start),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let at = self.position(range.start);
                let dest = rewrite(&dest_url, false, at, self.ctx, &mut self.out);
                self.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_depth += 1;
                self.events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                if !self.out.first_paragraph.trim().is_empty() {
                    self.first_done = true;
                }
                self.events.push(Event::End(TagEnd::Paragraph));
            }
            other => {
                if self.paragraph_depth > 0 && !self.first_done {
                    self.summary_text(&other);
                }
                self.push(other);
            }
        }
    }

    /// Keeps the first paragraph's text for the summary.
    fn summary_text(&mut self, e: &Event) {
        let first = &mut self.out.first_paragraph;
        match e {
            Event::Text(t) | Event::Code(t) => first.push_str(t),
            // A line break inside Chinese text is no space; between words it is.
            Event::SoftBreak | Event::HardBreak
                if first.ends_with(|c: char| c.is_ascii_alphanumeric() || c == ',' || c == '.') =>
            {
                first.push(' ');
            }
            _ => {}
        }
    }

    /// Gives the heading an id made from its text (unless it has one), unique on the page.
    fn end_heading(&mut self) {
        let (inner, tag) = self.heading.take().expect("inside a heading");
        let Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } = tag
        else {
            unreachable!("only headings are buffered")
        };
        let id = id.unwrap_or_else(|| {
            let text: String = inner
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            CowStr::from(self.unique_id(&text))
        });
        self.used_ids.insert(id.to_string());
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: Some(id),
            classes,
            attrs,
        }));
        self.events.extend(inner);
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    fn unique_id(&self, text: &str) -> String {
        let base = match slugify(text, self.ctx.slugs) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.used_ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn start_image(&mut self, dest: &str, title: &str, offset: usize) {
        let at = self.position(offset);
        let before = self.out.pictures.len();
        let videos_before = self.out.videos.len();
        let src = rewrite(dest, true, at, self.ctx, &mut self.out);
        let picture =
            (self.out.pictures.len() > before).then(|| self.out.pictures[before].1.clone());
        let video = self.out.videos.drain(videos_before..).next();
        self.image = Some(PendingImage {
            src,
            title: title.to_string(),
            alt: String::new(),
            picture,
            video,
        });
    }

    fn image_event(&mut self, event: Event<'e>) {
        let image = self.image.as_mut().expect("inside an image");
        match event {
            Event::Text(t) | Event::Code(t) => image.alt.push_str(&t),
            Event::End(TagEnd::Image) => {
                let image = self.image.take().expect("inside an image");
                let html = image_html(&image, self.ctx);
                self.push(Event::InlineHtml(html.into()));
            }
            _ => {}
        }
    }
}

/// `<img>` (or `<picture>` for a processed image) with alt text and lazy loading; a
/// `<video>` for a video.
fn image_html(image: &PendingImage, ctx: &LinkContext) -> String {
    let alt = alt_or(&image.alt, &image.src);
    if let Some(v) = &image.video {
        return video_html(v, alt, ctx);
    }
    let mut html = match &image.picture {
        Some(p) => picture_html(p, alt, ctx),
        None => format!(
            "<img src=\"{}\" alt=\"{}\"",
            escape(&image.src),
            escape(alt)
        ),
    };
    if !image.title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape(&image.title)));
    }
    html.push_str(" loading=\"lazy\">");
    if image.picture.is_some() {
        html.push_str("</picture>");
    }
    html
}

fn alt_or<'a>(alt: &'a str, src: &'a str) -> &'a str {
    if alt.trim().is_empty() {
        // Better than nothing: the file name without its folder and extension.
        let name = src.rsplit('/').next().unwrap_or(src);
        name.rsplit_once('.').map(|(n, _)| n).unwrap_or(name)
    } else {
        alt
    }
}

/// Resolves a link or image target written in the Markdown. Errors are recorded and the
/// target is returned unchanged.
fn rewrite(
    target: &str,
    is_image: bool,
    (line, col): (usize, usize),
    ctx: &LinkContext,
    out: &mut Out,
) -> String {
    if target.is_empty() || target.starts_with('#') || is_external(target) {
        return target.to_string();
    }
    let (path_part, fragment) = match target.find(['#', '?']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    let decoded = percent_encoding::percent_decode_str(path_part)
        .decode_utf8_lossy()
        .to_string();
    let is_md = decoded.ends_with(".md");
    if decoded.starts_with('/') && !is_md {
        // A site path such as /news/ or /about/: kept, under the base path.
        return ctx.urls.link(ctx.page_path, target);
    }
    let locate = |d: Diagnostic| d.file(ctx.file).at(ctx.file_source, line, col);
    let Some(source) = paths::join(paths::parent(ctx.file), &decoded) else {
        out.diagnostics.push(
            locate(Diagnostic::error(
                format!("link `{target}` points outside the site folder"),
                format!("链接 `{target}` 指向了站点目录之外"),
            ))
            .hint(
                "copy the file into the site folder (for example static/) and link to that copy",
                "请把文件复制到站点目录内（例如 static/），再链接到它",
            ),
        );
        return target.to_string();
    };
    let resolved = if is_md {
        out.lookups.push(ctx.page(&source));
        page_link(target, &source, fragment, ctx)
    } else {
        out.lookups.push(ctx.file(&source));
        if is_image
            && !paths::is_image(&source)
            && !is_web_picture(&source)
            && !paths::is_video(&source)
        {
            out.diagnostics.push(
                locate(Diagnostic::warning(
                    format!("`{target}` is shown as an image but is not one: browsers will show a broken picture"),
                    format!("`{target}` 被当作图片插入，但它不是图片：浏览器会显示为破图"),
                ))
                .hint(
                    "link to it instead: [title](file) without the `!`; images are JPEG, PNG, WebP, HEIC, GIF or SVG",
                    "请改成普通链接：[标题](文件)，去掉前面的 `!`；图片须为 JPEG、PNG、WebP、HEIC、GIF 或 SVG",
                ),
            );
        }
        file_link(target, &source, fragment, is_image, ctx, out)
    };
    resolved.unwrap_or_else(|d| {
        out.diagnostics.push(locate(d));
        target.to_string()
    })
}

/// Pictures browsers show as they are, which the image pipeline leaves alone.
fn is_web_picture(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".gif") || lower.ends_with(".svg") || lower.ends_with(".avif")
}

/// A link to another page by its Markdown source.
fn page_link(
    target: &str,
    source: &str,
    fragment: &str,
    ctx: &LinkContext,
) -> Result<String, Diagnostic> {
    if let Some(path) = ctx.pages.get(source) {
        return Ok(ctx.urls.link(ctx.page_path, &format!("{path}{fragment}")));
    }
    let (en, zh) = if ctx.unpublished.contains(source) {
        (
            format!("link to a draft page `{target}`"),
            format!("链接指向了草稿页面 `{target}`"),
        )
    } else {
        (
            format!("link to a missing page `{target}`"),
            format!("链接指向的页面 `{target}` 不存在"),
        )
    };
    Err(Diagnostic::error(en, zh).hint(
        format!("links use the Markdown file's path relative to this file; no page was found at {source}"),
        format!("链接应写 Markdown 源文件相对于本文件的路径；在 {source} 没有找到页面"),
    ))
}

/// A link to (or an image of) a file of the site: published under `/media/`, or
/// processed when it is a picture.
fn file_link(
    target: &str,
    source: &str,
    fragment: &str,
    is_image: bool,
    ctx: &LinkContext,
    out: &mut Out,
) -> Result<String, Diagnostic> {
    if !ctx.folder.is_file(source) {
        let (en, zh) = if is_image {
            (
                format!("image `{target}` not found"),
                format!("图片 `{target}` 不存在"),
            )
        } else {
            (
                format!("link to a missing file `{target}`"),
                format!("链接指向的文件 `{target}` 不存在"),
            )
        };
        return Err(Diagnostic::error(en, zh).hint(
            format!("paths are relative to this file; no file was found at {source}"),
            format!("路径相对于本文件；在 {source} 没有找到文件"),
        ));
    }
    let asset = Asset::of(source);
    if let Some(pictures) = ctx.pictures.filter(|_| paths::is_video(source) && is_image) {
        // A video: published under its content's hash, with its captions; its frame is
        // planned with the pictures.
        let video = pictures.video(source)?;
        out.assets.push(Asset {
            source: source.to_string(),
            path: video.path.clone(),
        });
        if let Some(c) = &video.captions_source {
            out.assets.push(Asset::of(c));
        }
        let link = ctx.urls.link(ctx.page_path, &video.path);
        out.videos.push(video);
        return Ok(link);
    }
    let shown = match ctx.pictures {
        // An image: published processed; a link to it goes to its largest size.
        Some(pictures) if paths::is_image(source) && !source.starts_with("static/") => {
            // Its error is located at the image by the caller.
            let picture = pictures.picture(source)?;
            let largest = picture.largest().fallback.clone();
            out.pictures.push((source.to_string(), picture));
            largest
        }
        _ => asset.path.clone(),
    };
    out.assets.push(asset);
    Ok(ctx.urls.link(ctx.page_path, &format!("{shown}{fragment}")))
}

/// A video in running text: `<video>` that loads nothing until played, its poster, its
/// captions, and under it what the image syntax's text says with the duration. Phrasing
/// content only, as it stands inside a paragraph.
fn video_html(v: &Video, alt: &str, ctx: &LinkContext) -> String {
    let link = |path: &str| escape(&ctx.urls.link(ctx.page_path, path));
    let mut html = String::from("<span class=\"video-figure\"><span class=\"video-frame");
    if v.poster.is_none() {
        html.push_str(" no-poster");
    }
    html.push_str("\"><video controls preload=\"none\" playsinline");
    if let Some(p) = &v.poster {
        html.push_str(&format!(" poster=\"{}\"", link(&p.largest().fallback)));
    }
    if let (Some(w), Some(h)) = (v.width, v.height) {
        html.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    html.push_str(&format!(
        " aria-label=\"{}\"><source src=\"{}\" type=\"{}\">",
        escape(alt),
        link(&v.path),
        v.mime
    ));
    if let Some(c) = &v.captions {
        html.push_str(&format!(
            "<track kind=\"captions\" srclang=\"zh\" label=\"中文字幕\" src=\"{}\" default>",
            link(c)
        ));
    }
    html.push_str(&format!(
        "<a href=\"{}\">{}</a></video></span><span class=\"video-caption\">{}",
        link(&v.path),
        escape(alt),
        escape(alt)
    ));
    if let Some(d) = &v.duration {
        html.push_str(&format!(" <span class=\"video-duration\">{d}</span>"));
    }
    html.push_str("</span></span>");
    html
}

/// `<picture><source …><img …` (left open for the caller's attributes) for a processed
/// image in Markdown.
fn picture_html(p: &Picture, alt: &str, ctx: &LinkContext) -> String {
    let link = |path: &str| ctx.urls.link(ctx.page_path, path);
    let set = |pick: &dyn Fn(&Variant) -> Option<String>| {
        p.variants
            .iter()
            .filter_map(|v| pick(v).map(|u| format!("{} {}w", link(&u), v.width)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sizes = "(min-width: 860px) 780px, 100vw";
    let mut html = String::from("<picture>");
    let webp = set(&|v| v.webp.clone());
    if !webp.is_empty() {
        html.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            escape(&webp)
        ));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\"",
        escape(&link(&p.largest().fallback)),
        escape(&set(&|v| Some(v.fallback.clone()))),
        p.width,
        p.height,
        escape(alt)
    ));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(
        pages: &'a FxHashMap<Arc<str>, Arc<str>>,
        none: &'a FxHashSet<String>,
        urls: &'a Urls,
        src: &'a str,
    ) -> LinkContext<'a> {
        static NOWHERE: std::sync::OnceLock<crate::folder::SiteFolder> = std::sync::OnceLock::new();
        LinkContext {
            folder: NOWHERE.get_or_init(|| {
                crate::folder::SiteFolder::disk(std::path::Path::new("/nonexistent-site"))
            }),
            file: "content/news/a.md",
            file_source: src,
            line_offset: 0,
            page_path: "/news/a/",
            urls,
            pages,
            unpublished: none,
            slugs: SlugMode::Pinyin,
            pictures: None,
        }
    }

    #[test]
    fn chinese_headings_get_ids_and_links_are_rewritten() {
        let mut pages = FxHashMap::default();
        pages.insert(
            Arc::from("content/lectures/first.md"),
            Arc::from("/lectures/first/"),
        );
        let none = FxHashSet::default();
        let urls = Urls::new("https://h/b/", false);
        let md = "## 学习研讨\n\n## 学习研讨\n\n见[第一课](../lectures/first.md#x)。\n";
        let r = render(md, &ctx(&pages, &none, &urls, md));
        assert!(
            r.html.contains("<h2 id=\"xue-xi-yan-tao\">学习研讨</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"xue-xi-yan-tao-1\""));
        assert!(r.html.contains("href=\"/b/lectures/first/#x\""));
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn missing_page_is_an_error_with_its_line() {
        let pages = FxHashMap::default();
        let none = FxHashSet::default();
        let urls = Urls::new("https://h/", false);
        let md = "第一段。\n\n再见[这里](gone.md)。\n";
        let r = render(md, &ctx(&pages, &none, &urls, md));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, Some(3));
        assert_eq!(r.diagnostics[0].column, Some(3));
        assert_eq!(r.first_paragraph, "第一段。");
    }

    #[test]
    fn summaries_cut_on_sentences_or_characters() {
        assert_eq!(summarize("短。", 10), "短。");
        assert_eq!(
            summarize("一二三四五。六七八九十一二三", 10),
            "一二三四五。"
        );
        assert_eq!(
            summarize("一二三四五六七八九十一二三", 10),
            "一二三四五六七八九十…"
        );
    }
}
