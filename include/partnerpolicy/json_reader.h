// Reads JSON text into a Document, keeping the line and column of every value; and writes a
// Document back as JSON text, changed by a JSON Patch (an action's effect, see engine.h).
//
// The library's reader of nlohmann_json (the schema validator also hands it to valijson). Parsing
// is event-driven (SAX) straight into the Document, so no intermediate DOM is built and the nesting
// depth is checked while parsing, before any recursion in a third-party library can be reached.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/document.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

struct JsonLimits {
  // Larger files are refused before they are read (a partner state is kilobytes; 64 MiB of
  // JSON already takes several hundred MiB as a Document).
  uint64_t max_bytes = 64ull << 20;
  int max_depth = 64;  // partner states nest 4 levels; 64 leaves room
};

// Parses text (named source_name in errors). On failure the one error says where parsing
// stopped: "contoso.json:3:14: expected ',' or '}' after an object member". Strings are bytes
// checked as they are read: invalid UTF-8 (raw or as a lone \uD800 surrogate) and NUL
// characters (\u0000, which C strings downstream would cut at) are errors at line:col, the
// latter also with the JSON pointer; no string is ever shortened.
Result<Document> ParseJson(std::string_view text, const std::string& source_name,
                           const JsonLimits& limits = {});

// Reads and parses a file; a missing, unreadable or oversized file is an error naming the path.
Result<Document> ReadJsonFile(const std::filesystem::path& path, const JsonLimits& limits = {});

// One operation of a JSON Patch (RFC 6902), as an action's effect gives it.
struct JsonPatchOperation {
  std::string op;     // "add", "replace" or "remove"
  std::string path;   // RFC 6901 pointer, e.g. "/credits/2/assignments/-"
  std::string value;  // the value as JSON text (add, replace); empty for remove
};

// The document as JSON text after applying `patch`, operation by operation as RFC 6902 says:
// members keep their order (an added member comes last), two-space indentation, a final
// newline. An empty patch gives the document itself in that layout. Errors (kInvalidInput),
// naming the operation (1-based) and its path: a path that names nothing (or, for add, no
// container), a value that is not JSON.
Result<std::string> ApplyJsonPatch(const Document& document,
                                   const std::vector<JsonPatchOperation>& patch);

}  // namespace partnerpolicy
