#include "protocol/payload.h"

#include <gtest/gtest.h>

#include <set>

namespace tigress {
namespace {

// Spec-catalog D.3 KAT-1 (AES-128, draft example Secret, IV 00..0b).
constexpr char kKat1Data[] =
    "AAECAwQFBgcICQoL+/Z5YN6e+U3cK1u8LEg4+h9q6F2v/K+o/mKGkWjzuY1twrugcJRellH5peuD6x11jD0yPemZu9x0"
    "5SolUkCVfZzE";
constexpr char kKat1Plain[] = R"({"format":"digitalwallet.carkey.ccc","content":{}})";

Bytes Kat1Key() { return Base64Decode("hXlr6aRC7KgJpOLTNZaLsw==").value(); }
Bytes Iv() { return HexDecode("000102030405060708090a0b").value(); }

TEST(Payload, SealsKat1ExactlyAsTheCatalogue) {
  const auto data = SealData(Cipher::kAes128Gcm, Kat1Key(), Iv(), ToBytes(kKat1Plain));
  ASSERT_TRUE(data) << data.error().Message();
  EXPECT_EQ(*data, kKat1Data);
}

TEST(Payload, SealsKat2UnderAes256) {
  const Bytes key = HexDecode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                        .value();
  const auto data =
      SealData(Cipher::kAes256Gcm, key, Iv(),
               ToBytes(R"({"format":"digitalwallet.generic.authorizationToken","content":{}})"));
  ASSERT_TRUE(data);
  EXPECT_EQ(*data,
            "AAECAwQFBgcICQoLPCCwdLeIo2+ve7Xv2I4RGeK68FWcFzoIFgCA63gbadEvcduIx65g8Q7FC4Tn6XxXhTwOr3b0"
            "wLVR4093bMHPlY1BMXhC3jfe6auuvRkrt4Tt+A==");
}

TEST(Payload, OpensKat1) {
  const auto pt = OpenPayload(Payload{"AEAD_AES_128_GCM", kKat1Data}, Kat1Key());
  ASSERT_TRUE(pt) << pt.error().Message();
  EXPECT_EQ(ToString(*pt), kKat1Plain);
}

TEST(Payload, RejectsATagWithOneBitFlipped) {
  std::string tampered = kKat1Data;
  tampered.back() = 'F';  // last tag octet XOR 1 (KAT-1-tampered)
  EXPECT_TRUE(OpenData(Cipher::kAes128Gcm, Kat1Key(), tampered)
                  .error()
                  .Is(Errc::kAuthenticationFailed));
}

TEST(Payload, RejectsTheWrongKey) {
  const Bytes wrong = HexDecode("000102030405060708090a0b0c0d0e0f").value();
  EXPECT_TRUE(OpenData(Cipher::kAes128Gcm, wrong, kKat1Data).error().Is(Errc::kAuthenticationFailed));
}

TEST(Payload, RejectsDataShorterThanIvPlusTag) {
  const std::string data = Base64Encode(Bytes(27, 0));
  EXPECT_TRUE(OpenData(Cipher::kAes128Gcm, Kat1Key(), data).error().Is(Errc::kPayloadTooShort));
  EXPECT_TRUE(ValidatePayloadShape({"AEAD_AES_128_GCM", data}).error().Is(Errc::kPayloadTooShort));
}

TEST(Payload, OpensTheMinimumLengthKat3ToAnEmptyPlaintext) {
  const auto pt = OpenData(Cipher::kAes128Gcm, Kat1Key(), "AAECAwQFBgcICQoL6JUXclvEElsyNKDxa4zpEA==");
  ASSERT_TRUE(pt) << pt.error().Message();
  EXPECT_TRUE(pt->empty());
}

TEST(Payload, RejectsBadBase64) {
  EXPECT_TRUE(OpenData(Cipher::kAes128Gcm, Kat1Key(), "AAECAwQF*gcICQoL6JUXclvEElsyNKDxa4zpEA==")
                  .error()
                  .Is(Errc::kBase64Invalid));
}

TEST(Payload, RejectsKeyLengthThatDoesNotMatchType) {
  EXPECT_TRUE(
      OpenPayload({"AEAD_AES_256_GCM", kKat1Data}, Kat1Key()).error().Is(Errc::kKeyLengthMismatch));
  EXPECT_TRUE(SealData(Cipher::kAes256Gcm, Kat1Key(), Iv(), {})
                  .error()
                  .Is(Errc::kKeyLengthMismatch));
}

TEST(Payload, RejectsUnknownAndLegacyTypes) {
  for (const char* type : {"AES128", "AEAD_AES_192_GCM", "aead_aes_128_gcm", ""}) {
    EXPECT_TRUE(OpenPayload({type, kKat1Data}, Kat1Key()).error().Is(Errc::kCipherUnknown)) << type;
  }
}

TEST(Payload, SealPayloadUsesAFreshIvEveryTime) {
  std::set<std::string> ivs;
  for (int i = 0; i < 100; ++i) {
    const Payload p = SealPayload(Cipher::kAes128Gcm, Kat1Key(), ToBytes(kKat1Plain)).value();
    EXPECT_EQ(p.type, "AEAD_AES_128_GCM");
    const Bytes raw = Base64Decode(p.data).value();
    ASSERT_EQ(raw.size(), std::string(kKat1Plain).size() + kMinDataLength);
    EXPECT_TRUE(ivs.insert(HexEncode(ByteView(raw).first(kIvLength))).second);
    EXPECT_EQ(ToString(OpenPayload(p, Kat1Key()).value()), kKat1Plain);
  }
}

TEST(Payload, SealDataRejectsAnIvThatIsNotTwelveOctets) {
  EXPECT_TRUE(SealData(Cipher::kAes128Gcm, Kat1Key(), Bytes(16, 1), {})
                  .error()
                  .Is(Errc::kIvLengthInvalid));
}

TEST(AesGcm, HonoursAssociatedData) {
  const Bytes aad = ToBytes("header");
  const Bytes sealed = AesGcmSeal(Kat1Key(), Iv(), aad, ToBytes("hello")).value();
  EXPECT_EQ(ToString(AesGcmOpen(Kat1Key(), Iv(), aad, sealed).value()), "hello");
  EXPECT_TRUE(AesGcmOpen(Kat1Key(), Iv(), {}, sealed).error().Is(Errc::kAuthenticationFailed));
}

}  // namespace
}  // namespace tigress
