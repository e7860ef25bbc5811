#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/harness/run/fake_ports.h"

namespace tigress::harness {
namespace {

using fakes::FakeTransport;
using fakes::StatusIn;
using reports::Verdict;
using ::testing::HasSubstr;

Step Get(std::string path) {
  Step st;
  st.where = "t.yaml:2";
  st.action = HttpAction{.method = "GET", .path = std::move(path)};
  return st;
}

class HttpStep : public fakes::StepTest {};

TEST_F(HttpStep, JudgesTheAnswerAndSavesWhatLaterStepsNeed) {
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(
        FakeTransport::Ok(201, R"({"id":"m-1"})", {{"Content-Type", "application/json"}}));
  };
  Step st = Get("/v1/m/${case.id}");
  vars.Set("case", nlohmann::json{{"id", "abc"}});
  st.expect = {StatusIn({201})};
  st.save = {{"mailbox", "json.id"}, {"type", "headers.content-type"}};
  StepResult r = Run(st);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].second.verdict, Verdict::kPass);
  EXPECT_EQ(r.checks[0].second.evidence.http.at(0).status, 201);
  EXPECT_TRUE(r.extra.empty());
  EXPECT_FALSE(r.stop);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(*vars.Eval("mailbox"), "m-1");
  EXPECT_EQ(*vars.Eval("type"), "application/json");
  ASSERT_EQ(transport.sent().size(), 1u);
  EXPECT_EQ(transport.sent()[0].url, "https://127.0.0.1:4000/v1/m/abc");
  EXPECT_THAT(log.http_log(), HasSubstr("> GET /v1/m/abc HTTP/1.1"));
  EXPECT_THAT(log.http_log(), HasSubstr("< HTTP/1.1 201"));
  ASSERT_EQ(log.resolved_steps().size(), 1u);
  EXPECT_EQ(log.resolved_steps()[0]["http"]["url"], "https://127.0.0.1:4000/v1/m/abc");
}

TEST_F(HttpStep, AFailedExpectationIsAFailOfItsRequirement) {
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(FakeTransport::Ok(500));
  };
  Step st = Get("/v1/m");
  st.expect = {StatusIn({200}, "RELAY-01")};
  StepResult r = Run(st);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].second.verdict, Verdict::kFail);
  EXPECT_EQ(r.checks[0].second.requirement_id, "RELAY-01");
}

TEST_F(HttpStep, NoResponseIsAnErrorThatStopsTheCaseAndNamesTheDeadRelay) {
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(MakeError(Errc::kHttpTransport, "connection refused"));
  };
  relay_down = "exited with status 3; stderr tail: boom";
  Step st = Get("/v1/m");
  st.expect = {StatusIn({200})};
  StepResult r = Run(st);
  EXPECT_TRUE(r.stop);
  EXPECT_TRUE(r.checks.empty());
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].verdict, Verdict::kError);
  EXPECT_THAT(r.extra[0].message, HasSubstr("connection refused"));
  EXPECT_THAT(r.extra[0].message, HasSubstr("the relay exited with status 3"));
  // The second request asked the same port for plain HTTP (it did not answer).
  ASSERT_EQ(transport.sent().size(), 2u);
  EXPECT_EQ(transport.sent()[1].url, "http://127.0.0.1:4000/");
}

TEST_F(HttpStep, APortAnsweringPlainHttpFailsSec01) {
  transport.handler = [](const HttpRequest& req) {
    if (req.url.rfind("http://", 0) == 0) {
      return Result<HttpResponse>(FakeTransport::Ok(404));
    }
    return Result<HttpResponse>(MakeError(Errc::kHttpTransport, "TLS handshake failed"));
  };
  StepResult r = Run(Get("/v1/m"));
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_EQ(r.extra[0].requirement_id, "SEC-01");
  EXPECT_EQ(r.extra[0].verdict, Verdict::kFail);
  EXPECT_EQ(r.extra[0].actual, "plain HTTP: HTTP/1.1 404");
  EXPECT_TRUE(r.stop);
}

TEST_F(HttpStep, AStepListingStatusZeroJudgesNoResponseAsStatusZero) {
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(MakeError(Errc::kHttpTransport, "connection reset"));
  };
  Step st = Get("/v1/m");
  st.expect = {StatusIn({0, 413})};
  StepResult r = Run(st);
  EXPECT_FALSE(r.stop);
  EXPECT_EQ(r.status, 0);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].second.verdict, Verdict::kPass);
  EXPECT_THAT(log.http_log(), HasSubstr("(no response: status 0)"));
}

TEST_F(HttpStep, AUrlOnTheRecordingProxyGoesToTheRelayDirectly) {
  Step st = Get("");
  st.As<HttpAction>().url = "https://127.0.0.1:5000/v1/m/x#secret-fragment";
  Run(st);
  ASSERT_EQ(transport.sent().size(), 1u);
  EXPECT_EQ(transport.sent()[0].url, "https://127.0.0.1:4000/v1/m/x");
}

TEST_F(HttpStep, AJsonBodyFromADeviceGetsItsContentTypeAndIsNotedForThePushOracle) {
  Step st = Get("/v1/m");
  st.As<HttpAction>().method = "POST";
  st.As<HttpAction>().body = nlohmann::json{{"payload", {{"data", "planted-payload-data"}}}};
  Run(st);
  ASSERT_EQ(transport.sent().size(), 1u);
  EXPECT_EQ(text::FindHeader(transport.sent()[0].headers, "content-type"), "application/json");
  EXPECT_THAT(oracle.PushForbidden(), ::testing::Contains("planted-payload-data"));
}

TEST_F(HttpStep, CanonicalHeaderNamesGoOutUnderTheCasesRevision) {
  Step st = Get("/v1/m");
  st.As<HttpAction>().headers = {{"Mailbox-Device-Claim", "c"},
                                 {"Mailbox-Device-Attestation", "a"},
                                 {"Mailbox-Request-ID", "r"}};
  revision = Revision::kSct04;
  Run(st);
  ASSERT_EQ(transport.sent().size(), 1u);
  const text::HeaderList sent = transport.sent()[0].headers;
  EXPECT_EQ(text::FindHeader(sent, "Device-Claim"), "c");
  EXPECT_EQ(text::FindHeader(sent, "Device-Attestation"), "a");
  EXPECT_EQ(text::FindHeader(sent, "Mailbox-Request-ID"), "r");
  EXPECT_FALSE(text::FindHeader(sent, "Mailbox-Device-Claim").has_value());
}

TEST_F(HttpStep, LiteralHeadersGoOutExactlyAsWritten) {
  Step st = Get("/v1/m");
  st.As<HttpAction>().headers = {{"Mailbox-Device-Claim", "c"}};
  st.As<HttpAction>().literal_headers = true;
  revision = Revision::kSct04;
  Run(st);
  ASSERT_EQ(transport.sent().size(), 1u);
  EXPECT_EQ(text::FindHeader(transport.sent()[0].headers, "Mailbox-Device-Claim"), "c");
  EXPECT_FALSE(text::FindHeader(transport.sent()[0].headers, "Device-Claim").has_value());
}

TEST_F(HttpStep, AValueAnEarlierStepDidNotSaveLeavesTheStepUnresolvedAndSendsNothing) {
  StepResult r = Run(Get("/v1/m/${mailbox.id}"));
  EXPECT_TRUE(r.stop);
  EXPECT_THAT(r.unresolved, HasSubstr("t.yaml:2"));
  EXPECT_TRUE(r.extra.empty()) << "not an ERROR: the earlier step's outcome decided it";
  EXPECT_TRUE(transport.sent().empty());
}

TEST_F(HttpStep, IfAcceptedSetsItsVariablesOnlyOn2xx) {
  Step st = Get("/v1/m");
  st.As<HttpAction>().if_accepted = {{"last", nlohmann::json("v2")}};
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(FakeTransport::Ok(409));
  };
  Run(st);
  EXPECT_FALSE(vars.Has("last"));
  transport.handler = [](const HttpRequest&) {
    return Result<HttpResponse>(FakeTransport::Ok(204));
  };
  Run(st);
  EXPECT_EQ(*vars.Eval("last"), "v2");
}

TEST_F(HttpStep, ASavePathTheAnswerLacksFailsAndStops) {
  Step st = Get("/v1/m");
  st.save = {{"mailbox", "json.id"}};
  StepResult r = Run(st);
  EXPECT_TRUE(r.stop);
  ASSERT_EQ(r.extra.size(), 1u);
  EXPECT_NE(r.extra[0].verdict, Verdict::kPass);
  EXPECT_THAT(r.extra[0].message, HasSubstr("cannot save 'mailbox'"));
}

}  // namespace
}  // namespace tigress::harness
