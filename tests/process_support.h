// Running the real partnerpolicy binary from tests: exit code and standard output.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

// What a run wrote on each stream, and how long it took.
struct StreamsRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

// Runs the binary from the repository root with arguments (already shell-quoted, and may end in
// a redirection of standard output such as "> /dev/full"); standard error goes to `err_file`
// (a file of the test's scratch directory) and is read back.
inline StreamsRun PartnerpolicyStreams(const std::string& arguments,
                                       const std::filesystem::path& err_file) {
  auto start = std::chrono::steady_clock::now();
  ProcessRun run =
      Shell("cd '" + SourceDir().string() + "' && NO_COLOR=1 '" + PARTNERPOLICY_BINARY + "' " +
            arguments + " 2>'" + err_file.string() + "'");
  StreamsRun streams;
  streams.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  streams.exit_code = run.exit_code;
  streams.out = std::move(run.out);
  std::ifstream in(err_file, std::ios::binary);
  streams.err.assign(std::istreambuf_iterator<char>(in), {});
  return streams;
}

// The time a refusal may take: a second, several under AddressSanitizer (every run slower).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kQuickRefusalSeconds = 5;
#else
inline constexpr double kQuickRefusalSeconds = 1;
#endif

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
