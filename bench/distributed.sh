#!/usr/bin/env bash
# Issue 4 benchmark: a distributed pgbench_accounts (scale 10, 1M rows, 32 shards on 2 workers)
# through Basalt vs the same table in one PostgreSQL (a database of Basalt's coordinator server),
# measured in one run: pgbench -S point selects (simple and prepared) and
# SELECT count(*), sum(abalance), avg(abalance) over all rows.
#   bench/distributed.sh [--duration S] [--warmup S]
# --warmup (default 20) is how long each mode runs unmeasured first, on both targets: on 2 cores
# Basalt's JIT compiler is still at work on the point-select path 10 s into a run (perf: a sixth
# of Basalt's CPU in the compiler threads), and the aim is about the steady state.
# Prints a Markdown section for docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=15
WARMUP=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$ROOT/bench/lib.sh"

pgbench -q -i -s 10 -p "$PORT" postgres >/dev/null 2>&1
# Its NOTICEs about copying the rows would land in the Markdown of whoever captures stderr too
# (Basalt sends them whatever client_min_messages says): shown only if it fails.
if ! psql -X -q -p "$PORT" -d postgres \
    -c "SELECT create_distributed_table('pgbench_accounts', 'aid')" >/dev/null 2>"$DATA/err"; then
  cat "$DATA/err" >&2
  exit 1
fi
psql -X -q -p "$PORT" -d postgres -c "VACUUM ANALYZE pgbench_accounts" >/dev/null
psql -X -q -p "$DBPORT" -d postgres -c "CREATE DATABASE direct" >/dev/null
pgbench -q -i -s 10 -p "$DBPORT" direct >/dev/null 2>&1

declare -A US
tps() { # port db mode seconds [script args]; also sets US[<mode>-<b|w|c>], CPU µs per query
  local before after out n
  before="$(ticks)"
  out="$(pgbench -n -M "$3" -c 8 -j 2 -T "$4" -p "$1" "${@:5}" "$2" 2>&1)"
  sleep 0.2  # the postmasters reap the ended sessions
  after="$(ticks)"
  n="$(echo "$out" | awk '/actually processed/ {split($NF, a, "/"); print a[1]; exit}')"
  read -r US[$3-b] US[$3-w] US[$3-c] < <(python3 -c "
b, a = '$before'.split(), '$after'.split()
print(*[f'{(int(y) - int(x)) * 1e6 / $TICK_HZ / $n:.0f}' for x, y in zip(b, a)])")
  echo "$out" | awk '/^tps = / {print $3; exit}'
}
latency() { # port db seconds script -> average latency in ms, one client
  pgbench -n -c 1 -T "$3" -p "$1" -f "$4" "$2" 2>&1 | awk '/^latency average/ {print $4; exit}'
}
declare -A R
for mode in simple prepared; do
  tps "$PORT" postgres "$mode" "$WARMUP" -S >/dev/null
  tps "$DBPORT" direct "$mode" "$WARMUP" -S >/dev/null
  tps "$PORT" postgres "$mode" "$DURATION" -S > "$DATA/tps"
  R[b-$mode]="$(cat "$DATA/tps")" R[b-$mode-b]="${US[$mode-b]}" R[b-$mode-w]="${US[$mode-w]}"
  tps "$DBPORT" direct "$mode" "$DURATION" -S > "$DATA/tps"
  R[d-$mode]="$(cat "$DATA/tps")" R[d-$mode-c]="${US[$mode-c]}"
done
AGG="$DATA/agg.sql"
echo "SELECT count(*), sum(abalance), avg(abalance) FROM pgbench_accounts;" > "$AGG"
latency "$PORT" postgres 3 "$AGG" >/dev/null; latency "$DBPORT" direct 3 "$AGG" >/dev/null
R[b-agg]="$(latency "$PORT" postgres "$DURATION" "$AGG")"
R[d-agg]="$(latency "$DBPORT" direct "$DURATION" "$AGG")"
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
cat <<MD
## Distributed pgbench_accounts through Basalt vs. one PostgreSQL (issue 4)

Command: \`bench/distributed.sh --duration $DURATION$([[ $WARMUP != 3 ]] && echo " --warmup $WARMUP" || true)\` ($(date -u +%Y-%m-%d), $(nproc) cores; Basalt,
its coordinator database, 2 workers and pgbench on one machine). pgbench_accounts at scale 10
(1M rows) distributed by aid in 32 shards; "direct" is the same table in one database of the
coordinator's PostgreSQL server. Point selects: pgbench -S -c 8 -j 2; aggregate: one client.

| measure | Basalt | direct | ratio | aim |
|---|---:|---:|---:|---|
| pgbench -S simple (tps) | ${R[b-simple]} | ${R[d-simple]} | $(ratio "${R[b-simple]}" "${R[d-simple]}") of direct | ≥ 0.5 |
| pgbench -S prepared (tps) | ${R[b-prepared]} | ${R[d-prepared]} | $(ratio "${R[b-prepared]}" "${R[d-prepared]}") of direct | ≥ 0.5 |
| count/sum/avg over 1M rows (ms) | ${R[b-agg]} | ${R[d-agg]} | $(ratio "${R[b-agg]}" "${R[d-agg]}")× the single server | ≤ 1.5× |

CPU per point select (user + system time over the queries of the run; pgbench's own not counted),
steadier than tps on a machine shared with other work:

| mode | Basalt | its 2 workers | direct server |
|---|---:|---:|---:|
| simple | ${R[b-simple-b]} µs | ${R[b-simple-w]} µs | ${R[d-simple-c]} µs |
| prepared | ${R[b-prepared-b]} µs | ${R[b-prepared-w]} µs | ${R[d-prepared-c]} µs |
MD
