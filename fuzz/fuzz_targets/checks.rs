//! checks.yaml and the inspection checks over any text. The input is checks.yaml's text,
//! a NUL byte, and the text checked (as Markdown when it has front matter); without a
//! NUL, the built-in checks run over the whole input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhanting::checks::Checks;
use zhanting::error::Diagnostics;
use zhanting_fuzz::clean;

fuzz_target!(|data: &[u8]| {
    let (config, text) = match data.iter().position(|&b| b == 0) {
        Some(i) => (Some(&data[..i]), &data[i + 1..]),
        None => (None, data),
    };
    let config = match config.map(std::str::from_utf8) {
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => return,
        None => None,
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let mut diags = Diagnostics::new();
    // The brand's own names, as a site passes them (checks.yaml's `allow` is the same
    // list, which the fuzzer writes).
    let own = ["五微一体".to_string(), "微党课".to_string()];
    let checks = Checks::from_file(config, &own, &mut diags);
    let body = zhanting::load::content::split_front_matter(text).map(|(_, start, _)| start);
    let lines = text.lines().count();
    checks.text("content/news/fuzz.md", text, body, &[1, lines], &mut diags);
    clean(&diags.into_vec());
});
