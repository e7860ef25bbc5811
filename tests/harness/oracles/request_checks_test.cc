// File: tests/harness/oracles/request_checks_test.cc
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/oracles/oracle_fixtures.h"

namespace tigress::harness::testing {
namespace {

using ::testing::HasSubstr;

TEST(RequestChecks, FlagACreateThatLacksAHeaderOrAMember) {
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

TEST(RequestChecks, FlagACreateWithoutJsonContentTypeOrAJsonBody) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed())};
  t.exchanges[0].request_headers[2].second = "text/plain";
  t.exchanges[0].request_body = "[]";
  auto all = RunEntry("create-well-formed", OracleInput{&t, {}, {}, {}, {}, ""});
  ASSERT_EQ(all.size(), 1u) << "no expiration to judge";
  EXPECT_EQ(all[0].message,
            "exchange #1 (POST /v1/m): the create lacks header Content-Type: application/json, "
            "a JSON object body");
  EXPECT_EQ(all[0].actual, "missing: header Content-Type: application/json, a JSON object body");
}

TEST(RequestChecks, PassAWellFormedCreateWithACharsetParameter) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed())};
  t.exchanges[0].request_headers[2] = {"content-type", "Application/JSON; charset=utf-8"};
  auto all = RunEntry("create-well-formed", OracleInput{&t, {}, {}, {}, {}, ""});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].check, "create-well-formed");
  EXPECT_EQ(all[1].check, "expiration-utc");
  EXPECT_TRUE(all[0].ok && all[1].ok);
}

TEST(RequestChecks, FlagAnExpirationWithAnOffsetOrInThePast) {
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

TEST(RequestChecks, ReportEachCreatesFindingsTogether) {
  har::Transcript t;
  t.exchanges = {Create(kClaimA, Sealed()), Create(kClaimC, Sealed(), kOtherBox)};
  for (auto& e : t.exchanges) {
    e.request_headers[2].second = "text/plain";
    e.request_body.replace(e.request_body.find("T12:00:00Z"), 10, "T12:00:00+01:00");
  }
  auto all = RunEntry("create-well-formed", OracleInput{&t, {}, {}, {}, {}, ""});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].check, "create-well-formed");
  EXPECT_EQ(all[1].check, "expiration-utc");
  EXPECT_EQ(all[2].check, "create-well-formed");
  EXPECT_THAT(all[3].message, HasSubstr("exchange #2"));
}

TEST(RequestChecks, FlagARequestIdReusedForADifferentRequestButNotARetry) {
  har::Transcript t;
  har::Exchange update = Read(kClaimA);
  update.method = "PUT";
  update.request_headers.emplace_back("Mailbox-Request-ID", "11111111-2222-4333-8444-555555555555");
  update.request_body = R"({"payload":{"type":"AEAD_AES_128_GCM","data":"AAAA"}})";
  t.exchanges = {Create(kClaimA, Sealed()), update, update};
  OracleInput in{&t, {}, {}, {}, {}, ""};
  EXPECT_TRUE(Failures(RunOracles(in)).empty()) << "a retry is not a reuse";
  auto pass = RunEntry("request-id-fresh", in);
  ASSERT_EQ(pass.size(), 1u);
  EXPECT_EQ(pass[0].message,
            "3 mutating request(s): 2 distinct UUID Request-IDs, repeated only by retries");

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

TEST(RequestChecks, TreatARequestIdCaseInsensitivelyAndIgnoreReads) {
  har::Transcript t;
  har::Exchange del = Read(kClaimA);
  del.method = "DELETE";
  del.request_headers.emplace_back("Mailbox-Request-ID", "A1111111-2222-4333-8444-555555555555");
  har::Exchange upd = del;
  upd.method = "PATCH";
  upd.request_headers.back().second = "a1111111-2222-4333-8444-555555555555";
  t.exchanges = {Read(kClaimB), del, upd};
  auto bad = Failures(RunEntry("request-id-fresh", OracleInput{&t, {}, {}, {}, {}, ""}));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0].message, HasSubstr("exchange #3 (PATCH"));
}

}  // namespace
}  // namespace tigress::harness::testing
