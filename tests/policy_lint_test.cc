// The lint checks, each on a small broken policy set: a copy of the bundled policies with one
// file added or changed. Problems are asserted whole, file:line:col and check id included.
#include "partnerpolicy/policy_lint.h"

#include <gtest/gtest.h>

#include <set>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// A valid policy; tests break it one way at a time.
constexpr const char* kGood =
    "return {\n"                                                                            // 1
    "  id = \"test.lint\",\n"                                                               // 2
    "  title = \"A rule for lint tests\",\n"                                                // 3
    "  severity = \"error\",\n"                                                             // 4
    "  source = { seed = \"001_5c53631e905999a7.txt\",\n"                                   // 5
    "             section = \"View and remove assigned users\" },\n"                        // 6
    "  description = \"Reports more credits than limit; \"\n"                               // 7
    "    .. \"lint tests break it.\",\n"                                                    // 8
    "  params = { limit = 5 }, constrains = { \"credits.amount\" },\n"                      // 9
    "  check = function(state, ctx)\n"                                                      // 10
    "    if #state.credits > ctx.params.limit then\n"                                       // 11
    "      ctx.report{ at = state.partner, message = \"too many\", remedy = \"fewer\" }\n"  // 12
    "    end\n"                                                                             // 13
    "  end,\n"                                                                              // 14
    "}\n";                                                                                  // 15

// Replaces the first `from` in `text` by `to`.
std::string With(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A copy of the bundled policies (and their settings) with extra files.
class LintSet {
 public:
  LintSet() : temp_(ReadFile(PolicyDir() / "policies.toml")) {}

  void Write(const std::string& relative, const std::string& text) {
    written_.insert((temp_.dir() / relative).string());
    fs::create_directories((temp_.dir() / relative).parent_path());
    std::ofstream out(temp_.dir() / relative, std::ios::binary | std::ios::trunc);
    out << text;
  }
  void Remove(const std::string& relative) const { fs::remove(temp_.dir() / relative); }
  fs::path dir() const { return temp_.dir(); }

  // Every problem as printed, with the directory shown as DIR.
  std::vector<std::string> Problems(const LintOptions& options = {}) const {
    Result<LintReport> report = LintPolicyDirectory(temp_.dir(), options);
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : Describe(report.errors()));
    if (!report.ok()) return {};
    std::vector<std::string> printed;
    const std::string prefix = temp_.dir().string();
    for (const LintProblem& problem : report.value().problems) {
      // The bundled files' own unexplained pairs are BundledPoliciesAreClean's business; the
      // other tests are about what they write.
      if (problem.check == "ungoverned-action" && written_.count(problem.where.file) == 0) {
        continue;
      }
      std::string line = problem.ToString();
      for (size_t at = line.find(prefix); at != std::string::npos; at = line.find(prefix)) {
        line.replace(at, prefix.size(), "DIR");
      }
      printed.push_back(line);
    }
    return printed;
  }

 private:
  TempPolicies temp_;
  std::set<std::string> written_;  // paths of the files a test wrote
};

using Lines = std::vector<std::string>;

// Lint as the command runs it: field reads checked against the partner-state schema.
LintOptions WithSchema() {
  LintOptions options;
  options.schema = SchemaPath();
  return options;
}

TEST(PolicyLintTest, BundledPoliciesAreClean) {
  Result<LintReport> report = LintPolicyDirectory(PolicyDir(), WithSchema());
  ASSERT_TRUE(report.ok()) << Describe(report.errors());
  std::string all;
  for (const LintProblem& p : report.value().problems) all += p.ToString() + "\n";
  EXPECT_EQ(all, "");
  EXPECT_EQ(report.value().policies, Bundled().policies().size());
  EXPECT_EQ(report.value().libraries, Bundled().libraries().size());
  EXPECT_EQ(report.value().sources, (PolicyDir() / "sources.toml").string());
}

TEST(PolicyLintTest, AValidPolicyHasNoProblems) {
  LintSet set;
  set.Write("test/good.lua", kGood);
  EXPECT_EQ(set.Problems(), Lines{});
}

TEST(PolicyLintTest, LoadSyntaxErrorIsOneProblemAndTheRestIsStillChecked) {
  LintSet set;
  set.Write("test/broken.lua", "return {\n  id = \n}\n");
  set.Write("test/raises.lua", "local x = nil\nlocal y = x.field\nreturn {}\n");
  set.Write("test/global.lua", With(kGood, "  check = function(state, ctx)\n",
                                    "  check = function(state, ctx)\n    total = 0\n"));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/broken.lua:3:1: error: unexpected symbol near '}' [load]",
                "DIR/test/global.lua:11:5: error: assignment to global 'total': declare it local "
                "(policies may not create globals) [global-write]",
                "DIR/test/raises.lua:2:1: error: attempt to index a nil value (local 'x') [load]",
            }));
}

TEST(PolicyLintTest, MetadataProblemsAtTheirFields) {
  LintSet set;
  std::string text = With(kGood, "  id = \"test.lint\"", "  id = \"Test Lint\"");
  text = With(text, "  title = \"A rule for lint tests\",\n", "");
  text = With(text, "\"error\"", "\"fatal\"");
  text = With(text, "section = \"View and remove assigned users\"", "section = 7");
  set.Write("test/meta.lua", text);
  set.Write("test/nothing.lua",
            With(With(kGood,
                      "  check = function(state, ctx)\n    if #state.credits > "
                      "ctx.params.limit then\n      ctx.report{ at = state.partner, "
                      "message = \"too many\", remedy = \"fewer\" }\n    end\n  end,\n",
                      ""),
                 "test.lint", "test.nothing"));
  EXPECT_EQ(
      set.Problems(),
      (Lines{
          "DIR/test/meta.lua:1:1: error: 'title' is required and must be a non-empty string "
          "[metadata]",
          "DIR/test/meta.lua:2:3: error: id 'Test Lint' must be dotted lower-case words, e.g. "
          "\"credits.free-domain-ban\" [metadata]",
          "DIR/test/meta.lua:3:3: error: severity must be \"error\", \"warning\" or \"info\", got "
          "\"fatal\" [metadata]",
          "DIR/test/meta.lua:5:14: error: source: 'section' must be a string, got number "
          "[metadata]",
          "DIR/test/nothing.lua:1:1: error: a policy needs a 'check' function, an 'alerts' "
          "function or a 'decide' table [metadata]",
          "DIR/test/nothing.lua:9:14: warning: parameter 'limit' is declared but no code reads it "
          "(ctx.params.limit) [unused-param]",
      }));
}

TEST(PolicyLintTest, UnknownFieldAtItsLine) {
  LintSet set;
  set.Write("test/unknown.lua", With(kGood, "  severity = ", "  severty = "));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/unknown.lua:1:1: error: 'severity' is required and must be a non-empty "
                "string [metadata]",
                "DIR/test/unknown.lua:4:3: error: unknown field 'severty' in the rule table "
                "(known: id, title, severity, source, description, params, constrains, no_say, "
                "informs, check, alerts, decide) [unknown-field]",
            }));
}

TEST(PolicyLintTest, DuplicateIdNamesBothPlaces) {
  LintSet set;
  set.Write("test/a.lua", kGood);
  set.Write("test/b.lua", "-- the same rule again\n" + std::string(kGood));
  EXPECT_EQ(set.Problems(), Lines{"DIR/test/b.lua:3:3: error: rule id 'test.lint' is already "
                                  "declared by DIR/test/a.lua:2 [duplicate-id]"});
}

TEST(PolicyLintTest, UnusedParameterIsAWarningAtItsDeclaration) {
  LintSet set;
  set.Write("test/unused.lua", With(kGood, "params = { limit = 5 }",
                                    "params = { limit = 5,\n             spare = true }"));
  EXPECT_EQ(set.Problems(), Lines{"DIR/test/unused.lua:10:14: warning: parameter 'spare' is "
                                  "declared but no code reads it (ctx.params.spare) "
                                  "[unused-param]"});
}

TEST(PolicyLintTest, UndeclaredParameterReadsThroughCtxParamsOrALocal) {
  LintSet set;
  set.Write("test/undeclared.lua",
            With(kGood, "    end\n  end,\n",
                 "    end\n    local params = ctx.params\n"
                 "    local a, b = ctx.params.limt, params.maximum\n"
                 "    local c = ctx.parms\n"  // a field of ctx, not a parameter
                 "  end,\n"));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/undeclared.lua:15:29: error: params.limt is read but the policy does "
                "not declare 'limt' in params (declared: limit; did you mean 'limit'?) "
                "[undeclared-param]",
                "DIR/test/undeclared.lua:15:42: error: params.maximum is read but the policy "
                "does not declare 'maximum' in params (declared: limit) [undeclared-param]",
                "DIR/test/undeclared.lua:16:19: error: ctx.parms: ctx has no field 'parms' (it "
                "has params, as_of, report, alert, horizon); did you mean 'params'? "
                "[unknown-ctx-field]",
            }));
}

TEST(PolicyLintTest, SettingsOfUnknownRulesAndParametersAsLoadingReportsThem) {
  LintSet set;
  set.Write("test/good.lua", kGood);
  std::string settings = ReadFile(PolicyDir() / "policies.toml") +
                         "\n[rules.\"test.lint\"]\nlimit = \"five\"\nlimits = 5\n";
  set.Write("policies.toml", settings);
  int lines = static_cast<int>(std::count(settings.begin(), settings.end(), '\n'));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/policies.toml:" + std::to_string(lines - 1) +
                    ":9: error: parameter 'limit' of rule 'test.lint' must be of type integer, "
                    "got string [settings]",
                "DIR/policies.toml:" + std::to_string(lines) +
                    ":10: error: rule 'test.lint' has no parameter 'limits'; parameters: limit "
                    "[settings]",
            }));
}

TEST(PolicyLintTest, DecidedActionMustBeDeclared) {
  LintSet set;
  set.Write("test/action.lua",
            With(kGood, "  check = function",
                 "  decide = {\n    [\"credit.teleport\"] = function() return nil end,\n  },\n"
                 "  check = function"));
  EXPECT_EQ(set.Problems(), Lines{"DIR/test/action.lua:11:7: error: decides 'credit.teleport', "
                                  "which DIR/actions.toml does not declare [actions]"});
}

// kGood constrains credits.amount, which no action touches; constrain credits.balance too and
// credit.use (which consumes a balance) must be decided or explained.
TEST(PolicyLintTest, AnActionTouchingWhatARuleConstrainsMustBeDecidedOrExplained) {
  LintSet set;
  set.Write("test/balance.lua", With(kGood, "constrains = { \"credits.amount\" }",
                                     "constrains = { \"credits.amount\", \"credits.balance\" }"));
  EXPECT_EQ(set.Problems(),
            Lines{"DIR/test/balance.lua:9:60: error: credit.use touches credits.balance, which "
                  "the rule constrains, but the rule neither decides credit.use nor says why it "
                  "has no say on it: add decide[\"credit.use\"], or no_say[\"credit.use\"] = "
                  "\"<why not, in one line>\" [ungoverned-action]"});

  // A reason explains the pair; so does deciding the action.
  set.Write("test/balance.lua",
            With(kGood, "constrains = { \"credits.amount\" },\n",
                 "constrains = { \"credits.amount\", \"credits.balance\" },\n"
                 "  no_say = { [\"credit.use\"] = \"the balance only counts here\" },\n"));
  EXPECT_EQ(set.Problems(), Lines{});
  set.Write("test/balance.lua",
            With(With(kGood, "constrains = { \"credits.amount\" }", "constrains = { \"credits\" }"),
                 "  check = function",
                 "  decide = { [\"credit.use\"] = function() return nil end },\n"
                 "  check = function"));
  std::vector<std::string> problems = set.Problems();
  // "credits" meets what every credit action touches: all but credit.use are unexplained.
  ASSERT_EQ(problems.size(), 4u);
  for (const char* action :
       {"credit.activate", "credit.assign", "credit.reassign", "credits.consolidate"}) {
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
      return p.find(std::string("DIR/test/balance.lua:9:42: error: ") + action + " touches") == 0;
    })) << action;
  }
}

TEST(PolicyLintTest, ReasonsForActionsTheRuleDecidesOrThatShareNothingAreStale) {
  LintSet set;
  set.Write("test/reasons.lua",
            With(With(kGood, "constrains = { \"credits.amount\" },\n",
                      "constrains = { \"credits.balance\" },\n"
                      "  no_say = {\n"
                      "    [\"credit.use\"] = \"decided below\",\n"
                      "    [\"credit.assign\"] = \"an assignment leaves the balance\",\n"
                      "    [\"credit.teleport\"] = \"no such action\",\n"
                      "    [\"subscription.move\"] = \"\",\n"
                      "  },\n"),
                 "  check = function",
                 "  decide = { [\"credit.use\"] = function() return nil end },\n"
                 "  check = function"));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/reasons.lua:11:7: warning: no_say[\"credit.use\"] gives a reason for "
                "not deciding credit.use, which the rule decides: drop the reason [no-say]",
                "DIR/test/reasons.lua:12:7: warning: no_say[\"credit.assign\"] explains "
                "nothing: credit.assign touches nothing the rule constrains; drop the reason, or "
                "add what it shares to constrains [no-say]",
                "DIR/test/reasons.lua:13:7: error: no_say names 'credit.teleport', which "
                "DIR/actions.toml does not declare [no-say]",
                "DIR/test/reasons.lua:14:7: error: no_say[\"subscription.move\"] must be a "
                "non-empty string: why the rule has no say on subscription.move [metadata]",
            }));
}

// informs promises the rule never denies an action it decides: it must decide it, and the action
// must exist.
TEST(PolicyLintTest, InformsNamesActionsTheRuleDecides) {
  LintSet set;
  set.Write("test/informs.lua",
            With(With(kGood, "constrains = { \"credits.amount\" },\n",
                      "constrains = { \"credits.balance\" },\n"
                      "  informs = {\n"
                      "    [\"credit.use\"] = \"the answer only says what is left\",\n"
                      "    [\"credit.assign\"] = \"not decided below\",\n"
                      "    [\"credit.teleport\"] = \"no such action\",\n"
                      "  },\n"),
                 "  check = function",
                 "  decide = { [\"credit.use\"] = function() return nil end },\n"
                 "  check = function"));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/informs.lua:12:7: error: informs[\"credit.assign\"] says the rule "
                "never denies credit.assign, which it does not decide: add "
                "decide[\"credit.assign\"], or drop the entry [no-say]",
                "DIR/test/informs.lua:13:7: error: informs names 'credit.teleport', which "
                "DIR/actions.toml does not declare [no-say]",
            }));
}

TEST(PolicyLintTest, EveryRuleSaysWhatItConstrainsWithNamesTheSchemaHas) {
  LintSet set;
  set.Write("test/none.lua", With(kGood, " constrains = { \"credits.amount\" },", ""));
  set.Write("test/typo.lua",
            With(With(kGood, "\"credits.amount\"", "\"credits.amout\", \"partner.membershp\""),
                 "test.lint", "test.typo"));
  set.Write("test/form.lua",
            With(With(kGood, "\"credits.amount\"", "\"Credits\", 7"), "test.lint", "test.form"));
  EXPECT_EQ(set.Problems(WithSchema()),
            (Lines{
                "DIR/test/form.lua:9:27: error: constrains: 'Credits' is no part of the partner "
                "state: write <collection>.<field> (\"credits.status\", \"partner.membership\") or "
                "a whole collection (\"users\") [metadata]",
                "DIR/test/form.lua:9:27: error: constrains[2] must be a string, got number "
                "[metadata]",
                "DIR/test/none.lua:1:1: error: the rule does not say what it constrains: add "
                "constrains = { \"<collection>.<field>\", ... }, the parts of the partner state "
                "whose values or changes it limits [constrains]",
                "DIR/test/typo.lua:9:42: error: constrains: credits.amout: the partner state's "
                "credits[] have no field 'amout' (did you mean 'amount'?) [constrains]",
                "DIR/test/typo.lua:9:59: error: constrains: partner.membershp: the partner "
                "state's partner has no field 'membershp' (did you mean 'membership'?) "
                "[constrains]",
            }));
}

TEST(PolicyLintTest, EveryActionSaysWhatItTouchesWithNamesTheSchemaHas) {
  LintSet set;
  std::string actions = ReadFile(PolicyDir() / "actions.toml");
  actions = With(actions, "touches = [\"credits.status\", \"credits.activated_on\"]",
                 "touches = [\"credits.stauts\", \"credits.activated_on\"]");
  actions = With(actions, "touches = [\"subscriptions.tenant\"]\n", "");
  set.Write("actions.toml", actions);
  std::vector<std::string> all = set.Problems(WithSchema());
  // Without what subscription.move touches, the reason a bundled rule gives for having no say
  // on it explains nothing any more: stale, and said so.
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const std::string& p) {
    return p.rfind("DIR/cloud/no_billing_account_transfer.lua:", 0) == 0 &&
           Contains(p,
                    ": warning: no_say[\"subscription.move\"] explains nothing: "
                    "subscription.move touches nothing the rule constrains; drop the reason, "
                    "or add what it shares to constrains [no-say]");
  })) << ::testing::PrintToString(all);
  std::vector<std::string> problems;
  std::copy_if(all.begin(), all.end(), std::back_inserter(problems),
               [](const std::string& p) { return p.rfind("DIR/actions.toml:", 0) == 0; });
  ASSERT_EQ(problems.size(), 2u) << ::testing::PrintToString(all);
  EXPECT_TRUE(Contains(problems[0],
                       ": error: touches: credits.stauts: the partner state's credits[] have no "
                       "field 'stauts' (did you mean 'status'?) [touches]"));
  EXPECT_TRUE(Contains(problems[1],
                       ": error: action 'subscription.move' does not say what its effect changes: "
                       "add touches = [\"<collection>.<field>\", ...], the parts of the partner "
                       "state it changes (\"users\" when it adds or removes users; [] for none) "
                       "[touches]"));
  // Each at its place in actions.toml: the entry's opening quote, the action's header.
  auto line_of = [&](const std::string& text) {
    size_t at = actions.find(text);
    return std::to_string(std::count(actions.begin(), actions.begin() + at, '\n') + 1);
  };
  EXPECT_EQ(problems[0].substr(0, problems[0].find(": error")),
            "DIR/actions.toml:" + line_of("touches = [\"credits.stauts\"") + ":12");
  EXPECT_EQ(problems[1].substr(0, problems[1].find(": error")),
            "DIR/actions.toml:" + line_of("[actions.\"subscription.move\"]") + ":1");
}

TEST(PolicyLintTest, SourceMustNameASeedAndOneOfItsHeadings) {
  LintSet set;
  set.Write("test/section.lua",
            With(kGood, "View and remove assigned users", "View and remove assigned user"));
  set.Write("test/seed.lua", With(With(kGood, "001_5c53631e905999a7.txt", "001_5c53631e.txt"),
                                  "test.lint", "test.seed"));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/section.lua:6:14: error: section 'View and remove assigned user' is no "
                "section heading of 001_5c53631e905999a7.txt (in DIR/sources.toml); did you mean "
                "'View and remove assigned users'? [source]",
                "DIR/test/seed.lua:5:14: error: source seed '001_5c53631e.txt' is no seed "
                "document in DIR/sources.toml; did you mean '001_5c53631e905999a7.txt'? [source]",
            }));
}

TEST(PolicyLintTest, WithoutAnIndexSourcesAreNotChecked) {
  LintSet set;
  set.Remove("sources.toml");
  EXPECT_EQ(set.Problems(),
            Lines{"DIR/sources.toml:1:1: warning: no index of the seed documents, so sources are "
                  "not checked: generate it with tools/index_seeds.py, or pass --seeds DIR "
                  "[source]"});
}

TEST(PolicyLintTest, SeedsOptionChecksTheDocumentsThemselves) {
  LintSet set;
  fs::path seeds = set.dir() / "seeds";
  fs::create_directories(seeds);
  std::ofstream(seeds / "001_5c53631e905999a7.txt") << "Credits\n- Assigning\nSome text.\n";
  set.Write("test/good.lua", With(kGood, "View and remove assigned users", "Assigning"));
  set.Remove("sources.toml");
  LintOptions options;
  options.seeds = seeds;
  std::vector<std::string> problems = set.Problems(options);
  // Only the test policy's section is in these documents.
  EXPECT_EQ(std::count_if(problems.begin(), problems.end(),
                          [](const std::string& p) { return p.find("[source]") != p.npos; }),
            static_cast<long>(Bundled().policies().size()));
  EXPECT_TRUE(std::none_of(problems.begin(), problems.end(), [](const std::string& p) {
    return p.rfind("DIR/test/good.lua", 0) == 0;
  }));
  LintOptions no_seeds;
  no_seeds.seeds = set.dir() / "no-such-seeds";
  Result<LintReport> missing = LintPolicyDirectory(set.dir(), no_seeds);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].ToString(),
            (set.dir() / "no-such-seeds").string() + ": not a directory of seed documents");
}

TEST(PolicyLintTest, GlobalWritesAtTopLevelAndInsideFunctions) {
  LintSet set;
  set.Write("test/globals.lua",
            "function helper() return 1 end\n" +
                With(kGood, "    end\n  end,\n", "    end\n    seen = true\n  end,\n"));
  EXPECT_EQ(set.Problems(),
            (Lines{
                "DIR/test/globals.lua:1:10: error: assignment to global 'helper': declare it "
                "local (policies may not create globals) [global-write]",
                "DIR/test/globals.lua:15:5: error: assignment to global 'seen': declare it local "
                "(policies may not create globals) [global-write]",
            }));
}

TEST(PolicyLintTest, ReadsOfUndefinedGlobalsButNotOfFieldsOrLocals) {
  LintSet set;
  set.Write("test/typo.lua", With(kGood, "    end\n  end,\n",
                                  "    end\n    local n = pramas.limit + ctx.parms\n"
                                  "    return string.format('%d', n) .. tostring(lib) .. pp.x\n"
                                  "  end,\n"));
  // Helper libraries get the code checks too.
  set.Write("lib/extra.lua", "local M = {}\nfunction M.f() return os.time() end\nreturn M\n");
  std::vector<std::string> problems = set.Problems();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].substr(0, problems[0].find(" the sandbox's globals")),
            "DIR/lib/extra.lua:2:23: error: read of undefined global 'os': it is no local in "
            "scope, and");
  EXPECT_EQ(problems[1].substr(0, problems[1].find(" the sandbox's globals")),
            "DIR/test/typo.lua:14:15: error: read of undefined global 'pramas': it is no local "
            "in scope, and");
  EXPECT_NE(problems[1].find("are _VERSION, assert, error, getmetatable, ipairs, lib, math, next, "
                             "pairs, pcall, pp, rawequal, rawget, rawlen, select, setmetatable, "
                             "string, table, tonumber, tostring, type, utf8, xpcall "
                             "[undefined-global]"),
            std::string::npos)
      << problems[1];
  EXPECT_EQ(problems[2],
            "DIR/test/typo.lua:14:34: error: ctx.parms: ctx has no field 'parms' (it has params, "
            "as_of, report, alert, horizon); did you mean 'params'? [unknown-ctx-field]");
}

// ---------------------------------------------------------------------------------------------
// unknown-state-field

// A policy whose check reads `credit_field` of each credit and `collection` of the state.
std::string FieldsPolicy(const std::string& credit_field, const std::string& collection) {
  return "return {\n"                                                      // 1
         "  id = \"test.fields\",\n"                                       // 2
         "  title = \"A rule for lint tests\",\n"                          // 3
         "  severity = \"error\",\n"                                       // 4
         "  source = { seed = \"001_5c53631e905999a7.txt\",\n"             // 5
         "             section = \"View and remove assigned users\" },\n"  // 6
         "  description = \"Reads fields of the partner state.\",\n"       // 7
         "  constrains = { \"credits.kind\" },\n"                          // 8
         "  check = function(state, ctx)\n"                                // 9
         "    for _, credit in ipairs(state.credits) do\n"                 // 10
         "      if credit." +
         credit_field +
         " == \"monthly\" then\n"                                      // 11
         "        ctx.report{ at = credit, message = \"monthly\" }\n"  // 12
         "      end\n"                                                 // 13
         "    end\n"                                                   // 14
         "    if #state." +
         collection +
         " > 0 then\n"                                                   // 15
         "      ctx.report{ at = state.partner, message = \"some\" }\n"  // 16
         "    end\n"                                                     // 17
         "  end,\n"                                                      // 18
         "}\n";
}

TEST(PolicyLintTest, AMisspeltStateFieldIsFlaggedWithTheClosestName) {
  LintSet set;
  set.Write("test/fields.lua", FieldsPolicy("knd", "credtis"));
  EXPECT_EQ(set.Problems(WithSchema()),
            (Lines{
                "DIR/test/fields.lua:11:17: error: credit.knd: the partner state's credits[] "
                "have no field 'knd' (did you mean 'kind'?) [unknown-state-field]",
                "DIR/test/fields.lua:15:15: error: state.credtis: the partner state has no "
                "field 'credtis' (did you mean 'credits'?) [unknown-state-field]",
            }));
  // Without a schema there is nothing to check against.
  EXPECT_EQ(set.Problems(), Lines{});
}

TEST(PolicyLintTest, CorrectStateFieldsAreNotFlagged) {
  LintSet set;
  set.Write("test/fields.lua", FieldsPolicy("kind", "credits"));
  EXPECT_EQ(set.Problems(WithSchema()), Lines{});
}

// A field of another kind of object is no field of this one: the state's objects are closed.
TEST(PolicyLintTest, AFieldOfAnotherKindOfObjectIsFlagged) {
  LintSet set;
  set.Write("test/fields.lua", FieldsPolicy("email", "credits"));
  EXPECT_EQ(set.Problems(WithSchema()),
            Lines{"DIR/test/fields.lua:11:17: error: credit.email: the partner state's "
                  "credits[] have no field 'email' [unknown-state-field]"});
}

TEST(PolicyLintTest, FieldsAreTracedThroughRequestsNestedObjectsAndLookups) {
  LintSet set;
  set.Write("test/decide.lua",
            With(kGood, "  check = function(state, ctx)\n",
                 "  decide = { [\"credit.assign\"] = function(req, state, ctx)\n"            // 10
                 "    local user = req.user\n"                                               // 11
                 "    if user ~= nil and user.is_new then return nil end\n"                  // 12
                 "    local owner = pp.find(state.users, req.credit.asigned_to)\n"           // 13
                 "    local ends = state.partner.membership.ennd\n"                          // 14
                 "    return pp.allow(owner.emial .. req.actor.nme .. ends .. req.crdit)\n"  // 15
                 "  end },\n"                                                                // 16
                 "  check = function(state, ctx)\n"));
  EXPECT_EQ(set.Problems(WithSchema()),
            (Lines{
                "DIR/test/decide.lua:13:51: error: credits[].asigned_to: the partner state's "
                "credits[] have no field 'asigned_to' (did you mean 'assignments'?) "
                "[unknown-state-field]",
                "DIR/test/decide.lua:14:43: error: partner.membership.ennd: the partner "
                "state's partner.membership has no field 'ennd' (did you mean 'end'?) "
                "[unknown-state-field]",
                "DIR/test/decide.lua:15:27: error: owner.emial: the partner state's users[] "
                "have no field 'emial' (did you mean 'email'?) [unknown-state-field]",
                "DIR/test/decide.lua:15:46: error: users[].nme: the partner state's users[] "
                "have no field 'nme' (did you mean 'name'?) [unknown-state-field]",
                "DIR/test/decide.lua:15:65: error: req.crdit: no action has a parameter 'crdit' "
                "(did you mean 'credit'?) [unknown-state-field]",
            }));
}

TEST(PolicyLintTest, UnknownOriginsAreFlaggedOnlyForNamesNothingHas) {
  LintSet set;
  set.Write("test/helpers.lua", With(kGood, "return {\n",
                                     "local function kind_of(c) return c.knd end\n"
                                     "local function own(t) return t.tally + t.kind end\n"
                                     "local counts = { tally = 0 }\n"
                                     "return {\n"));
  set.Write("lib/extra.lua",
            "local M = {}\nfunction M.count(state) return #state.credtis end\nreturn M\n");
  EXPECT_EQ(set.Problems(WithSchema()),
            (Lines{
                "DIR/lib/extra.lua:2:39: error: state.credtis: the partner state has no field "
                "'credtis' (did you mean 'credits'?) [unknown-state-field]",
                "DIR/test/helpers.lua:1:36: error: c.knd: no object of the partner state has a "
                "field 'knd', and no policy or helper library sets one (did you mean 'kind'?) "
                "[unknown-state-field]",
            }));
}

// unknown-ctx-field: ctx holds params, as_of, report, alert and horizon, and nothing else.
TEST(PolicyLintTest, AMisspeltContextFieldIsFlaggedWithTheClosestName) {
  LintSet set;
  set.Write("test/good.lua",
            With(kGood, "    if #state.credits > ctx.params.limit then\n",
                 "    if #state.credits > ctx.params.limit and ctx.as_off ~= nil then\n"));
  set.Write("lib/extra.lua",
            "local M = {}\nfunction M.soon(ctx, day) return day <= ctx.horizn end\nreturn M\n");
  const Lines expected = {
      "DIR/lib/extra.lua:2:45: error: ctx.horizn: ctx has no field 'horizn' (it has params, "
      "as_of, report, alert, horizon); did you mean 'horizon'? [unknown-ctx-field]",
      "DIR/test/good.lua:11:50: error: ctx.as_off: ctx has no field 'as_off' (it has params, "
      "as_of, report, alert, horizon); did you mean 'as_of'? [unknown-ctx-field]",
  };
  EXPECT_EQ(set.Problems(WithSchema()), expected);
  EXPECT_EQ(set.Problems(), expected);  // no schema needed: ctx is the host's
}

TEST(PolicyLintTest, TypeDefinitionsAreNotLinted) {
  LintSet set;
  set.Write("types/extra.lua", "---@meta\nthis is no policy = (\n");
  EXPECT_EQ(set.Problems(WithSchema()), Lines{});
}

TEST(PolicyLintTest, AnUnreadableSchemaStopsLint) {
  LintSet set;
  LintOptions options;
  options.schema = set.dir() / "no-such.schema.json";
  Result<LintReport> report = LintPolicyDirectory(set.dir(), options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.errors()[0].ToString().find("no-such.schema.json"), std::string::npos)
      << report.errors()[0].ToString();
}

}  // namespace
}  // namespace partnerpolicy
