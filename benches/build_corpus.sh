#!/usr/bin/env bash
# Assembles a benchmark JSONL (default: at least 20 MB) from the evaluation corpus at run time.
#
#   benches/build_corpus.sh [OUT] [MEGABYTES]
#
# The texts of ../shared/corpus (news-lee.jsonl, editorials-dev.jsonl, ptc-dev.jsonl) are
# repeated, each record written as {"id": "<id>#<round>", "text": ...}, until the output holds at
# least MEGABYTES of text. Nothing of that corpus is copied into the repository: the output goes
# to OUT (default /tmp/rhetor-bench.jsonl), outside it. RHETOR_CORPUS overrides the folder.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${RHETOR_CORPUS:-$here/../shared/corpus}"
out="${1:-/tmp/rhetor-bench.jsonl}"
megabytes="${2:-20}"

files=(news-lee.jsonl editorials-dev.jsonl ptc-dev.jsonl)
for f in "${files[@]}"; do
    if [ ! -f "$corpus/$f" ]; then
        echo "build_corpus.sh: $corpus/$f not found: the evaluation corpus is absent on this machine" >&2
        echo "  (set RHETOR_CORPUS to its folder; the benchmarks then fall back to samples/)" >&2
        exit 3
    fi
done
command -v jq >/dev/null || { echo "build_corpus.sh: needs jq (apt-get install jq)" >&2; exit 3; }

# One round: id and text only (the other fields are not part of the benchmark).
round="$(mktemp)"
trap 'rm -f "$round"' EXIT
for f in "${files[@]}"; do
    jq -c '{id: .id, text: .text}' "$corpus/$f"
done >"$round"
round_text="$(jq -j '.text' "$round" | wc -c)"
rounds=$(( (megabytes * 1000000 + round_text - 1) / round_text ))

: >"$out"
for ((k = 0; k < rounds; k++)); do
    jq -c --arg k "$k" '.id = "\(.id)#\($k)"' "$round" >>"$out"
done
docs="$(wc -l <"$out")"
echo "build_corpus.sh: $out: $docs documents, $(( round_text * rounds / 1000000 )) MB of text ($rounds rounds of $round_text bytes)" >&2
