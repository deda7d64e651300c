# cli.sh: the scripting commands end to end, on a real database file, with
# a socat listener standing in for the daemon's control socket.
. tests/e2e/lib.sh

ini=$T/a.ini
make_ini "$ini" webapi api.example.com api
h() { "$HYP" -c "$ini" "$@"; }

# init makes the database and key file private whatever the umask.
(umask 000; h init >"$T/init.out" 2>&1)
check "init succeeds" [ $? -eq 0 ]
expect_eq "database is mode 0600" "600" "$(stat -c %a "$T/tokens.db")"
expect_eq "key file is mode 0600" "600" "$(stat -c %a "$T/tokens.key")"

h register >"$T/reg.out" 2>&1
expect_eq "register creates the record" \
    "registered api.example.com (user webapi, purpose api)" \
    "$(cat "$T/reg.out")"
h register >"$T/reg.out" 2>&1
expect_eq "register again updates it" \
    "updated api.example.com (user webapi, purpose api)" \
    "$(cat "$T/reg.out")"

j() { h show api.example.com --json | jq -r "$1"; }
expect_eq "a new record has hours 1" "1" "$(j .token_life_hours)"
expect_eq "a new record rotates refresh tokens" "rotate" \
    "$(j .refresh_token_mode)"
expect_eq "tokens are hidden without --reveal" "null" "$(j .access_token)"
acc=$(h show api.example.com --json --reveal | jq -r .access_token)
ref=$(h show api.example.com --json --reveal | jq -r .refresh_token)
expect_eq "access token has 120 characters" 120 "${#acc}"
expect_eq "refresh token has 200 characters" 200 "${#ref}"

# A listener records what the console side sends to the daemon's socket.
sock=$T/webapi.sock
listen() {
	rm -f "$sock" "$T/got"
	socat -u UNIX-LISTEN:"$sock",fork OPEN:"$T/got",creat,append &
	lpid=$!
	wait_for test -S "$sock"
}
unlisten() { kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null; }
at_exit 'kill $lpid 2>/dev/null'

listen
before=$(date -u +%s)
h set api.example.com token_life_hours=24 >"$T/set.out" 2>&1
rc=$?
after=$(date -u +%s)
unlisten
expect_eq "set hours exits 0" 0 "$rc"
expect_eq "set hours stores 24" 24 "$(j .token_life_hours)"
until_s=$(date -u -d "$(j .access_until_utc)" +%s)
check "changing hours moves Access Until to now + 24 h" \
    [ "$until_s" -ge $((before + 86400)) -a "$until_s" -le $((after + 86400)) ]
expect_eq "set sends REFRESH naming the domain" \
    "REFRESH api.example.com" "$(head -n 1 "$T/got")"

h set api.example.com token_life_hours=0 >"$T/out" 2>&1
expect_eq "hours 0 is refused with status 1" 1 $?
check "the refusal names field, value and range" \
    grep -q "Generated Token Life in Hours.*'0'.*1 to 8760" "$T/out"
expect_eq "nothing stored after a refusal" 24 "$(j .token_life_hours)"
h set api.example.com token_life_hours=8761 >/dev/null 2>&1
expect_eq "hours 8761 is refused" 1 $?
h set api.example.com token_life_hours=8760 >/dev/null 2>&1
expect_eq "hours 8760 is taken" 8760 "$(j .token_life_hours)"

h set api.example.com max_threads=9 >"$T/out" 2>&1
expect_eq "a read-only field is refused with status 1" 1 $?
h set api.example.com colour=blue >"$T/out" 2>&1
expect_eq "an unknown field is a usage error" 2 $?
h set api.example.com >/dev/null 2>&1
expect_eq "set without a field is a usage error" 2 $?

h set api.example.com "ipv4_whitelist=127.0.0.1, 192.168.1.10 ,	10.0.0.0/8,," \
    >/dev/null 2>&1
expect_eq "whitelist with stray spaces and empty entries keeps three" \
    '["127.0.0.1","192.168.1.10","10.0.0.0/8"]' \
    "$(h show api.example.com --json | jq -c .ipv4_whitelist)"
h set api.example.com ipv4_whitelist=010.0.0.1 >"$T/out" 2>&1
expect_eq "whitelist entry 010.0.0.1 is refused" 1 $?
check "the whitelist refusal names the entry" grep -q "010.0.0.1" "$T/out"
expect_eq "a refused whitelist leaves the stored one" 3 \
    "$(h show api.example.com --json | jq '.ipv4_whitelist | length')"

for tz in UTC America/New_York Asia/Kolkata; do
	TZ=$tz h set api.example.com access_until_utc=2025-07-01T12:00:00Z \
	    >/dev/null 2>&1
	expect_eq "ISO time is UTC under TZ=$tz" "2025-07-01 12:00:00" \
	    "$(TZ=$tz j .access_until_utc)"
	h set api.example.com "access_until_utc=2026-01-01 00:00:00" \
	    >/dev/null 2>&1
done

h set api.example.com max_posts_per_ip_per_minute=50 >/dev/null 2>&1
expect_eq "posts per minute stored" 50 "$(j .max_posts_per_ip_per_minute)"
h set api.example.com max_posts_per_ip_per_minute= >/dev/null 2>&1
expect_eq "an empty value clears posts per minute" null \
    "$(j .max_posts_per_ip_per_minute)"
h set api.example.com max_posts_per_ip_per_minute=100001 >/dev/null 2>&1
expect_eq "posts 100001 is refused" 1 $?

listen
h regenerate api.example.com >"$T/out" 2>&1
expect_eq "regenerate exits 0" 0 $?
unlisten
prev=$(h show api.example.com --json --reveal | jq -r .prev_access_token)
acc2=$(h show api.example.com --json --reveal | jq -r .access_token)
check "regenerate keeps the old access token as previous" \
    [ "$prev" = "$acc" ]
check "regenerate mints a new access token" [ "$acc2" != "$acc" ]
expect_eq "regenerate sends REFRESH" "REFRESH api.example.com" \
    "$(head -n 1 "$T/got")"

# The daemon's absence is reported, not an error.
h set api.example.com session_timeout_minutes=45 >"$T/out" 2>&1
expect_eq "set with no daemon still exits 0" 0 $?
check "set with no daemon says it did not answer" \
    grep -q "did not answer" "$T/out"

# A second instance may not claim a taken domain.
make_ini "$T/b.ini" other api.example.com api
"$HYP" -c "$T/b.ini" register >"$T/out" 2>&1
expect_eq "a taken domain is refused" 1 $?
check "the refusal names the holder" grep -q "webapi" "$T/out"

# Strict configuration: exit 78 with one line naming the place.
for bad in "max_threads = 010" "max_threads = 0" "max_tenants = 180abc"; do
	sed "s/^max_threads = .*//; s/^max_tenants = .*//" "$ini" |
	    sed "s/^\[webapp\]$/[webapp]\n$bad/" > "$T/bad.ini"
	"$HYP" -c "$T/bad.ini" list >"$T/out" 2>&1
	expect_eq "config '$bad' exits 78" 78 $?
	key=${bad%% *}
	check "config '$bad' names file, section, key and value" \
	    grep -q "bad.ini: \[webapp\] $key = '${bad#* = }'" "$T/out"
done

# copy writes OSC 52 to the terminal; tmux with set-clipboard on takes it.
cur=$(h show api.example.com --json --reveal | jq -r .refresh_token)
tm="tmux -L hypcli$$ -f /dev/null"
at_exit "$tm kill-server 2>/dev/null"
$tm new-session -d -x 120 -y 10 "sleep 60"
$tm set -g set-clipboard on
$tm new-window "sh -c '$HYP -c $ini copy api.example.com refresh > $T/copy.out 2>&1; echo \$? > $T/copy.rc; sleep 30'"
wait_for test -s "$T/copy.rc"
expect_eq "copy exits 0 in a terminal" 0 "$(cat "$T/copy.rc")"
check "the clipboard holds the refresh token" \
    [ "$($tm show-buffer 2>/dev/null)" = "$cur" ]
check "copy says what was sent and what tmux must allow" \
    grep -q "sent [0-9]* bytes.*set-clipboard on" "$T/copy.out"
$tm kill-server 2>/dev/null
h copy api.example.com </dev/null >"$T/out" 2>&1 &
wait $!
h history api.example.com --json | jq -r '.[].action' > "$T/actions"
check "a copy is audited" grep -qx copy "$T/actions"

# Scripts get JSON from the changing commands too.
h set api.example.com session_timeout_minutes=30 --json > "$T/set.json"
expect_eq "set --json is JSON naming the change" 30 \
    "$(jq -r '.changed.session_timeout_minutes.to' "$T/set.json")"
h regenerate api.example.com --json > "$T/regen.json"
expect_eq "regenerate --json is JSON" api.example.com \
    "$(jq -r .domain_address "$T/regen.json")"
expect_eq "regenerate --json says the instance did not answer" false \
    "$(jq -r .instance.answered "$T/regen.json")"
expect_eq "regenerate --json holds no token without --reveal" null \
    "$(jq -r .access_token "$T/regen.json")"
h show api.example.com --reveal >/dev/null
check "revealing tokens is audited" \
    sh -c "'$HYP' -c '$ini' history api.example.com --json |
    jq -r '.[].action' | grep -qx reveal"

# A reader is not held up by another program writing.
(echo 'BEGIN IMMEDIATE; UPDATE hyp_meta SET value = value;'; sleep 4;
    echo 'COMMIT;') | sqlite3 "$T/tokens.db" &
wpid=$!
sleep 0.5
a=$(date +%s%N)
h list >/dev/null 2>&1
rc=$?
b=$(date +%s%N)
wait $wpid
expect_eq "list works while another program holds the write lock" 0 "$rc"
check "and does not wait for it" [ $(((b - a) / 1000000)) -lt 2000 ]

# Database text never drives the admin's terminal.
esc=$(printf '\033')
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET blocked_functions =
    'x' || char(27) || ']52;c;aGVsbG8=' || char(7) || char(194, 155) || '2J';
    INSERT INTO hyp_audit (at_utc, actor, domain_address, action, detail)
    VALUES (1, 'ev' || char(27) || '[2Jil', 'api.example.com', 'save',
    'x' || char(155) || 'y');"
h show api.example.com > "$T/show.txt" 2>&1
h list > "$T/list.txt" 2>&1
h history > "$T/hist.txt" 2>&1
check "show, list and history write no control characters" \
    sh -c "! grep -q '[$esc$(printf '\007')]' '$T/show.txt' '$T/list.txt' '$T/hist.txt' &&
    ! grep -qP '\xc2[\x80-\x9f]' '$T/show.txt' '$T/hist.txt'"

# A hand-edited record is shown as broken, with the reason.
sqlite3 "$T/tokens.db" "UPDATE hyp_web_api_tokens SET ipv4_whitelist =
    '010.0.0.1', blocked_functions = ''"
check "list marks a hand-edited record INVALID" \
    sh -c "'$HYP' -c '$ini' list | grep api.example.com | grep -q INVALID"
check "show --json says why" \
    sh -c "'$HYP' -c '$ini' show api.example.com --json |
    jq -r .invalid | grep -q 010.0.0.1"
check "show says its daemon refuses every request" \
    sh -c "'$HYP' -c '$ini' show api.example.com | grep -q 'INVALID: .*010.0.0.1'"
h set api.example.com ipv4_whitelist= >/dev/null 2>&1
expect_eq "set mends it" null \
    "$(h show api.example.com --json | jq -r .invalid)"

h --help >/dev/null 2>&1
expect_eq "--help exits 0" 0 $?
expect_eq "--version names the program" hyptokens \
    "$(h --version | cut -d' ' -f1)"

h delete api.example.com >/dev/null 2>&1
expect_eq "delete without --yes is a usage error" 2 $?
listen
h delete api.example.com --yes >/dev/null 2>&1
expect_eq "delete --yes exits 0" 0 $?
unlisten
expect_eq "delete sends PURGE" "PURGE api.example.com" \
    "$(head -n 1 "$T/got")"
h show api.example.com >/dev/null 2>&1
expect_eq "a deleted record is gone" 1 $?

h history --json > "$T/hist.json"
check "history records the admin actions" \
    [ "$(jq length "$T/hist.json")" -ge 6 ]

# Secrets: no token in any output, the audit or the database file.
leak=0
for tok in "$acc" "$ref" "$acc2" "$prev"; do
	piece=$(printf %s "$tok" | cut -c 20-35)
	if grep -rqa -- "$piece" "$T"/*.out "$T"/out "$T/hist.json" \
	    "$T/tokens.db" 2>/dev/null; then
		leak=1
	fi
done
expect_eq "no piece of a token in outputs, audit or database" 0 $leak

# Keys: a missing or wrong key file stops the program with status 78.
h register >/dev/null 2>&1
mv "$T/tokens.key" "$T/tokens.key.saved"
h list >"$T/out" 2>&1
expect_eq "a missing key file exits 78" 78 $?
check "the missing key is named" grep -q "tokens.key" "$T/out"
check "no new key file is made over old data" [ ! -e "$T/tokens.key" ]
head -c 32 /dev/urandom | base64 > "$T/tokens.key"
chmod 600 "$T/tokens.key"
h list >"$T/out" 2>&1
expect_eq "a wrong key file exits 78" 78 $?
mv "$T/tokens.key.saved" "$T/tokens.key"
h list >/dev/null 2>&1
expect_eq "the right key file works again" 0 $?

# A token given by mistake where a domain, a field or a value belongs is
# never echoed back: the message reads "[token not shown]" in its place.
acc=$(h show api.example.com --json --reveal | jq -r .access_token)
ref=$(h show api.example.com --json --reveal | jq -r .refresh_token)
i=0
for args in "show $acc" "set $acc token_life_hours=2" \
    "set api.example.com $acc" "set api.example.com x$ref=1" \
    "set api.example.com access_until_utc=$acc" \
    "set api.example.com blocked_functions=$ref" "delete $ref" \
    "list --x$acc" "$ref"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	h $args >"$T/mis.$i" 2>&1
	check "a mistaken token is refused ($i)" [ $? -ne 0 ]
done
check "and the refusal says a token is not shown" \
    [ "$(cat "$T"/mis.* | grep -c "\[token not shown\]")" -ge 9 ]
leak=0
for tok in "$acc" "$ref"; do
	for from in 6 40 100; do
		piece=$(printf %s "$tok" | cut -c "$from-$((from + 15))")
		grep -qa -- "$piece" "$T"/mis.* && leak=1
	done
done
expect_eq "no 16-character piece of either token in those messages" 0 $leak

# Wrong usage says what was wrong before the usage line, and exits 2.
h list extra >"$T/use.out" 2>&1
expect_eq "an extra argument is a usage error" 2 $?
expect_eq "and is named" "hyptokens: list: unexpected argument 'extra'" \
    "$(head -n 1 "$T/use.out")"
h show >"$T/use.out" 2>&1
expect_eq "a missing argument is a usage error" 2 $?
check "and is said to be missing" grep -q "^hyptokens: show: .*missing" \
    "$T/use.out"
check "the usage line follows" grep -q "^usage: hyptokens show DOMAIN" \
    "$T/use.out"
