// `check --baseline REPORT.json` through the real binary: a report made earlier sets aside the
// findings it held, by fingerprint (rule id and entity id) per fixture path, never by position.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "process_support.h"
#include "rule_test_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using testing::Json;
using testing::Partnerpolicy;
using testing::ProcessRun;
using testing::Quoted;

// A directory under /tmp for copies of fixtures and reports, removed afterwards.
class TempDir : public testing::ScratchDir {
 public:
  TempDir() : ScratchDir("partnerpolicy-baseline-test") {}
};

std::string Example() { return testing::ReadFile(testing::ExamplePath()); }

// `check FIXTURE --format json`, saved as a baseline next to it.
std::string MakeBaseline(const TempDir& dir, const std::string& fixture) {
  ProcessRun run = Partnerpolicy("check " + Quoted(fixture) + " --format json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  return dir.Write("baseline.json", run.out);
}

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(BaselineCliTest, TheExampleAgainstItsOwnReportHasNothingNew) {
  TempDir dir;
  std::string baseline = MakeBaseline(dir, "fixtures/examples/contoso.json");
  ProcessRun run = Partnerpolicy("check fixtures/examples/contoso.json --baseline " +
                                 Quoted(baseline) + " --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_TRUE(report["fixtures"][0]["findings"].empty());
  EXPECT_EQ(report["fixtures"][0]["unchanged_since_baseline"], 22);
  EXPECT_EQ(report["summary"]["errors"], 0);
  EXPECT_EQ(report["baseline"],
            (nlohmann::json{{"file", baseline}, {"unchanged", 22}, {"resolved", 0}}));

  ProcessRun text =
      Partnerpolicy("check fixtures/examples/contoso.json --baseline " + Quoted(baseline));
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("  ok: no new findings since the baseline\n"
                          "  22 findings unchanged since the baseline (not shown)\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("\n22 findings unchanged since the baseline " + baseline +
                          " (not shown, not failing); 0 resolved\n"),
            std::string::npos)
      << text.out;
  // A path written differently but naming the same file is the same fixture.
  EXPECT_EQ(Partnerpolicy("check ./fixtures/../fixtures/examples/contoso.json --baseline " +
                          Quoted(baseline))
                .exit_code,
            0);
}

TEST(BaselineCliTest, TheBundledBaselineLacksOneFindingOfTheExample) {
  // fixtures/baselines/contoso.json: the example's report without MC-4's free-mail finding,
  // trimmed to fingerprints (the README's example).
  ProcessRun run = Partnerpolicy(
      "check fixtures/examples/contoso.json --baseline fixtures/baselines/contoso.json "
      "--format json");
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json report = Json(run);
  ASSERT_EQ(report["fixtures"][0]["findings"].size(), 1u) << run.out;
  EXPECT_EQ(report["fixtures"][0]["findings"][0]["fingerprint"], "credits.free-domain-ban|MC-4");
  EXPECT_EQ(report["baseline"]["unchanged"], 21);
}

TEST(BaselineCliTest, OnlyTheNewBreachIsReported) {
  TempDir dir;
  std::string fixture = dir.Write("contoso.json", Example());
  std::string baseline = MakeBaseline(dir, fixture);
  // A fourth verification appeal breaks account.appeal-limit for the partner.
  dir.Write("contoso.json", Replaced(Example(), "\"appeals_used\": 0", "\"appeals_used\": 4"));
  ProcessRun run = Partnerpolicy("check " + Quoted(fixture) + " --baseline " + Quoted(baseline) +
                                 " --format json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  nlohmann::json report = Json(run);
  const nlohmann::json& findings = report["fixtures"][0]["findings"];
  ASSERT_EQ(findings.size(), 1u) << findings.dump(2);
  EXPECT_EQ(findings[0]["fingerprint"], "account.appeal-limit|1234567");
  EXPECT_EQ(report["baseline"]["unchanged"], 22);
}

TEST(BaselineCliTest, ShiftedLinesDoNotMakeOldFindingsNew) {
  TempDir dir;
  std::string fixture = dir.Write("contoso.json", Example());
  std::string baseline = MakeBaseline(dir, fixture);
  // Blank lines at the top and re-indented members: every finding moves.
  std::string shifted = Replaced(Example(), "{\n", "{\n\n\n\n");
  shifted = Replaced(shifted, "\"credits\": [", "\"credits\":\n\n      [");
  dir.Write("contoso.json", shifted);
  ProcessRun moved = Partnerpolicy("check " + Quoted(fixture) + " --format json");
  nlohmann::json before = nlohmann::json::parse(testing::ReadFile(baseline));
  EXPECT_NE(Json(moved)["fixtures"][0]["findings"][0]["line"],
            before["fixtures"][0]["findings"][0]["line"]);

  ProcessRun run = Partnerpolicy("check " + Quoted(fixture) + " --baseline " + Quoted(baseline) +
                                 " --format json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_TRUE(report["fixtures"][0]["findings"].empty()) << run.out;
  EXPECT_EQ(report["baseline"]["unchanged"], 22);
}

TEST(BaselineCliTest, FingerprintsAreCountedAndOldReportsFallBackToRuleAndEntity) {
  TempDir dir;
  std::string path = MakeBaseline(dir, "fixtures/examples/contoso.json");
  nlohmann::json baseline = nlohmann::json::parse(testing::ReadFile(path));
  nlohmann::json& findings = baseline["fixtures"][0]["findings"];
  // Without fingerprints (a report written before them), rule_id and entity_id are used.
  for (auto& finding : findings) finding.erase("fingerprint");
  // One finding the baseline lacks becomes new; one it holds twice leaves one resolved.
  nlohmann::json removed = findings[0];
  findings.erase(findings.begin());
  findings.push_back(findings[0]);
  ProcessRun run =
      Partnerpolicy("check fixtures/examples/contoso.json --baseline " +
                    Quoted(dir.Write("edited.json", baseline.dump(2))) + " --format json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  nlohmann::json report = Json(run);
  ASSERT_EQ(report["fixtures"][0]["findings"].size(), 1u) << run.out;
  EXPECT_EQ(report["fixtures"][0]["findings"][0]["fingerprint"],
            removed["rule_id"].get<std::string>() + "|" + removed["entity_id"].get<std::string>());
  EXPECT_EQ(report["baseline"]["unchanged"], 21);
  EXPECT_EQ(report["baseline"]["resolved"], 1);
}

TEST(BaselineCliTest, AMalformedBaselineExitsTwoSayingWhatWasExpected) {
  TempDir dir;
  ProcessRun can = Partnerpolicy(
      "can credit.reassign --state fixtures/examples/contoso.json credit=MC-1 user=carol "
      "--format json");
  struct Case {
    std::string name;
    std::string text;
    std::string error;  // after "FILE:"
  };
  const Case cases[] = {
      {"truncated.json", "{\"kind\": \"check\",",
       "1:17: invalid JSON: syntax error while parsing object key - unexpected end of input; "
       "expected string literal"},
      {"can.json", can.out,
       "3:11: expected a `partnerpolicy check --format json` report, not a report of kind "
       "\"can\" (at /kind)"},
      {"finding.json",
       "{\"report_version\": \"1\", \"kind\": \"check\", \"fixtures\": [\n"
       "  {\"path\": \"x.json\", \"findings\": [{\"rule_id\": \"r\"}]}]}",
       "2:35: expected a finding with \"fingerprint\" (\"rule_id|entity_id\"), or with "
       "\"rule_id\" and \"entity_id\" (at /fixtures/0/findings/0)"},
      {"fixtures.json", "{\"report_version\": \"1\", \"kind\": \"check\", \"fixtures\": {}}",
       "1:54: \"fixtures\" must be an array of fixture results, not object (at /fixtures)"},
      // Was: read as a fingerprint that matches nothing.
      {"empty-fingerprint.json",
       "{\"report_version\": \"1\", \"kind\": \"check\", \"fixtures\": [\n"
       "  {\"path\": \"x.json\", \"findings\": [{\"fingerprint\": \"\"}]}]}",
       "2:51: \"fingerprint\" is empty; expected \"rule_id|entity_id\" (at "
       "/fixtures/0/findings/0/fingerprint)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string file = dir.Write(c.name, c.text);
    ProcessRun run = Partnerpolicy("check fixtures/examples/contoso.json --baseline " +
                                   Quoted(file) + " --format json");
    EXPECT_EQ(run.exit_code, 2);
    nlohmann::json report = Json(run);
    ASSERT_EQ(report["kind"], "error") << run.out;
    const nlohmann::json& error = report["errors"][0];
    EXPECT_EQ(error["code"], "invalid-input");
    std::string where = error["file"].get<std::string>() + ":" +
                        std::to_string(error["line"].get<int>()) + ":" +
                        std::to_string(error["column"].get<int>()) + ": ";
    std::string pointer =
        error.contains("pointer") ? " (at " + error["pointer"].get<std::string>() + ")" : "";
    EXPECT_EQ(where + error["message"].get<std::string>() + pointer, file + ":" + c.error);
  }
  EXPECT_EQ(
      Partnerpolicy("check fixtures/examples/contoso.json --baseline /nowhere.json").exit_code, 2);
}

}  // namespace
}  // namespace partnerpolicy
