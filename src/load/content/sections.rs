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
        // `content/SECTION/…/NAME.md`: a page of a section.
        let mut parts = page_file(p).rel.splitn(3, '/');
        let (_, folder, rest) = (parts.next(), parts.next(), parts.next());
        if let (Some(name), Some(_)) = (folder, rest) {
            if !sections.contains_key(name) {
                let s = new_section(name, None, config, diags);
                sections.insert(name.to_string(), (s, None));
            }
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

/// What [`index`] made of a load's pages, for the next load to reuse when only pages'
/// contents changed (`serve`).
pub(crate) struct LastIndex {
    /// The pages and sections as [`index`] got them (pages in file order).
    pages_in: Vec<Arc<Page>>,
    sections_in: Vec<Section>,
    pillar_count: usize,
    /// What it made.
    pages: Vec<Arc<Page>>,
    sections: Vec<Section>,
    tags: Vec<Tag>,
    pillar_pages: Vec<Vec<usize>>,
}

/// Whether `b` has the place of `a` in every list: the fields that order and list
/// pages, the title aside (see [`title_moves`]).
fn same_place(a: &Page, b: &Page) -> bool {
    a.source == b.source
        && a.date == b.date
        && a.weight == b.weight
        && a.section == b.section
        && a.tag_slugs == b.tag_slugs
        && a.tags == b.tags
        && a.pillar == b.pillar
}

/// Whether a new title could move page `old` (now `new`) in a list: titles order pages
/// of equal date and weight, and sections sorted by weight or title.
fn title_moves(old: &Page, new: &Page, sorted: &[Arc<Page>], sections: &[Section]) -> bool {
    if old.title == new.title {
        return false;
    }
    if new
        .section
        .is_some_and(|s| sections.get(s).is_none_or(|s| s.sort_by != SortBy::Date))
    {
        return true;
    }
    let Some(at) = sorted.iter().position(|p| p.source == old.source) else {
        return true;
    };
    let tie = |p: &Arc<Page>| p.date == old.date && p.weight == old.weight;
    at.checked_sub(1).is_some_and(|i| tie(&sorted[i])) || sorted.get(at + 1).is_some_and(tie)
}

/// Puts the pages in order and makes the lists, as [`index`] does — reusing `last` when
/// every page has the place it had there (only contents changed), which visits only
/// the pages that changed. Keeps what it made in `last`.
pub(super) fn index_again(
    last: &mut Option<LastIndex>,
    site: &mut Site,
    pages: Vec<Arc<Page>>,
    sections: Vec<Section>,
) {
    let pillar_count = site.brand.as_ref().map_or(0, |b| b.pillars.len());
    let reusable = last.as_ref().filter(|l| {
        l.pages_in.len() == pages.len()
            && l.sections_in == sections
            && l.pillar_count == pillar_count
            && l.pages_in.iter().zip(&pages).all(|(a, b)| {
                Arc::ptr_eq(a, b)
                    || (same_place(a, b) && !title_moves(a, b, &l.pages, &l.sections_in))
            })
    });
    if let Some(l) = reusable {
        // The pages that changed, by source (unique, and the same in `l.pages`).
        let moved: FxHashMap<&str, &Arc<Page>> = l
            .pages_in
            .iter()
            .zip(&pages)
            .filter(|(a, b)| !Arc::ptr_eq(a, b))
            .map(|(_, b)| (&*b.source, b))
            .collect();
        // Sections are listed by weight, pages name them in folder order until index().
        let order: Vec<usize> = l
            .sections_in
            .iter()
            .map(|s| l.sections.iter().position(|o| o.dir == s.dir).unwrap_or(0))
            .collect();
        site.pages = l
            .pages
            .iter()
            .map(
                |p| match moved.get(&*p.source).filter(|_| !moved.is_empty()) {
                    None => p.clone(),
                    Some(new) => {
                        let mut new = (*new).clone();
                        if let Some(s) = new.section.filter(|&s| order[s] != s) {
                            Arc::make_mut(&mut new).section = Some(order[s]);
                        }
                        new
                    }
                },
            )
            .collect();
        site.sections = l.sections.clone();
        site.tags = l.tags.clone();
        if let Some(brand) = site.brand.as_mut() {
            for (p, list) in brand.pillars.iter_mut().zip(&l.pillar_pages) {
                p.pages = list.clone();
            }
        }
    } else {
        index(site, pages.clone(), sections.clone());
    }
    *last = Some(LastIndex {
        pages_in: pages,
        sections_in: sections,
        pillar_count,
        pages: site.pages.clone(),
        sections: site.sections.clone(),
        tags: site.tags.clone(),
        pillar_pages: site
            .brand
            .as_ref()
            .map(|b| b.pillars.iter().map(|p| p.pages.clone()).collect())
            .unwrap_or_default(),
    });
}

/// Orders the pages (newest first; undated after, by weight then title) and the
/// sections (by weight), and lists each section's, tag's and pillar's pages.
pub(super) fn index(site: &mut Site, pages: Vec<Arc<Page>>, mut sections: Vec<Section>) {
    let t = std::time::Instant::now();
    let mut pages = newest_first(pages);
    crate::timing::timing("      sort", t);
    list_sections(&mut sections, &pages);
    crate::timing::timing("      lists", t);
    let tags = tags_and_pillars(site, &pages);
    crate::timing::timing("      tags", t);
    by_weight(&mut sections, &mut pages);
    site.pages = pages;
    site.sections = sections;
    site.tags = tags;
}

/// The pages newest first; undated after, by weight then title.
fn newest_first(pages: Vec<Arc<Page>>) -> Vec<Arc<Page>> {
    // Sorted by a compact key (one visit of each page), titles compared only on ties.
    let keys: Vec<(std::cmp::Reverse<Option<i64>>, i64)> = pages
        .iter()
        .map(|p| {
            (
                std::cmp::Reverse(p.date.map(|d| d.at.timestamp())),
                p.weight,
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| {
        (keys[a].cmp(&keys[b]))
            .then_with(|| pages[a].date.cmp(&pages[b].date).reverse())
            .then_with(|| pages[a].title.cmp(&pages[b].title))
            .then_with(|| pages[a].source.cmp(&pages[b].source))
    });
    order.into_iter().map(|i| pages[i].clone()).collect()
}

/// Each section's pages, in the order it asks for.
fn list_sections(sections: &mut [Section], pages: &[Arc<Page>]) {
    for (i, p) in pages.iter().enumerate() {
        if let Some(s) = p.section {
            sections[s].pages.push(i);
        }
    }
    for s in sections.iter_mut() {
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
}

/// The tags, each with its pages, by slug; and each pillar's pages.
fn tags_and_pillars(site: &mut Site, pages: &[Arc<Page>]) -> Vec<Tag> {
    // Tags found by slug in a hash map, then listed by slug once at the end.
    let mut tags: Vec<Tag> = Vec::new();
    let mut tag_at: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, p) in pages.iter().enumerate() {
        for (t, slug) in p.tags.iter().zip(&p.tag_slugs) {
            match tag_at.get(slug.as_str()) {
                Some(&at) => tags[at].pages.push(i),
                None => {
                    tag_at.insert(slug, tags.len());
                    tags.push(Tag {
                        name: t.clone(),
                        path: routes::tag(slug),
                        slug: slug.clone(),
                        pages: vec![i],
                    });
                }
            }
        }
        if let (Some(pi), Some(brand)) = (p.pillar, site.brand.as_mut()) {
            if let Some(pillar) = brand.pillars.get_mut(pi) {
                pillar.pages.push(i);
            }
        }
    }
    drop(tag_at);
    tags.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    tags
}

/// The sections by weight: pages, which named them by folder order until now, name
/// them by their new places.
fn by_weight(sections: &mut [Section], pages: &mut [Arc<Page>]) {
    let folder_order: Vec<String> = sections.iter().map(|s| s.dir.clone()).collect();
    sections.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.dir.cmp(&b.dir)));
    let order: FxHashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.dir.as_str(), i))
        .collect();
    for p in pages.iter_mut() {
        if let Some(s) = p.section {
            let moved = order[folder_order[s].as_str()];
            if moved != s {
                Arc::make_mut(p).section = Some(moved);
            }
        }
    }
}
