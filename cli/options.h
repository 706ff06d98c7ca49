// Flags shared by the subcommands, and the decisions the CLI makes for the library: where the
// policies and the schema are, which date an evaluation uses, whether to print in colour.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy::cli {

// Report formats. text and json suit every command; github (workflow annotations), tap (Test
// Anything Protocol 13), junit (JUnit XML) and sarif (SARIF 2.1.0) are for check and alerts,
// which CI systems read.
enum class Format { kText, kJson, kGithub, kTap, kJunit, kSarif };

struct CommonOptions {
  std::string as_of;     // --as-of YYYY-MM-DD; empty = fixture's as_of, else today (UTC)
  std::string policies;  // --policies DIR; empty = see PolicyDirectory
  std::string schema;    // --schema FILE; empty = see SchemaNextToPolicies
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
// can: ALLOWED IF, allowed only on conditions nobody has checked yet; not 0, so that
// `can ... && act` does not act on them (see DecisionExitCode in decision_exit_code.h).
inline constexpr int kExitConditional = 3;

std::optional<Format> ParseFormat(const std::string& name);

// The policy directory every command uses, the first of:
//   1. --policies DIR, as given (whether or not it exists: loading it reports the error);
//   2. ./policies, when it holds actions.toml (running from a checkout or a project of one's own);
//   3. the installed policies, EXE_DIR/../share/partnerpolicy/policies where EXE_DIR is the
//      directory of the running program (/proc/self/exe), when that directory exists, as
//      `cmake --install` and the Debian package lay them out (/usr/bin -> /usr/share/...);
//   4. the policies of the source tree the program was built from (a build never installed).
std::filesystem::path PolicyDirectory(const CommonOptions& options);

// Everything a command needs before evaluating: the policy set and the state loader.
struct Setup {
  PolicySet policies;
  StateLoader loader;
  std::optional<Date> as_of_flag;
  std::string policy_dir;  // the directory the policies were loaded from
};
Result<Setup> Prepare(const CommonOptions& options);

// A schema file, the first of: DIR/../schemas/<name> beside the policy directory DIR; then
// ./schemas/<name>; then the installed schemas, EXE_DIR/../share/partnerpolicy/schemas/<name>
// when that directory exists; then the source tree's schemas/<name>. (--schema FILE, where a
// command has it, overrides all of these for the partner-state schema.)
std::string SchemaNextToPolicies(const std::string& policy_dir, const std::string& name);

// --fail-on: "error", "warning" or "info"; a usage error otherwise.
Result<Severity> ParseFailOn(const std::string& name);

// --as-of, else the fixture's as_of, else today in UTC: the only place the clock is read.
EvaluationDate ChooseEvaluationDate(const std::optional<Date>& flag,
                                    const std::optional<Date>& fixture);

// The last day of an alert horizon given as "30d", "4w", "3m" (calendar months, clamped to the
// month's end) or "1y" after `as_of`; a bare number means days. Errors (kUsage): `within` is not
// of that form (naming --within); the horizon ends after kLastEvaluationDay (date.h), naming
// --within when it would from any supported date, else the evaluation date and its source
// ("--as-of 9999-12-31: too late for the alert horizon --within 30d ...").
Result<Date> HorizonEnd(const EvaluationDate& as_of, const std::string& within);

// --trace is part of text and json reports only: a usage error for any other format.
Errors CheckTraceFormat(bool trace, Format format);

// Colour only on a terminal and only when NO_COLOR is unset (https://no-color.org).
bool UseColour();

}  // namespace partnerpolicy::cli
