// File: tests/harness/oracles/claim_checks_test.cc
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/oracles/oracle_fixtures.h"

namespace tigress::harness::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ClaimChecks, FlagVersion1ClaimsAndClaimsReusedAcrossMailboxes) {
  har::Transcript t;
  t.exchanges = {Create("2bba630e-519b-11ec-bf63-0242ac130002", Sealed(),
                        "7a6b5c4d-3e2f-4a1b-9c0d-e1f2a3b4c5d6"),
                 Create(kClaimA, Sealed("0c0b0a090807060504030201"), kBox),
                 Create(kClaimA, Sealed("1c0b0a090807060504030201"), kOtherBox), Read(kClaimB),
                 Read(kClaimB, "/v1/m/" + kOtherBox)};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  std::set<std::string> ids;
  for (const auto& f : Failures(RunOracles(in))) ids.insert(f.requirement);
  EXPECT_EQ(ids, (std::set<std::string>{"PRIV-06", "INIT-01", "RECIP-03"}));
}

TEST(ClaimChecks, NameTheExchangeAndVersionOfAClaimThatIsNotV4) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Read("2bba630e-519b-11ec-bf63-0242ac130002")};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  auto bad = Failures(RunEntry("claims-v4", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message,
              HasSubstr("exchange #2 (POST /v1/m/" + kBox + "), header Mailbox-Device-Claim: "));
  EXPECT_THAT(bad[0].message, HasSubstr("is not a version-4 UUID (version 1)"));
  EXPECT_THAT(bad[0].message, Not(HasSubstr("2bba630e-519b")));
  EXPECT_EQ(bad[0].actual, "version 1");
}

TEST(ClaimChecks, PassV4ClaimsAndReportNothingWithoutAClaim) {
  auto all = RunEntry("claims-v4", CleanCase().Input());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].ok);
  EXPECT_THAT(all[0].message, HasSubstr("all 3 distinct device claims"));
  har::Transcript t;
  t.exchanges = {Read(kClaimB)};
  t.exchanges[0].request_headers.clear();
  EXPECT_TRUE(RunEntry("claims-v4", OracleInput{&t, {}, {}, {}, {}, ""}).empty());
}

TEST(ClaimChecks, CountARetriedCreateOnceAndAClaimOnTwoMailboxesAsReuse) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Create(kClaimA, Sealed())};  // a retry
  OracleInput in{&t, {}, {}, {}, {}, ""};
  EXPECT_TRUE(RunEntry("initiator-claim-fresh", in).empty()) << "one mailbox: nothing to judge";

  t.exchanges.push_back(Create(kClaimA, Sealed("0c0b0a090807060504030201"), kOtherBox));
  auto bad = Failures(RunEntry("initiator-claim-fresh", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("created 2 mailboxes (first at exchange #1 (POST /v1/m))"));

  auto clean = RunEntry("initiator-claim-fresh", CleanCase().Input());
  ASSERT_EQ(clean.size(), 1u);
  EXPECT_TRUE(clean[0].ok);
  EXPECT_EQ(clean[0].message, "2 mailboxes created with 2 distinct claims");
}

TEST(ClaimChecks, FlagARecipientClaimThatAlsoCreatedAMailbox) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()),
                 Create(kClaimB, Sealed("0c0b0a090807060504030201"), kOtherBox), Read(kClaimB)};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  auto bad = Failures(RunEntry("recipient-claim-fresh", in));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message,
              HasSubstr("(exchange #3 (POST /v1/m/" + kBox + ")) also created a mailbox"));
}

TEST(ClaimChecks, PassARecipientClaimOnOneMailboxAndIgnoreFailedRequests) {
  auto all = RunEntry("recipient-claim-fresh", CleanCase().Input());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].ok);

  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()),
                 Create(kClaimC, Sealed("0c0b0a090807060504030201"), kOtherBox), Read(kClaimB),
                 Read(kClaimB, "/v1/m/" + kOtherBox)};
  t.exchanges[3].status = 404;  // refused: the claim was not used there
  EXPECT_TRUE(
      Failures(RunEntry("recipient-claim-fresh", OracleInput{&t, {}, {}, {}, {}, ""})).empty());
}

TEST(ClaimChecks, FlagSequentialNonV4AndRepeatedMailboxIds) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed(), "00000000-0000-4000-8000-000000000001"),
                 Create(kClaimC, Sealed(), "not-a-uuid"), Create(kClaimB, Sealed(), kBox),
                 Create(kClaimD, Sealed(), kBox)};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  auto bad = Failures(RunEntry("mailbox-ids-random", in));
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_THAT(bad[0].message, HasSubstr("has a run of 8 or more equal digits"));
  EXPECT_THAT(bad[1].message, HasSubstr("the mailbox id not-a-uuid is not a version-4 UUID"));
  EXPECT_THAT(bad[2].message, HasSubstr("exchange #4 (POST /v1/m): the mailbox id " + kBox +
                                        " was handed out twice"));
}

TEST(ClaimChecks, PassDistinctRandomMailboxIds) {
  auto all = RunEntry("mailbox-ids-random", CleanCase().Input());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].ok);
  EXPECT_THAT(all[0].message, HasSubstr("2 created mailbox id(s)"));
}

}  // namespace
}  // namespace tigress::harness::testing
