#include "reports/root_causes.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/reports/sample_run.h"

namespace tigress::reports {
namespace {

using testing::MakeAssertion;

HttpExcerpt Exchange(std::string request_line, int status, std::string body) {
  HttpExcerpt h;
  h.vantage = "initiator->relay";
  h.request_line = std::move(request_line);
  h.status = status;
  h.response_body = std::move(body);
  return h;
}

CaseResult Failed(std::string id, Assertion a, Profile profile = Profile::kStandard) {
  CaseResult c;
  c.case_id = std::move(id);
  c.assertions.push_back(MakeAssertion("RELAY-01", Verdict::kPass, "ok"));
  c.assertions.push_back(std::move(a));
  FinalizeCase(c, profile);
  return c;
}

// A device's create refused by the relay, as the proxy recorded it.
CaseResult CreateRefused(std::string id) {
  Assertion a = MakeAssertion("INIT-02", Verdict::kFail, "initiator createShare failed");
  a.evidence.http.push_back(
      Exchange("POST /v1/m HTTP/1.1", 400,
               R"({"error":"Invalid or missing Device-Claim header","requestId":"x"})"));
  return Failed(std::move(id), std::move(a));
}

TEST(OperationName, NamesEveryMailboxOperation) {
  EXPECT_EQ(OperationName("POST", "/v1/m"), "CreateMailbox");
  EXPECT_EQ(OperationName("POST", "/v1/m/"), "CreateMailbox");
  const std::string box = "/v1/m/6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a";
  EXPECT_EQ(OperationName("PUT", box), "UpdateMailbox");
  EXPECT_EQ(OperationName("DELETE", box), "DeleteMailbox");
  EXPECT_EQ(OperationName("GET", box), "ReadDisplayInformation");
  EXPECT_EQ(OperationName("POST", box), "ReadSecureContent");
  EXPECT_EQ(OperationName("PATCH", box), "RelinquishMailbox");
}

TEST(OperationName, IgnoresAPrefixAQueryAndAnAbsoluteForm) {
  EXPECT_EQ(OperationName("POST", "/tigress/v1/m?x=1"), "CreateMailbox");
  EXPECT_EQ(OperationName("GET", "https://127.0.0.1:8443/v1/m/abc#frag"), "ReadDisplayInformation");
}

TEST(OperationName, FallsBackToMethodAndPathWithoutIds) {
  EXPECT_EQ(OperationName("OPTIONS", "/v1/m"), "OPTIONS /v1/m");
  EXPECT_EQ(OperationName("GET", "/v1/m/6F1C2D9E-0B7A-4C44-9A51-2F3E4D5C6B7A/extra?q"),
            "GET /v1/m/{id}/extra");
  EXPECT_EQ(OperationName("GET", "/"), "GET /");
}

TEST(NormalizeVolatile, ReplacesIdsLongNumbersAndFileLines) {
  EXPECT_EQ(NormalizeVolatile("mailbox 6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a gone"),
            "mailbox {id} gone");
  EXPECT_EQ(NormalizeVolatile("connect to 127.0.0.1:40123 failed after 1500 ms"),
            "connect to 127.0.0.1:{n} failed after 1500 ms");
  EXPECT_EQ(NormalizeVolatile("[scenarios/relay/binding.yaml:12] status in [401]"),
            "[{where}] status in [401]");
  EXPECT_EQ(NormalizeVolatile("at x.cc:3:7, 12:00:00"), "at {where}, 12:00:00");
  // Not a UUID: too short, or glued to other letters.
  EXPECT_EQ(NormalizeVolatile("6f1c2d9e-0b7a"), "6f1c2d9e-0b7a");
  EXPECT_EQ(NormalizeVolatile("x6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a"),
            "x6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a");
}

TEST(FailureSignature, NamesTheRefusedOperationStatusAndErrorMember) {
  EXPECT_EQ(FailureSignature(CreateRefused("a")),
            "CreateMailbox refused, 400 Invalid or missing Device-Claim header");
}

TEST(FailureSignature, UsesANestedErrorMessageOrTheRawBodyOfARefusal) {
  Assertion nested = MakeAssertion("RELAY-31", Verdict::kFail, "x");
  nested.evidence.http.push_back(Exchange(
      "PUT /v1/m/6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a HTTP/1.1", 401,
      R"({"error":{"code":7,"message":"claim 6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a unknown"}})"));
  EXPECT_EQ(FailureSignature(Failed("n", nested)), "UpdateMailbox refused, 401 claim {id} unknown");

  Assertion raw = MakeAssertion("RELAY-31", Verdict::kFail, "x");
  raw.evidence.http.push_back(
      Exchange("DELETE /v1/m/abc HTTP/1.1", 500, "Internal Server Error\n" + std::string(80, 'x')));
  const std::string sig = FailureSignature(Failed("r", raw));
  EXPECT_EQ(sig.rfind("DeleteMailbox refused, 500 Internal Server Error x", 0), 0u) << sig;
  EXPECT_LT(sig.size(), 110u) << "the body is cut to about 60 characters";
}

TEST(FailureSignature, AnAnsweredRequestCarriesNoBodyText) {
  Assertion a = MakeAssertion("RELAY-31", Verdict::kFail, "second claim was bound");
  a.evidence.http.push_back(Exchange("POST /v1/m/abc HTTP/1.1", 200, R"({"payload":{}})"));
  EXPECT_EQ(FailureSignature(Failed("x", a)), "ReadSecureContent answered, 200");
  Assertion none = MakeAssertion("RELAY-31", Verdict::kTimeout, "no answer");
  none.evidence.http.push_back(Exchange("POST /v1/m HTTP/1.1", 0, ""));
  EXPECT_EQ(FailureSignature(Failed("y", none)), "CreateMailbox got no response");
}

TEST(FailureSignature, PrefersTheRefusedExchangeOverEarlierSuccesses) {
  Assertion a = MakeAssertion("RELAY-31", Verdict::kFail, "x");
  a.evidence.http.push_back(Exchange("POST /v1/m HTTP/1.1", 200, "{}"));
  a.evidence.http.push_back(Exchange("PATCH /v1/m/abc HTTP/1.1", 404, R"({"message":"no such"})"));
  a.evidence.http.push_back(Exchange("GET /v1/m/abc HTTP/1.1", 200, "<html>"));
  EXPECT_EQ(FailureSignature(Failed("x", a)), "RelinquishMailbox refused, 404 no such");
}

TEST(FailureSignature, UsesTheAdapterErrorWithoutHttpEvidence) {
  Assertion a = MakeAssertion("INIT-02", Verdict::kFail, "[a.yaml:3] initiator createShare failed");
  a.evidence.fields = {{"call", "initiator createShare"},
                       {"params", "{}"},
                       {"outcome", R"({"error":{"code":-32000,"message":"relay said 400"}})"}};
  EXPECT_EQ(FailureSignature(Failed("x", a)), "initiator createShare: error -32000 relay said 400");
  Assertion broken = MakeAssertion("INIT-02", Verdict::kError, "x");
  broken.evidence.fields = {{"call", "initiator createShare"},
                            {"outcome", "adapter exited with status 1 (pid 123456)"}};
  EXPECT_EQ(FailureSignature(Failed("y", broken)),
            "initiator createShare: adapter exited with status 1 (pid {n})");
}

TEST(FailureSignature, FallsBackToTheNormalisedMessage) {
  Assertion a = MakeAssertion("RELAY-31", Verdict::kFail,
                              "[scenarios/relay/a.yaml:12] mailbox "
                              "6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a answered 200");
  // An adapter call that returned a result says nothing about the failure.
  a.evidence.fields = {{"outcome", R"({"result":{}})"}};
  EXPECT_EQ(FailureSignature(Failed("x", a)), "[{where}] mailbox {id} answered 200");
}

TEST(FailureSignature, TheRunnersSignatureWins) {
  CaseResult c = CreateRefused("a");
  c.failure_signature = "CreateMailbox refused: 400 (step 'mailbox A')";
  EXPECT_EQ(FailureSignature(c), "CreateMailbox refused: 400 (step 'mailbox A')");
}

TEST(FailureSignature, IsEmptyForACaseThatDidNotFail) {
  CaseResult warn = Failed("w", MakeAssertion("RELAY-04", Verdict::kWarn, "should"));
  EXPECT_EQ(FailureSignature(warn), "");
  EXPECT_FALSE(IsFailingCase(warn));
}

TEST(FailureSignature, NamesAStaleExpectation) {
  CaseResult stale;
  stale.case_id = "s";
  stale.expected_failure = true;
  stale.assertions.push_back(MakeAssertion("RELAY-01", Verdict::kPass, "ok"));
  FinalizeCase(stale, Profile::kStandard);
  ASSERT_TRUE(stale.Unexpected());
  EXPECT_TRUE(IsFailingCase(stale));
  EXPECT_EQ(FailureSignature(stale), "known failure no longer fails (stale expectation)");
}

TEST(GroupFailures, GroupsBySignatureLargestFirstWithTheWorstVerdict) {
  RunResult run;
  run.cases.push_back(
      Failed("relay/timeout", MakeAssertion("", Verdict::kTimeout, "adapter timeout")));
  for (const char* id : {"relay/a", "relay/b", "relay/c", "relay/d"}) {
    run.cases.push_back(CreateRefused(id));
  }
  run.cases.push_back(Failed("relay/pass", MakeAssertion("RELAY-01", Verdict::kPass, "ok")));
  CaseResult error = CreateRefused("relay/e");
  error.assertions.push_back(MakeAssertion("", Verdict::kError, "later"));
  error.verdict = Verdict::kError;
  run.cases.push_back(error);

  const std::vector<FailureGroup> groups = GroupFailures(run);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].signature,
            "CreateMailbox refused, 400 Invalid or missing Device-Claim header");
  EXPECT_EQ(groups[0].cases,
            (std::vector<std::string>{"relay/a", "relay/b", "relay/c", "relay/d", "relay/e"}));
  EXPECT_EQ(groups[0].indexes, (std::vector<std::size_t>{1, 2, 3, 4, 6}));
  EXPECT_EQ(groups[0].verdict, Verdict::kError);
  EXPECT_EQ(groups[1].signature, "adapter timeout");
  EXPECT_EQ(groups[1].verdict, Verdict::kTimeout);
}

TEST(GroupFailures, KeepsTheOrderOfFirstAppearanceForEqualCounts) {
  RunResult run;
  run.cases.push_back(Failed("x", MakeAssertion("RELAY-31", Verdict::kFail, "second")));
  run.cases.push_back(Failed("y", MakeAssertion("RELAY-31", Verdict::kFail, "first")));
  const auto groups = GroupFailures(run);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].signature, "second");
  EXPECT_EQ(groups[1].signature, "first");
}

TEST(GroupFailures, CountsKnownFailuresAndIgnoresPassingRuns) {
  const RunResult sample = testing::SampleRun(Profile::kStrict);
  std::size_t failing = 0;
  for (const FailureGroup& g : GroupFailures(sample)) failing += g.cases.size();
  // FAIL, interpretation FAIL (strict), TIMEOUT, known failure, stale.
  EXPECT_EQ(failing, 5u);
  RunResult clean;
  clean.cases.push_back(sample.cases[0]);
  EXPECT_TRUE(GroupFailures(clean).empty());
}

}  // namespace
}  // namespace tigress::reports
