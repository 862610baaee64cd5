//! Requests to the editor described by `arbitrary` values: the headers it is judged by
//! (Host, Origin, Sec-Fetch-Site, the session cookie, the token), and one operation with
//! its JSON body — a save that changes a real file's value a little (a key set, removed
//! or added, a list reordered), a new page, album or board, a deletion, a restore —
//! whose paths are made of the pieces that try to leave the site folder.

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_yaml::{Mapping, Value};

/// Picks one of `pool`, else any string.
fn pick(u: &mut Unstructured, pool: &[&str]) -> Result<String> {
    if u.ratio(7, 8)? {
        Ok(u.choose(pool)?.to_string())
    } else {
        u.arbitrary()
    }
}

macro_rules! picked {
    ($name:ident, $pool:expr) => {
        #[derive(Debug, Clone)]
        pub struct $name(pub String);
        impl<'a> Arbitrary<'a> for $name {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                pick(u, $pool).map($name)
            }
        }
    };
}

/// The server of the fuzzed requests: its addresses, cookie, session and token.
pub const HOSTS: &[&str] = &["127.0.0.1:1111", "localhost:1111"];
pub const COOKIE: &str = "zt_1111";
pub const SESSION: &str = "s1";
pub fn token_of(session: &str) -> String {
    format!("t-{session}")
}

picked!(
    Method,
    &["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "get", "post", ""]
);
picked!(
    Host,
    &[
        "127.0.0.1:1111",
        "localhost:1111",
        "LOCALHOST:1111",
        "127.0.0.1",
        "127.0.0.1:1111.",
        "127.0.0.1:2222",
        "evil.example:1111",
        "[::1]:1111",
        "",
    ]
);
picked!(
    Origin,
    &[
        "http://127.0.0.1:1111",
        "http://localhost:1111",
        "HTTP://LOCALHOST:1111",
        "https://127.0.0.1:1111",
        "http://127.0.0.1:1111/",
        "http://evil.example",
        "http://evil.example:1111",
        "null",
        "",
    ]
);
picked!(
    FetchSite,
    &["same-origin", "same-site", "cross-site", "none", ""]
);
picked!(
    Cookie,
    &[
        "zt_1111=s1",
        "other=1; zt_1111=s1",
        "zt_1111=s1; zt_1111=s2",
        "zt_1111=s2; zt_1111=s1",
        "zt_1111=",
        "zt_1111=s2",
        "zt_2222=s1",
        " zt_1111 = s1",
        "zt_1111=s1 ",
        "ZT_1111=s1",
        "zt_1111",
        ";;=",
        "",
    ]
);
picked!(Token, &["t-s1", "t-s2", "T-S1", "t-s1 ", "", "t-", "s1"]);

/// Pieces of site-relative paths: the site's own, and what tries to get out.
const PATH_PARTS: &[&str] = &[
    "content",
    "news",
    "lectures",
    "about.md",
    "七一.md",
    "index.md",
    "_index.md",
    "site.yaml",
    "brand.yaml",
    "albums",
    "2025-qiyi",
    "album.yaml",
    "boards",
    "weifuwu.yaml",
    "photo.jpg",
    "合影.HEIC",
    "v.mp4",
    "v.vtt",
    "out",
    "link.md",
    "linkdir",
    "..",
    ".",
    "",
    "~",
    "%2e%2e",
    ".git",
    ".zhanting-trash",
    ".zhanting-cache",
    "public",
    "templates",
    "static",
    "con",
    "con.md",
    "a .md",
    "a.md ",
    "a.md.",
    "C:",
    "\\",
    "..\\..",
    "/",
    "\u{0}",
    "\u{202e}",
    "ａ.md",
    "Content",
    "CONTENT",
];

/// A site-relative path, as the editor would send it or as an attacker would.
#[derive(Debug, Clone)]
pub struct RelPath(pub String);

impl<'a> Arbitrary<'a> for RelPath {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut s = String::new();
        if u.ratio(1, 16)? {
            s.push('/');
        }
        for i in 0..u.int_in_range(1..=5)? {
            if i > 0 {
                s.push(if u.ratio(1, 16)? { '\\' } else { '/' });
            }
            if u.ratio(7, 8)? {
                s.push_str(u.choose(PATH_PARTS)?);
            } else {
                s.push_str(&u.arbitrary::<String>()?);
            }
        }
        Ok(RelPath(s))
    }
}

/// Scalars a change sets.
const SCALARS: &[&str] = &[
    "七一主题党日",
    "",
    "a: b",
    "- x",
    "# not a comment",
    "'",
    "\"",
    "yes",
    "null",
    "~",
    "0x1A",
    "1e3",
    ".inf",
    "2024-07-01",
    "line\nline",
    "\ttab",
    " lead",
    "trail ",
    "{a: 1}",
    "[1, 2]",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%",
    "@",
    "`",
    "𠀀",
    "\u{2028}",
    "\u{85}",
    "\u{feff}",
    "\r\n",
];

/// A YAML value to set, a few levels deep at most.
#[derive(Debug, Clone)]
pub struct NewValue(pub Value);

fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kind = if depth >= 3 {
        u.int_in_range(0..=4)?
    } else {
        u.int_in_range(0..=6)?
    };
    Ok(match kind {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => {
            if u.arbitrary()? {
                Value::Number(u.arbitrary::<i64>()?.into())
            } else {
                Value::Number(u.arbitrary::<f64>()?.into())
            }
        }
        3 | 4 => Value::String(pick(u, SCALARS)?),
        5 => {
            let mut s = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                s.push(value(u, depth + 1)?);
            }
            Value::Sequence(s)
        }
        _ => {
            let mut m = Mapping::new();
            for _ in 0..u.int_in_range(0..=3)? {
                let k = Value::String(pick(u, &["title", "date", "tags", "a", "b", "", "标题"])?);
                m.insert(k, value(u, depth + 1)?);
            }
            Value::Mapping(m)
        }
    })
}

impl<'a> Arbitrary<'a> for NewValue {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        value(u, 0).map(NewValue)
    }
}

/// A change to a value: at the place `at` leads to (indices into mappings and lists).
#[derive(Arbitrary, Debug, Clone)]
pub struct Edit {
    pub at: Vec<u8>,
    pub action: Action,
}

#[derive(Arbitrary, Debug, Clone)]
pub enum Action {
    Set(NewValue),
    Remove,
    /// A new key (mapping) or item (list) after position `.0`.
    Insert(u8, NewValue),
    Swap(u8, u8),
    /// A string made longer or cut (the editor's typing).
    Type(u8),
}

/// Child `step` (modulo their number) of a mapping or list.
fn child(v: &mut Value, step: u8) -> Option<&mut Value> {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            let i = step as usize % m.len();
            m.iter_mut().nth(i).map(|(_, v)| v)
        }
        Value::Sequence(s) if !s.is_empty() => {
            let i = step as usize % s.len();
            s.get_mut(i)
        }
        _ => None,
    }
}

fn is_container(v: &Value) -> bool {
    matches!(v, Value::Mapping(_) | Value::Sequence(_))
}

/// `v` with `edit` made.
pub fn edited(v: &mut Value, edit: &Edit) {
    let mut cur = v;
    // Down to the place: the last mapping or list `at` leads to.
    for &step in &edit.at {
        let down = match &*cur {
            Value::Mapping(m) if !m.is_empty() => m
                .iter()
                .nth(step as usize % m.len())
                .is_some_and(|(_, v)| is_container(v)),
            Value::Sequence(s) if !s.is_empty() => is_container(&s[step as usize % s.len()]),
            _ => false,
        };
        if !down {
            break;
        }
        match child(cur, step) {
            Some(c) => cur = c,
            None => return,
        }
    }
    match (&edit.action, cur) {
        (Action::Set(n), Value::Mapping(m)) if !m.is_empty() => {
            let i = edit.at.last().copied().unwrap_or(0) as usize % m.len();
            if let Some((_, v)) = m.iter_mut().nth(i) {
                *v = n.0.clone();
            }
        }
        (Action::Set(n), Value::Sequence(s)) if !s.is_empty() => {
            let i = edit.at.last().copied().unwrap_or(0) as usize % s.len();
            s[i] = n.0.clone();
        }
        (Action::Set(n), other) => *other = n.0.clone(),
        (Action::Remove, Value::Mapping(m)) if !m.is_empty() => {
            let i = edit.at.last().copied().unwrap_or(0) as usize % m.len();
            let k = m.keys().nth(i).cloned();
            if let Some(k) = k {
                m.remove(&k);
            }
        }
        (Action::Remove, Value::Sequence(s)) if !s.is_empty() => {
            let i = edit.at.last().copied().unwrap_or(0) as usize % s.len();
            s.remove(i);
        }
        (Action::Insert(pos, n), Value::Mapping(m)) => {
            let key = format!("new{pos}");
            m.insert(Value::String(key), n.0.clone());
        }
        (Action::Insert(pos, n), Value::Sequence(s)) => {
            let i = (*pos as usize) % (s.len() + 1);
            s.insert(i, n.0.clone());
        }
        (Action::Swap(a, b), Value::Sequence(s)) if !s.is_empty() => {
            let (a, b) = (*a as usize % s.len(), *b as usize % s.len());
            s.swap(a, b);
        }
        (Action::Type(n), Value::Mapping(m)) if !m.is_empty() => {
            let i = *n as usize % m.len();
            if let Some((_, Value::String(s))) = m.iter_mut().nth(i) {
                if n % 2 == 0 {
                    s.push_str("，新增");
                } else {
                    let keep = s.chars().count() / 2;
                    *s = s.chars().take(keep).collect();
                }
            }
        }
        _ => {}
    }
}

/// What a request asks for.
#[derive(Arbitrary, Debug)]
pub enum Op {
    /// A save of one of the sample files (`sample`), held as `current`, whose value is
    /// changed by `edits` (a page: its front matter; its body replaced by `body`).
    Save {
        /// `None`: the sample's own path.
        path: Option<RelPath>,
        sample: u8,
        edits: Vec<Edit>,
        body: Option<String>,
        as_text: bool,
        base: Option<String>,
    },
    NewPage {
        section: RelPath,
        title: String,
        date: Option<String>,
    },
    NewAlbum {
        title: String,
    },
    NewBoard {
        title: String,
    },
    Delete {
        path: RelPath,
        folder: bool,
    },
    Restore {
        stamp: String,
        path: RelPath,
    },
    /// A body of any bytes, parsed as every kind of body.
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
pub struct Request {
    pub method: Method,
    pub host: Option<Host>,
    pub origin: Option<Origin>,
    pub fetch_site: Option<FetchSite>,
    pub cookie: Option<Cookie>,
    pub token: Option<Token>,
    pub loopback: bool,
    pub op: Op,
}
