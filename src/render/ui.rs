//! The default theme's words (UI strings) in Chinese and English.

use crate::config::Language;
use minijinja::Value;

/// The theme's words: key, Chinese, English.
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
    ("downloads", "资料下载", "Downloads"),
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
    ("pillar_more", "了解详情", "Learn more"),
    ("search_page", "页面", "Page"),
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
    (
        "board_hidden",
        "（另加底部 {n} mm 卷入底座）",
        " (plus {n} mm at the foot inside the stand)",
    ),
    (
        "board_qr",
        "展板上的二维码，扫码打开：",
        "The board's QR code opens:",
    ),
    ("board_prev", "上一块", "Previous board"),
    ("board_next", "下一块", "Next board"),
    ("year_suffix", "年", ""),
    ("search_label", "搜索本站", "Search this site"),
    ("large_text", "大字", "Large text"),
    (
        "large_text_title",
        "长辈模式：放大文字、加强对比，再点一次还原",
        "Larger text and stronger contrast; click again to undo",
    ),
    ("search_placeholder", "搜索本站内容", "Search this site"),
    ("share", "分享本页", "Share this page"),
    (
        "share_text",
        "用手机扫描二维码，在手机上打开本页，或转发到微信群。",
        "Scan the code to open this page on a phone, or pass it on in a chat.",
    ),
    ("share_qr", "本页的二维码", "QR code of this page"),
    ("poster", "生成分享海报", "Make a share poster"),
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
    (
        "search_counting",
        "已找到 {n} 条以上结果，正在统计总数……",
        "{n}+ results so far, counting…",
    ),
    ("emblem", "标识", "emblem"),
    ("video", "微视频", "Video"),
    ("duration", "时长", "Length"),
    ("captions", "中文字幕", "Chinese captions"),
    ("download_video", "下载视频", "Download the video"),
    ("screen", "大屏展示", "Screen"),
    ("portal_kicker", "党建品牌矩阵", "Party branch brands"),
    (
        "portal_counts",
        "{branches} 个党支部 · {brands} 个党建品牌",
        "{branches} branches · {brands} brands",
    ),
    ("portal_brands", "支部品牌", "The branches' brands"),
    ("portal_branches", "支部名录", "Branches"),
    ("portal_stats", "数据汇总", "In numbers"),
    ("portal_summed", "{n} 个支部合计", "total of {n} branches"),
    (
        "portal_averaged",
        "{n} 个支部平均",
        "average of {n} branches",
    ),
    (
        "portal_latest",
        "各支部最新动态",
        "Latest from the branches",
    ),
    ("portal_albums", "活动剪影", "Photos from the branches"),
    ("portal_boards", "各支部展板", "The branches' boards"),
    (
        "portal_boards_intro",
        "各支部的党建展板：点击查看大图，或下载印刷用 PDF。",
        "Every branch's exhibition boards: open one to zoom in or download its print PDF.",
    ),
    ("portal_visit", "进入支部网站", "Visit the branch's site"),
    ("portal_no_brand", "品牌创建中", "Brand in the making"),
    (
        "portal_branch_counts",
        "{pages} 篇报道 · {albums} 个相册 · {boards} 块展板",
        "{pages} reports · {albums} albums · {boards} boards",
    ),
    ("portal_search_label", "搜索各支部", "Search every branch"),
    (
        "screen_description",
        "在党员活动室的电视或大屏上循环展示党建品牌。",
        "The brand in a loop for the activity room's television.",
    ),
    ("screen_carousel", "轮播", "carousel"),
    (
        "screen_kind",
        "在活动室电视上全屏循环播放",
        "full screen, in a loop, for the activity room's television",
    ),
    ("screen_slide", "幻灯片", "slide"),
    (
        "screen_hint",
        "← → 切换　F 全屏",
        "← → to move, F for full screen",
    ),
];

/// The theme's words in the site's language, as the templates' `ui`.
pub fn strings(lang: Language) -> Value {
    Value::from_iter(STRINGS.iter().map(|&(k, z, e)| (k, pick(lang, z, e))))
}

/// The search page's words for its script (`data-l`), as JSON.
pub fn search_strings(lang: Language) -> String {
    serde_json::json!({
        "none": word(lang, "search_none"),
        "count": word(lang, "search_count"),
        "more": word(lang, "search_more"),
        "counting": word(lang, "search_counting"),
    })
    .to_string()
}

/// One word of the theme in the site's language; the key must be in the table.
pub fn word(lang: Language, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, z, e)| pick(lang, z, e))
        .unwrap_or_default()
}

fn pick(lang: Language, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Language::ZhCn => zh,
        Language::En => en,
    }
}
