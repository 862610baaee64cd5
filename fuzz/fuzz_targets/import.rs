//! `zhanting import`: a .docx, a saved WeChat article (.html with its pictures, or one
//! .mhtml) through the readers to the page that would be written (nothing is written),
//! into a section of the basic fixture site. The first byte chooses: the rest as the
//! bytes of a file (a .docx, an .html, an .mhtml, an old .doc), or as an `arbitrary`
//! description of a .docx or an article (`zhanting_fuzz::import`).
//!
//! Besides not panicking: every error names the file; the page's files stay in its new
//! folder under the section; its front matter reads back as the title and date the
//! import reports; and the page is one `build` loads without an error.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use zhanting::convert::doc::Day;
use zhanting::import::{Source, Target};
use zhanting_fuzz::import::{saved_files, Docx, WeChat};
use zhanting_fuzz::{choose, clean, repo, Scratch};

struct World {
    _site: Scratch,
    target: Target,
    saved: BTreeMap<String, Vec<u8>>,
    pictures: Vec<Vec<u8>>,
}

static WORLD: OnceLock<World> = OnceLock::new();

fn world() -> &'static World {
    WORLD.get_or_init(|| {
        let site = Scratch::fixture("import", "basic");
        let target = Target::open(&site.root, Some("news")).expect("the fixture's section");
        let saved = saved_files(&repo().join("tests/fixtures/import"));
        let pictures = saved.values().cloned().collect();
        World {
            _site: site,
            target,
            saved,
            pictures,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    let Some((mode, rest)) = choose(data) else {
        return;
    };
    let none = BTreeMap::new;
    let (name, bytes, files) = match mode % 8 {
        0 => ("报告.docx", rest.to_vec(), none()),
        1 => ("公众号文章.html", rest.to_vec(), w.saved.clone()),
        2 => ("公众号文章.mhtml", rest.to_vec(), none()),
        3 => ("旧文档.doc", rest.to_vec(), none()),
        4..=5 => {
            let Ok(d) = Docx::arbitrary_take_rest(Unstructured::new(rest)) else {
                return;
            };
            ("报告.docx", d.zip(&w.pictures), none())
        }
        _ => {
            let Ok(a) = WeChat::arbitrary_take_rest(Unstructured::new(rest)) else {
                return;
            };
            ("公众号文章.html", a.html().into_bytes(), w.saved.clone())
        }
    };
    let source = Source::from_bytes(name, bytes, files).expect("a kind import reads");
    let today = Day {
        year: 2025,
        month: 7,
        day: 1,
    };
    let import = match w.target.prepare(&source, today) {
        Ok(i) => i,
        Err(diags) => {
            assert!(!diags.is_empty());
            clean(&diags);
            return;
        }
    };
    clean(&import.findings);
    clean(&import.notes);

    // Its files are in its own new folder of the section.
    assert!(
        import.folder.starts_with("content/news/"),
        "{}",
        import.folder
    );
    let slug = &import.folder["content/news/".len()..];
    assert!(
        !slug.is_empty() && !slug.contains(['/', '\\']) && slug != "." && slug != "..",
        "slug {slug:?}"
    );
    assert_eq!(import.page, format!("{}/index.md", import.folder));
    assert_eq!(import.files.last().map(|f| &f.rel), Some(&import.page));
    let mut names = std::collections::BTreeSet::new();
    for f in &import.files {
        let name = f.rel.strip_prefix(&format!("{}/", import.folder));
        assert!(
            name.is_some_and(|n| !n.contains('/') && names.insert(n.to_string())),
            "{} outside {} or twice",
            f.rel,
            import.folder
        );
    }

    // The front matter reads back as what the import reports.
    let text = &import.text;
    let (yaml, _, _) = zhanting::load::content::split_front_matter(text)
        .unwrap_or_else(|| panic!("no front matter in\n{text}"));
    let front: serde_yaml::Value =
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e} in\n{yaml}"));
    let shown = zhanting::convert::markdown::one_line(&import.title);
    assert_eq!(
        front["title"].as_str(),
        Some(shown.as_str()),
        "the title in\n{yaml}"
    );
    assert_eq!(
        front["date"].as_str(),
        Some(import.date.to_string().as_str()),
        "the date in\n{yaml}"
    );
    if let Some(cover) = &import.cover {
        assert_eq!(front["cover"].as_str(), Some(cover.as_str()));
    }

    // The page is one the build loads.
    let problems = zhanting::edit::check_text(&import.page, text);
    let errors: Vec<_> = problems.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the imported page does not load:\n{errors:?}\n{text}"
    );
});
