//! The browser editor's work on the site folder (`zhanting serve`, `zhanting edit`): which
//! paths it may touch (`confine`), its requests as data (`request`), its writes
//! (`store`: atomic, refused on a conflict, deletion as a move into the trash), edits
//! that change only what changed (`preserve`), and what the site holds as it lists it
//! (`catalog`). The HTTP side — sessions, tokens, the Host and Origin checks — is
//! `serve::editor`.

pub mod catalog;
pub mod confine;
pub mod preserve;
pub mod request;
pub mod store;

use confine::FileKind;
use request::{Change, NewAlbum, NewBoard, NewPage, Save};
use serde_json::{json, Value as Json};
use serde_yaml::{Mapping, Value};
use store::{Failure, Store};

/// A file as the editor opens it: its text and version, and its value as the form
/// holds it (a page's front matter and body, a YAML file's value), or why the value
/// cannot be read (then the editor shows the text itself).
pub fn open(store: &Store, rel: &str) -> Result<Json, Failure> {
    let (path, kind) = store.file(rel)?;
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Failure::Missing),
        Err(e) => return Err(e.into()),
    };
    let version = store::version(&bytes);
    if !matches!(kind, FileKind::Page | FileKind::Yaml) {
        return Ok(json!({ "path": rel, "kind": kind_name(kind), "version": version }));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = json!({
        "path": rel,
        "kind": kind_name(kind),
        "version": version,
        "text": text,
        "eol": eol,
    });
    let parsed = match kind {
        FileKind::Page => preserve::read_page(&text).map(|(front, body)| {
            out["front"] = to_json(&front);
            out["body"] = Json::String(body);
        }),
        _ => preserve::parse_value(&text).map(|v| out["value"] = to_json(&v)),
    };
    if let Err(e) = parsed {
        out["invalid"] = Json::String(e.to_string());
    }
    Ok(out)
}

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Page => "page",
        FileKind::Yaml => "yaml",
        FileKind::Picture => "picture",
        FileKind::Video => "video",
        FileKind::Captions => "captions",
    }
}

/// A YAML value as JSON for the browser (keys in their order: serde_json's map sorts
/// them, so a mapping is also given as its list of keys, `__keys`).
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => serde_json::to_value(n).unwrap_or(Json::Null),
        Value::String(s) => Json::String(s.clone()),
        Value::Sequence(s) => Json::Array(s.iter().map(to_json).collect()),
        Value::Mapping(m) => {
            let mut obj = serde_json::Map::new();
            let mut keys = Vec::new();
            for (k, v) in m {
                let k = match k {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                keys.push(Json::String(k.clone()));
                obj.insert(k, to_json(v));
            }
            obj.insert("__keys".into(), Json::Array(keys));
            Json::Object(obj)
        }
        Value::Tagged(t) => to_json(&t.value),
    }
}

/// A value from the browser back into YAML's terms: the `__keys` list gives the order of
/// a mapping's keys (and is dropped).
pub fn from_browser(v: &Value) -> Value {
    match v {
        Value::Mapping(m) => {
            let order: Vec<Value> = match m.get("__keys") {
                Some(Value::Sequence(keys)) => keys.clone(),
                _ => Vec::new(),
            };
            let mut out = Mapping::new();
            for k in &order {
                if let Some(val) = m.get(k) {
                    out.insert(k.clone(), from_browser(val));
                }
            }
            for (k, val) in m {
                if k.as_str() != Some("__keys") && !out.contains_key(k) {
                    out.insert(k.clone(), from_browser(val));
                }
            }
            Value::Mapping(out)
        }
        Value::Sequence(s) => Value::Sequence(s.iter().map(from_browser).collect()),
        other => other.clone(),
    }
}

/// Carries out a save: the file becomes what `req` says, changed only where it differs.
pub fn save(store: &Store, req: &Save) -> Result<String, Failure> {
    let (_, kind) = store.file(&req.path)?;
    let change = req.change().ok_or_else(|| {
        Failure::Invalid("a save names one of: front and body, value, text".into())
    })?;
    let make = |current: Option<&str>| -> Result<String, Failure> {
        let current = current.unwrap_or("");
        let made = match (change, kind) {
            (Change::Page { front, body }, FileKind::Page) => {
                preserve::apply_page(current, &from_browser(front), body)
            }
            (Change::Yaml(v), FileKind::Yaml) => preserve::apply(current, &from_browser(v)),
            (Change::Text(t), FileKind::Page | FileKind::Yaml) => {
                if t.contains('\0') {
                    return Err(Failure::Invalid("a text with a NUL character".into()));
                }
                Ok(t.to_string())
            }
            _ => return Err(Failure::Invalid("this file is not edited so".into())),
        };
        made.map_err(|e| Failure::Invalid(e.to_string()))
    };
    store.save(&req.path, req.base.as_deref(), make)
}

/// The text file `rel` would hold after `req` (nothing written).
fn candidate(store: &Store, req: &Save) -> Result<String, Failure> {
    let (path, kind) = store.file(&req.path)?;
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let change = req.change().ok_or_else(|| {
        Failure::Invalid("a check names one of: front and body, value, text".into())
    })?;
    let made = match (change, kind) {
        (Change::Page { front, body }, FileKind::Page) => {
            preserve::apply_page(&current, &from_browser(front), body)
        }
        (Change::Yaml(v), FileKind::Yaml) => preserve::apply(&current, &from_browser(v)),
        (Change::Text(t), _) => Ok(t.to_string()),
        _ => return Err(Failure::Invalid("this file is not edited so".into())),
    };
    made.map_err(|e| Failure::Invalid(e.to_string()))
}

/// What `build` would say of file `req.path` if it held what `req` sends, by the file
/// alone (its YAML, its keys and their types, a page's date), in `build`'s words: the
/// editor's check as one types. Problems between files (a missing picture, a pillar that
/// is not in brand.yaml) show after the save, from the build.
pub fn check(store: &Store, req: &Save) -> Result<Vec<crate::error::Diagnostic>, Failure> {
    let text = candidate(store, req)?;
    Ok(check_text(&req.path, &text))
}

/// The problems of file `rel` holding `text`, found by the file alone.
pub fn check_text(rel: &str, text: &str) -> Vec<crate::error::Diagnostic> {
    use crate::load;
    let one = |d: Option<crate::error::Diagnostic>| d.into_iter().collect::<Vec<_>>();
    match rel {
        "site.yaml" => crate::config::SiteConfig::parse(text)
            .err()
            .unwrap_or_default(),
        "brand.yaml" => one(load::brand::check_brand(text)),
        "achievements.yaml" => one(load::brand::check_achievements(text)),
        "deck.yaml" => one(load::deck::check_text(text)),
        "screen.yaml" => one(load::screen::check_text(text)),
        "checks.yaml" => {
            let mut d = crate::error::Diagnostics::new();
            crate::checks::Checks::from_file(Some(text), &[], &mut d);
            d.into_vec()
        }
        r if r.starts_with("albums/") && r.ends_with("/album.yaml") => {
            one(load::albums::check_text(r, text))
        }
        r if r.starts_with("boards/") => one(load::boards::check_text(r, text)),
        r if r.starts_with("content/") && r.ends_with(".md") => load::content::check_text(r, text),
        _ => Vec::new(),
    }
}

/// A title as a file or folder name: safe on every system, without an extension.
fn name_of(title: &str) -> String {
    let n = store::safe_name(&format!("{}.md", title.trim()));
    n.strip_suffix(".md").unwrap_or(&n).to_string()
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

fn yaml_text(v: &Value) -> Result<String, Failure> {
    preserve::apply("", v).map_err(|e| Failure::Invalid(e.to_string()))
}

fn mapping(pairs: &[(&str, Value)]) -> Value {
    let mut m = Mapping::new();
    for (k, v) in pairs {
        m.insert(Value::String((*k).into()), v.clone());
    }
    Value::Mapping(m)
}

/// A new report: `content/SECTION/TITLE/index.md`, a folder of its own so its pictures
/// sit beside it, with its title and date. Returns its path.
pub fn new_page(store: &Store, req: &NewPage) -> Result<String, Failure> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(Failure::Invalid("a report needs a title".into()));
    }
    let section = format!("content/{}", req.section.trim_matches('/'));
    confine::site_folder(&section)?;
    let section = if req.section.trim_matches('/').is_empty() {
        "content".to_string()
    } else {
        section
    };
    if !confine::resolve(store.root(), &section)?.is_dir() {
        return Err(Failure::Missing);
    }
    let folder = store.free_name(&section, &name_of(title));
    let rel = format!("{section}/{folder}/index.md");
    let date = req.date.clone().unwrap_or_else(today);
    let front = mapping(&[
        ("title", Value::String(title.into())),
        ("date", Value::String(date)),
    ]);
    let text = format!("---\n{}---\n\n", yaml_text(&front)?);
    store.save(&rel, None, |_| Ok(text))?;
    Ok(rel)
}

/// A new album: `albums/TITLE/album.yaml` with its title and date. Returns its folder.
pub fn new_album(store: &Store, req: &NewAlbum) -> Result<String, Failure> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(Failure::Invalid("an album needs a title".into()));
    }
    let folder = store.free_name("albums", &name_of(title));
    let dir = format!("albums/{folder}");
    let value = mapping(&[
        ("title", Value::String(title.into())),
        (
            "date",
            Value::String(req.date.clone().unwrap_or_else(today)),
        ),
    ]);
    let text = yaml_text(&value)?;
    store.save(&format!("{dir}/album.yaml"), None, |_| Ok(text))?;
    Ok(dir)
}

/// A new board: `boards/TITLE.yaml` with its title and one text block to start from.
pub fn new_board(store: &Store, req: &NewBoard) -> Result<String, Failure> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(Failure::Invalid("a board needs a title".into()));
    }
    let name = store.free_name("boards", &format!("{}.yaml", name_of(title)));
    let rel = format!("boards/{name}");
    let block = mapping(&[
        ("type", Value::String("text".into())),
        ("title", Value::String(title.into())),
        ("body", Value::String("在这里写展板的内容。\n".into())),
    ]);
    let value = mapping(&[
        ("title", Value::String(title.into())),
        ("blocks", Value::Sequence(vec![block])),
    ]);
    let text = yaml_text(&value)?;
    store.save(&rel, None, |_| Ok(text))?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_report_album_and_board_are_files_the_site_reads() {
        let tmp = tempfile::tempdir().unwrap();
        crate::init::init(tmp.path()).unwrap();
        let store = Store::new(tmp.path());
        let page = new_page(
            &store,
            &NewPage {
                section: "news".into(),
                title: "七一：主题党日 #1".into(),
                date: Some("2025-07-01".into()),
            },
        )
        .unwrap();
        assert_eq!(page, "content/news/七一：主题党日-1/index.md");
        let text = std::fs::read_to_string(tmp.path().join(&page)).unwrap();
        assert_eq!(
            text,
            "---\ntitle: '七一：主题党日 #1'\ndate: 2025-07-01\n---\n\n"
        );
        let again = new_page(
            &store,
            &NewPage {
                section: "news".into(),
                title: "七一：主题党日 #1".into(),
                date: None,
            },
        )
        .unwrap();
        assert_eq!(again, "content/news/七一：主题党日-1-2/index.md");
        assert!(matches!(
            new_page(
                &store,
                &NewPage {
                    section: "../x".into(),
                    title: "a".into(),
                    date: None
                }
            ),
            Err(Failure::Refused(_))
        ));
        assert!(matches!(
            new_page(
                &store,
                &NewPage {
                    section: "nope".into(),
                    title: "a".into(),
                    date: None
                }
            ),
            Err(Failure::Missing)
        ));
        new_album(
            &store,
            &NewAlbum {
                title: "2025年志愿服务".into(),
                date: None,
            },
        )
        .unwrap();
        new_board(
            &store,
            &NewBoard {
                title: "微服务展板".into(),
            },
        )
        .unwrap();
        let mut diags = crate::error::Diagnostics::new();
        let loaded =
            crate::pipeline::Pipeline::check(tmp.path(), &Default::default()).load(&mut diags);
        diags
            .into_result(loaded)
            .unwrap_or_else(|d| panic!("{d:?}"));
    }

    #[test]
    fn a_files_text_is_checked_in_builds_words() {
        let d = check_text("site.yaml", "title: x\ntitel: y\n");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.en.contains("unknown key `titel`"),
            "{:?}",
            d[0]
        );
        assert_eq!(d[0].line, Some(2));
        let d = check_text(
            "content/news/a.md",
            "---\ntitle: a\ndate: 2024-02-30\n---\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, Some(3));
        assert!(check_text(
            "content/news/a.md",
            "---\ntitle: a\ndate: 2024-02-03\n---\n"
        )
        .is_empty());
        assert!(!check_text("albums/x/album.yaml", "titel: x\n").is_empty());
        assert!(!check_text("boards/x.yaml", "title: [\n").is_empty());
    }

    #[test]
    fn values_go_to_the_browser_and_back_in_their_order() {
        let v: Value = serde_yaml::from_str("z: 1\na: {y: [1, x], b: null}\n").unwrap();
        let j = to_json(&v);
        assert_eq!(j["__keys"], json!(["z", "a"]));
        let back: Value = serde_yaml::from_str(&j.to_string()).unwrap();
        assert_eq!(from_browser(&back), v);
    }
}
