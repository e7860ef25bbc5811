#include "harness/run/evidence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

TEST(ProbeExchange, AnAnsweredProbeIsATranscriptExchangeWithItsTiming) {
  HttpRequest req;
  req.method = "POST";
  req.url = "https://127.0.0.1:4000/v1/m";
  req.headers = {{"Mailbox-Request-ID", "r"}};
  req.body = "{}";
  HttpResponse resp;
  resp.status = 201;
  resp.http_version = "HTTP/1.1";
  resp.headers = {{"Content-Type", "application/json"}};
  resp.body = "{\"urlLink\":\"x\"}";
  resp.elapsed_ms = 12.5;
  const har::Exchange x = ProbeExchange(req, resp, 1700000000000);
  EXPECT_EQ(x.started_ms, 1700000000000);
  EXPECT_EQ(x.method, "POST");
  EXPECT_EQ(x.url, req.url);
  EXPECT_EQ(x.request_headers, req.headers);
  EXPECT_EQ(x.request_body, "{}");
  EXPECT_EQ(x.status, 201);
  EXPECT_EQ(x.response_body, resp.body);
  EXPECT_DOUBLE_EQ(x.wait_ms, 12.5);
  EXPECT_TRUE(x.error.empty());
}

TEST(ProbeExchange, NoAnswerIsStatusZeroWithTheErrorAndHugeBodiesAreCut) {
  HttpRequest req;
  req.url = "https://127.0.0.1:4000/v1/m";
  req.body = std::string(3 * 1024 * 1024, 'x');
  const Result<HttpResponse> failed = MakeError(Errc::kHttpTransport, "connection reset");
  const har::Exchange x = ProbeExchange(req, failed, 0);
  EXPECT_EQ(x.status, 0);
  EXPECT_EQ(x.request_body.size(), 256u * 1024);
  EXPECT_THAT(x.error, ::testing::HasSubstr("of 3145728 octets"));
  EXPECT_THAT(x.error, ::testing::HasSubstr("connection reset"));
}

}  // namespace
}  // namespace tigress::harness
