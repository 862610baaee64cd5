//! HTML pages: the pages a site has ([`jobs`]), the typed view each kind of page gets,
//! and rendering them with the templates. A page's cache key (`zhanting serve`) is the
//! fingerprint of its view, so the two cannot drift apart.

use super::views::{self, Card, Cards, Common, Html, PillarView};
use crate::artifact::Content;
use crate::cache::{fingerprint, Memo};
use crate::error::Diagnostic;
use crate::folder::SiteFolder;
use crate::model::Page;
use crate::model::Site;
use crate::qr::ScreenCodes;
use crate::templates::{self, TemplateSources};
use crate::urls::{routes, Urls};
use minijinja::{context, Value};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

/// What a chat app's link preview shows of a page (Open Graph): its kind, picture and
/// date. Title, summary and address come from the page's own blocks and path.
#[derive(Serialize)]
struct Share {
    /// `article` for a dated page, else `website`.
    kind: &'static str,
    image: Option<ShareImage>,
    /// RFC 3339 date of a dated page.
    published: Option<String>,
    /// The share panel's QR code of the page's public address.
    qr: Option<ShareQr>,
    /// Whether the page offers a share poster (pages, albums, boards, the brand).
    poster: bool,
}

/// A page's QR code, drawn by the template as an inline SVG.
#[derive(Serialize)]
struct ShareQr {
    /// The address it encodes.
    url: String,
    /// Modules per side with the quiet zone (the view box).
    side: usize,
    /// The dark modules as an SVG path (`qr::Qr::path`).
    path: Arc<str>,
}

impl ShareQr {
    /// The code of `path`'s public address (from `codes` when it holds it); `None`
    /// without one (no `base_url`).
    fn new(urls: &Urls, path: &str, codes: Option<&ScreenCodes>) -> Option<ShareQr> {
        let url = urls.public_url(path)?;
        let (side, path) = match codes.and_then(|c| c.get(&url)) {
            Some(found) => found,
            None => {
                let code = crate::qr::Qr::screen(&url)?;
                (code.side(), code.path().into())
            }
        };
        Some(ShareQr { url, side, path })
    }
}

#[derive(Serialize)]
struct ShareImage {
    path: String,
    width: u32,
    height: u32,
}

/// The link preview of `job`: a page's or album's cover card; else the designed card of
/// the page, its section or the home page (`model::cards`).
fn share(site: &Site, job: Job) -> Share {
    let (width, height) = crate::model::media::CARD_SIZE;
    let image = |path: String| ShareImage {
        path,
        width,
        height,
    };
    let cover_card = |source: &str| Some(image(site.media.pictures.get(source)?.card()?));
    let designed = &site.media.cards;
    let designed_card = |c: Option<&crate::model::cards::DesignedCard>| c.map(|c| image(c.path()));
    let home = || designed_card(designed.home.as_ref());
    let section = |i: Option<usize>| designed_card(i.and_then(|i| designed.sections.get(i)));
    let (kind, image, published) = match job {
        Job::Page(i) => {
            let page = &site.pages[i];
            let cover = page.cover.as_ref().and_then(|c| cover_card(&c.source));
            (
                if page.date.is_some() {
                    "article"
                } else {
                    "website"
                },
                cover.or_else(|| section(page.section)).or_else(home),
                page.date.as_ref().map(|d| d.rfc3339()),
            )
        }
        Job::Album(i) => {
            let album = &site.albums[i];
            let cover = album.cover_source().and_then(|c| cover_card(&c));
            let own = designed
                .albums
                .get(i)
                .and_then(|c| designed_card(c.as_ref()));
            ("website", cover.or(own).or_else(home), None)
        }
        Job::Board(i) => (
            "website",
            designed_card(designed.boards.get(i)).or_else(home),
            None,
        ),
        Job::Brand | Job::Pillar { .. } => (
            "website",
            designed_card(designed.brand.as_ref()).or_else(home),
            None,
        ),
        Job::Section { section: i, .. } => ("website", section(Some(i)).or_else(home), None),
        _ => ("website", home(), None),
    };
    Share {
        kind,
        image,
        published,
        qr: None,
        poster: matches!(
            job,
            Job::Page(_) | Job::Album(_) | Job::Board(_) | Job::Brand
        ),
    }
}

/// One HTML page to render.
#[derive(Debug, Clone, Copy)]
pub enum Job {
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
    Screen,
    NotFound,
}

/// Whether the body of page `p` shows its cover: the picture's files are named by its
/// content, so the body's HTML then holds that name.
fn cover_in_body(site: &Site, p: &Page) -> bool {
    let Some(picture) = p
        .cover
        .as_ref()
        .and_then(|c| site.media.pictures.get(&c.source))
    else {
        return false;
    };
    let first = &picture.largest().fallback;
    let name = first.rsplit('/').next().unwrap_or(first);
    let key = name.split_once('-').map_or(name, |(k, _)| k);
    // Shown, not only linked: inside an `<img>` or a `<picture>`'s `<source>`.
    !key.is_empty()
        && p.content.match_indices(key).any(|(at, _)| {
            let tag = p.content[..at].rfind('<').map_or("", |i| &p.content[i..at]);
            tag.starts_with("<img") || tag.starts_with("<source")
        })
}

fn page_count(items: usize, per: usize) -> usize {
    items.div_ceil(per.max(1)).max(1)
}

/// The items of list page `n`.
fn page_range(items: usize, per: usize, n: usize) -> std::ops::Range<usize> {
    let start = ((n - 1) * per).min(items);
    start..(start + per).min(items)
}

/// Every page of the site with its site path.
pub fn jobs(site: &Site) -> Vec<(Job, Arc<str>)> {
    let per = site.config.paginate_by;
    let mut jobs: Vec<(Job, Arc<str>)> = vec![
        (Job::Home, routes::HOME.into()),
        (Job::NotFound, routes::NOT_FOUND.into()),
    ];
    let paged =
        |jobs: &mut Vec<(Job, Arc<str>)>, n_items, per, base: &str, job: &dyn Fn(usize) -> Job| {
            for n in 1..=page_count(n_items, per) {
                jobs.push((job(n), routes::pager(base, n).into()));
            }
        };
    if let Some(brand) = &site.brand {
        jobs.push((Job::Brand, routes::BRAND.into()));
        for (i, p) in brand.pillars.iter().enumerate() {
            paged(&mut jobs, p.pages.len(), per, &p.path, &|page| {
                Job::Pillar { pillar: i, page }
            });
        }
    }
    if views::has_achievements(site) {
        jobs.push((Job::Achievements, routes::ACHIEVEMENTS.into()));
    }
    for (i, s) in site.sections.iter().enumerate() {
        paged(&mut jobs, s.pages.len(), s.paginate_by, &s.path, &|page| {
            Job::Section { section: i, page }
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        jobs.push((Job::Page(i), p.path.clone()));
    }
    if !site.tags.is_empty() {
        jobs.push((Job::Tags, routes::TAGS.into()));
    }
    if site.config.search {
        jobs.push((Job::Search, routes::SEARCH.into()));
    }
    if !site.albums.is_empty() {
        jobs.push((Job::Photos, routes::PHOTOS.into()));
    }
    for (i, a) in site.albums.iter().enumerate() {
        jobs.push((Job::Album(i), routes::album(&a.slug).into()));
    }
    if !site.boards.is_empty() {
        jobs.push((Job::Boards, routes::BOARDS.into()));
    }
    for (i, b) in site.boards.iter().enumerate() {
        jobs.push((Job::Board(i), b.path.as_str().into()));
    }
    if !site.screen.slides.is_empty() {
        jobs.push((Job::Screen, routes::SCREEN.into()));
    }
    for (i, t) in site.tags.iter().enumerate() {
        paged(&mut jobs, t.pages.len(), per, &t.path, &|page| Job::Tag {
            tag: i,
            page,
        });
    }
    jobs
}

#[derive(Serialize, Hash)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    numbers: Vec<PagerNumber>,
}

#[derive(Serialize, Hash)]
struct PagerNumber {
    number: usize,
    path: String,
    current: bool,
}

fn pager(base: &str, current: usize, total: usize) -> Pager {
    Pager {
        current,
        total,
        prev: (current > 1).then(|| routes::pager(base, current - 1)),
        next: (current < total).then(|| routes::pager(base, current + 1)),
        numbers: (1..=total)
            .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
            .map(|n| PagerNumber {
                number: n,
                path: routes::pager(base, n),
                current: n == current,
            })
            .collect(),
    }
}

// ---- The view of each kind of page. Field names are what the templates use.

/// A page that shows only what every page shows.
#[derive(Serialize, Hash)]
struct Plain {}

#[derive(Serialize, Hash)]
struct SectionSummary<'a> {
    title: &'a str,
    path: &'a str,
    description: Option<&'a str>,
    count: usize,
}

#[derive(Serialize, Hash)]
struct HomeView<'a> {
    latest: Vec<&'a Card>,
    sections: Vec<SectionSummary<'a>>,
    albums: Vec<&'a Card>,
    boards: &'a [Card],
}

#[derive(Serialize, Hash)]
struct YearView<'a> {
    year: Option<i32>,
    albums: Vec<&'a Card>,
}

#[derive(Serialize, Hash)]
struct PhotosView<'a> {
    years: Vec<YearView<'a>>,
}

#[derive(Serialize, Hash)]
struct BoardsView<'a> {
    boards: &'a [Card],
}

#[derive(Serialize, Hash)]
struct BoardView<'a> {
    board: &'a Card,
    prev: Option<&'a Card>,
    next: Option<&'a Card>,
}

#[derive(Serialize, Hash)]
struct AlbumView<'a> {
    album: &'a Card,
}

#[derive(Serialize, Hash)]
struct SearchView<'a> {
    /// The client's words as JSON.
    search_strings: String,
    /// Where the index is, from the search page.
    search_root: &'a str,
}

#[derive(Serialize, Hash)]
struct BrandView<'a> {
    /// The first pages of each pillar.
    pillar_pages: Vec<Vec<&'a Card>>,
    /// The deck and the booklet, when the site publishes them.
    downloads: Vec<crate::model::documents::Download>,
    /// The 大屏 mode's path, when the site has one.
    screen: Option<&'static str>,
}

#[derive(Serialize, Hash)]
struct PillarPageView<'a> {
    pillar: PillarView<'a>,
    pages: Vec<&'a Card>,
    pager: Pager,
}

#[derive(Serialize, Hash)]
struct SectionInfo<'a> {
    title: &'a str,
    path: &'a str,
    description: Option<&'a str>,
    content: Html<'a>,
    count: usize,
}

#[derive(Serialize, Hash)]
struct SectionView<'a> {
    section: SectionInfo<'a>,
    pages: Vec<&'a Card>,
    pager: Pager,
}

#[derive(Serialize, Hash)]
struct PageView<'a> {
    page: &'a Card,
    content: Html<'a>,
    /// The cover is also a picture of the body: shown there, not twice.
    cover_in_body: bool,
    newer: Option<&'a Card>,
    older: Option<&'a Card>,
    album: Option<&'a Card>,
}

#[derive(Serialize, Hash)]
struct TagSummary<'a> {
    name: &'a str,
    path: &'a str,
    count: usize,
}

#[derive(Serialize, Hash)]
struct TagsView<'a> {
    tags: Vec<TagSummary<'a>>,
}

#[derive(Serialize, Hash)]
struct TagView<'a> {
    tag: TagSummary<'a>,
    pages: Vec<&'a Card>,
    pager: Pager,
}

/// The view of one page, whatever its kind: serialized as the view it holds.
#[derive(Serialize, Hash)]
#[serde(untagged)]
enum View<'a> {
    Plain(Plain),
    Home(HomeView<'a>),
    Photos(PhotosView<'a>),
    Boards(BoardsView<'a>),
    Board(BoardView<'a>),
    Album(AlbumView<'a>),
    Search(SearchView<'a>),
    Brand(BrandView<'a>),
    Pillar(PillarPageView<'a>),
    Section(SectionView<'a>),
    Page(PageView<'a>),
    Tags(TagsView<'a>),
    Tag(TagView<'a>),
    Screen(ScreenView<'a>),
}

/// A page ready to render: its template, what errors name as its source, its view.
struct Prepared<'a> {
    template: &'a str,
    what: Cow<'a, str>,
    view: View<'a>,
}

fn prepared<'a>(template: &'a str, what: impl Into<Cow<'a, str>>, view: View<'a>) -> Prepared<'a> {
    Prepared {
        template,
        what: what.into(),
        view,
    }
}

/// Everything rendering a site's pages needs, prepared once per build.
#[derive(Clone)]
pub struct PageSet {
    sources: TemplateSources,
    env: Arc<minijinja::Environment<'static>>,
    common: Arc<Common>,
    cards: Cards,
    /// Newer and older neighbours of each page within its section.
    neighbours: Vec<(Option<usize>, Option<usize>)>,
    search_root: String,
    offline: bool,
    live_reload: bool,
    urls: Arc<Urls>,
    /// The pages' QR codes, made before rendering (a build); else each is made when its
    /// page is rendered (`serve`).
    codes: Option<Arc<ScreenCodes>>,
    /// A fingerprint of everything every page depends on: what all pages show, the
    /// templates, the links' form.
    base_key: u64,
    /// A fingerprint of what, beyond a page itself, its card and link preview are made
    /// from: the sections' and pillars' names, the designed link cards.
    card_context: u64,
}

impl PageSet {
    /// The pages of `site`; `cards` keeps the list views of earlier builds (`serve`).
    pub fn new(
        site: &Site,
        urls: &Urls,
        folder: &SiteFolder,
        live_reload: bool,
        cards: Option<&Memo<Card>>,
    ) -> PageSet {
        let sources = TemplateSources::new(site.templates_dir.as_deref());
        let urls = Arc::new(urls.clone());
        let env = Arc::new(templates::environment(&sources, urls.clone()));
        let common = Common::new(site);
        let base_key = base_key(&common, &sources, folder, live_reload, &urls);
        PageSet {
            card_context: card_context(site),
            neighbours: neighbours(site),
            cards: Cards::new(site, cards),
            common: Arc::new(common),
            search_root: if urls.offline {
                "../".to_string()
            } else {
                urls.base_path.clone()
            },
            offline: urls.offline,
            live_reload,
            base_key,
            urls,
            codes: None,
            sources,
            env,
        }
    }

    /// The QR codes of the pages at `paths`, made now in parallel or taken from the
    /// cache of earlier builds.
    pub fn with_codes(mut self, site: &Site, paths: &[&str]) -> PageSet {
        let urls: Vec<String> = paths
            .iter()
            .filter_map(|p| self.urls.public_url(p))
            .collect();
        let texts: Vec<&str> = urls.iter().map(String::as_str).collect();
        let cache = crate::cache::DiskCache::new(&site.root, "qr");
        self.codes = Some(Arc::new(ScreenCodes::of(&texts, &cache)));
        self
    }

    /// This set for `site`, which the site of `last` (this set's pages) changed into,
    /// when what every page shows, the albums, the boards and what cards are made from
    /// stayed the same; `None` otherwise. A page kept as it was (the same `Arc`) keeps
    /// its card, unless a picture or video of its own may have changed; the others'
    /// cards are made again.
    pub fn updated(
        &self,
        site: &Site,
        urls: &Urls,
        folder: &SiteFolder,
        last: &[Arc<Page>],
        memo: Option<&Memo<Card>>,
    ) -> Option<PageSet> {
        use rayon::prelude::*;
        let common = Common::new(site);
        let sources = TemplateSources::new(site.templates_dir.as_deref());
        let key = base_key(&common, &sources, folder, self.live_reload, urls);
        let fresh = Cards::others(site);
        if key != self.base_key
            || card_context(site) != self.card_context
            || fresh.albums != self.cards.albums
            || fresh.boards != self.cards.boards
        {
            return None;
        }
        let at: FxHashMap<usize, usize> = last
            .iter()
            .enumerate()
            .map(|(i, p)| (Arc::as_ptr(p) as usize, i))
            .collect();
        let pages = site
            .pages
            .par_iter()
            .map(|p| {
                let own_media =
                    p.cover.is_some() || site.media.page_videos.contains_key(&*p.source);
                match at.get(&(Arc::as_ptr(p) as usize)) {
                    Some(&i) if !own_media => self.cards.pages[i].clone(),
                    _ => Cards::page(site, p, memo),
                }
            })
            .collect();
        Some(PageSet {
            sources: self.sources.clone(),
            env: self.env.clone(),
            common: Arc::new(common),
            cards: Cards { pages, ..fresh },
            neighbours: neighbours(site),
            search_root: self.search_root.clone(),
            offline: self.offline,
            live_reload: self.live_reload,
            urls: self.urls.clone(),
            codes: self.codes.clone(),
            base_key: self.base_key,
            card_context: self.card_context,
        })
    }

    /// What each list (section, tag, pillar) shows of itself, fingerprinted, for
    /// [`PageSet::inputs`].
    pub fn list_prints(&self, site: &Site) -> ListPrints {
        ListPrints {
            sections: site
                .sections
                .iter()
                .map(|s| {
                    fingerprint(&(
                        &s.title,
                        &s.path,
                        &s.description,
                        &s.content,
                        &s.template,
                        &s.index_file,
                        s.pages.len(),
                        s.paginate_by,
                    ))
                })
                .collect(),
            tags: site
                .tags
                .iter()
                .map(|t| fingerprint(&(&t.name, &t.path, t.pages.len())))
                .collect(),
            pillars: site
                .brand
                .iter()
                .flat_map(|b| b.pillars.iter().enumerate())
                .map(|(i, p)| fingerprint(&(views::pillar_view(site, p, i), p.pages.len())))
                .collect(),
        }
    }

    /// A fingerprint of what page `job` is made from beyond what the whole set shares:
    /// its path and the cards it shows (for a page, the page itself and its
    /// neighbours; for a list page, its slice and the list's own fields). Two jobs with
    /// the same inputs in sets that share the rest have the same key. `None` for what
    /// shows a little of everything (the home, brand and 大屏 pages, the tag cloud):
    /// its key is made each time.
    pub fn inputs(&self, site: &Site, prints: &ListPrints, job: Job, path: &str) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        path.hash(&mut h);
        let card = |i: usize| self.cards.pages[i].key();
        let slice = |h: &mut rustc_hash::FxHasher, items: &[usize], per: usize, n: usize| {
            (per, n).hash(h);
            for &i in &items[page_range(items.len(), per, n)] {
                card(i).hash(h);
            }
        };
        let per = site.config.paginate_by;
        match job {
            Job::Page(i) => {
                let p = &site.pages[i];
                let (newer, older) = self.neighbours[i];
                (Arc::as_ptr(p) as usize, card(i)).hash(&mut h);
                (newer.map(card), older.map(card)).hash(&mut h);
                // The link preview: the cover's card, else the section's.
                let cover = p.cover.as_ref();
                cover
                    .and_then(|c| site.media.pictures.get(&c.source))
                    .hash(&mut h);
            }
            Job::Section { section, page } => {
                let s = &site.sections[section];
                prints.sections[section].hash(&mut h);
                slice(&mut h, &s.pages, s.paginate_by, page);
            }
            Job::Tag { tag, page } => {
                prints.tags[tag].hash(&mut h);
                slice(&mut h, &site.tags[tag].pages, per, page);
            }
            Job::Pillar { pillar, page } => {
                let b = site.brand.as_ref()?;
                prints.pillars[pillar].hash(&mut h);
                slice(&mut h, &b.pillars[pillar].pages, per, page);
            }
            Job::Home | Job::Brand | Job::Screen | Job::Tags => return None,
            // Shown from the set's shared parts alone.
            Job::Achievements
            | Job::NotFound
            | Job::Search
            | Job::Photos
            | Job::Album(_)
            | Job::Boards
            | Job::Board(_) => {}
        }
        Some(h.finish())
    }

    /// A fingerprint of everything page `job` is made from: its view, its template and
    /// what every page shows. Two renders with the same key give the same bytes.
    pub fn key(&self, site: &Site, job: Job, path: &str) -> u64 {
        let p = self.prepare(site, job, path);
        // The link preview's picture may be a designed card: not in the view.
        let preview = share(site, job).image.map(|i| i.path);
        fingerprint(&(self.base_key, p.template, path, &p.view, preview))
    }

    /// Renders one page (the site must be the one this set was made for).
    pub fn render(&self, site: &Site, job: Job, path: &str) -> Result<Content, Diagnostic> {
        let p = self.prepare(site, job, path);
        let c = &self.common;
        let mut share = share(site, job);
        if !matches!(job, Job::NotFound) {
            share.qr = ShareQr::new(&self.urls, path, self.codes.as_deref());
        }
        let ctx = context! {
            current_path => path,
            share => Value::from_serialize(share),
            site => c.site.clone(),
            brand => c.brand.clone(),
            achievements => c.achievements.clone(),
            ui => c.ui.clone(),
            dev => context! { live_reload => self.live_reload },
            offline => self.offline,
            ..Value::from_serialize(&p.view)
        };
        let html = self
            .env
            .get_template(p.template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| templates::error_diagnostic(&self.sources, &e, &p.what))?;
        Ok(Content::Bytes(html.into_bytes()))
    }

    fn prepare<'a>(&'a self, site: &'a Site, job: Job, path: &'a str) -> Prepared<'a> {
        let cards = &self.cards;
        match job {
            Job::Home => prepared("index.html", "the home page", View::Home(home(site, cards))),
            Job::NotFound => prepared("404.html", "404.html", View::Plain(Plain {})),
            Job::Achievements => prepared(
                "achievements.html",
                routes::ACHIEVEMENTS,
                View::Plain(Plain {}),
            ),
            Job::Photos => prepared(
                "photos.html",
                routes::PHOTOS,
                View::Photos(photos(site, cards)),
            ),
            Job::Boards => prepared(
                "boards.html",
                routes::BOARDS,
                View::Boards(BoardsView {
                    boards: &cards.boards,
                }),
            ),
            Job::Board(i) => {
                let view = BoardView {
                    board: &cards.boards[i],
                    prev: i.checked_sub(1).map(|j| &cards.boards[j]),
                    next: cards.boards.get(i + 1),
                };
                prepared(
                    "board.html",
                    site.boards[i].source.as_str(),
                    View::Board(view),
                )
            }
            Job::Album(i) => prepared(
                "album.html",
                format!("albums/{}/album.yaml", site.albums[i].name),
                View::Album(AlbumView {
                    album: &cards.albums[i],
                }),
            ),
            Job::Search => prepared(
                "search.html",
                routes::SEARCH,
                View::Search(self.search(site)),
            ),
            Job::Brand => prepared("brand.html", routes::BRAND, View::Brand(brand(site, cards))),
            Job::Pillar { pillar, page } => self.pillar(site, pillar, page, path),
            Job::Section { section, page } => self.section(site, section, page, path),
            Job::Page(i) => self.page(site, i),
            Job::Tags => prepared("tags.html", routes::TAGS, View::Tags(tags(site))),
            Job::Screen => prepared(
                "screen.html",
                routes::SCREEN,
                View::Screen(screen(site, cards)),
            ),
            Job::Tag { tag, page } => self.tag(site, tag, page, path),
        }
    }

    /// List page `page` of pillar `pillar`.
    fn pillar<'a>(
        &'a self,
        site: &'a Site,
        pillar: usize,
        page: usize,
        path: &'a str,
    ) -> Prepared<'a> {
        let brand = site.brand.as_ref().expect("pillar job only with a brand");
        let p = &brand.pillars[pillar];
        let (pages, pager) = paged(
            &self.cards,
            &p.pages,
            site.config.paginate_by,
            &p.path,
            page,
        );
        let view = PillarPageView {
            pillar: views::pillar_view(site, p, pillar),
            pages,
            pager,
        };
        prepared("pillar.html", path, View::Pillar(view))
    }

    /// List page `page` of section `section`.
    fn section<'a>(
        &'a self,
        site: &'a Site,
        section: usize,
        page: usize,
        path: &'a str,
    ) -> Prepared<'a> {
        let s = &site.sections[section];
        let (pages, pager) = paged(&self.cards, &s.pages, s.paginate_by, &s.path, page);
        let view = SectionView {
            section: SectionInfo {
                title: &s.title,
                path: &s.path,
                description: s.description.as_deref(),
                content: Html::new(&s.content),
                count: s.pages.len(),
            },
            pages,
            pager,
        };
        let template = s.template.as_deref().unwrap_or("section.html");
        let what = s.index_file.as_deref().unwrap_or(path);
        prepared(template, what, View::Section(view))
    }

    /// List page `page` of tag `tag`.
    fn tag<'a>(&'a self, site: &'a Site, tag: usize, page: usize, path: &'a str) -> Prepared<'a> {
        let t = &site.tags[tag];
        let (pages, pager) = paged(
            &self.cards,
            &t.pages,
            site.config.paginate_by,
            &t.path,
            page,
        );
        let view = TagView {
            tag: TagSummary {
                name: &t.name,
                path: &t.path,
                count: t.pages.len(),
            },
            pages,
            pager,
        };
        prepared("tag.html", path, View::Tag(view))
    }

    /// Page `index` of `site.pages`.
    fn page<'a>(&'a self, site: &'a Site, index: usize) -> Prepared<'a> {
        let p = &site.pages[index];
        let (newer, older) = self.neighbours[index];
        let album = p
            .album
            .as_ref()
            .and_then(|name| site.albums.iter().position(|a| &a.name == name));
        let view = PageView {
            page: &self.cards.pages[index],
            content: Html::keyed(&p.content, p.content_key),
            cover_in_body: cover_in_body(site, p),
            newer: newer.map(|n| &self.cards.pages[n]),
            older: older.map(|n| &self.cards.pages[n]),
            album: album.map(|a| &self.cards.albums[a]),
        };
        let template = p.template.as_deref().unwrap_or("page.html");
        prepared(template, &*p.source, View::Page(view))
    }

    fn search(&self, site: &Site) -> SearchView<'_> {
        SearchView {
            search_strings: super::ui::search_strings(site.config.language),
            search_root: &self.search_root,
        }
    }
}

/// What each section, tag and pillar shows of itself, fingerprinted: its fields and
/// its size (shown, and what its pager is made from).
pub struct ListPrints {
    sections: Vec<u64>,
    tags: Vec<u64>,
    pillars: Vec<u64>,
}

/// A fingerprint of what page cards and link previews are made from beyond the page
/// itself: the sections' and pillars' names and paths, the designed link cards.
fn card_context(site: &Site) -> u64 {
    let designed = &site.media.cards;
    fingerprint(&(
        site.sections
            .iter()
            .map(|s| (&s.title, &s.path))
            .collect::<Vec<_>>(),
        site.brand
            .iter()
            .flat_map(|b| &b.pillars)
            .map(|p| (&p.name, &p.path))
            .collect::<Vec<_>>(),
        designed.home.as_ref().map(|c| c.path()),
        designed
            .sections
            .iter()
            .map(|c| c.path())
            .collect::<Vec<_>>(),
    ))
}

/// A fingerprint of what every page depends on: what all pages show, the templates,
/// the links' form.
fn base_key(
    common: &Common,
    sources: &TemplateSources,
    folder: &SiteFolder,
    live_reload: bool,
    urls: &Urls,
) -> u64 {
    fingerprint(&(
        common.key,
        sources.fingerprint(folder),
        live_reload,
        &urls.base_url,
        &urls.public,
        urls.offline,
    ))
}

fn neighbours(site: &Site) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = vec![(None, None); site.pages.len()];
    for s in &site.sections {
        for (j, &i) in s.pages.iter().enumerate() {
            out[i] = (
                j.checked_sub(1).map(|k| s.pages[k]),
                s.pages.get(j + 1).copied(),
            );
        }
    }
    out
}

/// The cards of list page `n` of `items`, and the pager.
fn paged<'a>(
    cards: &'a Cards,
    items: &[usize],
    per: usize,
    base: &str,
    n: usize,
) -> (Vec<&'a Card>, Pager) {
    let total = page_count(items.len(), per);
    (
        cards.pages(&items[page_range(items.len(), per, n)]),
        pager(base, n, total),
    )
}

/// What the 大屏 mode shows beyond what every page has (brand, achievements): the latest
/// three reports, the latest three albums with photos, the boards.
#[derive(Serialize, Hash)]
struct ScreenView<'a> {
    seconds: u32,
    /// Serialized as `screen.yaml` names them (`brand`, `pillars` …).
    slides: &'a [crate::model::screen::ScreenSlide],
    reports: Vec<&'a Card>,
    albums: Vec<&'a Card>,
    boards: &'a [Card],
}

fn screen<'a>(site: &'a Site, cards: &'a Cards) -> ScreenView<'a> {
    let reports: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].date.is_some() && !site.pages[i].draft)
        .take(3)
        .collect();
    let mut albums: Vec<usize> = (0..site.albums.len())
        .filter(|&i| !site.albums[i].photos.is_empty())
        .collect();
    albums.sort_by(|&a, &b| site.albums[b].date.cmp(&site.albums[a].date));
    albums.truncate(3);
    ScreenView {
        seconds: site.screen.seconds,
        slides: &site.screen.slides,
        reports: cards.pages(&reports),
        albums: albums.iter().map(|&i| &cards.albums[i]).collect(),
        boards: &cards.boards,
    }
}

fn home<'a>(site: &'a Site, cards: &'a Cards) -> HomeView<'a> {
    let latest: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].section.is_some())
        .take(8)
        .collect();
    let mut recent: Vec<usize> = (0..site.albums.len()).collect();
    recent.sort_by(|&a, &b| site.albums[b].date.cmp(&site.albums[a].date));
    recent.truncate(4);
    HomeView {
        latest: cards.pages(&latest),
        sections: site
            .sections
            .iter()
            .map(|s| SectionSummary {
                title: &s.title,
                path: &s.path,
                description: s.description.as_deref(),
                count: s.pages.len(),
            })
            .collect(),
        albums: recent.iter().map(|&i| &cards.albums[i]).collect(),
        boards: &cards.boards,
    }
}

/// Albums by year, newest first; undated albums last.
fn photos<'a>(site: &Site, cards: &'a Cards) -> PhotosView<'a> {
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
    PhotosView {
        years: years
            .into_iter()
            .map(|(year, v)| YearView {
                year,
                albums: v.iter().map(|&i| &cards.albums[i]).collect(),
            })
            .collect(),
    }
}

fn tags(site: &Site) -> TagsView<'_> {
    TagsView {
        tags: site
            .tags
            .iter()
            .map(|t| TagSummary {
                name: &t.name,
                path: &t.path,
                count: t.pages.len(),
            })
            .collect(),
    }
}

fn brand<'a>(site: &Site, cards: &'a Cards) -> BrandView<'a> {
    let brand = site.brand.as_ref().expect("brand job only with a brand");
    BrandView {
        pillar_pages: brand
            .pillars
            .iter()
            .map(|p| cards.pages(&p.pages[..p.pages.len().min(3)]))
            .collect(),
        downloads: crate::model::documents::published(site),
        screen: (!site.screen.slides.is_empty()).then_some(routes::SCREEN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_numbers() {
        let p = pager("/news/", 5, 10);
        let numbers: Vec<usize> = p.numbers.iter().map(|n| n.number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(p.prev.as_deref(), Some("/news/page/4/"));
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
    }
}
