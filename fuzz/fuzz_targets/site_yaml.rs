//! site.yaml and portal.yaml. The first byte says which file the rest is: even,
//! site.yaml — parsed and checked from text, then, when that passes, loaded with the
//! basic fixture site through the pipeline; odd, portal.yaml — parsed and checked in
//! a portal folder holding two branch sites.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zhanting::config::SiteConfig;
use zhanting::portal::Portal;
use zhanting_fuzz::{choose, clean, load, Scratch};

static SITE: OnceLock<Scratch> = OnceLock::new();
static PORTAL: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = choose(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if which % 2 == 0 {
        match SiteConfig::parse(text) {
            Ok(_) => {
                let site = SITE.get_or_init(|| Scratch::fixture("site_yaml", "basic"));
                site.write("site.yaml", rest);
                load(&site.root);
            }
            Err(diags) => clean(&diags),
        }
    } else {
        let portal = PORTAL.get_or_init(|| Scratch::fixture("portal_yaml", "portal"));
        if let Err(diags) = Portal::parse(&portal.root, text) {
            clean(&diags);
        }
    }
});
