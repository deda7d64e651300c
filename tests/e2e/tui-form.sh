# tui-form.sh: the console's form end to end: the value under the cursor
# is saved (case 4), Access Until follows the hours, a refused whitelist
# stores nothing, a valid one is stored trimmed, ASCII-only fields refuse
# other characters while the filter takes them (case 3, and more of it
# in tui-input.sh), a warning names its field once and goes when the
# value is right, leaving with edits asks first (Save, Discard, Stay).
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }
listen webapi "OK version=42"
start_console 80 24
check "the console starts on the list" wait_text "api.example.com"
check_screen "the list marks the unsecured purpose in a word" "unsecured"

# Case 4: change the hours and save with the cursor still in the field.
open_record api.example.com
keys C-u 24
check_screen "Access Until follows the hours at once" "(now + hours)"
before=$(date -u +%s)
keys F2
check_screen "the status says saved and applied, with the version" \
    "applied policy version 42 in"
after=$(date -u +%s)
expect_eq "the hours under the cursor are stored" 24 \
    "$(json api.example.com .token_life_hours)"
until_s=$(epoch "$(json api.example.com .access_until_utc)")
check "Access Until moved to now + 24 h" \
    [ "$until_s" -ge $((before + 86400 - 2)) -a \
    "$until_s" -le $((after + 86400 + 2)) ]
expect_eq "a REFRESH naming the domain arrived" "REFRESH api.example.com" \
    "$(tail -n 1 "$T/webapi.got")"

# A refused value: on screen, nothing stored, the save blocked.
keys Tab Tab Tab Tab Tab
keys -l "010.0.0.1"
keys Tab
check_screen "a leading zero is refused beside the field" \
    "refused: line 1: '010.0.0.1'"
check_screen "the status line gives the whole reason" "has a leading zero"
n=$(wc -l <"$T/webapi.got")
keys F2
check_screen "Save is refused while a field is" "Not saved: IP v4 Whitelist"
expect_eq "nothing is stored for a refused whitelist" "[]" \
    "$(json api.example.com '.ipv4_whitelist | tostring')"
expect_eq "nothing is signalled for a refused save" "$n" \
    "$(wc -l <"$T/webapi.got")"

# The refused field has the focus: replace it with a valid, untidy list.
keys C-u
keys -l "  10.0.0.0/8 "
keys Enter Enter
keys -l " 192.0.2.10  "
keys F2
check_screen "the list is saved" "Saved 1 field"
expect_eq "the whitelist is stored trimmed, blank lines dropped" \
    '["10.0.0.0/8","192.0.2.10"]' \
    "$(json api.example.com '.ipv4_whitelist | tostring')"
check_screen "the form shows the stored list" "[192.0.2.10 "

# Case 3: ASCII-only fields refuse other characters, whole; the field
# that lost one blocks the save until it is cleared (tui-input.sh).
keys BTab BTab BTab BTab BTab
keys -l "€"
check_screen "an ASCII-only field refuses € with a message" \
    "here: € (ASCII only)"
keys F2
check_screen "and nothing of it is saved" \
    "Not saved: Generated Token Life in Hours: a character"
expect_eq "the hours are untouched" 24 \
    "$(json api.example.com .token_life_hours)"

# A warning names its field once, and goes once the value is right.
# (The screen as one line: the status line wraps its words.)
shown() { screen | tr -d '\n' | grep -qF -- "$1"; }
hidden() { ! shown "$1"; }
keys C-u 24 Tab C-u
keys -l "2020-01-01 00:00:00"
keys Tab
check_screen "a time in the past is taken with a warning" \
    "Access Until UTC: warning: not in the future (2020-01-01 00:00:00)"
check_screen "the hint beside it at 80 columns says what is wrong" \
    "[2020-01-01 00:00:00 ] warning: not in the future"
keys BTab C-u
keys -l "+90m"
keys Tab
check "a valid time takes that warning back" \
    wait_for hidden "not in the future"
check_screen "and says the field is accepted" \
    "Access Until UTC is accepted now"
keys Tab C-u
keys -l 501
keys Tab
check "more than 500 posts a minute warns" wait_for shown "is above 500"
expect_eq "the warning names its field once" 1 \
    "$(screen | tr -d '\n' | grep -o 'Max Posts per IP per Minute' | wc -l)"
keys BTab C-u Tab
check "an empty value takes that warning back" \
    wait_for hidden "is above 500"
keys BTab BTab BTab BTab

# Leaving with unsaved edits asks; Stay (the default) stays.
keys C-u 5 Escape
check_screen "leaving with edits asks first" \
    "Unsaved changes to api.example.com"
check_screen "it asks to save, discard or stay" "or stay?"
check_screen "and its button says Stay, as its words do" "Stay"
check "no button says Cancel" wait_gone "Cancel"
keys Enter
check_screen "Stay is the default: the form stays" "Generated Token Life"
check "the edit is still on screen" wait_text "[5 "
keys Escape Left Enter
check_screen "Discard goes back to the list" "DOMAIN"
expect_eq "discarded edits are not stored" 24 \
    "$(json api.example.com .token_life_hours)"

# The filter is free text: wide characters stay whole.
keys Escape
check_screen "Esc clears the filter" "3 instances"
keys /
keys -l "Zürich-API"
check_screen "the filter shows Zürich-API as typed" "Filter: Zürich-API"
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
check_screen "backspace removes whole characters" "3 of 3 shown"
keys Escape
keys q
check_screen "q quits with status 0" "EXIT=0"
