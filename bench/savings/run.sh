#!/usr/bin/env bash
# How right the findings' estimatedSavingMs are: each sample's pathological mode and its fixed twin run bare
# (no tracer), and the time the fix really saved is set beside what dotnet-advisor estimated from a recording
# of the pathological mode.
#
#   bash bench/savings/run.sh [--rounds N] [--only a,b,...] [--out FILE] [--tool PATH] [--tool-options 'W...'] [--no-build]
#
#   --rounds N     rounds (default 3). One round: per sample, the pathological mode and the fixed twin bare
#                  (odd rounds pathological first, even rounds fixed first), then the pathological mode once
#                  under `dotnet-advisor run -q -o X.json`. Medians over the rounds.
#   --only a,b     only these samples (names as in the SAMPLES table below, e.g. ConsoleStorm,small-reads)
#   --out FILE     also write the tables as Markdown to FILE
#   --tool PATH    the dotnet-advisor to run: a .dll (run with `dotnet`) or an executable. Default: this
#                  worktree's src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor.dll, built first
#   --tool-options 'W...'  more options for `dotnet-advisor run` (words), e.g. '--no-stacks'
#   --no-build     build nothing (the samples and the tool must be built in Release already)
#
# Per bare run: the sample's own loop_ms (its stderr summary line), the process's wall time, and its CPU time
# (user + sys of the process and the children it waited for, from wait4's rusage). Per recorded run: the
# expected rule's finding(s): estimatedSavingMs, avoidableCalls, evidence count and totalTimeMs, summed over
# that rule's findings, the session's lostEvents, and the traced run's own loop_ms. Each run has a timeout (BENCH_TIMEOUT seconds,
# default 300, then SIGTERM to its process group and SIGKILL 10 s later); the whole script takes at most
# rounds × samples × 3 × (timeout + 10) s, and about 4 minutes per round with every sample on 2 idle cores.
# Stdin and stdout of every run are /dev/null; the samples' files go to a temporary directory (TMPDIR) that
# is removed on exit, with everything else the script made. Run as root (perf_event_open on tracepoints).
set -euo pipefail

# name | project under samples/ | arguments | expected rule
# Sizes: the default, or one that makes the bare pathological run last about 1 to 5 s on 2 cores.
SAMPLES=(
    "UnbufferedWriter|UnbufferedWriter|--count 500000|ADV002"        # default 200000: ~0.5 s
    "ConsoleStorm|ConsoleStorm|--count 300000|ADV002"                # default 100000: ~0.4 s; stdout /dev/null
    "FsyncPerRecord|FsyncPerRecord||ADV006"                          # default 2000 fsyncs: ~3 s on this disk
    "LockContention|LockContention|--count 160000|ADV004"            # default 80000: ~0.9 s
    "small-reads|Scenarios|--scenario small-reads --count 500000|ADV003"          # default 200000: ~0.3 s
    "polling-sleep|Scenarios|--scenario polling-sleep|ADV009"                     # default: ~1 s of producer work
    "metadata-storm|Scenarios|--scenario metadata-storm --count 300000|ADV017"    # default 100000: ~0.25 s
    "process-spawn|Scenarios|--scenario process-spawn --count 400|ADV014"         # default 200: ~0.5 s
    "sync-over-async|Scenarios|--scenario sync-over-async --count 24|ADV005"      # default 64: ~8 s
    "yield-spin|Scenarios|--scenario yield-spin --count 1000|ADV010"              # default 500 ms of spinning
    "reopen-append|Scenarios|--scenario reopen-append --count 30000|ADV007"       # default 2000: ~45 ms
    "failing-probe|Scenarios|--scenario failing-probe --count 30000|ADV008"       # default 10000: ~0.3 s
    "memory-churn|Scenarios|--scenario memory-churn --count 500|ADV011"           # default 2000: 1 to 8 s
    "connection-churn|Scenarios|--scenario connection-churn --count 2000|ADV012"  # default 500: ~0.45 s
    "blocking-io|Scenarios|--scenario blocking-io --count 400|ADV013"             # default 200: ~0.7 s
    "busy-poll|Scenarios|--scenario busy-poll|ADV018"                             # default 500: ~3 s
)

# Which bare difference the estimate should be compared with. CPU-bound patterns: the calls' kernel time is
# CPU time, so the CPU difference (and the loop difference) should match. fsync: the device wait, not CPU,
# so the loop difference. Waiting patterns: both are printed, undecided.
meaningful() {
    case "$1" in
        ADV001|ADV002|ADV003|ADV007|ADV008|ADV010|ADV011|ADV012|ADV014|ADV017|ADV018) echo "cpu+loop" ;;
        ADV006) echo "loop" ;;
        *) echo "both?" ;;
    esac
}

ROUNDS=3
ONLY=
OUT=
TOOL=
TOOL_OPTIONS=
BUILD=1
RUN_TIMEOUT=${BENCH_TIMEOUT:-300}
ORIGINAL_ARGS=("$@")

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds needs a positive integer, got '${2:-}'" >&2; exit 2; }
                  ROUNDS=$2; shift 2 ;;
        --only) [[ -n "${2:-}" ]] || { echo "run.sh: --only needs a list" >&2; exit 2; }; ONLY=$2; shift 2 ;;
        --out) [[ -n "${2:-}" ]] || { echo "run.sh: --out needs a file" >&2; exit 2; }; OUT=$2; shift 2 ;;
        --tool) [[ -n "${2:-}" ]] || { echo "run.sh: --tool needs a path" >&2; exit 2; }; TOOL=$2; shift 2 ;;
        --tool-options) [[ $# -ge 2 ]] || { echo "run.sh: --tool-options needs a value" >&2; exit 2; }; TOOL_OPTIONS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$RUN_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: BENCH_TIMEOUT must be a positive integer" >&2; exit 2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
if [[ -n "$OUT" ]]; then
    OUT=$(realpath -m "$OUT")
    [[ -d "$(dirname "$OUT")" ]] || { echo "run.sh: no directory for --out $OUT" >&2; exit 2; }
fi

# The selected rows, in table order.
SELECTED=()
if [[ -n "$ONLY" ]]; then
    IFS=, read -r -a WANT <<<"$ONLY"
    for want in "${WANT[@]}"; do
        found=0
        for row in "${SAMPLES[@]}"; do [[ "${row%%|*}" == "$want" ]] && found=1; done
        [[ $found -eq 1 ]] || { echo "run.sh: unknown sample '$want' (known: $(printf '%s ' "${SAMPLES[@]%%|*}"))" >&2; exit 2; }
    done
    for row in "${SAMPLES[@]}"; do
        for want in "${WANT[@]}"; do [[ "${row%%|*}" == "$want" ]] && SELECTED+=("$row"); done
    done
else
    SELECTED=("${SAMPLES[@]}")
fi

log() { echo "[savings] $*" >&2; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date +%s)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/advisor-savings.XXXXXX")
mkdir "$WORK/tmp"
CURRENT=   # pid of the timeout(1) around the run in progress
stop_current() {
    if [[ -n "$CURRENT" ]]; then
        kill -TERM "$CURRENT" 2>/dev/null || true   # timeout(1) passes it to the run's process group
        wait "$CURRENT" 2>/dev/null || true          # and SIGKILLs the group 10 s later if need be
        CURRENT=
    fi
}
cleanup() { stop_current; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# --- build -----------------------------------------------------------------------------------------------
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

PROJECTS=()
for row in "${SELECTED[@]}"; do
    IFS='|' read -r _ project _ _ <<<"$row"
    [[ " ${PROJECTS[*]} " == *" $project "* ]] || PROJECTS+=("$project")
done
if [[ -z "$TOOL" ]]; then
    TOOL="$REPO/src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor.dll"
    BUILD_TOOL=$BUILD
else
    BUILD_TOOL=0
fi
if [[ $BUILD -eq 1 ]]; then
    for project in "${PROJECTS[@]}"; do
        log "building samples/$project (Release)"
        build "samples/$project" || { echo "run.sh: cannot build samples/$project" >&2; exit 1; }
    done
fi
if [[ $BUILD_TOOL -eq 1 ]]; then
    log "building src/Advisor.Cli (Release)"
    build src/Advisor.Cli || { echo "run.sh: cannot build src/Advisor.Cli" >&2; exit 1; }
fi
for project in "${PROJECTS[@]}"; do
    [[ -f "samples/$project/bin/Release/net10.0/$project.dll" ]] || { echo "run.sh: samples/$project/bin/Release/net10.0/$project.dll is missing" >&2; exit 1; }
done
[[ -f "$TOOL" ]] || { echo "run.sh: no tool at $TOOL" >&2; exit 1; }
if [[ "$TOOL" == *.dll ]]; then TOOL_CMD=(dotnet "$TOOL"); else TOOL_CMD=("$TOOL"); fi

# --- one run -----------------------------------------------------------------------------------------------
# Runs a command and writes "wall_ms user_ms sys_ms exit_code" to a file when it has ended: wall time from
# fork to wait4, CPU from wait4's rusage (the process and every child it waited for, as /usr/bin/time does),
# in ms with µs precision. Exits with the command's code.
cat >"$WORK/measure.py" <<'PY'
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = (time.monotonic() - start) * 1000
code = os.waitstatus_to_exitcode(status)
with open(out, "w") as f:
    f.write(f"{wall:.3f} {ru.ru_utime * 1000:.3f} {ru.ru_stime * 1000:.3f} {code}\n")
sys.exit(code if code >= 0 else 128 - code)
PY

# run_measured TAG COMMAND...: runs it bounded in time, stdin and stdout /dev/null, stderr to $WORK/TAG.log,
# measured into $WORK/TAG.rusage. In the background with `wait` so that a signal to the script stops it.
run_measured() {
    local tag=$1 rc=0; shift
    TMPDIR="$WORK/tmp" timeout --kill-after=10 "$RUN_TIMEOUT" \
        python3 "$WORK/measure.py" "$WORK/$tag.rusage" "$@" </dev/null >/dev/null 2>"$WORK/$tag.log" &
    CURRENT=$!
    wait "$CURRENT" || rc=$?
    CURRENT=
    return "$rc"
}

# The loop_ms of the sample's summary line in $WORK/TAG.log, or nothing.
loop_ms() {
    grep -a -o 'sample=[A-Za-z]* .*' "$WORK/$1.log" | tail -n 1 | sed -n 's/.*[[:space:]]loop_ms=\([0-9.][0-9.]*\).*/\1/p' || true
}

# Why a run failed, on stderr.
explain_failure() {
    local what=$1 tag=$2 rc=$3
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        log "$what: timed out after ${RUN_TIMEOUT}s"
    else
        log "$what: exit code $rc; last output:"
        tail -n 5 "$WORK/$tag.log" | sed 's/^/    /' >&2
    fi
}

# Bare run of one mode; appends "name mode round loop wall cpu" (or "failed") to results.tsv.
bare_run() {
    local name=$1 project=$2 args=$3 mode=$4 round=$5 rc=0 tag="r$round-$1-$4" loop wall user sys
    local extra=(); [[ $mode == fixed ]] && extra=(--fixed)
    # shellcheck disable=SC2086  # the table's arguments are words
    run_measured "$tag" dotnet "samples/$project/bin/Release/net10.0/$project.dll" $args "${extra[@]}" || rc=$?
    loop=$(loop_ms "$tag")
    if [[ $rc -ne 0 || -z "$loop" || ! -s "$WORK/$tag.rusage" ]]; then
        explain_failure "$name $mode" "$tag" "$rc"
        printf '%s\t%s\t%s\tfailed\n' "$name" "$mode" "$round" >>"$WORK/results.tsv"
        return 0
    fi
    read -r wall user sys _ <"$WORK/$tag.rusage"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "$round" "$loop" "$wall" \
        "$(python3 -c "import sys; print(f'{float(sys.argv[1]) + float(sys.argv[2]):.3f}')" "$user" "$sys")" >>"$WORK/results.tsv"
    log "round $round/$ROUNDS  $(printf '%-17s %-12s' "$name" "$mode") loop_ms=$loop wall_ms=$wall cpu_ms(user+sys)=$user+$sys"
    rm -f "$WORK/$tag".{log,rusage}
}

# Recorded run of the pathological mode; appends "name traced round loop wall report-fields..." to results.tsv.
traced_run() {
    local name=$1 project=$2 args=$3 rule=$4 round=$5 rc=0 tag="r$round-$1-traced" loop wall fields
    # shellcheck disable=SC2086
    run_measured "$tag" "${TOOL_CMD[@]}" run $TOOL_OPTIONS -q -o "$WORK/$tag.json" -- \
        dotnet "samples/$project/bin/Release/net10.0/$project.dll" $args || rc=$?
    loop=$(loop_ms "$tag")
    if [[ $rc -ne 0 || ! -s "$WORK/$tag.json" ]]; then
        explain_failure "$name under dotnet-advisor" "$tag" "$rc"
        printf '%s\ttraced\t%s\tfailed\n' "$name" "$round" >>"$WORK/results.tsv"
        return 0
    fi
    read -r wall _ <"$WORK/$tag.rusage"
    # estimatedSavingMs, avoidableCalls, evidence count and totalTimeMs summed over the rule's findings;
    # how many findings; the session's lost events; the other rules' ids; the first finding's savingExplanation.
    fields=$(python3 - "$WORK/$tag.json" "$rule" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rule = sys.argv[2]
findings = report.get("findings", [])
mine = [f for f in findings if f.get("ruleId") == rule]
others = sorted({f.get("ruleId") for f in findings if f.get("ruleId") != rule})
def total(key, inner=None):
    return sum((f.get(inner, {}) if inner else f).get(key) or 0 for f in mine)
if mine:
    values = [f"{total('estimatedSavingMs'):.3f}", str(total("avoidableCalls")), str(total("count", "evidence")),
              f"{total('totalTimeMs', 'evidence'):.3f}", str(len(mine))]
else:
    values = ["absent", "", "", "", "0"]
explanation = mine[0].get("savingExplanation", "") if mine else ""
lost = str(report.get("session", {}).get("lostEvents", ""))
print("\t".join(values + [lost, ",".join(others) or "-", explanation.replace("\t", " ")]))
PY
) || fields=$'absent\t\t\t\t0\t\t-\tthe report could not be read'
    printf '%s\ttraced\t%s\t%s\t%s\t%s\n' "$name" "$round" "${loop:-?}" "$wall" "$fields" >>"$WORK/results.tsv"
    log "round $round/$ROUNDS  $(printf '%-17s %-12s' "$name" "traced") loop_ms=${loop:-?} wall_ms=$wall $rule: $(cut -f1,2 <<<"$fields" | sed 's/\t/ ms, avoidable calls /')"
    rm -f "$WORK/$tag".{log,rusage,json}
}

# --- the rounds --------------------------------------------------------------------------------------------
log "$ROUNDS round(s) of ${#SELECTED[@]} sample(s); tool: ${TOOL_CMD[*]} run ${TOOL_OPTIONS:+$TOOL_OPTIONS }-q; timeout ${RUN_TIMEOUT}s per run"
: >"$WORK/results.tsv"
for ((round = 1; round <= ROUNDS; round++)); do
    for row in "${SELECTED[@]}"; do
        IFS='|' read -r name project args rule <<<"$row"
        if ((round % 2)); then order=(pathological fixed); else order=(fixed pathological); fi
        for mode in "${order[@]}"; do bare_run "$name" "$project" "$args" "$mode" "$round"; done
        traced_run "$name" "$project" "$args" "$rule" "$round"
    done
done

# --- the tables ----------------------------------------------------------------------------------------------
TABLE_ROWS=()
for row in "${SELECTED[@]}"; do
    IFS='|' read -r name project args rule <<<"$row"
    TABLE_ROWS+=("$name|$project${args:+ $args}|$rule|$(meaningful "$rule")")
done
ELAPSED=$(( $(date +%s) - STARTED ))
{
    echo "## Estimated savings against bare runs"
    echo
    python3 - "$WORK/results.tsv" "$ROUNDS" "${TABLE_ROWS[@]}" <<'PY'
import statistics, sys
path, rounds, rows = sys.argv[1], int(sys.argv[2]), [r.split("|") for r in sys.argv[3:]]
runs = {}   # (name, mode) -> list of field lists, or "failed"
for line in open(path):
    f = line.rstrip("\n").split("\t")
    runs.setdefault((f[0], f[1]), []).append(f[3:])
notes = []

def values(name, mode, i):
    """The i-th field of the successful runs of a mode, as floats; and how many runs there were."""
    all_runs = runs.get((name, mode), [])
    ok = [r for r in all_runs if r[0] != "failed"]
    out = []
    for r in ok:
        try:
            out.append(float(r[i]))
        except (ValueError, IndexError):
            pass
    return out, len(all_runs)

def med(name, mode, i):
    v, n = values(name, mode, i)
    return (statistics.median(v) if v else None), len(v), n

def cell(m, k, n, fmt="{:.1f}"):
    if m is None:
        return "failed" if n else "–"
    s = fmt.format(m)
    return s if k == n else f"{s} ({k}/{n})"

def diff(a, b):
    return None if a is None or b is None else a - b

def ratio(est, d, meaningful):
    if est is None or d is None:
        return "–"
    if d <= 0:
        return "n/a (Δ ≤ 0)"
    return f"**{est / d:.2f}**" if meaningful else f"{est / d:.2f}"

def num(x, fmt="{:.1f}"):
    return "–" if x is None else fmt.format(x)

main = ["| sample | rule | compare | loop ms patho | loop ms fixed | Δ loop | CPU ms patho | CPU ms fixed | Δ CPU "
        "| estimatedSavingMs | est ÷ Δ loop | est ÷ Δ CPU |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
detail = ["| sample | arguments | wall ms patho | wall ms fixed | Δ wall | loop ms patho min–max | loop ms fixed min–max "
          "| traced loop ms | avoidableCalls | evidence calls | evidence totalTimeMs | est µs/call | Δ CPU µs/call | Δ loop µs/call | other rules |",
          "|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
explanations = []
for name, command, rule, compare in rows:
    lp, lpk, lpn = med(name, "pathological", 0)
    lf, lfk, lfn = med(name, "fixed", 0)
    wp, wpk, wpn = med(name, "pathological", 1)
    wf, wfk, wfn = med(name, "fixed", 1)
    cp, cpk, cpn = med(name, "pathological", 2)
    cf, cfk, cfn = med(name, "fixed", 2)
    est, ek, en = med(name, "traced", 2)
    tl, tlk, tln = med(name, "traced", 0)
    avoid, _, _ = med(name, "traced", 3)
    calls, _, _ = med(name, "traced", 4)
    ktime, _, _ = med(name, "traced", 5)
    dl, dc, dw = diff(lp, lf), diff(cp, cf), diff(wp, wf)
    traced = runs.get((name, "traced"), [])
    absent = sum(1 for r in traced if r[0] != "failed" and len(r) > 2 and r[2] == "absent")
    failed = sum(1 for r in traced if r[0] == "failed")
    est_cell = cell(est, ek, en, "{:.1f}")
    if absent:
        est_cell += f" absent in {absent}/{en}"
        notes.append(f"{name}: no {rule} finding in {absent} of {en} recorded run(s).")
    if failed:
        notes.append(f"{name}: {failed} of {en} recorded run(s) failed.")
    for mode in ("pathological", "fixed"):
        n_failed = sum(1 for r in runs.get((name, mode), []) if r[0] == "failed")
        if n_failed:
            notes.append(f"{name}: {n_failed} bare {mode} run(s) failed.")
    if dl is not None and dl <= 0:
        notes.append(f"{name}: the fixed twin's loop was not faster bare (Δ loop {dl:.1f} ms).")
    if dc is not None and dc <= 0:
        notes.append(f"{name}: the fixed twin used no less CPU bare (Δ CPU {dc:.1f} ms).")
    lost = [r[7] for r in traced if r[0] != "failed" and len(r) > 7 and r[7] not in ("", "0")]
    if lost:
        notes.append(f"{name}: the recording lost events in {len(lost)} run(s) (lostEvents {', '.join(lost)}): its counts are lower bounds.")
    others = sorted({x for r in traced if r[0] != "failed" and len(r) > 8 and r[8] != "-" for x in r[8].split(",")})
    if others:
        notes.append(f"{name}: other findings in the recording: {', '.join(others)}.")
    expl = [r[9] for r in traced if r[0] != "failed" and len(r) > 9 and r[9]]
    if expl:
        explanations.append(f"- {name} ({rule}): {expl[-1]}")
    per_call = lambda ms: None if ms is None or not avoid else ms * 1000 / avoid
    main.append(f"| {name} | {rule} | {compare} | {cell(lp, lpk, lpn)} | {cell(lf, lfk, lfn)} | {num(dl)} "
                f"| {cell(cp, cpk, cpn)} | {cell(cf, cfk, cfn)} | {num(dc)} | {est_cell} | {ratio(est, dl, compare in ('cpu+loop', 'loop'))} | {ratio(est, dc, compare == 'cpu+loop')} |")
    lpv, _ = values(name, "pathological", 0)
    lfv, _ = values(name, "fixed", 0)
    span = lambda v: f"{min(v):.1f}–{max(v):.1f}" if v else "–"
    detail.append(f"| {name} | `{command}` | {cell(wp, wpk, wpn)} | {cell(wf, wfk, wfn)} | {num(dw)} | {span(lpv)} | {span(lfv)} "
                  f"| {cell(tl, tlk, tln)} | {num(avoid, '{:.0f}')} | {num(calls, '{:.0f}')} | {num(ktime)} "
                  f"| {num(per_call(est), '{:.2f}')} | {num(per_call(dc), '{:.2f}')} | {num(per_call(dl), '{:.2f}')} | {', '.join(others) or '–'} |")

print("\n".join(main))
print()
print(f"Medians over {rounds} interleaved round(s). Bare runs: no tracer. Δ = pathological − fixed (of the medians). "
      "CPU = user + sys of the process and its waited-for children. estimatedSavingMs: the expected rule's findings "
      "in a `dotnet-advisor run` recording of the pathological mode, summed per run. compare: which bare difference the "
      "estimate should match (cpu+loop: CPU-bound pattern, both; loop: device wait; both?: waiting pattern, undecided); the ratios "
      "that compare names are in bold. "
      "A ratio above 1 means the estimate is larger than the time the fix saved bare.")
print()
print("### Details")
print()
print("\n".join(detail))
print()
print("traced loop ms: the pathological loop under the tool. avoidableCalls, evidence calls and totalTimeMs: from the "
      "findings (medians). est µs/call = estimatedSavingMs ÷ avoidableCalls; Δ CPU (Δ loop) µs/call = the bare difference "
      "÷ avoidableCalls, what each avoided call really cost.")
if explanations:
    print()
    print("savingExplanation (last recorded run):")
    print()
    print("\n".join(explanations))
print()
print("### Notes")
print()
print("\n".join(f"- {n}" for n in notes) if notes else "- none: every finding appeared and every twin was faster.")
PY
    echo
    echo "command:  bash bench/savings/run.sh${ORIGINAL_ARGS[*]:+ ${ORIGINAL_ARGS[*]}}"
    echo "tool:     ${TOOL_CMD[*]} run ${TOOL_OPTIONS:+$TOOL_OPTIONS }-q -o X.json (code at $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo ', src modified'))"
    echo "date:     $(date -u '+%Y-%m-%dT%H:%M:%SZ'), took ${ELAPSED}s"
    echo "kernel:   $(uname -r)"
    echo "nproc:    $(nproc)"
    echo "loadavg:  $LOAD_BEFORE at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the machine skews the differences)"
    echo "disk:     TMPDIR of the samples on $(df --output=fstype,source "$WORK/tmp" | tail -n 1 | tr -s ' ')"
    echo ".NET SDK: $(dotnet --version)"
} >"$WORK/table.md"

cat "$WORK/table.md"
if [[ -n "$OUT" ]]; then
    cp "$WORK/table.md" "$OUT"
    log "wrote $OUT"
fi
