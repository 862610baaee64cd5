//! HTML pages: the views templates see (borrowed from the model, serialized once and
//! shared) and the list of pages to render.

use crate::config::{Language, SiteConfig};
use crate::images::Picture;
use crate::model::{Asset, Brand, Page, Site};
use minijinja::Value;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    description: Option<&'a str>,
    organization: Option<&'a str>,
    language: &'a str,
    logo: Option<String>,
    primary: &'a str,
    accent: &'a str,
    nav: Vec<NavView>,
    footer: FooterView<'a>,
    feed: bool,
    search: bool,
    has_brand: bool,
    has_achievements: bool,
}

#[derive(Serialize)]
struct NavView {
    title: String,
    path: String,
}

#[derive(Serialize)]
struct FooterView<'a> {
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
struct PageView<'a> {
    title: &'a str,
    path: &'a str,
    date: Option<String>,
    date_iso: Option<String>,
    summary: &'a str,
    tags: Vec<LinkView<'a>>,
    pillar: Option<LinkView<'a>>,
    section: Option<LinkView<'a>>,
    cover: Option<&'a Picture>,
    draft: bool,
}

#[derive(Serialize, Hash)]
struct LinkView<'a> {
    name: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct BrandView<'a> {
    name: &'a str,
    slogan: Option<&'a str>,
    logo: Option<&'a Picture>,
    logo_meaning: Option<&'a str>,
    summary: Option<&'a str>,
    meaning: &'a str,
    story: &'a str,
    pillars: Vec<PillarView<'a>>,
}

#[derive(Serialize)]
struct PillarView<'a> {
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

#[derive(Serialize)]
struct AchievementsView<'a> {
    stats: Vec<StatView<'a>>,
    honors: Vec<HonorView<'a>>,
    milestones: Vec<MilestoneView<'a>>,
}

#[derive(Serialize)]
struct StatView<'a> {
    label: &'a str,
    value: &'a str,
    unit: Option<&'a str>,
    as_of: Option<String>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct HonorView<'a> {
    title: &'a str,
    year: Option<i32>,
    issuer: Option<&'a str>,
    image: Option<&'a Picture>,
}

#[derive(Serialize)]
struct MilestoneView<'a> {
    date: String,
    date_iso: String,
    year: i32,
    title: &'a str,
    body: &'a str,
}

/// An album as the templates see it.
#[derive(Serialize, Hash)]
struct AlbumView<'a> {
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
    picture: &'a Picture,
    caption: Option<&'a str>,
    /// The caption, or the album's title and the photo's number: never empty.
    alt: String,
}

/// The site path of album `slug`.
pub fn album_path(slug: &str) -> String {
    format!("/photos/{slug}/")
}

fn album_view<'a>(site: &'a Site, a: &'a crate::model::Album) -> AlbumView<'a> {
    let zh = site.config.language == Language::ZhCn;
    let photos: Vec<PhotoView> = a
        .photos
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let picture = site.media.pictures.get(&p.source)?;
            let alt = match &p.caption {
                Some(c) => c.clone(),
                None if zh => format!("{}（第 {} 张）", a.title, i + 1),
                None => format!("{}, photo {}", a.title, i + 1),
            };
            Some(PhotoView {
                picture,
                caption: p.caption.as_deref(),
                alt,
            })
        })
        .collect();
    let cover = a
        .cover
        .as_ref()
        .and_then(|c| site.media.pictures.get(&format!("albums/{}/{c}", a.name)))
        .or_else(|| photos.first().map(|p| p.picture));
    AlbumView {
        title: &a.title,
        path: album_path(&a.slug),
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
struct BoardView<'a> {
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
}

#[derive(Serialize, Hash)]
struct BoardBlockView<'a> {
    kind: &'a str,
    title: Option<&'a str>,
    /// The block's text, one line per entry.
    lines: Vec<&'a str>,
}

fn board_view(b: &crate::model::Board, number: usize) -> BoardView<'_> {
    let (w, h) = b.size;
    let (width, height) = crate::boards::preview_size(b);
    BoardView {
        title: &b.title,
        subtitle: b.subtitle.as_deref(),
        path: b.path.clone(),
        slug: &b.slug,
        pdf: format!("/boards/{}.pdf", b.slug),
        png: format!("/boards/{}.png", b.slug),
        width,
        height,
        size: format!("{} × {} mm", w.round(), h.round()),
        series: b
            .series
            .as_ref()
            .map(|s| format!("{} {}/{}", s.name, s.number, s.of)),
        number,
        blocks: b
            .blocks
            .iter()
            .map(|bl| BoardBlockView {
                kind: &bl.kind,
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

/// Values shared by every template render, built once per build.
pub struct Shared {
    pub site: Value,
    pub brand: Value,
    pub achievements: Value,
    pub ui: Value,
    /// One list view per page of [`Site::pages`], same order.
    pub pages: Vec<Value>,
    /// A hash of each page's list view, to tell an unchanged list cheaply.
    pub page_keys: Vec<u64>,
    /// One view per album of [`Site::albums`], newest first, with its photos.
    pub albums: Vec<Value>,
    pub album_keys: Vec<u64>,
    /// One view per board of [`Site::boards`], in series order.
    pub boards: Vec<Value>,
    pub board_keys: Vec<u64>,
}

impl Shared {
    pub fn new(site: &Site) -> Shared {
        let (pages, page_keys) = site_pages(site).into_iter().unzip();
        let (albums, album_keys) = site
            .albums
            .iter()
            .map(|a| {
                let view = album_view(site, a);
                (
                    Value::from_serialize(&view),
                    crate::load::fingerprint(&view),
                )
            })
            .unzip();
        let (boards, board_keys) = site
            .boards
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let view = board_view(b, i + 1);
                (
                    Value::from_serialize(&view),
                    crate::load::fingerprint(&view),
                )
            })
            .unzip();
        Shared {
            boards,
            board_keys,
            albums,
            album_keys,
            page_keys,
            site: Value::from_serialize(site_view(site)),
            brand: site
                .brand
                .as_ref()
                .map(|b| Value::from_serialize(brand_view(site, b)))
                .unwrap_or(Value::from(())),
            achievements: Value::from_serialize(achievements_view(site)),
            ui: ui_strings(site.config.language),
            pages,
        }
    }

    pub fn list(&self, indexes: &[usize]) -> Value {
        Value::from(
            indexes
                .iter()
                .map(|&i| self.pages[i].clone())
                .collect::<Vec<_>>(),
        )
    }
}

fn site_pages(site: &Site) -> Vec<(Value, u64)> {
    use rayon::prelude::*;
    let lang = site.config.language;
    let tags: HashMap<&str, &crate::model::Tag> =
        site.tags.iter().map(|t| (t.slug.as_str(), t)).collect();
    site.pages
        .par_iter()
        .map(|p| {
            let view = page_view(site, &tags, p, lang);
            (
                Value::from_serialize(&view),
                crate::load::fingerprint(&view),
            )
        })
        .collect()
}

fn page_view<'a>(
    site: &'a Site,
    tags: &HashMap<&str, &'a crate::model::Tag>,
    p: &'a Page,
    lang: Language,
) -> PageView<'a> {
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
            .filter_map(|(t, slug)| {
                tags.get(slug.as_str()).map(|tag| LinkView {
                    name: t,
                    path: &tag.path,
                })
            })
            .collect(),
        pillar: p.pillar.and_then(|i| {
            site.brand
                .as_ref()
                .and_then(|b| b.pillars.get(i))
                .map(|pl| LinkView {
                    name: &pl.name,
                    path: &pl.path,
                })
        }),
        section: p.section.map(|i| LinkView {
            name: &site.sections[i].title,
            path: &site.sections[i].path,
        }),
        cover: picture(site, &p.cover),
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
    let c: &SiteConfig = &site.config;
    let nav = match &c.nav {
        Some(items) => items
            .iter()
            .map(|n| NavView {
                title: n.title.clone(),
                path: n.url.clone(),
            })
            .collect(),
        None => default_nav(site),
    };
    SiteView {
        title: &c.title,
        subtitle: c.subtitle.as_deref(),
        description: c.description.as_deref(),
        organization: c.organization.as_deref(),
        language: c.language.code(),
        logo: c.logo.as_deref().map(|l| crate::load::paths::asset(l).path),
        primary: &c.theme.primary,
        accent: &c.theme.accent,
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
        has_brand: site.brand.is_some(),
        has_achievements: has_achievements(site),
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
        path: "/".into(),
    }];
    if let Some(b) = &site.brand {
        nav.push(NavView {
            title: if zh {
                "品牌介绍".into()
            } else {
                b.name.clone()
            },
            path: "/brand/".into(),
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
            path: "/achievements/".into(),
        });
    }
    for p in site.pages.iter().filter(|p| p.section.is_none()) {
        nav.push(NavView {
            title: p.title.clone(),
            path: p.path.clone(),
        });
    }
    if !site.albums.is_empty() {
        nav.push(NavView {
            title: if zh { "活动相册" } else { "Photos" }.into(),
            path: "/photos/".into(),
        });
    }
    if !site.boards.is_empty() {
        nav.push(NavView {
            title: if zh { "展板" } else { "Boards" }.into(),
            path: "/boards/".into(),
        });
    }
    if site.config.search {
        nav.push(NavView {
            title: if zh { "搜索" } else { "Search" }.into(),
            path: "/search/".into(),
        });
    }
    nav
}

fn brand_view<'a>(site: &'a Site, b: &'a Brand) -> BrandView<'a> {
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
            .map(|(i, p)| PillarView {
                name: &p.name,
                key: &p.key,
                path: &p.path,
                motto: p.motto.as_deref(),
                summary: p.summary.as_deref(),
                body: &p.body,
                cover: picture(site, &p.cover),
                page_count: p.pages.len(),
                number: i + 1,
            })
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

/// The theme's UI words in the site's language.
fn ui_strings(lang: Language) -> Value {
    const STRINGS: &[(&str, &str, &str)] = &[
        ("home", "首页", "Home"),
        ("brand", "品牌介绍", "The brand"),
        ("party_brand", "党建品牌", "Party branch brand"),
        ("achievements", "品牌成效", "Achievements"),
        ("tags", "标签", "Tags"),
        ("all_tags", "全部标签", "All tags"),
        ("latest", "最新动态", "Latest"),
        ("more", "查看更多", "More"),
        ("read_more", "阅读全文", "Read more"),
        ("pillars", "品牌载体", "Pillars"),
        ("stats", "数据看板", "In numbers"),
        ("honors", "荣誉表彰", "Honours"),
        ("milestones", "发展历程", "Milestones"),
        ("prev", "上一页", "Previous"),
        ("newer", "上一篇", "Newer"),
        ("older", "下一篇", "Older"),
        ("next", "下一页", "Next"),
        ("page_of", "第 {n} 页，共 {total} 页", "Page {n} of {total}"),
        ("pagination", "分页", "Pagination"),
        ("published", "发布时间", "Published"),
        ("not_found_title", "页面未找到", "Page not found"),
        (
            "not_found_text",
            "您访问的页面不存在或已被移除。",
            "The page you asked for does not exist or has been removed.",
        ),
        ("back_home", "返回首页", "Back to the home page"),
        ("skip", "跳到正文", "Skip to content"),
        ("menu", "栏目导航", "Menu"),
        (
            "icp_link_title",
            "工业和信息化部政务服务平台",
            "MIIT ICP filing",
        ),
        (
            "police_link_title",
            "全国互联网安全管理服务平台",
            "Public security filing",
        ),
        ("feed", "订阅", "Feed"),
        ("name", "有名称", "The name"),
        ("logo", "有标识", "The emblem"),
        ("meaning", "有内涵", "The meaning"),
        ("carriers", "有载体", "The pillars"),
        ("impact", "有影响", "The impact"),
        ("story", "创建历程", "How it was built"),
        ("logo_meaning", "标识释义", "What the emblem means"),
        ("pages_under", "相关报道", "Reports"),
        ("no_pages", "暂无内容。", "Nothing here yet."),
        ("articles", "篇", "articles"),
        ("as_of", "截至", "as of"),
        ("issued_by", "授予单位", "Awarded by"),
        ("tagged", "标签", "Tag"),
        ("pillar", "载体", "Pillar"),
        ("section", "栏目", "Section"),
        ("draft", "草稿", "Draft"),
        ("see_all_achievements", "查看全部成效", "All achievements"),
        ("learn_brand", "了解品牌", "About the brand"),
        ("contents_count", "共 {n} 篇", "{n} articles"),
        ("back_to", "返回", "Back to"),
        ("print", "打印本页", "Print"),
        ("search", "搜索", "Search"),
        ("photos", "活动相册", "Photos"),
        ("photo_count", "{n} 张照片", "{n} photos"),
        ("full_size", "查看原图", "Full size"),
        ("close", "关闭", "Close"),
        ("previous_photo", "上一张", "Previous photo"),
        ("next_photo", "下一张", "Next photo"),
        ("all_albums", "全部相册", "All albums"),
        ("boards", "展板", "Exhibition boards"),
        (
            "boards_intro",
            "支部党建展板的在线展厅：可放大查看，也可下载印刷用 PDF。",
            "The branch's exhibition boards online: zoom in, or download the print-ready PDF.",
        ),
        ("all_boards", "全部展板", "All boards"),
        ("board_pdf", "下载印刷用 PDF", "Download the print PDF"),
        ("board_png", "查看大图", "View the large image"),
        (
            "board_zoom",
            "点击图片放大，再次点击还原",
            "Click the image to zoom in, again to zoom out",
        ),
        ("board_size", "成品尺寸", "Trim size"),
        ("board_text", "展板文字", "Text of the board"),
        ("board_prev", "上一块", "Previous board"),
        ("board_next", "下一块", "Next board"),
        ("year_suffix", "年", ""),
        ("search_label", "搜索本站", "Search this site"),
        ("search_placeholder", "搜索本站内容", "Search this site"),
        (
            "search_noscript",
            "站内搜索需要启用 JavaScript。也可以通过栏目和标签浏览全部内容。",
            "Search needs JavaScript. All pages can also be reached through the sections and tags.",
        ),
        (
            "search_none",
            "没有找到相关内容，请换个关键词试试。",
            "Nothing found. Try other words.",
        ),
        ("search_count", "找到 {n} 条结果", "{n} results"),
        ("search_more", "显示更多结果", "More results"),
    ];
    let zh = lang == Language::ZhCn;
    Value::from_iter(
        STRINGS
            .iter()
            .map(|(k, z, e)| (*k, if zh { *z } else { *e })),
    )
}
