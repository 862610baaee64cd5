//! Command-line interface (clap derive).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "zhanting",
    version,
    about = "展厅 · 党建品牌展示网站生成器 — a static-site generator for Party branch brand showcases"
)]
pub struct Cli {
    /// Without a command (a double-click on the program): `edit` in its folder.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site in DIR from the default theme and sample Chinese content
    Init {
        /// Folder to create (must be new or empty)
        dir: PathBuf,
    },
    /// Build the site into DIR/public (or -o OUT)
    Build {
        /// The site folder, or a portal folder (with portal.yaml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Address the site is served at; overrides base_url of site.yaml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Relative links ending in index.html, so the output works from file:// (kiosk, USB stick)
        #[arg(long)]
        offline: bool,
        /// Skip exhibition boards
        #[arg(long)]
        no_boards: bool,
        /// Write the output paths this build wrote or removed to FILE, one per line (for
        /// an upload of only what changed: rsync --files-from)
        #[arg(long, value_name = "FILE")]
        changed_list: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild and reload the browser on every change
    Serve {
        /// The site folder, or a portal folder (with portal.yaml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback shows the site to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Show the site to phones and computers on the local network (same as --bind
        /// 0.0.0.0): prints its addresses and a QR code; they may only read, unless they
        /// open the one-time address printed for editing
        #[arg(long)]
        lan: bool,
    },
    /// Write and manage the site in the browser: starts serve with the editor and opens
    /// it (without a command, as a double-click does: the site folder the program is in)
    Edit {
        /// The site folder (a folder without a site gets the offer of a new one)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (when taken, any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Also for phones on the local network, as serve --lan
        #[arg(long)]
        lan: bool,
    },
    /// Make the print outputs of the exhibition boards: OUT/boards/SLUG.pdf and SLUG.png
    Boards {
        /// The site folder, or a portal folder (with portal.yaml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Only the board with this slug (its file name, as in /boards/SLUG/); in a
        /// portal, BRANCH/SLUG
        #[arg(long, value_name = "SLUG")]
        only: Option<String>,
        /// Output folder (the boards go in its boards/ folder)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Print the print shop's checks, one row per board (process, sizes, bleed,
        /// colour, photo DPI, smallest text, QR code); with --strict, exit 1 if one fails
        #[arg(long)]
        preflight: bool,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Make the 展评 deck: OUT/deck.pdf, 16:9 slides from the brand, achievements and albums (deck.yaml chooses them)
    Deck {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: the current folder)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Make the 成果汇编 booklet of a year: OUT/booklet-YYYY.pdf, A4, from that year's dated pages
    Booklet {
        /// The site folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The year (default: the latest year that has dated pages)
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Output folder (default: the current folder)
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
    /// Import Word/WPS documents (.docx) or saved WeChat articles (.html, .mhtml) as new pages
    Import {
        /// The files to import
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The section (folder under content/, or its title); default: the site's first section
        #[arg(long, value_name = "SECTION")]
        to: Option<String>,
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        site: PathBuf,
    },
    /// Build the site, then publish it where `publish:` of site.yaml says (an S3-compatible bucket: OSS, COS, OBS, MinIO; or a folder), changing only what changed
    Publish {
        /// The site folder, or a portal folder (with portal.yaml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Show what would be uploaded and deleted; change nothing
        #[arg(long)]
        dry_run: bool,
        /// Refuse to publish when more files than N would be deleted (default 256, or publish.max_deletes)
        #[arg(long, value_name = "N")]
        max_deletes: Option<usize>,
        /// Upload every file, even those already in place
        #[arg(long)]
        force: bool,
    },
    /// Check the whole site without writing anything; exit 1 on any error
    Check {
        /// The site folder, or a portal folder (with portal.yaml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Treat warnings as errors
        #[arg(long)]
        strict: bool,
    },
}

/// The help in Chinese: (subcommand, `""` for the top; argument id, `""` for the
/// command's own line; text). Every argument of every command has its line here: a test
/// fails when one is missing.
const ZH: &[(&str, &str, &str)] = &[
    ("", "", "展厅 · 党建品牌展示网站生成器：把一个文件夹的 YAML 和 Markdown 生成网站、展板、演示文稿和成果汇编"),
    ("init", "", "新建站点：在 DIR 中生成默认主题和中文示例内容"),
    ("init", "dir", "要新建的文件夹（必须不存在或为空）"),
    ("build", "", "生成网站到 DIR/public（或 -o 指定的文件夹）"),
    ("build", "dir", "站点文件夹或门户文件夹（含 portal.yaml；默认：当前文件夹）"),
    ("build", "output", "输出文件夹（默认 DIR/public）"),
    ("build", "base_url", "网站的访问地址，覆盖 site.yaml 中的 base_url"),
    ("build", "drafts", "包含标记为 `draft: true` 的草稿页面"),
    ("build", "offline", "离线版：链接改为以 index.html 结尾的相对链接，可直接从 file:// 打开（触摸屏、U 盘）"),
    ("build", "no_boards", "跳过展板"),
    ("build", "strict", "把警告当作错误"),
    ("build", "changed_list", "把本次写入或删除的输出文件路径逐行写入 FILE（只上传变化的文件时用：rsync --files-from）"),
    ("serve", "", "实时预览：在内存中生成站点并提供访问，文件一改动就重新生成并刷新浏览器"),
    ("serve", "dir", "站点文件夹或门户文件夹（含 portal.yaml；默认：当前文件夹）"),
    ("serve", "port", "监听的端口（默认 1111；0 表示任选一个空闲端口）"),
    ("serve", "bind", "监听的地址（默认 127.0.0.1，仅本机）；其他地址会让局域网内的电脑也能看到"),
    ("serve", "open", "用默认浏览器打开站点"),
    ("serve", "lan", "让局域网内的手机和电脑也能访问（同 --bind 0.0.0.0）：显示局域网地址和二维码；其他设备只能浏览，打开终端里显示的一次性地址后才能编辑"),
    ("edit", "", "在浏览器中编写和管理站点：启动实时预览和编辑器并打开浏览器（不带命令运行时，如双击程序，使用程序所在的站点文件夹）"),
    ("edit", "dir", "站点文件夹（没有站点时，在浏览器中提供新建）"),
    ("edit", "port", "监听的端口（默认 1111；被占用时任选一个空闲端口）"),
    ("edit", "lan", "同时让局域网内的手机访问，同 serve --lan"),
    ("boards", "", "只生成展板的印刷文件：OUT/boards/SLUG.pdf 和 SLUG.png"),
    ("boards", "dir", "站点文件夹或门户文件夹（含 portal.yaml；默认：当前文件夹）"),
    ("boards", "only", "只生成这一块展板（文件名，即 /boards/SLUG/ 中的 SLUG）；门户中写 支部slug/SLUG"),
    ("boards", "output", "输出文件夹（展板放在其中的 boards/ 文件夹）"),
    ("boards", "preflight", "逐块列出印前检查（工艺、尺寸、出血、颜色、照片分辨率、最小字号、二维码）；与 --strict 同用时，有一项不合格即返回 1"),
    ("boards", "strict", "把警告当作错误"),
    ("deck", "", "生成品牌展评演示文稿：OUT/deck.pdf（16:9），幻灯片取自品牌、成效和相册（deck.yaml 可选择和排序）"),
    ("deck", "dir", "站点文件夹（默认：当前文件夹）"),
    ("deck", "output", "输出文件夹（默认：当前文件夹）"),
    ("deck", "strict", "把警告当作错误"),
    ("booklet", "", "生成某一年的成果汇编：OUT/booklet-YYYY.pdf（A4），取自该年有日期的页面"),
    ("booklet", "dir", "站点文件夹（默认：当前文件夹）"),
    ("booklet", "year", "年份（默认：有日期页面的最近一年）"),
    ("booklet", "output", "输出文件夹（默认：当前文件夹）"),
    ("booklet", "strict", "把警告当作错误"),
    ("import", "", "导入 Word/WPS 文档（.docx）或保存下来的公众号文章（.html、.mhtml），每个文件成为一个新页面"),
    ("import", "files", "要导入的文件（可以有多个）"),
    ("import", "to", "导入到哪个栏目（content/ 下的文件夹名或栏目标题；默认：站点的第一个栏目）"),
    ("import", "site", "站点文件夹（默认：当前文件夹）"),
    ("publish", "", "生成网站并发布到 site.yaml 中 publish: 指定的位置（S3 兼容的存储桶：阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO；或文件夹），只传变化的文件"),
    ("publish", "dir", "站点文件夹或门户文件夹（含 portal.yaml；默认：当前文件夹）"),
    ("publish", "dry_run", "只列出将要上传和删除的文件，不做任何改动"),
    ("publish", "max_deletes", "要删除的文件多于 N 个时拒绝发布（默认 256，或 publish.max_deletes）"),
    ("publish", "force", "上传全部文件，包括已经是最新的文件"),
    ("check", "", "检查整个站点但不写入任何文件；有错误时返回 1"),
    ("check", "dir", "站点文件夹或门户文件夹（含 portal.yaml；默认：当前文件夹）"),
    ("check", "strict", "把警告当作错误"),
];

/// The command line, its help in Chinese when `zh`.
pub fn command(zh: bool) -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    if !zh {
        return cmd;
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = chinese(cmd, "")
        .help_template("{about-with-newline}\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}{after-help}")
        .override_usage("zhanting <命令>")
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("显示版本"),
        );
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| chinese(s, &name));
    }
    // The `help` subcommand clap adds, built now so that its line can be changed.
    cmd.build();
    cmd.mut_subcommand("help", |s| {
        s.about("显示帮助，或某个命令的帮助（zhanting help build）")
    })
}

/// One command's help in Chinese: its line, each argument's, the headings, the usage
/// and the help flag.
fn chinese(cmd: clap::Command, name: &str) -> clap::Command {
    let text = |id: &str| ZH.iter().find(|z| z.0 == name && z.1 == id).map(|z| z.2);
    let mut usage = format!("zhanting {name} [选项]");
    let mut positionals = false;
    for a in cmd.get_arguments().filter(|a| a.is_positional()) {
        positionals = true;
        let id = a.get_id().as_str().to_uppercase();
        if a.is_required_set() {
            usage.push_str(&format!(" <{id}>"));
        } else {
            usage.push_str(&format!(" [{id}]"));
        }
    }
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.get_action().takes_values()))
        .collect();
    let template = if positionals {
        "{about-with-newline}\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}{after-help}"
    } else {
        "{about-with-newline}\n用法：{usage}\n\n选项：\n{options}{after-help}"
    };
    let mut cmd = cmd.help_template(template).disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help("显示帮助"),
    );
    if !name.is_empty() {
        cmd = cmd.override_usage(usage);
    }
    if let Some(about) = text("") {
        cmd = cmd.about(about);
    }
    for (id, takes_value) in ids {
        if let Some(help) = text(&id) {
            // Defaults are said in the text, in Chinese.
            cmd = cmd.mut_arg(id, |a| a.help(help).hide_default_value(takes_value));
        }
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_argument_has_its_chinese_help() {
        let cmd = Cli::command();
        let mut missing = Vec::new();
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            let mut ids = vec![String::new()];
            ids.extend(sub.get_arguments().map(|a| a.get_id().to_string()));
            for id in ids {
                if !ZH.iter().any(|z| z.0 == name && z.1 == id) {
                    missing.push(format!("{name} {id}"));
                }
            }
        }
        assert!(missing.is_empty(), "no Chinese help for: {missing:?}");
        command(true).debug_assert();
    }
}
