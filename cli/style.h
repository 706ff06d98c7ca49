// How text reports look on a terminal: optional colour (ANSI, only when the output is one).
// Used by every text formatter of the CLI, with safe_text.h for the values they print.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "partnerpolicy/policy.h"

namespace partnerpolicy::cli {

// The colour codes Style writes, each as "\x1b[" CODE "m": SafeForOutput (safe_text.h) keeps
// these in a coloured report and escapes every other escape sequence.
inline constexpr std::array<std::string_view, 6> kStyleCodes = {"1",    "1;31", "33",
                                                                "1;32", "2",    "0"};

class Style {
 public:
  explicit Style(bool colour) : colour_(colour) {}
  std::string Bold(const std::string& s) const { return Wrap("1", s); }
  std::string Red(const std::string& s) const { return Wrap("1;31", s); }
  std::string Yellow(const std::string& s) const { return Wrap("33", s); }
  std::string Green(const std::string& s) const { return Wrap("1;32", s); }
  std::string Dim(const std::string& s) const { return Wrap("2", s); }
  std::string ForSeverity(Severity severity, const std::string& s) const;

 private:
  std::string Wrap(const char* code, const std::string& s) const {
    return colour_ ? "\x1b[" + std::string(code) + "m" + s + "\x1b[0m" : s;
  }
  bool colour_;
};

}  // namespace partnerpolicy::cli
