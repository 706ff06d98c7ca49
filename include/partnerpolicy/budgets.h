// The limits every call into a policy runs under: an instruction budget and a memory budget.
//
// Plain data: a PolicySet keeps the budgets it was loaded with (engine.h), lint runs each chunk
// under them (policy_lint.h). A policy that runs out fails the call with an error naming the
// budget, even if the policy tried to catch the stop with pcall.
#pragma once

#include <cstdint>

namespace partnerpolicy {

struct Budgets {
  uint64_t max_instructions = 100'000'000;   // per call into a policy (about a second)
  uint64_t max_memory_bytes = 256ull << 20;  // for the whole Lua state
};

}  // namespace partnerpolicy
