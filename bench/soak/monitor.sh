#!/usr/bin/env bash
# monitor's budget (DESIGN section 7 and 9: <= 2% of one core on average, <= 150 MB RSS, the service losing
# <= 5% throughput): samples/CleanService under wrk on loopback, one slice bare, then M minutes watched by one
# `dotnet-advisor monitor` without a break (measured in slices), then one slice bare again, on the same service
# process. Prints requests/s bare and watched, the tool's average CPU as a share of one core over the watched
# slices, and its largest RSS over the whole watch (sampled every 5 s). After each watched slice it also keeps the
# tool's RSS by mapping (/proc/PID/smaps, summed per file; [anon] for anonymous memory) as maps-N in its work
# directory, to tell where the memory goes. Too long for CI; run it by hand and record it in bench/RESULTS.md.
#
#   bash bench/soak/monitor.sh [--minutes M] [--slice S] [--connections C] [-- MONITOR OPTIONS...]
#   (defaults: 10 minutes of watched slices, 60 s slices, 16 connections)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=10
slice=60
connections=16
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --slice) slice=$2; shift 2 ;;
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

# The service outlives the run (warm-up, the watched slices and two bare ones, with a margin), which stops it.
dotnet samples/CleanService/bin/Release/net10.0/CleanService.dll --idle $(( (minutes + 5) * 60 + 3 * slice )) 2>"$work/service.err" &
service=$!
watch=
trap 'kill -TERM $watch 2>/dev/null || true; kill -KILL $service 2>/dev/null || true; wait 2>/dev/null || true' EXIT
url=
for ((i = 0; i < 300; i++)); do
    url=$(sed -n 's/^CleanService listening on \(http[^ ]*\)$/\1/p' "$work/service.err")
    [[ -n "$url" ]] && break
    sleep 0.05
done
[[ -n "$url" ]] || { echo "monitor.sh: the service did not start" >&2; exit 1; }
wrk -t1 -c"$connections" -d5s "$url/items/1" >/dev/null 2>&1 || true # JIT and pools warm

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
rps() { wrk -t1 -c"$connections" -d"${slice}s" "$url/items/1" 2>/dev/null | sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p'; }

slices=$(( (minutes * 60 + slice - 1) / slice ))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/results.tsv"
echo "bare $(rps)" >>"$work/results.tsv"
"$tool" monitor -p "$service" "${extra[@]}" >"$work/monitor.log" 2>&1 &
watch=$!
sleep 3 # attached and settled, as web.sh
( while kill -0 "$watch" 2>/dev/null; do awk '/^VmRSS:/ {print $2}' "/proc/$watch/status" 2>/dev/null; sleep 5; done ) >"$work/rss" &
sampler=$!
for ((n = 1; n <= slices; n++)); do
    before=$(ticks "$watch")
    watched=$(rps)
    echo "monitor $watched $(( $(ticks "$watch") - before )) $(awk '/^VmRSS:/ {print $2}' "/proc/$watch/status")" >>"$work/results.tsv"
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { rss[name] += $2 }
         END { for (n in rss) printf "%8d kB %s\n", rss[n], n }' "/proc/$watch/smaps" | sort -rn >"$work/maps-$n"
    echo "slice $n/$slices: $(tail -1 "$work/results.tsv") (kB; anonymous $(awk '/^Anonymous:/ { print $2 }' "/proc/$watch/smaps_rollup") kB)" >&2
done
kill -TERM "$watch"; wait "$watch" || echo "monitor.sh: monitor exited with $?" >&2
watch=
wait "$sampler" 2>/dev/null || true
echo "bare $(rps)" >>"$work/results.tsv"
echo "rss $(sort -n "$work/rss" | tail -1)" >>"$work/results.tsv"

python3 - "$work/results.tsv" "$(getconf CLK_TCK)" "$slice" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
tck, slice_s = int(sys.argv[2]), float(sys.argv[3])
bare = [float(r[1]) for r in rows if r[0] == "bare" and len(r) > 1]
watched = [r for r in rows if r[0] == "monitor" and len(r) > 3]
rps = [float(r[1]) for r in watched]
cpu = [int(r[2]) / tck / slice_s * 100 for r in watched]
rss = [int(r[1]) / 1024 for r in rows if r[0] == "rss" and len(r) > 1] + [int(r[3]) / 1024 for r in watched]
print(f"| | requests/s (mean of {len(bare)} bare, {len(watched)} watched slices) | vs bare | tool CPU, % of one core (mean) | tool max RSS |")
print("|---|---:|---:|---:|---:|")
print(f"| bare | {statistics.mean(bare):,.0f} | | | |")
print(f"| monitor | {statistics.mean(rps):,.0f} | {(statistics.mean(rps) / statistics.mean(bare) - 1) * 100:+.1f}% | {statistics.mean(cpu):.1f}% | {max(rss):.0f} MiB |")
PY
echo
echo "command:  bash bench/soak/monitor.sh --minutes $minutes --slice $slice --connections $connections ${extra[*]:+-- ${extra[*]}}"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "loadavg:  $load_before at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo "memory:   the tool's RSS by mapping after each watched slice in $work/maps-*"
echo "findings: $(grep -c ' raised ' "$work/monitor.log" || true) raised in the monitor's log ($work/monitor.log)"
