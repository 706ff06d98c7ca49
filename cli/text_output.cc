// Text layout of reports. fmt does the formatting; nothing here decides anything.
#include "text_output.h"

#include <fmt/format.h>

namespace partnerpolicy::cli {

std::string Style::ForSeverity(Severity severity, const std::string& s) const {
  switch (severity) {
    case Severity::kError:
      return Red(s);
    case Severity::kWarning:
      return Yellow(s);
    case Severity::kInfo:
      return Dim(s);
  }
  return s;
}

std::string Printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string FormatErrors(const Errors& errors, const Style& style) {
  std::string out;
  for (const Error& error : errors) {
    out += fmt::format("{} {}\n", style.Red("error:"), Printable(error.ToString()));
    if (!error.detail.empty()) {
      std::string detail = Printable(error.detail);
      size_t start = 0;
      while (start < detail.size()) {
        size_t end = detail.find('\n', start);
        if (end == std::string::npos) end = detail.size();
        out += "    " + detail.substr(start, end - start) + "\n";
        start = end + 1;
      }
    }
  }
  return out;
}

CheckTotals Count(const std::vector<FixtureResult>& results) {
  CheckTotals totals;
  for (const FixtureResult& r : results) {
    if (!r.errors.empty()) ++totals.invalid;
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

}  // namespace

std::string CheckReportText(const std::vector<FixtureResult>& results, const PolicySet& policies,
                            const Style& style) {
  std::string out;
  for (const FixtureResult& r : results) {
    out += fmt::format(
        "{}  {}\n", style.Bold(Printable(r.path)),
        style.Dim(fmt::format("evaluation date {} ({})", FormatDate(r.date.date), r.date.source)));
    if (!r.errors.empty()) {
      out += fmt::format("  {} the fixture was not evaluated:\n", style.Red("invalid input:"));
      for (const Error& e : r.errors) out += "    " + Printable(e.ToString()) + "\n";
      continue;
    }
    if (r.findings.empty()) {
      out += fmt::format("  {} every rule passes\n", style.Green("ok:"));
      continue;
    }
    for (const Finding& f : r.findings) {
      const PolicyInfo* info = policies.Find(f.rule_id);
      out += fmt::format(
          "  {:<8} {}  {}\n", style.ForSeverity(f.severity, SeverityName(f.severity)),
          style.Bold(f.rule_id),
          style.Dim(fmt::format("{}{}:{}:{} {}", f.entity_id.empty() ? "" : f.entity_id + " at ",
                                Printable(r.path), f.line, f.column, f.pointer)));
      out += "           " + Printable(f.message) + "\n";
      if (!f.remedy.empty()) out += "           fix: " + Printable(f.remedy) + "\n";
      if (info != nullptr) {
        out += style.Dim(fmt::format("           source: {}, \"{}\"", info->source.seed,
                                     info->source.section)) +
               "\n";
      }
    }
  }
  CheckTotals t = Count(results);
  out += fmt::format(
      "\n{}: {}, {}, {}{}\n", Plural(static_cast<int>(results.size()), "fixture", "fixtures"),
      Plural(t.errors, "error", "errors"), Plural(t.warnings, "warning", "warnings"),
      Plural(t.infos, "info", "infos"),
      t.invalid > 0 ? fmt::format(", {} not evaluated (invalid input)", t.invalid) : std::string());
  return out;
}

std::string CanReportText(const CanReport& report, const PolicySet& policies, const Style& style) {
  const Decision& d = report.decision;
  std::string request = d.action;
  for (const auto& [name, value] : report.request.arguments) request += " " + name + "=" + value;
  if (!report.request.actor.empty()) request += " (as " + report.request.actor + ")";
  std::string out =
      fmt::format("{}  {}\n", d.allowed ? style.Green("ALLOWED") : style.Red("DENIED"),
                  style.Bold(Printable(request)));
  out += style.Dim(fmt::format("evaluation date {} ({}); state {}", FormatDate(report.date.date),
                               report.date.source, Printable(report.state_path))) +
         "\n";
  if (d.rules.empty()) {
    out += "\n  no rule restricts this action\n";
  }
  for (const RuleDecision& r : d.rules) {
    const PolicyInfo* info = policies.Find(r.rule_id);
    bool deny = r.verdict == Verdict::kDeny;
    out += fmt::format("\n  {} {}{}\n", deny ? style.Red("✗ deny ") : style.Green("✓ allow"),
                       style.Bold(r.rule_id),
                       info != nullptr ? style.Dim(" — " + info->title) : std::string());
    out += "    " + Printable(r.message) + "\n";
    if (deny && !r.remedy.empty()) out += "    to allow: " + Printable(r.remedy) + "\n";
    for (const Fact& fact : r.facts) {
      out += fmt::format("    {}: {}\n", fact.name, Printable(fact.value));
    }
    if (info != nullptr) {
      out += style.Dim(
                 fmt::format("    source: {}, \"{}\"", info->source.seed, info->source.section)) +
             "\n";
    }
  }
  if (!d.silent.empty()) {
    std::string names;
    for (const std::string& id : d.silent) names += (names.empty() ? "" : ", ") + id;
    out += style.Dim("\n  no say on this request: " + names) + "\n";
  }
  return out;
}

}  // namespace partnerpolicy::cli
