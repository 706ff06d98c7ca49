// partnerpolicy --version: the program's version, then the directory and content hash of the
// policies a run would use, so a report can be traced to both.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::ProcessRun;
using testing::Quoted;
using testing::Shell;

ProcessRun VersionIn(const fs::path& dir) {
  return Shell("cd " + Quoted(dir.string()) + " && " + Quoted(PARTNERPOLICY_BINARY) +
               " --version 2>&1");
}

TEST(VersionTest, PrintsVersionAndThePolicySetHash) {
  ProcessRun run = testing::Partnerpolicy("--version");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out,
            std::string("partnerpolicy ") + PARTNERPOLICY_VERSION +
                "\npolicies: policies sha256:" + testing::BundledPolicies().content_hash() + "\n");
}

TEST(VersionTest, FollowsThePoliciesInTheWorkingDirectory) {
  testing::ScratchDir scratch("partnerpolicy-version");
  fs::copy(testing::PolicyDir(), scratch.path() / "policies", fs::copy_options::recursive);
  std::ofstream(scratch.path() / "policies" / "policies.toml", std::ios::app) << "# one more\n";
  ProcessRun run = VersionIn(scratch.path());
  EXPECT_EQ(run.exit_code, 0);
  std::string hash = testing::Must(PolicySet::Load(scratch.path() / "policies")).content_hash();
  EXPECT_NE(hash, testing::BundledPolicies().content_hash());
  EXPECT_EQ(run.out, std::string("partnerpolicy ") + PARTNERPOLICY_VERSION +
                         "\npolicies: policies sha256:" + hash + "\n");
}

TEST(VersionTest, PoliciesThatDoNotLoadAreNamedNotHashed) {
  testing::ScratchDir scratch("partnerpolicy-version");
  fs::copy(testing::PolicyDir(), scratch.path() / "policies", fs::copy_options::recursive);
  std::ofstream(scratch.path() / "policies" / "broken.lua") << "return {\n";
  ProcessRun run = VersionIn(scratch.path());
  EXPECT_EQ(run.exit_code, 0);  // the version itself is known
  EXPECT_EQ(run.out, std::string("partnerpolicy ") + PARTNERPOLICY_VERSION +
                         "\npolicies: policies (not loaded: policies/broken.lua:2: unexpected "
                         "symbol near <eof>)\n");
}

}  // namespace
}  // namespace partnerpolicy
