#!/usr/bin/env bash
# Where monitor's memory goes: samples/CleanService under wrk on loopback, watched by one `dotnet-advisor monitor`
# for M minutes; every minute prints the tool's RSS (anonymous and file-backed, from /proc/PID/smaps_rollup) and
# keeps its RSS by mapping (/proc/PID/smaps, summed per file; [anon] for anonymous memory) in the work directory
# it names at the end. Too long for CI; run it by hand and record what it finds in bench/RESULTS.md.
#
#   bash bench/soak/monitor-memory.sh [--minutes M] [-- MONITOR OPTIONS...]   (default 6 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=6
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "monitor-memory.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
extra=("$@")

command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null
dotnet build Advisor.sln -c Release -v q -nologo >/dev/null
tool=src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor
work=$(mktemp -d /tmp/advisor-monitor-memory.XXXXXX)

dotnet samples/CleanService/bin/Release/net10.0/CleanService.dll --idle 3600 2>"$work/service.err" &
service=$!
load=
watch=
trap 'kill -TERM $watch $load 2>/dev/null || true; kill -KILL $service 2>/dev/null || true; wait 2>/dev/null || true' EXIT
url=
for ((i = 0; i < 300; i++)); do
    url=$(sed -n 's/^CleanService listening on \(http[^ ]*\)$/\1/p' "$work/service.err")
    [[ -n "$url" ]] && break
    sleep 0.05
done
[[ -n "$url" ]] || { echo "monitor-memory.sh: the service did not start" >&2; exit 1; }
wrk -t1 -c16 -d$((minutes * 60 + 60))s "$url/items/1" >"$work/wrk.txt" 2>&1 &
load=$!
sleep 3
"$tool" monitor -p "$service" "${extra[@]}" >"$work/monitor.log" 2>&1 &
watch=$!

for ((m = 0; m <= minutes; m++)); do
    sleep $((m == 0 ? 30 : 60))
    kill -0 "$watch" 2>/dev/null || { echo "monitor-memory.sh: monitor exited (see $work/monitor.log)" >&2; exit 1; }
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { rss[name] += $2 }
         END { for (n in rss) printf "%8d kB %s\n", rss[n], n }' "/proc/$watch/smaps" | sort -rn >"$work/maps-$m"
    echo "minute $m (first at 30 s): $(awk '/^(Rss|Anonymous|Pss_File):/ { printf "%s %d MiB  ", $1, $2 / 1024 }' "/proc/$watch/smaps_rollup")"
done
kill -TERM "$watch" # a tool started in the background by a script has SIGINT ignored
wait "$watch" || true
watch=
echo "RSS by mapping, per minute: $work/maps-*"
