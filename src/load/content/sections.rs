//! Sections (the folders directly under `content/`), and putting the site's pages in
//! order: newest first, each section's, tag's and pillar's list.

use super::file::{
    strip_matter, Entry, FrontMatter, ParsedFile, SectionMatter, SortKey, SourceFile,
};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Diagnostics};
use crate::model::{Page, Section, Site, SortBy, Tag};
use crate::slug::slugify;
use crate::urls::routes;
use crate::yaml;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A section found while gathering: its folder name, the section, its `_index.md`.
pub(super) type Found = (String, Section, Option<SourceFile<()>>);

/// Sorts parsed files into sections (by folder name) and pages; a folder of pages
/// without `_index.md` is a section too.
pub(super) fn gather(
    files: &[(String, super::Kept)],
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> (Vec<Found>, Vec<usize>) {
    let mut sections: BTreeMap<String, (Section, Option<SourceFile<()>>)> = BTreeMap::new();
    let mut raw_pages = Vec::new();
    for (i, (_, kept)) in files.iter().enumerate() {
        let parse = kept.parsed.as_ref().expect("parsed before gathering");
        diags.extend(parse.diags.iter().cloned());
        match &parse.entry {
            Some(Entry::Page(_)) => raw_pages.push(i),
            Some(Entry::Section(s)) => {
                let s = s.clone();
                let parts: Vec<&str> = s.rel.split('/').collect();
                if parts.len() != 3 {
                    diags.push(nested_index(&s.rel));
                    continue;
                }
                let section = new_section(parts[1], Some(&s), config, diags);
                sections.insert(parts[1].to_string(), (section, Some(strip_matter(s))));
            }
            None => {}
        }
    }
    for &i in &raw_pages {
        let p = files[i].1.parsed.as_ref().expect("parsed");
        let parts: Vec<&str> = page_file(p).rel.split('/').collect();
        if parts.len() > 2 && !sections.contains_key(parts[1]) {
            let s = new_section(parts[1], None, config, diags);
            sections.insert(parts[1].to_string(), (s, None));
        }
    }
    let sections = sections
        .into_iter()
        .map(|(name, (s, f))| (name, s, f))
        .collect();
    (sections, raw_pages)
}

/// The page file a parse holds (`gather` keeps only pages in its page list).
pub(super) fn page_file(parsed: &ParsedFile) -> &SourceFile<FrontMatter> {
    match &parsed.entry {
        Some(Entry::Page(p)) => p,
        _ => unreachable!("only pages are listed as pages"),
    }
}

fn nested_index(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        format!("{rel} is ignored: only the folders directly under content/ are sections"),
        format!("{rel} 未被使用：只有 content/ 下的第一级目录才是栏目"),
    )
    .file(rel)
    .hint(
        "move the pages up into the section folder, or make this folder a section of its own under content/",
        "请把页面移到栏目目录中，或把该目录移到 content/ 下作为独立栏目",
    )
}

fn new_section(
    name: &str,
    index: Option<&SourceFile<SectionMatter>>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Section {
    let default = SectionMatter::default();
    let m = index.map(|f| &f.matter).unwrap_or(&default);
    let slug = slugify(name, config.slugs);
    if let (Some(0), Some(f)) = (m.paginate_by, index) {
        diags.push(
            Diagnostic::error("paginate_by must be at least 1", "paginate_by 至少为 1")
                .file(f.rel.clone())
                .at_opt(&f.text, yaml::find_key(&f.text, "paginate_by", 1))
                .hint("e.g. paginate_by: 20", "例如 paginate_by: 20"),
        );
    }
    Section {
        dir: format!("content/{name}"),
        index_file: index.map(|f| f.rel.clone()),
        path: format!("/{slug}/"),
        slug,
        title: m.title.clone().unwrap_or_else(|| name.to_string()),
        description: m.description.clone(),
        content: String::new(),
        sort_by: match m.sort_by {
            None | Some(SortKey::Date) => SortBy::Date,
            Some(SortKey::Weight) => SortBy::Weight,
            Some(SortKey::Title) => SortBy::Title,
        },
        paginate_by: m
            .paginate_by
            .filter(|&n| n > 0)
            .unwrap_or(config.paginate_by),
        weight: m.weight,
        template: m.template.clone(),
        pages: Vec::new(),
    }
}

/// Orders the pages (newest first; undated after, by weight then title) and the
/// sections (by weight), and lists each section's, tag's and pillar's pages.
pub(super) fn index(site: &mut Site, mut pages: Vec<Arc<Page>>, mut sections: Vec<Section>) {
    pages.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.weight.cmp(&b.weight))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.source.cmp(&b.source))
    });
    for (i, p) in pages.iter().enumerate() {
        if let Some(s) = p.section {
            sections[s].pages.push(i);
        }
    }
    for s in &mut sections {
        match s.sort_by {
            SortBy::Date => {}
            SortBy::Weight => s.pages.sort_by(|&a, &b| {
                pages[a]
                    .weight
                    .cmp(&pages[b].weight)
                    .then_with(|| pages[a].title.cmp(&pages[b].title))
            }),
            SortBy::Title => s
                .pages
                .sort_by(|&a, &b| pages[a].title.cmp(&pages[b].title)),
        }
    }
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        for (t, slug) in p.tags.iter().zip(&p.tag_slugs) {
            match tags.get_mut(slug) {
                Some(tag) => tag.pages.push(i),
                None => {
                    tags.insert(
                        slug.clone(),
                        Tag {
                            name: t.clone(),
                            path: routes::tag(slug),
                            slug: slug.clone(),
                            pages: vec![i],
                        },
                    );
                }
            }
        }
        if let (Some(pi), Some(brand)) = (p.pillar, site.brand.as_mut()) {
            if let Some(pillar) = brand.pillars.get_mut(pi) {
                pillar.pages.push(i);
            }
        }
    }
    // Sections were found in folder order; pages name them by that order until now.
    let folder_order: Vec<String> = sections.iter().map(|s| s.dir.clone()).collect();
    sections.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.dir.cmp(&b.dir)));
    let order: FxHashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.as_str(), i))
        .collect();
    for p in &mut pages {
        if let Some(s) = p.section {
            let moved = order[folder_order[s].as_str()];
            if moved != s {
                Arc::make_mut(p).section = Some(moved);
            }
        }
    }
    site.pages = pages;
    site.sections = sections;
    site.tags = tags.into_values().collect();
}
