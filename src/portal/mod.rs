//! A committee's portal: many branches' site folders, one build.
//!
//! `portal.yaml` lists the branches. Each branch is run through the one pipeline as the
//! site it is (its own brand, theme, boards and photos), with its address under the
//! portal's (`BASE/SLUG/`) and its files moved under `SLUG/`; the branches run in
//! parallel on the same pool and share the portal's image cache, so a photo two
//! branches hold is processed once. The portal's own pages ([`pages`]) are made from
//! the loaded branches, and everything goes to one sink: a failed branch fails the
//! portal, and the previous output stays as it was.

pub mod pages;

pub use crate::config::portal as config;

use crate::artifact::{Content, OutputFile};
use crate::cache::DiskCache;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::pipeline::{self, BuildOptions, BuildReport, Pipeline, Sink};
use crate::urls::Urls;
pub use config::{is_portal, Branch, Portal};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// What a portal run does to each branch.
#[derive(Clone)]
pub enum Command {
    /// `zhanting build`: everything.
    Build,
    /// `zhanting check`: everything made, nothing written.
    Check,
    /// `zhanting boards`: the boards' print files only (of one branch's one board with
    /// `--only SLUG/BOARD`), shared preflight rows.
    Boards(
        Arc<std::sync::Mutex<Vec<crate::boards::preflight::Preflight>>>,
        Option<String>,
    ),
}

/// A branch after its run.
pub struct BranchRun {
    pub branch: Branch,
    pub site: Arc<Site>,
    pub urls: Urls,
}

/// A finished portal run.
pub struct PortalRun {
    pub report: BuildReport,
    pub branches: Vec<BranchRun>,
    /// The files, unmade, when the sink was memory.
    pub files: Vec<OutputFile>,
}

/// Runs the portal at `dir` into `sink`. On error nothing is written and every
/// diagnostic is returned, errors first, each branch's naming the branch's folder.
pub fn run(
    dir: &Path,
    opts: &BuildOptions,
    command: Command,
    sink: &Sink,
) -> Result<PortalRun, Vec<Diagnostic>> {
    let start = Instant::now();
    let portal = Portal::from_dir(dir)?;
    if let Sink::Output(out) | Sink::Part(out) = sink {
        crate::output::check_target(dir, out).map_err(|d| vec![d])?;
    }
    let base = match (&opts.base_url, portal.base_url()) {
        (Some(u), _) => crate::config::normalize_base_url(u),
        (None, Some(u)) => u,
        (None, None) if !matches!(command, Command::Build) => "http://localhost/".into(),
        (None, None) => {
            return Err(vec![Diagnostic::error(
                "portal.yaml has no base_url, the address the portal will be served at",
                "portal.yaml 缺少 base_url（门户发布后的访问地址）",
            )
            .file(config::FILE)
            .hint(
                "add e.g. `base_url: https://dangjian.example.org/` to portal.yaml, or pass --base-url",
                "请在 portal.yaml 中添加例如 `base_url: https://dangjian.example.org/`，或使用 --base-url 参数",
            )])
        }
    };
    let urls = Urls::new(&base, opts.offline).with_public(portal.base_url());
    let mut portal = portal;
    if let Command::Boards(_, Some(only)) = &command {
        let branch = only_branch(&portal, only)?;
        portal.branches.retain(|b| b.slug == branch);
    }
    let link = portal.link(&urls.base_path);
    let mut diags = Diagnostics::new();
    let loaded = start.elapsed();
    let runs: Vec<(Branch, Result<pipeline::Run, Vec<Diagnostic>>)> = portal
        .branches
        .par_iter()
        .map(|b| {
            let bopts = BuildOptions {
                output: None,
                base_url: Some(format!("{base}{}/", b.slug)),
                ..opts.clone()
            };
            let p = match &command {
                Command::Build => Pipeline::build(&b.dir, &bopts),
                Command::Check => Pipeline::check(&b.dir, &bopts),
                Command::Boards(rows, only) => {
                    let board = only.as_deref().and_then(|o| o.split_once('/')).map(|x| x.1);
                    Pipeline::boards(&b.dir, &bopts, board, rows.clone())
                }
            };
            let p = p.with_cache_root(dir).in_portal(link.clone());
            (b.clone(), p.run(&Sink::Memory))
        })
        .collect();
    let mut files = Vec::new();
    let mut branches = Vec::new();
    let mut pages = 0;
    let mut counts: Vec<(&'static str, crate::artifact::Counts)> = Vec::new();
    for (b, result) in runs {
        let run = match result {
            Ok(run) => run,
            Err(errors) => {
                diags.extend(errors.into_iter().map(|d| in_branch(d, &b)));
                continue;
            }
        };
        diags.extend(run.report.warnings.into_iter().map(|d| in_branch(d, &b)));
        let expected = format!("{base}{}/", b.slug);
        if let Some(own) = run.site.config.base_url() {
            if own != expected && matches!(command, Command::Build) {
                diags.push(in_branch(
                    Diagnostic::note(
                        format!("in the portal this branch is published at {expected}, not at its own base_url {own}"),
                        format!("在门户中，该支部发布于 {expected}，而不是它自己的 base_url {own}"),
                    )
                    .file(crate::config::FILE),
                    &b,
                ));
            }
        }
        pages += run.report.pages;
        // What each cached artifact made and reused, summed over the branches.
        for (name, c) in &run.report.counts {
            match counts.iter_mut().find(|(n, _)| n == name) {
                Some((_, sum)) => {
                    sum.made += c.made;
                    sum.reused += c.reused;
                }
                None => counts.push((*name, *c)),
            }
        }
        let shared = Arc::new(b.clone());
        files.extend(run.files.into_iter().map(|f| moved(f, &shared)));
        branches.push(BranchRun {
            branch: b,
            site: run.site,
            urls: run.urls,
        });
    }
    if diags.has_errors() {
        return Err(pipeline::errors_first(diags));
    }
    if !matches!(command, Command::Boards(..)) {
        let built: Vec<pages::Built> = branches
            .iter()
            .map(|b| pages::Built {
                branch: &b.branch,
                site: &b.site,
            })
            .collect();
        match pages::render(&portal, &built, &urls, false, &[]) {
            Ok((own, n)) => {
                pages += n;
                files.extend(own);
            }
            Err(d) => diags.push(d),
        }
    }
    let files = pipeline::gather(files, &mut diags);
    if diags.has_errors() {
        return Err(pipeline::errors_first(diags));
    }
    let rendered = start.elapsed();
    let count = files.len();
    let links = branches
        .iter()
        .fold(crate::links::LinkCheck::new(&files, &urls), |check, b| {
            check.with_site(
                &b.site,
                &format!("{}/", b.branch.slug),
                &format!("{}/", b.branch.shown),
            )
        });
    let (written, kept) = pipeline::deliver(dir, sink, files, Some(links), &mut diags);
    if diags.has_errors() {
        return Err(pipeline::errors_first(diags));
    }
    if matches!(command, Command::Build) {
        prune_images(dir, &branches);
    }
    let written = written.unwrap_or_default();
    let elapsed = start.elapsed();
    let output = match sink {
        Sink::Output(out) | Sink::Part(out) | Sink::Files(out) => out.clone(),
        Sink::Memory | Sink::Nowhere => Default::default(),
    };
    Ok(PortalRun {
        report: BuildReport {
            output,
            pages,
            files: count,
            written: written.written,
            unchanged: written.unchanged,
            removed: written.removed,
            changed: written.changed,
            warnings: diags.into_vec(),
            elapsed,
            phases: [loaded, rendered - loaded, elapsed - rendered],
            counts,
        },
        branches,
        files: kept,
    })
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

/// `d`, found in branch `b`, naming the file by its path from the portal folder (the
/// theme's own files stay as they are named).
pub fn in_branch(mut d: Diagnostic, b: &Branch) -> Diagnostic {
    d.file = Some(match d.file.take() {
        Some(f) if f.starts_with("site-template/") => f,
        Some(f) => format!("{}/{f}", b.shown),
        None => format!("{}/", b.shown),
    });
    d
}

/// Output `f` of branch `b`, moved under the branch's slug; an error making it (a page
/// rendered while it is written) names the file from the portal folder.
pub fn moved(mut f: OutputFile, b: &Arc<Branch>) -> OutputFile {
    f.path = format!("{}/{}", b.slug, f.path);
    if let Content::Deferred(make) = f.content {
        let b = b.clone();
        f.content = Content::Deferred(Box::new(move || make().map_err(|d| in_branch(d, &b))));
    }
    f
}

/// Removes from the portal's image cache what no branch uses any more.
fn prune_images(dir: &Path, branches: &[BranchRun]) {
    let cache = DiskCache::new(dir, crate::images::CACHE);
    let covers: Vec<_> = branches
        .iter()
        .map(|b| crate::images::cards::covers(&b.site, &mut Diagnostics::new()))
        .collect();
    let sites: Vec<_> = branches
        .iter()
        .zip(&covers)
        .map(|(b, c)| (&*b.site, c))
        .collect();
    crate::images::prune(&sites, &cache);
}
