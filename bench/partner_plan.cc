// PartnerPlan's pieces that are not inline: ids, the collection layout, the constructor.
#include "partner_plan.h"

#include <charconv>

#include "state_generator.h"

namespace partnerpolicy::bench {

std::string NumberedId(std::string_view prefix, uint64_t number, size_t width) {
  char digits[24];
  auto [end, ignored] = std::to_chars(digits, digits + sizeof digits, number);
  size_t length = static_cast<size_t>(end - digits);
  std::string id(prefix);
  if (length < width) id.append(width - length, '0');
  id.append(digits, length);
  return id;
}

JsonText Collection::Next() {
  text_.append(count_++ == 0 ? "\n    " : ",\n    ");
  return JsonText(&text_);
}

void Collection::AppendTo(std::string* out, std::string_view name, bool last) const {
  out->append("  \"").append(name).append("\": [");
  out->append(text_);
  out->append(count_ == 0 ? "]" : "\n  ]");
  out->append(last ? "\n" : ",\n");
}

PartnerPlan::PartnerPlan(const GeneratorOptions& options, Date as_of_date)
    : users_count(options.users),
      as_of(as_of_date),
      breach(ShareThreshold(options.breach_share)),
      rng(options.seed) {}

}  // namespace partnerpolicy::bench
