// Strict, byte-safe e-mail domain extraction: a malformed address is an input error, never
// "allowed" by a domain rule because its domain could not be read.
#include "email_address.h"

namespace partnerpolicy {

std::optional<std::string> EmailDomain(std::string_view address, std::string* problem) {
  auto fail = [&](const char* why) -> std::optional<std::string> {
    if (problem != nullptr) *problem = why;
    return std::nullopt;
  };
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f) return fail("contains a space or control character");
  }
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return fail("has no '@'");
  if (at == 0) return fail("has nothing before the '@'");
  std::string_view domain = address.substr(at + 1);
  if (domain.empty()) return fail("has no domain after the '@'");
  if (domain.find('.') == std::string_view::npos) return fail("has a domain without a dot");
  std::string lower;
  lower.reserve(domain.size());
  size_t label_length = 0;
  for (char c : domain) {
    if (c == '.') {
      if (label_length == 0) return fail("has an empty label in its domain");
      label_length = 0;
      lower += c;
      continue;
    }
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return fail("has a character in its domain that is not a letter, digit, '-' or '.'");
    lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    ++label_length;
  }
  if (label_length == 0) return fail("has an empty label in its domain");
  return lower;
}

}  // namespace partnerpolicy
