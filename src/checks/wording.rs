//! The wording check: where a text is a typo of a canonical name or formulation
//! (`site-template/checks/terms.txt` and the site's `checks.yaml`).
//!
//! The slips it looks for are those of a pinyin input method and of a hurried hand,
//! after pycorrector's confusion sets: a character replaced by one that sounds the same
//! or nearly so (tones ignored; n/l, an/ang, en/eng, in/ing, z/zh, c/ch, s/sh) or that
//! looks alike (`shapes.txt`, pycorrector's same_stroke data), two neighbours swapped, a
//! character missing or extra. A missing or extra character counts inside a proper name
//! (`[names]`); inside a formulation only when what is written is not itself ordinary
//! wording, judged with jieba's word list (`words.txt`): 党的基层组织 is the Party
//! Constitution's own term, not a typo of 基层党组织. Spaces between Chinese characters
//! (text pasted from a PDF) are ignored when matching.
//!
//! Matching is one pass of an Aho–Corasick automaton over every entry, its two halves
//! and its middle swap: a text one edit away from an entry keeps at least one of those
//! intact, and each hit is then compared with its entry.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use pinyin::ToPinyinMulti;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// Entries this long (in characters) or longer are checked for near misses.
pub const FUZZY_FROM: usize = 4;

/// Characters of context on each side that the word list reads around a candidate.
const CONTEXT: usize = 4;

/// A single character that is a word this often in jieba's dictionary stands alone in
/// ordinary prose (的, 和, 是, 在, 之, 与, 时 …): written in or left out of a
/// formulation, it makes other wording, not a typo.
const FREE_WORD: u32 = 30_000;

/// One canonical entry.
#[derive(Debug)]
struct Entry {
    text: String,
    chars: Vec<char>,
    /// A proper name: every edit inside it counts.
    name: bool,
}

/// How a text differs from the entry it was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The character at this index of the entry was replaced by the one written.
    Replaced { at: usize, by: char, why: Likeness },
    /// The characters at this index and the next were written the other way round.
    Swapped { at: usize },
    /// The character at this index of the entry is missing.
    Missing { at: usize },
    /// An extra character, written before the entry's character at this index.
    Extra { at: usize, extra: char },
}

/// Why a replacing character is a likely slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// Same syllable, tones ignored.
    Sound,
    /// Syllables apart only by n/l, front and back nasals or flat and retroflex initials.
    NearSound,
    /// The two look alike.
    Shape,
}

/// A near miss: byte range in the text, what the entry is and how it was missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub start: usize,
    pub end: usize,
    pub entry: String,
    pub name: bool,
    pub edit: Edit,
}

/// What one automaton pattern stands for.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// An entry itself, or an allowed text: never a finding where it occurs.
    Exact,
    /// The first half of entry `e`.
    Head(usize),
    /// The second half of entry `e`.
    Tail(usize),
    /// Entry `e` with the two characters at its middle swapped.
    Swap(usize),
}

/// The entries and their automaton.
pub struct Matcher {
    /// Entries checked for near misses.
    fuzzy: Vec<Entry>,
    /// Every entry and allowed text, exactly.
    exact: FxHashSet<String>,
    automaton: Option<AhoCorasick>,
    /// What each pattern of the automaton is: one text can be several pieces (entries
    /// share halves), and is searched for once.
    pieces: Vec<Vec<Piece>>,
}

impl Matcher {
    /// The matcher over `names` (exact proper names) and `terms` (formulations); the
    /// texts of `allow` are never findings.
    pub fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        terms: impl IntoIterator<Item = &'a str>,
        allow: impl IntoIterator<Item = &'a str>,
    ) -> Matcher {
        let mut exact = FxHashSet::default();
        let mut fuzzy = Vec::new();
        let listed = names
            .into_iter()
            .map(|n| (n, true))
            .chain(terms.into_iter().map(|t| (t, false)));
        for (text, name) in listed {
            let text = fold(text.trim()).0;
            if text.is_empty() || !exact.insert(text.clone()) {
                continue;
            }
            let chars: Vec<char> = text.chars().collect();
            if chars.len() >= FUZZY_FROM {
                fuzzy.push(Entry { text, chars, name });
            }
        }
        exact.extend(allow.into_iter().map(|a| fold(a.trim()).0));
        exact.remove("");
        let mut by_text: FxHashMap<String, Vec<Piece>> = FxHashMap::default();
        for e in &exact {
            by_text.entry(e.clone()).or_default().push(Piece::Exact);
        }
        for (i, e) in fuzzy.iter().enumerate() {
            let t = &e.chars;
            let k = t.len() / 2;
            let mut add = |text: String, piece| by_text.entry(text).or_default().push(piece);
            add(t[..k].iter().collect(), Piece::Head(i));
            add(t[k..].iter().collect(), Piece::Tail(i));
            let mut swapped = t.clone();
            swapped.swap(k - 1, k);
            if swapped != *t {
                add(swapped.iter().collect(), Piece::Swap(i));
            }
        }
        let mut by_text: Vec<(String, Vec<Piece>)> = by_text.into_iter().collect();
        by_text.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (patterns, pieces): (Vec<String>, Vec<Vec<Piece>>) = by_text.into_iter().unzip();
        // A DFA: a few hundred short patterns make a small one, and it scans fastest.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .ok();
        Matcher {
            fuzzy,
            exact,
            automaton,
            pieces,
        }
    }

    /// Near misses of entries in `text`, in order, each place once.
    pub fn misses(&self, text: &str) -> Vec<Miss> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let (folded, map) = fold(text);
        let mut exact_spans: Vec<(usize, usize)> = Vec::new();
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        let mut buf = Vec::new();
        for m in ac.find_overlapping_iter(&folded) {
            let (s, e) = (m.start(), m.end());
            for &piece in &self.pieces[m.pattern().as_usize()] {
                match piece {
                    Piece::Exact => exact_spans.push((s, e)),
                    Piece::Swap(t) => candidates.push((s, e, t)),
                    Piece::Head(t) => self.spans_from(&folded, s, t, &mut buf, &mut candidates),
                    Piece::Tail(t) => self.spans_to(&folded, e, t, &mut buf, &mut candidates),
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut misses: Vec<Miss> = Vec::new();
        for (s, e, t) in candidates {
            let found = &folded[s..e];
            let entry = &self.fuzzy[t];
            if self.exact.contains(found)
                // Another entry, written exactly, explains these characters better; one
                // written exactly inside the candidate does not (中国共产党 in a
                // mistyped 中国共产党中央委员会).
                || exact_spans
                    .iter()
                    .any(|&(a, b)| a < e && s < b && !(s <= a && b <= e))
            {
                continue;
            }
            let Some(edit) =
                classify(found, entry).and_then(|edit| slip(&folded, s, e, entry, edit))
            else {
                continue;
            };
            misses.push(Miss {
                start: map.back(s),
                end: map.back_end(e),
                entry: entry.text.clone(),
                name: entry.name,
                edit,
            });
        }
        // Where candidates overlap, the likeliest reading wins: a replaced or swapped
        // character before one missing or extra (中国共党产 is 中国共产党 swapped, not
        // 中国共党 missing 产), then the longer entry.
        let rank = |m: &Miss| {
            let shifted = matches!(m.edit, Edit::Missing { .. } | Edit::Extra { .. });
            (shifted, std::cmp::Reverse(m.entry.len()), m.start)
        };
        misses.sort_by_key(rank);
        let mut out: Vec<Miss> = Vec::new();
        for m in misses {
            if !out.iter().any(|o| o.start < m.end && m.start < o.end) {
                out.push(m);
            }
        }
        out.sort_by_key(|m| m.start);
        out
    }

    /// Adds to `out` the spans that start at byte `start` (a head's hit), one character
    /// shorter, as long and one longer than entry `t`.
    fn spans_from(
        &self,
        text: &str,
        start: usize,
        t: usize,
        buf: &mut Vec<usize>,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        let n = self.fuzzy[t].chars.len();
        buf.clear();
        for (i, c) in text[start..].char_indices() {
            if c == '\n' || buf.len() > n + 1 {
                break;
            }
            buf.push(start + i + c.len_utf8());
        }
        for len in n - 1..=n + 1 {
            if let Some(&end) = buf.get(len - 1) {
                out.push((start, end, t));
            }
        }
    }

    /// [`Matcher::spans_from`] for the spans that end at byte `end` (a tail's hit).
    fn spans_to(
        &self,
        text: &str,
        end: usize,
        t: usize,
        buf: &mut Vec<usize>,
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        let n = self.fuzzy[t].chars.len();
        buf.clear();
        for (i, c) in text[..end].char_indices().rev() {
            if c == '\n' || buf.len() > n + 1 {
                break;
            }
            buf.push(i);
        }
        for len in n - 1..=n + 1 {
            if let Some(&start) = buf.get(len - 1) {
                out.push((start, end, t));
            }
        }
    }
}

/// How `found` is one edit from `entry`, if it is: a replaced character (its likeness
/// not yet known), two swapped neighbours, or a character missing or extra inside the
/// entry (at either end, what is written is part of the entry or holds it whole:
/// another wording).
fn classify(found: &str, entry: &Entry) -> Option<Edit> {
    let term = &entry.chars;
    let f: Vec<char> = found.chars().collect();
    let n = term.len();
    let head = f.iter().zip(term).take_while(|(a, b)| a == b).count();
    let tail = f
        .iter()
        .rev()
        .zip(term.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    if f.len() == n {
        if head == n {
            return None;
        }
        if head + tail + 1 == n {
            return Some(Edit::Replaced {
                at: head,
                by: f[head],
                why: Likeness::Sound,
            });
        }
        let swapped =
            head + tail + 2 == n && f[head] == term[head + 1] && f[head + 1] == term[head];
        return swapped.then_some(Edit::Swapped { at: head });
    }
    if f.len() + 1 == n && head + tail >= f.len() && !entry.text.contains(found) {
        return Some(Edit::Missing { at: head });
    }
    if f.len() == n + 1 && head + tail >= n && !found.contains(&*entry.text) {
        return Some(Edit::Extra {
            at: head,
            extra: f[head],
        });
    }
    None
}

/// `edit` of `entry`, written at `s..e` of `text`, when it is a slip worth a word (a
/// replacement with its likeness).
fn slip(text: &str, s: usize, e: usize, entry: &Entry, edit: Edit) -> Option<Edit> {
    let n = entry.chars.len();
    let lex = lexicon();
    let keep = match edit {
        Edit::Replaced { at, by, .. } => {
            let why = likeness(entry.chars[at], by)?;
            // At either end a replaced character often begins or ends another word:
            // 党员活动是…, 开展党员活动时. Reported only when the text reads worse than
            // with the entry.
            if at == 0 || at == n - 1 {
                let (before, after) = context(text, s, e);
                let written = format!("{before}{}{after}", &text[s..e]);
                let meant = format!("{before}{}{after}", entry.text);
                if lex.score(&written) >= lex.score(&meant) {
                    return None;
                }
            }
            return Some(Edit::Replaced { at, by, why });
        }
        Edit::Swapped { .. } => true,
        // A stop or comma between two words of the entry ends one sentence or clause and
        // begins the next: 特色产业发展。党员志愿者… is no mistyped 发展党员.
        // (A name's every edit counts: the arm below.)
        Edit::Extra { at, extra } if !entry.name && !extra.is_alphanumeric() => {
            cuts_a_word(lex, entry, at)
        }
        Edit::Missing { .. } | Edit::Extra { .. } if entry.name => true,
        Edit::Missing { at } => !lex.is_free(entry.chars[at]) && !ordinary(text, s, e),
        Edit::Extra { extra, .. } => !lex.is_free(extra) && !ordinary(text, s, e),
    };
    keep.then_some(edit)
}

/// Whether a character written before the entry's character `at` falls inside one of
/// the entry's own words (中国共产。党), not between two (发展。党员).
fn cuts_a_word(lex: &Lexicon, entry: &Entry, at: usize) -> bool {
    let Some((byte, _)) = entry.text.char_indices().nth(at) else {
        return false;
    };
    !lex.segment(&entry.text)
        .iter()
        .any(|&(start, _)| start == byte)
}

/// Whether the text at `s..e` reads as ordinary words in its context: the words there
/// begin and end with it, and none of them is a lone character that is no word of its
/// own (主 in 社会主核心价值观).
fn ordinary(text: &str, s: usize, e: usize) -> bool {
    let lex = lexicon();
    let (before, after) = context(text, s, e);
    let window = &text[s - before.len()..e + after.len()];
    let (from, to) = (before.len(), before.len() + (e - s));
    let words = lex.segment(window);
    let mut bounds = words.iter().flat_map(|&(a, b)| [a, b]);
    if !bounds.clone().any(|b| b == from) || !bounds.any(|b| b == to) {
        // The text cuts a word of its context: it is part of other wording.
        return true;
    }
    words
        .iter()
        .filter(|&&(a, b)| a < to && b > from)
        .all(|&(a, b)| {
            let word = &window[a..b];
            let mut chars = word.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => lex.is_free(c),
                _ => true,
            }
        })
}

/// Up to [`CONTEXT`] characters before and after `s..e`, within its line.
fn context(text: &str, s: usize, e: usize) -> (&str, &str) {
    let before = text[..s]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c != '\n')
        .take(CONTEXT)
        .last()
        .map_or(s, |(i, _)| i);
    let after = text[e..]
        .char_indices()
        .take_while(|&(_, c)| c != '\n')
        .take(CONTEXT)
        .last()
        .map_or(e, |(i, c)| e + i + c.len_utf8());
    (&text[before..s], &text[e..after])
}

/// Why `by` is a likely slip for `right`, if it is one.
pub fn likeness(right: char, by: char) -> Option<Likeness> {
    if right == by {
        return None;
    }
    let (a, b) = (syllables(right), syllables(by));
    if a.iter().any(|x| b.contains(x)) {
        return Some(Likeness::Sound);
    }
    let near = |s: &str| near_syllable(s);
    if a.iter().any(|x| b.iter().any(|y| near(x) == near(y))) {
        return Some(Likeness::NearSound);
    }
    let shapes = shapes();
    let groups = |c: char| shapes.get(&c).map(Vec::as_slice).unwrap_or_default();
    if groups(right).iter().any(|g| groups(by).contains(g)) {
        return Some(Likeness::Shape);
    }
    None
}

/// The toneless syllables a character is read as (all its readings).
fn syllables(c: char) -> Vec<&'static str> {
    match c.to_pinyin_multi() {
        Some(multi) => multi.into_iter().map(|p| p.plain()).collect(),
        None => Vec::new(),
    }
}

/// A syllable with the distinctions a pinyin input method user most often misses made
/// one: retroflex initials as flat ones, n as l, back nasal finals as front ones.
fn near_syllable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let rest = if let Some(r) = ["zh", "ch", "sh"].iter().find_map(|p| s.strip_prefix(p)) {
        out.push_str(&s[..1]);
        r
    } else if let Some(r) = s.strip_prefix('n') {
        out.push('l');
        r
    } else {
        s
    };
    out.push_str(
        rest.strip_suffix("ng")
            .map_or(rest, |r| &rest[..r.len() + 1]),
    );
    out
}

/// The groups of characters that look alike (`shapes.txt`), by character.
fn shapes() -> &'static FxHashMap<char, Vec<u16>> {
    static SHAPES: OnceLock<FxHashMap<char, Vec<u16>>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut map: FxHashMap<char, Vec<u16>> = FxHashMap::default();
        let groups = data("checks/shapes.txt")
            .lines()
            .filter(|l| !l.starts_with('#'));
        for (i, group) in groups.enumerate() {
            for c in group.split_whitespace().filter_map(|w| w.chars().next()) {
                map.entry(c).or_default().push(i as u16);
            }
        }
        map
    })
}

/// A data file of the theme as text.
fn data(path: &str) -> &'static str {
    std::str::from_utf8(crate::theme::file(path)).unwrap_or_default()
}

/// jieba's words and how often each is a word (`words.txt`): a unigram model that
/// segments a short text and says how ordinary it reads.
pub struct Lexicon {
    freq: FxHashMap<&'static str, u32>,
    /// The longest word, in characters.
    longest: usize,
    /// ln of the sum of all frequencies.
    ln_total: f64,
}

/// The built-in word list, read once.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut freq = FxHashMap::default();
        let mut longest = 1;
        let mut total = 0u64;
        for line in data("checks/words.txt").lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((word, n)) = line.split_once(' ') else {
                continue;
            };
            let Ok(n) = n.parse::<u32>() else { continue };
            longest = longest.max(word.chars().count());
            total += u64::from(n);
            freq.insert(word, n);
        }
        Lexicon {
            freq,
            longest,
            ln_total: (total.max(1) as f64).ln(),
        }
    })
}

impl Lexicon {
    /// A single character that stands as a word of its own in ordinary prose.
    pub fn is_free(&self, c: char) -> bool {
        let mut b = [0u8; 4];
        self.freq
            .get(&*c.encode_utf8(&mut b))
            .is_some_and(|&n| n >= FREE_WORD)
    }

    /// The best segmentation of `text` into words: each word's byte range.
    pub fn segment(&self, text: &str) -> Vec<(usize, usize)> {
        let bounds = char_bounds(text);
        let (_, next) = self.best(text, &bounds);
        let mut out = Vec::new();
        let mut i = 0;
        while i + 1 < bounds.len() {
            out.push((bounds[i], bounds[next[i]]));
            i = next[i];
        }
        out
    }

    /// How likely `text` reads: the log-probability of its best segmentation.
    pub fn score(&self, text: &str) -> f64 {
        self.best(text, &char_bounds(text)).0
    }

    /// jieba's route: for each character, the best log-probability of the text from
    /// there and where the first word of that best route ends (indices in characters).
    fn best(&self, text: &str, bounds: &[usize]) -> (f64, Vec<usize>) {
        let n = bounds.len() - 1;
        let mut best = vec![0.0f64; n + 1];
        let mut next = vec![n; n + 1];
        for i in (0..n).rev() {
            let mut top = f64::NEG_INFINITY;
            for j in i + 1..=(i + self.longest).min(n) {
                let f = match self.freq.get(&text[bounds[i]..bounds[j]]) {
                    Some(&f) => f,
                    // A character unknown to the list is a word seen once.
                    None if j == i + 1 => 1,
                    None => continue,
                };
                let v = f64::from(f.max(1)).ln() - self.ln_total + best[j];
                if v > top {
                    top = v;
                    next[i] = j;
                }
            }
            best[i] = top;
        }
        (best[0], next)
    }
}

/// The byte offset of every character of `text`, and its length.
fn char_bounds(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect()
}

/// Whether spaces next to `c` are folded away: Chinese characters and punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}'
        | '\u{2014}'..='\u{201f}'
        | '\u{2026}'
        | '\u{00b7}'
        | '\u{20000}'..='\u{3ffff}')
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

/// `text` without the spaces between two Chinese characters (中 国 共 产 党, as pasted
/// from a PDF), and the way back to the text's own byte offsets.
fn fold(text: &str) -> (String, Folded) {
    let mut out = String::with_capacity(text.len());
    let mut cuts = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut last: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if is_space(c) && last.is_some_and(is_cjk) {
            // A run of spaces: folded when a Chinese character follows it.
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !is_space(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            if chars.peek().is_some_and(|&(_, d)| is_cjk(d)) {
                cuts.push((out.len(), end - i));
            } else {
                out.push_str(&text[i..end]);
            }
            last = Some(' ');
            continue;
        }
        out.push(c);
        last = Some(c);
    }
    (out, Folded { cuts })
}

/// Where the spaces [`fold`] took out were: at each folded offset, how many bytes.
struct Folded {
    cuts: Vec<(usize, usize)>,
}

impl Folded {
    /// The text's own offset of a folded offset where a character starts.
    fn back(&self, at: usize) -> usize {
        at + self
            .cuts
            .iter()
            .take_while(|&&(c, _)| c <= at)
            .map(|&(_, n)| n)
            .sum::<usize>()
    }

    /// The text's own offset of a folded offset where a span ends (spaces taken out
    /// just there are not part of it).
    fn back_end(&self, at: usize) -> usize {
        at + self
            .cuts
            .iter()
            .take_while(|&&(c, _)| c < at)
            .map(|&(_, n)| n)
            .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_syllables_join_the_pairs_an_input_method_confuses() {
        assert_eq!(near_syllable("zhong"), "zon");
        assert_eq!(near_syllable("nan"), "lan");
        assert_eq!(near_syllable("sheng"), "sen");
        assert_eq!(near_syllable("qing"), "qin");
        assert_eq!(near_syllable("a"), "a");
        assert_eq!(likeness('态', '太'), Some(Likeness::Sound));
        assert_eq!(likeness('会', '回'), Some(Likeness::Sound));
        assert_eq!(likeness('育', '肓'), Some(Likeness::Shape));
        assert_eq!(likeness('心', '新'), Some(Likeness::Sound));
        assert_eq!(likeness('信', '性'), Some(Likeness::NearSound));
        assert_eq!(likeness('会', '中'), None);
    }

    #[test]
    fn folding_takes_out_spaces_between_chinese_characters_only() {
        let (f, map) = fold("践行 社会 主义　核心价值观 and 2024 年");
        assert_eq!(f, "践行社会主义核心价值观 and 2024 年");
        let at = f.find("主义").unwrap();
        assert_eq!(map.back(at), "践行 社会 ".len());
    }

    #[test]
    fn jieba_segments_as_jieba_does() {
        let lex = lexicon();
        let words = |t: &str| -> Vec<String> {
            lex.segment(t)
                .into_iter()
                .map(|(a, b)| t[a..b].to_string())
                .collect()
        };
        assert_eq!(
            words("社会主义的核心价值观"),
            ["社会主义", "的", "核心", "价值观"]
        );
        assert_eq!(words("社会主核心价值观"), ["社会", "主", "核心", "价值观"]);
    }
}
