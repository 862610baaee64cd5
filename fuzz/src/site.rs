//! A whole small site described by `arbitrary` values — site.yaml, brand, achievements,
//! sections and pages whose bodies link to each other and to pictures, albums with
//! photos, boards, the deck, the screen, checks.yaml, static files — and written out as
//! the files a person would write. Byte-level targets rarely get past the first YAML
//! error; from a description every file is well-formed unless the description says
//! otherwise (a value left unquoted, a date that does not exist, a photo that is cut
//! short), so loading goes as deep as a real site does.

use arbitrary::{Arbitrary, Result, Unstructured};
use std::fmt::Write;

/// Pieces text is made of: what Party branches write, and what trips YAML, Markdown,
/// slugs and the checks.
const WORDS: &[&str] = &[
    "党",
    "微党课",
    "五微一体",
    "主题党日",
    "七一",
    "社会主义核心价值观",
    "社会主意核心价值观",
    "13800138000",
    "110105194912310021",
    "6222020200112233445",
    "京ICP备12345678号",
    "：",
    ": ",
    " #",
    "#",
    "\"",
    "'",
    "“",
    "”",
    "，",
    ",",
    "{",
    "}",
    "[",
    "]",
    "- ",
    "* ",
    "|",
    ">",
    "&",
    "!",
    "%",
    "@",
    "`",
    "\\",
    "---",
    "\n",
    "\r\n",
    "\t",
    "  ",
    " ",
    "2024-07-01",
    "2024-02-30",
    "2024-07",
    "2024-07-01T09:00:00+08:00",
    "../",
    "/",
    ".md",
    "<b>",
    "</b>",
    "<script>",
    "&amp;",
    "a",
    "Zh",
    "0",
    "1,800",
    "-",
    "_",
    "𠀀",
    "䶮",
    "\u{200b}",
    "\u{feff}",
    "😀",
    "Ⅲ",
    "ａ",
    "yes",
    "null",
    "~",
    "*",
    "[^1]",
];

/// A text made of [`WORDS`] and any characters.
#[derive(Debug)]
pub struct Text(pub String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        words(u, WORDS, 12).map(Text)
    }
}

/// Up to `most` pieces, each one of `pool` (three times in four) or any character.
pub fn words(u: &mut Unstructured, pool: &[&str], most: u32) -> Result<String> {
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=most)? {
        if u.ratio(3, 4)? {
            s.push_str(u.choose(pool)?);
        } else {
            s.push(u.arbitrary()?);
        }
    }
    Ok(s)
}

/// Pieces of a template of the site's own `templates/`.
const TEMPLATE_WORDS: &[&str] = &[
    "{% extends \"base.html\" %}",
    "{% block content %}",
    "{% endblock %}",
    "{{ page.title }}",
    "{{ page.content | safe }}",
    "{{ site.title }}",
    "{% for p in pages %}",
    "{% endfor %}",
    "{% if page %}",
    "{% endif %}",
    "{% include \"partials/nav.html\" %}",
    "{{ nope.nothing }}",
    "{{ 1 / 0 }}",
    "{{",
    "}}",
    "{%",
    "%}",
    "<p>",
    "党",
    "\n",
];

/// The text of a template.
#[derive(Debug)]
pub struct Template(pub String);

impl<'a> Arbitrary<'a> for Template {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut s = String::new();
        for _ in 0..u.int_in_range(0..=16)? {
            if u.ratio(4, 5)? {
                s.push_str(u.choose(TEMPLATE_WORDS)?);
            } else {
                s.push(u.arbitrary()?);
            }
        }
        Ok(Template(s))
    }
}

const TEMPLATES: &[&str] = &[
    "page.html",
    "section.html",
    "index.html",
    "base.html",
    "tag.html",
    "album.html",
    "brand.html",
    "404.html",
    "custom.html",
];

/// A YAML value: how it is written is part of the description.
#[derive(Debug, Arbitrary)]
pub enum Scalar {
    /// As typed, unquoted: may well break the file, as it does for people.
    Plain(Text),
    /// Double-quoted (JSON's escapes are YAML's).
    Quoted(Text),
    /// Single-quoted.
    Single(Text),
    /// A literal block (`|`).
    Block(Text),
}

impl Scalar {
    fn yaml(&self, indent: usize) -> String {
        match self {
            Scalar::Plain(t) => t.0.replace(['\n', '\r'], " "),
            Scalar::Quoted(t) => serde_json::to_string(&t.0).expect("a string"),
            Scalar::Single(t) => format!("'{}'", t.0.replace('\'', "''").replace('\n', " ")),
            Scalar::Block(t) => {
                let pad = " ".repeat(indent + 2);
                let mut out = String::from("|");
                for line in t.0.lines() {
                    let _ = write!(out, "\n{pad}{line}");
                }
                if t.0.lines().next().is_none() {
                    let _ = write!(out, "\n{pad}");
                }
                out
            }
        }
    }

    fn text(&self) -> &str {
        match self {
            Scalar::Plain(t) | Scalar::Quoted(t) | Scalar::Single(t) | Scalar::Block(t) => &t.0,
        }
    }
}

/// A file or folder name: a usual one, or any text that can be a name.
#[derive(Debug)]
pub struct Name(pub String);

const NAMES: &[&str] = &[
    "news",
    "lectures",
    "七一主题党日",
    "index",
    "_index",
    "a b",
    "A",
    "x.y",
    "-",
    "中文 名",
    ".hidden",
    "about",
    "brand",
    "search",
    "tags",
    "photos",
    "page",
    "2024-qiyi",
];

impl<'a> Arbitrary<'a> for Name {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(3, 4)? {
            return Ok(Name(u.choose(NAMES)?.to_string()));
        }
        let Text(t) = u.arbitrary()?;
        let name: String = t
            .chars()
            .filter(|c| !matches!(c, '/' | '\\' | '\0' | '\n' | '\r'))
            .take(40)
            .collect();
        Ok(Name(match name.as_str() {
            "" | "." | ".." => "x".to_string(),
            _ => name,
        }))
    }
}

/// One of a list by number, when the list has any: a reference another part names.
#[derive(Debug, Arbitrary, Clone, Copy)]
pub struct Pick(u8);

impl Pick {
    fn of<T>(self, items: &[T]) -> Option<&T> {
        (!items.is_empty()).then(|| &items[self.0 as usize % items.len()])
    }
}

#[derive(Debug, Arbitrary)]
pub struct Description {
    title: Scalar,
    unicode_slugs: bool,
    english: bool,
    paginate_by: Option<u8>,
    widths: Option<Vec<u16>>,
    webp: bool,
    nav: Vec<(Scalar, Link)>,
    footer: Option<(Scalar, Option<Scalar>)>,
    theme: Option<(Scalar, Scalar)>,
    brand: Option<BrandDesc>,
    achievements: Option<AchievementsDesc>,
    sections: Vec<SectionDesc>,
    root_pages: Vec<PageDesc>,
    albums: Vec<AlbumDesc>,
    boards: Vec<BoardDesc>,
    deck: Option<Vec<SlideDesc>>,
    screen: Option<(u8, Option<Vec<u8>>)>,
    checks: Option<(Vec<Scalar>, Vec<Scalar>, Vec<u8>)>,
    statics: Vec<(Name, Picture)>,
    /// A template of the site's own.
    template: Option<(Pick, Template)>,
    /// Any other file, as typed: a path and its text.
    stray: Option<(Text, Text)>,
}

#[derive(Debug, Arbitrary)]
pub enum Link {
    Site(Scalar),
    Page(Pick),
    External,
}

#[derive(Debug, Arbitrary)]
pub struct BrandDesc {
    name: Scalar,
    slogan: Option<Scalar>,
    logo: Option<Pick>,
    meaning: Option<Vec<Part>>,
    pillars: Vec<(Scalar, Option<Scalar>, Option<Vec<Part>>, Option<Pick>)>,
}

#[derive(Debug, Arbitrary)]
pub struct AchievementsDesc {
    stats: Vec<(Scalar, Value, Option<Scalar>, Option<Scalar>)>,
    honors: Vec<(Scalar, Value, Option<Pick>)>,
    milestones: Vec<(Scalar, Scalar, Option<Scalar>)>,
}

/// A number as people write it: a number, quoted text, or anything.
#[derive(Debug, Arbitrary)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(Scalar),
}

impl Value {
    fn yaml(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f:?}"),
            Value::Text(s) => s.yaml(4),
        }
    }
}

#[derive(Debug, Arbitrary)]
pub struct SectionDesc {
    name: Name,
    index: Option<(Option<Scalar>, u8, Option<u8>, i8, Vec<Part>)>,
    pages: Vec<PageDesc>,
}

#[derive(Debug, Arbitrary)]
pub struct PageDesc {
    name: Name,
    /// A page in a folder of its own (`NAME/index.md`).
    bundle: bool,
    title: Scalar,
    date: Option<Scalar>,
    summary: Option<Scalar>,
    tags: Vec<Scalar>,
    pillar: Option<Pick>,
    cover: Option<Pick>,
    album: Option<Pick>,
    draft: bool,
    slug: Option<Scalar>,
    weight: Option<i8>,
    template: Option<Pick>,
    /// A key no page has.
    unknown: bool,
    /// No front matter at all.
    bare: bool,
    body: Vec<Part>,
}

/// A piece of Markdown.
#[derive(Debug, Arbitrary)]
pub enum Part {
    Text(Text),
    Heading(u8, Text),
    PageLink(Pick, Option<Text>),
    BrokenLink(Text),
    Image(Pick, Text),
    SiteLink(Text),
    List(Vec<Text>),
    Table(Vec<Vec<Text>>),
    Code(Text),
    Html(Text),
    Footnote(Text),
}

#[derive(Debug, Arbitrary)]
pub struct AlbumDesc {
    name: Name,
    /// No album.yaml: the folder is skipped with a warning.
    bare: bool,
    title: Scalar,
    date: Option<Scalar>,
    cover: Option<Pick>,
    photos: Vec<(Name, Picture, Option<Option<Scalar>>)>,
    /// A listed photo that is not there.
    missing: Option<Name>,
}

/// A picture file: one of the fixtures' small photos, cut short or not, or any bytes.
#[derive(Debug, Arbitrary)]
pub enum Picture {
    Photo(u8, Option<u16>),
    Bytes(Vec<u8>),
}

/// Small pictures of every kind the fixtures hold: PNG, alpha, 16-bit, gray, CMYK,
/// progressive, EXIF-rotated JPEG, WebP.
const PHOTOS: &[(&str, &[u8])] = &[
    (
        "png",
        include_bytes!("../../tests/fixtures/basic/albums/trip/a.png"),
    ),
    (
        "png",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/alpha.png"),
    ),
    (
        "png",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/deep16.png"),
    ),
    (
        "jpg",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/gray.jpg"),
    ),
    (
        "jpg",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/cmyk.jpg"),
    ),
    (
        "jpg",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/progressive.jpg"),
    ),
    (
        "jpg",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/orient-6.jpg"),
    ),
    (
        "webp",
        include_bytes!("../../tests/fixtures/photos/albums/mixed/input.webp"),
    ),
];

impl Picture {
    /// The file's extension and bytes.
    fn file(&self) -> (&'static str, Vec<u8>) {
        match self {
            Picture::Photo(i, cut) => {
                let (ext, bytes) = PHOTOS[*i as usize % PHOTOS.len()];
                let len = cut.map_or(bytes.len(), |c| c as usize % (bytes.len() + 1));
                (ext, bytes[..len].to_vec())
            }
            Picture::Bytes(b) => ("jpg", b.clone()),
        }
    }
}

#[derive(Debug, Arbitrary)]
pub struct BoardDesc {
    name: Name,
    title: Scalar,
    size: Option<Scalar>,
    layout: Option<Scalar>,
    theme: Option<Scalar>,
    qr: Option<Option<Scalar>>,
    series: Option<(Scalar, u8, u8)>,
    blocks: Vec<BlockDesc>,
}

#[derive(Debug, Arbitrary)]
pub enum BlockDesc {
    Text(Option<Scalar>, Option<Scalar>, Vec<Part>),
    Stats(Option<Scalar>, Vec<(Scalar, Value)>),
    Photos(Pick, Option<Vec<Pick>>),
    Timeline(Option<Scalar>, Vec<(Value, Scalar)>),
    Pillars,
    Quote(Scalar, Option<Scalar>),
    /// A type no block has, with any key.
    Unknown(Scalar, Scalar),
}

#[derive(Debug, Arbitrary)]
pub enum SlideDesc {
    Cover,
    Meaning,
    Pillars,
    Pillar(Scalar),
    Results,
    Milestones,
    Photos(Option<Vec<Pick>>),
    Text(Scalar, Vec<Part>, Option<Scalar>),
    Closing,
    Unknown(Scalar),
}

const SCREEN_SLIDES: &[&str] = &[
    "brand",
    "pillars",
    "stats",
    "honors",
    "milestones",
    "reports",
    "photos",
    "boards",
    "nope",
];

/// Where each page's Markdown file is, decided before any is written so that links
/// between them can be made.
struct Layout {
    pages: Vec<String>,
    pictures: Vec<String>,
    albums: Vec<String>,
    pillars: Vec<String>,
}

impl Description {
    /// The files of the site: path and bytes.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut pictures = Vec::new();
        for (name, picture) in self.statics.iter().take(4) {
            let (ext, bytes) = picture.file();
            let rel = format!("static/{}.{ext}", name.0);
            pictures.push(rel.clone());
            files.push((rel, bytes));
        }
        let mut albums = Vec::new();
        for album in self.albums.iter().take(3) {
            albums.push(album.name.0.clone());
            for (name, picture, _) in album.photos.iter().take(4) {
                let (ext, bytes) = picture.file();
                let rel = format!("albums/{}/{}.{ext}", album.name.0, name.0);
                pictures.push(rel.clone());
                files.push((rel, bytes));
            }
        }
        let page_path = |section: Option<&str>, p: &PageDesc| {
            let dir = section.map_or("content".to_string(), |s| format!("content/{s}"));
            if p.bundle {
                format!("{dir}/{}/index.md", p.name.0)
            } else {
                format!("{dir}/{}.md", p.name.0)
            }
        };
        let mut pages = Vec::new();
        for s in self.sections.iter().take(3) {
            for p in s.pages.iter().take(5) {
                pages.push(page_path(Some(&s.name.0), p));
            }
        }
        for p in self.root_pages.iter().take(3) {
            pages.push(page_path(None, p));
        }
        let pillars = self.brand.as_ref().map_or(Vec::new(), |b| {
            b.pillars
                .iter()
                .take(6)
                .map(|p| p.0.text().to_string())
                .collect()
        });
        let layout = Layout {
            pages,
            pictures,
            albums,
            pillars,
        };
        files.push(("site.yaml".into(), self.site_yaml(&layout).into_bytes()));
        if let Some(b) = &self.brand {
            files.push(("brand.yaml".into(), b.yaml(&layout).into_bytes()));
        }
        if let Some(a) = &self.achievements {
            files.push(("achievements.yaml".into(), a.yaml(&layout).into_bytes()));
        }
        let mut n = 0;
        for s in self.sections.iter().take(3) {
            if let Some((title, sort, paginate, weight, body)) = &s.index {
                let mut t = String::from("---\n");
                if let Some(title) = title {
                    let _ = writeln!(t, "title: {}", title.yaml(0));
                }
                let sort = ["date", "weight", "title", "size"][*sort as usize % 4];
                let _ = writeln!(t, "sort_by: {sort}\nweight: {weight}");
                if let Some(p) = paginate {
                    let _ = writeln!(t, "paginate_by: {p}");
                }
                t.push_str("---\n");
                let here = format!("content/{}/_index.md", s.name.0);
                markdown(&mut t, body, &here, &layout);
                files.push((here, t.into_bytes()));
            }
            for p in s.pages.iter().take(5) {
                let rel = layout.pages[n].clone();
                n += 1;
                files.push((rel.clone(), p.markdown(&rel, &layout).into_bytes()));
            }
        }
        for p in self.root_pages.iter().take(3) {
            let rel = layout.pages[n].clone();
            n += 1;
            files.push((rel.clone(), p.markdown(&rel, &layout).into_bytes()));
        }
        for album in self.albums.iter().take(3) {
            if !album.bare {
                let rel = format!("albums/{}/album.yaml", album.name.0);
                files.push((rel, album.yaml().into_bytes()));
            }
        }
        for board in self.boards.iter().take(3) {
            let rel = format!("boards/{}.yaml", board.name.0);
            files.push((rel, board.yaml(&layout).into_bytes()));
        }
        if let Some(slides) = &self.deck {
            files.push(("deck.yaml".into(), deck_yaml(slides, &layout).into_bytes()));
        }
        if let Some((seconds, slides)) = &self.screen {
            let mut t = format!("seconds: {seconds}\n");
            if let Some(slides) = slides {
                t.push_str("slides:\n");
                for s in slides.iter().take(10) {
                    let _ = writeln!(t, "  - {}", Pick(*s).of(SCREEN_SLIDES).unwrap());
                }
            }
            files.push(("screen.yaml".into(), t.into_bytes()));
        }
        if let Some((terms, allow, off)) = &self.checks {
            let mut t = String::from("checks:\n  terms:\n");
            for term in terms.iter().take(5) {
                let _ = writeln!(t, "    - {}", term.yaml(4));
            }
            t.push_str("  allow:\n");
            for a in allow.iter().take(5) {
                let _ = writeln!(t, "    - {}", a.yaml(4));
            }
            let rules = [
                "terms",
                "id-card",
                "mobile",
                "bank-card",
                "icp",
                "police",
                "brand",
                "alt",
                "headings",
                "contrast",
                "spelling",
            ];
            let off: Vec<&str> = off
                .iter()
                .take(4)
                .filter_map(|r| Pick(*r).of(&rules))
                .copied()
                .collect();
            let _ = writeln!(t, "  off: [{}]", off.join(", "));
            files.push(("checks.yaml".into(), t.into_bytes()));
        }
        if let Some((name, text)) = &self.template {
            let name = name.of(TEMPLATES).unwrap();
            files.push((format!("templates/{name}"), text.0.clone().into_bytes()));
        }
        if let Some((path, text)) = &self.stray {
            let path: String = path.0.chars().filter(|c| *c != '\0').collect();
            let path = path.trim_start_matches(['/', '.']);
            if !path.is_empty() && !path.contains("..") {
                files.push((path.to_string(), text.0.clone().into_bytes()));
            }
        }
        files
    }

    fn site_yaml(&self, layout: &Layout) -> String {
        let mut t = format!("title: {}\n", self.title.yaml(0));
        if self.unicode_slugs {
            t.push_str("slugs: unicode\n");
        }
        if self.english {
            t.push_str("language: en\n");
        }
        if let Some(p) = self.paginate_by {
            let _ = writeln!(t, "paginate_by: {p}");
        }
        if let Some(widths) = &self.widths {
            let widths: Vec<String> = widths
                .iter()
                .take(4)
                .map(|w| (w % 2400).to_string())
                .collect();
            let formats = if self.webp { "[webp, jpeg]" } else { "[jpeg]" };
            let _ = writeln!(
                t,
                "images: {{ widths: [{}], formats: {formats} }}",
                widths.join(", ")
            );
        }
        if let Some((primary, accent)) = &self.theme {
            let _ = writeln!(
                t,
                "theme:\n  primary: {}\n  accent: {}",
                primary.yaml(2),
                accent.yaml(2)
            );
        }
        if let Some((icp, police)) = &self.footer {
            let _ = writeln!(t, "footer:\n  icp: {}", icp.yaml(2));
            if let Some(p) = police {
                let _ = writeln!(t, "  police: {}", p.yaml(2));
            }
        }
        if !self.nav.is_empty() {
            t.push_str("nav:\n");
            for (title, link) in self.nav.iter().take(4) {
                let url = match link {
                    Link::Site(s) => s.yaml(4),
                    Link::Page(p) => p.of(&layout.pages).map_or("/".to_string(), |p| {
                        format!("/{}", p.trim_start_matches("content/"))
                    }),
                    Link::External => "https://www.12371.cn/".into(),
                };
                let _ = writeln!(t, "  - title: {}\n    url: {url}", title.yaml(4));
            }
        }
        t
    }
}

impl BrandDesc {
    fn yaml(&self, layout: &Layout) -> String {
        let mut t = format!("name: {}\n", self.name.yaml(0));
        if let Some(s) = &self.slogan {
            let _ = writeln!(t, "slogan: {}", s.yaml(0));
        }
        if let Some(p) = self.logo.and_then(|p| p.of(&layout.pictures)) {
            let _ = writeln!(t, "logo: {p}");
        }
        if let Some(m) = &self.meaning {
            t.push_str("meaning: |\n");
            let mut md = String::new();
            markdown(&mut md, m, "brand.yaml", layout);
            for line in md.lines() {
                let _ = writeln!(t, "  {line}");
            }
        }
        if !self.pillars.is_empty() {
            t.push_str("pillars:\n");
        }
        for (name, key, body, cover) in self.pillars.iter().take(6) {
            let _ = writeln!(t, "  - name: {}", name.yaml(4));
            if let Some(k) = key {
                let _ = writeln!(t, "    key: {}", k.yaml(4));
            }
            if let Some(body) = body {
                t.push_str("    body: |\n");
                let mut md = String::new();
                markdown(&mut md, body, "brand.yaml", layout);
                for line in md.lines() {
                    let _ = writeln!(t, "      {line}");
                }
            }
            if let Some(p) = cover.and_then(|p| p.of(&layout.pictures)) {
                let _ = writeln!(t, "    cover: {p}");
            }
        }
        t
    }
}

impl AchievementsDesc {
    fn yaml(&self, layout: &Layout) -> String {
        let mut t = String::from("stats:\n");
        for (label, value, unit, as_of) in self.stats.iter().take(4) {
            let _ = writeln!(
                t,
                "  - label: {}\n    value: {}",
                label.yaml(4),
                value.yaml()
            );
            if let Some(u) = unit {
                let _ = writeln!(t, "    unit: {}", u.yaml(4));
            }
            if let Some(a) = as_of {
                let _ = writeln!(t, "    as_of: {}", a.yaml(4));
            }
        }
        t.push_str("honors:\n");
        for (title, year, image) in self.honors.iter().take(3) {
            let _ = writeln!(t, "  - title: {}\n    year: {}", title.yaml(4), year.yaml());
            if let Some(p) = image.and_then(|p| p.of(&layout.pictures)) {
                let _ = writeln!(t, "    image: {p}");
            }
        }
        t.push_str("milestones:\n");
        for (date, title, body) in self.milestones.iter().take(4) {
            let _ = writeln!(
                t,
                "  - date: {}\n    title: {}",
                date.yaml(4),
                title.yaml(4)
            );
            if let Some(b) = body {
                let _ = writeln!(t, "    body: {}", b.yaml(4));
            }
        }
        t
    }
}

impl PageDesc {
    fn markdown(&self, rel: &str, layout: &Layout) -> String {
        let mut t = String::new();
        if !self.bare {
            let _ = writeln!(t, "---\ntitle: {}", self.title.yaml(0));
            if let Some(d) = &self.date {
                let _ = writeln!(t, "date: {}", d.yaml(0));
            }
            if let Some(s) = &self.summary {
                let _ = writeln!(t, "summary: {}", s.yaml(0));
            }
            if !self.tags.is_empty() {
                let tags: Vec<String> = self.tags.iter().take(4).map(|s| s.yaml(2)).collect();
                let _ = writeln!(t, "tags: [{}]", tags.join(", "));
            }
            if let Some(p) = self.pillar.and_then(|p| p.of(&layout.pillars)) {
                let _ = writeln!(t, "pillar: {}", serde_json::to_string(p).unwrap());
            }
            if let Some(p) = self.cover.and_then(|p| p.of(&layout.pictures)) {
                let _ = writeln!(t, "cover: {}", relative(rel, p));
            }
            if let Some(a) = self.album.and_then(|a| a.of(&layout.albums)) {
                let _ = writeln!(t, "album: {}", serde_json::to_string(a).unwrap());
            }
            if self.draft {
                t.push_str("draft: true\n");
            }
            if let Some(s) = &self.slug {
                let _ = writeln!(t, "slug: {}", s.yaml(0));
            }
            if let Some(w) = self.weight {
                let _ = writeln!(t, "weight: {w}");
            }
            if let Some(name) = self.template.and_then(|p| p.of(TEMPLATES)) {
                let _ = writeln!(t, "template: {name}");
            }
            if self.unknown {
                t.push_str("titel: 拼错了\n");
            }
            t.push_str("---\n");
        }
        markdown(&mut t, &self.body, rel, layout);
        t
    }
}

/// `target` (site-relative) as a link from the file `from`.
fn relative(from: &str, target: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{target}", "../".repeat(depth))
}

fn markdown(t: &mut String, parts: &[Part], rel: &str, layout: &Layout) {
    for part in parts.iter().take(12) {
        match part {
            Part::Text(x) => t.push_str(&x.0),
            Part::Heading(level, x) => {
                let _ = write!(t, "\n{} {}\n", "#".repeat(*level as usize % 7 + 1), x.0);
            }
            Part::PageLink(p, anchor) => {
                if let Some(target) = p.of(&layout.pages) {
                    let anchor = anchor
                        .as_ref()
                        .map_or(String::new(), |a| format!("#{}", a.0));
                    let _ = write!(t, "[见]({}{anchor})", relative(rel, target));
                }
            }
            Part::BrokenLink(x) => {
                let _ = write!(t, "[链接]({})", x.0);
            }
            Part::Image(p, alt) => {
                if let Some(target) = p.of(&layout.pictures) {
                    let _ = write!(t, "![{}]({})", alt.0, relative(rel, target));
                }
            }
            Part::SiteLink(x) => {
                let _ = write!(t, "[站内](/{})", x.0);
            }
            Part::List(items) => {
                for i in items.iter().take(5) {
                    let _ = write!(t, "\n- {}", i.0);
                }
                t.push('\n');
            }
            Part::Table(rows) => {
                for (i, row) in rows.iter().take(4).enumerate() {
                    let cells: Vec<&str> = row.iter().take(4).map(|c| c.0.as_str()).collect();
                    let _ = write!(t, "\n| {} |", cells.join(" | "));
                    if i == 0 {
                        let _ = write!(t, "\n|{}", " --- |".repeat(cells.len().max(1)));
                    }
                }
                t.push('\n');
            }
            Part::Code(x) => {
                let _ = write!(t, "\n```\n{}\n```\n", x.0);
            }
            Part::Html(x) => {
                let _ = write!(t, "<div>{}</div>", x.0);
            }
            Part::Footnote(x) => {
                let _ = write!(t, "[^1]\n\n[^1]: {}\n", x.0);
            }
        }
        t.push('\n');
    }
}

impl AlbumDesc {
    fn yaml(&self) -> String {
        let mut t = format!("title: {}\n", self.title.yaml(0));
        if let Some(d) = &self.date {
            let _ = writeln!(t, "date: {}", d.yaml(0));
        }
        let files: Vec<String> = self
            .photos
            .iter()
            .take(4)
            .map(|(name, picture, _)| format!("{}.{}", name.0, picture.file().0))
            .collect();
        if let Some(c) = self.cover.and_then(|c| c.of(&files)) {
            let _ = writeln!(t, "cover: {}", serde_json::to_string(c).unwrap());
        }
        t.push_str("photos:\n");
        for ((_, _, caption), file) in self.photos.iter().take(4).zip(&files) {
            let Some(caption) = caption else { continue };
            let _ = writeln!(t, "  - file: {}", serde_json::to_string(file).unwrap());
            if let Some(c) = caption {
                let _ = writeln!(t, "    caption: {}", c.yaml(4));
            }
        }
        if let Some(m) = &self.missing {
            let _ = writeln!(t, "  - file: {}", serde_json::to_string(&m.0).unwrap());
        }
        t
    }
}

impl BoardDesc {
    fn yaml(&self, layout: &Layout) -> String {
        let mut t = format!("title: {}\n", self.title.yaml(0));
        for (key, value) in [
            ("size", &self.size),
            ("layout", &self.layout),
            ("theme", &self.theme),
        ] {
            if let Some(v) = value {
                let _ = writeln!(t, "{key}: {}", v.yaml(0));
            }
        }
        match &self.qr {
            Some(Some(to)) => {
                let _ = writeln!(t, "qr: {}", to.yaml(0));
            }
            Some(None) => t.push_str("qr: false\n"),
            None => {}
        }
        if let Some((name, number, of)) = &self.series {
            let _ = writeln!(
                t,
                "series: {{ name: {}, number: {number}, of: {of} }}",
                name.yaml(0)
            );
        }
        t.push_str("blocks:\n");
        for block in self.blocks.iter().take(6) {
            match block {
                BlockDesc::Text(title, width, body) => {
                    t.push_str("  - type: text\n");
                    if let Some(x) = title {
                        let _ = writeln!(t, "    title: {}", x.yaml(4));
                    }
                    if let Some(w) = width {
                        let _ = writeln!(t, "    width: {}", w.yaml(4));
                    }
                    let mut md = String::new();
                    markdown(&mut md, body, "boards", layout);
                    t.push_str("    body: |\n");
                    for line in md.lines() {
                        let _ = writeln!(t, "      {line}");
                    }
                }
                BlockDesc::Stats(from, items) => {
                    t.push_str("  - type: stats\n");
                    if let Some(f) = from {
                        let _ = writeln!(t, "    from: {}", f.yaml(4));
                    }
                    if !items.is_empty() {
                        t.push_str("    items:\n");
                    }
                    for (label, value) in items.iter().take(4) {
                        let _ = writeln!(
                            t,
                            "      - {{ label: {}, value: {} }}",
                            label.yaml(8),
                            value.yaml()
                        );
                    }
                }
                BlockDesc::Photos(album, pick) => {
                    t.push_str("  - type: photos\n");
                    if let Some(a) = album.of(&layout.albums) {
                        let _ = writeln!(t, "    album: {}", serde_json::to_string(a).unwrap());
                    }
                    if let Some(pick) = pick {
                        let names: Vec<String> = pick
                            .iter()
                            .take(4)
                            .filter_map(|p| p.of(&layout.pictures))
                            .map(|p| serde_json::to_string(p.rsplit('/').next().unwrap()).unwrap())
                            .collect();
                        let _ = writeln!(t, "    pick: [{}]", names.join(", "));
                    }
                }
                BlockDesc::Timeline(from, items) => {
                    t.push_str("  - type: timeline\n");
                    if let Some(f) = from {
                        let _ = writeln!(t, "    from: {}", f.yaml(4));
                    }
                    if !items.is_empty() {
                        t.push_str("    items:\n");
                    }
                    for (date, title) in items.iter().take(4) {
                        let _ = writeln!(
                            t,
                            "      - {{ date: {}, title: {} }}",
                            date.yaml(),
                            title.yaml(8)
                        );
                    }
                }
                BlockDesc::Pillars => t.push_str("  - type: pillars\n"),
                BlockDesc::Quote(text, source) => {
                    let _ = writeln!(t, "  - type: quote\n    text: {}", text.yaml(4));
                    if let Some(s) = source {
                        let _ = writeln!(t, "    source: {}", s.yaml(4));
                    }
                }
                BlockDesc::Unknown(kind, value) => {
                    let _ = writeln!(
                        t,
                        "  - type: {}\n    colour: {}",
                        kind.yaml(4),
                        value.yaml(4)
                    );
                }
            }
        }
        t
    }
}

fn deck_yaml(slides: &[SlideDesc], layout: &Layout) -> String {
    let mut t = String::from("slides:\n");
    for s in slides.iter().take(10) {
        match s {
            SlideDesc::Cover => t.push_str("  - type: cover\n"),
            SlideDesc::Meaning => t.push_str("  - type: meaning\n"),
            SlideDesc::Pillars => t.push_str("  - type: pillars\n"),
            SlideDesc::Pillar(p) => {
                let _ = writeln!(t, "  - type: pillar\n    pillar: {}", p.yaml(4));
            }
            SlideDesc::Results => t.push_str("  - type: results\n"),
            SlideDesc::Milestones => t.push_str("  - type: milestones\n"),
            SlideDesc::Photos(albums) => {
                t.push_str("  - type: photos\n");
                if let Some(albums) = albums {
                    let names: Vec<String> = albums
                        .iter()
                        .take(3)
                        .filter_map(|a| a.of(&layout.albums))
                        .map(|a| serde_json::to_string(a).unwrap())
                        .collect();
                    let _ = writeln!(t, "    albums: [{}]", names.join(", "));
                }
            }
            SlideDesc::Text(title, body, notes) => {
                let _ = writeln!(t, "  - type: text\n    title: {}", title.yaml(4));
                let mut md = String::new();
                markdown(&mut md, body, "deck.yaml", layout);
                t.push_str("    body: |\n");
                for line in md.lines() {
                    let _ = writeln!(t, "      {line}");
                }
                if let Some(n) = notes {
                    let _ = writeln!(t, "    notes: {}", n.yaml(4));
                }
            }
            SlideDesc::Closing => t.push_str("  - type: closing\n"),
            SlideDesc::Unknown(kind) => {
                let _ = writeln!(t, "  - type: {}", kind.yaml(4));
            }
        }
    }
    t
}
