#include "harness/har/har.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tigress::harness::har {
namespace {

Exchange Sample() {
  Exchange e;
  e.started_ms = 1'764'345'600'123;
  e.send_ms = 0.5;
  e.wait_ms = 2.25;
  e.receive_ms = 0.125;
  e.method = "POST";
  e.url = "https://localhost:4431/v1/m/3b0c2a4e-1f0d-4c8e-9a51-6d2f7e8b9c01?v=c";
  e.request_headers = {{"Content-Type", "application/json"}, {"Mailbox-Request-ID", "r1"}};
  e.request_body = R"({"a":1})";
  e.status = 201;
  e.status_text = "Created";
  e.response_headers = {{"Mailbox-Request-ID", "r1"}};
  e.response_body = std::string("\x00\xff\x10 binary", 10);
  return e;
}

TEST(Har, WritesHar12ThatReadsBackTheSameExchange) {
  Transcript t;
  t.exchanges = {Sample()};
  const std::string text = WriteHar(t);
  auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["log"]["version"], "1.2");
  EXPECT_EQ(doc["log"]["creator"]["name"], "tigress-harness");
  const auto& entry = doc["log"]["entries"][0];
  EXPECT_EQ(entry["startedDateTime"], "2025-11-28T16:00:00.123Z");
  EXPECT_EQ(entry["request"]["queryString"][0]["name"], "v");
  EXPECT_EQ(entry["response"]["content"]["encoding"], "base64");
  EXPECT_DOUBLE_EQ(entry["time"].get<double>(), 2.875);

  auto back = ReadHar(text);
  ASSERT_TRUE(back) << back.error().Message();
  ASSERT_EQ(back->exchanges.size(), 1u);
  const Exchange& e = back->exchanges[0];
  EXPECT_EQ(e.method, "POST");
  EXPECT_EQ(e.url, Sample().url);
  EXPECT_EQ(e.request_headers, Sample().request_headers);
  EXPECT_EQ(e.request_body, R"({"a":1})");
  EXPECT_EQ(e.status, 201);
  EXPECT_EQ(e.response_body, Sample().response_body);
  EXPECT_DOUBLE_EQ(e.wait_ms, 2.25);
}

TEST(Har, KeepsAnUnansweredExchangeAsStatusZeroWithItsReason) {
  Transcript t;
  Exchange e = Sample();
  e.status = 0;
  e.response_headers.clear();
  e.response_body.clear();
  e.error = "the relay did not answer: end of stream";
  t.exchanges = {e};
  auto back = ReadHar(WriteHar(t));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->exchanges[0].status, 0);
  EXPECT_EQ(back->exchanges[0].error, e.error);
}

TEST(Har, DecodesARequestBodyMarkedBase64ToItsOctets) {
  Transcript t;
  Exchange e = Sample();
  e.request_body = std::string("\x00\xff\xfe{", 4);
  t.exchanges = {e};
  const std::string text = WriteHar(t);
  EXPECT_EQ(nlohmann::json::parse(text)["log"]["entries"][0]["request"]["postData"]["encoding"],
            "base64");
  auto back = ReadHar(text);
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(back->exchanges[0].request_body, e.request_body);
}

TEST(Har, ReadsAnEntryWithoutAResponseAsUnanswered) {
  auto t = ReadHar(R"({"log":{"entries":[{"request":{"method":"GET","url":"https://h/"}},
    {"request":{"method":"GET","url":"https://h/"},"response":{"headers":[]}}]}})");
  ASSERT_TRUE(t) << t.error().Message();
  ASSERT_EQ(t->exchanges.size(), 2u);
  EXPECT_EQ(t->exchanges[0].status, 0);
  EXPECT_EQ(t->exchanges[1].status, 0);
}

TEST(Har, RejectsTextThatIsNotAHarWithThePathAtFault) {
  EXPECT_FALSE(ReadHar("not json"));
  EXPECT_FALSE(ReadHar(R"({"log":{}})"));
  auto no_url =
      ReadHar(R"({"log":{"entries":[{"request":{"method":"GET"},"response":{"status":200}}]}})");
  ASSERT_FALSE(no_url);
  EXPECT_NE(no_url.error().Message().find("log.entries[0].request"), std::string::npos);
  auto bad_b64 = ReadHar(
      R"({"log":{"entries":[{"request":{"method":"GET","url":"https://h/"},"response":{"status":200,"content":{"text":"***","encoding":"base64"}}}]}})");
  EXPECT_FALSE(bad_b64);
  auto text_status = ReadHar(
      R"({"log":{"entries":[{"request":{"method":"GET","url":"/"},"response":{"status":"200"}}]}})");
  ASSERT_FALSE(text_status);
  EXPECT_TRUE(text_status.error().Is(Errc::kTranscriptInvalid));
  EXPECT_NE(text_status.error().Message().find("log.entries[0].response.status"),
            std::string::npos);
}

TEST(HarRevisions, TheCanonicalViewRenamesOnlyTheRevisionsOwnProtocolHeaders) {
  Transcript t;
  Exchange x;
  x.request_headers = {{"device-claim", "c"}, {"Mailbox-Device-Claim", "other"}, {"Host", "h"}};
  x.response_headers = {{"Mailbox-Request-ID", "r"}};
  t.exchanges.push_back(x);
  const Transcript v = CanonicalView(t, RevisionOf(Revision::kSct04));
  const Headers& h = v.exchanges[0].request_headers;
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0], (std::pair<std::string, std::string>{"Mailbox-Device-Claim", "c"}));
  EXPECT_EQ(h[1].first, "Mailbox-Device-Claim (http-00)");
  EXPECT_EQ(h[2].first, "Host");
  EXPECT_EQ(v.exchanges[0].response_headers[0].first, "Mailbox-Request-ID");
  EXPECT_EQ(t.exchanges[0].request_headers[0].first, "device-claim") << "the input is untouched";
}

TEST(HarRevisions, SpokenRevisionsAreTheClaimAndAttestationNamesSeenInFirstSeenOrder) {
  Transcript t;
  Exchange a;
  a.request_headers = {{"Mailbox-Request-ID", "r"}, {"Device-Attestation", "x"}};
  Exchange b;
  b.request_headers = {{"Mailbox-Device-Claim", "c"}, {"Device-Claim", "d"}};
  t.exchanges = {a, b};
  const auto spoken = SpokenRevisions(t);
  ASSERT_EQ(spoken.size(), 2u);
  EXPECT_EQ(spoken[0], (std::pair<Revision, std::string>{Revision::kSct04, "Device-Attestation"}));
  EXPECT_EQ(spoken[1],
            (std::pair<Revision, std::string>{Revision::kHttp00, "Mailbox-Device-Claim"}));
  EXPECT_TRUE(SpokenRevisions(Transcript{}).empty());
}

}  // namespace
}  // namespace tigress::harness::har
