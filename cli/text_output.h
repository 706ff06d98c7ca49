// Text for people: errors in `file:line:col: message` form, and the text forms of the check,
// can, actions, alerts and plan reports (colour and terminal safety: style.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/plan.h"
#include "partnerpolicy/waivers.h"
#include "style.h"

namespace partnerpolicy::cli {

// "error: file:line:col: message" lines (with details indented) for every error.
std::string FormatErrors(const Errors& errors, const Style& style);

// One entry of a check report: a fixture, or the --waivers file with its own findings
// (waiver.expired, waiver.unmatched), which every format reports like a fixture's.
struct FixtureResult {
  std::string path;
  EvaluationDate date;
  Errors errors;                         // the fixture could not be evaluated
  std::vector<Finding> findings;         // when it could: what is reported (and counts)
  std::vector<WaivedFinding> waived;     // silenced by a waiver: shown, never failing
  std::vector<Finding> unchanged;        // also in the --baseline report: counted, not shown
  bool waiver_file = false;              // this entry is the --waivers file
  std::optional<EvaluationTrace> trace;  // --trace: what each rule's state check did

  // The rules each report gives a pass or fail for this entry: every rule with a state check
  // for a fixture; waiver.expired and waiver.unmatched for the waiver file.
  std::vector<std::string> CheckedRules(const PolicySet& policies) const;
};

struct CheckTotals {
  int fixtures = 0;  // entries that are fixtures (not the waiver file)
  int errors = 0, warnings = 0, infos = 0, invalid = 0;
  int waived = 0;  // findings a waiver silenced (not in the counts above)
};
CheckTotals Count(const std::vector<FixtureResult>& results);

// What --baseline did over the run.
struct BaselineSummary {
  std::string file;
  int unchanged = 0;  // findings also in the baseline: not reported, do not fail the run
  int resolved = 0;   // findings the baseline holds for the fixtures checked that are gone now
};

// "waived by OWNER until YYYY-MM-DD: REASON", how every format names a waived finding.
std::string WaivedBy(const Waiver& waiver);

// `source: SEED, "SECTION"`, escaped (Printable): how the text and CI reports quote a rule's
// source.
std::string SourceLine(const PolicyInfo& info);

// `baseline` is null when the run had no --baseline.
std::string CheckReportText(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const Style& style, const BaselineSummary* baseline = nullptr);

struct CanReport {
  std::string state_path;
  ActionRequest request;
  EvaluationDate date;
  Decision decision;
  std::optional<EvaluationTrace> trace;  // --trace: what each rule did
};
std::string CanReportText(const CanReport& report, const PolicySet& policies, const Style& style);

struct ActionsReport {
  std::string state_path;
  std::string actor;  // as given with --as; empty = anyone
  EvaluationDate date;
  std::vector<Evaluator::ActionLine> lines;
};
std::string ActionsReportText(const ActionsReport& report, const PolicySet& policies,
                              const Style& style);

struct AlertsReport {
  std::string state_path;
  EvaluationDate date;
  std::string within;  // as given, e.g. "30d"
  Date horizon;        // last day included
  Severity fail_on = Severity::kError;
  std::vector<Alert> alerts;
  std::optional<EvaluationTrace> trace;  // --trace: what each rule's alerts did
};
std::string AlertsReportText(const AlertsReport& report, const PolicySet& policies,
                             const Style& style);

struct PlanReport {
  std::string state_path;
  std::string plan_file;  // --file; empty when the steps came on the command line
  EvaluationDate date;
  std::vector<PlanStep> steps;  // the whole plan, decided or not
  PlanOutcome outcome;
  std::vector<Finding> new_findings;  // error findings of the final state the initial one lacks
  std::string write_state;            // --write-state FILE; empty when not asked
  bool written = false;               // FILE was written (only when no step was denied)
};
std::string PlanReportText(const PlanReport& report, const PolicySet& policies, const Style& style);

// "allowed", "allowed if" (conditions on what the request left open) or "denied".
const char* DecisionName(const Decision& decision);

}  // namespace partnerpolicy::cli
