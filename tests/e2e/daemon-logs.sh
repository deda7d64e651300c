#!/bin/sh
# daemon-logs.sh: what the daemon's log lines may hold (issue 4, STYLE
# B.7, fixes of a security review). At debug level: the original method
# is shown only when it is a known method name, else as "other"; a
# function name by a short prefix (24 bytes) at most, and never when it
# holds a token prefix in any case; a SIGHUP with a bad catalogue says
# the catalogues were kept, and never that they were reloaded.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

P=$(d_port)
d_ini "$T/l.ini" l api "$P" 2
# A private copy of the catalogues, to break one by hand below.
cp -r "$TOP/share" "$T/share"
sed -i "s|^share_dir = .*|share_dir = $T/share|" "$T/l.ini"
d_start l "$T/l.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=l.example.com
L="$T/l.log"
TOK=$(d_token "$T/l.ini" $D access_token)

# Refusals (no token: 401) are logged at debug level with the method.
m=0
for meth in GET DELETE "BREW" "get" "GETSECRETMETHODNAME" \
    "hypa_Methodfragment0123" "GET /api/x HTTP/1.1"; do
	m=$((m + 1))
	d_auth "$P" /api/fn$m -H "X-Original-Method: $meth" >/dev/null
done
check "a known method is logged as sent" \
    grep -q "refused (bearer) client 127.0.0.1 DELETE fn2:" "$L"
for n in 3 4 5 6 7; do
	check "an unknown method is logged as other (fn$n)" \
	    grep -q "refused (bearer) client 127.0.0.1 other fn$n:" "$L"
done
for bad in BREW SECRETMETHOD Methodfragment "HTTP/1.1"; do
	check "no trace of the method '$bad' in the log" \
	    sh -c "! grep -qF '$bad' '$L'"
done

# Function names: a short prefix at most, nothing token-like.
NAME=Abcdefghijklmnopqrstuvwx0123456789TAIL
d_auth "$P" "/api/$NAME" >/dev/null
check "a long function name is logged by its first 24 bytes" \
    grep -qF "abcdefghijklmnopqrstuvwx... (38 bytes)" "$L"
check "and no more of it" sh -c "! grep -qi '0123456789tail' '$L'"
FRAG=$(echo "$TOK" | cut -c6-20)
for name in "x.hypa_$FRAG" "HYPA_$FRAG" "Hypr_$FRAG" "$TOK"; do
	d_auth "$P" "/api/$name" >/dev/null
done
check "names holding a token prefix are logged as token-like" \
    [ "$(grep -c "(token-like name, " "$L")" -ge 4 ]
check "and nothing of them is in the log" \
    sh -c "! grep -qi '$FRAG' '$L'"
d_no_secret "no piece of the access token is in the log" "$TOK"

# SIGHUP with a bad catalogue: kept, and not said to be reloaded.
printf '[api]\nbearer = maybe\n' > "$T/share/purposes.ini"
n0=$(grep -c "SIGHUP: " "$L")
kill -HUP "$DPID_l"
sleep 0.5
check "a bad catalogue at SIGHUP is kept" \
    grep -q "SIGHUP: catalogues kept" "$L"
check "the record is reloaded and says the catalogues were kept" \
    grep -q "SIGHUP: record (catalogues kept) reloaded" "$L"
check "nothing says the catalogues were reloaded" \
    sh -c "! grep -q 'catalogues and record reloaded' '$L'"
expect_eq "two SIGHUP lines" $((n0 + 2)) "$(grep -c "SIGHUP: " "$L")"
expect_eq "the daemon still serves" 204 \
    "$(d_auth "$P" /api/x -H "Authorization: Bearer $TOK")"
