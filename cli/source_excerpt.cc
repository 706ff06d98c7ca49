#include "source_excerpt.h"

#include <algorithm>
#include <fstream>

#include "safe_text.h"

namespace partnerpolicy::cli {
namespace {

// Bytes of a line shown on each side of the column before it is cut.
constexpr size_t kHalfWindow = 60;

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string SourceExcerpt(const SourceLocation& where, const Style& style,
                          const std::string& indent) {
  if (where.file.empty() || where.line < 1 || where.column < 1) return "";
  std::ifstream in(where.file, std::ios::binary);
  if (!in) return "";
  std::string line;
  for (int n = 0; n < where.line; ++n) {
    if (!std::getline(in, line)) return "";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  size_t column = static_cast<size_t>(where.column - 1);
  if (column > line.size()) return "";
  size_t from = column > kHalfWindow ? column - kHalfWindow : 0;
  while (from > 0 && Continuation(line[from])) --from;
  size_t to = std::min(line.size(), column + kHalfWindow);
  while (to < line.size() && Continuation(line[to])) ++to;
  std::string shown = (from > 0 ? "..." : "") +
                      Printable(line.substr(from, to - from), Keep::kTabs) +
                      (to < line.size() ? "..." : "");
  // The caret goes under the column as shown: a tab for a tab, a space for each other character
  // (an escaped one is several).
  std::string caret = from > 0 ? "   " : "";
  for (char c : Printable(line.substr(from, column - from), Keep::kTabs)) {
    if (c == '\t') {
      caret += '\t';
    } else if (!Continuation(c)) {
      caret += ' ';
    }
  }
  return indent + shown + "\n" + indent + caret + style.Green("^") + "\n";
}

}  // namespace partnerpolicy::cli
