// Machine-readable reports (--format json), documented by schemas/report.schema.json.
#pragma once

#include <string>
#include <vector>

#include "text_output.h"

namespace partnerpolicy::cli {

// `baseline` is null when the run had no --baseline.
std::string CheckReportJson(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const BaselineSummary* baseline = nullptr);
std::string CanReportJson(const CanReport& report, const PolicySet& policies);
std::string ActionsReportJson(const ActionsReport& report, const PolicySet& policies);
std::string AlertsReportJson(const AlertsReport& report, const PolicySet& policies);
// {"errors": [...]} for a run that could not evaluate anything.
std::string ErrorsJson(const Errors& errors);

}  // namespace partnerpolicy::cli
