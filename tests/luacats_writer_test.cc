// The schema-to-LuaCATS mapping (tools/luacats/luacats_writer.h) on small inline schemas, and
// its errors. That the committed policies/types/partner_state.lua is what the real schema
// generates is ctest's luacats_partner_state_up_to_date.
#include "luacats_writer.h"

#include <gtest/gtest.h>

namespace partnerpolicy::luacats {
namespace {

using Json = nlohmann::ordered_json;

std::string Write(const char* schema_text) {
  LuaCatsResult result = WriteLuaCats(Json::parse(schema_text), LuaCatsOptions{"State", ""});
  EXPECT_EQ(result.error, "");
  return result.text;
}

std::string ErrorOf(const char* schema_text) {
  LuaCatsResult result = WriteLuaCats(Json::parse(schema_text), LuaCatsOptions{"State", ""});
  EXPECT_EQ(result.text, "");
  return result.error;
}

TEST(LuaCatsWriterTest, ObjectsFieldsEnumsArraysAndScalarDefinitions) {
  EXPECT_EQ(Write(R"({
    "title": "State", "description": "A small state.",
    "type": "object", "required": ["credits"],
    "properties": {
      "$schema": { "description": "Path of the schema.", "type": "string" },
      "as_of": { "description": "The day.", "$ref": "#/$defs/date" },
      "credits": { "description": "The credits.", "type": "array",
                   "items": { "$ref": "#/$defs/credit" } },
      "owner": { "description": "Inline.", "type": "object", "required": ["name"],
                 "properties": { "name": { "description": "Its name.", "type": "string" } } }
    },
    "$defs": {
      "date": { "title": "Date", "description": "YYYY-MM-DD.", "type": "string" },
      "credit": {
        "title": "Credit", "type": "object", "required": ["kind", "roles"],
        "properties": {
          "kind": { "description": "Which kind.", "type": "string", "enum": ["monthly", "bulk"] },
          "roles": { "description": "Roles.", "type": "array",
                     "items": { "type": "string", "enum": ["admin"] } },
          "licenses": { "description": "Seats.", "type": "integer", "default": 0 },
          "note": { "description": "Text or nothing.", "type": ["string", "null"] },
          "tags": { "description": "Free.", "type": "array" },
          "version": { "description": "Fixed.", "const": "1" }
        }
      }
    }
  })"),
            "---@meta\n"
            "\n"
            "---State: A small state.\n"
            "---@class State\n"
            "---@field as_of Date? The day.\n"
            "---@field credits Credit[] The credits.\n"
            "---@field owner StateOwner? Inline.\n"
            "-- State[\"$schema\"] is not declared: \"$schema\" is no Lua name.\n"
            "\n"
            "---Date: YYYY-MM-DD.\n"
            "---@alias Date string\n"
            "\n"
            "---Credit.\n"
            "---@class Credit\n"
            "---@field kind CreditKind Which kind.\n"
            "---@field roles CreditRole[] Roles.\n"
            "---@field licenses integer? Seats. (default 0)\n"
            "---@field note (string|nil)? Text or nothing.\n"
            "---@field tags any[]? Free.\n"
            "---@field version \"1\"? Fixed.\n"
            "\n"
            "---Inline.\n"
            "---@class StateOwner\n"
            "---@field name string Its name.\n"
            "\n"
            "---Which kind.\n"
            "---@alias CreditKind\n"
            "---| \"monthly\"\n"
            "---| \"bulk\"\n"
            "\n"
            "---@alias CreditRole\n"
            "---| \"admin\"\n");
}

TEST(LuaCatsWriterTest, HeaderLinesAndLongDescriptionsWrapAsComments) {
  LuaCatsOptions options{"State", "GENERATED from x.json.\n\nDo not edit."};
  std::string long_words;
  for (int i = 0; i < 30; ++i) long_words += "word" + std::to_string(i) + " ";
  Json schema = {{"type", "object"}, {"description", long_words}};
  LuaCatsResult result = WriteLuaCats(schema, options);
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.text,
            "---@meta\n"
            "-- GENERATED from x.json.\n"
            "--\n"
            "-- Do not edit.\n"
            "\n"
            "---word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 "
            "word13 word14\n"
            // 100 columns at most
            "---word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 "
            "word26 word27 word28\n"
            "---word29\n"
            "---@class State\n");
}

TEST(LuaCatsWriterTest, OutputDependsOnlyOnTheSchema) {
  const char* schema = R"({ "type": "object", "properties": {
      "b": { "type": "string" }, "a": { "type": "number" } } })";
  EXPECT_EQ(Write(schema), Write(schema));
  // The schema's order, not the alphabet's.
  EXPECT_LT(Write(schema).find("---@field b"), Write(schema).find("---@field a"));
}

TEST(LuaCatsWriterTest, SchemasItCannotMapAreErrorsWithTheirPointer) {
  EXPECT_EQ(ErrorOf(R"([1, 2])"), "#: the schema must be a JSON object");
  EXPECT_EQ(ErrorOf(R"({ "type": "string" })"), "#: the root must be an object schema");
  EXPECT_EQ(ErrorOf(R"({ "type": "object", "properties": { "a": { "$ref": "other.json#/x" } } })"),
            "#/properties/a/$ref: only references into #/$defs/ are supported");
  EXPECT_EQ(ErrorOf(R"({ "type": "object", "properties": { "a": { "$ref": "#/$defs/none" } } })"),
            "#/properties/a/$ref: no definition #/$defs/none");
  EXPECT_EQ(ErrorOf(R"({ "type": "object", "properties": { "a": { "type": "text" } } })"),
            "#/properties/a/type: \"text\" is not a JSON Schema type");
  EXPECT_EQ(ErrorOf(R"({ "type": "object", "properties": { "a": 5 } })"),
            "#/properties/a: a property's schema must be an object");
  EXPECT_EQ(ErrorOf(R"({ "type": "object", "$defs": { "x": [] } })"),
            "#/$defs/x: a definition must be an object");
  // $defs/state_owner and the inline object under "owner" would both be StateOwner.
  EXPECT_EQ(ErrorOf(R"({ "type": "object",
      "properties": { "owner": { "type": "object", "properties": { "n": { "type": "string" } } } },
      "$defs": { "state_owner": { "type": "object" } } })"),
            "#/properties/owner: its class or alias name StateOwner is already taken by "
            "#/$defs/state_owner");
  EXPECT_EQ(ErrorOf(R"({ "type": "object", "properties": { "a": { "enum": [] } } })"),
            "#/properties/a/enum: enum must be a non-empty array");
}

TEST(LuaCatsWriterTest, DeepNestingIsAnErrorNotARecursion) {
  Json nested = {{"type", "string"}};
  for (int i = 0; i < 40; ++i) nested = {{"type", "array"}, {"items", nested}};
  Json schema = {{"type", "object"}, {"properties", {{"x", nested}}}};
  LuaCatsResult result = WriteLuaCats(schema, LuaCatsOptions{"State", ""});
  EXPECT_NE(result.error.find("nested deeper than 32 levels"), std::string::npos) << result.error;
}

TEST(LuaCatsWriterTest, ADefinitionMayBeReferredToTwice) {
  std::string text = Write(R"({ "type": "object",
      "properties": { "ids": { "$ref": "#/$defs/ids" }, "more": { "$ref": "#/$defs/ids" } },
      "$defs": { "ids": { "type": "array", "items": { "enum": ["a", "b"] } } } })");
  EXPECT_NE(text.find("---@field ids Ids[]?\n---@field more Ids[]?\n"), std::string::npos) << text;
  EXPECT_NE(text.find("---@alias Ids\n---| \"a\"\n---| \"b\"\n"), std::string::npos) << text;
}

TEST(LuaCatsWriterTest, ASelfReferringDefinitionIsAnErrorNotARecursion) {
  std::string error =
      ErrorOf(R"({ "type": "object", "properties": { "a": { "$ref": "#/$defs/list" } },
      "$defs": { "list": { "type": "array", "items": { "$ref": "#/$defs/list" } } } })");
  EXPECT_EQ(error.substr(0, 19), "#/$defs/list/items:") << error;
  EXPECT_NE(error.find("nested deeper than 32"), std::string::npos) << error;
}

}  // namespace
}  // namespace partnerpolicy::luacats
