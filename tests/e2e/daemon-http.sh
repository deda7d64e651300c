#!/bin/sh
# daemon-http.sh: the daemon's HTTP side spoken to directly with curl, as
# nginx would (issue 4, cases 12, 14, 15, 17, 18): the checks in order
# with their statuses and headers, forged headers from an untrusted peer,
# console changes taking effect at once, the keep-alive and its reload of
# a record changed without a signal, failing closed, metrics, and Max
# Threads (503 at once when full, idle connections never refused).
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

P=$(d_port)
d_ini "$T/a.ini" a api "$P" 2
d_start a "$T/a.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=a.example.com
TOK=$(d_token "$T/a.ini" $D access_token)
U="http://127.0.0.1:$P"

# req URI REAL-IP [curl args]: status, headers in $T/h, body in $T/b.
req() {
	_u=$1; _ip=$2; shift 2
	curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' \
	    -H "X-Original-URI: $_u" -H "X-Real-IP: $_ip" "$@" "$U/auth"
}
hdr() { sed -n "s/^$1: \(.*\)\r$/\1/Ip" "$T/h"; }
bearer() { printf 'Authorization: Bearer %s' "$TOK"; }

expect_eq "alive_check answers 200" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$U/alive_check")"
expect_eq "a valid token is allowed with 204" 204 \
    "$(req /api/getUser 10.0.0.1 -H "$(bearer)")"

# A header sent twice is refused with a reason naming it.
for h2 in "X-Original-URI: /api/getUser" "$(bearer)" "X-Real-IP: 10.0.0.1"; do
	name=${h2%%:*}
	expect_eq "$name sent twice is refused" 403 \
	    "$(req /api/getUser 10.0.0.1 -H "$(bearer)" -H "$h2")"
	check "and the refusal names $name" grep -q \
	    "\"ResponseMsgEng\":\"The $name header was sent more than once" \
	    "$T/b"
done

expect_eq "no token: 401" 401 "$(req /api/getUser 10.0.0.1)"
case $(hdr WWW-Authenticate) in
'Bearer realm="hyptokens", error="invalid_token", error_description='*)
	ok "401 carries WWW-Authenticate Bearer with invalid_token" ;;
*)	not_ok "401 carries WWW-Authenticate Bearer with invalid_token" \
	    "got: $(hdr WWW-Authenticate)" ;;
esac
check "refusals carry a Hyper-style JSON body" \
    grep -q '^{"ResponseCode":401,"ResponseMsgEng":"' "$T/b"
expect_eq "a malformed token: 401" 401 \
    "$(req /api/getUser 10.0.0.1 -H 'Authorization: Bearer hypa_nope')"
expect_eq "a token in the query is not a credential" 401 \
    "$(req "/api/getUser?access_token=$TOK" 10.0.0.1)"
expect_eq "a missing X-Original-URI is refused" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "$(bearer)" "$U/auth")"

# Save blocks a function; every spelling is refused at once.
"$HYP" -c "$T/a.ini" set $D blocked_functions=Name >/dev/null
n=0
for u in /API/Name //api//name/ /api/%4eame /api/./name "/api/name;v=1" \
    "/api/name?x=1" /api/Name/more; do
	n=$((n + 1))
	s=$(req "$u" "10.1.0.$n" -H "$(bearer)")
	expect_eq "blocked spelling $u is refused" 403 "$s"
done
expect_eq "a function of a module not enabled is refused" 403 \
    "$(req /api/Page_Get 10.1.1.1 -H "$(bearer)")"
expect_eq "with reason module" module "$(hdr X-Hyp-Reason)"

# The allow-list, IPv4-mapped addresses folded (case 14, 15).
"$HYP" -c "$T/a.ini" set $D ipv4_whitelist=10.0.0.0/8 >/dev/null
expect_eq "::ffff:10.1.2.3 passes 10.0.0.0/8" 204 \
    "$(req /api/x ::ffff:10.1.2.3 -H "$(bearer)")"
expect_eq "::ffff:8.8.8.8 does not" 403 \
    "$(req /api/x ::ffff:8.8.8.8 -H "$(bearer)")"
expect_eq "010.0.0.1 does not" 403 "$(req /api/x 010.0.0.1 -H "$(bearer)")"
"$HYP" -c "$T/a.ini" set $D ipv4_whitelist= >/dev/null

# Flood: 20 a minute for api, then 429 marked for nginx, Retry-After.
i=0
while [ $i -lt 20 ]; do
	req /api/x 10.2.0.1 -H "$(bearer)" >/dev/null
	i=$((i + 1))
done
expect_eq "the 21st request in a minute is refused" 403 \
    "$(req /api/x 10.2.0.1 -H "$(bearer)")"
expect_eq "marked as a 429 for nginx" 429 "$(hdr X-Hyp-Status)"
expect_eq "with reason flood" flood "$(hdr X-Hyp-Reason)"
expect_eq "with Retry-After of the block time" 300 "$(hdr Retry-After)"
expect_eq "another client is not blocked" 204 \
    "$(req /api/x 10.2.0.2 -H "$(bearer)")"

# Forged headers from an untrusted peer (127.0.0.9) change nothing.
i=0
while [ $i -lt 25 ]; do
	curl -s -o /dev/null --interface 127.0.0.9 -H "$(bearer)" \
	    -H "X-Forwarded-For: 10.3.$i.1" -H "X-Original-URI: /api/x" \
	    "$U/auth"
	i=$((i + 1))
done
s=$(curl -s -D "$T/h" -o /dev/null -w '%{http_code}' --interface 127.0.0.9 \
    -H "$(bearer)" -H "X-Forwarded-For: 10.3.99.1" -H "X-Original-URI: /x" \
    "$U/auth")
expect_eq "forged X-Forwarded-For: the limit holds on the real peer" \
    429 "$(hdr X-Hyp-Status)"
P9=$(d_port)
d_ini "$T/c.ini" c api "$P9" 2
d_start c "$T/c.ini" "$P9"
TOKC=$(d_token "$T/c.ini" c.example.com access_token)
i=0
while [ $i -lt 30 ]; do
	curl -s -o /dev/null --interface 127.0.0.9 \
	    -H "X-Real-IP: 10.4.0.1" -H "X-Original-URI: /api/x" \
	    "http://127.0.0.1:$P9/auth"
	i=$((i + 1))
done
expect_eq "forged X-Real-IP does not get the victim blocked" 204 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Real-IP: 10.4.0.1" \
    -H "X-Original-URI: /api/x" -H "Authorization: Bearer $TOKC" \
    "http://127.0.0.1:$P9/auth")"
expect_eq "a forged X-Original-URI from an untrusted peer is refused" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.8 \
    -H "X-Original-URI: /api/x" -H "Authorization: Bearer $TOKC" \
    "http://127.0.0.1:$P9/auth")"

# Tenant sessions: Max Tenants 2, the third is 503 with Retry-After.
expect_eq "tenant 1" 204 "$(req /api/x 10.5.0.1 -H "$(bearer)" \
    -H 'X-Tenant-Id: t1')"
expect_eq "tenant 2" 204 "$(req /api/x 10.5.0.1 -H "$(bearer)" \
    -H 'X-Tenant-Id: t2')"
req /api/x 10.5.0.1 -H "$(bearer)" -H 'X-Tenant-Id: t3' >/dev/null
expect_eq "a third tenant is marked 503" 503 "$(hdr X-Hyp-Status)"
check "with Retry-After" [ -n "$(hdr Retry-After)" ]

# Regenerate: the new token works at once, the old one is in grace.
"$HYP" -c "$T/a.ini" regenerate $D >/dev/null
NEW=$(d_token "$T/a.ini" $D access_token)
check "regenerate minted a new token" [ "$NEW" != "$TOK" ]
expect_eq "the new token is accepted at once" 204 \
    "$(req /api/x 10.6.0.1 -H "Authorization: Bearer $NEW")"
expect_eq "the previous one is still in its grace" 204 \
    "$(req /api/x 10.6.0.1 -H "$(bearer)")"
TOK=$NEW

# Keep-alive: written every interval, Last Trans too.
sleep 1.5
J=$("$HYP" -c "$T/a.ini" show $D --json)
check "Keep Alive UTC is written" \
    sh -c "echo '$J' | grep -q '\"keep_alive_utc\": \"2'"
check "Last Trans UTC is written" \
    sh -c "echo '$J' | grep -q '\"last_trans_utc\": \"2'"

# A change without a signal is picked up within one interval.
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET blocked_functions = \
'lost', policy_version = policy_version + 1 WHERE domain_address = '$D';"
sleep 1.5
expect_eq "a lost signal costs at most one interval" 403 \
    "$(req /api/lost 10.7.0.1 -H "$(bearer)")"
check "the reload is logged" grep -q "without a signal" "$T/a.log"

# A stored policy that does not parse fails closed, and says why.
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET ipv4_whitelist = \
'10.1.0.0/8', policy_version = policy_version + 1 WHERE domain_address = '$D';"
sleep 1.5
expect_eq "a hand-broken record refuses everything" 403 \
    "$(req /api/x 10.1.2.3 -H "$(bearer)")"
expect_eq "with reason closed" closed "$(hdr X-Hyp-Reason)"
check "and logs why" grep -q "fails closed" "$T/a.log"
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET ipv4_whitelist = '', \
policy_version = policy_version + 1 WHERE domain_address = '$D';"
sleep 1.5
expect_eq "fixing the record serves again" 204 \
    "$(req /api/x 10.8.0.1 -H "$(bearer)")"

# Metrics, loopback only, a counter for every decision.
curl -s "$U/metrics" > "$T/metrics"
check "metrics count allowed requests" \
    grep -qE '^hyptokensd_auth_total\{decision="allowed"\} [1-9]' "$T/metrics"
check "metrics count flood refusals" \
    grep -qE '^hyptokensd_auth_total\{decision="flood"\} [1-9]' "$T/metrics"
check "metrics are Prometheus text" \
    grep -q '^# TYPE hyptokensd_auth_total counter' "$T/metrics"
expect_eq "an unknown endpoint is 404" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$U/nothing")"

# Delete reaches the daemon at once.
"$HYP" -c "$T/a.ini" delete $D --yes >/dev/null
expect_eq "after Delete every request is refused at once" 403 \
    "$(req /api/x 10.9.0.1 -H "$(bearer)")"

# Max Threads 1: one served and one waiting, the rest 503 at once, while
# the database is locked by another process. Idle connections are free.
P2=$(d_port)
d_ini "$T/b.ini" b api "$P2" 1
d_start b "$T/b.ini" "$P2"
# Five distinct refresh tokens (four retired by Regenerate, one current),
# so that no call can share another's write.
i=0
while [ $i -lt 5 ]; do
	[ $i -gt 0 ] && "$HYP" -c "$T/b.ini" regenerate b.example.com >/dev/null
	d_token "$T/b.ini" b.example.com refresh_token > "$T/rt.$i"
	i=$((i + 1))
done
RT=$(cat "$T/rt.4")
i=0
while [ $i -lt 30 ]; do
	sleep 6 | socat - "TCP:127.0.0.1:$P2" >/dev/null 2>&1 &
	i=$((i + 1))
done
sleep 0.3
expect_eq "30 idle connections do not refuse a request" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P2/metrics")"
(echo 'BEGIN IMMEDIATE;'; sleep 3; echo 'COMMIT;') | sqlite3 "$T/tokens.db" &
lock=$!
sleep 0.3
i=0
while [ $i -lt 5 ]; do
	curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST \
	    -H "Authorization: Bearer $(cat "$T/rt.$i")" \
	    "http://127.0.0.1:$P2/RefreshToken" >"$T/mt.$i" &
	i=$((i + 1))
done
sleep 0.5
expect_eq "alive_check answers while the database is locked" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P2/alive_check")"
wait $lock
sleep 2
fast=$(cat "$T"/mt.* | awk '$1 == 503 && $2 < 1 { n++ } END { print n + 0 }')
done_ok=$(cat "$T"/mt.* | awk '$1 != 503 { n++ } END { print n + 0 }')
expect_eq "beyond one served and one waiting: 503 at once" 3 "$fast"
expect_eq "the two admitted are answered once the lock is gone" 2 \
    "$done_ok"

d_no_secret "no token in any log" "$TOK" "$NEW" "$RT" "$TOKC"
