// schema_to_luacats SCHEMA (--output FILE | --check FILE): writes the LuaCATS definitions of a
// JSON Schema (luacats_writer.h) to FILE, or checks that FILE holds exactly them.
//
// The build target `luacats` writes policies/types/partner_state.lua from
// schemas/partner-state.schema.json; ctest runs --check, so the committed file cannot drift
// from the schema. Exit codes: 0 written or up to date, 1 FILE differs or is missing (--check),
// 2 bad usage, an unreadable or unmappable schema, or FILE cannot be written.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "luacats_writer.h"

namespace {

using partnerpolicy::luacats::LuaCatsOptions;
using partnerpolicy::luacats::LuaCatsResult;
using partnerpolicy::luacats::WriteLuaCats;

constexpr const char* kRegenerate = "cmake --build build --target luacats";

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  *text = bytes.str();
  return !in.bad();
}

// Line `n` (1-based) of text, or "(end of file)".
std::string LineOf(const std::string& text, size_t n) {
  size_t start = 0;
  for (size_t line = 1; line < n; ++line) {
    start = text.find('\n', start);
    if (start == std::string::npos) return "(end of file)";
    ++start;
  }
  if (start >= text.size()) return "(end of file)";
  return text.substr(start, text.find('\n', start) - start);
}

// The first line where a and b differ (1-based); 0 when they are equal.
size_t FirstDifference(const std::string& a, const std::string& b) {
  size_t line = 1;
  for (size_t i = 0; i < a.size() || i < b.size(); ++i) {
    if (i >= a.size() || i >= b.size() || a[i] != b[i]) return line;
    if (a[i] == '\n') ++line;
  }
  return 0;
}

int Check(const std::string& file, const std::string& schema_path, const std::string& generated) {
  std::string committed;
  if (!ReadFile(file, &committed)) {
    std::fprintf(stderr, "%s: cannot read it; generate it from %s with: %s\n", file.c_str(),
                 schema_path.c_str(), kRegenerate);
    return 1;
  }
  size_t line = FirstDifference(committed, generated);
  if (line == 0) {
    std::printf("%s is up to date with %s\n", file.c_str(), schema_path.c_str());
    return 0;
  }
  std::fprintf(stderr,
               "%s:%zu: differs from what %s generates\n"
               "  in the file: %s\n"
               "  generated:   %s\n"
               "Regenerate it (after changing the schema, never by hand): %s\n",
               file.c_str(), line, schema_path.c_str(), LineOf(committed, line).c_str(),
               LineOf(generated, line).c_str(), kRegenerate);
  return 1;
}

// Writes through a temporary file and a rename, and only when the text changed, so a build
// that regenerates nothing leaves the file (and its time stamp) alone.
int Write(const std::string& file, const std::string& generated) {
  std::string current;
  if (ReadFile(file, &current) && current == generated) return 0;
  std::string temporary = file + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << generated;
    if (!out.flush()) {
      std::fprintf(stderr, "%s: cannot write it\n", temporary.c_str());
      return 2;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    std::fprintf(stderr, "%s: cannot write it: %s\n", file.c_str(), ec.message().c_str());
    std::filesystem::remove(temporary, ec);
    return 2;
  }
  std::printf("wrote %s\n", file.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || (std::string(argv[2]) != "--output" && std::string(argv[2]) != "--check")) {
    std::fprintf(stderr,
                 "usage: schema_to_luacats SCHEMA --output FILE   write FILE\n"
                 "       schema_to_luacats SCHEMA --check FILE    exit 1 unless FILE is up to "
                 "date\n");
    return 2;
  }
  const std::string schema_path = argv[1];
  const std::string mode = argv[2];
  const std::string file = argv[3];

  std::string text;
  if (!ReadFile(schema_path, &text)) {
    std::fprintf(stderr, "%s: cannot read the schema\n", schema_path.c_str());
    return 2;
  }
  nlohmann::ordered_json schema;
  try {
    schema = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    std::fprintf(stderr, "%s: not JSON: %s\n", schema_path.c_str(), e.what());
    return 2;
  }

  LuaCatsOptions options;
  options.header =
      "The partner state as policies read it (the `state` of check, alerts and decide), for\n"
      "editors with lua-language-server.\n"
      "\n"
      "GENERATED from " +
      schema_path + " by tools/luacats: do not edit.\nChange the schema, then run " + kRegenerate +
      " (ctest fails while this\nfile is out of date).";
  LuaCatsResult result = WriteLuaCats(schema, options);
  if (!result.error.empty()) {
    std::fprintf(stderr, "%s: %s\n", schema_path.c_str(), result.error.c_str());
    return 2;
  }
  return mode == "--check" ? Check(file, schema_path, result.text) : Write(file, result.text);
}
