#!/bin/sh
# Check the layers of STYLE.md B.11 by grep: curses only in src/tui, SQL
# only in the store, libsodium only in the token module, libevent only in
# the daemon, iniparser only in the configuration and catalogue readers.
set -u
bad=0
check() {	# check PATTERN ALLOWED-REGEX WHAT
	hits=$(grep -lE "$1" src/*/*.c src/*/*.h include/*.h 2>/dev/null |
	    grep -vE "$2")
	if [ -n "$hits" ]; then
		echo "layering: $3 outside its layer: $hits"
		bad=1
	fi
}
check '#include <(n?curses|form|menu|panel)\.h>' '^src/tui/' 'curses'
check '#include <sqlite3\.h>' '^src/core/store\.c$' 'sqlite'
check '#include <sodium\.h>' '^src/core/token\.c$' 'libsodium'
check '#include <event2/' '^src/daemon/' 'libevent'
check '#include <iniparser\.h>' '^src/core/(config|policy)\.c$' 'iniparser'
if [ $bad -eq 0 ]; then
	echo "layering: ok"
fi
exit $bad
