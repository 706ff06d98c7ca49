// The partner state being generated (bench/state_generator.h), shared by the files that each
// write a part of it: the seeded draws, the calendar every date is placed in, the organisation
// (tenants, billing accounts, users, packages) that credits and benefits refer to, users grouped
// by what they may be given, and the text of each top-level collection.
//
// Each part is planned so that, left alone, it satisfies every state check of policies/**/*.lua;
// a breach then bends one entity so that one rule objects. The comment on each breach kind names
// the rule, so a change to a policy's check shows up as a breach that no longer appears
// (tests/state_generator_test.cc lists the rules it expects).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_text.h"
#include "partnerpolicy/date.h"
#include "seeded_random.h"

namespace partnerpolicy::bench {

struct GeneratorOptions;

// --- Calendar ---

inline Date Plus(Date date, int64_t days) { return Date{date.days + days}; }
inline Date Earlier(Date a, Date b) { return a < b ? a : b; }
inline Date Later(Date a, Date b) { return a < b ? b : a; }
// The last day of the year that begins on `start` (2026-03-01 -> 2027-02-28), as a membership.
inline Date YearEnd(Date start) { return Plus(AddMonths(start, 12), -1); }

// "MC-00042": prefix and number, the number zero-padded to at least `width` digits.
std::string NumberedId(std::string_view prefix, uint64_t number, size_t width);

// --- Output ---

// One top-level collection: its entities, each on a line of its own, so that findings point at
// distinct lines while the file stays compact.
class Collection {
 public:
  // A writer for the next entity.
  JsonText Next();
  // Appends `  "name": [ ... ]` and a comma unless `last`.
  void AppendTo(std::string* out, std::string_view name, bool last) const;

 private:
  std::string text_;
  size_t count_ = 0;
};

// Takes the breach kinds of one kind of entity in turn, so that even a few breaches cover
// several rules, passing over kinds that this partner cannot show (no guest to hand a credit
// to, no earlier key to reuse). Kind is an enum of consecutive values ending in kCount.
template <typename Kind>
class BreachTurns {
 public:
  template <typename Possible>
  std::optional<Kind> Next(Possible possible) {
    constexpr size_t kKinds = static_cast<size_t>(Kind::kCount);
    for (size_t k = 0; k < kKinds; ++k) {
      Kind kind = static_cast<Kind>((turn_ + k) % kKinds);
      if (possible(kind)) {
        turn_ += k + 1;
        return kind;
      }
    }
    return std::nullopt;
  }

 private:
  size_t turn_ = 0;
};

// --- The plan ---

struct Company {
  std::string_view name;
  std::string_view slug;  // lower-case letters: the domain label of its tenants and e-mail
};

struct TenantRecord {
  std::string id;
  std::string domain;
};

struct UserRecord {
  std::string id;
  uint32_t tenant = 0;  // index into PartnerPlan::tenants
};

struct PackageRecord {
  std::string id;
  bool modernized = false;  // bought on or after the modernized redemption went live
  Date purchased;
  std::optional<Date> activated;
};

// Indices of the tenants and billing accounts with a fixed role.
inline constexpr uint32_t kMainTenant = 0;        // managing; holds E3/E5 and Copilot
inline constexpr uint32_t kLabTenant = 1;         // never holds E3/E5
inline constexpr uint32_t kConsultingTenant = 2;  // associated only with kConsultingAccount
inline constexpr uint32_t kFirstRegionalTenant = 3;
inline constexpr uint32_t kPurchaseAccount = 0;
inline constexpr uint32_t kConsultingAccount = 1;
inline constexpr uint32_t kLeadAdmin = 0;  // user: partner + global admin, owns both accounts

struct PartnerPlan {
  PartnerPlan(const GeneratorOptions& options, Date as_of_date);

  // True for an entity that is to break a rule (with probability breach_share).
  bool Breaches() { return rng.Chance(breach); }
  // One element of a non-empty pool.
  uint32_t AnyOf(const std::vector<uint32_t>& pool) { return pool[rng.Below(pool.size())]; }

  const uint32_t users_count;
  const Date as_of;
  const uint64_t breach;  // ShareThreshold(breach_share)
  SeededRandom rng;

  // The membership year is under way on as_of; the modernized redemption went live before it.
  Date membership_start, membership_end, membership_purchased, modernized_since;

  Company company;
  std::string partner_id;
  std::string_view country;
  std::vector<TenantRecord> tenants;
  std::vector<std::string> billing_account_ids;
  std::vector<UserRecord> users;
  std::vector<PackageRecord> packages;  // 0: last term's Action Pack, 1: this term's
  std::vector<uint32_t> old_packages, current_packages;  // indices: before / after go-live
  uint32_t pay_as_you_go_count = 0;                      // AZ-PAYG-001 ...

  // Users (indices into `users`) by what they may be given.
  std::vector<uint32_t> credit_holders;  // company address, not a service principal
  std::vector<uint32_t> licensees;       // credit holders with a usage location
  std::vector<uint32_t> unlocated;       // credit holders without one
  std::vector<uint32_t> banned_mail;     // guests of gmail.com, hotmail.com, live.com
  std::vector<uint32_t> checkout_users;  // partner admin + owner/contributor on the purchase BA
  std::vector<uint32_t> plain_users;     // credit holders without any Partner Center role
  std::vector<uint32_t> link_accounts;   // accounts of the managing tenant fit for PEC links

  std::string partner_text;
  Collection billing_account_lines, tenant_lines, user_lines, package_lines, credit_lines,
      benefit_lines, subscription_lines, link_lines;
  Collection azure_lines;  // pay-as-you-go subscriptions, then sponsorships in credit order
};

// The parts, in the order they are written (each reads what the ones before planned).
// organisation_generator.cc: calendar, partner, tenants, billing accounts, users, packages and
// pay-as-you-go subscriptions.
void WriteOrganisation(PartnerPlan& plan);
// credit_generator.cc: Azure credits and the sponsorship subscriptions redeeming them created.
void WriteCredits(PartnerPlan& plan);
// cloud_benefit_generator.cc: cloud benefits, their product keys and subscriptions.
void WriteCloudBenefits(PartnerPlan& plan);
// partner_id_link_generator.cc: partner-ID links for partner earned credit.
void WritePartnerIdLinks(PartnerPlan& plan);

}  // namespace partnerpolicy::bench
