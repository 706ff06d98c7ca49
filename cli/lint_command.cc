// partnerpolicy lint [DIR] [--seeds DIR] [--schema FILE] [--fail-on error|warning]: checks a
// policy directory without evaluating any partner state, and prints every problem as
// `file:line:col: error|warning: message [check]` (or a JSON report). Exit 1 when a problem is
// at or above --fail-on, 2 when the directory cannot be linted at all.
#include <cstdio>

#include "commands.h"
#include "json_output.h"
#include "partnerpolicy/policy_lint.h"
#include "report_file.h"
#include "safe_text.h"
#include "source_excerpt.h"
#include "text_output.h"

namespace partnerpolicy::cli {
namespace {

std::string Counted(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string LintReportText(const LintReport& report, const Style& style) {
  std::string out;
  for (const LintProblem& p : report.problems) {
    out += Printable(p.where.file) + ":" + std::to_string(p.where.line) + ":" +
           std::to_string(p.where.column) + ": " +
           style.ForSeverity(p.severity, SeverityName(p.severity)) + ": " + Printable(p.message) +
           " " + style.Dim("[" + Printable(p.check) + "]") + "\n";
    out += SourceExcerpt(p.where, style);
  }
  out += "lint: ";
  out += report.problems.empty() ? style.Green("no problems")
                                 : Counted(report.errors(), "error", "errors") + ", " +
                                       Counted(report.warnings(), "warning", "warnings");
  out += " in " + Counted(report.policies, "policy", "policies") + " and " +
         Counted(report.libraries, "helper library", "helper libraries");
  out += report.sources.empty() ? std::string(" (sources not checked)")
                                : " (sources checked against " + Printable(report.sources) + ")";
  return out + "\n";
}

}  // namespace

int RunLint(const CommonOptions& common, const LintCommandOptions& options) {
  Format format = *ParseFormat(common.format);
  Result<Severity> fail_on = ParseFailOn(options.fail_on);
  if (!fail_on.ok()) return ReportErrors(fail_on.errors(), format);
  std::filesystem::path dir =
      options.dir.empty() ? PolicyDirectory(common) : std::filesystem::path(options.dir);
  LintOptions lint;
  lint.seeds = options.seeds;
  // Field reads are checked against the schema the other commands validate states with.
  lint.schema = common.schema.empty()
                    ? SchemaNextToPolicies(dir.string(), "partner-state.schema.json")
                    : common.schema;
  lint.budgets.max_instructions = common.max_instructions;
  lint.budgets.max_memory_bytes = common.max_memory_mb << 20;
  Result<LintReport> report = LintPolicyDirectory(dir, lint);
  if (!report.ok()) return ReportErrors(report.errors(), format);

  std::string text = format == Format::kJson
                         ? LintReportJson(report.value(), dir.string(), fail_on.value())
                         : LintReportText(report.value(), Style(ReportInColour(common.output)));
  int exit_code = kExitOk;
  for (const LintProblem& problem : report.value().problems) {
    if (problem.severity >= fail_on.value()) exit_code = kExitFindings;
  }
  return EmitReport(common.output, text, exit_code, format);
}

}  // namespace partnerpolicy::cli
