// Arbitrary bytes as a `partnerpolicy can` request against the example fixture: one word per
// line, the first the action, then optionally `--as ACTOR`, then name=value arguments. Covers
// ParseArguments and ResolveRequest (ids, new users, integers, dates, lists, open parameters).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "partnerpolicy/engine.h"
#include "partnerpolicy/request.h"

using namespace partnerpolicy;

namespace {

std::vector<std::string> Lines(const uint8_t* data, size_t size) {
  std::vector<std::string> lines(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      lines.emplace_back();
    } else {
      lines.back().push_back(static_cast<char>(data[i]));
    }
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Result<PolicySet> bundled = PolicySet::Load(fuzz::SourcePath("policies"));
  const PolicySet& policies = fuzz::SetupOrDie(bundled, "loading the bundled policies");
  const PartnerState& state = fuzz::ExampleState();

  std::vector<std::string> words = Lines(data, size);
  ActionRequest request;
  request.action = words.front();
  size_t next = 1;
  if (words.size() >= 3 && words[1] == "--as") {
    request.actor = words[2];
    next = 3;
  }
  Result<std::vector<std::pair<std::string, std::string>>> arguments = ParseArguments(
      std::vector<std::string>(words.begin() + static_cast<long>(next), words.end()));
  if (!arguments.ok()) {
    fuzz::ExpectReportableErrors(arguments);
    return 0;
  }
  request.arguments = arguments.take();
  Result<ResolvedRequest> resolved = ResolveRequest(request, policies.actions(), state.document);
  if (!resolved.ok()) {
    fuzz::ExpectReportableErrors(resolved);
    return 0;
  }
  // A resolved request names a catalog action, and every entity it names is in the state.
  FUZZ_EXPECT(policies.actions().Find(resolved.value().action) != nullptr);
  for (const auto& [name, value] : resolved.value().params) {
    if (value.kind == RequestValue::Kind::kEntity) {
      FUZZ_EXPECT(value.node < state.document.node_count());
    }
  }
  return 0;
}
