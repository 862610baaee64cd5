//! The full-text search index: Chinese matched as substrings, English and numbers as
//! words and prefixes, loaded by the browser as script files (so it works from `file://`
//! and needs neither `fetch` nor WebAssembly).
//!
//! Text is cut into *units*: each Han (or kana) character is one unit, each run of ASCII
//! letters and digits is one unit; anything else only separates. Every unit gets one
//! *token* at its unit position: a Han character `X` followed by Han character `Y` gives
//! `XY`, one followed by anything else gives `X$`, a word gives itself, lower-cased. So a
//! phrase of Han characters is found exactly by its bigrams at consecutive positions, and
//! a single character by every token that starts with it. The client (`search.js`) cuts
//! the query the same way.
//!
//! Output under `/search/`:
//! - `index.js`: the number of documents, of shards, and each document's title length
//!   (a title hit ranks first);
//! - `sN.js`: the postings of every token whose first character's code is N modulo the
//!   shard count (one shard while the index is small, see [`SHARD_BYTES`]);
//! - `tK.js`: path, title, date, kind and text of documents K·CHUNK … for snippets.
//!
//! Documents are numbered newest first, so "then by date" is "then by number".

use crate::model::Site;
use crate::output::Content;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Postings above this many bytes are split into shards of about this size.
pub const SHARD_BYTES: usize = 64 * 1024;
/// Documents per text file.
pub const CHUNK: usize = 4;
/// Longest text kept per document (characters).
const MAX_TEXT: usize = 20_000;
/// Longest word kept as a token.
const MAX_WORD: usize = 32;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// One searchable document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    /// Section, pillar or page kind, shown beside the result.
    pub kind: String,
    /// Plain text searched after the title: tags, pillar, summary, body.
    pub text: String,
}

/// The same normalization as the client: full-width ASCII to half-width, ASCII lower-case.
pub fn normalize(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Calls `emit(token, unit position)` for every unit of `text`.
pub fn tokens(text: &str, mut emit: impl FnMut(&str, u32)) {
    let chars: Vec<char> = text.chars().map(normalize).collect();
    let mut pos = 0u32;
    let mut i = 0;
    let mut token = String::new();
    while i < chars.len() {
        let c = chars[i];
        token.clear();
        if is_han(c) {
            token.push(c);
            match chars.get(i + 1) {
                Some(&n) if is_han(n) => token.push(n),
                _ => token.push('$'),
            }
            i += 1;
        } else if c.is_ascii_alphanumeric() {
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                if token.len() < MAX_WORD {
                    token.push(chars[i]);
                }
                i += 1;
            }
        } else {
            i += 1;
            continue;
        }
        emit(&token, pos);
        pos += 1;
    }
}

/// Units in `text` (the title length the client compares positions with).
fn unit_count(text: &str) -> u32 {
    let mut n = 0;
    tokens(text, |_, _| n += 1);
    n
}

fn push_varint(out: &mut String, mut v: u32) {
    loop {
        let low = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[low | 32] as char);
    }
}

/// The documents of a site, newest pages first, then pillars and the brand.
pub fn documents(site: &Site) -> Vec<Doc> {
    let mut docs: Vec<Doc> = site
        .pages
        .par_iter()
        .map(|p| {
            let mut text = String::new();
            for t in &p.tags {
                text.push_str(t);
                text.push(' ');
            }
            if let Some(pillar) = p.pillar.and_then(|i| site.brand.as_ref()?.pillars.get(i)) {
                text.push_str(&pillar.name);
                text.push(' ');
            }
            text.push_str(&p.summary);
            text.push('\n');
            html_to_text(&p.content, &mut text);
            Doc {
                path: p.path.clone(),
                title: p.title.clone(),
                date: p.date.map(|d| d.display()),
                kind: p.section.map(|s| site.sections[s].title.clone()).unwrap_or_default(),
                text,
            }
        })
        .collect();
    if let Some(brand) = &site.brand {
        for p in &brand.pillars {
            let mut text = [p.motto.as_deref(), p.summary.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            text.push('\n');
            html_to_text(&p.body, &mut text);
            docs.push(Doc { path: p.path.clone(), title: p.name.clone(), date: None, kind: brand.name.clone(), text });
        }
        let mut text = [brand.slogan.as_deref(), brand.summary.as_deref(), brand.logo_meaning.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        text.push('\n');
        html_to_text(&brand.meaning, &mut text);
        html_to_text(&brand.story, &mut text);
        docs.push(Doc { path: "/brand/".into(), title: format!("「{}」", brand.name), date: None, kind: String::new(), text });
    }
    docs
}

/// Appends the text of `html` (tags dropped, entities decoded) to `out`.
pub fn html_to_text(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        decode_entities(&rest[..lt], out);
        let tag_end = rest[lt..].find('>').map(|i| lt + i + 1).unwrap_or(rest.len());
        let tag = &rest[lt..tag_end];
        // Block ends separate words.
        if tag.starts_with("</p") || tag.starts_with("</h") || tag.starts_with("</li") || tag.starts_with("<br") || tag.starts_with("</t") {
            out.push('\n');
        }
        rest = &rest[tag_end..];
    }
    decode_entities(rest, out);
}

fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let (ch, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&nbsp;", ' ')]
            .iter()
            .find(|(e, _)| tail.starts_with(e))
            .map(|(e, c)| (*c, e.len()))
            .unwrap_or(('&', 1));
        out.push(ch);
        rest = &tail[len..];
    }
    out.push_str(rest);
}

/// The files of `/search/`.
pub fn render(docs: &[Doc]) -> Vec<(String, Content)> {
    // Per document: token → positions (in parallel), then merged in document order.
    let per_doc: Vec<Vec<(String, Vec<u32>)>> = docs
        .par_iter()
        .map(|d| {
            let mut map: HashMap<String, Vec<u32>> = HashMap::new();
            let mut add = |t: &str, p: u32| match map.get_mut(t) {
                Some(v) => v.push(p),
                None => {
                    map.insert(t.to_string(), vec![p]);
                }
            };
            let title_len = unit_count(&d.title);
            tokens(&d.title, &mut add);
            tokens(&d.text, |t, p| add(t, p + title_len));
            let mut v: Vec<_> = map.into_iter().collect();
            v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            v
        })
        .collect();
    let mut postings: HashMap<String, String> = HashMap::new();
    let mut last_doc: HashMap<String, u32> = HashMap::new();
    for (id, tokens) in per_doc.into_iter().enumerate() {
        let id = id as u32;
        for (token, positions) in tokens {
            let prev = last_doc.insert(token.clone(), id + 1).unwrap_or(0);
            let buf = postings.entry(token).or_default();
            push_varint(buf, id + 1 - prev - 1);
            push_varint(buf, positions.len() as u32);
            let mut last = 0;
            for p in positions {
                push_varint(buf, p - last);
                last = p;
            }
        }
    }
    let total: usize = postings.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
    let shards = total.div_ceil(SHARD_BYTES).clamp(1, 512);
    let mut by_shard: Vec<Vec<(&String, &String)>> = vec![Vec::new(); shards];
    for (k, v) in &postings {
        let first = k.chars().next().map(|c| c as usize).unwrap_or(0);
        by_shard[first % shards].push((k, v));
    }
    let mut files = Vec::with_capacity(shards + docs.len() / CHUNK + 2);
    for (n, mut entries) in by_shard.into_iter().enumerate() {
        entries.sort_unstable();
        let mut js = format!("ZT.s({n},{{");
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                js.push(',');
            }
            let _ = write!(js, "{}:\"{v}\"", serde_json::to_string(k).expect("a string serializes"));
        }
        js.push_str("});\n");
        files.push((format!("search/s{n}.js"), Content::Bytes(js.into_bytes())));
    }
    let title_lengths: String = docs.iter().map(|d| ALPHABET[unit_count(&d.title).min(63) as usize] as char).collect();
    files.push((
        "search/index.js".to_string(),
        Content::Bytes(format!("ZT.i({{n:{},s:{shards},c:{CHUNK},t:\"{title_lengths}\"}});\n", docs.len()).into_bytes()),
    ));
    let chunks: Vec<(String, Content)> = docs
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(k, chunk)| {
            let rows: Vec<serde_json::Value> = chunk
                .iter()
                .map(|d| {
                    // Snippets show text on one line; positions are unaffected (white space only separates).
                    let text: String = d.text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(MAX_TEXT).collect();
                    serde_json::json!([d.path, d.title, d.date, d.kind, text])
                })
                .collect();
            let js = format!("ZT.t({k},{});\n", serde_json::to_string(&rows).expect("json"));
            (format!("search/t{k}.js"), Content::Bytes(js.into_bytes()))
        })
        .collect();
    files.extend(chunks);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(String, u32)> {
        let mut v = Vec::new();
        tokens(text, |t, p| v.push((t.to_string(), p)));
        v
    }

    #[test]
    fn han_bigrams_words_and_breaks() {
        let t = |s: &str, p| (s.to_string(), p);
        assert_eq!(all("寻找无双"), vec![t("寻找", 0), t("找无", 1), t("无双", 2), t("双$", 3)]);
        assert_eq!(all("学习。交流"), vec![t("学习", 0), t("习$", 1), t("交流", 2), t("流$", 3)]);
        assert_eq!(all("2024年七一 Party"), vec![t("2024", 0), t("年七", 1), t("七一", 2), t("一$", 3), t("party", 4)]);
    }

    #[test]
    fn full_width_and_case_are_folded_traditional_kept() {
        assert_eq!(all("ＡＢＣ１２"), vec![("abc12".to_string(), 0)]);
        assert_eq!(all("黨建")[0].0, "黨建");
    }

    #[test]
    fn html_becomes_text() {
        let mut s = String::new();
        html_to_text("<h2 id=\"a\">学习</h2><p>甲 &amp; 乙<br>丙</p>", &mut s);
        assert_eq!(s, "学习\n甲 & 乙\n丙\n");
    }

    #[test]
    fn varints_round_trip_in_the_alphabet() {
        let mut s = String::new();
        push_varint(&mut s, 0);
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        push_varint(&mut s, 100_000);
        assert_eq!(&s[..4], "AfgB");
        assert!(s.bytes().all(|b| ALPHABET.contains(&b)));
    }
}
