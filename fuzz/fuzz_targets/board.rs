//! A board file (`boards/*.yaml`, with its typed blocks), loaded with the example site,
//! whose brand, achievements and albums its blocks take their data from; then turned
//! into the board template's inputs, as the board renderer does before laying it out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting_fuzz::{clean, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let site = SITE.get_or_init(|| Scratch::fixture("board", "basic"));
    site.write("boards/fuzz.yaml", data);
    let opts = zhanting::BuildOptions {
        drafts: true,
        ..Default::default()
    };
    match zhanting::load_site(&site.root, &opts, false) {
        Ok((loaded, _, warnings)) => {
            clean(&warnings);
            for board in &loaded.boards {
                let _ = zhanting::boards::inputs::inputs(&loaded, board);
            }
        }
        Err(diags) => clean(&diags),
    }
});
