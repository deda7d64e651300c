#!/bin/sh
# bench/console.sh: the console's part of `make bench` (issue 3). Not a
# test: it prints figures. A database of 10,000 records against an empty
# one in the same run:
#   - `hyptokens list` (target: under 100 ms), median of 20 runs;
#   - the console's first screen (target: under 200 ms): time from exec
#     until tmux shows the list, median of 7 runs (tmux is polled every
#     few milliseconds, which adds a little to both figures).
# Usage: sh bench/console.sh [BUILD-DIR]
set -u
B=${1:-build}
TOP=$(pwd)
N=${BENCH_RECORDS:-10000}
T=$(mktemp -d "${TMPDIR:-/tmp}/hyp-bench.XXXXXX")
SOCK="hypbench$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT

cc -std=c11 -D_GNU_SOURCE -O2 -I"$TOP/include" -o "$T/populate" \
    "$TOP/bench/populate.c" "$TOP/$B/libhypcore.a" \
    $(pkg-config --libs sqlite3 libsodium) -liniparser -lpthread || exit 1

mkini() {	# mkini DIR
	mkdir -p "$1"
	cat > "$1/b.ini" <<INI
[webapp]
user_name = bench
domain = bench.example.com
purpose = api
[storage]
database = tokens.db
key_file = tokens.key
share_dir = $TOP/share
INI
}
mkini "$T/empty"
mkini "$T/full"
"$T/populate" "$T/empty/tokens.db" "$T/empty/tokens.key" 0 || exit 1
"$T/populate" "$T/full/tokens.db" "$T/full/tokens.key" "$N" || exit 1

now_ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

list_ms() {	# list_ms DIR: one timed run of `hyptokens list`
	a=$(now_ms)
	"$TOP/$B/hyptokens" -c "$1/b.ini" list >/dev/null || echo FAIL >&2
	b=$(now_ms)
	echo $((b - a))
}

screen_ms() {	# screen_ms DIR MARKER: exec to first screen showing MARKER
	tmux -L "$SOCK" kill-server 2>/dev/null
	printf '#!/bin/sh\ndate +%%s%%N | cut -c1-13 > %s/start\nexec %s -c %s\n' \
	    "$T" "$TOP/$B/hyptokens" "$1/b.ini" > "$T/run.sh"
	rm -f "$T/start"
	tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	    "sh $T/run.sh"
	i=0
	while ! tmux -L "$SOCK" capture-pane -p 2>/dev/null |
	    grep -q -- "$2"; do
		i=$((i + 1))
		[ $i -gt 2000 ] && { echo 99999; return; }
	done
	b=$(now_ms)
	echo $((b - $(cat "$T/start")))
	tmux -L "$SOCK" kill-server 2>/dev/null
}

runs() {	# runs COUNT CMD...: median of COUNT runs
	k=$1; shift
	i=0
	while [ $i -lt "$k" ]; do "$@"; i=$((i + 1)); done | median
}

le=$(runs 20 list_ms "$T/empty")
lf=$(runs 20 list_ms "$T/full")
se=$(runs 7 screen_ms "$T/empty" "hyptokens")
sf=$(runs 7 screen_ms "$T/full" "app00000.example.com")

echo "console bench: $N records against an empty database"
printf '  hyptokens list     empty %4d ms   %d records %4d ms   ratio %s   target < 100 ms: %s\n' \
    "$le" "$N" "$lf" "$(awk "BEGIN {printf \"%.2f\", $lf / ($le ? $le : 1)}")" \
    "$([ "$lf" -lt 100 ] && echo met || echo MISSED)"
printf '  first screen       empty %4d ms   %d records %4d ms   ratio %s   target < 200 ms: %s\n' \
    "$se" "$N" "$sf" "$(awk "BEGIN {printf \"%.2f\", $sf / ($se ? $se : 1)}")" \
    "$([ "$sf" -lt 200 ] && echo met || echo MISSED)"
