// Reading a message catalog (policies/**/<file>.messages.toml) and checking its templates.
#include "partnerpolicy/message_catalog.h"

#include <algorithm>

#include "toml_file.h"

namespace partnerpolicy {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// A name a Lua table constructor takes bare ({credit = id}): no reserved word.
bool IsLuaName(std::string_view name) {
  static constexpr std::string_view kReserved[] = {
      "and",      "break",  "do",   "else", "elseif", "end",  "false", "for",
      "function", "goto",   "if",   "in",   "local",  "nil",  "not",   "or",
      "repeat",   "return", "then", "true", "until",  "while"};
  return !name.empty() && IsNameStart(name[0]) &&
         std::all_of(name.begin(), name.end(), IsNameChar) &&
         std::find(std::begin(kReserved), std::end(kReserved), name) == std::end(kReserved);
}

// Walks a template: `literal` gets each run of plain text (braces unescaped), `field` each
// field name. Returns the problem with the braces, or "" when they pair.
template <typename Literal, typename Field>
std::string WalkTemplate(std::string_view text, Literal literal, Field field) {
  size_t start = 0;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '{' && c != '}') {
      ++i;
      continue;
    }
    literal(text.substr(start, i - start));
    if (i + 1 < text.size() && text[i + 1] == c) {  // "{{" or "}}"
      literal(text.substr(i, 1));
      i += 2;
      start = i;
      continue;
    }
    if (c == '}') return "a '}' that closes nothing (write \"}}\" for a brace)";
    size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      return "a '{' that is never closed (write \"{{\" for a brace)";
    }
    std::string_view name = text.substr(i + 1, close - i - 1);
    if (!IsLuaName(name)) {
      return "'{" + std::string(name) +
             "}' is no field: a field is a Lua name in braces (not a reserved word), e.g. {credit}";
    }
    field(name);
    i = close + 1;
    start = i;
  }
  literal(text.substr(start));
  return "";
}

Error CatalogError(std::string message, SourceLocation where) {
  return Error::InvalidPolicy(std::move(where), std::move(message));
}

}  // namespace

const CatalogMessage* MessageCatalog::Find(std::string_view key) const {
  auto it = std::lower_bound(messages.begin(), messages.end(), key,
                             [](const CatalogMessage& m, std::string_view k) { return m.key < k; });
  return it != messages.end() && it->key == key ? &*it : nullptr;
}

std::string CatalogPathFor(const std::string& policy_path) {
  std::string stem = policy_path;
  if (stem.size() >= 4 && stem.compare(stem.size() - 4, 4, ".lua") == 0)
    stem.resize(stem.size() - 4);
  return stem + std::string(kCatalogSuffix);
}

std::vector<std::string> TemplateFields(std::string_view text) {
  std::vector<std::string> fields;
  WalkTemplate(
      text, [](std::string_view) {},
      [&](std::string_view name) {
        if (std::find(fields.begin(), fields.end(), name) == fields.end())
          fields.emplace_back(name);
      });
  return fields;
}

Result<MessageCatalog> ParseMessageCatalog(std::string bytes, const std::string& file) {
  Result<toml::table> parsed = ParseTomlText(bytes, file);
  if (!parsed.ok()) {
    Errors errors = parsed.take_errors();
    for (Error& error : errors) error.code = ErrorCode::kInvalidPolicy;
    return errors;
  }
  MessageCatalog catalog;
  catalog.file = file;
  Errors errors;
  // A non-empty string value, or an error at its key.
  auto text_of = [&](const toml::node& node, const std::string& what) -> const std::string* {
    const std::string* text = node.is_string() ? &node.as_string()->get() : nullptr;
    if (text == nullptr || text->empty()) {
      errors.push_back(
          CatalogError(what + " must be a non-empty string", TomlWhere(file, node.source())));
      return nullptr;
    }
    return text;
  };
  for (const auto& [key, node] : parsed.value()) {
    SourceLocation where = TomlWhere(file, key.source());
    if (key == "title" || key == "description") {
      if (const std::string* text = text_of(node, std::string(key.str()))) {
        (key == "title" ? catalog.title : catalog.description) = *text;
        (key == "title" ? catalog.title_at : catalog.description_at) = where;
      }
    } else if (key == "messages" && node.is_table()) {
      for (const auto& [name, value] : *node.as_table()) {
        SourceLocation at = TomlWhere(file, name.source());
        if (!IsLuaName(name.str())) {
          errors.push_back(
              CatalogError("message name '" + std::string(name.str()) +
                               "' must be a Lua name (not a reserved word), e.g. cap_reached",
                           at));
          continue;
        }
        const std::string* text = text_of(value, "messages." + std::string(name.str()));
        if (text == nullptr) continue;
        std::string problem = WalkTemplate(
            *text, [](std::string_view) {}, [](std::string_view) {});
        if (!problem.empty()) {
          errors.push_back(CatalogError("messages." + std::string(name.str()) + ": " + problem,
                                        TomlWhere(file, value.source())));
          continue;
        }
        catalog.messages.push_back(CatalogMessage{std::string(name.str()), *text, at});
      }
    } else {
      errors.push_back(CatalogError(
          "unknown key '" + std::string(key.str()) +
              "' in a message catalog (known: title, description and the table [messages])",
          where));
    }
  }
  if (!errors.empty()) return errors;
  std::sort(catalog.messages.begin(), catalog.messages.end(),
            [](const CatalogMessage& a, const CatalogMessage& b) { return a.key < b.key; });
  catalog.bytes = std::move(bytes);
  return catalog;
}

}  // namespace partnerpolicy
