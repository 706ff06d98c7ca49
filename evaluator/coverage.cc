// Line coverage: records from the line hook, and the executable lines from the chunk listing.
#include "partnerpolicy/coverage.h"

#include <algorithm>

#include "lua/chunk_listing.h"

namespace partnerpolicy {

double FileCoverage::percent() const {
  if (executable.empty()) return 100.0;
  return 100.0 * covered() / static_cast<double>(executable.size());
}

Result<FileCoverage> CoverageOf(const PolicyText& text, const LineCoverage& ran) {
  Result<ChunkFunction> chunk = ListChunk(text);
  if (!chunk.ok()) return chunk.take_errors();
  FileCoverage coverage;
  coverage.file = text.display_path;
  coverage.executable = ExecutableLines(chunk.value());
  auto record = ran.lines().find(text.display_path);
  for (int line : coverage.executable) {
    if (record == ran.lines().end() || record->second.count(line) == 0) {
      coverage.missed.push_back(line);
    }
  }
  return coverage;
}

std::string FormatLineRanges(const std::vector<int>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size();) {
    size_t j = i;
    while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(lines[i]);
    if (j > i) out += "-" + std::to_string(lines[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace partnerpolicy
