#include "protocol/encoding.h"

#include <gtest/gtest.h>

namespace tigress {
namespace {

TEST(Base64, EncodesTheDraftSecret) {
  const Bytes key = HexDecode("85796be9a442eca809a4e2d335968bb3").value();
  EXPECT_EQ(Base64Encode(key), "hXlr6aRC7KgJpOLTNZaLsw==");
  EXPECT_EQ(Base64UrlEncode(key, false), "hXlr6aRC7KgJpOLTNZaLsw");
}

TEST(Base64, RoundTripsEveryLengthUpToSixty) {
  Bytes b;
  for (int n = 0; n <= 60; ++n) {
    EXPECT_EQ(Base64Decode(Base64Encode(b)).value(), b) << n;
    EXPECT_EQ(Base64DecodeLenient(Base64UrlEncode(b, false)).value(), b) << n;
    b.push_back(static_cast<std::uint8_t>(n * 37 + 250));
  }
}

TEST(Base64, StrictDecodeRejectsMissingPadding) {
  const auto r = Base64Decode("hXlr6aRC7KgJpOLTNZaLsw");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBase64Invalid));
  EXPECT_NE(r.error().detail.find("multiple of 4"), std::string::npos);
}

TEST(Base64, StrictDecodeRejectsUrlSafeAlphabetWhitespaceAndInnerPadding) {
  EXPECT_FALSE(Base64Decode("-_-_-_-_-_-_-_-_-_-__g=="));
  EXPECT_FALSE(Base64Decode("hXlr 6aRC7KgJpOLTNZaLsw="));
  EXPECT_FALSE(Base64Decode("hX=r6aRC7KgJpOLTNZaLsw=="));
  EXPECT_FALSE(Base64Decode("hXlr6aRC7KgJpOLTNZaLs==="));
}

TEST(Base64, StrictDecodeRejectsNonCanonicalTrailingBits) {
  // "hXlr6aRC7KgJpOLTNZaLsx==" decodes to the same octets with stray bits set.
  EXPECT_FALSE(Base64Decode("hXlr6aRC7KgJpOLTNZaLsx=="));
}

TEST(Base64, LenientDecodeAcceptsAllFourSpellingsOfOneKey) {
  const Bytes key = HexDecode("fbffbffbffbffbffbffbffbffbffbffe").value();
  for (const char* text : {"+/+/+/+/+/+/+/+/+/+//g==", "-_-_-_-_-_-_-_-_-_-__g==",
                           "+/+/+/+/+/+/+/+/+/+//g", "-_-_-_-_-_-_-_-_-_-__g"}) {
    EXPECT_EQ(Base64DecodeLenient(text).value(), key) << text;
  }
}

TEST(Base64, LenientDecodeRejectsMixedAlphabets) {
  const auto r = Base64DecodeLenient("+/-_+/+/+/+/+/+/+/+//g==");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("mixes"), std::string::npos);
}

TEST(Hex, RoundTripsAndRejectsOddOrNonHex) {
  EXPECT_EQ(HexEncode(HexDecode("00ff10AB").value()), "00ff10ab");
  EXPECT_TRUE(HexDecode("abc").error().Is(Errc::kHexInvalid));
  EXPECT_TRUE(HexDecode("zz").error().Is(Errc::kHexInvalid));
}

TEST(Redact, NeverShowsMoreThanFourCharacters) {
  const std::string secret = "hXlr6aRC7KgJpOLTNZaLsw==";
  const std::string shown = Redact(secret);
  EXPECT_EQ(shown.find("6aRC"), std::string::npos);
  EXPECT_NE(shown.find("24 chars"), std::string::npos);
  EXPECT_EQ(Redact("abc").find("abc"), std::string::npos);
}

}  // namespace
}  // namespace tigress
