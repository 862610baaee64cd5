//! zhanting (展厅): a static-site generator for Party branches publishing a brand
//! showcase. One folder of YAML and Markdown becomes a website that any static host
//! serves, or that opens from a USB stick, plus print files for its exhibition boards.
//!
//! Data flows one way: **load → plan → render → write**, run by the one
//! [`Pipeline`] that every command uses. See `ARCHITECTURE.md` for
//! the layers and how to add an artifact.

// Diagnostics travel only on the error path, where their size costs nothing measurable.
#![allow(clippy::result_large_err)]

pub mod artifact;
pub mod boards;
pub mod cache;
pub mod checks;
pub mod config;
pub mod convert;
pub mod documents;
pub mod edit;
pub mod error;
pub mod folder;
pub mod images;
pub mod import;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod portal;
pub mod publish;
pub mod qr;
#[cfg(test)]
mod reference;
pub mod render;
pub mod serve;
pub mod slug;
pub mod templates;
pub mod theme;
pub mod timing;
pub mod typeset;
pub mod urls;
pub mod yaml;

use error::{Diagnostic, Diagnostics};
use model::Site;
pub use pipeline::{BuildOptions, BuildReport, Pipeline, Sink};
use std::path::{Path, PathBuf};
use urls::Urls;

/// `zhanting build`: every artifact into the output folder. On error nothing is
/// written and every diagnostic (errors and warnings) is returned.
///
/// A folder with `portal.yaml` is a committee's portal: every branch it lists is built
/// under `/SLUG/` with the portal's own pages, in one run of the pipeline.
pub fn build(dir: &Path, opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let pipeline = Pipeline::build(dir, opts);
    pipeline.run(&pipeline.output_sink())
}

/// `zhanting boards`: the boards' PDFs and PNGs (or `only` one board's) into
/// `OUT/boards/`, touching nothing else of the output.
pub fn build_boards(
    dir: &Path,
    opts: &BuildOptions,
    only: Option<&str>,
) -> Result<(BuildReport, Vec<boards::preflight::Preflight>), Vec<Diagnostic>> {
    let rows = std::sync::Arc::default();
    let sink = Sink::Part(opts.output_dir(dir));
    let report = Pipeline::boards(dir, opts, only, std::sync::Arc::clone(&rows)).run(&sink)?;
    let rows = std::mem::take(&mut *rows.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((report, rows))
}

/// `zhanting deck` and `zhanting booklet`: one document (and the deck's script) into
/// `OUT`, by default the current folder, touching nothing else there.
pub fn build_document(
    dir: &Path,
    output: Option<&Path>,
    doc: documents::Documents,
) -> Result<(BuildReport, Vec<PathBuf>), Vec<Diagnostic>> {
    if portal::is_portal(dir) {
        let shown = dir.display();
        return Err(vec![Diagnostic::error(
            format!("{shown} is a portal: the deck and the booklet are made for one branch"),
            format!("{shown} 是门户：演示文稿和成果汇编按支部生成"),
        )
        .hint(
            "run the command on a branch's folder, e.g. zhanting deck PORTAL/branches/SLUG",
            "请对某个支部的文件夹运行，例如 zhanting deck 门户/branches/支部",
        )]);
    }
    let out = output.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let names = doc.names();
    let pipeline = Pipeline::document(dir, &BuildOptions::default(), doc);
    let report = pipeline.run(&Sink::Files(out.clone()))?;
    let names = names.lock().unwrap_or_else(|e| e.into_inner());
    Ok((report, names.iter().map(|n| out.join(n)).collect()))
}

/// `zhanting check`: everything a build checks, writing nothing. Ok holds the warnings.
pub fn check(dir: &Path, opts: &BuildOptions) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    Pipeline::check(dir, opts)
        .run(&Sink::Nowhere)
        .map(|r| r.warnings)
}

/// A publish ready to run: the build it publishes, the open target and the plan.
/// [`publish::Publisher::execute`] carries it out.
pub struct Publishing {
    pub build: BuildReport,
    pub settings: config::publish::Publish,
    pub publisher: publish::Publisher,
    pub plan: publish::Plan,
}

/// `zhanting publish`, up to its plan: reads the `publish:` settings of site.yaml (or
/// portal.yaml: the portal with every branch under its slug), builds the site into its
/// output folder, opens the target and compares. Nothing is uploaded yet.
pub fn plan_publish(dir: &Path, opts: &publish::Options) -> Result<Publishing, Vec<Diagnostic>> {
    let (settings, file) = if portal::is_portal(dir) {
        let portal = config::portal::Portal::from_dir(dir)?;
        (portal.config.publish, config::portal::FILE)
    } else {
        (config::SiteConfig::from_file(dir)?.publish, config::FILE)
    };
    let Some(settings) = settings else {
        return Err(vec![Diagnostic::error(
            format!("{file} has no `publish:` section: zhanting does not know where to publish"),
            format!("{file} 中没有 `publish:` 部分：不知道要发布到哪里"),
        )
        .file(file)
        .hint(
            "add e.g.\npublish:\n  kind: s3\n  endpoint: https://oss-cn-chengdu.aliyuncs.com\n  bucket: dangjian\nor `kind: folder` with `path: /media/usb/dangjian`",
            "请添加，例如\npublish:\n  kind: s3\n  endpoint: https://oss-cn-chengdu.aliyuncs.com\n  bucket: dangjian\n或 `kind: folder` 加 `path: /media/usb/dangjian`",
        )]);
    };
    // The target first: a missing key or stick is found before a build of minutes.
    let publisher = publish::Publisher::open(&settings, dir, file).map_err(|e| vec![e.into()])?;
    let build = build(dir, &BuildOptions::default())?;
    let plan = publisher
        .plan(&build.output, &settings, opts)
        .map_err(|e| vec![e.into()])?;
    Ok(Publishing {
        build,
        settings,
        publisher,
        plan,
    })
}

/// Loads and plans the site at `dir` (for tests and benches): the site, its links and
/// the warnings, or every diagnostic.
pub fn load_site(
    dir: &Path,
    opts: &BuildOptions,
    require_base_url: bool,
) -> Result<(Site, Urls, Vec<Diagnostic>), Vec<Diagnostic>> {
    let pipeline = if require_base_url {
        Pipeline::build(dir, opts)
    } else {
        Pipeline::check(dir, opts)
    };
    let mut diags = Diagnostics::new();
    let loaded = pipeline.load(&mut diags);
    diags
        .into_result(loaded)
        .map(|((site, urls), warnings)| (site, urls, warnings))
}
