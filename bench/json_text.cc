// JsonText: compact JSON written by hand (see json_text.h for why no JSON library).
#include "json_text.h"

#include <charconv>

namespace partnerpolicy::bench {

void JsonText::BeforeValue() {
  if (need_comma_) out_->push_back(',');
  need_comma_ = true;
}

JsonText& JsonText::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  need_comma_ = false;
  return *this;
}

JsonText& JsonText::EndObject() {
  out_->push_back('}');
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  need_comma_ = false;
  return *this;
}

JsonText& JsonText::EndArray() {
  out_->push_back(']');
  need_comma_ = true;
  return *this;
}

JsonText& JsonText::Key(std::string_view key) {
  String(key);
  out_->push_back(':');
  need_comma_ = false;  // the value follows the colon directly
  return *this;
}

JsonText& JsonText::String(std::string_view value) {
  BeforeValue();
  out_->push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out_->push_back('\\');
      out_->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out_->append("\\u00");
      out_->push_back(kHex[(c >> 4) & 0xf]);
      out_->push_back(kHex[c & 0xf]);
    } else {
      out_->push_back(c);
    }
  }
  out_->push_back('"');
  return *this;
}

JsonText& JsonText::Int(int64_t value) {
  BeforeValue();
  char digits[24];
  auto [end, ignored] = std::to_chars(digits, digits + sizeof digits, value);
  out_->append(digits, end);
  return *this;
}

JsonText& JsonText::Bool(bool value) {
  BeforeValue();
  out_->append(value ? "true" : "false");
  return *this;
}

}  // namespace partnerpolicy::bench
