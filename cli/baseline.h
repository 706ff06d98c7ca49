// --baseline: a previous `check --format json` report, so that only findings new since then are
// reported (and fail the run).
//
// A finding is identified by its fingerprint, rule_id + "|" + entity_id, within its fixture's
// path as written in the report (compared after lexical normalisation: "./a/../b.json" is
// "b.json"). Positions are never part of it, so reformatting a fixture or inserting lines does
// not make old findings new. Fingerprints are counted: when the baseline holds a fingerprint n
// times for a fixture, the first n findings with it are unchanged and any further ones are new.
// The baseline's entry for the --waivers file is ignored, and the waiver file's own findings
// are never baselined: an expired waiver is news on every run.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "text_output.h"

namespace partnerpolicy::cli {

// "rule_id|entity_id": the "fingerprint" of a finding in JSON check reports.
std::string Fingerprint(const Finding& finding);

class Baseline {
 public:
  // Reads a check report written by `check --format json`. Each finding's "fingerprint" is
  // used; a report without them (written before fingerprints) falls back to "rule_id" and
  // "entity_id". Errors (kInvalidInput, file:line:col and JSON pointer, saying what was
  // expected): not JSON, a report of another kind ("can", "alerts", ...) or an error report, a
  // report version other than "1", a fixture or finding without the members read here, or an
  // empty "fingerprint".
  // A missing or unreadable file is kIo.
  static Result<Baseline> Read(const std::filesystem::path& file);

  // Moves each finding of an evaluated fixture that the baseline holds from `findings` to
  // `unchanged` (order otherwise kept) and counts what the baseline holds that is gone.
  // The waiver file's entry is left as it is.
  BaselineSummary Apply(std::vector<FixtureResult>* results) const;

 private:
  std::string file_;
  // Normalised fixture path -> fingerprint -> how many findings had it. A path the report
  // lists twice keeps its first entry.
  std::map<std::string, std::map<std::string, int>> fixtures_;
};

}  // namespace partnerpolicy::cli
