//! `ZHANTING_TIMINGS=1`: how long each stage takes, printed to stderr.

use std::time::Instant;

/// With `ZHANTING_TIMINGS` set, prints how long `stage` took since `start`.
pub fn timing(stage: &str, start: Instant) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("ZHANTING_TIMINGS").is_some()) {
        eprintln!(
            "  {stage}: {:.1} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
