// table.sort as the sandbox gives it: a stable merge sort, the same order in every process.
//
// Lua 5.4's table.sort is a quicksort whose pivot, on large unbalanced arrays, is chosen from
// clock() and time() (ltablib.c, l_randomizePivot): with a comparator that is not a strict order
// the result differs from run to run, and a decision that depends on it flips. A merge sort
// makes the same comparisons in the same order for the same input, whatever the comparator does,
// and its cost does not depend on luck: n * ceil(log2 n) comparisons at most, charged on the
// instruction budget before it starts (a comparator written in Lua is also counted as it runs).
// It is stable, which Lua's sort is not: elements that compare equal keep their order, so a
// policy's output never depends on how the sort breaks ties.
#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

// True when the value at `a` sorts before the value at `b`: the comparator at index 2, or `<`.
bool Before(lua_State* L, int a, int b, bool has_comparator) {
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  if (!has_comparator) return lua_compare(L, a, b, LUA_OPLT) != 0;
  lua_pushvalue(L, 2);
  lua_pushvalue(L, a);
  lua_pushvalue(L, b);
  lua_call(L, 2, 1);
  bool before = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return before;
}

// Merges the runs [low, middle) and [middle, high) of the list at `from` into `to` (1-based).
void Merge(lua_State* L, int from, int to, lua_Integer low, lua_Integer middle, lua_Integer high,
           bool has_comparator) {
  lua_Integer left = low;
  lua_Integer right = middle;
  for (lua_Integer out = low; out < high; ++out) {
    bool take_right = false;
    if (left < middle && right < high) {
      lua_rawgeti(L, from, right);
      lua_rawgeti(L, from, left);
      // Stable: the right element goes first only when strictly before the left one.
      take_right = Before(L, -2, -1, has_comparator);
      lua_pop(L, 2);
    } else {
      take_right = left >= middle;
    }
    lua_rawgeti(L, from, take_right ? right++ : left++);
    lua_rawseti(L, to, out);
  }
}

// table.sort(list, comparator?)
int StableSort(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = luaL_len(L, 1);
  bool has_comparator = !lua_isnoneornil(L, 2);
  if (has_comparator) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  if (n < 2) return 0;
  // A __len can claim any length: beyond 2^40 the charge alone spends any budget (and the
  // doubling below could overflow), so it stops here.
  if (n > (lua_Integer{1} << 40)) ChargeInstructions(L, uint64_t{1} << 62);
  uint64_t rounds = 0;
  for (lua_Integer width = 1; width < n; width *= 2) ++rounds;
  ChargeInstructions(L, static_cast<uint64_t>(n) * (rounds + 1));
  // Two work lists of the values (not the list itself: its __index/__newindex, if any, are read
  // and written once each way, as Lua's sort reads and writes through them).
  lua_createtable(L, static_cast<int>(n < 1'000'000 ? n : 1'000'000), 0);  // 3
  lua_createtable(L, static_cast<int>(n < 1'000'000 ? n : 1'000'000), 0);  // 4
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, 1, i);
    lua_rawseti(L, 3, i);
  }
  int from = 3;
  int to = 4;
  for (lua_Integer width = 1; width < n; width *= 2) {
    for (lua_Integer low = 1; low <= n; low += 2 * width) {
      lua_Integer middle = low + width < n + 1 ? low + width : n + 1;
      lua_Integer high = low + 2 * width < n + 1 ? low + 2 * width : n + 1;
      Merge(L, from, to, low, middle, high, has_comparator);
    }
    int swap = from;
    from = to;
    to = swap;
  }
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, from, i);
    lua_seti(L, 1, i);
  }
  return 0;
}

}  // namespace

void PushStableSort(lua_State* L) { lua_pushcfunction(L, StableSort); }

}  // namespace partnerpolicy::lua
