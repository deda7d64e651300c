#!/bin/sh
# drill-secrets.sh: the secrets drill (issue 5 item 4, case 24). At debug
# level, a session uses tokens, refreshes them through the API (and
# retries with the replaced one), regenerates them with the CLI, copies
# them with "hyptokens copy" inside a tmux with set-clipboard on, and has
# tokens refused: wrong (mistyped, unknown, another kind), expired, an
# old refresh token, and tokens in URLs (the query string and the path
# of the original URI, of the daemon's own endpoints), in forwarding and
# tenant headers and on the control socket. Then no 16-character piece
# of any token seen may be in any log, test output, audit row, or the
# database and its -wal. The tokens this script reads itself (show
# --reveal, API replies) are kept in $T/secret, the one place not
# searched.
#
# Memory: the daemon gives up core files (RLIMIT_CORE 0) and is not
# dumpable: run as another user, its /proc files belong to root, which
# is how the kernel marks a process that is not dumpable (proc(5)); its
# token memory is locked (VmLck above 0; root may lock).
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/x.ini" x api "$P" 2		# log_level = debug, and -d
d_start x "$T/x.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=x.example.com
U="http://127.0.0.1:$P"
S="$T/x.sock"
mkdir -m 700 "$T/secret"
h() { timeout 20 "$HYP" -c "$T/x.ini" "$@"; }
h set $D max_posts_per_ip_per_minute=100000 > "$T/set.out" 2>&1

# reveal N: the stored tokens, in $T/secret/show.N and the token list.
reveal() {
	h show $D --json --reveal > "$T/secret/show.$1"
	jq -r '.access_token, .prev_access_token, .refresh_token' \
	    "$T/secret/show.$1" | grep -v '^null$' >> "$T/secret/tokens"
	A=$(jq -r .access_token "$T/secret/show.$1")
	R=$(jq -r .refresh_token "$T/secret/show.$1")
}
# presented TEXT: a token-like text sent to the product, searched for too.
presented() { printf '%s\n' "$1" >> "$T/secret/tokens"; }
auth() {
	_u=$1; shift
	d_auth "$P" "$_u" "$@"
}
bearer() { printf 'Authorization: Bearer %s' "$1"; }
# refresh TOKEN NAME: status of an API refresh; the reply in $T/secret.
refresh() {
	curl -s -o "$T/secret/$2.json" -w '%{http_code}' -X POST \
	    -H "$(bearer "$1")" "$U/RefreshToken"
	jq -r '.AccessToken // empty, .RefreshToken // empty' \
	    "$T/secret/$2.json" >> "$T/secret/tokens" 2>/dev/null
}

# Use.
reveal 0
A0=$A R0=$R
expect_eq "use: the access token authorizes" 204 \
    "$(auth /api/x -H "$(bearer "$A0")")"

# Refresh through the API, then retry with the replaced refresh token.
expect_eq "refresh: 200" 200 "$(refresh "$R0" r1)"
A1=$(jq -r .AccessToken "$T/secret/r1.json")
R1=$(jq -r .RefreshToken "$T/secret/r1.json")
expect_eq "refresh: the new access token authorizes" 204 \
    "$(auth /api/x -H "$(bearer "$A1")")"
expect_eq "refresh: a retry with the replaced one gets the current pair" \
    200 "$(refresh "$R0" r1b)"

# Regenerate twice with the CLI (its output is searched).
h regenerate $D > "$T/regen1.out" 2>&1
reveal 1
h regenerate $D --json > "$T/regen2.out" 2>&1
reveal 2
A3=$A R3=$R
check "regenerate: two regenerations happened" \
    grep -q '"access_token_fingerprint"' "$T/regen2.out"
expect_eq "regenerate: the new access token authorizes" 204 \
    "$(auth /api/x -H "$(bearer "$A3")")"

# Refusals.
WRONG=$(printf '%s' "$A3" | cut -c1-119)x
presented "$WRONG"
expect_eq "refuse: a mistyped token" 401 \
    "$(auth /api/x -H "$(bearer "$WRONG")")"
expect_eq "refuse: an unknown well-formed token (two regenerations old)" \
    401 "$(auth /api/x -H "$(bearer "$A1")")"
expect_eq "refuse: a refresh token as an access token" 401 \
    "$(auth /api/x -H "$(bearer "$R3")")"
expect_eq "refuse: two tokens in one header" 401 \
    "$(auth /api/x -H "Authorization: Bearer $A3 $A3")"
expect_eq "refuse: a token in Basic" 401 \
    "$(auth /api/x -H "Authorization: Basic $A3")"
expect_eq "refuse: an old refresh token (retired by a regeneration)" 401 \
    "$(refresh "$R1" old1)"
expect_eq "refuse: the first refresh token" 401 "$(refresh "$R0" old0)"
expect_eq "refuse: a mistyped refresh token" 401 \
    "$(refresh "$(printf '%s' "$R3" | cut -c2-)" bad)"
presented "$(printf '%s' "$R3" | cut -c2-)"
h set $D "access_until_utc=2020-01-01 00:00:00" >> "$T/set.out" 2>&1
expect_eq "refuse: an expired token" 401 \
    "$(auth /api/x -H "$(bearer "$A3")")"
h set $D token_life_hours=2 blocked_functions=secret >> "$T/set.out" 2>&1
expect_eq "the token works again after the admin's change" 204 \
    "$(auth /api/x -H "$(bearer "$A3")")"

# Tokens in URLs, headers and control lines.
expect_eq "url: a token in the original query string, no bearer" 401 \
    "$(auth "/api/x?access_token=$A3&refresh_token=$R3")"
expect_eq "url: a token in the query of a blocked function" 403 \
    "$(auth "/api/secret?access_token=$A3" -H "$(bearer "$A3")")"
expect_eq "url: a token as a path segment of a bad path" 403 \
    "$(auth "/api/%zz/$A3?t=$A3" -H "$(bearer "$A3")")"
expect_eq "url: a token outside the API prefix" 403 \
    "$(auth "/other/$A3?t=$R3" -H "$(bearer "$A3")")"
expect_eq "url: a token in the daemon's own query string" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$U/auth?token=$A3")"
expect_eq "url: a refresh token in RefreshToken's query string" 401 \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    "$U/RefreshToken?refresh_token=$R3")"
expect_eq "url: a token in an unknown path" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' "$U/$A3?token=$R3")"
expect_eq "header: a token as the client address" 403 \
    "$(auth /api/x -H "X-Real-IP: $A3" -H "$(bearer "$A3")")"
expect_eq "header: a token as the tenant id" 204 \
    "$(auth /api/x -H "X-Tenant-Id: $A3" -H "$(bearer "$A3")")"
expect_eq "header: a token as the original method" 204 \
    "$(auth /api/x -H "X-Original-Method: $A3" -H "$(bearer "$A3")")"
for line in "REFRESH $A3" "PURGE $R3" "$A3" "PING $A3"; do
	d_ctl "$S" "$line" >> "$T/ctl.out"
done
check "control: lines holding tokens are refused" \
    sh -c "! grep -qv '^ERR' '$T/ctl.out'"
h show $D > "$T/show.out" 2>&1
h list > "$T/list.out" 2>&1

# Copy, in a tmux that takes OSC 52 into its buffer.
TS=hypdrill$$
mkdir -m 700 "$T/tmux"
tm() { TMUX_TMPDIR="$T/tmux" tmux -L "$TS" -f /dev/null "$@"; }
at_exit "TMUX_TMPDIR=$T/tmux tmux -L $TS kill-server 2>/dev/null"
for try in 1 2 3; do
	tm new-session -d -x 200 -y 30 sh 2>/dev/null && break
	sleep 0.2
done
tm set -g set-clipboard on
# copy_to WHICH: run "hyptokens copy" in the pane; its buffer after.
copy_to() {
	tm delete-buffer 2>/dev/null
	# (the marker is not in the command line as typed)
	_cmd="$HYP -c $T/x.ini copy $D $1 && printf 'copy-%s-done\\n' $1"
	tm send-keys "$_cmd" Enter
	_i=0
	while ! tm capture-pane -p | grep -q "^copy-$1-done"; do
		_i=$((_i + 1))
		[ $_i -ge 100 ] && break
		sleep 0.05
	done
	tm show-buffer 2>/dev/null
}
GOT=$(copy_to access)
check "copy: tmux got the access token" same GOT A3
GOT=$(copy_to refresh)
check "copy: tmux got the refresh token" same GOT R3
tm capture-pane -p -S - > "$T/pane.out"
check "copy: the pane says what was sent" grep -q "refresh token of $D" \
    "$T/pane.out"
h history $D -n 1000 > "$T/history.out" 2>&1
check "copy: each copy is audited" \
    test "$(grep -c ' copy ' "$T/history.out")" -eq 2

# Memory of the daemon running as root.
pid=$DPID_x
check "core files: RLIMIT_CORE is 0" \
    grep -qE '^Max core file size +0 +0 ' "/proc/$pid/limits"
lck=$(awk '/^VmLck:/ { print $2 }' "/proc/$pid/status")
if [ "${SANITIZE:-0}" = 1 ]; then
	# AddressSanitizer turns mlock into a no-op.
	ok "token memory is locked # SKIP not measurable under ASan"
else
	check "token memory is locked (VmLck $lck kB)" [ "${lck:-0}" -gt 0 ]
fi

# Not dumpable: a daemon run as nobody has its /proc files owned by root.
NB="$T/nb"
mkdir "$NB"
chmod o+x "$T"
P2=$(d_port)
d_ini "$NB/n.ini" n api "$P2" 1
chown -R 65534:65534 "$NB"
if d_start n "$NB/n.ini" "$P2" setpriv --reuid=65534 --regid=65534 \
    --clear-groups; then
	npid=$DPID_n
	expect_eq "the second daemon runs as nobody" 65534 \
	    "$(awk '/^Uid:/ { print $2 }' "/proc/$npid/status")"
	expect_eq "it is not dumpable (its /proc files belong to root)" 0 \
	    "$(stat -c %u "/proc/$npid/status")"
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 5 &
	spid=$!
	# Between setpriv's setuid and its exec of sleep the process is not
	# dumpable either: wait for sleep itself.
	wait_for grep -qx sleep "/proc/$spid/comm"
	expect_eq "(while a plain process of nobody's owns its own)" 65534 \
	    "$(stat -c %u "/proc/$spid/status")"
	kill $spid
	check "its core files are off too" \
	    grep -qE '^Max core file size +0 +0 ' "/proc/$npid/limits"
	d_stop n
else
	not_ok "a daemon starts as nobody"
fi
chmod o-x "$T"

# The search: every file under $T but $T/secret, the audit rows, the
# database and its -wal (taken while the daemon runs, and after it).
sqlite3 "$T/tokens.db" "SELECT * FROM hyp_audit" > "$T/audit.out"
check "the audit has rows to search" test -s "$T/audit.out"
for f in tokens.db tokens.db-wal; do
	[ -f "$T/$f" ] && cp "$T/$f" "$T/running.$f"
done
check "the -wal was there to search" test -s "$T/running.tokens.db-wal"
d_stop x
# The refusals are in the log, tokens by fingerprint: there was
# something to find.
fp='[0-9a-f]\{8\}'
while IFS='|' read -r what pat; do
	check "the log has the $what" grep -q "$pat" "$T/x.log"
done <<EOF
mistyped token|bearer token is malformed (token fingerprint $fp)
expired token|bearer token has expired (token fingerprint $fp)
unknown token|bearer token is not valid here (token fingerprint $fp)
replayed refresh token|retired refresh token .*(fingerprint $fp)
mistyped refresh token|refused (refresh) .*(token fingerprint $fp)
refusals of debug level|debug: refused (path)
EOF
sort -u "$T/secret/tokens" > "$T/secret/all"
awk '{ for (i = 1; i + 15 <= length($0); i++) print substr($0, i, 16) }' \
    "$T/secret/all" > "$T/secret/pieces"
n=$(wc -l < "$T/secret/all")
check "the tokens searched for are many ($n)" [ "$n" -ge 10 ]
check "the search finds a piece where one is (control)" \
    grep -qaF -f "$T/secret/pieces" "$T/secret/show.2"
hits=$(grep -rlaF -D skip -f "$T/secret/pieces" --exclude-dir=secret "$T")
files=$(find "$T" -path "$T/secret" -prune -o -type f -print | wc -l)
if [ -z "$hits" ]; then
	ok "no piece of any token in the $files files searched"
else
	not_ok "no piece of any token in the $files files searched" \
	    "pieces found in: $(echo "$hits" | sed "s|$T/||" | tr '\n' ' ')"
fi
