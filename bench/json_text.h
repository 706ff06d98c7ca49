// Writes JSON text straight into a string, one value at a time, without building a document:
// generated states run to tens of megabytes, and text written directly is both fast and exactly
// predictable (no library decides how numbers or strings look). No whitespace is written; the
// caller puts newlines where it wants them.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace partnerpolicy::bench {

class JsonText {
 public:
  // Appends to *out, which must outlive this writer.
  explicit JsonText(std::string* out) : out_(out) {}

  JsonText& BeginObject();
  JsonText& EndObject();
  JsonText& BeginArray();
  JsonText& EndArray();

  // An object member's name; the next call writes its value.
  JsonText& Key(std::string_view key);

  // Values. Strings are escaped ('"', '\\' and control characters); they are expected to be
  // UTF-8 already.
  JsonText& String(std::string_view value);
  JsonText& Int(int64_t value);
  JsonText& Bool(bool value);

  // Key(key) followed by the value.
  JsonText& Member(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonText& Member(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonText& Member(std::string_view key, bool value) { return Key(key).Bool(value); }
  // Any integer type; a bool takes the overload above, which is an exact match.
  template <std::integral Integer>
  JsonText& Member(std::string_view key, Integer value) {
    return Key(key).Int(static_cast<int64_t>(value));
  }

 private:
  // Writes the ',' that separates this value from the previous one, if any.
  void BeforeValue();

  std::string* out_;
  bool need_comma_ = false;
};

}  // namespace partnerpolicy::bench
