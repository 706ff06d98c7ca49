// `partnerpolicy alerts` on the example partner with a fixed --as-of: the whole text report and
// the JSON list are compared with files under tests/golden/ (issue 3, acceptance 3). Also the
// horizon's calendar edges: a month counted from the 31st ends on the month's last day, leap
// days included, and alerts dated on a weekend keep their date.
//
// To accept an intended change: PARTNERPOLICY_UPDATE_GOLDEN=1 ctest -R AlertsGolden, then review
// the diff of tests/golden/ like any other change. The JSON golden holds a placeholder for the
// policy set's hash, which would otherwise change with every edit of any policy.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "process_support.h"
#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// The policy set's content hash in a JSON report changes with every byte of every policy: the
// golden holds a placeholder, and the hash itself is checked where it is made
// (content_hash_test.cc) and where it is printed (version_test.cc, install_test.cc).
std::string WithoutPolicyHash(const std::string& report) {
  return std::regex_replace(report, std::regex(R"re("sha256": "[0-9a-f]{64}")re"),
                            R"("sha256": "<the policy set's hash>")");
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  fs::path file = SourceDir() / "tests" / "golden" / name;
  const char* update = std::getenv("PARTNERPOLICY_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << actual;
  }
  ASSERT_TRUE(fs::exists(file)) << file;
  EXPECT_EQ(actual, ReadFile(file)) << "differs from " << file;
}

TEST(AlertsGoldenTest, ExampleNextThreeMonthsText) {
  ProcessRun run =
      Partnerpolicy("alerts --state fixtures/examples/contoso.json --as-of 2026-11-23 --within 3m");
  EXPECT_EQ(run.exit_code, 0);  // no error-severity alert in the window
  ExpectGolden("contoso-alerts-2026-11-23-3m.txt", run.out);
}

TEST(AlertsGoldenTest, ExampleNextYearJson) {
  ProcessRun run = Partnerpolicy(
      "alerts --state fixtures/examples/contoso.json --as-of 2026-11-23 --within 1y "
      "--format json");
  EXPECT_EQ(run.exit_code, 0);  // the membership renewal is a warning this far ahead
  nlohmann::json report = Json(run);
  // Soonest first, then errors before warnings before infos.
  const auto& alerts = report["alerts"];
  ASSERT_GT(alerts.size(), 10u);
  auto rank = [](const std::string& severity) {
    return severity == "error" ? 0 : severity == "warning" ? 1 : 2;
  };
  for (size_t i = 1; i < alerts.size(); ++i) {
    const std::string a = alerts[i - 1]["date"], b = alerts[i]["date"];
    EXPECT_LE(a, b);
    if (a == b) {
      EXPECT_LE(rank(alerts[i - 1]["severity"]), rank(alerts[i]["severity"]));
    }
  }
  EXPECT_EQ(report["policy_set"]["sha256"], BundledPolicies().content_hash());
  ExpectGolden("contoso-alerts-2026-11-23-1y.json", WithoutPolicyHash(run.out));
}

std::string LastDay(const std::string& as_of, const std::string& within) {
  ProcessRun run = Partnerpolicy("alerts --state fixtures/valid/minimal.json --as-of " + as_of +
                                 " --within " + within + " --format json");
  return Json(run)["horizon"]["last_day"];
}

TEST(AlertsGoldenTest, HorizonFollowsTheCalendar) {
  EXPECT_EQ(LastDay("2027-01-31", "1m"), "2027-02-28");  // month end clamps
  EXPECT_EQ(LastDay("2028-01-31", "1m"), "2028-02-29");  // leap year
  EXPECT_EQ(LastDay("2028-02-29", "1y"), "2029-02-28");  // leap day + 1 year
  EXPECT_EQ(LastDay("2026-12-31", "2m"), "2027-02-28");
  EXPECT_EQ(LastDay("2026-11-23", "30d"), "2026-12-23");
  EXPECT_EQ(LastDay("2026-11-23", "30"), "2026-12-23");
  EXPECT_EQ(LastDay("2026-11-23", "2w"), "2026-12-07");
  EXPECT_EQ(LastDay("2026-11-23", "0d"), "2026-11-23");
}

TEST(AlertsGoldenTest, MonthEndAlertOnAWeekend) {
  // The monthly balance of the example lapses at month end: 2026-11-30 (a Monday), 2027-01-31
  // (a Sunday: the date is kept, not moved). Leap days: rules_credits_use_test.cc.
  for (const auto& [as_of, month_end] : std::vector<std::pair<std::string, std::string>>{
           {"2026-11-23", "2026-11-30"}, {"2027-01-20", "2027-01-31"}}) {
    SCOPED_TRACE(as_of);
    ProcessRun run = Partnerpolicy("alerts --state fixtures/examples/contoso.json --as-of " +
                                   as_of + " --within 30d --format json");
    nlohmann::json report = Json(run);
    bool found = false;
    for (const auto& alert : report["alerts"]) {
      if (alert["rule_id"] == "credits.monthly.no-carry-forward" && alert["entity_id"] == "MC-1") {
        EXPECT_EQ(alert["date"], month_end);
        found = true;
      }
    }
    EXPECT_TRUE(found) << run.out;
  }
}

}  // namespace
}  // namespace partnerpolicy
