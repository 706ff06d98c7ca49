// GitHub annotations, TAP and JUnit XML. Every value is escaped for its line (Printable) and then
// by the format's own rules; the annotations' and TAP's own line breaks are their format's.
#include "ci_output.h"

#include <fmt/format.h>

#include "safe_text.h"

namespace partnerpolicy::cli {
namespace {

// Workflow-command escaping (the runner's own rules): data escapes % CR LF; property values
// also escape : and ,. A line break in `text` is one of the message's lines, not a new command.
std::string GithubData(const std::string& text) {
  std::string out;
  for (char c : Printable(text, Keep::kLineBreaksAndTabs)) {
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
  for (char c : GithubData(Printable(text))) {
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

// A YAML double-quoted scalar: the escapes Printable writes (\xNN, \uNNNN) are YAML's too.
std::string YamlString(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return "\"" + Printable(out) + "\"";
}

// A TAP description: no '#' (it starts a directive) and no line break (Printable escapes it).
std::string TapDescription(const std::string& text) {
  std::string out;
  for (char c : Printable(text)) out += c == '#' ? ' ' : c;
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

// An attribute value: one line, so a line break in it is escaped (Printable) as well as markup.
std::string XmlAttribute(const std::string& text) { return Xml(Printable(text)); }

// JUnit XML pieces shared by check, alerts and error reports. A case passes, fails, errs or is
// skipped (waived); `text` is the failure's or error's text, or <system-out> otherwise.
struct JunitCase {
  enum Outcome { kPassed, kFailure, kError, kSkipped };
  JunitCase(std::string classname, std::string name, std::string file)
      : classname(std::move(classname)), name(std::move(name)), file(std::move(file)) {}
  void Fail(Outcome as, std::string type_attribute, std::string message_attribute) {
    outcome = as;
    type = std::move(type_attribute);
    message = std::move(message_attribute);
  }

  std::string classname, name, file;  // file may be empty
  Outcome outcome = kPassed;
  std::string type, message;  // attributes of <failure> or <error>
  std::string text;
};

struct JunitSuite {
  std::string name;
  std::vector<std::pair<std::string, std::string>> properties;  // none: no <properties>
  std::vector<JunitCase> cases;
};

std::string JunitCaseXml(const JunitCase& test) {
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\"",
                                XmlAttribute(test.classname), XmlAttribute(test.name));
  if (!test.file.empty()) out += fmt::format(" file=\"{}\"", XmlAttribute(test.file));
  out += ">";
  if (test.outcome == JunitCase::kSkipped) {
    out += fmt::format("\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    ",
                       XmlAttribute(test.message), Xml(test.text));
  } else if (test.outcome != JunitCase::kPassed) {
    const char* tag = test.outcome == JunitCase::kFailure ? "failure" : "error";
    out += fmt::format("\n      <{} type=\"{}\" message=\"{}\">{}</{}>\n    ", tag,
                       XmlAttribute(test.type), XmlAttribute(test.message), Xml(test.text), tag);
  } else if (!test.text.empty()) {
    out += fmt::format("\n      <system-out>{}</system-out>\n    ", Xml(test.text));
  }
  return out + "</testcase>\n";
}

// <testsuites> with counts summed over its suites, each suite's counted over its cases.
std::string JunitXml(const std::string& name, const std::vector<JunitSuite>& suites) {
  std::string body;
  int all_tests = 0, all_failures = 0, all_errors = 0;
  for (const JunitSuite& suite : suites) {
    int failures = 0, errors = 0, skipped = 0;
    std::string cases;
    for (const JunitCase& test : suite.cases) {
      failures += test.outcome == JunitCase::kFailure;
      errors += test.outcome == JunitCase::kError;
      skipped += test.outcome == JunitCase::kSkipped;
      cases += JunitCaseXml(test);
    }
    const int tests = static_cast<int>(suite.cases.size());
    body += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        XmlAttribute(suite.name), tests, failures, errors, skipped);
    if (!suite.properties.empty()) {
      body += "    <properties>\n";
      for (const auto& [property, value] : suite.properties) {
        body += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", XmlAttribute(property),
                            XmlAttribute(value));
      }
      body += "    </properties>\n";
    }
    body += cases + "  </testsuite>\n";
    all_tests += tests;
    all_failures += failures;
    all_errors += errors;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n{}</testsuites>\n",
      XmlAttribute(name), all_tests, all_failures, all_errors, body);
}

// "RULE ENTITY YYYY-MM-DD": how annotations and test cases name an alert.
std::string AlertTitle(const Alert& a) {
  return a.rule_id + (a.entity_id.empty() ? "" : " " + a.entity_id) + " " + FormatDate(a.on);
}

}  // namespace

std::string CheckReportJunit(const std::vector<FixtureResult>& results, const PolicySet& policies,
                             Severity fail_on) {
  std::vector<JunitSuite> suites;
  for (const FixtureResult& r : results) {
    JunitSuite& suite = suites.emplace_back();
    suite.name = r.path;
    suite.properties = {{"evaluation_date", FormatDate(r.date.date)},
                        {"evaluation_date_source", r.date.source},
                        {"fail_on", SeverityName(fail_on)}};
    if (!r.errors.empty()) {
      std::string text;
      for (const Error& e : r.errors) text += Printable(e.ToString()) + "\n";
      JunitCase& load = suite.cases.emplace_back(r.path, "load", r.path);
      load.Fail(JunitCase::kError, "invalid-input", r.errors[0].message);
      load.text = text;
      continue;
    }
    for (const std::string& rule_id : r.CheckedRules(policies)) {
      JunitCase& test = suite.cases.emplace_back(r.path, rule_id, r.path);
      bool failing = false;
      std::string first_message;
      for (const Finding& f : r.findings) {
        if (f.rule_id != rule_id) continue;
        failing = failing || f.severity >= fail_on;
        if (first_message.empty()) first_message = f.message;
        test.text += fmt::format("{}: {} at {}:{}:{} {}\n  {}\n", SeverityName(f.severity),
                                 Printable(f.entity_id), Printable(r.path), f.line, f.column,
                                 Printable(f.pointer), Printable(f.message));
        if (!f.remedy.empty()) test.text += "  fix: " + Printable(f.remedy) + "\n";
      }
      // Waived findings are skipped, not failed: the rule still fails on any other finding.
      const Waiver* waiver = nullptr;
      for (const WaivedFinding& w : r.waived) {
        if (w.finding.rule_id != rule_id) continue;
        if (waiver == nullptr) waiver = &w.waiver;
        test.text +=
            fmt::format("waived: {} at {}:{}:{} {}\n  {}\n", Printable(w.finding.entity_id),
                        Printable(r.path), w.finding.line, w.finding.column,
                        Printable(w.finding.pointer), Printable(WaivedBy(w.waiver)));
      }
      const PolicyInfo* info = policies.Find(rule_id);
      if (!test.text.empty() && info != nullptr) test.text += SourceLine(*info) + "\n";
      if (failing) {
        test.Fail(JunitCase::kFailure, rule_id, first_message);
      } else if (waiver != nullptr) {
        test.Fail(JunitCase::kSkipped, "", WaivedBy(*waiver));
      }
    }
  }
  return JunitXml("partnerpolicy check", suites);
}

std::string AlertsReportJunit(const AlertsReport& report, const PolicySet& policies) {
  JunitSuite suite;
  suite.name = report.state_path;
  suite.properties = {{"evaluation_date", FormatDate(report.date.date)},
                      {"evaluation_date_source", report.date.source},
                      {"within", report.within},
                      {"horizon_last_day", FormatDate(report.horizon)},
                      {"fail_on", SeverityName(report.fail_on)}};
  for (const Alert& a : report.alerts) {
    JunitCase test(report.state_path, AlertTitle(a), report.state_path);
    test.text = fmt::format("{}: {} at {}:{}:{} {}\n  {}\n", SeverityName(a.severity),
                            FormatDate(a.on), Printable(report.state_path), a.line, a.column,
                            Printable(a.pointer), Printable(a.message));
    if (!a.remedy.empty()) test.text += "  do: " + Printable(a.remedy) + "\n";
    if (const PolicyInfo* info = policies.Find(a.rule_id)) test.text += SourceLine(*info) + "\n";
    if (a.severity >= report.fail_on) test.Fail(JunitCase::kFailure, a.rule_id, a.message);
    suite.cases.push_back(std::move(test));
  }
  return JunitXml("partnerpolicy alerts", {suite});
}

std::string CheckReportGithub(const std::vector<FixtureResult>& results,
                              const PolicySet& policies) {
  std::string out;
  for (const FixtureResult& r : results) {
    for (const Error& e : r.errors) {
      out += fmt::format("::error file={}{}{},title={}::{}\n", GithubProperty(r.path),
                         e.where.line > 0 ? ",line=" + std::to_string(e.where.line) : "",
                         e.where.column > 0 ? ",col=" + std::to_string(e.where.column) : "",
                         "invalid fixture", GithubData(Printable(e.ToString())));
    }
    for (const Finding& f : r.findings) {
      const PolicyInfo* info = policies.Find(f.rule_id);
      std::string message = Printable(f.message);
      if (!f.remedy.empty()) message += "\nfix: " + Printable(f.remedy);
      if (info != nullptr) message += "\n" + SourceLine(*info);
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
          GithubData(fmt::format("{} ({}:{})\n{}", Printable(WaivedBy(w.waiver)),
                                 Printable(w.waiver.where.file), w.waiver.where.line,
                                 Printable(f.message))));
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
                          TapDescription(r.path), TapDescription(rule_id));
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
    std::string message = FormatDate(a.on) + ": " + Printable(a.message);
    if (!a.remedy.empty()) message += "\ndo: " + Printable(a.remedy);
    out += fmt::format("::{} file={},line={},col={},title={}::{}\n", GithubLevel(a.severity),
                       GithubProperty(report.state_path), a.line, a.column,
                       GithubProperty(AlertTitle(a)), GithubData(message));
  }
  return out;
}

std::string AlertsReportTap(const AlertsReport& report) {
  std::string out = fmt::format("TAP version 13\n1..{}\n", report.alerts.size());
  int point = 0;
  for (const Alert& a : report.alerts) {
    ++point;
    out += fmt::format("{} {} - {} {} {}\n", a.severity >= report.fail_on ? "not ok" : "ok", point,
                       FormatDate(a.on), TapDescription(a.rule_id), TapDescription(a.entity_id));
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
    out += "::" + GithubData(Printable(e.ToString())) + "\n";
  }
  return out;
}

std::string ErrorsJunit(const Errors& errors) {
  std::string text;
  for (const Error& e : errors) text += Printable(e.ToString()) + "\n";
  JunitSuite suite;
  suite.name = "partnerpolicy";
  JunitCase& setup = suite.cases.emplace_back("partnerpolicy", "setup", "");
  setup.Fail(JunitCase::kError, errors.empty() ? "error" : ErrorCodeName(errors[0].code),
             errors.empty() ? std::string("error") : errors[0].message);
  setup.text = text;
  return JunitXml("partnerpolicy check", {suite});
}

std::string ErrorsTap(const Errors& errors) {
  return "TAP version 13\n1..0\nBail out! " +
         TapDescription(errors.empty() ? std::string("error") : errors[0].ToString()) + "\n";
}

}  // namespace partnerpolicy::cli
