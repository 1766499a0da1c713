#!/usr/bin/env bash
# Throughput an ASP.NET Core service keeps while it is recorded: wrk drives samples/CleanService (serving,
# idle mode: no built-in client) over loopback, bare and under each recorder, rounds interleaved, and prints
# the median requests/s and the loss against bare (DESIGN §7: ≤ 5% lost under dotnet-advisor).
#
#   bash bench/overhead/web.sh [--rounds N] [--seconds D] [--connections C] [--configs a,b,...]
#
# Configurations: bare, advisor (profile -p with default options: bpf, sampled stacks), advisor-perf (the perf
# backend), advisor-nostacks, advisor-nocopy (sampled stacks without the user-stack copy native unwinding
# reads: ADVISOR_STACK_COPY=0), advisor-ptrace,
# advisor-proc, monitor (monitor -p with default options: 1 s recorded of every 10 s), monitor-nostacks,
# monitor-continuous (--record-for all), monitor-long (--record-for 2s, the default before 2026-12-04), monitor-pool (--pool-events),
# monitor-perf and monitor-perf-continuous (the same two on the perf backend), monitor-paused (--interval 1h --record-for 1s: attached, paused through the
# measure: what watching costs between windows), perf-stat (both raw_syscalls tracepoints counted, no samples: the kernel's floor),
# perf-record (perf record -e raw_syscalls:* -p), strace (strace -f -c -p). An advisor configuration may
# name the runtime events it asks for after a slash, as ADVISOR_RUNTIME_EVENTS takes them (parts added to or
# taken from the default, see src/Advisor.Runtime/EventPipe/RuntimeEventSelection.cs): advisor/-contention,
# advisor/+workitems-jit, advisor/none (no runtime session: the syscall side alone). Each run: start the
# service, warm it up with 2 s of load, attach the recorder, let it settle for S seconds under the same load
# (--settle, default 3; bare is loaded as long; what wrk counts then is dropped), measure D seconds (default
# 10) with `wrk -t1 -cC` (default 16 connections) on GET /items/1, stop the recorder (SIGTERM), stop the
# service. Rounds alternate their order (ABBA: even rounds run the configurations
# backwards), so a drift in the machine's speed within a round favours no configuration.
#
# `monitor` runs for as long as the service: its budget (issue 18, DESIGN §7) is what a watch costs once it
# runs, not its attach. Its attach (the tool's start, the runtime's method list) and its first judgment cost
# about 1.3 s of the tool's CPU over the first 13 s (bench/RESULTS.md), which a 10 s measure 3 s after the
# attach counts in full; measure a steady watch with --settle 15 --seconds 20 (two whole intervals).
#
# Besides the medians, "paired" is the median over rounds of each configuration against the bare run of the
# same round: the machine's speed moves by more than the effect between rounds, less within one.
# Run as root; wrk is installed from Debian when missing.
set -euo pipefail

ORIGINAL_ARGS="$*"
ROUNDS=3
SECONDS_PER_RUN=10
SETTLE=3
CONNECTIONS=16
CONFIG_LIST=bare,advisor,advisor-nostacks,advisor-ptrace,perf-record,strace
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
        --settle) SETTLE=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --configs) CONFIG_LIST=$2; shift 2 ;;
        *) echo "web.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
IFS=, read -r -a CONFIGS <<<"$CONFIG_LIST"

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ADVISOR="$REPO/src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor"
SERVICE="$REPO/samples/CleanService/bin/Release/net10.0/CleanService.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/advisor-web.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
log() { echo "[web.sh] $*" >&2; }

command -v wrk >/dev/null 2>&1 || { log "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
log "building samples/CleanService and src/Advisor.Cli (Release)"
dotnet build "$REPO/samples/CleanService" -c Release -v q -nologo >/dev/null
dotnet build "$REPO/src/Advisor.Cli" -c Release -v q -nologo >/dev/null
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Starts the recorder on $1 for configuration $2; sets RECORDER to its pid (empty for bare).
start_recorder() {
    local pid=$1 config=${2%%/*} tag=$3 events=
    [[ "$2" == */* ]] && events=${2#*/}
    RECORDER=
    export ADVISOR_RUNTIME_EVENTS=$events
    case "$config" in
        bare) return ;;
        advisor) "$ADVISOR" profile -p "$pid" -q -o "$WORK/$tag.json" & ;;
        advisor-perf) "$ADVISOR" profile -p "$pid" --backend perf -q -o "$WORK/$tag.json" & ;;
        advisor-nocopy) ADVISOR_STACK_COPY=0 "$ADVISOR" profile -p "$pid" -q -o "$WORK/$tag.json" & ;;
        advisor-nostacks) "$ADVISOR" profile -p "$pid" --no-stacks -q -o "$WORK/$tag.json" & ;;
        advisor-ptrace) "$ADVISOR" profile -p "$pid" --backend ptrace -q -o "$WORK/$tag.json" & ;;
        advisor-proc) "$ADVISOR" profile -p "$pid" --backend proc -q -o "$WORK/$tag.json" & ;;
        monitor) "$ADVISOR" monitor -p "$pid" >"$WORK/$tag.log" & ;;
        monitor-nostacks) "$ADVISOR" monitor -p "$pid" --no-stacks >"$WORK/$tag.log" & ;;
        monitor-continuous) "$ADVISOR" monitor -p "$pid" --record-for all >"$WORK/$tag.log" & ;;
        monitor-pool) "$ADVISOR" monitor -p "$pid" --pool-events >"$WORK/$tag.log" & ;;
        monitor-long) "$ADVISOR" monitor -p "$pid" --record-for 2s >"$WORK/$tag.log" & ;;
        monitor-perf) "$ADVISOR" monitor -p "$pid" --backend perf >"$WORK/$tag.log" & ;;
        monitor-perf-continuous) "$ADVISOR" monitor -p "$pid" --backend perf --record-for all >"$WORK/$tag.log" & ;;
        monitor-paused) "$ADVISOR" monitor -p "$pid" --interval 1h --record-for 1s >"$WORK/$tag.log" & ;;
        perf-stat) perf stat -e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -p "$pid" -o "$WORK/$tag.txt" 2>/dev/null & ;;
        perf-record) perf record -q -e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -p "$pid" -o "$WORK/$tag.data" 2>/dev/null & ;;
        strace) strace -f -c -p "$pid" -o "$WORK/$tag.txt" 2>/dev/null & ;;
        *) log "unknown configuration $config"; exit 2 ;;
    esac
    RECORDER=$!
}

# CPU time (user + system, in clock ticks) of a process and its threads so far; 0 without one.
cpu_ticks() {
    [[ -n "$1" && -r /proc/$1/stat ]] || { echo 0; return; }
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# One run: prints requests/s and the recorder's CPU %, or nothing when it failed.
run_once() {
    local config=$1 tag=$2 url="" service rps
    dotnet "$SERVICE" --idle 3600 2>"$WORK/$tag.service" &
    service=$!
    for ((i = 0; i < 300; i++)); do
        url=$(sed -n 's/^CleanService listening on \(http[^ ]*\)$/\1/p' "$WORK/$tag.service")
        [[ -n "$url" ]] && break
        sleep 0.05
    done
    if [[ -z "$url" ]]; then
        log "$config: the service did not start"; kill -KILL "$service" 2>/dev/null; wait "$service" 2>/dev/null || true; return 0
    fi
    wrk -t1 -c"$CONNECTIONS" -d2s "$url/items/1" >/dev/null 2>&1 || true   # JIT and pools warm, alike for all
    start_recorder "$service" "$config" "$tag"
    # The recorder settles under load; bare is loaded as long, so the service's own tiering has had the same time.
    wrk -t1 -c"$CONNECTIONS" -d"${SETTLE}s" "$url/items/1" >/dev/null 2>&1 || true
    local before; before=$(cpu_ticks "$RECORDER")
    local service_before; service_before=$(cpu_ticks "$service")
    rps=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "$url/items/1" 2>/dev/null | sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p')
    local used=$(( $(cpu_ticks "$RECORDER") - before ))
    local service_used=$(( $(cpu_ticks "$service") - service_before ))
    if [[ -n "$RECORDER" ]]; then
        # SIGTERM: a background job of a script starts with SIGINT ignored, and .NET keeps it so.
        kill -TERM "$RECORDER" 2>/dev/null || true
        wait "$RECORDER" 2>/dev/null || log "$config: the recorder exited with $?"
    fi
    # The idle service waits out its delay whatever SIGTERM says (its host stops, its Main does not).
    kill -KILL "$service" 2>/dev/null || true
    wait "$service" 2>/dev/null || true
    # requests/s, the recorder's own CPU over the measure as a share of one CPU, and the CPU (service and
    # recorder together) each request cost, in µs: throughput alone is noisy when the machine is saturated
    [[ -n "$rps" ]] && echo "$rps $(python3 -c "
tck = $(getconf CLK_TCK)
print(f'{$used / tck / $SECONDS_PER_RUN * 100:.0f} {($used + $service_used) / tck * 1e6 / ($rps * $SECONDS_PER_RUN):.1f}')")"
    return 0
}

log "$ROUNDS round(s) of ${CONFIGS[*]}: settle ${SETTLE}s, wrk -t1 -c$CONNECTIONS -d${SECONDS_PER_RUN}s GET /items/1"
: >"$WORK/results.tsv"
for ((round = 1; round <= ROUNDS; round++)); do
    order=("${CONFIGS[@]}")
    if ((round % 2 == 0)); then
        order=()
        for ((i = ${#CONFIGS[@]} - 1; i >= 0; i--)); do order+=("${CONFIGS[i]}"); done
    fi
    for config in "${order[@]}"; do
        result=$(run_once "$config" "r$round-${config//\//_}")
        log "round $round/$ROUNDS  $config  requests/s, recorder CPU %, CPU µs per request: ${result:-failed}"
        [[ -n "$result" ]] && printf '%s\t%s\t%s\t%s\t%s\n' "$config" "$round" ${result} >>"$WORK/results.tsv"
    done
done

python3 - "$WORK/results.tsv" "${CONFIGS[@]}" <<'PY'
import statistics, sys
path, configs = sys.argv[1], sys.argv[2:]
runs = {c: [] for c in configs}
cpu = {c: [] for c in configs}
per_request = {c: [] for c in configs}
by_round = {c: {} for c in configs}
for line in open(path):
    c, n, v, u, r = line.rstrip("\n").split("\t")
    runs[c].append(float(v))
    cpu[c].append(float(u))
    per_request[c].append(float(r))
    by_round[c][n] = float(v)
bare = statistics.median(runs["bare"]) if runs.get("bare") else None
print()
print("| configuration | median req/s | min | max | vs bare | paired vs bare (min, max) | recorder CPU | CPU µs per request (service + recorder) | runs |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in configs:
    v = runs[c]
    if not v:
        print(f"| {c} | failed | | | | | | | 0 |")
        continue
    m = statistics.median(v)
    loss = f"{(m / bare - 1) * 100:+.1f}%" if bare else ""
    ratios = [(x / by_round["bare"][n] - 1) * 100 for n, x in by_round[c].items() if n in by_round.get("bare", {})]
    paired = f"{statistics.median(ratios):+.1f}% ({min(ratios):+.1f}%, {max(ratios):+.1f}%)" if ratios and c != "bare" else ""
    used = f"{statistics.median(cpu[c]):.0f}%" if c != "bare" else ""
    print(f"| {c} | {m:,.0f} | {min(v):,.0f} | {max(v):,.0f} | {loss} | {paired} | {used} | {statistics.median(per_request[c]):.1f} | {len(v)} |")
PY
echo
echo "command:  bash bench/overhead/web.sh $ORIGINAL_ARGS"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "nproc:    $(nproc)"
echo "loadavg:  $LOAD_BEFORE at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
