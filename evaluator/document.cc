// Document storage: one vector of nodes, one of child lists, one byte arena for strings.
#include "partnerpolicy/document.h"

#include <charconv>
#include <map>
#include <mutex>
#include <utility>

namespace partnerpolicy {

const char* NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kBool:
      return "boolean";
    case NodeKind::kInteger:
      return "integer";
    case NodeKind::kFloat:
      return "number";
    case NodeKind::kString:
      return "string";
    case NodeKind::kArray:
      return "array";
    case NodeKind::kObject:
      return "object";
  }
  return "unknown";
}

void AppendPointerToken(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~')
      pointer += "~0";
    else if (c == '/')
      pointer += "~1";
    else
      pointer += c;
  }
}

// (array, field) -> (value -> elements). Node-based maps: a reference handed out stays valid
// while later indexes are added.
struct Document::FieldIndexes {
  std::mutex mutex;
  std::map<std::pair<NodeId, std::string>,
           std::unordered_map<std::string_view, std::vector<NodeId>>>
      by_field;
};

Document::Document() : field_indexes_(std::make_unique<FieldIndexes>()) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

const std::vector<NodeId>& Document::find_all_by(NodeId array, std::string_view field,
                                                 std::string_view value) const {
  static const std::vector<NodeId> kNone;
  if (field_indexes_ == nullptr || kind(array) != NodeKind::kArray) return kNone;
  std::lock_guard<std::mutex> lock(field_indexes_->mutex);
  auto& by_field = field_indexes_->by_field;
  auto index = by_field.find(std::make_pair(array, std::string(field)));
  if (index == by_field.end()) {
    std::unordered_map<std::string_view, std::vector<NodeId>> built;
    for (uint32_t i = 0; i < size(array); ++i) {
      NodeId element = child(array, i);
      NodeId member_value = member(element, field);
      if (member_value == kNoNode) continue;
      if (kind(member_value) == NodeKind::kString) {
        built[string(member_value)].push_back(element);
      } else if (kind(member_value) == NodeKind::kArray) {
        // A list of strings (a user's roles): the element is found by each of them, once. A
        // repeat comes while this element is being indexed, so it is the list's last entry.
        for (uint32_t k = 0; k < size(member_value); ++k) {
          NodeId item = child(member_value, k);
          if (kind(item) != NodeKind::kString) continue;
          std::vector<NodeId>& holders = built[string(item)];
          if (holders.empty() || holders.back() != element) holders.push_back(element);
        }
      }
    }
    index = by_field.emplace(std::make_pair(array, std::string(field)), std::move(built)).first;
  }
  auto hit = index->second.find(value);
  return hit == index->second.end() ? kNone : hit->second;
}

double Document::number(NodeId id) const {
  const Node& n = nodes_[id];
  return n.kind == NodeKind::kInteger ? static_cast<double>(n.value.integer) : n.value.real;
}

std::string_view Document::string(NodeId id) const {
  const Span& s = nodes_[id].value.span;
  return std::string_view(strings_).substr(s.offset, s.length);
}

uint32_t Document::size(NodeId id) const {
  return is_container(id) ? nodes_[id].value.span.length : 0;
}

NodeId Document::child(NodeId id, uint32_t index) const {
  if (!is_container(id) || index >= nodes_[id].value.span.length) return kNoNode;
  return children_[nodes_[id].value.span.offset + index];
}

std::string_view Document::key(NodeId id) const {
  const Span& s = nodes_[id].key;
  return std::string_view(strings_).substr(s.offset, s.length);
}

NodeId Document::member(NodeId object, std::string_view name) const {
  if (kind(object) != NodeKind::kObject) return kNoNode;
  const Span& s = nodes_[object].value.span;
  // Entities have a dozen members; a linear scan beats any index at that size.
  for (uint32_t i = 0; i < s.length; ++i) {
    NodeId c = children_[s.offset + i];
    if (key(c) == name) return c;
  }
  return kNoNode;
}

NodeId Document::find_by_id(NodeId array, std::string_view id) const {
  auto index = id_indexes_.find(array);
  if (index != id_indexes_.end()) {
    auto hit = index->second.find(id);
    return hit == index->second.end() ? kNoNode : hit->second;
  }
  for (uint32_t i = 0; i < size(array); ++i) {
    NodeId c = child(array, i);
    if (string_member(c, "id") == id && member(c, "id") != kNoNode) return c;
  }
  return kNoNode;
}

std::string_view Document::string_member(NodeId object, std::string_view name) const {
  NodeId m = member(object, name);
  if (m == kNoNode || kind(m) != NodeKind::kString) return {};
  return string(m);
}

std::string Document::pointer(NodeId id) const {
  std::vector<NodeId> path;
  for (NodeId n = id; n != kNoNode && nodes_[n].parent != kNoNode; n = nodes_[n].parent) {
    path.push_back(n);
  }
  std::string out;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    if (kind(parent(*it)) == NodeKind::kArray) {
      AppendPointerToken(out, std::to_string(nodes_[*it].index_in_parent));
    } else {
      AppendPointerToken(out, key(*it));
    }
  }
  return out;
}

NodeId Document::resolve(std::string_view pointer) const {
  if (nodes_.empty()) return kNoNode;
  NodeId current = root();
  while (!pointer.empty()) {
    if (pointer[0] != '/') return kNoNode;
    pointer.remove_prefix(1);
    size_t end = pointer.find('/');
    std::string_view raw = pointer.substr(0, end);
    pointer = end == std::string_view::npos ? std::string_view{} : pointer.substr(end);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += raw[i];
      }
    }
    if (kind(current) == NodeKind::kArray) {
      uint32_t index = 0;
      auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || p != token.data() + token.size()) return kNoNode;
      current = child(current, index);
    } else {
      current = member(current, token);
    }
    if (current == kNoNode) return kNoNode;
  }
  return current;
}

void Document::BuildIdIndexes() {
  for (NodeId n = 0; n < nodes_.size(); ++n) {
    if (nodes_[n].kind != NodeKind::kArray || size(n) == 0) continue;
    std::unordered_map<std::string_view, NodeId> index;
    bool all_have_ids = true;
    for (uint32_t i = 0; i < size(n) && all_have_ids; ++i) {
      NodeId c = child(n, i);
      NodeId id = member(c, "id");
      if (id == kNoNode || kind(id) != NodeKind::kString) {
        all_have_ids = false;
      } else {
        index.emplace(string(id), c);  // first wins; duplicates are reported by integrity checks
      }
    }
    if (all_have_ids) id_indexes_.emplace(n, std::move(index));
  }
}

// --- DocumentBuilder ---

DocumentBuilder::DocumentBuilder(std::string source_name) {
  doc_.source_name_ = std::move(source_name);
}

NodeId DocumentBuilder::Add(NodeKind kind, int line, int column) {
  NodeId id = static_cast<NodeId>(doc_.nodes_.size());
  Document::Node& node = doc_.nodes_.emplace_back();
  node.kind = kind;
  node.line = static_cast<uint32_t>(line);
  node.column = static_cast<uint32_t>(column);
  if (!open_.empty()) {
    Open& parent = open_.back();
    node.parent = parent.node;
    node.index_in_parent = static_cast<uint32_t>(parent.children.size());
    node.key = pending_key_;
    pending_key_ = {0, 0};
    parent.children.push_back(id);
  }
  return id;
}

void DocumentBuilder::Null(int line, int column) { Add(NodeKind::kNull, line, column); }

void DocumentBuilder::Bool(bool value, int line, int column) {
  doc_.nodes_[Add(NodeKind::kBool, line, column)].value.boolean = value;
}

void DocumentBuilder::Integer(int64_t value, int line, int column) {
  doc_.nodes_[Add(NodeKind::kInteger, line, column)].value.integer = value;
}

void DocumentBuilder::Float(double value, int line, int column) {
  doc_.nodes_[Add(NodeKind::kFloat, line, column)].value.real = value;
}

void DocumentBuilder::String(std::string_view value, int line, int column) {
  NodeId id = Add(NodeKind::kString, line, column);
  doc_.nodes_[id].value.span = {static_cast<uint32_t>(doc_.strings_.size()),
                                static_cast<uint32_t>(value.size())};
  doc_.strings_.append(value);
}

void DocumentBuilder::StartArray(int line, int column) {
  NodeId id = Add(NodeKind::kArray, line, column);
  open_.push_back(Open{id, {}, {}, {}});
}

void DocumentBuilder::StartObject(int line, int column) {
  NodeId id = Add(NodeKind::kObject, line, column);
  open_.push_back(Open{id, {}, {}, {}});
}

bool DocumentBuilder::Key(std::string_view name) {
  Open& object = open_.back();
  // Small objects: compare against the names already seen; large ones switch to a hash set so
  // an object with many members cannot make loading quadratic.
  constexpr size_t kLinearLimit = 16;
  if (object.keys.size() < kLinearLimit) {
    for (const Document::Span& seen : object.keys) {
      if (std::string_view(doc_.strings_).substr(seen.offset, seen.length) == name) return false;
    }
  } else {
    if (object.large_key_set.empty()) {
      for (const Document::Span& seen : object.keys) {
        object.large_key_set.emplace(doc_.strings_.substr(seen.offset, seen.length));
      }
    }
    if (!object.large_key_set.emplace(name).second) return false;
  }
  pending_key_ = {static_cast<uint32_t>(doc_.strings_.size()), static_cast<uint32_t>(name.size())};
  doc_.strings_.append(name);
  object.keys.push_back(pending_key_);
  return true;
}

void DocumentBuilder::EndContainer() {
  Open& open = open_.back();
  Document::Node& node = doc_.nodes_[open.node];
  node.value.span = {static_cast<uint32_t>(doc_.children_.size()),
                     static_cast<uint32_t>(open.children.size())};
  doc_.children_.insert(doc_.children_.end(), open.children.begin(), open.children.end());
  open_.pop_back();
}

Document DocumentBuilder::Finish() {
  doc_.BuildIdIndexes();
  return std::move(doc_);
}

}  // namespace partnerpolicy
