// Hostile policies (issue 5, acceptance 3): each escape or runaway attempt stops with its own
// error, and a pcall in the policy cannot swallow a stop. The library is tested directly; a few
// attempts also run through the real binary, which must exit 2 naming the policy's file:line.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "lua/policy_runtime.h"
#include "process_support.h"
#include "sandbox_support.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

const PartnerState& Example() { return testing::ExampleState(); }
std::string FailureOf(const std::string& body, Budgets budgets = {}) {
  return testing::SandboxFailureOf(body, budgets);
}
std::string ReportedBy(const std::string& body) { return testing::SandboxReportedBy(body); }

constexpr const char* kPrefix = "policies/sandbox.lua:5: policy test.sandbox ";

// --- Runaway work ---

TEST(AdversarialTest, InfiniteLoopInsidePcallStopsWithTheInstructionBudget) {
  Budgets budgets;
  budgets.max_instructions = 1'000'000;
  EXPECT_EQ(FailureOf("local ok = pcall(function() while true do end end)\n"
                      "ctx.report{ at = state.partner, message = 'escaped' }",
                      budgets),
            std::string(kPrefix) + "stopped: instruction budget of 1000000 instructions exceeded");
}

TEST(AdversarialTest, StringRepPastTwoGigabytesIsRefused) {
  EXPECT_EQ(FailureOf("local s = string.rep('x', 2^31)"),
            std::string(kPrefix) + "failed: resulting string too large");
  // Lua raises "not enough memory" without a line; the allocator notes the line (issue 20).
  EXPECT_EQ(FailureOf("local s = ('x'):rep(2^30)"),
            std::string(kPrefix) + "stopped: memory budget of 268435456 bytes exceeded");
}

TEST(AdversarialTest, StringRepOfNothingReturnsAtOnce) {
  // Lua 5.4.4 loops n times here without allocating: the memory budget would never stop it.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ReportedBy("ctx.report{ at = state.partner, message = '[' .. string.rep('', 2^62) .. "
                       "('x'):rep(3, '') .. ']' }"),
            "[xxx]");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(AdversarialTest, HugeConcatAndFormatStayWithinTheBudgets) {
  // Allocating is charged (one instruction per byte), so at the default budgets the instruction
  // budget stops this first, at its line; with instructions to spare, the memory budget does.
  const char* kHuge =
      "local t = {} for i = 1, 2^24 do t[i] = 'xxxxxxxxxxxxxxxx' end\n"
      "local s = table.concat(t, ('y'):rep(64))";
  EXPECT_EQ(FailureOf(kHuge), std::string(kPrefix) +
                                  "stopped: instruction budget of 100000000 instructions exceeded");
  Budgets unlimited_work;
  unlimited_work.max_instructions = 100'000'000'000;
  EXPECT_EQ(FailureOf(kHuge, unlimited_work),
            std::string(kPrefix) + "stopped: memory budget of 268435456 bytes exceeded");
  EXPECT_EQ(FailureOf("local s = string.format('%0999d', 1)"),
            std::string(kPrefix) + "failed: invalid conversion specification: '%0999d'");
}

TEST(AdversarialTest, DeepRecursionIsAStackOverflow) {
  EXPECT_EQ(FailureOf("local function f(n) return 1 + f(n + 1) end\nf(1)")
                .substr(0, std::string("policies/sandbox.lua:5:").size()),
            "policies/sandbox.lua:5:");
  EXPECT_NE(FailureOf("local function f(n) return 1 + f(n + 1) end\nf(1)")
                .find("policy test.sandbox failed: stack overflow"),
            std::string::npos);
  // Through C (gsub calling back into Lua): Lua's C-stack limit, not a crash.
  EXPECT_NE(
      FailureOf("local function f() return ('x'):gsub('x', f) end\nf()").find("stack overflow"),
      std::string::npos);
}

TEST(AdversarialTest, CoroutinesAreNotAvailable) {
  EXPECT_EQ(FailureOf("local co = coroutine.create(function() while true do end end)"),
            std::string(kPrefix) +
                "failed: undefined global 'coroutine' (policies see only the names in "
                "docs/policy-api.md; declare your own with local)");
}

// --- The pattern matcher ---

TEST(AdversarialTest, PatternBlowUpIsRefusedBeforeItRuns) {
  auto start = std::chrono::steady_clock::now();
  std::string failure = FailureOf("local a = string.find(('a'):rep(500), '.-.-.-.-b')");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  EXPECT_EQ(failure, std::string(kPrefix) +
                         "stopped: string.find: the pattern '.-.-.-.-b' is too costly for a "
                         "subject of 500 bytes (up to 157818762512505 matching steps, the limit "
                         "is 20000000); match a shorter text or use a pp helper");
}

TEST(AdversarialTest, PatternRefusalCannotBeCaughtAndCoversEveryEntry) {
  EXPECT_EQ(FailureOf("local s = ('a'):rep(500)\n"
                      "local ok = pcall(string.match, s, '(.-)(.-)(.-)b')\n"
                      "ctx.report{ at = state.partner, message = 'escaped' }"),
            "policies/sandbox.lua:6: policy test.sandbox stopped: string.match: the pattern "
            "'(.-)(.-)(.-)b' is too costly for a subject of 500 bytes (up to 252006008004 "
            "matching steps, the limit is 20000000); match a shorter text or use a pp helper");
  EXPECT_NE(FailureOf("local n = select(2, ('a'):rep(1000):gsub('a*a*b', ''))")
                .find("stopped: string.gsub: the pattern 'a*a*b' is too costly"),
            std::string::npos);
  EXPECT_NE(FailureOf("for w in ('a'):rep(1000):gmatch('[%a]+[%a]+b') do end")
                .find("stopped: string.gmatch: the pattern '[%a]+[%a]+b' is too costly"),
            std::string::npos);
}

TEST(AdversarialTest, MalformedPatternsAndBadArgumentsKeepTheirLine) {
  EXPECT_EQ(FailureOf("local a = ('x'):find('[a')"),
            std::string(kPrefix) + "failed: malformed pattern (missing ']')");
  EXPECT_EQ(FailureOf("local a = ('x'):gsub('x', true)"),
            std::string(kPrefix) +
                "failed: bad argument #2 to 'gsub' (string/function/table expected, got boolean)");
}

TEST(AdversarialTest, TypicalPatternsAndPlainFindsStillWork) {
  EXPECT_EQ(ReportedBy("local email = 'alice@contoso.com'\n"
                       "local trimmed = ('  x y  '):match('^%s*(.-)%s*$')\n"
                       "local plain = string.find(('a'):rep(500), '.-.-.-.-b', 1, true)\n"
                       "local words = 0 for w in ('one two three'):gmatch('%a+') do words = "
                       "words + 1 end\n"
                       "ctx.report{ at = state.partner, message = email:match('@(.+)$') .. ' ' "
                       ".. trimmed .. ' ' .. tostring(plain) .. ' ' .. words .. ' ' .. "
                       "(('a,b'):gsub(',', ';')) }"),
            "contoso.com x y nil 3 a;b");
}

TEST(AdversarialTest, AllowedMatchesAreChargedOnTheInstructionBudget) {
  Budgets budgets;
  budgets.max_instructions = 50'000'000;
  // 2,001^2 * 2 = 8,008,002 steps each: allowed one at a time, but seven of them spend the
  // budget.
  EXPECT_EQ(FailureOf("local s = ('a'):rep(2000)\n"
                      "for i = 1, 100 do pcall(string.find, s, 'a*b') end",
                      budgets),
            "policies/sandbox.lua:6: policy test.sandbox stopped: instruction budget of "
            "50000000 instructions exceeded");
}

// --- The state and shared tables ---

TEST(AdversarialTest, WritingIntoTheStateIsRefused) {
  EXPECT_EQ(FailureOf("state.partner.name = 'x'"),
            std::string(kPrefix) + "failed: the partner state is read-only: cannot set 'name'");
  EXPECT_EQ(FailureOf("local ok = pcall(function() state.users[1] = 1 end)\n"
                      "state.users[1] = 1"),
            "policies/sandbox.lua:6: policy test.sandbox failed: the partner state is "
            "read-only: cannot set 'number'");
}

TEST(AdversarialTest, SetmetatableOnTheStateIsRefused) {
  EXPECT_EQ(FailureOf("setmetatable(state, {})"),
            std::string(kPrefix) +
                "failed: bad argument #1 to 'setmetatable' (table expected, got partner state)");
  EXPECT_EQ(FailureOf("setmetatable(state.partner, { __index = function() return 1 end })"),
            std::string(kPrefix) +
                "failed: bad argument #1 to 'setmetatable' (table expected, got partner state)");
}

TEST(AdversarialTest, TheSharedBaseCannotBeChanged) {
  EXPECT_EQ(FailureOf("rawset(string, 'upper', nil)"),
            std::string(kPrefix) +
                "failed: undefined global 'rawset' (policies see only the names in "
                "docs/policy-api.md; declare your own with local)");
  EXPECT_EQ(FailureOf("_G.pairs = nil"),
            std::string(kPrefix) +
                "failed: undefined global '_G' (policies see only the names in "
                "docs/policy-api.md; declare your own with local)");
  EXPECT_EQ(FailureOf("setmetatable(_ENV, nil)"),
            std::string(kPrefix) + "failed: cannot change a protected metatable");
  EXPECT_EQ(FailureOf("setmetatable(string, { __index = function() return 1 end })"),
            std::string(kPrefix) + "failed: cannot change a protected metatable");
  EXPECT_EQ(FailureOf("table.sort = nil"),
            std::string(kPrefix) + "failed: the library 'table' is read-only");
  EXPECT_EQ(FailureOf("pairs = nil"),
            std::string(kPrefix) +
                "failed: cannot assign global 'pairs': use local (policies may not create "
                "globals)");
}

TEST(AdversarialTest, StringMetatableTamperingReachesNothing) {
  EXPECT_EQ(FailureOf("getmetatable('').__index = { upper = function() return 'pwned' end }"),
            std::string(kPrefix) + "failed: attempt to index a boolean value");
  // A policy that tries every route, then another policy in the same runtime.
  std::string tamper = testing::PolicyWithCheck(
      "pcall(function() getmetatable('').__index.upper = nil end)\n"
      "pcall(function() string.upper = nil end)\n"
      "pcall(function() setmetatable(string, {}) end)\n"
      "ctx.report{ at = state.partner, message = ('still'):upper() }",
      "test.tamper");
  std::string victim = testing::PolicyWithCheck(
      "ctx.report{ at = state.partner, message = ('ok'):upper() .. string.upper('!') }",
      "test.victim");
  Result<std::unique_ptr<PolicyRuntime>> runtime = PolicyRuntime::Create(
      {PolicyText{"policies/tamper.lua", tamper}, PolicyText{"policies/victim.lua", victim}},
      Budgets{});
  ASSERT_TRUE(runtime.ok()) << testing::Describe(runtime.errors());
  for (size_t i = 0; i < 2; ++i) {
    PolicyInfo info = runtime.value()->declared()[i];
    Result<std::vector<Finding>> found =
        runtime.value()->RunCheck(i, info, Example().document, Date{20000});
    ASSERT_TRUE(found.ok()) << testing::Describe(found.errors());
    ASSERT_EQ(found.value().size(), 1u);
    EXPECT_EQ(found.value()[0].message, i == 0 ? "STILL" : "OK!");
  }
}

// --- Iteration order (hash order differs between processes) ---

TEST(AdversarialTest, PairsAndNextFollowADefinedOrder) {
  EXPECT_EQ(ReportedBy("local t = { b = 1, a = 2, [3] = 3, [1] = 4, [false] = 5, [0.5] = 6, "
                       "B = 7, [true] = 8 }\n"
                       "local keys = {}\n"
                       "for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. '=' .. v; "
                       "t.a = nil end\n"
                       "local walked, k = {}, nil\n"
                       "repeat k = next(t, k) walked[#walked + 1] = tostring(k) until k == nil\n"
                       "ctx.report{ at = state.partner, message = table.concat(keys, ' ') .. "
                       "' | ' .. table.concat(walked, ' ') }"),
            "0.5=6 1=4 3=3 B=7 b=1 false=5 true=8 | 0.5 1 3 B b false true nil");
  EXPECT_EQ(FailureOf("for k in pairs({ [{}] = 1 }) do end"),
            std::string(kPrefix) +
                "failed: pairs: a table with table keys has no defined iteration order (use "
                "numbers, strings or booleans as keys, or a list with ipairs)");
}

// --- Bytecode ---

TEST(AdversarialTest, EveryLoaderIsAbsent) {
  const std::string undefined =
      "' (policies see only the names in docs/policy-api.md; declare your own with local)";
  for (const char* loader : {"load", "loadstring", "loadfile", "dofile", "require"}) {
    EXPECT_EQ(FailureOf(std::string("local f = ") + loader + "('\\27Lua\\84\\0')"),
              std::string(kPrefix) + "failed: undefined global '" + loader + undefined)
        << loader;
  }
  EXPECT_EQ(FailureOf("local b = string.dump(function() end)"),
            std::string(kPrefix) + "failed: attempt to call a nil value (field 'dump')");
}

TEST(AdversarialTest, BytecodeFilesAreRefused) {
  const std::string bytecode("\x1bLua\x54\x00\x19\x93\r\n\x1a\n", 12);
  Result<std::unique_ptr<PolicyRuntime>> policy =
      PolicyRuntime::Create({PolicyText{"policies/binary.lua", bytecode}}, Budgets{});
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.errors()[0].ToString(),
            "policies/binary.lua: attempt to load a binary chunk (mode is 't')");
  Result<std::unique_ptr<PolicyRuntime>> library =
      PolicyRuntime::Create({}, Budgets{}, {PolicyText{"policies/lib/binary.lua", bytecode}});
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.errors()[0].ToString(),
            "policies/lib/binary.lua: policy lib.binary failed: attempt to load a binary chunk "
            "(mode is 't')");
}

// --- Through the real binary ---

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Copies the bundled policies and adds `line` at the start of appeal_limit's check function.
class HostilePolicies {
 public:
  explicit HostilePolicies(const std::string& line)
      : temp_(ReadFile(testing::PolicyDir() / "policies.toml")) {
    std::filesystem::path file = temp_.dir() / "account" / "appeal_limit.lua";
    std::string text = ReadFile(file);
    const std::string anchor = "  check = function(state, ctx)\n";
    size_t at = text.find(anchor);
    EXPECT_NE(at, std::string::npos);
    text.insert(at + anchor.size(), line + "\n");
    line_ = static_cast<int>(std::count(text.begin(), text.begin() + at + anchor.size(), '\n')) + 1;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  }
  std::string dir() const { return temp_.dir().string(); }
  int line() const { return line_; }  // the added line's number

 private:
  testing::TempPolicies temp_;
  int line_ = 0;
};

struct Outcome {
  int exit_code = -1;
  std::string output;  // standard output and error
};

Outcome CheckWith(const HostilePolicies& policies) {
  std::string command = "cd '" + testing::SourceDir().string() + "' && NO_COLOR=1 '" +
                        PARTNERPOLICY_BINARY +
                        "' check fixtures/examples/contoso.json --policies " +
                        testing::Quoted(policies.dir()) + " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) outcome.output.append(buffer, n);
  int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

TEST(AdversarialBinaryTest, PatternBlowUpExitsTwoNamingFileAndLine) {
  HostilePolicies policies("    local _ = string.find(('a'):rep(500), '.-.-.-.-b')");
  auto start = std::chrono::steady_clock::now();
  Outcome outcome = CheckWith(policies);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(outcome.exit_code, 2) << outcome.output;
  EXPECT_NE(outcome.output.find(policies.dir() +
                                "/account/appeal_limit.lua:" + std::to_string(policies.line()) +
                                ": policy account.appeal-limit stopped: string.find: the pattern "
                                "'.-.-.-.-b' is too costly for a subject of 500 bytes"),
            std::string::npos)
      << outcome.output;
}

TEST(AdversarialBinaryTest, InfiniteLoopInPcallExitsTwoNamingTheBudget) {
  HostilePolicies policies("    pcall(function() while true do end end)");
  Outcome outcome = CheckWith(policies);
  EXPECT_EQ(outcome.exit_code, 2) << outcome.output;
  EXPECT_NE(outcome.output.find("/account/appeal_limit.lua:" + std::to_string(policies.line()) +
                                ": policy account.appeal-limit stopped: instruction budget of"),
            std::string::npos)
      << outcome.output;
}

TEST(AdversarialBinaryTest, WritingIntoTheStateExitsTwo) {
  HostilePolicies policies("    state.partner.name = 'changed'");
  Outcome outcome = CheckWith(policies);
  EXPECT_EQ(outcome.exit_code, 2) << outcome.output;
  EXPECT_NE(outcome.output.find("/account/appeal_limit.lua:" + std::to_string(policies.line()) +
                                ": policy account.appeal-limit failed: the partner state is "
                                "read-only: cannot set 'name'"),
            std::string::npos)
      << outcome.output;
}

}  // namespace
}  // namespace partnerpolicy
