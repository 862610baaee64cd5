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
//! Output under `/search/`, each file a script calling `ZT.x(…)`:
//! - `index.js`: the number of documents, the shard counts, and each document's title
//!   length in units (a match inside the title ranks first);
//! - `bN.js`: Han bigram tokens with, per document, the positions; shard
//!   `(code(X)·31 + code(Y)) mod count` for `XY` (`$` counts 0). A token whose postings
//!   pass [`BIG`] bytes is split (see `Split`): the shard holds its documents, its
//!   positions inside titles and its postings for the newest documents; `pN.js` holds the
//!   rest, loaded only when a query needs more than the first results or its total
//!   cannot be counted from the documents alone;
//! - `cN.js`: per Han character the documents that contain it and whether in the title,
//!   for one-character queries; shard `code mod count`;
//! - `wN.js`: words with positions, shard `code of the first letter mod count`, so a
//!   prefix finds every word it starts; split as bigrams are;
//! - `tK.js`: path, title, date, kind and text of documents K·CHUNK … for snippets.
//!
//! Each family is one shard while small, and split in shards of about [`SHARD_BYTES`]
//! after, so a visitor downloads only the shards a query names. Postings are varints in
//! a base-64 alphabet, 5 bits a character, the sixth marking "more follows".
//!
//! Documents are numbered newest first, so "then by date" is "then by number".

use crate::artifact::Content;
use crate::model::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Postings above this many bytes are split into shards of about this size.
pub const SHARD_BYTES: usize = 8 * 1024;
/// A token whose postings are longer than this many bytes is split (`Split`).
pub const BIG: usize = 4 * 1024;
/// About how many bytes of a split token's postings stay in its shard: those of its
/// newest documents, enough for the first page of results of most queries.
const FIRST: usize = 1024;
/// Shards of Han characters are asked for only by one-character queries: fewer, larger.
const CHAR_SHARD_BYTES: usize = 32 * 1024;
/// Documents per text file.
pub const CHUNK: usize = 4;
/// Documents indexed per batch (a multiple of [`CHUNK`]): bounds the build's memory.
const BATCH: usize = 512;
/// Longest text kept per document for snippets (characters).
const MAX_TEXT: usize = 20_000;
/// Longest word kept as a token.
const MAX_WORD: usize = 32;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// Each character's value in [`ALPHABET`].
const DIGIT: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// One searchable document; its text is made when it is indexed.
#[derive(Debug, Clone)]
pub struct Doc {
    pub path: String,
    pub title: String,
    pub date: Option<String>,
    /// Section or brand name, shown beside the result (in a portal's search, the
    /// branch's name first).
    pub kind: String,
    /// Which of the indexed sites it is of (a portal indexes every branch).
    pub site: usize,
    source: Source,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    Page(usize),
    Pillar(usize),
    Brand,
    Album(usize),
    Board(usize),
}

/// One unit's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A Han character and the next one (`$` when the next is not Han).
    Han(char, char),
    /// A run of ASCII letters and digits, lower-cased.
    Word(&'a str),
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
pub fn tokens(text: &str, mut emit: impl FnMut(Token, u32)) {
    let mut chars = text.chars().map(normalize).peekable();
    let mut pos = 0u32;
    let mut word = String::new();
    while let Some(c) = chars.next() {
        if is_han(c) {
            let next = match chars.peek() {
                Some(&n) if is_han(n) => n,
                _ => '$',
            };
            emit(Token::Han(c, next), pos);
        } else if c.is_ascii_alphanumeric() {
            word.clear();
            word.push(c);
            while let Some(&n) = chars.peek() {
                if !n.is_ascii_alphanumeric() {
                    break;
                }
                if word.len() < MAX_WORD {
                    word.push(n);
                }
                chars.next();
            }
            emit(Token::Word(&word), pos);
        } else {
            continue;
        }
        pos += 1;
    }
}

/// Units in `text`: the title length the client compares positions with.
fn unit_count(text: &str) -> u32 {
    let mut n = 0;
    tokens(text, |_, _| n += 1);
    n
}

/// The album page `p` shows under its text when it bears the page's title: one result
/// for both (the page, which shows the album), not two of the same title.
fn merged_album<'a>(site: &'a Site, p: &crate::model::Page) -> Option<&'a crate::model::Album> {
    let name = p.album.as_deref()?;
    site.albums
        .iter()
        .find(|a| a.name == name && a.title.trim() == p.title.trim())
}

/// The documents of a site: pages newest first, then the albums, the boards, the
/// pillars and the brand. Each says what kind of page it is (its section, 页面, 活动相册,
/// 展板, 品牌载体, 党建品牌), so two results of the same title are told apart.
pub fn documents(site: &Site) -> Vec<Doc> {
    let lang = site.config.language;
    let mut docs: Vec<Doc> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| Doc {
            path: p.path.to_string(),
            title: p.title.clone(),
            date: p.date.map(|d| d.display()),
            kind: p.section.map_or_else(
                || super::ui::word(lang, "search_page").to_string(),
                |s| site.sections[s].title.clone(),
            ),
            site: 0,
            source: Source::Page(i),
        })
        .collect();
    let merged: std::collections::HashSet<&str> = site
        .pages
        .iter()
        .filter_map(|p| merged_album(site, p))
        .map(|a| a.name.as_str())
        .collect();
    let mut albums: Vec<usize> = (0..site.albums.len())
        .filter(|&i| !merged.contains(site.albums[i].name.as_str()))
        .collect();
    albums.sort_by(|&a, &b| site.albums[b].date.cmp(&site.albums[a].date));
    for i in albums {
        let a = &site.albums[i];
        docs.push(Doc {
            path: crate::urls::routes::album(&a.slug),
            title: a.title.clone(),
            date: a.date.map(|d| d.display()),
            kind: if site.config.language == crate::config::Language::ZhCn {
                "活动相册".into()
            } else {
                "Photos".into()
            },
            site: 0,
            source: Source::Album(i),
        });
    }
    for (i, b) in site.boards.iter().enumerate() {
        docs.push(Doc {
            path: b.path.clone(),
            title: b.title.clone(),
            date: None,
            kind: if site.config.language == crate::config::Language::ZhCn {
                "展板".into()
            } else {
                "Boards".into()
            },
            site: 0,
            source: Source::Board(i),
        });
    }
    if let Some(brand) = &site.brand {
        for (i, p) in brand.pillars.iter().enumerate() {
            docs.push(Doc {
                path: p.path.to_string(),
                title: p.name.clone(),
                date: None,
                kind: format!("「{}」{}", brand.name, super::ui::word(lang, "pillars")),
                site: 0,
                source: Source::Pillar(i),
            });
        }
        docs.push(Doc {
            path: crate::urls::routes::BRAND.into(),
            title: format!("「{}」", brand.name),
            date: None,
            kind: super::ui::word(lang, "party_brand").to_string(),
            site: 0,
            source: Source::Brand,
        });
    }
    docs
}

/// The searchable text of a document after its title: tags, pillar, summary, body.
fn doc_text(sites: &[std::sync::Arc<Site>], d: &Doc) -> String {
    let site = &*sites[d.site];
    let mut text = String::new();
    let line = |parts: &[Option<&str>], text: &mut String| {
        for p in parts.iter().flatten() {
            text.push_str(p);
            text.push('\n');
        }
    };
    match d.source {
        Source::Page(i) => {
            let p = &site.pages[i];
            let pillar = p
                .pillar
                .and_then(|i| site.brand.as_ref()?.pillars.get(i))
                .map(|pl| pl.name.as_str());
            let tags = p.tags.join(" ");
            line(&[Some(&tags), pillar, Some(&p.summary)], &mut text);
            crate::markdown::html_to_text(&p.content, &mut text);
            // What its 微视频 says, from the captions.
            if let Some(v) = site.media.page_videos.get(&*p.source) {
                text.push_str(&v.captions_text);
            }
            // The album of the same title it shows, which has no result of its own.
            if let Some(a) = merged_album(site, p) {
                album_text(a, &mut text);
            }
        }
        Source::Pillar(i) => {
            let Some(p) = site.brand.as_ref().and_then(|b| b.pillars.get(i)) else {
                return text;
            };
            line(&[p.motto.as_deref(), p.summary.as_deref()], &mut text);
            crate::markdown::html_to_text(&p.body, &mut text);
        }
        Source::Album(i) => album_text(&site.albums[i], &mut text),
        Source::Board(i) => {
            let b = &site.boards[i];
            line(&[b.subtitle.as_deref()], &mut text);
            for bl in &b.blocks {
                text.push_str(&bl.text);
                text.push('\n');
            }
        }
        Source::Brand => {
            let Some(b) = &site.brand else { return text };
            line(
                &[
                    b.slogan.as_deref(),
                    b.summary.as_deref(),
                    b.logo_meaning.as_deref(),
                ],
                &mut text,
            );
            for p in &b.pillars {
                line(&[Some(&p.name), p.motto.as_deref()], &mut text);
            }
            crate::markdown::html_to_text(&b.meaning, &mut text);
            crate::markdown::html_to_text(&b.story, &mut text);
        }
    }
    text
}

/// What an album says besides its title: place, description, captions.
fn album_text(a: &crate::model::Album, text: &mut String) {
    for p in [a.location.as_deref(), a.description.as_deref()]
        .into_iter()
        .chain(
            a.photos
                .iter()
                .chain(&a.videos)
                .map(|p| p.caption.as_deref()),
        )
        .flatten()
    {
        text.push_str(p);
        text.push('\n');
    }
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let low = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(ALPHABET[low]);
            return;
        }
        out.push(ALPHABET[low | 32]);
    }
}

/// A token as one number: a Han bigram packs both characters (`$` as 0) under the top
/// bit; a word is its hash, top bit clear.
fn key_of(t: Token) -> u64 {
    match t {
        Token::Han(a, b) => (1 << 63) | ((a as u64) << 21) | if b == '$' { 0 } else { b as u64 },
        Token::Word(w) => word_hash(w),
    }
}

fn han_of(key: u64) -> Option<(char, char)> {
    if key >> 63 == 0 {
        return None;
    }
    let a = char::from_u32(((key >> 21) & 0x1F_FFFF) as u32)?;
    let b = match (key & 0x1F_FFFF) as u32 {
        0 => '$',
        c => char::from_u32(c)?,
    };
    Some((a, b))
}

/// A stable hash of a word (FNV-1a), top bit clear so it never equals a Han key.
fn word_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in w.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h >> 1
}

/// A posting list being built: encoded text and the last document appended; for a
/// token, the same of the positions inside titles only, and where [`FIRST`] was passed.
#[derive(Default)]
struct Postings {
    text: Vec<u8>,
    last: Option<u32>,
    title: Vec<u8>,
    title_last: Option<u32>,
    /// The length of `text` and the last document when `text` first reached [`FIRST`].
    first: Option<(usize, u32)>,
}

impl Postings {
    /// Appends document `doc`: the gap since the last one, `head`, then `rest` (encoded).
    fn push_doc(&mut self, doc: u32, head: u32, rest: &[u8]) {
        let gap = doc - self.last.map_or(0, |l| l + 1);
        self.last = Some(doc);
        push_varint(&mut self.text, gap);
        push_varint(&mut self.text, head);
        self.text.extend_from_slice(rest);
        if self.first.is_none() && self.text.len() >= FIRST {
            self.first = Some((self.text.len(), doc));
        }
    }

    /// Appends document `doc`'s `count` positions inside its title (encoded).
    fn push_title(&mut self, doc: u32, count: u32, positions: &[u8]) {
        let gap = doc - self.title_last.map_or(0, |l| l + 1);
        self.title_last = Some(doc);
        push_varint(&mut self.title, gap);
        push_varint(&mut self.title, count);
        self.title.extend_from_slice(positions);
    }
}

/// A long token's postings in three parts, so the first page of results needs only a
/// little of them. In its shard, as the array `["DOCS","TITLE","FIRST",L,N]`:
/// - DOCS: every document it is in, as gaps, or as a bitmap after `~` (six documents a
///   character, the lowest bit first) when that is shorter: what a one-token query and
///   the count of results need;
/// - TITLE: its postings restricted to the positions inside titles, for the title hits
///   that rank first;
/// - FIRST: its postings up to and including document L (the newest, about [`FIRST`]
///   bytes);
/// - and `pN.js`, `ZT.p(N,"REST")`: the postings after document L, the first gap
///   counted from L.
struct Split {
    /// The array up to `L,`: the file number and `]` follow when it is known.
    head: Vec<u8>,
    rest: Vec<u8>,
}

/// A token's value in its shard.
enum Value {
    /// The postings, as a JSON string.
    Whole(Vec<u8>),
    Split(Split),
}

impl Value {
    fn len(&self) -> usize {
        match self {
            Value::Whole(v) => v.len(),
            Value::Split(s) => s.head.len() + 6,
        }
    }
}

/// Reads postings back: each document with its head and its positions.
fn decode(text: &[u8], mut each: impl FnMut(u32, u32)) {
    let mut i = 0;
    let mut next = || {
        let (mut v, mut shift) = (0u32, 0);
        while let Some(&c) = text.get(i) {
            i += 1;
            let x = DIGIT[c as usize] as u32;
            v |= (x & 31) << shift;
            shift += 5;
            if x & 32 == 0 {
                return Some(v);
            }
        }
        None
    };
    let mut doc: i64 = -1;
    while let Some(gap) = next() {
        doc += gap as i64 + 1;
        let Some(head) = next() else { return };
        each(doc as u32, head);
        for _ in 0..head {
            next();
        }
    }
}

/// The documents of `text` (postings with positions), encoded the shorter way.
fn doc_list(text: &[u8]) -> Vec<u8> {
    let mut docs = Vec::new();
    decode(text, |d, _| docs.push(d));
    let mut gaps = Vec::new();
    let mut last = None;
    for &d in &docs {
        push_varint(&mut gaps, d - last.map_or(0, |l: u32| l + 1));
        last = Some(d);
    }
    let max = docs.last().map_or(0, |&d| d as usize);
    if max / 6 + 2 >= gaps.len() {
        return gaps;
    }
    let mut bits = vec![0u8; max / 6 + 1];
    for d in docs {
        bits[d as usize / 6] |= 1 << (d % 6);
    }
    let mut out = vec![b'~'];
    out.extend(bits.iter().map(|&b| ALPHABET[b as usize]));
    out
}

impl Postings {
    /// The value of this token in its shard: the postings as a string, or a [`Split`]
    /// when they are long and `split`.
    fn finish(self, split: bool) -> Value {
        match self.first {
            Some((at, last)) if split && self.text.len() > BIG && at < self.text.len() => {
                let mut head = b"[\"".to_vec();
                head.extend(doc_list(&self.text));
                head.extend_from_slice(b"\",\"");
                head.extend_from_slice(&self.title);
                head.extend_from_slice(b"\",\"");
                head.extend_from_slice(&self.text[..at]);
                head.extend_from_slice(format!("\",{last},").as_bytes());
                Value::Split(Split {
                    head,
                    rest: self.text[at..].to_vec(),
                })
            }
            _ => {
                let mut json = Vec::with_capacity(self.text.len() + 2);
                json.push(b'"');
                json.extend_from_slice(&self.text);
                json.push(b'"');
                Value::Whole(json)
            }
        }
    }
}

/// What one document contributes: per token its count and encoded positions; per Han
/// character whether it is in the title; the words it uses.
struct DocTokens {
    /// Key, count, and the range of `positions` holding its encoded positions; how many
    /// of them are inside the title, and where their encoding ends.
    tokens: Vec<(u64, u32, std::ops::Range<usize>, u32, usize)>,
    positions: Vec<u8>,
    chars: Vec<(char, bool)>,
    words: Vec<(u64, String)>,
}

fn doc_tokens(title: &str, text: &str) -> DocTokens {
    let title_len = unit_count(title);
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(text.len() / 3 + 16);
    let mut words: Vec<(u64, String)> = Vec::new();
    let mut add = |t: Token, p: u32| {
        let key = key_of(t);
        if let Token::Word(w) = t {
            if !words.iter().any(|(k, _)| *k == key) {
                words.push((key, w.to_string()));
            }
        }
        entries.push((key, p));
    };
    tokens(title, &mut add);
    tokens(text, |t, p| add(t, p + title_len));
    entries.sort_unstable();
    let mut tokens = Vec::new();
    let mut positions = Vec::with_capacity(entries.len() * 2);
    let mut chars: Vec<(char, bool)> = Vec::new();
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        let key = run[0].0;
        let start = positions.len();
        let mut last = 0;
        let (mut title_count, mut title_end) = (0, start);
        for &(_, p) in run {
            push_varint(&mut positions, p - last);
            last = p;
            if p < title_len {
                title_count += 1;
                title_end = positions.len();
            }
        }
        if let Some((a, _)) = han_of(key) {
            let in_title = run[0].1 < title_len;
            match chars.last_mut() {
                Some((c, t)) if *c == a => *t |= in_title,
                _ => chars.push((a, in_title)),
            }
        }
        tokens.push((
            key,
            run.len() as u32,
            start..positions.len(),
            title_count,
            title_end,
        ));
    }
    DocTokens {
        tokens,
        positions,
        chars,
        words,
    }
}

/// The shard of a bigram, as the client computes it.
fn bigram_shard(k: &str) -> usize {
    let mut cs = k.chars();
    let a = cs.next().map_or(0, |c| c as usize);
    let b = cs
        .next()
        .map_or(0, |c| if c == '$' { 0 } else { c as usize });
    a * 31 + b
}

fn first_char(k: &str) -> usize {
    k.chars().next().map_or(0, |c| c as usize)
}

/// `search/PREFIX{n}.js` files, each `ZT.PREFIX(n,{key:value,…});`; with `split`,
/// long postings split ([`Split`]), their rest in `search/p{N}.js` numbered from `parts`.
fn shards(
    prefix: &str,
    entries: Family,
    shard_of: fn(&str) -> usize,
    shard_bytes: usize,
    split: bool,
    parts: &mut usize,
    files: &mut Vec<(String, Content)>,
) -> usize {
    let entries: Vec<(String, Value)> = entries
        .into_par_iter()
        .map(|(k, p)| (k, p.finish(split)))
        .collect();
    let total: usize = entries.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
    let count = total.div_ceil(shard_bytes).clamp(1, 4096);
    let mut by_shard: Vec<Vec<(String, Value)>> = (0..count).map(|_| Vec::new()).collect();
    for (k, v) in entries {
        by_shard[shard_of(&k) % count].push((k, v));
    }
    for (n, mut entries) in by_shard.into_iter().enumerate() {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut js = Vec::with_capacity(
            entries
                .iter()
                .map(|(k, v)| k.len() + v.len() + 8)
                .sum::<usize>()
                + 16,
        );
        js.extend_from_slice(format!("ZT.{prefix}({n},{{").as_bytes());
        for (i, (k, v)) in entries.into_iter().enumerate() {
            if i > 0 {
                js.push(b',');
            }
            js.extend_from_slice(
                serde_json::to_string(&k)
                    .expect("a string serializes")
                    .as_bytes(),
            );
            js.push(b':');
            match v {
                Value::Whole(v) => js.extend_from_slice(&v),
                Value::Split(Split { head, rest }) => {
                    let part = *parts;
                    *parts += 1;
                    js.extend_from_slice(&head);
                    js.extend_from_slice(format!("{part}]").as_bytes());
                    let mut p = format!("ZT.p({part},\"").into_bytes();
                    p.extend_from_slice(&rest);
                    p.extend_from_slice(b"\");\n");
                    files.push((format!("search/p{part}.js"), Content::Bytes(p)));
                }
            }
        }
        js.extend_from_slice(b"});\n");
        files.push((format!("search/{prefix}{n}.js"), Content::Bytes(js)));
    }
    count
}

/// The files of `/search/` over `docs`, which are of `sites` (one site, or a portal's
/// branches).
pub fn render(sites: &[std::sync::Arc<Site>], docs: Vec<Doc>) -> Vec<(String, Content)> {
    let docs = std::sync::Arc::new(docs);
    let sites: std::sync::Arc<[std::sync::Arc<Site>]> = sites.into();
    let (han, chars, words) = postings(&sites, &docs);
    let mut files = Vec::new();
    text_files(&sites, &docs, &mut files);
    let mut parts = 0;
    let mut family = |prefix, entries, shard_of, bytes, split| {
        shards(
            prefix, entries, shard_of, bytes, split, &mut parts, &mut files,
        )
    };
    let nb = family("b", han, bigram_shard, SHARD_BYTES, true);
    let nc = family("c", chars, first_char, CHAR_SHARD_BYTES, false);
    let nw = family("w", words, first_char, SHARD_BYTES, true);
    let title_lengths: String = docs
        .iter()
        .map(|d| ALPHABET[unit_count(&d.title).min(63) as usize] as char)
        .collect();
    files.push((
        "search/index.js".to_string(),
        Content::Bytes(
            format!(
                "ZT.i({{n:{},b:{nb},c:{nc},w:{nw},k:{CHUNK},t:\"{title_lengths}\"}});\n",
                docs.len()
            )
            .into_bytes(),
        ),
    ));
    files
}

/// A family of postings: each key with its postings.
type Family = Vec<(String, Postings)>;

/// The postings of every token, by family: Han bigrams, Han characters, words. Documents
/// are tokenized in parallel, a batch at a time, so memory stays bounded.
fn postings(sites: &[std::sync::Arc<Site>], docs: &[Doc]) -> (Family, Family, Family) {
    let mut bigrams: FxHashMap<u64, Postings> = FxHashMap::default();
    let mut chars: FxHashMap<char, Postings> = FxHashMap::default();
    let mut word_names: FxHashMap<u64, String> = FxHashMap::default();
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        let done: Vec<DocTokens> = batch
            .par_iter()
            .map(|d| doc_tokens(&d.title, &doc_text(sites, d)))
            .collect();
        for (doc, dt) in ((b * BATCH) as u32..).zip(done) {
            for (key, count, range, in_title, title_end) in dt.tokens {
                let p = bigrams.entry(key).or_default();
                if in_title > 0 {
                    p.push_title(doc, in_title, &dt.positions[range.start..title_end]);
                }
                p.push_doc(doc, count, &dt.positions[range]);
            }
            for (c, in_title) in dt.chars {
                chars
                    .entry(c)
                    .or_default()
                    .push_doc(doc, in_title as u32, &[]);
            }
            for (h, w) in dt.words {
                word_names.entry(h).or_insert(w);
            }
        }
    }
    let mut han = Vec::new();
    let mut words = Vec::new();
    for (key, p) in bigrams {
        match han_of(key) {
            Some((a, b)) => han.push((format!("{a}{b}"), p)),
            None => {
                if let Some(w) = word_names.remove(&key) {
                    words.push((w, p));
                }
            }
        }
    }
    let chars = chars.into_iter().map(|(c, p)| (c.to_string(), p)).collect();
    (han, chars, words)
}

/// Text for snippets: made again while writing, four documents a file, so the whole
/// text of a large site never sits in memory.
fn text_files(
    sites: &std::sync::Arc<[std::sync::Arc<Site>]>,
    docs: &std::sync::Arc<Vec<Doc>>,
    files: &mut Vec<(String, Content)>,
) {
    for k in 0..docs.len().div_ceil(CHUNK) {
        let docs = docs.clone();
        let sites = sites.clone();
        let make = move || {
            let chunk = &docs[k * CHUNK..((k + 1) * CHUNK).min(docs.len())];
            let rows: Vec<serde_json::Value> = chunk
                .iter()
                .map(|d| {
                    // One line; positions are unaffected (white space only separates).
                    let text = doc_text(&sites, d);
                    let flat: String = text
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .chars()
                        .take(MAX_TEXT)
                        .collect();
                    serde_json::json!([d.path, d.title, d.date, d.kind, flat])
                })
                .collect();
            Ok(Content::Bytes(
                format!(
                    "ZT.t({k},{});\n",
                    serde_json::to_string(&rows).expect("json")
                )
                .into_bytes(),
            ))
        };
        files.push((format!("search/t{k}.js"), Content::Deferred(Box::new(make))));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(String, u32)> {
        let mut v = Vec::new();
        tokens(text, |t, p| {
            let s = match t {
                Token::Han(a, b) => format!("{a}{b}"),
                Token::Word(w) => w.to_string(),
            };
            v.push((s, p))
        });
        v
    }

    #[test]
    fn han_bigrams_words_and_breaks() {
        let t = |s: &str, p| (s.to_string(), p);
        assert_eq!(
            all("寻找无双"),
            vec![t("寻找", 0), t("找无", 1), t("无双", 2), t("双$", 3)]
        );
        assert_eq!(
            all("学习。交流"),
            vec![t("学习", 0), t("习$", 1), t("交流", 2), t("流$", 3)]
        );
        assert_eq!(
            all("2024年七一 Party"),
            vec![
                t("2024", 0),
                t("年七", 1),
                t("七一", 2),
                t("一$", 3),
                t("party", 4)
            ]
        );
    }

    #[test]
    fn full_width_and_case_are_folded_traditional_kept() {
        assert_eq!(all("ＡＢＣ１２"), vec![("abc12".to_string(), 0)]);
        assert_eq!(all("黨建")[0].0, "黨建");
    }

    #[test]
    fn html_becomes_text() {
        let mut s = String::new();
        crate::markdown::html_to_text("<h2 id=\"a\">学习</h2><p>甲 &amp; 乙<br>丙</p>", &mut s);
        assert_eq!(s, "学习\n甲 & 乙\n丙\n");
    }

    /// Postings of `docs`, each with positions 0, 3, 6, … (`n` of them, `t` in the title).
    fn postings_of(docs: &[u32], n: u32, t: u32) -> Postings {
        let mut p = Postings::default();
        for &d in docs {
            let mut pos = Vec::new();
            let mut title_end = 0;
            for k in 0..n {
                push_varint(&mut pos, if k == 0 { 0 } else { 3 });
                if k < t {
                    title_end = pos.len();
                }
            }
            if t > 0 {
                p.push_title(d, t, &pos[..title_end]);
            }
            p.push_doc(d, n, &pos);
        }
        p
    }

    fn decoded(text: &[u8]) -> Vec<u32> {
        let mut v = Vec::new();
        decode(text, |d, _| v.push(d));
        v
    }

    #[test]
    fn long_postings_split_into_parts_that_add_up() {
        // Every tenth document of 20,000, twenty positions each: long, the list as gaps.
        let docs: Vec<u32> = (0..20_000).step_by(10).collect();
        let whole = postings_of(&docs, 20, 2).text.clone();
        let Value::Split(Split { head, rest }) = postings_of(&docs, 20, 2).finish(true) else {
            panic!("long postings are split")
        };
        let head = String::from_utf8(head).unwrap();
        let parts: Vec<&str> = head[2..].split("\",\"").collect();
        let (list, tail) = (parts[0], parts[2]);
        let (first, last) = tail.split_once("\",").unwrap();
        let last: u32 = last.trim_end_matches(',').parse().unwrap();
        let mut back = Vec::new();
        for g in list.bytes().map(|c| DIGIT[c as usize] as u32) {
            // Gaps under 32 are one character each here.
            back.push(back.last().map_or(g, |l| l + 1 + g));
        }
        assert_eq!(back, docs, "the list as gaps");
        assert!(first.len() <= FIRST + 64 && first.len() >= FIRST);
        assert_eq!(*decoded(first.as_bytes()).last().unwrap(), last);
        // The rest, its first gap counted from `last`: the first part and it are the whole.
        let mut joined = first.as_bytes().to_vec();
        let mut after = Vec::new();
        decode(&rest, |d, _| after.push(d + last + 1));
        assert_eq!(
            after[0],
            last + 10,
            "the next document after the first part"
        );
        joined.extend_from_slice(&rest);
        assert_eq!(joined, whole);
        // Titles: each document, its two title positions.
        let mut titles = Vec::new();
        decode(parts[1].as_bytes(), |d, n| titles.push((d, n)));
        assert_eq!(titles.len(), docs.len());
        assert!(titles.iter().all(|&(_, n)| n == 2));

        // Nearly every document: the list as a bitmap, six documents a character.
        let docs: Vec<u32> = (0..600).filter(|d| d % 7 != 3).collect();
        let list = doc_list(&postings_of(&docs, 3, 0).text);
        assert_eq!(list[0], b'~');
        assert_eq!(list.len(), 1 + 600 / 6);
        let back: Vec<u32> = (0..600)
            .filter(|&d| DIGIT[list[1 + d as usize / 6] as usize] >> (d % 6) & 1 == 1)
            .collect();
        assert_eq!(back, docs);

        // Short postings stay whole.
        assert!(matches!(
            postings_of(&[1, 5], 3, 0).finish(true),
            Value::Whole(v) if v.starts_with(b"\"")
        ));
    }

    #[test]
    fn varints_round_trip_in_the_alphabet() {
        let mut s = Vec::new();
        push_varint(&mut s, 0);
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        push_varint(&mut s, 100_000);
        assert_eq!(&s[..4], b"AfgB");
        assert!(s.iter().all(|b| ALPHABET.contains(b)));
    }
}
