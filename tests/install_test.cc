// `cmake --install` of this build into a scratch prefix: the layout (program, policies, schemas,
// manual page, bash completion), and the installed program finding its own policies and schemas
// with no flag from a directory that has none (cli/install_paths.h), before the source tree and
// after --policies and ./policies. scripts/package-test.sh checks the same of the .deb.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Json;
using testing::Must;
using testing::ProcessRun;
using testing::Quoted;
using testing::Shell;

const std::string kExample = (testing::SourceDir() / "fixtures/examples/contoso.json").string();

class InstallTest : public ::testing::Test {
 protected:
  InstallTest() : scratch_("partnerpolicy-install") {
    fs::create_directories(work());
    ProcessRun install =
        Shell(Quoted(PARTNERPOLICY_CMAKE) + " --install " + Quoted(PARTNERPOLICY_BUILD_DIR) +
              " --prefix " + Quoted(prefix().string()) + " 2>&1");
    EXPECT_EQ(install.exit_code, 0) << install.out;
  }
  fs::path prefix() const { return scratch_.path() / "prefix"; }
  fs::path program() const { return prefix() / "bin" / "partnerpolicy"; }
  fs::path installed_policies() const { return prefix() / "share/partnerpolicy/policies"; }
  // An empty working directory: no ./policies, no ./schemas.
  fs::path work() const { return scratch_.path() / "work"; }

  // Runs `binary arguments` (already quoted) in `dir` with standard error discarded.
  static ProcessRun RunIn(const fs::path& dir, const fs::path& binary,
                          const std::string& arguments) {
    return Shell("cd " + Quoted(dir.string()) + " && NO_COLOR=1 " + Quoted(binary.string()) + " " +
                 arguments + " 2>/dev/null");
  }

 private:
  testing::ScratchDir scratch_;
};

TEST_F(InstallTest, LaysOutProgramDataManualAndCompletion) {
  for (const char* file :
       {"bin/partnerpolicy", "share/partnerpolicy/policies/actions.toml",
        "share/partnerpolicy/policies/policies.toml", "share/partnerpolicy/policies/lib/text.lua",
        "share/partnerpolicy/policies/credits/monthly_reassignment_cap.lua",
        "share/partnerpolicy/schemas/partner-state.schema.json",
        "share/partnerpolicy/schemas/report.schema.json",
        "share/partnerpolicy/fixtures/examples/contoso.json", "share/man/man1/partnerpolicy.1.gz",
        "share/doc/partnerpolicy/copyright", "share/doc/partnerpolicy/changelog.gz",
        "share/bash-completion/completions/partnerpolicy"}) {
    EXPECT_TRUE(fs::is_regular_file(prefix() / file)) << file;
  }
  // The whole policies/ tree, not a list: every file of the source tree's policies is there.
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(testing::PolicyDir())) {
    if (!entry.is_regular_file()) continue;
    fs::path relative = entry.path().lexically_relative(testing::PolicyDir());
    EXPECT_TRUE(fs::is_regular_file(installed_policies() / relative)) << relative;
  }
}

TEST_F(InstallTest, InstalledProgramUsesInstalledPoliciesWithNoFlag) {
  ProcessRun text = RunIn(work(), program(), "check " + Quoted(kExample));
  ASSERT_EQ(text.exit_code, 1) << text.out;  // the example breaks rules on purpose
  EXPECT_NE(text.out.find("1 fixture: 18 errors, 4 warnings, 0 infos"), std::string::npos)
      << text.out;
  ProcessRun json = RunIn(work(), program(), "check " + Quoted(kExample) + " --format json");
  nlohmann::json report = Json(json);
  EXPECT_EQ(report["policy_set"]["directory"], installed_policies().string());
  // The installed files are the source tree's: the same content hash.
  EXPECT_EQ(report["policy_set"]["sha256"], testing::BundledPolicies().content_hash());
}

// The policy tests name their states as ../../fixtures/...: installed beside the policies, the
// fixtures they name are there, and the installed example names a schema that is there too.
TEST_F(InstallTest, InstalledPolicyTestsPassOnTheInstalledFixtures) {
  ProcessRun run = RunIn(work(), program(), "test");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find(" passed, 0 failed in "), std::string::npos) << run.out;
  const fs::path example = prefix() / "share/partnerpolicy/fixtures/examples/contoso.json";
  std::ifstream example_file(example);
  const fs::path schema =
      example.parent_path() / nlohmann::json::parse(example_file)["$schema"].get<std::string>();
  EXPECT_TRUE(fs::is_regular_file(schema)) << schema;
}

TEST_F(InstallTest, VersionNamesTheInstalledPolicies) {
  ProcessRun run = RunIn(work(), program(), "--version");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, std::string("partnerpolicy ") + PARTNERPOLICY_VERSION +
                         "\npolicies: " + installed_policies().string() +
                         " sha256:" + testing::BundledPolicies().content_hash() + "\n");
}

TEST_F(InstallTest, ASymlinkToTheProgramStillFindsTheInstalledPolicies) {
  // /usr/local/bin/partnerpolicy -> PREFIX/bin/partnerpolicy: the data is beside the real file.
  fs::create_directories(work() / "bin");
  fs::create_symlink(program(), work() / "bin" / "partnerpolicy");
  ProcessRun run = RunIn(work(), work() / "bin" / "partnerpolicy", "--version");
  EXPECT_NE(run.out.find("policies: " + installed_policies().string() + " sha256:"),
            std::string::npos)
      << run.out;
}

TEST_F(InstallTest, PoliciesFlagAndWorkingDirectoryComeFirst) {
  // A copy of the policies with one setting changed: another hash, and the copy is what runs.
  fs::copy(testing::PolicyDir(), work() / "policies", fs::copy_options::recursive);
  std::ofstream(work() / "policies" / "policies.toml", std::ios::app) << "\n";
  std::string copy_hash = Must(PolicySet::Load(work() / "policies")).content_hash();
  ASSERT_NE(copy_hash, testing::BundledPolicies().content_hash());

  nlohmann::json here =
      Json(RunIn(work(), program(), "check " + Quoted(kExample) + " --format json"));
  EXPECT_EQ(here["policy_set"]["directory"], "policies");
  EXPECT_EQ(here["policy_set"]["sha256"], copy_hash);

  fs::path elsewhere = work() / "elsewhere";
  fs::create_directories(elsewhere);
  nlohmann::json flagged = Json(RunIn(elsewhere, program(),
                                      "check " + Quoted(kExample) + " --format json --policies " +
                                          Quoted((work() / "policies").string())));
  EXPECT_EQ(flagged["policy_set"]["directory"], (work() / "policies").string());
  EXPECT_EQ(flagged["policy_set"]["sha256"], copy_hash);
}

TEST_F(InstallTest, ABuildNeverInstalledUsesTheSourceTree) {
  ProcessRun run = RunIn(work(), PARTNERPOLICY_BINARY, "--version");
  EXPECT_NE(run.out.find("policies: " + testing::PolicyDir().string() + " sha256:"),
            std::string::npos)
      << run.out;
}

}  // namespace
}  // namespace partnerpolicy
