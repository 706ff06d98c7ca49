// Reading a TOML file (policies.toml, actions.toml, sources.toml, waiver files) with toml++,
// keeping positions for every message. The files that read TOML include this header; toml++ is
// not part of any other header's contract.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>

#include "status.h"

namespace partnerpolicy {

// Larger TOML files are refused before parsing: settings and waivers are a few kilobytes.
inline constexpr uint64_t kMaxTomlFileBytes = 4ull << 20;

// Parses the file. Errors: cannot be read (kIo), larger than kMaxTomlFileBytes, or not TOML
// (kInvalidConfig at file:line:col with toml++'s description).
Result<toml::table> ReadTomlFile(const std::filesystem::path& path);

// file:line:col of a node's first character (line and column 1-based).
SourceLocation TomlWhere(const std::string& file, const toml::source_region& region);

}  // namespace partnerpolicy
