# tui-paste.sh: what is pasted into the console. It asks the terminal
# to bracket each paste (mode 2004) and takes it whole into the field it
# started in: a tab in it is a blank, a line break a new line of a list
# and never a move to the next field; a paste that the field would not
# take if typed is refused whole, with the reason; nothing in a paste acts
# as a key. The mode is off again while the console is stopped and once
# it has left.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }
white() { json api.example.com '.ipv4_whitelist | tostring'; }
# paste [-r] TEXT: as the terminal pastes; tmux brackets it (-p) when the
# console asked for it, and sends each LF as CR unless -r
paste() {
	_r=
	[ "$1" = -r ] && { _r=-r; shift; }
	printf '%b' "$1" | tm load-buffer -
	tm paste-buffer -p $_r
}
# modes: the bracketed paste switches the console wrote, in order
modes() { grep -ao '?2004[hl]' "$T/out.raw" | tr '\n' ' '; }

start_console 80 24
tm pipe-pane -O "cat >>'$T/out.raw'"
open_record api.example.com

# The newcomer's paste: the tab moved to Enabled Modules, and 192.0.2.10
# went there.
keys Tab Tab Tab Tab Tab
paste '10.0.0.0/8\r\n\t192.0.2.10\r\n'
check_screen "the paste stays in the field it started in" \
    "▸ IP v4 Whitelist"
keys F2
check_screen "and is saved" "Saved 1 field, version 2"
expect_eq "both addresses are in the whitelist" \
    '["10.0.0.0/8","192.0.2.10"]' "$(white)"
expect_eq "and nothing went into Enabled Modules" "[]" \
    "$(json api.example.com '.enabled_modules | tostring')"

# CR LF as the clipboard holds it (no LF made CR) is one line break.
keys C-u
paste -r '10.0.0.1\r\n10.0.0.2\r\n'
keys F2
check_screen "CR LF pasted is one new line" "Saved 1 field, version 3"
expect_eq "each line an entry" '["10.0.0.1","10.0.0.2"]' "$(white)"

# A paste holding what the field would refuse if typed goes in not at
# all: a full-width digit, a Ctrl-O (which as a key saves), a line wider
# than the screen has room for.
paste '10.0.0.3\n１０.0.0.4\n'
check_screen "a non-ASCII paste is refused whole, by its line" \
    "does not take １ (ASCII only), on line 2 of the"
paste '10.0.0.3\017'
check_screen "a pasted control character is refused, not a key" \
    "Not pasted: IP v4 Whitelist does not take U+000F"
paste '10.0.0.3 # the backup server in the second rack of the east room'
check_screen "a pasted line too wide for the screen is refused" \
    "Not pasted: line 1 of the paste makes a line of more than 49"
keys F2
check_screen "none of those went in" "Nothing to save"
expect_eq "the whitelist is as saved" '["10.0.0.1","10.0.0.2"]' "$(white)"

# One-line fields: a line break at the end is dropped, the focus stays,
# and what is pasted is checked as typed text is.
keys Escape
wait_text "DOMAIN" >/dev/null
keys Escape
open_record api.example.com
keys C-u
paste '12\n'
check_screen "a trailing line break does not leave a one-line field" \
    "▸ Generated Token Life (h) [12 "
paste '3\n4'
check_screen "two lines do not go into a one-line field" \
    "Not pasted: Generated Token Life in Hours takes one line"
paste '１'
check_screen "a full-width digit is refused as typed" \
    "Not pasted: Generated Token Life in Hours does not take １"
keys C-u
paste '1\t2'
keys Tab
check_screen "a pasted tab is a blank, refused in the hours as typed" \
    "Refused: Generated Token Life in Hours"
keys BTab C-u
keys -l 1
keys Escape
wait_text "DOMAIN" >/dev/null

# On the list and in a question a paste is text, never keys: a pasted
# line break does not answer the question.
keys Escape
paste 'q'
check "a pasted q does not quit" console_alive
keys F8
wait_text "Delete api.example.com" >/dev/null
paste 'api.example.com\r'
check_screen "the name pasted into the question is taken" \
    "[api.example.com "
check_screen "and wakes the Delete button up" "[ Delete ]"
check_screen "and the pasted line break did not press Delete" \
    "Delete api.example.com"
keys Escape
check_screen "Esc still cancels" "Delete cancelled"
expect_eq "the record is still there" "api.example.com" \
    "$(json api.example.com .domain_address)"

# Off for the shell while stopped (Ctrl-Z), on again when resumed, off
# once the console has left.
pid=$(pgrep -P "$(tm display -p '#{pane_pid}')")
: >"$T/out.raw"
kill -TSTP "$pid"
sleep 0.3
kill -CONT "$pid"
wait_for sh -c "grep -aq '?2004h' '$T/out.raw'"
expect_eq "stopped: off, then on again once resumed" "?2004l ?2004h " \
    "$(modes)"
keys q
wait_text "EXIT=0" >/dev/null
expect_eq "off once the console has left" "?2004l" \
    "$(modes | awk '{ print $NF }')"
