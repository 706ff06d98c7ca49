// A message catalog: the words of one policy file, kept beside it so that the Lua says what the
// rule decides and the catalog says how to put it (issue 19: a rule's text lives once).
//
// policies/credits/bulk_no_reassignment.lua reads its words from
// policies/credits/bulk_no_reassignment.messages.toml:
//
//   title = "A bulk (yearly) Azure credit cannot be reassigned"
//   description = """…"""
//   [messages]
//   reassigned = "bulk (yearly) credit {credit} {was}, and a bulk credit cannot be …"
//
// and the policy says pp.say("reassigned", { credit = credit.id, was = was }). A template names
// its fields in braces ({credit}: a Lua name); "{{" and "}}" stand for literal braces. A policy,
// helper library or effects file may have a catalog; title and description are for policies.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/status.h"

namespace partnerpolicy {

// One message template and where the catalog defines it.
struct CatalogMessage {
  std::string key;   // "reassigned": a Lua name
  std::string text;  // the template, braces and all
  SourceLocation where;
};

struct MessageCatalog {
  std::string file;   // "policies/credits/bulk_no_reassignment.messages.toml"
  std::string bytes;  // the file as read, for the policy set's content hash
  std::string title;  // empty: the catalog gives none
  SourceLocation title_at;
  std::string description;  // empty: the catalog gives none
  SourceLocation description_at;
  std::vector<CatalogMessage> messages;  // sorted by key

  const CatalogMessage* Find(std::string_view key) const;
};

// The catalog file that belongs to a Lua file: "x.lua" -> "x.messages.toml".
std::string CatalogPathFor(const std::string& policy_path);
inline constexpr std::string_view kCatalogSuffix = ".messages.toml";

// Parses a catalog's text, `file` naming it in messages. Errors (kInvalidPolicy, at the
// offending key's file:line:col): not TOML or too large (as ParseTomlText), a key other than
// title, description and [messages], a value that is not a non-empty string, a message key that
// is not a Lua name, a template whose braces do not pair or name no Lua name.
Result<MessageCatalog> ParseMessageCatalog(std::string bytes, const std::string& file);

// The names a template's fields use, in order of first use ("{credit} … {was}" -> credit, was).
// REQUIRES: a template ParseMessageCatalog accepted.
std::vector<std::string> TemplateFields(std::string_view text);

}  // namespace partnerpolicy
