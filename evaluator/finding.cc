#include "partnerpolicy/finding.h"

namespace partnerpolicy {

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kDeny:
      return "deny";
    case Verdict::kCondition:
      return "condition";
  }
  return "?";
}

}  // namespace partnerpolicy
