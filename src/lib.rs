//! zhanting (展厅): a static-site generator for Party branches publishing a brand
//! showcase. One folder of YAML and Markdown becomes a website that any static host
//! serves, or that opens from a USB stick.
//!
//! Data flows one way: **load → model → render → write**. [`build`] runs all four;
//! [`check`] stops before writing.

// Diagnostics travel only on the error path, where their size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod boards;
pub mod config;
pub mod error;
pub mod images;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod slug;
pub mod templates;
pub mod urls;

use config::SiteConfig;
use error::Diagnostic;
use model::Site;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use urls::Urls;

/// Used by `check` when site.yaml names no base_url: nothing is written, so any will do.
const CHECK_BASE_URL: &str = "http://localhost/";

#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Output folder; `SITE/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub offline: bool,
    /// `--no-boards`: leave the whole `/boards/` section (PDFs, previews, pages) out.
    pub no_boards: bool,
    /// Results of earlier builds to reuse (`zhanting serve`).
    pub cache: Option<std::sync::Arc<load::Cache>>,
    /// Source image hashes remembered between builds; loaded from the site's cache
    /// folder when `None`.
    pub images: Option<std::sync::Arc<images::HashMemo>>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Time spent loading, rendering (images included) and writing.
    pub phases: [Duration; 3],
    /// Images processed in this build and taken from the cache.
    pub images: images::Stats,
    /// Boards compiled in this build and taken from the cache.
    pub boards: (usize, usize),
}

/// Loads and checks the site at `dir`. Errors: every diagnostic (errors and warnings).
pub fn load_site(
    dir: &Path,
    opts: &BuildOptions,
    require_base_url: bool,
) -> Result<(Site, Urls, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config = SiteConfig::from_file(dir)?;
    let base_url = match (&opts.base_url, config.base_url()) {
        (Some(u), _) => config::normalize_base_url(u),
        (None, Some(u)) => u,
        (None, None) if !require_base_url => CHECK_BASE_URL.to_string(),
        (None, None) => {
            return Err(vec![Diagnostic::error(
                "site.yaml has no base_url, the address the site will be served at",
                "site.yaml 缺少 base_url（网站发布后的访问地址）",
            )
            .file(config::FILE)
            .hint(
                "add e.g. `base_url: https://example.org/dangjian/` to site.yaml, or pass --base-url",
                "请在 site.yaml 中添加例如 `base_url: https://example.org/dangjian/`，或使用 --base-url 参数",
            )])
        }
    };
    let urls = Urls::new(&base_url, opts.offline);
    let load_opts = load::LoadOptions {
        drafts: opts.drafts,
        urls: urls.clone(),
        cache: opts.cache.clone(),
        images: Some(opts.images.clone().unwrap_or_else(|| {
            std::sync::Arc::new(images::HashMemo::load(&images::cache_dir(dir)))
        })),
    };
    let (site, diags) = load::load(dir, config, &load_opts);
    match site {
        Some(mut site) => {
            if opts.no_boards {
                site.boards.clear();
            }
            Ok((site, urls, diags))
        }
        None => Err(diags),
    }
}

/// Renders everything the site produces, without writing.
pub fn render_site<'a>(
    site: &'a Site,
    urls: &Urls,
) -> Result<Vec<output::OutputFile<'a>>, Vec<Diagnostic>> {
    render::render(site, urls, false)
}

/// The output folder for `dir` under `opts`.
pub fn output_dir(dir: &Path, opts: &BuildOptions) -> PathBuf {
    opts.output.clone().unwrap_or_else(|| dir.join("public"))
}

/// Builds the site at `dir`. On error nothing is written and every diagnostic (errors
/// and warnings) is returned.
pub fn build(dir: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let out = output_dir(dir, opts);
    // Refuse a bad output folder before doing any work.
    output::check_target(dir, &out).map_err(|d| vec![d])?;
    let cache = images::cache_dir(dir);
    let memo = opts
        .images
        .clone()
        .unwrap_or_else(|| std::sync::Arc::new(images::HashMemo::load(&cache)));
    let opts = &BuildOptions {
        images: Some(memo.clone()),
        ..opts.clone()
    };
    let (site, urls, mut warnings) = load_site(dir, opts, true)?;
    let loaded = start.elapsed();
    let mut files = render_site(&site, &urls).map_err(and_warnings(&warnings))?;
    let (image_stats, boards) = rayon::join(
        || images::process(&site.media, &cache, &site.config.images),
        || boards::render(&site, None, None),
    );
    let image_stats = image_stats.map_err(and_warnings(&warnings))?;
    let boards = boards.map_err(and_warnings(&warnings))?;
    images::prune(&site.media, &cache);
    memo.save(&cache);
    files.extend(board_files(&boards));
    warnings.extend(boards.warnings.iter().cloned());
    let rendered = start.elapsed();
    let report = output::write(dir, &out, &files).map_err(and_warnings(&warnings))?;
    let elapsed = start.elapsed();
    Ok(BuildReport {
        output: out,
        pages: site.pages.len(),
        files: files.len(),
        written: report.written,
        unchanged: report.unchanged,
        removed: report.removed,
        warnings,
        elapsed,
        phases: [loaded, rendered - loaded, elapsed - rendered],
        images: image_stats,
        boards: boards.counts(),
    })
}

/// Adds `warnings` to errors, so a failed run shows everything it found.
fn and_warnings(warnings: &[Diagnostic]) -> impl FnOnce(Vec<Diagnostic>) -> Vec<Diagnostic> + '_ {
    move |mut errs| {
        errs.extend_from_slice(warnings);
        errs
    }
}

/// The PDF and PNG of each board, beside its page.
pub(crate) fn board_files(outcome: &boards::Outcome) -> Vec<output::OutputFile<'static>> {
    outcome
        .boards
        .iter()
        .flat_map(|b| {
            [
                output::OutputFile {
                    path: format!("boards/{}.pdf", b.slug),
                    content: output::Content::Shared(b.pdf.clone()),
                },
                output::OutputFile {
                    path: format!("boards/{}.png", b.slug),
                    content: output::Content::Shared(b.png.clone()),
                },
            ]
        })
        .collect()
}

/// `zhanting boards`: renders the boards (or `only` one) and writes their PDF and PNG
/// into `OUT/boards/`, touching nothing else of the output.
pub fn build_boards(
    dir: &Path,
    opts: &BuildOptions,
    only: Option<&str>,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let out = output_dir(dir, opts);
    output::check_target(dir, &out).map_err(|d| vec![d])?;
    let opts = &BuildOptions {
        no_boards: false,
        ..opts.clone()
    };
    let (site, _urls, mut warnings) = load_site(dir, opts, false)?;
    if let Some(slug) = only {
        if !site.boards.iter().any(|b| b.slug == slug) {
            let known: Vec<&str> = site.boards.iter().map(|b| b.slug.as_str()).collect();
            return Err(vec![Diagnostic::error(
                format!("there is no board `{slug}`"),
                format!("没有名为 `{slug}` 的展板"),
            )
            .hint(
                format!("boards of this site: {}", known.join(", ")),
                format!("本站的展板：{}", known.join("、")),
            )]);
        }
    }
    let loaded = start.elapsed();
    let outcome = boards::render(&site, only, None).map_err(and_warnings(&warnings))?;
    let rendered = start.elapsed();
    let files = board_files(&outcome);
    let report = output::write_some(dir, &out, &files)?;
    let counts = outcome.counts();
    warnings.extend(outcome.warnings);
    let elapsed = start.elapsed();
    Ok(BuildReport {
        output: out,
        pages: 0,
        files: files.len(),
        written: report.written,
        unchanged: report.unchanged,
        removed: 0,
        warnings,
        elapsed,
        phases: [loaded, rendered - loaded, elapsed - rendered],
        images: images::Stats::default(),
        boards: counts,
    })
}

/// Checks everything a build would, writing nothing. Ok holds the warnings.
pub fn check(dir: &Path, opts: &BuildOptions) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let (site, urls, warnings) = load_site(dir, opts, false)?;
    let files = render_site(&site, &urls).map_err(and_warnings(&warnings))?;
    // Make every page (and drop it) to find template errors.
    let mut errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|f| match &f.content {
            output::Content::Deferred(make) => make().err(),
            _ => None,
        })
        .collect();
    match boards::render(&site, None, None) {
        Ok(outcome) if errors.is_empty() => {
            let mut warnings = warnings;
            warnings.extend(outcome.warnings);
            return Ok(warnings);
        }
        Ok(_) => {}
        Err(e) => errors.extend(e),
    }
    error::dedup(&mut errors);
    Err(and_warnings(&warnings)(errors))
}
