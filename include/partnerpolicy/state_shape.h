// The shape of a partner state as its JSON Schema declares it: which objects there are, the
// fields of each, and what each field holds (an object, a list of objects, a plain value).
//
// `partnerpolicy lint` checks the fields policies read against it (lua/state_reads.h). Read from
// the schema file itself, so it cannot drift from what the loader validates. Understands the
// part of JSON Schema that schemas/partner-state.schema.json uses: `type`, `properties`,
// `additionalProperties`, `items` and `$ref` into `#/$defs/`.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/document.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// What a field holds. For kObject and kObjectList, `object` is the index of the object's kind in
// StateShape::objects.
struct StateField {
  enum class Holds { kValue, kObject, kObjectList, kValueList };
  std::string name;
  Holds holds = Holds::kValue;
  int object = -1;
};

// One kind of object: the root, each `$defs` object, each object written inline.
struct StateObject {
  // Where such objects are, for messages: "the partner state" for the root, else the path from
  // it with [] for list elements ("credits[]", "partner.membership", "credits[].assignments[]").
  std::string path;
  bool closed = false;             // additionalProperties: false, so any other field is absent
  std::vector<StateField> fields;  // sorted by name
  const StateField* Find(std::string_view name) const;  // nullptr when absent; into `fields`
  std::vector<std::string> FieldNames() const;
};

struct StateShape {
  std::vector<StateObject> objects;      // objects[0] is the root
  std::vector<std::string> field_names;  // every field name of every object, sorted, unique

  // Index of the objects held by the root's list field `collection` ("credits"), or -1.
  int ElementOf(std::string_view collection) const;
};

// Reads the shape of `schema` (a JSON Schema document). Errors, at the schema's file and the
// offending value's line: the root is not an object schema, a `$ref` names no `#/$defs/` entry.
Result<StateShape> ReadStateShape(const Document& schema);

// Reads and parses the schema file first. Errors also: the file cannot be read or is not JSON.
Result<StateShape> ReadStateShape(const std::filesystem::path& schema_file);

}  // namespace partnerpolicy
