// The report of `partnerpolicy test`: per file, the failing cases with expected and actual side
// by side and a passed/failed line; the totals; with --coverage, the lines each policy and
// helper library ran. Text for people, JSON (kind "test") for tools.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "partnerpolicy/coverage.h"
#include "policy_test_runner.h"
#include "text_output.h"

namespace partnerpolicy::cli {

struct TestReport {
  std::string dir;           // the policy directory tested
  std::string content_hash;  // of the policy set tested (PolicySet::content_hash)
  std::vector<FileOutcome> files;
  // With --coverage: every policy and library file; with --threshold the minimum percentage
  // each file must reach.
  std::optional<std::vector<FileCoverage>> coverage;
  std::optional<double> threshold;
};

struct TestTotals {
  int passed = 0, failed = 0;
  std::vector<const FileCoverage*> below_threshold;  // files under --threshold
  bool ok() const { return failed == 0 && below_threshold.empty(); }
};
TestTotals Count(const TestReport& report);

// Two columns like `diff -y`: the left text, the right text, and between them ' ' for equal
// lines, '|' for changed ones, '<' and '>' for lines only one side has. Lines end with '\n';
// each is prefixed by `indent`.
std::string SideBySide(const std::string& left, const std::string& right,
                       const std::string& left_title, const std::string& right_title,
                       const std::string& indent);

std::string TestReportText(const TestReport& report, const Style& style);
std::string TestReportJson(const TestReport& report);

}  // namespace partnerpolicy::cli
