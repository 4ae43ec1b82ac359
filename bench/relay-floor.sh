#!/usr/bin/env bash
# The floor of a relaying coordinator on this machine: pgbench -S (prepared, -c 8 -j 2) directly
# against one PostgreSQL, and through bench/RelayFloor.java, a proxy that only copies bytes
# between the client's TCP socket and the server's Unix socket, in two designs (a thread per
# direction per connection, as Basalt's sessions block; one event-loop thread for all sockets).
# Whatever a coordinator does per query comes on top of what this relay costs.
#   bench/relay-floor.sh [--duration S] [--runs N]
# Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=10
RUNS=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
source "$ROOT/bench/lib.sh"
# The JDK the launcher found for Basalt runs the relay too.
JAVA="$(readlink "/proc/$BASALT_PID/exe")"
SOCKET="$DATA/data/coordinator-run/.s.PGSQL.$DBPORT"

psql -X -q -p "$DBPORT" -d postgres -c "CREATE DATABASE direct" >/dev/null
pgbench -q -i -s 10 -p "$DBPORT" direct >/dev/null 2>&1

RELAY_PIDS=()
stop_relays() { for p in "${RELAY_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; cleanup; }
trap stop_relays EXIT
declare -A RPORT RPID
for design in threads loop; do
  RPORT[$design]="$(free_port)"
  "$JAVA" -XX:+UseSerialGC "$ROOT/bench/RelayFloor.java" "$design" "${RPORT[$design]}" "$SOCKET" \
    >"/tmp/relay-$design.log" 2>&1 &
  RPID[$design]=$!
  RELAY_PIDS+=($!)
done
for design in threads loop; do
  for _ in $(seq 50); do
    pg_isready -q -h 127.0.0.1 -p "${RPORT[$design]}" && break
    sleep 0.2
  done
done

proc_ticks() { # pid -> user + system clock ticks
  python3 -c "
s = open('/proc/$1/stat').read(); f = s[s.rfind(')') + 2:].split(); print(int(f[11]) + int(f[12]))"
}
# Until the sessions of the last run have left the server (the relays close theirs a moment
# after pgbench does): a new run would find the connection slots taken.
settle() {
  for _ in $(seq 100); do
    [[ "$(psql -X -Atq -p "$DBPORT" -d postgres -c \
      "SELECT count(*) FROM pg_stat_activity WHERE datname = 'direct'")" == 0 ]] && return
    sleep 0.1
  done
}
# One measured run: port -> "tps relay-µs/query server-µs/query"
run() {
  local port="$1" pid="${2:-}" before after rb ra out n tps
  settle
  pgbench -n -S -M prepared -c 8 -j 2 -T 3 -p "$port" direct >/dev/null 2>&1 || true
  settle
  before="$(ticks)"; rb="$([[ -n "$pid" ]] && proc_ticks "$pid" || echo 0)"
  out="$(pgbench -n -S -M prepared -c 8 -j 2 -T "$DURATION" -p "$port" direct 2>&1)" || {
    echo "pgbench failed on port $port:" >&2; echo "$out" >&2; exit 1; }
  sleep 0.2
  after="$(ticks)"; ra="$([[ -n "$pid" ]] && proc_ticks "$pid" || echo 0)"
  n="$(echo "$out" | awk '/actually processed/ {split($NF, a, "/"); print a[1]; exit}')"
  tps="$(echo "$out" | awk '/^tps = / {print $3; exit}')"
  python3 -c "
b, a = '$before'.split(), '$after'.split()
print(f'$tps {($ra - $rb) * 1e6 / $TICK_HZ / $n:.1f} {(int(a[2]) - int(b[2])) * 1e6 / $TICK_HZ / $n:.1f}')"
}

echo "| run | direct tps | relay, thread per direction: tps (ratio) | relay µs/query | server µs/query | relay, event loop: tps (ratio) | relay µs/query | server µs/query | direct server µs/query |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in $(seq "$RUNS"); do
  read -r dt _ dc < <(run "$DBPORT")
  read -r tt tr tc < <(run "${RPORT[threads]}" "${RPID[threads]}")
  read -r lt lr lc < <(run "${RPORT[loop]}" "${RPID[loop]}")
  python3 -c "
d, t, l = float('$dt'), float('$tt'), float('$lt')
print(f'| {$r} | {d:.0f} | {t:.0f} ({t / d:.2f}) | $tr | $tc | {l:.0f} ({l / d:.2f}) | $lr | $lc | $dc |')"
done
