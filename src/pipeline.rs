//! The one pipeline every command runs: **load → plan → render → write**.
//!
//! - *load* reads the site folder into the [`Site`] model (`load`);
//! - *plan* decides every picture's published sizes from the files' headers;
//! - *render* runs the registered [`Renderer`]s — one per artifact — in parallel and
//!   gathers their files, checking that no two claim one path;
//! - *write* hands the files to a [`Sink`]: the output folder, a part of it, memory
//!   (`serve`), or nowhere (`check`, which still makes every file to find its errors).
//!
//! A command is a choice of renderers and a sink ([`Pipeline::build`],
//! [`Pipeline::check`], [`Pipeline::boards`], [`Pipeline::serve`]); none of them copies
//! the sequence. On a committee's portal folder the same constructors make a pipeline
//! over its branches: each loaded and rendered as the site it is, by a pipeline of its
//! own that the portal's keeps, then the portal's own pages (`portal::pages`) over them
//! all, and one write. In `serve` a portal's run runs only the branches a change touched
//! ([`Pipeline::refresh`]); the others keep their last good run. Every stage puts what
//! it finds into one [`Diagnostics`].

use crate::artifact::{Content, Counts, Mode, Origin, OutputFile, RenderContext, Renderer};
use crate::cache::{DiskCache, SourceHashes};
use crate::config::{self, SiteConfig};
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::load::{self, LoadOptions};
use crate::model::Site;
use crate::portal::{self, Branch, Portal};
use crate::timing::timing;
use crate::urls::Urls;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Used when nothing needs the site's address (`check`, `boards`) and site.yaml names
/// none: nothing is published, so any will do.
const LOCAL_BASE_URL: &str = "http://localhost/";

/// What the user asked for on the command line.
#[derive(Clone, Default, Debug)]
pub struct BuildOptions {
    /// Output folder; `SITE/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub offline: bool,
    /// `--no-boards`: leave the whole `/boards/` section (PDFs, previews, pages) out.
    pub no_boards: bool,
}

impl BuildOptions {
    /// The output folder for the site at `dir`.
    pub fn output_dir(&self, dir: &Path) -> PathBuf {
        self.output.clone().unwrap_or_else(|| dir.join("public"))
    }
}

/// Where the files go.
#[derive(Debug, Clone)]
pub enum Sink {
    /// The whole output folder: changed files written, stale ones removed.
    Output(PathBuf),
    /// Only these files, added to the output folder (`zhanting boards`).
    Part(PathBuf),
    /// Only these files, into any folder, which stays otherwise untouched and unmarked
    /// (`zhanting deck`, `zhanting booklet`).
    Files(PathBuf),
    /// Handed back, unmade, in [`Run::files`] (`zhanting serve` keeps them).
    Memory,
    /// Made and dropped (`zhanting check`).
    Nowhere,
}

/// What a run did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// The output paths written and removed (`--changed-list`), sorted.
    pub changed: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Time spent loading, rendering (images and boards included) and writing.
    pub phases: [Duration; 3],
    /// What each renderer that keeps a cache made and reused, by renderer name.
    pub counts: Vec<(&'static str, Counts)>,
}

impl BuildReport {
    /// The counts of renderer `name` (zero when it did not run).
    pub fn counts(&self, name: &str) -> Counts {
        self.counts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }
}

/// A finished run: the report, what it was made from, and the files, unmade, when the
/// sink was memory.
pub struct Run {
    pub report: BuildReport,
    pub sites: Sites,
    /// In a portal, the slugs of the branches that ran: the files of the others are not
    /// among `files` (in `serve`, what they were at their last run stays). `None` for a
    /// site.
    pub ran: Option<Vec<String>>,
    pub files: Vec<OutputFile>,
}

/// What a run was made from, to render from again later ([`Pipeline::render_only`]):
/// the site, or the portal and the last good site of each of its branches.
#[derive(Clone)]
pub struct Sites {
    /// The portal's settings and links, when the folder is a portal's.
    portal: Option<(Arc<Portal>, Urls)>,
    sites: Vec<Loaded>,
}

impl Sites {
    /// The site, when the folder is not a portal's.
    pub fn site(&self) -> Option<&Arc<Site>> {
        match (&self.portal, self.sites.as_slice()) {
            (None, [one]) => Some(&one.site),
            _ => None,
        }
    }

    /// The slugs of a portal's branches: the folders under which their files are.
    pub fn slugs(&self) -> Vec<String> {
        self.sites
            .iter()
            .filter_map(|s| Some(s.branch.as_ref()?.0.slug.clone()))
            .collect()
    }
}

/// What a run made and the sites it was made from, once written.
struct Done {
    report: BuildReport,
    sites: Sites,
    ran: Option<Vec<String>>,
    /// The files, unmade, when the sink was memory.
    files: Vec<OutputFile>,
}

/// A site a run loaded: a portal's branch names where it stands in the portal, with the
/// branch's pipeline.
#[derive(Clone)]
struct Loaded {
    branch: Option<(Arc<Branch>, Arc<Pipeline>)>,
    site: Arc<Site>,
    urls: Urls,
}

/// What loading and rendering made, before it is written.
struct Made {
    /// Gathered by path.
    files: Vec<OutputFile>,
    counts: Vec<(&'static str, Counts)>,
    pages: usize,
    /// When loading ended (a portal's: when its settings were read).
    loaded: Duration,
    /// The links of the run: the site's or the portal's.
    urls: Urls,
    /// The site, or every branch of the portal, those that did not run too.
    sites: Vec<Loaded>,
    /// The portal's settings, when the folder is a portal's.
    portal: Option<Arc<Portal>>,
    /// A portal's branches that ran (see [`Run::ran`]).
    ran: Option<Vec<String>>,
}

impl Made {
    /// What branch `b`'s pipeline made, added to the portal's: its files moved under
    /// its slug, its pages and counts summed. `publishing` notes that its own
    /// `base_url` is not where the portal publishes it.
    fn add_run(
        &mut self,
        b: &Arc<Branch>,
        run: Made,
        base: &str,
        publishing: bool,
        diags: &mut Diagnostics,
    ) {
        let Some(one) = run.sites.into_iter().next() else {
            return;
        };
        let expected = format!("{base}{}/", b.slug);
        if let Some(own) = one.site.config.base_url().filter(|_| publishing) {
            if own != expected {
                diags.push(portal::in_branch(
                    Diagnostic::note(
                        format!("in the portal this branch is published at {expected}, not at its own base_url {own}"),
                        format!("在门户中，该支部发布于 {expected}，而不是它自己的 base_url {own}"),
                    )
                    .file(config::FILE),
                    b,
                ));
            }
        }
        self.pages += run.pages;
        for (name, c) in run.counts {
            match self.counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, sum)) => {
                    sum.made += c.made;
                    sum.reused += c.reused;
                }
                None => self.counts.push((name, c)),
            }
        }
        self.files
            .extend(run.files.into_iter().map(|f| portal::moved(f, b)));
    }

    /// The runs of the portal's branches (`runs`, by their index in `kept`) added: what
    /// each made and its warnings, or its errors. What the branches that ran loaded,
    /// with their warnings.
    fn add_runs(
        &mut self,
        kept: &Kept,
        runs: Vec<(usize, BranchRun)>,
        base: &str,
        publishing: bool,
        diags: &mut Diagnostics,
    ) -> Vec<Ran> {
        let mut runs = runs.into_iter().peekable();
        let mut ran = Vec::new();
        for (i, k) in kept.branches.iter().enumerate() {
            match runs.next_if(|(r, _)| *r == i) {
                Some((_, Ok((run, warnings)))) => {
                    let warnings: Vec<Diagnostic> = warnings
                        .into_iter()
                        .map(|d| portal::in_branch(d, &k.branch))
                        .collect();
                    diags.extend(warnings.clone());
                    let one = run.sites.first().map(|s| Loaded {
                        branch: Some((k.branch.clone(), k.pipeline.clone())),
                        ..s.clone()
                    });
                    ran.push((i, one, warnings));
                    self.add_run(&k.branch, run, base, publishing, diags);
                }
                Some((_, Err(errors))) => {
                    diags.extend(errors.into_iter().map(|d| portal::in_branch(d, &k.branch)))
                }
                // Its last run's warnings come with the portal's success (keep_runs).
                None => {}
            }
        }
        ran
    }

    /// The runs of a portal's branches that succeeded, kept as their last good runs; the
    /// portal's sites are then every branch's. Should what follows fail (the portal's own
    /// pages, a file serve makes), those branches are marked to run again. The warnings
    /// of the branches that did not run, for a run that succeeds.
    fn keep_runs(&mut self, kept: &mut Kept, ran: Vec<Ran>) -> Vec<Diagnostic> {
        let mut slugs = Vec::new();
        // The branches that did not run bring their last run's warnings, for the
        // portal's success only: a failed rebuild shows its errors alone.
        let mut earlier = Vec::new();
        for (i, k) in kept.branches.iter().enumerate() {
            if !ran.iter().any(|(r, _, _)| *r == i) {
                if let Some((_, warnings)) = &k.last {
                    earlier.extend(warnings.iter().cloned());
                }
            }
        }
        for (i, one, warnings) in ran {
            let k = &mut kept.branches[i];
            k.last = one.map(|one| (one, warnings));
            k.touched = false;
            slugs.push(k.branch.slug.clone());
        }
        self.ran = Some(slugs);
        self.sites = kept
            .branches
            .iter()
            .filter_map(|k| Some(k.last.as_ref()?.0.clone()))
            .collect();
        earlier
    }

    /// The portal's own pages, made over every branch (with a script that reloads them
    /// in `serve`; without those of the renderers in `skip`).
    fn add_own_pages(
        &mut self,
        portal: &Portal,
        live_reload: bool,
        skip: &[&str],
        diags: &mut Diagnostics,
    ) {
        match own_pages(portal, &self.sites, &self.urls, live_reload, skip) {
            Ok((own, n)) => {
                self.pages += n;
                self.files.extend(own);
            }
            Err(d) => diags.push(d),
        }
    }

    /// The link check of every page made, each site's pages located in its own files
    /// (a branch's under its folder).
    fn link_check(&self) -> crate::links::LinkCheck {
        self.sites.iter().fold(
            crate::links::LinkCheck::new(&self.files, &self.urls),
            |check, s| match &s.branch {
                Some((b, _)) => {
                    check.with_site(&s.site, &format!("{}/", b.slug), &format!("{}/", b.shown))
                }
                None => check.with_site(&s.site, "", ""),
            },
        )
    }
}

/// A branch's load and render: what it made and its warnings, or its errors.
type BranchRun = Result<(Made, Diagnostics), Vec<Diagnostic>>;

/// A branch that ran well, by its index: what it loaded, and its warnings.
type Ran = (usize, Option<Loaded>, Vec<Diagnostic>);

/// Makes a branch's pipeline from its folder and options.
type MakePipeline = Box<dyn Fn(&Path, &BuildOptions) -> Pipeline + Send + Sync>;

/// A committee's portal (`portal.yaml` in the folder): the branches it lists, each
/// loaded and rendered by a pipeline of its own, and the portal's own pages made over
/// them all.
struct Branches {
    /// The pipeline of a branch's folder, with the branch's options.
    make: MakePipeline,
    /// `--only SLUG/BOARD`: the one branch that runs.
    only: Option<String>,
    /// Whether the portal's own pages are made (not for `boards`).
    own_pages: bool,
    /// The branches' pipelines and last good runs, from run to run.
    kept: Mutex<Kept>,
}

/// What a portal's pipeline keeps between runs.
#[derive(Default)]
struct Kept {
    /// Whether portal.yaml read without error at the last run.
    read: bool,
    branches: Vec<KeptBranch>,
}

impl Kept {
    /// Marks the branches whose slugs pass `which` to run at the next run.
    fn touch(&mut self, which: impl Fn(&str) -> bool) {
        self.branches
            .iter_mut()
            .filter(|k| which(&k.branch.slug))
            .for_each(|k| k.touched = true);
    }
}

/// A branch of a portal as its pipeline keeps it: its own pipeline (in `serve` with its
/// folder's index and its caches) and its last good run.
struct KeptBranch {
    branch: Arc<Branch>,
    pipeline: Arc<Pipeline>,
    /// The link back to the portal its pages show.
    link: config::PortalLink,
    /// The site of its last good run, and that run's warnings.
    last: Option<(Loaded, Vec<Diagnostic>)>,
    /// Whether a change touched its folder since that run ([`Pipeline::refresh`]).
    touched: bool,
}

/// What a change of files means for the next run ([`Pipeline::refresh`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The site, or the branches the files are in, run again.
    Changed,
    /// The files are in no branch of the portal: nothing to run.
    Nothing,
    /// portal.yaml changed (or did not read last time): everything runs again, as at
    /// first.
    Everything,
}

/// One command's pipeline: the site, the options, the renderers and the mode; or, for a
/// portal folder, how each of its branches runs.
pub struct Pipeline {
    pub dir: PathBuf,
    pub opts: BuildOptions,
    mode: Mode,
    /// Whether the site must have an address (`build`, `serve`).
    needs_base_url: bool,
    renderers: Vec<Box<dyn Renderer>>,
    sources: Arc<SourceHashes>,
    /// The site folder: on disk, or indexed (`serve`).
    folder: Arc<SiteFolder>,
    /// What loading keeps between runs (`serve`).
    memos: Option<Arc<load::Memos>>,
    /// The folder whose image cache the site uses when not its own (a portal's).
    cache_root: Option<PathBuf>,
    /// The portal the site is built in, which its pages link back to.
    portal: Option<config::PortalLink>,
    /// When the folder is a portal's: how its branches run.
    branches: Option<Branches>,
}

/// Every artifact of the website, for `build`, `check` and `serve`.
fn site_renderers(boards: Option<crate::boards::Boards>) -> Vec<Box<dyn Renderer>> {
    let mut r: Vec<Box<dyn Renderer>> = vec![
        Box::new(crate::render::Pages::default()),
        Box::new(crate::render::Feeds::default()),
        Box::new(crate::render::Search),
        Box::new(crate::render::Files),
        Box::new(crate::images::ImageFiles),
        Box::new(crate::boards::cards::CardFiles),
        Box::new(crate::documents::Documents::site()),
    ];
    r.extend(boards.map(|b| Box::new(b) as Box<dyn Renderer>));
    r
}

impl Pipeline {
    fn new(
        dir: &Path,
        opts: BuildOptions,
        mode: Mode,
        renderers: Vec<Box<dyn Renderer>>,
    ) -> Pipeline {
        let images = DiskCache::new(dir, crate::images::CACHE);
        Pipeline {
            dir: dir.to_path_buf(),
            opts,
            mode,
            needs_base_url: mode != Mode::Check,
            renderers,
            sources: Arc::new(SourceHashes::load(&images)),
            folder: Arc::new(SiteFolder::disk(dir)),
            memos: None,
            cache_root: None,
            portal: None,
            branches: None,
        }
    }

    /// The pipeline `site` makes of the folder `dir`, or, when `dir` is a committee's
    /// portal, the portal's: each branch a pipeline `site` makes, with the portal's own
    /// pages over them all.
    fn site_or_portal(
        dir: &Path,
        opts: &BuildOptions,
        mode: Mode,
        site: impl Fn(&Path, &BuildOptions) -> Pipeline + Send + Sync + 'static,
    ) -> Pipeline {
        if !portal::is_portal(dir) {
            return site(dir, opts);
        }
        let mut p = Pipeline::new(dir, opts.clone(), mode, Vec::new());
        p.branches = Some(Branches {
            make: Box::new(site),
            only: None,
            own_pages: true,
            kept: Mutex::default(),
        });
        p
    }

    /// This pipeline for a branch of the portal `link` names: every page links back.
    pub fn in_portal(mut self, link: config::PortalLink) -> Pipeline {
        self.portal = Some(link);
        self
    }

    /// This pipeline with the processed pictures kept in `root`'s cache, which other
    /// sites share (a portal's branches): identical pictures are made once, and the
    /// owner of the cache prunes it.
    pub fn with_cache_root(mut self, root: &Path) -> Pipeline {
        self.cache_root = Some(root.to_path_buf());
        self
    }

    /// `zhanting build`: every artifact into the output folder.
    pub fn build(dir: &Path, opts: &BuildOptions) -> Pipeline {
        Pipeline::site_or_portal(dir, opts, Mode::Build, |dir, opts| {
            let boards = (!opts.no_boards).then(crate::boards::Boards::default);
            Pipeline::new(dir, opts.clone(), Mode::Build, site_renderers(boards))
        })
    }

    /// `zhanting check`: everything `build` checks, nothing written.
    pub fn check(dir: &Path, opts: &BuildOptions) -> Pipeline {
        Pipeline::site_or_portal(dir, opts, Mode::Check, |dir, opts| {
            let boards = (!opts.no_boards).then(crate::boards::Boards::default);
            Pipeline::new(dir, opts.clone(), Mode::Check, site_renderers(boards))
        })
    }

    /// `zhanting boards`: the boards' print files only (or one board's: in a portal,
    /// `--only SLUG/BOARD`).
    pub fn boards(
        dir: &Path,
        opts: &BuildOptions,
        only: Option<&str>,
        preflight: Arc<std::sync::Mutex<Vec<crate::boards::preflight::Preflight>>>,
    ) -> Pipeline {
        let opts = BuildOptions {
            no_boards: false,
            ..opts.clone()
        };
        let in_portal = portal::is_portal(dir);
        let board = match only {
            Some(only) if in_portal => only.split_once('/').map(|x| x.1.to_string()),
            _ => only.map(str::to_string),
        };
        let mut p = Pipeline::site_or_portal(dir, &opts, Mode::Build, move |dir, opts| {
            let only = crate::boards::Boards::only(board.clone()).with_preflight(preflight.clone());
            let mut p = Pipeline::new(dir, opts.clone(), Mode::Build, vec![Box::new(only)]);
            p.needs_base_url = false;
            p
        });
        if let Some(b) = &mut p.branches {
            b.only = only.map(str::to_string);
            b.own_pages = false;
        }
        p.needs_base_url = false;
        p
    }

    /// `zhanting deck` and `zhanting booklet`: one document, at the top of the output
    /// folder.
    pub fn document(dir: &Path, opts: &BuildOptions, doc: crate::documents::Documents) -> Pipeline {
        let mut p = Pipeline::new(dir, opts.clone(), Mode::Build, vec![Box::new(doc)]);
        p.needs_base_url = false;
        p
    }

    /// `zhanting serve`: every artifact, drafts included, into memory, keeping what can
    /// be reused from run to run (a portal's branches each in a pipeline of their own).
    pub fn serve(dir: &Path, base_url: &str) -> Pipeline {
        let opts = BuildOptions {
            base_url: Some(base_url.to_string()),
            drafts: true,
            ..BuildOptions::default()
        };
        Pipeline::site_or_portal(dir, &opts, Mode::Serve, |dir, opts| {
            let mut renderers = site_renderers(Some(crate::boards::Boards::kept()));
            renderers[0] = Box::new(crate::render::Pages::kept());
            renderers[1] = Box::new(crate::render::Feeds::kept());
            let mut p = Pipeline::new(dir, opts.clone(), Mode::Serve, renderers);
            p.memos = Some(Arc::default());
            p.folder = Arc::new(SiteFolder::indexed(dir));
            p
        })
    }

    /// Tells the folder indexes that the files `changed` (relative to the folder; in a
    /// portal, to the portal's) changed: the site's, or the branches' the files are in,
    /// which `serve`'s next run runs again (the others keep their last good run).
    pub fn refresh(&self, changed: &[String]) -> Refresh {
        let Some(branches) = &self.branches else {
            self.folder.refresh(changed);
            return Refresh::Changed;
        };
        let mut kept = branches.kept.lock().unwrap_or_else(|e| e.into_inner());
        let mut touched = false;
        for k in &mut kept.branches {
            let prefix = format!("{}/", k.branch.shown);
            let rels: Vec<String> = changed
                .iter()
                .filter_map(|c| c.strip_prefix(&prefix).map(str::to_string))
                .collect();
            if !rels.is_empty() {
                k.pipeline.folder.refresh(&rels);
                k.touched = true;
                touched = true;
            }
        }
        if !kept.read || changed.iter().any(|c| c == portal::config::FILE) {
            Refresh::Everything
        } else if touched {
            Refresh::Changed
        } else {
            Refresh::Nothing
        }
    }

    /// Every branch of a portal runs at the next run, touched or not (a site's always
    /// does).
    pub fn touch_all(&self) {
        self.touch(|_| true);
    }

    /// Marks the branches `slugs` as changed: a run of them that failed after the
    /// pipeline kept it (serve could not make a file of it) runs again with the next.
    pub fn touch_again(&self, slugs: &[String]) {
        self.touch(|slug| slugs.iter().any(|s| s == slug));
    }

    fn touch(&self, which: impl Fn(&str) -> bool) {
        if let Some(branches) = &self.branches {
            let mut kept = branches.kept.lock().unwrap_or_else(|e| e.into_inner());
            kept.touch(which);
        }
    }

    /// The folders of a portal's branches, each with the folder as portal.yaml names it
    /// (empty for a site, and until portal.yaml has been read).
    pub fn branch_folders(&self) -> Vec<(PathBuf, String)> {
        let Some(branches) = &self.branches else {
            return Vec::new();
        };
        let kept = branches.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.branches
            .iter()
            .map(|k| (k.branch.dir.clone(), k.branch.shown.clone()))
            .collect()
    }

    /// The sink of a command that writes.
    pub fn output_sink(&self) -> Sink {
        Sink::Output(self.opts.output_dir(&self.dir))
    }

    /// The options loading needs, with the site's links.
    pub fn load_options(&self, urls: &Urls) -> LoadOptions {
        LoadOptions {
            folder: self.folder.clone(),
            drafts: self.opts.drafts,
            urls: urls.clone(),
            sources: self.sources.clone(),
            memos: self.memos.clone(),
        }
    }

    /// Load and plan: the site and its links, or `None` with the errors in `diags`.
    pub fn load(&self, diags: &mut Diagnostics) -> Option<(Site, Urls)> {
        let config = match SiteConfig::from_file(&self.dir) {
            Ok(c) => SiteConfig {
                portal: self.portal.clone(),
                ..c
            },
            Err(e) => {
                diags.extend(e);
                return None;
            }
        };
        // QR codes encode the public address: in a preview the site's own, not the
        // preview's.
        let public = match self.mode {
            Mode::Serve => config.base_url(),
            _ => self.opts.base_url.clone().or_else(|| config.base_url()),
        };
        let urls =
            Urls::new(&self.base_url(&config, diags)?, self.opts.offline).with_public(public);
        let opts = self.load_options(&urls);
        let mark = diags.len();
        let mut site = load::load(config, &opts, diags)?;
        load::plan(&mut site, &opts, diags);
        if let Some(root) = &self.cache_root {
            site.cache_root = root.clone();
        }
        diags.sort_since(mark);
        if diags.has_errors() {
            return None;
        }
        if self.opts.no_boards {
            site.boards.clear();
        }
        Some((site, urls))
    }

    fn base_url(&self, config: &SiteConfig, diags: &mut Diagnostics) -> Option<String> {
        match (&self.opts.base_url, config.base_url()) {
            (Some(u), _) => Some(config::normalize_base_url(u)),
            (None, Some(u)) => Some(u),
            (None, None) if !self.needs_base_url => Some(LOCAL_BASE_URL.to_string()),
            (None, None) => {
                diags.push(
                    Diagnostic::error(
                        "site.yaml has no base_url, the address the site will be served at",
                        "site.yaml 缺少 base_url（网站发布后的访问地址）",
                    )
                    .file(config::FILE)
                    .hint(
                        "add e.g. `base_url: https://example.org/dangjian/` to site.yaml, or pass --base-url",
                        "请在 site.yaml 中添加例如 `base_url: https://example.org/dangjian/`，或使用 --base-url 参数",
                    ),
                );
                None
            }
        }
    }

    /// Render: every registered renderer but those named in `skip`, in parallel; their
    /// files gathered by path, and their counts.
    pub fn render(
        &self,
        site: &Arc<Site>,
        urls: &Urls,
        skip: &[&str],
        diags: &mut Diagnostics,
    ) -> (Vec<OutputFile>, Vec<(&'static str, Counts)>) {
        self.render_where(site, urls, &|name| !skip.contains(&name), diags)
    }

    /// Render with only the renderers named in `only`, over the sites of a run of this
    /// pipeline: what `serve` makes after its quick rebuilds (the search index, feeds
    /// and boards), away from them. In a portal, each branch's by its pipeline, and the
    /// portal's own pages.
    pub fn render_only(
        &self,
        sites: &Sites,
        only: &[&str],
        diags: &mut Diagnostics,
    ) -> Vec<OutputFile> {
        let runs = |name: &str| only.contains(&name);
        let Some((portal, urls)) = &sites.portal else {
            let Some(one) = sites.sites.first() else {
                return Vec::new();
            };
            return self.render_where(&one.site, &one.urls, &runs, diags).0;
        };
        let made: Vec<(Vec<OutputFile>, Vec<Diagnostic>)> = sites
            .sites
            .par_iter()
            .filter_map(|s| {
                let (branch, pipeline) = s.branch.as_ref()?;
                let mut d = Diagnostics::new();
                let files = pipeline.render_where(&s.site, &s.urls, &runs, &mut d).0;
                let files = files.into_iter().map(|f| portal::moved(f, branch));
                let d = d.into_iter().map(|d| portal::in_branch(d, branch));
                Some((files.collect(), d.collect()))
            })
            .collect();
        let mut files = Vec::new();
        for (f, d) in made {
            files.extend(f);
            diags.extend(d);
        }
        if self.branches.as_ref().is_some_and(|b| b.own_pages) {
            let live_reload = self.mode == Mode::Serve;
            match own_pages(portal, &sites.sites, urls, live_reload, &[]) {
                Ok((own, _)) => files.extend(own),
                Err(d) => diags.push(d),
            }
        }
        files
    }

    fn render_where(
        &self,
        site: &Arc<Site>,
        urls: &Urls,
        runs: &(dyn Fn(&str) -> bool + Sync),
        diags: &mut Diagnostics,
    ) -> (Vec<OutputFile>, Vec<(&'static str, Counts)>) {
        let ctx = RenderContext {
            site,
            urls,
            mode: self.mode,
            folder: &self.folder,
        };
        let results: Vec<_> = self
            .renderers
            .par_iter()
            .filter(|r| runs(r.name()))
            .map(|r| {
                let mut d = Diagnostics::new();
                let start = Instant::now();
                let rendered = r.render(&ctx, &mut d);
                timing(r.name(), start);
                (r.name(), rendered, d)
            })
            .collect();
        let mut files: Vec<OutputFile> = Vec::new();
        let mut counts = Vec::new();
        // Two renderers may find the same mistake (a board font that is missing stops
        // the boards and the link cards): it is reported once.
        let mut seen = std::collections::HashSet::new();
        for (name, rendered, d) in results {
            for d in d {
                if seen.insert((d.file.clone(), d.line, d.message.en.clone())) {
                    diags.push(d);
                }
            }
            counts.extend(rendered.counts.map(|c| (name, c)));
            files.extend(rendered.files);
        }
        (gather(files, diags), counts)
    }

    /// The whole pipeline into `sink`, for a site or a portal alike. On error nothing is
    /// written and every diagnostic is returned, errors first.
    pub fn run(&self, sink: &Sink) -> Result<BuildReport, Vec<Diagnostic>> {
        self.sequence(sink, &[]).map(|done| done.report)
    }

    /// The pipeline without the renderers named in `skip`: the report, what it was made
    /// from and, into memory, its files (what `serve` keeps).
    pub fn run_without(&self, sink: &Sink, skip: &[&str]) -> Result<Run, Vec<Diagnostic>> {
        let done = self.sequence(sink, skip)?;
        Ok(Run {
            report: done.report,
            sites: done.sites,
            ran: done.ran,
            files: done.files,
        })
    }

    /// Load, plan and render the site or every branch of the portal, then write: the
    /// sequence, once.
    fn sequence(&self, sink: &Sink, skip: &[&str]) -> Result<Done, Vec<Diagnostic>> {
        let start = Instant::now();
        if let Sink::Output(out) | Sink::Part(out) = sink {
            // Refuse a bad output folder before doing any work.
            crate::output::check_target(&self.dir, out).map_err(|d| vec![d])?;
        }
        let mut diags = Diagnostics::new();
        let made = match &self.branches {
            None => self.make_site(skip, start, &mut diags)?,
            Some(branches) => self.make_portal(branches, skip, start, &mut diags)?,
        };
        let rendered = start.elapsed();
        let count = made.files.len();
        let links = made.link_check();
        let (written, kept) = deliver(&self.dir, sink, made.files, Some(links), &mut diags);
        if diags.has_errors() {
            return Err(errors_first(diags));
        }
        if self.branches.is_some() && matches!(sink, Sink::Output(_)) {
            // The portal owns the image cache its branches share.
            prune_images(&self.dir, &made.sites);
        }
        let written = written.unwrap_or_default();
        let elapsed = start.elapsed();
        let output = match sink {
            Sink::Output(out) | Sink::Part(out) | Sink::Files(out) => out.clone(),
            Sink::Memory | Sink::Nowhere => PathBuf::new(),
        };
        let report = BuildReport {
            output,
            pages: made.pages,
            files: count,
            written: written.written,
            unchanged: written.unchanged,
            removed: written.removed,
            changed: written.changed,
            warnings: diags.into_vec(),
            elapsed,
            phases: [made.loaded, rendered - made.loaded, elapsed - rendered],
            counts: made.counts,
        };
        Ok(Done {
            report,
            sites: Sites {
                portal: made.portal.map(|p| (p, made.urls)),
                sites: made.sites,
            },
            ran: made.ran,
            files: kept,
        })
    }

    /// Load and render one site: its files, gathered by path, or every diagnostic.
    fn make_site(
        &self,
        skip: &[&str],
        start: Instant,
        diags: &mut Diagnostics,
    ) -> Result<Made, Vec<Diagnostic>> {
        let Some((site, urls)) = self.load(diags) else {
            return Err(std::mem::take(diags).into_vec());
        };
        let site = Arc::new(site);
        let loaded = start.elapsed();
        timing("load", start);
        let (files, counts) = self.render(&site, &urls, skip, diags);
        self.sources
            .save(&DiskCache::new(&self.dir, crate::images::CACHE));
        if diags.has_errors() {
            return Err(errors_first(std::mem::take(diags)));
        }
        let pages = if skip.contains(&"pages") || !self.has("pages") {
            0
        } else {
            site.pages.len()
        };
        Ok(Made {
            files,
            counts,
            pages,
            loaded,
            urls: urls.clone(),
            sites: vec![Loaded {
                branch: None,
                site,
                urls,
            }],
            portal: None,
            ran: None,
        })
    }

    /// Load and render the branches of the portal, each by its kept pipeline, in
    /// parallel, their files moved under their slugs; then the portal's own pages over
    /// every branch. A failed branch fails the portal. In `serve` only the branches a
    /// change touched run (and those that never ran); the others keep their last run.
    fn make_portal(
        &self,
        branches: &Branches,
        skip: &[&str],
        start: Instant,
        diags: &mut Diagnostics,
    ) -> Result<Made, Vec<Diagnostic>> {
        let mut kept = branches.kept.lock().unwrap_or_else(|e| e.into_inner());
        let (portal, base, urls) = self.read_portal(branches, &mut kept)?;
        let loaded = start.elapsed();
        let runs = self.run_branches(&kept, skip);
        let mut made = Made {
            files: Vec::new(),
            counts: Vec::new(),
            pages: 0,
            loaded,
            urls,
            sites: Vec::new(),
            portal: None,
            ran: None,
        };
        let publishing = branches.own_pages && self.mode == Mode::Build;
        let ran = made.add_runs(&kept, runs, &base, publishing, diags);
        if diags.has_errors() {
            return Err(errors_first(std::mem::take(diags)));
        }
        let earlier = made.keep_runs(&mut kept, ran);
        if branches.own_pages {
            made.add_own_pages(&portal, self.mode == Mode::Serve, skip, diags);
        }
        made.portal = Some(Arc::new(portal));
        made.files = gather(made.files, diags);
        if diags.has_errors() {
            // Kept as the last runs already: they run again with the next change.
            let ran = made.ran.unwrap_or_default();
            kept.touch(|slug| ran.iter().any(|s| s == slug));
            return Err(errors_first(std::mem::take(diags)));
        }
        diags.extend(earlier);
        Ok(made)
    }

    /// portal.yaml read (its branches narrowed to `--only`'s), the portal's address and
    /// links, and the branches' pipelines kept for them.
    fn read_portal(
        &self,
        branches: &Branches,
        kept: &mut Kept,
    ) -> Result<(Portal, String, Urls), Vec<Diagnostic>> {
        kept.read = false;
        let mut portal = Portal::from_dir(&self.dir)?;
        let base = self.portal_base_url(&portal).map_err(|d| vec![d])?;
        let urls = Urls::new(&base, self.opts.offline).with_public(portal.base_url());
        if let Some(only) = &branches.only {
            let slug = only_branch(&portal, only)?;
            portal.branches.retain(|b| b.slug == slug);
        }
        kept.read = true;
        let link = portal.link(&urls.base_path);
        self.keep_branches(branches, kept, &portal, &base, &link);
        Ok((portal, base, urls))
    }

    /// The branches that run, each loaded and rendered by its pipeline, in parallel:
    /// every branch, or in `serve` those touched since their last good run (or that
    /// never had one).
    fn run_branches(&self, kept: &Kept, skip: &[&str]) -> Vec<(usize, BranchRun)> {
        let every = self.mode != Mode::Serve;
        kept.branches
            .par_iter()
            .enumerate()
            .filter(|(_, k)| every || k.touched || k.last.is_none())
            .map(|(i, k)| {
                let mut warnings = Diagnostics::new();
                let made = k.pipeline.make_site(skip, Instant::now(), &mut warnings);
                (i, made.map(|m| (m, warnings)))
            })
            .collect()
    }

    /// The pipelines of `portal`'s branches, at their addresses under `base`, with the
    /// link back `link`: those kept where the branch, its address and the link are as
    /// they were, new ones for the others.
    fn keep_branches(
        &self,
        branches: &Branches,
        kept: &mut Kept,
        portal: &Portal,
        base: &str,
        link: &config::PortalLink,
    ) {
        let mut old = std::mem::take(&mut kept.branches);
        kept.branches = portal
            .branches
            .iter()
            .map(|b| {
                let base_url = format!("{base}{}/", b.slug);
                let same = |k: &KeptBranch| {
                    *k.branch == *b
                        && k.link == *link
                        && k.pipeline.opts.base_url.as_deref() == Some(base_url.as_str())
                };
                if let Some(at) = old.iter().position(same) {
                    return old.swap_remove(at);
                }
                let opts = BuildOptions {
                    output: None,
                    base_url: Some(base_url),
                    ..self.opts.clone()
                };
                let pipeline = (branches.make)(&b.dir, &opts)
                    .with_cache_root(&self.dir)
                    .in_portal(link.clone());
                KeptBranch {
                    branch: Arc::new(b.clone()),
                    pipeline: Arc::new(pipeline),
                    link: link.clone(),
                    last: None,
                    touched: true,
                }
            })
            .collect();
    }

    /// The portal's address: `--base-url`, portal.yaml's, or (when nothing is
    /// published) any.
    fn portal_base_url(&self, portal: &Portal) -> Result<String, Diagnostic> {
        match (&self.opts.base_url, portal.base_url()) {
            (Some(u), _) => Ok(config::normalize_base_url(u)),
            (None, Some(u)) => Ok(u),
            (None, None) if !self.needs_base_url => Ok(LOCAL_BASE_URL.into()),
            (None, None) => Err(Diagnostic::error(
                "portal.yaml has no base_url, the address the portal will be served at",
                "portal.yaml 缺少 base_url（门户发布后的访问地址）",
            )
            .file(portal::config::FILE)
            .hint(
                "add e.g. `base_url: https://dangjian.example.org/` to portal.yaml, or pass --base-url",
                "请在 portal.yaml 中添加例如 `base_url: https://dangjian.example.org/`，或使用 --base-url 参数",
            )),
        }
    }

    fn has(&self, name: &str) -> bool {
        self.renderers.iter().any(|r| r.name() == name)
    }
}

/// Hands the files of the site (or portal) at `dir` to `sink`: what was written, and
/// the files themselves when the sink is memory. Into the output folder and nowhere
/// (`check`), every page's links are checked as it is made (`links`): a broken one is
/// an error, and nothing is written.
fn deliver(
    dir: &Path,
    sink: &Sink,
    mut files: Vec<OutputFile>,
    links: Option<crate::links::LinkCheck>,
    diags: &mut Diagnostics,
) -> (Option<crate::output::WriteReport>, Vec<OutputFile>) {
    let links = links
        .filter(|_| matches!(sink, Sink::Output(_) | Sink::Nowhere))
        .map(Arc::new);
    if let Some(links) = &links {
        links.wrap(&mut files);
    }
    let delivered = deliver_checked(dir, sink, files, diags);
    match links {
        Some(links) if links.report(diags) => (None, delivered.1),
        _ => delivered,
    }
}

fn deliver_checked(
    dir: &Path,
    sink: &Sink,
    files: Vec<OutputFile>,
    diags: &mut Diagnostics,
) -> (Option<crate::output::WriteReport>, Vec<OutputFile>) {
    match sink {
        Sink::Output(out) => (crate::output::write(dir, out, &files, diags), Vec::new()),
        Sink::Part(out) => (
            crate::output::write_some(dir, out, &files, diags),
            Vec::new(),
        ),
        Sink::Files(out) => (crate::output::write_files(out, &files, diags), Vec::new()),
        Sink::Memory => (None, files),
        Sink::Nowhere => {
            make_all(files, diags);
            (None, Vec::new())
        }
    }
}

/// The files in path order, one per path: the first renderer's, except that a site's
/// static file replaces the theme's; a static file that would replace a generated one
/// is an error.
fn gather(mut files: Vec<OutputFile>, diags: &mut Diagnostics) -> Vec<OutputFile> {
    // A stable sort: files of one path stay in the renderers' order.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out: Vec<OutputFile> = Vec::with_capacity(files.len());
    for f in files {
        let Some(existing) = out.last_mut().filter(|e| e.path == f.path) else {
            out.push(f);
            continue;
        };
        match (&existing.origin, &f.origin) {
            (Origin::Theme, Origin::Static(_)) => *existing = f,
            (_, Origin::Static(label)) => diags.push(
                Diagnostic::error(
                    format!(
                        "{label} would overwrite the page zhanting generates at /{}",
                        f.path
                    ),
                    format!("{label} 会覆盖 zhanting 生成的页面 /{}", f.path),
                )
                .file(label.clone())
                .hint(
                    "rename or move the file in static/",
                    "请重命名或移动 static/ 中的这个文件",
                ),
            ),
            _ => {}
        }
    }
    out
}

/// Makes every file (pages are rendered here, in parallel) and drops it; the errors
/// making them go to `diags`.
fn make_all(files: Vec<OutputFile>, diags: &mut Diagnostics) {
    let mut errors: Diagnostics = files
        .into_par_iter()
        .filter_map(|f| match f.content {
            Content::Deferred(make) => make().err(),
            _ => None,
        })
        .collect::<Vec<_>>()
        .into();
    errors.sort_dedup();
    diags.extend(errors);
}

/// The branch `--only SLUG/BOARD` names, or the error saying how to name one.
fn only_branch(portal: &Portal, only: &str) -> Result<String, Vec<Diagnostic>> {
    let slugs: Vec<&str> = portal.branches.iter().map(|b| b.slug.as_str()).collect();
    match only.split_once('/') {
        Some((slug, board)) if !board.is_empty() && slugs.contains(&slug) => Ok(slug.to_string()),
        _ => Err(vec![Diagnostic::error(
            format!("--only {only} names no branch's board of this portal"),
            format!("--only {only} 不是本门户某个支部的展板"),
        )
        .hint(
            format!("in a portal, name the branch and the board: --only SLUG/BOARD; the branches are {}", slugs.join(", ")),
            format!("在门户中请写明支部和展板：--only 支部slug/展板名；各支部为 {}", slugs.join("、")),
        )]),
    }
}

/// The portal's own pages over the sites of its branches.
fn own_pages(
    portal: &Portal,
    sites: &[Loaded],
    urls: &Urls,
    live_reload: bool,
    skip: &[&str],
) -> Result<(Vec<OutputFile>, usize), Diagnostic> {
    let built: Vec<portal::pages::Built> = sites
        .iter()
        .filter_map(|s| {
            Some(portal::pages::Built {
                branch: &s.branch.as_ref()?.0,
                site: &s.site,
            })
        })
        .collect();
    portal::pages::render(portal, &built, urls, live_reload, skip)
}

/// Removes from the portal's image cache what none of its branches uses any more.
fn prune_images(dir: &Path, sites: &[Loaded]) {
    let cache = DiskCache::new(dir, crate::images::CACHE);
    let covers: Vec<_> = sites
        .iter()
        .map(|s| crate::images::cards::covers(&s.site, &mut Diagnostics::new()))
        .collect();
    let sites: Vec<_> = sites
        .iter()
        .zip(&covers)
        .map(|(s, c)| (&*s.site, c))
        .collect();
    crate::images::prune(&sites, &cache);
}

/// A failed run's diagnostics: the errors, then the warnings found before them.
pub(crate) fn errors_first(diags: Diagnostics) -> Vec<Diagnostic> {
    let (mut errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.is_error());
    errors.extend(warnings);
    errors
}
