// Internal to evaluator/lua/: one compiled Lua function as the chunk analyses read it (its
// instructions with their lines, constants, upvalue and local names). Plain data, shared by the
// dump reader (chunk_listing.h) and the instruction helpers (bytecode.h), so that neither needs
// the other's header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace partnerpolicy {

// A local variable's name and the instructions during which it is live: register r at pc is
// the r-th (0-based) local with start_pc <= pc < end_pc, counted in declaration order.
struct LocalVariable {
  std::string name;
  int start_pc = 0;
  int end_pc = 0;
};

// One Lua function (the chunk itself is the outermost, with line_defined 0).
struct ChunkFunction {
  int line_defined = 0, last_line_defined = 0;
  int num_params = 0;
  bool is_vararg = false;
  int max_stack_size = 0;      // registers the function uses (0 .. max_stack_size - 1)
  std::vector<uint32_t> code;  // raw instructions
  std::vector<int> lines;      // line of each instruction (same size as code)
  std::vector<std::string> upvalue_names;
  std::vector<std::optional<std::string>> string_constants;  // nullopt for non-strings
  std::vector<LocalVariable> locals;
  std::vector<ChunkFunction> children;  // nested functions, in the order they appear
};

}  // namespace partnerpolicy
