#!/bin/sh
# daemon-nginx.sh: a real nginx with the shipped share/nginx/hyptokens.conf
# (ports substituted) in front of a stand-in Web-App, checking through
# the daemon: allowed calls pass, each refusal arrives with its status
# and JSON body, a flood arrives as 429 with Retry-After and a tenant
# overflow as 503, forged forwarding headers change nothing (case 12),
# two clients behind nginx are counted apart (case 13), RefreshToken
# passes through, and a stopped daemon lets nothing through.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

NGINX=/usr/sbin/nginx
if [ ! -x "$NGINX" ]; then
	not_ok "nginx is installed" "no $NGINX"
	exit 1
fi

DP=$(d_port)
NP=$(d_port)
AP=$(d_port)
d_ini "$T/n.ini" n api "$DP" 4
d_start n "$T/n.ini" "$DP" || { not_ok "daemon starts"; exit 1; }
D=n.example.com
TOK=$(d_token "$T/n.ini" $D access_token)
RT=$(d_token "$T/n.ini" $D refresh_token)

sed -e "s/127\.0\.0\.1:8470/127.0.0.1:$DP/" \
    -e "s/127\.0\.0\.1:8000/127.0.0.1:$AP/" \
    -e "s/127\.0\.0\.1:8080/127.0.0.1:$NP/" \
    -e "s|/var/log/nginx/|$T/|" share/nginx/hyptokens.conf > "$T/site.conf"
{
	[ "$(id -u)" -eq 0 ] && echo "user root;"
	echo "worker_processes 1;"
	echo "error_log $T/nginx-error.log info;"
	echo "events { worker_connections 512; }"
	echo "http {"
	echo "	access_log off;"
	for d in client_body proxy fastcgi uwsgi scgi; do
		echo "	${d}_temp_path $T/ngx-$d;"
	done
	echo "	server {"
	echo "		listen 127.0.0.1:$AP;"
	echo "		location / { return 200 'app saw \$request_uri\n'; }"
	echo "	}"
	echo "	include $T/site.conf;"
	echo "}"
} > "$T/nginx.conf"
"$NGINX" -p "$T" -c "$T/nginx.conf" -g "daemon off; pid $T/nginx.pid;" \
    >"$T/nginx-stderr.log" 2>&1 &
npid=$!
at_exit "kill $npid 2>/dev/null; wait $npid 2>/dev/null"
if ! wait_for curl -s -o /dev/null "http://127.0.0.1:$NP/"; then
	not_ok "nginx starts with the shipped configuration" \
	    "$(cat "$T/nginx-stderr.log" "$T/nginx-error.log" 2>/dev/null)"
	exit 1
fi
ok "nginx starts with the shipped configuration"
U="http://127.0.0.1:$NP"

# get PATH FROM [curl args]: status; headers in $T/h, body in $T/b.
get() {
	_p=$1; _from=$2; shift 2
	curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' --interface "$_from" \
	    "$@" "$U$_p"
}
hdr() { sed -n "s/^$1: \(.*\)\r$/\1/Ip" "$T/h"; }
bearer="Authorization: Bearer $TOK"

expect_eq "an allowed call reaches the Web-App" 200 \
    "$(get /api/getUser 127.0.0.2 -H "$bearer")"
check "the Web-App answered it" grep -q "app saw /api/getUser" "$T/b"

expect_eq "no token: 401" 401 "$(get /api/getUser 127.0.0.2)"
check "with WWW-Authenticate Bearer error=invalid_token" \
    sh -c "grep -ci '^WWW-Authenticate: Bearer realm=\"hyptokens\", \
error=\"invalid_token\"' '$T/h' | grep -qx 1"
check "with a Hyper-style JSON body" \
    grep -q '^{"ResponseCode":401,"ResponseMsgEng":"no bearer token' "$T/b"

"$HYP" -c "$T/n.ini" set $D blocked_functions=Secret >/dev/null
expect_eq "a blocked function: 403" 403 \
    "$(get /api/SECRET 127.0.0.2 -H "$bearer")"
check "with a JSON body" grep -q '^{"ResponseCode":403,' "$T/b"
expect_eq "a blocked function, encoded: 403" 403 \
    "$(get /api/%53ecret 127.0.0.2 -H "$bearer")"
expect_eq "a module not enabled: 403" 403 \
    "$(get /api/Menu_Get 127.0.0.2 -H "$bearer")"

# nginx hands the raw URI to the daemon: a path the Web-App may resolve
# to the blocked function while a resolving daemon saw another one is
# refused for its path, sent as it is (curl --path-as-is).
for p in /api/Secret/../getUser /api/Secret/%2e%2e/getUser \
    /api/Secret/.%2e/x "/api/Secret/..;/x" '/api/getUser\..\Secret' \
    /api/getUser%5c..%5cSecret /api/getUser/./x; do
	expect_eq "$p: 403" 403 \
	    "$(get "$p" 127.0.0.8 -H "$bearer" --path-as-is -g)"
	check "refused for its path, not let through" \
	    sh -c "grep -q '^{\"ResponseCode\":403,' '$T/b' &&
	    ! grep -q 'app saw' '$T/b'"
done
expect_eq "a further segment calls the first one" 200 \
    "$(get /api/getUser/more 127.0.0.8 -H "$bearer")"

# Tenants: max 2 live, the third 503 with Retry-After.
get /api/x 127.0.0.2 -H "$bearer" -H "X-Tenant-Id: t1" >/dev/null
get /api/x 127.0.0.2 -H "$bearer" -H "X-Tenant-Id: t2" >/dev/null
expect_eq "a third tenant: 503" 503 \
    "$(get /api/x 127.0.0.2 -H "$bearer" -H "X-Tenant-Id: t3")"
check "with Retry-After" [ -n "$(hdr Retry-After)" ]

# A flood (api: 20 a minute) arrives as 429 with Retry-After. The
# client forges X-Forwarded-For and X-Real-IP every time: nothing changes.
i=0
while [ $i -lt 20 ]; do
	get /api/x 127.0.0.4 -H "$bearer" -H "X-Forwarded-For: 10.9.$i.1" \
	    -H "X-Real-IP: 10.8.$i.1" >/dev/null
	i=$((i + 1))
done
expect_eq "the 21st call in a minute from one client: 429" 429 \
    "$(get /api/x 127.0.0.4 -H "$bearer" -H "X-Forwarded-For: 10.9.99.1" \
    -H "X-Real-IP: 127.0.0.5")"
expect_eq "with Retry-After" 300 "$(hdr Retry-After)"
check "with a JSON body" grep -q '^{"ResponseCode":429,' "$T/b"
expect_eq "the address it forged is not blocked" 200 \
    "$(get /api/x 127.0.0.5 -H "$bearer")"

# Two clients behind nginx, 40 calls each against a limit of 60.
"$HYP" -c "$T/n.ini" set $D max_posts_per_ip_per_minute=60 >/dev/null
bad=0
i=0
while [ $i -lt 40 ]; do
	for c in 127.0.0.6 127.0.0.7; do
		s=$(get /api/x $c -H "$bearer")
		[ "$s" = 200 ] || bad=$((bad + 1))
	done
	i=$((i + 1))
done
expect_eq "two clients behind nginx are counted apart" 0 "$bad"

# RefreshToken through nginx.
expect_eq "RefreshToken through nginx: 200" 200 \
    "$(get /RefreshToken 127.0.0.2 -X POST -H "Authorization: Bearer $RT")"
NEW=$(sed -n 's/.*"AccessToken":"\([^"]*\)".*/\1/p' "$T/b")
NEWR=$(sed -n 's/.*"RefreshToken":"\([^"]*\)".*/\1/p' "$T/b")
expect_eq "the new access token passes nginx" 200 \
    "$(get /api/x 127.0.0.2 -H "Authorization: Bearer $NEW")"
expect_eq "a token in a query string is no credential" 401 \
    "$(get "/api/x?access_token=$NEW" 127.0.0.2)"

d_stop n
expect_eq "with the daemon stopped nothing gets through" 503 \
    "$(get /api/x 127.0.0.2 -H "Authorization: Bearer $NEW")"
curl -s -o "$T/down" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $NEWR" "http://127.0.0.1:$NP/RefreshToken" \
    > "$T/down.code"
expect_eq "RefreshToken with the daemon stopped: 503" 503 \
    "$(cat "$T/down.code")"
check "and a Hyper-style JSON body" grep -q '"ResponseCode":503' "$T/down"

d_no_secret "no token in the daemon's or nginx's logs" "$TOK" "$RT" \
    "$NEW" "$NEWR"
