// Internal to evaluator/lua/: how the pieces of the policy runtime reach one another. The
// runtime object (policy_runtime.cc) builds a Lua state with the budgets (budget.cc) and the
// sandbox (sandbox.cc), and enters Lua only through ProtectedCall (protected_call.cc) with a
// trampoline and its Call struct: loading rule tables and libraries (rule_table.cc), and checks,
// alerts, decisions and effects (rule_calls.cc). A trampoline runs inside the protected call and
// reports to C++ through its Call struct only.
#pragma once

#include <lua.hpp>
#include <string>
#include <vector>

#include "lua/policy_reading.h"
#include "lua_support.h"
#include "partnerpolicy/policy_text.h"
#include "partnerpolicy/request.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy::lua {

// ---------------------------------------------------------------------------------------------
// Budgets

void* Allocate(void* ud, void* ptr, size_t old_size, size_t new_size);

// The one hook. Line events come only when a coverage sink is set (LUA_MASKLINE). Count events
// fire every kHookInterval instructions; once a budget is spent the hook re-arms itself to fire
// on every instruction, so a policy's pcall cannot swallow the stop: the next instruction raises.
void Hook(lua_State* L, lua_Debug* ar);

int Panic(lua_State* L);

// MakeReadOnly for the table on top and, first, every table inside it (a helper library's
// constant lists and maps), so no policy can change what another policy reads through it.
void MakeDeeplyReadOnly(lua_State* L, const char* name, int depth);

inline constexpr const char* kBaseKey = "partnerpolicy.base";

inline constexpr const char* kEnvMetaKey = "partnerpolicy.env_meta";

inline constexpr const char* kLibKey = "partnerpolicy.lib";  // helper libraries by name (writable)

// Message catalogs (message_templates.cc): RegisterCatalog records a chunk's catalog, if it has
// one, under the chunk's name; SayMessage is pp.say(key, fields?), the message `key` of the
// calling function's file, its {fields} filled in.
void RegisterCatalog(lua_State* L, const PolicyText& text);
int SayMessage(lua_State* L);

// Builds the shared read-only base and the metatable of every policy environment.
int SetupSandbox(lua_State* L);

// tostring without addresses ("table", "function"), honouring __tostring (sandbox.cc).
int SafeToString(lua_State* L);

// pcall, xpcall and setmetatable into `base` as the sandbox gives them: a stop passes through
// pcall and xpcall, an xpcall handler runs as an ordinary call, and metatables may not hold
// __gc or __mode (final_stops.cc). REQUIRES: absolute indices.
void GuardBaseFunctions(lua_State* L, int base, int real_globals);

// Charges the table, string and utf8 functions whose C work the count hook cannot see, keeps
// string.format from showing addresses, and puts the stable sort in table.sort
// (charged_builtins.cc). REQUIRES: absolute indices of the real library tables.
void ChargeBuiltins(lua_State* L, int string_lib, int table_lib, int utf8_lib);

struct CallOutcome {
  bool ok = true;
  std::string message;    // first line(s) of the error, "policies/x.lua:3: ..."
  std::string traceback;  // "stack traceback:\n..." when known
};

// Calls the C function `trampoline` with one light userdata argument, protected.
CallOutcome ProtectedCall(lua_State* L, lua_CFunction trampoline, void* call);

// ---------------------------------------------------------------------------------------------
// Reading Lua values into C++ (only ever inside a trampoline).

// A string field of the table at `table`, or nullptr when absent; raises when of another type.
const char* OptionalStringField(lua_State* L, int table, const char* field, size_t* length,
                                const char* what);

const char* RequiredStringField(lua_State* L, int table, const char* field, size_t* length,
                                const char* what);

struct GlobalNamesCall {
  std::vector<std::string>* names;
  std::vector<std::string>* fields;
};

// Lists the names of the read-only base every policy environment falls back to, and the fields
// of its tables (pp.allow, string.format) and of the helper libraries (lib.text.join).
int GlobalNamesTrampoline(lua_State* L);

struct LoadCall {
  const PolicyText* text;
  PolicyReading* reading;
  int reference = LUA_NOREF;
};

// Compiles a policy or library file as text and pushes the chunk, with a fresh _ENV of its own
// over the read-only base (reading an undefined global or assigning one is an error). Raises the
// syntax error, named "@<display path>" so messages read file:line.
void PushChunkInOwnEnvironment(lua_State* L, const PolicyText& text);

struct LibraryCall {
  const PolicyText* text;
  const char* name;  // the file's stem: lib.<name>
};

// Loads one helper library (policies/lib/<name>.lua) into its own environment and publishes the
// table it returns, deeply read-only, as lib.<name>.
int LoadLibraryTrampoline(lua_State* L);

// Loads one policy chunk into its own environment, runs it, and reads the returned rule table.
// Metadata problems are recorded, not raised, so every one of them is found; a Lua error while
// running the chunk raises.
int LoadPolicyTrampoline(lua_State* L);

struct CheckCall {
  int reference;
  const PolicyInfo* info;
  Date as_of;
};

int CheckTrampoline(lua_State* L);

struct AlertsCall {
  int reference;
  const PolicyInfo* info;
  Date as_of;
  Date horizon;
};

int AlertsTrampoline(lua_State* L);

struct DecideCall {
  int reference;
  const PolicyInfo* info;
  const ResolvedRequest* request;
  Date as_of;
  std::optional<RuleDecision> decision;
};

void PushRequest(lua_State* L, const ResolvedRequest& request);

int DecideTrampoline(lua_State* L);

// ---------------------------------------------------------------------------------------------
// Effects (DIR/effects/*.lua): tables of action names to functions(req, state, ctx).

struct EffectsLoadCall {
  const PolicyText* text;
  std::vector<EffectInfo>* effects;  // what the file gives, appended
  std::vector<int>* references;      // registry references of the functions, in step
};

int LoadEffectsTrampoline(lua_State* L);

struct EffectCall {
  int reference;
  const EffectInfo* info;
  const ResolvedRequest* request;
  Date as_of;
  std::vector<JsonPatchOperation>* patch;
  std::string problem;  // a malformed result, raised by the trampoline
};

int EffectTrampoline(lua_State* L);

// Splits "policies/x.lua:12: message" into a location and the message.
Error LuaError(ErrorCode code, const CallOutcome& outcome);

// Drops a leading "<path>: " from the message (policies often name their own file); what is
// left must still say something.
void DropFileName(Error& error, const std::string& path);

// Lua shortens a long chunk name to "...<its end>" in messages (LUA_IDSIZE); the error's file
// is then `path`, the name in full.
void RestoreFileName(Error& error, const std::string& path);

// The fields of a rule table (docs/policy-api.md).
inline constexpr const char* kRuleFields[] = {"id",          "title",  "severity",   "source",
                                              "description", "params", "constrains", "no_say",
                                              "informs",     "check",  "alerts",     "decide"};
inline constexpr const char* kRuleFieldList =
    "id, title, severity, source, description, params, constrains, no_say, informs, check, "
    "alerts, decide";

}  // namespace partnerpolicy::lua
