# tui-refresh.sh: the list follows the database on its own while the
# admin only looks at it (every 5 seconds, or every keep-alive interval
# when that is shorter): keep-alive states and new records show without
# a key, times move, the filter and the selection stay, and no read
# transaction is left open between reloads (case 8).
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }

db() { sqlite3 "$T/tokens.db" "$1"; }
# row DOMAIN: its row in the list (the selected one has its mark before)
row() { tm capture-pane -p | grep -E "(^|[^a-z.])$1 "; }
# within SECONDS, the row of DOMAIN shows TEXT (no key pressed)
row_shows() {
	_n=$(($1 * 20))
	while [ $_n -gt 0 ]; do
		row "$2" | grep -qF -- "$3" && return 0
		_n=$((_n - 1))
		sleep 0.05
	done
	return 1
}

# A keep-alive interval of 2 s: the list reloads at least that often.
make_ini "$T/a.ini" webapi api.example.com api "keepalive_seconds = 2"
start_console 80 24
check_screen "the list comes up" "old.example.net"
check "old.example.net never ran" row_shows 1 old.example.net " never "
keys /
keys -l "example"
keys Enter End
mark=$(printf '\342\226\270')
check_screen "portal.example.com is selected" "${mark}portal.example.com"

db "UPDATE hyp_web_api_tokens SET keep_alive_utc = strftime('%s', 'now') \
    WHERE domain_address = 'old.example.net'"
check "a keep-alive written meanwhile shows as up without a key" \
    row_shows 3 old.example.net " up "
check "and turns stale once two intervals passed, without a key" \
    row_shows 8 old.example.net " stale "

make_ini "$T/d.ini" extra extra.example.org api
"$HYP" -c "$T/d.ini" register >/dev/null 2>&1
check "a record registered meanwhile shows up" \
    row_shows 4 extra.example.org "extra.example.org"
check_screen "the filter stayed" "Filter: example"
check_screen "and so did the selection" "${mark}portal.example.com"

# Times move: an Access Until 40 s ahead counts down on its own.
db "UPDATE hyp_web_api_tokens SET access_until_utc = \
    strftime('%s', 'now') + 40 WHERE domain_address = 'api.example.com'"
check "Access Until is read again" row_shows 4 api.example.com "expiring"
first=$(row api.example.com)
sleep 2.5
check "and what is left moves without a key" \
    [ "$(row api.example.com)" != "$first" ]

expect_eq "between reloads no read transaction is held" "0|0|0" \
    "$(db 'PRAGMA wal_checkpoint(TRUNCATE);')"

# With the default interval (30 s) the list still reloads every 5 s.
make_ini "$T/a.ini" webapi api.example.com api
start_console 80 24
check_screen "the list comes up again" "old.example.net"
sleep 1
db "UPDATE hyp_web_api_tokens SET keep_alive_utc = strftime('%s', 'now') \
    WHERE domain_address = 'portal.example.com'"
check "within 5 s a new keep-alive shows" \
    row_shows 7 portal.example.com " up "
check "the console still runs" console_alive
