#!/usr/bin/env bash
# monitor whose OTLP collector fails (issue 30): does it keep judging its windows on time, and does its memory stay
# flat? One samples/UnbufferedWriter in steady mode (unbuffered 16-byte writes to /dev/null, so ADV002 is raised and
# its log record has to be exported too) is watched for the whole soak with `--otlp` pointing at a collector that
# refuses every connection (a closed loopback port) or, with --collector hang, accepts it and never answers.
#
# Every 30 s it samples the tool's RSS (/proc/PID/status) and its CPU time (/proc/PID/stat), and it counts the
# windows judged: the pwrite64 counter of `--prometheus` moves once per judged window, so a poller reading it every
# 0.2 s sees each window as one change (a window it misses only lowers the count). Prints a row per sample, then
# RSS at the start, the end and at most, the tool's CPU as a share of one core, windows judged against the
# windows expected (the watch's time over the interval), and the lines monitor wrote about the export.
# Too long for CI; run it by hand and record it in bench/RESULTS.md.
#
#   bash bench/soak/monitor-failing-export.sh [--minutes M] [--interval D] [--collector refuse|hang] [-- MONITOR OPTIONS...]
#   (defaults: 10 minutes, --interval 1s, a refusing collector)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=10
interval=1
collector=refuse
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --interval) interval=${2%s}; shift 2 ;;
        --collector) collector=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "monitor-failing-export.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
extra=("$@")

dotnet build Advisor.sln -c Release -v q -nologo >/dev/null
work=$(mktemp -d /tmp/advisor-failing-export-soak.XXXXXX)
# A copy of the tool: a rebuild during the soak must not replace the files it runs from.
cp -r src/Advisor.Cli/bin/Release/net10.0 "$work/tool"
tool=$work/tool/dotnet-advisor
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
otlp_port=$(free_port)
prometheus_port=$(free_port)
seconds=$(( minutes * 60 ))

dotnet samples/UnbufferedWriter/bin/Release/net10.0/UnbufferedWriter.dll --path /dev/null --run-for $(( seconds + 120 )) 2>"$work/sample.err" &
target=$!
hanging=
watch=
poller=
trap 'kill -TERM $watch $poller $hanging 2>/dev/null || true; kill $target 2>/dev/null || true; wait 2>/dev/null || true' EXIT
if [[ $collector == hang ]]; then
    # Accepts every connection and keeps it open without reading or answering, as a wedged collector would.
    python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $otlp_port)); s.listen(128)
held = []
while True:
    held.append(s.accept()[0])
" &
    hanging=$!
fi
sleep 1

"$tool" monitor -p "$target" --interval "${interval}s" --prometheus "127.0.0.1:$prometheus_port" \
    --otlp "http://127.0.0.1:$otlp_port" "${extra[@]}" >"$work/monitor.log" 2>"$work/monitor.err" &
watch=$!
python3 - "$prometheus_port" "$work/windows" <<'PY' &
import sys, time, urllib.request
url, out = f"http://127.0.0.1:{sys.argv[1]}/metrics", sys.argv[2]
last, changes = None, 0
while True:
    try:
        text = urllib.request.urlopen(url, timeout=2).read().decode()
    except OSError:
        time.sleep(0.2)
        continue
    value = next((l.split()[-1] for l in text.splitlines() if l.startswith("dotnet_advisor_syscalls_total{") and 'syscall="pwrite64"' in l), None)
    if value is not None and value != last:
        last, changes = value, changes + 1
        with open(out, "w") as f:
            f.write(f"{changes} {time.time()}\n")
    time.sleep(0.2)
PY
poller=$!

# The watch begins with its first judged window: attaching takes a few seconds on a loaded machine.
for ((i = 0; i < 600; i++)); do [[ -s "$work/windows" ]] && break; sleep 0.1; done
[[ -s "$work/windows" ]] || { echo "monitor-failing-export.sh: no window was judged in 60 s" >&2; cat "$work/monitor.log" "$work/monitor.err" >&2; exit 1; }
read -r first_windows started <"$work/windows"
ticks() { awk '{ print $14 + $15 }' "/proc/$watch/stat"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$watch/status"; }
tck=$(getconf CLK_TCK)
start_ticks=$(ticks)
: >"$work/samples"
sample() { echo "$(awk -v now="$(date +%s.%N)" -v s="$started" 'BEGIN { printf "%.0f", now - s }') $(rss) $(ticks) $(( $(cut -d' ' -f1 "$work/windows") - first_windows ))" >>"$work/samples"; }
sample
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((n = 1; n <= seconds / 30; n++)); do
    sleep $(awk -v n="$n" -v s="$started" -v now="$(date +%s.%N)" 'BEGIN { d = s + 30 * n - now; print (d > 0 ? d : 0) }')
    kill -0 "$watch" 2>/dev/null || { echo "monitor-failing-export.sh: monitor exited early" >&2; cat "$work/monitor.log" "$work/monitor.err" >&2; exit 1; }
    sample
    echo "$(tail -1 "$work/samples")" >&2
done
kill -TERM "$watch"
stopping=$(date +%s.%N)
wait "$watch" || echo "monitor-failing-export.sh: monitor exited with $?" >&2
stopped_in=$(awk -v now="$(date +%s.%N)" -v s="$stopping" 'BEGIN { printf "%.1f", now - s }')
watch=

python3 - "$work/samples" "$tck" "$interval" <<'PY'
import sys
rows = [[float(x) for x in l.split()] for l in open(sys.argv[1])]
tck, interval = int(sys.argv[2]), float(sys.argv[3])
print("| at (s) | RSS (MiB) | tool CPU over the last 30 s (% of one core) | windows judged |")
print("|---:|---:|---:|---:|")
for i, (at, rss, ticks, windows) in enumerate(rows):
    cpu = "–" if i == 0 else f"{(ticks - rows[i - 1][2]) / tck / (at - rows[i - 1][0]) * 100:.1f}"
    print(f"| {at:.0f} | {rss / 1024:.0f} | {cpu} | {windows:.0f} |")
(t0, r0, k0, _), (t1, r1, k1, w1) = rows[0], rows[-1]
print(f"\nRSS: {r0 / 1024:.0f} MiB at the start, {r1 / 1024:.0f} MiB at the end, {max(r[1] for r in rows) / 1024:.0f} MiB at most.")
print(f"Tool CPU: {(k1 - k0) / tck / (t1 - t0) * 100:.1f}% of one core over {(t1 - t0) / 60:.1f} min.")
print(f"Windows judged: {w1:.0f} of {(t1 - t0) / interval:.0f} expected ({(t1 - t0):.0f} s at one per {interval:g} s).")
PY
echo
echo "command:  bash bench/soak/monitor-failing-export.sh --minutes $minutes --interval ${interval}s --collector $collector${extra[*]:+ -- ${extra[*]}}"
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:   $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes in src)')"
echo "loadavg:  $load_before at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo "stop:     SIGTERM to exit in $stopped_in s"
echo "export lines in the monitor's log ($work/monitor.log):"
grep ' OTLP export ' "$work/monitor.log" | sed 's/^/  /' || echo "  none"
echo "findings: $(grep -c ' raised ' "$work/monitor.log" || true) raised"
