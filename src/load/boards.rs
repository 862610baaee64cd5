//! `boards/SLUG.yaml`: exhibition boards. Each block's data is taken here from the brand,
//! achievements and albums it names, so a board and the site never disagree; the
//! [`crate::boards`] stage lays them out.

use super::brand::Number;
use super::{read_text, walk, yaml};
use crate::error::Diagnostic;
use crate::model::{Board, BoardBlock, BoardPhoto, Series, Site};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoardFile {
    title: String,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    size: Option<String>,
    #[serde(default)]
    bleed: Option<String>,
    #[serde(default)]
    series: Option<SeriesFile>,
    #[serde(default)]
    layout: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    marks: bool,
    #[serde(default)]
    blocks: Vec<BlockFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesFile {
    name: String,
    number: u32,
    of: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockFile {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    width: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    items: Option<Vec<ItemFile>>,
    #[serde(default)]
    album: Option<String>,
    #[serde(default)]
    pick: Option<Vec<String>>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

/// An item of `items:` (stats: label, value, unit; timeline: date, title, text).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    value: Option<Number>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    date: Option<Number>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

pub const BLOCK_TYPES: &[&str] = &["text", "stats", "photos", "timeline", "pillars", "quote"];
const PRESETS: &[(&str, f64, f64)] = &[
    ("A0", 841.0, 1189.0),
    ("A1", 594.0, 841.0),
    ("60x90", 600.0, 900.0),
    ("80x180", 800.0, 1800.0),
    ("90x120", 900.0, 1200.0),
    ("120x240", 1200.0, 2400.0),
];
/// Photos a block shows when it picks none.
const DEFAULT_PHOTOS: usize = 4;

/// Loads every board of the site, in series order.
pub fn load(root: &Path, site: &Site, diags: &mut Vec<Diagnostic>) -> Vec<Board> {
    let dir = root.join("boards");
    let mut boards: Vec<Board> = Vec::new();
    for entry in walk(&dir).filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.depth() != 1 || !entry.file_type().is_file() {
            continue;
        }
        let Some(stem) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            continue;
        };
        let rel = format!("boards/{name}");
        let Some(src) = read_text(root, &rel, diags) else {
            continue;
        };
        let file: BoardFile = match yaml::parse(&rel, &src, &src, 0) {
            Ok(f) => f,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if let Some(board) = finish(site, &rel, stem, &src, file, diags) {
            if let Some(other) = boards.iter().find(|b| b.slug == board.slug) {
                diags.push(
                    Diagnostic::error(
                        format!(
                            "{} and {} both become /boards/{}/",
                            other.source, rel, board.slug
                        ),
                        format!(
                            "{} 与 {} 的网址都是 /boards/{}/",
                            other.source, rel, board.slug
                        ),
                    )
                    .file(&rel)
                    .hint("rename one of the files", "请给其中一个文件改名"),
                );
                continue;
            }
            boards.push(board);
        }
    }
    boards.sort_by(|a, b| {
        let n = |b: &Board| b.series.as_ref().map_or(u32::MAX, |s| s.number);
        (n(a), &a.source).cmp(&(n(b), &b.source))
    });
    boards
}

fn finish(
    site: &Site,
    rel: &str,
    stem: &str,
    src: &str,
    file: BoardFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<Board> {
    let errors = diags.len();
    let defaults = &site.config.boards;
    let size_text = file.size.clone().unwrap_or_else(|| defaults.size.clone());
    let size = parse_size(&size_text).unwrap_or_else(|| {
        let at = if file.size.is_some() {
            (rel.to_string(), yaml::find_key(src, "size", 1), src)
        } else {
            ("site.yaml".to_string(), None, "")
        };
        diags.push(
            Diagnostic::error(
                format!("board size `{size_text}` is not understood"),
                format!("无法识别展板尺寸 `{size_text}`"),
            )
            .file(&at.0)
            .at_opt(at.2, at.1)
            .hint(
                "write width x height with a unit, e.g. `900x1200mm` or `90x120cm`, or a preset: A0, A1, 60x90, 80x180, 90x120, 120x240 (cm)",
                "请写“宽x高”加单位，如 `900x1200mm` 或 `90x120cm`，或预设尺寸：A0、A1、60x90、80x180、90x120、120x240（厘米）",
            ),
        );
        (1.0, 1.0)
    });
    let bleed_text = file.bleed.clone().unwrap_or_else(|| defaults.bleed.clone());
    let bleed = parse_length(&bleed_text)
        .filter(|b| (0.0..=20.0).contains(b))
        .unwrap_or_else(|| {
            diags.push(
                Diagnostic::error(
                    format!("bleed `{bleed_text}` is not a length from 0 to 20 mm"),
                    format!("出血 `{bleed_text}` 不是 0 到 20 毫米之间的长度"),
                )
                .file(if file.bleed.is_some() {
                    rel
                } else {
                    "site.yaml"
                })
                .at_opt(
                    src,
                    file.bleed.as_ref().and(yaml::find_key(src, "bleed", 1)),
                )
                .hint("print shops usually ask for `3mm`", "印刷厂通常要求 `3mm`"),
            );
            0.0
        });
    let layout = file.layout.clone().unwrap_or_else(|| "brand".into());
    let layouts = crate::boards::layouts(site.templates_dir.as_deref());
    if !layouts.contains(&layout) {
        diags.push(
            Diagnostic::error(
                format!("there is no board layout `{layout}`"),
                format!("没有名为 `{layout}` 的展板版式"),
            )
            .file(rel)
            .at_opt(src, yaml::find_key(src, "layout", 1))
            .hint(
                format!(
                    "known layouts: {}; a new one goes in templates/boards/{layout}.typ",
                    layouts.join(", ")
                ),
                format!(
                    "可用版式：{}；自定义版式请放在 templates/boards/{layout}.typ",
                    layouts.join("、")
                ),
            ),
        );
    }
    let theme = file.theme.clone().unwrap_or_else(|| "red".into());
    if !["red", "blue", "site"].contains(&theme.as_str()) {
        diags.push(
            Diagnostic::error(
                format!("there is no board theme `{theme}`"),
                format!("没有名为 `{theme}` 的展板配色"),
            )
            .file(rel)
            .at_opt(src, yaml::find_key(src, "theme", 1))
            .hint(
                "use `red` (party red and gold), `blue`, or `site` (the colours of site.yaml's theme)",
                "请使用 `red`（党建红金）、`blue`（蓝色）或 `site`（site.yaml 中 theme 的颜色）",
            ),
        );
    }
    if let Some(s) = &file.series {
        if s.number == 0 || s.number > s.of {
            diags.push(
                Diagnostic::error(
                    format!("series number {} is not between 1 and {}", s.number, s.of),
                    format!("系列编号 {} 不在 1 到 {} 之间", s.number, s.of),
                )
                .file(rel)
                .at_opt(src, yaml::find_key(src, "number", 1))
                .hint(
                    "`number` counts from 1 up to `of`",
                    "`number` 从 1 数到 `of`",
                ),
            );
        }
    }
    if file.blocks.is_empty() {
        diags.push(
            Diagnostic::error("the board has no blocks", "展板没有任何内容块（blocks）")
                .file(rel)
                .hint(
                    "add `blocks:` with e.g. `- { type: text, title: …, body: … }`",
                    "请添加 `blocks:`，例如 `- { type: text, title: …, body: … }`",
                ),
        );
    }
    let starts = block_lines(src);
    let mut photo_count = 0;
    let blocks: Vec<BoardBlock> = file
        .blocks
        .into_iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let ctx = BlockCtx {
                site,
                rel,
                src,
                at: starts.get(i).copied(),
            };
            ctx.block(b, &mut photo_count, diags)
        })
        .collect();
    if diags[errors..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let slug = crate::slug::slugify(stem, site.config.slugs);
    Some(Board {
        source: rel.to_string(),
        yaml: src.to_string(),
        path: format!("/boards/{slug}/"),
        slug,
        title: file.title,
        subtitle: file.subtitle,
        size,
        bleed,
        series: file.series.map(|s| Series {
            name: s.name,
            number: s.number,
            of: s.of,
        }),
        layout,
        theme,
        marks: file.marks,
        blocks,
    })
}

struct BlockCtx<'a> {
    site: &'a Site,
    rel: &'a str,
    src: &'a str,
    at: Option<(usize, usize)>,
}

impl BlockCtx<'_> {
    fn error(&self, en: String, zh: String, key: Option<&str>) -> Diagnostic {
        let from = self.at.map_or(1, |a| a.0);
        let pos = key
            .and_then(|k| yaml::find_key(self.src, k, from))
            .or(self.at);
        Diagnostic::error(en, zh)
            .file(self.rel)
            .at_opt(self.src, pos)
    }

    fn block(
        &self,
        b: BlockFile,
        photo_count: &mut usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<BoardBlock> {
        let width = b.width.clone().unwrap_or_else(|| "full".into());
        if width != "full" && width != "half" {
            diags.push(
                self.error(
                    format!("block width `{width}` is neither `full` nor `half`"),
                    format!("内容块宽度 `{width}` 既不是 `full` 也不是 `half`"),
                    Some("width"),
                )
                .hint(
                    "`half` blocks sit two side by side",
                    "`half` 的内容块两两并排",
                ),
            );
        }
        let mut text = b.title.clone().map(|t| t + "\n").unwrap_or_default();
        let mut photos = Vec::new();
        let data = match b.kind.as_str() {
            "text" => self.text(&b, &mut text, diags)?,
            "stats" => self.stats(&b, &mut text, diags)?,
            "photos" => self.photos(&b, &mut text, &mut photos, photo_count, diags)?,
            "timeline" => self.timeline(&b, &mut text, diags)?,
            "pillars" => self.pillars(&b, &mut text, diags)?,
            "quote" => {
                let Some(quote) = b.text.clone().filter(|t| !t.trim().is_empty()) else {
                    diags.push(
                        self.error(
                            "a quote block needs `text`".into(),
                            "引语块需要 `text`".into(),
                            None,
                        )
                        .hint(
                            "e.g. `{ type: quote, text: 以微见著，聚力前行。, source: 品牌口号 }`",
                            "例如 `{ type: quote, text: 以微见著，聚力前行。, source: 品牌口号 }`",
                        ),
                    );
                    return None;
                };
                text.push_str(&quote);
                text.push('\n');
                if let Some(s) = &b.source {
                    text.push_str(s);
                }
                json!({ "text": quote, "source": b.source })
            }
            other => {
                diags.push(
                    self.error(
                        format!("unknown block type `{other}`"),
                        format!("未知的内容块类型 `{other}`"),
                        Some("type"),
                    )
                    .hint(
                        format!("known types: {}", BLOCK_TYPES.join(", ")),
                        format!("可用类型：{}", BLOCK_TYPES.join("、")),
                    ),
                );
                return None;
            }
        };
        let mut data = data;
        if let Value::Object(map) = &mut data {
            map.insert("type".into(), json!(b.kind));
            map.insert("title".into(), json!(b.title));
            map.insert("width".into(), json!(width));
        }
        Some(BoardBlock {
            kind: b.kind,
            title: b.title,
            width,
            at: self.at,
            data,
            text,
            photos,
        })
    }

    fn text(&self, b: &BlockFile, text: &mut String, diags: &mut Vec<Diagnostic>) -> Option<Value> {
        let body = b.body.clone().unwrap_or_default();
        if body.trim().is_empty() && b.title.is_none() {
            diags.push(
                self.error(
                    "a text block needs `body`".into(),
                    "文字块需要 `body`".into(),
                    None,
                )
                .hint(
                    "write the text as Markdown in `body: …`",
                    "请在 `body: …` 中写 Markdown 文字",
                ),
            );
            return None;
        }
        match crate::boards::markdown::to_tree(&body) {
            Ok(tree) => {
                crate::boards::markdown::plain_text(&tree, text);
                Some(json!({ "body": tree }))
            }
            Err(u) => {
                let (what_en, what_zh) = match u.what {
                    "image" => ("an image", "图片"),
                    "table" => ("a table", "表格"),
                    "footnote" => ("a footnote", "脚注"),
                    _ => ("HTML", "HTML"),
                };
                diags.push(
                    self.error(
                        format!(
                            "a board's text cannot hold {what_en} (line {} of the text)",
                            u.line
                        ),
                        format!("展板文字中不能使用{what_zh}（文字第 {} 行）", u.line),
                        Some("body"),
                    )
                    .hint(
                        "use a photos block for pictures and a stats block for figures",
                        "图片请用 photos 块，数据请用 stats 块",
                    ),
                );
                None
            }
        }
    }

    fn takes_from(&self, b: &BlockFile, source: &str, diags: &mut Vec<Diagnostic>) -> bool {
        match (&b.from, &b.items) {
            (Some(f), _) if f == source => true,
            (Some(f), _) => {
                diags.push(
                    self.error(
                        format!(
                            "a {} block takes its data `from: {source}`, not `{f}`",
                            b.kind
                        ),
                        format!("{} 块的数据来源应为 `from: {source}`，而不是 `{f}`", b.kind),
                        Some("from"),
                    )
                    .hint(
                        format!("write `from: {source}`, or list the entries under `items:`"),
                        format!("请写 `from: {source}`，或在 `items:` 下逐条列出"),
                    ),
                );
                false
            }
            (None, Some(_)) => false,
            (None, None) => {
                diags.push(
                    self.error(
                        format!("a {} block needs `from: {source}` or `items:`", b.kind),
                        format!("{} 块需要 `from: {source}` 或 `items:`", b.kind),
                        None,
                    )
                    .hint(
                        format!("`from: {source}` keeps the board and the website in step"),
                        format!("`from: {source}` 让展板与网站内容保持一致"),
                    ),
                );
                false
            }
        }
    }

    fn stats(
        &self,
        b: &BlockFile,
        text: &mut String,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Value> {
        let items: Vec<(String, String, Option<String>)> =
            if self.takes_from(b, "achievements", diags) {
                let stats = &self.site.achievements.stats;
                if stats.is_empty() {
                    diags.push(
                        self.error(
                            "achievements.yaml has no stats for this block".into(),
                            "achievements.yaml 中没有可供此块使用的数据（stats）".into(),
                            Some("from"),
                        )
                        .hint(
                            "add `stats:` to achievements.yaml, or list `items:` here",
                            "请在 achievements.yaml 中添加 `stats:`，或在此处列出 `items:`",
                        ),
                    );
                    return None;
                }
                stats
                    .iter()
                    .map(|s| (s.label.clone(), s.value.clone(), s.unit.clone()))
                    .collect()
            } else if let Some(items) = &b.items {
                let mut out = Vec::new();
                for item in items {
                    match (&item.label, item.value.as_ref().map(Number::display)) {
                        (Some(l), Some(v)) => out.push((l.clone(), v, item.unit.clone())),
                        _ => {
                            diags.push(
                                self.error(
                                    "every stats item needs `label` and `value`".into(),
                                    "每条数据都需要 `label` 和 `value`".into(),
                                    Some("items"),
                                )
                                .hint(
                                    "e.g. `- { label: 党员人数, value: 46, unit: 名 }`",
                                    "例如 `- { label: 党员人数, value: 46, unit: 名 }`",
                                ),
                            );
                            return None;
                        }
                    }
                }
                out
            } else {
                return None;
            };
        for (l, v, u) in &items {
            text.push_str(&format!("{l} {v}{}\n", u.as_deref().unwrap_or("")));
        }
        Some(json!({
            "items": items.iter().map(|(l, v, u)| json!({"label": l, "value": v, "unit": u})).collect::<Vec<_>>()
        }))
    }

    fn timeline(
        &self,
        b: &BlockFile,
        text: &mut String,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Value> {
        let items: Vec<(String, String, String)> = if self.takes_from(b, "achievements", diags) {
            let ms = &self.site.achievements.milestones;
            if ms.is_empty() {
                diags.push(
                    self.error(
                        "achievements.yaml has no milestones for this timeline".into(),
                        "achievements.yaml 中没有可供时间轴使用的大事记（milestones）".into(),
                        Some("from"),
                    )
                    .hint(
                        "add `milestones:` to achievements.yaml, or list `items:` here",
                        "请在 achievements.yaml 中添加 `milestones:`，或在此处列出 `items:`",
                    ),
                );
                return None;
            }
            ms.iter()
                .map(|m| {
                    let mut body = String::new();
                    crate::render::search::html_to_text(&m.body, &mut body);
                    (
                        m.date.display_zh(),
                        m.title.clone(),
                        body.trim().to_string(),
                    )
                })
                .collect()
        } else if let Some(items) = &b.items {
            let mut out = Vec::new();
            for item in items {
                match (item.date.as_ref().map(Number::display), &item.title) {
                    (Some(d), Some(t)) => {
                        let d = crate::model::Date::parse(&d)
                            .map(|d| d.display_zh())
                            .unwrap_or(d);
                        out.push((d, t.clone(), item.text.clone().unwrap_or_default()))
                    }
                    _ => {
                        diags.push(
                            self.error(
                                "every timeline item needs `date` and `title`".into(),
                                "时间轴的每一条都需要 `date` 和 `title`".into(),
                                Some("items"),
                            )
                            .hint(
                                "e.g. `- { date: 2021-07, title: 品牌创建 }`",
                                "例如 `- { date: 2021-07, title: 品牌创建 }`",
                            ),
                        );
                        return None;
                    }
                }
            }
            out
        } else {
            return None;
        };
        for (d, t, x) in &items {
            text.push_str(&format!("{d} {t}\n{x}\n"));
        }
        Some(json!({
            "items": items.iter().map(|(d, t, x)| json!({"date": d, "title": t, "text": x})).collect::<Vec<_>>()
        }))
    }

    fn pillars(
        &self,
        b: &BlockFile,
        text: &mut String,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Value> {
        if b.from.as_deref() != Some("brand") {
            diags.push(
                self.error(
                    "a pillars block takes its data `from: brand`".into(),
                    "pillars 块的数据来源应为 `from: brand`".into(),
                    Some("from"),
                )
                .hint("write `from: brand`", "请写 `from: brand`"),
            );
            return None;
        }
        let Some(brand) = self.site.brand.as_ref().filter(|b| !b.pillars.is_empty()) else {
            diags.push(
                self.error(
                    "brand.yaml has no pillars for this block".into(),
                    "brand.yaml 中没有可供此块使用的品牌内容（pillars）".into(),
                    Some("from"),
                )
                .hint(
                    "add `pillars:` to brand.yaml",
                    "请在 brand.yaml 中添加 `pillars:`",
                ),
            );
            return None;
        };
        let items: Vec<Value> = brand
            .pillars
            .iter()
            .map(|p| {
                text.push_str(&format!(
                    "{}\n{}\n{}\n",
                    p.name,
                    p.motto.as_deref().unwrap_or(""),
                    p.summary.as_deref().unwrap_or("")
                ));
                json!({"name": p.name, "motto": p.motto, "summary": p.summary})
            })
            .collect();
        Some(json!({ "items": items, "brand": brand.name }))
    }

    fn photos(
        &self,
        b: &BlockFile,
        text: &mut String,
        photos: &mut Vec<BoardPhoto>,
        photo_count: &mut usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Value> {
        let Some(name) = &b.album else {
            diags.push(
                self.error(
                    "a photos block needs `album`".into(),
                    "照片块需要 `album`".into(),
                    None,
                )
                .hint(
                    "name a folder of albums/, e.g. `album: 2025-qiyi`",
                    "请写 albums/ 下的相册目录名，例如 `album: 2025-qiyi`",
                ),
            );
            return None;
        };
        let Some(album) = self.site.albums.iter().find(|a| &a.name == name) else {
            let known: Vec<&str> = self.site.albums.iter().map(|a| a.name.as_str()).collect();
            diags.push(
                self.error(
                    format!("there is no album `{name}`"),
                    format!("没有名为 `{name}` 的相册"),
                    Some("album"),
                )
                .hint(
                    format!("albums are the folders of albums/: {}", known.join(", ")),
                    format!("相册即 albums/ 下的目录：{}", known.join("、")),
                ),
            );
            return None;
        };
        let chosen: Vec<&crate::model::Photo> = match &b.pick {
            Some(pick) => {
                let mut out = Vec::new();
                for file in pick {
                    match album.photos.iter().find(|p| &p.file == file) {
                        Some(p) => out.push(p),
                        None => {
                            let from = self.at.map_or(1, |a| a.0);
                            let pos = yaml::find_text_from(self.src, file, from).or(self.at);
                            diags.push(
                                Diagnostic::error(
                                    format!("photo `{file}` is not in album `{name}`"),
                                    format!("相册 `{name}` 中没有照片 `{file}`"),
                                )
                                .file(self.rel)
                                .at_opt(self.src, pos)
                                .hint(
                                    format!("put the photo in albums/{name}/ or fix the name; names are case-sensitive"),
                                    format!("请把照片放进 albums/{name}/，或改正文件名；文件名区分大小写"),
                                ),
                            );
                        }
                    }
                }
                if out.len() != pick.len() {
                    return None;
                }
                out
            }
            None => album.photos.iter().take(DEFAULT_PHOTOS).collect(),
        };
        if chosen.is_empty() {
            diags.push(
                self.error(
                    format!("album `{name}` has no photos"),
                    format!("相册 `{name}` 中没有照片"),
                    Some("album"),
                )
                .hint("add photos to the album folder", "请在相册目录中添加照片"),
            );
            return None;
        }
        let items: Vec<Value> = chosen
            .iter()
            .map(|p| {
                let path = format!("/photos/{}.jpg", *photo_count);
                *photo_count += 1;
                if let Some(c) = &p.caption {
                    text.push_str(c);
                    text.push('\n');
                }
                photos.push(BoardPhoto {
                    source: p.source.clone(),
                    caption: p.caption.clone(),
                });
                json!({"path": path, "caption": p.caption})
            })
            .collect();
        Some(json!({ "photos": items, "album": album.title }))
    }
}

/// Where each item of `blocks:` starts (1-based line and column of its `-`).
fn block_lines(src: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut indent = None;
    for (i, line) in src.lines().enumerate() {
        let trimmed = line.trim_start();
        if !inside {
            inside = line.starts_with("blocks:");
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ind = line.len() - trimmed.len();
        if ind == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with('-') && indent.is_none_or(|n| n == ind) {
            indent = Some(ind);
            out.push((i + 1, line[..ind].chars().count() + 1));
        }
    }
    out
}

/// A length in millimetres: `3mm`, `0.3cm`, `0`.
fn parse_length(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("mm") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("cm") {
        (n, 10.0)
    } else if s == "0" {
        ("0", 1.0)
    } else {
        return None;
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * scale)
}

/// A board size in millimetres: a preset or `WxH` with `mm` or `cm`.
pub fn parse_size(s: &str) -> Option<(f64, f64)> {
    let s = s.trim().replace(['×', 'X', '*'], "x").replace(' ', "");
    if let Some((_, w, h)) = PRESETS.iter().find(|p| p.0.eq_ignore_ascii_case(&s)) {
        return Some((*w, *h));
    }
    let (num, scale) = if let Some(n) = s.strip_suffix("mm") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("cm") {
        (n, 10.0)
    } else {
        return None;
    };
    let (w, h) = num.split_once('x')?;
    let (w, h): (f64, f64) = (w.parse().ok()?, h.parse().ok()?);
    let (w, h) = (w * scale, h * scale);
    // From a postcard to the largest rolls print shops take.
    let ok = |v: f64| (50.0..=5000.0).contains(&v);
    (ok(w) && ok(h)).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_from_presets_and_units() {
        assert_eq!(parse_size("900x1200mm"), Some((900.0, 1200.0)));
        assert_eq!(parse_size("90 × 120 cm"), Some((900.0, 1200.0)));
        assert_eq!(parse_size("a1"), Some((594.0, 841.0)));
        assert_eq!(parse_size("80x180"), Some((800.0, 1800.0)));
        assert_eq!(parse_size("900x1200"), None);
        assert_eq!(parse_size("9x12mm"), None);
        assert_eq!(parse_size("big"), None);
        assert_eq!(parse_length("3mm"), Some(3.0));
        assert_eq!(parse_length("0.5cm"), Some(5.0));
        assert_eq!(parse_length("3"), None);
    }

    #[test]
    fn block_starts_are_found() {
        let src = "title: x\nblocks:\n  - { type: text }\n  - type: stats\n    from: achievements\n\n  - type: quote\nmarks: true\n";
        assert_eq!(block_lines(src), vec![(3, 3), (4, 3), (7, 3)]);
    }
}
