// cli/safe_text.h through the real binary: values that carry line breaks, carriage returns,
// terminal escapes and GitHub workflow commands (in entity ids, names, file names, waivers,
// action arguments and usage errors) stay on their line, escaped, in every text and CI report
// and on standard error. Each hostile run is compared with a tame twin whose values differ only
// in being harmless: same exit code, same number of lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using testing::Partnerpolicy;
using testing::ProcessRun;
using testing::Quoted;
using testing::ScratchDir;
using testing::Shell;

// What every hostile id carries: a line break that would start a GitHub workflow command, a
// carriage return and a terminal escape (red).
const std::string kPayload = "\n::error file=x::pwned\r\x1b[31m";
// How the text reports print it.
const std::string kEscaped = "\\x0a::error file=x::pwned\\x0d\\x1b[31m";
// Names carry more: a line separator, the runner's older command form (found anywhere in a
// line) and an 8-bit CSI (U+009B).
const std::string kNamePayload = kPayload + "\xe2\x80\xa8##[error]legacy\xc2\x9b";
const std::string kNameEscaped = kEscaped + "\\u2028#\\x23[error]legacy\\u009b";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The checks every report and message passes: no control byte but line feed and tab, no C1
// control or line separator, no "##[" anywhere, and no line that starts with "::" after blanks
// (the GitHub runner trims them) unless it is one of the tool's own annotations.
void ExpectSafeToPrint(const std::string& out, const std::string& what, bool annotations = false) {
  SCOPED_TRACE(what);
  for (unsigned char c : out) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      ADD_FAILURE() << "raw control byte " << static_cast<int>(c) << " in:\n" << out;
      break;
    }
  }
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << out;
  EXPECT_EQ(out.find("\xe2\x80\xa8"), std::string::npos) << out;
  EXPECT_EQ(out.find("##["), std::string::npos) << out;
  for (const std::string& line : Lines(out)) {
    const std::string trimmed = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    if (trimmed.rfind("::", 0) != 0) continue;
    const bool own =
        annotations && (line.rfind("::error ", 0) == 0 || line.rfind("::warning ", 0) == 0 ||
                        line.rfind("::notice ", 0) == 0 || line.rfind("::error::", 0) == 0);
    EXPECT_TRUE(own) << "a line starts a workflow command: " << line;
  }
}

// Every string of `state` equal to an entity id gets `suffix`, and so do names and customers:
// the same partner state, the same findings, other ids.
nlohmann::json Renamed(const nlohmann::json& state, const std::string& suffix,
                       const std::string& name_suffix) {
  std::set<std::string> ids;
  std::function<void(const nlohmann::json&)> collect = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      for (const auto& [key, value] : node.items()) {
        if (key == "id" && value.is_string()) ids.insert(value.get<std::string>());
        collect(value);
      }
    } else if (node.is_array()) {
      for (const auto& value : node) collect(value);
    }
  };
  for (const auto& [key, value] : state.items()) {
    if (key != "partner") collect(value);
  }
  std::function<nlohmann::json(const nlohmann::json&)> rename = [&](const nlohmann::json& node) {
    nlohmann::json out = node;
    if (node.is_object()) {
      for (const auto& [key, value] : node.items()) {
        out[key] = (key == "name" || key == "customer") && value.is_string()
                       ? nlohmann::json(value.get<std::string>() + name_suffix)
                       : rename(value);
      }
    } else if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) out[i] = rename(node[i]);
    } else if (node.is_string() && ids.count(node.get<std::string>()) == 1) {
      out = node.get<std::string>() + suffix;
    }
    return out;
  };
  return rename(state);
}

// The example partner twice in a scratch directory: hostile.json (ids with kPayload, names with
// kNamePayload) and tame.json (ids with "-x", names with " x"), both dated 2026-11-23.
class HostileState {
 public:
  HostileState() : dir_("partnerpolicy-safe-text") {
    nlohmann::json example = nlohmann::json::parse(std::ifstream(testing::ExamplePath()));
    example.erase("$schema");
    hostile_ = dir_.Write("hostile.json", Renamed(example, kPayload, kNamePayload).dump(2));
    tame_ = dir_.Write("tame.json", Renamed(example, "-x", " x").dump(2));
  }
  const ScratchDir& dir() const { return dir_; }
  const std::string& hostile() const { return hostile_; }
  const std::string& tame() const { return tame_; }

  // Runs `command` (words already quoted; "STATE" stands for the state file, "ID" for a suffix
  // added to ids) on both states; expects the same exit code and line count, a safe output and
  // `escaped` in the hostile one. Returns the hostile run.
  ProcessRun Compare(const std::string& command, const std::string& escaped,
                     bool annotations = false) const {
    SCOPED_TRACE(command);
    ProcessRun hostile = Partnerpolicy(Substituted(command, hostile_, kPayload));
    ProcessRun tame = Partnerpolicy(Substituted(command, tame_, "-x"));
    EXPECT_EQ(hostile.exit_code, tame.exit_code) << hostile.out;
    EXPECT_EQ(Lines(hostile.out).size(), Lines(tame.out).size()) << hostile.out;
    ExpectSafeToPrint(hostile.out, command, annotations);
    EXPECT_NE(hostile.out.find(escaped), std::string::npos) << hostile.out;
    return hostile;
  }

 private:
  static std::string Substituted(std::string command, const std::string& state,
                                 const std::string& id_suffix) {
    for (size_t at; (at = command.find("ID'")) != std::string::npos;) {
      command.replace(at, 3, id_suffix + "'");  // inside a quoted word: no shell meaning
    }
    for (size_t at; (at = command.find("STATE")) != std::string::npos;) {
      command.replace(at, 5, Quoted(state));
    }
    return command;
  }

  ScratchDir dir_;
  std::string hostile_, tame_;
};

TEST(SafeTextTest, CheckKeepsHostileIdsAndNamesOnTheirLinesInEveryLineFormat) {
  HostileState state;
  ProcessRun text = state.Compare("check STATE", "MC-4" + kEscaped + " at ");
  EXPECT_NE(text.out.find("(Contoso Ltd" + kNameEscaped + ")"), std::string::npos) << text.out;
  state.Compare("check STATE --trace", "MC-4" + kEscaped + ", ");
  state.Compare("check STATE --format github", "credit MC-4" + kEscaped + " is assigned", true);
  state.Compare("check STATE --format tap",
                "entity: \"MC-4\\n::error file=x::pwned\\x0d\\x1b[31m\"");
  state.Compare("check STATE --format junit", "MC-4" + kEscaped + " at ");
}

TEST(SafeTextTest, ActionsCanAlertsAndPlanKeepHostileValuesOnTheirLines) {
  HostileState state;
  state.Compare("actions --state STATE", "credits MC-4" + kEscaped);
  state.Compare("actions --state STATE --as 'alice@contoso.com'", "credits MC-4" + kEscaped);
  state.Compare("can credit.reassign 'credit=MC-4ID' 'user=aliceID' --state STATE --trace",
                "credit=MC-4" + kEscaped + " user=alice" + kEscaped);
  // A plan file (its name hostile too) whose steps name hostile ids; TOML spells the payload
  // with escapes.
  for (const std::string& suffix :
       {std::string("\\n::error file=x::pwned\\r\\u001b[31m"), std::string("-x")}) {
    state.dir().Write(std::string("plan") + (suffix == "-x" ? "-x" : kPayload),
                      "as = \"alice" + suffix + "\"\n[[step]]\naction = \"credit.reassign\"\n" +
                          "arguments = { credit = \"MC-4" + suffix + "\", user = \"carol" + suffix +
                          "\" }\n");
  }
  state.Compare("plan --state STATE --file '" + (state.dir().path() / "plan").string() + "ID'",
                "plan" + kEscaped + "\n");
  state.Compare("plan --state STATE --file '" + (state.dir().path() / "plan").string() + "ID'",
                "credit.reassign credit=MC-4" + kEscaped + " user=carol" + kEscaped);
  state.Compare("alerts --state STATE --within 1y", kEscaped + " at ");
  state.Compare("alerts --state STATE --within 1y --trace", kEscaped);
  state.Compare("alerts --state STATE --within 1y --format github", kEscaped, true);
  state.Compare("alerts --state STATE --within 1y --format tap", kEscaped);
  state.Compare("alerts --state STATE --within 1y --format junit", kEscaped);
}

TEST(SafeTextTest, WaiverFieldsStayOnTheirLines) {
  HostileState state;
  // TOML basic strings spell the payload with escapes.
  const std::string toml_payload = "\\n::error file=x::pwned\\r\\u001b[31m";
  for (const auto& [name, suffix] :
       {std::pair{"hostile.toml", toml_payload}, std::pair{"tame.toml", std::string("-x")}}) {
    state.dir().Write(name,
                      "[[waiver]]\nrule = \"credits.monthly.reassignment-cap\"\n"
                      "entity = \"MC-3" +
                          suffix + "\"\nowner = \"alice" + suffix + "\"\nreason = \"case 123" +
                          suffix +
                          "\"\nexpires = 2027-03-31\n\n"
                          "[[waiver]]\nrule = \"credits.activation-window\"\n"
                          "entity = \"ghost" +
                          suffix + "\"\nowner = \"bob" + suffix + "\"\nreason = \"kick-off" +
                          suffix + "\"\nexpires = 2027-03-31\n");
  }
  const std::string waivers = (state.dir().path() / "hostile.toml").string();
  const std::string tame_waivers = (state.dir().path() / "tame.toml").string();
  for (const std::string format : {"text", "github", "tap", "junit"}) {
    SCOPED_TRACE(format);
    ProcessRun hostile = Partnerpolicy("check " + Quoted(state.hostile()) + " --waivers " +
                                       Quoted(waivers) + " --format " + format);
    ProcessRun tame = Partnerpolicy("check " + Quoted(state.tame()) + " --waivers " +
                                    Quoted(tame_waivers) + " --format " + format);
    EXPECT_EQ(hostile.exit_code, tame.exit_code) << hostile.out;
    EXPECT_EQ(Lines(hostile.out).size(), Lines(tame.out).size()) << hostile.out;
    ExpectSafeToPrint(hostile.out, format, format == "github");
    EXPECT_NE(
        hostile.out.find("waived by alice" + kEscaped + " until 2027-03-31: case 123" + kEscaped),
        std::string::npos)
        << hostile.out;
    if (format != "tap") {  // TAP names only the waived findings
      EXPECT_NE(hostile.out.find("ghost" + kEscaped), std::string::npos) << hostile.out;
    }
  }
}

// A fixture whose file name holds a line break, or is itself a workflow command (the text report
// starts a line with the path).
TEST(SafeTextTest, FixtureFileNamesStayOnTheirLines) {
  HostileState state;
  const std::string broken = "line" + kPayload + ".json";
  const std::string command = "::error file=a::named.json";
  std::filesystem::copy_file(state.hostile(), state.dir().path() / broken);
  std::filesystem::copy_file(state.hostile(), state.dir().path() / command);
  for (const std::string format : {"text", "github", "tap", "junit"}) {
    SCOPED_TRACE(format);
    ProcessRun run = Shell("cd " + Quoted(state.dir().path().string()) + " && NO_COLOR=1 '" +
                           PARTNERPOLICY_BINARY + "' check " + Quoted(broken) + " " +
                           Quoted(command) + " 'tame.json' --format " + format + " 2>/dev/null");
    EXPECT_EQ(run.exit_code, 1) << run.out;
    ExpectSafeToPrint(run.out, format, format == "github");
    // Annotations escape ':' in the file name too, as the runner reads it.
    const std::string escaped =
        format == "github" ? "file=line\\x0a%3A%3Aerror file=x%3A%3Apwned\\x0d\\x1b[31m.json,"
                           : "line" + kEscaped + ".json";
    EXPECT_NE(run.out.find(escaped), std::string::npos) << run.out;
  }
  ProcessRun text = Shell("cd " + Quoted(state.dir().path().string()) + " && NO_COLOR=1 '" +
                          PARTNERPOLICY_BINARY + "' check " + Quoted(command) + " 2>/dev/null");
  EXPECT_EQ(text.out.rfind("\\x3a:error file=a::named.json  evaluation date", 0), 0u) << text.out;
}

// Standard error: a missing file whose name breaks the line, an unknown rule or action, a bad
// flag value and an unknown flag all stay on one line each.
TEST(SafeTextTest, MessagesOnStandardErrorStayOnTheirLines) {
  auto stderr_of = [](const std::string& arguments) {
    return Shell("cd '" + testing::SourceDir().string() + "' && NO_COLOR=1 '" +
                 PARTNERPOLICY_BINARY + "' " + arguments + " 2>&1 >/dev/null");
  };
  const std::string missing = "/tmp/partnerpolicy-missing" + kPayload + ".json";
  const std::string escaped_missing = "/tmp/partnerpolicy-missing" + kEscaped + ".json";
  for (const std::string format : {"text", "github", "tap", "junit"}) {
    SCOPED_TRACE(format);
    ProcessRun run = stderr_of("check " + Quoted(missing) + " --format " + format);
    EXPECT_EQ(run.exit_code, 2);
    ExpectSafeToPrint(run.out, "stderr");
    EXPECT_NE(run.out.find(escaped_missing), std::string::npos) << run.out;
    ProcessRun report = Partnerpolicy("check " + Quoted(missing) + " --format " + format);
    ExpectSafeToPrint(report.out, "stdout", format == "github");
  }
  for (const std::string& arguments :
       {"check fixtures/valid/minimal.json --waivers " + Quoted(missing),
        "can credit.reassign --state " + Quoted(missing), "explain " + Quoted("nope" + kPayload),
        "rules --action " + Quoted("nope" + kPayload),
        "alerts --state fixtures/valid/minimal.json --within " + Quoted("1y" + kPayload),
        "check fixtures/valid/minimal.json " + Quoted("--bogus" + kPayload)}) {
    ProcessRun run = stderr_of(arguments);
    EXPECT_EQ(run.exit_code, 2) << arguments;
    ExpectSafeToPrint(run.out, arguments);
    EXPECT_NE(run.out.find(kEscaped), std::string::npos) << arguments << "\n" << run.out;
  }
}

// A copy of the bundled policies beside links to the fixtures and schemas (the policy tests name
// their states as ../../fixtures/...), with the words of account.appeal-limit given `suffix`
// (TOML escapes) and its first policy test renamed with `json_suffix` (JSON escapes) and made to
// fail.
class PolicyCopy {
 public:
  PolicyCopy(const std::string& name, const std::string& suffix, const std::string& json_suffix)
      : dir_("partnerpolicy-safe-text-" + name) {
    namespace fs = std::filesystem;
    fs::copy(testing::PolicyDir(), policies(), fs::copy_options::recursive);
    fs::create_directory_symlink(testing::SourceDir() / "fixtures", dir_.path() / "fixtures");
    fs::create_directory_symlink(testing::SourceDir() / "schemas", dir_.path() / "schemas");
    Edit("account/appeal_limit.messages.toml",
         {{"at most three times\"", "at most three times" + suffix + "\""},
          {"at most {max} are allowed\"", "at most {max} are allowed" + suffix + "\""}});
    Edit("account/appeal_limit.test.json",
         {{"\"rejected with two appeals used: the last appeal is allowed\"",
           "\"rejected with two appeals used" + json_suffix + "\""},
          {"\"decision\": \"allowed\"", "\"decision\": \"denied\""}});
  }
  std::string policies() const { return (dir_.path() / "policies").string(); }

 private:
  void Edit(const std::string& file,
            const std::vector<std::pair<std::string, std::string>>& edits) {
    const std::filesystem::path path = dir_.path() / "policies" / file;
    std::stringstream text;
    text << std::ifstream(path, std::ios::binary).rdbuf();
    std::string contents = text.str();
    for (const auto& [from, to] : edits) {
      size_t at = contents.find(from);
      ASSERT_NE(at, std::string::npos) << file << ": " << from;
      contents.replace(at, from.size(), to);
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
  }

  ScratchDir dir_;
};

// The words of a rule (its title, a message) and the name of a policy test reach rules, explain,
// lint, test and check escaped.
TEST(SafeTextTest, PolicyWordsStayOnTheirLines) {
  PolicyCopy hostile("hostile", "\\n::error file=x::pwned\\r\\u001b[31m",
                     "\\n::error file=x::pwned\\r\\u001b[31m");
  PolicyCopy tame("tame", "-x", "-x");
  for (const std::string& command :
       {std::string("rules --policies DIR"),
        std::string("explain account.appeal-limit --policies DIR"), std::string("lint DIR"),
        std::string("test DIR"),
        std::string("check fixtures/rules/account.appeal-limit/fail.json --policies DIR")}) {
    SCOPED_TRACE(command);
    auto run = [&](const PolicyCopy& copy) {
      std::string arguments = command;
      arguments.replace(arguments.find("DIR"), 3, Quoted(copy.policies()));
      return Partnerpolicy(arguments);
    };
    ProcessRun hostile_run = run(hostile);
    ProcessRun tame_run = run(tame);
    EXPECT_EQ(hostile_run.exit_code, tame_run.exit_code) << hostile_run.out;
    EXPECT_EQ(Lines(hostile_run.out).size(), Lines(tame_run.out).size()) << hostile_run.out;
    ExpectSafeToPrint(hostile_run.out, command);
    if (command.rfind("lint", 0) != 0) {  // lint reports problems only: none here
      EXPECT_NE(hostile_run.out.find(kEscaped), std::string::npos) << hostile_run.out;
    }
  }
}

// On a terminal the report keeps its own colours, and only those: a value's escape sequence is
// printed escaped. Runs the binary under script(1) for a terminal.
TEST(SafeTextTest, ColourReportsKeepOnlyTheirOwnColourCodes) {
  if (Shell("command -v script >/dev/null").exit_code != 0) GTEST_SKIP() << "no script(1)";
  HostileState state;
  const std::string runner = state.dir().Write(
      "run.sh", "unset NO_COLOR\nTERM=xterm exec '" + std::string(PARTNERPOLICY_BINARY) +
                    "' check " + Quoted(state.hostile()) + " 2>/dev/null\n");
  ProcessRun run = Shell("script -qec " + Quoted("sh " + Quoted(runner)) + " /dev/null");
  std::string out;  // the terminal writes each line break as CR LF
  for (char c : run.out) {
    if (c != '\r') out += c;
  }
  EXPECT_NE(out.find("\x1b[1;31merror\x1b[0m"), std::string::npos) << out;
  EXPECT_NE(out.find("MC-4" + kEscaped), std::string::npos) << out;
  for (size_t at = out.find('\x1b'); at != std::string::npos; at = out.find('\x1b', at + 1)) {
    const std::string code = out.substr(at, out.find('m', at) - at + 1);
    EXPECT_TRUE(code == "\x1b[1m" || code == "\x1b[1;31m" || code == "\x1b[33m" ||
                code == "\x1b[1;32m" || code == "\x1b[2m" || code == "\x1b[0m")
        << "escape sequence " << code.substr(1);
  }
}

}  // namespace
}  // namespace partnerpolicy
