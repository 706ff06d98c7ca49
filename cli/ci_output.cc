// GitHub annotations and TAP. Both are line formats, so every value is escaped for its line.
#include "ci_output.h"

#include <fmt/format.h>

namespace partnerpolicy::cli {
namespace {

// Workflow-command escaping (the runner's own rules): data escapes % CR LF; property values
// also escape : and ,.
std::string GithubData(const std::string& text) {
  std::string out;
  for (char c : Printable(text)) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string GithubProperty(const std::string& text) {
  std::string out;
  for (char c : GithubData(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

const char* GithubLevel(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "notice";
  }
  return "error";
}

// A YAML double-quoted scalar.
std::string YamlString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A TAP description: no '#' (it starts a directive) and no line break.
std::string TapDescription(const std::string& text) {
  std::string out;
  for (char c : Printable(text)) out += (c == '#' || c == '\n') ? ' ' : c;
  return out;
}

// XML 1.0 character data or attribute value: markup escaped; control characters XML cannot
// carry become U+FFFD.
std::string Xml(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace

std::string CheckReportJunit(const std::vector<FixtureResult>& results, const PolicySet& policies,
                             Severity fail_on) {
  std::string suites;
  int all_tests = 0, all_failures = 0, all_errors = 0;
  for (const FixtureResult& r : results) {
    std::string cases;
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    const std::string path = Xml(r.path);
    if (!r.errors.empty()) {
      tests = errors = 1;
      std::string text;
      for (const Error& e : r.errors) text += e.ToString() + "\n";
      cases += fmt::format(
          "    <testcase classname=\"{}\" name=\"load\" file=\"{}\">\n"
          "      <error type=\"invalid-input\" message=\"{}\">{}</error>\n    </testcase>\n",
          path, path, Xml(r.errors[0].message), Xml(text));
    } else {
      for (const std::string& rule_id : r.CheckedRules(policies)) {
        const PolicyInfo* info = policies.Find(rule_id);
        ++tests;
        std::string text;
        std::string first_message;
        bool failing = false;
        for (const Finding& f : r.findings) {
          if (f.rule_id != rule_id) continue;
          failing = failing || f.severity >= fail_on;
          if (first_message.empty()) first_message = f.message;
          text += fmt::format("{}: {} at {}:{}:{} {}\n  {}\n", SeverityName(f.severity),
                              f.entity_id, r.path, f.line, f.column, f.pointer, f.message);
          if (!f.remedy.empty()) text += "  fix: " + f.remedy + "\n";
        }
        // Waived findings are skipped, not failed: the rule still fails on any other finding.
        const Waiver* waiver = nullptr;
        for (const WaivedFinding& w : r.waived) {
          if (w.finding.rule_id != rule_id) continue;
          if (waiver == nullptr) waiver = &w.waiver;
          text +=
              fmt::format("waived: {} at {}:{}:{} {}\n  {}\n", w.finding.entity_id, r.path,
                          w.finding.line, w.finding.column, w.finding.pointer, WaivedBy(w.waiver));
        }
        std::string source = info == nullptr ? std::string()
                                             : fmt::format("source: {}, \"{}\"\n",
                                                           info->source.seed, info->source.section);
        cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\">", path,
                             Xml(rule_id), path);
        if (failing) {
          ++failures;
          cases += fmt::format("\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    ",
                               Xml(rule_id), Xml(first_message), Xml(text + source));
        } else if (waiver != nullptr) {
          ++skipped;
          cases += fmt::format(
              "\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    ",
              Xml(WaivedBy(*waiver)), Xml(text + source));
        } else if (!text.empty()) {
          cases += fmt::format("\n      <system-out>{}</system-out>\n    ", Xml(text + source));
        }
        cases += "</testcase>\n";
      }
    }
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n"
        "    <properties>\n"
        "      <property name=\"evaluation_date\" value=\"{}\"/>\n"
        "      <property name=\"evaluation_date_source\" value=\"{}\"/>\n"
        "      <property name=\"fail_on\" value=\"{}\"/>\n"
        "    </properties>\n{}  </testsuite>\n",
        path, tests, failures, errors, skipped, FormatDate(r.date.date), Xml(r.date.source),
        SeverityName(fail_on), cases);
    all_tests += tests;
    all_failures += failures;
    all_errors += errors;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"partnerpolicy check\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n"
      "{}</testsuites>\n",
      all_tests, all_failures, all_errors, suites);
}

std::string CheckReportGithub(const std::vector<FixtureResult>& results,
                              const PolicySet& policies) {
  std::string out;
  for (const FixtureResult& r : results) {
    for (const Error& e : r.errors) {
      out += fmt::format("::error file={}{}{},title={}::{}\n", GithubProperty(r.path),
                         e.where.line > 0 ? ",line=" + std::to_string(e.where.line) : "",
                         e.where.column > 0 ? ",col=" + std::to_string(e.where.column) : "",
                         "invalid fixture", GithubData(e.ToString()));
    }
    for (const Finding& f : r.findings) {
      const PolicyInfo* info = policies.Find(f.rule_id);
      std::string message = f.message;
      if (!f.remedy.empty()) message += "\nfix: " + f.remedy;
      if (info != nullptr) {
        message += fmt::format("\nsource: {}, \"{}\"", info->source.seed, info->source.section);
      }
      out += fmt::format("::{} file={},line={},col={},title={}::{}\n", GithubLevel(f.severity),
                         GithubProperty(r.path), f.line, f.column,
                         GithubProperty(f.rule_id + (f.entity_id.empty() ? "" : " " + f.entity_id)),
                         GithubData(message));
    }
    // A waived finding is a notice: visible on the line, never failing the job.
    for (const WaivedFinding& w : r.waived) {
      const Finding& f = w.finding;
      out += fmt::format(
          "::notice file={},line={},col={},title={}::{}\n", GithubProperty(r.path), f.line,
          f.column,
          GithubProperty(f.rule_id + (f.entity_id.empty() ? "" : " " + f.entity_id) + " (waived)"),
          GithubData(fmt::format("{} ({}:{})\n{}", WaivedBy(w.waiver), w.waiver.where.file,
                                 w.waiver.where.line, f.message)));
    }
  }
  return out;
}

std::string CheckReportTap(const std::vector<FixtureResult>& results, const PolicySet& policies,
                           Severity fail_on) {
  std::string body;
  int points = 0;
  for (const FixtureResult& r : results) {
    if (!r.errors.empty()) {
      ++points;
      body += fmt::format("not ok {} - {}: invalid fixture\n  ---\n  errors:\n", points,
                          TapDescription(r.path));
      for (const Error& e : r.errors) body += "    - " + YamlString(e.ToString()) + "\n";
      body += "  ...\n";
      continue;
    }
    for (const std::string& rule_id : r.CheckedRules(policies)) {
      const PolicyInfo* info = policies.Find(rule_id);
      ++points;
      std::vector<const Finding*> found;
      bool failing = false;
      for (const Finding& f : r.findings) {
        if (f.rule_id != rule_id) continue;
        found.push_back(&f);
        failing = failing || f.severity >= fail_on;
      }
      const WaivedFinding* waived = nullptr;
      for (const WaivedFinding& w : r.waived) {
        if (waived == nullptr && w.finding.rule_id == rule_id) waived = &w;
      }
      body += fmt::format("{} {} - {}: {}", failing ? "not ok" : "ok", points,
                          TapDescription(r.path), rule_id);
      if (!failing && waived != nullptr) {
        body += fmt::format(" # SKIP {} {}", TapDescription(waived->finding.entity_id),
                            TapDescription(WaivedBy(waived->waiver)));
      } else if (!failing && !found.empty()) {
        body += fmt::format(
            " # {} below --fail-on {}",
            found.size() == 1 ? "1 finding" : std::to_string(found.size()) + " findings",
            SeverityName(fail_on));
      }
      body += "\n";
      if (found.empty()) continue;
      body += "  ---\n  findings:\n";
      for (const Finding* f : found) {
        body += fmt::format(
            "    - severity: {}\n      entity: {}\n      at: {}\n      message: {}\n",
            SeverityName(f->severity), YamlString(f->entity_id),
            YamlString(fmt::format("{}:{}:{} {}", r.path, f->line, f->column, f->pointer)),
            YamlString(f->message));
        if (!f->remedy.empty()) body += "      fix: " + YamlString(f->remedy) + "\n";
      }
      if (info != nullptr) {
        body += fmt::format("  source: {}\n",
                            YamlString(info->source.seed + ", " + info->source.section));
      }
      body += "  ...\n";
    }
  }
  return fmt::format("TAP version 13\n1..{}\n", points) + body;
}

std::string AlertsReportGithub(const AlertsReport& report) {
  std::string out;
  for (const Alert& a : report.alerts) {
    std::string message = FormatDate(a.on) + ": " + a.message;
    if (!a.remedy.empty()) message += "\ndo: " + a.remedy;
    out += fmt::format("::{} file={},line={},col={},title={}::{}\n", GithubLevel(a.severity),
                       GithubProperty(report.state_path), a.line, a.column,
                       GithubProperty(a.rule_id + (a.entity_id.empty() ? "" : " " + a.entity_id) +
                                      " " + FormatDate(a.on)),
                       GithubData(message));
  }
  return out;
}

std::string AlertsReportTap(const AlertsReport& report) {
  std::string out = fmt::format("TAP version 13\n1..{}\n", report.alerts.size());
  int point = 0;
  for (const Alert& a : report.alerts) {
    ++point;
    out += fmt::format("{} {} - {} {} {}\n", a.severity >= report.fail_on ? "not ok" : "ok", point,
                       FormatDate(a.on), a.rule_id, TapDescription(a.entity_id));
    out += fmt::format(
        "  ---\n  severity: {}\n  at: {}\n  message: {}\n", SeverityName(a.severity),
        YamlString(fmt::format("{}:{}:{} {}", report.state_path, a.line, a.column, a.pointer)),
        YamlString(a.message));
    if (!a.remedy.empty()) out += "  do: " + YamlString(a.remedy) + "\n";
    out += "  ...\n";
  }
  return out;
}

std::string ErrorsGithub(const Errors& errors) {
  std::string out;
  for (const Error& e : errors) {
    out += "::error";
    if (!e.where.file.empty()) {
      out += " file=" + GithubProperty(e.where.file);
      if (e.where.line > 0) out += ",line=" + std::to_string(e.where.line);
      if (e.where.column > 0) out += ",col=" + std::to_string(e.where.column);
    }
    out += "::" + GithubData(e.ToString()) + "\n";
  }
  return out;
}

std::string ErrorsJunit(const Errors& errors) {
  std::string text;
  for (const Error& e : errors) text += e.ToString() + "\n";
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"partnerpolicy check\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
      "  <testsuite name=\"partnerpolicy\" tests=\"1\" failures=\"0\" errors=\"1\" "
      "skipped=\"0\">\n"
      "    <testcase classname=\"partnerpolicy\" name=\"setup\">\n"
      "      <error type=\"{}\" message=\"{}\">{}</error>\n"
      "    </testcase>\n  </testsuite>\n</testsuites>\n",
      errors.empty() ? "error" : ErrorCodeName(errors[0].code),
      Xml(errors.empty() ? std::string("error") : errors[0].message), Xml(text));
}

std::string ErrorsTap(const Errors& errors) {
  return "TAP version 13\n1..0\nBail out! " +
         TapDescription(errors.empty() ? std::string("error") : errors[0].ToString()) + "\n";
}

}  // namespace partnerpolicy::cli
