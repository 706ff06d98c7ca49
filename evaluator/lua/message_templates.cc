// pp.say: a message of the calling file's catalog (message_catalog.h), its fields filled in.
//
// Each chunk's catalog sits in the registry under the chunk's name ("@policies/x.lua"), so
// pp.say finds the catalog of whichever file the calling function was written in: a rule's own
// words for a rule, a library's for a library function. Rendering uses only the Lua API (a
// luaL_Buffer), so an error (a missing field, the memory budget) unwinds nothing of C++'s.
#include <cmath>

#include "runtime_internals.h"

namespace partnerpolicy::lua {
namespace {

inline constexpr const char* kCatalogsKey =
    "partnerpolicy.catalogs";  // chunk name -> {key -> text}

// Pushes the registry's table of catalogs, creating it on first use.
void PushCatalogs(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, kCatalogsKey) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kCatalogsKey);
}

// Adds the field `name` of the table at `fields` to the buffer: strings as they are, integers
// (and floats with an integer value) in decimal, other numbers as Lua's tostring writes them.
// The value is left on the stack below the buffer's own use, as luaL_Buffer requires.
void AddField(lua_State* L, luaL_Buffer* buffer, int fields, const char* key, const char* name,
              size_t length) {
  lua_pushlstring(L, name, length);
  int type = lua_gettable(L, fields);
  if (type == LUA_TSTRING) {
    luaL_addvalue(buffer);
    return;
  }
  if (type == LUA_TNUMBER) {
    // lua_numbertointeger only range-checks, so a float is whole when it equals its floor.
    lua_Number number = lua_tonumber(L, -1);
    lua_Integer whole = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
    bool integral = lua_isinteger(L, -1) ||
                    (number == std::floor(number) && lua_numbertointeger(number, &whole));
    lua_pop(L, 1);
    if (integral) {
      lua_pushfstring(L, "%I", static_cast<LUAI_UACINT>(whole));
    } else {
      lua_pushfstring(L, "%f", number);
    }
    luaL_addvalue(buffer);
    return;
  }
  luaL_error(L, "pp.say: message '%s' needs field '%s' (a string or a number), got %s", key,
             lua_pushlstring(L, name, length), lua_typename(L, type));
}

}  // namespace

int SayMessage(lua_State* L) {
  const char* key = luaL_checkstring(L, 1);
  int fields = 2;
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_newtable(L);
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
  }
  lua_Debug ar;
  const char* source = "?";
  if (lua_getstack(L, 1, &ar) != 0 && lua_getinfo(L, "S", &ar) != 0) source = ar.source;
  PushCatalogs(L);
  if (lua_getfield(L, -1, source) != LUA_TTABLE) {
    return luaL_error(L, "pp.say: %s has no message catalog (a file %s beside it)",
                      source[0] == '@' ? source + 1 : source, kCatalogSuffix.data());
  }
  if (lua_getfield(L, -1, key) != LUA_TSTRING) {
    return luaL_error(L, "pp.say: no message '%s' in the catalog of %s", key,
                      source[0] == '@' ? source + 1 : source);
  }
  size_t size = 0;
  const char* text = lua_tolstring(L, -1, &size);  // held by the catalog table below
  luaL_Buffer buffer;
  luaL_buffinit(L, &buffer);
  // The catalog checked the braces when it loaded: "{{", "}}" or "{name}".
  size_t start = 0;
  for (size_t i = 0; i < size;) {
    char c = text[i];
    if (c != '{' && c != '}') {
      ++i;
      continue;
    }
    luaL_addlstring(&buffer, text + start, i - start);
    if (i + 1 < size && text[i + 1] == c) {
      luaL_addchar(&buffer, c);
      i += 2;
    } else {
      size_t close = i + 1;
      while (close < size && text[close] != '}') ++close;
      AddField(L, &buffer, fields, key, text + i + 1, close - i - 1);
      i = close + 1;
    }
    start = i;
  }
  if (start < size) luaL_addlstring(&buffer, text + start, size - start);
  luaL_pushresult(&buffer);
  return 1;
}

void RegisterCatalog(lua_State* L, const PolicyText& text) {
  if (text.messages == nullptr) return;
  PushCatalogs(L);
  lua_createtable(L, 0, static_cast<int>(text.messages->messages.size()));
  for (const CatalogMessage& message : text.messages->messages) {
    lua_pushlstring(L, message.text.data(), message.text.size());
    lua_setfield(L, -2, message.key.c_str());
  }
  lua_pushfstring(L, "@%s", text.display_path.c_str());
  lua_insert(L, -2);
  lua_settable(L, -3);
  lua_pop(L, 1);
}

}  // namespace partnerpolicy::lua
