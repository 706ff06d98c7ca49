// The real partnerpolicy binary: exit codes and the parsed --format json output.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using testing::Json;
using testing::Partnerpolicy;
using testing::ProcessRun;

const char* kExample = "fixtures/examples/contoso.json";

TEST(CliTest, CheckExampleFindsEachCoreRuleAndExitsOne) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample + " --format json");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["summary"]["errors"], 18);
  EXPECT_EQ(report["summary"]["warnings"], 4);
  EXPECT_EQ(report["fixtures"][0]["evaluation_date"]["source"], "the fixture's as_of");
  std::set<std::string> rules;
  for (const auto& f : report["fixtures"][0]["findings"]) rules.insert(f["rule_id"]);
  for (const char* core :
       {"cloud.checkout-billing-roles", "credits.bulk.no-reassignment", "credits.free-domain-ban",
        "credits.monthly.reassignment-cap", "subscriptions.extension-limit"}) {
    EXPECT_EQ(rules.count(core), 1u) << core;
  }
  // Every rule with a state check is listed with its outcome, passing ones included.
  int passed = 0, failed = 0;
  for (const auto& rule : report["fixtures"][0]["rules"]) {
    (rule["status"] == "pass" ? passed : failed) += 1;
    EXPECT_EQ(rule["status"] == "fail", rules.count(rule["rule_id"]) == 1) << rule.dump();
  }
  EXPECT_EQ(failed, static_cast<int>(rules.size()));
  EXPECT_GT(passed, 0);
  const auto& first = report["fixtures"][0]["findings"][0];
  EXPECT_GT(first["line"].get<int>(), 0);
  EXPECT_FALSE(first["pointer"].get<std::string>().empty());
  EXPECT_FALSE(first["source"]["seed"].get<std::string>().empty());
}

TEST(CliTest, CheckCleanFixtureExitsZero) {
  ProcessRun run =
      Partnerpolicy("check fixtures/valid/minimal.json --format json --as-of 2026-01-01");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["fixtures"][0]["evaluation_date"]["date"], "2026-01-01");
  EXPECT_EQ(report["fixtures"][0]["evaluation_date"]["source"], "--as-of");
}

TEST(CliTest, CheckInvalidFixtureExitsTwoWithLocatedErrors) {
  ProcessRun run = Partnerpolicy("check fixtures/broken/dangling-reference.json --format json");
  EXPECT_EQ(run.exit_code, 2);
  nlohmann::json report = Json(run);
  const auto& error = report["fixtures"][0]["errors"][0];
  EXPECT_EQ(error["pointer"], "/credits/0/assignments/1/user");
  EXPECT_GT(error["line"].get<int>(), 0);
}

// The text report shows the line an error points at with a caret under the column, as clang and
// ninja do; a long line (minified JSON) is cut to a window around the column.
TEST(CliTest, ErrorsShowTheSourceLineWithACaret) {
  ProcessRun run = Partnerpolicy("check fixtures/broken/bad-email.json");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(
      run.out.find("fixtures/broken/bad-email.json:55:16: e-mail address \"no-at-sign\" has no "
                   "'@'; expected local@domain (at /users/1/email)\n"
                   "            \"email\": \"no-at-sign\",\n"
                   "                     ^\n"),
      std::string::npos)
      << run.out;

  testing::ScratchDir dir("partnerpolicy-cli-test");
  std::string file = dir.Write(
      "minified.json", "{\"as_of\": \"2026-11-23\"," + std::string(200, ' ') + "\"partner\": }\n");
  ProcessRun cut = Partnerpolicy("check " + file);
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_NE(cut.out.find(":1:235: invalid JSON"), std::string::npos) << cut.out;
  // "      ..." then the last 60 characters before column 235, the '}' there, and the caret
  // under it: the 3 dots and 60 characters later.
  std::string shown = "      ..." + std::string(49, ' ') + "\"partner\": }\n";
  std::string caret = "      " + std::string(63, ' ') + "^\n";
  EXPECT_NE(cut.out.find(shown + caret), std::string::npos) << cut.out;
}

TEST(CliTest, CanReassignAllowedSaysHowManyRemain) {
  ProcessRun run = Partnerpolicy(std::string("can credit.reassign --state ") + kExample +
                                 " credit=MC-1 user=carol --as alice --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json j = Json(run);
  EXPECT_EQ(j["decision"], "allowed");
  bool found = false;
  for (const auto& rule : j["rules"]) {
    if (rule["rule_id"] == "credits.monthly.reassignment-cap") {
      EXPECT_EQ(rule["facts"]["reassignments_left"], 2);
      found = true;
    }
  }
  EXPECT_TRUE(found) << run.out;
}

TEST(CliTest, CanReassignSixthTimeIsDeniedWithRemedy) {
  ProcessRun run = Partnerpolicy(std::string("can credit.reassign --state ") + kExample +
                                 " credit=MC-2 user=carol --format json");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json j = Json(run);
  EXPECT_EQ(j["decision"], "denied");
  EXPECT_EQ(j["rules"][0]["rule_id"], "credits.monthly.reassignment-cap");
  EXPECT_EQ(j["rules"][0]["verdict"], "deny");
  EXPECT_FALSE(j["rules"][0]["remedy"].get<std::string>().empty());
}

TEST(CliTest, CanExtendPrintsNewEndDate) {
  ProcessRun run = Partnerpolicy(std::string("can subscription.extend --state ") + kExample +
                                 " subscription=S-INTUNE key-licenses=150"
                                 " key=NEWK1-NEWK2-NEWK3-NEWK4-NEWK5 --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json j = Json(run);
  nlohmann::json limit;
  for (const auto& rule : j["rules"]) {
    if (rule["rule_id"] == "subscriptions.extension-limit") limit = rule;
  }
  EXPECT_EQ(limit["facts"]["new_end_date"], "2028-06-01");
  EXPECT_EQ(limit["facts"]["months_added"], 18);
}

TEST(CliTest, CanRedeemNeedsBothRoles) {
  ProcessRun ok = Partnerpolicy(std::string("can benefit.redeem --state ") + kExample +
                                " benefit=B-COP --as alice --format json");
  EXPECT_EQ(ok.exit_code, 3) << ok.out;  // allowed if the tenant, left open, is eligible
  ProcessRun denied = Partnerpolicy(std::string("can benefit.redeem --state ") + kExample +
                                    " benefit=B-COP --as carol@contoso.com");
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.out.find("DENIED"), std::string::npos);
  EXPECT_NE(denied.out.find("cloud.checkout-billing-roles"), std::string::npos);
}

// ALLOWED IF is not a yes: it has its own exit code (3), so `can ... && act` does not act on a
// condition nobody checked, and JSON spells the three answers as the text report and policy
// tests do. `conditional` is kept, derived from the decision.
TEST(CliTest, CanExitCodeAndSpellingSayAllowedIfApart) {
  struct Case {
    std::string request;
    int exit_code;
    const char* decision;
    const char* banner;
  };
  const std::string state = std::string(" --state ") + kExample;
  for (const Case& c : {
           Case{"can credit.assign" + state + " credit=MC-5", 3, "allowed if", "ALLOWED IF"},
           Case{"can credit.reassign" + state + " credit=MC-1 user=carol --as alice", 0, "allowed",
                "ALLOWED"},
           Case{"can credit.reassign" + state + " credit=MC-2 user=carol --as alice", 1, "denied",
                "DENIED"},
       }) {
    SCOPED_TRACE(c.request);
    ProcessRun json = Partnerpolicy(c.request + " --format json");
    EXPECT_EQ(json.exit_code, c.exit_code) << json.out;
    nlohmann::json j = Json(json);
    EXPECT_EQ(j["decision"], c.decision);
    EXPECT_EQ(j["conditional"], std::string(c.decision) == "allowed if");
    ProcessRun text = Partnerpolicy(c.request);
    EXPECT_EQ(text.exit_code, c.exit_code);
    EXPECT_EQ(text.out.rfind(std::string(c.banner) + "  ", 0), 0u) << text.out;
  }
}

// `actions` lists: it exits 0 whatever its lines say, and spells each line's decision as `can`.
TEST(CliTest, ActionsSpellsEachDecisionAndExitsZero) {
  ProcessRun run = Partnerpolicy(std::string("actions --state ") + kExample + " --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  std::map<std::string, int> spelled;
  for (const auto& line : report["lines"]) {
    const std::string decision = line["decision"];
    ++spelled[decision];
    EXPECT_EQ(line["conditional"], decision == "allowed if") << line.dump();
  }
  EXPECT_EQ(spelled.size(), 3u);  // allowed, allowed if and denied, nothing else
  EXPECT_GT(spelled["allowed"], 0);
  EXPECT_GT(spelled["allowed if"], 0);
  EXPECT_GT(spelled["denied"], 0);
}

// A rule that read one of two contradicting fields answered ALLOWED on each of these states (the
// other field said no); now the state is refused when it loads, naming both fields.
TEST(CliTest, ContradictoryStatesAreRefusedInsteadOfAllowed) {
  struct Case {
    const char* request;
    const char* fixture;
    const char* first;   // where the error is
    const char* second;  // the field its message names
  };
  for (const Case& c : {
           Case{"credit.activate credit=MC-2", "credit-not-redeemed-but-activated",
                "/credits/2/status", "/credits/2/activated_on"},
           Case{"credit.assign credit=MC-2 user=bob", "sponsorship-of-unredeemed-credit",
                "/azure_subscriptions/2/credit", "/credits/2/status"},
           Case{"subscription.move subscription=S-E3 tenant=T-1",
                "more-holders-than-assigned-licenses", "/subscriptions/0/assigned_users",
                "/subscriptions/0/assigned_licenses"},
           Case{"benefit.redeem benefit=B-COP tenant=T-1", "subscription-of-available-benefit",
                "/subscriptions/2/benefit", "/cloud_benefits/2/status"},
       }) {
    SCOPED_TRACE(c.request);
    ProcessRun run = Partnerpolicy(std::string("can ") + c.request +
                                   " --as alice --format json --state fixtures/contradictory/" +
                                   c.fixture + ".json");
    EXPECT_EQ(run.exit_code, 2) << run.out;
    nlohmann::json error = Json(run)["errors"][0];
    EXPECT_EQ(error["pointer"], c.first);
    EXPECT_NE(error["message"].get<std::string>().find(std::string("but ") + c.second + " says"),
              std::string::npos)
        << error.dump();
    EXPECT_GT(error["line"].get<int>(), 0);
  }
}

TEST(CliTest, UnknownActionAndEntityListTheValidOnes) {
  ProcessRun action =
      Partnerpolicy(std::string("can frobnicate --state ") + kExample + " --format json");
  EXPECT_EQ(action.exit_code, 2);
  std::string message = Json(action)["errors"][0]["message"];
  EXPECT_EQ(message,
            "unknown action 'frobnicate'; actions: benefit.redeem, benefit.transfer, "
            "credit.activate, credit.assign, credit.reassign, credit.use, credits.consolidate, "
            "license.assign, membership.purchase, membership.renew, partner-id.link, pec.earn, "
            "subscription.add-licenses, subscription.extend, subscription.move, "
            "subscription.reactivate, user.modify-roles, verification.appeal");

  ProcessRun entity = Partnerpolicy(std::string("can credit.reassign --state ") + kExample +
                                    " credit=NOPE user=carol --format json");
  EXPECT_EQ(entity.exit_code, 2);
  std::string entity_message = Json(entity)["errors"][0]["message"];
  EXPECT_EQ(entity_message,
            "credit=NOPE names no entry of credits; valid: MC-1, MC-2, MC-3, MC-4, MC-5, "
            "BULK-1, BULK-2, BULK-3, MC-6, MC-7, MC-8, MC-9, BULK-0");
}

TEST(CliTest, BadUsageExitsTwo) {
  EXPECT_EQ(Partnerpolicy("can credit.reassign credit=MC-1").exit_code, 2);  // no --state
  EXPECT_EQ(Partnerpolicy("check").exit_code, 2);
  EXPECT_EQ(Partnerpolicy(std::string("check ") + kExample + " --as-of 2026-02-30").exit_code, 2);
  EXPECT_EQ(Partnerpolicy("frobnicate").exit_code, 2);
}

// `--as ''` once meant no actor at all, and `can` answered for anyone (ALLOWED IF, exit 3).
TEST(CliTest, AnEmptyActorIsAUsageError) {
  testing::ScratchDir dir("partnerpolicy-empty-actor");
  const std::string state = std::string(" --state ") + kExample;
  for (const std::string& command :
       {"can credit.reassign credit=MC-1 user=carol" + state + " --as ''",
        "actions" + state + " --as ''",
        "plan" + state + " --as '' 'credit.reassign credit=MC-1 user=carol'"}) {
    SCOPED_TRACE(command);
    testing::StreamsRun run = testing::PartnerpolicyStreams(command, dir.path() / "stderr.txt");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.err,
              "error: --as: '' names no user; give a user id or e-mail, or leave --as out to ask "
              "for anyone\nRun with --help for usage.\n");
    EXPECT_EQ(run.out, "");
    EXPECT_LT(run.seconds, testing::kQuickRefusalSeconds);
  }
}

TEST(CliTest, TextReportStatesTheEvaluationDate) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample);
  EXPECT_NE(run.out.find("evaluation date 2026-11-23 (the fixture's as_of)"), std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("\x1b["), std::string::npos);  // NO_COLOR and not a terminal
}

TEST(CliTest, CanAnswersAnOpenRequestWithConditions) {
  ProcessRun run = Partnerpolicy(std::string("can credit.assign credit=MC-5 --state ") + kExample);
  EXPECT_EQ(run.exit_code, 3) << run.out;  // ALLOWED IF: not a yes
  EXPECT_EQ(run.out.rfind("ALLOWED IF  credit.assign credit=MC-5\n", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("left open: user, actor"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("the user must not have a free e-mail address: gmail.com, hotmail.com, "
                         "live.com or any other free-mail domain (list: "),
            std::string::npos)
      << run.out;
}

TEST(CliTest, ActionsListsEveryActionOfAnEntity) {
  ProcessRun run = Partnerpolicy(std::string("actions --state ") + kExample +
                                 " --entity BULK-1 --as alice --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "actions");
  std::map<std::string, std::string> decisions;
  for (const auto& line : report["lines"]) {
    EXPECT_EQ(line["entity_id"], "BULK-1");
    decisions[line["action"]] = line["decision"];
  }
  EXPECT_EQ(decisions, (std::map<std::string, std::string>{{"credit.activate", "denied"},
                                                           {"credit.assign", "denied"},
                                                           {"credit.reassign", "denied"},
                                                           {"credit.use", "allowed if"}}));

  ProcessRun text = Partnerpolicy(std::string("actions --state ") + kExample + " --entity BULK-1");
  EXPECT_NE(text.out.find("credits BULK-1\n  credit.activate"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("renew the membership (the current term ends on 2027-02-28)"),
            std::string::npos)
      << text.out;

  ProcessRun unknown =
      Partnerpolicy(std::string("actions --state ") + kExample + " --entity NOPE --format json");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(Json(unknown)["errors"][0]["message"].get<std::string>(),
            "--entity 'NOPE' is the id of no entity in this state");
}

TEST(CliTest, AlertsExitCodeFollowsFailOn) {
  std::string alerts = std::string("alerts --state ") + kExample + " --as-of 2026-11-23";
  // The example has warnings inside 30 days but no error-severity alert.
  EXPECT_EQ(Partnerpolicy(alerts).exit_code, 0);
  EXPECT_EQ(Partnerpolicy(alerts + " --fail-on warning").exit_code, 1);
  EXPECT_EQ(Partnerpolicy(alerts + " --fail-on info").exit_code, 1);
  // Three days before the membership ends, its renewal alert is an error.
  EXPECT_EQ(
      Partnerpolicy(std::string("alerts --state ") + kExample + " --as-of 2027-02-25").exit_code,
      1);

  ProcessRun bad = Partnerpolicy(alerts + " --within 3x --format json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(Json(bad)["errors"][0]["message"].get<std::string>(),
            "--within 3x: expected a number of days, weeks, months or years such as 30d, 4w, 3m, "
            "1y");
  EXPECT_EQ(Partnerpolicy(alerts + " --fail-on fatal").exit_code, 2);
}

// ---------------------------------------------------------------------------------------------
// Formats CI systems read, and --fail-on

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

TEST(CliTest, CheckFailOnPicksTheSeverityThatFails) {
  const std::string warning_only = "check fixtures/rules/credits.activation-window/fail.json";
  EXPECT_EQ(Partnerpolicy(warning_only).exit_code, 0);
  EXPECT_EQ(Partnerpolicy(warning_only + " --fail-on error").exit_code, 0);
  EXPECT_EQ(Partnerpolicy(warning_only + " --fail-on warning").exit_code, 1);
  EXPECT_EQ(Partnerpolicy(warning_only + " --fail-on info").exit_code, 1);
  EXPECT_EQ(Partnerpolicy("check fixtures/valid/minimal.json --fail-on info").exit_code, 0);
  EXPECT_EQ(Partnerpolicy(warning_only + " --fail-on fatal").exit_code, 2);
}

TEST(CliTest, CheckTapHasOnePointPerFixtureAndRule) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample +
                                 " fixtures/rules/credits.activation-window/fail.json "
                                 "--format tap --fail-on warning");
  EXPECT_EQ(run.exit_code, 1);
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "TAP version 13");
  int with_check = 0;
  const PolicySet policies = testing::BundledPolicies();  // named: a loop over a temporary's
  for (const PolicyInfo& info : policies.policies())
    with_check += info.has_check;  // member dangles
  EXPECT_EQ(lines[1], "1.." + std::to_string(2 * with_check));
  int ok = 0, not_ok = 0, number = 0;
  for (const std::string& line : lines) {
    bool failed = line.rfind("not ok ", 0) == 0;
    if (!failed && line.rfind("ok ", 0) != 0) continue;
    ++number;
    // Points are numbered in order: fixtures as given, rules by id.
    std::string expected_prefix = (failed ? "not ok " : "ok ") + std::to_string(number) + " - ";
    EXPECT_EQ(line.rfind(expected_prefix, 0), 0u) << line;
    (failed ? not_ok : ok) += 1;
  }
  EXPECT_EQ(ok + not_ok, 2 * with_check);
  // The example: 16 rules with errors and 4 with warnings; the second file: 1 warning.
  EXPECT_EQ(not_ok, 16 + 4 + 1);
  EXPECT_NE(run.out.find("not ok " + std::to_string(with_check + 12) +
                         " - fixtures/rules/credits.activation-window/fail.json: "
                         "credits.activation-window\n  ---\n  findings:\n    - severity: warning"),
            std::string::npos)
      << run.out;

  // At the default --fail-on error, a warning is a passing point with a note.
  ProcessRun lenient =
      Partnerpolicy("check fixtures/rules/credits.activation-window/fail.json --format tap");
  EXPECT_EQ(lenient.exit_code, 0);
  EXPECT_NE(lenient.out.find("ok 12 - fixtures/rules/credits.activation-window/fail.json: "
                             "credits.activation-window # 1 finding below --fail-on error"),
            std::string::npos)
      << lenient.out;
}

TEST(CliTest, CheckGithubAnnotatesEachFindingOnOneLine) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample + " --format github");
  EXPECT_EQ(run.exit_code, 1);
  std::vector<std::string> lines = Lines(run.out);
  EXPECT_EQ(lines.size(), 22u);  // 18 errors + 4 warnings, each one line
  int errors = 0, warnings = 0;
  for (const std::string& line : lines) {
    errors += line.rfind("::error file=fixtures/examples/contoso.json,line=", 0) == 0;
    warnings += line.rfind("::warning file=fixtures/examples/contoso.json,line=", 0) == 0;
  }
  EXPECT_EQ(errors, 18);
  EXPECT_EQ(warnings, 4);
  // Line breaks inside the message are escaped, so fix and source stay in the annotation.
  EXPECT_NE(run.out.find(",title=credits.free-domain-ban MC-4::credit MC-4 is assigned to "
                         "gina@gmail.com"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("%0Afix: "), std::string::npos);

  ProcessRun invalid = Partnerpolicy("check fixtures/broken/malformed.json --format github");
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_EQ(invalid.out.rfind("::error file=fixtures/broken/malformed.json,line=", 0), 0u)
      << invalid.out;
}

TEST(CliTest, CheckJunitHasACasePerFixtureAndRule) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample + " --format junit");
  EXPECT_EQ(run.exit_code, 1);
  int with_check = 0;
  const PolicySet policies = testing::BundledPolicies();  // named: a loop over a temporary's
  for (const PolicyInfo& info : policies.policies())
    with_check += info.has_check;  // member dangles
  EXPECT_NE(run.out.find("<testsuites name=\"partnerpolicy check\" tests=\"" +
                         std::to_string(with_check) + "\" failures=\"16\" errors=\"0\">"),
            std::string::npos)
      << run.out.substr(0, 300);
  EXPECT_NE(
      run.out.find("<testcase classname=\"fixtures/examples/contoso.json\" "
                   "name=\"credits.free-domain-ban\" file=\"fixtures/examples/contoso.json\">"
                   "\n      <failure type=\"credits.free-domain-ban\" message=\"credit MC-4 is "
                   "assigned to gina@gmail.com"),
      std::string::npos);
  // Markup in messages is escaped (the checkout remedy names menu paths with '>').
  EXPECT_NE(run.out.find("Billing &gt; Billing accounts"), std::string::npos);
  EXPECT_EQ(run.out.find("Billing > Billing accounts"), std::string::npos);
}

// A directory of 200 fixtures (copies of the bundled states, one invalid among them) in /tmp.
class FixtureDirectory {
 public:
  FixtureDirectory() {
    namespace fs = std::filesystem;
    dir_ = fs::path("/tmp") / ("partnerpolicy-jobs-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::vector<fs::path> states;
    for (const char* sub : {"examples", "valid", "rules"}) {
      for (const auto& entry :
           fs::recursive_directory_iterator(testing::SourceDir() / "fixtures" / sub)) {
        if (entry.path().extension() == ".json" && entry.path().filename() != "cases.json") {
          states.push_back(entry.path());
        }
      }
    }
    std::sort(states.begin(), states.end());
    for (int i = 0; i < 199; ++i) {
      fs::copy_file(states[i % states.size()], dir_ / (std::to_string(1000 + i) + ".json"));
    }
    fs::copy_file(testing::SourceDir() / "fixtures" / "broken" / "malformed.json",
                  dir_ / "1199.json");
  }
  ~FixtureDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string path() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

TEST(CliTest, CheckGivesTheSameBytesWithOneOrTwoJobs) {
  FixtureDirectory fixtures;
  for (const char* format : {"json", "text", "junit", "tap", "sarif"}) {
    SCOPED_TRACE(format);
    std::string check = "check " + fixtures.path() + " --as-of 2026-11-23 --format " + format;
    ProcessRun one = Partnerpolicy(check + " -j 1");
    ProcessRun two = Partnerpolicy(check + " -j 2");
    EXPECT_EQ(one.exit_code, 2);  // the invalid fixture
    EXPECT_EQ(two.exit_code, one.exit_code);
    EXPECT_GT(one.out.size(), 10000u);
    EXPECT_TRUE(one.out == two.out) << "-j 1 and -j 2 reports differ";
  }
  ProcessRun json = Partnerpolicy("check " + fixtures.path() + " -j 2 --format json");
  EXPECT_EQ(Json(json)["summary"]["fixtures"], 200);
  EXPECT_EQ(Json(json)["fixtures"][0]["path"], fixtures.path() + "/1000.json");
  EXPECT_EQ(Json(json)["fixtures"][199]["path"], fixtures.path() + "/1199.json");
}

TEST(CliTest, CheckExpandsQuotedPatternsAndRefusesEmptyOnes) {
  ProcessRun run = Partnerpolicy("check 'fixtures/rules/*/fail.json' --format json");
  nlohmann::json report = Json(run);
  EXPECT_GE(report["summary"]["fixtures"].get<int>(), 20);
  std::vector<std::string> paths;
  for (const auto& f : report["fixtures"]) paths.push_back(f["path"]);
  EXPECT_TRUE(std::is_sorted(paths.begin(), paths.end()));

  ProcessRun none = Partnerpolicy("check 'fixtures/nothing/*.json' --format json");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(Json(none)["errors"][0]["message"].get<std::string>(),
            "pattern fixtures/nothing/*.json matches no file");
}

TEST(CliTest, AlertsInCiFormats) {
  std::string alerts = std::string("alerts --state ") + kExample + " --as-of 2026-11-23";
  ProcessRun tap = Partnerpolicy(alerts + " --format tap --fail-on warning");
  EXPECT_EQ(tap.exit_code, 1);
  std::vector<std::string> lines = Lines(tap.out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "TAP version 13");
  EXPECT_EQ(lines[1], "1..7");  // the 7 alerts of the next 30 days, soonest first
  EXPECT_EQ(lines[2], "not ok 1 - 2026-11-23 credits.monthly.reassignment-cap MC-2");
  EXPECT_NE(tap.out.find("ok 2 - 2026-11-25 benefits.provisioning-delay PKG-SEC\n"),
            std::string::npos);  // info: below --fail-on warning

  ProcessRun github = Partnerpolicy(alerts + " --format github");
  EXPECT_EQ(github.exit_code, 0);
  std::vector<std::string> annotations = Lines(github.out);
  EXPECT_EQ(annotations.size(), 7u);
  EXPECT_EQ(annotations[0].rfind("::warning file=fixtures/examples/contoso.json,line=", 0), 0u);
  EXPECT_NE(annotations[1].find("title=benefits.provisioning-delay PKG-SEC 2026-11-25::"),
            std::string::npos)
      << annotations[1];
}

TEST(CliTest, AlertsJunitHasACasePerAlert) {
  ProcessRun run = Partnerpolicy(std::string("alerts --state ") + kExample +
                                 " --as-of 2026-11-23 --format junit --fail-on warning");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("<testsuites name=\"partnerpolicy alerts\" tests=\"7\" failures=\"6\" "
                         "errors=\"0\">\n  <testsuite name=\"fixtures/examples/contoso.json\" "
                         "tests=\"7\" failures=\"6\" errors=\"0\" skipped=\"0\">"),
            std::string::npos)
      << run.out.substr(0, 300);
  EXPECT_NE(run.out.find("<property name=\"horizon_last_day\" value=\"2026-12-23\"/>"),
            std::string::npos);
  EXPECT_NE(run.out.find("<testcase classname=\"fixtures/examples/contoso.json\" "
                         "name=\"credits.monthly.reassignment-cap MC-2 2026-11-23\" "
                         "file=\"fixtures/examples/contoso.json\">\n      <failure "
                         "type=\"credits.monthly.reassignment-cap\" message=\"monthly credit MC-2 "
                         "has used all 5 reassignments"),
            std::string::npos);
  // The info alert is below --fail-on warning: it passes, with its text as output.
  EXPECT_NE(
      run.out.find("name=\"benefits.provisioning-delay PKG-SEC 2026-11-25\" "
                   "file=\"fixtures/examples/contoso.json\">\n      <system-out>info: "
                   "2026-11-25 at fixtures/examples/contoso.json:215:5 /benefit_packages/3\n"),
      std::string::npos);
  ProcessRun none = Partnerpolicy("alerts --state fixtures/valid/minimal.json --format junit");
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_NE(none.out.find("<testsuites name=\"partnerpolicy alerts\" tests=\"0\" failures=\"0\" "
                          "errors=\"0\">"),
            std::string::npos)
      << none.out;
}

TEST(CliTest, CanAndActionsKeepToTextAndJson) {
  EXPECT_EQ(Partnerpolicy(std::string("can credit.assign credit=MC-5 --state ") + kExample +
                          " --format tap")
                .exit_code,
            2);
}

}  // namespace
}  // namespace partnerpolicy
