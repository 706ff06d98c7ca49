#!/usr/bin/env bash
# The soundness property (tests/soundness_test.cc: no allowed action leaves a state that breaks a
# rule) on more generated states than ctest runs, asking every concrete request and checking
# every distinct effect (ctest: 1,000 states, at most 12 requests per actions line and 3
# distinct effects per action and state). Builds
# the test suite in build/test, as scripts/test.sh does, and runs that one test; the figures of
# a run are in README.md ("Soundness"). Counterexamples are printed, their states written to
# /tmp/partnerpolicy-soundness.
#
#   STATES=10000 scripts/soundness.sh   the number of states (default 10000, seeds 1 to STATES)
#   EFFECTS=4 scripts/soundness.sh      distinct effects checked per action and state (default 0: all)
#   REQUESTS=12 scripts/soundness.sh    concrete requests asked per actions line (default 0: all)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARTNERPOLICY_WERROR=ON >/dev/null
cmake --build build/test -j"$(nproc)" --target partnerpolicy_tests
PARTNERPOLICY_SOUNDNESS_STATES=${STATES:-10000} PARTNERPOLICY_SOUNDNESS_EFFECTS=${EFFECTS:-0} \
  PARTNERPOLICY_SOUNDNESS_REQUESTS=${REQUESTS:-0} \
  build/test/tests/partnerpolicy_tests \
  --gtest_filter='SoundnessTest.NoAllowedActionLeavesAStateThatBreaksARule'
