#!/bin/sh
# drill-full.sh: the disk holding the database fills up (issue 5, failure
# drills). The database lives on a small tmpfs mounted here (root only);
# once the WAL is checkpointed to nothing and the rest of the tmpfs is
# taken by a filler file, every write needs space that is not there.
# "hyptokens set" and "regenerate" must fail with a clear message and a
# non-zero status, the daemon must log it and go on serving from memory
# (an API refresh is refused rather than answered with tokens it could
# not store), and after space is freed everything stored before is
# intact and writes work again.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

FULL="$T/full"
mkdir "$FULL"
if ! mount -t tmpfs -o size=2m,mode=0700 hyp-drill "$FULL"; then
	not_ok "a 2 MiB tmpfs is mounted for the database (needs root)"
	exit 1
fi
# Registered first, so it runs last: after the daemon is gone.
at_exit "umount $FULL 2>/dev/null || umount -l $FULL"

P=$(d_port)
d_ini "$T/f.ini" f api "$P" 2
sed -i 's|^database = .*|database = full/tokens.db|' "$T/f.ini"
d_start f "$T/f.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=f.example.com
DB="$FULL/tokens.db"
U="http://127.0.0.1:$P"
h() { timeout 20 "$HYP" -c "$T/f.ini" "$@"; }

h set $D blocked_functions=old token_life_hours=5 >/dev/null 2>&1
h regenerate $D >/dev/null 2>&1
TOK=$(d_token "$T/f.ini" $D access_token)
REF=$(d_token "$T/f.ini" $D refresh_token)
PREV=$(d_token "$T/f.ini" $D prev_access_token)
# Everything stored that the daemon's bookkeeping does not move.
snapshot() {
	h show $D --json | jq -S 'del(.keep_alive_utc, .last_trans_utc,
	    .alive, .expiry)'
}
snapshot > "$T/before.json"

# Fill the disk.
sqlite3 -cmd ".timeout 5000" "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" \
    >/dev/null
dd if=/dev/zero of="$FULL/filler" bs=4k 2>/dev/null
expect_eq "the tmpfs is full" 0 "$(df --output=avail "$FULL" | tail -n 1 |
    tr -d ' ')"

# The admin's writes fail, saying why.
h set $D blocked_functions=new > "$T/set.out" 2> "$T/set.err"
rc=$?
check "set on a full disk fails (exit $rc)" [ "$rc" -ne 0 ]
check "saying the disk is full" grep -q "the disk is full" "$T/set.err"
check "and that nothing was changed" grep -q "nothing was changed" \
    "$T/set.err"
expect_eq "set prints nothing else" "" "$(cat "$T/set.out")"
h regenerate $D > "$T/regen.out" 2> "$T/regen.err"
rc=$?
check "regenerate on a full disk fails (exit $rc)" [ "$rc" -ne 0 ]
check "saying the disk is full" grep -q "the disk is full" "$T/regen.err"

# The daemon logs it and serves from memory.
sleep 1.5
check "the daemon logs the full disk at its keep-alive" \
    grep -q "keep-alive: .*the disk is full" "$T/f.log"
expect_eq "the daemon still authorizes the current token" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
expect_eq "and still enforces the stored policy" 403 \
    "$(d_auth "$P" /api/old -H "Authorization: Bearer $TOK")"
code=$(curl -s -o "$T/refresh.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $REF" "$U/RefreshToken")
expect_eq "an API refresh that cannot be stored is refused with 503" 503 \
    "$code"
check "and hands out no token" sh -c "! grep -q hyp[ar]_ '$T/refresh.json'"
check "the daemon logs the refresh failure" \
    grep -q "refresh for client .* failed: .*the disk is full" "$T/f.log"
expect_eq "alive_check still answers" 200 "$(curl -s -o /dev/null \
    -w '%{http_code}' "$U/alive_check")"

# Space comes back: nothing stored was lost, writes work again.
rm -f "$FULL/filler"
sleep 1.2
snapshot > "$T/after.json"
check "every stored field is as before the disk filled" \
    cmp -s "$T/before.json" "$T/after.json"
diff "$T/before.json" "$T/after.json" | grep -v _token\" | sed 's/^/# /'
TOK2=$(d_token "$T/f.ini" $D access_token)
REF2=$(d_token "$T/f.ini" $D refresh_token)
PREV2=$(d_token "$T/f.ini" $D prev_access_token)
check "the access token is intact" same TOK2 TOK
check "the refresh token is intact" same REF2 REF
check "the previous access token is intact" same PREV2 PREV
expect_eq "the database passes sqlite's integrity check" ok \
    "$(sqlite3 "$DB" "PRAGMA integrity_check")"
h set $D blocked_functions=new > "$T/set2.out" 2>&1
expect_eq "set works again" 0 "$?"
expect_eq "and the daemon applies it" 403 \
    "$(d_auth "$P" /api/new -H "Authorization: Bearer $TOK")"
expect_eq "the API refresh works again with the same refresh token" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $REF" "$U/RefreshToken")"
check "the daemon's keep-alive writes again" sh -c "
    sqlite3 '$DB' 'SELECT keep_alive_utc FROM hyp_web_api_tokens' |
    awk -v now=$(date +%s) '{ exit !(now - \$1 <= 3) }'"
