#include "tests/relay/relay_integration_fixture.h"

namespace tigress::relay {
namespace {

using namespace integration_test;

// ---- Quirks and faults in the transport ----

// Reads one response header section from `c` (bounded); "" if none came.
std::string ReadHead(RawTlsConnection& c) {
  auto r = c.Read(std::chrono::seconds(5), "\r\n\r\n");
  std::size_t end = r.data.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : r.data.substr(0, end + 4);
}

TEST_F(RelayIntegrationTest, HeadOnThePreviewSendsTheHeaderSectionOnly) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  auto created =
      client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
  ASSERT_EQ(created.status, 200);
  std::string path = PathOf(created.body);
  auto get = client.Send("GET", relay->BaseUrl() + path, {}).value();
  ASSERT_EQ(get.status, 200);
  auto head = client.Send("HEAD", relay->BaseUrl() + path, {}).value();
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("Content-Security-Policy"), get.Header("Content-Security-Policy"));
  EXPECT_TRUE(head.body.empty());
  // On the wire: no body octet follows the header section, so the next
  // request on the same connection is answered in step.
  auto raw = RawTlsConnection::Connect(relay->port(), pki_.pki.ca_cert_pem).value();
  ASSERT_TRUE(raw->Write("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string first = ReadHead(*raw);
  EXPECT_THAT(first, HasSubstr("HTTP/1.1 200"));
  EXPECT_EQ(raw->Read(std::chrono::milliseconds(300)).data, "");
  ASSERT_TRUE(raw->Write("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  auto rest = raw->Read(std::chrono::seconds(5));
  EXPECT_EQ(rest.data.rfind("HTTP/1.1 200", 0), 0u) << rest.data.substr(0, 80);
  EXPECT_THAT(rest.data, HasSubstr("og:title"));
}

TEST_F(RelayIntegrationTest, Head405QuirkAndHead500FaultOverTls) {
  for (auto [extra, status] : {std::pair{std::vector<std::string>{"--quirk", "head-405"}, 405L},
                               std::pair{std::vector<std::string>{"--fault", "head-500"}, 500L}}) {
    auto relay = StartRelay(extra);
    ASSERT_TRUE(relay);
    HttpsClient client(pki_.pki.ca_cert_pem);
    auto created =
        client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
    ASSERT_EQ(created.status, 200);
    std::string url = relay->BaseUrl() + PathOf(created.body);
    auto head = client.Send("HEAD", url, {}).value();
    EXPECT_EQ(head.status, status) << extra[1];
    if (status == 405) {
      EXPECT_EQ(head.Header("Allow"), "GET, POST, PUT, DELETE, PATCH");
    }
    EXPECT_EQ(client.Send("GET", url, {}).value().status, 200) << extra[1];
  }
}

// The methods of relay/robust-methods that the relay does not implement.
std::vector<std::string> OddMethods() {
  return {"BREW",  "PROPFIND", "get",    "delete", "put", std::string(3000, 'X'),
          "TRACE", "OPTIONS",  "CONNECT"};
}

TEST_F(RelayIntegrationTest, Method501QuirkAnswersUnimplementedMethodsWith501OverTls) {
  for (bool quirk : {false, true}) {
    auto relay = StartRelay(quirk ? std::vector<std::string>{"--quirk", "method-501"}
                                  : std::vector<std::string>{});
    ASSERT_TRUE(relay);
    HttpsClient client(pki_.pki.ca_cert_pem);
    std::string base = relay->BaseUrl();
    std::string initiator = NewUuidV4();
    auto created = client.Send("POST", base + "/v1/m", Auth(initiator), CreateBody(4)).value();
    ASSERT_EQ(created.status, 200);
    std::string path = PathOf(created.body);
    for (const std::string& m : OddMethods()) {
      std::string label = m.substr(0, 10) + (quirk ? " (quirk)" : "");
      std::string rid = NewUuidV4();
      auto r = client.Send(m, base + path, Auth(initiator, rid), UpdateBody(9));
      ASSERT_TRUE(r) << label << ": " << r.error().Message();
      EXPECT_EQ(r->status, quirk ? 501 : 405) << label;
      EXPECT_EQ(r->Header("Mailbox-Request-ID"), rid) << label;
      EXPECT_THAT(r->body, Not(HasSubstr(initiator))) << label;
      auto elsewhere = client.Send(m, base + "/elsewhere", {});
      ASSERT_TRUE(elsewhere) << label;
      EXPECT_EQ(elsewhere->status, quirk ? 501 : 404) << label;
    }
    // Defined methods on the wrong resource keep their answer; the mailbox is intact.
    EXPECT_EQ(client.Send("GET", base + "/v1/m", {}).value().status, 405);
    auto read = client.Send("POST", base + path, {{"Mailbox-Device-Claim", initiator}}).value();
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(Json::parse(read.body).at("payload").at("data"), Base64Encode(Bytes(40, 4)));
  }
}

// Sends a create whose Content-Length is over the limit, without its body;
// returns the response header section and whether the relay closed within
// `wait` after it.
std::pair<std::string, bool> OversizedCreateWithoutBody(int port, const std::string& ca_pem,
                                                        const std::string& rid,
                                                        std::chrono::milliseconds wait) {
  auto c = RawTlsConnection::Connect(port, ca_pem);
  if (!c) return {"connect failed: " + c.error().Message(), false};
  std::string head = "POST /v1/m HTTP/1.1\r\nHost: x\r\nMailbox-Device-Claim: " + NewUuidV4() +
                     "\r\nMailbox-Request-ID: " + rid +
                     "\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n";
  if (!(*c)->Write(head)) return {"write failed", false};
  auto response = (*c)->Read(std::chrono::seconds(5), "body_too_large");
  auto after = (*c)->Read(wait);
  return {response.data, response.closed || after.closed};
}

TEST_F(RelayIntegrationTest, OversizedBodyIsDrainedByDefaultButEarly413CloseClosesAtOnce) {
  auto draining = StartRelay({"--max-body", "65536"});
  ASSERT_TRUE(draining);
  std::string rid = NewUuidV4();
  auto [response, closed] = OversizedCreateWithoutBody(draining->port(), pki_.pki.ca_cert_pem, rid,
                                                       std::chrono::milliseconds(1000));
  EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response;
  EXPECT_THAT(response, HasSubstr("Mailbox-Request-ID: " + rid));
  EXPECT_FALSE(closed) << "the default relay waits for the body to drain it";

  auto early = StartRelay({"--max-body", "65536", "--quirk", "early-413-close"});
  ASSERT_TRUE(early);
  rid = NewUuidV4();
  auto start = std::chrono::steady_clock::now();
  auto [early_response, early_closed] = OversizedCreateWithoutBody(
      early->port(), pki_.pki.ca_cert_pem, rid, std::chrono::milliseconds(3000));
  EXPECT_EQ(early_response.rfind("HTTP/1.1 413", 0), 0u) << early_response;
  EXPECT_THAT(early_response, HasSubstr("Mailbox-Request-ID: " + rid));
  EXPECT_THAT(early_response, HasSubstr("Connection: close"));
  EXPECT_TRUE(early_closed) << "closed without waiting for the body";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // The relay goes on serving new connections.
  HttpsClient client(pki_.pki.ca_cert_pem);
  EXPECT_EQ(client.Send("POST", early->BaseUrl() + "/v1/m", Auth(NewUuidV4()), CreateBody())
                .value()
                .status,
            200);
}

// Sends a GET of an unknown mailbox with `lines` extra header lines of
// `size` octets each over raw TLS (libcurl stalls on header sections this
// large) and returns the status line, or "" if none came.
std::string GetWithBigHeaders(int port, const std::string& ca_pem, int lines, std::size_t size) {
  auto c = RawTlsConnection::Connect(port, ca_pem);
  if (!c) return "";
  std::string request = "GET /v1/m/" + NewUuidV4() + " HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < lines; ++i) {
    request += "X-Big-" + std::to_string(i) + ": " + std::string(size, 'a') + "\r\n";
  }
  request += "Connection: close\r\n\r\n";
  if (!(*c)->Write(request, std::chrono::seconds(10))) return "";
  std::string head = ReadHead(**c);
  return head.substr(0, head.find("\r\n"));
}

TEST_F(RelayIntegrationTest, A431ReachesAClientThatIsStillSendingItsHeaders) {
  // 256 KiB of header lines: the relay answers at 16 KiB while the rest is
  // still arriving; closing on unread data would reset the connection and
  // lose the answer (relay/robust-headers saw "no response").
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(GetWithBigHeaders(relay->port(), pki_.pki.ca_cert_pem, 64, 4096),
              "HTTP/1.1 431 Request Header Fields Too Large")
        << "attempt " << i;
  }
}

TEST_F(RelayIntegrationTest, LargeHeadersQuirkAcceptsHeaderSectionsUpTo1MiB) {
  const std::string& ca = pki_.pki.ca_cert_pem;
  auto strict = StartRelay();
  ASSERT_TRUE(strict);
  EXPECT_EQ(GetWithBigHeaders(strict->port(), ca, 1, 20000),
            "HTTP/1.1 431 Request Header Fields Too Large");

  auto relay = StartRelay({"--quirk", "large-headers"});
  ASSERT_TRUE(relay);
  EXPECT_EQ(GetWithBigHeaders(relay->port(), ca, 1, 20000), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(GetWithBigHeaders(relay->port(), ca, 15, 60000), "HTTP/1.1 404 Not Found");  // 900 KB
  EXPECT_EQ(GetWithBigHeaders(relay->port(), ca, 18, 60000),
            "HTTP/1.1 431 Request Header Fields Too Large");  // over 1 MiB
  // One line longer than the parser can hold is refused, not a crash.
  EXPECT_EQ(GetWithBigHeaders(relay->port(), ca, 1, 65533), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(GetWithBigHeaders(relay->port(), ca, 1, 65534),
            "HTTP/1.1 431 Request Header Fields Too Large");
  HttpsClient client(ca);
  EXPECT_EQ(client.Send("GET", relay->BaseUrl() + "/v1/m/" + NewUuidV4(), {}).value().status, 404);
}

}  // namespace
}  // namespace tigress::relay
