//! `content/`: Markdown pages with YAML front matter, one folder per section, each
//! section's own `_index.md`, and root pages such as `content/about.md`.
//!
//! Files are parsed in parallel; then the pages get their drafts and URLs (so links
//! between them can be resolved), and only then is Markdown rendered, again in parallel.
//!
//! `zhanting serve` keeps what each file became ([`Kept`]) between loads: a file whose
//! stamp is unchanged is not read again, a draft whose context is unchanged is not made
//! again, Markdown whose links still resolve the same is not rendered again, and a page
//! whose draft and Markdown are both kept is the same page (`Arc`), so what is keyed by
//! it downstream is not made again either. A load after an edit does work for the
//! edited files, not for the site.

mod file;
mod pages;
mod sections;

use super::media::Planner;
use super::{check_file_ref, LoadOptions};
use crate::cache::{fingerprint, Stamp};
use crate::config::{SiteConfig, SlugMode};
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::markdown::{self, LinkContext};
use crate::model::date::{DateError, DATE_HINT_EN, DATE_HINT_ZH};
use crate::model::{Album, Page, Site};
use crate::urls::Urls;
use crate::yaml;
use file::{parse_file, ParsedFile};
use pages::{PageBuilder, Routes};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// Where links may point, shared by everything that renders Markdown.
pub struct LinkEnv {
    pub folder: Arc<SiteFolder>,
    pub pages: FxHashMap<String, String>,
    pub unpublished: FxHashSet<String>,
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

    /// A hash of what every render depends on besides its text, its place and the
    /// targets it looks up (which each render records).
    fn fingerprint(&self) -> u64 {
        fingerprint(&(
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
        r.html.to_string()
    }
}

pub fn date_error(file: &str, src: &str, key: &str, value: &str, e: DateError) -> Diagnostic {
    Diagnostic::error(e.en, e.zh)
        .file(file)
        .at_opt(src, yaml::find_value(src, key, value))
        .hint(DATE_HINT_EN, DATE_HINT_ZH)
}

/// What one content file became in the last load (`serve`): each part is valid while
/// what it was made from is.
#[derive(Clone, Default)]
pub(crate) struct Kept {
    stamp: Option<Stamp>,
    parsed: Option<ParsedFile>,
    /// The page's draft, and the fingerprint of the context it was made in.
    draft: Option<(u64, Arc<Page>)>,
    /// The page's Markdown, and the fingerprint of what it was rendered with.
    rendered: Option<(u64, Arc<markdown::Rendered>)>,
    /// The page finished from the draft and the Markdown above.
    page: Option<Arc<Page>>,
}

/// Pages parsed and given their URLs, waiting for their Markdown to be rendered.
pub struct Parsed {
    /// Every content file, in path order, with what it became.
    files: Vec<(String, Kept)>,
    /// The files (indexes into `files`) that are published pages.
    pages: Vec<usize>,
    sections: Vec<(crate::model::Section, Option<file::SourceFile<()>>)>,
}

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
    let t = std::time::Instant::now();
    let mut files = read_files(folder, opts);
    crate::timing::timing("    read", t);
    let (found, page_files) = sections::gather(&files, config, diags);
    crate::timing::timing("    gather", t);
    let mut routes = Routes::reserved(pillars);
    for (_, section, src) in &found {
        let label = src
            .as_ref()
            .map(|s| s.rel.clone())
            .unwrap_or_else(|| section.dir.clone());
        routes.claim(&section.path, &label, &label, None, diags);
    }
    let builder = PageBuilder {
        folder,
        config,
        sections: &found,
        pillars,
        albums,
    };
    let context = builder.context();
    let mut unpublished = FxHashSet::default();
    let mut pages = Vec::new();
    for i in page_files {
        let (rel, kept) = &mut files[i];
        let parsed = kept.parsed.clone().expect("parsed above");
        let raw = sections::page_file(&parsed);
        if raw.matter.draft && !opts.drafts {
            unpublished.insert(rel.clone());
            continue;
        }
        let draft = match &kept.draft {
            Some((c, draft)) if *c == context => {
                routes.claim(&draft.path, rel, rel, Some(&raw.text), diags);
                Some(draft.clone())
            }
            _ => builder.draft(raw, &mut routes, diags).map(|d| {
                let d = Arc::new(d);
                kept.draft = Some((context, d.clone()));
                // A new draft: the page is finished again.
                kept.page = None;
                d
            }),
        };
        if draft.is_some() {
            pages.push(i);
        }
    }
    let env =
        LinkEnv {
            folder: folder.clone(),
            pages: pages
                .iter()
                .map(|&i| &files[i])
                .filter_map(|(rel, k)| Some((rel.clone(), k.draft.as_ref()?.1.path.clone())))
                .chain(found.iter().filter_map(|(_, s, src)| {
                    src.as_ref().map(|f| (f.rel.clone(), s.path.clone()))
                }))
                .collect(),
            unpublished,
            urls: opts.urls.clone(),
            slugs: config.slugs,
            pictures: planner,
        };
    crate::timing::timing("    links", t);
    let parsed = Parsed {
        files,
        pages,
        sections: found.into_iter().map(|(_, s, f)| (s, f)).collect(),
    };
    (parsed, env)
}

/// Every Markdown file under `content/` with what it became last time (`serve`), parsed
/// now where it is new or changed (in parallel).
fn read_files(folder: &SiteFolder, opts: &LoadOptions) -> Vec<(String, Kept)> {
    let mut kept = opts
        .memos
        .as_ref()
        .map(|m| m.content.take())
        .unwrap_or_default();
    let mut files: Vec<(String, Kept)> = folder
        .files("content", None)
        .into_iter()
        .filter(|f| f.ends_with(".md"))
        .map(|rel| {
            let stamp = folder.stamp(&rel);
            let k = kept
                .remove(&rel)
                .map(|(_, k)| k)
                .filter(|k| stamp.is_some() && k.stamp == stamp)
                .unwrap_or(Kept {
                    stamp,
                    ..Kept::default()
                });
            (rel, k)
        })
        .collect();
    files
        .par_iter_mut()
        .filter(|(_, k)| k.parsed.is_none())
        .for_each(|(rel, k)| k.parsed = Some(parse_file(folder, rel)));
    files
}

impl Parsed {
    /// Renders the Markdown of every page and section and fills the site's pages,
    /// sections, tags and pillar lists.
    pub fn finish(
        mut self,
        env: &LinkEnv,
        site: &mut Site,
        diags: &mut Diagnostics,
        memos: Option<&super::Memos>,
    ) {
        let t = std::time::Instant::now();
        let pages = render_pages(&mut self.files, &self.pages, env, site, diags);
        crate::timing::timing("    render", t);
        let mut sections = Vec::with_capacity(self.sections.len());
        for (mut section, src) in self.sections {
            if let Some(src) = src {
                let r = markdown::render(
                    src.body(),
                    &env.context(&src.rel, &src.text, src.body_line_offset, &section.path),
                );
                section.content = r.html.to_string();
                diags.extend(r.diagnostics);
                for a in r.assets {
                    site.assets.insert(a.path, a.source);
                }
            }
            sections.push(section);
        }
        crate::timing::timing("    sections", t);
        sections::index(site, pages, sections);
        crate::timing::timing("    index", t);
        if let Some(memos) = memos {
            memos.content.restore(
                self.files
                    .into_iter()
                    .map(|(rel, k)| (rel, (0, k)))
                    .collect(),
            );
        }
    }
}

/// Renders each page's Markdown (kept where its text and place are unchanged and every
/// target it looked up resolves as before), finishes the pages (kept where draft and
/// Markdown both are), and adds the files the pages show to the site's assets.
fn render_pages(
    files: &mut [(String, Kept)],
    pages: &[usize],
    env: &LinkEnv,
    site: &mut Site,
    diags: &mut Diagnostics,
) -> Vec<Arc<Page>> {
    let env_key = env.fingerprint();
    let is_page: FxHashSet<usize> = pages.iter().copied().collect();
    files
        .par_iter_mut()
        .enumerate()
        .filter(|(i, _)| is_page.contains(i))
        .for_each(|(_, (rel, kept))| {
            let parsed = kept.parsed.clone().expect("parsed");
            let src = sections::page_file(&parsed);
            let (_, draft) = kept.draft.clone().expect("a published page has a draft");
            let ctx = env.context(rel, &src.text, src.body_line_offset, &draft.path);
            let key = fingerprint(&(env_key, &draft.path, kept.stamp, src.body_start));
            let still_good = |(k, r): &(u64, Arc<markdown::Rendered>)| {
                *k == key && r.lookups.iter().all(|l| ctx.resolves_as(l))
            };
            if !kept.rendered.as_ref().is_some_and(still_good) {
                kept.rendered = Some((key, Arc::new(markdown::render(src.body(), &ctx))));
                kept.page = None;
            }
            if kept.page.is_none() {
                let (_, r) = kept.rendered.as_ref().expect("rendered above");
                kept.page = Some(Arc::new(pages::finished(&draft, r)));
            }
        });
    let mut out = Vec::with_capacity(pages.len());
    for &i in pages {
        let kept = &files[i].1;
        let (_, r) = kept.rendered.as_ref().expect("rendered");
        diags.extend(r.diagnostics.iter().cloned());
        for a in &r.assets {
            site.assets.insert(a.path.clone(), a.source.clone());
        }
        out.push(kept.page.clone().expect("finished"));
    }
    out
}
