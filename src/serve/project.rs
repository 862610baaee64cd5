//! The site kept in memory for `zhanting serve`, and rebuilding it after a change.
//!
//! A rebuild runs the pipeline into memory. It does work in proportion to the change,
//! not to the site: the site folder is an index the watcher's events keep current (no
//! `stat` of every file), parsed files, rendered Markdown and list views are kept by
//! the fingerprint of what they were made from, and a page is not rendered at all — it
//! gets the fingerprint of its view, and is made when a browser asks for it. A page whose
//! fingerprint changed is reported changed, so browsers on other pages are left alone.
//!
//! The search index, the feed and the sitemap are the outputs a quick rebuild leaves as
//! they were (no page shows them, and the sitemap lists every page: making it again costs
//! milliseconds per edit at 10,000 pages): [`Outcome::needs_full`] asks the caller to run
//! [`Project::full`] once the reload has been sent.

use super::served::Files;
pub use super::served::Served;
use super::served::{keep, unchanged};
use crate::error::{render_all, Diagnostic, Diagnostics, Lang};
use crate::model::Site;
use crate::pipeline::{Pipeline, Sink};
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
    /// The search index was left as it was: a [`Project::full`] should follow.
    pub needs_full: bool,
    pub elapsed: Duration,
}

pub struct Project {
    pub dir: PathBuf,
    lang: Lang,
    pipeline: Pipeline,
    /// The site of the last good build.
    site: Option<Arc<Site>>,
    files: Arc<Files>,
    /// The diagnostics of the last failed rebuild, rendered; `None` when it succeeded.
    pub error: Option<String>,
    /// Warnings of the last rebuild, rendered.
    pub warnings: Option<String>,
}

/// The renderer a quick rebuild leaves out; its files stay as they were until a full
/// rebuild.
const SEARCH: &str = "search";
/// The renderer the first build leaves out.
const BOARDS: &str = "boards";
/// The feed, the sitemap and robots.txt: left for the follow-up full rebuild too.
const FEEDS: &str = "feeds";
const FEED_FILES: [&str; 3] = ["feed.xml", "sitemap.xml", "robots.txt"];

impl Project {
    /// A project for the site at `dir`, served at `base_url`; not built yet.
    pub fn new(dir: &Path, base_url: &str, lang: Lang) -> Project {
        Project {
            dir: dir.to_path_buf(),
            lang,
            pipeline: Pipeline::serve(dir, base_url),
            site: None,
            files: Arc::default(),
            error: None,
            warnings: None,
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
        Err(text)
    }

    /// Loads and renders everything again.
    pub fn full(&mut self) -> Result<Outcome, String> {
        self.run(&[])
    }

    /// The first build, quick: all but the boards and the search index, which take
    /// seconds and follow in [`Project::full`] (`needs_full`).
    pub fn start(&mut self) -> Result<Outcome, String> {
        let mut outcome = self.run(&[SEARCH, BOARDS])?;
        outcome.needs_full = true;
        Ok(outcome)
    }

    /// Rebuilds after the files `changed` (site-relative) changed: everything but the
    /// search index, the feed and the sitemap, which keep their previous files until the
    /// follow-up [`Project::full`].
    pub fn apply(&mut self, changed: &[String]) -> Result<Outcome, String> {
        self.pipeline.folder().refresh(changed);
        if self.site.is_none() {
            return self.full();
        }
        let mut outcome = self.run(&[SEARCH, FEEDS])?;
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

    /// The pipeline into memory, without the renderers in `skip`.
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
            return self.fail(&diags.into_vec());
        }
        for (k, v) in self.files.iter() {
            let left =
                (skip.contains(&SEARCH) && k.starts_with("search/") && !k.ends_with(".html"))
                    || (skip.contains(&FEEDS) && FEED_FILES.contains(&k.as_str()));
            if left {
                files.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
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
        self.site = Some(run.site);
        self.files = Arc::new(files);
        self.error = None;
        let warnings = &run.report.warnings;
        self.warnings = (!warnings.is_empty()).then(|| render_all(warnings, self.lang));
        Ok(Outcome {
            changed,
            rendered,
            full: skip.is_empty(),
            needs_full: false,
            elapsed: start.elapsed(),
        })
    }
}
