#!/bin/sh
# drill-kill.sh: the daemon is killed with SIGKILL in the middle of API
# refreshes and admin regenerations, three times, and restarted (issue 5,
# failure drills). Eight clients keep refreshing with the pair they hold
# (re-reading the stored pair when theirs is refused) while a loop runs
# "hyptokens regenerate"; each pair handed out (a 200 reply, or a
# regenerate that exited 0) is written down.
#
# After the last restart the record must be consistent, which SPEC
# sections 4 and 8 make precise:
#  C1 one current access token (120 characters, hypa_), one current
#     refresh token (200, hypr_), and a previous access token that is
#     another access token, all of them readable with the key;
#  C2 the previous access token is the one replaced by the last rotation
#     (regenerate or API refresh): the audit rows written with each
#     rotation, in commit order, end with the current pair and, before
#     it, the previous access token;
#  C3 Last Access Token Refresh, Access Until and the previous token's
#     grace agree: until = last refresh + hours, grace = last refresh +
#     180 s;
#  C4 no client holds a pair that was not stored: every pair handed out
#     is one of the audited rotations;
#  C5 whoever got one of the two pairs SPEC keeps alive can use it: the
#     current pair's access token authorizes and its refresh token
#     rotates; the previous pair's access token authorizes (grace) and
#     its refresh token gets the current pair when the last rotation was
#     an API refresh (refused when it was a regeneration, which retires
#     it); every older access token is refused.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/k.ini" k api "$P" 4
d_start k "$T/k.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=k.example.com
U="http://127.0.0.1:$P"
"$HYP" -c "$T/k.ini" set $D max_posts_per_ip_per_minute=100000 \
    >/dev/null 2>&1

if ! command -v python3 >/dev/null 2>&1; then
	not_ok "python3 is there to compute token fingerprints"
	exit 1
fi

# stored_pair: "ACCESS REFRESH" as stored now.
stored_pair() {
	timeout 10 "$HYP" -c "$T/k.ini" show $D --json --reveal 2>/dev/null |
	    jq -r '"\(.access_token) \(.refresh_token)"'
}

# share ACCESS REFRESH: offer the newest pair got to the other clients.
share() {
	printf '%s %s\n' "$1" "$2" > "$T/latest.$c"
	mv "$T/latest.$c" "$T/latest"
}

# client: refresh with the pair held until $T/stop appears; when it is
# refused, take the newest pair another client got, then the stored one.
client() {
	n=0
	misses=0
	set -- $(stored_pair)
	R=${2:-}
	while [ ! -e "$T/stop" ] && [ $n -lt 2000 ]; do
		n=$((n + 1))
		: > "$T/busy.$c"
		code=$(curl -s -m 3 -o "$T/body.$c" -w '%{http_code}' -X POST \
		    -H "Authorization: Bearer $R" "$U/RefreshToken")
		echo "$code $?" >> "$T/codes"
		rm -f "$T/busy.$c"
		case $code in
		200)
			set -- $(jq -r '"\(.AccessToken) \(.RefreshToken)"' \
			    "$T/body.$c" 2>/dev/null)
			if [ $# -eq 2 ] && [ "$2" != null ]; then
				echo "$1 $2 refresh" >> "$T/got.$c"
				share "$1" "$2"
				R=$2
			fi
			misses=0
			;;
		401)
			misses=$((misses + 1))
			if [ $misses -lt 3 ]; then
				set -- $(cat "$T/latest" 2>/dev/null)
			else
				set -- $(stored_pair)
				misses=0
			fi
			R=${2:-}
			;;
		*)
			sleep 0.05
			;;
		esac
	done
}

regenerator() {
	c=regen
	while [ ! -e "$T/stop" ]; do
		if timeout 10 "$HYP" -c "$T/k.ini" regenerate $D --json \
		    --reveal > "$T/regen.out" 2>/dev/null; then
			set -- $(jq -r '"\(.access_token) \(.refresh_token)"' \
			    "$T/regen.out")
			echo "$1 $2 regenerate" >> "$T/got.regen"
			share "$1" "$2"
		fi
		sleep 0.4
	done
}

loaders=""
for c in 1 2 3 4 5 6 7 8; do
	client &
	loaders="$loaders $!"
done
regenerator &
loaders="$loaders $!"
at_exit "touch $T/stop; kill $loaders 2>/dev/null; wait $loaders 2>/dev/null"

# Three kills, each followed by a restart (the last one only after the
# load is over): the first and the last at a random moment of the load,
# the second while the refreshes wait for the database's write lock,
# which another process holds, so that some are surely cut off.
kills=0
for round in 1 2 3; do
	sleep "1.$(shuf -i 0-9 -n 1)"
	holder=""
	if [ $round -eq 2 ]; then
		{
			echo ".timeout 5000"
			echo "BEGIN IMMEDIATE;"
			echo ".shell touch $T/held"
			sleep 1
			echo "ROLLBACK;"
		} | sqlite3 "$T/tokens.db" &
		holder=$!
		wait_for test -e "$T/held"
		sleep 0.3
	fi
	# Wait (a second at most) for a moment with requests out.
	i=0
	while [ $i -lt 50 ] && ! ls "$T"/busy.* >/dev/null 2>&1; do
		i=$((i + 1))
		sleep 0.02
	done
	eval "kill -9 \$DPID_k"
	eval "wait \$DPID_k" 2>/dev/null
	kills=$((kills + 1))
	[ -n "$holder" ] && wait $holder
	sleep 0.2
	[ $round -lt 3 ] && { d_start k "$T/k.ini" "$P" || break; }
done
touch "$T/stop"
for p in $loaders; do wait "$p"; done
expect_eq "the daemon was killed three times under load" 3 "$kills"
d_start k "$T/k.ini" "$P" || { not_ok "the daemon restarts"; exit 1; }
# curl's 52 and 56: the connection was cut with the request in flight.
check "requests in flight were cut off by the kills" \
    grep -qE '^000 (52|56)$' "$T/codes"
# What the clients saw: HTTP status and curl exit code, with counts.
sort "$T/codes" | uniq -c | sed 's/^ */# /'

# The record as stored (C1, C3).
"$HYP" -c "$T/k.ini" show $D --json --reveal > "$T/rec.json"
j() { jq -r "$1" "$T/rec.json"; }
A=$(j .access_token)
R=$(j .refresh_token)
PA=$(j .prev_access_token)
check "C1: the record is valid" [ "$(j .invalid)" = null ]
check "C1: one access token, 120 characters, hypa_" shaped A "$ACCESS_RE"
check "C1: one refresh token, 200 characters, hypr_" shaped R "$REFRESH_RE"
check "C1: the previous access token is an access token" \
    shaped PA "$ACCESS_RE"
check "C1: and another one" differ PA A
secs() { date -u -d "$1" +%s; }
last=$(secs "$(j .last_token_refresh_utc)")
expect_eq "C3: access until is the last refresh + 1 hour" \
    $((last + 3600)) "$(secs "$(j .access_until_utc)")"
expect_eq "C3: the previous token's grace is the last refresh + 180 s" \
    $((last + 180)) "$(secs "$(j .prev_access_until_utc)")"

# The rotations in commit order: "N ACTION ACCESS_FP REFRESH_FP".
sqlite3 "$T/tokens.db" "SELECT action, detail FROM hyp_audit WHERE
    domain_address = '$D' AND action IN ('regenerate', 'refresh')
    ORDER BY id" |
    sed -n 's/^\([a-z]*\)|new access token \([0-9a-f]*\), /\1 \2 /p' |
    sed -n 's/^\([a-z]* [0-9a-f]*\) new refresh token \([0-9a-f]*\)$/\1 \2/p' |
    awk '{ print NR, $0 }' > "$T/chain"
n=$(wc -l < "$T/chain")
check "the drill made rotations (at least 10)" [ "$n" -ge 10 ]
line() { sed -n "${1}p" "$T/chain"; }
set -- $(line "$n")
expect_eq "C2: the last rotation wrote the current access token" \
    "$(j .access_token_fingerprint)" "$3"
expect_eq "C2: and the current refresh token" \
    "$(j .refresh_token_fingerprint)" "$4"
LAST_ACTION=$2
set -- $(line $((n - 1)))
expect_eq "C2: the previous access token is the one it replaced" \
    "$(j .prev_access_token_fingerprint)" "$3"

# Every pair handed out, with its fingerprints: "AFP RFP ACCESS REFRESH".
cat "$T"/got.* 2>/dev/null | sort -u > "$T/pairs"
python3 -c '
import hashlib, sys
def fp(t):
	return hashlib.blake2b(t.encode(), digest_size=16,
	    key=b"hyptokens/fingerprint/1").hexdigest()[:8]
for l in sys.stdin:
	a, r, how = l.split()
	print(fp(a), fp(r), a, r, how)
' < "$T/pairs" > "$T/fpairs"
expect_eq "fingerprints computed here match the product's" \
    "$(j .access_token_fingerprint)" "$(echo "$A x x" | python3 -c '
import hashlib, sys
print(hashlib.blake2b(sys.stdin.read().split()[0].encode(),
    digest_size=16, key=b"hyptokens/fingerprint/1").hexdigest()[:8])')"
check "clients got pairs from API refreshes" grep -q ' refresh$' "$T/fpairs"
check "and from regenerations" grep -q ' regenerate$' "$T/fpairs"

# C4 and C5, pair by pair.
lost=0
bad_auth=0
live=0
while read -r afp rfp acc ref how; do
	pos=$(awk -v a="$afp" -v r="$rfp" '$3 == a && $4 == r { print $1 }' \
	    "$T/chain" | tail -n 1)
	if [ -z "$pos" ]; then
		lost=$((lost + 1))
		continue
	fi
	want=401
	if [ "$pos" -ge $((n - 1)) ]; then
		want=204
		live=$((live + 1))
	fi
	[ "$pos" -eq $((n - 1)) ] && PREV_R=$ref
	got=$(d_auth "$P" /api/x -H "Authorization: Bearer $acc")
	[ "$got" = "$want" ] || bad_auth=$((bad_auth + 1))
done < "$T/fpairs"
expect_eq "C4: every pair handed out was stored (of $(wc -l < "$T/fpairs"))" \
    0 "$lost"
expect_eq "C5: the live pairs' access tokens authorize, older ones not" \
    0 "$bad_auth"
check "C5: some client holds a live pair" [ "$live" -ge 1 ]

refresh() {
	curl -s -o "$2" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $1" "$U/RefreshToken"
}
if [ -n "${PREV_R:-}" ]; then
	code=$(refresh "$PREV_R" "$T/prev.json")
	if [ "$LAST_ACTION" = refresh ]; then
		expect_eq "C5: the just-replaced refresh token gets 200" 200 \
		    "$code"
		GA=$(jq -r .AccessToken "$T/prev.json")
		GR=$(jq -r .RefreshToken "$T/prev.json")
		check "C5: and the current access token" same GA A
		check "C5: and the current refresh token" same GR R
	else
		expect_eq "C5: a refresh token retired by a regeneration: 401" \
		    401 "$code"
	fi
fi
expect_eq "C5: the current refresh token rotates" 200 \
    "$(refresh "$R" "$T/cur.json")"
expect_eq "C5: the new access token authorizes" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer \
$(jq -r .AccessToken "$T/cur.json")")"
expect_eq "C5: the replaced access token is in its grace" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $A")"
if [ -n "${PA:-}" ] && [ "$PA" != null ]; then
	expect_eq "C5: the one before it is refused" 401 \
	    "$(d_auth "$P" /api/x -H "Authorization: Bearer $PA")"
fi
