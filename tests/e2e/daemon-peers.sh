#!/bin/sh
# daemon-peers.sh: who may speak on the control socket (issue 4, case 22,
# fixes of a security review): root, the daemon's user, and members of
# the socket's group, by their primary group or a supplementary one (as
# several admins of one instance are). Needs root for useradd and for
# switching user; the user and group made here are removed at exit.
. tests/e2e/lib.sh
. tests/e2e/daemon.inc

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null 2>&1; then
	ok "supplementary members of the socket's group # SKIP needs root"
	exit 0
fi

G=hyptg$$
U=hyptu$$
groupadd "$G" || { not_ok "groupadd $G"; exit 1; }
at_exit "groupdel $G 2>/dev/null"
useradd -M -N -g nogroup -G "$G" -s /usr/sbin/nologin "$U" ||
    { not_ok "useradd $U"; exit 1; }
at_exit "userdel $U 2>/dev/null"

# The socket takes the group of its folder (set-group-id), as it takes
# the daemon's group under systemd (Group=hyptokens).
chgrp "$G" "$T"
chmod 2710 "$T"
P=$(d_port)
d_ini "$T/g.ini" g api "$P" 2
d_start g "$T/g.ini" "$P" || { not_ok "daemon starts"; exit 1; }
S="$T/g.sock"
expect_eq "the socket belongs to the group" "$G" "$(stat -c %G "$S")"
expect_eq "with mode 0660" "srw-rw----" "$(stat -c %A "$S")"

# as ARGS...: the reply of a PING sent by the user, groups as given.
as() {
	printf 'PING\n' | setpriv --reuid="$U" "$@" socat -t 2 - \
	    "UNIX-CONNECT:$S" 2>/dev/null
}
expect_eq "a supplementary member of the group is answered" "OK pong 1" \
    "$(as --regid=nogroup --init-groups)"
expect_eq "so is a member by its primary group" "OK pong 1" \
    "$(as --regid="$G" --clear-groups)"
check "neither was refused" sh -c "! grep -q 'refused a peer' '$T/g.log'"

# Without the group (the modes opened by hand), refused unread.
chmod 0666 "$S"
chmod o+x "$T"
r=$(as --regid=nogroup --clear-groups)
chmod 0660 "$S"
chmod o-x "$T"
expect_eq "the same user without the group gets no reply" "" "$r"
check "and is logged as refused" \
    grep -q "refused a peer with uid $(id -u "$U")" "$T/g.log"
