// Actions applied to states, and plans of them.
#include "partnerpolicy/plan.h"

#include <map>
#include <utility>

namespace partnerpolicy {
namespace {

// Prefixes every error's message with `prefix`.
Errors Prefixed(Errors errors, const std::string& prefix) {
  for (Error& error : errors) error.message = prefix + error.message;
  return errors;
}

std::string FindingKey(const Finding& finding) {
  return finding.rule_id + "|" + (finding.entity_id.empty() ? finding.pointer : finding.entity_id);
}

}  // namespace

Result<AppliedAction> ApplyAction(const Evaluator& evaluator, const StateLoader& loader,
                                  const PartnerState& state, const ActionRequest& request,
                                  Date as_of, const std::string& name) {
  Result<std::vector<JsonPatchOperation>> effect = evaluator.Effect(state, request, as_of);
  if (!effect.ok()) return effect.take_errors();
  const EffectInfo* info = evaluator.policies().FindEffect(request.action);
  // Effect succeeded, so the action has an effect.
  const std::string who = "the effect of " + request.action + " (" + info->file + ":" +
                          std::to_string(info->line) + ")";
  Result<std::string> text = ApplyJsonPatch(state.document, effect.value());
  if (!text.ok()) return Prefixed(text.take_errors(), who + ": ");
  Result<PartnerState> loaded = loader.LoadText(text.value(), name);
  if (!loaded.ok()) {
    // One error naming the action, the state's own problems below it: they point into a state
    // that exists only in memory, so the action is what the reader can act on.
    std::string detail;
    for (const Error& e : loaded.errors()) detail += (detail.empty() ? "" : "\n") + e.ToString();
    return Error{ErrorCode::kInvalidPolicy,
                 who + " leaves a state that does not load (" +
                     std::to_string(loaded.errors().size()) + " problem" +
                     (loaded.errors().size() == 1 ? "" : "s") + ")",
                 {info->file, info->line, 0, ""},
                 detail};
  }
  return AppliedAction{effect.take(), text.take(), loaded.take()};
}

bool PlanOutcome::conditional() const {
  for (const PlanStepOutcome& step : steps) {
    if (step.decision.allowed && step.decision.conditional()) return true;
  }
  return false;
}

Result<PlanOutcome> RunPlan(const Evaluator& evaluator, const StateLoader& loader,
                            const PartnerState& initial, const std::vector<PlanStep>& steps,
                            Date as_of, const std::string& name) {
  PlanOutcome outcome;
  std::optional<AppliedAction> last;  // the state after the last step applied
  for (size_t i = 0; i < steps.size(); ++i) {
    const PartnerState& now = last ? last->state : initial;
    const ActionRequest& request = steps[i].request;
    const std::string prefix =
        "step " + std::to_string(i + 1) + " (" + DescribeRequest(request) + "): ";
    auto failed = [&](Errors errors) {
      for (Error& error : errors) {
        if (error.where.file.empty()) error.where = steps[i].where;
      }
      return Prefixed(std::move(errors), prefix);
    };
    Result<Decision> decision = evaluator.Decide(now, request, as_of);
    if (!decision.ok()) return failed(decision.take_errors());
    PlanStepOutcome& step = outcome.steps.emplace_back();
    step.request = request;
    step.decision = decision.take();
    if (!step.decision.allowed) {
      outcome.denied = i;
      break;
    }
    Result<AppliedAction> applied = ApplyAction(evaluator, loader, now, request, as_of,
                                                name + " after step " + std::to_string(i + 1));
    if (!applied.ok()) return failed(applied.take_errors());
    step.effect = applied.value().effect;
    last.emplace(applied.take());
  }
  if (last) {
    outcome.final_state = std::move(last->state);
    outcome.final_text = std::move(last->text);
    return outcome;
  }
  // No step applied: the initial state, copied through the same writer.
  Result<std::string> text = ApplyJsonPatch(initial.document, {});
  if (!text.ok()) return text.take_errors();
  Result<PartnerState> copy = loader.LoadText(text.value(), name);
  if (!copy.ok()) return copy.take_errors();
  outcome.final_state = copy.take();
  outcome.final_text = text.take();
  return outcome;
}

std::string DescribeRequest(const ActionRequest& request) {
  std::string out = request.action;
  for (const auto& [name, value] : request.arguments) out += " " + name + "=" + value;
  if (!request.actor.empty()) out += " --as " + request.actor;
  return out;
}

std::vector<Finding> NewFindings(const std::vector<Finding>& before,
                                 const std::vector<Finding>& after, Severity severity) {
  std::map<std::string, int> seen;
  for (const Finding& f : before) {
    if (f.severity >= severity) ++seen[FindingKey(f)];
  }
  std::vector<Finding> added;
  for (const Finding& f : after) {
    if (f.severity < severity) continue;
    int& left = seen[FindingKey(f)];
    if (left > 0) {
      --left;
    } else {
      added.push_back(f);
    }
  }
  return added;
}

}  // namespace partnerpolicy
