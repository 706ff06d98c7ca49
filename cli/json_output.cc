// JSON reports through nlohmann_json (member order fixed by ordered_json, so output is stable).
#include "json_output.h"

#include <nlohmann/json.hpp>

#include "baseline.h"
#include "trace_output.h"

namespace partnerpolicy::cli {
namespace {

using Json = nlohmann::ordered_json;

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

Json ArgumentsJson(const ActionRequest& request) {
  Json arguments = Json::object();
  for (const auto& [name, value] : request.arguments) arguments[name] = value;
  return arguments;
}

Json RulesJson(const Decision& d, const PolicySet& policies) {
  Json rules = Json::array();
  for (const RuleDecision& r : d.rules) {
    const PolicyInfo* info = policies.Find(r.rule_id);
    Json rule;
    rule["rule_id"] = r.rule_id;
    rule["title"] = info != nullptr ? info->title : "";
    rule["verdict"] = VerdictName(r.verdict);
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
  return rules;
}

// The members findings and alerts share, in report order: the rule, what it said and where.
// (Finding and Alert have the same fields for these.)
template <typename Notice>
void AppendNoticeJson(const Notice& notice, const PolicySet& policies, Json* j) {
  const PolicyInfo* info = policies.Find(notice.rule_id);
  (*j)["rule_id"] = notice.rule_id;
  (*j)["title"] = info != nullptr ? info->title : "";
  (*j)["severity"] = SeverityName(notice.severity);
  (*j)["message"] = notice.message;
  (*j)["remedy"] = notice.remedy;
  (*j)["entity_id"] = notice.entity_id;
  (*j)["pointer"] = notice.pointer;
  (*j)["line"] = notice.line;
  (*j)["column"] = notice.column;
  (*j)["source"] = SourceJson(policies, notice.rule_id);
}

// A finding as check reports give it; "fingerprint" (rule_id|entity_id) is what --baseline
// matches on, so it never includes a position.
Json FindingJson(const Finding& finding, const PolicySet& policies) {
  Json j;
  AppendNoticeJson(finding, policies, &j);
  j["fingerprint"] = Fingerprint(finding);
  return j;
}

}  // namespace

std::string CheckReportJson(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const BaselineSummary* baseline) {
  Json fixtures = Json::array();
  for (const FixtureResult& r : results) {
    Json f;
    f["path"] = r.path;
    f["kind"] = r.waiver_file ? "waivers" : "fixture";
    f["evaluation_date"] = DateJson(r.date);
    f["status"] = r.errors.empty() ? "evaluated" : "invalid";
    Json errors = Json::array();
    for (const Error& e : r.errors) errors.push_back(ErrorJson(e));
    f["errors"] = errors;
    Json findings = Json::array();
    for (const Finding& finding : r.findings) findings.push_back(FindingJson(finding, policies));
    f["findings"] = findings;
    Json waived = Json::array();
    for (const WaivedFinding& w : r.waived) {
      Json j = FindingJson(w.finding, policies);
      j["waiver"] =
          Json{{"owner", w.waiver.owner},
               {"reason", w.waiver.reason},
               {"expires", FormatDate(w.waiver.expires)},
               {"partner", w.waiver.partner.empty() ? Json(nullptr) : Json(w.waiver.partner)},
               {"file", w.waiver.where.file},
               {"line", w.waiver.where.line},
               {"column", w.waiver.where.column}};
      waived.push_back(j);
    }
    f["waived"] = waived;
    if (baseline != nullptr) f["unchanged_since_baseline"] = r.unchanged.size();
    // Every rule the entry is checked against, and whether it passed: a clean fixture still
    // says which rules it was checked against.
    Json rules = Json::array();
    for (const std::string& rule_id : r.CheckedRules(policies)) {
      int count = 0;
      for (const Finding& finding : r.findings) count += finding.rule_id == rule_id ? 1 : 0;
      rules.push_back(Json{
          {"rule_id", rule_id}, {"status", count == 0 ? "pass" : "fail"}, {"findings", count}});
    }
    f["rules"] = rules;
    if (r.trace) f["trace"] = TraceJson(*r.trace);
    fixtures.push_back(f);
  }
  CheckTotals t = Count(results);
  Json report;
  report["report_version"] = kReportVersion;
  report["kind"] = "check";
  report["policy_set"] = PolicySetJson(policies);
  report["fixtures"] = fixtures;
  report["summary"] = Json{{"fixtures", t.fixtures},        {"errors", t.errors},
                           {"warnings", t.warnings},        {"infos", t.infos},
                           {"invalid_fixtures", t.invalid}, {"waived", t.waived}};
  if (baseline != nullptr) {
    report["baseline"] = Json{{"file", baseline->file},
                              {"unchanged", baseline->unchanged},
                              {"resolved", baseline->resolved}};
  }
  return DumpReport(report);
}

std::string CanReportJson(const CanReport& report, const PolicySet& policies) {
  const Decision& d = report.decision;
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "can";
  j["policy_set"] = PolicySetJson(policies);
  j["action"] = d.action;
  // One spelling with the text report and policy tests; "conditional" is kept for readers of
  // earlier reports and is derived: true exactly when the decision is "allowed if".
  j["decision"] = DecisionName(d);
  j["conditional"] = d.allowed && d.conditional();
  j["state"] = report.state_path;
  j["evaluation_date"] = DateJson(report.date);
  j["actor"] = report.request.actor.empty() ? Json(nullptr) : Json(report.request.actor);
  j["arguments"] = ArgumentsJson(report.request);
  j["open"] = d.open;
  j["rules"] = RulesJson(d, policies);
  j["silent_rules"] = d.silent;
  if (report.trace) j["trace"] = TraceJson(*report.trace);
  return DumpReport(j);
}

std::string ActionsReportJson(const ActionsReport& report, const PolicySet& policies) {
  Json lines = Json::array();
  for (const Evaluator::ActionLine& line : report.lines) {
    const Decision& d = line.decision;
    Json l;
    l["collection"] = line.collection;
    l["entity_id"] = line.entity_id;
    l["action"] = line.request.action;
    l["arguments"] = ArgumentsJson(line.request);
    l["decision"] = DecisionName(d);
    l["conditional"] = d.allowed && d.conditional();
    l["open"] = d.open;
    l["rules"] = RulesJson(d, policies);
    l["silent_rules"] = d.silent;
    lines.push_back(l);
  }
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "actions";
  j["policy_set"] = PolicySetJson(policies);
  j["state"] = report.state_path;
  j["evaluation_date"] = DateJson(report.date);
  j["actor"] = report.actor.empty() ? Json(nullptr) : Json(report.actor);
  j["lines"] = lines;
  return DumpReport(j);
}

std::string AlertsReportJson(const AlertsReport& report, const PolicySet& policies) {
  Json alerts = Json::array();
  int at_or_above = 0;
  for (const Alert& a : report.alerts) {
    if (a.severity >= report.fail_on) ++at_or_above;
    Json j;
    j["date"] = FormatDate(a.on);
    j["days_from_evaluation_date"] = a.on.days - report.date.date.days;
    AppendNoticeJson(a, policies, &j);
    alerts.push_back(j);
  }
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "alerts";
  j["policy_set"] = PolicySetJson(policies);
  j["state"] = report.state_path;
  j["evaluation_date"] = DateJson(report.date);
  j["horizon"] = Json{{"within", report.within}, {"last_day", FormatDate(report.horizon)}};
  j["fail_on"] = SeverityName(report.fail_on);
  j["alerts"] = alerts;
  j["summary"] = Json{{"alerts", report.alerts.size()}, {"at_or_above_fail_on", at_or_above}};
  if (report.trace) j["trace"] = TraceJson(*report.trace);
  return DumpReport(j);
}

Json PolicySetJson(const PolicySet& policies) {
  return Json{{"directory", policies.directory()}, {"sha256", policies.content_hash()}};
}

std::string DumpReport(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string ErrorsJson(const Errors& errors) {
  Json list = Json::array();
  for (const Error& e : errors) list.push_back(ErrorJson(e));
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "error";
  j["errors"] = list;
  return DumpReport(j);
}

std::string LintReportJson(const LintReport& report, const std::string& dir, Severity fail_on) {
  Json problems = Json::array();
  for (const LintProblem& p : report.problems) {
    problems.push_back(Json{{"file", p.where.file},
                            {"line", p.where.line},
                            {"column", p.where.column},
                            {"severity", SeverityName(p.severity)},
                            {"check", p.check},
                            {"message", p.message}});
  }
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "lint";
  j["directory"] = dir;
  j["sources"] = report.sources.empty() ? Json(nullptr) : Json(report.sources);
  j["fail_on"] = SeverityName(fail_on);
  j["summary"] = Json{{"policies", report.policies},
                      {"libraries", report.libraries},
                      {"errors", report.errors()},
                      {"warnings", report.warnings()}};
  j["problems"] = problems;
  return DumpReport(j);
}

std::string PlanReportJson(const PlanReport& report, const PolicySet& policies) {
  const PlanOutcome& outcome = report.outcome;
  Json steps = Json::array();
  for (size_t i = 0; i < report.steps.size(); ++i) {
    const ActionRequest& request = report.steps[i].request;
    Json s;
    s["step"] = i + 1;
    s["action"] = request.action;
    s["actor"] = request.actor.empty() ? Json(nullptr) : Json(request.actor);
    s["arguments"] = ArgumentsJson(request);
    if (i >= outcome.steps.size()) {
      s["status"] = "not decided";
      steps.push_back(s);
      continue;
    }
    const Decision& d = outcome.steps[i].decision;
    s["status"] = d.allowed ? "applied" : "denied";
    s["decision"] = DecisionName(d);
    s["conditional"] = d.allowed && d.conditional();
    s["open"] = d.open;
    s["rules"] = RulesJson(d, policies);
    s["silent_rules"] = d.silent;
    Json effect = Json::array();
    for (const JsonPatchOperation& op : outcome.steps[i].effect) {
      Json o = {{"op", op.op}, {"path", op.path}};
      if (op.op != "remove") o["value"] = Json::parse(op.value, nullptr, false);
      effect.push_back(o);
    }
    s["effect"] = effect;
    steps.push_back(s);
  }
  Json findings = Json::array();
  for (const Finding& f : report.new_findings) findings.push_back(FindingJson(f, policies));
  const size_t applied = outcome.denied ? *outcome.denied : report.steps.size();
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "plan";
  j["policy_set"] = PolicySetJson(policies);
  j["state"] = report.state_path;
  j["plan_file"] = report.plan_file.empty() ? Json(nullptr) : Json(report.plan_file);
  j["evaluation_date"] = DateJson(report.date);
  j["decision"] = outcome.denied ? "denied" : outcome.conditional() ? "allowed if" : "allowed";
  j["conditional"] = !outcome.denied && outcome.conditional();
  j["denied_step"] = outcome.denied ? Json(*outcome.denied + 1) : Json(nullptr);
  j["steps"] = steps;
  j["final_state"] =
      Json{{"after_step", applied},
           {"new_error_findings", findings},
           {"written_to", report.written ? Json(report.write_state) : Json(nullptr)}};
  return DumpReport(j);
}

}  // namespace partnerpolicy::cli
