// Internal to evaluator/lua/: the host context every C function reaches through the Lua state,
// and the pieces the runtime, the state view and the pp library share.
//
// Debian's liblua is built as C: a Lua error unwinds with longjmp and skips C++ destructors.
// So every lua_CFunction here is a thin trampoline: it holds no C++ object with a destructor
// while it calls anything that can raise, and does its C++ work in helpers that return first.
#pragma once

#include <cstdint>
#include <lua.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/document.h"
#include "partnerpolicy/finding.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/line_coverage.h"
#include "partnerpolicy/policy.h"

namespace partnerpolicy::lua {

// Everything the C functions need, reachable from any lua_State through its extra space.
struct HostContext {
  // The state's main thread: the allocator re-arms its hook to stop at the next instruction.
  lua_State* thread = nullptr;
  // Budgets. The count hook adds kHookInterval per firing; the allocator one instruction per
  // kBytesPerInstruction bytes allocated.
  uint64_t instruction_limit = 0;
  uint64_t instructions_used = 0;
  bool instructions_exceeded = false;
  uint64_t memory_limit = 0;
  uint64_t memory_used = 0;
  bool memory_exceeded = false;
  // "file:line:" of the policy line whose allocation first broke the memory budget in this call,
  // or "": Lua's "not enough memory" carries no position. Written by the allocator, which may
  // not allocate, hence a fixed buffer.
  char memory_stop_where[256] = {};
  // The CPU-time backstop (budget.cc): the thread's CPU time when the call started, in
  // nanoseconds, and count events since the clock was last read.
  int64_t call_started_cpu_ns = 0;
  int hooks_since_clock = 0;
  // Bytes of words a call copied out of the sandbox (findings, alerts, decisions and their
  // facts), each weighted kCopiesPerWord: they count in the memory budget with the Lua heap.
  uint64_t copied_out = 0;
  // Why the sandbox stopped the running policy ("policies/x.lua:3: string.find: ..."), empty
  // while it runs. Like a spent budget, a stop cannot be caught: the hook raises it again.
  std::string stop_message;

  // The evaluation in progress. State nodes carry the generation they were made in; a node kept
  // (in an upvalue) past its evaluation no longer matches and cannot be read.
  const Document* state = nullptr;
  uint64_t generation = 1;

  // Where ctx.report puts findings during a state check, and ctx.alert alerts.
  std::vector<Finding>* findings = nullptr;
  std::vector<Alert>* alerts = nullptr;
  Severity default_severity = Severity::kError;
  const char* rule_id = "";

  // Where the line hook records the lines that run; nullptr: no line hook.
  LineCoverage* coverage = nullptr;

  // For a trace (`--trace`): the state nodes whose members the running policy read, or that it
  // passed to a host function, in order, without immediate repeats; nullptr records nothing.
  std::vector<NodeId>* reads = nullptr;
};

// Appends `node` to the trace's reads when a trace is recording.
inline void RecordRead(HostContext* host, NodeId node) {
  if (host->reads == nullptr) return;
  if (host->reads->empty() || host->reads->back() != node) host->reads->push_back(node);
}

inline constexpr int kHookInterval = 1000;
inline constexpr size_t kBytesPerInstruction = 1;
// A word copied out of the sandbox is held several times before it is printed (the finding, the
// report's JSON value, the rendered text): it counts that many times in the memory budget.
inline constexpr uint64_t kCopiesPerWord = 4;
// CPU seconds after which a call stops whatever its budgets say: the backstop for work no budget
// counts (comparing two long strings with `==` or `<` is one instruction).
inline constexpr int64_t kCpuBackstopSeconds = 10;

// The CPU time this thread has used, in nanoseconds (not a date: no decision reads it).
int64_t ThreadCpuNanoseconds();
// The longest message, remedy or fact a policy may hand out; nobody reads more.
inline constexpr size_t kLongestWords = 1u << 20;

inline HostContext* Host(lua_State* L) { return *static_cast<HostContext**>(lua_getextraspace(L)); }

// Adds `instructions` to the instruction budget for work done in C that the count hook cannot
// see (pattern matching, ordering keys). Raises the budget stop when the budget is spent.
void ChargeInstructions(lua_State* L, uint64_t instructions);
// Counts `bytes` of words handed to the host (a message, a remedy, a fact) against the memory
// budget, with the Lua heap; raises the memory stop when they no longer fit, and an error
// ("ctx.report: the message is ... bytes long") for a text longer than kLongestWords.
void ChargeCopyOut(lua_State* L, size_t bytes, const char* function_name, const char* what);
// Pushes "file:line:" of the innermost policy line running (level 1 may be a C function, as in
// pcall(string.find, ...), which has no line), or "".
void PushPolicyWhere(lua_State* L);
// Stops the running policy with the message on top of the stack (already prefixed with
// file:line); a pcall in the policy cannot catch it. Never returns.
int StopPolicy(lua_State* L);

// Calls the function below the `arguments` values on top, as lua_call. An error raised without a
// position (as a C function raises it) gets the running policy's "file:line:"; a stop (spent
// budget, memory error) passes through as the stop (final_stops.cc).
void CallNamingPolicyLine(lua_State* L, int arguments);

// Pushes table.sort as the sandbox gives it: a stable merge sort, charged (stable_sort.cc).
void PushStableSort(lua_State* L);

// Replaces string.find, match, gmatch, gsub and rep in the real string table (shared by the
// `string` proxy and the string metatable) by versions with bounded work; see bounded_strings.cc.
// REQUIRES: string_lib is the absolute index of the real string table.
void BoundStringFunctions(lua_State* L, int string_lib);

// pairs and next for the sandbox: plain tables iterate in a defined order (integer and float
// keys ascending, then strings by bytes, then false, true); a __pairs metamethod is honoured.
void PushOrderedPairs(lua_State* L);
void PushOrderedNext(lua_State* L);
// Drops next's cache of sorted keys, so no table of one call outlives it (and counts in a later
// call's memory). Raises nothing; called after every call.
void ForgetNextCache(lua_State* L);
// The iterator triple (function, nil, nil) over the table at `table` in the defined order.
int PushOrderedIteration(lua_State* L, int table);

// The registry name of the state view's metatable; also the type name in Lua's messages.
inline constexpr const char* kStateNodeType = "partner state";

// Creates the state view's metatable. Called once while building the sandbox.
void RegisterStateView(lua_State* L);
// Pushes the value of `node`: scalars as Lua values (JSON null as nil), containers as read-only
// state nodes. REQUIRES: Host(L)->state is the document node belongs to.
void PushStateValue(lua_State* L, NodeId node);
// The node at stack index `arg`, or raises a Lua error naming `function_name`.
NodeId CheckStateNode(lua_State* L, int arg, const char* function_name);
// The node at index, or kNoNode when the value is not a live state node (never raises).
NodeId ToStateNode(lua_State* L, int index);

// Reads the list of JSON Patch operations at `index` (an effect's result, see
// PolicyRuntime::RunEffect) into `patch`, each value as JSON text. Returns "" or what is wrong
// ("operation 2: 'op' must be ..."). Raises nothing (effect_patch.cc calls only Lua functions
// that cannot raise), so it may build C++ strings; the caller raises the problem afterwards.
std::string ReadPatch(lua_State* L, int index, std::vector<JsonPatchOperation>* patch);

// Pushes the `pp` library table (plain, not yet read-only).
void PushPolicyLibrary(lua_State* L);

// Pushes the chunk of a policy or library file compiled from its text, or returns the error
// status with the message on the stack, as luaL_loadbufferx does. Only text is compiled
// (bytecode from outside is never accepted); each distinct (name, text) is compiled once per
// process and later loads read back the bytecode compiled then (compiled_chunks.cc).
int LoadChunk(lua_State* L, std::string_view text, const char* chunk_name);

}  // namespace partnerpolicy::lua
