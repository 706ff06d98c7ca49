// `partnerpolicy test` through the real binary: a failing case prints expected and actual side
// by side with the first differing JSON pointer (exit 1), a bad test file is an input error with
// file and pointer (exit 2), and --threshold fails naming the file and its missed lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "process_support.h"
#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// A scratch repository layout under /tmp: DIR/policies (a copy of the bundled policies, or
// empty) and DIR/fixtures (a link to the repository's), so test files' relative state paths
// resolve as in the repository. Removed afterwards.
class ScratchPolicies {
 public:
  explicit ScratchPolicies(bool copy_bundled) {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path("/tmp") /
            ("partnerpolicy-ptest-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    if (copy_bundled) {
      fs::copy(PolicyDir(), policies(), fs::copy_options::recursive);
    } else {
      fs::create_directories(policies());
      fs::copy_file(PolicyDir() / "actions.toml", policies() / "actions.toml");
    }
    fs::create_directory_symlink(SourceDir() / "fixtures", root_ / "fixtures");
  }
  ~ScratchPolicies() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  ScratchPolicies(const ScratchPolicies&) = delete;
  ScratchPolicies& operator=(const ScratchPolicies&) = delete;

  fs::path policies() const { return root_ / "policies"; }
  void Write(const std::string& relative, const std::string& text) const {
    std::ofstream out(policies() / relative, std::ios::binary | std::ios::trunc);
    out << text;
  }

 private:
  fs::path root_;
};

constexpr const char* kCapTests = "credits/monthly_reassignment_cap.test.json";

// The bundled policy test files, sorted.
std::vector<fs::path> BundledTestFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(PolicyDir())) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 10 && name.substr(name.size() - 10) == ".test.json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The bundled reassignment-cap tests with the first case (MC-2, which the rule denies) edited.
std::string EditedCapTests(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json tests = nlohmann::json::parse(ReadFile(PolicyDir() / kCapTests));
  edit(tests["cases"][0]);
  return tests.dump(2);
}

TEST(PolicyTestCommandTest, BundledTestsPass) {
  ProcessRun run = Partnerpolicy("test policies --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "test");
  EXPECT_EQ(report["summary"]["failed"], 0);
  EXPECT_GT(report["summary"]["passed"], 100);
  EXPECT_EQ(report["summary"]["ok"], true);
}

// Every rule is tested the ways it can be: a check case when it has a state check, an alerts case
// when it has alerts, a decision case for each action it decides.
TEST(PolicyTestCommandTest, EveryRuleHasCasesOfEachOfItsKinds) {
  for (const PolicyInfo& info : Bundled().policies()) {
    SCOPED_TRACE(info.id);
    fs::path file = SourceDir() / info.file;
    file.replace_extension(".test.json");
    ASSERT_TRUE(fs::exists(file)) << file;
    nlohmann::json tests = nlohmann::json::parse(ReadFile(file));
    bool check = false, alerts = false;
    std::set<std::string> actions;
    for (const auto& c : tests["cases"]) {
      check = check || c["expect"].contains("findings") || c["expect"].contains("passes");
      alerts = alerts || c["expect"].contains("alerts");
      if (c.contains("action")) actions.insert(c["action"].get<std::string>());
    }
    EXPECT_EQ(check, info.has_check);
    EXPECT_EQ(alerts, info.has_alerts);
    for (const std::string& action : info.actions) {
      EXPECT_EQ(actions.count(action), 1u) << "no case decides " << action;
    }
  }
}

TEST(PolicyTestCommandTest, AFailingCaseShowsExpectedAndActualSideBySide) {
  ScratchPolicies scratch(true);
  scratch.Write(kCapTests, EditedCapTests([](nlohmann::json& c) {
                  c["expect"]["verdicts"]["credits.monthly.reassignment-cap"] = "allow";
                }));
  const std::string dir = scratch.policies().string();
  ProcessRun run = Partnerpolicy("test " + Quoted(dir));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  const std::string file = dir + "/" + kCapTests;
  const std::string expected_block =
      "FAIL " + file +
      "#/cases/0 \"MC-2 has used all five reassignments\"\n"
      "  at /verdicts/credits.monthly.reassignment-cap: expected \"allow\", got \"deny\"\n"
      "  expected                                        | actual\n"
      "  {                                                 {\n"
      "    \"decision\": \"denied\",                             \"decision\": \"denied\",\n"
      "    \"verdicts\": {                                     \"verdicts\": {\n"
      "      \"credits.monthly.reassignment-cap\": \"allow\" |     "
      "\"credits.monthly.reassignment-cap\": \"deny\"\n"
      "    }                                                 }\n"
      "  }                                                 }\n"
      "  what the rules said:\n"
      "    credits.monthly.reassignment-cap deny: monthly credit MC-2 has already changed user 5 "
      "times; the cap is 5 reassignments per credit\n";
  EXPECT_NE(run.out.find(expected_block), std::string::npos) << run.out;
  const size_t cases = nlohmann::json::parse(ReadFile(PolicyDir() / kCapTests))["cases"].size();
  EXPECT_NE(run.out.find("FAIL " + file + ": " + std::to_string(cases - 1) + " passed, 1 failed\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find(", 1 failed in " + std::to_string(BundledTestFiles().size()) + " files\n"),
            std::string::npos)
      << run.out;

  ProcessRun json = Partnerpolicy("test " + Quoted(dir) + " --format json");
  EXPECT_EQ(json.exit_code, 1);
  nlohmann::json report = Json(json);
  EXPECT_EQ(report["summary"]["failed"], 1);
  for (const auto& f : report["files"]) {
    if (f["path"] != file) continue;
    const nlohmann::json& failed = f["cases"][0];
    EXPECT_EQ(failed["status"], "fail");
    EXPECT_EQ(failed["difference"], "/verdicts/credits.monthly.reassignment-cap");
    EXPECT_EQ(failed["expected"]["verdicts"]["credits.monthly.reassignment-cap"], "allow");
    EXPECT_EQ(failed["actual"]["verdicts"]["credits.monthly.reassignment-cap"], "deny");
    EXPECT_EQ(f["cases"][1]["status"], "pass");
  }
}

TEST(PolicyTestCommandTest, ACaseWithoutAsOfIsABadTestFile) {
  ScratchPolicies scratch(true);
  scratch.Write(kCapTests, EditedCapTests([](nlohmann::json& c) { c.erase("as_of"); }));
  const std::string dir = scratch.policies().string();
  ProcessRun run = Partnerpolicy("test " + Quoted(dir) + " --format json");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "error");
  ASSERT_EQ(report["errors"].size(), 1u) << run.out;
  const nlohmann::json& error = report["errors"][0];
  EXPECT_EQ(error["file"], dir + "/" + kCapTests);
  EXPECT_EQ(error["pointer"], "/cases/0");
  EXPECT_EQ(error["line"], 4);
  EXPECT_EQ(error["message"], "Missing required property 'as_of'");
}

TEST(PolicyTestCommandTest, CaseKindsAndRuleIdsAreChecked) {
  ScratchPolicies scratch(true);
  scratch.Write(kCapTests, EditedCapTests([](nlohmann::json& c) {
                  c["within"] = "30d";
                  c["expect"]["verdicts"]["credits.no-such-rule"] = "allow";
                }));
  ProcessRun run = Partnerpolicy("test " + Quoted(scratch.policies().string()) + " --format json");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  nlohmann::json report = Json(run);
  ASSERT_EQ(report["errors"].size(), 2u) << run.out;
  EXPECT_EQ(report["errors"][0]["pointer"], "/cases/0/expect/verdicts/credits.no-such-rule");
  EXPECT_EQ(report["errors"][0]["message"], "no policy declares rule 'credits.no-such-rule'");
  EXPECT_EQ(report["errors"][1]["pointer"], "/cases/0/within");
  EXPECT_EQ(report["errors"][1]["message"],
            "\"within\" belongs to alerts cases; this is a decision case");
}

TEST(PolicyTestCommandTest, SettingsApplyToTheirCaseOnly) {
  ScratchPolicies scratch(true);
  // MC-1 has used three reassignments: with a cap of two the second case's "allowed" fails.
  nlohmann::json tests = nlohmann::json::parse(ReadFile(PolicyDir() / kCapTests));
  tests["cases"][1]["settings"] = {
      {"credits.monthly.reassignment-cap", {{"max_reassignments", 2}}}};
  scratch.Write(kCapTests, tests.dump(2));
  const std::string dir = scratch.policies().string();
  ProcessRun run = Partnerpolicy("test " + Quoted(dir) + " --format json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  nlohmann::json report = Json(run);
  for (const auto& f : report["files"]) {
    if (f["path"] != dir + "/" + kCapTests) continue;
    EXPECT_EQ(f["failed"], 1);
    EXPECT_EQ(f["cases"][1]["status"], "fail");
    EXPECT_EQ(f["cases"][1]["difference"], "/decision");
    EXPECT_EQ(f["cases"][1]["actual"]["verdicts"]["credits.monthly.reassignment-cap"], "deny");
  }

  tests["cases"][1]["settings"] = {{"credits.monthly.reassignment-cap", {{"no_such", 2}}}};
  scratch.Write(kCapTests, tests.dump(2));
  ProcessRun bad = Partnerpolicy("test " + Quoted(dir) + " --format json");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  nlohmann::json errors = Json(bad)["errors"];
  ASSERT_EQ(errors.size(), 1u) << bad.out;
  EXPECT_EQ(errors[0]["pointer"], "/cases/1/settings/credits.monthly.reassignment-cap/no_such");
  EXPECT_EQ(errors[0]["message"],
            "rule 'credits.monthly.reassignment-cap' has no parameter 'no_such'; parameters: "
            "alert_when_left, max_reassignments");
}

// A policy with a branch no case takes (line 7), and a test file that passes.
constexpr const char* kUntested =
    "return {\n"
    "  id = \"test.untested-branch\", title = \"t\", severity = \"error\", description = \"d\",\n"
    "  source = { seed = \"s\", section = \"x\" },\n"
    "  check = function(state, ctx)\n"
    "    for _, credit in ipairs(state.credits) do\n"
    "      if credit.kind == \"never\" then\n"
    "        ctx.report{ at = credit, message = \"never\" }\n"
    "      end\n"
    "    end\n"
    "  end,\n"
    "}\n";
constexpr const char* kUntestedTests =
    "{ \"cases\": [ { \"name\": \"no credit is of kind never\", \"as_of\": \"2026-11-23\",\n"
    "  \"state\": \"../fixtures/examples/contoso.json\", \"expect\": { \"findings\": [] } } ] }\n";

TEST(PolicyTestCommandTest, ThresholdAboveTheReachedCoverageFailsNamingTheMissedLines) {
  ScratchPolicies scratch(false);
  scratch.Write("untested.lua", kUntested);
  scratch.Write("untested.test.json", kUntestedTests);
  const std::string dir = scratch.policies().string();
  const std::string file = dir + "/untested.lua";

  ProcessRun run = Partnerpolicy("test " + Quoted(dir) + " --threshold 100");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("ok   " + dir + "/untested.test.json: 1 passed\n"), std::string::npos)
      << run.out;
  // Nine executable lines: 1-3, 10 and 11 build the rule table, 5-7, 9 and 10 are the check.
  EXPECT_NE(run.out.find("  " + file + "   88.8% (8/9)  missed lines: 7\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("test: 1 passed, 0 failed in 1 file; 1 file below 100% line coverage:\n"
                         "  " +
                         file + " 88.8% (missed lines 7)\n"),
            std::string::npos)
      << run.out;

  ProcessRun json = Partnerpolicy("test " + Quoted(dir) + " --threshold 100 --format json");
  EXPECT_EQ(json.exit_code, 1);
  nlohmann::json report = Json(json);
  EXPECT_EQ(report["coverage"]["below_threshold"], nlohmann::json::array({file}));
  EXPECT_EQ(report["coverage"]["files"][0]["missed"], nlohmann::json::array({7}));
  EXPECT_EQ(report["summary"]["ok"], false);

  // The same coverage meets a lower threshold; without --threshold coverage only reports.
  EXPECT_EQ(Partnerpolicy("test " + Quoted(dir) + " --threshold 85").exit_code, 0);
  EXPECT_EQ(Partnerpolicy("test " + Quoted(dir) + " --coverage").exit_code, 0);
}

}  // namespace
}  // namespace partnerpolicy
