//! Loading: walking the site folder (sorted, hidden files ignored), parsing YAML and front
//! matter, checking references, and building the immutable [`Site`] model. Every problem
//! found is collected; loading never stops at the first.

pub mod albums;
pub mod boards;
pub mod brand;
pub mod content;
pub mod paths;
pub mod yaml;

use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::model::{CopiedFile, Site};
use crate::urls::Urls;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use walkdir::WalkDir;

/// What loading needs to know about the build.
#[derive(Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub urls: Urls,
    /// Results of earlier loads to reuse (`zhanting serve`).
    pub cache: Option<Arc<Cache>>,
    /// Source image hashes remembered between builds.
    pub images: Option<Arc<crate::images::HashMemo>>,
}

/// What `zhanting serve` keeps between rebuilds, each entry keyed by what it was made
/// from, so a reuse can never be stale: parsed content files (by size and modification
/// time), rendered Markdown (by text and link table), rendered outputs (by their whole
/// template context).
#[derive(Default)]
pub struct Cache {
    files: Mutex<HashMap<String, (FileStamp, content::ParsedFile)>>,
    pub(crate) markdown: Mutex<Keyed<Arc<crate::markdown::Rendered>>>,
    pub(crate) outputs: Mutex<Keyed<Arc<[u8]>>>,
    /// Laid-out boards by slug, so a rebuild does not read their files from the disk
    /// cache again.
    pub(crate) boards: Mutex<Keyed<(crate::boards::Rendered, Vec<Diagnostic>)>>,
}

/// Values by name, each with the hash of what it was made from.
pub(crate) type Keyed<T> = HashMap<String, (u64, T)>;

type FileStamp = (u64, Option<std::time::SystemTime>);

impl Cache {
    /// The parse of `rel`, made by `parse` unless the file is unchanged since last time.
    fn parsed(
        &self,
        root: &Path,
        rel: &str,
        parse: impl FnOnce() -> content::ParsedFile,
    ) -> content::ParsedFile {
        let stamp = std::fs::metadata(root.join(rel))
            .map(|m| (m.len(), m.modified().ok()))
            .ok();
        if let Some(stamp) = stamp {
            if let Some((s, p)) = self
                .files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(rel)
            {
                if *s == stamp {
                    return p.clone();
                }
            }
            let parsed = parse();
            self.files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_string(), (stamp, parsed.clone()));
            return parsed;
        }
        parse()
    }
}

/// A stable-within-a-process hash of anything hashable.
pub(crate) fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Loads the site at `root`. Returns the site when no error was found, and every
/// diagnostic (errors and warnings) either way.
pub fn load(
    root: &Path,
    config: SiteConfig,
    opts: &LoadOptions,
) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let albums = albums::load(root, &mut diags);
    let (raw_brand, raw_achievements) = rayon::join(
        || brand::load_brand_file(root),
        || brand::load_achievements_file(root),
    );
    // No brand.yaml: no pillars. A broken brand.yaml: pillars unknown, so not checked.
    let pillars = match &raw_brand {
        None => Some(Vec::new()),
        Some(b) => b.pillar_names(config.slugs),
    };
    let t0 = std::time::Instant::now();
    let (parsed, env) =
        content::parse(root, &config, pillars.as_deref(), &albums, opts, &mut diags);
    let t1 = t0.elapsed();
    let brand = raw_brand.and_then(|b| b.finish(root, &env, &mut diags));
    let achievements = raw_achievements
        .map(|a| a.finish(root, &env, &mut diags))
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
        static_files: static_files(root, &mut diags),
        assets: Default::default(),
        templates_dir: Some(root.join("templates")).filter(|d| d.is_dir()),
        unpublished: env.unpublished.clone(),
        media: Default::default(),
        config,
    };
    let t2 = t0.elapsed();
    parsed.finish(&env, &mut site, &mut diags, opts.cache.as_deref());
    if std::env::var_os("ZHANTING_TIMINGS").is_some() {
        eprintln!(
            "  parse {t1:?}, brand+static {:?}, finish {:?}",
            t2 - t1,
            t0.elapsed() - t2
        );
    }
    site.boards = boards::load(root, &site, &mut diags);
    collect_assets(&mut site);
    if !diags.iter().any(Diagnostic::is_error) {
        let memo = opts.images.clone().unwrap_or_default();
        let (plan, image_diags) =
            crate::images::plan(root, &site.image_sources(), &site.config.images, &memo);
        diags.extend(image_diags);
        site.media = plan;
    }
    let failed = diags.iter().any(Diagnostic::is_error);
    crate::error::sort(&mut diags);
    (if failed { None } else { Some(site) }, diags)
}

/// Every referenced file that is published as is.
fn collect_assets(site: &mut Site) {
    let mut assets = std::mem::take(&mut site.assets);
    let mut add = |a: &Option<crate::model::Asset>| {
        if let Some(a) = a {
            assets.insert(a.path.clone(), a.source.clone());
        }
    };
    add(&site.config.logo.as_deref().map(paths::asset));
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

fn static_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<CopiedFile> {
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

/// Walks `dir` in sorted order, skipping hidden files and editor leftovers.
pub fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        .filter(|e| !matches!(e, Err(err) if err.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)))
}

fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.starts_with("#")
}

/// A path below the site as a `/`-separated string.
pub fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn io_error(file: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        format!("cannot read {file}: {e}"),
        format!("无法读取 {file}：{e}"),
    )
    .file(file)
    .hint(
        "check that the file exists and is readable",
        "请检查文件是否存在、是否有读取权限",
    )
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
pub fn read_text(root: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
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
            diags.push(io_error(rel, &e));
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
    diags: &mut Vec<Diagnostic>,
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
