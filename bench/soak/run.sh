#!/usr/bin/env bash
# Soak: dotnet-advisor profiling a syscall storm for a long stretch (default 60 s), checking the two bars of
# DESIGN section 7 that only time shows: memory stays bounded (<= 200 MB RSS) and lost events are reported
# exactly (or there are none). Too long for the default CI run; run it by hand and record the result in
# bench/RESULTS.md.
#
#   bash bench/soak/run.sh [SECONDS] [BACKEND] [THREADS] [EXTRA OPTIONS...]   (defaults: 60 perf 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
backend=${2:-perf}
threads=${3:-2}
shift $(( $# < 3 ? $# : 3 ))

dotnet build Advisor.sln -c Release -v q -nologo >/dev/null
tool=src/Advisor.Cli/bin/Release/net10.0/dotnet-advisor
sample=samples/UnbufferedWriter/bin/Release/net10.0/UnbufferedWriter
out=$(mktemp -d /tmp/advisor-soak.XXXXXX)

# The storm: 16-byte writes to /dev/null on every thread, far more than the soak lasts; stopped by its pid.
"$sample" --count 2000000000 --threads "$threads" --path /dev/null 2>"$out/sample.err" &
target=$!
trap 'kill "$target" 2>/dev/null || true; wait "$target" 2>/dev/null || true' EXIT
sleep 1

"$tool" profile -p "$target" --backend "$backend" --duration "${seconds}s" -q -o "$out/soak.json" "$@" &
advisor=$!
max_kb=0
while kill -0 "$advisor" 2>/dev/null; do
  kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$advisor/status" 2>/dev/null || echo 0)
  [ "${kb:-0}" -gt "$max_kb" ] && max_kb=$kb
  sleep 1
done
wait "$advisor"
alive=$(kill -0 "$target" 2>/dev/null && echo yes || echo no)

python3 - "$out/soak.json" "$max_kb" "$alive" "$backend" "$threads" "$*" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
s = report["session"]
rate = s["eventsTotal"] / s["durationSeconds"]
print(f"backend {sys.argv[4]} {sys.argv[6]}, {sys.argv[5]} writer threads, {s['durationSeconds']:.1f} s")
print(f"events        {s['eventsTotal']:,} ({rate:,.0f}/s)")
print(f"lost          {s['lostEvents']:,}")
print(f"max RSS       {int(sys.argv[2]) / 1024:.0f} MB (tool, sampled every second)")
print(f"target alive  {sys.argv[3]}")
for n in s["notes"]:
    print(f"note          {n}")
PY
rm -rf "$out"
