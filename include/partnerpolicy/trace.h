// What each rule did in one evaluation, for `--trace`: whether it ran, which entities of the
// partner state it looked at, and what it concluded. A trace lets a surprising answer be
// followed rule by rule without a debugger; it never changes the answer.
#pragma once

#include <string>
#include <vector>

#include "partnerpolicy/document.h"

namespace partnerpolicy {

struct RuleTrace {
  std::string rule_id;
  bool ran = false;
  // When the rule did not run, why, in domain words: "does not decide credit.reassign",
  // "has no state check".
  std::string not_run_reason;
  // The entities it read, first read first, each once: "credits/MC-1", "users/u-carol",
  // "partner". An entity is an element of a top-level collection (named by its id, else its
  // position) or a top-level object.
  std::vector<std::string> looked_at;
  // What it concluded: for a decision "allow", "deny", "condition" or "no say"; for a state
  // check "no findings" or "2 findings"; for alerts "no alerts" or "3 alerts".
  std::string conclusion;
  std::string message;  // a decision's message, when the rule had a say
};

struct EvaluationTrace {
  std::vector<RuleTrace> rules;  // every rule of the policy set, by id
};

// The entities that `nodes` (nodes of `state` read by a policy) belong to, as RuleTrace
// names them, first read first, without repeats. Nodes that belong to no entity (the root, a
// top-level collection itself) are skipped.
std::vector<std::string> EntitiesRead(const Document& state, const std::vector<NodeId>& nodes);

}  // namespace partnerpolicy
