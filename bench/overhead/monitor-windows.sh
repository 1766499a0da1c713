#!/usr/bin/env bash
# What a monitor window costs a busy web service, against the paused part of the same interval: one
# CleanService under wrk, its throughput measured second by second, bare, then watched by `monitor` with long
# windows (default 5 s recorded of every 10 s), then bare again after the tool stops. Each second is classed by
# when the windows ran (from the moment the tool said it watches), so window and pause are compared in the same
# minute of the same process: much steadier than runs compared across services, where the machine's speed moves
# by more than the effect (bench/overhead/web.sh).
#
#   bash bench/overhead/monitor-windows.sh [--cycles N] [--bare S] [--watch S] [--interval D] [--record-for D]
#        [--variant "LABEL [VAR=VALUE ...]" ...] [-- MONITOR OPTIONS]
#
# With --cycles N the service goes through N bare phases and N watches, alternating, and a last bare phase: each
# watch (a new attach; its first interval is not measured) is compared with the bare phases on either side of
# it. That is the steady cost of a watch, interleaved: `--cycles 5 --bare 30 --watch 60 --record-for 1s`.
#
# With --variant (repeatable), each cycle watches once with every variant, each after a bare phase of its own, in an
# order that rotates from cycle to cycle; a variant is a label and the environment its tool runs with, where
# ADVISOR=PATH picks another build of the tool. Every variant is then measured against the same bare phases, and
# each is compared with the first, cycle by cycle: `--variant default --variant "no-gc ADVISOR_RUNTIME_EVENTS=-gc"`.
#
# Slices are `wrk -t1 -c16 -d1s` each; a slice that spans a window's edge counts only in "every second", which
# with the default windows (--record-for 1s) is the watch's whole cost against the bare seconds around it. Each
# slice also counts the service's CPU ticks, which give its CPU per thousand requests. Run as root; wrk is installed
# from Debian when missing. A watch's average cost is about window cost × recorded share.
set -euo pipefail

ORIGINAL_ARGS=$(printf "%q " "$@")
CYCLES=1
BARE=20
WATCH=60
INTERVAL=10
RECORD_FOR=5
VARIANTS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cycles) CYCLES=$2; shift 2 ;;
        --bare) BARE=$2; shift 2 ;;
        --watch) WATCH=$2; shift 2 ;;
        --interval) INTERVAL=${2%s}; shift 2 ;;
        --record-for) RECORD_FOR=${2%s}; shift 2 ;;
        --variant) VARIANTS+=("$2"); shift 2 ;;
        --) shift; break ;;
        *) echo "monitor-windows.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
EXTRA=("$@")
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("monitor")

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

ticks() { awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat"; }
# One slice: its phase (bare, or watched with its variant and when its watch began), its phase's number, its start
# (s since the epoch), the service's CPU ticks during it, and its requests/s (last, as wrk may print none).
slice() {
    local start before rps
    start=$(date +%s.%N)
    before=$(ticks)
    rps=$(wrk -t1 -c16 -d1s "$url/items/1" 2>/dev/null | sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p')
    echo "$1 $2 $start $(($(ticks) - before)) $rps"
}

wrk -t1 -c16 -d3s "$url/items/1" >/dev/null 2>&1 || true # JIT and pools warm
: >"$WORK/slices"
phase=0 # bare phase k is followed by watch k, which the script compares with bare phases k and k+1
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
    for ((v = 0; v < ${#VARIANTS[@]}; v++)); do
        read -r -a variant <<<"${VARIANTS[$(((v + cycle - 1) % ${#VARIANTS[@]}))]}"
        label=${variant[0]}
        environment=("${variant[@]:1}")
        advisor=$ADVISOR
        for assignment in "${environment[@]}"; do [[ $assignment == ADVISOR=* ]] && advisor=${assignment#ADVISOR=}; done
        phase=$((phase + 1))
        for ((i = 0; i < BARE; i++)); do slice bare "$phase"; done >>"$WORK/slices"
        env "${environment[@]}" "$advisor" monitor -p "$SERVICE_PID" --interval "${INTERVAL}s" --record-for "${RECORD_FOR}s" "${EXTRA[@]}" >"$WORK/monitor-$phase.log" 2>&1 &
        TOOL_PID=$!
        for ((i = 0; i < 600; i++)); do
            [[ -s "$WORK/monitor-$phase.log" ]] && break
            sleep 0.01
        done
        watching=$(date +%s.%N) # the first window starts as the tool says it watches
        grep -q "watching pid" "$WORK/monitor-$phase.log" || { log "monitor ($label) did not start: $(cat "$WORK/monitor-$phase.log")"; exit 1; }
        wrk -t1 -c16 -d"$((INTERVAL + 2))s" "$url/items/1" >/dev/null 2>&1 || true # the attach and the first judgment pass
        for ((i = 0; i < WATCH; i++)); do slice "watched $label $watching" "$phase"; done >>"$WORK/slices"
        kill -TERM "$TOOL_PID"
        wait "$TOOL_PID" || log "monitor ($label) exited with $?"
        TOOL_PID=
        raised=$(grep -c ' raised ' "$WORK/monitor-$phase.log" || true)
        [[ $raised == 0 ]] || log "monitor ($label) raised $raised findings: $(grep ' raised ' "$WORK/monitor-$phase.log" | head -3)"
    done
    log "cycle $cycle/$CYCLES done"
done
for ((i = 0; i < BARE; i++)); do slice bare "$((phase + 1))"; done >>"$WORK/slices"

python3 - "$WORK/slices" "$INTERVAL" "$RECORD_FOR" "$(getconf CLK_TCK)" "${VARIANTS[@]}" <<'PY'
import statistics, sys
from collections import defaultdict
path, interval, window, tck = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
labels = [v.split()[0] for v in sys.argv[5:]]
bare, bare_cpu, bare_of = [], [], defaultdict(list)
classes = {label: defaultdict(list) for label in labels}  # label -> class -> requests/s
cpu = {label: [] for label in labels}  # label -> (ticks, requests) per slice
watch_of = {}  # phase -> (label, requests/s of its slices)
for line in open(path):
    fields = line.split()
    if fields[0] == "bare" and len(fields) == 5:
        rps = float(fields[4])
        bare.append(rps)
        bare_of[int(fields[1])].append(rps)
        bare_cpu.append((int(fields[3]), rps))
        continue
    if fields[0] != "watched" or len(fields) != 7:
        continue  # a slice wrk failed
    label, t0, phase, start, ticks, rps = fields[1], float(fields[2]), int(fields[3]), float(fields[4]), int(fields[5]), float(fields[6])
    watch_of.setdefault(phase, (label, []))[1].append(rps)
    cpu[label].append((ticks, rps))
    c = classes[label]
    c["every"].append(rps)
    a, b = (start - t0) % interval, (start - t0) % interval + 1.05  # a slice lasts wrk's second and its start
    if b <= window:
        c["recorded"].append(rps)
    elif a >= window and b <= interval:
        c["paused"].append(rps)
m, mean = statistics.median, statistics.mean
t95 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13]
def interval95(values):
    """Student's t, two-sided, over paired measures."""
    half = (t95[len(values) - 2] if len(values) - 2 < len(t95) else 2.0) * statistics.stdev(values) / len(values) ** 0.5
    return f"{mean(values):+.1f}%, 95% interval {mean(values) - half:+.1f}% to {mean(values) + half:+.1f}% ({len(values)})"
def per_thousand(pairs):
    """The service's CPU, ms per thousand requests, over slices of about one second each."""
    return sum(t for t, _ in pairs) / tck * 1000 / sum(r for _, r in pairs) * 1000
# The throughput lost is the mean's: a window's seconds are few and low, which a median passes over.
print()
print("| seconds | slices | median req/s | mean req/s | mean vs bare | service CPU, ms per 1k requests |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| bare, before, between and after | {len(bare)} | {m(bare):,.0f} | {mean(bare):,.0f} | | {per_thousand(bare_cpu):.1f} |")
for label in labels:
    prefix = "" if len(labels) == 1 else f"{label}: "
    for name, key in (("watched, paused", "paused"), ("watched, recording", "recorded"), ("watched, every second", "every")):
        v = classes[label][key]
        if v:
            cpu_text = f"{per_thousand(cpu[label]):.1f}" if key == "every" else ""
            print(f"| {prefix}{name} | {len(v)} | {m(v):,.0f} | {mean(v):,.0f} | {(mean(v) / mean(bare) - 1) * 100:+.1f}% | {cpu_text} |")
# Each watch against the bare phases on either side of it: the machine's drift cancels to first order.
paired = {label: {} for label in labels}  # label -> phase -> %
for phase, (label, v) in sorted(watch_of.items()):
    if bare_of[phase] and bare_of[phase + 1]:
        paired[label][phase] = (mean(v) / ((mean(bare_of[phase]) + mean(bare_of[phase + 1])) / 2) - 1) * 100
for label in labels:
    p = list(paired[label].values())
    if not p:
        continue
    prefix = "" if len(labels) == 1 else f"{label}: "
    print(f"\n{prefix}each watched phase's mean against the bare phases around it: {', '.join(f'{x:+.1f}%' for x in p)}; median {m(p):+.1f}%.")
    if len(p) >= 2:
        print(f"{prefix}their mean: {interval95(p)}.")
    c = classes[label]
    if c["recorded"] and c["paused"]:
        cost = 1 - m(c["recorded"]) / m(c["paused"])
        print(f"{prefix}a window costs {cost:.1%} of the service's throughput while it records (medians, recording against paused): about {cost * window / interval:.1%} over an interval with these windows.")
# Each variant against the first, cycle by cycle: a cycle's watches are next to one another in time.
if len(labels) > 1:
    first = [p for _, p in sorted(paired[labels[0]].items())]
    for label in labels[1:]:
        other = [p for _, p in sorted(paired[label].items())]
        d = [b - a for a, b in zip(first, other)]
        if len(d) >= 2:
            print(f"\n{label} against {labels[0]}, cycle by cycle (points): {interval95(d)}.")
PY
echo
echo "command:  bash bench/overhead/monitor-windows.sh $ORIGINAL_ARGS"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "loadavg:  $LOAD_BEFORE at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
