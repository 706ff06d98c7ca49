// --trace: what each rule did in an evaluation (evaluator/trace.h), as text printed under a
// `can`, `check` or `alerts` report, or as the "trace" member of its JSON report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "partnerpolicy/trace.h"
#include "style.h"

namespace partnerpolicy::cli {

// "trace: 3 of 31 rules ran" then, per rule that ran, its conclusion, the entities it looked at
// and its message; the rules that did not run are named after, grouped by why. Long lists of
// entities are cut after kTraceEntitiesShown (the JSON report keeps them all). `indent` starts
// every line.
inline constexpr size_t kTraceEntitiesShown = 12;
std::string TraceText(const EvaluationTrace& trace, const Style& style, const std::string& indent);

// [{"rule_id", "ran", "not_run_reason"?, "looked_at": [...], "conclusion"?, "message"?}], by id.
nlohmann::ordered_json TraceJson(const EvaluationTrace& trace);

}  // namespace partnerpolicy::cli
