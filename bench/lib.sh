# Shared by the bench scripts (sourced): starts Basalt with 2 workers on a free port in a
# temporary directory that is removed, with Basalt stopped, when the script exits. Sets DATA,
# PORT (Basalt), DBPORT (its coordinator database) and the libpq environment for both; ticks
# reads the CPU time used so far by Basalt, its workers and its coordinator database.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA="$(mktemp -d /tmp/basalt-bench-XXXXXX)"
chmod 755 "$DATA"
PORT="$(free_port)"
cleanup() { "$ROOT/bin/basalt" stop --data-dir "$DATA/data" >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap cleanup EXIT

"$ROOT/bin/basalt" start --port "$PORT" --data-dir "$DATA/data" --workers 2 >/dev/null
DBPORT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["coordinatorDbPort"])' "$DATA/data/cluster.json")"
export PGUSER=postgres PGPASSWORD="$(cat "$DATA/data/password")" PGDATABASE=postgres \
  PGHOST=127.0.0.1 PGSSLMODE=disable

BASALT_PID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$DATA/data/basalt.pid")"
# CPU time (clock ticks, user + system) used so far by Basalt, by the workers' PostgreSQL servers
# and by the coordinator's server ("direct" runs there): a server's is its postmaster's own and
# its reaped children's (the sessions of pgbench runs that ended) plus its live children's.
ticks() { # -> "basalt workers coordinator" clock ticks
  python3 - "$DATA/data" "$BASALT_PID" <<'PY'
import os, sys
data, basalt = sys.argv[1], sys.argv[2]
masters = {}
for d in os.listdir(data):
    pid_file = os.path.join(data, d, 'postmaster.pid')
    if os.path.exists(pid_file):
        masters[open(pid_file).readline().strip()] = 'w' if d.startswith('worker-') else 'c'
sums = {'b': 0, 'w': 0, 'c': 0}
for p in os.listdir('/proc'):
    try:
        s = open(f'/proc/{p}/stat').read()
    except (OSError, NotADirectoryError):
        continue
    f = s[s.rfind(')') + 2:].split()
    if p == basalt:
        sums['b'] += int(f[11]) + int(f[12])
    elif p in masters:
        sums[masters[p]] += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
    elif f[1] in masters:
        sums[masters[f[1]]] += int(f[11]) + int(f[12])
print(sums['b'], sums['w'], sums['c'])
PY
}
TICK_HZ="$(getconf CLK_TCK)"
