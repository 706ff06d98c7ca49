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

}  // namespace
}  // namespace partnerpolicy
