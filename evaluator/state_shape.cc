// Reads the objects and fields of a partner state out of its JSON Schema (a Document from
// json_reader), following `$ref`s into `#/$defs/`.
#include "partnerpolicy/state_shape.h"

#include <algorithm>
#include <map>

#include "partnerpolicy/json_reader.h"

namespace partnerpolicy {
namespace {

constexpr int kMaxReferences = 32;  // a chain of $refs longer than this is a cycle

class ShapeReader {
 public:
  explicit ShapeReader(const Document& schema) : doc_(schema) {}

  Result<StateShape> Read() {
    if (doc_.kind(doc_.root()) != NodeKind::kObject || !IsObject(doc_.root())) {
      Fail(doc_.root(), "the partner-state schema's root must be an object schema");
      return errors_;
    }
    ObjectIndex(doc_.root(), "the partner state");
    if (!errors_.empty()) return errors_;
    for (const StateObject& object : shape_.objects) {
      for (const StateField& field : object.fields) shape_.field_names.push_back(field.name);
    }
    std::sort(shape_.field_names.begin(), shape_.field_names.end());
    shape_.field_names.erase(std::unique(shape_.field_names.begin(), shape_.field_names.end()),
                             shape_.field_names.end());
    return std::move(shape_);
  }

 private:
  void Fail(NodeId node, std::string message) {
    errors_.push_back(Error{ErrorCode::kInvalidConfig,
                            std::move(message),
                            {doc_.source_name(), doc_.line(node), doc_.column(node), ""},
                            ""});
  }

  bool IsType(NodeId schema, std::string_view type) const {
    NodeId node = doc_.member(schema, "type");
    return node != kNoNode && doc_.kind(node) == NodeKind::kString && doc_.string(node) == type;
  }
  bool IsObject(NodeId schema) const {
    return IsType(schema, "object") || doc_.member(schema, "properties") != kNoNode;
  }

  // The schema `schema` stands for once its `$ref`s are followed, or kNoNode after an error.
  NodeId Resolve(NodeId schema) {
    for (int hops = 0; schema != kNoNode && doc_.kind(schema) == NodeKind::kObject; ++hops) {
      NodeId ref = doc_.member(schema, "$ref");
      if (ref == kNoNode) return schema;
      if (hops == kMaxReferences) {
        Fail(ref, "$ref chain longer than " + std::to_string(kMaxReferences) + " (a cycle?)");
        return kNoNode;
      }
      std::string_view target =
          doc_.kind(ref) == NodeKind::kString ? doc_.string(ref) : std::string_view{};
      if (target.substr(0, 8) != "#/$defs/") {
        Fail(ref, "$ref must point into #/$defs/");
        return kNoNode;
      }
      NodeId next = doc_.resolve(target.substr(1));
      if (next == kNoNode) {
        Fail(ref, "$ref names no definition: " + std::string(target));
        return kNoNode;
      }
      schema = next;
    }
    return schema;
  }

  // The index of the object kind `schema` describes, reading it the first time; `path` is where
  // it was first met.
  int ObjectIndex(NodeId schema, const std::string& path) {
    auto known = index_of_.find(schema);
    if (known != index_of_.end()) return known->second;
    int index = static_cast<int>(shape_.objects.size());
    index_of_[schema] = index;
    shape_.objects.emplace_back();
    shape_.objects[index].path = path;
    NodeId extra = doc_.member(schema, "additionalProperties");
    shape_.objects[index].closed =
        extra != kNoNode && doc_.kind(extra) == NodeKind::kBool && !doc_.boolean(extra);

    std::vector<StateField> fields;
    NodeId properties = doc_.member(schema, "properties");
    if (properties != kNoNode && doc_.kind(properties) == NodeKind::kObject) {
      const std::string prefix = index == 0 ? "" : path + ".";
      for (uint32_t i = 0; i < doc_.size(properties); ++i) {
        NodeId property = doc_.child(properties, i);
        StateField field;
        field.name = std::string(doc_.key(property));
        NodeId value = Resolve(property);
        if (value == kNoNode) continue;
        if (IsObject(value)) {
          field.holds = StateField::Holds::kObject;
          field.object = ObjectIndex(value, prefix + field.name);
        } else if (IsType(value, "array")) {
          NodeId items = doc_.member(value, "items");
          items = items == kNoNode ? kNoNode : Resolve(items);
          if (items != kNoNode && IsObject(items)) {
            field.holds = StateField::Holds::kObjectList;
            field.object = ObjectIndex(items, prefix + field.name + "[]");
          } else {
            field.holds = StateField::Holds::kValueList;
          }
        }
        fields.push_back(std::move(field));
      }
    }
    std::sort(fields.begin(), fields.end(),
              [](const StateField& a, const StateField& b) { return a.name < b.name; });
    shape_.objects[index].fields = std::move(fields);
    return index;
  }

  const Document& doc_;
  StateShape shape_;
  std::map<NodeId, int> index_of_;
  Errors errors_;
};

}  // namespace

const StateField* StateObject::Find(std::string_view name) const {
  auto it = std::lower_bound(fields.begin(), fields.end(), name,
                             [](const StateField& f, std::string_view n) { return f.name < n; });
  return it != fields.end() && it->name == name ? &*it : nullptr;
}

std::vector<std::string> StateObject::FieldNames() const {
  std::vector<std::string> names;
  for (const StateField& field : fields) names.push_back(field.name);
  return names;
}

int StateShape::ElementOf(std::string_view collection) const {
  if (objects.empty()) return -1;
  const StateField* field = objects[0].Find(collection);
  return field != nullptr && field->holds == StateField::Holds::kObjectList ? field->object : -1;
}

Result<StateShape> ReadStateShape(const Document& schema) { return ShapeReader(schema).Read(); }

Result<StateShape> ReadStateShape(const std::filesystem::path& schema_file) {
  Result<Document> schema = ReadJsonFile(schema_file);
  if (!schema.ok()) return schema.take_errors();
  return ReadStateShape(schema.value());
}

}  // namespace partnerpolicy
