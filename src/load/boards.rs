//! `boards/SLUG.yaml`: exhibition boards. The file's schema is typed — block types are
//! an enum tagged by `type`, each with only its own keys, and widths and themes are
//! enums — and each block is parsed on its own, so every mistake of a file is reported
//! in one run. Each block's data is taken here from the brand, achievements and albums
//! it names, so a board and the site never disagree; the board renderer lays them out.

use super::read_text;
use crate::config;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::markdown::tree;
use crate::model::{
    Block, BlockContent, Board, BoardPhoto, BoardQr, BoardTheme, PillarItem, Process, Series, Site,
    StatItem, TimelineItem, Width,
};
use crate::urls::routes;
use crate::urls::Urls;
use crate::yaml::{self, Checked, Number};
use serde::Deserialize;

#[cfg_attr(test, derive(schemars::JsonSchema))]
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
    theme: Option<Checked<BoardTheme>>,
    #[serde(default)]
    marks: bool,
    #[serde(default)]
    blocks: Vec<Checked<BlockFile>>,
    #[serde(default)]
    process: Option<Checked<Process>>,
    #[serde(default)]
    safe: Option<String>,
    #[serde(default)]
    hidden: Option<String>,
    #[serde(default)]
    viewing_distance: Option<Number>,
    #[serde(default)]
    dpi_warning: Option<u32>,
    #[serde(default)]
    qr: Option<QrFile>,
}

/// `qr:` as written: `true`/`false`, a URL or site path, or the long form.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(untagged)]
enum QrFile {
    On(bool),
    To(String),
    Full(QrFull),
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QrFull {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    size: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesFile {
    name: String,
    number: u32,
    of: u32,
}

/// One block as written: its `type` picks the variant, and only that type's keys are
/// allowed.
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
enum BlockFile {
    Text {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        width: Option<Checked<Width>>,
        #[serde(default)]
        body: Option<String>,
    },
    Stats {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        width: Option<Checked<Width>>,
        #[serde(default)]
        from: Option<String>,
        #[serde(default)]
        items: Option<Vec<StatItemFile>>,
    },
    Photos {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        width: Option<Checked<Width>>,
        #[serde(default)]
        album: Option<String>,
        #[serde(default)]
        pick: Option<Vec<String>>,
    },
    Timeline {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        width: Option<Checked<Width>>,
        #[serde(default)]
        from: Option<String>,
        #[serde(default)]
        items: Option<Vec<TimelineItemFile>>,
    },
    Pillars {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        width: Option<Checked<Width>>,
        #[serde(default)]
        from: Option<String>,
    },
    Quote {
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        width: Option<Checked<Width>>,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        source: Option<String>,
    },
}

impl BlockFile {
    fn title_and_width(&self) -> (&Option<String>, &Option<Checked<Width>>) {
        match self {
            BlockFile::Text { title, width, .. }
            | BlockFile::Stats { title, width, .. }
            | BlockFile::Photos { title, width, .. }
            | BlockFile::Timeline { title, width, .. }
            | BlockFile::Pillars { title, width, .. }
            | BlockFile::Quote { title, width, .. } => (title, width),
        }
    }
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatItemFile {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    value: Option<Number>,
    #[serde(default)]
    unit: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineItemFile {
    #[serde(default)]
    date: Option<Number>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

pub const BLOCK_TYPES: &[&str] = &["text", "stats", "photos", "timeline", "pillars", "quote"];
/// Photos a block shows when it picks none.
const DEFAULT_PHOTOS: usize = 4;

/// Loads every board of the site, in series order.
pub fn load(folder: &SiteFolder, site: &Site, urls: &Urls, diags: &mut Diagnostics) -> Vec<Board> {
    let layouts = crate::theme::board_layouts(&site.board_templates);
    let mut boards: Vec<Board> = Vec::new();
    for rel in folder.files("boards", Some(1)) {
        let name = &rel["boards/".len()..];
        let Some(stem) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            continue;
        };
        let Some(src) = read_text(folder, &rel, diags) else {
            continue;
        };
        let file: BoardFile = match yaml::parse(&rel, &src, &src, 0) {
            Ok(f) => f,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let ctx = FileCtx {
            site,
            urls,
            rel: &rel,
            src: &src,
            layouts: &layouts,
        };
        if let Some(board) = ctx.board(stem, file, diags) {
            if let Some(other) = boards.iter().find(|b| b.slug == board.slug) {
                diags.push(same_slug(other, &board));
                continue;
            }
            boards.push(board);
        }
    }
    // Once for the site, at the first board whose code leads to the placeholder.
    let leads_nowhere = boards.iter().find(|b| {
        b.qr.as_ref()
            .is_some_and(|q| !crate::urls::is_public(&q.url))
    });
    if let (Some(base), Some(b)) = (urls.public.as_deref(), leads_nowhere) {
        if !crate::urls::is_public(base) {
            diags.push(
                Diagnostic::warning(
                    format!("the boards' QR codes lead nowhere: base_url {base} is not a public address"),
                    format!("展板二维码无法访问：base_url {base} 不是公网地址"),
                )
                .file(b.source.as_str())
                .hint(
                    "set base_url in site.yaml to the address the site is published at, or `qr: false`",
                    "请在 site.yaml 中把 base_url 设为网站发布后的实际地址，或设置 `qr: false`",
                ),
            );
        }
    }
    boards.sort_by(|a, b| {
        let n = |b: &Board| b.series.as_ref().map_or(u32::MAX, |s| s.number);
        (n(a), &a.source).cmp(&(n(b), &b.source))
    });
    boards
}

fn same_slug(first: &Board, second: &Board) -> Diagnostic {
    let (a, b, slug) = (&first.source, &second.source, &second.slug);
    Diagnostic::error(
        format!("{a} and {b} both become /boards/{slug}/"),
        format!("{a} 与 {b} 的网址都是 /boards/{slug}/"),
    )
    .file(b)
    .hint("rename one of the files", "请给其中一个文件改名")
}

/// One board file being read.
struct FileCtx<'a> {
    site: &'a Site,
    urls: &'a Urls,
    rel: &'a str,
    src: &'a str,
    layouts: &'a [String],
}

impl FileCtx<'_> {
    fn at_key(&self, key: &str) -> Option<(usize, usize)> {
        yaml::find_key(self.src, key, 1)
    }

    /// The board of file `stem`: every key checked, every block read; `None` when the
    /// file has errors.
    fn board(&self, stem: &str, file: BoardFile, diags: &mut Diagnostics) -> Option<Board> {
        let mark = diags.len();
        // The defaults of site.yaml were checked, with their line, when it was read.
        let defaults = &self.site.config.boards;
        let process = self.process(&file.process, diags);
        let size = self.size(&file.size, process, diags);
        let bleed = self.bleed(&file.bleed, process, diags);
        let safe = self
            .length("safe", &file.safe, diags)
            .unwrap_or_else(|| process.default_safe());
        let hidden = self
            .length("hidden", &file.hidden, diags)
            .unwrap_or_else(|| process.default_hidden());
        self.check_zones(size, safe, hidden, diags);
        let viewing_distance = self.viewing_distance(&file.viewing_distance, diags);
        let dpi_warning = file
            .dpi_warning
            .or(defaults.dpi_warning)
            .unwrap_or_else(|| process.default_dpi());
        let slug = crate::slug::slugify(stem, self.site.config.slugs);
        let qr = self.qr(&file.qr, &slug, viewing_distance, diags);
        let layout = file.layout.clone().unwrap_or_else(|| "brand".into());
        self.check_layout(&layout, diags);
        let theme = self.theme(&file.theme, diags);
        self.check_series(&file.series, diags);
        let blocks = self.blocks(file.blocks, diags);
        if diags.errors_since(mark) {
            return None;
        }
        Some(Board {
            source: self.rel.to_string(),
            yaml: self.src.to_string(),
            path: routes::board(&slug),
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
            process,
            safe,
            hidden,
            viewing_distance,
            dpi_warning,
            qr,
        })
    }

    /// The board's `size:` in mm, else its process's or site.yaml's.
    fn size(
        &self,
        written: &Option<String>,
        process: Process,
        diags: &mut Diagnostics,
    ) -> (f64, f64) {
        let defaults = &self.site.config.boards;
        match written {
            None => process.default_size().unwrap_or_else(|| defaults.size_mm()),
            Some(text) => config::parse_size(text).unwrap_or_else(|| {
                diags.push(config::bad_size(
                    text,
                    self.rel,
                    self.src,
                    self.at_key("size"),
                ));
                (1.0, 1.0)
            }),
        }
    }

    /// The board's `bleed:` in mm, else site.yaml's; none for a process without bleed.
    fn bleed(&self, written: &Option<String>, process: Process, diags: &mut Diagnostics) -> f64 {
        match written {
            None if !process.bleeds() => 0.0,
            None => self.site.config.boards.bleed_mm(),
            Some(text) if !process.bleeds() && config::parse_length(text) != Some(0.0) => {
                diags.push(
                    Diagnostic::error(
                        format!("a banner (喷绘) has no bleed, but this one has `bleed: {text}`"),
                        format!("喷绘展板没有出血，但这里写了 `bleed: {text}`"),
                    )
                    .file(self.rel)
                    .at_opt(self.src, self.at_key("bleed"))
                    .hint(
                        "remove `bleed:` (the banner's PDF page is its trim, with a safe margin instead), or choose `process: offset` for a board printed with bleed",
                        "请删除 `bleed:`（喷绘的 PDF 页面即成品尺寸，内容避开安全边距即可），或改用 `process: offset` 按出血印刷",
                    ),
                );
                0.0
            }
            Some(text) => config::parse_bleed(text).unwrap_or_else(|| {
                diags.push(config::bad_bleed(
                    text,
                    self.rel,
                    self.src,
                    self.at_key("bleed"),
                ));
                0.0
            }),
        }
    }

    /// The board's blocks, each read on its own (those with mistakes left out and
    /// reported); a board without any is an error.
    fn blocks(&self, written: Vec<Checked<BlockFile>>, diags: &mut Diagnostics) -> Vec<Block> {
        if written.is_empty() {
            diags.push(
                Diagnostic::error("the board has no blocks", "展板没有任何内容块（blocks）")
                    .file(self.rel)
                    .hint(
                        "add `blocks:` with e.g. `- { type: text, title: …, body: … }`",
                        "请添加 `blocks:`，例如 `- { type: text, title: …, body: … }`",
                    ),
            );
        }
        let starts = yaml::item_lines(self.src, "blocks");
        written
            .into_iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let ctx = BlockCtx {
                    file: self,
                    at: starts.get(i).copied(),
                };
                ctx.block(b, diags)
            })
            .collect()
    }

    /// Where `key` of the `qr:` mapping is, else `qr:` itself.
    fn qr_key(&self, key: &str) -> Option<(usize, usize)> {
        let qr = self.at_key("qr")?;
        yaml::find_key(self.src, key, qr.0).or(Some(qr))
    }

    /// The board's `process:`, else site.yaml's `boards.process`.
    fn process(&self, written: &Option<Checked<Process>>, diags: &mut Diagnostics) -> Process {
        match written {
            None => self.site.config.boards.process,
            Some(Checked::Ok(p)) => *p,
            Some(Checked::Bad { written, .. }) => {
                diags.push(
                    Diagnostic::error(
                        format!("there is no print process `{written}`"),
                        format!("没有名为 `{written}` 的印刷工艺"),
                    )
                    .file(self.rel)
                    .at_opt(self.src, self.at_key("process"))
                    .hint(
                        "use `offset` (写真/胶印, with bleed), `banner` (喷绘, no bleed, a safe margin), `rollup` (易拉宝, a hidden strip at the foot) or `xstand` (X展架, free corners)",
                        "请使用 `offset`（写真/胶印，带出血）、`banner`（喷绘，无出血，留安全边距）、`rollup`（易拉宝，底部有隐藏区）或 `xstand`（X展架，四角留空）",
                    ),
                );
                self.site.config.boards.process
            }
        }
    }

    /// A length key (`safe`, `hidden`) in mm; `None` when absent or wrong (reported).
    fn length(&self, key: &str, text: &Option<String>, diags: &mut Diagnostics) -> Option<f64> {
        let text = text.as_ref()?;
        let found = config::parse_length(text);
        if found.is_none() {
            diags.push(
                Diagnostic::error(
                    format!("`{key}: {text}` is not a length"),
                    format!("`{key}: {text}` 不是长度"),
                )
                .file(self.rel)
                .at_opt(self.src, self.at_key(key))
                .hint(
                    "write it with a unit, e.g. `50mm` or `10cm`",
                    "请带单位，例如 `50mm` 或 `10cm`",
                ),
            );
        }
        found
    }

    /// The safe margins and the hidden strip must leave room for the content.
    fn check_zones(&self, size: (f64, f64), safe: f64, hidden: f64, diags: &mut Diagnostics) {
        let (w, h) = size;
        if hidden >= h {
            diags.push(
                Diagnostic::error(
                    format!("the hidden strip ({hidden} mm) is not shorter than the board ({h} mm)"),
                    format!("隐藏区（{hidden} 毫米）不短于展板本身（{h} 毫米）"),
                )
                .file(self.rel)
                .at_opt(self.src, self.at_key("hidden"))
                .hint(
                    "`hidden` is the strip at the foot that goes into the roll-up's stand, usually `100mm`; `size` is the visible part",
                    "`hidden` 是卷入易拉宝底座的底部区域，通常为 `100mm`；`size` 是可见部分的尺寸",
                ),
            );
        } else if 2.0 * safe >= w.min(h - hidden) {
            diags.push(
                Diagnostic::error(
                    format!("the safe margin ({safe} mm at each edge) leaves no room on a {w}×{h} mm board"),
                    format!("安全边距（每边 {safe} 毫米）使 {w}×{h} 毫米的展板没有排版空间"),
                )
                .file(self.rel)
                .at_opt(self.src, self.at_key("safe"))
                .hint("a banner's hem usually takes `50mm`", "喷绘的包边通常为 `50mm`"),
            );
        }
    }

    /// `viewing_distance:` in metres (`3`, `3m`, `300cm`); 1 m by default.
    fn viewing_distance(&self, written: &Option<Number>, diags: &mut Diagnostics) -> f64 {
        let Some(n) = written else { return 1.0 };
        let text = n.display();
        let t = text.trim();
        let metres = if let Some(cm) = t.strip_suffix("cm") {
            cm.trim().parse::<f64>().ok().map(|v| v / 100.0)
        } else if let Some(mm) = t.strip_suffix("mm") {
            mm.trim().parse::<f64>().ok().map(|v| v / 1000.0)
        } else {
            t.strip_suffix('m').unwrap_or(t).trim().parse::<f64>().ok()
        };
        match metres.filter(|m| m.is_finite() && (0.2..=100.0).contains(m)) {
            Some(m) => m,
            None => {
                diags.push(
                    Diagnostic::error(
                        format!("viewing_distance `{text}` is not a distance from 0.2 to 100 m"),
                        format!("viewing_distance `{text}` 不是 0.2 到 100 米之间的距离"),
                    )
                    .file(self.rel)
                    .at_opt(self.src, self.at_key("viewing_distance"))
                    .hint(
                        "how far away people read the board, e.g. `1m` in a room or `5m` for a banner on a wall",
                        "观看距离，例如室内展板 `1m`，墙上的喷绘 `5m`",
                    ),
                );
                1.0
            }
        }
    }

    /// The board's QR code: `qr:` as written, else the board's own page when the site's
    /// public address is a real one.
    fn qr(
        &self,
        written: &Option<QrFile>,
        slug: &str,
        viewing_distance: f64,
        diags: &mut Diagnostics,
    ) -> Option<BoardQr> {
        let own = || routes::board(slug);
        let (target, label, size, asked) = match written {
            None => (own(), None, None, false),
            Some(QrFile::On(false)) => return None,
            Some(QrFile::On(true)) => (own(), None, None, true),
            Some(QrFile::To(to)) => (to.clone(), None, None, true),
            Some(QrFile::Full(f)) => (
                f.url.clone().unwrap_or_else(own),
                f.label.clone(),
                f.size.clone(),
                true,
            ),
        };
        let public = self.urls.public.as_deref();
        let placeholder = !public.is_some_and(crate::urls::is_public);
        if placeholder && !asked {
            return None;
        }
        let label = label.or_else(|| self.to_video(&target).then(|| "扫码观看微视频".to_string()));
        let url = if crate::urls::is_external(&target) {
            target
        } else {
            let path = if target.starts_with('/') {
                target
            } else {
                format!("/{target}")
            };
            self.urls.public_url(&path)?
        };
        let Some(code) = crate::qr::Qr::print(&url) else {
            diags.push(
                Diagnostic::error(
                    format!(
                        "the QR code's address is too long to encode ({} bytes)",
                        url.len()
                    ),
                    format!("二维码地址过长，无法编码（{} 字节）", url.len()),
                )
                .file(self.rel)
                .at_opt(self.src, self.at_key("qr"))
                .hint(
                    "point it at a shorter address, e.g. the board's own page (`qr: true`)",
                    "请改用较短的地址，例如展板自己的网页（`qr: true`）",
                ),
            );
            return None;
        };
        Some(BoardQr {
            label: label.unwrap_or_else(|| "扫码看更多".to_string()),
            url,
            size: self.qr_size(size, viewing_distance, diags),
            code,
        })
    }

    /// Whether the code's `target` is a page with a 微视频, which the code then says.
    fn to_video(&self, target: &str) -> bool {
        !crate::urls::is_external(target) && {
            let path = format!("/{}/", target.trim_matches('/'));
            self.site
                .pages
                .iter()
                .any(|p| p.video.is_some() && *p.path == *path)
        }
    }

    /// The printed size of the code in mm: `size:` as written, else what can be read
    /// from `viewing_distance` (a tenth of it), with a warning when smaller.
    fn qr_size(
        &self,
        written: Option<String>,
        viewing_distance: f64,
        diags: &mut Diagnostics,
    ) -> f64 {
        let min = viewing_distance * 100.0;
        let size = match written {
            None => min,
            Some(text) => match config::parse_length(&text) {
                Some(mm) if mm > 0.0 => mm,
                _ => {
                    diags.push(
                        Diagnostic::error(
                            format!("QR size `{text}` is not a length"),
                            format!("二维码尺寸 `{text}` 不是长度"),
                        )
                        .file(self.rel)
                        .at_opt(self.src, self.qr_key("size"))
                        .hint(
                            format!("e.g. `size: {min:.0}mm` (a tenth of the viewing distance)"),
                            format!("例如 `size: {min:.0}mm`（观看距离的十分之一）"),
                        ),
                    );
                    min
                }
            },
        };
        if size + 0.05 < min {
            diags.push(
                Diagnostic::warning(
                    format!(
                        "the QR code is {size:.0} mm: read from {viewing_distance} m it needs {min:.0} mm"
                    ),
                    format!("二维码边长 {size:.0} 毫米：在 {viewing_distance} 米外扫码至少需要 {min:.0} 毫米"),
                )
                .file(self.rel)
                .at_opt(self.src, self.qr_key("size"))
                .hint(
                    format!("make it `size: {min:.0}mm` or more (a tenth of the viewing distance)"),
                    format!("请设为 `size: {min:.0}mm` 或更大（观看距离的十分之一）"),
                ),
            );
        }
        size
    }

    fn check_layout(&self, layout: &str, diags: &mut Diagnostics) {
        if self.layouts.iter().any(|l| l == layout) {
            return;
        }
        diags.push(
            Diagnostic::error(
                format!("there is no board layout `{layout}`"),
                format!("没有名为 `{layout}` 的展板版式"),
            )
            .file(self.rel)
            .at_opt(self.src, self.at_key("layout"))
            .hint(
                format!(
                    "known layouts: {}; a new one goes in templates/boards/{layout}.typ",
                    self.layouts.join(", ")
                ),
                format!(
                    "可用版式：{}；自定义版式请放在 templates/boards/{layout}.typ",
                    self.layouts.join("、")
                ),
            ),
        );
    }

    fn theme(&self, theme: &Option<Checked<BoardTheme>>, diags: &mut Diagnostics) -> BoardTheme {
        match theme {
            None => BoardTheme::Red,
            Some(Checked::Ok(t)) => *t,
            Some(Checked::Bad { written, .. }) => {
                diags.push(
                    Diagnostic::error(
                        format!("there is no board theme `{written}`"),
                        format!("没有名为 `{written}` 的展板配色"),
                    )
                    .file(self.rel)
                    .at_opt(self.src, self.at_key("theme"))
                    .hint(
                        "use `red` (party red and gold), `blue`, or `site` (the colours of site.yaml's theme)",
                        "请使用 `red`（党建红金）、`blue`（蓝色）或 `site`（site.yaml 中 theme 的颜色）",
                    ),
                );
                BoardTheme::Red
            }
        }
    }

    fn check_series(&self, series: &Option<SeriesFile>, diags: &mut Diagnostics) {
        let Some(s) = series else { return };
        if s.number == 0 || s.number > s.of {
            diags.push(
                Diagnostic::error(
                    format!("series number {} is not between 1 and {}", s.number, s.of),
                    format!("系列编号 {} 不在 1 到 {} 之间", s.number, s.of),
                )
                .file(self.rel)
                .at_opt(self.src, self.at_key("number"))
                .hint(
                    "`number` counts from 1 up to `of`",
                    "`number` 从 1 数到 `of`",
                ),
            );
        }
    }
}

/// One block being resolved, with where it starts in the file.
struct BlockCtx<'a> {
    file: &'a FileCtx<'a>,
    at: Option<(usize, usize)>,
}

impl BlockCtx<'_> {
    fn site(&self) -> &Site {
        self.file.site
    }

    /// Where `key` sits in this block, else the block's start.
    fn pos(&self, key: Option<&str>) -> Option<(usize, usize)> {
        let from = self.at.map_or(1, |a| a.0);
        key.and_then(|k| yaml::find_key(self.file.src, k, from))
            .or(self.at)
    }

    fn error(&self, en: String, zh: String, key: Option<&str>) -> Diagnostic {
        Diagnostic::error(en, zh)
            .file(self.file.rel)
            .at_opt(self.file.src, self.pos(key))
    }

    fn block(&self, b: Checked<BlockFile>, diags: &mut Diagnostics) -> Option<Block> {
        let b = match b {
            Checked::Ok(b) => b,
            Checked::Bad { error, .. } => {
                diags.push(self.schema_error(&error));
                return None;
            }
        };
        let (title, width) = b.title_and_width();
        let (title, width) = (title.clone(), self.width(width, diags));
        let mut text = title.clone().map(|t| t + "\n").unwrap_or_default();
        let content = match b {
            BlockFile::Text { body, .. } => self.text(body, title.is_some(), &mut text, diags)?,
            BlockFile::Stats { from, items, .. } => self.stats(from, items, &mut text, diags)?,
            BlockFile::Photos { album, pick, .. } => self.photos(album, pick, &mut text, diags)?,
            BlockFile::Timeline { from, items, .. } => {
                self.timeline(from, items, &mut text, diags)?
            }
            BlockFile::Pillars { from, .. } => self.pillars(from, &mut text, diags)?,
            BlockFile::Quote {
                text: quote,
                source,
                ..
            } => self.quote(quote, source, &mut text, diags)?,
        };
        Some(Block {
            title,
            width,
            at: self.at,
            content,
            text,
        })
    }

    /// A block that does not fit the schema: an unknown type, a key its type does not
    /// take, a value of the wrong kind.
    fn schema_error(&self, error: &str) -> Diagnostic {
        let (file, src) = (self.file.rel, self.file.src);
        yaml::item_error(file, src, self.at, error, ("block", "内容块"), BLOCK_TYPES)
    }

    fn width(&self, width: &Option<Checked<Width>>, diags: &mut Diagnostics) -> Width {
        match width {
            None => Width::Full,
            Some(Checked::Ok(w)) => *w,
            Some(Checked::Bad { written, .. }) => {
                diags.push(
                    self.error(
                        format!("block width `{written}` is neither `full` nor `half`"),
                        format!("内容块宽度 `{written}` 既不是 `full` 也不是 `half`"),
                        Some("width"),
                    )
                    .hint(
                        "`half` blocks sit two side by side",
                        "`half` 的内容块两两并排",
                    ),
                );
                Width::Full
            }
        }
    }

    fn text(
        &self,
        body: Option<String>,
        has_title: bool,
        text: &mut String,
        diags: &mut Diagnostics,
    ) -> Option<BlockContent> {
        let body = body.unwrap_or_default();
        if body.trim().is_empty() && !has_title {
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
        match tree::to_tree(&body) {
            Ok(body) => {
                tree::plain_text(&body, text);
                Some(BlockContent::Text { body })
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

    /// Whether a stats or timeline block takes its data `from: SOURCE`; with neither
    /// `from:` nor `items:`, or another source, an error.
    fn takes_from(
        &self,
        kind: &str,
        from: &Option<String>,
        has_items: bool,
        source: &str,
        diags: &mut Diagnostics,
    ) -> bool {
        match (from, has_items) {
            (Some(f), _) if f == source => true,
            (Some(f), _) => {
                diags.push(
                    self.error(
                        format!("a {kind} block takes its data `from: {source}`, not `{f}`"),
                        format!("{kind} 块的数据来源应为 `from: {source}`，而不是 `{f}`"),
                        Some("from"),
                    )
                    .hint(
                        format!("write `from: {source}`, or list the entries under `items:`"),
                        format!("请写 `from: {source}`，或在 `items:` 下逐条列出"),
                    ),
                );
                false
            }
            (None, true) => false,
            (None, false) => {
                diags.push(
                    self.error(
                        format!("a {kind} block needs `from: {source}` or `items:`"),
                        format!("{kind} 块需要 `from: {source}` 或 `items:`"),
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

    /// An error for `from:` naming a file that has nothing for this block.
    fn nothing_in(&self, en: &str, zh: &str, add_en: &str, add_zh: &str) -> Diagnostic {
        self.error(en.into(), zh.into(), Some("from"))
            .hint(add_en, add_zh)
    }

    fn stats(
        &self,
        from: Option<String>,
        items: Option<Vec<StatItemFile>>,
        text: &mut String,
        diags: &mut Diagnostics,
    ) -> Option<BlockContent> {
        let items: Vec<StatItem> =
            if self.takes_from("stats", &from, items.is_some(), "achievements", diags) {
                let stats = &self.site().achievements.stats;
                if stats.is_empty() {
                    diags.push(
                        self.nothing_in(
                            "achievements.yaml has no stats for this block",
                            "achievements.yaml 中没有可供此块使用的数据（stats）",
                            "add `stats:` to achievements.yaml, or list `items:` here",
                            "请在 achievements.yaml 中添加 `stats:`，或在此处列出 `items:`",
                        )
                        .follows_from(crate::load::brand::ACHIEVEMENTS_FILE),
                    );
                    return None;
                }
                stats
                    .iter()
                    .map(|s| StatItem {
                        label: s.label.clone(),
                        value: s.value.clone(),
                        unit: s.unit.clone(),
                    })
                    .collect()
            } else {
                let mut out = Vec::new();
                for item in items? {
                    let (Some(label), Some(value)) = (item.label, item.value) else {
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
                    };
                    out.push(StatItem {
                        label,
                        value: value.display(),
                        unit: item.unit,
                    });
                }
                out
            };
        for s in &items {
            text.push_str(&format!(
                "{} {}{}\n",
                s.label,
                s.value,
                s.unit.as_deref().unwrap_or("")
            ));
        }
        Some(BlockContent::Stats { items })
    }

    fn timeline(
        &self,
        from: Option<String>,
        items: Option<Vec<TimelineItemFile>>,
        text: &mut String,
        diags: &mut Diagnostics,
    ) -> Option<BlockContent> {
        let items: Vec<TimelineItem> =
            if self.takes_from("timeline", &from, items.is_some(), "achievements", diags) {
                let ms = &self.site().achievements.milestones;
                if ms.is_empty() {
                    diags.push(
                        self.nothing_in(
                            "achievements.yaml has no milestones for this timeline",
                            "achievements.yaml 中没有可供时间轴使用的大事记（milestones）",
                            "add `milestones:` to achievements.yaml, or list `items:` here",
                            "请在 achievements.yaml 中添加 `milestones:`，或在此处列出 `items:`",
                        )
                        .follows_from(crate::load::brand::ACHIEVEMENTS_FILE),
                    );
                    return None;
                }
                ms.iter()
                    .map(|m| {
                        let mut body = String::new();
                        crate::markdown::html_to_text(&m.body, &mut body);
                        TimelineItem {
                            date: m.date.display_zh(),
                            title: m.title.clone(),
                            text: body.trim().to_string(),
                        }
                    })
                    .collect()
            } else {
                let mut out = Vec::new();
                for item in items? {
                    let (Some(date), Some(title)) = (item.date.map(|d| d.display()), item.title)
                    else {
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
                    };
                    let date = crate::model::Date::parse(&date)
                        .map(|d| d.display_zh())
                        .unwrap_or(date);
                    out.push(TimelineItem {
                        date,
                        title,
                        text: item.text.unwrap_or_default(),
                    });
                }
                out
            };
        for i in &items {
            text.push_str(&format!("{} {}\n{}\n", i.date, i.title, i.text));
        }
        Some(BlockContent::Timeline { items })
    }

    fn pillars(
        &self,
        from: Option<String>,
        text: &mut String,
        diags: &mut Diagnostics,
    ) -> Option<BlockContent> {
        if from.as_deref() != Some("brand") {
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
        let Some(brand) = self.site().brand.as_ref().filter(|b| !b.pillars.is_empty()) else {
            diags.push(
                self.nothing_in(
                    "brand.yaml has no pillars for this block",
                    "brand.yaml 中没有可供此块使用的品牌内容（pillars）",
                    "add `pillars:` to brand.yaml",
                    "请在 brand.yaml 中添加 `pillars:`",
                )
                .follows_from(crate::load::brand::BRAND_FILE),
            );
            return None;
        };
        let items: Vec<PillarItem> = brand
            .pillars
            .iter()
            .map(|p| PillarItem {
                name: p.name.clone(),
                motto: p.motto.clone(),
                summary: p.summary.clone(),
            })
            .collect();
        for p in &items {
            text.push_str(&format!(
                "{}\n{}\n{}\n",
                p.name,
                p.motto.as_deref().unwrap_or(""),
                p.summary.as_deref().unwrap_or("")
            ));
        }
        Some(BlockContent::Pillars {
            brand: brand.name.clone(),
            items,
        })
    }

    fn quote(
        &self,
        quote: Option<String>,
        source: Option<String>,
        text: &mut String,
        diags: &mut Diagnostics,
    ) -> Option<BlockContent> {
        let Some(quote) = quote.filter(|t| !t.trim().is_empty()) else {
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
        if let Some(s) = &source {
            text.push_str(s);
        }
        Some(BlockContent::Quote {
            text: quote,
            source,
        })
    }

    fn photos(
        &self,
        album: Option<String>,
        pick: Option<Vec<String>>,
        text: &mut String,
        diags: &mut Diagnostics,
    ) -> Option<BlockContent> {
        let Some(name) = album else {
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
        let albums = &self.site().albums;
        let Some(album) = albums.iter().find(|a| a.name == name) else {
            let known: Vec<&str> = albums.iter().map(|a| a.name.as_str()).collect();
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
        let chosen: Vec<&crate::model::Photo> = match &pick {
            Some(pick) => self.picked(album, pick, diags)?,
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
        let photos = chosen
            .iter()
            .map(|p| {
                if let Some(c) = &p.caption {
                    text.push_str(c);
                    text.push('\n');
                }
                BoardPhoto {
                    source: p.source.clone(),
                    caption: p.caption.clone(),
                }
            })
            .collect();
        Some(BlockContent::Photos {
            album: album.title.clone(),
            photos,
        })
    }

    /// The photos `pick:` names, each of which must be in the album.
    fn picked<'s>(
        &self,
        album: &'s crate::model::Album,
        pick: &[String],
        diags: &mut Diagnostics,
    ) -> Option<Vec<&'s crate::model::Photo>> {
        let name = &album.name;
        let mut out = Vec::new();
        for file in pick {
            match album.photos.iter().find(|p| &p.file == file) {
                Some(p) => out.push(p),
                None => {
                    let from = self.at.map_or(1, |a| a.0);
                    let pos = yaml::find_text_from(self.file.src, file, from).or(self.at);
                    diags.push(
                        Diagnostic::error(
                            format!("photo `{file}` is not in album `{name}`"),
                            format!("相册 `{name}` 中没有照片 `{file}`"),
                        )
                        .file(self.file.rel)
                        .at_opt(self.file.src, pos)
                        .hint(
                            format!("put the photo in albums/{name}/ or fix the name; names are case-sensitive"),
                            format!("请把照片放进 albums/{name}/，或改正文件名；文件名区分大小写"),
                        ),
                    );
                }
            }
        }
        (out.len() == pick.len()).then_some(out)
    }
}

/// The problems serde finds in a board's text on its own, as `build` words them (a
/// block's own mistakes are found when the board is loaded).
pub(crate) fn check_text(rel: &str, src: &str) -> Option<Diagnostic> {
    yaml::parse::<BoardFile>(rel, src, src, 0).err()
}

/// The schema the loader reads BoardFile by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(BoardFile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_starts_are_found() {
        let src = "title: x\nblocks:\n  - { type: text }\n  - type: stats\n    from: achievements\n\n  - type: quote\nmarks: true\n";
        assert_eq!(
            yaml::item_lines(src, "blocks"),
            vec![(3, 3), (4, 3), (7, 3)]
        );
    }
}
