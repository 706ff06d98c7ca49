#include "toml_file.h"

#include <fstream>
#include <sstream>

namespace partnerpolicy {

SourceLocation TomlWhere(const std::string& file, const toml::source_region& region) {
  return SourceLocation{file, static_cast<int>(region.begin.line),
                        static_cast<int>(region.begin.column), ""};
}

Result<toml::table> ReadTomlFile(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot read: " + ec.message(), {file, 0, 0, ""}, ""};
  if (size > kMaxTomlFileBytes) {
    return Error{ErrorCode::kInvalidConfig, "file is larger than 4 MiB", {file, 0, 0, ""}, ""};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Error{ErrorCode::kIo, "cannot read", {file, 0, 0, ""}, ""};
  try {
    return toml::parse(text.str(), std::string_view(file));
  } catch (const toml::parse_error& error) {
    return Error{ErrorCode::kInvalidConfig, std::string(error.description()),
                 TomlWhere(file, error.source()), ""};
  }
}

}  // namespace partnerpolicy
