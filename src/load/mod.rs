//! Loading: walking the site folder (sorted, ignored names skipped), parsing YAML and
//! front matter, checking references, rendering Markdown and planning the pictures, to
//! build the immutable [`Site`] model. Every problem found is collected; loading never
//! stops at the first.
//!
//! Loading knows nothing of the renderers: it builds plain data that they read.

pub mod albums;
pub mod boards;
pub mod brand;
pub mod cards;
pub mod content;
pub mod deck;
pub mod media;
pub mod screen;

use crate::cache::{Memo, SourceHashes};
use crate::checks::{self, Checks};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::model::{Asset, CopiedFile, Site};
use crate::paths;
use crate::urls::Urls;
use crate::yaml;
use std::sync::Arc;

/// What loading needs to know about the build.
#[derive(Clone)]
pub struct LoadOptions {
    /// The site folder: on disk, or indexed (`zhanting serve`).
    pub folder: Arc<SiteFolder>,
    pub drafts: bool,
    pub urls: Urls,
    /// Source image hashes remembered between builds.
    pub sources: Arc<SourceHashes>,
    /// Results of earlier loads to reuse (`zhanting serve`).
    pub memos: Option<Arc<Memos>>,
}

/// What `zhanting serve` keeps between loads: what each content file became (see
/// [`content`]).
#[derive(Default)]
pub struct Memos {
    /// What each content file became, by file.
    pub(crate) content: Memo<content::Kept>,
    /// How the pages of the last load hang together.
    pub(crate) structure: std::sync::Mutex<Option<content::Structure>>,
    /// The pages in order and the lists of the last load.
    pub(crate) index: std::sync::Mutex<Option<content::LastIndex>>,
    /// The inspection checks and what they were made from (the checks.yaml text, the
    /// brand's own names): building their automaton takes milliseconds, not to be spent
    /// on every edit.
    pub(crate) checks: std::sync::Mutex<Option<ChecksMade>>,
}

/// The checks of the last load and what they were made from.
type ChecksMade = (Option<String>, Vec<String>, Arc<Checks>);

/// Loads the site at `root`: the site when no error was found. Every diagnostic,
/// errors and warnings, goes to `diags`.
pub fn load(config: SiteConfig, opts: &LoadOptions, diags: &mut Diagnostics) -> Option<Site> {
    let start = diags.len();
    let folder = &*opts.folder;
    let root = folder.root();
    let albums = albums::load(folder, diags);
    let (raw_brand, raw_achievements) = rayon::join(
        || brand::load_brand_file(folder),
        || brand::load_achievements_file(folder),
    );
    // No brand.yaml: no pillars. A broken brand.yaml: pillars unknown, so not checked.
    let pillars = match &raw_brand {
        None => Some(Vec::new()),
        Some(b) => b.pillar_names(config.slugs),
    };
    let planner = media::Planner::new(root, &config.images, opts.sources.clone());
    let checks = site_checks(folder, raw_brand.as_ref(), opts.memos.as_deref(), diags);
    let read = [
        (brand::BRAND_FILE, raw_brand.as_ref().map(|b| b.src())),
        (
            brand::ACHIEVEMENTS_FILE,
            raw_achievements.as_ref().map(|a| a.src()),
        ),
    ];
    let site_yaml = check_yaml_files(folder, &checks, &read, diags);
    let mut config = config;
    if let Some(logo) = config.logo.take() {
        let src = site_yaml.as_deref().unwrap_or_default();
        config.logo = check_file_ref(folder, crate::config::FILE, src, "logo", &logo, diags);
    }
    let t = std::time::Instant::now();
    let (parsed, env) = content::parse(
        &opts.folder,
        &config,
        pillars.as_deref(),
        &albums,
        opts,
        planner,
        &checks,
        diags,
    );
    crate::timing::timing("  content", t);
    let brand = raw_brand.and_then(|b| b.finish(folder, &env, diags));
    let achievements = raw_achievements
        .map(|a| a.finish(folder, &env, diags))
        .unwrap_or_default();
    let mut site = new_site(folder, config, brand, achievements, albums);
    let t = std::time::Instant::now();
    parsed.finish(&env, &mut site, diags, opts.memos.as_deref());
    crate::timing::timing("  markdown", t);
    site.board_templates = Arc::new(crate::theme::board_templates(site.templates_dir.as_deref()));
    site.boards = boards::load(folder, &site, &opts.urls, diags);
    site.deck = deck::load(folder, &site, diags);
    site.screen = screen::load(folder, &site, diags);
    // Every folder has been listed by now.
    for rel in folder.links() {
        diags.push(link_skipped(&rel));
    }
    checks::site(
        &site,
        site_yaml.as_deref(),
        &checks,
        opts.urls.offline,
        diags,
    );
    collect_assets(&mut site);
    // One root cause, one message: what only follows from a broken brand.yaml or
    // achievements.yaml (a board block or slide that takes its data from there) is left
    // to that file's own errors.
    let broken: Vec<&str> = [brand::BRAND_FILE, brand::ACHIEVEMENTS_FILE]
        .into_iter()
        .filter(|f| diags.has_errors_in(f))
        .collect();
    diags.drop_following(start, &broken);
    diags.sort_since(start);
    (!diags.errors_since(start)).then_some(site)
}

/// The warning for `rel`, a symbolic link in a folder of the site: links are not
/// followed (one may lead out of the site folder, and the host the site is uploaded to
/// has not what it points to), so what it points to is not part of the site.
fn link_skipped(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        format!("{rel} is a symbolic link: links are not followed, so it is left out"),
        format!("{rel} 是符号链接（快捷方式）：zhanting 不跟随链接，已略过"),
    )
    .file(rel)
    .hint(
        "put the file or folder itself here instead of a link to it",
        "请把文件或文件夹本身放在这里，而不是指向它的链接",
    )
}

/// The site's inspection checks: checks.yaml read, the brand's own names allowed.
fn site_checks(
    folder: &SiteFolder,
    raw_brand: Option<&brand::RawBrand>,
    memos: Option<&Memos>,
    diags: &mut Diagnostics,
) -> Arc<Checks> {
    let mut read_errors = Diagnostics::new();
    let src = read_text(folder, checks::CHECKS_FILE, &mut read_errors);
    diags.extend(read_errors);
    let own = raw_brand.map(|b| b.own_names()).unwrap_or_default();
    checks_of(src.as_deref(), own, memos, diags)
}

/// The site of what is read before the pages: the pages, sections, boards, deck and
/// screen are added to it.
fn new_site(
    folder: &SiteFolder,
    config: SiteConfig,
    brand: Option<crate::model::Brand>,
    achievements: crate::model::Achievements,
    albums: Vec<crate::model::Album>,
) -> Site {
    let root = folder.root();
    Site {
        root: root.to_path_buf(),
        cache_root: root.to_path_buf(),
        brand,
        achievements,
        sections: Vec::new(),
        pages: Vec::new(),
        boards: Vec::new(),
        deck: Default::default(),
        screen: Default::default(),
        albums,
        tags: Vec::new(),
        static_files: static_files(folder),
        assets: Default::default(),
        templates_dir: (!folder.files("templates", None).is_empty())
            .then(|| root.join("templates")),
        board_templates: Default::default(),
        media: Default::default(),
        config,
    }
}

/// The checks checks.yaml (text `src`) configures, with the brand's `own` names
/// allowed; under `serve`, those of the last load when both are the same. A broken file
/// is not kept: it is reported on every load.
fn checks_of(
    src: Option<&str>,
    own: Vec<String>,
    memos: Option<&Memos>,
    diags: &mut Diagnostics,
) -> Arc<Checks> {
    let Some(memos) = memos else {
        return match src {
            None if own.is_empty() => built_in_checks(),
            _ => Arc::new(Checks::from_file(src, &own, diags)),
        };
    };
    let mut last = memos.checks.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, checks)) = last
        .as_ref()
        .filter(|(text, names, _)| text.as_deref() == src && *names == own)
    {
        return checks.clone();
    }
    let mut found = Diagnostics::new();
    let checks = Arc::new(Checks::from_file(src, &own, &mut found));
    if found.is_empty() {
        *last = Some((src.map(str::to_string), own, checks.clone()));
    }
    diags.extend(found);
    checks
}

/// The checks of a site without checks.yaml and brand names, made once per process: a portal's branches
/// (and every load in a test or a fuzzer) share their automaton, whose making is most of
/// a small site's load.
fn built_in_checks() -> Arc<Checks> {
    static BUILT_IN: std::sync::OnceLock<Arc<Checks>> = std::sync::OnceLock::new();
    BUILT_IN.get_or_init(|| Arc::new(Checks::default())).clone()
}

/// The inspection checks over the site's YAML files: site.yaml (but its footer contact,
/// public on purpose), brand.yaml, achievements.yaml, deck.yaml, each album.yaml and
/// board file.
/// `read` holds the files loading has read already (`None`: absent). Returns the text
/// of site.yaml.
fn check_yaml_files(
    folder: &SiteFolder,
    checks: &Checks,
    read: &[(&str, Option<&str>)],
    diags: &mut Diagnostics,
) -> Option<String> {
    for (rel, text) in read {
        if let Some(text) = text {
            checks.text(rel, text, None, &[], diags);
        }
    }
    let mut site_yaml = None;
    let mut files: Vec<String> = vec![crate::config::FILE.to_string()];
    for file in [
        crate::model::documents::DECK_FILE,
        crate::model::screen::SCREEN_FILE,
        checks::CHECKS_FILE,
    ] {
        if folder.is_file(file) {
            files.push(file.to_string());
        }
    }
    files.extend(
        folder
            .files("albums", Some(2))
            .into_iter()
            .filter(|f| f.ends_with("/album.yaml")),
    );
    files.extend(
        folder
            .files("boards", Some(1))
            .into_iter()
            .filter(|f| f.ends_with(".yaml") || f.ends_with(".yml")),
    );
    for rel in files {
        // Unreadable files are reported where they are loaded.
        let mut ignored = Diagnostics::new();
        let Some(text) = read_text(folder, &rel, &mut ignored) else {
            continue;
        };
        let skip = if rel == crate::config::FILE {
            public_lines(&text, "contact")
        } else {
            Vec::new()
        };
        checks.text(&rel, &text, None, &skip, diags);
        if rel == crate::config::FILE {
            site_yaml = Some(text);
        }
    }
    site_yaml
}

/// The lines (1-based) of the value of `key`, and of what is indented under it.
fn public_lines(text: &str, key: &str) -> Vec<usize> {
    let Some((line, _)) = yaml::find_key(text, key, 1) else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(lines[line - 1]);
    let mut out = vec![line];
    out.extend(
        (line..lines.len())
            .take_while(|&i| lines[i].trim().is_empty() || indent(lines[i]) > own)
            .map(|i| i + 1),
    );
    out
}

/// The plan stage: every picture the site shows, planned from the files' headers
/// (sizes, published names, the work to make them) into `site.media`.
pub fn plan(site: &mut Site, opts: &LoadOptions, diags: &mut Diagnostics) {
    let planner = media::Planner::new(&site.root, &site.config.images, opts.sources.clone());
    let start = diags.len();
    // Videos first: what each is, its published file and captions.
    let in_albums_and_bodies: Vec<String> = site
        .albums
        .iter()
        .flat_map(|a| a.videos.iter().map(|p| &p.source))
        .chain(site.assets.values().filter(|s| paths::is_video(s)))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .cloned()
        .collect();
    let videos = media::plan_videos(&in_albums_and_bodies, &planner, diags);
    let mut page_videos = std::collections::BTreeMap::new();
    for page in &site.pages {
        let Some(pv) = &page.video else { continue };
        match planner.video(&pv.source, pv.poster.as_deref(), pv.captions.as_deref()) {
            Ok(mut v) => {
                if let (None, Some(d)) = (&v.duration, pv.duration) {
                    v.duration = Some(crate::images::video::duration_text(d));
                    v.duration_iso = Some(crate::images::video::duration_iso(d));
                }
                page_videos.insert(page.source.to_string(), v);
            }
            // Where the page names it.
            Err(mut d) => {
                d.file = Some(page.source.to_string());
                (d.line, d.column) = (Some(pv.at.0), Some(pv.at.1));
                d.source_line = Some(pv.at.2.clone());
                diags.push(d);
            }
        }
    }
    let mut frames = Vec::new();
    let mut warned = std::collections::HashSet::new();
    let listed = videos
        .values()
        .map(|v| (v, None))
        .chain(site.pages.iter().filter_map(|p| {
            let v = page_videos.get(&*p.source)?;
            Some((v, p.video.as_ref()))
        }));
    for (v, page) in listed {
        site.assets.insert(v.path.clone(), v.source.clone());
        if let Some(c) = &v.captions_source {
            site.assets.insert(paths::published_path(c), c.clone());
        }
        match page.and_then(|p| p.poster.clone()) {
            Some(poster) => frames.push(poster),
            None => frames.push(v.source.clone()),
        }
        if warned.insert(v.source.clone()) {
            diags.extend(media::video_warnings(v));
        }
    }
    // The pictures, with each video's poster or frame.
    let mut sources = site.image_sources();
    sources.extend(frames);
    sources.sort();
    sources.dedup();
    // A video that cannot be read has its error already, and no frame.
    sources.retain(|s| !paths::is_video(s) || warned.contains(s));
    site.media = media::plan(&sources, &planner, diags);
    site.media.videos = videos;
    site.media.page_videos = page_videos;
    site.media.cards = cards::plan(site);
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

fn static_files(folder: &SiteFolder) -> Vec<CopiedFile> {
    folder
        .files("static", None)
        .into_iter()
        .map(|rel| CopiedFile {
            output: rel["static/".len()..].to_string(),
            source: folder.path(&rel),
        })
        .collect()
}

/// Reads a UTF-8 text file of the site; `None` when it does not exist.
pub fn read_text(folder: &SiteFolder, rel: &str, diags: &mut Diagnostics) -> Option<String> {
    read_text_sized(folder, rel, None, diags)
}

/// [`read_text`] of a file whose size is known from listing its folder: opened and read
/// in one call, with no second call to ask its size or to find its end (on this kind of
/// machine each system call is dear, and content files are thousands). A file that has
/// grown since is read whole all the same.
pub fn read_text_sized(
    folder: &SiteFolder,
    rel: &str,
    size: Option<u64>,
    diags: &mut Diagnostics,
) -> Option<String> {
    let read = match size {
        Some(size) => read_sized(&folder.path(rel), size),
        None => std::fs::read(folder.path(rel)),
    };
    match read {
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

/// The bytes of the file at `path`, expected to be `size` long.
fn read_sized(path: &std::path::Path, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let Ok(size) = usize::try_from(size) else {
        return std::fs::read(path);
    };
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; size + 1];
    let mut filled = 0;
    // Until the expected size: a file of that size is then whole without a read that
    // returns 0. A read filling the extra byte means the file grew: read on to its end.
    loop {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if filled >= size {
            break;
        }
    }
    buf.truncate(filled);
    if filled > size {
        file.read_to_end(&mut buf)?;
    }
    Ok(buf)
}

/// Checks a path written in `file` (site-relative) at `key`: it must stay inside the site
/// and exist. Returns the site-relative path.
pub fn check_file_ref(
    folder: &SiteFolder,
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
        Some(rel) if folder.is_file(&rel) => Some(rel),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read with its listed size is whole when that size is right, and also when
    /// the file has grown or shrunk since it was listed.
    #[test]
    fn a_sized_read_gets_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "标题\n正文".repeat(1000);
        std::fs::write(&path, &text).unwrap();
        let len = text.len() as u64;
        for size in [len, len - 7, 3, 0, len + 9] {
            let read = read_sized(&path, size).unwrap();
            assert!(
                read == text.as_bytes(),
                "size {size}: {} bytes read",
                read.len()
            );
        }
    }
}
