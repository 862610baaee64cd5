//! `content/`: Markdown pages with YAML front matter, one folder per section, each
//! section's own `_index.md`, and root pages such as `content/about.md`.
//!
//! Files are parsed in parallel; then the pages get their drafts and URLs (so links
//! between them can be resolved), and only then is Markdown rendered, again in parallel.
//!
//! `zhanting serve` keeps what each file became (`Kept`) between loads: a file whose
//! stamp is unchanged is not read again, a draft whose context is unchanged is not made
//! again, Markdown whose links still resolve the same is not rendered again, and a page
//! whose draft and Markdown are both kept is the same page (`Arc`), so what is keyed by
//! it downstream is not made again either. A load after an edit does work for the
//! edited files, not for the site.

mod file;
pub(crate) use file::check_text;
pub use file::split_front_matter;
#[cfg(test)]
pub(crate) use file::{front_matter_schema, section_schema};
mod pages;
mod sections;

pub(crate) use sections::LastIndex;

use super::media::Planner;
use super::{check_file_ref, LoadOptions};
use crate::cache::{fingerprint, Stamp};
use crate::checks::Checks;
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
    /// Which link table `pages` is (see [`Structure`]).
    links_gen: u64,
    pub pages: Arc<FxHashMap<Arc<str>, Arc<str>>>,
    pub unpublished: Arc<FxHashSet<String>>,
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
    /// The page's Markdown, the fingerprint of what it was rendered with, and the link
    /// table it was checked against.
    rendered: Option<(u64, Arc<markdown::Rendered>, u64)>,
    /// The page finished from the draft and the Markdown above.
    page: Option<Arc<Page>>,
    /// What the inspection checks found in the file, and the fingerprint of the checks.
    checked: Option<(u64, Arc<Vec<crate::error::Diagnostic>>)>,
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
#[allow(clippy::too_many_arguments)] // what loading knows so far, each from its own file
pub fn parse(
    folder: &Arc<SiteFolder>,
    config: &SiteConfig,
    pillars: Option<&[(String, String)]>,
    albums: &[Album],
    opts: &LoadOptions,
    planner: Planner,
    checks: &Checks,
    diags: &mut Diagnostics,
) -> (Parsed, LinkEnv) {
    let (mut files, read) = read_files(folder, opts, checks);
    let shape = Shape {
        folder,
        config,
        pillars,
        albums,
        drafts: opts.drafts,
    };
    let last = opts
        .memos
        .as_ref()
        .map(|m| m.structure.lock().unwrap_or_else(|e| e.into_inner()).take());
    let structure = match last.flatten() {
        Some(last) => match shape.again(&mut files, &read, last) {
            Ok(s) => s,
            Err(()) => shape.whole(&mut files, diags),
        },
        None => shape.whole(&mut files, diags),
    };
    // Kept apart from the structure's own problems, which decide whether it is reused.
    for (_, k) in &files {
        if let Some((_, found)) = &k.checked {
            diags.extend(found.iter().cloned());
        }
    }
    let env = LinkEnv {
        folder: folder.clone(),
        links_gen: structure.links_gen,
        pages: structure.links.clone(),
        unpublished: structure.unpublished.clone(),
        urls: opts.urls.clone(),
        slugs: config.slugs,
        pictures: planner,
    };
    let pages = structure.pages.clone();
    let found = structure.found.clone();
    if let Some(m) = &opts.memos {
        *m.structure.lock().unwrap_or_else(|e| e.into_inner()) = Some(structure);
    }
    let parsed = Parsed {
        files,
        pages,
        sections: found.into_iter().map(|(_, s, f)| (s, f)).collect(),
    };
    (parsed, env)
}

/// What reading the files found: which were parsed now, and which went.
struct Read {
    /// Files parsed now (new or changed), as indexes.
    fresh: Vec<usize>,
    /// Files of the last load that are gone.
    removed: Vec<String>,
    /// How many files are new.
    added: usize,
}

/// How the pages hang together: the sections, the published pages and their paths.
/// Made again only when a page comes, goes or changes its place (`serve`); then
/// [`Shape::again`] reuses the last one.
#[derive(Clone)]
pub(crate) struct Structure {
    /// Unique per structure made: a render made with the same links needs its links to
    /// pages checked no more.
    links_gen: u64,
    found: Vec<sections::Found>,
    /// The draft context the drafts were made in.
    context: u64,
    /// Published page files, as indexes of the files.
    pages: Vec<usize>,
    links: Arc<FxHashMap<Arc<str>, Arc<str>>>,
    unpublished: Arc<FxHashSet<String>>,
    /// Every path claimed, with what claims it.
    routes: Routes,
    /// How many content files there were.
    files: usize,
    /// Whether gathering, claiming and drafting found nothing to report: only then is
    /// the structure reused (its diagnostics need not be found again).
    clean: bool,
}

/// What the structure of the pages is made from.
struct Shape<'a> {
    folder: &'a Arc<SiteFolder>,
    config: &'a SiteConfig,
    pillars: Option<&'a [(String, String)]>,
    albums: &'a [Album],
    drafts: bool,
}

impl Shape<'_> {
    fn builder<'b>(&'b self, found: &'b [sections::Found]) -> PageBuilder<'b> {
        PageBuilder {
            folder: self.folder,
            config: self.config,
            sections: found,
            pillars: self.pillars,
            albums: self.albums,
        }
    }

    /// Gathers the sections, makes (or keeps) every page's draft, claims every path.
    fn whole(&self, files: &mut [(String, Kept)], diags: &mut Diagnostics) -> Structure {
        let mark = diags.len();
        let (found, page_files) = sections::gather(files, self.config, diags);
        let mut routes = Routes::reserved(self.pillars, files.len());
        for (_, section, src) in &found {
            let label = src
                .as_ref()
                .map(|s| s.rel.clone())
                .unwrap_or_else(|| section.dir.clone());
            routes.claim(&section.path.as_str().into(), &label.into(), None, diags);
        }
        let builder = self.builder(&found);
        let context = builder.context();
        let mut unpublished = FxHashSet::default();
        let mut pages = Vec::new();
        for i in page_files {
            let (rel, kept) = &mut files[i];
            let parsed = kept.parsed.clone().expect("parsed above");
            let raw = sections::page_file(&parsed);
            if raw.matter.draft && !self.drafts {
                unpublished.insert(rel.clone());
                continue;
            }
            let draft = match &kept.draft {
                Some((c, draft)) if *c == context => {
                    routes.claim(&draft.path, &draft.source, Some(&raw.text), diags);
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
        let mut links =
            FxHashMap::with_capacity_and_hasher(pages.len() + found.len(), Default::default());
        links.extend(
            pages
                .iter()
                .filter_map(|&i| {
                    let draft = &files[i].1.draft.as_ref()?.1;
                    Some((draft.source.clone(), draft.path.clone()))
                })
                .chain(found.iter().filter_map(|(_, s, src)| {
                    src.as_ref()
                        .map(|f| (f.rel.as_str().into(), s.path.as_str().into()))
                })),
        );
        Structure {
            links_gen: next_links_gen(),
            clean: diags.len() == mark,
            found,
            context,
            pages,
            links: Arc::new(links),
            unpublished: Arc::new(unpublished),
            routes,
            files: files.len(),
        }
    }

    /// The last structure, changed where pages came, went or changed: their drafts are
    /// made again, their paths claimed or given up, nothing else is visited. `Err` when
    /// the sections may have changed (a section's `_index.md` came, went or changed, a
    /// page is the first or last of a folder without one), when a file has problems or
    /// a path is taken: [`Shape::whole`] finds and reports all that.
    fn again(
        &self,
        files: &mut [(String, Kept)],
        read: &Read,
        mut last: Structure,
    ) -> Result<Structure, ()> {
        // The files the last load kept are those the structure was made from (a load
        // that failed after making it kept none: then every file looks new).
        if !last.clean || last.files + read.added != files.len() + read.removed.len() {
            return Err(());
        }
        last.files = files.len();
        // Borrowed while the link table changes; given back at the end.
        let found = std::mem::take(&mut last.found);
        let builder = self.builder(&found);
        if builder.context() != last.context {
            return Err(());
        }
        let (mut moved, thinned) = last.forget(&read.removed, &found)?;
        let (drafts, redrawn) = self.redraft(files, &read.fresh, &builder, &found, &mut last)?;
        moved |= redrawn;
        // Folders without `_index.md` that lost a page must each still have one.
        for folder in thinned {
            let prefix = format!("content/{folder}/");
            if !files
                .iter()
                .any(|(rel, k)| rel.starts_with(&prefix) && k.is_page())
            {
                return Err(());
            }
        }
        for (i, draft) in drafts {
            let kept = &mut files[i].1;
            kept.draft = Some((last.context, draft));
            kept.page = None;
        }
        if moved || !read.removed.is_empty() {
            // Files came or went: the published pages' indexes, in file order.
            last.pages = (0..files.len())
                .filter(|&i| files[i].1.is_page() && !last.unpublished.contains(&files[i].0))
                .collect();
        }
        if moved {
            last.links_gen = next_links_gen();
        }
        last.found = found;
        Ok(last)
    }

    /// The drafts of the pages read now (`fresh`), made again, their paths claimed in
    /// `last`'s table (a page turned draft given up), and whether a path moved. `Err`
    /// as [`Shape::again`].
    fn redraft(
        &self,
        files: &[(String, Kept)],
        fresh: &[usize],
        builder: &PageBuilder,
        found: &[sections::Found],
        last: &mut Structure,
    ) -> Result<Redrafted, ()> {
        let mut moved = false;
        let mut drafts = Vec::new();
        for &i in fresh {
            let (rel, kept) = &files[i];
            let parsed = kept.parsed.as_ref().expect("parsed");
            let (Some(file::Entry::Page(raw)), true) = (&parsed.entry, parsed.diags.is_empty())
            else {
                return Err(());
            };
            let old = last.links.get(rel.as_str()).cloned();
            let was_unpublished = last.unpublished.contains(rel);
            if old.is_none() && !was_unpublished {
                // A new page: in a folder that is a section already, or none.
                if folder_of(rel).is_some_and(|f| section(found, &f).is_none()) {
                    return Err(());
                }
            }
            if raw.matter.draft && !self.drafts {
                moved |= last.unlink(rel);
                Arc::make_mut(&mut last.unpublished).insert(rel.clone());
                continue;
            }
            if was_unpublished {
                Arc::make_mut(&mut last.unpublished).remove(rel);
            }
            let mut scratch = Diagnostics::new();
            let mut routes = Routes::reserved(self.pillars, 1);
            let Some(draft) = builder.draft(raw, &mut routes, &mut scratch) else {
                return Err(());
            };
            if !scratch.is_empty() {
                return Err(());
            }
            if old.as_ref() != Some(&draft.path) {
                last.unlink(rel);
                if !last.link(&draft) {
                    return Err(());
                }
                moved = true;
            }
            drafts.push((i, Arc::new(draft)));
        }
        Ok((drafts, moved))
    }
}

/// The section folder of content file `rel` (`content/news/a.md` → `news`); `None` for
/// a file at the top of `content/`.
fn folder_of(rel: &str) -> Option<String> {
    let mut parts = rel.splitn(3, '/');
    let (_, folder, rest) = (parts.next(), parts.next(), parts.next());
    folder.filter(|_| rest.is_some()).map(str::to_string)
}

/// The section of `folder` among those `found`.
fn section<'a>(found: &'a [sections::Found], folder: &str) -> Option<&'a sections::Found> {
    found.iter().find(|(name, _, _)| name == folder)
}

impl Structure {
    /// The pages `removed` taken out of the table: whether any was published, and the
    /// folders without `_index.md` that lost one. `Err` when a section's `_index.md` went.
    fn forget(
        &mut self,
        removed: &[String],
        found: &[sections::Found],
    ) -> Result<(bool, Vec<String>), ()> {
        let mut moved = false;
        let mut thinned = Vec::new();
        for rel in removed {
            if found
                .iter()
                .any(|(_, _, src)| src.as_ref().is_some_and(|f| &f.rel == rel))
            {
                return Err(());
            }
            if let Some(folder) = folder_of(rel) {
                if section(found, &folder).is_some_and(|(_, _, src)| src.is_none()) {
                    thinned.push(folder);
                }
            }
            moved |= self.unlink(rel);
            if self.unpublished.contains(rel) {
                Arc::make_mut(&mut self.unpublished).remove(rel);
            }
        }
        Ok((moved, thinned))
    }

    /// Takes page `rel` out of the link table and frees its path; whether it was there.
    fn unlink(&mut self, rel: &str) -> bool {
        if !self.links.contains_key(rel) {
            return false;
        }
        if let Some(path) = Arc::make_mut(&mut self.links).remove(rel) {
            self.routes.give_up(&path);
        }
        true
    }

    /// Claims the path of `draft` and puts it in the link table; `false` when the path
    /// is taken.
    fn link(&mut self, draft: &Page) -> bool {
        if !self.routes.claim_free(&draft.path, &draft.source) {
            return false;
        }
        Arc::make_mut(&mut self.links).insert(draft.source.clone(), draft.path.clone());
        true
    }
}

impl Kept {
    /// Whether the file is a page (published or not).
    fn is_page(&self) -> bool {
        self.parsed
            .as_ref()
            .is_some_and(|p| matches!(p.entry, Some(file::Entry::Page(_))))
    }
}

/// A new link table's number.
fn next_links_gen() -> u64 {
    static LINKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    LINKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The content files in which the inspection checks found nothing, by path, with their
/// stamp (size, modification time in nanoseconds), kept in
/// `.zhanting-cache/checks/clean` from build to build: such a file, unchanged and checked
/// by the same checks, is not read again for them. A file with findings is checked each
/// time, so its warnings are always shown.
struct CleanFiles {
    cache: crate::cache::DiskCache,
    key: u64,
    header: String,
    clean: FxHashMap<String, String>,
}

impl CleanFiles {
    const FILE: &'static str = "clean";

    fn new(folder: &SiteFolder, checks: &Checks) -> CleanFiles {
        let cache = crate::cache::DiskCache::new(folder.root(), "checks");
        let header = format!("zhanting-checks-v1 {:016x}", checks.key());
        let text = cache
            .read(Self::FILE)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let mut lines = text.lines();
        let clean = if lines.next() == Some(header.as_str()) {
            lines
                .filter_map(|l| {
                    let (stamp, rel) = l.split_once('\t')?;
                    Some((rel.to_string(), stamp.to_string()))
                })
                .collect()
        } else {
            FxHashMap::default()
        };
        CleanFiles {
            cache,
            key: checks.key(),
            header,
            clean,
        }
    }

    /// A stamp as written in the record: `SIZE.NANOSECONDS`; `None` without a time.
    fn written(stamp: Option<Stamp>) -> Option<String> {
        let (size, time) = stamp?;
        Some(format!("{size}.{}", crate::cache::nanos(time)?))
    }

    fn is_clean(&self, rel: &str, stamp: Option<Stamp>) -> bool {
        Self::written(stamp).is_some_and(|s| self.clean.get(rel) == Some(&s))
    }

    /// Saves the clean files of `files` when they differ from what was read.
    fn update(&self, files: &[(String, Kept)]) {
        let now: Vec<(&str, String)> = files
            .iter()
            .filter(|(_, k)| {
                k.checked
                    .as_ref()
                    .is_some_and(|c| c.0 == self.key && c.1.is_empty())
            })
            .filter_map(|(rel, k)| Some((rel.as_str(), Self::written(k.stamp)?)))
            .collect();
        let same = now.len() == self.clean.len()
            && now.iter().all(|(rel, s)| self.clean.get(*rel) == Some(s));
        if same {
            return;
        }
        let mut text = format!("{}\n", self.header);
        for (rel, stamp) in now {
            text.push_str(&format!("{stamp}\t{rel}\n"));
        }
        // Only a cache: a failed write costs the next build the checks' time.
        let _ = self.cache.write(Self::FILE, text.as_bytes());
    }
}

/// Every Markdown file under `content/` with what it became last time (`serve`), parsed
/// now where it is new or changed (in parallel).
fn read_files(
    folder: &SiteFolder,
    opts: &LoadOptions,
    checks: &Checks,
) -> (Vec<(String, Kept)>, Read) {
    let mut kept = opts
        .memos
        .as_ref()
        .map(|m| m.content.take())
        .unwrap_or_default();
    // A build, a check and serve's first load (nothing kept in memory yet) read the
    // record of clean files; serve's later loads keep what the checks found in memory.
    let remembered = !kept.is_empty();
    let mut files: Vec<(String, Kept)> = Vec::with_capacity(kept.len());
    let mut added = 0;
    folder.for_each_file("content", |rel, stamp| {
        if !rel.ends_with(".md") {
            return;
        }
        let fresh = Kept {
            stamp,
            ..Kept::default()
        };
        files.push(match kept.remove_entry(rel) {
            Some((rel, (_, k))) if stamp.is_some() && k.stamp == stamp => (rel, k),
            Some((rel, _)) => (rel, fresh),
            None => {
                added += 1;
                (rel.to_string(), fresh)
            }
        });
    });
    let fresh: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].1.parsed.is_none())
        .collect();
    files
        .par_iter_mut()
        .filter(|(_, k)| k.parsed.is_none())
        .for_each(|(rel, k)| k.parsed = Some(parse_file(folder, rel, k.stamp)));
    let record = (!remembered).then(|| CleanFiles::new(folder, checks));
    files
        .par_iter_mut()
        .filter(|(_, k)| k.checked.as_ref().is_none_or(|c| c.0 != checks.key()))
        .for_each(|(rel, k)| {
            if record.as_ref().is_some_and(|r| r.is_clean(rel, k.stamp)) {
                k.checked = Some((checks.key(), Arc::default()));
                return;
            }
            let mut found = Diagnostics::new();
            if let Some(text) = k.parsed.as_ref().and_then(|p| file::text_of(p)) {
                checks.text(rel, &text.0, Some(text.1), &[], &mut found);
            }
            k.checked = Some((checks.key(), Arc::new(found.into_vec())));
        });
    if let Some(record) = record {
        record.update(&files);
    }
    let read = Read {
        fresh,
        removed: kept.into_keys().collect(),
        added,
    };
    (files, read)
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
        let pages = render_pages(
            &mut self.files,
            &self.pages,
            env,
            site,
            diags,
            memos.is_some(),
        );
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
        match memos {
            Some(memos) => {
                let mut last = memos.index.lock().unwrap_or_else(|e| e.into_inner());
                sections::index_again(&mut last, site, pages, sections);
            }
            None => sections::index(site, pages, sections),
        }
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
    keep: bool,
) -> Vec<Arc<Page>> {
    let env_key = env.fingerprint();
    let mut is_page = vec![false; files.len()];
    for &i in pages {
        is_page[i] = true;
    }
    files
        .par_iter_mut()
        .enumerate()
        .filter(|(i, _)| is_page[*i])
        .for_each(|(_, (rel, kept))| {
            let parsed = kept.parsed.clone().expect("parsed");
            let src = sections::page_file(&parsed);
            let draft = kept
                .draft
                .as_ref()
                .expect("a published page has a draft")
                .1
                .clone();
            let ctx = env.context(rel, &src.text, src.body_line_offset, &draft.path);
            let key = fingerprint(&(env_key, &draft.path, kept.stamp, src.body_start));
            // Links to pages can resolve otherwise only with another link table.
            let same_links = |gen: u64| gen == env.links_gen;
            let still_good = |(k, r, gen): &(u64, Arc<markdown::Rendered>, u64)| {
                *k == key
                    && r.lookups.iter().all(|l| {
                        (same_links(*gen) && matches!(l, markdown::Lookup::Page { .. }))
                            || ctx.resolves_as(l)
                    })
            };
            match &mut kept.rendered {
                Some(r) if still_good(r) => r.2 = env.links_gen,
                _ => {
                    let r = Arc::new(markdown::render(src.body(), &ctx));
                    kept.rendered = Some((key, r, env.links_gen));
                    kept.page = None;
                }
            }
            if !keep {
                // A build: the file's text and draft are not needed again.
                kept.parsed = None;
                kept.draft = None;
            }
            if kept.page.is_none() {
                let (_, r, _) = kept.rendered.as_ref().expect("rendered above");
                kept.page = Some(Arc::new(pages::finished(draft, r, keep)));
            }
        });
    let mut out = Vec::with_capacity(pages.len());
    for &i in pages {
        let kept = &files[i].1;
        let (_, r, _) = kept.rendered.as_ref().expect("rendered");
        diags.extend(r.diagnostics.iter().cloned());
        for a in &r.assets {
            site.assets.insert(a.path.clone(), a.source.clone());
        }
        out.push(kept.page.clone().expect("finished"));
    }
    out
}

/// The pages loaded again (by index) and whether any of them moved.
type Redrafted = (Vec<(usize, Arc<Page>)>, bool);
