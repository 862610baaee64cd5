//! The browser editor inside `zhanting serve`: its page under `/__zhanting/edit/`, its
//! assets (in the binary), and its API under `/__zhanting/api/`. No build ever holds any
//! of it: these paths exist only in the server.
//!
//! Who may do what (`edit::request::judge`): every request to the editor and its API
//! must name the server's own address as Host (a page that rebinds its own name to this
//! machine is refused); a browser on this machine gets a session with the editor's page;
//! other machines only with the one-time login address the terminal prints. A write
//! must also come from the server's own Origin and carry its session's token, which only
//! the editor's page holds (a keyed hash of the session: a cookie alone is not enough).
//! Each refusal is a 403 and touches nothing.

use super::App;
use crate::edit::request::{self, Access, Facts, Policy};
use crate::edit::store::{Failure, Store};
use crate::edit::{self, catalog};
use crate::error::Lang;
use axum::body::Body;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::{json, Value as Json};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio_stream::StreamExt as _;

/// Where the editor's page is.
pub const EDIT: &str = "/__zhanting/edit/";

/// How large an upload may be: a picture, a video, and everything uploaded while the
/// server runs (a runaway page cannot fill the disk).
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub picture: u64,
    pub video: u64,
    pub total: u64,
}

impl Caps {
    const MB: u64 = 1024 * 1024;

    /// 64 MB a picture, 1 GB a video, 8 GB in all; `ZHANTING_UPLOAD_CAP_MB` lowers the
    /// first two (for tests).
    pub fn from_env() -> Caps {
        let each = std::env::var("ZHANTING_UPLOAD_CAP_MB")
            .ok()
            .and_then(|v| v.parse::<u64>().ok());
        Caps {
            picture: each.unwrap_or(64) * Self::MB,
            video: each.unwrap_or(1024) * Self::MB,
            total: each.map_or(8 * 1024, |e| e * 4) * Self::MB,
        }
    }
}

/// The editor's state: the site folder it writes, the sessions it gave out, its secret.
pub struct Editor {
    pub store: Store,
    /// Secret of this run: a session's token is its keyed hash.
    key: [u8; 32],
    sessions: Mutex<std::collections::HashSet<String>>,
    /// The one-time login token for other machines (a new one once it is used).
    login: Mutex<String>,
    /// `host:port` forms the server answers to.
    pub hosts: Vec<String>,
    /// Addresses on the local network (`http://192.168.1.5:1111/`), when it listens there.
    pub lan: Vec<String>,
    cookie_name: String,
    caps: Caps,
    uploaded: AtomicU64,
    lang: Lang,
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    if getrandom::fill(&mut b).is_err() {
        // No system randomness (never seen): a hash of the time and this process.
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        b = blake3::hash(seed.as_bytes()).as_bytes()[..bytes.min(32)].to_vec();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Editor {
    pub fn new(root: &Path, hosts: Vec<String>, lan: Vec<String>, port: u16, lang: Lang) -> Editor {
        let mut key = [0u8; 32];
        let hex = random_hex(32);
        for (i, k) in key.iter_mut().enumerate() {
            *k = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).unwrap_or(0);
        }
        Editor {
            store: Store::new(root),
            key,
            sessions: Mutex::default(),
            login: Mutex::new(random_hex(16)),
            hosts,
            lan,
            cookie_name: format!("zt_session_{port}"),
            caps: Caps::from_env(),
            uploaded: AtomicU64::new(0),
            lang,
        }
    }

    /// The token of `session`: what the editor's page sends back with every write.
    fn token(&self, session: &str) -> String {
        blake3::keyed_hash(&self.key, session.as_bytes()).to_hex()[..32].to_string()
    }

    fn new_session(&self) -> String {
        let id = random_hex(16);
        let mut s = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if s.len() > 1000 {
            s.clear();
        }
        s.insert(id.clone());
        id
    }

    /// The one-time address another machine opens to edit (first LAN address).
    pub fn login_url(&self) -> Option<String> {
        let base = self.lan.first()?;
        let token = self.login.lock().unwrap_or_else(|e| e.into_inner()).clone();
        Some(format!("{base}__zhanting/login?token={token}"))
    }

    fn judge(
        &self,
        method: &Method,
        headers: &HeaderMap,
        peer: SocketAddr,
    ) -> Result<Access, Response> {
        let h = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        let facts = Facts {
            method: method.as_str(),
            host: h(header::HOST),
            origin: h(header::ORIGIN),
            fetch_site: headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
            cookie: h(header::COOKIE),
            token: headers
                .get("x-zhanting-token")
                .and_then(|v| v.to_str().ok()),
            loopback: peer.ip().to_canonical().is_loopback(),
        };
        let sessions = &self.sessions;
        let policy = Policy {
            hosts: &self.hosts,
            cookie_name: &self.cookie_name,
            is_session: &|s| {
                sessions
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .contains(s)
            },
            token_of: &|s| self.token(s),
        };
        request::judge(&facts, &policy).map_err(|r| {
            let text = self.say(r.en, r.zh);
            refuse(StatusCode::FORBIDDEN, text)
        })
    }

    fn say<'a>(&self, en: &'a str, zh: &'a str) -> &'a str {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A JSON response.
fn json_response(status: StatusCode, v: &Json) -> Response {
    let mut r = Response::new(Body::from(v.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    secure(r.headers_mut());
    r
}

/// A refusal as JSON `{ "error": … }`.
fn refuse(status: StatusCode, text: &str) -> Response {
    json_response(status, &json!({ "error": text }))
}

/// Headers every editor response carries: not cached, not framed by other sites, not
/// sniffed, no referrer (the login address holds a token).
fn secure(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; \
             script-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; \
             form-action 'self'; object-src 'none'",
        ),
    );
}

fn ok_json(v: Json) -> Response {
    json_response(StatusCode::OK, &v)
}

/// A failed file operation as its response: refused paths 403, conflicts 409 with what
/// the disk holds, a missing file 404, what cannot be done 422, the disk 500.
fn failure(ed: &Editor, f: Failure) -> Response {
    match f {
        Failure::Refused(r) => refuse(StatusCode::FORBIDDEN, ed.say(&r.en, &r.zh)),
        Failure::Conflict { text, version } => json_response(
            StatusCode::CONFLICT,
            &json!({
                "error": ed.say("the file changed on disk since it was opened", "文件在打开之后已在磁盘上被修改"),
                "conflict": { "text": text, "version": version },
            }),
        ),
        Failure::Missing => refuse(StatusCode::NOT_FOUND, ed.say("no such file", "文件不存在")),
        Failure::Invalid(e) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &e),
        Failure::Io(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// The editor's routes, added to the server's.
pub fn routes(router: Router<Arc<App>>) -> Router<Arc<App>> {
    router
        .route(
            "/__zhanting/edit",
            get(|| async { axum::response::Redirect::permanent(EDIT) }),
        )
        .route("/__zhanting/edit/", get(shell))
        .route("/__zhanting/edit/assets/{*path}", get(asset))
        .route("/__zhanting/edit/{*rest}", get(shell))
        .route("/__zhanting/login", get(login))
        .route("/__zhanting/api/site", get(site))
        .route("/__zhanting/api/file", get(file))
        .route("/__zhanting/api/album", get(album))
        .route("/__zhanting/api/source", get(source))
        .route("/__zhanting/api/status", get(status))
        .route("/__zhanting/api/save", post(save))
        .route("/__zhanting/api/check", post(check))
        .route("/__zhanting/api/new-page", post(new_page))
        .route("/__zhanting/api/new-album", post(new_album))
        .route("/__zhanting/api/new-board", post(new_board))
        .route("/__zhanting/api/delete", post(delete))
        .route("/__zhanting/api/restore", post(restore))
        .route("/__zhanting/api/init", post(init))
        .route("/__zhanting/api/upload", put(upload))
        .route("/__zhanting/api/import", put(import))
        .layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024))
}

type Peer = ConnectInfo<SocketAddr>;

fn editor(app: &App) -> &Editor {
    &app.editor
}

/// The language of the editor: the site's, else the terminal's.
fn lang_of(app: &App) -> Lang {
    match app.snapshot().site.as_deref().map(catalog::language) {
        Some("en") => Lang::En,
        Some(_) => Lang::Zh,
        None => editor(app).lang,
    }
}

/// The editor's page: one page for every view (home, a page, a file, an album), which
/// its script fills in. A browser of this machine without a session gets one here.
async fn shell(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let ed = editor(&app);
    let access = match ed.judge(&method, &headers, peer) {
        Ok(a) => a,
        Err(_)
            if headers
                .get(header::HOST)
                .is_some_and(|h| ed.hosts.iter().any(|x| x.as_bytes() == h.as_bytes())) =>
        {
            return read_only_page(ed);
        }
        Err(r) => return r,
    };
    let (session, cookie) = match access {
        Access::Session(s) => (s, None),
        Access::Local => {
            let s = ed.new_session();
            let c = format!("{}={s}; Path=/; HttpOnly; SameSite=Strict", ed.cookie_name);
            (s, Some(c))
        }
    };
    let lang = lang_of(&app);
    let snapshot = app.snapshot();
    let title = snapshot
        .site
        .as_ref()
        .map(|s| s.config.title.clone())
        .unwrap_or_else(|| "zhanting".into());
    let boot = json!({
        "lang": if lang == Lang::En { "en" } else { "zh" },
        "lan": ed.lan,
        "qr": ed.lan.first().and_then(|u| crate::qr::Qr::screen(u)).map(|q| q.svg(if lang == Lang::En { "QR code of the site on the local network" } else { "局域网预览二维码" })),
    });
    let (html_lang, word) = match lang {
        Lang::En => ("en", "Edit"),
        Lang::Zh => ("zh-CN", "编辑"),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"zt-token\" content=\"{token}\">\
         <link rel=\"icon\" href=\"data:,\">\
         <title>{word} · {title}</title>\
         <link rel=\"stylesheet\" href=\"/__zhanting/edit/assets/editor.css\">\
         <script type=\"application/json\" id=\"zt-boot\">{boot}</script>\
         </head><body><div id=\"app\"><p class=\"loading\">…</p></div>\
         <script src=\"/__zhanting/edit/assets/vendor/codemirror.js\"></script>\
         <script src=\"/__zhanting/edit/assets/vendor/turndown.js\"></script>\
         <script src=\"/__zhanting/edit/assets/editor.js\"></script>\
         <script src=\"/__zhanting/edit/assets/forms.js\"></script></body></html>\n",
        token = ed.token(&session),
        title = crate::markdown::escape(&title),
        boot = boot.to_string().replace("</", "<\\/"),
    );
    let mut r = Response::new(Body::from(html));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    secure(h);
    r
}

/// What another machine without a session sees at the editor's address.
fn read_only_page(ed: &Editor) -> Response {
    let (lang, title, text) = match ed.lang {
        Lang::En => ("en", "Read only", request::NO_SESSION.en),
        Lang::Zh => ("zh-CN", "只能浏览", request::NO_SESSION.zh),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/__zhanting/edit/assets/editor.css\"></head>\
         <body><main class=\"readonly\"><h1>{title}</h1><p>{text}</p><p><a href=\"/\">→ /</a></p></main></body></html>\n"
    );
    let mut r = Response::new(Body::from(html));
    *r.status_mut() = StatusCode::FORBIDDEN;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure(r.headers_mut());
    r
}

async fn asset(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    axum::extract::Path(path): axum::extract::Path<String>,
) -> Response {
    // The assets hold no secret, but are served only under the server's own name.
    let host_ok = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| editor(&app).hosts.iter().any(|x| x.eq_ignore_ascii_case(h)));
    if !host_ok || path.contains("..") {
        return refuse(StatusCode::FORBIDDEN, request::BAD_HOST.en);
    }
    match crate::theme::THEME.get_file(format!("editor/{path}")) {
        Some(f) => {
            let mut r = Response::new(Body::from(f.contents()));
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(super::mime(&path)),
            );
            secure(h);
            r
        }
        None => refuse(StatusCode::NOT_FOUND, "no such file"),
    }
}

#[derive(serde::Deserialize)]
struct LoginQuery {
    token: String,
}

/// The one-time address of another machine: a session for the browser that opens it,
/// and a new address for the next one.
async fn login(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let ed = editor(&app);
    let host_ok = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| ed.hosts.iter().any(|x| x.eq_ignore_ascii_case(h)));
    let valid = {
        let mut login = ed.login.lock().unwrap_or_else(|e| e.into_inner());
        let ok = host_ok && request::same_secret(&q.token, &login);
        if ok {
            *login = random_hex(16);
        }
        ok
    };
    if !valid {
        return refuse(
            StatusCode::FORBIDDEN,
            ed.say(
                "this login address was used or is wrong: use the newest one the terminal shows",
                "这个登录地址已用过或不正确：请用终端里显示的最新地址",
            ),
        );
    }
    let session = ed.new_session();
    if let Some(next) = ed.login_url() {
        println!(
            "{} {}",
            ed.say(
                &format!(
                    "A device ({}) logged in to the editor. The next one uses:",
                    peer.ip()
                ),
                &format!("设备 {} 已登录编辑器。下一台设备请用：", peer.ip()),
            ),
            next
        );
    }
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, EDIT)]).into_response();
    let c = format!(
        "{}={session}; Path=/; HttpOnly; SameSite=Strict",
        ed.cookie_name
    );
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    secure(r.headers_mut());
    r
}

async fn site(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let snapshot = app.snapshot();
    let mut v = catalog::site(snapshot.site.as_deref(), ed.store.root());
    v["error"] = json!(snapshot.error);
    v["portal"] = json!(crate::portal::is_portal(ed.store.root()));
    ok_json(v)
}

#[derive(serde::Deserialize)]
struct PathQuery {
    path: String,
}

async fn file(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<PathQuery>,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let opened = edit::open(&ed.store, &q.path);
    let mut v = match opened {
        Ok(v) => v,
        Err(f) => return failure(ed, f),
    };
    let snapshot = app.snapshot();
    if let Some(site) = snapshot.site.as_deref() {
        v["url"] = json!(catalog::url_of(site, &q.path));
        v["site"] = catalog::site(Some(site), ed.store.root());
    }
    if v["kind"] == "page" {
        v["pictures"] = json!(catalog::pictures_for(
            snapshot.site.as_deref(),
            ed.store.root(),
            &q.path
        ));
    }
    ok_json(v)
}

#[derive(serde::Deserialize)]
struct NameQuery {
    name: String,
}

async fn album(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<NameQuery>,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let rel = format!("albums/{}/album.yaml", q.name);
    let mut v = match edit::open(&ed.store, &rel) {
        Ok(v) => v,
        Err(f) => return failure(ed, f),
    };
    if let Some(site) = app.snapshot().site.as_deref() {
        v["album"] = json!(catalog::album(site, &q.name));
        v["url"] = json!(catalog::url_of(site, &rel));
    }
    ok_json(v)
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: String,
}

/// The source of a served page, for its 编辑 control (only for those who may edit).
async fn source(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let found = app
        .snapshot()
        .site
        .as_deref()
        .and_then(|s| catalog::source_of(s, &q.page));
    match found {
        Some((path, kind)) => {
            let word = match lang_of(&app) {
                Lang::En => "Edit",
                Lang::Zh => "编辑",
            };
            ok_json(
                json!({ "path": path, "kind": kind, "label": word, "edit": edit_link(kind, &path) }),
            )
        }
        None => refuse(StatusCode::NOT_FOUND, "no source"),
    }
}

/// The editor's address for a file of kind `kind`.
pub fn edit_link(kind: &str, path: &str) -> String {
    let q = percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC);
    match kind {
        "album" => format!(
            "{EDIT}album?name={}",
            percent_encoding::utf8_percent_encode(
                path.trim_start_matches("albums/"),
                percent_encoding::NON_ALPHANUMERIC
            )
        ),
        "page" => format!("{EDIT}page?path={q}"),
        _ => format!("{EDIT}file?path={q}"),
    }
}

/// The last build: its error as serve shows it, and its diagnostics one by one.
async fn status(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let s = app.snapshot();
    ok_json(json!({ "error": s.error, "diagnostics": s.diagnostics, "generation": s.generation }))
}

/// Reads a JSON body of a write; a 400 when it is not one.
fn body<T: serde::de::DeserializeOwned>(ed: &Editor, bytes: &[u8]) -> Result<T, Response> {
    request::parse(bytes).map_err(|e| {
        refuse(
            StatusCode::BAD_REQUEST,
            &format!("{}: {}", ed.say("bad request", "请求有误"), e.0),
        )
    })
}

/// A write's JSON request, once judged (Host, Origin, session, token: see
/// [`Editor::judge`]) and read.
fn judged<T: serde::de::DeserializeOwned>(
    app: &App,
    method: &Method,
    headers: &HeaderMap,
    peer: SocketAddr,
    bytes: &[u8],
) -> Result<T, Response> {
    editor(app).judge(method, headers, peer)?;
    body(editor(app), bytes)
}

/// Runs a write off the async threads and answers with `reply` of its result (200), or
/// with its failure.
async fn answer<T: Send + 'static>(
    app: &Arc<App>,
    op: impl FnOnce(&App) -> Result<T, Failure> + Send + 'static,
    reply: impl FnOnce(T) -> serde_json::Value,
) -> Response {
    let a = app.clone();
    match blocking(move || op(&a)).await {
        Some(Ok(v)) => ok_json(reply(v)),
        Some(Err(f)) => failure(editor(app), f),
        None => refuse(StatusCode::INTERNAL_SERVER_ERROR, "500"),
    }
}

/// Runs a file operation off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

async fn save(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::Save = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| edit::save(&a.editor.store, &req),
        |version| json!({ "version": version }),
    )
    .await
}

/// What `build` would say of a file if it held what the form holds now (nothing written).
async fn check(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::Save = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| edit::check(&a.editor.store, &req),
        |diags| json!({ "diagnostics": diags }),
    )
    .await
}

async fn new_page(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::NewPage = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| edit::new_page(&a.editor.store, &req),
        |path| json!({ "path": path, "edit": edit_link("page", &path) }),
    )
    .await
}

async fn new_album(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::NewAlbum = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| edit::new_album(&a.editor.store, &req),
        |dir| json!({ "path": dir, "edit": edit_link("album", &dir) }),
    )
    .await
}

async fn new_board(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::NewBoard = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| edit::new_board(&a.editor.store, &req),
        |path| json!({ "path": path, "edit": edit_link("board", &path) }),
    )
    .await
}

async fn delete(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::Delete = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| a.editor.store.trash(&req.path, req.folder),
        |trashed| json!({ "trashed": trashed }),
    )
    .await
}

async fn restore(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let req: request::Restore = match judged(&app, &method, &headers, peer, &bytes) {
        Ok(r) => r,
        Err(r) => return r,
    };
    answer(
        &app,
        move |a| a.editor.store.restore(&req.trashed),
        |path| json!({ "path": path }),
    )
    .await
}

/// A new site in the served folder, when it has none (`zhanting edit` in an empty
/// folder): the starter site, which the watcher then builds.
async fn init(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let root = ed.store.root().to_path_buf();
    match blocking(move || crate::init::init_here(&root)).await {
        Some(Ok(())) => ok_json(json!({ "ok": true })),
        Some(Err(d)) => refuse(StatusCode::CONFLICT, d.message.get(lang_of(&app))),
        None => refuse(StatusCode::INTERNAL_SERVER_ERROR, "500"),
    }
}

/// Whether a request says (Content-Length) that its body is larger than `cap`.
fn declared_over(headers: &HeaderMap, cap: u64) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > cap)
}

/// The caps of a picture or video upload, for its refusal.
const MEDIA_CAPS: (&str, &str) = (
    "pictures up to 64 MB, videos up to 1 GB",
    "照片不超过 64 MB，视频不超过 1 GB",
);

/// The refusal of an upload over its cap (`caps`, in English and Chinese).
fn upload_too_large(ed: &Editor, (en, zh): (&str, &str)) -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        ed.say(
            &format!("the file is too large ({en})"),
            &format!("文件太大（{zh}）"),
        ),
    )
}

/// Streams an upload's body into `tmp`, capped by what its first bytes say it is (a
/// video's cap, or a picture's) and by what the session may upload in all: the bytes
/// written, or the answer to give (the caller removes `tmp`).
async fn received(ed: &Editor, body: Body, tmp: &Path) -> Result<u64, Response> {
    let mut out = std::fs::File::create(tmp).map_err(|e| failure(ed, e.into()))?;
    let mut stream = body.into_data_stream();
    let mut written: u64 = 0;
    let mut head: Vec<u8> = Vec::new();
    let mut cap = ed.caps.video.max(ed.caps.picture);
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Err(refuse(StatusCode::BAD_REQUEST, "the upload broke off"));
        };
        if head.len() < 32 {
            head.extend_from_slice(&chunk[..chunk.len().min(32 - head.len())]);
            if head.len() >= 16 {
                cap = match crate::edit::store::sniff(&head) {
                    Some("mp4" | "webm") => ed.caps.video,
                    _ => ed.caps.picture,
                };
            }
        }
        written += chunk.len() as u64;
        let total = ed.uploaded.load(Ordering::Relaxed) + written;
        if written > cap || total > ed.caps.total {
            return Err(upload_too_large(ed, MEDIA_CAPS));
        }
        // A chunk at a time into the page cache: short enough to write here.
        std::io::Write::write_all(&mut out, &chunk).map_err(|e| failure(ed, e.into()))?;
    }
    Ok(written)
}

#[derive(serde::Deserialize)]
struct UploadQuery {
    dir: String,
    name: String,
}

/// One file, as the body of a PUT: streamed into a hidden file in its folder, judged by
/// its first bytes, capped, then given a free, safe name.
async fn upload(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<UploadQuery>,
    body: Body,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    if declared_over(&headers, ed.caps.video.max(ed.caps.picture)) {
        return upload_too_large(ed, MEDIA_CAPS);
    }
    let tmp = match ed.store.upload_file(&q.dir) {
        Ok(t) => t,
        Err(f) => return failure(ed, f),
    };
    let written = match received(ed, body, &tmp).await {
        Ok(n) => n,
        Err(r) => {
            let _ = std::fs::remove_file(&tmp);
            return r;
        }
    };
    ed.uploaded.fetch_add(written, Ordering::Relaxed);
    let a = app.clone();
    let (dir, name) = (q.dir.clone(), q.name.clone());
    let placed = blocking(move || a.editor.store.place(&dir, &name, &tmp)).await;
    match placed {
        Some(Ok(rel)) => {
            let file = rel.rsplit('/').next().unwrap_or(&rel).to_string();
            ok_json(json!({ "path": rel, "file": file, "bytes": written }))
        }
        Some(Err(Failure::Refused(r))) => {
            refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, ed.say(&r.en, &r.zh))
        }
        Some(Err(f)) => failure(ed, f),
        None => refuse(StatusCode::INTERNAL_SERVER_ERROR, "500"),
    }
}

#[derive(serde::Deserialize)]
struct ImportQuery {
    /// The section's folder under `content/` (`news`).
    section: String,
    /// The file's name as the browser gives it (`七一活动.docx`): its extension says
    /// what it is.
    name: String,
}

/// Whether `bytes` can be what a file named `name` says it is: a Word document is a zip
/// (what is not gets the importer's own message: an old .doc renamed, an empty file), a
/// saved page is text.
fn plausible(kind: crate::convert::Kind, bytes: &[u8]) -> bool {
    use crate::convert::Kind;
    match kind {
        Kind::Docx => bytes.starts_with(b"PK\x03\x04"),
        Kind::Html | Kind::Mhtml => {
            !bytes.is_empty() && !bytes[..bytes.len().min(4096)].contains(&0)
        }
        // The importer says what it is (or reads a .docx named .doc).
        Kind::OldWord => true,
    }
}

/// 「导入 Word / 公众号文章」: one .docx, .html or .mhtml file as the body of a PUT,
/// imported into a section as a new page by `crate::import` (the CLI's `zhanting
/// import`). Answers the page's path and the import's report; writes nothing when the
/// file cannot be read.
async fn import(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): Peer,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: Body,
) -> Response {
    let ed = editor(&app);
    if let Err(r) = ed.judge(&method, &headers, peer) {
        return r;
    }
    let lang = lang_of(&app);
    let too_large =
        |ed: &Editor| upload_too_large(ed, ("documents up to 64 MB", "文档不超过 64 MB"));
    let cap = ed.caps.picture;
    if declared_over(&headers, cap) {
        return too_large(ed);
    }
    let section = format!("content/{}", q.section.trim_matches('/'));
    if let Err(r) = edit::confine::site_folder(&section)
        .and_then(|()| edit::confine::resolve(ed.store.root(), &section))
    {
        return refuse(StatusCode::FORBIDDEN, ed.say(&r.en, &r.zh));
    }
    if let Err(d) = crate::import::Source::from_bytes(&q.name, Vec::new(), Default::default()) {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, &said(&d, lang));
    }
    let mut bytes: Vec<u8> = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return refuse(StatusCode::BAD_REQUEST, "the upload broke off");
        };
        let size = (bytes.len() + chunk.len()) as u64;
        if size > cap || ed.uploaded.load(Ordering::Relaxed) + size > ed.caps.total {
            return too_large(ed);
        }
        bytes.extend_from_slice(&chunk);
    }
    ed.uploaded.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    let root = ed.store.root().to_path_buf();
    let name = q.name.clone();
    match blocking(move || imported(&root, &section, &name, bytes)).await {
        Some(Ok(import)) => import_answer(&import, lang),
        Some(Err(diags)) => {
            let text = diags
                .iter()
                .map(|d| said(d, lang))
                .collect::<Vec<_>>()
                .join("\n");
            refuse(StatusCode::UNPROCESSABLE_ENTITY, &text)
        }
        None => refuse(StatusCode::INTERNAL_SERVER_ERROR, "500"),
    }
}

/// The file `name` of `bytes` imported into `section` of the site at `root` (what
/// `zhanting import` does), refused when it is not what its name says.
fn imported(
    root: &Path,
    section: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Result<crate::import::Import, Vec<crate::error::Diagnostic>> {
    let source =
        crate::import::Source::from_bytes(name, bytes, Default::default()).map_err(|d| vec![d])?;
    let mut target = crate::import::Target::open(root, Some(section))?;
    let read = target.prepare(&source, crate::import::today());
    if !plausible(source.kind, &source.bytes) {
        // Not what its name says: refused with the importer's reason when it has one
        // (an old .doc renamed, an empty file).
        return Err(read.err().unwrap_or_else(|| {
            vec![crate::error::Diagnostic::error(
                format!("{name} is not what its name says"),
                format!("{name} 的内容与扩展名不符"),
            )]
        }));
    }
    let import = read?;
    target.write(&import).map_err(|d| vec![d])?;
    Ok(import)
}

/// The answer to an import: the new page, where to edit it, and the report.
fn import_answer(import: &crate::import::Import, lang: Lang) -> Response {
    let say = |t: &crate::error::Text| t.get(lang).to_string();
    let notes: Vec<String> = import.notes.iter().map(|d| said(d, lang)).collect();
    ok_json(json!({
        "path": import.page,
        "edit": edit_link("page", &import.page),
        "title": import.title,
        "date": import.date.to_string(),
        "dateFrom": say(&crate::import::date_source(import.date_from)),
        "summary": say(&import.report.summary()),
        "missing": import.report.missing,
        "notes": notes,
        "findings": import.findings,
    }))
}

/// A diagnostic's message and hint in the editor's language, for a line under a form.
fn said(d: &crate::error::Diagnostic, lang: Lang) -> String {
    match &d.hint {
        Some(h) => match lang {
            Lang::En => format!("{} — {}", d.message.get(lang), h.get(lang)),
            Lang::Zh => format!("{}。{}", d.message.get(lang), h.get(lang)),
        },
        None => d.message.get(lang).to_string(),
    }
}
