#!/bin/sh
# test.sh - configure, build and run the whole test suite (ctest).
# Tests that need root print SKIP when not run as root; CI runs as root.
# The last line is the summary: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

preset=${PYBPF_PRESET:-dev}
cmake --preset "$preset" >/dev/null || exit 1
cmake --build "build/$preset" -j "$(nproc)" || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
{
	ctest --test-dir "build/$preset" --output-on-failure -j "$(nproc)" 2>&1
	echo $? >"$log.status"
} | tee "$log"
status=$(cat "$log.status")
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
skipped=$(grep -cE '^\s+[0-9]+ - .*\(Skipped\)' "$log")
rm -f "$log" "$log.status"
if [ -z "$summary" ]; then
	echo "0 passed, 1 failed"
	exit 1
fi
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
total=$(echo "$summary" | sed -E 's/.* out of ([0-9]+).*/\1/')
[ "$skipped" -gt 0 ] && echo "$skipped skipped (not root?)"
echo "$((total - failed - skipped)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
