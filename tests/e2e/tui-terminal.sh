# tui-terminal.sh: the console and its terminal: the list's keys and
# help, reload, NO_COLOR, monochrome and ASCII terminals, function keys
# a terminal description lacks (vt100's F5, PuTTY's F2), a help longer
# than a 60x16 screen, no read transaction held while idle, the terminal
# given back on SIGTERM, Ctrl-C and a crash, and a terminal that cannot
# address the cursor refused.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }

console_pid() { pgrep -f "^$HYP -c $T/a.ini\$" | head -n 1; }

start_console 80 24
check_screen "the list shows every record" "3 instances"
check_screen "a record that never ran says never" "never"
keys '?'
check_screen "? lists the keys" "Keys: list"
check_screen "the help explains the words" "the daemon never ran"
keys x
check "any key closes the help" wait_gone "Keys: list"
keys F1
check_screen "F1 lists the keys too" "Keys: list"
keys Escape
keys End
mark=$(printf '\342\226\270')
check_screen "End selects the last row" "$mark portal.example.com"
keys Home Down
check_screen "Down moves the selection" "$mark old.example.net"
keys Enter
check_screen "Enter opens the selected record" \
    "Domain Address            old.example.net"
keys PgDn PgDn '?'
check_screen "? in the form outside a field lists the form's keys" \
    "Keys: record form"
keys Escape Escape
check_screen "Esc goes back to the list" "3 instances"

make_ini "$T/d.ini" extra extra.example.org api
"$HYP" -c "$T/d.ini" register >/dev/null 2>&1
keys r
check_screen "r reloads the records from the database" "4 instances"
check_screen "r says so" "Reloaded: 4 records."
check_screen "the new record shows" "extra.example.org"

# Idle on the list after opening a form: no read transaction is held,
# so a checkpoint can empty the WAL.
sleep 1
expect_eq "the idle console holds no read transaction" "0|0|0" \
    "$(sqlite3 "$T/tokens.db" 'PRAGMA wal_checkpoint(TRUNCATE);')"

# Colour only when NO_COLOR is not set; attributes always.
tm capture-pane -p -e >"$T/colour"
esc=$(printf '\033')
check "colour is used by default" grep -q "$esc\[3[0-7]m" "$T/colour"
start_console 80 24 NO_COLOR=1
tm capture-pane -p -e >"$T/nocolour"
check "NO_COLOR: no colour at all" \
    sh -c "! grep -Eq '$esc\[([0-9;]*;)?(3[0-7]|9[0-7]|38;)' $T/nocolour"
check "NO_COLOR: the selection still stands out (reverse)" \
    grep -q "$(printf '\033')\[7m" "$T/nocolour"
check_screen "NO_COLOR: states keep their words" "unsecured"

start_console 80 24 TERM=vt100
check_screen "a monochrome terminal shows the list" "old.example.net"
check_screen "and the words" "never"
open_record api.example.com
check_screen "and the form, brackets marking what is editable" \
    "Generated Token Life (h) [1 "
# tmux sends ESC [ 15 ~ for F5, which vt100's description lacks
keys F5
check_screen "vt100: F5 is still F5" "Regenerate tokens for api.example.com"
keys Escape
keys C-u 4
keys -l "$(printf '\033[12~')"
check_screen "PuTTY's F2 (ESC [ 12 ~) saves" "Saved 2 fields"
expect_eq "and what it saved is stored" 4 \
    "$(json api.example.com .token_life_hours)"
keys Escape

# The form's help at 60x16 is longer than the screen: it scrolls.
start_console 60 16
open_record api.example.com
keys F1
check_screen "60x16: the help says it has more lines" "lines 1-"
check "and the last ones do not show yet" wait_gone "not taken"
keys End
check_screen "End shows the last of it" "not taken"
keys PgUp PgUp PgUp PgUp
check_screen "PgUp goes back to the first" "save the changed fields"
keys x
check "another key closes it" wait_gone "Keys: record form"
keys Escape

start_console 80 24 LANG=C LC_ALL=C
check_screen "an ASCII terminal gets ASCII rules" "-------------------"
check_screen "and an ASCII mark" "> api.example.com"

# SIGTERM, Ctrl-C and a crash give the terminal back.
start_console 80 24
open_record api.example.com
kill -TERM "$(console_pid)"
check_screen "SIGTERM ends the console with 143" "EXIT=143"
expect_eq "SIGTERM leaves the alternate screen" 0 \
    "$(tm display -p '#{alternate_on}')"
expect_eq "SIGTERM shows the cursor again" 1 "$(tm display -p '#{cursor_flag}')"

start_console 80 24
keys C-c
check_screen "Ctrl-C ends the console with 130" "EXIT=130"
expect_eq "Ctrl-C leaves the alternate screen" 0 \
    "$(tm display -p '#{alternate_on}')"

start_console 80 24
kill -SEGV "$(console_pid)"
check_screen "a crash still ends with its signal" "EXIT=139"
expect_eq "a crash leaves the alternate screen" 0 \
    "$(tm display -p '#{alternate_on}')"

"$HYP" -c "$T/a.ini" </dev/null >"$T/notty.out" 2>"$T/notty.err"
expect_eq "without a terminal the console exits 1" 1 $?
check "and says to use a subcommand" grep -q "subcommand" "$T/notty.err"

# A terminal that cannot address the cursor: refused, not a blank screen.
tm kill-server 2>/dev/null
TS=hyptui$$dumb
at_exit "tmux -L $TS kill-server 2>/dev/null"
printf '#!/bin/sh\ncd "%s"; env TERM=dumb "%s" -c "%s/a.ini"\n%s\n' \
    "$T" "$HYP" "$T" 'echo EXIT=$?; sleep 600' >"$T/dumb.sh"
chmod +x "$T/dumb.sh"
tm new-session -d -x 80 -y 24 "$T/dumb.sh"
check_screen "TERM=dumb: the console exits 1" "EXIT=1"
check_screen "and says why" "cannot move the cursor"
