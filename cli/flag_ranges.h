// The ranges of the numeric flags, and the check that holds a flag to its range. A value outside
// is a usage error naming the flag, the value and the range; nothing wraps or saturates (CLI11
// alone reads "99999999999999999999" as the largest uint64_t, "010" as octal 8 and "-1" as
// 2^64-1, and `mb << 20` wraps for more than 2^44 MiB).
#pragma once

#include <cstdint>

namespace CLI {
class Validator;
}  // namespace CLI

namespace partnerpolicy::cli {

// --max-instructions: per call into a policy. 10^12 is hours of Lua, far past any rule's need.
inline constexpr uint64_t kMaxInstructionsLimit = 1'000'000'000'000;
// --max-memory-mb: per Lua sandbox, in MiB (64 GiB). `check -j N` runs N sandboxes at once.
inline constexpr uint64_t kMaxMemoryMbLimit = 65536;
// --max-input-mb: the largest partner-state file read, in MiB (1 TiB).
inline constexpr uint64_t kMaxInputMbLimit = uint64_t{1} << 20;
// check -j: fixtures evaluated at once (0: one per core).
inline constexpr uint64_t kMaxJobs = 256;

// A CLI11 check that the value is a whole number written in decimal digits, from `min` to `max`;
// otherwise CLI11 reports "--flag: VALUE is not a whole number from MIN to MAX" (VALUE '' when
// empty). Leading zeros are dropped from the value, so that CLI11 reads "010" as ten: hence
// `->transform(WholeNumberIn(...))`, as `->check` may not change the value. Its description,
// shown in --help after the type, is "MIN-MAX".
CLI::Validator WholeNumberIn(uint64_t min, uint64_t max);

}  // namespace partnerpolicy::cli
