#!/bin/sh
# daemon-recover.sh: how the daemon's view of its record follows the
# database after damage, deletion and a second daemon (issue 4, fixes of
# a security review). A token column that does not open at a reload, by
# REFRESH or by the keep-alive, fails closed until regenerate mends it;
# a deleted and purged record stays refused across keep-alives while it
# is gone and serves again within one keep-alive once it is registered
# again; a second daemon that refuses to start (live control socket, or
# port taken) has changed nothing in the shared record.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc
. tests/e2e/drill.inc

P=$(d_port)
d_ini "$T/r.ini" r api "$P" 2
d_start r "$T/r.ini" "$P" || { not_ok "daemon starts"; exit 1; }
D=r.example.com
S="$T/r.sock"
DB="$T/tokens.db"
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
status() { d_ctl "$S" STATUS | sed -n 's/.* state=\([a-z]*\) .*/\1/p'; }
TOK=$(d_token "$T/r.ini" $D access_token)
auth() { d_auth "$P" /api/x -H "Authorization: Bearer $1"; }
expect_eq "the token is accepted to begin with" 204 "$(auth "$TOK")"

# 1. Ciphertexts swapped between columns, then REFRESH: fail closed.
q "UPDATE hyp_web_api_tokens SET access_token = refresh_token,
    refresh_token = access_token"
case $(d_ctl "$S" "REFRESH $D") in
ERR*) ok "REFRESH of a record whose tokens do not open gets ERR" ;;
*) not_ok "REFRESH of a record whose tokens do not open gets ERR" ;;
esac
expect_eq "every request is refused" 403 "$(auth "$TOK")"
expect_eq "the daemon says it is closed" closed "$(status)"
check "and logs why" grep -q "fails closed: stored record unreadable" \
    "$T/r.log"
check "without keeping the old policy in force" \
    sh -c "! grep -q 'keeping the policy in force' '$T/r.log'"

# A later edit is saved and signalled: still closed, the tokens still
# do not open.
"$HYP" -c "$T/r.ini" set $D max_posts_per_ip_per_minute=99 \
    >"$T/set.out" 2>&1
expect_eq "after a later edit it is still refused" 403 "$(auth "$TOK")"
sleep 1.5
expect_eq "and after a keep-alive too" 403 "$(auth "$TOK")"

# regenerate mends the tokens: serving again with the new one.
"$HYP" -c "$T/r.ini" regenerate $D >/dev/null 2>&1
TOK2=$(d_token "$T/r.ini" $D access_token)
check "regenerate made a new token" shaped TOK2 "$ACCESS_RE"
sleep 1.5
expect_eq "once mended the record serves again" 204 "$(auth "$TOK2")"
expect_eq "in the serving state" serving "$(status)"

# 2. The same found by the keep-alive: swapped and the version moved,
# without a signal.
q "UPDATE hyp_web_api_tokens SET access_token = refresh_token,
    refresh_token = access_token, policy_version = policy_version + 1"
sleep 1.5
expect_eq "a keep-alive reload of unreadable tokens fails closed" 403 \
    "$(auth "$TOK2")"
expect_eq "closed" closed "$(status)"
n=$(grep -c "fails closed: stored record unreadable" "$T/r.log")
sleep 2.2
check "an unchanged closed record is not re-read every keep-alive" \
    [ "$(grep -c "fails closed: stored record unreadable" "$T/r.log")" \
    -eq "$n" ]
"$HYP" -c "$T/r.ini" regenerate $D >/dev/null 2>&1
TOK3=$(d_token "$T/r.ini" $D access_token)
sleep 1.5
expect_eq "mended, it serves again" 204 "$(auth "$TOK3")"

# 3. Deleted (the console purges), then registered again.
"$HYP" -c "$T/r.ini" delete $D --yes >/dev/null 2>&1
d_ctl "$S" "PURGE $D" >/dev/null
expect_eq "a deleted, purged record refuses" 403 "$(auth "$TOK3")"
sleep 2.2
expect_eq "and still after keep-alives while it is gone" purged \
    "$(status)"
"$HYP" -c "$T/r.ini" register >/dev/null
TOK4=$(d_token "$T/r.ini" $D access_token)
sleep 1.5
expect_eq "registered again, it serves within one keep-alive" 204 \
    "$(auth "$TOK4")"
expect_eq "the old token stays refused" 401 \
    "$(d_auth "$P" /api/y -H "Authorization: Bearer $TOK3")"

# 4. A second daemon with the same user name that refuses to start
# changes nothing: another purpose, the same socket (a live daemon) or
# the same port.
purpose() { "$HYP" -c "$T/r.ini" show $D --json | jq -r .domain_purpose; }
updates() { q "SELECT count(*) FROM hyp_audit WHERE action = 'update'"; }
before_p=$(purpose)
before_u=$(updates)
before_v=$(q "SELECT policy_version FROM hyp_web_api_tokens")
expect_eq "the first purpose is api" api "$before_p"

P2=$(d_port)
sed -e "s/^listen = .*/listen = 127.0.0.1:$P2/" \
    -e "s/^purpose = .*/purpose = unsecured-api/" "$T/r.ini" > "$T/sock.ini"
timeout 10 "$HYPD" -c "$T/sock.ini" >"$T/second-sock.log" 2>&1
rc=$?
check "a second daemon on the live socket exits non-zero ($rc)" \
    [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
check "saying another daemon answers" grep -q "another daemon answers" \
    "$T/second-sock.log"

sed -e "s/^control_socket = .*/control_socket = r2.sock/" \
    -e "s/^purpose = .*/purpose = unsecured-api/" "$T/r.ini" > "$T/port.ini"
timeout 10 "$HYPD" -c "$T/port.ini" >"$T/second-port.log" 2>&1
rc=$?
check "a second daemon on the taken port exits non-zero ($rc)" \
    [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
check "saying the port cannot be listened on" grep -q "cannot listen on" \
    "$T/second-port.log"
check "and leaves no socket of its own behind" test ! -e "$T/r2.sock"

expect_eq "the record still has the first purpose" "$before_p" "$(purpose)"
expect_eq "no update audit row was written" "$before_u" "$(updates)"
expect_eq "the version did not move" "$before_v" \
    "$(q "SELECT policy_version FROM hyp_web_api_tokens")"
expect_eq "the first daemon still answers" "OK pong 1" "$(d_ctl "$S" PING)"
expect_eq "and serves" 204 "$(auth "$TOK4")"
