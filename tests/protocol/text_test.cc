// File: tests/protocol/text_test.cc
#include "protocol/text.h"

#include <gtest/gtest.h>

namespace tigress::text {
namespace {

TEST(Text, HeaderNamesCompareWithoutRegardToAsciiCase) {
  EXPECT_TRUE(EqualsIgnoreCase("Mailbox-Request-ID", "mailbox-request-id"));
  EXPECT_FALSE(EqualsIgnoreCase("Mailbox-Request-ID", "Mailbox-Request-IDs"));
  EXPECT_FALSE(EqualsIgnoreCase("\xc3\x89", "\xc3\xa9"));  // non-ASCII octets must match exactly
  EXPECT_TRUE(StartsWithIgnoreCase("Application/JSON; charset=utf-8", "application/json"));
  EXPECT_FALSE(StartsWithIgnoreCase("app", "application/json"));
  EXPECT_EQ(ToLowerAscii("Device-CLAIM"), "device-claim");
}

TEST(Text, FindHeaderReturnsTheFirstFieldOfThatNameAndHeaderValuesEveryOne) {
  const HeaderList h = {{"X-A", "1"}, {"x-a", "2"}, {"Content-Type", "text/plain"}};
  EXPECT_EQ(FindHeader(h, "X-a"), "1");
  EXPECT_EQ(FindHeader(h, "missing"), std::nullopt);
  EXPECT_EQ(HeaderValues(h, "X-A"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(HeaderValues(h, "none").empty());
}

TEST(Text, PercentDecodeUndoesWellFormedEscapesAndKeepsMalformedOnes) {
  EXPECT_EQ(PercentDecode("a%3Db%2f%2B"), "a=b/+");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("%00").size(), 1U);
}

TEST(Text, HtmlEscapeLeavesNoMarkupCharacter) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
}

TEST(TextTest, EditDistanceCountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("atestation", "attestation"), 1u);
}

TEST(TextTest, NearestSuggestsOnlyACloseDifferentCandidate) {
  const std::vector<std::string_view> known = {"relinquish", "attestation", "aes-128-gcm"};
  EXPECT_EQ(Nearest("relinqish", known), "relinquish");
  EXPECT_EQ(Nearest("aes-129-gcm", known), "aes-128-gcm");
  EXPECT_FALSE(Nearest("quantum", known).has_value());
  EXPECT_FALSE(Nearest("relinquish", known).has_value()) << "an exact match needs no hint";
}

}  // namespace
}  // namespace tigress::text
