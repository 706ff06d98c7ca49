// LuaCATS type definitions (the annotations lua-language-server reads) written from a JSON
// Schema, so editors complete and check what policies read from the partner state.
//
// The mapping, for the subset of JSON Schema that schemas/partner-state.schema.json uses:
//   - the root object and every object in `$defs` become a `---@class`, named in PascalCase
//     (the root `options.root_class`, `$defs/billing_account` BillingAccount); an object
//     written inline under a property becomes a class named after its owner and the property
//     (Partner + membership: PartnerMembership);
//   - each property becomes `---@field name type description`, with `type?` when the property
//     is not `required` (absent reads as nil) and the `default`, if any, after the description;
//   - a `$defs` entry that is a string, number, integer or boolean becomes an `---@alias` of
//     that type (Date is a string), so hovers show what the value means;
//   - a string `enum` becomes an `---@alias` union of its values, one `---| "value"` line each,
//     named like an inline class; `const` a literal type;
//   - `"type": "array"` becomes `T[]` of its `items`; an array item's class or alias is named
//     after the property with a final "s" dropped (Partner + credits: PartnerCredit);
//   - `$ref: "#/$defs/x"` becomes x's class or alias; a `type` list or `anyOf`/`oneOf` becomes a
//     union; a schema without any of these becomes `any`;
//   - titles and descriptions become the doc comments of classes and aliases, descriptions of
//     properties the text after their type.
// A property whose name is not a Lua name (`$schema`) is left out, with a comment saying so.
//
// Output is deterministic: classes and fields in the schema's order, `\n` line ends, no time or
// path of the machine in it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace partnerpolicy::luacats {

struct LuaCatsOptions {
  std::string root_class = "PartnerState";  // the class of the schema's root object
  // The opening comment lines (without "-- "), e.g. which file it was generated from and how
  // to regenerate it. Written after `---@meta`.
  std::string header;
};

struct LuaCatsResult {
  std::string text;   // the definition file, when error is empty
  std::string error;  // why the schema could not be mapped, with its JSON pointer
};

// Writes the definitions for `schema` (parsed with nlohmann::ordered_json, so the schema's own
// order is kept). Errors, each naming the JSON pointer of the part: the root or a `$defs` entry
// is not an object, a `$ref` points outside `#/$defs/` or at a missing entry, a `type` is not a
// JSON Schema type, two classes or aliases would get the same name, nesting is deeper than 32.
LuaCatsResult WriteLuaCats(const nlohmann::ordered_json& schema, const LuaCatsOptions& options);

}  // namespace partnerpolicy::luacats
