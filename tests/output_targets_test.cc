// --output to something other than a plain file (issue 20, item 9): the report went through
// rename(2) whatever the target was, so as root it turned a device node into a regular file,
// replaced a symbolic link by a file, and `--output /dev/stdout` printed nothing. Every node here
// is made by the test in its own scratch directory, never the machine's /dev.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Partnerpolicy;
using testing::Quoted;

const std::string kCheck = "check fixtures/examples/contoso.json --format json";

class OutputTargetsTest : public ::testing::Test {
 protected:
  OutputTargetsTest() : scratch_("partnerpolicy-output-targets") {}
  fs::path Path(const std::string& name) const { return scratch_.path() / name; }
  std::string Expected() {
    testing::ProcessRun plain = Partnerpolicy(kCheck);
    EXPECT_EQ(plain.exit_code, 1) << plain.out;
    return plain.out;
  }
  testing::ScratchDir scratch_;
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(OutputTargetsTest, ASymbolicLinkToAFileStaysALinkAndTheFileGetsTheReport) {
  std::ofstream(Path("real.json")) << "old";
  fs::create_symlink("real.json", Path("link.json"));
  testing::ProcessRun run = Partnerpolicy(kCheck + " --output " + Quoted(Path("link.json")));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(fs::is_symlink(Path("link.json")));
  EXPECT_EQ(ReadAll(Path("real.json")), Expected());
}

TEST_F(OutputTargetsTest, ANamedPipeIsWrittenThrough) {
  ASSERT_EQ(mkfifo(Path("report.fifo").c_str(), 0600), 0) << std::strerror(errno);
  std::string received;
  std::thread reader([&] { received = ReadAll(Path("report.fifo")); });  // waits for a writer
  testing::ProcessRun run = Partnerpolicy(kCheck + " --output " + Quoted(Path("report.fifo")));
  reader.join();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(received, Expected());
  struct stat node {};
  ASSERT_EQ(lstat(Path("report.fifo").c_str(), &node), 0);
  EXPECT_TRUE(S_ISFIFO(node.st_mode)) << "the FIFO was replaced";
}

TEST_F(OutputTargetsTest, ADeviceNodeIsWrittenThroughNotReplaced) {
  // The null device (1, 3), made here; creating it needs CAP_MKNOD (root outside a restricted
  // container), which the CI machine has.
  if (mknod(Path("null").c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "cannot make a device node here: " << std::strerror(errno);
  }
  testing::ProcessRun run = Partnerpolicy(kCheck + " --output " + Quoted(Path("null")));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(run.out, "");
  struct stat node {};
  ASSERT_EQ(lstat(Path("null").c_str(), &node), 0);
  EXPECT_TRUE(S_ISCHR(node.st_mode)) << "the device node became a regular file";
}

TEST_F(OutputTargetsTest, ALinkToStandardOutputPrintsTheReport) {
  // What /dev/stdout is: a link to /proc/self/fd/1, here a pipe to this test.
  fs::create_symlink("/proc/self/fd/1", Path("stdout"));
  testing::ProcessRun run = Partnerpolicy(kCheck + " --output " + Quoted(Path("stdout")));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, Expected());
  EXPECT_TRUE(fs::is_symlink(Path("stdout")));
}

TEST_F(OutputTargetsTest, LinksThatLeadNowhereAreRefused) {
  fs::create_symlink("missing.json", Path("dangling.json"));
  fs::create_symlink("loop-b", Path("loop-a"));
  fs::create_symlink("loop-a", Path("loop-b"));
  for (const char* name : {"dangling.json", "loop-a"}) {
    testing::ProcessRun run = testing::Shell("cd " + Quoted(testing::SourceDir().string()) +
                                             " && " + Quoted(PARTNERPOLICY_BINARY) + " " + kCheck +
                                             " --output " + Quoted(Path(name)) + " 2>&1");
    EXPECT_EQ(run.exit_code, 2) << name;
    EXPECT_NE(
        run.out.find(Path(name).string() +
                     ": cannot write the report: it is a symbolic link that leads to no file"),
        std::string::npos)
        << run.out;
    EXPECT_TRUE(fs::is_symlink(Path(name)));
  }
  EXPECT_FALSE(fs::exists(Path("missing.json")));
}

}  // namespace
}  // namespace partnerpolicy
