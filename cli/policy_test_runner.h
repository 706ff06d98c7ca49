// Running policy test cases: each case's state is evaluated at the case's as_of, and the result
// is put into the shape of what the case expects, so the two compare (and print) side by side.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "policy_test_file.h"

namespace partnerpolicy::cli {

struct CaseOutcome {
  std::string name;
  std::string pointer;  // of the case in its file, "/cases/3"
  TestKind kind = TestKind::kCheck;
  bool passed = false;
  // The expectation and the result in the same JSON shape (pretty-printed, two-space indent).
  std::string expected;
  std::string actual;
  // When failed: the JSON pointer (into both) of the first path where they differ, and the
  // values there (compact JSON; "(missing)" when one side has nothing at that path).
  std::string difference;
  std::string expected_value;
  std::string actual_value;
  // What the rules in scope said, in their own words ("RULE deny: MESSAGE", "RULE ENTITY:
  // MESSAGE"), so a failing case shows why without another run.
  std::vector<std::string> said;
};

struct FileOutcome {
  std::string path;
  std::vector<CaseOutcome> cases;
  int passed() const;
  int failed() const;
};

// Runs cases against a policy set (or a case's own settings of it), recording into `coverage`
// when given which lines ran. Fixtures are read once and kept for later cases.
class PolicyTestRunner {
 public:
  PolicyTestRunner(const PolicySet& policies, const StateLoader& loader, LineCoverage* coverage)
      : policies_(policies), loader_(loader), coverage_(coverage) {}

  // Every case of the file, in file order. Errors stop the run: a fixture that does not load, a
  // request that does not resolve (unknown action, parameter or id), a policy that fails; each
  // error's detail names the case ("in FILE#/cases/N \"name\"").
  Result<FileOutcome> Run(const PolicyTestFile& file);

 private:
  Result<const PartnerState*> State(const std::string& path);

  const PolicySet& policies_;
  const StateLoader& loader_;
  LineCoverage* coverage_;
  std::map<std::string, PartnerState> states_;
};

}  // namespace partnerpolicy::cli
