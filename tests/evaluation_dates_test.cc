// Evaluation dates and alert horizons on the real binary (issue 20, item 8): --as-of, a
// fixture's as_of and the end of the --within horizon stay inside 1900-01-01 to 9999-12-31; a
// date outside is a usage error naming the flag (or the fixture's as_of) that put it there,
// never a horizon wrapped into the past and a silent pass.
#include <string>
#include <vector>

#include "process_support.h"
#include "rule_test_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using testing::PartnerpolicyStreams;
using testing::Quoted;
using testing::ScratchDir;
using testing::StreamsRun;

const std::string kAlerts = "alerts --state fixtures/examples/contoso.json ";

struct Refusal {
  std::string arguments;
  std::string error;  // the whole of standard error
};

void ExpectRefusals(const std::vector<Refusal>& refusals, const ScratchDir& dir) {
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.arguments);
    StreamsRun run = PartnerpolicyStreams(refusal.arguments, dir.path() / "stderr.txt");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.err, "error: " + refusal.error + "\n");
    EXPECT_EQ(run.out, "");
    EXPECT_LT(run.seconds, testing::kQuickRefusalSeconds);
  }
}

TEST(EvaluationDates, AHorizonPastTheSupportedDatesNamesTheFlagThatPutItThere) {
  ScratchDir dir("partnerpolicy-horizon");
  ExpectRefusals(
      {
          // Was: 65535 years wrapped std::chrono::year to 2025, "0 alerts" and exit 0.
          {kAlerts + "--within 65535y",
           "--within 65535y: longer than the supported dates allow, which run from 1900-01-01 "
           "to 9999-12-31"},
          {kAlerts + "--within 8100y",
           "--within 8100y: longer than the supported dates allow, which run from 1900-01-01 to "
           "9999-12-31"},
          {kAlerts + "--within 97200m",
           "--within 97200m: longer than the supported dates allow, which run from 1900-01-01 "
           "to 9999-12-31"},
          // Was: "--within 30d: expected a number of days ..." for the default horizon.
          {kAlerts + "--as-of 9999-12-31",
           "--as-of 9999-12-31: too late for the alert horizon --within 30d, which would end "
           "after 9999-12-31, the last supported date"},
          {kAlerts + "--as-of 9999-12-01 --within 1y",
           "--as-of 9999-12-01: too late for the alert horizon --within 1y, which would end "
           "after 9999-12-31, the last supported date"},
          {kAlerts + "--within 3x",
           "--within 3x: expected a number of days, weeks, months or years such as 30d, 4w, 3m, "
           "1y"},
      },
      dir);
  // The longest horizons that fit are accepted.
  EXPECT_EQ(testing::Partnerpolicy(kAlerts + "--as-of 1900-01-01 --within 8099y").exit_code, 0);
  EXPECT_EQ(testing::Partnerpolicy(kAlerts + "--as-of 9999-12-01 --within 30d").exit_code, 0);
}

TEST(EvaluationDates, AsOfOutsideTheSupportedDatesIsRefused) {
  ScratchDir dir("partnerpolicy-as-of");
  ExpectRefusals(
      {
          {kAlerts + "--as-of 1899-12-31",
           "--as-of 1899-12-31: outside the supported dates 1900-01-01 to 9999-12-31"},
          {"check fixtures/examples/contoso.json --as-of 0001-01-01",
           "--as-of 0001-01-01: outside the supported dates 1900-01-01 to 9999-12-31"},
          {"can credit.reassign --state fixtures/examples/contoso.json credit=MC-1 user=carol "
           "--as-of 1000-06-15",
           "--as-of 1000-06-15: outside the supported dates 1900-01-01 to 9999-12-31"},
      },
      dir);

  // The fixture's own as_of: refused where it stands, and blamed for a horizon it leaves no
  // room for.
  std::string example = testing::ReadFile(testing::ExamplePath());
  const std::string as_of = "\"as_of\": \"2026-11-23\"";
  ASSERT_NE(example.find(as_of), std::string::npos);
  std::string early = dir.Write("early.json", example.replace(example.find(as_of), as_of.size(),
                                                              "\"as_of\": \"1899-12-31\""));
  example = testing::ReadFile(testing::ExamplePath());
  std::string late = dir.Write(
      "late.json", example.replace(example.find(as_of), as_of.size(), "\"as_of\": \"9999-12-31\""));
  ExpectRefusals(
      {
          {"alerts --state " + Quoted(late),
           "the fixture's as_of 9999-12-31: too late for the alert horizon --within 30d, which "
           "would end after 9999-12-31, the last supported date"},
      },
      dir);
  StreamsRun run = PartnerpolicyStreams("alerts --state " + Quoted(early), dir.path() / "e.txt");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("error: " + early +
                              ":3:12: as_of 1899-12-31 is outside the supported evaluation dates "
                              "1900-01-01 to 9999-12-31 (at /as_of)\n",
                          0),
            0u)
      << run.err;
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace partnerpolicy
