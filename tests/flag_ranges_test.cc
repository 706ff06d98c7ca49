// The numeric flags on the real binary (issue 20, item 5): a value outside a flag's range is a
// usage error naming the flag, the value and the range, never a wrapped or saturated budget.
#include <string>
#include <vector>

#include "process_support.h"
#include "scratch_dir.h"

namespace partnerpolicy {
namespace {

using testing::PartnerpolicyStreams;
using testing::StreamsRun;

const std::string kCan =
    "can credit.reassign --state fixtures/examples/contoso.json credit=MC-1 user=carol --as alice ";

struct Refusal {
  std::string arguments;
  std::string error;  // the whole of standard error
};

TEST(FlagRanges, OutOfRangeValuesAreUsageErrorsNamingFlagValueAndRange) {
  testing::ScratchDir dir("partnerpolicy-flag-ranges");
  const auto message = [](const std::string& flag, const std::string& value,
                          const std::string& range) {
    return "error: " + flag + ": " + value + " is not a whole number from " + range +
           "\nRun with --help for usage.\n";
  };
  const std::vector<Refusal> refusals = {
      // 2^44 + 1 MiB: `mb << 20` made it 1 MiB.
      {kCan + "--max-memory-mb 17592186044417",
       message("--max-memory-mb", "17592186044417", "1 to 65536")},
      // Past 2^64: CLI11 alone saturated it to "no limit".
      {kCan + "--max-memory-mb 99999999999999999999",
       message("--max-memory-mb", "99999999999999999999", "1 to 65536")},
      {kCan + "--max-memory-mb 65537", message("--max-memory-mb", "65537", "1 to 65536")},
      {kCan + "--max-memory-mb 0", message("--max-memory-mb", "0", "1 to 65536")},
      {kCan + "--max-instructions 99999999999999999999",
       message("--max-instructions", "99999999999999999999", "1 to 1000000000000")},
      {kCan + "--max-instructions 1000000000001",
       message("--max-instructions", "1000000000001", "1 to 1000000000000")},
      // The range message once printed DBL_MAX in 300 digits.
      {kCan + "--max-instructions -1", message("--max-instructions", "-1", "1 to 1000000000000")},
      {kCan + "--max-input-mb 0x10", message("--max-input-mb", "0x10", "1 to 1048576")},
      {kCan + "--max-memory-mb ''", message("--max-memory-mb", "''", "1 to 65536")},
      {"test policies --max-memory-mb 1e3", message("--max-memory-mb", "1e3", "1 to 65536")},
      {"check fixtures/examples/contoso.json -j 257", message("--jobs", "257", "0 to 256")},
      // 2^32 + 1 jobs wrapped to one.
      {"check fixtures/examples/contoso.json -j 4294967297",
       message("--jobs", "4294967297", "0 to 256")},
  };
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.arguments);
    StreamsRun run = PartnerpolicyStreams(refusal.arguments, dir.path() / "stderr.txt");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.err, refusal.error);
    EXPECT_EQ(run.out, "");
    EXPECT_LT(run.seconds, testing::kQuickRefusalSeconds);
  }
}

TEST(FlagRanges, ValuesInsideTheRangeAreTakenAsDecimal) {
  // The largest values are accepted; "010" is ten, not octal eight.
  EXPECT_EQ(testing::Partnerpolicy(kCan + "--max-memory-mb 65536 --max-instructions "
                                          "1000000000000 --max-input-mb 1048576")
                .exit_code,
            0);
  EXPECT_EQ(testing::Partnerpolicy("check fixtures/valid/minimal.json -j 256").exit_code, 0);
  // Ten instructions stop the first rule at once; eight would too, so compare with the budget
  // the error names.
  testing::ScratchDir dir("partnerpolicy-flag-ranges-decimal");
  StreamsRun run = PartnerpolicyStreams(kCan + "--max-instructions 01000", dir.path() / "e.txt");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("budget of 1000 instructions"), std::string::npos) << run.err;
}

TEST(FlagRanges, HelpStatesTheRangesAndTheMemoryOfParallelJobs) {
  std::string help = testing::Partnerpolicy("check --help").out;
  for (const char* text :
       {"-j,--jobs UINT:0-256", "Fixtures evaluated at once, 0 to 256 (default 0: one per core)",
        "Each job has its own Lua sandbox: memory use reaches jobs times --max-memory-mb",
        "Instruction budget per policy call, 1 to 1000000000000 (default 100000000)",
        "Memory budget of a Lua sandbox in MiB, 1 to 65536 (default 256); check -j N runs N "
        "sandboxes at once, so up to N times this in all",
        "Largest partner-state file read in MiB, 1 to 1048576 (default 64)"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace partnerpolicy
