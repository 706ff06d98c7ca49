// partnerpolicy actions --state FIXTURE [--as USER] [--entity ID]: what may be done now, entity
// by entity. Every line is the decision `can` gives for the same request (Evaluator::ListActions
// asks Evaluator::Decide), so the two commands cannot disagree.
#include <cstdio>

#include "commands.h"
#include "json_output.h"
#include "report_file.h"
#include "text_output.h"

namespace partnerpolicy::cli {

int RunActions(const CommonOptions& common, const ActionsOptions& options) {
  Format format = *ParseFormat(common.format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  Result<PartnerState> state = setup.value().loader.Load(options.state);
  if (!state.ok()) return ReportErrors(state.errors(), format);

  ActionsReport report;
  report.state_path = options.state;
  report.actor = options.actor;
  report.date = ChooseEvaluationDate(setup.value().as_of_flag, state.value().as_of);
  Evaluator evaluator(setup.value().policies);
  Result<std::vector<Evaluator::ActionLine>> lines =
      evaluator.ListActions(state.value(), options.actor, options.entity, report.date.date);
  if (!lines.ok()) return ReportErrors(lines.errors(), format);
  report.lines = lines.take();

  const PolicySet& policies = setup.value().policies;
  std::string text =
      format == Format::kJson
          ? ActionsReportJson(report, policies)
          : ActionsReportText(report, policies, Style(ReportInColour(common.output)));
  return EmitReport(common.output, text, kExitOk, format);
}

}  // namespace partnerpolicy::cli
