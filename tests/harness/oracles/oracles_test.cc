#include "harness/oracles/oracles.h"

#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/payload.h"
#include "protocol/random.h"

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
  e.started_ms = 1'795'000'000'000;  // 2026-11-19, before the expiration below
  e.request_headers = {{"Mailbox-Device-Claim", claim},
                       {"Mailbox-Request-ID", "a" + box.substr(1)},
                       {"Content-Type", "application/json"}};
  e.request_body =
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + data +
      R"("},"displayInformation":{"title":"Car key","description":"Front door","imageURL":"https://example.com/c.png"},)"
      R"("mailboxConfiguration":{"accessRights":"RWD","expiration":"2026-11-30T12:00:00Z"}})";
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
  // The leak itself, then the same exchange attributed to the recipient.
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_EQ(bad[0].requirement, "PRIV-01");
  EXPECT_EQ(bad[1].requirement, "URL-08");
  EXPECT_EQ(bad[2].requirement, "RECIP-02");
  EXPECT_THAT(bad[1].message, HasSubstr("exchange #2"));
  EXPECT_THAT(bad[1].message, HasSubstr("sent by the recipient"));
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
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-09", "INIT-14", "RELAY-04"}));
}

TEST(Oracles, FlagPersonalDataTheScenarioDeclaresButNotInTheImageUrl) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed())};
  auto& body = t.exchanges[0].request_body;
  body.replace(body.find("Front door"), 10, "Alice Example's car");
  body.replace(body.find("example.com/c.png"), 17, "example.com/Alice Example.png");
  OracleInput in{&t, {}, {}, {}, {"Alice Example"}, ""};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].requirement, "PRIV-09");
  EXPECT_THAT(bad[0].message, HasSubstr("displayInformation.description holds declared personal"));
  EXPECT_EQ(bad[1].requirement, "INIT-14");

  in.personal_data.clear();
  EXPECT_TRUE(Failures(RunOracles(in)).empty()) << "a name matches no pattern of its own";
}

TEST(Oracles, FlagAnAttestationSentForTwoMailboxesOrHoldingADeviceIdentifier) {
  const std::string other = "6e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Create("1e5d4c3b-2a1f-4e0d-9c8b-7a6958473625",
                                                   Sealed("0c0b0a090807060504030201"), other)};
  t.exchanges[0].request_headers.emplace_back("Mailbox-Device-Attestation", "opaque.AAAA");
  t.exchanges[1].request_headers.emplace_back("Mailbox-Device-Attestation", "opaque.BBBB");
  OracleInput in{&t, {}, {}, {}, {}, ""};
  auto all = RunOracles(in);
  EXPECT_TRUE(Failures(all).empty()) << Failures(all).front().message;
  EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                          [](const Finding& f) { return f.requirement == "PRIV-08" && f.ok; }));

  t.exchanges[1].request_headers.back().second = "opaque.AAAA";
  std::set<std::string> ids;
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-08", "INIT-14"}));

  t.exchanges[1].request_headers.back().second = "att;imei=356938035643809";
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].requirement, "PRIV-08");
  EXPECT_THAT(bad[0].message, HasSubstr("a device identifier"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr("356938035643809")));
}

TEST(Oracles, AttributeASecretInAnInitiatorRequestToInit13) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  t.exchanges[0].request_headers.emplace_back("X-Key", HexEncode(kSecret));
  OracleInput in{&t, {kSecret}, {}, {}, {}, ""};
  std::set<std::string> ids;
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-01", "INIT-13"}));
}

TEST(Oracles, FlagACreateThatLacksAHeaderOrAMember) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed())};
  t.exchanges[0].request_headers.erase(t.exchanges[0].request_headers.begin() + 1);
  auto& body = t.exchanges[0].request_body;
  body.replace(body.find(R"("imageURL")"), 10, R"("image")");
  OracleInput in{&t, {}, {}, {}, {}, ""};
  auto bad = Failures(RunOracles(in));
  std::vector<std::string> ids;
  for (const auto& f : bad) ids.push_back(f.requirement);
  // INIT-02 once; the missing Request-ID also fails REPLAY-11.
  EXPECT_THAT(ids, ::testing::UnorderedElementsAre("INIT-02", "REPLAY-11"));
  for (const auto& f : bad) {
    if (f.requirement == "INIT-02") {
      EXPECT_THAT(f.message, HasSubstr("header Mailbox-Request-ID"));
      EXPECT_THAT(f.message, HasSubstr("displayInformation.imageURL (a string)"));
    }
  }
}

TEST(Oracles, FlagAnExpirationWithAnOffsetOrInThePast) {
  for (const auto& [when, why] : std::vector<std::pair<std::string, std::string>>{
           {"2026-11-30T12:00:00+00:00", "not UTC"},
           {"2026-11-30T12:00:00.5Z", "not UTC"},
           {"2026-11-01T12:00:00Z", "not in the future"}}) {
    har::Transcript t;
    t.exchanges = {Create(kClaimA, Sealed())};
    auto& body = t.exchanges[0].request_body;
    body.replace(body.find("2026-11-30T12:00:00Z"), 20, when);
    OracleInput in{&t, {}, {}, {}, {}, ""};
    auto bad = Failures(RunOracles(in));
    ASSERT_EQ(bad.size(), 1u) << when;
    EXPECT_EQ(bad[0].requirement, "INIT-04");
    EXPECT_THAT(bad[0].message, HasSubstr(why)) << when;
  }
}

TEST(Oracles, FlagARequestIdReusedForADifferentRequestButNotARetry) {
  har::Transcript t;
  har::Exchange update = Read(kClaimA);
  update.method = "PUT";
  update.request_headers.emplace_back("Mailbox-Request-ID", "11111111-2222-4333-8444-555555555555");
  update.request_body = R"({"payload":{"type":"AEAD_AES_128_GCM","data":"AAAA"}})";
  t.exchanges = {Create(kClaimA, Sealed()), update, update};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  EXPECT_TRUE(Failures(RunOracles(in)).empty()) << "a retry is not a reuse";

  t.exchanges[2].request_body = R"({"payload":{"type":"AEAD_AES_128_GCM","data":"BBBB"}})";
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].requirement, "REPLAY-11");
  EXPECT_THAT(bad[0].message, HasSubstr("already sent on exchange #2"));

  t.exchanges[2].request_headers.back().second = "req-7";
  bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("is not a UUID"));
}

TEST(Oracles, AttributeAReusedNotificationTokenToTheDeviceThatSentIt) {
  const std::string other = "6e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
  const std::string token = R"("notificationToken":{"type":"webhook","tokenData":"https://p/1"})";
  har::Transcript t;
  t.exchanges = {
      Create(kClaimA, Sealed()), Read(kClaimB),
      Create("1e5d4c3b-2a1f-4e0d-9c8b-7a6958473625", Sealed("0c0b0a090807060504030201"), other),
      Read("2e5d4c3b-2a1f-4e0d-9c8b-7a6958473625", "/v1/m/" + other)};
  for (std::size_t i : {1, 3}) t.exchanges[i].request_body = "{" + token + "}";
  OracleInput in{&t, {}, {}, {}, {}, ""};
  std::set<std::string> ids;
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-07", "RECIP-16"}));

  for (std::size_t i : {1, 3}) t.exchanges[i].request_body.clear();
  for (std::size_t i : {0, 2}) {
    auto& body = t.exchanges[i].request_body;
    body.insert(body.size() - 1, "," + token);
  }
  ids.clear();
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-07", "INIT-14"}));
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

// ---- secret-quality (PAYLOAD-15) ----

// The rules that fired, from "rule <name>: …" messages.
std::set<std::string> Rules(const std::vector<Finding>& all) {
  std::set<std::string> out;
  for (const auto& f : all) {
    EXPECT_EQ(f.check, "secret-quality");
    EXPECT_EQ(f.requirement, "PAYLOAD-15");
    if (!f.ok) out.insert(f.message.substr(5, f.message.find(':') - 5));
  }
  return out;
}

std::vector<Bytes> RandomSecrets(std::size_t count, std::size_t octets) {
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(RandomBytes(octets).value());
  return out;
}

// A random key whose octets at `from`..`to` (exclusive) are `value`, with
// different neighbours so the run is exactly that long.
Bytes WithRun(Bytes key, std::size_t from, std::size_t to, std::uint8_t value) {
  for (std::size_t i = from; i < to; ++i) key[i] = value;
  if (from > 0) key[from - 1] = static_cast<std::uint8_t>(value ^ 0x5a);
  if (to < key.size()) key[to] = static_cast<std::uint8_t>(value ^ 0xa5);
  return key;
}

TEST(SecretQuality, AThousandRandomSecretsOfEachLengthGiveNoFinding) {
  for (std::size_t octets : {16u, 32u}) {
    const auto keys = RandomSecrets(1000, octets);
    auto all = SecretQualityFindings(keys);
    ASSERT_EQ(all.size(), 1u) << all.front().message;
    EXPECT_TRUE(all[0].ok) << all[0].message;
    // So many Secrets raise both lengths to 5 to keep the false-alarm bound.
    EXPECT_THAT(all[0].message, HasSubstr("1000 Secret(s) of " + std::to_string(octets)));
    EXPECT_THAT(all[0].message, HasSubstr("no run of 5 equal octets"));
    EXPECT_THAT(all[0].message, HasSubstr("no 5 octets shared at one offset"));
  }
}

TEST(SecretQuality, ACaseOfRandomSecretsPassesAtLengthFour) {
  const auto keys = RandomSecrets(3, 32);
  auto all = SecretQualityFindings(keys);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].ok) << all[0].message;
  EXPECT_THAT(all[0].message, HasSubstr("no run of 4 equal octets"));
  EXPECT_THAT(all[0].message, HasSubstr("no 4 octets shared at one offset"));
  EXPECT_THAT(all[0].message, HasSubstr(" of 768 bits set"));
  EXPECT_TRUE(SecretQualityFindings(std::vector<Bytes>{}).empty());
}

TEST(SecretQuality, FlagsASecretShorterThan128Bits) {
  auto bad = SecretQualityFindings(RandomSecrets(1, 15));
  EXPECT_TRUE(Rules(bad).contains("short"));
  EXPECT_THAT(bad[0].message, HasSubstr("Secret #1 has 15 octets (120 bits), fewer than 16"));
  EXPECT_FALSE(Rules(SecretQualityFindings(RandomSecrets(1, 16))).contains("short"));
}

TEST(SecretQuality, FlagsARunOfFourEqualOctetsButNotOfThree) {
  for (std::uint8_t value : {0x00, 0xab}) {
    const std::vector<Bytes> run4 = {WithRun(RandomBytes(16).value(), 5, 9, value)};
    auto bad = SecretQualityFindings(run4);
    // (Four zero octets can also tip the balance of 128 bits, rarely.)
    ASSERT_TRUE(Rules(bad).contains("repeated-octets")) << bad[0].message;
    EXPECT_THAT(bad[0].message,
                HasSubstr("Secret #1 holds a run of 4 equal octets at offset 5 of its 16 octets"));
    EXPECT_THAT(bad[0].message, HasSubstr("chance for a random key about 7.7e-07"));
    const std::vector<Bytes> run3 = {WithRun(RandomBytes(16).value(), 5, 8, value)};
    EXPECT_FALSE(Rules(SecretQualityFindings(run3)).contains("repeated-octets"));
  }
}

TEST(SecretQuality, FlagsTheSameSecretOnTwoSharesByLabel) {
  const Bytes key = RandomBytes(32).value();
  const std::vector<ShareSecret> shares = {
      {key, "the first share"}, {RandomBytes(32).value(), "the second share"}, {key, "the third"}};
  auto bad = SecretQualityFindings(shares);
  // The pair is reported as one Secret reused, not as a shared substring.
  ASSERT_EQ(Rules(bad), std::set<std::string>{"identical"});
  EXPECT_THAT(
      bad[0].message,
      HasSubstr("the third equals the first share: one Secret of 32 octets for two shares"));
}

TEST(SecretQuality, FlagsFourOctetsSharedAtOneOffsetButNotAtDifferentOffsets) {
  const Bytes a = RandomBytes(32).value();
  Bytes b = RandomBytes(32).value();
  std::copy(a.begin() + 10, a.begin() + 14, b.begin() + 10);
  b[9] = static_cast<std::uint8_t>(a[9] ^ 1);
  b[14] = static_cast<std::uint8_t>(a[14] ^ 1);
  auto bad = SecretQualityFindings(std::vector<Bytes>{a, b});
  ASSERT_EQ(Rules(bad), std::set<std::string>{"shared-substring"});
  EXPECT_THAT(bad[0].message,
              HasSubstr("Secret #1 and Secret #2 hold the same 4 octets at offset 10"));

  Bytes moved = RandomBytes(32).value();
  std::copy(a.begin() + 10, a.begin() + 14, moved.begin() + 20);
  EXPECT_TRUE(Rules(SecretQualityFindings(std::vector<Bytes>{a, moved})).empty());
  Bytes three = RandomBytes(32).value();
  std::copy(a.begin() + 10, a.begin() + 13, three.begin() + 10);
  three[9] = static_cast<std::uint8_t>(a[9] ^ 1);
  three[13] = static_cast<std::uint8_t>(a[13] ^ 1);
  EXPECT_TRUE(Rules(SecretQualityFindings(std::vector<Bytes>{a, three})).empty());
}

TEST(SecretQuality, FlagsBitBalanceBeyondFiveStandardDeviations) {
  // 128 bits: 5 sigma is 5 * sqrt(128) / 2 = 28.3, so 92 one bits pass and 93 fail.
  // 16 octets of 5 or 6 one bits (80 + `ones` - 80), alternating so that no
  // other rule fires.
  auto with_ones = [](std::size_t ones) {
    Bytes key;
    for (std::size_t i = 0; i < 16; ++i) {
      const bool six = i < ones - 80;
      key.push_back(six ? (i % 2 == 0 ? 0x3f : 0x7e) : (i % 2 == 0 ? 0x1f : 0x3e));
    }
    return key;
  };
  EXPECT_TRUE(Rules(SecretQualityFindings(std::vector<Bytes>{with_ones(92)})).empty());
  auto bad = SecretQualityFindings(std::vector<Bytes>{with_ones(93)});
  ASSERT_EQ(Rules(bad), std::set<std::string>{"bit-balance"}) << bad[0].message;
  EXPECT_THAT(bad[0].message, HasSubstr("93 one bits in the 128 bits of 1 distinct Secret(s)"));
  // Under 128 bits the balance is not computed.
  auto few = SecretQualityFindings(std::vector<Bytes>{Bytes(15, 0x7f)});
  EXPECT_FALSE(Rules(few).contains("bit-balance"));
}

TEST(SecretQuality, CatchesEightRandomOctetsPaddedWithZerosAndNeverShowsTheSecret) {
  std::vector<Bytes> weak;
  for (std::size_t octets : {16u, 16u, 32u}) {
    Bytes key = RandomBytes(octets / 2).value();
    key.back() |= 1;  // so the zero run starts exactly at the middle
    key.resize(octets, 0);
    weak.push_back(key);
  }
  auto bad = SecretQualityFindings(weak);
  EXPECT_TRUE(Rules(bad).contains("repeated-octets"));
  EXPECT_TRUE(Rules(bad).contains("shared-substring"));
  EXPECT_TRUE(Rules(bad).contains("bit-balance"));
  EXPECT_THAT(bad[0].message, HasSubstr("holds a run of 8 equal octets at offset 8"));
  for (const auto& f : bad) {
    for (const Bytes& key : weak) {
      const Bytes half(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(key.size() / 2));
      for (const auto& [name, text] : SecretEncodings(key)) {
        EXPECT_THAT(f.message + f.actual, Not(HasSubstr(text))) << name;
      }
      EXPECT_THAT(f.message + f.actual, Not(HasSubstr(HexEncode(half))));
    }
  }
}

har::Exchange CreateWith(const Bytes& key, const std::string& claim, const std::string& box) {
  const std::string data =
      SealData(Cipher::kAes128Gcm, key, RandomBytes(kIvLength).value(), ToBytes("{}")).value();
  return Create(claim, data, box);
}

TEST(SecretQuality, RunOraclesJudgesTheSecretsOfTheCaseCreatesOnly) {
  const std::string other = "6e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
  Bytes weak = RandomBytes(8).value();
  weak.resize(16, 0);
  Bytes weak2 = RandomBytes(8).value();
  weak2.resize(16, 0);
  har::Transcript t;
  t.exchanges = {CreateWith(weak, kClaimA, kBox), Read(kClaimB),
                 CreateWith(weak2, "1e5d4c3b-2a1f-4e0d-9c8b-7a6958473625", other)};
  OracleInput in{&t, {weak, weak2}, {}, {}, {}, ""};
  std::vector<Finding> quality;
  for (const auto& f : RunOracles(in)) {
    if (f.check == "secret-quality") quality.push_back(f);
  }
  EXPECT_TRUE(Rules(quality).contains("repeated-octets"));
  EXPECT_TRUE(Rules(quality).contains("shared-substring"));
  EXPECT_THAT(quality[0].message,
              HasSubstr("the Secret of mailbox 5d4c3b2a… (created at exchange #1)"));

  // A known-answer key the harness handed a recipient opens no create of the
  // case: it is no device's Secret and is not judged.
  const Bytes kat = Base64Decode("+/+/+/+/+/+/+/+/+/+//g==").value();
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  in.secrets = {kSecret, kat};
  quality.clear();
  for (const auto& f : RunOracles(in)) {
    if (f.check == "secret-quality") quality.push_back(f);
  }
  ASSERT_EQ(quality.size(), 1u);
  EXPECT_TRUE(quality[0].ok) << quality[0].message;
  EXPECT_THAT(quality[0].message, HasSubstr("1 Secret(s) of 16 octets"));
  EXPECT_TRUE(Rules(SecretQualityFindings(std::vector<Bytes>{kat})).contains("bit-balance"));
}

TEST(SecretQuality, RunOraclesFlagsOneSecretOnTwoMailboxesButNotARetriedCreate) {
  const std::string other = "6e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Create(kClaimA, Sealed())};  // a retry
  OracleInput in{&t, {kSecret, kSecret}, {}, {}, {}, ""};
  auto shares = ShareSecrets(in);
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0].secret, kSecret);

  t.exchanges.push_back(
      Create("1e5d4c3b-2a1f-4e0d-9c8b-7a6958473625", Sealed("0c0b0a090807060504030201"), other));
  std::vector<Finding> quality;
  for (const auto& f : RunOracles(in)) {
    if (f.check == "secret-quality") quality.push_back(f);
  }
  ASSERT_EQ(Rules(quality), std::set<std::string>{"identical"});
  EXPECT_THAT(quality[0].message,
              HasSubstr("the Secret of mailbox 6e5d4c3b… (created at exchange #3) equals the "
                        "Secret of mailbox 5d4c3b2a… (created at exchange #1)"));
}

}  // namespace
}  // namespace tigress::harness
