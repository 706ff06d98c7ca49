// The sandbox's budgets: the allocator that holds a Lua state to its memory budget, the count
// hook that holds each call to its instruction budget (and records covered lines), and the stop
// a policy cannot catch.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "runtime_internals.h"

namespace partnerpolicy::lua {

// ---------------------------------------------------------------------------------------------
// Budgets

namespace {

// Records in memory_stop_where the innermost policy line running. Inside the allocator only
// functions that do not allocate: lua_getstack and lua_getinfo("Sl") read the call frames.
void RecordMemoryStopLine(HostContext* host) {
  if (host->memory_stop_where[0] != '\0') return;
  lua_Debug frame;
  for (int level = 0; lua_getstack(host->thread, level, &frame) != 0; ++level) {
    if (lua_getinfo(host->thread, "Sl", &frame) != 0 && frame.currentline > 0 &&
        frame.source != nullptr && frame.source[0] == '@') {
      std::snprintf(host->memory_stop_where, sizeof host->memory_stop_where,
                    "%s:%d:", frame.source + 1, frame.currentline);
      return;
    }
  }
}
}  // namespace

void* Allocate(void* ud, void* ptr, size_t old_size, size_t new_size) {
  auto* host = static_cast<HostContext*>(ud);
  if (ptr == nullptr) old_size = 0;  // then old_size encodes the object type, not a size
  if (new_size == 0) {
    host->memory_used -= old_size;
    std::free(ptr);
    return nullptr;
  }
  if (new_size > old_size) {
    // Building a string or a table is work the count hook does not see (string.upper of 8 MB is
    // one instruction): charged by the bytes it allocates.
    host->instructions_used += (new_size - old_size) / kBytesPerInstruction;
    bool over_memory = host->memory_used + (new_size - old_size) > host->memory_limit;
    if (over_memory) host->memory_exceeded = true;
    if (over_memory || host->instructions_used > host->instruction_limit) {
      // Stop at the next instruction, not a thousand later (a loop of s:upper() on 8 MB runs
      // a few instructions per call), whatever pcall catches. Setting the hook is safe anywhere
      // (Lua's signal-safe entry); it is armed only during a call.
      if (host->thread != nullptr && lua_gethook(host->thread) != nullptr) {
        lua_sethook(host->thread, Hook, LUA_MASKCOUNT, 1);
        if (over_memory) RecordMemoryStopLine(host);
      }
    }
    if (over_memory) return nullptr;  // Lua raises "not enough memory"
  }
  void* grown = std::realloc(ptr, new_size);
  if (grown == nullptr) return nullptr;
  host->memory_used = host->memory_used - old_size + new_size;
  return grown;
}
namespace {

// Records the line about to run in the coverage sink. Chunks are named "@<display path>";
// anything else (there is nothing else today) is not a file and not recorded. Raises nothing:
// a failed allocation in the sink only loses that line.
void RecordLine(lua_State* L, lua_Debug* ar) {
  if (lua_getinfo(L, "S", ar) == 0 || ar->source == nullptr || ar->source[0] != '@') return;
  try {
    lua::Host(L)->coverage->Record(ar->source + 1, ar->currentline);
  } catch (...) {
  }
}
}  // namespace

// The one hook. Line events come only when a coverage sink is set (LUA_MASKLINE). Count events
// fire every kHookInterval instructions; once a budget is spent the hook re-arms itself to fire
// on every instruction, so a policy's pcall cannot swallow the stop: the next instruction raises.
void Hook(lua_State* L, lua_Debug* ar) {
  if (ar->event == LUA_HOOKLINE) {
    RecordLine(L, ar);
    return;
  }
  HostContext* host = lua::Host(L);
  if (!host->stop_message.empty()) {
    lua_pushlstring(L, host->stop_message.data(), host->stop_message.size());
    lua_error(L);
  }
  // The backstop: every 64 count events (64,000 instructions) the thread's CPU time is read.
  // Comparing two long strings costs their length in one instruction, which no budget can
  // charge; a call that runs 10 CPU seconds (ten times what the default instruction budget
  // allows) stops. It decides nothing: the call fails, naming its line, on any machine.
  if (++host->hooks_since_clock >= 64) {
    host->hooks_since_clock = 0;
    if (ThreadCpuNanoseconds() - host->call_started_cpu_ns > kCpuBackstopSeconds * 1'000'000'000) {
      luaL_where(L, 0);
      lua_pushfstring(L,
                      "ran for more than %d CPU seconds, which no budget allows (work the "
                      "instruction budget cannot count, such as comparing long strings in a "
                      "loop)",
                      static_cast<int>(kCpuBackstopSeconds));
      lua_concat(L, 2);
      lua::StopPolicy(L);
    }
  }
  host->instructions_used += lua::kHookInterval;
  if (host->instructions_used > host->instruction_limit) host->instructions_exceeded = true;
  if (host->instructions_exceeded || host->memory_exceeded) {
    // Level 0 inside a hook is the running policy function, so this names its file:line. The
    // stop records it: a policy that catches the error is stopped again with the same line.
    luaL_where(L, 0);
    if (host->instructions_exceeded) {
      lua_pushfstring(L, "instruction budget of %I instructions exceeded",
                      static_cast<lua_Integer>(host->instruction_limit));
    } else {
      lua_pushfstring(L, "memory budget of %I bytes exceeded",
                      static_cast<lua_Integer>(host->memory_limit));
    }
    lua_concat(L, 2);
    lua::StopPolicy(L);
  }
}
namespace {

// Keeps the stop message (a helper: the std::string work ends before Lua raises).
void RecordStop(HostContext* host, const char* message, size_t length) {
  if (host->stop_message.empty()) host->stop_message.assign(message, length);
}
}  // namespace

int Panic(lua_State* L) {
  // Only reachable by a bug in this file (an unprotected call that raised). Crashing loudly is
  // the only safe thing: the Lua state is unusable.
  const char* message = lua_tostring(L, -1);
  std::fprintf(stderr, "partnerpolicy: internal error: unprotected Lua error: %s\n",
               message != nullptr ? message : "?");
  std::abort();
}

// Pushes "file:line:" of the innermost policy line on the stack: level 1 may be a C function
// (pcall(string.find, ...)), which has no line.
void PushPolicyWhere(lua_State* L) {
  lua_Debug frame;
  for (int level = 1; lua_getstack(L, level, &frame) != 0; ++level) {
    if (lua_getinfo(L, "Sl", &frame) != 0 && frame.currentline > 0) {
      luaL_where(L, level);
      return;
    }
  }
  lua_pushliteral(L, "");
}

int StopPolicy(lua_State* L) {
  size_t length = 0;
  const char* message = lua_tolstring(L, -1, &length);
  RecordStop(Host(L), message, length);
  lua_sethook(L, Hook, LUA_MASKCOUNT, 1);  // raise again on the next instruction
  return lua_error(L);
}

void ChargeInstructions(lua_State* L, uint64_t instructions) {
  HostContext* host = Host(L);
  host->instructions_used += instructions;
  if (host->instructions_used <= host->instruction_limit) return;
  host->instructions_exceeded = true;
  PushPolicyWhere(L);
  lua_pushfstring(L, "instruction budget of %I instructions exceeded",
                  static_cast<lua_Integer>(host->instruction_limit));
  lua_concat(L, 2);
  StopPolicy(L);
}

int64_t ThreadCpuNanoseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void ChargeCopyOut(lua_State* L, size_t bytes, const char* function_name, const char* what) {
  if (bytes > kLongestWords) {
    luaL_error(L, "%s: %s is %I bytes long; at most %I are allowed", function_name, what,
               static_cast<lua_Integer>(bytes), static_cast<lua_Integer>(kLongestWords));
  }
  HostContext* host = Host(L);
  host->copied_out += (bytes + 64) * kCopiesPerWord;  // 64: the record around the words
  if (host->memory_used + host->copied_out <= host->memory_limit) return;
  host->memory_exceeded = true;
  PushPolicyWhere(L);
  lua_pushfstring(L,
                  "memory budget of %I bytes exceeded (the findings, alerts and decisions the "
                  "policy handed out count in it)",
                  static_cast<lua_Integer>(host->memory_limit));
  lua_concat(L, 2);
  StopPolicy(L);
}

}  // namespace partnerpolicy::lua
