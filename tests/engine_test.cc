// Evaluator: one sandbox serves every call of an evaluator, a failed call drops it, and a rule
// cannot deny an action it declares it only informs on. Policy files: which files of a policy
// directory are policies, libraries, or neither.
#include "partnerpolicy/engine.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "sandbox_support.h"
#include "scratch_dir.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Must;

// A policy that counts its calls in a local variable of its chunk, and fails on its first call
// when `fail_first` is set.
std::string CountingPolicy(bool fail_first) {
  return std::string(
             "local calls = 0\n"
             "return {\n"
             "  id = \"test.counting\", title = \"t\", severity = \"error\",\n"
             "  description = \"d\", source = { seed = \"s\", section = \"x\" },\n"
             "  check = function(state, ctx)\n"
             "    calls = calls + 1\n") +
         (fail_first ? "    if calls == 1 then error('the first call fails') end\n" : "") +
         "    ctx.report{ at = state.partner, message = 'call ' .. calls }\n"
         "  end,\n"
         "}\n";
}

PolicySet LoadOnly(const testing::ScratchDir& dir, const std::string& policy) {
  dir.Write("counting.lua", policy);
  std::ifstream actions(testing::PolicyDir() / "actions.toml", std::ios::binary);
  dir.Write("actions.toml", std::string(std::istreambuf_iterator<char>(actions), {}));
  return Must(PolicySet::Load(dir.path()));
}

std::string OnlyMessage(const Result<std::vector<Finding>>& findings) {
  EXPECT_TRUE(findings.ok()) << testing::Describe(findings.errors());
  if (!findings.ok() || findings.value().size() != 1) return "";
  return findings.value()[0].message;
}

TEST(EvaluatorTest, OneSandboxServesEveryCallOfAnEvaluator) {
  testing::ScratchDir dir("partnerpolicy-engine-test");
  PolicySet set = LoadOnly(dir, CountingPolicy(false));
  const PartnerState& state = testing::ExampleState();
  Evaluator evaluator(set);
  EXPECT_EQ(OnlyMessage(evaluator.Check(state, Date{20000})), "call 1");
  EXPECT_EQ(OnlyMessage(evaluator.Check(state, Date{20000})), "call 2");
  // Another evaluator has a sandbox of its own.
  EXPECT_EQ(OnlyMessage(Evaluator(set).Check(state, Date{20000})), "call 1");
}

TEST(EvaluatorTest, AFailedCallDropsTheSandbox) {
  testing::ScratchDir dir("partnerpolicy-engine-test");
  PolicySet set = LoadOnly(dir, CountingPolicy(true));
  const PartnerState& state = testing::ExampleState();
  Evaluator evaluator(set);
  for (int attempt = 0; attempt < 2; ++attempt) {
    // Each call starts from a freshly loaded policy, so each is again its first call.
    Result<std::vector<Finding>> findings = evaluator.Check(state, Date{20000});
    ASSERT_FALSE(findings.ok());
    EXPECT_NE(findings.errors()[0].ToString().find("counting.lua:7: policy test.counting failed: "
                                                   "the first call fails"),
              std::string::npos)
        << findings.errors()[0].ToString();
  }
}

TEST(EvaluatorTest, RepeatedDecisionsAgreeWithAFreshEvaluator) {
  PolicySet set = testing::BundledPolicies();
  const PartnerState& state = testing::ExampleState();
  ActionRequest request{"credit.reassign", "alice", {{"credit", "MC-1"}, {"user", "gina"}}};
  Decision fresh = Must(Evaluator(set).Decide(state, request, Date{20000}));
  Evaluator evaluator(set);
  for (int k = 0; k < 3; ++k) {
    Decision again = Must(evaluator.Decide(state, request, Date{20000}));
    EXPECT_EQ(again.allowed, fresh.allowed);
    ASSERT_EQ(again.rules.size(), fresh.rules.size());
    for (size_t i = 0; i < fresh.rules.size(); ++i) {
      EXPECT_EQ(again.rules[i].rule_id, fresh.rules[i].rule_id);
      EXPECT_EQ(again.rules[i].message, fresh.rules[i].message);
    }
  }
  EXPECT_FALSE(fresh.allowed);  // gina has a free-mail address
}

// A rule that declares in `informs` that it never denies credit.use, and denies it.
TEST(EvaluatorTest, ADenialOfAnActionTheRuleOnlyInformsOnIsAPolicyError) {
  testing::ScratchDir dir("partnerpolicy-engine-test");
  PolicySet set = LoadOnly(dir,
                           "return {\n"
                           "  id = \"test.informs\", title = \"t\", severity = \"error\",\n"
                           "  description = \"d\", source = { seed = \"s\", section = \"x\" },\n"
                           "  informs = { [\"credit.use\"] = \"only says what is left\" },\n"
                           "  decide = {\n"
                           "    [\"credit.use\"] = function() return pp.deny('no', 'wait') end,\n"
                           "  },\n"
                           "}\n");
  ActionRequest request{"credit.use", "alice", {{"credit", "MC-1"}, {"azure-subscription", "new"}}};
  Result<Decision> decision = Evaluator(set).Decide(testing::ExampleState(), request, Date{20000});
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.errors()[0].code, ErrorCode::kInvalidPolicy);
  EXPECT_NE(decision.errors()[0].ToString().find(
                "counting.lua: test.informs denied credit.use, which its informs says it never "
                "denies (\"only says what is left\")"),
            std::string::npos)
      << decision.errors()[0].ToString();
}

// An effect that changes a part of the state its action does not list in `touches` is refused:
// the governs matrix, and so lint, trusts that list.
TEST(EvaluatorTest, AnEffectChangesOnlyWhatItsActionTouches) {
  testing::ScratchDir dir("partnerpolicy-engine-test");
  dir.Write("counting.lua", CountingPolicy(false));
  dir.Write("actions.toml",
            "[actions.\"credit.assign\"]\n"
            "summary = \"Assign an Azure credit to a user\"\n"
            "touches = [\"credits.assignments\"]\n"
            "params.credit = { entity = \"credits\", subject = true, help = \"the credit\" }\n"
            "params.user = { entity = \"users\", help = \"the user\" }\n");
  dir.Write(
      "effects/credits.lua",
      "return {\n"
      "  [\"credit.assign\"] = function(req, state, ctx)\n"
      "    return {\n"
      "      { op = 'add', path = pp.pointer(req.credit) .. '/assignments/-',\n"
      "        value = { event = 'assigned', user = req.user.id, on = '2026-11-23' } },\n"
      "      { op = 'replace', path = pp.pointer(req.credit) .. '/status', value = 'redeemed' },\n"
      "    }\n"
      "  end,\n"
      "}\n");
  PolicySet set = Must(PolicySet::Load(dir.path()));
  ActionRequest request{"credit.assign", "alice", {{"credit", "MC-5"}, {"user", "carol"}}};
  Result<std::vector<JsonPatchOperation>> effect =
      Evaluator(set).Effect(testing::ExampleState(), request, Date{20000});
  ASSERT_FALSE(effect.ok());
  EXPECT_EQ(effect.errors()[0].code, ErrorCode::kInvalidPolicy);
  EXPECT_NE(effect.errors()[0].ToString().find(
                "effects/credits.lua:2: the effect of credit.assign changes /credits/4/status "
                "(credits.status), which its touches in actions.toml does not list"),
            std::string::npos)
      << effect.errors()[0].ToString();
}

TEST(PolicyFilesTest, TypeDefinitionsAreNeitherPoliciesNorLibraries) {
  testing::ScratchDir dir("partnerpolicy-engine-test");
  std::filesystem::create_directories(dir.path() / "types");
  std::filesystem::create_directories(dir.path() / "lib");
  // A definition file would fail as a policy: it returns no rule table.
  dir.Write("types/api.lua", "---@meta\nerror('a definition file is never run')\n");
  dir.Write("lib/text.lua", "return {}\n");
  PolicySet set = LoadOnly(dir, CountingPolicy(false));
  ASSERT_EQ(set.texts().size(), 1u);
  EXPECT_EQ(set.texts()[0].display_path, (dir.path() / "counting.lua").string());
  ASSERT_EQ(set.libraries().size(), 1u);
  EXPECT_EQ(set.libraries()[0].display_path, (dir.path() / "lib/text.lua").string());
}

TEST(PolicyFilesTest, ADirectoryWithOnlyTypeDefinitionsHasNoPolicies) {
  testing::ScratchDir dir("partnerpolicy-engine-test");
  std::filesystem::create_directories(dir.path() / "types");
  dir.Write("types/api.lua", "---@meta\n");
  Result<PolicyFiles> files = ReadPolicyFiles(dir.path());
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.errors()[0].ToString(),
            dir.path().string() + ": no policies (*.lua) in this directory");
}

}  // namespace
}  // namespace partnerpolicy
