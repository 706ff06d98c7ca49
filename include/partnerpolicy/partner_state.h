// Loading a partner state fixture: read, parse, validate against the schema, check integrity.
// Nothing reaches a policy until all of these pass; all problems in a file are reported at once.
#pragma once

#include <filesystem>
#include <optional>

#include "partnerpolicy/date.h"
#include "partnerpolicy/document.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/schema_validator.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

struct PartnerState {
  Document document;
  std::optional<Date> as_of;  // the fixture's own "as_of", when it has one
};

class StateLoader {
 public:
  // Reads the schema. Errors: the schema file is missing or invalid.
  static Result<StateLoader> Create(const std::filesystem::path& schema_path,
                                    const JsonLimits& limits = {});

  // Every problem of the file: a JSON syntax error (one, parsing stops there), else all schema
  // violations, else all integrity problems (dangling references, duplicate ids, bad e-mails,
  // impossible dates), else an as_of outside the supported evaluation dates (kFirstEvaluationDay
  // to kLastEvaluationDay, date.h). Each with file, line:column and JSON pointer.
  Result<PartnerState> Load(const std::filesystem::path& path) const;
  // The same for text already in memory (tests, fuzzing); `name` is used in messages.
  Result<PartnerState> LoadText(std::string_view text, const std::string& name) const;

 private:
  StateLoader(SchemaValidator validator, JsonLimits limits);
  Result<PartnerState> Check(Result<Document> parsed) const;

  SchemaValidator validator_;
  JsonLimits limits_;
};

}  // namespace partnerpolicy
