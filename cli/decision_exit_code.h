// The exit code of a decision, for every command that answers with one (`can`, and any command
// that decides actions the same way), so a script's `can ... && act` never acts on a condition.
#pragma once

#include "options.h"
#include "partnerpolicy/finding.h"

namespace partnerpolicy::cli {

// kExitOk for ALLOWED, kExitConditional for ALLOWED IF (allowed only if what the request left
// open meets the rules' conditions, which nothing has checked yet), kExitFindings for DENIED.
inline int DecisionExitCode(const Decision& decision) {
  if (!decision.allowed) return kExitFindings;
  return decision.conditional() ? kExitConditional : kExitOk;
}

}  // namespace partnerpolicy::cli
