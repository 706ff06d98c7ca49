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
// Cost: pairs copies the keys and sorts them in C (std::sort over a plain array of the keys,
// kept in memory the Lua state owns, so the memory budget sees it and an error frees it), and is
// charged 3 n (1 + ceil(log2 n)) instructions for n keys. next(t, k) keeps the sorted keys of
// the last table it walked (one per call into a policy) and finds the key after k by binary
// search: a walk by next costs one sort and then 4 log2 n per step. The keys are taken when a walk
// starts (next(t, nil)) or when next is given another table; keys added to a table during a walk
// are not seen by that walk (Lua leaves that case undefined), so the result stays the same in
// every process.
#include <algorithm>
#include <cstring>

#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

// The registry key (its address) of next's cache of sorted keys.
const char kNextCacheKey = 0;

// Instructions per key and sorting round, and per step of next's search: measured so that a
// loop of pairs or next spends the default budget in about as long as a loop of plain
// instructions does (~1 s on this project's 2-core machine with 200,000 keys).
constexpr uint64_t kSortWeight = 3;
constexpr uint64_t kStepWeight = 4;

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

// One key, as std::sort compares it: no Lua call, so nothing can raise during the sort.
struct SortKey {
  int rank;
  bool integer;
  lua_Integer whole;
  lua_Number number;
  const char* text;  // a string key, anchored by the key list
  size_t length;
  int slot;  // its position in the key list
};

bool SortKeyBefore(const SortKey& a, const SortKey& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  if (a.rank == 0) {
    if (a.integer && b.integer) return a.whole < b.whole;
    // long double holds every 64-bit integer exactly; table keys are never NaN.
    long double x = a.integer ? static_cast<long double>(a.whole) : a.number;
    long double y = b.integer ? static_cast<long double>(b.whole) : b.number;
    return x < y;
  }
  if (a.rank == 1) {
    int order = std::memcmp(a.text, b.text, std::min(a.length, b.length));
    return order != 0 ? order < 0 : a.length < b.length;
  }
  return a.whole < b.whole;  // booleans: false (0) before true (1)
}

// Replaces the key list on top (1..n) by a new list of the same keys in the defined order.
void SortKeyList(lua_State* L, lua_Integer count) {
  int keys = lua_gettop(L);
  auto* entries =
      static_cast<SortKey*>(lua_newuserdatauv(L, sizeof(SortKey) * static_cast<size_t>(count), 0));
  for (lua_Integer i = 1; i <= count; ++i) {
    lua_rawgeti(L, keys, i);
    SortKey& entry = entries[i - 1];
    entry = SortKey{KeyRank(lua_type(L, -1)), false, 0, 0, nullptr, 0, static_cast<int>(i)};
    if (entry.rank == 0) {
      entry.integer = lua_isinteger(L, -1) != 0;
      entry.whole = entry.integer ? lua_tointeger(L, -1) : 0;
      entry.number = entry.integer ? 0 : lua_tonumber(L, -1);
    } else if (entry.rank == 1) {
      entry.text = lua_tolstring(L, -1, &entry.length);
    } else {
      entry.whole = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
  }
  std::sort(entries, entries + count, SortKeyBefore);
  lua_createtable(L, static_cast<int>(count), 0);
  for (lua_Integer i = 1; i <= count; ++i) {
    lua_rawgeti(L, keys, entries[i - 1].slot);
    lua_rawseti(L, -2, i);
  }
  lua_replace(L, keys);
  lua_pop(L, 1);  // the entries
}

// Pushes the keys of the table at `table` as a list in the defined order, charged; raises for a
// key without a defined order. Returns their number.
lua_Integer PushSortedKeys(lua_State* L, int table, const char* function_name) {
  table = lua_absindex(L, table);
  lua_newtable(L);
  int keys = lua_gettop(L);
  lua_Integer count = 0;
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    lua_pop(L, 1);
    CheckOrderedKey(L, -1, function_name);
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++count);
  }
  uint64_t rounds = 1;
  for (lua_Integer width = 1; width < count; width *= 2) ++rounds;
  ChargeInstructions(L, kSortWeight * static_cast<uint64_t>(count) * rounds);
  if (count > 1) SortKeyList(L, count);
  return count;
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
// The registry's next cache is {table, generation, sorted keys, count}.
int OrderedNext(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  bool from_start = lua_isnil(L, 2);
  if (!from_start) CheckOrderedKey(L, 2, "next");
  lua_Integer generation = static_cast<lua_Integer>(Host(L)->generation);
  bool cached = false;
  if (!from_start && lua_rawgetp(L, LUA_REGISTRYINDEX, &kNextCacheKey) == LUA_TTABLE) {
    lua_rawgeti(L, 3, 1);
    lua_rawgeti(L, 3, 2);
    cached = lua_rawequal(L, -2, 1) && lua_tointeger(L, -1) == generation;
    lua_pop(L, 2);
  }
  if (!cached) {
    lua_settop(L, 2);
    lua_createtable(L, 4, 0);  // 3: the new cache
    lua_Integer count = PushSortedKeys(L, 1, "next");
    lua_rawseti(L, 3, 3);
    lua_pushvalue(L, 1);
    lua_rawseti(L, 3, 1);
    lua_pushinteger(L, generation);
    lua_rawseti(L, 3, 2);
    lua_pushinteger(L, count);
    lua_rawseti(L, 3, 4);
    lua_pushvalue(L, 3);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kNextCacheKey);
  }
  lua_rawgeti(L, 3, 3);  // 4: the sorted keys
  lua_rawgeti(L, 3, 4);
  lua_Integer count = lua_tointeger(L, -1);
  lua_pop(L, 1);
  // The first position whose key comes after k: binary search, log2 n comparisons.
  lua_Integer low = 1;
  lua_Integer high = count + 1;
  uint64_t steps = 1;
  if (!from_start) {
    while (low < high) {
      lua_Integer middle = low + (high - low) / 2;
      lua_rawgeti(L, 4, middle);
      bool after = KeyBefore(L, 2, -1);
      lua_pop(L, 1);
      if (after) {
        high = middle;
      } else {
        low = middle + 1;
      }
      ++steps;
    }
  }
  // Keys whose value was set to nil during the walk are skipped, as Lua's next skips them.
  for (; low <= count; ++low, ++steps) {
    lua_rawgeti(L, 4, low);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 1) != LUA_TNIL) {
      ChargeInstructions(L, kStepWeight * steps);
      return 2;
    }
    lua_pop(L, 2);
  }
  ChargeInstructions(L, kStepWeight * steps);
  lua_pushnil(L);
  return 1;
}

}  // namespace

int PushOrderedIteration(lua_State* L, int table) {
  table = lua_absindex(L, table);
  PushSortedKeys(L, table, "pairs");
  lua_pushinteger(L, 0);
  lua_pushvalue(L, table);
  lua_pushcclosure(L, OrderedStep, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

void PushOrderedPairs(lua_State* L) { lua_pushcfunction(L, OrderedPairs); }

void PushOrderedNext(lua_State* L) { lua_pushcfunction(L, OrderedNext); }

void ForgetNextCache(lua_State* L) {
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kNextCacheKey);  // a nil value never allocates
}

}  // namespace partnerpolicy::lua
