//! Turning site paths (`/news/qi-yi/`) into links: under the path of `base_url` for a
//! hosted site, or relative and ending in `index.html` for `--offline` (file://) builds.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped in a path: everything outside unreserved and `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']')
    .add(b',');

#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://example.org/dangjian/`
    pub base_url: String,
    /// `/dangjian/`
    pub base_path: String,
    pub offline: bool,
    /// The site's public address (`base_url` of site.yaml or `--base-url`), which QR
    /// codes encode even in an offline build or a preview; `None` when the site has none.
    pub public: Option<String>,
}

impl Urls {
    pub fn new(base_url: &str, offline: bool) -> Urls {
        let base_url = crate::config::normalize_base_url(base_url);
        let after_scheme = base_url.split_once("://").map(|x| x.1).unwrap_or(&base_url);
        let base_path = match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        };
        Urls {
            base_url,
            base_path,
            offline,
            public: None,
        }
    }

    /// These links, with `public` as the site's public address.
    pub fn with_public(mut self, public: Option<String>) -> Urls {
        self.public = public.map(|u| crate::config::normalize_base_url(&u));
        self
    }

    /// The public address of a site path (what a QR code encodes), if the site has one.
    pub fn public_url(&self, to: &str) -> Option<String> {
        let base = self.public.as_deref()?;
        let mut out = String::with_capacity(base.len() + to.len());
        absolute_into(&mut out, base, to);
        Some(out)
    }

    /// A link from the page at site path `from` to site path `to` (which may carry
    /// `#fragment` or `?query`). External links are returned unchanged.
    pub fn link(&self, from: &str, to: &str) -> String {
        if is_external(to) || to.starts_with('#') {
            return to.to_string();
        }
        let (path, tail) = split_tail(to);
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        if self.offline {
            let mut rel = relative(from, &path);
            if rel.is_empty() || rel.ends_with('/') {
                rel.push_str("index.html");
            }
            format!("{}{tail}", encode(&rel))
        } else {
            format!("{}{}{tail}", encode(&self.base_path), encode(&path[1..]))
        }
    }

    /// The absolute URL of a site path, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, to: &str) -> String {
        let mut out = String::with_capacity(self.base_url.len() + to.len());
        self.absolute_into(&mut out, to);
        out
    }

    /// [`Urls::absolute`], appending to `out`.
    pub fn absolute_into(&self, out: &mut String, to: &str) {
        absolute_into(out, &self.base_url, to);
    }
}

/// Site path `to` under `base` (an absolute address ending in `/`), appended to `out`.
fn absolute_into(out: &mut String, base: &str, to: &str) {
    use std::fmt::Write as _;
    if is_external(to) {
        out.push_str(to);
        return;
    }
    let (path, tail) = split_tail(to);
    out.push_str(base);
    let _ = write!(
        out,
        "{}",
        utf8_percent_encode(path.trim_start_matches('/'), PATH)
    );
    out.push_str(tail);
}

/// The site paths zhanting generates itself. Every stage that names one of them uses
/// these, so a route is written once.
pub mod routes {
    pub const HOME: &str = "/";
    pub const BRAND: &str = "/brand/";
    pub const ACHIEVEMENTS: &str = "/achievements/";
    pub const TAGS: &str = "/tags/";
    pub const PHOTOS: &str = "/photos/";
    pub const BOARDS: &str = "/boards/";
    pub const SEARCH: &str = "/search/";
    /// The 大屏 mode, for the activity room's television.
    pub const SCREEN: &str = "/screen/";
    pub const NOT_FOUND: &str = "/404.html";
    pub const FEED: &str = "/feed.xml";
    pub const SITEMAP: &str = "/sitemap.xml";
    /// The deck and the booklets (`/downloads/deck.pdf`, `/downloads/booklet-2026.pdf`).
    pub const DOWNLOADS: &str = "/downloads/";

    /// Paths no page or section may take, with what they are (for the error).
    pub const RESERVED: &[(&str, &str)] = &[
        (HOME, "the home page"),
        (BRAND, "the brand page"),
        (ACHIEVEMENTS, "the achievements page"),
        (TAGS, "the tag index"),
        (PHOTOS, "the photo archive"),
        (BOARDS, "the exhibition boards"),
        (SEARCH, "the search page"),
        (DOWNLOADS, "the deck and booklet downloads"),
        (SCREEN, "the 大屏 screen"),
    ];

    /// The 展评 deck's file name (`zhanting deck` writes it too).
    pub const DECK_FILE: &str = "deck.pdf";

    /// The file name of the booklet of `year` (`zhanting booklet` writes it too).
    pub fn booklet_file(year: i32) -> String {
        format!("booklet-{year}.pdf")
    }

    /// The 展评 deck's PDF on the site.
    pub fn deck() -> String {
        format!("{DOWNLOADS}{DECK_FILE}")
    }

    /// The booklet of `year` on the site.
    pub fn booklet(year: i32) -> String {
        format!("{DOWNLOADS}{}", booklet_file(year))
    }

    /// A pillar's page, `/brand/KEY/`.
    pub fn pillar(key: &str) -> String {
        format!("{BRAND}{key}/")
    }

    pub fn tag(slug: &str) -> String {
        format!("{TAGS}{slug}/")
    }

    pub fn album(slug: &str) -> String {
        format!("{PHOTOS}{slug}/")
    }

    pub fn board(slug: &str) -> String {
        format!("{BOARDS}{slug}/")
    }

    /// A board's print file or preview: `/boards/SLUG.pdf`, `/boards/SLUG.png`.
    pub fn board_file(slug: &str, ext: &str) -> String {
        format!("{BOARDS}{slug}.{ext}")
    }

    /// `base` for page 1 of a list, `base/page/N/` after.
    pub fn pager(base: &str, n: usize) -> String {
        if n <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
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

    /// The site path of an output file: `news/a/index.html` → `/news/a/`.
    pub fn path_of(file: &str) -> String {
        format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
    }
}

/// Whether `base_url` names a host the public reaches: not a local, private or
/// documentation (example.org) name, nor a private, loopback or link-local address. The
/// checks ask it before requiring 备案 numbers; boards before drawing a QR code.
pub fn is_public(base_url: &str) -> bool {
    let host = base_url
        .split_once("://")
        .map_or(base_url, |x| x.1)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return !(ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified());
    }
    let reserved = ["localhost", "example.org", "example.com", "example.net"];
    !(host.is_empty()
        || host.starts_with('[')
        || reserved
            .iter()
            .any(|r| host == *r || host.ends_with(&format!(".{r}")))
        || [
            ".test",
            ".local",
            ".localhost",
            ".invalid",
            ".example",
            ".internal",
            ".lan",
        ]
        .iter()
        .any(|t| host.ends_with(t)))
}

pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        })
}

fn split_tail(to: &str) -> (&str, &str) {
    match to.find(['#', '?']) {
        Some(i) => (&to[..i], &to[i..]),
        None => (to, ""),
    }
}

pub fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The relative path from the folder of site path `from` to site path `to`.
fn relative(from: &str, to: &str) -> String {
    let from_dir = match from.rfind('/') {
        Some(i) => &from[..i],
        None => "",
    };
    let from_parts: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let to_is_dir = to.ends_with('/');
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_parts.len() - common);
    let rest = &to_parts[common..];
    out.push_str(&rest.join("/"));
    if to_is_dir && !rest.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosted_links_respect_the_base_path() {
        let u = Urls::new("https://host/branch", false);
        assert_eq!(u.link("/news/a/", "/news/"), "/branch/news/");
        assert_eq!(u.link("/", "/"), "/branch/");
        assert_eq!(
            u.link("/", "/media/相册 1.jpg"),
            "/branch/media/%E7%9B%B8%E5%86%8C%201.jpg"
        );
        assert_eq!(u.absolute("/feed.xml"), "https://host/branch/feed.xml");
        assert_eq!(
            u.link("/", "https://beian.miit.gov.cn/"),
            "https://beian.miit.gov.cn/"
        );
    }

    #[test]
    fn routes_and_their_files() {
        assert_eq!(routes::pager("/news/", 1), "/news/");
        assert_eq!(routes::pager("/news/", 3), "/news/page/3/");
        assert_eq!(routes::file_of("/"), "index.html");
        assert_eq!(routes::file_of("/404.html"), "404.html");
        assert_eq!(routes::path_of("news/a/index.html"), "/news/a/");
        assert_eq!(routes::board_file("a", "pdf"), "/boards/a.pdf");
    }

    #[test]
    fn offline_links_are_relative_and_end_in_index_html() {
        let u = Urls::new("https://host/", true);
        assert_eq!(u.link("/", "/"), "index.html");
        assert_eq!(u.link("/", "/news/"), "news/index.html");
        assert_eq!(u.link("/news/a/", "/"), "../../index.html");
        assert_eq!(u.link("/news/a/", "/news/b/#x"), "../b/index.html#x");
        assert_eq!(
            u.link("/news/a/", "/assets/site.css"),
            "../../assets/site.css"
        );
        assert_eq!(u.link("/404.html", "/news/"), "news/index.html");
        assert_eq!(u.link("/news/page/2/", "/news/"), "../../index.html");
    }

    /// Addresses a phone cannot reach are placeholders; public ones are not.
    #[test]
    fn placeholder_addresses() {
        for base in [
            "http://localhost:1313/",
            "http://127.0.0.1/",
            "http://192.168.1.20/dangjian/",
            "http://10.0.0.5:8080/",
            "https://example.org/lvshui/",
            "https://www.example.com/",
            "http://preview.local/",
        ] {
            assert!(!is_public(base), "{base}");
        }
        for base in [
            "https://dangjian.lvshui.cn/",
            "https://www.12371.cn/",
            "http://8.8.8.8/",
            "https://notexample.org/",
        ] {
            assert!(is_public(base), "{base}");
        }
    }
}
