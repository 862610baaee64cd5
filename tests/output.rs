//! The output funnel: write-if-changed, stale removal, and never touching folders or
//! files zhanting did not make.

mod common;

use common::SiteTest;

#[test]
fn unchanged_files_are_not_rewritten() {
    let t = SiteTest::from_fixture("basic");
    let first = t.build(&[]);
    first.ok();
    let before = SiteTest::snapshot(&t.out_dir());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = t.build(&[]);
    assert!(second.stdout.contains("(0 written,"), "{}", second.stdout);
    assert_eq!(
        SiteTest::snapshot(&t.out_dir()),
        before,
        "bytes and modification times unchanged"
    );
    // One page edited: only the outputs that show it change.
    t.edit(
        "content/lectures/zero.md",
        "第零课正文。",
        "第零课正文，改过了。",
    );
    t.build(&[]).ok();
    let after = SiteTest::snapshot(&t.out_dir());
    let changed: Vec<&String> = after.keys().filter(|k| after[*k] != before[*k]).collect();
    assert!(changed
        .iter()
        .any(|k| k.ends_with("lectures/zero/index.html")));
    assert!(
        !changed
            .iter()
            .any(|k| k.ends_with("news/second/index.html")),
        "{changed:?}"
    );
}

#[test]
fn stale_files_are_removed_and_foreign_files_kept() {
    let t = SiteTest::from_fixture("basic");
    t.build(&[]).ok();
    std::fs::write(t.out_dir().join("keep-me.txt"), "the host's file").unwrap();
    t.remove("content/news/third.md");
    t.remove("static/hello.txt");
    let run = t.build(&[]);
    run.ok();
    assert!(!t.out_exists("news/third/index.html"));
    assert!(!t.out_exists("news/third"), "emptied folder removed");
    assert!(!t.out_exists("hello.txt"));
    assert!(
        !t.out_exists("news/page/2/index.html"),
        "two pages left: one list page"
    );
    assert_eq!(
        t.out("keep-me.txt"),
        "the host's file",
        "a file zhanting did not write is kept"
    );
    assert!(run.stdout.contains("removed"));
}

#[test]
fn refuses_a_non_empty_folder_it_did_not_make() {
    let t = SiteTest::from_fixture("basic");
    let other = t.root.join("mine");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("thesis.docx"), "precious").unwrap();
    let run = t.build(&["-o", "mine"]);
    run.failed();
    assert!(
        run.stderr
            .contains("is not empty and was not made by zhanting"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
    // An empty folder is fine.
    std::fs::create_dir_all(t.root.join("empty")).unwrap();
    t.build(&["-o", "empty"]).ok();
    assert!(t.root.join("empty/index.html").is_file());
}

#[test]
fn refuses_the_site_folder_or_a_source_folder_as_output() {
    let t = SiteTest::from_fixture("basic");
    for out in ["site", ".", "site/content/out", "site/static"] {
        let run = t.build(&["-o", out]);
        run.failed();
        assert!(
            run.stderr.contains("output folder"),
            "{out}: {}",
            run.stderr
        );
    }
    assert!(t.site.join("content/news/third.md").is_file());
}
