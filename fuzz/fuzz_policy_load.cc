// Arbitrary text as a policy chunk inside the sandbox, with the bundled helper libraries it names
// loaded as for real policies. When the text loads as a policy, its state check and alerts also
// run on the example fixture. Small budgets keep every input fast; what must hold is that no input
// escapes the sandbox, crashes the host or fails without a located error.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "lua/policy_runtime.h"
#include "partnerpolicy/engine.h"

using namespace partnerpolicy;

namespace {

// The helper libraries an input can reach: those whose name (lib.<name>) its text contains, and
// those their texts name in turn. A chunk reaches a library only through lib.<name>, so the
// others need not load: loading lib/azure_roles.lua and lib/free_mail_domains.lua (160 KB of
// tables, made deeply read-only) for every input took 5 ms under ASan, twenty times the rest of
// an execution. An input that spells a name the fuzzer cannot see (lib["azure" .. "_roles"])
// reads nil, which is an ordinary policy error the invariants below still check.
std::vector<PolicyText> LibrariesNamedIn(const std::string& input,
                                         const std::vector<PolicyText>& libraries) {
  std::vector<bool> wanted(libraries.size(), false);
  std::vector<const std::string*> to_scan{&input};
  while (!to_scan.empty()) {
    const std::string& text = *to_scan.back();
    to_scan.pop_back();
    for (size_t i = 0; i < libraries.size(); ++i) {
      std::string name = std::filesystem::path(libraries[i].display_path).stem().string();
      if (!wanted[i] && text.find(name) != std::string::npos) {
        wanted[i] = true;
        to_scan.push_back(&libraries[i].text);
      }
    }
  }
  std::vector<PolicyText> named;
  for (size_t i = 0; i < libraries.size(); ++i) {
    if (wanted[i]) named.push_back(libraries[i]);
  }
  return named;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Result<PolicyFiles> files = ReadPolicyFiles(fuzz::SourcePath("policies"));
  const std::vector<PolicyText>& libraries =
      fuzz::SetupOrDie(files, "reading the bundled policies").libraries;
  const PartnerState& state = fuzz::ExampleState();
  static const Date as_of = *ParseDate("2025-06-01");

  // Allocations are charged on the instruction budget (one per byte), and loading the helper
  // libraries (lib/azure_roles.lua's tables) allocates a few hundred kilobytes.
  Budgets budgets;
  budgets.max_instructions = 2'000'000;
  budgets.max_memory_bytes = 32ull << 20;
  // The libraries must load under these budgets, or every input would stop before its own code
  // ran and the fuzzer would test nothing.
  static const bool libraries_load = [&] {
    std::vector<PolicyText> trivial{
        {"fuzz.lua",
         "return { id = 'fuzz.ok', title = 't', severity = 'error', description = "
         "'d', source = { seed = 's', section = 'x' }, check = function() end }"}};
    Result<std::unique_ptr<PolicyRuntime>> loaded =
        PolicyRuntime::Create(trivial, budgets, libraries);
    fuzz::SetupOrDie(loaded, "loading the helper libraries under the fuzzing budgets");
    return true;
  }();
  (void)libraries_load;
  std::vector<PolicyText> policy{
      {"fuzz.lua", std::string(reinterpret_cast<const char*>(data), size)}};
  Result<std::unique_ptr<PolicyRuntime>> runtime =
      PolicyRuntime::Create(policy, budgets, LibrariesNamedIn(policy.front().text, libraries));
  if (!runtime.ok()) {
    fuzz::ExpectReportableErrors(runtime);
    return 0;
  }
  PolicyRuntime& lua = *runtime.value();
  FUZZ_EXPECT(lua.declared().size() == 1);
  const PolicyInfo& info = lua.declared().front();
  FUZZ_EXPECT(!info.id.empty());
  if (info.has_check) {
    Result<std::vector<Finding>> findings = lua.RunCheck(0, info, state.document, as_of);
    if (!findings.ok()) fuzz::ExpectReportableErrors(findings);
  }
  if (info.has_alerts) {
    Result<std::vector<Alert>> alerts =
        lua.RunAlerts(0, info, state.document, as_of, Date{as_of.days + 90});
    if (!alerts.ok()) fuzz::ExpectReportableErrors(alerts);
  }
  return 0;
}
