// Bounded versions of the string functions whose work the instruction budget cannot see.
//
// Lua's pattern matcher (string.find, match, gmatch, gsub) runs in C: the count hook never fires
// inside it, and a pattern such as ".-.-.-.-b" backtracks through every way of splitting the
// subject (string.find(("a"):rep(200), ".-.-.-.-b") takes about 19 s under Lua 5.4.4). Rather
// than a second matcher, the sandbox bounds the work before the real matcher runs:
//
//   work = (n + 1) ^ (q + s) * 2 ^ o * i
//
// where n is the subject's length, q counts the pattern items that can scan the subject (the
// quantifiers *, +, - and the scanning items %b and back-references %1-%9), s is 1 when the
// match may start anywhere (no ^ anchor), o counts the ? quantifiers and i the pattern's items
// (at least 1). Each quantifier can take at most n + 1 lengths and each start position is tried
// once, and each such attempt compares at most i items, so this bounds the number of matching
// steps (it overestimates nested lazy patterns by about q!, never underestimates). The factor i
// matters for long literal patterns: finding 2 MB of 'a' followed by 'b' in 4 MB of 'a' compares
// about 2 MB at each of 4 million start positions.
// The bound is deterministic: the same pattern on the same subject is refused or allowed on
// every machine, whatever its speed. A call whose bound exceeds kPatternWorkLimit is refused
// with a message naming the pattern and the subject's length; an allowed call is charged its
// bound on the instruction budget (one step costs about as much as one VM instruction, ~5 ns
// measured for "a*b" on 10,000 bytes), so a loop of costly matches runs the budget out too.
// Plain finds (string.find with plain = true) are done here with glibc's memmem, whose two-way
// search is linear in n + m whatever the texts (Lua's own memchr-and-memcmp loop compares up to
// m bytes at each position), and charged n + m + 1, never refused.
//
// string.rep with an empty string and separator loops n times without allocating (n up to 2^63),
// which the memory budget cannot see: the sandbox's string.rep returns "" at once. Other large
// results (string.rep, table.concat, string.format whose widths Lua caps at 99) go through the
// allocator and are stopped by the memory budget.
#include <cstring>

#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

// About 0.1 s of the worst pattern on a 2020s CPU; ".-.-.-.-b" stays allowed up to ~20 bytes,
// "a*b" up to ~3,160 and "^%s*(.-)%s*$" up to ~187.
constexpr uint64_t kPatternWorkLimit = 20'000'000;
constexpr uint64_t kSaturated = uint64_t{1} << 62;

uint64_t Times(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : a * b;
}

// The end of the set starting at p[i] == '[', as lstrlib's classEnd: the first character after
// '[' or "[^" is part of the set even when it is ']'.
size_t SetEnd(const char* p, size_t length, size_t i) {
  ++i;  // past '['
  if (i < length && p[i] == '^') ++i;
  do {
    if (i >= length) return length;  // malformed: the real matcher reports it
    if (p[i++] == '%' && i < length) ++i;
  } while (i < length && p[i] != ']');
  return i + 1;
}

// The upper bound on matching steps described at the top of this file.
uint64_t PatternWork(const char* p, size_t length, size_t subject_length, bool may_anchor) {
  const uint64_t lengths = static_cast<uint64_t>(subject_length) + 1;
  size_t i = 0;
  uint64_t work = 1;
  uint64_t items = 0;
  if (may_anchor && length > 0 && p[0] == '^') {
    i = 1;
  } else {
    work = lengths;  // every start position
  }
  while (i < length) {
    char c = p[i];
    if (c == '(' || c == ')') {
      ++i;
      continue;
    }
    ++items;
    if (c == '%' && i + 1 < length) {
      char next = p[i + 1];
      if (next == 'b') {  // %bxy scans to the balancing character; no quantifier follows
        i += 4;
        work = Times(work, lengths);
        continue;
      }
      if (next == 'f') {  // %f[set]: a frontier, one comparison
        i += 2;
        if (i < length && p[i] == '[') i = SetEnd(p, length, i);
        continue;
      }
      if (next >= '0' && next <= '9') {  // a back-reference compares up to n bytes
        i += 2;
        work = Times(work, lengths);
        continue;
      }
      i += 2;
    } else if (c == '[') {
      i = SetEnd(p, length, i);
    } else {
      ++i;
    }
    if (i < length) {
      char quantifier = p[i];
      if (quantifier == '*' || quantifier == '+' || quantifier == '-') {
        work = Times(work, lengths);
        ++i;
      } else if (quantifier == '?') {
        work = Times(work, 2);
        ++i;
      }
    }
  }
  return Times(work, items > 0 ? items : 1);
}

// Calls the real function (upvalue 1) with the arguments as given. A malformed pattern is
// raised by the real function, whose caller is this C function: Lua would give it no file:line,
// so the policy's is added.
int CallReal(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  CallNamingPolicyLine(L, lua_gettop(L) - 1);
  return lua_gettop(L);
}

// string.find(s, p, init, true), as Lua 5.4's: init counts from the end when negative, a start
// past the end finds nothing, an empty pattern is found at init.
int PlainFind(lua_State* L, size_t subject_length, size_t pattern_length) {
  const char* subject = lua_tostring(L, 1);
  const char* pattern = lua_tostring(L, 2);
  lua_Integer init = luaL_optinteger(L, 3, 1);
  lua_Integer length = static_cast<lua_Integer>(subject_length);
  if (init > 0) {
    // as is
  } else if (init == 0) {
    init = 1;
  } else if (init < -length) {
    init = 1;
  } else {
    init = length + init + 1;
  }
  if (init > length + 1) {
    lua_pushnil(L);
    return 1;
  }
  size_t start = static_cast<size_t>(init - 1);
  const void* found = memmem(subject + start, subject_length - start, pattern, pattern_length);
  if (found == nullptr) {
    lua_pushnil(L);
    return 1;
  }
  lua_Integer at = static_cast<lua_Integer>(static_cast<const char*>(found) - subject) + 1;
  lua_pushinteger(L, at);
  lua_pushinteger(L, at + static_cast<lua_Integer>(pattern_length) - 1);
  return 2;
}

// Upvalue 1: the real function; upvalue 2: its name ("string.find").
// Checks (or refuses) the pattern at argument 2 against the subject at 1, then calls the real
// function. Its arguments are checked here first, so a bad one is named as Lua would name it.
int BoundedMatch(lua_State* L, bool may_anchor, bool may_be_plain, bool replaces) {
  size_t subject_length = 0;
  size_t pattern_length = 0;
  luaL_checklstring(L, 1, &subject_length);
  const char* pattern = luaL_checklstring(L, 2, &pattern_length);
  bool callback = false;
  if (replaces) {
    int type = lua_type(L, 3);
    luaL_argexpected(
        L,
        type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
        3, "string/function/table");
    luaL_optinteger(L, 4, 0);
    callback = type == LUA_TFUNCTION || type == LUA_TTABLE;
  } else {
    luaL_optinteger(L, 3, 0);
  }
  if (may_be_plain && lua_toboolean(L, 4)) {
    ChargeInstructions(L, static_cast<uint64_t>(subject_length) + pattern_length + 1);
    return PlainFind(L, subject_length, pattern_length);
  }
  uint64_t work = PatternWork(pattern, pattern_length, subject_length, may_anchor);
  if (work > kPatternWorkLimit) {
    PushPolicyWhere(L);
    lua_pushfstring(L, "%s: the pattern '", lua_tostring(L, lua_upvalueindex(2)));
    // A long pattern is shown by its start: the message must not copy megabytes.
    constexpr size_t kShown = 40;
    if (pattern_length > kShown) {
      lua_pushlstring(L, pattern, kShown);
      lua_pushfstring(L, "...' (%I bytes)", static_cast<lua_Integer>(pattern_length));
    } else {
      lua_pushlstring(L, pattern, pattern_length);
      lua_pushliteral(L, "'");
    }
    lua_pushfstring(L,
                    " is too costly for a subject of %I bytes (up to %I matching steps, the "
                    "limit is %I); match a shorter text or use a pp helper",
                    static_cast<lua_Integer>(subject_length), static_cast<lua_Integer>(work),
                    static_cast<lua_Integer>(kPatternWorkLimit));
    lua_concat(L, 5);
    return StopPolicy(L);
  }
  ChargeInstructions(L, work);
  if (!callback) return CallReal(L);
  int arguments = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  {
    // The replacement's own errors carry their line already.
    lua_call(L, arguments, LUA_MULTRET);
    return lua_gettop(L);
  }
}

int BoundedFind(lua_State* L) { return BoundedMatch(L, true, true, false); }
int BoundedPatternMatch(lua_State* L) { return BoundedMatch(L, true, false, false); }
// gmatch treats a leading '^' as an ordinary character (Lua 5.4).
int BoundedGmatch(lua_State* L) { return BoundedMatch(L, false, false, false); }
int BoundedGsub(lua_State* L) { return BoundedMatch(L, true, false, true); }

// string.rep as Lua 5.4.4's, except that an empty result returns at once (Lua's loop runs n
// times even then). Written out rather than wrapped so its errors name the policy's line.
int BoundedRep(lua_State* L) {
  size_t length = 0;
  size_t separator_length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char* separator = luaL_optlstring(L, 3, "", &separator_length);
  if (n <= 0 || length + separator_length == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  constexpr size_t kMaxSize = static_cast<size_t>(0x7fffffff);  // Lua's limit, below size_t's
  if (length + separator_length < length ||
      length + separator_length > kMaxSize / static_cast<size_t>(n)) {
    return luaL_error(L, "resulting string too large");
  }
  size_t total = static_cast<size_t>(n) * length + static_cast<size_t>(n - 1) * separator_length;
  luaL_Buffer buffer;
  char* out = luaL_buffinitsize(L, &buffer, total);
  if (separator_length == 0) {
    // Doubling copies: a few memcpy calls instead of n (('x'):rep(8e6) was 8 million calls).
    std::memcpy(out, text, length);
    for (size_t filled = length; filled < total;) {
      size_t chunk = filled < total - filled ? filled : total - filled;
      std::memcpy(out + filled, out, chunk);
      filled += chunk;
    }
  } else {
    char* next = out;
    for (lua_Integer i = 0; i < n; ++i) {
      std::memcpy(next, text, length);
      next += length;
      if (i + 1 < n) {
        std::memcpy(next, separator, separator_length);
        next += separator_length;
      }
    }
  }
  luaL_pushresultsize(&buffer, total);
  return 1;
}

}  // namespace

void BoundStringFunctions(lua_State* L, int string_lib) {
  struct Bounded {
    const char* name;
    const char* full_name;
    lua_CFunction function;
  };
  const Bounded kBounded[] = {{"find", "string.find", BoundedFind},
                              {"match", "string.match", BoundedPatternMatch},
                              {"gmatch", "string.gmatch", BoundedGmatch},
                              {"gsub", "string.gsub", BoundedGsub}};
  for (const Bounded& bounded : kBounded) {
    lua_getfield(L, string_lib, bounded.name);
    lua_pushstring(L, bounded.full_name);
    lua_pushcclosure(L, bounded.function, 2);
    lua_setfield(L, string_lib, bounded.name);
  }
  lua_pushcfunction(L, BoundedRep);
  lua_setfield(L, string_lib, "rep");
}

}  // namespace partnerpolicy::lua
