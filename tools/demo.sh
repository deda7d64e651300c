#!/bin/sh
# demo.sh: `make run`. A demonstration in ./demo: four Web-Apps in one
# database, in every state the list can show, with the daemon of the
# first one running on loopback; then the console on that database. The
# daemon stops when the console exits.
#
#   api.example.com      api            daemon up, serving on loopback
#   portal.example.com   portal         daemon ran two hours ago: stale
#   billing.example.com  api            never started; token expires in 10 minutes
#   legacy.example.net   unsecured-api  never started; tokens not checked
set -u
B=${1:-build}
TOP=$(pwd)
D=$TOP/demo
HYP=$TOP/$B/hyptokens
HYPD=$TOP/$B/hyptokensd

rm -rf "$D"
mkdir -p "$D"
port=18470
while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done

mkini() {	# mkini NAME USER DOMAIN PURPOSE PORT
	cat > "$D/$1.ini" <<INI
; demonstration instance $3 (made by tools/demo.sh)
[webapp]
user_name = $2
domain = $3
purpose = $4
max_tenants = 50
max_threads = 2
[daemon]
listen = 127.0.0.1:$5
keepalive_seconds = 10
log_level = info
[storage]
database = tokens.db
key_file = tokens.key
share_dir = $TOP/share
INI
}
mkini api webapi api.example.com api "$port"
mkini portal portal portal.example.com portal $((port + 1))
mkini billing billing billing.example.com api $((port + 2))
mkini legacy legacy legacy.example.net unsecured-api $((port + 3))

"$HYP" -c "$D/api.ini" init >/dev/null || exit 1

# The portal's daemon ran two hours ago and stopped: its keep-alive is old.
faketime -f -2h "$HYPD" -c "$D/portal.ini" 2>"$D/portal.log" &
p=$!
i=0
until "$HYP" -c "$D/api.ini" show portal.example.com --json 2>/dev/null |
    grep -q '"keep_alive_utc": "'; do
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
done
# faketime runs the daemon as its child and does not pass signals on.
pkill -TERM -f "hyptokensd -c $D/portal.ini"
wait "$p" 2>/dev/null

"$HYP" -c "$D/billing.ini" register >/dev/null
"$HYP" -c "$D/billing.ini" set billing.example.com access_until_utc=+10m \
    "ipv4_whitelist=10.0.0.0/8, 192.0.2.10" blocked_functions=Delete_Client \
    >/dev/null
"$HYP" -c "$D/legacy.ini" register >/dev/null
"$HYP" -c "$D/api.ini" register >/dev/null
"$HYP" -c "$D/api.ini" set api.example.com token_life_hours=24 \
    max_posts_per_ip_per_minute=60 >/dev/null

"$HYPD" -c "$D/api.ini" 2>"$D/api.log" &
dpid=$!
trap 'kill $dpid 2>/dev/null; wait $dpid 2>/dev/null' EXIT INT TERM
i=0
until curl -fs "http://127.0.0.1:$port/alive_check" >/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
done

cat <<MSG
Demonstration in $D: database tokens.db, one INI per instance.
The daemon of api.example.com answers on 127.0.0.1:$port (log: demo/api.log):
  curl -i -H "Authorization: Bearer \$(./$B/hyptokens -c demo/api.ini show api.example.com --json --reveal | jq -r .access_token)" \\
      -H "X-Original-URI: /GetClients" http://127.0.0.1:$port/auth
MSG
if [ -t 0 ] && [ -t 1 ]; then
	"$HYP" -c "$D/api.ini"
else
	echo "(no terminal: showing the list instead of the console)"
	"$HYP" -c "$D/api.ini" list
fi
