// Rules on using Azure credits (shared/rules-catalog.md, "Azure credits" and seed 000's
// consolidation question): credits are consumed only on the new subscription their redemption
// creates, monthly credits last 13 months from activation and lapse month by month, bulk credits
// are consumed between their start and end dates, and credits of different benefit packages do
// not share a subscription. Date edges: clamped month arithmetic from January 31st, February 29th,
// December 31st, and the first and last day of a bulk credit's window.
#include <gtest/gtest.h>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: the rule-test vocabulary (StateBuilder, Decide, Said, ...)

constexpr char kNewSubscriptionRule[] = "credits.new-subscription-only";
constexpr char kValidityRule[] = "credits.monthly.validity";
constexpr char kCarryForwardRule[] = "credits.monthly.no-carry-forward";
constexpr char kBulkWindowRule[] = "credits.bulk.window";
constexpr char kConsolidationRule[] = "credits.no-consolidation";

Date Day(const char* text) { return *ParseDate(text); }

// An Azure subscription of `type` created on `created_on`, recording `credit` when not empty.
json AzureSubscription(const std::string& id, const std::string& type,
                       const std::string& created_on, const std::string& credit = "") {
  json sub;
  sub["id"] = id;
  sub["tenant"] = "T1";
  sub["type"] = type;
  sub["created_on"] = created_on;
  if (!credit.empty()) sub["credit"] = credit;
  return sub;
}

// A second benefit package, P2, for the consolidation rule.
void AddSecondPackage(StateBuilder& builder) {
  json package;
  package["id"] = "P2";
  package["name"] = "Solutions Partner for Modern Work";
  package["membership_offer"] = "Solutions Partner for Modern Work";
  package["purchased_on"] = "2026-01-10";
  builder.Add("benefit_packages", package);
}

// The last credit added, recorded as redeemed on `azure_subscription`: a credit that records a
// subscription it is redeemed on is no longer Not Redeemed, and was activated.
void RedeemedOn(StateBuilder& builder, const std::string& azure_subscription) {
  json& credit = builder.Last("credits");
  credit["azure_subscription"] = azure_subscription;
  credit["status"] = "redeemed";
  if (!credit.contains("activated_on")) credit["activated_on"] = "2026-01-20";
}

// What `rule` said (a copy, so it outlives a temporary decision); a failure when it was silent.
RuleDecision MustSay(const Decision& decision, const std::string& rule) {
  const RuleDecision* said = Said(decision, rule);
  if (said == nullptr) {
    ADD_FAILURE() << rule << " had no say";
    return RuleDecision{};
  }
  return *said;
}

std::string FactValue(const RuleDecision& said, const std::string& name) {
  const Fact* fact = FactOf(said, name);
  return fact == nullptr ? "<no fact " + name + ">" : fact->value;
}

// ---------------------------------------------------------------------------------------------
// credits.new-subscription-only (seed 001, "Activate or redeem your Azure credits")

// MC-1 (monthly, awarded 2026-01-15) on its own sponsorship AZ-1, MC-2 on AZ-2, an old
// pay-as-you-go subscription and a sponsorship that records no credit.
StateBuilder SubscriptionState() {
  StateBuilder builder;
  builder.AddUser("bob", "bob@northwind.de");
  builder.AddCredit("MC-1", "monthly", {"bob"});
  builder.Last("credits")["azure_subscription"] = "AZ-1";
  builder.AddCredit("MC-2", "monthly", {"alice"});
  builder.Last("credits")["azure_subscription"] = "AZ-2";
  builder.AddCredit("MC-3", "monthly", {});
  builder.Add("azure_subscriptions",
              AzureSubscription("AZ-1", "sponsorship", "2026-01-20", "MC-1"));
  builder.Add("azure_subscriptions",
              AzureSubscription("AZ-2", "sponsorship", "2026-01-21", "MC-2"));
  builder.Add("azure_subscriptions", AzureSubscription("AZ-PAYG", "pay_as_you_go", "2024-01-10"));
  builder.Add("azure_subscriptions", AzureSubscription("AZ-LOOSE", "sponsorship", "2026-02-01"));
  return builder;
}

Decision Use(const PartnerState& state, const std::string& credit, const std::string& target,
             Date as_of = kAsOf) {
  Arguments arguments = {{"credit", credit}};
  if (!target.empty()) arguments.push_back({"azure-subscription", target});
  return Decide(state, "credit.use", "", arguments, as_of);
}

TEST(NewSubscriptionOnlyTest, NewSubscriptionIsAllowed) {
  PartnerState state = SubscriptionState().Build();
  Decision decision = Use(state, "MC-3", "new");
  const RuleDecision& said = MustSay(decision, kNewSubscriptionRule);
  EXPECT_EQ(said.verdict, Verdict::kAllow);
  EXPECT_EQ(said.message,
            "redeeming credit MC-3 creates a new Azure subscription, on which its credits can be "
            "consumed");
}

TEST(NewSubscriptionOnlyTest, OwnSponsorshipIsAllowedFromEitherSideOfTheLink) {
  PartnerState state = SubscriptionState().Build();
  const RuleDecision& said = MustSay(Use(state, "MC-1", "AZ-1"), kNewSubscriptionRule);
  EXPECT_EQ(said.verdict, Verdict::kAllow);
  EXPECT_EQ(said.message,
            "AZ-1 is the sponsorship created by redeeming credit MC-1, so its credits can be "
            "consumed there");

  // Only the credit records the subscription.
  StateBuilder credit_side = SubscriptionState();
  RedeemedOn(credit_side, "AZ-LOOSE");  // MC-3
  EXPECT_EQ(MustSay(Use(credit_side.Build(), "MC-3", "AZ-LOOSE"), kNewSubscriptionRule).verdict,
            Verdict::kAllow);
}

TEST(NewSubscriptionOnlyTest, PayAsYouGoIsDeniedWithTheRedemptionPath) {
  PartnerState state = SubscriptionState().Build();
  Decision decision = Use(state, "MC-3", "AZ-PAYG");
  EXPECT_FALSE(decision.allowed);
  const RuleDecision& said = MustSay(decision, kNewSubscriptionRule);
  EXPECT_EQ(said.verdict, Verdict::kDeny);
  EXPECT_EQ(said.message,
            "credit MC-3 cannot be used on AZ-PAYG: AZ-PAYG is an existing pay-as-you-go "
            "subscription, and credits can only be consumed on the new subscription their "
            "redemption creates");
  EXPECT_EQ(said.remedy,
            "redeem credit MC-3 (azure-subscription=new), which creates a new Azure subscription "
            "for it, then move the resources you want to run on the credit from AZ-PAYG to that "
            "subscription");
}

TEST(NewSubscriptionOnlyTest, AnotherCreditsSponsorshipIsDeniedNamingTheOwnOne) {
  PartnerState state = SubscriptionState().Build();
  const RuleDecision& said = MustSay(Use(state, "MC-1", "AZ-2"), kNewSubscriptionRule);
  EXPECT_EQ(said.verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(said.message, "AZ-2 is the sponsorship created by redeeming credit MC-2"));
  EXPECT_TRUE(Contains(said.remedy,
                       "use credit MC-1 on AZ-1, the sponsorship its redemption created, then move "
                       "the resources you want to run on the credit from AZ-2"));

  const RuleDecision& loose = MustSay(Use(state, "MC-1", "AZ-LOOSE"), kNewSubscriptionRule);
  EXPECT_EQ(loose.verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(loose.message,
                       "AZ-LOOSE is an existing sponsorship that redeeming credit MC-1 did not "
                       "create"));
}

TEST(NewSubscriptionOnlyTest, OpenSubscriptionIsAConditionNamingTheRefusedOnes) {
  PartnerState state = SubscriptionState().Build();
  const RuleDecision& said = MustSay(Use(state, "MC-1", ""), kNewSubscriptionRule);
  EXPECT_EQ(said.verdict, Verdict::kCondition);
  EXPECT_EQ(said.message,
            "the Azure subscription must be AZ-1 (the sponsorship its redemption created) or a new "
            "one (azure-subscription=new); credit MC-1 cannot be used on an existing subscription "
            "its redemption did not create (AZ-2, AZ-PAYG, AZ-LOOSE)");
  // Each concrete answer agrees with the condition.
  for (const char* refused : {"AZ-2", "AZ-PAYG", "AZ-LOOSE"}) {
    SCOPED_TRACE(refused);
    EXPECT_EQ(MustSay(Use(state, "MC-1", refused), kNewSubscriptionRule).verdict, Verdict::kDeny);
  }
  EXPECT_EQ(MustSay(Use(state, "MC-1", "AZ-1"), kNewSubscriptionRule).verdict, Verdict::kAllow);
  EXPECT_EQ(MustSay(Use(state, "MC-1", "new"), kNewSubscriptionRule).verdict, Verdict::kAllow);
}

TEST(NewSubscriptionOnlyTest, OpenSubscriptionIsAllowedWhenNothingWouldBeRefused) {
  StateBuilder builder;
  builder.AddCredit("MC-1", "monthly", {"alice"});
  const RuleDecision& none = MustSay(Use(builder.Build(), "MC-1", ""), kNewSubscriptionRule);
  EXPECT_EQ(none.verdict, Verdict::kAllow);
  EXPECT_EQ(none.message,
            "credit MC-1 can be consumed on the new one its redemption creates "
            "(azure-subscription=new)");

  builder.Add("azure_subscriptions",
              AzureSubscription("AZ-1", "sponsorship", "2026-02-02", "MC-1"));
  EXPECT_EQ(MustSay(Use(builder.Build(), "MC-1", ""), kNewSubscriptionRule).verdict,
            Verdict::kAllow);
}

TEST(NewSubscriptionOnlyTest, CheckFlagsCreditsOnSubscriptionsTheyDidNotCreate) {
  StateBuilder builder = SubscriptionState();
  EXPECT_TRUE(Check(builder.Build(), kNewSubscriptionRule).empty());

  // MC-3 recorded on the pay-as-you-go subscription.
  RedeemedOn(builder, "AZ-PAYG");
  std::vector<Finding> found = Check(builder.Build(), kNewSubscriptionRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "MC-3");
  EXPECT_EQ(found[0].pointer, "/credits/2");
  EXPECT_EQ(found[0].line, builder.LineOf("/credits/2"));
  EXPECT_EQ(found[0].column, 5);
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].message,
            "monthly credit MC-3 is recorded on Azure subscription AZ-PAYG, but AZ-PAYG is an "
            "existing pay-as-you-go subscription; credits can only be consumed on the new "
            "subscription their redemption creates");
  EXPECT_TRUE(Contains(found[0].remedy, "move the resources from AZ-PAYG"));
}

TEST(NewSubscriptionOnlyTest, CheckFlagsASponsorshipOfAnotherCredit) {
  StateBuilder builder = SubscriptionState();
  RedeemedOn(builder, "AZ-2");  // MC-3 on MC-2's sponsorship
  std::vector<Finding> found = Check(builder.Build(), kNewSubscriptionRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "MC-3");
  EXPECT_TRUE(
      Contains(found[0].message, "AZ-2 is the sponsorship created by redeeming credit MC-2"));
}

TEST(NewSubscriptionOnlyTest, CheckCreationBeforeTheAwardIsABreachTheAwardDayIsNot) {
  // MC-1 was awarded on 2026-01-15; its sponsorship is dated the day before, then that day.
  auto with_created = [](const std::string& created_on) {
    StateBuilder builder;
    builder.AddCredit("MC-1", "monthly", {"alice"});
    builder.Last("credits")["azure_subscription"] = "AZ-1";
    builder.Add("azure_subscriptions", AzureSubscription("AZ-1", "sponsorship", created_on));
    return builder;
  };
  std::vector<Finding> found = Check(with_created("2026-01-14").Build(), kNewSubscriptionRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(Contains(found[0].message,
                       "AZ-1 was created on 2026-01-14, before credit MC-1 was awarded on "
                       "2026-01-15, so its redemption did not create it"));
  EXPECT_TRUE(Check(with_created("2026-01-15").Build(), kNewSubscriptionRule).empty());
  // The decision agrees: the older subscription is refused, the award-day one allowed.
  EXPECT_EQ(MustSay(Use(with_created("2026-01-14").Build(), "MC-1", "AZ-1"), kNewSubscriptionRule)
                .verdict,
            Verdict::kDeny);
  EXPECT_EQ(MustSay(Use(with_created("2026-01-15").Build(), "MC-1", "AZ-1"), kNewSubscriptionRule)
                .verdict,
            Verdict::kAllow);
}

// ---------------------------------------------------------------------------------------------
// credits.monthly.validity (seed 001, "How long are monthly credits valid?")

// MC-1 (monthly, assigned to alice) activated on `activated_on`; MC-2 activated 2026-06-01.
StateBuilder ActivatedOn(const std::string& activated_on, const std::string& status = "active") {
  StateBuilder builder;
  builder.AddUser("bob", "bob@northwind.de");
  builder.AddCredit("MC-1", "monthly", {"alice"});
  builder.Last("credits")["activated_on"] = activated_on;
  // Awarded no later than activated (AddCredit awards on 2026-01-15).
  if (activated_on < "2026-01-15") builder.Last("credits")["awarded_on"] = activated_on;
  builder.Last("credits")["status"] = status;
  builder.Last("credits")["azure_subscription"] = "AZ-1";
  builder.AddCredit("MC-2", "monthly", {"alice"});
  builder.Last("credits")["activated_on"] = "2026-06-01";
  builder.Add("azure_subscriptions",
              AzureSubscription("AZ-1", "sponsorship", "2026-01-20", "MC-1"));
  return builder;
}

struct ValidityCase {
  const char* activated_on;
  const char* last_valid_day;
};

TEST(MonthlyValidityTest, LastValidDayIsTheDayBeforeThirteenMonthsClamped) {
  const ValidityCase cases[] = {
      {"2026-03-05", "2027-04-04"},
      {"2026-01-31", "2027-02-27"},  // 13 months on: 2027-02-28 (clamped), gone that day
      {"2026-01-28", "2027-02-27"},
      {"2027-01-31", "2028-02-28"},  // 13 months on: 2028-02-29 in a leap year
      {"2027-01-29", "2028-02-28"},
      {"2028-02-29", "2029-03-28"},  // activated on a leap day
      {"2025-12-01", "2026-12-31"},  // ends on New Year's Eve
  };
  for (const ValidityCase& c : cases) {
    SCOPED_TRACE(c.activated_on);
    PartnerState state = ActivatedOn(c.activated_on).Build();
    Date last = Day(c.last_valid_day);
    const RuleDecision& on_last = MustSay(Use(state, "MC-1", "", last), kValidityRule);
    EXPECT_EQ(on_last.verdict, Verdict::kAllow);
    EXPECT_EQ(FactValue(on_last, "valid_until"), c.last_valid_day);
    const RuleDecision& after = MustSay(Use(state, "MC-1", "", Date{last.days + 1}), kValidityRule);
    EXPECT_EQ(after.verdict, Verdict::kDeny);
  }
}

TEST(MonthlyValidityTest, UseAfterValidityIsDeniedWithThePayAsYouGoPath) {
  PartnerState state = ActivatedOn("2026-01-31").Build();
  Decision decision = Use(state, "MC-1", "AZ-1", Day("2027-02-28"));
  EXPECT_FALSE(decision.allowed);
  const RuleDecision& said = MustSay(decision, kValidityRule);
  EXPECT_EQ(said.verdict, Verdict::kDeny);
  EXPECT_EQ(said.message,
            "monthly credit MC-1 was activated on 2026-01-31 and was valid for 13 months, until "
            "2027-02-27; its credits are no longer available");
  EXPECT_EQ(said.remedy,
            "the credits cannot be restored: to keep the resources on Azure subscription AZ-1 "
            "running, convert it to pay-as-you-go by removing its spending limit in the Azure "
            "portal");
}

TEST(MonthlyValidityTest, UseWithinValidityIsAllowedWithTheDate) {
  PartnerState state = ActivatedOn("2026-01-31").Build();
  const RuleDecision& said = MustSay(Use(state, "MC-1", "new"), kValidityRule);
  EXPECT_EQ(said.verdict, Verdict::kAllow);
  EXPECT_EQ(said.message,
            "monthly credit MC-1 can be consumed until 2027-02-27 (13 months from activation on "
            "2026-01-31)");
}

TEST(MonthlyValidityTest, AssignAndReassignOfALapsedCreditAreDeniedEvenWhenOpen) {
  PartnerState state = ActivatedOn("2025-09-30").Build();  // valid until 2026-10-29
  for (const char* action : {"credit.assign", "credit.reassign"}) {
    SCOPED_TRACE(action);
    Decision concrete = Decide(state, action, "alice", {{"credit", "MC-1"}, {"user", "bob"}});
    const RuleDecision& said = MustSay(concrete, kValidityRule);
    EXPECT_EQ(said.verdict, Verdict::kDeny);
    EXPECT_EQ(said.message,
              "monthly credit MC-1 was activated on 2025-09-30 and was valid for 13 months, until "
              "2026-10-29; its credits are no longer available, so it cannot be given to a user");
    EXPECT_EQ(said.remedy, "assign the user to a monthly credit that is still valid, such as MC-2");
    // No user and no actor: every value is refused, so the open answer is a denial too.
    Decision open = Decide(state, action, "", {{"credit", "MC-1"}});
    EXPECT_EQ(MustSay(open, kValidityRule).verdict, Verdict::kDeny);
  }
  // Within validity the answer is an allow naming the last day.
  const RuleDecision& valid =
      MustSay(Decide(state, "credit.reassign", "", {{"credit", "MC-2"}}), kValidityRule);
  EXPECT_EQ(valid.verdict, Verdict::kAllow);
  EXPECT_EQ(FactValue(valid, "valid_until"), "2027-06-30");
}

TEST(MonthlyValidityTest, SilentOnCreditsNotActivatedAndOnBulkCredits) {
  StateBuilder builder;
  builder.AddCredit("MC-9", "monthly", {});
  builder.AddCredit("BULK-1", "bulk", {"alice"});
  PartnerState state = builder.Build();
  EXPECT_TRUE(IsSilent(Use(state, "MC-9", "new"), kValidityRule));
  EXPECT_TRUE(IsSilent(Use(state, "BULK-1", "new"), kValidityRule));
}

TEST(MonthlyValidityTest, CheckFlagsALapsedCreditStillActive) {
  StateBuilder builder = ActivatedOn("2026-01-31");
  PartnerState state = builder.Build();
  EXPECT_TRUE(Check(state, kValidityRule, Day("2027-02-27")).empty());
  std::vector<Finding> found = Check(state, kValidityRule, Day("2027-02-28"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "MC-1");
  EXPECT_EQ(found[0].line, builder.LineOf("/credits/0"));
  EXPECT_EQ(found[0].message,
            "monthly credit MC-1 was activated on 2026-01-31 and was valid for 13 months, until "
            "2027-02-27, but it is still recorded as active");
  EXPECT_EQ(found[0].remedy,
            "record credit MC-1 as expired; to keep the resources on Azure subscription AZ-1 "
            "running, convert it to pay-as-you-go by removing its spending limit in the Azure "
            "portal");

  // Recorded as expired: nothing to report.
  EXPECT_TRUE(Check(ActivatedOn("2026-01-31", "expired").Build(), kValidityRule, Day("2027-03-01"))
                  .empty());
}

TEST(MonthlyValidityTest, AlertOnTheLastValidDayWithinTheHorizon) {
  // Activated 2025-12-01: valid until New Year's Eve 2026.
  PartnerState state = ActivatedOn("2025-12-01").Build();
  std::vector<Alert> alerts = AlertsOf(state, kValidityRule, Day("2026-12-01"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].entity_id, "MC-1");
  EXPECT_EQ(FormatDate(alerts[0].on), "2026-12-31");
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].message,
            "monthly credit MC-1 (activated on 2025-12-01) is valid until 2026-12-31; from "
            "2027-01-01 its credits are no longer available");
  EXPECT_EQ(alerts[0].remedy,
            "before 2027-01-01, to keep the resources on Azure subscription AZ-1 running, convert "
            "it to pay-as-you-go by removing its spending limit in the Azure portal; the credit "
            "itself cannot be extended");
  // Beyond the horizon, and once lapsed (the check reports it then), there is no alert.
  EXPECT_TRUE(AlertsOf(state, kValidityRule, Day("2026-12-01"), 29).empty());
  EXPECT_EQ(AlertsOf(state, kValidityRule, Day("2026-12-31"), 0).size(), 1u);
  EXPECT_TRUE(AlertsOf(state, kValidityRule, Day("2027-01-01"), 30).empty());
}

TEST(MonthlyValidityTest, AlertFromJanuaryThirtyFirstFallsInFebruary) {
  PartnerState state = ActivatedOn("2027-01-31").Build();
  std::vector<Alert> alerts = AlertsOf(state, kValidityRule, Day("2028-02-01"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2028-02-28");
  EXPECT_TRUE(Contains(alerts[0].message, "from 2028-02-29 its credits are no longer available"));
}

// ---------------------------------------------------------------------------------------------
// credits.monthly.no-carry-forward (seed 001, "View your Azure credits in Partner Center")

StateBuilder WithBalance(double balance, const std::string& currency = "",
                         const std::string& status = "active") {
  StateBuilder builder;
  // A membership renewed through 2028, so that its end (credits.monthly.membership-end) cuts
  // none of the month-end alerts below short.
  builder.Partner()["membership"]["end"] = "2028-12-31";
  builder.AddCredit("MC-1", "monthly", {"alice"});
  builder.Last("credits")["balance"] = balance;
  builder.Last("credits")["status"] = status;
  if (!currency.empty()) builder.Last("credits")["currency"] = currency;
  return builder;
}

TEST(NoCarryForwardTest, AlertOnTheLastDayOfFebruaryInALeapYear) {
  StateBuilder builder = WithBalance(40);
  builder.Last("credits")["activated_on"] = "2027-06-01";  // still valid in February 2028
  PartnerState state = builder.Build();
  std::vector<Alert> alerts = AlertsOf(state, kCarryForwardRule, Day("2028-02-10"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2028-02-29");
  EXPECT_EQ(alerts[0].entity_id, "MC-1");
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].message,
            "USD 40 of monthly credit MC-1 is unconsumed this month and lapses after 2028-02-29, "
            "the last day of the month; it does not carry forward to next month");
  EXPECT_EQ(alerts[0].remedy,
            "consume it on the credit's Azure subscription by 2028-02-29 if it is needed; next "
            "month brings a fresh USD 100");
  // A year earlier February ends on the 28th.
  std::vector<Alert> common = AlertsOf(state, kCarryForwardRule, Day("2027-02-10"), 30);
  ASSERT_EQ(common.size(), 1u);
  EXPECT_EQ(FormatDate(common[0].on), "2027-02-28");
}

TEST(NoCarryForwardTest, OnDecemberThirtyFirstTheAlertIsForToday) {
  PartnerState state = WithBalance(12.5, "EUR").Build();
  std::vector<Alert> alerts = AlertsOf(state, kCarryForwardRule, Day("2026-12-31"), 0);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2026-12-31");
  EXPECT_TRUE(Contains(alerts[0].message, "EUR 12.50 of monthly credit MC-1"));
  EXPECT_TRUE(Contains(alerts[0].remedy, "a fresh EUR 100"));
}

TEST(NoCarryForwardTest, NoAlertWithoutABalanceOrWhenNotActive) {
  EXPECT_TRUE(AlertsOf(WithBalance(0).Build(), kCarryForwardRule).empty());
  EXPECT_TRUE(AlertsOf(WithBalance(40, "", "redeemed").Build(), kCarryForwardRule).empty());
  EXPECT_TRUE(AlertsOf(WithBalance(40, "", "expired").Build(), kCarryForwardRule).empty());
  StateBuilder bulk;
  bulk.AddCredit("BULK-1", "bulk", {"alice"});
  bulk.Last("credits")["balance"] = 500;
  EXPECT_TRUE(AlertsOf(bulk.Build(), kCarryForwardRule, Day("2026-11-23"), 60).empty());
}

TEST(NoCarryForwardTest, UseSaysWhatLapsesAtMonthEnd) {
  PartnerState state = WithBalance(40).Build();
  for (const char* target : {"new", ""}) {  // concrete and open subscription: same answer
    SCOPED_TRACE(target);
    const RuleDecision& said = MustSay(Use(state, "MC-1", target), kCarryForwardRule);
    EXPECT_EQ(said.verdict, Verdict::kAllow);
    EXPECT_EQ(said.message,
              "USD 40 of monthly credit MC-1 is left this month and lapses after 2026-11-30, the "
              "last day of the month");
    EXPECT_EQ(FactValue(said, "balance"), "40");
    ASSERT_NE(FactOf(said, "balance"), nullptr);
    EXPECT_TRUE(FactOf(said, "balance")->numeric);
    EXPECT_EQ(FactValue(said, "balance_lapses_on"), "2026-11-30");
  }
  EXPECT_TRUE(IsSilent(Use(WithBalance(0).Build(), "MC-1", "new"), kCarryForwardRule));
}

TEST(NoCarryForwardTest, NoMonthEndAlertOnceTheCreditHasLapsed) {
  // Valid until 2027-06-30 (activated 2026-06-01, 13 months): after that nothing lapses monthly.
  StateBuilder builder = WithBalance(40);
  builder.Last("credits")["activated_on"] = "2026-06-01";
  PartnerState state = builder.Build();
  EXPECT_TRUE(AlertsOf(state, kCarryForwardRule, Day("2027-07-10"), 30).empty());
  std::vector<Alert> last_month = AlertsOf(state, kCarryForwardRule, Day("2027-06-10"), 30);
  ASSERT_EQ(last_month.size(), 1u);
  EXPECT_TRUE(Contains(last_month[0].remedy,
                       "this is its last month: the credit itself ends after 2027-06-30"));
}

// ---------------------------------------------------------------------------------------------
// credits.bulk.window (seed 001, "View your Azure credits in Partner Center")

// BULK-1 runs 2026-01-15 .. 2027-01-10 (StateBuilder::AddCredit).
StateBuilder BulkState(double balance = 500, const std::string& status = "active") {
  StateBuilder builder;
  builder.AddCredit("BULK-1", "bulk", {"alice"});
  builder.Last("credits")["balance"] = balance;
  builder.Last("credits")["status"] = status;
  return builder;
}

TEST(BulkWindowTest, FirstAndLastDayAreIncluded) {
  PartnerState state = BulkState().Build();
  const RuleDecision& first =
      MustSay(Use(state, "BULK-1", "new", Day("2026-01-15")), kBulkWindowRule);
  EXPECT_EQ(first.verdict, Verdict::kAllow);
  EXPECT_EQ(first.message,
            "bulk credit BULK-1 can be consumed from 2026-01-15 to 2027-01-10; 361 days left "
            "including today");
  EXPECT_EQ(FactValue(first, "days_left"), "361");
  EXPECT_EQ(FactValue(first, "consumable_until"), "2027-01-10");

  const RuleDecision& last =
      MustSay(Use(state, "BULK-1", "new", Day("2027-01-10")), kBulkWindowRule);
  EXPECT_EQ(last.verdict, Verdict::kAllow);
  EXPECT_EQ(FactValue(last, "days_left"), "1");
}

TEST(BulkWindowTest, BeforeStartIsDeniedUntilTheStartDate) {
  PartnerState state = BulkState().Build();
  Decision decision = Use(state, "BULK-1", "new", Day("2026-01-14"));
  EXPECT_FALSE(decision.allowed);
  const RuleDecision& said = MustSay(decision, kBulkWindowRule);
  EXPECT_EQ(said.verdict, Verdict::kDeny);
  EXPECT_EQ(said.message,
            "bulk credit BULK-1 can be consumed from 2026-01-15 to 2027-01-10, and 2026-01-14 is "
            "before its start");
  EXPECT_EQ(said.remedy, "wait until 2026-01-15, the first day credit BULK-1 can be consumed");
}

TEST(BulkWindowTest, AfterEndIsDeniedWithTheRenewalPath) {
  PartnerState state = BulkState().Build();
  for (const char* target : {"new", ""}) {  // the open form is refused for every subscription
    SCOPED_TRACE(target);
    const RuleDecision& said =
        MustSay(Use(state, "BULK-1", target, Day("2027-01-11")), kBulkWindowRule);
    EXPECT_EQ(said.verdict, Verdict::kDeny);
    EXPECT_EQ(
        said.message,
        "bulk credit BULK-1 could be consumed from 2026-01-15 to 2027-01-10; its benefit year "
        "has ended and what was left of it is lost");
    EXPECT_EQ(said.remedy,
              "renew the membership (the current term ends on 2027-01-14) and use the bulk credit "
              "awarded for the next benefit year");
  }
}

TEST(BulkWindowTest, SilentOnMonthlyCredits) {
  StateBuilder builder;
  builder.AddCredit("MC-1", "monthly", {"alice"});
  EXPECT_TRUE(IsSilent(Use(builder.Build(), "MC-1", "new"), kBulkWindowRule));
}

TEST(BulkWindowTest, CheckFlagsAnActiveCreditPastItsEnd) {
  StateBuilder builder = BulkState();
  PartnerState state = builder.Build();
  EXPECT_TRUE(Check(state, kBulkWindowRule, Day("2027-01-10")).empty());
  std::vector<Finding> found = Check(state, kBulkWindowRule, Day("2027-01-11"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "BULK-1");
  EXPECT_EQ(found[0].pointer, "/credits/0");
  EXPECT_EQ(found[0].line, builder.LineOf("/credits/0"));
  EXPECT_EQ(found[0].message,
            "bulk credit BULK-1 could be consumed from 2026-01-15 to 2027-01-10, but it is still "
            "recorded as active");
  EXPECT_TRUE(Contains(found[0].remedy, "record credit BULK-1 as expired"));
  EXPECT_TRUE(Check(BulkState(500, "expired").Build(), kBulkWindowRule, Day("2027-01-11")).empty());
}

TEST(BulkWindowTest, AlertOnTheEndDateWhileABalanceIsLeft) {
  PartnerState state = BulkState(4200).Build();
  std::vector<Alert> alerts = AlertsOf(state, kBulkWindowRule, Day("2026-12-11"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(FormatDate(alerts[0].on), "2027-01-10");
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].message,
            "bulk credit BULK-1 can be consumed until 2027-01-10; its unconsumed USD 4200 is lost "
            "after that");
  EXPECT_EQ(alerts[0].remedy,
            "consume the balance on the credit's Azure subscription by 2027-01-10 if it is needed: "
            "it does not move to the next benefit year; renew the membership (the current term "
            "ends on 2027-01-14) and use the bulk credit awarded for the next benefit year");
  // One day short of the end, outside the horizon; on the end day itself, still an alert.
  EXPECT_TRUE(AlertsOf(state, kBulkWindowRule, Day("2026-12-10"), 30).empty());
  EXPECT_EQ(AlertsOf(state, kBulkWindowRule, Day("2027-01-10"), 0).size(), 1u);
  EXPECT_TRUE(AlertsOf(state, kBulkWindowRule, Day("2027-01-11"), 30).empty());
  // Nothing left to lose.
  EXPECT_TRUE(AlertsOf(BulkState(0).Build(), kBulkWindowRule, Day("2026-12-11"), 30).empty());
}

// ---------------------------------------------------------------------------------------------
// credits.no-consolidation (seed 000, advisory)

// MC-1 and MC-3 from P1, MC-2 from P2; AZ-1 carries MC-1; AZ-EMPTY carries nothing.
StateBuilder PackagesState() {
  StateBuilder builder;
  AddSecondPackage(builder);
  builder.AddCredit("MC-1", "monthly", {"alice"});
  builder.Last("credits")["azure_subscription"] = "AZ-1";
  builder.AddCredit("MC-2", "monthly", {"alice"});
  builder.Last("credits")["package"] = "P2";
  builder.AddCredit("MC-3", "monthly", {});
  builder.Add("azure_subscriptions",
              AzureSubscription("AZ-1", "sponsorship", "2026-01-20", "MC-1"));
  builder.Add("azure_subscriptions", AzureSubscription("AZ-EMPTY", "pay_as_you_go", "2024-01-10"));
  return builder;
}

Decision Consolidate(const PartnerState& state, const std::string& sub,
                     const std::string& credits) {
  Arguments arguments = {{"azure-subscription", sub}};
  if (!credits.empty()) arguments.push_back({"credits", credits});
  return Decide(state, "credits.consolidate", "", arguments);
}

TEST(NoConsolidationTest, TwoPackagesAreDeniedNamingThem) {
  PartnerState state = PackagesState().Build();
  Decision decision = Consolidate(state, "AZ-EMPTY", "MC-1,MC-2,MC-3");
  EXPECT_FALSE(decision.allowed);
  const RuleDecision& said = MustSay(decision, kConsolidationRule);
  EXPECT_EQ(said.verdict, Verdict::kDeny);
  EXPECT_EQ(said.message,
            "credits of benefit packages P1 (MC-1, MC-3) and P2 (MC-2) cannot be consolidated on "
            "Azure subscription AZ-EMPTY; each credit stays on its own subscription");
  EXPECT_EQ(
      said.remedy,
      "put on AZ-EMPTY only credits of package P1, leaving out MC-2; redeem each of the other "
      "credits on its own new Azure subscription (credit.use azure-subscription=new) and "
      "follow them side by side in the Partner Center Benefits workspace");
}

TEST(NoConsolidationTest, ACreditOfAnotherPackageOntoACarryingSubscriptionIsDenied) {
  PartnerState state = PackagesState().Build();
  const RuleDecision& said = MustSay(Consolidate(state, "AZ-1", "MC-2"), kConsolidationRule);
  EXPECT_EQ(said.verdict, Verdict::kDeny);
  EXPECT_EQ(said.message,
            "credits of benefit packages P1 (MC-1) and P2 (MC-2) cannot be consolidated on Azure "
            "subscription AZ-1 (AZ-1 already carries P1 (MC-1)); each credit stays on its own "
            "subscription");
  EXPECT_TRUE(Contains(said.remedy,
                       "put on AZ-1 only credits of package P1, the package of MC-1 already on "
                       "AZ-1, leaving out MC-2"));
}

TEST(NoConsolidationTest, OnePackageIsAllowed) {
  PartnerState state = PackagesState().Build();
  const RuleDecision& said = MustSay(Consolidate(state, "AZ-1", "MC-3"), kConsolidationRule);
  EXPECT_EQ(said.verdict, Verdict::kAllow);
  EXPECT_EQ(
      said.message,
      "credits MC-1, MC-3 all come from benefit package P1, so no packages are mixed on AZ-1");
  EXPECT_EQ(FactValue(said, "package"), "P1");
  EXPECT_EQ(MustSay(Consolidate(state, "AZ-EMPTY", "MC-2"), kConsolidationRule).verdict,
            Verdict::kAllow);
}

TEST(NoConsolidationTest, OpenCreditsAreAConditionOnThePackage) {
  PartnerState state = PackagesState().Build();
  const RuleDecision& carrying = MustSay(Consolidate(state, "AZ-1", ""), kConsolidationRule);
  EXPECT_EQ(carrying.verdict, Verdict::kCondition);
  EXPECT_EQ(carrying.message,
            "the credits must all come from benefit package P1, the package of MC-1 already on "
            "AZ-1; credits of different packages cannot be consolidated on one subscription");
  const RuleDecision& empty = MustSay(Consolidate(state, "AZ-EMPTY", ""), kConsolidationRule);
  EXPECT_EQ(empty.verdict, Verdict::kCondition);
  EXPECT_EQ(empty.message,
            "the credits must all come from one benefit package (the credits come from P1 (MC-1, "
            "MC-3) and P2 (MC-2)); credits of different packages cannot be consolidated on one "
            "subscription");
}

TEST(NoConsolidationTest, OpenCreditsWithOnePackageOnlyAreAllowed) {
  StateBuilder builder;
  builder.AddCredit("MC-1", "monthly", {"alice"});
  builder.AddCredit("MC-3", "monthly", {});
  builder.Add("azure_subscriptions", AzureSubscription("AZ-EMPTY", "pay_as_you_go", "2024-01-10"));
  const RuleDecision& said =
      MustSay(Consolidate(builder.Build(), "AZ-EMPTY", ""), kConsolidationRule);
  EXPECT_EQ(said.verdict, Verdict::kAllow);
}

TEST(NoConsolidationTest, ASubscriptionAlreadyMixingPackagesRefusesEverything) {
  StateBuilder builder = PackagesState();
  RedeemedOn(builder, "AZ-1");  // MC-3 (P1): same package, fine
  EXPECT_TRUE(Check(builder.Build(), kConsolidationRule).empty());

  StateBuilder mixed = PackagesState();
  mixed.Last("credits")["package"] = "P2";  // MC-3, moved to P2 and put on AZ-1
  RedeemedOn(mixed, "AZ-1");
  PartnerState state = mixed.Build();
  std::vector<Finding> found = Check(state, kConsolidationRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "AZ-1");
  EXPECT_EQ(found[0].pointer, "/azure_subscriptions/0");
  EXPECT_EQ(found[0].line, mixed.LineOf("/azure_subscriptions/0"));
  EXPECT_EQ(found[0].severity, Severity::kWarning);
  EXPECT_EQ(found[0].message,
            "Azure subscription AZ-1 carries credits of 2 benefit packages, P1 (MC-1) and P2 "
            "(MC-3); credits of different packages cannot be consolidated on one subscription");

  // Open or concrete, nothing more may go on AZ-1.
  const RuleDecision& open = MustSay(Consolidate(state, "AZ-1", ""), kConsolidationRule);
  EXPECT_EQ(open.verdict, Verdict::kDeny);
  EXPECT_TRUE(Contains(open.remedy,
                       "AZ-1 already carries credits of P1 (MC-1) and P2 (MC-3): put "
                       "no further credits on it"));
  EXPECT_EQ(MustSay(Consolidate(state, "AZ-1", "MC-1"), kConsolidationRule).verdict,
            Verdict::kDeny);
}

}  // namespace
}  // namespace partnerpolicy
