// The place an error or a lint problem points at, shown as clang and ninja show it: the source
// line, indented, and a caret under the column.
#pragma once

#include <string>

#include "partnerpolicy/status.h"
#include "style.h"

namespace partnerpolicy::cli {

// "<indent><the line>\n<indent><spaces>^\n" for `where`, or "" when the file cannot be read, has no
// such line, or the column is unknown (0). A long line (minified JSON) is cut to a window around
// the column, marked with "..."; tabs before the column are kept so the caret lines up, and UTF-8
// continuation bytes take no room.
std::string SourceExcerpt(const SourceLocation& where, const Style& style,
                          const std::string& indent = "    ");

}  // namespace partnerpolicy::cli
