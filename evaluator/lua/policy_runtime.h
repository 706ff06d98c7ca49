// The Lua policy runtime: one sandboxed Lua state holding a set of loaded policies.
//
// This module (evaluator/lua/) is the only code that calls the Lua C API. Policies are loaded as
// text only, each into its own environment over a read-only base (safe base functions, string,
// table, math without random, utf8, and the `pp` host library). Every call into Lua runs
// protected, under an instruction budget (count hook) and a memory budget (allocator); when a
// budget runs out the call fails even if the policy tried to catch the error with pcall.
//
// A PolicyRuntime is single-threaded; create one per thread. The partner state reaches Lua as a
// read-only view of the Document (userdata, no copy), valid only during the call it is passed to.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lua/policy_reading.h"
#include "partnerpolicy/budgets.h"
#include "partnerpolicy/date.h"
#include "partnerpolicy/document.h"
#include "partnerpolicy/finding.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/line_coverage.h"
#include "partnerpolicy/policy.h"
#include "partnerpolicy/policy_text.h"
#include "partnerpolicy/request.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

class PolicyRuntime {
 public:
  // Loads every policy (in the given order) and reads its metadata. Errors (kInvalidPolicy)
  // name the file and line: syntax errors, a chunk that does not return a table, missing or
  // malformed metadata, unknown fields, a Lua error while loading, an exceeded budget.
  // `libraries` (policies/lib/<name>.lua) load first: each returns a table that policies read
  // as lib.<name>, deeply read-only. With `coverage`, a line hook records every line of a policy
  // or library that runs, from loading on, until the runtime is destroyed.
  // `effects` (DIR/effects/*.lua) load last, in the same sandbox (lib, pp, read-only globals):
  // each returns a table of action names to functions(req, state, ctx) giving the state change
  // (see RunEffect). Errors also for an effects file that returns anything else, and for two
  // files giving an effect for the same action (file:line of both).
  static Result<std::unique_ptr<PolicyRuntime>> Create(
      const std::vector<PolicyText>& policies, const Budgets& budgets,
      const std::vector<PolicyText>& libraries = {}, LineCoverage* coverage = nullptr,
      const std::vector<PolicyText>& effects = {});
  // For checking policies without evaluating them (`partnerpolicy lint`): loads the libraries
  // and every policy as Create does (running each chunk, which builds its rule table; never
  // check, alerts or decide) but does not stop at a bad one. Errors only when the sandbox
  // cannot be built.
  static Result<PolicyReadings> Read(const std::vector<PolicyText>& policies,
                                     const Budgets& budgets,
                                     const std::vector<PolicyText>& libraries = {},
                                     const std::vector<PolicyText>& effects = {});

  ~PolicyRuntime();
  PolicyRuntime(const PolicyRuntime&) = delete;
  PolicyRuntime& operator=(const PolicyRuntime&) = delete;

  // Metadata as declared by the policies (declared severity and default parameters).
  const std::vector<PolicyInfo>& declared() const;
  // The effects loaded, sorted by action (one per action).
  const std::vector<EffectInfo>& effects() const;

  // Renumbers the policies: afterwards policy k is the one that was policy order[k] (a policy
  // set orders its rules by id, not by file). REQUIRES: order is a permutation of the indexes.
  void Reorder(const std::vector<size_t>& order);

  // While `reads` is set, every state node whose members a policy reads, or that it passes to a
  // host function, is appended to it (in order, without immediate repeats), for a trace of what
  // each rule looked at. nullptr stops recording (then a read costs one pointer test).
  void RecordReads(std::vector<NodeId>* reads);

  // Runs policy `index`'s state check with the given parameters. Findings come back in the order
  // reported; severity defaults to `info.severity`. Errors: a Lua error (file:line and
  // traceback), a budget stop, a malformed report (e.g. `at` is not a state node).
  // REQUIRES: declared()[index].has_check.
  Result<std::vector<Finding>> RunCheck(size_t index, const PolicyInfo& info, const Document& state,
                                        Date as_of);

  // Runs policy `index`'s alerts function: ctx.alert{at, on, message, remedy?, severity?} for
  // each thing that lapses, runs out or falls due; ctx.horizon is the last day of interest
  // (policies may skip later dates; the caller filters anyway). Errors as for RunCheck.
  // REQUIRES: declared()[index].has_alerts.
  Result<std::vector<Alert>> RunAlerts(size_t index, const PolicyInfo& info, const Document& state,
                                       Date as_of, Date horizon);

  // Asks policy `index` about a request. nullopt when the rule has no say.
  // REQUIRES: declared()[index].Governs(request.action).
  Result<std::optional<RuleDecision>> RunDecide(size_t index, const PolicyInfo& info,
                                                const ResolvedRequest& request,
                                                const Document& state, Date as_of);

  // Runs effect `index` (of effects()) on a request: effect(req, state, ctx) with req as
  // RunDecide builds it and ctx = { as_of = day }. It returns the state change as a list of
  // JSON Patch operations, { op = "add" | "replace" | "remove", path = "/...", value = ... },
  // which come back with each value as JSON text: tables with keys 1..n are arrays, tables with
  // string keys objects (members "id" first, then by bytes), an empty table an empty array,
  // state nodes their JSON; integers stay integers. Errors: a Lua error or budget stop (as for
  // RunDecide), and a malformed result, at the effect's file:line ("operation 2: 'op' must be
  // \"add\", \"replace\" or \"remove\"").
  Result<std::vector<JsonPatchOperation>> RunEffect(size_t index, const ResolvedRequest& request,
                                                    const Document& state, Date as_of);

 private:
  struct Impl;
  explicit PolicyRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace partnerpolicy
