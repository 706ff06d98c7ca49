// Formatting of errors as `file:line:col: message`.
#include "partnerpolicy/status.h"

namespace partnerpolicy {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput:
      return "invalid-input";
    case ErrorCode::kInvalidPolicy:
      return "invalid-policy";
    case ErrorCode::kInvalidConfig:
      return "invalid-config";
    case ErrorCode::kBudgetExceeded:
      return "budget-exceeded";
    case ErrorCode::kUsage:
      return "usage";
    case ErrorCode::kIo:
      return "io";
  }
  return "unknown";
}

std::string Error::ToString() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  out += message;
  if (!where.pointer.empty()) out += " (at " + where.pointer + ")";
  return out;
}

}  // namespace partnerpolicy
