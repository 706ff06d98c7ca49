// The five core rules against the documents' own examples: extension scenarios 1-4 and K = 3A,
// the five-reassignment cap, bulk credits, the named free domains, and the two checkout roles.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace partnerpolicy {
namespace {

using nlohmann::json;

const Date kAsOf = *ParseDate("2026-11-23");

// A small valid partner: tenant T1, purchase billing account BA1 (T1 associated), package P1.
json BaseState() {
  return json::parse(R"({
    "partner": {"id": "7000001", "name": "Northwind", "country": "DE",
      "program_status": "active", "vetting_status": "authorized",
      "membership": {"offer": "Action Pack", "purchased_on": "2026-01-10",
                     "start": "2026-01-15", "end": "2027-01-14"}},
    "billing_accounts": [{"id": "BA1", "name": "Northwind MCA", "purchase_account": true,
      "associated_tenants": [{"tenant": "T1", "billing_management": true, "provisioning": true}]},
      {"id": "BA2", "name": "Other MCA", "purchase_account": false, "associated_tenants": []}],
    "tenants": [{"id": "T1", "domain": "northwind.onmicrosoft.com"}],
    "users": [], "benefit_packages": [{"id": "P1", "name": "Pkg", "membership_offer": "Action Pack",
      "purchased_on": "2026-01-10"}],
    "credits": [], "cloud_benefits": [], "subscriptions": [], "azure_subscriptions": [],
    "partner_id_links": []})");
}

json User(const std::string& id, const std::string& email, json roles = json::array(),
          json billing = json::array()) {
  return json{{"id", id},
              {"email", email},
              {"tenant", "T1"},
              {"partner_center_roles", roles},
              {"billing_roles", billing}};
}

// Consecutive days of February 2026 for assignment events (n = 1..28).
std::string fmt_day(int n) {
  return std::string("2026-02-") + static_cast<char>('0' + n / 10) +
         static_cast<char>('0' + n % 10);
}

// A credit assigned to users[0], then to each next user in turn.
json Credit(const std::string& id, const std::string& kind, const std::vector<std::string>& users) {
  json events = json::array();
  int day = 1;
  for (const std::string& u : users) {
    events.push_back({{"event", "assigned"}, {"user", u}, {"on", fmt_day(day++)}});
  }
  json credit = {{"id", id},
                 {"kind", kind},
                 {"package", "P1"},
                 {"amount", 100},
                 {"status", "active"},
                 {"awarded_on", "2026-01-15"},
                 {"activated_on", "2026-01-20"},
                 {"assignments", events}};
  if (kind == "bulk") {
    credit["start"] = "2026-01-15";
    credit["end"] = "2027-01-14";
  }
  return credit;
}

PartnerState Load(const json& state) {
  return testing::Must(testing::Loader().LoadText(state.dump(2), "test.json"));
}

Decision Decide(const PolicySet& policies, const json& state, const std::string& action,
                std::vector<std::pair<std::string, std::string>> arguments,
                const std::string& actor = "") {
  Evaluator evaluator(policies);
  return testing::Must(
      evaluator.Decide(Load(state), ActionRequest{action, actor, std::move(arguments)}, kAsOf));
}

const RuleDecision* Said(const Decision& d, const std::string& rule) {
  for (const RuleDecision& r : d.rules) {
    if (r.rule_id == rule) return &r;
  }
  return nullptr;
}

std::string FactOf(const RuleDecision* r, const std::string& name) {
  if (r == nullptr) return "(rule had no say)";
  for (const Fact& f : r->facts) {
    if (f.name == name) return f.value;
  }
  return "(no fact " + name + ")";
}

std::vector<Finding> Check(const PolicySet& policies, const json& state, const std::string& rule) {
  Evaluator evaluator(policies);
  std::vector<Finding> all = testing::Must(evaluator.Check(Load(state), kAsOf));
  std::vector<Finding> of_rule;
  for (const Finding& f : all) {
    if (f.rule_id == rule) of_rule.push_back(f);
  }
  return of_rule;
}

const PolicySet& Policies() {
  static PolicySet set = testing::BundledPolicies();
  return set;
}

// --- subscriptions.extension-limit (seed 002, "Licensing scenarios") ---

json WithSubscription(int active, const std::string& end = "2027-01-31") {
  json state = BaseState();
  state["subscriptions"].push_back({{"id", "S1"},
                                    {"product", "Microsoft 365 E3"},
                                    {"tenant", "T1"},
                                    {"model", "product_key"},
                                    {"status", "active"},
                                    {"active_licenses", active},
                                    {"assigned_licenses", 0},
                                    {"end", end}});
  return state;
}

struct ExtensionCase {
  int active;
  int key;
  bool allowed;
  const char* months;
  const char* new_end;
};

TEST(CoreRuleExtensionLimit, DocumentScenarios) {
  const ExtensionCase cases[] = {
      {100, 25, true, "3", "2027-04-30"},    // scenario 1: +3 months
      {100, 100, true, "12", "2028-01-31"},  // scenario 2: +12 months
      {5, 10, true, "24", "2029-01-31"},     // scenario 3: +24 months
      {100, 300, true, "36", "2030-01-31"},  // K = 3A: exactly three years, allowed
      {100, 301, false, "", ""},             // scenario 4: K > 3A refused
      {5, 16, false, "", ""},
  };
  for (const ExtensionCase& c : cases) {
    Decision d = Decide(Policies(), WithSubscription(c.active), "subscription.extend",
                        {{"subscription", "S1"}, {"key-licenses", std::to_string(c.key)}});
    SCOPED_TRACE("A=" + std::to_string(c.active) + " K=" + std::to_string(c.key));
    EXPECT_EQ(d.allowed, c.allowed);
    const RuleDecision* r = Said(d, "subscriptions.extension-limit");
    ASSERT_NE(r, nullptr);
    if (c.allowed) {
      EXPECT_EQ(FactOf(r, "months_added"), c.months);
      EXPECT_EQ(FactOf(r, "new_end_date"), c.new_end);
    } else {
      EXPECT_EQ(r->verdict, Verdict::kDeny);
      EXPECT_NE(r->remedy.find(std::to_string(3 * c.active)), std::string::npos) << r->remedy;
    }
  }
}

TEST(CoreRuleExtensionLimit, RecordedOversizedExtensionIsAFinding) {
  json state = WithSubscription(10);
  state["subscriptions"][0]["key_redemptions"] = json::array({{{"key", "K1"},
                                                               {"licenses", 30},
                                                               {"use", "extend"},
                                                               {"active_licenses_before", 10},
                                                               {"on", "2025-02-01"}}});
  EXPECT_TRUE(Check(Policies(), state, "subscriptions.extension-limit").empty());
  state["subscriptions"][0]["key_redemptions"][0]["licenses"] = 31;
  std::vector<Finding> found = Check(Policies(), state, "subscriptions.extension-limit");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S1");
  EXPECT_EQ(found[0].pointer, "/subscriptions/0");
  EXPECT_GT(found[0].line, 0);
}

// --- credits.monthly.reassignment-cap (seed 001, "View and remove assigned users") ---

json WithCreditHistory(const std::string& kind, int reassignments) {
  json state = BaseState();
  // "a" is a partner admin: credits are assigned by one (credits.assign-requires-partner-admin),
  // so requests without --as are allowed on that condition.
  state["users"].push_back(User("a", "a@northwind.de", json::array({"partner_admin"})));
  for (const char* u : {"b", "c"}) {
    state["users"].push_back(User(u, std::string(u) + "@northwind.de"));
  }
  state["users"].push_back(User("d", "d@northwind.de"));
  std::vector<std::string> users{"a"};
  for (int i = 0; i < reassignments; ++i) users.push_back(i % 2 == 0 ? "b" : "c");
  state["credits"].push_back(Credit("C1", kind, users));
  return state;
}

TEST(CoreRuleReassignmentCap, FifthReassignmentAllowedSixthDenied) {
  Decision fifth = Decide(Policies(), WithCreditHistory("monthly", 4), "credit.reassign",
                          {{"credit", "C1"}, {"user", "d"}});
  EXPECT_TRUE(fifth.allowed);
  EXPECT_EQ(FactOf(Said(fifth, "credits.monthly.reassignment-cap"), "reassignments_left"), "0");

  Decision sixth = Decide(Policies(), WithCreditHistory("monthly", 5), "credit.reassign",
                          {{"credit", "C1"}, {"user", "d"}});
  EXPECT_FALSE(sixth.allowed);
  const RuleDecision* r = Said(sixth, "credits.monthly.reassignment-cap");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::kDeny);
  EXPECT_FALSE(r->remedy.empty());
}

TEST(CoreRuleReassignmentCap, StateCheckFlagsOnlyMoreThanFive) {
  EXPECT_TRUE(Check(Policies(), WithCreditHistory("monthly", 5), "credits.monthly.reassignment-cap")
                  .empty());
  std::vector<Finding> found =
      Check(Policies(), WithCreditHistory("monthly", 6), "credits.monthly.reassignment-cap");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "C1");
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_NE(found[0].message.find("6"), std::string::npos) << found[0].message;
}

TEST(CoreRuleReassignmentCap, SameUserAgainIsNotAReassignment) {
  json state = WithCreditHistory("monthly", 0);
  state["credits"][0] = Credit("C1", "monthly", {"a", "a", "b", "b", "c", "c", "a", "b"});
  // a -> b -> c -> a -> b: 4 changes, one left.
  Decision d = Decide(Policies(), state, "credit.reassign", {{"credit", "C1"}, {"user", "d"}});
  EXPECT_EQ(FactOf(Said(d, "credits.monthly.reassignment-cap"), "reassignments_left"), "0");
  EXPECT_TRUE(d.allowed);
}

// Editing policies.toml changes the decision on the next load, with no rebuild.
TEST(CoreRuleSettings, EditingTheCapInPoliciesTomlChangesTheDecision) {
  testing::TempPolicies temp(
      "[rules.\"credits.monthly.reassignment-cap\"]\nmax_reassignments = 3\n");
  PolicySet edited = testing::Must(temp.Load());
  json state = WithCreditHistory("monthly", 3);
  EXPECT_TRUE(
      Decide(Policies(), state, "credit.reassign", {{"credit", "C1"}, {"user", "d"}}).allowed);
  EXPECT_FALSE(Decide(edited, state, "credit.reassign", {{"credit", "C1"}, {"user", "d"}}).allowed);
  EXPECT_EQ(edited.Find("credits.monthly.reassignment-cap")->FindParam("max_reassignments")->origin,
            temp.toml().string() + ":2");

  temp.Write(
      "[rules.\"credits.monthly.reassignment-cap\"]\nmax_reassignment = 3\n"
      "[rules.\"no.such-rule\"]\nseverity = \"warning\"\n");
  Result<PolicySet> bad = temp.Load();
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.errors().size(), 2u) << testing::Describe(bad.errors());
  EXPECT_EQ(bad.errors()[0].ToString(),
            temp.toml().string() +
                ":2:20: rule 'credits.monthly.reassignment-cap' has no parameter "
                "'max_reassignment'; parameters: alert_when_left, max_reassignments");
  EXPECT_EQ(bad.errors()[1].where.line, 3);
  EXPECT_NE(bad.errors()[1].message.find("unknown rule id 'no.such-rule'"), std::string::npos);
}

// --- credits.bulk.no-reassignment ---

TEST(CoreRuleBulkNoReassignment, ReassigningABulkCreditIsDenied) {
  Decision d = Decide(Policies(), WithCreditHistory("bulk", 0), "credit.reassign",
                      {{"credit", "C1"}, {"user", "d"}});
  EXPECT_FALSE(d.allowed);
  const RuleDecision* r = Said(d, "credits.bulk.no-reassignment");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->verdict, Verdict::kDeny);
  EXPECT_NE(r->remedy.find("2027-01-14"), std::string::npos) << r->remedy;  // the credit's end
  EXPECT_NE(r->remedy.find("renew"), std::string::npos) << r->remedy;
}

TEST(CoreRuleBulkNoReassignment, SilentOnMonthlyCredits) {
  Decision d = Decide(Policies(), WithCreditHistory("monthly", 1), "credit.reassign",
                      {{"credit", "C1"}, {"user", "d"}});
  EXPECT_EQ(Said(d, "credits.bulk.no-reassignment"), nullptr);
  EXPECT_NE(std::find(d.silent.begin(), d.silent.end(), "credits.bulk.no-reassignment"),
            d.silent.end());
}

TEST(CoreRuleBulkNoReassignment, StateCheckFlagsAChangedUser) {
  EXPECT_TRUE(
      Check(Policies(), WithCreditHistory("bulk", 0), "credits.bulk.no-reassignment").empty());
  std::vector<Finding> found =
      Check(Policies(), WithCreditHistory("bulk", 1), "credits.bulk.no-reassignment");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "C1");
}

// --- credits.free-domain-ban (seed 001, FAQ "Are there restrictions on domains?") ---

TEST(CoreRuleFreeDomainBan, NamedFreeDomainsDeniedLookAlikesAllowed) {
  json state = WithCreditHistory("monthly", 0);
  struct Case {
    const char* email;
    bool banned;
  };
  for (const Case& c :
       {Case{"Bob@GMAIL.com", true}, Case{"x@hotmail.com", true}, Case{"y@live.com", true},
        Case{"o@Outlook.com", true}, Case{"u@hotmail.co.uk", true}, Case{"p@proton.me", true},
        Case{"z@gmail.com.contoso.net", false}, Case{"w@notgmail.com", false},
        Case{"c@gmail-consulting.com", false}}) {
    SCOPED_TRACE(c.email);
    for (const char* action : {"credit.assign", "credit.reassign"}) {
      Decision d = Decide(Policies(), state, action, {{"credit", "C1"}, {"user", c.email}});
      const RuleDecision* r = Said(d, "credits.free-domain-ban");
      ASSERT_NE(r, nullptr);
      EXPECT_EQ(r->verdict, c.banned ? Verdict::kDeny : Verdict::kAllow) << r->message;
    }
  }
  // An existing user with a free-mail address is denied too.
  state["users"].push_back(User("g", "g@Live.com"));
  Decision d = Decide(Policies(), state, "credit.reassign", {{"credit", "C1"}, {"user", "g"}});
  EXPECT_FALSE(d.allowed);
}

TEST(CoreRuleFreeDomainBan, StateCheckFlagsCreditsHeldByFreeMailUsers) {
  json state = WithCreditHistory("monthly", 0);
  state["users"].push_back(User("g", "gina@gmail.com"));
  state["credits"].push_back(Credit("C2", "monthly", {"g"}));
  std::vector<Finding> found = Check(Policies(), state, "credits.free-domain-ban");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "C2");
}

TEST(CoreRuleFreeDomainBan, ConfiguredDomainsAddToTheNamedThree) {
  testing::TempPolicies temp(
      "[rules.\"credits.free-domain-ban\"]\nfree_domains = [\"fabrikammail.com\"]\n");
  PolicySet edited = testing::Must(temp.Load());
  json state = WithCreditHistory("monthly", 0);
  EXPECT_FALSE(
      Decide(edited, state, "credit.reassign", {{"credit", "C1"}, {"user", "f@fabrikammail.com"}})
          .allowed);
  EXPECT_FALSE(Decide(edited, state, "credit.reassign", {{"credit", "C1"}, {"user", "b@gmail.com"}})
                   .allowed);
  // The npm list stays banned when free_domains replaces the bundled extras.
  EXPECT_FALSE(
      Decide(edited, state, "credit.reassign", {{"credit", "C1"}, {"user", "o@outlook.com"}})
          .allowed);
  EXPECT_TRUE(Decide(Policies(), state, "credit.reassign",
                     {{"credit", "C1"}, {"user", "f@fabrikammail.com"}})
                  .allowed);
}

// --- cloud.checkout-billing-roles (seed 002, "Who can complete a $0 cloud benefit purchase") ---

json WithBenefitAndUser(bool partner_admin, const char* billing_role, const char* account = "BA1") {
  json state = BaseState();
  json billing = json::array();
  if (billing_role != nullptr)
    billing.push_back({{"billing_account", account}, {"role", billing_role}});
  state["users"].push_back(User("u", "u@northwind.de",
                                partner_admin ? json::array({"partner_admin"}) : json::array(),
                                billing));
  state["cloud_benefits"].push_back({{"id", "B1"},
                                     {"product", "Microsoft 365 E3"},
                                     {"package", "P1"},
                                     {"licenses", 25},
                                     {"redemption", "keyless"},
                                     {"billing_account", "BA1"},
                                     {"status", "available"}});
  return state;
}

TEST(CoreRuleCheckoutRoles, BothRolesAreNeeded) {
  struct Case {
    bool admin;
    const char* role;
    bool allowed;
    std::vector<const char*> missing;
  };
  const Case cases[] = {
      {true, "billing_account_owner", true, {}},
      {true, "billing_account_contributor", true, {}},
      {true, nullptr, false, {"billing role"}},
      {false, "billing_account_owner", false, {"partner admin"}},
      {false, nullptr, false, {"billing role", "partner admin"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.admin ? "admin" : "no admin") + " / " +
                 (c.role ? c.role : "no role"));
    Decision d = Decide(Policies(), WithBenefitAndUser(c.admin, c.role), "benefit.redeem",
                        {{"benefit", "B1"}}, "u");
    EXPECT_EQ(d.allowed, c.allowed);
    const RuleDecision* r = Said(d, "cloud.checkout-billing-roles");
    ASSERT_NE(r, nullptr);
    std::string text = r->message + " " + r->remedy;
    for (const char* part : c.missing) {
      EXPECT_NE(text.find(part), std::string::npos) << text;
    }
  }
}

TEST(CoreRuleCheckoutRoles, BillingRoleOnAnotherAccountDoesNotCount) {
  Decision d = Decide(Policies(), WithBenefitAndUser(true, "billing_account_owner", "BA2"),
                      "benefit.redeem", {{"benefit", "B1"}}, "u");
  EXPECT_FALSE(d.allowed);
}

TEST(CoreRuleCheckoutRoles, ExamplePartnerAdminsAndStateCheck) {
  const json example = json::parse(std::ifstream(testing::ExamplePath()));
  EXPECT_TRUE(
      Decide(Policies(), example, "benefit.redeem", {{"benefit", "B-COP"}}, "alice").allowed);
  EXPECT_TRUE(
      Decide(Policies(), example, "benefit.redeem", {{"benefit", "B-COP"}}, "emma").allowed);
  EXPECT_FALSE(
      Decide(Policies(), example, "benefit.redeem", {{"benefit", "B-COP"}}, "carol").allowed);
  EXPECT_FALSE(
      Decide(Policies(), example, "benefit.redeem", {{"benefit", "B-COP"}}, "dave").allowed);
  std::vector<Finding> found = Check(Policies(), example, "cloud.checkout-billing-roles");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "B-D365");
}

TEST(CoreRuleDeterminism, SameStateSameFindings) {
  const json example = json::parse(std::ifstream(testing::ExamplePath()));
  Evaluator evaluator(Policies());
  PartnerState state = Load(example);
  std::vector<Finding> first = testing::Must(evaluator.Check(state, kAsOf));
  std::vector<Finding> second = testing::Must(evaluator.Check(state, kAsOf));
  // The example has 22 findings on 2026-11-23 (it carries a failing case of each catalog rule).
  ASSERT_EQ(first.size(), 22u);
  ASSERT_EQ(second.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].rule_id, second[i].rule_id);
    EXPECT_EQ(first[i].message, second[i].message);
    EXPECT_EQ(first[i].line, second[i].line);
  }
}

}  // namespace
}  // namespace partnerpolicy
