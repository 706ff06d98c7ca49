// The lines of policies and helper libraries that ran during evaluations.
//
// An Evaluator given a LineCoverage records into it: the Lua runtime's line hook reports every
// line of a policy or library chunk as it starts to run (loading the chunk included). Without a
// sink no line hook is set, so evaluations cost nothing extra. coverage.h compares the record
// with the lines that can run.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace partnerpolicy {

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

}  // namespace partnerpolicy
