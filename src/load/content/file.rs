//! One content file: read, its front matter split off and parsed into the page's or the
//! section's own keys (strictly: an unknown key is an error naming it).

use crate::cache::Stamp;
use crate::error::{Diagnostic, Diagnostics};
use crate::folder::SiteFolder;
use crate::yaml;
use serde::Deserialize;
use std::sync::Arc;

/// Characters of a plain-text summary made from the first paragraph.
pub(super) const SUMMARY_CHARS: usize = 120;

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    pub(super) title: String,
    #[serde(default)]
    pub(super) date: Option<String>,
    #[serde(default)]
    pub(super) summary: Option<String>,
    #[serde(default)]
    pub(super) author: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) pillar: Option<String>,
    #[serde(default)]
    pub(super) cover: Option<String>,
    #[serde(default)]
    pub(super) album: Option<String>,
    #[serde(default)]
    pub(super) video: Option<String>,
    #[serde(default)]
    pub(super) poster: Option<String>,
    #[serde(default)]
    pub(super) captions: Option<String>,
    #[serde(default)]
    pub(super) duration: Option<crate::yaml::Number>,
    #[serde(default)]
    pub(super) draft: bool,
    #[serde(default)]
    pub(super) slug: Option<String>,
    #[serde(default)]
    pub(super) weight: i64,
    #[serde(default)]
    pub(super) template: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionMatter {
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) sort_by: Option<SortKey>,
    #[serde(default)]
    pub(super) paginate_by: Option<usize>,
    #[serde(default)]
    pub(super) weight: i64,
    #[serde(default)]
    pub(super) template: Option<String>,
}

#[cfg_attr(test, derive(schemars::JsonSchema))]
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum SortKey {
    Date,
    Weight,
    Title,
}

/// A Markdown file read and split, with its front matter parsed.
#[derive(Clone)]
pub(crate) struct SourceFile<M> {
    pub(super) rel: String,
    /// The whole file, shared: parses are kept (`serve`) and cloned.
    pub(super) text: Arc<str>,
    /// Size and modification time when it was read: what tells it unchanged.
    pub(super) stamp: Option<crate::cache::Stamp>,
    pub(super) body_start: usize,
    /// Lines before the body.
    pub(super) body_line_offset: usize,
    pub(super) matter: M,
}

impl<M> SourceFile<M> {
    pub(super) fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

#[derive(Clone)]
pub(crate) enum Entry {
    /// Boxed: a page's front matter is the larger by far.
    Page(Box<SourceFile<FrontMatter>>),
    Section(SourceFile<SectionMatter>),
}

/// A file's parse: what it holds, and its problems. Kept by the serve cache.
pub(crate) struct Parse {
    pub(super) entry: Option<Entry>,
    pub(super) diags: Diagnostics,
}

pub(crate) type ParsedFile = Arc<Parse>;

/// The whole text of a parsed file and where its body starts.
pub(super) fn text_of(parsed: &Parse) -> Option<(Arc<str>, usize)> {
    match parsed.entry.as_ref()? {
        Entry::Page(f) => Some((f.text.clone(), f.body_start)),
        Entry::Section(f) => Some((f.text.clone(), f.body_start)),
    }
}

/// Parses content file `rel`; `stamp` is its size and time when the caller has them (from
/// listing the folder), so the file is not asked for them again.
pub(super) fn parse_file(folder: &SiteFolder, rel: &str, stamp: Option<Stamp>) -> ParsedFile {
    let mut diags = Diagnostics::new();
    let entry = parse_entry(folder, rel, stamp, &mut diags);
    Arc::new(Parse { entry, diags })
}

fn parse_entry(
    folder: &SiteFolder,
    rel: &str,
    stamp: Option<Stamp>,
    diags: &mut Diagnostics,
) -> Option<Entry> {
    let stamp = stamp.or_else(|| folder.stamp(rel));
    let size = stamp.map(|(size, _)| size);
    let text: Arc<str> = crate::load::read_text_sized(folder, rel, size, diags)?.into();
    let is_index = rel.ends_with("/_index.md") || rel == "content/_index.md";
    if rel == "content/_index.md" {
        diags.push(
            Diagnostic::warning(
                "content/_index.md is not used: the home page is made from site.yaml and brand.yaml",
                "content/_index.md 不会被使用：首页由 site.yaml 和 brand.yaml 生成",
            )
            .file(rel)
            .hint("put the text in brand.yaml (summary, story) or in content/about.md", "请把内容写进 brand.yaml（summary、story）或 content/about.md"),
        );
        return None;
    }
    let Some((yaml_text, body_start, body_line_offset)) = split_front_matter(&text) else {
        if is_index {
            // A section index may be plain Markdown.
            let file = SourceFile {
                rel: rel.to_string(),
                text,
                stamp,
                body_start: 0,
                body_line_offset: 0,
                matter: SectionMatter::default(),
            };
            return Some(Entry::Section(file));
        }
        diags.push(
            Diagnostic::error(
                "the page has no front matter",
                "页面缺少头部信息（front matter）",
            )
            .file(rel)
            .at(&text, 1, 1)
            .hint(
                "start the file with a block between two `---` lines holding at least `title: …`",
                "请在文件开头用两行 `---` 包住头部信息，至少写上 `title: …`",
            ),
        );
        return None;
    };
    let entry = if is_index {
        yaml::parse::<SectionMatter>(rel, yaml_text, &text, 1).map(|m| {
            Entry::Section(SourceFile {
                rel: rel.to_string(),
                text: text.clone(),
                stamp,
                body_start,
                body_line_offset,
                matter: m,
            })
        })
    } else {
        yaml::parse::<FrontMatter>(rel, yaml_text, &text, 1).map(|m| {
            Entry::Page(Box::new(SourceFile {
                rel: rel.to_string(),
                text: text.clone(),
                stamp,
                body_start,
                body_line_offset,
                matter: m,
            }))
        })
    };
    match entry {
        Ok(e) => Some(e),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Splits `---\nYAML\n---\nbody`: the YAML text, where the body starts (byte) and how
/// many lines come before it.
pub fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    let mut line = 1;
    while pos <= text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        line += 1;
        if text[pos..end].trim_end() == "---" {
            let body = (end + 1).min(text.len());
            return Some((&text[yaml_start..pos], body, line));
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

pub(super) fn strip_matter<M>(f: SourceFile<M>) -> SourceFile<()> {
    SourceFile {
        rel: f.rel,
        text: f.text,
        stamp: f.stamp,
        body_start: f.body_start,
        body_line_offset: f.body_line_offset,
        matter: (),
    }
}

/// The problems `build` finds in a page's or a section index's front matter on its own,
/// worded as `build` words them (for the editor's checks as one types): its YAML and keys,
/// and its date.
pub(crate) fn check_text(rel: &str, text: &str) -> Vec<Diagnostic> {
    let Some((yaml_text, _, _)) = split_front_matter(text) else {
        return Vec::new();
    };
    if rel.ends_with("/_index.md") {
        return yaml::parse::<SectionMatter>(rel, yaml_text, text, 1)
            .err()
            .into_iter()
            .collect();
    }
    match yaml::parse::<FrontMatter>(rel, yaml_text, text, 1) {
        Err(d) => vec![d],
        Ok(m) => m
            .date
            .as_deref()
            .and_then(|d| {
                crate::model::Date::parse(d)
                    .err()
                    .map(|e| super::date_error(rel, text, "date", d, e))
            })
            .into_iter()
            .collect(),
    }
}

/// The schema the loader reads FrontMatter by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn front_matter_schema() -> schemars::Schema {
    schemars::schema_for!(FrontMatter)
}

/// The schema the loader reads SectionMatter by, for the settings reference (`src/reference.rs`).
#[cfg(test)]
pub(crate) fn section_schema() -> schemars::Schema {
    schemars::schema_for!(SectionMatter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let t = "---\ntitle: a\n---\nbody\n";
        let (y, b, l) = split_front_matter(t).unwrap();
        assert_eq!(y, "title: a\n");
        assert_eq!(&t[b..], "body\n");
        assert_eq!(l, 3);
        assert!(split_front_matter("# no\n").is_none());
        assert!(split_front_matter("---\ntitle: a\n").is_none());
        let (_, b, _) = split_front_matter("---\r\ntitle: a\r\n---").unwrap();
        assert_eq!(b, 18);
    }
}
