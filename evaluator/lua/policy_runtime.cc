// The sandboxed Lua state: allocator with a memory budget, count hook with an instruction
// budget, the read-only base environment, policy loading and every protected call into Lua.
//
// Pattern (as lua.c's docall): each entry into Lua pushes a message handler and a C trampoline,
// then lua_pcall. The trampoline does all Lua work, including reading results back, so nothing
// that can raise ever runs unprotected, and results reach C++ through a Call struct.
#include "policy_runtime.h"

#include <algorithm>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <tuple>

#include "governs_matrix.h"
#include "lua_support.h"

namespace partnerpolicy {

using lua::HostContext;

namespace {

// ---------------------------------------------------------------------------------------------
// Budgets

void* Allocate(void* ud, void* ptr, size_t old_size, size_t new_size) {
  auto* host = static_cast<HostContext*>(ud);
  if (ptr == nullptr) old_size = 0;  // then old_size encodes the object type, not a size
  if (new_size == 0) {
    host->memory_used -= old_size;
    std::free(ptr);
    return nullptr;
  }
  if (new_size > old_size && host->memory_used + (new_size - old_size) > host->memory_limit) {
    host->memory_exceeded = true;
    return nullptr;  // Lua raises "not enough memory"
  }
  void* grown = std::realloc(ptr, new_size);
  if (grown == nullptr) return nullptr;
  host->memory_used = host->memory_used - old_size + new_size;
  return grown;
}

// Records the line about to run in the coverage sink. Chunks are named "@<display path>";
// anything else (there is nothing else today) is not a file and not recorded. Raises nothing:
// a failed allocation in the sink only loses that line.
void RecordLine(lua_State* L, lua_Debug* ar) {
  if (lua_getinfo(L, "S", ar) == 0 || ar->source == nullptr || ar->source[0] != '@') return;
  try {
    lua::Host(L)->coverage->Record(ar->source + 1, ar->currentline);
  } catch (...) {
  }
}

// The one hook. Line events come only when a coverage sink is set (LUA_MASKLINE). Count events
// fire every kHookInterval instructions; once a budget is spent the hook re-arms itself to fire
// on every instruction, so a policy's pcall cannot swallow the stop: the next instruction raises.
void Hook(lua_State* L, lua_Debug* ar) {
  if (ar->event == LUA_HOOKLINE) {
    RecordLine(L, ar);
    return;
  }
  HostContext* host = lua::Host(L);
  if (!host->stop_message.empty()) {
    lua_pushlstring(L, host->stop_message.data(), host->stop_message.size());
    lua_error(L);
  }
  host->instructions_used += lua::kHookInterval;
  if (host->instructions_used > host->instruction_limit) host->instructions_exceeded = true;
  if (host->instructions_exceeded || host->memory_exceeded) {
    // Level 0 inside a hook is the running policy function, so this names its file:line. The
    // stop records it: a policy that catches the error is stopped again with the same line.
    luaL_where(L, 0);
    if (host->instructions_exceeded) {
      lua_pushfstring(L, "instruction budget of %I instructions exceeded",
                      static_cast<lua_Integer>(host->instruction_limit));
    } else {
      lua_pushfstring(L, "memory budget of %I bytes exceeded",
                      static_cast<lua_Integer>(host->memory_limit));
    }
    lua_concat(L, 2);
    lua::StopPolicy(L);
  }
}

// Keeps the stop message (a helper: the std::string work ends before Lua raises).
void RecordStop(HostContext* host, const char* message, size_t length) {
  if (host->stop_message.empty()) host->stop_message.assign(message, length);
}

int Panic(lua_State* L) {
  // Only reachable by a bug in this file (an unprotected call that raised). Crashing loudly is
  // the only safe thing: the Lua state is unusable.
  const char* message = lua_tostring(L, -1);
  std::fprintf(stderr, "partnerpolicy: internal error: unprotected Lua error: %s\n",
               message != nullptr ? message : "?");
  std::abort();
}

// ---------------------------------------------------------------------------------------------
// The sandbox

int ReadOnlyLibraryWrite(lua_State* L) {
  return luaL_error(L, "the library '%s' is read-only", lua_tostring(L, lua_upvalueindex(1)));
}

// #proxy: the length of the table behind it.
int ReadOnlyLength(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, lua_upvalueindex(1))));
  return 1;
}

// pairs(proxy): the hidden table's keys in the sandbox's defined order (ordered_iteration.cc);
// the iterator never hands out the table itself.
int ReadOnlyPairs(lua_State* L) { return lua::PushOrderedIteration(L, lua_upvalueindex(1)); }

// Replaces the table on top of the stack by a read-only proxy of it named `name`. The proxy reads
// (t.x, t[i], #t, ipairs, pairs) like the table but cannot be written, and neither getmetatable
// nor pairs hands out the table behind it.
void MakeReadOnly(lua_State* L, const char* name) {
  lua_newtable(L);           // proxy
  lua_createtable(L, 0, 5);  // its metatable
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  lua_pushcclosure(L, ReadOnlyLibraryWrite, 1);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, ReadOnlyLength, 1);
  lua_setfield(L, -2, "__len");
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, ReadOnlyPairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

// MakeReadOnly for the table on top and, first, every table inside it (a helper library's
// constant lists and maps), so no policy can change what another policy reads through it.
void MakeDeeplyReadOnly(lua_State* L, const char* name, int depth) {
  if (depth > 16) luaL_error(L, "%s: tables nested more than 16 deep", name);
  int table = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    if (lua_type(L, -1) == LUA_TTABLE && lua_getmetatable(L, -1) == 0) {
      MakeDeeplyReadOnly(L, name, depth + 1);
      lua_pushvalue(L, -2);  // key
      lua_insert(L, -2);
      lua_rawset(L, table);  // replacing the value of an existing key keeps lua_next valid
    } else {
      if (lua_type(L, -1) == LUA_TTABLE) lua_pop(L, 1);  // the metatable just pushed
      lua_pop(L, 1);
    }
  }
  MakeReadOnly(L, name);
}

// tostring without addresses: "table", "function" instead of "table: 0x55d0...", so nothing
// that differs between processes can reach a report.
int SafeToString(lua_State* L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "'__tostring' must return a string");
    return 1;
  }
  switch (lua_type(L, 1)) {
    case LUA_TNUMBER:
    case LUA_TSTRING:
    case LUA_TBOOLEAN:
    case LUA_TNIL:
      luaL_tolstring(L, 1, nullptr);
      return 1;
    default:
      lua_pushstring(L, luaL_typename(L, 1));
      return 1;
  }
}

int EnvIndex(lua_State* L) {
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
  if (lua_type(L, 2) == LUA_TSTRING) {
    return luaL_error(L,
                      "undefined global '%s' (policies see only the names in "
                      "docs/policy-api.md; declare your own with local)",
                      lua_tostring(L, 2));
  }
  return luaL_error(L, "undefined global");
}

int EnvNewIndex(lua_State* L) {
  const char* name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
  return luaL_error(L, "cannot assign global '%s': use local (policies may not create globals)",
                    name);
}

constexpr const char* kBaseKey = "partnerpolicy.base";
constexpr const char* kEnvMetaKey = "partnerpolicy.env_meta";
constexpr const char* kLibKey = "partnerpolicy.lib";  // helper libraries by name (writable)

// Builds the shared read-only base and the metatable of every policy environment.
int SetupSandbox(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 0);  // base functions into the hidden real _G
  int real_globals = lua_gettop(L);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
  int string_lib = lua_gettop(L);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
  int table_lib = lua_gettop(L);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
  int math_lib = lua_gettop(L);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
  int utf8_lib = lua_gettop(L);

  // No bytecode out, no randomness in.
  lua_pushnil(L);
  lua_setfield(L, string_lib, "dump");
  lua_pushnil(L);
  lua_setfield(L, math_lib, "random");
  lua_pushnil(L);
  lua_setfield(L, math_lib, "randomseed");
  // No unbounded work in C the budgets cannot see (bounded_strings.cc).
  lua::BoundStringFunctions(L, string_lib);

  // getmetatable("") must not hand out the shared string metatable (its __index is the real
  // string table, which every policy uses).
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);

  lua::RegisterStateView(L);

  lua_newtable(L);  // the base
  int base = lua_gettop(L);
  const char* const kSafe[] = {"assert", "error",        "ipairs",       "pcall",    "xpcall",
                               "select", "tonumber",     "type",         "rawequal", "rawlen",
                               "rawget", "setmetatable", "getmetatable", "_VERSION"};
  for (const char* name : kSafe) {
    lua_getfield(L, real_globals, name);
    lua_setfield(L, base, name);
  }
  // pairs and next in a defined order: Lua's hash order differs between processes.
  lua_getfield(L, table_lib, "sort");
  lua::PushOrderedPairs(L, lua_gettop(L));
  lua_setfield(L, base, "pairs");
  lua_pop(L, 1);
  lua::PushOrderedNext(L);
  lua_setfield(L, base, "next");
  lua_pushcfunction(L, SafeToString);
  lua_setfield(L, base, "tostring");
  struct Library {
    int index;
    const char* name;
  };
  for (Library lib : {Library{string_lib, "string"}, Library{table_lib, "table"},
                      Library{math_lib, "math"}, Library{utf8_lib, "utf8"}}) {
    lua_pushvalue(L, lib.index);
    MakeReadOnly(L, lib.name);
    lua_setfield(L, base, lib.name);
  }
  lua::PushPolicyLibrary(L);
  MakeReadOnly(L, "pp");
  lua_setfield(L, base, "pp");
  lua_newtable(L);  // `lib`: the helper libraries of policies/lib/, filled as they load
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kLibKey);
  MakeReadOnly(L, "lib");
  lua_setfield(L, base, "lib");
  lua_pushvalue(L, base);
  lua_setfield(L, LUA_REGISTRYINDEX, kBaseKey);

  lua_createtable(L, 0, 3);  // metatable of each policy's _ENV
  lua_pushvalue(L, base);
  lua_pushcclosure(L, EnvIndex, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, EnvNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setfield(L, LUA_REGISTRYINDEX, kEnvMetaKey);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Protected calls

int MessageHandler(lua_State* L) {
  if (lua_tostring(L, 1) != nullptr) {
    lua_pushvalue(L, 1);
  } else if (!(luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)) {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  // The message stays a Lua string: it may hold NUL bytes, where luaL_traceback's C string
  // would cut it (found by fuzz_policy_load).
  lua_pushliteral(L, "\n");
  luaL_traceback(L, L, nullptr, 1);
  lua_concat(L, 3);
  return 1;
}

struct CallOutcome {
  bool ok = true;
  std::string message;    // first line(s) of the error, "policies/x.lua:3: ..."
  std::string traceback;  // "stack traceback:\n..." when known
};

// Calls the C function `trampoline` with one light userdata argument, protected.
CallOutcome ProtectedCall(lua_State* L, lua_CFunction trampoline, void* call) {
  int top = lua_gettop(L);
  lua_pushcfunction(L, MessageHandler);
  lua_pushcfunction(L, trampoline);
  lua_pushlightuserdata(L, call);
  int status = lua_pcall(L, 1, 0, top + 1);
  CallOutcome outcome;
  if (status != LUA_OK) {
    outcome.ok = false;
    size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    std::string all = text != nullptr        ? std::string(text, length)
                      : status == LUA_ERRMEM ? "not enough memory"
                                             : "unknown Lua error";
    if (status == LUA_ERRMEM) all = "not enough memory";
    size_t split = all.find("\nstack traceback:");
    outcome.message = all.substr(0, split);
    if (split != std::string::npos) outcome.traceback = all.substr(split + 1);
  }
  lua_settop(L, top);
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Reading Lua values into C++ (only ever inside a trampoline).

// A string field of the table at `table`, or nullptr when absent; raises when of another type.
const char* OptionalStringField(lua_State* L, int table, const char* field, size_t* length,
                                const char* what) {
  lua_getfield(L, table, field);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return nullptr;
  }
  if (lua_type(L, -1) != LUA_TSTRING) {
    luaL_error(L, "%s: '%s' must be a string, got %s", what, field, luaL_typename(L, -1));
  }
  const char* value = lua_tolstring(L, -1, length);
  lua_pop(L, 1);  // the table still holds the string, so the pointer stays valid
  return value;
}

const char* RequiredStringField(lua_State* L, int table, const char* field, size_t* length,
                                const char* what) {
  const char* value = OptionalStringField(L, table, field, length, what);
  if (value == nullptr || *length == 0) {
    luaL_error(L, "%s: '%s' is required and must be a non-empty string", what, field);
  }
  return value;
}

// The fields of a rule table (docs/policy-api.md).
constexpr const char* kRuleFields[] = {"id",          "title",  "severity",   "source",
                                       "description", "params", "constrains", "no_say",
                                       "informs",     "check",  "alerts",     "decide"};
constexpr const char* kRuleFieldList =
    "id, title, severity, source, description, params, constrains, no_say, informs, check, "
    "alerts, decide";

struct GlobalNamesCall {
  std::vector<std::string>* names;
  std::vector<std::string>* fields;
};

void AddName(std::vector<std::string>* names, const char* name) { names->emplace_back(name); }

// Pushes the table a read-only proxy at `index` reads through (its metatable's __index), or the
// table itself when it is no proxy. Returns false, pushing nothing, for a value that is no table.
bool PushTableBehind(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TTABLE) return false;
  if (lua_getmetatable(L, index) != 0) {
    if (lua_getfield(L, -1, "__index") == LUA_TTABLE) {
      lua_remove(L, -2);  // the metatable
      return true;
    }
    lua_pop(L, 2);
  }
  lua_pushvalue(L, index);
  return true;
}

// Adds "prefix.key" for each string key of the table (or proxy) at `index`, and `depth` levels
// further down for the tables among its values.
void ListFields(lua_State* L, GlobalNamesCall* call, int index, const char* prefix, int depth) {
  if (!PushTableBehind(L, index)) return;
  int table = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      const char* name = lua_pushfstring(L, "%s.%s", prefix, lua_tostring(L, -2));
      AddName(call->fields, name);
      if (depth > 0) ListFields(L, call, lua_gettop(L) - 1, name, depth - 1);
      lua_pop(L, 1);  // the name
    }
    lua_pop(L, 1);  // the value
  }
  lua_pop(L, 1);  // the table
}

// Lists the names of the read-only base every policy environment falls back to, and the fields
// of its tables (pp.allow, string.format) and of the helper libraries (lib.text.join).
int GlobalNamesTrampoline(lua_State* L) {
  auto* call = static_cast<GlobalNamesCall*>(lua_touserdata(L, 1));
  lua_getfield(L, LUA_REGISTRYINDEX, kBaseKey);
  int base = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, base) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      const char* name = lua_tostring(L, -2);
      AddName(call->names, name);
      ListFields(L, call, lua_gettop(L), name, std::strcmp(name, "lib") == 0 ? 1 : 0);
    }
    lua_pop(L, 1);
  }
  return 0;
}

struct LoadCall {
  const PolicyText* text;
  PolicyReading* reading;
  int reference = LUA_NOREF;
};

// Records a metadata problem. A helper so the strings are built (and freed) before the
// trampoline calls into Lua again.
void AddProblem(LoadCall* call, const char* field, const char* key, const char* message) {
  call->reading->problems.push_back(MetadataProblem{field, key, message, false});
}

// AddProblem with a message formatted by lua_pushfstring (which may raise only for memory).
void AddProblemF(lua_State* L, LoadCall* call, const char* field, const char* key,
                 const char* format, ...) {
  va_list args;
  va_start(args, format);
  const char* message = lua_pushvfstring(L, format, args);
  va_end(args);
  AddProblem(call, field, key, message);
  lua_pop(L, 1);
}

// A metadata string of the table at `table`: its value, or nullptr after recording a problem
// when it is missing, empty or not a string. `parent` names the enclosing field ("source") for
// a nested one, else nullptr.
const char* MetadataString(lua_State* L, LoadCall* call, int table, const char* field,
                           const char* parent, size_t* length) {
  int type = lua_getfield(L, table, field);
  const char* value = type == LUA_TSTRING ? lua_tolstring(L, -1, length) : nullptr;
  lua_pop(L, 1);  // the table still holds the string, so the pointer stays valid
  const char* problem_field = parent != nullptr ? parent : field;
  const char* key = parent != nullptr ? field : "";
  const char* prefix = parent != nullptr ? ": " : "";
  if (type != LUA_TNIL && type != LUA_TSTRING) {
    AddProblemF(L, call, problem_field, key, "%s%s'%s' must be a string, got %s",
                parent != nullptr ? parent : "", prefix, field, lua_typename(L, type));
    return nullptr;
  }
  if (value == nullptr || *length == 0) {
    AddProblemF(L, call, problem_field, key, "%s%s'%s' is required and must be a non-empty string",
                parent != nullptr ? parent : "", prefix, field);
    return nullptr;
  }
  return value;
}

// Reads `params` (table at index) into the reading's info.params.
void ReadParams(lua_State* L, int index, LoadCall* call) {
  std::vector<Parameter>& params = call->reading->info.params;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      AddProblem(call, "params", "", "params: names must be strings");
      lua_pop(L, 1);
      continue;
    }
    const char* name = lua_tostring(L, -2);
    Parameter& param = params.emplace_back();
    param.name = name;
    param.origin = "default";
    bool valid = true;
    switch (lua_type(L, -1)) {
      case LUA_TBOOLEAN:
        param.value = static_cast<bool>(lua_toboolean(L, -1));
        break;
      case LUA_TNUMBER:
        if (lua_isinteger(L, -1))
          param.value = static_cast<int64_t>(lua_tointeger(L, -1));
        else
          param.value = static_cast<double>(lua_tonumber(L, -1));
        break;
      case LUA_TSTRING:
        param.value = std::string(lua_tostring(L, -1));
        break;
      case LUA_TTABLE: {
        param.value = std::vector<std::string>{};
        auto& list = std::get<std::vector<std::string>>(param.value);
        lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
        for (lua_Integer i = 1; i <= n && valid; ++i) {
          if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
            AddProblemF(L, call, "params", name, "params.%s must be a list of strings", name);
            valid = false;
          } else {
            list.emplace_back(lua_tostring(L, -1));
          }
          lua_pop(L, 1);
        }
        break;
      }
      default:
        AddProblemF(L, call, "params", name,
                    "params.%s must be a boolean, number, string or list of strings", name);
        valid = false;
    }
    if (!valid) params.pop_back();
    lua_pop(L, 1);
  }
  std::sort(params.begin(), params.end(),
            [](const Parameter& a, const Parameter& b) { return a.name < b.name; });
}

// Reads `constrains` (the value at `index`: a list of names of parts of the state) into the
// reading's info.constrains.
void ReadConstrains(lua_State* L, int index, LoadCall* call) {
  PolicyInfo& info = call->reading->info;
  info.declares_constrains = true;
  if (lua_type(L, index) != LUA_TTABLE) {
    AddProblem(call, "constrains", "",
               "'constrains' must be a list of parts of the partner state, e.g. { "
               "\"credits.assignments\", \"users.email\" }");
    return;
  }
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, index));
  for (lua_Integer i = 1; i <= n; ++i) {
    if (lua_rawgeti(L, index, i) != LUA_TSTRING) {
      AddProblemF(L, call, "constrains", "", "constrains[%d] must be a string, got %s",
                  static_cast<int>(i), luaL_typename(L, -1));
    } else if (std::optional<std::string> problem = StateFieldFormProblem(lua_tostring(L, -1))) {
      // No Lua call while a C++ string lives: an error would jump past its destructor.
      AddProblem(call, "constrains", "", ("constrains: " + *problem).c_str());
    } else {
      info.constrains.emplace_back(lua_tostring(L, -1));
    }
    lua_pop(L, 1);
  }
}

// Reads `field` (`no_say` or `informs`: the table at `index`, action name -> one-line reason, the
// reason saying `why`) into `reasons`, sorted by action.
void ReadActionReasons(lua_State* L, int index, LoadCall* call, const char* field, const char* why,
                       std::vector<ActionReason>* reasons) {
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    const char* action = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : nullptr;
    size_t length = 0;
    const char* reason = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : nullptr;
    if (action == nullptr) {
      AddProblemF(L, call, field, "", "%s: keys must be action names", field);
    } else if (reason == nullptr || length == 0) {
      AddProblemF(L, call, field, action, "%s[\"%s\"] must be a non-empty string: %s %s", field,
                  action, why, action);
    } else {
      reasons->push_back(ActionReason{action, std::string(reason, length)});
    }
    lua_pop(L, 1);
  }
  std::sort(reasons->begin(), reasons->end(),
            [](const ActionReason& a, const ActionReason& b) { return a.action < b.action; });
}

// Compiles a policy or library file as text and pushes the chunk, with a fresh _ENV of its own
// over the read-only base (reading an undefined global or assigning one is an error). Raises the
// syntax error, named "@<display path>" so messages read file:line.
void PushChunkInOwnEnvironment(lua_State* L, const PolicyText& text) {
  lua_pushliteral(L, "@");
  lua_pushstring(L, text.display_path.c_str());
  lua_concat(L, 2);
  // Text only: bytecode can crash the interpreter and is never accepted from outside.
  if (lua::LoadChunk(L, text.text, lua_tostring(L, -1)) != LUA_OK) {
    lua_error(L);
  }
  lua_remove(L, -2);  // the chunk name
  lua_newtable(L);    // the chunk's _ENV
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvMetaKey);
  lua_setmetatable(L, -2);
  lua_setupvalue(L, -2, 1);
}

struct LibraryCall {
  const PolicyText* text;
  const char* name;  // the file's stem: lib.<name>
};

// Loads one helper library (policies/lib/<name>.lua) into its own environment and publishes the
// table it returns, deeply read-only, as lib.<name>.
int LoadLibraryTrampoline(lua_State* L) {
  auto* call = static_cast<LibraryCall*>(lua_touserdata(L, 1));
  const PolicyText& text = *call->text;
  const char* file = text.display_path.c_str();
  PushChunkInOwnEnvironment(L, text);
  lua_call(L, 0, 1);
  if (lua_type(L, -1) != LUA_TTABLE) {
    return luaL_error(L,
                      "%s: a helper library must return a table of functions and constants, got %s",
                      file, luaL_typename(L, -1));
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kLibKey);
  if (lua_getfield(L, -1, call->name) != LUA_TNIL) {
    return luaL_error(L, "%s: lib.%s is already defined", file, call->name);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, -2);
  MakeDeeplyReadOnly(L, call->name, 0);
  lua_setfield(L, -2, call->name);
  return 0;
}

// Loads one policy chunk into its own environment, runs it, and reads the returned rule table.
// Metadata problems are recorded, not raised, so every one of them is found; a Lua error while
// running the chunk raises.
int LoadPolicyTrampoline(lua_State* L) {
  auto* call = static_cast<LoadCall*>(lua_touserdata(L, 1));
  const PolicyText& text = *call->text;
  PushChunkInOwnEnvironment(L, text);
  lua_call(L, 0, 1);
  int rule = lua_gettop(L);
  if (lua_type(L, rule) != LUA_TTABLE) {
    AddProblemF(L, call, "", "", "a policy must return a table describing its rule, got %s",
                luaL_typename(L, rule));
    return 0;
  }

  lua_pushnil(L);
  while (lua_next(L, rule) != 0) {
    lua_pop(L, 1);
    bool known = false;
    if (lua_type(L, -1) == LUA_TSTRING) {
      for (const char* field : kRuleFields)
        known = known || std::strcmp(field, lua_tostring(L, -1)) == 0;
    }
    if (!known) {
      const char* name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a name)";
      AddProblemF(L, call, name, "", "unknown field '%s' in the rule table (known: %s)", name,
                  kRuleFieldList);
      call->reading->problems.back().unknown_field = true;
    }
  }

  PolicyInfo& info = call->reading->info;
  info.file = text.display_path;
  size_t length = 0;
  if (const char* id = MetadataString(L, call, rule, "id", nullptr, &length)) {
    if (IsRuleId(std::string_view(id, length))) {
      info.id.assign(id, length);
    } else {
      AddProblemF(L, call, "id", "",
                  "id '%s' must be dotted lower-case words, e.g. \"credits.free-domain-ban\"", id);
    }
  }
  if (const char* title = MetadataString(L, call, rule, "title", nullptr, &length)) {
    info.title.assign(title, length);
  }
  if (const char* description = MetadataString(L, call, rule, "description", nullptr, &length)) {
    info.description.assign(description, length);
  }
  if (const char* severity = MetadataString(L, call, rule, "severity", nullptr, &length)) {
    std::optional<Severity> parsed = ParseSeverity(std::string_view(severity, length));
    if (parsed) {
      info.severity = info.declared_severity = *parsed;
    } else {
      AddProblemF(L, call, "severity", "",
                  "severity must be \"error\", \"warning\" or \"info\", got \"%s\"", severity);
    }
  }

  if (lua_getfield(L, rule, "source") != LUA_TTABLE) {
    AddProblem(call, "source", "",
               "'source' must be a table { seed = \"...\", section = \"...\" }");
  } else {
    int source = lua_gettop(L);
    if (const char* seed = MetadataString(L, call, source, "seed", "source", &length)) {
      info.source.seed.assign(seed, length);
    }
    if (const char* section = MetadataString(L, call, source, "section", "source", &length)) {
      info.source.section.assign(section, length);
    }
  }
  lua_pop(L, 1);

  int params_type = lua_getfield(L, rule, "params");
  if (params_type == LUA_TTABLE) {
    ReadParams(L, lua_gettop(L), call);
  } else if (params_type != LUA_TNIL) {
    AddProblem(call, "params", "", "'params' must be a table");
  }
  lua_pop(L, 1);

  if (lua_getfield(L, rule, "constrains") != LUA_TNIL) ReadConstrains(L, lua_gettop(L), call);
  lua_pop(L, 1);
  struct ReasonField {
    const char* field;
    const char* why;
    std::vector<ActionReason>* reasons;
  };
  for (const ReasonField& f :
       {ReasonField{"no_say", "why the rule has no say on", &info.no_say},
        ReasonField{"informs", "why the rule never denies", &info.informs}}) {
    int type = lua_getfield(L, rule, f.field);
    if (type == LUA_TTABLE) {
      ReadActionReasons(L, lua_gettop(L), call, f.field, f.why, f.reasons);
    } else if (type != LUA_TNIL) {
      AddProblemF(L, call, f.field, "", "'%s' must be a table { [\"<action>\"] = \"%s it\" }",
                  f.field, f.why);
    }
    lua_pop(L, 1);
  }

  int check_type = lua_getfield(L, rule, "check");
  if (check_type != LUA_TNIL && check_type != LUA_TFUNCTION) {
    AddProblem(call, "check", "", "'check' must be a function(state, ctx)");
  }
  info.has_check = check_type == LUA_TFUNCTION;
  lua_pop(L, 1);

  int alerts_type = lua_getfield(L, rule, "alerts");
  if (alerts_type != LUA_TNIL && alerts_type != LUA_TFUNCTION) {
    AddProblem(call, "alerts", "", "'alerts' must be a function(state, ctx)");
  }
  info.has_alerts = alerts_type == LUA_TFUNCTION;
  lua_pop(L, 1);

  int decide_type = lua_getfield(L, rule, "decide");
  if (decide_type == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TFUNCTION) {
        AddProblem(call, "decide", lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "",
                   "'decide' maps action names to functions(req, state, ctx)");
      } else {
        info.actions.emplace_back(lua_tostring(L, -2));
      }
      lua_pop(L, 1);
    }
    std::sort(info.actions.begin(), info.actions.end());
  } else if (decide_type != LUA_TNIL) {
    AddProblem(call, "decide", "", "'decide' must be a table of functions");
  }
  lua_pop(L, 1);
  if (!info.has_check && !info.has_alerts && info.actions.empty() && check_type == LUA_TNIL &&
      alerts_type == LUA_TNIL && (decide_type == LUA_TNIL || decide_type == LUA_TTABLE)) {
    AddProblem(call, "", "",
               "a policy needs a 'check' function, an 'alerts' function or a 'decide' table");
  }

  lua_pushvalue(L, rule);
  call->reference = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

// Pushes ctx = { params = {...}, as_of = day } for a call.
void PushContext(lua_State* L, const PolicyInfo& info, Date as_of) {
  lua_createtable(L, 0, 3);
  lua_createtable(L, 0, static_cast<int>(info.params.size()));
  for (const Parameter& param : info.params) {
    const ParamValue& v = param.value;
    if (const bool* b = std::get_if<bool>(&v))
      lua_pushboolean(L, *b);
    else if (const int64_t* i = std::get_if<int64_t>(&v))
      lua_pushinteger(L, *i);
    else if (const double* d = std::get_if<double>(&v))
      lua_pushnumber(L, *d);
    else if (const std::string* s = std::get_if<std::string>(&v))
      lua_pushlstring(L, s->data(), s->size());
    else {
      const auto& list = std::get<std::vector<std::string>>(v);
      lua_createtable(L, static_cast<int>(list.size()), 0);
      for (size_t k = 0; k < list.size(); ++k) {
        lua_pushlstring(L, list[k].data(), list[k].size());
        lua_rawseti(L, -2, static_cast<lua_Integer>(k + 1));
      }
    }
    lua_setfield(L, -2, param.name.c_str());
  }
  lua_setfield(L, -2, "params");
  lua_pushinteger(L, as_of.days);
  lua_setfield(L, -2, "as_of");
}

struct CheckCall {
  int reference;
  const PolicyInfo* info;
  Date as_of;
};

// What ctx.report and ctx.alert share: the entity, the words and the severity of a notice.
// Plain pointers into Lua strings only, so a Lua error while reading leaks nothing.
struct NoticeFields {
  NodeId at = kNoNode;
  const char* message = nullptr;
  size_t message_length = 0;
  const char* remedy = nullptr;  // may be null
  size_t remedy_length = 0;
  Severity severity = Severity::kError;
};

// Reads { at = node, message = "...", remedy = "...", severity = "warning" } at stack index 1;
// raises a Lua error naming `function_name` ("ctx.report") on a malformed table.
NoticeFields ReadNoticeFields(lua_State* L, const char* function_name, const char* about) {
  luaL_checktype(L, 1, LUA_TTABLE);
  NoticeFields fields;
  lua_getfield(L, 1, "at");
  fields.at = lua::ToStateNode(L, -1);
  if (fields.at == kNoNode) {
    luaL_error(L, "%s: 'at' must be the entity from the partner state the %s is about, got %s",
               function_name, about, luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  fields.message = RequiredStringField(L, 1, "message", &fields.message_length, function_name);
  fields.remedy = OptionalStringField(L, 1, "remedy", &fields.remedy_length, function_name);
  size_t severity_length = 0;
  const char* severity = OptionalStringField(L, 1, "severity", &severity_length, function_name);
  fields.severity = lua::Host(L)->default_severity;
  if (severity != nullptr) {
    std::optional<Severity> parsed = ParseSeverity(std::string_view(severity, severity_length));
    if (!parsed) {
      luaL_error(L, "%s: severity must be \"error\", \"warning\" or \"info\"", function_name);
    }
    fields.severity = *parsed;
  }
  return fields;
}

// Fills what Finding and Alert share from the fields. Raises nothing.
template <typename Notice>
void FillNotice(const NoticeFields& fields, const HostContext& host, Notice& notice) {
  const Document& doc = *host.state;
  notice.rule_id = host.rule_id;
  notice.severity = fields.severity;
  notice.message.assign(fields.message, fields.message_length);
  if (fields.remedy != nullptr) notice.remedy.assign(fields.remedy, fields.remedy_length);
  notice.entity_id = std::string(doc.string_member(fields.at, "id"));
  notice.pointer = doc.pointer(fields.at);
  notice.line = doc.line(fields.at);
  notice.column = doc.column(fields.at);
}

// ctx.report{ at = node, message = "...", remedy = "...", severity = "warning" }
int Report(lua_State* L) {
  HostContext* host = lua::Host(L);
  if (host->findings == nullptr) return luaL_error(L, "ctx.report is only for state checks");
  NoticeFields fields = ReadNoticeFields(L, "ctx.report", "finding");
  FillNotice(fields, *host, host->findings->emplace_back());
  return 0;
}

int CheckTrampoline(lua_State* L) {
  auto* call = static_cast<CheckCall*>(lua_touserdata(L, 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->reference);
  lua_getfield(L, -1, "check");
  lua::PushStateValue(L, lua::Host(L)->state->root());
  PushContext(L, *call->info, call->as_of);
  lua_pushcfunction(L, Report);
  lua_setfield(L, -2, "report");
  lua_call(L, 2, 0);
  return 0;
}

struct AlertsCall {
  int reference;
  const PolicyInfo* info;
  Date as_of;
  Date horizon;
};

// ctx.alert{ at = node, on = day, message = "...", remedy = "...", severity = "warning" }
int RaiseAlert(lua_State* L) {
  HostContext* host = lua::Host(L);
  if (host->alerts == nullptr) return luaL_error(L, "ctx.alert is only for alerts functions");
  NoticeFields fields = ReadNoticeFields(L, "ctx.alert", "alert");
  if (lua_getfield(L, 1, "on") != LUA_TNUMBER || !lua_isinteger(L, -1)) {
    return luaL_error(L, "ctx.alert: 'on' must be a day number (pp.date(...)), got %s",
                      luaL_typename(L, -1));
  }
  lua_Integer on = lua_tointeger(L, -1);
  if (on < kFirstDay || on > kLastDay) return luaL_error(L, "ctx.alert: 'on' is not a valid day");
  lua_pop(L, 1);
  Alert& alert = host->alerts->emplace_back();
  FillNotice(fields, *host, alert);
  alert.on = Date{static_cast<int64_t>(on)};
  return 0;
}

int AlertsTrampoline(lua_State* L) {
  auto* call = static_cast<AlertsCall*>(lua_touserdata(L, 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->reference);
  lua_getfield(L, -1, "alerts");
  lua::PushStateValue(L, lua::Host(L)->state->root());
  PushContext(L, *call->info, call->as_of);
  lua_pushinteger(L, call->horizon.days);
  lua_setfield(L, -2, "horizon");
  lua_pushcfunction(L, RaiseAlert);
  lua_setfield(L, -2, "alert");
  lua_call(L, 2, 0);
  return 0;
}

struct DecideCall {
  int reference;
  const PolicyInfo* info;
  const ResolvedRequest* request;
  Date as_of;
  std::optional<RuleDecision> decision;
};

void PushRequest(lua_State* L, const ResolvedRequest& request) {
  lua_createtable(L, 0, static_cast<int>(request.params.size()) + 2);
  lua_pushstring(L, request.action.c_str());
  lua_setfield(L, -2, "action");
  if (request.actor != kNoNode) {
    lua::PushStateValue(L, request.actor);
    lua_setfield(L, -2, "actor");
  }
  for (const auto& [name, value] : request.params) {
    switch (value.kind) {
      case RequestValue::Kind::kEntity:
        lua::PushStateValue(L, value.node);
        break;
      case RequestValue::Kind::kEntityList:
        lua_createtable(L, static_cast<int>(value.nodes.size()), 0);
        for (size_t k = 0; k < value.nodes.size(); ++k) {
          lua::PushStateValue(L, value.nodes[k]);
          lua_rawseti(L, -2, static_cast<lua_Integer>(k + 1));
        }
        break;
      case RequestValue::Kind::kNewEntity:
        lua_createtable(L, 0, 1);
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "is_new");
        break;
      case RequestValue::Kind::kNewUser:
        lua_createtable(L, 0, 2);
        lua_pushlstring(L, value.text.data(), value.text.size());
        lua_setfield(L, -2, "email");
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "is_new");
        break;
      case RequestValue::Kind::kInteger:
        lua_pushinteger(L, value.integer);
        break;
      case RequestValue::Kind::kDate:
        lua_pushinteger(L, value.date.days);
        break;
      case RequestValue::Kind::kString:
        lua_pushlstring(L, value.text.data(), value.text.size());
        break;
    }
    lua_setfield(L, -2, name.c_str());
  }
}

// Reads result facts (table at index) into decision->facts, sorted by name.
void ReadFacts(lua_State* L, int index, RuleDecision* decision, const char* file) {
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "%s: fact names must be strings", file);
    Fact& fact = decision->facts.emplace_back();
    fact.name = lua_tostring(L, -2);
    switch (lua_type(L, -1)) {
      case LUA_TNUMBER: {
        fact.numeric = true;
        lua_pushvalue(L, -1);
        fact.value = lua_tostring(L, -1);  // converts the copy, not the key's neighbour
        lua_pop(L, 1);
        break;
      }
      case LUA_TSTRING:
        fact.value = lua_tostring(L, -1);
        break;
      case LUA_TBOOLEAN:
        fact.value = lua_toboolean(L, -1) ? "true" : "false";
        break;
      default:
        luaL_error(L, "%s: fact '%s' must be a number, string or boolean", file,
                   lua_tostring(L, -2));
    }
    lua_pop(L, 1);
  }
  std::sort(decision->facts.begin(), decision->facts.end(),
            [](const Fact& a, const Fact& b) { return a.name < b.name; });
}

int DecideTrampoline(lua_State* L) {
  auto* call = static_cast<DecideCall*>(lua_touserdata(L, 1));
  const char* file = call->info->file.c_str();
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->reference);
  lua_getfield(L, -1, "decide");
  lua_getfield(L, -1, call->request->action.c_str());
  PushRequest(L, *call->request);
  lua::PushStateValue(L, lua::Host(L)->state->root());
  PushContext(L, *call->info, call->as_of);
  lua_call(L, 3, 1);
  int result = lua_gettop(L);
  if (lua_isnil(L, result)) return 0;  // no say
  if (lua_type(L, result) != LUA_TTABLE) {
    return luaL_error(L,
                      "%s: decide[\"%s\"] must return nil, pp.allow(...), pp.deny(...) or "
                      "pp.condition(...), "
                      "got %s",
                      file, call->request->action.c_str(), luaL_typename(L, result));
  }
  size_t length = 0;
  const char* verdict = RequiredStringField(L, result, "verdict", &length, file);
  RuleDecision& decision = call->decision.emplace();
  decision.rule_id = call->info->id;
  if (std::strcmp(verdict, "allow") == 0) {
    decision.verdict = Verdict::kAllow;
  } else if (std::strcmp(verdict, "deny") == 0) {
    decision.verdict = Verdict::kDeny;
  } else if (std::strcmp(verdict, "condition") == 0) {
    decision.verdict = Verdict::kCondition;
  } else {
    return luaL_error(L, "%s: verdict must be \"allow\", \"deny\" or \"condition\"", file);
  }
  const char* message = RequiredStringField(L, result, "message", &length, file);
  decision.message.assign(message, length);
  const char* remedy = OptionalStringField(L, result, "remedy", &length, file);
  if (remedy != nullptr) decision.remedy.assign(remedy, length);
  if (decision.verdict == Verdict::kDeny && decision.remedy.empty()) {
    return luaL_error(L, "%s: a denial must say what would allow the action (remedy)", file);
  }
  if (lua_getfield(L, result, "facts") == LUA_TTABLE) {
    ReadFacts(L, lua_gettop(L), &decision, file);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Effects (DIR/effects/*.lua): tables of action names to functions(req, state, ctx).

struct EffectsLoadCall {
  const PolicyText* text;
  std::vector<EffectInfo>* effects;  // what the file gives, appended
  std::vector<int>* references;      // registry references of the functions, in step
};

// Records one effect (a helper: the C++ work ends before the trampoline calls Lua again).
void AddEffect(EffectsLoadCall* call, const char* action, int line, int reference) {
  call->effects->push_back(EffectInfo{action, call->text->display_path, line});
  call->references->push_back(reference);
}

int LoadEffectsTrampoline(lua_State* L) {
  auto* call = static_cast<EffectsLoadCall*>(lua_touserdata(L, 1));
  const char* file = call->text->display_path.c_str();
  PushChunkInOwnEnvironment(L, *call->text);
  lua_call(L, 0, 1);
  int effects = lua_gettop(L);
  if (lua_type(L, effects) != LUA_TTABLE) {
    return luaL_error(L,
                      "%s: an effects file must return a table of action names to "
                      "functions(req, state, ctx), got %s",
                      file, luaL_typename(L, effects));
  }
  lua_pushnil(L);
  while (lua_next(L, effects) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TFUNCTION) {
      return luaL_error(
          L,
          "%s: an effects file maps action names to functions(req, state, ctx); "
          "found a %s for %s",
          file, luaL_typename(L, -1),
          lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "a key that is no name");
    }
    lua_Debug where;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">S", &where);
    const char* action = lua_tostring(L, -2);
    int reference = luaL_ref(L, LUA_REGISTRYINDEX);  // pops the function
    AddEffect(call, action, where.linedefined, reference);
  }
  return 0;
}

struct EffectCall {
  int reference;
  const EffectInfo* info;
  const ResolvedRequest* request;
  Date as_of;
  std::vector<JsonPatchOperation>* patch;
  std::string problem;  // a malformed result, raised by the trampoline
};

// Reads the result into the call (a helper, so the strings are gone before Lua raises).
bool ReadEffectResult(lua_State* L, int result, EffectCall* call) {
  std::string problem = lua::ReadPatch(L, result, call->patch);
  if (problem.empty()) return true;
  // At the effect's own line; the caller's error says "effect of ACTION failed: ".
  call->problem = call->info->file + ":" + std::to_string(call->info->line) + ": " + problem;
  return false;
}

int EffectTrampoline(lua_State* L) {
  auto* call = static_cast<EffectCall*>(lua_touserdata(L, 1));
  lua_rawgeti(L, LUA_REGISTRYINDEX, call->reference);
  PushRequest(L, *call->request);
  lua::PushStateValue(L, lua::Host(L)->state->root());
  lua_createtable(L, 0, 1);
  lua_pushinteger(L, call->as_of.days);
  lua_setfield(L, -2, "as_of");
  lua_call(L, 3, 1);
  if (!ReadEffectResult(L, lua_gettop(L), call)) {
    lua_pushlstring(L, call->problem.data(), call->problem.size());
    return lua_error(L);
  }
  return 0;
}

// error("") says nothing; a report must still say something (found by fuzz_policy_load).
constexpr const char* kEmptyMessage = "error() called with an empty message";

// Splits "policies/x.lua:12: message" into a location and the message.
Error LuaError(ErrorCode code, const CallOutcome& outcome) {
  Error error{code, outcome.message, {}, outcome.traceback};
  const std::string& m = outcome.message;
  size_t first = m.find(':');
  if (first != std::string::npos && first > 0) {
    size_t second = m.find(':', first + 1);
    std::string_view digits = std::string_view(m).substr(first + 1, second - first - 1);
    bool numeric =
        second != std::string::npos && !digits.empty() &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && m.find(' ') > first) {
      error.where.file = m.substr(0, first);
      error.where.line = std::stoi(std::string(digits));
      error.message = m.substr(second + 1);
      if (!error.message.empty() && error.message.front() == ' ') error.message.erase(0, 1);
    }
  }
  if (error.message.empty()) error.message = kEmptyMessage;
  // A NUL byte would end the message wherever it is read as a C string: show it as \0.
  for (size_t at = error.message.find('\0'); at != std::string::npos;
       at = error.message.find('\0', at + 2)) {
    error.message.replace(at, 1, "\\0");
  }
  return error;
}

// Drops a leading "<path>: " from the message (policies often name their own file); what is
// left must still say something.
void DropFileName(Error& error, const std::string& path) {
  const std::string prefix = path + ": ";
  if (error.message.rfind(prefix, 0) == 0) error.message.erase(0, prefix.size());
  if (error.message.empty()) error.message = kEmptyMessage;
}

// Lua shortens a long chunk name to "...<its end>" in messages (LUA_IDSIZE); the error's file
// is then `path`, the name in full.
void RestoreFileName(Error& error, const std::string& path) {
  const std::string& file = error.where.file;
  if (file.rfind("...", 0) != 0) return;
  size_t tail = file.size() - 3;
  if (path.size() >= tail && path.compare(path.size() - tail, tail, file, 3, tail) == 0) {
    error.where.file = path;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct PolicyRuntime::Impl {
  HostContext host;
  lua_State* L = nullptr;
  std::vector<PolicyInfo> declared;
  std::vector<int> references;
  std::vector<EffectInfo> effects;     // sorted by action
  std::vector<int> effect_references;  // in step with effects
  bool heap_collected = false;         // no call has run since the last full collection

  ~Impl() {
    if (L != nullptr) lua_close(L);
  }

  void StartCall(const Document* state) {
    host.instructions_used = 0;
    host.instructions_exceeded = false;
    host.stop_message.clear();
    host.state = state;
    ++host.generation;
    int mask = LUA_MASKCOUNT | (host.coverage != nullptr ? LUA_MASKLINE : 0);
    lua_sethook(L, Hook, mask, lua::kHookInterval);
  }

  void EndCall() {
    lua_sethook(L, nullptr, 0, 0);
    host.state = nullptr;
    ++host.generation;  // nodes kept by a policy stop working now
    host.findings = nullptr;
    host.alerts = nullptr;
  }

  // Runs one call into a policy against `state` (nullptr while loading); `prepare` says where its
  // results go and runs before each attempt. The heap keeps the garbage of earlier calls
  // (collecting it after every call cost more than a whole decision), so whether a call fits its
  // memory budget could depend on what ran before. A call stopped by the memory budget therefore
  // runs once more on a fully collected heap, and that outcome stands: the same as in a fresh
  // sandbox.
  template <typename Prepare>
  CallOutcome Run(const Document* state, lua_CFunction trampoline, void* call, Prepare prepare) {
    bool collected = heap_collected;
    for (;;) {
      prepare();
      StartCall(state);
      CallOutcome outcome = ProtectedCall(L, trampoline, call);
      EndCall();
      heap_collected = false;
      if (!host.memory_exceeded || collected) return outcome;
      host.memory_exceeded = false;
      host.stop_message.clear();
      lua_gc(L, LUA_GCCOLLECT);
      heap_collected = collected = true;
    }
  }

  // The error for a failed call, a budget stop taking precedence: a policy may have caught the
  // budget error and raised another one, or returned normally after catching it.
  std::optional<Error> Failure(const CallOutcome& outcome, const PolicyInfo& info) {
    return Failure(outcome, info, "policy " + info.id);
  }
  // The same, the message starting with `who` ("policy X", "effect of credit.assign").
  std::optional<Error> Failure(const CallOutcome& outcome, const PolicyInfo& info,
                               const std::string& who) {
    if (!host.stop_message.empty()) {
      Error error = LuaError(ErrorCode::kBudgetExceeded, CallOutcome{false, host.stop_message, ""});
      error.detail = outcome.traceback;
      RestoreFileName(error, info.file);
      if (error.where.file.empty()) error.where.file = info.file;
      error.message = who + " stopped: " + error.message;
      host.stop_message.clear();
      host.memory_exceeded = false;
      return error;
    }
    if (host.instructions_exceeded || host.memory_exceeded) {
      bool memory = host.memory_exceeded && !host.instructions_exceeded;
      Error error = outcome.ok ? Error{ErrorCode::kBudgetExceeded, "", {}, ""}
                               : LuaError(ErrorCode::kBudgetExceeded, outcome);
      RestoreFileName(error, info.file);
      if (error.where.file.empty()) error.where.file = info.file;
      error.message =
          who + " stopped: " +
          (memory ? "memory budget of " + std::to_string(host.memory_limit) + " bytes exceeded"
                  : "instruction budget of " + std::to_string(host.instruction_limit) +
                        " instructions exceeded");
      host.memory_exceeded = false;
      return error;
    }
    if (outcome.ok) return std::nullopt;
    Error error = LuaError(ErrorCode::kInvalidPolicy, outcome);
    DropFileName(error, info.file);
    error.message = who + " failed: " + error.message;
    RestoreFileName(error, info.file);
    if (error.where.file.empty()) error.where.file = info.file;
    return error;
  }

  // A Lua state with the sandbox built, or why there is none.
  static Result<std::unique_ptr<Impl>> New(const Budgets& budgets,
                                           LineCoverage* coverage = nullptr) {
    auto impl = std::make_unique<Impl>();
    impl->host.coverage = coverage;  // before any chunk runs: loading counts as coverage
    impl->host.instruction_limit = budgets.max_instructions;
    impl->host.memory_limit = budgets.max_memory_bytes;
    impl->L = lua_newstate(Allocate, &impl->host);
    if (impl->L == nullptr) {
      return Error{
          ErrorCode::kBudgetExceeded, "cannot create a Lua state within the memory budget", {}, ""};
    }
    *static_cast<HostContext**>(lua_getextraspace(impl->L)) = &impl->host;
    lua_atpanic(impl->L, Panic);
    impl->StartCall(nullptr);
    CallOutcome sandbox = ProtectedCall(
        impl->L, [](lua_State* S) { return SetupSandbox(S); }, nullptr);
    impl->EndCall();
    if (!sandbox.ok) {
      return Error{ErrorCode::kBudgetExceeded,
                   "cannot build the policy sandbox: " + sandbox.message,
                   {},
                   ""};
    }
    return impl;
  }

  // Loads the helper libraries as lib.<name>; the errors of those that do not load.
  Errors LoadLibraries(const std::vector<PolicyText>& libraries) {
    Errors errors;
    for (const PolicyText& text : libraries) {
      std::string name = std::filesystem::path(text.display_path).stem().string();
      bool identifier = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
                        std::all_of(name.begin(), name.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                        });
      if (!identifier) {
        errors.push_back(Error{ErrorCode::kInvalidPolicy,
                               "a helper library's file name must be a lower-case Lua name (it "
                               "becomes lib.<name>)",
                               {text.display_path, 0, 0, ""},
                               ""});
        continue;
      }
      LibraryCall call{&text, name.c_str()};
      StartCall(nullptr);
      CallOutcome outcome = ProtectedCall(L, LoadLibraryTrampoline, &call);
      EndCall();
      PolicyInfo named;
      named.id = "lib." + name;
      named.file = text.display_path;
      if (std::optional<Error> failure = Failure(outcome, named)) {
        errors.push_back(std::move(*failure));
      }
    }
    return errors;
  }

  // Loads the effects files; the errors of those that do not load, and of an action given an
  // effect twice. Afterwards `effects` is sorted by action.
  Errors LoadEffects(const std::vector<PolicyText>& files) {
    Errors errors;
    for (const PolicyText& text : files) {
      std::vector<EffectInfo> found;
      std::vector<int> found_references;
      EffectsLoadCall call{&text, &found, &found_references};
      StartCall(nullptr);
      CallOutcome outcome = ProtectedCall(L, LoadEffectsTrampoline, &call);
      EndCall();
      PolicyInfo named;
      named.id = "(loading)";
      named.file = text.display_path;
      if (std::optional<Error> failure = Failure(outcome, named, "effects file")) {
        if (failure->code == ErrorCode::kInvalidPolicy) {
          // Loading errors read better without a "... failed:" prefix, as for policies.
          Error plain = LuaError(ErrorCode::kInvalidPolicy, outcome);
          RestoreFileName(plain, text.display_path);
          if (plain.where.file.empty()) plain.where.file = text.display_path;
          DropFileName(plain, text.display_path);
          failure = std::move(plain);
        }
        errors.push_back(std::move(*failure));
        continue;
      }
      effects.insert(effects.end(), found.begin(), found.end());
      effect_references.insert(effect_references.end(), found_references.begin(),
                               found_references.end());
    }
    std::vector<size_t> order(effects.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::tie(effects[a].action, effects[a].file, effects[a].line) <
             std::tie(effects[b].action, effects[b].file, effects[b].line);
    });
    std::vector<EffectInfo> sorted;
    std::vector<int> sorted_references;
    for (size_t k = 0; k < order.size(); ++k) {
      const EffectInfo& effect = effects[order[k]];
      if (!sorted.empty() && sorted.back().action == effect.action) {
        errors.push_back(Error{ErrorCode::kInvalidPolicy,
                               "the effect of '" + effect.action + "' is already given at " +
                                   sorted.back().file + ":" + std::to_string(sorted.back().line),
                               {effect.file, effect.line, 0, ""},
                               ""});
        continue;
      }
      sorted.push_back(effect);
      sorted_references.push_back(effect_references[order[k]]);
    }
    effects = std::move(sorted);
    effect_references = std::move(sorted_references);
    return errors;
  }

  // Runs one policy chunk and reads its rule table; `reference` gets the table's registry
  // reference when the chunk ran.
  PolicyReading LoadPolicy(const PolicyText& text, int* reference) {
    PolicyReading reading;
    LoadCall call{&text, &reading, LUA_NOREF};
    CallOutcome outcome = Run(nullptr, LoadPolicyTrampoline, &call, [&] {
      reading = PolicyReading();
      call.reference = LUA_NOREF;
    });
    *reference = call.reference;
    PolicyInfo named;
    named.id = "(loading)";
    named.file = text.display_path;
    if (std::optional<Error> failure = Failure(outcome, named)) {
      if (failure->code == ErrorCode::kInvalidPolicy) {
        // Loading errors read better without the "policy (loading) failed:" prefix.
        Error plain = LuaError(ErrorCode::kInvalidPolicy, outcome);
        RestoreFileName(plain, text.display_path);
        if (plain.where.file.empty()) plain.where.file = text.display_path;
        DropFileName(plain, text.display_path);
        reading.failure = std::move(plain);
      } else {
        reading.failure = std::move(*failure);
      }
    }
    return reading;
  }
};

PolicyRuntime::PolicyRuntime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PolicyRuntime::~PolicyRuntime() = default;

const std::vector<PolicyInfo>& PolicyRuntime::declared() const { return impl_->declared; }

const std::vector<EffectInfo>& PolicyRuntime::effects() const { return impl_->effects; }

void PolicyRuntime::RecordReads(std::vector<NodeId>* reads) { impl_->host.reads = reads; }

void PolicyRuntime::Reorder(const std::vector<size_t>& order) {
  std::vector<PolicyInfo> declared;
  std::vector<int> references;
  for (size_t from : order) {
    declared.push_back(std::move(impl_->declared[from]));
    references.push_back(impl_->references[from]);
  }
  impl_->declared = std::move(declared);
  impl_->references = std::move(references);
}

Result<std::unique_ptr<PolicyRuntime>> PolicyRuntime::Create(
    const std::vector<PolicyText>& policies, const Budgets& budgets,
    const std::vector<PolicyText>& libraries, LineCoverage* coverage,
    const std::vector<PolicyText>& effects) {
  Result<std::unique_ptr<Impl>> made = Impl::New(budgets, coverage);
  if (!made.ok()) return made.take_errors();
  std::unique_ptr<Impl> impl = made.take();
  Errors errors = impl->LoadLibraries(libraries);
  if (!errors.empty()) return errors;

  for (const PolicyText& text : policies) {
    int reference = LUA_NOREF;
    PolicyReading reading = impl->LoadPolicy(text, &reference);
    if (reading.failure) {
      errors.push_back(std::move(*reading.failure));
      continue;
    }
    if (!reading.problems.empty()) {
      std::vector<std::string> unknown;
      for (const MetadataProblem& problem : reading.problems) {
        if (problem.unknown_field) unknown.push_back(problem.field);
      }
      if (!unknown.empty()) {
        std::sort(unknown.begin(), unknown.end());
        std::string names;
        for (const std::string& name : unknown) names += (names.empty() ? "" : ", ") + name;
        errors.push_back(Error{
            ErrorCode::kInvalidPolicy,
            "unknown field(s) in the rule table: " + names + " (known: " + kRuleFieldList + ")",
            {text.display_path, 0, 0, ""},
            ""});
      }
      for (const MetadataProblem& problem : reading.problems) {
        if (problem.unknown_field) continue;
        errors.push_back(
            Error{ErrorCode::kInvalidPolicy, problem.message, {text.display_path, 0, 0, ""}, ""});
      }
      continue;
    }
    impl->declared.push_back(std::move(reading.info));
    impl->references.push_back(reference);
  }
  Errors effect_errors = impl->LoadEffects(effects);
  errors.insert(errors.end(), effect_errors.begin(), effect_errors.end());
  if (!errors.empty()) return errors;
  return std::unique_ptr<PolicyRuntime>(new PolicyRuntime(std::move(impl)));
}

Result<PolicyReadings> PolicyRuntime::Read(const std::vector<PolicyText>& policies,
                                           const Budgets& budgets,
                                           const std::vector<PolicyText>& libraries,
                                           const std::vector<PolicyText>& effects) {
  Result<std::unique_ptr<Impl>> made = Impl::New(budgets);
  if (!made.ok()) return made.take_errors();
  Impl& impl = *made.value();
  PolicyReadings readings;
  readings.library_errors = impl.LoadLibraries(libraries);
  for (const PolicyText& text : policies) {
    int reference = LUA_NOREF;
    readings.policies.push_back(impl.LoadPolicy(text, &reference));
  }
  readings.effect_errors = impl.LoadEffects(effects);
  readings.effects = impl.effects;
  GlobalNamesCall call{&readings.global_names, &readings.global_fields};
  impl.StartCall(nullptr);
  CallOutcome outcome = ProtectedCall(impl.L, GlobalNamesTrampoline, &call);
  impl.EndCall();
  if (!outcome.ok) {
    return Error{ErrorCode::kBudgetExceeded,
                 "cannot list the sandbox's globals: " + outcome.message,
                 {},
                 ""};
  }
  std::sort(readings.global_names.begin(), readings.global_names.end());
  std::sort(readings.global_fields.begin(), readings.global_fields.end());
  return readings;
}

Result<std::vector<Finding>> PolicyRuntime::RunCheck(size_t index, const PolicyInfo& info,
                                                     const Document& state, Date as_of) {
  std::vector<Finding> findings;
  Impl& impl = *impl_;
  CheckCall call{impl.references[index], &info, as_of};
  CallOutcome outcome = impl.Run(&state, CheckTrampoline, &call, [&] {
    findings.clear();
    impl.host.findings = &findings;
    impl.host.default_severity = info.severity;
    impl.host.rule_id = info.id.c_str();
  });
  if (std::optional<Error> failure = impl.Failure(outcome, info)) return *failure;
  return findings;
}

Result<std::vector<Alert>> PolicyRuntime::RunAlerts(size_t index, const PolicyInfo& info,
                                                    const Document& state, Date as_of,
                                                    Date horizon) {
  std::vector<Alert> alerts;
  Impl& impl = *impl_;
  AlertsCall call{impl.references[index], &info, as_of, horizon};
  CallOutcome outcome = impl.Run(&state, AlertsTrampoline, &call, [&] {
    alerts.clear();
    impl.host.alerts = &alerts;
    impl.host.default_severity = info.severity;
    impl.host.rule_id = info.id.c_str();
  });
  if (std::optional<Error> failure = impl.Failure(outcome, info)) return *failure;
  return alerts;
}

Result<std::optional<RuleDecision>> PolicyRuntime::RunDecide(size_t index, const PolicyInfo& info,
                                                             const ResolvedRequest& request,
                                                             const Document& state, Date as_of) {
  Impl& impl = *impl_;
  DecideCall call{impl.references[index], &info, &request, as_of, std::nullopt};
  CallOutcome outcome = impl.Run(&state, DecideTrampoline, &call, [&] { call.decision.reset(); });
  if (std::optional<Error> failure = impl.Failure(outcome, info)) return *failure;
  return std::move(call.decision);
}

Result<std::vector<JsonPatchOperation>> PolicyRuntime::RunEffect(size_t index,
                                                                 const ResolvedRequest& request,
                                                                 const Document& state,
                                                                 Date as_of) {
  Impl& impl = *impl_;
  const EffectInfo& info = impl.effects[index];
  std::vector<JsonPatchOperation> patch;
  EffectCall call{impl.effect_references[index], &info, &request, as_of, &patch, ""};
  CallOutcome outcome = impl.Run(&state, EffectTrampoline, &call, [&] {
    patch.clear();
    call.problem.clear();
  });
  PolicyInfo named;
  named.id = info.action;
  named.file = info.file;
  if (std::optional<Error> failure = impl.Failure(outcome, named, "effect of " + info.action)) {
    return *failure;
  }
  return patch;
}

namespace lua {

// Pushes "file:line:" of the innermost policy line on the stack: level 1 may be a C function
// (pcall(string.find, ...)), which has no line.
void PushPolicyWhere(lua_State* L) {
  lua_Debug frame;
  for (int level = 1; lua_getstack(L, level, &frame) != 0; ++level) {
    if (lua_getinfo(L, "Sl", &frame) != 0 && frame.currentline > 0) {
      luaL_where(L, level);
      return;
    }
  }
  lua_pushliteral(L, "");
}

int StopPolicy(lua_State* L) {
  size_t length = 0;
  const char* message = lua_tolstring(L, -1, &length);
  RecordStop(Host(L), message, length);
  lua_sethook(L, Hook, LUA_MASKCOUNT, 1);  // raise again on the next instruction
  return lua_error(L);
}

void ChargeInstructions(lua_State* L, uint64_t instructions) {
  HostContext* host = Host(L);
  host->instructions_used += instructions;
  if (host->instructions_used <= host->instruction_limit) return;
  host->instructions_exceeded = true;
  PushPolicyWhere(L);
  lua_pushfstring(L, "instruction budget of %I instructions exceeded",
                  static_cast<lua_Integer>(host->instruction_limit));
  lua_concat(L, 2);
  StopPolicy(L);
}

}  // namespace lua

}  // namespace partnerpolicy
