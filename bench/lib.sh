# Shared by the bench scripts (sourced): starts Basalt with 2 workers on a free port in a
# temporary directory that is removed, with Basalt stopped, when the script exits. Sets DATA,
# PORT (Basalt), DBPORT (its coordinator database) and the libpq environment for both.
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
