//! `content/`: Markdown pages with YAML front matter, one folder per section, each
//! section's own `_index.md`, and root pages such as `content/about.md`.
//!
//! Parsing runs in parallel; then the pages get their URLs (so links between them can be
//! resolved), and only then is Markdown rendered, again in parallel.

use super::{check_file_ref, paths, rel_string, walk, yaml, LoadOptions};
use crate::config::{SiteConfig, SlugMode};
use crate::error::Diagnostic;
use crate::markdown::{self, LinkContext};
use crate::model::date::{DateError, DATE_HINT_EN, DATE_HINT_ZH};
use crate::model::{Album, Date, Page, Section, Site, SortBy, Tag};
use crate::slug::slugify;
use crate::urls::Urls;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    pub root: PathBuf,
    pub pages: HashMap<String, String>,
    pub unpublished: HashSet<String>,
    pub urls: Urls,
    pub slugs: SlugMode,
    /// Image settings and source hashes, so Markdown images become pictures.
    pub images: Option<(
        crate::config::Images,
        std::sync::Arc<crate::images::HashMemo>,
    )>,
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
            site_root: &self.root,
            file,
            file_source: source,
            line_offset,
            page_path,
            urls: &self.urls,
            pages: &self.pages,
            unpublished: &self.unpublished,
            slugs: self.slugs,
            images: self.images.as_ref().map(|(s, m)| (s, m.as_ref())),
        }
    }

    /// A hash of everything a link may resolve to.
    fn fingerprint(&self) -> u64 {
        let mut pages: Vec<(&String, &String)> = self.pages.iter().collect();
        pages.sort_unstable();
        let mut unpublished: Vec<&String> = self.unpublished.iter().collect();
        unpublished.sort_unstable();
        super::fingerprint(&(
            pages,
            unpublished,
            &self.urls.base_url,
            self.urls.offline,
            self.slugs == SlugMode::Pinyin,
            &self.root,
            self.images.as_ref().map(|(s, _)| format!("{s:?}")),
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
        diags: &mut Vec<Diagnostic>,
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

/// Reads and checks every file under `content/`.
pub fn parse(
    root: &Path,
    config: &SiteConfig,
    pillars: Option<&[(String, String)]>,
    albums: &[Album],
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> (Parsed, LinkEnv) {
    let content = root.join("content");
    let mut files = Vec::new();
    for entry in walk(&content) {
        match entry {
            Ok(e)
                if e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".md") =>
            {
                files.push(rel_string(e.path().strip_prefix(root).expect("below root")));
            }
            Ok(_) => {}
            Err(e) => diags.push(super::walk_error(root, &e)),
        }
    }

    let parsed: Vec<ParsedFile> = files
        .par_iter()
        .map(|rel| match &opts.cache {
            Some(cache) => cache.parsed(root, rel, || parse_file(root, rel)),
            None => parse_file(root, rel),
        })
        .collect();

    let mut sections: BTreeMap<String, (Section, Option<SourceFile<()>>)> = BTreeMap::new();
    let mut raw_pages = Vec::new();
    for (entry, d) in parsed {
        diags.extend(d.iter().cloned());
        match Option::clone(&entry) {
            Some(Entry::Page(p)) => raw_pages.push(p),
            Some(Entry::Section(s)) => {
                let parts: Vec<&str> = s.rel.split('/').collect();
                if parts.len() != 3 {
                    diags.push(
                        Diagnostic::warning(
                            format!("{} is ignored: only the folders directly under content/ are sections", s.rel),
                            format!("{} 未被使用：只有 content/ 下的第一级目录才是栏目", s.rel),
                        )
                        .file(s.rel.clone())
                        .hint(
                            "move the pages up into the section folder, or make this folder a section of its own under content/",
                            "请把页面移到栏目目录中，或把该目录移到 content/ 下作为独立栏目",
                        ),
                    );
                    continue;
                }
                let section = new_section(parts[1], Some(&s), config, diags);
                sections.insert(parts[1].to_string(), (section, Some(strip_matter(s))));
            }
            None => {}
        }
    }

    // Sections named only by a folder of pages, without `_index.md`.
    for p in &raw_pages {
        let parts: Vec<&str> = p.rel.split('/').collect();
        if parts.len() > 2 && !sections.contains_key(parts[1]) {
            let s = new_section(parts[1], None, config, diags);
            sections.insert(parts[1].to_string(), (s, None));
        }
    }
    let section_order: Vec<String> = sections.keys().cloned().collect();
    let section_index = |name: &str| section_order.iter().position(|n| n == name);

    let mut taken: HashMap<String, String> = HashMap::new();
    let reserved = [
        ("/", "the home page"),
        ("/brand/", "the brand page"),
        ("/achievements/", "the achievements page"),
        ("/tags/", "the tag index"),
        ("/photos/", "the photo archive"),
        ("/boards/", "the exhibition boards"),
        ("/search/", "the search page"),
    ];
    for (path, what) in reserved {
        taken.insert(path.to_string(), what.to_string());
    }
    for (key, _) in pillars.unwrap_or_default() {
        taken.insert(
            format!("/brand/{key}/"),
            format!("the pillar page {key} (brand.yaml)"),
        );
    }
    for (section, src) in sections.values() {
        let label = src
            .as_ref()
            .map(|s| s.rel.clone())
            .unwrap_or_else(|| section.dir.clone());
        claim(&mut taken, &section.path, &label, &label, None, diags);
    }

    let mut unpublished = HashSet::new();
    let mut pages = Vec::new();
    for raw in raw_pages {
        let fm = &raw.matter;
        let (rel, text) = (&raw.rel, &raw.text);
        let at = |key: &str| yaml::find_key(text, key, 1);
        if fm.draft && !opts.drafts {
            unpublished.insert(rel.clone());
            continue;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let section = if parts.len() > 2 {
            section_index(parts[1])
        } else {
            None
        };
        let mut ok = true;
        let date = match fm.date.as_deref().map(Date::parse) {
            None => None,
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => {
                diags.push(date_error(
                    rel,
                    text,
                    "date",
                    fm.date.as_deref().unwrap_or(""),
                    e,
                ));
                ok = false;
                None
            }
        };
        if let (None, true, Some(si)) = (&fm.date, ok, section) {
            let s = &sections[&section_order[si]].0;
            if s.sort_by == SortBy::Date {
                diags.push(
                    Diagnostic::error(
                        format!("page has no date, but section `{}` is sorted by date", s.title),
                        format!("页面缺少日期，而栏目“{}”按日期排序", s.title),
                    )
                    .file(rel.clone())
                    .at_opt(text, at("title"))
                    .hint(
                        format!("add `date: YYYY-MM-DD` to the front matter, or set `sort_by: weight` in {}/_index.md", s.dir),
                        format!("请在头部信息中添加 `date: YYYY-MM-DD`，或在 {}/_index.md 中设置 `sort_by: weight`", s.dir),
                    ),
                );
                ok = false;
            }
        }
        let slug = match &fm.slug {
            Some(s) => {
                let s = s.trim();
                if s.is_empty()
                    || s == "."
                    || s == ".."
                    || s.contains(['/', '\\', '?', '#', '%', ' '])
                {
                    diags.push(
                        Diagnostic::error(
                            format!("slug `{s}` cannot be used in a URL"),
                            format!("slug `{s}` 不能用作网址"),
                        )
                        .file(rel.clone())
                        .at_opt(text, at("slug"))
                        .hint(
                            "use letters, digits and dashes, e.g. slug: qiyi-zhutidangri",
                            "请只用字母、数字和短横线，例如 slug: qiyi-zhutidangri",
                        ),
                    );
                    ok = false;
                }
                s.to_string()
            }
            None => {
                let name = parts.last().expect("a file name").trim_end_matches(".md");
                let name = if name == "index" && parts.len() > 3 {
                    parts[parts.len() - 2]
                } else {
                    name
                };
                let s = slugify(name, config.slugs);
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
                    ok = false;
                }
                s
            }
        };
        let path = match section {
            Some(si) => format!("{}{slug}/", sections[&section_order[si]].0.path),
            None => format!("/{slug}/"),
        };
        // When brand.yaml itself is broken its error is reported, not one per page.
        let pillar = fm
            .pillar
            .as_deref()
            .zip(pillars)
            .and_then(|(want, pillars)| {
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
                        .file(rel.clone())
                        .at_opt(text, yaml::find_value(text, "pillar", want))
                        .hint(
                            format!("name a pillar of brand.yaml by name or key; {en_known}"),
                            format!("请填写 brand.yaml 中载体的名称或 key；{zh_known}"),
                        ),
                    );
                    ok = false;
                }
                found
            });
        if let Some(album) = &fm.album {
            if !albums.iter().any(|a| &a.name == album) {
                let known: Vec<&str> = albums.iter().map(|a| a.name.as_str()).collect();
                diags.push(
                    Diagnostic::error(
                        format!("unknown album `{album}`"),
                        format!("未知的相册 `{album}`"),
                    )
                    .file(rel.clone())
                    .at_opt(text, yaml::find_value(text, "album", album))
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
                ok = false;
            }
        }
        let cover = fm.cover.as_deref().and_then(|c| {
            let r = check_file_ref(root, rel, text, "cover", c, diags);
            ok &= r.is_some();
            r.map(|r| paths::asset(&r))
        });
        let mut tags: Vec<String> = Vec::new();
        let mut tag_slugs: Vec<String> = Vec::new();
        for t in &fm.tags {
            let t = t.trim();
            let slug = slugify(t, config.slugs);
            if slug.is_empty() {
                diags.push(
                    Diagnostic::error(
                        format!("tag `{t}` is empty or has no letters"),
                        format!("标签 `{t}` 为空或不含文字"),
                    )
                    .file(rel.clone())
                    .at_opt(text, at("tags"))
                    .hint("remove it from tags:", "请把它从 tags 中删去"),
                );
                ok = false;
            } else if !tags.iter().any(|x| x == t) {
                tags.push(t.to_string());
                tag_slugs.push(slug);
            }
        }
        // A page whose path is taken stays in the link table (its error is enough).
        claim(&mut taken, &path, rel, rel, Some(text), diags);
        if !ok {
            continue;
        }
        let fm = raw.matter;
        let source = SourceFile {
            rel: raw.rel,
            text: raw.text,
            body_start: raw.body_start,
            body_line_offset: raw.body_line_offset,
            matter: (),
        };
        pages.push((
            Page {
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
                matter_hash: matter_hash(&source.text[..source.body_start]),
            },
            source,
        ));
    }
    let env = LinkEnv {
        root: root.to_path_buf(),
        pages: pages
            .iter()
            .map(|(p, _)| (p.source.clone(), p.path.clone()))
            .chain(
                sections
                    .values()
                    .filter_map(|(s, src)| src.as_ref().map(|f| (f.rel.clone(), s.path.clone()))),
            )
            .collect(),
        unpublished,
        urls: opts.urls.clone(),
        slugs: config.slugs,
        images: opts.images.clone().map(|m| (config.images.clone(), m)),
    };
    let parsed = Parsed {
        pages,
        sections: sections.into_values().collect(),
    };
    (parsed, env)
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}

/// Records that `source` produces `path`; a second claim is an error naming both.
fn claim(
    taken: &mut HashMap<String, String>,
    path: &str,
    source: &str,
    file: &str,
    text: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(other) = taken.get(path) {
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
        return false;
    }
    taken.insert(path.to_string(), source.to_string());
    true
}

fn strip_matter<M>(f: SourceFile<M>) -> SourceFile<()> {
    SourceFile {
        rel: f.rel,
        text: f.text,
        body_start: f.body_start,
        body_line_offset: f.body_line_offset,
        matter: (),
    }
}

fn new_section(
    name: &str,
    index: Option<&SourceFile<SectionMatter>>,
    config: &SiteConfig,
    diags: &mut Vec<Diagnostic>,
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

/// A file's parse: what it holds, and its problems. Shared with the serve cache.
pub(crate) type ParsedFile = (
    std::sync::Arc<Option<Entry>>,
    std::sync::Arc<Vec<Diagnostic>>,
);

fn parse_file(root: &Path, rel: &str) -> ParsedFile {
    let (entry, diags) = parse_file_uncached(root, rel);
    (std::sync::Arc::new(entry), std::sync::Arc::new(diags))
}

fn parse_file_uncached(root: &Path, rel: &str) -> (Option<Entry>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(text) = super::read_text(root, rel, &mut diags) else {
        return (None, diags);
    };
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
        return (None, diags);
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
            return (Some(Entry::Section(file)), diags);
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
        return (None, diags);
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
        Ok(e) => (Some(e), diags),
        Err(d) => {
            diags.push(d);
            (None, diags)
        }
    }
}

fn matter_hash(block: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    block.hash(&mut h);
    h.finish()
}

/// The link table of a loaded site, for rendering Markdown again (`zhanting serve`).
pub fn link_env(
    site: &Site,
    urls: &Urls,
    images: Option<std::sync::Arc<crate::images::HashMemo>>,
) -> LinkEnv {
    LinkEnv {
        root: site.root.clone(),
        pages: site
            .pages
            .iter()
            .map(|p| (p.source.clone(), p.path.clone()))
            .chain(
                site.sections
                    .iter()
                    .filter_map(|s| Some((s.index_file.clone()?, s.path.clone()))),
            )
            .collect(),
        unpublished: site.unpublished.clone(),
        urls: urls.clone(),
        slugs: site.config.slugs,
        images: images.map(|m| (site.config.images.clone(), m)),
    }
}

/// A page's body rendered again from its file, when only the body changed since the site
/// was loaded: same front matter, same summary, no new asset. `None` when that is not so
/// and the site must be loaded again; errors of the new body otherwise.
pub fn reload_body(
    site: &Site,
    env: &LinkEnv,
    index: usize,
) -> Option<Result<String, Vec<Diagnostic>>> {
    let page = &site.pages[index];
    let mut diags = Vec::new();
    let text = super::read_text(&site.root, &page.source, &mut diags)?;
    let (yaml_text, body_start, body_line_offset) = split_front_matter(&text)?;
    if matter_hash(&text[..body_start]) != page.matter_hash {
        return None;
    }
    let r = markdown::render(
        &text[body_start..],
        &env.context(&page.source, &text, body_line_offset, &page.path),
    );
    if r.diagnostics.iter().any(Diagnostic::is_error) {
        return Some(Err(r.diagnostics));
    }
    if r.assets
        .iter()
        .any(|a| !site.assets.contains_key(&a.path) && !a.source.starts_with("static/"))
    {
        return None;
    }
    let explicit_summary = yaml::parse::<FrontMatter>(&page.source, yaml_text, &text, 1)
        .ok()?
        .summary
        .is_some();
    if !explicit_summary && markdown::summarize(&r.first_paragraph, SUMMARY_CHARS) != page.summary {
        return None;
    }
    Some(Ok(r.html))
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
        diags: &mut Vec<Diagnostic>,
        cache: Option<&super::Cache>,
    ) {
        // Rendered Markdown depends on the text, the page's place and the link table.
        let env_key = cache.map(|_| env.fingerprint());
        let rendered: Vec<(Page, Vec<Diagnostic>, Vec<crate::model::Asset>)> = self
            .pages
            .into_par_iter()
            .map(|(mut page, src)| {
                let render = || {
                    markdown::render(
                        src.body(),
                        &env.context(&src.rel, &src.text, src.body_line_offset, &page.path),
                    )
                };
                let r = match (cache, env_key) {
                    (Some(cache), Some(env_key)) => {
                        let key = super::fingerprint(&(
                            env_key,
                            &page.path,
                            &src.text,
                            src.body_start,
                            src.body_line_offset,
                        ));
                        let hit = cache
                            .markdown
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .get(&src.rel)
                            .filter(|(k, _)| *k == key)
                            .map(|(_, r)| r.clone())
                            // The pictures it shows are still what their files give.
                            .filter(|r| {
                                r.pictures.iter().all(|(source, picture)| {
                                    env.images.as_ref().is_some_and(|(settings, memo)| {
                                        crate::images::picture(&env.root, source, settings, memo)
                                            .ok()
                                            .as_ref()
                                            == Some(picture)
                                    })
                                })
                            });
                        hit.unwrap_or_else(|| {
                            let r = std::sync::Arc::new(render());
                            cache
                                .markdown
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(src.rel.clone(), (key, r.clone()));
                            r
                        })
                    }
                    _ => std::sync::Arc::new(render()),
                };
                page.content = r.html.clone();
                if page.summary.trim().is_empty() {
                    page.summary = markdown::summarize(&r.first_paragraph, SUMMARY_CHARS);
                }
                (page, r.diagnostics.clone(), r.assets.clone())
            })
            .collect();
        let mut pages = Vec::with_capacity(rendered.len());
        for (page, d, assets) in rendered {
            diags.extend(d);
            for a in assets {
                site.assets.insert(a.path, a.source);
            }
            pages.push(page);
        }
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

        // Newest first; undated pages after, by weight then title.
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
                let slug = slug.clone();
                tags.entry(slug.clone())
                    .or_insert_with(|| Tag {
                        name: t.clone(),
                        path: format!("/tags/{slug}/"),
                        slug,
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
        site.pages = pages;
        site.sections = sections;
        site.sections
            .sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.dir.cmp(&b.dir)));
        // Keep page → section indexes right after sorting the sections.
        let order: HashMap<String, usize> = site
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.dir.clone(), i))
            .collect();
        let old_dirs: Vec<String> = {
            let mut dirs: Vec<String> = site.sections.iter().map(|s| s.dir.clone()).collect();
            dirs.sort();
            dirs
        };
        for p in &mut site.pages {
            if let Some(s) = p.section {
                p.section = Some(order[&old_dirs[s]]);
            }
        }
        site.tags = tags.into_values().collect();
    }
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
