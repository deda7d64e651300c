# tui-conflict.sh: case 7 and its kin. While the console has a form
# open, the daemon writes keep-alive and another admin changes a policy
# field: saving the hours keeps both. A change to the same field is a
# visible conflict that writes nothing until the admin resolves it. A
# database locked past the busy timeout keeps the edits on screen.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }
listen webapi
start_console 80 24
open_record api.example.com

# Meanwhile: the daemon's keep-alive, and console B's rate limit.
ka=$(($(date -u +%s) - 5))
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET keep_alive_utc = $ka
    WHERE domain_address = 'api.example.com'"
"$HYP" -c "$T/a.ini" set api.example.com max_posts_per_ip_per_minute=50 \
    >/dev/null 2>&1
keys C-u 12 F2
check_screen "saving the hours works beside the other writers" "Saved 2 fields"
expect_eq "the hours are stored" 12 "$(json api.example.com .token_life_hours)"
expect_eq "the other admin's rate limit survives" 50 \
    "$(json api.example.com .max_posts_per_ip_per_minute)"
expect_eq "the daemon's keep-alive survives" "$ka" \
    "$(epoch "$(json api.example.com .keep_alive_utc)")"

# The same field changed by someone else: a conflict, nothing written.
keys Tab Tab Tab
"$HYP" -c "$T/a.ini" set api.example.com max_posts_per_ip_per_minute=70 \
    >/dev/null 2>&1
n=$(wc -l <"$T/webapi.got")
keys C-u 80 F2
check_screen "a conflict names the field" \
    "Not saved, conflict on Max Posts per IP per Minute"
check_screen "and the value now stored" "'70'"
expect_eq "nothing is written on a conflict" 70 \
    "$(json api.example.com .max_posts_per_ip_per_minute)"
expect_eq "nothing is signalled on a conflict" "$n" "$(wc -l <"$T/webapi.got")"
check_screen "the edit stays on screen" "[80 "
keys C-r
check_screen "^R keeps the edit and shows what is stored" \
    "the database holds 70 now"
keys F2
check_screen "then Save writes the admin's value knowingly" "Saved 1 field"
expect_eq "the admin's value is stored" 80 \
    "$(json api.example.com .max_posts_per_ip_per_minute)"

# A writer holding the lock past the busy timeout: the edit stays.
(echo "BEGIN IMMEDIATE;"; sleep 8; echo "COMMIT;") |
    sqlite3 "$T/tokens.db" >/dev/null 2>&1 &
lock=$!
at_exit "kill $lock 2>/dev/null"
sleep 0.5
keys C-u 90 F2
if wait_text "Busy" || { sleep 3; wait_text "Busy"; }; then
	ok "a locked database answers busy in words"
else
	not_ok "a locked database answers busy in words" "$(screen | tail -3)"
fi
check_screen "the busy answer keeps the edit" "F2 tries again"
check_screen "and the value stays in the field" "[90 "
wait "$lock"
keys F2
check_screen "once the lock is gone, Save works" "Saved 1 field"
expect_eq "the edit kept through busy is stored" 90 \
    "$(json api.example.com .max_posts_per_ip_per_minute)"
