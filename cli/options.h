// Flags shared by the subcommands, and the decisions the CLI makes for the library: where the
// policies and the schema are, which date an evaluation uses, whether to print in colour.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "engine.h"
#include "json_reader.h"
#include "status.h"

namespace partnerpolicy::cli {

// Report formats. text and json suit every command; github (workflow annotations), tap (Test
// Anything Protocol 13), junit (JUnit XML) and sarif (SARIF 2.1.0) are for check and alerts,
// which CI systems read.
enum class Format { kText, kJson, kGithub, kTap, kJunit, kSarif };

struct CommonOptions {
  std::string as_of;     // --as-of YYYY-MM-DD; empty = fixture's as_of, else today (UTC)
  std::string policies;  // --policies DIR; empty = ./policies, else the bundled policies
  std::string schema;    // --schema FILE; empty = next to the policies, else bundled
  std::string format = "text";
  std::string output;  // --output FILE: the report replaces FILE atomically; empty = stdout
  uint64_t max_instructions = Budgets{}.max_instructions;
  uint64_t max_memory_mb = Budgets{}.max_memory_bytes >> 20;
  uint64_t max_input_mb = JsonLimits{}.max_bytes >> 20;  // --max-input-mb: largest fixture read
};

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // check: an error-severity finding; can: denied
inline constexpr int kExitError = 2;     // bad input, bad policy, bad usage

std::optional<Format> ParseFormat(const std::string& name);

// --policies DIR, else ./policies when it holds actions.toml, else the bundled policies.
std::filesystem::path PolicyDirectory(const CommonOptions& options);

// Everything a command needs before evaluating: the policy set and the state loader.
struct Setup {
  PolicySet policies;
  StateLoader loader;
  std::optional<Date> as_of_flag;
  std::string policy_dir;  // the directory the policies were loaded from
};
Result<Setup> Prepare(const CommonOptions& options);

// schemas/<name> next to the policy directory, else under the working directory, else bundled.
std::string SchemaNextToPolicies(const std::string& policy_dir, const std::string& name);

// --fail-on: "error", "warning" or "info"; a usage error otherwise.
Result<Severity> ParseFailOn(const std::string& name);

// --as-of, else the fixture's as_of, else today in UTC: the only place the clock is read.
EvaluationDate ChooseEvaluationDate(const std::optional<Date>& flag,
                                    const std::optional<Date>& fixture);

// The last day of an alert horizon given as "30d", "4w", "3m" (calendar months, clamped to the
// month's end) or "1y" after `as_of`; a bare number means days. Errors (kUsage) say the form.
Result<Date> HorizonEnd(Date as_of, const std::string& within);

// --trace is part of text and json reports only: a usage error for any other format.
Errors CheckTraceFormat(bool trace, Format format);

// Colour only on a terminal and only when NO_COLOR is unset (https://no-color.org).
bool UseColour();

}  // namespace partnerpolicy::cli
