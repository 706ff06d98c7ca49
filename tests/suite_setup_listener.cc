// Linked into every GoogleTest program here: a test suite whose SetUpTestSuite fails (an
// exception, a failed ASSERT) must fail the run. GoogleTest itself then marks each of the suite's
// tests "[  SKIPPED ]", and ctest, which gtest_discover_tests tells to count that line as a skip,
// reports the suite as skipped and the run as passed: a silent pass. This listener ends the
// process with a failure before the first such test is reported.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace {

class FailedSuiteSetUpStops : public testing::EmptyTestEventListener {
  void OnTestStart(const testing::TestInfo& test) override {
    const testing::TestSuite* suite = testing::UnitTest::GetInstance()->current_test_suite();
    if (suite == nullptr || !suite->ad_hoc_test_result().Failed()) return;
    std::fprintf(stderr,
                 "FAILED: the set-up of test suite %s failed (see above), so %s.%s and the rest "
                 "of the suite cannot run\n",
                 suite->name(), test.test_suite_name(), test.name());
    std::fflush(nullptr);
    std::_Exit(1);
  }
};

// Appended before main runs the tests (gtest_main), after GoogleTest's own printer.
const bool kInstalled = [] {
  testing::UnitTest::GetInstance()->listeners().Append(new FailedSuiteSetUpStops);
  return true;
}();

}  // namespace
