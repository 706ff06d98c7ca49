// The standard functions that do work the count hook cannot see, charged by that work.
//
// The count hook sees VM instructions; a C function is one instruction however long it runs.
// table.move({}, 1, 1e15, 2) loops 10^15 times in C without allocating anything. The sandbox
// charges such functions on the instruction budget before they run, by the number of elements
// or bytes they will walk (docs/policy-api.md, "What work costs", has the table):
//
//   table.move(a, f, e, t)       e - f + 1            table.concat(t, sep, i, j)   j - i + 1
//   table.insert(t, pos, v)      #t                   table.remove(t, pos)         #t
//   table.unpack(t, i, j)        j - i + 1            string.byte(s, i, j)         j - i + 1
//   utf8.len, codepoint, offset  #s                   string.format(...)           the format's
//                                                                                  length
//
// Work that builds a string or a table is charged by the allocator instead (budget.cc: one
// instruction per 8 bytes allocated), which covers string.upper, lower, reverse, sub, rep,
// format's result, `..` and table.concat's result. The pattern functions have their own bound
// (bounded_strings.cc), table.sort its merge sort (stable_sort.cc), pairs and next theirs
// (ordered_iteration.cc).
//
// string.format is also kept from showing addresses: %p is refused, and %s of a table, function
// or other reference value gives its type name (as the sandbox's tostring does), so nothing that
// differs between processes reaches a decision.
#include <cstring>

#include "runtime_internals.h"

namespace partnerpolicy::lua {
namespace {

enum class Charge : int {
  kMove,        // table.move(a1, f, e, t, a2?)
  kRange2And3,  // table.concat(list, sep, i, j): i at 3, j at 4 (default #list)
  kLength1,     // table.insert, table.remove: #t
  kUnpack,      // table.unpack(list, i, j)
  kByte,        // string.byte(s, i, j)
  kBytes1,      // utf8.*: #s
};

uint64_t Span(lua_Integer first, lua_Integer last) {
  if (last < first) return 0;
  // last - first + 1 may overflow lua_Integer; in unsigned arithmetic it cannot.
  return static_cast<uint64_t>(last) - static_cast<uint64_t>(first) + 1;
}

// Length of the table (or string) at `index` without calling policy code: rawlen.
lua_Integer RawLength(lua_State* L, int index) {
  return static_cast<lua_Integer>(lua_rawlen(L, index));
}

uint64_t WorkOf(lua_State* L, Charge charge) {
  switch (charge) {
    case Charge::kMove:
      return Span(luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, 0));
    case Charge::kRange2And3:
      return Span(luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, RawLength(L, 1)));
    case Charge::kLength1:
      return static_cast<uint64_t>(RawLength(L, 1)) + 1;
    case Charge::kUnpack:
      return Span(luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, RawLength(L, 1)));
    case Charge::kByte: {
      lua_Integer first = luaL_optinteger(L, 2, 1);
      uint64_t span = Span(first, luaL_optinteger(L, 3, first));
      uint64_t length = lua_rawlen(L, 1);
      return span < length ? span + 1 : length + 1;
    }
    case Charge::kBytes1:
      return lua_rawlen(L, 1) + 1;
  }
  return 1;
}

// Upvalue 1: the real function; upvalue 2: its Charge. Charges, then calls it with the same
// arguments; its errors keep Lua's own wording.
int Charged(lua_State* L) {
  auto charge = static_cast<Charge>(lua_tointeger(L, lua_upvalueindex(2)));
  ChargeInstructions(L, WorkOf(L, charge));
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  CallNamingPolicyLine(L, lua_gettop(L) - 1);
  return lua_gettop(L);
}

// string.format(format, ...): %p refused; %s of a reference value is its type name (or its
// __tostring). Upvalue 1: the real string.format.
int AddressFreeFormat(lua_State* L) {
  size_t length = 0;
  const char* format = luaL_checklstring(L, 1, &length);
  ChargeInstructions(L, length + 1);
  int argument = 1;
  for (size_t i = 0; i < length; ++i) {
    if (format[i] != '%') continue;
    if (++i < length && format[i] == '%') continue;
    while (i < length && std::strchr("-+ #0123456789.", format[i]) != nullptr) ++i;
    if (i >= length) break;  // the real format reports the malformed end
    ++argument;
    if (format[i] == 'p') {
      return luaL_error(L,
                        "string.format: '%%p' shows an address, which differs between "
                        "processes; policies cannot use it");
    }
    if (format[i] == 's' && argument <= lua_gettop(L)) {
      int type = lua_type(L, argument);
      if (type == LUA_TTABLE || type == LUA_TFUNCTION || type == LUA_TUSERDATA ||
          type == LUA_TTHREAD || type == LUA_TLIGHTUSERDATA) {
        lua_pushcfunction(L, SafeToString);
        lua_pushvalue(L, argument);
        lua_call(L, 1, 1);
        lua_replace(L, argument);
      }
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  CallNamingPolicyLine(L, lua_gettop(L) - 1);
  return lua_gettop(L);
}

void Wrap(lua_State* L, int library, const char* name, Charge charge) {
  lua_getfield(L, library, name);
  lua_pushinteger(L, static_cast<lua_Integer>(charge));
  lua_pushcclosure(L, Charged, 2);
  lua_setfield(L, library, name);
}

}  // namespace

void ChargeBuiltins(lua_State* L, int string_lib, int table_lib, int utf8_lib) {
  Wrap(L, table_lib, "move", Charge::kMove);
  Wrap(L, table_lib, "concat", Charge::kRange2And3);
  Wrap(L, table_lib, "insert", Charge::kLength1);
  Wrap(L, table_lib, "remove", Charge::kLength1);
  Wrap(L, table_lib, "unpack", Charge::kUnpack);
  Wrap(L, string_lib, "byte", Charge::kByte);
  for (const char* name : {"len", "codepoint", "offset"}) Wrap(L, utf8_lib, name, Charge::kBytes1);
  lua_getfield(L, string_lib, "format");
  lua_pushcclosure(L, AddressFreeFormat, 1);
  lua_setfield(L, string_lib, "format");
  PushStableSort(L);
  lua_setfield(L, table_lib, "sort");
}

}  // namespace partnerpolicy::lua
