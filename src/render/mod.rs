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
use rayon::prelude::*;
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
    let start = ((n - 1) * per).min(items.len());
    let end = (start + per).min(items.len());
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
}

impl Renderer {
    /// `live_reload` makes the theme include the live-reload client (`zhanting serve`).
    pub fn new(site: &Site, urls: &Urls, live_reload: bool) -> Renderer {
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
        Renderer {
            sources,
            env,
            shared: Shared::new(site),
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
        let (template, ctx, what) = job_context(site, shared, &self.neighbours, job, path);
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
        self.env
            .get_template(&template)
            .and_then(|t| t.render(ctx))
            .map(|html| OutputFile {
                path: file_of(path),
                content: Content::Bytes(html.into_bytes()),
            })
            .map_err(|e| templates::error_diagnostic(&self.sources, &e, &what))
    }
}

/// Everything a build writes, or every error found while rendering.
pub fn render<'a>(
    site: &'a Site,
    urls: &Urls,
    live_reload: bool,
) -> Result<Vec<OutputFile<'a>>, Vec<Diagnostic>> {
    render_with(site, &Renderer::new(site, urls, live_reload))
}

/// [`render`] with a renderer made before.
pub fn render_with<'a>(
    site: &'a Site,
    renderer: &Renderer,
) -> Result<Vec<OutputFile<'a>>, Vec<Diagnostic>> {
    let results: Vec<Result<OutputFile<'a>, Diagnostic>> = jobs(site)
        .par_iter()
        .map(|(job, path)| renderer.job(site, *job, path))
        .collect();

    let mut errors = Vec::new();
    let mut files: BTreeMap<String, (String, Content<'a>)> = BTreeMap::new();
    for r in results {
        match r {
            Ok(f) => {
                files.insert(f.path, ("generated".into(), f.content));
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        // One broken template fails every page that uses it: report each problem once.
        errors.sort_by(|a, b| {
            (&a.file, a.line, &a.message.en).cmp(&(&b.file, b.line, &b.message.en))
        });
        errors.dedup_by(|a, b| {
            a.file == b.file
                && a.line == b.line
                && a.message.en.split(" (while").next() == b.message.en.split(" (while").next()
        });
        return Err(errors);
    }
    for (path, content) in feeds::render(site, &renderer.urls) {
        files.insert(path, ("generated".into(), content));
    }
    if site.config.search {
        for (path, content) in search::render(site, search::documents(site)) {
            files.insert(path, ("generated".into(), content));
        }
    }
    add_theme_static(&mut files);
    for (path, source) in &site.assets {
        let out = path.trim_start_matches('/').to_string();
        files
            .entry(out)
            .or_insert((source.clone(), Content::Copy(site.root.join(source))));
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

/// The template, its context and a description for errors.
fn job_context(
    site: &Site,
    shared: &Shared,
    neighbours: &[(Option<usize>, Option<usize>)],
    job: Job,
    path: &str,
) -> (String, Value, String) {
    let per = site.config.paginate_by;
    match job {
        Job::Home => {
            let latest: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].section.is_some())
                .take(8)
                .collect();
            let sections: Vec<Value> = site
                .sections
                .iter()
                .map(|s| context! { title => s.title, path => s.path, description => s.description, count => s.pages.len() })
                .collect();
            (
                "index.html".into(),
                context! { latest => shared.list(&latest), sections => sections },
                "the home page".into(),
            )
        }
        Job::NotFound => ("404.html".into(), context! {}, "404.html".into()),
        Job::Search => {
            let ui = &shared.ui;
            let strings = serde_json::json!({
                "none": ui.get_attr("search_none").ok().map(|v| v.to_string()),
                "count": ui.get_attr("search_count").ok().map(|v| v.to_string()),
                "more": ui.get_attr("search_more").ok().map(|v| v.to_string()),
            });
            (
                "search.html".into(),
                context! { search_strings => strings.to_string() },
                "/search/".into(),
            )
        }
        Job::Brand => {
            let brand = site.brand.as_ref().expect("brand job only with a brand");
            let pillar_pages: Vec<Value> = brand
                .pillars
                .iter()
                .map(|p| shared.list(&p.pages[..p.pages.len().min(3)]))
                .collect();
            (
                "brand.html".into(),
                context! { pillar_pages => pillar_pages },
                "/brand/".into(),
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
            (
                "pillar.html".into(),
                context! { pillar => view, pages => pages, pager => pager },
                path.to_string(),
            )
        }
        Job::Achievements => (
            "achievements.html".into(),
            context! {},
            "/achievements/".into(),
        ),
        Job::Section { section, page } => {
            let s = &site.sections[section];
            let (pages, pager) = paged(shared, &s.pages, s.paginate_by, &s.path, page);
            let view = context! { title => s.title, path => s.path, description => s.description, content => Value::from_safe_string(s.content.clone()), count => s.pages.len() };
            let what = s.index_file.clone().unwrap_or_else(|| path.to_string());
            (
                s.template.clone().unwrap_or_else(|| "section.html".into()),
                context! { section => view, pages => pages, pager => pager },
                what,
            )
        }
        Job::Page(i) => {
            let p = &site.pages[i];
            let (newer, older) = neighbours[i];
            let ctx = context! {
                page => shared.pages[i].clone(),
                content => Value::from_safe_string(p.content.clone()),
                newer => newer.map(|n| shared.pages[n].clone()),
                older => older.map(|n| shared.pages[n].clone()),
            };
            (
                p.template.clone().unwrap_or_else(|| "page.html".into()),
                ctx,
                p.source.clone(),
            )
        }
        Job::Tags => {
            let tags: Vec<Value> = site
                .tags
                .iter()
                .map(|t| context! { name => t.name, path => t.path, count => t.pages.len() })
                .collect();
            (
                "tags.html".into(),
                context! { tags => tags },
                "/tags/".into(),
            )
        }
        Job::Tag { tag, page } => {
            let t = &site.tags[tag];
            let (pages, pager) = paged(shared, &t.pages, per, &t.path, page);
            let view = context! { name => t.name, path => t.path, count => t.pages.len() };
            (
                "tag.html".into(),
                context! { tag => view, pages => pages, pager => pager },
                path.to_string(),
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
