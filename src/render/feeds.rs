//! `feed.xml` (Atom, newest 20 dated pages), `sitemap.xml` and `robots.txt`, with
//! absolute URLs.

use crate::artifact::Content;
use crate::markdown::{escape, escape_into};
use crate::model::Site;
use crate::urls::{routes, Urls};
use std::fmt::Write as _;

const FEED_ENTRIES: usize = 20;

pub fn render(site: &Site, urls: &Urls) -> Vec<(String, Content)> {
    let mut out = vec![
        (
            "sitemap.xml".to_string(),
            Content::Bytes(sitemap(site, urls).into_bytes()),
        ),
        (
            "robots.txt".to_string(),
            Content::Bytes(robots(urls).into_bytes()),
        ),
    ];
    if site.config.feed {
        out.push((
            "feed.xml".to_string(),
            Content::Bytes(feed(site, urls).into_bytes()),
        ));
    }
    out
}

/// A fingerprint of everything the feed, sitemap and robots.txt list.
pub fn inputs(site: &Site, urls: &Urls) -> u64 {
    let c = &site.config;
    crate::cache::fingerprint(&(
        (
            &urls.base_url,
            c.feed,
            &c.title,
            &c.subtitle,
            &c.organization,
            c.language.code(),
        ),
        // The sitemap lists every page's path and date; the feed shows the newest.
        PagePlaces(site),
        site.dated_pages()
            .filter(|p| p.section.is_some())
            .take(FEED_ENTRIES)
            .map(|p| {
                (
                    p.id,
                    site.media.page_videos.get(&*p.source).map(|v| &v.path),
                )
            })
            .collect::<Vec<_>>(),
        site.sections.iter().map(|s| &s.path).collect::<Vec<_>>(),
        site.tags.iter().map(|t| &t.path).collect::<Vec<_>>(),
        site.albums.iter().map(|a| &a.slug).collect::<Vec<_>>(),
        site.boards.iter().map(|b| &b.path).collect::<Vec<_>>(),
        site.brand
            .as_ref()
            .map(|b| b.pillars.iter().map(|p| &p.path).collect::<Vec<_>>()),
        super::views::has_achievements(site),
    ))
}

/// Hashes every page's path and date as a list would, without making the list.
struct PagePlaces<'a>(&'a Site);

impl std::hash::Hash for PagePlaces<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_usize(self.0.pages.len());
        for p in &self.0.pages {
            p.path.hash(h);
            p.date.hash(h);
        }
    }
}

fn feed(site: &Site, urls: &Urls) -> String {
    let c = &site.config;
    let entries: Vec<Entry> = site
        .dated_pages()
        .filter(|p| p.section.is_some())
        .take(FEED_ENTRIES)
        .map(|p| Entry {
            page: p,
            path: p.path.to_string(),
            author: None,
            // Its 微视频, for readers that fetch or play it.
            video: site.media.page_videos.get(&*p.source),
        })
        .collect();
    atom(&Head::of(c), &entries, urls)
}

/// What an Atom feed says of itself.
pub struct Head<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub language: &'a str,
    pub author: &'a str,
}

impl<'a> Head<'a> {
    /// The head of the feed of a site with settings `c` (a portal's, as a site's).
    pub fn of(c: &'a crate::config::SiteConfig) -> Head<'a> {
        Head {
            title: &c.title,
            subtitle: c.subtitle.as_deref(),
            language: c.language.code(),
            author: c.organization.as_deref().unwrap_or(&c.title),
        }
    }
}

/// One entry of a feed: a page at a site path, with its own author (a portal names
/// the branch) and its video.
pub struct Entry<'a> {
    pub page: &'a crate::model::Page,
    pub path: String,
    pub author: Option<&'a str>,
    pub video: Option<&'a crate::model::Video>,
}

/// An Atom feed of `entries`, newest first, with absolute URLs.
pub fn atom(head: &Head, entries: &[Entry], urls: &Urls) -> String {
    let updated = entries
        .first()
        .and_then(|e| e.page.date)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let mut x = String::new();
    let _ = writeln!(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        head.language
    );
    let _ = writeln!(x, "  <title>{}</title>", escape(head.title));
    if let Some(sub) = head.subtitle {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", escape(sub));
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&urls.absolute(routes::FEED))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&urls.absolute("/"))
    );
    let _ = writeln!(x, "  <id>{}</id>", escape(&urls.absolute("/")));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(x, "  <author><name>{}</name></author>", escape(head.author));
    let _ = writeln!(
        x,
        "  <generator uri=\"https://crates.io/crates/zhanting\">zhanting</generator>"
    );
    for e in entries {
        let p = e.page;
        let url = urls.absolute(&e.path);
        let date = p.date.map(|d| d.rfc3339()).unwrap_or_default();
        let _ = writeln!(x, "  <entry>");
        let _ = writeln!(x, "    <title>{}</title>", escape(&p.title));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&url)
        );
        let _ = writeln!(x, "    <id>{}</id>", escape(&url));
        let _ = writeln!(x, "    <published>{date}</published>");
        let _ = writeln!(x, "    <updated>{date}</updated>");
        if let Some(author) = e.author {
            let _ = writeln!(x, "    <author><name>{}</name></author>", escape(author));
        }
        for t in &p.tags {
            let _ = writeln!(x, "    <category term=\"{}\"/>", escape(t));
        }
        let _ = writeln!(x, "    <summary>{}</summary>", escape(&p.summary));
        if let Some(v) = e.video {
            let video_path = match e.path.strip_suffix(&*p.path) {
                // Under the same prefix as the page (a portal's branch).
                Some(prefix) => format!("{prefix}{}", v.path),
                None => v.path.clone(),
            };
            let _ = writeln!(
                x,
                "    <link rel=\"enclosure\" type=\"{}\" length=\"{}\" href=\"{}\"/>",
                v.mime,
                v.bytes,
                escape(&urls.absolute(&video_path))
            );
        }
        let _ = writeln!(x, "  </entry>");
    }
    x.push_str("</feed>\n");
    x
}

fn sitemap(site: &Site, urls: &Urls) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    // One buffer for every URL: the sitemap lists every page, so nothing is allocated
    // per page.
    let mut url = String::new();
    let mut add = |path: &str, lastmod: Option<(i32, u32, u32)>| {
        url.clear();
        urls.absolute_into(&mut url, path);
        x.push_str("  <url><loc>");
        escape_into(&mut x, &url);
        x.push_str("</loc>");
        if let Some((y, m, d)) = lastmod {
            let _ = write!(x, "<lastmod>{y:04}-{m:02}-{d:02}</lastmod>");
        }
        x.push_str("</url>\n");
    };
    add(routes::HOME, None);
    if let Some(b) = &site.brand {
        add(routes::BRAND, None);
        for p in &b.pillars {
            add(&p.path, None);
        }
    }
    if super::views::has_achievements(site) {
        add(routes::ACHIEVEMENTS, None);
    }
    for s in &site.sections {
        add(&s.path, None);
    }
    for p in &site.pages {
        add(
            &p.path,
            p.date
                .and_then(|d| d.ymd())
                .filter(|(y, _, _)| (0..=9999).contains(y)),
        );
    }
    if !site.tags.is_empty() {
        add(routes::TAGS, None);
    }
    if !site.albums.is_empty() {
        add(routes::PHOTOS, None);
    }
    for a in &site.albums {
        add(&routes::album(&a.slug), None);
    }
    if !site.boards.is_empty() {
        add(routes::BOARDS, None);
    }
    for b in &site.boards {
        add(&b.path, None);
    }
    for t in &site.tags {
        add(&t.path, None);
    }
    x.push_str("</urlset>\n");
    x
}

/// `robots.txt`: everything allowed, and where the sitemap is.
pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute(routes::SITEMAP)
    )
}
