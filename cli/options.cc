// Locating the policies and schemas (flag, working directory, installed, source tree) and
// choosing the evaluation date.
#include "options.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "install_paths.h"

namespace partnerpolicy::cli {
namespace {

namespace fs = std::filesystem;

// The data installed beside the program, else the source tree the program was built from (a
// build that was never installed).
fs::path BundledDir(const char* name) {
  std::optional<fs::path> installed = InstalledDataDirOfThisProgram(name);
  if (installed) return *installed;
  return fs::path(PARTNERPOLICY_SOURCE_DIR) / name;
}

fs::path SchemaFile(const CommonOptions& options, const fs::path& policy_dir) {
  if (!options.schema.empty()) return options.schema;
  return SchemaNextToPolicies(policy_dir.string(), "partner-state.schema.json");
}

}  // namespace

fs::path PolicyDirectory(const CommonOptions& options) {
  if (!options.policies.empty()) return options.policies;
  std::error_code ec;
  if (fs::is_directory("policies", ec) && fs::exists("policies/actions.toml", ec)) {
    return "policies";
  }
  return BundledDir("policies");
}

std::optional<Format> ParseFormat(const std::string& name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  if (name == "github") return Format::kGithub;
  if (name == "tap") return Format::kTap;
  if (name == "junit") return Format::kJunit;
  if (name == "sarif") return Format::kSarif;
  return std::nullopt;
}

Result<Setup> Prepare(const CommonOptions& options) {
  std::optional<Date> as_of;
  if (!options.as_of.empty()) {
    as_of = ParseDate(options.as_of);
    if (!as_of) {
      return Error{
          ErrorCode::kUsage, "--as-of " + options.as_of + ": expected a date YYYY-MM-DD", {}, ""};
    }
  }
  Budgets budgets;
  budgets.max_instructions = options.max_instructions;
  budgets.max_memory_bytes = options.max_memory_mb << 20;
  fs::path policy_dir = PolicyDirectory(options);
  Result<PolicySet> policies = PolicySet::Load(policy_dir, budgets);
  if (!policies.ok()) return policies.take_errors();
  JsonLimits limits;
  limits.max_bytes = options.max_input_mb << 20;
  Result<StateLoader> loader = StateLoader::Create(SchemaFile(options, policy_dir), limits);
  if (!loader.ok()) return loader.take_errors();
  return Setup{policies.take(), loader.take(), as_of, policy_dir.string()};
}

std::string SchemaNextToPolicies(const std::string& policy_dir, const std::string& name) {
  std::error_code ec;
  fs::path dir = fs::path(policy_dir).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // "policies/" names "policies"
  fs::path beside = dir.parent_path() / "schemas" / name;
  if (dir.has_parent_path() && fs::exists(beside, ec)) return beside.string();
  if (fs::exists(fs::path("schemas") / name, ec)) return (fs::path("schemas") / name).string();
  return (BundledDir("schemas") / name).string();
}

Errors CheckTraceFormat(bool trace, Format format) {
  if (!trace || format == Format::kText || format == Format::kJson) return {};
  return {Error{ErrorCode::kUsage,
                "--trace is shown in text and json reports only: use --format text or json, or "
                "drop --trace",
                {},
                ""}};
}

Result<Severity> ParseFailOn(const std::string& name) {
  std::optional<Severity> severity = ParseSeverity(name);
  if (!severity) {
    return Error{
        ErrorCode::kUsage, "--fail-on " + name + ": expected error, warning or info", {}, ""};
  }
  return *severity;
}

EvaluationDate ChooseEvaluationDate(const std::optional<Date>& flag,
                                    const std::optional<Date>& fixture) {
  if (flag) return EvaluationDate{*flag, "--as-of"};
  if (fixture) return EvaluationDate{*fixture, "the fixture's as_of"};
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return EvaluationDate{Date{today.time_since_epoch().count()}, "today (UTC)"};
}

Result<Date> HorizonEnd(Date as_of, const std::string& within) {
  auto usage = [&] {
    return Error{ErrorCode::kUsage,
                 "--within " + within +
                     ": expected a number of days, weeks, months or years such as 30d, 4w, 3m, 1y",
                 {},
                 ""};
  };
  if (within.empty()) return usage();
  char unit = within.back();
  std::string digits = within;
  if (unit < '0' || unit > '9') {
    digits.pop_back();
  } else {
    unit = 'd';
  }
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return usage();
  }
  int64_t n = std::stoll(digits);
  int64_t last = 0;
  switch (unit) {
    case 'd':
      last = as_of.days + n;
      break;
    case 'w':
      last = as_of.days + 7 * n;
      break;
    case 'm':
      last = AddMonths(as_of, n).days;
      break;
    case 'y':
      last = AddMonths(as_of, 12 * n).days;
      break;
    default:
      return usage();
  }
  if (last > kLastDay) return usage();
  return Date{last};
}

bool UseColour() {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && no_colour[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace partnerpolicy::cli
