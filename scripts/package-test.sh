#!/usr/bin/env bash
# CI: builds the Debian package (cpack -G DEB, see cmake/packaging.cmake) in build/package and
# checks it as a user gets it: its control fields and contents, then, unpacked into a scratch
# root, the packaged program run from a directory without policies and with no flag, which must
# find the packaged policies and schemas on its own. Installs what is missing (dpkg-dev for
# dpkg-shlibdeps). Reports every difference, saying what was expected and what came, and fails
# if there was any. JOBS=N builds with N jobs (default: one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
scripts/install-deps.sh dpkg-dev lintian

dir=build/package
# Only the program and its manual page are built: `install` (and so cpack) does not wait for
# every target (the benchmarks). Warnings are scripts/test.sh's business: at -O3 GCC 12 reports
# a false -Wrestrict inside libstdc++'s string code (GCC bug 105329), so no -Werror here.
# Debian's hardening flags, as a Debian package build gets them from dpkg-buildflags: fortified
# libc calls, stack protector, full RELRO and immediate binding (hardening=+all adds bindnow).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cxxflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DPARTNERPOLICY_BUILD_TESTS=OFF \
  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON \
  -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >/dev/null
cmake --build "$dir" -j"${JOBS:-$(nproc)}" \
  --target partnerpolicy partnerpolicy_man partnerpolicy_changelog
rm -f "$dir"/partnerpolicy_*.deb
(cd "$dir" && cpack -G DEB >/dev/null)
debs=("$dir"/partnerpolicy_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "FAIL: cpack made no single .deb: ${debs[*]}" >&2
  exit 1
fi
deb=${debs[0]}
echo "package: $deb"

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# expect_line TEXT PATTERN WHAT: TEXT has a line matching the extended regex PATTERN.
expect_line() {
  grep -Eq -- "$2" <<<"$1" || fail "$3: no line matches /$2/ in:"$'\n'"$1"
}
expect_exit() {
  [ "$1" -eq "$2" ] || fail "$3: exit code $1, expected $2"
}

# Control fields: the dependencies are what dpkg-shlibdeps read off the program.
info=$(dpkg-deb --info "$deb")
expect_line "$info" '^ Package: partnerpolicy$' "dpkg-deb --info"
expect_line "$info" '^ Version: [0-9]+\.[0-9]+\.[0-9]+$' "dpkg-deb --info"
expect_line "$info" '^ Section: utils$' "dpkg-deb --info"
expect_line "$info" '^ Description: Microsoft AI Cloud Partner Program rules as code$' "dpkg-deb --info"
for dependency in liblua5.4-0 libfmt9 libssl3 libstdc\\+\\+6 libc6; do
  expect_line "$info" "^ Depends: (.*, )?$dependency( |,|$)" "dpkg-deb --info: Depends on $dependency"
done

contents=$(dpkg-deb --contents "$deb")
for file in usr/bin/partnerpolicy \
  usr/share/partnerpolicy/policies/actions.toml \
  usr/share/partnerpolicy/policies/policies.toml \
  usr/share/partnerpolicy/policies/lib/text.lua \
  usr/share/partnerpolicy/policies/credits/monthly_reassignment_cap.lua \
  usr/share/partnerpolicy/schemas/partner-state.schema.json \
  usr/share/partnerpolicy/fixtures/examples/contoso.json \
  usr/share/partnerpolicy/fixtures/rules/credits.monthly.reassignment-cap/capped-returned.json \
  usr/share/man/man1/partnerpolicy.1.gz \
  usr/share/doc/partnerpolicy/copyright \
  usr/share/doc/partnerpolicy/changelog.gz \
  usr/share/bash-completion/completions/partnerpolicy; do
  expect_line "$contents" " \./$file$" "dpkg-deb --contents: $file"
done

# Debian policy as lintian checks it: no error and no warning. (Its informational tags are not
# checked: several are spelling "errors" in the program's merged string constants.)
status=0
tags=$(lintian --fail-on error,warning "$deb" 2>&1) || status=$?
[ "$status" -eq 0 ] || fail "lintian $deb:"$'\n'"$tags"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
program=$root/usr/bin/partnerpolicy
installed=$root/usr/share/partnerpolicy/policies
example=$root/usr/share/partnerpolicy/fixtures/examples/contoso.json
cd "$root"  # no policies/ here: the program must find its own
[ ! -e policies ] || fail "the scratch root has a policies/ of its own"

# check, with no flag at all: the example partner's 18 errors and 4 warnings (exit 1).
status=0
out=$(NO_COLOR=1 "$program" check "$example" 2>&1) || status=$?
expect_exit "$status" 1 "check $example"
expect_line "$out" '^1 fixture: 18 errors, 4 warnings, 0 infos$' "check $example"
expect_line "$out" 'credits\.monthly\.reassignment-cap' "check $example"
# The JSON report names the packaged policy directory.
status=0
json=$("$program" check "$example" --format json) || status=$?
expect_exit "$status" 1 "check $example --format json"
directory=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["policy_set"]["directory"])' <<<"$json")
[ "$directory" = "$installed" ] || fail "check --format json: policy_set.directory is '$directory', expected '$installed'"

# --version: the packaged policies, and the same hash as the build's own (source-tree) policies.
version=$("$program" --version)
expect_line "$version" '^partnerpolicy [0-9]+\.[0-9]+\.[0-9]+$' "--version"
expect_line "$version" "^policies: $installed sha256:[0-9a-f]{64}$" "--version"
built_hash=$(cd "$repo" && "$dir/cli/partnerpolicy" --version | sed -n 's/.* sha256://p')
[ "${version##* sha256:}" = "$built_hash" ] ||
  fail "--version: packaged policies hash ${version##* sha256:}, the source tree's $built_hash"

# can: one allowed decision (exit 0).
status=0
out=$(NO_COLOR=1 "$program" can credit.reassign --state "$example" credit=MC-1 user=carol --as alice) || status=$?
expect_exit "$status" 0 "can credit.reassign credit=MC-1 user=carol --as alice"
expect_line "$out" '^ALLOWED +credit\.reassign' "can credit.reassign"

# test, with no flag: the packaged policy tests pass on the packaged fixtures they name.
status=0
out=$(NO_COLOR=1 "$program" test 2>&1) || status=$?
expect_exit "$status" 0 "test (the packaged policy tests)"
expect_line "$out" '^test: [0-9]+ passed, 0 failed in [0-9]+ files$' "test"

# The manual page and the completion, as installed.
page=$(gzip -dc "$root/usr/share/man/man1/partnerpolicy.1.gz")
expect_line "$page" '^\.SH EXAMPLES$' "man page"
expect_line "$page" '^\.SS "partnerpolicy check"$' "man page"
offered=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=("$2" can cre); COMP_CWORD=2
  _partnerpolicy; printf "%s\n" "${COMPREPLY[@]}"' _ \
  "$root/usr/share/bash-completion/completions/partnerpolicy" "$program")
expect_line "$offered" '^credit\.reassign$' "bash completion of 'partnerpolicy can cre'"

if [ "$failures" -gt 0 ]; then
  echo "package-test: $failures check(s) failed for $deb" >&2
  exit 1
fi
echo "package-test: ok ($deb: $(wc -l <<<"$contents") entries, $(sed -n 's/^ Depends: //p' <<<"$info"))"
