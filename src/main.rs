//! The `zhanting` command: parses arguments, runs the library, prints diagnostics in the
//! user's language and sets the exit code (0 success, 1 content/build error, 2 usage).

mod cli;

use cli::{Cli, Command};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use zhanting::documents::{Documents, Year};
use zhanting::error::{render_all, Diagnostic, Lang};
use zhanting::{BuildOptions, BuildReport};

fn main() -> ExitCode {
    let lang = Lang::from_env();
    let parsed = cli::command(lang == Lang::Zh)
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
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
    let Some(command) = cli.command else {
        // A double-click: the editor, on the site folder the program stands in.
        return edit(double_click_folder(), 1111, false, lang);
    };
    match command {
        Command::Init { dir } => init(dir, lang),
        Command::Build {
            dir,
            output,
            base_url,
            drafts,
            offline,
            no_boards,
            changed_list,
            strict,
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                offline,
                no_boards,
            };
            build(&dir, &opts, changed_list.as_deref(), strict, lang)
        }
        Command::Serve {
            dir,
            port,
            bind,
            open,
            lan,
        } => {
            let bind = if lan {
                std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
            } else {
                bind
            };
            serve(dir, port, bind, open, false, lang)
        }
        Command::Edit { dir, port, lan } => edit(dir, port, lan, lang),
        Command::Boards {
            dir,
            only,
            output,
            preflight,
            strict,
        } => boards(&dir, output, only.as_deref(), preflight, strict, lang),
        Command::Deck {
            dir,
            output,
            strict,
        } => document(&dir, output, Documents::deck(), strict, lang),
        Command::Booklet {
            dir,
            year,
            output,
            strict,
        } => {
            let doc = Documents::booklet(year.map_or(Year::Latest, Year::Of));
            document(&dir, output, doc, strict, lang)
        }
        Command::Import { files, to, site } => import(&files, to.as_deref(), &site, lang),
        Command::Publish {
            dir,
            dry_run,
            max_deletes,
            force,
        } => publish(&dir, dry_run, max_deletes, force, lang),
        Command::Check { dir, strict } => check(&dir, strict, lang),
    }
}

/// `zhanting build`: the site built, the changed paths listed when asked.
fn build(
    dir: &std::path::Path,
    opts: &BuildOptions,
    changed_list: Option<&std::path::Path>,
    strict: bool,
    lang: Lang,
) -> ExitCode {
    if let Some(u) = &opts.base_url {
        if let Err((en, zh)) = zhanting::config::check_base_url(u) {
            eprintln!("{}", if lang == Lang::Zh { zh } else { en });
            return ExitCode::from(2);
        }
    }
    let result = zhanting::build(dir, opts);
    if let (Ok(report), Some(file)) = (&result, changed_list) {
        if let Err(e) = write_changed_list(file, report) {
            eprintln!(
                "{}",
                if lang == Lang::Zh {
                    format!("无法写入 {}：{e}", file.display())
                } else {
                    format!("cannot write {}: {e}", file.display())
                }
            );
            return ExitCode::from(1);
        }
    }
    finish(result, strict, lang, built)
}

/// `zhanting boards`: the boards made, and with `--preflight` the print shop's table.
fn boards(
    dir: &std::path::Path,
    output: Option<PathBuf>,
    only: Option<&str>,
    preflight: bool,
    strict: bool,
    lang: Lang,
) -> ExitCode {
    let opts = BuildOptions {
        output,
        ..BuildOptions::default()
    };
    let result = zhanting::build_boards(dir, &opts, only);
    let rows = result.as_ref().map(|r| r.1.clone()).unwrap_or_default();
    let code = finish(result.map(|r| r.0), strict, lang, boards_written);
    if preflight && !rows.is_empty() {
        print!(
            "{}",
            zhanting::boards::preflight::table(&rows, lang == Lang::Zh)
        );
        let failing = rows.iter().any(|r| r.passes().contains(&false));
        if strict && failing {
            return ExitCode::from(1);
        }
    }
    code
}

/// `zhanting check`: every file made, none written; the errors and warnings found.
fn check(dir: &std::path::Path, strict: bool, lang: Lang) -> ExitCode {
    let result = zhanting::check(dir, &BuildOptions::default());
    match result {
        Ok(warnings) if warned(&warnings, strict, lang) => ExitCode::from(1),
        Ok(_) => {
            say(lang, "检查通过：没有发现错误", "Check passed: no errors");
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags, lang),
    }
}

/// `zhanting edit`: serve with the editor, opened in the browser.
fn edit(dir: PathBuf, port: u16, lan: bool, lang: Lang) -> ExitCode {
    let bind = if lan {
        std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    } else {
        std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
    };
    serve(dir, port, bind, false, true, lang)
}

/// `zhanting serve`, and with `edit` the editor opened in the browser.
fn serve(
    dir: PathBuf,
    port: u16,
    bind: std::net::IpAddr,
    open: bool,
    edit: bool,
    lang: Lang,
) -> ExitCode {
    ExitCode::from(zhanting::serve::run(zhanting::serve::Options {
        dir,
        port,
        bind,
        open,
        edit,
        lang,
    }))
}

/// The folder a double-click means: the current folder when it holds a site, else the
/// program's own folder when that does (or when the current folder is it, as on
/// Windows), else the current folder.
fn double_click_folder() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if cwd.join("site.yaml").is_file() {
        return PathBuf::from(".");
    }
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(PathBuf::from));
    match exe_dir {
        Some(d) if d.join("site.yaml").is_file() || d == cwd => d,
        _ => PathBuf::from("."),
    }
}

fn init(dir: PathBuf, lang: Lang) -> ExitCode {
    match zhanting::init::init(&dir) {
        Ok(()) => {
            let shown = dir.display();
            say(
                lang,
                format!("已在 {shown} 创建新站点。下一步：zhanting build {shown}"),
                format!("Created a new site in {shown}. Next: zhanting build {shown}"),
            );
            ExitCode::SUCCESS
        }
        Err(d) => fail(&[d], lang),
    }
}

/// Prints a run's warnings and, when it succeeded, what `report` says of it.
fn finish(
    result: Result<BuildReport, Vec<Diagnostic>>,
    strict: bool,
    lang: Lang,
    report: fn(&BuildReport, Lang),
) -> ExitCode {
    match result {
        Ok(r) if warned(&r.warnings, strict, lang) => ExitCode::from(1),
        Ok(r) => {
            report(&r, lang);
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags, lang),
    }
}

/// What `zhanting build` did.
fn built(report: &BuildReport, lang: Lang) {
    let ms = report.elapsed.as_millis();
    // What each cached artifact made and took from its cache (images and boards also
    // when all came from it).
    for (name, always, zh, en) in [
        (
            "images",
            true,
            ["图片", "处理", "张"],
            ["Images", "processed"],
        ),
        ("boards", true, BOARDS_ZH, BOARDS_EN),
        (
            "cards",
            false,
            ["分享卡片", "绘制", "张"],
            ["Link cards", "drawn"],
        ),
        (
            "documents",
            false,
            ["演示文稿与成果汇编（downloads/）", "排版", "份"],
            ["Deck and booklet (downloads/)", "laid out"],
        ),
    ] {
        let c = report.counts(name);
        if c.made > 0 || (always && c.reused > 0) {
            let (zh, en) = counted(c, zh, en);
            say(lang, zh, en);
        }
    }
    let out = report.output.display();
    let (p, f, w, u, r) = (
        report.pages,
        report.files,
        report.written,
        report.unchanged,
        report.removed,
    );
    say(
        lang,
        format!("已生成 {p} 个页面、{f} 个文件（写入 {w}，未变 {u}，删除 {r}），用时 {ms} ms → {out}"),
        format!("Built {p} pages, {f} files ({w} written, {u} unchanged, {r} removed) in {ms} ms → {out}"),
    );
    if std::env::var_os("ZHANTING_TIMINGS").is_some() {
        let [l, r, w] = report.phases.map(|d| d.as_millis());
        eprintln!("load {l} ms, render {r} ms, write {w} ms");
    }
    if std::io::stdout().is_terminal() {
        let index = report.output.join("index.html");
        let index = index.display();
        say(
            lang,
            format!("用浏览器打开 {index} 即可预览（离线版请加 --offline）"),
            format!("Open {index} in a browser to preview (use --offline for file://)"),
        );
    }
}

/// `--changed-list FILE`: the output paths the build wrote or removed, sorted, one per
/// line, relative to the output folder (what `rsync --files-from` reads; with
/// `--delete-missing-args` the removed ones are removed on the server too).
fn write_changed_list(file: &std::path::Path, report: &BuildReport) -> std::io::Result<()> {
    let mut paths = report.changed.clone();
    paths.sort();
    let mut text = paths.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    std::fs::write(file, text)
}

/// What `zhanting boards` did.
fn boards_written(report: &BuildReport, lang: Lang) {
    let (zh, en) = counted(report.counts("boards"), BOARDS_ZH, BOARDS_EN);
    let (w, u) = (report.written, report.unchanged);
    let ms = report.elapsed.as_millis();
    let out = report.output.join("boards");
    let out = out.display();
    say(
        lang,
        format!("{zh}（写入 {w} 个文件，未变 {u}），用时 {ms} ms → {out}"),
        format!("{en} ({w} files written, {u} unchanged) in {ms} ms → {out}"),
    );
}

/// `zhanting deck` and `zhanting booklet`: the document, what it cost, where it is.
fn document(
    dir: &std::path::Path,
    output: Option<PathBuf>,
    doc: Documents,
    strict: bool,
    lang: Lang,
) -> ExitCode {
    match zhanting::build_document(dir, output.as_deref(), doc) {
        Ok((report, files)) => {
            if warned(&report.warnings, strict, lang) {
                return ExitCode::from(1);
            }
            let c = report.counts("documents");
            let ms = report.elapsed.as_millis();
            for f in files {
                let f = f.display();
                if c.made > 0 {
                    say(
                        lang,
                        format!("已排版，用时 {ms} ms → {f}"),
                        format!("Laid out in {ms} ms → {f}"),
                    );
                } else {
                    say(
                        lang,
                        format!("内容未变，沿用缓存（{ms} ms）→ {f}"),
                        format!("Unchanged, from the cache ({ms} ms) → {f}"),
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags, lang),
    }
}

/// `zhanting publish`: build, compare, say what will change, then do it with a progress
/// bar (on a terminal) and a line of what was done.
fn publish(
    dir: &std::path::Path,
    dry_run: bool,
    max_deletes: Option<usize>,
    force: bool,
    lang: Lang,
) -> ExitCode {
    use zhanting::publish::Options;
    let opts = Options {
        dry_run,
        force,
        max_deletes,
        ..Options::default()
    };
    let p = match zhanting::plan_publish(dir, &opts) {
        Ok(p) => p,
        Err(diags) => return fail(&diags, lang),
    };
    warned(&p.build.warnings, false, lang);
    let plan = &p.plan;
    announce(plan, lang);
    if dry_run {
        return dry_run_listed(plan, lang);
    }
    let bar = PublishBar::new(plan, lang);
    let result = p.publisher.execute(plan, &opts, &bar);
    bar.finish();
    match result {
        Ok(r) => {
            published(&r, lang);
            ExitCode::SUCCESS
        }
        Err(e) => fail(&[e.into()], lang),
    }
}

/// What a publish will do: the counts, and the files under the prefix left alone.
fn announce(plan: &zhanting::publish::Plan, lang: Lang) {
    let (up, del, same, mb) = (
        plan.uploads.len(),
        plan.deletes.len(),
        plan.unchanged,
        megabytes(plan.bytes),
    );
    let target = &plan.target;
    say(
        lang,
        format!("发布到 {target}：上传 {up} 个文件（{mb}），删除 {del} 个，{same} 个未变"),
        format!(
            "Publishing to {target}: {} to upload ({mb}), {del} to delete, {same} unchanged",
            files(up)
        ),
    );
    if plan.kept > 0 {
        let k = plan.kept;
        say(
            lang,
            format!("（前缀下另有 {k} 个不是 zhanting 发布的文件，保留不动）"),
            if k == 1 {
                "(1 file under the prefix that zhanting did not publish is left alone)".to_string()
            } else {
                format!("({k} files under the prefix that zhanting did not publish are left alone)")
            },
        );
    }
}

/// `publish --dry-run`: each upload and deletion listed, nothing changed.
fn dry_run_listed(plan: &zhanting::publish::Plan, lang: Lang) -> ExitCode {
    for u in &plan.uploads {
        let (zh, en) = if u.new {
            ("新增", "new")
        } else {
            ("更新", "changed")
        };
        say(
            lang,
            format!("  {zh}  {}", u.file.path),
            format!("  {en:7}  {}", u.file.path),
        );
    }
    for d in &plan.deletes {
        say(
            lang,
            format!("  删除  {d}"),
            format!("  {:7}  {d}", "delete"),
        );
    }
    if let Some(refusal) = plan.refusal() {
        return fail(&[refusal.into()], lang);
    }
    say(
        lang,
        "试运行：没有做任何改动",
        "Dry run: nothing was changed",
    );
    ExitCode::SUCCESS
}

/// The line of what a publish did.
fn published(r: &zhanting::publish::Report, lang: Lang) {
    let (n, mb, d, ms) = (
        r.uploaded,
        megabytes(r.bytes),
        r.deleted,
        r.elapsed.as_millis(),
    );
    if n == 0 && d == 0 {
        say(
            lang,
            "网站已是最新，没有需要上传的文件",
            "Already up to date: nothing to upload",
        );
    } else {
        say(
            lang,
            format!("已发布：上传 {n} 个文件（{mb}），删除 {d} 个，用时 {ms} ms"),
            format!(
                "Published: {} uploaded ({mb}), {d} deleted in {ms} ms",
                files(n)
            ),
        );
    }
}

/// `1 file`, `2 files`.
fn files(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

/// Bytes as megabytes with one decimal (`3.2 MB`).
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The progress of a publish: a bar of bytes with the files counted beside it, on a
/// terminal only; retries are printed above it.
struct PublishBar {
    bar: Option<indicatif::ProgressBar>,
    files: std::sync::atomic::AtomicUsize,
    total: usize,
    lang: Lang,
}

impl PublishBar {
    fn new(plan: &zhanting::publish::Plan, lang: Lang) -> PublishBar {
        let on_terminal = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = on_terminal.then(|| {
            let bar = indicatif::ProgressBar::new(plan.bytes);
            let template = match lang {
                Lang::Zh => "上传 [{bar:30}] {bytes}/{total_bytes} · {msg} · 剩余 {eta}",
                Lang::En => "Uploading [{bar:30}] {bytes}/{total_bytes} · {msg} · {eta} left",
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        let p = PublishBar {
            bar,
            files: Default::default(),
            total: plan.uploads.len(),
            lang,
        };
        p.count(0);
        p
    }

    fn count(&self, done: usize) {
        if let Some(bar) = &self.bar {
            let total = self.total;
            bar.set_message(match self.lang {
                Lang::Zh => format!("{done}/{total} 个文件"),
                Lang::En => format!("{done}/{total} files"),
            });
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl zhanting::publish::Progress for PublishBar {
    fn uploaded(&self, _path: &str, bytes: u64) {
        let done = self
            .files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
        self.count(done);
    }

    fn retrying(
        &self,
        path: &str,
        attempt: u32,
        wait: std::time::Duration,
        why: &zhanting::error::Text,
    ) {
        let ms = wait.as_millis();
        let line = match self.lang {
            Lang::Zh => format!("重试 {path}（第 {attempt} 次，{ms} ms 后）：{}", why.zh),
            Lang::En => format!(
                "retrying {path} (attempt {attempt}, in {ms} ms): {}",
                why.en
            ),
        };
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

/// Prints the warnings; true when `--strict` makes them a failure.
fn warned(warnings: &[Diagnostic], strict: bool, lang: Lang) -> bool {
    if !warnings.is_empty() {
        eprint!("{}", render_all(warnings, lang));
    }
    strict
        && warnings
            .iter()
            .any(|d| d.severity == zhanting::error::Severity::Warning)
}

/// Prints one line in the user's language.
fn say(lang: Lang, zh: impl std::fmt::Display, en: impl std::fmt::Display) {
    match lang {
        Lang::Zh => println!("{zh}"),
        Lang::En => println!("{en}"),
    }
}

const BOARDS_ZH: [&str; 3] = ["展板", "排版", "块"];
const BOARDS_EN: [&str; 2] = ["Boards", "laid out"];

/// What an artifact made and took from its cache, in Chinese and English:
/// `展板：排版 1 块，缓存命中 4 块`, `Boards: 1 laid out, 4 from the cache`.
fn counted(c: zhanting::artifact::Counts, zh: [&str; 3], en: [&str; 2]) -> (String, String) {
    let [what, verb, unit] = zh;
    (
        format!(
            "{what}：{verb} {} {unit}，缓存命中 {} {unit}",
            c.made, c.reused
        ),
        format!(
            "{}: {} {}, {} from the cache",
            en[0], c.made, en[1], c.reused
        ),
    )
}

/// `zhanting import`: each file a new page of the section, with its report and the
/// inspection checks' findings; exit 1 when a file could not be imported.
fn import(
    files: &[PathBuf],
    section: Option<&str>,
    site: &std::path::Path,
    lang: Lang,
) -> ExitCode {
    use zhanting::import::{date_source, Source, Target};
    let mut target = match Target::open(site, section) {
        Ok(t) => t,
        Err(diags) => return fail(&diags, lang),
    };
    let today = zhanting::import::today();
    let mut failed = false;
    for file in files {
        let prepared = Source::open(file)
            .map_err(|d| vec![d])
            .and_then(|s| target.prepare(&s, today));
        let import = match prepared {
            Ok(i) => i,
            Err(diags) => {
                eprint!("{}", render_all(&diags, lang));
                failed = true;
                continue;
            }
        };
        if let Err(d) = target.write(&import) {
            eprint!("{}", render_all(&[d], lang));
            failed = true;
            continue;
        }
        let (src, page) = (&import.source, &import.page);
        let summary = import.report.summary();
        let from = date_source(import.date_from);
        say(
            lang,
            format!("已导入 {src} → {page}"),
            format!("Imported {src} → {page}"),
        );
        say(
            lang,
            format!(
                "  标题：{}；日期：{}（{}）",
                import.title, import.date, from.zh
            ),
            format!(
                "  title: {}; date: {} ({})",
                import.title, import.date, from.en
            ),
        );
        if let Some(c) = &import.cover {
            say(lang, format!("  封面：{c}"), format!("  cover: {c}"));
        }
        say(
            lang,
            format!("  {}", summary.zh),
            format!("  {}", summary.en),
        );
        let mut shown = import.notes.clone();
        shown.extend(import.findings.iter().cloned());
        if !shown.is_empty() {
            eprint!("{}", render_all(&shown, lang));
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints what failed the run: its errors and warnings (notes are for runs that work).
fn fail(diags: &[Diagnostic], lang: Lang) -> ExitCode {
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| d.severity != zhanting::error::Severity::Note)
        .cloned()
        .collect();
    eprint!("{}", render_all(&shown, lang));
    ExitCode::from(1)
}
