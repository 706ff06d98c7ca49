// A suite whose set-up throws, run by ctest (tests/CMakeLists.txt) to show that the run fails
// and no test of the suite is reported as skipped (suite_setup_listener.cc).
#include <gtest/gtest.h>

#include <stdexcept>

namespace {

class SetUpThrows : public testing::Test {
 protected:
  static void SetUpTestSuite() { throw std::runtime_error("set-up broke"); }
};

TEST_F(SetUpThrows, NeverRuns) { SUCCEED(); }

}  // namespace
