// WriteCredits: Azure credits, monthly and bulk, with their assignment histories, and the
// sponsorship subscriptions their redemptions created (partner_plan.h). A compliant credit is
// planned first; a breaching one is planned by the rule it is to break.
#include <algorithm>
#include <string>
#include <vector>

#include "partner_plan.h"

namespace partnerpolicy::bench {
namespace {

constexpr int64_t kMonthlyAmounts[] = {50, 100, 150};
constexpr int64_t kBulkAmounts[] = {1000, 3000, 6000};

enum class MonthlyBreach {
  kOverReassigned,          // credits.monthly.reassignment-cap: 6 to 8 changes of user
  kFreeMailHolder,          // credits.free-domain-ban: held by a gmail/hotmail/live guest
  kPastValidity,            // credits.monthly.validity: activated over 13 months ago, still active
  kOnPayAsYouGo,            // credits.new-subscription-only: recorded on a pay-as-you-go one
  kActivationWindowMissed,  // credits.activation-window (warning): awarded 91+ days ago, unused
  kNoAssignment,            // credits.redeem-not-redeemed: active with no assignment on record
  kCount
};

enum class BulkBreach {
  kReassigned,        // credits.bulk.no-reassignment: the user changed within the year
  kPastWindow,        // credits.bulk.window: still active after its end date
  kSecondBulkCredit,  // credits.one-bulk-per-user: its user already holds a current one
  kFreeMailHolder,    // credits.free-domain-ban
  kNoAssignment,      // credits.redeem-not-redeemed
  kCount
};

struct AssignmentEvent {
  bool assigned = true;  // false: removed
  uint32_t user = 0;
  Date on;
};

struct CreditPlan {
  bool bulk = false;
  uint32_t package = 0;
  int64_t amount = 0;
  std::string_view status = "not_redeemed";
  Date awarded;
  std::optional<Date> activated, start, end;
  std::optional<int64_t> balance;
  bool sponsorship = false;      // redeemed on a new sponsorship subscription of its own
  std::optional<uint32_t> payg;  // recorded on this pay-as-you-go subscription instead
  std::vector<AssignmentEvent> assignments;
};

// "$3,000".
std::string Dollars(int64_t amount) {
  const std::string digits = std::to_string(amount);
  std::string out = "$";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

class CreditWriter {
 public:
  explicit CreditWriter(PartnerPlan& plan);
  void Write();

 private:
  void PlanMonthly(CreditPlan& c);
  void PlanMonthlyBreach(CreditPlan& c, MonthlyBreach kind);
  void PlanBulk(CreditPlan& c);
  void PlanBulkBreach(CreditPlan& c, BulkBreach kind);
  void NotRedeemed(CreditPlan& c, Date awarded);
  void ActiveSince(CreditPlan& c, Date activated);
  void CurrentBenefitYear(CreditPlan& c);
  std::vector<AssignmentEvent> History(Date first, uint32_t holder, int64_t changes);
  int64_t DrawnReassignments();
  uint32_t MonthlyHolder() { return monthly_order_[monthly_next_++ % monthly_order_.size()]; }
  std::optional<uint32_t> NextBulkHolder();
  uint32_t OtherHolder(uint32_t avoid);
  void WriteCredit(const CreditPlan& c, const std::string& id);

  PartnerPlan& plan_;
  SeededRandom& rng_;
  const Date as_of_;
  // Credit holders in two shuffled orders: while there are enough of them, each holds at most
  // one current monthly and one current bulk credit.
  std::vector<uint32_t> monthly_order_, bulk_order_;
  size_t monthly_next_ = 0, bulk_next_ = 0;
  std::vector<uint32_t> current_bulk_holders_;
  uint32_t payg_turn_ = 0;
  BreachTurns<MonthlyBreach> monthly_breaches_;
  BreachTurns<BulkBreach> bulk_breaches_;
};

CreditWriter::CreditWriter(PartnerPlan& plan) : plan_(plan), rng_(plan.rng), as_of_(plan.as_of) {
  auto shuffled = [this] {  // Fisher-Yates
    std::vector<uint32_t> order = plan_.credit_holders;
    for (size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[rng_.Below(k)]);
    return order;
  };
  monthly_order_ = shuffled();
  bulk_order_ = shuffled();
}

// One credit per four users (at least two): three monthly to one bulk. A quarter come from
// packages bought before this term: those monthly credits are expired or still in their 13
// months, those bulk credits expired with their benefit year (or not yet).
void CreditWriter::Write() {
  const uint32_t count = std::max<uint32_t>(2, plan_.users_count / 4);
  uint32_t monthly = 0, bulk = 0;
  for (uint32_t i = 0; i < count; ++i) {
    CreditPlan c;
    c.bulk = i % 4 == 1;
    c.package =
        rng_.Percent(25) ? plan_.AnyOf(plan_.old_packages) : plan_.AnyOf(plan_.current_packages);
    c.amount = c.bulk ? rng_.Pick(kBulkAmounts) : rng_.Pick(kMonthlyAmounts);
    const bool breach = plan_.Breaches();
    if (c.bulk) {
      std::optional<BulkBreach> kind;
      if (breach) {
        kind = bulk_breaches_.Next([this](BulkBreach k) {
          switch (k) {
            case BulkBreach::kReassigned:
              return bulk_next_ < bulk_order_.size() && plan_.credit_holders.size() >= 2;
            case BulkBreach::kSecondBulkCredit:
              return !current_bulk_holders_.empty();
            case BulkBreach::kFreeMailHolder:
              return !plan_.banned_mail.empty();
            default:
              return true;
          }
        });
      }
      kind ? PlanBulkBreach(c, *kind) : PlanBulk(c);
      WriteCredit(c, NumberedId("BULK-", ++bulk, 5));
    } else {
      std::optional<MonthlyBreach> kind;
      if (breach) {
        kind = monthly_breaches_.Next([this](MonthlyBreach k) {
          if (k == MonthlyBreach::kOverReassigned) return plan_.credit_holders.size() >= 2;
          if (k == MonthlyBreach::kFreeMailHolder) return !plan_.banned_mail.empty();
          return true;
        });
      }
      kind ? PlanMonthlyBreach(c, *kind) : PlanMonthly(c);
      WriteCredit(c, NumberedId("MC-", ++monthly, 5));
    }
  }
}

void CreditWriter::NotRedeemed(CreditPlan& c, Date awarded) {
  c.status = "not_redeemed";
  c.awarded = Earlier(awarded, as_of_);
}

// Active from `activated` (awarded up to ten days before), with some balance left, on a
// sponsorship of its own; no assignment yet.
void CreditWriter::ActiveSince(CreditPlan& c, Date activated) {
  c.status = "active";
  c.activated = activated;
  c.awarded = Plus(activated, -rng_.Between(0, 10));
  c.balance = rng_.Between(0, c.amount);
  c.sponsorship = true;
}

// An active bulk credit of this membership year.
void CreditWriter::CurrentBenefitYear(CreditPlan& c) {
  const Date start = plan_.membership_start;
  c.start = start;
  c.end = plan_.membership_end;
  ActiveSince(c, Plus(start, rng_.Between(0, std::min<int64_t>(10, as_of_.days - start.days))));
  c.awarded = start;
}

// Not redeemed within its 90-day activation window, or activated and then valid for 13 months
// (expired after that), with at most five changes of user.
void CreditWriter::PlanMonthly(CreditPlan& c) {
  const PackageRecord& package = plan_.packages[c.package];
  if (!package.activated) {
    NotRedeemed(c, Plus(package.purchased, 4));
    return;
  }
  const Date awarded = *package.activated;
  std::string_view status = "active";
  if (package.modernized) {
    const uint64_t roll = rng_.Below(100);
    if (roll < 20) {
      NotRedeemed(c, Later(awarded, Plus(as_of_, -rng_.Between(0, 80))));
      return;
    }
    if (roll < 26) status = "redeemed";
  }
  const Date activated = Earlier(as_of_, Plus(awarded, rng_.Between(0, 20)));
  const bool valid = Plus(AddMonths(activated, 13), -1) >= as_of_;  // credits.monthly.validity
  c.status = valid ? status : "expired";
  c.awarded = awarded;
  c.activated = activated;
  c.balance = valid ? rng_.Between(0, c.amount) : 0;
  c.sponsorship = true;
  const uint32_t holder = valid ? MonthlyHolder() : plan_.AnyOf(plan_.credit_holders);
  c.assignments = History(activated, holder, DrawnReassignments());
}

void CreditWriter::PlanMonthlyBreach(CreditPlan& c, MonthlyBreach kind) {
  switch (kind) {
    case MonthlyBreach::kOverReassigned:
      ActiveSince(c, Plus(as_of_, -rng_.Between(60, 330)));
      c.assignments = History(*c.activated, MonthlyHolder(), rng_.Between(6, 8));
      break;
    case MonthlyBreach::kFreeMailHolder:
      ActiveSince(c, Plus(as_of_, -rng_.Between(5, 330)));
      c.assignments = History(*c.activated, plan_.AnyOf(plan_.banned_mail), 0);
      break;
    case MonthlyBreach::kPastValidity:
      // Thirteen months after activation end before as_of (AddMonths clamps, never overshoots).
      c.package = plan_.AnyOf(plan_.old_packages);
      ActiveSince(c, Plus(AddMonths(as_of_, -13), -rng_.Between(1, 120)));
      c.assignments = History(*c.activated, MonthlyHolder(), rng_.Between(0, 2));
      break;
    case MonthlyBreach::kOnPayAsYouGo:
      ActiveSince(c, Plus(as_of_, -rng_.Between(5, 330)));
      c.sponsorship = false;
      // A different one each time while there are enough: two credits of different packages
      // on one subscription would also break credits.no-consolidation.
      c.payg = payg_turn_++ % plan_.pay_as_you_go_count;
      c.assignments = History(*c.activated, MonthlyHolder(), DrawnReassignments());
      break;
    case MonthlyBreach::kActivationWindowMissed:
      NotRedeemed(c, Plus(as_of_, -rng_.Between(91, 250)));
      break;
    case MonthlyBreach::kNoAssignment:
      ActiveSince(c, Plus(as_of_, -rng_.Between(5, 330)));
      break;
    case MonthlyBreach::kCount:
      break;
  }
}

// The benefit year of its package, one user for the whole year, and no user holding two
// current bulk credits.
void CreditWriter::PlanBulk(CreditPlan& c) {
  const PackageRecord& package = plan_.packages[c.package];
  if (!package.activated) {
    const Date start = Earlier(as_of_, Plus(package.purchased, 4));
    c.start = start;
    c.end = YearEnd(start);
    NotRedeemed(c, start);
    return;
  }
  const Date start = *package.activated;
  c.start = start;
  c.end = YearEnd(start);
  c.awarded = start;
  const Date activated = Earlier(as_of_, Plus(start, rng_.Between(0, 10)));
  if (*c.end < as_of_) {  // last term's credit, its year over
    c.status = "expired";
    c.activated = activated;
    c.balance = 0;
    c.sponsorship = true;
    c.assignments = History(activated, plan_.AnyOf(plan_.credit_holders), 0);
    return;
  }
  if (as_of_.days - start.days <= 80 && rng_.Percent(25)) {
    NotRedeemed(c, start);
    return;
  }
  const std::optional<uint32_t> holder = NextBulkHolder();
  if (!holder) {  // more bulk credits than users (a tiny partner): this one waits
    NotRedeemed(c, Later(start, Plus(as_of_, -rng_.Between(0, 80))));
    return;
  }
  c.status = "active";
  c.activated = activated;
  c.balance = rng_.Between(0, c.amount);
  c.sponsorship = true;
  c.assignments = History(activated, *holder, 0);
  if (rng_.Percent(3)) {
    // Removed and given back to the same user: no reassignment (docs/state-format.md).
    const Date later = Later(activated, Plus(as_of_, -rng_.Between(0, 30)));
    c.assignments.push_back({false, *holder, later});
    c.assignments.push_back({true, *holder, later});
  }
}

void CreditWriter::PlanBulkBreach(CreditPlan& c, BulkBreach kind) {
  switch (kind) {
    case BulkBreach::kReassigned: {
      CurrentBenefitYear(c);
      const uint32_t holder = *NextBulkHolder();
      const uint32_t before = OtherHolder(holder);
      const Date changed = Later(*c.activated, Plus(as_of_, -rng_.Between(0, 60)));
      c.assignments = {
          {true, before, *c.activated}, {false, before, changed}, {true, holder, changed}};
      break;
    }
    case BulkBreach::kPastWindow: {
      const Date start = Plus(as_of_, -rng_.Between(370, 480));
      c.start = start;
      c.end = YearEnd(start);
      ActiveSince(c, Plus(start, rng_.Between(0, 10)));
      c.awarded = start;
      c.assignments = History(*c.activated, plan_.AnyOf(plan_.credit_holders), 0);
      break;
    }
    case BulkBreach::kSecondBulkCredit:
      CurrentBenefitYear(c);
      c.assignments = History(*c.activated, plan_.AnyOf(current_bulk_holders_), 0);
      break;
    case BulkBreach::kFreeMailHolder:
      CurrentBenefitYear(c);
      c.assignments = History(*c.activated, plan_.AnyOf(plan_.banned_mail), 0);
      break;
    case BulkBreach::kNoAssignment:
      CurrentBenefitYear(c);
      break;
    case BulkBreach::kCount:
      break;
  }
}

// Changes of user of a compliant monthly credit: mostly none, one in twenty at the cap of five.
int64_t CreditWriter::DrawnReassignments() {
  const uint64_t roll = rng_.Below(100);
  if (roll < 55) return 0;
  if (roll < 75) return 1;
  if (roll < 85) return 2;
  if (roll < 91) return 3;
  if (roll < 95) return 4;
  return 5;
}

// An assignment history from `first` to as_of that ends with `holder` and changes user exactly
// `changes` times (none when there are not two holders to alternate). Users are chosen from the
// end backwards, each different from the next; a change is sometimes recorded as a removal
// followed by an assignment, which counts the same (docs/state-format.md).
std::vector<AssignmentEvent> CreditWriter::History(Date first, uint32_t holder, int64_t changes) {
  if (plan_.credit_holders.size() < 2) changes = 0;
  std::vector<uint32_t> chain(static_cast<size_t>(changes) + 1);
  chain.back() = holder;
  for (size_t j = chain.size() - 1; j > 0; --j) chain[j - 1] = OtherHolder(chain[j]);
  const int64_t span = std::max<int64_t>(0, as_of_.days - first.days);
  std::vector<AssignmentEvent> events;
  for (size_t j = 0; j < chain.size(); ++j) {
    const Date on =
        Plus(first, span * static_cast<int64_t>(j) / static_cast<int64_t>(chain.size()));
    if (j > 0 && rng_.Percent(30)) events.push_back({false, chain[j - 1], on});
    events.push_back({true, chain[j], on});
  }
  return events;
}

std::optional<uint32_t> CreditWriter::NextBulkHolder() {
  if (bulk_next_ >= bulk_order_.size()) return std::nullopt;
  const uint32_t holder = bulk_order_[bulk_next_++];
  current_bulk_holders_.push_back(holder);
  return holder;
}

// A credit holder other than `avoid` (`avoid` itself when it is the only one).
uint32_t CreditWriter::OtherHolder(uint32_t avoid) {
  const std::vector<uint32_t>& holders = plan_.credit_holders;
  size_t k = rng_.Below(holders.size());
  if (holders[k] == avoid) k = (k + 1) % holders.size();
  return holders[k];
}

void CreditWriter::WriteCredit(const CreditPlan& c, const std::string& id) {
  std::string subscription;
  if (c.sponsorship) {
    subscription = "AZ-" + id;
    // Created by the redemption, on the holder's tenant (the main one when nobody holds it).
    const uint32_t tenant =
        c.assignments.empty() ? kMainTenant : plan_.users[c.assignments.back().user].tenant;
    plan_.azure_lines.Next()
        .BeginObject()
        .Member("id", subscription)
        .Member("name", std::string(plan_.company.name) + " sponsorship (" + id + ")")
        .Member("tenant", plan_.tenants[tenant].id)
        .Member("type", "sponsorship")
        .Member("created_on", FormatDate(*c.activated))
        .Member("credit", id)
        .EndObject();
  } else if (c.payg) {
    subscription = NumberedId("AZ-PAYG-", *c.payg + 1, 3);
  }

  JsonText json = plan_.credit_lines.Next();
  json.BeginObject()
      .Member("id", id)
      .Member("name", std::string(c.bulk ? "Azure bulk credit " : "Azure monthly credit ") +
                          Dollars(c.amount))
      .Member("kind", c.bulk ? "bulk" : "monthly")
      .Member("package", plan_.packages[c.package].id)
      .Member("amount", c.amount)
      .Member("currency", "USD")
      .Member("status", c.status)
      .Member("awarded_on", FormatDate(c.awarded));
  if (c.activated) json.Member("activated_on", FormatDate(*c.activated));
  if (c.start) json.Member("start", FormatDate(*c.start));
  if (c.end) json.Member("end", FormatDate(*c.end));
  if (c.balance) json.Member("balance", *c.balance);
  if (!subscription.empty()) json.Member("azure_subscription", subscription);
  json.Key("assignments").BeginArray();
  for (const AssignmentEvent& e : c.assignments) {
    json.BeginObject()
        .Member("event", e.assigned ? "assigned" : "removed")
        .Member("user", plan_.users[e.user].id)
        .Member("on", FormatDate(e.on))
        .EndObject();
  }
  json.EndArray().EndObject();
}

}  // namespace

void WriteCredits(PartnerPlan& plan) { CreditWriter(plan).Write(); }

}  // namespace partnerpolicy::bench
