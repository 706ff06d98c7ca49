// partnerpolicy check FIXTURE...: every rule's state check over each fixture.
#include <cstdio>

#include "commands.h"
#include "json_output.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int ReportErrors(const Errors& errors, Format format) {
  if (format == Format::kJson) {
    std::fputs(ErrorsJson(errors).c_str(), stdout);
  } else {
    std::fputs(FormatErrors(errors, Style(false)).c_str(), stderr);
  }
  return kExitError;
}

int RunCheck(const CommonOptions& common, const CheckOptions& options) {
  Format format = *ParseFormat(common.format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  Evaluator evaluator(setup.value().policies);

  std::vector<FixtureResult> results;
  for (const std::string& path : options.fixtures) {
    FixtureResult result;
    result.path = path;
    Result<PartnerState> state = setup.value().loader.Load(path);
    if (!state.ok()) {
      result.date = ChooseEvaluationDate(setup.value().as_of_flag, std::nullopt);
      result.errors = state.take_errors();
      results.push_back(std::move(result));
      continue;
    }
    result.date = ChooseEvaluationDate(setup.value().as_of_flag, state.value().as_of);
    Result<std::vector<Finding>> findings = evaluator.Check(state.value(), result.date.date);
    if (!findings.ok()) {
      // A policy that fails is a broken rule set, not a property of this fixture: stop loudly.
      return ReportErrors(findings.errors(), format);
    }
    result.findings = findings.take();
    results.push_back(std::move(result));
  }

  const PolicySet& policies = setup.value().policies;
  if (format == Format::kJson) {
    std::fputs(CheckReportJson(results, policies).c_str(), stdout);
  } else {
    std::fputs(CheckReportText(results, policies, Style(UseColour())).c_str(), stdout);
  }
  CheckTotals totals = Count(results);
  if (totals.invalid > 0) return kExitError;
  return totals.errors > 0 ? kExitFindings : kExitOk;
}

}  // namespace partnerpolicy::cli
