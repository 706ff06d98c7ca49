// Write errors on standard output, on the real binary (issue 20, item 10): a report that cannot
// be written (a full device, a closed descriptor, a file size limit) is exit 2 with "cannot write
// standard output: REASON" on standard error, never exit 0 with nothing written, and a report cut
// short in a file is removed rather than left torn.
#include <filesystem>
#include <string>
#include <vector>

#include "process_support.h"
#include "rule_test_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::PartnerpolicyStreams;
using testing::Quoted;
using testing::ScratchDir;
using testing::StreamsRun;

const std::string kState = "--state fixtures/examples/contoso.json ";
const std::string kFull = "error: cannot write standard output: No space left on device\n";

TEST(StandardOutput, AFullDeviceIsExitTwoWithTheReason) {
  ScratchDir dir("partnerpolicy-stdout-full");
  // /dev/full is only opened for writing, as the child's standard output.
  const std::vector<std::string> commands = {
      "can credit.reassign " + kState + "credit=MC-1 user=carol --as alice",
      "check fixtures/examples/contoso.json --format json",
      "check fixtures/examples/contoso.json --format sarif",
      "alerts " + kState + "--within 1y",
      "actions " + kState + "--as alice",
      "plan " + kState + "--as alice " + Quoted("credit.reassign credit=MC-1 user=carol"),
      "lint policies",
      "rules",
      "explain credits.free-domain-ban",
      "--help",
      "check --help",
      "--version",
      "complete subcommands",
  };
  for (const std::string& command : commands) {
    SCOPED_TRACE(command);
    StreamsRun run = PartnerpolicyStreams(command + " > /dev/full", dir.path() / "stderr.txt");
    EXPECT_EQ(run.exit_code, 2);  // was 0 (or the report's own code) with nothing written
    EXPECT_EQ(run.err, kFull);
    EXPECT_LT(run.seconds, testing::kQuickRefusalSeconds);
  }
  // An error report that cannot be written: its errors still reach standard error.
  StreamsRun error = PartnerpolicyStreams(
      "check fixtures/examples/contoso.json --as-of 1800-01-01 --format json > /dev/full",
      dir.path() / "stderr.txt");
  EXPECT_EQ(error.exit_code, 2);
  EXPECT_EQ(
      error.err,
      "error: --as-of 1800-01-01: outside the supported dates 1900-01-01 to 9999-12-31\n" + kFull);
}

TEST(StandardOutput, AClosedStandardOutputIsExitTwo) {
  ScratchDir dir("partnerpolicy-stdout-closed");
  StreamsRun run = PartnerpolicyStreams(
      "can credit.reassign " + kState + "credit=MC-1 user=carol >&-", dir.path() / "stderr.txt");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "error: cannot write standard output: Bad file descriptor\n");
}

TEST(StandardOutput, AReportCutShortInAFileIsRemoved) {
  ScratchDir dir("partnerpolicy-stdout-fsize");
  fs::path report = dir.path() / "report.json";
  fs::path err = dir.path() / "stderr.txt";
  // A file size limit of one block (512 or 1024 bytes) makes the report's write fail part way,
  // as a full disk would; SIGXFSZ ignored, the write returns EFBIG.
  testing::ProcessRun run = testing::Shell(
      "cd " + Quoted(testing::SourceDir().string()) + " && trap '' XFSZ && ulimit -f 1 && " +
      Quoted(PARTNERPOLICY_BINARY) + " check fixtures/examples/contoso.json --format json > " +
      Quoted(report.string()) + " 2> " + Quoted(err.string()));
  EXPECT_EQ(run.exit_code, 2);  // was 1, the report's own code, with 1024 bytes of it written
  EXPECT_EQ(testing::ReadFile(err), "error: cannot write standard output: File too large\n");
  EXPECT_EQ(fs::file_size(report), 0u);
}

}  // namespace
}  // namespace partnerpolicy
