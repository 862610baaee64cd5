#!/bin/sh
# Runs every fuzz target (or those named) for N seconds each, one after the other, and
# prints each one's executions and coverage from libFuzzer's final lines.
#
#     scripts/fuzz.sh [N] [TARGET...]        # N defaults to 60
#     FUZZ_BUILD=0 scripts/fuzz.sh 600 site  # without building first
#
# Builds first (cargo-fuzz on the nightly toolchain: `cargo install cargo-fuzz`), under
# the shared cargo lock when there is one. The fuzzers run under `nice -n 19`, one job
# each; the committed corpus (fuzz/corpus/TARGET) is read, and what a run finds new is
# kept in fuzz/corpus-new/TARGET (minimise it into the corpus with `cargo fuzz cmin`).
# A crash, a hang over 10 s or more than 2 GB of memory stops the target, and its input
# is kept under fuzz/artifacts/TARGET/. Exit code 1 when any target failed.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^zhanting-fuzz$')}
# cargo-fuzz builds one target or all of them.
only=""
[ $# -eq 1 ] && only=$1

# Sanitizer none: the code is safe Rust, and libFuzzer still catches every panic, hang
# and memory blow-up; debug assertions on, so integer overflow panics too.
# FUZZ_BUILD=0 runs the targets as last built.
if [ "${FUZZ_BUILD:-1}" = 0 ]; then
    :
elif command -v flock >/dev/null; then
    flock /tmp/zt-cargo.lock cargo +nightly fuzz build -s none -a $only
else
    cargo +nightly fuzz build -s none -a $only
fi

bin=fuzz/target/x86_64-unknown-linux-gnu/release
failed=""
for t in $targets; do
    mkdir -p "fuzz/corpus-new/$t" "fuzz/artifacts/$t" "fuzz/corpus/$t"
    case $t in
        image|video) max=65536 ;;
        import) max=131072 ;;
        site|request) max=8192 ;;
        *) max=16384 ;;
    esac
    dict=""
    case $t in
        site_yaml|brand|album|board|deck_screen|page) dict="-dict=fuzz/dict/site.dict" ;;
    esac
    log="fuzz/artifacts/$t/last-run.log"
    nice -n 19 "$bin/$t" "fuzz/corpus-new/$t" "fuzz/corpus/$t" $dict \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max" \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1 &
    pid=$!
    status=0
    wait "$pid" || status=$?
    # The scratch site the target wrote its inputs into.
    rm -rf /dev/shm/zhanting-fuzz-*-"$pid" "${TMPDIR:-/tmp}"/zhanting-fuzz-*-"$pid"
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 | sed 's/.*DONE *//' || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if [ "$status" -ne 0 ]; then
        failed="$failed $t"
        echo "$t: FAILED (exit $status), see $log"
        grep -E '^(==[0-9]+== ERROR|thread .* panicked|.*Test unit written)' "$log" | head -n 5 || true
    else
        echo "$t: ${execs:-?} executions (${speed:-?}/s) in ${seconds} s; $done_line"
    fi
done
if [ -n "$failed" ]; then
    echo "failed:$failed"
    exit 1
fi
