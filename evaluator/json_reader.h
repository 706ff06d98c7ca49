// Reads JSON text into a Document, keeping the line and column of every value.
//
// The only user of nlohmann_json's parser. Parsing is event-driven (SAX) straight into the
// Document, so no intermediate DOM is built and the nesting depth is checked while parsing,
// before any recursion in a third-party library can be reached.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "document.h"
#include "status.h"

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

}  // namespace partnerpolicy
