// The Lua sandbox: forbidden capabilities, budgets, read-only state, deterministic iteration.
#include "lua/policy_runtime.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "field_read_checks.h"
#include "rule_test_support.h"
#include "sandbox_support.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Loader;

using testing::PolicyWithCheck;

const PartnerState& Example() { return testing::ExampleState(); }
Result<std::vector<Finding>> RunCheck(const std::string& body, Budgets budgets = {}) {
  return testing::RunSandboxCheck(body, budgets);
}
std::string FailureOf(const std::string& body, Budgets budgets = {}) {
  return testing::SandboxFailureOf(body, budgets);
}

TEST(SandboxTest, NoFileAccess) {
  EXPECT_EQ(FailureOf("io.open('/etc/passwd')"),
            "policies/sandbox.lua:5: policy test.sandbox failed: undefined global 'io' (policies "
            "see only the names in docs/policy-api.md; declare your own with local)");
}

TEST(SandboxTest, NoProcessesOrEnvironment) {
  EXPECT_NE(FailureOf("os.execute('true')").find("undefined global 'os'"), std::string::npos);
  EXPECT_NE(FailureOf("return os.getenv('HOME')").find("undefined global 'os'"), std::string::npos);
}

TEST(SandboxTest, NoModulesOrLoaders) {
  EXPECT_NE(FailureOf("require('io')").find("undefined global 'require'"), std::string::npos);
  EXPECT_NE(FailureOf("dofile('/etc/passwd')").find("undefined global 'dofile'"),
            std::string::npos);
  EXPECT_NE(FailureOf("load('\\27Lua\\84\\0')()").find("undefined global 'load'"),
            std::string::npos);
  EXPECT_NE(FailureOf("local f = string.dump(print)").find("undefined global 'print'"),
            std::string::npos);
  EXPECT_NE(FailureOf("local f = string.dump(function() end)").find("field 'dump'"),
            std::string::npos);
  EXPECT_NE(FailureOf("collectgarbage()").find("undefined global 'collectgarbage'"),
            std::string::npos);
  EXPECT_NE(FailureOf("debug.getinfo(1)").find("undefined global 'debug'"), std::string::npos);
}

// The second load of a text reads back the bytecode compiled by the first (compiled_chunks.cc);
// both must behave and fail alike, down to the line.
TEST(SandboxTest, ARecompiledChunkFailsAtTheSameLine) {
  const std::string body = "local unique = 'ARecompiledChunkFailsAtTheSameLine'\nerror('stop')";
  std::string first = FailureOf(body);
  EXPECT_EQ(first, "policies/sandbox.lua:6: policy test.sandbox failed: stop");
  EXPECT_EQ(FailureOf(body), first);
  const std::string syntax = "local x = = 1 -- ARecompiledChunkFailsAtTheSameLine";
  Result<std::vector<Finding>> bad = RunCheck(syntax);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(RunCheck(syntax).errors()[0].ToString(), bad.errors()[0].ToString());
  EXPECT_NE(bad.errors()[0].ToString().find("policies/sandbox.lua:5:"), std::string::npos)
      << bad.errors()[0].ToString();
}

// Found by fuzz_policy_load: error("") while loading gave an error with no message at all.
TEST(SandboxTest, AnEmptyErrorMessageStillSaysSomething) {
  Result<std::unique_ptr<PolicyRuntime>> loading =
      PolicyRuntime::Create({PolicyText{"policies/empty.lua", "error''"}}, Budgets{});
  ASSERT_FALSE(loading.ok());
  EXPECT_EQ(loading.errors()[0].ToString(),
            "policies/empty.lua:1:1: error() called with an empty message");
  // Nothing left once the policy's own file name is dropped is as empty.
  Result<std::unique_ptr<PolicyRuntime>> named = PolicyRuntime::Create(
      {PolicyText{"policies/empty.lua", "error'policies/empty.lua: '"}}, Budgets{});
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.errors()[0].ToString(),
            "policies/empty.lua:1:1: error() called with an empty message");
  EXPECT_EQ(FailureOf("error('')"),
            "policies/sandbox.lua:5: policy test.sandbox failed: error() called with an empty "
            "message");
}

// Found by fuzz_policy_load: error("policies/nul.lua: \0...") lost everything after the NUL,
// leaving an empty message.
TEST(SandboxTest, AnErrorMessageWithANulByteIsKeptWhole) {
  Result<std::unique_ptr<PolicyRuntime>> loading = PolicyRuntime::Create(
      {PolicyText{"policies/nul.lua",
                  "error'policies/nul.lua: " + std::string(2, '\0') + "after'"}},
      Budgets{});
  ASSERT_FALSE(loading.ok());
  EXPECT_EQ(loading.errors()[0].ToString(), "policies/nul.lua:1:1: \\0\\0after");
}

TEST(SandboxTest, BytecodePolicyFileIsRefused) {
  Result<std::unique_ptr<PolicyRuntime>> runtime = PolicyRuntime::Create(
      {PolicyText{"policies/binary.lua", std::string("\x1bLua\x54\x00", 6)}}, Budgets{});
  ASSERT_FALSE(runtime.ok());
  EXPECT_NE(runtime.errors()[0].ToString().find("attempt to load a binary chunk (mode is 't')"),
            std::string::npos)
      << runtime.errors()[0].ToString();
}

TEST(SandboxTest, InfiniteLoopStopsWithInstructionBudget) {
  Budgets budgets;
  budgets.max_instructions = 1'000'000;
  Result<std::vector<Finding>> result = RunCheck("while true do end", budgets);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors()[0].code, ErrorCode::kBudgetExceeded);
  EXPECT_EQ(result.errors()[0].ToString(),
            "policies/sandbox.lua:5: policy test.sandbox stopped: instruction budget of 1000000 "
            "instructions exceeded");
}

TEST(SandboxTest, PcallCannotSwallowTheInstructionBudget) {
  Budgets budgets;
  budgets.max_instructions = 1'000'000;
  Result<std::vector<Finding>> result =
      RunCheck("for i = 1, 10 do pcall(function() while true do end end) end", budgets);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors()[0].code, ErrorCode::kBudgetExceeded);
}

TEST(SandboxTest, UnboundedAllocationStopsWithMemoryBudget) {
  Budgets budgets;
  budgets.max_memory_bytes = 16 << 20;
  budgets.max_instructions = 10'000'000'000;
  Result<std::vector<Finding>> result = RunCheck(
      "local t = {} local i = 0 while true do i = i + 1 t[i] = ('x'):rep(100) .. i end", budgets);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors()[0].code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(result.errors()[0].message.find("memory budget of 16777216 bytes exceeded"),
            std::string::npos)
      << result.errors()[0].ToString();
}

// A sandbox serves many calls and keeps their garbage between them; a call's fit within the
// memory budget must not depend on that garbage.
TEST(SandboxTest, MemoryBudgetDoesNotDependOnEarlierCalls) {
  Budgets budgets;
  budgets.max_memory_bytes = 16 << 20;
  // About 10 MB of strings per call, garbage once the call returns: two calls' worth does not
  // fit in the budget, one does.
  std::unique_ptr<PolicyRuntime> runtime = testing::Must(PolicyRuntime::Create(
      {PolicyText{
          "policies/sandbox.lua",
          PolicyWithCheck("local t = {} for i = 1, 80000 do t[i] = ('x'):rep(100) .. i end\n"
                          "ctx.report{ at = state.partner, message = tostring(#t) }")}},
      budgets));
  PolicyInfo info = runtime->declared()[0];
  for (int call = 1; call <= 5; ++call) {
    Result<std::vector<Finding>> result =
        runtime->RunCheck(0, info, Example().document, Date{20000});
    ASSERT_TRUE(result.ok()) << "call " << call << ": " << testing::Describe(result.errors());
    ASSERT_EQ(result.value().size(), 1u);
    EXPECT_EQ(result.value()[0].message, "80000");
  }
}

TEST(SandboxTest, HugeStringRepIsRefused) {
  // Lua itself refuses strings past INT_MAX bytes; below that the memory budget does.
  EXPECT_NE(FailureOf("local s = string.rep('x', 2^31)").find("resulting string too large"),
            std::string::npos);
  Result<std::vector<Finding>> result = RunCheck("local s = string.rep('x', 2^30)");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors()[0].code, ErrorCode::kBudgetExceeded);
  EXPECT_NE(result.errors()[0].message.find("memory budget"), std::string::npos);
}

TEST(SandboxTest, StateIsReadOnly) {
  EXPECT_NE(FailureOf("state.partner = nil").find("the partner state is read-only"),
            std::string::npos);
  EXPECT_NE(FailureOf("state.credits[1].kind = 'bulk'").find("read-only"), std::string::npos);
  EXPECT_NE(FailureOf("setmetatable(state, {})").find("table expected"), std::string::npos);
  EXPECT_NE(FailureOf("rawset(state, 'x', 1)").find("undefined global 'rawset'"),
            std::string::npos);
  EXPECT_NE(FailureOf("table.insert(state.users, 1)").find("read-only"), std::string::npos);
}

TEST(SandboxTest, GlobalsCannotBeCreated) {
  EXPECT_NE(FailureOf("counter = 1").find("cannot assign global 'counter'"), std::string::npos);
}

TEST(SandboxTest, SharedLibrariesAreReadOnly) {
  EXPECT_NE(FailureOf("string.upper = nil").find("the library 'string' is read-only"),
            std::string::npos);
  EXPECT_NE(FailureOf("pp.allow = nil").find("the library 'pp' is read-only"), std::string::npos);
  // getmetatable("") must not hand out the real string metatable.
  Result<std::vector<Finding>> ok = RunCheck(
      "if getmetatable('') ~= false then error('string metatable exposed') end\n"
      "if getmetatable(state) ~= 'read-only partner state' then error('state metatable') end");
  EXPECT_TRUE(ok.ok()) << testing::Describe(ok.errors());
}

TEST(SandboxTest, MathRandomIsRemovedAndTostringHasNoAddresses) {
  EXPECT_NE(FailureOf("math.random()").find("field 'random'"), std::string::npos);
  Result<std::vector<Finding>> ok = RunCheck(
      "ctx.report{ at = state.partner, message = tostring({}) .. ' ' .. tostring(pairs) "
      ".. ' ' .. tostring(state.partner) }");
  ASSERT_TRUE(ok.ok()) << testing::Describe(ok.errors());
  ASSERT_EQ(ok.value().size(), 1u);
  EXPECT_EQ(ok.value()[0].message, "table function entity 1234567");
}

TEST(SandboxTest, PairsFollowsDocumentOrder) {
  Result<std::vector<Finding>> ok = RunCheck(
      "local ids = {}\n"
      "for _, user in pairs(state.users) do ids[#ids + 1] = user.id end\n"
      "local keys = {}\n"
      "for k in pairs(state.partner) do keys[#keys + 1] = k end\n"
      "ctx.report{ at = state.partner, message = table.concat(ids, ',') .. ';' .. "
      "table.concat(keys, ',') }");
  ASSERT_TRUE(ok.ok()) << testing::Describe(ok.errors());
  std::string message = ok.value()[0].message;
  EXPECT_EQ(message.substr(0, message.find(';')),
            "alice,carol,dave,emma,bob,frank,gina,hank,ivan,judy,sp-automation");
  EXPECT_EQ(message.substr(message.find(';') + 1, 3), "id,");
}

TEST(SandboxTest, FindAllGivesTheElementsWithAFieldValueInDocumentOrder) {
  Result<std::vector<Finding>> ok = RunCheck(
      "local on = pp.find_all(state.credits, 'azure_subscription', 'AZ-1')\n"
      "local ids = {}\n"
      "for _, credit in ipairs(on) do ids[#ids + 1] = credit.id end\n"
      "assert(on[1] == pp.find(state.credits, 'MC-1'))\n"
      "on[3] = 'a fresh table of the policy'\n"
      "ctx.report{ at = state.partner, message = table.concat(ids, ',') .. ';' .. "
      "#pp.find_all(state.credits, 'package', 'PKG-NONE') }");
  ASSERT_TRUE(ok.ok()) << testing::Describe(ok.errors());
  EXPECT_EQ(ok.value()[0].message, "MC-1,MC-2;0");
  EXPECT_NE(FailureOf("pp.find_all(state.partner, 'id', 'x')")
                .find("pp.find_all: argument #1 must be an array of the partner state"),
            std::string::npos);
  EXPECT_NE(FailureOf("pp.find_all(state.credits, 'package')").find("bad argument #3"),
            std::string::npos);
  EXPECT_NE(FailureOf("pp.find_all(state.users, 'partner_center_roles', { 'partner_admin', 3 })")
                .find("pp.find_all: value #2 of argument #3 must be a string, got number"),
            std::string::npos);
}

TEST(SandboxTest, FindAllStopsOnAnEndlessListOfValues) {
  // Each value is charged as it is read: tostring as __index runs no VM instruction.
  Budgets budgets;
  budgets.max_instructions = 100'000;
  EXPECT_NE(testing::SandboxFailureOf(
                "local endless = setmetatable({}, { __len = function() return math.maxinteger "
                "end, __index = tostring })\n"
                "pp.find_all(state.users, 'partner_center_roles', endless)",
                budgets)
                .find("instruction budget of 100000 instructions exceeded"),
            std::string::npos);
}

TEST(SandboxTest, FindAllLooksInListsAndTakesSeveralValues) {
  // alice holds partner_admin and global_admin: listed once, in document order.
  Result<std::vector<Finding>> ok = RunCheck(
      "local function ids(list) local out = {} for _, u in ipairs(list) do "
      "out[#out + 1] = u.id end return table.concat(out, ',') end\n"
      "ctx.report{ at = state.partner, message = "
      "ids(pp.find_all(state.users, 'partner_center_roles', 'partner_admin')) .. ';' .. "
      "ids(pp.find_all(state.users, 'partner_center_roles', { 'account_admin', "
      "'global_admin', 'partner_admin' })) .. ';' .. "
      "ids(pp.find_all(state.users, 'partner_center_roles', {})) }");
  ASSERT_TRUE(ok.ok()) << testing::Describe(ok.errors());
  EXPECT_EQ(ok.value()[0].message, "alice,carol,emma;alice,carol,dave,emma;");
}

TEST(SandboxTest, LuaErrorNamesFileLineAndTraceback) {
  Result<std::vector<Finding>> result = RunCheck("local x = nil\nreturn x.field");
  ASSERT_FALSE(result.ok());
  const Error& error = result.errors()[0];
  EXPECT_EQ(error.where.file, "policies/sandbox.lua");
  EXPECT_EQ(error.where.line, 6);
  EXPECT_NE(error.message.find("attempt to index a nil value (local 'x')"), std::string::npos);
  EXPECT_NE(error.detail.find("stack traceback:"), std::string::npos);
}

TEST(SandboxTest, DeepRecursionIsAnError) {
  Result<std::vector<Finding>> result =
      RunCheck("local function f(n) return 1 + f(n + 1) end\nf(1)");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.errors()[0].message.find("stack overflow"), std::string::npos)
      << result.errors()[0].ToString();
}

TEST(SandboxTest, ReportNeedsAStateEntity) {
  EXPECT_NE(FailureOf("ctx.report{ at = {}, message = 'x' }")
                .find("'at' must be the entity from the partner state"),
            std::string::npos);
}

TEST(PolicyLoadTest, MetadataErrorsNameTheFile) {
  Result<std::unique_ptr<PolicyRuntime>> runtime = PolicyRuntime::Create(
      {PolicyText{"policies/bad.lua", "return { id = 'x.y', title = 't', severty = 'error' }"}},
      Budgets{});
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.errors()[0].ToString(),
            "policies/bad.lua:1:35: unknown field 'severty' in the rule table (known: id, title, "
            "severity, source, description, params, constrains, no_say, informs, check, alerts, "
            "decide)");

  runtime =
      PolicyRuntime::Create({PolicyText{"policies/syntax.lua", "return {\n  id = \n}"}}, Budgets{});
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.errors()[0].where.file, "policies/syntax.lua");
  EXPECT_EQ(runtime.errors()[0].where.line, 3);
}

// Found by fuzz/fuzz_policy_load: pp.user_label read the state while the policy loaded, when
// there is none, and crashed the host.
TEST(SandboxTest, StateHelpersWhileLoadingAreAnError) {
  Result<std::unique_ptr<PolicyRuntime>> runtime = PolicyRuntime::Create(
      {PolicyText{"policies/early.lua", "local who = pp.user_label('alice')\nreturn {}"}},
      Budgets{});
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.errors()[0].where.file, "policies/early.lua");
  EXPECT_EQ(runtime.errors()[0].where.line, 1);
  EXPECT_NE(runtime.errors()[0].message.find(
                "pp.user_label: the partner state is only available inside check, alerts and "
                "decide"),
            std::string::npos)
      << runtime.errors()[0].ToString();
}

}  // namespace
}  // namespace partnerpolicy

namespace partnerpolicy {
namespace {

// ---------------------------------------------------------------------------------------------
// Helper libraries (policies/lib/<name>.lua -> lib.<name>)

const PolicyText kWordsLibrary{
    "policies/lib/words.lua",
    "local words = { FREE = { 'gmail.com', 'live.com' }, LEVEL = { deep = { n = 1 } } }\n"
    "function words.shout(s) return s:upper() .. '!' end\n"
    "return words\n"};

Result<std::vector<Finding>> RunWithLibrary(const std::string& body,
                                            const std::vector<PolicyText>& libraries) {
  Result<std::unique_ptr<PolicyRuntime>> runtime = PolicyRuntime::Create(
      {PolicyText{"policies/sandbox.lua", PolicyWithCheck(body)}}, Budgets{}, libraries);
  if (!runtime.ok()) return runtime.take_errors();
  PolicyInfo info = runtime.value()->declared()[0];
  return runtime.value()->RunCheck(0, info, Example().document, Date{20000});
}

TEST(HelperLibraryTest, PoliciesCallLibraryFunctionsAndReadItsConstants) {
  Result<std::vector<Finding>> found = RunWithLibrary(
      "local n = 0\n"
      "for _, d in ipairs(lib.words.FREE) do n = n + 1 end\n"
      "for k, v in pairs(lib.words.LEVEL) do n = n + v.n end\n"
      "ctx.report{ at = state.credits[1], message = lib.words.shout('hi') .. #lib.words.FREE .. n "
      "}",
      {kWordsLibrary});
  ASSERT_TRUE(found.ok()) << testing::Describe(found.errors());
  ASSERT_EQ(found.value().size(), 1u);
  EXPECT_EQ(found.value()[0].message, "HI!23");
}

// The bundled lib.text and lib.credits on the example (fixtures/examples/contoso.json).
TEST(HelperLibraryTest, BundledListHelpers) {
  std::vector<PolicyText> bundled;
  for (const char* name : {"text", "credits"}) {
    std::string path = std::string("policies/lib/") + name + ".lua";
    bundled.push_back(PolicyText{path, testing::ReadFile(testing::SourceDir() / path)});
  }
  Result<std::vector<Finding>> found = RunWithLibrary(
      "local function ids(list) local out = {} for _, x in ipairs(list) do out[#out + 1] = x.id "
      "end return table.concat(out, ' ') end\n"
      "local az1 = pp.find(state.azure_subscriptions, 'AZ-1')\n"
      "ctx.report{ at = state.partner, message = lib.text.first_of({ 'a', 'b' }, 2) .. '; ' .. "
      "lib.text.first_of({ 'a', 'b' }, 14) .. '; ' .. lib.text.first_of({}, 0) .. '; ' .. "
      "ids(lib.credits.on_subscription(state, az1)) .. '; ' .. "
      "ids(lib.credits.subscriptions_of(state, pp.find(state.credits, 'MC-1'))) .. '; ' .. "
      "#lib.credits.subscriptions_of(state, pp.find(state.credits, 'MC-5')) }",
      bundled);
  ASSERT_TRUE(found.ok()) << testing::Describe(found.errors());
  EXPECT_EQ(found.value()[0].message, "a, b; a, b and 12 more; ; MC-1 MC-2; AZ-1; 0");
}

TEST(HelperLibraryTest, LibrariesAreReadOnlyAllTheWayDown) {
  for (const char* write : {"lib.words.shout = nil", "lib.words.FREE[1] = 'x'",
                            "lib.words.LEVEL.deep.n = 2", "lib.other = {}"}) {
    SCOPED_TRACE(write);
    Result<std::vector<Finding>> result = RunWithLibrary(write, {kWordsLibrary});
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.errors()[0].message.find("is read-only"), std::string::npos)
        << result.errors()[0].ToString();
  }
  // Neither pairs nor getmetatable hands out the table behind a proxy.
  Result<std::vector<Finding>> leak = RunWithLibrary(
      "local f, t = pairs(lib.words.FREE)\nassert(t == nil)\n"
      "assert(getmetatable(lib.words) == false)",
      {kWordsLibrary});
  EXPECT_TRUE(leak.ok()) << testing::Describe(leak.errors());
}

TEST(HelperLibraryTest, LoadingErrorsNameTheLibraryFile) {
  Result<std::vector<Finding>> not_a_table =
      RunWithLibrary("", {PolicyText{"policies/lib/broken.lua", "return 42\n"}});
  ASSERT_FALSE(not_a_table.ok());
  EXPECT_EQ(not_a_table.errors()[0].ToString(),
            "policies/lib/broken.lua: policy lib.broken failed: a helper library must return a "
            "table of functions and constants, got number");

  Result<std::vector<Finding>> bad_name =
      RunWithLibrary("", {PolicyText{"policies/lib/My-Words.lua", "return {}\n"}});
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.errors()[0].ToString(),
            "policies/lib/My-Words.lua: a helper library's file name must be a lower-case Lua "
            "name (it becomes lib.<name>)");

  Result<std::vector<Finding>> global =
      RunWithLibrary("", {PolicyText{"policies/lib/leaky.lua", "shared = 1\nreturn {}\n"}});
  ASSERT_FALSE(global.ok());
  EXPECT_NE(global.errors()[0].ToString().find("policies/lib/leaky.lua:1:"), std::string::npos)
      << global.errors()[0].ToString();
}

// What lint and the editor definitions compare against: the sandbox's own tables, read back.
TEST(HelperLibraryTest, ReadListsTheGlobalsAndTheFieldsOfTheirTables) {
  Result<PolicyReadings> read = PolicyRuntime::Read({}, Budgets{}, {kWordsLibrary});
  ASSERT_TRUE(read.ok()) << testing::Describe(read.errors());
  const std::vector<std::string>& fields = read.value().global_fields;
  auto has = [&](const char* name) {
    return std::binary_search(fields.begin(), fields.end(), std::string(name));
  };
  EXPECT_TRUE(std::is_sorted(fields.begin(), fields.end()));
  for (const char* name :
       {"pp.allow", "pp.user_label", "string.format", "math.floor", "table.concat", "utf8.char",
        "lib.words", "lib.words.shout", "lib.words.FREE", "lib.words.LEVEL"}) {
    EXPECT_TRUE(has(name)) << name;
  }
  // Removed from the sandbox, and nested deeper than a library's own fields.
  for (const char* name : {"math.random", "string.dump", "lib.words.LEVEL.deep", "pp"}) {
    EXPECT_FALSE(has(name)) << name;
  }
  EXPECT_TRUE(std::binary_search(read.value().global_names.begin(), read.value().global_names.end(),
                                 std::string("pp")));
}

TEST(HelperLibraryTest, BundledLibrariesAreNotRules) {
  PolicySet set = testing::BundledPolicies();
  EXPECT_FALSE(set.libraries().empty());
  for (const PolicyInfo& info : set.policies()) {
    EXPECT_EQ(info.file.find("/lib/"), std::string::npos) << info.file;
  }
}

}  // namespace
}  // namespace partnerpolicy

namespace partnerpolicy {
namespace {

// ---------------------------------------------------------------------------------------------
// ctx.alert

Result<std::vector<Alert>> RunAlerts(const std::string& body) {
  std::string policy =
      "return {\n"
      "  id = \"test.alerts\", title = \"t\", severity = \"warning\", description = \"d\",\n"
      "  source = { seed = \"s\", section = \"x\" },\n"
      "  alerts = function(state, ctx)\n" +
      body + "\n  end,\n}\n";
  Result<std::unique_ptr<PolicyRuntime>> runtime =
      PolicyRuntime::Create({PolicyText{"policies/alerts.lua", policy}}, Budgets{});
  if (!runtime.ok()) return runtime.take_errors();
  PolicyInfo info = runtime.value()->declared()[0];
  return runtime.value()->RunAlerts(0, info, Example().document, Date{20000}, Date{20030});
}

TEST(AlertApiTest, AnAlertCarriesItsDateEntityAndDefaultSeverity) {
  Result<std::vector<Alert>> alerts = RunAlerts(
      "assert(ctx.horizon == 20030)\n"
      "ctx.alert{ at = state.credits[2], on = ctx.as_of + 7, message = 'm', remedy = 'r' }");
  ASSERT_TRUE(alerts.ok()) << testing::Describe(alerts.errors());
  ASSERT_EQ(alerts.value().size(), 1u);
  const Alert& alert = alerts.value()[0];
  EXPECT_EQ(alert.on.days, 20007);
  EXPECT_EQ(alert.rule_id, "test.alerts");
  EXPECT_EQ(alert.severity, Severity::kWarning);
  EXPECT_EQ(alert.entity_id, "MC-2");
  EXPECT_EQ(alert.pointer, "/credits/1");
  EXPECT_EQ(alert.remedy, "r");
}

// The fields of ctx as a check and an alerts function get them: together, exactly what lint's
// unknown-ctx-field allows (ContextFields), so lint flags no field the host sets and passes no
// field it lacks.
TEST(AlertApiTest, CheckAndAlertsContextsHoldExactlyTheFieldsLintKnows) {
  const std::string keys =
      "local keys = {}\n"
      "for key in pairs(ctx) do keys[#keys + 1] = key end\n"
      "table.sort(keys)\n";
  EXPECT_EQ(testing::SandboxReportedBy(
                keys + "ctx.report{ at = state.partner, message = table.concat(keys, ' ') }"),
            "as_of params report");
  Result<std::vector<Alert>> alerts = RunAlerts(
      keys + "ctx.alert{ at = state.partner, on = ctx.as_of, message = table.concat(keys, ' ') }");
  ASSERT_TRUE(alerts.ok()) << testing::Describe(alerts.errors());
  ASSERT_EQ(alerts.value().size(), 1u);
  EXPECT_EQ(alerts.value()[0].message, "alert as_of horizon params");
  std::vector<std::string> lint = ContextFields();
  std::sort(lint.begin(), lint.end());
  EXPECT_EQ(lint, (std::vector<std::string>{"alert", "as_of", "horizon", "params", "report"}));
}

TEST(AlertApiTest, MalformedAlertsAreErrorsWithTheLine) {
  struct Case {
    const char* body;
    const char* error;
  };
  for (const Case& c : {
           Case{"ctx.alert{ at = state.credits[1], on = '2026-01-01', message = 'm' }",
                "policies/alerts.lua:5: policy test.alerts failed: ctx.alert: 'on' must be a day "
                "number (pp.date(...)), got string"},
           Case{"ctx.alert{ at = {}, on = 1, message = 'm' }",
                "policies/alerts.lua:5: policy test.alerts failed: ctx.alert: 'at' must be the "
                "entity from the partner state the alert is about, got table"},
           Case{"ctx.alert{ at = state.credits[1], on = 1, message = 'm', severity = 'loud' }",
                "policies/alerts.lua:5: policy test.alerts failed: ctx.alert: severity must be "
                "\"error\", \"warning\" or \"info\""},
           Case{"ctx.report{ at = state.credits[1], message = 'm' }",
                "policies/alerts.lua:5: policy test.alerts failed: attempt to call a nil value "
                "(field 'report')"},  // an alerts function's ctx has no report
       }) {
    SCOPED_TRACE(c.body);
    Result<std::vector<Alert>> alerts = RunAlerts(c.body);
    ASSERT_FALSE(alerts.ok());
    EXPECT_EQ(alerts.errors()[0].ToString(), c.error);
  }
}

}  // namespace
}  // namespace partnerpolicy
