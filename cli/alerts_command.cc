// partnerpolicy alerts --state FIXTURE [--within 30d] [--fail-on error|warning|info]: what lapses,
// runs out or falls due inside the horizon, soonest first. The exit code lets a nightly job page
// someone: 1 when an alert is at or above --fail-on.
#include <cstdio>

#include "ci_output.h"
#include "commands.h"
#include "json_output.h"
#include "report_file.h"
#include "sarif_output.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int RunAlerts(const CommonOptions& common, const AlertsOptions& options) {
  Format format = *ParseFormat(common.format);
  if (Errors usage = CheckTraceFormat(options.trace, format); !usage.empty()) {
    return ReportErrors(usage, format);
  }
  Result<Severity> fail_on = ParseFailOn(options.fail_on);
  if (!fail_on.ok()) return ReportErrors(fail_on.errors(), format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  Result<PartnerState> state = setup.value().loader.Load(options.state);
  if (!state.ok()) return ReportErrors(state.errors(), format);

  AlertsReport report;
  report.state_path = options.state;
  report.date = ChooseEvaluationDate(setup.value().as_of_flag, state.value().as_of);
  report.within = options.within;
  report.fail_on = fail_on.value();
  Result<Date> horizon = HorizonEnd(report.date, options.within);
  if (!horizon.ok()) return ReportErrors(horizon.errors(), format);
  report.horizon = horizon.value();
  Evaluator evaluator(setup.value().policies);
  if (options.trace) evaluator.set_trace(&report.trace.emplace());
  Result<std::vector<Alert>> alerts =
      evaluator.Alerts(state.value(), report.date.date, report.horizon);
  if (!alerts.ok()) return ReportErrors(alerts.errors(), format);
  report.alerts = alerts.take();

  const PolicySet& policies = setup.value().policies;
  std::string text;
  switch (format) {
    case Format::kJson:
      text = AlertsReportJson(report, policies);
      break;
    case Format::kGithub:
      text = AlertsReportGithub(report);
      break;
    case Format::kTap:
      text = AlertsReportTap(report);
      break;
    case Format::kJunit:
      text = AlertsReportJunit(report, policies);
      break;
    case Format::kSarif:
      text = AlertsReportSarif(report, policies);
      break;
    case Format::kText:
      text = AlertsReportText(report, policies, Style(ReportInColour(common.output)));
      break;
  }
  int exit_code = kExitOk;
  for (const Alert& alert : report.alerts) {
    if (alert.severity >= report.fail_on) exit_code = kExitFindings;
  }
  return EmitReport(common.output, text, exit_code, format);
}

}  // namespace partnerpolicy::cli
