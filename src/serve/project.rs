//! The site kept in memory for `zhanting serve`, and rebuilding it after a change.
//!
//! A rebuild runs the pipeline into memory. It does work in proportion to the change,
//! not to the site: the site folder is an index the watcher's events keep current (no
//! `stat` of every file), parsed files, rendered Markdown and list views are kept by
//! the fingerprint of what they were made from, and a page is not rendered at all — it
//! gets the fingerprint of its view, and is made when a browser asks for it. A page whose
//! fingerprint changed is reported changed, so browsers on other pages are left alone.
//!
//! The search index, the feed, the sitemap and the boards are the outputs a quick
//! rebuild leaves as they were (no page shows the first three, and the sitemap lists
//! every page: making them again costs milliseconds per edit at 10,000 pages; a board
//! takes a second to lay out): [`Outcome::needs_full`] asks the caller for a
//! [`FollowUp`] once the reload has been sent. A follow-up is made from the site of one
//! build without holding the project ([`Project::follow_up`], [`FollowUp::run`],
//! [`Project::merge`]), so an edit saved meanwhile is rebuilt at once and never waits
//! for it; a follow-up made from a site an edit has since replaced is dropped, and the
//! edit's own follow-up comes after it.
//!
//! A portal folder (`portal.yaml`) is served the same way, with one kept pipeline per
//! branch: an edit in a branch runs that branch's pipeline again and the portal's own
//! pages (which show every branch); the other branches' files stay as they were.

use super::served::Files;
pub use super::served::Served;
use super::served::{keep, unchanged};
use crate::artifact::OutputFile;
use crate::error::{render_all, Diagnostic, Diagnostics, Lang};
use crate::model::Site;
use crate::pipeline::{Pipeline, Sink};
use crate::portal::{self, Branch, Portal};
use crate::urls::{routes, Urls};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output files (`news/a/index.html`) that changed, were added or removed.
    pub changed: Vec<String>,
    /// Pages whose view changed (each made when next asked for).
    pub rendered: usize,
    pub full: bool,
    /// The search index, feeds and boards were left as they were: a follow-up
    /// ([`Project::follow_up`]) should follow.
    pub needs_full: bool,
    pub elapsed: Duration,
}

pub struct Project {
    pub dir: PathBuf,
    lang: Lang,
    target: Target,
    /// The site of the last good build (of a site folder).
    site: Option<Arc<Site>>,
    files: Arc<Files>,
    /// The diagnostics of the last failed rebuild, rendered; `None` when it succeeded.
    pub error: Option<String>,
    /// The diagnostics of the last failed rebuild (for the editor, which shows each at
    /// its field); empty when it succeeded.
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings of the last rebuild.
    warnings: Vec<Diagnostic>,
    /// The warnings printed so far, rendered, with their files (see [`unshown`]).
    shown: HashMap<String, Option<String>>,
    /// The links of the last good build (of a site folder).
    urls: Option<Urls>,
    /// Counts the builds that changed what is served: a follow-up made from an earlier
    /// one is dropped.
    generation: u64,
    /// Whether a follow-up (or a full build) has made the outputs the first build left
    /// out: until then a request for one waits for it.
    followed: bool,
}

/// The renderer a quick rebuild leaves out; its files stay as they were until a full
/// rebuild.
const SEARCH: &str = "search";
/// The renderer the first build leaves out.
const BOARDS: &str = "boards";
/// The feed, the sitemap and robots.txt: left for the follow-up full rebuild too.
const FEEDS: &str = "feeds";
/// What quick rebuilds (the first build and those after an edit) leave out, and a
/// follow-up makes.
const LEFT: [&str; 3] = [SEARCH, FEEDS, BOARDS];
/// (A portal's own pages have their sitemap too.)
const FEED_FILES: [&str; 4] = [
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    portal::pages::SITEMAP_FILE,
];

/// What is served: a site folder, or a portal and its branches. Pipelines are shared
/// with the follow-up, which renders from them away from the project.
enum Target {
    Site(Arc<Pipeline>),
    Portal(Box<ServedPortal>),
}

/// A portal in `serve`: its settings (once they read without error), and a kept
/// pipeline and the last good site of each branch.
struct ServedPortal {
    base_url: String,
    portal: Option<Portal>,
    branches: Vec<ServedBranch>,
}

struct ServedBranch {
    branch: Branch,
    pipeline: Arc<Pipeline>,
    /// The last good build's site and links.
    site: Option<(Arc<Site>, Urls)>,
}

impl ServedPortal {
    /// The portal's files: those of the branches at `only` (all when `None`, and any
    /// that never built), each run by its kept pipeline without the renderers in
    /// `skip`, and the portal's own pages over the last good site of every branch.
    fn produce(
        &mut self,
        only: Option<&[usize]>,
        skip: &[&str],
        left: Left,
    ) -> Result<Produced, Vec<Diagnostic>> {
        let Some(portal) = &self.portal else {
            return Err(Vec::new());
        };
        let runs: Vec<(usize, Result<crate::pipeline::Run, Vec<Diagnostic>>)> = {
            use rayon::prelude::*;
            self.branches
                .par_iter()
                .enumerate()
                // A branch that never built runs whatever changed.
                .filter(|(i, b)| b.site.is_none() || only.is_none_or(|o| o.contains(i)))
                .map(|(i, b)| (i, b.pipeline.run_without(&Sink::Memory, skip)))
                .collect()
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut files = Vec::new();
        let mut rerun = Vec::new();
        for (i, result) in runs {
            let b = &mut self.branches[i];
            match result {
                Ok(run) => {
                    warnings.extend(
                        run.report
                            .warnings
                            .into_iter()
                            .map(|d| portal::in_branch(d, &b.branch)),
                    );
                    let shared = Arc::new(b.branch.clone());
                    files.extend(run.files.into_iter().map(|f| portal::moved(f, &shared)));
                    b.site = Some((run.site, run.urls));
                    rerun.push(b.branch.slug.clone());
                }
                Err(e) => errors.extend(e.into_iter().map(|d| portal::in_branch(d, &b.branch))),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let Some(built) = self
            .branches
            .iter()
            .map(|b| {
                Some(portal::pages::Built {
                    branch: &b.branch,
                    site: &b.site.as_ref()?.0,
                })
            })
            .collect::<Option<Vec<_>>>()
        else {
            return Err(Vec::new());
        };
        let urls = crate::urls::Urls::new(&self.base_url, false);
        let (own, _) =
            portal::pages::render(portal, &built, &urls, true, skip).map_err(|d| vec![d])?;
        files.extend(own);
        let slugs: Vec<String> = self
            .branches
            .iter()
            .map(|b| b.branch.slug.clone())
            .collect();
        Ok(Produced {
            files,
            warnings,
            keeps: Box::new(move |path| match path.split_once('/') {
                Some((slug, rest)) if slugs.iter().any(|s| s == slug) => {
                    !rerun.iter().any(|s| s == slug) || left.carried(rest)
                }
                _ => left.carried(path),
            }),
        })
    }
}

/// Which outputs keep their served files because their renderers did not run: the
/// search index, the feeds, the boards' print files and previews.
#[derive(Clone, Copy)]
struct Left {
    search: bool,
    feeds: bool,
    boards: bool,
}

impl Left {
    fn of(skip: &[&str]) -> Left {
        Left {
            search: skip.contains(&SEARCH),
            feeds: skip.contains(&FEEDS),
            boards: skip.contains(&BOARDS),
        }
    }

    /// Whether the output `path` keeps its served file.
    fn carried(self, path: &str) -> bool {
        let board = || {
            path.strip_prefix(&routes::BOARDS[1..])
                .is_some_and(|f| !f.contains('/') && (f.ends_with(".pdf") || f.ends_with(".png")))
        };
        (self.search && path.starts_with("search/") && !path.ends_with(".html"))
            || (self.feeds && FEED_FILES.contains(&path))
            || (self.boards && board())
    }

    /// Whether `path`, an output of a portal whose branches have the slugs `slugs`, is
    /// one of these (its own, or a branch's under `SLUG/`).
    fn carried_in_portal(self, slugs: &[String], path: &str) -> bool {
        match path.split_once('/') {
            Some((slug, rest)) if slugs.iter().any(|s| s == slug) => self.carried(rest),
            _ => self.carried(path),
        }
    }
}

/// What one run produced: the files, the warnings, and which served files not among
/// them stay.
struct Produced {
    files: Vec<OutputFile>,
    warnings: Vec<Diagnostic>,
    keeps: Box<dyn Fn(&str) -> bool>,
}

impl Project {
    /// A project for the site at `dir`, served at `base_url`; not built yet.
    pub fn new(dir: &Path, base_url: &str, lang: Lang) -> Project {
        let target = if portal::is_portal(dir) {
            Target::Portal(Box::new(ServedPortal {
                base_url: base_url.to_string(),
                portal: None,
                branches: Vec::new(),
            }))
        } else {
            Target::Site(Arc::new(Pipeline::serve(dir, base_url)))
        };
        Project {
            dir: dir.to_path_buf(),
            lang,
            target,
            site: None,
            files: Arc::default(),
            error: None,
            diagnostics: Vec::new(),
            warnings: Vec::new(),
            shown: HashMap::new(),
            urls: None,
            generation: 0,
            followed: false,
        }
    }

    pub fn get(&self, file: &str) -> Option<&Served> {
        self.files.get(file)
    }

    pub fn files(&self) -> &Files {
        &self.files
    }

    /// The served files, shared (what requests read while the next rebuild runs).
    pub fn shared_files(&self) -> Arc<Files> {
        self.files.clone()
    }

    /// The site of the last good build.
    pub fn site(&self) -> Option<&Arc<Site>> {
        self.site.as_ref()
    }

    fn fail(&mut self, diags: &[Diagnostic]) -> Result<Outcome, String> {
        let text = render_all(diags, self.lang);
        self.error = Some(text.clone());
        self.diagnostics = diags.to_vec();
        Err(text)
    }

    /// The warnings of the last rebuild that were not printed yet, rendered, after the
    /// files `changed` were saved; `None` when there is none.
    pub fn unshown_warnings(&mut self, changed: &[String]) -> Option<String> {
        let new = unshown(&mut self.shown, &self.warnings, changed, self.lang);
        (!new.is_empty()).then(|| render_all(&new, self.lang))
    }

    /// Loads and renders everything again (a portal's settings read again too), in one
    /// go.
    pub fn full(&mut self) -> Result<Outcome, String> {
        if let Err(diags) = self.reload_portal() {
            return self.fail(&diags);
        }
        let outcome = self.run(None, &[])?;
        self.followed = true;
        Ok(outcome)
    }

    /// The first build, quick: all but the boards, the search index and the feeds,
    /// which take seconds and follow in a [`FollowUp`] (`needs_full`).
    pub fn start(&mut self) -> Result<Outcome, String> {
        if let Err(diags) = self.reload_portal() {
            return self.fail(&diags);
        }
        self.followed = false;
        let mut outcome = self.run(None, &LEFT)?;
        outcome.needs_full = true;
        outcome.full = true;
        Ok(outcome)
    }

    /// Whether outputs the first build left out are still to come from a follow-up (a
    /// request for a file the build does not have waits for it).
    pub fn awaiting(&self) -> bool {
        !self.followed && !self.files.is_empty()
    }

    /// The follow-up of the last good build: the outputs quick rebuilds leave out, to
    /// be made by [`FollowUp::run`] without the project and given back to
    /// [`Project::merge`]. `None` when nothing has built yet.
    pub fn follow_up(&self) -> Option<FollowUp> {
        let work = match &self.target {
            Target::Site(pipeline) => Work::Site {
                pipeline: pipeline.clone(),
                site: self.site.clone()?,
                urls: self.urls.clone()?,
            },
            Target::Portal(p) => Work::Portal {
                portal: p.portal.clone()?,
                base_url: p.base_url.clone(),
                branches: p
                    .branches
                    .iter()
                    .map(|b| {
                        let (site, urls) = b.site.clone()?;
                        Some((Arc::new(b.branch.clone()), b.pipeline.clone(), site, urls))
                    })
                    .collect::<Option<Vec<_>>>()?,
            },
        };
        Some(FollowUp {
            generation: self.generation,
            previous: self.files.clone(),
            work,
        })
    }

    /// Serves what `made` holds, when it was made from the site served now: the changes,
    /// or the follow-up's errors. `None` when an edit has replaced that site since (the
    /// edit's own follow-up will make them).
    pub fn merge(&mut self, made: Made) -> Option<Result<Outcome, String>> {
        if made.generation != self.generation {
            return None;
        }
        let start = Instant::now();
        if made.diags.has_errors() {
            self.followed = true;
            return Some(self.fail(&crate::pipeline::errors_first(made.diags)));
        }
        let slugs = match &self.target {
            Target::Site(_) => None,
            Target::Portal(p) => Some(
                p.branches
                    .iter()
                    .map(|b| b.branch.slug.clone())
                    .collect::<Vec<_>>(),
            ),
        };
        let left = Left::of(&LEFT);
        let mut files: Files = self
            .files
            .iter()
            .filter(|(path, _)| {
                made.files.contains_key(*path)
                    || !match &slugs {
                        None => left.carried(path),
                        Some(slugs) => left.carried_in_portal(slugs, path),
                    }
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        files.extend(made.files);
        self.followed = true;
        // The build's own warnings stay, with the follow-up's (a board's missing glyph).
        let mut warnings = self.warnings.clone();
        warnings.extend(made.diags.into_vec());
        let mut outcome = self.replace(files, warnings);
        outcome.full = true;
        outcome.elapsed = made.elapsed + start.elapsed();
        Some(Ok(outcome))
    }

    /// The folders to watch, each with the prefix its changes are reported under: the
    /// site or portal folder, and the folders of a portal's branches outside it.
    pub fn watched(&self) -> Vec<(PathBuf, String)> {
        let mut roots = vec![(self.dir.clone(), String::new())];
        if let Target::Portal(p) = &self.target {
            let base = self.dir.canonicalize().unwrap_or_else(|_| self.dir.clone());
            for b in &p.branches {
                let dir = b
                    .branch
                    .dir
                    .canonicalize()
                    .unwrap_or_else(|_| b.branch.dir.clone());
                if !dir.starts_with(&base) {
                    roots.push((dir, b.branch.shown.clone()));
                }
            }
        }
        roots
    }

    /// Rebuilds after the files `changed` (site-relative; in a portal relative to the
    /// portal folder) changed: everything but the search index, the feeds and the
    /// boards, which keep their previous files until the follow-up ([`FollowUp`]).
    /// In a portal, only the branches the files are in run again; a change of
    /// portal.yaml, or an edit to a folder that never built, builds everything as the
    /// first build does.
    pub fn apply(&mut self, changed: &[String]) -> Result<Outcome, String> {
        let only = match &mut self.target {
            Target::Site(pipeline) => {
                pipeline.folder().refresh(changed);
                None
            }
            Target::Portal(p) => {
                let mut touched = Vec::new();
                for (i, b) in p.branches.iter().enumerate() {
                    let prefix = format!("{}/", b.branch.shown);
                    let rels: Vec<String> = changed
                        .iter()
                        .filter_map(|c| c.strip_prefix(&prefix).map(str::to_string))
                        .collect();
                    if !rels.is_empty() {
                        b.pipeline.folder().refresh(&rels);
                        touched.push(i);
                    }
                }
                if p.portal.is_none() || changed.iter().any(|c| c == portal::config::FILE) {
                    return self.start();
                }
                if touched.is_empty() {
                    return Ok(Outcome::default());
                }
                Some(touched)
            }
        };
        if self.files.is_empty() {
            return self.start();
        }
        let mut outcome = self.run(only.as_deref(), &LEFT)?;
        outcome.needs_full = true;
        // Files served from the site folder keep their place: name them when they change.
        for rel in changed {
            let source = Served::File(self.dir.join(rel));
            for (out, served) in self.files.iter() {
                if *served == source && !outcome.changed.contains(out) {
                    outcome.changed.push(out.clone());
                }
            }
        }
        Ok(outcome)
    }

    /// A portal's settings read (again); its branches' pipelines made anew when the
    /// branches changed.
    fn reload_portal(&mut self) -> Result<(), Vec<Diagnostic>> {
        let Target::Portal(p) = &mut self.target else {
            return Ok(());
        };
        let portal = Portal::from_dir(&self.dir).inspect_err(|_| p.portal = None)?;
        let same = p.branches.len() == portal.branches.len()
            && p.branches
                .iter()
                .zip(&portal.branches)
                .all(|(a, b)| a.branch.slug == b.slug && a.branch.dir == b.dir);
        let link = portal.link(&crate::urls::Urls::new(&p.base_url, false).base_path);
        let same = same
            && p.portal
                .as_ref()
                .is_some_and(|old| old.config.title == portal.config.title);
        if !same {
            p.branches = portal
                .branches
                .iter()
                .map(|b| ServedBranch {
                    branch: b.clone(),
                    pipeline: Arc::new(
                        Pipeline::serve(&b.dir, &format!("{}{}/", p.base_url, b.slug))
                            .with_cache_root(&self.dir)
                            .in_portal(link.clone()),
                    ),
                    site: None,
                })
                .collect();
        }
        p.portal = Some(portal);
        Ok(())
    }

    /// The site's files, or the portal's: those of the branches at `only` (all when
    /// `None`) and the portal's own pages.
    fn produce(
        &mut self,
        only: Option<&[usize]>,
        skip: &[&str],
    ) -> Result<Produced, Vec<Diagnostic>> {
        let left = Left::of(skip);
        match &mut self.target {
            Target::Site(pipeline) => {
                let run = pipeline.run_without(&Sink::Memory, skip)?;
                self.site = Some(run.site);
                self.urls = Some(run.urls);
                Ok(Produced {
                    files: run.files,
                    warnings: run.report.warnings,
                    keeps: Box::new(move |path| left.carried(path)),
                })
            }
            Target::Portal(p) => p.produce(only, skip, left),
        }
    }

    /// The pipeline into memory (in a portal, of the branches at `only`), without the
    /// renderers in `skip`.
    fn run(&mut self, only: Option<&[usize]>, skip: &[&str]) -> Result<Outcome, String> {
        let start = Instant::now();
        let produced = match self.produce(only, skip) {
            Ok(p) => p,
            Err(diags) => return self.fail(&diags),
        };
        let mut diags = Diagnostics::new();
        let kept = Instant::now();
        let mut files = keep(produced.files, &self.files, &mut diags);
        crate::timing::timing("keep", kept);
        if diags.has_errors() {
            return self.fail(&diags.into_vec());
        }
        for (k, v) in self.files.iter() {
            if (produced.keeps)(k) {
                files.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        self.error = None;
        self.diagnostics.clear();
        let mut outcome = self.replace(files, produced.warnings);
        outcome.full = skip.is_empty();
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    /// Serves `files` from now on, with `warnings`: what changed.
    fn replace(&mut self, files: Files, warnings: Vec<Diagnostic>) -> Outcome {
        let changed: Vec<String> = files
            .iter()
            .filter(|(k, v)| !self.files.get(*k).is_some_and(|old| unchanged(old, v)))
            .map(|(k, _)| k.clone())
            .chain(
                self.files
                    .keys()
                    .filter(|k| !files.contains_key(*k))
                    .cloned(),
            )
            .collect();
        let rendered = changed.iter().filter(|k| k.ends_with(".html")).count();
        self.files = Arc::new(files);
        self.generation += 1;
        self.warnings = warnings;
        Outcome {
            changed,
            rendered,
            ..Outcome::default()
        }
    }
}

/// The outputs quick rebuilds leave out (the search index, the feeds, the boards) of one
/// build, to be made from its site away from the project: see the module's
/// documentation.
pub struct FollowUp {
    /// The build it follows.
    generation: u64,
    /// The files served when it was asked for (made pages are kept by their key).
    previous: Arc<Files>,
    work: Work,
}

/// What a follow-up renders from. One exists at a time, briefly: the size of its
/// larger variant costs nothing.
#[allow(clippy::large_enum_variant)]
enum Work {
    Site {
        pipeline: Arc<Pipeline>,
        site: Arc<Site>,
        urls: Urls,
    },
    /// Every branch's, and the portal's own pages (its search index is every branch's).
    Portal {
        portal: Portal,
        base_url: String,
        branches: Vec<BranchWork>,
    },
}

/// A portal branch's part of a follow-up: the branch, its pipeline, site and addresses.
type BranchWork = (Arc<Branch>, Arc<Pipeline>, Arc<Site>, Urls);

/// A follow-up's files, made and ready to serve, with its diagnostics; for
/// [`Project::merge`].
pub struct Made {
    generation: u64,
    files: Files,
    diags: Diagnostics,
    elapsed: Duration,
}

impl FollowUp {
    /// Makes the outputs (in the rayon pool it is called in).
    pub fn run(self) -> Made {
        let start = Instant::now();
        let mut diags = Diagnostics::new();
        let files = match &self.work {
            Work::Site {
                pipeline,
                site,
                urls,
            } => pipeline.render_only(site, urls, &LEFT, &mut diags),
            Work::Portal {
                portal,
                base_url,
                branches,
            } => {
                use rayon::prelude::*;
                let made: Vec<(Vec<OutputFile>, Diagnostics)> = branches
                    .par_iter()
                    .map(|(branch, pipeline, site, urls)| {
                        let mut d = Diagnostics::new();
                        let files = pipeline.render_only(site, urls, &LEFT, &mut d);
                        let files = files.into_iter().map(|f| portal::moved(f, branch));
                        let d = d.into_iter().map(|d| portal::in_branch(d, branch));
                        (files.collect(), d.collect::<Vec<_>>().into())
                    })
                    .collect();
                let mut files = Vec::new();
                for (f, d) in made {
                    files.extend(f);
                    diags.extend(d);
                }
                let built: Vec<portal::pages::Built> = branches
                    .iter()
                    .map(|(branch, _, site, _)| portal::pages::Built { branch, site })
                    .collect();
                let urls = Urls::new(base_url, false);
                match portal::pages::render(portal, &built, &urls, true, &[]) {
                    Ok((own, _)) => files.extend(own),
                    Err(d) => diags.push(d),
                }
                files
            }
        };
        let files = if diags.has_errors() {
            Files::default()
        } else {
            keep(files, &self.previous, &mut diags)
        };
        Made {
            generation: self.generation,
            files,
            diags,
            elapsed: start.elapsed(),
        }
    }
}

/// Which of `warnings` to print, given those `shown` so far (rendered, with their
/// files), after the files `changed` were saved. A warning is printed once, not on every
/// save: again only when its text changes (another line, another number), or when a save
/// of its file made it go away and it came back. `shown` is updated.
fn unshown(
    shown: &mut HashMap<String, Option<String>>,
    warnings: &[Diagnostic],
    changed: &[String],
    lang: Lang,
) -> Vec<Diagnostic> {
    let current: Vec<(String, &Diagnostic)> =
        warnings.iter().map(|d| (d.render(lang), d)).collect();
    shown.retain(|text, file| {
        let saved = file.as_ref().is_some_and(|f| changed.contains(f));
        !saved || current.iter().any(|(t, _)| t == text)
    });
    let mut new = Vec::new();
    for (text, d) in current {
        if shown.insert(text, d.file.clone()).is_none() {
            new.push(d.clone());
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(line: usize, number: &str) -> Diagnostic {
        let text = format!("{}联系人 {number}\n", "\n".repeat(line - 1));
        Diagnostic::warning("a mobile phone number", "手机号码")
            .file("content/news/a.md")
            .at(&text, line, 5)
    }

    #[test]
    fn a_warning_is_printed_once_until_its_text_changes() {
        let mut shown = HashMap::new();
        let other = ["content/news/b.md".to_string()];
        let saved = ["content/news/a.md".to_string()];
        let w = [phone(3, "13812345678")];
        assert_eq!(unshown(&mut shown, &w, &[], Lang::Zh).len(), 1);
        // Saving this file or another, the warning stays as it was: not printed again.
        assert!(unshown(&mut shown, &w, &saved, Lang::Zh).is_empty());
        assert!(unshown(&mut shown, &w, &other, Lang::Zh).is_empty());
        // A rebuild that leaves it out (a quick one) does not forget it.
        assert!(unshown(&mut shown, &[], &other, Lang::Zh).is_empty());
        assert!(unshown(&mut shown, &w, &other, Lang::Zh).is_empty());
        // Its text changed: printed again, once.
        let changed = [phone(3, "13912345678")];
        assert_eq!(unshown(&mut shown, &changed, &saved, Lang::Zh), changed);
        assert!(unshown(&mut shown, &changed, &saved, Lang::Zh).is_empty());
        // Fixed by a save of its file, then written again: printed again.
        assert!(unshown(&mut shown, &[], &saved, Lang::Zh).is_empty());
        assert_eq!(unshown(&mut shown, &changed, &saved, Lang::Zh), changed);
    }
}
