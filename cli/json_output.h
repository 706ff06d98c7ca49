// Machine-readable reports (--format json), documented by schemas/report.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "partnerpolicy/policy_lint.h"
#include "text_output.h"

namespace partnerpolicy::cli {

// The "report_version" of every JSON report (schemas/report.schema.json).
inline constexpr const char* kReportVersion = "1";

// A report as text: indented, member order kept, invalid UTF-8 replaced (a fixture's bytes must
// never crash a report), newline-terminated.
std::string DumpReport(const nlohmann::ordered_json& report);

// {"directory": ..., "sha256": ...}: the policies that produced a report, by directory and
// content hash (PolicySet::content_hash), so a saved report names the exact files that decided
// it. Every report about a loaded policy set carries it as "policy_set".
nlohmann::ordered_json PolicySetJson(const PolicySet& policies);

// `baseline` is null when the run had no --baseline.
std::string CheckReportJson(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const BaselineSummary* baseline = nullptr);
std::string CanReportJson(const CanReport& report, const PolicySet& policies);
std::string ActionsReportJson(const ActionsReport& report, const PolicySet& policies);
std::string AlertsReportJson(const AlertsReport& report, const PolicySet& policies);
std::string PlanReportJson(const PlanReport& report, const PolicySet& policies);
// The lint report: every problem, the counts, what sources were checked against.
std::string LintReportJson(const LintReport& report, const std::string& dir, Severity fail_on);
// {"errors": [...]} for a run that could not evaluate anything.
std::string ErrorsJson(const Errors& errors);

}  // namespace partnerpolicy::cli
