// partnerpolicy plan --state FIXTURE [--as USER] "ACTION name=value..." ... | --file PLAN.toml
// [--write-state OUT]: a sequence of actions, each decided on the state the steps before it
// leave (plan.h), then the final state checked against every rule.
#include <cstdio>
#include <sstream>

#include "commands.h"
#include "json_output.h"
#include "partnerpolicy/plan_file.h"
#include "report_file.h"
#include "text_output.h"

namespace partnerpolicy::cli {
namespace {

// ALLOWED IF has its own exit code (issue 18). Until the shared mapping of a Decision to its exit
// code is merged, this is the plan command's own: 3 when a step was allowed only on conditions.
constexpr int kExitAllowedIf = 3;

// "credit.reassign credit=MC-1 user=carol [--as alice]": the action, its arguments and
// optionally the actor, as DescribeRequest writes a request. `actor` is the default (--as).
Result<PlanStep> ParseStep(const std::string& text, const std::string& actor) {
  std::istringstream words(text);
  std::vector<std::string> all;
  for (std::string word; words >> word;) all.push_back(word);
  auto usage = [&](const std::string& why) {
    return Error{ErrorCode::kUsage, "step \"" + text + "\": " + why, {}, ""};
  };
  if (all.empty())
    return usage(
        "empty; write the action and its arguments, e.g. "
        "\"credit.reassign credit=MC-1 user=carol\"");
  PlanStep step;
  step.request.action = all[0];
  step.request.actor = actor;
  std::vector<std::string> arguments;
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i] == "--as") {
      if (i + 1 == all.size()) return usage("--as needs a user");
      step.request.actor = all[++i];
    } else {
      arguments.push_back(all[i]);
    }
  }
  Result<std::vector<std::pair<std::string, std::string>>> parsed = ParseArguments(arguments);
  if (!parsed.ok()) {
    Errors errors = parsed.take_errors();
    for (Error& e : errors) e.message = "step \"" + text + "\": " + e.message;
    return errors;
  }
  step.request.arguments = parsed.take();
  return step;
}

int ExitCode(const PlanReport& report) {
  if (report.outcome.denied || !report.new_findings.empty()) return kExitFindings;
  if (report.outcome.conditional()) return kExitAllowedIf;
  return kExitOk;
}

}  // namespace

int RunPlan(const CommonOptions& common, const PlanOptions& options) {
  Format format = *ParseFormat(common.format);
  if (options.file.empty() == options.steps.empty()) {
    return ReportErrors(
        {Error{ErrorCode::kUsage,
               options.file.empty() ? "give the steps, each as one quoted argument (\"ACTION "
                                      "name=value ...\"), or --file PLAN.toml"
                                    : "give the steps either on the command line or with --file, "
                                      "not both",
               {},
               ""}},
        format);
  }
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);

  PlanReport report;
  report.state_path = options.state;
  report.plan_file = options.file;
  report.write_state = options.write_state;
  if (!options.file.empty()) {
    Result<std::vector<PlanStep>> steps = ReadPlanFile(options.file);
    if (!steps.ok()) return ReportErrors(steps.errors(), format);
    report.steps = steps.take();
    if (!options.actor.empty()) {
      // --as is the actor of every step that names none, over the file's own default.
      for (PlanStep& step : report.steps) {
        if (step.request.actor.empty()) step.request.actor = options.actor;
      }
    }
  } else {
    Errors errors;
    for (const std::string& text : options.steps) {
      Result<PlanStep> step = ParseStep(text, options.actor);
      if (!step.ok()) {
        errors.insert(errors.end(), step.errors().begin(), step.errors().end());
        continue;
      }
      report.steps.push_back(step.take());
    }
    if (!errors.empty()) return ReportErrors(errors, format);
  }

  const StateLoader& loader = setup.value().loader;
  Result<PartnerState> state = loader.Load(options.state);
  if (!state.ok()) return ReportErrors(state.errors(), format);
  report.date = ChooseEvaluationDate(setup.value().as_of_flag, state.value().as_of);
  const Date as_of = report.date.date;
  const PolicySet& policies = setup.value().policies;
  Evaluator evaluator(policies);

  Result<std::vector<Finding>> before = evaluator.Check(state.value(), as_of);
  if (!before.ok()) return ReportErrors(before.errors(), format);
  Result<PlanOutcome> outcome =
      partnerpolicy::RunPlan(evaluator, loader, state.value(), report.steps, as_of, options.state);
  if (!outcome.ok()) return ReportErrors(outcome.errors(), format);
  report.outcome = outcome.take();
  Result<std::vector<Finding>> after = evaluator.Check(report.outcome.final_state, as_of);
  if (!after.ok()) return ReportErrors(after.errors(), format);
  report.new_findings = NewFindings(before.value(), after.value(), Severity::kError);

  // Only a plan that ran to its end has a final state: the state after a denied step's
  // predecessors is not what the plan describes, so it is not written where the result goes.
  if (!options.write_state.empty() && !report.outcome.denied) {
    if (std::optional<Error> failed =
            WriteFileAtomically(options.write_state, report.outcome.final_text)) {
      return ReportErrors({*failed}, format);
    }
    report.written = true;
  }

  std::string text = format == Format::kJson
                         ? PlanReportJson(report, policies)
                         : PlanReportText(report, policies, Style(ReportInColour(common.output)));
  return EmitReport(common.output, text, ExitCode(report), format);
}

}  // namespace partnerpolicy::cli
