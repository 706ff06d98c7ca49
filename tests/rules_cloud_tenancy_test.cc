// The tenancy rules of cloud benefits (seed 002): keyless benefits redeem only on tenants
// associated with their MCA billing account, never leave that billing account, subscriptions move
// only with no licenses assigned, licenses need a usage location, Copilot benefits need their
// prerequisites on the same tenant, and the activate-by date of cloud benefits.
//
// States are built in memory from fixtures/valid/minimal.json (StateBuilder), then edited as JSON
// where the builder has no setter (the purchase billing account's associations).
#include <gtest/gtest.h>

#include <functional>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: the rule-test vocabulary (StateBuilder, Decide, Said, ...)

constexpr char kTenantRule[] = "cloud.tenant-in-billing-account";
constexpr char kTransferRule[] = "cloud.no-billing-account-transfer";
constexpr char kMoveRule[] = "cloud.move-only-unassigned";
constexpr char kLocationRule[] = "cloud.usage-location";
constexpr char kCopilotRule[] = "cloud.copilot-prerequisites";
constexpr char kActivateByRule[] = "cloud.benefit-activate-by";

json Tenant(const std::string& id, const std::string& domain) {
  json tenant;
  tenant["id"] = id;
  tenant["domain"] = domain;
  return tenant;
}

json Association(const std::string& tenant, bool billing_management, bool provisioning) {
  json association;
  association["tenant"] = tenant;
  association["billing_management"] = billing_management;
  association["provisioning"] = provisioning;
  return association;
}

// Tenants T1 (associated with BA-1 fully, from the builder), T2 (associated with BA-1 without
// provisioning) and T3 (associated with nothing), and a keyless benefit B-1 bound to BA-1.
// T2's association is added by Edit() below; the builder cannot reach BA-1.
StateBuilder Tenancy() {
  StateBuilder builder;
  builder.Add("tenants", Tenant("T2", "northwindlab.onmicrosoft.com"));
  builder.Add("tenants", Tenant("T3", "fabrikam.onmicrosoft.com"));
  builder.Partner()["modernized_redemption_since"] = "2025-09-01";
  builder.AddBenefit("B-1", "keyless");
  return builder;
}

// Loads the builder's state after `edit` changes its JSON (for what the builder has no setter).
PartnerState Edited(StateBuilder& builder, const std::function<void(json&)>& edit) {
  json state = json::parse(builder.Text());
  edit(state);
  Result<PartnerState> loaded = Loader().LoadText(state.dump(2), "edited.json");
  if (!loaded.ok()) {
    ADD_FAILURE() << Describe(loaded.errors()) << state.dump(2);
    std::abort();
  }
  return loaded.take();
}

// BA-1 (the purchase account, /billing_accounts/0) gets T2 without provisioning, and T3 is
// associated with `t3_billing_management` billing management when `associate_t3` is true.
PartnerState TenancyState(StateBuilder& builder, bool associate_t3 = false,
                          bool t3_billing_management = false) {
  return Edited(builder, [&](json& state) {
    json& tenants = state["billing_accounts"][0]["associated_tenants"];
    tenants.push_back(Association("T2", true, false));
    if (associate_t3) tenants.push_back(Association("T3", t3_billing_management, true));
  });
}

Decision Redeem(const PartnerState& state, const std::string& benefit,
                const std::string& tenant = "") {
  Arguments arguments{{"benefit", benefit}};
  if (!tenant.empty()) arguments.emplace_back("tenant", tenant);
  return Decide(state, "benefit.redeem", "alice", arguments);
}

// ---------------------------------------------------------------------------------------------
// cloud.tenant-in-billing-account (seed 002, "Can I choose which tenant receives the benefit?")

TEST(TenantInBillingAccountTest, AssociatedTenantIsAllowed) {
  StateBuilder builder = Tenancy();
  Decision said_decision = Redeem(TenancyState(builder), "B-1", "T1");
  const RuleDecision* said = Said(said_decision, kTenantRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message,
            "tenant T1 (northwind.onmicrosoft.com) is associated with billing account BA-1 "
            "(Northwind MCA), to which keyless benefit B-1 is bound");
  ASSERT_NE(FactOf(*said, "billing_account"), nullptr);
  EXPECT_EQ(FactOf(*said, "billing_account")->value, "BA-1");
}

TEST(TenantInBillingAccountTest, UnassociatedTenantIsDeniedWithThePortalSteps) {
  StateBuilder builder = Tenancy();
  Decision decision = Redeem(TenancyState(builder), "B-1", "T3");
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kTenantRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "tenant T3 (fabrikam.onmicrosoft.com) is not associated with billing account BA-1 "
            "(Northwind MCA), so keyless benefit B-1 cannot be redeemed on it");
  EXPECT_EQ(said->remedy,
            "a Billing account owner signs in to the Azure portal, opens Cost Management + Billing "
            "> BA-1 (Northwind MCA) > Access control (IAM) > Associated billing tenants and adds "
            "tenant T3 (fabrikam.onmicrosoft.com), with Billing management (required) and "
            "Provisioning (recommended) enabled; allow time for the permissions to sync");
}

TEST(TenantInBillingAccountTest, AssociationWithoutBillingManagementIsDenied) {
  StateBuilder builder = Tenancy();
  Decision said_decision = Redeem(TenancyState(builder, true, false), "B-1", "T3");
  const RuleDecision* said = Said(said_decision, kTenantRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "tenant T3 (fabrikam.onmicrosoft.com) is associated with billing account BA-1 "
            "(Northwind MCA) without billing management, which redeeming keyless benefit B-1 "
            "requires");
  EXPECT_TRUE(Contains(said->remedy, "Associated billing tenants and edits tenant T3"));
}

TEST(TenantInBillingAccountTest, MissingProvisioningOnlyIsAllowedWithANote) {
  StateBuilder builder = Tenancy();
  Decision said_decision = Redeem(TenancyState(builder), "B-1", "T2");
  const RuleDecision* said = Said(said_decision, kTenantRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(said->message,
                       "tenant T2 (northwindlab.onmicrosoft.com) is associated with billing "
                       "account BA-1 (Northwind MCA) with billing management, but provisioning is "
                       "not enabled (recommended"));
  ASSERT_NE(FactOf(*said, "provisioning"), nullptr);
  EXPECT_EQ(FactOf(*said, "provisioning")->value, "not enabled");
}

TEST(TenantInBillingAccountTest, OpenTenantNamesTheEligibleTenants) {
  StateBuilder builder = Tenancy();
  PartnerState state = TenancyState(builder);
  Decision said_decision = Redeem(state, "B-1");
  const RuleDecision* said = Said(said_decision, kTenantRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the tenant must be associated with billing account BA-1 (Northwind MCA) with billing "
            "management enabled: T1 (northwind.onmicrosoft.com); T2 "
            "(northwindlab.onmicrosoft.com), without provisioning");
  // The condition matches the concrete answers: T1 and T2 allowed, T3 denied.
  EXPECT_EQ(Said(Redeem(state, "B-1", "T1"), kTenantRule)->verdict, Verdict::kAllow);
  EXPECT_EQ(Said(Redeem(state, "B-1", "T2"), kTenantRule)->verdict, Verdict::kAllow);
  EXPECT_EQ(Said(Redeem(state, "B-1", "T3"), kTenantRule)->verdict, Verdict::kDeny);
}

TEST(TenantInBillingAccountTest, OpenTenantAllowedWhenAllAreEligibleDeniedWhenNone) {
  StateBuilder only_t1;
  only_t1.AddBenefit("B-1", "keyless");
  Decision all_decision = Redeem(only_t1.Build(), "B-1");
  const RuleDecision* all = Said(all_decision, kTenantRule);
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->verdict, Verdict::kAllow);

  // Bound to BA-2, which has no associated tenant.
  StateBuilder on_ba2;
  on_ba2.AddBenefit("B-2", "keyless", "BA-2");
  Decision none_decision = Redeem(on_ba2.Build(), "B-2");
  const RuleDecision* none = Said(none_decision, kTenantRule);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->verdict, Verdict::kDeny);
  EXPECT_EQ(none->message,
            "no tenant is associated with billing management enabled with billing account BA-2 "
            "(Northwind Consulting), to which keyless benefit B-2 is bound");
  EXPECT_EQ(Said(Redeem(on_ba2.Build(), "B-2", "T1"), kTenantRule)->verdict, Verdict::kDeny);
}

TEST(TenantInBillingAccountTest, BenefitWithoutBillingAccountUsesThePurchaseAccount) {
  StateBuilder builder = Tenancy();
  builder.AddBenefit("B-NOACC", "keyless", "");
  Decision said_decision = Redeem(TenancyState(builder), "B-NOACC", "T3");
  const RuleDecision* said = Said(said_decision, kTenantRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->message, "not associated with billing account BA-1 (Northwind MCA)"));
}

TEST(TenantInBillingAccountTest, ProductKeyBenefitsAreNotTheRulesConcern) {
  StateBuilder builder = Tenancy();
  builder.AddBenefit("B-KEY", "product_key", "");
  Decision decision = Redeem(TenancyState(builder), "B-KEY", "T3");
  EXPECT_EQ(Said(decision, kTenantRule), nullptr);
  EXPECT_TRUE(IsSilent(decision, kTenantRule));
}

// B-1 redeemed on `tenant`.
PartnerState RedeemedOn(const std::string& tenant, bool associate_t3 = false,
                        bool t3_billing_management = false) {
  StateBuilder builder = Tenancy();
  json& benefit = builder.Last("cloud_benefits");
  benefit["status"] = "redeemed";
  benefit["redeemed_on"] = "2026-03-15";
  benefit["redeemed_by"] = "alice";
  benefit["tenant"] = tenant;
  return TenancyState(builder, associate_t3, t3_billing_management);
}

TEST(TenantInBillingAccountTest, CheckGradesTheAssociation) {
  EXPECT_TRUE(Check(RedeemedOn("T1"), kTenantRule).empty());

  std::vector<Finding> outside = Check(RedeemedOn("T3"), kTenantRule);
  ASSERT_EQ(outside.size(), 1u);
  EXPECT_EQ(outside[0].severity, Severity::kError);
  EXPECT_EQ(outside[0].entity_id, "B-1");
  EXPECT_EQ(outside[0].pointer, "/cloud_benefits/0");
  EXPECT_EQ(outside[0].message,
            "keyless benefit B-1 (Microsoft 365 E3) is redeemed on tenant T3 "
            "(fabrikam.onmicrosoft.com), which is not associated with its billing account BA-1 "
            "(Northwind MCA)");
  EXPECT_TRUE(Contains(outside[0].remedy, "and adds tenant T3 (fabrikam.onmicrosoft.com)"));

  std::vector<Finding> no_management = Check(RedeemedOn("T3", true, false), kTenantRule);
  ASSERT_EQ(no_management.size(), 1u);
  EXPECT_EQ(no_management[0].severity, Severity::kError);
  EXPECT_TRUE(Contains(no_management[0].message, "does not have billing management enabled"));

  std::vector<Finding> no_provisioning = Check(RedeemedOn("T2"), kTenantRule);
  ASSERT_EQ(no_provisioning.size(), 1u);
  EXPECT_EQ(no_provisioning[0].severity, Severity::kWarning);
  EXPECT_EQ(no_provisioning[0].message,
            "keyless benefit B-1 (Microsoft 365 E3) is redeemed on tenant T2 "
            "(northwindlab.onmicrosoft.com), whose association with billing account BA-1 "
            "(Northwind MCA) does not have provisioning enabled (recommended)");
}

TEST(TenantInBillingAccountTest, CheckPositionIsTheBenefit) {
  StateBuilder builder = Tenancy();
  json& benefit = builder.Last("cloud_benefits");
  benefit["status"] = "redeemed";
  benefit["tenant"] = "T3";
  std::vector<Finding> found = Check(builder.Build(), kTenantRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, builder.LineOf("/cloud_benefits/0"));
  EXPECT_EQ(found[0].column, 5);
}

TEST(TenantInBillingAccountTest, ExampleLabTenantLacksProvisioning) {
  Decision lab_decision = Redeem(Example(), "B-COP", "T-LAB");
  const RuleDecision* lab = Said(lab_decision, kTenantRule);
  ASSERT_NE(lab, nullptr);
  EXPECT_EQ(lab->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(lab->message, "but provisioning is not enabled"));
  // B-E3 and B-D365 are redeemed on T-MAIN, fully associated with BA-1; B-TEAMS on T-LAB, whose
  // association lacks provisioning: a warning.
  std::vector<Finding> found = Check(Example(), kTenantRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "B-TEAMS");
  EXPECT_EQ(found[0].severity, Severity::kWarning);
  EXPECT_EQ(found[0].message,
            "keyless benefit B-TEAMS (Microsoft Teams Enterprise) is redeemed on tenant T-LAB "
            "(contosolab.onmicrosoft.com), whose association with billing account BA-1 (Contoso "
            "Ltd) does not have provisioning enabled (recommended)");
}

// ---------------------------------------------------------------------------------------------
// cloud.no-billing-account-transfer (seed 002, "Can I transfer benefits from one billing account
// to another?")

Decision Transfer(const PartnerState& state, const std::string& benefit,
                  const std::string& account = "") {
  Arguments arguments{{"benefit", benefit}};
  if (!account.empty()) arguments.emplace_back("billing-account", account);
  return Decide(state, "benefit.transfer", "", arguments);
}

TEST(NoBillingAccountTransferTest, AnotherBillingAccountIsDenied) {
  StateBuilder builder = Tenancy();
  Decision decision = Transfer(TenancyState(builder), "B-1", "BA-2");
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kTransferRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "keyless benefit B-1 is bound to billing account BA-1 (Northwind MCA) and cannot be "
            "transferred to BA-2 (Northwind Consulting); benefits never move between billing "
            "accounts");
  EXPECT_EQ(said->remedy,
            "keep benefit B-1 on billing account BA-1 (Northwind MCA); to use it in another "
            "tenant, a Billing account owner associates that tenant with BA-1 (Azure portal: Cost "
            "Management + Billing > BA-1 > Access control (IAM) > Associated billing tenants)");
}

TEST(NoBillingAccountTransferTest, RemedyNamesTheTenantsOfTheTargetAccount) {
  StateBuilder builder = Tenancy();
  builder.Last("billing_accounts")["associated_tenants"].push_back(Association("T3", true, true));
  Decision said_decision = Transfer(TenancyState(builder), "B-1", "BA-2");
  const RuleDecision* said = Said(said_decision, kTransferRule);
  ASSERT_NE(said, nullptr);
  EXPECT_TRUE(Contains(said->remedy,
                       "to use it in a tenant of BA-2 (Northwind Consulting) (T3 "
                       "(fabrikam.onmicrosoft.com)), a Billing account owner associates that "
                       "tenant with BA-1"));
}

TEST(NoBillingAccountTransferTest, OwnBillingAccountIsAllowedNothingMoves) {
  StateBuilder builder = Tenancy();
  Decision decision = Transfer(TenancyState(builder), "B-1", "BA-1");
  EXPECT_TRUE(decision.allowed);
  const RuleDecision* said = Said(decision, kTransferRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message,
            "keyless benefit B-1 is already bound to billing account BA-1 (Northwind MCA); nothing "
            "moves");
}

TEST(NoBillingAccountTransferTest, OpenAccountMustBeTheBenefitsOwn) {
  StateBuilder builder = Tenancy();
  Decision said_decision = Transfer(TenancyState(builder), "B-1");
  const RuleDecision* said = Said(said_decision, kTransferRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the billing account must be BA-1 (Northwind MCA), to which keyless benefit B-1 is "
            "bound: benefits never move to another billing account");

  // A benefit bound to BA-2 (wrongly, see the check) may only stay there.
  StateBuilder on_ba2;
  on_ba2.AddBenefit("B-2", "keyless", "BA-2");
  PartnerState state = on_ba2.Build();
  EXPECT_EQ(Said(Transfer(state, "B-2", "BA-1"), kTransferRule)->verdict, Verdict::kDeny);
  EXPECT_EQ(Said(Transfer(state, "B-2", "BA-2"), kTransferRule)->verdict, Verdict::kAllow);
}

TEST(NoBillingAccountTransferTest, OpenAccountWithOneBillingAccountIsAllowed) {
  StateBuilder builder;
  builder.AddBenefit("B-1", "keyless");
  PartnerState state = Edited(builder, [](json& s) { s["billing_accounts"].erase(1); });
  Decision said_decision = Transfer(state, "B-1");
  const RuleDecision* said = Said(said_decision, kTransferRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(said->message, "is the only billing account"));
}

TEST(NoBillingAccountTransferTest, ProductKeyBenefitsAreNotBound) {
  StateBuilder builder = Tenancy();
  builder.AddBenefit("B-KEY", "product_key", "");
  Decision decision = Transfer(TenancyState(builder), "B-KEY", "BA-2");
  EXPECT_TRUE(IsSilent(decision, kTransferRule));
}

TEST(NoBillingAccountTransferTest, CheckFlagsABenefitOnAnotherBillingAccount) {
  StateBuilder builder = Tenancy();
  builder.AddBenefit("B-2", "keyless", "BA-2");
  std::vector<Finding> found = Check(TenancyState(builder), kTransferRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "B-2");
  EXPECT_EQ(found[0].message,
            "keyless benefit B-2 (Microsoft 365 E3) is bound to billing account BA-2 (Northwind "
            "Consulting), not to the purchase billing account BA-1 (Northwind MCA) it was bought "
            "with; benefits cannot move between billing accounts");
}

// B-1 redeemed on T1, its subscription S-1 on `subscription_tenant`.
PartnerState SubscriptionOn(const std::string& subscription_tenant,
                            const std::string& benefit_tenant = "T1") {
  StateBuilder builder = Tenancy();
  json& benefit = builder.Last("cloud_benefits");
  benefit["status"] = "redeemed";
  benefit["tenant"] = benefit_tenant;
  benefit["subscription"] = "S-1";
  builder.AddSubscription("S-1", 25, "2027-01-14", "modernized");
  builder.Last("subscriptions")["benefit"] = "B-1";
  builder.Last("subscriptions")["tenant"] = subscription_tenant;
  return TenancyState(builder);
}

TEST(NoBillingAccountTransferTest, CheckFlagsASubscriptionMovedOutsideTheAccount) {
  EXPECT_TRUE(Check(SubscriptionOn("T1"), kTransferRule).empty());
  EXPECT_TRUE(Check(SubscriptionOn("T2"), kTransferRule).empty());  // associated: fine

  std::vector<Finding> found = Check(SubscriptionOn("T3"), kTransferRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-1");
  EXPECT_EQ(found[0].pointer, "/subscriptions/0");
  EXPECT_EQ(found[0].message,
            "subscription S-1 of keyless benefit B-1 is on tenant T3 (fabrikam.onmicrosoft.com), "
            "which is not associated with billing account BA-1 (Northwind MCA); benefits cannot be "
            "used on tenants outside their billing account");
  // The redemption tenant itself is the other rule's: no double report.
  EXPECT_TRUE(Check(SubscriptionOn("T1"), kTenantRule).empty());
}

TEST(NoBillingAccountTransferTest, RedemptionOnAnUnassociatedTenantIsReportedOnce) {
  PartnerState state = SubscriptionOn("T3", "T3");
  EXPECT_TRUE(Check(state, kTransferRule).empty());
  EXPECT_EQ(Check(state, kTenantRule).size(), 1u);
}

TEST(NoBillingAccountTransferTest, ExampleE3CannotGoToTheConsultingAccount) {
  Decision decision = Transfer(Example(), "B-E3", "BA-OTHER");
  EXPECT_FALSE(decision.allowed);
  ASSERT_NE(Said(decision, kTransferRule), nullptr);
  EXPECT_EQ(Said(decision, kTransferRule)->verdict, Verdict::kDeny);
  // S-TEAMS (of B-TEAMS, bound to BA-1) runs on T-EXT, associated only with BA-OTHER.
  std::vector<Finding> found = Check(Example(), kTransferRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-TEAMS");
  EXPECT_EQ(found[0].message,
            "subscription S-TEAMS of keyless benefit B-TEAMS is on tenant T-EXT "
            "(contosoconsulting.onmicrosoft.com), which is not associated with billing account "
            "BA-1 (Contoso Ltd); benefits cannot be used on tenants outside their billing account");
}

// ---------------------------------------------------------------------------------------------
// cloud.move-only-unassigned (seed 002, "How do I redeem a cloud benefit in one tenant and use it
// in another tenant?")

// The last benefit added (B-1) records its redemption into subscription `sub`: a subscription
// that names an available benefit as its origin contradicts it and does not load.
void RedeemedInto(StateBuilder& builder, const std::string& sub) {
  json& benefit = builder.Last("cloud_benefits");
  benefit["status"] = "redeemed";
  benefit["redeemed_on"] = "2026-02-01";
  benefit["subscription"] = sub;
}

// Modernized subscription S-1 of B-1 (BA-1) on T1 with `assigned` licenses held by alice and bob.
PartnerState Movable(int64_t assigned, const std::string& model = "modernized") {
  StateBuilder builder = Tenancy();
  builder.AddUser("bob", "bob@northwind.de");
  builder.AddSubscription("S-1", 25, "2027-01-14", model);
  json& sub = builder.Last("subscriptions");
  sub["benefit"] = "B-1";
  sub["assigned_licenses"] = assigned;
  RedeemedInto(builder, "S-1");
  if (assigned == 2) sub["assigned_users"] = json::array({"alice", "bob"});
  return TenancyState(builder);
}

Decision Move(const PartnerState& state, const std::string& sub, const std::string& tenant = "") {
  Arguments arguments{{"subscription", sub}};
  if (!tenant.empty()) arguments.emplace_back("tenant", tenant);
  return Decide(state, "subscription.move", "alice", arguments);
}

TEST(MoveOnlyUnassignedTest, AssignedLicensesBlockEveryMove) {
  PartnerState state = Movable(2);
  Decision decision = Move(state, "S-1", "T2");
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kMoveRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "subscription S-1 has 2 licenses assigned; a subscription moves to another tenant "
            "only when no licenses are assigned");
  EXPECT_EQ(said->remedy,
            "unassign the 2 licenses of S-1 in the Microsoft 365 admin center first (held by "
            "alice@northwind.de, bob@northwind.de), then move it; or keep it where it is and "
            "switch tenant context in the Microsoft 365 admin center to assign its licenses to "
            "users of the associated tenant");
  // Open target: every tenant is refused.
  EXPECT_EQ(Said(Move(state, "S-1"), kMoveRule)->verdict, Verdict::kDeny);
}

TEST(MoveOnlyUnassignedTest, OneAssignedLicenseWithoutUsersRecorded) {
  Decision said_decision = Move(Movable(1), "S-1", "T2");
  const RuleDecision* said = Said(said_decision, kMoveRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->message, "has 1 license assigned;"));
  EXPECT_TRUE(Contains(said->remedy,
                       "unassign the 1 license of S-1 in the Microsoft 365 admin "
                       "center first, then move it"));
}

TEST(MoveOnlyUnassignedTest, UnassignedModernizedMovesOnlyToAssociatedTenants) {
  PartnerState state = Movable(0);
  Decision ok_decision = Move(state, "S-1", "T2");
  const RuleDecision* ok = Said(ok_decision, kMoveRule);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->verdict, Verdict::kAllow);
  EXPECT_EQ(ok->message,
            "subscription S-1 has no licenses assigned and tenant T2 "
            "(northwindlab.onmicrosoft.com) is associated with billing account BA-1 (Northwind "
            "MCA)");

  Decision outside_decision = Move(state, "S-1", "T3");
  const RuleDecision* outside = Said(outside_decision, kMoveRule);
  ASSERT_NE(outside, nullptr);
  EXPECT_EQ(outside->verdict, Verdict::kDeny);
  EXPECT_EQ(outside->message,
            "tenant T3 (fabrikam.onmicrosoft.com) is not associated with billing account BA-1 "
            "(Northwind MCA), so modernized subscription S-1 cannot be moved there");
  EXPECT_TRUE(
      Contains(outside->remedy, "associates tenant T3 (fabrikam.onmicrosoft.com) with BA-1"));

  Decision open_decision = Move(state, "S-1");
  const RuleDecision* open = Said(open_decision, kMoveRule);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->verdict, Verdict::kCondition);
  EXPECT_EQ(open->message,
            "the tenant must be associated with billing account BA-1 (Northwind MCA) with billing "
            "management enabled: T1 (northwind.onmicrosoft.com); T2 "
            "(northwindlab.onmicrosoft.com)");
}

TEST(MoveOnlyUnassignedTest, AssociationWithoutBillingManagementDoesNotCount) {
  StateBuilder builder = Tenancy();
  builder.AddSubscription("S-1", 25, "2027-01-14", "modernized");
  builder.Last("subscriptions")["benefit"] = "B-1";
  RedeemedInto(builder, "S-1");
  Decision said_decision = Move(TenancyState(builder, true, false), "S-1", "T3");
  const RuleDecision* said = Said(said_decision, kMoveRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
}

TEST(MoveOnlyUnassignedTest, ProductKeySubscriptionsOnlyNeedNoAssignedLicenses) {
  PartnerState state = Movable(0, "product_key");
  EXPECT_EQ(Said(Move(state, "S-1", "T3"), kMoveRule)->verdict, Verdict::kAllow);
  EXPECT_EQ(Said(Move(state, "S-1"), kMoveRule)->verdict, Verdict::kAllow);
  EXPECT_EQ(Said(Move(Movable(2, "product_key"), "S-1", "T3"), kMoveRule)->verdict, Verdict::kDeny);
}

TEST(MoveOnlyUnassignedTest, ExamplePowerBiHasFiveUsersD365CanMove) {
  Decision pbi = Move(Example(), "S-PBI", "T-LAB");
  EXPECT_FALSE(pbi.allowed);
  const RuleDecision* said = Said(pbi, kMoveRule);
  ASSERT_NE(said, nullptr);
  EXPECT_TRUE(Contains(said->remedy,
                       "(held by alice@contoso.com, bob@contoso.com, carol@contoso.com, "
                       "dave@contoso.com, emma@contoso.com)"));
  Decision d365_decision = Move(Example(), "S-D365", "T-LAB");
  const RuleDecision* d365 = Said(d365_decision, kMoveRule);
  ASSERT_NE(d365, nullptr);
  EXPECT_EQ(d365->verdict, Verdict::kAllow);
}

// ---------------------------------------------------------------------------------------------
// cloud.usage-location (seed 002, "Why do I see a "user location not set" error during license
// assignment?")

// alice (DE), frank without usage location, subscription S-1 held by `holders`.
StateBuilder Licensing(const std::vector<std::string>& holders = {}) {
  StateBuilder builder;
  builder.AddUser("frank", "frank@northwind.de");
  builder.Last("users").erase("usage_location");
  builder.AddSubscription("S-1", 25, "2027-01-14");
  if (!holders.empty()) {
    builder.Last("subscriptions")["assigned_users"] = holders;
    builder.Last("subscriptions")["assigned_licenses"] = holders.size();
  }
  return builder;
}

Decision AssignLicense(const PartnerState& state, const std::string& user = "") {
  Arguments arguments{{"subscription", "S-1"}};
  if (!user.empty()) arguments.emplace_back("user", user);
  return Decide(state, "license.assign", "alice", arguments);
}

TEST(UsageLocationTest, UserWithoutUsageLocationIsDenied) {
  Decision decision = AssignLicense(Licensing().Build(), "frank");
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kLocationRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "frank@northwind.de has no usage location set, so a license of subscription S-1 "
            "cannot be assigned to them");
  EXPECT_EQ(said->remedy,
            "in the Microsoft Entra admin center (Global Administrator or User Administrator "
            "role), open Identity > Users > All users > frank@northwind.de > Properties, set Usage "
            "location and save; then assign the license again in the Microsoft 365 admin center");
}

TEST(UsageLocationTest, UserWithUsageLocationIsAllowed) {
  Decision said_decision = AssignLicense(Licensing().Build(), "alice");
  const RuleDecision* said = Said(said_decision, kLocationRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message, "alice@northwind.de has usage location DE");
  ASSERT_NE(FactOf(*said, "usage_location"), nullptr);
  EXPECT_EQ(FactOf(*said, "usage_location")->value, "DE");
}

TEST(UsageLocationTest, OpenUserIsAConditionNamingWhoLacksALocation) {
  Decision said_decision = AssignLicense(Licensing().Build());
  const RuleDecision* said = Said(said_decision, kLocationRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the user must have a usage location set (not set for frank@northwind.de)");

  StateBuilder all_set;
  all_set.AddSubscription("S-1", 25, "2027-01-14");
  EXPECT_EQ(Said(AssignLicense(all_set.Build()), kLocationRule)->verdict, Verdict::kAllow);

  StateBuilder none_set;
  none_set.Last("users").erase("usage_location");
  none_set.AddSubscription("S-1", 25, "2027-01-14");
  Decision none_decision = AssignLicense(none_set.Build());
  const RuleDecision* none = Said(none_decision, kLocationRule);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->verdict, Verdict::kDeny);
}

TEST(UsageLocationTest, CheckFlagsAHolderWithoutUsageLocation) {
  EXPECT_TRUE(Check(Licensing({"alice"}).Build(), kLocationRule).empty());
  StateBuilder builder = Licensing({"alice", "frank"});
  std::vector<Finding> found = Check(builder.Build(), kLocationRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-1");
  EXPECT_EQ(found[0].line, builder.LineOf("/subscriptions/0"));
  EXPECT_EQ(found[0].message,
            "frank@northwind.de holds a license of subscription S-1 (Microsoft 365 Business "
            "Standard) but has no usage location set");
  EXPECT_TRUE(Contains(found[0].remedy, "All users > frank@northwind.de > Properties"));
}

TEST(UsageLocationTest, ExampleFrankHasNoUsageLocation) {
  Decision decision =
      Decide(Example(), "license.assign", "alice", {{"subscription", "S-E3M"}, {"user", "frank"}});
  EXPECT_FALSE(decision.allowed);
  ASSERT_NE(Said(decision, kLocationRule), nullptr);
  EXPECT_EQ(Said(decision, kLocationRule)->verdict, Verdict::kDeny);
  // S-E3M records frank among its assigned users: the state breach of the same rule.
  std::vector<Finding> found = Check(Example(), kLocationRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-E3M");
  EXPECT_EQ(found[0].message,
            "frank@contoso.com holds a license of subscription S-E3M (Microsoft 365 E3) but has "
            "no usage location set");
}

// ---------------------------------------------------------------------------------------------
// cloud.copilot-prerequisites (seed 002, "Activate Copilot benefits")

// Tenants T1, T2, T3; the available Microsoft 365 E3 benefit B-1, an available benefit B-2, B-3 ...
// per product in `available`, and an active subscription S-1, S-2 ... per (product, tenant) in
// `active`.
struct Product {
  std::string product;
  std::string tenant;
};

StateBuilder CopilotState(const std::vector<std::string>& available,
                          const std::vector<Product>& active) {
  StateBuilder builder = Tenancy();
  int n = 1;  // B-1 is the builder's Microsoft 365 E3 benefit
  for (const std::string& product : available) {
    builder.AddBenefit("B-" + std::to_string(++n), "keyless");
    builder.Last("cloud_benefits")["product"] = product;
  }
  n = 0;
  for (const Product& p : active) {
    builder.AddSubscription("S-" + std::to_string(++n), 10, "2027-01-14", "modernized");
    builder.Last("subscriptions")["product"] = p.product;
    builder.Last("subscriptions")["tenant"] = p.tenant;
  }
  return builder;
}

TEST(CopilotPrerequisitesTest, CopilotForMicrosoft365NeedsE3OrE5OnTheTenant) {
  // B-1 is the builder's E3 benefit (available), B-2 Copilot for Microsoft 365.
  PartnerState e3 =
      CopilotState({"Copilot for Microsoft 365"}, {{"Microsoft 365 E3", "T1"}}).Build();
  Decision with_e3_decision = Redeem(e3, "B-2", "T1");
  const RuleDecision* with_e3 = Said(with_e3_decision, kCopilotRule);
  ASSERT_NE(with_e3, nullptr);
  EXPECT_EQ(with_e3->verdict, Verdict::kAllow);
  EXPECT_EQ(with_e3->message,
            "tenant T1 (northwind.onmicrosoft.com) has Microsoft 365 E3 (S-1) active, which "
            "Copilot for Microsoft 365 needs");

  PartnerState e5 =
      CopilotState({"Copilot for Microsoft 365"}, {{"Microsoft 365 E5", "T1"}}).Build();
  Decision with_e5_decision = Redeem(e5, "B-2", "T1");
  const RuleDecision* with_e5 = Said(with_e5_decision, kCopilotRule);
  ASSERT_NE(with_e5, nullptr);
  EXPECT_EQ(with_e5->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(with_e5->message, "has Microsoft 365 E5 (S-1) active"));
}

TEST(CopilotPrerequisitesTest, MissingBaseIsDeniedAndTheAvailableBenefitNamed) {
  PartnerState state = CopilotState({"Copilot for Microsoft 365"}, {}).Build();
  Decision said_decision = Redeem(state, "B-2", "T1");
  const RuleDecision* said = Said(said_decision, kCopilotRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "Copilot for Microsoft 365 benefit B-2 needs Microsoft 365 E3 or Microsoft 365 E5 on "
            "tenant T1 (northwind.onmicrosoft.com); missing there: Microsoft 365 E3 or Microsoft "
            "365 E5 (active on no tenant)");
  EXPECT_EQ(said->remedy,
            "first redeem benefit B-1 (Microsoft 365 E3) on tenant T1, then redeem B-2 on T1 (all "
            "Copilot prerequisites must be on the same tenant)");
}

TEST(CopilotPrerequisitesTest, PrerequisitesOnAnotherTenantDoNotCount) {
  PartnerState state =
      CopilotState({"Copilot for Microsoft 365"}, {{"Microsoft 365 E5", "T2"}}).Build();
  Decision said_decision = Redeem(state, "B-2", "T1");
  const RuleDecision* said = Said(said_decision, kCopilotRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->message,
                       "missing there: Microsoft 365 E3 or Microsoft 365 E5 (active on T2 only)"));
  EXPECT_TRUE(Contains(said->remedy,
                       "; or redeem B-2 on T2 (northwindlab.onmicrosoft.com), where they are all "
                       "active"));
}

TEST(CopilotPrerequisitesTest, CopilotForSalesNeedsCopilotForMicrosoft365Too) {
  PartnerState state =
      CopilotState({"Copilot for Microsoft 365", "Copilot for Sales"}, {{"Microsoft 365 E3", "T1"}})
          .Build();
  Decision said_decision = Redeem(state, "B-3", "T1");
  const RuleDecision* said = Said(said_decision, kCopilotRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "Copilot for Sales benefit B-3 needs Microsoft 365 E3 or Microsoft 365 E5 and Copilot "
            "for Microsoft 365 on tenant T1 (northwind.onmicrosoft.com); missing there: Copilot "
            "for Microsoft 365 (active on no tenant)");
  EXPECT_TRUE(Contains(said->remedy,
                       "first redeem benefit B-2 (Copilot for Microsoft 365) on "
                       "tenant T1, then redeem B-3 on T1"));

  PartnerState both = CopilotState({"Copilot for Sales"}, {{"Microsoft 365 E5", "T1"},
                                                           {"Copilot for Microsoft 365", "T1"}})
                          .Build();
  Decision ok_decision = Redeem(both, "B-2", "T1");
  const RuleDecision* ok = Said(ok_decision, kCopilotRule);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->verdict, Verdict::kAllow);
  EXPECT_EQ(ok->message,
            "tenant T1 (northwind.onmicrosoft.com) has Microsoft 365 E5 (S-1) and Copilot for "
            "Microsoft 365 (S-2) active, which Copilot for Sales needs");
}

TEST(CopilotPrerequisitesTest, SplitAcrossTenantsIsNotEnough) {
  // E3 on T1, Copilot for Microsoft 365 on T2: no tenant has both.
  PartnerState state = CopilotState({"Copilot for Finance"}, {{"Microsoft 365 E3", "T1"},
                                                              {"Copilot for Microsoft 365", "T2"}})
                           .Build();
  Decision t1_decision = Redeem(state, "B-2", "T1");
  const RuleDecision* t1 = Said(t1_decision, kCopilotRule);
  ASSERT_NE(t1, nullptr);
  EXPECT_EQ(t1->verdict, Verdict::kDeny);
  EXPECT_TRUE(
      Contains(t1->message, "missing there: Copilot for Microsoft 365 (active on T2 only)"));
  Decision open_decision = Redeem(state, "B-2");
  const RuleDecision* open = Said(open_decision, kCopilotRule);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->verdict, Verdict::kDeny);
  EXPECT_EQ(open->message,
            "Copilot for Finance benefit B-2 needs Microsoft 365 E3 or Microsoft 365 E5 and "
            "Copilot for Microsoft 365 active on the same tenant, and no tenant has them all");
}

TEST(CopilotPrerequisitesTest, OpenTenantNamesTheReadyTenants) {
  PartnerState state =
      CopilotState({"Copilot for Microsoft 365"}, {{"Microsoft 365 E3", "T2"}}).Build();
  Decision said_decision = Redeem(state, "B-2");
  const RuleDecision* said = Said(said_decision, kCopilotRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the tenant must have Microsoft 365 E3 or Microsoft 365 E5 active: T2 "
            "(northwindlab.onmicrosoft.com)");
}

TEST(CopilotPrerequisitesTest, ExpiredPrerequisiteDoesNotCountAndNamesMatchCaseInsensitively) {
  StateBuilder expired = CopilotState({"Copilot for Microsoft 365"}, {{"Microsoft 365 E3", "T1"}});
  expired.Last("subscriptions")["status"] = "expired";
  EXPECT_EQ(Said(Redeem(expired.Build(), "B-2", "T1"), kCopilotRule)->verdict, Verdict::kDeny);

  PartnerState lower =
      CopilotState({"copilot for microsoft 365"}, {{"MICROSOFT 365 E3", "T1"}}).Build();
  EXPECT_EQ(Said(Redeem(lower, "B-2", "T1"), kCopilotRule)->verdict, Verdict::kAllow);
}

TEST(CopilotPrerequisitesTest, RedeemedBenefitWithoutSubscriptionCountsAsActive) {
  StateBuilder builder = CopilotState({"Copilot for Microsoft 365"}, {});
  PartnerState state = Edited(builder, [](json& s) {
    s["cloud_benefits"][0]["status"] = "redeemed";
    s["cloud_benefits"][0]["tenant"] = "T1";
  });
  Decision said_decision = Redeem(state, "B-2", "T1");
  const RuleDecision* said = Said(said_decision, kCopilotRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(said->message, "has Microsoft 365 E3 (B-1) active"));
}

TEST(CopilotPrerequisitesTest, OtherBenefitsAreNotTheRulesConcern) {
  PartnerState state = CopilotState({}, {}).Build();
  EXPECT_TRUE(IsSilent(Redeem(state, "B-1", "T1"), kCopilotRule));
}

TEST(CopilotPrerequisitesTest, CheckFlagsCopilotWithoutItsPrerequisites) {
  StateBuilder fine =
      CopilotState({}, {{"Microsoft 365 E3", "T1"}, {"Copilot for Microsoft 365", "T1"}});
  EXPECT_TRUE(Check(fine.Build(), kCopilotRule).empty());

  StateBuilder builder =
      CopilotState({}, {{"Microsoft 365 E3", "T2"}, {"Copilot for Microsoft 365", "T1"}});
  std::vector<Finding> found = Check(builder.Build(), kCopilotRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-2");
  EXPECT_EQ(found[0].line, builder.LineOf("/subscriptions/1"));
  EXPECT_EQ(found[0].message,
            "subscription S-2 (Copilot for Microsoft 365) is on tenant T1 "
            "(northwind.onmicrosoft.com) without Microsoft 365 E3 or Microsoft 365 E5 (active on "
            "T2 only), which Copilot for Microsoft 365 needs on the same tenant");
  EXPECT_EQ(found[0].remedy, "redeem benefit B-1 (Microsoft 365 E3) on tenant T1");
}

TEST(CopilotPrerequisitesTest, ConfiguredProductNamesAreUsed) {
  TempPolicies temp(
      "[rules.\"cloud.copilot-prerequisites\"]\n"
      "copilot_products = [\"Copilot for Microsoft 365\", \"Microsoft 365 Copilot\"]\n");
  PolicySet policies = Must(temp.Load());
  PartnerState state =
      CopilotState({"Microsoft 365 Copilot"}, {{"Microsoft 365 E3", "T2"}}).Build();
  Decision decision = DecideWith(policies, state, "benefit.redeem", "alice",
                                 {{"benefit", "B-2"}, {"tenant", "T1"}});
  const RuleDecision* said = Said(decision, kCopilotRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->message, "Microsoft 365 Copilot benefit B-2 needs"));
  // With the defaults the renamed product is no Copilot benefit.
  EXPECT_TRUE(IsSilent(Redeem(state, "B-2", "T1"), kCopilotRule));
}

TEST(CopilotPrerequisitesTest, ExampleCopilotOnMainOrLab) {
  // S-E3M (Microsoft 365 E3) is active on T-MAIN only.
  Decision main_decision = Redeem(Example(), "B-COP", "T-MAIN");
  const RuleDecision* main = Said(main_decision, kCopilotRule);
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->verdict, Verdict::kAllow);
  Decision lab_decision = Redeem(Example(), "B-COP", "T-LAB");
  const RuleDecision* lab = Said(lab_decision, kCopilotRule);
  ASSERT_NE(lab, nullptr);
  EXPECT_EQ(lab->verdict, Verdict::kDeny);
  Decision open_decision = Redeem(Example(), "B-COP");
  const RuleDecision* open = Said(open_decision, kCopilotRule);
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->verdict, Verdict::kCondition);
  EXPECT_TRUE(Contains(open->message, "T-MAIN (contoso.onmicrosoft.com)"));
}

// ---------------------------------------------------------------------------------------------
// cloud.benefit-activate-by (seed 002, "View your cloud benefits")

// Available keyless benefit B-1 that must be activated by `activate_by`.
PartnerState DueOn(const std::string& activate_by, const std::string& status = "available") {
  StateBuilder builder = Tenancy();
  builder.Last("cloud_benefits")["activate_by"] = activate_by;
  builder.Last("cloud_benefits")["status"] = status;
  return builder.Build();
}

TEST(BenefitActivateByTest, AlertOnTheDeadlineWithinTheHorizon) {
  std::vector<Alert> alerts = AlertsOf(DueOn("2026-12-15"), kActivateByRule);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2026-12-15");
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].entity_id, "B-1");
  EXPECT_EQ(alerts[0].message,
            "cloud benefit B-1 (Microsoft 365 E3, 25 licenses) must be activated by 2026-12-15; "
            "after that day it can no longer be redeemed");
  EXPECT_EQ(alerts[0].remedy,
            "redeem B-1 in Partner Center (Benefits > Cloud services) on or before 2026-12-15");
}

TEST(BenefitActivateByTest, HorizonAndTodayEdges) {
  // as_of 2026-11-23 + 30 days = 2026-12-23 is the last day of interest.
  EXPECT_EQ(AlertsOf(DueOn("2026-12-23"), kActivateByRule).size(), 1u);
  EXPECT_TRUE(AlertsOf(DueOn("2026-12-24"), kActivateByRule).empty());
  EXPECT_EQ(AlertsOf(DueOn("2026-11-23"), kActivateByRule).size(), 1u);  // today
  EXPECT_TRUE(AlertsOf(DueOn("2026-11-22"), kActivateByRule).empty());   // lapsed: the check's
  EXPECT_TRUE(AlertsOf(DueOn("2026-12-15", "redeemed"), kActivateByRule).empty());
}

TEST(BenefitActivateByTest, RedeemOnTheLastDayIsAllowedTheDayAfterDenied) {
  Decision last_decision = Redeem(DueOn("2026-11-23"), "B-1");
  const RuleDecision* last = Said(last_decision, kActivateByRule);
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->verdict, Verdict::kAllow);
  EXPECT_EQ(last->message,
            "cloud benefit B-1 (Microsoft 365 E3, 25 licenses) can be activated until 2026-11-23 "
            "(today is the last day)");
  ASSERT_NE(FactOf(*last, "days_left"), nullptr);
  EXPECT_EQ(FactOf(*last, "days_left")->value, "0");

  Decision late_decision = Redeem(DueOn("2026-11-22"), "B-1");
  const RuleDecision* late = Said(late_decision, kActivateByRule);
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->verdict, Verdict::kDeny);
  EXPECT_EQ(late->message,
            "cloud benefit B-1 (Microsoft 365 E3, 25 licenses) had to be activated by 2026-11-22; "
            "that day has passed");
  EXPECT_TRUE(Contains(late->remedy, "renew the membership for new benefits"));
}

TEST(BenefitActivateByTest, LeapDayDeadline) {
  StateBuilder builder = Tenancy();
  builder.Last("cloud_benefits")["activate_by"] = "2028-02-29";
  PartnerState state = builder.Build();
  Decision decision =
      Decide(state, "benefit.redeem", "alice", {{"benefit", "B-1"}}, *ParseDate("2028-02-28"));
  const RuleDecision* said = Said(decision, kActivateByRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(said->message, "until 2028-02-29 (1 day from today)"));
  Decision after =
      Decide(state, "benefit.redeem", "alice", {{"benefit", "B-1"}}, *ParseDate("2028-03-01"));
  EXPECT_EQ(Said(after, kActivateByRule)->verdict, Verdict::kDeny);
  std::vector<Alert> alerts = AlertsOf(state, kActivateByRule, *ParseDate("2028-02-01"), 28);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2028-02-29");
}

TEST(BenefitActivateByTest, CheckReportsAnAvailableBenefitPastItsDeadline) {
  EXPECT_TRUE(Check(DueOn("2026-11-23"), kActivateByRule).empty());
  std::vector<Finding> found = Check(DueOn("2026-11-22"), kActivateByRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kWarning);
  EXPECT_EQ(found[0].message,
            "cloud benefit B-1 (Microsoft 365 E3, 25 licenses) is still available but its "
            "activation deadline passed on 2026-11-22; it can no longer be activated");
}

TEST(BenefitActivateByTest, ExampleCopilotDueWithTheMembership) {
  // B-COP must be activated by 2027-02-28: beyond 30 days, within 100. B-CSALES is due on
  // 2026-12-15, within 30 days.
  std::vector<Alert> soon = AlertsOf(Example(), kActivateByRule);
  ASSERT_EQ(soon.size(), 1u);
  EXPECT_EQ(soon[0].entity_id, "B-CSALES");
  EXPECT_EQ(FormatDate(soon[0].on), "2026-12-15");
  std::vector<Alert> alerts = AlertsOf(Example(), kActivateByRule, kAsOf, 100);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].entity_id, "B-COP");
  EXPECT_EQ(FormatDate(alerts[1].on), "2027-02-28");
  EXPECT_EQ(alerts[1].message,
            "cloud benefit B-COP (Copilot for Microsoft 365, 10 licenses) must be activated by "
            "2027-02-28; after that day it can no longer be redeemed");
}

}  // namespace
}  // namespace partnerpolicy
