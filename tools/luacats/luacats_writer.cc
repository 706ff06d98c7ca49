// Maps a JSON Schema to LuaCATS definitions (see luacats_writer.h). Two passes: the first names
// every class and alias (so a `$ref` can point forward), the second writes them in the order
// they were named.
#include "luacats_writer.h"

#include <map>
#include <set>
#include <vector>

namespace partnerpolicy::luacats {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxDepth = 32;

// "billing_account" -> "BillingAccount"; "$schema" -> "Schema".
std::string Pascal(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// The name of one element of a list property: "credits" -> "credit". Only the final "s" goes,
// which is enough for the schema's plural names and never produces an empty name.
std::string Singular(const std::string& name) {
  if (name.size() > 1 && name.back() == 's') return name.substr(0, name.size() - 1);
  return name;
}

bool IsLuaName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// RFC 6901 token escaping, for error messages.
std::string PointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// One line of text: newlines and runs of spaces become one space, ends trimmed.
std::string OneLine(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// `text` as `---` comment lines of at most 100 columns.
std::string DocLines(const std::string& text) {
  std::string out;
  std::string line;
  size_t start = 0;
  std::string words = OneLine(text);
  while (start < words.size()) {
    size_t end = words.find(' ', start);
    if (end == std::string::npos) end = words.size();
    std::string word = words.substr(start, end - start);
    if (!line.empty() && 3 + line.size() + 1 + word.size() > 100) {
      out += "---" + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += "---" + line + "\n";
  return out;
}

std::string Literal(const Json& value) {
  if (value.is_string()) return value.dump();  // JSON string quoting is valid LuaCATS quoting
  if (value.is_null()) return "nil";
  return value.dump();
}

const char* ScalarType(const std::string& type) {
  if (type == "string") return "string";
  if (type == "integer") return "integer";
  if (type == "number") return "number";
  if (type == "boolean") return "boolean";
  if (type == "null") return "nil";
  return nullptr;
}

bool IsObjectSchema(const Json& schema) {
  return schema.is_object() &&
         ((schema.contains("type") && schema["type"] == "object") || schema.contains("properties"));
}

bool IsEnumSchema(const Json& schema) { return schema.is_object() && schema.contains("enum"); }

class Writer {
 public:
  Writer(const Json& schema, const LuaCatsOptions& options) : schema_(schema), options_(options) {}

  LuaCatsResult Run() {
    if (!schema_.is_object()) return Fail("#", "the schema must be a JSON object");
    if (schema_.contains("$defs")) {
      if (!schema_["$defs"].is_object()) return Fail("#/$defs", "$defs must be an object");
      for (const auto& [name, def] : schema_["$defs"].items()) {
        std::string where = "#/$defs/" + PointerToken(name);
        if (!def.is_object()) return Fail(where, "a definition must be an object");
        if (IsObjectSchema(def) || IsEnumSchema(def) || IsScalarDef(def)) {
          if (!Claim(Pascal(name), where)) return Failed();  // two keys made the same name
          def_names_[name] = Pascal(name);
        }
      }
    }
    // Pass 1: name and queue every class and alias, the root first.
    if (!IsObjectSchema(schema_)) return Fail("#", "the root must be an object schema");
    if (!Claim(options_.root_class, "#")) return Failed();
    Queue(Item{options_.root_class, &schema_, "#"});
    if (schema_.contains("$defs")) {
      for (const auto& [name, def] : schema_["$defs"].items()) {
        auto named = def_names_.find(name);
        if (named != def_names_.end())
          Queue(Item{named->second, &def, "#/$defs/" + PointerToken(name)});
      }
    }
    // Pass 2: write them; writing a class may queue the inline classes and aliases it names.
    std::string body;
    for (size_t i = 0; i < items_.size() && error_.empty(); ++i) {
      Item item = items_[i];
      body += "\n" + WriteItem(item);
    }
    if (!error_.empty()) return Failed();
    std::string out = "---@meta\n";
    if (!options_.header.empty()) {
      size_t start = 0;
      while (start <= options_.header.size()) {
        size_t end = options_.header.find('\n', start);
        if (end == std::string::npos) end = options_.header.size();
        std::string line = options_.header.substr(start, end - start);
        out += line.empty() ? "--\n" : "-- " + line + "\n";
        start = end + 1;
      }
    }
    return LuaCatsResult{out + body, ""};
  }

 private:
  struct Item {
    std::string name;
    const Json* schema;
    std::string where;  // JSON pointer, for errors
  };

  static bool IsScalarDef(const Json& def) {
    return def.contains("type") && def["type"].is_string() &&
           ScalarType(def["type"].get<std::string>()) != nullptr;
  }

  LuaCatsResult Fail(const std::string& where, const std::string& message) {
    if (error_.empty()) error_ = where + ": " + message;
    return Failed();
  }
  LuaCatsResult Failed() const { return LuaCatsResult{"", error_}; }

  // Reserves `name` for the schema at `where`: true when it is new (to be queued), false when
  // that schema already has it (a definition referred to twice) or on an error.
  bool Claim(const std::string& name, const std::string& where) {
    if (name.empty()) {
      Fail(where, "no class or alias name can be made from it");
      return false;
    }
    auto [it, inserted] = claimed_.emplace(name, where);
    if (!inserted && it->second != where) {
      Fail(where, "its class or alias name " + name + " is already taken by " + it->second);
    }
    return inserted;
  }

  void Queue(Item item) { items_.push_back(std::move(item)); }

  std::string Description(const Json& schema) const {
    std::string text;
    if (schema.contains("description") && schema["description"].is_string()) {
      text = OneLine(schema["description"].get<std::string>());
    }
    if (schema.contains("default")) {
      text += std::string(text.empty() ? "" : " ") + "(default " + Literal(schema["default"]) + ")";
    }
    return text;
  }

  // A class's or alias's doc comment: "Title: description" as it fits.
  std::string Doc(const Json& schema) const {
    std::string title = schema.contains("title") && schema["title"].is_string()
                            ? OneLine(schema["title"].get<std::string>())
                            : "";
    std::string description = Description(schema);
    if (title.empty()) return DocLines(description);
    if (description.empty()) return DocLines(title + ".");
    return DocLines(title + ": " + description);
  }

  std::string WriteItem(const Item& item) {
    const Json& schema = *item.schema;
    if (IsObjectSchema(schema)) return WriteClass(item);
    if (IsEnumSchema(schema)) return WriteEnum(item);
    return Doc(schema) + "---@alias " + item.name + " " + TypeOf(schema, item.name, item.where, 0) +
           "\n";
  }

  std::string WriteEnum(const Item& item) {
    const Json& values = (*item.schema)["enum"];
    if (!values.is_array() || values.empty()) {
      Fail(item.where + "/enum", "enum must be a non-empty array");
      return "";
    }
    std::string out = Doc(*item.schema) + "---@alias " + item.name + "\n";
    for (const Json& value : values) out += "---| " + Literal(value) + "\n";
    return out;
  }

  std::string WriteClass(const Item& item) {
    const Json& schema = *item.schema;
    std::set<std::string> required;
    if (schema.contains("required") && schema["required"].is_array()) {
      for (const Json& name : schema["required"]) {
        if (name.is_string()) required.insert(name.get<std::string>());
      }
    }
    std::string out = Doc(schema) + "---@class " + item.name + "\n";
    std::string skipped;
    if (schema.contains("properties")) {
      if (!schema["properties"].is_object()) {
        Fail(item.where + "/properties", "properties must be an object");
        return "";
      }
      for (const auto& [name, property] : schema["properties"].items()) {
        std::string where = item.where + "/properties/" + PointerToken(name);
        if (!IsLuaName(name)) {
          skipped += "-- " + item.name + "[\"" + name + "\"] is not declared: \"" + name +
                     "\" is no Lua name.\n";
          continue;
        }
        if (!property.is_object()) {
          Fail(where, "a property's schema must be an object");
          return "";
        }
        std::string type = TypeOf(property, item.name + Pascal(name), where, 0,
                                  item.name + Pascal(Singular(name)));
        std::string description = Description(property);
        if (!required.count(name)) {
          type = (type.find('|') == std::string::npos ? type : "(" + type + ")") + "?";
        }
        out += "---@field " + name + " " + type + (description.empty() ? "" : " " + description) +
               "\n";
      }
    }
    // Objects whose extra members have a schema read like maps.
    if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
      out += "---@field [string] " +
             TypeOf(schema["additionalProperties"], item.name + "Value",
                    item.where + "/additionalProperties", 0) +
             "\n";
    }
    return out + skipped;
  }

  // The LuaCATS type of `schema`. An inline object or enum is queued as a class or alias named
  // `inline_name`; for an array, its items are named `item_name` (by default inline_name).
  std::string TypeOf(const Json& schema, const std::string& inline_name, const std::string& where,
                     int depth, std::string item_name = "") {
    if (depth > kMaxDepth) {
      Fail(where, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
      return "any";
    }
    if (!schema.is_object()) {
      if (schema.is_boolean()) return "any";  // `true` allows anything
      Fail(where, "a schema must be an object");
      return "any";
    }
    if (schema.contains("$ref")) return Reference(schema["$ref"], where);
    if (schema.contains("const")) return Literal(schema["const"]);
    if (IsEnumSchema(schema)) {
      if (Claim(inline_name, where)) Queue(Item{inline_name, &schema, where});
      return inline_name;
    }
    for (const char* keyword : {"anyOf", "oneOf"}) {
      if (!schema.contains(keyword)) continue;
      const Json& choices = schema[keyword];
      if (!choices.is_array() || choices.empty()) {
        Fail(where + "/" + keyword, std::string(keyword) + " must be a non-empty array");
        return "any";
      }
      std::vector<std::string> types;
      for (size_t i = 0; i < choices.size(); ++i) {
        types.push_back(TypeOf(choices[i], inline_name + std::to_string(i + 1),
                               where + "/" + keyword + "/" + std::to_string(i), depth + 1));
      }
      return Union(types);
    }
    if (!schema.contains("type"))
      return IsObjectSchema(schema) ? Inline(schema, inline_name, where) : "any";
    const Json& type = schema["type"];
    if (type.is_array()) {
      std::vector<std::string> types;
      for (const Json& one : type) {
        if (!one.is_string()) {
          Fail(where + "/type", "a type list must hold strings");
          return "any";
        }
        types.push_back(
            NamedType(one.get<std::string>(), schema, inline_name, where, depth, item_name));
      }
      return Union(types);
    }
    if (!type.is_string()) {
      Fail(where + "/type", "type must be a string or a list of strings");
      return "any";
    }
    return NamedType(type.get<std::string>(), schema, inline_name, where, depth, item_name);
  }

  std::string NamedType(const std::string& type, const Json& schema, const std::string& inline_name,
                        const std::string& where, int depth, const std::string& item_name) {
    if (const char* scalar = ScalarType(type)) return scalar;
    if (type == "object") return Inline(schema, inline_name, where);
    if (type == "array") {
      if (!schema.contains("items")) return "any[]";
      std::string element = TypeOf(schema["items"], item_name.empty() ? inline_name : item_name,
                                   where + "/items", depth + 1);
      bool simple = element.find('|') == std::string::npos;
      return (simple ? element : "(" + element + ")") + "[]";
    }
    Fail(where + "/type", "\"" + type + "\" is not a JSON Schema type");
    return "any";
  }

  // An object written inline: a class of its own when it has properties, else a plain table.
  std::string Inline(const Json& schema, const std::string& name, const std::string& where) {
    if (!schema.contains("properties")) {
      if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
        return "table<string, " +
               TypeOf(schema["additionalProperties"], name + "Value",
                      where + "/additionalProperties", 1) +
               ">";
      }
      return "table";
    }
    if (Claim(name, where)) Queue(Item{name, &schema, where});
    return name;
  }

  std::string Reference(const Json& ref, const std::string& where) {
    static const std::string kPrefix = "#/$defs/";
    if (!ref.is_string() || ref.get<std::string>().rfind(kPrefix, 0) != 0) {
      Fail(where + "/$ref", "only references into #/$defs/ are supported");
      return "any";
    }
    std::string name = ref.get<std::string>().substr(kPrefix.size());
    if (!schema_.contains("$defs") || !schema_["$defs"].contains(name)) {
      Fail(where + "/$ref", "no definition " + ref.get<std::string>());
      return "any";
    }
    auto named = def_names_.find(name);
    if (named != def_names_.end()) return named->second;
    // A definition that is neither an object, an enum nor a scalar (e.g. an array): its type.
    if (++reference_depth_ > kMaxDepth) {
      Fail(where + "/$ref", "references nested deeper than " + std::to_string(kMaxDepth));
      return "any";
    }
    std::string type = TypeOf(schema_["$defs"][name], Pascal(name), kPrefix + PointerToken(name),
                              reference_depth_);
    --reference_depth_;
    return type;
  }

  static std::string Union(const std::vector<std::string>& types) {
    std::string out;
    std::set<std::string> seen;
    for (const std::string& type : types) {
      if (!seen.insert(type).second) continue;
      out += (out.empty() ? "" : "|") + type;
    }
    return out;
  }

  const Json& schema_;
  const LuaCatsOptions& options_;
  std::map<std::string, std::string> def_names_;  // $defs key -> class or alias name
  std::map<std::string, std::string> claimed_;    // name -> JSON pointer of what has it
  std::vector<Item> items_;
  std::string error_;
  int reference_depth_ = 0;
};

}  // namespace

LuaCatsResult WriteLuaCats(const nlohmann::ordered_json& schema, const LuaCatsOptions& options) {
  return Writer(schema, options).Run();
}

}  // namespace partnerpolicy::luacats
