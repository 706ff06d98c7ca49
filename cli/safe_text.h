// Text made safe to print: values that came from a partner state, a waiver file, a file name or
// the command line. Used by every text formatter of the CLI.
#pragma once

#include <string>
#include <string_view>

namespace partnerpolicy::cli {

// What Printable leaves as it is besides printable text.
enum class Keep {
  kNothing,            // a value inside a line: nothing it holds may break or move the line
  kTabs,               // a source line shown with a caret under it (source_excerpt.h)
  kLineBreaksAndTabs,  // text whose lines are the report's own (a whole report, a traceback)
};

// Makes text safe to print. Every control character becomes an escape: C0 (newline, carriage
// return and tab included, unless `keep` says otherwise), DEL and each byte that is not part of
// valid UTF-8 as \xNN; the C1 controls (U+0080-U+009F), the line and paragraph separators
// (U+2028, U+2029) and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
// U+2066-U+2069) as \uNNNN. Printable UTF-8 comes back unchanged, so ordinary text prints as it
// is; the result holds no control character, so applying Printable twice changes nothing.
// A backslash is not escaped: "\x0a" in the output may have been those four characters.
std::string Printable(std::string_view text, Keep keep = Keep::kNothing);

}  // namespace partnerpolicy::cli
