// The commands for people who write and read policies, on the real binary: rules, explain,
// new-rule, and --trace on can, check and alerts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/trace.h"
#include "process_support.h"
#include "rule_test_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Bundled;
using testing::Contains;
using testing::Json;
using testing::Lacks;
using testing::Partnerpolicy;
using testing::ProcessRun;
using testing::Quoted;
using testing::ScratchDir;

const char* kExample = "fixtures/examples/contoso.json";
const char* kSeed001 = "001_5c53631e905999a7.txt";

const nlohmann::json* FindRule(const nlohmann::json& list, const std::string& key,
                               const std::string& id) {
  for (const nlohmann::json& entry : list) {
    if (entry.value(key, "") == id) return &entry;
  }
  return nullptr;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A copy of the repository's policies, fixtures and schemas, for commands that write or for
// settings that differ from the bundled ones.
fs::path CopyRepository(const ScratchDir& scratch) {
  for (const char* dir : {"policies", "fixtures", "schemas"}) {
    fs::copy(testing::SourceDir() / dir, scratch.path() / dir, fs::copy_options::recursive);
  }
  return scratch.path();
}

size_t PolicyFileCount() {
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::SourceDir() / "policies")) {
    std::string relative = fs::relative(entry.path(), testing::SourceDir() / "policies").string();
    if (entry.path().extension() == ".lua" && relative.rfind("lib/", 0) != 0 &&
        relative.rfind("types/", 0) != 0 && relative.rfind("effects/", 0) != 0) {
      ++count;
    }
  }
  return count;
}

TEST(RulesCommandTest, ListsEveryRuleWithWhatItDoes) {
  ProcessRun run = Partnerpolicy("rules --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "rules");
  ASSERT_EQ(report["catalog"].size(), PolicyFileCount());
  const nlohmann::json* cap = FindRule(report["catalog"], "id", "credits.monthly.reassignment-cap");
  ASSERT_NE(cap, nullptr);
  EXPECT_TRUE((*cap)["state_check"]);
  EXPECT_TRUE((*cap)["alerts"]);
  ASSERT_EQ((*cap)["actions"].size(), 2u);
  EXPECT_EQ((*cap)["actions"][0]["name"], "credit.assign");
  EXPECT_EQ((*cap)["actions"][1]["name"], "credit.reassign");
  EXPECT_FALSE((*cap)["actions"][1]["summary"].get<std::string>().empty());

  ProcessRun text = Partnerpolicy("rules");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("credits.monthly.reassignment-cap"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("A monthly Azure credit changes user at most five times"),
            std::string::npos);
  EXPECT_NE(text.out.find("decides credit.assign, credit.reassign"), std::string::npos);
}

TEST(RulesCommandTest, ActionFilterKeepsTheRulesThatDecideIt) {
  nlohmann::json report = Json(Partnerpolicy("rules --action credit.reassign --format json"));
  std::set<std::string> ids;
  for (const nlohmann::json& rule : report["catalog"]) {
    ids.insert(rule["id"]);
    bool decides = false;
    for (const nlohmann::json& action : rule["actions"])
      decides |= action["name"] == "credit.reassign";
    EXPECT_TRUE(decides) << rule["id"];
  }
  for (const char* id : {"credits.monthly.reassignment-cap", "credits.bulk.no-reassignment",
                         "credits.free-domain-ban"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
  EXPECT_EQ(ids.count("subscriptions.extension-limit"), 0u);

  ProcessRun unknown = Partnerpolicy("rules --action credit.reasign --format json");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("did you mean credit.reassign?"), std::string::npos) << unknown.out;
}

TEST(ExplainCommandTest, ShowsParametersSourceAndActions) {
  ProcessRun run = Partnerpolicy("explain credits.monthly.reassignment-cap --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json rule = Json(run)["rule"];
  EXPECT_EQ(rule["title"], "A monthly Azure credit changes user at most five times");
  EXPECT_EQ(rule["source"]["seed"], kSeed001);
  EXPECT_EQ(rule["source"]["section"], "View and remove assigned users");
  EXPECT_EQ(rule["file"], "policies/credits/monthly_reassignment_cap.lua");
  const nlohmann::json* cap = FindRule(rule["parameters"], "name", "max_reassignments");
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ((*cap)["value"], 5);
  EXPECT_EQ((*cap)["type"], "integer");
  // The bundled policies.toml writes the default out, on line 18.
  EXPECT_EQ((*cap)["origin"], "policies/policies.toml:18");
  EXPECT_EQ(rule["actions"].size(), 2u);

  ProcessRun text = Partnerpolicy("explain credits.monthly.reassignment-cap");
  EXPECT_EQ(text.exit_code, 0);
  for (const char* part : {"max_reassignments = 5", "set in policies/policies.toml:18", kSeed001,
                           "section \"View and remove assigned users\"", "credit.reassign",
                           "what it checks", "  After its first assignment"}) {
    EXPECT_NE(text.out.find(part), std::string::npos) << part << "\n" << text.out;
  }
}

TEST(ExplainCommandTest, ShowsWhatTheRuleConstrainsAndWhereItHasNoSay) {
  nlohmann::json rule =
      Json(Partnerpolicy("explain credits.activation-window --format json"))["rule"];
  EXPECT_EQ(rule["constrains"],
            nlohmann::json({"credits.activated_on", "credits.status", "credits.assignments"}));
  const nlohmann::json* reassign = FindRule(rule["no_say"], "action", "credit.reassign");
  ASSERT_NE(reassign, nullptr) << rule["no_say"];
  EXPECT_EQ((*reassign)["reason"],
            "a reassignment changes the user of a credit assigned before; the window concerns the "
            "first assignment and activation");
  ProcessRun text = Partnerpolicy("explain credits.activation-window");
  EXPECT_TRUE(Contains(text.out,
                       "\nconstrains\n  credits.activated_on, credits.status, "
                       "credits.assignments\n"));
  EXPECT_TRUE(Contains(text.out, "\nno say on\n"));
  EXPECT_TRUE(Contains(text.out,
                       "\n  credit.reassign: a reassignment changes the user "
                       "of a credit assigned before; the window\n"
                       "    concerns the first assignment and activation\n"));
}

// rules --matrix: a row per action with the rules that decide it, as PolicyInfo::actions says,
// and the reasons of those that have no say.
TEST(RulesCommandTest, MatrixHasARowPerActionWithItsDecidingRules) {
  ProcessRun run = Partnerpolicy("rules --matrix --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  EXPECT_EQ(report["kind"], "rules");
  const nlohmann::json& rows = report["matrix"];
  ASSERT_EQ(rows.size(), Bundled().actions().actions.size());
  size_t unexplained = 0;
  for (const nlohmann::json& row : rows) {
    const ActionSpec* action = Bundled().actions().Find(row["action"].get<std::string>());
    ASSERT_NE(action, nullptr) << row["action"];
    EXPECT_EQ(row["touches"], nlohmann::json(action->touches));
    std::vector<std::string> deciding, expected;
    for (const nlohmann::json& cell : row["rules"]) {
      const PolicyInfo* rule = Bundled().Find(cell["rule"].get<std::string>());
      ASSERT_NE(rule, nullptr);
      if (cell["say"] == "decides" || cell["say"] == "informs") deciding.push_back(rule->id);
      if (cell["say"] == "no say") {
        EXPECT_EQ(cell["reason"], *rule->NoSayReason(action->name));
      }
      // A rule that decides an action only to inform says so, with its reason.
      const std::string* informs = rule->InformsReason(action->name);
      EXPECT_EQ(cell["say"] == "informs", informs != nullptr) << rule->id;
      if (informs != nullptr) {
        EXPECT_EQ(cell["reason"], *informs);
      }
      if (cell["say"] == "unexplained") {
        ++unexplained;
        EXPECT_FALSE(cell["shared"].empty());
      }
    }
    for (const PolicyInfo& rule : Bundled().policies()) {
      if (rule.Governs(action->name)) expected.push_back(rule.id);
    }
    EXPECT_EQ(deciding, expected) << action->name;
  }
  EXPECT_EQ(report["unexplained"], unexplained);

  ProcessRun one = Partnerpolicy("rules --matrix --action credit.use");
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_TRUE(Contains(one.out, "which rule governs which action: 1 action, "));
  EXPECT_TRUE(Contains(
      one.out,
      "\ncredit.use\n  touches      credits.balance, credits.status, credits.activated_on,\n"
      "               credits.azure_subscription, azure_subscriptions\n"));
  EXPECT_TRUE(Lacks(one.out, "\ncredit.assign\n"));
}

TEST(ExplainCommandTest, OriginFollowsPoliciesToml) {
  ScratchDir scratch("explain-origin");
  fs::path repo = CopyRepository(scratch);
  // Line 18 sets max_reassignments; 3 replaces it. alert_when_left (line 19) is dropped, so it
  // keeps the policy's default.
  std::string toml = ReadFile(repo / "policies/policies.toml");
  size_t at = toml.find("max_reassignments = 5");
  ASSERT_NE(at, std::string::npos);
  toml.replace(at, 21, "max_reassignments = 3");
  at = toml.find("alert_when_left = 1");
  ASSERT_NE(at, std::string::npos);
  toml.replace(at, 19, "# alert_when_left");
  std::ofstream(repo / "policies/policies.toml", std::ios::binary) << toml;
  std::string policies = Quoted((repo / "policies").string());

  nlohmann::json rule = Json(Partnerpolicy("explain credits.monthly.reassignment-cap --policies " +
                                           policies + " --format json"))["rule"];
  const nlohmann::json* cap = FindRule(rule["parameters"], "name", "max_reassignments");
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ((*cap)["value"], 3);
  EXPECT_EQ((*cap)["default"], 5);
  EXPECT_EQ((*cap)["origin"], (repo / "policies/policies.toml").string() + ":18");
  const nlohmann::json* left = FindRule(rule["parameters"], "name", "alert_when_left");
  ASSERT_NE(left, nullptr);
  EXPECT_EQ((*left)["value"], 1);
  EXPECT_EQ((*left)["origin"], "default");
  EXPECT_FALSE(left->contains("default"));

  ProcessRun text =
      Partnerpolicy("explain credits.monthly.reassignment-cap --policies " + policies);
  EXPECT_NE(text.out.find("max_reassignments = 3"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("; default 5"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("alert_when_left = 1"), std::string::npos);
  EXPECT_NE(text.out.find("default (the policy file)"), std::string::npos);
}

TEST(ExplainCommandTest, UnknownIdSuggestsTheClosestOrTheRulesOfAnAction) {
  ProcessRun typo = Partnerpolicy("explain credits.free-domain-bam --format json");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.out.find("did you mean 'credits.free-domain-ban'?"), std::string::npos)
      << typo.out;
  ProcessRun action = Partnerpolicy("explain credit.reassign --format json");
  EXPECT_EQ(action.exit_code, 2);
  EXPECT_NE(action.out.find("partnerpolicy rules --action credit.reassign"), std::string::npos)
      << action.out;
}

TEST(NewRuleCommandTest, SkeletonPassesLintAndTestAndIsExplained) {
  ScratchDir scratch("new-rule");
  fs::path repo = CopyRepository(scratch);
  std::string policies = Quoted((repo / "policies").string());
  std::string section = Quoted("View and remove assigned users");
  ProcessRun made = Partnerpolicy("new-rule credits.card-limit --seed " + std::string(kSeed001) +
                                  " --section " + section + " --policies " + policies);
  ASSERT_EQ(made.exit_code, 0) << made.out;
  fs::path policy = repo / "policies/credits/card_limit.lua";
  fs::path test = repo / "policies/credits/card_limit.test.json";
  ASSERT_TRUE(fs::exists(policy)) << made.out;
  ASSERT_TRUE(fs::exists(test));
  EXPECT_NE(ReadFile(policy).find("id = \"credits.card-limit\""), std::string::npos);
  nlohmann::json cases = nlohmann::json::parse(ReadFile(test));
  EXPECT_EQ(cases["cases"][0]["state"], "../../fixtures/valid/minimal.json");

  // Nothing about the new rule (the bundled rules' own problems are LintCommandTest's): its
  // constrains, and a TODO reason for each action touching it.
  ProcessRun lint = Partnerpolicy("lint " + policies + " --fail-on warning");
  EXPECT_EQ(lint.out.find("card_limit.lua"), std::string::npos) << lint.out;
  EXPECT_TRUE(Contains(ReadFile(policy), "  constrains = { \"credits.status\" },\n"));
  EXPECT_TRUE(Contains(ReadFile(policy),
                       "    [\"credit.use\"] = \"TODO: decide credit.use in "
                       "decide, or say here in one line why this rule has no "
                       "say on it\",\n"));
  ProcessRun tests = Partnerpolicy("test " + policies + " --format json");
  EXPECT_EQ(tests.exit_code, 0) << tests.out;
  ProcessRun explained =
      Partnerpolicy("explain credits.card-limit --format json --policies " + policies);
  ASSERT_EQ(explained.exit_code, 0) << explained.out;
  EXPECT_EQ(Json(explained)["rule"]["source"]["section"], "View and remove assigned users");
  // Its words are in the catalog beside it, which lint found complete above.
  fs::path catalog = repo / "policies/credits/card_limit.messages.toml";
  EXPECT_TRUE(Contains(ReadFile(catalog), "title = \"TODO: the rule in one line\"\n"));
  EXPECT_EQ(Json(explained)["rule"]["title"], "TODO: the rule in one line");
  EXPECT_EQ(ReadFile(policy).find("title ="), std::string::npos);

  // Never overwrites, and refuses an id the set already has.
  std::string before = ReadFile(policy);
  ProcessRun again = Partnerpolicy("new-rule credits.card-limit --seed " + std::string(kSeed001) +
                                   " --section " + section + " --policies " + policies);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(ReadFile(policy), before);
}

TEST(NewRuleCommandTest, RefusesABadIdSeedOrSection) {
  ScratchDir scratch("new-rule-bad");
  fs::path repo = CopyRepository(scratch);
  std::string policies = " --policies " + Quoted((repo / "policies").string());
  std::string section = " --section " + Quoted("View and remove assigned users");
  EXPECT_EQ(Partnerpolicy("new-rule CardLimit --seed " + std::string(kSeed001) + section + policies)
                .exit_code,
            2);
  EXPECT_EQ(Partnerpolicy("new-rule credits.card-limit --seed 001_nothing.txt" + section + policies)
                .exit_code,
            2);
  EXPECT_EQ(Partnerpolicy("new-rule credits.card-limit --seed " + std::string(kSeed001) +
                          " --section " + Quoted("View and remove assigned user") + policies)
                .exit_code,
            2);
  EXPECT_FALSE(fs::exists(repo / "policies/credits/card_limit.lua"));
}

// lib.x once wrote policies/lib/x.lua (then loaded as a helper library), types.x a file never
// loaded, effects.x an effects file; credits..x a rule whose id has an empty word.
TEST(NewRuleCommandTest, RefusesIdsWithAnEmptyOrAReservedWord) {
  ScratchDir scratch("new-rule-reserved");
  fs::path repo = CopyRepository(scratch);
  const std::string rest = " --seed " + std::string(kSeed001) + " --section " +
                           Quoted("View and remove assigned users") + " --policies " +
                           Quoted((repo / "policies").string());
  const auto reserved = [](const std::string& id, const std::string& word,
                           const std::string& holds) {
    return "error: rule id '" + id + "': its first word names the directory " + word +
           "/, which holds " + holds + ", not rules; choose another first word\n";
  };
  const auto malformed = [](const std::string& id) {
    return "error: rule id '" + id +
           "' must be dotted lower-case words, e.g. credits.free-domain-ban (the first word "
           "names the directory)\n";
  };
  const std::pair<std::string, std::string> cases[] = {
      {"lib.x", reserved("lib.x", "lib", "helper libraries")},
      {"types.x", reserved("types.x", "types", "editor type definitions")},
      {"effects.x", reserved("effects.x", "effects", "the effects of actions")},
      {"credits..x", malformed("credits..x")},
      {".x", malformed(".x")},
  };
  for (const auto& [id, error] : cases) {
    SCOPED_TRACE(id);
    testing::StreamsRun run =
        testing::PartnerpolicyStreams("new-rule " + Quoted(id) + rest, scratch.path() / "e.txt");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.err, error);
    EXPECT_EQ(run.out, "");
  }
  for (const char* file : {"lib/x.lua", "types/x.lua", "effects/x.lua", "credits/_x.lua"}) {
    EXPECT_FALSE(fs::exists(repo / "policies" / file)) << file;
  }
}

TEST(TraceTest, CanShowsWhatEachRuleReadAndConcluded) {
  ProcessRun run = Partnerpolicy(std::string("can credit.reassign --state ") + kExample +
                                 " credit=MC-1 user=carol --as alice --trace --format json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  nlohmann::json report = Json(run);
  ASSERT_TRUE(report.contains("trace"));
  EXPECT_EQ(report["trace"].size(), PolicyFileCount());
  const nlohmann::json* cap =
      FindRule(report["trace"], "rule_id", "credits.monthly.reassignment-cap");
  ASSERT_NE(cap, nullptr);
  EXPECT_TRUE((*cap)["ran"]);
  EXPECT_EQ((*cap)["conclusion"], "allow");
  std::set<std::string> looked_at((*cap)["looked_at"].begin(), (*cap)["looked_at"].end());
  EXPECT_EQ(looked_at.count("credits/MC-1"), 1u) << (*cap)["looked_at"];
  const nlohmann::json* extension =
      FindRule(report["trace"], "rule_id", "subscriptions.extension-limit");
  ASSERT_NE(extension, nullptr);
  EXPECT_FALSE((*extension)["ran"]);
  EXPECT_EQ((*extension)["not_run_reason"], "does not decide credit.reassign");
  // Every rule with a say in the decision ran with the same verdict in the trace.
  for (const nlohmann::json& rule : report["rules"]) {
    const nlohmann::json* step = FindRule(report["trace"], "rule_id", rule["rule_id"]);
    ASSERT_NE(step, nullptr);
    EXPECT_EQ((*step)["conclusion"], rule["verdict"]);
  }

  ProcessRun text = Partnerpolicy(std::string("can credit.reassign --state ") + kExample +
                                  " credit=MC-1 user=carol --as alice --trace");
  EXPECT_NE(text.out.find("trace: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("credits.monthly.reassignment-cap: allow"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("not run (does not decide credit.reassign): "), std::string::npos);
}

TEST(TraceTest, CheckTraceAgreesWithTheFindingsAndChangesNothing) {
  nlohmann::json plain = Json(Partnerpolicy(std::string("check ") + kExample + " --format json"));
  nlohmann::json traced =
      Json(Partnerpolicy(std::string("check ") + kExample + " --trace --format json"));
  const nlohmann::json& fixture = traced["fixtures"][0];
  ASSERT_TRUE(fixture.contains("trace"));
  EXPECT_EQ(fixture["findings"], plain["fixtures"][0]["findings"]);
  for (const nlohmann::json& rule : fixture["rules"]) {
    const nlohmann::json* step = FindRule(fixture["trace"], "rule_id", rule["rule_id"]);
    ASSERT_NE(step, nullptr) << rule["rule_id"];
    EXPECT_TRUE((*step)["ran"]);
    int findings = rule["findings"];
    std::string expected = findings == 0   ? "no findings"
                           : findings == 1 ? "1 finding"
                                           : std::to_string(findings) + " findings";
    EXPECT_EQ((*step)["conclusion"], expected) << rule["rule_id"];
  }
  const nlohmann::json* bulk =
      FindRule(fixture["trace"], "rule_id", "credits.bulk.no-reassignment");
  ASSERT_NE(bulk, nullptr);
  std::set<std::string> looked_at((*bulk)["looked_at"].begin(), (*bulk)["looked_at"].end());
  EXPECT_EQ(looked_at.count("credits/BULK-2"), 1u) << (*bulk)["looked_at"];
}

TEST(TraceTest, AlertsTraceAndFormatsWithoutTraceAreRefused) {
  nlohmann::json alerts = Json(Partnerpolicy(std::string("alerts --state ") + kExample +
                                             " --within 1y --trace --format json"));
  ASSERT_TRUE(alerts.contains("trace"));
  size_t ran = 0;
  for (const nlohmann::json& step : alerts["trace"]) ran += step["ran"].get<bool>() ? 1 : 0;
  EXPECT_GT(ran, 0u);
  ProcessRun sarif = Partnerpolicy(std::string("check ") + kExample + " --trace --format sarif");
  EXPECT_EQ(sarif.exit_code, 2);
}

TEST(TraceTest, EntitiesAreNamedByCollectionAndIdOrPosition) {
  Result<Document> state = ParseJson(
      R"({"partner": {"id": "P"}, "credits": [{"id": "MC-1", "history": [{"user": "u"}]},
          {"kind": "bulk"}], "users": [{"id": "u"}]})",
      "state.json");
  ASSERT_TRUE(state.ok());
  const Document& doc = state.value();
  NodeId credits = doc.member(doc.root(), "credits");
  NodeId first = doc.child(credits, 0);
  NodeId history = doc.member(first, "history");
  NodeId second = doc.child(credits, 1);
  NodeId user = doc.child(doc.member(doc.root(), "users"), 0);
  NodeId partner = doc.member(doc.root(), "partner");
  // A read inside an entity (its history) names the entity; the root and a collection itself
  // name none; repeats are dropped, first read first.
  std::vector<std::string> names =
      EntitiesRead(doc, {doc.root(), credits, history, user, first, second, partner, user});
  EXPECT_EQ(names, (std::vector<std::string>{"credits/MC-1", "users/u", "credits/#2", "partner"}));
}

}  // namespace
}  // namespace partnerpolicy
