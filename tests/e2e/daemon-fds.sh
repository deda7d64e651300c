#!/bin/sh
# daemon-fds.sh: the daemon out of file descriptors (issue 4, fixes of a
# security review). Under a low `ulimit -n`, more idle TCP connections
# than descriptors: the daemon does not spin on accept() (CPU stays low),
# libevent's own warnings go through the daemon's log and the shortage
# is logged once, not a line per failed accept(), and the daemon answers
# again once the connections are closed.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

NOFILE=64
CONNS=100
P=$(d_port)
d_ini "$T/f.ini" f api "$P" 2
d_start f "$T/f.ini" "$P" sh -c "ulimit -n $NOFILE && exec \"\$@\"" sh ||
    { not_ok "daemon starts under ulimit -n $NOFILE"; exit 1; }
PID=$DPID_f
TICK=$(getconf CLK_TCK)

# cpu: user + system time of the daemon so far, in clock ticks.
cpu() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }

# CONNS idle connections, held until $T/release exists; the count made
# is written to $T/conns.
perl -MIO::Socket::INET -e '
	my ($port, $n, $out, $release) = @ARGV;
	my @s;
	for (1 .. $n) {
		my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1",
		    PeerPort => $port, Proto => "tcp") or last;
		push @s, $c;
	}
	open(my $f, ">", $out) or die; print $f scalar(@s), "\n"; close $f;
	for (1 .. 300) {
		last if -e $release;
		select(undef, undef, undef, 0.05);
	}
' "$P" "$CONNS" "$T/conns" "$T/release" &
HOLDER=$!
at_exit "touch $T/release; kill $HOLDER 2>/dev/null"
wait_for test -s "$T/conns"
expect_eq "$CONNS idle connections are open" "$CONNS" "$(cat "$T/conns")"
sleep 0.5

lines0=$(wc -l < "$T/f.log")
cpu0=$(cpu)
sleep 3
cpu1=$(cpu)
lines1=$(wc -l < "$T/f.log")
used=$((cpu1 - cpu0))
check "out of descriptors the daemon does not spin (CPU $used ticks \
of $TICK a second, in 3 s)" [ "$used" -lt "$TICK" ]
check "and its log stays short ($((lines1 - lines0)) lines in 3 s)" \
    [ $((lines1 - lines0)) -lt 50 ]
check "the shortage is logged by the daemon" \
    grep -q "warning: accept: Too many open files" "$T/f.log"
expect_eq "once" 1 "$(grep -c "accept: Too many open files" "$T/f.log")"
check "libevent writes nothing past the daemon's log" \
    sh -c "! grep -q '^\[' '$T/f.log'"
kill -0 "$PID" 2>/dev/null
check "the daemon is still running" [ $? -eq 0 ]

# The connections close: the daemon answers again.
touch "$T/release"
wait "$HOLDER"
check "once they are closed the daemon answers alive_check" \
    wait_for curl -sf "http://127.0.0.1:$P/alive_check"
TOK=$(d_token "$T/f.ini" f.example.com access_token)
expect_eq "and authorizes" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
expect_eq "its control socket answers" "OK pong 1" \
    "$(d_ctl "$T/f.sock" PING)"
