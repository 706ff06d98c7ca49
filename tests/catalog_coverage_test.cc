// Every rule of the catalog (shared/rules-catalog.md) is a policy, and shows in partnerpolicy's
// own output both failing and passing on the fixtures in fixtures/ (issue 3, acceptance 1):
//   - a rule with a state check: `check` reports it on some fixture and passes it on another;
//   - a rule with decisions: the decision cases of the policy tests (policies/**/*.test.json,
//     run here through `can`) include a denial by it and an allow or condition from it;
//   - a rule with alerts only: `alerts` raises it for some fixture and not for another.
// The decision cases are also checked here: each case's expected decision and verdicts.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "process_support.h"
#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// The ids of shared/rules-catalog.md (outside this repository, so listed here).
const std::vector<std::string> kCatalogIds = {
    "credits.monthly.reassignment-cap",
    "credits.bulk.no-reassignment",
    "credits.free-domain-ban",
    "subscriptions.extension-limit",
    "cloud.checkout-billing-roles",
    "credits.one-bulk-per-user",
    "credits.assign-requires-partner-admin",
    "credits.redeem-not-redeemed",
    "credits.new-subscription-only",
    "credits.monthly.validity",
    "credits.monthly.no-carry-forward",
    "credits.bulk.window",
    "benefits.provisioning-delay",
    "credits.activation-window",
    "cloud.tenant-in-billing-account",
    "cloud.no-billing-account-transfer",
    "cloud.move-only-unassigned",
    "cloud.modernized-no-extension",
    "cloud.redemption-model",
    "cloud.key-single-use",
    "cloud.usage-location",
    "cloud.copilot-prerequisites",
    "account.membership-needs-active-authorized",
    "account.roles-locked-while-vetting",
    "account.verification-sla",
    "account.appeal-limit",
    "pec.linked-account",
    "pec.permanent-eligible-role",
    "pec.customer-scope",
    "credits.no-consolidation",  // seed 000's question: consolidating credits of several packages
};

// Every state fixture that should load: examples, valid ones and the rules' own.
std::vector<std::string> StateFixtures() {
  std::vector<std::string> files;
  for (const char* dir : {"examples", "valid", "rules"}) {
    for (const auto& entry : fs::recursive_directory_iterator(SourceDir() / "fixtures" / dir)) {
      if (entry.path().extension() == ".json") {
        files.push_back(fs::relative(entry.path(), SourceDir()).string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Seen {
  bool failed = false;
  bool passed = false;
};

class CatalogCoverageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    checks_ = new std::map<std::string, Seen>;
    decisions_ = new std::map<std::string, Seen>;
    alerts_ = new std::map<std::string, Seen>;

    // check, over every fixture at once.
    std::string arguments;
    for (const std::string& file : StateFixtures()) arguments += " " + Quoted(file);
    ProcessRun run = Partnerpolicy("check" + arguments + " --format json");
    ASSERT_NE(run.exit_code, 2) << run.out;
    nlohmann::json checked = Json(run);
    for (const auto& fixture : checked["fixtures"]) {
      EXPECT_EQ(fixture["status"], "evaluated") << fixture["path"] << fixture["errors"].dump();
      for (const auto& rule : fixture["rules"]) {
        Seen& seen = (*checks_)[rule["rule_id"]];
        (rule["status"] == "pass" ? seen.passed : seen.failed) = true;
      }
    }

    RunDecisionCases();

    // alerts, over every fixture, a year ahead.
    std::set<std::string> alerting_rules;
    for (const std::string& file : StateFixtures()) {
      ProcessRun alerts =
          Partnerpolicy("alerts --state " + Quoted(file) + " --within 1y --format json");
      ASSERT_NE(alerts.exit_code, 2) << file << alerts.out;
      std::set<std::string> raised;
      nlohmann::json report = Json(alerts);  // named: a loop over a temporary's member dangles
      for (const auto& alert : report["alerts"]) raised.insert(alert["rule_id"]);
      for (const PolicyInfo& info : Bundled().policies()) {
        if (!info.has_alerts) continue;
        Seen& seen = (*alerts_)[info.id];
        (raised.count(info.id) ? seen.failed : seen.passed) = true;
      }
    }
  }
  // Runs every decision case of the policy tests (policies/**/*.test.json) through `can`,
  // records which verdicts each rule gave, and keeps a message for each expectation that does
  // not hold. (`partnerpolicy test` runs the same cases through the library; this checks that
  // the command people use agrees.)
  static void RunDecisionCases() {
    case_failures_ = new std::vector<std::string>;
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(SourceDir() / "policies")) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 10 && name.substr(name.size() - 10) == ".test.json") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      nlohmann::json suite = nlohmann::json::parse(ReadFile(file));
      for (const auto& c : suite["cases"]) {
        if (!c.contains("action")) continue;           // a check or alerts case
        if (c["expect"].contains("effect")) continue;  // an effect case: it decides nothing
        // Settings other than policies.toml's exist only in `partnerpolicy test`.
        if (c.contains("settings")) continue;
        std::string command = "can " + Quoted(c["action"]);
        if (c.contains("arguments")) {
          for (const auto& [name, value] : c["arguments"].items()) {
            command += " " + Quoted(name + "=" + value.get<std::string>());
          }
        }
        fs::path state =
            fs::relative(file.parent_path() / c["state"].get<std::string>(), SourceDir());
        command += " --state " + Quoted(state.lexically_normal().string());
        if (c.contains("actor")) command += " --as " + Quoted(c["actor"]);
        command += " --as-of " + Quoted(c["as_of"]);
        const std::string where =
            file.string() + ": " + c["name"].get<std::string>() + "\n  " + command + "\n";
        ProcessRun run = Partnerpolicy(command + " --format json");
        ++cases_;
        nlohmann::json answer = nlohmann::json::parse(run.out, nullptr, false);
        if (run.exit_code == 2 || answer.is_discarded()) {
          case_failures_->push_back(where + "did not run: " + run.out);
          continue;
        }
        // `can` spells its answer as the tests do: "allowed", "allowed if" or "denied".
        std::string decision = answer["decision"];
        if (decision != c["expect"]["decision"]) {
          case_failures_->push_back(where + "expected " + c["expect"]["decision"].dump() +
                                    ", got \"" + decision + "\"\n" + run.out);
        }
        std::map<std::string, std::string> verdicts;
        for (const auto& rule : answer["rules"]) verdicts[rule["rule_id"]] = rule["verdict"];
        for (const auto& rule : answer["silent_rules"]) verdicts[rule] = "silent";
        // A case may expect messages only (c is const: operator[] on a missing key is not
        // allowed).
        const nlohmann::json expected_verdicts =
            c["expect"].value("verdicts", nlohmann::json::object());
        for (const auto& [rule, expected] : expected_verdicts.items()) {
          std::string got = verdicts.count(rule) ? verdicts[rule] : "not asked";
          if (got != expected.get<std::string>()) {
            case_failures_->push_back(where + rule + ": expected " + expected.dump() + ", got " +
                                      got + "\n" + run.out);
          }
        }
        for (const auto& [rule, verdict] : verdicts) {
          Seen& seen = (*decisions_)[rule];
          if (verdict == "deny") seen.failed = true;
          if (verdict == "allow" || verdict == "condition") seen.passed = true;
        }
      }
    }
  }

  static void TearDownTestSuite() {
    delete case_failures_;
    delete checks_;
    delete decisions_;
    delete alerts_;
  }

  static std::map<std::string, Seen>* checks_;
  static std::map<std::string, Seen>* decisions_;
  static std::map<std::string, Seen>* alerts_;
  static std::vector<std::string>* case_failures_;
  static int cases_;
};

std::map<std::string, Seen>* CatalogCoverageTest::checks_ = nullptr;
std::map<std::string, Seen>* CatalogCoverageTest::decisions_ = nullptr;
std::map<std::string, Seen>* CatalogCoverageTest::alerts_ = nullptr;
std::vector<std::string>* CatalogCoverageTest::case_failures_ = nullptr;
int CatalogCoverageTest::cases_ = 0;

// Needs no questions asked, so it does not pay for the suite's set-up.
TEST(CatalogTest, EveryCatalogRuleIsAPolicy) {
  for (const std::string& id : kCatalogIds) {
    EXPECT_NE(Bundled().Find(id), nullptr) << id << " has no policy";
  }
}

// One test, not two: the set-up asks a few thousand questions through the binary, and ctest runs
// each test in its own process, so a second test would ask them all again (minutes under ASan).
TEST_F(CatalogCoverageTest, DecisionCasesHoldAndEveryRuleFailsAndPassesInOutput) {
  for (const std::string& failure : *case_failures_) ADD_FAILURE() << failure;
  EXPECT_GT(cases_, 30);
  for (const std::string& id : kCatalogIds) {
    const PolicyInfo* info = Bundled().Find(id);
    if (info == nullptr) continue;  // reported by CatalogTest.EveryCatalogRuleIsAPolicy
    SCOPED_TRACE(id);
    const Seen& check = (*checks_)[id];
    const Seen& decision = (*decisions_)[id];
    const Seen& alert = (*alerts_)[id];
    if (info->has_check) {
      EXPECT_TRUE(check.failed) << "no fixture makes `check` report " << id;
      EXPECT_TRUE(check.passed) << "no fixture passes " << id;
    }
    if (!info->actions.empty()) {
      EXPECT_TRUE(decision.passed) << "no decision case is allowed by " << id;
    }
    EXPECT_TRUE(check.failed || decision.failed || alert.failed)
        << id << " is never seen failing: no finding, no denial, no alert";
    EXPECT_TRUE(check.passed || decision.passed || alert.passed) << id << " is never seen passing";
  }
}

}  // namespace
}  // namespace partnerpolicy
