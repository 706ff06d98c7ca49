// The evaluator's front door: a policy set loaded from a directory, and evaluations of partner
// states against it (state checks and action decisions).
//
// Typical use:
//   Result<PolicySet> set = PolicySet::Load("policies");
//   Result<StateLoader> loader = StateLoader::Create("schemas/partner-state.schema.json");
//   Result<PartnerState> state = loader.value().Load("fixtures/examples/contoso.json");
//   Evaluator evaluator(set.value());
//   Result<std::vector<Finding>> findings = evaluator.Check(state.value(), as_of);
//
// The library never prints, exits or reads the clock; the evaluation date is always given.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "partnerpolicy/action_catalog.h"
#include "partnerpolicy/budgets.h"
#include "partnerpolicy/coverage.h"
#include "partnerpolicy/date.h"
#include "partnerpolicy/finding.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/partner_state.h"
#include "partnerpolicy/policy.h"
#include "partnerpolicy/policy_config.h"
#include "partnerpolicy/request.h"
#include "partnerpolicy/status.h"
#include "partnerpolicy/trace.h"

namespace partnerpolicy {

class PolicyRuntime;  // the Lua sandbox (internal: evaluator/lua/policy_runtime.h)

// Which date an evaluation uses, and where it came from (reports always say both).
struct EvaluationDate {
  Date date;
  std::string source;  // e.g. "--as-of", "fixture as_of", "today (UTC)"
};

// The Lua files of a policy directory: DIR/lib/*.lua are helper libraries, DIR/effects/**/*.lua
// action effects (see PolicySet::Load), every other DIR/**/*.lua a policy, except
// DIR/types/**/*.lua (editor type definitions, not read); each list in path order, each file
// named by its path as given ("policies/credits/x.lua"). Errors: DIR is not a directory (kIo),
// what the walk of DIR refuses (FilesUnder in directory_walk.h: a *.lua or *.messages.toml that
// is not a regular file, a symbolic link loop, a directory that cannot be read; kIo), a file
// cannot be read (kIo), no *.lua file outside DIR/types/ at all (kInvalidPolicy).
struct PolicyFiles {
  std::vector<PolicyText> policies;
  std::vector<PolicyText> libraries;
  std::vector<PolicyText> effects;
  bool has_effects_dir = false;  // DIR/effects/ exists (possibly empty)
};
Result<PolicyFiles> ReadPolicyFiles(const std::filesystem::path& dir);

// The policies of one directory with their settings in effect. Immutable once loaded; may be
// shared by evaluators on several threads.
class PolicySet {
 public:
  // Loads DIR/lib/*.lua (helper libraries, lib.<name> in policies), then the policies
  // DIR/**/*.lua but DIR/types/ (in path order), DIR/policies.toml (optional) and
  // DIR/actions.toml, and computes the set's content hash over exactly those files.
  // Errors: any policy that does not load (file:line), duplicate rule ids, settings naming an
  // unknown rule or parameter or of the wrong type (policies.toml:line:col), a policy deciding
  // an action that actions.toml does not declare, a file that cannot be read again for the hash
  // (kIo). When DIR/effects/ exists, its files load too: each returns a table of action names to
  // functions(req, state, ctx) giving the action's state change, and every action of
  // actions.toml must have exactly one effect: an action without one is an error at its
  // actions.toml line, an effect of an action actions.toml does not declare one at its
  // file:line, two files giving an effect for the same action an error naming both. Without
  // DIR/effects/ the set has no effects (Evaluator::Effect refuses).
  static Result<PolicySet> Load(const std::filesystem::path& dir, const Budgets& budgets = {});

  // A copy of this set with `overrides` applied on top of policies.toml (e.g. a policy test's
  // own parameters). Errors, at the overrides' locations: an unknown rule or parameter, a value
  // of the wrong type.
  Result<PolicySet> WithSettings(const PolicyConfig& overrides) const;

  const std::vector<PolicyInfo>& policies() const { return policies_; }  // sorted by id
  const ActionCatalog& actions() const { return actions_; }
  // The rule with that id, or nullptr; the pointer is into this set and lives as long as it.
  const PolicyInfo* Find(std::string_view rule_id) const;
  const Budgets& budgets() const { return budgets_; }
  const std::vector<PolicyText>& texts() const { return texts_; }
  const std::vector<PolicyText>& libraries() const { return libraries_; }        // policies/lib/
  const std::vector<PolicyText>& effect_files() const { return effect_files_; }  // effects/
  // The effects, sorted by action (empty when DIR/effects/ does not exist).
  const std::vector<EffectInfo>& effects() const { return effects_; }
  // The action's effect, or nullptr when it has none; owned by this set, as for Find.
  const EffectInfo* FindEffect(std::string_view action) const;
  bool has_effects() const { return has_effects_; }  // DIR/effects/ was loaded

  // The directory the set was loaded from, as given to Load.
  const std::string& directory() const { return directory_; }
  // SHA-256 (64 lowercase hex digits, see content_hash.h) over every file that determines what
  // the set decides: each policy, helper library and effects file, policies.toml (when present) and
  // actions.toml, each named by its path relative to the directory. The same files give the same
  // hash wherever the directory is; any byte changed in one of them gives another. Files the
  // loader does not read (tests, sources.toml) do not count. WithSettings keeps the hash: it
  // names the files, not settings applied on top of them.
  const std::string& content_hash() const { return content_hash_; }

 private:
  friend class Evaluator;
  // The sandbox that loaded the policies, kept for the first evaluator that needs one, so a
  // process that evaluates once (`can`) compiles the policies once, not twice. Shared by copies
  // (settings reach policies with each call, never through the sandbox).
  struct SpareRuntime;
  std::unique_ptr<PolicyRuntime> TakeSpareRuntime() const;

  std::shared_ptr<SpareRuntime> spare_;
  std::vector<PolicyText> texts_;         // same order as policies_
  std::vector<PolicyText> libraries_;     // helper libraries (DIR/lib/*.lua), in path order
  std::vector<PolicyText> effect_files_;  // DIR/effects/*.lua, in path order
  std::vector<EffectInfo> effects_;
  bool has_effects_ = false;
  std::vector<PolicyInfo> policies_;
  ActionCatalog actions_;
  Budgets budgets_;
  std::string directory_;
  std::string content_hash_;
};

// Evaluates states against a policy set. Not thread-safe; use one per thread.
//
// The policies are loaded into a sandbox when the evaluator first needs one, and that sandbox
// serves every later call (loading costs milliseconds; a decision then costs about a
// microsecond). Policies cannot write the state, their globals, the base library or the helper
// libraries, so only a policy's own local variables could carry anything from one call to the
// next (the bundled policies keep none). After a failed call the sandbox is dropped and the
// next call loads a fresh one. Where results must not depend on what was evaluated before,
// use one evaluator per state, as `check` does.
class Evaluator {
 public:
  // REQUIRES: `policies` outlives the evaluator (it keeps a pointer, not a copy).
  explicit Evaluator(const PolicySet& policies);
  // Records into `coverage` which lines of the policies and helper libraries run (loading
  // included) during every evaluation; nullptr records nothing and costs nothing.
  // REQUIRES: `policies` and `*coverage` outlive the evaluator.
  Evaluator(const PolicySet& policies, LineCoverage* coverage);
  ~Evaluator();
  Evaluator(Evaluator&&) noexcept;
  Evaluator& operator=(Evaluator&&) noexcept;

  const PolicySet& policies() const { return *policies_; }

  // All findings of every rule's state check, ordered by severity (errors first), rule id,
  // then position in the fixture. Errors: a policy failed or ran out of budget.
  Result<std::vector<Finding>> Check(const PartnerState& state, Date as_of) const;

  // The decision on a request: every governing rule is asked; denied when any denies. A
  // request may leave its targets and actor open (ResolvedRequest::open); rules then state
  // conditions on them. Errors: the request does not resolve (kUsage, listing valid choices),
  // a policy failed.
  Result<Decision> Decide(const PartnerState& state, const ActionRequest& request,
                          Date as_of) const;

  // The state change `request` would make: the action's effect (DIR/effects/) run on the state,
  // as JSON Patch operations on it, each value as JSON text (json_reader.h). It says what the
  // action does, not whether it is allowed: ask Decide for that. Every parameter but the optional
  // ones must be given, as the state after the action depends on them; the actor may be left out.
  // Errors: the request does not resolve (kUsage, as for Decide); it leaves a parameter open
  // (kUsage: "credit.reassign needs user=... to compute its effect"); the set has no effects
  // (kUsage); the effect failed or returned a malformed patch (kInvalidPolicy at its
  // file:line).
  Result<std::vector<JsonPatchOperation>> Effect(const PartnerState& state,
                                                 const ActionRequest& request, Date as_of) const;

  // Every alert of every rule dated on or before `horizon` (the last day of interest), soonest
  // first, then by severity (errors first), rule id and position in the fixture.
  Result<std::vector<Alert>> Alerts(const PartnerState& state, Date as_of, Date horizon) const;

  // What `partnerpolicy actions` lists: for every action and every entity of its subject's
  // collection (or the partner, for actions without a subject), the decision on the request
  // "ACTION subject=ID" as `actor`, with every other parameter left open. Each line is decided
  // by Decide on exactly `line.request`, so `can` with the same request gives the same answer.
  // `entity_id`, when not empty, keeps only the lines about that entity (a usage error when no
  // entity has that id). Lines are ordered by collection (state order), entity, action.
  struct ActionLine {
    std::string collection;  // "credits", or "partner"
    std::string entity_id;   // the subject's id, or the partner's id
    ActionRequest request;
    Decision decision;
  };
  Result<std::vector<ActionLine>> ListActions(const PartnerState& state, const std::string& actor,
                                              const std::string& entity_id, Date as_of) const;

  // From now on each Check, Decide and Alerts call replaces `*trace` with what every rule did:
  // whether it ran, the entities it read, what it concluded. nullptr stops tracing. A trace
  // changes no answer. REQUIRES: *trace outlives the calls.
  void set_trace(EvaluationTrace* trace) { trace_ = trace; }

 private:
  // The sandbox for a call: this evaluator's, the policy set's spare, or a new one.
  Result<PolicyRuntime*> Runtime() const;
  const PolicySet* policies_;
  LineCoverage* coverage_ = nullptr;
  EvaluationTrace* trace_ = nullptr;
  mutable std::unique_ptr<PolicyRuntime> runtime_;
};

}  // namespace partnerpolicy
