// partnerpolicy can ACTION --state FIXTURE [--as USER] name=value...: one decision, and its
// exit code (DecisionExitCode: 0 allowed, 3 allowed if, 1 denied).
#include <cstdio>

#include "commands.h"
#include "decision_exit_code.h"
#include "json_output.h"
#include "report_file.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int RunCan(const CommonOptions& common, const CanOptions& options) {
  Format format = *ParseFormat(common.format);
  if (Errors usage = CheckTraceFormat(options.trace, format); !usage.empty()) {
    return ReportErrors(usage, format);
  }
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);

  Result<std::vector<std::pair<std::string, std::string>>> arguments =
      ParseArguments(options.arguments);
  if (!arguments.ok()) return ReportErrors(arguments.errors(), format);
  Result<PartnerState> state = setup.value().loader.Load(options.state);
  if (!state.ok()) return ReportErrors(state.errors(), format);

  CanReport report;
  report.state_path = options.state;
  report.request = ActionRequest{options.action, options.actor, arguments.take()};
  report.date = ChooseEvaluationDate(setup.value().as_of_flag, state.value().as_of);
  Evaluator evaluator(setup.value().policies);
  if (options.trace) evaluator.set_trace(&report.trace.emplace());
  Result<Decision> decision = evaluator.Decide(state.value(), report.request, report.date.date);
  if (!decision.ok()) return ReportErrors(decision.errors(), format);
  report.decision = decision.take();

  const PolicySet& policies = setup.value().policies;
  std::string text = format == Format::kJson
                         ? CanReportJson(report, policies)
                         : CanReportText(report, policies, Style(ReportInColour(common.output)));
  return EmitReport(common.output, text, DecisionExitCode(report.decision), format);
}

}  // namespace partnerpolicy::cli
