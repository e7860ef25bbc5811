// File: tests/harness/oracles/payload_checks_test.cc
#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/payload.h"
#include "protocol/random.h"
#include "tests/harness/oracles/oracle_fixtures.h"

namespace tigress::harness::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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
  const std::string other = kOtherBox;
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
  const std::string other = kOtherBox;
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
}  // namespace tigress::harness::testing
