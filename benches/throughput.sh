#!/usr/bin/env bash
# End-to-end throughput, start-up, memory and linearity of the release binary (issue 5).
#
#   benches/throughput.sh [RUNS]          RUNS timed runs per figure (default 5)
#   RHETOR_BIG=0 benches/throughput.sh    skip the 1 GB streaming run and the 100 MB document
#
# Prints, for the benchmark corpus (benches/build_corpus.sh, >= 20 MB of JSONL built in /tmp from
# ../shared/corpus), the best and median wall time and MB/s of text of:
#   floor   rhetor annotate --no-analysis: the same binary reading and writing every record
#           (with an empty analysis), i.e. what JSONL parsing and output cost alone;
#   -j1     rhetor annotate -j1, all devices, JSONL out;
#   -j2     rhetor annotate -j2;
# with each one's ratio to the floor (floor MB/s / MB/s: how many times slower than only reading
# and writing) and its peak RSS (/usr/bin/time -v). Then the analyzer alone, start-up on a
# one-line input, the default analyzer's build time, peak RSS streaming a 1 GB JSONL (made in
# /tmp, deleted after), time and peak RSS of `rhetor annotate` on one document of about 110 MB, and
# the per-MB cost of a 100 MB document and adversarial text against 1 KB documents
# (examples/linearity.rs). Before start-up it measures what two cores of the machine
# give for this work: the analyzer alone in one process, then in two processes at once (the
# ceiling of -j2 / -j1). Wall times on a shared machine are noisy: look at the best, and at the
# user CPU seconds beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
big="${RHETOR_BIG:-1}"

if [ ! -x /usr/bin/time ]; then
    echo "throughput.sh: /usr/bin/time is missing: install it with 'apt-get install time'" >&2
    exit 3
fi

cargo build --release --features cli --bins --examples >&2
bin=target/release/rhetor
corpus=/tmp/rhetor-bench.jsonl
if ! benches/build_corpus.sh "$corpus" 20; then
    echo "throughput.sh: no benchmark corpus; measuring on samples/corpus.jsonl repeated instead" >&2
    : >"$corpus"
    while [ "$(stat -c %s "$corpus")" -lt 10000000 ]; do cat samples/corpus.jsonl >>"$corpus"; done
fi
mb="$(jq -j '.text' "$corpus" | wc -c | awk '{print $1 / 1e6}')"
echo "corpus: $corpus, $(wc -l <"$corpus") documents, $mb MB of text; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME ARGS...: RUNS timed runs; prints best/median seconds, MB/s, user CPU and peak RSS.
declare -A best_mbs
run() {
    local name="$1"; shift
    local log; log="$(mktemp)"
    for ((k = 0; k < runs; k++)); do
        /usr/bin/time -f "%e %U %M" -o "$log" -a "$@" >/dev/null
    done
    sort -n "$log" | awk -v name="$name" -v mb="$mb" -v runs="$runs" '
        { wall[NR] = $1; user[NR] = $2; if ($3 > rss) rss = $3 }
        END {
            med = wall[int((NR + 1) / 2)]
            printf "%-8s best %6.3f s %7.1f MB/s   median %6.3f s %7.1f MB/s   user %5.2f s   peak RSS %5.1f MB\n",
                name, wall[1], mb / wall[1], med, mb / med, user[1], rss / 1024
        }'
    best_mbs[$name]="$(sort -n "$log" | head -1 | awk -v mb="$mb" '{print mb / $1}')"
    rm -f "$log"
}

echo
echo "== end to end: rhetor annotate, JSONL in, all devices, JSONL out ($runs runs each)"
run floor "$bin" annotate -q -j1 --no-analysis "$corpus"
run -j1 "$bin" annotate -q -j1 "$corpus"
run -j2 "$bin" annotate -q -j2 "$corpus"
awk -v f="${best_mbs[floor]}" -v a="${best_mbs[-j1]}" -v b="${best_mbs[-j2]}" 'BEGIN {
    printf "ratio to the floor (best): -j1 %.1fx slower, -j2 %.1fx slower; -j2 / -j1 = %.2f\n", f / a, f / b, b / a }'

echo
echo "== analyzer alone (analyze in a loop, no I/O)"
for ((k = 0; k < 3; k++)); do target/release/examples/analyze_file "$corpus"; done
target/release/examples/analyze_file "$corpus" 0

echo
echo "== two-core capacity: the analyzer alone, one process, then two processes at once"
# What two cores of this machine give for this work, whatever rhetor's threads do: the ceiling
# of -j2 / -j1. Two processes share nothing but the machine.
one="$( { /usr/bin/time -f %e target/release/examples/analyze_file "$corpus" >/dev/null; } 2>&1 | tail -1 )"
pair="$( { /usr/bin/time -f %e target/release/examples/analyze_file "$corpus" >/dev/null & \
    /usr/bin/time -f %e target/release/examples/analyze_file "$corpus" >/dev/null & wait; } 2>&1 | sort -n | tail -1 )"
awk -v a="$one" -v b="$pair" 'BEGIN {
    printf "one process %.2f s; two at once %.2f s; two cores do %.2fx the work of one\n", a, b, 2 * a / b }'

echo
echo "== start-up: rhetor annotate on a one-line input"
line="$(mktemp --suffix=.jsonl)"
echo '{"id": 1, "text": "Either we act now or we lose everything; it is not a delay, it is a strategy."}' >"$line"
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 30 "$bin annotate -q $line"
else
    echo "(hyperfine not installed: apt-get install hyperfine; timing a loop of 30 runs)"
    for ((k = 0; k < 30; k++)); do
        s=$(date +%s%N); "$bin" annotate -q "$line" >/dev/null; e=$(date +%s%N)
        echo $(( (e - s) / 1000 ))
    done | sort -n | awk '{ t[NR] = $1 } END { printf "best %.2f ms, median %.2f ms\n", t[1] / 1000, t[int((NR + 1) / 2)] / 1000 }'
fi
rm -f "$line"

if [ "$big" = 1 ]; then
    echo
    echo "== memory: streaming a 1 GB JSONL (built in /tmp, deleted after)"
    gb=/tmp/rhetor-1gb.jsonl
    trap 'rm -f "$gb"' EXIT
    : >"$gb"
    while [ "$(stat -c %s "$gb")" -lt 1000000000 ]; do cat "$corpus" >>"$gb"; done
    for j in 1 2; do
        /usr/bin/time -f "%e %U %M" -o /tmp/rhetor-1gb.time "$bin" annotate -q -j$j "$gb" >/dev/null
        awk -v j=$j -v size="$(stat -c %s "$gb")" '{ printf "-j%d: %.2f GB of JSONL in %.1f s (%.1f MB/s of JSONL), peak RSS %.1f MB\n", j, size / 1e9, $1, size / 1e6 / $1, $3 / 1024 }' /tmp/rhetor-1gb.time
    done
    rm -f "$gb" /tmp/rhetor-1gb.time

    echo
    echo "== one long document: the corpus joined 5 times into one JSONL record, rhetor annotate -j1"
    one=/tmp/rhetor-one-document.jsonl
    trap 'rm -f "$gb" "$one"' EXIT
    # Each text JSON-escaped and followed by an escaped blank line, five times over, in one record.
    jq -j '(.text | tojson | .[1:-1]) + "\\n\\n"' "$corpus" >"$one.body"
    { printf '{"id": "one-document", "text": "'; for k in 1 2 3 4 5; do cat "$one.body"; done; printf '"}\n'; } >"$one"
    rm -f "$one.body"
    one_mb="$(jq -j '.text' "$one" | wc -c | awk '{print $1 / 1e6}')"
    for flags in "" "--sentences"; do
        /usr/bin/time -f "%e %U %M" -o /tmp/rhetor-one.time "$bin" annotate -q -j1 $flags "$one" >/dev/null
        awk -v mb="$one_mb" -v flags="${flags:-(spans and scores)}" '{ printf "%.0f MB of text, %s: %.1f s (%.1f MB/s), peak RSS %.1f MB\n", mb, flags, $1, mb / $1, $3 / 1024 }' /tmp/rhetor-one.time
    done
    rm -f "$one" /tmp/rhetor-one.time

    echo
    echo "== linearity: per-MB cost against 1 KB documents (analyzer alone)"
    target/release/examples/linearity "$corpus" 100
fi
