#!/usr/bin/env bash
# Six exhibition boards with camera photos (12 × 4000×3000 JPEG from
# ../shared/bench/gen_site.py, needs Pillow), laid out by `zhanting boards`, release build:
#   cold      no board cache: every board laid out (photos decoded, downscaled, embedded)
#   one       one board's text changed: only that board laid out again
#   warm      nothing changed: every board from the cache
# Medians of RUNS runs.
#
#   bash benches/boards.sh            # RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_site.py}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/zhanting-bench-boards}
# BIN=path/to/zhanting times another build (to compare two side by side).
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/zhanting
fi
rm -rf "$WORK"
mkdir -p "$WORK"
site="$WORK/site"
python3 "$GEN" --pages 0 --photos 12 --out "$site" --flavor zhanting --quiet
cat >"$site/achievements.yaml" <<'YAML'
stats:
  - { label: 微党课, value: 96, unit: 期 }
  - { label: 主题党日, value: 72, unit: 次 }
  - { label: 志愿服务, value: "3,200", unit: 小时 }
  - { label: 群众满意度, value: 97.5, unit: "%" }
milestones:
  - { date: 2017-05, title: 第一期“十分钟微党课”开讲 }
  - { date: 2019-07, title: 荣获全区先进基层党组织 }
  - { date: 2022-11, title: 品牌获评优秀党建品牌 }
  - { date: 2026-03, title: 品牌展厅开放 }
YAML
mkdir -p "$site/boards"
for n in 1 2 3 4 5 6; do
  a=$(printf 'IMG_%04d.jpg' $((2 * n - 1)))
  b=$(printf 'IMG_%04d.jpg' $((2 * n)))
  layout=brand; size=900x1200mm
  if [ $((n % 3)) -eq 0 ]; then layout=history; size=80x180; fi
  cat >"$site/boards/board-$n.yaml" <<YAML
title: 支部党建展板（第 $n 块）
subtitle: 中共某某支部委员会
size: $size
series: { name: 支部党建展板, number: $n, of: 6 }
layout: $layout
theme: $([ $((n % 2)) -eq 0 ] && echo blue || echo red)
marks: true
blocks:
  - type: text
    title: 工作概况
    body: |
      支部坚持把党的组织优势转化为服务群众的工作优势，以“微党课、微活动、微阵地、微行动、微服务”为载体，
      推动党建工作与社区治理深度融合。修改标记 0。
  - { type: stats, title: 工作成效, from: achievements }
  - { type: photos, title: 活动剪影, album: album-01, pick: [$a, $b] }
  - { type: timeline, title: 大事记, from: achievements }
  - { type: quote, text: 以微见著，聚力前行。, source: 品牌口号 }
YAML
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null; cat "$WORK/t"; }
cold=() one=() warm=()
for i in $(seq "$RUNS"); do
  rm -rf "$site/.zhanting-cache"
  cold+=("$(measure "$BIN" boards "$site" -o "$WORK/out")")
  sed -i "s/修改标记 [0-9]*。/修改标记 $i。/" "$site/boards/board-1.yaml"
  one+=("$(measure "$BIN" boards "$site" -o "$WORK/out")")
  warm+=("$(measure "$BIN" boards "$site" -o "$WORK/out")")
done
col() { printf '%s\n' "$@" | awk '{print $1}' | median; }
mem() { printf '%s\n' "$@" | awk '{print $2}' | median; }
printf 'six boards, 12 photos 4000×3000: cold %ss (peak %d MB), one board changed %ss, nothing changed %ss  [median of %s]\n' \
  "$(col "${cold[@]}")" $(($(mem "${cold[@]}") / 1024)) "$(col "${one[@]}")" "$(col "${warm[@]}")" "$RUNS"
ls -la "$WORK/out/boards" | awk 'NR>1 {s+=$5} END {printf "outputs: %d files, %.1f MB\n", NR-1, s/1e6}'
