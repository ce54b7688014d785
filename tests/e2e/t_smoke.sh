# Smoke: the binary starts, answers --version and creates a store.
. "$(dirname "$0")/lib.sh"

begin "--version prints the version"
run --version
expect_rc 0
expect_out_has "aiproj 0."
expect_err ""

begin "init creates the store, mode 0600"
run init
expect_rc 0
expect_out "$FIRST_INIT"
if file_store; then
	[ "$(stat -c %a "$AIPROJ_DB")" = 600 ] || _fail "mode $(stat -c %a "$AIPROJ_DB")"
fi

begin "a failed command leaves the store byte-identical"
run project create demo
snap
run project create demo
expect_rc 5
expect_err "aiproj: error: project 'demo' already exists"
expect_unchanged

finish
