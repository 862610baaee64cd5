#!/usr/bin/env bash
# A newcomer's first command, timed: `cargo build --release` from an empty target folder
# (a separate one under /tmp, so the usual target/ is kept), then the stripped binary's
# size; each against its goal (6 minutes, 40 MB) on this machine. Needs the crates
# fetched (`cargo fetch`) or the registry reachable. Takes minutes: not for CI.
#
#   bash benches/compile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${TARGET:-/tmp/zhanting-compile-target}
rm -rf "$dir"
start=$(date +%s)
CARGO_TARGET_DIR="$dir" cargo build --release --quiet
secs=$(($(date +%s) - start))
size=$(stat -c %s "$dir/release/zhanting")
printf 'clean release build: %dm%02ds (goal ≤ 6m00s: %s)\n' $((secs / 60)) $((secs % 60)) \
  "$([ "$secs" -le 360 ] && echo met || echo not met)"
printf 'binary: %.1f MB (goal ≤ 40 MB: %s)\n' "$(python3 -c "print($size / 1e6)")" \
  "$([ "$size" -le 40000000 ] && echo met || echo not met)"
rm -rf "$dir"
