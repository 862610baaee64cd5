//! A video's container, read as planning reads it: the first byte says which reader —
//! 0: MP4 (`mp4parse` and zhanting's own walk over the top-level boxes), 1: WebM
//! (`matroska-demuxer`), else the WebVTT captions' text for search.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhanting::images::video;
use zhanting_fuzz::choose;

fuzz_target!(|data: &[u8]| {
    // A panic inside matroska-demuxer is caught, quietly, by `probe_bytes` and answered
    // as a file that is not WebM (tests/reliability.rs); any other panic reaches
    // libFuzzer's hook and is reported.
    let Some((which, rest)) = choose(data) else {
        return;
    };
    match which % 3 {
        0 | 1 => {
            if let Ok(probe) = video::probe_bytes(rest, which % 3 == 1) {
                if let Some(d) = probe.duration {
                    let _ = video::duration_text(d);
                    let _ = video::duration_iso(d);
                }
            }
        }
        _ => {
            let _ = video::captions_text(&String::from_utf8_lossy(rest));
        }
    }
});
