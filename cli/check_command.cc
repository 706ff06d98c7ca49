// partnerpolicy check FIXTURE...: every rule's state check over each fixture.
#include <atomic>
#include <cstdio>
#include <thread>

#include "ci_output.h"
#include "commands.h"
#include "fixture_paths.h"
#include "json_output.h"
#include "sarif_output.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int ReportErrors(const Errors& errors, Format format) {
  if (format == Format::kJson) {
    std::fputs(ErrorsJson(errors).c_str(), stdout);
  } else if (format == Format::kSarif) {
    std::fputs(ErrorsSarif(errors).c_str(), stdout);
    std::fputs(FormatErrors(errors, Style(false)).c_str(), stderr);
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
  Result<Severity> fail_on = ParseFailOn(options.fail_on);
  if (!fail_on.ok()) return ReportErrors(fail_on.errors(), format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  Result<std::vector<std::string>> paths = ExpandFixturePaths(options.fixtures);
  if (!paths.ok()) return ReportErrors(paths.errors(), format);

  // Fixtures are independent: workers take the next one in turn, each with its own evaluator,
  // and write into that fixture's slot, so the report keeps the given order whatever the timing.
  const std::vector<std::string>& files = paths.value();
  std::vector<FixtureResult> results(files.size());
  std::vector<Errors> policy_failures(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    Evaluator evaluator(setup.value().policies);
    for (size_t i = next++; i < files.size(); i = next++) {
      FixtureResult& result = results[i];
      result.path = files[i];
      Result<PartnerState> state = setup.value().loader.Load(files[i]);
      if (!state.ok()) {
        result.date = ChooseEvaluationDate(setup.value().as_of_flag, std::nullopt);
        result.errors = state.take_errors();
        continue;
      }
      result.date = ChooseEvaluationDate(setup.value().as_of_flag, state.value().as_of);
      Result<std::vector<Finding>> findings = evaluator.Check(state.value(), result.date.date);
      if (!findings.ok()) {
        policy_failures[i] = findings.take_errors();
        continue;
      }
      result.findings = findings.take();
    }
  };
  unsigned jobs =
      options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(files.size(), 1)));
  std::vector<std::thread> workers;
  for (unsigned k = 1; k < jobs; ++k) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  for (const Errors& failure : policy_failures) {
    // A policy that fails is a broken rule set, not a property of this fixture: stop loudly
    // (the first failure in fixture order, so the message does not depend on timing).
    if (!failure.empty()) return ReportErrors(failure, format);
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
      std::fputs(CheckReportTap(results, policies, fail_on.value()).c_str(), stdout);
      break;
    case Format::kJunit:
      std::fputs(CheckReportJunit(results, policies, fail_on.value()).c_str(), stdout);
      break;
    case Format::kSarif:
      std::fputs(CheckReportSarif(results, policies, fail_on.value()).c_str(), stdout);
      break;
    case Format::kText:
      std::fputs(CheckReportText(results, policies, Style(UseColour())).c_str(), stdout);
      break;
  }
  CheckTotals totals = Count(results);
  if (totals.invalid > 0) return kExitError;
  int failing = totals.errors;
  if (fail_on.value() <= Severity::kWarning) failing += totals.warnings;
  if (fail_on.value() <= Severity::kInfo) failing += totals.infos;
  return failing > 0 ? kExitFindings : kExitOk;
}

}  // namespace partnerpolicy::cli
