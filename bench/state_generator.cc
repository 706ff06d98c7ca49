// GeneratePartnerState: checks the options, has each part of the state planned and written
// (partner_plan.h lists them), and lays the parts out as one JSON document.
#include "state_generator.h"

#include <optional>

#include "partner_plan.h"
#include "partnerpolicy/date.h"

namespace partnerpolicy::bench {

std::string OptionsProblem(const GeneratorOptions& options) {
  if (options.users < 1 || options.users > 1'000'000) {
    return "users must be from 1 to 1000000, not " + std::to_string(options.users);
  }
  if (!(options.breach_share >= 0 && options.breach_share <= 1)) {  // NaN fails both
    return "breach share must be from 0 to 1";
  }
  std::optional<Date> as_of = ParseDate(options.as_of);
  if (!as_of) return "as_of \"" + options.as_of + "\" is not a calendar date YYYY-MM-DD";
  if (*as_of < *ParseDate("1900-01-01") || *as_of > *ParseDate("9000-12-31")) {
    return "as_of " + options.as_of + " is outside the years 1900 to 9000";
  }
  return "";
}

std::string GeneratePartnerState(const GeneratorOptions& options) {
  if (!OptionsProblem(options).empty()) return "";
  PartnerPlan plan(options, *ParseDate(options.as_of));
  WriteOrganisation(plan);
  WriteCredits(plan);
  WriteCloudBenefits(plan);
  WritePartnerIdLinks(plan);

  // Collections in the schema's order; "$schema" is left out, as a generated file's place
  // relative to schemas/ is not known.
  std::string out = "{\n  \"as_of\": \"" + FormatDate(plan.as_of) + "\",\n  \"partner\": ";
  out += plan.partner_text;
  out += ",\n";
  plan.billing_account_lines.AppendTo(&out, "billing_accounts", false);
  plan.tenant_lines.AppendTo(&out, "tenants", false);
  plan.user_lines.AppendTo(&out, "users", false);
  plan.package_lines.AppendTo(&out, "benefit_packages", false);
  plan.credit_lines.AppendTo(&out, "credits", false);
  plan.benefit_lines.AppendTo(&out, "cloud_benefits", false);
  plan.subscription_lines.AppendTo(&out, "subscriptions", false);
  plan.azure_lines.AppendTo(&out, "azure_subscriptions", false);
  plan.link_lines.AppendTo(&out, "partner_id_links", true);
  out += "}\n";
  return out;
}

}  // namespace partnerpolicy::bench
