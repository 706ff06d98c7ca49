// Every `partnerpolicy ...` command the README shows runs on the bundled fixtures and ends as a
// decision or a report (exit 0, 1 or 3), never as a usage or input error (exit 2): the documented
// actions, parameters and ids cannot drift from the real ones.
#include <gtest/gtest.h>

#include <regex>

#include "process_support.h"
#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// The commands in README.md: lines of ```sh blocks and `...` spans starting with "partnerpolicy ".
std::vector<std::string> ReadmeCommands() {
  std::string readme = ReadFile(SourceDir() / "README.md");
  std::vector<std::string> commands;
  std::istringstream lines(readme);
  std::string line;
  bool in_shell_block = false;
  const std::regex span("`partnerpolicy ([^`]*)`");
  while (std::getline(lines, line)) {
    if (line.rfind("```", 0) == 0) {
      in_shell_block = line == "```sh";
      continue;
    }
    if (in_shell_block && line.rfind("partnerpolicy ", 0) == 0) {
      std::string command = line.substr(std::string("partnerpolicy ").size());
      size_t comment = command.find("  #");
      if (comment != std::string::npos) command.erase(comment);
      while (!command.empty() && command.back() == ' ') command.pop_back();
      commands.push_back(command);
      continue;
    }
    if (in_shell_block) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), span), end; it != end; ++it) {
      commands.push_back((*it)[1]);
    }
  }
  return commands;
}

TEST(ReadmeExamplesTest, EveryDocumentedCommandRuns) {
  std::vector<std::string> commands = ReadmeCommands();
  int actions_documented = 0;
  for (const std::string& command : commands) {
    // Spans such as `partnerpolicy can` name a command without arguments; skip those.
    if (command.find(" --state ") == std::string::npos &&
        command.find("fixtures/") == std::string::npos && command.rfind("lint", 0) != 0 &&
        command.rfind("test ", 0) != 0 && command.rfind("rules", 0) != 0 &&
        command.rfind("explain ", 0) != 0) {
      continue;
    }
    SCOPED_TRACE(command);
    // Asked as JSON whatever format the README shows, so the report can be read back.
    std::string as_json = std::regex_replace(command, std::regex(" --format [a-z]+"), "");
    ProcessRun run = Partnerpolicy(as_json + " --format json");
    EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1 || run.exit_code == 3)
        << run.exit_code << "\n"
        << run.out;
    nlohmann::json report = nlohmann::json::parse(run.out, nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << run.out;
    EXPECT_NE(report["kind"], "error") << run.out;
    if (command.rfind("can ", 0) == 0) ++actions_documented;
  }
  // Each action of actions.toml has its runnable example in the README.
  for (const ActionSpec& spec : Bundled().actions().actions) {
    bool found = std::any_of(commands.begin(), commands.end(), [&](const std::string& c) {
      return c.rfind("can " + spec.name + " ", 0) == 0;
    });
    EXPECT_TRUE(found) << "README has no example of " << spec.name;
  }
  EXPECT_GE(actions_documented, static_cast<int>(Bundled().actions().actions.size()));
}

// The cells of each row of the README's Markdown table whose header row starts with `header`
// (the header and separator rows left out), trimmed.
std::vector<std::vector<std::string>> ReadmeTable(const std::string& header) {
  std::string readme = ReadFile(SourceDir() / "README.md");
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(readme);
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind(header, 0) == 0) {
      in_table = true;
      std::getline(lines, line);  // |---|---|
      continue;
    }
    if (!in_table) continue;
    if (line.rfind("|", 0) != 0) break;
    std::vector<std::string> cells;
    size_t start = 1;
    // A cell may hold "\|" (an escaped bar), which does not end it.
    for (size_t at = line.find('|', start); at != std::string::npos; at = line.find('|', at + 1)) {
      if (line[at - 1] == '\\') continue;
      std::string cell = line.substr(start, at - start);
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      cells.push_back(cell);
      start = at + 1;
    }
    rows.push_back(cells);
  }
  return rows;
}

// "`a`, `b`" of the names, or "—" for none, as the README's tables write them.
std::string CodeList(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "`" : ", `") + name + "`";
  return out.empty() ? "—" : out;
}

// Acceptance (issue 18): the rule table says which actions each rule decides.
TEST(ReadmeExamplesTest, RuleTableNamesTheActionsEachRuleDecides) {
  std::vector<std::vector<std::string>> rows =
      ReadmeTable("| rule id | what it says | severity | seed | has | decides |");
  ASSERT_EQ(rows.size(), Bundled().policies().size()) << "a rule is missing from the table";
  for (const std::vector<std::string>& row : rows) {
    ASSERT_EQ(row.size(), 6u);
    const PolicyInfo* rule = Bundled().Find(row[0].substr(1, row[0].size() - 2));
    ASSERT_NE(rule, nullptr) << row[0];
    EXPECT_EQ(row[1], rule->title) << rule->id;
    EXPECT_EQ(row[2], SeverityName(rule->declared_severity)) << rule->id;
    std::vector<std::string> has;
    if (rule->has_check) has.push_back("check");
    if (rule->has_alerts) has.push_back("alerts");
    std::string has_text;
    for (const std::string& h : has) has_text += (has_text.empty() ? "" : ", ") + h;
    EXPECT_EQ(row[4], has_text.empty() ? "—" : has_text) << rule->id;
    EXPECT_EQ(row[5], CodeList(rule->actions)) << rule->id;
  }
}

TEST(ReadmeExamplesTest, ActionTableNamesTheRulesThatDecideEachAction) {
  std::vector<std::vector<std::string>> rows =
      ReadmeTable("| action | parameters | rules that decide it | example |");
  ASSERT_EQ(rows.size(), Bundled().actions().actions.size()) << "an action is missing";
  for (const std::vector<std::string>& row : rows) {
    ASSERT_EQ(row.size(), 4u);
    std::string name = row[0].substr(1, row[0].find('`', 1) - 1);
    const ActionSpec* action = Bundled().actions().Find(name);
    ASSERT_NE(action, nullptr) << row[0];
    EXPECT_EQ(row[0], "`" + name + "` — " + action->summary);
    std::vector<std::string> deciding;
    for (const PolicyInfo& rule : Bundled().policies()) {
      if (rule.Governs(name)) deciding.push_back(rule.id);
    }
    EXPECT_EQ(row[2], CodeList(deciding)) << name;
  }
}

// The README's governs matrix is what `partnerpolicy rules --matrix` prints now.
TEST(ReadmeExamplesTest, GovernsMatrixIsWhatRulesMatrixPrints) {
  std::string readme = ReadFile(SourceDir() / "README.md");
  const std::string opening = "<!-- partnerpolicy rules --matrix -->\n```text\n";
  size_t start = readme.find(opening);
  ASSERT_NE(start, std::string::npos) << "README.md lacks the matrix block";
  start += opening.size();
  size_t end = readme.find("```\n", start);
  ASSERT_NE(end, std::string::npos);
  ProcessRun run = Partnerpolicy("rules --matrix");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(readme.substr(start, end - start), run.out)
      << "regenerate the block in README.md with `partnerpolicy rules --matrix` (from the "
         "repository root)";
}

}  // namespace
}  // namespace partnerpolicy
