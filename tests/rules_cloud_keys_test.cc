// The product-key and modernized-subscription rules of seed 002: modernized subscriptions end with
// the membership and cannot be extended (cloud.modernized-no-extension), which redemption model an
// offer uses (cloud.redemption-model), a product key redeems once and gives 12 months
// (cloud.key-single-use), and added licenses average the time left
// (subscriptions.license-averaging), with the document's formula checked on exact numbers.
//
// States are built in memory (StateBuilder): tenant T1, billing account BA-1, package P1 bought
// 2026-01-10, membership ending 2027-01-14, partner admin alice; the default date is 2026-11-23.
#include <gtest/gtest.h>

#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: the rule-test vocabulary (StateBuilder, Decide, Said, ...)

constexpr char kModernizedRule[] = "cloud.modernized-no-extension";
constexpr char kModelRule[] = "cloud.redemption-model";
constexpr char kKeyRule[] = "cloud.key-single-use";
constexpr char kAveragingRule[] = "subscriptions.license-averaging";
constexpr char kLapsedRule[] = "subscriptions.lapsed-reactivation";

Date Day(const char* text) { return *ParseDate(text); }

json Redemption(const std::string& key, int64_t licenses, const std::string& use,
                int64_t active_before, const std::string& on) {
  json r;
  r["key"] = key;
  r["licenses"] = licenses;
  r["use"] = use;
  r["active_licenses_before"] = active_before;
  r["on"] = on;
  return r;
}

json ProductKey(const std::string& key, int64_t licenses, const std::string& redeemed_on = "") {
  json k;
  k["key"] = key;
  k["licenses"] = licenses;
  if (!redeemed_on.empty()) k["redeemed_on"] = redeemed_on;
  return k;
}

std::string FactValue(const RuleDecision& said, const std::string& name) {
  const Fact* fact = FactOf(said, name);
  return fact == nullptr ? "<no fact " + name + ">" : fact->value;
}

// ---------------------------------------------------------------------------------------------
// cloud.modernized-no-extension (seed 002, "Will I be able to extend my subscription going
// forward?")

TEST(ModernizedNoExtensionTest, ExtendIsDeniedWhateverTheKey) {
  StateBuilder builder;
  builder.AddSubscription("S-M", 25, "2027-01-14", "modernized");
  PartnerState state = builder.Build();
  // Concrete keys (even 0 and negative) and the open form all give the same denial.
  for (const char* key : {"25", "1", "0", "-3", ""}) {
    SCOPED_TRACE(key);
    Arguments arguments = {{"subscription", "S-M"}};
    if (*key != '\0') arguments.emplace_back("key-licenses", key);
    Decision decision = Decide(state, "subscription.extend", "", arguments);
    EXPECT_FALSE(decision.allowed);
    const RuleDecision* said = Said(decision, kModernizedRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kDeny);
    EXPECT_EQ(said->message,
              "subscription S-M (Microsoft 365 Business Standard) was redeemed through the "
              "modernized $0 checkout, so it cannot be extended manually; it ends on 2027-01-14, "
              "with the membership");
    EXPECT_EQ(said->remedy,
              "renew the membership (Microsoft AI Cloud Partner Program Action Pack) before "
              "2027-01-14; the subscription then runs to the new membership end date, or buy a "
              "paid subscription of the product");
    EXPECT_EQ(FactValue(*said, "current_end_date"), "2027-01-14");
    // The key-size rule leaves modernized subscriptions alone.
    EXPECT_TRUE(IsSilent(decision, "subscriptions.extension-limit"));
  }
}

TEST(ModernizedNoExtensionTest, SilentOnProductKeySubscriptions) {
  StateBuilder builder;
  builder.AddSubscription("S-K", 100, "2026-12-01");
  Decision decision = Decide(builder.Build(), "subscription.extend", "alice",
                             {{"subscription", "S-K"}, {"key-licenses", "25"}});
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(Said(decision, kModernizedRule), nullptr);
  EXPECT_TRUE(IsSilent(decision, kModernizedRule));
}

TEST(ModernizedNoExtensionTest, RenewingCarriesModernizedSubscriptionsForward) {
  StateBuilder builder;
  builder.AddSubscription("S-M", 25, "2027-01-14", "modernized");
  builder.AddSubscription("S-OLD", 25, "2026-01-14", "modernized", "expired");
  builder.AddSubscription("S-K", 10, "2026-12-01");
  Decision decision = Decide(builder.Build(), "membership.renew", "", {});
  const RuleDecision* said = Said(decision, kModernizedRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message,
            "renewing the membership carries the modernized subscription S-M forward: it ends "
            "with the membership, now on 2027-01-14, and then runs to the new membership end");
  EXPECT_EQ(FactValue(*said, "modernized_subscriptions"), "1");

  // Contoso: four active modernized subscriptions (S-PROJ's recorded end is wrong, but it is
  // carried forward all the same); S-EXP is an expired product-key one.
  Decision example = Decide(Example(), "membership.renew", "alice", {});
  ASSERT_NE(Said(example, kModernizedRule), nullptr);
  EXPECT_EQ(Said(example, kModernizedRule)->message,
            "renewing the membership carries the modernized subscriptions S-E3M, S-D365, S-TEAMS, "
            "S-PROJ forward: they end with the membership, now on 2027-02-28, and then run to the "
            "new membership end");
  EXPECT_EQ(FactValue(*Said(example, kModernizedRule), "modernized_subscriptions"), "4");

  StateBuilder none;
  none.AddSubscription("S-K", 10, "2026-12-01");
  EXPECT_TRUE(IsSilent(Decide(none.Build(), "membership.renew", "", {}), kModernizedRule));
}

TEST(ModernizedNoExtensionTest, CheckEndMustBeTheMembershipEnd) {
  StateBuilder builder;
  builder.AddSubscription("S-OK", 25, "2027-01-14", "modernized");
  builder.AddSubscription("S-LATE", 25, "2027-02-14", "modernized");
  // An expired one ended with an earlier membership: not a breach.
  builder.AddSubscription("S-GONE", 25, "2026-01-14", "modernized", "expired");
  // Product-key subscriptions end on their own date.
  builder.AddSubscription("S-KEY", 10, "2026-12-01");
  std::vector<Finding> found = Check(builder.Build(), kModernizedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-LATE");
  EXPECT_EQ(found[0].pointer, "/subscriptions/1");
  EXPECT_EQ(found[0].line, builder.LineOf("/subscriptions/1"));
  EXPECT_EQ(found[0].column, 5);
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].message,
            "modernized subscription S-LATE (Microsoft 365 Business Standard, 25 licenses) ends "
            "on 2027-02-14, but a modernized subscription ends with the membership, on 2027-01-14");
  EXPECT_TRUE(Contains(found[0].remedy, "correct the recorded end date of S-LATE to 2027-01-14"));
}

TEST(ModernizedNoExtensionTest, CheckRecordedKeyExtension) {
  StateBuilder builder;
  builder.AddSubscription("S-M", 25, "2027-01-14", "modernized");
  builder.Last("subscriptions")["key_redemptions"] =
      json::array({Redemption("MODX1-MODX2-MODX3-MODX4-MODX5", 25, "extend", 25, "2026-03-01")});
  std::vector<Finding> found = Check(builder.Build(), kModernizedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-M");
  EXPECT_EQ(found[0].message,
            "modernized subscription S-M records an extension with product key "
            "MODX1-MODX2-MODX3-MODX4-MODX5 on 2026-03-01; modernized subscriptions cannot be "
            "extended manually");
}

TEST(ModernizedNoExtensionTest, AlertWhenTheMembershipEndIsWithinTheHorizon) {
  StateBuilder builder;
  builder.AddSubscription("S-M", 25, "2027-01-14", "modernized");
  builder.AddSubscription("S-OLD", 25, "2026-12-20", "modernized", "expired");
  PartnerState state = builder.Build();
  // 2026-11-23 + 30 days: the end (2027-01-14) is past the horizon.
  EXPECT_TRUE(AlertsOf(state, kModernizedRule).empty());
  // From 2026-12-15, 30 days reach 2027-01-14 exactly.
  std::vector<Alert> alerts = AlertsOf(state, kModernizedRule, Day("2026-12-15"), 30);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].entity_id, "S-M");
  EXPECT_EQ(alerts[0].on, Day("2027-01-14"));
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].message,
            "modernized subscription S-M (Microsoft 365 Business Standard, 25 licenses) ends on "
            "2027-01-14 with the membership (Microsoft AI Cloud Partner Program Action Pack) and "
            "cannot be extended with a key");
  EXPECT_TRUE(Contains(alerts[0].remedy, "renew the membership"));
  // One day short of the end: still nothing.
  EXPECT_TRUE(AlertsOf(state, kModernizedRule, Day("2026-12-14"), 30).empty());
  // The end day itself is still an alert; the day after, it has lapsed (a state matter).
  EXPECT_EQ(AlertsOf(state, kModernizedRule, Day("2027-01-14"), 30).size(), 1u);
  EXPECT_TRUE(AlertsOf(state, kModernizedRule, Day("2027-01-15"), 30).empty());
}

TEST(ModernizedNoExtensionTest, ExampleModernizedSubscriptionsAreDenied) {
  Decision decision = Decide(Example(), "subscription.extend", "alice",
                             {{"subscription", "S-E3M"}, {"key-licenses", "25"}});
  EXPECT_FALSE(decision.allowed);
  ASSERT_NE(Said(decision, kModernizedRule), nullptr);
  EXPECT_TRUE(Contains(Said(decision, kModernizedRule)->message, "it ends on 2027-02-28"));
  // S-E3M, S-D365 and S-TEAMS end with the membership; S-PROJ is recorded past it.
  std::vector<Finding> found = Check(Example(), kModernizedRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-PROJ");
  EXPECT_EQ(found[0].message,
            "modernized subscription S-PROJ (Project Plan 3, 10 licenses) ends on 2027-06-30, but "
            "a modernized subscription ends with the membership, on 2027-02-28");
}

// ---------------------------------------------------------------------------------------------
// cloud.redemption-model (seed 002, "Will the current cloud benefits that I have also be
// modernized?")

// Benefit B-1 of package P1 (bought 2026-01-10) with the given model and go-live date.
PartnerState ModelState(const std::string& redemption, const std::string& since) {
  StateBuilder builder;
  if (!since.empty()) builder.Partner()["modernized_redemption_since"] = since;
  builder.AddBenefit("B-1", redemption, redemption == "keyless" ? "BA-1" : "");
  if (redemption == "product_key") {
    builder.Last("cloud_benefits")["product_keys"] =
        json::array({ProductKey("AAAA1-BBBB2-CCCC3-DDDD4-EEEE5", 25)});
  }
  return builder.Build();
}

TEST(RedemptionModelTest, BoughtOnTheGoLiveDayIsKeyless) {
  // Package bought 2026-01-10: keyless when go-live is that day or earlier.
  for (const char* since : {"2026-01-10", "2025-09-01"}) {
    SCOPED_TRACE(since);
    Decision decision =
        Decide(ModelState("keyless", since), "benefit.redeem", "alice", {{"benefit", "B-1"}});
    const RuleDecision* said = Said(decision, kModelRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kAllow);
    EXPECT_EQ(FactValue(*said, "redemption_model"), "keyless");
    EXPECT_EQ(FactValue(*said, "package_purchased_on"), "2026-01-10");
    EXPECT_EQ(FactValue(*said, "modernized_redemption_since"), since);
  }
  Decision decision =
      Decide(ModelState("keyless", "2026-01-10"), "benefit.redeem", "alice", {{"benefit", "B-1"}});
  EXPECT_EQ(Said(decision, kModelRule)->message,
            "cloud benefit B-1 (Microsoft 365 E3) is redeemed keyless, through the $0 checkout "
            "started from Partner Center: its offer (package P1, Solutions Partner for Azure) was "
            "bought on 2026-01-10, on or after 2026-01-10, when the modernized redemption went "
            "live in DE");
}

TEST(RedemptionModelTest, BoughtTheDayBeforeGoLiveKeepsProductKeys) {
  Decision keys = Decide(ModelState("product_key", "2026-01-11"), "benefit.redeem", "alice",
                         {{"benefit", "B-1"}});
  const RuleDecision* said = Said(keys, kModelRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(FactValue(*said, "redemption_model"), "product_key");
  EXPECT_TRUE(Contains(said->message,
                       "before the modernized redemption went live in DE on "
                       "2026-01-11"));

  // Recorded keyless although older than go-live: the check warns (below); the redemption is
  // not refused, since Partner Center offers whichever model applies.
  Decision keyless =
      Decide(ModelState("keyless", "2026-01-11"), "benefit.redeem", "alice", {{"benefit", "B-1"}});
  EXPECT_TRUE(IsSilent(keyless, kModelRule));
}

TEST(RedemptionModelTest, ProductKeyAfterGoLiveIsDeniedForAnyActorAndTenant) {
  PartnerState state = ModelState("product_key", "2025-09-01");
  for (const char* actor : {"alice", ""}) {
    SCOPED_TRACE(actor);
    Decision decision = Decide(state, "benefit.redeem", actor, {{"benefit", "B-1"}});
    EXPECT_FALSE(decision.allowed);
    const RuleDecision* said = Said(decision, kModelRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kDeny);
    EXPECT_EQ(said->message,
              "cloud benefit B-1 (Microsoft 365 E3) is recorded for redemption with its 5x5 "
              "product keys, but its offer (package P1, Solutions Partner for Azure) was bought "
              "on 2026-01-10, on or after 2025-09-01, when the modernized redemption went live "
              "in DE, so it is redeemed keyless, through the $0 checkout started from Partner "
              "Center");
    EXPECT_TRUE(Contains(said->remedy, "redeem B-1 with the Redeem action in Partner Center"));
  }
}

TEST(RedemptionModelTest, NoGoLiveDateMeansProductKeys) {
  Decision keys =
      Decide(ModelState("product_key", ""), "benefit.redeem", "alice", {{"benefit", "B-1"}});
  ASSERT_NE(Said(keys, kModelRule), nullptr);
  EXPECT_EQ(Said(keys, kModelRule)->verdict, Verdict::kAllow);
  EXPECT_EQ(FactValue(*Said(keys, kModelRule), "modernized_redemption_since"), "not live");
  EXPECT_TRUE(Contains(Said(keys, kModelRule)->message,
                       "the modernized redemption has not gone live in DE yet"));
  EXPECT_TRUE(Check(ModelState("product_key", ""), kModelRule).empty());
  // A keyless benefit without a recorded go-live date: the date is missing, not judged.
  Decision keyless =
      Decide(ModelState("keyless", ""), "benefit.redeem", "alice", {{"benefit", "B-1"}});
  EXPECT_TRUE(IsSilent(keyless, kModelRule));
  EXPECT_TRUE(Check(ModelState("keyless", ""), kModelRule).empty());
}

TEST(RedemptionModelTest, CheckReportsBothDirectionsWithTheirSeverities) {
  std::vector<Finding> after = Check(ModelState("product_key", "2026-01-10"), kModelRule);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].entity_id, "B-1");
  EXPECT_EQ(after[0].severity, Severity::kError);
  EXPECT_TRUE(Contains(after[0].message, "so it is redeemed keyless"));

  std::vector<Finding> before = Check(ModelState("keyless", "2026-01-11"), kModelRule);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].severity, Severity::kWarning);
  EXPECT_EQ(before[0].message,
            "cloud benefit B-1 (Microsoft 365 E3) is recorded for redemption keyless, through "
            "the $0 checkout started from Partner Center, but its offer (package P1, Solutions "
            "Partner for Azure) was bought on 2026-01-10, before the modernized redemption went "
            "live in DE on 2026-01-11, so it is redeemed with its 5x5 product keys");

  EXPECT_TRUE(Check(ModelState("keyless", "2026-01-10"), kModelRule).empty());
  EXPECT_TRUE(Check(ModelState("product_key", "2026-01-11"), kModelRule).empty());
}

TEST(RedemptionModelTest, ExampleMatchesTheGoLive) {
  // Contoso: go-live 2025-09-01; PKG-MW (2026-02-20) is keyless, PKG-MAP (2025-05-20) has keys.
  // B-LEGACY of PKG-MW is recorded with product keys: the one mismatch.
  std::vector<Finding> found = Check(Example(), kModelRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "B-LEGACY");
  EXPECT_TRUE(Contains(found[0].message,
                       "cloud benefit B-LEGACY (Power Apps Premium) is recorded for redemption "
                       "with its 5x5 product keys, but its offer (package PKG-MW, Solutions "
                       "Partner for Modern Work) was bought on 2026-02-20, on or after "
                       "2025-09-01"));
  Decision decision = Decide(Example(), "benefit.redeem", "alice", {{"benefit", "B-PBI"}});
  ASSERT_NE(Said(decision, kModelRule), nullptr);
  EXPECT_EQ(FactValue(*Said(decision, kModelRule), "redemption_model"), "product_key");
}

// ---------------------------------------------------------------------------------------------
// cloud.key-single-use (seed 002, "Activate a cloud subscription or cloud benefits")

constexpr char kKey1[] = "KEYA1-KEYB2-KEYC3-KEYD4-KEYE5";
constexpr char kKey2[] = "KEYX1-KEYX2-KEYX3-KEYX4-KEYX5";

// Product-key benefit B-K with `keys`, redeemed into subscription S-K (10 active, ends
// 2026-12-10) whose history is the activation with kKey1 on 2025-12-10.
StateBuilder KeyState(json keys) {
  StateBuilder builder;
  builder.AddSubscription("S-K", 10, "2026-12-10");
  builder.Last("subscriptions")["benefit"] = "B-K";
  builder.Last("subscriptions")["key_redemptions"] =
      json::array({Redemption(kKey1, 10, "activate", 0, "2025-12-10")});
  builder.AddBenefit("B-K", "product_key", "");
  json& benefit = builder.Last("cloud_benefits");
  benefit["product_keys"] = std::move(keys);
  benefit["status"] = "redeemed";
  benefit["redeemed_on"] = "2025-12-10";
  benefit["tenant"] = "T1";
  benefit["subscription"] = "S-K";
  return builder;
}

TEST(KeySingleUseTest, SameRedemptionOnBenefitAndSubscriptionCountsOnce) {
  StateBuilder builder = KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10")}));
  EXPECT_TRUE(Check(builder.Build(), kKeyRule).empty());
}

TEST(KeySingleUseTest, KeyRedeemedOnTwoSubscriptions) {
  StateBuilder builder = KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10")}));
  builder.AddSubscription("S-2", 10, "2027-03-01");
  builder.Last("subscriptions")["key_redemptions"] =
      json::array({Redemption(kKey1, 10, "activate", 0, "2026-03-01")});
  std::vector<Finding> found = Check(builder.Build(), kKeyRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-2");  // the second redemption is the breach
  EXPECT_EQ(found[0].pointer, "/subscriptions/1");
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].message,
            std::string("product key ") + kKey1 +
                " was redeemed 2 times (on 2025-12-10 for subscription S-K (activate), on "
                "2026-03-01 for subscription S-2 (activate)); a product key can be redeemed only "
                "once");
  EXPECT_TRUE(Contains(found[0].remedy, "after the first redemption on 2025-12-10"));
}

TEST(KeySingleUseTest, KeyRedeemedTwiceOnTheSameSubscription) {
  StateBuilder builder = KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10")}));
  builder.Last("subscriptions")["key_redemptions"].push_back(
      Redemption(kKey1, 10, "extend", 10, "2026-06-10"));
  std::vector<Finding> found = Check(builder.Build(), kKeyRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-K");
  EXPECT_TRUE(Contains(found[0].message, "on 2026-06-10 for subscription S-K (extend)"));
}

TEST(KeySingleUseTest, BenefitKeyRedeemedOnAnotherDayThanRecorded) {
  // The benefit says kKey1 was redeemed 2026-02-01; the subscription used it 2025-12-10.
  StateBuilder builder = KeyState(json::array({ProductKey(kKey1, 10, "2026-02-01")}));
  std::vector<Finding> found = Check(builder.Build(), kKeyRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "B-K");
  EXPECT_TRUE(Contains(found[0].message,
                       "(on 2025-12-10 for subscription S-K (activate), on 2026-02-01 for "
                       "benefit B-K)"));
}

TEST(KeySingleUseTest, RedeemBenefitWithAllKeysUsedIsDenied) {
  PartnerState state = KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10")})).Build();
  for (const char* actor : {"alice", ""}) {  // the actor is open or given: same answer
    SCOPED_TRACE(actor);
    Decision decision = Decide(state, "benefit.redeem", actor, {{"benefit", "B-K"}});
    EXPECT_FALSE(decision.allowed);
    const RuleDecision* said = Said(decision, kKeyRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kDeny);
    EXPECT_EQ(said->message,
              "the only product key of benefit B-K (Microsoft 365 E3) was already redeemed, the "
              "last on 2025-12-10; a product key can be redeemed only once");
    EXPECT_EQ(said->remedy,
              "no key of B-K is left to redeem (subscription S-K runs until 2026-12-10): new keys "
              "come with the next benefits, after the membership (Microsoft AI Cloud Partner "
              "Program Action Pack) is renewed before it ends on 2027-01-14, or buy a paid "
              "subscription");
  }
  PartnerState two = KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10"),
                                           ProductKey(kKey2, 5, "2026-04-02")}))
                         .Build();
  Decision decision = Decide(two, "benefit.redeem", "alice", {{"benefit", "B-K"}});
  ASSERT_NE(Said(decision, kKeyRule), nullptr);
  EXPECT_TRUE(Contains(Said(decision, kKeyRule)->message,
                       "all 2 product keys of benefit B-K (Microsoft 365 E3) were already "
                       "redeemed, the last on 2026-04-02"));
}

TEST(KeySingleUseTest, RedeemBenefitWithAKeyLeftGivesTwelveMonths) {
  PartnerState state =
      KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10"), ProductKey(kKey2, 5)})).Build();
  Decision decision = Decide(state, "benefit.redeem", "alice", {{"benefit", "B-K"}});
  const RuleDecision* said = Said(decision, kKeyRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(said->message,
            "benefit B-K (Microsoft 365 E3) has 1 of 2 product keys not yet redeemed (5 "
            "licenses); each gives 12 months of service from the day it is redeemed and cannot "
            "be redeemed again");
  EXPECT_EQ(FactValue(*said, "keys_unredeemed"), "1");
  EXPECT_EQ(FactValue(*said, "licenses_unredeemed"), "5");
  EXPECT_EQ(FactValue(*said, "new_subscription_end_date"), "2027-11-23");
  // Twelve months from Feb 29 of a leap year end on Feb 28.
  Decision leap = Decide(state, "benefit.redeem", "alice", {{"benefit", "B-K"}}, Day("2028-02-29"));
  ASSERT_NE(Said(leap, kKeyRule), nullptr);
  EXPECT_EQ(FactValue(*Said(leap, kKeyRule), "new_subscription_end_date"), "2029-02-28");
}

TEST(KeySingleUseTest, SilentOnKeylessBenefitsAndBenefitsWithoutKeys) {
  StateBuilder builder;
  builder.AddBenefit("B-KL", "keyless");
  builder.AddBenefit("B-NOKEYS", "product_key", "");
  PartnerState state = builder.Build();
  for (const char* benefit : {"B-KL", "B-NOKEYS"}) {
    SCOPED_TRACE(benefit);
    Decision decision = Decide(state, "benefit.redeem", "alice", {{"benefit", benefit}});
    EXPECT_TRUE(IsSilent(decision, kKeyRule));
  }
}

TEST(KeySingleUseTest, ExtendJudgesTheKeyOfTheRequest) {
  PartnerState state =
      KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10"), ProductKey(kKey2, 5)})).Build();
  auto extend = [&](const std::string& key, const std::string& licenses) {
    Arguments arguments = {{"subscription", "S-K"}};
    if (!licenses.empty()) arguments.emplace_back("key-licenses", licenses);
    if (!key.empty()) arguments.emplace_back("key", key);
    return Decide(state, "subscription.extend", "alice", arguments);
  };
  // The key left open: a condition naming the key still unredeemed.
  Decision open = extend("", "5");
  ASSERT_NE(Said(open, kKeyRule), nullptr);
  EXPECT_EQ(Said(open, kKeyRule)->verdict, Verdict::kCondition);
  EXPECT_EQ(Said(open, kKeyRule)->message,
            std::string("the product key must be one that was never redeemed (a product key is "
                        "redeemed only once); benefit B-K still has 1 key not yet redeemed: ") +
                kKey2 + " (5 licenses)");
  // The key that activated S-K, in any spelling: denied.
  for (const std::string& used : {std::string(kKey1), std::string("keya1keyb2keyc3keyd4keye5")}) {
    SCOPED_TRACE(used);
    Decision decision = extend(used, "10");
    EXPECT_FALSE(decision.allowed);
    ASSERT_NE(Said(decision, kKeyRule), nullptr);
    EXPECT_EQ(Said(decision, kKeyRule)->verdict, Verdict::kDeny);
    EXPECT_TRUE(Contains(Said(decision, kKeyRule)->message,
                         "was already redeemed on 2025-12-10 for subscription S-K (activate)"));
  }
  // The unredeemed key, with its own licenses: allowed; with other licenses: denied.
  Decision fresh = extend(kKey2, "5");
  ASSERT_NE(Said(fresh, kKeyRule), nullptr);
  EXPECT_EQ(Said(fresh, kKeyRule)->verdict, Verdict::kAllow);
  EXPECT_EQ(FactValue(*Said(fresh, kKeyRule), "key_licenses"), "5");
  Decision wrong_count = extend(kKey2, "10");
  ASSERT_NE(Said(wrong_count, kKeyRule), nullptr);
  EXPECT_EQ(Said(wrong_count, kKeyRule)->verdict, Verdict::kDeny);
  EXPECT_EQ(Said(wrong_count, kKeyRule)->remedy,
            std::string("ask again with key-licenses=5, the licenses of key ") + kKey2);
}

TEST(KeySingleUseTest, AlertsOnProductKeySubscriptionsEndingSoon) {
  StateBuilder builder =
      KeyState(json::array({ProductKey(kKey1, 10, "2025-12-10"), ProductKey(kKey2, 5)}));
  builder.AddSubscription("S-LATER", 10, "2027-06-01");
  builder.AddSubscription("S-EXPIRED", 10, "2026-12-01", "product_key", "expired");
  builder.AddSubscription("S-M", 10, "2026-12-01", "modernized");
  builder.AddSubscription("S-EMPTY", 0, "2026-12-31");
  PartnerState state = builder.Build();
  std::vector<Alert> alerts = AlertsOf(state, kKeyRule, kAsOf, 40);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].entity_id, "S-K");
  EXPECT_EQ(alerts[0].on, Day("2026-12-10"));
  EXPECT_EQ(alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(alerts[0].message,
            "product-key subscription S-K (Microsoft 365 Business Standard, 10 licenses active) "
            "ends on 2026-12-10; its keys give 12 months each from redemption and cannot be "
            "redeemed again");
  EXPECT_EQ(alerts[0].remedy,
            "before 2026-12-10, extend S-K with a new, unredeemed product key of at most 30 "
            "licenses (a key of K licenses adds 12 x K / 10 months); benefit B-K still has 1 "
            "unredeemed key (5 licenses); after it expires it can only be reactivated with a new "
            "key");
  EXPECT_EQ(alerts[1].entity_id, "S-EMPTY");
  EXPECT_TRUE(Contains(alerts[1].remedy, "with no active licenses there is nothing to extend"));
  // Horizon of 16 days ends 2026-12-09: S-K's end is one day past it.
  EXPECT_TRUE(AlertsOf(state, kKeyRule, kAsOf, 16).empty());
  EXPECT_EQ(AlertsOf(state, kKeyRule, kAsOf, 17).size(), 1u);
}

TEST(KeySingleUseTest, ExampleIntuneKeyIsUsedUp) {
  // S-OLD records B-PBI's key PBIA1-... again after S-PBI redeemed it: the one reuse.
  std::vector<Finding> found = Check(Example(), kKeyRule);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "S-OLD");
  EXPECT_EQ(found[0].message,
            "product key PBIA1-PBIB2-PBIC3-PBID4-PBIE5 was redeemed 2 times (on 2025-06-01 for "
            "subscription S-PBI (activate), on 2025-08-01 for subscription S-OLD (add_licenses)); "
            "a product key can be redeemed only once");
  Decision decision = Decide(Example(), "benefit.redeem", "alice", {{"benefit", "B-INTUNE"}});
  EXPECT_FALSE(decision.allowed);
  ASSERT_NE(Said(decision, kKeyRule), nullptr);
  EXPECT_EQ(Said(decision, kKeyRule)->verdict, Verdict::kDeny);
  std::vector<Alert> alerts = AlertsOf(Example(), kKeyRule);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].entity_id, "S-INTUNE");
  EXPECT_EQ(alerts[0].on, Day("2026-12-01"));
}

// ---------------------------------------------------------------------------------------------
// subscriptions.license-averaging (seed 002, "Add more licenses to an existing subscription")

// Adds `licenses` (empty: left open) to a product-key subscription of `active` licenses ending
// on `end`, on `as_of`.
Decision AddLicenses(int64_t active, const std::string& end, const std::string& licenses,
                     Date as_of = kAsOf, const std::string& status = "active",
                     const std::string& model = "product_key") {
  StateBuilder builder;
  builder.AddSubscription("S-1", active, end, model, status);
  Arguments arguments = {{"subscription", "S-1"}};
  if (!licenses.empty()) arguments.emplace_back("licenses", licenses);
  return Decide(builder.Build(), "subscription.add-licenses", "", arguments, as_of);
}

struct AveragingCase {
  const char* name;
  const char* as_of;
  int64_t active;     // A
  const char* end;    // B is counted from as_of to end
  const char* added;  // C
  const char* before;
  const char* after;
  const char* new_end;
};

TEST(LicenseAveragingTest, DocumentFormulaOnExactNumbers) {
  const AveragingCase cases[] = {
      // (A x B + C x 12) / (A + C), B and the result in months from 2026-11-23.
      {"(100x6 + 20x12)/120 = 7", "2026-11-23", 100, "2027-05-23", "20", "6", "7", "2027-06-23"},
      {"(10x6 + 10x12)/20 = 9", "2026-11-23", 10, "2027-05-23", "10", "6", "9", "2027-08-23"},
      {"(5x6 + 1x12)/6 = 7", "2026-11-23", 5, "2027-05-23", "1", "6", "7", "2027-06-23"},
      {"(20x3 + 10x12)/30 = 6", "2026-11-23", 20, "2027-02-23", "10", "3", "6", "2027-05-23"},
      {"12 months left stay 12", "2026-11-23", 1, "2027-11-23", "3", "12", "12", "2027-11-23"},
      {"more than 12 months left shrink: (3x24 + 1x12)/4 = 21", "2026-11-23", 3, "2028-11-23", "1",
       "24", "21", "2028-08-23"},
      {"no active licenses: the key's 12 months", "2026-11-23", 0, "2027-01-23", "5", "2", "12",
       "2027-11-23"},
      {"half a month: (3x6 + 1x12)/4 = 7.5, half of Jun 23 - Jul 23 is 15 days", "2026-11-23", 3,
       "2027-05-23", "1", "6", "7.5", "2027-07-08"},
      {"8 of 30 days left: (100x8/30 + 20x12)/120", "2026-11-23", 100, "2026-12-01", "20", "0.27",
       "2.22", "2027-01-30"},
      // Month ends: Jan 31 + 1 month is Feb 28, so B is exactly one month.
      {"Jan 31 to Feb 28 is one month: (10x1 + 1x12)/11 = 2", "2027-01-31", 10, "2027-02-28", "1",
       "1", "2", "2027-03-31"},
      {"leap year: Jan 31 to Feb 29 is one month", "2028-01-31", 10, "2028-02-29", "1", "1", "2",
       "2028-03-31"},
      {"leap year: Aug 31 to Feb 29 is six months", "2027-08-31", 10, "2028-02-29", "10", "6", "9",
       "2028-05-31"},
      {"ends today (B = 0): (10x0 + 10x12)/20 = 6, landing on Feb 29", "2027-08-29", 10,
       "2027-08-29", "10", "0", "6", "2028-02-29"},
  };
  for (const AveragingCase& c : cases) {
    SCOPED_TRACE(c.name);
    Decision decision = AddLicenses(c.active, c.end, c.added, Day(c.as_of));
    EXPECT_TRUE(decision.allowed);
    const RuleDecision* said = Said(decision, kAveragingRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kAllow);
    EXPECT_EQ(FactValue(*said, "months_left_before"), c.before);
    EXPECT_EQ(FactValue(*said, "months_left_after"), c.after);
    EXPECT_EQ(FactValue(*said, "new_end_date"), c.new_end);
    EXPECT_EQ(FactValue(*said, "licenses_after"), std::to_string(c.active + std::stoll(c.added)));
  }
}

TEST(LicenseAveragingTest, AllowMessageShowsTheArithmetic) {
  Decision decision = AddLicenses(100, "2027-05-23", "20");
  const RuleDecision* said = Said(decision, kAveragingRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->message,
            "adding 20 licenses to subscription S-1 (100 licenses active, 6 months left until "
            "2027-05-23) leaves all 120 licenses (100 x 6 + 20 x 12) / 120 = 7 months, until "
            "2027-06-23; no time is added or lost");
  ASSERT_NE(FactOf(*said, "months_left_after"), nullptr);
  EXPECT_TRUE(FactOf(*said, "months_left_after")->numeric);
  EXPECT_FALSE(FactOf(*said, "new_end_date")->numeric);
}

TEST(LicenseAveragingTest, ZeroOrNegativeLicensesAreDenied) {
  for (const char* added : {"0", "-5"}) {
    SCOPED_TRACE(added);
    Decision decision = AddLicenses(100, "2027-05-23", added);
    EXPECT_FALSE(decision.allowed);
    const RuleDecision* said = Said(decision, kAveragingRule);
    ASSERT_NE(said, nullptr);
    EXPECT_EQ(said->verdict, Verdict::kDeny);
    EXPECT_EQ(said->message, std::string(added) +
                                 " licenses cannot be added to subscription S-1: the number of "
                                 "licenses added must be at least 1");
  }
}

TEST(LicenseAveragingTest, HugeLicenseCountDoesNotWrapAround) {
  // C x 12 would overflow 64-bit integers near 2^63; the time left tends to 12 months.
  Decision decision = AddLicenses(100, "2027-05-23", "1000000000000");
  const RuleDecision* said = Said(decision, kAveragingRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kAllow);
  EXPECT_EQ(FactValue(*said, "months_left_after"), "12");
  EXPECT_EQ(FactValue(*said, "new_end_date"), "2027-11-23");
  EXPECT_EQ(FactValue(*said, "licenses_after"), "1000000000100");
  Decision biggest = AddLicenses(100, "2027-05-23", "9223372036854775807");
  ASSERT_NE(Said(biggest, kAveragingRule), nullptr);
  EXPECT_EQ(FactValue(*Said(biggest, kAveragingRule), "new_end_date"), "2027-11-23");
}

TEST(LicenseAveragingTest, OpenLicenseCountIsACondition) {
  Decision decision = AddLicenses(100, "2027-05-23", "");
  EXPECT_TRUE(decision.allowed);
  const RuleDecision* said = Said(decision, kAveragingRule);
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->verdict, Verdict::kCondition);
  EXPECT_EQ(said->message,
            "the number of licenses added (C) must be at least 1; all licenses of subscription "
            "S-1 then share (100 x 6 + C x 12) / (100 + C) months from today, instead of the 6 "
            "months left now (until 2027-05-23): the time left is averaged toward 12 months, none "
            "is added or lost");
  EXPECT_EQ(FactValue(*said, "months_left_before"), "6");
  EXPECT_EQ(FactValue(*said, "licenses_before"), "100");
}

// No time is left to average on a disabled, expired or lapsed subscription: this rule has no say,
// and subscriptions.lapsed-reactivation denies with the activation flow.
TEST(LicenseAveragingTest, DisabledExpiredOrLapsedSubscriptionsUseTheActivationFlow) {
  for (const char* status : {"disabled", "expired"}) {
    for (const char* added : {"5", ""}) {  // denied for every count, so also when left open
      SCOPED_TRACE(std::string(status) + " C=" + added);
      Decision decision = AddLicenses(10, "2026-10-01", added, kAsOf, status);
      EXPECT_FALSE(decision.allowed);
      EXPECT_TRUE(IsSilent(decision, kAveragingRule));
      const RuleDecision* said = Said(decision, kLapsedRule);
      ASSERT_NE(said, nullptr);
      EXPECT_EQ(said->verdict, Verdict::kDeny);
      EXPECT_EQ(said->message, std::string("subscription S-1 is ") + status +
                                   " (its end date is 2026-10-01); Add licenses averages the time "
                                   "a running subscription has left, and a lapsed one has none");
      EXPECT_EQ(said->remedy,
                "reactivate S-1 by redeeming a new product key at "
                "https://signup.microsoft.com/productkeystart (subscription.reactivate): it then "
                "runs 12 months from the redemption, until 2027-11-23 if redeemed today");
    }
  }
  // Still recorded active, but its end is yesterday.
  Decision lapsed = AddLicenses(10, "2026-11-22", "5");
  EXPECT_FALSE(lapsed.allowed);
  EXPECT_TRUE(IsSilent(lapsed, kAveragingRule));
  ASSERT_NE(Said(lapsed, kLapsedRule), nullptr);
  EXPECT_TRUE(Contains(Said(lapsed, kLapsedRule)->message,
                       "subscription S-1 ended on 2026-11-22, although its status still says "
                       "active"));
}

TEST(LicenseAveragingTest, SilentOnModernizedSubscriptions) {
  Decision decision = AddLicenses(25, "2027-01-14", "5", kAsOf, "active", "modernized");
  EXPECT_EQ(Said(decision, kAveragingRule), nullptr);
  EXPECT_TRUE(IsSilent(decision, kAveragingRule));
  // A modernized subscription has no keys: cloud.modernized-no-extension refuses.
  EXPECT_FALSE(decision.allowed);
  ASSERT_NE(Said(decision, kModernizedRule), nullptr);
  EXPECT_EQ(Said(decision, kModernizedRule)->verdict, Verdict::kDeny);
}

}  // namespace
}  // namespace partnerpolicy
