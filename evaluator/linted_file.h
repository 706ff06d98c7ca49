// Internal to lint (policy_lint.cc) and the checks loading shares with it (load_checks.h): a
// policy or library file as lint reads it, with the places of what it reports. Bytecode records
// lines only, so columns are found in the text: a name standing as a word, a table key, an entry of
// a list field of the rule table.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lua/chunk_listing.h"
#include "partnerpolicy/policy_text.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// A policy or library file: its text split in lines, and its compiled form when it compiles.
class LintedFile {
 public:
  explicit LintedFile(const PolicyText& text) : text_(&text) {
    size_t start = 0;
    while (start <= text.text.size()) {
      size_t end = text.text.find('\n', start);
      if (end == std::string::npos) end = text.text.size();
      lines_.emplace_back(text.text.data() + start, end - start);
      start = end + 1;
    }
  }

  const std::string& path() const { return text_->display_path; }
  const PolicyText& text() const { return *text_; }

  // The 1-based column of `name` standing as a word on `line`, after column `from`; 0 if absent.
  int NameColumn(int line, std::string_view name, size_t from = 0) const {
    std::string_view text = Line(line);
    for (size_t at = text.find(name, from); at != std::string_view::npos;
         at = text.find(name, at + 1)) {
      bool starts = at == 0 || !IsNameChar(text[at - 1]);
      bool ends = at + name.size() >= text.size() || !IsNameChar(text[at + name.size()]);
      if (starts && ends) return static_cast<int>(at) + 1;
    }
    return 0;
  }

  // The 1-based column of `text` anywhere on `line`, after column `from`; 0 if absent.
  int TextColumn(int line, std::string_view text, size_t from = 0) const {
    size_t at = Line(line).find(text, from);
    return at == std::string_view::npos ? 0 : static_cast<int>(at) + 1;
  }

  // The 1-based column of a table key `name = ` or `["name"] = ` on `line`; 0 if absent.
  int KeyColumn(int line, std::string_view name) const {
    std::string_view text = Line(line);
    for (int column = NameColumn(line, name); column > 0;
         column = NameColumn(line, name, static_cast<size_t>(column))) {
      size_t after = static_cast<size_t>(column - 1) + name.size();
      while (after < text.size() && (text[after] == '"' || text[after] == '\'')) ++after;
      if (after < text.size() && text[after] == ']') ++after;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      if (after < text.size() && text[after] == '=' &&
          (after + 1 >= text.size() || text[after + 1] != '=')) {
        return column;
      }
    }
    return 0;
  }

  // The column of the first character that is not a space on `line` (1 for a blank line).
  int FirstColumn(int line) const {
    std::string_view text = Line(line);
    size_t first = text.find_first_not_of(" \t");
    return first == std::string_view::npos ? 1 : static_cast<int>(first) + 1;
  }

  SourceLocation At(int line, int column = 0) const {
    if (line < 1) line = 1;
    return SourceLocation{path(), line, column > 0 ? column : FirstColumn(line), ""};
  }

  // Where `name` is on `line` (the line's first character when it is not there).
  SourceLocation AtName(int line, std::string_view name) const {
    return At(line, NameColumn(line, name));
  }

  std::optional<ChunkFunction> chunk;
  std::optional<ReturnedTable> table;

  // Where the rule table's field `path` is written: its key, else where its value is stored,
  // else the enclosing field, else the rule table itself.
  SourceLocation FieldLocation(std::vector<std::string> path) const {
    while (table && !path.empty()) {
      for (const ReturnedField& field : table->fields) {
        if (field.path != path) continue;
        for (int line = field.from_line; line <= field.line; ++line) {
          if (int column = KeyColumn(line, path.back())) return At(line, column);
        }
        return At(field.line);
      }
      path.pop_back();
    }
    return At(table ? table->line : 1);
  }

  // Where the string `entry` of the list field `path` is written ("credits.status" in
  // constrains = { ..., "credits.status" }): its opening quote, else the field's place.
  SourceLocation EntryLocation(const std::vector<std::string>& path,
                               const std::string& entry) const {
    if (table) {
      for (const ReturnedField& field : table->fields) {
        if (field.path != path) continue;
        for (int line = std::max(field.from_line, 1); line <= field.line; ++line) {
          for (const char* quote : {"\"", "'"}) {
            size_t at = Line(line).find(quote + entry + quote);
            if (at != std::string_view::npos) return At(line, static_cast<int>(at) + 1);
          }
        }
      }
    }
    return FieldLocation(path);
  }

 private:
  static bool IsNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  std::string_view Line(int line) const {
    if (line < 1 || line > static_cast<int>(lines_.size())) return {};
    return lines_[line - 1];
  }

  const PolicyText* text_;
  std::vector<std::string_view> lines_;
};

}  // namespace partnerpolicy
