// Running a one-rule policy in the sandbox, for the tests of the Lua runtime and of hostile
// policies: the rule's check runs `body` with `state` (the example fixture) and `ctx` in scope.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "lua/policy_runtime.h"
#include "test_support.h"

namespace partnerpolicy::testing {

// Errors from the check report "policies/sandbox.lua:<line>"; the body starts on line 5.
inline std::string PolicyWithCheck(const std::string& body,
                                   const std::string& id = "test.sandbox") {
  return "return {\n"
         "  id = \"" +
         id +
         "\", title = \"t\", severity = \"error\", description = \"d\",\n"
         "  source = { seed = \"s\", section = \"x\" },\n"
         "  check = function(state, ctx)\n" +
         body +
         "\n  end,\n"
         "}\n";
}

inline const PartnerState& ExampleState() {
  static PartnerState state = Must(Loader().Load(ExamplePath()));
  return state;
}

inline Result<std::vector<Finding>> RunSandboxCheck(const std::string& body, Budgets budgets = {}) {
  Result<std::unique_ptr<PolicyRuntime>> runtime =
      PolicyRuntime::Create({PolicyText{"policies/sandbox.lua", PolicyWithCheck(body)}}, budgets);
  if (!runtime.ok()) return runtime.take_errors();
  PolicyInfo info = runtime.value()->declared()[0];
  return runtime.value()->RunCheck(0, info, ExampleState().document, Date{20000});
}

// The single error of a failed run, as printed.
inline std::string SandboxFailureOf(const std::string& body, Budgets budgets = {}) {
  Result<std::vector<Finding>> result = RunSandboxCheck(body, budgets);
  EXPECT_FALSE(result.ok()) << "expected the policy to fail: " << body;
  if (result.ok()) return "";
  EXPECT_EQ(result.errors().size(), 1u);
  return result.errors()[0].ToString();
}

// The message of the single finding a successful run reports.
inline std::string SandboxReportedBy(const std::string& body) {
  Result<std::vector<Finding>> result = RunSandboxCheck(body);
  EXPECT_TRUE(result.ok()) << Describe(result.errors());
  if (!result.ok() || result.value().size() != 1) return "";
  return result.value()[0].message;
}

}  // namespace partnerpolicy::testing
