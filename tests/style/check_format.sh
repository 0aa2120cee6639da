#!/bin/sh
# check_format.sh - every C source and header is clang-format clean (the
# repository's .clang-format). Usage: check_format.sh SOURCE_DIR
# Ends with "N passed, N failed" (one per file).
cd "$1" || exit 2
formatter=$(command -v clang-format || command -v clang-format-14)
if [ -z "$formatter" ]; then
	echo "clang-format not found"
	echo "0 passed, 1 failed"
	exit 1
fi
passed=0
failed=0
for f in $(git ls-files --cached --others --exclude-standard '*.c' '*.h'); do
	[ -f "$f" ] || continue # deleted but still tracked
	case "$f" in
	bench/c/*) continue ;; # BPF C written as clang+libbpf users write it
	esac
	if "$formatter" --dry-run --Werror "$f" >/dev/null 2>&1; then
		passed=$((passed + 1))
	else
		echo "not clang-format clean: $f"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
