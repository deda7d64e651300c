#!/bin/sh
# Run every test: the criterion suites (one binary per core module), then
# the end-to-end scripts in tests/e2e that drive the real programs. Prints
# one closing line "tests: N passed, N failed, N skipped" (a skipped check
# is named, never counted as passed) and exits non-zero on any
# failure.
set -u
B=${1:-build}
pass=0
fail=0
skip=0
failed=""
log=$(mktemp -d "${TMPDIR:-/tmp}/hyptokens-tests.XXXXXX")

# Under the sanitizers (make test SANITIZE=1) every report of every
# program, daemons and consoles started by the scripts included, lands in
# $log/san.*; any such file fails the run. libfaketime is preloaded by
# some scripts, so ASan may not come first among the libraries.
if [ "${SANITIZE:-0}" = 1 ]; then
	export ASAN_OPTIONS="log_path=$log/san:verify_asan_link_order=0:detect_leaks=1"
	export UBSAN_OPTIONS="log_path=$log/san:print_stacktrace=1:halt_on_error=1"
	export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
fi

for t in "$B"/tests/test-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" --jobs 2 >"$log/$name.out" 2>&1
	rc=$?
	line=$(grep 'Synthesis:' "$log/$name.out" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	p=${p:-0}; f=${f:-0}; c=${c:-0}
	if [ $rc -ne 0 ] && [ $((f + c)) -eq 0 ]; then
		f=1		# died before its synthesis line
	fi
	pass=$((pass + p))
	fail=$((fail + f + c))
	printf '%-28s %s\n' "$name" "${line:-no synthesis (exit $rc)}"
	if [ $rc -ne 0 ]; then
		failed="$failed $name"
		grep -E '\[(FAIL|----)\]|CRASH|error' "$log/$name.out" | head -n 40
	fi
done

for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	[ "$name" = lib ] && continue	# sourced by the others
	B="$B" sh "$t" >"$log/$name.out" 2>&1
	rc=$?
	p=$(grep '^ok ' "$log/$name.out" | grep -vc '# SKIP')
	s=$(grep '^ok ' "$log/$name.out" | grep -c '# SKIP')
	f=$(grep -c '^not ok ' "$log/$name.out")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	if [ "$s" -gt 0 ]; then
		printf '%-28s %d passed, %d failed, %d skipped\n' \
		    "e2e/$name" "$p" "$f" "$s"
		grep '^ok .*# SKIP' "$log/$name.out" | sed 's/^/  /'
	else
		printf '%-28s %d passed, %d failed\n' "e2e/$name" "$p" "$f"
	fi
	if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
		failed="$failed e2e/$name"
		grep -E '^not ok |^#' "$log/$name.out" | head -n 40
		[ "$f" -eq 0 ] && tail -n 20 "$log/$name.out"
	fi
done

if [ "${SANITIZE:-0}" = 1 ]; then
	for f in "$log"/san.*; do
		[ -f "$f" ] || continue
		echo "sanitizer report $(basename "$f"):"
		head -n 30 "$f"
		fail=$((fail + 1))
		failed="$failed sanitizer"
	done
fi

if [ -n "$failed" ]; then
	echo "logs: $log"
	echo "failed:$failed"
else
	rm -rf "$log"
fi
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
