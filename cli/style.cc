#include "style.h"

#include <fmt/format.h>

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

std::string Printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace partnerpolicy::cli
