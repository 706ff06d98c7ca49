// Each policy and library text is compiled once per process. Compiling the bundled catalog's
// 200 KB of Lua takes about 5 ms, reading back its bytecode about a quarter of that, and a
// process makes a sandbox per state it checks (`check` over a directory of fixtures), so the
// compiler would otherwise dominate.
//
// Only bytecode this file dumped itself, from text the compiler accepted, is ever loaded: the
// sandbox's rule that no bytecode enters from outside still holds.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "lua_support.h"

namespace partnerpolicy::lua {
namespace {

// A process that loads endless distinct texts (the fuzzer) stops caching at this size.
constexpr size_t kMaxCachedBytes = 64u << 20;

struct CompiledChunks {
  std::mutex mutex;
  // Key: chunk name, NUL, text. The name is part of the bytecode (messages say file:line).
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bytecode;
  size_t bytes = 0;
};

CompiledChunks& Cache() {
  // Never destroyed: worker threads may still load chunks while the process exits.
  static CompiledChunks* cache = new CompiledChunks;
  return *cache;
}

int AppendBytecode(lua_State*, const void* bytes, size_t size, void* buffer) {
  static_cast<std::string*>(buffer)->append(static_cast<const char*>(bytes), size);
  return 0;
}

}  // namespace

int LoadChunk(lua_State* L, std::string_view text, const char* chunk_name) {
  std::string key(chunk_name);
  key.push_back('\0');
  key.append(text);
  CompiledChunks& cache = Cache();
  std::shared_ptr<const std::string> compiled;
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto found = cache.bytecode.find(key);
    if (found != cache.bytecode.end()) compiled = found->second;
  }
  // Neither load raises (lua_load runs protected), so the strings above are always destroyed.
  if (compiled != nullptr) {
    return luaL_loadbufferx(L, compiled->data(), compiled->size(), chunk_name, "b");
  }
  int status = luaL_loadbufferx(L, text.data(), text.size(), chunk_name, "t");
  if (status != LUA_OK) return status;
  auto bytecode = std::make_shared<std::string>();
  // Not stripped: line numbers and local names stay for messages, tracebacks and coverage.
  if (lua_dump(L, AppendBytecode, bytecode.get(), 0) != 0) return LUA_OK;
  std::lock_guard<std::mutex> lock(cache.mutex);
  size_t size = key.size() + bytecode->size();
  if (cache.bytes + size <= kMaxCachedBytes && cache.bytecode.emplace(key, bytecode).second) {
    cache.bytes += size;
  }
  return LUA_OK;
}

}  // namespace partnerpolicy::lua
