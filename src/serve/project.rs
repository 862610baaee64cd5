//! The site kept in memory for `zhanting serve`, and rebuilding it after a change.
//!
//! A change to one page's body (same front matter, same summary, no new image) is the
//! fast path: that file is read again, its Markdown rendered, its one page re-rendered.
//! Everything else — front matter, YAML, templates, new or deleted files — runs the
//! pipeline again into memory, reusing what its caches hold; only outputs whose bytes
//! changed are reported, so browsers on other pages are left alone. After a fast path
//! the search index, which holds the body's text, is out of date:
//! [`Outcome::needs_full`] asks the caller to run [`Project::full`] once the reload has
//! been sent.

use crate::error::{render_all, Diagnostic, Diagnostics, Lang};
use crate::load::content::{link_env, reload_body, LinkEnv};
use crate::load::media::Planner;
use crate::model::Site;
pub use crate::pipeline::Served;
use crate::pipeline::{Pipeline, Sink};
use crate::render::Pages;
use crate::urls::routes;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output files (`news/a/index.html`) whose bytes changed, were added or removed.
    pub changed: Vec<String>,
    /// Pages rendered.
    pub rendered: usize,
    pub full: bool,
    pub needs_full: bool,
    pub elapsed: Duration,
}

/// The last good build: the site, and where its Markdown links may point.
struct Built {
    site: Site,
    links: LinkEnv,
}

pub struct Project {
    pub dir: PathBuf,
    lang: Lang,
    pipeline: Pipeline,
    /// The pages renderer, also registered in the pipeline: the fast path renders one
    /// page with what it prepared for the last build.
    pages: Arc<Pages>,
    built: Option<Built>,
    files: BTreeMap<String, Served>,
    /// The diagnostics of the last failed rebuild, rendered; `None` when it succeeded.
    pub error: Option<String>,
    /// Warnings of the last full rebuild, rendered.
    pub warnings: Option<String>,
}

/// The renderer `quick` leaves out; its files stay as they were until a full rebuild.
const SEARCH: &str = "search";

impl Project {
    /// A project for the site at `dir`, served at `base_url`; not built yet.
    pub fn new(dir: &Path, base_url: &str, lang: Lang) -> Project {
        let pages = Arc::new(Pages::kept());
        Project {
            dir: dir.to_path_buf(),
            lang,
            pipeline: Pipeline::serve(dir, base_url, pages.clone()),
            pages,
            built: None,
            files: BTreeMap::new(),
            error: None,
            warnings: None,
        }
    }

    pub fn get(&self, file: &str) -> Option<&Served> {
        self.files.get(file)
    }

    pub fn files(&self) -> &BTreeMap<String, Served> {
        &self.files
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

    /// Loads and renders again from the caches, all but the search index, which keeps
    /// its previous files until the follow-up [`Project::full`].
    fn quick(&mut self) -> Result<Outcome, String> {
        let mut outcome = self.run(&[SEARCH])?;
        outcome.needs_full = self.built.as_ref().is_some_and(|b| b.site.config.search);
        Ok(outcome)
    }

    /// The pipeline into memory, without the renderers in `skip`.
    fn run(&mut self, skip: &[&str]) -> Result<Outcome, String> {
        let start = Instant::now();
        let run = match self.pipeline.run_without(&Sink::Memory, skip) {
            Ok(run) => run,
            Err(diags) => return self.fail(&diags),
        };
        let mut files = run.served;
        if skip.contains(&SEARCH) {
            for (k, v) in &self.files {
                if k.starts_with("search/") && !k.ends_with(".html") {
                    files.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        let mut changed: Vec<String> = files
            .iter()
            .filter(|(k, v)| self.files.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect();
        changed.extend(
            self.files
                .keys()
                .filter(|k| !files.contains_key(*k))
                .cloned(),
        );
        let rendered = files.keys().filter(|k| k.ends_with(".html")).count();
        let planner = Planner::new(
            &run.site.root,
            &run.site.config.images,
            self.pipeline.load_options(&run.urls).sources,
        );
        self.built = Some(Built {
            links: link_env(&run.site, &run.urls, planner),
            site: run.site,
        });
        self.files = files;
        self.error = None;
        let warnings = &run.report.warnings;
        self.warnings = (!warnings.is_empty()).then(|| render_all(warnings, self.lang));
        Ok(Outcome {
            changed,
            rendered,
            full: true,
            needs_full: false,
            elapsed: start.elapsed(),
        })
    }

    /// Rebuilds after the files `changed` (site-relative) changed.
    pub fn apply(&mut self, changed: &[String]) -> Result<Outcome, String> {
        let mut outcome = self.rebuild(changed)?;
        // Files served from the site folder keep their place: name them when they change.
        for rel in changed {
            let source = Served::File(self.dir.join(rel));
            for (out, served) in &self.files {
                if *served == source && !outcome.changed.contains(out) {
                    outcome.changed.push(out.clone());
                }
            }
        }
        Ok(outcome)
    }

    fn rebuild(&mut self, changed: &[String]) -> Result<Outcome, String> {
        if let [one] = changed {
            if let Some(outcome) = self.body_only(one) {
                return outcome;
            }
        }
        if self.built.is_some() {
            self.quick()
        } else {
            self.full()
        }
    }

    /// The fast path, when `rel` is a page whose body alone changed; `None` otherwise.
    fn body_only(&mut self, rel: &str) -> Option<Result<Outcome, String>> {
        let start = Instant::now();
        let built = self.built.as_mut()?;
        let index = built.site.pages.iter().position(|p| p.source == rel)?;
        let set = self.pages.last()?;
        let mut diags = Diagnostics::new();
        let Some(html) = reload_body(&built.site, &built.links, index, &mut diags) else {
            let diags = diags.into_vec();
            return (!diags.is_empty()).then(|| self.fail(&diags));
        };
        built.site.pages[index].content = html;
        let made = set
            .page(&built.site, index)
            .and_then(crate::pipeline::served);
        let path = routes::file_of(&built.site.pages[index].path);
        let new = match made {
            Ok(new) => new,
            Err(d) => return Some(self.fail(&[d])),
        };
        let mut outcome = Outcome {
            rendered: 1,
            needs_full: true,
            ..Outcome::default()
        };
        if self.files.get(&path) != Some(&new) {
            self.files.insert(path.clone(), new);
            outcome.changed.push(path);
        }
        self.error = None;
        outcome.elapsed = start.elapsed();
        Some(Ok(outcome))
    }
}
