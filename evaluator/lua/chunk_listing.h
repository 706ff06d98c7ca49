// The compiled form of a policy, read without running it: every function's instructions with
// their lines, constants, upvalue and local names, as `luac5.4 -l -l` lists them.
//
// ListChunk compiles the text (text mode only, as the runtime does), dumps it unstripped with
// lua_dump and parses Lua 5.4's dump format. The results are plain structs: nothing here keeps a
// Lua state. Users: `partnerpolicy lint` (global writes and reads, field accesses, lines of
// metadata fields) and the policy test runner's coverage (lines a line hook can report).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lua/chunk_function.h"
#include "partnerpolicy/policy_text.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// Compiles `text` without running it. Errors: kInvalidPolicy with file and line for a syntax
// error ("policies/x.lua:3: 'end' expected near <eof>").
Result<ChunkFunction> ListChunk(const PolicyText& text);

// Lines a line hook can report: the lines of the instructions that can execute. Left out: a
// function's final implicit `return` on its `end` line when every path returns before it, code
// after an unconditional return or jump, and the VARARGPREP that opens a vararg function (the
// chunk), which the hook never reports. Sorted, unique.
//
// The chunk's own instructions run once, when the policy loads; among them is each function's
// CLOSURE, on the function's `end` line. So a hook that is on only while rules are called sees
// kFunctionsOnly: the lines of the nested functions at any depth.
enum class LinesOf { kChunkAndFunctions, kFunctionsOnly };
std::vector<int> ExecutableLines(const ChunkFunction& chunk,
                                 LinesOf which = LinesOf::kChunkAndFunctions);

// A field named by a constant string, read or written: `t.name`, `t.name = v`, `t:name(...)`,
// and globals (fields of the _ENV upvalue), in every function of the chunk.
struct FieldAccess {
  enum class Kind { kGlobalRead, kGlobalWrite, kFieldRead, kFieldWrite };
  Kind kind = Kind::kFieldRead;
  int line = 0;
  std::string name;  // the key
  // What the table was when known: for a table itself read from a field or global, that key
  // (so `ctx.params.x`, `local p = ctx.params; p.x` and a parameter `params` in `params.x` all
  // give "params"); else the name of the local or upvalue holding it; else empty.
  std::string object;
};

// Every field access, function by function (the chunk first, then its children depth-first),
// each function's in instruction order.
std::vector<FieldAccess> FieldAccesses(const ChunkFunction& chunk);

// Assignments to globals (SETTABUP on _ENV): `x = 1`, `function f() end`, anywhere in the chunk.
struct GlobalWrite {
  int line;
  std::string name;
};
std::vector<GlobalWrite> GlobalWrites(const ChunkFunction& chunk);

// The table the chunk returns (a policy's rule table) as the chunk builds it: each field stored
// with a constant key, its constructor's own fields and those of the tables nested in it.
struct ReturnedField {
  std::vector<std::string> path;  // keys from the returned table: {"source", "section"}
  int line = 0;                   // where the value is stored (the value's last line)
  // The line after which the field's text begins: the previous store into the same table, or
  // the line of that table's constructor. The key is written between from_line and line.
  int from_line = 0;
};
struct ReturnedTable {
  int line = 0;                       // of the constructor that builds it (`return {`)
  std::vector<ReturnedField> fields;  // in the order stored
};
// nullopt when the chunk does not return a table it builds itself.
std::optional<ReturnedTable> FindReturnedTable(const ChunkFunction& chunk);

}  // namespace partnerpolicy
