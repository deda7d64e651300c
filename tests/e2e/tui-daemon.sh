# tui-daemon.sh: the console against the real daemon on its control
# socket: the list shows it up, a save is applied (REFRESH answered with
# the new policy version), a regenerate is applied, a delete is purged,
# and a daemon that is hung or stopped is reported as not reached, with
# when it reads the change.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/tui-lib.inc

P=$(free_port)
d_ini "$T/a.ini" webapi api "$P" 2
"$HYP" -c "$T/a.ini" init >/dev/null 2>&1
d_start webapi "$T/a.ini" "$P" ||
    { not_ok "the daemon starts" "$(tail -n 3 "$T/webapi.log")"; exit 1; }
start_console 80 24
check_screen "the list shows the daemon's record" "webapi.example.com"
check_screen "with its daemon up" " up "

open_record webapi.example.com
keys C-u 6 F2
check_screen "a save is applied by the daemon, with its version" \
    "webapi.example.com applied policy version"
v=$(json webapi.example.com .policy_version 2>/dev/null)
expect_eq "the hours are stored" 6 "$(json webapi.example.com \
    .token_life_hours)"
if [ -n "$v" ] && [ "$v" != null ]; then
	check_screen "the version said is the stored one" \
	    "applied policy version $v in"
fi

keys F5
wait_text "Regenerate tokens for" >/dev/null
keys Left Enter
check_screen "a regenerate is applied by the daemon" \
    "Regenerated; the old access token works until"
check_screen "and the daemon answered" "applied policy version"

# A hung daemon (stopped, its socket still there) reads the change at
# its next keep-alive: the words say so, not only "when it starts".
kill -STOP "$DPID_webapi"
keys C-u 8 F2
check_screen "a hung daemon is reported as not answering" \
    "did not answer within"
check_screen "and the words name its next keep-alive too" \
    "when it starts or at its next keep-alive"
kill -CONT "$DPID_webapi"

d_stop webapi
keys C-u 7 F2
check_screen "a stopped daemon is reported, the save kept" \
    "Instance not reached"
expect_eq "the save is stored all the same" 7 \
    "$(json webapi.example.com .token_life_hours)"

d_start webapi2 "$T/a.ini" "$P" ||
    { not_ok "the daemon starts again" "$(tail -n 3 "$T/webapi2.log")"; }
keys F8
wait_text "Delete webapi.example.com" >/dev/null
keys -l "webapi.example.com"
keys Enter Enter
check_screen "a delete is purged by the daemon" \
    "Deleted webapi.example.com. The instance dropped it from memory"
check "the console still runs" console_alive
