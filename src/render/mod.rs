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
    /// Pages of earlier builds by the fingerprint of their view (`zhanting serve`).
    memo: Option<Arc<Memo<Arc<[u8]>>>>,
    /// The last build's prepared pages, kept when there is a memo: `serve` renders one
    /// page again from it after a body edit.
    last: Mutex<Option<Arc<PageSet>>>,
}

impl Pages {
    /// Pages that keep what they rendered, for rebuild after rebuild (`zhanting serve`).
    pub fn kept() -> Pages {
        Pages {
            memo: Some(Arc::default()),
            last: Mutex::new(None),
        }
    }

    /// The prepared pages of the last build (only kept by [`Pages::kept`]).
    pub fn last(&self) -> Option<Arc<PageSet>> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Renderer for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn render<'a>(&'a self, ctx: &RenderContext<'a>, _diags: &mut Diagnostics) -> Rendered<'a> {
        let site = ctx.site;
        let set = Arc::new(PageSet::new(
            site,
            ctx.urls,
            ctx.mode == Mode::Serve,
            self.memo.clone(),
        ));
        let jobs = pages::jobs(site);
        if let Some(memo) = &self.memo {
            let current: std::collections::HashSet<&str> =
                jobs.iter().map(|(_, p)| p.as_str()).collect();
            memo.retain(|path| current.contains(path));
            *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(set.clone());
        }
        jobs.into_iter()
            .map(|(job, path)| {
                let set = set.clone();
                let file = routes::file_of(&path);
                let make = move || set.render(site, job, &path);
                OutputFile::generated(file, Content::Deferred(Box::new(make)))
            })
            .collect::<Vec<_>>()
            .into()
    }
}

/// `feed.xml`, `sitemap.xml` and `robots.txt`.
pub struct Feeds;

impl Renderer for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn render<'a>(&'a self, ctx: &RenderContext<'a>, _diags: &mut Diagnostics) -> Rendered<'a> {
        Rendered::generated(feeds::render(ctx.site, ctx.urls))
    }
}

/// The search index under `/search/`, when the site has search.
pub struct Search;

impl Renderer for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    fn render<'a>(&'a self, ctx: &RenderContext<'a>, _diags: &mut Diagnostics) -> Rendered<'a> {
        if !ctx.site.config.search {
            return Rendered::default();
        }
        Rendered::generated(search::render(ctx.site, search::documents(ctx.site)))
    }
}

/// Files published as they are: the theme's static files, the assets the content
/// references (pictures are published processed instead) and the site's `static/`.
pub struct Files;

impl Renderer for Files {
    fn name(&self) -> &'static str {
        "files"
    }

    fn render<'a>(&'a self, ctx: &RenderContext<'a>, _diags: &mut Diagnostics) -> Rendered<'a> {
        files::render(ctx.site).into()
    }
}
