// ContentHash: SHA-256 over named files with unambiguous framing; PolicySet::content_hash: the
// hash of a loaded policy directory, stable across loads and places, changed by any byte of a
// file that decides something.
#include "content_hash.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "scratch_dir.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using testing::Must;

// The expected digests were computed with coreutils' sha256sum over the framed bytes, e.g.
//   printf 'partnerpolicy content v1\n5:a.lua,3:abc,' | sha256sum
TEST(ContentHashTest, KnownDigests) {
  EXPECT_EQ(Must(ContentHash({})),
            "790ba8bc3cdb18f3aac74b874d2eb4f3525ac28d113cf0e8a4bfc6f564878260");
  EXPECT_EQ(Must(ContentHash({{"a.lua", "abc"}})),
            "19cc80694f77c12319bf6d03bbc426ccb0ad33777b22583f8500c1c458aa5103");
  EXPECT_EQ(Must(ContentHash({{"a.lua", "abc"}, {"b.lua", ""}})),
            "0f3bf728522d9a5f907716bb5dbc1ebd9196957c282d437d931dc723a2bc3c08");
}

TEST(ContentHashTest, OrderOfTheListDoesNotMatter) {
  EXPECT_EQ(Must(ContentHash({{"b.lua", ""}, {"a.lua", "abc"}})),
            Must(ContentHash({{"a.lua", "abc"}, {"b.lua", ""}})));
}

TEST(ContentHashTest, FramingKeepsNamesAndBytesApart) {
  // The same concatenated characters, split differently between name and bytes or files.
  std::string one = Must(ContentHash({{"a.lua", "bc"}}));
  EXPECT_NE(one, Must(ContentHash({{"a.luab", "c"}})));
  EXPECT_NE(Must(ContentHash({{"a", "x"}, {"b", "y"}})), Must(ContentHash({{"a", "xb"}})));
  EXPECT_NE(Must(ContentHash({{"a", ""}})), Must(ContentHash({})));
}

TEST(ContentHashTest, DuplicateNameIsAnError) {
  Result<std::string> hash = ContentHash({{"a.lua", "1"}, {"a.lua", "2"}});
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.errors()[0].ToString(), "'a.lua' is named twice in one content hash");
}

// A copy of the bundled policies in a scratch directory, to change one byte at a time.
class PolicySetHashTest : public ::testing::Test {
 protected:
  PolicySetHashTest() : scratch_("partnerpolicy-hash") {
    fs::copy(testing::PolicyDir(), dir(), fs::copy_options::recursive);
  }
  fs::path dir() const { return scratch_.path() / "policies"; }
  std::string Hash() const { return Must(PolicySet::Load(dir())).content_hash(); }
  // Appends one byte to DIR/name.
  void AppendByte(const std::string& name, char byte) const {
    ASSERT_TRUE(fs::exists(dir() / name)) << name;
    std::ofstream(dir() / name, std::ios::binary | std::ios::app) << byte;
  }
  // Replaces the byte at `offset` of DIR/name with `byte`.
  void ReplaceByte(const std::string& name, size_t offset, char byte) const {
    std::fstream file(dir() / name, std::ios::binary | std::ios::in | std::ios::out);
    ASSERT_TRUE(file.is_open()) << name;
    file.seekp(static_cast<std::streamoff>(offset));
    file.put(byte);
  }

 private:
  testing::ScratchDir scratch_;
};

TEST_F(PolicySetHashTest, IsSixtyFourHexDigitsAndStableAcrossLoadsAndPlaces) {
  std::string first = Hash();
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos) << first;
  EXPECT_EQ(Hash(), first);
  // The bundled directory, loaded through another path, holds the same files.
  PolicySet bundled = Must(PolicySet::Load(testing::PolicyDir()));
  EXPECT_EQ(bundled.content_hash(), first);
  EXPECT_EQ(Must(PolicySet::Load(testing::PolicyDir().string() + "/")).content_hash(), first);
  EXPECT_EQ(bundled.directory(), testing::PolicyDir().string());
}

TEST_F(PolicySetHashTest, OneByteOfAPolicyChangesIt) {
  std::string before = Hash();
  // The file opens with "-- ": the space after the dashes, still a comment.
  ReplaceByte("credits/monthly_validity.lua", 2, 'X');
  EXPECT_NE(Hash(), before);
  ReplaceByte("credits/monthly_validity.lua", 2, ' ');  // the same bytes again: the same hash
  EXPECT_EQ(Hash(), before);
}

TEST_F(PolicySetHashTest, OneByteOfPoliciesTomlChangesIt) {
  std::string before = Hash();
  AppendByte("policies.toml", '\n');
  EXPECT_NE(Hash(), before);
}

TEST_F(PolicySetHashTest, ALibraryAndActionsTomlCount) {
  std::string before = Hash();
  AppendByte("lib/text.lua", '\n');
  std::string after_library = Hash();
  EXPECT_NE(after_library, before);
  AppendByte("actions.toml", '\n');
  EXPECT_NE(Hash(), after_library);
}

TEST_F(PolicySetHashTest, AFileRenamedChangesIt) {
  std::string before = Hash();
  fs::rename(dir() / "credits" / "monthly_validity.lua", dir() / "credits" / "validity.lua");
  fs::rename(dir() / "credits" / "monthly_validity.messages.toml",
             dir() / "credits" / "validity.messages.toml");
  EXPECT_NE(Hash(), before);
}

TEST_F(PolicySetHashTest, AMessageCatalogCounts) {
  std::string before = Hash();
  AppendByte("credits/monthly_validity.messages.toml", '\n');
  EXPECT_NE(Hash(), before);
}

TEST_F(PolicySetHashTest, FilesTheLoaderDoesNotReadDoNotCount) {
  std::string before = Hash();
  AppendByte("credits/monthly_validity.test.json", '\n');
  AppendByte("sources.toml", '\n');
  EXPECT_EQ(Hash(), before);
}

TEST_F(PolicySetHashTest, WithoutPoliciesTomlItDiffers) {
  std::string before = Hash();
  fs::remove(dir() / "policies.toml");
  std::string without = Hash();
  EXPECT_NE(without, before);
  // An empty policies.toml is a file: it counts, unlike a missing one.
  std::ofstream(dir() / "policies.toml", std::ios::binary);
  EXPECT_NE(Hash(), without);
}

}  // namespace
}  // namespace partnerpolicy
