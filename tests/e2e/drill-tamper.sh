#!/bin/sh
# drill-tamper.sh: the record is edited behind the product's back, with
# the sqlite3 shell, to values that the console and the CLI refuse
# (issue 5, failure drills; SPEC section 4: a value that reaches the
# daemon some other way and does not parse makes the record fail closed).
# For each bad value: the daemon refuses every /auth and every API
# refresh with the valid token, and logs why (naming the column or the
# value); "hyptokens show" shows the reason in text and JSON and
# "list" marks the record; "hyptokens set" with a good value repairs it
# and the daemon serves again. The daemon learns of each edit in another
# way: the keep-alive check (version moved), REFRESH on the control
# socket, SIGHUP, and a restart.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/t.ini" t api "$P" 2
d_start t "$T/t.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=t.example.com
DB="$T/tokens.db"
U="http://127.0.0.1:$P"
S="$T/t.sock"
TOK=$(d_token "$T/t.ini" $D access_token)
REF=$(d_token "$T/t.ini" $D refresh_token)
h() { timeout 20 "$HYP" -c "$T/t.ini" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
auth() { d_auth "$P" "${1:-/api/x}" -H "Authorization: Bearer $TOK"; }

# wait_auth STATUS: /auth answers STATUS within 3 s.
wait_auth() {
	_i=0
	while [ "$(auth)" != "$1" ]; do
		_i=$((_i + 1))
		[ $_i -ge 60 ] && return 1
		sleep 0.05
	done
}

# tell HOW: make the daemon look at the record again.
tell() {
	case $1 in
	keepalive)
		q "UPDATE hyp_web_api_tokens SET policy_version =
		    policy_version + 1"
		;;
	control)
		d_ctl "$S" "REFRESH $D" >/dev/null
		;;
	sighup)
		eval "kill -HUP \$DPID_t"
		;;
	restart)
		d_stop t
		d_start t "$T/t.ini" "$P"
		;;
	esac
}

expect_eq "before: the token is accepted" 204 "$(auth)"

# drill NAME HOW SQL-SET LOG-PATTERN FIX-ASSIGNMENT
drill() {
	dn=$1; how=$2; sql=$3; pat=$4; fix=$5
	q "UPDATE hyp_web_api_tokens SET $sql"
	: > "$T/t.mark"
	lines=$(wc -l < "$T/t.log")
	tell "$how"
	if wait_auth 403; then
		ok "$dn ($how): the daemon fails closed"
	else
		not_ok "$dn ($how): the daemon fails closed" "got $(auth)"
	fi
	expect_eq "$dn: another path is refused too" 403 "$(auth /api/y)"
	expect_eq "$dn: alive_check still answers" 200 \
	    "$(curl -s -o /dev/null -w '%{http_code}' "$U/alive_check")"
	code=$(curl -s -o "$T/r.json" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $REF" "$U/RefreshToken")
	check "$dn: an API refresh is refused ($code)" \
	    [ "$code" -ge 400 ]
	check "$dn: and hands out no token" \
	    sh -c "! grep -q hyp[ar]_ '$T/r.json'"
	tail -n +$((lines + 1)) "$T/t.log" > "$T/t.new"
	check "$dn: the daemon logs that it fails closed, and why" \
	    grep -q "fails closed.*$pat" "$T/t.new"
	h show $D > "$T/show.txt" 2>&1
	check "$dn: show says the record is invalid, and why" \
	    grep -q "INVALID: .*$pat" "$T/show.txt"
	check "$dn: show --json gives the reason" sh -c \
	    "$HYP -c '$T/t.ini' show $D --json | jq -r .invalid |
	    grep -q '$pat'"
	check "$dn: list marks the record" \
	    sh -c "$HYP -c '$T/t.ini' list | grep -q '$D.*INVALID'"

	h set $D "$fix" > "$T/fix.out" 2>&1
	rc=$?
	expect_eq "$dn: set $fix repairs it" 0 "$rc"
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/fix.out"
	check "$dn: the daemon applies the repair" grep -q "applied it" \
	    "$T/fix.out"
	got=$(auth)
	expect_eq "$dn: and serves again" 204 "$got"
	if [ "$got" != 204 ]; then	# what the daemon said, to find why
		curl -s -H "X-Original-URI: /api/x" \
		    -H "Authorization: Bearer $TOK" "$U/auth" | sed 's/^/# /'
		tail -n 15 "$T/t.log" | sed 's/^/# /'
	fi
	check "$dn: show is clean again" \
	    sh -c "! $HYP -c '$T/t.ini' show $D | grep -q INVALID"
}

drill "malformed whitelist" keepalive \
    "ipv4_whitelist = '127.0.0.1' || char(10) || '10.0.0.01'" \
    "10.0.0.01" "ipv4_whitelist=127.0.0.1"
drill "unknown module" control "enabled_modules = 'nosuchmodule'" \
    "nosuchmodule" "enabled_modules="
drill "hours out of range" sighup "token_life_hours = 9999" \
    "Token Life in Hours.*9999" "token_life_hours=2"
drill "text in an integer column" restart \
    "max_posts_per_ip_per_minute = 'lots'" \
    "max_posts_per_ip_per_minute" "max_posts_per_ip_per_minute=100"
drill "text in an integer column, cleared" control \
    "max_posts_per_ip_per_minute = 'lots'" \
    "max_posts_per_ip_per_minute" "max_posts_per_ip_per_minute="
check "the audit says what the repair wrote over" sh -c \
    "$HYP -c '$T/t.ini' history $D -n 1 | grep -q \
    \"written over a refused record (max_posts_per_ip_per_minute holds 'lots'\""
drill "negative session timeout" keepalive "session_timeout_minutes = -5" \
    "session_timeout_minutes" "session_timeout_minutes=10"
drill "unknown refresh mode" control "refresh_token_mode = 'sometimes'" \
    "refresh_token_mode.*sometimes" "refresh_token_mode=rotate"
drill "blocked function with a control byte" sighup \
    "blocked_functions = 'ok' || char(10) || 'a' || char(1) || 'b'" \
    "Block These Functions.*not a function name" "blocked_functions=ok"

expect_eq "after the repairs the token still works" 204 "$(auth)"
expect_eq "and the repaired block holds" 403 "$(auth /api/ok)"
