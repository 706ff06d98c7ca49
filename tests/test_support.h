// Shared helpers for tests: where the repository's data is, and loading it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "partnerpolicy/engine.h"
#include "partnerpolicy/partner_state.h"

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

// A copy of the bundled policies under /tmp with its own policies.toml; removed afterwards.
class TempPolicies {
 public:
  explicit TempPolicies(const std::string& settings) {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        std::filesystem::path("/tmp") / ("partnerpolicy-rules-test-" + std::to_string(::getpid()) +
                                         "-" + test->test_suite_name() + "-" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(PolicyDir(), dir_, std::filesystem::copy_options::recursive);
    Write(settings);
  }
  ~TempPolicies() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempPolicies(const TempPolicies&) = delete;
  TempPolicies& operator=(const TempPolicies&) = delete;

  void Write(const std::string& settings) const {
    std::ofstream out(toml(), std::ios::binary | std::ios::trunc);
    out << settings;
  }
  std::filesystem::path dir() const { return dir_; }
  std::filesystem::path toml() const { return dir_ / "policies.toml"; }
  Result<PolicySet> Load() const { return PolicySet::Load(dir_); }

 private:
  std::filesystem::path dir_;
};

}  // namespace partnerpolicy::testing
