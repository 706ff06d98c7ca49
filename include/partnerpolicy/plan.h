// Applying actions to a partner state: the state an action leaves behind (its effect applied and
// the result loaded like any fixture), and plans, sequences of actions each decided on the state
// the steps before it produced.
//
// Typical use:
//   Result<PlanOutcome> plan = RunPlan(evaluator, loader, state, steps, as_of, "contoso.json");
//   if (plan.value().denied) { ... plan.value().steps.back() is the denied step ... }
//   Result<std::vector<Finding>> after = evaluator.Check(plan.value().final_state, as_of);
//
// What an action changes is its effect (policies/effects/*.lua, see Evaluator::Effect); whether
// it is allowed is the policies' decision (Evaluator::Decide). A plan asks both, step by step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/partner_state.h"

namespace partnerpolicy {

// The state after one action.
struct AppliedAction {
  std::vector<JsonPatchOperation> effect;  // what the action changed
  std::string text;                        // the new state as JSON text (ApplyJsonPatch's layout)
  PartnerState state;                      // that text, loaded
};

// Applies the effect of `request` (Evaluator::Effect) to `state` and loads the result with
// `loader` as a fixture is loaded (schema, then integrity), named `name` in its messages (e.g.
// "contoso.json after step 2"). Decides nothing: an action the policies deny still has an
// effect. Errors: those of Evaluator::Effect; a patch that does not apply; a result that is no
// valid partner state ("the effect of credit.use (policies/effects/credits.lua:40) leaves a
// state that does not load", each problem in the detail at its place in the new text).
Result<AppliedAction> ApplyAction(const Evaluator& evaluator, const StateLoader& loader,
                                  const PartnerState& state, const ActionRequest& request,
                                  Date as_of, const std::string& name);

// One step of a plan: an action request, and where it was written.
struct PlanStep {
  ActionRequest request;
  SourceLocation where;  // the [[step]] of a plan file (plan_file.h); empty on the command line
};

struct PlanStepOutcome {
  ActionRequest request;
  Decision decision;
  std::vector<JsonPatchOperation> effect;  // empty for the denied step (never applied)
};

struct PlanOutcome {
  // Every step decided, in order: all of them, or up to and including the first denied one.
  std::vector<PlanStepOutcome> steps;
  std::optional<size_t> denied;  // index of the denied step, when one was
  // The state after the last step applied ("NAME after step N"), or a copy of the initial
  // state (named NAME) when no step was applied; and its JSON text.
  PartnerState final_state;
  std::string final_text;

  // Whether some step was allowed only on conditions (ALLOWED IF).
  bool conditional() const;
};

// Runs a plan on `initial`: each step is decided (Evaluator::Decide) on the state the steps
// before it produced, all on the evaluation date `as_of`; an allowed step (ALLOWED or ALLOWED
// IF) is applied (ApplyAction) and the next step sees its result; the first denied step ends
// the plan. Errors stop the plan and name the step ("step 2 (credit.use credit=MC-1 ...): "),
// at the step's place in its plan file when the error has no place of its own: a request that
// does not resolve, an open parameter the effect needs, a policy or effect that fails, a result
// that is no valid state.
Result<PlanOutcome> RunPlan(const Evaluator& evaluator, const StateLoader& loader,
                            const PartnerState& initial, const std::vector<PlanStep>& steps,
                            Date as_of, const std::string& name);

// "credit.reassign credit=MC-1 user=carol --as alice": a request as a command line would give it.
std::string DescribeRequest(const ActionRequest& request);

// The findings of `after` of at least `severity` that `before` does not have: compared by rule
// and entity (its id, else its JSON pointer), as many times as each occurs, so a second finding
// of a rule on one entity is new too. In the order of `after`.
std::vector<Finding> NewFindings(const std::vector<Finding>& before,
                                 const std::vector<Finding>& after, Severity severity);

}  // namespace partnerpolicy
