// Hostile policies, round 2 (issue 20): a stop is final, every builtin is charged by the work it
// does, and nothing a policy sees depends on addresses or the clock. Each test failed before
// the fix (a hang, an escape, an address or an uncharged loop) and names what now happens.
#include <gtest/gtest.h>

#include <string>

#include "sandbox_support.h"

namespace partnerpolicy {
namespace {

std::string FailureOf(const std::string& body, Budgets budgets = {}) {
  return testing::SandboxFailureOf(body, budgets);
}
std::string ReportedBy(const std::string& body) { return testing::SandboxReportedBy(body); }

constexpr const char* kPrefix = "policies/sandbox.lua:5: policy test.sandbox ";

Budgets Instructions(uint64_t limit) {
  Budgets budgets;
  budgets.max_instructions = limit;
  return budgets;
}

std::string InstructionStop(uint64_t limit, int line = 5) {
  return "policies/sandbox.lua:" + std::to_string(line) +
         ": policy test.sandbox stopped: instruction budget of " + std::to_string(limit) +
         " instructions exceeded";
}

// --- Stops are final ---

TEST(FinalStopTest, AnXpcallHandlerRunsUnderTheBudget) {
  // Lua calls a message handler with its hooks off: this loop ran for ever.
  EXPECT_EQ(FailureOf("xpcall(error, function() while true do end end)", Instructions(1'000'000)),
            InstructionStop(1'000'000));
}

TEST(FinalStopTest, AnXpcallHandlerNeverRunsAfterAStop) {
  EXPECT_EQ(FailureOf("xpcall(function() while true do end end,\n"
                      "  function() ctx.report{ at = state.partner, message = 'escaped' } end)",
                      Instructions(1'000'000)),
            InstructionStop(1'000'000));
}

TEST(FinalStopTest, PcallAndXpcallStillWorkForOrdinaryErrors) {
  EXPECT_EQ(
      ReportedBy("local a, b = pcall(error, 'boom', 0)\n"
                 "local c, d = xpcall(function() error('bang', 0) end, function(e) return "
                 "'handled ' .. e end)\n"
                 "local e, f, g = xpcall(function(x, y) return x + y, 'two' end, error, 1, 2)\n"
                 "ctx.report{ at = state.partner, message = table.concat({ tostring(a), b, "
                 "tostring(c), d, tostring(e), f, g }, ' ') }"),
      "false boom false handled bang true 3 two");
}

TEST(FinalStopTest, AMemoryStopCannotBeCaughtAndNamesTheLine) {
  Budgets budgets;
  budgets.max_memory_bytes = 16u << 20;
  budgets.max_instructions = 100'000'000'000;
  EXPECT_EQ(FailureOf("while true do pcall(function() local t = {} for i = 1, 1e9 do t[i] = "
                      "('x'):rep(100) .. i end end) end",
                      budgets),
            std::string(kPrefix) + "stopped: memory budget of 16777216 bytes exceeded");
}

TEST(FinalStopTest, FinalizersAndWeakTablesAreRefused) {
  EXPECT_EQ(FailureOf("setmetatable({}, { __gc = function() while true do end end })"),
            std::string(kPrefix) +
                "failed: setmetatable: __gc finalizers are not available to policies (Lua runs "
                "them outside the budgets)");
  EXPECT_EQ(FailureOf("local cache = setmetatable({}, { __mode = 'k' })"),
            std::string(kPrefix) +
                "failed: setmetatable: weak tables (__mode) are not available to policies (what "
                "they hold depends on when the collector runs)");
  EXPECT_EQ(ReportedBy("local t = setmetatable({}, { __index = function(_, k) return k .. '!' "
                       "end })\nctx.report{ at = state.partner, message = t.hi }"),
            "hi!");
}

// --- Builtins are charged by their work ---

TEST(ChargedWorkTest, TableMoveIsChargedBeforeItLoops) {
  // 10^15 iterations in C without allocating: it ran for ever even with 1,000 instructions.
  // (Loading the test rule itself needs more than 1,000: its allocations are charged too.)
  EXPECT_EQ(FailureOf("table.move({}, 1, 1e15, 2)", Instructions(100'000)),
            InstructionStop(100'000));
}

TEST(ChargedWorkTest, ElementWalksAreCharged) {
  for (const char* call :
       {"table.concat(t, '', 1, 200)", "table.unpack(t, 1, 200)", "table.insert(t, 1, 0)",
        "table.remove(t, 1)", "utf8.len(s)", "s:byte(1, -1)"}) {
    SCOPED_TRACE(call);
    EXPECT_EQ(FailureOf(std::string("local t, s = {}, ('x'):rep(1000)\n"
                                    "for i = 1, 200 do t[i] = 'x' end\n"
                                    "for i = 1, 1e6 do local r = ") +
                            call + " end",
                        Instructions(5'000'000)),
              InstructionStop(5'000'000, 7));
  }
}

TEST(ChargedWorkTest, BuildingStringsIsChargedByTheirBytes) {
  // s:upper() on 1 MB was one instruction; now it costs what it allocates.
  EXPECT_EQ(FailureOf("local s = ('x'):rep(1e6)\nfor i = 1, 1000 do local u = s:upper() end",
                      Instructions(20'000'000)),
            InstructionStop(20'000'000, 6));
  EXPECT_EQ(FailureOf("local s = ('x'):rep(1e6)\nfor i = 1, 1000 do local u = s .. 'y' end",
                      Instructions(20'000'000)),
            InstructionStop(20'000'000, 6));
}

TEST(ChargedWorkTest, LongLiteralPatternsArePricedByTheirLength) {
  // n start positions times m compared bytes: 4 MB subject, 2 MB pattern.
  EXPECT_EQ(FailureOf("local s = ('a'):rep(4e6)\nlocal r = s:find(('a'):rep(2e6) .. 'b')"),
            "policies/sandbox.lua:6: policy test.sandbox stopped: string.find: the pattern "
            "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' (2000001 bytes) is too costly for a "
            "subject of 4000000 bytes (up to 8000006000001 matching steps, the limit is "
            "20000000); match a shorter text or use a pp helper");
  // A plain find of the same is linear (glibc's memmem) and charged n + m + 1: it finishes.
  EXPECT_EQ(ReportedBy("local s = ('a'):rep(4e6)\n"
                       "local r = s:find(('a'):rep(2e6) .. 'b', 1, true)\n"
                       "ctx.report{ at = state.partner, message = tostring(r) }"),
            "nil");
}

TEST(ChargedWorkTest, PlainFindKeepsLuasAnswers) {
  // string.find(s, p, init, true) as Lua 5.4 answers it (checked with lua5.4), for every kind
  // of init.
  EXPECT_EQ(ReportedBy("local s, out = 'hello world', {}\n"
                       "local function f(...) local a, b = s:find(...) out[#out + 1] = "
                       "tostring(a) .. '-' .. tostring(b) end\n"
                       "f('o', 1, true) f('o', 6, true) f('o', -3, true) f('o', -100, true)\n"
                       "f('', 12, true) f('', 13, true) f('x', 1, true) f('world', 0, true) "
                       "f('d', 11, true)\n"
                       "ctx.report{ at = state.partner, message = table.concat(out, ' ') }"),
            "5-5 8-8 nil-nil 5-5 12-11 nil-nil nil-nil 7-11 11-11");  // what lua5.4 prints
}

TEST(ChargedWorkTest, PairsAndNextAreChargedBySortingAndSearching) {
  const std::string keys = "local t = {} for i = 1, 10000 do t['k' .. i] = i end\n";
  EXPECT_EQ(FailureOf(keys + "while true do for k in pairs(t) do break end end",
                      Instructions(50'000'000)),
            InstructionStop(50'000'000, 6));
  EXPECT_EQ(FailureOf(keys + "while true do local k = next(t, 'k5') end", Instructions(50'000'000)),
            InstructionStop(50'000'000, 6));
  // A whole walk by next: one sort, then a search per step; every key once, in order.
  EXPECT_EQ(ReportedBy(keys +
                       "local n, k, last, ordered = 0, next(t), '', true\n"
                       "while k do n = n + 1 ordered = ordered and last < k last = k k = next(t, "
                       "k) end\n"
                       "ctx.report{ at = state.partner, message = n .. ' ' .. tostring(ordered) }"),
            "10000 true");
}

TEST(ChargedWorkTest, PolicyLibraryWalksAreChargedAndQuoteShortly) {
  EXPECT_EQ(FailureOf("local t = {} for i = 1, 1000 do t[i] = i end\n"
                      "while true do local c = pp.contains(t, -1) end",
                      Instructions(20'000'000)),
            InstructionStop(20'000'000, 6));
  EXPECT_EQ(FailureOf("local d = pp.email_domain(('x'):rep(1e6))"),
            std::string(kPrefix) + "failed: pp.email_domain: e-mail address \"" +
                std::string(60, 'x') + "... (1000000 bytes)\" has no '@'");
  EXPECT_EQ(FailureOf("local d = pp.add_business_days(0, math.maxinteger)"),
            std::string(kPrefix) +
                "failed: bad argument #2 to 'add_business_days' (expected 0 to 2000000 business "
                "days)");
}

// --- Nothing depends on addresses or the clock ---

TEST(AddressFreeTest, FormatShowsNoAddresses) {
  EXPECT_EQ(FailureOf("local s = string.format('%p', {})"),
            std::string(kPrefix) +
                "failed: string.format: '%p' shows an address, which differs between processes; "
                "policies cannot use it");
  EXPECT_EQ(ReportedBy("ctx.report{ at = state.partner, message = ('%s|%s|%5s|%s|%d%%'):format({}, "
                       "pairs, true, setmetatable({}, { __tostring = function() return 'me' "
                       "end }), 7) }"),
            "table|function| true|me|7%");
}

TEST(AddressFreeTest, SortIsAStableMergeSortWhateverTheComparator) {
  EXPECT_EQ(ReportedBy("local t = { {1, 'a'}, {0, 'b'}, {1, 'c'}, {0, 'd'}, {2, 'e'} }\n"
                       "table.sort(t, function(x, y) return x[1] < y[1] end)\n"
                       "local out = {} for i, v in ipairs(t) do out[i] = v[2] end\n"
                       "local u = {} for i = 1, 300 do u[i] = i % 7 end\n"
                       "table.sort(u, function() return true end)\n"  // not an order at all
                       "local w = {} for i = 1, 300 do w[i] = (i * 7919) % 300 end table.sort(w)\n"
                       "ctx.report{ at = state.partner, message = table.concat(out) .. ' ' .. "
                       "table.concat(u, '', 1, 10) .. ' ' .. w[1] .. w[2] .. w[300] }"),
            "bdace 6543210654 01299");
}

}  // namespace
}  // namespace partnerpolicy
