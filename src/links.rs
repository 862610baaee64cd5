//! The internal link check over the whole output, after rendering (what Zola's `check`
//! does for internal links, done on what is published): every local `href`, `src`,
//! `srcset`, `poster` and `og:image` of every page zhanting generates must name a file
//! or page of the output. One that does not is an error naming the source file that made
//! it — the page's Markdown, site.yaml, brand.yaml, a template of `templates/` — at the
//! line and column where the link is written, when it is found there.
//!
//! Pages are made while they are written, so the check goes with them:
//! [`LinkCheck::wrap`] gives each generated HTML file a maker that scans the page it
//! made, against the set of output paths, which is known before the first page is made.
//!
//! A link is local when it is relative, starts with `/`, or is an absolute address under
//! the site's own `base_url` (og:image, the canonical link). A link from the host's root
//! outside the site's base path (`/` of the unit's main site) belongs to another site,
//! unless the same path under the base path is a page of ours: then the base path was
//! forgotten, and the link is broken where the site is published. In an `--offline`
//! build, which opens from a folder, a link from the root or to a folder (not its
//! `index.html`) leads nowhere either.

use crate::artifact::{Content, Origin, OutputFile};
use crate::error::Diagnostic;
use crate::model::Site;
use crate::urls::{routes, Urls};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where the pages of one site come from: a site alone, or a branch of a portal.
struct Sources {
    /// The site's output paths start with it: `""`, or `SLUG/` in a portal.
    prefix: String,
    /// The site folder.
    root: PathBuf,
    /// What names the site folder's files in messages: `""`, or the branch's folder
    /// from the portal's, with a `/`.
    shown: String,
    /// Output path (below `prefix`) of a page → its site-relative source file.
    files: FxHashMap<String, String>,
}

/// The check of one output: what it holds, and how its links are written.
pub struct LinkCheck {
    /// Every output path (`news/a/index.html`).
    files: FxHashSet<String>,
    /// Every folder with an `index.html`, ending in `/` (the root is `""`).
    folders: FxHashSet<String>,
    /// `https://example.org/lvshui/`
    base_url: String,
    /// `/lvshui/`
    base_path: String,
    offline: bool,
    sources: Vec<Sources>,
    /// Every broken link found so far: the page, the link, and its error on that page.
    found: Mutex<Vec<(String, String, Diagnostic)>>,
    /// Time spent checking, summed over the threads, in nanoseconds, and pages checked
    /// (`ZHANTING_TIMINGS`).
    spent: std::sync::atomic::AtomicU64,
    pages: std::sync::atomic::AtomicU64,
}

/// Why a link is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broken {
    /// Nothing of the output is there.
    Missing,
    /// A link from the host's root that is a page of ours under the base path.
    NoBasePath,
    /// `--offline`: a link from the root, which a folder opened as files cannot follow.
    OfflineRoot,
    /// `--offline`: a link to a folder, which shows no page from the file system.
    OfflineFolder,
}

/// A broken link of a page: its text as written (entities decoded), where it is in the
/// page, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub href: String,
    /// Byte offset of the attribute in the page.
    pub at: usize,
    why: Broken,
}

/// The attributes that hold links (any case).
const ATTRIBUTES: [&[u8]; 5] = [b"href", b"src", b"srcset", b"poster", b"content"];

/// The link attribute whose name ends just before byte `eq` (an `=`) of `html`, with the
/// byte before the name a space: its start and name.
fn attribute_at(html: &[u8], eq: usize) -> Option<(usize, &'static [u8])> {
    ATTRIBUTES.iter().find_map(|name| {
        let start = eq.checked_sub(name.len())?;
        let before = *html.get(start.checked_sub(1)?)?;
        (before.is_ascii_whitespace() && html[start..eq].eq_ignore_ascii_case(name))
            .then_some((start, *name))
    })
}

impl LinkCheck {
    /// The check of an output of `files`, whose links `urls` made.
    pub fn new(files: &[OutputFile], urls: &Urls) -> LinkCheck {
        let mut folders = FxHashSet::default();
        let mut set = FxHashSet::default();
        for f in files {
            if let Some(dir) = f.path.strip_suffix("index.html") {
                if dir.is_empty() || dir.ends_with('/') {
                    folders.insert(dir.to_string());
                }
            }
            set.insert(f.path.clone());
        }
        LinkCheck {
            files: set,
            folders,
            base_url: urls.base_url.clone(),
            base_path: urls.base_path.clone(),
            offline: urls.offline,
            sources: Vec::new(),
            found: Mutex::new(Vec::new()),
            spent: Default::default(),
            pages: Default::default(),
        }
    }

    /// This check, naming the sources of `site`'s pages, whose output is under `prefix`
    /// (`""` or `SLUG/`) and whose files are named from `shown` (`""` or the branch's
    /// folder with a `/`).
    pub fn with_site(mut self, site: &Site, prefix: &str, shown: &str) -> LinkCheck {
        let mut files = FxHashMap::default();
        let mut add = |path: &str, source: &str| {
            files.insert(routes::file_of(path), source.to_string());
        };
        for p in &site.pages {
            add(&p.path, &p.source);
        }
        for s in &site.sections {
            if let Some(index) = &s.index_file {
                add(&s.path, index);
            }
        }
        for a in &site.albums {
            add(
                &routes::album(&a.slug),
                &format!("albums/{}/album.yaml", a.name),
            );
        }
        for b in &site.boards {
            add(&b.path, &b.source);
        }
        if let Some(brand) = &site.brand {
            add(routes::BRAND, crate::load::brand::BRAND_FILE);
            for p in &brand.pillars {
                add(&p.path, crate::load::brand::BRAND_FILE);
            }
        }
        add(routes::ACHIEVEMENTS, crate::load::brand::ACHIEVEMENTS_FILE);
        add(routes::SCREEN, crate::model::screen::SCREEN_FILE);
        self.sources.push(Sources {
            prefix: prefix.to_string(),
            root: site.root.clone(),
            shown: shown.to_string(),
            files,
        });
        self
    }

    /// Gives each HTML file zhanting generates among `files` a maker that checks the
    /// page it made: a broken link is the page's error, so nothing is written; the
    /// errors to show are [`LinkCheck::report`]'s.
    pub fn wrap(self: &Arc<Self>, files: &mut [OutputFile]) {
        type Make = Box<dyn Fn() -> Result<Content, Diagnostic> + Send + Sync>;
        for f in files {
            if f.origin != Origin::Generated || !f.path.ends_with(".html") {
                continue;
            }
            let make: Make = match std::mem::replace(&mut f.content, Content::Bytes(Vec::new())) {
                Content::Deferred(make) => make,
                Content::Bytes(b) => {
                    let b: Arc<[u8]> = b.into();
                    Box::new(move || Ok(Content::Shared(b.clone())))
                }
                Content::Shared(b) => Box::new(move || Ok(Content::Shared(b.clone()))),
                Content::Static(b) => Box::new(move || Ok(Content::Static(b))),
                other => {
                    f.content = other;
                    continue;
                }
            };
            let check = self.clone();
            let page = f.path.clone();
            f.content = Content::Deferred(Box::new(move || {
                let made = make()?;
                if let Content::Bytes(_) | Content::Shared(_) | Content::Static(_) = &made {
                    check.check(&page, bytes(&made))?;
                }
                Ok(made)
            }));
        }
    }

    /// Replaces, in `diags`, the errors the pages gave for their broken links by one
    /// error per link and place it is written (a menu entry of site.yaml broken on every
    /// page is one error naming how many pages show it). Whether any link was broken.
    pub fn report(&self, diags: &mut crate::error::Diagnostics) -> bool {
        if std::env::var_os("ZHANTING_TIMINGS").is_some() {
            use std::sync::atomic::Ordering::Relaxed;
            eprintln!(
                "  links: {:.1} ms over {} pages (summed over the threads)",
                self.spent.load(Relaxed) as f64 / 1e6,
                self.pages.load(Relaxed)
            );
        }
        let found = std::mem::take(&mut *self.found.lock().unwrap_or_else(|e| e.into_inner()));
        if found.is_empty() {
            return false;
        }
        let all = std::mem::take(diags).into_vec();
        diags.extend(
            all.into_iter()
                .filter(|d| !found.iter().any(|(_, _, f)| f == d)),
        );
        // Grouped by the link and where it is written, the pages of each sorted.
        let mut groups: Vec<(String, Diagnostic, Vec<String>)> = Vec::new();
        for (page, href, d) in found {
            let place = |x: &Diagnostic| (x.file.clone(), x.line, x.column);
            match groups
                .iter_mut()
                .find(|(h, g, _)| *h == href && place(g) == place(&d))
            {
                Some((_, _, pages)) => pages.push(page),
                None => groups.push((href, d, vec![page])),
            }
        }
        let mut out = crate::error::Diagnostics::new();
        for (href, mut d, mut pages) in groups {
            // The home page first when it is one of them, then in path order.
            pages.sort_by(|a, b| (a != "index.html", a).cmp(&(b != "index.html", b)));
            pages.dedup();
            d.message = message(&href, &pages);
            out.push(d);
        }
        out.sort_dedup();
        diags.extend(out);
        true
    }

    /// Checks the page at output path `page`: its first broken link is its error; every
    /// one is kept for [`LinkCheck::report`].
    fn check(&self, page: &str, html: &[u8]) -> Result<(), Diagnostic> {
        use std::sync::atomic::Ordering::Relaxed;
        let start = std::time::Instant::now();
        let broken = self.broken(page, html);
        self.spent
            .fetch_add(start.elapsed().as_nanos() as u64, Relaxed);
        self.pages.fetch_add(1, Relaxed);
        let found: Vec<(String, String, Diagnostic)> = broken
            .iter()
            .map(|f| (page.to_string(), f.href.clone(), self.diagnostic(page, f)))
            .collect();
        let Some(first) = found.first().map(|(_, _, d)| d.clone()) else {
            return Ok(());
        };
        self.found
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(found);
        Err(first)
    }

    /// The broken links of the page at output path `page`, in the order they are written,
    /// each once.
    pub fn broken(&self, page: &str, html: &[u8]) -> Vec<Found> {
        let mut out: Vec<Found> = Vec::new();
        let skipped = skipped_ranges(html);
        for eq in memchr::memchr_iter(b'=', html) {
            let Some((at, name)) = attribute_at(html, eq) else {
                continue;
            };
            if skipped.iter().any(|&(a, b)| a <= at && at < b) {
                continue;
            }
            // Inside a tag: the last `<` or `>` before it is a `<`.
            let Some(open) = memchr::memrchr2(b'<', b'>', &html[..at]) else {
                continue;
            };
            if html[open] != b'<' {
                continue;
            }
            let Some(value) = attribute_value(&html[eq + 1..]) else {
                continue;
            };
            if name == b"content" {
                // Only the link preview's picture: og:image (and its itemprop twin).
                let close = memchr::memchr(b'>', &html[at..]).map_or(html.len(), |i| at + i);
                let tag = &html[open..close];
                let image = memchr::memmem::find(tag, b"\"og:image\"").is_some()
                    || memchr::memmem::find(tag, b"itemprop=\"image\"").is_some();
                if !image {
                    continue;
                }
            }
            let value = decode_entities(value);
            let mut check = |url: &str| {
                if let Some(why) = self.resolve(page, url) {
                    if !out.iter().any(|f| f.href == url) {
                        out.push(Found {
                            href: url.to_string(),
                            at,
                            why,
                        });
                    }
                }
            };
            if name == b"srcset" {
                value
                    .split(',')
                    .filter_map(|c| c.split_ascii_whitespace().next())
                    .for_each(check);
            } else {
                check(value.trim());
            }
        }
        out
    }

    /// Why link `href` of the page at output path `page` is broken, or `None` when it
    /// resolves or is not local.
    fn resolve(&self, page: &str, href: &str) -> Option<Broken> {
        let href = href.split(['#', '?']).next().unwrap_or_default();
        if href.is_empty() || href.starts_with("//") {
            return None;
        }
        let local = match href.split_once(':') {
            // A scheme (https:, mailto:, tel:, data:, javascript:), unless the address
            // is under the site's own.
            Some((scheme, _)) if !scheme.contains('/') => {
                let path = href.strip_prefix(self.base_url.as_str())?;
                return self.lookup(&decode_path(path)?).map(|_| Broken::Missing);
            }
            _ => href,
        };
        let Some(path) = decode_path(local) else {
            return Some(Broken::Missing);
        };
        if let Some(from_root) = path.strip_prefix('/') {
            if self.offline {
                // From the file system's root, nothing of the output is reached.
                return self
                    .lookup(from_root)
                    .is_none()
                    .then_some(Broken::OfflineRoot);
            }
            // `serve`'s own files (the live-reload client).
            if from_root.starts_with("__zhanting/") {
                return None;
            }
            return match path.strip_prefix(self.base_path.as_str()) {
                Some(rest) => self.lookup(rest),
                // The host's own home page, or another site on the same host, unless
                // the path is ours without the base path.
                None if from_root.is_empty() => None,
                None => self
                    .lookup(from_root)
                    .is_none()
                    .then_some(Broken::NoBasePath),
            };
        }
        let dir = page.rfind('/').map_or("", |i| &page[..=i]);
        let Some(joined) = join(dir, &path) else {
            return Some(Broken::Missing);
        };
        match self.lookup(&joined) {
            None if self.offline && (joined.is_empty() || joined.ends_with('/')) => {
                Some(Broken::OfflineFolder)
            }
            other => other,
        }
    }

    /// `None` when output path `path` (no leading `/`) is a file or a folder with an
    /// `index.html` (a host serves it, and adds a missing `/`), else why not.
    fn lookup(&self, path: &str) -> Option<Broken> {
        let found = if path.is_empty() || path.ends_with('/') {
            self.folders.contains(path)
        } else {
            self.files.contains(path) || self.folders.contains(&format!("{path}/"))
        };
        (!found).then_some(Broken::Missing)
    }

    /// The error for broken link `found` of the page at output path `page`, at the file
    /// and line that wrote it when one of the page's sources holds it.
    fn diagnostic(&self, page: &str, found: &Found) -> Diagnostic {
        let href = &found.href;
        let sources = self
            .sources
            .iter()
            .filter(|s| page.starts_with(&s.prefix))
            .max_by_key(|s| s.prefix.len());
        let source = sources.and_then(|s| {
            let rel = &page[s.prefix.len()..];
            s.files
                .get(rel)
                .or_else(|| s.files.get(&list_of(rel)?))
                .cloned()
        });
        let message = message(href, &[page.to_string()]);
        let mut d = Diagnostic::error(message.en, message.zh);
        if let Some(s) = sources {
            d = match locate(s, source.as_deref(), self.needles(href)) {
                Some((file, text, (line, col))) => {
                    d.file(format!("{}{file}", s.shown)).at(&text, line, col)
                }
                None => match &source {
                    Some(file) => d.file(format!("{}{file}", s.shown)),
                    None => d,
                },
            };
        }
        let base = &self.base_path;
        match found.why {
            Broken::Missing => d.hint(
                "correct the address, or add the page or file it names; a site path starts at the site's root, like /news/ (in a template: url('/news/'))",
                "请改正地址，或补上它指向的页面或文件；站内路径从网站根目录写起，例如 /news/（模板中写 url('/news/')）",
            ),
            Broken::NoBasePath => d.hint(
                format!("the site is published under {base}: write the site path in Markdown ([新闻](/news/)) or url('/news/') in a template, which add the base path"),
                format!("本站发布在 {base} 之下：请在 Markdown 中写站内路径（[新闻](/news/)），或在模板中写 url('/news/')，它们会自动加上这一前缀"),
            ),
            Broken::OfflineRoot => d.hint(
                "an --offline build opens from a folder, where a link from the root leads nowhere: write the site path in Markdown or url('/news/') in a template, which give relative links",
                "--offline 生成的网站从文件夹直接打开，以 / 开头的链接无法到达：请在 Markdown 中写站内路径，或在模板中写 url('/news/')，它们会生成相对链接",
            ),
            Broken::OfflineFolder => d.hint(
                "an --offline build opens from a folder, where a link to a folder shows no page: link to its index.html",
                "--offline 生成的网站从文件夹直接打开，指向目录的链接打不开页面：请链接到目录下的 index.html",
            ),
        }
    }

    /// What a source may hold of link `href`: the link as written, and its site path.
    fn needles(&self, href: &str) -> Vec<String> {
        let mut out = vec![href.to_string()];
        let bare = href.split(['#', '?']).next().unwrap_or_default();
        let site_path = bare
            .strip_prefix(self.base_url.as_str())
            .map(|p| format!("/{p}"))
            .or_else(|| {
                bare.strip_prefix(self.base_path.as_str())
                    .map(|p| format!("/{p}"))
            });
        for p in site_path.into_iter().chain([bare.to_string()]) {
            if let Some(p) = decode_path(&p) {
                let p = p.into_owned();
                if p.len() > 1 && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// The message for broken link `href` on the pages of output paths `pages` (at least
/// one): the first named, the others counted.
fn message(href: &str, pages: &[String]) -> crate::error::Text {
    let first = routes::path_of(&pages[0]);
    let (en, zh) = match pages.len() {
        1 => (first.clone(), format!("{first} 上")),
        2 => (
            format!("{first} and 1 other page"),
            format!("{first} 等 2 个页面上"),
        ),
        n => (
            format!("{first} and {} other pages", n - 1),
            format!("{first} 等 {n} 个页面上"),
        ),
    };
    crate::error::Text::new(
        format!("broken link `{href}` on {en}: it leads to no file or page of the output"),
        format!("{zh}的链接 `{href}` 已失效：输出中没有它指向的文件或页面"),
    )
}

/// The bytes of made content (never a copy or another deferred file).
fn bytes(c: &Content) -> &[u8] {
    match c {
        Content::Bytes(b) => b,
        Content::Shared(b) => b,
        Content::Static(b) => b,
        _ => &[],
    }
}

/// The file of the list a paginated page continues (`news/page/2/index.html` →
/// `news/index.html`).
fn list_of(rel: &str) -> Option<String> {
    let rest = rel.strip_suffix("/index.html")?;
    let (list, n) = rest
        .rsplit_once("/page/")
        .or_else(|| rest.strip_prefix("page/").map(|n| ("", n)))?;
    n.bytes().all(|b| b.is_ascii_digit()).then(|| {
        if list.is_empty() {
            "index.html".to_string()
        } else {
            format!("{list}/index.html")
        }
    })
}

/// Where a link is written: in the page's source, site.yaml, brand.yaml,
/// achievements.yaml or a template of the site's `templates/`, the first that holds one
/// of `needles`: its file, text and line and column.
fn locate(
    s: &Sources,
    source: Option<&str>,
    needles: Vec<String>,
) -> Option<(String, String, (usize, usize))> {
    let mut candidates: Vec<String> = source.map(str::to_string).into_iter().collect();
    candidates.extend(
        [
            crate::config::FILE,
            crate::load::brand::BRAND_FILE,
            crate::load::brand::ACHIEVEMENTS_FILE,
        ]
        .map(str::to_string),
    );
    let templates = s.root.join("templates");
    if templates.is_dir() {
        let mut found: Vec<String> = walkdir::WalkDir::new(&templates)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&s.root).ok()?;
                Some(crate::paths::rel_string(rel))
            })
            .collect();
        found.sort();
        candidates.extend(found);
    }
    candidates.iter().find_map(|file| {
        let text = std::fs::read_to_string(s.root.join(file)).ok()?;
        let pos = needles.iter().find_map(|n| find_link(&text, n))?;
        Some((file.clone(), text, pos))
    })
}

/// The 1-based line and column of link `needle` written in `text`: where it stands
/// whole, not inside a longer path (`/news/` is not in `content/news/a.md`).
fn find_link(text: &str, needle: &str) -> Option<(usize, usize)> {
    let part = |c: char| c.is_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | '%');
    for (i, line) in text.lines().enumerate() {
        for (at, _) in line.match_indices(needle) {
            let before = line[..at].chars().next_back();
            let after = line[at + needle.len()..].chars().next();
            if !before.is_some_and(part) && !after.is_some_and(part) {
                return Some((i + 1, line[..at].chars().count() + 1));
            }
        }
    }
    None
}

/// Byte ranges of the page no link is read in: scripts, styles and comments.
fn skipped_ranges(html: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (open, close) in [
        (&b"<script"[..], &b"</script>"[..]),
        (b"<style", b"</style>"),
        (b"<!--", b"-->"),
    ] {
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&html[from..], open) {
            let start = from + i + open.len();
            // A script's own tag (`<script src=…>`) is read; its text is not.
            let body = match open {
                b"<!--" => start,
                _ => memchr::memchr(b'>', &html[start..]).map_or(html.len(), |j| start + j + 1),
            };
            let end = memchr::memmem::find(&html[body..], close).map_or(html.len(), |j| body + j);
            out.push((body, end));
            from = end;
        }
    }
    out
}

/// The value of an attribute after its `=`: quoted with `"` or `'`, or up to a space or
/// `>`; `None` for text that only looks like one (`href=&quot;…`, escaped in a code
/// sample).
fn attribute_value(rest: &[u8]) -> Option<&str> {
    let (quote, body) = match rest.first()? {
        q @ (b'"' | b'\'') => (Some(*q), &rest[1..]),
        b'&' => return None,
        _ => (None, rest),
    };
    let end = match quote {
        Some(q) => memchr::memchr(q, body)?,
        None => body
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>')
            .unwrap_or(body.len()),
    };
    std::str::from_utf8(&body[..end]).ok()
}

/// An attribute's text with the entities a link holds decoded (`&amp;` and quotes).
fn decode_entities(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&quot;", "\""),
    )
}

/// A link's path percent-decoded (`None` when it is not UTF-8 then).
fn decode_path(path: &str) -> Option<Cow<'_, str>> {
    if !path.contains('%') {
        return Some(Cow::Borrowed(path));
    }
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
}

/// Relative path `rel` from output folder `dir` (ending in `/`, or empty), with `.` and
/// `..` resolved; `None` when it leaves the output. A trailing `/` is kept.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let folder = rel.is_empty() || rel.ends_with('/') || rel.ends_with("/.") || rel == ".";
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if folder && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[&str], base_url: &str, offline: bool) -> LinkCheck {
        let files: Vec<OutputFile> = files
            .iter()
            .map(|p| OutputFile::generated(*p, Content::Bytes(Vec::new())))
            .collect();
        LinkCheck::new(&files, &Urls::new(base_url, offline))
    }

    fn hrefs(c: &LinkCheck, page: &str, html: &str) -> Vec<String> {
        c.broken(page, html.as_bytes())
            .into_iter()
            .map(|f| f.href)
            .collect()
    }

    const FILES: &[&str] = &[
        "index.html",
        "news/index.html",
        "news/qi-yi/index.html",
        "news/七一/index.html",
        "assets/zhanting.css",
        "media/img/ab-480.jpg",
        "media/img/ab-960.jpg",
    ];

    #[test]
    fn links_under_the_base_path_resolve_to_files_and_folders() {
        let c = check(FILES, "https://example.org/lvshui/", false);
        let page = r##"<html><head><link rel="stylesheet" href="/lvshui/assets/zhanting.css">
<meta property="og:image" content="https://example.org/lvshui/media/img/ab-960.jpg">
<meta property="og:url" content="https://example.org/lvshui/news/qi-yi/"></head>
<body><a href="/lvshui/news/qi-yi/#top">a</a> <a href="/lvshui/news">b</a>
<a href="/lvshui/news/%E4%B8%83%E4%B8%80/">c</a> <a href="https://beian.miit.gov.cn/">d</a>
<a href="mailto:a@b.cn">e</a> <a href="#main">f</a> <a href="/">the unit's site</a>
<img srcset="/lvshui/media/img/ab-480.jpg 480w, /lvshui/media/img/ab-960.jpg 960w" src="/lvshui/media/img/ab-480.jpg" alt="">
<a href="../qi-yi/">relative</a>
</body></html>"##;
        assert_eq!(
            hrefs(&c, "news/qi-yi/index.html", page),
            Vec::<String>::new()
        );
    }

    #[test]
    fn broken_links_are_found_each_once_in_order() {
        let c = check(FILES, "https://example.org/lvshui/", false);
        let page = r##"<a href="/lvshui/news/missing/">a</a>
<img srcset="/lvshui/media/img/ab-480.jpg 480w, /lvshui/media/img/gone-960.jpg 960w" alt="">
<meta property="og:image" content="https://example.org/lvshui/media/img/gone.jpg">
<meta property="og:image:width" content="1200">
<video poster="/lvshui/media/img/poster.jpg"></video>
<a href="/news/qi-yi/">no base path</a> <a href="/lvshui/news/missing/">again</a>
<a href='../nothing.html'>single quotes</a>"##;
        let found = c.broken("news/qi-yi/index.html", page.as_bytes());
        let got: Vec<(&str, Broken)> = found.iter().map(|f| (f.href.as_str(), f.why)).collect();
        assert_eq!(
            got,
            [
                ("/lvshui/news/missing/", Broken::Missing),
                ("/lvshui/media/img/gone-960.jpg", Broken::Missing),
                (
                    "https://example.org/lvshui/media/img/gone.jpg",
                    Broken::Missing
                ),
                ("/lvshui/media/img/poster.jpg", Broken::Missing),
                ("/news/qi-yi/", Broken::NoBasePath),
                ("../nothing.html", Broken::Missing),
            ]
        );
    }

    #[test]
    fn scripts_comments_and_escaped_code_are_not_read() {
        let c = check(FILES, "https://example.org/", false);
        let page = r##"<script src="/assets/zhanting.css">var a = '<a href="/x/">';</script>
<!-- <a href="/old/"> -->
<pre><code>&lt;a href=&quot;/y/&quot;&gt; and data-src="/z/"</code></pre>
<p>text with href="/w/" outside any tag</p>"##;
        assert_eq!(hrefs(&c, "index.html", page), Vec::<String>::new());
        let page = r##"<script src="/gone.js"></script>"##;
        assert_eq!(hrefs(&c, "index.html", page), ["/gone.js"]);
    }

    #[test]
    fn offline_links_must_be_relative_and_name_files() {
        let c = check(FILES, "https://example.org/lvshui/", true);
        let page = r##"<a href="../../index.html">home</a> <a href="../index.html">news</a>
<a href="../../assets/zhanting.css">css</a> <a href="../">folder</a> <a href="/news/">root</a>
<a href="../../../outside.html">out</a>"##;
        let found = c.broken("news/qi-yi/index.html", page.as_bytes());
        let got: Vec<(&str, Broken)> = found.iter().map(|f| (f.href.as_str(), f.why)).collect();
        assert_eq!(
            got,
            [
                ("../", Broken::OfflineFolder),
                ("/news/", Broken::OfflineRoot),
                ("../../../outside.html", Broken::Missing),
            ]
        );
    }

    #[test]
    fn paginated_lists_are_their_lists() {
        assert_eq!(
            list_of("news/page/2/index.html").as_deref(),
            Some("news/index.html")
        );
        assert_eq!(list_of("page/3/index.html").as_deref(), Some("index.html"));
        assert_eq!(list_of("news/a/index.html"), None);
    }
}
