// Reading a TOML file (policies.toml, actions.toml, sources.toml, waiver files) with toml++,
// keeping positions for every message. The files that read TOML include this header; toml++ is
// not part of any other header's contract.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "partnerpolicy/status.h"

namespace partnerpolicy {

// Larger TOML files are refused before parsing: settings and waivers are a few kilobytes.
inline constexpr uint64_t kMaxTomlFileBytes = 4ull << 20;

// Fences for toml++, which recurses per dotted key part and per nested value (a header of
// ~50,000 dotted parts crashes toml++ 3.3.0): real settings use a handful of each.
inline constexpr int kMaxTomlKeyParts = 64;
inline constexpr size_t kMaxTomlNesting = 32;

// Checks the shape of TOML text without parsing it: every key and table header has at most
// kMaxTomlKeyParts dotted parts, and arrays and inline tables nest at most kMaxTomlNesting
// deep. Returns the first violation (kInvalidConfig at file:line:col of the key, header or
// bracket), else nullopt. Linear in the text, no recursion; not a TOML validator.
std::optional<Error> CheckTomlShape(std::string_view text, const std::string& file);

// Parses the file. Errors: cannot be read (kIo), larger than kMaxTomlFileBytes, a shape
// CheckTomlShape refuses, or not TOML (kInvalidConfig at file:line:col with toml++'s
// description).
Result<toml::table> ReadTomlFile(const std::filesystem::path& path);

// Parses TOML text already read, `file` naming it in messages: the checks and errors of
// ReadTomlFile but kIo.
Result<toml::table> ParseTomlText(std::string_view contents, const std::string& file);

// file:line:col of a node's first character (line and column 1-based).
SourceLocation TomlWhere(const std::string& file, const toml::source_region& region);

}  // namespace partnerpolicy
