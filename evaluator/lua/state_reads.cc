// The value-flow analysis of state_reads.h: a forward data-flow over each function's
// instructions (lua/bytecode.h), one abstract value per register, joined where paths meet and
// iterated to a fixed point. The lattice is tiny (unreached, one known kind, unknown), so the
// work list empties after a few passes over a function.
#include "lua/state_reads.h"

#include <algorithm>

#include "lua/bytecode.h"

namespace partnerpolicy {
namespace {

using namespace bytecode;  // NOLINT: the instruction vocabulary

// What a register holds, as far as the analysis knows.
struct Value {
  enum Kind : int {
    kUnreached,     // no path has reached the instruction yet
    kUnknown,       // anything
    kObject,        // an object of the partner state of kind `object`
    kObjectOrNew,   // kObject, or a request's new entity { is_new = true, email = ... }
    kObjectList,    // a list of objects of kind `object`
    kRequest,       // decide's req
    kIpairs,        // the global ipairs
    kPairs,         // the global pairs
    kPp,            // the pp library
    kPpFind,        // pp.find
    kPpFindAll,     // pp.find_all
    kListIterator,  // what ipairs/pairs return for a list of objects of kind `object`
  };
  Kind kind = kUnknown;
  int object = -1;

  bool operator==(const Value& other) const { return kind == other.kind && object == other.object; }
  bool IsObject() const { return kind == kObject || kind == kObjectOrNew; }
};

const Value kUnknownValue{Value::kUnknown, -1};

Value Join(const Value& a, const Value& b) {
  if (a.kind == Value::kUnreached) return b;
  if (b.kind == Value::kUnreached || a == b) return a;
  return kUnknownValue;
}

class FunctionFlow {
 public:
  FunctionFlow(const ChunkFunction& f, const StateShape& shape, const RequestShape& request)
      : f_(f), shape_(shape), request_(request) {
    // Get and Set treat a register outside [0, registers_) as unknown, so a wrong stack size
    // costs precision, never memory safety.
    registers_ = std::clamp(f.max_stack_size, 1, kRegisters);
  }

  void Run(std::vector<StateFieldRead>& out) {
    const int size = static_cast<int>(f_.code.size());
    if (size == 0) return;
    std::vector<std::vector<Value>> in(size,
                                       std::vector<Value>(registers_, Value{Value::kUnreached}));
    for (Value& v : in[0]) v = kUnknownValue;
    for (int reg = 0; reg < f_.num_params && reg < registers_; ++reg) {
      if (const std::string* name = LocalName(f_, reg, 0)) in[0][reg] = Seed(*name);
    }
    std::vector<int> work = {0};
    std::vector<bool> queued(size, false);
    queued[0] = true;
    while (!work.empty()) {
      int pc = work.back();
      work.pop_back();
      queued[pc] = false;
      std::vector<Value> state = in[pc];
      Step(pc, state, nullptr);
      ForEachSuccessor(f_, pc, [&](int next) {
        bool changed = false;
        for (int reg = 0; reg < registers_; ++reg) {
          Value joined = Join(in[next][reg], state[reg]);
          if (!(joined == in[next][reg])) {
            in[next][reg] = joined;
            changed = true;
          }
        }
        if (changed && !queued[next]) {
          queued[next] = true;
          work.push_back(next);
        }
      });
    }
    for (int pc = 0; pc < size; ++pc) {
      if (in[pc][0].kind == Value::kUnreached) continue;  // never reached
      std::vector<Value> state = in[pc];
      Step(pc, state, &out);
    }
  }

 private:
  // What a parameter or upvalue of this name is known to hold.
  Value Seed(const std::string& name) const {
    if (name == "state" && !shape_.objects.empty()) return Value{Value::kObject, 0};
    if (name == "req") return Value{Value::kRequest, -1};
    return kUnknownValue;
  }

  // The value of field `key` of `base`, recording the read when base is a state object.
  Value Field(const Value& base, const std::string* key, int pc, const std::string& local,
              std::vector<StateFieldRead>* reads) const {
    if (key == nullptr) return kUnknownValue;
    switch (base.kind) {
      case Value::kObject:
      case Value::kObjectOrNew: {
        if (reads != nullptr) {
          reads->push_back(StateFieldRead{f_.lines[pc], *key, local, base.object,
                                          base.kind == Value::kObjectOrNew});
        }
        const StateField* field = shape_.objects[base.object].Find(*key);
        if (field == nullptr) return kUnknownValue;
        if (field->holds == StateField::Holds::kObject) return Value{Value::kObject, field->object};
        if (field->holds == StateField::Holds::kObjectList) {
          return Value{Value::kObjectList, field->object};
        }
        return kUnknownValue;
      }
      case Value::kRequest: {
        if (*key == "actor") {
          return request_.actor >= 0 ? Value{Value::kObject, request_.actor} : kUnknownValue;
        }
        for (const RequestField& field : request_.fields) {
          if (field.name != *key || field.object < 0) continue;
          if (field.list) return Value{Value::kObjectList, field.object};
          return Value{field.may_be_new ? Value::kObjectOrNew : Value::kObject, field.object};
        }
        return kUnknownValue;
      }
      case Value::kPp:
        if (*key == "find") return Value{Value::kPpFind, -1};
        return *key == "find_all" ? Value{Value::kPpFindAll, -1} : kUnknownValue;
      default:
        return kUnknownValue;
    }
  }

  std::string LocalOf(int reg, int pc) const {
    const std::string* name = LocalName(f_, reg, pc);
    return name != nullptr ? *name : std::string();
  }

  void Set(std::vector<Value>& state, int reg, Value value) const {
    if (reg >= 0 && reg < registers_) state[reg] = value;
  }
  Value Get(const std::vector<Value>& state, int reg) const {
    return reg >= 0 && reg < registers_ ? state[reg] : kUnknownValue;
  }
  void Clobber(std::vector<Value>& state, int first, int last) const {
    for (int reg = std::max(first, 0); reg <= last && reg < registers_; ++reg) {
      state[reg] = kUnknownValue;
    }
  }

  // Applies the instruction at `pc` to `state`; lists the reads it makes in `reads` when given.
  void Step(int pc, std::vector<Value>& state, std::vector<StateFieldRead>* reads) const {
    uint32_t i = f_.code[pc];
    int a = ArgA(i);
    switch (Op(i)) {
      case kMove:
        Set(state, a, Get(state, ArgB(i)));
        return;
      case kGetUpval:
        Set(state, a, Seed(Upvalue(f_, ArgB(i))));
        return;
      case kGetTabUp: {
        const std::string* key = Constant(f_, ArgC(i));
        const std::string& upvalue = Upvalue(f_, ArgB(i));
        Value value = kUnknownValue;
        if (upvalue == "_ENV") {
          if (key != nullptr && *key == "ipairs") value = Value{Value::kIpairs, -1};
          if (key != nullptr && *key == "pairs") value = Value{Value::kPairs, -1};
          if (key != nullptr && *key == "pp") value = Value{Value::kPp, -1};
        } else {
          value = Field(Seed(upvalue), key, pc, upvalue, reads);
        }
        Set(state, a, value);
        return;
      }
      case kGetField:
        Set(state, a,
            Field(Get(state, ArgB(i)), Constant(f_, ArgC(i)), pc, LocalOf(ArgB(i), pc), reads));
        return;
      case kSelf: {
        Value object = Get(state, ArgB(i));
        if (ArgK(i)) Field(object, Constant(f_, ArgC(i)), pc, LocalOf(ArgB(i), pc), reads);
        Set(state, a, kUnknownValue);
        Set(state, a + 1, object);
        return;
      }
      case kGetI:
      case kGetTable: {
        Value list = Get(state, ArgB(i));
        Set(state, a,
            list.kind == Value::kObjectList ? Value{Value::kObject, list.object} : kUnknownValue);
        return;
      }
      case kCall: {
        Value callee = Get(state, a);
        Value first = ArgB(i) != 1 ? Get(state, a + 1) : kUnknownValue;
        Clobber(state, a, kRegisters);  // results, and whatever the call left above them
        if ((callee.kind == Value::kIpairs || callee.kind == Value::kPairs) &&
            first.kind == Value::kObjectList) {
          Set(state, a, Value{Value::kListIterator, first.object});
          Set(state, a + 1, first);
        } else if (callee.kind == Value::kPpFind && first.kind == Value::kObjectList) {
          Set(state, a, Value{Value::kObject, first.object});
        } else if (callee.kind == Value::kPpFindAll && first.kind == Value::kObjectList) {
          Set(state, a, first);  // some elements of the same list
        }
        return;
      }
      case kTForPrep:
        Set(state, a + 3, kUnknownValue);  // the to-be-closed slot
        return;
      case kTForCall: {
        // R[A+4], ... = R[A](R[A+1], R[A+2]); the iterator and its state stay.
        Value iterator = Get(state, a);
        Clobber(state, a + 4, kRegisters);
        if (iterator.kind == Value::kListIterator && ArgC(i) >= 2) {
          Set(state, a + 5, Value{Value::kObject, iterator.object});
        }
        return;
      }
      case kTForLoop:
        Set(state, a + 2, kUnknownValue);  // the control variable takes the index
        return;
      default: {
        auto [first, last] = WrittenRegisters(i);
        Clobber(state, first, last);
        return;
      }
    }
  }

  const ChunkFunction& f_;
  const StateShape& shape_;
  const RequestShape& request_;
  int registers_ = 1;
};

void Collect(const ChunkFunction& f, const StateShape& shape, const RequestShape& request,
             std::vector<StateFieldRead>& out) {
  FunctionFlow(f, shape, request).Run(out);
  for (const ChunkFunction& child : f.children) Collect(child, shape, request, out);
}

}  // namespace

std::vector<StateFieldRead> StateFieldReads(const ChunkFunction& chunk, const StateShape& shape,
                                            const RequestShape& request) {
  std::vector<StateFieldRead> reads;
  Collect(chunk, shape, request, reads);
  return reads;
}

}  // namespace partnerpolicy
