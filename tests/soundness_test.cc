// Soundness of ALLOWED (issue 18, acceptance 4): an action the rules allow must never leave a
// state that a rule's own check calls an error.
//
// Over states from the bench generator (bench/state_generator.h: fixed seeds, small partners),
// every line `actions` lists that is not denied is asked again with concrete values for what it
// leaves open (each entity of the target collection, `new`, new e-mail addresses, integers
// around the limits, every role, one actor per set of roles), as tests/actions_agreement_test.cc
// does. Every concrete request Decide answers ALLOWED (without conditions) has its effect
// (policies/effects/) computed; each distinct change is applied and the result checked: an error
// finding, by rule and entity, that the state before did not have is a counterexample. Each is
// printed as a fixture (the state written to a file, and the generator's options that make it
// again) and the request, as a `partnerpolicy plan` command that shows it.
//
// PARTNERPOLICY_SOUNDNESS_STATES sets the number of states (default 1000),
// PARTNERPOLICY_SOUNDNESS_REQUESTS the concrete requests asked per `actions` line and state
// (default 12) and PARTNERPOLICY_SOUNDNESS_EFFECTS the distinct effects of each action checked
// per state (default 3), both spread and rotated over the seeds (0: all), so that the test takes
// minutes under the sanitizers; scripts/soundness.sh runs a longer pass of all of them. A
// deliberately broken rule (tests/policies/broken/) must give counterexamples: the property can
// fail.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "partnerpolicy/plan.h"
#include "scratch_dir.h"
#include "state_generator.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Describe;
using testing::Must;

// ---------------------------------------------------------------------------------------------
// The states.

bench::GeneratorOptions StateOptions(uint64_t seed) {
  bench::GeneratorOptions options;
  options.seed = seed;
  options.users = static_cast<uint32_t>(2 + seed % 6);  // 2 to 7 users: a few of each entity
  options.breach_share = 0.05 * static_cast<double>(seed % 5);  // clean to one breach in five
  return options;
}

std::string OptionsText(const bench::GeneratorOptions& options) {
  return "--users " + std::to_string(options.users) + " --seed " + std::to_string(options.seed) +
         " --breach-share " + std::to_string(options.breach_share) + " --as-of " + options.as_of;
}

// A count from the environment, else `otherwise`.
size_t FromEnvironment(const char* name, size_t otherwise) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return otherwise;
  return static_cast<size_t>(std::strtoull(text, nullptr, 10));
}

size_t StateCount() { return FromEnvironment("PARTNERPOLICY_SOUNDNESS_STATES", 1000); }

// Distinct effects of an action checked per state (0: all). Checking one costs a reload of the
// state and every rule's check (milliseconds under the sanitizers), and the states give up to
// seventy of some actions (a role for each user), so CI checks a few per action and state,
// spread and rotated over the seeds; scripts/soundness.sh checks them all.
size_t EffectsPerAction() { return FromEnvironment("PARTNERPOLICY_SOUNDNESS_EFFECTS", 3); }

// Concrete requests asked per `actions` line and state (0: all), spread and rotated the same way:
// a line can have dozens (each user as target times each kind of actor), each a decision and an
// effect to compute.
size_t RequestsPerLine() { return FromEnvironment("PARTNERPOLICY_SOUNDNESS_REQUESTS", 12); }

// ---------------------------------------------------------------------------------------------
// Concrete values for what a request leaves open (as tests/actions_agreement_test.cc chooses
// them).

std::vector<std::string> IdsOf(const nlohmann::json& state, const std::string& collection) {
  std::vector<std::string> ids;
  for (const auto& entity : state[collection]) ids.push_back(entity["id"]);
  return ids;
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
    }
    return values;
  }
  if (param.type == "integer") {
    // Around the limits the rules know (a key of up to 3 x the active licenses), and some.
    std::set<int64_t> numbers = {-1, 0, 1, 12};
    if (spec.subject() != nullptr && spec.subject()->entity == "subscriptions") {
      if (const nlohmann::json* sub = FindById(state, "subscriptions", subject_id)) {
        int64_t active = (*sub)["active_licenses"];
        for (int64_t n : {active, 3 * active, 3 * active + 1}) numbers.insert(n);
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
    if (const nlohmann::json* link = FindById(state, "partner_id_links", subject_id)) {
      for (const auto& onboarded : (*link)["onboarded_subscriptions"]) {
        values.push_back(onboarded["subscription"]);
      }
    }
    values.push_back("not-onboarded-subscription");
    return values;
  }
  if (param.type == "date") return {"2026-01-31", "2026-11-23", "2028-02-29"};
  return {"x"};
}

// One user per distinct set of roles and home tenant: rules judge the actor by those.
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

// Every concrete request of an `actions` line: each combination of the candidates of its open
// parameters (an optional one also left out) and of actors, when the line has none.
std::vector<ActionRequest> ConcreteRequests(const nlohmann::json& state,
                                            const ActionCatalog& catalog,
                                            const Evaluator::ActionLine& line) {
  const ActionSpec* spec = catalog.Find(line.request.action);
  std::vector<std::pair<std::string, std::vector<std::string>>> dimensions;
  for (const ActionParam& param : spec->params) {
    if (param.subject) continue;
    std::vector<std::string> values = Candidates(state, *spec, param, line.entity_id);
    if (param.optional) values.push_back("");  // left out: the action is done without it
    dimensions.emplace_back(param.name, std::move(values));
  }
  if (line.request.actor.empty()) dimensions.emplace_back("--as", ActorProfiles(state));
  std::vector<ActionRequest> requests;
  for (const auto& dimension : dimensions) {
    if (dimension.second.empty()) return requests;
  }
  std::vector<size_t> index(dimensions.size(), 0);
  while (true) {
    ActionRequest request = line.request;
    for (size_t d = 0; d < dimensions.size(); ++d) {
      const std::string& value = dimensions[d].second[index[d]];
      if (dimensions[d].first == "--as") {
        request.actor = value;
      } else if (!value.empty()) {
        request.arguments.emplace_back(dimensions[d].first, value);
      }
    }
    requests.push_back(std::move(request));
    size_t d = 0;
    while (d < dimensions.size() && ++index[d] == dimensions[d].second.size()) {
      index[d] = 0;
      ++d;
    }
    if (d == dimensions.size()) break;
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// The property.

struct Counterexample {
  std::string state_file;  // the state, written out
  bench::GeneratorOptions options;
  ActionRequest request;
  std::vector<Finding> findings;  // the new error findings
};

struct Outcome {
  size_t states = 0;
  size_t allowed_requests = 0;  // concrete requests decided ALLOWED
  size_t states_checked = 0;    // states after an action checked (one per distinct effect)
  std::map<std::string, size_t> checked_by_action;
  std::vector<Counterexample> counterexamples;
};

// "partnerpolicy plan --state FILE 'ACTION ...'" and what the state after it breaks.
std::string Print(const Counterexample& c) {
  std::string out = "counterexample: partnerpolicy plan --state " + c.state_file + " '" +
                    DescribeRequest(c.request) + "'\n";
  out += "  the state: generate_states " + OptionsText(c.options) + " --out " + c.state_file +
         " (written there)\n";
  for (const Finding& f : c.findings) {
    out += "  allowed, but then: " + f.rule_id + " on " + f.entity_id + " (" + f.pointer +
           "): " + f.message + "\n";
  }
  return out;
}

// Distinct effects of one action on one state, in the order found: each change once (actors and
// values that change nothing else give the same patch), with a request that makes it.
struct Distinct {
  std::set<std::string> patches;
  std::vector<ActionRequest> requests;
};

// Which of `found` distinct effects to check: all when `per_action` is 0 or not fewer, else
// `per_action` of them spread evenly over the list, from an offset that moves with the seed, so
// that over many states every kind of change gets its turn.
std::vector<size_t> Chosen(size_t found, size_t per_action, uint64_t seed) {
  std::vector<size_t> chosen;
  if (per_action == 0 || found <= per_action) {
    for (size_t i = 0; i < found; ++i) chosen.push_back(i);
    return chosen;
  }
  const size_t offset = seed % found;
  for (size_t k = 0; k < per_action; ++k)
    chosen.push_back((offset + k * found / per_action) % found);
  return chosen;
}

// Checks the property on `count` generated states against `policies`, asking at most
// `per_line` concrete requests of each `actions` line and checking at most `per_action` distinct
// effects of each action on each state (0: all); counterexamples' states are written under
// `out_dir`.
Outcome CheckSoundness(const PolicySet& policies, size_t count, size_t per_line, size_t per_action,
                       const fs::path& out_dir) {
  StateLoader loader = testing::Loader();
  Outcome outcome;
  std::set<std::string> printed;  // one state file per seed
  for (uint64_t seed = 1; seed <= count; ++seed) {
    bench::GeneratorOptions options = StateOptions(seed);
    const std::string text = bench::GeneratePartnerState(options);
    const std::string name = "generated seed " + std::to_string(seed);
    PartnerState state = Must(loader.LoadText(text, name));
    const nlohmann::json json = nlohmann::json::parse(text);
    const Date as_of = *state.as_of;
    Evaluator evaluator(policies);
    std::vector<Finding> before = Must(evaluator.Check(state, as_of));
    ++outcome.states;
    std::map<std::string, Distinct> effects;  // by action
    for (const Evaluator::ActionLine& line : Must(evaluator.ListActions(state, "", "", as_of))) {
      if (!line.decision.allowed) continue;  // denied for every value: nothing to apply
      std::vector<ActionRequest> requests = ConcreteRequests(json, policies.actions(), line);
      for (size_t r : Chosen(requests.size(), per_line, seed)) {
        const ActionRequest& request = requests[r];
        Result<Decision> decision = evaluator.Decide(state, request, as_of);
        if (!decision.ok()) {
          ADD_FAILURE() << name << ": " << DescribeRequest(request) << ": "
                        << Describe(decision.errors());
          continue;
        }
        if (!decision.value().allowed || decision.value().conditional()) continue;
        ++outcome.allowed_requests;
        Result<std::vector<JsonPatchOperation>> effect = evaluator.Effect(state, request, as_of);
        if (!effect.ok()) {
          ADD_FAILURE() << name << ": " << DescribeRequest(request) << ": "
                        << Describe(effect.errors());
          continue;
        }
        std::string patch;
        for (const JsonPatchOperation& op : effect.value()) {
          patch += op.op + " " + op.path + " " + op.value + "\n";
        }
        Distinct& distinct = effects[request.action];
        if (distinct.patches.insert(patch).second) distinct.requests.push_back(request);
      }
    }
    for (const auto& [action, distinct] : effects) {
      for (size_t i : Chosen(distinct.requests.size(), per_action, seed)) {
        const ActionRequest& request = distinct.requests[i];
        ++outcome.states_checked;
        ++outcome.checked_by_action[action];
        Result<AppliedAction> after =
            ApplyAction(evaluator, loader, state, request, as_of, name + " after the action");
        if (!after.ok()) {
          ADD_FAILURE() << name << ": " << DescribeRequest(request) << ": "
                        << Describe(after.errors());
          continue;
        }
        std::vector<Finding> added = NewFindings(
            before, Must(evaluator.Check(after.value().state, as_of)), Severity::kError);
        if (added.empty()) continue;
        fs::path file = out_dir / ("seed-" + std::to_string(seed) + ".json");
        if (printed.insert(file.string()).second) std::ofstream(file) << text;
        outcome.counterexamples.push_back({file.string(), options, request, std::move(added)});
      }
    }
  }
  return outcome;
}

// Prints every counterexample, the first few of each (action, rule) in full.
std::string Report(const Outcome& outcome) {
  std::map<std::string, int> seen;
  std::string out;
  for (const Counterexample& c : outcome.counterexamples) {
    std::string kind = c.request.action + " breaks " + c.findings[0].rule_id;
    if (++seen[kind] <= 3) out += Print(c);
  }
  out += "counterexamples by action and rule broken:\n";
  for (const auto& [kind, n] : seen) out += "  " + kind + ": " + std::to_string(n) + "\n";
  return out;
}

TEST(SoundnessTest, NoAllowedActionLeavesAStateThatBreaksARule) {
  const size_t count = StateCount();
  fs::path out_dir = fs::temp_directory_path() / "partnerpolicy-soundness";
  fs::create_directories(out_dir);
  PolicySet policies = testing::BundledPolicies();
  auto start = std::chrono::steady_clock::now();
  Outcome outcome = CheckSoundness(policies, count, RequestsPerLine(), EffectsPerAction(), out_dir);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "soundness: %zu states, %zu allowed requests (at most %zu asked per line and state), %zu "
      "distinct effects applied and checked (at most %zu per action and state; 0: all), %zu "
      "counterexamples, %.1f s\n",
      outcome.states, outcome.allowed_requests, RequestsPerLine(), outcome.states_checked,
      EffectsPerAction(), outcome.counterexamples.size(), seconds);
  for (const auto& [action, n] : outcome.checked_by_action) {
    std::printf("  %s: %zu effects checked\n", action.c_str(), n);
  }
  EXPECT_EQ(outcome.states, count);
  EXPECT_GT(outcome.allowed_requests, count);  // the property is not vacuous
  EXPECT_TRUE(outcome.counterexamples.empty()) << Report(outcome);
}

TEST(SoundnessTest, ABrokenRuleGivesCounterexamples) {
  // The bundled policies with credits.monthly.reassignment-cap replaced by a copy whose decide
  // allows every reassignment while its check still flags more than five.
  testing::ScratchDir scratch("partnerpolicy-soundness-broken");
  fs::copy(testing::PolicyDir(), scratch.path() / "policies", fs::copy_options::recursive);
  fs::copy(testing::SourceDir() / "tests" / "policies" / "broken", scratch.path() / "policies",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  PolicySet broken = Must(PolicySet::Load(scratch.path() / "policies"));
  Outcome outcome =
      CheckSoundness(broken, std::min<size_t>(StateCount(), 60), 0, 0, scratch.path());
  std::vector<const Counterexample*> cap;
  for (const Counterexample& c : outcome.counterexamples) {
    for (const Finding& f : c.findings) {
      if (f.rule_id == "credits.monthly.reassignment-cap" &&
          c.request.action == "credit.reassign") {
        cap.push_back(&c);
      }
    }
  }
  ASSERT_FALSE(cap.empty()) << "the weakened rule went unnoticed";
  const Counterexample& c = *cap[0];
  std::string printed = Print(c);
  std::printf("%s", printed.c_str());
  EXPECT_NE(printed.find("counterexample: partnerpolicy plan --state " + c.state_file +
                         " 'credit.reassign credit="),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("allowed, but then: credits.monthly.reassignment-cap on "),
            std::string::npos)
      << printed;
  // The written state is the generated one, and the request is allowed on it.
  PartnerState state = Must(testing::Loader().Load(c.state_file));
  Decision decision = Must(Evaluator(broken).Decide(state, c.request, *state.as_of));
  EXPECT_TRUE(decision.allowed);
}

}  // namespace
}  // namespace partnerpolicy
