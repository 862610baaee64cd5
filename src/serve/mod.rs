//! `zhanting serve`: builds the site in memory, serves it over HTTP, watches the folder and
//! rebuilds what a change touches, then tells the browsers (Server-Sent Events) which pages
//! changed. Nothing is written to disk.
//!
//! HTTP: axum on tokio — a well-kept stack with SSE built in; the server state is one
//! [`App`] passed to the handlers, no globals. Only files of the in-memory build are
//! served, so no request path can reach the file system.

pub mod editor;
pub mod lan;
pub mod project;
pub mod served;
pub mod watch;

use crate::error::Lang;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use project::{Outcome, Project, Served};
use served::Files;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt as _;

/// What the server tells the browsers.
#[derive(Debug, Clone)]
pub enum Notice {
    /// Site paths of pages to reload (`*`: every page).
    Reload(Vec<String>),
    /// Stylesheets to swap in place.
    Css(Vec<String>),
    /// A rebuild failed: the message shown in the overlay.
    Failed(String),
    /// The site builds again.
    Ok,
}

impl Notice {
    fn event(&self) -> Event {
        let (name, data) = match self {
            Notice::Reload(p) => ("reload", serde_json::to_string(p)),
            Notice::Css(p) => ("css", serde_json::to_string(p)),
            Notice::Failed(t) => ("failed", serde_json::to_string(t)),
            Notice::Ok => ("ok", Ok("{}".to_string())),
        };
        Event::default().event(name).data(data.unwrap_or_default())
    }
}

/// The server's state, shared by the handlers and the rebuild thread. Requests read
/// the published [`Snapshot`], never the project, so they do not wait for a rebuild.
pub struct App {
    /// Used by the rebuild thread alone.
    pub project: Mutex<Project>,
    current: RwLock<Arc<Snapshot>>,
    /// `true` while outputs the first build left out (boards, search) are being made.
    pending: tokio::sync::watch::Sender<bool>,
    pub notices: broadcast::Sender<Notice>,
    /// The browser editor (`serve::editor`).
    pub editor: editor::Editor,
    /// How many times a build was published (the editor waits for the next one).
    generation: std::sync::atomic::AtomicU64,
}

/// What requests see: the files of the last good build, and the error of the last
/// failed one.
#[derive(Default)]
pub struct Snapshot {
    files: Arc<Files>,
    error: Option<String>,
    /// The site of the last good build, for the editor's lists.
    site: Option<Arc<crate::model::Site>>,
    /// The last failed build's diagnostics, one by one (the editor shows each at its field).
    diagnostics: Vec<crate::error::Diagnostic>,
    generation: u64,
}

impl App {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Makes what the project holds now what requests see.
    fn publish(&self, project: &Project) {
        let generation = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let snapshot = Snapshot {
            files: project.shared_files(),
            error: project.error.clone(),
            site: project.site().cloned(),
            diagnostics: project.diagnostics.clone(),
            generation,
        };
        let old = std::mem::replace(
            &mut *self.current.write().unwrap_or_else(|e| e.into_inner()),
            Arc::new(snapshot),
        );
        // The old site and its pages go away on another thread: freeing 10,000 pages
        // takes longer than a rebuild after an edit.
        std::thread::spawn(move || drop(old));
    }
}

pub struct Options {
    pub dir: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    /// `zhanting edit`: open the browser on the editor instead of the site.
    pub edit: bool,
    pub lang: Lang,
}

/// Runs the server until interrupted. Returns the process exit code.
pub fn run(opts: Options) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the server: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(opts))
}

fn say(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    }
}

async fn serve(opts: Options) -> u8 {
    let lang = opts.lang;
    let listener = match bind(&opts).await {
        Ok(l) => l,
        Err(code) => return code,
    };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let addresses = Addresses::of(&opts, addr);
    if !opts.bind.is_loopback() {
        eprintln!(
            "{}",
            say(
                lang,
                &format!("warning: listening on {} — every computer that can reach this one can see the site, drafts included", opts.bind),
                &format!("警告：正在监听 {}，能访问本机的所有电脑都能看到网站（包括草稿）", opts.bind),
            )
        );
    }
    let mut project = Project::new(&opts.dir, &addresses.base_url, lang);
    let start = project.start();
    if let Err(text) = &start {
        eprint!("{text}");
    }
    let app = App::started(project, &opts, &addresses);
    let (follow, asked) = std::sync::mpsc::channel();
    if start.is_ok() {
        // Boards and the search index while the first pages are served.
        let _ = follow.send(());
    }
    let follower = app.clone();
    std::thread::spawn(move || follow_up_loop(&follower, &asked));
    let (tx, rx) = std::sync::mpsc::channel();
    let roots = app
        .project
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .watched();
    let _watcher = match watch::watch(&roots, tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "{}: {e}",
                say(lang, "cannot watch the site folder", "无法监视站点目录")
            );
            return 1;
        }
    };
    let rebuilder = app.clone();
    std::thread::spawn(move || rebuild_loop(&rebuilder, &rx, &follow, lang));
    let edit_url = format!("{}{}", addresses.base_url, &editor::EDIT[1..]);
    announce(&opts, &addresses, &edit_url, &app);
    if opts.edit {
        open_browser(&edit_url);
    } else if opts.open {
        open_browser(&addresses.base_url);
    }
    run_server(listener, app).await
}

/// Where the server can be reached: the address it shows, the Host headers it answers
/// and the addresses of the local network.
struct Addresses {
    base_url: String,
    port: u16,
    /// The `Host` values the editor accepts.
    hosts: Vec<String>,
    /// The site's addresses on the local network (phones on the same Wi-Fi).
    lan_urls: Vec<String>,
}

impl Addresses {
    fn of(opts: &Options, addr: SocketAddr) -> Addresses {
        let shown_host = if opts.bind.is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        let base_url = format!("http://{shown_host}:{}/", addr.port());
        let port = addr.port();
        let lan_ips: Vec<IpAddr> = if opts.bind.is_unspecified() {
            lan::addresses()
        } else if opts.bind.is_loopback() {
            Vec::new()
        } else {
            vec![opts.bind]
        };
        let mut hosts: Vec<String> = Vec::new();
        if opts.bind.is_loopback() || opts.bind.is_unspecified() {
            hosts.extend([
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ]);
        }
        let host_of = |ip: &IpAddr| match ip {
            IpAddr::V6(v6) => format!("[{v6}]:{port}"),
            IpAddr::V4(v4) => format!("{v4}:{port}"),
        };
        if !opts.bind.is_unspecified() && !opts.bind.is_loopback() {
            hosts.push(host_of(&opts.bind));
        }
        hosts.extend(lan_ips.iter().map(host_of));
        let lan_urls: Vec<String> = lan_ips
            .iter()
            .map(|ip| format!("http://{}/", host_of(ip)))
            .collect();
        Addresses {
            base_url,
            port,
            hosts,
            lan_urls,
        }
    }
}

impl App {
    /// The app over a started project, its first build published.
    fn started(project: Project, opts: &Options, addresses: &Addresses) -> Arc<App> {
        let (notices, _) = broadcast::channel(64);
        let (pending, _) = tokio::sync::watch::channel(false);
        let app = Arc::new(App {
            current: RwLock::default(),
            project: Mutex::new(project),
            pending,
            notices,
            editor: editor::Editor::new(
                &opts.dir,
                addresses.hosts.clone(),
                addresses.lan_urls.clone(),
                addresses.port,
                opts.lang,
            ),
            generation: Default::default(),
        });
        {
            let project = app.project.lock().unwrap_or_else(|e| e.into_inner());
            app.publish(&project);
            app.pending.send_replace(project.awaiting());
        }
        app
    }
}

/// Tells the terminal where the site and the editor are, and on the local network how
/// another device may read or edit.
fn announce(opts: &Options, addresses: &Addresses, edit_url: &str, app: &App) {
    let lang = opts.lang;
    let base_url = &addresses.base_url;
    println!(
        "{}",
        say(
            lang,
            &format!("Serving {} at {base_url}", opts.dir.display()),
            &format!("正在预览 {}：{base_url}", opts.dir.display())
        )
    );
    println!(
        "{}",
        say(
            lang,
            &format!("Editor: {edit_url}"),
            &format!("编辑器：{edit_url}")
        )
    );
    let lan_urls = &addresses.lan_urls;
    if !lan_urls.is_empty() {
        for u in lan_urls {
            println!(
                "{}",
                say(
                    lang,
                    &format!("On the local network (phones on the same Wi-Fi): {u}"),
                    &format!("局域网地址（连同一 Wi-Fi 的手机）：{u}")
                )
            );
        }
        if let Some(code) = lan::terminal_qr(&lan_urls[0]) {
            print!("{code}");
        }
        println!(
            "{}",
            say(lang, "Other devices may only read the site. To edit on one, open (once) this address there:", "其他设备只能浏览网站。要在某台设备上编辑，请在该设备上打开这个地址（只能用一次）：")
        );
        if let Some(login) = app.editor.login_url() {
            println!("{login}");
        }
    }
    println!("{}", say(lang, "Press Ctrl+C to stop.", "按 Ctrl+C 停止。"));
}

/// Listens on the address asked for; the exit code when that fails.
async fn bind(opts: &Options) -> Result<tokio::net::TcpListener, u8> {
    let lang = opts.lang;
    let first = tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).await;
    let bound = match first {
        // `zhanting edit` takes any free port when its own is taken (another preview).
        Err(_) if opts.edit => tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, 0)).await,
        other => other,
    };
    bound.map_err(|e| {
        eprintln!(
            "{}: {e}",
            say(
                lang,
                &format!("cannot listen on {}:{}", opts.bind, opts.port),
                &format!("无法监听 {}:{}", opts.bind, opts.port)
            )
        );
        eprintln!(
            "{}",
            say(
                lang,
                "hint: choose another port with --port",
                "提示：请用 --port 换一个端口"
            )
        );
        2
    })
}

/// Serves the app until Ctrl+C.
async fn run_server(listener: tokio::net::TcpListener, app: Arc<App>) -> u8 {
    let router = Router::new()
        .route("/__zhanting/events", get(events))
        .route("/__zhanting/live-reload.js", get(live_reload_js));
    let router = editor::routes(router).fallback(file).with_state(app);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    match axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// How long the rebuild thread waits for more edits before asking for the follow-up.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(300);

/// Applies each batch of changes and tells the browsers; when edits pause, asks the
/// follow-up thread for what the quick rebuilds left out (the search index, the feeds,
/// the boards).
fn rebuild_loop(
    app: &App,
    rx: &std::sync::mpsc::Receiver<Vec<String>>,
    follow: &std::sync::mpsc::Sender<()>,
    lang: Lang,
) {
    let mut needs_full = false;
    loop {
        let batch = if needs_full {
            match rx.recv_timeout(SETTLE) {
                Ok(b) => b,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    needs_full = false;
                    let _ = follow.send(());
                    continue;
                }
                Err(_) => return,
            }
        } else {
            match rx.recv() {
                Ok(b) => b,
                Err(_) => return,
            }
        };
        let mut changed = batch;
        // Changes that arrived meanwhile join this rebuild.
        while let Ok(more) = rx.try_recv() {
            changed.extend(more);
        }
        changed.sort();
        changed.dedup();
        let mut project = app.project.lock().unwrap_or_else(|e| e.into_inner());
        let had_error = project.error.is_some();
        let result = project.apply(&changed);
        app.publish(&project);
        report(app, &changed, &result, had_error, lang);
        app.pending.send_replace(project.awaiting());
        if result.is_ok() {
            if let Some(warnings) = project.unshown_warnings(&changed) {
                eprint!("{warnings}");
            }
        }
        needs_full |= result.is_ok_and(|o| o.needs_full);
    }
}

/// Makes, for each request, what the quick rebuilds left out (boards, the search index,
/// the feeds) from the last build's site, holding the project only to take that site
/// and to serve the result: a rebuild after an edit never waits for it. A follow-up an
/// edit made out of date is dropped; that edit asks for the next one.
fn follow_up_loop(app: &App, asked: &std::sync::mpsc::Receiver<()>) {
    // Its own threads, below the rebuilds' priority: an edit saved meanwhile gets the
    // cores first (rayon's shared pool would run the edit's work only after the
    // follow-up's).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("zhanting-follow-up-{i}"))
        .start_handler(|_| lower_priority())
        .build();
    while asked.recv().is_ok() {
        while asked.try_recv().is_ok() {}
        let job = app
            .project
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .follow_up();
        let Some(job) = job else { continue };
        let made = match &pool {
            Ok(pool) => pool.install(|| job.run()),
            Err(_) => job.run(),
        };
        let mut project = app.project.lock().unwrap_or_else(|e| e.into_inner());
        let Some(result) = project.merge(made) else {
            continue;
        };
        app.publish(&project);
        // Browsers are told before the requests that waited for these files go on, so
        // a browser that subscribes after its request hears only of later changes.
        match &result {
            Ok(o) => notify_changes(app, o),
            Err(text) => {
                let _ = app.notices.send(Notice::Failed(text.clone()));
                eprint!("{text}");
            }
        }
        app.pending.send_replace(project.awaiting());
        if result.is_ok() {
            if let Some(w) = project.unshown_warnings(&[]) {
                eprint!("{w}");
            }
        }
        drop(project);
        // Edits have paused and the last build is published: what the rebuilds and this
        // follow-up freed goes back to the system. glibc keeps freed memory in the arena
        // of the thread that freed it (a dozen here: rayon's two pools, tokio's), so
        // without this the server's RSS climbed step by step over a long session —
        // +15–23% in 10 minutes of the soak (benches/soak.py), to 320–360 MB — while
        // the memory in use stayed at 85–100 MB (glibc's malloc_stats); with it, +3.7%.
        crate::boards::world::give_back();
    }
}

/// Lowers the calling thread's priority (its nice value, which Linux keeps per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority reads no memory of ours; `0` is the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

fn report(
    app: &App,
    changed: &[String],
    result: &Result<Outcome, String>,
    had_error: bool,
    lang: Lang,
) {
    let what = if changed.len() <= 3 {
        changed.join(", ")
    } else {
        format!("{} … ({})", changed[0], changed.len())
    };
    let time = chrono::Local::now().format("%H:%M:%S");
    match result {
        Ok(o) => {
            if had_error {
                let _ = app.notices.send(Notice::Ok);
            }
            notify_changes(app, o);
            let ms = o.elapsed.as_millis();
            let how = match (o.full, lang) {
                (true, Lang::En) => format!("rebuilt, {} files changed", o.changed.len()),
                (true, Lang::Zh) => format!("整站重建，{} 个文件有变化", o.changed.len()),
                (false, Lang::En) => format!("{} page re-rendered", o.rendered),
                (false, Lang::Zh) => format!("重新渲染 {} 个页面", o.rendered),
            };
            println!("{time} {what} → {how} ({ms} ms)");
        }
        Err(text) => {
            let _ = app.notices.send(Notice::Failed(text.clone()));
            eprintln!("{time} {what} →");
            eprint!("{text}");
        }
    }
}

/// Sends reload and stylesheet notices for the output files that changed.
fn notify_changes(app: &App, o: &Outcome) {
    let mut pages = Vec::new();
    let mut css = Vec::new();
    let mut other = false;
    for file in &o.changed {
        if file.ends_with(".html") {
            pages.push(format!(
                "/{}",
                file.strip_suffix("index.html").unwrap_or(file)
            ));
        } else if file.ends_with(".css") {
            css.push(format!("/{file}"));
        } else if !file.starts_with("search/")
            // PDFs (the deck, the booklet, a board's print file): no page shows one.
            && !file.ends_with(".pdf")
            && !file.ends_with(".xml")
            && file != "robots.txt"
            && file != crate::output::MARKER
        {
            other = true;
        }
    }
    if other {
        pages = vec!["*".to_string()];
    }
    if !css.is_empty() {
        let _ = app.notices.send(Notice::Css(css));
    }
    if !pages.is_empty() {
        let _ = app.notices.send(Notice::Reload(pages));
    }
}

async fn events(
    State(app): State<Arc<App>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let rx = app.notices.subscribe();
    let current = app.snapshot().error.clone();
    let first = tokio_stream::iter(current.map(|t| Ok(Notice::Failed(t).event())));
    let rest = BroadcastStream::new(rx).filter_map(|n| n.ok().map(|n| Ok(n.event())));
    Sse::new(first.chain(rest)).keep_alive(KeepAlive::default())
}

async fn live_reload_js() -> Response {
    let js = crate::theme::file("dev/live-reload.js");
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        js,
    )
        .into_response()
}

/// The output file a request path names, if the path is acceptable.
pub fn file_for(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let mut file = parts.join("/");
    if decoded.ends_with('/') || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

pub fn mime(file: &str) -> &'static str {
    match file
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn file(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let Some(file) = file_for(uri.path()) else {
        return not_found(&app).await;
    };
    let mut snapshot = app.snapshot();
    if snapshot.files.get(&file).is_none() && *app.pending.borrow() {
        // Boards and the search index are being made: wait for them.
        let mut pending = app.pending.subscribe();
        let _ = pending.wait_for(|p| !*p).await;
        snapshot = app.snapshot();
    }
    if snapshot.files.is_empty() {
        // The first build failed: show why, and reload once it builds.
        if let Some(error) = &snapshot.error {
            return error_page(error);
        }
    }
    match snapshot.files.get(&file) {
        Some(s) => match headers.get(header::RANGE).and_then(|r| r.to_str().ok()) {
            // Safari plays a video only when the server answers for parts of it.
            Some(range) => respond_range(&file, s.clone(), range.to_string()).await,
            None => respond(StatusCode::OK, &file, s.clone()).await,
        },
        None => {
            // `/news` for `/news/`: redirect, as static hosts do.
            let dir = format!("{file}/index.html");
            if !file.contains('.') && snapshot.files.contains_key(&dir) {
                let to = format!("{}/", uri.path());
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
            }
            not_found(&app).await
        }
    }
}

/// The page shown while the site has never built.
fn error_page(error: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>zhanting: build failed</title></head>\n\
         <body data-zhanting-error style=\"margin:0;background:#1e0000;color:#fff\"><pre style=\"padding:24px;font:14px/1.6 monospace;white-space:pre-wrap\">{}</pre>\n\
         <script src=\"/__zhanting/live-reload.js\"></script></body></html>\n",
        crate::markdown::escape(error)
    );
    let mut r = Response::new(Body::from(html));
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

async fn not_found(app: &App) -> Response {
    let page = app.snapshot().files.get("404.html").cloned();
    match page {
        Some(s) => respond(StatusCode::NOT_FOUND, "404.html", s).await,
        None => (StatusCode::NOT_FOUND, "404").into_response(),
    }
}

async fn respond(status: StatusCode, file: &str, served: Served) -> Response {
    // A page is made here when first asked for: off the async threads.
    let made = tokio::task::spawn_blocking(move || served.bytes()).await;
    let body = match made {
        Ok(Ok(bytes)) => Body::from(bytes.to_vec()),
        Ok(Err(d)) => return error_page(&d.render(Lang::from_env())),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "500").into_response(),
    };
    response(status, file, body)
}

/// A served file's response: its type, never cached (the preview changes), parts
/// answered, no type sniffing.
fn response(status: StatusCode, file: &str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime(file)));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The one range of `Range: bytes=…` as (first, last) byte within `len`: `None` for
/// what this server does not answer in part (several ranges, another unit), which gets
/// the whole file; `Err` for a range outside the file.
fn byte_range(header: &str, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (from, to) = spec.split_once('-')?;
    let (from, to) = (from.trim(), to.trim());
    let range = match (from.parse::<u64>().ok(), to.parse::<u64>().ok()) {
        // The last `n` bytes.
        (None, Some(n)) if from.is_empty() && n > 0 => {
            Ok((len.saturating_sub(n), len.saturating_sub(1)))
        }
        (Some(a), None) if to.is_empty() => Ok((a, len.saturating_sub(1))),
        (Some(a), Some(b)) if a <= b => Ok((a, b.min(len.saturating_sub(1)))),
        _ => return None,
    };
    Some(range.and_then(|(a, b)| {
        if a < len && a <= b {
            Ok((a, b))
        } else {
            Err(())
        }
    }))
}

/// Part of a file, as `Range:` asks (206), reading only that part of a file on disk.
async fn respond_range(file: &str, served: Served, range: String) -> Response {
    let made = tokio::task::spawn_blocking(move || -> Result<_, crate::error::Diagnostic> {
        use std::io::{Read, Seek, SeekFrom};
        if let Served::File(p) = &served {
            let unreadable =
                |e: std::io::Error| crate::error::Diagnostic::unreadable(&p.to_string_lossy(), &e);
            let mut f = std::fs::File::open(p).map_err(unreadable)?;
            let len = f.metadata().map_err(unreadable)?.len();
            return Ok(match byte_range(&range, len) {
                Some(Ok((a, b))) => {
                    f.seek(SeekFrom::Start(a)).map_err(unreadable)?;
                    let mut part = vec![0u8; (b - a + 1) as usize];
                    f.read_exact(&mut part).map_err(unreadable)?;
                    (Some(Ok((a, b))), len, part)
                }
                other => {
                    let mut all = Vec::new();
                    if other.is_none() {
                        f.seek(SeekFrom::Start(0)).map_err(unreadable)?;
                        f.read_to_end(&mut all).map_err(unreadable)?;
                    }
                    (other, len, all)
                }
            });
        }
        let bytes = served.bytes()?;
        let len = bytes.len() as u64;
        Ok(match byte_range(&range, len) {
            Some(Ok((a, b))) => (
                Some(Ok((a, b))),
                len,
                bytes[a as usize..=b as usize].to_vec(),
            ),
            other => (other, len, bytes.to_vec()),
        })
    })
    .await;
    let (range, len, body) = match made {
        Ok(Ok(m)) => m,
        Ok(Err(d)) => return error_page(&d.render(Lang::from_env())),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "500").into_response(),
    };
    let status = match range {
        Some(Ok(_)) => StatusCode::PARTIAL_CONTENT,
        Some(Err(())) => StatusCode::RANGE_NOT_SATISFIABLE,
        None => StatusCode::OK,
    };
    let mut r = response(status, file, Body::from(body));
    let h = r.headers_mut();
    let content_range = match range {
        Some(Ok((a, b))) => Some(format!("bytes {a}-{b}/{len}")),
        Some(Err(())) => Some(format!("bytes */{len}")),
        None => None,
    };
    if let Some(v) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::CONTENT_RANGE, v);
    }
    r
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_are_read_as_browsers_send_them() {
        assert_eq!(byte_range("bytes=0-1", 10), Some(Ok((0, 1))));
        assert_eq!(byte_range("bytes=2-", 10), Some(Ok((2, 9))));
        assert_eq!(byte_range("bytes=-3", 10), Some(Ok((7, 9))));
        assert_eq!(
            byte_range("bytes=5-99", 10),
            Some(Ok((5, 9))),
            "cut at the end"
        );
        assert_eq!(byte_range("bytes=10-", 10), Some(Err(())), "past the end");
        assert_eq!(
            byte_range("bytes=0-1,4-5", 10),
            None,
            "several: the whole file"
        );
        assert_eq!(byte_range("items=0-1", 10), None);
        assert_eq!(byte_range("bytes=4-2", 10), None);
    }

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(file_for("/").as_deref(), Some("index.html"));
        assert_eq!(file_for("/news/").as_deref(), Some("news/index.html"));
        assert_eq!(
            file_for("/assets/zhanting.css").as_deref(),
            Some("assets/zhanting.css")
        );
        assert_eq!(
            file_for("/news/%E4%B8%83%E4%B8%80/").as_deref(),
            Some("news/七一/index.html")
        );
        assert_eq!(file_for("/../site.yaml"), None);
        assert_eq!(file_for("/%2e%2e/site.yaml"), None);
        assert_eq!(file_for("/news/..%2f..%2fsite.yaml"), None);
        assert_eq!(file_for("/a%5c..%5cb"), None);
    }
}
