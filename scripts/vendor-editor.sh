#!/usr/bin/env bash
# Vendors the browser editor's components from npm into site-template/editor/vendor/,
# which the binary embeds (no CDN): CodeMirror 6 (MIT) and Turndown with its GFM plugin
# (MIT), each bundled and minified into one script by esbuild, with their licences.
# The versions are pinned in scripts/editor-vendor/package.json (and its lock file):
# to update, change them there (`npm view @codemirror/view version`), run this script,
# try the editor (tests/editor.rs) and commit the new files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../site-template/editor/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/editor-vendor/package.json" "$here/editor-vendor/codemirror-entry.js" \
   "$here/editor-vendor/turndown-entry.js" "$work/"
if [ -f "$here/editor-vendor/package-lock.json" ]; then
  cp "$here/editor-vendor/package-lock.json" "$work/"
fi
cd "$work"
npm install --no-audit --no-fund --loglevel=error
cp package-lock.json "$here/editor-vendor/package-lock.json"
bundle() {
  npx esbuild "$1" --bundle --minify --format=iife --target=es2019 \
    --legal-comments=none --metafile="$1.meta.json" --outfile="$2" ${3:+--global-name=$3}
}
mkdir -p "$out"
bundle codemirror-entry.js "$out/codemirror.js" CM
bundle turndown-entry.js "$out/turndown.js"
# The licences of the packages the bundles hold (esbuild's list of what went in).
packages="$(node -e '
  const names = new Set();
  for (const f of process.argv.slice(1)) {
    for (const out of Object.values(require("./" + f).outputs)) {
      for (const [input, used] of Object.entries(out.inputs)) {
        const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
        if (m && used.bytesInOutput > 0) names.add(m[1]);
      }
    }
  }
  console.log([...names].sort().join("\n"));
' codemirror-entry.js.meta.json turndown-entry.js.meta.json)"
{
  for p in $packages; do
    lic="$(ls node_modules/"$p"/LICENSE* 2>/dev/null | head -1 || true)"
    [ -n "$lic" ] || continue
    echo "== $p $(node -p "require('./node_modules/$p/package.json').version") =="
    cat "$lic"
    echo
  done
} > "$out/LICENSES.txt"
ls -l "$out"
gzip -9c "$out/codemirror.js" | wc -c | xargs echo "codemirror.js gzipped bytes:"
