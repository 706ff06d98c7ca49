// Locating the policies and schemas (flag, working directory, installed, source tree) and
// choosing the evaluation date.
#include "options.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string_view>

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
    if (as_of->days < kFirstEvaluationDay || as_of->days > kLastEvaluationDay) {
      return Error::Usage("--as-of " + options.as_of + ": outside the supported dates " +
                          FormatDate(Date{kFirstEvaluationDay}) + " to " +
                          FormatDate(Date{kLastEvaluationDay}));
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

namespace {

// Months from the first supported year to past the last: a longer horizon ends after 9999-12-31
// from any supported date (and would wrap std::chrono::year inside AddMonths).
constexpr int64_t kSupportedMonths = 12 * (9999 - 1900 + 1);

// The last day of `n` days, weeks, months or years (`unit` d, w, m, y) after `from`; nullopt
// when it falls after kLastEvaluationDay.
std::optional<Date> HorizonFrom(Date from, int64_t n, char unit) {
  int64_t last = 0;
  if (unit == 'd' || unit == 'w') {
    last = from.days + (unit == 'w' ? 7 : 1) * n;
  } else {
    int64_t months = unit == 'y' ? 12 * n : n;
    if (months > kSupportedMonths) return std::nullopt;
    last = AddMonths(from, months).days;
  }
  if (last > kLastEvaluationDay) return std::nullopt;
  return Date{last};
}

}  // namespace

Result<Date> HorizonEnd(const EvaluationDate& as_of, const std::string& within) {
  auto usage = [&] {
    return Error::Usage(
        "--within " + within +
        ": expected a number of days, weeks, months or years such as 30d, 4w, 3m, 1y");
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
      digits.find_first_not_of("0123456789") != std::string::npos ||
      std::string_view("dwmy").find(unit) == std::string_view::npos) {
    return usage();
  }
  int64_t n = std::stoll(digits);
  if (std::optional<Date> last = HorizonFrom(as_of.date, n, unit)) return *last;
  const std::string last_day = FormatDate(Date{kLastEvaluationDay});
  if (!HorizonFrom(Date{kFirstEvaluationDay}, n, unit)) {
    return Error::Usage("--within " + within +
                        ": longer than the supported dates allow, which run from " +
                        FormatDate(Date{kFirstEvaluationDay}) + " to " + last_day);
  }
  return Error::Usage(as_of.source + " " + FormatDate(as_of.date) +
                      ": too late for the alert horizon --within " + within +
                      ", which would end after " + last_day + ", the last supported date");
}

bool UseColour() {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && no_colour[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace partnerpolicy::cli
