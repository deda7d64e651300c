#!/bin/sh
# daemon-start.sh: the daemon's start, control socket and stop (issue 4,
# cases 21 and 22): the start line, exit 78 on a bad INI, the socket's
# mode under umask 000, other users refused before a command is read,
# kill -9 and restart, a second daemon refused, a non-socket never
# deleted, the control protocol's replies, PURGE and REFRESH, SIGHUP and
# a clean SIGTERM.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

P=$(d_port)
d_ini "$T/a.ini" a api "$P" 2
S="$T/a.sock"

# A bad value stops the start with exit 78 and one line.
d_ini "$T/bad.ini" bad api "$P" 010
"$HYPD" -c "$T/bad.ini" >"$T/bad.out" 2>&1
rc=$?
expect_eq "a bad INI value exits 78" 78 "$rc"
check "the bad value is named in one line" \
    grep -q "max_threads.*010" "$T/bad.out"
d_ini "$T/bad2.ini" bad2 no-such-purpose "$P" 2
"$HYPD" -c "$T/bad2.ini" >"$T/bad2.out" 2>&1
expect_eq "an unknown purpose exits 78" 78 "$?"

# Start under umask 000: the socket is still closed to others.
umask 000
d_start a "$T/a.ini" "$P"
umask 022
check "the daemon answers alive_check" \
    curl -sf "http://127.0.0.1:$P/alive_check" -o /dev/null
check "one start line names version, pid, domain and address" \
    grep -qE "hyptokensd [0-9.]+ started: pid $DPID_a, domain \
a.example.com, listening on 127.0.0.1:$P" "$T/a.log"
expect_eq "the control socket is rw for owner and group only" \
    "srw-rw----" "$(stat -c %A "$S")"

# Another user is refused before a command is read, even when the file
# mode would let it connect. Switching user needs root.
if [ "$(id -u)" -eq 0 ]; then
	chmod 0666 "$S"
	chmod o+x "$T"
	r=$(printf 'PURGE a.example.com\n' | setpriv --reuid=65534 \
	    --regid=65534 --clear-groups socat -t 2 - "UNIX-CONNECT:$S" \
	    2>/dev/null)
	chmod 0660 "$S"
	chmod o-x "$T"
	expect_eq "another user's command gets no reply" "" "$r"
	check "the refused peer is logged" \
	    grep -q "refused a peer with uid 65534" "$T/a.log"
	expect_eq "and changed nothing" 204 "$(d_auth "$P" /api/x \
	    -H "Authorization: Bearer $(d_token "$T/a.ini" a.example.com \
	    access_token)")"
else
	ok "another user's command gets no reply # SKIP needs root"
fi

# The protocol.
expect_eq "PING" "OK pong 1" "$(d_ctl "$S" PING)"
st=$(d_ctl "$S" STATUS)
case $st in
"OK domain=a.example.com version=1 state=serving"*) ok "STATUS" ;;
*) not_ok "STATUS" "got: $st" ;;
esac
case $(d_ctl "$S" "REFRESH b.example.com") in
ERR*) ok "REFRESH for another domain gets ERR" ;;
*) not_ok "REFRESH for another domain gets ERR" ;;
esac
case $(d_ctl "$S" "PURGE b.example.com") in
ERR*) ok "PURGE for another domain gets ERR" ;;
*) not_ok "PURGE for another domain gets ERR" ;;
esac
for bad in "HELLO" "PING x" "REFRESH" "refresh a.example.com" \
    "REFRESH a.example.com extra"; do
	case $(d_ctl "$S" "$bad") in
	ERR*) ok "malformed '$bad' gets ERR" ;;
	*) not_ok "malformed '$bad' gets ERR" ;;
	esac
done
long=$(head -c 600 /dev/zero | tr '\0' 'A')
case $(d_ctl "$S" "PURGE $long") in
ERR*) ok "an over-long line gets ERR" ;;
*) not_ok "an over-long line gets ERR" ;;
esac
case $(printf 'PURGE a.exa\001mple.com\n' | socat -t 2 - "UNIX-CONNECT:$S") in
ERR*) ok "a control byte gets ERR" ;;
*) not_ok "a control byte gets ERR" ;;
esac
case $(d_ctl "$S" STATUS) in
*"state=serving"*) ok "refused lines changed nothing" ;;
*) not_ok "refused lines changed nothing" ;;
esac
r=$(printf 'PING\nPING\n' | socat -t 2 - "UNIX-CONNECT:$S")
expect_eq "one reply line per command" "OK pong 1
OK pong 1" "$r"

# PURGE drops the record from memory at once; REFRESH brings it back, and
# so does the next keep-alive, which finds the record in the database
# (daemon-recover.sh: a purge outlives the keep-alive while it is gone).
TOK=$(d_token "$T/a.ini" a.example.com access_token)
expect_eq "PURGE replies OK" "OK purged" "$(d_ctl "$S" "PURGE a.example.com")"
expect_eq "after PURGE every request is refused" 403 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
"$HYP" -c "$T/a.ini" register >/dev/null
sleep 1.5
expect_eq "a purged daemon serves once a keep-alive finds its record" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
check "and says so" grep -q "keep-alive: the record exists again" "$T/a.log"
expect_eq "PURGE again" "OK purged" "$(d_ctl "$S" "PURGE a.example.com")"
case $(d_ctl "$S" "REFRESH a.example.com") in
"OK version="*) ok "REFRESH replies with the applied version" ;;
*) not_ok "REFRESH replies with the applied version" ;;
esac
expect_eq "after REFRESH the record serves again" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"

# SIGHUP reloads.
kill -HUP "$DPID_a"
sleep 0.3
check "SIGHUP reloads catalogues and record" grep -q "SIGHUP: catalogues" \
    "$T/a.log"

# A second daemon on the same socket refuses and leaves it alone.
P2=$(d_port)
sed "s/^listen = .*/listen = 127.0.0.1:$P2/" "$T/a.ini" > "$T/a2.ini"
"$HYPD" -c "$T/a2.ini" >"$T/second.log" 2>&1 &
spid=$!
at_exit "kill $spid 2>/dev/null"
i=0
while kill -0 $spid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
if kill -0 $spid 2>/dev/null; then
	not_ok "a second daemon on the same socket refuses to start"
else
	wait $spid
	rc=$?
	check "a second daemon on the same socket refuses to start" \
	    [ "$rc" -ne 0 ]
fi
check "it says another daemon answers" grep -q "another daemon answers" \
    "$T/second.log"
expect_eq "the live socket is left alone" "OK pong 1" "$(d_ctl "$S" PING)"

# kill -9 leaves a stale socket; a restart removes it and serves.
kill -9 "$DPID_a"
wait "$DPID_a" 2>/dev/null
check "kill -9 leaves the socket behind" test -S "$S"
d_start a "$T/a.ini" "$P"
expect_eq "the restarted daemon answers on its socket" "OK pong 1" \
    "$(d_ctl "$S" PING)"
check "the stale socket removal is logged" \
    grep -q "removed stale control socket" "$T/a.log"

# SIGTERM: clean stop, socket removed, exit 0.
d_stop a
expect_eq "SIGTERM stops with status 0" 0 "$D_RC"
check "the socket is removed at stop" test ! -e "$S"
check "the stop is logged" grep -q "hyptokensd stopped" "$T/a.log"

# A path that is not a socket is never deleted.
echo "precious" > "$S"
"$HYPD" -c "$T/a.ini" >"$T/notsock.log" 2>&1
rc=$?
check "a non-socket at the path stops the start" [ "$rc" -ne 0 ]
expect_eq "and is not deleted" precious "$(cat "$S")"
rm -f "$S"

# A domain held by another user name is refused with a clear error.
d_ini "$T/thief.ini" thief api "$P" 2
sed -i 's/^domain = .*/domain = a.example.com/' "$T/thief.ini"
"$HYPD" -c "$T/thief.ini" >"$T/thief.log" 2>&1
rc=$?
check "a domain held by another user stops the start" [ "$rc" -ne 0 ]
check "naming the domain" grep -q "a.example.com" "$T/thief.log"
