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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA="$(mktemp -d /tmp/basalt-bench-XXXXXX)"
chmod 755 "$DATA"
PORT="$(free_port)"
cleanup() { "$ROOT/bin/basalt" stop --data-dir "$DATA/data" >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap cleanup EXIT

"$ROOT/bin/basalt" start --port "$PORT" --data-dir "$DATA/data" --workers 2
PW="$(cat "$DATA/data/password")"
DBPORT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["coordinatorDbPort"])' "$DATA/data/cluster.json")"
export PGUSER=postgres PGPASSWORD="$PW" PGDATABASE=postgres PGHOST=127.0.0.1 PGSSLMODE=disable

pgbench -q -i -s "$SCALE" -p "$PORT" >/dev/null 2>&1

run() { # label port mode duration -> prints tps
  local out
  out="$(pgbench -n -S -M "$3" -c 8 -j 2 -T "$4" -p "$2" 2>&1)"
  echo "$out" | awk '/^tps = / {print $3; exit}'
}

declare -A TPS
for mode in simple prepared; do
  run warm "$PORT" "$mode" "$WARMUP" >/dev/null
  run warm "$DBPORT" "$mode" "$WARMUP" >/dev/null
  TPS[basalt-$mode]="$(run basalt "$PORT" "$mode" "$DURATION")"
  TPS[direct-$mode]="$(run direct "$DBPORT" "$mode" "$DURATION")"
done

ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
DATE="$(date -u +%Y-%m-%d)"
CPU="$(nproc) cores"
PGV="$(psql -At -p "$DBPORT" -c 'show server_version' | cut -d' ' -f1)"
cat > "$ROOT/docs/benchmarks.md" <<MD
# Benchmarks

Each figure is measured by a script in \`bench/\`, against direct PostgreSQL in the same run.

## pgbench -S through Basalt vs. directly (issue: foundation)

Command: \`bench/pgbench-select.sh --duration $DURATION --scale $SCALE\`
(pgbench -S -c 8 -j 2 -T $DURATION after a ${WARMUP} s warm-up per target; scale $SCALE;
"direct" is the coordinator database Basalt runs on, over TCP loopback with SCRAM, exactly as
Basalt's clients connect to Basalt; Basalt relays every statement to it.)

Run on $DATE, $CPU, PostgreSQL $PGV, Basalt and PostgreSQL and pgbench all on one machine.

| mode | Basalt tps | direct tps | ratio (Basalt / direct) | aim |
|---|---:|---:|---:|---:|
| simple (\`-M simple\`) | ${TPS[basalt-simple]} | ${TPS[direct-simple]} | $(ratio "${TPS[basalt-simple]}" "${TPS[direct-simple]}") | ≥ 0.5 |
| prepared (\`-M prepared\`) | ${TPS[basalt-prepared]} | ${TPS[direct-prepared]} | $(ratio "${TPS[basalt-prepared]}" "${TPS[direct-prepared]}") | ≥ 0.5 |

Reference points on this kind of machine (from the issue): Citus's coordinator reached 0.18 of
direct, ShardingSphere-Proxy about 0.23.
MD
cat "$ROOT/docs/benchmarks.md"
