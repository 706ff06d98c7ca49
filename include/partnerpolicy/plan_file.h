// Plan files: the steps of a plan (plan.h) written down, for `partnerpolicy plan --file`.
#pragma once

#include <filesystem>
#include <vector>

#include "partnerpolicy/plan.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// Reads a plan file (TOML): [[step]] tables, each with `action` (required), `arguments` (an
// inline table of parameter = value: strings, integers or dates) and `as` (the actor), and an
// optional top-level `as`, the actor of every step that names none:
//   as = "alice"
//   [[step]]
//   action = "credit.reassign"
//   arguments = { credit = "MC-1", user = "carol" }
// Each step keeps the place of its table. Errors (kInvalidConfig, file:line:col, every problem
// of the file): TOML syntax, an unknown key, a value of the wrong type, a step without action,
// a file without steps; kIo when the file cannot be read. Whether the actions and parameters
// exist is for the plan run to say (RunPlan), against the policies in use.
Result<std::vector<PlanStep>> ReadPlanFile(const std::filesystem::path& path);

}  // namespace partnerpolicy
