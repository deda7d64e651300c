# tui-invalid.sh: records edited by hand in the database (sqlite3), which
# their daemon refuses whole: the list marks them INVALID, the form says
# at the top why; a value storage could not read at all is not shown as
# a stand-in (no [rotate] for 'sometimes', no 1970 for 'tomorrow') but
# empty with the reason, and saving a corrected value repairs the record.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }

db() { sqlite3 "$T/tokens.db" "$1"; }
spoil() {
	db "UPDATE hyp_web_api_tokens SET $1 WHERE domain_address = \
	    'api.example.com'"
}
repair() {
	spoil "ipv4_whitelist = '', token_life_hours = 1, \
	    enabled_modules = '', domain_purpose = 'api', \
	    access_until_utc = strftime('%s', 'now') + 3600, \
	    max_posts_per_ip_per_minute = 0, refresh_token_mode = 'rotate'"
}
# the row of api.example.com in the list, its mark right before it
rowpat='(^|[^a-z.])api[.]example[.]com '
row() { tm capture-pane -p | grep -E "$rowpat"; }

start_console 100 30
check_screen "the list comes up" "api.example.com"
check "a sound record is not marked" sh -c "! tmux -L $TS capture-pane \
    -p | grep -E '$rowpat' | grep -q INVALID"

# Each hand edit: INVALID in the list, the reason on top of the form.
while IFS='|' read -r set why; do
	spoil "$set"
	keys r
	check "$set: the list marks the record INVALID" \
	    wait_for sh -c "tmux -L $TS capture-pane -p | \
	    grep -E '$rowpat' | grep -q 'INVALID: all refused'"
	keys Home Enter
	check_screen "$set: the form says at the top it is refused" \
	    "INVALID: its daemon refuses every request for this record"
	check_screen "$set: and why" "$why"
	keys Escape
	wait_text "DOMAIN" >/dev/null
	repair
done <<'EOF'
ipv4_whitelist = '010.0.0.1'|'010.0.0.1' has a leading zero
token_life_hours = 0|'0' is out of range
enabled_modules = 'nosuch'|'nosuch' is not in the modules catalogue
domain_purpose = 'bogus'|purpose 'bogus' is not in the catalogue
access_until_utc = 99999999999999|Access Until UTC holds 99999999999999
max_posts_per_ip_per_minute = 'lots'|Max Posts per IP per Minute holds
refresh_token_mode = 'sometimes'|Refresh Token Mode holds 'sometimes'
access_until_utc = 'tomorrow'|Access Until UTC holds 'tomorrow'
EOF
keys r
check "repaired, the record is no longer marked" \
    wait_for sh -c "! tmux -L $TS capture-pane -p | \
    grep -E '$rowpat' | grep -q INVALID"

# A mode that could not be read: no [rotate]; saving one repairs it.
spoil "refresh_token_mode = 'sometimes'"
keys r Home Enter
check_screen "the unread mode's field is empty, with the reason" \
    "Refresh Token Mode       [          ] cannot be read: holds 'sometimes'"
keys Tab Tab
keys -l fixed
keys F2
check_screen "the corrected mode is saved" "Saved 1 field"
expect_eq "and stored" fixed "$(json api.example.com .refresh_token_mode)"
check "the top line is gone with the fault" \
    wait_gone "INVALID: its daemon refuses"
check_screen "the form shows the stored mode" "[fixed "

# The same mode as the stand-in: written all the same.
keys Escape
wait_text "DOMAIN" >/dev/null
spoil "refresh_token_mode = 'sometimes'"
keys r Home Enter
wait_text "cannot be read" >/dev/null
keys Tab Tab
keys -l rotate
keys F2
check_screen "rotate typed over 'sometimes' is saved" "Saved 1 field"
expect_eq "and stored, though the record held rotate as a stand-in" \
    rotate "$(db "SELECT refresh_token_mode FROM hyp_web_api_tokens \
    WHERE domain_address = 'api.example.com'")"

# An Access Until that is no number: no 1970; new hours give it a time.
keys Escape
wait_text "DOMAIN" >/dev/null
spoil "access_until_utc = 'tomorrow'"
keys r Home Enter
check_screen "the unread time's field is empty, not 1970" \
    "Access Until UTC         [                    ] cannot be read"
check "no 1970 anywhere" sh -c "! tmux -L $TS capture-pane -p | \
    grep -q 1970"
keys C-u
keys -l 2
before=$(date -u +%s)
keys F2
check_screen "hours typed over it save a new Access Until" "Saved 2 fields"
until_s=$(epoch "$(json api.example.com .access_until_utc)")
check "Access Until is now + 2 h" \
    [ "$until_s" -ge $((before + 7200 - 2)) -a \
    "$until_s" -le $((before + 7200 + 5)) ]
check "the top line is gone" wait_gone "INVALID: its daemon refuses"
keys Escape
check "the list no longer marks it" \
    wait_for sh -c "! tmux -L $TS capture-pane -p | \
    grep -E '$rowpat' | grep -q INVALID"

# A bad value that was read: shown with its refusal; fixing it saves.
spoil "ipv4_whitelist = '010.0.0.1'"
keys r Home Enter
wait_text "Token policy" >/dev/null
check_screen "the stored bad entry is shown refused beside the field" \
    "[010.0.0.1"
keys Tab Tab Tab Tab Tab C-u
keys -l 10.0.0.1
keys F2
check_screen "the corrected entry is saved" "Saved 1 field"
check "and the record is sound again" wait_gone "INVALID: its daemon"
check "the console still runs" console_alive
