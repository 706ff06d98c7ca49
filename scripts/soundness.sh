#!/usr/bin/env bash
# The soundness property (tests/soundness_test.cc: no allowed action leaves a state that breaks a
# rule) on more generated states than ctest runs (1,000). Builds the test suite in build/test, as
# scripts/test.sh does, and runs that one test; the figures of a run are in README.md
# ("Soundness"). Counterexamples are printed, their states written to /tmp/partnerpolicy-soundness.
#
#   STATES=20000 scripts/soundness.sh   the number of states (default 20000, seeds 1 to STATES)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARTNERPOLICY_WERROR=ON >/dev/null
cmake --build build/test -j"$(nproc)" --target partnerpolicy_tests
PARTNERPOLICY_SOUNDNESS_STATES=${STATES:-20000} build/test/tests/partnerpolicy_tests \
  --gtest_filter='SoundnessTest.NoAllowedActionLeavesAStateThatBreaksARule'
