// Line coverage of policies and helper libraries: which lines ran during evaluations, against the
// lines that can run at all.
//
// What ran is recorded in a LineCoverage (line_coverage.h); this module compares it with the
// lines that can run, which it reads from the compiled chunk (lua/chunk_listing.h).
#pragma once

#include <string>
#include <vector>

#include "partnerpolicy/line_coverage.h"
#include "partnerpolicy/policy_text.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

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
