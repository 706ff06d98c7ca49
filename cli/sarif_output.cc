// SARIF logs through nlohmann_json (ordered_json keeps the member order, so output is stable).
#include "sarif_output.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <variant>

#include "baseline.h"

namespace partnerpolicy::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchemaUri =
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/"
    "sarif-schema-2.1.0.json";
constexpr const char* kSourceRoot = "%SRCROOT%";
constexpr const char* kFingerprintKey = "partnerpolicy/v1";

std::string Dump(const Json& j) {
  // Replace invalid UTF-8 rather than throw: a fixture's bytes must never crash a report.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

const char* Level(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "note";
  }
  return "error";
}

// A path as a URI reference: bytes outside the unreserved set and "/" are percent-encoded, so
// spaces, '%', '#', '?' and ':' (which would read as a scheme) survive.
std::string EncodePath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// Relative paths are relative to %SRCROOT%; absolute ones are file:// URIs with no base.
Json ArtifactLocation(const std::string& path) {
  if (!path.empty() && path[0] == '/') return Json{{"uri", "file://" + EncodePath(path)}};
  return Json{{"uri", EncodePath(path)}, {"uriBaseId", kSourceRoot}};
}

// A location in a file; the region only when the line is known (SARIF lines start at 1).
Json PhysicalLocation(const std::string& path, int line, int column) {
  Json physical;
  physical["artifactLocation"] = ArtifactLocation(path);
  if (line > 0) {
    Json region{{"startLine", line}};
    if (column > 0) region["startColumn"] = column;
    physical["region"] = region;
  }
  return physical;
}

// The entity a finding or alert is about: its id as the name, its JSON pointer as the fully
// qualified name.
Json Location(const std::string& path, int line, int column, const std::string& entity_id,
              const std::string& pointer) {
  Json location;
  location["physicalLocation"] = PhysicalLocation(path, line, column);
  Json logical = Json::object();
  if (!entity_id.empty()) logical["name"] = entity_id;
  if (!pointer.empty()) logical["fullyQualifiedName"] = pointer;
  if (!logical.empty()) {
    logical["kind"] = "object";
    location["logicalLocations"] = Json::array({logical});
  }
  return location;
}

Json ParamJson(const ParamValue& value) {
  return std::visit([](const auto& v) { return Json(v); }, value);
}

// "credits.monthly.reassignment-cap" -> "CreditsMonthlyReassignmentCap": SARIF wants a rule name
// that reads as an identifier.
std::string RuleName(const std::string& id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '.' || c == '-' || c == '_') {
      upper = true;
    } else {
      name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  return name;
}

// What partnerpolicy does with a rule, a line each; names in backticks for Markdown.
std::vector<std::string> RuleUses(const PolicyInfo& info, bool markdown) {
  auto name = [markdown](const std::string& s) { return markdown ? "`" + s + "`" : s; };
  std::vector<std::string> uses;
  if (info.has_check) uses.push_back(name("check") + " reports states that break it");
  if (info.has_alerts) uses.push_back(name("alerts") + " reports what it makes lapse or fall due");
  if (!info.actions.empty()) {
    std::string actions;
    for (const std::string& action : info.actions) {
      actions += (actions.empty() ? "" : ", ") + name(action);
    }
    uses.push_back(name("can") + " and " + name("actions") + " ask it about " + actions);
  }
  return uses;
}

// The help in the order a reader asks: what the rule says, what partnerpolicy does with it,
// where it comes from, its parameters in effect.
Json RuleHelp(const PolicyInfo& info) {
  std::string text = info.description + "\nUsed by partnerpolicy:\n";
  for (const std::string& use : RuleUses(info, false)) text += "- " + use + "\n";
  text += fmt::format("Source: {}, section \"{}\".\nPolicy: {}.\n", info.source.seed,
                      info.source.section, info.file);
  std::string markdown =
      fmt::format("**{}**\n\n{}\n\nUsed by partnerpolicy:\n\n", info.title, info.description);
  for (const std::string& use : RuleUses(info, true)) markdown += "- " + use + "\n";
  markdown += fmt::format("\nSource: `{}`, section \"{}\". Policy: `{}`.\n", info.source.seed,
                          info.source.section, info.file);
  if (!info.params.empty()) {
    text += "Parameters (value, and where it is set):\n";
    markdown += "\n| parameter | value | set in |\n|---|---|---|\n";
    for (const Parameter& p : info.params) {
      text += fmt::format("- {} = {} ({})\n", p.name, FormatParamValue(p.value), p.origin);
      markdown +=
          fmt::format("| `{}` | `{}` | {} |\n", p.name, FormatParamValue(p.value), p.origin);
    }
  }
  return Json{{"text", text}, {"markdown", markdown}};
}

Json RuleJson(const PolicyInfo& info) {
  Json rule;
  rule["id"] = info.id;
  rule["name"] = RuleName(info.id);
  rule["shortDescription"] = Json{{"text", info.title}};
  rule["fullDescription"] =
      Json{{"text", info.description.empty() ? info.title : info.description}};
  rule["help"] = RuleHelp(info);
  rule["defaultConfiguration"] = Json{{"level", Level(info.severity)}};
  Json parameters = Json::object();
  for (const Parameter& p : info.params) parameters[p.name] = ParamJson(p.value);
  rule["properties"] =
      Json{{"severity", SeverityName(info.severity)},
           {"source", {{"seed", info.source.seed}, {"section", info.source.section}}},
           {"policyFile", info.file},
           {"parameters", parameters},
           {"actions", info.actions},
           {"check", info.has_check},
           {"alerts", info.has_alerts},
           {"tags", Json::array({info.id.substr(0, info.id.find('.'))})}};
  return rule;
}

Json Driver(const PolicySet* policies) {
  Json driver;
  driver["name"] = "partnerpolicy";
  driver["version"] = PARTNERPOLICY_VERSION;
  driver["semanticVersion"] = PARTNERPOLICY_VERSION;
  if (policies != nullptr) {
    Json rules = Json::array();
    for (const PolicyInfo& info : policies->policies()) rules.push_back(RuleJson(info));
    driver["rules"] = rules;
    // The version names the program; the policy set's hash names the rules it ran, which change
    // without a new program (as the JSON reports' policy_set).
    driver["properties"] =
        Json{{"policySet",
              {{"directory", policies->directory()}, {"sha256", policies->content_hash()}}}};
  }
  return Json{{"driver", driver}};
}

// The position of the rule in driver.rules (the policy set's order), or -1.
int RuleIndex(const PolicySet& policies, const std::string& rule_id) {
  const PolicyInfo* info = policies.Find(rule_id);
  return info == nullptr ? -1 : static_cast<int>(info - policies.policies().data());
}

Json ResultJson(const PolicySet& policies, const std::string& rule_id, Severity severity,
                const std::string& message, Json location, const std::string& fingerprint) {
  Json result;
  result["ruleId"] = rule_id;
  int index = RuleIndex(policies, rule_id);
  if (index >= 0) result["ruleIndex"] = index;
  result["level"] = Level(severity);
  result["message"] = Json{{"text", message}};
  result["locations"] = Json::array({std::move(location)});
  result["partialFingerprints"] = Json{{kFingerprintKey, fingerprint}};
  return result;
}

// An error that kept a fixture (or the whole run) from being evaluated.
Json Notification(const Error& e, const std::string& fallback_file) {
  Json n;
  n["level"] = "error";
  n["message"] = Json{{"text", e.ToString()}};
  const std::string& file = e.where.file.empty() ? fallback_file : e.where.file;
  if (!file.empty()) {
    n["locations"] =
        Json::array({Location(file, e.where.line, e.where.column, "", e.where.pointer)});
  }
  n["descriptor"] = Json{{"id", ErrorCodeName(e.code)}};
  if (!e.detail.empty()) n["properties"] = Json{{"detail", e.detail}};
  return n;
}

Json DateJson(const EvaluationDate& date) {
  return Json{{"date", FormatDate(date.date)}, {"source", date.source}};
}

std::string Log(Json run) {
  Json log;
  log["$schema"] = kSchemaUri;
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return Dump(log);
}

Json SourceRoot() {
  return Json{{kSourceRoot,
               {{"description",
                 {{"text", "The directory partnerpolicy ran in (the repository root in CI)."}}}}}};
}

}  // namespace

std::string CheckReportSarif(const std::vector<FixtureResult>& results, const PolicySet& policies,
                             Severity fail_on, bool baseline) {
  Json artifacts = Json::array();
  Json dates = Json::array();
  Json results_json = Json::array();
  Json notifications = Json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    const FixtureResult& r = results[i];
    artifacts.push_back(
        Json{{"location", ArtifactLocation(r.path)}, {"roles", Json::array({"analysisTarget"})}});
    dates.push_back(
        Json{{"fixture", r.path}, {"date", FormatDate(r.date.date)}, {"source", r.date.source}});
    for (const Error& e : r.errors) notifications.push_back(Notification(e, r.path));
    auto finding_result = [&](const Finding& f) {
      std::string message = f.message;
      if (!f.remedy.empty()) message += "\nFix: " + f.remedy;
      Json location = Location(r.path, f.line, f.column, f.entity_id, f.pointer);
      location["physicalLocation"]["artifactLocation"]["index"] = i;
      Json result =
          ResultJson(policies, f.rule_id, f.severity, message, std::move(location), Fingerprint(f));
      if (baseline) result["baselineState"] = "new";
      return result;
    };
    for (const Finding& f : r.findings) results_json.push_back(finding_result(f));
    // Waived findings stay in the log as suppressed results, so code scanning shows them as
    // dismissed with the waiver's owner, reason and expiry instead of dropping them.
    for (const WaivedFinding& w : r.waived) {
      Json result = finding_result(w.finding);
      result["suppressions"] = Json::array({Json{
          {"kind", "external"},
          {"justification", w.waiver.reason},
          {"location", Location(w.waiver.where.file, w.waiver.where.line, w.waiver.where.column, "",
                                w.waiver.where.pointer)},
          {"properties", {{"owner", w.waiver.owner}, {"expires", FormatDate(w.waiver.expires)}}}}});
      results_json.push_back(std::move(result));
    }
    // Findings the --baseline report already held: "unchanged", so they neither alert anew nor
    // look fixed.
    for (const Finding& f : r.unchanged) {
      Json result = finding_result(f);
      result["baselineState"] = "unchanged";
      results_json.push_back(std::move(result));
    }
  }
  Json invocation;
  invocation["executionSuccessful"] = notifications.empty();
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  Json run;
  run["tool"] = Driver(&policies);
  run["invocations"] = Json::array({invocation});
  run["originalUriBaseIds"] = SourceRoot();
  run["artifacts"] = artifacts;
  // No results at all when no fixture was evaluated, as for ErrorsSarif.
  if (Count(results).invalid < static_cast<int>(results.size())) run["results"] = results_json;
  run["columnKind"] = "unicodeCodePoints";
  run["properties"] =
      Json{{"command", "check"}, {"evaluationDates", dates}, {"failOn", SeverityName(fail_on)}};
  return Log(std::move(run));
}

std::string AlertsReportSarif(const AlertsReport& report, const PolicySet& policies) {
  Json results = Json::array();
  for (const Alert& a : report.alerts) {
    std::string message = FormatDate(a.on) + ": " + a.message;
    if (!a.remedy.empty()) message += "\nDo: " + a.remedy;
    Json location = Location(report.state_path, a.line, a.column, a.entity_id, a.pointer);
    location["physicalLocation"]["artifactLocation"]["index"] = 0;
    Json result = ResultJson(policies, a.rule_id, a.severity, message, std::move(location),
                             a.rule_id + "|" + a.entity_id + "|" + FormatDate(a.on));
    result["properties"] = Json{{"on", FormatDate(a.on)},
                                {"daysFromEvaluationDate", a.on.days - report.date.date.days}};
    results.push_back(result);
  }
  Json run;
  run["tool"] = Driver(&policies);
  run["invocations"] = Json::array({Json{{"executionSuccessful", true}}});
  run["originalUriBaseIds"] = SourceRoot();
  run["artifacts"] = Json::array({Json{{"location", ArtifactLocation(report.state_path)},
                                       {"roles", Json::array({"analysisTarget"})}}});
  run["results"] = results;
  run["columnKind"] = "unicodeCodePoints";
  run["properties"] =
      Json{{"command", "alerts"},
           {"evaluationDate", DateJson(report.date)},
           {"horizon", {{"within", report.within}, {"lastDay", FormatDate(report.horizon)}}},
           {"failOn", SeverityName(report.fail_on)}};
  return Log(std::move(run));
}

std::string ErrorsSarif(const Errors& errors) {
  Json notifications = Json::array();
  for (const Error& e : errors) notifications.push_back(Notification(e, ""));
  Json invocation;
  invocation["executionSuccessful"] = false;
  invocation["toolExecutionNotifications"] = notifications;
  Json run;
  run["tool"] = Driver(nullptr);
  run["invocations"] = Json::array({invocation});
  return Log(std::move(run));
}

}  // namespace partnerpolicy::cli
