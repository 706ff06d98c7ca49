// The base functions through which policy code could run after a stop or outside the budgets:
// pcall, xpcall and setmetatable, as the sandbox gives them.
//
// Lua runs some code with its hooks off, where neither budget can reach: an xpcall message
// handler called for an error raised inside the count hook (the hook itself runs with hooks off,
// and Lua calls the handler before unwinding), and every __gc finalizer (Lua turns hooks off
// around them, also at lua_close). A policy could hang the host there: `xpcall(error,
// function() while true do end end)` or `setmetatable({}, {__gc = function() while true do end
// end})`. So:
//   - pcall and xpcall re-raise a stop at once (a spent budget, a refused pattern, a memory
//     stop), so no policy code runs after it; a memory error is a stop too, with the line of the
//     pcall that saw it.
//   - xpcall calls its handler after unwinding, as an ordinary call under the budgets, and never
//     for a stop. The handler sees the error value; there is no traceback to take in the sandbox.
//   - setmetatable refuses __gc (finalizers would run with the hooks off) and __mode (weak
//     tables make a result depend on when the collector runs, which differs between processes).
#include <cstring>

#include "runtime_internals.h"

namespace partnerpolicy::lua {
namespace {

// True when the running policy must stop: a stop is recorded or a budget is spent.
bool StopPending(const HostContext* host) {
  return !host->stop_message.empty() || host->instructions_exceeded || host->memory_exceeded;
}

// Raises the pending stop, naming the policy line running now when no stop message exists yet
// (a memory error raised inside Lua carries no position).
[[noreturn]] void RaiseStop(lua_State* L) {
  HostContext* host = Host(L);
  if (!host->stop_message.empty()) {
    lua_pushlstring(L, host->stop_message.data(), host->stop_message.size());
  } else {
    PushPolicyWhere(L);
    if (host->instructions_exceeded) {
      lua_pushfstring(L, "instruction budget of %I instructions exceeded",
                      static_cast<lua_Integer>(host->instruction_limit));
    } else {
      host->memory_exceeded = true;  // a failed allocation Lua reported as LUA_ERRMEM
      lua_pushfstring(L, "memory budget of %I bytes exceeded",
                      static_cast<lua_Integer>(host->memory_limit));
    }
    lua_concat(L, 2);
  }
  StopPolicy(L);
  __builtin_unreachable();
}

// pcall(f, ...): as Lua's, except that a stop passes through.
int FinalPcall(lua_State* L) {
  luaL_checkany(L, 1);
  int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  if (status == LUA_ERRMEM || StopPending(Host(L))) RaiseStop(L);
  lua_pushboolean(L, status == LUA_OK);
  lua_insert(L, 1);
  return lua_gettop(L);
}

// xpcall(f, handler, ...): f protected; on an error that is not a stop, handler(error) runs as
// an ordinary call and its results follow false.
int FinalXpcall(lua_State* L) {
  int arguments = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 1);  // f
  lua_rotate(L, 3, 1);  // f handler args... f -> f handler f args...
  int status = lua_pcall(L, arguments - 2, LUA_MULTRET, 0);
  if (status == LUA_ERRMEM || StopPending(Host(L))) RaiseStop(L);
  if (status == LUA_OK) {
    lua_pushboolean(L, 1);
    lua_replace(L, 1);  // true handler results...
    lua_remove(L, 2);
    return lua_gettop(L);
  }
  // Stack: f handler error -> false handler error; the handler's value becomes the error value,
  // as in Lua. The handler's own errors propagate as they are.
  lua_pushboolean(L, 0);
  lua_replace(L, 1);
  lua_call(L, 1, 1);
  return 2;
}

// setmetatable(t, mt): as Lua's, except that mt may not hold __gc or __mode.
int GuardedSetmetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    // Raw reads, as Lua's own check for a finalizer; no policy code runs here.
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) {
      return luaL_error(L,
                        "setmetatable: __gc finalizers are not available to policies (Lua runs "
                        "them outside the budgets)");
    }
    lua_pushliteral(L, "__mode");
    if (lua_rawget(L, 2) != LUA_TNIL) {
      return luaL_error(L,
                        "setmetatable: weak tables (__mode) are not available to policies (what "
                        "they hold depends on when the collector runs)");
    }
    lua_pop(L, 2);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  CallNamingPolicyLine(L, lua_gettop(L) - 1);
  return lua_gettop(L);
}

// True when `message` starts with a position, "file:line:" (Lua's own errors from policy code).
bool HasPosition(const char* message) {
  const char* colon = std::strchr(message, ':');
  if (colon == nullptr || colon == message) return false;
  for (const char* c = message; c < colon; ++c) {
    if (*c == ' ' || *c == '\n') return false;
  }
  const char* digit = colon + 1;
  if (*digit < '0' || *digit > '9') return false;
  while (*digit >= '0' && *digit <= '9') ++digit;
  return *digit == ':';
}

}  // namespace

void CallNamingPolicyLine(lua_State* L, int arguments) {
  int status = lua_pcall(L, arguments, LUA_MULTRET, 0);
  if (status == LUA_OK) return;
  if (status == LUA_ERRMEM || StopPending(Host(L))) RaiseStop(L);
  if (lua_type(L, -1) == LUA_TSTRING && !HasPosition(lua_tostring(L, -1))) {
    PushPolicyWhere(L);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  lua_error(L);
}

void GuardBaseFunctions(lua_State* L, int base, int real_globals) {
  lua_pushcfunction(L, FinalPcall);
  lua_setfield(L, base, "pcall");
  lua_pushcfunction(L, FinalXpcall);
  lua_setfield(L, base, "xpcall");
  lua_getfield(L, real_globals, "setmetatable");
  lua_pushcclosure(L, GuardedSetmetatable, 1);
  lua_setfield(L, base, "setmetatable");
}

}  // namespace partnerpolicy::lua
