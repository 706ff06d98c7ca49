// JSON reports through nlohmann_json (member order fixed by ordered_json, so output is stable).
#include "json_output.h"

#include <nlohmann/json.hpp>

namespace partnerpolicy::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kReportVersion = "1";

Json ErrorJson(const Error& e) {
  Json j;
  j["code"] = ErrorCodeName(e.code);
  j["message"] = e.message;
  if (!e.where.file.empty()) j["file"] = e.where.file;
  if (e.where.line > 0) j["line"] = e.where.line;
  if (e.where.column > 0) j["column"] = e.where.column;
  if (!e.where.pointer.empty()) j["pointer"] = e.where.pointer;
  if (!e.detail.empty()) j["detail"] = e.detail;
  return j;
}

Json DateJson(const EvaluationDate& date) {
  return Json{{"date", FormatDate(date.date)}, {"source", date.source}};
}

Json SourceJson(const PolicySet& policies, const std::string& rule_id) {
  const PolicyInfo* info = policies.Find(rule_id);
  if (info == nullptr) return nullptr;
  return Json{{"seed", info->source.seed}, {"section", info->source.section}};
}

std::string Dump(const Json& j) {
  // Replace invalid UTF-8 rather than throw: a fixture's bytes must never crash a report.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string CheckReportJson(const std::vector<FixtureResult>& results, const PolicySet& policies) {
  Json fixtures = Json::array();
  for (const FixtureResult& r : results) {
    Json f;
    f["path"] = r.path;
    f["evaluation_date"] = DateJson(r.date);
    f["status"] = r.errors.empty() ? "evaluated" : "invalid";
    Json errors = Json::array();
    for (const Error& e : r.errors) errors.push_back(ErrorJson(e));
    f["errors"] = errors;
    Json findings = Json::array();
    for (const Finding& finding : r.findings) {
      const PolicyInfo* info = policies.Find(finding.rule_id);
      Json j;
      j["rule_id"] = finding.rule_id;
      j["title"] = info != nullptr ? info->title : "";
      j["severity"] = SeverityName(finding.severity);
      j["message"] = finding.message;
      j["remedy"] = finding.remedy;
      j["entity_id"] = finding.entity_id;
      j["pointer"] = finding.pointer;
      j["line"] = finding.line;
      j["column"] = finding.column;
      j["source"] = SourceJson(policies, finding.rule_id);
      findings.push_back(j);
    }
    f["findings"] = findings;
    fixtures.push_back(f);
  }
  CheckTotals t = Count(results);
  Json report;
  report["report_version"] = kReportVersion;
  report["kind"] = "check";
  report["fixtures"] = fixtures;
  report["summary"] = Json{{"fixtures", results.size()},
                           {"errors", t.errors},
                           {"warnings", t.warnings},
                           {"infos", t.infos},
                           {"invalid_fixtures", t.invalid}};
  return Dump(report);
}

std::string CanReportJson(const CanReport& report, const PolicySet& policies) {
  const Decision& d = report.decision;
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "can";
  j["action"] = d.action;
  j["decision"] = d.allowed ? "allowed" : "denied";
  j["state"] = report.state_path;
  j["evaluation_date"] = DateJson(report.date);
  j["actor"] = report.request.actor.empty() ? Json(nullptr) : Json(report.request.actor);
  Json arguments = Json::object();
  for (const auto& [name, value] : report.request.arguments) arguments[name] = value;
  j["arguments"] = arguments;
  Json rules = Json::array();
  for (const RuleDecision& r : d.rules) {
    const PolicyInfo* info = policies.Find(r.rule_id);
    Json rule;
    rule["rule_id"] = r.rule_id;
    rule["title"] = info != nullptr ? info->title : "";
    rule["verdict"] = r.verdict == Verdict::kDeny ? "deny" : "allow";
    rule["message"] = r.message;
    rule["remedy"] = r.remedy;
    Json facts = Json::object();
    for (const Fact& fact : r.facts) {
      if (fact.numeric) {
        facts[fact.name] = Json::parse(fact.value, nullptr, false);
        if (facts[fact.name].is_discarded()) facts[fact.name] = fact.value;
      } else {
        facts[fact.name] = fact.value;
      }
    }
    rule["facts"] = facts;
    rule["source"] = SourceJson(policies, r.rule_id);
    rules.push_back(rule);
  }
  j["rules"] = rules;
  j["silent_rules"] = d.silent;
  return Dump(j);
}

std::string ErrorsJson(const Errors& errors) {
  Json list = Json::array();
  for (const Error& e : errors) list.push_back(ErrorJson(e));
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "error";
  j["errors"] = list;
  return Dump(j);
}

}  // namespace partnerpolicy::cli
