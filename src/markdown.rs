//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough and task lists;
//! heading ids that work for Chinese headings; links to `.md` sources and to images
//! rewritten to output URLs; a link to a missing file is an error with its line.

use crate::config::SlugMode;
use crate::error::Diagnostic;
use crate::load::paths;
use crate::model::Asset;
use crate::slug::slugify;
use crate::urls::{is_external, Urls};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What a Markdown text may link to, and where it is shown.
pub struct LinkContext<'a> {
    pub site_root: &'a Path,
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
    pub pages: &'a HashMap<String, String>,
    /// Sources that exist but are not published (drafts).
    pub unpublished: &'a HashSet<String>,
    pub slugs: SlugMode,
    /// Image settings and source hashes: images become responsive pictures.
    pub images: Option<(&'a crate::config::Images, &'a crate::images::HashMemo)>,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    /// Files the content shows or links to, to be published (images processed).
    pub assets: Vec<Asset>,
    /// The pictures the content shows, by source: the HTML holds their file names.
    pub pictures: Vec<(String, crate::images::Picture)>,
    pub diagnostics: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(markdown: &str, ctx: &LinkContext) -> Rendered {
    let mut out = Rendered::default();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let position = |offset: usize| {
        let line = line_starts.partition_point(|&s| s <= offset);
        let col = markdown[line_starts[line - 1]..offset].chars().count() + 1;
        (line + ctx.line_offset, col)
    };

    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut heading: Option<(Vec<Event>, Tag)> = None;
    // src, title, alt, picture
    let mut image: Option<(String, String, String, Option<crate::images::Picture>)> = None;
    let mut paragraph_depth = 0usize;
    let mut first_done = false;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        // Images are written by hand so they always carry alt text and lazy loading.
        if let Some((_, _, alt, _)) = image.as_mut() {
            match &event {
                Event::End(TagEnd::Image) => {
                    let (src, title, alt, picture) = image.take().expect("inside an image");
                    let alt = alt_or(&alt, &src);
                    let mut html = match &picture {
                        Some(p) => picture_html(p, alt, ctx),
                        None => format!("<img src=\"{}\" alt=\"{}\"", escape(&src), escape(alt)),
                    };
                    if !title.is_empty() {
                        html.push_str(&format!(" title=\"{}\"", escape(&title)));
                    }
                    html.push_str(" loading=\"lazy\">");
                    if picture.is_some() {
                        html.push_str("</picture>");
                    }
                    push(&mut events, &mut heading, Event::InlineHtml(html.into()));
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((
                    Vec::new(),
                    Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    },
                ));
            }
            Event::End(TagEnd::Heading(level)) => {
                let (inner, tag) = heading.take().expect("inside a heading");
                let Tag::Heading {
                    id, classes, attrs, ..
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
                    let base = match slugify(&text, ctx.slugs) {
                        s if s.is_empty() => "section".to_string(),
                        s => s,
                    };
                    let mut id = base.clone();
                    let mut n = 1;
                    while used_ids.contains(&id) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    CowStr::from(id)
                });
                used_ids.insert(id.to_string());
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id),
                    classes,
                    attrs,
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let pictures_before = out.pictures.len();
                let src = rewrite(&dest_url, true, position(range.start), ctx, &mut out);
                let picture = (out.pictures.len() > pictures_before)
                    .then(|| out.pictures[pictures_before].1.clone());
                image = Some((src, title.to_string(), String::new(), picture));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite(&dest_url, false, position(range.start), ctx, &mut out);
                push(
                    &mut events,
                    &mut heading,
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }),
                );
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_depth += 1;
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                paragraph_depth = paragraph_depth.saturating_sub(1);
                if !out.first_paragraph.trim().is_empty() {
                    first_done = true;
                }
                events.push(Event::End(TagEnd::Paragraph));
            }
            other => {
                if paragraph_depth > 0 && !first_done {
                    match &other {
                        Event::Text(t) | Event::Code(t) => out.first_paragraph.push_str(t),
                        // A line break inside Chinese text is no space; between words it is.
                        Event::SoftBreak | Event::HardBreak
                            if out.first_paragraph.ends_with(|c: char| {
                                c.is_ascii_alphanumeric() || c == ',' || c == '.'
                            }) =>
                        {
                            out.first_paragraph.push(' ');
                        }
                        _ => {}
                    }
                }
                push(&mut events, &mut heading, other);
            }
        }
    }
    out.html.reserve(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

fn push<'a>(
    events: &mut Vec<Event<'a>>,
    heading: &mut Option<(Vec<Event<'a>>, Tag<'a>)>,
    e: Event<'a>,
) {
    match heading {
        Some((inner, _)) => inner.push(e),
        None => events.push(e),
    }
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
    out: &mut Rendered,
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
    if is_md {
        if let Some(path) = ctx.pages.get(&source) {
            return ctx.urls.link(ctx.page_path, &format!("{path}{fragment}"));
        }
        let (en, zh) = if ctx.unpublished.contains(&source) {
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
        out.diagnostics.push(locate(Diagnostic::error(en, zh)).hint(
            format!("links use the Markdown file's path relative to this file; no page was found at {source}"),
            format!("链接应写 Markdown 源文件相对于本文件的路径；在 {source} 没有找到页面"),
        ));
        return target.to_string();
    }
    if !ctx.site_root.join(&source).is_file() {
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
        out.diagnostics.push(locate(Diagnostic::error(en, zh)).hint(
            format!("paths are relative to this file; no file was found at {source}"),
            format!("路径相对于本文件；在 {source} 没有找到文件"),
        ));
        return target.to_string();
    }
    let asset = paths::asset(&source);
    if let (Some((settings, memo)), true) = (
        ctx.images,
        crate::load::albums::is_image(&source) && !source.starts_with("static/"),
    ) {
        // An image: published processed; a link to it goes to its largest size.
        match crate::images::picture(ctx.site_root, &source, settings, memo) {
            Ok(picture) => {
                let link = ctx.urls.link(
                    ctx.page_path,
                    &format!("{}{fragment}", picture.largest().fallback),
                );
                out.pictures.push((source.clone(), picture));
                out.assets.push(asset);
                return link;
            }
            Err(d) => {
                out.diagnostics.push(
                    Diagnostic {
                        file: Some(ctx.file.to_string()),
                        ..d
                    }
                    .at(ctx.file_source, line, col),
                );
                return target.to_string();
            }
        }
    }
    let link = ctx
        .urls
        .link(ctx.page_path, &format!("{}{fragment}", asset.path));
    out.assets.push(asset);
    link
}

/// `<picture><source …><img …` (left open for the caller's attributes) for a processed
/// image in Markdown.
fn picture_html(p: &crate::images::Picture, alt: &str, ctx: &LinkContext) -> String {
    let link = |path: &str| ctx.urls.link(ctx.page_path, path);
    let set = |pick: &dyn Fn(&crate::images::Variant) -> Option<String>| {
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

/// Escapes text for an HTML attribute or body.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cuts plain text to at most `max` characters, preferring the end of a sentence, and
/// marks a cut with `…`.
pub fn summarize(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let sentence_end = cut
        .char_indices()
        .filter(|(_, c)| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';'))
        .map(|(i, c)| i + c.len_utf8())
        .rfind(|&i| cut[..i].chars().count() >= max / 3);
    match sentence_end {
        Some(i) => cut[..i].to_string(),
        None => format!("{}…", cut.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(
        pages: &'a HashMap<String, String>,
        none: &'a HashSet<String>,
        urls: &'a Urls,
        src: &'a str,
    ) -> LinkContext<'a> {
        LinkContext {
            site_root: Path::new("/nonexistent-site"),
            file: "content/news/a.md",
            file_source: src,
            line_offset: 0,
            page_path: "/news/a/",
            urls,
            pages,
            unpublished: none,
            slugs: SlugMode::Pinyin,
            images: None,
        }
    }

    #[test]
    fn chinese_headings_get_ids_and_links_are_rewritten() {
        let mut pages = HashMap::new();
        pages.insert(
            "content/lectures/first.md".to_string(),
            "/lectures/first/".to_string(),
        );
        let none = HashSet::new();
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
        let pages = HashMap::new();
        let none = HashSet::new();
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
