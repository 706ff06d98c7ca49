// --format sarif of the real binary: rules, results, fingerprints, notifications and error logs.
// (tools/check_reports.sh validates the same logs against the OASIS schema.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "process_support.h"

namespace partnerpolicy {
namespace {

using testing::Json;
using testing::Partnerpolicy;
using testing::ProcessRun;
using testing::Quoted;

const char* kExample = "fixtures/examples/contoso.json";

// The only result of `rule` on `entity`; fails the test when there is not exactly one.
nlohmann::json ResultFor(const nlohmann::json& run, const std::string& rule,
                         const std::string& entity) {
  nlohmann::json found;
  int count = 0;
  for (const auto& result : run["results"]) {
    if (result["ruleId"] == rule &&
        result["locations"][0]["logicalLocations"][0]["name"] == entity) {
      found = result;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << rule << " on " << entity;
  return found;
}

TEST(SarifOutputTest, CheckListsEveryPolicyAsARuleSortedById) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample + " --format sarif");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json log = Json(run);
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const nlohmann::json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "partnerpolicy");
  EXPECT_EQ(driver["version"], PARTNERPOLICY_VERSION);

  const PolicySet policies = testing::BundledPolicies();  // named: its policies() outlive the loop
  // The policy set that ran, by its content hash: the same files as the bundled ones.
  EXPECT_EQ(driver["properties"]["policySet"]["directory"], "policies");
  EXPECT_EQ(driver["properties"]["policySet"]["sha256"], policies.content_hash());
  ASSERT_EQ(driver["rules"].size(), policies.policies().size());
  for (size_t i = 0; i < policies.policies().size(); ++i) {
    const PolicyInfo& info = policies.policies()[i];
    const nlohmann::json& rule = driver["rules"][i];
    EXPECT_EQ(rule["id"], info.id);
    EXPECT_EQ(rule["shortDescription"]["text"], info.title);
    EXPECT_EQ(rule["fullDescription"]["text"], info.description);
    // The binary runs from the repository root and names ./policies; the test loads an
    // absolute directory.
    EXPECT_TRUE(info.file.ends_with("/" + rule["properties"]["policyFile"].get<std::string>()))
        << info.file;
    EXPECT_NE(rule["help"]["text"].get<std::string>().find("Source: " + info.source.seed),
              std::string::npos)
        << info.id;
  }

  const nlohmann::json* cap = nullptr;
  const nlohmann::json* window = nullptr;
  for (const auto& rule : driver["rules"]) {
    if (rule["id"] == "credits.monthly.reassignment-cap") cap = &rule;
    if (rule["id"] == "credits.activation-window") window = &rule;
  }
  ASSERT_NE(cap, nullptr);
  ASSERT_NE(window, nullptr);
  EXPECT_EQ((*cap)["name"], "CreditsMonthlyReassignmentCap");
  EXPECT_EQ((*cap)["defaultConfiguration"]["level"], "error");
  EXPECT_EQ((*cap)["properties"]["parameters"]["max_reassignments"], 5);
  EXPECT_EQ((*cap)["properties"]["actions"],
            nlohmann::json::array({"credit.assign", "credit.reassign"}));
  EXPECT_EQ((*cap)["properties"]["source"]["seed"], "001_5c53631e905999a7.txt");
  EXPECT_EQ((*window)["defaultConfiguration"]["level"], "warning");  // seed 000: advisory
}

TEST(SarifOutputTest, CheckFindingIsAResultAtTheEntity) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample + " --format sarif");
  nlohmann::json sarif = Json(run)["runs"][0];
  EXPECT_EQ(sarif["results"].size(), 22u);  // 18 errors, 4 warnings, as in the text report
  EXPECT_EQ(sarif["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(sarif["properties"]["evaluationDates"][0],
            (nlohmann::json{
                {"fixture", kExample}, {"date", "2026-11-23"}, {"source", "the fixture's as_of"}}));

  nlohmann::json cap = ResultFor(sarif, "credits.monthly.reassignment-cap", "MC-3");
  EXPECT_EQ(cap["level"], "error");
  EXPECT_EQ(sarif["tool"]["driver"]["rules"][cap["ruleIndex"].get<int>()]["id"],
            "credits.monthly.reassignment-cap");
  EXPECT_EQ(cap["message"]["text"],
            "monthly credit MC-3 changed user 6 times; at most 5 reassignments are allowed per "
            "credit\nFix: more than 5 changes cannot happen in Partner Center, so check the "
            "assignment history of MC-3 for wrongly recorded events, and make no further changes "
            "to its user");
  const nlohmann::json& physical = cap["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"],
            (nlohmann::json{{"uri", kExample}, {"uriBaseId", "%SRCROOT%"}, {"index", 0}}));
  EXPECT_EQ(physical["region"], (nlohmann::json{{"startLine", 298}, {"startColumn", 5}}));
  EXPECT_EQ(cap["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "/credits/2");
  EXPECT_EQ(cap["partialFingerprints"]["partnerpolicy/v1"],
            "credits.monthly.reassignment-cap|MC-3");

  nlohmann::json advisory = ResultFor(sarif, "credits.activation-window", "MC-7");
  EXPECT_EQ(advisory["level"], "warning");
}

TEST(SarifOutputTest, FingerprintsDoNotDependOnLines) {
  // The same state with two blank lines on top: lines move, fingerprints stay.
  namespace fs = std::filesystem;
  const std::string name = "partnerpolicy sarif-" + std::to_string(::getpid());
  fs::path dir = fs::path("/tmp") / name;
  fs::create_directories(dir);
  fs::path moved = dir / "moved.json";
  {
    std::string text = "\n\n";
    FILE* in = std::fopen((testing::SourceDir() / kExample).c_str(), "rb");
    ASSERT_NE(in, nullptr);
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) text.append(buffer, n);
    std::fclose(in);
    FILE* out = std::fopen(moved.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
  }
  nlohmann::json before =
      Json(Partnerpolicy(std::string("check ") + kExample + " --format sarif"))["runs"][0];
  nlohmann::json after =
      Json(Partnerpolicy("check " + Quoted(moved.string()) + " --format sarif"))["runs"][0];
  fs::remove_all(dir);
  ASSERT_EQ(before["results"].size(), after["results"].size());
  for (size_t i = 0; i < before["results"].size(); ++i) {
    const nlohmann::json& b = before["results"][i];
    const nlohmann::json& a = after["results"][i];
    EXPECT_EQ(a["partialFingerprints"], b["partialFingerprints"]);
    EXPECT_EQ(a["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>(),
              b["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() + 2);
  }
  // An absolute path is a file:// URI (no base), percent-encoded.
  EXPECT_EQ(after["artifacts"][0]["location"],
            (nlohmann::json{{"uri", "file:///tmp/partnerpolicy%20sarif-" +
                                        std::to_string(::getpid()) + "/moved.json"}}));
}

TEST(SarifOutputTest, InvalidFixtureIsANotificationAndNotASuccess) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample +
                                 " fixtures/broken/bad-email.json --format sarif");
  EXPECT_EQ(run.exit_code, 2);
  nlohmann::json sarif = Json(run)["runs"][0];
  EXPECT_EQ(sarif["results"].size(), 22u);  // the example's findings are still there
  const nlohmann::json& invocation = sarif["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
  const nlohmann::json& note = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(note["level"], "error");
  EXPECT_EQ(note["message"]["text"],
            "fixtures/broken/bad-email.json:55:16: e-mail address \"no-at-sign\" has no '@'; "
            "expected local@domain (at /users/1/email)");
  EXPECT_EQ(
      note["locations"][0]["physicalLocation"],
      (nlohmann::json{{"artifactLocation",
                       {{"uri", "fixtures/broken/bad-email.json"}, {"uriBaseId", "%SRCROOT%"}}},
                      {"region", {{"startLine", 55}, {"startColumn", 16}}}}));
  EXPECT_EQ(note["descriptor"]["id"], "invalid-input");

  ProcessRun alone = Partnerpolicy("check fixtures/broken/bad-email.json --format sarif");
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_FALSE(Json(alone)["runs"][0].contains("results"));  // nothing was evaluated
}

TEST(SarifOutputTest, AlertsAreDatedResults) {
  ProcessRun run = Partnerpolicy(std::string("alerts --state ") + kExample +
                                 " --as-of 2026-11-23 --format sarif --fail-on warning");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json sarif = Json(run)["runs"][0];
  ASSERT_EQ(sarif["results"].size(), 7u);  // the next 30 days, soonest first
  const nlohmann::json& first = sarif["results"][0];
  EXPECT_EQ(first["ruleId"], "credits.monthly.reassignment-cap");
  EXPECT_EQ(first["level"], "warning");
  EXPECT_EQ(first["properties"]["on"], "2026-11-23");
  EXPECT_EQ(first["message"]["text"].get<std::string>().rfind(
                "2026-11-23: monthly credit MC-2 has used all 5 reassignments", 0),
            0u);
  EXPECT_EQ(first["locations"][0]["physicalLocation"]["region"],
            (nlohmann::json{{"startLine", 253}, {"startColumn", 5}}));
  EXPECT_EQ(first["partialFingerprints"]["partnerpolicy/v1"],
            "credits.monthly.reassignment-cap|MC-2|2026-11-23");
  EXPECT_EQ(sarif["results"][1]["ruleId"], "benefits.provisioning-delay");
  EXPECT_EQ(sarif["results"][1]["level"], "note");  // info
  EXPECT_EQ(sarif["properties"]["evaluationDate"],
            (nlohmann::json{{"date", "2026-11-23"}, {"source", "--as-of"}}));
  EXPECT_EQ(sarif["properties"]["horizon"],
            (nlohmann::json{{"within", "30d"}, {"lastDay", "2026-12-23"}}));
  EXPECT_EQ(sarif["properties"]["failOn"], "warning");
}

TEST(SarifOutputTest, ErrorsAreAnUnsuccessfulRunWithoutResults) {
  ProcessRun run =
      Partnerpolicy(std::string("alerts --state ") + kExample + " --within 9x --format sarif");
  EXPECT_EQ(run.exit_code, 2);
  nlohmann::json sarif = Json(run)["runs"][0];
  EXPECT_FALSE(sarif.contains("results"));  // an empty list would close every earlier alert
  EXPECT_EQ(sarif["invocations"][0]["executionSuccessful"], false);
  const nlohmann::json& note = sarif["invocations"][0]["toolExecutionNotifications"][0];
  EXPECT_EQ(note["message"]["text"],
            "--within 9x: expected a number of days, weeks, months or years such as 30d, 4w, 3m, "
            "1y");
  EXPECT_EQ(note["descriptor"]["id"], "usage");

  ProcessRun policy = Partnerpolicy(std::string("check ") + kExample +
                                    " --policies fixtures/nothing --format sarif");
  EXPECT_EQ(policy.exit_code, 2);
  EXPECT_EQ(Json(policy)["runs"][0]["invocations"][0]["executionSuccessful"], false);
}

TEST(SarifOutputTest, WaivedFindingIsASuppressedResultWithTheWaiver) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample +
                                 " --as-of 2026-11-23 --waivers fixtures/waivers/example.toml"
                                 " --format sarif");
  nlohmann::json sarif = Json(run)["runs"][0];
  nlohmann::json cap = ResultFor(sarif, "credits.monthly.reassignment-cap", "MC-3");
  ASSERT_EQ(cap["suppressions"].size(), 1u);
  const nlohmann::json& suppression = cap["suppressions"][0];
  EXPECT_EQ(suppression["kind"], "external");
  EXPECT_EQ(suppression["justification"],
            "Microsoft support case 123 approved a sixth reassignment");
  EXPECT_EQ(suppression["properties"],
            (nlohmann::json{{"owner", "alice@contoso.com"}, {"expires", "2027-03-31"}}));
  EXPECT_EQ(suppression["location"]["physicalLocation"]["artifactLocation"]["uri"],
            "fixtures/waivers/example.toml");
  // A finding no waiver covers is an ordinary result.
  EXPECT_FALSE(ResultFor(sarif, "cloud.key-single-use", "S-OLD").contains("suppressions"));
}

TEST(SarifOutputTest, ExpiredWaiverIsAResultAtTheWaiverAndSilencesNothing) {
  // MC-7's waiver is in force until 2026-12-31.
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample +
                                 " --as-of 2027-01-15 --waivers fixtures/waivers/example.toml"
                                 " --format sarif");
  nlohmann::json sarif = Json(run)["runs"][0];
  int expired = 0;
  for (const auto& result : sarif["results"]) {
    if (result["ruleId"] != "waiver.expired") continue;
    ++expired;
    EXPECT_EQ(result["level"], "error");
    EXPECT_FALSE(result.contains("ruleIndex"));  // not a policy
    EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              "fixtures/waivers/example.toml");
    EXPECT_NE(result["message"]["text"].get<std::string>().find("MC-7"), std::string::npos);
  }
  EXPECT_EQ(expired, 1);
}

TEST(SarifOutputTest, BaselineMarksResultsNewOrUnchanged) {
  ProcessRun run = Partnerpolicy(std::string("check ") + kExample +
                                 " --baseline fixtures/baselines/contoso.json --format sarif");
  nlohmann::json sarif = Json(run)["runs"][0];
  int added = 0, unchanged = 0;
  for (const auto& result : sarif["results"]) {
    added += result["baselineState"] == "new";
    unchanged += result["baselineState"] == "unchanged";
  }
  EXPECT_EQ(added, 1);
  EXPECT_EQ(unchanged, 21);
}

}  // namespace
}  // namespace partnerpolicy
