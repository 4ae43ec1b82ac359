#!/usr/bin/env bash
# Issue 5 load benchmark: pgbench's built-in TPC-B-like script on distributed pgbench tables
# through Basalt vs. the same tables in one PostgreSQL, in one run:
#   pgbench_accounts by aid, pgbench_tellers by tid, pgbench_branches by bid (hash, 32 shards on
#   2 workers), pgbench_history by aid co-located with pgbench_accounts.
#   bench/tpcb.sh [--scale N] [--clients N] [--duration S] [--warmup S]
# "direct" is a database of Basalt's coordinator server (the same PostgreSQL build and settings).
# "direct 2PC" runs the same transactions there, each ended by PREPARE TRANSACTION and COMMIT
# PREPARED instead of COMMIT: what two-phase commit alone costs PostgreSQL on this machine, the
# protocol Basalt (like Citus) must use for the three quarters of the transactions that write on
# both workers.
# Afterwards each side must satisfy sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta)
# and count(history) = transactions processed; the script fails loudly (exit 1) otherwise, or if
# pgbench reports a failed transaction or a client error. Prints a Markdown section for
# docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCALE=10
CLIENTS=16
DURATION=60
WARMUP=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$ROOT/bench/lib.sh"
JOBS=$(( CLIENTS < 2 ? 1 : 2 ))

quiet() { # runs a command, showing its output only when it fails
  if ! "$@" >"$DATA/out" 2>&1; then cat "$DATA/out" >&2; echo "tpcb.sh: failed: $*" >&2; exit 1; fi
}
quiet pgbench -q -i -s "$SCALE" -p "$PORT" postgres
quiet psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres \
  -c "SELECT create_distributed_table('pgbench_accounts', 'aid')" \
  -c "SELECT create_distributed_table('pgbench_history', 'aid', colocate_with => 'pgbench_accounts')" \
  -c "SELECT create_distributed_table('pgbench_tellers', 'tid')" \
  -c "SELECT create_distributed_table('pgbench_branches', 'bid')" \
  -c "VACUUM ANALYZE pgbench_accounts" -c "VACUUM ANALYZE pgbench_tellers" \
  -c "VACUUM ANALYZE pgbench_branches" -c "VACUUM ANALYZE pgbench_history"
quiet psql -X -q -p "$DBPORT" -d postgres -c "CREATE DATABASE direct"
quiet pgbench -q -i -s "$SCALE" -p "$DBPORT" direct
quiet psql -X -q -p "$DBPORT" -d postgres -c "CREATE DATABASE direct2pc"
quiet pgbench -q -i -s "$SCALE" -p "$DBPORT" direct2pc
# pgbench's tpcb-like script with the commit made in two phases; one gid per client at a time.
cat >"$DATA/tpcb-2pc.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set tid random(1, 10 * :scale)
\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
PREPARE TRANSACTION 'bench_:client_id';
COMMIT PREPARED 'bench_:client_id';
SQL

# port db seconds [pgbench options] -> "tps processed failed" and the CPU µs per transaction of
# Basalt, its workers and the coordinator's server (where "direct" runs); any client error fails
# the script
run() {
  local out before after n
  before="$(ticks)"
  if ! out="$(pgbench -n -c "$CLIENTS" -j "$JOBS" -T "$3" -p "$1" "${@:4}" "$2" 2>&1)"; then
    echo "$out" >&2; echo "tpcb.sh: pgbench failed against port $1" >&2; exit 1
  fi
  sleep 0.2  # the postmasters reap the ended sessions
  after="$(ticks)"
  if grep -q "^pgbench: error\|client [0-9]* aborted" <<<"$out"; then
    echo "$out" >&2; echo "tpcb.sh: a client failed against port $1" >&2; exit 1
  fi
  n="$(awk '/actually processed/ {split($NF, a, "/"); print a[1]; exit}' <<<"$out")"
  echo "$(awk '/^tps = / {print $3; exit}' <<<"$out")" "$n" \
    "$(awk '/number of failed transactions/ {print $5; exit}' <<<"$out")" \
    "$(python3 -c "
b, a = '$before'.split(), '$after'.split()
print(*[f'{(int(y) - int(x)) * 1e6 / $TICK_HZ / max($n, 1):.0f}' for x, y in zip(b, a)])")"
}
# port db -> "accounts branches tellers history_delta history_rows"
sums() {
  psql -X -q -A -t -F ' ' -p "$1" -d "$2" -c "SELECT
    (SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(bbalance) FROM pgbench_branches),
    (SELECT sum(tbalance) FROM pgbench_tellers), (SELECT coalesce(sum(delta), 0) FROM pgbench_history),
    (SELECT count(*) FROM pgbench_history)"
}
# port db label processed: the four sums equal, one history row per transaction
check() {
  local a b t d n
  read -r a b t d n < <(sums "$1" "$2")
  if [[ "$a" != "$b" || "$a" != "$t" || "$a" != "$d" || "$n" != "$4" ]]; then
    echo "tpcb.sh: $3 is inconsistent: sum(abalance)=$a sum(bbalance)=$b sum(tbalance)=$t" \
      "sum(delta)=$d history rows=$n transactions=$4" >&2
    exit 1
  fi
  echo "$a"
}

declare -A R
if [[ "$WARMUP" != 0 ]]; then
  read -r _ W_B _ _ _ _ < <(run "$PORT" postgres "$WARMUP")
  read -r _ W_D _ _ _ _ < <(run "$DBPORT" direct "$WARMUP")
  read -r _ W_P _ _ _ _ < <(run "$DBPORT" direct2pc "$WARMUP" -f "$DATA/tpcb-2pc.sql")
else
  W_B=0 W_D=0 W_P=0
fi
read -r R[b-tps] R[b-n] R[b-failed] R[b-cpu-b] R[b-cpu-w] R[b-cpu-c] \
  < <(run "$PORT" postgres "$DURATION")
read -r R[d-tps] R[d-n] R[d-failed] _ _ R[d-cpu-c] < <(run "$DBPORT" direct "$DURATION")
read -r R[p-tps] R[p-n] R[p-failed] _ _ R[p-cpu-c] \
  < <(run "$DBPORT" direct2pc "$DURATION" -f "$DATA/tpcb-2pc.sql")
for side in b d p; do
  if [[ "${R[$side-failed]:-0}" != 0 ]]; then
    echo "tpcb.sh: ${R[$side-failed]} failed transactions ($side)" >&2; exit 1
  fi
done
R[b-sum]="$(check "$PORT" postgres Basalt $(( R[b-n] + W_B )))"
R[d-sum]="$(check "$DBPORT" direct direct $(( R[d-n] + W_D )))"
R[p-sum]="$(check "$DBPORT" direct2pc "direct 2PC" $(( R[p-n] + W_P )))"
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
ARGS=""
[[ $SCALE != 10 ]] && ARGS+=" --scale $SCALE"
[[ $CLIENTS != 16 ]] && ARGS+=" --clients $CLIENTS"
[[ $DURATION != 60 ]] && ARGS+=" --duration $DURATION"
[[ $WARMUP != 5 ]] && ARGS+=" --warmup $WARMUP"
cat <<MD
## TPC-B (pgbench tpcb-like) on distributed pgbench tables vs. one PostgreSQL (issue 5)

Command: \`bench/tpcb.sh$ARGS\` ($(date -u +%Y-%m-%d), $(nproc) cores; Basalt, its coordinator
database, 2 workers and pgbench on one machine, fsync on). Scale $SCALE; pgbench_accounts by aid,
pgbench_tellers by tid, pgbench_branches by bid (32 shards each), pgbench_history by aid
co-located with pgbench_accounts; "direct" is the same tables in one database of the
coordinator's PostgreSQL server; "direct 2PC" is the same again with every transaction ended by
\`PREPARE TRANSACTION\` and \`COMMIT PREPARED\` instead of \`COMMIT\`. \`pgbench -n -c $CLIENTS -j $JOBS -T $DURATION\`
(tpcb-like script, simple protocol) after a ${WARMUP} s warm-up on each side.

| measure | Basalt | direct | direct 2PC |
|---|---:|---:|---:|
| tps | ${R[b-tps]} | ${R[d-tps]} | ${R[p-tps]} |
| transactions | ${R[b-n]} | ${R[d-n]} | ${R[p-n]} |
| failed transactions | ${R[b-failed]:-0} | ${R[d-failed]:-0} | ${R[p-failed]:-0} |
| sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta) | ${R[b-sum]} | ${R[d-sum]} | ${R[p-sum]} |

Ratio: **$(ratio "${R[b-tps]}" "${R[d-tps]}")** of direct (aim ≥ 0.34, twice Citus's 0.17). Direct 2PC
reaches $(ratio "${R[p-tps]}" "${R[d-tps]}") of direct.

CPU per transaction (user + system time over the run's transactions; pgbench's own not counted):

| | Basalt | its 2 workers | coordinator database | direct server | direct 2PC |
|---|---:|---:|---:|---:|---:|
| µs per transaction | ${R[b-cpu-b]} | ${R[b-cpu-w]} | ${R[b-cpu-c]} | ${R[d-cpu-c]} | ${R[p-cpu-c]} |
MD
