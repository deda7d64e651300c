#!/bin/sh
# daemon-queue.sh: RefreshToken calls waiting on a locked database do not
# starve the authorization checks (issue 4, fixes of a security review).
# Another process holds the write lock for 8 s while 9 refreshes with
# distinct well-formed tokens arrive: at most Max Threads of them wait
# beside the one served, the rest get 503 with Retry-After at once, and
# /auth keeps answering from its own slots throughout.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

THREADS=2
P=$(d_port)
d_ini "$T/q.ini" q api "$P" "$THREADS"
d_start q "$T/q.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=q.example.com
U="http://127.0.0.1:$P"

# Nine distinct refresh tokens: eight retired by Regenerate, the current.
i=0
while [ $i -lt 9 ]; do
	[ $i -gt 0 ] && "$HYP" -c "$T/q.ini" regenerate $D >/dev/null
	d_token "$T/q.ini" $D refresh_token > "$T/rt.$i"
	i=$((i + 1))
done
TOK=$(d_token "$T/q.ini" $D access_token)
expect_eq "the nine refresh tokens are distinct" 9 \
    "$(sort -u "$T"/rt.* | wc -l)"

rm -f "$T/held"
{
	echo ".timeout 5000"
	echo "BEGIN IMMEDIATE;"
	echo "UPDATE hyp_web_api_tokens SET keep_alive_utc = 1;"
	echo ".shell touch $T/held"
	sleep 8
	echo "ROLLBACK;"
} | sqlite3 "$T/tokens.db" &
HOLDER=$!
at_exit "kill $HOLDER 2>/dev/null"
wait_for test -e "$T/held" || not_ok "the holder took the write lock"

i=0
while [ $i -lt 9 ]; do
	curl -s -o /dev/null -D "$T/rh.$i" \
	    -w '%{http_code} %{time_total}\n' -X POST \
	    -H "Authorization: Bearer $(cat "$T/rt.$i")" \
	    "$U/RefreshToken" > "$T/rc.$i" &
	eval "CURL_$i=\$!"
	i=$((i + 1))
done
sleep 1

# /auth from its own slots, at 1 s, 3 s and 6 s into the lock.
a1=$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK" -m 3)
sleep 2
a2=$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK" -m 3)
sleep 3
a3=$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK" -m 3)
expect_eq "/auth answers while refreshes wait on the lock" \
    "204 204 204" "$a1 $a2 $a3"
expect_eq "alive_check too" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -m 3 "$U/alive_check")"

i=0
while [ $i -lt 9 ]; do
	eval "wait \$CURL_$i"
	i=$((i + 1))
done
wait "$HOLDER"
fast=$(cat "$T"/rc.* | awk '$1 == 503 && $2 < 1 { n++ } END { print n + 0 }')
expect_eq "past Max Threads waiting and one served: 503 at once" \
    $((9 - THREADS - 1)) "$fast"
check "with Retry-After" grep -qil '^Retry-After: 1' "$T"/rh.*
check "every refresh call was answered" \
    [ "$(cat "$T"/rc.* | grep -c '^[0-9]')" -eq 9 ]
expect_eq "/auth still answers after the lock" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
