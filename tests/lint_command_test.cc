// partnerpolicy lint through the real binary: output lines, the JSON report, exit codes.
#include <gtest/gtest.h>

#include "process_support.h"
#include "rule_test_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// A policy that declares `spare` and never reads it; `body` goes into its check.
std::string Policy(const std::string& body) {
  return "return {\n"
         "  id = \"test.lint\", title = \"t\", severity = \"error\", description = \"d\",\n"
         "  source = { seed = \"001_5c53631e905999a7.txt\", section = \"Azure credits FAQs\" },\n"
         "  params = { spare = 1 }, constrains = { \"credits.amount\" },\n"
         "  check = function(state, ctx)\n" +
         body + "\n  end,\n}\n";
}

void Write(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(LintCommandTest, BundledPoliciesAreClean) {
  ProcessRun clean = Partnerpolicy("lint policies");
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_EQ(clean.out, "lint: no problems in " + std::to_string(Bundled().policies().size()) +
                           " policies and " + std::to_string(Bundled().libraries().size()) +
                           " helper libraries (sources checked against policies/sources.toml)\n");
  EXPECT_EQ(Partnerpolicy("lint --fail-on warning").exit_code, 0);  // default: ./policies
}

TEST(LintCommandTest, WarningsFailOnlyWithFailOnWarning) {
  TempPolicies set(ReadFile(PolicyDir() / "policies.toml"));
  Write(set.dir() / "unused.lua", Policy("    return state"));
  ProcessRun warned = Partnerpolicy("lint " + Quoted(set.dir().string()));
  EXPECT_EQ(warned.exit_code, 0) << warned.out;
  EXPECT_EQ(warned.out, (set.dir() / "unused.lua").string() +
                            ":4:14: warning: parameter 'spare' is declared but no code reads it "
                            "(ctx.params.spare) [unused-param]\n"
                            "      params = { spare = 1 }, constrains = { \"credits.amount\" },\n"
                            "                 ^\n"
                            "lint: 0 errors, 1 warning in " +
                            std::to_string(Bundled().policies().size() + 1) + " policies and " +
                            std::to_string(Bundled().libraries().size()) +
                            " helper libraries (sources checked against " +
                            (set.dir() / "sources.toml").string() + ")\n");
  EXPECT_EQ(Partnerpolicy("lint --fail-on warning " + Quoted(set.dir().string())).exit_code, 1);
}

TEST(LintCommandTest, ErrorsInTheJsonReport) {
  TempPolicies set(ReadFile(PolicyDir() / "policies.toml"));
  Write(set.dir() / "global.lua", Policy("    x = ctx.params.spare"));
  Write(set.dir() / "zz_copy.lua", Policy("    return ctx.params.spare"));
  ProcessRun run = Partnerpolicy("lint " + Quoted(set.dir().string()) + " --format json");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "lint");
  EXPECT_EQ(report["directory"], set.dir().string());
  EXPECT_EQ(report["sources"], (set.dir() / "sources.toml").string());
  EXPECT_EQ(report["fail_on"], "error");
  EXPECT_EQ(report["summary"]["policies"], Bundled().policies().size() + 2);
  EXPECT_EQ(report["summary"]["errors"], 2);
  EXPECT_EQ(report["summary"]["warnings"], 0);
  ASSERT_EQ(report["problems"].size(), 2u);
  EXPECT_EQ(report["problems"][0],
            (nlohmann::json{{"file", (set.dir() / "global.lua").string()},
                            {"line", 6},
                            {"column", 5},
                            {"severity", "error"},
                            {"check", "global-write"},
                            {"message",
                             "assignment to global 'x': declare it local (policies may not "
                             "create globals)"}}));
  EXPECT_EQ(report["problems"][1]["check"], "duplicate-id");
  EXPECT_EQ(report["problems"][1]["message"], "rule id 'test.lint' is already declared by " +
                                                  (set.dir() / "global.lua").string() + ":2");
}

// The acceptance case of "Writing policies": a policy reading a field the state lacks.
TEST(LintCommandTest, AnUndefinedStateFieldIsFlagged) {
  TempPolicies set(ReadFile(PolicyDir() / "policies.toml"));
  Write(set.dir() / "typo.lua",
        Policy("    for _, credit in ipairs(state.credits) do\n"
               "      if credit.knd == 'bulk' then return ctx.params.spare end\n"
               "    end"));
  ProcessRun run = Partnerpolicy("lint " + Quoted(set.dir().string()));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(
      Contains(run.out, (set.dir() / "typo.lua").string() +
                            ":7:17: error: credit.knd: the partner state's credits[] have "
                            "no field 'knd' (did you mean 'kind'?) [unknown-state-field]\n"))
      << run.out;
  // The schema is the one the other commands use, or --schema's.
  ProcessRun no_schema = Partnerpolicy("lint policies --schema no/such.schema.json");
  EXPECT_EQ(no_schema.exit_code, 2);
  EXPECT_EQ(no_schema.out, "");
}

// Acceptance (issue 18): a policy set where an action touches what a rule constrains and the
// rule neither decides it nor says why not fails lint, naming the pair and the way out.
TEST(LintCommandTest, AnUnexplainedActionAndRulePairFailsLint) {
  const std::string dir = "tests/policies/ungoverned";
  ProcessRun run = Partnerpolicy("lint " + dir);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(run.out,
            dir +
                "/test/silent.lua:9:18: error: credit.assign touches credits.assignments, which "
                "the rule constrains, but the rule neither decides credit.assign nor says why "
                "it has no say on it: add decide[\"credit.assign\"], or "
                "no_say[\"credit.assign\"] = \"<why not, in one line>\" [ungoverned-action]\n"
                // The source line, and a caret under the column (as clang and ninja show it).
                "      constrains = { \"credits.assignments\" },\n"
                "                     ^\n"
                "lint: 1 error, 0 warnings in 2 policies and 0 helper libraries (sources "
                "checked against " +
                dir + "/sources.toml)\n");
  // The matrix shows the same pair.
  ProcessRun matrix = Partnerpolicy("rules --matrix --policies " + dir);
  EXPECT_EQ(matrix.exit_code, 0) << matrix.out;
  EXPECT_EQ(
      matrix.out,
      "which rule governs which action: 1 action, 2 rules in " + dir +
          "\n"
          "\n"
          "credit.assign\n"
          "  touches      credits.assignments\n"
          "  decides      test.decides\n"
          "  UNEXPLAINED  test.silent (constrains credits.assignments)\n"
          "\n"
          "1 unexplained pair: the rule neither decides the action nor says why not in no_say "
          "(lint: ungoverned-action)\n");
  // A reason in no_say explains it.
  ScratchDir set("ungoverned");
  fs::copy(SourceDir() / dir, set.path(), fs::copy_options::recursive);
  std::string silent = ReadFile(set.path() / "test" / "silent.lua");
  silent.replace(silent.find("  constrains"), 0,
                 "  no_say = { [\"credit.assign\"] = \"an assignment adds one event, and the "
                 "count only warns\" },\n");
  Write(set.path() / "test" / "silent.lua", silent);
  ProcessRun explained =
      Partnerpolicy("lint " + Quoted(set.path().string()) + " --fail-on warning");
  EXPECT_EQ(explained.exit_code, 0) << explained.out;
}

TEST(LintCommandTest, UnreadableDirectoryOrBadFlagIsAUsageError) {
  ProcessRun missing = Partnerpolicy("lint no/such/dir");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");  // the error goes to standard error
  ProcessRun as_json = Partnerpolicy("lint no/such/dir --format json");
  EXPECT_EQ(as_json.exit_code, 2);
  EXPECT_EQ(Json(as_json)["kind"], "error");
  EXPECT_EQ(Json(as_json)["errors"][0]["message"], "not a policy directory");
  EXPECT_EQ(Partnerpolicy("lint policies --fail-on sometimes").exit_code, 2);
  EXPECT_EQ(Partnerpolicy("lint policies --seeds no/such/seeds").exit_code, 2);
}

}  // namespace
}  // namespace partnerpolicy
