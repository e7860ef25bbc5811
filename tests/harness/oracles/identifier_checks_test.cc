// File: tests/harness/oracles/identifier_checks_test.cc
#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/oracles/oracle_fixtures.h"

namespace tigress::harness::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(IdentifierChecks, FlagIdentifyingDisplayInformationAndSequentialMailboxIds) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed(), "00000000-0000-4000-8000-000000000001")};
  auto& body = t.exchanges[0].request_body;
  body.replace(body.find("Front door"), 10, "Call +1-202-555-0143");
  OracleInput in{&t, {}, {}, {}, {}, ""};
  EXPECT_EQ(FailedIds(RunOracles(in)), (std::set<std::string>{"PRIV-09", "INIT-14", "RELAY-04"}));
}

TEST(IdentifierChecks, FlagAnEmailAddressInTheTitleWithoutShowingIt) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed())};
  auto& body = t.exchanges[0].request_body;
  body.replace(body.find("Car key"), 7, "alice@example.org");
  auto bad = Failures(RunEntry("display-not-identifying", OracleInput{&t, {}, {}, {}, {}, ""}));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].check, "display-not-identifying");
  EXPECT_THAT(bad[0].message,
              HasSubstr("body displayInformation.title holds an e-mail address (alic…"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr("alice@example.org")));
  EXPECT_EQ(bad[1].check, "initiator-identifiers");
  EXPECT_THAT(bad[1].message, HasSubstr("sent by the initiator"));
}

TEST(IdentifierChecks, FlagPersonalDataTheScenarioDeclaresButNotInTheImageUrl) {
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

TEST(IdentifierChecks, PassDisplayInformationAndTheInitiatorsIdentifiersWhenClean) {
  auto all = RunEntry("display-not-identifying", CleanCase().Input());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].check, "initiator-identifiers");
  EXPECT_EQ(all[1].check, "display-not-identifying");
  EXPECT_TRUE(all[0].ok && all[1].ok);
}

TEST(IdentifierChecks, FlagAnAttestationSentForTwoMailboxesOrHoldingADeviceIdentifier) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()),
                 Create(kClaimC, Sealed("0c0b0a090807060504030201"), kOtherBox)};
  t.exchanges[0].request_headers.emplace_back("Mailbox-Device-Attestation", "opaque.AAAA");
  t.exchanges[1].request_headers.emplace_back("Mailbox-Device-Attestation", "opaque.BBBB");
  OracleInput in{&t, {}, {}, {}, {}, ""};
  auto all = RunOracles(in);
  EXPECT_TRUE(Failures(all).empty()) << Failures(all).front().message;
  EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                          [](const Finding& f) { return f.requirement == "PRIV-08" && f.ok; }));

  t.exchanges[1].request_headers.back().second = "opaque.AAAA";
  EXPECT_EQ(FailedIds(RunOracles(in)), (std::set<std::string>{"PRIV-08", "INIT-14"}));
  auto bad = Failures(RunEntry("attestation-fresh", in));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_THAT(bad[0].message, HasSubstr("is sent for 2 mailboxes (first at exchange #1 (POST "
                                        "/v1/m), the initiator): it links the shares"));

  t.exchanges[1].request_headers.back().second = "att;imei=356938035643809";
  bad = Failures(RunOracles(in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].requirement, "PRIV-08");
  EXPECT_THAT(bad[0].message, HasSubstr("a device identifier"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr("356938035643809")));
}

TEST(IdentifierChecks, NameADeviceForAnAttestationReusedWithoutAClaim) {
  har::Transcript t;
  t.exchanges = {Read(kClaimB), Read(kClaimB, "/v1/m/" + kOtherBox)};
  for (auto& e : t.exchanges) e.request_headers = {{"Mailbox-Device-Attestation", "opaque.AAAA"}};
  auto bad = Failures(RunEntry("attestation-fresh", OracleInput{&t, {}, {}, {}, {}, ""}));
  ASSERT_EQ(bad.size(), 1u) << "no initiator to attribute it to";
  EXPECT_THAT(bad[0].message, HasSubstr(", a device): it links the shares"));
}

TEST(IdentifierChecks, AttributeAReusedNotificationTokenToTheDeviceThatSentIt) {
  const std::string token = R"("notificationToken":{"type":"webhook","tokenData":"https://p/1"})";
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read(kClaimB),
                 Create(kClaimC, Sealed("0c0b0a090807060504030201"), kOtherBox),
                 Read(kClaimD, "/v1/m/" + kOtherBox)};
  for (std::size_t i : {1, 3}) t.exchanges[i].request_body = "{" + token + "}";
  OracleInput in{&t, {}, {}, {}, {}, ""};
  EXPECT_EQ(FailedIds(RunOracles(in)), (std::set<std::string>{"PRIV-07", "RECIP-16"}));
  auto bad = Failures(RunEntry("token-fresh", in));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_THAT(bad[0].message, HasSubstr("is sent for 2 mailboxes (first at exchange #2"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr("https://p/1")));
  EXPECT_THAT(bad[1].message, HasSubstr("the recipient sends the notification token"));

  for (std::size_t i : {1, 3}) t.exchanges[i].request_body.clear();
  for (std::size_t i : {0, 2}) AddMember(t.exchanges[i], token);
  EXPECT_EQ(FailedIds(RunOracles(in)), (std::set<std::string>{"PRIV-07", "INIT-14"}));
}

TEST(IdentifierChecks, PassTokensUsedForOneMailboxEach) {
  auto all = RunEntry("token-fresh", CleanCase().Input());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].check, "recipient-token-fresh");
  EXPECT_EQ(all[1].check, "token-fresh");
  EXPECT_TRUE(all[0].ok && all[1].ok);
  EXPECT_THAT(all[1].message, HasSubstr("3 notification token(s)"));
}

}  // namespace
}  // namespace tigress::harness::testing
