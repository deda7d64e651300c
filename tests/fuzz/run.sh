#!/bin/sh
# Run libFuzzer targets, each for SECONDS, on a private copy of its seed
# corpus tests/fuzz/corpus/<name> (never written to), with its dictionary
# tests/fuzz/<name>.dict when there is one. Prints one line a target:
# executions, rate, coverage (cov: edges, ft: features) and corpus size.
# A crash, a leak, a sanitizer report, a timeout or a violated property
# fails the run; the input and the log are kept in BUILD/findings/<name>.
#
# usage: run.sh BUILD SECONDS TARGET...
set -u
B=$1
secs=$2
shift 2
top=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/hyptokens-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
fail=0
failed=""
start=$(date +%s)

export FUZZ_SHARE="$top/share"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for name in "$@"; do
	d="$work/$name"
	mkdir -p "$d/corpus" "$d/art" "$d/tmp"
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp tests/fuzz/corpus/"$name"/* "$d/corpus/" 2>/dev/null
	fi
	dict=""
	if [ -f "tests/fuzz/$name.dict" ]; then
		dict="-dict=$top/tests/fuzz/$name.dict"
	fi
	# shellcheck disable=SC2086
	FUZZ_TMPDIR="$d/tmp" "$top/$B/fuzz-$name" -max_total_time="$secs" \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$d/art/" $dict "$d/corpus" >"$d/log" 2>&1
	rc=$?
	line=$(grep -E '^#[0-9]+' "$d/log" | tail -n 1)
	runs=$(echo "$line" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$line" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$d/log")
	printf 'fuzz-%-10s %10s runs %8s exec/s  cov %5s  ft %6s  corp %s\n' \
	    "$name" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
	    "${corp:-?}"
	if [ $rc -ne 0 ]; then
		fail=$((fail + 1))
		failed="$failed $name"
		mkdir -p "$B/findings/$name"
		cp "$d/art/"* "$d/log" "$B/findings/$name/" 2>/dev/null
		echo "fuzz-$name: FAILED (exit $rc); input and log kept in" \
		    "$B/findings/$name/"
		grep -E 'property violated|ERROR:|SUMMARY:|runtime error' \
		    "$d/log" | head -n 10
	fi
done

took=$(( $(date +%s) - start ))
echo "fuzz: $# targets, $fail failed, $took s${failed:+ (failed:$failed)}"
[ $fail -eq 0 ]
