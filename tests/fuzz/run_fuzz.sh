#!/bin/sh
# run_fuzz.sh - the ctest drivers of the libFuzzer harnesses (CMakeLists.txt).
#
#   run_fuzz.sh fuzz BINARY DICT SECONDS ARTIFACT_DIR REGRESSION_DIR SEED_DIR...
#       Copies every .py under the SEED_DIRs, except those in REGRESSION_DIR
#       (replayed by the `replay` mode instead, so that a known, still open
#       bug does not stop the search for new ones), into a fresh temporary
#       corpus (the source tree is never written), then fuzzes for SECONDS. A
#       crash, leak, UB report or timeout fails the test; the input that
#       caused it is kept in ARTIFACT_DIR (it becomes a file in REGRESSION_DIR).
#   run_fuzz.sh replay REGRESSION_DIR BINARY...
#       Runs each BINARY that exists (fuzz_compile is built only on request)
#       once on every file in REGRESSION_DIR except README.md.
#
# Ends with "N passed, N failed".
mode=$1
# UBSan reports come with a stack trace (ASan's always do).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
case "$mode" in
fuzz)
	bin=$2
	dict=$3
	seconds=$4
	artifacts=$5
	regressions=$6
	shift 6
	corpus=$(mktemp -d "${TMPDIR:-/tmp}/pybpf-fuzz.XXXXXX") || exit 2
	trap 'rm -rf "$corpus"' EXIT
	trap 'exit 2' HUP INT TERM
	n=0
	regressions=${regressions%/} # as find prints it: SEED_DIRs and it share a prefix
	for f in $(find "$@" -path "$regressions" -prune -o -type f -name '*.py' -print | sort); do
		n=$((n + 1))
		cp "$f" "$corpus/$n-$(basename "$f")"
	done
	echo "seed corpus: $n files in $corpus"
	mkdir -p "$artifacts"
	"$bin" -max_total_time="$seconds" -dict="$dict" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "1 passed, 0 failed"
	else
		echo "fuzz_frontend exited $rc: see the report above and the input in $artifacts/"
		echo "0 passed, 1 failed"
	fi
	exit "$rc"
	;;
replay)
	dir=$2
	shift 2
	if [ ! -x "$1" ]; then
		echo "$1 not built"
		echo "0 passed, 1 failed"
		exit 1
	fi
	passed=0
	failed=0
	for bin in "$@"; do
		[ -x "$bin" ] || continue
		echo "replaying with $bin"
		for f in $(find "$dir" -type f ! -name README.md | sort); do
			if out=$("$bin" "$f" 2>&1); then
				passed=$((passed + 1))
			else
				printf '%s\n' "$out"
				echo "FAIL $f ($(basename "$bin"))"
				failed=$((failed + 1))
			fi
		done
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	;;
*)
	echo "usage: run_fuzz.sh fuzz BINARY ... | replay REGRESSION_DIR BINARY..." >&2
	exit 2
	;;
esac
