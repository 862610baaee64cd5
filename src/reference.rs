//! The settings reference (docs/content/guide/peizhi.md) made from the schemas the
//! loader reads each file by: a key added to or removed from the code changes the tables,
//! and the test fails until the page is regenerated (`ZHANTING_BLESS=1 cargo test
//! reference`). Names, types and defaults come from the code; the Chinese meaning and an
//! example of each key come from [`NOTES`], which must cover every key and no other.

use serde_json::{Map, Value};

/// One key of one file, as the tables show it.
#[derive(Debug)]
struct Row {
    /// `theme.primary`, `nav[].title`, `blocks[].body`.
    path: String,
    /// The variants of a tagged list (`type: text`) that have the key, and how many the
    /// list has.
    variants: Vec<String>,
    of: usize,
    kind: String,
    default: String,
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            resolve(root, &root["$defs"][name])
        }
        None => schema,
    }
}

/// The schema without its `null` alternative (what an `Option` adds).
fn non_null<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(root, schema);
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let rest: Vec<&Value> = any
            .iter()
            .filter(|s| s.get("type") != Some(&Value::from("null")))
            .collect();
        if rest.len() == 1 {
            return resolve(root, rest[0]);
        }
    }
    schema
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => vec![],
    }
}

/// The values a string enum takes, if it is one.
fn choices(schema: &Value) -> Option<Vec<String>> {
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        return Some(
            e.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        );
    }
    let mut values = Vec::new();
    for v in schema.get("oneOf")?.as_array()? {
        match (v.get("const"), v.get("enum").and_then(Value::as_array)) {
            (Some(c), _) => values.push(c.as_str()?.to_string()),
            (None, Some(e)) => {
                for c in e {
                    values.push(c.as_str()?.to_string());
                }
            }
            _ => return None,
        }
    }
    Some(values)
}

/// A tagged enum's variants: (tag value, schema of the variant).
fn variants<'a>(root: &'a Value, schema: &'a Value) -> Option<Vec<(String, &'a Value)>> {
    let one = schema.get("oneOf")?.as_array()?;
    one.iter()
        .map(|v| {
            let v = resolve(root, v);
            let tag = v.get("properties")?.get("type")?.get("const")?.as_str()?;
            Some((tag.to_string(), v))
        })
        .collect()
}

/// The type in words, for a schema that is not an object (objects get rows of their own).
fn kind(root: &Value, schema: &Value) -> String {
    let schema = non_null(root, schema);
    if let Some(c) = choices(schema) {
        let list: Vec<String> = c.iter().map(|c| format!("`{c}`")).collect();
        return format!("其一：{}", list.join("、"));
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let mut words: Vec<String> = any
            .iter()
            .filter(|s| s.get("type") != Some(&Value::from("null")))
            .map(|s| kind(root, s))
            .collect();
        words.dedup();
        if words.contains(&"数".to_string()) {
            words.retain(|w| w != "整数");
        }
        return words.join("，或");
    }
    let t = types(schema);
    match t.as_slice() {
        ["string"] => "文字".into(),
        ["boolean"] => "`true` 或 `false`".into(),
        ["integer"] if schema.get("minimum").is_some() => "整数（不小于 0）".into(),
        ["integer"] => "整数".into(),
        ["number"] => "数".into(),
        ["object"] => "映射".into(),
        ["array"] => {
            let items = &schema["items"];
            let inner = non_null(root, items);
            let n = schema
                .get("minItems")
                .filter(|n| schema.get("maxItems") == Some(n));
            match n {
                Some(n) => format!("{n} 个{}的列表", kind(root, inner)),
                None if variants(root, inner).is_some() => "列表（每项一个 `type`）".into(),
                None if types(inner) == ["object"] => "列表（每项一个映射）".into(),
                None if choices(inner).is_some() => format!("列表，每项{}", kind(root, inner)),
                None => format!("{}的列表", kind(root, inner)),
            }
        }
        other => panic!("no words for the type {other:?} in {schema}"),
    }
}

fn default_words(value: Option<&Value>, required: bool) -> String {
    if required {
        return "必填".into();
    }
    match value {
        None | Some(Value::Null) => "无".into(),
        Some(Value::Array(a)) if a.is_empty() => "无".into(),
        Some(Value::Object(_)) => "见下".into(),
        Some(v) => format!("`{}`", as_yaml(v)),
    }
}

/// A default as one would write it in the file: `[480, 960]`, `[webp, jpeg]`, `3mm`, `0`.
fn as_yaml(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && n.is_f64() => format!("{f:.0}"),
            _ => n.to_string(),
        },
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(as_yaml).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn is_object(root: &Value, schema: &Value) -> bool {
    let s = non_null(root, schema);
    types(s) == ["object"] && s.get("properties").is_some()
}

/// The rows of a mapping's keys; `variant` is the tagged list's variant they belong to,
/// and `tagged` says the mapping is that variant itself (its `type` has a row already).
fn object_rows(
    root: &Value,
    schema: &Value,
    prefix: &str,
    variant: Option<(&str, usize)>,
    tagged: bool,
    out: &mut Vec<Row>,
) {
    let empty = Map::new();
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut keys: Vec<&String> = props.keys().collect();
    keys.sort();
    for key in keys {
        let field = &props[key];
        let path = format!("{prefix}{key}");
        if tagged && key == "type" {
            continue;
        }
        let required = required.contains(&key.as_str());
        let inner = non_null(root, field);
        let default = if is_object(root, inner) && !required {
            "见下".to_string()
        } else {
            default_words(field.get("default"), required)
        };
        // The key's own row, first of the rows of what it holds.
        out.push(Row {
            path: path.clone(),
            variants: variant
                .map(|(v, _)| vec![v.to_string()])
                .unwrap_or_default(),
            of: variant.map_or(0, |(_, n)| n),
            kind: kind(root, field),
            default,
        });
        // A list of mappings, or of tagged mappings.
        if types(inner) == ["array"] {
            let items = non_null(root, &inner["items"]);
            if let Some(vs) = variants_of(root, items) {
                let tags: Vec<String> = vs.iter().map(|(t, _)| format!("`{t}`")).collect();
                out.push(Row {
                    path: format!("{path}[].type"),
                    variants: vec![],
                    of: 0,
                    kind: format!("其一：{}", tags.join("、")),
                    default: "必填".into(),
                });
                let n = vs.len();
                for (tag, v) in vs {
                    object_rows(root, v, &format!("{path}[]."), Some((&tag, n)), true, out);
                }
                continue;
            }
            if is_object(root, items) {
                object_rows(root, items, &format!("{path}[]."), variant, false, out);
                continue;
            }
        }
        // A mapping, or something that may be written as one (the board's `qr`).
        let mapping = if is_object(root, inner) {
            Some(inner)
        } else {
            inner.get("anyOf").and_then(Value::as_array).and_then(|a| {
                a.iter()
                    .map(|s| non_null(root, s))
                    .find(|s| is_object(root, s))
            })
        };
        if let Some(m) = mapping {
            object_rows(root, m, &format!("{path}."), variant, false, out);
        }
    }
}

fn variants_of<'a>(root: &'a Value, schema: &'a Value) -> Option<Vec<(String, &'a Value)>> {
    variants(root, schema).filter(|v| !v.is_empty())
}

/// The rows of one file, keys that several variants share merged into one row.
fn rows(schema: schemars::Schema) -> Vec<Row> {
    let root = schema.to_value();
    let mut out = Vec::new();
    object_rows(&root, &root, "", None, false, &mut out);
    let mut merged: Vec<Row> = Vec::new();
    for row in out {
        match merged.iter_mut().find(|r| r.path == row.path) {
            Some(r) => {
                assert_eq!(r.kind, row.kind, "{} differs between variants", row.path);
                r.variants.extend(row.variants);
            }
            None => merged.push(row),
        }
    }
    // A mapping's keys follow it, a tagged list's `type` first.
    merged.sort_by_cached_key(|r| r.path.replace("[].type", "[].\u{1}type"));
    merged
}

/// The files of the reference: (name as the page titles it, its schema).
fn files() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("site.yaml", crate::config::schema()),
        ("brand.yaml", crate::load::brand::brand_schema()),
        (
            "achievements.yaml",
            crate::load::brand::achievements_schema(),
        ),
        ("album.yaml", crate::load::albums::schema()),
        ("boards/*.yaml", crate::load::boards::schema()),
        ("deck.yaml", crate::load::deck::schema()),
        ("checks.yaml", crate::checks::schema()),
        ("screen.yaml", crate::load::screen::schema()),
        ("portal.yaml", crate::config::portal::schema()),
        (
            "页面的头部（front matter）",
            crate::load::content::front_matter_schema(),
        ),
        (
            "栏目的 _index.md 头部",
            crate::load::content::section_schema(),
        ),
    ]
}

/// The meaning and an example of each key: (file, key, 说明, 示例 as written in the file).
#[rustfmt::skip]
const NOTES: &[(&str, &str, &str, &str)] = &[
    ("site.yaml", "title", "网站名称，显示在每页顶部和浏览器标签上", "title: 中共绿水社区第一支部委员会"),
    ("site.yaml", "subtitle", "显示在名称下方的一行字", "subtitle: 「五微一体」党建品牌"),
    ("site.yaml", "description", "一句话介绍，给搜索引擎和分享链接用；不写时用品牌的 `summary`", "description: 绿水社区第一党支部的党建品牌展示网站"),
    ("site.yaml", "base_url", "网站的完整网址，路径部分（如 `/dangjian/`）会加在每个链接前；`build` 时必须有（或用 `--base-url` 给出）", "base_url: https://dangjian.example.gov.cn/"),
    ("site.yaml", "language", "网站界面的语言", "language: zh-CN"),
    ("site.yaml", "organization", "上级党组织，显示在网站名称上方", "organization: 中共某某街道工作委员会"),
    ("site.yaml", "logo", "页头的小标识（也是浏览器标签页的图标），图片路径相对于站点文件夹，文件必须存在", "logo: brand/logo.png"),
    ("site.yaml", "theme", "网页的主题色", "theme: { primary: \"#c8161d\", accent: \"#f4b400\" }"),
    ("site.yaml", "theme.primary", "主色（十六进制颜色），用于页头、标题和按钮", "theme: { primary: \"#c8161d\" }"),
    ("site.yaml", "theme.accent", "辅色（十六进制颜色），用于点缀和数字", "theme: { accent: \"#f4b400\" }"),
    ("site.yaml", "nav", "导航栏；不写时依次为首页、品牌、各栏目、成果和根目录页面", "nav: [{ title: 新闻, url: /news/ }]"),
    ("site.yaml", "nav[].title", "导航项的文字", "title: 支部动态"),
    ("site.yaml", "nav[].url", "站内路径（`/news/`）或完整网址", "url: /news/"),
    ("site.yaml", "footer", "页脚信息", "footer: { icp: 京ICP备12345678号 }"),
    ("site.yaml", "footer.icp", "ICP 备案号，链接到 beian.miit.gov.cn", "icp: 京ICP备12345678号-1"),
    ("site.yaml", "footer.police", "公安备案号（含 14 位数字），链接到 beian.mps.gov.cn", "police: 京公网安备11010502012345号"),
    ("site.yaml", "footer.copyright", "版权行", "copyright: 中共绿水社区第一支部委员会"),
    ("site.yaml", "footer.contact", "联系方式（检查不把这里的电话当作个人信息）", "contact: 010-12345678"),
    ("site.yaml", "footer.address", "地址", "address: 某某市某某区绿水路 1 号"),
    ("site.yaml", "slugs", "网址怎样由文件名生成：`pinyin` 为不带声调的拼音，`unicode` 保留汉字", "slugs: pinyin"),
    ("site.yaml", "paginate_by", "列表页每页的条数（栏目自己没设时，以及标签页和载体页）", "paginate_by: 20"),
    ("site.yaml", "images", "照片处理", "images: { quality: 82 }"),
    ("site.yaml", "images.widths", "每张照片生成的宽度（像素）", "widths: [480, 960, 1600]"),
    ("site.yaml", "images.quality", "压缩质量，1 到 100", "quality: 82"),
    ("site.yaml", "images.formats", "生成的图片格式", "formats: [webp, jpeg]"),
    ("site.yaml", "images.strip_metadata", "去掉照片里的拍摄地点等信息", "strip_metadata: true"),
    ("site.yaml", "boards", "展板的默认设置，每块展板可以自己改", "boards: { process: banner }"),
    ("site.yaml", "boards.size", "成品尺寸：宽x高（mm 或 cm），或 A0、A1、60x90、80x180、90x120、120x240（cm）", "size: 900x1200mm"),
    ("site.yaml", "boards.bleed", "出血，0 到 20 mm", "bleed: 3mm"),
    ("site.yaml", "boards.dpi_warning", "照片低于这个 DPI 时警告，覆盖各印刷工艺自己的标准（喷绘 30，其他 72）", "dpi_warning: 100"),
    ("site.yaml", "boards.process", "没写 `process` 的展板用的印刷工艺：写真/胶印、喷绘、易拉宝、X展架", "process: offset"),
    ("site.yaml", "boards.cmyk", "红色配色在印刷时的油墨（C M Y K，百分比）", "cmyk: { primary: [0, 100, 100, 0] }"),
    ("site.yaml", "boards.cmyk.primary", "主色的油墨", "primary: [0, 100, 100, 0]"),
    ("site.yaml", "boards.cmyk.accent", "辅色的油墨", "accent: [0, 12, 90, 0]"),
    ("site.yaml", "boards.font", "正文字体的名称（放在 `fonts/` 里或系统已安装）；不写时用内置的思源黑体", "font: 方正仿宋_GBK"),
    ("site.yaml", "boards.title_font", "标题字体的名称；不写时用内置的思源宋体（粗）", "title_font: 方正小标宋_GBK"),
    ("site.yaml", "search", "全站搜索（`/search/` 和每页的搜索框）", "search: true"),
    ("site.yaml", "feed", "生成订阅文件 `feed.xml`", "feed: true"),
    ("site.yaml", "documents", "在 `/downloads/` 发布展评演示文稿和最近一年的成果汇编，并在品牌页链接", "documents: false"),
    ("site.yaml", "publish", "`zhanting publish` 发布到哪里：对象存储或文件夹（见“发布与备案”）；访问密钥不能写在这里", "publish: { kind: s3, endpoint: https://oss-cn-chengdu.aliyuncs.com, bucket: dangjian }"),
    ("site.yaml", "publish.kind", "`s3`：S3 兼容的对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO）；`folder`：文件夹（U 盘、共享文件夹）", "kind: s3"),
    ("site.yaml", "publish.endpoint", "对象存储的访问地址（`s3`）", "endpoint: https://cos.ap-guangzhou.myqcloud.com"),
    ("site.yaml", "publish.bucket", "存储桶名称（`s3`；COS 带 APPID）", "bucket: dangjian-1250000000"),
    ("site.yaml", "publish.prefix", "存储桶中的文件夹，网站放在它下面；与 `base_url` 的路径相同", "prefix: lvshui/"),
    ("site.yaml", "publish.region", "签名用的地域；不写时由 `endpoint` 推出（如 `oss-cn-chengdu` → `cn-chengdu`），否则为 `us-east-1`", "region: cn-chengdu"),
    ("site.yaml", "publish.path_style", "用 `endpoint/存储桶/文件` 形式的地址，用于以 IP 访问或自建的 MinIO", "path_style: true"),
    ("site.yaml", "publish.path", "发布到的文件夹（`folder`），不能在站点文件夹之内；相对路径从站点文件夹算起", "path: /media/usb/dangjian"),
    ("site.yaml", "publish.credentials", "存放访问密钥的文件（在站点文件夹之外），不用环境变量 `ZHANTING_ACCESS_KEY_ID`、`ZHANTING_SECRET_ACCESS_KEY` 时使用", "credentials: ~/.config/zhanting/credentials"),
    ("site.yaml", "publish.max_deletes", "一次发布最多删除的文件数，超过时整次发布不执行（`--max-deletes` 可临时改）", "max_deletes: 256"),

    ("brand.yaml", "name", "品牌名称（有名称）", "name: 五微一体"),
    ("brand.yaml", "slogan", "口号", "slogan: 以微见著 · 聚力前行"),
    ("brand.yaml", "logo", "品牌标识图片（有标识），路径相对于站点文件夹", "logo: brand/logo.png"),
    ("brand.yaml", "logo_meaning", "标识的寓意", "logo_meaning: 标识以党旗红为主色……"),
    ("brand.yaml", "summary", "一句话概括", "summary: 以“五微”为载体……"),
    ("brand.yaml", "meaning", "品牌内涵（有内涵），Markdown", "meaning: \"“五微一体”是……\""),
    ("brand.yaml", "story", "品牌的由来和发展，Markdown", "story: 2017年，支部……"),
    ("brand.yaml", "pillars", "工作载体（有载体），按顺序", "pillars: [{ name: 微党课 }]"),
    ("brand.yaml", "pillars[].name", "载体名称", "name: 微党课"),
    ("brand.yaml", "pillars[].key", "载体页的网址 `/brand/KEY/`；不写时由名称生成", "key: dangke"),
    ("brand.yaml", "pillars[].motto", "载体的一句话", "motto: 用微党课讲透大道理"),
    ("brand.yaml", "pillars[].summary", "载体的简介", "summary: 每月一期“十分钟微党课”"),
    ("brand.yaml", "pillars[].body", "载体页的正文，Markdown", "body: 支部坚持……"),
    ("brand.yaml", "pillars[].cover", "载体的封面照片，路径相对于站点文件夹", "cover: brand/dangke.jpg"),

    ("achievements.yaml", "stats", "统计数字，显示在成果页、首页、展板和演示文稿", "stats: [{ label: 微党课, value: 35, unit: 期 }]"),
    ("achievements.yaml", "stats[].label", "名称", "label: 微党课"),
    ("achievements.yaml", "stats[].value", "数值；带逗号等的写成加引号的文字", "value: \"3,200\""),
    ("achievements.yaml", "stats[].unit", "单位", "unit: 期"),
    ("achievements.yaml", "stats[].as_of", "统计截至的时间", "as_of: 2025-06"),
    ("achievements.yaml", "stats[].note", "说明", "note: 年度数据"),
    ("achievements.yaml", "honors", "荣誉", "honors: [{ title: 先进基层党组织, year: 2019 }]"),
    ("achievements.yaml", "honors[].title", "荣誉名称", "title: 先进基层党组织"),
    ("achievements.yaml", "honors[].year", "获得的年份", "year: 2019"),
    ("achievements.yaml", "honors[].issuer", "授予单位", "issuer: 中共某某区委"),
    ("achievements.yaml", "honors[].image", "奖牌或证书的照片，路径相对于站点文件夹", "image: honors/2019.jpg"),
    ("achievements.yaml", "milestones", "大事记，文件里顺序随意，按日期显示", "milestones: [{ date: 2017-05, title: 平台上线 }]"),
    ("achievements.yaml", "milestones[].date", "日期：年、年-月或年-月-日", "date: 2017-05"),
    ("achievements.yaml", "milestones[].title", "事件", "title: “五微社区”平台上线"),
    ("achievements.yaml", "milestones[].body", "详细说明", "body: 注册用户约16万人"),

    ("album.yaml", "title", "相册名称", "title: 七一主题党日"),
    ("album.yaml", "date", "日期，决定相册在照片档案里的年份和顺序", "date: 2025-07-01"),
    ("album.yaml", "location", "地点", "location: 社区党群服务中心"),
    ("album.yaml", "description", "相册说明", "description: 全体党员重温入党誓词"),
    ("album.yaml", "cover", "封面照片，相册文件夹里的文件名；不写时用第一张", "cover: IMG_0001.jpg"),
    ("album.yaml", "photos", "照片的顺序和说明；没列出的照片按拍摄时间排在后面", "photos: [{ file: IMG_0001.jpg, caption: 重温入党誓词 }]"),
    ("album.yaml", "photos[].file", "相册文件夹里的文件名", "file: IMG_0001.jpg"),
    ("album.yaml", "photos[].caption", "照片说明，也是照片的替代文字", "caption: 重温入党誓词"),

    ("boards/*.yaml", "title", "展板标题", "title: 「五微一体」党建品牌"),
    ("boards/*.yaml", "subtitle", "副标题", "subtitle: 中共绿水社区第一支部委员会"),
    ("boards/*.yaml", "size", "成品尺寸；不写时按印刷工艺或 site.yaml 的 `boards.size`", "size: 900x1200mm"),
    ("boards/*.yaml", "bleed", "出血，0 到 20 mm；喷绘不能写", "bleed: 3mm"),
    ("boards/*.yaml", "series", "系列展板中的位置", "series: { name: 支部党建展板, number: 1, of: 3 }"),
    ("boards/*.yaml", "series.name", "系列名称", "name: 支部党建展板"),
    ("boards/*.yaml", "series.number", "第几块", "number: 1"),
    ("boards/*.yaml", "series.of", "一共几块", "of: 3"),
    ("boards/*.yaml", "layout", "版式：`brand`（竖版）、`history`（时间轴）或 `templates/boards/` 里自己的版式；不写时为 `brand`", "layout: history"),
    ("boards/*.yaml", "theme", "配色：`red` 党旗红和金色，`blue`，`site` 用网站的主题色；不写时为 `red`", "theme: red"),
    ("boards/*.yaml", "marks", "在出血外加裁切线", "marks: true"),
    ("boards/*.yaml", "process", "印刷工艺：`offset` 写真/胶印，`banner` 喷绘，`rollup` 易拉宝，`xstand` X展架；不写时按 site.yaml", "process: rollup"),
    ("boards/*.yaml", "safe", "四边留空的安全边距（喷绘默认 50 mm，用于包边和打孔）", "safe: 50mm"),
    ("boards/*.yaml", "hidden", "易拉宝底部插进底座的高度（默认 100 mm）", "hidden: 100mm"),
    ("boards/*.yaml", "viewing_distance", "观看距离（米）：决定最小可读字号和二维码大小；不写时为 1 米", "viewing_distance: 3m"),
    ("boards/*.yaml", "dpi_warning", "照片低于这个 DPI 时警告", "dpi_warning: 72"),
    ("boards/*.yaml", "qr", "二维码：`true` 指向展板自己的网页，`false` 不要，写网址或站内路径指向别处，或写成映射", "qr: /news/weishipin/"),
    ("boards/*.yaml", "qr.url", "二维码指向的网址或站内路径", "url: /news/weishipin/"),
    ("boards/*.yaml", "qr.label", "二维码旁边的文字；不写时为“扫码看更多”", "label: 扫码观看微视频"),
    ("boards/*.yaml", "qr.size", "二维码边长（含白边）；不写时为观看距离的十分之一", "size: 120mm"),
    ("boards/*.yaml", "blocks", "从上到下的内容块", "blocks: [{ type: text, title: 品牌内涵, body: …… }]"),
    ("boards/*.yaml", "blocks[].type", "内容块的种类：文字、统计数字、照片、时间轴、工作载体、引语", "type: stats"),
    ("boards/*.yaml", "blocks[].title", "内容块的标题", "title: 品牌内涵"),
    ("boards/*.yaml", "blocks[].width", "宽度：`full` 占满一行，`half` 两块并排；不写时为 `full`", "width: half"),
    ("boards/*.yaml", "blocks[].body", "正文，Markdown（段落、加粗、列表、引用）", "body: 用**微党课**讲透大道理"),
    ("boards/*.yaml", "blocks[].from", "数据来源：统计数字和时间轴用 `achievements`，工作载体用 `brand`", "from: achievements"),
    ("boards/*.yaml", "blocks[].items", "不用 `from` 时直接写出的条目", "items: [{ label: 党员, value: 52, unit: 名 }]"),
    ("boards/*.yaml", "blocks[].items[].label", "统计数字的名称", "label: 党员"),
    ("boards/*.yaml", "blocks[].items[].value", "统计数字的数值", "value: 52"),
    ("boards/*.yaml", "blocks[].items[].unit", "统计数字的单位", "unit: 名"),
    ("boards/*.yaml", "blocks[].items[].date", "时间轴条目的日期", "date: 2017"),
    ("boards/*.yaml", "blocks[].items[].title", "时间轴条目的事件", "title: 开设十分钟微党课"),
    ("boards/*.yaml", "blocks[].items[].text", "时间轴条目的说明", "text: 第一期在社区党群服务中心开讲"),
    ("boards/*.yaml", "blocks[].album", "照片来自的相册（`albums/` 下的文件夹名）", "album: 2025-qiyi"),
    ("boards/*.yaml", "blocks[].pick", "选用的照片文件名；不写时用相册前 4 张", "pick: [IMG_0001.jpg, IMG_0002.jpg]"),
    ("boards/*.yaml", "blocks[].text", "引语", "text: 以微见著，聚力前行。"),
    ("boards/*.yaml", "blocks[].source", "引语的出处", "source: 品牌口号"),

    ("deck.yaml", "date", "封面上的日期；不写时为本月", "date: 2026年12月"),
    ("deck.yaml", "slides", "幻灯片的顺序；不写时为网站有内容的全部幻灯片", "slides: [{ type: cover }, { type: pillars }]"),
    ("deck.yaml", "slides[].type", "幻灯片的种类：封面、品牌内涵、全部载体（每个一页）、一个载体、成果、大事记、照片墙、自由文字、结束页", "type: results"),
    ("deck.yaml", "slides[].title", "幻灯片的标题（代替默认标题）", "title: 主要成效"),
    ("deck.yaml", "slides[].notes", "讲稿，写进 `deck-notes.pdf`，不在网站上发布", "notes: 各位领导、同志们：……"),
    ("deck.yaml", "slides[].pillar", "载体的名称或 `key`", "pillar: 微党课"),
    ("deck.yaml", "slides[].albums", "照片来自的相册；不写时为全部相册，新的在前", "albums: [2025-qiyi]"),
    ("deck.yaml", "slides[].body", "正文，Markdown（不能有图片、表格和 HTML）", "body: \"- **深化载体**：……\""),

    ("screen.yaml", "seconds", "每张幻灯片停留的秒数，3 到 600", "seconds: 15"),
    ("screen.yaml", "slides", "显示哪几种幻灯片、按什么顺序（可以重复）：品牌、各载体、统计数字、最新动态、相册照片、展板；不写时为网站有内容的全部", "slides: [brand, stats, photos, brand, boards]"),
    ("portal.yaml", "title", "门户名称（党委、机关工委），显示在每页顶部", "title: 中共某某区直属机关工作委员会"),
    ("portal.yaml", "subtitle", "显示在名称下方的一行字", "subtitle: 一支部一品牌 · 一品牌一特色"),
    ("portal.yaml", "description", "一句话介绍，给搜索引擎和分享链接用", "description: 区直机关各党支部党建品牌集中展示"),
    ("portal.yaml", "base_url", "门户的完整网址；每个支部发布在它下面的 `支部slug/`，支部自己的 `base_url` 在门户中不用", "base_url: https://dangjian.example.org/"),
    ("portal.yaml", "language", "门户界面的语言", "language: zh-CN"),
    ("portal.yaml", "organization", "上级党组织，显示在门户名称上方", "organization: 中共某某区委"),
    ("portal.yaml", "theme", "门户页面的主题色（各支部仍用自己的）", "theme: { primary: \"#c8161d\", accent: \"#f4b400\" }"),
    ("portal.yaml", "theme.primary", "主色（十六进制颜色）", "theme: { primary: \"#c8161d\" }"),
    ("portal.yaml", "theme.accent", "辅色（十六进制颜色）", "theme: { accent: \"#f4b400\" }"),
    ("portal.yaml", "footer", "门户页脚信息，与 site.yaml 的 `footer` 相同", "footer: { icp: 京ICP备12345678号-2 }"),
    ("portal.yaml", "footer.icp", "ICP 备案号", "icp: 京ICP备12345678号-2"),
    ("portal.yaml", "footer.police", "公安备案号", "police: 京公网安备11010502012345号"),
    ("portal.yaml", "footer.copyright", "版权行", "copyright: © 2026 中共某某区直属机关工作委员会"),
    ("portal.yaml", "footer.contact", "联系方式", "contact: 010-87654321"),
    ("portal.yaml", "footer.address", "地址", "address: 某某区政务服务中心 6 楼"),
    ("portal.yaml", "search", "统一搜索（`/search/`，搜索全部支部，每条结果注明支部）；各支部仍有自己的搜索", "search: true"),
    ("portal.yaml", "feed", "生成汇总各支部最新动态的订阅文件 `feed.xml`", "feed: true"),
    ("portal.yaml", "branches", "各支部的站点文件夹，按显示顺序列出", "branches: [{ path: branches/longquan, slug: longquan }]"),
    ("portal.yaml", "branches[].path", "支部站点文件夹（含 site.yaml），路径相对于门户文件夹，可以在门户之外", "- { path: ../other/xili }"),
    ("portal.yaml", "branches[].slug", "支部在门户中的网址段 `/slug/`：小写字母、数字和连字符；不写时用文件夹名", "- { path: branches/longquan, slug: longquan }"),
    ("portal.yaml", "publish", "`zhanting publish` 发布到哪里：对象存储或文件夹（见“发布与备案”）；访问密钥不能写在这里", "publish: { kind: s3, endpoint: https://oss-cn-chengdu.aliyuncs.com, bucket: dangjian }"),
    ("portal.yaml", "publish.kind", "`s3`：S3 兼容的对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO）；`folder`：文件夹（U 盘、共享文件夹）", "kind: s3"),
    ("portal.yaml", "publish.endpoint", "对象存储的访问地址（`s3`）", "endpoint: https://cos.ap-guangzhou.myqcloud.com"),
    ("portal.yaml", "publish.bucket", "存储桶名称（`s3`；COS 带 APPID）", "bucket: dangjian-1250000000"),
    ("portal.yaml", "publish.prefix", "存储桶中的文件夹，网站放在它下面；与 `base_url` 的路径相同", "prefix: lvshui/"),
    ("portal.yaml", "publish.region", "签名用的地域；不写时由 `endpoint` 推出（如 `oss-cn-chengdu` → `cn-chengdu`），否则为 `us-east-1`", "region: cn-chengdu"),
    ("portal.yaml", "publish.path_style", "用 `endpoint/存储桶/文件` 形式的地址，用于以 IP 访问或自建的 MinIO", "path_style: true"),
    ("portal.yaml", "publish.path", "发布到的文件夹（`folder`），不能在站点文件夹之内；相对路径从站点文件夹算起", "path: /media/usb/dangjian"),
    ("portal.yaml", "publish.credentials", "存放访问密钥的文件（在站点文件夹之外），不用环境变量 `ZHANTING_ACCESS_KEY_ID`、`ZHANTING_SECRET_ACCESS_KEY` 时使用", "credentials: ~/.config/zhanting/credentials"),
    ("portal.yaml", "publish.max_deletes", "一次发布最多删除的文件数，超过时整次发布不执行（`--max-deletes` 可临时改）", "max_deletes: 256"),

    ("checks.yaml", "checks", "检查的设置", "checks: { off: [mobile] }"),
    ("checks.yaml", "checks.names", "再加的专有名称：必须一字不差，多字、漏字、错字、颠倒都提示", "names: [龙泉驿区机关工委]"),
    ("checks.yaml", "checks.terms", "再加的规范表述（4 个字以上的才查错字）", "terms: [党建引领网格治理]"),
    ("checks.yaml", "checks.allow", "确认无误、不再提示的写法", "allow: [某某特有说法]"),
    ("checks.yaml", "checks.off", "关掉的检查", "off: [mobile]"),

    ("页面的头部（front matter）", "title", "标题", "title: 开展“七一”主题党日活动"),
    ("页面的头部（front matter）", "date", "日期；按日期排序的栏目里必须写", "date: 2025-07-01"),
    ("页面的头部（front matter）", "summary", "摘要；不写时取第一段，在句末截断", "summary: 全体党员重温入党誓词"),
    ("页面的头部（front matter）", "author", "作者，显示在标题下（导入公众号文章时取文章的作者）", "author: 绿水社区第一党支部"),
    ("页面的头部（front matter）", "tags", "标签", "tags: [主题党日, 微活动]"),
    ("页面的头部（front matter）", "pillar", "所属的载体（brand.yaml 里的名称或 `key`）", "pillar: 微活动"),
    ("页面的头部（front matter）", "cover", "封面图片，路径相对于这个文件", "cover: cover.jpg"),
    ("页面的头部（front matter）", "album", "在正文下显示的相册（`albums/` 下的文件夹名）", "album: 2025-qiyi"),
    ("页面的头部（front matter）", "video", "微视频：MP4、M4V 或 WebM 文件，路径相对于这个文件；显示在标题下，原样发布（不重新编码）", "video: chuxin.mp4"),
    ("页面的头部（front matter）", "poster", "微视频的封面图片；不写时用 ffmpeg 从视频十分之一处截取一帧", "poster: chuxin-fengmian.jpg"),
    ("页面的头部（front matter）", "captions", "微视频的字幕（WebVTT 文件）；不写时使用视频旁边同名的 .vtt 文件", "captions: chuxin.vtt"),
    ("页面的头部（front matter）", "duration", "微视频的时长，视频文件里读不到时才需要写：秒数或“分:秒”", "duration: \"3:25\""),
    ("页面的头部（front matter）", "draft", "草稿只在 `--drafts` 时生成", "draft: true"),
    ("页面的头部（front matter）", "slug", "网址的最后一段；不写时由文件名生成", "slug: qiyi"),
    ("页面的头部（front matter）", "weight", "在按权重排序的栏目里的顺序，小的在前", "weight: 1"),
    ("页面的头部（front matter）", "template", "用别的模板（`templates/` 或主题里的）", "template: page.html"),

    ("栏目的 _index.md 头部", "title", "栏目名称；不写时用文件夹名", "title: 支部动态"),
    ("栏目的 _index.md 头部", "description", "栏目简介，显示在列表上方", "description: 支部的活动报道"),
    ("栏目的 _index.md 头部", "sort_by", "排序：`date` 新的在前（默认），`weight`，`title`", "sort_by: weight"),
    ("栏目的 _index.md 头部", "paginate_by", "每页的条数；不写时用 site.yaml 的 `paginate_by`", "paginate_by: 10"),
    ("栏目的 _index.md 头部", "weight", "栏目在导航栏里的顺序，小的在前", "weight: 2"),
    ("栏目的 _index.md 头部", "template", "列表页用别的模板", "template: section.html"),
];

/// The page the tables are written into, from the crate's folder.
const PAGE: &str = "docs/content/guide/peizhi.md";

fn start_marker(file: &str) -> String {
    format!("<!-- 以下由 src/reference.rs 按代码生成：{file} -->")
}

const END_MARKER: &str = "<!-- 生成结束 -->";

/// The Markdown list of one file's keys (a list rather than a table: it reads on a phone).
fn table(file: &str, rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        let (meaning, example) = note(file, &r.path)
            .unwrap_or_else(|| panic!("{file} `{}` has no entry in NOTES", r.path));
        let only = if !r.variants.is_empty() && r.variants.len() < r.of {
            let v: Vec<String> = r.variants.iter().map(|v| format!("`{v}`")).collect();
            format!("（仅用于 `type`：{}）", v.join("、"))
        } else {
            String::new()
        };
        let default = match r.default.as_str() {
            "必填" => "，必填".to_string(),
            "无" => "，可不写".to_string(),
            "见下" => String::new(),
            d => format!("，默认 {d}"),
        };
        out.push_str(&format!(
            "- **`{}`**（{}{default}）\\\n  {meaning}{only}。\\\n  例：`{example}`\n\n",
            r.path, r.kind
        ));
    }
    out
}

fn note(file: &str, path: &str) -> Option<(&'static str, &'static str)> {
    NOTES
        .iter()
        .find(|(f, k, _, _)| *f == file && *k == path)
        .map(|(_, _, m, e)| (*m, *e))
}

/// The page with every file's table in place of what stands between its markers.
fn regenerate(page: &str) -> Result<String, String> {
    let mut page = page.to_string();
    for (file, schema) in files() {
        let start = start_marker(file);
        let from = page
            .find(&start)
            .ok_or_else(|| format!("{PAGE} has no line `{start}`"))?
            + start.len();
        let to = from
            + page[from..]
                .find(END_MARKER)
                .ok_or_else(|| format!("{PAGE}: `{start}` has no `{END_MARKER}` after it"))?;
        let table = format!("\n\n{}\n\n", table(file, &rows(schema)).trim_end());
        page.replace_range(from..to, &table);
    }
    Ok(page)
}

/// The editor's forms (`site-template/editor/schemas.json`): for each file the schema
/// the loader reads it by, and each key's meaning and example from [`NOTES`], so a form
/// has the fields, types, choices and words of the settings reference.
const EDITOR_SCHEMAS: &str = "site-template/editor/schemas.json";

/// The file names the editor knows the files of the reference by.
fn editor_name(file: &str) -> &str {
    match file {
        "boards/*.yaml" => "board",
        "album.yaml" => "album",
        "页面的头部（front matter）" => "page",
        "栏目的 _index.md 头部" => "section",
        other => other,
    }
}

fn editor_schemas() -> String {
    let mut out = serde_json::Map::new();
    for (file, schema) in files() {
        // In the order of the reference: the order the form shows the keys in.
        let notes: Vec<Value> = NOTES
            .iter()
            .filter(|(f, _, _, _)| *f == file)
            .map(|(_, k, m, e)| serde_json::json!([k, m, e]))
            .collect();
        out.insert(
            editor_name(file).to_string(),
            serde_json::json!({ "schema": schema.to_value(), "notes": notes }),
        );
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The editor's forms are made from the loader's schemas: the file it embeds must be
    /// the one the code makes. `ZHANTING_BLESS=1` writes it.
    #[test]
    fn the_editors_schemas_match_the_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(EDITOR_SCHEMAS);
        let made = editor_schemas();
        if std::env::var_os("ZHANTING_BLESS").is_some() {
            std::fs::write(&path, &made).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == made,
            "{EDITOR_SCHEMAS} differs from the loader's schemas: run \
             `ZHANTING_BLESS=1 cargo test --lib reference` and review the diff"
        );
    }

    /// Every key of the code is in the reference and every key of the reference is in the
    /// code, with the type and default the code has. `ZHANTING_BLESS=1` rewrites the page.
    #[test]
    fn the_settings_reference_matches_the_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE);
        let page = std::fs::read_to_string(&path).unwrap();
        let made = regenerate(&page).unwrap_or_else(|e| panic!("{e}"));
        if std::env::var_os("ZHANTING_BLESS").is_some() {
            std::fs::write(&path, &made).unwrap();
            return;
        }
        if made != page {
            let first = page
                .lines()
                .zip(made.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(page.lines().count().min(made.lines().count()));
            panic!(
                "{PAGE} differs from the code from line {}:\n  page: {}\n  code: {}\n\
                 Add the key's meaning to NOTES in src/reference.rs if it is new, then \
                 run `ZHANTING_BLESS=1 cargo test --lib reference` and review the diff.",
                first + 1,
                page.lines().nth(first).unwrap_or("(end)"),
                made.lines().nth(first).unwrap_or("(end)"),
            );
        }
    }

    /// A note for a key that no longer exists is caught too.
    #[test]
    fn every_note_names_a_key_of_the_code() {
        let keys: Vec<(&str, String)> = files()
            .into_iter()
            .flat_map(|(file, schema)| rows(schema).into_iter().map(move |r| (file, r.path)))
            .collect();
        for (file, key, _, _) in NOTES {
            assert!(
                keys.iter().any(|(f, k)| f == file && k == key),
                "NOTES has {file} `{key}`, which the code does not read"
            );
        }
    }

    #[test]
    fn a_key_missing_from_the_page_is_a_difference() {
        let page =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE))
                .unwrap();
        let without = page.replacen("**`feed`**", "**`fed`**", 1);
        assert_ne!(regenerate(&without).unwrap(), without);
        let unmarked = page.replacen(&start_marker("deck.yaml"), "", 1);
        assert!(regenerate(&unmarked).unwrap_err().contains("deck.yaml"));
    }
}
