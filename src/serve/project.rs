//! The site kept in memory for `zhanting serve`, and rebuilding it after a change.
//!
//! A change to one page's body (same front matter, same summary, no new image) is the
//! fast path: that file is read again, its Markdown rendered, its one page re-rendered.
//! Everything else — front matter, YAML, templates, new or deleted files — loads and
//! renders the site again in memory; only outputs whose bytes changed are reported, so
//! browsers on other pages are left alone. After a fast path the search index, which
//! holds the body's text, is out of date: [`Outcome::needs_full`] asks the caller to run
//! [`Project::full`] once the reload has been sent.

use crate::error::{render_all, Diagnostic, Lang};
use crate::load::content::{link_env, reload_body, LinkEnv};
use crate::model::Site;
use crate::output::{Content, OutputFile};
use crate::render::Renderer;
use crate::BuildOptions;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One served file.
#[derive(Debug, Clone, Eq)]
pub enum Served {
    Bytes(Arc<[u8]>),
    /// A file of the site folder, read when asked for.
    File(PathBuf),
}

impl PartialEq for Served {
    fn eq(&self, other: &Served) -> bool {
        match (self, other) {
            // Outputs reused from the cache are the same allocation: no byte comparison.
            (Served::Bytes(a), Served::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            (Served::File(a), Served::File(b)) => a == b,
            _ => false,
        }
    }
}

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

struct Built {
    site: Site,
    renderer: Arc<Renderer>,
    links: LinkEnv,
}

pub struct Project {
    pub dir: PathBuf,
    opts: BuildOptions,
    lang: Lang,
    built: Option<Built>,
    files: BTreeMap<String, Served>,
    /// The diagnostics of the last failed rebuild, rendered; `None` when it succeeded.
    pub error: Option<String>,
    /// Warnings of the last full rebuild, rendered.
    pub warnings: Option<String>,
}

impl Project {
    /// A project for the site at `dir`, served at `base_url`; not built yet.
    pub fn new(dir: &Path, base_url: &str, lang: Lang) -> Project {
        let opts = BuildOptions {
            base_url: Some(base_url.to_string()),
            drafts: true,
            cache: Some(Arc::new(crate::load::Cache::default())),
            images: Some(Arc::new(crate::images::HashMemo::load(
                &crate::images::cache_dir(dir),
            ))),
            ..BuildOptions::default()
        };
        Project {
            dir: dir.to_path_buf(),
            opts,
            lang,
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
        let prepared = self.full_build().run();
        self.commit(prepared)
    }

    /// Loads and renders again from the caches, all but the search index, which keeps its
    /// previous files until the follow-up [`Project::full`].
    fn quick(&mut self) -> Result<Outcome, String> {
        let mut job = self.full_build();
        job.with_search = false;
        let prepared = job.run();
        let search = self.built.as_ref().is_some_and(|b| b.site.config.search);
        let mut outcome = self.commit(prepared)?;
        outcome.needs_full = search;
        Ok(outcome)
    }

    /// A full rebuild to run without holding the project, so pages keep being served
    /// meanwhile; [`Project::commit`] takes its result.
    pub fn full_build(&self) -> FullBuild {
        FullBuild {
            dir: self.dir.clone(),
            opts: self.opts.clone(),
            with_search: true,
        }
    }

    /// Takes the result of a full rebuild.
    pub fn commit(&mut self, prepared: Prepared) -> Result<Outcome, String> {
        let Prepared {
            result,
            start,
            with_search,
        } = prepared;
        let (built, mut files, warnings) = match result {
            Ok(x) => x,
            Err(diags) => return self.fail(&diags),
        };
        if !with_search {
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
        self.built = Some(built);
        self.files = files;
        self.error = None;
        self.warnings = (!warnings.is_empty()).then(|| render_all(&warnings, self.lang));
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
            let source = self.dir.join(rel);
            for (out, served) in &self.files {
                if *served == Served::File(source.clone()) && !outcome.changed.contains(out) {
                    outcome.changed.push(out.clone());
                }
            }
        }
        Ok(outcome)
    }

    fn rebuild(&mut self, changed: &[String]) -> Result<Outcome, String> {
        let start = Instant::now();
        if let ([one], Some(built)) = (changed, self.built.as_mut()) {
            if let Some(index) = built.site.pages.iter().position(|p| &p.source == one) {
                match reload_body(&built.site, &built.links, index) {
                    Some(Ok(html)) => {
                        built.site.pages[index].content = html;
                        let out = match built.renderer.page(&built.site, index) {
                            Ok(out) => out,
                            Err(d) => return self.fail(&[d]),
                        };
                        let path = out.path.clone();
                        let new = match served(out) {
                            Ok(new) => new,
                            Err(d) => return self.fail(&[d]),
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
                        return Ok(outcome);
                    }
                    Some(Err(diags)) => return self.fail(&diags),
                    None => {}
                }
            }
        }
        if self.built.is_some() {
            self.quick()
        } else {
            self.full()
        }
    }
}

/// A full rebuild, detached from the project.
pub struct FullBuild {
    dir: PathBuf,
    opts: BuildOptions,
    with_search: bool,
}

/// What a [`FullBuild`] made.
pub struct Prepared {
    #[allow(clippy::type_complexity)]
    result: Result<(Built, BTreeMap<String, Served>, Vec<Diagnostic>), Vec<Diagnostic>>,
    start: Instant,
    with_search: bool,
}

impl FullBuild {
    pub fn run(self) -> Prepared {
        let start = Instant::now();
        let timings = std::env::var_os("ZHANTING_TIMINGS").is_some();
        let result =
            crate::load_site(&self.dir, &self.opts, true).and_then(|(site, urls, mut warnings)| {
                let loaded = start.elapsed();
                let mut renderer = Renderer::with_memo(&site, &urls, true, self.opts.cache.clone());
                renderer.with_search = self.with_search;
                let prepared = start.elapsed();
                let renderer = Arc::new(renderer);
                let mut files = crate::render::render_with(&site, renderer.clone())?;
                let cache = crate::images::cache_dir(&site.root);
                let (images, boards) = rayon::join(
                    || crate::images::process(&site.media, &cache, &site.config.images),
                    || crate::boards::render(&site, None, self.opts.cache.as_deref()),
                );
                images?;
                let boards = boards?;
                files.extend(crate::board_files(&boards));
                warnings.extend(boards.warnings);
                if let Some(memo) = &self.opts.images {
                    memo.save(&cache);
                }
                if timings {
                    eprintln!(
                        "load {loaded:?}, views {:?}, render {:?}",
                        prepared - loaded,
                        start.elapsed() - prepared
                    );
                }
                // Pages are made here, in parallel.
                use rayon::prelude::*;
                let made: Vec<(String, Result<Served, Diagnostic>)> = files
                    .into_par_iter()
                    .map(|f| (f.path.clone(), served(f)))
                    .collect();
                let mut errors = Vec::new();
                let mut files = BTreeMap::new();
                for (path, r) in made {
                    match r {
                        Ok(s) => {
                            files.insert(path, s);
                        }
                        Err(d) => errors.push(d),
                    }
                }
                if !errors.is_empty() {
                    crate::error::dedup(&mut errors);
                    return Err(errors);
                }
                Ok((
                    Built {
                        links: link_env(&site, &urls, self.opts.images.clone()),
                        site,
                        renderer,
                    },
                    files,
                    warnings,
                ))
            });
        Prepared {
            result,
            start,
            with_search: self.with_search,
        }
    }
}

/// What the server keeps of an output; a page made now, or the error making it.
fn served(f: OutputFile<'_>) -> Result<Served, Diagnostic> {
    Ok(match f.content {
        Content::Bytes(b) => Served::Bytes(b.into()),
        Content::Shared(b) => Served::Bytes(b),
        Content::Static(b) => Served::Bytes(b.into()),
        Content::Copy(p) | Content::CopyNamedByHash(p) => Served::File(p),
        Content::Deferred(make) => {
            return served(OutputFile {
                path: f.path,
                content: make()?,
            })
        }
    })
}
