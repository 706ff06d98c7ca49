// Text for people: optional colour, errors in `file:line:col: message` form, and the text forms
// of check and can reports.
#pragma once

#include <string>
#include <vector>

#include "engine.h"

namespace partnerpolicy::cli {

class Style {
 public:
  explicit Style(bool colour) : colour_(colour) {}
  std::string Bold(const std::string& s) const { return Wrap("1", s); }
  std::string Red(const std::string& s) const { return Wrap("1;31", s); }
  std::string Yellow(const std::string& s) const { return Wrap("33", s); }
  std::string Green(const std::string& s) const { return Wrap("1;32", s); }
  std::string Dim(const std::string& s) const { return Wrap("2", s); }
  std::string ForSeverity(Severity severity, const std::string& s) const;

 private:
  std::string Wrap(const char* code, const std::string& s) const {
    return colour_ ? "\x1b[" + std::string(code) + "m" + s + "\x1b[0m" : s;
  }
  bool colour_;
};

// Makes text safe for a terminal: control characters (and embedded NULs) become \xNN.
std::string Printable(const std::string& text);

// "error: file:line:col: message" lines (with details indented) for every error.
std::string FormatErrors(const Errors& errors, const Style& style);

struct FixtureResult {
  std::string path;
  EvaluationDate date;
  Errors errors;                  // the fixture could not be evaluated
  std::vector<Finding> findings;  // when it could
};

struct CheckTotals {
  int errors = 0, warnings = 0, infos = 0, invalid = 0;
};
CheckTotals Count(const std::vector<FixtureResult>& results);

std::string CheckReportText(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const Style& style);

struct CanReport {
  std::string state_path;
  ActionRequest request;
  EvaluationDate date;
  Decision decision;
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
};
std::string AlertsReportText(const AlertsReport& report, const PolicySet& policies,
                             const Style& style);

// "allowed", "allowed if" (conditions on what the request left open) or "denied".
const char* DecisionName(const Decision& decision);
const char* VerdictName(Verdict verdict);  // "allow", "deny", "condition"

}  // namespace partnerpolicy::cli
