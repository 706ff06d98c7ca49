// WritePartnerIdLinks: links of the partner ID to customers' Azure subscriptions, for
// recognition and partner earned credit (partner_plan.h).
#include <algorithm>
#include <string>

#include "partner_plan.h"

namespace partnerpolicy::bench {
namespace {

struct Customer {
  std::string_view name;
  std::string_view slug;  // prefix of its subscriptions' names
};

constexpr Customer kCustomers[] = {
    {"Fabrikam", "fabrikam"},
    {"Wingtip Toys", "wingtip"},
    {"Tailspin Toys", "tailspin"},
    {"Alpine Ski House", "alpineskihouse"},
    {"Coho Winery", "cohowinery"},
    {"Lamna Healthcare", "lamna"},
    {"Munson's Pickles", "munsons"},
    {"Relecloud", "relecloud"},
    {"Bellows College", "bellows"},
    {"Southridge Video", "southridge"},
    {"First Up Consultants", "firstup"},
    {"Humongous Insurance", "humongous"},
    {"VanArsdel Ltd", "vanarsdel"},
    {"Graphic Design Institute", "graphicdesign"},
};

// Azure built-in roles eligible for partner earned credit that Azure Lighthouse can delegate (no
// Owner, no role with DataActions: policies/lib/azure_roles.lua).
constexpr std::string_view kPecRoles[] = {"Contributor", "Network Contributor",
                                          "Support Request Contributor"};
constexpr std::string_view kEnvironments[] = {"prod", "dev", "test", "data"};

enum class LinkBreach {
  kOutOfScope,        // pec.customer-scope (warning): the customer has not signed the MCA
  kJustInTime,        // pec.permanent-eligible-role: a just-in-time (eligible) authorization
  kNoAccess,          // pec.linked-account: the account cannot reach one subscription
  kForeignPartnerId,  // pec.linked-account: linked with another partner's ID
  kCount
};

}  // namespace

// One link per 100 users (at least one): the partner's own ID, an account of the managing
// tenant, a customer on the MCA and the Azure plan, one to three subscriptions (named uniquely,
// so that no link covers another's) reached with a PEC-eligible role assigned permanently.
void WritePartnerIdLinks(PartnerPlan& plan) {
  SeededRandom& rng = plan.rng;
  BreachTurns<LinkBreach> breaches;
  const uint32_t count = std::max<uint32_t>(1, plan.users_count / 100);
  for (uint32_t l = 0; l < count; ++l) {
    const Customer& customer = kCustomers[l % std::size(kCustomers)];
    std::string customer_name(customer.name);
    if (l >= std::size(kCustomers)) {
      customer_name += " " + std::to_string(l / std::size(kCustomers) + 1);
    }
    const size_t subscriptions = static_cast<size_t>(rng.Between(1, 3));
    const size_t first_environment = rng.Below(std::size(kEnvironments));
    std::optional<LinkBreach> kind;
    if (plan.Breaches()) kind = breaches.Next([](LinkBreach) { return true; });
    std::string partner_id = plan.partner_id;
    if (kind == LinkBreach::kForeignPartnerId) {
      // Another seven-digit ID: at most 1,000 ahead, wrapping within 1000000..9999999.
      const uint64_t own = std::stoull(plan.partner_id);
      partner_id = std::to_string((own - 1000000 + 1 + rng.Below(1000)) % 9000000 + 1000000);
    }

    JsonText json = plan.link_lines.Next();
    json.BeginObject()
        .Member("id", NumberedId("L-", l + 1, 4))
        .Member("partner_id", partner_id)
        .Member("account", plan.users[plan.AnyOf(plan.link_accounts)].id)
        .Member("customer", customer_name)
        .Member("customer_signed_mca", kind != LinkBreach::kOutOfScope)
        .Member("customer_on_azure_plan", true);
    json.Key("onboarded_subscriptions").BeginArray();
    for (size_t s = 0; s < subscriptions; ++s) {
      const bool last = s + 1 == subscriptions;  // the one a breach bends
      const std::string_view environment =
          kEnvironments[(first_environment + s) % std::size(kEnvironments)];
      json.BeginObject()
          .Member("subscription", std::string(customer.slug) + "-" + std::string(environment) +
                                      "-" + std::to_string(l + 1))
          .Member("account_has_access", !(last && kind == LinkBreach::kNoAccess))
          .Member("role", rng.Pick(kPecRoles))
          .Member("pec_eligible_role", true)
          .Member("assignment", last && kind == LinkBreach::kJustInTime ? "eligible" : "permanent")
          .EndObject();
    }
    json.EndArray().EndObject();
  }
}

}  // namespace partnerpolicy::bench
