#!/bin/sh
# drill-busy.sh: the database is held by a long write of another process
# (the sqlite3 shell inside BEGIN IMMEDIATE) while an admin saves and
# regenerates (issue 5, failure drills; case 6). A save waits within the
# busy timeout (5 s), then fails with exit 75 and a message, and nothing
# of it is written; a lock released within the timeout lets the same
# save through. The daemon keeps serving meanwhile. (The console's side
# is in tui-conflict.sh.)
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/b.ini" b api "$P" 2
d_start b "$T/b.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=b.example.com
DB="$T/tokens.db"
TOK=$(d_token "$T/b.ini" $D access_token)
REF=$(d_token "$T/b.ini" $D refresh_token)

q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
audits() { q "SELECT count(*) FROM hyp_audit WHERE action IN
    ('save', 'regenerate')"; }

# hold SECONDS: a writer holding the write lock for that long, with a
# change of its own that it rolls back. Returns once the lock is held.
hold() {
	rm -f "$T/held"
	{
		echo ".timeout 5000"
		echo "BEGIN IMMEDIATE;"
		echo "UPDATE hyp_web_api_tokens SET keep_alive_utc = 1;"
		echo ".shell touch $T/held"
		sleep "$1"
		echo "ROLLBACK;"
	} | sqlite3 "$DB" &
	HOLDER=$!
	at_exit "kill $HOLDER 2>/dev/null"
	wait_for test -e "$T/held"
}

before_v=$(q "SELECT policy_version FROM hyp_web_api_tokens")
before_a=$(audits)

# Held past the busy timeout: a save and a regeneration, at once, give
# up after about 5 s.
hold 7 || not_ok "the holder took the write lock"
t0=$(now_ms)
timeout 20 "$HYP" -c "$T/b.ini" set $D max_posts_per_ip_per_minute=77 \
    blocked_functions=x > "$T/set.out" 2> "$T/set.err" &
setter=$!
timeout 20 "$HYP" -c "$T/b.ini" regenerate $D > "$T/regen.out" \
    2> "$T/regen.err" &
regen=$!
sleep 1
expect_eq "the daemon serves while the database is held" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
wait $setter
rc=$?
ms=$(($(now_ms) - t0))
expect_eq "a save past the busy timeout exits 75" 75 "$rc"
check "after waiting the busy timeout (took $ms ms)" \
    [ "$ms" -ge 4500 ] && [ "$ms" -lt 7000 ]
check "with a message saying the database is busy" \
    grep -q "the database is busy.*nothing was changed" "$T/set.err"
expect_eq "and nothing on standard output" "" "$(cat "$T/set.out")"
wait $regen
expect_eq "a regeneration past the busy timeout exits 75" 75 "$?"
check "with the same message" \
    grep -q "the database is busy.*nothing was changed" "$T/regen.err"
wait $HOLDER

# Nothing of either was written.
expect_eq "the policy version did not move" "$before_v" \
    "$(q "SELECT policy_version FROM hyp_web_api_tokens")"
expect_eq "no audit row was written" "$before_a" "$(audits)"
"$HYP" -c "$T/b.ini" show $D --json > "$T/show.json"
expect_eq "the rate limit is as before" null \
    "$(jq -r .max_posts_per_ip_per_minute "$T/show.json")"
expect_eq "no function is blocked" 0 \
    "$(jq -r '.blocked_functions | length' "$T/show.json")"
TOK2=$(d_token "$T/b.ini" $D access_token)
REF2=$(d_token "$T/b.ini" $D refresh_token)
check "the access token is as before" same TOK2 TOK
check "the refresh token is as before" same REF2 REF
expect_eq "the holder's own change was rolled back" 0 \
    "$(q "SELECT count(*) FROM hyp_web_api_tokens WHERE keep_alive_utc = 1")"

# Released within the timeout: the same save waits, then succeeds.
hold 2 || not_ok "the holder took the write lock"
t0=$(now_ms)
timeout 20 "$HYP" -c "$T/b.ini" set $D max_posts_per_ip_per_minute=77 \
    blocked_functions=x > "$T/set2.out" 2>&1
rc=$?
ms=$(($(now_ms) - t0))
wait $HOLDER
expect_eq "a save that the lock holder lets through exits 0" 0 "$rc"
check "after waiting for it (took $ms ms)" [ "$ms" -ge 1000 ]
check "it is applied by the daemon" grep -q "applied it" "$T/set2.out"
"$HYP" -c "$T/b.ini" show $D --json > "$T/show.json"
expect_eq "both fields are stored" "77 x" \
    "$(jq -r '"\(.max_posts_per_ip_per_minute) \(.blocked_functions[0])"' \
    "$T/show.json")"
expect_eq "in one version step" $((before_v + 1)) \
    "$(jq -r .policy_version "$T/show.json")"
expect_eq "the daemon enforces it" 403 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
check "the daemon's keep-alive said it was kept waiting" \
    grep -q "keep-alive: the database is busy" "$T/b.log"
