#!/usr/bin/env bash
# Issue 6 benchmark: load 2 million pgbench_accounts-like CSV rows with psql's \copy through
# Basalt into a distributed table (32 shards on 2 workers) and directly into one PostgreSQL
# table (a database of Basalt's coordinator server), same run, same file, best of N runs each.
#   bench/copy.sh [--rows N] [--runs N]
# Prints a Markdown section for docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS=2000000
RUNS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$ROOT/bench/lib.sh"

TABLE="CREATE TABLE load_accounts (aid int NOT NULL PRIMARY KEY, bid int, abalance int,
  filler char(84))"
CSV="$DATA/accounts.csv"
psql -X -q -p "$DBPORT" -d postgres -c "CREATE DATABASE direct" >/dev/null
psql -X -q -p "$DBPORT" -d direct -c "\\copy (SELECT g, (g - 1) / 100000 + 1, 0,
  repeat(' ', 84) FROM generate_series(1, $ROWS) g) TO '$CSV' (FORMAT csv)" >/dev/null
psql -X -q -p "$PORT" -d postgres -c "$TABLE" \
  -c "SELECT create_distributed_table('load_accounts', 'aid')" >/dev/null
psql -X -q -p "$DBPORT" -d direct -c "$TABLE" >/dev/null

load() { # port db -> seconds for one \copy of the file
  psql -X -q -p "$1" -d "$2" -c "TRUNCATE load_accounts" >/dev/null
  local start end
  start=$(date +%s.%N)
  psql -X -q -p "$1" -d "$2" -v ON_ERROR_STOP=1 \
    -c "\\copy load_accounts FROM '$CSV' (FORMAT csv)" >/dev/null
  end=$(date +%s.%N)
  local n
  n=$(psql -X -qAt -p "$1" -d "$2" -c "SELECT count(*) FROM load_accounts")
  [[ "$n" == "$ROWS" ]] || { echo "loaded $n rows, expected $ROWS" >&2; exit 1; }
  python3 -c "print(f'{$end - $start:.3f}')"
}
best() { sort -n | head -1; }
B=(); D=()
for ((i = 0; i < RUNS; i++)); do
  B+=("$(load "$PORT" postgres)")
  D+=("$(load "$DBPORT" direct)")
done
BB=$(printf '%s\n' "${B[@]}" | best)
DD=$(printf '%s\n' "${D[@]}" | best)
rate() { python3 -c "print(f'{$ROWS / $1:,.0f}'.replace(',', ' '))"; }
ratio() { python3 -c "print(f'{$2 / $1:.2f}')"; }
SIZE=$(du -m "$CSV" | cut -f1)
cat <<MD
## COPY into a distributed table through Basalt vs. one PostgreSQL (issue 6)

Command: \`bench/copy.sh --rows $ROWS --runs $RUNS\` ($(date -u +%Y-%m-%d), $(nproc) cores;
Basalt, its coordinator database, 2 workers and psql on one machine). psql's \`\\copy ... FROM
'file' (FORMAT csv)\` of $ROWS pgbench_accounts-like rows ($SIZE MB) into a table with a primary
key: through Basalt into a table distributed by aid in 32 shards, and directly into the same
table in one database of the coordinator's PostgreSQL server. Best of $RUNS runs each
(all runs, seconds: Basalt ${B[*]}; direct ${D[*]}).

| measure | Basalt | direct | ratio | aim |
|---|---:|---:|---:|---|
| rows/s | $(rate "$BB") | $(rate "$DD") | $(ratio "$BB" "$DD") of direct | ≥ 0.9 |
MD
