// Helpers shared by the rule tests: a partner state built in memory (StateBuilder), the bundled
// policy set, and short ways to ask for a decision, an alert list or a rule's findings.
//
// States start from fixtures/valid/minimal.json, are written one entity per line so a finding's
// position can be asserted exactly, and are loaded through the real loader (schema included).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace partnerpolicy::testing {

namespace fs = std::filesystem;
using nlohmann::json;
using Arguments = std::vector<std::pair<std::string, std::string>>;

// The evaluation date of the rule tests unless a test passes its own.
inline const Date kAsOf = *ParseDate("2026-11-23");

inline ::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in \"" << text << "\"";
}

inline ::testing::AssertionResult Lacks(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" should not be in \"" << text << "\"";
}

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Line and column (1-based) of the '{' that opens the object holding `"id": "<id>"` in a
// pretty-printed fixture (the object's own "id" member precedes any nested object).
inline std::pair<int, int> ObjectStart(const std::string& text, const std::string& id) {
  size_t at = text.find("\"id\": \"" + id + "\"");
  if (at == std::string::npos) return {0, 0};
  size_t brace = text.rfind('{', at);
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + brace, '\n'));
  size_t line_start = text.rfind('\n', brace);
  int column = static_cast<int>(brace - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

// A partner state built in memory, starting from fixtures/valid/minimal.json plus tenant T1,
// the purchase billing account BA-1 (T1 associated), a second billing account BA-2, package P1
// and the partner admin alice (Billing account owner on BA-1). Text() writes one entity per line
// and remembers where each starts, so findings' positions can be checked exactly.
class StateBuilder {
 public:
  StateBuilder() {
    json minimal = json::parse(ReadFile(SourceDir() / "fixtures" / "valid" / "minimal.json"));
    partner_ = minimal.at("partner");
    for (const char* name :
         {"billing_accounts", "tenants", "users", "benefit_packages", "credits", "cloud_benefits",
          "subscriptions", "azure_subscriptions", "partner_id_links"}) {
      collections_.emplace_back(name, std::vector<json>{});
    }
    json tenant;
    tenant["id"] = "T1";
    tenant["domain"] = "northwind.onmicrosoft.com";
    Add("tenants", tenant);
    Add("billing_accounts", BillingAccount("BA-1", "Northwind MCA", true));
    Add("billing_accounts", BillingAccount("BA-2", "Northwind Consulting", false));
    json package;
    package["id"] = "P1";
    package["name"] = "Solutions Partner for Azure";
    package["membership_offer"] = "Solutions Partner for Azure";
    package["purchased_on"] = "2026-01-10";
    package["activated_on"] = "2026-01-15";
    Add("benefit_packages", package);
    AddUser("alice", "alice@northwind.de", {"partner_admin"}, {{"BA-1", "billing_account_owner"}});
  }

  StateBuilder& Add(const std::string& collection, json entity) {
    for (auto& [name, entities] : collections_) {
      if (name == collection) {
        entities.push_back(std::move(entity));
        return *this;
      }
    }
    ADD_FAILURE() << "no collection " << collection;
    return *this;
  }

  StateBuilder& AddUser(
      const std::string& id, const std::string& email,
      const std::vector<std::string>& partner_center_roles = {},
      const std::vector<std::pair<std::string, std::string>>& billing_roles = {}) {
    json user;
    user["id"] = id;
    user["email"] = email;
    user["tenant"] = "T1";
    user["partner_center_roles"] = json::array();
    for (const std::string& role : partner_center_roles) {
      user["partner_center_roles"].push_back(role);
    }
    user["billing_roles"] = json::array();
    for (const auto& [account, role] : billing_roles) {
      json held;
      held["billing_account"] = account;
      held["role"] = role;
      user["billing_roles"].push_back(held);
    }
    user["usage_location"] = "DE";
    return Add("users", user);
  }

  // A credit given to holders[0], then to each next holder in turn (one "assigned" event each,
  // a week apart from 2026-02-02). Bulk credits run 2026-01-15 .. 2027-01-10.
  StateBuilder& AddCredit(const std::string& id, const std::string& kind,
                          const std::vector<std::string>& holders) {
    json credit;
    credit["id"] = id;
    credit["kind"] = kind;
    credit["package"] = "P1";
    credit["amount"] = kind == "bulk" ? 6000 : 100;
    credit["status"] = holders.empty() ? "not_redeemed" : "active";
    credit["awarded_on"] = "2026-01-15";
    if (!holders.empty()) credit["activated_on"] = "2026-01-20";
    if (kind == "bulk") {
      credit["start"] = "2026-01-15";
      credit["end"] = "2027-01-10";
    }
    credit["assignments"] = json::array();
    const Date first = *ParseDate("2026-02-02");
    for (size_t i = 0; i < holders.size(); ++i) {
      json event;
      event["event"] = "assigned";
      event["user"] = holders[i];
      event["on"] = FormatDate(Date{first.days + 7 * static_cast<int64_t>(i)});
      credit["assignments"].push_back(event);
    }
    return Add("credits", credit);
  }

  // A product-key subscription with `active` licenses ending on `end`.
  StateBuilder& AddSubscription(const std::string& id, int64_t active, const std::string& end,
                                const std::string& model = "product_key",
                                const std::string& status = "active") {
    json sub;
    sub["id"] = id;
    sub["product"] = "Microsoft 365 Business Standard";
    sub["tenant"] = "T1";
    sub["model"] = model;
    sub["status"] = status;
    sub["active_licenses"] = active;
    sub["assigned_licenses"] = 0;
    sub["end"] = end;
    return Add("subscriptions", sub);
  }

  // A cloud benefit bound to `billing_account` (none when empty) that has not been redeemed.
  StateBuilder& AddBenefit(const std::string& id, const std::string& redemption,
                           const std::string& billing_account = "BA-1") {
    json benefit;
    benefit["id"] = id;
    benefit["product"] = "Microsoft 365 E3";
    benefit["package"] = "P1";
    benefit["licenses"] = 25;
    benefit["redemption"] = redemption;
    if (!billing_account.empty()) benefit["billing_account"] = billing_account;
    benefit["activate_by"] = "2027-01-14";
    benefit["status"] = "available";
    return Add("cloud_benefits", benefit);
  }

  json& Partner() { return partner_; }

  json& Last(const std::string& collection) {
    for (auto& [name, entities] : collections_) {
      if (name == collection) return entities.back();
    }
    ADD_FAILURE() << "no collection " << collection;
    std::abort();
  }

  std::string Text() {
    std::string text = "{\n";
    int line = 1;
    text += "  \"partner\": " + partner_.dump() + ",\n";
    ++line;
    for (size_t c = 0; c < collections_.size(); ++c) {
      const auto& [name, entities] = collections_[c];
      const char* comma = c + 1 < collections_.size() ? "," : "";
      if (entities.empty()) {
        text += "  \"" + name + "\": []" + comma + "\n";
        ++line;
        continue;
      }
      text += "  \"" + name + "\": [\n";
      ++line;
      for (size_t i = 0; i < entities.size(); ++i) {
        ++line;
        lines_["/" + name + "/" + std::to_string(i)] = line;
        text += "    " + entities[i].dump() + (i + 1 < entities.size() ? ",\n" : "\n");
      }
      text += std::string("  ]") + comma + "\n";
      ++line;
    }
    text += "}\n";
    return text;
  }

  // The line on which the entity at `pointer` starts in Text() (its '{' is in column 5).
  int LineOf(const std::string& pointer) {
    Text();
    return lines_.count(pointer) ? lines_[pointer] : -1;
  }

  PartnerState Build() {
    Result<PartnerState> state = Loader().LoadText(Text(), "test.json");
    if (!state.ok()) {
      ADD_FAILURE() << Describe(state.errors()) << Text();
      std::abort();
    }
    return state.take();
  }

 private:
  static json BillingAccount(const std::string& id, const std::string& name, bool purchase) {
    json account;
    account["id"] = id;
    account["name"] = name;
    account["purchase_account"] = purchase;
    account["associated_tenants"] = json::array();
    if (purchase) {
      json association;
      association["tenant"] = "T1";
      association["billing_management"] = true;
      association["provisioning"] = true;
      account["associated_tenants"].push_back(association);
    }
    return account;
  }

  json partner_;
  std::vector<std::pair<std::string, std::vector<json>>> collections_;
  std::map<std::string, int> lines_;
};

inline const PolicySet& Bundled() {
  static const PolicySet* set = new PolicySet(BundledPolicies());
  return *set;
}

inline const PartnerState& Example() {
  static const PartnerState* state = new PartnerState(Must(Loader().Load(ExamplePath())));
  return *state;
}

inline Decision DecideWith(const PolicySet& policies, const PartnerState& state,
                           const std::string& action, const std::string& actor, Arguments arguments,
                           Date as_of = kAsOf) {
  Evaluator evaluator(policies);
  Result<Decision> decision =
      evaluator.Decide(state, ActionRequest{action, actor, std::move(arguments)}, as_of);
  if (!decision.ok()) {
    ADD_FAILURE() << Describe(decision.errors());
    return Decision{};
  }
  return decision.take();
}

inline Decision Decide(const PartnerState& state, const std::string& action,
                       const std::string& actor, Arguments arguments, Date as_of = kAsOf) {
  return DecideWith(Bundled(), state, action, actor, std::move(arguments), as_of);
}

// What `rule` said in `decision`, or nullptr when it had no say.
inline const RuleDecision* Said(const Decision& decision, const std::string& rule) {
  for (const RuleDecision& said : decision.rules) {
    if (said.rule_id == rule) return &said;
  }
  return nullptr;
}

inline bool IsSilent(const Decision& decision, const std::string& rule) {
  return std::find(decision.silent.begin(), decision.silent.end(), rule) != decision.silent.end();
}

inline const Fact* FactOf(const RuleDecision& said, const std::string& name) {
  for (const Fact& fact : said.facts) {
    if (fact.name == name) return &fact;
  }
  return nullptr;
}

inline std::vector<Finding> FindingsOf(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> of_rule;
  for (const Finding& finding : all) {
    if (finding.rule_id == rule) of_rule.push_back(finding);
  }
  return of_rule;
}

inline std::vector<Finding> CheckWith(const PolicySet& policies, const PartnerState& state,
                                      const std::string& rule, Date as_of = kAsOf) {
  Evaluator evaluator(policies);
  Result<std::vector<Finding>> all = evaluator.Check(state, as_of);
  if (!all.ok()) {
    ADD_FAILURE() << Describe(all.errors());
    return {};
  }
  return FindingsOf(all.value(), rule);
}

inline std::vector<Finding> Check(const PartnerState& state, const std::string& rule,
                                  Date as_of = kAsOf) {
  return CheckWith(Bundled(), state, rule, as_of);
}

// The alerts of `rule` (all rules when empty) dated up to `horizon` days after `as_of`.
inline std::vector<Alert> AlertsOf(const PartnerState& state, const std::string& rule,
                                   Date as_of = kAsOf, int64_t horizon = 30) {
  Evaluator evaluator(Bundled());
  Result<std::vector<Alert>> all = evaluator.Alerts(state, as_of, Date{as_of.days + horizon});
  if (!all.ok()) {
    ADD_FAILURE() << Describe(all.errors());
    return {};
  }
  std::vector<Alert> of_rule;
  for (const Alert& alert : all.value()) {
    if (rule.empty() || alert.rule_id == rule) of_rule.push_back(alert);
  }
  return of_rule;
}

}  // namespace partnerpolicy::testing
