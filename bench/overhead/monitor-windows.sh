#!/usr/bin/env bash
# What a monitor window costs a busy web service, against the paused part of the same interval: one
# CleanService under wrk, its throughput measured second by second, bare, then watched by `monitor` with long
# windows (default 5 s recorded of every 10 s), then bare again after the tool stops. Each second is classed by
# when the windows ran (from the moment the tool said it watches), so window and pause are compared in the same
# minute of the same process: much steadier than runs compared across services, where the machine's speed moves
# by more than the effect (bench/overhead/web.sh).
#
#   bash bench/overhead/monitor-windows.sh [--cycles N] [--bare S] [--watch S] [--interval D] [--record-for D] [-- MONITOR OPTIONS]
#
# With --cycles N the service goes through N bare phases and N watches, alternating, and a last bare phase: each
# watch (a new attach; its first interval is not measured) is compared with the bare phases on either side of
# it. That is the steady cost of a watch, interleaved: `--cycles 5 --bare 30 --watch 60 --record-for 1s`.
#
# Slices are `wrk -t1 -c16 -d1s` each; a slice that spans a window's edge counts only in "every second", which
# with the default windows (--record-for 1s) is the watch's whole cost against the bare seconds around it. Run as root; wrk is
# installed from Debian when missing. A watch's average cost is about window cost × recorded share.
set -euo pipefail

ORIGINAL_ARGS="$*"
CYCLES=1
BARE=20
WATCH=60
INTERVAL=10
RECORD_FOR=5
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cycles) CYCLES=$2; shift 2 ;;
        --bare) BARE=$2; shift 2 ;;
        --watch) WATCH=$2; shift 2 ;;
        --interval) INTERVAL=${2%s}; shift 2 ;;
        --record-for) RECORD_FOR=${2%s}; shift 2 ;;
        --) shift; break ;;
        *) echo "monitor-windows.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
EXTRA=("$@")

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ADVISOR="$REPO/src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor"
SERVICE="$REPO/samples/CleanService/bin/Release/net10.0/CleanService.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/advisor-windows.XXXXXX")
SERVICE_PID=
TOOL_PID=
cleanup() {
    # Each step may fail (a process already gone, wait's status after a kill) without keeping the next from running.
    if [[ -n "$TOOL_PID" ]]; then kill -TERM "$TOOL_PID" 2>/dev/null || true; wait "$TOOL_PID" 2>/dev/null || true; fi
    if [[ -n "$SERVICE_PID" ]]; then kill -KILL "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "[monitor-windows.sh] $*" >&2; }

command -v wrk >/dev/null 2>&1 || { log "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
log "building samples/CleanService and src/Advisor.Cli (Release)"
dotnet build "$REPO/samples/CleanService" -c Release -v q -nologo >/dev/null
dotnet build "$REPO/src/Advisor.Cli" -c Release -v q -nologo >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

dotnet "$SERVICE" --idle 3600 2>"$WORK/service.log" &
SERVICE_PID=$!
url=
for ((i = 0; i < 300; i++)); do
    url=$(sed -n 's/^CleanService listening on \(http[^ ]*\)$/\1/p' "$WORK/service.log")
    [[ -n "$url" ]] && break
    sleep 0.05
done
[[ -n "$url" ]] || { log "the service did not start"; exit 1; }

# One slice: its phase (with when its watch began), its cycle, its start (s since the epoch) and its requests/s.
slice() {
    local start; start=$(date +%s.%N)
    echo "$1 $2 $start $(wrk -t1 -c16 -d1s "$url/items/1" 2>/dev/null | sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p')"
}

wrk -t1 -c16 -d3s "$url/items/1" >/dev/null 2>&1 || true # JIT and pools warm
: >"$WORK/slices"
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
    for ((i = 0; i < BARE; i++)); do slice bare "$cycle"; done >>"$WORK/slices"
    "$ADVISOR" monitor -p "$SERVICE_PID" --interval "${INTERVAL}s" --record-for "${RECORD_FOR}s" "${EXTRA[@]}" >"$WORK/monitor-$cycle.log" 2>&1 &
    TOOL_PID=$!
    for ((i = 0; i < 600; i++)); do
        [[ -s "$WORK/monitor-$cycle.log" ]] && break
        sleep 0.01
    done
    watching=$(date +%s.%N) # the first window starts as the tool says it watches
    grep -q "watching pid" "$WORK/monitor-$cycle.log" || { log "monitor did not start: $(cat "$WORK/monitor-$cycle.log")"; exit 1; }
    wrk -t1 -c16 -d"$((INTERVAL + 2))s" "$url/items/1" >/dev/null 2>&1 || true # the attach and the first judgment pass
    for ((i = 0; i < WATCH; i++)); do slice "watched $watching" "$cycle"; done >>"$WORK/slices"
    kill -TERM "$TOOL_PID"
    wait "$TOOL_PID" || log "monitor exited with $?"
    TOOL_PID=
    log "cycle $cycle/$CYCLES done"
done
for ((i = 0; i < BARE; i++)); do slice bare "$((CYCLES + 1))"; done >>"$WORK/slices"

python3 - "$WORK/slices" "$INTERVAL" "$RECORD_FOR" <<'PY'
import statistics, sys
from collections import defaultdict
path, interval, window = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
bare, watched, recorded, paused = [], [], [], []
bare_of, watched_of = defaultdict(list), defaultdict(list)
for line in open(path):
    fields = line.split()
    if fields[0] == "bare" and len(fields) == 4:
        bare.append(float(fields[3]))
        bare_of[int(fields[1])].append(float(fields[3]))
        continue
    if fields[0] != "watched" or len(fields) != 5:
        continue  # a slice wrk failed
    t0, cycle, start, rps = float(fields[1]), int(fields[2]), float(fields[3]), float(fields[4])
    watched.append(rps)
    watched_of[cycle].append(rps)
    a, b = (start - t0) % interval, (start - t0) % interval + 1.05  # a slice lasts wrk's second and its start
    if b <= window:
        recorded.append(rps)
    elif a >= window and b <= interval:
        paused.append(rps)
m, mean = statistics.median, statistics.mean
# The throughput lost is the mean's: a window's seconds are few and low, which a median passes over.
print()
print("| seconds | slices | median req/s | mean req/s | mean vs bare |")
print("|---|---:|---:|---:|---:|")
for name, v in (("bare, before, between and after", bare), ("watched, paused", paused), ("watched, recording", recorded), ("watched, every second", watched)):
    if v:
        print(f"| {name} | {len(v)} | {m(v):,.0f} | {mean(v):,.0f} | {(mean(v) / mean(bare) - 1) * 100:+.1f}% |")
# Each watched phase against the bare phases on either side of it: the machine's drift cancels to first order.
paired = [(mean(v) / ((mean(bare_of[c]) + mean(bare_of[c + 1])) / 2) - 1) * 100 for c, v in sorted(watched_of.items()) if bare_of[c] and bare_of[c + 1]]
if paired:
    print(f"\nEach watched phase's mean against the bare phases around it: {', '.join(f'{p:+.1f}%' for p in paired)}; median {m(paired):+.1f}%.")
if len(paired) >= 2:
    # Student's t for a 95% interval over the watches (two-sided), as each watch is one paired measure.
    t95 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13]
    half = (t95[len(paired) - 2] if len(paired) - 2 < len(t95) else 2.0) * statistics.stdev(paired) / len(paired) ** 0.5
    print(f"Their mean: {mean(paired):+.1f}%, 95% interval {mean(paired) - half:+.1f}% to {mean(paired) + half:+.1f}% ({len(paired)} watches).")
if recorded and paused:
    cost = 1 - m(recorded) / m(paused)
    print(f"\nA window costs {cost:.1%} of the service's throughput while it records (medians, recording against paused): about {cost * window / interval:.1%} over an interval with these windows.")
PY
echo
echo "command:  bash bench/overhead/monitor-windows.sh $ORIGINAL_ARGS"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "loadavg:  $LOAD_BEFORE at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
