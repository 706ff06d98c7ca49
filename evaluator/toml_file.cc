// toml++ behind a pre-scan: toml++ 3.3.0 recurses once per dotted part of a key or table header
// and once per nested inline table or array, so a hostile file (a header of ~50,000 dotted parts)
// overflows the stack before toml++ can report anything. The pre-scan walks the text once,
// without recursion, and refuses such files with a located error before toml::parse sees them.
#include "toml_file.h"

#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace partnerpolicy {
namespace {

// Reads TOML text just well enough to find keys, table headers and the nesting of values:
// strings and comments are skipped (their dots and brackets are text), a key runs from the
// start of a line (or a '{' or ',' in an inline table) to its '=', a header from a line's
// first '[' to its ']'.
class TomlShapeScan {
 public:
  TomlShapeScan(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  std::optional<Error> Run() {
    while (at_ < text_.size()) {
      char c = text_[at_];
      if (c == '\n') {
        Advance();
        if (open_.empty()) mode_ = Mode::kLineStart;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        Advance();
        continue;
      }
      if (c == '#') {
        while (at_ < text_.size() && text_[at_] != '\n') Advance();
        continue;
      }
      if (key_pending_) {  // a key starts at its first character, not at the '{' or ','
        key_line_ = line_;
        key_column_ = column_;
        key_pending_ = false;
      }
      if (mode_ == Mode::kLineStart) {
        if (c == '[') {
          mode_ = Mode::kHeader;
          StartKey();
          Advance();
          if (Peek('[')) Advance();
          continue;
        }
        mode_ = Mode::kKey;
        StartKey();
      }
      if (c == '"' || c == '\'') {
        SkipString();
        continue;
      }
      if (mode_ == Mode::kKey || mode_ == Mode::kHeader) {
        if (c == '.') {
          ++parts_;
          if (std::optional<Error> error = CheckParts()) return error;
        } else if (c == '=' && mode_ == Mode::kKey) {
          mode_ = Mode::kValue;
        } else if (c == ']' && mode_ == Mode::kHeader) {
          mode_ = Mode::kValue;  // the rest of the line: a second ']' and a comment at most
        } else if (c == '}' && mode_ == Mode::kKey && !open_.empty() && open_.back() == '{') {
          open_.pop_back();  // an empty inline table, {}
          mode_ = Mode::kValue;
        }
        Advance();
        continue;
      }
      // A value.
      if (c == '[' || c == '{') {
        if (open_.size() >= kMaxTomlNesting) {
          return Located(line_, column_,
                         "arrays and inline tables nested deeper than " +
                             std::to_string(kMaxTomlNesting) + " levels");
        }
        open_.push_back(c);
        Advance();
        if (c == '{') {
          mode_ = Mode::kKey;
          StartKey();
          key_pending_ = true;
        }
        continue;
      }
      if ((c == ']' || c == '}') && !open_.empty()) {
        open_.pop_back();
      } else if (c == ',' && !open_.empty() && open_.back() == '{') {
        mode_ = Mode::kKey;
        StartKey();
        key_pending_ = true;
      }
      Advance();
    }
    return std::nullopt;
  }

 private:
  enum class Mode { kLineStart, kKey, kHeader, kValue };

  void Advance() {
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++at_;
  }
  bool Peek(char c) const { return at_ < text_.size() && text_[at_] == c; }
  bool PeekThree(char quote) const {
    return at_ + 2 < text_.size() && text_[at_] == quote && text_[at_ + 1] == quote &&
           text_[at_ + 2] == quote;
  }

  void StartKey() {
    parts_ = 1;
    key_line_ = line_;
    key_column_ = column_;
  }
  std::optional<Error> CheckParts() const {
    if (parts_ <= kMaxTomlKeyParts) return std::nullopt;
    return Located(key_line_, key_column_,
                   std::string(mode_ == Mode::kHeader ? "table header" : "key") +
                       " has more than " + std::to_string(kMaxTomlKeyParts) +
                       " dotted parts; expected a few (e.g. [rule.\"cloud.x\"])");
  }
  std::optional<Error> Located(int line, int column, std::string message) const {
    return Error{ErrorCode::kInvalidConfig, std::move(message), {file_, line, column, ""}, ""};
  }

  // Skips a basic ("..."), literal ('...') or multi-line ("""...""" / '''...''') string;
  // an unterminated one ends at the end of its line (or of the text) and toml++ reports it.
  void SkipString() {
    char quote = text_[at_];
    bool basic = quote == '"';
    if (PeekThree(quote)) {
      for (int i = 0; i < 3; ++i) Advance();
      while (at_ < text_.size() && !PeekThree(quote)) {
        if (basic && text_[at_] == '\\' && at_ + 1 < text_.size()) Advance();
        Advance();
      }
      for (int i = 0; i < 3 && at_ < text_.size(); ++i) Advance();
      return;
    }
    Advance();
    while (at_ < text_.size() && text_[at_] != quote && text_[at_] != '\n') {
      if (basic && text_[at_] == '\\' && at_ + 1 < text_.size() && text_[at_ + 1] != '\n') {
        Advance();
      }
      Advance();
    }
    if (Peek(quote)) Advance();
  }

  std::string_view text_;
  const std::string& file_;
  size_t at_ = 0;
  int line_ = 1;
  int column_ = 1;
  Mode mode_ = Mode::kLineStart;
  std::vector<char> open_;  // the '[' and '{' of the values being read
  int parts_ = 1;
  int key_line_ = 1;
  int key_column_ = 1;
  bool key_pending_ = false;
};

}  // namespace

std::optional<Error> CheckTomlShape(std::string_view text, const std::string& file) {
  return TomlShapeScan(text, file).Run();
}

SourceLocation TomlWhere(const std::string& file, const toml::source_region& region) {
  return SourceLocation{file, static_cast<int>(region.begin.line),
                        static_cast<int>(region.begin.column), ""};
}

Result<toml::table> ReadTomlFile(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot read: " + ec.message(), {file, 0, 0, ""}, ""};
  if (size > kMaxTomlFileBytes) {
    return Error{ErrorCode::kInvalidConfig, "file is larger than 4 MiB", {file, 0, 0, ""}, ""};
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Error{ErrorCode::kIo, "cannot read", {file, 0, 0, ""}, ""};
  return ParseTomlText(text.str(), file);
}

Result<toml::table> ParseTomlText(std::string_view contents, const std::string& file) {
  if (contents.size() > kMaxTomlFileBytes) {
    return Error{ErrorCode::kInvalidConfig, "file is larger than 4 MiB", {file, 0, 0, ""}, ""};
  }
  if (std::optional<Error> error = CheckTomlShape(contents, file)) return *error;
  try {
    return toml::parse(contents, std::string_view(file));
  } catch (const toml::parse_error& error) {
    return Error{ErrorCode::kInvalidConfig, std::string(error.description()),
                 TomlWhere(file, error.source()), ""};
  }
}

}  // namespace partnerpolicy
