#!/usr/bin/env bash
# Measures pgbench -S (simple and -M prepared, -c 8 -j 2) through Basalt and directly against
# Basalt's coordinator database, in one run, and writes the results into docs/benchmarks.md.
#   bench/pgbench-select.sh [--duration S] [--scale N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=20
WARMUP=5
SCALE=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source "$ROOT/bench/lib.sh"

pgbench -q -i -s "$SCALE" -p "$PORT" >/dev/null 2>&1

BASALT_PID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$DATA/data/basalt.pid")"
# CPU time (clock ticks, user + system) the Basalt process has used so far
basalt_ticks() { awk '{print $14 + $15}' "/proc/$BASALT_PID/stat"; }
TICK_HZ="$(getconf CLK_TCK)"

OUT=""
run() { # label port mode duration -> prints tps; leaves pgbench's output in $OUT
  OUT="$(pgbench -n -S -M "$3" -c 8 -j 2 -T "$4" -p "$2" 2>&1)"
  echo "$OUT" | awk '/^tps = / {print $3; exit}'
}

declare -A TPS USPQ
for mode in simple prepared; do
  run warm "$PORT" "$mode" "$WARMUP" >/dev/null
  run warm "$DBPORT" "$mode" "$WARMUP" >/dev/null
  t0="$(basalt_ticks)"
  run basalt "$PORT" "$mode" "$DURATION" >/dev/null
  t1="$(basalt_ticks)"
  TPS[basalt-$mode]="$(echo "$OUT" | awk '/^tps = / {print $3; exit}')"
  n="$(echo "$OUT" | awk '/actually processed/ {split($NF, a, "/"); print a[1]; exit}')"
  # Basalt's own CPU per query in microseconds: steadier than tps on a shared machine
  USPQ[$mode]="$(python3 -c "print(f'{($t1 - $t0) * 1e6 / $TICK_HZ / $n:.0f}')")"
  TPS[direct-$mode]="$(run direct "$DBPORT" "$mode" "$DURATION")"
done

ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
DATE="$(date -u +%Y-%m-%d)"
CPU="$(nproc) cores"
PGV="$(psql -At -p "$DBPORT" -c 'show server_version' | cut -d' ' -f1)"
# Only this script's own section of docs/benchmarks.md is replaced; the other scripts' sections
# and the notes stay as they are.
# (In the directory lib.sh's cleanup removes: its EXIT trap stays the only one.)
SECTION="$DATA/section.md"
cat > "$SECTION" <<MD
## pgbench -S through Basalt vs. directly (issue: foundation)

Command: \`bench/pgbench-select.sh --duration $DURATION --scale $SCALE\`
(pgbench -S -c 8 -j 2 -T $DURATION after a ${WARMUP} s warm-up per target; scale $SCALE;
"direct" is the coordinator database Basalt runs on, over TCP loopback with SCRAM, exactly as
Basalt's clients connect to Basalt; Basalt relays every statement to it.)

Run on $DATE, $CPU, PostgreSQL $PGV, Basalt and PostgreSQL and pgbench all on one machine.

| mode | Basalt tps | direct tps | ratio (Basalt / direct) | aim | Basalt CPU per query |
|---|---:|---:|---:|---:|---:|
| simple (\`-M simple\`) | ${TPS[basalt-simple]} | ${TPS[direct-simple]} | $(ratio "${TPS[basalt-simple]}" "${TPS[direct-simple]}") | ≥ 0.5 | ${USPQ[simple]} µs |
| prepared (\`-M prepared\`) | ${TPS[basalt-prepared]} | ${TPS[direct-prepared]} | $(ratio "${TPS[basalt-prepared]}" "${TPS[direct-prepared]}") | ≥ 0.5 | ${USPQ[prepared]} µs |

"Basalt CPU per query" is the user + system CPU time of the Basalt process during the Basalt run
divided by the queries it relayed. On a machine shared with other work the tps figures (direct
ones too) move by tens of percent from run to run; this one moves much less.

Reference points on this kind of machine (from the issue): Citus's coordinator reached 0.18 of
direct, ShardingSphere-Proxy about 0.23.
MD
python3 - "$ROOT/docs/benchmarks.md" "$SECTION" <<'PY'
import sys
doc_path, section_path = sys.argv[1], sys.argv[2]
section = open(section_path).read().rstrip("\n") + "\n"
try:
    doc = open(doc_path).read()
except FileNotFoundError:
    doc = ("# Benchmarks\n\nEach figure is measured by a script in `bench/`, against direct"
           " PostgreSQL in the same run.\n\n")
lines = doc.splitlines(keepends=True)
start = next((i for i, l in enumerate(lines) if l.startswith("## pgbench -S through Basalt")), None)
if start is None:
    at = next((i for i, l in enumerate(lines) if l.startswith("## ")), len(lines))
    lines[at:at] = [section, "\n"]
else:
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    lines[start:end] = [section, "\n"]
open(doc_path, "w").write("".join(lines))
PY
cat "$SECTION"
