// generate_states: writes seeded partner states (bench/state_generator.h) for benchmarks.
//
//   generate_states --users N --seed S [--as-of DATE] [--breach-share X] --out FILE
//   generate_states --users N --seed S [--as-of DATE] [--breach-share X] --count K --dir DIR
//
// The second form writes DIR/state-00001.json ... DIR/state-K.json with seeds S, S+1, ...
// (creating DIR when needed). Exit status: 0 written, 2 bad flags or a file that cannot be
// written (nothing is printed on success).
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "state_generator.h"

namespace {

namespace bench = partnerpolicy::bench;

constexpr int kExitError = 2;

int Fail(const std::string& message) {
  std::fprintf(stderr, "generate_states: %s\n", message.c_str());
  return kExitError;
}

// Writes `text` to `path`; on failure, a message naming the path and the reason.
std::optional<std::string> WriteFile(const std::filesystem::path& path, const std::string& text) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (out) out.close();
  if (!out) {
    std::string reason = errno != 0 ? std::strerror(errno) : "write failed";
    return "cannot write " + path.string() + ": " + reason;
  }
  return std::nullopt;
}

// "state-00042.json": numbered from 1, at least five digits so that names sort in order.
std::string StateFileName(uint64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 5) digits.insert(0, 5 - digits.size(), '0');
  return "state-" + digits + ".json";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"generate_states: seeded, deterministic partner states for benchmarks."};
  bench::GeneratorOptions options;
  std::string out;
  std::string dir;
  uint64_t count = 0;
  app.add_option("--users", options.users, "Number of users; other collections scale with it")
      ->required();
  app.add_option("--seed", options.seed, "Seed; the same flags always give the same bytes")
      ->required();
  app.add_option("--as-of", options.as_of, "The states' as_of date YYYY-MM-DD")
      ->capture_default_str();
  app.add_option("--breach-share", options.breach_share,
                 "Rough share of entities that break a rule, 0 to 1")
      ->capture_default_str();
  CLI::Option* out_option = app.add_option("--out", out, "Write one state to FILE");
  CLI::Option* dir_option =
      app.add_option("--dir", dir, "Write --count states to DIR/state-00001.json ...");
  CLI::Option* count_option =
      app.add_option("--count", count, "Number of states written to --dir (seeds S, S+1, ...)")
          ->check(CLI::Range(uint64_t{1}, uint64_t{100000}));
  out_option->excludes(dir_option);
  count_option->needs(dir_option);
  dir_option->needs(count_option);
  app.footer(
      "Examples:\n"
      "  generate_states --users 100000 --seed 7 --out /tmp/big.json\n"
      "  generate_states --users 1000 --seed 1 --count 20 --dir /tmp/states\n"
      "Exit codes: 0 written, 2 bad flags or a path that cannot be written.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "generate_states: %s\nRun with --help for usage.\n", e.what());
    return kExitError;
  }
  if (out.empty() && dir.empty()) return Fail("give --out FILE or --count K --dir DIR");
  if (std::string problem = bench::OptionsProblem(options); !problem.empty()) {
    return Fail(problem);
  }

  if (!out.empty()) {
    if (auto problem = WriteFile(out, bench::GeneratePartnerState(options))) return Fail(*problem);
    return 0;
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return Fail("cannot create directory " + dir + ": " + error.message());
  const uint64_t first_seed = options.seed;
  for (uint64_t k = 0; k < count; ++k) {
    options.seed = first_seed + k;  // wraps around after 2^64 - 1, like any uint64_t
    std::filesystem::path path = std::filesystem::path(dir) / StateFileName(k + 1);
    if (auto problem = WriteFile(path, bench::GeneratePartnerState(options))) {
      return Fail(*problem);
    }
  }
  return 0;
}
