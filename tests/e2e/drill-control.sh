#!/bin/sh
# drill-control.sh: the control-socket drill (issue 5 item 5, case 22).
# A user created here (and removed at the end) connects to the daemon's
# socket, even with the file opened to everyone: it is refused before any
# command is read, and the refusal is logged; the same user with the
# socket's group as its group is let in, so the check is the peer's
# credentials and not the file mode. Then 500 connections at once that
# never send a newline, and over-long lines: the daemon keeps serving
# HTTP (alive_check and /auth) throughout, and answers PING from a
# legitimate client during the flood and after it.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/c.ini" c api "$P" 2
d_start c "$T/c.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=c.example.com
S="$T/c.sock"
U="http://127.0.0.1:$P"
TOK=$(d_token "$T/c.ini" $D access_token)
auth() { d_auth "$P" /api/x -H "Authorization: Bearer $TOK"; }
alive() { curl -s -m 2 -o /dev/null -w '%{http_code}' "$U/alive_check"; }

# Another user, made for this drill.
USR=hypdrill$$
if useradd -M -N -g "$(id -g nobody)" -s /usr/sbin/nologin "$USR" \
    2>"$T/useradd.err"; then
	at_exit "userdel $USR 2>/dev/null"
	ok "a user is created for the drill"
else
	not_ok "a user is created for the drill" "$(cat "$T/useradd.err")"
	exit 1
fi
UID_=$(id -u "$USR")
as_user() {
	setpriv --reuid="$UID_" --regid="$(id -g "$USR")" --clear-groups "$@"
}

# Open the file and its folder to everyone: only the daemon's check is
# left between that user and the commands.
chmod 0666 "$S"
chmod go+x "$T"
r=$(printf 'PURGE %s\n' "$D" | as_user socat -t 2 - "UNIX-CONNECT:$S" \
    2>/dev/null)
expect_eq "the other user's command gets no reply" "" "$r"
check "the refusal is logged with the user's uid" \
    grep -q "control: refused a peer with uid $UID_ " "$T/c.log"
check "and no command of that user was read" \
    sh -c "! grep -q 'PURGE from uid $UID_' '$T/c.log'"
expect_eq "the PURGE changed nothing" 204 "$(auth)"
r=$(printf 'PING\n' | setpriv --reuid="$UID_" --regid="$(stat -c %g "$S")" \
    --clear-groups socat -t 2 - "UNIX-CONNECT:$S" 2>/dev/null)
expect_eq "the same user with the socket's group is let in" "OK pong 1" "$r"
chmod 0660 "$S"
chmod go-x "$T"

# A flood: 500 connections that send the start of a command and then
# nothing, held while a writer holds the fifo open (15 s at most), and 20
# clients that keep making new such connections, each held for a second.
mkfifo "$T/idle"
sleep 30 > "$T/idle" &
holder=$!
flood="$holder"
i=0
while [ $i -lt 500 ]; do
	{ printf 'PIN'; cat; } < "$T/idle" |
	    timeout 15 socat -u - "UNIX-CONNECT:$S" 2>/dev/null &
	flood="$flood $!"
	i=$((i + 1))
done
i=0
while [ $i -lt 20 ]; do
	while [ ! -e "$T/stop" ]; do
		printf 'PIN' | timeout 5 socat -t 1 -u - "UNIX-CONNECT:$S" \
		    2>/dev/null
	done &
	flood="$flood $!"
	i=$((i + 1))
done
at_exit "touch $T/stop; kill $flood 2>/dev/null"
sleep 1
expect_eq "during the flood alive_check answers" 200 "$(alive)"
expect_eq "during the flood /auth answers" 204 "$(auth)"
pings=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(d_ctl "$S" PING)" = "OK pong 1" ] && pings=$((pings + 1))
	sleep 0.1
done
expect_eq "during the flood a legitimate PING is answered (10 tries)" 10 \
    "$pings"
t0=$(now_ms)
timeout 10 "$HYP" -c "$T/c.ini" set $D blocked_functions=y > "$T/set.out" \
    2>&1
ms=$(($(now_ms) - t0))
check "during the flood hyptokens set reaches the daemon" \
    grep -q "applied it" "$T/set.out"
expect_eq "which enforces the change" 403 \
    "$(d_auth "$P" /api/y -H "Authorization: Bearer $TOK")"
check "the flood is logged, rate-limited (at most 5 lines a second)" \
    test "$(grep -c "too many connections" "$T/c.log")" -le 30
check "with a count of the lines not logged" \
    grep -q "more lines about refused or closed peers not logged" "$T/c.log"

# Over-long lines while the flood goes on.
long=$(head -c 4000 /dev/zero | tr '\0' 'A')
r=$(printf 'PING %s\n' "$long" | socat -t 2 - "UNIX-CONNECT:$S" 2>/dev/null)
expect_eq "a 4000-byte line gets ERR" "ERR line too long" "$r"
r=$(printf 'PING %s' "$long" | socat -t 2 - "UNIX-CONNECT:$S" 2>/dev/null)
expect_eq "and so does one without an end" "ERR line too long" "$r"
rss0=$(awk '/^VmRSS:/ { print $2 }' "/proc/$DPID_c/status")
i=0
while [ $i -lt 20 ]; do
	head -c 1000000 /dev/zero | tr '\0' 'A' |
	    timeout 5 socat -u - "UNIX-CONNECT:$S" 2>/dev/null &
	i=$((i + 1))
done
sleep 1
rss1=$(awk '/^VmRSS:/ { print $2 }' "/proc/$DPID_c/status")
# Under ASan freed read buffers stay resident in its quarantine: a looser
# bound there, still far below the 20 MB that buffering would take.
grow=1024
[ "${SANITIZE:-0}" = 1 ] && grow=8192
check "20 MB of one line do not grow the daemon ($rss0 -> $rss1 kB)" \
    [ $((rss1 - rss0)) -lt $grow ]
expect_eq "after them alive_check answers" 200 "$(alive)"
expect_eq "and PING" "OK pong 1" "$(d_ctl "$S" PING)"

touch "$T/stop"
kill $flood 2>/dev/null
wait $flood 2>/dev/null
expect_eq "after the flood alive_check answers" 200 "$(alive)"
expect_eq "after the flood /auth answers" 403 \
    "$(d_auth "$P" /api/y -H "Authorization: Bearer $TOK")"
expect_eq "after the flood PING is answered" "OK pong 1" "$(d_ctl "$S" PING)"
case $(d_ctl "$S" STATUS) in
*"state=serving"*) ok "after the flood STATUS says serving" ;;
*) not_ok "after the flood STATUS says serving" ;;
esac
check "the daemon is still running" kill -0 "$DPID_c"
