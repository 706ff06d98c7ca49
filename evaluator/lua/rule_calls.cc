// The bridge for each call into a loaded policy or effect: check (ctx.report), alerts
// (ctx.alert), decide (the request in, the verdict out) and effects (the request in, JSON Patch
// operations out). Each trampoline does all of its Lua work, reading results included.
#include <algorithm>
#include <cstring>

#include "runtime_internals.h"

namespace partnerpolicy::lua {

namespace {

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
  lua::ChargeCopyOut(L, fields.message_length, function_name, "the message");
  lua::ChargeCopyOut(L, fields.remedy_length, function_name, "the remedy");
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
}  // namespace

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
namespace {

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
}  // namespace

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
namespace {

// Reads result facts (table at index) into decision->facts, sorted by name.
void ReadFacts(lua_State* L, int index, RuleDecision* decision, const char* file) {
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "%s: fact names must be strings", file);
    size_t name_length = 0;
    size_t value_length = 0;
    lua_tolstring(L, -2, &name_length);
    if (lua_type(L, -1) == LUA_TSTRING) lua_tolstring(L, -1, &value_length);
    lua::ChargeCopyOut(L, name_length + value_length, file, "a fact");
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
}  // namespace

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
  lua::ChargeCopyOut(L, length, file, "the message");
  decision.message.assign(message, length);
  const char* remedy = OptionalStringField(L, result, "remedy", &length, file);
  if (remedy != nullptr) {
    lua::ChargeCopyOut(L, length, file, "the remedy");
    decision.remedy.assign(remedy, length);
  }
  if (decision.verdict == Verdict::kDeny && decision.remedy.empty()) {
    return luaL_error(L, "%s: a denial must say what would allow the action (remedy)", file);
  }
  if (lua_getfield(L, result, "facts") == LUA_TTABLE) {
    ReadFacts(L, lua_gettop(L), &decision, file);
  }
  return 0;
}

namespace {

// Records one effect (a helper: the C++ work ends before the trampoline calls Lua again).
void AddEffect(EffectsLoadCall* call, const char* action, int line, int reference) {
  call->effects->push_back(EffectInfo{action, call->text->display_path, line});
  call->references->push_back(reference);
}
}  // namespace

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
namespace {

// Reads the result into the call (a helper, so the strings are gone before Lua raises).
bool ReadEffectResult(lua_State* L, int result, EffectCall* call) {
  std::string problem = lua::ReadPatch(L, result, call->patch);
  if (problem.empty()) return true;
  // At the effect's own line; the caller's error says "effect of ACTION failed: ".
  call->problem = call->info->file + ":" + std::to_string(call->info->line) + ": " + problem;
  return false;
}
}  // namespace

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
namespace {}  // namespace

}  // namespace partnerpolicy::lua
