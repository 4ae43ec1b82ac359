#!/usr/bin/env bash
# Issue 6 streaming check: pipes GB of generated CSV through psql's \copy into a distributed table
# while Basalt's JVM is limited to a small heap, then checks the row count and a checksum and
# reports the JVM's peak resident memory. A COPY that held its input would fail with
# OutOfMemoryError long before the end.
#   bench/copy-stream.sh [--gb N] [--heap 256m]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GB=5
HEAP=256m
while [[ $# -gt 0 ]]; do
  case "$1" in
    --gb) GB="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export BASALT_JAVA_OPTS="-Xmx$HEAP"
source "$ROOT/bench/lib.sh"
# ~100 bytes a row: aid, bid, abalance, an 84-character filler.
ROWS=$(python3 -c "print(int($GB * 1024**3 / 100))")
psql -X -q -p "$PORT" -c "CREATE TABLE stream_accounts (aid bigint NOT NULL, bid int,
  abalance int, filler text)" -c "SELECT create_distributed_table('stream_accounts', 'aid')" \
  >/dev/null
JVM=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$DATA/data/basalt.pid")
start=$(date +%s)
psql -X -q -p "$DBPORT" -c "COPY (SELECT g, g % 100, g % 1000, repeat('x', 84)
  FROM generate_series(1, $ROWS) g) TO STDOUT (FORMAT csv)" \
  | psql -X -q -p "$PORT" -v ON_ERROR_STOP=1 -c "\\copy stream_accounts FROM pstdin (FORMAT csv)"
end=$(date +%s)
read -r COUNT SUM < <(psql -X -qAt -F ' ' -p "$PORT" -c "SELECT count(*), sum(aid) FROM stream_accounts")
EXPECTED_SUM=$(python3 -c "print($ROWS * ($ROWS + 1) // 2)")
HWM=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$JVM/status")
[[ "$COUNT" == "$ROWS" && "$SUM" == "$EXPECTED_SUM" ]] || {
  echo "loaded $COUNT rows (sum $SUM), expected $ROWS (sum $EXPECTED_SUM)" >&2; exit 1; }
cat <<MD
## Streaming a large COPY through Basalt with a small heap (issue 6)

Command: \`bench/copy-stream.sh --gb $GB --heap $HEAP\` ($(date -u +%Y-%m-%d), $(nproc) cores).
$ROWS generated CSV rows (about $GB GB) piped through psql's \`\\copy ... FROM pstdin\` into a table
distributed in 32 shards, with Basalt's JVM started with -Xmx$HEAP: all rows loaded (count and
sum(aid) checked) in $((end - start)) s; the JVM's peak resident memory (VmHWM) was $HWM.
MD
