// --output FILE on the real binary: the file holds exactly what standard output would, a write
// failure is exit 2 naming the path, and kill -9 at random moments never leaves a torn report.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Partnerpolicy;
using testing::Quoted;

// A scratch directory for this test's files.
class OutputDir : public testing::ScratchDir {
 public:
  OutputDir() : ScratchDir("partnerpolicy-output-test") {}
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs the binary from the repository root with standard error captured in the output.
testing::ProcessRun WithStderr(const std::string& arguments) {
  std::string command = "cd " + Quoted(testing::SourceDir().string()) + " && NO_COLOR=1 " +
                        Quoted(PARTNERPOLICY_BINARY) + " " + arguments + " 2>&1";
  testing::ProcessRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::vector<std::string> TemporaryFiles(const fs::path& dir) {
  std::vector<std::string> out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(".report.json.tmp.", 0) == 0) out.push_back(name);
  }
  return out;
}

const char* const kExample = "fixtures/examples/contoso.json";

TEST(AtomicOutput, FileHoldsWhatStandardOutputWould) {
  OutputDir dir;
  const std::string state = std::string("--state ") + kExample;
  const std::vector<std::string> commands = {
      std::string("check ") + kExample,
      std::string("check ") + kExample + " --format sarif",
      "can credit.reassign " + state + " credit=MC-2 user=carol",
      "actions " + state + " --as alice",
      "alerts " + state + " --within 1y",
      "lint policies",
      "test policies",
  };
  for (const std::string& command : commands) {
    for (const char* format : {"", " --format json"}) {
      std::string arguments =
          command +
          (command.find("--format") == std::string::npos ? std::string(format) : std::string());
      SCOPED_TRACE(arguments);
      fs::path file = dir.path() / "report.out";
      testing::ProcessRun plain = Partnerpolicy(arguments);
      testing::ProcessRun written = Partnerpolicy(arguments + " --output " + Quoted(file.string()));
      EXPECT_EQ(written.exit_code, plain.exit_code);
      EXPECT_EQ(written.out, "");
      EXPECT_FALSE(plain.out.empty());
      EXPECT_EQ(ReadAll(file), plain.out);
      EXPECT_TRUE(TemporaryFiles(dir.path()).empty());
    }
  }
}

TEST(AtomicOutput, ReplacesAnEarlierFile) {
  OutputDir dir;
  fs::path file = dir.path() / "report.json";
  std::ofstream(file) << "an older, longer report that must not leave a tail behind ........";
  testing::ProcessRun run =
      Partnerpolicy(std::string("can credit.reassign --state ") + kExample +
                    " credit=MC-2 user=carol --format json --output " + Quoted(file.string()));
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.exit_code;
  nlohmann::json report = nlohmann::json::parse(ReadAll(file), nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << ReadAll(file);
  EXPECT_EQ(report["kind"], "can");
}

TEST(AtomicOutput, WriteFailureIsAnErrorNamingThePath) {
  OutputDir dir;
  // A missing directory, a directory as the target, and a file where a directory should be.
  std::ofstream(dir.path() / "plain") << "x";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {(dir.path() / "missing" / "report.json").string(), "No such file or directory"},
      {dir.path().string(), "expected a file name, not a directory"},
      {(dir.path() / "plain" / "report.json").string(), "Not a directory"},
  };
  for (const auto& [target, reason] : cases) {
    SCOPED_TRACE(target);
    testing::ProcessRun run =
        WithStderr(std::string("check ") + kExample + " --format json --output " + Quoted(target));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.out.rfind("error: " + target + ": cannot write the report: ", 0), 0u) << run.out;
    EXPECT_NE(run.out.find(reason), std::string::npos) << run.out;
  }
  if (::geteuid() != 0) {  // root writes into read-only directories
    fs::path locked = dir.path() / "locked";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    testing::ProcessRun run = WithStderr(std::string("check ") + kExample + " --output " +
                                         Quoted((locked / "report.json").string()));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.out.find("Permission denied"), std::string::npos) << run.out;
    fs::permissions(locked, fs::perms::owner_all);
  }
}

// A FIFO (or a device, /dev/stdout) as FILE is written in place: a rename over it would replace
// it with a regular file (as root, even /dev/null). Tried here on a FIFO of the scratch
// directory, read without blocking: a second writer keeps it from reporting end of file.
TEST(AtomicOutput, AFifoIsWrittenInPlaceNotReplaced) {
  OutputDir dir;
  fs::path fifo = dir.path() / "report.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  int keeper = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
  ASSERT_GE(keeper, 0);
  const std::string can = std::string("can credit.reassign --state ") + kExample +
                          " credit=MC-2 user=carol --format json";
  testing::ProcessRun plain = Partnerpolicy(can);
  testing::ProcessRun written = Partnerpolicy(can + " --output " + Quoted(fifo.string()));
  EXPECT_EQ(written.exit_code, plain.exit_code);
  std::string received;
  char buffer[4096];
  for (ssize_t n; (n = ::read(reader, buffer, sizeof buffer)) > 0;) received.append(buffer, n);
  ::close(keeper);
  ::close(reader);
  EXPECT_EQ(received, plain.out);
  EXPECT_TRUE(fs::is_fifo(fifo));  // was: a regular file renamed over it, the reader left empty
  EXPECT_TRUE(TemporaryFiles(dir.path()).empty());
}

// A symbolic link as FILE: the file it names gets the report, and the link stays.
TEST(AtomicOutput, ASymbolicLinkKeepsPointingAtTheReport) {
  OutputDir dir;
  std::ofstream(dir.path() / "real.json") << "an older report";
  fs::create_symlink("real.json", dir.path() / "report.json");
  testing::ProcessRun run =
      Partnerpolicy(std::string("check ") + kExample + " --format json --output " +
                    Quoted((dir.path() / "report.json").string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(fs::is_symlink(dir.path() / "report.json"));
  EXPECT_EQ(ReadAll(dir.path() / "real.json"),
            Partnerpolicy(std::string("check ") + kExample + " --format json").out);
}

// A write that fails part way (a file size limit, as a full disk) leaves the earlier report.
TEST(AtomicOutput, AWriteCutShortLeavesTheEarlierReport) {
  OutputDir dir;
  fs::path file = dir.path() / "report.json";
  std::ofstream(file) << "the earlier report";
  testing::ProcessRun run = testing::Shell(
      "cd " + Quoted(testing::SourceDir().string()) + " && trap '' XFSZ && ulimit -f 1 && " +
      Quoted(PARTNERPOLICY_BINARY) + " check " + kExample + " --format json --output " +
      Quoted(file.string()) + " 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(
      run.out.rfind("error: " + file.string() + ": cannot write the report: cannot write ", 0), 0u)
      << run.out;
  EXPECT_NE(run.out.find(": File too large"), std::string::npos) << run.out;
  EXPECT_EQ(ReadAll(file), "the earlier report");
  EXPECT_TRUE(TemporaryFiles(dir.path()).empty());
}

// What a run killed between creating its temporary file and the rename leaves behind, and
// what the next run does with it: a dead process's file is deleted, a live one's is kept.
TEST(AtomicOutput, StrayTemporaryFilesOfDeadRunsAreRemoved) {
  OutputDir dir;
  pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);  // reaped: the pid names no process now
  fs::path of_dead = dir.path() / (".report.json.tmp." + std::to_string(dead));
  fs::path of_live = dir.path() / (".report.json.tmp." + std::to_string(::getpid()));
  fs::path unrelated = dir.path() / ".report.json.tmp.notapid";
  for (const fs::path& stray : {of_dead, of_live, unrelated}) std::ofstream(stray) << "{\"tor";
  testing::ProcessRun run = Partnerpolicy(std::string("check ") + kExample + " --output " +
                                          Quoted((dir.path() / "report.json").string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_FALSE(fs::exists(of_dead));
  EXPECT_TRUE(fs::exists(of_live));
  EXPECT_TRUE(fs::exists(unrelated));
  EXPECT_TRUE(fs::exists(dir.path() / "report.json"));
}

// Starts `check --format json --output OUT FIXTURES -j1` from the repository root.
pid_t StartCheck(const fs::path& fixtures, const fs::path& out) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(testing::SourceDir().c_str()) != 0) ::_exit(127);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(PARTNERPOLICY_BINARY, PARTNERPOLICY_BINARY, "check", fixtures.c_str(), "--format",
            "json", "--output", out.c_str(), "-j", "1", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Acceptance item 5. Each run is killed after a random delay spread over a whole run's time, so
// kills land while fixtures are read, while policies run and while the report is written; some
// runs finish. After every run report.json is absent (before the first finished run) or the
// whole report. Killed runs may leave ".report.json.tmp.<pid>"; the next finished run removes
// those of dead processes.
TEST(AtomicOutput, KillNineNeverLeavesATornReport) {
  OutputDir dir;
  fs::path fixtures = dir.path() / "fixtures";
  fs::path out_dir = dir.path() / "out";
  fs::create_directories(fixtures);
  fs::create_directories(out_dir);
  // Enough copies that a run takes a while (the report is ~25 KB per copy), few enough that 50
  // runs fit in a debug or sanitizer build.
  for (int i = 0; i < 5; ++i) {
    fs::copy_file(testing::ExamplePath(), fixtures / ("contoso-" + std::to_string(i) + ".json"));
  }
  fs::path report = out_dir / "report.json";

  // One whole run: the expected report and how long a run takes here.
  fs::path reference = dir.path() / "reference.json";
  auto start = std::chrono::steady_clock::now();
  int status = 0;
  ::waitpid(StartCheck(fixtures, reference), &status, 0);
  auto whole = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 1);  // the example has error findings
  const std::string expected = ReadAll(reference);
  ASSERT_FALSE(nlohmann::json::parse(expected, nullptr, false).is_discarded());

  std::mt19937 random(5);  // fixed seed: the same delays every run of the test
  auto longest = std::chrono::duration_cast<std::chrono::microseconds>(whole) * 6 / 5;
  std::uniform_int_distribution<int64_t> delay(0, longest.count());
  int killed = 0;
  int finished = 0;
  for (int run = 0; run < 50; ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    pid_t pid = StartCheck(fixtures, report);
    std::this_thread::sleep_for(std::chrono::microseconds(delay(random)));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed;
    if (WIFEXITED(status)) {
      ++finished;
      EXPECT_EQ(WEXITSTATUS(status), 1);
    }
    if (fs::exists(report)) {
      std::string text = ReadAll(report);
      EXPECT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded())
          << text.size() << " bytes";
      EXPECT_EQ(text, expected);
    } else {
      EXPECT_EQ(finished, 0) << "a finished run wrote report.json, and nothing removes it";
    }
    EXPECT_LE(TemporaryFiles(out_dir).size(), static_cast<size_t>(killed));
  }
  EXPECT_GT(killed, 10);
  std::printf("%d runs killed, %d finished; %zu temporary files left by killed runs\n", killed,
              finished, TemporaryFiles(out_dir).size());
  // A run to the end clears the temporary files killed runs left.
  ::waitpid(StartCheck(fixtures, report), &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(ReadAll(report), expected);
  EXPECT_EQ(TemporaryFiles(out_dir), std::vector<std::string>{});
}

}  // namespace
}  // namespace partnerpolicy
