// What every fuzz target shares: where the bundled files are, and the invariant check.
//
// A fuzz target must find more than crashes: partnerpolicy promises that bad input is a clear
// error, never a silent pass. FUZZ_EXPECT turns a broken promise (an error without a message, a
// failure without an error) into an abort, which libFuzzer saves as a crash like any other.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "partnerpolicy/partner_state.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy::fuzz {

inline std::filesystem::path SourcePath(const std::string& relative) {
  return std::filesystem::path(PARTNERPOLICY_SOURCE_DIR) / relative;
}

// Stops the fuzzer when a setup step that does not depend on the input fails (a missing
// schema or policy directory): fuzzing against a half-built fixture would prove nothing.
template <typename T>
T& SetupOrDie(Result<T>& result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "fuzz setup: %s failed: %s\n", what,
                 result.errors().front().ToString().c_str());
    std::abort();
  }
  return result.value();
}

// The bundled example fixture, loaded once: the state requests resolve against and policies run
// on.
inline const PartnerState& ExampleState() {
  static Result<StateLoader> loader =
      StateLoader::Create(SourcePath("schemas/partner-state.schema.json"));
  static Result<PartnerState> example =
      SetupOrDie(loader, "loading the schema").Load(SourcePath("fixtures/examples/contoso.json"));
  return SetupOrDie(example, "loading the example fixture");
}

#define FUZZ_EXPECT(condition)                                                                    \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                               \
    }                                                                                             \
  } while (false)

// Every error of a failed result is reportable: there is at least one, each says what went
// wrong, and formatting it works (ToString is what the CLI prints).
template <typename T>
void ExpectReportableErrors(const Result<T>& result) {
  FUZZ_EXPECT(!result.errors().empty());
  for (const Error& error : result.errors()) {
    FUZZ_EXPECT(!error.message.empty());
    FUZZ_EXPECT(!error.ToString().empty());
  }
}

}  // namespace partnerpolicy::fuzz
