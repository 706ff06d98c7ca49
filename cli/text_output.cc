// Text layout of reports. fmt does the formatting; nothing here decides anything.
#include "text_output.h"

#include <fmt/format.h>

#include "safe_text.h"
#include "source_excerpt.h"
#include "trace_output.h"

namespace partnerpolicy::cli {

std::string FormatErrors(const Errors& errors, const Style& style) {
  std::string out;
  for (const Error& error : errors) {
    out += fmt::format("{} {}\n", style.Red("error:"), Printable(error.ToString()));
    out += SourceExcerpt(error.where, style);
    // The detail's lines (a traceback) are its own; each is escaped as one line.
    const std::string& detail = error.detail;
    size_t start = 0;
    while (start < detail.size()) {
      size_t end = detail.find('\n', start);
      if (end == std::string::npos) end = detail.size();
      out += "    " + Printable(detail.substr(start, end - start)) + "\n";
      start = end + 1;
    }
  }
  return out;
}

std::vector<std::string> FixtureResult::CheckedRules(const PolicySet& policies) const {
  std::vector<std::string> rules;
  if (waiver_file) {
    rules = {std::string(kWaiverExpiredRule), std::string(kWaiverUnmatchedRule)};
  } else if (errors.empty()) {
    for (const PolicyInfo& info : policies.policies()) {
      if (info.has_check) rules.push_back(info.id);
    }
  }
  return rules;
}

CheckTotals Count(const std::vector<FixtureResult>& results) {
  CheckTotals totals;
  for (const FixtureResult& r : results) {
    if (!r.waiver_file) ++totals.fixtures;
    if (!r.errors.empty()) ++totals.invalid;
    totals.waived += static_cast<int>(r.waived.size());
    for (const Finding& f : r.findings) {
      if (f.severity == Severity::kError)
        ++totals.errors;
      else if (f.severity == Severity::kWarning)
        ++totals.warnings;
      else
        ++totals.infos;
    }
  }
  return totals;
}

namespace {

std::string Plural(int n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "ENTITY at FILE:LINE:COL POINTER" (no "ENTITY at " without an entity): where a finding or an
// alert is, every part escaped.
std::string Where(const std::string& entity_id, const std::string& file, int line, int column,
                  const std::string& pointer) {
  return fmt::format("{}{}:{}:{} {}", entity_id.empty() ? "" : Printable(entity_id) + " at ",
                     Printable(file), line, column, Printable(pointer));
}

}  // namespace

std::string CheckReportText(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const Style& style, const BaselineSummary* baseline) {
  std::string out;
  for (const FixtureResult& r : results) {
    out += fmt::format(
        "{}  {}\n", style.Bold(Printable(r.path)),
        style.Dim(fmt::format("evaluation date {} ({})", FormatDate(r.date.date), r.date.source)));
    if (!r.errors.empty()) {
      out += fmt::format("  {} the fixture was not evaluated:\n", style.Red("invalid input:"));
      for (const Error& e : r.errors) {
        out += "    " + Printable(e.ToString()) + "\n";
        out += SourceExcerpt(e.where, style, "      ");
      }
      continue;
    }
    if (r.findings.empty()) {
      const char* verdict = r.waiver_file          ? "every waiver is in force and in use"
                            : !r.unchanged.empty() ? "no new findings since the baseline"
                            : !r.waived.empty()    ? "every finding is waived"
                                                   : "every rule passes";
      out += fmt::format("  {} {}\n", style.Green("ok:"), verdict);
    }
    for (const Finding& f : r.findings) {
      const PolicyInfo* info = policies.Find(f.rule_id);
      out +=
          fmt::format("  {:<8} {}  {}\n", style.ForSeverity(f.severity, SeverityName(f.severity)),
                      style.Bold(Printable(f.rule_id)),
                      style.Dim(Where(f.entity_id, r.path, f.line, f.column, f.pointer)));
      out += "           " + Printable(f.message) + "\n";
      if (!f.remedy.empty()) out += "           fix: " + Printable(f.remedy) + "\n";
      if (info != nullptr) out += style.Dim("           " + SourceLine(*info)) + "\n";
    }
    for (const WaivedFinding& w : r.waived) {
      const Finding& f = w.finding;
      out += fmt::format("  {:<8} {}  {}\n", style.Dim("waived"), style.Bold(Printable(f.rule_id)),
                         style.Dim(Where(f.entity_id, r.path, f.line, f.column, f.pointer)));
      out += style.Dim(fmt::format("           {} ({}:{})", Printable(WaivedBy(w.waiver)),
                                   Printable(w.waiver.where.file), w.waiver.where.line)) +
             "\n";
    }
    if (!r.unchanged.empty()) {
      out += style.Dim(
                 fmt::format("  {} unchanged since the baseline (not shown)",
                             Plural(static_cast<int>(r.unchanged.size()), "finding", "findings"))) +
             "\n";
    }
    if (r.trace) out += TraceText(*r.trace, style, "  ");
  }
  CheckTotals t = Count(results);
  out += fmt::format(
      "\n{}: {}, {}, {}{}{}\n", Plural(t.fixtures, "fixture", "fixtures"),
      Plural(t.errors, "error", "errors"), Plural(t.warnings, "warning", "warnings"),
      Plural(t.infos, "info", "infos"),
      t.waived > 0 ? fmt::format(", {} waived", t.waived) : std::string(),
      t.invalid > 0 ? fmt::format(", {} not evaluated (invalid input)", t.invalid) : std::string());
  if (baseline != nullptr) {
    out += fmt::format("{} unchanged since the baseline {} (not shown, not failing); {} resolved\n",
                       Plural(baseline->unchanged, "finding", "findings"),
                       Printable(baseline->file), baseline->resolved);
  }
  return out;
}

std::string SourceLine(const PolicyInfo& info) {
  return fmt::format("source: {}, \"{}\"", Printable(info.source.seed),
                     Printable(info.source.section));
}

std::string WaivedBy(const Waiver& waiver) {
  return fmt::format("waived by {} until {}: {}", waiver.owner, FormatDate(waiver.expires),
                     waiver.reason);
}

const char* DecisionName(const Decision& decision) {
  if (!decision.allowed) return "denied";
  return decision.conditional() ? "allowed if" : "allowed";
}

namespace {

std::string DecisionBanner(const Decision& d, const Style& style) {
  if (!d.allowed) return style.Red("DENIED");
  return d.conditional() ? style.Yellow("ALLOWED IF") : style.Green("ALLOWED");
}

std::string VerdictMark(Verdict verdict, const Style& style) {
  switch (verdict) {
    case Verdict::kDeny:
      return style.Red("✗ deny ");
    case Verdict::kCondition:
      return style.Yellow("? if   ");
    case Verdict::kAllow:
      return style.Green("✓ allow");
  }
  return "";
}

// The items, escaped, separated by commas.
std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + Printable(item);
  return out;
}

// The rules' answers, indented by `indent` spaces; sources only when `with_source`.
std::string RuleLines(const Decision& d, const PolicySet& policies, const Style& style,
                      const std::string& indent, bool with_source) {
  std::string out;
  for (const RuleDecision& r : d.rules) {
    const PolicyInfo* info = policies.Find(r.rule_id);
    out += fmt::format(
        "{}{} {}{}\n", indent, VerdictMark(r.verdict, style), style.Bold(Printable(r.rule_id)),
        with_source && info != nullptr ? style.Dim(" — " + Printable(info->title)) : std::string());
    out += indent + "  " + Printable(r.message) + "\n";
    if (r.verdict == Verdict::kDeny && !r.remedy.empty()) {
      out += indent + "  to allow: " + Printable(r.remedy) + "\n";
    }
    for (const Fact& fact : r.facts) {
      out += fmt::format("{}  {}: {}\n", indent, Printable(fact.name), Printable(fact.value));
    }
    if (with_source && info != nullptr) out += style.Dim(indent + "  " + SourceLine(*info)) + "\n";
  }
  return out;
}

}  // namespace

std::string CanReportText(const CanReport& report, const PolicySet& policies, const Style& style) {
  const Decision& d = report.decision;
  std::string request = d.action;
  for (const auto& [name, value] : report.request.arguments) request += " " + name + "=" + value;
  if (!report.request.actor.empty()) request += " (as " + report.request.actor + ")";
  std::string out =
      fmt::format("{}  {}\n", DecisionBanner(d, style), style.Bold(Printable(request)));
  out += style.Dim(fmt::format("evaluation date {} ({}); state {}", FormatDate(report.date.date),
                               report.date.source, Printable(report.state_path))) +
         "\n";
  if (!d.open.empty()) {
    out += style.Dim("left open: " + Joined(d.open) +
                     " (the answer holds for any value that meets the conditions below)") +
           "\n";
  }
  if (d.rules.empty()) {
    out += "\n  no rule restricts this action\n";
  }
  for (const RuleDecision& r : d.rules) {
    Decision one;
    one.rules.push_back(r);
    out += "\n" + RuleLines(one, policies, style, "  ", true);
  }
  if (!d.silent.empty()) {
    out += style.Dim("\n  no say on this request: " + Joined(d.silent)) + "\n";
  }
  if (report.trace) out += "\n" + TraceText(*report.trace, style, "");
  return out;
}

std::string ActionsReportText(const ActionsReport& report, const PolicySet& policies,
                              const Style& style) {
  std::string out = fmt::format(
      "{}  {}\n", style.Bold("actions on " + Printable(report.state_path)),
      report.actor.empty() ? std::string("by anyone (no --as: conditions name who may act)")
                           : "as " + Printable(report.actor));
  out += style.Dim(fmt::format("evaluation date {} ({})", FormatDate(report.date.date),
                               report.date.source)) +
         "\n";
  std::string current;
  int allowed = 0, conditional = 0, denied = 0;
  for (const Evaluator::ActionLine& line : report.lines) {
    std::string heading = line.collection + " " + line.entity_id;
    if (heading != current) {
      out += "\n" + style.Bold(Printable(heading)) + "\n";
      current = heading;
    }
    const Decision& d = line.decision;
    if (!d.allowed)
      ++denied;
    else if (d.conditional())
      ++conditional;
    else
      ++allowed;
    out += fmt::format("  {:<26} {}\n", Printable(line.request.action), DecisionBanner(d, style));
    if (d.rules.empty()) out += "      no rule restricts this action\n";
    out += RuleLines(d, policies, style, "      ", false);
  }
  out += fmt::format("\n{} actions: {} allowed, {} allowed on conditions, {} denied\n",
                     report.lines.size(), allowed, conditional, denied);
  return out;
}

std::string AlertsReportText(const AlertsReport& report, const PolicySet& policies,
                             const Style& style) {
  std::string out =
      fmt::format("{}  {}\n", style.Bold("alerts for " + Printable(report.state_path)),
                  style.Dim(fmt::format("evaluation date {} ({}); horizon {} (--within {})",
                                        FormatDate(report.date.date), report.date.source,
                                        FormatDate(report.horizon), Printable(report.within))));
  if (report.alerts.empty()) {
    out += fmt::format("  {} nothing lapses or falls due by {}\n", style.Green("ok:"),
                       FormatDate(report.horizon));
  }
  int at_or_above = 0;
  for (const Alert& a : report.alerts) {
    if (a.severity >= report.fail_on) ++at_or_above;
    const PolicyInfo* info = policies.Find(a.rule_id);
    std::string when = FormatDate(a.on);
    if (a.on < report.date.date) {
      when += fmt::format(" (overdue by {} days)", report.date.date.days - a.on.days);
    } else if (a.on == report.date.date) {
      when += " (today)";
    } else {
      when += fmt::format(" (in {} days)", a.on.days - report.date.date.days);
    }
    out += fmt::format(
        "\n  {}  {:<8} {}  {}\n", style.Bold(when),
        style.ForSeverity(a.severity, SeverityName(a.severity)), style.Bold(Printable(a.rule_id)),
        style.Dim(Where(a.entity_id, report.state_path, a.line, a.column, a.pointer)));
    out += "    " + Printable(a.message) + "\n";
    if (!a.remedy.empty()) out += "    do: " + Printable(a.remedy) + "\n";
    if (info != nullptr) out += style.Dim("    " + SourceLine(*info)) + "\n";
  }
  out += fmt::format("\n{}, {} at or above {}\n",
                     Plural(static_cast<int>(report.alerts.size()), "alert", "alerts"), at_or_above,
                     SeverityName(report.fail_on));
  if (report.trace) out += "\n" + TraceText(*report.trace, style, "");
  return out;
}

std::string PlanReportText(const PlanReport& report, const PolicySet& policies,
                           const Style& style) {
  const PlanOutcome& outcome = report.outcome;
  const size_t total = report.steps.size();
  const std::string steps = total == 1 ? "the one step" : fmt::format("all {} steps", total);
  std::string banner;
  if (outcome.denied) {
    banner = style.Red(fmt::format("DENIED at step {} of {}", *outcome.denied + 1, total));
  } else if (outcome.conditional()) {
    banner = style.Yellow("ALLOWED IF, " + steps);
  } else {
    banner = style.Green("ALLOWED, " + steps);
  }
  std::string out = fmt::format(
      "{}  {}\n", banner,
      style.Bold("plan on " + Printable(report.state_path) +
                 (report.plan_file.empty() ? "" : " from " + Printable(report.plan_file))));
  out += style.Dim(fmt::format("evaluation date {} ({}); each step is decided on the state the "
                               "steps before it leave",
                               FormatDate(report.date.date), report.date.source)) +
         "\n";
  for (size_t i = 0; i < total; ++i) {
    const std::string request = Printable(DescribeRequest(report.steps[i].request));
    if (i >= outcome.steps.size()) {
      out += fmt::format("\n{}  {}  {}\n", style.Bold(fmt::format("step {}", i + 1)),
                         style.Dim("not decided"), request);
      continue;
    }
    const PlanStepOutcome& step = outcome.steps[i];
    const Decision& d = step.decision;
    out += fmt::format("\n{}  {}  {}\n", style.Bold(fmt::format("step {}", i + 1)),
                       DecisionBanner(d, style), style.Bold(request));
    if (!d.open.empty()) {
      out += style.Dim("    left open: " + Joined(d.open)) + "\n";
    }
    if (d.rules.empty()) out += "    no rule restricts this action\n";
    out += RuleLines(d, policies, style, "    ", !d.allowed);
    if (!d.allowed) continue;
    if (step.effect.empty()) {
      out += style.Dim("    changes nothing recorded in the state") + "\n";
    }
    for (const JsonPatchOperation& op : step.effect) {
      out += style.Dim(fmt::format("    {} {}{}", Printable(op.op), Printable(op.path),
                                   op.value.empty() ? "" : " " + Printable(op.value))) +
             "\n";
    }
  }
  const size_t applied = outcome.denied ? *outcome.denied : total;
  out += "\n";
  if (applied == 0) {
    out += style.Dim("no step was applied, so the state is as it was") + "\n";
  } else if (report.new_findings.empty()) {
    out += fmt::format("{} the state after step {} has no error finding that {} did not have\n",
                       style.Green("check:"), applied, Printable(report.state_path));
  } else {
    out += fmt::format(
        "{} the state after step {} has {} that {} did not have:\n", style.Red("check:"), applied,
        Plural(static_cast<int>(report.new_findings.size()), "error finding", "error findings"),
        Printable(report.state_path));
    for (const Finding& f : report.new_findings) {
      out +=
          fmt::format("  {:<8} {}  {}\n", style.ForSeverity(f.severity, SeverityName(f.severity)),
                      style.Bold(Printable(f.rule_id)),
                      style.Dim(Printable(f.entity_id) + " " + Printable(f.pointer)));
      out += "           " + Printable(f.message) + "\n";
      if (!f.remedy.empty()) out += "           fix: " + Printable(f.remedy) + "\n";
    }
  }
  if (!report.write_state.empty()) {
    out += report.written ? fmt::format("state after step {} written to {}\n", applied,
                                        Printable(report.write_state))
                          : fmt::format(
                                "{} not written: step {} was denied, so the plan has no final "
                                "state\n",
                                Printable(report.write_state), applied + 1);
  }
  return out;
}

}  // namespace partnerpolicy::cli
