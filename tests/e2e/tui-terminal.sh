# tui-terminal.sh: the console and its terminal: the list's keys and
# help, reload, its columns at 80 and, with a long domain, at 120,
# NO_COLOR, monochrome and ASCII terminals, function keys a terminal
# description lacks (vt100's F5, PuTTY's F2), key bars and a help longer
# than the screen at 60x16, no read transaction held while idle, the
# terminal given back on SIGTERM, Ctrl-C, Ctrl-\ and a crash, flow
# control off while it runs and after Ctrl-Z and fg, and a terminal that
# cannot address the cursor refused.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }

console_pid() { pgrep -f "^$HYP -c $T/a.ini\$" | head -n 1; }

start_console 80 24
check_screen "the list shows every record" "3 instances"
check_screen "80 columns: the purpose shows whole" "unsecured-api"
check_screen "and the last transaction too" "LAST TRANS"
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
check_screen "End selects the last row" "${mark}portal.example.com"
keys Home Down
check_screen "Down moves the selection" "${mark}old.example.net"
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

# One long domain is cut; at 120 columns the others keep their place.
long=abcdefghijklmnopqrstuvwxyz-abcdefghijklmnopqrstuvwxyz.example.org
make_ini "$T/e.ini" longname "$long" api
"$HYP" -c "$T/e.ini" register >/dev/null 2>&1
start_console 120 30
check_screen "120 columns, a 65-character domain: it is cut" \
    "abcdefghijklmnopqrstuvwxyz-abcdef"
check "and not whole" wait_gone "$long"
check_screen "USER keeps its place" "USER"
check_screen "LAST TRANS keeps its place" "LAST TRANS"
"$HYP" -c "$T/e.ini" delete "$long" --yes >/dev/null 2>&1
start_console 80 24

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

# The key bars at 60x16 keep help and the function keys; the form's
# help there is longer than the screen: it scrolls.
start_console 60 16
check_screen "60x16: the list's key bar keeps ? Help" "? Help"
check_screen "and F5" "F5"
check_screen "and F8" "F8 Delete"
open_record api.example.com
check_screen "60x16: the form's key bar keeps F5" "F5"
check_screen "and F8" "F8 Delete"
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
check_screen "and an ASCII mark" ">api.example.com"

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

# Under a shell with job control, as an admin runs it: flow control off
# while it runs (Ctrl-S freezes nothing), Ctrl-Z and fg, then Ctrl-\
# ends it like Ctrl-C and gives the terminal back as it was.
tm kill-server 2>/dev/null
TS=hyptui$$job
at_exit "tmux -L $TS kill-server 2>/dev/null"
cat >"$T/job.sh" <<EOF
#!/bin/sh
trap true INT QUIT
cd "$T" || exit 1
env LANG=C.UTF-8 "$HYP" -c "$T/a.ini" 2>"$T/console.err"
rc=\$?
stty -a >"$T/stty.after"
echo "EXIT=\$rc"
EOF
chmod +x "$T/job.sh"
tm new-session -d -x 80 -y 24 "env PS1='$ ' bash --norc --noprofile -i"
wait_text '$'
keys -l "$T/job.sh"
keys Enter
wait_text "Web-API tokens"
tty=$(tm display -p '#{pane_tty}')
stty_has() { stty -a -F "$tty" | tr ' ;' '\n\n' | grep -qx -- "$1"; }
check "flow control is off while the console runs" stty_has -ixon
keys C-s '?'
check_screen "Ctrl-S freezes nothing: ? still shows the help" "Keys: list"
keys x
wait_gone "Keys: list"
keys C-z
stopped() { ps -o stat= -p "$(console_pid)" | grep -q '^T'; }
check "Ctrl-Z stops the console" wait_for stopped
expect_eq "Ctrl-Z leaves the alternate screen" 0 \
    "$(tm display -p '#{alternate_on}')"
check "the stopped console gave flow control back" stty_has ixon
keys fg Enter
check_screen "fg brings the list back" "Web-API tokens"
check "flow control is off again after fg" stty_has -ixon
keys '?'
check_screen "and the console takes keys again" "Keys: list"
keys x
wait_gone "Keys: list"
keys 'C-\'
check_screen "Ctrl-\\ ends the console with 131" "EXIT=131"
expect_eq "Ctrl-\\ leaves the alternate screen" 0 \
    "$(tm display -p '#{alternate_on}')"
for f in echo icanon ixon; do
	check "Ctrl-\\ gives back $f" grep -Eq "(^| )$f( |;|\$)" "$T/stty.after"
done

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
