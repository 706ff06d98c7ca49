// The runtime object: one sandboxed Lua state (budget.cc, sandbox.cc) with the policies, helper
// libraries and effects loaded into it (rule_table.cc), and every call into them (rule_calls.cc)
// run through a protected call (protected_call.cc) against a state.
//
// Pattern (as lua.c's docall): each entry into Lua pushes a message handler and a C trampoline,
// then lua_pcall. The trampoline does all Lua work, including reading results back, so nothing
// that can raise ever runs unprotected, and results reach C++ through a Call struct.
#include "policy_runtime.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "load_checks.h"
#include "lua_support.h"
#include "runtime_internals.h"

namespace partnerpolicy {

using lua::AlertsCall;
using lua::AlertsTrampoline;
using lua::Allocate;
using lua::CallOutcome;
using lua::CheckCall;
using lua::CheckTrampoline;
using lua::DecideCall;
using lua::DecideTrampoline;
using lua::DropFileName;
using lua::EffectCall;
using lua::EffectsLoadCall;
using lua::EffectTrampoline;
using lua::GlobalNamesCall;
using lua::GlobalNamesTrampoline;
using lua::Hook;
using lua::HostContext;
using lua::LibraryCall;
using lua::LoadCall;
using lua::LoadEffectsTrampoline;
using lua::LoadLibraryTrampoline;
using lua::LoadPolicyTrampoline;
using lua::LuaError;
using lua::Panic;
using lua::ProtectedCall;
using lua::RestoreFileName;
using lua::SetupSandbox;

struct PolicyRuntime::Impl {
  HostContext host;
  lua_State* L = nullptr;
  std::vector<PolicyInfo> declared;
  std::vector<int> references;
  std::vector<EffectInfo> effects;     // sorted by action
  std::vector<int> effect_references;  // in step with effects
  bool heap_collected = false;         // no call has run since the last full collection

  ~Impl() {
    if (L != nullptr) lua_close(L);
  }

  void StartCall(const Document* state) {
    host.instructions_used = 0;
    host.instructions_exceeded = false;
    host.copied_out = 0;
    host.memory_stop_where[0] = '\0';
    host.call_started_cpu_ns = lua::ThreadCpuNanoseconds();
    host.hooks_since_clock = 0;
    host.stop_message.clear();
    host.state = state;
    ++host.generation;
    int mask = LUA_MASKCOUNT | (host.coverage != nullptr ? LUA_MASKLINE : 0);
    lua_sethook(L, Hook, mask, lua::kHookInterval);
  }

  void EndCall() {
    lua_sethook(L, nullptr, 0, 0);
    lua::ForgetNextCache(L);
    host.state = nullptr;
    ++host.generation;  // nodes kept by a policy stop working now
    host.findings = nullptr;
    host.alerts = nullptr;
  }

  // Runs one call into a policy against `state` (nullptr while loading); `prepare` says where its
  // results go and runs before each attempt. The heap keeps the garbage of earlier calls
  // (collecting it after every call cost more than a whole decision), so whether a call fits its
  // memory budget could depend on what ran before. A call stopped by the memory budget therefore
  // runs once more on a fully collected heap, and that outcome stands: the same as in a fresh
  // sandbox.
  template <typename Prepare>
  CallOutcome Run(const Document* state, lua_CFunction trampoline, void* call, Prepare prepare) {
    bool collected = heap_collected;
    for (;;) {
      prepare();
      StartCall(state);
      CallOutcome outcome = ProtectedCall(L, trampoline, call);
      EndCall();
      heap_collected = false;
      if (!host.memory_exceeded || collected) return outcome;
      host.memory_exceeded = false;
      host.stop_message.clear();
      lua_gc(L, LUA_GCCOLLECT);
      heap_collected = collected = true;
    }
  }

  // The error for a failed call, a budget stop taking precedence: a policy may have caught the
  // budget error and raised another one, or returned normally after catching it.
  std::optional<Error> Failure(const CallOutcome& outcome, const PolicyInfo& info) {
    return Failure(outcome, info, "policy " + info.id);
  }
  // The same, the message starting with `who` ("policy X", "effect of credit.assign").
  std::optional<Error> Failure(const CallOutcome& outcome, const PolicyInfo& info,
                               const std::string& who) {
    if (!host.stop_message.empty()) {
      Error error = LuaError(ErrorCode::kBudgetExceeded, CallOutcome{false, host.stop_message, ""});
      error.detail = outcome.traceback;
      RestoreFileName(error, info.file);
      if (error.where.file.empty()) error.where.file = info.file;
      error.message = who + " stopped: " + error.message;
      host.stop_message.clear();
      host.memory_exceeded = false;
      return error;
    }
    if (host.instructions_exceeded || host.memory_exceeded) {
      bool memory = host.memory_exceeded && !host.instructions_exceeded;
      Error error = outcome.ok ? Error{ErrorCode::kBudgetExceeded, "", {}, ""}
                               : LuaError(ErrorCode::kBudgetExceeded, outcome);
      if (memory && error.where.line == 0 && host.memory_stop_where[0] != '\0') {
        // Lua's "not enough memory" has no position; the allocator noted the line.
        error.where = LuaError(ErrorCode::kBudgetExceeded,
                               CallOutcome{false, std::string(host.memory_stop_where) + " x", ""})
                          .where;
      }
      RestoreFileName(error, info.file);
      if (error.where.file.empty()) error.where.file = info.file;
      error.message =
          who + " stopped: " +
          (memory ? "memory budget of " + std::to_string(host.memory_limit) + " bytes exceeded"
                  : "instruction budget of " + std::to_string(host.instruction_limit) +
                        " instructions exceeded");
      host.memory_exceeded = false;
      return error;
    }
    if (outcome.ok) return std::nullopt;
    Error error = LuaError(ErrorCode::kInvalidPolicy, outcome);
    DropFileName(error, info.file);
    error.message = who + " failed: " + error.message;
    RestoreFileName(error, info.file);
    if (error.where.file.empty()) error.where.file = info.file;
    return error;
  }

  // A Lua state with the sandbox built, or why there is none.
  static Result<std::unique_ptr<Impl>> New(const Budgets& budgets,
                                           LineCoverage* coverage = nullptr) {
    auto impl = std::make_unique<Impl>();
    impl->host.coverage = coverage;  // before any chunk runs: loading counts as coverage
    impl->host.instruction_limit = budgets.max_instructions;
    impl->host.memory_limit = budgets.max_memory_bytes;
    impl->L = lua_newstate(Allocate, &impl->host);
    if (impl->L == nullptr) {
      return Error{
          ErrorCode::kBudgetExceeded, "cannot create a Lua state within the memory budget", {}, ""};
    }
    *static_cast<HostContext**>(lua_getextraspace(impl->L)) = &impl->host;
    impl->host.thread = impl->L;
    lua_atpanic(impl->L, Panic);
    impl->StartCall(nullptr);
    CallOutcome sandbox = ProtectedCall(
        impl->L, [](lua_State* S) { return SetupSandbox(S); }, nullptr);
    impl->EndCall();
    if (!sandbox.ok) {
      return Error{ErrorCode::kBudgetExceeded,
                   "cannot build the policy sandbox: " + sandbox.message,
                   {},
                   ""};
    }
    return impl;
  }

  // Loads the helper libraries as lib.<name>; the errors of those that do not load.
  Errors LoadLibraries(const std::vector<PolicyText>& libraries) {
    Errors errors;
    for (const PolicyText& text : libraries) {
      std::string name = std::filesystem::path(text.display_path).stem().string();
      bool identifier = !name.empty() && !(name[0] >= '0' && name[0] <= '9') &&
                        std::all_of(name.begin(), name.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                        });
      if (!identifier) {
        // About the file's name, not its text: no line.
        errors.push_back(Error::InvalidPolicy({text.display_path, 0, 0, ""},
                                              "a helper library's file name must be a lower-case "
                                              "Lua name (it becomes lib.<name>)"));
        continue;
      }
      LibraryCall call{&text, name.c_str()};
      StartCall(nullptr);
      CallOutcome outcome = ProtectedCall(L, LoadLibraryTrampoline, &call);
      EndCall();
      PolicyInfo named;
      named.id = "lib." + name;
      named.file = text.display_path;
      if (std::optional<Error> failure = Failure(outcome, named)) {
        errors.push_back(std::move(*failure));
      }
    }
    PlaceLuaErrors({&libraries}, errors);
    return errors;
  }

  // Loads the effects files; the errors of those that do not load, and of an action given an
  // effect twice. Afterwards `effects` is sorted by action.
  Errors LoadEffects(const std::vector<PolicyText>& files) {
    Errors errors;
    for (const PolicyText& text : files) {
      std::vector<EffectInfo> found;
      std::vector<int> found_references;
      EffectsLoadCall call{&text, &found, &found_references};
      StartCall(nullptr);
      CallOutcome outcome = ProtectedCall(L, LoadEffectsTrampoline, &call);
      EndCall();
      PolicyInfo named;
      named.id = "(loading)";
      named.file = text.display_path;
      if (std::optional<Error> failure = Failure(outcome, named, "effects file")) {
        if (failure->code == ErrorCode::kInvalidPolicy) {
          // Loading errors read better without a "... failed:" prefix, as for policies.
          Error plain = LuaError(ErrorCode::kInvalidPolicy, outcome);
          RestoreFileName(plain, text.display_path);
          if (plain.where.file.empty()) plain.where.file = text.display_path;
          DropFileName(plain, text.display_path);
          failure = std::move(plain);
        }
        errors.push_back(std::move(*failure));
        continue;
      }
      effects.insert(effects.end(), found.begin(), found.end());
      effect_references.insert(effect_references.end(), found_references.begin(),
                               found_references.end());
    }
    std::vector<size_t> order(effects.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::tie(effects[a].action, effects[a].file, effects[a].line) <
             std::tie(effects[b].action, effects[b].file, effects[b].line);
    });
    std::vector<EffectInfo> sorted;
    std::vector<int> sorted_references;
    for (size_t k = 0; k < order.size(); ++k) {
      const EffectInfo& effect = effects[order[k]];
      if (!sorted.empty() && sorted.back().action == effect.action) {
        auto text = std::find_if(files.begin(), files.end(), [&](const PolicyText& t) {
          return t.display_path == effect.file;
        });
        SourceLocation where = text != files.end()
                                   ? EffectLocation(LintedFile(*text), effect)
                                   : SourceLocation{effect.file, effect.line, 0, ""};
        errors.push_back(Error::InvalidPolicy(
            where, "the effect of '" + effect.action + "' is already given at " +
                       sorted.back().file + ":" + std::to_string(sorted.back().line)));
        continue;
      }
      sorted.push_back(effect);
      sorted_references.push_back(effect_references[order[k]]);
    }
    effects = std::move(sorted);
    effect_references = std::move(sorted_references);
    PlaceLuaErrors({&files}, errors);
    return errors;
  }

  // Runs one policy chunk and reads its rule table; `reference` gets the table's registry
  // reference when the chunk ran.
  PolicyReading LoadPolicy(const PolicyText& text, int* reference) {
    PolicyReading reading;
    LoadCall call{&text, &reading, LUA_NOREF};
    CallOutcome outcome = Run(nullptr, LoadPolicyTrampoline, &call, [&] {
      reading = PolicyReading();
      call.reference = LUA_NOREF;
    });
    *reference = call.reference;
    PolicyInfo named;
    named.id = "(loading)";
    named.file = text.display_path;
    if (std::optional<Error> failure = Failure(outcome, named)) {
      if (failure->code == ErrorCode::kInvalidPolicy) {
        // Loading errors read better without the "policy (loading) failed:" prefix.
        Error plain = LuaError(ErrorCode::kInvalidPolicy, outcome);
        RestoreFileName(plain, text.display_path);
        if (plain.where.file.empty()) plain.where.file = text.display_path;
        DropFileName(plain, text.display_path);
        reading.failure = std::move(plain);
      } else {
        reading.failure = std::move(*failure);
      }
      PlaceLuaError(LintedFile(text), *reading.failure);
    }
    return reading;
  }
};

PolicyRuntime::PolicyRuntime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PolicyRuntime::~PolicyRuntime() = default;

const std::vector<PolicyInfo>& PolicyRuntime::declared() const { return impl_->declared; }

const std::vector<EffectInfo>& PolicyRuntime::effects() const { return impl_->effects; }

void PolicyRuntime::RecordReads(std::vector<NodeId>* reads) { impl_->host.reads = reads; }

void PolicyRuntime::Reorder(const std::vector<size_t>& order) {
  std::vector<PolicyInfo> declared;
  std::vector<int> references;
  for (size_t from : order) {
    declared.push_back(std::move(impl_->declared[from]));
    references.push_back(impl_->references[from]);
  }
  impl_->declared = std::move(declared);
  impl_->references = std::move(references);
}

Result<std::unique_ptr<PolicyRuntime>> PolicyRuntime::Create(
    const std::vector<PolicyText>& policies, const Budgets& budgets,
    const std::vector<PolicyText>& libraries, LineCoverage* coverage,
    const std::vector<PolicyText>& effects) {
  Result<std::unique_ptr<Impl>> made = Impl::New(budgets, coverage);
  if (!made.ok()) return made.take_errors();
  std::unique_ptr<Impl> impl = made.take();
  Errors errors = impl->LoadLibraries(libraries);
  if (!errors.empty()) return errors;

  for (const PolicyText& text : policies) {
    int reference = LUA_NOREF;
    PolicyReading reading = impl->LoadPolicy(text, &reference);
    if (reading.failure) {
      errors.push_back(std::move(*reading.failure));
      continue;
    }
    if (!reading.problems.empty()) {
      // Each at its field, worded as lint words it (load_checks.h).
      LintedFile listed = ListedFile(text);
      for (const MetadataProblem& problem : reading.problems) {
        errors.push_back(MetadataError(listed, problem));
      }
      continue;
    }
    impl->declared.push_back(std::move(reading.info));
    impl->references.push_back(reference);
  }
  Errors effect_errors = impl->LoadEffects(effects);
  errors.insert(errors.end(), effect_errors.begin(), effect_errors.end());
  // A chunk may raise in a helper library it calls while loading.
  PlaceLuaErrors({&policies, &libraries, &effects}, errors);
  if (!errors.empty()) return errors;
  return std::unique_ptr<PolicyRuntime>(new PolicyRuntime(std::move(impl)));
}

Result<PolicyReadings> PolicyRuntime::Read(const std::vector<PolicyText>& policies,
                                           const Budgets& budgets,
                                           const std::vector<PolicyText>& libraries,
                                           const std::vector<PolicyText>& effects) {
  Result<std::unique_ptr<Impl>> made = Impl::New(budgets);
  if (!made.ok()) return made.take_errors();
  Impl& impl = *made.value();
  PolicyReadings readings;
  readings.library_errors = impl.LoadLibraries(libraries);
  for (const PolicyText& text : policies) {
    int reference = LUA_NOREF;
    readings.policies.push_back(impl.LoadPolicy(text, &reference));
  }
  readings.effect_errors = impl.LoadEffects(effects);
  for (PolicyReading& reading : readings.policies) {
    if (!reading.failure) continue;
    Errors failure{std::move(*reading.failure)};
    PlaceLuaErrors({&policies, &libraries, &effects}, failure);
    reading.failure = std::move(failure.front());
  }
  readings.effects = impl.effects;
  GlobalNamesCall call{&readings.global_names, &readings.global_fields};
  impl.StartCall(nullptr);
  CallOutcome outcome = ProtectedCall(impl.L, GlobalNamesTrampoline, &call);
  impl.EndCall();
  if (!outcome.ok) {
    return Error{ErrorCode::kBudgetExceeded,
                 "cannot list the sandbox's globals: " + outcome.message,
                 {},
                 ""};
  }
  std::sort(readings.global_names.begin(), readings.global_names.end());
  std::sort(readings.global_fields.begin(), readings.global_fields.end());
  return readings;
}

Result<std::vector<Finding>> PolicyRuntime::RunCheck(size_t index, const PolicyInfo& info,
                                                     const Document& state, Date as_of) {
  std::vector<Finding> findings;
  Impl& impl = *impl_;
  CheckCall call{impl.references[index], &info, as_of};
  CallOutcome outcome = impl.Run(&state, CheckTrampoline, &call, [&] {
    findings.clear();
    impl.host.findings = &findings;
    impl.host.default_severity = info.severity;
    impl.host.rule_id = info.id.c_str();
  });
  if (std::optional<Error> failure = impl.Failure(outcome, info)) return *failure;
  return findings;
}

Result<std::vector<Alert>> PolicyRuntime::RunAlerts(size_t index, const PolicyInfo& info,
                                                    const Document& state, Date as_of,
                                                    Date horizon) {
  std::vector<Alert> alerts;
  Impl& impl = *impl_;
  AlertsCall call{impl.references[index], &info, as_of, horizon};
  CallOutcome outcome = impl.Run(&state, AlertsTrampoline, &call, [&] {
    alerts.clear();
    impl.host.alerts = &alerts;
    impl.host.default_severity = info.severity;
    impl.host.rule_id = info.id.c_str();
  });
  if (std::optional<Error> failure = impl.Failure(outcome, info)) return *failure;
  return alerts;
}

Result<std::optional<RuleDecision>> PolicyRuntime::RunDecide(size_t index, const PolicyInfo& info,
                                                             const ResolvedRequest& request,
                                                             const Document& state, Date as_of) {
  Impl& impl = *impl_;
  DecideCall call{impl.references[index], &info, &request, as_of, std::nullopt};
  CallOutcome outcome = impl.Run(&state, DecideTrampoline, &call, [&] { call.decision.reset(); });
  if (std::optional<Error> failure = impl.Failure(outcome, info)) return *failure;
  return std::move(call.decision);
}

Result<std::vector<JsonPatchOperation>> PolicyRuntime::RunEffect(size_t index,
                                                                 const ResolvedRequest& request,
                                                                 const Document& state,
                                                                 Date as_of) {
  Impl& impl = *impl_;
  const EffectInfo& info = impl.effects[index];
  std::vector<JsonPatchOperation> patch;
  EffectCall call{impl.effect_references[index], &info, &request, as_of, &patch, ""};
  CallOutcome outcome = impl.Run(&state, EffectTrampoline, &call, [&] {
    patch.clear();
    call.problem.clear();
  });
  PolicyInfo named;
  named.id = info.action;
  named.file = info.file;
  if (std::optional<Error> failure = impl.Failure(outcome, named, "effect of " + info.action)) {
    return *failure;
  }
  return patch;
}

}  // namespace partnerpolicy
