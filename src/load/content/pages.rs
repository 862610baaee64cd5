//! Each page's draft — its place, path, date, tags, pillar, cover: everything but its
//! content — made from its front matter, and the site paths the pages claim.

use super::file::{FrontMatter, SourceFile, SUMMARY_CHARS};
use super::sections::Found;
use super::{check_file_ref, date_error};
use crate::cache::fingerprint;
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::markdown;
use crate::model::{Album, Date, Page, PageVideo, SortBy};
use crate::slug::slugify;
use crate::urls::routes;
use crate::yaml;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// What makes a [`Page`] of a page file's front matter.
pub(super) struct PageBuilder<'a> {
    pub folder: &'a SiteFolder,
    pub config: &'a SiteConfig,
    pub sections: &'a [Found],
    pub pillars: Option<&'a [(String, String)]>,
    pub albums: &'a [Album],
}

impl PageBuilder<'_> {
    /// A fingerprint of what a draft depends on besides its file: the sections, the
    /// pillars, the albums, the slug rule.
    pub fn context(&self) -> u64 {
        fingerprint(&(
            self.sections
                .iter()
                .map(|(name, s, _)| (name, &s.path, &s.title, s.sort_by == SortBy::Date))
                .collect::<Vec<_>>(),
            self.pillars,
            self.albums.iter().map(|a| &a.name).collect::<Vec<_>>(),
            self.config.slugs == crate::config::SlugMode::Pinyin,
        ))
    }

    /// The page's draft (everything but its content), or `None` (with its errors in
    /// `diags`) when its front matter is wrong. Its path is claimed in `routes`.
    pub fn draft(
        &self,
        raw: &SourceFile<FrontMatter>,
        routes: &mut Routes,
        diags: &mut Diagnostics,
    ) -> Option<Page> {
        let mark = diags.len();
        let (rel, text) = (raw.rel.as_str(), &*raw.text);
        let parts: Vec<&str> = rel.split('/').collect();
        let section = (parts.len() > 2)
            .then(|| {
                self.sections
                    .iter()
                    .position(|(name, _, _)| name == parts[1])
            })
            .flatten();
        let date = self.date(raw, section, diags);
        let slug = self.slug(raw, &parts, diags);
        let path = match section {
            Some(si) => format!("{}{slug}/", self.sections[si].1.path),
            None => format!("/{slug}/"),
        };
        let pillar = self.pillar(raw, diags);
        self.check_album(raw, diags);
        let cover = raw.matter.cover.as_deref().and_then(|c| {
            check_file_ref(self.folder, rel, text, "cover", c, diags)
                .map(|r| crate::model::Asset::of(&r))
        });
        let video = self.video(raw, diags);
        let (tags, tag_slugs) = self.tags(raw, diags);
        let failed = diags.errors_since(mark);
        // A page whose path is taken stays in the link table (its error is enough).
        let (path, source): (Arc<str>, Arc<str>) = (path.into(), rel.into());
        routes.claim(&path, &source, Some(text), diags);
        if failed {
            return None;
        }
        let fm = &raw.matter;
        Some(Page {
            id: 0,
            source,
            section,
            slug,
            path,
            title: fm.title.clone(),
            date,
            summary: fm.summary.clone().unwrap_or_default(),
            author: fm.author.clone().filter(|a| !a.trim().is_empty()),
            tags,
            tag_slugs,
            pillar,
            cover,
            video,
            album: fm.album.clone(),
            draft: fm.draft,
            weight: fm.weight,
            template: fm.template.clone(),
            text: raw.text.clone(),
            body_start: raw.body_start,
            content: Arc::from(""),
            content_key: 0,
        })
    }

    /// The page's `video:` and its `poster:`, `captions:` and `duration:`, checked as
    /// far as the front matter goes (the files exist, the duration reads).
    fn video(&self, raw: &SourceFile<FrontMatter>, diags: &mut Diagnostics) -> Option<PageVideo> {
        let (rel, text) = (raw.rel.as_str(), &*raw.text);
        let fm = &raw.matter;
        let Some(written) = fm.video.as_deref() else {
            keys_without_video(raw, diags);
            return None;
        };
        let at = yaml::find_value(text, "video", written)
            .or_else(|| yaml::find_key(text, "video", 1))
            .unwrap_or((1, 1));
        let line = text
            .lines()
            .nth(at.0.saturating_sub(1))
            .unwrap_or("")
            .to_string();
        let source = check_file_ref(self.folder, rel, text, "video", written, diags)?;
        if !crate::paths::is_video(&source) {
            diags.push(
                Diagnostic::error(
                    format!("video: `{written}` is not an MP4, M4V or WebM file"),
                    format!("video：`{written}` 不是 MP4、M4V 或 WebM 视频文件"),
                )
                .file(rel)
                .at(text, at.0, at.1)
                .hint(
                    "convert it to MP4: `ffmpeg -i IN -c:v libx264 -crf 28 -preset slow -movflags +faststart OUT.mp4`",
                    "请转换为 MP4：`ffmpeg -i 原视频 -c:v libx264 -crf 28 -preset slow -movflags +faststart 新视频.mp4`",
                ),
            );
            return None;
        }
        let poster = fm
            .poster
            .as_deref()
            .and_then(|p| check_file_ref(self.folder, rel, text, "poster", p, diags));
        let captions = fm
            .captions
            .as_deref()
            .and_then(|c| check_file_ref(self.folder, rel, text, "captions", c, diags));
        let duration = fm.duration.as_ref().and_then(|n| duration(n, raw, diags));
        Some(PageVideo {
            source,
            poster,
            captions,
            duration,
            at: (at.0, at.1, line),
        })
    }

    /// The page's date; a page of a section sorted by date must have one.
    fn date(
        &self,
        raw: &SourceFile<FrontMatter>,
        section: Option<usize>,
        diags: &mut Diagnostics,
    ) -> Option<Date> {
        let (rel, text) = (&raw.rel, &raw.text);
        let Some(written) = raw.matter.date.as_deref() else {
            let s = &self.sections[section?].1;
            if s.sort_by == SortBy::Date {
                diags.push(
                    Diagnostic::error(
                        format!("page has no date, but section `{}` is sorted by date", s.title),
                        format!("页面缺少日期，而栏目“{}”按日期排序", s.title),
                    )
                    .file(rel.clone())
                    .at_opt(text, yaml::find_key(text, "title", 1))
                    .hint(
                        format!("add `date: YYYY-MM-DD` to the front matter, or set `sort_by: weight` in {}/_index.md", s.dir),
                        format!("请在头部信息中添加 `date: YYYY-MM-DD`，或在 {}/_index.md 中设置 `sort_by: weight`", s.dir),
                    ),
                );
            }
            return None;
        };
        match Date::parse(written) {
            Ok(d) => Some(d),
            Err(e) => {
                diags.push(date_error(rel, text, "date", written, e));
                None
            }
        }
    }

    /// `slug:` when given, else made from the file name (the folder's for `x/index.md`).
    fn slug(
        &self,
        raw: &SourceFile<FrontMatter>,
        parts: &[&str],
        diags: &mut Diagnostics,
    ) -> String {
        let (rel, text) = (&raw.rel, &raw.text);
        if let Some(s) = &raw.matter.slug {
            let s = s.trim();
            if s.is_empty() || s == "." || s == ".." || s.contains(['/', '\\', '?', '#', '%', ' '])
            {
                diags.push(
                    Diagnostic::error(
                        format!("slug `{s}` cannot be used in a URL"),
                        format!("slug `{s}` 不能用作网址"),
                    )
                    .file(rel.clone())
                    .at_opt(text, yaml::find_key(text, "slug", 1))
                    .hint(
                        "use letters, digits and dashes, e.g. slug: qiyi-zhutidangri",
                        "请只用字母、数字和短横线，例如 slug: qiyi-zhutidangri",
                    ),
                );
            }
            return s.to_string();
        }
        let name = parts.last().expect("a file name").trim_end_matches(".md");
        let name = if name == "index" && parts.len() > 3 {
            parts[parts.len() - 2]
        } else {
            name
        };
        let s = slugify(name, self.config.slugs);
        if s.is_empty() {
            diags.push(
                Diagnostic::error(
                    format!("no slug can be made from the file name `{name}`"),
                    format!("无法从文件名 `{name}` 生成网址"),
                )
                .file(rel.clone())
                .hint(
                    "rename the file, or add `slug: …` to the front matter",
                    "请重命名文件，或在头部信息中添加 `slug: …`",
                ),
            );
        }
        s
    }

    /// The index of the pillar named by `pillar:` (by name or key). When brand.yaml
    /// itself is broken its error is reported, not one per page.
    fn pillar(&self, raw: &SourceFile<FrontMatter>, diags: &mut Diagnostics) -> Option<usize> {
        let want = raw.matter.pillar.as_deref()?;
        let pillars = self.pillars?;
        let found = pillars
            .iter()
            .position(|(name, key)| name == want || key == want);
        if found.is_none() {
            let known: Vec<&str> = pillars.iter().map(|(n, _)| n.as_str()).collect();
            let (en_known, zh_known) = if known.is_empty() {
                (
                    "brand.yaml lists no pillars".to_string(),
                    "brand.yaml 中没有载体".to_string(),
                )
            } else {
                (
                    format!("the pillars are: {}", known.join(", ")),
                    format!("已有的载体：{}", known.join("、")),
                )
            };
            diags.push(
                Diagnostic::error(
                    format!("unknown pillar `{want}`"),
                    format!("未知的载体 `{want}`"),
                )
                .file(raw.rel.clone())
                .at_opt(&raw.text, yaml::find_value(&raw.text, "pillar", want))
                .hint(
                    format!("name a pillar of brand.yaml by name or key; {en_known}"),
                    format!("请填写 brand.yaml 中载体的名称或 key；{zh_known}"),
                ),
            );
        }
        found
    }

    fn check_album(&self, raw: &SourceFile<FrontMatter>, diags: &mut Diagnostics) {
        let Some(album) = &raw.matter.album else {
            return;
        };
        if self.albums.iter().any(|a| &a.name == album) {
            return;
        }
        let known: Vec<&str> = self.albums.iter().map(|a| a.name.as_str()).collect();
        diags.push(
            Diagnostic::error(
                format!("unknown album `{album}`"),
                format!("未知的相册 `{album}`"),
            )
            .file(raw.rel.clone())
            .at_opt(&raw.text, yaml::find_value(&raw.text, "album", album))
            .hint(
                format!(
                    "name a folder under albums/ that has album.yaml; albums: {}",
                    list_or_none(&known)
                ),
                format!(
                    "请填写 albums/ 下含 album.yaml 的目录名；已有相册：{}",
                    list_or_none(&known)
                ),
            ),
        );
    }

    /// The page's tags, each once, with their slugs.
    fn tags(
        &self,
        raw: &SourceFile<FrontMatter>,
        diags: &mut Diagnostics,
    ) -> (Vec<String>, Vec<String>) {
        let mut tags: Vec<String> = Vec::new();
        let mut slugs: Vec<String> = Vec::new();
        for t in &raw.matter.tags {
            let t = t.trim();
            let slug = slugify(t, self.config.slugs);
            if slug.is_empty() {
                diags.push(
                    Diagnostic::error(
                        format!("tag `{t}` is empty or has no letters"),
                        format!("标签 `{t}` 为空或不含文字"),
                    )
                    .file(raw.rel.clone())
                    .at_opt(&raw.text, yaml::find_key(&raw.text, "tags", 1))
                    .hint("remove it from tags:", "请把它从 tags 中删去"),
                );
            } else if !tags.iter().any(|x| x == t) {
                tags.push(t.to_string());
                slugs.push(slug);
            }
        }
        (tags, slugs)
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}

/// The site paths taken so far, each by its source: a second claim is an error naming
/// both.
#[derive(Clone)]
pub(super) struct Routes(FxHashMap<Arc<str>, Arc<str>>);

impl Routes {
    /// The paths zhanting generates itself, and each pillar's page.
    /// Room is made for `pages` more.
    pub(super) fn reserved(pillars: Option<&[(String, String)]>, pages: usize) -> Routes {
        let mut taken: FxHashMap<Arc<str>, Arc<str>> =
            FxHashMap::with_capacity_and_hasher(pages + 64, Default::default());
        taken.extend(
            routes::RESERVED
                .iter()
                .map(|(path, what)| (Arc::from(*path), Arc::from(*what))),
        );
        for (key, _) in pillars.unwrap_or_default() {
            taken.insert(
                routes::pillar(key).into(),
                format!("the pillar page {key} (brand.yaml)").into(),
            );
        }
        Routes(taken)
    }

    /// Records that `source` produces `path`.
    pub(super) fn claim(
        &mut self,
        path: &Arc<str>,
        source: &Arc<str>,
        text: Option<&str>,
        diags: &mut Diagnostics,
    ) {
        let file = &**source;
        if let Some(other) = self.0.get(path) {
            let mut d = Diagnostic::error(
                format!("{source} and {other} would both be written to {path}"),
                format!("{source} 与 {other} 会生成同一个网址 {path}"),
            )
            .file(file)
            .hint(
                "rename one of the files, or give one of them a different `slug:` in its front matter",
                "请重命名其中一个文件，或在其头部信息中设置不同的 `slug:`",
            );
            if let Some(text) = text {
                d = d.at_opt(text, yaml::find_key(text, "slug", 1).or(Some((1, 1))));
            }
            diags.push(d);
            return;
        }
        self.0.insert(path.clone(), source.clone());
    }

    /// Claims `path` for `source` when it is free; whether it was.
    pub(super) fn claim_free(&mut self, path: &Arc<str>, source: &Arc<str>) -> bool {
        match self.0.entry(path.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(source.clone());
                true
            }
        }
    }

    /// Frees `path`.
    pub(super) fn give_up(&mut self, path: &str) {
        self.0.remove(path);
    }
}

/// A page made unique by an id, for views keyed by it.
static NEXT_PAGE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The draft with its rendered Markdown: content, summary, a new id, and (`keyed`,
/// for `serve`) the fingerprint of its content. The draft is taken when nothing else
/// holds it (a build), else copied.
pub(super) fn finished(draft: Arc<Page>, r: &markdown::Rendered, keyed: bool) -> Page {
    let mut page = Arc::try_unwrap(draft).unwrap_or_else(|shared| (*shared).clone());
    page.id = NEXT_PAGE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if page.summary.trim().is_empty() {
        page.summary = markdown::summarize(&r.first_paragraph, SUMMARY_CHARS);
    }
    page.content = r.html.clone();
    if keyed {
        page.content_key = fingerprint(&*page.content);
    }
    page
}

/// The errors for `poster:` or `captions:` on a page without `video:`.
fn keys_without_video(raw: &SourceFile<FrontMatter>, diags: &mut Diagnostics) {
    let (rel, text) = (raw.rel.as_str(), &*raw.text);
    let fm = &raw.matter;
    for (key, value) in [("poster", &fm.poster), ("captions", &fm.captions)] {
        if value.is_some() {
            diags.push(
                Diagnostic::error(
                    format!("`{key}:` without `video:`"),
                    format!("写了 `{key}:`，却没有 `video:`"),
                )
                .file(rel)
                .at_opt(text, yaml::find_key(text, key, 1))
                .hint(
                    "add `video: FILE.mp4`, or remove the key (a page's picture is `cover:`)",
                    "请添加 `video: 文件.mp4`，或删除这一项（页面的图片用 `cover:`）",
                ),
            );
        }
    }
}

/// A video's `duration:` in seconds, or the error that it is none.
fn duration(
    n: &crate::yaml::Number,
    raw: &SourceFile<FrontMatter>,
    diags: &mut Diagnostics,
) -> Option<f64> {
    let (rel, text) = (raw.rel.as_str(), &*raw.text);
    match seconds(&n.display()) {
        Some(s) => Some(s),
        None => {
            diags.push(
                Diagnostic::error(
                    format!("duration: `{}` is not a length of time", n.display()),
                    format!("duration：`{}` 不是时长", n.display()),
                )
                .file(rel)
                .at_opt(text, yaml::find_key(text, "duration", 1))
                .hint(
                    "write seconds (`duration: 205`) or minutes and seconds (`duration: \"3:25\"`)",
                    "请写秒数（`duration: 205`）或分和秒（`duration: \"3:25\"`）",
                ),
            );
            None
        }
    }
}

/// Seconds of a written duration: `205`, `205.5`, `3:25` or `1:02:03`.
fn seconds(written: &str) -> Option<f64> {
    let mut total = 0.0;
    for (i, part) in written.trim().split(':').enumerate() {
        let v: f64 = part.trim().parse().ok().filter(|v: &f64| *v >= 0.0)?;
        if i > 2 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total).filter(|t| *t > 0.0)
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn durations_are_read_as_written() {
        assert_eq!(seconds("205"), Some(205.0));
        assert_eq!(seconds("3:25"), Some(205.0));
        assert_eq!(seconds("1:02:03"), Some(3723.0));
        assert_eq!(seconds(" 90.5 "), Some(90.5));
        for bad in ["", "0", "-3", "3分25秒", "1:2:3:4", "3:"] {
            assert_eq!(seconds(bad), None, "{bad}");
        }
    }
}
