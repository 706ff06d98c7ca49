// Every entry into Lua is a protected call through a C trampoline (as lua.c's docall), and what
// its error text says: "file:line: message" taken apart into an Error.
#include "runtime_internals.h"

namespace partnerpolicy::lua {

namespace {

// error("") says nothing; a report must still say something (found by fuzz_policy_load).
constexpr const char* kEmptyMessage = "error() called with an empty message";

}  // namespace

namespace {

// ---------------------------------------------------------------------------------------------
// Protected calls

int MessageHandler(lua_State* L) {
  if (lua_tostring(L, 1) != nullptr) {
    lua_pushvalue(L, 1);
  } else if (!(luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)) {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  // The message stays a Lua string: it may hold NUL bytes, where luaL_traceback's C string
  // would cut it (found by fuzz_policy_load).
  lua_pushliteral(L, "\n");
  luaL_traceback(L, L, nullptr, 1);
  lua_concat(L, 3);
  return 1;
}
}  // namespace

// Calls the C function `trampoline` with one light userdata argument, protected.
CallOutcome ProtectedCall(lua_State* L, lua_CFunction trampoline, void* call) {
  int top = lua_gettop(L);
  lua_pushcfunction(L, MessageHandler);
  lua_pushcfunction(L, trampoline);
  lua_pushlightuserdata(L, call);
  int status = lua_pcall(L, 1, 0, top + 1);
  CallOutcome outcome;
  if (status != LUA_OK) {
    outcome.ok = false;
    size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    std::string all = text != nullptr        ? std::string(text, length)
                      : status == LUA_ERRMEM ? "not enough memory"
                                             : "unknown Lua error";
    if (status == LUA_ERRMEM) all = "not enough memory";
    size_t split = all.find("\nstack traceback:");
    outcome.message = all.substr(0, split);
    if (split != std::string::npos) outcome.traceback = all.substr(split + 1);
  }
  lua_settop(L, top);
  return outcome;
}

// Splits "policies/x.lua:12: message" into a location and the message.
Error LuaError(ErrorCode code, const CallOutcome& outcome) {
  Error error{code, outcome.message, {}, outcome.traceback};
  const std::string& m = outcome.message;
  size_t first = m.find(':');
  if (first != std::string::npos && first > 0) {
    size_t second = m.find(':', first + 1);
    std::string_view digits = std::string_view(m).substr(first + 1, second - first - 1);
    bool numeric =
        second != std::string::npos && !digits.empty() &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && m.find(' ') > first) {
      error.where.file = m.substr(0, first);
      error.where.line = std::stoi(std::string(digits));
      error.message = m.substr(second + 1);
      if (!error.message.empty() && error.message.front() == ' ') error.message.erase(0, 1);
    }
  }
  if (error.message.empty()) error.message = kEmptyMessage;
  // A NUL byte would end the message wherever it is read as a C string: show it as \0.
  for (size_t at = error.message.find('\0'); at != std::string::npos;
       at = error.message.find('\0', at + 2)) {
    error.message.replace(at, 1, "\\0");
  }
  return error;
}

// Drops a leading "<path>: " from the message (policies often name their own file); what is
// left must still say something.
void DropFileName(Error& error, const std::string& path) {
  const std::string prefix = path + ": ";
  if (error.message.rfind(prefix, 0) == 0) error.message.erase(0, prefix.size());
  if (error.message.empty()) error.message = kEmptyMessage;
}

// Lua shortens a long chunk name to "...<its end>" in messages (LUA_IDSIZE); the error's file
// is then `path`, the name in full.
void RestoreFileName(Error& error, const std::string& path) {
  const std::string& file = error.where.file;
  if (file.rfind("...", 0) != 0) return;
  size_t tail = file.size() - 3;
  if (path.size() >= tail && path.compare(path.size() - tail, tail, file, 3, tail) == 0) {
    error.where.file = path;
  }
}

}  // namespace partnerpolicy::lua
