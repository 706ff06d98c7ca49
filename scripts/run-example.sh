#!/usr/bin/env bash
# Installs what is missing, builds, and runs `partnerpolicy check` on the bundled example.
# The example partner breaks each core rule at least once on purpose, so check exits 1 there;
# this script succeeds when check ran (exit 0 or 1) and fails on exit 2 (bad input/policy).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DPARTNERPOLICY_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)"
status=0
build/release/cli/partnerpolicy check fixtures/examples/*.json || status=$?
[ "$status" -le 1 ] || exit "$status"
echo "(exit code of check: $status — 1 means error findings, as the example intends)"
