#include "rule_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "json_output.h"
#include "safe_text.h"

namespace partnerpolicy::cli {
namespace {

using Json = nlohmann::ordered_json;

// "check, alerts, decides credit.assign, credit.reassign"
std::string WhatItDoes(const PolicyInfo& rule) {
  std::vector<std::string> parts;
  if (rule.has_check) parts.push_back("check");
  if (rule.has_alerts) parts.push_back("alerts");
  if (!rule.actions.empty()) {
    std::string decides = "decides ";
    for (size_t i = 0; i < rule.actions.size(); ++i) {
      decides += (i > 0 ? ", " : "") + Printable(rule.actions[i]);
    }
    parts.push_back(decides);
  }
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

// `text`, escaped, wrapped at word boundaries to `width` columns, each line starting with
// `indent`.
std::string Wrapped(const std::string& raw, size_t width, const std::string& indent) {
  const std::string text = Printable(raw);
  std::string out;
  std::string line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string Origin(const std::string& origin) {
  return origin == "default" ? "default (the policy file)" : "set in " + Printable(origin);
}

Json ParamJson(const ParamValue& value) {
  return std::visit([](const auto& v) { return Json(v); }, value);
}

Json RuleJson(const PolicyInfo& rule, const RuleCatalog& catalog) {
  Json j;
  j["id"] = rule.id;
  j["title"] = rule.title;
  j["severity"] = SeverityName(rule.severity);
  j["declared_severity"] = SeverityName(rule.declared_severity);
  j["severity_origin"] = rule.severity_origin;
  j["file"] = rule.file;
  Json source{{"seed", rule.source.seed}, {"section", rule.source.section}};
  const SeedSections* seed =
      catalog.sources != nullptr ? catalog.sources->Find(rule.source.seed) : nullptr;
  if (seed != nullptr && !seed->title.empty()) source["seed_title"] = seed->title;
  j["source"] = source;
  j["description"] = rule.description;
  Json params = Json::array();
  for (const Parameter& p : rule.params) {
    Json param{{"name", p.name},
               {"type", ParamTypeName(p.value)},
               {"value", ParamJson(p.value)},
               {"origin", p.origin}};
    if (p.default_value) param["default"] = ParamJson(*p.default_value);
    params.push_back(param);
  }
  j["parameters"] = params;
  j["state_check"] = rule.has_check;
  j["alerts"] = rule.has_alerts;
  Json actions = Json::array();
  for (const std::string& name : rule.actions) {
    const ActionSpec* spec = catalog.policies->actions().Find(name);
    actions.push_back(Json{{"name", name}, {"summary", spec != nullptr ? spec->summary : ""}});
  }
  j["actions"] = actions;
  j["constrains"] = rule.constrains;
  Json no_say = Json::array();
  for (const ActionReason& entry : rule.no_say) {
    no_say.push_back(Json{{"action", entry.action}, {"reason", entry.reason}});
  }
  j["no_say"] = no_say;
  Json informs = Json::array();
  for (const ActionReason& entry : rule.informs) {
    informs.push_back(Json{{"action", entry.action}, {"reason", entry.reason}});
  }
  j["informs"] = informs;
  return j;
}

// `text`, escaped, wrapped at word boundaries to `width` columns: the first line after `first`
// (a label padded to the indent), the others after `indent`.
std::string Hanging(const std::string& first, const std::string& raw, size_t width,
                    const std::string& indent) {
  const std::string text = Printable(raw);
  std::string out;
  std::string line = first;
  bool empty = true;  // nothing after the line's label or indent yet
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!empty && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = indent;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  return out + line + "\n";
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

constexpr size_t kMatrixWidth = 96;

}  // namespace

std::string MatrixReportText(const RuleCatalog& catalog, const GovernsMatrix& matrix,
                             const Style& style) {
  std::string out =
      style.Bold(fmt::format("which rule governs which action: {} {}, {} rules in {}",
                             matrix.rows.size(), matrix.rows.size() == 1 ? "action" : "actions",
                             catalog.policies->policies().size(), Printable(catalog.policy_dir)));
  out += "\n";
  const std::string indent(15, ' ');
  for (const GovernsRow& row : matrix.rows) {
    out += "\n" + style.Bold(Printable(row.action->name)) + "\n";
    std::string touches =
        row.action->touches.empty() ? "nothing in the state" : JoinNames(row.action->touches);
    out += style.Dim(Hanging("  touches      ", touches, kMatrixWidth, indent));
    std::vector<std::string> decides;
    for (const GovernsCell& cell : row.cells) {
      if (cell.say == Say::kDecides) decides.push_back(cell.rule->id);
    }
    out += Hanging("  decides      ", decides.empty() ? "no rule" : JoinNames(decides),
                   kMatrixWidth, indent);
    for (auto [say, label] :
         {std::pair{Say::kInforms, "  informs      "}, std::pair{Say::kNoSay, "  no say       "}}) {
      bool first = true;
      for (const GovernsCell& cell : row.cells) {
        if (cell.say != say) continue;
        out += Hanging(first ? label : indent, cell.rule->id + ": " + *cell.reason, kMatrixWidth,
                       indent + "  ");
        first = false;
      }
    }
    bool first = true;
    for (const GovernsCell& cell : row.cells) {
      if (cell.say != Say::kUnexplained) continue;
      out += style.Red(Hanging(first ? "  UNEXPLAINED  " : indent,
                               cell.rule->id + " (constrains " + JoinNames(cell.shared) + ")",
                               kMatrixWidth, indent + "  "));
      first = false;
    }
  }
  size_t unexplained = matrix.unexplained();
  out += "\n";
  out += unexplained == 0
             ? style.Dim(
                   "every rule decides each action that touches what it constrains, or "
                   "says why it has no say") +
                   "\n"
             : style.Red(fmt::format("{} unexplained {}: the rule neither decides the action nor "
                                     "says why not in no_say (lint: ungoverned-action)",
                                     unexplained, unexplained == 1 ? "pair" : "pairs")) +
                   "\n";
  return out;
}

std::string RulesReportText(const RuleCatalog& catalog, const Style& style) {
  std::string out = style.Bold(fmt::format(
      "{} {}{} in {}", catalog.rules.size(), catalog.rules.size() == 1 ? "rule" : "rules",
      catalog.action.empty() ? "" : " deciding " + Printable(catalog.action),
      Printable(catalog.policy_dir)));
  out += "\n";
  size_t width = 0;
  for (const PolicyInfo* rule : catalog.rules) width = std::max(width, Printable(rule->id).size());
  for (const PolicyInfo* rule : catalog.rules) {
    std::string severity = SeverityName(rule->severity);
    if (rule->severity_origin != "default") severity += "*";
    out += fmt::format("\n{:<{}}  {:<8} {}\n", style.Bold(Printable(rule->id)),
                       width + style.Bold("").size(), style.ForSeverity(rule->severity, severity),
                       style.Dim(WhatItDoes(*rule)));
    out += "    " + Printable(rule->title) + "\n";
  }
  bool changed = false;
  for (const PolicyInfo* rule : catalog.rules) changed |= rule->severity_origin != "default";
  if (changed) out += style.Dim("\n* severity set in policies.toml") + "\n";
  out +=
      style.Dim("\npartnerpolicy explain RULE-ID shows a rule's parameters, source and actions") +
      "\n";
  return out;
}

std::string ExplainReportText(const RuleCatalog& catalog, const Style& style) {
  const PolicyInfo& rule = *catalog.rules.front();
  std::string out = style.Bold(Printable(rule.id)) + "\n" + Printable(rule.title) + "\n\n";
  auto field = [&out, &style](const char* name, const std::string& value) {
    out += fmt::format("{}{}\n", style.Bold(fmt::format("{:<12}", name)), value);
  };
  std::string severity = SeverityName(rule.severity);
  if (rule.severity_origin != "default") {
    severity += fmt::format(" (set in {}; the policy declares {})", Printable(rule.severity_origin),
                            SeverityName(rule.declared_severity));
  }
  field("severity", severity);
  field("file", Printable(rule.file));
  std::string source = fmt::format("{}, section \"{}\"", Printable(rule.source.seed),
                                   Printable(rule.source.section));
  const SeedSections* seed =
      catalog.sources != nullptr ? catalog.sources->Find(rule.source.seed) : nullptr;
  if (seed != nullptr && !seed->title.empty()) source += " (" + Printable(seed->title) + ")";
  field("source", source);
  std::vector<std::string> does;
  if (rule.has_check) does.push_back("check: reports breaches in a partner state");
  if (rule.has_alerts) does.push_back("alerts: dates what lapses, runs out or falls due");
  if (!rule.actions.empty()) does.push_back("can: decides the actions below");
  for (size_t i = 0; i < does.size(); ++i) field(i == 0 ? "used by" : "", does[i]);

  out += "\n" + style.Bold("parameters") + "\n";
  if (rule.params.empty()) out += "  none (policies.toml can still set its severity)\n";
  auto assignment = [](const Parameter& p) {
    return Printable(p.name) + " = " + Printable(FormatParamValue(p.value));
  };
  size_t width = 0;
  for (const Parameter& p : rule.params) width = std::max(width, assignment(p).size());
  for (const Parameter& p : rule.params) {
    std::string origin = Origin(p.origin);
    if (p.default_value) origin += "; default " + Printable(FormatParamValue(*p.default_value));
    out += fmt::format("  {:<{}}  {}\n", assignment(p), width, style.Dim(origin));
  }

  if (!rule.actions.empty()) {
    out += "\n" + style.Bold("actions") + "\n";
    size_t name_width = 0;
    for (const std::string& name : rule.actions) {
      name_width = std::max(name_width, Printable(name).size());
    }
    for (const std::string& name : rule.actions) {
      const ActionSpec* spec = catalog.policies->actions().Find(name);
      out += fmt::format("  {:<{}}  {}\n", Printable(name), name_width,
                         spec != nullptr ? Printable(spec->summary) : "");
    }
  }
  if (!rule.constrains.empty()) {
    out += "\n" + style.Bold("constrains") + "\n" + Wrapped(JoinNames(rule.constrains), 96, "  ");
  }
  for (auto [reasons, heading] : {std::pair{&rule.informs, "only informs on (never denies)"},
                                  std::pair{&rule.no_say, "no say on"}}) {
    if (reasons->empty()) continue;
    out += "\n" + style.Bold(heading) + "\n";
    for (const ActionReason& entry : *reasons) {
      out += Wrapped(entry.action + ": " + entry.reason, 96, "    ").replace(0, 4, "  ");
    }
  }
  out += "\n" + style.Bold("what it checks") + "\n" + Wrapped(rule.description, 96, "  ");
  return out;
}

std::string RulesReportJson(const RuleCatalog& catalog) {
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "rules";
  j["policy_set"] = PolicySetJson(*catalog.policies);
  j["policy_directory"] = catalog.policy_dir;
  Json rules = Json::array();
  for (const PolicyInfo* rule : catalog.rules) rules.push_back(RuleJson(*rule, catalog));
  j["catalog"] = rules;
  return DumpReport(j);
}

std::string MatrixReportJson(const RuleCatalog& catalog, const GovernsMatrix& matrix) {
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "rules";
  j["policy_set"] = PolicySetJson(*catalog.policies);
  j["policy_directory"] = catalog.policy_dir;
  Json rules = Json::array();
  for (const PolicyInfo* rule : catalog.rules) rules.push_back(RuleJson(*rule, catalog));
  j["catalog"] = rules;
  Json rows = Json::array();
  for (const GovernsRow& row : matrix.rows) {
    Json cells = Json::array();
    for (const GovernsCell& cell : row.cells) {
      Json c{{"rule", cell.rule->id}, {"say", SayName(cell.say)}, {"shared", cell.shared}};
      if (cell.reason != nullptr) c["reason"] = *cell.reason;
      cells.push_back(c);
    }
    rows.push_back(
        Json{{"action", row.action->name}, {"touches", row.action->touches}, {"rules", cells}});
  }
  j["matrix"] = rows;
  j["unexplained"] = matrix.unexplained();
  return DumpReport(j);
}

std::string ExplainReportJson(const RuleCatalog& catalog) {
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "explain";
  j["policy_set"] = PolicySetJson(*catalog.policies);
  j["policy_directory"] = catalog.policy_dir;
  j["rule"] = RuleJson(*catalog.rules.front(), catalog);
  return DumpReport(j);
}

}  // namespace partnerpolicy::cli
