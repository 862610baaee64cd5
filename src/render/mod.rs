//! Rendering: turns the [`Site`] into the list of output files (HTML pages, feeds, theme
//! and static files, published assets). Pages render in parallel; nothing is written here.

pub mod feeds;
pub mod search;
pub mod web;

use crate::error::Diagnostic;
use crate::model::Site;
use crate::output::{Content, OutputFile};
use crate::templates::{self, TemplateSources, THEME};
use crate::urls::Urls;
use minijinja::{context, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use web::Shared;

/// One HTML page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    Brand,
    Pillar { pillar: usize, page: usize },
    Achievements,
    Section { section: usize, page: usize },
    Page(usize),
    Tags,
    Tag { tag: usize, page: usize },
    Search,
    Photos,
    Album(usize),
    Boards,
    Board(usize),
    NotFound,
}

/// `base` for page 1, `base/page/N/` after.
pub fn pager_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

/// The output file of a site path: `/news/a/` → `news/a/index.html`.
pub fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

fn jobs(site: &Site) -> Vec<(Job, String)> {
    let per = site.config.paginate_by;
    let mut jobs = vec![
        (Job::Home, "/".to_string()),
        (Job::NotFound, "/404.html".to_string()),
    ];
    if let Some(brand) = &site.brand {
        jobs.push((Job::Brand, "/brand/".into()));
        for (i, p) in brand.pillars.iter().enumerate() {
            for n in 1..=page_count(p.pages.len(), per) {
                jobs.push((Job::Pillar { pillar: i, page: n }, pager_path(&p.path, n)));
            }
        }
    }
    if web::has_achievements(site) {
        jobs.push((Job::Achievements, "/achievements/".into()));
    }
    for (i, s) in site.sections.iter().enumerate() {
        for n in 1..=page_count(s.pages.len(), s.paginate_by) {
            jobs.push((
                Job::Section {
                    section: i,
                    page: n,
                },
                pager_path(&s.path, n),
            ));
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        jobs.push((Job::Page(i), p.path.clone()));
    }
    if !site.tags.is_empty() {
        jobs.push((Job::Tags, "/tags/".into()));
    }
    if site.config.search {
        jobs.push((Job::Search, "/search/".into()));
    }
    if !site.albums.is_empty() {
        jobs.push((Job::Photos, "/photos/".into()));
    }
    for (i, a) in site.albums.iter().enumerate() {
        jobs.push((Job::Album(i), web::album_path(&a.slug)));
    }
    if !site.boards.is_empty() {
        jobs.push((Job::Boards, "/boards/".into()));
    }
    for (i, b) in site.boards.iter().enumerate() {
        jobs.push((Job::Board(i), b.path.clone()));
    }
    for (i, t) in site.tags.iter().enumerate() {
        for n in 1..=page_count(t.pages.len(), per) {
            jobs.push((Job::Tag { tag: i, page: n }, pager_path(&t.path, n)));
        }
    }
    jobs
}

#[derive(serde::Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    numbers: Vec<PagerNumber>,
}

#[derive(serde::Serialize)]
struct PagerNumber {
    number: usize,
    path: String,
    current: bool,
}

fn pager(base: &str, current: usize, total: usize) -> Pager {
    Pager {
        current,
        total,
        prev: (current > 1).then(|| pager_path(base, current - 1)),
        next: (current < total).then(|| pager_path(base, current + 1)),
        numbers: (1..=total)
            .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
            .map(|n| PagerNumber {
                number: n,
                path: pager_path(base, n),
                current: n == current,
            })
            .collect(),
    }
}

/// The slice of `items` shown on list page `n`, and the pager.
fn paged(shared: &Shared, items: &[usize], per: usize, base: &str, n: usize) -> (Value, Value) {
    let total = page_count(items.len(), per);
    let std::ops::Range { start, end } = page_range(items.len(), per, n);
    (
        shared.list(&items[start..end]),
        Value::from_serialize(pager(base, n, total)),
    )
}

/// What rendering one HTML page needs, built once per build and shared by all pages.
pub struct Renderer {
    sources: TemplateSources,
    env: minijinja::Environment<'static>,
    shared: Shared,
    /// Newer and older neighbours of each page within its section.
    neighbours: Vec<(Option<usize>, Option<usize>)>,
    search_root: String,
    offline: bool,
    live_reload: bool,
    urls: Urls,
    /// Outputs of earlier builds, by the hash of their whole context (`zhanting serve`).
    memo: Option<Arc<crate::load::Cache>>,
    /// The hash of what every page shares: site, brand, achievements, words, templates.
    shared_key: u64,
    /// Whether to write the search index (`zhanting serve` makes it after the reload).
    pub with_search: bool,
}

impl Renderer {
    /// `live_reload` makes the theme include the live-reload client (`zhanting serve`).
    pub fn new(site: &Site, urls: &Urls, live_reload: bool) -> Renderer {
        Renderer::with_memo(site, urls, live_reload, None)
    }

    /// A renderer that reuses an output whose whole context is unchanged since it was
    /// last rendered.
    pub fn with_memo(
        site: &Site,
        urls: &Urls,
        live_reload: bool,
        memo: Option<Arc<crate::load::Cache>>,
    ) -> Renderer {
        let sources = TemplateSources::new(site.templates_dir.as_deref());
        let env = templates::environment(&sources, Arc::new(urls.clone()));
        let mut neighbours = vec![(None, None); site.pages.len()];
        for s in &site.sections {
            for (j, &i) in s.pages.iter().enumerate() {
                neighbours[i] = (
                    j.checked_sub(1).map(|k| s.pages[k]),
                    s.pages.get(j + 1).copied(),
                );
            }
        }
        let shared = Shared::new(site);
        let shared_key = match &memo {
            Some(_) => crate::load::fingerprint(&(
                [
                    &shared.site,
                    &shared.brand,
                    &shared.achievements,
                    &shared.ui,
                ],
                sources.fingerprint(),
                live_reload,
                &urls.base_url,
                urls.offline,
            )),
            None => 0,
        };
        Renderer {
            with_search: true,
            memo,
            shared_key,
            sources,
            env,
            shared,
            neighbours,
            search_root: if urls.offline {
                "../".to_string()
            } else {
                urls.base_path.clone()
            },
            offline: urls.offline,
            live_reload,
            urls: urls.clone(),
        }
    }

    /// Renders page `index` of `site.pages` alone (the site must be the one this
    /// renderer was made for, apart from that page's content).
    pub fn page(&self, site: &Site, index: usize) -> Result<OutputFile<'static>, Diagnostic> {
        self.job(site, Job::Page(index), &site.pages[index].path)
    }

    fn job(&self, site: &Site, job: Job, path: &str) -> Result<OutputFile<'static>, Diagnostic> {
        let shared = &self.shared;
        let (template, ctx, what, key) = job_context(site, shared, &self.neighbours, job, path);
        let memo = self.memo.as_ref().map(|m| {
            (
                m,
                crate::load::fingerprint(&(self.shared_key, &template, path, key, per_key(site))),
            )
        });
        if let Some((m, key)) = &memo {
            if let Some((k, bytes)) = m
                .outputs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(path)
            {
                if k == key {
                    return Ok(OutputFile {
                        path: file_of(path),
                        content: Content::Shared(bytes.clone()),
                    });
                }
            }
        }
        let ctx = match job {
            Job::Search => context! { search_root => self.search_root, ..ctx },
            _ => ctx,
        };
        let ctx = context! {
            current_path => path,
            site => shared.site.clone(),
            brand => shared.brand.clone(),
            achievements => shared.achievements.clone(),
            ui => shared.ui.clone(),
            dev => context! { live_reload => self.live_reload },
            offline => self.offline,
            ..ctx
        };
        let html = self
            .env
            .get_template(&template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| templates::error_diagnostic(&self.sources, &e, &what))?;
        let content = match memo {
            Some((m, key)) => {
                let bytes: Arc<[u8]> = html.into_bytes().into();
                m.outputs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path.to_string(), (key, bytes.clone()));
                Content::Shared(bytes)
            }
            None => Content::Bytes(html.into_bytes()),
        };
        Ok(OutputFile {
            path: file_of(path),
            content,
        })
    }
}

/// Everything a build writes, or every error found while rendering.
pub fn render<'a>(
    site: &'a Site,
    urls: &Urls,
    live_reload: bool,
) -> Result<Vec<OutputFile<'a>>, Vec<Diagnostic>> {
    render_with(site, Arc::new(Renderer::new(site, urls, live_reload)))
}

/// [`render`] with a renderer made before.
pub fn render_with<'a>(
    site: &'a Site,
    renderer: Arc<Renderer>,
) -> Result<Vec<OutputFile<'a>>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut files: BTreeMap<String, (String, Content<'a>)> = BTreeMap::new();
    // Pages are made while writing, so they never all sit in memory at once.
    for (job, path) in jobs(site) {
        let renderer = renderer.clone();
        let file = file_of(&path);
        let make = move || renderer.job(site, job, &path).map(|f| f.content);
        files.insert(
            file,
            ("generated".into(), Content::Deferred(Box::new(make))),
        );
    }
    for (path, content) in feeds::render(site, &renderer.urls) {
        files.insert(path, ("generated".into(), content));
    }
    if site.config.search && renderer.with_search {
        for (path, content) in search::render(site, search::documents(site)) {
            files.insert(path, ("generated".into(), content));
        }
    }
    add_theme_static(&mut files);
    for (path, source) in &site.assets {
        // Images are published processed, never as the original.
        if site.media.pictures.contains_key(source) {
            continue;
        }
        let out = path.trim_start_matches('/').to_string();
        files
            .entry(out)
            .or_insert((source.clone(), Content::Copy(site.root.join(source))));
    }
    let cache = crate::images::cache_dir(&site.root);
    for (out, cached) in crate::images::outputs(&site.media, &cache) {
        files
            .entry(out)
            .or_insert(("image".into(), Content::CopyNamedByHash(cached)));
    }
    for f in &site.static_files {
        let label = format!("static/{}", f.output);
        match files.get(&f.output) {
            Some((owner, _)) if owner != "theme" => {
                errors.push(
                    Diagnostic::error(
                        format!(
                            "{label} would overwrite the page zhanting generates at /{}",
                            f.output
                        ),
                        format!("{label} 会覆盖 zhanting 生成的页面 /{}", f.output),
                    )
                    .file(label.clone())
                    .hint(
                        "rename or move the file in static/",
                        "请重命名或移动 static/ 中的这个文件",
                    ),
                );
            }
            _ => {
                files.insert(f.output.clone(), (label, Content::Copy(f.source.clone())));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(files
        .into_iter()
        .map(|(path, (_, content))| OutputFile { path, content })
        .collect())
}

/// The theme's CSS and scripts, under the same paths as in `site-template/static/`.
fn add_theme_static(files: &mut BTreeMap<String, (String, Content<'_>)>) {
    fn visit(
        dir: &'static include_dir::Dir<'static>,
        files: &mut BTreeMap<String, (String, Content<'_>)>,
    ) {
        for f in dir.files() {
            let rel = f.path().strip_prefix("static").unwrap_or(f.path());
            files.insert(
                crate::load::rel_string(rel),
                ("theme".into(), Content::Static(f.contents())),
            );
        }
        for d in dir.dirs() {
            visit(d, files);
        }
    }
    if let Some(dir) = THEME.get_dir("static") {
        visit(dir, files);
    }
}

/// Settings every list depends on.
fn per_key(site: &Site) -> usize {
    site.config.paginate_by
}

/// The items of list page `n`.
fn page_range(items: usize, per: usize, n: usize) -> std::ops::Range<usize> {
    let start = ((n - 1) * per).min(items);
    start..(start + per).min(items)
}

/// The template, its context, a description for errors, and a key: a hash of everything
/// the context holds beyond what all pages share (the renderer's `shared_key`), made
/// from cheap inputs so a serve rebuild can tell an unchanged page without rendering.
/// Whatever goes into a context must go into its key.
fn job_context(
    site: &Site,
    shared: &Shared,
    neighbours: &[(Option<usize>, Option<usize>)],
    job: Job,
    path: &str,
) -> (String, Value, String, u64) {
    use crate::load::fingerprint as key;
    let per = site.config.paginate_by;
    let keys = |items: &[usize]| {
        items
            .iter()
            .map(|&i| shared.page_keys[i])
            .collect::<Vec<u64>>()
    };
    match job {
        Job::Home => {
            let latest: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].section.is_some())
                .take(8)
                .collect();
            let sections: Vec<(&str, &str, Option<&str>, usize)> = site
                .sections
                .iter()
                .map(|s| {
                    (
                        s.title.as_str(),
                        s.path.as_str(),
                        s.description.as_deref(),
                        s.pages.len(),
                    )
                })
                .collect();
            let views: Vec<Value> = sections
                .iter()
                .map(|(title, path, description, count)| context! { title, path, description, count })
                .collect();
            let mut recent: Vec<usize> = (0..site.albums.len()).collect();
            recent.sort_by(|&a, &b| site.albums[b].date.cmp(&site.albums[a].date));
            recent.truncate(4);
            let albums: Vec<Value> = recent.iter().map(|&i| shared.albums[i].clone()).collect();
            let k = key(&(
                keys(&latest),
                &sections,
                recent
                    .iter()
                    .map(|&i| shared.album_keys[i])
                    .collect::<Vec<_>>(),
                &shared.board_keys,
            ));
            (
                "index.html".into(),
                context! { latest => shared.list(&latest), sections => views, albums => albums, boards => shared.boards.clone() },
                "the home page".into(),
                k,
            )
        }
        Job::NotFound => ("404.html".into(), context! {}, "404.html".into(), 0),
        Job::Photos => {
            // By year, newest first; undated albums last.
            let mut years: Vec<(Option<i32>, Vec<usize>)> = Vec::new();
            for (i, a) in site.albums.iter().enumerate() {
                let y = a.date.map(|d| d.year());
                match years.iter_mut().find(|(k, _)| *k == y) {
                    Some((_, v)) => v.push(i),
                    None => years.push((y, vec![i])),
                }
            }
            years.sort_by(|a, b| b.0.is_some().cmp(&a.0.is_some()).then(b.0.cmp(&a.0)));
            for (_, v) in &mut years {
                v.sort_by(|&a, &b| site.albums[b].date.cmp(&site.albums[a].date));
            }
            let views: Vec<Value> = years
                .iter()
                .map(|(y, v)| context! { year => y, albums => v.iter().map(|&i| shared.albums[i].clone()).collect::<Vec<_>>() })
                .collect();
            let k = key(&years
                .iter()
                .map(|(y, v)| {
                    (
                        y,
                        v.iter().map(|&i| shared.album_keys[i]).collect::<Vec<_>>(),
                    )
                })
                .collect::<Vec<_>>());
            (
                "photos.html".into(),
                context! { years => views },
                "/photos/".into(),
                k,
            )
        }
        Job::Boards => (
            "boards.html".into(),
            context! { boards => shared.boards.clone() },
            "/boards/".into(),
            key(&shared.board_keys),
        ),
        Job::Board(i) => {
            let prev = i.checked_sub(1).map(|j| shared.boards[j].clone());
            let next = shared.boards.get(i + 1).cloned();
            (
                "board.html".into(),
                context! { board => shared.boards[i].clone(), prev => prev, next => next },
                site.boards[i].source.clone(),
                key(&(
                    shared.board_keys[i],
                    i.checked_sub(1).map(|j| shared.board_keys[j]),
                    shared.board_keys.get(i + 1),
                )),
            )
        }
        Job::Album(i) => {
            let k = key(&shared.album_keys[i]);
            (
                "album.html".into(),
                context! { album => shared.albums[i].clone() },
                format!("albums/{}/album.yaml", site.albums[i].name),
                k,
            )
        }
        Job::Search => {
            let ui = &shared.ui;
            let strings = serde_json::json!({
                "none": ui.get_attr("search_none").ok().map(|v| v.to_string()),
                "count": ui.get_attr("search_count").ok().map(|v| v.to_string()),
                "more": ui.get_attr("search_more").ok().map(|v| v.to_string()),
            })
            .to_string();
            let k = key(&strings);
            (
                "search.html".into(),
                context! { search_strings => strings },
                "/search/".into(),
                k,
            )
        }
        Job::Brand => {
            let brand = site.brand.as_ref().expect("brand job only with a brand");
            let firsts: Vec<&[usize]> = brand
                .pillars
                .iter()
                .map(|p| &p.pages[..p.pages.len().min(3)])
                .collect();
            let pillar_pages: Vec<Value> = firsts.iter().map(|f| shared.list(f)).collect();
            let k = key(&firsts.iter().map(|f| keys(f)).collect::<Vec<_>>());
            (
                "brand.html".into(),
                context! { pillar_pages => pillar_pages },
                "/brand/".into(),
                k,
            )
        }
        Job::Pillar { pillar, page } => {
            let brand = site.brand.as_ref().expect("pillar job only with a brand");
            let p = &brand.pillars[pillar];
            let (pages, pager) = paged(shared, &p.pages, per, &p.path, page);
            let view = shared
                .brand
                .get_attr("pillars")
                .and_then(|ps| ps.get_item(&Value::from(pillar)))
                .unwrap_or_default();
            let k = key(&(
                pillar,
                keys(&p.pages[page_range(p.pages.len(), per, page)]),
                page,
                p.pages.len(),
            ));
            (
                "pillar.html".into(),
                context! { pillar => view, pages => pages, pager => pager },
                path.to_string(),
                k,
            )
        }
        Job::Achievements => (
            "achievements.html".into(),
            context! {},
            "/achievements/".into(),
            0,
        ),
        Job::Section { section, page } => {
            let s = &site.sections[section];
            let (pages, pager) = paged(shared, &s.pages, s.paginate_by, &s.path, page);
            let view = context! { title => s.title, path => s.path, description => s.description, content => Value::from_safe_string(s.content.clone()), count => s.pages.len() };
            let what = s.index_file.clone().unwrap_or_else(|| path.to_string());
            let k = key(&(
                (&s.title, &s.path, &s.description, &s.content),
                keys(&s.pages[page_range(s.pages.len(), s.paginate_by, page)]),
                page,
                s.pages.len(),
                s.paginate_by,
            ));
            (
                s.template.clone().unwrap_or_else(|| "section.html".into()),
                context! { section => view, pages => pages, pager => pager },
                what,
                k,
            )
        }
        Job::Page(i) => {
            let p = &site.pages[i];
            let (newer, older) = neighbours[i];
            let album = p
                .album
                .as_ref()
                .and_then(|name| site.albums.iter().position(|a| &a.name == name));
            let ctx = context! {
                page => shared.pages[i].clone(),
                content => Value::from_safe_string(p.content.clone()),
                newer => newer.map(|n| shared.pages[n].clone()),
                older => older.map(|n| shared.pages[n].clone()),
                album => album.map(|a| shared.albums[a].clone()),
            };
            let k = key(&(
                shared.page_keys[i],
                &p.content,
                newer.map(|n| shared.page_keys[n]),
                older.map(|n| shared.page_keys[n]),
                album.map(|a| shared.album_keys[a]),
            ));
            (
                p.template.clone().unwrap_or_else(|| "page.html".into()),
                ctx,
                p.source.clone(),
                k,
            )
        }
        Job::Tags => {
            let list: Vec<(&str, &str, usize)> = site
                .tags
                .iter()
                .map(|t| (t.name.as_str(), t.path.as_str(), t.pages.len()))
                .collect();
            let tags: Vec<Value> = list
                .iter()
                .map(|(name, path, count)| context! { name, path, count })
                .collect();
            (
                "tags.html".into(),
                context! { tags => tags },
                "/tags/".into(),
                key(&list),
            )
        }
        Job::Tag { tag, page } => {
            let t = &site.tags[tag];
            let (pages, pager) = paged(shared, &t.pages, per, &t.path, page);
            let view = context! { name => t.name, path => t.path, count => t.pages.len() };
            let k = key(&(
                (&t.name, &t.path),
                keys(&t.pages[page_range(t.pages.len(), per, page)]),
                page,
                t.pages.len(),
            ));
            (
                "tag.html".into(),
                context! { tag => view, pages => pages, pager => pager },
                path.to_string(),
                k,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_paths_and_numbers() {
        assert_eq!(pager_path("/news/", 1), "/news/");
        assert_eq!(pager_path("/news/", 3), "/news/page/3/");
        let p = pager("/news/", 5, 10);
        let numbers: Vec<usize> = p.numbers.iter().map(|n| n.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(p.prev.as_deref(), Some("/news/page/4/"));
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/404.html"), "404.html");
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
    }
}
