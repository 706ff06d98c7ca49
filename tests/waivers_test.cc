// Waivers: the library's reading and applying (evaluator/waivers.h), and `check --waivers`
// through the real binary. Every run gives --as-of or uses a fixture's as_of: nothing here
// depends on today.
#include "partnerpolicy/waivers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "process_support.h"

namespace partnerpolicy {
namespace {

using testing::Json;
using testing::Partnerpolicy;
using testing::ProcessRun;

const char* kAppealFixture = "fixtures/rules/account.appeal-limit/fail.json";  // one error
const char* kExample = "fixtures/examples/contoso.json";

Date Day(const char* text) { return *ParseDate(text); }

// A waiver file under /tmp with the given text, removed afterwards.
class TempWaivers {
 public:
  explicit TempWaivers(const std::string& text)
      : path_(std::filesystem::path("/tmp") /
              ("partnerpolicy-waivers-test-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml")) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempWaivers() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempWaivers(const TempWaivers&) = delete;
  TempWaivers& operator=(const TempWaivers&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string WaiverToml(const std::string& rule, const std::string& entity,
                       const std::string& expires, const std::string& extra = "") {
  return "[[waiver]]\nrule = \"" + rule + "\"\nentity = \"" + entity +
         "\"\nowner = \"alice@contoso.com\"\nreason = \"accepted\"\nexpires = " + expires + "\n" +
         extra + "\n";
}

Finding MakeFinding(const std::string& rule, const std::string& entity) {
  Finding finding;
  finding.rule_id = rule;
  finding.entity_id = entity;
  finding.message = rule + " on " + entity;
  return finding;
}

std::vector<std::string> Fingerprints(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.rule_id + "|" + f.entity_id);
  return out;
}

const PolicySet& Policies() {
  static const PolicySet* policies = new PolicySet(testing::BundledPolicies());
  return *policies;
}

TEST(WaiverSetTest, ReadsTheExampleFileWithPositions) {
  WaiverSet set = testing::Must(WaiverSet::Read(
      testing::SourceDir() / "fixtures/waivers/example.toml", Policies().policies()));
  ASSERT_EQ(set.waivers().size(), 2u);
  const Waiver& first = set.waivers()[0];
  EXPECT_EQ(first.rule_id, "credits.monthly.reassignment-cap");
  EXPECT_EQ(first.entity_id, "MC-3");
  EXPECT_EQ(first.owner, "alice@contoso.com");
  EXPECT_EQ(first.reason, "Microsoft support case 123 approved a sixth reassignment");
  EXPECT_EQ(first.expires, Day("2027-03-31"));  // a TOML local date
  EXPECT_EQ(first.partner, "1234567");
  EXPECT_EQ(first.where.line, 5);
  EXPECT_EQ(first.where.column, 1);
  EXPECT_EQ(first.where.pointer, "/waiver/0");
  const Waiver& second = set.waivers()[1];
  EXPECT_EQ(second.expires, Day("2026-12-31"));  // the string form
  EXPECT_EQ(second.partner, "");
  EXPECT_EQ(second.where.pointer, "/waiver/1");
}

TEST(WaiverSetTest, ReportsEveryProblemAtItsPosition) {
  TempWaivers file(
      "[[waiver]]\n"                                     // 1
      "rule = \"account.appeal-limit\"\n"                // 2
      "entity = 7\n"                                     // 3: wrong type
      "reason = \"\"\n"                                  // 4: empty
      "expires = 2027-03-31T10:00:00\n"                  // 5: a date-time, not a date
      "ticket = \"123\"\n"                               // 6: unknown field
      "\n"                                               //
      "[[waiver]]\n"                                     // 8
      "rule = \"account.roles-locked-while-vetting\"\n"  // 9: no state check
      "entity = \"P\"\nowner = \"o\"\nreason = \"r\"\nexpires = \"2027-03-31\"\n");
  Result<WaiverSet> set = WaiverSet::Read(file.path(), Policies().policies());
  ASSERT_FALSE(set.ok());
  const std::string f = file.path().string();
  EXPECT_EQ(testing::Describe(set.errors()),
            f +
                ":1:1: waiver is missing 'owner' (who answers for it, e.g. an e-mail "
                "address)\n\n" +
                f + ":3:10: 'entity' must be a string\n\n" +  //
                f + ":4:10: 'reason' must not be empty\n\n" + f +
                ":5:11: 'expires' must be a real calendar date YYYY-MM-DD (a TOML local date "
                "such as 2027-03-31, or the string \"2027-03-31\")\n\n" +
                f +
                ":6:1: unknown field 'ticket' in a waiver; expected rule, entity, owner, "
                "reason, expires, partner\n\n" +
                f +
                ":9:8: rule 'account.roles-locked-while-vetting' has no state check, so "
                "`check` never reports it and there is nothing to waive\n\n");
}

TEST(WaiverSetTest, AppliesOnlyToItsRuleAndEntityUntilTheExpiryDay) {
  TempWaivers file(WaiverToml("credits.monthly.reassignment-cap", "MC-3", "2027-03-31"));
  WaiverSet set = testing::Must(WaiverSet::Read(file.path(), Policies().policies()));
  std::vector<Finding> findings = {MakeFinding("credits.monthly.reassignment-cap", "MC-3"),
                                   MakeFinding("credits.monthly.reassignment-cap", "MC-2"),
                                   MakeFinding("credits.free-domain-ban", "MC-3"),
                                   MakeFinding("credits.monthly.reassignment-cap", "MC-3")};

  // On its expiry day the waiver is in force: both MC-3 cap findings are waived, nothing else.
  WaiverOutcome last_day = set.Apply(findings, "1234567", Day("2027-03-31"));
  EXPECT_EQ(Fingerprints(last_day.findings),
            (std::vector<std::string>{"credits.monthly.reassignment-cap|MC-2",
                                      "credits.free-domain-ban|MC-3"}));
  ASSERT_EQ(last_day.waived.size(), 2u);
  EXPECT_EQ(last_day.waived[0].waiver.owner, "alice@contoso.com");
  EXPECT_EQ(last_day.uses, std::vector<WaiverUse>{WaiverUse::kSilenced});

  // The day after, it silences nothing.
  WaiverOutcome day_after = set.Apply(findings, "1234567", Day("2027-04-01"));
  EXPECT_EQ(day_after.findings.size(), 4u);
  EXPECT_TRUE(day_after.waived.empty());
  EXPECT_EQ(day_after.uses, std::vector<WaiverUse>{WaiverUse::kExpired});

  std::vector<Finding> review = set.Review({day_after, last_day});
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].rule_id, "waiver.expired");
  EXPECT_EQ(review[0].severity, Severity::kError);
  EXPECT_EQ(review[0].entity_id, "MC-3");
  EXPECT_EQ(review[0].pointer, "/waiver/0");
  EXPECT_EQ(review[0].line, 1);
  EXPECT_EQ(review[0].message,
            "waiver for credits.monthly.reassignment-cap on MC-3 (owner alice@contoso.com) "
            "expired on 2027-03-31, before the evaluation date 2027-04-01: it silences nothing, "
            "and the findings it waived are reported again");
  EXPECT_TRUE(set.Review({last_day}).empty());
}

TEST(WaiverSetTest, PartnerLimitsTheWaiverAndTheFirstMatchingWaiverWins) {
  TempWaivers file(
      WaiverToml("account.appeal-limit", "7000001", "2027-03-31", "partner = \"7000001\"") +
      WaiverToml("account.appeal-limit", "7000001", "2027-03-31") +
      WaiverToml("account.appeal-limit", "7000002", "2027-03-31", "partner = \"other\""));
  WaiverSet set = testing::Must(WaiverSet::Read(file.path(), Policies().policies()));
  std::vector<Finding> findings = {MakeFinding("account.appeal-limit", "7000001"),
                                   MakeFinding("account.appeal-limit", "7000002")};

  WaiverOutcome own = set.Apply(findings, "7000001", Day("2026-11-23"));
  EXPECT_EQ(Fingerprints(own.findings), std::vector<std::string>{"account.appeal-limit|7000002"});
  EXPECT_EQ(own.uses, (std::vector<WaiverUse>{WaiverUse::kSilenced, WaiverUse::kUnused,
                                              WaiverUse::kOtherPartner}));
  WaiverOutcome other = set.Apply(findings, "7000002", Day("2026-11-23"));
  EXPECT_EQ(Fingerprints(other.findings), std::vector<std::string>{"account.appeal-limit|7000002"});
  EXPECT_EQ(other.uses, (std::vector<WaiverUse>{WaiverUse::kOtherPartner, WaiverUse::kSilenced,
                                                WaiverUse::kOtherPartner}));

  // Over both fixtures: the first two silenced something, the third nothing. An outcome
  // without uses (a fixture that was not evaluated) changes nothing.
  std::vector<Finding> review = set.Review({own, other, WaiverOutcome{}});
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].rule_id, "waiver.unmatched");
  EXPECT_EQ(review[0].severity, Severity::kWarning);
  EXPECT_EQ(review[0].pointer, "/waiver/2");
  EXPECT_EQ(review[0].message,
            "waiver for account.appeal-limit on 7000002 of partner other (owner "
            "alice@contoso.com) matched no finding in any fixture checked");
}

TEST(WaiverSetTest, AnExpiredWaiverThatMatchesNothingIsOnlyExpired) {
  TempWaivers file(WaiverToml("credits.monthly.reassignment-cap", "MC-404", "2026-01-31"));
  WaiverSet set = testing::Must(WaiverSet::Read(file.path(), Policies().policies()));
  std::vector<Finding> review = set.Review({set.Apply({}, "1234567", Day("2026-11-23"))});
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].rule_id, "waiver.expired");
}

// --- the binary ---

std::set<std::string> FindingKeys(const nlohmann::json& findings) {
  std::set<std::string> keys;
  for (const auto& f : findings) keys.insert(f["fingerprint"].get<std::string>());
  return keys;
}

TEST(WaiversCliTest, AWaiverSilencesExactlyItsFinding) {
  ProcessRun plain = Partnerpolicy(std::string("check ") + kAppealFixture + " --format json");
  EXPECT_EQ(plain.exit_code, 1);
  ProcessRun run = Partnerpolicy(std::string("check ") + kAppealFixture +
                                 " --waivers fixtures/waivers/appeal-limit.toml --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;  // its only error is waived
  nlohmann::json report = Json(run);
  ASSERT_EQ(report["fixtures"].size(), 2u);
  const nlohmann::json& fixture = report["fixtures"][0];
  EXPECT_EQ(fixture["kind"], "fixture");
  EXPECT_TRUE(fixture["findings"].empty()) << fixture.dump(2);
  ASSERT_EQ(fixture["waived"].size(), 1u);
  const nlohmann::json& waived = fixture["waived"][0];
  EXPECT_EQ(waived["fingerprint"], "account.appeal-limit|7000001");
  EXPECT_EQ(waived["line"], 4);
  EXPECT_EQ(waived["waiver"], nlohmann::json::parse(R"json({"owner": "alice@contoso.com",
              "reason": "A fourth appeal was granted by Microsoft support (case 456)",
              "expires": "2027-03-31", "partner": "7000001",
              "file": "fixtures/waivers/appeal-limit.toml", "line": 2, "column": 1})json"));
  // The rule counts as passing; the waiver file is an entry of its own, clean.
  for (const auto& rule : fixture["rules"]) EXPECT_EQ(rule["status"], "pass") << rule.dump();
  const nlohmann::json& file = report["fixtures"][1];
  EXPECT_EQ(file["kind"], "waivers");
  EXPECT_EQ(file["path"], "fixtures/waivers/appeal-limit.toml");
  EXPECT_TRUE(file["findings"].empty());
  EXPECT_EQ(report["summary"]["fixtures"], 1);
  EXPECT_EQ(report["summary"]["errors"], 0);
  EXPECT_EQ(report["summary"]["waived"], 1);

  // On the example, the other findings stay exactly as they were.
  ProcessRun example = Partnerpolicy(std::string("check ") + kExample + " --format json");
  ProcessRun waived_example =
      Partnerpolicy(std::string("check ") + kExample +
                    " --waivers fixtures/waivers/example.toml --as-of 2026-11-23 --format json");
  EXPECT_EQ(waived_example.exit_code, 1);
  nlohmann::json before = Json(example)["fixtures"][0];
  nlohmann::json after = Json(waived_example)["fixtures"][0];
  std::set<std::string> expected = FindingKeys(before["findings"]);
  expected.erase("credits.monthly.reassignment-cap|MC-3");
  expected.erase("credits.activation-window|MC-7");
  EXPECT_EQ(FindingKeys(after["findings"]), expected);
  EXPECT_EQ(FindingKeys(after["waived"]),
            (std::set<std::string>{"credits.monthly.reassignment-cap|MC-3",
                                   "credits.activation-window|MC-7"}));
}

TEST(WaiversCliTest, AnExpiredWaiverBringsTheFindingBackAndIsAnError) {
  // The same waiver, the day after its expiry date.
  ProcessRun run = Partnerpolicy(
      std::string("check ") + kAppealFixture +
      " --waivers fixtures/waivers/appeal-limit.toml --as-of 2027-04-01 --format json");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json report = Json(run);
  EXPECT_EQ(FindingKeys(report["fixtures"][0]["findings"]),
            std::set<std::string>{"account.appeal-limit|7000001"});
  EXPECT_TRUE(report["fixtures"][0]["waived"].empty());
  const nlohmann::json& findings = report["fixtures"][1]["findings"];
  ASSERT_EQ(findings.size(), 1u) << findings.dump(2);  // expired only, never also unmatched
  EXPECT_EQ(findings[0]["rule_id"], "waiver.expired");
  EXPECT_EQ(findings[0]["severity"], "error");
  EXPECT_EQ(findings[0]["line"], 2);
  EXPECT_EQ(findings[0]["column"], 1);
  EXPECT_EQ(findings[0]["pointer"], "/waiver/0");
  EXPECT_EQ(findings[0]["message"],
            "waiver for account.appeal-limit on 7000001 of partner 7000001 (owner "
            "alice@contoso.com) expired on 2027-03-31, before the evaluation date 2027-04-01: it "
            "silences nothing, and the findings it waived are reported again");
  EXPECT_EQ(report["summary"]["errors"], 2);
  // Its expiry day is still covered.
  EXPECT_EQ(Partnerpolicy(std::string("check ") + kAppealFixture +
                          " --waivers fixtures/waivers/appeal-limit.toml --as-of 2027-03-31")
                .exit_code,
            0);

  // The text and GitHub forms name the waiver file's line.
  ProcessRun text = Partnerpolicy(std::string("check ") + kAppealFixture +
                                  " --waivers fixtures/waivers/expired.toml");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("  error    waiver.expired  7000001 at fixtures/waivers/expired.toml:2:1 "
                          "/waiver/0\n"),
            std::string::npos)
      << text.out;
  ProcessRun github = Partnerpolicy(std::string("check ") + kAppealFixture +
                                    " --waivers fixtures/waivers/expired.toml --format github");
  EXPECT_NE(github.out.find("::error file=fixtures/waivers/expired.toml,line=2,col=1,"
                            "title=waiver.expired 7000001::waiver for account.appeal-limit"),
            std::string::npos)
      << github.out;
}

TEST(WaiversCliTest, AnUnmatchedWaiverIsAWarning) {
  const std::string command =
      "check fixtures/valid/minimal.json --as-of 2026-11-23 --waivers "
      "fixtures/waivers/unmatched.toml";
  ProcessRun run = Partnerpolicy(command + " --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  const nlohmann::json& findings = report["fixtures"][1]["findings"];
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["rule_id"], "waiver.unmatched");
  EXPECT_EQ(findings[0]["severity"], "warning");
  EXPECT_EQ(findings[0]["line"], 2);
  EXPECT_EQ(findings[0]["message"],
            "waiver for credits.monthly.reassignment-cap on MC-1 (owner alice@contoso.com) "
            "matched no finding in any fixture checked");
  EXPECT_EQ(Partnerpolicy(command + " --fail-on warning").exit_code, 1);

  // A waiver limited to another partner silences nothing, so it is unmatched too.
  ProcessRun other = Partnerpolicy(std::string("check ") + kAppealFixture +
                                   " --waivers fixtures/waivers/other-partner.toml --format json");
  EXPECT_EQ(other.exit_code, 1);
  nlohmann::json other_report = Json(other);
  EXPECT_EQ(other_report["fixtures"][0]["findings"].size(), 1u);
  EXPECT_EQ(other_report["fixtures"][1]["findings"][0]["rule_id"], "waiver.unmatched");
}

TEST(WaiversCliTest, WaivedFindingsAreSkippedNotFailedInCiFormats) {
  const std::string command = std::string("check ") + kAppealFixture +
                              " --waivers fixtures/waivers/appeal-limit.toml --fail-on warning";
  ProcessRun tap = Partnerpolicy(command + " --format tap");
  EXPECT_EQ(tap.exit_code, 0) << tap.out;
  EXPECT_NE(tap.out.find(" - fixtures/rules/account.appeal-limit/fail.json: account.appeal-limit "
                         "# SKIP 7000001 waived by alice@contoso.com until 2027-03-31: A fourth "
                         "appeal was granted by Microsoft support (case 456)\n"),
            std::string::npos)
      << tap.out;
  EXPECT_NE(tap.out.find(" - fixtures/waivers/appeal-limit.toml: waiver.expired\n"),
            std::string::npos);
  EXPECT_EQ(tap.out.find("not ok"), std::string::npos) << tap.out;

  ProcessRun junit = Partnerpolicy(command + " --format junit");
  EXPECT_EQ(junit.exit_code, 0);
  EXPECT_NE(junit.out.find("name=\"account.appeal-limit\" "
                           "file=\"fixtures/rules/account.appeal-limit/fail.json\">\n"
                           "      <skipped message=\"waived by alice@contoso.com until "
                           "2027-03-31: A fourth appeal was granted by Microsoft support (case "
                           "456)\"/>"),
            std::string::npos)
      << junit.out;
  EXPECT_NE(junit.out.find("failures=\"0\" errors=\"0\" skipped=\"1\""), std::string::npos);

  ProcessRun github = Partnerpolicy(command + " --format github");
  EXPECT_EQ(github.exit_code, 0);
  EXPECT_EQ(github.out.rfind("::notice file=fixtures/rules/account.appeal-limit/fail.json,line=4,"
                             "col=14,title=account.appeal-limit 7000001 (waived)::waived by "
                             "alice@contoso.com until 2027-03-31",
                             0),
            0u)
      << github.out;

  ProcessRun text = Partnerpolicy(command);
  EXPECT_NE(text.out.find("  waived   account.appeal-limit  7000001 at "
                          "fixtures/rules/account.appeal-limit/fail.json:4:14 /partner\n"
                          "           waived by alice@contoso.com until 2027-03-31: A fourth "
                          "appeal was granted by Microsoft support (case 456) "
                          "(fixtures/waivers/appeal-limit.toml:2)\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("\n1 fixture: 0 errors, 0 warnings, 0 infos, 1 waived\n"),
            std::string::npos)
      << text.out;
}

TEST(WaiversCliTest, BadWaiverFilesExitTwoWithTheirPosition) {
  struct Case {
    const char* file;
    const char* error;  // file:line:col: message
  };
  const Case cases[] = {
      {"missing-field",
       "fixtures/waivers/bad/missing-field.toml:1:1: waiver is missing 'owner' "
       "(who answers for it, e.g. an e-mail address)"},
      {"unknown-field",
       "fixtures/waivers/bad/unknown-field.toml:7:1: unknown field 'ticket' in a "
       "waiver; expected rule, entity, owner, reason, expires, partner"},
      {"wrong-type", "fixtures/waivers/bad/wrong-type.toml:3:10: 'entity' must be a string"},
      {"bad-date",
       "fixtures/waivers/bad/bad-date.toml:6:11: 'expires' must be a real calendar date "
       "YYYY-MM-DD (a TOML local date such as 2027-03-31, or the string \"2027-03-31\")"},
      {"unknown-rule",
       "fixtures/waivers/bad/unknown-rule.toml:2:8: unknown rule "
       "'credits.monthly.reasignment-cap'; expected the id of a loaded policy, such as "
       "credits.monthly.reassignment-cap (README.md lists the bundled rules)"},
      {"duplicate",
       "fixtures/waivers/bad/duplicate.toml:8:1: duplicate waiver: account.appeal-limit on "
       "7000001 is already waived at fixtures/waivers/bad/duplicate.toml:1"},
      {"not-a-table",
       "fixtures/waivers/bad/not-a-table.toml:1:1: 'waiver' must be an array of "
       "tables, written [[waiver]]"},
      {"syntax",
       "fixtures/waivers/bad/syntax.toml:2:29: Error while parsing string: unescaped "
       "control characters other than TAB (U+0009) are explicitly prohibited"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    ProcessRun run =
        Partnerpolicy(std::string("check ") + kAppealFixture + " --waivers fixtures/waivers/bad/" +
                      c.file + ".toml --format json");
    EXPECT_EQ(run.exit_code, 2);
    nlohmann::json report = Json(run);
    ASSERT_EQ(report["kind"], "error") << run.out;
    ASSERT_EQ(report["errors"].size(), 1u) << run.out;
    const nlohmann::json& error = report["errors"][0];
    EXPECT_EQ(error["code"], "invalid-config");
    EXPECT_EQ(error["file"].get<std::string>() + ":" + std::to_string(error["line"].get<int>()) +
                  ":" + std::to_string(error["column"].get<int>()) + ": " +
                  error["message"].get<std::string>(),
              c.error);
  }
  ProcessRun missing =
      Partnerpolicy(std::string("check ") + kAppealFixture + " --waivers nowhere.toml");
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace partnerpolicy
