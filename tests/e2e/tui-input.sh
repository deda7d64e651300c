# tui-input.sh: what is typed into the form, case 3 and its kind. A
# character a field does not take is refused by name and marks the field
# until it is cleared, in UTF-8 and under LANG=C, so that no value that
# lost a character is ever stored; in a list the mark names its line,
# and clearing that line alone clears it; a list entry wider than its box
# stays one entry; a list field says how many lines it hides; Access
# Until shows no time made from hours out of range; a refusal leaves the
# status line once its field is right; the form's key bar offers F1 for
# help; Ctrl keys save, regenerate and delete.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }
blocked() { json api.example.com '.blocked_functions | tostring'; }

start_console 80 24
open_record api.example.com
check_screen "the form's key bar offers F1 for help" "F1 Help"
check "and not ?, which types into a field" \
    sh -c "! tmux -L $TS capture-pane -p | grep -qF '? Help'"

# Zürich-API into Block These Functions, which takes ASCII only.
keys Tab Tab Tab Tab Tab Tab Tab
keys -l "Zürich-API"
check_screen "the refused ü is named, with its line" \
    "Block These Functions, line 1: a character this field does not"
check_screen "and that the field takes ASCII only" "here: ü (ASCII only)"
check_screen "what followed it is kept, not swallowed" "[Zrich-API "
keys Left Left BSpace
check_screen "the message stays while the cursor is in the field" \
    "here: ü (ASCII only)"
keys F2
check_screen "Save is blocked with the reason" \
    "Not saved: Block These Functions, line 1: a character this field"
expect_eq "nothing is stored from a value that lost a character" "[]" \
    "$(blocked)"
keys C-u
check_screen "^U clears the field and its mark" \
    "Block These Functions was cleared"
keys -l "Zurich-API"
keys C-o
check_screen "^O saves what was typed again" "Saved 1 field"
expect_eq "and it is stored whole" '["Zurich-API"]' "$(blocked)"

# A list longer than its rows (4 at 80x24) says what it hides.
keys BTab BTab C-u
for a in 1 2 3 4 5; do
	keys -l "10.0.0.$a"
	keys Enter
done
keys -l "10.0.0.6"
check_screen "while editing, the lines scrolled away are counted" \
    "+2 more above"
keys Tab
check_screen "and when not editing, the lines below" "+2 more below"
keys F2
check_screen "the six entries are saved" "Saved 1 field"
expect_eq "all six are stored" 6 \
    "$(json api.example.com '.ipv4_whitelist | length')"

# Hours out of range: no time made from what was typed on the way.
stored=$(json api.example.com .access_until_utc)
keys BTab BTab BTab BTab BTab BTab C-u
keys -l 8761
check_screen "Access Until says the hours are out of range" \
    "hours out of range"
check_screen "and shows what is stored, not the time of 876 hours" \
    "[$stored "
keys Tab
check_screen "leaving the refused hours says so" \
    "Refused: Generated Token Life in Hours"
keys BTab C-u
keys -l 12
keys Tab
check_screen "once right, the refusal leaves the status line" \
    "Generated Token Life in Hours is accepted now."
check "the old refusal is gone" \
    sh -c "! tmux -L $TS capture-pane -p | grep -qF 'Refused:'"

# Ctrl keys for terminals without F5 and F8.
keys C-g
check_screen "^G asks to regenerate" "Regenerate tokens for api.example.com"
keys Escape
check_screen "and Esc cancels" "Regenerate cancelled."
keys C-x
check_screen "^X asks to delete" "Delete api.example.com"
keys Escape
check_screen "and Esc cancels that too" "Delete cancelled"
keys Escape
wait_text "Unsaved changes" >/dev/null
keys Left Enter
check_screen "back on the list" "DOMAIN"
keys Home C-g
check_screen "^G works in the list" "Regenerate tokens for api.example.com"
keys Escape
keys C-x
check_screen "and ^X" "Delete api.example.com"
keys Escape

# Under LANG=C a byte above 0x7f is refused, and the rest is kept.
start_console 80 24 LANG=C LC_ALL=C
open_record api.example.com
keys Tab Tab Tab Tab Tab Tab Tab C-u
keys -l "Zürich-API"
check_screen "LANG=C: the first byte of ü is refused by name" \
    "byte 0xC3 (ASCII only)"
check_screen "LANG=C: what followed in the same burst is kept" \
    "[Zrich-API "
keys F2
check_screen "LANG=C: Save is blocked" "Not saved: Block These Functions"
expect_eq "LANG=C: the stored value is untouched" '["Zurich-API"]' \
    "$(blocked)"
keys Escape
wait_text "Unsaved changes" >/dev/null
keys Left Enter
wait_text "DOMAIN" >/dev/null
keys Escape /
keys -l "ü"
check_screen "LANG=C: the filter says what it left out" \
    "The filter does not take byte 0x"
check "the console still runs" console_alive

# A list entry wider than its box stays one entry: typed past the row's
# end, Delete_Client_Json_Bulk_Export_All was saved as the two names
# Delete_Client_Json_Bulk_Ex and port_All, and the function meant to be
# blocked stayed allowed.
start_console 80 24
open_record portal.example.com
pblocked() { json portal.example.com '.blocked_functions | tostring'; }
pwhite() { json portal.example.com '.ipv4_whitelist | tostring'; }
keys Tab Tab Tab Tab Tab Tab Tab
keys -l Delete_Client_Json_Bulk_Export_All
check_screen "a name wider than the box is shown whole on its row" \
    "[Delete_Client_Json_Bulk_Export_All "
keys Enter F2
check_screen "and saved" "Saved 1 field, version 2"
expect_eq "as one function name, not two" \
    '["Delete_Client_Json_Bulk_Export_All"]' "$(pblocked)"

# The same in the whitelist: a '#' comment is allowed (SPEC 4) and goes.
keys BTab BTab
keys -l "192.168.100.100 # backup server"
keys F2
check_screen "a commented whitelist line is saved" \
    "Saved 1 field, version 3"
expect_eq "as its address alone, not two refused lines" \
    '["192.168.100.100"]' "$(pwhite)"

# Past the widest line the screen has room for (at 80 columns, 49
# characters beside the labels), the key is refused, by line and limit,
# and nothing cut short is stored.
keys Tab Tab Down
keys -l Revoke_All_Tokens_For_Every_Tenant_And_Every_Session
check_screen "a line too long for the screen is refused by its line" \
    "Block These Functions, line 2: a line holds at most 49"
keys F2
check_screen "Save is blocked while the line is cut short" \
    "Not saved: Block These Functions, line 2:"
expect_eq "and the stored names are as they were" \
    '["Delete_Client_Json_Bulk_Export_All"]' "$(pblocked)"
keys C-a C-k
check_screen "^A ^K clears that line and its mark" \
    "is clear of the line that lost a character"
keys F2
check_screen "then nothing is left to save" "Nothing to save"

# One stray full-width character in a list: refused at the key by its
# line; clearing that line alone lets the list be saved (it took ^U,
# clearing every line, and the message did not say which).
keys BTab BTab C-u
keys -l 10.0.0.1
keys Enter
keys -l "１０.0.0.2"
check_screen "the refused character is named with its line" \
    "IP v4 Whitelist, line 2: a character this field does not"
check_screen "and the field takes ASCII only" "１ (ASCII only)"
check_screen "the first line is kept" "[10.0.0.1 "
keys F2
check_screen "Save is blocked by that line" "Not saved: IP v4 Whitelist, line 2"
expect_eq "nothing is stored from the line that lost characters" \
    '["192.168.100.100"]' "$(pwhite)"
keys C-a C-k
check_screen "clearing line 2 clears the mark" \
    "IP v4 Whitelist is clear of the line that lost a character"
keys -l 10.0.0.2
keys F2
check_screen "the list saves without retyping line 1" \
    "Saved 1 field, version 4"
expect_eq "both entries are stored" '["10.0.0.1","10.0.0.2"]' "$(pwhite)"

# A wide character that reached the database by hand took two cells of
# its row in libform, which shifted every line after it: fixing the line
# lost the next one. Now each line stays a line, and fixing it fixes it.
keys Escape
wait_text "DOMAIN" >/dev/null
keys Escape
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET ipv4_whitelist =
    '10.0.0.1' || char(10) || '１０.0.0.2' || char(10) || '10.0.0.3'
    WHERE domain_address = 'portal.example.com'"
open_record portal.example.com
check_screen "the stored value is refused by its line" \
    "Whitelist, line 2: '１０.0.0.2' is not"
keys Tab Tab Tab Tab Tab Down Home Delete Delete
keys -l 10
keys F2
check_screen "the fixed list is saved" "Saved 1 field, version 5"
expect_eq "every line of it, the one after the fix too" \
    '["10.0.0.1","10.0.0.2","10.0.0.3"]' "$(pwhite)"
check "the console still runs" console_alive
