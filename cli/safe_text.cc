// Escaping by code point: the text is read as UTF-8 (a byte that does not fit is escaped on its
// own), so a multi-byte control such as U+009B (an 8-bit CSI) or U+2028 is caught whole and
// printable characters pass untouched. SafeForOutput adds the rules that need to see whole lines.
#include "safe_text.h"

#include <fmt/format.h>

#include "standard_output.h"
#include "style.h"

namespace partnerpolicy::cli {
namespace {

// The length of the well-formed UTF-8 sequence starting at text[i] (no overlong form, surrogate
// or code point above U+10FFFF), or 0 when the byte there does not start one.
size_t Utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  auto follows = [&](size_t k, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return i + k < text.size() && byte(k) >= low && byte(k) <= high;
  };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return follows(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const bool second = c == 0xE0   ? follows(1, 0xA0)
                        : c == 0xED ? follows(1, 0x80, 0x9F)
                                    : follows(1);
    return second && follows(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const bool second = c == 0xF0   ? follows(1, 0x90)
                        : c == 0xF4 ? follows(1, 0x80, 0x8F)
                                    : follows(1);
    return second && follows(2) && follows(3) ? 4 : 0;
  }
  return 0;
}

char32_t CodePoint(std::string_view text, size_t i, size_t length) {
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t code = static_cast<unsigned char>(text[i]) & kLeadMask[length];
  for (size_t k = 1; k < length; ++k) {
    code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  return code;
}

// Multi-byte characters that act on the line rather than print: the C1 controls, the line and
// paragraph separators, and the bidirectional controls that reorder what follows them.
bool ControlCodePoint(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Appends the character at text[i] to `out`, escaped when it must be; returns its length.
size_t AppendCharacter(std::string_view text, size_t i, Keep keep, std::string* out) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  const bool kept =
      (c == '\t' && keep != Keep::kNothing) || (c == '\n' && keep == Keep::kLineBreaksAndTabs);
  if (kept || (c >= 0x20 && c < 0x7F)) {
    out->push_back(static_cast<char>(c));
    return 1;
  }
  const size_t length = c == 0x7F ? 1 : Utf8Length(text, i);
  if (length <= 1) {  // C0, DEL, or a byte that is not UTF-8
    *out += fmt::format("\\x{:02x}", c);
    return 1;
  }
  if (char32_t code = CodePoint(text, i, length); ControlCodePoint(code)) {
    *out += fmt::format("\\u{:04x}", static_cast<uint32_t>(code));
  } else {
    out->append(text.substr(i, length));
  }
  return length;
}

// The length of the blank at text[i] by .NET's char.IsWhiteSpace, which the GitHub runner
// trims before looking for "::" (the blanks that are controls are escaped anyway), or 0.
size_t BlankLength(std::string_view text, size_t i) {
  if (text[i] == ' ' || text[i] == '\t') return 1;
  const size_t length = Utf8Length(text, i);
  if (length < 2) return 0;
  const char32_t c = CodePoint(text, i, length);
  const bool blank = c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
                     c == 0x205F || c == 0x3000;
  return blank ? length : 0;
}

// The length of the colour code Style wrote at text[i] ("\x1b[" CODE "m"), or 0.
size_t StyleCodeLength(std::string_view text, size_t i) {
  if (text[i] != '\x1b') return 0;
  const std::string_view rest = text.substr(i);
  for (std::string_view code : kStyleCodes) {
    if (rest.size() >= code.size() + 3 && rest[1] == '[' && rest.substr(2, code.size()) == code &&
        rest[code.size() + 2] == 'm') {
      return code.size() + 3;
    }
  }
  return 0;
}

}  // namespace

std::string Printable(std::string_view text, Keep keep) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) i += AppendCharacter(text, i, keep, &out);
  return out;
}

std::string SafeForOutput(std::string_view text, Output kind, bool colour) {
  if (kind == Output::kJson) return std::string(text);
  std::string out;
  out.reserve(text.size());
  bool line_start = true;  // nothing but blanks since the last line break
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\n') {
      out += '\n';
      line_start = true;
      ++i;
      continue;
    }
    if (line_start) {
      if (size_t blank = BlankLength(text, i); blank > 0) {
        out.append(text.substr(i, blank));
        i += blank;
        continue;
      }
      line_start = false;
      if (kind != Output::kAnnotations && text.substr(i, 2) == "::") {
        out += "\\x3a";
        ++i;
        continue;
      }
    }
    if (text.substr(i, 3) == "##[") {
      out += "#\\x23[";
      i += 3;
    } else if (size_t code = colour ? StyleCodeLength(text, i) : 0; code > 0) {
      out.append(text.substr(i, code));
      i += code;
    } else {
      i += AppendCharacter(text, i, Keep::kLineBreaksAndTabs, &out);
    }
  }
  return out;
}

void PrintSafely(std::FILE* stream, std::string_view text, Output kind) {
  const std::string safe = SafeForOutput(text, kind, false);
  if (stream == stdout) {
    WriteStandardOutput(safe);  // checked: a failure is reported by FinishStandardOutput
    return;
  }
  std::fwrite(safe.data(), 1, safe.size(), stream);
}

}  // namespace partnerpolicy::cli
