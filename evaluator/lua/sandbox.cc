// The read-only base environment every policy and library runs in: the safe subset of Lua's
// standard library, bounded string functions, ordered iteration, read-only tables and an
// environment per chunk that refuses undefined globals.
#include <cstring>

#include "runtime_internals.h"

namespace partnerpolicy::lua {

namespace {

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
}  // namespace

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
namespace {

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
}  // namespace

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
  ChargeBuiltins(L, string_lib, table_lib, utf8_lib);

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
  const char* const kSafe[] = {"assert",   "error",  "ipairs", "select",       "tonumber", "type",
                               "rawequal", "rawlen", "rawget", "getmetatable", "_VERSION"};
  for (const char* name : kSafe) {
    lua_getfield(L, real_globals, name);
    lua_setfield(L, base, name);
  }
  GuardBaseFunctions(L, base, real_globals);
  // pairs and next in a defined order: Lua's hash order differs between processes.
  lua::PushOrderedPairs(L);
  lua_setfield(L, base, "pairs");
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
  lua_pushcfunction(L, SayMessage);
  lua_setfield(L, -2, "say");
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

}  // namespace partnerpolicy::lua
