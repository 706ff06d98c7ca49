// Results of evaluation: findings of a state check and decisions on an action.
#pragma once

#include <string>
#include <vector>

#include "policy.h"

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

enum class Verdict { kAllow, kDeny };

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

// The answer to "can ACTOR do ACTION?": denied when any rule denies.
struct Decision {
  std::string action;
  bool allowed = true;
  std::vector<RuleDecision> rules;  // rules that had a say, denials first, then by rule id
  std::vector<std::string> silent;  // rules that govern the action but had no say here
};

}  // namespace partnerpolicy
