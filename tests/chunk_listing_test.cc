// The chunk listing: lines per instruction as `luac5.4 -l -l` gives them, executable lines,
// field accesses and global writes, syntax errors.
#include "lua/chunk_listing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Must;

// Expected values below were read off `luac5.4 -l -l -p` for these texts.
constexpr const char* kSample =
    "-- sample\n"                        // 1
    "local M = {}\n"                     // 2
    "local function f(a)\n"              // 3
    "  local b = a + 1\n"                // 4
    "  return b\n"                       // 5
    "end\n"                              // 6
    "local function g(a)\n"              // 7
    "  if a then\n"                      // 8
    "    return 1\n"                     // 9
    "  else\n"                           // 10
    "    return 2\n"                     // 11
    "  end\n"                            // 12
    "end\n"                              // 13
    "local function h(a)\n"              // 14
    "  x = a\n"                          // 15
    "end\n"                              // 16
    "function k() end\n"                 // 17
    "return { f = f, g = g, h = h }\n";  // 18

constexpr const char* kAccesses =
    "local t = {}\n"                                                      // 1
    "local function falls(a)\n"                                           // 2
    "  t.x = a\n"                                                         // 3
    "  local y = a * 2\n"                                                 // 4
    "end\n"                                                               // 5
    "local function reads(ctx, params)\n"                                 // 6
    "  local p = ctx.params\n"                                            // 7
    "  return ctx.params.alpha + p.beta + params.gamma + pramas.delta\n"  // 8
    "    + string.format('%d', 1)\n"                                      // 9
    "end\n"                                                               // 10
    "for i = 1, 3 do\n"                                                   // 11
    "  t[i] = i\n"                                                        // 12
    "end\n"                                                               // 13
    "while t.x do\n"                                                      // 14
    "  t.x = nil\n"                                                       // 15
    "end\n"                                                               // 16
    "counter = 0\n"                                                       // 17
    "return t\n";                                                         // 18

ChunkFunction List(const std::string& text) {
  return Must(ListChunk(PolicyText{"policies/sample.lua", text}));
}

TEST(ChunkListingTest, LinesPerInstructionAgreeWithLuac) {
  ChunkFunction chunk = List(kSample);
  EXPECT_EQ(chunk.line_defined, 0);
  EXPECT_TRUE(chunk.is_vararg);
  EXPECT_EQ(chunk.lines,
            (std::vector<int>{1, 2, 2, 6, 13, 16, 17, 17, 18, 18, 18, 18, 18, 18, 18}));
  EXPECT_EQ(chunk.upvalue_names, std::vector<std::string>{"_ENV"});
  ASSERT_EQ(chunk.children.size(), 4u);

  const ChunkFunction& f = chunk.children[0];
  EXPECT_EQ(f.line_defined, 3);
  EXPECT_EQ(f.last_line_defined, 6);
  EXPECT_EQ(f.num_params, 1);
  EXPECT_FALSE(f.is_vararg);
  EXPECT_EQ(f.lines, (std::vector<int>{4, 4, 5, 6}));  // ADDI, MMBINI, RETURN1, RETURN0
  EXPECT_EQ(f.code.size(), f.lines.size());
  ASSERT_EQ(f.locals.size(), 2u);
  EXPECT_EQ(f.locals[1].name, "b");
  EXPECT_EQ(f.locals[1].start_pc, 2);
  EXPECT_EQ(f.locals[1].end_pc, 4);

  EXPECT_EQ(chunk.children[1].lines, (std::vector<int>{8, 8, 9, 9, 9, 11, 11, 13}));
  EXPECT_EQ(chunk.children[2].lines, (std::vector<int>{15, 16}));
  EXPECT_EQ(chunk.children[2].upvalue_names, std::vector<std::string>{"_ENV"});
  EXPECT_EQ(chunk.children[3].lines, std::vector<int>{17});
  EXPECT_EQ(chunk.string_constants, (std::vector<std::optional<std::string>>{"k", "f", "g", "h"}));
}

TEST(ChunkListingTest, NestedFunctionsAndNonStringConstants) {
  ChunkFunction chunk = List(kAccesses);
  // Main: "x", nil, "counter", 0.
  EXPECT_EQ(chunk.string_constants,
            (std::vector<std::optional<std::string>>{"x", std::nullopt, "counter", std::nullopt}));
  ASSERT_EQ(chunk.children.size(), 2u);
  EXPECT_EQ(chunk.children[0].upvalue_names, std::vector<std::string>{"t"});
  EXPECT_EQ(chunk.children[1].line_defined, 6);
  EXPECT_EQ(chunk.children[1].last_line_defined, 10);
  EXPECT_EQ(chunk.lines, (std::vector<int>{1, 1, 1, 5, 10, 11, 11, 11, 11, 12, 11, 14, 14, 14, 15,
                                           15, 17, 18, 18}));

  ChunkFunction nested = List(
      "local function outer()\n  local function inner()\n    return 1\n"
      "  end\n  return inner\nend\nreturn outer\n");
  ASSERT_EQ(nested.children.size(), 1u);
  ASSERT_EQ(nested.children[0].children.size(), 1u);
  EXPECT_EQ(nested.children[0].children[0].line_defined, 2);
  EXPECT_EQ(nested.children[0].children[0].lines, (std::vector<int>{3, 3, 4}));
}

TEST(ChunkListingTest, ExecutableLinesLeaveOutUnreachableFinalReturns) {
  // f returns on 5, so its `end` (6) is never reached; g returns in both branches (13 is not
  // reached; the jump after `return 1` is dead but shares line 9). h and k fall off the end,
  // so 16 and 17 count.
  EXPECT_EQ(ExecutableLines(List(kSample), LinesOf::kFunctionsOnly),
            (std::vector<int>{4, 5, 8, 9, 11, 15, 16, 17}));
  // With the chunk: its CLOSUREs sit on each function's `end` (6, 13, 16, 17), 2 and 18 are
  // statements; line 1 holds only the chunk's VARARGPREP, which no hook reports.
  EXPECT_EQ(ExecutableLines(List(kSample)),
            (std::vector<int>{2, 4, 5, 6, 8, 9, 11, 13, 15, 16, 17, 18}));
  // falls() falls off its end (5); reads() returns (10 left out).
  EXPECT_EQ(ExecutableLines(List(kAccesses), LinesOf::kFunctionsOnly),
            (std::vector<int>{3, 4, 5, 7, 8, 9}));
  // The chunk: a loop and a while loop count everywhere; 1 has the NEWTABLE after VARARGPREP.
  EXPECT_EQ(ExecutableLines(List(kAccesses)),
            (std::vector<int>{1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 14, 15, 17, 18}));
  // A function whose last statement is an if without else falls off the end.
  EXPECT_EQ(ExecutableLines(List("local function f(a)\n  if a then\n    return 1\n  end\nend\n"
                                 "return f\n"),
                            LinesOf::kFunctionsOnly),
            (std::vector<int>{2, 3, 5}));
}

TEST(ChunkListingTest, GlobalWritesAtTopLevelAndInsideFunctions) {
  std::vector<GlobalWrite> writes = GlobalWrites(List(kSample));
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0].line, 17);  // function k() end (the chunk comes before its children)
  EXPECT_EQ(writes[0].name, "k");
  EXPECT_EQ(writes[1].line, 15);  // x = a inside h
  EXPECT_EQ(writes[1].name, "x");

  // Locals, local functions, table fields and upvalue tables are not globals.
  writes = GlobalWrites(List(kAccesses));
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].line, 17);
  EXPECT_EQ(writes[0].name, "counter");
  EXPECT_TRUE(GlobalWrites(List("local x = 1\nlocal function f() x = 2 end\nlocal t = {}\n"
                                "t.y = 1\nfunction t.z() end\nreturn { a = 1, b = f }\n"))
                  .empty());
}

std::string Describe(const FieldAccess& a) {
  static const char* const kKinds[] = {"global-read", "global-write", "read", "write"};
  return std::to_string(a.line) + " " + kKinds[static_cast<int>(a.kind)] + " " + a.object +
         (a.object.empty() ? "" : ".") + a.name;
}

TEST(ChunkListingTest, FieldAccessesNameWhatTheTableCameFrom) {
  std::vector<std::string> described;
  for (const FieldAccess& access : FieldAccesses(List(kAccesses))) {
    described.push_back(Describe(access));
  }
  EXPECT_EQ(described, (std::vector<std::string>{
                           "14 read t.x",              // while t.x
                           "15 write t.x",             // t.x = nil
                           "17 global-write counter",  //
                           "3 write t.x",              // t is an upvalue of falls()
                           "7 read ctx.params",        // local p = ctx.params
                           "8 read ctx.params",        //
                           "8 read params.alpha",      // ctx.params.alpha
                           "8 read params.beta",       // p.beta: p was loaded from .params
                           "8 read params.gamma",      // the parameter named params
                           "8 global-read pramas",     // a typo: a global
                           "8 read pramas.delta",      //
                           "9 global-read string",     //
                           "9 read string.format",     //
                       }));
}

TEST(ChunkListingTest, SyntaxErrorIsAnInvalidPolicyWithFileAndLine) {
  Result<ChunkFunction> result =
      ListChunk(PolicyText{"policies/bad.lua", "local function f()\n  return 1\n"});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.errors().size(), 1u);
  EXPECT_EQ(result.errors()[0].code, ErrorCode::kInvalidPolicy);
  EXPECT_EQ(result.errors()[0].ToString(),
            "policies/bad.lua:3: 'end' expected (to close 'function' at line 1) near <eof>");
}

TEST(ChunkListingTest, BytecodeIsNotAccepted) {
  Result<ChunkFunction> result = ListChunk(PolicyText{"policies/bin.lua", "\x1bLua\x54"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors()[0].ToString(),
            "policies/bin.lua: attempt to load a binary chunk (mode is 't')");
}

// Lines per function as `luac5.4 -l -l -p FILE` prints them: functions in the order main,
// then children depth-first, which is ours.
std::vector<std::vector<int>> LuacLines(const std::filesystem::path& file) {
  std::string command = "luac5.4 -l -l -p '" + file.string() + "' 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  std::vector<std::vector<int>> functions;
  static const std::regex kHeader("^(main|function) <");
  static const std::regex kInstruction("^\\t[0-9]+\\t\\[([0-9]+)\\]\\t");
  std::istringstream lines(out);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, kHeader)) {
      functions.emplace_back();
    } else if (!functions.empty() && std::regex_search(line, match, kInstruction)) {
      functions.back().push_back(std::stoi(match[1]));
    }
  }
  return functions;
}

void Flatten(const ChunkFunction& f, std::vector<std::vector<int>>& out) {
  out.push_back(f.lines);
  for (const ChunkFunction& child : f.children) Flatten(child, out);
}

TEST(ChunkListingTest, EveryBundledPolicyAgreesWithLuac) {
  if (std::system("luac5.4 -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "luac5.4 not installed";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::PolicyDir())) {
    if (entry.path().extension() != ".lua") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ChunkFunction chunk = List(text);
    std::vector<std::vector<int>> ours;
    Flatten(chunk, ours);
    EXPECT_EQ(ours, LuacLines(entry.path())) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 30);
}

}  // namespace
}  // namespace partnerpolicy
