#!/usr/bin/env bash
# How right ADV019's estimate is: samples/RoundTrips against a real PostgreSQL and Redis on loopback (started
# here, stopped at the end), each pathological mode and its batched twin run bare, interleaved, and the time the
# fix really saved (Δ of the sample's own elapsed_ms) set beside what dotnet-advisor estimated from a recording
# of the pathological mode: the finding's blockedMs (waiting for answers it gives back) plus estimatedSavingMs
# (the avoidable calls' CPU and the runtime's spinning).
#
#   bash bench/savings/round-trips.sh [--rounds N] [--out FILE] [--tool PATH] [--no-build]
#
#   --rounds N   rounds (default 3); one round: per variant, pathological and fixed bare (odd rounds
#                pathological first), then the pathological mode under `dotnet-advisor run -q -o X.json`. Medians.
#   --out FILE   also write the table as Markdown to FILE
#   --tool PATH  the dotnet-advisor .dll to run (default: this worktree's Release build, built first)
#   --no-build   build nothing
#
# PostgreSQL runs as its own user with its defaults (fsync on: a commit per INSERT waits for the disk, as in
# production), Redis with persistence off. Run as root. Keep the machine otherwise idle.
set -euo pipefail

ROUNDS=3
OUT=
TOOL=
BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "round-trips.sh: --rounds needs a positive integer" >&2; exit 2; }; ROUNDS=$2; shift 2 ;;
        --out) [[ -n "${2:-}" ]] || { echo "round-trips.sh: --out needs a file" >&2; exit 2; }; OUT=$(realpath -m "$2"); shift 2 ;;
        --tool) [[ -n "${2:-}" ]] || { echo "round-trips.sh: --tool needs a path" >&2; exit 2; }; TOOL=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "round-trips.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$PG_BIN/postgres" ]] || { echo "round-trips.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "round-trips.sh: redis-server is not installed (apt-get install redis-server)" >&2; exit 1; }

if [[ $BUILD -eq 1 ]]; then
    dotnet build -c Release samples/RoundTrips -nologo -v q >/dev/null
    [[ -n "$TOOL" ]] || dotnet build -c Release src/Advisor.Cli -nologo -v q >/dev/null
fi
TOOL=${TOOL:-$REPO/src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor.dll}
SAMPLE=$REPO/samples/RoundTrips/bin/Release/net10.0/RoundTrips.dll

WORK=$(mktemp -d "${TMPDIR:-/tmp}/advisor-round-trips.XXXXXX")
PG_PID= REDIS_PID=
cleanup() {
    [[ -n "$PG_PID" ]] && kill -INT "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null || true
    [[ -n "$REDIS_PID" ]] && kill -TERM "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
chmod 711 "$WORK"   # postgres must reach its data folder inside
mkdir "$WORK/pg" && chown postgres "$WORK/pg"
setpriv --reuid=postgres --regid=postgres --init-groups "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
setpriv --reuid=postgres --regid=postgres --init-groups "$PG_BIN/postgres" -D "$WORK/pg" -k "$WORK/pg" -p "$PG_PORT" \
    -c listen_addresses=127.0.0.1 >"$WORK/pg.log" 2>&1 &
PG_PID=$!
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 1 100); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.2
done

VARIANTS=(
    "postgres insert|--peer postgres --shape insert --server 127.0.0.1:$PG_PORT"
    "postgres select|--peer postgres --shape select --server 127.0.0.1:$PG_PORT"
    "redis get|--peer redis --server 127.0.0.1:$REDIS_PORT"
    "own protocol|--peer own"
)

elapsed() { grep -o 'elapsed_ms=[0-9.]*' | cut -d= -f2; }
estimate() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["ruleId"] == "ADV019"]
print("%.1f %.1f" % (sum(x["estimatedSavingMs"] for x in f), sum(x.get("blockedMs") or 0 for x in f)) if f else "0 0")
PY
}

declare -A PATHO FIXED SAVING BLOCKED
for round in $(seq 1 "$ROUNDS"); do
    for row in "${VARIANTS[@]}"; do
        name=${row%%|*}
        read -r -a args <<<"${row#*|}"
        if (( round % 2 == 1 )); then
            p=$(dotnet "$SAMPLE" "${args[@]}" 2>&1 >/dev/null | elapsed); f=$(dotnet "$SAMPLE" "${args[@]}" --fixed 2>&1 >/dev/null | elapsed)
        else
            f=$(dotnet "$SAMPLE" "${args[@]}" --fixed 2>&1 >/dev/null | elapsed); p=$(dotnet "$SAMPLE" "${args[@]}" 2>&1 >/dev/null | elapsed)
        fi
        dotnet "$TOOL" run -q -o "$WORK/r.json" -- dotnet "$SAMPLE" "${args[@]}" >/dev/null 2>&1 || true
        read -r saving blocked < <(estimate "$WORK/r.json")
        PATHO[$name]+="$p "; FIXED[$name]+="$f "; SAVING[$name]+="$saving "; BLOCKED[$name]+="$blocked "
        echo "[round-trips] round $round $name: bare $p ms, fixed $f ms, estimate $blocked ms waited + $saving ms CPU" >&2
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
{
    echo "| variant | bare ms | fixed ms | Δ ms | estimate: waited + CPU ms | estimate ÷ Δ |"
    echo "|---|---:|---:|---:|---:|---:|"
    for row in "${VARIANTS[@]}"; do
        name=${row%%|*}
        p=$(median <<<"${PATHO[$name]}"); f=$(median <<<"${FIXED[$name]}")
        s=$(median <<<"${SAVING[$name]}"); b=$(median <<<"${BLOCKED[$name]}")
        awk -v n="$name" -v p="$p" -v f="$f" -v s="$s" -v b="$b" \
            'BEGIN { d = p - f; printf "| %s | %.1f | %.1f | %.1f | %.1f + %.1f | %s |\n", n, p, f, d, b, s, (d > 0 ? sprintf("**%.2f**", (b + s) / d) : "n/a") }'
    done
} | tee "${OUT:-/dev/null}"
