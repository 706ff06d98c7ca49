// `partnerpolicy rules` and `partnerpolicy explain`: the rule catalog and one rule in full, as
// compliance teams read them (text) or tools do (JSON, schemas/report.schema.json).
#pragma once

#include <string>
#include <vector>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/governs_matrix.h"
#include "partnerpolicy/source_index.h"
#include "text_output.h"

namespace partnerpolicy::cli {

struct RuleCatalog {
  std::string policy_dir;                // where the rules were loaded from
  const PolicySet* policies = nullptr;   // for action summaries
  std::vector<const PolicyInfo*> rules;  // by id
  std::string action;                    // --action: only rules deciding it; empty = all
  const SourceIndex* sources = nullptr;  // seed titles (DIR/sources.toml), or null
};

// One line per rule: id, severity (marked when policies.toml changed it), what it does (state
// check, alerts, the actions it decides), then its title indented.
std::string RulesReportText(const RuleCatalog& catalog, const Style& style);
// Everything about catalog.rules[0]: title, severity and where it was set, file, source (seed
// title when known), every parameter with its value and where the value came from, the actions
// it decides with their summaries, and its description wrapped to 96 columns.
std::string ExplainReportText(const RuleCatalog& catalog, const Style& style);

// `rules --matrix`: per action (a block each), what it touches, the rules that decide it, those
// that have no say with their reasons, and those that leave it unexplained with what they share.
std::string MatrixReportText(const RuleCatalog& catalog, const GovernsMatrix& matrix,
                             const Style& style);

std::string RulesReportJson(const RuleCatalog& catalog);
// The rules report (catalog.rules as `catalog`) with the matrix as `matrix`.
std::string MatrixReportJson(const RuleCatalog& catalog, const GovernsMatrix& matrix);
std::string ExplainReportJson(const RuleCatalog& catalog);  // of catalog.rules[0]

}  // namespace partnerpolicy::cli
