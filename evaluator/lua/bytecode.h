// Internal to evaluator/lua/: Lua 5.4's instructions as the chunk analyses read them.
//
// Opcodes and instruction fields are those of Lua 5.4's lopcodes.h (checked against
// `luac5.4 -l -l`): the liblua headers do not export them, so the numbers the analyses need are
// written here. Shared by chunk_listing.cc (dump reader, lines, field accesses) and
// state_reads.cc (what the state's fields are read as).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "lua/chunk_function.h"

namespace partnerpolicy::bytecode {

// ---------------------------------------------------------------------------------------------
// Instructions (lopcodes.h): op 7 bits, A 8, k 1, B 8, C 8; Bx 17 and sJ 25 bits.

enum Opcode : int {
  kMove = 0,
  kLoadI = 1,
  kLoadF = 2,
  kLoadK = 3,
  kLoadKX = 4,
  kLoadFalse = 5,
  kLFalseSkip = 6,
  kLoadTrue = 7,
  kLoadNil = 8,
  kGetUpval = 9,
  kSetUpval = 10,
  kGetTabUp = 11,
  kGetTable = 12,
  kGetI = 13,
  kGetField = 14,
  kSetTabUp = 15,
  kSetTable = 16,
  kSetI = 17,
  kSetField = 18,
  kNewTable = 19,
  kSelf = 20,
  kAddI = 21,  // ADDI .. SHR (21..45): arithmetic, followed by an MMBIN* they skip on success
  kShr = 45,
  kMmBin = 46,
  kMmBinK = 48,
  kUnm = 49,
  kBNot = 50,
  kNot = 51,
  kLen = 52,
  kConcat = 53,
  kClose = 54,
  kTbc = 55,
  kJmp = 56,
  kEq = 57,  // EQ .. TEST: a test that skips the next instruction (a jump) or runs it
  kTest = 66,
  kTestSet = 67,
  kCall = 68,
  kTailCall = 69,
  kReturn = 70,
  kReturn0 = 71,
  kReturn1 = 72,
  kForLoop = 73,
  kForPrep = 74,
  kTForPrep = 75,
  kTForCall = 76,
  kTForLoop = 77,
  kSetList = 78,
  kClosure = 79,
  kVararg = 80,
  kVarargPrep = 81,
};

inline int Op(uint32_t i) { return static_cast<int>(i & 0x7F); }
inline int ArgA(uint32_t i) { return static_cast<int>((i >> 7) & 0xFF); }
inline bool ArgK(uint32_t i) { return ((i >> 15) & 1) != 0; }
inline int ArgB(uint32_t i) { return static_cast<int>((i >> 16) & 0xFF); }
inline int ArgC(uint32_t i) { return static_cast<int>((i >> 24) & 0xFF); }
inline int ArgBx(uint32_t i) { return static_cast<int>(i >> 15); }
inline int ArgSJ(uint32_t i) { return static_cast<int>(i >> 7) - ((1 << 24) - 1); }

// The name of register `reg` at `pc` when it is a live local variable (luaF_getlocalname).
inline const std::string* LocalName(const ChunkFunction& f, int reg, int pc) {
  for (const LocalVariable& local : f.locals) {
    if (local.start_pc > pc) break;
    if (pc < local.end_pc) {
      if (reg == 0) return &local.name;
      --reg;
    }
  }
  return nullptr;
}

inline const std::string* Constant(const ChunkFunction& f, int index) {
  if (index < 0 || index >= static_cast<int>(f.string_constants.size())) return nullptr;
  const std::optional<std::string>& constant = f.string_constants[index];
  return constant ? &*constant : nullptr;
}

inline const std::string& Upvalue(const ChunkFunction& f, int index) {
  static const std::string kUnknown;
  return index < static_cast<int>(f.upvalue_names.size()) ? f.upvalue_names[index] : kUnknown;
}

inline constexpr int kRegisters = 256;  // A, B and C are 8 bits

// Registers an instruction writes, as [first, last]; empty when first > last.
inline std::pair<int, int> WrittenRegisters(uint32_t i) {
  constexpr int kAll = kRegisters - 1;
  int a = ArgA(i);
  switch (Op(i)) {
    case kMove:
    case kLoadI:
    case kLoadF:
    case kLoadK:
    case kLoadKX:
    case kLoadFalse:
    case kLFalseSkip:
    case kLoadTrue:
    case kGetUpval:
    case kGetTabUp:
    case kGetTable:
    case kGetI:
    case kGetField:
    case kNewTable:
    case kUnm:
    case kBNot:
    case kNot:
    case kLen:
    case kTestSet:
    case kClosure:
      return {a, a};
    case kLoadNil:
      return {a, a + ArgB(i)};
    case kSelf:
      return {a, a + 1};
    case kConcat:
      return {a, a + ArgB(i) - 1};
    case kForPrep:
    case kForLoop:
    case kTForPrep:
      return {a, a + 3};
    case kTForCall:
    case kTForLoop:
    case kCall:
    case kVararg:
      return {a, kAll};
    default:
      if (Op(i) >= kAddI && Op(i) <= kShr) return {a, a};
      return {1, 0};  // none
  }
}

// Calls next(pc) for each instruction that can run after the one at `pc` (lvm.c): a jump's
// target, both ways of a test, a loop's body and exit. Returns, tail calls and targets outside
// the function have none.
template <typename Next>
void ForEachSuccessor(const ChunkFunction& f, int pc, Next next) {
  const int size = static_cast<int>(f.code.size());
  auto visit = [&](int to) {
    if (to >= 0 && to < size) next(to);
  };
  uint32_t i = f.code[pc];
  int op = Op(i);
  if (op == kJmp) {
    visit(pc + 1 + ArgSJ(i));
  } else if (op >= kEq && op <= kTestSet) {
    visit(pc + 1);
    visit(pc + 2);
  } else if (op >= kAddI && op <= kShr) {
    visit(pc + 1);  // the MMBIN, when a metamethod is needed
    visit(pc + 2);
  } else if (op == kLFalseSkip || op == kLoadKX || op == kNewTable || (op == kSetList && ArgK(i))) {
    visit(pc + 2);  // skips the next instruction (or its EXTRAARG)
  } else if (op == kForPrep) {
    visit(pc + 1);
    visit(pc + ArgBx(i) + 2);
  } else if (op == kForLoop || op == kTForLoop) {
    visit(pc + 1);
    visit(pc + 1 - ArgBx(i));
  } else if (op == kTForPrep) {
    visit(pc + 1 + ArgBx(i));
  } else if (op == kReturn || op == kReturn0 || op == kReturn1 || op == kTailCall) {
    // no successor: a tail call returns what the callee returns
  } else {
    visit(pc + 1);
  }
}

}  // namespace partnerpolicy::bytecode
