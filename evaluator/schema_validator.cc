// Schema validation through valijson, reading the Document itself (document_adapter.h). The
// recursion is bounded: the JSON reader already refused deep nesting.
#include "partnerpolicy/schema_validator.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "document_adapter.h"
#include "partnerpolicy/json_reader.h"

namespace partnerpolicy {

struct SchemaValidator::Compiled {
  nlohmann::json schema_json;
  valijson::Schema schema;
};

namespace {

// valijson's context is {"<root>", "[users]", "[1]", "[email]"}; make it "/users/1/email".
std::string ContextToPointer(const std::vector<std::string>& context) {
  std::string out;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    std::string_view token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    AppendPointerToken(out, token);
  }
  return out;
}

// Follows "$ref": "#/$defs/x" (the only reference form the schema uses).
const nlohmann::json* Deref(const nlohmann::json& root, const nlohmann::json* schema) {
  for (int hops = 0; schema != nullptr && hops < 16; ++hops) {
    if (!schema->is_object() || !schema->contains("$ref")) return schema;
    const nlohmann::json& ref = (*schema)["$ref"];
    if (!ref.is_string() || ref.get<std::string>().rfind("#/", 0) != 0) return schema;
    try {
      schema = &root.at(nlohmann::json::json_pointer(ref.get<std::string>().substr(1)));
    } catch (const std::exception&) {
      return nullptr;
    }
  }
  return schema;
}

// The subschema that governs the value at `pointer`, or nullptr.
const nlohmann::json* SchemaAt(const nlohmann::json& root, const std::string& pointer) {
  const nlohmann::json* schema = Deref(root, &root);
  size_t start = 1;
  while (schema != nullptr && start <= pointer.size() && !pointer.empty()) {
    size_t end = pointer.find('/', start);
    std::string token = pointer.substr(start, end == std::string::npos ? end : end - start);
    start = end == std::string::npos ? pointer.size() + 1 : end + 1;
    if (schema->contains("properties") && (*schema)["properties"].contains(token)) {
      schema = &(*schema)["properties"][token];
    } else if (schema->contains("items") && (*schema)["items"].is_object()) {
      schema = &(*schema)["items"];
    } else if (schema->contains("additionalProperties") &&
               (*schema)["additionalProperties"].is_object()) {
      schema = &(*schema)["additionalProperties"];
    } else {
      return nullptr;
    }
    schema = Deref(root, schema);
  }
  return schema;
}

// " (expected one of: a, b)" / " (expected integer)" for the value at pointer, or "".
std::string Expected(const nlohmann::json& root, const std::string& pointer,
                     const std::string& description) {
  const nlohmann::json* schema = SchemaAt(root, pointer);
  if (schema == nullptr || !schema->is_object()) return "";
  if (description.find("enum") != std::string::npos && schema->contains("enum")) {
    std::string values;
    for (const auto& v : (*schema)["enum"]) values += (values.empty() ? "" : ", ") + v.dump();
    return "; expected one of: " + values;
  }
  if (description.find("'type'") != std::string::npos && schema->contains("type")) {
    return "; expected " + (*schema)["type"].dump();
  }
  if (description.find("valid date") != std::string::npos && schema->contains("format")) {
    return "; expected a calendar date YYYY-MM-DD";
  }
  return "";
}

// valijson checks "format": "date" by compiling a std::regex for every date it meets, which
// was most of the time spent validating a fixture. valijson caches the regexes of "pattern"
// constraints, so the copy of the schema valijson compiles says the same thing as a pattern
// (with minLength/maxLength 10 it is the same check). Whether the day exists (2026-02-30) is
// checked for every date field after the schema, by the state's integrity check.
constexpr const char* kDatePattern = "^[0-9]+-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$";

void DateFormatAsPattern(nlohmann::json& schema) {
  if (schema.is_object()) {
    auto format = schema.find("format");
    if (format != schema.end() && *format == "date" && !schema.contains("pattern")) {
      schema.erase(format);
      schema["pattern"] = kDatePattern;
    }
  }
  if (schema.is_structured()) {
    for (nlohmann::json& child : schema) DateFormatAsPattern(child);
  }
}

// valijson reports each failure once per enclosing schema ("Failed to validate item #1 in
// array", ...). Those wrappers repeat the leaf error with less information, so drop them.
bool IsWrapper(const std::string& description) {
  return description.rfind("Failed to validate", 0) == 0;
}

}  // namespace

namespace schema {

nlohmann::json ToJson(const Document& doc, NodeId id) {
  switch (doc.kind(id)) {
    case NodeKind::kNull:
      return nullptr;
    case NodeKind::kBool:
      return doc.boolean(id);
    case NodeKind::kInteger:
      return doc.integer(id);
    case NodeKind::kFloat:
      return doc.number(id);
    case NodeKind::kString: {
      // As DocumentValue::getString shows it (see kLongString).
      if (doc.string(id).size() > kLongString) return std::string(kLongString + 1, 'x');
      return std::string(doc.string(id));
    }
    case NodeKind::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (uint32_t i = 0; i < doc.size(id); ++i) out.push_back(ToJson(doc, doc.child(id, i)));
      return out;
    }
    case NodeKind::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (uint32_t i = 0; i < doc.size(id); ++i) {
        NodeId c = doc.child(id, i);
        out[std::string(doc.key(c))] = ToJson(doc, c);
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace schema

SchemaValidator::SchemaValidator(std::unique_ptr<Compiled> compiled)
    : compiled_(std::move(compiled)) {}
SchemaValidator::SchemaValidator(SchemaValidator&&) noexcept = default;
SchemaValidator& SchemaValidator::operator=(SchemaValidator&&) noexcept = default;
SchemaValidator::~SchemaValidator() = default;

Result<SchemaValidator> SchemaValidator::Load(const std::filesystem::path& schema_path) {
  Result<Document> doc = ReadJsonFile(schema_path);
  if (!doc.ok()) return doc.take_errors();
  auto compiled = std::make_unique<Compiled>();
  compiled->schema_json = schema::ToJson(doc.value(), doc.value().root());
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    nlohmann::json for_valijson = compiled->schema_json;
    DateFormatAsPattern(for_valijson);
    valijson::adapters::NlohmannJsonAdapter adapter(for_valijson);
    parser.populateSchema(adapter, compiled->schema);
  } catch (const std::exception& ex) {
    return Error{ErrorCode::kInvalidConfig, std::string("invalid JSON Schema: ") + ex.what(),
                 SourceLocation{schema_path.string(), 0, 0, ""}, ""};
  }
  return SchemaValidator(std::move(compiled));
}

Errors SchemaValidator::Validate(const Document& doc) const {
  schema::DocumentAdapter adapter(doc, doc.root());
  // One validator per thread: it holds the compiled "pattern" regexes (keyed by the pattern's
  // text, so schemas can share it), and std::regex is not safe to share between threads.
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  validator.validate(compiled_->schema, adapter, &results);

  std::vector<valijson::ValidationResults::Error> raw(results.begin(), results.end());
  bool any_leaf =
      std::any_of(raw.begin(), raw.end(), [](const auto& e) { return !IsWrapper(e.description); });
  struct Located {
    NodeId node;
    Error error;
  };
  std::vector<Located> located;
  for (const auto& e : raw) {
    if (any_leaf && IsWrapper(e.description)) continue;
    std::string pointer = ContextToPointer(e.context);
    NodeId node = doc.resolve(pointer);
    SourceLocation where{doc.source_name(), 0, 0, pointer.empty() ? "/" : pointer};
    if (node != kNoNode) {
      where.line = doc.line(node);
      where.column = doc.column(node);
    }
    std::string message = e.description;
    if (message.find("'pattern'") != std::string::npos &&
        SchemaAt(compiled_->schema_json, pointer) != nullptr &&
        SchemaAt(compiled_->schema_json, pointer)->value("format", "") == "date") {
      message = "String should be a valid date";  // the pattern stands for the date format
    }
    if (!message.empty() && message.back() == '.') message.pop_back();
    message += Expected(compiled_->schema_json, pointer, message);
    located.push_back({node, Error{ErrorCode::kInvalidInput, message, where, ""}});
  }
  std::stable_sort(located.begin(), located.end(), [](const Located& a, const Located& b) {
    return std::tie(a.error.where.line, a.error.where.column) <
           std::tie(b.error.where.line, b.error.where.column);
  });
  Errors out;
  for (auto& l : located) {
    bool duplicate = !out.empty() && out.back().message == l.error.message &&
                     out.back().where.pointer == l.error.where.pointer;
    if (!duplicate) out.push_back(std::move(l.error));
  }
  return out;
}

}  // namespace partnerpolicy
