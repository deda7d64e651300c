#!/bin/sh
# bench/daemon.sh: the daemon's part of `make bench` (issue 4), with wrk on
# loopback. Not a test: it prints figures and ratios against the targets.
#
#   1. /auth with a valid token, against a bare libevent responder built
#      here from bench/bare.c (target: at least 0.9 of it);
#   2. nginx with sub-request authorization (share/nginx/hyptokens.conf)
#      through the daemon, against the same nginx through the bare
#      responder (target: at least 0.9);
#   3. REFRESH sent to the new policy answering, median (target: < 2 ms);
#   4. resident memory after a flood from 100,000 client addresses.
#
# The daemon runs with BENCH_THREADS workers (default 1, like the bare
# responder's one loop). Clients are spread over 1000 addresses with a
# limit of 100000 a minute, so flood protection counts every request but
# blocks none. With two CPUs or more, the servers share the last CPU and
# wrk gets the first. Each pair is measured BENCH_ROUNDS times
# (default 3), alternating, and the best of each is kept, which evens
# out a busy machine. Usage: sh bench/daemon.sh [BUILD-DIR]
set -u
B=${1:-build}
TOP=$(pwd)
DUR=${BENCH_SECONDS:-5}
CONN=${BENCH_CONNECTIONS:-50}
THREADS=${BENCH_THREADS:-1}
ROUNDS=${BENCH_ROUNDS:-3}
NGINX=/usr/sbin/nginx
T=$(mktemp -d "${TMPDIR:-/tmp}/hyp-bench.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "${BENCH_KEEP:-}" ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench/daemon: $*" >&2; exit 1; }
# A free port below the usual ephemeral range, unused in any state.
port() {
	while :; do
		p=$(shuf -i 20000-32000 -n 1)
		ss -Hatn "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}
wait_http() {
	i=0
	until curl -s -o /dev/null "$1"; do
		i=$((i + 1)); [ $i -ge 100 ] && return 1; sleep 0.05
	done
}
# Servers on the last CPU, the load generator on the first.
NCPU=$(nproc)
if [ "$NCPU" -ge 2 ] && command -v taskset >/dev/null; then
	SRV="taskset -c $((NCPU - 1))"
	CLI="taskset -c 0"
else
	SRV=""
	CLI=""
fi
HZ=$(getconf CLK_TCK)
# cpu PID...: CPU ticks the processes used so far, every thread counted.
cpu() {
	for _p in "$@"; do awk '{ print $14 + $15 }' "/proc/$_p/stat"; done |
	    awk '{ s += $1 } END { print s + 0 }'
}
# measure ROUNDS URL SCRIPT PID...: wrk runs against URL; prints the
# best requests a second, and the servers' CPU microseconds a request
# over all runs (what a busy machine disturbs least).
measure() {
	_r=$1; _u=$2; _s=$3; shift 3
	_i=0
	while [ $_i -lt "$_r" ]; do
		_c0=$(cpu "$@")
		_o=$($CLI wrk -t1 -c"$CONN" -d"${DUR}s" -s "$_s" "$_u" 2>&1)
		_c1=$(cpu "$@")
		echo "$_o" | awk -v t=$((_c1 - _c0)) '
		    /requests in/ { n = $1 } /^Requests\/sec:/ { r = $2 }
		    END { print r + 0, n + 0, t }'
		_i=$((_i + 1))
	done | awk -v hz="$HZ" '{ if ($1 > best) best = $1; n += $2; t += $3 }
	    END { printf "%.0f %.1f\n", best, (n > 0 ? t * 1e6 / hz / n : 0) }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# report NAME-A NAME-B "RPS-A CPU-A" "RPS-B CPU-B": the pair and ratios.
report() {
	set -- "$1" "$2" $3 $4
	printf '  %-28s %8s req/s %6s us CPU a request\n' "$1" "$3" "$4"
	printf '  %-28s %8s req/s %6s us CPU a request\n' "$2" "$5" "$6"
	echo "  ratio, requests a second    $(ratio "$5" "$3") (target >= 0.90)"
	echo "  ratio, CPU cost             $(ratio "$4" "$6") (bare/daemon)"
}

command -v wrk >/dev/null || die "wrk is not installed"
[ -x "$B/hyptokensd" ] && [ -x "$B/hyptokens" ] || die "build first"

cc -O2 -o "$T/bare" bench/bare.c $(pkg-config --cflags --libs libevent) ||
    die "cannot build the bare responder"
cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -I/usr/include/iniparser \
    -o "$T/refresh-lat" bench/refresh-lat.c "$B/libhypcore.a" \
    $(pkg-config --libs sqlite3 libsodium jansson) -liniparser -lpthread ||
    die "cannot build the latency client"

DP=$(port)
cat > "$T/bench.ini" <<EOF
[webapp]
user_name = bench
domain = bench.example.com
purpose = api
max_tenants = 100
max_threads = $THREADS
[daemon]
listen = 127.0.0.1:$DP
control_socket = bench.sock
keepalive_seconds = 30
api_prefix = /api/
log_level = warn
[storage]
database = bench.db
key_file = bench.key
share_dir = $TOP/share
EOF
$SRV "$B/hyptokensd" -c "$T/bench.ini" 2>"$T/daemon.log" &
dpid=$!
pids="$pids $dpid"
wait_http "http://127.0.0.1:$DP/alive_check" || die "the daemon did not start"
HYP="$B/hyptokens -c $T/bench.ini"
$HYP set bench.example.com max_posts_per_ip_per_minute=100000 \
    >/dev/null 2>&1 ||
    die "cannot set the request limit"
TOK=$($HYP show bench.example.com --json --reveal |
    sed -n 's/^ *"access_token": "\([^"]*\)".*/\1/p')
[ -n "$TOK" ] || die "no access token"

# wrk scripts: one header set per request, the client address cycling.
cat > "$T/auth.lua" <<EOF
local n = 0
request = function()
	n = n + 1
	local c = n % 1000
	return wrk.format("GET", "/auth", {
		["X-Original-URI"] = "/api/getUser",
		["X-Real-IP"] = "10.9." .. math.floor(c / 256) .. "." .. c % 256,
		["Authorization"] = "Bearer $TOK" })
end
EOF
cat > "$T/nginx.lua" <<EOF
local n = 0
request = function()
	n = n + 1
	local c = n % 1000
	return wrk.format("GET", "/api/getUser", {
		["X-Bench-Client"] = "10.9." .. math.floor(c / 256) .. "." .. c % 256,
		["Authorization"] = "Bearer $TOK" })
end
EOF
cat > "$T/flood.lua" <<'EOF'
local n = 0
init = function(args)
	n = tonumber(args[1]) or 0
end
request = function()
	local c = n % 100000
	n = n + 1
	return wrk.format("GET", "/auth", {
		["X-Original-URI"] = "/api/getUser",
		["X-Real-IP"] = "10." .. math.floor(c / 65536) .. "." ..
		    math.floor(c / 256) % 256 .. "." .. c % 256 })
end
EOF

s=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Original-URI: /api/getUser" \
    -H "Authorization: Bearer $TOK" "http://127.0.0.1:$DP/auth")
[ "$s" = 204 ] || die "/auth does not allow the bench token ($s)"

BP=$(port)
$SRV "$T/bare" "$BP" &
bpid=$!
pids="$pids $bpid"
wait_http "http://127.0.0.1:$BP/" || die "the bare responder did not start"

echo "daemon benchmark: wrk -t1 -c$CONN -d${DUR}s, best of $ROUNDS," \
    "$THREADS worker(s), $NCPU CPUs"
M_BARE=""
M_AUTH=""
i=0
while [ $i -lt "$ROUNDS" ]; do
	M_BARE="$M_BARE$(measure 1 "http://127.0.0.1:$BP/auth" "$T/auth.lua" \
	    "$bpid");"
	M_AUTH="$M_AUTH$(measure 1 "http://127.0.0.1:$DP/auth" "$T/auth.lua" \
	    "$dpid");"
	i=$((i + 1))
done
# best rps, mean CPU of the alternating single runs
best() {
	echo "$1" | tr ';' '\n' | awk 'NF == 2 { if ($1 > b) b = $1; c += $2; k++ }
	    END { printf "%.0f %.1f\n", b, (k > 0 ? c / k : 0) }'
}
report "bare libevent responder" "hyptokensd /auth" "$(best "$M_BARE")" \
    "$(best "$M_AUTH")"

# nginx in front, once through the daemon and once through the bare one.
# The bench passes the client address in a header so that the flood
# limit sees many clients (the shipped file uses $remote_addr).
nginx_rps() {
	_auth=$1; _dir=$T/ngx-$2; _srv=$3
	mkdir -p "$_dir"
	NP=$(port); AP=$(port)
	sed -e "s/127\.0\.0\.1:8470/127.0.0.1:$_auth/" \
	    -e "s/127\.0\.0\.1:8000/127.0.0.1:$AP/" \
	    -e "s/127\.0\.0\.1:8080/127.0.0.1:$NP/" \
	    -e "s|access_log /var/log/nginx/.*;|access_log off;|" \
	    -e 's/X-Real-IP \$remote_addr/X-Real-IP $http_x_bench_client/' \
	    share/nginx/hyptokens.conf > "$_dir/site.conf"
	{
		[ "$(id -u)" -eq 0 ] && echo "user root;"
		echo "worker_processes 1;"
		echo "error_log $_dir/error.log warn;"
		echo "events { worker_connections 1024; }"
		echo "http {"
		echo "	access_log off;"
		for d in client_body proxy fastcgi uwsgi scgi; do
			echo "	${d}_temp_path $_dir/$d;"
		done
		echo "	server { listen 127.0.0.1:$AP; access_log off;"
		echo "		location / { return 200 'ok\n'; } }"
		echo "	include $_dir/site.conf;"
		echo "}"
	} > "$_dir/nginx.conf"
	"$NGINX" -p "$_dir" -c "$_dir/nginx.conf" \
	    -g "daemon off; pid $_dir/nginx.pid;" 2>"$_dir/stderr" &
	_np=$!
	if ! wait_http "http://127.0.0.1:$NP/"; then
		echo "bench/daemon: nginx did not start:" \
		    "$(cat "$_dir/stderr")" >&2
		kill $_np 2>/dev/null; echo "0 0"; return
	fi
	_s=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Bench-Client: 10.9.0.1" \
	    -H "Authorization: Bearer $TOK" "http://127.0.0.1:$NP/api/getUser")
	if [ "$_s" != 200 ]; then
		echo "bench/daemon: nginx answered $_s" >&2
		kill $_np; wait $_np 2>/dev/null; echo "0 0"; return
	fi
	CLI='' measure "$ROUNDS" "http://127.0.0.1:$NP/api/getUser" \
	    "$T/nginx.lua" $_np $(pgrep -P $_np) $_srv
	kill $_np; wait $_np 2>/dev/null
}
if [ -x "$NGINX" ]; then
	N_BARE=$(nginx_rps "$BP" bare "$bpid")
	N_AUTH=$(nginx_rps "$DP" daemon "$dpid")
	report "nginx + bare auth_request" "nginx + hyptokensd" "$N_BARE" \
	    "$N_AUTH"
else
	echo "  nginx: not installed, skipped"
fi

BENCH_TOKEN=$TOK "$T/refresh-lat" "$T/bench.ini" 200 > "$T/lat" ||
    die "the latency client failed"
ACK=$(awk '$1 == "refresh_ack_median_us" { print $2 }' "$T/lat")
APP=$(awk '$1 == "refresh_applied_median_us" { print $2 }' "$T/lat")
P90=$(awk '$1 == "refresh_applied_p90_us" { print $2 }' "$T/lat")
echo "  REFRESH to its reply        median ${ACK} us"
echo "  REFRESH to policy answering median ${APP} us, p90 ${P90} us (target < 2000 us)"

# Every one of the 100000 addresses sends at least one request.
R0=$(rss_kb "$dpid")
sent=0
while [ "$sent" -lt 100000 ]; do
	n=$($CLI wrk -t1 -c"$CONN" -d2s -s "$T/flood.lua" \
	    "http://127.0.0.1:$DP/auth" -- "$sent" 2>&1 |
	    awk '/requests in/ { print $1 }')
	[ -n "$n" ] && [ "$n" -gt 0 ] || die "the flood run failed"
	sent=$((sent + n))
done
R1=$(rss_kb "$dpid")
ADDRS=$(curl -s "http://127.0.0.1:$DP/metrics" |
    awk '$1 == "hyptokensd_flood_addresses" { print $2 }')
echo "  resident memory             ${R0} kB before, ${R1} kB after" \
    "$sent requests from 100000 addresses ($ADDRS tracked, cap 65536)"
