//! The portal's own files: its home page (the branches' brand cards, the statistics
//! they share summed, the latest reports and albums of every branch), the directory of
//! branches, every branch's boards, one search over every branch, the 404 page, and the
//! feed, sitemap and robots.txt of the whole portal.
//!
//! A branch's views are the ones its own site shows (`render::views`), serialized and
//! moved under `/SLUG/`: what a card shows of a page is made in one place.

use super::config::{Branch, Portal};
use crate::artifact::{Content, OutputFile};
use crate::config::{Language, NavItem, SiteConfig};
use crate::error::Diagnostic;
use crate::markdown::escape;
use crate::model::Site;
use crate::render::{search, ui, views};
use crate::templates::{self, TemplateSources};
use crate::urls::{routes, Urls};
use minijinja::{context, Value};
use serde::Serialize;
use serde_json::{json, Value as Json};
use std::fmt::Write as _;
use std::sync::Arc;

/// Reports shown on the home page, and entries of the feed.
const LATEST: usize = 10;
const FEED_ENTRIES: usize = 20;
/// Albums shown on the home page.
const ALBUMS: usize = 6;

/// A branch as loaded for the portal.
pub struct Built<'a> {
    pub branch: &'a Branch,
    pub site: &'a Arc<Site>,
}

/// Every file of the portal's own (its pages, search index, feed, sitemaps, robots.txt,
/// theme files) but its search index when `skip` names `search`, and how many of them
/// are HTML pages.
pub fn render(
    portal: &Portal,
    branches: &[Built],
    urls: &Urls,
    live_reload: bool,
    skip: &[&str],
) -> Result<(Vec<OutputFile>, usize), Diagnostic> {
    let lang = portal.config.language;
    let has_boards = branches.iter().any(|b| !b.site.boards.is_empty());
    let config = portal.site_config(nav(lang, has_boards));
    let pages = views_of_pages(&config, branches, urls, has_boards);
    let common = views::Common::of_portal(&config, &stats(branches, lang));
    let mut files = html(&common, &pages, urls, live_reload)?;
    let count = files.len();
    if config.search && !skip.contains(&"search") {
        let sites: Vec<Arc<Site>> = branches.iter().map(|b| b.site.clone()).collect();
        for (path, content) in search::render(&sites, search_documents(branches)) {
            files.push(OutputFile::generated(path, content));
        }
    }
    let page_paths: Vec<&str> = pages
        .iter()
        .map(|p| p.0)
        .filter(|p| *p != routes::NOT_FOUND)
        .collect();
    for (path, text) in feeds(&config, branches, urls, &page_paths) {
        files.push(OutputFile::generated(
            path,
            Content::Bytes(text.into_bytes()),
        ));
    }
    files.extend(crate::render::files::theme_static());
    Ok((files, count))
}

/// The portal's menu: home, the branches and, when any branch has some, the boards.
fn nav(lang: Language, has_boards: bool) -> Vec<NavItem> {
    let mut nav = vec![
        NavItem {
            title: ui::word(lang, "home").into(),
            url: routes::HOME.into(),
        },
        NavItem {
            title: ui::word(lang, "portal_branches").into(),
            url: BRANCHES.into(),
        },
    ];
    if has_boards {
        nav.push(NavItem {
            title: ui::word(lang, "boards").into(),
            url: routes::BOARDS.into(),
        });
    }
    nav
}

/// Each HTML page of the portal: its path, its template and what the template shows.
fn views_of_pages(
    config: &SiteConfig,
    branches: &[Built],
    urls: &Urls,
    has_boards: bool,
) -> Vec<(&'static str, &'static str, Json)> {
    let lang = config.language;
    let cards: Vec<Json> = branches.iter().map(|b| branch_card(b, lang)).collect();
    let brands = branches.iter().filter(|b| b.site.brand.is_some()).count();
    let mut pages: Vec<(&str, &str, Json)> = vec![
        (
            routes::HOME,
            "portal.html",
            json!({
                "branches": cards,
                "counts": {"branches": branches.len(), "brands": brands},
                "latest": latest(branches, lang),
                "albums": albums(branches),
                "has_boards": has_boards,
            }),
        ),
        (
            BRANCHES,
            "portal_branches.html",
            json!({ "branches": cards }),
        ),
        (routes::NOT_FOUND, "404.html", json!({})),
    ];
    if has_boards {
        pages.push((
            routes::BOARDS,
            "portal_boards.html",
            boards(branches, &cards),
        ));
    }
    if config.search {
        let root = if urls.offline {
            "../".to_string()
        } else {
            urls.base_path.clone()
        };
        pages.push((
            routes::SEARCH,
            "search.html",
            json!({ "search_strings": ui::search_strings(lang), "search_root": root }),
        ));
    }
    pages
}

/// The HTML pages, rendered by the theme's templates with what every page shows.
fn html(
    common: &views::Common,
    pages: &[(&str, &str, Json)],
    urls: &Urls,
    live_reload: bool,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let sources = TemplateSources::new(None);
    let env = templates::environment(&sources, Arc::new(urls.clone()));
    let mut files = Vec::new();
    for (path, template, view) in pages {
        let ctx = context! {
            current_path => path,
            share => context! { kind => "website", image => (), published => (), qr => (), poster => false },
            site => common.site.clone(),
            brand => common.brand.clone(),
            achievements => common.achievements.clone(),
            ui => common.ui.clone(),
            dev => context! { live_reload => live_reload },
            offline => urls.offline,
            ..Value::from_serialize(view)
        };
        let html = env
            .get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| templates::error_diagnostic(&sources, &e, path))?;
        files.push(OutputFile::generated(
            routes::file_of(path),
            Content::Bytes(html.into_bytes()),
        ));
    }
    Ok(files)
}

/// The directory of branches.
pub const BRANCHES: &str = "/branches/";

/// `view` (a branch's own view of something) serialized, with every site path in it
/// moved under `/SLUG/`.
fn rebased(view: &impl Serialize, slug: &str) -> Json {
    let mut v = serde_json::to_value(view).unwrap_or(Json::Null);
    rebase(&mut v, &format!("/{slug}"));
    v
}

/// The keys whose values are site paths in the views.
const PATH_KEYS: &[&str] = &["path", "fallback", "webp", "png", "pdf"];

fn rebase(v: &mut Json, prefix: &str) {
    match v {
        Json::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    Json::String(s) if PATH_KEYS.contains(&k.as_str()) && s.starts_with('/') => {
                        s.insert_str(0, prefix);
                    }
                    _ => rebase(x, prefix),
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(|x| rebase(x, prefix)),
        _ => {}
    }
}

/// What the portal shows of a branch: its name and brand, emblem, pillars and counts.
fn branch_card(b: &Built, lang: Language) -> Json {
    let site = &**b.site;
    let brand = site.brand.as_ref();
    let emblem = brand
        .and_then(|br| br.logo.as_ref())
        .and_then(|l| site.media.pictures.get(&l.source));
    let pillars: Vec<Json> = brand
        .map(|br| {
            br.pillars
                .iter()
                .map(|p| json!({ "name": p.name, "path": p.path }))
                .collect()
        })
        .unwrap_or_default();
    let counts = ui::word(lang, "portal_branch_counts")
        .replace("{pages}", &site.pages.len().to_string())
        .replace("{albums}", &site.albums.len().to_string())
        .replace("{boards}", &site.boards.len().to_string());
    let card = json!({
        "slug": b.branch.slug,
        "path": "/",
        "name": site.config.title,
        "organization": site.config.organization,
        "brand": brand.map(|br| &br.name),
        "slogan": brand.and_then(|br| br.slogan.as_ref()),
        "summary": brand.and_then(|br| br.summary.as_ref()).or(site.config.description.as_ref()),
        "brand_path": brand.map(|_| routes::BRAND),
        "emblem": emblem,
        "pillars": pillars,
        "counts": counts,
    });
    let mut card = rebased(&card, &b.branch.slug);
    if let Some(p) = card.get_mut("brand_path").filter(|p| p.is_string()) {
        *p = json!(format!("/{}{}", b.branch.slug, routes::BRAND));
    }
    card
}

/// The statistics the branches share (same label and unit) with numeric values, each
/// with how many branches it adds up: summed, except percentages (a rate, such as
/// 群众满意度), which are averaged.
fn stats(branches: &[Built], lang: Language) -> Vec<Json> {
    let mut sums: Vec<Sum> = Vec::new();
    for b in branches {
        for s in &b.site.achievements.stats {
            let Some(n) = number(&s.value) else { continue };
            match sums
                .iter_mut()
                .find(|x| x.label == s.label && *x.unit == s.unit)
            {
                Some(x) => {
                    x.total += n;
                    x.branches += 1;
                    x.whole &= n.fract() == 0.0;
                }
                None => sums.push(Sum {
                    label: &s.label,
                    unit: &s.unit,
                    total: n,
                    branches: 1,
                    whole: n.fract() == 0.0,
                }),
            }
        }
    }
    // Those most branches share first; the order of first appearance after that.
    sums.sort_by_key(|x| std::cmp::Reverse(x.branches));
    sums.into_iter()
        .map(|x| {
            let rate = matches!(x.unit.as_deref(), Some("%" | "％"));
            let n = x.branches;
            let value = if rate { x.total / n as f64 } else { x.total };
            let note = if rate {
                "portal_averaged"
            } else {
                "portal_summed"
            };
            json!({
                "label": x.label,
                "value": shown(value, x.whole && !rate),
                "unit": x.unit,
                "as_of": null,
                "note": ui::word(lang, note).replace("{n}", &n.to_string()),
                "branches": n,
            })
        })
        .collect()
}

/// One statistic summed over the branches that have it.
struct Sum<'a> {
    label: &'a str,
    unit: &'a Option<String>,
    total: f64,
    branches: usize,
    /// Every value an integer.
    whole: bool,
}

/// A summed value as shown: whole numbers with thousands separators (`4,650`), else at
/// most two decimals (`96.85`).
fn shown(value: f64, whole: bool) -> String {
    if whole {
        let digits = format!("{}", value.round() as i64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 && c != '-' {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        format!("{value:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// A statistic's value as a number: `1,280`, `96.5`, `120+`; `None` for words.
pub fn number(value: &str) -> Option<f64> {
    let digits: String = value
        .trim()
        .trim_end_matches(['+', '%', '＋'])
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect();
    digits.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The newest dated reports of every branch (pages of a section), each naming its
/// branch.
fn latest(branches: &[Built], lang: Language) -> Vec<Json> {
    let mut all: Vec<(&crate::model::Page, &Built)> = branches
        .iter()
        .flat_map(|b| {
            b.site
                .dated_pages()
                .filter(|p| p.section.is_some())
                .take(LATEST)
                .map(move |p| (p, b))
        })
        .collect();
    all.sort_by_key(|x| std::cmp::Reverse(x.0.date));
    all.into_iter()
        .take(LATEST)
        .map(|(p, b)| {
            let mut v = rebased(&views::page_view(b.site, p, lang), &b.branch.slug);
            v["branch"] =
                json!({ "name": b.site.config.title, "path": format!("/{}/", b.branch.slug) });
            v
        })
        .collect()
}

/// The newest albums of every branch, each naming its branch.
fn albums(branches: &[Built]) -> Vec<Json> {
    let mut all: Vec<(&crate::model::Album, &Built)> = branches
        .iter()
        .flat_map(|b| b.site.albums.iter().map(move |a| (a, b)))
        .collect();
    all.sort_by_key(|x| std::cmp::Reverse(x.0.date));
    all.into_iter()
        .take(ALBUMS)
        .map(|(a, b)| {
            let mut v = rebased(&views::album_view(b.site, a), &b.branch.slug);
            if let Some(m) = v.as_object_mut() {
                m.remove("photos");
            }
            v["branch"] = json!(b.site.config.title);
            v
        })
        .collect()
}

/// Every branch's boards, by branch.
fn boards(branches: &[Built], cards: &[Json]) -> Json {
    let groups: Vec<Json> = branches
        .iter()
        .zip(cards)
        .filter(|(b, _)| !b.site.boards.is_empty())
        .map(|(b, card)| {
            let boards: Vec<Json> = b
                .site
                .boards
                .iter()
                .enumerate()
                .map(|(i, board)| rebased(&views::board_view(board, i + 1), &b.branch.slug))
                .collect();
            json!({ "branch": card, "boards": boards })
        })
        .collect();
    json!({ "groups": groups })
}

/// Every branch's searchable documents under its slug, its name before each kind,
/// newest first across branches.
fn search_documents(branches: &[Built]) -> Vec<search::Doc> {
    let mut docs: Vec<search::Doc> = branches
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            let name = &b.site.config.title;
            search::documents(b.site).into_iter().map(move |mut d| {
                d.site = i;
                d.path = format!("/{}{}", b.branch.slug, d.path);
                d.kind = if d.kind.is_empty() {
                    name.clone()
                } else {
                    format!("{name} · {}", d.kind)
                };
                d
            })
        })
        .collect();
    // Dated documents newest first, the rest after them in their branches' order.
    docs.sort_by(|a, b| {
        b.date
            .is_some()
            .cmp(&a.date.is_some())
            .then(b.date.cmp(&a.date))
    });
    docs
}

/// `feed.xml` (the newest reports of every branch), `sitemap.xml` (an index of the
/// portal's pages and each branch's own sitemap) and `robots.txt`.
fn feeds(
    config: &SiteConfig,
    branches: &[Built],
    urls: &Urls,
    pages: &[&str],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut own = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let _ = writeln!(own, "  <url><loc>{}</loc></url>", escape(&urls.absolute(p)));
    }
    own.push_str("</urlset>\n");
    out.push((SITEMAP_FILE.to_string(), own));
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut add = |path: String| {
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            escape(&urls.absolute(&path))
        );
    };
    add(format!("/{SITEMAP_FILE}"));
    for b in branches {
        add(format!("/{}{}", b.branch.slug, routes::SITEMAP));
    }
    index.push_str("</sitemapindex>\n");
    out.push(("sitemap.xml".into(), index));
    out.push(("robots.txt".into(), crate::render::feeds::robots(urls)));
    if config.feed {
        out.push(("feed.xml".into(), feed(config, branches, urls)));
    }
    out
}

/// The sitemap of the portal's own pages, which `sitemap.xml` indexes.
pub const SITEMAP_FILE: &str = "sitemap-portal.xml";

fn feed(config: &SiteConfig, branches: &[Built], urls: &Urls) -> String {
    use crate::render::feeds::{atom, Entry, Head};
    let mut entries: Vec<Entry> = branches
        .iter()
        .flat_map(|b| {
            b.site
                .dated_pages()
                .filter(|p| p.section.is_some())
                .take(FEED_ENTRIES)
                .map(move |p| Entry {
                    page: p,
                    path: format!("/{}{}", b.branch.slug, p.path),
                    author: Some(&b.site.config.title),
                    video: b.site.media.page_videos.get(&*p.source),
                })
        })
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.page.date));
    entries.truncate(FEED_ENTRIES);
    atom(&Head::of(config), &entries, urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_values_read_as_numbers() {
        assert_eq!(number("1,280"), Some(1280.0));
        assert_eq!(number("96.5"), Some(96.5));
        assert_eq!(number("120+"), Some(120.0));
        assert_eq!(number(" 3 "), Some(3.0));
        assert_eq!(number("五星"), None);
        assert_eq!(number(""), None);
    }

    #[test]
    fn sums_are_shown_with_separators_and_few_decimals() {
        assert_eq!(shown(4650.0, true), "4,650");
        assert_eq!(shown(108.0, true), "108");
        assert_eq!(shown(1234567.0, true), "1,234,567");
        assert_eq!(shown(96.85, false), "96.85");
        assert_eq!(shown(96.849999, false), "96.85");
        assert_eq!(shown(97.0, false), "97");
    }

    #[test]
    fn rebasing_moves_only_site_paths() {
        let mut v = json!({
            "path": "/news/a/",
            "title": "/not a path key",
            "cover": {"variants": [{"fallback": "/media/img/x.jpg", "webp": null}]},
            "tags": [{"name": "t", "path": "/tags/t/"}],
            "external": {"path": "https://example.org/"},
        });
        rebase(&mut v, "/longquan");
        assert_eq!(v["path"], "/longquan/news/a/");
        assert_eq!(v["title"], "/not a path key");
        assert_eq!(
            v["cover"]["variants"][0]["fallback"],
            "/longquan/media/img/x.jpg"
        );
        assert_eq!(v["tags"][0]["path"], "/longquan/tags/t/");
        assert_eq!(v["external"]["path"], "https://example.org/");
    }
}
