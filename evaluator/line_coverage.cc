#include "partnerpolicy/line_coverage.h"

namespace partnerpolicy {

void LineCoverage::Record(std::string_view chunk, int line) {
  auto it = lines_.find(chunk);
  if (it == lines_.end()) it = lines_.emplace(std::string(chunk), std::set<int>{}).first;
  it->second.insert(line);
}

void LineCoverage::Merge(const LineCoverage& other) {
  for (const auto& [chunk, lines] : other.lines_) lines_[chunk].insert(lines.begin(), lines.end());
}

}  // namespace partnerpolicy
