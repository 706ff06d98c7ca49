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
  uint64_t max_bytes = 256ull << 20;  // larger files are refused before they are read
  int max_depth = 64;                 // partner states nest 4 levels; 64 leaves room
};

// Parses text (named source_name in errors). On failure the one error says where parsing
// stopped: "contoso.json:3:14: expected ',' or '}' after an object member".
Result<Document> ParseJson(std::string_view text, const std::string& source_name,
                           const JsonLimits& limits = {});

// Reads and parses a file; a missing, unreadable or oversized file is an error naming the path.
Result<Document> ReadJsonFile(const std::filesystem::path& path, const JsonLimits& limits = {});

}  // namespace partnerpolicy
