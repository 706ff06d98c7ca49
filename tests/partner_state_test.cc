// Loading fixtures: every kind of bad input gives a located error, never a crash or a pass.
#include "partnerpolicy/partner_state.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "partnerpolicy/json_reader.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

using testing::Loader;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string MinimalState() {
  return ReadFile(testing::SourceDir() / "fixtures/valid/minimal.json");
}

TEST(StateLoaderTest, LoadsTheExampleWithPositions) {
  PartnerState state = testing::Must(Loader().Load(testing::ExamplePath()));
  const Document& doc = state.document;
  NodeId credits = doc.member(doc.root(), "credits");
  ASSERT_NE(credits, kNoNode);
  NodeId mc3 = doc.find_by_id(credits, "MC-3");
  ASSERT_NE(mc3, kNoNode);
  EXPECT_EQ(doc.pointer(mc3), "/credits/2");
  EXPECT_EQ(doc.resolve("/credits/2"), mc3);
  // The entity's '{' in the file.
  std::string text = ReadFile(testing::ExamplePath());
  std::istringstream lines(text);
  std::string line;
  for (int i = 1; i <= doc.line(mc3); ++i) std::getline(lines, line);
  EXPECT_EQ(line[doc.column(mc3) - 1], '{');
  ASSERT_TRUE(state.as_of);
  EXPECT_EQ(FormatDate(*state.as_of), "2026-11-23");
}

TEST(StateLoaderTest, FindsElementsByAFieldInDocumentOrder) {
  PartnerState state = testing::Must(Loader().Load(testing::ExamplePath()));
  const Document& doc = state.document;
  NodeId credits = doc.member(doc.root(), "credits");
  auto ids = [&](const std::vector<NodeId>& found) {
    std::vector<std::string> out;
    for (NodeId n : found) out.emplace_back(doc.string_member(n, "id"));
    return out;
  };
  EXPECT_EQ(ids(doc.find_all_by(credits, "azure_subscription", "AZ-1")),
            (std::vector<std::string>{"MC-1", "MC-2"}));
  EXPECT_EQ(ids(doc.find_all_by(credits, "package", "PKG-AZURE")),
            (std::vector<std::string>{"MC-1", "MC-5", "BULK-1"}));
  // Asked again (the index is built), and for values, fields and nodes that hold nothing.
  EXPECT_EQ(doc.find_all_by(credits, "package", "PKG-AZURE").size(), 3u);
  EXPECT_TRUE(doc.find_all_by(credits, "package", "PKG-NONE").empty());
  EXPECT_TRUE(doc.find_all_by(credits, "no_such_field", "x").empty());
  EXPECT_TRUE(doc.find_all_by(credits, "assignments", "x").empty());  // not a string member
  EXPECT_TRUE(doc.find_all_by(doc.root(), "id", "x").empty());        // not an array
  // A list of strings: found by each of them.
  NodeId users = doc.member(doc.root(), "users");
  EXPECT_EQ(ids(doc.find_all_by(users, "partner_center_roles", "partner_admin")),
            (std::vector<std::string>{"alice", "carol", "emma"}));
  EXPECT_EQ(ids(doc.find_all_by(users, "partner_center_roles", "global_admin")),
            (std::vector<std::string>{"alice"}));
}

TEST(StateLoaderTest, FindsAnElementOnceHoweverOftenItsListRepeatsAValue) {
  // A list that repeats one value 200,000 times indexes in one pass (it once compared every
  // value with every earlier one), and names its element once.
  std::string roles = "\"admin\"";
  for (int i = 0; i < 200000; ++i) roles += ",\"admin\"";
  Document doc =
      testing::Must(ParseJson("{\"users\": [{\"id\": \"a\", \"roles\": [" + roles +
                                  ", 7, \"owner\"]}, {\"id\": \"b\", \"roles\": \"admin\"}]}",
                              "repeats.json"));
  NodeId users = doc.member(doc.root(), "users");
  const std::vector<NodeId>& admins = doc.find_all_by(users, "roles", "admin");
  ASSERT_EQ(admins.size(), 2u);
  EXPECT_EQ(doc.string_member(admins[0], "id"), "a");
  EXPECT_EQ(doc.string_member(admins[1], "id"), "b");
  EXPECT_EQ(doc.find_all_by(users, "roles", "owner").size(), 1u);
  EXPECT_TRUE(doc.find_all_by(users, "roles", "7").empty());  // a number is not the string
}

TEST(StateLoaderTest, EveryValidFixtureLoads) {
  StateLoader loader = Loader();
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourceDir() / "fixtures/valid")) {
    Result<PartnerState> state = loader.Load(entry.path());
    EXPECT_TRUE(state.ok()) << entry.path() << "\n" << testing::Describe(state.errors());
  }
}

// fixtures/invalid/X.json lists the pointers of its problems in X.expected; the host must find
// exactly those (the same files are checked by python-jsonschema in CI).
TEST(StateLoaderTest, InvalidFixturesReportExactlyTheExpectedPointers) {
  StateLoader loader = Loader();
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourceDir() / "fixtures/invalid")) {
    if (entry.path().extension() != ".json") continue;
    std::filesystem::path expected_path = entry.path();
    expected_path.replace_extension(".expected");
    std::set<std::string> expected;
    std::istringstream lines(ReadFile(expected_path));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) expected.insert(line);
    }
    Result<PartnerState> state = loader.Load(entry.path());
    ASSERT_FALSE(state.ok()) << entry.path() << " passed but is invalid";
    std::set<std::string> found;
    for (const Error& e : state.errors()) {
      found.insert(e.where.pointer);
      EXPECT_EQ(e.where.file, entry.path().string());
      EXPECT_GT(e.where.line, 0) << e.ToString();
      EXPECT_GT(e.where.column, 0) << e.ToString();
    }
    EXPECT_EQ(found, expected) << entry.path() << "\n" << testing::Describe(state.errors());
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

// fixtures/contradictory/X.json passes the schema (tools/check_schema.py checks that) but has
// two fields that say opposite things; X.expected lists the pointers the host refuses it at.
// Each error is located at one place and its message names the other by its pointer.
TEST(StateLoaderTest, ContradictoryFixturesReportExactlyTheExpectedPointers) {
  StateLoader loader = Loader();
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourceDir() / "fixtures/contradictory")) {
    if (entry.path().extension() != ".json") continue;
    std::filesystem::path expected_path = entry.path();
    expected_path.replace_extension(".expected");
    std::set<std::string> expected;
    std::istringstream lines(ReadFile(expected_path));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) expected.insert(line);
    }
    Result<PartnerState> state = loader.Load(entry.path());
    ASSERT_FALSE(state.ok()) << entry.path() << " passed but contradicts itself";
    std::set<std::string> found;
    for (const Error& e : state.errors()) {
      found.insert(e.where.pointer);
      EXPECT_EQ(e.where.file, entry.path().string());
      EXPECT_GT(e.where.line, 0) << e.ToString();
      EXPECT_GT(e.where.column, 0) << e.ToString();
      EXPECT_NE(e.message.find(" /"), std::string::npos)
          << "names no second place: " << e.ToString();
    }
    EXPECT_EQ(found, expected) << entry.path() << "\n" << testing::Describe(state.errors());
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(StateLoaderTest, MalformedJsonNamesLineAndColumn) {
  Result<PartnerState> state =
      Loader().LoadText("{\n  \"partner\": {\n    \"id\": 1,,\n", "t.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].ToString(),
            "t.json:3:13: invalid JSON: syntax error while parsing object key - unexpected ','; "
            "expected string literal");
}

TEST(StateLoaderTest, WrongTypeIsLocated) {
  std::string text = MinimalState();
  // "country": "US" becomes a number.
  size_t at = text.find("\"DE\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 4, "42");
  Result<PartnerState> state = Loader().LoadText(text, "t.json");
  ASSERT_FALSE(state.ok());
  ASSERT_EQ(state.errors().size(), 1u) << testing::Describe(state.errors());
  EXPECT_EQ(state.errors()[0].where.pointer, "/partner/country");
  EXPECT_NE(state.errors()[0].message.find("type"), std::string::npos);
}

TEST(StateLoaderTest, MissingRequiredFieldIsLocated) {
  Result<PartnerState> state = Loader().LoadText("{}", "empty.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].where.pointer, "/");
  EXPECT_NE(state.errors()[0].message.find("required property"), std::string::npos)
      << testing::Describe(state.errors());
}

TEST(StateLoaderTest, BrokenFixturesGiveTheirErrors) {
  StateLoader loader = Loader();
  const std::filesystem::path dir = testing::SourceDir() / "fixtures/broken";
  struct Case {
    const char* file;
    const char* message_part;
    const char* pointer;
  };
  for (const Case& c :
       {Case{"dangling-reference.json", "\"nobody\" is not the id of any users entry",
             "/credits/0/assignments/1/user"},
        Case{"duplicate-id.json", "duplicate id \"bob\" in users", "/users/2/id"},
        Case{"bad-email.json", "\"no-at-sign\" has no '@'", "/users/1/email"},
        Case{"malformed.json", "invalid JSON", ""}}) {
    Result<PartnerState> state = loader.Load(dir / c.file);
    ASSERT_FALSE(state.ok()) << c.file;
    EXPECT_NE(state.errors()[0].message.find(c.message_part), std::string::npos)
        << testing::Describe(state.errors());
    EXPECT_EQ(state.errors()[0].where.pointer, c.pointer);
    EXPECT_GT(state.errors()[0].where.line, 0);
  }
}

TEST(StateLoaderTest, ImpossibleCalendarDateIsAnError) {
  std::string text = MinimalState();
  size_t at = text.find("\"as_of\"");
  std::string with_date = text.substr(0, 1) + "\n  \"as_of\": \"2026-02-29\"," + text.substr(1);
  if (at != std::string::npos) GTEST_SKIP() << "minimal.json already has as_of";
  Result<PartnerState> state = Loader().LoadText(with_date, "t.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].ToString(),
            "t.json:2:12: \"2026-02-29\" is not a calendar date; expected YYYY-MM-DD (at /as_of)");
}

TEST(StateLoaderTest, AsOfOutsideTheSupportedEvaluationDatesIsAnError) {
  std::string text = MinimalState();
  ASSERT_EQ(text.find("\"as_of\""), std::string::npos) << "minimal.json already has as_of";
  auto with_as_of = [&](const std::string& date) {
    return text.substr(0, 1) + "\n  \"as_of\": \"" + date + "\"," + text.substr(1);
  };
  for (const char* date : {"0001-01-01", "1899-12-31"}) {
    Result<PartnerState> state = Loader().LoadText(with_as_of(date), "t.json");
    ASSERT_FALSE(state.ok()) << date;
    EXPECT_EQ(state.errors()[0].ToString(),
              std::string("t.json:2:12: as_of ") + date +
                  " is outside the supported evaluation dates 1900-01-01 to 9999-12-31 (at "
                  "/as_of)");
  }
  for (const char* date : {"1900-01-01", "9999-12-31"}) {
    Result<PartnerState> state = Loader().LoadText(with_as_of(date), "t.json");
    EXPECT_TRUE(state.ok()) << date << testing::Describe(state.errors());
  }
}

TEST(StateLoaderTest, DeepNestingIsRefusedWhileParsing) {
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  Result<PartnerState> state = Loader().LoadText(deep, "deep.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].ToString(),
            "deep.json:1:65: nesting deeper than 64 levels; a partner state needs far fewer");
}

TEST(StateLoaderTest, LongStringsDoNotReachTheRegexEngine) {
  std::string text = MinimalState();
  std::string with_date =
      text.substr(0, 1) + "\n  \"as_of\": \"" + std::string(200000, '7') + "\"," + text.substr(1);
  Result<PartnerState> state = Loader().LoadText(with_date, "t.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].where.pointer, "/as_of");
}

TEST(StateLoaderTest, DuplicateMemberNamesAreAnError) {
  Result<PartnerState> state = Loader().LoadText("{\"a\": 1, \"a\": 2}", "dup.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].ToString(),
            "dup.json:1:10: duplicate member name \"a\" in one object");
}

TEST(StateLoaderTest, MissingFileIsAnIoError) {
  Result<PartnerState> state = Loader().Load("/nonexistent/state.json");
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.errors()[0].code, ErrorCode::kIo);
  EXPECT_EQ(state.errors()[0].where.file, "/nonexistent/state.json");
}

}  // namespace
}  // namespace partnerpolicy
