// Message catalogs (x.messages.toml beside x.lua): reading them, pp.say, and their lint check.
#include "partnerpolicy/message_catalog.h"

#include <gtest/gtest.h>

#include "catalog_lint.h"
#include "lua/policy_runtime.h"
#include "sandbox_support.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

const char* kFile = "policies/x.messages.toml";

MessageCatalog Parse(const std::string& text) {
  Result<MessageCatalog> catalog = ParseMessageCatalog(text, kFile);
  EXPECT_TRUE(catalog.ok()) << testing::Describe(catalog.errors());
  return catalog.ok() ? catalog.take() : MessageCatalog{};
}

std::string ParseError(const std::string& text) {
  Result<MessageCatalog> catalog = ParseMessageCatalog(text, kFile);
  EXPECT_FALSE(catalog.ok()) << text;
  return catalog.ok() ? "" : catalog.errors()[0].ToString();
}

TEST(MessageCatalogTest, ReadsTitleDescriptionAndMessagesWithTheirPlaces) {
  MessageCatalog catalog = Parse(
      "title = \"A title\"\n"
      "description = \"\"\"Two \\\n  lines\"\"\"\n"
      "[messages]\n"
      "zeta = \"z {n}\"\n"
      "alpha = \"a {{literal}} {who} and {n}\"\n");
  EXPECT_EQ(catalog.title, "A title");
  EXPECT_EQ(catalog.description, "Two lines");
  ASSERT_EQ(catalog.messages.size(), 2u);
  EXPECT_EQ(catalog.messages[0].key, "alpha");  // sorted
  EXPECT_EQ(catalog.messages[0].where.line, 6);
  EXPECT_EQ(catalog.messages[0].where.column, 1);
  ASSERT_NE(catalog.Find("zeta"), nullptr);
  EXPECT_EQ(catalog.Find("zeta")->text, "z {n}");
  EXPECT_EQ(catalog.Find("beta"), nullptr);
  EXPECT_EQ(TemplateFields(catalog.messages[0].text), (std::vector<std::string>{"who", "n"}));
}

TEST(MessageCatalogTest, RefusesWhatIsNoCatalogAtItsLineAndColumn) {
  EXPECT_EQ(ParseError("titel = \"x\"\n"),
            "policies/x.messages.toml:1:1: unknown key 'titel' in a message catalog (known: "
            "title, description and the table [messages])");
  EXPECT_EQ(ParseError("title = 3\n"),
            "policies/x.messages.toml:1:9: title must be a non-empty string");
  EXPECT_EQ(ParseError("[messages]\nok = \"x\"\nbad = \"a {b\"\n"),
            "policies/x.messages.toml:3:7: messages.bad: a '{' that is never closed (write \"{{\" "
            "for a brace)");
  EXPECT_EQ(ParseError("[messages]\nbad = \"a } b\"\n"),
            "policies/x.messages.toml:2:7: messages.bad: a '}' that closes nothing (write \"}}\" "
            "for a brace)");
  EXPECT_NE(ParseError("[messages]\nbad = \"{until}\"\n").find("is no field"), std::string::npos);
  EXPECT_NE(ParseError("[messages]\n\"two words\" = \"x\"\n").find("must be a Lua name"),
            std::string::npos);
  EXPECT_NE(ParseError("[messages]\nx = \"\"\n").find("messages.x must be a non-empty string"),
            std::string::npos);
  EXPECT_NE(ParseError("title = \"x\n").find("policies/x.messages.toml:1:"), std::string::npos);
}

TEST(MessageCatalogTest, CatalogPathSitsBesideTheLuaFile) {
  EXPECT_EQ(CatalogPathFor("policies/credits/x.lua"), "policies/credits/x.messages.toml");
}

// A rule whose words come from `catalog`, its check running `body`.
Result<std::vector<Finding>> RunWithCatalog(const std::string& body, const std::string& catalog,
                                            std::string* title = nullptr) {
  PolicyText text{"policies/said.lua",
                  "return { id = \"test.said\", severity = \"error\",\n"
                  "  source = { seed = \"s\", section = \"x\" },\n"
                  "  check = function(state, ctx)\n" +
                      body + "\n  end }\n",
                  nullptr};
  Result<MessageCatalog> parsed = ParseMessageCatalog(catalog, "policies/said.messages.toml");
  if (!parsed.ok()) return parsed.take_errors();
  text.messages = std::make_shared<const MessageCatalog>(parsed.take());
  Result<std::unique_ptr<PolicyRuntime>> runtime = PolicyRuntime::Create({text}, Budgets{});
  if (!runtime.ok()) return runtime.take_errors();
  PolicyInfo info = runtime.value()->declared()[0];
  if (title != nullptr) *title = info.title + " | " + info.description;
  return runtime.value()->RunCheck(0, info, testing::ExampleState().document, Date{20000});
}

const char* kCatalog =
    "title = \"T\"\ndescription = \"D\"\n[messages]\n"
    "cap = \"credit {credit} changed user {n} times of {max}{{!}}\"\n"
    "plain = \"nothing to fill\"\n";

TEST(MessageCatalogTest, PpSayFillsTheFieldsOfTheFilesOwnCatalog) {
  std::string title;
  Result<std::vector<Finding>> findings = RunWithCatalog(
      "ctx.report{ at = state.credits[1], message = pp.say('cap', { credit = 'MC-1', n = 5, max = "
      "5.0 }),\n"
      "  remedy = pp.say('plain') .. ' / ' .. pp.say('cap', { credit = 'x', n = 2.5, max = -1 }) }",
      kCatalog, &title);
  ASSERT_TRUE(findings.ok()) << testing::Describe(findings.errors());
  ASSERT_EQ(findings.value().size(), 1u);
  EXPECT_EQ(findings.value()[0].message, "credit MC-1 changed user 5 times of 5{!}");
  EXPECT_EQ(findings.value()[0].remedy,
            "nothing to fill / credit x changed user 2.5 times of -1{!}");
  EXPECT_EQ(title, "T | D");
}

TEST(MessageCatalogTest, PpSayRefusesAnUnknownMessageOrAMissingFieldAtTheCallersLine) {
  Result<std::vector<Finding>> unknown = RunWithCatalog("local m = pp.say('cpa', {})", kCatalog);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.errors()[0].ToString().find(
                "policies/said.lua:4: policy test.said failed: pp.say: no message 'cpa' in the "
                "catalog of policies/said.lua"),
            std::string::npos)
      << unknown.errors()[0].ToString();
  Result<std::vector<Finding>> missing =
      RunWithCatalog("local m = pp.say('cap', { credit = 'x', n = 1 })", kCatalog);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.errors()[0].ToString().find(
                "pp.say: message 'cap' needs field 'max' (a string or a number), got nil"),
            std::string::npos)
      << missing.errors()[0].ToString();
  Result<std::vector<Finding>> table =
      RunWithCatalog("local m = pp.say('cap', { credit = {}, n = 1, max = 1 })", kCatalog);
  ASSERT_FALSE(table.ok());
  EXPECT_NE(
      table.errors()[0].ToString().find("needs field 'credit' (a string or a number), got table"),
      std::string::npos);
}

TEST(MessageCatalogTest, PpSayInAFileWithoutACatalogSaysSo) {
  std::string failure = testing::SandboxFailureOf("local m = pp.say('x')");
  EXPECT_NE(failure.find("pp.say: policies/sandbox.lua has no message catalog (a file "
                         ".messages.toml beside it)"),
            std::string::npos)
      << failure;
}

TEST(MessageCatalogTest, TitleInBothPlacesIsAMetadataProblem) {
  PolicyText text{"policies/twice.lua",
                  "return { id = \"test.twice\", title = \"T\", severity = \"error\",\n"
                  "  source = { seed = \"s\", section = \"x\" }, check = function() end }\n",
                  std::make_shared<const MessageCatalog>(Parse(kCatalog))};
  Result<PolicyReadings> read = PolicyRuntime::Read({text}, Budgets{});
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read.value().policies[0].problems.size(), 1u);
  EXPECT_EQ(read.value().policies[0].problems[0].message,
            "'title' is given twice: here and in policies/x.messages.toml (keep one)");
}

TEST(MessageCatalogTest, LintFindsUnknownAndUnusedMessages) {
  PolicyText text{"policies/said.lua",
                  "-- pp.say('in a comment') is no call\n"
                  "local a = pp.say('cap', {})\n"
                  "local b = \"pp.say('in a string')\" .. pp.say(\n  'cax')\n",
                  std::make_shared<const MessageCatalog>(Parse(kCatalog))};
  std::vector<LintProblem> problems = CheckMessageCatalog(text);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].ToString(),
            "policies/said.lua:4:3: error: pp.say(\"cax\"): policies/x.messages.toml has no "
            "message 'cax'; did you mean 'cap'? [message-catalog]");
  EXPECT_EQ(problems[1].ToString(),
            "policies/x.messages.toml:5:1: warning: message 'plain' is never said by "
            "policies/said.lua (remove it, or say it) [message-catalog]");
  text.messages = nullptr;
  problems = CheckMessageCatalog(text);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].ToString(),
            "policies/said.lua:2:18: error: pp.say(\"cap\"): this file has no message catalog "
            "(write the message in policies/said.messages.toml) [message-catalog]");
}

TEST(MessageCatalogTest, AComputedKeyTurnsTheUnusedWarningOff) {
  PolicyText text{"policies/said.lua", "local k = 'cap'\nlocal a = pp.say(k, {})\n",
                  std::make_shared<const MessageCatalog>(Parse(kCatalog))};
  EXPECT_TRUE(CheckMessageCatalog(text).empty());
}

}  // namespace
}  // namespace partnerpolicy
