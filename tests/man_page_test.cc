// The manual page help2man writes at build time (cli/man_page.sh): every subcommand's help, the
// examples line by line, the files an installed program reads, and no build path.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "process_support.h"

namespace partnerpolicy {
namespace {

std::string ManPage() {
  std::ifstream in(PARTNERPOLICY_MAN_PAGE, std::ios::binary);
  EXPECT_TRUE(in.is_open()) << PARTNERPOLICY_MAN_PAGE;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ManPageTest, HasASubsectionForEverySubcommand) {
  std::string page = ManPage();
  std::istringstream subcommands(testing::Partnerpolicy("complete subcommands").out);
  int count = 0;
  for (std::string subcommand; std::getline(subcommands, subcommand); ++count) {
    EXPECT_NE(page.find(".SS \"partnerpolicy " + subcommand + "\"\n"), std::string::npos)
        << subcommand;
    // The subcommand's own usage line, with the program's name rather than its build path; roff
    // writes a hyphen in running text as "\-" (new-rule).
    std::string in_roff;
    for (char c : subcommand) in_roff += c == '-' ? std::string("\\-") : std::string(1, c);
    EXPECT_NE(page.find("Usage: partnerpolicy " + in_roff + " [OPTIONS]"), std::string::npos)
        << subcommand;
  }
  EXPECT_GE(count, 6);
  EXPECT_EQ(page.find(".SS \"partnerpolicy complete\""), std::string::npos);  // hidden
  EXPECT_EQ(page.find(PARTNERPOLICY_BINARY), std::string::npos);
}

TEST(ManPageTest, ExamplesAreKeptLineByLine) {
  std::string page = ManPage();
  size_t examples = page.find("\n.SH EXAMPLES\n");
  ASSERT_NE(examples, std::string::npos);
  // No fill: each example its own line inside .nf ... .fi (roff escapes '-' as "\-").
  EXPECT_NE(page.find(".nf\npartnerpolicy check fixtures/examples/contoso.json\n"
                      "partnerpolicy can credit.reassign \\-\\-state",
                      examples),
            std::string::npos);
  // Subcommand examples come from their own --help.
  EXPECT_NE(page.find("  partnerpolicy lint policies \\-\\-fail\\-on warning \\-\\-format json\n"),
            std::string::npos);
}

TEST(ManPageTest, NamesTheInstalledFilesAndTheEnvironment) {
  std::string page = ManPage();
  EXPECT_NE(page.find(".TH PARTNERPOLICY \"1\""), std::string::npos);
  EXPECT_NE(page.find(std::string("\"partnerpolicy ") + PARTNERPOLICY_VERSION + "\""),
            std::string::npos);
  EXPECT_NE(page.find("\n.SH FILES\n"), std::string::npos);
  EXPECT_NE(page.find("PREFIX/share/partnerpolicy/policies"), std::string::npos);
  EXPECT_NE(page.find("\n.SH ENVIRONMENT\n.TP\n.B NO_COLOR\n"), std::string::npos);
}

TEST(ManPageTest, StatesTheRangeOfEachNumericFlag) {
  std::string page = ManPage();
  size_t limits = page.find("\n.SH LIMITS\n");
  ASSERT_NE(limits, std::string::npos);
  for (const char* range :
       {".BR \\-\\-max\\-instructions \" 1 to 1000000000000 (default 100000000)\"",
        ".BR \\-\\-max\\-memory\\-mb \" 1 to 65536 (default 256)\"",
        ".BR \\-\\-max\\-input\\-mb \" 1 to 1048576 (default 64)\"",
        ".BR \\-j \", \" \\-\\-jobs \" 0 to 256 (default 0: one per core)\"",
        ".BR \\-\\-as\\-of \" 1900\\-01\\-01 to 9999\\-12\\-31\""}) {
    EXPECT_NE(page.find(range, limits), std::string::npos) << range;
  }
}

}  // namespace
}  // namespace partnerpolicy
