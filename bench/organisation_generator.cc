// WriteOrganisation: the calendar, the partner, its tenants, billing accounts, users, benefit
// packages and pay-as-you-go subscriptions (partner_plan.h), which the credits and cloud
// benefits written after them refer to.
#include <algorithm>
#include <string>
#include <vector>

#include "partner_plan.h"

namespace partnerpolicy::bench {
namespace {

// Microsoft's fictitious companies, so that nothing looks like a real partner.
constexpr Company kCompanies[] = {
    {"Contoso Ltd", "contoso"},           {"Fabrikam Inc", "fabrikam"},
    {"Northwind Traders", "northwind"},   {"Adventure Works Cycles", "adventureworks"},
    {"Litware Inc", "litware"},           {"Proseware Inc", "proseware"},
    {"Woodgrove Bank", "woodgrove"},      {"Lucerne Publishing", "lucernepublishing"},
    {"Trey Research", "treyresearch"},    {"Wide World Importers", "wideworldimporters"},
    {"Margie's Travel", "margiestravel"}, {"Blue Yonder Airlines", "blueyonder"},
};

constexpr std::string_view kCountries[] = {"US", "DE", "GB", "FR", "NL", "AU",
                                           "CA", "JP", "IN", "BR", "SE", "ES"};

constexpr std::string_view kFirstNames[] = {
    "Alice", "Bob",    "Carol", "Dave",   "Emma",  "Frank", "Gina",  "Hank",    "Ivan", "Judy",
    "Karim", "Lena",   "Marco", "Nadia",  "Oscar", "Priya", "Quinn", "Rosa",    "Sven", "Tara",
    "Uma",   "Victor", "Wen",   "Ximena", "Yusuf", "Zoe",   "Amir",  "Beatriz", "Chen", "Dmitri"};

constexpr std::string_view kLastNames[] = {
    "Ramos",  "Chen",     "Okafor",  "Larsen",  "Kowalski", "Meyer",  "Rossi",    "Patel",
    "Petrov", "Nakamura", "Haddad",  "Novak",   "Silva",    "Dubois", "Andersen", "Garcia",
    "Kim",    "Nguyen",   "Schmidt", "Ivanova", "Murphy",   "Tanaka", "Moreau",   "Costa"};

// Consumer e-mail services of guest users. The first three are the FAQ's examples, which
// credits.free-domain-ban always bans and which planted breaches use; outlook.com is banned too
// (it is in the rule's free-mail list) but is never given a credit, so it plants no breach.
constexpr std::string_view kFreeMailDomains[] = {"gmail.com", "hotmail.com", "live.com",
                                                 "outlook.com"};
constexpr size_t kBannedFreeMailDomains = 3;

constexpr std::string_view kActionPack = "Microsoft AI Cloud Partner Program Action Pack";
constexpr std::string_view kDesignations[] = {
    "Solutions Partner for Azure",
    "Solutions Partner for Modern Work",
    "Solutions Partner for Security",
    "Solutions Partner for Data & AI (Azure)",
    "Solutions Partner for Infrastructure (Azure)",
    "Solutions Partner for Digital & App Innovation (Azure)",
    "Solutions Partner for Business Applications",
};

Date FirstOfMonth(Date date) { return Plus(MonthEnd(AddMonths(date, -1)), 1); }

// The membership year is under way on as_of; the modernized redemption went live six to
// eighteen months before it began, so both older (product-key) and newer (keyless) offers exist.
void PlanCalendar(PartnerPlan& plan) {
  SeededRandom& rng = plan.rng;
  plan.membership_start = AddMonths(FirstOfMonth(plan.as_of), -rng.Between(2, 10));
  plan.membership_end = YearEnd(plan.membership_start);
  plan.membership_purchased = Plus(plan.membership_start, -rng.Between(1, 20));
  plan.modernized_since = AddMonths(plan.membership_start, -rng.Between(6, 18));
}

// An active, authorized partner, unless it breaks one of the account rules.
void WritePartner(PartnerPlan& plan) {
  SeededRandom& rng = plan.rng;
  std::string_view vetting = "authorized";
  Date submitted = Plus(plan.membership_start, -rng.Between(400, 1500));
  int64_t appeals = 0;
  if (plan.Breaches()) {
    if (rng.Below(2) == 0) {
      // account.verification-sla: in progress for 12 days or more (at least 6 business days,
      // one more than the SLA) and no banner telling the partner what to do.
      vetting = "in_progress";
      submitted = Plus(plan.as_of, -rng.Between(12, 40));
    } else {
      // account.appeal-limit: four appeals against a rejection, one more than allowed.
      vetting = "rejected";
      submitted = Plus(plan.as_of, -rng.Between(60, 200));
      appeals = 4;
    }
  }
  JsonText json(&plan.partner_text);
  json.BeginObject()
      .Member("id", plan.partner_id)
      .Member("name", plan.company.name)
      .Member("country", plan.country)
      .Member("program_status", "active")
      .Member("vetting_status", vetting)
      .Member("vetting_submitted_on", FormatDate(submitted))
      .Member("verification_banner", false)
      .Member("appeals_used", appeals)
      .Member("modernized_redemption_since", FormatDate(plan.modernized_since));
  json.Key("membership")
      .BeginObject()
      .Member("offer", kActionPack)
      .Member("purchased_on", FormatDate(plan.membership_purchased))
      .Member("start", FormatDate(plan.membership_start))
      .Member("end", FormatDate(plan.membership_end))
      .Member("payment", rng.Below(2) == 0 ? "card" : "invoice")
      .EndObject();
  json.EndObject();
}

// Tenants: the main (managing) one and a lab, both associated with the purchase billing account;
// a consulting tenant associated only with a second account; one regional tenant per 5,000
// users, associated with the purchase account. One more billing account per 20,000 users pays
// for the main tenant's Azure consumption; no benefit is bound to it.
void WriteTenantsAndBillingAccounts(PartnerPlan& plan) {
  const std::string slug(plan.company.slug);
  plan.tenants.push_back({"T-1", slug + ".onmicrosoft.com"});
  plan.tenants.push_back({"T-2", slug + "lab.onmicrosoft.com"});
  plan.tenants.push_back({"T-3", slug + "consulting.onmicrosoft.com"});
  for (uint32_t r = 0; r < plan.users_count / 5000; ++r) {
    plan.tenants.push_back({NumberedId("T-", kFirstRegionalTenant + 1 + r, 1),
                            slug + "region" + std::to_string(r + 1) + ".onmicrosoft.com"});
  }
  for (size_t t = 0; t < plan.tenants.size(); ++t) {
    plan.tenant_lines.Next()
        .BeginObject()
        .Member("id", plan.tenants[t].id)
        .Member("domain", plan.tenants[t].domain)
        .Member("managing", t == kMainTenant)
        .EndObject();
  }

  auto associate = [&plan](JsonText& json, uint32_t tenant, bool billing, bool provisioning) {
    json.BeginObject()
        .Member("tenant", plan.tenants[tenant].id)
        .Member("billing_management", billing)
        .Member("provisioning", provisioning)
        .EndObject();
  };
  const uint32_t accounts = 2 + plan.users_count / 20000;
  for (uint32_t a = 0; a < accounts; ++a) {
    plan.billing_account_ids.push_back(NumberedId("BA-", a + 1, 1));
    std::string name(plan.company.name);
    if (a == kConsultingAccount) name += " Consulting Services";
    if (a > kConsultingAccount) name += " Billing " + std::to_string(a + 1);
    JsonText json = plan.billing_account_lines.Next();
    json.BeginObject()
        .Member("id", plan.billing_account_ids.back())
        .Member("name", name)
        .Member("purchase_account", a == kPurchaseAccount);
    json.Key("associated_tenants").BeginArray();
    if (a == kPurchaseAccount) {
      for (uint32_t t = 0; t < plan.tenants.size(); ++t) {
        if (t != kConsultingTenant) associate(json, t, true, true);
      }
    } else if (a == kConsultingAccount) {
      associate(json, kConsultingTenant, true, true);
    } else {
      associate(json, kMainTenant, true, false);
    }
    json.EndArray().EndObject();
  }
}

// Users: the first is the lead admin (partner admin, global admin, owner of both billing
// accounts); about 1% are partner admins, half of whom can complete a $0 checkout; 0.3% are
// service principals; 2% are guests with a consumer e-mail address; 4% have no usage location.
void WriteUsers(PartnerPlan& plan) {
  SeededRandom& rng = plan.rng;
  const std::string company_domain = std::string(plan.company.slug) + ".com";
  const size_t regional = plan.tenants.size() - kFirstRegionalTenant;
  plan.users.reserve(plan.users_count);
  for (uint32_t i = 0; i < plan.users_count; ++i) {
    UserRecord user;
    user.id = NumberedId("u", i + 1, 6);
    const bool lead = i == kLeadAdmin;
    const bool service_principal =
        (i == 1 && plan.users_count >= 5) || (i > 1 && rng.Below(1000) < 3);
    const bool guest = !lead && !service_principal && rng.Percent(2);
    const uint64_t where = rng.Below(100);
    if (lead || service_principal || where < 85) {
      user.tenant = kMainTenant;
    } else if (where < 95) {
      user.tenant = kLabTenant;
    } else if (where < 98 || regional == 0) {
      user.tenant = kConsultingTenant;
    } else {
      user.tenant = static_cast<uint32_t>(kFirstRegionalTenant + rng.Below(regional));
    }
    const bool located = lead || (!service_principal && rng.Percent(96));

    const std::string first(rng.Pick(kFirstNames));
    const std::string last(rng.Pick(kLastNames));
    const std::string number = std::to_string(i + 1);  // keeps addresses unique
    std::string email, name;
    if (service_principal) {
      email = "automation" + number + "@" + company_domain;
      name = std::string(plan.company.name) + " automation " + number;
    } else {
      name = first + " " + last;
      std::string local = first + "." + last + number;
      std::transform(local.begin(), local.end(), local.begin(),
                     [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
      if (guest) {
        const size_t d = rng.Below(std::size(kFreeMailDomains));
        email = local + "@" + std::string(kFreeMailDomains[d]);
        if (d < kBannedFreeMailDomains) plan.banned_mail.push_back(i);
      } else {
        email = local + "@" + company_domain;
      }
    }

    // Partner Center roles, in the schema's order; guests and service principals have none.
    std::vector<std::string_view> roles;
    bool partner_admin = lead;
    if (lead) {
      roles = {"partner_admin", "global_admin"};
    } else if (!service_principal && !guest) {
      partner_admin = rng.Below(1000) < 10;
      if (partner_admin) roles.push_back("partner_admin");
      if (rng.Below(1000) < 2) roles.push_back("global_admin");
      if (rng.Below(1000) < 5) roles.push_back("user_admin");
      if (rng.Below(1000) < 5) roles.push_back("account_admin");
      if (rng.Below(1000) < 5) roles.push_back("billing_admin");
      if (rng.Below(1000) < 3) roles.push_back("referrals_admin");
      if (rng.Below(1000) < 3) roles.push_back("incentives_admin");
    }
    struct BillingRole {
      uint32_t account;
      std::string_view role;
    };
    std::vector<BillingRole> billing;
    bool checkout = false;  // can complete a $0 checkout on the purchase account
    if (lead) {
      billing = {{kPurchaseAccount, "billing_account_owner"},
                 {kConsultingAccount, "billing_account_owner"}};
      checkout = true;
    } else if (partner_admin && rng.Below(2) == 0) {
      billing = {{kPurchaseAccount, "billing_account_contributor"}};
      checkout = true;
    } else if (!service_principal && !guest) {
      const uint64_t roll = rng.Below(1000);
      if (roll < 10) {
        billing = {{kPurchaseAccount, "billing_account_reader"}};
      } else if (roll < 13) {
        billing = {{kPurchaseAccount, "invoice_manager"}};
      } else if (roll < 16) {
        billing = {{kPurchaseAccount, "billing_profile_owner"}};
      } else if (roll < 21) {
        billing = {{kConsultingAccount, "billing_account_contributor"}};
      }
    }

    JsonText json = plan.user_lines.Next();
    json.BeginObject()
        .Member("id", user.id)
        .Member("email", email)
        .Member("name", name)
        .Member("tenant", plan.tenants[user.tenant].id);
    json.Key("partner_center_roles").BeginArray();
    for (std::string_view role : roles) json.String(role);
    json.EndArray();
    json.Key("billing_roles").BeginArray();
    for (const BillingRole& held : billing) {
      json.BeginObject()
          .Member("billing_account", plan.billing_account_ids[held.account])
          .Member("role", held.role)
          .EndObject();
    }
    json.EndArray();
    if (located) json.Member("usage_location", plan.country);
    if (service_principal) json.Member("service_principal", true);
    json.EndObject();

    if (!service_principal && !guest) {
      plan.credit_holders.push_back(i);
      (located ? plan.licensees : plan.unlocated).push_back(i);
      if (roles.empty()) plan.plain_users.push_back(i);
    }
    if (checkout) plan.checkout_users.push_back(i);
    if (user.tenant == kMainTenant && (lead || service_principal || partner_admin)) {
      plan.link_accounts.push_back(i);
    }
    plan.users.push_back(std::move(user));
  }
}

// One package per 100 users (at least three): last term's Action Pack, bought before the
// modernized redemption went live; this term's; then designations, a quarter of them bought
// before the go-live too. A package bought in the last few days is not activated yet.
void WritePackages(PartnerPlan& plan) {
  SeededRandom& rng = plan.rng;
  const uint32_t count = 3 + plan.users_count / 100;
  for (uint32_t p = 0; p < count; ++p) {
    PackageRecord package;
    package.id = NumberedId("PKG-", p + 1, 4);
    package.modernized = p == 1 || (p >= 2 && !rng.Percent(25));
    const std::string_view offer = p < 2 ? kActionPack : rng.Pick(kDesignations);
    if (package.modernized) {
      package.purchased = p == 1
                              ? plan.membership_purchased
                              : Date{rng.Between(plan.membership_purchased.days, plan.as_of.days)};
      const Date activated = Plus(package.purchased, rng.Between(1, 4));
      if (activated <= plan.as_of) package.activated = activated;
      plan.current_packages.push_back(p);
    } else {
      package.purchased = Plus(plan.modernized_since, -rng.Between(1, 400));
      package.activated = Plus(package.purchased, rng.Between(1, 6));
      plan.old_packages.push_back(p);
    }
    JsonText json = plan.package_lines.Next();
    json.BeginObject()
        .Member("id", package.id)
        .Member("name", offer)
        .Member("membership_offer", offer)
        .Member("purchased_on", FormatDate(package.purchased));
    if (package.activated) json.Member("activated_on", FormatDate(*package.activated));
    json.EndObject();
    plan.packages.push_back(std::move(package));
  }
}

// Pay-as-you-go subscriptions, one per 250 users (at least one): years old, carrying no credit.
void WritePayAsYouGo(PartnerPlan& plan) {
  plan.pay_as_you_go_count = 1 + plan.users_count / 250;
  for (uint32_t k = 0; k < plan.pay_as_you_go_count; ++k) {
    plan.azure_lines.Next()
        .BeginObject()
        .Member("id", NumberedId("AZ-PAYG-", k + 1, 3))
        .Member("name", std::string(plan.company.name) + " production " + std::to_string(k + 1))
        .Member("tenant", plan.tenants[kMainTenant].id)
        .Member("type", "pay_as_you_go")
        .Member("created_on", FormatDate(Plus(plan.as_of, -plan.rng.Between(400, 2000))))
        .EndObject();
  }
}

}  // namespace

void WriteOrganisation(PartnerPlan& plan) {
  plan.company = plan.rng.Pick(kCompanies);
  plan.country = plan.rng.Pick(kCountries);
  plan.partner_id = std::to_string(plan.rng.Between(1000000, 9999999));
  PlanCalendar(plan);
  WritePartner(plan);
  WriteTenantsAndBillingAccounts(plan);
  WriteUsers(plan);
  WritePackages(plan);
  WritePayAsYouGo(plan);
}

}  // namespace partnerpolicy::bench
