// partnerpolicy test [DIR] [--coverage] [--threshold N]: runs the policy tests next to the
// policies (DIR/**/*.test.json), each case at its own as_of; with --coverage, reports the lines
// of every policy, helper library and effects file that the tests ran.
#include <algorithm>
#include <cstdio>

#include "commands.h"
#include "json_output.h"
#include "policy_test_file.h"
#include "policy_test_runner.h"
#include "report_file.h"
#include "test_output.h"

namespace partnerpolicy::cli {
namespace {

// Coverage of every helper library, effects file and policy of the set, in path order.
Result<std::vector<FileCoverage>> Coverage(const PolicySet& policies, const LineCoverage& ran) {
  std::vector<const PolicyText*> texts;
  for (const PolicyText& text : policies.libraries()) texts.push_back(&text);
  for (const PolicyText& text : policies.effect_files()) texts.push_back(&text);
  for (const PolicyText& text : policies.texts()) texts.push_back(&text);
  std::sort(texts.begin(), texts.end(), [](const PolicyText* a, const PolicyText* b) {
    return a->display_path < b->display_path;
  });
  std::vector<FileCoverage> files;
  for (const PolicyText* text : texts) {
    Result<FileCoverage> file = CoverageOf(*text, ran);
    if (!file.ok()) return file.take_errors();
    files.push_back(file.take());
  }
  return files;
}

}  // namespace

int RunTest(const CommonOptions& common, const TestOptions& options) {
  Format format = *ParseFormat(common.format);
  CommonOptions with_dir = common;
  if (!options.dir.empty()) with_dir.policies = options.dir;
  Result<Setup> setup = Prepare(with_dir);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  const PolicySet& policies = setup.value().policies;
  const std::string& dir = setup.value().policy_dir;

  Result<SchemaValidator> schema =
      SchemaValidator::Load(SchemaNextToPolicies(dir, "policy-test.schema.json"));
  if (!schema.ok()) return ReportErrors(schema.errors(), format);
  Result<std::vector<std::string>> paths = FindPolicyTestFiles(dir);
  if (!paths.ok()) return ReportErrors(paths.errors(), format);
  // Every test file is read before any case runs: a bad file is reported with all the others.
  std::vector<PolicyTestFile> files;
  Errors errors;
  for (const std::string& path : paths.value()) {
    Result<PolicyTestFile> file = ReadPolicyTestFile(path, schema.value(), policies);
    if (!file.ok()) {
      errors.insert(errors.end(), file.errors().begin(), file.errors().end());
      continue;
    }
    files.push_back(file.take());
  }
  if (!errors.empty()) return ReportErrors(errors, format);

  bool coverage = options.coverage || options.threshold >= 0;
  LineCoverage lines;
  PolicyTestRunner runner(policies, setup.value().loader, coverage ? &lines : nullptr);
  TestReport report;
  report.dir = dir;
  report.content_hash = policies.content_hash();
  for (const PolicyTestFile& file : files) {
    Result<FileOutcome> outcome = runner.Run(file);
    if (!outcome.ok()) return ReportErrors(outcome.errors(), format);
    report.files.push_back(outcome.take());
  }
  if (coverage) {
    Result<std::vector<FileCoverage>> covered = Coverage(policies, lines);
    if (!covered.ok()) return ReportErrors(covered.errors(), format);
    report.coverage = covered.take();
    if (options.threshold >= 0) report.threshold = options.threshold;
  }

  std::string text = format == Format::kJson
                         ? TestReportJson(report)
                         : TestReportText(report, Style(ReportInColour(common.output)));
  return EmitReport(common.output, text, Count(report).ok() ? kExitOk : kExitFindings, format);
}

}  // namespace partnerpolicy::cli
