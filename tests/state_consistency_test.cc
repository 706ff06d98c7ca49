// evaluator/state_consistency.h: each check refuses the contradiction it is about, with the whole
// message naming both places, and leaves alone the states that only look alike (a partial list,
// a history that is merely unusual, a status the other field does not speak about).
#include "state_consistency.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "partnerpolicy/json_reader.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using Problems = std::vector<std::string>;

// "POINTER: MESSAGE" for each problem of a partial state (the checks read only what they need),
// after checking that each error sits at its pointer's value in t.json.
Problems Check(const std::string& json) {
  Document doc = testing::Must(ParseJson(json, "t.json"));
  Problems out;
  for (const Error& e : CheckStateConsistency(doc)) {
    NodeId at = doc.resolve(e.where.pointer);
    EXPECT_NE(at, kNoNode) << e.ToString();
    if (at != kNoNode) {
      EXPECT_EQ(e.where.line, doc.line(at)) << e.ToString();
      EXPECT_EQ(e.where.column, doc.column(at)) << e.ToString();
    }
    EXPECT_EQ(e.where.file, "t.json");
    EXPECT_EQ(e.code, ErrorCode::kInvalidInput);
    out.push_back(e.where.pointer + ": " + e.message);
  }
  return out;
}

std::string Membership(const std::string& purchased, const std::string& start,
                       const std::string& end) {
  return R"({"partner": {"membership": {"purchased_on": ")" + purchased + R"(", "start": ")" +
         start + R"(", "end": ")" + end + R"("}}})";
}

TEST(StateConsistencyTest, MembershipDatesComeInOrder) {
  EXPECT_EQ(Check(Membership("2026-01-10", "2026-01-15", "2025-12-31")),
            (Problems{"/partner/membership/start: the membership starts on 2026-01-15, but "
                      "/partner/membership/end says it ends earlier, on 2025-12-31"}));
  EXPECT_EQ(Check(Membership("2026-01-20", "2026-01-15", "2027-01-14")),
            (Problems{"/partner/membership/purchased_on: the membership was bought on 2026-01-20, "
                      "but /partner/membership/start says its year began earlier, on 2026-01-15; "
                      "a membership year cannot begin before it is bought"}));
  // Bought on its first day, or renewed ahead of the new year; a one-day year.
  EXPECT_EQ(Check(Membership("2026-01-15", "2026-01-15", "2027-01-14")), Problems{});
  EXPECT_EQ(Check(Membership("2025-12-01", "2026-01-15", "2026-01-15")), Problems{});
}

TEST(StateConsistencyTest, OnePurchaseBillingAccountAndOneAssociationPerTenant) {
  EXPECT_EQ(
      Check(R"({"billing_accounts": [
        {"id": "BA-1", "purchase_account": true, "associated_tenants": [
          {"tenant": "T-1"}, {"tenant": "T-2"}, {"tenant": "T-1"}]},
        {"id": "BA-2", "purchase_account": false, "associated_tenants": [{"tenant": "T-1"}]},
        {"id": "BA-3", "purchase_account": true, "associated_tenants": []}]})"),
      (Problems{
          "/billing_accounts/0/associated_tenants/2/tenant: billing account BA-1 associates tenant "
          "T-1 a second time, but /billing_accounts/0/associated_tenants/0/tenant says the same "
          "tenant is associated already; a tenant is associated once, with one set of flags",
          "/billing_accounts/2/purchase_account: billing account BA-3 is marked as the purchase "
          "account, but /billing_accounts/0/purchase_account says billing account BA-1 is; the "
          "membership is bought with one billing account"}));
}

TEST(StateConsistencyTest, PackageIsActivatedAfterItIsBought) {
  EXPECT_EQ(Check(R"({"benefit_packages": [
        {"id": "PKG-1", "purchased_on": "2026-01-10", "activated_on": "2026-01-05"},
        {"id": "PKG-2", "purchased_on": "2026-01-10", "activated_on": "2026-01-10"},
        {"id": "PKG-3", "purchased_on": "2026-01-10"}]})"),
            (Problems{"/benefit_packages/0/activated_on: benefit package PKG-1 was activated on "
                      "2026-01-05, but /benefit_packages/0/purchased_on says it was bought later, "
                      "on 2026-01-10"}));
}

// One credit, with `members` added to a consistent Active monthly credit.
std::string Credit(const std::string& members) {
  return R"({"credits": [{"id": "MC-1", "kind": "monthly", "amount": 100, )" + members + "}]}";
}

TEST(StateConsistencyTest, CreditDatesAndBalance) {
  EXPECT_EQ(Check(Credit(R"("status": "active", "awarded_on": "2026-01-20",
                            "activated_on": "2026-01-25", "start": "2026-03-01",
                            "end": "2026-02-01", "balance": 100, "assignments": [])")),
            (Problems{"/credits/0/start: credit MC-1 can be consumed from 2026-03-01, but "
                      "/credits/0/end says its last day is earlier, 2026-02-01"}));
  EXPECT_EQ(Check(Credit(R"("status": "active", "awarded_on": "2026-01-20",
                            "activated_on": "2026-01-25", "balance": 100.5, "assignments": [])")),
            (Problems{"/credits/0/balance: credit MC-1 has a balance of 100.5, but "
                      "/credits/0/amount says its amount is 100; the unconsumed balance cannot "
                      "exceed the amount"}));
  EXPECT_EQ(Check(Credit(R"("status": "active", "awarded_on": "2026-01-20",
                            "activated_on": "2026-01-19", "assignments": [])")),
            (Problems{"/credits/0/activated_on: credit MC-1 was activated on 2026-01-19, but "
                      "/credits/0/awarded_on says it was awarded later, on 2026-01-20"}));
  // A whole balance, activation on the day of the award, a one-day window: all consistent.
  EXPECT_EQ(Check(Credit(R"("status": "active", "awarded_on": "2026-01-20",
                            "activated_on": "2026-01-20", "start": "2026-02-01",
                            "end": "2026-02-01", "balance": 100, "assignments": [])")),
            Problems{});
}

TEST(StateConsistencyTest, CreditStatusAgreesWithItsActivation) {
  EXPECT_EQ(Check(Credit(R"("status": "not_redeemed", "awarded_on": "2026-01-20",
                            "activated_on": "2026-01-25", "assignments": [])")),
            (Problems{"/credits/0/status: credit MC-1 is not_redeemed, but "
                      "/credits/0/activated_on says it was activated on 2026-01-25"}));
  EXPECT_EQ(Check(Credit(R"("status": "not_redeemed", "awarded_on": "2026-01-20",
                            "azure_subscription": "AZ-1", "assignments": [])")),
            (Problems{"/credits/0/status: credit MC-1 is not_redeemed, but "
                      "/credits/0/azure_subscription says it is redeemed on Azure subscription "
                      "AZ-1"}));
  EXPECT_EQ(Check(Credit(R"("status": "redeemed", "awarded_on": "2026-01-20",
                            "assignments": [])")),
            (Problems{"/credits/0/status: credit MC-1 is redeemed, but /credits/0 has no "
                      "activated_on, which says it was never activated"}));
  EXPECT_EQ(Check(Credit(R"("status": "active", "awarded_on": "2026-01-20",
                            "assignments": [])")),
            (Problems{"/credits/0/status: credit MC-1 is active, but /credits/0 has no "
                      "activated_on, which says it was never activated"}));
  // Not redeemed yet with a user assigned who has not finished redeeming; expired without
  // ever being activated (its window passed).
  EXPECT_EQ(Check(Credit(R"("status": "not_redeemed", "awarded_on": "2026-01-20",
                            "assignments": [{"event": "assigned", "user": "bob",
                                             "on": "2026-01-21"}])")),
            Problems{});
  EXPECT_EQ(Check(Credit(R"("status": "expired", "awarded_on": "2026-01-20",
                            "assignments": [])")),
            Problems{});
}

std::string History(const std::string& events) {
  return Credit(R"("status": "active", "awarded_on": "2026-01-01", "activated_on": "2026-01-02",
                   "assignments": [)" +
                events + "]");
}

TEST(StateConsistencyTest, AssignmentHistoryIsOldestFirst) {
  EXPECT_EQ(Check(History(R"({"event": "assigned", "user": "alice", "on": "2026-01-02"},
                             {"event": "assigned", "user": "bob", "on": "2026-03-01"},
                             {"event": "assigned", "user": "alice", "on": "2026-02-01"})")),
            (Problems{"/credits/0/assignments/2/on: credit MC-1's history lists an event on "
                      "2026-02-01, but /credits/0/assignments/1/on says the event before it was "
                      "later, on 2026-03-01; the history is oldest first"}));
  // Two events on one day are in order.
  EXPECT_EQ(Check(History(R"({"event": "assigned", "user": "alice", "on": "2026-01-02"},
                             {"event": "removed", "user": "alice", "on": "2026-01-02"},
                             {"event": "assigned", "user": "bob", "on": "2026-01-02"})")),
            Problems{});
}

TEST(StateConsistencyTest, RemovalRemovesTheUserWhoHoldsTheCredit) {
  EXPECT_EQ(Check(History(R"({"event": "assigned", "user": "alice", "on": "2026-01-02"},
                             {"event": "removed", "user": "bob", "on": "2026-03-01"})")),
            (Problems{"/credits/0/assignments/1/user: credit MC-1's history removes bob, but "
                      "/credits/0/assignments/0 says alice holds the credit then"}));
  EXPECT_EQ(Check(History(R"({"event": "assigned", "user": "alice", "on": "2026-01-02"},
                             {"event": "removed", "user": "alice", "on": "2026-02-01"},
                             {"event": "removed", "user": "alice", "on": "2026-03-01"})")),
            (Problems{"/credits/0/assignments/2/user: credit MC-1's history removes alice, but "
                      "/credits/0/assignments/1 says nobody holds the credit then"}));
  EXPECT_EQ(Check(History(R"({"event": "removed", "user": "alice", "on": "2026-01-02"})")),
            (Problems{"/credits/0/assignments/0/user: credit MC-1's history removes alice, but "
                      "no event before it in /credits/0/assignments assigned the credit to "
                      "anyone"}));
  // A new user replaces the holder without a removal (a reassignment), the same user is
  // assigned again, and the holder is removed: all as docs/state-format.md describes.
  EXPECT_EQ(Check(History(R"({"event": "assigned", "user": "alice", "on": "2026-01-02"},
                             {"event": "assigned", "user": "bob", "on": "2026-02-01"},
                             {"event": "assigned", "user": "bob", "on": "2026-03-01"},
                             {"event": "removed", "user": "bob", "on": "2026-04-01"},
                             {"event": "assigned", "user": "alice", "on": "2026-05-01"})")),
            Problems{});
}

TEST(StateConsistencyTest, SponsorshipNamesARedeemedCredit) {
  const std::string credits = R"("credits": [
        {"id": "MC-1", "status": "not_redeemed", "assignments": []},
        {"id": "MC-2", "status": "active", "activated_on": "2026-01-02", "assignments": []},
        {"id": "MC-3", "status": "not_redeemed", "azure_subscription": "AZ-3",
         "assignments": []}])";
  EXPECT_EQ(
      Check("{" + credits + R"(, "azure_subscriptions": [
        {"id": "AZ-1", "credit": "MC-1"}, {"id": "AZ-2", "credit": "MC-2"},
        {"id": "AZ-3", "credit": "MC-3"}, {"id": "AZ-4", "credit": "MC-404"}]})"),
      (Problems{"/credits/2/status: credit MC-3 is not_redeemed, but "
                "/credits/2/azure_subscription says it is redeemed on Azure subscription AZ-3",
                "/azure_subscriptions/0/credit: Azure subscription AZ-1 records credit MC-1 as "
                "redeemed on it, but /credits/0/status says MC-1 is not_redeemed"}));
}

TEST(StateConsistencyTest, AvailableBenefitRecordsNoRedemption) {
  EXPECT_EQ(
      Check(R"({"cloud_benefits": [{"id": "B-1", "status": "available",
          "redeemed_on": "2026-03-01", "redeemed_by": "alice", "tenant": "T-1",
          "subscription": "S-1"}]})"),
      (Problems{"/cloud_benefits/0/status: cloud benefit B-1 is available (not redeemed), but "
                "/cloud_benefits/0/redeemed_on says it was redeemed on 2026-03-01",
                "/cloud_benefits/0/status: cloud benefit B-1 is available (not redeemed), but "
                "/cloud_benefits/0/redeemed_by says alice redeemed it",
                "/cloud_benefits/0/status: cloud benefit B-1 is available (not redeemed), but "
                "/cloud_benefits/0/tenant says it was redeemed on tenant T-1",
                "/cloud_benefits/0/status: cloud benefit B-1 is available (not redeemed), but "
                "/cloud_benefits/0/subscription says its redemption created subscription S-1"}));
  // Redeemed and expired benefits keep their redemption record.
  EXPECT_EQ(Check(R"({"cloud_benefits": [
      {"id": "B-1", "status": "redeemed", "redeemed_on": "2026-03-01"},
      {"id": "B-2", "status": "expired", "redeemed_on": "2025-03-01"},
      {"id": "B-3", "status": "available"}]})"),
            Problems{});
}

TEST(StateConsistencyTest, BenefitAndSubscriptionNameEachOther) {
  EXPECT_EQ(
      Check(R"({"cloud_benefits": [
          {"id": "B-E3", "redemption": "keyless", "status": "redeemed", "subscription": "S-E3"},
          {"id": "B-PBI", "redemption": "product_key", "status": "redeemed",
           "subscription": "S-E3"}],
        "subscriptions": [{"id": "S-E3", "benefit": "B-E3"}]})"),
      (Problems{"/cloud_benefits/1/subscription: cloud benefit B-PBI records subscription S-E3 "
                "as created by its redemption, but /subscriptions/0/benefit says S-E3 was "
                "created by benefit B-E3"}));
  EXPECT_EQ(
      Check(R"({"cloud_benefits": [
          {"id": "B-E3", "redemption": "keyless", "status": "redeemed", "subscription": "S-E3"},
          {"id": "B-COP", "redemption": "keyless", "status": "available"}],
        "subscriptions": [{"id": "S-E3", "benefit": "B-E3"}, {"id": "S-E3B", "benefit": "B-E3"},
                          {"id": "S-COP", "benefit": "B-COP"}]})"),
      (Problems{"/subscriptions/1/benefit: subscription S-E3B was created by redeeming keyless "
                "benefit B-E3, but /cloud_benefits/0/subscription says the redemption of B-E3 "
                "created subscription S-E3",
                "/subscriptions/2/benefit: subscription S-COP was created by redeeming keyless "
                "benefit B-COP, but /cloud_benefits/1/status says B-COP is available (not "
                "redeemed)"}));
  // A product-key benefit's keys may create or extend several subscriptions, and a benefit
  // may leave its subscription unrecorded.
  EXPECT_EQ(Check(R"({"cloud_benefits": [
          {"id": "B-PBI", "redemption": "product_key", "status": "available",
           "product_keys": []},
          {"id": "B-E3", "redemption": "keyless", "status": "redeemed"}],
        "subscriptions": [{"id": "S-1", "benefit": "B-PBI"}, {"id": "S-2", "benefit": "B-PBI"},
                          {"id": "S-3", "benefit": "B-E3"}]})"),
            Problems{});
}

TEST(StateConsistencyTest, KeyRedeemedOnASubscriptionIsRedeemed) {
  const std::string benefits = R"("cloud_benefits": [{"id": "B-1", "product_keys": [
        {"key": "AAAA1-BBBB2-CCCC3-DDDD4-EEEE5", "licenses": 5},
        {"key": "FFFF1-BBBB2-CCCC3-DDDD4-EEEE5", "licenses": 5, "redeemed_on": "2026-02-01"}]}])";
  EXPECT_EQ(Check("{" + benefits + R"(, "subscriptions": [{"id": "S-1", "key_redemptions": [
        {"key": "FFFF1-BBBB2-CCCC3-DDDD4-EEEE5", "on": "2026-02-01"},
        {"key": "AAAA1-BBBB2-CCCC3-DDDD4-EEEE5", "on": "2026-03-01"},
        {"key": "ZZZZ1-BBBB2-CCCC3-DDDD4-EEEE5", "on": "2026-04-01"}]}]})"),
            (Problems{"/subscriptions/0/key_redemptions/1/key: subscription S-1 records product "
                      "key AAAA1-BBBB2-CCCC3-DDDD4-EEEE5 as redeemed on 2026-03-01, but "
                      "/cloud_benefits/0/product_keys/0 says the key has not been redeemed (no "
                      "redeemed_on)"}));
}

TEST(StateConsistencyTest, KeyRedeemedOnASubscriptionHasTheLicensesTheBenefitLists) {
  EXPECT_EQ(Check(R"({"cloud_benefits": [{"id": "B-1", "product_keys": [
        {"key": "AAAA1-BBBB2-CCCC3-DDDD4-EEEE5", "licenses": 25, "redeemed_on": "2026-02-01"},
        {"key": "FFFF1-BBBB2-CCCC3-DDDD4-EEEE5", "licenses": 5, "redeemed_on": "2026-03-01"}]}],
      "subscriptions": [{"id": "S-1", "key_redemptions": [
        {"key": "AAAA1-BBBB2-CCCC3-DDDD4-EEEE5", "licenses": 100, "on": "2026-02-01"},
        {"key": "FFFF1-BBBB2-CCCC3-DDDD4-EEEE5", "licenses": 5, "on": "2026-03-01"}]}]})"),
            (Problems{"/subscriptions/0/key_redemptions/0/licenses: subscription S-1 records "
                      "product key AAAA1-BBBB2-CCCC3-DDDD4-EEEE5 with 100 licenses, but "
                      "/cloud_benefits/0/product_keys/0/licenses says the key grants 25 "
                      "licenses"}));
}

TEST(StateConsistencyTest, KeyRedemptionsAreOldestFirst) {
  EXPECT_EQ(Check(R"({"subscriptions": [{"id": "S-1", "key_redemptions": [
        {"key": "K1", "on": "2026-02-01"}, {"key": "K2", "on": "2026-01-05"}]}]})"),
            (Problems{"/subscriptions/0/key_redemptions/1/on: subscription S-1's key redemptions "
                      "list one on 2026-01-05, but /subscriptions/0/key_redemptions/0/on says the "
                      "one before it was later, on 2026-02-01; the history is oldest first"}));
}

std::string Licenses(int active, int assigned, const std::string& users) {
  return R"({"subscriptions": [{"id": "S-1", "active_licenses": )" + std::to_string(active) +
         R"(, "assigned_licenses": )" + std::to_string(assigned) + users + "}]}";
}

TEST(StateConsistencyTest, LicenseCountsAgreeWithEachOtherAndTheHolders) {
  EXPECT_EQ(Check(Licenses(10, 12, "")),
            (Problems{"/subscriptions/0/assigned_licenses: subscription S-1 has 12 licenses "
                      "assigned, but /subscriptions/0/active_licenses says it has only 10 licenses "
                      "active"}));
  EXPECT_EQ(Check(Licenses(10, 1, R"(, "assigned_users": ["alice", "bob"])")),
            (Problems{"/subscriptions/0/assigned_users: subscription S-1 lists 2 users holding a "
                      "license, but /subscriptions/0/assigned_licenses says only 1 license is "
                      "assigned"}));
  // cloud.move-only-unassigned reads assigned_licenses: a move must not pass on a zero while
  // the list names a holder.
  EXPECT_EQ(Check(Licenses(10, 0, R"(, "assigned_users": ["alice"])")),
            (Problems{"/subscriptions/0/assigned_users: subscription S-1 lists 1 user holding a "
                      "license, but /subscriptions/0/assigned_licenses says no license is "
                      "assigned"}));
  EXPECT_EQ(Check(Licenses(10, 2, R"(, "assigned_users": ["alice", "alice"])")),
            (Problems{"/subscriptions/0/assigned_users/1: subscription S-1 lists user alice "
                      "again, but /subscriptions/0/assigned_users/0 says the same user; a user "
                      "holds one license of a subscription"}));
  // Every license assigned; a partial list of holders (not every holder need be recorded).
  EXPECT_EQ(Check(Licenses(10, 10, R"(, "assigned_users": ["alice", "bob"])")), Problems{});
}

TEST(StateConsistencyTest, LinkOnboardsASubscriptionOnce) {
  EXPECT_EQ(Check(R"({"partner_id_links": [
        {"id": "L-1", "onboarded_subscriptions": [
          {"subscription": "prod"}, {"subscription": "test"}, {"subscription": "prod"}]},
        {"id": "L-2", "onboarded_subscriptions": [{"subscription": "prod"}]}]})"),
            (Problems{"/partner_id_links/0/onboarded_subscriptions/2/subscription: partner-ID "
                      "link L-1 onboards subscription prod a second time, but "
                      "/partner_id_links/0/onboarded_subscriptions/0/subscription says the same "
                      "subscription is onboarded already; one entry holds its access, role and "
                      "assignment"}));
}

// The loader runs the checks with the integrity checks: the error is located in the file.
TEST(StateConsistencyTest, LoaderRefusesAContradictoryFixture) {
  const std::filesystem::path fixture =
      testing::SourceDir() / "fixtures/contradictory/credit-balance-above-amount.json";
  Result<PartnerState> state = testing::Loader().Load(fixture);
  ASSERT_FALSE(state.ok());
  ASSERT_EQ(state.errors().size(), 1u) << testing::Describe(state.errors());
  EXPECT_EQ(state.errors()[0].ToString(),
            fixture.string() +
                ":82:18: credit MC-1 has a balance of 140, but /credits/0/amount says its amount "
                "is 100; the unconsumed balance cannot exceed the amount (at /credits/0/balance)");
}

}  // namespace
}  // namespace partnerpolicy
