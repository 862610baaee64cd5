//! Loading: walking the site folder (sorted, ignored names skipped), parsing YAML and
//! front matter, checking references, rendering Markdown and planning the pictures, to
//! build the immutable [`Site`] model. Every problem found is collected; loading never
//! stops at the first.
//!
//! Loading knows nothing of the renderers: it builds plain data that they read.

pub mod albums;
pub mod boards;
pub mod brand;
pub mod content;
pub mod media;

use crate::cache::{Memo, SourceHashes};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Asset, CopiedFile, Site};
use crate::paths::{self, rel_string};
use crate::urls::Urls;
use crate::yaml;
use std::path::Path;
use std::sync::Arc;
use walkdir::WalkDir;

/// What loading needs to know about the build.
#[derive(Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub urls: Urls,
    /// Source image hashes remembered between builds.
    pub sources: Arc<SourceHashes>,
    /// Results of earlier loads to reuse (`zhanting serve`).
    pub memos: Option<Arc<Memos>>,
}

/// What `zhanting serve` keeps between loads, each entry keyed by what it was made
/// from: parsed content files (by size and modification time) and rendered Markdown
/// (by text, place and link table).
#[derive(Default)]
pub struct Memos {
    pub(crate) parsed: Memo<content::ParsedFile>,
    pub(crate) markdown: Memo<Arc<crate::markdown::Rendered>>,
}

/// Loads the site at `root`: the site when no error was found. Every diagnostic,
/// errors and warnings, goes to `diags`.
pub fn load(
    root: &Path,
    config: SiteConfig,
    opts: &LoadOptions,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let start = diags.len();
    let albums = albums::load(root, diags);
    let (raw_brand, raw_achievements) = rayon::join(
        || brand::load_brand_file(root),
        || brand::load_achievements_file(root),
    );
    // No brand.yaml: no pillars. A broken brand.yaml: pillars unknown, so not checked.
    let pillars = match &raw_brand {
        None => Some(Vec::new()),
        Some(b) => b.pillar_names(config.slugs),
    };
    let planner = media::Planner::new(root, &config.images, opts.sources.clone());
    let (parsed, env) = content::parse(
        root,
        &config,
        pillars.as_deref(),
        &albums,
        opts,
        planner,
        diags,
    );
    let brand = raw_brand.and_then(|b| b.finish(root, &env, diags));
    let achievements = raw_achievements
        .map(|a| a.finish(root, &env, diags))
        .unwrap_or_default();
    let mut site = Site {
        root: root.to_path_buf(),
        brand,
        achievements,
        sections: Vec::new(),
        pages: Vec::new(),
        boards: Vec::new(),
        albums,
        tags: Vec::new(),
        static_files: static_files(root, diags),
        assets: Default::default(),
        templates_dir: Some(root.join("templates")).filter(|d| d.is_dir()),
        unpublished: env.unpublished.clone(),
        media: Default::default(),
        config,
    };
    let memo = opts.memos.as_ref().map(|m| &m.markdown);
    parsed.finish(&env, &mut site, diags, memo);
    site.boards = boards::load(root, &site, diags);
    collect_assets(&mut site);
    diags.sort_since(start);
    (!diags.errors_since(start)).then_some(site)
}

/// The plan stage: every picture the site shows, planned from the files' headers
/// (sizes, published names, the work to make them) into `site.media`.
pub fn plan(site: &mut Site, opts: &LoadOptions, diags: &mut Diagnostics) {
    let planner = media::Planner::new(&site.root, &site.config.images, opts.sources.clone());
    let start = diags.len();
    site.media = media::plan(&site.image_sources(), &planner, diags);
    diags.sort_since(start);
}

/// Every referenced file that is published as is.
fn collect_assets(site: &mut Site) {
    let mut assets = std::mem::take(&mut site.assets);
    let mut add = |a: &Option<Asset>| {
        if let Some(a) = a {
            assets.insert(a.path.clone(), a.source.clone());
        }
    };
    add(&site.config.logo.as_deref().map(Asset::of));
    if let Some(brand) = &site.brand {
        add(&brand.logo);
        for p in &brand.pillars {
            add(&p.cover);
        }
    }
    for h in &site.achievements.honors {
        add(&h.image);
    }
    for p in &site.pages {
        add(&p.cover);
    }
    // Files under static/ are copied with static/ itself.
    assets.retain(|_, source| !source.starts_with("static/"));
    site.assets = assets;
}

fn static_files(root: &Path, diags: &mut Diagnostics) -> Vec<CopiedFile> {
    let dir = root.join("static");
    let mut files = Vec::new();
    for entry in walk(&dir) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(&dir).expect("walked below dir");
                files.push(CopiedFile {
                    output: rel_string(rel),
                    source: e.path().to_path_buf(),
                });
            }
            Ok(_) => {}
            Err(e) => diags.push(walk_error(root, &e)),
        }
    }
    files
}

/// Walks `dir` in sorted order, skipping ignored names ([`paths::is_ignored`]).
pub fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !paths::is_ignored(&e.file_name().to_string_lossy()))
        .filter(|e| !matches!(e, Err(err) if err.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)))
}

pub(crate) fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let file = e
        .path()
        .and_then(|p| p.strip_prefix(root).ok())
        .map(rel_string)
        .unwrap_or_default();
    Diagnostic::error(
        format!("cannot read {file}: {e}"),
        format!("无法读取 {file}：{e}"),
    )
    .file(file)
    .hint("check the folder's permissions", "请检查目录权限")
}

/// Reads a UTF-8 text file of the site; `None` when it does not exist.
pub fn read_text(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<String> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Some(s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s)),
            Err(_) => {
                diags.push(
                    Diagnostic::error(
                        format!("{rel} is not UTF-8 text"),
                        format!("{rel} 不是 UTF-8 编码的文本"),
                    )
                    .file(rel)
                    .hint(
                        "save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
                        "请将文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）",
                    ),
                );
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            diags.push(Diagnostic::unreadable(rel, &e));
            None
        }
    }
}

/// Checks a path written in `file` (site-relative) at `key`: it must stay inside the site
/// and exist. Returns the site-relative path.
pub fn check_file_ref(
    root: &Path,
    file: &str,
    source: &str,
    key: &str,
    target: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let pos = yaml::find_value(source, key, target);
    match paths::join(paths::parent(file), target) {
        None => {
            diags.push(
                Diagnostic::error(
                    format!("`{target}` points outside the site folder"),
                    format!("`{target}` 指向了站点目录之外"),
                )
                .file(file)
                .at_opt(source, pos)
                .hint(
                    "copy the file into the site folder and use a path relative to this file",
                    "请把文件复制到站点目录内，并写相对于本文件的路径",
                ),
            );
            None
        }
        Some(rel) if root.join(&rel).is_file() => Some(rel),
        Some(rel) => {
            diags.push(
                Diagnostic::error(
                    format!("{key}: file `{target}` not found"),
                    format!("{key}：文件 `{target}` 不存在"),
                )
                .file(file)
                .at_opt(source, pos)
                .hint(
                    format!("paths are relative to this file; looked for {rel}"),
                    format!("路径相对于本文件；查找的位置是 {rel}"),
                ),
            );
            None
        }
    }
}
