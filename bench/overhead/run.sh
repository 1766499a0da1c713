#!/usr/bin/env bash
# Overhead of dotnet-advisor on a pure syscall storm, side by side with perf and strace.
#
#   bash bench/overhead/run.sh [--rounds N] [--count N]    overhead table (default: 3 rounds, 500000 writes)
#   bash bench/overhead/run.sh --check-counts              count check only (advisor vs strace, 200000 writes)
#   bash bench/overhead/run.sh --all [--rounds N] [--count N]   both
#   --configs a,b,...   run only these configurations, in this order (default: the six below). More
#                       exist for breaking the overhead down: advisor-perf (the perf backend, sampled stacks),
#                       advisor-all and advisor-perf-all (--stacks all, on bpf and perf), perf-stat-both (both tracepoints on,
#                       counting only), perf-record-exit (one sample per syscall, sys_exit only),
#                       perf-record-g (both tracepoints with frame-pointer callchains), advisor-nostacks
#                       (--no-stacks: EventPipe on, no callchains), advisor-nocopy and advisor-perf-nocopy
#                       (sampled stacks without the user-stack copy that native unwinding reads:
#                       ADVISOR_STACK_COPY=0) and advisor-syscalls (no stacks and no
#                       EventPipe: the workload runs with DOTNET_EnableDiagnostics=0); advisor-ptrace and
#                       advisor-ptrace-nostacks (the ptrace backend, through profile -p: see attached.sh).
#
# The workload is samples/UnbufferedWriter: one pwrite64 per 16-byte record. Its own loop time (loop_ms in
# its stderr summary line, process start-up excluded) is the measure. Configurations run interleaved
# (round 1: each once, in order; round 2: again; ...) so drift of the machine hits them all alike.
# A configuration that fails or times out shows "failed" in its row; the run goes on.
# Run as root (perf_event_open on tracepoints, strace of a child).
set -euo pipefail

ROUNDS=3
COUNT=500000
CHECK_COUNT=200000
RUN_TIMEOUT=${BENCH_TIMEOUT:-300}   # seconds per run; strace of 500k writes takes tens of seconds
MODE=overhead
CONFIG_LIST=bare,advisor,perf-record,perf-trace,strace,perf-stat
ORIGINAL_ARGS=("$@")

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}

positive_int() {
    [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: $1 needs a positive integer, got '${2:-}'" >&2; exit 2; }
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) positive_int "$1" "${2:-}"; ROUNDS=$2; shift 2 ;;
        --count) positive_int "$1" "${2:-}"; COUNT=$2; shift 2 ;;
        --configs) [[ -n "${2:-}" ]] || { echo "run.sh: --configs needs a list" >&2; exit 2; }; CONFIG_LIST=$2; shift 2 ;;
        --check-counts) MODE=check; shift ;;
        --all) MODE=all; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
    esac
done

KNOWN_CONFIGS=" bare advisor advisor-perf advisor-nocopy advisor-perf-nocopy advisor-all advisor-perf-all advisor-nostacks advisor-syscalls advisor-ptrace advisor-ptrace-nostacks perf-record perf-record-g perf-trace strace perf-stat perf-stat-both perf-record-exit "
IFS=, read -r -a CONFIGS <<<"$CONFIG_LIST"
for config in "${CONFIGS[@]}"; do
    [[ "$KNOWN_CONFIGS" == *" $config "* ]] || { echo "run.sh: unknown configuration '$config' (known:$KNOWN_CONFIGS)" >&2; exit 2; }
done

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
SAMPLE_DLL="$REPO/samples/UnbufferedWriter/bin/Release/net10.0/UnbufferedWriter.dll"
ADVISOR="$REPO/src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor"
SAMPLE_TMP="${TMPDIR:-/tmp}"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/advisor-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "[run.sh] $*" >&2; }

# --- build ---------------------------------------------------------------------------------------------
# Other builds may hold a file lock for a moment: retry a failed build after 20 s, three tries in all.
build() {
    local project=$1 attempt
    for attempt in 1 2 3; do
        if dotnet build -c Release "$project" -nologo -v q >"$WORK/build.log" 2>&1; then
            return 0
        fi
        log "build of $project failed (attempt $attempt/3)"
        tail -n 15 "$WORK/build.log" >&2
        [[ $attempt -lt 3 ]] && sleep 20
    done
    return 1
}

log "building samples/UnbufferedWriter and src/Advisor.Cli (Release)"
build samples/UnbufferedWriter || { echo "run.sh: cannot build samples/UnbufferedWriter" >&2; exit 1; }
build src/Advisor.Cli || { echo "run.sh: cannot build src/Advisor.Cli" >&2; exit 1; }
[[ -f "$SAMPLE_DLL" && -x "$ADVISOR" ]] || { echo "run.sh: build outputs missing ($SAMPLE_DLL, $ADVISOR)" >&2; exit 1; }

# --- running one configuration ---------------------------------------------------------------------------

# The command line of a configuration, with its own outputs under $WORK. $1 config, $2 record count, $3 tag.
config_command() {
    local config=$1 count=$2 tag=$3
    local workload=(dotnet "$SAMPLE_DLL" --count "$count" --size 16)
    case "$config" in
        bare) CMD=("${workload[@]}") ;;
        advisor) CMD=("$ADVISOR" run -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-perf) CMD=("$ADVISOR" run --backend perf -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-nocopy) CMD=(env ADVISOR_STACK_COPY=0 "$ADVISOR" run -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-perf-nocopy) CMD=(env ADVISOR_STACK_COPY=0 "$ADVISOR" run --backend perf -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-all) CMD=("$ADVISOR" run --stacks all -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-perf-all) CMD=("$ADVISOR" run --backend perf --stacks all -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-nostacks) CMD=("$ADVISOR" run --no-stacks -q -o "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-syscalls) CMD=("$ADVISOR" run --no-stacks -q -o "$WORK/$tag.json" -- env DOTNET_EnableDiagnostics=0 "${workload[@]}") ;;
        # ptrace traces running processes only: profile -p, attached before the sample's work starts.
        advisor-ptrace) CMD=(bash "$REPO/bench/overhead/attached.sh" "$ADVISOR" "$WORK/$tag.json" -- "${workload[@]}") ;;
        advisor-ptrace-nostacks) CMD=(bash "$REPO/bench/overhead/attached.sh" "$ADVISOR" "$WORK/$tag.json" --no-stacks -- "${workload[@]}") ;;
        perf-record) CMD=(perf record -q -e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -o "$WORK/$tag.data" -- "${workload[@]}") ;;
        perf-trace) CMD=(perf trace -s -o "$WORK/$tag.txt" -- "${workload[@]}") ;;
        strace) CMD=(strace -f -c -o "$WORK/$tag.txt" "${workload[@]}") ;;
        perf-stat) CMD=(perf stat -e raw_syscalls:sys_enter -o "$WORK/$tag.txt" -- "${workload[@]}") ;;
        perf-stat-both) CMD=(perf stat -e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -o "$WORK/$tag.txt" -- "${workload[@]}") ;;
        perf-record-g) CMD=(perf record -q --call-graph fp -e raw_syscalls:sys_enter -e raw_syscalls:sys_exit -o "$WORK/$tag.data" -- "${workload[@]}") ;;
        perf-record-exit) CMD=(perf record -q -e raw_syscalls:sys_exit -o "$WORK/$tag.data" -- "${workload[@]}") ;;
        *) echo "run.sh: unknown configuration $config" >&2; exit 2 ;;
    esac
}

# A run killed by the timeout leaves the sample's output file in the temp directory (it deletes it itself
# only on a normal exit). Remove those created since $1 once their process is gone, and only those: other
# people's runs of the sample may be writing theirs right now.
remove_orphaned_outputs() {
    local stamp=$1 f pid waited
    for f in "$SAMPLE_TMP"/advisor-unbufferedwriter-*.dat; do
        [[ -e "$f" && "$f" -nt "$stamp" ]] || continue
        pid=${f##*-}; pid=${pid%.dat}
        [[ "$pid" =~ ^[0-9]+$ ]] || continue
        # The killed sample may take a moment to exit (the runtime handles SIGTERM).
        for ((waited = 0; waited < 50; waited++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "left $f: its process $pid is still running"
        else
            rm -f "$f"
        fi
    done
}

# Runs one configuration once. Prints loop_ms on stdout, or nothing (and a reason on stderr) when it failed.
# Everything the tool and the sample write (the sample's summary line included: the tools pass the child's
# stderr through) goes to one log, where the sample= line is found.
run_once() {
    local config=$1 count=$2 tag=$3 rc=0 line
    config_command "$config" "$count" "$tag"
    local out="$WORK/$tag.log"
    touch "$WORK/$tag.stamp"
    timeout --kill-after=10 "$RUN_TIMEOUT" "${CMD[@]}" </dev/null >"$out" 2>&1 || rc=$?
    line=$(grep -a -o 'sample=UnbufferedWriter .*' "$out" | tail -n 1 || true)
    if [[ $rc -ne 0 || -z "$line" ]]; then
        if [[ $rc -eq 124 || $rc -eq 137 ]]; then
            log "$config: timed out after ${RUN_TIMEOUT}s"
        else
            log "$config: exit code $rc; last output:"
            tail -n 5 "$out" | sed 's/^/    /' >&2
        fi
        remove_orphaned_outputs "$WORK/$tag.stamp"
        return 0
    fi
    local ms
    ms=$(sed -n 's/.*[[:space:]]loop_ms=\([0-9.][0-9.]*\).*/\1/p' <<<"$line")
    if [[ -z "$ms" ]]; then
        log "$config: no loop_ms in: $line"
        return 0
    fi
    echo "$ms"
}

# --- overhead mode ---------------------------------------------------------------------------------------
overhead() {
    local round config ms
    log "overhead: $ROUNDS round(s) of ${CONFIGS[*]}, $COUNT writes of 16 bytes, timeout ${RUN_TIMEOUT}s per run"
    : >"$WORK/results.tsv"
    for ((round = 1; round <= ROUNDS; round++)); do
        for config in "${CONFIGS[@]}"; do
            ms=$(run_once "$config" "$COUNT" "r$round-$config")
            rm -f "$WORK/r$round-$config".{json,data,txt,log,stamp}
            log "round $round/$ROUNDS  $(printf '%-12s' "$config") loop_ms=${ms:-failed}"
            printf '%s\t%s\n' "$config" "${ms:-failed}" >>"$WORK/results.tsv"
        done
    done

    echo
    echo "Overhead on a syscall storm: UnbufferedWriter --count $COUNT --size 16 (loop_ms, $ROUNDS interleaved round(s))"
    echo
    python3 - "$WORK/results.tsv" "${CONFIGS[@]}" <<'PY'
import statistics, sys
path, configs = sys.argv[1], sys.argv[2:]
runs = {c: [] for c in configs}
failed = {c: 0 for c in configs}
for line in open(path):
    config, value = line.rstrip("\n").split("\t")
    if value == "failed":
        failed[config] += 1
    else:
        runs[config].append(float(value))
bare = statistics.median(runs["bare"]) if runs.get("bare") and not failed["bare"] else None
W = max(13, *(len(c) for c in configs))
print(f"| {'configuration':<{W}} | {'median ms':>10} | {'min ms':>10} | {'max ms':>10} | {'× bare':>7} | runs |")
print(f"|{'-' * (W + 2)}|{'-' * 11}:|{'-' * 11}:|{'-' * 11}:|{'-' * 8}:|-----:|")
for c in configs:
    values = runs[c]
    if failed[c] or not values:
        # Any failed run fails the row: a median over the survivors would hide the failure.
        print(f"| {c:<{W}} | {'failed':>10} | {'':>10} | {'':>10} | {'':>7} | {len(values)}/{len(values) + failed[c]} |")
        continue
    median = statistics.median(values)
    ratio = f"{median / bare:.2f}×" if bare else "n/a"
    print(f"| {c:<{W}} | {median:>10.1f} | {min(values):>10.1f} | {max(values):>10.1f} | {ratio:>7} | {len(values)}/{len(values)} |")
PY
}

# --- count check mode ------------------------------------------------------------------------------------
# The dominant syscall's count as the advisor reports it and as strace counts it must agree within 1%.
check_counts() {
    log "check-counts: UnbufferedWriter --count $CHECK_COUNT under dotnet-advisor and under strace -f -c"
    local rc_a=0 rc_s=0
    config_command advisor "$CHECK_COUNT" check-advisor
    touch "$WORK/check.stamp"
    timeout --kill-after=10 "$RUN_TIMEOUT" "${CMD[@]}" </dev/null >"$WORK/check-advisor.log" 2>&1 || rc_a=$?
    config_command strace "$CHECK_COUNT" check-strace
    timeout --kill-after=10 "$RUN_TIMEOUT" "${CMD[@]}" </dev/null >"$WORK/check-strace.log" 2>&1 || rc_s=$?
    remove_orphaned_outputs "$WORK/check.stamp"
    if [[ $rc_a -ne 0 || ! -s "$WORK/check-advisor.json" ]]; then
        log "advisor run failed (exit code $rc_a):"; tail -n 5 "$WORK/check-advisor.log" >&2
        return 1
    fi
    if [[ $rc_s -ne 0 || ! -s "$WORK/check-strace.txt" ]]; then
        log "strace run failed (exit code $rc_s):"; tail -n 5 "$WORK/check-strace.log" >&2
        return 1
    fi
    local sample_line
    sample_line=$(grep -a -o 'sample=UnbufferedWriter .*' "$WORK/check-advisor.log" | tail -n 1 || true)
    echo
    echo "Count check: UnbufferedWriter --count $CHECK_COUNT --size 16, syscall pwrite64"
    python3 - "$WORK/check-advisor.json" "$WORK/check-strace.txt" "$sample_line" <<'PY'
import json, re, sys
report_path, strace_path, sample_line = sys.argv[1:4]
SYSCALL = "pwrite64"
with open(report_path) as f:
    report = json.load(f)
advisor = sum(s["count"] for s in report["summary"]["syscalls"] if s["name"] == SYSCALL)
strace = None
for line in open(strace_path):
    fields = line.split()
    # "% time  seconds  usecs/call  calls  [errors]  syscall": calls is the 4th column, the name the last.
    if len(fields) >= 5 and fields[-1] == SYSCALL and fields[3].isdigit():
        strace = int(fields[3])
if strace is None:
    print(f"strace table has no {SYSCALL} row", file=sys.stderr)
    sys.exit(1)
m = re.search(r"syscall_writes=(\d+)", sample_line)
print(f"| source | {SYSCALL} calls |")
print("|---|---:|")
print(f"| dotnet-advisor (report .summary.syscalls) | {advisor} |")
print(f"| strace -f -c | {strace} |")
if m:
    print(f"| sample's own count (syscall_writes) | {m.group(1)} |")
diff = abs(advisor - strace) / strace * 100 if strace else float("inf")
session = report.get("session", {})
print()
print(f"advisor session: eventsTotal={session.get('eventsTotal')} lostEvents={session.get('lostEvents')}")
print(f"difference: {advisor - strace:+d} calls = {diff:.3f}% (limit 1%): {'OK' if diff <= 1 else 'FAIL'}")
sys.exit(0 if diff <= 1 else 1)
PY
}

environment() {
    echo
    echo "command:  bash bench/overhead/run.sh${ORIGINAL_ARGS[*]:+ ${ORIGINAL_ARGS[*]}}"
    echo "date:     $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
    echo "kernel:   $(uname -r)"
    echo "nproc:    $(nproc)"
    echo "loadavg:  $LOAD_BEFORE at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the machine skews the ratios)"
    echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo ".NET SDK: $(dotnet --version)"
    echo "perf:     $(perf --version 2>/dev/null || echo absent)"
    echo "strace:   $(strace -V 2>/dev/null | head -n 1 || echo absent)"
}

status=0
case "$MODE" in
    overhead) overhead ;;
    check) check_counts || status=$? ;;
    all) overhead; check_counts || status=$? ;;
esac
environment
exit "$status"
