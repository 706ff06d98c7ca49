#include "style.h"

namespace partnerpolicy::cli {

std::string Style::ForSeverity(Severity severity, const std::string& s) const {
  switch (severity) {
    case Severity::kError:
      return Red(s);
    case Severity::kWarning:
      return Yellow(s);
    case Severity::kInfo:
      return Dim(s);
  }
  return s;
}

}  // namespace partnerpolicy::cli
