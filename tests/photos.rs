//! The image pipeline over real files made for the tests (`scripts/make-image-fixtures.py`):
//! orientation, CMYK, grayscale, 16-bit, alpha, WebP input, names with spaces, metadata
//! stripping, the cache, and broken files.

mod common;

use common::SiteTest;
use std::path::Path;
use zhanting::model::Picture;
use zhanting::BuildOptions;

const RED: [u8; 3] = [220, 20, 20];

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40)
}

fn pictures(t: &SiteTest) -> std::collections::BTreeMap<String, Picture> {
    let (site, _, _) = zhanting::load_site(&t.site, &BuildOptions::default(), true).unwrap();
    site.media.pictures
}

fn decode(out: &Path, site_path: &str) -> image::DynamicImage {
    image::open(out.join(site_path.trim_start_matches('/'))).unwrap()
}

fn rgb(img: &image::DynamicImage, x: u32, y: u32) -> [u8; 3] {
    let p = img.to_rgb8().get_pixel(x, y).0;
    [p[0], p[1], p[2]]
}

#[test]
fn photos_come_out_upright_right_coloured_and_without_metadata() {
    let t = SiteTest::from_fixture("photos");
    let first = t.build(&[]);
    first.ok();
    assert!(
        first
            .stdout
            .contains("Images: 17 processed, 0 from the cache"),
        "{}",
        first.stdout
    );
    let pics = pictures(&t);
    let out = t.out_dir();

    // EXIF orientations 1–8: size after rotation, and where the red corner ends up.
    for (o, (w, h), corner) in [
        (1, (40, 20), "tl"),
        (2, (40, 20), "tr"),
        (3, (40, 20), "br"),
        (4, (40, 20), "bl"),
        (5, (20, 40), "tl"),
        (6, (20, 40), "tr"),
        (7, (20, 40), "br"),
        (8, (20, 40), "bl"),
    ] {
        let p = &pics[&format!("albums/mixed/orient-{o}.jpg")];
        assert_eq!((p.width, p.height), (w, h), "orientation {o}");
        let img = decode(&out, &p.largest().fallback);
        assert_eq!((img.width(), img.height()), (w, h));
        let (x, y) = match corner {
            "tl" => (1, 1),
            "tr" => (w - 2, 1),
            "br" => (w - 2, h - 2),
            _ => (1, h - 2),
        };
        assert!(
            close(rgb(&img, x, y), RED),
            "orientation {o}: {corner} is {:?}",
            rgb(&img, x, y)
        );
        assert!(
            !close(rgb(&img, w / 2, h / 2), RED),
            "orientation {o}: the middle is not red"
        );
    }

    let cmyk = decode(&out, &pics["albums/mixed/cmyk.jpg"].largest().fallback);
    assert!(
        close(rgb(&cmyk, 5, 5), [237, 28, 36]) || close(rgb(&cmyk, 5, 5), RED),
        "CMYK red stays red, not inverted: {:?}",
        rgb(&cmyk, 5, 5)
    );
    let gray = decode(&out, &pics["albums/mixed/gray.jpg"].largest().fallback);
    assert!(close(rgb(&gray, 5, 5), [128, 128, 128]));
    let deep = decode(&out, &pics["albums/mixed/deep16.png"].largest().fallback);
    assert!(
        close(rgb(&deep, 5, 5), [156, 156, 156]),
        "16-bit PNG: {:?}",
        rgb(&deep, 5, 5)
    );
    let webp_in = decode(&out, &pics["albums/mixed/input.webp"].largest().fallback);
    assert!(close(rgb(&webp_in, 5, 5), [30, 60, 200]));

    // Transparency survives: PNG and WebP, never JPEG.
    let alpha = &pics["albums/mixed/alpha.png"];
    assert!(alpha.largest().fallback.ends_with(".png"));
    let a = decode(&out, &alpha.largest().fallback).to_rgba8();
    assert_eq!(a.get_pixel(25, 10).0[3], 0, "transparent stays transparent");
    assert_eq!(a.get_pixel(3, 10).0[3], 255);
    let w = decode(&out, alpha.largest().webp.as_ref().unwrap()).to_rgba8();
    assert_eq!(w.get_pixel(25, 10).0[3], 0, "WebP keeps alpha");

    // Widths: never upscaled; the Chinese name with a space gets a safe URL.
    let big = &pics["albums/mixed/七一 合影.jpg"];
    let widths: Vec<u32> = big.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, vec![480, 960, 1200]);
    assert_eq!((big.variants[0].width, big.variants[0].height), (480, 320));
    let album = t.out("photos/mixed/index.html");
    for srcset in regex::Regex::new(r#"srcset="([^"]*)""#)
        .unwrap()
        .captures_iter(&album)
    {
        for item in srcset[1].split(", ") {
            assert_eq!(item.split(' ').count(), 2, "srcset item {item:?}");
        }
    }
    assert!(
        album.contains(r#"alt="全体合影""#) && album.contains(r#"alt="各种照片（第 2 张）""#),
        "captions, and a sensible alt without one"
    );
    assert!(
        album.find("全体合影").unwrap() < album.find("第 2 张").unwrap(),
        "listed photos first"
    );
    assert!(
        album.contains("width=\"1200\" height=\"800\""),
        "no layout shift: width and height"
    );
    assert!(
        t.out("news/a/index.html").contains("class=\"gallery\""),
        "a page with album: shows its photos"
    );
    let page = t.out("news/a/index.html");
    assert!(
        regex::Regex::new(r"<title>[^<]*</title>")
            .unwrap()
            .is_match(&page),
        "nothing but text in the title"
    );
    assert_eq!(page.matches("lightbox.js").count(), 1);

    // No metadata in any published image, no original published.
    for e in std::fs::read_dir(out.join("media/img")).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "EXIF (and GPS) stripped"
        );
    }
    assert!(!out.join("media/albums").exists());

    // A second build decodes and encodes nothing.
    let second = t.build(&[]);
    assert!(
        second
            .stdout
            .contains("Images: 0 processed, 17 from the cache"),
        "{}",
        second.stdout
    );
    assert!(second.stdout.contains("(0 written,"), "{}", second.stdout);

    // Cache entries no build uses are pruned.
    let cache = t.site.join(".zhanting-cache/images");
    let count = || std::fs::read_dir(&cache).unwrap().count();
    let before = count();
    std::fs::remove_file(t.site.join("albums/mixed/gray.jpg")).unwrap();
    t.build(&[]).ok();
    assert_eq!(count(), before - 2, "its JPEG and WebP are gone");
}

/// Photos with an embedded Adobe RGB (camera) or Display P3 (phone) profile come out in
/// sRGB: every rendition's centre pixel within 3 of what Little CMS computes.
#[test]
fn colour_profiles_are_converted_to_srgb() {
    let t = SiteTest::from_fixture("photos");
    t.build(&[]).ok();
    let pics = pictures(&t);
    let out = t.out_dir();
    // Little CMS 2.19 through Pillow: ImageCms.profileToProfile(img, profile,
    // ImageCms.createProfile("sRGB"), renderingIntent=1) with tests/fixtures/icc.
    // Read as sRGB without conversion, the files would give (60,180,75) and (200,40,40).
    for (file, want) in [
        ("adobe-rgb.jpg", [0, 181, 64]),
        ("display-p3.jpg", [218, 0, 26]),
    ] {
        let p = &pics[&format!("albums/colour/{file}")];
        for v in &p.variants {
            for path in [Some(&v.fallback), v.webp.as_ref()].into_iter().flatten() {
                let img = decode(&out, path);
                let got = rgb(&img, img.width() / 2, img.height() / 2);
                assert!(
                    got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 3),
                    "{file} → {path}: {got:?}, want {want:?}"
                );
            }
        }
    }
}

#[test]
fn photos_archive_groups_albums_by_year() {
    let t = SiteTest::from_fixture("photos");
    t.file("albums/old/album.yaml", "title: 旧相册\ndate: 2019-05-04\n");
    std::fs::copy(
        t.site.join("albums/mixed/gray.jpg"),
        t.site.join("albums/old/a.jpg"),
    )
    .unwrap();
    t.build(&[]).ok();
    let archive = t.out("photos/index.html");
    assert!(
        archive.find("2024").unwrap() < archive.find("2019").unwrap(),
        "newest year first"
    );
    assert!(
        archive.contains("各种照片") && archive.contains("旧相册") && archive.contains("15 张照片")
    );
    assert!(
        t.out("index.html").contains("photos/mixed/"),
        "the home page shows albums"
    );
}

#[test]
fn broken_images_are_errors_naming_the_file() {
    let t = SiteTest::from_fixture("photos");
    let run = t.rebuild_fails(|t| {
        let good = std::fs::read(t.site.join("albums/mixed/progressive.jpg")).unwrap();
        std::fs::write(
            t.site.join("albums/mixed/truncated.jpg"),
            &good[..good.len() / 2],
        )
        .unwrap();
    });
    assert!(
        run.stderr
            .contains("cannot process image albums/mixed/truncated.jpg"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(t.site.join("albums/mixed/truncated.jpg")).unwrap();
    let run = t.rebuild_fails(|t| {
        std::fs::write(t.site.join("albums/mixed/notes.jpg"), "这不是图片").unwrap();
    });
    assert!(
        run.stderr
            .contains("error: cannot read image albums/mixed/notes.jpg: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> albums/mixed/notes.jpg"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_finds_a_truncated_jpeg_and_writes_nothing() {
    let t = SiteTest::from_fixture("photos");
    let good = std::fs::read(t.site.join("albums/mixed/progressive.jpg")).unwrap();
    std::fs::write(
        t.site.join("albums/mixed/truncated.jpg"),
        &good[..good.len() / 2],
    )
    .unwrap();
    let run = t.run(&["check", "site"]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: cannot process image albums/mixed/truncated.jpg"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> albums/mixed/truncated.jpg"),
        "{}",
        run.stderr
    );
    assert!(!t.out_dir().exists(), "check wrote an output folder");
    // Images already processed by a build are not decoded again: their cached outputs
    // are named by the hash of their bytes.
    std::fs::remove_file(t.site.join("albums/mixed/truncated.jpg")).unwrap();
    t.build(&[]).ok();
    let before = SiteTest::snapshot(&t.out_dir());
    t.run(&["check", "site"]).ok();
    assert_eq!(
        SiteTest::snapshot(&t.out_dir()),
        before,
        "check changed the output"
    );
}

/// A phone's album: the HEIC photo is published upright (EXIF orientation 6), and its Live
/// Photo movie and `.AAE` edit file raise no warning; a stray document does. Without
/// libheif's converter the HEIC photo is an error naming it and both fixes.
#[test]
fn heic_photos_and_stray_files() {
    let t = SiteTest::from_fixture("phone");
    let has_converter = std::process::Command::new("heif-convert")
        .arg("--help")
        .output()
        .is_ok();
    if has_converter {
        let run = t.build(&[]);
        run.ok();
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        let pics = pictures(&t);
        let p = &pics["albums/phone/IMG_0001.HEIC"];
        assert_eq!((p.width, p.height), (32, 64), "turned upright");
        let img = decode(&t.out_dir(), &p.largest().fallback);
        assert_eq!((img.width(), img.height()), (32, 64));
        assert!(close(rgb(&img, 30, 1), RED), "the red corner is top right");
        assert!(!close(rgb(&img, 16, 32), RED));
        // A rebuild reads the conversion from the cache: nothing is processed.
        assert!(t
            .build(&[])
            .stdout
            .contains("Images: 0 processed, 1 from the cache"));
        // The conversion goes from the cache when the photo goes from the site.
        let heic_cache = t.site.join(".zhanting-cache/heic");
        let conversions = || std::fs::read_dir(&heic_cache).unwrap().count();
        assert_eq!(conversions(), 1);
        let photo = t.site.join("albums/phone/IMG_0001.HEIC");
        let bytes = std::fs::read(&photo).unwrap();
        std::fs::remove_file(&photo).unwrap();
        t.build(&[]).ok();
        assert_eq!(conversions(), 0);
        std::fs::write(&photo, bytes).unwrap();
        // A HEIC file libheif cannot read: an error naming it, no conversion left behind.
        t.file("albums/phone/IMG_0002.HEIC", "不是照片");
        let run = t.build(&[]);
        run.failed();
        assert!(
            run.stderr.contains(
                "error: cannot read image albums/phone/IMG_0002.HEIC: heif-convert could not read it: "
            ),
            "{}",
            run.stderr
        );
        assert_eq!(conversions(), 1, "only the good photo's conversion");
        t.remove("albums/phone/IMG_0002.HEIC");
    }

    t.file("albums/phone/活动方案.docx", "不是照片");
    let run = t.build(&[]);
    assert!(
        run.stderr
            .contains("warning: albums/phone/活动方案.docx is not a photo: it is not published"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("warning").count(), 1, "{}", run.stderr);

    // No converter on the PATH: an error, with both fixes, and nothing written.
    let bare = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(t.site.join(".zhanting-cache")).ok();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhanting"))
        .args(["build", "site", "-o", "fresh"])
        .current_dir(&t.root)
        .env("LANG", "C.UTF-8")
        .env("PATH", bare.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: cannot read HEIC photo albums/phone/IMG_0001.HEIC: heif-convert (libheif) is not installed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("apt install libheif-examples")
            && stderr.contains("export the photo as JPEG"),
        "{stderr}"
    );
    assert!(!t.root.join("fresh").exists());
}

/// A Markdown image of a file that is not a picture is a warning at its place.
#[test]
fn markdown_image_of_a_document_is_a_warning() {
    let t = SiteTest::from_fixture("photos");
    t.file(
        "content/news/plan.md",
        "---\ntitle: 方案\ndate: 2024-05-05\n---\n正文。\n\n![活动方案](fangan.docx)\n",
    );
    t.file("content/news/fangan.docx", "不是图片");
    // A picture browsers show as it is (SVG) is no warning.
    t.file(
        "content/news/logo.md",
        "---\ntitle: 标志\ndate: 2024-05-06\n---\n![标志](logo.svg)\n",
    );
    t.file(
        "content/news/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let run = t.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains(
            "warning: `fangan.docx` is shown as an image but is not one: browsers will show a broken picture\n --> content/news/plan.md:7:1"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("is shown as an image").count(),
        1,
        "{}",
        run.stderr
    );
}

/// `strip_metadata: false` keeps each photo's EXIF (GPS included) in its JPEG sizes, with
/// the orientation set to upright as the pixels are; the default keeps none.
#[test]
fn strip_metadata_false_keeps_exif_upright() {
    let t = SiteTest::from_fixture("photos");
    t.edit(
        "site.yaml",
        "base_url: https://example.org/\n",
        "base_url: https://example.org/\nimages: { strip_metadata: false }\n",
    );
    t.build(&[]).ok();
    let pics = pictures(&t);
    let out = t.out_dir();
    let read_exif = |path: &str| {
        let bytes = std::fs::read(out.join(path.trim_start_matches('/'))).unwrap();
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(bytes))
            .unwrap()
    };
    let first = &pics["albums/mixed/orient-1.jpg"];
    let e = read_exif(&first.largest().fallback);
    assert!(e
        .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
        .is_some());
    assert!(e
        .get_field(exif::Tag::DateTime, exif::In::PRIMARY)
        .is_some());
    let sixth = &pics["albums/mixed/orient-6.jpg"];
    let e = read_exif(&sixth.largest().fallback);
    let o = e
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .unwrap()
        .value
        .get_uint(0);
    assert_eq!(o, Some(1), "upright, as the pixels");
    let img = decode(&out, &sixth.largest().fallback);
    assert_eq!((img.width(), img.height()), (20, 40));
}

#[test]
fn a_cover_the_body_also_shows_is_shown_once() {
    let t = SiteTest::from_fixture("photos");
    t.file(
        "content/news/b.md",
        "---\ntitle: 封面也在正文\ndate: 2024-07-03\ncover: ../../albums/mixed/orient-1.jpg\n---\n开头。\n\n![活动现场](../../albums/mixed/orient-1.jpg)\n",
    );
    t.build(&[]).ok();
    let page = t.out("news/b/index.html");
    assert!(
        !page.contains("article-cover"),
        "the cover above the text: {page}"
    );
    assert_eq!(page.matches("alt=\"活动现场\"").count(), 1, "{page}");
    // A cover the body does not show stays above the text, and lists show covers.
    assert!(t
        .out("news/a/index.html")
        .contains("<figure class=\"article-cover\">"));
    assert!(t.out("news/index.html").contains("alt=\"封面也在正文\""));
}
