// The checks mirror docs/state-format.md ("Consistency checked by the host"), in its order.
// Dates are compared as their YYYY-MM-DD text, which orders like the days (the schema fixes the
// form; an impossible day such as 2026-02-30 is reported by CheckStateIntegrity).
#include "state_consistency.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace partnerpolicy {
namespace {

class ConsistencyChecker {
 public:
  explicit ConsistencyChecker(const Document& doc) : doc_(doc) {}

  Errors Run() {
    CheckMembership();
    CheckBillingAccounts();
    CheckBenefitPackages();
    CheckCredits();
    CheckSponsorships();
    CheckCloudBenefits();
    CheckSubscriptions();
    CheckPartnerIdLinks();
    return std::move(errors_);
  }

 private:
  // --- Reading ---

  // The elements of a top-level collection (none when it is absent).
  std::vector<NodeId> Elements(std::string_view collection) const {
    return Children(Member(doc_.root(), collection));
  }
  std::vector<NodeId> Children(NodeId array) const {
    std::vector<NodeId> out;
    if (array == kNoNode || doc_.kind(array) != NodeKind::kArray) return out;
    for (uint32_t i = 0; i < doc_.size(array); ++i) out.push_back(doc_.child(array, i));
    return out;
  }
  // An object's member, or kNoNode (also when `object` is kNoNode or not an object).
  NodeId Member(NodeId object, std::string_view name) const {
    return object == kNoNode ? kNoNode : doc_.member(object, name);
  }
  // A member that is a string, or kNoNode.
  NodeId StringAt(NodeId object, std::string_view name) const {
    NodeId m = Member(object, name);
    return m != kNoNode && doc_.kind(m) == NodeKind::kString ? m : kNoNode;
  }
  // A member that is a number, or kNoNode.
  NodeId NumberAt(NodeId object, std::string_view name) const {
    NodeId m = Member(object, name);
    if (m == kNoNode) return kNoNode;
    return doc_.kind(m) == NodeKind::kInteger || doc_.kind(m) == NodeKind::kFloat ? m : kNoNode;
  }
  std::string Str(NodeId node) const { return std::string(doc_.string(node)); }
  std::string Id(NodeId entity) const { return std::string(doc_.string_member(entity, "id")); }
  // A number as the file would write it: 40, 12.5.
  std::string Num(NodeId node) const {
    if (doc_.kind(node) == NodeKind::kInteger) return std::to_string(doc_.integer(node));
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", doc_.number(node));
    return text;
  }
  // "1 license", "12 licenses".
  std::string Licenses(NodeId count) const {
    return Num(count) + (doc_.number(count) == 1 ? " license" : " licenses");
  }
  // "no license is assigned", "only 1 license is assigned", "only 2 licenses are assigned".
  std::string AssignedWords(NodeId count) const {
    if (doc_.number(count) == 0) return "no license is assigned";
    return "only " + Licenses(count) + (doc_.number(count) == 1 ? " is" : " are") + " assigned";
  }
  std::string Ptr(NodeId node) const { return doc_.pointer(node); }
  // The element of a top-level collection with this id, or kNoNode.
  NodeId Find(std::string_view collection, NodeId id) const {
    NodeId array = doc_.member(doc_.root(), collection);
    if (array == kNoNode || id == kNoNode) return kNoNode;
    return doc_.find_by_id(array, doc_.string(id));
  }

  // --- Reporting ---

  void Report(NodeId at, std::string message) {
    errors_.push_back(Error{
        ErrorCode::kInvalidInput, std::move(message),
        SourceLocation{doc_.source_name(), doc_.line(at), doc_.column(at), doc_.pointer(at)}, ""});
  }
  // "<claim>, but <pointer of other> says <says>": the error sits at `at`.
  void Contradiction(NodeId at, const std::string& claim, NodeId other, const std::string& says) {
    Report(at, claim + ", but " + Ptr(other) + " says " + says);
  }
  // Whether date a is later than date b (both present).
  bool After(NodeId a, NodeId b) const {
    return a != kNoNode && b != kNoNode && doc_.string(a) > doc_.string(b);
  }

  // --- The checks ---

  void CheckMembership() {
    NodeId membership = Member(Member(doc_.root(), "partner"), "membership");
    if (membership == kNoNode) return;
    NodeId purchased = StringAt(membership, "purchased_on");
    NodeId start = StringAt(membership, "start");
    NodeId end = StringAt(membership, "end");
    if (After(start, end)) {
      Contradiction(start, "the membership starts on " + Str(start), end,
                    "it ends earlier, on " + Str(end));
    }
    if (After(purchased, start)) {
      Contradiction(purchased, "the membership was bought on " + Str(purchased), start,
                    "its year began earlier, on " + Str(start) +
                        "; a membership year cannot begin before it is bought");
    }
  }

  void CheckBillingAccounts() {
    // lib.billing takes the first purchase account and a tenant's first association; a second
    // one saying otherwise would be ignored without a word.
    NodeId first_purchase = kNoNode;
    for (NodeId account : Elements("billing_accounts")) {
      NodeId purchase = Member(account, "purchase_account");
      if (purchase != kNoNode && doc_.kind(purchase) == NodeKind::kBool && doc_.boolean(purchase)) {
        if (first_purchase == kNoNode) {
          first_purchase = purchase;
        } else {
          Contradiction(purchase,
                        "billing account " + Id(account) + " is marked as the purchase account",
                        first_purchase,
                        "billing account " + Id(doc_.parent(first_purchase)) +
                            " is; the membership is bought with one billing account");
        }
      }
      std::unordered_map<std::string_view, NodeId> associations;
      for (NodeId association : Children(Member(account, "associated_tenants"))) {
        NodeId tenant = StringAt(association, "tenant");
        if (tenant == kNoNode) continue;
        auto [it, fresh] = associations.emplace(doc_.string(tenant), tenant);
        if (!fresh) {
          Contradiction(tenant,
                        "billing account " + Id(account) + " associates tenant " + Str(tenant) +
                            " a second time",
                        it->second,
                        "the same tenant is associated already; a tenant is associated once, "
                        "with one set of flags");
        }
      }
    }
  }

  void CheckBenefitPackages() {
    for (NodeId package : Elements("benefit_packages")) {
      NodeId purchased = StringAt(package, "purchased_on");
      NodeId activated = StringAt(package, "activated_on");
      if (After(purchased, activated)) {
        Contradiction(activated,
                      "benefit package " + Id(package) + " was activated on " + Str(activated),
                      purchased, "it was bought later, on " + Str(purchased));
      }
    }
  }

  void CheckCredits() {
    for (NodeId credit : Elements("credits")) {
      const std::string id = Id(credit);
      NodeId status = StringAt(credit, "status");
      NodeId awarded = StringAt(credit, "awarded_on");
      NodeId activated = StringAt(credit, "activated_on");
      NodeId start = StringAt(credit, "start");
      NodeId end = StringAt(credit, "end");
      NodeId amount = NumberAt(credit, "amount");
      NodeId balance = NumberAt(credit, "balance");
      NodeId sponsorship = StringAt(credit, "azure_subscription");
      const std::string_view state = status == kNoNode ? "" : doc_.string(status);

      if (After(start, end)) {
        Contradiction(start, "credit " + id + " can be consumed from " + Str(start), end,
                      "its last day is earlier, " + Str(end));
      }
      if (balance != kNoNode && amount != kNoNode && doc_.number(balance) > doc_.number(amount)) {
        Contradiction(
            balance, "credit " + id + " has a balance of " + Num(balance), amount,
            "its amount is " + Num(amount) + "; the unconsumed balance cannot exceed the amount");
      }
      if (After(awarded, activated)) {
        Contradiction(activated, "credit " + id + " was activated on " + Str(activated), awarded,
                      "it was awarded later, on " + Str(awarded));
      }
      // The status and the activation record say the same thing twice: a Not Redeemed credit
      // has not been activated or redeemed on a subscription, a Redeemed or Active one has been
      // activated (activated_on absent means not activated).
      if (state == "not_redeemed" && activated != kNoNode) {
        Contradiction(status, "credit " + id + " is not_redeemed", activated,
                      "it was activated on " + Str(activated));
      }
      if (state == "not_redeemed" && sponsorship != kNoNode) {
        Contradiction(status, "credit " + id + " is not_redeemed", sponsorship,
                      "it is redeemed on Azure subscription " + Str(sponsorship));
      }
      if ((state == "redeemed" || state == "active") && activated == kNoNode) {
        Report(status, "credit " + id + " is " + Str(status) + ", but " + Ptr(credit) +
                           " has no activated_on, which says it was never activated");
      }
      CheckAssignmentHistory(credit, id);
    }
  }

  // credits[].assignments: oldest first, and a removal removes the user who holds the credit.
  void CheckAssignmentHistory(NodeId credit, const std::string& id) {
    NodeId previous_on = kNoNode;
    NodeId holder = kNoNode;      // user node of the assigned event in force, or none
    NodeId last_event = kNoNode;  // the event that left the credit as it is
    for (NodeId event : Children(Member(credit, "assignments"))) {
      NodeId on = StringAt(event, "on");
      if (After(previous_on, on)) {
        Contradiction(on, "credit " + id + "'s history lists an event on " + Str(on), previous_on,
                      "the event before it was later, on " + Str(previous_on) +
                          "; the history is oldest first");
      }
      if (on != kNoNode) previous_on = on;
      NodeId user = StringAt(event, "user");
      std::string_view kind = doc_.string_member(event, "event");
      if (user == kNoNode) continue;
      if (kind == "assigned") {
        holder = user;
      } else if (kind == "removed") {
        const std::string claim = "credit " + id + "'s history removes " + Str(user);
        if (holder == kNoNode && last_event == kNoNode) {
          Report(user, claim + ", but no event before it in " + Ptr(doc_.parent(event)) +
                           " assigned the credit to anyone");
        } else if (holder == kNoNode) {
          Contradiction(user, claim, last_event, "nobody holds the credit then");
        } else if (doc_.string(holder) != doc_.string(user)) {
          Contradiction(user, claim, doc_.parent(holder), Str(holder) + " holds the credit then");
        } else {
          holder = kNoNode;
        }
      }
      last_event = event;
    }
  }

  // azure_subscriptions[].credit: the credit whose redemption is recorded on the subscription.
  void CheckSponsorships() {
    for (NodeId subscription : Elements("azure_subscriptions")) {
      NodeId credit_id = StringAt(subscription, "credit");
      NodeId credit = Find("credits", credit_id);
      if (credit == kNoNode) continue;
      NodeId status = StringAt(credit, "status");
      // A credit that names a subscription itself is judged on that (CheckCredits).
      if (status != kNoNode && doc_.string(status) == "not_redeemed" &&
          StringAt(credit, "azure_subscription") == kNoNode) {
        Contradiction(credit_id,
                      "Azure subscription " + Id(subscription) + " records credit " +
                          Str(credit_id) + " as redeemed on it",
                      status, Str(credit_id) + " is not_redeemed");
      }
    }
  }

  void CheckCloudBenefits() {
    for (NodeId benefit : Elements("cloud_benefits")) {
      const std::string id = Id(benefit);
      NodeId status = StringAt(benefit, "status");
      // An available benefit has not been redeemed: no redemption is recorded for it.
      if (status != kNoNode && doc_.string(status) == "available") {
        const std::string claim = "cloud benefit " + id + " is available (not redeemed)";
        if (NodeId on = StringAt(benefit, "redeemed_on"); on != kNoNode) {
          Contradiction(status, claim, on, "it was redeemed on " + Str(on));
        }
        if (NodeId by = StringAt(benefit, "redeemed_by"); by != kNoNode) {
          Contradiction(status, claim, by, Str(by) + " redeemed it");
        }
        if (NodeId tenant = StringAt(benefit, "tenant"); tenant != kNoNode) {
          Contradiction(status, claim, tenant, "it was redeemed on tenant " + Str(tenant));
        }
        if (NodeId created = StringAt(benefit, "subscription"); created != kNoNode) {
          Contradiction(status, claim, created,
                        "its redemption created subscription " + Str(created));
        }
      }
      // The subscription a redemption created names the benefit it came from.
      NodeId created = StringAt(benefit, "subscription");
      NodeId subscription = Find("subscriptions", created);
      if (subscription == kNoNode) continue;
      NodeId origin = StringAt(subscription, "benefit");
      if (origin != kNoNode && doc_.string(origin) != id) {
        Contradiction(created,
                      "cloud benefit " + id + " records subscription " + Str(created) +
                          " as created by its redemption",
                      origin, Str(created) + " was created by benefit " + Str(origin));
      }
    }
  }

  void CheckSubscriptions() {
    // Product keys by key text: a key a subscription records as redeemed is redeemed.
    std::unordered_map<std::string_view, NodeId> keys;
    for (NodeId benefit : Elements("cloud_benefits")) {
      for (NodeId key : Children(Member(benefit, "product_keys"))) {
        if (NodeId text = StringAt(key, "key"); text != kNoNode) {
          keys.emplace(doc_.string(text), key);
        }
      }
    }
    for (NodeId subscription : Elements("subscriptions")) {
      const std::string id = Id(subscription);
      NodeId active = NumberAt(subscription, "active_licenses");
      NodeId assigned = NumberAt(subscription, "assigned_licenses");
      if (active != kNoNode && assigned != kNoNode && doc_.number(assigned) > doc_.number(active)) {
        Contradiction(assigned, "subscription " + id + " has " + Licenses(assigned) + " assigned",
                      active, "it has only " + Licenses(active) + " active");
      }
      NodeId users = doc_.member(subscription, "assigned_users");
      std::vector<NodeId> holders = Children(users);
      // The list may name fewer holders than licenses are assigned (not every holder need be
      // recorded), never more: each listed user holds one of the assigned licenses.
      if (assigned != kNoNode && static_cast<double>(holders.size()) > doc_.number(assigned)) {
        Contradiction(users,
                      "subscription " + id + " lists " + std::to_string(holders.size()) +
                          (holders.size() == 1 ? " user" : " users") + " holding a license",
                      assigned, AssignedWords(assigned));
      }
      std::unordered_map<std::string_view, NodeId> listed;
      for (NodeId user : holders) {
        if (doc_.kind(user) != NodeKind::kString) continue;
        auto [it, fresh] = listed.emplace(doc_.string(user), user);
        if (!fresh) {
          Contradiction(user, "subscription " + id + " lists user " + Str(user) + " again",
                        it->second, "the same user; a user holds one license of a subscription");
        }
      }
      CheckKeyRedemptions(subscription, id, keys);
      CheckOrigin(subscription, id);
    }
  }

  // subscriptions[].key_redemptions: oldest first, and each key it records is redeemed on the
  // benefit that lists the key, with the licenses that benefit lists for it.
  void CheckKeyRedemptions(NodeId subscription, const std::string& id,
                           const std::unordered_map<std::string_view, NodeId>& keys) {
    NodeId previous_on = kNoNode;
    for (NodeId redemption : Children(Member(subscription, "key_redemptions"))) {
      NodeId on = StringAt(redemption, "on");
      if (After(previous_on, on)) {
        Contradiction(on, "subscription " + id + "'s key redemptions list one on " + Str(on),
                      previous_on,
                      "the one before it was later, on " + Str(previous_on) +
                          "; the history is oldest first");
      }
      if (on != kNoNode) previous_on = on;
      NodeId key = StringAt(redemption, "key");
      if (key == kNoNode) continue;
      auto listed = keys.find(doc_.string(key));
      if (listed == keys.end()) continue;
      if (StringAt(listed->second, "redeemed_on") == kNoNode) {
        Contradiction(key,
                      "subscription " + id + " records product key " + Str(key) + " as redeemed" +
                          (on != kNoNode ? " on " + Str(on) : std::string()),
                      listed->second, "the key has not been redeemed (no redeemed_on)");
      }
      // One key, one number of licenses: the extension formula reads this one, the benefit's
      // list the other.
      NodeId used = NumberAt(redemption, "licenses");
      NodeId granted = NumberAt(listed->second, "licenses");
      if (used != kNoNode && granted != kNoNode && doc_.number(used) != doc_.number(granted)) {
        Contradiction(
            used,
            "subscription " + id + " records product key " + Str(key) + " with " + Licenses(used),
            granted, "the key grants " + Licenses(granted));
      }
    }
  }

  // subscriptions[].benefit of a keyless benefit: its one $0 checkout created one subscription.
  void CheckOrigin(NodeId subscription, const std::string& id) {
    NodeId origin = StringAt(subscription, "benefit");
    NodeId benefit = Find("cloud_benefits", origin);
    if (benefit == kNoNode || doc_.string_member(benefit, "redemption") != "keyless") return;
    NodeId status = StringAt(benefit, "status");
    NodeId created = StringAt(benefit, "subscription");
    const std::string claim =
        "subscription " + id + " was created by redeeming keyless benefit " + Str(origin);
    if (status != kNoNode && doc_.string(status) == "available") {
      Contradiction(origin, claim, status, Str(origin) + " is available (not redeemed)");
    } else if (created != kNoNode && doc_.string(created) != id) {
      Contradiction(origin, claim, created,
                    "the redemption of " + Str(origin) + " created subscription " + Str(created));
    }
  }

  void CheckPartnerIdLinks() {
    for (NodeId link : Elements("partner_id_links")) {
      std::unordered_map<std::string_view, NodeId> onboarded;
      for (NodeId entry : Children(Member(link, "onboarded_subscriptions"))) {
        NodeId subscription = StringAt(entry, "subscription");
        if (subscription == kNoNode) continue;
        auto [it, fresh] = onboarded.emplace(doc_.string(subscription), subscription);
        if (!fresh) {
          Contradiction(subscription,
                        "partner-ID link " + Id(link) + " onboards subscription " +
                            Str(subscription) + " a second time",
                        it->second,
                        "the same subscription is onboarded already; one entry holds its access, "
                        "role and assignment");
        }
      }
    }
  }

  const Document& doc_;
  Errors errors_;
};

}  // namespace

Errors CheckStateConsistency(const Document& doc) { return ConsistencyChecker(doc).Run(); }

}  // namespace partnerpolicy
