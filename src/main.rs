//! The `zhanting` command: parses arguments, runs the library, prints diagnostics in the
//! user's language and sets the exit code (0 success, 1 content/build error, 2 usage).

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use std::io::IsTerminal;
use std::process::ExitCode;
use zhanting::error::{render_all, Diagnostic, Lang};
use zhanting::BuildOptions;

fn main() -> ExitCode {
    let lang = Lang::from_env();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    run(cli, lang)
}

fn run(cli: Cli, lang: Lang) -> ExitCode {
    match cli.command {
        Command::Init { dir } => match zhanting::init::init(&dir) {
            Ok(()) => {
                let shown = dir.display();
                match lang {
                    Lang::Zh => println!("已在 {shown} 创建新站点。下一步：zhanting build {shown}"),
                    Lang::En => {
                        println!("Created a new site in {shown}. Next: zhanting build {shown}")
                    }
                }
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d], lang),
        },
        Command::Build {
            dir,
            output,
            base_url,
            drafts,
            offline,
            no_boards,
            strict,
        } => {
            if let Some(u) = &base_url {
                if let Err((en, zh)) = zhanting::config::check_base_url(u) {
                    eprintln!("{}", if lang == Lang::Zh { zh } else { en });
                    return ExitCode::from(2);
                }
            }
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                offline,
                no_boards,
                ..BuildOptions::default()
            };
            match zhanting::build(&dir, &opts) {
                Ok(report) => {
                    print_warnings(&report.warnings, lang);
                    if strict && !report.warnings.is_empty() {
                        return ExitCode::from(1);
                    }
                    let ms = report.elapsed.as_millis();
                    let im = report.images;
                    if im.processed + im.cached > 0 {
                        match lang {
                            Lang::Zh => println!(
                                "图片：处理 {} 张，缓存命中 {} 张",
                                im.processed, im.cached
                            ),
                            Lang::En => println!(
                                "Images: {} processed, {} from the cache",
                                im.processed, im.cached
                            ),
                        }
                    }
                    let (compiled, cached) = report.boards;
                    if compiled + cached > 0 {
                        match lang {
                            Lang::Zh => println!("展板：排版 {compiled} 块，缓存命中 {cached} 块"),
                            Lang::En => {
                                println!("Boards: {compiled} laid out, {cached} from the cache")
                            }
                        }
                    }
                    let out = report.output.display();
                    match lang {
                        Lang::Zh => println!(
                            "已生成 {} 个页面、{} 个文件（写入 {}，未变 {}，删除 {}），用时 {ms} ms → {out}",
                            report.pages, report.files, report.written, report.unchanged, report.removed
                        ),
                        Lang::En => println!(
                            "Built {} pages, {} files ({} written, {} unchanged, {} removed) in {ms} ms → {out}",
                            report.pages, report.files, report.written, report.unchanged, report.removed
                        ),
                    }
                    if std::env::var_os("ZHANTING_TIMINGS").is_some() {
                        let [l, r, w] = report.phases.map(|d| d.as_millis());
                        eprintln!("load {l} ms, render {r} ms, write {w} ms");
                    }
                    if std::io::stdout().is_terminal() {
                        let index = report.output.join("index.html");
                        match lang {
                            Lang::Zh => println!(
                                "用浏览器打开 {} 即可预览（离线版请加 --offline）",
                                index.display()
                            ),
                            Lang::En => println!(
                                "Open {} in a browser to preview (use --offline for file://)",
                                index.display()
                            ),
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(&diags, lang),
            }
        }
        Command::Serve {
            dir,
            port,
            bind,
            open,
        } => ExitCode::from(zhanting::serve::run(zhanting::serve::Options {
            dir,
            port,
            bind,
            open,
            lang,
        })),
        Command::Boards {
            dir,
            only,
            output,
            strict,
        } => {
            let opts = BuildOptions {
                output,
                ..BuildOptions::default()
            };
            match zhanting::build_boards(&dir, &opts, only.as_deref()) {
                Ok(report) => {
                    print_warnings(&report.warnings, lang);
                    if strict && !report.warnings.is_empty() {
                        return ExitCode::from(1);
                    }
                    let (compiled, cached) = report.boards;
                    let ms = report.elapsed.as_millis();
                    let out = report.output.join("boards");
                    let out = out.display();
                    match lang {
                        Lang::Zh => println!(
                            "展板：排版 {compiled} 块，缓存命中 {cached} 块（写入 {} 个文件，未变 {}），用时 {ms} ms → {out}",
                            report.written, report.unchanged
                        ),
                        Lang::En => println!(
                            "Boards: {compiled} laid out, {cached} from the cache ({} files written, {} unchanged) in {ms} ms → {out}",
                            report.written, report.unchanged
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(&diags, lang),
            }
        }
        Command::Check { dir, strict } => match zhanting::check(&dir, &BuildOptions::default()) {
            Ok(warnings) => {
                print_warnings(&warnings, lang);
                if strict && !warnings.is_empty() {
                    return ExitCode::from(1);
                }
                match lang {
                    Lang::Zh => println!("检查通过：没有发现错误"),
                    Lang::En => println!("Check passed: no errors"),
                }
                ExitCode::SUCCESS
            }
            Err(diags) => fail(&diags, lang),
        },
    }
}

fn print_warnings(warnings: &[Diagnostic], lang: Lang) {
    if !warnings.is_empty() {
        eprint!("{}", render_all(warnings, lang));
    }
}

fn fail(diags: &[Diagnostic], lang: Lang) -> ExitCode {
    eprint!("{}", render_all(diags, lang));
    ExitCode::from(1)
}
