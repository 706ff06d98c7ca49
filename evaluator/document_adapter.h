// valijson's view of a Document, so a state is validated where it lies instead of being copied
// into an nlohmann DOM first (that copy took more time than parsing and several times the
// file's size in memory). Internal to schema_validator.cc.
//
// The classes follow the adapter interface valijson defines (valijson/internal/adapter.hpp,
// modelled on its nlohmann adapter): a value, its array and object views, their iterators, and
// a frozen copy for the keywords that keep a value (enum, const, uniqueItems).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/internal/adapter.hpp>
#include <valijson/internal/basic_adapter.hpp>
#include <valijson/internal/frozen_value.hpp>

#include "partnerpolicy/document.h"

namespace partnerpolicy::schema {

// valijson checks "format" and "pattern" with std::regex before "maxLength", and std::regex
// recurses per character: a 50,000-character date crashes it. No field of the schema allows
// more than kLongString bytes, so a longer string is shown to valijson as one that still fails
// maxLength (and is reported as too long) but is short enough for the regex.
inline constexpr size_t kLongString = 1024;

// The value of node `id` as nlohmann JSON (the schema itself, and frozen values).
nlohmann::json ToJson(const Document& doc, NodeId id);

class DocumentAdapter;
class DocumentArrayIterator;
class DocumentMemberIterator;
using DocumentMember = std::pair<std::string, DocumentAdapter>;

// A node of a document; the default is an empty object, as valijson expects.
struct NodeRef {
  const Document* doc = nullptr;
  NodeId node = kNoNode;

  bool is(NodeKind kind) const { return doc != nullptr && doc->kind(node) == kind; }
  uint32_t size() const { return doc != nullptr ? doc->size(node) : 0; }
};

class DocumentArray {
 public:
  using const_iterator = DocumentArrayIterator;
  using iterator = DocumentArrayIterator;
  DocumentArray() = default;
  explicit DocumentArray(NodeRef ref) : ref_(ref) {}
  DocumentArrayIterator begin() const;
  DocumentArrayIterator end() const;
  size_t size() const { return ref_.size(); }

 private:
  NodeRef ref_;
};

class DocumentObject {
 public:
  using const_iterator = DocumentMemberIterator;
  using iterator = DocumentMemberIterator;
  DocumentObject() = default;
  explicit DocumentObject(NodeRef ref) : ref_(ref) {}
  DocumentMemberIterator begin() const;
  DocumentMemberIterator end() const;
  DocumentMemberIterator find(const std::string& name) const;
  size_t size() const { return ref_.size(); }

 private:
  NodeRef ref_;
};

class DocumentValue {
 public:
  // User-provided, not defaulted: BasicAdapter keeps a const DocumentValue, which clang will
  // only default-initialize through a user-provided constructor.
  DocumentValue() {}
  explicit DocumentValue(NodeRef ref) : ref_(ref) {}

  valijson::adapters::FrozenValue* freeze() const {
    return new valijson::adapters::NlohmannJsonFrozenValue(
        ref_.doc != nullptr ? ToJson(*ref_.doc, ref_.node) : nlohmann::json::object());
  }
  opt::optional<DocumentArray> getArrayOptional() const {
    if (isArray()) return opt::make_optional(DocumentArray(ref_));
    return {};
  }
  bool getArraySize(size_t& result) const {
    if (!isArray()) return false;
    result = ref_.size();
    return true;
  }
  bool getBool(bool& result) const {
    if (!isBool()) return false;
    result = ref_.doc->boolean(ref_.node);
    return true;
  }
  bool getDouble(double& result) const {
    if (!isDouble()) return false;
    result = ref_.doc->number(ref_.node);
    return true;
  }
  bool getInteger(int64_t& result) const {
    if (!isInteger()) return false;
    result = ref_.doc->integer(ref_.node);
    return true;
  }
  opt::optional<DocumentObject> getObjectOptional() const {
    if (isObject()) return opt::make_optional(DocumentObject(ref_));
    return {};
  }
  bool getObjectSize(size_t& result) const {
    if (!isObject()) return false;
    result = ref_.size();
    return true;
  }
  bool getString(std::string& result) const {
    if (!isString()) return false;
    std::string_view text = ref_.doc->string(ref_.node);
    result = text.size() > kLongString ? std::string(kLongString + 1, 'x') : std::string(text);
    return true;
  }
  static bool hasStrictTypes() { return true; }
  bool isArray() const { return ref_.is(NodeKind::kArray); }
  bool isBool() const { return ref_.is(NodeKind::kBool); }
  bool isDouble() const { return ref_.is(NodeKind::kFloat); }
  bool isInteger() const { return ref_.is(NodeKind::kInteger); }
  bool isNull() const { return ref_.is(NodeKind::kNull); }
  bool isNumber() const { return isInteger() || isDouble(); }
  bool isObject() const { return ref_.doc == nullptr || ref_.is(NodeKind::kObject); }
  bool isString() const { return ref_.is(NodeKind::kString); }

 private:
  NodeRef ref_;
};

class DocumentAdapter
    : public valijson::adapters::BasicAdapter<DocumentAdapter, DocumentArray, DocumentMember,
                                              DocumentObject, DocumentValue> {
 public:
  DocumentAdapter() = default;
  explicit DocumentAdapter(NodeRef ref) : BasicAdapter(DocumentValue(ref)) {}
  DocumentAdapter(const Document& doc, NodeId node) : DocumentAdapter(NodeRef{&doc, node}) {}
};

// Iterates the children of a container by index; `Derived` says what one child is.
template <typename Derived, typename Value>
class ChildIterator {
 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = Value*;
  using reference = Value&;

  ChildIterator(NodeRef parent, uint32_t index) : parent_(parent), index_(index) {}
  valijson::adapters::DerefProxy<Value> operator->() const {
    return valijson::adapters::DerefProxy<Value>(static_cast<const Derived&>(*this).operator*());
  }
  bool operator==(const ChildIterator& other) const { return index_ == other.index_; }
  bool operator!=(const ChildIterator& other) const { return index_ != other.index_; }
  Derived& operator++() {
    ++index_;
    return static_cast<Derived&>(*this);
  }
  Derived operator++(int) {
    Derived before = static_cast<Derived&>(*this);
    ++index_;
    return before;
  }
  Derived& operator--() {
    --index_;
    return static_cast<Derived&>(*this);
  }
  void advance(std::ptrdiff_t n) { index_ = static_cast<uint32_t>(index_ + n); }

 protected:
  NodeRef child() const { return NodeRef{parent_.doc, parent_.doc->child(parent_.node, index_)}; }
  NodeRef parent_;
  uint32_t index_;
};

class DocumentArrayIterator : public ChildIterator<DocumentArrayIterator, DocumentAdapter> {
 public:
  using ChildIterator::ChildIterator;
  DocumentAdapter operator*() const { return DocumentAdapter(child()); }
};

class DocumentMemberIterator : public ChildIterator<DocumentMemberIterator, DocumentMember> {
 public:
  using ChildIterator::ChildIterator;
  DocumentMember operator*() const {
    NodeRef member = child();
    return DocumentMember(std::string(member.doc->key(member.node)), DocumentAdapter(member));
  }
};

inline DocumentArrayIterator DocumentArray::begin() const { return {ref_, 0}; }
inline DocumentArrayIterator DocumentArray::end() const { return {ref_, ref_.size()}; }
inline DocumentMemberIterator DocumentObject::begin() const { return {ref_, 0}; }
inline DocumentMemberIterator DocumentObject::end() const { return {ref_, ref_.size()}; }
inline DocumentMemberIterator DocumentObject::find(const std::string& name) const {
  if (ref_.doc == nullptr) return end();
  NodeId member = ref_.doc->member(ref_.node, name);
  return member == kNoNode ? end()
                           : DocumentMemberIterator(ref_, ref_.doc->index_in_parent(member));
}

}  // namespace partnerpolicy::schema
