// Text and JSON layout of the `partnerpolicy test` report. fmt does the text, nlohmann_json the
// JSON (the expected and actual values come back from their JSON text, unchanged).
#include "test_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "json_output.h"
#include "safe_text.h"

namespace partnerpolicy::cli {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Displayed with one decimal, rounded down, so 99.97% never shows as 100.0%.
std::string Percent(const FileCoverage& file) {
  return fmt::format("{:.1f}%", std::floor(file.percent() * 10) / 10);
}

bool Below(const FileCoverage& file, double threshold) {
  return static_cast<double>(file.covered()) * 100.0 <
         threshold * static_cast<double>(file.executable.size());
}

FileCoverage Total(const std::vector<FileCoverage>& files) {
  FileCoverage total;
  total.file = "total";
  for (const FileCoverage& f : files) {
    total.executable.insert(total.executable.end(), f.executable.begin(), f.executable.end());
    total.missed.insert(total.missed.end(), f.missed.begin(), f.missed.end());
  }
  return total;
}

std::string Plural(int n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string FileSummary(const FileOutcome& file) {
  return file.failed() == 0 ? Plural(file.passed(), "passed", "passed")
                            : fmt::format("{} passed, {} failed", file.passed(), file.failed());
}

}  // namespace

TestTotals Count(const TestReport& report) {
  TestTotals totals;
  for (const FileOutcome& file : report.files) {
    totals.passed += file.passed();
    totals.failed += file.failed();
  }
  if (report.coverage && report.threshold) {
    for (const FileCoverage& file : *report.coverage) {
      if (Below(file, *report.threshold)) totals.below_threshold.push_back(&file);
    }
  }
  return totals;
}

std::string SideBySide(const std::string& left, const std::string& right,
                       const std::string& left_title, const std::string& right_title,
                       const std::string& indent) {
  const std::vector<std::string> a = Lines(left), b = Lines(right);
  // Longest common subsequence of lines; the reports compared are small (a few dozen lines).
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  struct Row {
    std::string left, right;
    char mark;
  };
  std::vector<Row> rows;
  std::vector<std::string> only_left, only_right;
  // Lines removed and added between two common lines pair up as changes, the rest stand alone.
  auto flush = [&] {
    size_t n = std::max(only_left.size(), only_right.size());
    for (size_t k = 0; k < n; ++k) {
      bool l = k < only_left.size(), r = k < only_right.size();
      rows.push_back({l ? only_left[k] : "", r ? only_right[k] : "", l && r ? '|' : l ? '<' : '>'});
    }
    only_left.clear();
    only_right.clear();
  };
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      flush();
      rows.push_back({a[i++], b[j++], ' '});
    } else if (j == b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
      only_left.push_back(a[i++]);
    } else {
      only_right.push_back(b[j++]);
    }
  }
  flush();
  size_t width = left_title.size();
  for (const Row& row : rows) width = std::max(width, row.left.size());
  width = std::min<size_t>(width, 60);
  std::string out = fmt::format("{}{:<{}} | {}\n", indent, left_title, width, right_title);
  for (const Row& row : rows) {
    std::string line = fmt::format("{}{:<{}} {} {}", indent, row.left, width, row.mark, row.right);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string TestReportText(const TestReport& report, const Style& style) {
  std::string out;
  for (const FileOutcome& file : report.files) {
    for (const CaseOutcome& c : file.cases) {
      if (c.passed) continue;
      out += fmt::format("{} {}#{} \"{}\"\n", style.Red("FAIL"), Printable(file.path),
                         Printable(c.pointer), Printable(c.name));
      out += fmt::format("  at {}: expected {}, got {}\n", Printable(c.difference),
                         Printable(c.expected_value), Printable(c.actual_value));
      // JSON text on both sides, so every line break is the document's own.
      out += Printable(SideBySide(c.expected, c.actual, "expected", "actual", "  "),
                       Keep::kLineBreaksAndTabs);
      out += c.said.empty() ? "  no rule in scope had a say\n" : "  what the rules said:\n";
      for (const std::string& line : c.said) out += "    " + Printable(line) + "\n";
      out += "\n";
    }
  }
  for (const FileOutcome& file : report.files) {
    out += fmt::format("{} {}: {}\n", file.failed() == 0 ? style.Green("ok  ") : style.Red("FAIL"),
                       Printable(file.path), FileSummary(file));
  }
  TestTotals totals = Count(report);
  if (report.coverage) {
    out += "\ncoverage (lines run by the tests / executable lines):\n";
    size_t width = 5;
    for (const FileCoverage& f : *report.coverage) {
      width = std::max(width, Printable(f.file).size());
    }
    auto line = [&](const FileCoverage& f) {
      bool below = report.threshold && Below(f, *report.threshold);
      std::string percent = fmt::format("{:>6}", Percent(f));
      out += fmt::format("  {:<{}}  {} ({}/{})", Printable(f.file), width,
                         below ? style.Red(percent) : percent, f.covered(), f.executable.size());
      if (!f.missed.empty() && f.file != "total") {
        out += "  missed lines: " + FormatLineRanges(f.missed);
      }
      out += "\n";
    };
    for (const FileCoverage& f : *report.coverage) line(f);
    line(Total(*report.coverage));
  }
  out += fmt::format("\ntest: {} passed, {} failed in {}", totals.passed, totals.failed,
                     Plural(static_cast<int>(report.files.size()), "file", "files"));
  if (report.threshold) {
    if (totals.below_threshold.empty()) {
      out += fmt::format("; every file reaches {}% line coverage", *report.threshold);
    } else {
      out += fmt::format("; {} below {}% line coverage:",
                         Plural(static_cast<int>(totals.below_threshold.size()), "file", "files"),
                         *report.threshold);
      for (const FileCoverage* f : totals.below_threshold) {
        out += fmt::format("\n  {} {} (missed lines {})", Printable(f->file), Percent(*f),
                           FormatLineRanges(f->missed));
      }
    }
  }
  out += "\n";
  return out;
}

std::string TestReportJson(const TestReport& report) {
  Json files = Json::array();
  for (const FileOutcome& file : report.files) {
    Json cases = Json::array();
    for (const CaseOutcome& c : file.cases) {
      Json j;
      j["name"] = c.name;
      j["pointer"] = c.pointer;
      j["kind"] = TestKindName(c.kind);
      j["status"] = c.passed ? "pass" : "fail";
      j["difference"] = c.passed ? Json(nullptr) : Json(c.difference);
      j["expected"] = Json::parse(c.expected);
      j["actual"] = Json::parse(c.actual);
      cases.push_back(j);
    }
    files.push_back(Json{{"path", file.path},
                         {"passed", file.passed()},
                         {"failed", file.failed()},
                         {"cases", cases}});
  }
  TestTotals totals = Count(report);
  Json j;
  j["report_version"] = kReportVersion;
  j["kind"] = "test";
  j["policies"] = report.dir;
  j["policy_set"] = Json{{"directory", report.dir}, {"sha256", report.content_hash}};
  j["files"] = files;
  if (report.coverage) {
    auto entry = [](const FileCoverage& f) {
      return Json{{"file", f.file},
                  {"percent", f.percent()},
                  {"covered", f.covered()},
                  {"executable", f.executable.size()},
                  {"missed", f.missed}};
    };
    Json coverage_files = Json::array();
    for (const FileCoverage& f : *report.coverage) coverage_files.push_back(entry(f));
    Json coverage;
    coverage["threshold"] = report.threshold ? Json(*report.threshold) : Json(nullptr);
    coverage["files"] = coverage_files;
    Json total = entry(Total(*report.coverage));
    total.erase("file");
    total.erase("missed");
    coverage["total"] = total;
    Json below = Json::array();
    for (const FileCoverage* f : totals.below_threshold) below.push_back(f->file);
    coverage["below_threshold"] = below;
    j["coverage"] = coverage;
  }
  j["summary"] = Json{{"files", report.files.size()},
                      {"passed", totals.passed},
                      {"failed", totals.failed},
                      {"ok", totals.ok()}};
  return DumpReport(j);
}

}  // namespace partnerpolicy::cli
