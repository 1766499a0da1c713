#!/usr/bin/env bash
# Runs a workload under `dotnet-advisor profile -p --backend ptrace`, attached before its work starts: the
# ptrace backend cannot trace a command the tool launches (docs/backends.md), so run.sh measures it this way.
#   attached.sh ADVISOR OUT.json [ADVISOR OPTIONS...] -- WORKLOAD...
# The workload must take `--start-after FILE` (UnbufferedWriter does): it waits for FILE, created here once
# every thread of it is traced. Its stderr (the sample= line) and the tool's pass through; the exit code is
# the tool's, or the workload's when the tool succeeded.
set -uo pipefail
advisor=$1 out=$2; shift 2
options=()
while [[ $# -gt 0 && "$1" != "--" ]]; do options+=("$1"); shift; done
shift
gate=$(mktemp -u "${TMPDIR:-/tmp}/advisor-gate.XXXXXX")
"$@" --start-after "$gate" &
workload=$!
"$advisor" profile -p "$workload" --backend ptrace --duration 1h -q -o "$out" "${options[@]}" &
tool=$!
# Every thread seized (TracerPid set on each): from then on nothing the workload does is missed.
traced() {
    local tracers
    tracers=$(grep -h '^TracerPid:' /proc/"$workload"/task/*/status 2>/dev/null) || return 1
    [[ -n "$tracers" ]] && ! grep -q 'TracerPid:[[:space:]]*0$' <<<"$tracers"
}
for ((i = 0; i < 600; i++)); do
    traced && break
    kill -0 "$tool" 2>/dev/null || break
    sleep 0.05
done
touch "$gate"
wait "$workload"; rc_workload=$?
wait "$tool"; rc_tool=$?
rm -f "$gate"
[[ $rc_tool -ne 0 ]] && exit $rc_tool
exit $rc_workload
