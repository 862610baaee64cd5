//! `content/`: Markdown pages with YAML front matter, one folder per section, each
//! section's own `_index.md`, and root pages such as `content/about.md`.
//!
//! Parsing runs in parallel; then the pages get their URLs (so links between them can be
//! resolved), and only then is Markdown rendered, again in parallel.

use super::media::Planner;
use super::{check_file_ref, LoadOptions};
use crate::cache::{fingerprint, Memo};
use crate::config::{SiteConfig, SlugMode};
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::markdown::{self, LinkContext};
use crate::model::date::{DateError, DATE_HINT_EN, DATE_HINT_ZH};
use crate::model::{Album, Date, Page, Section, Site, SortBy, Tag};
use crate::slug::slugify;
use crate::urls::{routes, Urls};
use crate::yaml;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Characters of a plain-text summary made from the first paragraph.
const SUMMARY_CHARS: usize = 120;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    title: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    pillar: Option<String>,
    #[serde(default)]
    cover: Option<String>,
    #[serde(default)]
    album: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    template: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionMatter {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    sort_by: Option<SortKey>,
    #[serde(default)]
    paginate_by: Option<usize>,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    template: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum SortKey {
    Date,
    Weight,
    Title,
}

/// A Markdown file read and split, with its front matter parsed.
#[derive(Clone)]
pub(crate) struct SourceFile<M> {
    rel: String,
    text: String,
    body_start: usize,
    /// Lines before the body.
    body_line_offset: usize,
    matter: M,
}

impl<M> SourceFile<M> {
    fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

/// Where links may point, shared by everything that renders Markdown.
pub struct LinkEnv {
    pub folder: Arc<SiteFolder>,
    pub pages: HashMap<String, String>,
    pub unpublished: HashSet<String>,
    pub urls: Urls,
    pub slugs: SlugMode,
    /// The image plan, so Markdown images become pictures.
    pub pictures: Planner,
}

impl LinkEnv {
    fn context<'a>(
        &'a self,
        file: &'a str,
        source: &'a str,
        line_offset: usize,
        page_path: &'a str,
    ) -> LinkContext<'a> {
        LinkContext {
            folder: &self.folder,
            file,
            file_source: source,
            line_offset,
            page_path,
            urls: &self.urls,
            pages: &self.pages,
            unpublished: &self.unpublished,
            slugs: self.slugs,
            pictures: Some(&self.pictures),
        }
    }

    /// A hash of everything a link may resolve to.
    fn fingerprint(&self) -> u64 {
        let mut pages: Vec<(&String, &String)> = self.pages.iter().collect();
        pages.sort_unstable();
        let mut unpublished: Vec<&String> = self.unpublished.iter().collect();
        unpublished.sort_unstable();
        fingerprint(&(
            pages,
            unpublished,
            &self.urls.base_url,
            self.urls.offline,
            self.slugs == SlugMode::Pinyin,
            self.folder.root(),
            self.pictures.settings_key(),
        ))
    }

    /// Renders a Markdown value of a YAML file (`brand.yaml` `meaning: |`), with errors
    /// pointing at the right line of that file.
    pub fn render_yaml_markdown(
        &self,
        file: &str,
        src: &str,
        text: &str,
        page_path: &str,
        diags: &mut Diagnostics,
    ) -> String {
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let offset = yaml::find_text(src, first).map(|(l, _)| l - 1).unwrap_or(0);
        let r = markdown::render(text, &self.context(file, src, offset, page_path));
        diags.extend(r.diagnostics);
        r.html
    }
}

pub fn date_error(file: &str, src: &str, key: &str, value: &str, e: DateError) -> Diagnostic {
    Diagnostic::error(e.en, e.zh)
        .file(file)
        .at_opt(src, yaml::find_value(src, key, value))
        .hint(DATE_HINT_EN, DATE_HINT_ZH)
}

/// Pages parsed and given their URLs, waiting for their Markdown to be rendered.
pub struct Parsed {
    pages: Vec<(Page, SourceFile<()>)>,
    sections: Vec<(Section, Option<SourceFile<()>>)>,
}

/// A section found while gathering: its folder name, the section, its `_index.md`.
type Found = (String, Section, Option<SourceFile<()>>);

/// Reads and checks every file under `content/`.
pub fn parse(
    folder: &Arc<SiteFolder>,
    config: &SiteConfig,
    pillars: Option<&[(String, String)]>,
    albums: &[Album],
    opts: &LoadOptions,
    planner: Planner,
    diags: &mut Diagnostics,
) -> (Parsed, LinkEnv) {
    let files: Vec<String> = folder
        .files("content", None)
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .collect();
    let memo = opts.memos.as_ref().map(|m| &m.parsed);
    let parsed: Vec<ParsedFile> = files
        .par_iter()
        .map(|rel| match (memo, folder.stamp(rel)) {
            (Some(memo), Some(stamp)) => {
                memo.get_or_insert_with(rel, fingerprint(&stamp), || parse_file(folder, rel))
            }
            _ => parse_file(folder, rel),
        })
        .collect();
    let (sections, raw_pages) = gather(parsed, config, diags);
    let mut routes = Routes::reserved(pillars);
    for (_, section, src) in &sections {
        let label = src
            .as_ref()
            .map(|s| s.rel.clone())
            .unwrap_or_else(|| section.dir.clone());
        routes.claim(&section.path, &label, &label, None, diags);
    }
    let builder = PageBuilder {
        folder,
        config,
        sections: &sections,
        pillars,
        albums,
    };
    let mut unpublished = HashSet::new();
    let mut pages = Vec::new();
    for raw in raw_pages {
        if raw.matter.draft && !opts.drafts {
            unpublished.insert(raw.rel.clone());
            continue;
        }
        pages.extend(builder.page(raw, &mut routes, diags));
    }
    let env =
        LinkEnv {
            folder: folder.clone(),
            pages: pages
                .iter()
                .map(|(p, _)| (p.source.clone(), p.path.clone()))
                .chain(sections.iter().filter_map(|(_, s, src)| {
                    src.as_ref().map(|f| (f.rel.clone(), s.path.clone()))
                }))
                .collect(),
            unpublished,
            urls: opts.urls.clone(),
            slugs: config.slugs,
            pictures: planner,
        };
    let parsed = Parsed {
        pages,
        sections: sections.into_iter().map(|(_, s, f)| (s, f)).collect(),
    };
    (parsed, env)
}

/// Sorts parsed files into sections (by folder name) and pages; a folder of pages
/// without `_index.md` is a section too.
fn gather(
    parsed: Vec<ParsedFile>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> (Vec<Found>, Vec<SourceFile<FrontMatter>>) {
    let mut sections: BTreeMap<String, (Section, Option<SourceFile<()>>)> = BTreeMap::new();
    let mut raw_pages = Vec::new();
    for parse in parsed {
        diags.extend(parse.diags.iter().cloned());
        match parse.entry.clone() {
            Some(Entry::Page(p)) => raw_pages.push(p),
            Some(Entry::Section(s)) => {
                let parts: Vec<&str> = s.rel.split('/').collect();
                if parts.len() != 3 {
                    diags.push(nested_index(&s.rel));
                    continue;
                }
                let section = new_section(parts[1], Some(&s), config, diags);
                sections.insert(parts[1].to_string(), (section, Some(strip_matter(s))));
            }
            None => {}
        }
    }
    for p in &raw_pages {
        let parts: Vec<&str> = p.rel.split('/').collect();
        if parts.len() > 2 && !sections.contains_key(parts[1]) {
            let s = new_section(parts[1], None, config, diags);
            sections.insert(parts[1].to_string(), (s, None));
        }
    }
    let sections = sections
        .into_iter()
        .map(|(name, (s, f))| (name, s, f))
        .collect();
    (sections, raw_pages)
}

fn nested_index(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        format!("{rel} is ignored: only the folders directly under content/ are sections"),
        format!("{rel} 未被使用：只有 content/ 下的第一级目录才是栏目"),
    )
    .file(rel)
    .hint(
        "move the pages up into the section folder, or make this folder a section of its own under content/",
        "请把页面移到栏目目录中，或把该目录移到 content/ 下作为独立栏目",
    )
}

/// What makes a [`Page`] of a page file's front matter.
struct PageBuilder<'a> {
    folder: &'a SiteFolder,
    config: &'a SiteConfig,
    sections: &'a [Found],
    pillars: Option<&'a [(String, String)]>,
    albums: &'a [Album],
}

impl PageBuilder<'_> {
    /// The page, or `None` (with its errors in `diags`) when its front matter is wrong.
    fn page(
        &self,
        raw: SourceFile<FrontMatter>,
        routes: &mut Routes,
        diags: &mut Diagnostics,
    ) -> Option<(Page, SourceFile<()>)> {
        let mark = diags.len();
        let (rel, text) = (raw.rel.as_str(), raw.text.as_str());
        let parts: Vec<&str> = rel.split('/').collect();
        let section = (parts.len() > 2)
            .then(|| {
                self.sections
                    .iter()
                    .position(|(name, _, _)| name == parts[1])
            })
            .flatten();
        let date = self.date(&raw, section, diags);
        let slug = self.slug(&raw, &parts, diags);
        let path = match section {
            Some(si) => format!("{}{slug}/", self.sections[si].1.path),
            None => format!("/{slug}/"),
        };
        let pillar = self.pillar(&raw, diags);
        self.check_album(&raw, diags);
        let cover = raw.matter.cover.as_deref().and_then(|c| {
            check_file_ref(self.folder, rel, text, "cover", c, diags)
                .map(|r| crate::model::Asset::of(&r))
        });
        let (tags, tag_slugs) = self.tags(&raw, diags);
        let failed = diags.errors_since(mark);
        // A page whose path is taken stays in the link table (its error is enough).
        routes.claim(&path, rel, rel, Some(text), diags);
        if failed {
            return None;
        }
        let fm = raw.matter;
        let source = strip_matter_of(raw.rel, raw.text, raw.body_start, raw.body_line_offset);
        let page = Page {
            source: source.rel.clone(),
            section,
            slug,
            path,
            title: fm.title,
            date,
            summary: fm.summary.unwrap_or_default(),
            tags,
            tag_slugs,
            pillar,
            cover,
            album: fm.album,
            draft: fm.draft,
            weight: fm.weight,
            template: fm.template,
            content: String::new(),
        };
        Some((page, source))
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
struct Routes(HashMap<String, String>);

impl Routes {
    /// The paths zhanting generates itself, and each pillar's page.
    fn reserved(pillars: Option<&[(String, String)]>) -> Routes {
        let mut taken: HashMap<String, String> = routes::RESERVED
            .iter()
            .map(|(path, what)| (path.to_string(), what.to_string()))
            .collect();
        for (key, _) in pillars.unwrap_or_default() {
            taken.insert(
                routes::pillar(key),
                format!("the pillar page {key} (brand.yaml)"),
            );
        }
        Routes(taken)
    }

    /// Records that `source` produces `path`.
    fn claim(
        &mut self,
        path: &str,
        source: &str,
        file: &str,
        text: Option<&str>,
        diags: &mut Diagnostics,
    ) {
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
        self.0.insert(path.to_string(), source.to_string());
    }
}

fn strip_matter<M>(f: SourceFile<M>) -> SourceFile<()> {
    strip_matter_of(f.rel, f.text, f.body_start, f.body_line_offset)
}

fn strip_matter_of(
    rel: String,
    text: String,
    body_start: usize,
    body_line_offset: usize,
) -> SourceFile<()> {
    SourceFile {
        rel,
        text,
        body_start,
        body_line_offset,
        matter: (),
    }
}

fn new_section(
    name: &str,
    index: Option<&SourceFile<SectionMatter>>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Section {
    let default = SectionMatter::default();
    let m = index.map(|f| &f.matter).unwrap_or(&default);
    let slug = slugify(name, config.slugs);
    if let (Some(0), Some(f)) = (m.paginate_by, index) {
        diags.push(
            Diagnostic::error("paginate_by must be at least 1", "paginate_by 至少为 1")
                .file(f.rel.clone())
                .at_opt(&f.text, yaml::find_key(&f.text, "paginate_by", 1))
                .hint("e.g. paginate_by: 20", "例如 paginate_by: 20"),
        );
    }
    Section {
        dir: format!("content/{name}"),
        index_file: index.map(|f| f.rel.clone()),
        path: format!("/{slug}/"),
        slug,
        title: m.title.clone().unwrap_or_else(|| name.to_string()),
        description: m.description.clone(),
        content: String::new(),
        sort_by: match m.sort_by {
            None | Some(SortKey::Date) => SortBy::Date,
            Some(SortKey::Weight) => SortBy::Weight,
            Some(SortKey::Title) => SortBy::Title,
        },
        paginate_by: m
            .paginate_by
            .filter(|&n| n > 0)
            .unwrap_or(config.paginate_by),
        weight: m.weight,
        template: m.template.clone(),
        pages: Vec::new(),
    }
}

#[derive(Clone)]
pub(crate) enum Entry {
    Page(SourceFile<FrontMatter>),
    Section(SourceFile<SectionMatter>),
}

/// A file's parse: what it holds, and its problems. Kept by the serve cache.
pub(crate) struct Parse {
    entry: Option<Entry>,
    diags: Diagnostics,
}

pub(crate) type ParsedFile = Arc<Parse>;

fn parse_file(folder: &SiteFolder, rel: &str) -> ParsedFile {
    let mut diags = Diagnostics::new();
    let entry = parse_entry(folder, rel, &mut diags);
    Arc::new(Parse { entry, diags })
}

fn parse_entry(folder: &SiteFolder, rel: &str, diags: &mut Diagnostics) -> Option<Entry> {
    let text = super::read_text(folder, rel, diags)?;
    let is_index = rel.ends_with("/_index.md") || rel == "content/_index.md";
    if rel == "content/_index.md" {
        diags.push(
            Diagnostic::warning(
                "content/_index.md is not used: the home page is made from site.yaml and brand.yaml",
                "content/_index.md 不会被使用：首页由 site.yaml 和 brand.yaml 生成",
            )
            .file(rel)
            .hint("put the text in brand.yaml (summary, story) or in content/about.md", "请把内容写进 brand.yaml（summary、story）或 content/about.md"),
        );
        return None;
    }
    let Some((yaml_text, body_start, body_line_offset)) = split_front_matter(&text) else {
        if is_index {
            // A section index may be plain Markdown.
            let file = SourceFile {
                rel: rel.to_string(),
                text,
                body_start: 0,
                body_line_offset: 0,
                matter: SectionMatter::default(),
            };
            return Some(Entry::Section(file));
        }
        diags.push(
            Diagnostic::error(
                "the page has no front matter",
                "页面缺少头部信息（front matter）",
            )
            .file(rel)
            .at(&text, 1, 1)
            .hint(
                "start the file with a block between two `---` lines holding at least `title: …`",
                "请在文件开头用两行 `---` 包住头部信息，至少写上 `title: …`",
            ),
        );
        return None;
    };
    let entry = if is_index {
        yaml::parse::<SectionMatter>(rel, yaml_text, &text, 1).map(|m| {
            Entry::Section(SourceFile {
                rel: rel.to_string(),
                text: text.clone(),
                body_start,
                body_line_offset,
                matter: m,
            })
        })
    } else {
        yaml::parse::<FrontMatter>(rel, yaml_text, &text, 1).map(|m| {
            Entry::Page(SourceFile {
                rel: rel.to_string(),
                text: text.clone(),
                body_start,
                body_line_offset,
                matter: m,
            })
        })
    };
    match entry {
        Ok(e) => Some(e),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Splits `---\nYAML\n---\nbody`: the YAML text, where the body starts (byte) and how
/// many lines come before it.
fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    let mut line = 1;
    while pos <= text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        line += 1;
        if text[pos..end].trim_end() == "---" {
            let body = (end + 1).min(text.len());
            return Some((&text[yaml_start..pos], body, line));
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

impl Parsed {
    /// Renders the Markdown of every page and section and fills the site's pages,
    /// sections, tags and pillar lists.
    pub fn finish(
        self,
        env: &LinkEnv,
        site: &mut Site,
        diags: &mut Diagnostics,
        memo: Option<&Memo<Arc<markdown::Rendered>>>,
    ) {
        let pages = render_pages(self.pages, env, memo, site, diags);
        let mut sections = Vec::with_capacity(self.sections.len());
        for (mut section, src) in self.sections {
            if let Some(src) = src {
                let r = markdown::render(
                    src.body(),
                    &env.context(&src.rel, &src.text, src.body_line_offset, &section.path),
                );
                section.content = r.html;
                diags.extend(r.diagnostics);
                for a in r.assets {
                    site.assets.insert(a.path, a.source);
                }
            }
            sections.push(section);
        }
        index(site, pages, sections);
    }
}

/// Renders each page's Markdown (from `memo` where its text, place and links are
/// unchanged and the pictures it shows are still what their files give) and fills in
/// summaries; the files the pages show join the site's assets.
fn render_pages(
    pages: Vec<(Page, SourceFile<()>)>,
    env: &LinkEnv,
    memo: Option<&Memo<Arc<markdown::Rendered>>>,
    site: &mut Site,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    // Rendered Markdown depends on the text, the page's place and the link table.
    let env_key = memo.map(|_| env.fingerprint());
    type Done = (Page, Vec<Diagnostic>, Vec<crate::model::Asset>);
    let rendered: Vec<Done> = pages
        .into_par_iter()
        .map(|(mut page, src)| {
            let render = || {
                Arc::new(markdown::render(
                    src.body(),
                    &env.context(&src.rel, &src.text, src.body_line_offset, &page.path),
                ))
            };
            let r = match (memo, env_key) {
                (Some(memo), Some(env_key)) => {
                    let key = fingerprint(&(
                        env_key,
                        &page.path,
                        &src.text,
                        src.body_start,
                        src.body_line_offset,
                    ));
                    let still_shown = |r: &Arc<markdown::Rendered>| {
                        r.pictures.iter().all(|(source, picture)| {
                            use markdown::Pictures;
                            env.pictures.picture(source).ok().as_ref() == Some(picture)
                        })
                    };
                    memo.get_valid_or_insert_with(&src.rel, key, still_shown, render)
                }
                _ => render(),
            };
            // Without a memo this is the only reference: the HTML moves, not copied.
            let r = Arc::try_unwrap(r).unwrap_or_else(|shared| (*shared).clone());
            if page.summary.trim().is_empty() {
                page.summary = markdown::summarize(&r.first_paragraph, SUMMARY_CHARS);
            }
            page.content = r.html;
            // Rendering reserves more than the HTML needs; 10,000 pages stay in memory.
            page.content.shrink_to_fit();
            (page, r.diagnostics, r.assets)
        })
        .collect();
    let mut out = Vec::with_capacity(rendered.len());
    for (page, d, assets) in rendered {
        diags.extend(d);
        for a in assets {
            site.assets.insert(a.path, a.source);
        }
        out.push(page);
    }
    out
}

/// Orders the pages (newest first; undated after, by weight then title) and the
/// sections (by weight), and lists each section's, tag's and pillar's pages.
fn index(site: &mut Site, mut pages: Vec<Page>, mut sections: Vec<Section>) {
    pages.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.weight.cmp(&b.weight))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.source.cmp(&b.source))
    });
    for (i, p) in pages.iter().enumerate() {
        if let Some(s) = p.section {
            sections[s].pages.push(i);
        }
    }
    for s in &mut sections {
        match s.sort_by {
            SortBy::Date => {}
            SortBy::Weight => s.pages.sort_by(|&a, &b| {
                pages[a]
                    .weight
                    .cmp(&pages[b].weight)
                    .then_with(|| pages[a].title.cmp(&pages[b].title))
            }),
            SortBy::Title => s
                .pages
                .sort_by(|&a, &b| pages[a].title.cmp(&pages[b].title)),
        }
    }
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        for (t, slug) in p.tags.iter().zip(&p.tag_slugs) {
            tags.entry(slug.clone())
                .or_insert_with(|| Tag {
                    name: t.clone(),
                    path: routes::tag(slug),
                    slug: slug.clone(),
                    pages: Vec::new(),
                })
                .pages
                .push(i);
        }
        if let (Some(pi), Some(brand)) = (p.pillar, site.brand.as_mut()) {
            if let Some(pillar) = brand.pillars.get_mut(pi) {
                pillar.pages.push(i);
            }
        }
    }
    // Sections were found in folder order; pages name them by that order until now.
    let folder_order: Vec<String> = sections.iter().map(|s| s.dir.clone()).collect();
    sections.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.dir.cmp(&b.dir)));
    let order: HashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.as_str(), i))
        .collect();
    for p in &mut pages {
        if let Some(s) = p.section {
            p.section = Some(order[folder_order[s].as_str()]);
        }
    }
    site.pages = pages;
    site.sections = sections;
    site.tags = tags.into_values().collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let t = "---\ntitle: a\n---\nbody\n";
        let (y, b, l) = split_front_matter(t).unwrap();
        assert_eq!(y, "title: a\n");
        assert_eq!(&t[b..], "body\n");
        assert_eq!(l, 3);
        assert!(split_front_matter("# no\n").is_none());
        assert!(split_front_matter("---\ntitle: a\n").is_none());
        let (_, b, _) = split_front_matter("---\r\ntitle: a\r\n---").unwrap();
        assert_eq!(b, 18);
    }
}
