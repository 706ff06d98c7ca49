// WriteCloudBenefits: seat-based cloud benefits, the product keys of the older ones, and the
// subscriptions their redemptions created (partner_plan.h). Offers bought on or after the
// modernized redemption went live are keyless ($0 checkout, a subscription that ends with the
// membership); older ones are redeemed with 5x5 product keys (twelve months per key, extended
// by further keys).
#include <algorithm>
#include <string>
#include <vector>

#include "partner_plan.h"

namespace partnerpolicy::bench {
namespace {

// Products of keyless benefits. The Copilot products come last: a benefit that must not meet
// cloud.copilot-prerequisites draws from the first kPlainKeylessProducts only.
constexpr std::string_view kKeylessProducts[] = {"Microsoft 365 E3",
                                                 "Microsoft 365 E5",
                                                 "Dynamics 365 Sales Enterprise",
                                                 "Microsoft Teams Enterprise",
                                                 "Project Plan 3",
                                                 "Visio Plan 2",
                                                 "Power BI Pro",
                                                 "Microsoft Intune",
                                                 "Copilot for Microsoft 365",
                                                 "Copilot for Sales",
                                                 "Copilot for Finance",
                                                 "Copilot for Services"};
constexpr size_t kPlainKeylessProducts = 8;
constexpr std::string_view kBaseProduct = "Microsoft 365 E3";
constexpr std::string_view kCopilotProduct = "Copilot for Microsoft 365";

constexpr std::string_view kKeyProducts[] = {"Microsoft 365 Business Standard",
                                             "Microsoft Intune",
                                             "Power BI Pro",
                                             "Power Apps Premium",
                                             "Office 365 E3",
                                             "Windows Enterprise E3",
                                             "Dynamics 365 Customer Service Enterprise"};

constexpr int64_t kLicenseCounts[] = {5, 10, 25, 50, 100};

// E3/E5 (what Copilot needs) and the Copilot products: redeemed only on the main tenant.
bool IsBase(std::string_view product) { return product.starts_with("Microsoft 365 E"); }
bool IsCopilot(std::string_view product) { return product.starts_with("Copilot for "); }

enum class KeylessBreach {
  kRedeemerLacksRoles,   // cloud.checkout-billing-roles: redeemed by a user without the roles
  kTenantNotAssociated,  // cloud.tenant-in-billing-account: on the other account's tenant
  kOtherBillingAccount,  // cloud.no-billing-account-transfer: bound to the other account
  kActivateByPassed,     // cloud.benefit-activate-by (warning): available after its deadline
  kEndMoved,             // cloud.modernized-no-extension: ends after the membership
  kRecordedWithKeys,     // cloud.redemption-model: product keys for a modernized offer
  kCopilotWithoutBase,   // cloud.copilot-prerequisites: Copilot on the lab tenant (no E3/E5)
  kUnlocatedLicensee,    // cloud.usage-location: a licence holder without usage location
  kCount
};

enum class KeyBreach {
  kOverlongExtension,  // subscriptions.extension-limit: a key of more than 3x the active seats
  kKeyReused,          // cloud.key-single-use: a key already redeemed for another benefit
  kRecordedKeyless,    // cloud.redemption-model (warning): keyless for an offer bought before
  kUnlocatedLicensee,  // cloud.usage-location
  kCount
};

struct ProductKey {
  std::string key;
  int64_t licenses = 0;
  std::optional<Date> redeemed;
};

struct KeyRedemption {
  std::string key;
  int64_t licenses = 0;
  std::string_view use;
  int64_t active_before = 0;
  Date on;
};

struct SubscriptionPlan {
  std::string_view model;
  std::string_view status = "active";
  uint32_t tenant = 0;
  int64_t active_licenses = 0;
  Date end;
  std::vector<KeyRedemption> redemptions;
  std::vector<uint32_t> assigned_users;
};

struct BenefitPlan {
  std::string_view product;
  uint32_t package = 0;
  int64_t licenses = 0;
  std::string_view redemption;
  std::string_view status = "available";
  std::optional<uint32_t> billing_account;
  std::optional<Date> activate_by, redeemed_on;
  std::optional<uint32_t> redeemed_by, tenant;
  std::vector<ProductKey> keys;
  std::optional<SubscriptionPlan> subscription;
};

// Which later redemptions a product-key subscription gets.
enum class KeyHistory { kNone, kDrawn, kOverlongExtension };

class BenefitWriter {
 public:
  explicit BenefitWriter(PartnerPlan& plan) : plan_(plan), rng_(plan.rng), as_of_(plan.as_of) {}
  void Write();

 private:
  void KeylessBasics(BenefitPlan& b, std::string_view product);
  void PlanKeyless(BenefitPlan& b, std::string_view product, bool must_redeem);
  void PlanKeylessBreach(BenefitPlan& b, KeylessBreach kind);
  void RedeemKeyless(BenefitPlan& b, uint32_t tenant, uint32_t redeemer);
  uint32_t KeylessTenant(std::string_view product);
  void KeyedBasics(BenefitPlan& b);
  void PlanKeyed(BenefitPlan& b);
  void PlanKeyedBreach(BenefitPlan& b, KeyBreach kind);
  void RedeemWithKey(BenefitPlan& b, Date on, KeyHistory history);
  std::vector<uint32_t> Licensees(const std::vector<uint32_t>& pool, int64_t wanted);
  std::string NewProductKey();
  void WriteBenefit(const BenefitPlan& b, const std::string& id);

  PartnerPlan& plan_;
  SeededRandom& rng_;
  const Date as_of_;
  std::vector<ProductKey> redeemed_keys_;  // for cloud.key-single-use breaches
  // Licensees on a tenant associated with the purchase billing account (every tenant but the
  // consulting one) and on the consulting tenant, and users without a usage location on the
  // former: a license of a keyless benefit goes only to a user of its account's tenants
  // (cloud.tenant-in-billing-account).
  std::vector<uint32_t> purchase_licensees_, consulting_licensees_, purchase_unlocated_;
  uint64_t keys_issued_ = 0;
  BreachTurns<KeylessBreach> keyless_breaches_;
  BreachTurns<KeyBreach> key_breaches_;
};

// One benefit per 25 users (at least four). The first two are this term's Microsoft 365 E3 and
// Copilot for Microsoft 365, redeemed on the main tenant, so that every Copilot product there
// has its prerequisites.
void BenefitWriter::Write() {
  for (uint32_t user : plan_.licensees) {
    (plan_.users[user].tenant == kConsultingTenant ? consulting_licensees_ : purchase_licensees_)
        .push_back(user);
  }
  for (uint32_t user : plan_.unlocated) {
    if (plan_.users[user].tenant != kConsultingTenant) purchase_unlocated_.push_back(user);
  }
  const uint32_t count = std::max<uint32_t>(4, plan_.users_count / 25);
  for (uint32_t i = 0; i < count; ++i) {
    BenefitPlan b;
    if (i < 2) {
      b.package = 1;
    } else {
      b.package =
          rng_.Percent(30) ? plan_.AnyOf(plan_.old_packages) : plan_.AnyOf(plan_.current_packages);
    }
    b.licenses = rng_.Pick(kLicenseCounts);
    const bool breach = i >= 2 && plan_.Breaches();
    if (plan_.packages[b.package].modernized) {
      std::optional<KeylessBreach> kind;
      if (breach) {
        kind = keyless_breaches_.Next([this](KeylessBreach k) {
          if (k == KeylessBreach::kRedeemerLacksRoles) return !plan_.plain_users.empty();
          if (k == KeylessBreach::kUnlocatedLicensee) return !purchase_unlocated_.empty();
          return true;
        });
      }
      if (kind) {
        PlanKeylessBreach(b, *kind);
      } else {
        const std::string_view product = i == 0   ? kBaseProduct
                                         : i == 1 ? kCopilotProduct
                                                  : rng_.Pick(kKeylessProducts);
        PlanKeyless(b, product, i < 2);
      }
    } else {
      std::optional<KeyBreach> kind;
      if (breach) {
        kind = key_breaches_.Next([this](KeyBreach k) {
          if (k == KeyBreach::kKeyReused) return !redeemed_keys_.empty();
          if (k == KeyBreach::kUnlocatedLicensee) return !plan_.unlocated.empty();
          return true;
        });
      }
      kind ? PlanKeyedBreach(b, *kind) : PlanKeyed(b);
    }
    WriteBenefit(b, NumberedId("B-", i + 1, 4));
  }
}

// A keyless benefit bound to the purchase billing account, to be activated by the membership
// end; not redeemed yet.
void BenefitWriter::KeylessBasics(BenefitPlan& b, std::string_view product) {
  b.product = product;
  b.redemption = "keyless";
  b.billing_account = kPurchaseAccount;
  b.activate_by = plan_.membership_end;
}

// Compliant: redeemed (about four times in five, once its package is activated) by a user with
// both checkout roles, on a tenant associated with the purchase billing account.
void BenefitWriter::PlanKeyless(BenefitPlan& b, std::string_view product, bool must_redeem) {
  KeylessBasics(b, product);
  if (!plan_.packages[b.package].activated || !(must_redeem || rng_.Percent(78))) return;
  RedeemKeyless(b, KeylessTenant(product), plan_.AnyOf(plan_.checkout_users));
}

void BenefitWriter::PlanKeylessBreach(BenefitPlan& b, KeylessBreach kind) {
  // Breaches that redeem need an activated package; this term's Action Pack always is.
  if (!plan_.packages[b.package].activated) b.package = 1;
  const std::string_view any = rng_.Pick(kKeylessProducts);
  const std::string_view plain = kKeylessProducts[rng_.Below(kPlainKeylessProducts)];
  const uint32_t checkout = plan_.AnyOf(plan_.checkout_users);
  switch (kind) {
    case KeylessBreach::kRedeemerLacksRoles:
      KeylessBasics(b, any);
      RedeemKeyless(b, KeylessTenant(any), plan_.AnyOf(plan_.plain_users));
      break;
    case KeylessBreach::kTenantNotAssociated:
      KeylessBasics(b, plain);
      RedeemKeyless(b, kConsultingTenant, checkout);
      break;
    case KeylessBreach::kOtherBillingAccount:
      // On the other account's own tenant, by the lead admin who owns both accounts, so that
      // only the binding is wrong.
      KeylessBasics(b, plain);
      b.billing_account = kConsultingAccount;
      RedeemKeyless(b, kConsultingTenant, kLeadAdmin);
      break;
    case KeylessBreach::kActivateByPassed:
      KeylessBasics(b, any);
      b.activate_by = Plus(as_of_, -rng_.Between(1, 60));
      break;
    case KeylessBreach::kEndMoved:
      KeylessBasics(b, any);
      RedeemKeyless(b, KeylessTenant(any), checkout);
      b.subscription->end = AddMonths(plan_.membership_end, rng_.Between(1, 12));
      break;
    case KeylessBreach::kRecordedWithKeys:
      b.product = any;
      b.redemption = "product_key";
      b.keys.push_back({NewProductKey(), b.licenses, std::nullopt});
      break;
    case KeylessBreach::kCopilotWithoutBase:
      KeylessBasics(b, kCopilotProduct);
      RedeemKeyless(b, kLabTenant, checkout);
      break;
    case KeylessBreach::kUnlocatedLicensee: {
      KeylessBasics(b, plain);
      RedeemKeyless(b, KeylessTenant(plain), checkout);
      std::vector<uint32_t>& holders = b.subscription->assigned_users;
      if (holders.empty()) holders.push_back(0);
      holders.front() = plan_.AnyOf(purchase_unlocated_);  // never among the licensees
      break;
    }
    case KeylessBreach::kCount:
      break;
  }
}

// The $0 checkout: a modernized subscription on `tenant` that ends with the membership, its
// licenses held by users of tenants associated with the benefit's billing account.
void BenefitWriter::RedeemKeyless(BenefitPlan& b, uint32_t tenant, uint32_t redeemer) {
  const Date activated = *plan_.packages[b.package].activated;
  b.status = "redeemed";
  b.redeemed_on = Date{rng_.Between(activated.days, std::max(activated.days, as_of_.days))};
  b.redeemed_by = redeemer;
  b.tenant = tenant;
  SubscriptionPlan sub;
  sub.model = "modernized";
  sub.tenant = tenant;
  sub.active_licenses = b.licenses;
  sub.end = plan_.membership_end;
  const bool consulting = b.billing_account == kConsultingAccount;
  sub.assigned_users = Licensees(consulting ? consulting_licensees_ : purchase_licensees_,
                                 rng_.Between(0, b.licenses));
  b.subscription = std::move(sub);
}

// Where a compliant keyless benefit is redeemed: E3/E5 and Copilot on the main tenant (so the
// lab tenant never has E3/E5, see kCopilotWithoutBase), others on any tenant associated with
// the purchase billing account.
uint32_t BenefitWriter::KeylessTenant(std::string_view product) {
  if (IsBase(product) || IsCopilot(product)) return kMainTenant;
  const uint64_t roll = rng_.Below(100);
  const size_t regional = plan_.tenants.size() - kFirstRegionalTenant;
  if (roll < 60) return kMainTenant;
  if (roll < 90 || regional == 0) return kLabTenant;
  return static_cast<uint32_t>(kFirstRegionalTenant + rng_.Below(regional));
}

// A product-key benefit with one key of all its licenses; not redeemed yet.
void BenefitWriter::KeyedBasics(BenefitPlan& b) {
  b.product = rng_.Pick(kKeyProducts);
  b.redemption = "product_key";
  b.keys.push_back({NewProductKey(), b.licenses, std::nullopt});
}

// Compliant: redeemed (seven in ten), still available (two in ten) or expired unused; a second
// key is sometimes issued and kept.
void BenefitWriter::PlanKeyed(BenefitPlan& b) {
  KeyedBasics(b);
  if (rng_.Percent(30)) b.keys.push_back({NewProductKey(), b.licenses, std::nullopt});
  const uint64_t roll = rng_.Below(100);
  if (roll < 20) return;
  if (roll < 30) {
    b.status = "expired";
    return;
  }
  const Date activated = *plan_.packages[b.package].activated;
  RedeemWithKey(b, Earlier(as_of_, Plus(activated, rng_.Between(0, 60))), KeyHistory::kDrawn);
}

void BenefitWriter::PlanKeyedBreach(BenefitPlan& b, KeyBreach kind) {
  switch (kind) {
    case KeyBreach::kOverlongExtension:
      KeyedBasics(b);
      RedeemWithKey(b, Plus(as_of_, -rng_.Between(60, 300)), KeyHistory::kOverlongExtension);
      break;
    case KeyBreach::kKeyReused: {
      // The key keeps its licenses: a state recording another number for it would not load.
      const ProductKey reused = redeemed_keys_[rng_.Below(redeemed_keys_.size())];
      KeyedBasics(b);
      RedeemWithKey(b, Plus(as_of_, -rng_.Between(60, 300)), KeyHistory::kNone);
      SubscriptionPlan& sub = *b.subscription;
      sub.redemptions.push_back({reused.key, reused.licenses, "add_licenses", sub.active_licenses,
                                 Plus(sub.redemptions.front().on, rng_.Between(1, 50))});
      sub.active_licenses += reused.licenses;
      break;
    }
    case KeyBreach::kRecordedKeyless:
      b.product = rng_.Pick(kKeyProducts);
      b.redemption = "keyless";
      b.billing_account = kPurchaseAccount;
      b.activate_by = plan_.membership_end;
      break;
    case KeyBreach::kUnlocatedLicensee: {
      KeyedBasics(b);
      // Redeemed within the last year, so that the subscription is active and its seats held.
      RedeemWithKey(b, Plus(as_of_, -rng_.Between(10, 300)), KeyHistory::kNone);
      std::vector<uint32_t>& holders = b.subscription->assigned_users;
      if (holders.empty()) holders.push_back(0);
      holders.front() = plan_.AnyOf(plan_.unlocated);
      break;
    }
    case KeyBreach::kCount:
      break;
  }
}

// Redeems the benefit's first key on `on`: a product-key subscription of twelve months. With
// kDrawn it is sometimes extended by a key of A/4, A, 2A or 3A licenses (A active: 3 to 36
// months, within subscriptions.extension-limit) and sometimes given more licenses, its end
// then the licence-weighted average of the time left and the new key's twelve months.
void BenefitWriter::RedeemWithKey(BenefitPlan& b, Date on, KeyHistory history) {
  ProductKey& key = b.keys.front();
  key.redeemed = on;
  redeemed_keys_.push_back(key);
  b.status = "redeemed";
  b.redeemed_on = on;
  b.redeemed_by = plan_.AnyOf(plan_.checkout_users);
  b.tenant = rng_.Percent(80) ? kMainTenant : kLabTenant;
  SubscriptionPlan sub;
  sub.model = "product_key";
  sub.tenant = *b.tenant;
  sub.active_licenses = key.licenses;
  sub.end = AddMonths(on, 12);
  sub.redemptions.push_back({key.key, key.licenses, "activate", 0, on});

  Date last = on;
  const bool extend = history == KeyHistory::kOverlongExtension ||
                      (history == KeyHistory::kDrawn && rng_.Percent(40));
  const Date extended_on = Plus(last, rng_.Between(10, 50));
  if (extend && extended_on <= as_of_) {
    const int64_t active = sub.active_licenses;
    int64_t licenses = 0;
    int64_t months = 0;
    if (history == KeyHistory::kOverlongExtension) {
      licenses = 3 * active + rng_.Between(1, active);  // 12K/A over 36 months: refused
      months = 36;
    } else {
      const int64_t multiple = rng_.Between(active % 4 == 0 ? 0 : 1, 3);  // 0: a quarter
      licenses = multiple == 0 ? active / 4 : multiple * active;
      months = 12 * licenses / active;
    }
    sub.redemptions.push_back({NewProductKey(), licenses, "extend", active, extended_on});
    sub.end = AddMonths(sub.end, months);
    last = extended_on;
  }
  if (history == KeyHistory::kDrawn && rng_.Percent(15)) {
    const Date added_on = Plus(last, rng_.Between(20, 200));
    if (added_on <= as_of_ && added_on < sub.end) {
      const int64_t added = rng_.Pick(kLicenseCounts);
      const int64_t active = sub.active_licenses;
      const int64_t days_left = sub.end.days - added_on.days;
      sub.end = Plus(added_on, (active * days_left + added * 365) / (active + added));
      sub.redemptions.push_back({NewProductKey(), added, "add_licenses", active, added_on});
      sub.active_licenses += added;
    }
  }
  if (sub.end < as_of_) {
    sub.status = "expired";
  } else {
    sub.assigned_users = Licensees(plan_.licensees, rng_.Between(0, sub.active_licenses));
  }
  b.subscription = std::move(sub);
}

// Up to `wanted` distinct users of `pool` (users with a usage location): a run through the list
// from a random place, wrapping around, which is distinct as long as it is no longer than the list.
std::vector<uint32_t> BenefitWriter::Licensees(const std::vector<uint32_t>& pool, int64_t wanted) {
  std::vector<uint32_t> chosen;
  if (pool.empty()) return chosen;
  const size_t count = std::min(static_cast<size_t>(wanted), pool.size());
  const size_t from = rng_.Below(pool.size());
  chosen.reserve(count);
  for (size_t k = 0; k < count; ++k) chosen.push_back(pool[(from + k) % pool.size()]);
  return chosen;
}

// "BCDF2-GHJK3-MPQR4-TVWX6-BBBBC": four random groups and one that numbers the key, so that no
// two keys of a state are the same. The 24 characters are those of Microsoft's product keys.
std::string BenefitWriter::NewProductKey() {
  static constexpr char kAlphabet[] = "BCDFGHJKMPQRTVWXY2346789";
  constexpr uint64_t kBase = sizeof kAlphabet - 1;
  std::string key;
  for (int group = 0; group < 4; ++group) {
    for (int k = 0; k < 5; ++k) key.push_back(kAlphabet[rng_.Below(kBase)]);
    key.push_back('-');
  }
  uint64_t serial = keys_issued_++;
  char last[5];
  for (int k = 4; k >= 0; --k) {
    last[k] = kAlphabet[serial % kBase];
    serial /= kBase;
  }
  key.append(last, 5);
  return key;
}

void BenefitWriter::WriteBenefit(const BenefitPlan& b, const std::string& id) {
  std::string subscription_id;
  if (b.subscription) {
    const SubscriptionPlan& sub = *b.subscription;
    subscription_id = "S-" + id.substr(2);  // B-0007 -> S-0007
    JsonText json = plan_.subscription_lines.Next();
    json.BeginObject()
        .Member("id", subscription_id)
        .Member("product", b.product)
        .Member("benefit", id)
        .Member("tenant", plan_.tenants[sub.tenant].id)
        .Member("model", sub.model)
        .Member("status", sub.status)
        .Member("active_licenses", sub.active_licenses)
        .Member("assigned_licenses", sub.assigned_users.size())
        .Member("end", FormatDate(sub.end));
    if (!sub.redemptions.empty()) {
      json.Key("key_redemptions").BeginArray();
      for (const KeyRedemption& r : sub.redemptions) {
        json.BeginObject()
            .Member("key", r.key)
            .Member("licenses", r.licenses)
            .Member("use", r.use)
            .Member("active_licenses_before", r.active_before)
            .Member("on", FormatDate(r.on))
            .EndObject();
      }
      json.EndArray();
    }
    if (!sub.assigned_users.empty()) {
      json.Key("assigned_users").BeginArray();
      for (uint32_t user : sub.assigned_users) json.String(plan_.users[user].id);
      json.EndArray();
    }
    json.EndObject();
  }

  JsonText json = plan_.benefit_lines.Next();
  json.BeginObject()
      .Member("id", id)
      .Member("product", b.product)
      .Member("package", plan_.packages[b.package].id)
      .Member("licenses", b.licenses)
      .Member("redemption", b.redemption);
  if (b.billing_account) {
    json.Member("billing_account", plan_.billing_account_ids[*b.billing_account]);
  }
  if (b.activate_by) json.Member("activate_by", FormatDate(*b.activate_by));
  json.Member("status", b.status);
  if (b.redeemed_on) json.Member("redeemed_on", FormatDate(*b.redeemed_on));
  if (b.redeemed_by) json.Member("redeemed_by", plan_.users[*b.redeemed_by].id);
  if (b.tenant) json.Member("tenant", plan_.tenants[*b.tenant].id);
  if (!subscription_id.empty()) json.Member("subscription", subscription_id);
  if (!b.keys.empty()) {
    json.Key("product_keys").BeginArray();
    for (const ProductKey& key : b.keys) {
      json.BeginObject().Member("key", key.key).Member("licenses", key.licenses);
      if (key.redeemed) json.Member("redeemed_on", FormatDate(*key.redeemed));
      json.EndObject();
    }
    json.EndArray();
  }
  json.EndObject();
}

}  // namespace

void WriteCloudBenefits(PartnerPlan& plan) { BenefitWriter(plan).Write(); }

}  // namespace partnerpolicy::bench
