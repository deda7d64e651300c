# tui-tokens.sh: tokens in the console: masked until shown, Regenerate
# (Cancel is the default), copying with OSC 52 through tmux with
# set-clipboard on, under a stock tmux (case 1) and through tmux's
# pass-through twenty times (case 2), each copy and each showing audited
# without the token.
. tests/e2e/lib.sh
. tests/e2e/tui-lib.inc

setup_records || { not_ok "records for the console" "CLI failed"; exit 1; }
listen webapi "OK version=7"
start_console 80 24
open_record api.example.com
keys PgDn PgDn Up Up Up
check_screen "the token rows are reached from the buttons" "Access Token"

acc=$(secret api.example.com .access_token)
reveals() {
	"$HYP" -c "$T/a.ini" history api.example.com --json |
	    jq -r '.[] | select(.action == "reveal") | .detail'
}
reveals >"$T/reveals0"	# show --reveal just wrote one
body=$(echo "$acc" | cut -c6-30)
if screen | tr -d ' \n' | grep -qF "$body"; then
	not_ok "tokens are masked on screen"
else
	ok "tokens are masked on screen"
fi
check_screen "a masked token shows its prefix and length" "hypa_"
check_screen "a masked token shows its length" "(120)"
keys v
wait_text "v show" >/dev/null
sleep 0.3
if screen | tr -d ' \n' | grep -qF "$acc"; then
	ok "v shows the whole access token"
else
	not_ok "v shows the whole access token"
fi
keys v
sleep 0.3
if screen | tr -d ' \n' | grep -qF "$body"; then
	not_ok "v again masks it"
else
	ok "v again masks it"
fi
# Showing is recorded as the CLI's show --reveal is: by fingerprint.
fa=$(json api.example.com .access_token_fingerprint)
reveals | grep -vxF -f "$T/reveals0" >"$T/reveals"
expect_eq "v writes one reveal row in the audit (hiding writes none)" 1 \
    "$(wc -l <"$T/reveals")"
check "the reveal row names the access token by its fingerprint" \
    grep -q "access_token.*$fa" "$T/reveals"
check "the reveal row never holds the token" \
    sh -c "! grep -qF '$body' '$T/reveals'"

# Regenerate: Enter alone cancels.
fa=$(json api.example.com .access_token_fingerprint)
fr=$(json api.example.com .refresh_token_fingerprint)
last=$(json api.example.com .last_token_refresh_utc)
keys F5
check_screen "Regenerate asks, naming the domain" \
    "Regenerate tokens for api.example.com"
keys Enter
check_screen "Enter alone answers Cancel" "Regenerate cancelled"
expect_eq "a cancelled regenerate changes nothing" "$fa" \
    "$(json api.example.com .access_token_fingerprint)"

keys v
wait_text "v hides it" >/dev/null
sleep 1
before=$(date -u +%s)
keys F5
wait_text "Regenerate tokens for" >/dev/null
keys Left Enter
check_screen "the status says when the old token stops" \
    "Regenerated; the old access token works until"
na=$(json api.example.com .access_token_fingerprint)
check "a new access token is in the row" [ -n "$na" -a "$na" != "$fa" ]
check "a new refresh token is in the row" \
    [ "$(json api.example.com .refresh_token_fingerprint)" != "$fr" ]
expect_eq "the old access token is in Prev" "$fa" \
    "$(json api.example.com .prev_access_token_fingerprint)"
nl=$(json api.example.com .last_token_refresh_utc)
check "Last Access Token Refresh moved" \
    [ "$(epoch "$nl")" -ge "$before" -a "$nl" != "$last" ]
check "Access Until is now + 1 h" \
    [ "$(epoch "$(json api.example.com .access_until_utc)")" -ge \
    $((before + 3600)) ]
expect_eq "a REFRESH naming the domain arrived" "REFRESH api.example.com" \
    "$(tail -n 1 "$T/webapi.got")"
check_screen "Prev shows how long its grace lasts" "grace ends in"
nbody=$(secret api.example.com .access_token | cut -c6-30)
if screen | tr -d ' \n' | grep -qF "$nbody"; then
	not_ok "a token shown before Regenerate: its successor is masked"
else
	ok "a token shown before Regenerate: its successor is masked"
fi

# Case 1: a stock tmux (set-clipboard external) takes nothing from us.
keys PgDn Up
keys c
check_screen "the copy names what was sent and through what" \
    "Refresh token (200 chars): sent 562 bytes, OSC 52 direct and via tmux"
check_screen "and what tmux must allow, never a bare copied" \
    "Arrives only with tmux set-clipboard on or allow-passthrough on"
check "a stock tmux did not take the token" \
    sh -c "! tmux -L $TS show-buffer >/dev/null 2>&1"

# With set-clipboard on, tmux takes the plain OSC 52.
tm set -g set-clipboard on
keys c
sleep 0.5
ref=$(secret api.example.com .refresh_token)
if [ "$(tm show-buffer 2>/dev/null)" = "$ref" ]; then
	ok "tmux show-buffer equals the refresh token"
else
	not_ok "tmux show-buffer equals the refresh token" \
	    "buffer length $(tm show-buffer 2>/dev/null | wc -c)"
fi
fp=$(json api.example.com .refresh_token_fingerprint)
"$HYP" -c "$T/a.ini" history api.example.com >"$T/history" 2>&1
check "each copy is audited with column and fingerprint" \
    grep -q "copy .*refresh_token fingerprint $fp" "$T/history"
check "the audit never holds the token" sh -c "! grep -qF '$ref' '$T/history'"

# Case 2: twenty copies through the pass-through, after the refresh.
tm set -g allow-passthrough on
keys C-r
wait_text "Reloaded api.example.com" >/dev/null
tm pipe-pane -O "cat >>'$T/raw'"
sleep 0.3
i=0
while [ $i -lt 20 ]; do
	keys c
	i=$((i + 1))
	sleep 0.1
done
sleep 0.5
tm pipe-pane
open_dcs=$(printf '\033Ptmux;\033\033]52;c;')
close=$(printf '\a\033')
dcs=$(grep -ao "$open_dcs[A-Za-z0-9+/=]*$close" "$T/raw" | wc -l)
expect_eq "20 copies give 20 pass-through writes, inner escapes doubled" \
    20 "$dcs"
plain=$(grep -ao "$(printf '\033]52;c;')[A-Za-z0-9+/=]*$(printf '\a')" \
    "$T/raw" | wc -l)
expect_eq "and 20 plain ones (40 with those inside the pass-through)" \
    40 "$plain"
first_status=$(grep -abo "sent 562 bytes" "$T/raw" | head -n 1 | cut -d: -f1)
first_dcs=$(grep -abo "$(printf '\033Ptmux;')" "$T/raw" | head -n 1 |
    cut -d: -f1)
check "the sequence follows the screen refresh that reports it" \
    [ -n "$first_status" -a -n "$first_dcs" -a \
    "${first_status:-0}" -lt "${first_dcs:-0}" ]
b64=$(printf '%s' "$ref" | base64 -w0)
check "the pass-through carries the token's base64 whole" \
    grep -qaF "$b64" "$T/raw"
check_screen "the screen is intact after twenty copies" "── Tokens "
check_screen "and the title too" "api.example.com"
check "the console still runs" console_alive
