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
                         "\npolicies: policies (not loaded: policies/broken.lua:2:1: unexpected "
                         "symbol near <eof>)\n");
}

// --policies beside --version, in either order, names that directory's policies; given before a
// subcommand it is the subcommand's default, and the subcommand's own --policies wins.
TEST(VersionTest, PoliciesFlagNamesOtherPoliciesInEitherOrder) {
  testing::ScratchDir scratch("partnerpolicy-version");
  const fs::path other = scratch.path() / "other";
  fs::copy(testing::PolicyDir(), other, fs::copy_options::recursive);
  std::ofstream(other / "policies.toml", std::ios::app) << "# one more\n";
  std::string hash = testing::Must(PolicySet::Load(other)).content_hash();
  ASSERT_NE(hash, testing::BundledPolicies().content_hash());
  const std::string expected = std::string("partnerpolicy ") + PARTNERPOLICY_VERSION +
                               "\npolicies: " + other.string() + " sha256:" + hash + "\n";
  ProcessRun after = testing::Partnerpolicy("--version --policies " + Quoted(other.string()));
  EXPECT_EQ(after.exit_code, 0);
  EXPECT_EQ(after.out, expected);
  ProcessRun before = testing::Partnerpolicy("--policies " + Quoted(other.string()) + " --version");
  EXPECT_EQ(before.exit_code, 0);
  EXPECT_EQ(before.out, expected);

  ProcessRun inherited =
      testing::Partnerpolicy("--policies " + Quoted(other.string()) + " rules --format json");
  ASSERT_EQ(inherited.exit_code, 0) << inherited.out;
  EXPECT_EQ(testing::Json(inherited)["policy_set"]["sha256"], hash);
  ProcessRun own = testing::Partnerpolicy("--policies " + Quoted(other.string()) +
                                          " rules --format json --policies " +
                                          Quoted(testing::PolicyDir().string()));
  ASSERT_EQ(own.exit_code, 0) << own.out;
  EXPECT_EQ(testing::Json(own)["policy_set"]["sha256"], testing::BundledPolicies().content_hash());
}

TEST(VersionTest, NoSubcommandAndNoVersionIsAUsageError) {
  ProcessRun run = Shell(Quoted(PARTNERPOLICY_BINARY) + " 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "error: A subcommand is required\nRun with --help for usage.\n");
}

}  // namespace
}  // namespace partnerpolicy
