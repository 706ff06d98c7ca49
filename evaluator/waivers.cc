// Reads waiver files (toml_file.h: positions kept for every message) and applies waivers to
// findings.
#include "partnerpolicy/waivers.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "toml_file.h"

namespace partnerpolicy {
namespace {

constexpr const char* kFields = "rule, entity, owner, reason, expires, partner";

Error WaiverError(const std::string& file, const toml::node& node, std::string message) {
  return Error{ErrorCode::kInvalidConfig, std::move(message), TomlWhere(file, node.source()), ""};
}

// `expires`: a TOML local date, or a "YYYY-MM-DD" string, naming a real calendar day.
std::optional<Date> ExpiryDate(const toml::node& node) {
  if (const toml::value<toml::date>* date = node.as_date()) {
    const toml::date& d = date->get();
    char text[16];
    std::snprintf(text, sizeof text, "%04u-%02u-%02u", static_cast<unsigned>(d.year),
                  static_cast<unsigned>(d.month), static_cast<unsigned>(d.day));
    return ParseDate(text);
  }
  if (const toml::value<std::string>* text = node.as_string()) return ParseDate(text->get());
  return std::nullopt;
}

// Reads one [[waiver]] table; false (with errors added) when it is not a complete waiver.
bool ReadWaiver(const std::string& file, const toml::table& table, Waiver* waiver, Errors* errors) {
  bool complete = true;
  struct Text {
    const char* name;
    std::string* value;
    bool required;
    const char* what;  // what the field holds, for "missing" messages
  };
  const Text texts[] = {
      {"rule", &waiver->rule_id, true, "the rule id it silences"},
      {"entity", &waiver->entity_id, true, "the id of the entity it silences the rule for"},
      {"owner", &waiver->owner, true, "who answers for it, e.g. an e-mail address"},
      {"reason", &waiver->reason, true, "why the breach is accepted"},
      {"partner", &waiver->partner, false, ""},
  };
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (name == "expires") continue;
    auto text = std::find_if(std::begin(texts), std::end(texts),
                             [&](const Text& t) { return name == t.name; });
    if (text == std::end(texts)) {
      errors->push_back(Error{ErrorCode::kInvalidConfig,
                              "unknown field '" + name + "' in a waiver; expected " + kFields,
                              TomlWhere(file, key.source()), ""});
      complete = false;
    } else if (!node.is_string()) {
      errors->push_back(WaiverError(file, node, "'" + name + "' must be a string"));
      complete = false;
    } else if (node.as_string()->get().empty()) {
      errors->push_back(WaiverError(file, node, "'" + name + "' must not be empty"));
      complete = false;
    } else {
      *text->value = node.as_string()->get();
    }
  }
  for (const Text& text : texts) {
    if (text.required && !table.contains(text.name)) {
      errors->push_back(WaiverError(
          file, table, std::string("waiver is missing '") + text.name + "' (" + text.what + ")"));
      complete = false;
    }
  }
  const toml::node* expires = table.get("expires");
  if (expires == nullptr) {
    errors->push_back(WaiverError(
        file, table, "waiver is missing 'expires' (its last day in force, e.g. 2027-03-31)"));
    return false;
  }
  std::optional<Date> date = ExpiryDate(*expires);
  if (!date) {
    errors->push_back(
        WaiverError(file, *expires,
                    "'expires' must be a real calendar date YYYY-MM-DD (a TOML local date such as "
                    "2027-03-31, or the string \"2027-03-31\")"));
    return false;
  }
  waiver->expires = *date;
  return complete;
}

std::string Describe(const Waiver& waiver) {
  std::string text = waiver.rule_id + " on " + waiver.entity_id;
  if (!waiver.partner.empty()) text += " of partner " + waiver.partner;
  return text + " (owner " + waiver.owner + ")";
}

Finding WaiverFinding(const Waiver& waiver, std::string_view rule, Severity severity,
                      std::string message, std::string remedy) {
  Finding finding;
  finding.rule_id = std::string(rule);
  finding.severity = severity;
  finding.message = std::move(message);
  finding.remedy = std::move(remedy);
  finding.entity_id = waiver.entity_id;
  finding.pointer = waiver.where.pointer;
  finding.line = waiver.where.line;
  finding.column = waiver.where.column;
  return finding;
}

}  // namespace

std::string_view PartnerId(const PartnerState& state) {
  const Document& document = state.document;
  NodeId partner = document.member(document.root(), "partner");
  return partner == kNoNode ? std::string_view() : document.string_member(partner, "id");
}

Result<WaiverSet> WaiverSet::Read(const std::filesystem::path& path,
                                  const std::vector<PolicyInfo>& policies) {
  Result<toml::table> parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.take_errors();
  WaiverSet set;
  set.file_ = path.string();
  const std::string& file = set.file_;
  const toml::table& root = parsed.value();
  Errors errors;
  for (const auto& [key, node] : root) {
    if (key.str() != "waiver") {
      errors.push_back(WaiverError(file, node,
                                   "unknown key '" + std::string(key.str()) +
                                       "'; a waiver file holds only [[waiver]] tables"));
    }
  }
  const toml::node* list = root.get("waiver");
  const toml::array* waivers = list != nullptr ? list->as_array() : nullptr;
  if (list != nullptr && (waivers == nullptr || !waivers->is_array_of_tables())) {
    errors.push_back(
        WaiverError(file, *list, "'waiver' must be an array of tables, written [[waiver]]"));
    return errors;
  }
  for (size_t i = 0; waivers != nullptr && i < waivers->size(); ++i) {
    const toml::table& table = *waivers->get(i)->as_table();
    Waiver waiver;
    waiver.where = TomlWhere(file, table.source());
    waiver.where.pointer = "/waiver/" + std::to_string(i);
    if (!ReadWaiver(file, table, &waiver, &errors)) continue;
    const toml::node& rule = *table.get("rule");
    auto policy = std::find_if(policies.begin(), policies.end(),
                               [&](const PolicyInfo& p) { return p.id == waiver.rule_id; });
    if (policy == policies.end()) {
      errors.push_back(WaiverError(file, rule,
                                   "unknown rule '" + waiver.rule_id +
                                       "'; expected the id of a loaded policy, such as "
                                       "credits.monthly.reassignment-cap (README.md lists the "
                                       "bundled rules)"));
      continue;
    }
    if (!policy->has_check) {
      errors.push_back(WaiverError(
          file, rule,
          "rule '" + waiver.rule_id +
              "' has no state check, so `check` never reports it and there is nothing to waive"));
      continue;
    }
    auto earlier = std::find_if(set.waivers_.begin(), set.waivers_.end(), [&](const Waiver& w) {
      return w.rule_id == waiver.rule_id && w.entity_id == waiver.entity_id &&
             w.partner == waiver.partner;
    });
    if (earlier != set.waivers_.end()) {
      errors.push_back(WaiverError(
          file, table,
          "duplicate waiver: " + waiver.rule_id + " on " + waiver.entity_id +
              (waiver.partner.empty() ? "" : " of partner " + waiver.partner) +
              " is already waived at " + file + ":" + std::to_string(earlier->where.line)));
      continue;
    }
    set.waivers_.push_back(std::move(waiver));
  }
  // toml++ keeps a table's keys sorted, not in file order: report in file order instead.
  std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  if (!errors.empty()) return errors;
  return set;
}

WaiverOutcome WaiverSet::Apply(std::vector<Finding> findings, std::string_view partner_id,
                               Date evaluation_date) const {
  WaiverOutcome outcome;
  outcome.evaluation_date = evaluation_date;
  outcome.uses.reserve(waivers_.size());
  for (const Waiver& waiver : waivers_) {
    if (waiver.expires < evaluation_date) {
      outcome.uses.push_back(WaiverUse::kExpired);
    } else if (!waiver.partner.empty() && waiver.partner != partner_id) {
      outcome.uses.push_back(WaiverUse::kOtherPartner);
    } else {
      outcome.uses.push_back(WaiverUse::kUnused);
    }
  }
  for (Finding& finding : findings) {
    auto silences = [&](size_t i) {
      bool in_force =
          outcome.uses[i] == WaiverUse::kUnused || outcome.uses[i] == WaiverUse::kSilenced;
      return in_force && waivers_[i].rule_id == finding.rule_id &&
             waivers_[i].entity_id == finding.entity_id;
    };
    size_t i = 0;
    while (i < waivers_.size() && !silences(i)) ++i;
    if (i == waivers_.size()) {
      outcome.findings.push_back(std::move(finding));
      continue;
    }
    outcome.uses[i] = WaiverUse::kSilenced;
    outcome.waived.push_back(WaivedFinding{std::move(finding), waivers_[i]});
  }
  return outcome;
}

std::vector<Finding> WaiverSet::Review(const std::vector<WaiverOutcome>& outcomes) const {
  std::vector<Finding> findings;
  for (size_t i = 0; i < waivers_.size(); ++i) {
    const Waiver& waiver = waivers_[i];
    bool silenced = false;
    std::optional<Date> expired_at;  // the latest evaluation date the waiver was expired at
    for (const WaiverOutcome& outcome : outcomes) {
      if (outcome.uses.size() != waivers_.size()) continue;
      if (outcome.uses[i] == WaiverUse::kSilenced) silenced = true;
      if (outcome.uses[i] == WaiverUse::kExpired &&
          (!expired_at || *expired_at < outcome.evaluation_date)) {
        expired_at = outcome.evaluation_date;
      }
    }
    if (expired_at) {
      findings.push_back(WaiverFinding(
          waiver, kWaiverExpiredRule, Severity::kError,
          "waiver for " + Describe(waiver) + " expired on " + FormatDate(waiver.expires) +
              ", before the evaluation date " + FormatDate(*expired_at) +
              ": it silences nothing, and the findings it waived are reported again",
          "fix the breach and delete the waiver, or renew it with a new expiry date and reason"));
    } else if (!silenced) {
      findings.push_back(WaiverFinding(
          waiver, kWaiverUnmatchedRule, Severity::kWarning,
          "waiver for " + Describe(waiver) + " matched no finding in any fixture checked",
          "delete the waiver if the breach is fixed; otherwise correct its rule, entity or "
          "partner"));
    }
  }
  return findings;
}

}  // namespace partnerpolicy
