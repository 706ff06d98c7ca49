// Policy test files (DIR/**/*.test.json, schemas/policy-test.schema.json): finding them and
// reading them into cases `partnerpolicy test` can run.
//
// A test file lives next to the policy it is about (policies/credits/x.test.json for
// policies/credits/x.lua) or names its rules with "rules". Each case fixes its evaluation date
// (as_of is required: a test never reads the clock) and is one of four kinds, told apart by what
// it expects: a decision (expect.decision), a state check (expect.findings / expect.passes),
// alerts (expect.alerts) or an action's effect (expect.effect, the JSON Patch the effect of
// policies/effects/ gives).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/schema_validator.h"

namespace partnerpolicy::cli {

enum class TestKind { kDecision, kCheck, kAlerts, kEffect };
const char* TestKindName(TestKind kind);  // "decision", "check", "alerts", "effect"

struct PolicyTestCase {
  std::string name;
  std::string pointer;  // of the case in its file, e.g. "/cases/3"
  TestKind kind = TestKind::kCheck;
  Date as_of;
  std::string state;  // the fixture path: the test file's directory joined with "state"
  // kDecision, kEffect: the request, as `can` would get it.
  ActionRequest request;
  // kAlerts: "within" as written, and the last day it includes.
  std::string within;
  Date horizon;
  // kCheck, kAlerts: the rules whose findings or alerts are compared (the case's "rules", else
  // the file's).
  std::vector<std::string> rules;
  NodeId expect = kNoNode;  // the "expect" object in the file's document
  // The policy set with the case's "settings" (rule parameters and severities on top of
  // policies.toml); nullptr when the case has none and runs with the loaded set.
  std::shared_ptr<const PolicySet> policies;
};

struct PolicyTestFile {
  std::string path;   // as found under DIR, e.g. "policies/credits/x.test.json"
  Document document;  // the file, for the expected values
  std::vector<PolicyTestCase> cases;
};

// Every DIR/**/*.test.json, sorted. Errors: DIR is not a directory (kIo), what the walk refuses
// (FilesUnder in directory_walk.h: a *.test.json that is not a regular file, a symbolic link
// loop; kIo), it holds no test file (kUsage).
Result<std::vector<std::string>> FindPolicyTestFiles(const std::filesystem::path& dir);

// Reads one test file: JSON syntax, then the schema, then what the schema cannot say (a case's
// kind, rule ids the policy set does not have, rules without a check or alerts function, dates,
// settings naming unknown parameters or of the wrong type).
// Every problem is reported with the file, line:column and the JSON pointer of the value.
Result<PolicyTestFile> ReadPolicyTestFile(const std::string& path, const SchemaValidator& schema,
                                          const PolicySet& policies);

}  // namespace partnerpolicy::cli
