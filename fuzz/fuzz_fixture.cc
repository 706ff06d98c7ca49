// Arbitrary bytes as a partner state fixture: JSON parsing (depth, size, bytes-safe strings),
// schema validation and the integrity checks, exactly as `partnerpolicy check` loads a file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "partnerpolicy/partner_state.h"

using namespace partnerpolicy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Result<StateLoader> loader =
      StateLoader::Create(fuzz::SourcePath("schemas/partner-state.schema.json"));
  const StateLoader& states = fuzz::SetupOrDie(loader, "loading the partner-state schema");

  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<PartnerState> state = states.LoadText(text, "fuzz.json");
  if (!state.ok()) {
    fuzz::ExpectReportableErrors(state);
    for (const Error& error : state.errors()) FUZZ_EXPECT(error.where.file == "fuzz.json");
    return 0;
  }
  // A state that loads passed the schema, whose root is an object with a partner.
  const Document& doc = state.value().document;
  FUZZ_EXPECT(doc.member(doc.root(), "partner") != kNoNode);
  return 0;
}
