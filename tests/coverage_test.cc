// Line coverage: the runtime's line hook records exactly the lines that ran, the chunk listing's
// executable lines agree with what the hook can report, and an evaluator without a sink records
// nothing.
#include "partnerpolicy/coverage.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "lua/chunk_listing.h"
#include "lua/policy_runtime.h"
#include "partnerpolicy/engine.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Must;

constexpr const char* kBranchy =
    "local function label(credit)\n"                                                         // 1
    "  if credit.kind == \"monthly\" then\n"                                                 // 2
    "    return \"monthly\"\n"                                                               // 3
    "  else\n"                                                                               // 4
    "    return \"bulk\"\n"                                                                  // 5
    "  end\n"                                                                                // 6
    "end\n"                                                                                  // 7
    "return {\n"                                                                             // 8
    "  id = \"test.coverage\", title = \"t\", severity = \"error\", description = \"d\",\n"  // 9
    "  source = { seed = \"s\", section = \"x\" },\n"                                        // 10
    "  check = function(state, ctx)\n"                                                       // 11
    "    local first = state.credits[1]\n"                                                   // 12
    "    if first ~= nil and label(first) == \"none\" then\n"                                // 13
    "      ctx.report{ at = first, message = \"never\" }\n"                                  // 14
    "    end\n"                                                                              // 15
    "  end,\n"                                                                               // 16
    "}\n";                                                                                   // 17

const PartnerState& Example() {
  static PartnerState state = Must(testing::Loader().Load(testing::ExamplePath()));
  return state;
}

TEST(LineCoverageTest, RecordsTheLinesThatRanAndOnlyThose) {
  LineCoverage coverage;
  PolicyText text{"policies/branchy.lua", kBranchy};
  std::unique_ptr<PolicyRuntime> runtime =
      Must(PolicyRuntime::Create({text}, Budgets{}, {}, &coverage));
  PolicyInfo info = runtime->declared()[0];
  // Loading runs the chunk: lines 7 (the closure of label), 8-11 and 16-17 (the table).
  std::set<int> loaded = coverage.lines().at("policies/branchy.lua");
  EXPECT_EQ(loaded.count(12), 0u);
  EXPECT_EQ(loaded.count(1), 0u);
  Must(runtime->RunCheck(0, info, Example().document, Date{20000}));
  std::set<int> ran = coverage.lines().at("policies/branchy.lua");
  // The example's first credit is monthly: label's else branch (5) and the report (14) never run.
  for (int line : {2, 3, 12, 13}) EXPECT_EQ(ran.count(line), 1u) << line;
  for (int line : {5, 14}) EXPECT_EQ(ran.count(line), 0u) << line;

  FileCoverage file = Must(CoverageOf(text, coverage));
  EXPECT_EQ(file.file, "policies/branchy.lua");
  EXPECT_EQ(file.missed, (std::vector<int>{5, 14}));
  EXPECT_EQ(file.covered(), static_cast<int>(file.executable.size()) - 2);
  EXPECT_LT(file.percent(), 100.0);
}

TEST(LineCoverageTest, WithoutASinkNothingIsRecordedAndResultsAreTheSame) {
  PolicySet set = testing::BundledPolicies();
  LineCoverage coverage;
  Evaluator plain(set);
  Evaluator covered(set, &coverage);
  std::vector<Finding> a = Must(plain.Check(Example(), Date{20000}));
  EXPECT_TRUE(coverage.lines().empty());
  std::vector<Finding> b = Must(covered.Check(Example(), Date{20000}));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].message, b[i].message);
  EXPECT_FALSE(coverage.lines().empty());
}

// What the hook reports and what the listing calls executable agree on every bundled policy,
// library and effects file, over everything the example partner makes them do: no line runs that
// the listing leaves out (else coverage could never reach 100%).
TEST(LineCoverageTest, EveryLineTheHookReportsIsExecutable) {
  PolicySet set = testing::BundledPolicies();
  LineCoverage coverage;
  Evaluator evaluator(set, &coverage);
  Must(evaluator.Check(Example(), Date{20000}));
  Must(evaluator.Alerts(Example(), Date{20000}, Date{20400}));
  Must(evaluator.ListActions(Example(), "", "", Date{20000}));
  Must(evaluator.ListActions(Example(), "alice", "", Date{20000}));
  std::vector<PolicyText> texts = set.texts();
  texts.insert(texts.end(), set.libraries().begin(), set.libraries().end());
  texts.insert(texts.end(), set.effect_files().begin(), set.effect_files().end());  // loaded
  ASSERT_EQ(coverage.lines().size(), texts.size());
  for (const PolicyText& text : texts) {
    SCOPED_TRACE(text.display_path);
    std::vector<int> executable = ExecutableLines(Must(ListChunk(text)));
    for (int line : coverage.lines().at(text.display_path)) {
      EXPECT_TRUE(std::binary_search(executable.begin(), executable.end(), line))
          << "line " << line << " ran but is not listed as executable";
    }
  }
}

TEST(LineCoverageTest, MergeJoinsRecords) {
  LineCoverage a, b;
  a.Record("policies/x.lua", 3);
  b.Record("policies/x.lua", 5);
  b.Record("policies/lib/y.lua", 1);
  a.Merge(b);
  EXPECT_EQ(a.lines().at("policies/x.lua"), (std::set<int>{3, 5}));
  EXPECT_EQ(a.lines().at("policies/lib/y.lua"), (std::set<int>{1}));
}

TEST(LineCoverageTest, LineRangesJoinConsecutiveLines) {
  EXPECT_EQ(FormatLineRanges({}), "");
  EXPECT_EQ(FormatLineRanges({4}), "4");
  EXPECT_EQ(FormatLineRanges({3, 7, 8, 9, 12}), "3, 7-9, 12");
  EXPECT_EQ(FormatLineRanges({1, 2}), "1-2");
}

TEST(LineCoverageTest, AFileWithoutExecutableLinesIsFullyCovered) {
  FileCoverage empty;
  EXPECT_EQ(empty.percent(), 100.0);
}

}  // namespace
}  // namespace partnerpolicy
