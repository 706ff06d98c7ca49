// One problem `lint` finds in a policy directory: where, how bad, what, and which check found it.
// Its own header so that each lint check (policy_lint.h, the message-catalog check) can name it
// without including the others.
#pragma once

#include <string>

#include "partnerpolicy/policy.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

struct LintProblem {
  SourceLocation where;                  // file, line and column, 1-based
  Severity severity = Severity::kError;  // kError or kWarning
  std::string message;
  std::string check;  // the check's id, e.g. "global-write"

  // "policies/x.lua:3:5: error: message [check]"
  std::string ToString() const;
};

}  // namespace partnerpolicy
