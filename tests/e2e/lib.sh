# lib.sh: shared helpers for the end-to-end scripts in tests/e2e. Each
# script sources this, runs the real programs from $B (the build folder)
# in a private temporary folder, and prints TAP-like lines: "ok - name"
# or "not ok - name" followed by "# reason" lines. tests/run.sh counts
# them.

set -u
: "${B:=build}"
TOP=$(pwd)
HYP="$TOP/$B/hyptokens"
HYPD="$TOP/$B/hyptokensd"
T=$(mktemp -d "${TMPDIR:-/tmp}/hyp-e2e.XXXXXX")
# tmux servers started by a script keep their sockets in $T, removed at exit.
export TMUX_TMPDIR="$T"
_cleanups=""

at_exit() { _cleanups="$1; $_cleanups"; }
_run_cleanups() { eval "$_cleanups"; rm -rf "$T"; }
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

ok() { echo "ok - $*"; }
not_ok() { name=$1; shift; echo "not ok - $name"; for l in "$@"; do echo "# $l"; done; }

# check NAME CONDITION...: ok if the command succeeds.
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

# expect_eq NAME WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $3"; fi
}

# make_ini FILE USER DOMAIN PURPOSE [extra daemon lines...]: an instance
# configuration whose database, key and socket live in $T.
make_ini() {
	f=$1; u=$2; d=$3; p=$4; shift 4
	{
		echo "[webapp]"
		echo "user_name = $u"
		echo "domain = $d"
		echo "purpose = $p"
		echo "max_tenants = 10"
		echo "max_threads = 2"
		echo "[daemon]"
		echo "control_socket = $u.sock"
		for l in "$@"; do echo "$l"; done
		echo "[storage]"
		echo "database = tokens.db"
		echo "key_file = tokens.key"
		echo "share_dir = $TOP/share"
	} > "$f"
}

# free_port: a loopback TCP port nobody listens on now.
free_port() {
	while :; do
		p=$(shuf -i 20000-32000 -n 1)	# below the ephemeral range
		ss -Htan "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

# wait_for CMD...: retry a command for up to 5 s.
wait_for() {
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge 100 ] && return 1
		sleep 0.05
	done
}
