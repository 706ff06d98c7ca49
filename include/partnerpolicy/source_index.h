// The sections policies may cite in `source = { seed = "...", section = "..." }`: for each seed
// document, the lines that can be section headings.
//
// The seed documents are not in the repository: tools/index_seeds.py writes the index to
// policies/sources.toml (read by ReadSourceIndex in policy_config.h), and IndexSeedDocuments
// builds the same index from the documents themselves. Both apply SeedHeading's rule.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/status.h"

namespace partnerpolicy {

struct SeedSections {
  std::string seed;                   // file name, e.g. "001_5c53631e905999a7.txt"
  std::string title;                  // what the document is (may be empty)
  std::vector<std::string> sections;  // candidate headings, in document order, unique
};

struct SourceIndex {
  std::string origin;               // what it was read from, for messages
  std::vector<SeedSections> seeds;  // sorted by file name

  // The sections of that seed file, or nullptr; points into `seeds`.
  const SeedSections* Find(std::string_view seed) const;
};

// The heading a line of a seed document can be, or nullopt: with spaces and tabs trimmed and one
// leading "- " list marker removed, a line that is not indented, not empty, at most 100
// characters (code points) long, has an ASCII letter, is not a table row ("|...") and does not
// end with '.', ':', ',' or ';'.
std::optional<std::string> SeedHeading(std::string_view line);

// Indexes every file of `dir` except README.md (titles are left empty; subdirectories are not
// entered). Errors (kIo): `dir` is not a directory, a file cannot be read, and what FilesUnder
// (directory_walk.h) refuses: an entry that is not a regular file, a symbolic link loop.
Result<SourceIndex> IndexSeedDocuments(const std::filesystem::path& dir);

// The candidate closest to `wanted` (edit distance), for "did you mean" hints; empty when there
// is none within half of `wanted`'s length. Ties go to a candidate with the same first letter,
// then to one whose length is closer, then to the first.
std::string Closest(std::string_view wanted, const std::vector<std::string>& candidates);

}  // namespace partnerpolicy
