// `actions` and `can` never disagree (issue 3, acceptance 2).
//
// 1. Through the real binary: for every line `actions --format json` prints on every example
//    fixture (as anyone, and as a partner admin), `can` with the same request gives the same
//    decision and the same verdict from every rule.
// 2. Through the library: every line leaves the targets (and, without --as, the actor) open. Its
//    answer must hold for every concrete value: a rule that denies the open request denies every
//    concrete one; a rule that allows it (or has no say) denies none. Only a rule that states a
//    condition may go either way. Concrete values are every entity of the target collection
//    (plus `new` and new e-mail addresses where accepted), integers around the limits, every
//    role name, every product key of the state and a new one, and every user as actor.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "process_support.h"
#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

std::vector<fs::path> ExampleFixtures() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(SourceDir() / "fixtures" / "examples")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, std::string> VerdictsOf(const nlohmann::json& decision) {
  std::map<std::string, std::string> verdicts;
  for (const auto& rule : decision["rules"]) verdicts[rule["rule_id"]] = rule["verdict"];
  for (const auto& rule : decision["silent_rules"]) verdicts[rule] = "silent";
  return verdicts;
}

TEST(ActionsAgreementTest, CanGivesWhatActionsListsOnEveryExampleFixture) {
  int lines_checked = 0;
  for (const fs::path& fixture : ExampleFixtures()) {
    const std::string relative = fs::relative(fixture, SourceDir()).string();
    for (const std::string actor : {"", "alice"}) {
      SCOPED_TRACE(relative + " as " + (actor.empty() ? "anyone" : actor));
      std::string as = actor.empty() ? "" : " --as " + Quoted(actor);
      ProcessRun listing =
          Partnerpolicy("actions --state " + Quoted(relative) + as + " --format json");
      ASSERT_EQ(listing.exit_code, 0) << listing.out;
      nlohmann::json report = Json(listing);
      ASSERT_GT(report["lines"].size(), 0u);
      for (const auto& line : report["lines"]) {
        std::string arguments;
        for (const auto& [name, value] : line["arguments"].items()) {
          arguments += " " + Quoted(name + "=" + value.get<std::string>());
        }
        SCOPED_TRACE(line["action"].get<std::string>() + arguments);
        ProcessRun can = Partnerpolicy("can " + Quoted(line["action"]) + arguments + " --state " +
                                       Quoted(relative) + as + " --format json");
        const int expected_exit = line["decision"] == "allowed"      ? 0
                                  : line["decision"] == "allowed if" ? 3
                                                                     : 1;
        EXPECT_EQ(can.exit_code, expected_exit) << can.out;
        nlohmann::json answer = Json(can);
        EXPECT_EQ(answer["decision"], line["decision"]);
        EXPECT_EQ(answer["conditional"], line["conditional"]);
        EXPECT_EQ(VerdictsOf(answer), VerdictsOf(line));
        EXPECT_EQ(answer["rules"], line["rules"]);  // messages, remedies and facts too
        ++lines_checked;
      }
    }
  }
  EXPECT_GT(lines_checked, 50);
}

// ---------------------------------------------------------------------------------------------
// Concrete values for what an open request leaves open.

std::vector<std::string> IdsOf(const nlohmann::json& state, const std::string& collection) {
  std::vector<std::string> ids;
  for (const auto& entity : state[collection]) ids.push_back(entity["id"]);
  return ids;
}

// The user currently holding a credit (last "assigned" not followed by "removed"), or "".
std::string Holder(const nlohmann::json& credit) {
  std::string holder;
  for (const auto& event : credit["assignments"]) {
    holder = event["event"] == "assigned" ? event["user"].get<std::string>() : "";
  }
  return holder;
}

const nlohmann::json* FindById(const nlohmann::json& state, const std::string& collection,
                               const std::string& id) {
  for (const auto& entity : state[collection]) {
    if (entity["id"] == id) return &entity;
  }
  return nullptr;
}

std::vector<std::string> Candidates(const nlohmann::json& state, const ActionSpec& spec,
                                    const ActionParam& param, const std::string& subject_id) {
  std::vector<std::string> values;
  if (!param.entity.empty() && param.list) {
    std::vector<std::string> ids = IdsOf(state, param.entity);
    for (size_t i = 0; i < ids.size(); ++i) {
      values.push_back(ids[i]);
      for (size_t k = i + 1; k < ids.size(); ++k) values.push_back(ids[i] + "," + ids[k]);
    }
    return values;
  }
  if (!param.entity.empty()) {
    values = IdsOf(state, param.entity);
    if (param.allow_new) values.push_back("new");
    if (param.new_email) {
      values.push_back("new.colleague@contoso.com");
      values.push_back("someone@gmail.com");
      values.push_back("Someone@Hotmail.COM");
    }
    // "Reassign to another user": the user who holds the credit now is no candidate.
    if (param.entity == "users" && spec.subject() != nullptr &&
        spec.subject()->entity == "credits") {
      const nlohmann::json* credit = FindById(state, "credits", subject_id);
      std::string holder = credit != nullptr ? Holder(*credit) : "";
      values.erase(std::remove(values.begin(), values.end(), holder), values.end());
    }
    return values;
  }
  if (param.type == "integer") {
    std::set<int64_t> numbers = {-1, 0, 1, 2, 5, 10, 12, 25, 100, 1000};
    if (spec.subject() != nullptr && spec.subject()->entity == "subscriptions") {
      const nlohmann::json* sub = FindById(state, "subscriptions", subject_id);
      if (sub != nullptr) {
        int64_t active = (*sub)["active_licenses"];
        for (int64_t n : {active / 4, active, 2 * active, 3 * active, 3 * active + 1}) {
          numbers.insert(n);
        }
      }
    }
    for (int64_t n : numbers) values.push_back(std::to_string(n));
    return values;
  }
  if (param.type == "string" && param.name == "role") {
    return {"partner_admin", "global_admin",    "user_admin",      "account_admin",
            "billing_admin", "referrals_admin", "incentives_admin"};
  }
  if (param.type == "string" && param.name == "subscription") {
    const nlohmann::json* link = FindById(state, "partner_id_links", subject_id);
    if (link != nullptr) {
      for (const auto& onboarded : (*link)["onboarded_subscriptions"]) {
        values.push_back(onboarded["subscription"]);
      }
    }
    values.push_back("not-onboarded-subscription");
    return values;
  }
  if (param.type == "string" && param.name == "key") {
    // Product keys: every key the state records (redeemed or not, as written and in lower case
    // without dashes, which names the same key) and one it does not know.
    std::set<std::string> keys;
    for (const auto& benefit : state["cloud_benefits"]) {
      for (const auto& k : benefit.value("product_keys", nlohmann::json::array())) {
        keys.insert(k["key"].get<std::string>());
      }
    }
    for (const auto& sub : state["subscriptions"]) {
      for (const auto& r : sub.value("key_redemptions", nlohmann::json::array())) {
        keys.insert(r["key"].get<std::string>());
      }
    }
    for (const std::string& key : keys) values.push_back(key);
    if (!keys.empty()) {
      std::string folded;
      for (char c : *keys.begin()) {
        if (c == '-') continue;
        folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
      values.push_back(folded);
    }
    values.push_back("NEWK1-NEWK2-NEWK3-NEWK4-NEWK5");
    return values;
  }
  if (param.type == "date") return {"2026-01-31", "2026-11-23", "2028-02-29"};
  return {"x"};
}

// One user per distinct set of roles: rules judge the actor only by its roles, so users with the
// same roles give the same answers (this keeps the test to a few thousand decisions).
std::vector<std::string> ActorProfiles(const nlohmann::json& state) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& user : state["users"]) {
    std::string profile =
        user["partner_center_roles"].dump() + user["billing_roles"].dump() + user["tenant"].dump();
    if (seen.insert(profile).second) ids.push_back(user["id"]);
  }
  return ids;
}

// Checks every rule's concrete answer against its open one; returns the number of requests.
int CheckConcreteAgainstOpen(const PartnerState& state, const nlohmann::json& json_state,
                             const Evaluator::ActionLine& line, Date as_of) {
  const ActionSpec* spec = Bundled().actions().Find(line.request.action);
  EXPECT_NE(spec, nullptr);
  if (spec == nullptr) return 0;

  // Dimensions: each open parameter, and the actor when the line has none.
  std::vector<std::pair<std::string, std::vector<std::string>>> dimensions;
  for (const ActionParam& param : spec->params) {
    if (param.subject) continue;
    dimensions.emplace_back(param.name, Candidates(json_state, *spec, param, line.entity_id));
  }
  if (line.request.actor.empty()) dimensions.emplace_back("--as", ActorProfiles(json_state));

  std::map<std::string, Verdict> open_verdicts;
  for (const RuleDecision& r : line.decision.rules) open_verdicts[r.rule_id] = r.verdict;

  Evaluator evaluator(Bundled());
  int requests = 0;
  std::vector<size_t> index(dimensions.size(), 0);
  while (true) {
    ActionRequest concrete = line.request;
    std::string described = concrete.action;
    for (const auto& [name, value] : concrete.arguments) described += " " + name + "=" + value;
    bool any_empty = false;
    for (size_t d = 0; d < dimensions.size(); ++d) {
      if (dimensions[d].second.empty()) {
        any_empty = true;
        break;
      }
      const std::string& value = dimensions[d].second[index[d]];
      if (dimensions[d].first == "--as") {
        concrete.actor = value;
        described += " --as " + value;
      } else {
        concrete.arguments.emplace_back(dimensions[d].first, value);
        described += " " + dimensions[d].first + "=" + value;
      }
    }
    if (any_empty) break;
    Result<Decision> decided = evaluator.Decide(state, concrete, as_of);
    ++requests;
    if (!decided.ok()) {
      ADD_FAILURE() << described << ": " << Describe(decided.errors());
    } else {
      for (const RuleDecision& r : decided.value().rules) {
        auto open = open_verdicts.find(r.rule_id);
        Verdict was = open == open_verdicts.end() ? Verdict::kAllow : open->second;
        if (was == Verdict::kDeny) {
          EXPECT_EQ(r.verdict, Verdict::kDeny) << described << ": " << r.rule_id
                                               << " denied the open request but says " << r.message;
        } else if (was == Verdict::kAllow) {
          EXPECT_NE(r.verdict, Verdict::kDeny)
              << described << ": " << r.rule_id
              << " allowed (or had no say on) the open request but denies: " << r.message;
        }
      }
      for (const auto& [rule, verdict] : open_verdicts) {
        if (verdict != Verdict::kDeny) continue;
        bool denies = std::any_of(decided.value().rules.begin(), decided.value().rules.end(),
                                  [&](const RuleDecision& r) {
                                    return r.rule_id == rule && r.verdict == Verdict::kDeny;
                                  });
        EXPECT_TRUE(denies) << described << ": " << rule
                            << " denied the open request but not this one";
      }
    }
    // Next combination.
    size_t d = 0;
    while (d < dimensions.size() && ++index[d] == dimensions[d].second.size()) {
      index[d] = 0;
      ++d;
    }
    if (d == dimensions.size()) break;
  }
  return requests;
}

TEST(ActionsAgreementTest, OpenAnswersHoldForEveryConcreteValue) {
  int requests = 0;
  for (const fs::path& fixture : ExampleFixtures()) {
    SCOPED_TRACE(fixture.string());
    PartnerState state = Must(Loader().Load(fixture));
    nlohmann::json json_state = nlohmann::json::parse(ReadFile(fixture));
    Date as_of = state.as_of ? *state.as_of : kAsOf;
    Evaluator evaluator(Bundled());
    for (const std::string actor : {"", "alice"}) {
      std::vector<Evaluator::ActionLine> lines =
          Must(evaluator.ListActions(state, actor, "", as_of));
      for (const Evaluator::ActionLine& line : lines) {
        requests += CheckConcreteAgainstOpen(state, json_state, line, as_of);
      }
    }
  }
  EXPECT_GT(requests, 1000);
}

}  // namespace
}  // namespace partnerpolicy
