#!/bin/sh
# daemon-refresh.sh: POST /RefreshToken (SPEC section 8, case 9): a new
# pair in rotate mode, the replaced access token in its grace, a retry
# with the just-replaced refresh token getting the current pair, an older
# one refused and audited, 2 then 10 then 50 concurrent calls with one
# refresh token making one rotation and every caller a working pair,
# fixed mode, and no token in any log at debug level.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

P=$(d_port)
d_ini "$T/r.ini" r api "$P" 4
d_start r "$T/r.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=r.example.com
U="http://127.0.0.1:$P"
# Every call below comes from 127.0.0.1 and counts against its requests
# per minute; the flood limit itself is checked at the end.
"$HYP" -c "$T/r.ini" set $D max_posts_per_ip_per_minute=1000 \
    >/dev/null 2>&1
AT0=$(d_token "$T/r.ini" $D access_token)
RT0=$(d_token "$T/r.ini" $D refresh_token)

# refresh TOKEN OUT: status of one call, the body in OUT.
refresh() {
	curl -s -o "$2" -w '%{http_code}' -X POST \
	    -H "Authorization: Bearer $1" "$U/RefreshToken"
}
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$2"; }
auth() {
	curl -s -o /dev/null -w '%{http_code}' -H "X-Original-URI: /api/x" \
	    -H "X-Real-IP: $2" -H "Authorization: Bearer $1" "$U/auth"
}
rotations() { grep -c "rotated the tokens" "$T/r.log"; }

expect_eq "a refresh with the refresh token answers 200" 200 \
    "$(refresh "$RT0" "$T/r1")"
AT1=$(field AccessToken "$T/r1")
RT1=$(field RefreshToken "$T/r1")
check "the reply holds a new access token" \
    [ -n "$AT1" ] && [ "$AT1" != "$AT0" ]
check "rotate mode: the reply holds a new refresh token" \
    [ -n "$RT1" ] && [ "$RT1" != "$RT0" ]
check "the reply says when the access token expires" \
    grep -q '"AccessTokenExpiresUTC":"20[0-9-]* [0-9:]*"' "$T/r1"
check "the reply is Hyper-style" grep -q '"ResponseCode":200' "$T/r1"
expect_eq "the new access token works at once" 204 "$(auth "$AT1" 10.0.0.1)"
expect_eq "the replaced one is in its 180 s grace" 204 \
    "$(auth "$AT0" 10.0.0.1)"
expect_eq "the database holds the new pair" "$RT1" \
    "$(d_token "$T/r.ini" $D refresh_token)"

expect_eq "a retry with the just-replaced refresh token: 200" 200 \
    "$(refresh "$RT0" "$T/r2")"
expect_eq "it gets the current access token" "$AT1" \
    "$(field AccessToken "$T/r2")"
expect_eq "and the current refresh token" "$RT1" \
    "$(field RefreshToken "$T/r2")"

expect_eq "GET is refused" 405 "$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $RT1" "$U/RefreshToken")"
expect_eq "no token: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' \
    -X POST "$U/RefreshToken")"
expect_eq "an access token is not a refresh token" 401 \
    "$(refresh "$AT1" "$T/r3")"

# Concurrency: 2, then 10, then 50 calls at once with one token.
for n in 2 10 50; do
	RT=$(d_token "$T/r.ini" $D refresh_token)
	before=$(rotations)
	i=0
	pids=""
	while [ $i -lt $n ]; do
		refresh "$RT" "$T/c.$n.$i" > "$T/s.$n.$i" &
		pids="$pids $!"
		i=$((i + 1))
	done
	for p in $pids; do wait "$p"; done
	ok200=$(grep -l "^200$" "$T"/s.$n.* | wc -l)
	expect_eq "$n concurrent calls: every caller gets 200" "$n" "$ok200"
	expect_eq "$n concurrent calls: one rotation" 1 \
	    $(($(rotations) - before))
	pairs=$(for f in "$T"/c.$n.*; do
		echo "$(field AccessToken "$f") $(field RefreshToken "$f")"
	    done | sort -u | wc -l)
	expect_eq "$n concurrent calls: everyone got the same pair" 1 "$pairs"
	A=$(field AccessToken "$T/c.$n.0")
	R=$(field RefreshToken "$T/c.$n.0")
	expect_eq "$n concurrent calls: that pair is the stored one" "$R" \
	    "$(d_token "$T/r.ini" $D refresh_token)"
	expect_eq "$n concurrent calls: its access token works" 204 \
	    "$(auth "$A" "10.1.0.$n")"
done
LAST_A=$A
LAST_R=$R

# An older refresh token (replaced two rotations ago) is refused, audited.
expect_eq "an older refresh token is refused" 401 "$(refresh "$RT0" "$T/r4")"
check "and logged as possible theft, by fingerprint" \
    grep -q "retired refresh token.*fingerprint" "$T/r.log"
"$HYP" -c "$T/r.ini" history $D > "$T/history" 2>&1
check "and audited" grep -qi "replay\|theft\|retired" "$T/history"

# Fixed mode: the refresh token stays, the reply does not repeat it.
"$HYP" -c "$T/r.ini" set $D refresh_token_mode=fixed >/dev/null
expect_eq "fixed mode: the refresh answers 200" 200 \
    "$(refresh "$LAST_R" "$T/r5")"
expect_eq "fixed mode: no refresh token in the reply" "" \
    "$(field RefreshToken "$T/r5")"
expect_eq "fixed mode: the refresh token is unchanged" "$LAST_R" \
    "$(d_token "$T/r.ini" $D refresh_token)"
AT5=$(field AccessToken "$T/r5")

# RefreshToken calls count against the address's limit like any request.
"$HYP" -c "$T/r.ini" set $D max_posts_per_ip_per_minute=3 >/dev/null
for i in 1 2 3; do refresh "$LAST_R" "$T/f.$i" >/dev/null; done
expect_eq "a refresh past the per-IP limit gets 429" 429 \
    "$(refresh "$LAST_R" "$T/f.4")"
curl -s -D "$T/f.h" -o /dev/null -X POST \
    -H "Authorization: Bearer $LAST_R" "$U/RefreshToken"
check "and says when to retry" grep -qi '^Retry-After: [1-9]' "$T/f.h"

d_no_secret "no token in the log at debug level" "$AT0" "$RT0" "$AT1" \
    "$RT1" "$LAST_A" "$LAST_R" "$AT5"
