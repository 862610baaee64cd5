//! The editor's requests (`zhanting serve`/`edit`): a request's headers judged as the
//! server judges them, and its JSON body parsed and carried out on a scratch copy of
//! the basic fixture site, beside a folder outside it that symbolic links in the site
//! point to (`zhanting_fuzz::request`).
//!
//! Besides not panicking:
//! - a request is let through only with the server's own Host, and a write only with
//!   its own Origin, a live session and that session's token;
//! - a path the editor accepts is inside the site folder, with no symbolic link on the
//!   way; nothing outside the site folder changes, whatever the request;
//! - a save's text reads back as the value (and the body) it was asked to hold.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use serde_yaml::{Mapping, Value};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use zhanting::edit::confine::{self, FileKind};
use zhanting::edit::preserve;
use zhanting::edit::request::{
    self, judge, Access, Change, Delete, Facts, NewAlbum, NewBoard, NewPage, Policy, Restore, Save,
};
use zhanting::edit::store::Store;
use zhanting_fuzz::request::{edited, token_of, Op, Request, COOKIE, HOSTS, SESSION};
use zhanting_fuzz::{copy_dir, repo, Scratch};

struct World {
    scratch: Scratch,
    site: PathBuf,
    outside: PathBuf,
    /// The files outside and beside the site, as they were.
    before: Vec<(PathBuf, u64)>,
    /// (site-relative path, text) of the fixtures' pages and YAML files.
    samples: Vec<(String, String)>,
}

static WORLD: OnceLock<World> = OnceLock::new();

thread_local! {
    static WRITES: Cell<u32> = const { Cell::new(0) };
}

/// Every file and folder under `dir` (symbolic links not followed), with its size.
fn listing(dir: &Path, out: &mut Vec<(PathBuf, u64)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        out.push((path.clone(), meta.len()));
        if meta.is_dir() {
            listing(&path, out);
        }
    }
}

/// What lies outside the site: the folder the links point to, and the scratch folder's
/// own entries (the site's siblings).
fn outside_state(w: &World) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    listing(&w.outside, &mut out);
    let mut top: Vec<_> = std::fs::read_dir(&w.scratch.root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| (e.path(), 0))
        .collect();
    top.sort();
    out.extend(top);
    out
}

/// The site folder made afresh: the basic fixture, with links out of it.
fn make_site(site: &Path, outside: &Path) {
    let _ = std::fs::remove_dir_all(site);
    std::fs::create_dir_all(site).expect("site");
    copy_dir(&repo().join("tests/fixtures/basic"), site);
    let link = |to: &Path, at: &str| {
        let _ = std::os::unix::fs::symlink(to, site.join(at));
    };
    link(outside, "content/out");
    link(&outside.join("x.md"), "content/link.md");
    link(&outside.join("x.md"), "content/news/link.md");
    link(outside, "linkdir");
    link(outside, "albums/out");
    link(&outside.join("brand.yaml"), "brand.yaml.lnk");
}

fn samples() -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name == "public" || name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else if name.ends_with(".yaml") || name.ends_with(".md") {
                if let (Ok(text), Ok(rel)) =
                    (std::fs::read_to_string(&path), path.strip_prefix(root))
                {
                    out.push((rel.to_string_lossy().into_owned(), text));
                }
            }
        }
    }
    let mut out = Vec::new();
    for site in ["tests/fixtures/basic", "example-site"] {
        let root = repo().join(site);
        walk(&root, &root, &mut out);
    }
    out.sort();
    out
}

fn world() -> &'static World {
    WORLD.get_or_init(|| {
        let scratch = Scratch::empty("request");
        let site = scratch.root.join("site");
        let outside = scratch.root.join("outside");
        std::fs::create_dir_all(&outside).expect("outside");
        std::fs::write(outside.join("x.md"), "---\ntitle: outside\n---\n").expect("x.md");
        std::fs::write(outside.join("brand.yaml"), "name: outside\n").expect("brand");
        make_site(&site, &outside);
        let mut w = World {
            scratch,
            site,
            outside,
            before: Vec::new(),
            samples: samples(),
        };
        w.before = outside_state(&w);
        w
    })
}

/// A path the editor accepted (`rel`, which became `full`) is inside the site folder,
/// and no part of it that exists is a symbolic link.
fn assert_inside(site: &Path, rel: &str, full: &Path) {
    let root = site.canonicalize().expect("site");
    assert!(
        !rel.is_empty()
            && !rel.starts_with('/')
            && !rel.contains('\\')
            && rel
                .split('/')
                .all(|p| !p.is_empty() && p != "." && p != ".."),
        "accepted {rel:?}"
    );
    assert!(full.starts_with(&root), "{rel:?} became {}", full.display());
    let mut p = root.clone();
    for part in rel.split('/') {
        p.push(part);
        match std::fs::symlink_metadata(&p) {
            Ok(m) => assert!(!m.file_type().is_symlink(), "{rel:?} goes through a link"),
            Err(_) => break,
        }
    }
    let mut existing = full.to_path_buf();
    while !existing.exists() && existing.pop() {}
    if let Ok(real) = existing.canonicalize() {
        assert!(real.starts_with(&root), "{rel:?} resolves outside");
    }
}

/// A path checked as the editor checks a file's: by text, then on disk.
fn check_file(site: &Path, rel: &str) {
    if confine::site_path(rel).is_ok() {
        if let Ok(full) = confine::resolve(site, rel) {
            assert_inside(site, rel, &full);
        }
    }
    if confine::site_folder(rel).is_ok() {
        if let Ok(full) = confine::resolve(site, rel) {
            assert_inside(site, rel, &full);
        }
    }
}

/// The headers judged; what may pass, passes only for its reasons.
fn judged(r: &Request) {
    let hosts: Vec<String> = HOSTS.iter().map(|h| h.to_string()).collect();
    let facts = Facts {
        method: &r.method.0,
        host: r.host.as_ref().map(|h| h.0.as_str()),
        origin: r.origin.as_ref().map(|h| h.0.as_str()),
        fetch_site: r.fetch_site.as_ref().map(|h| h.0.as_str()),
        cookie: r.cookie.as_ref().map(|h| h.0.as_str()),
        token: r.token.as_ref().map(|h| h.0.as_str()),
        loopback: r.loopback,
    };
    let policy = Policy {
        hosts: &hosts,
        cookie_name: COOKIE,
        is_session: &|s| s == SESSION,
        token_of: &token_of,
    };
    let Ok(access) = judge(&facts, &policy) else {
        return;
    };
    let host = facts.host.expect("a request let through names its Host");
    assert!(
        HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)),
        "Host {host:?} let through"
    );
    match access {
        Access::Session(s) => {
            assert_eq!(s, SESSION, "a session the server did not give");
            if request::is_write(facts.method) {
                let origin = facts.origin.expect("a write without Origin");
                assert!(
                    origin.eq_ignore_ascii_case(&format!("http://{host}")),
                    "a write from {origin:?} to {host:?}"
                );
                assert!(matches!(facts.fetch_site, None | Some("same-origin")));
                assert_eq!(facts.token, Some(token_of(SESSION).as_str()), "token");
            }
        }
        Access::Local => {
            assert!(
                !request::is_write(facts.method),
                "a write without a session"
            );
            assert!(facts.loopback, "another machine without a session");
        }
    }
}

/// Whether `text` reads as `want`, as `preserve` promises (an empty document as an
/// empty mapping).
fn reads_as(text: &str, want: &Value) -> bool {
    preserve::parse_value(text).is_ok_and(|v| same_or_empty(&v, want))
}

fn same_or_empty(got: &Value, want: &Value) -> bool {
    let empty = |v: &Value| matches!(v, Value::Mapping(m) if m.is_empty());
    preserve::same(got, want) || (*got == Value::Null && empty(want))
}

fn to_json(v: &Value) -> serde_json::Value {
    zhanting::edit::to_json(v)
}

/// A save of a sample changed by the request's edits: the body parsed, and the text the
/// file would become made from it as the editor makes it.
#[allow(clippy::too_many_arguments)]
fn save(
    w: &World,
    path: Option<&str>,
    sample: u8,
    edits: &[zhanting_fuzz::request::Edit],
    body: Option<&str>,
    as_text: bool,
    base: Option<&str>,
) {
    if w.samples.is_empty() {
        return;
    }
    let (rel, current) = &w.samples[sample as usize % w.samples.len()];
    let path = path.unwrap_or(rel);
    check_file(&w.site, path);
    let page = rel.ends_with(".md");
    let json = if as_text {
        let mut text = current.clone();
        if let Some(b) = body {
            text.push_str(b);
        }
        json!({ "path": path, "base": base, "text": text })
    } else if page {
        let Ok((mut front, old_body)) = preserve::read_page(current) else {
            return;
        };
        for e in edits {
            edited(&mut front, e);
        }
        let body = body.map_or(old_body, str::to_string);
        json!({ "path": path, "base": base, "front": to_json(&front), "body": body })
    } else {
        let Ok(mut value) = preserve::parse_value(current) else {
            return;
        };
        for e in edits {
            edited(&mut value, e);
        }
        json!({ "path": path, "base": base, "value": to_json(&value) })
    };
    let bytes = serde_json::to_vec(&json).expect("JSON");
    let req: Save = request::parse(&bytes).unwrap_or_else(|e| {
        panic!(
            "the editor's own body is refused: {e:?}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    });
    // A front matter set to null is no change the editor takes (it says so).
    let Some(change) = req.change() else {
        assert!(json["front"].is_null(), "one change: {json}");
        return;
    };
    let made = match change {
        Change::Page { front, body } => {
            let front = zhanting::edit::from_browser(front);
            preserve::apply_page(current, &front, body).map(|t| {
                let (f, b) = preserve::read_page(&t)
                    .unwrap_or_else(|e| panic!("{e}: the saved page\n{t}\nfrom\n{current}"));
                assert!(
                    same_or_empty(&f, &front),
                    "the front matter of\n{t}\nis not {front:?}, from\n{current}"
                );
                assert_eq!(b, body, "the body of\n{t}");
                t
            })
        }
        Change::Yaml(v) => {
            let v = zhanting::edit::from_browser(v);
            preserve::apply(current, &v).map(|t| {
                assert!(
                    reads_as(&t, &v),
                    "the YAML\n{t}\nis not {v:?}, from\n{current}"
                );
                t
            })
        }
        Change::Text(t) => Ok(t.to_string()),
    };
    if let Ok(text) = made {
        let _ = zhanting::edit::check_text(path, &text);
    }
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let Ok(r) = Request::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    judged(&r);
    let store = Store::new(&w.site);
    let mut wrote = false;
    match &r.op {
        Op::Save {
            path,
            sample,
            edits,
            body,
            as_text,
            base,
        } => save(
            w,
            path.as_ref().map(|p| p.0.as_str()),
            *sample,
            edits,
            body.as_deref(),
            *as_text,
            base.as_deref(),
        ),
        Op::NewPage {
            section,
            title,
            date,
        } => {
            let body = json!({ "section": section.0, "title": title, "date": date });
            let req: NewPage = request::parse(body.to_string().as_bytes()).expect("body");
            wrote = true;
            if let Ok(rel) = zhanting::edit::new_page(&store, &req) {
                assert_eq!(confine::site_path(&rel), Ok(FileKind::Page), "{rel}");
                assert_inside(&w.site, &rel, &w.site.canonicalize().unwrap().join(&rel));
            }
        }
        Op::NewAlbum { title } => {
            let body = json!({ "title": title });
            let req: NewAlbum = request::parse(body.to_string().as_bytes()).expect("body");
            wrote = true;
            if let Ok(dir) = zhanting::edit::new_album(&store, &req) {
                let rel = format!("{dir}/album.yaml");
                assert_eq!(confine::site_path(&rel), Ok(FileKind::Yaml), "{rel}");
            }
        }
        Op::NewBoard { title } => {
            let body = json!({ "title": title });
            let req: NewBoard = request::parse(body.to_string().as_bytes()).expect("body");
            wrote = true;
            if let Ok(rel) = zhanting::edit::new_board(&store, &req) {
                assert_eq!(confine::site_path(&rel), Ok(FileKind::Yaml), "{rel}");
            }
        }
        Op::Delete { path, folder } => {
            check_file(&w.site, &path.0);
            let body = json!({ "path": path.0, "folder": folder });
            let req: Delete = request::parse(body.to_string().as_bytes()).expect("body");
            wrote = true;
            if let Ok(to) = store.trash(&req.path, req.folder) {
                assert!(to.starts_with(".zhanting-trash/"), "{to}");
                // And back.
                let _ = store.restore(&to);
            }
        }
        Op::Restore { stamp, path } => {
            let trashed = format!("{}/{stamp}/{}", confine::TRASH, path.0);
            for t in [trashed.as_str(), path.0.as_str()] {
                let body = json!({ "trashed": t });
                let req: Restore = request::parse(body.to_string().as_bytes()).expect("body");
                wrote = true;
                if let Ok(rel) = store.restore(&req.trashed) {
                    check_file(&w.site, &rel);
                }
            }
        }
        Op::Raw(bytes) => {
            if let Ok(s) = request::parse::<Save>(bytes) {
                let _ = s.change();
                check_file(&w.site, &s.path);
            }
            if let Ok(d) = request::parse::<Delete>(bytes) {
                check_file(&w.site, &d.path);
            }
            if let Ok(n) = request::parse::<NewPage>(bytes) {
                check_file(&w.site, &format!("content/{}", n.section.trim_matches('/')));
            }
            let _ = request::parse::<NewAlbum>(bytes);
            let _ = request::parse::<NewBoard>(bytes);
            let _ = request::parse::<Restore>(bytes);
            let _ = request::parse::<Mapping>(bytes);
        }
    }
    if wrote {
        assert_eq!(
            outside_state(w),
            w.before,
            "something outside the site folder changed"
        );
        // A fresh site now and then, so that what requests made does not pile up.
        let n = WRITES.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        if n % 256 == 0 {
            make_site(&w.site, &w.outside);
        }
    }
});
