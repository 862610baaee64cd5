//! What every reader makes and the Markdown writer reads: a document as blocks of
//! styled text, its pictures in order, and what was left out. The readers fill it; the
//! tidying here (heading levels, blank paragraphs, indents) is shared.

pub use super::left_out::LeftOut;
use super::picture::Picture;
use super::text;
pub use super::text::Day;
use std::collections::BTreeMap;

/// Bold, italic and struck-through text: the only run formatting kept (fonts, sizes and
/// colours are dropped on purpose, as pandoc and mammoth do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String, Style),
    /// A link to an address, around its text.
    Link(String, Vec<Inline>),
    /// A picture, by its index in [`Document::pictures`].
    Picture(usize),
    /// A line break inside a paragraph.
    Break,
    /// A footnote reference, by its index in [`Document::notes`].
    Note(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2 to 6 (the page title is the only level 1).
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        /// The first number of an ordered list.
        start: u32,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Table),
    Rule,
    /// A picture that was not saved with the page: its address, kept as an HTML comment
    /// where it stood.
    Missing(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub blocks: Vec<Block>,
    pub colspan: u32,
    pub rowspan: u32,
}

impl Table {
    /// Whether some cell spans rows or columns: such a table needs HTML.
    pub fn is_merged(&self) -> bool {
        self.rows
            .iter()
            .flatten()
            .any(|c| c.colspan > 1 || c.rowspan > 1)
    }
}

/// Where the date of the page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFrom {
    /// A date line under the title.
    Text,
    /// The date line at the end (the 落款).
    Signature,
    /// The document's properties: when it was created.
    Created,
    /// A WeChat article's publishing time.
    Published,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: Option<String>,
    pub date: Option<(Day, DateFrom)>,
    pub author: Option<String>,
    pub blocks: Vec<Block>,
    pub pictures: Vec<Picture>,
    /// Footnote and endnote texts, in the order referenced.
    pub notes: Vec<Vec<Inline>>,
    pub left_out: BTreeMap<LeftOut, usize>,
    /// Addresses of pictures that were not saved with the page (never fetched).
    pub missing: Vec<String>,
}

impl Document {
    pub fn leave_out(&mut self, what: LeftOut) {
        *self.left_out.entry(what).or_default() += 1;
    }

    /// Adds a picture, or finds the same bytes added before; its index.
    pub fn add_picture(&mut self, picture: Picture) -> usize {
        if let Some(i) = self.pictures.iter().position(|p| p.bytes == picture.bytes) {
            if self.pictures[i].alt.is_empty() {
                self.pictures[i].alt = picture.alt;
            }
            return i;
        }
        self.pictures.push(picture);
        self.pictures.len() - 1
    }

    /// Whether the document has anything to show besides its title.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Counts of what the body holds: (headings, tables, lists).
    pub fn counts(&self) -> (usize, usize, usize) {
        fn walk(blocks: &[Block], c: &mut (usize, usize, usize)) {
            for b in blocks {
                match b {
                    Block::Heading(..) => c.0 += 1,
                    Block::Table(t) => {
                        c.1 += 1;
                        for cell in t.rows.iter().flatten() {
                            walk(&cell.blocks, c);
                        }
                    }
                    Block::List { items, .. } => {
                        c.2 += 1;
                        for i in items {
                            walk(i, c);
                        }
                    }
                    Block::Quote(inner) => walk(inner, c),
                    _ => {}
                }
            }
        }
        let mut c = (0, 0, 0);
        walk(&self.blocks, &mut c);
        c
    }

    /// Every picture the body shows, in order of appearance (each once).
    pub fn pictures_in_order(&self) -> Vec<usize> {
        fn inlines(list: &[Inline], out: &mut Vec<usize>) {
            for i in list {
                match i {
                    Inline::Picture(p) if !out.contains(p) => out.push(*p),
                    Inline::Link(_, inner) => inlines(inner, out),
                    _ => {}
                }
            }
        }
        fn walk(blocks: &[Block], out: &mut Vec<usize>) {
            for b in blocks {
                match b {
                    Block::Heading(_, l) | Block::Paragraph(l) => inlines(l, out),
                    Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                    Block::Quote(inner) => walk(inner, out),
                    Block::Table(t) => t.rows.iter().flatten().for_each(|c| walk(&c.blocks, out)),
                    Block::Rule | Block::Missing(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }

    /// The last steps every reader shares: headings that descend one level at a time,
    /// text without its full-width indents and trailing spaces, no blank paragraphs.
    pub fn tidy(&mut self) {
        tidy_blocks(&mut self.blocks);
        self.captions();
        for n in &mut self.notes {
            tidy_inlines(n);
        }
        even_headings(&mut self.blocks);
    }
}

impl Document {
    /// A picture alone in its paragraph, with a caption under it (「▲ 支部书记领誓」),
    /// takes the caption as its alt text when it has none.
    fn captions(&mut self) {
        for k in 1..self.blocks.len() {
            let (Block::Paragraph(above), Block::Paragraph(below)) =
                (&self.blocks[k - 1], &self.blocks[k])
            else {
                continue;
            };
            let [Inline::Picture(p)] = above.as_slice() else {
                continue;
            };
            let caption = plain(below);
            if text::is_caption(&caption) {
                if let Some(pic) = self.pictures.get_mut(*p) {
                    if pic.alt.is_empty() {
                        pic.alt = text::caption_alt(&caption);
                    }
                }
            }
        }
    }
}

/// The plain text of inlines (pictures and notes give nothing).
pub fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t, _) => s.push_str(t),
            Inline::Link(_, inner) => s.push_str(&plain(inner)),
            Inline::Break => s.push(' '),
            Inline::Picture(_) | Inline::Note(_) => {}
        }
    }
    s
}

/// Whether every character of text in `inlines` is bold (and there is some).
pub fn all_bold(inlines: &[Inline]) -> bool {
    let mut any = false;
    let mut ok = true;
    fn walk(list: &[Inline], any: &mut bool, ok: &mut bool) {
        for i in list {
            match i {
                Inline::Text(t, s) if !t.trim().is_empty() => {
                    *any = true;
                    *ok &= s.bold;
                }
                Inline::Link(_, inner) => walk(inner, any, ok),
                _ => {}
            }
        }
    }
    walk(inlines, &mut any, &mut ok);
    any && ok
}

/// The same inlines without bold: a heading is bold by itself.
pub fn unbold(inlines: Vec<Inline>) -> Vec<Inline> {
    inlines
        .into_iter()
        .map(|i| match i {
            Inline::Text(t, s) => Inline::Text(t, Style { bold: false, ..s }),
            Inline::Link(u, inner) => Inline::Link(u, unbold(inner)),
            other => other,
        })
        .collect()
}

/// A document without headings of its own (no heading styles, no `<h2>`) that sets them
/// as short bold lines: a bold line alone — no sentence punctuation, not a caption, not
/// a date — with text after it is a heading: `##` before any numbered 公文 heading, else
/// one level below the numbered heading before it. Two bold lines in a row stay text.
pub fn bold_line_headings(blocks: &mut [Block]) {
    let line = |b: &Block| match b {
        Block::Paragraph(l) if all_bold(l) => {
            let t = plain(l);
            let t = t.trim_matches(text::is_blank);
            let n = t.chars().count();
            (2..=24).contains(&n)
                && !t.contains(['。', '，', '；', '！', '？', '：', ':', ',', ';', '!', '?'])
                && !t.starts_with(['▲', '△', '↑', '图', '注'])
                && text::date_line(t).is_none()
                && !l
                    .iter()
                    .any(|i| matches!(i, Inline::Picture(_) | Inline::Note(_)))
        }
        _ => false,
    };
    let picture_only = |b: &Block| {
        matches!(b, Block::Paragraph(l) if l.iter().any(|i| matches!(i, Inline::Picture(_)))
            && plain(l).trim_matches(text::is_blank).is_empty())
    };
    let content: Vec<usize> = (0..blocks.len())
        .filter(|&k| !blank_paragraph(&blocks[k]))
        .collect();
    let candidate: Vec<bool> = content.iter().map(|&k| line(&blocks[k])).collect();
    let mut numbered: Option<u8> = None;
    for (pos, &k) in content.iter().enumerate() {
        if let Block::Heading(level, _) = &blocks[k] {
            numbered = Some(*level);
            continue;
        }
        if !candidate[pos] {
            continue;
        }
        let Some(&next) = content.get(pos + 1) else {
            continue;
        };
        let date_next = matches!(&blocks[next], Block::Paragraph(l)
            if text::date_line(plain(l).trim_matches(text::is_blank)).is_some());
        let alone = !candidate[pos + 1] && (pos == 0 || !candidate[pos - 1]);
        let caption = pos > 0 && picture_only(&blocks[content[pos - 1]]);
        if !alone || caption || date_next || matches!(blocks[next], Block::Heading(..)) {
            continue;
        }
        let level = numbered.map_or(2, |l| (l + 1).min(6));
        if let Block::Paragraph(l) = std::mem::replace(&mut blocks[k], Block::Rule) {
            blocks[k] = Block::Heading(level, unbold(l));
        }
    }
}

/// `inlines` cut after `chars` characters of text; `None` when something else than text
/// comes first.
pub fn split_inlines(inlines: &[Inline], chars: usize) -> Option<(Vec<Inline>, Vec<Inline>)> {
    let mut left = chars;
    let mut first = Vec::new();
    for (k, inline) in inlines.iter().enumerate() {
        if left == 0 {
            return Some((first, inlines[k..].to_vec()));
        }
        let Inline::Text(t, style) = inline else {
            return None;
        };
        let n = t.chars().count();
        if n <= left {
            first.push(inline.clone());
            left -= n;
            continue;
        }
        let at = t.char_indices().nth(left).map_or(t.len(), |(i, _)| i);
        first.push(Inline::Text(t[..at].to_string(), *style));
        let mut rest = vec![Inline::Text(t[at..].to_string(), *style)];
        rest.extend_from_slice(&inlines[k + 1..]);
        return Some((first, rest));
    }
    None
}

/// A paragraph without text or pictures: tidying drops it.
fn blank_paragraph(b: &Block) -> bool {
    matches!(b, Block::Paragraph(l) if l.iter().all(|i| match i {
        Inline::Text(t, _) => t.chars().all(text::is_blank),
        Inline::Break => true,
        _ => false,
    }))
}

/// Paragraphs numbered by hand — 「1、建立制度；」「2、每月开展；」, two or more in a row
/// from 1 — as an ordered list. Bold ones are headings, not items.
pub fn typed_lists(blocks: &mut Vec<Block>) {
    /// The number a paragraph is typed with, and how many characters it takes.
    fn typed(b: &Block) -> Option<(u32, usize)> {
        let Block::Paragraph(l) = b else {
            return None;
        };
        if all_bold(l) {
            return None;
        }
        let t = plain(l);
        let lead = t.chars().take_while(|&c| text::is_blank(c)).count();
        let rest: String = t.chars().skip(lead).take(4).collect();
        let rest = text::half_width_alnum(&rest).unwrap_or(rest);
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let mark = rest.chars().nth(digits)?;
        let after = rest.chars().nth(digits + 1);
        if !(1..=2).contains(&digits)
            || !matches!(mark, '、' | '.' | '．')
            || after.is_none_or(|c| c.is_ascii_digit())
        {
            return None;
        }
        let cut = lead + digits + 1;
        split_inlines(l, cut)?;
        Some((rest[..digits].parse().ok()?, cut))
    }
    blocks.retain(|b| !blank_paragraph(b));
    let mut k = 0;
    while k < blocks.len() {
        let mut end = k;
        let mut next = 1;
        while let Some((n, _)) = blocks.get(end).and_then(typed) {
            if n != next {
                break;
            }
            next += 1;
            end += 1;
        }
        if end - k < 2 {
            k += 1;
            continue;
        }
        let items: Vec<Vec<Block>> = blocks
            .drain(k..end)
            .map(|b| {
                let cut = typed(&b).map_or(0, |(_, c)| c);
                let Block::Paragraph(l) = b else {
                    return vec![b];
                };
                let item = split_inlines(&l, cut).map_or(l, |(_, rest)| rest);
                vec![Block::Paragraph(item)]
            })
            .collect();
        blocks.insert(
            k,
            Block::List {
                ordered: true,
                start: 1,
                items,
            },
        );
        k += 1;
    }
}

fn tidy_blocks(blocks: &mut Vec<Block>) {
    for b in blocks.iter_mut() {
        match b {
            Block::Heading(_, l) | Block::Paragraph(l) => tidy_inlines(l),
            Block::List { items, .. } => {
                for i in items.iter_mut() {
                    tidy_blocks(i);
                }
                items.retain(|i| !i.is_empty());
            }
            Block::Quote(inner) => tidy_blocks(inner),
            Block::Table(t) => {
                for c in t.rows.iter_mut().flatten() {
                    tidy_blocks(&mut c.blocks);
                }
                t.rows.retain(|r| !r.is_empty());
            }
            Block::Rule | Block::Missing(_) => {}
        }
    }
    blocks.retain(|b| match b {
        Block::Heading(_, l) | Block::Paragraph(l) => !l.is_empty(),
        Block::List { items, .. } => !items.is_empty(),
        Block::Quote(inner) => !inner.is_empty(),
        Block::Table(t) => t.rows.iter().flatten().any(|c| !c.blocks.is_empty()),
        Block::Rule | Block::Missing(_) => true,
    });
    // Rules only between content.
    let first = blocks
        .iter()
        .position(|b| !matches!(b, Block::Rule))
        .unwrap_or(blocks.len());
    blocks.drain(..first);
    while matches!(blocks.last(), Some(Block::Rule)) {
        blocks.pop();
    }
    blocks.dedup_by(|a, b| matches!((a, b), (Block::Rule, Block::Rule)));
}

/// Merges neighbouring text of the same style, drops the indent at the start (full-width
/// spaces, no-break spaces, tabs), trailing spaces and breaks at either end.
pub fn tidy_inlines(list: &mut Vec<Inline>) {
    let mut out: Vec<Inline> = Vec::with_capacity(list.len());
    for i in list.drain(..) {
        match i {
            Inline::Text(t, s) => {
                if t.is_empty() {
                    continue;
                }
                let t = text::half_width_alnum(&t).unwrap_or(t);
                if let Some(Inline::Text(prev, ps)) = out.last_mut() {
                    if *ps == s || t.chars().all(char::is_whitespace) {
                        prev.push_str(&t);
                        continue;
                    }
                }
                out.push(Inline::Text(t, s));
            }
            Inline::Link(u, mut inner) => {
                tidy_inlines(&mut inner);
                if inner.is_empty() {
                    continue;
                }
                out.push(Inline::Link(u, inner));
            }
            other => out.push(other),
        }
    }
    // Trim the start and the end: breaks and blank text go, the first and last text
    // lose their blank edges.
    let blank = |i: &Inline| match i {
        Inline::Break => true,
        Inline::Text(t, _) => t.chars().all(text::is_blank),
        _ => false,
    };
    let first = out.iter().position(|i| !blank(i)).unwrap_or(out.len());
    out.drain(..first);
    let last = out.iter().rposition(|i| !blank(i)).map_or(0, |k| k + 1);
    out.truncate(last);
    if let Some(Inline::Text(t, _)) = out.first_mut() {
        *t = t.trim_start_matches(text::is_blank).to_string();
    }
    if let Some(Inline::Text(t, _)) = out.last_mut() {
        let n = t.trim_end_matches(text::is_blank).len();
        t.truncate(n);
    }
    // A space around a break is the indent of the next line.
    for k in 0..out.len() {
        if matches!(out[k], Inline::Break) {
            if let Some(Inline::Text(t, _)) = out.get_mut(k + 1) {
                *t = t.trim_start_matches(text::is_blank).to_string();
            }
            if k > 0 {
                if let Some(Inline::Text(t, _)) = out.get_mut(k - 1) {
                    let n = t.trim_end_matches(text::is_blank).len();
                    t.truncate(n);
                }
            }
        }
    }
    out.retain(|i| !matches!(i, Inline::Text(t, _) if t.is_empty()));
    *list = out;
}

/// Headings descend one level at a time from `##`: the levels a document uses are
/// closed up (`##` and `####` only become `##` and `###`), and a heading never goes more
/// than one level below the heading before it.
fn even_headings(blocks: &mut [Block]) {
    let mut used: Vec<u8> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(l, _) => Some(*l),
            _ => None,
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut previous = 1u8;
    for b in blocks.iter_mut() {
        if let Block::Heading(level, _) = b {
            let rank = used.iter().position(|l| l == level).unwrap_or(0) as u8 + 2;
            let level_now = rank.min(previous + 1).min(6);
            *level = level_now;
            previous = level_now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into(), Style::default())
    }

    fn b(s: &str) -> Inline {
        Inline::Text(
            s.into(),
            Style {
                bold: true,
                ..Style::default()
            },
        )
    }

    #[test]
    fn tidying_merges_runs_and_drops_indents_and_blank_paragraphs() {
        let mut d = Document {
            blocks: vec![
                Block::Paragraph(vec![
                    t("\u{3000}\u{3000}支部"),
                    t("召开"),
                    b("大会"),
                    t("。 "),
                ]),
                Block::Paragraph(vec![t("\u{3000} \u{a0}")]),
                Block::Rule,
            ],
            ..Document::default()
        };
        d.tidy();
        assert_eq!(
            d.blocks,
            vec![Block::Paragraph(vec![t("支部召开"), b("大会"), t("。")])]
        );
    }

    #[test]
    fn heading_levels_close_up_and_descend_one_at_a_time() {
        let h = |l| Block::Heading(l, vec![t("x")]);
        let mut blocks = vec![h(2), h(4), h(4), h(2), h(6)];
        even_headings(&mut blocks);
        let levels: Vec<u8> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading(l, _) => *l,
                _ => 0,
            })
            .collect();
        assert_eq!(levels, vec![2, 3, 3, 2, 3]);
        // The first heading is a level-2 one, whatever it was.
        let mut blocks = vec![h(3), h(2)];
        even_headings(&mut blocks);
        assert!(matches!(blocks[0], Block::Heading(2, _)));
    }
}
