// pairs and next in a defined order, so a policy's own tables iterate the same way in every
// process.
//
// Lua 5.4 seeds its string hash per process (luai_makeseed), so the raw order of `next` over a
// table with string keys differs from run to run, and with it any message or finding order a
// policy builds by pairs. The sandbox's pairs sorts the keys first: numbers ascending, then
// strings by their bytes (not strcoll: no locale), then false before true. Keys of other types
// (tables, functions, state values) have no order that does not depend on addresses, so pairs
// and next refuse them with an error. A table with a __pairs metamethod (the state view, the
// read-only libraries) keeps its own order.
//
// Cost: pairs copies and sorts the keys, O(n log n) time and O(n) memory per loop; next(t, k)
// scans the whole table for the smallest key after k, O(n) per call (a loop by next is O(n^2)).
// Both are charged on the instruction budget (one instruction per key visited), so the budget
// still bounds a policy's time.
#include <cstring>

#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

constexpr const char* kTableSortKey = "partnerpolicy.table_sort";

// Numbers first, then strings, then booleans; -1 for keys without a defined order.
int KeyRank(int type) {
  switch (type) {
    case LUA_TNUMBER:
      return 0;
    case LUA_TSTRING:
      return 1;
    case LUA_TBOOLEAN:
      return 2;
    default:
      return -1;
  }
}

// Raises unless the key at `index` has a defined order.
void CheckOrderedKey(lua_State* L, int index, const char* function_name) {
  if (KeyRank(lua_type(L, index)) < 0) {
    luaL_error(L,
               "%s: a table with %s keys has no defined iteration order (use numbers, strings "
               "or booleans as keys, or a list with ipairs)",
               function_name, luaL_typename(L, index));
  }
}

// True when key a comes before key b. REQUIRES: both have a rank.
bool KeyBefore(lua_State* L, int a, int b) {
  int rank_a = KeyRank(lua_type(L, a));
  int rank_b = KeyRank(lua_type(L, b));
  if (rank_a != rank_b) return rank_a < rank_b;
  switch (rank_a) {
    case 0:
      return lua_compare(L, a, b, LUA_OPLT) != 0;  // numbers: no metamethod involved
    case 1: {
      size_t length_a = 0;
      size_t length_b = 0;
      const char* text_a = lua_tolstring(L, a, &length_a);
      const char* text_b = lua_tolstring(L, b, &length_b);
      int order = std::memcmp(text_a, text_b, length_a < length_b ? length_a : length_b);
      return order != 0 ? order < 0 : length_a < length_b;
    }
    default:
      return !lua_toboolean(L, a) && lua_toboolean(L, b);
  }
}

// The comparator handed to table.sort.
int KeyLess(lua_State* L) {
  lua_pushboolean(L, KeyBefore(L, 1, 2));
  return 1;
}

// Upvalues: 1 the sorted keys, 2 the position reached, 3 the table. Keys whose value was set to
// nil during the loop are skipped, as next would.
int OrderedStep(lua_State* L) {
  lua_Integer position = lua_tointeger(L, lua_upvalueindex(2));
  for (;;) {
    ++position;
    if (lua_rawgeti(L, lua_upvalueindex(1), position) == LUA_TNIL) return 0;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(3)) != LUA_TNIL) {
      lua_pushinteger(L, position);
      lua_replace(L, lua_upvalueindex(2));
      return 2;
    }
    lua_pop(L, 2);
  }
}

int OrderedPairs(lua_State* L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  return PushOrderedIteration(L, 1);
}

// next(t, k): the first key after k (or the first key) in the defined order, and its value.
int OrderedNext(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  bool from_start = lua_isnil(L, 2);
  if (!from_start) CheckOrderedKey(L, 2, "next");
  lua_pushnil(L);  // 3: the best key so far
  lua_pushnil(L);  // 4: the key lua_next continues from
  uint64_t visited = 0;
  while (lua_next(L, 1) != 0) {
    ++visited;
    lua_pop(L, 1);  // the value
    CheckOrderedKey(L, 4, "next");
    if ((from_start || KeyBefore(L, 2, 4)) && (lua_isnil(L, 3) || KeyBefore(L, 4, 3))) {
      lua_pushvalue(L, 4);
      lua_replace(L, 3);
    }
  }
  ChargeInstructions(L, visited);
  if (lua_isnil(L, 3)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 3);
  lua_pushvalue(L, 3);
  lua_rawget(L, 1);
  return 2;
}

}  // namespace

int PushOrderedIteration(lua_State* L, int table) {
  table = lua_absindex(L, table);
  lua_newtable(L);  // the keys
  int keys = lua_gettop(L);
  lua_Integer count = 0;
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    lua_pop(L, 1);
    CheckOrderedKey(L, -1, "pairs");
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++count);
  }
  ChargeInstructions(L, static_cast<uint64_t>(count));
  if (count > 1) {
    lua_getfield(L, LUA_REGISTRYINDEX, kTableSortKey);
    lua_pushvalue(L, keys);
    lua_pushcfunction(L, KeyLess);
    lua_call(L, 2, 0);
  }
  lua_pushinteger(L, 0);
  lua_pushvalue(L, table);
  lua_pushcclosure(L, OrderedStep, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

void PushOrderedPairs(lua_State* L, int table_sort) {
  lua_pushvalue(L, table_sort);
  lua_setfield(L, LUA_REGISTRYINDEX, kTableSortKey);
  lua_pushcfunction(L, OrderedPairs);
}

void PushOrderedNext(lua_State* L) { lua_pushcfunction(L, OrderedNext); }

}  // namespace partnerpolicy::lua
