#!/bin/sh
# Install the Debian packages that the build, the tests or the demonstration
# need and that this machine lacks. Costs a few lookups when all is present.
set -eu

missing=""
need() {	# need PACKAGE CHECK...
	pkg=$1; shift
	if ! "$@" >/dev/null 2>&1; then
		missing="$missing $pkg"
	fi
}
pc() { pkg-config --exists "$1"; }
hdr() { test -f "/usr/include/$1"; }
cmd() { command -v "$1"; }
# A clang runtime library (libFuzzer, the sanitizers), wherever this
# clang's version keeps it; -print-file-name echoes the bare name if absent.
rt() { test -f "$(clang -print-file-name="$1" 2>/dev/null)"; }

need pkg-config	cmd pkg-config
need make	cmd make
need gcc	cmd cc
need libncurses-dev	pc ncursesw
need libncurses-dev	pc formw
need libncurses-dev	pc menuw
need libsqlite3-dev	pc sqlite3
need libsodium-dev	pc libsodium
need libcriterion-dev	pc criterion
need libevent-dev	pc libevent
need libevent-dev	pc libevent_pthreads
need libjansson-dev	pc jansson
need libiniparser-dev	hdr iniparser/iniparser.h
need uthash-dev		hdr uthash.h
need sqlite3		cmd sqlite3
need tmux		cmd tmux
need curl		cmd curl
need socat		cmd socat
need faketime		cmd faketime
need nginx-light	test -x /usr/sbin/nginx
need wrk		cmd wrk
need iproute2	cmd ss
need jq		cmd jq
need python3	cmd python3
need clang	cmd clang
need libclang-rt-14-dev	rt libclang_rt.fuzzer-x86_64.a

if [ -z "$missing" ]; then
	exit 0
fi
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
echo "deps: installing:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
