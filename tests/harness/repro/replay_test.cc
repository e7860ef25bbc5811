// Replay's pure parts: turning a recorded exchange (read with
// harness/har/har.h) into the request to send, id and claim mapping, and the
// comparison of a recorded exchange with a replayed one.
#include "harness/repro/replay.h"

#include <gtest/gtest.h>

#include "protocol/uuid.h"

namespace tigress::harness {
namespace {

constexpr const char* kOldId = "6aa68cb8-cde0-42c9-880f-4b951e11c301";
constexpr const char* kNewId = "0f0e0d0c-0b0a-4999-8888-777766665555";

har::Exchange Create() {
  har::Exchange e;
  e.method = "POST";
  e.url = "https://localhost:4000/v1/m";
  e.request_headers = {{"Host", "localhost:4000"},
                       {"Mailbox-Device-Claim", "c2a1…(36 chars)"},
                       {"Mailbox-Request-ID", "11111111-2222-4333-8444-555555555555"},
                       {"Content-Length", "12"}};
  e.request_body = R"({"payload":{}})";
  e.status = 200;
  e.response_headers = {{"Mailbox-Request-ID", "11111111-2222-4333-8444-555555555555"}};
  e.response_body = std::string(R"({"urlLink":"https://localhost:4000/v1/m/)") + kOldId +
                    R"(","isPushNotificationSupported":false})";
  return e;
}

HttpResponse Answer(int status, std::string body,
                    std::vector<std::pair<std::string, std::string>> h) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(h);
  return r;
}

TEST(ReplayTest, ABinaryRequestBodyRecordedAsBase64IsReplayedAsItsOctets) {
  // "\x00\xff\xfe{" is not UTF-8, so the recorder stored it base64-encoded.
  const char* har = R"({"log": {"version": "1.2", "creator": {"name": "x", "version": "1"},
    "entries": [{"request": {"method": "POST", "url": "https://h:1/v1/m",
                             "headers": [{"name": "Content-Type", "value": "application/octet-stream"}],
                             "postData": {"mimeType": "application/octet-stream",
                                          "text": "AP/+ew==", "encoding": "base64"}},
                 "response": {"status": 400, "headers": [], "content": {"size": 0}}}]}})";
  auto t = har::ReadHar(har);
  ASSERT_TRUE(t) << t.error().Message();
  ASSERT_EQ(t->exchanges.size(), 1U);
  IdMap ids;
  HttpRequest r = ids.MapRequest(t->exchanges[0], "https://127.0.0.1:7");
  ASSERT_TRUE(r.body.has_value());
  EXPECT_EQ(*r.body, std::string("\x00\xff\xfe{", 4));
}

TEST(ReplayTest, AnExchangeWithoutABodyIsSentWithoutOne) {
  har::Exchange e = Create();
  e.method = "DELETE";
  e.request_body.clear();
  IdMap ids;
  EXPECT_FALSE(ids.MapRequest(e, "https://127.0.0.1:7").body.has_value());
}

TEST(ReplayTest, PathAndQueryDropsSchemeAuthorityAndFragment) {
  EXPECT_EQ(PathAndQuery("https://localhost:4000/v1/m/abc?v=c#secret"), "/v1/m/abc?v=c");
  EXPECT_EQ(PathAndQuery("https://localhost:4000"), "/");
  EXPECT_EQ(PathAndQuery("https://h?x=1"), "/?x=1");
  EXPECT_EQ(PathAndQuery("/v1/m"), "/v1/m");
}

TEST(ReplayTest, IdsLearnedFromAResponseAreMappedInLaterRequests) {
  IdMap ids;
  ids.Learn(Create().response_body,
            std::string(R"({"urlLink":"https://127.0.0.1:5/v1/m/)") + kNewId + R"("})");
  ASSERT_EQ(ids.ids().size(), 1U);
  har::Exchange read;
  read.method = "POST";
  read.url = std::string("https://localhost:4000/v1/m/") + kOldId + "?v=c";
  read.request_headers = {{"Mailbox-Device-Claim", "9f3e…(36 chars)"},
                          {"X-Ref", std::string("see ") + kOldId}};
  read.request_body = std::string(R"({"id":")") + kOldId + R"("})";
  HttpRequest r = ids.MapRequest(read, "https://127.0.0.1:7/");
  EXPECT_EQ(r.url, std::string("https://127.0.0.1:7/v1/m/") + kNewId + "?v=c");
  EXPECT_EQ(r.headers.at(1).second, std::string("see ") + kNewId);
  EXPECT_EQ(*r.body, std::string(R"({"id":")") + kNewId + R"("})");
}

TEST(ReplayTest, ShortenedClaimsBecomeOneFreshClaimEachAndWholeClaimsStay) {
  IdMap ids;
  const std::string a = ids.Claim("c2a1…(36 chars)");
  const std::string b = ids.Claim("9f3e…(36 chars)");
  EXPECT_TRUE(IsUuidV4(a));
  EXPECT_TRUE(IsUuidV4(b));
  EXPECT_NE(a, b);
  EXPECT_EQ(ids.Claim("c2a1…(36 chars)"), a);
  EXPECT_EQ(ids.Claim(kOldId), kOldId);
  HttpRequest r = ids.MapRequest(Create(), "https://127.0.0.1:7");
  ASSERT_EQ(r.headers.size(), 2U);  // Host and Content-Length are dropped
  EXPECT_EQ(r.headers[0].first, "Mailbox-Device-Claim");
  EXPECT_EQ(r.headers[0].second, a);
  EXPECT_EQ(r.url, "https://127.0.0.1:7/v1/m");
}

TEST(ReplayTest, AnAnswerThatDiffersOnlyInTheMailboxIdIsTheSame) {
  IdMap ids;
  const har::Exchange e = Create();
  const HttpRequest sent = ids.MapRequest(e, "https://127.0.0.1:7");
  Result<HttpResponse> now = Answer(
      200,
      std::string(R"({"isPushNotificationSupported":false,"urlLink":"https://127.0.0.1:7/v1/m/)") +
          kNewId + "\"}",
      {{"mailbox-request-id", "11111111-2222-4333-8444-555555555555"}});
  ExchangeDiff d = CompareExchange(e, sent, now, ids);
  EXPECT_TRUE(d.same()) << d.differences.front();
  EXPECT_EQ(ids.ids().at(kOldId), kNewId);
}

TEST(ReplayTest, StatusEchoAndBodyDifferencesAreEachReported) {
  IdMap ids;
  const har::Exchange e = Create();
  const HttpRequest sent = ids.MapRequest(e, "https://127.0.0.1:7");
  Result<HttpResponse> now =
      Answer(201, R"({"urlLink":7,"extra":true})", {{"Mailbox-Request-ID", "something-else"}});
  ExchangeDiff d = CompareExchange(e, sent, now, ids);
  ASSERT_EQ(d.differences.size(), 5U);
  EXPECT_EQ(d.differences[0], "status 200 -> 201");
  EXPECT_EQ(d.differences[1], "Mailbox-Request-ID echo: yes -> no");
  // Keys in name order (nlohmann::json objects are sorted).
  EXPECT_EQ(d.differences[2], "body $.isPushNotificationSupported: false -> absent");
  EXPECT_NE(d.differences[3].find("body $.urlLink: \"https://127.0.0.1:7/v1/m/"),
            std::string::npos);
  EXPECT_NE(d.differences[3].find("-> 7"), std::string::npos);
  EXPECT_EQ(d.differences[4], "body $.extra: absent -> true");

  Result<HttpResponse> html = Answer(200, "<html>other</html>", e.response_headers);
  har::Exchange page = e;
  page.response_body = "<html>one</html>";
  d = CompareExchange(page, sent, html, ids);
  ASSERT_EQ(d.differences.size(), 1U);
  EXPECT_EQ(d.differences[0], "body text differs (16 -> 18 octets)");

  Result<HttpResponse> none = MakeError(Errc::kHttpTransport, "refused");
  d = CompareExchange(e, sent, none, ids);
  ASSERT_EQ(d.differences.size(), 1U);
  EXPECT_NE(d.differences[0].find("no response"), std::string::npos);
}

}  // namespace
}  // namespace tigress::harness
