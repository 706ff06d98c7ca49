// Every kind of error loading a policy directory can give, one case each, asserted whole with
// its file:line:col (or, for the kinds about a file or directory as a whole, its file alone:
// status.h says which). Where lint checks the same thing it must say the same at the same place.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/policy_lint.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

// One action and a valid rule: each case adds or replaces files to break one thing.
const std::map<std::string, std::string> kBase = {
    {"actions.toml",
     "[actions.\"credit.note\"]\n"    // 1
     "summary = \"Note a credit\"\n"  // 2
     "touches = []\n"},               // 3
    {"test/rule.lua",
     "return {\n"                                                        // 1
     "  id = \"test.rule\",\n"                                           // 2
     "  title = \"A test rule\",\n"                                      // 3
     "  severity = \"error\",\n"                                         // 4
     "  source = { seed = \"s.txt\", section = \"S\" },\n"               // 5
     "  description = \"For the load error tests.\",\n"                  // 6
     "  params = { limit = 5 }, constrains = { \"credits.amount\" },\n"  // 7
     "  check = function(state, ctx) return ctx.params.limit end,\n"     // 8
     "}\n"}};                                                            // 9

// kBase's rule with `from` replaced by `to`.
std::string Rule(const std::string& from, const std::string& to) {
  std::string text = kBase.at("test/rule.lua");
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

const std::string kEffects = "return {\n  ['credit.note'] = function() return {} end,\n}\n";

struct LoadCase {
  const char* kind;
  std::map<std::string, std::string> files;  // over kBase; "" removes a file
  std::string error;                         // the one error, DIR for the directory
  bool lint_agrees;                          // lint reports the same text at the same place
};

std::vector<LoadCase> Cases() {
  return {
      {"lua-syntax",
       {{"test/rule.lua", "return {\n  id = \n}\n"}},
       "DIR/test/rule.lua:3:1: unexpected symbol near '}'",
       true},
      {"lua-syntax-token",
       {{"test/rule.lua", "return {\n  id = 'x' 'y',\n}\n"}},
       "DIR/test/rule.lua:2:12: '}' expected (to close '{' at line 1) near ''y''",
       true},
      {"lua-runtime",
       {{"test/rule.lua", "local x = nil\n    local y = x.field\nreturn {}\n"}},
       "DIR/test/rule.lua:2:5: attempt to index a nil value (local 'x')",
       true},
      {"not-a-table",
       {{"test/rule.lua", "return 42\n"}},
       "DIR/test/rule.lua:1:1: a policy must return a table describing its rule, got number",
       true},
      {"metadata",
       {{"test/rule.lua", Rule("\"error\"", "3")}},
       "DIR/test/rule.lua:4:3: 'severity' must be a string, got number",
       true},
      {"metadata-nested",
       {{"test/rule.lua", Rule("section = \"S\"", "section = 7")}},
       "DIR/test/rule.lua:5:30: source: 'section' must be a string, got number",
       true},
      {"unknown-field",
       {{"test/rule.lua", Rule("  title", "  colour = \"red\",\n  title")}},
       "DIR/test/rule.lua:3:3: unknown field 'colour' in the rule table (known: id, title, "
       "severity, source, description, params, constrains, no_say, informs, check, alerts, "
       "decide)",
       true},
      {"duplicate-id",
       {{"test/same.lua", kBase.at("test/rule.lua")}},
       "DIR/test/same.lua:2:3: rule id 'test.rule' is already declared by DIR/test/rule.lua:2",
       true},
      {"undeclared-action",
       {{"test/rule.lua",
         Rule("  check",
              "  decide = {\n    [\"credit.teleport\"] = function() end,\n  },\n  check")}},
       "DIR/test/rule.lua:9:7: decides 'credit.teleport', which DIR/actions.toml does not declare",
       true},
      {"library-name",
       {{"lib/My-Words.lua", "return {}\n"}},
       "DIR/lib/My-Words.lua: a helper library's file name must be a lower-case Lua name (it "
       "becomes lib.<name>)",
       false},
      {"library-runtime",
       {{"lib/words.lua", "local t = {}\n  return t.x.y\n"}},
       "DIR/lib/words.lua:2:3: policy lib.words failed: attempt to index a nil value (field 'x')",
       true},
      {"library-not-a-table",
       {{"lib/words.lua", "return 42\n"}},
       "DIR/lib/words.lua: policy lib.words failed: a helper library must return a table of "
       "functions and constants, got number",
       false},
      {"effects-not-a-table",
       {{"effects/effects.lua", "return 42\n"}},
       "DIR/effects/effects.lua: an effects file must return a table of action names to "
       "functions(req, state, ctx), got number",
       false},
      {"effect-twice",
       {{"effects/effects.lua", kEffects}, {"effects/more.lua", kEffects}},
       "DIR/effects/more.lua:2:5: the effect of 'credit.note' is already given at "
       "DIR/effects/effects.lua:2",
       false},
      {"effect-missing",
       {{"effects/effects.lua", "return {}\n"}},
       "DIR/actions.toml:1:1: action 'credit.note' has no effect: give it one in a file of "
       "DIR/effects/ (an empty list of operations when it changes nothing recorded)",
       true},
      {"effect-undeclared",
       {{"effects/effects.lua",
         "return {\n  ['credit.note'] = function() return {} end,\n"
         "  ['credit.bogus'] = function() return {} end,\n}\n"}},
       "DIR/effects/effects.lua:3:5: an effect for 'credit.bogus', which DIR/actions.toml does "
       "not declare",
       true},
      {"settings-syntax",
       {{"policies.toml", "[rules.\"test.rule\"]\nlimit = = 3\n"}},
       "DIR/policies.toml:2:9: Error while parsing value: could not determine value type",
       true},
      {"settings-unknown-rule",
       {{"policies.toml", "[rules.\"test.nope\"]\nlimit = 3\n"}},
       "DIR/policies.toml:1:8: unknown rule id 'test.nope'; rules: test.rule",
       true},
      {"settings-type",
       {{"policies.toml", "[rules.\"test.rule\"]\nlimit = \"many\"\n"}},
       "DIR/policies.toml:2:9: parameter 'limit' of rule 'test.rule' must be of type integer, "
       "got string",
       true},
      {"actions-unknown-key",
       {{"actions.toml", kBase.at("actions.toml") + "colour = \"red\"\n"}},
       "DIR/actions.toml:4:10: unknown key 'colour' in action 'credit.note'",
       true},
      {"actions-none",
       {{"actions.toml", "# nothing yet\n"}},
       "DIR/actions.toml: no [actions.\"<name>\"] tables",
       true},
      {"no-policies", {{"test/rule.lua", ""}}, "DIR: no policies (*.lua) in this directory", false},
  };
}

class LoadErrorTest : public ::testing::TestWithParam<LoadCase> {};

TEST_P(LoadErrorTest, OneErrorAtItsPlace) {
  const LoadCase& c = GetParam();
  testing::ScratchDir dir(std::string("partnerpolicy-load-") + c.kind);
  std::map<std::string, std::string> files = kBase;
  for (const auto& [name, text] : c.files) files[name] = text;
  for (const auto& [name, text] : files) {
    if (!text.empty()) dir.Write(name, text);
  }
  const std::string root = dir.path().string();
  auto shown = [&](std::string text) {
    for (size_t at = text.find(root); at != std::string::npos; at = text.find(root)) {
      text.replace(at, root.size(), "DIR");
    }
    return text;
  };

  Result<PolicySet> set = PolicySet::Load(dir.path());
  ASSERT_FALSE(set.ok());
  std::vector<std::string> errors;
  for (const Error& error : set.errors()) errors.push_back(shown(error.ToString()));
  EXPECT_EQ(errors, std::vector<std::string>{c.error});
  if (!c.lint_agrees) return;

  Result<LintReport> report = LintPolicyDirectory(dir.path(), LintOptions{});
  ASSERT_TRUE(report.ok());
  std::vector<std::string> problems;
  for (const LintProblem& p : report.value().problems) {
    // Lint gives every problem a line and column: a whole-file one at 1:1.
    SourceLocation where = set.errors()[0].where;
    if (where.line == 0) where = SourceLocation{where.file, 1, 1, ""};
    if (p.where.file == where.file && p.where.line == where.line &&
        p.where.column == where.column && p.message == set.errors()[0].message) {
      return;
    }
    problems.push_back(shown(p.ToString()));
  }
  ADD_FAILURE() << "lint does not report " << c.error << "; it reports:\n"
                << ::testing::PrintToString(problems);
}

INSTANTIATE_TEST_SUITE_P(EveryKind, LoadErrorTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<LoadCase>& info) {
                           std::string name = info.param.kind;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace partnerpolicy
