// The three loading stages, in order; a stage runs only when the one before passed, since later
// stages assume the earlier guarantees (integrity checks assume the schema's shapes).
#include "partnerpolicy/partner_state.h"

#include "state_integrity.h"

namespace partnerpolicy {

StateLoader::StateLoader(SchemaValidator validator, JsonLimits limits)
    : validator_(std::move(validator)), limits_(limits) {}

Result<StateLoader> StateLoader::Create(const std::filesystem::path& schema_path,
                                        const JsonLimits& limits) {
  Result<SchemaValidator> validator = SchemaValidator::Load(schema_path);
  if (!validator.ok()) return validator.take_errors();
  return StateLoader(validator.take(), limits);
}

Result<PartnerState> StateLoader::Load(const std::filesystem::path& path) const {
  return Check(ReadJsonFile(path, limits_));
}

Result<PartnerState> StateLoader::LoadText(std::string_view text, const std::string& name) const {
  return Check(ParseJson(text, name, limits_));
}

Result<PartnerState> StateLoader::Check(Result<Document> parsed) const {
  if (!parsed.ok()) return parsed.take_errors();
  Document doc = parsed.take();
  Errors errors = validator_.Validate(doc);
  if (!errors.empty()) return errors;
  errors = CheckStateIntegrity(doc);
  if (!errors.empty()) return errors;
  PartnerState state;
  NodeId as_of = doc.member(doc.root(), "as_of");
  if (as_of != kNoNode && doc.kind(as_of) == NodeKind::kString) {
    state.as_of = ParseDate(doc.string(as_of));
    if (state.as_of &&
        (state.as_of->days < kFirstEvaluationDay || state.as_of->days > kLastEvaluationDay)) {
      return Error::InvalidInput(
          {doc.source_name(), doc.line(as_of), doc.column(as_of), doc.pointer(as_of)},
          "as_of " + FormatDate(*state.as_of) + " is outside the supported evaluation dates " +
              FormatDate(Date{kFirstEvaluationDay}) + " to " +
              FormatDate(Date{kLastEvaluationDay}));
    }
  }
  state.document = std::move(doc);
  return state;
}

}  // namespace partnerpolicy
