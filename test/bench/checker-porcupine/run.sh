#!/usr/bin/env bash
# Porcupine's times on the checker benchmark's corpora, measured here and now, for
#   npm run bench:checker -- --porcupine OUT
# Usage: test/bench/checker-porcupine/run.sh PORCUPINE_DIR OUT [corpora, e.g. etcd,kv,registers]
# PORCUPINE_DIR: a Porcupine checkout (github.com/anishathalye/porcupine; its test_data is the
# corpus). Needs Go. Porcupine runs with GOMAXPROCS=1, as the stored anchors were measured.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
porcupine="${1:?usage: run.sh PORCUPINE_DIR OUT [corpora]}"
out="$(realpath -m "${2:?usage: run.sh PORCUPINE_DIR OUT [corpora]}")"
only="${3:-}"
[ -f "$porcupine/porcupine_test.go" ] || { echo "run.sh: $porcupine is not a Porcupine checkout (no porcupine_test.go)" >&2; exit 3; }
command -v go >/dev/null || { echo "run.sh: needs Go (Debian: apt-get install golang-go)" >&2; exit 3; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$porcupine/." "$work/porcupine"
cp "$here/times_test.go" "$work/porcupine/zz_checker_bench_times_test.go"
(cd "$repo" && node --import tsx test/bench/checker-porcupine/dump-registers.ts "$work/registers" >/dev/null)
echo "porcupine times: load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
(cd "$work/porcupine" && GOFLAGS=-mod=mod GOMAXPROCS=1 PORCUPINE_TIMES_OUT="$out" PORCUPINE_TIMES_ONLY="$only" \
  PORCUPINE_TIMES_REGISTERS="$work/registers" go test -count=1 -timeout 60m -run '^TestCheckerBenchTimes$' . >&2)
echo "porcupine times: wrote $out, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
