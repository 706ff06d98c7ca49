// Results of evaluation: findings of a state check and decisions on an action.
#pragma once

#include <string>
#include <vector>

#include "partnerpolicy/date.h"
#include "partnerpolicy/policy.h"

namespace partnerpolicy {

// One breach (or notice) a rule found in a partner state.
struct Finding {
  std::string rule_id;
  Severity severity = Severity::kError;
  std::string message;    // what is wrong, in domain words
  std::string remedy;     // what would fix it; may be empty
  std::string entity_id;  // the "id" of the entity, when it has one
  std::string pointer;    // JSON pointer of the entity in the fixture
  int line = 0;           // position of the entity in the fixture (1-based)
  int column = 0;
};

// Allowed, denied, or allowed on a condition about what the request left open (the target user,
// a number, the actor), e.g. "the user must not have a free-mail address".
enum class Verdict { kAllow, kDeny, kCondition };
const char* VerdictName(Verdict verdict);  // "allow", "deny", "condition"

// Something that lapses, runs out or falls due on a date: an alert (`partnerpolicy alerts`).
struct Alert {
  std::string rule_id;
  Severity severity = Severity::kWarning;
  Date on;                // the day it happens (may be past: overdue)
  std::string message;    // what happens then, in domain words
  std::string remedy;     // what to do before then; may be empty
  std::string entity_id;  // as for Finding
  std::string pointer;
  int line = 0;
  int column = 0;
};

// An extra answer a rule gives with its verdict, e.g. new_end_date = 2028-01-31.
struct Fact {
  std::string name;
  std::string value;     // as text
  bool numeric = false;  // true when value is a number (JSON reports keep the type)
};

// What one rule said about a requested action.
struct RuleDecision {
  std::string rule_id;
  Verdict verdict = Verdict::kAllow;
  std::string message;
  std::string remedy;       // for a denial: the smallest change that would allow the action
  std::vector<Fact> facts;  // sorted by name
};

// The answer to "can ACTOR do ACTION?": denied when any rule denies; allowed otherwise, on the
// conditions rules stated when the request left something open.
struct Decision {
  std::string action;
  bool allowed = true;
  std::vector<RuleDecision> rules;  // rules that had a say: denials, conditions, allows; by id
  std::vector<std::string> silent;  // rules that govern the action but had no say here
  std::vector<std::string> open;    // what the request left open (ResolvedRequest::open)

  bool conditional() const {
    for (const RuleDecision& rule : rules) {
      if (rule.verdict == Verdict::kCondition) return true;
    }
    return false;
  }
};

}  // namespace partnerpolicy
