//! The website's renderers: HTML pages, feeds and sitemap, the search index, and the
//! files published as they are (the theme's and the site's static files, referenced
//! assets). Each reads the [`Site`](crate::model::Site) and returns output files; pages
//! and search text are made while they are written, so a large site's pages never all
//! sit in memory at once.

pub mod feeds;
pub mod files;
pub mod pages;
pub mod search;
pub mod ui;
pub mod views;

use crate::artifact::{Content, Mode, OutputFile, RenderContext, Rendered, Renderer};
use crate::cache::Memo;
use crate::error::Diagnostics;
use crate::urls::routes;
use pages::PageSet;
use std::sync::{Arc, Mutex};

/// The site's HTML pages.
#[derive(Default)]
pub struct Pages {
    /// Page cards of earlier builds by the fingerprint of their view (`zhanting serve`).
    cards: Option<Memo<views::Card>>,
    /// The last build's pages, lists and page keys (`zhanting serve`).
    last: Mutex<Option<LastPages>>,
}

/// Each page of the site with its path and key.
type KeyedJobs = Vec<(pages::Job, Arc<str>, u64)>;

/// What the pages renderer made last time.
struct LastPages {
    /// The site's pages then: kept, so that no page made since has the address of one
    /// of them, which the inputs of [`LastPages::keys`] name pages by.
    pages: Vec<Arc<crate::model::Page>>,
    set: Arc<PageSet>,
    /// Each page's key by its inputs ([`PageSet::inputs`]).
    keys: rustc_hash::FxHashMap<u64, u64>,
}

impl Pages {
    /// Pages for rebuild after rebuild (`zhanting serve`): list views are kept, and each
    /// page carries its key so it is made only when asked for. A page whose inputs
    /// (its path and the cards it shows) are those of a page of the last build, in a
    /// set that shares the rest with it, keeps that page's key: after an edit, a page
    /// added or removed, only the pages that show a change get new keys.
    pub fn kept() -> Pages {
        Pages {
            cards: Some(Memo::default()),
            last: Mutex::new(None),
        }
    }

    /// The set and page keys for `site`: from the last build's where they share what
    /// every page shows, else made whole.
    fn keyed(&self, ctx: &RenderContext) -> (Arc<PageSet>, KeyedJobs) {
        use rayon::prelude::*;
        let site = ctx.site;
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner()).take();
        let memo = self.cards.as_ref();
        let updated = last.as_ref().and_then(|l| {
            let set = l.set.updated(site, ctx.urls, ctx.folder, &l.pages, memo)?;
            Some((set, &l.keys))
        });
        let (set, old) = match updated {
            Some((set, keys)) => (set, Some(keys)),
            None => {
                let serve = ctx.mode == Mode::Serve;
                (PageSet::new(site, ctx.urls, ctx.folder, serve, memo), None)
            }
        };
        let set = Arc::new(set);
        let prints = set.list_prints(site);
        let made: Vec<(pages::Job, Arc<str>, u64, Option<u64>)> = pages::jobs(site)
            .into_par_iter()
            .map(|(job, path)| {
                let inputs = set.inputs(site, &prints, job, &path);
                let kept = inputs.zip(old).and_then(|(i, old)| old.get(&i).copied());
                let key = kept.unwrap_or_else(|| set.key(site, job, &path));
                (job, path, key, inputs)
            })
            .collect();
        let keys = made
            .iter()
            .filter_map(|(_, _, key, inputs)| Some(((*inputs)?, *key)))
            .collect();
        // The last build's pages are dropped only now: no page made above had an
        // address of theirs.
        drop(last);
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(LastPages {
            pages: site.pages.clone(),
            set: set.clone(),
            keys,
        });
        let jobs = made
            .into_iter()
            .map(|(job, path, key, _)| (job, path, key))
            .collect();
        (set, jobs)
    }
}

impl Renderer for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        use rayon::prelude::*;
        let site = ctx.site;
        let Some(cards) = &self.cards else {
            // A build: every page made once, while it is written.
            let jobs = pages::jobs(site);
            let paths: Vec<&str> = jobs.iter().map(|(_, p)| &**p).collect();
            let set =
                PageSet::new(site, ctx.urls, ctx.folder, false, None).with_codes(site, &paths);
            let set = Arc::new(set);
            return jobs
                .into_par_iter()
                .map(|(job, path)| {
                    let (set, site) = (set.clone(), site.clone());
                    let file = routes::file_of(&path);
                    let make = move || set.render(&site, job, &path);
                    OutputFile::generated(file, Content::Deferred(Box::new(make)))
                })
                .collect::<Vec<_>>()
                .into();
        };
        if cards.len() > site.pages.len() {
            let current: rustc_hash::FxHashSet<&str> =
                site.pages.iter().map(|p| &*p.source).collect();
            cards.retain(|source| current.contains(source));
        }
        let (set, jobs) = self.keyed(ctx);
        jobs.into_par_iter()
            .map(|(job, path, key)| {
                let (set, site) = (set.clone(), site.clone());
                let file = routes::file_of(&path);
                let make = move || set.render(&site, job, &path);
                OutputFile {
                    key: Some(key),
                    ..OutputFile::generated(file, Content::Deferred(Box::new(make)))
                }
            })
            .collect::<Vec<_>>()
            .into()
    }
}

/// Files made once and kept: path and bytes.
type FeedFiles = Vec<(String, Arc<[u8]>)>;

/// `feed.xml`, `sitemap.xml` and `robots.txt`.
#[derive(Default)]
pub struct Feeds {
    /// The files of the last build with the fingerprint of what they list (`serve`).
    kept: Option<Memo<Arc<FeedFiles>>>,
}

impl Feeds {
    /// Feeds made again only when what they list changed (`zhanting serve`).
    pub fn kept() -> Feeds {
        Feeds {
            kept: Some(Memo::default()),
        }
    }
}

impl Renderer for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        let Some(kept) = &self.kept else {
            return Rendered::generated(feeds::render(ctx.site, ctx.urls));
        };
        let files = kept.get_or_insert_with("feeds", feeds::inputs(ctx.site, ctx.urls), || {
            let made = feeds::render(ctx.site, ctx.urls).into_iter();
            Arc::new(
                made.filter_map(|(path, c)| match c {
                    Content::Bytes(b) => Some((path, b.into())),
                    _ => None,
                })
                .collect(),
            )
        });
        Rendered::generated(
            files
                .iter()
                .map(|(path, bytes)| (path.clone(), Content::Shared(bytes.clone()))),
        )
    }
}

/// The search index under `/search/`, when the site has search.
pub struct Search;

impl Renderer for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        if !ctx.site.config.search {
            return Rendered::default();
        }
        Rendered::generated(search::render(
            std::slice::from_ref(ctx.site),
            search::documents(ctx.site),
        ))
    }
}

/// Files published as they are: the theme's static files, the assets the content
/// references (pictures are published processed instead) and the site's `static/`.
pub struct Files;

impl Renderer for Files {
    fn name(&self) -> &'static str {
        "files"
    }

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        files::render(ctx.site).into()
    }
}
