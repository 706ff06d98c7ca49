#include "partnerpolicy/lint_problem.h"

namespace partnerpolicy {

std::string LintProblem::ToString() const {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
         SeverityName(severity) + ": " + message + " [" + check + "]";
}

}  // namespace partnerpolicy
