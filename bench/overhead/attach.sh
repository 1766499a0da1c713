#!/usr/bin/env bash
# Attach latency (DESIGN §7: the duration asked plus ≤ 1.5 s): how long `dotnet-advisor profile -p PID
# --duration 5s` takes from start to exit on a running ASP.NET Core service (samples/CleanService, idle
# mode), per backend, several times; prints each wall time, its median, and the median minus the 5 s asked.
#   bash bench/overhead/attach.sh [--runs N] [--backends perf,ptrace,proc]
set -euo pipefail
RUNS=5
BACKENDS=perf,ptrace,proc
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --backends) BACKENDS=$2; shift 2 ;;
        *) echo "attach.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ADVISOR="$REPO/src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor"
SERVICE="$REPO/samples/CleanService/bin/Release/net10.0/CleanService.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/advisor-attach.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
dotnet build "$REPO/samples/CleanService" -c Release -v q -nologo >/dev/null
dotnet build "$REPO/src/Advisor.Cli" -c Release -v q -nologo >/dev/null

dotnet "$SERVICE" --idle 3600 2>"$WORK/service.log" &
service=$!
trap 'kill -KILL $service 2>/dev/null; wait $service 2>/dev/null; rm -rf "$WORK"' EXIT
for ((i = 0; i < 300; i++)); do grep -q listening "$WORK/service.log" && break; sleep 0.05; done

echo "| backend | wall seconds of profile -p PID --duration 5s (each run) | median | median − 5 s |"
echo "|---|---|---:|---:|"
IFS=, read -r -a LIST <<<"$BACKENDS"
for backend in "${LIST[@]}"; do
    times=()
    for ((run = 0; run < RUNS; run++)); do
        start=$(date +%s.%N)
        "$ADVISOR" profile -p "$service" --backend "$backend" --duration 5s -q -o "$WORK/$backend-$run.json"
        times+=("$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)")")
    done
    python3 - "$backend" "${times[@]}" <<'PY'
import statistics, sys
backend, times = sys.argv[1], [float(t) for t in sys.argv[2:]]
m = statistics.median(times)
print(f"| {backend} | {', '.join(f'{t:.2f}' for t in times)} | {m:.2f} | +{m - 5:.2f} |")
PY
done
echo
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc $(nproc), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
