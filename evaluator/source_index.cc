// Candidate section headings of seed documents, and the closest one to a miss.
#include "partnerpolicy/source_index.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "partnerpolicy/directory_walk.h"

namespace partnerpolicy {
namespace {

constexpr size_t kMaxHeading = 100;  // code points; tools/index_seeds.py uses the same limit
constexpr std::string_view kTrim = " \t\r\f\v";

std::string_view Trim(std::string_view text) {
  size_t first = text.find_first_not_of(kTrim);
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(kTrim);
  return text.substr(first, last - first + 1);
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  }));
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const SeedSections* SourceIndex::Find(std::string_view seed) const {
  for (const SeedSections& s : seeds) {
    if (s.seed == seed) return &s;
  }
  return nullptr;
}

std::optional<std::string> SeedHeading(std::string_view line) {
  if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) return std::nullopt;
  std::string_view text = Trim(line);
  if (text.substr(0, 2) == "- ") text = Trim(text.substr(2));
  if (text.empty() || CodePoints(text) > kMaxHeading || text[0] == '|') return std::nullopt;
  if (std::string_view(".:,;").find(text.back()) != std::string_view::npos) return std::nullopt;
  bool letter = std::any_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (!letter) return std::nullopt;
  return std::string(text);
}

Result<SourceIndex> IndexSeedDocuments(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error{ErrorCode::kIo, "not a directory of seed documents", {dir.string(), 0, 0, ""}, ""};
  }
  SourceIndex index;
  index.origin = dir.string();
  Result<std::vector<std::filesystem::path>> files = FilesUnder(
      dir, [](const std::filesystem::path& path) { return path.filename() != "README.md"; },
      WalkDepth::kTopOnly);
  if (!files.ok()) return files.take_errors();
  for (const std::filesystem::path& file : files.value()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      return Error{ErrorCode::kIo, "cannot read", {file.string(), 0, 0, ""}, ""};
    }
    SeedSections seed;
    seed.seed = file.filename().string();
    std::istringstream lines(text.str());
    std::string line;
    while (std::getline(lines, line)) {
      std::optional<std::string> heading = SeedHeading(line);
      if (heading &&
          std::find(seed.sections.begin(), seed.sections.end(), *heading) == seed.sections.end()) {
        seed.sections.push_back(std::move(*heading));
      }
    }
    index.seeds.push_back(std::move(seed));
  }
  std::sort(index.seeds.begin(), index.seeds.end(),
            [](const SeedSections& a, const SeedSections& b) { return a.seed < b.seed; });
  return index;
}

std::string Closest(std::string_view wanted, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = wanted.size() / 2 + 1;
  // Among equally distant candidates, one that starts like `wanted` (a slip rarely hits the
  // first letter: "knd" is "kind" rather than "end"), then one of a closer length.
  auto rank = [&](const std::string& candidate) {
    bool same_start = !wanted.empty() && !candidate.empty() && candidate[0] == wanted[0];
    size_t length_gap = candidate.size() > wanted.size() ? candidate.size() - wanted.size()
                                                         : wanted.size() - candidate.size();
    return std::make_pair(same_start ? 0 : 1, length_gap);
  };
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(wanted, candidate);
    if (distance < best_distance ||
        (distance == best_distance && !best.empty() && rank(candidate) < rank(best))) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace partnerpolicy
