// Shared helpers for tests: where the repository's data is, and loading it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine.h"
#include "partner_state.h"

namespace partnerpolicy::testing {

inline std::filesystem::path SourceDir() { return PARTNERPOLICY_SOURCE_DIR; }
inline std::filesystem::path PolicyDir() { return SourceDir() / "policies"; }
inline std::filesystem::path SchemaPath() {
  return SourceDir() / "schemas" / "partner-state.schema.json";
}
inline std::filesystem::path ExamplePath() {
  return SourceDir() / "fixtures" / "examples" / "contoso.json";
}

// All error messages joined by newlines, for readable assertion failures.
inline std::string Describe(const Errors& errors) {
  std::string out;
  for (const Error& e : errors) out += e.ToString() + "\n" + e.detail + "\n";
  return out;
}

// Unwraps a Result or fails the test with the errors.
template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) {
    ADD_FAILURE() << Describe(result.errors());
    std::abort();
  }
  return result.take();
}

inline StateLoader Loader() { return Must(StateLoader::Create(SchemaPath())); }
inline PolicySet BundledPolicies() { return Must(PolicySet::Load(PolicyDir())); }

}  // namespace partnerpolicy::testing
