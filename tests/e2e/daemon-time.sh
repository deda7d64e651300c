#!/bin/sh
# daemon-time.sh: the time boundaries of the bearer check end to end
# (cases 10 and 11), with the real daemon and CLI under libfaketime
# reading a clock file this script moves: the previous token accepted at
# regeneration + 179 s and refused from + 180 s, the access token refused
# from the exact Access Until second, and two regenerations within three
# minutes leaving only the newest previous token in grace.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
if [ -z "$LIB" ]; then
	not_ok "libfaketime is installed" "no libfaketimeMT.so.1"
	exit 1
fi
FT="$T/clock"
# at "YYYY-MM-DD HH:MM:SS": stop the programs' clock at that second.
at() { echo "$1" > "$FT"; }
FAKE="env LD_PRELOAD=$LIB FAKETIME_TIMESTAMP_FILE=$FT FAKETIME_NO_CACHE=1 \
FAKETIME_DONT_FAKE_MONOTONIC=1"

at "2030-01-01 00:00:00"
P=$(d_port)
d_ini "$T/g.ini" g api "$P" 2
d_start g "$T/g.ini" "$P" $FAKE || { not_ok "daemon starts"; exit 1; }
D=g.example.com
U="http://127.0.0.1:$P"
hyp() { $FAKE "$HYP" -c "$T/g.ini" "$@"; }
tok() {
	hyp show $D --json --reveal |
	    sed -n "s/^ *\"$1\": \"\([^\"]*\)\".*/\1/p"
}
n=0
auth() {
	n=$((n + 1))
	curl -s -o /dev/null -w '%{http_code}' -H "X-Original-URI: /api/x" \
	    -H "X-Real-IP: 10.0.$((n / 200)).$((n % 200 + 1))" \
	    -H "Authorization: Bearer $1" "$U/auth"
}

check "the daemon runs on the test's clock" \
    grep -q "^2030-01-01T00:00:00Z hyptokensd info: hyptokensd .* started" \
    "$T/g.log"

A=$(tok access_token)
hyp regenerate $D >/dev/null
B=$(tok access_token)
check "regenerate at 00:00:00 minted a new token" [ "$B" != "$A" ]

at "2030-01-01 00:02:59"
expect_eq "the previous token is accepted at +179 s" 204 "$(auth "$A")"
at "2030-01-01 00:03:00"
expect_eq "the previous token is refused at +180 s" 401 "$(auth "$A")"
expect_eq "the current token still works at +180 s" 204 "$(auth "$B")"

# Access Until: 1 hour after the regeneration.
at "2030-01-01 00:59:59"
expect_eq "the access token is accepted the second before Access Until" \
    204 "$(auth "$B")"
at "2030-01-01 01:00:00"
expect_eq "the access token is refused at the Access Until second" \
    401 "$(auth "$B")"

# Two regenerations within three minutes: A2, then B2, then C2.
at "2030-01-02 00:00:00"
hyp regenerate $D >/dev/null
A2=$(tok access_token)
at "2030-01-02 00:01:00"
hyp regenerate $D >/dev/null
B2=$(tok access_token)
at "2030-01-02 00:02:00"
hyp regenerate $D >/dev/null
C2=$(tok access_token)
at "2030-01-02 00:02:01"
expect_eq "the older previous token is refused at once" 401 "$(auth "$A2")"
expect_eq "only the newest previous token keeps a grace" 204 \
    "$(auth "$B2")"
expect_eq "the current token works" 204 "$(auth "$C2")"
at "2030-01-02 00:05:00"
expect_eq "three minutes on, the previous token is refused" 401 \
    "$(auth "$B2")"
expect_eq "three minutes on, only the current token works" 204 \
    "$(auth "$C2")"

d_no_secret "no token in the log" "$A" "$B" "$A2" "$B2" "$C2"
