//! The theme's scripts in headless Chromium, driven over the DevTools protocol: the
//! live-reload client (a save reloads the page that shows the change, keeping its scroll
//! position, and leaves the others alone; a stylesheet is swapped without a reload; an
//! error shows an overlay), the photo lightbox, the share poster and the 大屏 screen.

#[path = "common/cdp.rs"]
mod cdp;
mod common;

use cdp::{browser, key, Tab};
use common::{chromium, qr_codes, save, serve, SiteTest};
use std::time::Duration;

#[test]
fn live_reload_in_a_browser() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    // A long page, to check the scroll position survives the reload.
    let long: String = (0..80)
        .map(|i| format!("第{i}段正文，内容足够长以便滚动。\n\n"))
        .collect();
    save(
        &t,
        "content/news/second.md",
        &std::fs::read_to_string(t.site.join("content/news/second.md"))
            .unwrap()
            .replace("正文。", &long),
    );
    save(
        &t,
        "static/harness.html",
        r#"<!DOCTYPE html><meta charset="utf-8">
<iframe id="a" src="/news/second/" style="width:800px;height:400px"></iframe>
<iframe id="b" src="/news/third/" style="width:800px;height:400px"></iframe>
<script>
window.loads = { a: 0, b: 0 };
['a', 'b'].forEach(function (id) { document.getElementById(id).addEventListener('load', function () { window.loads[id]++; }); });
</script>"#,
    );

    let (_serve, url) = serve(&t);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{url}harness.html") }),
    );
    let settle = |ms| std::thread::sleep(Duration::from_millis(ms));
    tab.wait_for("window.loads && window.loads.a == 1 && window.loads.b == 1");
    settle(300);
    assert_eq!(
        tab.eval("JSON.stringify(window.loads)"),
        "{\"a\":1,\"b\":1}"
    );
    tab.eval("document.getElementById('a').contentWindow.scrollTo(0, 600)");
    settle(200);

    // A body edit of the page in frame a: a reloads, keeps its place; b does not move.
    let second = std::fs::read_to_string(t.site.join("content/news/second.md")).unwrap();
    save(
        &t,
        "content/news/second.md",
        &format!("{second}\n\n新加的一段。\n"),
    );
    tab.wait_for("window.loads.a == 2 && document.getElementById('a').contentDocument.readyState == 'complete'");
    settle(300);
    assert_eq!(
        tab.eval("JSON.stringify(window.loads)"),
        "{\"a\":2,\"b\":1}",
        "only the page showing the change reloads"
    );
    assert_eq!(
        tab.eval(
            "document.getElementById('a').contentDocument.body.innerText.includes('新加的一段')"
        ),
        true
    );
    let y = tab
        .eval("document.getElementById('a').contentWindow.scrollY")
        .as_f64()
        .unwrap();
    assert!((y - 600.0).abs() < 2.0, "scroll position kept: {y}");

    // A stylesheet: swapped in place, no reload.
    save(
        &t,
        "static/assets/zhanting.css",
        "body { background: rgb(1, 2, 3) }",
    );
    tab.wait_for("getComputedStyle(document.getElementById('b').contentDocument.body).backgroundColor == 'rgb(1, 2, 3)'");
    settle(300);
    assert_eq!(
        tab.eval("JSON.stringify(window.loads)"),
        "{\"a\":2,\"b\":1}",
        "a stylesheet change reloads nothing"
    );
    assert_eq!(
        tab.eval(
            "getComputedStyle(document.getElementById('b').contentDocument.body).backgroundColor"
        ),
        "rgb(1, 2, 3)"
    );

    // An error: an overlay on every page, gone once fixed.
    let site = std::fs::read_to_string(t.site.join("site.yaml")).unwrap();
    save(
        &t,
        "site.yaml",
        &site.replace("title: 测试支部", "title: 测试支部\ntitel: x"),
    );
    tab.wait_for("!!document.getElementById('b').contentDocument.getElementById('zhanting-error')");
    settle(300);
    let overlay = tab.eval("(document.getElementById('b').contentDocument.getElementById('zhanting-error') || {}).textContent || ''");
    assert!(
        overlay.as_str().unwrap().contains("unknown key `titel`"),
        "{overlay}"
    );
    save(&t, "site.yaml", &site);
    tab.wait_for("!document.getElementById('b').contentDocument.getElementById('zhanting-error')");
    settle(300);
    assert_eq!(
        tab.eval("!!document.getElementById('b').contentDocument.getElementById('zhanting-error')"),
        false
    );
}

#[test]
fn lightbox_opens_steps_and_closes() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("photos");
    let (_serve, url) = serve(&t);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    tab.call("Log.enable", serde_json::json!({}));
    tab.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{url}photos/mixed/") }),
    );
    tab.wait_for("document.readyState == 'complete' && !!document.querySelector('a.gallery-item')");
    // Every photo loads (scrolling brings the lazy ones in).
    tab.eval("window.scrollTo(0, document.body.scrollHeight)");
    tab.wait_for("[...document.querySelectorAll('.gallery img')].every(i => i.complete && i.naturalWidth > 0)");
    tab.eval("window.scrollTo(0, 0)");
    tab.eval("document.querySelector('a.gallery-item').click()");
    tab.wait_for("!!document.querySelector('.lightbox img') && document.querySelector('.lightbox img').complete && document.querySelector('.lightbox img').naturalWidth > 0");
    assert_eq!(
        tab.eval("document.querySelector('.lightbox figcaption').textContent"),
        "全体合影"
    );
    assert_eq!(
        tab.eval("document.activeElement.className"),
        "lb-close",
        "focus moves into the dialog"
    );
    key(&mut tab, "ArrowRight", 39);
    tab.wait_for("document.querySelector('.lightbox img').alt.includes('第 2 张')");
    key(&mut tab, "ArrowLeft", 37);
    tab.wait_for("document.querySelector('.lightbox img').alt == '全体合影'");
    key(&mut tab, "ArrowLeft", 37);
    tab.wait_for("document.querySelector('.lightbox img').alt.includes('第 15 张')");
    assert!(
        tab.eval("document.querySelector('.lb-full').href")
            .as_str()
            .unwrap()
            .contains("/media/img/"),
        "a link to the full size"
    );
    key(&mut tab, "Escape", 27);
    tab.wait_for("!document.querySelector('.lightbox')");
    let problems = tab.problems();
    assert!(problems.is_empty(), "console errors: {problems:?}");
}

/// 长辈模式: the header's 大字 toggle enlarges text by at least 1.25×, is remembered across
/// pages (localStorage), keeps the phone layout within the screen, and switches back.
#[test]
fn large_text_toggle_is_remembered() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("photos");
    let (_serve, url) = serve(&t);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    tab.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
    );
    tab.call("Page.navigate", serde_json::json!({ "url": url.clone() }));
    tab.wait_for("document.readyState == 'complete' && !!document.getElementById('zt-large')");
    let size = "parseFloat(getComputedStyle(document.body).fontSize)";
    let before = tab.eval(size).as_f64().unwrap();
    assert_eq!(
        tab.eval("document.getElementById('zt-large').getAttribute('aria-pressed')"),
        "false"
    );
    tab.eval("document.getElementById('zt-large').click()");
    tab.wait_for("document.documentElement.classList.contains('zt-large')");
    let after = tab.eval(size).as_f64().unwrap();
    assert!(after >= before * 1.25, "text {before}px → {after}px");
    assert_eq!(
        tab.eval("document.getElementById('zt-large').getAttribute('aria-pressed')"),
        "true"
    );
    assert_eq!(
        tab.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        true,
        "no sideways scrolling on a phone"
    );
    // Another page opens in large text.
    tab.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{url}photos/") }),
    );
    tab.wait_for("document.readyState == 'complete' && location.pathname.endsWith('/photos/')");
    assert_eq!(
        tab.eval("document.documentElement.classList.contains('zt-large')"),
        true
    );
    assert_eq!(
        tab.eval("document.getElementById('zt-large').getAttribute('aria-pressed')"),
        "true"
    );
    tab.eval("document.getElementById('zt-large').click()");
    assert_eq!(tab.eval(size).as_f64().unwrap(), before);
    assert_eq!(tab.eval("localStorage.getItem('zt-large')"), "0");
}

/// The share poster: clicking 生成分享海报 on an article draws a 1080×1920 PNG whose QR
/// code reads as the page's public address, with the cover in it — from a host
/// (`serve`) and from `file://` (an offline build), where the page may not read its own
/// images' pixels and takes them from the scripts the build publishes beside them.
#[test]
fn share_poster_is_a_png_with_the_pages_qr_code() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("photos");
    t.file(
        "content/news/big.md",
        "---\ntitle: 七一主题党日活动在纪念馆举行\ndate: 2024-07-03\nsummary: 全体党员重温入党誓词，参观党史展览，开展专题组织生活会。\ncover: ../../albums/mixed/七一 合影.jpg\n---\n正文。\n",
    );
    let (_serve, url) = serve(&t);
    t.build(&["--offline"]).ok();
    let offline = format!("file://{}/news/big/index.html", t.out_dir().display());
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    tab.call("Log.enable", serde_json::json!({}));
    for page in [format!("{url}news/big/"), offline] {
        tab.call("Page.navigate", serde_json::json!({ "url": page }));
        tab.wait_for("document.readyState == 'complete' && !!document.querySelector('.sharebox-poster:not([hidden])')");
        tab.eval("document.querySelector('.sharebox-poster').click()");
        tab.wait_for("!!document.querySelector('.poster-dialog img') && document.querySelector('.poster-dialog img').complete");
        let data = tab.eval_async(
            "fetch(document.querySelector('.poster-dialog img').src).then(r => r.arrayBuffer()).then(b => { let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })",
        );
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD
            .decode(
                data.as_str()
                    .unwrap_or_else(|| panic!("{page}: no poster: {data}")),
            )
            .unwrap();
        assert_eq!(&png[1..4], b"PNG", "{page}");
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (1080, 1920), "{page}");
        // The cover is drawn under the head band (the fixture's photo is not flat).
        let (mut lo, mut hi) = (255u8, 0u8);
        for y in (320..860).step_by(7) {
            for x in (0..1080).step_by(11) {
                let g = img.get_pixel(x, y).0[1];
                lo = lo.min(g);
                hi = hi.max(g);
            }
        }
        assert!(hi - lo > 60, "{page}: the photo is missing ({lo}..{hi})");
        let file = t.root.join("poster.png");
        std::fs::write(&file, &png).unwrap();
        let Some(codes) = qr_codes(&file) else { return };
        assert_eq!(codes, ["https://example.org/news/big/"], "{page}");
        // Closing gives the focus back to the button.
        tab.eval("document.querySelector('.poster-actions .button-quiet').click()");
        tab.wait_for("!document.querySelector('.poster-dialog') && document.activeElement.classList.contains('sharebox-poster')");
    }
    let problems = tab.problems();
    assert!(problems.is_empty(), "console errors: {problems:?}");
}

/// 大屏 mode from an offline build opened as a file, as on the activity room's PC: every
/// picture loads, no scrollbar at 1080p or 4K, the slides advance by themselves and loop,
/// the arrow keys and Enter move between them, and the statistics count up to their value.
#[test]
fn the_screen_advances_answers_the_keys_and_runs_offline() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("basic");
    t.file("screen.yaml", "seconds: 3\n");
    t.build(&["--offline"]).ok();
    let page = format!("file://{}/screen/index.html", t.out_dir().display());
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    tab.call("Log.enable", serde_json::json!({}));
    let current = |tab: &mut Tab| tab.eval("document.getElementById('stage').dataset.current");
    for (w, h) in [(1920, 1080), (3840, 2160)] {
        tab.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": w, "height": h, "deviceScaleFactor": 1, "mobile": false }),
        );
        tab.call("Page.navigate", serde_json::json!({ "url": page }));
        tab.wait_for("document.readyState == 'complete' && document.getElementById('stage').dataset.current == '0'");
        tab.wait_for("[...document.images].every(i => i.complete && i.naturalWidth > 0)");
        assert_eq!(
            tab.eval("document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight"),
            true,
            "no scrollbar at {w}×{h}"
        );
        // The stage fills the screen: 1920×1080 scaled to it.
        assert_eq!(
            tab.eval("Math.round(document.getElementById('stage').getBoundingClientRect().width)"),
            w,
            "{w}×{h}"
        );
        // Only the current slide is shown to eyes and screen readers.
        assert_eq!(
            tab.eval("document.querySelectorAll('.sc-slide.is-current').length == 1 && document.querySelectorAll('.sc-slide:not([aria-hidden])').length == 1"),
            true
        );
    }
    // By itself, after 3 s.
    tab.wait_for("document.getElementById('stage').dataset.current == '1'");
    key(&mut tab, "ArrowRight", 39);
    assert_eq!(current(&mut tab), "2");
    key(&mut tab, "ArrowLeft", 37);
    assert_eq!(current(&mut tab), "1");
    key(&mut tab, "Enter", 13);
    assert_eq!(current(&mut tab), "2");
    // The statistics slide (the fourth) counts up to 35 and stays there.
    key(&mut tab, "ArrowRight", 39);
    assert_eq!(current(&mut tab), "3");
    tab.wait_for("document.querySelector('.sc-stats .count').textContent == '35'");
    // The loop: from the last slide to the first.
    let last = tab.eval("String(document.querySelectorAll('.sc-slide').length - 1)");
    key(&mut tab, "End", 35);
    assert_eq!(current(&mut tab), last);
    key(&mut tab, "ArrowRight", 39);
    assert_eq!(current(&mut tab), "0");
    let problems = tab.problems();
    assert!(problems.is_empty(), "console errors: {problems:?}");
}

/// An album's 微视频 plays in the lightbox: its file, type, poster and captions, and it
/// stops when the lightbox moves on or closes.
#[test]
fn an_album_video_plays_in_the_lightbox() {
    let Some(chrome) = chromium() else { return };
    let t = SiteTest::from_fixture("video");
    let (_serve, url) = serve(&t);
    let (_browser, mut tab, _profile) = browser(&chrome);
    tab.call("Runtime.enable", serde_json::json!({}));
    tab.call("Log.enable", serde_json::json!({}));
    tab.call(
        "Page.navigate",
        serde_json::json!({ "url": format!("{url}photos/huodong/") }),
    );
    tab.wait_for(
        "document.readyState == 'complete' && !!document.querySelector('a.gallery-item.is-video')",
    );
    tab.eval("document.querySelector('a.gallery-item.is-video').click()");
    tab.wait_for("!!document.querySelector('.lightbox video:not([hidden])')");
    assert_eq!(
        tab.eval("document.querySelector('.lightbox img').hidden"),
        true
    );
    let source = tab.eval("document.querySelector('.lightbox video source').getAttribute('src')");
    assert!(
        source.as_str().unwrap().starts_with("/media/video/"),
        "{source}"
    );
    assert_eq!(
        tab.eval("document.querySelector('.lightbox video source').type"),
        "video/mp4"
    );
    assert_eq!(
        tab.eval("document.querySelector('.lightbox video').getAttribute('aria-label')"),
        "微视频：活动视频（时长 0:03）"
    );
    // It plays (the 3-second test clip, served in parts).
    let played = tab.eval_async("(v => { v.muted = true; return v.play().then(() => true, e => String(e)); })(document.querySelector('.lightbox video'))");
    assert_eq!(played, true, "{}", tab.eval("document.querySelector('.lightbox video').error && document.querySelector('.lightbox video').error.message"));
    tab.wait_for("document.querySelector('.lightbox video').currentTime > 0.2");
    assert_eq!(
        tab.eval("document.querySelector('.lightbox figcaption').textContent"),
        "活动视频"
    );
    assert_eq!(
        tab.eval("document.querySelector('.lb-full').textContent"),
        "下载视频"
    );
    // The next item is a photo: the video stops and hides.
    tab.eval("document.querySelector('.lb-next').click()");
    tab.wait_for("document.querySelector('.lightbox video').hidden && !document.querySelector('.lightbox img').hidden");
    assert_eq!(
        tab.eval("document.querySelector('.lightbox video').paused"),
        true
    );
    tab.eval("document.querySelector('.lb-close').click()");
    tab.wait_for("!document.querySelector('.lightbox')");
    let problems = tab.problems();
    assert!(problems.is_empty(), "console errors: {problems:?}");
}
