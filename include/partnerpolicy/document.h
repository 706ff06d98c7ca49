// An immutable JSON document with the source position of every value.
//
// A fixture is parsed once into a Document; the schema validator, the integrity checks and the
// Lua state view all read it, so reports can name the line and column of any entity. Nodes are
// addressed by NodeId (an index); containers keep their children in document order, which is the
// order `pairs` and every report use. Objects and arrays whose elements all carry a string "id"
// get an id index, so policies look entities up in constant time; an array's elements by the
// value of any other string member (credits by subscription) get an index the first time they
// are asked for.
//
// Thread safety: a finished Document is read-only and may be shared between threads (the field
// indexes are built under a lock).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace partnerpolicy {

using NodeId = uint32_t;
inline constexpr NodeId kNoNode = 0xffffffffu;

enum class NodeKind : uint8_t { kNull, kBool, kInteger, kFloat, kString, kArray, kObject };

const char* NodeKindName(NodeKind kind);  // "null", "boolean", "integer", "number", ...

// Appends "/" and token to pointer, escaping '~' and '/' as RFC 6901 requires.
void AppendPointerToken(std::string& pointer, std::string_view token);

class Document {
 public:
  Document();
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // REQUIRES: the document has a root (built by DocumentBuilder).
  NodeId root() const { return 0; }
  bool empty() const { return nodes_.empty(); }
  size_t node_count() const { return nodes_.size(); }
  const std::string& source_name() const { return source_name_; }

  NodeKind kind(NodeId id) const { return nodes_[id].kind; }
  bool is_container(NodeId id) const {
    return kind(id) == NodeKind::kArray || kind(id) == NodeKind::kObject;
  }
  // 1-based position of the value's first character in the source text.
  int line(NodeId id) const { return static_cast<int>(nodes_[id].line); }
  int column(NodeId id) const { return static_cast<int>(nodes_[id].column); }
  NodeId parent(NodeId id) const { return nodes_[id].parent; }

  // Scalars. REQUIRES: the matching kind.
  bool boolean(NodeId id) const { return nodes_[id].value.boolean; }
  int64_t integer(NodeId id) const { return nodes_[id].value.integer; }
  double number(NodeId id) const;  // kInteger or kFloat
  std::string_view string(NodeId id) const;

  // Containers. size() is 0 for scalars; child(id, i) is the i-th (0-based) element or member.
  uint32_t size(NodeId id) const;
  NodeId child(NodeId id, uint32_t index) const;
  // The member name of an object member; empty for array elements and the root.
  std::string_view key(NodeId id) const;
  // Object member by name, or kNoNode.
  NodeId member(NodeId object, std::string_view name) const;
  // Array element whose "id" member equals id, or kNoNode (constant time when indexed).
  NodeId find_by_id(NodeId array, std::string_view id) const;
  // The elements of `array` whose member `field` is the string `value` or a list holding it (a
  // user's roles), in document order. The first question about one (array, field) indexes it,
  // in one pass; every later one costs the size of its answer, whatever the size of the array.
  const std::vector<NodeId>& find_all_by(NodeId array, std::string_view field,
                                         std::string_view value) const;
  // The element's 0-based index in its parent.
  uint32_t index_in_parent(NodeId id) const { return nodes_[id].index_in_parent; }

  // The RFC 6901 pointer of a node ("" for the root, "/credits/2/id").
  std::string pointer(NodeId id) const;
  // The node a pointer names, or kNoNode.
  NodeId resolve(std::string_view pointer) const;
  // Convenience: the string member `name` of an object, or empty when absent or not a string.
  std::string_view string_member(NodeId object, std::string_view name) const;

 private:
  friend class DocumentBuilder;

  struct Span {
    uint32_t offset;
    uint32_t length;
  };
  struct Node {
    NodeKind kind = NodeKind::kNull;
    uint32_t line = 0;
    uint32_t column = 0;
    NodeId parent = kNoNode;
    uint32_t index_in_parent = 0;
    Span key{0, 0};  // member name in strings_
    union {
      bool boolean;
      int64_t integer;
      double real;
      Span span;  // string bytes in strings_, or children in children_
    } value{};
  };

  void BuildIdIndexes();
  struct FieldIndexes;  // document.cc

  std::string source_name_;
  std::vector<Node> nodes_;
  std::vector<NodeId> children_;
  std::string strings_;
  // Array node -> (id -> element). Keys view strings_, which no longer changes once built.
  std::unordered_map<NodeId, std::unordered_map<std::string_view, NodeId>> id_indexes_;
  std::unique_ptr<FieldIndexes> field_indexes_;
};

// Builds a Document from parse events in document order (the JSON reader drives it).
class DocumentBuilder {
 public:
  explicit DocumentBuilder(std::string source_name);

  // Each value call adds one value at the current position. Inside an object, Key() must come
  // before each member's value. Returns false when a key repeats in one object.
  void Null(int line, int column);
  void Bool(bool value, int line, int column);
  void Integer(int64_t value, int line, int column);
  void Float(double value, int line, int column);
  void String(std::string_view value, int line, int column);
  void StartArray(int line, int column);
  void StartObject(int line, int column);
  bool Key(std::string_view name);
  void EndContainer();
  int depth() const { return static_cast<int>(open_.size()); }

  // REQUIRES: every container closed and exactly one root value added.
  Document Finish();

 private:
  NodeId Add(NodeKind kind, int line, int column);

  Document doc_;
  struct Open {
    NodeId node;
    std::vector<NodeId> children;
    std::vector<Document::Span> keys;               // member names, for duplicate detection
    std::unordered_set<std::string> large_key_set;  // used once an object has many members
  };
  std::vector<Open> open_;
  Document::Span pending_key_{0, 0};
};

}  // namespace partnerpolicy
