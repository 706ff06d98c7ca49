// bench/state_generator.h: generated states load without a problem, are the same bytes for the
// same options, break the rules they are meant to break (and nothing when no breach is asked
// for), and are checked the same by the real binary with one job or two.
#include "state_generator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using bench::GeneratePartnerState;
using bench::GeneratorOptions;

GeneratorOptions Options(uint32_t users, uint64_t seed, double breach_share = 0.05) {
  GeneratorOptions options;
  options.users = users;
  options.seed = seed;
  options.breach_share = breach_share;
  return options;
}

std::string Name(const GeneratorOptions& options) {
  return "generated-" + std::to_string(options.users) + "-users-seed-" +
         std::to_string(options.seed) + "-share-" + std::to_string(options.breach_share) + ".json";
}

// The findings of every rule on the generated state, which must load.
std::vector<Finding> Findings(const PolicySet& policies, const GeneratorOptions& options) {
  PartnerState state =
      testing::Must(testing::Loader().LoadText(GeneratePartnerState(options), Name(options)));
  return testing::Must(Evaluator(policies).Check(state, *state.as_of));
}

std::set<std::string> RuleIds(const std::vector<Finding>& findings) {
  std::set<std::string> ids;
  for (const Finding& f : findings) ids.insert(f.rule_id);
  return ids;
}

std::string Describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += f.rule_id + " " + SeverityName(f.severity) + " " + f.entity_id + ": " + f.message + "\n";
  }
  return out;
}

std::string Join(const std::set<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += w + " ";
  return out;
}

// Every rule with a state check, each named in a breach kind of bench/*_generator.cc, and
// credits.no-consolidation, which two credits put on one pay-as-you-go subscription also break
// once there are more such breaches than pay-as-you-go subscriptions.
const std::set<std::string> kBreachableRules = {
    "account.appeal-limit",
    "account.verification-sla",
    "cloud.benefit-activate-by",
    "cloud.checkout-billing-roles",
    "cloud.copilot-prerequisites",
    "cloud.key-single-use",
    "cloud.modernized-no-extension",
    "cloud.no-billing-account-transfer",
    "cloud.redemption-model",
    "cloud.tenant-in-billing-account",
    "cloud.usage-location",
    "credits.activation-window",
    "credits.bulk.no-reassignment",
    "credits.bulk.window",
    "credits.free-domain-ban",
    "credits.monthly.reassignment-cap",
    "credits.monthly.validity",
    "credits.new-subscription-only",
    "credits.no-consolidation",
    "credits.one-bulk-per-user",
    "credits.redeem-not-redeemed",
    "pec.customer-scope",
    "pec.linked-account",
    "pec.permanent-eligible-role",
    "subscriptions.extension-limit",
};

TEST(StateGeneratorTest, StatesLoadWithoutErrors) {
  StateLoader loader = testing::Loader();
  std::vector<GeneratorOptions> cases;
  for (uint32_t users : {1u, 10u, 200u}) {
    for (uint64_t seed : {1u, 2u, 3u}) {
      for (double share : {0.0, 0.05, 1.0}) cases.push_back(Options(users, seed, share));
    }
  }
  cases.push_back(Options(1000, 1));
  cases.push_back(Options(1000, 2, 1.0));
  for (const GeneratorOptions& options : cases) {
    std::string text = GeneratePartnerState(options);
    Result<PartnerState> state = loader.LoadText(text, Name(options));
    ASSERT_TRUE(state.ok()) << Name(options) << "\n" << testing::Describe(state.errors());
    ASSERT_TRUE(state.value().as_of);
    EXPECT_EQ(FormatDate(*state.value().as_of), "2026-11-23");
    const Document& doc = state.value().document;
    EXPECT_EQ(doc.size(doc.member(doc.root(), "users")), options.users) << Name(options);
  }
}

TEST(StateGeneratorTest, SameOptionsGiveTheSameBytes) {
  const GeneratorOptions options = Options(1000, 7);
  const std::string text = GeneratePartnerState(options);
  EXPECT_EQ(GeneratePartnerState(options), text);

  GeneratorOptions other_seed = options;
  other_seed.seed = 8;
  EXPECT_NE(GeneratePartnerState(other_seed), text);
  GeneratorOptions other_date = options;
  other_date.as_of = "2027-03-01";
  const std::string dated = GeneratePartnerState(other_date);
  EXPECT_NE(dated, text);
  EXPECT_NE(dated.find("\"as_of\": \"2027-03-01\""), std::string::npos);
}

// The bytes of one small state, pinned: every build (another compiler, the sanitizers, another
// standard library) must give exactly these. A change to the generator that changes its output
// on purpose updates the number (printed on failure).
TEST(StateGeneratorTest, OutputIsTheSameInEveryBuild) {
  const std::string text = GeneratePartnerState(Options(50, 1));
  uint64_t fnv1a = 14695981039346656037ull;
  for (unsigned char c : text) fnv1a = (fnv1a ^ c) * 1099511628211ull;
  EXPECT_EQ(fnv1a, 8752965220780022867ull) << "FNV-1a 64 of the 50-user state of seed 1";
  EXPECT_EQ(text.size(), 18947u);
}

TEST(StateGeneratorTest, OptionsOutsideTheLimitsAreRefused) {
  GeneratorOptions options = Options(0, 1);
  EXPECT_EQ(bench::OptionsProblem(options), "users must be from 1 to 1000000, not 0");
  EXPECT_EQ(GeneratePartnerState(options), "");
  options = Options(10, 1, 1.5);
  EXPECT_EQ(bench::OptionsProblem(options), "breach share must be from 0 to 1");
  options = Options(10, 1);
  options.as_of = "2026-02-30";
  EXPECT_EQ(bench::OptionsProblem(options),
            "as_of \"2026-02-30\" is not a calendar date YYYY-MM-DD");
  options.as_of = "9999-01-01";
  EXPECT_EQ(bench::OptionsProblem(options), "as_of 9999-01-01 is outside the years 1900 to 9000");
  EXPECT_EQ(bench::OptionsProblem(Options(1'000'000, 1, 0)), "");
}

// The default share of a 1,000-user partner already breaks several rules, and only rules the
// generator means to break (anything else would be a compliant entity that is not).
TEST(StateGeneratorTest, BreachesBreakSeveralRules) {
  PolicySet policies = testing::BundledPolicies();
  std::vector<Finding> findings = Findings(policies, Options(1000, 1));
  std::set<std::string> rules = RuleIds(findings);
  EXPECT_GE(rules.size(), 6u) << Describe(findings);
  for (const std::string& rule : rules) {
    EXPECT_TRUE(kBreachableRules.count(rule)) << rule << "\n" << Describe(findings);
  }
  // About 5% of the 250 credits, 40 benefits and 10 links: far fewer findings than entities.
  EXPECT_GE(findings.size(), 5u) << Describe(findings);
  EXPECT_LE(findings.size(), 40u) << Describe(findings);
}

// Every entity breaking a rule: each breach kind shows, so each targeted rule is found. The
// partner itself breaks one of two account rules per state, so three seeds are needed to see
// both.
TEST(StateGeneratorTest, EveryBreachKindShows) {
  PolicySet policies = testing::BundledPolicies();
  std::set<std::string> rules;
  for (uint64_t seed : {1u, 2u, 3u}) {
    std::vector<Finding> findings = Findings(policies, Options(500, seed, 1.0));
    std::set<std::string> found = RuleIds(findings);
    rules.insert(found.begin(), found.end());
  }
  EXPECT_EQ(rules, kBreachableRules) << Join(rules);
}

// No breach asked for: the bundled policies find nothing at all, not even a warning.
TEST(StateGeneratorTest, NoBreachShareGivesNoFindings) {
  PolicySet policies = testing::BundledPolicies();
  for (const GeneratorOptions& options :
       {Options(1, 1, 0), Options(10, 2, 0), Options(200, 3, 0), Options(1000, 4, 0)}) {
    std::vector<Finding> findings = Findings(policies, options);
    EXPECT_TRUE(findings.empty()) << Name(options) << "\n" << Describe(findings);
  }
}

// `check` on a directory of generated states: the report and exit code do not depend on how
// many fixtures are evaluated at once (all states share one as_of, hence one evaluation date).
TEST(StateGeneratorTest, CheckReportIsTheSameWithOneOrTwoJobs) {
  testing::ScratchDir dir("partnerpolicy-generated-states");
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    char name[32];
    std::snprintf(name, sizeof name, "state-%05u.json", static_cast<unsigned>(seed));
    dir.Write(name, GeneratePartnerState(Options(40 + 5 * static_cast<uint32_t>(seed), seed)));
  }
  const std::string command = "check " + testing::Quoted(dir.path().string()) + " --format json";
  testing::ProcessRun one = testing::Partnerpolicy(command + " -j 1");
  testing::ProcessRun two = testing::Partnerpolicy(command + " -j 2");
  EXPECT_EQ(one.exit_code, 1) << one.out;  // error findings, and no input or policy error
  EXPECT_EQ(two.exit_code, one.exit_code);
  EXPECT_EQ(two.out, one.out);
  nlohmann::json report = testing::Json(one);
  ASSERT_TRUE(report.contains("fixtures")) << one.out;
  EXPECT_EQ(report["fixtures"].size(), 20u);
}

}  // namespace
}  // namespace partnerpolicy
