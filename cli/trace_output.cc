#include "trace_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "safe_text.h"

namespace partnerpolicy::cli {
namespace {

std::string EntityList(const std::vector<std::string>& entities) {
  std::string out;
  size_t shown = std::min(entities.size(), kTraceEntitiesShown);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    out += Printable(entities[i]);
  }
  if (entities.size() > shown) {
    out += fmt::format(" and {} more (--format json lists every one)", entities.size() - shown);
  }
  return out;
}

std::string Conclusion(const RuleTrace& rule, const Style& style) {
  if (rule.conclusion == "deny") return style.Red(rule.conclusion);
  if (rule.conclusion == "condition") return style.Yellow(rule.conclusion);
  if (rule.conclusion == "allow") return style.Green(rule.conclusion);
  return Printable(rule.conclusion);
}

}  // namespace

std::string TraceText(const EvaluationTrace& trace, const Style& style, const std::string& indent) {
  size_t ran = 0;
  for (const RuleTrace& rule : trace.rules) ran += rule.ran ? 1 : 0;
  std::string out =
      indent + style.Bold(fmt::format("trace: {} of {} rules ran", ran, trace.rules.size())) + "\n";
  for (const RuleTrace& rule : trace.rules) {
    if (!rule.ran) continue;
    out += fmt::format("{}  {}: {}\n", indent, Printable(rule.rule_id), Conclusion(rule, style));
    out += indent + "      looked at " +
           (rule.looked_at.empty() ? std::string("nothing in the state")
                                   : EntityList(rule.looked_at)) +
           "\n";
    if (!rule.message.empty()) out += indent + "      " + Printable(rule.message) + "\n";
  }
  // Rules that did not run, one line per reason, in the order the reasons first appear.
  std::vector<std::string> reasons;
  std::map<std::string, std::vector<std::string>> by_reason;
  for (const RuleTrace& rule : trace.rules) {
    if (rule.ran) continue;
    std::vector<std::string>& rules = by_reason[rule.not_run_reason];
    if (rules.empty()) reasons.push_back(rule.not_run_reason);
    rules.push_back(rule.rule_id);
  }
  for (const std::string& reason : reasons) {
    const std::vector<std::string>& rules = by_reason[reason];
    std::string names;
    for (const std::string& id : rules) names += (names.empty() ? "" : ", ") + Printable(id);
    out += style.Dim(fmt::format("{}  not run ({}): {}", indent, Printable(reason), names)) + "\n";
  }
  return out;
}

nlohmann::ordered_json TraceJson(const EvaluationTrace& trace) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const RuleTrace& rule : trace.rules) {
    nlohmann::ordered_json j;
    j["rule_id"] = rule.rule_id;
    j["ran"] = rule.ran;
    if (rule.ran) {
      j["looked_at"] = rule.looked_at;
      j["conclusion"] = rule.conclusion;
      if (!rule.message.empty()) j["message"] = rule.message;
    } else {
      j["not_run_reason"] = rule.not_run_reason;
    }
    rules.push_back(j);
  }
  return rules;
}

}  // namespace partnerpolicy::cli
