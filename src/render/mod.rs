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
use std::sync::Arc;

/// The site's HTML pages.
#[derive(Default)]
pub struct Pages {
    /// Page cards of earlier builds by the fingerprint of their view (`zhanting serve`).
    cards: Option<Memo<views::Card>>,
}

impl Pages {
    /// Pages for rebuild after rebuild (`zhanting serve`): list views are kept, and each
    /// page carries its key so it is made only when asked for.
    pub fn kept() -> Pages {
        Pages {
            cards: Some(Memo::default()),
        }
    }
}

impl Renderer for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        use rayon::prelude::*;
        let site = ctx.site;
        let live = ctx.mode == Mode::Serve;
        let set = Arc::new(PageSet::new(
            site,
            ctx.urls,
            ctx.folder,
            live,
            self.cards.as_ref(),
        ));
        if let Some(cards) = &self.cards {
            let current: std::collections::HashSet<&str> =
                site.pages.iter().map(|p| p.source.as_str()).collect();
            cards.retain(|source| current.contains(source));
        }
        pages::jobs(site)
            .into_par_iter()
            .map(|(job, path)| {
                let key = self.cards.is_some().then(|| set.key(site, job, &path));
                let (set, site) = (set.clone(), site.clone());
                let file = routes::file_of(&path);
                let make = move || set.render(&site, job, &path);
                OutputFile {
                    key,
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

    fn render(&self, ctx: &RenderContext, _diags: &mut Diagnostics) -> Rendered {
        files::render(ctx.site).into()
    }
}
