// Text made safe to print: values that came from a partner state, a waiver file, a file name or
// the command line, and whole reports and messages on their way to a terminal or a CI log.
// Used by every text formatter of the CLI (Printable) and by the two places that write
// (EmitReport in report_file.h, PrintSafely below).
#pragma once

#include <cstdio>
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

// What a whole report is, for SafeForOutput.
enum class Output {
  kText,         // text, TAP and JUnit XML reports, messages on standard error
  kAnnotations,  // GitHub workflow commands: their lines start with "::" on purpose
  kJson,         // JSON and SARIF: their writer escapes every string; left as they are
};

// A whole report or message made safe to write, whatever a formatter forgot (unless `kind` is
// kJson, which is returned unchanged):
//  - Printable with line breaks and tabs kept: a carriage return, an escape sequence or any
//    other control character becomes an escape. When `colour`, the colour codes Style writes
//    (style.h) are kept, and only those.
//  - GitHub workflow commands, which a GitHub runner executes from any line of a step's output:
//    "::" at the start of a line (after blanks) becomes "\x3a:", unless `kind` is kAnnotations,
//    and "##[" (the older form, found anywhere in a line) becomes "#\x23[".
// A line break inside a value cannot be told from the report's own here: the formatters escape
// values with Printable before putting them in a line.
std::string SafeForOutput(std::string_view text, Output kind, bool colour);

// Writes SafeForOutput(text, kind, false) to `stream`: how messages reach standard error, and
// the reports written without EmitReport.
void PrintSafely(std::FILE* stream, std::string_view text, Output kind = Output::kText);

}  // namespace partnerpolicy::cli
