#!/bin/sh
# drill-stop.sh: the daemon is stopped (SIGSTOP) while an admin saves
# (issue 5, failure drills). "hyptokens set" must come back within about
# a second (its control-socket wait is 500 ms), store the change and say
# that the instance did not answer; after SIGCONT the daemon must apply
# the change within one keep-alive interval (1 s here) with no new
# signal. Twice: once with the REFRESH left queued on the stopped
# daemon's socket, once with the signal lost for good (the socket's
# backlog full), where only the keep-alive check can catch up.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/s.ini" s api "$P" 2
d_start s "$T/s.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=s.example.com
S="$T/s.sock"
TOK=$(d_token "$T/s.ini" $D access_token)
at_exit "kill -CONT $DPID_s 2>/dev/null"

auth() { d_auth "$P" "$1" -H "Authorization: Bearer $TOK"; }
stored() { "$HYP" -c "$T/s.ini" show $D --json | jq -r "$1"; }

# wait_auth URI STATUS: ms until /auth on URI answers STATUS (5 s at most).
wait_auth() {
	_t0=$(now_ms)
	while [ "$(auth "$1")" != "$2" ]; do
		[ $(($(now_ms) - _t0)) -gt 5000 ] && { echo 99999; return; }
		sleep 0.05
	done
	echo $(($(now_ms) - _t0))
}

expect_eq "before: /api/x is allowed" 204 "$(auth /api/x)"

# 1. Stopped while saving; the REFRESH waits in the socket's queue.
kill -STOP $DPID_s
t0=$(now_ms)
timeout 10 "$HYP" -c "$T/s.ini" set $D blocked_functions=x > "$T/set1.out" \
    2>&1
rc=$?
ms=$(($(now_ms) - t0))
expect_eq "set on a stopped daemon exits 0 (the change is stored)" 0 "$rc"
check "and returns within 1.5 s (took $ms ms)" [ "$ms" -lt 1500 ]
check "it says the instance did not answer" \
    grep -q "instance $D did not answer" "$T/set1.out"
expect_eq "the database holds the change" x "$(stored '.blocked_functions[0]')"
sleep 1.5
kill -CONT $DPID_s
ms=$(wait_auth /api/x 403)
check "after SIGCONT the change is in force within 1 s (took $ms ms)" \
    [ "$ms" -le 1000 ]

# 2. Stopped, and the signal lost: the socket's backlog is full, so the
# REFRESH never reaches the daemon.
mkfifo "$T/idle"
sleep 30 > "$T/idle" &
fillers=$!
kill -STOP $DPID_s
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	timeout 20 socat -u STDIN "UNIX-CONNECT:$S" < "$T/idle" 2>/dev/null &
	fillers="$fillers $!"
done
at_exit "kill $fillers 2>/dev/null"
sleep 0.3
t0=$(now_ms)
timeout 10 "$HYP" -c "$T/s.ini" set $D blocked_functions=y > "$T/set2.out" \
    2>&1
rc=$?
ms=$(($(now_ms) - t0))
expect_eq "set with the daemon's socket full exits 0" 0 "$rc"
check "and returns within 1.5 s (took $ms ms)" [ "$ms" -lt 1500 ]
check "it says the instance did not answer" \
    grep -q "instance $D did not answer" "$T/set2.out"
expect_eq "the database holds the change" y "$(stored '.blocked_functions[0]')"
V=$(stored .policy_version)
sleep 1.5
refreshes=$(grep -c "control: REFRESH" "$T/s.log")
kill -CONT $DPID_s
ms=$(wait_auth /api/y 403)
check "after SIGCONT the change is in force within 1 s (took $ms ms)" \
    [ "$ms" -le 1000 ]
expect_eq "no REFRESH reached the daemon" "$refreshes" \
    "$(grep -c "control: REFRESH" "$T/s.log")"
check "the keep-alive check found the new version" \
    grep -q "record version moved from [0-9]* to $V without a signal" \
    "$T/s.log"
cat "$T/set1.out" "$T/set2.out" | sed "s/^/# /"
expect_eq "/api/x is allowed again" 204 "$(auth /api/x)"
kill $fillers 2>/dev/null
case $(d_ctl "$S" STATUS) in
*"version=$V state=serving"*) ok "STATUS reports the stored version" ;;
*) not_ok "STATUS reports the stored version" ;;
esac
