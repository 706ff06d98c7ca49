// `partnerpolicy complete` (the words shell completion offers) and cli/completion.bash run by
// bash itself: subcommands and flags from the program, actions and rule ids from the policies
// in use, --policies honoured.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Partnerpolicy;
using testing::ProcessRun;
using testing::Quoted;
using testing::Shell;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Has(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// `complete ARGUMENTS` of the real binary, from the repository root: its lines (exit 0 asserted).
std::vector<std::string> Complete(const std::string& arguments) {
  ProcessRun run = Partnerpolicy("complete " + arguments);
  EXPECT_EQ(run.exit_code, 0) << arguments;
  return Lines(run.out);
}

// A copy of the bundled policies with one more rule and one more action.
class ExtendedPolicies {
 public:
  ExtendedPolicies() : scratch_("partnerpolicy-complete") {
    fs::copy(testing::PolicyDir(), dir(), fs::copy_options::recursive);
    std::ofstream(dir() / "actions.toml", std::ios::app)
        << "\n[actions.\"credit.zz-extra\"]\nsummary = \"s\"\nexample = \"credit=MC-1\"\n"
           "actor = \"optional\"\n"
           "params.credit = { entity = \"credits\", subject = true, help = \"h\" }\n";
    std::ofstream(dir() / "effects" / "zz_extra.lua")
        << "return { [\"credit.zz-extra\"] = function(req, state, ctx) return {} end }\n";
    std::ofstream(dir() / "credits" / "zz_extra.lua")
        << "return {\n  id = \"credits.zz-extra\", title = \"t\", severity = \"error\",\n"
           "  description = \"d\", source = { seed = \"s\", section = \"x\" },\n"
           "  check = function(state, ctx) end,\n}\n";
  }
  fs::path dir() const { return scratch_.path() / "policies"; }

 private:
  testing::ScratchDir scratch_;
};

TEST(CompleteCommandTest, SubcommandsAreTheVisibleOnes) {
  std::vector<std::string> words = Complete("subcommands");
  for (const char* subcommand : {"check", "can", "plan", "actions", "alerts", "lint", "test"}) {
    EXPECT_TRUE(Has(words, subcommand)) << subcommand;
  }
  EXPECT_FALSE(Has(words, "complete"));  // hidden
}

TEST(CompleteCommandTest, FlagsAndTheirValuesComeFromTheProgram) {
  std::vector<std::string> flags = Complete("flags check");
  for (const char* flag : {"-j", "--jobs", "--format", "--fail-on", "--policies", "--help"}) {
    EXPECT_TRUE(Has(flags, flag)) << flag;
  }
  std::vector<std::string> taking_value = Complete("value-flags check");
  EXPECT_TRUE(Has(taking_value, "--format"));
  EXPECT_TRUE(Has(taking_value, "-j"));
  EXPECT_FALSE(Has(taking_value, "--help"));
  EXPECT_EQ(Complete("flags"),
            (std::vector<std::string>{"-h", "--help", "--version", "--policies"}));
  EXPECT_EQ(Complete("values check format"),
            (std::vector<std::string>{"text", "json", "github", "tap", "junit", "sarif"}));
  EXPECT_EQ(Complete("values can format"), (std::vector<std::string>{"text", "json"}));
  EXPECT_EQ(Complete("values alerts fail-on"),
            (std::vector<std::string>{"error", "warning", "info"}));
  EXPECT_TRUE(Complete("values can state").empty());  // any file: nothing to list
}

TEST(CompleteCommandTest, ActionsArgumentsAndRulesComeFromThePolicies) {
  PolicySet policies = testing::BundledPolicies();
  std::vector<std::string> actions, rules;
  for (const ActionSpec& action : policies.actions().actions) actions.push_back(action.name);
  for (const PolicyInfo& info : policies.policies()) rules.push_back(info.id);
  EXPECT_EQ(Complete("actions"), actions);
  EXPECT_EQ(Complete("rules"), rules);
  EXPECT_EQ(Complete("arguments credit.reassign"), (std::vector<std::string>{"credit=", "user="}));
}

TEST(CompleteCommandTest, PoliciesFlagIsHonoured) {
  ExtendedPolicies extended;
  std::string flag = " --policies " + Quoted(extended.dir().string());
  EXPECT_TRUE(Has(Complete("actions" + flag), "credit.zz-extra"));
  EXPECT_TRUE(Has(Complete("rules" + flag), "credits.zz-extra"));
  EXPECT_FALSE(Has(Complete("rules"), "credits.zz-extra"));
}

TEST(CompleteCommandTest, BadRequestsAreUsageErrors) {
  for (const char* arguments :
       {"nonsense", "flags nope", "values check", "values check nope", "arguments",
        "arguments no.such-action", "subcommands extra", "rules --policies /nonexistent"}) {
    EXPECT_EQ(Partnerpolicy(std::string("complete ") + arguments).exit_code, 2) << arguments;
  }
  ProcessRun run = Shell("cd " + Quoted(testing::SourceDir().string()) + " && " +
                         Quoted(PARTNERPOLICY_BINARY) + " complete nonsense 2>&1 >/dev/null");
  EXPECT_EQ(run.out,
            "error: complete: 'nonsense': expected subcommands, flags, value-flags, values, "
            "actions, arguments or rules\n");
}

TEST(CompleteCommandTest, HelpListsEveryTopLevelSubcommandButNotComplete) {
  ProcessRun run = Partnerpolicy("--help");
  for (const std::string& subcommand : Complete("subcommands")) {
    EXPECT_NE(run.out.find("  " + subcommand + " "), std::string::npos) << subcommand;
  }
  EXPECT_EQ(run.out.find("  complete "), std::string::npos);
}

// What cli/completion.bash offers for a command line whose last word is being completed, run
// by bash in `dir` with the completion function as bash would call it. The program is the
// build's (COMP_WORDS[0] is what the completion runs).
std::vector<std::string> Offered(const std::vector<std::string>& words,
                                 const fs::path& dir = testing::SourceDir()) {
  std::string array = Quoted(PARTNERPOLICY_BINARY);
  for (const std::string& word : words) array += " " + Quoted(word);
  std::string script =
      "source " + Quoted((testing::SourceDir() / "cli" / "completion.bash").string()) +
      " && COMP_WORDS=(" + array + ") && COMP_CWORD=" + std::to_string(words.size()) +
      " && _partnerpolicy && printf '%s\\n' \"${COMPREPLY[@]}\"";
  ProcessRun run =
      Shell("cd " + Quoted(dir.string()) + " && bash --norc --noprofile -c " + Quoted(script));
  EXPECT_EQ(run.exit_code, 0) << script;
  std::vector<std::string> lines = Lines(run.out);
  if (lines.size() == 1 && lines[0].empty()) lines.clear();  // printf of an empty COMPREPLY
  return lines;
}

TEST(CompletionScriptTest, CompletesSubcommandsAndFlags) {
  std::vector<std::string> subcommands = Offered({""});
  EXPECT_TRUE(Has(subcommands, "check"));
  EXPECT_TRUE(Has(subcommands, "can"));
  EXPECT_EQ(Offered({"ch"}), (std::vector<std::string>{"check"}));
  EXPECT_EQ(Offered({"check", "--fo"}), (std::vector<std::string>{"--format"}));
  EXPECT_EQ(Offered({"check", "x.json", "--format", "s"}), (std::vector<std::string>{"sarif"}));
  EXPECT_EQ(Offered({"alerts", "--fail-on", "w"}), (std::vector<std::string>{"warning"}));
}

TEST(CompletionScriptTest, CompletesActionsAndTheirArgumentsFromThePolicies) {
  std::vector<std::string> actions = Offered({"can", "cre"});
  EXPECT_TRUE(Has(actions, "credit.reassign"));
  EXPECT_TRUE(Has(actions, "credit.assign"));
  for (const std::string& action : actions) EXPECT_EQ(action.rfind("cre", 0), 0u) << action;
  // Flags and their values before the action are skipped; then the action's parameters.
  EXPECT_EQ(Offered({"can", "--state", "fixtures/examples/contoso.json", "credit.reassign", ""}),
            (std::vector<std::string>{"credit=", "user="}));
  // bash splits "credit=MC-1" at '=': still one argument, and the next one is offered.
  EXPECT_EQ(Offered({"can", "credit.reassign", "credit", "=", "MC-1", "u"}),
            (std::vector<std::string>{"user="}));
  // A plan's steps start with an action.
  EXPECT_TRUE(Has(Offered({"plan", "--state", "fixtures/examples/contoso.json", "credit.re"}),
                  "credit.reassign"));
}

TEST(CompletionScriptTest, CompletesRuleIdsForExplain) {
  std::vector<std::string> rules = Offered({"explain", "credits."});
  EXPECT_TRUE(Has(rules, "credits.monthly.reassignment-cap"));
  EXPECT_TRUE(Has(rules, "credits.bulk.no-reassignment"));
  EXPECT_FALSE(Has(rules, "cloud.usage-location"));
}

TEST(CompletionScriptTest, UsesThePoliciesOnTheCommandLine) {
  ExtendedPolicies extended;
  EXPECT_TRUE(
      Has(Offered({"can", "--policies", extended.dir().string(), "credit.z"}), "credit.zz-extra"));
  EXPECT_FALSE(Has(Offered({"can", "credit.z"}), "credit.zz-extra"));
  EXPECT_EQ(Offered({"explain", "--policies", extended.dir().string(), "credits.zz"}),
            (std::vector<std::string>{"credits.zz-extra"}));
  EXPECT_TRUE(Offered({"explain", "credits.zz"}).empty());
  // The program's own --policies, before the subcommand, counts too; its value is not taken
  // for the subcommand.
  EXPECT_EQ(Offered({"--policies", extended.dir().string(), "explain", "credits.zz"}),
            (std::vector<std::string>{"credits.zz-extra"}));
  EXPECT_EQ(Offered({"--policies", extended.dir().string(), "expl"}),
            (std::vector<std::string>{"explain"}));
  // Policies that do not load: nothing offered, and no error in the terminal.
  EXPECT_TRUE(Offered({"can", "--policies", "/nonexistent", "cre"}).empty());
}

}  // namespace
}  // namespace partnerpolicy
