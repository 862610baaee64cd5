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
//! A portal folder (`portal.yaml`) is served the same way: its serve pipeline keeps one
//! pipeline per branch, and an edit in a branch runs that branch's again and the
//! portal's own pages (which show every branch); the other branches' files stay as they
//! were.

use super::served::Files;
pub use super::served::Served;
use super::served::{keep, unchanged};
use crate::error::{render_all, Diagnostic, Diagnostics, Lang};
use crate::model::Site;
use crate::pipeline::{Pipeline, Refresh, Sink, Sites};
use crate::urls::routes;
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
    /// The site's or the portal's serve pipeline, shared with the follow-up, which
    /// renders from it away from the project.
    pipeline: Arc<Pipeline>,
    /// What the last good build was made from: the site, or the portal's branches.
    sites: Option<Sites>,
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
    crate::portal::pages::SITEMAP_FILE,
];

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

    /// Whether the output `path` of a site keeps its served file.
    fn carried(self, path: &str) -> bool {
        let board = || {
            path.strip_prefix(&routes::BOARDS[1..])
                .is_some_and(|f| !f.contains('/') && (f.ends_with(".pdf") || f.ends_with(".png")))
        };
        (self.search && path.starts_with("search/") && !path.ends_with(".html"))
            || (self.feeds && FEED_FILES.contains(&path))
            || (self.boards && board())
    }

    /// Whether `path` keeps its served file, an output of a site, or of a portal whose
    /// branches have the slugs `slugs` (its own, or a branch's under `SLUG/`).
    fn carried_in(self, slugs: &[String], path: &str) -> bool {
        match path.split_once('/') {
            Some((slug, rest)) if slugs.iter().any(|s| s == slug) => self.carried(rest),
            _ => self.carried(path),
        }
    }
}

impl Project {
    /// A project for the site or portal at `dir`, served at `base_url`; not built yet.
    pub fn new(dir: &Path, base_url: &str, lang: Lang) -> Project {
        Project {
            dir: dir.to_path_buf(),
            lang,
            pipeline: Arc::new(Pipeline::serve(dir, base_url)),
            sites: None,
            files: Arc::default(),
            error: None,
            diagnostics: Vec::new(),
            warnings: Vec::new(),
            shown: HashMap::new(),
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

    /// The site of the last good build (of a site folder).
    pub fn site(&self) -> Option<&Arc<Site>> {
        self.sites.as_ref()?.site()
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
        self.pipeline.touch_all();
        let outcome = self.run(&[])?;
        self.followed = true;
        Ok(outcome)
    }

    /// The first build, quick: all but the boards, the search index and the feeds,
    /// which take seconds and follow in a [`FollowUp`] (`needs_full`).
    pub fn start(&mut self) -> Result<Outcome, String> {
        self.pipeline.touch_all();
        self.followed = false;
        let mut outcome = self.run(&LEFT)?;
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
        Some(FollowUp {
            generation: self.generation,
            previous: self.files.clone(),
            pipeline: self.pipeline.clone(),
            sites: self.sites.clone()?,
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
        let slugs = self.sites.as_ref().map(Sites::slugs).unwrap_or_default();
        let left = Left::of(&LEFT);
        let mut files: Files = self
            .files
            .iter()
            .filter(|(path, _)| made.files.contains_key(*path) || !left.carried_in(&slugs, path))
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
        let base = self.dir.canonicalize().unwrap_or_else(|_| self.dir.clone());
        for (dir, shown) in self.pipeline.branch_folders() {
            let dir = dir.canonicalize().unwrap_or(dir);
            if !dir.starts_with(&base) {
                roots.push((dir, shown));
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
        match self.pipeline.refresh(changed) {
            Refresh::Nothing => return Ok(Outcome::default()),
            Refresh::Everything => return self.start(),
            Refresh::Changed if self.files.is_empty() => return self.start(),
            Refresh::Changed => {}
        }
        let mut outcome = self.run(&LEFT)?;
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

    /// The pipeline into memory (in a portal, of the branches a change touched),
    /// without the renderers in `skip`; the served files of what did not run stay.
    fn run(&mut self, skip: &[&str]) -> Result<Outcome, String> {
        let start = Instant::now();
        let run = match self.pipeline.run_without(&Sink::Memory, skip) {
            Ok(run) => run,
            Err(diags) => return self.fail(&diags),
        };
        let mut diags = Diagnostics::new();
        let kept = Instant::now();
        let mut files = keep(run.files, &self.files, &mut diags);
        crate::timing::timing("keep", kept);
        if diags.has_errors() {
            // The pipeline kept the branches' runs as their last good ones: not served,
            // they run again with the next change.
            self.pipeline
                .touch_again(run.ran.as_deref().unwrap_or_default());
            return self.fail(&diags.into_vec());
        }
        let slugs = run.sites.slugs();
        let ran = run.ran.unwrap_or_else(|| slugs.clone());
        let left = Left::of(skip);
        for (k, v) in self.files.iter() {
            let still = match k.split_once('/') {
                Some((slug, _)) if slugs.iter().any(|s| s == slug) => {
                    !ran.iter().any(|s| s == slug)
                }
                _ => false,
            };
            if still || left.carried_in(&slugs, k) {
                files.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        self.sites = Some(run.sites);
        self.error = None;
        self.diagnostics.clear();
        let mut outcome = self.replace(files, run.report.warnings);
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
    pipeline: Arc<Pipeline>,
    /// What that build was made from.
    sites: Sites,
}

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
        let files = self.pipeline.render_only(&self.sites, &LEFT, &mut diags);
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
