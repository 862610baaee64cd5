//! What a reader met in a document and could not bring into Markdown, and its names
//! for the import report.

/// What a reader met and could not bring into Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeftOut {
    TextBox,
    Chart,
    SmartArt,
    Shape,
    Metafile,
    Tiff,
    UnknownPicture,
    Object,
    Equation,
    Contents,
    Video,
    Audio,
    MiniProgram,
    Interactive,
}

impl LeftOut {
    /// (English, Chinese, Chinese measure word).
    pub fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            LeftOut::TextBox => ("text box", "文本框", "个"),
            LeftOut::Chart => ("chart", "图表", "个"),
            LeftOut::SmartArt => ("SmartArt graphic", "SmartArt 图形", "个"),
            LeftOut::Shape => ("drawn shape", "绘制的图形", "个"),
            LeftOut::Metafile => ("EMF/WMF picture", "EMF/WMF 图片", "张"),
            LeftOut::Tiff => (
                "TIFF picture (browsers cannot show it)",
                "TIFF 图片（浏览器无法显示）",
                "张",
            ),
            LeftOut::UnknownPicture => ("picture of an unknown format", "无法识别格式的图片", "张"),
            LeftOut::Object => ("embedded object", "嵌入对象", "个"),
            LeftOut::Equation => ("equation", "公式", "个"),
            LeftOut::Contents => ("table of contents", "目录", "个"),
            LeftOut::Video => ("video", "视频", "个"),
            LeftOut::Audio => ("audio", "音频", "个"),
            LeftOut::MiniProgram => ("mini program card", "小程序卡片", "个"),
            LeftOut::Interactive => ("interactive SVG", "互动图文（SVG）", "个"),
        }
    }
}
