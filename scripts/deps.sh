#!/bin/sh
# deps.sh [--check] KIND... - make sure the Debian packages aiproj needs are
# here; KIND is build, test, lint, bench or fuzz (default: build).
#
# When something is missing: as root with apt-get, install it; otherwise
# print the exact install line and fail.  With --check it never installs:
# it prints the line and fails (a plain `make` uses this; only `make deps`,
# `make demo` and `make check` install).  Prints nothing when all is there.
set -u
install=1
if [ "${1:-}" = --check ]; then
	install=0
	shift
fi
[ $# -gt 0 ] || set -- build

need=""
wants() { case " $KINDS " in *" $1 "*) return 0 ;; esac; return 1; }
KINDS="$*"
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd cc || need="$need gcc"
have_cmd make || need="$need make"
have_cmd pkg-config || need="$need pkg-config"
have_pc sqlite3 || need="$need libsqlite3-dev"
have_pc yaml-0.1 || need="$need libyaml-dev"
have_pc libpq || need="$need libpq-dev"
if wants test; then
	have_pc cmocka || need="$need libcmocka-dev"
	have_cmd sqlite3 || need="$need sqlite3"
	have_cmd jq || need="$need jq"
	have_cmd curl || need="$need curl"
	have_cmd ps || need="$need procps"
	/usr/bin/python3 -c "import yaml" 2>/dev/null || need="$need python3-yaml"
	/usr/bin/python3 -c "import jsonschema" 2>/dev/null || need="$need python3-jsonschema"
	have_cmd mandoc || need="$need mandoc"
	have_cmd setpriv || need="$need util-linux"
	have_cmd dot || need="$need graphviz"
	[ -f /usr/share/bash-completion/bash_completion ] || need="$need bash-completion"
	have_cmd man || need="$need man-db"
	have_cmd col || need="$need bsdextrautils"
	have_cmd psql || need="$need postgresql-client"
	have_cmd valgrind || need="$need valgrind"
	# headless, for the page's test (t_page.sh skips without it)
	have_cmd chromium || need="$need chromium"
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || have_cmd initdb ||
		need="$need postgresql"
fi
if wants lint; then
	have_cmd cppcheck || need="$need cppcheck"
	have_cmd shellcheck || need="$need shellcheck"
	have_cmd clang-format || need="$need clang-format"
fi
if wants fuzz; then
	have_cmd clang || need="$need clang"
fi
if wants bench; then
	have_cmd sqlite3 || need="$need sqlite3"
	[ -x /usr/bin/time ] || need="$need time"
	have_cmd hyperfine || need="$need hyperfine"
fi
[ -z "$need" ] && exit 0

line="apt-get install -y$need"
if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && have_cmd apt-get; then
	echo "deps: installing$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	# $need is a list of package names, split on purpose
	# shellcheck disable=SC2086
	{ apt-get update -qq && apt-get install -y -qq $need; } >&2 || {
		echo "deps: '$line' failed" >&2
		exit 1
	}
	exit 0
fi
echo "deps: missing Debian packages:$need" >&2
if [ "$install" = 1 ]; then
	echo "deps: install them with: sudo $line" >&2
else
	echo "deps: install them with 'make deps' (as root) or: sudo $line" >&2
fi
exit 1
