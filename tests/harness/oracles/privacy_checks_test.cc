// File: tests/harness/oracles/privacy_checks_test.cc
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/payload.h"
#include "tests/harness/oracles/oracle_fixtures.h"

namespace tigress::harness::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(PrivacyChecks, ACleanExchangePassesEveryCheckItCouldExamine) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  OracleInput in{&t, {kSecret}, {Base64UrlEncode(kSecret, false)}, {kCanary}, {}, ""};
  auto all = RunOracles(in);
  EXPECT_TRUE(Failures(all).empty()) << Failures(all).front().message;
  EXPECT_GE(all.size(), 8u);
}

TEST(PrivacyChecks, FindTheSecretInAHeaderAndMaskItInTheMessage) {
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
  EXPECT_EQ(bad[0].actual, "[secret:base64]");
  EXPECT_THAT(bad[0].message, Not(HasSubstr(Base64Encode(kSecret).substr(0, 20))));
}

TEST(PrivacyChecks, FindTheSecretInEveryEncodingAndInTheRelayLog) {
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

TEST(PrivacyChecks, FindTheSecretInABodyThatIsNotJsonOnceForTheBody) {
  har::Transcript t;
  t.exchanges = {Read(kClaimB)};
  t.exchanges[0].request_body = "key=" + HexEncode(kSecret) + "&again=" + HexEncode(kSecret);
  OracleInput in{&t, {kSecret}, {}, {}, {}, ""};
  auto bad = Failures(RunEntry("request-leaks", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("exchange #1 (POST /v1/m/" + kBox + "), body: the Secret"));
  EXPECT_EQ(bad[0].actual, "the Secret in the body");
}

TEST(PrivacyChecks, ReportAFragmentInTheRequestLineAsRecip01NotAsPriv01) {
  const std::string fragment = Base64UrlEncode(kSecret, false);
  har::Transcript t;
  t.exchanges = {Read(kClaimB, "/v1/m/" + kBox + "?v=c&fragment=" + fragment)};
  OracleInput in{&t, {kSecret}, {fragment}, {}, {}, ""};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].requirement, "RECIP-01");
}

TEST(PrivacyChecks, ReportAHashInTheRequestTargetAndPassATargetWithoutOne) {
  har::Transcript t;
  t.exchanges = {Read(kClaimB, "/v1/m/" + kBox + "#x")};
  OracleInput in{&t, {}, {"not-in-any-target"}, {}, {}, ""};
  auto all = RunEntry("request-leaks", in);
  ASSERT_EQ(Failures(all).size(), 1u);
  EXPECT_EQ(all[0].check, "fragment-never-sent");
  EXPECT_THAT(all[0].message, HasSubstr("the request line holds a '#' fragment"));

  t.exchanges = {Read(kClaimB)};
  all = RunEntry("request-leaks", in);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].ok);
  EXPECT_EQ(all[0].requirement, "RECIP-01");
}

TEST(PrivacyChecks, FlagAPayloadThatIsBase64OfJsonAndACanaryInClear) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Base64Encode(ToBytes(R"({"format":"x","content":{}})")))};
  t.exchanges[0].request_headers.emplace_back("X-Note", kCanary);
  OracleInput in{&t, {}, {}, {kCanary, "2026-11-28"}, {}, ""};
  auto bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].requirement, "PRIV-02");
  EXPECT_EQ(bad[1].requirement, "PRIV-02");
  EXPECT_THAT(bad[0].message, HasSubstr("header X-Note"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr(kCanary)));
  EXPECT_THAT(bad[1].message, HasSubstr("base64 of JSON text"));
  EXPECT_EQ(bad[1].actual, "decodes to a JSON object");
}

TEST(PrivacyChecks, PassPlaintextWhenOnlyADateLikeCanaryOccurs) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed())};
  // The expiration holds the date: dates are no canaries.
  OracleInput in{&t, {}, {}, {"2026-11-30T12:00:00Z", kCanary}, {}, "log " + kCanary};
  auto bad = Failures(RunEntry("request-leaks", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("relay stderr: plaintext"));
  in.relay_stderr.clear();
  auto all = RunEntry("request-leaks", in);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].ok);
  EXPECT_THAT(all[0].message, HasSubstr("none of 1 planted canaries"));
}

TEST(PrivacyChecks, AttributeASecretInAnInitiatorRequestToInit13) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  t.exchanges[0].request_headers.emplace_back("X-Key", HexEncode(kSecret));
  OracleInput in{&t, {kSecret}, {}, {}, {}, ""};
  EXPECT_EQ(FailedIds(RunOracles(in)), (std::set<std::string>{"PRIV-01", "INIT-13"}));
  auto bad = Failures(RunEntry("initiator-sends-no-secret", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("exchange #1 (POST /v1/m), sent by the initiator: the "
                                        "Secret reaches the relay"));
}

TEST(PrivacyChecks, PassEachRoleWhenItsRequestsLeakNothing) {
  const OracleCase clean = CleanCase();
  for (const char* id :
       {"initiator-sends-no-secret", "recipient-strips-fragment", "recipient-sends-no-secret"}) {
    auto all = RunEntry(id, clean.Input());
    ASSERT_EQ(all.size(), 1u) << id;
    EXPECT_TRUE(all[0].ok) << id;
  }
  EXPECT_THAT(RunEntry("initiator-sends-no-secret", clean.Input())[0].message,
              HasSubstr("2 request(s) by the initiator"));
  EXPECT_THAT(RunEntry("recipient-strips-fragment", clean.Input())[0].message,
              HasSubstr("1 request(s) by the recipient"));
}

TEST(PrivacyChecks, AttributeARecipientLeakToUrl08OrRecip02ByWhatLeaked) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB, "/v1/m/" + kBox + "#frag")};
  OracleInput in{&t, {kSecret}, {}, {kCanary}, {}, ""};
  auto bad = Failures(RunEntry("recipient-strips-fragment", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("the share URL's fragment reaches the relay"));
  EXPECT_TRUE(Failures(RunEntry("recipient-sends-no-secret", in)).empty())
      << "a fragment without the Secret is no RECIP-02 leak";

  t.exchanges[1] = Read(kClaimB);
  t.exchanges[1].request_headers.emplace_back("X-Note", kCanary);
  bad = Failures(RunEntry("recipient-sends-no-secret", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("plaintext Provisioning Information reaches the relay"));
  EXPECT_TRUE(Failures(RunEntry("recipient-strips-fragment", in)).empty());
}

TEST(PrivacyChecks, AttributeNothingToARequestWithoutAClaim) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB)};
  t.exchanges[1].request_headers = {{"X-Key", HexEncode(kSecret)}};
  OracleInput in{&t, {kSecret}, {}, {}, {}, ""};
  EXPECT_EQ(FailedIds(RunOracles(in)), std::set<std::string>{"PRIV-01"});
}

TEST(PrivacyChecks, FlagACookieSentAndACookieSetAndPassWithoutEither) {
  const OracleCase clean = CleanCase();
  auto all = RunEntry("no-cookies", clean.Input());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].ok && all[1].ok);
  EXPECT_EQ(all[0].requirement, "PRIV-05");
  EXPECT_EQ(all[1].requirement, "PRIV-04");

  har::Transcript t;
  t.exchanges = {Read(kClaimB)};
  t.exchanges[0].request_headers.emplace_back("cookie", "session=abcdefgh");
  t.exchanges[0].response_headers.emplace_back("Set-Cookie", "session=ijklmnop");
  OracleInput in{&t, {}, {}, {}, {}, ""};
  all = RunEntry("no-cookies", in);
  ASSERT_EQ(all.size(), 2u) << "a failure of either withholds both passes";
  EXPECT_EQ(all[0].requirement, "PRIV-05");
  EXPECT_THAT(all[0].message, HasSubstr("header Cookie: a device sends a cookie"));
  EXPECT_THAT(all[0].message, Not(HasSubstr("abcdefgh")));
  EXPECT_EQ(all[1].requirement, "PRIV-04");
  EXPECT_THAT(all[1].message, HasSubstr("response header Set-Cookie"));
}

}  // namespace
}  // namespace tigress::harness::testing
