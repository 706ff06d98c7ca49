// Reads Lua 5.4's dump format (ldump.c) back into ChunkFunction, and the analyses on top of it:
// lines per instruction (ldebug.c's luaG_getfuncline), reachable instructions, field accesses.
// Instructions are decoded by lua/bytecode.h. The dump's header pins the version and the sizes
// of instructions and numbers.
#include "chunk_listing.h"

#include <algorithm>
#include <cstring>
#include <lua.hpp>
#include <memory>
#include <string_view>

#include "lua/bytecode.h"

namespace partnerpolicy {

namespace {

using namespace bytecode;  // NOLINT: the instruction vocabulary

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
    f.max_stack_size = Byte();
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

// "policies/x.lua:3: 'end' expected near <eof>" -> file, line and the rest. Lua writes a long
// chunk name as "...<its end>".
Error SyntaxError(const PolicyText& text, const std::string& message) {
  Error error{ErrorCode::kInvalidPolicy, message, {text.display_path, 0, 0, ""}, ""};
  const std::string& path = text.display_path;
  for (size_t colon = message.find(':'); colon != std::string::npos;
       colon = message.find(':', colon + 1)) {
    std::string_view name = std::string_view(message).substr(0, colon);
    bool ours = name == path ||
                (name.substr(0, 3) == "..." && path.size() >= name.size() - 3 &&
                 std::string_view(path).substr(path.size() - (name.size() - 3)) == name.substr(3));
    if (!ours) continue;
    size_t end = colon + 1;
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
    if (end == colon + 1 || end >= message.size() || message[end] != ':') return error;
    error.where.line = std::stoi(message.substr(colon + 1, end - colon - 1));
    error.message = message.substr(end + 1);
    if (!error.message.empty() && error.message.front() == ' ') error.message.erase(0, 1);
    return error;
  }
  return error;
}

// ---------------------------------------------------------------------------------------------
// Control flow: which instructions can run.

std::vector<bool> Reachable(const ChunkFunction& f) {
  std::vector<bool> seen(f.code.size(), false);
  std::vector<int> work = {0};
  while (!work.empty()) {
    int pc = work.back();
    work.pop_back();
    if (pc < 0 || pc >= static_cast<int>(f.code.size()) || seen[pc]) continue;
    seen[pc] = true;
    ForEachSuccessor(f, pc, [&](int next) { work.push_back(next); });
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

std::optional<ReturnedTable> FindReturnedTable(const ChunkFunction& chunk) {
  // Tables built by constructors in the chunk. A nested constructor's fields are stored before
  // it is itself stored into its parent, so paths are resolved once the returned one is known.
  struct Built {
    int line = 0;
    int parent = -1;
    std::string key;  // its key in the parent
    int last_store_line = 0;
  };
  struct Store {
    int table;
    std::string key;
    int line, from_line;
  };
  std::vector<Built> tables;
  std::vector<Store> stores;
  std::vector<int> table_in(kRegisters, -1);  // per register: the table it holds, or -1
  int returned = -1;
  for (int pc = 0; pc < static_cast<int>(chunk.code.size()) && returned < 0; ++pc) {
    uint32_t i = chunk.code[pc];
    int a = ArgA(i);
    switch (Op(i)) {
      case kSetField: {
        const std::string* key = Constant(chunk, ArgB(i));
        int table = table_in[a];
        if (key == nullptr || table < 0) break;
        stores.push_back(Store{table, *key, chunk.lines[pc], tables[table].last_store_line});
        tables[table].last_store_line = chunk.lines[pc];
        int value = ArgK(i) ? -1 : table_in[ArgC(i)];
        if (value >= 0 && tables[value].parent < 0 && value != table) {
          tables[value].parent = table;
          tables[value].key = *key;
        }
        break;
      }
      case kReturn:
        if (ArgB(i) == 2) returned = table_in[a];  // exactly one value, a table built here
        break;
      default:
        break;
    }
    if (returned >= 0) break;
    int moved = Op(i) == kMove ? table_in[ArgB(i)] : -1;
    auto [first, last] = WrittenRegisters(i);
    for (int reg = first; reg <= last && reg < kRegisters; ++reg) table_in[reg] = -1;
    if (Op(i) == kNewTable) {
      table_in[a] = static_cast<int>(tables.size());
      tables.push_back(Built{chunk.lines[pc], -1, "", chunk.lines[pc]});
    } else if (moved >= 0) {
      table_in[a] = moved;
    }
  }
  if (returned < 0) return std::nullopt;

  // The path from the returned table to `table`, or nullopt when it is not inside it.
  auto path_of = [&](int table) -> std::optional<std::vector<std::string>> {
    std::vector<std::string> path;
    for (int depth = 0; table != returned; ++depth) {
      if (table < 0 || depth > static_cast<int>(tables.size())) return std::nullopt;
      path.insert(path.begin(), tables[table].key);
      table = tables[table].parent;
    }
    return path;
  };
  ReturnedTable result;
  result.line = tables[returned].line;
  for (const Store& store : stores) {
    std::optional<std::vector<std::string>> path = path_of(store.table);
    if (!path) continue;
    path->push_back(store.key);
    result.fields.push_back(ReturnedField{std::move(*path), store.line, store.from_line});
  }
  return result;
}

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
