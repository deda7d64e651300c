# tui-delete.sh: Delete from the form and from the list: it asks, wakes
# up only once the domain is typed, Cancel is the default; then the row
# is gone and a PURGE reached the instance. Regenerate from the list.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }
listen legacy "OK purged"
listen portal "OK version=3"
start_console 80 24
open_record old.example.net

keys F8
check_screen "Delete asks, naming the domain" "Delete old.example.net"
check_screen "Delete stays off until the domain is typed" "( Delete )"
keys Enter
check_screen "Enter on an empty entry answers nothing" \
    "Type old.example.net exactly"
keys -l "old.example"
keys Enter
check "a partial name does not delete" \
    [ "$(json old.example.net .domain_address)" = old.example.net ]
keys Escape
check_screen "Esc cancels" "Delete cancelled; nothing changed."
check "a cancelled delete leaves the row" \
    [ "$(json old.example.net .domain_address)" = old.example.net ]

keys C-u 3
keys F8
wait_text "Delete old.example.net" >/dev/null
keys -l "old.example.net"
keys Enter
check_screen "the typed domain wakes Delete up" "[>Delete<]"
keys Enter
check_screen "deleting goes back to the list and says so" \
    "Deleted old.example.net. The instance dropped it from memory"
check "the row is gone" sh -c "! '$HYP' -c '$T/a.ini' show old.example.net \
    >/dev/null 2>&1"
expect_eq "a PURGE naming the domain arrived" "PURGE old.example.net" \
    "$(tail -n 1 "$T/legacy.got")"
check_screen "the list shows the two left" "of 2 shown"

# From the list: F8 and F5 act on the selected row.
keys Escape Home Down
keys F8
check_screen "F8 in the list asks for the selected domain" \
    "Delete portal.example.com"
keys Escape
fa=$(json portal.example.com .access_token_fingerprint)
keys F5
check_screen "F5 in the list asks to regenerate the selected record" \
    "Regenerate tokens for portal.example.com"
keys Left Enter
check_screen "and regenerates on Regenerate" "Regenerated;"
check "the list's regenerate made new tokens" \
    [ "$(json portal.example.com .access_token_fingerprint)" != "$fa" ]
expect_eq "and signalled the instance" "REFRESH portal.example.com" \
    "$(tail -n 1 "$T/portal.got")"
check "the console still runs" console_alive
