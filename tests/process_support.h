// Running the real partnerpolicy binary from tests: exit code and standard output.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace partnerpolicy::testing {

struct ProcessRun {
  int exit_code = -1;
  std::string out;
};

// Runs a shell command line (its words quoted with Quoted where needed): the exit code and
// standard output; standard error goes where the command line sends it.
inline ProcessRun Shell(const std::string& command) {
  ProcessRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// Runs the binary from the repository root with arguments (already shell-quoted); standard
// error is discarded.
inline ProcessRun Partnerpolicy(const std::string& arguments) {
  return Shell("cd '" + SourceDir().string() + "' && NO_COLOR=1 '" + PARTNERPOLICY_BINARY + "' " +
               arguments + " 2>/dev/null");
}

inline nlohmann::json Json(const ProcessRun& run) {
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << run.out;
  return j;
}

// Single-quotes a word for the shell.
inline std::string Quoted(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace partnerpolicy::testing
