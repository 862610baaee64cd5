#!/usr/bin/env bash
# HTML validity of a built site: the Nu Html Checker (vnu, validator.nu — what the W3C's
# validator runs) over every page, online and --offline builds, and, for a portal, its whole
# output. Needs Java 11 or later (Debian: default-jre-headless).
#
#   scripts/vnu.sh [SITE …] [--bin PATH]
#
# SITE defaults to example-site, example-portal and docs. Each is built with the release
# binary (or --bin) into a temporary folder. vnu is installed once from the npm registry
# (the vnu-jar package) into $VNU_DIR (default ~/.cache/zhanting-vnu). Prints every error
# and warning with its file, line and column; exits 1 when there is any error.
set -euo pipefail
cd "$(dirname "$0")/.."

sites=()
bin=target/release/zhanting
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    *) sites+=("$1"); shift ;;
  esac
done
[ ${#sites[@]} -gt 0 ] || sites=(example-site example-portal docs)

vnu_dir="${VNU_DIR:-$HOME/.cache/zhanting-vnu}"
jar="$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$jar" ]; then
  mkdir -p "$vnu_dir"
  npm install --prefix "$vnu_dir" --no-audit --no-fund --ignore-scripts vnu-jar >/dev/null
fi
[ -x "$bin" ] || cargo build --release

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
outs=()
for site in "${sites[@]}"; do
  name="$(basename "$site")"
  "$bin" build "$site" -o "$work/$name" >/dev/null 2>"$work/$name.log" || { cat "$work/$name.log"; exit 1; }
  "$bin" build "$site" -o "$work/$name-offline" --offline >/dev/null 2>"$work/$name.log" || { cat "$work/$name.log"; exit 1; }
  outs+=("$work/$name" "$work/$name-offline")
done

pages=$(find "${outs[@]}" -name '*.html' | wc -l)
java -jar "$jar" --skip-non-html --format gnu "${outs[@]}" 2>"$work/report.txt" || true
# gnu format: "FILE":LINE.COL-LINE.COL: error|info warning: message
sed "s#$work/##" "$work/report.txt" | grep -v ': info: ' || true
errors=$(grep -c ': error: ' "$work/report.txt" || true)
warnings=$(grep -c ': info warning: ' "$work/report.txt" || true)
echo "vnu: $pages pages of ${sites[*]} (online and --offline): $errors errors, $warnings warnings"
[ "$errors" -eq 0 ]
