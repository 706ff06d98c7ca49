// The one directory walk (directory_walk.h) and the commands that walk directories (issue 20,
// item 7): a symbolic link loop, a FIFO named like an input and a directory that cannot be read
// are each an error naming the path, never an uncaught filesystem_error, a hang or a silent skip.
#include "partnerpolicy/directory_walk.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::PartnerpolicyStreams;
using testing::Quoted;
using testing::ScratchDir;
using testing::StreamsRun;

bool IsJson(const fs::path& path) { return path.extension() == ".json"; }

std::vector<std::string> Relative(const std::vector<fs::path>& files, const fs::path& base) {
  std::vector<std::string> out;
  for (const fs::path& file : files) out.push_back(file.lexically_relative(base).string());
  return out;
}

std::vector<std::string> Messages(const Errors& errors) {
  std::vector<std::string> out;
  for (const Error& error : errors) out.push_back(error.ToString());
  return out;
}

void MakeFifo(const fs::path& path) { ASSERT_EQ(::mkfifo(path.c_str(), 0644), 0) << path; }

TEST(DirectoryWalk, ListsRegularFilesAndLinksToThemEnteringEachDirectoryOnce) {
  ScratchDir dir("partnerpolicy-walk-list");
  const fs::path root = dir.path();
  dir.Write("b.json", "{}");
  dir.Write("a/one.json", "{}");
  dir.Write("a/deeper/two.json", "{}");
  dir.Write("notes.txt", "not an input");
  fs::create_symlink("a/one.json", root / "c.json");
  fs::create_directory_symlink("a/deeper", root / "d");  // reached twice, walked once
  fs::create_symlink("nowhere", root / "dangling.txt");  // not an input: skipped
  MakeFifo(root / "pipe.txt");                           // not an input: skipped
  Result<std::vector<fs::path>> files = FilesUnder(root, IsJson);
  ASSERT_TRUE(files.ok()) << testing::Describe(files.errors());
  EXPECT_EQ(Relative(files.value(), root),
            (std::vector<std::string>{"a/deeper/two.json", "a/one.json", "b.json", "c.json"}));

  Result<std::vector<fs::path>> top = FilesUnder(root, IsJson, WalkDepth::kTopOnly);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(Relative(top.value(), root), (std::vector<std::string>{"b.json", "c.json"}));
}

TEST(DirectoryWalk, LoopsSpecialFilesAndBrokenLinksAreErrorsNamingThePath) {
  ScratchDir dir("partnerpolicy-walk-errors");
  const fs::path root = dir.path();
  dir.Write("fine.json", "{}");
  fs::create_symlink("self.json", root / "self.json");  // a link to itself
  fs::create_directories(root / "sub");
  fs::create_directory_symlink("..", root / "sub" / "up");  // back to the walk's root
  MakeFifo(root / "pipe.json");
  fs::create_symlink("nowhere.json", root / "dangling.json");
  Result<std::vector<fs::path>> files = FilesUnder(root, IsJson);
  ASSERT_FALSE(files.ok());
  const std::string r = root.string();
  EXPECT_EQ(Messages(files.errors()),
            (std::vector<std::string>{
                r + "/dangling.json: broken symbolic link: its target does not exist",
                r + "/pipe.json: not a regular file (a FIFO)",
                r + "/self.json: symbolic link loop: Too many levels of symbolic links",
                r + "/sub/up: symbolic link loop: leads back to " + r + ", which holds it",
            }));
  for (const Error& error : files.errors()) EXPECT_EQ(error.code, ErrorCode::kIo);
}

// The walk's messages, as a process that may not read everything sees them: as root (who reads
// every directory), a child that gives up root for nobody (65534) walks instead.
std::vector<std::string> WalkMessagesUnprivileged(const fs::path& root) {
  if (::geteuid() != 0) {
    Result<std::vector<fs::path>> files = FilesUnder(root, IsJson);
    return files.ok() ? std::vector<std::string>{} : Messages(files.errors());
  }
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    Result<std::vector<fs::path>> files = FilesUnder(root, IsJson);
    std::string text;
    if (!files.ok()) {
      for (const std::string& message : Messages(files.errors())) text += message + "\n";
    }
    ssize_t written = ::write(pipe_fds[1], text.data(), text.size());
    ::_exit(written == static_cast<ssize_t>(text.size()) ? 0 : 4);
  }
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::vector<std::string> messages;
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    messages.push_back(text.substr(start, end - start));
  }
  return messages;
}

TEST(DirectoryWalk, ADirectoryThatCannotBeReadIsAnErrorNotASkip) {
  ScratchDir dir("partnerpolicy-walk-unreadable");
  dir.Write("x.json", "{}");
  dir.Write("locked/y.json", "{}");
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read |
                                  fs::perms::others_exec | fs::perms::group_read |
                                  fs::perms::group_exec);
  fs::permissions(dir.path() / "locked", fs::perms::none);
  std::vector<std::string> messages = WalkMessagesUnprivileged(dir.path());
  fs::permissions(dir.path() / "locked", fs::perms::owner_all);
  EXPECT_EQ(messages, (std::vector<std::string>{(dir.path() / "locked").string() +
                                                ": cannot list: Permission denied"}));
}

// The commands, on the real binary: exit 2, the whole message on standard error, nothing on
// standard output, at once.
void ExpectRefused(const std::string& arguments, const fs::path& scratch,
                   const std::string& error) {
  SCOPED_TRACE(arguments);
  StreamsRun run = PartnerpolicyStreams(arguments, scratch / "stderr.txt");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, error);
  EXPECT_EQ(run.out, "");
  EXPECT_LT(run.seconds, testing::kQuickRefusalSeconds);
}

TEST(DirectoryWalk, CheckRefusesALoopOrAFifoInAFixtureDirectory) {
  ScratchDir dir("partnerpolicy-walk-check");
  const fs::path fixtures = dir.path() / "fixtures";
  fs::create_directories(fixtures);
  fs::copy_file(testing::SourceDir() / "fixtures/valid/minimal.json", fixtures / "minimal.json");
  fs::create_symlink("loop.json", fixtures / "loop.json");
  const std::string check = "check " + Quoted(fixtures.string());
  // Was: terminate called after throwing an instance of 'std::filesystem::filesystem_error'.
  ExpectRefused(check, dir.path(),
                "error: " + (fixtures / "loop.json").string() +
                    ": symbolic link loop: Too many levels of symbolic links\n");
  fs::remove(fixtures / "loop.json");
  fs::create_directory_symlink(".", fixtures / "again");
  ExpectRefused(check, dir.path(),
                "error: " + (fixtures / "again").string() + ": symbolic link loop: leads back to " +
                    fixtures.string() + ", which holds it\n");
  fs::remove(fixtures / "again");
  // Was: skipped without a word.
  MakeFifo(fixtures / "x.json");
  ExpectRefused(check, dir.path(),
                "error: " + (fixtures / "x.json").string() + ": not a regular file (a FIFO)\n");
}

TEST(DirectoryWalk, PoliciesTestsAndSeedsRefuseALoopOrAFifo) {
  ScratchDir dir("partnerpolicy-walk-policies");
  const fs::path policies = dir.path() / "policies";
  fs::copy(testing::PolicyDir(), policies, fs::copy_options::recursive);
  const std::string check =
      "check fixtures/valid/minimal.json --policies " + Quoted(policies.string());
  fs::create_symlink("loop.lua", policies / "credits" / "loop.lua");
  ExpectRefused(check, dir.path(),
                "error: " + (policies / "credits/loop.lua").string() +
                    ": symbolic link loop: Too many levels of symbolic links\n");
  fs::remove(policies / "credits" / "loop.lua");
  MakeFifo(policies / "credits" / "x.lua");
  ExpectRefused(
      check, dir.path(),
      "error: " + (policies / "credits/x.lua").string() + ": not a regular file (a FIFO)\n");
  fs::remove(policies / "credits" / "x.lua");
  MakeFifo(policies / "credits" / "x.test.json");
  ExpectRefused(
      "test " + Quoted(policies.string()), dir.path(),
      "error: " + (policies / "credits/x.test.json").string() + ": not a regular file (a FIFO)\n");
  fs::remove(policies / "credits" / "x.test.json");

  const fs::path seeds = dir.path() / "seeds";
  fs::create_directories(seeds);
  MakeFifo(seeds / "001_x.txt");
  ExpectRefused("lint " + Quoted(policies.string()) + " --seeds " + Quoted(seeds.string()),
                dir.path(),
                "error: " + (seeds / "001_x.txt").string() + ": not a regular file (a FIFO)\n");
}

}  // namespace
}  // namespace partnerpolicy
