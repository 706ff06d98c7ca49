// partnerpolicy check FIXTURE...: every rule's state check over each fixture.
#include <cstdio>

#include "ci_output.h"
#include "commands.h"
#include "json_output.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int ReportErrors(const Errors& errors, Format format) {
  if (format == Format::kJson) {
    std::fputs(ErrorsJson(errors).c_str(), stdout);
  } else if (format == Format::kGithub || format == Format::kTap || format == Format::kJunit) {
    std::string report = format == Format::kGithub ? ErrorsGithub(errors)
                         : format == Format::kTap  ? ErrorsTap(errors)
                                                   : ErrorsJunit(errors);
    std::fputs(report.c_str(), stdout);
    std::fputs(FormatErrors(errors, Style(false)).c_str(), stderr);
  } else {
    std::fputs(FormatErrors(errors, Style(false)).c_str(), stderr);
  }
  return kExitError;
}

int RunCheck(const CommonOptions& common, const CheckOptions& options) {
  Format format = *ParseFormat(common.format);
  std::optional<Severity> fail_on = ParseSeverity(options.fail_on);
  if (!fail_on) {
    return ReportErrors({Error{ErrorCode::kUsage,
                               "--fail-on " + options.fail_on + ": expected error, warning or info",
                               {},
                               ""}},
                        format);
  }
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
  switch (format) {
    case Format::kJson:
      std::fputs(CheckReportJson(results, policies).c_str(), stdout);
      break;
    case Format::kGithub:
      std::fputs(CheckReportGithub(results, policies).c_str(), stdout);
      break;
    case Format::kTap:
      std::fputs(CheckReportTap(results, policies, *fail_on).c_str(), stdout);
      break;
    case Format::kJunit:
      std::fputs(CheckReportJunit(results, policies, *fail_on).c_str(), stdout);
      break;
    case Format::kText:
      std::fputs(CheckReportText(results, policies, Style(UseColour())).c_str(), stdout);
      break;
  }
  CheckTotals totals = Count(results);
  if (totals.invalid > 0) return kExitError;
  int failing = totals.errors;
  if (*fail_on <= Severity::kWarning) failing += totals.warnings;
  if (*fail_on <= Severity::kInfo) failing += totals.infos;
  return failing > 0 ? kExitFindings : kExitOk;
}

}  // namespace partnerpolicy::cli
