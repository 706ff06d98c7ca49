#include "catalog_lint.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "partnerpolicy/source_index.h"

namespace partnerpolicy {
namespace {

struct SaidKey {
  std::string key;  // empty: computed, not written out
  int line = 0;
  int column = 0;  // of the key's opening quote, 1-based
};

// Every pp.say( in the text outside comments, with its key when it is a string literal.
std::vector<SaidKey> SaidKeys(std::string_view text) {
  std::vector<SaidKey> said;
  constexpr std::string_view kCall = "pp.say(";
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      // A comment runs to the end of the line (long comments are not used for code).
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      // Skip a string literal, so pp.say( inside one is not a call.
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (text.compare(i, kCall.size(), kCall) == 0) {
      size_t at = i + kCall.size();
      while (at < text.size() && (text[at] == ' ' || text[at] == '\n')) {
        if (text[at] == '\n') {
          ++line;
          line_start = at + 1;
        }
        ++at;
      }
      SaidKey key{"", line, static_cast<int>(at - line_start) + 1};
      if (at < text.size() && (text[at] == '"' || text[at] == '\'')) {
        size_t close = text.find(text[at], at + 1);
        if (close != std::string_view::npos) key.key = text.substr(at + 1, close - at - 1);
      }
      said.push_back(key);
      i = at - 1;
    }
  }
  return said;
}

}  // namespace

std::vector<LintProblem> CheckMessageCatalog(const PolicyText& file) {
  std::vector<LintProblem> problems;
  const MessageCatalog* catalog = file.messages.get();
  std::vector<std::string> keys;
  if (catalog != nullptr) {
    for (const CatalogMessage& message : catalog->messages) keys.push_back(message.key);
  }
  std::set<std::string> used;
  bool computed = false;
  for (const SaidKey& said : SaidKeys(file.text)) {
    SourceLocation where{file.display_path, said.line, said.column, ""};
    if (said.key.empty()) {
      computed = true;
    } else if (catalog == nullptr) {
      problems.push_back(LintProblem{where, Severity::kError,
                                     "pp.say(\"" + said.key +
                                         "\"): this file has no message "
                                         "catalog (write the message in " +
                                         CatalogPathFor(file.display_path) + ")",
                                     "message-catalog"});
    } else if (catalog->Find(said.key) == nullptr) {
      std::string closest = Closest(said.key, keys);
      problems.push_back(LintProblem{
          where, Severity::kError,
          "pp.say(\"" + said.key + "\"): " + catalog->file + " has no message '" + said.key + "'" +
              (closest.empty() ? "" : "; did you mean '" + closest + "'?"),
          "message-catalog"});
    } else {
      used.insert(said.key);
    }
  }
  if (catalog != nullptr && !computed) {
    for (const CatalogMessage& message : catalog->messages) {
      if (used.count(message.key) != 0) continue;
      problems.push_back(LintProblem{message.where, Severity::kWarning,
                                     "message '" + message.key + "' is never said by " +
                                         file.display_path + " (remove it, or say it)",
                                     "message-catalog"});
    }
  }
  return problems;
}

}  // namespace partnerpolicy
