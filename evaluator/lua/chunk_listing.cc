// Reads Lua 5.4's dump format (ldump.c) back into ChunkFunction, and the analyses on top of it:
// lines per instruction (ldebug.c's luaG_getfuncline), reachable instructions, field accesses.
//
// Opcodes and instruction fields are those of Lua 5.4's lopcodes.h (checked against
// `luac5.4 -l -l`): the liblua headers do not export them, so the numbers the analyses need are
// written here. The dump's header pins the version and the sizes of instructions and numbers.
#include "chunk_listing.h"

#include <algorithm>
#include <cstring>
#include <lua.hpp>
#include <memory>
#include <string_view>

namespace partnerpolicy {

namespace {

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

int Op(uint32_t i) { return static_cast<int>(i & 0x7F); }
int ArgA(uint32_t i) { return static_cast<int>((i >> 7) & 0xFF); }
bool ArgK(uint32_t i) { return ((i >> 15) & 1) != 0; }
int ArgB(uint32_t i) { return static_cast<int>((i >> 16) & 0xFF); }
int ArgC(uint32_t i) { return static_cast<int>((i >> 24) & 0xFF); }
int ArgBx(uint32_t i) { return static_cast<int>(i >> 15); }
int ArgSJ(uint32_t i) { return static_cast<int>(i >> 7) - ((1 << 24) - 1); }

// ---------------------------------------------------------------------------------------------
// The dump format (ldump.c, Lua 5.4).

constexpr int kAbsLineInfo = -0x80;  // a lineinfo entry meaning "see abslineinfo"

// Constant type tags (lobject.h variant tags).
constexpr int kNil = 0x00, kFalse = 0x01, kTrue = 0x11;
constexpr int kInteger = 0x03, kFloat = 0x13;
constexpr int kShortString = 0x04, kLongString = 0x14;

class DumpReader {
 public:
  explicit DumpReader(std::string_view bytes) : bytes_(bytes) {}

  bool failed() const { return failed_; }

  bool ReadHeader() {
    static constexpr char kSignature[] = "\x1bLua";
    static constexpr char kData[] = "\x19\x93\r\n\x1a\n";
    std::string_view signature = Take(4);
    int version = Byte();
    int format = Byte();
    std::string_view data = Take(6);
    int instruction_size = Byte();
    int integer_size = Byte();
    int number_size = Byte();
    Take(8);  // LUAC_INT, checks byte order
    Take(8);  // LUAC_NUM, checks the float format
    Byte();   // number of upvalues of the main function
    return !failed_ && signature == std::string_view(kSignature, 4) && version == 0x54 &&
           format == 0 && data == std::string_view(kData, 6) && instruction_size == 4 &&
           integer_size == 8 && number_size == 8;
  }

  // One function and, recursively, its children. `depth` bounds the recursion (Lua's parser
  // allows about 200 nested levels).
  void ReadFunction(ChunkFunction& f, int depth) {
    if (depth > 250) failed_ = true;
    if (failed_) return;
    String();  // source: the chunk's name for the main function, absent for nested ones
    f.line_defined = Int();
    f.last_line_defined = Int();
    f.num_params = Byte();
    f.is_vararg = Byte() != 0;
    Byte();  // maxstacksize
    size_t code_size = Count(4);
    f.code.resize(code_size);
    for (uint32_t& instruction : f.code) {
      std::string_view word = Take(4);
      if (!failed_) std::memcpy(&instruction, word.data(), 4);
    }
    size_t constants = Count(1);
    f.string_constants.resize(constants);
    for (std::optional<std::string>& constant : f.string_constants) {
      switch (Byte()) {
        case kNil:
        case kFalse:
        case kTrue:
          break;
        case kInteger:
        case kFloat:
          Take(8);
          break;
        case kShortString:
        case kLongString:
          constant = String();
          break;
        default:
          failed_ = true;
      }
    }
    size_t upvalues = Count(3);
    for (size_t k = 0; k < upvalues; ++k) Take(3);  // instack, idx, kind
    size_t children = Count(1);
    f.children.resize(children);
    for (ChunkFunction& child : f.children) ReadFunction(child, depth + 1);

    // Debug information.
    size_t line_info_size = Count(1);
    std::string_view line_info = Take(line_info_size);
    size_t absolute_size = Count(2);
    std::vector<std::pair<int, int>> absolute(absolute_size);  // (pc, line)
    for (auto& [pc, line] : absolute) {
      pc = Int();
      line = Int();
    }
    size_t locals = Count(3);
    f.locals.resize(locals);
    for (LocalVariable& local : f.locals) {
      local.name = String().value_or("");
      local.start_pc = Int();
      local.end_pc = Int();
    }
    size_t upvalue_names = Count(1);
    f.upvalue_names.resize(upvalue_names);
    for (std::string& name : f.upvalue_names) name = String().value_or("");
    if (failed_) return;

    // Lines as luaG_getfuncline computes them, for every pc in order.
    if (line_info.size() != code_size) {
      failed_ = true;
      return;
    }
    f.lines.resize(code_size);
    int line = f.line_defined;
    size_t next_absolute = 0;
    for (size_t pc = 0; pc < code_size; ++pc) {
      int delta = static_cast<signed char>(line_info[pc]);
      if (delta == kAbsLineInfo) {
        if (next_absolute >= absolute.size() ||
            absolute[next_absolute].first != static_cast<int>(pc)) {
          failed_ = true;
          return;
        }
        line = absolute[next_absolute++].second;
      } else {
        line += delta;
      }
      f.lines[pc] = line;
    }
  }

 private:
  std::string_view Take(size_t n) {
    if (failed_ || n > bytes_.size() - position_) {
      failed_ = true;
      return {};
    }
    std::string_view out = bytes_.substr(position_, n);
    position_ += n;
    return out;
  }

  int Byte() {
    std::string_view b = Take(1);
    return failed_ ? 0 : static_cast<unsigned char>(b[0]);
  }

  // dumpSize: 7 bits per byte, most significant first, the last byte marked with 0x80.
  size_t Size() {
    size_t x = 0;
    for (int n = 0; n < 10; ++n) {
      int b = Byte();
      if (failed_) return 0;
      x = (x << 7) | static_cast<size_t>(b & 0x7F);
      if ((b & 0x80) != 0) return x;
    }
    failed_ = true;
    return 0;
  }

  int Int() {
    size_t x = Size();
    if (x > 0x7FFFFFFF) failed_ = true;
    return failed_ ? 0 : static_cast<int>(x);
  }

  // A count of items of at least `min_bytes` each: more than the bytes left is a corrupt dump.
  size_t Count(size_t min_bytes) {
    size_t n = Size();
    if (!failed_ && n > (bytes_.size() - position_) / min_bytes) failed_ = true;
    return failed_ ? 0 : n;
  }

  // dumpString: size + 1 (0 for none), then the bytes without the terminating zero.
  std::optional<std::string> String() {
    size_t size = Size();
    if (failed_ || size == 0) return std::nullopt;
    std::string_view text = Take(size - 1);
    if (failed_) return std::nullopt;
    return std::string(text);
  }

  std::string_view bytes_;
  size_t position_ = 0;
  bool failed_ = false;
};

int AppendToDump(lua_State*, const void* p, size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

// "policies/x.lua:3: 'end' expected near <eof>" -> file, line and the rest.
Error SyntaxError(const PolicyText& text, std::string message) {
  Error error{ErrorCode::kInvalidPolicy, message, {text.display_path, 0, 0, ""}, ""};
  const std::string prefix = text.display_path + ":";
  if (message.rfind(prefix, 0) != 0) return error;
  size_t digits = prefix.size();
  size_t end = digits;
  while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
  if (end == digits || end + 1 >= message.size() || message[end] != ':') return error;
  error.where.line = std::stoi(message.substr(digits, end - digits));
  error.message = message.substr(end + 1);
  if (!error.message.empty() && error.message.front() == ' ') error.message.erase(0, 1);
  return error;
}

// ---------------------------------------------------------------------------------------------
// Control flow: which instructions can run.

std::vector<bool> Reachable(const ChunkFunction& f) {
  const int size = static_cast<int>(f.code.size());
  std::vector<bool> seen(f.code.size(), false);
  std::vector<int> work = {0};
  auto visit = [&](int pc) {
    if (pc >= 0 && pc < size && !seen[pc]) work.push_back(pc);
  };
  while (!work.empty()) {
    int pc = work.back();
    work.pop_back();
    if (pc < 0 || pc >= size || seen[pc]) continue;
    seen[pc] = true;
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
    } else if (op == kLFalseSkip || op == kLoadKX || op == kNewTable ||
               (op == kSetList && ArgK(i))) {
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
  return seen;
}

void CollectExecutableLines(const ChunkFunction& f, std::vector<int>& lines) {
  std::vector<bool> reachable = Reachable(f);
  for (size_t pc = 0; pc < f.code.size(); ++pc) {
    if (!reachable[pc]) continue;
    // The line hook starts after VARARGPREP (lvm.c): its line counts only if shared.
    if (pc == 0 && Op(f.code[pc]) == kVarargPrep) continue;
    lines.push_back(f.lines[pc]);
  }
  for (const ChunkFunction& child : f.children) CollectExecutableLines(child, lines);
}

// ---------------------------------------------------------------------------------------------
// Field accesses, with a forward scan that remembers what each register was last loaded from.

// The name of register `reg` at `pc` when it is a live local variable (luaF_getlocalname).
const std::string* LocalName(const ChunkFunction& f, int reg, int pc) {
  for (const LocalVariable& local : f.locals) {
    if (local.start_pc > pc) break;
    if (pc < local.end_pc) {
      if (reg == 0) return &local.name;
      --reg;
    }
  }
  return nullptr;
}

const std::string* Constant(const ChunkFunction& f, int index) {
  if (index < 0 || index >= static_cast<int>(f.string_constants.size())) return nullptr;
  const std::optional<std::string>& constant = f.string_constants[index];
  return constant ? &*constant : nullptr;
}

const std::string& Upvalue(const ChunkFunction& f, int index) {
  static const std::string kUnknown;
  return index < static_cast<int>(f.upvalue_names.size()) ? f.upvalue_names[index] : kUnknown;
}

constexpr int kRegisters = 256;  // A, B and C are 8 bits

// Registers an instruction writes, as [first, last]; empty when first > last.
std::pair<int, int> WrittenRegisters(uint32_t i) {
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

void CollectFieldAccesses(const ChunkFunction& f, std::vector<FieldAccess>& out) {
  // Per register: the key or name it was last loaded from, empty when unknown.
  std::vector<std::string> loaded_from(kRegisters);
  auto origin = [&](int reg, int pc) -> std::string {
    if (!loaded_from[reg].empty()) return loaded_from[reg];
    const std::string* local = LocalName(f, reg, pc);
    return local != nullptr ? *local : std::string();
  };
  auto add = [&](FieldAccess::Kind kind, int pc, const std::string* name, std::string object) {
    if (name == nullptr) return;
    out.push_back(FieldAccess{kind, f.lines[pc], *name, std::move(object)});
  };
  for (int pc = 0; pc < static_cast<int>(f.code.size()); ++pc) {
    uint32_t i = f.code[pc];
    std::string loaded;  // what register A holds after this instruction, when known
    switch (Op(i)) {
      case kGetTabUp: {
        const std::string* key = Constant(f, ArgC(i));
        bool global = Upvalue(f, ArgB(i)) == "_ENV";
        add(global ? FieldAccess::Kind::kGlobalRead : FieldAccess::Kind::kFieldRead, pc, key,
            global ? "" : Upvalue(f, ArgB(i)));
        if (key != nullptr) loaded = *key;
        break;
      }
      case kSetTabUp: {
        bool global = Upvalue(f, ArgA(i)) == "_ENV";
        add(global ? FieldAccess::Kind::kGlobalWrite : FieldAccess::Kind::kFieldWrite, pc,
            Constant(f, ArgB(i)), global ? "" : Upvalue(f, ArgA(i)));
        break;
      }
      case kGetField: {
        const std::string* key = Constant(f, ArgC(i));
        add(FieldAccess::Kind::kFieldRead, pc, key, origin(ArgB(i), pc));
        if (key != nullptr) loaded = *key;
        break;
      }
      case kSetField:
        add(FieldAccess::Kind::kFieldWrite, pc, Constant(f, ArgB(i)), origin(ArgA(i), pc));
        break;
      case kSelf:
        if (ArgK(i))
          add(FieldAccess::Kind::kFieldRead, pc, Constant(f, ArgC(i)), origin(ArgB(i), pc));
        break;
      case kGetUpval:
        loaded = Upvalue(f, ArgB(i));
        break;
      case kMove:
        loaded = origin(ArgB(i), pc);
        break;
      default:
        break;
    }
    auto [first, last] = WrittenRegisters(i);
    for (int reg = first; reg <= last && reg < kRegisters; ++reg) loaded_from[reg].clear();
    if (!loaded.empty()) loaded_from[ArgA(i)] = std::move(loaded);
  }
  for (const ChunkFunction& child : f.children) CollectFieldAccesses(child, out);
}

}  // namespace

Result<ChunkFunction> ListChunk(const PolicyText& text) {
  std::unique_ptr<lua_State, void (*)(lua_State*)> state(luaL_newstate(), lua_close);
  if (state == nullptr) {
    return Error{ErrorCode::kInvalidPolicy,
                 "cannot create a Lua state to compile the policy",
                 {text.display_path, 0, 0, ""},
                 ""};
  }
  lua_State* L = state.get();
  const std::string chunk_name = "@" + text.display_path;
  if (luaL_loadbufferx(L, text.text.data(), text.text.size(), chunk_name.c_str(), "t") != LUA_OK) {
    const char* message = lua_tostring(L, -1);
    return SyntaxError(text, message != nullptr ? message : "cannot compile the policy");
  }
  std::string dump;
  if (lua_dump(L, AppendToDump, &dump, /*strip=*/0) != 0) {
    return Error{ErrorCode::kInvalidPolicy,
                 "cannot dump the compiled policy",
                 {text.display_path, 0, 0, ""},
                 ""};
  }
  DumpReader reader(dump);
  ChunkFunction chunk;
  if (reader.ReadHeader()) reader.ReadFunction(chunk, 0);
  if (reader.failed()) {
    return Error{ErrorCode::kInvalidPolicy,
                 "cannot read the compiled policy (not Lua 5.4's dump format)",
                 {text.display_path, 0, 0, ""},
                 ""};
  }
  return chunk;
}

std::vector<int> ExecutableLines(const ChunkFunction& chunk, LinesOf which) {
  std::vector<int> lines;
  if (which == LinesOf::kChunkAndFunctions) {
    CollectExecutableLines(chunk, lines);
  } else {
    for (const ChunkFunction& child : chunk.children) CollectExecutableLines(child, lines);
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  return lines;
}

std::vector<FieldAccess> FieldAccesses(const ChunkFunction& chunk) {
  std::vector<FieldAccess> accesses;
  CollectFieldAccesses(chunk, accesses);
  return accesses;
}

std::vector<GlobalWrite> GlobalWrites(const ChunkFunction& chunk) {
  std::vector<GlobalWrite> writes;
  for (const FieldAccess& access : FieldAccesses(chunk)) {
    if (access.kind == FieldAccess::Kind::kGlobalWrite) {
      writes.push_back(GlobalWrite{access.line, access.name});
    }
  }
  return writes;
}

}  // namespace partnerpolicy
