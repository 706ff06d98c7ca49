// `partnerpolicy plan` on the real binary (issue 18, acceptance 3): a plan allowed end to end, a
// denial mid-plan naming the step and the rule, the written state that loads and checks, the
// final state's new error findings, and the errors of bad plans, each with its place.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "process_support.h"
#include "rule_test_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary
namespace fs = std::filesystem;

const char* const kState = "fixtures/examples/contoso.json";

std::string Plan(const std::string& arguments) {
  return "plan --state " + std::string(kState) + " " + arguments;
}

// The rule verdicts of a step of a JSON plan report, "rule:verdict".
std::vector<std::string> Verdicts(const nlohmann::json& step) {
  std::vector<std::string> verdicts;
  for (const auto& rule : step["rules"]) {
    verdicts.push_back(rule["rule_id"].get<std::string>() + ":" +
                       rule["verdict"].get<std::string>());
  }
  return verdicts;
}

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Five changes of user of MC-1 (already changed twice): the third change after these is its
// sixth, past the cap of five.
const char* const kFourReassignments =
    "'credit.reassign credit=MC-1 user=carol' 'credit.reassign credit=MC-1 user=emma' "
    "'credit.reassign credit=MC-1 user=hank' 'credit.reassign credit=MC-1 user=bob' "
    "'membership.renew'";

TEST(PlanCommandTest, APlanFileAllowedEndToEnd) {
  ProcessRun run = Partnerpolicy(Plan("--file fixtures/plans/contoso.toml --format json"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "plan");
  EXPECT_EQ(report["decision"], "allowed");
  EXPECT_EQ(report["conditional"], false);
  EXPECT_EQ(report["denied_step"], nullptr);
  EXPECT_EQ(report["plan_file"], "fixtures/plans/contoso.toml");
  ASSERT_EQ(report["steps"].size(), 4u);
  for (const auto& step : report["steps"]) {
    EXPECT_EQ(step["status"], "applied") << step.dump();
    EXPECT_EQ(step["actor"], "alice");  // the file's own `as`
  }
  // The assignment leaves MC-5 Not Redeemed; step 2 is decided on the state step 1 left (MC-5
  // has carol, who finishes the redemption): it creates the sponsorship, and the credit is then
  // Redeemed and records its activation.
  ASSERT_EQ(report["steps"][0]["effect"].size(), 1u) << report["steps"][0]["effect"].dump();
  EXPECT_EQ(report["steps"][0]["effect"][0]["path"], "/credits/4/assignments/-");
  const nlohmann::json& redeemed = report["steps"][1]["effect"];
  EXPECT_EQ(redeemed[0]["value"]["id"], "AZ-MC-5");
  EXPECT_EQ(
      redeemed[2],
      (nlohmann::json{{"op", "replace"}, {"path", "/credits/4/status"}, {"value", "redeemed"}}));
  EXPECT_EQ(redeemed[3],
            (nlohmann::json{
                {"op", "add"}, {"path", "/credits/4/activated_on"}, {"value", "2026-11-23"}}));
  // The key the plan names is the one recorded.
  EXPECT_EQ(report["steps"][2]["effect"][1]["value"]["key"], "INTN1-INTN2-INTN3-INTN4-INTN5");
  EXPECT_EQ(report["final_state"]["after_step"], 4);
  EXPECT_EQ(report["final_state"]["new_error_findings"], nlohmann::json::array());
  EXPECT_EQ(report["final_state"]["written_to"], nullptr);
}

TEST(PlanCommandTest, ADenialMidPlanNamesTheStepAndTheRule) {
  ProcessRun json =
      Partnerpolicy(Plan(std::string("--as alice --format json ") + kFourReassignments));
  EXPECT_EQ(json.exit_code, 1) << json.out;
  nlohmann::json report = Json(json);
  EXPECT_EQ(report["decision"], "denied");
  EXPECT_EQ(report["denied_step"], 4);
  ASSERT_EQ(report["steps"].size(), 5u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(report["steps"][i]["status"], "applied") << i;
  // Each of the first three was decided on the state the one before it left.
  const nlohmann::json* cap = nullptr;
  for (const nlohmann::json& rule : report["steps"][2]["rules"]) {
    if (rule["rule_id"] == "credits.monthly.reassignment-cap") cap = &rule;
  }
  ASSERT_NE(cap, nullptr) << report["steps"][2].dump(2);
  EXPECT_EQ((*cap)["facts"]["reassignments_left"], 0) << report["steps"][2].dump(2);
  const nlohmann::json& denied = report["steps"][3];
  EXPECT_EQ(denied["status"], "denied");
  EXPECT_TRUE(Has(Verdicts(denied), "credits.monthly.reassignment-cap:deny")) << denied.dump(2);
  EXPECT_EQ(denied["effect"], nlohmann::json::array());
  EXPECT_EQ(report["steps"][4]["status"], "not decided");
  EXPECT_FALSE(report["steps"][4].contains("rules"));
  EXPECT_EQ(report["final_state"]["after_step"], 3);

  ProcessRun text = Partnerpolicy(Plan(std::string("--as alice ") + kFourReassignments));
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("DENIED at step 4 of 5"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("step 4  DENIED  credit.reassign credit=MC-1 user=bob --as alice\n"
                          "    ✗ deny  credits.monthly.reassignment-cap"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("step 5  not decided  membership.renew --as alice"), std::string::npos)
      << text.out;
}

TEST(PlanCommandTest, TheWrittenStateLoadsAndChecks) {
  ScratchDir scratch("partnerpolicy-plan");
  const std::string out = (scratch.path() / "after.json").string();
  ProcessRun run = Partnerpolicy(
      Plan("--file fixtures/plans/contoso.toml --write-state " + Quoted(out) + " --format json"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(Json(run)["final_state"]["written_to"], out);
  ASSERT_TRUE(fs::exists(out));

  // It is a partner state like any other: check reads it (the example's own breaches remain)...
  ProcessRun check = Partnerpolicy("check " + Quoted(out) + " --format json");
  EXPECT_EQ(check.exit_code, 1) << check.out;
  nlohmann::json checked = Json(check);
  EXPECT_EQ(checked["fixtures"][0]["status"], "evaluated") << check.out;
  EXPECT_EQ(
      checked["summary"]["errors"],
      Json(Partnerpolicy("check " + std::string(kState) + " --format json"))["summary"]["errors"]);
  // ... and holds what the plan did: MC-5 is carol's, on its new sponsorship.
  nlohmann::json state = nlohmann::json::parse(ReadFile(out));
  EXPECT_EQ(state["credits"][4]["assignments"].back()["user"], "carol");
  EXPECT_EQ(state["credits"][4]["azure_subscription"], "AZ-MC-5");
  EXPECT_EQ(state["subscriptions"][2]["end"], "2027-03-01");
  ProcessRun can = Partnerpolicy("can credit.reassign --state " + Quoted(out) +
                                 " credit=MC-5 user=emma --as alice --format json");
  EXPECT_EQ(can.exit_code, 0) << can.out;

  // A denied plan has no final state: the file is left as it was.
  ProcessRun denied = Partnerpolicy(
      Plan(std::string("--as alice --write-state ") + Quoted(out) + " " + kFourReassignments));
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.out.find(out + " not written: step 4 was denied"), std::string::npos)
      << denied.out;
  EXPECT_EQ(nlohmann::json::parse(ReadFile(out))["credits"][4]["azure_subscription"], "AZ-MC-5");
}

TEST(PlanCommandTest, AFinalStateThatBreaksARuleFailsThePlan) {
  // With a rule that allows what its own check forbids, every step is allowed but the final
  // state breaks the rule: said, and exit 1.
  ScratchDir scratch("partnerpolicy-plan");
  fs::copy(PolicyDir(), scratch.path() / "policies", fs::copy_options::recursive);
  fs::copy(SourceDir() / "tests" / "policies" / "broken", scratch.path() / "policies",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const std::string policies = " --policies " + Quoted((scratch.path() / "policies").string());
  ProcessRun run =
      Partnerpolicy(Plan(std::string("--as alice --format json ") + kFourReassignments + policies));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["decision"], "allowed");
  const nlohmann::json& found = report["final_state"]["new_error_findings"];
  ASSERT_EQ(found.size(), 1u) << found.dump(2);
  EXPECT_EQ(found[0]["rule_id"], "credits.monthly.reassignment-cap");
  EXPECT_EQ(found[0]["entity_id"], "MC-1");

  ProcessRun text = Partnerpolicy(Plan(std::string("--as alice ") + kFourReassignments + policies));
  EXPECT_NE(text.out.find("check: the state after step 5 has 1 error finding that " +
                          std::string(kState) + " did not have:"),
            std::string::npos)
      << text.out;
}

TEST(PlanCommandTest, AllowedIfHasItsOwnExitCode) {
  // No --as: the credit rules' condition on who acts makes the step ALLOWED IF.
  ProcessRun run = Partnerpolicy(Plan("'credit.reassign credit=MC-1 user=carol' --format json"));
  EXPECT_EQ(run.exit_code, 3) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["decision"], "allowed if");
  EXPECT_EQ(report["conditional"], true);
  EXPECT_EQ(report["steps"][0]["decision"], "allowed if");
}

// Errors exit 2 with every problem and its place (JSON reports carry them on standard output).
nlohmann::json ErrorsOf(const std::string& arguments) {
  ProcessRun run = Partnerpolicy(arguments + " --format json");
  EXPECT_EQ(run.exit_code, 2) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "error");
  return report["errors"];
}

TEST(PlanCommandTest, ABadPlanFileIsReportedAtItsLinesAndColumns) {
  ScratchDir scratch("partnerpolicy-plan");
  const std::string file = scratch.Write("plan.toml",
                                         "as = \"alice\"\n"
                                         "\n"
                                         "[[step]]\n"
                                         "action = \"credit.reassign\"\n"
                                         "arguments = { credit = \"MC-1\", user = true }\n"
                                         "colour = \"red\"\n"
                                         "\n"
                                         "[[step]]\n"
                                         "arguments = { credit = \"MC-1\" }\n");
  nlohmann::json errors = ErrorsOf(Plan("--file " + Quoted(file)));
  ASSERT_EQ(errors.size(), 3u) << errors.dump(2);
  EXPECT_EQ(errors[0]["message"], "argument 'user' must be a string, an integer or a date");
  EXPECT_EQ(errors[0]["line"], 5);
  EXPECT_EQ(errors[0]["column"], 39);
  EXPECT_EQ(errors[1]["message"],
            "unknown key 'colour' in a step; a step has action, arguments and as");
  EXPECT_EQ(errors[1]["line"], 6);
  EXPECT_EQ(errors[1]["column"], 1);
  EXPECT_EQ(errors[2]["message"], "a step needs 'action', e.g. action = \"credit.reassign\"");
  EXPECT_EQ(errors[2]["line"], 8);
  for (const auto& error : errors) EXPECT_EQ(error["file"], file);

  // TOML syntax, and a step naming an action the policies do not have (at its [[step]]).
  nlohmann::json syntax =
      ErrorsOf(Plan("--file " + Quoted(scratch.Write("syntax.toml", "[[step]]\naction = \n"))));
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0]["line"], 2) << syntax.dump(2);
  nlohmann::json unknown =
      ErrorsOf(Plan("--file " + Quoted(scratch.Write("unknown.toml",
                                                     "\n[[step]]\naction = \"credit.bogus\"\n"))));
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0]["message"].get<std::string>().rfind(
                "step 1 (credit.bogus): unknown action 'credit.bogus'", 0),
            0u)
      << unknown.dump(2);
  EXPECT_EQ(unknown[0]["line"], 2);
  nlohmann::json empty =
      ErrorsOf(Plan("--file " + Quoted(scratch.Write("empty.toml", "as = \"alice\"\n"))));
  EXPECT_EQ(empty[0]["message"], "no [[step]] tables: a plan needs at least one step");
}

TEST(PlanCommandTest, StepsThatCannotBeAppliedAreUsageErrors) {
  // The state after a reassignment depends on the user: an open user cannot be applied.
  nlohmann::json open = ErrorsOf(Plan("--as alice 'credit.reassign credit=MC-1'"));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["message"].get<std::string>().rfind(
                "step 1 (credit.reassign credit=MC-1 --as alice): credit.reassign needs user=... "
                "to compute its effect",
                0),
            0u)
      << open.dump(2);
  EXPECT_EQ(ErrorsOf(Plan(""))[0]["message"],
            "give the steps, each as one quoted argument (\"ACTION name=value ...\"), or --file "
            "PLAN.toml");
  EXPECT_EQ(ErrorsOf(Plan("--file fixtures/plans/contoso.toml membership.renew"))[0]["message"],
            "give the steps either on the command line or with --file, not both");
  EXPECT_EQ(ErrorsOf(Plan("'credit.reassign credit=MC-1 carol'"))[0]["message"],
            "step \"credit.reassign credit=MC-1 carol\": argument 'carol' is not of the form "
            "name=value");
}

}  // namespace
}  // namespace partnerpolicy
