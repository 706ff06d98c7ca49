// Output is the same in every process (issue 5, acceptance 2): Lua 5.4 seeds its string hash per
// process, so anything that leaked hash order (pairs over a policy's own table) or addresses
// would differ between fresh runs of the binary. Each report is produced 20 times and compared
// byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "process_support.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Partnerpolicy;
using testing::ProcessRun;

constexpr int kRuns = 20;

// Runs `arguments` kRuns times in fresh processes; expects the same exit code and output each
// time and returns the first run.
ProcessRun SameEveryTime(const std::string& arguments) {
  ProcessRun first = Partnerpolicy(arguments);
  for (int i = 1; i < kRuns; ++i) {
    ProcessRun again = Partnerpolicy(arguments);
    EXPECT_EQ(again.exit_code, first.exit_code) << arguments << " (run " << i + 1 << ")";
    EXPECT_EQ(again.out, first.out) << arguments << " (run " << i + 1 << ")";
    if (again.out != first.out) break;  // one difference is enough to read
  }
  return first;
}

TEST(DeterminismTest, ReportsAreByteIdenticalAcrossProcesses) {
  const std::string state = "fixtures/examples/contoso.json";
  const std::string commands[] = {
      "check " + state,
      "can credit.reassign --state " + state + " credit=MC-1 user=carol --as alice",
      "actions --state " + state + " --as alice",
      "alerts --state " + state + " --within 3m",
  };
  for (const std::string& command : commands) {
    for (const char* format : {"text", "json"}) {
      ProcessRun run = SameEveryTime(command + " --format " + format);
      EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << command << ": " << run.out;
      EXPECT_FALSE(run.out.empty()) << command;
      if (std::string(format) == "json") testing::Json(run);
    }
  }
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A policy that builds its message by pairs over a table of 200 string keys (and a few number
// and boolean keys): the order is the sandbox's defined one, not the per-process hash order.
TEST(DeterminismTest, PairsOverAPolicysOwnTableIsTheSameInEveryProcess) {
  testing::TempPolicies policies(ReadFile(testing::PolicyDir() / "policies.toml"));
  std::filesystem::path file = policies.dir() / "account" / "appeal_limit.lua";
  std::string text = ReadFile(file);
  const std::string anchor = "  check = function(state, ctx)\n";
  size_t at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + anchor.size(),
              "    local seen = { [true] = 1, [2.5] = 1, [-3] = 1, [10] = 1 }\n"
              "    for i = 1, 200 do seen['user' .. i .. '@contoso.com'] = i end\n"
              "    local keys = {}\n"
              "    for key in pairs(seen) do keys[#keys + 1] = tostring(key) end\n"
              "    local first = next(seen)\n"
              "    ctx.report{ at = state.partner, severity = 'info', message = 'order ' .. "
              "tostring(first) .. ' ' .. table.concat(keys, ' ') }\n");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;

  ProcessRun run = SameEveryTime("check fixtures/examples/contoso.json --format json --policies " +
                                 testing::Quoted(policies.dir().string()));
  nlohmann::json report = testing::Json(run);
  std::string message;
  for (const nlohmann::json& fixture : report["fixtures"]) {
    for (const nlohmann::json& finding : fixture["findings"]) {
      std::string said = finding.value("message", "");
      if (said.rfind("order ", 0) == 0) message = said;
    }
  }
  ASSERT_FALSE(message.empty()) << run.out.substr(0, 2000);
  // Numbers ascending, then strings by bytes, then booleans.
  EXPECT_EQ(message.substr(0, 64),
            "order -3 -3 2.5 10 user100@contoso.com user101@contoso.com user1");
  // '@' sorts after the digits: user99@ comes before user9@.
  const std::string last = "user99@contoso.com user9@contoso.com true";
  ASSERT_GT(message.size(), last.size());
  EXPECT_EQ(message.substr(message.size() - last.size()), last);
}

// Issue 20: a policy that prints tables and functions (tostring, %s) and sorts with a comparator
// that is no order at all. string.format's %s showed addresses and Lua's sort took its pivots
// from the clock, so this report differed between runs; now it is the same 20 times over.
TEST(DeterminismTest, TablesFunctionsAndOddSortsPrintTheSameInEveryProcess) {
  testing::TempPolicies policies(ReadFile(testing::PolicyDir() / "policies.toml"));
  std::filesystem::path file = policies.dir() / "account" / "appeal_limit.lua";
  std::string text = ReadFile(file);
  const std::string anchor = "  check = function(state, ctx)\n";
  size_t at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + anchor.size(),
              "    local t = {} for i = 1, 300 do t[i] = (i * 7919) % 301 end\n"
              "    table.sort(t, function(a, b) return (a + b) % 3 == 0 end)\n"
              "    ctx.report{ at = state.partner, severity = 'info', message = 'printed ' .. "
              "('%s %s %s '):format({}, pairs, state.partner) .. tostring(ctx) .. ' ' .. "
              "table.concat(t, ',', 1, 12) }\n");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  for (const char* format : {"text", "json"}) {
    ProcessRun run =
        SameEveryTime("check fixtures/examples/contoso.json --format " + std::string(format) +
                      " --policies " + testing::Quoted(policies.dir().string()));
    size_t printed = run.out.find("printed ");
    ASSERT_NE(printed, std::string::npos) << run.out.substr(0, 3000);
    // The merge sort's order for this comparator, the same on every machine.
    EXPECT_EQ(run.out.substr(printed, 87),
              "printed table function entity 1234567 table 285,192,99,258,279,186,93,76,169,262,"
              "37,130")
        << format;
  }
}

}  // namespace
}  // namespace partnerpolicy
