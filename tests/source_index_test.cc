// The source index: which seed lines can be headings, the committed policies/sources.toml against
// tools/index_seeds.py and against the seed documents read by the C++ side.
#include "partnerpolicy/source_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "partnerpolicy/policy_config.h"
#include "rule_test_support.h"

namespace partnerpolicy {
namespace {

using namespace testing;  // NOLINT: test vocabulary

// The index a test compares: the seeds next to the repository, or the shared ones.
std::optional<fs::path> SeedDocuments() {
  for (const fs::path& candidate :
       {SourceDir().parent_path() / "shared" / "seeds", fs::path("/work/shared/seeds")}) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

TEST(SourceIndexTest, CommittedIndexIsWhatTheScriptGenerates) {
  std::optional<fs::path> seeds = SeedDocuments();
  if (!seeds) GTEST_SKIP() << "no seed documents here";
  fs::path generated =
      fs::temp_directory_path() / ("partnerpolicy-sources-" + std::to_string(::getpid()) + ".toml");
  std::string command = "/usr/bin/python3 '" + (SourceDir() / "tools" / "index_seeds.py").string() +
                        "' '" + seeds->string() + "' -o '" + generated.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::string text = ReadFile(generated);
  fs::remove(generated);
  EXPECT_EQ(text, ReadFile(PolicyDir() / "sources.toml"))
      << "policies/sources.toml is stale: run /usr/bin/python3 tools/index_seeds.py";
}

TEST(SourceIndexTest, DocumentsGiveTheSameSectionsAsTheIndex) {
  std::optional<fs::path> seeds = SeedDocuments();
  if (!seeds) GTEST_SKIP() << "no seed documents here";
  SourceIndex from_documents = Must(IndexSeedDocuments(*seeds));
  SourceIndex from_index = Must(ReadSourceIndex(PolicyDir() / "sources.toml"));
  ASSERT_EQ(from_documents.seeds.size(), from_index.seeds.size());
  for (size_t i = 0; i < from_index.seeds.size(); ++i) {
    EXPECT_EQ(from_documents.seeds[i].seed, from_index.seeds[i].seed);
    EXPECT_EQ(from_documents.seeds[i].sections, from_index.seeds[i].sections);
    EXPECT_FALSE(from_index.seeds[i].title.empty());
  }
}

TEST(SourceIndexTest, WhichLinesCanBeHeadings) {
  EXPECT_EQ(SeedHeading("View and remove assigned users"), "View and remove assigned users");
  EXPECT_EQ(SeedHeading("- When the status is stuck beyond 5 business days\r"),
            "When the status is stuck beyond 5 business days");
  EXPECT_EQ(SeedHeading("Are there restrictions on domains?"),
            "Are there restrictions on domains?");
  EXPECT_EQ(SeedHeading("This is a sentence."), std::nullopt);
  EXPECT_EQ(SeedHeading("To assign a user:"), std::nullopt);
  EXPECT_EQ(SeedHeading("  1. Q&A Assist"), std::nullopt);  // indented: body text
  EXPECT_EQ(SeedHeading("| a | b |"), std::nullopt);
  EXPECT_EQ(SeedHeading("|---|---|"), std::nullopt);
  EXPECT_EQ(SeedHeading("2026-02-18"), std::nullopt);
  EXPECT_EQ(SeedHeading(""), std::nullopt);
  EXPECT_EQ(SeedHeading(std::string(101, 'a')), std::nullopt);
  EXPECT_EQ(SeedHeading(std::string(100, 'a')), std::string(100, 'a'));
  // 100 code points, more bytes: still a heading.
  std::string wide = std::string(99, 'a') + "\u2011";
  EXPECT_EQ(SeedHeading(wide), wide);
}

TEST(SourceIndexTest, ClosestHeadingOnlyWhenClose) {
  std::vector<std::string> headings = {"View and remove assigned users", "Azure credits FAQs"};
  EXPECT_EQ(Closest("View and remove users", headings), "View and remove assigned users");
  EXPECT_EQ(Closest("Pricing", headings), "");
  EXPECT_EQ(Closest("x", {}), "");
  // Ties: the same first letter, then the closer length, then the first.
  EXPECT_EQ(Closest("knd", {"end", "kind"}), "kind");
  EXPECT_EQ(Closest("credtis", {"credit", "credits"}), "credits");
  EXPECT_EQ(Closest("ab", {"xb", "ay", "az"}), "ay");
}

}  // namespace
}  // namespace partnerpolicy
