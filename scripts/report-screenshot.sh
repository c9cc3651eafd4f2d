#!/usr/bin/env bash
# Regenerates docs/report.png: the HTML report of the bundled samples, rendered by headless
# Chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
browser="${RHETOR_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run --quiet --release --features cli -- annotate -q samples/corpus.jsonl \
    --keep-fields meta.outlet,meta.date,title --format html -o "$work/report.html"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" --window-size=1000,1250 \
    --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
cp "$work/report.png" docs/report.png
echo "wrote docs/report.png"
