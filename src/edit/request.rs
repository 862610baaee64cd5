//! The editor's requests as data: who may do what ([`judge`]: the Host, the Origin, the
//! session cookie and the token header of a request, each checked), and the bodies of
//! its writes parsed ([`Save`], [`NewPage`], …). Pure functions over strings and bytes,
//! so they can be tested and fuzzed without a server.

use serde::Deserialize;
use serde_yaml::Value;

/// What a request says of itself, as the server received it.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// `GET`, `POST`, `PUT`, `DELETE`, …
    pub method: &'a str,
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    /// `Sec-Fetch-Site`, which browsers add and pages cannot set.
    pub fetch_site: Option<&'a str>,
    pub cookie: Option<&'a str>,
    /// The `X-Zhanting-Token` header.
    pub token: Option<&'a str>,
    /// Whether the connection comes from this machine.
    pub loopback: bool,
}

/// What the server knows to judge a request by.
pub struct Policy<'a> {
    /// `host:port` forms the server answers to (`127.0.0.1:1111`, `localhost:1111`, the
    /// LAN address when it listens there).
    pub hosts: &'a [String],
    /// The session cookie's name (it carries the port: cookies are shared by every port
    /// of a host).
    pub cookie_name: &'a str,
    /// Whether a session id is one the server gave out.
    pub is_session: &'a dyn Fn(&str) -> bool,
    /// The token of a session, which the editor's page carries and writes send back.
    pub token_of: &'a dyn Fn(&str) -> String,
}

/// What a request may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Read the editor and the site's files, and write, in session `.0`.
    Session(String),
    /// A browser on this machine without a session yet: it gets one with the editor's
    /// page (a page from anywhere else cannot read that page: same-origin policy, and
    /// the Host check stops DNS rebinding).
    Local,
}

/// Why a request was refused (403; the English and Chinese reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub en: &'static str,
    pub zh: &'static str,
}

const fn refusal(en: &'static str, zh: &'static str) -> Refusal {
    Refusal { en, zh }
}

pub const BAD_HOST: Refusal = refusal(
    "this address is not the server's own (Host)",
    "请求的地址不是本服务器自己的地址（Host）",
);
pub const BAD_ORIGIN: Refusal = refusal(
    "a write must come from the editor's own page (Origin)",
    "写入必须来自编辑器自己的页面（Origin）",
);
pub const NO_SESSION: Refusal = refusal(
    "this device may only read the site: open the address with the token that the terminal shows",
    "这台设备只能浏览网站：要编辑，请打开电脑终端里显示的带令牌的网址",
);
pub const BAD_TOKEN: Refusal = refusal(
    "the editor's token is missing or wrong: reload the editor",
    "编辑器令牌缺失或不正确：请刷新编辑器页面",
);

/// Whether `method` changes something.
pub fn is_write(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// The value of cookie `name` in a `Cookie:` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Judges a request to the editor or its API: its Host must be the server's; a write
/// must come from the server's own origin, in a session, with the session's token.
pub fn judge(f: &Facts, p: &Policy) -> Result<Access, Refusal> {
    let host = f.host.ok_or(BAD_HOST)?;
    if !p.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(BAD_HOST);
    }
    let session = f
        .cookie
        .and_then(|c| cookie(c, p.cookie_name))
        .filter(|s| (p.is_session)(s))
        .map(str::to_string);
    if is_write(f.method) {
        // The Origin a browser sends cannot be set by a page; a write without one did
        // not come from the editor.
        let origin_ok = f
            .origin
            .is_some_and(|o| o.eq_ignore_ascii_case(&format!("http://{host}")));
        if !origin_ok || f.fetch_site.is_some_and(|s| s != "same-origin") {
            return Err(BAD_ORIGIN);
        }
        let Some(session) = session else {
            return Err(NO_SESSION);
        };
        let expected = (p.token_of)(&session);
        if !f.token.is_some_and(|t| same_secret(t, &expected)) {
            return Err(BAD_TOKEN);
        }
        return Ok(Access::Session(session));
    }
    match session {
        Some(s) => Ok(Access::Session(s)),
        None if f.loopback => Ok(Access::Local),
        None => Err(NO_SESSION),
    }
}

/// A save: the file and the version it was read at (`None` for a new file), and what it
/// becomes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Save {
    pub path: String,
    #[serde(default)]
    pub base: Option<String>,
    /// A page: its front matter's new value…
    #[serde(default)]
    pub front: Option<Value>,
    /// …and its new body.
    #[serde(default)]
    pub body: Option<String>,
    /// A YAML file's new value.
    #[serde(default)]
    pub value: Option<Value>,
    /// The whole new text (the source view).
    #[serde(default)]
    pub text: Option<String>,
}

/// What a save changes.
#[derive(Debug)]
pub enum Change<'a> {
    Page { front: &'a Value, body: &'a str },
    Yaml(&'a Value),
    Text(&'a str),
}

impl Save {
    pub fn change(&self) -> Option<Change<'_>> {
        match (&self.front, &self.body, &self.value, &self.text) {
            (Some(front), Some(body), None, None) => Some(Change::Page { front, body }),
            (None, None, Some(v), None) => Some(Change::Yaml(v)),
            (None, None, None, Some(t)) => Some(Change::Text(t)),
            _ => None,
        }
    }
}

/// A new report: its section (a folder under `content/`), title and date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPage {
    pub section: String,
    pub title: String,
    #[serde(default)]
    pub date: Option<String>,
}

/// A new album: its title (the folder is named after it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAlbum {
    pub title: String,
    #[serde(default)]
    pub date: Option<String>,
}

/// A new board: its title.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBoard {
    pub title: String,
}

/// A file or folder to move into the trash.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delete {
    pub path: String,
    #[serde(default)]
    pub folder: bool,
}

/// A file to bring back from the trash.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restore {
    pub trashed: String,
}

/// Why a body could not be read (400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBody(pub String);

/// Parses a JSON body into `T`. JSON is read by serde_yaml (YAML holds JSON), which
/// keeps the order of a mapping's keys as the editor sent them. What YAML cannot read
/// of JSON — a mapping key of more than 1,024 characters, the longest implicit key YAML
/// allows (found by fuzzing, issue 37) — is read by serde_json, whose map entries reach
/// serde_yaml's mapping in the order they come too.
pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, BadBody> {
    let text = std::str::from_utf8(body).map_err(|_| BadBody("the body is not UTF-8".into()))?;
    if !text.trim_start().starts_with('{') {
        return Err(BadBody("the body is not a JSON object".into()));
    }
    serde_yaml::from_str(&yaml_safe(text))
        .or_else(|e| serde_json::from_str(text).map_err(|_| e))
        .map_err(|e| BadBody(e.to_string()))
}

/// Whether YAML refuses `c` in a text (`control characters are not allowed`: DEL, the C1
/// controls, a byte-order mark, U+FFFE, U+FFFF) or reads it as a line break (U+0085,
/// U+2028, U+2029), where JSON strings hold it as it is.
fn not_for_yaml(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(
            c,
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'
        )
}

/// A JSON text with the characters YAML would refuse or change written as JSON escapes
/// (`\u007f`), which YAML reads back as the same characters. JSON has them only inside
/// strings: a text pasted from Word or a web page brings them.
fn yaml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(not_for_yaml) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if not_for_yaml(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy_judge(f: &Facts) -> Result<Access, Refusal> {
        let hosts = vec!["127.0.0.1:1111".to_string(), "localhost:1111".to_string()];
        let p = Policy {
            hosts: &hosts,
            cookie_name: "zt_1111",
            is_session: &|s| s == "s1",
            token_of: &|s| format!("t-{s}"),
        };
        judge(f, &p)
    }

    fn write() -> Facts<'static> {
        Facts {
            method: "POST",
            host: Some("127.0.0.1:1111"),
            origin: Some("http://127.0.0.1:1111"),
            fetch_site: Some("same-origin"),
            cookie: Some("other=1; zt_1111=s1"),
            token: Some("t-s1"),
            loopback: true,
        }
    }

    #[test]
    fn a_write_needs_host_origin_session_and_token() {
        assert_eq!(policy_judge(&write()), Ok(Access::Session("s1".into())));
        let cases: Vec<(Facts, Refusal)> = vec![
            (
                Facts {
                    host: Some("evil.example:1111"),
                    ..write()
                },
                BAD_HOST,
            ),
            (
                Facts {
                    host: None,
                    ..write()
                },
                BAD_HOST,
            ),
            (
                Facts {
                    origin: Some("http://evil.example"),
                    ..write()
                },
                BAD_ORIGIN,
            ),
            (
                Facts {
                    origin: None,
                    ..write()
                },
                BAD_ORIGIN,
            ),
            (
                Facts {
                    origin: Some("null"),
                    ..write()
                },
                BAD_ORIGIN,
            ),
            (
                Facts {
                    fetch_site: Some("cross-site"),
                    ..write()
                },
                BAD_ORIGIN,
            ),
            (
                Facts {
                    cookie: None,
                    ..write()
                },
                NO_SESSION,
            ),
            (
                Facts {
                    cookie: Some("zt_1111=forged"),
                    ..write()
                },
                NO_SESSION,
            ),
            (
                Facts {
                    cookie: Some("zt_2222=s1"),
                    ..write()
                },
                NO_SESSION,
            ),
            (
                Facts {
                    token: None,
                    ..write()
                },
                BAD_TOKEN,
            ),
            (
                Facts {
                    token: Some("t-s2"),
                    ..write()
                },
                BAD_TOKEN,
            ),
        ];
        for (f, why) in cases {
            assert_eq!(policy_judge(&f), Err(why), "{f:?}");
        }
    }

    #[test]
    fn reads_need_the_host_and_a_session_or_this_machine() {
        let read = Facts {
            method: "GET",
            cookie: None,
            token: None,
            origin: None,
            ..write()
        };
        assert_eq!(policy_judge(&read), Ok(Access::Local));
        assert_eq!(
            policy_judge(&Facts {
                loopback: false,
                ..read.clone()
            }),
            Err(NO_SESSION)
        );
        assert_eq!(
            policy_judge(&Facts {
                loopback: false,
                cookie: Some("zt_1111=s1"),
                ..read.clone()
            }),
            Ok(Access::Session("s1".into()))
        );
        assert_eq!(
            policy_judge(&Facts {
                host: Some("rebound.example:1111"),
                ..read
            }),
            Err(BAD_HOST)
        );
    }

    #[test]
    fn bodies_keep_the_order_of_keys() {
        let s: Save = parse(
            br#"{"path":"brand.yaml","base":"ab","value":{"z":1,"a":{"y":[1,"x"],"b":null}}}"#,
        )
        .unwrap();
        let Some(Change::Yaml(Value::Mapping(m))) = s.change() else {
            panic!()
        };
        let keys: Vec<&str> = m.keys().map(|k| k.as_str().unwrap()).collect();
        assert_eq!(keys, ["z", "a"]);
        let s: Save = parse("{\"path\":\"content/a.md\",\"base\":null,\"front\":{\"title\":\"七一\"},\"body\":\"正文\\n\"}".as_bytes()).unwrap();
        assert!(matches!(s.change(), Some(Change::Page { .. })));
        assert!(parse::<Save>(b"{\"path\": \"a\", \"evil\": 1}").is_err());
        assert!(parse::<Save>(b"path: a").is_err(), "YAML that is not JSON");
        assert!(parse::<Save>(b"\xff").is_err());
        let both: Save = parse(br#"{"path":"a","value":{},"text":"x"}"#).unwrap();
        assert!(both.change().is_none());
    }
}
