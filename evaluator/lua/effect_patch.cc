// Reading an effect's result: a Lua list of JSON Patch operations whose values become JSON text.
//
// Everything here runs inside a trampoline but may hold C++ objects (strings, vectors): it calls
// only Lua functions that cannot raise (lua_next on keys it got from lua_next, lua_rawgeti,
// lua_rawlen, type queries, lua_tolstring on strings, which converts nothing), so no longjmp can
// skip a destructor. Problems are returned as text; the trampoline raises them afterwards.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

// Deeper values are refused: the state nests five levels, and a table that contains itself
// must not recurse forever.
constexpr int kMaxDepth = 32;

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          *out += escaped;
        } else {
          out->push_back(static_cast<char>(c));  // UTF-8 is checked when the state reloads
        }
    }
  }
  out->push_back('"');
}

// The shortest text that reads back as `value` (finite).
void AppendNumber(double value, std::string* out) {
  char text[32];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  *out += text;
}

// The JSON of a state node (the state is the one the effect ran on).
void AppendNode(const Document& doc, NodeId node, std::string* out) {
  switch (doc.kind(node)) {
    case NodeKind::kNull:
      *out += "null";
      return;
    case NodeKind::kBool:
      *out += doc.boolean(node) ? "true" : "false";
      return;
    case NodeKind::kInteger:
      *out += std::to_string(doc.integer(node));
      return;
    case NodeKind::kFloat:
      AppendNumber(doc.number(node), out);
      return;
    case NodeKind::kString:
      AppendJsonString(doc.string(node), out);
      return;
    case NodeKind::kArray:
    case NodeKind::kObject: {
      bool object = doc.kind(node) == NodeKind::kObject;
      out->push_back(object ? '{' : '[');
      for (uint32_t i = 0; i < doc.size(node); ++i) {
        if (i > 0) out->push_back(',');
        NodeId child = doc.child(node, i);
        if (object) {
          AppendJsonString(doc.key(child), out);
          out->push_back(':');
        }
        AppendNode(doc, child, out);
      }
      out->push_back(object ? '}' : ']');
      return;
    }
  }
}

std::string_view StringAt(lua_State* L, int index) {
  size_t length = 0;
  const char* text = lua_tolstring(L, index, &length);
  return std::string_view(text, length);
}

// Appends the value at `index` as JSON; returns "" or the problem (`what` names the value).
std::string AppendValue(lua_State* L, int index, const std::string& what, int depth,
                        std::string* out);

std::string AppendTable(lua_State* L, int table, const std::string& what, int depth,
                        std::string* out) {
  if (depth > kMaxDepth)
    return what + " nests tables more than " + std::to_string(kMaxDepth) + " deep";
  if (lua_getmetatable(L, table) != 0) {
    lua_pop(L, 1);
    return what +
           " is a table with a metatable (a library's read-only table?); build a plain "
           "table";
  }
  if (!lua_checkstack(L, 4)) return what + ": out of Lua stack";
  // Count the entries and sort out the keys: 1..n (a list) or strings (a record).
  size_t entries = 0;
  bool only_strings = true;
  std::vector<std::string_view> keys;  // views of strings the table keeps
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    ++entries;
    if (lua_type(L, -2) == LUA_TSTRING) {
      keys.push_back(StringAt(L, -2));
    } else {
      only_strings = false;
    }
    lua_pop(L, 1);
  }
  const size_t length = lua_rawlen(L, table);
  if (entries == 0) {
    *out += "[]";
    return "";
  }
  if (keys.empty() && entries == length) {
    out->push_back('[');
    for (size_t i = 1; i <= length; ++i) {
      if (i > 1) out->push_back(',');
      lua_rawgeti(L, table, static_cast<lua_Integer>(i));
      std::string problem =
          AppendValue(L, lua_gettop(L), what + "[" + std::to_string(i) + "]", depth + 1, out);
      lua_pop(L, 1);
      if (!problem.empty()) return problem;
    }
    out->push_back(']');
    return "";
  }
  if (!only_strings) {
    return what +
           " mixes kinds of keys: a table must be a list (keys 1 to n) or a record "
           "(string keys)";
  }
  // Record: "id" first (as every entity of the state begins), then by bytes.
  std::sort(keys.begin(), keys.end(), [](std::string_view a, std::string_view b) {
    if ((a == "id") != (b == "id")) return a == "id";
    return a < b;
  });
  out->push_back('{');
  for (size_t k = 0; k < keys.size(); ++k) {
    if (k > 0) out->push_back(',');
    AppendJsonString(keys[k], out);
    out->push_back(':');
    // The value of keys[k]: found again by walking the table (records are small), so that no
    // key has to be pushed, which could allocate and so raise.
    lua_pushnil(L);
    while (lua_next(L, table) != 0) {
      if (lua_type(L, -2) == LUA_TSTRING && StringAt(L, -2).data() == keys[k].data()) break;
      lua_pop(L, 1);
    }
    std::string problem =
        AppendValue(L, lua_gettop(L), what + "." + std::string(keys[k]), depth + 1, out);
    lua_pop(L, 2);  // the value and the key: the walk stops here
    if (!problem.empty()) return problem;
  }
  out->push_back('}');
  return "";
}

std::string AppendValue(lua_State* L, int index, const std::string& what, int depth,
                        std::string* out) {
  switch (lua_type(L, index)) {
    case LUA_TBOOLEAN:
      *out += lua_toboolean(L, index) ? "true" : "false";
      return "";
    case LUA_TNUMBER:
      if (lua_isinteger(L, index)) {
        *out += std::to_string(static_cast<long long>(lua_tointeger(L, index)));
        return "";
      }
      if (!std::isfinite(lua_tonumber(L, index))) {
        return what + " is not a finite number";
      }
      AppendNumber(lua_tonumber(L, index), out);
      return "";
    case LUA_TSTRING:
      AppendJsonString(StringAt(L, index), out);
      return "";
    case LUA_TTABLE:
      return AppendTable(L, index, what, depth, out);
    case LUA_TUSERDATA: {
      NodeId node = ToStateNode(L, index);
      if (node != kNoNode) {
        AppendNode(*Host(L)->state, node, out);
        return "";
      }
      break;
    }
    default:
      break;
  }
  return what + " is a " + luaL_typename(L, index) +
         ", which has no JSON form (use strings, numbers, booleans, tables or state values)";
}

// Reads one operation (a table at `index`) into `operation`; returns "" or the problem.
std::string ReadOperation(lua_State* L, int index, const std::string& what,
                          JsonPatchOperation* operation) {
  if (lua_type(L, index) != LUA_TTABLE || lua_getmetatable(L, index) != 0) {
    if (lua_type(L, index) == LUA_TTABLE) lua_pop(L, 1);
    return what + " must be a table { op = ..., path = ..., value = ... }, got " +
           luaL_typename(L, index);
  }
  bool has_value = false;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    std::string_view key = lua_type(L, -2) == LUA_TSTRING ? StringAt(L, -2) : std::string_view();
    if (key == "op" || key == "path") {
      if (lua_type(L, -1) != LUA_TSTRING) {
        std::string problem =
            what + ": '" + std::string(key) + "' must be a string, got " + luaL_typename(L, -1);
        lua_pop(L, 2);
        return problem;
      }
      (key == "op" ? operation->op : operation->path) = std::string(StringAt(L, -1));
    } else if (key == "value") {
      has_value = true;  // read below, once op and path are known to be right
    } else {
      std::string problem =
          what + ": unknown field " +
          (key.empty() ? std::string("(not a name)") : "'" + std::string(key) + "'") +
          " (an operation has op, path and value)";
      lua_pop(L, 2);
      return problem;
    }
    lua_pop(L, 1);
  }
  if (operation->op != "add" && operation->op != "replace" && operation->op != "remove") {
    return what + ": 'op' must be \"add\", \"replace\" or \"remove\"" +
           (operation->op.empty() ? std::string() : ", got \"" + operation->op + "\"");
  }
  if (operation->path.empty() || operation->path[0] != '/') {
    return what +
           ": 'path' must be a JSON pointer into the state, starting with '/' (build it "
           "with pp.pointer(node)), got \"" +
           operation->path + "\"";
  }
  if (operation->op == "remove") {
    return has_value ? what + ": a remove takes no 'value'" : "";
  }
  if (!has_value) return what + ": '" + operation->op + "' needs a 'value'";
  // The value: found again by walking the table, as AppendTable finds a record's values.
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && StringAt(L, -2) == "value") break;
    lua_pop(L, 1);
  }
  std::string problem = AppendValue(L, lua_gettop(L), what + ".value", 0, &operation->value);
  lua_pop(L, 2);
  return problem;
}

}  // namespace

std::string ReadPatch(lua_State* L, int index, std::vector<JsonPatchOperation>* patch) {
  if (lua_type(L, index) != LUA_TTABLE || lua_getmetatable(L, index) != 0) {
    if (lua_type(L, index) == LUA_TTABLE) lua_pop(L, 1);
    return std::string(
               "an effect must return a list of operations ({} when the action changes "
               "nothing recorded), got ") +
           luaL_typename(L, index);
  }
  if (!lua_checkstack(L, kMaxDepth * 4 + 8)) return "out of Lua stack";
  size_t entries = 0;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    ++entries;
    lua_pop(L, 1);
  }
  const size_t length = lua_rawlen(L, index);
  if (entries != length) {
    return "an effect must return a list of operations (keys 1 to n), not a record";
  }
  for (size_t i = 1; i <= length; ++i) {
    lua_rawgeti(L, index, static_cast<lua_Integer>(i));
    JsonPatchOperation operation;
    std::string problem =
        ReadOperation(L, lua_gettop(L), "operation " + std::to_string(i), &operation);
    lua_pop(L, 1);
    if (!problem.empty()) return problem;
    patch->push_back(std::move(operation));
  }
  return "";
}

}  // namespace partnerpolicy::lua
