// partnerpolicy check FIXTURE...: every rule's state check over each fixture.
#include <atomic>
#include <cstdio>
#include <optional>
#include <thread>

#include "baseline.h"
#include "ci_output.h"
#include "commands.h"
#include "fixture_paths.h"
#include "json_output.h"
#include "report_file.h"
#include "sarif_output.h"
#include "standard_output.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int ReportErrors(const Errors& errors, Format format) {
  // A failed write of the error report is reported by FinishStandardOutput, in main; the errors
  // then go to standard error too, so that they are not lost.
  if (format == Format::kJson) {
    if (!WriteStandardOutput(ErrorsJson(errors))) {
      std::fputs(FormatErrors(errors, Style(false)).c_str(), stderr);
    }
  } else if (format == Format::kSarif) {
    std::fputs(ErrorsSarif(errors).c_str(), stdout);
    PrintSafely(stderr, FormatErrors(errors, Style(false)));
  } else if (format == Format::kGithub || format == Format::kTap || format == Format::kJunit) {
    std::string report = format == Format::kGithub ? ErrorsGithub(errors)
                         : format == Format::kTap  ? ErrorsTap(errors)
                                                   : ErrorsJunit(errors);
    PrintSafely(stdout, report, OutputOf(format));
    PrintSafely(stderr, FormatErrors(errors, Style(false)));
  } else {
    PrintSafely(stderr, FormatErrors(errors, Style(false)));
  }
  return kExitError;
}

namespace {

// The --waivers file as a report entry: its own findings over the run, dated with the latest
// evaluation date of the fixtures (the date an expired waiver is most surely expired at).
FixtureResult WaiverFileResult(const WaiverSet& waivers, const std::vector<WaiverOutcome>& outcomes,
                               const std::vector<FixtureResult>& fixtures) {
  FixtureResult entry;
  entry.path = waivers.file();
  entry.waiver_file = true;
  bool dated = false;
  for (const FixtureResult& fixture : fixtures) {
    if (fixture.errors.empty() && (!dated || entry.date.date < fixture.date.date)) {
      entry.date = fixture.date;
      dated = true;
    }
  }
  if (!dated && !fixtures.empty()) entry.date = fixtures.front().date;
  entry.findings = waivers.Review(outcomes);
  return entry;
}

}  // namespace

int RunCheck(const CommonOptions& common, const CheckOptions& options) {
  Format format = *ParseFormat(common.format);
  if (Errors usage = CheckTraceFormat(options.trace, format); !usage.empty()) {
    return ReportErrors(usage, format);
  }
  Result<Severity> fail_on = ParseFailOn(options.fail_on);
  if (!fail_on.ok()) return ReportErrors(fail_on.errors(), format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  Result<std::vector<std::string>> paths = ExpandFixturePaths(options.fixtures);
  if (!paths.ok()) return ReportErrors(paths.errors(), format);
  std::optional<WaiverSet> waivers;
  if (!options.waivers.empty()) {
    Result<WaiverSet> read = WaiverSet::Read(options.waivers, setup.value().policies.policies());
    if (!read.ok()) return ReportErrors(read.errors(), format);
    waivers = read.take();
  }
  std::optional<Baseline> baseline;
  if (!options.baseline.empty()) {
    Result<Baseline> read = Baseline::Read(options.baseline);
    if (!read.ok()) return ReportErrors(read.errors(), format);
    baseline = read.take();
  }

  // Fixtures are independent: workers take the next one in turn and write into that fixture's
  // slot, so the report keeps the given order whatever the timing. Each fixture gets its own
  // evaluator (its own sandbox), so no result depends on which fixtures a worker did before.
  const std::vector<std::string>& files = paths.value();
  std::vector<FixtureResult> results(files.size());
  std::vector<Errors> policy_failures(files.size());
  std::vector<WaiverOutcome> waiver_outcomes(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      Evaluator evaluator(setup.value().policies);
      FixtureResult& result = results[i];
      if (options.trace) evaluator.set_trace(&result.trace.emplace());
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
      if (waivers) {
        WaiverOutcome& outcome = waiver_outcomes[i];
        outcome =
            waivers->Apply(std::move(result.findings), PartnerId(state.value()), result.date.date);
        result.findings = std::move(outcome.findings);
        result.waived = std::move(outcome.waived);
      }
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

  // The baseline sets aside old findings of the fixtures; the waiver file's findings, added
  // after, are news every run.
  std::optional<BaselineSummary> baseline_summary;
  if (baseline) baseline_summary = baseline->Apply(&results);
  if (waivers) results.push_back(WaiverFileResult(*waivers, waiver_outcomes, results));
  const BaselineSummary* summary = baseline_summary ? &*baseline_summary : nullptr;

  const PolicySet& policies = setup.value().policies;
  std::string text;
  switch (format) {
    case Format::kJson:
      text = CheckReportJson(results, policies, summary);
      break;
    case Format::kGithub:
      text = CheckReportGithub(results, policies);
      break;
    case Format::kTap:
      text = CheckReportTap(results, policies, fail_on.value());
      break;
    case Format::kJunit:
      text = CheckReportJunit(results, policies, fail_on.value());
      break;
    case Format::kSarif:
      text = CheckReportSarif(results, policies, fail_on.value(), summary != nullptr);
      break;
    case Format::kText:
      text = CheckReportText(results, policies, Style(ReportInColour(common.output)), summary);
      break;
  }
  CheckTotals totals = Count(results);
  if (totals.invalid > 0) return EmitReport(common.output, text, kExitError, format);
  int failing = totals.errors;
  if (fail_on.value() <= Severity::kWarning) failing += totals.warnings;
  if (fail_on.value() <= Severity::kInfo) failing += totals.infos;
  return EmitReport(common.output, text, failing > 0 ? kExitFindings : kExitOk, format);
}

}  // namespace partnerpolicy::cli
