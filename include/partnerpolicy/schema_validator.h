// Validates a Document against a JSON Schema (the partner-state schema).
//
// The only user of valijson. The schema uses keywords whose meaning is the same in draft 7 and
// 2020-12, so this validator and CI's independent python-jsonschema check agree.
#pragma once

#include <filesystem>
#include <memory>

#include "partnerpolicy/document.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

class SchemaValidator {
 public:
  // Reads and compiles a schema file. Errors: unreadable file, invalid JSON, invalid schema.
  static Result<SchemaValidator> Load(const std::filesystem::path& schema_path);

  SchemaValidator(SchemaValidator&&) noexcept;
  SchemaValidator& operator=(SchemaValidator&&) noexcept;
  ~SchemaValidator();

  // Every violation in doc, in document order, each with the file, line:column and JSON pointer
  // of the offending value and what the schema expected there. Empty when doc is valid.
  Errors Validate(const Document& doc) const;

 private:
  struct Compiled;
  explicit SchemaValidator(std::unique_ptr<Compiled> compiled);
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace partnerpolicy
