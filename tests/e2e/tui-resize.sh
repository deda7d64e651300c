# tui-resize.sh: case 5. Resizing at start-up and while a question is
# open, between 80x24, 60x20 and 200x50 and below the minimum: no crash,
# the resize never answers, and what was typed is kept.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }

resize() { tm resize-window -x "$1" -y "$2"; sleep 0.3; }

# During start-up: the console is started by hand here, so that the
# resizes come while it sets itself up.
TS=hyptui$$start
at_exit "tmux -L $TS kill-server 2>/dev/null"
printf '#!/bin/sh\ncd "%s"; env LANG=C.UTF-8 "%s" -c "%s/a.ini"\n%s\n' \
    "$T" "$HYP" "$T" 'echo EXIT=$?; sleep 600' >"$T/start.sh"
chmod +x "$T/start.sh"
tm new-session -d -x 80 -y 24 "$T/start.sh"
for s in "60 20" "200 50" "40 10" "80 24"; do
	tm resize-window -x ${s% *} -y ${s#* } 2>/dev/null
	sleep 0.02
done
check_screen "resized during start-up, the list comes up" "api.example.com"
check "the console survived the start-up resizes" console_alive

# While the Delete question is open, with edits in the form.
open_record api.example.com
keys C-u 7
keys F8
wait_text "Delete api.example.com" >/dev/null
keys -l "api.exa"
check_screen "the question is open with a partial answer" "[api.exa "
for s in "60 20" "200 50" "40 10" "30 5" "80 24" "60 20" "200 50" "80 24"; do
	resize ${s% *} ${s#* }
	if [ ${s% *} -lt 60 ] || [ ${s#* } -lt 16 ]; then
		check_screen "at ${s% *}x${s#* } a notice replaces the screen" \
		    "60x16"
	else
		check_screen "at ${s% *}x${s#* } the question is still open" \
		    "Delete api.example.com"
		check_screen "at ${s% *}x${s#* } the typed answer is kept" \
		    "[api.exa"
	fi
	check "at ${s% *}x${s#* } the console runs" console_alive
done
check "no resize answered the question" \
    [ "$(json api.example.com .domain_address)" = api.example.com ]
keys Escape
check_screen "the question still answers keys after the resizes" \
    "Delete cancelled"
check_screen "the edit in the form is kept" "[7 "
check_screen "and the form still says so" "modified"

# The unsaved-edits question, resized, still takes Cancel by default.
keys Escape
wait_text "Unsaved changes" >/dev/null
resize 60 20
resize 200 50
check_screen "a tall terminal shows the form whole" "[ Back ]"
keys Enter
check_screen "Enter after resizes is Cancel: the form stays" "Token policy"
check "the hours were not saved by a resize" \
    [ "$(json api.example.com .token_life_hours)" = 1 ]
resize 60 20
check_screen "the 60x20 form keeps the typed value" "[7 "
keys F2
check_screen "a save at 60x20 works" "Saved"
expect_eq "and stores the value typed at 80x24" 7 \
    "$(json api.example.com .token_life_hours)"
check "the console still runs" console_alive
