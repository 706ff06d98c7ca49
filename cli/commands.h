// The subcommands. Each returns the process exit code (see options.h) and prints its report.
#pragma once

#include <string>
#include <vector>

#include "options.h"

namespace partnerpolicy::cli {

struct CheckOptions {
  std::vector<std::string> fixtures;
};
int RunCheck(const CommonOptions& common, const CheckOptions& options);

struct CanOptions {
  std::string action;
  std::string state;
  std::string actor;
  std::vector<std::string> arguments;  // name=value
};
int RunCan(const CommonOptions& common, const CanOptions& options);

// Prints errors (text to stderr, or a JSON error report to stdout) and returns kExitError.
int ReportErrors(const Errors& errors, Format format);

}  // namespace partnerpolicy::cli
