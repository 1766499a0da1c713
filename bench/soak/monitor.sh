#!/usr/bin/env bash
# monitor's budget (DESIGN section 7 and 9: <= 2% of one core on average, <= 150 MB RSS, the service losing
# <= 5% throughput), with the bare time taken in the same minutes as the watched time. Two samples/CleanService
# processes run side by side: the watched one, which one `dotnet-advisor monitor` watches without a break for the
# whole soak, and its bare twin, which nothing watches. wrk on loopback loads one of them at a time, in slices that
# alternate between them (watched, twin, twin, watched, ...), so each watched slice has a bare slice beside it and
# the machine's drift, which on a shared 2-core machine moves throughput by 10-15% within ten minutes, cancels.
# Before the watch and after it, the same alternation with neither watched measures how the two processes differ
# when both are bare; the watch's cost is the watched/twin ratio during the watch against that ratio.
#
# Prints requests/s of both processes in each phase, the cost with a 95% interval (each pair of adjacent slices
# is one measure), the tool's CPU as a share of one core over the watched process's loaded slices and over the
# whole watch, and its largest RSS (sampled every 5 s). About once a minute it keeps the tool's RSS by mapping (/proc/PID/smaps, summed per file; [anon] for anonymous memory) as maps-N in its work
# directory, to tell where the memory goes. Short slices (--slice 2) cancel more of the drift, long ones (60) weigh
# less on wrk's start. Too long for CI; run it by hand and record it in bench/RESULTS.md.
#
#   bash bench/soak/monitor.sh [--minutes M] [--slice S] [--bare-pairs K] [--connections C] [-- MONITOR OPTIONS...]
#   (defaults: 10 minutes of load on the watched process, which is watched for twice as long as its twin takes
#   the other half; 2 s slices; 60 pairs of bare slices before the watch and 60 after; 16 connections)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=10
slice=2
bare_pairs=60
connections=16
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --slice) slice=$2; shift 2 ;;
        --bare-pairs) bare_pairs=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "monitor.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
extra=("$@")

command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null
dotnet build Advisor.sln -c Release -v q -nologo >/dev/null
tool=src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor
work=$(mktemp -d /tmp/advisor-monitor-soak.XXXXXX)
slices=$(( (minutes * 60 + slice - 1) / slice ))
maps_every=$(( (60 + slice - 1) / slice )) # the tool's memory by mapping about once a minute
lifetime=$(( (2 * slices + 4 * bare_pairs + 4) * slice + 300 )) # every slice of both, with a margin

# Both services outlive the run, which stops them.
start_service() {
    dotnet samples/CleanService/bin/Release/net10.0/CleanService.dll --idle "$lifetime" 2>"$work/$1.err" &
    echo $! >"$work/$1.pid"
}
start_service watched
start_service twin
watched_pid=$(cat "$work/watched.pid")
twin_pid=$(cat "$work/twin.pid")
watch=
sampler=
trap 'kill -TERM $watch $sampler 2>/dev/null || true; kill -KILL $watched_pid $twin_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
declare -A url
for name in watched twin; do
    for ((i = 0; i < 300; i++)); do
        url[$name]=$(sed -n 's/^CleanService listening on \(http[^ ]*\)$/\1/p' "$work/$name.err")
        [[ -n "${url[$name]}" ]] && break
        sleep 0.05
    done
    [[ -n "${url[$name]}" ]] || { echo "monitor.sh: the $name service did not start" >&2; exit 1; }
    wrk -t1 -c"$connections" -d5s "${url[$name]}/items/1" >/dev/null 2>&1 || true # JIT and pools warm
done

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rps() { wrk -t1 -c"$connections" -d"${slice}s" "${url[$1]}/items/1" 2>/dev/null | sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p'; }
# One pair of slices, in the order given: a line "PHASE PAIR NAME RPS TOOL_TICKS" for each.
pair() {
    local phase=$1 n=$2 name before
    shift 2
    for name in "$@"; do
        before=$([[ -n "$watch" ]] && ticks "$watch" || echo 0)
        echo "$phase $n $name $(rps "$name") $(( $([[ -n "$watch" ]] && ticks "$watch" || echo 0) - before ))" >>"$work/results.tsv"
    done
}
# ABBA: the order flips every pair, so a trend within a pair weighs on both alike.
ordered() { (( $1 % 2 )) && echo "watched twin" || echo "twin watched"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/results.tsv"
for ((n = 1; n <= bare_pairs; n++)); do
    read -r -a order <<<"$(ordered "$n")"
    pair before "$n" "${order[@]}"
done
echo "bare pairs before the watch: $(grep -c '^before' "$work/results.tsv") slices" >&2

"$tool" monitor -p "$watched_pid" "${extra[@]}" >"$work/monitor.log" 2>&1 &
watch=$!
sleep 3 # attached and settled, as web.sh
watch_ticks=$(ticks "$watch")
watch_started=$(date +%s.%N)
( while kill -0 "$watch" 2>/dev/null; do awk '/^VmRSS:/ {print $2}' "/proc/$watch/status" 2>/dev/null; sleep 5; done ) >"$work/rss" &
sampler=$!
for ((n = 1; n <= slices; n++)); do
    read -r -a order <<<"$(ordered "$n")"
    pair watch "$n" "${order[@]}"
    (( n % maps_every )) && continue
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { rss[name] += $2 }
         END { for (n in rss) printf "%8d kB %s\n", rss[n], n }' "/proc/$watch/smaps" | sort -rn >"$work/maps-$n"
    echo "pair $n/$slices: $(tail -2 "$work/results.tsv" | cut -d' ' -f3,4 | tr '\n' ' ')(RSS $(awk '/^VmRSS:/ {print $2}' "/proc/$watch/status") kB)" >&2
done
echo "whole $(( $(ticks "$watch") - watch_ticks )) $(awk -v now="$(date +%s.%N)" -v started="$watch_started" 'BEGIN { print now - started }')" >>"$work/results.tsv"
kill -TERM "$watch"; wait "$watch" || echo "monitor.sh: monitor exited with $?" >&2
watch=
wait "$sampler" 2>/dev/null || true
sampler=
for ((n = 1; n <= bare_pairs; n++)); do
    read -r -a order <<<"$(ordered "$n")"
    pair after "$n" "${order[@]}"
done
echo "rss $(sort -n "$work/rss" | tail -1)" >>"$work/results.tsv"

python3 - "$work/results.tsv" "$(getconf CLK_TCK)" "$slice" <<'PY'
import statistics, sys
from collections import defaultdict
rows = [l.split() for l in open(sys.argv[1])]
tck, slice_s = int(sys.argv[2]), float(sys.argv[3])
rps = defaultdict(dict)  # (phase, pair) -> name -> req/s
tool_ticks = defaultdict(list)  # name of the process loaded -> the tool's ticks in each of its slices
for r in rows:
    if r[0] in ("before", "watch", "after") and len(r) == 5:
        rps[(r[0], int(r[1]))][r[2]] = float(r[3])
        if r[0] == "watch":
            tool_ticks[r[2]].append(int(r[4]))
mean = statistics.mean
t95 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13]
def ratios(phases):
    return [p["watched"] / p["twin"] for (ph, _), p in sorted(rps.items()) if ph in phases and len(p) == 2]
def half(values):
    return (t95[len(values) - 2] if len(values) - 2 < len(t95) else 2.0) * statistics.stdev(values) / len(values) ** 0.5
def level(phase, name):
    v = [p[name] for (ph, _), p in rps.items() if ph == phase and name in p]
    return f"{mean(v):,.0f}" if v else "–"
print("| phase | pairs | watched process, mean req/s | twin, mean req/s | watched / twin, mean (95% interval) |")
print("|---|---:|---:|---:|---|")
for phase, text in (("before", "bare, before the watch"), ("watch", "watched (tool attached throughout)"), ("after", "bare, after the watch")):
    r = ratios({phase})
    if len(r) >= 2:
        print(f"| {text} | {len(r)} | {level(phase, 'watched')} | {level(phase, 'twin')} | {mean(r):.3f} ({mean(r) - half(r):.3f} to {mean(r) + half(r):.3f}) |")
bare, watched = ratios({"before", "after"}), ratios({"watch"})
if len(bare) >= 2 and len(watched) >= 2:
    cost = mean(watched) / mean(bare) - 1
    # The interval of a quotient of two independent means, to first order: relative errors add in quadrature.
    rel = ((half(watched) / mean(watched)) ** 2 + (half(bare) / mean(bare)) ** 2) ** 0.5
    print(f"\nThroughput under monitor against bare, from the ratios: {cost * 100:+.1f}% (95% interval about {(cost - rel * (1 + cost)) * 100:+.1f}% to {(cost + rel * (1 + cost)) * 100:+.1f}%).")
whole = next((r for r in rows if r[0] == "whole"), None)
rss = [int(r[1]) / 1024 for r in rows if r[0] == "rss" and len(r) > 1]
def share(ticks):
    return sum(ticks) / tck / (len(ticks) * slice_s) * 100
if tool_ticks["watched"]:
    print(f"Tool CPU: {share(tool_ticks['watched']):.1f}% of one core over the watched process's loaded slices", end="")
    print(f" ({share(tool_ticks['twin']):.1f}% over the twin's, where it takes from the twin)" if tool_ticks["twin"] else "", end="")
    print(f", {int(whole[1]) / tck / float(whole[2]) * 100:.1f}% over the whole watch ({float(whole[2]) / 60:.1f} min)." if whole else ".")
if rss:
    print(f"Tool RSS: at most {max(rss):.0f} MiB.")
PY
echo
echo "command:  bash bench/soak/monitor.sh --minutes $minutes --slice $slice --bare-pairs $bare_pairs --connections $connections ${extra[*]:+-- ${extra[*]}}"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "loadavg:  $load_before at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo "memory:   the tool's RSS by mapping about once a minute in $work/maps-*"
echo "findings: $(grep -c ' raised ' "$work/monitor.log" || true) raised in the monitor's log ($work/monitor.log)"
