// Hostile input on the real binary (acceptance item 4): a 2 GB fixture, a 100,000-deep array, a
// file of random bytes, NUL and invalid UTF-8 inside a string, and TOML shaped to crash toml++.
// Each must be a clear error (exit 2) quickly and in bounded memory.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"
#include "toml_file.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;

// A scratch directory for this test's files.
class InputDir : public testing::ScratchDir {
 public:
  InputDir() : ScratchDir("partnerpolicy-input-test") {}
};

struct Measured {
  int exit_code = -1;
  std::string err;      // standard output and error
  long max_rss_kb = 0;  // of this run alone (wait4)
  double seconds = 0;
};

// Runs the binary with `arguments` from the repository root; its output goes to a file.
Measured RunBinary(const std::vector<std::string>& arguments, const fs::path& scratch) {
  fs::path err_file = scratch / "stderr.txt";
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(testing::SourceDir().c_str()) != 0) ::_exit(127);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, 1);  // check prints a fixture's errors in its report
    ::dup2(err, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(PARTNERPOLICY_BINARY));
    for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(PARTNERPOLICY_BINARY, argv.data());
    ::_exit(127);
  }
  Measured m;
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  m.max_rss_kb = usage.ru_maxrss;
  std::ifstream in(err_file, std::ios::binary);
  m.err.assign(std::istreambuf_iterator<char>(in), {});
  return m;
}

// Loose bounds (the issue's): an answer within 1 s and far below the input's size in memory.
// Under AddressSanitizer every run is several times slower and larger (shadow memory,
// quarantine), so the bounds scale there; they stay far below reading a 2 GB file.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSanitizerFactor = 5;
#else
constexpr double kSanitizerFactor = 1;
#endif
void ExpectQuickAndSmall(const Measured& m) {
  EXPECT_LT(m.seconds, 1.0 * kSanitizerFactor);
  EXPECT_LT(m.max_rss_kb, 200 * 1024 * kSanitizerFactor);
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Example() { return ReadAll(testing::ExamplePath()); }

TEST(InputLimits, TwoGigabyteFixtureIsRefusedUnread) {
  InputDir dir;
  fs::path big = dir.path() / "big.json";
  std::ofstream(big).close();
  fs::resize_file(big, 2ull << 30);  // sparse: no disk used
  Measured m = RunBinary({"check", big.string()}, dir.path());
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(
      m.err.find(big.string() + ": file is 2147483648 bytes; the limit is 67108864 (64 MiB, see "
                                "--max-input-mb)"),
      std::string::npos)
      << m.err;
  ExpectQuickAndSmall(m);

  Measured can =
      RunBinary({"can", "credit.reassign", "--state", big.string(), "credit=MC-2"}, dir.path());
  EXPECT_EQ(can.exit_code, 2);
  EXPECT_NE(can.err.find("file is 2147483648 bytes"), std::string::npos) << can.err;
  ExpectQuickAndSmall(can);
}

TEST(InputLimits, MaxInputMbSetsTheLimit) {
  InputDir dir;
  std::string example = Example();
  std::string padded = example.substr(0, example.rfind('}')) + std::string(2 << 20, ' ') + "}";
  std::string path = dir.Write("padded.json", padded);
  Measured refused = RunBinary({"check", path, "--max-input-mb", "1"}, dir.path());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("; the limit is 1048576 (1 MiB, see --max-input-mb)"),
            std::string::npos)
      << refused.err;
  Measured read = RunBinary({"check", path, "--max-input-mb", "3"}, dir.path());
  EXPECT_EQ(read.exit_code, 1) << read.err;  // evaluated: the example has error findings
  Measured zero = RunBinary({"check", path, "--max-input-mb", "0"}, dir.path());
  EXPECT_EQ(zero.exit_code, 2);
}

TEST(InputLimits, HundredThousandDeepArrayStopsAtTheDepthLimit) {
  InputDir dir;
  std::string path = dir.Write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  Measured m = RunBinary({"check", path}, dir.path());
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find(path + ":1:65: nesting deeper than 64 levels; a partner state needs far "
                              "fewer"),
            std::string::npos)
      << m.err;
  ExpectQuickAndSmall(m);
}

TEST(InputLimits, RandomBytesAreAJsonSyntaxError) {
  InputDir dir;
  std::mt19937 random(5);  // fixed seed
  std::string bytes(1 << 20, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xff);
  std::string path = dir.Write("random.json", bytes);
  Measured m = RunBinary({"check", path, "--format", "json"}, dir.path());
  EXPECT_EQ(m.exit_code, 2);
  ExpectQuickAndSmall(m);
  // The JSON report names the position and stays valid UTF-8 (nlohmann's "last read" bytes are
  // escaped): the run above printed it, so read it again through the harness.
  testing::ProcessRun report =
      testing::Partnerpolicy("check " + testing::Quoted(path) + " --format json");
  nlohmann::json j = testing::Json(report);
  const nlohmann::json& error = j["fixtures"][0]["errors"][0];
  EXPECT_EQ(error["line"], 1);
  EXPECT_EQ(error["column"], 1);
  EXPECT_EQ(error["message"].get<std::string>().rfind("invalid JSON: syntax error", 0), 0u)
      << error;
}

TEST(InputLimits, NulInAStringIsAnErrorWithItsPointer) {
  InputDir dir;
  std::string text = Example();
  size_t at = text.find("\"alice@contoso.com\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 19, "\"alice\\u0000@contoso.com\"");
  std::string path = dir.Write("nul.json", text);
  Measured m = RunBinary({"check", path}, dir.path());
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find(path + ":72:16: string contains a NUL character (\\u0000); expected text "
                              "without NUL (at /users/0/email)"),
            std::string::npos)
      << m.err;

  // In a member name too, and in a name that no check looks at: never cut short.
  std::string name = Example();
  name.replace(name.find("\"Alice"), 6, "\"Al\\u0000ice");
  Measured in_name = RunBinary({"check", dir.Write("name.json", name)}, dir.path());
  EXPECT_EQ(in_name.exit_code, 2);
  EXPECT_NE(in_name.err.find(":73:15: string contains a NUL character (\\u0000); expected text "
                             "without NUL (at /users/0/name)"),
            std::string::npos)
      << in_name.err;
  std::string key = Example();
  key.replace(key.find("\"email\""), 7, "\"e\\u0000mail\"");
  Measured in_key = RunBinary({"check", dir.Write("key.json", key)}, dir.path());
  EXPECT_EQ(in_key.exit_code, 2);
  EXPECT_NE(in_key.err.find("member name contains a NUL character (\\u0000)"), std::string::npos)
      << in_key.err;
}

TEST(InputLimits, InvalidUtf8InAStringIsAnErrorAtItsPosition) {
  InputDir dir;
  std::string raw = Example();
  raw.replace(raw.find("alice@contoso.com"), 5, "ali\xff\xfe");
  std::string path = dir.Write("utf8.json", raw);
  Measured m = RunBinary({"check", path}, dir.path());
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find(path + ":72:20: invalid JSON: syntax error while parsing value - invalid "
                              "string: ill-formed UTF-8 byte; last read: '\"ali\\xff'"),
            std::string::npos)
      << m.err;
  std::string surrogate = Example();
  surrogate.replace(surrogate.find("alice@contoso.com"), 5, "ali\\ud800ce");
  Measured lone = RunBinary({"check", dir.Write("surrogate.json", surrogate)}, dir.path());
  EXPECT_EQ(lone.exit_code, 2);
  EXPECT_NE(lone.err.find(":72:26: invalid JSON: syntax error while parsing value - invalid "
                          "string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"),
            std::string::npos)
      << lone.err;
}

// toml++ 3.3.0 overflows its stack on a header of ~50,000 dotted parts; the pre-scan refuses it.
TEST(InputLimits, TomlWithFiftyThousandDottedPartsIsRefusedBeforeToml) {
  InputDir dir;
  fs::path policies = dir.path() / "policies";
  fs::copy(testing::PolicyDir(), policies, fs::copy_options::recursive);
  std::string header = "a";
  for (int i = 1; i < 50000; ++i) header += ".a";
  {
    std::ofstream settings(policies / "policies.toml", std::ios::app);
    settings << "\n[" << header << "]\nx = 1\n";
  }
  std::string settings_text = ReadAll(policies / "policies.toml");
  int line = static_cast<int>(std::count(settings_text.begin(), settings_text.end(), '\n')) - 1;
  Measured m = RunBinary(
      {"check", testing::ExamplePath().string(), "--policies", policies.string()}, dir.path());
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find((policies / "policies.toml").string() + ":" + std::to_string(line) +
                       ":1: table header has more than 64 dotted parts"),
            std::string::npos)
      << m.err;
  ExpectQuickAndSmall(m);

  std::string waivers = dir.Write("waivers.toml", "[[waiver]]\nrule = \"x\"\n" + header + " = 1\n");
  Measured w =
      RunBinary({"check", testing::ExamplePath().string(), "--waivers", waivers}, dir.path());
  EXPECT_EQ(w.exit_code, 2);
  EXPECT_NE(w.err.find(waivers + ":3:1: key has more than 64 dotted parts"), std::string::npos)
      << w.err;
  ExpectQuickAndSmall(w);
}

TEST(InputLimits, TomlShapeScan) {
  // Dots inside strings, comments and values are not key parts; brackets inside strings are
  // not nesting.
  std::string dots(200, '.');
  EXPECT_FALSE(CheckTomlShape("a = \"" + dots + "\"\nb = '" + dots + "' # " + dots +
                                  "\nc = \"\"\"\n" + dots + "\n[[[\n\"\"\"\nd = 1.5\n",
                              "x.toml"));
  EXPECT_FALSE(
      CheckTomlShape("[rule.\"cloud.x.y.z\"]\nt = { a.b = [1, [2, {}], {c = 3}] }\n", "x.toml"));
  std::string deep(33, '[');
  std::optional<Error> nested = CheckTomlShape("x = " + deep + std::string(33, ']'), "n.toml");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->ToString(),
            "n.toml:1:37: arrays and inline tables nested deeper than 32 levels");
  std::string inline_key = "t = { " + std::string("k");
  for (int i = 0; i < 64; ++i) inline_key += ".k";
  std::optional<Error> key = CheckTomlShape("\n" + inline_key + " = 1 }", "k.toml");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->ToString(),
            "k.toml:2:7: key has more than 64 dotted parts; expected a few (e.g. "
            "[rule.\"cloud.x\"])");
  std::string sixty_four = "k";
  for (int i = 1; i < 64; ++i) sixty_four += ".k";
  EXPECT_FALSE(CheckTomlShape("[" + sixty_four + "]\n" + sixty_four + " = 1\n", "ok.toml"));
}

}  // namespace
}  // namespace partnerpolicy
