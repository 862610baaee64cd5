//! Format-preserving YAML edits: a save changes only the keys and text that changed.
//!
//! The editor sends the whole new value of a file, as its form holds it. [`apply`]
//! compares it with what the file holds and splices only the difference into the text:
//! a changed scalar is written again in its own quoting style, a new key or list item
//! goes after its neighbour in the style of its neighbours, a removed one takes its own
//! lines with it, a reordered list moves its items' text. Everything else — the order of
//! keys, comments, blank lines, quoting, line endings — stays byte for byte.
//!
//! Where each key, value and item sits comes from yaml-edit's lossless syntax tree
//! (rowan); what the values are comes from serde_yaml, the parser the loader reads the
//! files with. The result is parsed again and must hold exactly the value asked for;
//! if it does not (a construct the splicing does not know), the changed top-level keys
//! are written afresh, and if even that does not give the value, nothing is written.

use serde_yaml::{Mapping, Value};
use std::ops::Range;
use yaml_edit::SyntaxKind as K;

type Syntax = rowan::SyntaxNode<yaml_edit::Lang>;

/// Why a file could not be edited in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The text is not YAML serde_yaml reads (the loader would refuse it too).
    Invalid(String),
    /// The file uses something the splicing does not handle (anchors, tags, several
    /// documents) and a fresh writing of the changed keys did not give the value either.
    Unsupported(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Invalid(e) => write!(f, "the file is not valid YAML: {e}"),
            Refusal::Unsupported(e) => write!(f, "the file cannot be changed in place: {e}"),
        }
    }
}

/// The text of a YAML file whose value becomes `new`, changed only where the values
/// differ.
pub fn apply(text: &str, new: &Value) -> Result<String, Refusal> {
    let old = parse_value(text)?;
    if same(&old, new) {
        return Ok(text.to_string());
    }
    let doc = Doc::read(text, &old);
    let precise = doc
        .as_ref()
        .ok()
        .and_then(|d| d.edit(&old, new, false).ok())
        .filter(|t| parses_to(t, new));
    if let Some(t) = precise {
        return Ok(t);
    }
    // The changed top-level keys written afresh; the others as they were.
    let fresh = doc
        .as_ref()
        .ok()
        .and_then(|d| d.edit(&old, new, true).ok())
        .filter(|t| parses_to(t, new));
    if let Some(t) = fresh {
        return Ok(t);
    }
    // A document with nothing in it (only comments): the value goes after them.
    if matches!(old, Value::Null) {
        if let Value::Mapping(m) = new {
            let eol = eol_of(text);
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            for (k, v) in m {
                out.push_str(&entry_text(k, v, 0, eol));
                out.push_str(eol);
            }
            if parses_to(&out, new) {
                return Ok(out);
            }
        }
    }
    Err(Refusal::Unsupported(match doc {
        Err(e) => e,
        Ok(_) => "the edited text does not read back as the new value".into(),
    }))
}

/// A Markdown page (`---` front matter `---` body) with its front matter's value changed
/// into `front` (format-preserving, as [`apply`]) and its body replaced by `body`.
pub fn apply_page(text: &str, front: &Value, body: &str) -> Result<String, Refusal> {
    match crate::load::content::split_front_matter(text) {
        Some((yaml, body_start, _)) => {
            let yaml_start = text.find('\n').map_or(0, |i| i + 1);
            let yaml_end = yaml_start + yaml.len();
            let edited = apply(yaml, front)?;
            let mut out = String::with_capacity(text.len() + body.len());
            out.push_str(&text[..yaml_start]);
            out.push_str(&edited);
            if !edited.is_empty() && !edited.ends_with('\n') {
                out.push_str(eol_of(text));
            }
            out.push_str(&text[yaml_end..body_start]);
            if body_start == text.len() && !text.ends_with('\n') && !body.is_empty() {
                out.push_str(eol_of(text));
            }
            out.push_str(body);
            Ok(out)
        }
        None => {
            let eol = eol_of(text);
            let yaml = apply("", front)?;
            Ok(format!("---{eol}{yaml}---{eol}{body}"))
        }
    }
}

/// The front matter's value and the body of a Markdown page.
pub fn read_page(text: &str) -> Result<(Value, String), Refusal> {
    match crate::load::content::split_front_matter(text) {
        Some((yaml, body_start, _)) => Ok((parse_value(yaml)?, text[body_start..].to_string())),
        None => Ok((Value::Mapping(Mapping::new()), text.to_string())),
    }
}

/// The value of a YAML text as the loader reads it (an empty text is null).
pub fn parse_value(text: &str) -> Result<Value, Refusal> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_yaml::from_str(text).map_err(|e| Refusal::Invalid(e.to_string()))
}

/// Whether `text` reads as `want` (a document with nothing in it as an empty mapping, as
/// the loader reads it).
fn parses_to(text: &str, want: &Value) -> bool {
    let empty = |v: &Value| matches!(v, Value::Mapping(m) if m.is_empty());
    parse_value(text).is_ok_and(|v| same(&v, want) || (v == Value::Null && empty(want)))
}

/// Values equal as the loader sees them: mappings regardless of key order, numbers by
/// value (`1.0` and `1`).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::Tagged(x), Value::Tagged(y)) => x.tag == y.tag && same(&x.value, &y.value),
        _ => a == b,
    }
}

/// What a node of the text is.
#[derive(Debug)]
enum Shape {
    Scalar,
    Map {
        flow: bool,
        entries: Vec<(Value, Slot)>,
    },
    Seq {
        flow: bool,
        items: Vec<Slot>,
    },
}

/// Where one value sits in the text.
#[derive(Debug)]
struct Slot {
    /// The value's own text: a scalar with its quotes, a flow collection with its
    /// brackets, a block collection from its first key or dash to the end of its last
    /// line (without the line break). Empty for a null written as nothing (`key:`).
    value: Range<usize>,
    /// The whole entry or item: in a block collection from the start of its first line
    /// to after the line break of its last; in a flow collection from the key or item
    /// to the end of the value.
    whole: Range<usize>,
    /// Where the text after `key:` or `- ` starts (just after the colon or the dash).
    after_marker: usize,
    /// The column of its key or dash (block collections).
    column: usize,
    /// Whether it stands in a flow collection.
    in_flow: bool,
    shape: Shape,
}

struct Doc<'a> {
    text: &'a str,
    eol: &'static str,
    root: Slot,
}

fn eol_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn range(n: &Syntax) -> Range<usize> {
    let r = n.text_range();
    usize::from(r.start())..usize::from(r.end())
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn column(text: &str, at: usize) -> usize {
    text[line_start(text, at)..at].chars().count()
}

/// The end of `r` without trailing line breaks, blanks and (for a block collection) the
/// comments after its last content.
fn trim_end(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let trimmed = s.trim_end_matches([' ', '\t', '\r', '\n']);
    r.start..r.start + trimmed.len()
}

impl<'a> Doc<'a> {
    fn read(text: &'a str, value: &Value) -> Result<Doc<'a>, String> {
        let parsed = yaml_edit::YamlFile::parse(text);
        if !parsed.positioned_errors().is_empty() {
            return Err("yaml-edit could not read the file".into());
        }
        let tree = parsed.tree();
        let root = rowan::ast::AstNode::syntax(&tree).clone();
        let docs: Vec<Syntax> = root
            .children()
            .filter(|c| c.kind() == K::DOCUMENT)
            .collect();
        if docs.len() > 1 {
            return Err("several documents in one file".into());
        }
        let content = docs.first().and_then(|d| {
            d.children()
                .find(|c| matches!(c.kind(), K::MAPPING | K::SEQUENCE | K::SCALAR))
        });
        let slot = match content {
            Some(node) => {
                let shape = shape_of(text, &node)?;
                let r = range(&node);
                let value = trim_end(text, r.clone());
                Slot {
                    whole: 0..text.len(),
                    after_marker: value.start,
                    column: 0,
                    in_flow: false,
                    value,
                    shape,
                }
            }
            None => Slot {
                value: text.len()..text.len(),
                whole: 0..text.len(),
                after_marker: text.len(),
                column: 0,
                in_flow: false,
                shape: Shape::Scalar,
            },
        };
        if !fits(&slot.shape, value) {
            return Err("the syntax tree and the parsed value disagree".into());
        }
        Ok(Doc {
            text,
            eol: eol_of(text),
            root: slot,
        })
    }

    /// The text with `old` (the value of the file) changed into `new`; with `fresh`, each
    /// changed top-level key is written anew instead of spliced.
    fn edit(&self, old: &Value, new: &Value, fresh: bool) -> Result<String, String> {
        let mut out = Vec::new();
        let mut e = Editor {
            text: self.text,
            eol: self.eol,
            splices: &mut out,
        };
        if fresh {
            match (old, new, &self.root.shape) {
                (
                    Value::Mapping(o),
                    Value::Mapping(n),
                    Shape::Map {
                        flow: false,
                        entries,
                    },
                ) => e.map(o, n, entries, &self.root, true)?,
                _ => e.replace(&self.root, new),
            }
        } else {
            e.value(old, &self.root, new)?;
        }
        splice(self.text, out)
    }
}

/// Whether the shape read from the syntax tree has the structure of the value serde_yaml
/// read, key for key and item for item.
fn fits(shape: &Shape, value: &Value) -> bool {
    match (shape, value) {
        (Shape::Map { entries, .. }, Value::Mapping(m)) => {
            entries.len() == m.len()
                && entries
                    .iter()
                    .zip(m.iter())
                    .all(|((k, s), (mk, mv))| k == mk && fits(&s.shape, mv))
        }
        (Shape::Seq { items, .. }, Value::Sequence(v)) => {
            items.len() == v.len() && items.iter().zip(v).all(|(s, v)| fits(&s.shape, v))
        }
        (Shape::Scalar, v) => !matches!(v, Value::Mapping(_) | Value::Sequence(_)),
        _ => false,
    }
}

fn is_flow(node: &Syntax) -> bool {
    node.children_with_tokens()
        .find(|c| {
            !matches!(
                c.kind(),
                K::WHITESPACE | K::NEWLINE | K::INDENT | K::COMMENT
            )
        })
        .is_some_and(|c| matches!(c.kind(), K::LEFT_BRACE | K::LEFT_BRACKET))
}

/// The content node (scalar, mapping, sequence) among `node`'s children.
fn content(node: &Syntax) -> Result<Option<Syntax>, String> {
    for c in node.children() {
        match c.kind() {
            K::SCALAR | K::MAPPING | K::SEQUENCE => return Ok(Some(c)),
            K::ALIAS | K::TAGGED_NODE => {
                return Err("anchors, aliases and tags are not edited in place".into())
            }
            _ => {}
        }
    }
    Ok(None)
}

fn shape_of(text: &str, node: &Syntax) -> Result<Shape, String> {
    match node.kind() {
        K::SCALAR => Ok(Shape::Scalar),
        K::MAPPING => {
            let flow = is_flow(node);
            let entries = node
                .children()
                .filter(|c| c.kind() == K::MAPPING_ENTRY)
                .map(|entry| map_entry(text, &entry, flow))
                .collect::<Result<_, _>>()?;
            Ok(Shape::Map { flow, entries })
        }
        K::SEQUENCE => {
            let flow = is_flow(node);
            let items = node
                .children()
                .filter(|c| c.kind() == K::SEQUENCE_ENTRY)
                .map(|entry| seq_item(text, &entry, flow))
                .collect::<Result<_, _>>()?;
            Ok(Shape::Seq { flow, items })
        }
        _ => Err("an unknown node".into()),
    }
}

/// A mapping's entry: its key, and where its value and the whole entry stand.
fn map_entry(text: &str, entry: &Syntax, flow: bool) -> Result<(Value, Slot), String> {
    let key_node = entry
        .children()
        .find(|c| c.kind() == K::KEY)
        .ok_or("an entry without a key")?;
    let key_text = text[range(&key_node)].trim();
    let key: Value =
        serde_yaml::from_str(key_text).unwrap_or_else(|_| Value::String(key_text.to_string()));
    let colon = entry
        .children_with_tokens()
        .find(|c| c.kind() == K::COLON)
        .map(|c| usize::from(c.text_range().end()))
        .ok_or("an entry without a colon")?;
    let value_node = entry.children().find(|c| c.kind() == K::VALUE);
    let inner = match &value_node {
        Some(v) => content(v)?,
        None => None,
    };
    let (value, shape) = match inner {
        Some(n) => {
            let shape = shape_of(text, &n)?;
            let r = range(&n);
            (trim_end(text, r), shape)
        }
        None => (colon..colon, Shape::Scalar),
    };
    let er = range(entry);
    let start = usize::from(key_node.text_range().start());
    let whole = if flow {
        start..value.end.max(colon)
    } else {
        let end = whole_end(text, er.end.max(value.end));
        let line = line_start(text, start);
        // The first key of a mapping in a list item shares the dash's line:
        // its entry starts at the key.
        if text[line..start].trim().is_empty() {
            line..end
        } else {
            start..end
        }
    };
    Ok((
        key,
        Slot {
            value,
            whole,
            after_marker: colon,
            column: column(text, start),
            in_flow: flow,
            shape,
        },
    ))
}

/// A sequence's item: where its value and the whole item (with its dash) stand.
fn seq_item(text: &str, entry: &Syntax, flow: bool) -> Result<Slot, String> {
    let dash = entry
        .children_with_tokens()
        .find(|c| c.kind() == K::DASH)
        .map(|c| usize::from(c.text_range().start()));
    let inner = content(entry)?;
    let (value, shape) = match inner {
        Some(n) => {
            let shape = shape_of(text, &n)?;
            (trim_end(text, range(&n)), shape)
        }
        None => {
            let at = dash.map_or(usize::from(entry.text_range().start()), |d| d + 1);
            (at..at, Shape::Scalar)
        }
    };
    let er = range(entry);
    let (whole, after, col) = match (flow, dash) {
        (false, Some(d)) => (
            line_start(text, d)..whole_end(text, er.end.max(value.end)),
            d + 1,
            column(text, d),
        ),
        _ => (value.clone(), value.start, column(text, value.start)),
    };
    Ok(Slot {
        value,
        whole,
        after_marker: after,
        column: col,
        in_flow: flow,
        shape,
    })
}

/// How far into its `whole` range an entry's key starts (past its indentation).
fn next_key_offset(text: &str, slot: &Slot) -> usize {
    let w = &text[slot.whole.clone()];
    w.len() - w.trim_start_matches(' ').len()
}

/// The end of a block entry: after the line break that ends the line at `at`.
fn whole_end(text: &str, at: usize) -> usize {
    // `at` may already be after the line break (the entry's range includes it).
    if at > 0 && text.as_bytes()[at - 1] == b'\n' {
        return at;
    }
    match text[at..].find('\n') {
        Some(i) => at + i + 1,
        None => text.len(),
    }
}

/// One change of the text: `range` replaced by `text`.
#[derive(Debug)]
struct Splice {
    range: Range<usize>,
    text: String,
}

fn splice(text: &str, mut splices: Vec<Splice>) -> Result<String, String> {
    // From the end, so earlier positions stay valid; at one position a removal first,
    // then what is inserted there.
    splices.sort_by(|a, b| {
        b.range
            .start
            .cmp(&a.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut out = text.to_string();
    let mut limit = usize::MAX;
    for s in splices {
        if s.range.end > limit {
            return Err("two changes overlap".into());
        }
        out.replace_range(s.range.clone(), &s.text);
        limit = s.range.start;
    }
    Ok(out)
}

struct Editor<'a, 'b> {
    text: &'a str,
    eol: &'static str,
    splices: &'b mut Vec<Splice>,
}

impl Editor<'_, '_> {
    fn put(&mut self, range: Range<usize>, text: String) {
        self.splices.push(Splice { range, text });
    }

    /// `old` (at `slot`) becomes `new`.
    fn value(&mut self, old: &Value, slot: &Slot, new: &Value) -> Result<(), String> {
        if same(old, new) {
            return Ok(());
        }
        match (old, new, &slot.shape) {
            (Value::Mapping(o), Value::Mapping(n), Shape::Map { entries, .. })
                if !n.is_empty() || slot.whole.start == 0 && slot.column == 0 =>
            {
                self.map(o, n, entries, slot, false)
            }
            (Value::Sequence(o), Value::Sequence(n), Shape::Seq { items, .. }) if !n.is_empty() => {
                self.seq(o, n, items, slot)
            }
            (_, Value::Mapping(_) | Value::Sequence(_), _) => {
                self.replace(slot, new);
                Ok(())
            }
            (_, _, Shape::Scalar) => {
                self.scalar(slot, new);
                Ok(())
            }
            _ => {
                self.replace(slot, new);
                Ok(())
            }
        }
    }

    /// The indentation of the content of a block scalar or collection under `slot`.
    fn child_column(&self, slot: &Slot) -> usize {
        slot.column + 2
    }

    /// A scalar written again in the style it had.
    fn scalar(&mut self, slot: &Slot, new: &Value) {
        let old = &self.text[slot.value.clone()];
        let indent = match &self.text[slot.value.clone()].find('\n') {
            // A block scalar keeps the indentation of its lines.
            Some(i) => {
                let rest = &old[i + 1..];
                let line = rest
                    .split('\n')
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("");
                line.len() - line.trim_start_matches(' ').len()
            }
            None => self.child_column(slot),
        };
        let style = match old.chars().next() {
            Some('"') => Style::Double,
            Some('\'') => Style::Single,
            Some('|' | '>') => Style::Block,
            _ => Style::Plain,
        };
        let text = scalar_text(new, style, slot.in_flow, indent.max(1), self.eol);
        let text = if slot.value.is_empty() && self.text[..slot.value.start].ends_with(':') {
            format!(" {text}")
        } else {
            text
        };
        self.put(slot.value.clone(), text);
    }

    /// The value at `slot` written afresh.
    fn replace(&mut self, slot: &Slot, new: &Value) {
        if slot.in_flow {
            self.put(slot.value.clone(), flow_text(new));
            return;
        }
        let is_root = slot.after_marker == slot.value.start && slot.whole.start == 0;
        if is_root && slot.column == 0 && slot.whole.end == self.text.len() {
            // The whole document.
            let mut t = String::new();
            if let Value::Mapping(m) = new {
                for (k, v) in m {
                    t.push_str(&entry_text(k, v, 0, self.eol));
                    t.push_str(self.eol);
                }
                // Where there was nothing, the keys end with a line break; where a value
                // was, its own line break follows.
                let t = if slot.value.is_empty() {
                    let before = &self.text[..slot.value.start];
                    if !before.is_empty() && !before.ends_with('\n') {
                        format!("{}{t}", self.eol)
                    } else {
                        t
                    }
                } else {
                    t.trim_end_matches(['\r', '\n']).to_string()
                };
                self.put(slot.value.clone(), t);
            } else {
                self.put(
                    slot.value.clone(),
                    block_value(new, 0, self.eol).trim_start().to_string(),
                );
            }
            return;
        }
        let from = slot.after_marker;
        let text = block_value(new, self.child_column(slot), self.eol);
        self.put(from..slot.value.end.max(from), text);
    }

    fn map(
        &mut self,
        old: &Mapping,
        new: &Mapping,
        entries: &[(Value, Slot)],
        slot: &Slot,
        fresh: bool,
    ) -> Result<(), String> {
        let flow = slot_is_flow(slot);
        let kept: Vec<bool> = entries.iter().map(|(k, _)| new.contains_key(k)).collect();
        if flow && !kept.iter().any(|k| *k) {
            self.put(slot.value.clone(), flow_text(&Value::Mapping(new.clone())));
            return Ok(());
        }
        // Removed keys.
        if flow {
            self.remove_flow(entries.iter().map(|(_, s)| s).collect(), &kept);
        } else {
            self.remove_block_entries(entries, &kept);
        }
        // Changed values.
        for (k, s) in entries {
            if let (Some(o), Some(n)) = (old.get(k), new.get(k)) {
                if fresh && !same(o, n) {
                    self.replace(s, n);
                } else {
                    self.value(o, s, n)?;
                }
            }
        }
        // New keys, after the kept key they follow in the new value.
        let groups =
            after_kept(
                new.iter()
                    .map(|(k, v)| match entries.iter().position(|(ek, _)| ek == k) {
                        Some(i) => Placed::Kept(i),
                        None => Placed::New((k, v)),
                    }),
            );
        let slots: Vec<&Slot> = entries.iter().map(|(_, s)| s).collect();
        for (anchor, list) in groups {
            if flow {
                let parts = list
                    .iter()
                    .map(|(k, v)| format!("{}: {}", key_text(k), flow_text(v)))
                    .collect();
                self.insert_flow(&slots, &kept, anchor, parts);
                continue;
            }
            let col = entries.first().map_or(0, |(_, s)| s.column);
            let mut t = String::new();
            for (k, v) in list {
                t.push_str(&" ".repeat(col));
                t.push_str(&entry_text(k, v, col, self.eol));
                t.push_str(self.eol);
            }
            match anchor {
                Some(i) => self.insert_after(&entries[i].1, t),
                None => {
                    let at = entries
                        .first()
                        .map_or(slot.value.start, |(_, s)| s.whole.start);
                    if line_start(self.text, at) != at {
                        // Before a key on a dash's line: the new keys take the dash's
                        // line, and the old first key goes on a line of its own.
                        t = format!("{}{}", t.trim_start_matches(' '), " ".repeat(col));
                    }
                    self.put(at..at, t);
                }
            }
        }
        Ok(())
    }

    /// Removes the entries of a block mapping that are not `kept`.
    fn remove_block_entries(&mut self, entries: &[(Value, Slot)], kept: &[bool]) {
        let mut i = 0;
        while i < entries.len() {
            let s = &entries[i].1;
            if kept[i] {
                i += 1;
            } else if line_start(self.text, s.whole.start) != s.whole.start {
                // On a dash's line: the next kept key moves up after the dash.
                let mut j = i;
                while j + 1 < entries.len() && !kept[j + 1] {
                    j += 1;
                }
                let end = match entries.get(j + 1) {
                    Some((_, next)) => next.whole.start + next_key_offset(self.text, next),
                    None => entries[j].1.whole.end,
                };
                self.put(s.whole.start..end, String::new());
                i = j + 1;
            } else {
                self.put(s.whole.clone(), String::new());
                i += 1;
            }
        }
    }

    /// New entries or items of a flow collection, written `parts`, after the kept one at
    /// `anchor` (`None`: before the first kept one).
    fn insert_flow(
        &mut self,
        slots: &[&Slot],
        kept: &[bool],
        anchor: Option<usize>,
        parts: Vec<String>,
    ) {
        match anchor {
            Some(i) => {
                // (An item's value starts at its marker: `after_marker` adds nothing.)
                let at = slots[i].value.end.max(slots[i].after_marker);
                self.put(at..at, format!(", {}", parts.join(", ")));
            }
            None => {
                let first = kept.iter().position(|k| *k).unwrap_or(0);
                let at = slots[first].whole.start;
                self.put(at..at, format!("{}, ", parts.join(", ")));
            }
        }
    }

    /// New entries or items of a block collection, their lines `t`, after the block
    /// entry at `slot`.
    fn insert_after(&mut self, slot: &Slot, mut t: String) {
        let at = slot.whole.end;
        if !self.text[..at].ends_with('\n') {
            t = format!("{}{}", self.eol, t.trim_end_matches(['\r', '\n']));
        }
        self.put(at..at, t);
    }

    /// Removes the entries or items of a flow collection that are not `kept`, each run
    /// of removed ones with the commas between them.
    fn remove_flow(&mut self, slots: Vec<&Slot>, kept: &[bool]) {
        let n = slots.len();
        let mut i = 0;
        while i < n {
            if kept[i] {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < n && !kept[j + 1] {
                j += 1;
            }
            let r = if j + 1 < n {
                slots[i].whole.start..slots[j + 1].whole.start
            } else if i > 0 {
                let prev = slots[i - 1];
                prev.value.end.max(prev.after_marker)..slots[j].whole.end
            } else {
                slots[i].whole.start..slots[j].whole.end
            };
            self.put(r, String::new());
            i = j + 1;
        }
    }

    /// The items' texts in the new `order` (the old index of each new item).
    fn reorder(&mut self, items: &[Slot], order: Vec<usize>) {
        for (i, from) in order.into_iter().enumerate() {
            if i != from {
                let t = self.text[items[from].value.clone()].to_string();
                self.put(items[i].value.clone(), t);
            }
        }
    }

    fn seq(
        &mut self,
        old: &[Value],
        new: &[Value],
        items: &[Slot],
        slot: &Slot,
    ) -> Result<(), String> {
        let flow = slot_is_flow(slot);
        // The same items in another order: their texts change places.
        if old.len() == new.len() {
            if let Some(order) = permutation(old, new) {
                self.reorder(items, order);
                return Ok(());
            }
        }
        // Which old item each new one continues: the longest run of equal items, and
        // between them old and new paired in order.
        let pairs = align(old, new);
        let mut kept = vec![false; old.len()];
        for (o, _) in pairs.iter().flatten() {
            kept[*o] = true;
        }
        if flow && !kept.iter().any(|k| *k) {
            self.put(
                slot.value.clone(),
                flow_text(&Value::Sequence(new.to_vec())),
            );
            return Ok(());
        }
        if flow {
            self.remove_flow(items.iter().collect(), &kept);
        } else {
            for (s, k) in items.iter().zip(&kept) {
                if !k {
                    self.put(s.whole.clone(), String::new());
                }
            }
        }
        for (o, n) in pairs.iter().flatten() {
            self.value(&old[*o], &items[*o], &new[*n])?;
        }
        // New items after the kept item before them.
        let paired: std::collections::HashMap<usize, usize> =
            pairs.iter().flatten().map(|(o, n)| (*n, *o)).collect();
        let groups = after_kept(new.iter().enumerate().map(|(j, v)| match paired.get(&j) {
            Some(o) => Placed::Kept(*o),
            None => Placed::New(v),
        }));
        let flow_items = items
            .iter()
            .any(|s| matches!(s.shape, Shape::Map { flow: true, .. }));
        let slots: Vec<&Slot> = items.iter().collect();
        for (anchor, list) in groups {
            if flow {
                let parts = list.iter().map(|v| flow_text(v)).collect();
                self.insert_flow(&slots, &kept, anchor, parts);
                continue;
            }
            let col = items.first().map_or(0, |s| s.column);
            let mut t = String::new();
            for v in list {
                t.push_str(&" ".repeat(col));
                t.push_str("- ");
                t.push_str(&item_text(v, col + 2, flow_items, self.eol));
                t.push_str(self.eol);
            }
            match anchor {
                Some(i) => self.insert_after(&items[i], t),
                None => {
                    let at = items.first().map_or(slot.value.start, |s| s.whole.start);
                    self.put(at..at, t);
                }
            }
        }
        Ok(())
    }
}

/// An entry of a collection's new value: one it had (its index among the old entries),
/// or a new one.
enum Placed<T> {
    Kept(usize),
    New(T),
}

/// The new entries grouped by the kept entry they follow (`None`: before the first),
/// in order.
fn after_kept<T>(all: impl Iterator<Item = Placed<T>>) -> Vec<(Option<usize>, Vec<T>)> {
    let mut anchor: Option<usize> = None;
    let mut groups: Vec<(Option<usize>, Vec<T>)> = Vec::new();
    for placed in all {
        match placed {
            Placed::Kept(i) => anchor = Some(i),
            Placed::New(v) => match groups.last_mut() {
                Some((a, list)) if *a == anchor => list.push(v),
                _ => groups.push((anchor, vec![v])),
            },
        }
    }
    groups
}

fn slot_is_flow(slot: &Slot) -> bool {
    matches!(
        slot.shape,
        Shape::Map { flow: true, .. } | Shape::Seq { flow: true, .. }
    )
}

/// For each position of `new`, the position in `old` of the equal item, when `new` is
/// `old` reordered.
fn permutation(old: &[Value], new: &[Value]) -> Option<Vec<usize>> {
    let mut used = vec![false; old.len()];
    let mut order = Vec::with_capacity(new.len());
    for n in new {
        let i = (0..old.len()).find(|&i| !used[i] && same(&old[i], n))?;
        used[i] = true;
        order.push(i);
    }
    Some(order)
}

/// Pairs of (old index, new index) that continue each other: the longest common run of
/// equal items, and between two of its items the old and new ones in order.
fn align(old: &[Value], new: &[Value]) -> Vec<Option<(usize, usize)>> {
    let (n, m) = (old.len(), new.len());
    // Longest common subsequence, by table (lists here are short: photos, blocks).
    let mut t = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if same(&old[i], &new[j]) {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let mut matches = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if same(&old[i], &new[j]) {
            matches.push((i, j));
            i += 1;
            j += 1;
        } else if t[i + 1][j] >= t[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    // Between matches, old and new items in order are the same item changed.
    let mut out = Vec::new();
    let (mut pi, mut pj) = (0, 0);
    for (mi, mj) in matches.into_iter().chain(std::iter::once((n, m))) {
        let gap = (mi - pi).min(mj - pj);
        for k in 0..gap {
            out.push(Some((pi + k, pj + k)));
        }
        if mi < n {
            out.push(Some((mi, mj)));
        }
        pi = mi + 1;
        pj = mj + 1;
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Block,
}

/// A scalar in `style` where it can be written so, else in the nearest style that can.
fn scalar_text(v: &Value, style: Style, in_flow: bool, indent: usize, eol: &str) -> String {
    let Value::String(s) = v else {
        return plain_non_string(v);
    };
    let multiline = s.contains('\n');
    match style {
        Style::Block if !in_flow && block_ok(s) => block_text(s, indent, eol),
        Style::Double => double(s),
        Style::Single if !multiline => single(s),
        Style::Plain | Style::Single | Style::Block => {
            if multiline && !in_flow && block_ok(s) {
                block_text(s, indent, eol)
            } else {
                fresh_scalar(s, in_flow)
            }
        }
    }
}

fn plain_non_string(v: &Value) -> String {
    match v {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => flow_text(other),
    }
}

/// A string written plain if that reads back as the same string, else quoted.
fn fresh_scalar(s: &str, in_flow: bool) -> String {
    if plain_ok(s, in_flow) {
        s.to_string()
    } else if !s.contains(['\'', '\n']) && !s.chars().any(char::is_control) {
        single(s)
    } else {
        double(s)
    }
}

fn single(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn double(s: &str) -> String {
    // JSON's escapes are YAML's double-quoted escapes.
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Whether `s` reads back as itself when written plain (after `key: `, or in `[…]`).
pub fn plain_ok(s: &str, in_flow: bool) -> bool {
    if s.is_empty()
        || s != s.trim()
        || s.contains(['\n', '\r', '\t'])
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        || (in_flow && s.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    let probe = if in_flow {
        format!("[{s}]")
    } else {
        format!("k: {s}")
    };
    match serde_yaml::from_str::<Value>(&probe) {
        Ok(Value::Sequence(v)) if in_flow => v.len() == 1 && v[0] == Value::String(s.into()),
        Ok(Value::Mapping(m)) => m.get("k") == Some(&Value::String(s.into())),
        _ => false,
    }
}

/// Whether a string can be a literal block (`|`): its first line does not start with a
/// space (that would need an indentation indicator) and it has no carriage return.
fn block_ok(s: &str) -> bool {
    !s.starts_with([' ', '\t']) && !s.contains('\r') && !s.trim().is_empty()
}

/// A literal block scalar, its lines at `indent`, keeping the trailing line breaks.
fn block_text(s: &str, indent: usize, eol: &str) -> String {
    let body = s.trim_end_matches('\n');
    let breaks = s.len() - body.len();
    let chomp = match breaks {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in body.split('\n') {
        out.push_str(eol);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    for _ in 1..breaks {
        out.push_str(eol);
    }
    out
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => fresh_scalar(s, true),
        other => plain_non_string(other),
    }
}

/// A value written in flow style: `{ a: 1, b: x }`, `[a, b]`.
fn flow_text(v: &Value) -> String {
    match v {
        Value::String(s) => {
            if s.contains('\n') {
                double(s)
            } else {
                fresh_scalar(s, true)
            }
        }
        Value::Mapping(m) if m.is_empty() => "{}".into(),
        Value::Mapping(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), flow_text(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Value::Sequence(s) => {
            let parts: Vec<String> = s.iter().map(flow_text).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Tagged(t) => flow_text(&t.value),
        other => plain_non_string(other),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Mapping(_) | Value::Sequence(_))
}

/// Short lists of scalars and small mappings read best on one line.
fn one_line(v: &Value) -> bool {
    match v {
        Value::Sequence(s) => {
            s.iter()
                .all(|i| is_scalar(i) && !matches!(i, Value::String(x) if x.contains('\n')))
                && flow_text(v).chars().count() <= 72
        }
        Value::Mapping(m) => {
            m.values()
                .all(|i| is_scalar(i) && !matches!(i, Value::String(x) if x.contains('\n')))
                && flow_text(v).chars().count() <= 96
        }
        _ => true,
    }
}

/// What follows `key:` for a value in a block mapping whose content is at `indent`: a
/// space and an inline value, or line breaks and lines.
fn block_value(v: &Value, indent: usize, eol: &str) -> String {
    match v {
        Value::Mapping(m) if m.is_empty() => " {}".into(),
        Value::Sequence(s) if s.is_empty() => " []".into(),
        Value::Sequence(s) if one_line(v) && s.iter().all(is_scalar) => {
            format!(" {}", flow_text(v))
        }
        Value::Mapping(m) => {
            let mut out = String::new();
            for (k, v) in m {
                out.push_str(eol);
                out.push_str(&" ".repeat(indent));
                out.push_str(&entry_text(k, v, indent, eol));
            }
            out
        }
        Value::Sequence(s) => {
            let flow_items = s
                .iter()
                .all(|i| matches!(i, Value::Mapping(_)) && one_line(i));
            let mut out = String::new();
            for item in s {
                out.push_str(eol);
                out.push_str(&" ".repeat(indent));
                out.push_str("- ");
                out.push_str(&item_text(item, indent + 2, flow_items, eol));
            }
            out
        }
        Value::String(s) if s.contains('\n') && block_ok(s) => {
            format!(" {}", block_text(s, indent, eol))
        }
        Value::String(s) => format!(" {}", fresh_scalar(s, false)),
        other => format!(" {}", plain_non_string(other)),
    }
}

/// `key: value` for a block mapping at column `indent` (without the indentation of the
/// first line and the line break at the end).
fn entry_text(k: &Value, v: &Value, indent: usize, eol: &str) -> String {
    format!("{}:{}", key_text(k), block_value(v, indent + 2, eol))
}

/// An item of a block sequence after its `- `, its content at column `indent`; a mapping
/// on one line when its neighbours are so written (`flow_items`).
fn item_text(v: &Value, indent: usize, flow_items: bool, eol: &str) -> String {
    match v {
        Value::Mapping(m) if !(m.is_empty() || flow_items && one_line(v)) => {
            let mut out = String::new();
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(eol);
                    out.push_str(&" ".repeat(indent));
                }
                out.push_str(&entry_text(k, v, indent, eol));
            }
            out
        }
        Value::Sequence(s) if !s.is_empty() && !one_line(v) => block_value(v, indent, eol)
            .trim_start_matches(['\r', '\n', ' '])
            .to_string(),
        Value::String(s) if s.contains('\n') && block_ok(s) => block_text(s, indent, eol),
        other => flow_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).unwrap()
    }

    /// `text` with its value changed to `new` (written as YAML).
    fn edit(text: &str, new: &str) -> String {
        let out = apply(text, &v(new)).unwrap_or_else(|e| panic!("{e}"));
        assert!(parses_to(&out, &v(new)), "{out}");
        out
    }

    const PAGE: &str = "title: 开展\"七一\"主题党日活动   # 标题\ndate: 2024-07-01\n\n# 标签\ntags: [主题党日, 微活动]\nsummary: '一句话：摘要'\n";

    #[test]
    fn an_unchanged_value_leaves_the_text_as_it_is() {
        let text = "a: 1   # one\n\n# two\nb: [x,  y]\n";
        assert_eq!(apply(text, &v("{a: 1.0, b: [x, y]}")).unwrap(), text);
    }

    #[test]
    fn a_changed_scalar_keeps_its_comment_and_the_other_lines() {
        let out = edit(
            PAGE,
            "{title: 新标题, date: 2024-07-01, tags: [主题党日, 微活动], summary: 一句话：摘要}",
        );
        assert_eq!(out, PAGE.replace("开展\"七一\"主题党日活动", "新标题"));
    }

    #[test]
    fn a_changed_scalar_keeps_its_quotes() {
        let out = edit(
            PAGE,
            "{title: x, date: 2024-07-01, tags: [主题党日, 微活动], summary: 新的摘要}",
        );
        assert!(out.ends_with("summary: '新的摘要'\n"), "{out}");
        let out = edit("a: \"x\"\n", "a: 'say \"hi\"'");
        assert_eq!(out, "a: \"say \\\"hi\\\"\"\n");
        let out = edit("a: 'x'\n", "a: \"it's\"");
        assert_eq!(out, "a: 'it''s'\n");
    }

    #[test]
    fn a_plain_scalar_is_quoted_only_when_it_must_be() {
        assert_eq!(edit("a: x\n", "a: 七一：主题"), "a: 七一：主题\n");
        assert_eq!(edit("a: x\n", "a: \"2024\""), "a: '2024'\n");
        assert_eq!(edit("a: x\n", "a: \"true\""), "a: 'true'\n");
        assert_eq!(edit("a: x\n", "a: 'a: b'"), "a: 'a: b'\n");
        assert_eq!(edit("a: x\n", "a: 'C # x'"), "a: 'C # x'\n");
        assert_eq!(edit("a: x\n", "a: 2024-07-01"), "a: 2024-07-01\n");
        assert_eq!(edit("a: [x]\n", "a: ['1,800']"), "a: ['1,800']\n");
        assert_eq!(edit("a: x\n", "a: 12"), "a: 12\n");
    }

    #[test]
    fn line_endings_and_blank_lines_are_kept() {
        let text = "title: 标题\r\n\r\n# c\r\ndate: 2024-07-01\r\n";
        let out = edit(text, "{title: 新, date: 2024-07-01, draft: true}");
        assert_eq!(
            out,
            "title: 新\r\n\r\n# c\r\ndate: 2024-07-01\r\ndraft: true\r\n"
        );
    }

    #[test]
    fn a_new_key_goes_after_its_neighbour() {
        let out = edit(PAGE, "{title: x, pillar: 微活动, date: 2024-07-01, tags: [主题党日, 微活动], summary: 一句话：摘要}");
        assert!(
            out.starts_with("title: x   # 标题\npillar: 微活动\ndate: 2024-07-01\n"),
            "{out}"
        );
        let out = edit("a: 1", "{a: 1, b: 2}");
        assert_eq!(out, "a: 1\nb: 2");
        let out = edit("a: 1\n", "{z: 0, a: 1}");
        assert_eq!(out, "z: 0\na: 1\n");
    }

    #[test]
    fn a_removed_key_takes_its_lines_and_leaves_the_comments() {
        let out = edit(
            PAGE,
            "{title: 开展\"七一\"主题党日活动, date: 2024-07-01, summary: 一句话：摘要}",
        );
        assert_eq!(out, PAGE.replace("tags: [主题党日, 微活动]\n", ""));
        let text = "a: 1\nphotos:\n  - file: a.jpg\n    caption: x\nb: 2\n";
        assert_eq!(edit(text, "{a: 1, b: 2}"), "a: 1\nb: 2\n");
    }

    #[test]
    fn flow_mappings_in_a_list_change_in_place() {
        let text = "stats:\n  - { label: 微党课, value: 96, unit: 期 }\n  - { label: 志愿服务时长, value: \"3,200\", unit: 小时 }\n";
        let out = edit(text, "stats: [{label: 微党课, value: 97, unit: 期, note: '新注: 释'}, {label: 志愿服务时长, value: '3,500', unit: 小时}]");
        assert_eq!(out, "stats:\n  - { label: 微党课, value: 97, unit: 期, note: 'new' }\n  - { label: 志愿服务时长, value: \"3,500\", unit: 小时 }\n".replace("'new'", "'新注: 释'"));
        let out = edit(
            text,
            "stats: [{label: 微党课, unit: 期}, {label: 志愿服务时长, value: '3,200', unit: 小时}]",
        );
        assert!(out.contains("- { label: 微党课, unit: 期 }"), "{out}");
        let out = edit(text, "stats: [{label: 微党课, value: 96}, {label: 志愿服务时长, value: '3,200', unit: 小时}]");
        assert!(out.contains("- { label: 微党课, value: 96 }"), "{out}");
        let out = edit(
            text,
            "stats: [{value: 96, unit: 期}, {label: 志愿服务时长, value: '3,200', unit: 小时}]",
        );
        assert!(out.contains("- { value: 96, unit: 期 }"), "{out}");
    }

    #[test]
    fn items_are_added_removed_and_reordered_with_their_text() {
        let text = "title: 七一\n# 照片顺序\nphotos:\n  - file: a.jpg\n    caption: 甲\n  - file: b.jpg  # 第二\n    caption: 乙\n  - { file: c.jpg, caption: 丙 }\nend: 1\n";
        let out = edit(text, "{title: 七一, photos: [{file: b.jpg, caption: 乙}, {file: c.jpg, caption: 丙}, {file: a.jpg, caption: 甲}], end: 1}");
        assert_eq!(out, "title: 七一\n# 照片顺序\nphotos:\n  - file: b.jpg  # 第二\n    caption: 乙\n  - { file: c.jpg, caption: 丙 }\n  - file: a.jpg\n    caption: 甲\nend: 1\n");
        let out = edit(text, "{title: 七一, photos: [{file: a.jpg, caption: 甲}, {file: c.jpg, caption: 丙}], end: 1}");
        assert_eq!(out, "title: 七一\n# 照片顺序\nphotos:\n  - file: a.jpg\n    caption: 甲\n  - { file: c.jpg, caption: 丙 }\nend: 1\n");
        let out = edit(text, "{title: 七一, photos: [{file: a.jpg, caption: 甲}, {file: b.jpg, caption: 乙}, {file: c.jpg, caption: 丙}, {file: d.heic, caption: 丁}], end: 1}");
        assert!(
            out.ends_with(
                "  - { file: c.jpg, caption: 丙 }\n  - { file: d.heic, caption: 丁 }\nend: 1\n"
            ),
            "{out}"
        );
        let out = edit(
            "photos:\n  - file: a.jpg\n    caption: 甲\n",
            "photos: [{file: a.jpg, caption: 甲}, {file: b.jpg, caption: 乙}]",
        );
        assert_eq!(
            out,
            "photos:\n  - file: a.jpg\n    caption: 甲\n  - file: b.jpg\n    caption: 乙\n"
        );
        let out = edit(text, "{title: 七一, photos: [{file: a.jpg, caption: 甲}, {file: b.jpg, caption: 新}, {file: c.jpg, caption: 丙}], end: 1}");
        assert!(
            out.contains("  - file: b.jpg  # 第二\n    caption: 新\n"),
            "{out}"
        );
        let out = edit(text, "{title: 七一, photos: [], end: 1}");
        assert_eq!(out, "title: 七一\n# 照片顺序\nphotos: []\nend: 1\n");
    }

    #[test]
    fn flow_lists_change_in_place() {
        assert_eq!(
            edit("tags: [a, b]\n", "tags: [a, b, 新标签]"),
            "tags: [a, b, 新标签]\n"
        );
        assert_eq!(edit("tags: [a, b]\n", "tags: [b]"), "tags: [b]\n");
        assert_eq!(edit("tags: [a, b, c]\n", "tags: [a]"), "tags: [a]\n");
        assert_eq!(edit("tags: [a, b]\n", "tags: [b, a]"), "tags: [b, a]\n");
        assert_eq!(
            edit("tags: [a, b]\n", "tags: [x, a, b]"),
            "tags: [x, a, b]\n"
        );
        assert_eq!(edit("tags: []\n", "tags: [x]"), "tags: [x]\n");
        assert_eq!(edit("tags: [a]\n", "tags: []"), "tags: []\n");
        assert_eq!(
            edit("tags:\n  - a\n", "tags: [a, b]"),
            "tags:\n  - a\n  - b\n"
        );
        assert_eq!(edit("tags: [a]\n", "tags: [b]"), "tags: [b]\n");
    }

    #[test]
    fn block_scalars_stay_blocks() {
        let text = "meaning: |\n  第一段。\n\n  第二段。\nstory: x\n";
        assert_eq!(
            edit(text, "{meaning: \"改了。\\n\\n两段。\\n\", story: x}"),
            "meaning: |\n  改了。\n\n  两段。\nstory: x\n"
        );
        assert_eq!(
            edit("a: x\nb: 1\n", "{a: \"一\\n二\", b: 1}"),
            "a: |-\n  一\n  二\nb: 1\n"
        );
        let text = "blocks:\n  - type: text\n    body: |\n      甲\n";
        assert_eq!(
            edit(text, "blocks: [{type: text, body: \"乙\\n\"}]"),
            "blocks:\n  - type: text\n    body: |\n      乙\n"
        );
    }

    #[test]
    fn a_value_that_changes_its_kind_is_written_afresh() {
        assert_eq!(
            edit("qr: true\nx: 1\n", "{qr: {url: /a/, label: 扫码}, x: 1}"),
            "qr:\n  url: /a/\n  label: 扫码\nx: 1\n"
        );
        assert_eq!(
            edit("qr: { url: /a/ }\nx: 1\n", "{qr: false, x: 1}"),
            "qr: false\nx: 1\n"
        );
        assert_eq!(edit("a:\nb: 1\n", "{a: 新, b: 1}"), "a: 新\nb: 1\n");
        assert_eq!(
            edit("a: 1\n", "{a: 1, b: {c: [x, y], d: {e: 1}}}"),
            "a: 1\nb:\n  c: [x, y]\n  d:\n    e: 1\n"
        );
    }

    #[test]
    fn new_items_follow_the_style_of_their_neighbours() {
        let text = "honors:\n  - { title: 甲, year: 2019 }\n";
        assert_eq!(
            edit(
                text,
                "honors: [{title: 甲, year: 2019}, {title: 新荣誉, year: 2026}]"
            ),
            "honors:\n  - { title: 甲, year: 2019 }\n  - { title: 新荣誉, year: 2026 }\n"
        );
        let text = "blocks:\n  - type: quote\n    text: 以微见著\n";
        assert_eq!(
            edit(text, "blocks: [{type: quote, text: 以微见著}, {type: stats, from: achievements}]"),
            "blocks:\n  - type: quote\n    text: 以微见著\n  - type: stats\n    from: achievements\n"
        );
    }

    #[test]
    fn the_first_key_of_a_list_item_goes_with_its_neighbour_moving_up() {
        let text = "slides:\n  - type: results\n    notes: |\n      讲稿\n  - type: closing\n";
        assert_eq!(
            edit(text, "slides: [{notes: \"讲稿\\n\"}, {type: closing}]"),
            "slides:\n  - notes: |\n      讲稿\n  - type: closing\n"
        );
        assert_eq!(
            edit(text, "slides: [{title: 新, type: results, notes: \"讲稿\\n\"}, {type: closing}]"),
            "slides:\n  - title: 新\n    type: results\n    notes: |\n      讲稿\n  - type: closing\n"
        );
        assert_eq!(
            edit(text, "slides: [{}, {type: closing}]"),
            "slides:\n  - {}\n  - type: closing\n"
        );
    }

    #[test]
    fn a_document_of_comments_gets_its_keys_after_them() {
        assert_eq!(edit("# 设置\n", "{seconds: 12}"), "# 设置\nseconds: 12\n");
        assert_eq!(edit("", "{seconds: 12}"), "seconds: 12\n");
    }

    #[test]
    fn a_page_changes_its_front_matter_and_body_only_where_they_changed() {
        let text =
            "---\ntitle: 旧标题   # 不要删这条注释\ndate: 2024-07-01\n---\n第一段。\n\n第二段。\n";
        let (front, body) = read_page(text).unwrap();
        assert_eq!(body, "第一段。\n\n第二段。\n");
        let mut front = front;
        front["title"] = Value::String("新标题".into());
        let out = apply_page(text, &front, "第一段。\n\n第二段。\n\n第三段。\n").unwrap();
        assert_eq!(
            out,
            "---\ntitle: 新标题   # 不要删这条注释\ndate: 2024-07-01\n---\n第一段。\n\n第二段。\n\n第三段。\n"
        );
        let crlf = text.replace('\n', "\r\n");
        let (front, body) = read_page(&crlf).unwrap();
        assert_eq!(apply_page(&crlf, &front, &body).unwrap(), crlf);
        assert_eq!(
            apply_page("正文\n", &v("title: 新"), "正文\n").unwrap(),
            "---\ntitle: 新\n---\n正文\n"
        );
    }

    #[test]
    fn invalid_text_is_refused() {
        assert!(matches!(
            apply("a: [\n", &v("a: 1")),
            Err(Refusal::Invalid(_))
        ));
    }

    /// Every file of the example site: random edits of its values are spliced in, read
    /// back as the value asked for, and leave the lines they did not touch.
    #[test]
    fn random_edits_of_the_example_site_read_back() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let mut files = Vec::new();
        for e in walkdir::WalkDir::new(&root) {
            let e = e.unwrap();
            let p = e.path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(std::fs::read_to_string(p).unwrap());
            } else if p.extension().is_some_and(|x| x == "md") {
                let t = std::fs::read_to_string(p).unwrap();
                if let Some((fm, _, _)) = crate::load::content::split_front_matter(&t) {
                    files.push(fm.to_string());
                }
            }
        }
        assert!(files.len() > 15);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        for text in &files {
            let old = parse_value(text).unwrap();
            for _ in 0..40 {
                let mut new = old.clone();
                mutate(&mut new, &mut next);
                let out = apply(text, &new).unwrap_or_else(|e| panic!("{e}\n{text}\n{new:?}"));
                assert!(parses_to(&out, &new), "{out}");
                // Untouched lines survive: at least the comment lines do.
                for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
                    assert!(out.contains(line), "comment {line:?} lost:\n{out}");
                }
            }
        }
    }

    /// One random change somewhere in `v`.
    fn mutate(v: &mut Value, next: &mut impl FnMut(usize) -> usize) {
        match v {
            Value::Mapping(m) if !m.is_empty() => {
                let i = next(m.len() + 1);
                if i == m.len() {
                    m.insert(
                        Value::String(format!("新键{}", next(100))),
                        Value::String("值: 新".into()),
                    );
                    return;
                }
                let key = m.keys().nth(i).unwrap().clone();
                if next(6) == 0 {
                    m.remove(&key);
                } else {
                    mutate(m.get_mut(&key).unwrap(), next);
                }
            }
            Value::Sequence(s) if !s.is_empty() => match next(5) {
                0 => {
                    let i = next(s.len());
                    s.remove(i);
                }
                1 => {
                    let i = next(s.len());
                    let item = s[i].clone();
                    s.insert(next(s.len() + 1), item);
                }
                2 => {
                    s.reverse();
                }
                _ => {
                    let i = next(s.len());
                    mutate(&mut s[i], next);
                }
            },
            Value::String(s) => {
                *s = match next(4) {
                    0 => format!("{s}改"),
                    1 => "2024".into(),
                    2 => format!("{s}\n第二行"),
                    _ => "引号\"和#号: 冒号".into(),
                }
            }
            Value::Number(_) => *v = Value::Number((next(1000) as u64).into()),
            Value::Bool(b) => *b = !*b,
            other => *other = Value::String("新".into()),
        }
    }
}
