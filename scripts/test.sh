#!/bin/sh
# test.sh - configure, build and run the whole test suite (ctest):
#   1. the dev preset (warnings are errors): every test;
#   2. the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer, leak
#      checks): the tests labelled "asan" (all but the style and grammar
#      checks, which run no compiled code).
# Tests that need root print SKIP when not run as root; CI runs as root.
# The last line is the summary of both passes: "N passed, N failed".
# PYBPF_TEST_PRESETS overrides the passes, e.g. PYBPF_TEST_PRESETS=dev.
set -u
cd "$(dirname "$0")/.."

total_passed=0
total_failed=0
total_skipped=0

# run_preset PRESET [ctest args...]: builds, runs ctest, adds up the counts
run_preset() {
	preset=$1
	shift
	echo "==== preset $preset ===="
	if ! cmake --preset "$preset" >/dev/null || ! cmake --build "build/$preset" -j "$(nproc)"; then
		echo "build of preset $preset failed"
		total_failed=$((total_failed + 1))
		return
	fi
	log=$(mktemp)
	{
		ctest --test-dir "build/$preset" --output-on-failure -j "$(nproc)" "$@" 2>&1
		echo $? >"$log.status"
	} | tee "$log"
	summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
	skipped=$(grep -cE '^\s+[0-9]+ - .*\(Skipped\)' "$log")
	status=$(cat "$log.status")
	rm -f "$log" "$log.status"
	if [ -z "$summary" ]; then
		total_failed=$((total_failed + 1))
		return
	fi
	failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
	total=$(echo "$summary" | sed -E 's/.* out of ([0-9]+).*/\1/')
	[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
	total_passed=$((total_passed + total - failed - skipped))
	total_failed=$((total_failed + failed))
	total_skipped=$((total_skipped + skipped))
}

for preset in ${PYBPF_TEST_PRESETS:-dev asan}; do
	case "$preset" in
	asan) run_preset asan -L asan ;;
	*) run_preset "$preset" ;;
	esac
done

[ "$total_skipped" -gt 0 ] && echo "$total_skipped skipped (they need root)"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
