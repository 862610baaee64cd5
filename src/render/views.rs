//! What templates see: views borrowed from the model. What every page shows (the site,
//! the brand, the achievements, the theme's words) is serialized once per build into
//! [`Common`]; what lists show of each page, album and board is serialized once into a
//! [`Card`] and shared by every list that shows it.

use crate::cache::Memo;
use crate::config::{Language, SiteConfig};
use crate::model::{Asset, Brand, Page, Picture, Site};
use crate::urls::routes;
use minijinja::Value;
use serde::{Serialize, Serializer};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A view serialized once, shared by every page that shows it. It serializes as its
/// value and hashes as the fingerprint of the typed view it was made from, so a page
/// view holding cards has a key as cheap to compute as it is exact.
#[derive(Debug, Clone)]
pub struct Card {
    value: Value,
    key: u64,
}

impl Card {
    pub fn new<T: Serialize + Hash>(view: &T) -> Card {
        Card {
            value: Value::from_serialize(view),
            key: crate::cache::fingerprint(view),
        }
    }

    /// The fingerprint of the card's view.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// The card named `name` whose view is made from what `inputs` fingerprints: the
    /// one `memo` holds for the same inputs (the view is not even made), else a new
    /// one, kept.
    fn kept<T: Serialize + Hash>(
        name: &str,
        inputs: u64,
        memo: Option<&Memo<Card>>,
        view: impl FnOnce() -> T,
    ) -> Card {
        match memo {
            Some(memo) => memo.get_or_insert_with(name, inputs, || Card::new(&view())),
            None => Card::new(&view()),
        }
    }
}

/// Cards are the same when made from the same view.
impl PartialEq for Card {
    fn eq(&self, other: &Card) -> bool {
        self.key == other.key
    }
}

impl Serialize for Card {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl Hash for Card {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.key.hash(h);
    }
}

/// Trusted HTML (rendered Markdown): not escaped by templates. It hashes as the
/// fingerprint of its text, computed once when the Markdown was rendered.
#[derive(Debug, Clone, Copy)]
pub struct Html<'a> {
    html: &'a str,
    key: u64,
}

impl<'a> Html<'a> {
    pub fn new(html: &'a str) -> Html<'a> {
        Html {
            html,
            key: crate::cache::fingerprint(html),
        }
    }

    /// `html` whose fingerprint is `key`.
    pub fn keyed(html: &'a str, key: u64) -> Html<'a> {
        Html { html, key }
    }
}

impl Hash for Html<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.key.hash(h);
    }
}

impl Serialize for Html<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Value::from_safe_string(self.html.to_string()).serialize(s)
    }
}

#[derive(Serialize, Hash)]
pub struct SiteView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    description: Option<&'a str>,
    organization: Option<&'a str>,
    language: &'a str,
    logo: Option<String>,
    primary: &'a str,
    accent: &'a str,
    /// The theme colours for text on light backgrounds: darkened to WCAG AA (4.5:1).
    primary_text: String,
    accent_text: String,
    nav: Vec<NavView>,
    footer: FooterView<'a>,
    feed: bool,
    search: bool,
    has_brand: bool,
    has_achievements: bool,
    /// The committee's portal the site is built in.
    portal: Option<&'a crate::config::PortalLink>,
}

#[derive(Serialize, Hash)]
pub struct NavView {
    title: String,
    path: String,
}

#[derive(Serialize, Hash)]
pub struct FooterView<'a> {
    icp: Option<&'a str>,
    police: Option<&'a str>,
    /// The digits of the 公安备案 number, for the link to beian.mps.gov.cn.
    police_code: Option<String>,
    copyright: Option<&'a str>,
    contact: Option<&'a str>,
    address: Option<&'a str>,
}

/// A page as shown in lists.
#[derive(Serialize, Hash)]
pub struct PageView<'a> {
    title: &'a str,
    path: &'a str,
    date: Option<String>,
    date_iso: Option<String>,
    summary: &'a str,
    tags: Vec<LinkView<'a, String>>,
    pillar: Option<LinkView<'a>>,
    section: Option<LinkView<'a>>,
    cover: Option<&'a Picture>,
    /// The page's 微视频.
    video: Option<&'a crate::model::Video>,
    draft: bool,
}

#[derive(Serialize, Hash)]
struct LinkView<'a, P = &'a str> {
    name: &'a str,
    path: P,
}

#[derive(Serialize, Hash)]
pub struct BrandView<'a> {
    name: &'a str,
    slogan: Option<&'a str>,
    logo: Option<&'a Picture>,
    logo_meaning: Option<&'a str>,
    summary: Option<&'a str>,
    meaning: &'a str,
    story: &'a str,
    pillars: Vec<PillarView<'a>>,
}

#[derive(Serialize, Hash)]
pub struct PillarView<'a> {
    name: &'a str,
    key: &'a str,
    path: &'a str,
    motto: Option<&'a str>,
    summary: Option<&'a str>,
    body: &'a str,
    cover: Option<&'a Picture>,
    page_count: usize,
    number: usize,
}

#[derive(Serialize, Hash)]
pub struct AchievementsView<'a> {
    stats: Vec<StatView<'a>>,
    honors: Vec<HonorView<'a>>,
    milestones: Vec<MilestoneView<'a>>,
}

#[derive(Serialize, Hash)]
pub struct StatView<'a> {
    label: &'a str,
    value: &'a str,
    unit: Option<&'a str>,
    as_of: Option<String>,
    note: Option<&'a str>,
}

#[derive(Serialize, Hash)]
pub struct HonorView<'a> {
    title: &'a str,
    year: Option<i32>,
    issuer: Option<&'a str>,
    image: Option<&'a Picture>,
}

#[derive(Serialize, Hash)]
pub struct MilestoneView<'a> {
    date: String,
    date_iso: String,
    year: i32,
    title: &'a str,
    body: &'a str,
}

/// An album as the templates see it.
#[derive(Serialize, Hash)]
pub struct AlbumView<'a> {
    title: &'a str,
    path: String,
    date: Option<String>,
    date_iso: Option<String>,
    year: Option<i32>,
    location: Option<&'a str>,
    description: Option<&'a str>,
    count: usize,
    cover: Option<&'a Picture>,
    photos: Vec<PhotoView<'a>>,
}

#[derive(Serialize, Hash)]
struct PhotoView<'a> {
    /// The photo's sizes; a video's poster frame (none without ffmpeg).
    picture: Option<&'a Picture>,
    /// A video of the album (微视频), played in the lightbox.
    video: Option<&'a crate::model::Video>,
    caption: Option<&'a str>,
    /// The caption, or the album's title and the photo's number: never empty.
    alt: String,
}

pub fn album_view<'a>(site: &'a Site, a: &'a crate::model::Album) -> AlbumView<'a> {
    let zh = site.config.language == Language::ZhCn;
    // The videos first: they are what visitors look for.
    let photos: Vec<PhotoView> = a
        .videos
        .iter()
        .chain(&a.photos)
        .enumerate()
        .filter_map(|(i, p)| {
            let picture = site.media.pictures.get(&p.source);
            let video = site.media.videos.get(&p.source);
            if picture.is_none() && video.is_none() {
                return None;
            }
            let alt = match &p.caption {
                Some(c) => c.clone(),
                None if zh => format!("{}（第 {} 张）", a.title, i + 1),
                None => format!("{}, photo {}", a.title, i + 1),
            };
            Some(PhotoView {
                picture,
                video,
                caption: p.caption.as_deref(),
                alt,
            })
        })
        .collect();
    let cover = a
        .cover_source()
        .and_then(|c| site.media.pictures.get(&c))
        .or_else(|| photos.iter().find_map(|p| p.picture));
    AlbumView {
        title: &a.title,
        path: routes::album(&a.slug),
        date: a
            .date
            .map(|d| if zh { d.display_zh() } else { d.display() }),
        date_iso: a.date.map(|d| d.display()),
        year: a.date.map(|d| d.year()),
        location: a.location.as_deref(),
        description: a.description.as_deref(),
        count: photos.len(),
        cover,
        photos,
    }
}

#[derive(Serialize, Hash)]
pub struct BoardView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    path: String,
    slug: &'a str,
    pdf: String,
    png: String,
    /// Pixel size of the PNG preview.
    width: u32,
    height: u32,
    /// `900 × 1200 mm`.
    size: String,
    series: Option<String>,
    number: usize,
    blocks: Vec<BoardBlockView<'a>>,
    /// How it is printed (易拉宝 …).
    process: &'static str,
    /// A roll-up's strip that goes into the stand, mm.
    hidden: u32,
    qr: Option<BoardQrView<'a>>,
}

/// The board's QR code as the page shows it: the same code, as SVG.
#[derive(Serialize, Hash)]
struct BoardQrView<'a> {
    url: &'a str,
    label: &'a str,
    side: usize,
    path: String,
}

#[derive(Serialize, Hash)]
struct BoardBlockView<'a> {
    kind: &'static str,
    title: Option<&'a str>,
    /// The block's text, one line per entry.
    lines: Vec<&'a str>,
}

pub fn board_view(b: &crate::model::Board, number: usize) -> BoardView<'_> {
    let (w, h) = b.size;
    let (width, height) = b.preview_size();
    BoardView {
        title: &b.title,
        subtitle: b.subtitle.as_deref(),
        path: b.path.clone(),
        slug: &b.slug,
        pdf: routes::board_file(&b.slug, "pdf"),
        png: routes::board_file(&b.slug, "png"),
        width,
        height,
        size: format!("{} × {} mm", w.round(), h.round()),
        series: b
            .series
            .as_ref()
            .map(|s| format!("{} {}/{}", s.name, s.number, s.of)),
        number,
        process: b.process.label_zh(),
        hidden: b.hidden.round() as u32,
        qr: b.qr.as_ref().map(|q| BoardQrView {
            url: &q.url,
            label: &q.label,
            side: q.code.side(),
            path: q.code.path(),
        }),
        blocks: b
            .blocks
            .iter()
            .map(|bl| BoardBlockView {
                kind: bl.content.kind(),
                title: bl.title.as_deref(),
                lines: bl
                    .text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && Some(*l) != bl.title.as_deref())
                    .collect(),
            })
            .collect(),
    }
}

/// What every page shows, serialized once per build, with a key over it.
pub struct Common {
    pub site: Value,
    pub brand: Value,
    pub achievements: Value,
    pub ui: Value,
    /// A fingerprint of the typed views the values were made from.
    pub key: u64,
}

impl Common {
    pub fn new(site: &Site) -> Common {
        let lang = site.config.language;
        let site_view = site_view(site);
        let brand = site.brand.as_ref().map(|b| brand_view(site, b));
        let achievements = achievements_view(site);
        Common {
            key: crate::cache::fingerprint(&(&site_view, &brand, &achievements, lang.code())),
            site: Value::from_serialize(&site_view),
            brand: brand
                .as_ref()
                .map(Value::from_serialize)
                .unwrap_or(Value::from(())),
            achievements: Value::from_serialize(&achievements),
            ui: super::ui::strings(lang),
        }
    }
}

impl Common {
    /// What every page of a portal shows: its settings (with their own menu) and the
    /// statistics it sums up, as `achievements.stats`.
    pub fn of_portal(config: &SiteConfig, stats: &impl Serialize) -> Common {
        let lang = config.language;
        let site_view = config_view(config, false, false, Vec::new);
        let achievements = serde_json::json!({ "stats": stats, "honors": [], "milestones": [] });
        Common {
            key: crate::cache::fingerprint(&(&site_view, achievements.to_string(), lang.code())),
            site: Value::from_serialize(&site_view),
            brand: Value::from(()),
            achievements: Value::from_serialize(&achievements),
            ui: super::ui::strings(lang),
        }
    }
}

/// What lists show of each page, album and board, in the model's order.
#[derive(Clone)]
pub struct Cards {
    pub pages: Vec<Card>,
    pub albums: Vec<Card>,
    pub boards: Vec<Card>,
}

impl Cards {
    /// The cards of `site`; `memo` keeps the page cards of earlier builds (`serve`).
    pub fn new(site: &Site, memo: Option<&Memo<Card>>) -> Cards {
        use rayon::prelude::*;
        Cards {
            pages: site
                .pages
                .par_iter()
                .map(|p| Cards::page(site, p, memo))
                .collect(),
            ..Cards::others(site)
        }
    }

    /// The album and board cards of `site`, without page cards.
    pub fn others(site: &Site) -> Cards {
        Cards {
            pages: Vec::new(),
            albums: site.albums.iter().map(|a| album_card(site, a)).collect(),
            boards: site
                .boards
                .iter()
                .enumerate()
                .map(|(i, b)| Card::new(&board_view(b, i + 1)))
                .collect(),
        }
    }

    /// The card of page `p`, kept (`serve`) under a fingerprint of what its view reads:
    /// the page (whose id changes with it) and the parts of the site it shows.
    pub fn page(site: &Site, p: &Page, memo: Option<&Memo<Card>>) -> Card {
        let lang = site.config.language;
        let shown = PageParts::of(site, p);
        let inputs = crate::cache::fingerprint(&(p.id, lang.code(), &shown));
        Card::kept(&p.source, inputs, memo, || page_view_of(p, lang, shown))
    }

    pub fn pages<'a>(&'a self, indexes: &[usize]) -> Vec<&'a Card> {
        indexes.iter().map(|&i| &self.pages[i]).collect()
    }
}

/// Tags by slug, for the links of page cards.
pub fn tag_index(site: &Site) -> HashMap<&str, &crate::model::Tag> {
    site.tags.iter().map(|t| (t.slug.as_str(), t)).collect()
}

/// One album as lists and its own page show it.
pub fn album_card(site: &Site, a: &crate::model::Album) -> Card {
    Card::new(&album_view(site, a))
}

/// One pillar as its page shows it (the brand view holds the same, for the brand page).
pub fn pillar_view<'a>(site: &'a Site, p: &'a crate::model::Pillar, i: usize) -> PillarView<'a> {
    PillarView {
        name: &p.name,
        key: &p.key,
        path: &p.path,
        motto: p.motto.as_deref(),
        summary: p.summary.as_deref(),
        body: &p.body,
        cover: picture(site, &p.cover),
        page_count: p.pages.len(),
        number: i + 1,
    }
}

/// What a page's view shows of the site besides the page itself: its section, pillar,
/// cover picture and video. The view reads the site through this alone, so the key of a
/// kept card, made from it, cannot miss what the card shows.
#[derive(Hash)]
struct PageParts<'a> {
    section: Option<LinkView<'a>>,
    pillar: Option<LinkView<'a>>,
    cover: Option<&'a Picture>,
    video: Option<&'a crate::model::Video>,
}

impl<'a> PageParts<'a> {
    fn of(site: &'a Site, p: &Page) -> PageParts<'a> {
        PageParts {
            section: p.section.map(|i| LinkView {
                name: &site.sections[i].title,
                path: site.sections[i].path.as_str(),
            }),
            pillar: p.pillar.and_then(|i| {
                site.brand
                    .as_ref()
                    .and_then(|b| b.pillars.get(i))
                    .map(|pl| LinkView {
                        name: &pl.name,
                        path: pl.path.as_str(),
                    })
            }),
            cover: picture(site, &p.cover),
            video: site.media.page_videos.get(&*p.source),
        }
    }
}

pub fn page_view<'a>(site: &'a Site, p: &'a Page, lang: Language) -> PageView<'a> {
    page_view_of(p, lang, PageParts::of(site, p))
}

fn page_view_of<'a>(p: &'a Page, lang: Language, shown: PageParts<'a>) -> PageView<'a> {
    let PageParts {
        section,
        pillar,
        cover,
        video,
    } = shown;
    PageView {
        title: &p.title,
        path: &p.path,
        date: p.date.map(|d| match lang {
            Language::ZhCn => d.display_zh(),
            Language::En => d.display(),
        }),
        date_iso: p.date.map(|d| d.display()),
        summary: &p.summary,
        tags: p
            .tags
            .iter()
            .zip(&p.tag_slugs)
            .map(|(t, slug)| LinkView {
                name: t,
                path: routes::tag(slug),
            })
            .collect(),
        pillar,
        section,
        cover,
        video,
        draft: p.draft,
    }
}

/// The processed picture of an image asset.
fn picture<'a>(site: &'a Site, asset: &Option<Asset>) -> Option<&'a Picture> {
    asset
        .as_ref()
        .and_then(|a| site.media.pictures.get(&a.source))
}

fn site_view(site: &Site) -> SiteView<'_> {
    let mut view = config_view(
        &site.config,
        site.brand.is_some(),
        has_achievements(site),
        || default_nav(site),
    );
    view.logo = site_logo(site);
    view
}

/// Site path of the header's emblem: a picture outside `static/` is published processed
/// (never as the original), so the header shows its smallest size of at least 128 px
/// (64 px at twice the density), else its largest; any other file where it is copied.
fn site_logo(site: &Site) -> Option<String> {
    let source = site.config.logo.as_deref()?;
    let Some(picture) = site.media.pictures.get(source) else {
        return Some(crate::paths::published_path(source));
    };
    let variant = picture
        .variants
        .iter()
        .find(|v| v.width >= 128)
        .unwrap_or_else(|| picture.largest());
    Some(variant.fallback.clone())
}

/// What every page shows of the settings `c`; `default_nav` when they name no menu.
fn config_view(
    c: &SiteConfig,
    has_brand: bool,
    has_achievements: bool,
    default_nav: impl FnOnce() -> Vec<NavView>,
) -> SiteView<'_> {
    let nav = match &c.nav {
        Some(items) => items
            .iter()
            .map(|n| NavView {
                title: n.title.clone(),
                path: n.url.clone(),
            })
            .collect(),
        None => default_nav(),
    };
    SiteView {
        title: &c.title,
        subtitle: c.subtitle.as_deref(),
        description: c.description.as_deref(),
        organization: c.organization.as_deref(),
        language: c.language.code(),
        logo: c.logo.as_deref().map(crate::paths::published_path),
        primary: &c.theme.primary,
        accent: &c.theme.accent,
        primary_text: text_shade(&c.theme.primary),
        accent_text: text_shade(&c.theme.accent),
        nav,
        footer: FooterView {
            icp: c.footer.icp.as_deref(),
            police: c.footer.police.as_deref(),
            police_code: c
                .footer
                .police
                .as_deref()
                .map(|p| p.chars().filter(char::is_ascii_digit).collect()),
            copyright: c.footer.copyright.as_deref(),
            contact: c.footer.contact.as_deref(),
            address: c.footer.address.as_deref(),
        },
        feed: c.feed,
        search: c.search,
        has_brand,
        has_achievements,
        portal: c.portal.as_ref(),
    }
}

pub fn has_achievements(site: &Site) -> bool {
    let a = &site.achievements;
    !(a.stats.is_empty() && a.honors.is_empty() && a.milestones.is_empty())
}

/// Home, the brand, each section, achievements, then root pages such as About.
fn default_nav(site: &Site) -> Vec<NavView> {
    let zh = site.config.language == Language::ZhCn;
    let mut nav = vec![NavView {
        title: if zh { "首页" } else { "Home" }.into(),
        path: routes::HOME.into(),
    }];
    if let Some(b) = &site.brand {
        nav.push(NavView {
            title: if zh {
                "品牌介绍".into()
            } else {
                b.name.clone()
            },
            path: routes::BRAND.into(),
        });
    }
    for s in &site.sections {
        nav.push(NavView {
            title: s.title.clone(),
            path: s.path.clone(),
        });
    }
    if has_achievements(site) {
        nav.push(NavView {
            title: if zh { "品牌成效" } else { "Achievements" }.into(),
            path: routes::ACHIEVEMENTS.into(),
        });
    }
    for p in site.pages.iter().filter(|p| p.section.is_none()) {
        nav.push(NavView {
            title: p.title.clone(),
            path: p.path.to_string(),
        });
    }
    if !site.albums.is_empty() {
        nav.push(NavView {
            title: if zh { "活动相册" } else { "Photos" }.into(),
            path: routes::PHOTOS.into(),
        });
    }
    if !site.boards.is_empty() {
        nav.push(NavView {
            title: if zh { "展板" } else { "Boards" }.into(),
            path: routes::BOARDS.into(),
        });
    }
    if site.config.search {
        nav.push(NavView {
            title: if zh { "搜索" } else { "Search" }.into(),
            path: routes::SEARCH.into(),
        });
    }
    nav
}

pub fn brand_view<'a>(site: &'a Site, b: &'a Brand) -> BrandView<'a> {
    BrandView {
        name: &b.name,
        slogan: b.slogan.as_deref(),
        logo: picture(site, &b.logo),
        logo_meaning: b.logo_meaning.as_deref(),
        summary: b.summary.as_deref(),
        meaning: &b.meaning,
        story: &b.story,
        pillars: b
            .pillars
            .iter()
            .enumerate()
            .map(|(i, p)| pillar_view(site, p, i))
            .collect(),
    }
}

fn achievements_view(site: &Site) -> AchievementsView<'_> {
    let a = &site.achievements;
    let zh = site.config.language == Language::ZhCn;
    AchievementsView {
        stats: a
            .stats
            .iter()
            .map(|s| StatView {
                label: &s.label,
                value: &s.value,
                unit: s.unit.as_deref(),
                as_of: s
                    .as_of
                    .map(|d| if zh { d.display_zh() } else { d.display() }),
                note: s.note.as_deref(),
            })
            .collect(),
        honors: a
            .honors
            .iter()
            .map(|h| HonorView {
                title: &h.title,
                year: h.year,
                issuer: h.issuer.as_deref(),
                image: picture(site, &h.image),
            })
            .collect(),
        milestones: a
            .milestones
            .iter()
            .map(|m| MilestoneView {
                date: if zh {
                    m.date.display_zh()
                } else {
                    m.date.display()
                },
                date_iso: m.date.display(),
                year: m.date.year(),
                title: &m.title,
                body: &m.body,
            })
            .collect(),
    }
}

/// `colour` darkened until text of it on white meets WCAG AA (4.5:1).
fn text_shade(colour: &str) -> String {
    use crate::checks::{darkened_for, format_colour, parse_colour};
    parse_colour(colour).map_or_else(
        || colour.to_string(),
        |c| format_colour(darkened_for(c, [255, 255, 255], 4.5)),
    )
}
