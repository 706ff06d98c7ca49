// Rules on who may hold, assign and activate Azure credits, and when: one bulk credit per user,
// partner admins only, the Not Redeemed status of a first assignment (seed 001), the advisory
// 90-day activation window (seed 000), and the four days card-paid benefits take to appear
// (seed 001). Date edges: Jan 31 + 4 days, a window ending on Feb 29 2028, the 90th day itself.
#include <gtest/gtest.h>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: the rule-test vocabulary (StateBuilder, Decide, Said, ...)

constexpr char kOneBulkRule[] = "credits.one-bulk-per-user";
constexpr char kAdminRule[] = "credits.assign-requires-partner-admin";
constexpr char kNotRedeemedRule[] = "credits.redeem-not-redeemed";
constexpr char kWindowRule[] = "credits.activation-window";
constexpr char kDelayRule[] = "benefits.provisioning-delay";

Date Day(const char* text) { return *ParseDate(text); }

// The verdict of `rule`, failing the test when it had no say.
Verdict VerdictOf(const Decision& decision, const std::string& rule) {
  const RuleDecision* said = Said(decision, rule);
  EXPECT_NE(said, nullptr) << rule << " had no say";
  return said == nullptr ? Verdict::kAllow : said->verdict;
}

std::string FactValue(const Decision& decision, const std::string& rule, const std::string& fact) {
  const RuleDecision* said = Said(decision, rule);
  if (said == nullptr) return "<no say>";
  const Fact* found = FactOf(*said, fact);
  return found == nullptr ? "<no fact>" : found->value;
}

// ---------------------------------------------------------------------------------------------
// credits.one-bulk-per-user (seed 001, "What credits can I assign to a user?")

// bob holds bulk credit BULK-1 and monthly credit MC-1; BULK-2 and MC-2 are unassigned.
StateBuilder BulkState() {
  StateBuilder builder;
  builder.AddUser("bob", "bob@northwind.de").AddUser("carol", "carol@northwind.de");
  builder.AddCredit("BULK-1", "bulk", {"bob"}).AddCredit("MC-1", "monthly", {"bob"});
  builder.AddCredit("BULK-2", "bulk", {}).AddCredit("MC-2", "monthly", {});
  return builder;
}

TEST(OneBulkPerUserTest, SecondBulkCreditIsDeniedNamingTheFirst) {
  Decision decision = Decide(BulkState().Build(), "credit.assign", "alice",
                             {{"credit", "BULK-2"}, {"user", "bob"}});
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kOneBulkRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "bob@northwind.de already holds Azure bulk credit BULK-1, and a user can hold only one "
            "bulk credit");
  EXPECT_EQ(said->remedy,
            "give bulk credit BULK-2 to a user who holds no other bulk credit; bob@northwind.de "
            "keeps bulk credit BULK-1 until 2027-01-10");

  Decision reassign = Decide(BulkState().Build(), "credit.reassign", "alice",
                             {{"credit", "BULK-2"}, {"user", "bob@NORTHWIND.de"}});
  EXPECT_EQ(VerdictOf(reassign, kOneBulkRule), Verdict::kDeny);
}

TEST(OneBulkPerUserTest, MonthlyAndBulkTogetherAreFine) {
  // carol holds nothing: a bulk credit is fine. bob holds a bulk credit: a monthly one is fine.
  Decision carol = Decide(BulkState().Build(), "credit.assign", "alice",
                          {{"credit", "BULK-2"}, {"user", "carol"}});
  EXPECT_EQ(VerdictOf(carol, kOneBulkRule), Verdict::kAllow);
  Decision monthly =
      Decide(BulkState().Build(), "credit.assign", "alice", {{"credit", "MC-2"}, {"user", "bob"}});
  EXPECT_EQ(Said(monthly, kOneBulkRule), nullptr);
  EXPECT_TRUE(IsSilent(monthly, kOneBulkRule));
}

TEST(OneBulkPerUserTest, TheSameBulkCreditAgainIsNotASecondOne) {
  Decision decision = Decide(BulkState().Build(), "credit.assign", "alice",
                             {{"credit", "BULK-1"}, {"user", "bob"}});
  EXPECT_EQ(VerdictOf(decision, kOneBulkRule), Verdict::kAllow);
}

TEST(OneBulkPerUserTest, EndedOrExpiredBulkCreditDoesNotCount) {
  // BULK-1 ends on 2027-01-10: bob still holds it that day, no longer the day after.
  PartnerState state = BulkState().Build();
  const Arguments bulk_to_bob = {{"credit", "BULK-2"}, {"user", "bob"}};
  EXPECT_EQ(VerdictOf(Decide(state, "credit.assign", "alice", bulk_to_bob, Day("2027-01-10")),
                      kOneBulkRule),
            Verdict::kDeny);
  EXPECT_EQ(VerdictOf(Decide(state, "credit.assign", "alice", bulk_to_bob, Day("2027-01-11")),
                      kOneBulkRule),
            Verdict::kAllow);

  StateBuilder expired;
  expired.AddUser("bob", "bob@northwind.de").AddCredit("OLD", "bulk", {"bob"});
  expired.Last("credits")["status"] = "expired";
  expired.AddCredit("NEW", "bulk", {});
  Decision decision =
      Decide(expired.Build(), "credit.assign", "alice", {{"credit", "NEW"}, {"user", "bob"}});
  EXPECT_EQ(VerdictOf(decision, kOneBulkRule), Verdict::kAllow);
}

TEST(OneBulkPerUserTest, OpenUserStatesTheConditionNamingHolders) {
  // On 2026-03-01 BULK-2 (awarded 2026-01-15) is inside its 90-day activation window, so
  // credits.activation-window does not hold its first assignment back.
  Decision decision = Decide(BulkState().Build(), "credit.assign", "alice", {{"credit", "BULK-2"}},
                             Day("2026-03-01"));
  EXPECT_TRUE(decision.allowed);
  const RuleDecision* said = Said(decision, kOneBulkRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the user must not already hold another Azure bulk credit (a monthly credit is fine); "
            "these users do: bob@northwind.de (BULK-1)");

  // For BULK-1 itself nobody holds another bulk credit: no condition.
  Decision own = Decide(BulkState().Build(), "credit.reassign", "alice", {{"credit", "BULK-1"}});
  EXPECT_EQ(VerdictOf(own, kOneBulkRule), Verdict::kAllow);
}

TEST(OneBulkPerUserTest, NewUserHoldsNoBulkCredit) {
  Decision decision = Decide(BulkState().Build(), "credit.assign", "alice",
                             {{"credit", "BULK-2"}, {"user", "nina@northwind.de"}});
  const RuleDecision* said = Said(decision, kOneBulkRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message, "nina@northwind.de is a new user and holds no bulk credit yet");
}

TEST(OneBulkPerUserTest, CheckReportsAUserHoldingTwoBulkCredits) {
  StateBuilder builder = BulkState();
  builder.AddCredit("BULK-3", "bulk", {"bob"});
  std::vector<Finding> found = Check(builder.Build(), kOneBulkRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "bob");
  EXPECT_EQ(found[0].pointer, "/users/1");
  EXPECT_EQ(found[0].line, builder.LineOf("/users/1"));
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(
      found[0].message,
      "bob@northwind.de holds 2 Azure bulk credits (BULK-1, BULK-3); a user can hold only one");
  EXPECT_TRUE(Contains(found[0].remedy, "remove them from the others (BULK-3)"));

  EXPECT_TRUE(Check(BulkState().Build(), kOneBulkRule).empty());
  // After BULK-1 ends (2027-01-10) bob holds only BULK-3.
  EXPECT_TRUE(Check(builder.Build(), kOneBulkRule, Day("2027-01-11")).empty());
}

// ---------------------------------------------------------------------------------------------
// credits.assign-requires-partner-admin (seed 001, "Appropriate roles" for the credit steps)

TEST(PartnerAdminTest, PartnerAdminMayAssignReassignAndActivate) {
  PartnerState state = BulkState().Build();
  for (const char* action : {"credit.assign", "credit.reassign"}) {
    SCOPED_TRACE(action);
    Decision decision = Decide(state, action, "alice", {{"credit", "MC-2"}, {"user", "carol"}});
    const RuleDecision* said = Said(decision, kAdminRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kAllow);
  }
  Decision activate = Decide(state, "credit.activate", "alice", {{"credit", "MC-2"}});
  const RuleDecision* said = Said(activate, kAdminRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->message,
            "alice@northwind.de holds the Partner Center role Microsoft AI Cloud Partner Program "
            "partner admin, which can activate Azure credits");
}

TEST(PartnerAdminTest, OtherUserIsDeniedNamingAdminsAndGrantors) {
  StateBuilder builder = BulkState();
  builder.AddUser("gus", "gus@northwind.de", {"global_admin"});
  for (const char* action : {"credit.assign", "credit.reassign"}) {
    SCOPED_TRACE(action);
    Decision decision =
        Decide(builder.Build(), action, "carol", {{"credit", "MC-2"}, {"user", "bob"}});
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(VerdictOf(decision, kAdminRule), Verdict::kDeny);
  }
  Decision decision = Decide(builder.Build(), "credit.activate", "gus", {{"credit", "MC-2"}});
  const RuleDecision* said = Said(decision, kAdminRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(
      said->message,
      "gus@northwind.de cannot activate Azure credit MC-2: that needs the Partner Center role "
      "Microsoft AI Cloud Partner Program partner admin");
  EXPECT_EQ(
      said->remedy,
      "let a Microsoft AI Cloud Partner Program partner admin do it (alice@northwind.de), or a "
      "global admin, user admin or Microsoft AI Cloud Partner Program partner admin "
      "(alice@northwind.de, gus@northwind.de) gives gus@northwind.de that role");
}

TEST(PartnerAdminTest, OpenActorIsAConditionNamingThePartnerAdmins) {
  // Inside MC-2's activation window (awarded 2026-01-15), where its first assignment is allowed.
  Decision decision = Decide(BulkState().Build(), "credit.assign", "",
                             {{"credit", "MC-2"}, {"user", "carol"}}, Day("2026-03-01"));
  EXPECT_TRUE(decision.allowed);
  const RuleDecision* said = Said(decision, kAdminRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the user who does it must hold the Partner Center role Microsoft AI Cloud Partner "
            "Program partner admin (held by alice@northwind.de)");
}

TEST(PartnerAdminTest, NobodyHoldingTheRoleDeniesEvenAnOpenActor) {
  StateBuilder builder;
  builder.AddUser("gus", "gus@northwind.de", {"global_admin"});
  builder.AddCredit("MC-1", "monthly", {});
  // alice is the only partner admin; take her role away.
  std::string text = builder.Text();
  size_t at = text.find("\"partner_center_roles\":[\"partner_admin\"]");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("\"partner_center_roles\":[\"partner_admin\"]").size(),
               "\"partner_center_roles\":[]");
  PartnerState state = Must(Loader().LoadText(text, "no-admin.json"));
  Decision decision = Decide(state, "credit.activate", "", {{"credit", "MC-1"}});
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kAdminRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "only a user with the Partner Center role Microsoft AI Cloud Partner Program partner "
            "admin can activate Azure credit MC-1, and no user in the partner's state holds it");
  EXPECT_EQ(said->remedy,
            "a global admin, user admin or Microsoft AI Cloud Partner Program partner admin "
            "(gus@northwind.de) gives a user the Partner Center role Microsoft AI Cloud Partner "
            "Program partner admin");
}

// ---------------------------------------------------------------------------------------------
// credits.redeem-not-redeemed (seed 001, "Activate or redeem your Azure credits")

TEST(RedeemNotRedeemedTest, InitialAssignmentOfNotRedeemedCreditIsAllowed) {
  Decision decision = Decide(BulkState().Build(), "credit.assign", "alice",
                             {{"credit", "MC-2"}, {"user", "carol"}});
  const RuleDecision* said = Said(decision, kNotRedeemedRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(
      said->message,
      "credit MC-2 is Not Redeemed and has never been assigned, so it can get its first user");
}

TEST(RedeemNotRedeemedTest, InitialAssignmentOfRedeemedCreditIsDenied) {
  StateBuilder builder = BulkState();
  builder.AddCredit("MC-3", "monthly", {});
  builder.Last("credits")["status"] = "redeemed";
  builder.Last("credits")["activated_on"] = "2026-01-20";  // redeemed, so activated
  Decision decision =
      Decide(builder.Build(), "credit.assign", "alice", {{"credit", "MC-3"}, {"user", "carol"}});
  EXPECT_FALSE(decision.allowed);
  const RuleDecision* said = Said(decision, kNotRedeemedRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "credit MC-3 is Redeemed, and an initial assignment needs the status Not Redeemed");
  EXPECT_EQ(said->remedy,
            "assign a credit that is Not Redeemed instead, such as MC-2; if MC-3 really is Not "
            "Redeemed in Partner Center, correct the status recorded in the partner state");

  // The user left open changes nothing: the status decides.
  Decision open = Decide(builder.Build(), "credit.assign", "", {{"credit", "MC-3"}});
  EXPECT_EQ(VerdictOf(open, kNotRedeemedRule), Verdict::kDeny);
}

TEST(RedeemNotRedeemedTest, AssignOnAnAssignedCreditIsAReassignment) {
  Decision decision = Decide(BulkState().Build(), "credit.assign", "alice",
                             {{"credit", "MC-1"}, {"user", "carol"}});
  const RuleDecision* said = Said(decision, kNotRedeemedRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_TRUE(Contains(said->message,
                       "credit MC-1 was assigned before (last to bob@northwind.de), "
                       "so this is a reassignment: ask with credit.reassign"));
  // credit.reassign is not this rule's concern.
  Decision reassign = Decide(BulkState().Build(), "credit.reassign", "alice",
                             {{"credit", "MC-1"}, {"user", "carol"}});
  EXPECT_EQ(Said(reassign, kNotRedeemedRule), nullptr);
}

TEST(RedeemNotRedeemedTest, CheckReportsRedeemedCreditWithoutAssignment) {
  StateBuilder builder = BulkState();
  builder.AddCredit("MC-3", "monthly", {});
  builder.Last("credits")["status"] = "active";
  builder.Last("credits")["activated_on"] = "2026-01-20";  // active, so activated
  std::vector<Finding> found = Check(builder.Build(), kNotRedeemedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "MC-3");
  EXPECT_EQ(found[0].pointer, "/credits/4");
  EXPECT_EQ(found[0].line, builder.LineOf("/credits/4"));
  EXPECT_EQ(found[0].message,
            "credit MC-3 is Active but its history records no assignment; a credit is redeemed by "
            "the user it was assigned to while Not Redeemed");

  // A Not Redeemed credit with a current user is waiting for that user to redeem it: fine.
  StateBuilder pending = BulkState();
  pending.AddCredit("MC-4", "monthly", {"carol"});
  pending.Last("credits")["status"] = "not_redeemed";
  pending.Last("credits").erase("activated_on");  // not redeemed, so not activated
  EXPECT_TRUE(Check(pending.Build(), kNotRedeemedRule).empty());
}

// ---------------------------------------------------------------------------------------------
// credits.activation-window (seed 000, advisory)

// A credit awarded on `awarded_on` and never activated, assigned to bob.
StateBuilder AwardedOn(const std::string& awarded_on) {
  StateBuilder builder;
  builder.AddUser("bob", "bob@northwind.de").AddCredit("MC-9", "monthly", {"bob"});
  // The membership year the award falls in (renewed for 2027-03-01 .. 2028-02-29): a monthly
  // credit is usable up to its end (credits.monthly.membership-end).
  builder.Partner()["membership"]["start"] = "2027-03-01";
  builder.Partner()["membership"]["end"] = "2028-02-29";
  json& credit = builder.Last("credits");
  credit["status"] = "not_redeemed";
  credit["awarded_on"] = awarded_on;
  credit.erase("activated_on");
  return builder;
}

TEST(ActivationWindowTest, WindowEndingOnLeapDay) {
  // 2027-12-01 + 90 days = 2028-02-29: the 90th day is the last day to activate.
  PartnerState state = AwardedOn("2027-12-01").Build();
  Decision before =
      Decide(state, "credit.activate", "alice", {{"credit", "MC-9"}}, Day("2028-02-28"));
  EXPECT_EQ(VerdictOf(before, kWindowRule), Verdict::kAllow);
  EXPECT_EQ(FactValue(before, kWindowRule, "days_left"), "1");

  Decision last =
      Decide(state, "credit.activate", "alice", {{"credit", "MC-9"}}, Day("2028-02-29"));
  EXPECT_TRUE(last.allowed);
  const RuleDecision* said = Said(last, kWindowRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message,
            "credit MC-9 is inside its 90-day activation window: activate it by 2028-02-29 (today "
            "is the last day)");
  EXPECT_EQ(FactValue(last, kWindowRule, "last_day"), "2028-02-29");
  EXPECT_EQ(FactValue(last, kWindowRule, "days_left"), "0");

  Decision after =
      Decide(state, "credit.activate", "alice", {{"credit", "MC-9"}}, Day("2028-03-01"));
  EXPECT_FALSE(after.allowed);
  said = Said(after, kWindowRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "credit MC-9 was awarded on 2027-12-01 and not activated within 90 days (by "
            "2028-02-29), so it generally cannot be activated any more (advisory)");
  EXPECT_EQ(said->remedy,
            "ask Microsoft support whether MC-9 can still be activated; otherwise use the credits "
            "awarded for the next benefit year once the membership is renewed (the current term "
            "ends on 2028-02-29)");
}

TEST(ActivationWindowTest, NinetiethDayInACommonYear) {
  // 2026-12-01 + 90 days = 2027-03-01 (February 2027 has 28 days).
  PartnerState state = AwardedOn("2026-12-01").Build();
  Decision decision = Decide(state, "credit.activate", "", {{"credit", "MC-9"}}, Day("2026-12-01"));
  EXPECT_EQ(VerdictOf(decision, kWindowRule), Verdict::kAllow);
  EXPECT_EQ(FactValue(decision, kWindowRule, "last_day"), "2027-03-01");
  EXPECT_EQ(FactValue(decision, kWindowRule, "days_left"), "90");
  EXPECT_EQ(VerdictOf(Decide(state, "credit.activate", "", {{"credit", "MC-9"}}, Day("2027-03-02")),
                      kWindowRule),
            Verdict::kDeny);
}

TEST(ActivationWindowTest, ActivatedCreditIsNotThisRulesConcern) {
  StateBuilder builder;
  builder.AddUser("bob", "bob@northwind.de").AddCredit("MC-1", "monthly", {"bob"});
  Decision decision =
      Decide(builder.Build(), "credit.activate", "alice", {{"credit", "MC-1"}}, Day("2027-06-01"));
  EXPECT_EQ(Said(decision, kWindowRule), nullptr);
  EXPECT_TRUE(IsSilent(decision, kWindowRule));
  EXPECT_TRUE(Check(builder.Build(), kWindowRule, Day("2027-06-01")).empty());
}

TEST(ActivationWindowTest, CheckWarnsOnceTheWindowHasPassed) {
  StateBuilder builder = AwardedOn("2027-12-01");
  EXPECT_TRUE(Check(builder.Build(), kWindowRule, Day("2028-02-29")).empty());
  std::vector<Finding> found = Check(builder.Build(), kWindowRule, Day("2028-03-01"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kWarning);
  EXPECT_EQ(found[0].entity_id, "MC-9");
  EXPECT_EQ(found[0].line, builder.LineOf("/credits/0"));
  EXPECT_EQ(found[0].message,
            "credit MC-9, awarded on 2027-12-01, was not activated within 90 days (by 2028-02-29); "
            "it generally cannot be activated any more");
}

TEST(ActivationWindowTest, AlertOnTheLastDayWithinTheHorizon) {
  PartnerState state = AwardedOn("2027-12-01").Build();
  std::vector<Alert> alerts = AlertsOf(state, kWindowRule, Day("2028-02-01"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2028-02-29");
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].entity_id, "MC-9");
  EXPECT_EQ(alerts[0].message,
            "credit MC-9, awarded on 2027-12-01, has not been activated; 2028-02-29 is the last of "
            "its 90 days to activate, after which it generally cannot be activated");
  EXPECT_EQ(alerts[0].remedy, "its assigned user bob@northwind.de activates MC-9 by 2028-02-29");

  // The last day itself is still an alert; past it, or beyond the horizon, there is none.
  EXPECT_EQ(AlertsOf(state, kWindowRule, Day("2028-02-29"), 0).size(), 1u);
  EXPECT_TRUE(AlertsOf(state, kWindowRule, Day("2028-03-01"), 30).empty());
  EXPECT_TRUE(AlertsOf(state, kWindowRule, Day("2028-01-29"), 30).empty());
}

// ---------------------------------------------------------------------------------------------
// benefits.provisioning-delay (seed 001, "Why can't I access my benefits?")

// Package P2 bought on `purchased_on` (membership paid by `payment`), with credit MC-P and
// keyless benefit B-P in it.
StateBuilder PurchasedOn(const std::string& purchased_on, const std::string& payment = "card") {
  StateBuilder builder;
  builder.Partner()["membership"]["payment"] = payment;
  json package;
  package["id"] = "P2";
  package["name"] = "Solutions Partner for Azure";
  package["membership_offer"] = "Solutions Partner for Azure";
  package["purchased_on"] = purchased_on;
  builder.Add("benefit_packages", package);
  builder.AddUser("bob", "bob@northwind.de");
  builder.AddCredit("MC-P", "monthly", {});
  builder.Last("credits")["package"] = "P2";
  builder.Last("credits")["awarded_on"] = purchased_on;
  builder.AddBenefit("B-P", "keyless");
  builder.Last("cloud_benefits")["package"] = "P2";
  return builder;
}

TEST(ProvisioningDelayTest, JanuaryThirtyFirstPlusFourDaysIsFebruaryFourth) {
  PartnerState state = PurchasedOn("2026-01-31").Build();
  Decision early = Decide(state, "credit.assign", "alice", {{"credit", "MC-P"}, {"user", "bob"}},
                          Day("2026-02-03"));
  EXPECT_FALSE(early.allowed);
  const RuleDecision* said = Said(early, kDelayRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_EQ(said->message,
            "benefit package P2 was bought by card on 2026-01-31; its benefits, credit MC-P among "
            "them, are provisioned 4 days after the purchase, on 2026-02-04");
  EXPECT_EQ(said->remedy,
            "wait until 2026-02-04, when the card payment is confirmed and MC-P appears in the "
            "Benefits workspace");

  Decision ready = Decide(state, "credit.assign", "alice", {{"credit", "MC-P"}, {"user", "bob"}},
                          Day("2026-02-04"));
  EXPECT_EQ(VerdictOf(ready, kDelayRule), Verdict::kAllow);
  EXPECT_EQ(FactValue(ready, kDelayRule, "available_on"), "2026-02-04");
}

TEST(ProvisioningDelayTest, PurchaseDayItselfAndLeapFebruary) {
  PartnerState state = PurchasedOn("2028-02-27").Build();
  for (const char* day : {"2028-02-27", "2028-02-29", "2028-03-01"}) {
    SCOPED_TRACE(day);
    Decision decision = Decide(state, "credit.activate", "alice", {{"credit", "MC-P"}}, Day(day));
    EXPECT_EQ(VerdictOf(decision, kDelayRule), Verdict::kDeny);
    EXPECT_TRUE(Contains(Said(decision, kDelayRule)->message, "on 2028-03-02"));
  }
  Decision ready =
      Decide(state, "credit.activate", "alice", {{"credit", "MC-P"}}, Day("2028-03-02"));
  EXPECT_EQ(VerdictOf(ready, kDelayRule), Verdict::kAllow);
}

TEST(ProvisioningDelayTest, CloudBenefitRedemptionWaitsToo) {
  PartnerState state = PurchasedOn("2026-01-31").Build();
  Decision decision =
      Decide(state, "benefit.redeem", "alice", {{"benefit", "B-P"}}, Day("2026-02-01"));
  const RuleDecision* said = Said(decision, kDelayRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said->message, "benefit B-P among them"));
}

TEST(ProvisioningDelayTest, OpenUserAndActorDoNotChangeTheAnswer) {
  PartnerState state = PurchasedOn("2026-01-31").Build();
  Decision decision = Decide(state, "credit.assign", "", {{"credit", "MC-P"}}, Day("2026-02-03"));
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(VerdictOf(decision, kDelayRule), Verdict::kDeny);
}

TEST(ProvisioningDelayTest, InvoicePaymentHasNoDelay) {
  PartnerState state = PurchasedOn("2026-01-31", "invoice").Build();
  Decision decision = Decide(state, "credit.assign", "alice", {{"credit", "MC-P"}, {"user", "bob"}},
                             Day("2026-01-31"));
  EXPECT_EQ(Said(decision, kDelayRule), nullptr);
  EXPECT_TRUE(IsSilent(decision, kDelayRule));
  EXPECT_TRUE(AlertsOf(state, kDelayRule, Day("2026-01-31"), 30).empty());
}

TEST(ProvisioningDelayTest, InfoAlertOnTheDayBenefitsAppear) {
  PartnerState state = PurchasedOn("2026-01-31").Build();
  std::vector<Alert> alerts = AlertsOf(state, kDelayRule, Day("2026-01-31"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].entity_id, "P2");
  EXPECT_EQ(alerts[0].severity, Severity::kInfo);
  EXPECT_EQ(FormatDate(alerts[0].on), "2026-02-04");
  EXPECT_EQ(
      alerts[0].message,
      "the benefits of package P2, bought by card on 2026-01-31, become available on 2026-02-04");
  // Horizon ending the day before, or the benefits already there: no alert.
  EXPECT_TRUE(AlertsOf(state, kDelayRule, Day("2026-01-31"), 3).empty());
  EXPECT_TRUE(AlertsOf(state, kDelayRule, Day("2026-02-04"), 30).empty());
}

}  // namespace
}  // namespace partnerpolicy
