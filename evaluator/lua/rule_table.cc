// Loading: a policy chunk runs in its own environment and returns its rule table, whose
// metadata (id, title, severity, source, params, constrains, no_say, informs, check, alerts,
// decide) is read and checked here; helper libraries load as lib.<name>.
#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <tuple>

#include "partnerpolicy/governs_matrix.h"
#include "runtime_internals.h"

namespace partnerpolicy::lua {

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
namespace {

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
}  // namespace

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
namespace {

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
}  // namespace

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
  RegisterCatalog(L, text);
  lua_newtable(L);  // the chunk's _ENV
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvMetaKey);
  lua_setmetatable(L, -2);
  lua_setupvalue(L, -2, 1);
}

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
  // Title and description come from the rule table or from the file's message catalog, never
  // both: the words of a rule live once.
  const MessageCatalog* catalog = text.messages.get();
  for (auto [field, from_catalog, target] :
       {std::tuple{"title", catalog != nullptr ? &catalog->title : nullptr, &info.title},
        std::tuple{"description", catalog != nullptr ? &catalog->description : nullptr,
                   &info.description}}) {
    if (from_catalog != nullptr && !from_catalog->empty()) {
      if (lua_getfield(L, rule, field) != LUA_TNIL) {
        AddProblemF(L, call, field, "", "'%s' is given twice: here and in %s (keep one)", field,
                    catalog->file.c_str());
      }
      lua_pop(L, 1);
      *target = *from_catalog;
    } else if (const char* value = MetadataString(L, call, rule, field, nullptr, &length)) {
      target->assign(value, length);
    }
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

}  // namespace partnerpolicy::lua
