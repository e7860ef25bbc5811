#include "harness/oracles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/payload.h"

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Bytes kSecret = HexDecode("857969e9a442eca809a4e2d335968bb3").value();
const std::string kClaimA = "3b0c2a4e-1f0d-4c8e-9a51-6d2f7e8b9c01";
const std::string kClaimB = "9f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
const std::string kBox = "5d4c3b2a-1f0e-4d9c-8b7a-695847362514";

har::Exchange Create(const std::string& claim, const std::string& data,
                     const std::string& box = kBox) {
  har::Exchange e;
  e.method = "POST";
  e.url = "https://localhost:1/v1/m";
  e.request_headers = {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", "r-" + box}};
  e.request_body =
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + data +
      R"("},"displayInformation":{"title":"Car key","description":"Front door","imageURL":"https://example.com/c.png"}})";
  e.status = 200;
  e.response_body = R"({"urlLink":"https://localhost:1/v1/m/)" + box + R"("})";
  return e;
}

har::Exchange Read(const std::string& claim, const std::string& target = "/v1/m/" + kBox) {
  har::Exchange e;
  e.method = "POST";
  e.url = "https://localhost:1" + target;
  e.request_headers = {{"Mailbox-Device-Claim", claim}};
  e.status = 200;
  return e;
}

std::string Sealed(const std::string& iv_hex = "000102030405060708090a0b",
                   const std::string& text = "{\"format\":\"x\",\"content\":{}}") {
  return SealData(Cipher::kAes128Gcm, kSecret, HexDecode(iv_hex).value(), ToBytes(text)).value();
}

std::vector<Finding> Failures(const std::vector<Finding>& all) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (!f.ok) out.push_back(f);
  }
  return out;
}

TEST(Oracles, ACleanExchangePassesEveryCheckItCouldExamine) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  OracleInput in{&t, {kSecret}, {Base64UrlEncode(kSecret, false)}, {"m1-canary-text"}, {}, ""};
  auto all = RunOracles(in);
  EXPECT_TRUE(Failures(all).empty()) << Failures(all).front().message;
  EXPECT_GE(all.size(), 8u);
}

TEST(Oracles, FindTheSecretInAHeaderAndMaskItInTheMessage) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  t.exchanges[1].request_headers.emplace_back("X-Debug", Base64Encode(kSecret));
  OracleInput in{&t, {kSecret}, {}, {}, {}, ""};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].requirement, "PRIV-01");
  EXPECT_THAT(bad[0].message, HasSubstr("exchange #2"));
  EXPECT_THAT(bad[0].message, HasSubstr("header X-Debug"));
  EXPECT_THAT(bad[0].message, HasSubstr("[secret:base64]"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr(Base64Encode(kSecret).substr(0, 20))));
}

TEST(Oracles, FindTheSecretInEveryEncodingAndInTheRelayLog) {
  for (const auto& [name, text] : SecretEncodings(kSecret)) {
    har::Transcript t;
    t.exchanges = {Read(kClaimB, "/v1/m/" + kBox + "?k=" + text)};
    OracleInput in{&t, {kSecret}, {}, {}, {}, ""};
    auto bad = Failures(RunOracles(in));
    ASSERT_FALSE(bad.empty()) << name;
    EXPECT_EQ(bad[0].requirement, "PRIV-01") << name;
  }
  har::Transcript t;
  t.exchanges = {Read(kClaimB)};
  OracleInput in{&t, {kSecret}, {}, {}, {}, "relay: key " + HexEncode(kSecret) + "\n"};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("relay stderr"));
}

TEST(Oracles, ReportAFragmentInTheRequestLineAsRecip01NotAsPriv01) {
  const std::string fragment = Base64UrlEncode(kSecret, false);
  har::Transcript t;
  t.exchanges = {Read(kClaimB, "/v1/m/" + kBox + "?v=c&fragment=" + fragment)};
  OracleInput in{&t, {kSecret}, {fragment}, {}, {}, ""};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].requirement, "RECIP-01");
}

TEST(Oracles, FlagAPayloadThatIsBase64OfJsonAndACanaryInClear) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Base64Encode(ToBytes(R"({"format":"x","content":{}})")))};
  t.exchanges[0].request_headers.emplace_back("X-Note", "m1-canary-text");
  OracleInput in{&t, {}, {}, {"m1-canary-text", "2026-11-28"}, {}, ""};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].requirement, "PRIV-02");
  EXPECT_EQ(bad[1].requirement, "PRIV-02");
}

TEST(Oracles, FlagVersion1ClaimsAndClaimsReusedAcrossMailboxes) {
  const std::string other = "6e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
  har::Transcript t;
  t.exchanges = {Create("2bba630e-519b-11ec-bf63-0242ac130002", Sealed(),
                        "7a6b5c4d-3e2f-4a1b-9c0d-e1f2a3b4c5d6"),
                 Create(kClaimA, Sealed("0c0b0a090807060504030201"), kBox),
                 Create(kClaimA, Sealed("1c0b0a090807060504030201"), other), Read(kClaimB),
                 Read(kClaimB, "/v1/m/" + other)};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  std::set<std::string> ids;
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-06", "INIT-01", "RECIP-03"}));
}

TEST(Oracles, FlagIdentifyingDisplayInformationAndSequentialMailboxIds) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed(), "00000000-0000-4000-8000-000000000001")};
  auto& body = t.exchanges[0].request_body;
  body.replace(body.find("Front door"), 10, "Call +1-202-555-0143");
  OracleInput in{&t, {}, {}, {}, {}, ""};
  std::set<std::string> ids;
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-09", "RELAY-04"}));
}

TEST(IvLedger, FlagsAnIvReusedUnderOneKeyButNotARetriedMessage) {
  IvLedger ledger;
  har::Transcript t1;
  t1.exchanges = {Create(kClaimA, Sealed()), Create(kClaimA, Sealed())};  // a retry
  OracleInput in1{&t1, {kSecret}, {}, {}, {}, ""};
  auto first = ledger.Add("case-1", in1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].ok);

  har::Transcript t2;
  t2.exchanges = {Create(kClaimB, Sealed("000102030405060708090a0b", "{\"other\":1}"))};
  OracleInput in2{&t2, {kSecret}, {}, {}, {}, ""};
  auto second = ledger.Add("case-2", in2);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_FALSE(second[0].ok);
  EXPECT_EQ(second[0].requirement, "PAYLOAD-04");
  EXPECT_THAT(second[0].message, HasSubstr("case case-1"));
}

}  // namespace
}  // namespace tigress::harness
