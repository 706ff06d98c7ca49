// Line coverage of policies and helper libraries: which lines ran during evaluations, against the
// lines that can run at all.
//
// An Evaluator given a LineCoverage records into it: the Lua runtime's line hook reports every
// line of a policy or library chunk as it starts to run (loading the chunk included). Without a
// sink no line hook is set, so evaluations cost nothing extra.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace partnerpolicy {

struct PolicyText;

// Lines that ran, per chunk (named by its display path, "policies/credits/x.lua"). Not
// thread-safe: one per evaluator; Merge the records of evaluators on other threads.
class LineCoverage {
 public:
  void Record(std::string_view chunk, int line);
  void Merge(const LineCoverage& other);
  // Chunk name -> lines that ran, sorted.
  const std::map<std::string, std::set<int>, std::less<>>& lines() const { return lines_; }

 private:
  std::map<std::string, std::set<int>, std::less<>> lines_;
};

struct FileCoverage {
  std::string file;             // display path, "policies/credits/x.lua"
  std::vector<int> executable;  // lines a line hook can report, sorted
  std::vector<int> missed;      // executable lines that never ran, sorted
  int covered() const { return static_cast<int>(executable.size() - missed.size()); }
  // covered / executable in percent; 100 for a file without an executable line.
  double percent() const;
};

// The coverage of one policy or library text: its executable lines (from the chunk listing) and
// the ones `ran` has no record of. Errors: the text does not compile (kInvalidPolicy, file:line).
Result<FileCoverage> CoverageOf(const PolicyText& text, const LineCoverage& ran);

// "3, 7-9, 12": sorted line numbers with runs of consecutive lines joined.
std::string FormatLineRanges(const std::vector<int>& lines);

}  // namespace partnerpolicy
