// Effects and plans through the library (evaluator/plan.h, Evaluator::Effect): how effects load
// (one per declared action, else a load error at its place), what a returned patch may hold,
// the loud error for an effect that leaves an invalid state, plans stopping at the first denial,
// and new findings compared by rule and entity.
#include "partnerpolicy/plan.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "partnerpolicy/policy_lint.h"
#include "sandbox_support.h"
#include "scratch_dir.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Describe;
using testing::Must;

// Two actions on credits; `credit.note` takes a string, `credit.drop` nothing more.
constexpr const char* kActions =
    "[actions.\"credit.note\"]\n"
    "summary = \"s\"\nexample = \"credit=MC-1\"\nactor = \"optional\"\n"
    "params.credit = { entity = \"credits\", subject = true, help = \"h\" }\n"
    "params.text = { type = \"string\", help = \"what to note\" }\n"
    "\n"
    "[actions.\"credit.drop\"]\n"
    "summary = \"s\"\nexample = \"credit=MC-1\"\nactor = \"optional\"\n"
    "params.credit = { entity = \"credits\", subject = true, help = \"h\" }\n";

// A rule that denies credit.drop on MC-2 and reports a credit named "broken".
constexpr const char* kRule =
    "return {\n"
    "  id = \"test.rule\", title = \"t\", severity = \"error\",\n"
    "  description = \"d\", source = { seed = \"s\", section = \"x\" },\n"
    "  check = function(state, ctx)\n"
    "    for _, c in ipairs(state.credits) do\n"
    "      if c.name == 'broken' then ctx.report{ at = c, message = 'broken' } end\n"
    "    end\n"
    "  end,\n"
    "  decide = { ['credit.drop'] = function(req, state, ctx)\n"
    "    if req.credit.id == 'MC-2' then return pp.deny('not MC-2', 'another') end\n"
    "    return pp.allow('fine')\n"
    "  end },\n"
    "}\n";

// A policy directory of the rule, the actions and `effects` as effects/effects.lua.
class EffectPolicies {
 public:
  explicit EffectPolicies(const std::string& effects) : dir_("partnerpolicy-plan-test") {
    dir_.Write("rule.lua", kRule);
    dir_.Write("actions.toml", kActions);
    std::filesystem::create_directories(dir_.path() / "effects");
    dir_.Write("effects/effects.lua", effects);
  }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  Result<PolicySet> Load() const { return PolicySet::Load(dir_.path()); }
  void Write(const std::string& name, const std::string& text) const { dir_.Write(name, text); }

 private:
  testing::ScratchDir dir_;
};

// Effects for both actions: credit.note renames the credit to `text`, credit.drop returns
// `drop` (Lua source of the operation list).
std::string Effects(const std::string& drop = "{}") {
  return "return {\n"
         "  ['credit.note'] = function(req, state, ctx)\n"
         "    return { { op = 'replace', path = pp.pointer(req.credit) .. '/name', value = "
         "req.text } }\n"
         "  end,\n"
         "  ['credit.drop'] = function(req, state, ctx)\n"
         "    return " +
         drop +
         "\n"
         "  end,\n"
         "}\n";
}

ActionRequest Request(const std::string& action, const std::string& credit,
                      const std::string& text = "") {
  ActionRequest request{action, "", {{"credit", credit}}};
  if (!text.empty()) request.arguments.emplace_back("text", text);
  return request;
}

const Date kDay{20000};

Result<std::vector<JsonPatchOperation>> Drop(const std::string& drop) {
  EffectPolicies policies(Effects(drop));
  PolicySet set = Must(policies.Load());
  return Evaluator(set).Effect(testing::ExampleState(), Request("credit.drop", "MC-1"), kDay);
}

std::string OnlyError(const Result<std::vector<JsonPatchOperation>>& result) {
  EXPECT_FALSE(result.ok());
  if (result.ok() || result.errors().size() != 1) return "";
  return result.errors()[0].message;
}

TEST(EffectsTest, EveryActionNeedsExactlyOneEffect) {
  EffectPolicies missing("return { ['credit.note'] = function() return {} end }\n");
  Result<PolicySet> set = missing.Load();
  ASSERT_FALSE(set.ok());
  ASSERT_EQ(set.errors().size(), 1u) << Describe(set.errors());
  EXPECT_EQ(set.errors()[0].where.file, missing.path("actions.toml"));
  EXPECT_EQ(set.errors()[0].where.line, 8);  // [actions."credit.drop"]
  EXPECT_EQ(set.errors()[0].message.rfind("action 'credit.drop' has no effect", 0), 0u)
      << set.errors()[0].message;

  EffectPolicies twice(Effects());
  twice.Write("effects/more.lua", "return {\n  ['credit.note'] = function() return {} end,\n}\n");
  set = twice.Load();
  ASSERT_FALSE(set.ok());
  ASSERT_EQ(set.errors().size(), 1u) << Describe(set.errors());
  EXPECT_EQ(set.errors()[0].ToString(),
            twice.path("effects/more.lua") +
                ":2:5: the effect of 'credit.note' is already given at " +
                twice.path("effects/effects.lua") + ":2");

  EffectPolicies extra(Effects());
  extra.Write("effects/more.lua", "return {\n  ['credit.bogus'] = function() return {} end,\n}\n");
  set = extra.Load();
  ASSERT_FALSE(set.ok());
  ASSERT_EQ(set.errors().size(), 1u) << Describe(set.errors());
  EXPECT_EQ(set.errors()[0].ToString(), extra.path("effects/more.lua") +
                                            ":2:5: an effect for 'credit.bogus', which " +
                                            extra.path("actions.toml") + " does not declare");

  EffectPolicies not_a_table("return 42\n");
  set = not_a_table.Load();
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.errors()[0].ToString(),
            not_a_table.path("effects/effects.lua") +
                ": an effects file must return a table of action names to functions(req, state, "
                "ctx), got number")
      << Describe(set.errors());
}

TEST(EffectsTest, AnEffectGivesJsonPatchOperations) {
  Result<std::vector<JsonPatchOperation>> patch = Drop(
      "{ { op = 'add', path = '/credits/0/assignments/-', value = { user = 'carol', "
      "event = 'assigned', on = '2026-11-23', id = 'first', n = 3, x = 1.5, flag = false, "
      "list = { 1, 'two' }, none = {} } },\n"
      "  { op = 'add', path = '/credits/-', value = state.credits[1] },\n"
      "  { op = 'remove', path = '/credits/1' } }");
  ASSERT_TRUE(patch.ok()) << Describe(patch.errors());
  ASSERT_EQ(patch.value().size(), 3u);
  EXPECT_EQ(patch.value()[0].op, "add");
  EXPECT_EQ(patch.value()[0].path, "/credits/0/assignments/-");
  // "id" first, then by bytes; integers stay integers; an empty table is a list.
  EXPECT_EQ(patch.value()[0].value,
            "{\"id\":\"first\",\"event\":\"assigned\",\"flag\":false,\"list\":[1,\"two\"],"
            "\"n\":3,\"none\":[],\"on\":\"2026-11-23\",\"user\":\"carol\",\"x\":1.5}");
  // A state node is its JSON, members in document order.
  EXPECT_EQ(patch.value()[1].value.rfind("{\"id\":\"MC-1\",\"name\":\"Azure monthly credit $150\","
                                         "\"kind\":\"monthly\",",
                                         0),
            0u)
      << patch.value()[1].value;
  EXPECT_EQ(patch.value()[2].op, "remove");
  EXPECT_EQ(patch.value()[2].value, "");
}

TEST(EffectsTest, AMalformedPatchIsAnErrorAtTheEffect) {
  auto at = [](const std::string& message) { return "effect of credit.drop failed: " + message; };
  EXPECT_EQ(OnlyError(Drop("nil")),
            at("an effect must return a list of operations ({} when the action changes nothing "
               "recorded), got nil"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'move', path = '/credits/0' } }")),
            at("operation 1: 'op' must be \"add\", \"replace\" or \"remove\", got \"move\""));
  EXPECT_EQ(OnlyError(Drop("{ {}, { op = 'add', path = 'credits/0', value = 1 } }")),
            at("operation 1: 'op' must be \"add\", \"replace\" or \"remove\""));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = 'credits', value = 1 } }")),
            at("operation 1: 'path' must be a JSON pointer into the state, starting with '/' "
               "(build it with pp.pointer(node)), got \"credits\""));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = '/x' } }")),
            at("operation 1: 'add' needs a 'value'"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'remove', path = '/x', value = 1 } }")),
            at("operation 1: a remove takes no 'value'"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = '/x', vaule = 1 } }")),
            at("operation 1: unknown field 'vaule' (an operation has op, path and value)"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = '/x', value = { a = pairs } } }")),
            at("operation 1.value.a is a function, which has no JSON form (use strings, numbers, "
               "booleans, tables or state values)"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = '/x', value = { 1, a = 2 } } }")),
            at("operation 1.value mixes kinds of keys: a table must be a list (keys 1 to n) or a "
               "record (string keys)"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = '/x', value = 0/0 } }")),
            at("operation 1.value is not a finite number"));
  EXPECT_EQ(OnlyError(Drop("{ { op = 'add', path = '/x', value = lib } }")),
            at("operation 1.value is a table with a metatable (a library's read-only table?); "
               "build a plain table"));
  EXPECT_EQ(OnlyError(Drop("{ x = 1 }")),
            at("an effect must return a list of operations (keys 1 to n), not a record"));
  // The place is the effect's own line.
  Result<std::vector<JsonPatchOperation>> failed = Drop("{ { op = 'copy', path = '/x' } }");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.errors()[0].where.line, 5);
  EXPECT_EQ(failed.errors()[0].code, ErrorCode::kInvalidPolicy);
}

TEST(EffectsTest, AnOpenParameterTheEffectNeedsIsAUsageError) {
  EffectPolicies policies(Effects());
  PolicySet set = Must(policies.Load());
  Result<std::vector<JsonPatchOperation>> open =
      Evaluator(set).Effect(testing::ExampleState(), Request("credit.note", "MC-1"), kDay);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.errors()[0].code, ErrorCode::kUsage);
  EXPECT_EQ(open.errors()[0].message,
            "credit.note needs text=... to compute its effect (what to note): the state after "
            "the action depends on it");
}

TEST(EffectsTest, WithoutAnEffectsDirectoryNoActionApplies) {
  testing::ScratchDir dir("partnerpolicy-plan-test");
  dir.Write("rule.lua", kRule);
  dir.Write("actions.toml", kActions);
  PolicySet set = Must(PolicySet::Load(dir.path()));  // loads: effects are optional
  EXPECT_FALSE(set.has_effects());
  Result<std::vector<JsonPatchOperation>> effect =
      Evaluator(set).Effect(testing::ExampleState(), Request("credit.drop", "MC-1"), kDay);
  ASSERT_FALSE(effect.ok());
  EXPECT_EQ(effect.errors()[0].message,
            "the policies in " + dir.path().string() +
                " have no effects/ directory, so no action can be applied to a state");
}

TEST(EffectsTest, LintChecksEffectsFilesLikeLibraries) {
  EffectPolicies policies(
      "return {\n"
      "  ['credit.note'] = function(req, state, ctx) x = 1; return {} end,\n"
      "  ['credit.zz'] = function(req, state, ctx) return { { op = 'add', path = '/a', value = "
      "req.credit.knd } } end,\n"
      "}\n");
  LintReport report =
      Must(LintPolicyDirectory(policies.path(""), LintOptions{{}, {}, testing::SchemaPath()}));
  std::vector<std::string> problems;
  for (const LintProblem& p : report.problems) {
    if (p.where.file.find("/effects/") != std::string::npos || p.check == "effects") {
      problems.push_back(p.ToString());
    }
  }
  const std::string effects = policies.path("effects/effects.lua");
  EXPECT_EQ(
      problems,
      (std::vector<std::string>{
          policies.path("actions.toml") + ":8:1: error: action 'credit.drop' has no effect: " +
              "give it one in a file of " + policies.path("") +
              "effects/ (an empty list of operations when it changes nothing recorded) [effects]",
          effects + ":2:47: error: assignment to global 'x': declare it local (policies may "
                    "not create globals) [global-write]",
          effects + ":3:5: error: an effect for 'credit.zz', which " +
              policies.path("actions.toml") + " does not declare [effects]",
          effects + ":3:100: error: credits[].knd: the partner state's credits[] have no "
                    "field 'knd' (did you mean 'kind'?) [unknown-state-field]",
      }));
}

TEST(ApplyActionTest, TheNewStateLoadsAsAFixture) {
  EffectPolicies policies(Effects());
  PolicySet set = Must(policies.Load());
  StateLoader loader = testing::Loader();
  Result<AppliedAction> applied =
      ApplyAction(Evaluator(set), loader, testing::ExampleState(),
                  Request("credit.note", "MC-2", "renamed"), kDay, "contoso after step 1");
  ASSERT_TRUE(applied.ok()) << Describe(applied.errors());
  EXPECT_EQ(applied.value().state.document.source_name(), "contoso after step 1");
  const Document& doc = applied.value().state.document;
  EXPECT_EQ(doc.string(doc.resolve("/credits/1/name")), "renamed");
  // Everything else as it was, in the same order.
  EXPECT_EQ(doc.string(doc.resolve("/credits/1/id")), "MC-2");
  EXPECT_EQ(doc.key(doc.child(doc.root(), 0)), "$schema");
  EXPECT_NE(applied.value().text.find("\"name\": \"renamed\""), std::string::npos);
}

TEST(ApplyActionTest, AnEffectThatLeavesAnInvalidStateIsALoudError) {
  EffectPolicies policies(
      Effects("{ { op = 'replace', path = pp.pointer(req.credit) .. "
              "'/status', value = 'lost' } }"));
  PolicySet set = Must(policies.Load());
  Result<AppliedAction> applied =
      ApplyAction(Evaluator(set), testing::Loader(), testing::ExampleState(),
                  Request("credit.drop", "MC-1"), kDay, "after");
  ASSERT_FALSE(applied.ok());
  ASSERT_EQ(applied.errors().size(), 1u);
  const Error& error = applied.errors()[0];
  EXPECT_EQ(error.ToString(), policies.path("effects/effects.lua") +
                                  ":5: the effect of credit.drop (" +
                                  policies.path("effects/effects.lua") +
                                  ":5) leaves a state that does not load (1 problem)");
  EXPECT_NE(error.detail.find("/credits/0/status"), std::string::npos) << error.detail;

  // A path that names nothing: the operation and its path.
  EffectPolicies nowhere(
      Effects("{ { op = 'replace', path = '/credits/99/status', value = 'x' } }"));
  PolicySet nowhere_set = Must(nowhere.Load());
  applied = ApplyAction(Evaluator(nowhere_set), testing::Loader(), testing::ExampleState(),
                        Request("credit.drop", "MC-1"), kDay, "after");
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.errors()[0].message.rfind("the effect of credit.drop (" +
                                                  nowhere.path("effects/effects.lua") +
                                                  ":5): operation 1 (replace /credits/99/status): ",
                                              0),
            0u)
      << applied.errors()[0].message;
}

TEST(RunPlanTest, EachStepSeesTheStateBeforeItAndTheFirstDenialEndsThePlan) {
  EffectPolicies policies(Effects());
  PolicySet set = Must(policies.Load());
  Evaluator evaluator(set);
  std::vector<PlanStep> steps = {
      {Request("credit.note", "MC-1", "broken"), {}},
      {Request("credit.drop", "MC-1"), {}},
      {Request("credit.drop", "MC-2"), {"plan.toml", 7, 1, ""}},
      {Request("credit.note", "MC-3", "never"), {}},
  };
  Result<PlanOutcome> plan =
      RunPlan(evaluator, testing::Loader(), testing::ExampleState(), steps, kDay, "contoso");
  ASSERT_TRUE(plan.ok()) << Describe(plan.errors());
  const PlanOutcome& outcome = plan.value();
  ASSERT_EQ(outcome.steps.size(), 3u);
  EXPECT_EQ(outcome.denied, std::optional<size_t>(2));
  EXPECT_EQ(outcome.steps[0].effect.size(), 1u);
  EXPECT_TRUE(outcome.steps[2].effect.empty());
  EXPECT_EQ(outcome.final_state.document.source_name(), "contoso after step 2");
  const Document& doc = outcome.final_state.document;
  EXPECT_EQ(doc.string(doc.resolve("/credits/0/name")), "broken");

  // The final state's new findings: the credit step 1 renamed.
  std::vector<Finding> before = Must(evaluator.Check(testing::ExampleState(), kDay));
  std::vector<Finding> after = Must(evaluator.Check(outcome.final_state, kDay));
  std::vector<Finding> added = NewFindings(before, after, Severity::kError);
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].entity_id, "MC-1");

  // An error names the step, at its place in the plan file.
  steps[2].request.arguments.emplace_back("colour", "red");
  plan = RunPlan(evaluator, testing::Loader(), testing::ExampleState(), steps, kDay, "contoso");
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.errors()[0].ToString(),
            "plan.toml:7:1: step 3 (credit.drop credit=MC-2 colour=red): 'credit.drop' has no "
            "parameter 'colour'; parameters: credit");

  // A plan whose first step is denied ends with a copy of the initial state.
  plan = RunPlan(evaluator, testing::Loader(), testing::ExampleState(),
                 {{Request("credit.drop", "MC-2"), {}}}, kDay, "contoso");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value().denied, std::optional<size_t>(0));
  EXPECT_EQ(plan.value().final_state.document.source_name(), "contoso");
  EXPECT_EQ(plan.value().final_state.document.node_count(),
            testing::ExampleState().document.node_count());
}

TEST(NewFindingsTest, ComparesByRuleAndEntityAsOftenAsEachOccurs) {
  auto finding = [](const std::string& rule, const std::string& entity, Severity severity) {
    Finding f;
    f.rule_id = rule;
    f.entity_id = entity;
    f.severity = severity;
    f.pointer = "/p/" + entity;
    return f;
  };
  std::vector<Finding> before = {finding("r", "A", Severity::kError),
                                 finding("w", "A", Severity::kWarning)};
  std::vector<Finding> after = {
      finding("r", "A", Severity::kError), finding("r", "A", Severity::kError),
      finding("r", "B", Severity::kError), finding("w", "B", Severity::kWarning),
      finding("r", "", Severity::kError)};
  std::vector<Finding> added = NewFindings(before, after, Severity::kError);
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(added[0].entity_id, "A");  // a second finding of r on A
  EXPECT_EQ(added[1].entity_id, "B");
  EXPECT_EQ(added[2].pointer, "/p/");  // no id: by pointer
  EXPECT_EQ(NewFindings(before, after, Severity::kWarning).size(), 4u);
}

}  // namespace
}  // namespace partnerpolicy
