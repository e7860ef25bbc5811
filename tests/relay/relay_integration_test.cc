// Integration tests: the real tigress-relay binary over TLS on loopback, with
// the project's HTTP client trusting only the test PKI's CA.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <latch>
#include <mutex>
#include <poll.h>
#include <signal.h>
#include <thread>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/http_client.h"
#include "protocol/messages.h"
#include "protocol/rfc3339.h"
#include "protocol/uuid.h"
#include "reference/relay/https_server.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/tls_clients.h"
#include "tests/support/wait_for.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::relay {
namespace {

using test_support::ChildProcess;
using test_support::HttpsClient;
using test_support::PkiFiles;
using test_support::RawTlsConnection;
using test_support::ScratchDir;
using test_support::WaitFor;
using ::testing::HasSubstr;
using ::testing::Not;
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string kRelayBin = std::string(TIGRESS_BIN_DIR) + "/tigress-relay";

Headers Auth(const std::string& claim, const std::string& rid = NewUuidV4()) {
  return {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", rid}};
}

std::string CreateBody(std::uint8_t fill = 1, std::optional<Json> token = std::nullopt) {
  Json j{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", Base64Encode(Bytes(40, fill))}}},
         {"displayInformation",
          {{"title", "Hotel room 12"},
           {"description", "From Bob"},
           {"imageURL", "https://i.test/k.png"}}},
         {"mailboxConfiguration",
          {{"accessRights", "RWD"},
           {"expiration", FormatUtc(std::chrono::system_clock::now() + std::chrono::hours(1))}}}};
  if (token) j["notificationToken"] = *token;
  return j.dump();
}

std::string UpdateBody(std::uint8_t fill, std::optional<Json> token = std::nullopt) {
  Json j{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", Base64Encode(Bytes(40, fill))}}}};
  if (token) j["notificationToken"] = *token;
  return j.dump();
}

class RelayIntegrationTest : public ::testing::Test {
 public:
  void SetUp() override { pki_ = PkiFiles::Write(dir_.path()).value(); }

  std::vector<std::string> Args(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{kRelayBin,
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--tls-cert",
                                  pki_.cert,
                                  "--tls-key",
                                  pki_.key,
                                  "--public-url",
                                  "https://localhost:8443",
                                  "--data-dir",
                                  (dir_.path() / "data").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::unique_ptr<ChildProcess> StartRelay(const std::vector<std::string>& extra = {}) {
    auto relay = ChildProcess::StartAndWaitReady(Args(extra), dir_.path() / "relay.stderr");
    EXPECT_TRUE(relay) << (relay ? "" : relay.error().Message());
    return relay ? std::move(*relay) : nullptr;
  }
  std::string Stderr() {
    std::ifstream in(dir_.path() / "relay.stderr");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // "/v1/m/<id>" of a urlLink.
  static std::string PathOf(const std::string& create_body) {
    std::string url = Json::parse(create_body).at("urlLink").get<std::string>();
    return url.substr(url.find("/v1/m/"));
  }

  ScratchDir dir_{"tigress-relay"};
  PkiFiles pki_;
};

TEST_F(RelayIntegrationTest, FullShareFlowOverTls) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string base = relay->BaseUrl();
  std::string initiator = NewUuidV4(), recipient = NewUuidV4();

  auto created = client.Send("POST", base + "/v1/m", Auth(initiator), CreateBody(1)).value();
  ASSERT_EQ(created.status, 200) << created.body;
  std::string url = Json::parse(created.body).at("urlLink").get<std::string>();
  EXPECT_EQ(url.rfind("https://localhost:8443/v1/m/", 0), 0u);
  std::string path = PathOf(created.body);

  auto preview = client.Send("GET", base + path + "?v=h", {}).value();
  EXPECT_EQ(preview.status, 200);
  EXPECT_THAT(preview.body, HasSubstr("og:title\" content=\"Hotel room 12\""));
  EXPECT_THAT(preview.Header("Content-Security-Policy").value_or(""),
              HasSubstr("default-src 'none'"));

  auto read = client.Send("POST", base + path, {{"Mailbox-Device-Claim", recipient}}).value();
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(Json::parse(read.body).at("payload").at("data"), Base64Encode(Bytes(40, 1)));

  std::string rid = NewUuidV4();
  EXPECT_EQ(client.Send("PUT", base + path, Auth(recipient, rid), UpdateBody(2)).value().status,
            200);
  auto dup = client.Send("PUT", base + path, Auth(recipient, rid), UpdateBody(3)).value();
  EXPECT_EQ(dup.status, 201);
  EXPECT_EQ(dup.Header("Mailbox-Request-ID"), rid);
  auto back = client.Send("POST", base + path, {{"Mailbox-Device-Claim", initiator}}).value();
  EXPECT_EQ(Json::parse(back.body).at("payload").at("data"), Base64Encode(Bytes(40, 2)));
  EXPECT_EQ(
      client.Send("POST", base + path, {{"Mailbox-Device-Claim", NewUuidV4()}}).value().status,
      401);
  EXPECT_EQ(client.Send("DELETE", base + path, Auth(recipient)).value().status, 200);
  EXPECT_EQ(client.Send("GET", base + path, {}).value().status, 404);

  // The log has one line per request, with short ids only.
  relay->Signal(SIGTERM);
  EXPECT_EQ(relay->WaitExit().value(), 0);
  std::string log = Stderr();
  EXPECT_THAT(log, HasSubstr("PUT " + path.substr(6, 8) + " 201"));
  EXPECT_THAT(log, Not(HasSubstr(path.substr(6))));
  EXPECT_THAT(log, Not(HasSubstr(initiator)));
  EXPECT_THAT(log, Not(HasSubstr(recipient)));
  EXPECT_THAT(log, Not(HasSubstr(Base64Encode(Bytes(40, 2)))));
}

TEST_F(RelayIntegrationTest, ClientTrustingAnotherCaCannotConnect) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  pki::TestPki other = pki::MakeTestPki().value();
  HttpsClient stranger(other.ca_cert_pem);
  EXPECT_FALSE(stranger.Send("GET", relay->BaseUrl() + "/v1/m/" + NewUuidV4(), {}));
  HttpsClient trusting(pki_.pki.ca_cert_pem);
  EXPECT_EQ(trusting.Send("GET", relay->BaseUrl() + "/v1/m/" + NewUuidV4(), {}).value().status,
            404);
}

// Sends `request` in plaintext and returns whatever comes back (bounded).
std::string RawExchange(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    (void)!write(fd, request.data(), request.size());
    for (;;) {
      pollfd pfd{fd, POLLIN, 0};
      if (poll(&pfd, 1, 5000) <= 0) break;
      char buf[4096];
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      reply.append(buf, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  return reply;
}

TEST_F(RelayIntegrationTest, PlainHttpIsRefusedAndNothingIsProcessed) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  std::string body = CreateBody();
  std::string request =
      "POST /v1/m HTTP/1.1\r\nHost: localhost\r\nMailbox-Device-Claim: " + NewUuidV4() +
      "\r\nMailbox-Request-ID: " + NewUuidV4() +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  std::string reply = RawExchange(relay->port(), request);
  EXPECT_THAT(reply, Not(HasSubstr("HTTP/1.1")));
  EXPECT_THAT(reply, Not(HasSubstr("urlLink")));
  relay->Signal(SIGTERM);
  ASSERT_EQ(relay->WaitExit().value(), 0);
  EXPECT_THAT(Stderr(), Not(HasSubstr("relay: POST")));  // no request reached the service
  EXPECT_THAT(Stderr(), HasSubstr("tls handshake refused"));
}

TEST_F(RelayIntegrationTest, PlainHttpFaultServesPlaintextSoTheCheckAboveCanFail) {
  auto relay = StartRelay({"--fault", "plain-http"});
  ASSERT_TRUE(relay);
  std::string reply =
      RawExchange(relay->port(),
                  "GET /v1/m/" + NewUuidV4() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(reply, HasSubstr("HTTP/1.1 404"));
}

// Connects, sends `prefix`, then stays silent; returns how long the relay
// took to close the connection (bounded by `limit`).
std::chrono::milliseconds SilentClientCutOffAfter(int port, const std::string& prefix,
                                                  std::chrono::milliseconds limit) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  auto start = std::chrono::steady_clock::now();
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    if (!prefix.empty()) (void)!write(fd, prefix.data(), prefix.size());
    for (;;) {
      auto left = limit - std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start);
      if (left.count() <= 0) break;
      pollfd pfd{fd, POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[512];
      if (read(fd, buf, sizeof buf) <= 0) break;  // closed by the relay
    }
  }
  close(fd);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

TEST_F(RelayIntegrationTest, SilentClientIsCutOffByTheHandshakeTimeout) {
  auto relay = StartRelay({"--handshake-timeout", "1"});
  ASSERT_TRUE(relay);
  auto took = SilentClientCutOffAfter(relay->port(), "", std::chrono::seconds(8));
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_GE(took, std::chrono::milliseconds(900));
}

TEST_F(RelayIntegrationTest, SlowRequestIsCutOffByTheIdleTimeout) {
  auto relay = StartRelay({"--idle-timeout", "1", "--fault", "plain-http"});
  ASSERT_TRUE(relay);
  // Half a request line, then nothing (a slowloris): the read deadline ends it.
  auto took = SilentClientCutOffAfter(relay->port(), "POST /v1/m HTTP/1.1\r\nHost: x\r\n",
                                      std::chrono::seconds(8));
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(RelayIntegrationTest, ListensOnIpv6Loopback) {
  int probe = socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  bool has_v6 = probe >= 0 && bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (probe >= 0) close(probe);
  if (!has_v6) GTEST_SKIP() << "no IPv6 loopback on this machine";
  std::vector<std::string> args = Args();
  args[2] = "[::1]:0";
  auto relay = ChildProcess::StartAndWaitReady(args, dir_.path() / "relay.stderr");
  ASSERT_TRUE(relay) << relay.error().Message();
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string base = "https://[::1]:" + std::to_string((*relay)->port());
  auto created = client.Send("POST", base + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
  EXPECT_EQ(created.status, 200);
  EXPECT_EQ(client.Send("GET", base + PathOf(created.body), {}).value().status, 200);
}

// Tries one GET over TLS 1.1 at most (the client offers the legacy versions
// and ciphers, so only the server can refuse); returns whether a response came back.
bool Tls11Works(const std::string& url, const std::string& ca_pem) {
  http::Client client({.trust = {.ca_pem = ca_pem}});
  return client.Send({.url = url, .tls_max = "1.1"}).has_value();
}

TEST_F(RelayIntegrationTest, TlsBelow12IsRefused) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  std::string url = relay->BaseUrl() + "/v1/m/" + NewUuidV4();
  EXPECT_FALSE(Tls11Works(url, pki_.pki.ca_cert_pem));
  // The same client gets through to a relay with the allow-tls10 fault, so the
  // check above fails on a relay that accepts old TLS.
  auto weak = StartRelay({"--fault", "allow-tls10"});
  ASSERT_TRUE(weak);
  EXPECT_TRUE(Tls11Works(weak->BaseUrl() + "/v1/m/" + NewUuidV4(), pki_.pki.ca_cert_pem));
}

TEST_F(RelayIntegrationTest, OversizedBodyGets413AndTheConnectionStaysUsableForANewOne) {
  auto relay = StartRelay({"--max-body", "65536"});
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string rid = NewUuidV4();
  auto r =
      client
          .Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4(), rid), std::string(70000, 'x'))
          .value();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Header("Mailbox-Request-ID"), rid);
  auto ok =
      client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
  EXPECT_EQ(ok.status, 200);
}

TEST_F(RelayIntegrationTest, OversizedHeadersAreRefused) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  auto r = client.Send("GET", relay->BaseUrl() + "/v1/m/" + NewUuidV4(),
                       {{"X-Big", std::string(20000, 'a')}});
  ASSERT_TRUE(r) << r.error().Message();
  EXPECT_TRUE(r->status == 431 || r->status == 400) << r->status;
}

TEST_F(RelayIntegrationTest, SixtyFourRacingFirstReadsBindExactlyOneClaim) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  std::string base = relay->BaseUrl();
  HttpsClient creator(pki_.pki.ca_cert_pem);
  auto created = creator.Send("POST", base + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
  ASSERT_EQ(created.status, 200);
  std::string path = PathOf(created.body);

  constexpr int kClients = 64;
  std::vector<std::unique_ptr<HttpsClient>> clients;
  for (int i = 0; i < kClients; ++i)
    clients.push_back(std::make_unique<HttpsClient>(pki_.pki.ca_cert_pem));
  // Warm every connection (TLS handshake) on a preview first, so the reads
  // themselves start together.
  for (auto& c : clients) ASSERT_EQ(c->Send("GET", base + path, {}).value().status, 200);
  std::latch start(kClients);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      std::string claim = NewUuidV4();
      start.arrive_and_wait();
      auto r = clients[static_cast<std::size_t>(i)]->Send("POST", base + path,
                                                          {{"Mailbox-Device-Claim", claim}});
      if (r && r->status == 200) {
        ++ok;
      } else if (r && r->status == 401) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), kClients - 1);
  EXPECT_EQ(other.load(), 0);
}

// Kills the relay (started with `extra`) with SIGKILL while a writer is
// creating mailboxes, restarts it on the same data dir and checks that every
// acknowledged mailbox, binding and request-ID record is still there.
void CheckSigkillLosesNothing(RelayIntegrationTest& t, const std::vector<std::string>& extra) {
  auto relay = t.StartRelay(extra);
  ASSERT_TRUE(relay);
  std::string base = relay->BaseUrl();
  HttpsClient client(t.pki_.pki.ca_cert_pem);
  // A bound mailbox with a recorded update, acknowledged before the kill.
  std::string initiator = NewUuidV4(), recipient = NewUuidV4(), rid = NewUuidV4();
  auto created = client.Send("POST", base + "/v1/m", Auth(initiator), CreateBody()).value();
  ASSERT_EQ(created.status, 200);
  std::string path = RelayIntegrationTest::PathOf(created.body);
  ASSERT_EQ(client.Send("POST", base + path, {{"Mailbox-Device-Claim", recipient}}).value().status,
            200);
  ASSERT_EQ(client.Send("PUT", base + path, Auth(recipient, rid), UpdateBody(5)).value().status,
            200);

  // A writer keeps creating mailboxes while the relay is killed under it.
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> acknowledged;  // (claim+rid key, path)
  std::atomic<bool> stop{false};
  std::atomic<int> count{0};
  std::condition_variable enough;
  std::thread writer([&] {
    HttpsClient w(t.pki_.pki.ca_cert_pem);
    while (!stop) {
      std::string claim = NewUuidV4();
      auto r = w.Send("POST", base + "/v1/m", Auth(claim), CreateBody(7));
      if (!r || r->status != 200) break;
      std::lock_guard lock(mu);
      acknowledged.emplace_back(claim, RelayIntegrationTest::PathOf(r->body));
      if (++count >= 40) enough.notify_one();
    }
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(enough.wait_for(lock, std::chrono::seconds(20), [&] { return count >= 40; }));
  }
  relay->Signal(SIGKILL);
  EXPECT_EQ(relay->WaitExit().value(), 128 + SIGKILL);
  stop = true;
  writer.join();

  auto restarted = t.StartRelay(extra);
  ASSERT_TRUE(restarted);
  base = restarted->BaseUrl();
  HttpsClient after(t.pki_.pki.ca_cert_pem);
  for (const auto& [claim, p] : acknowledged) {
    ASSERT_EQ(after.Send("GET", base + p, {}).value().status, 200)
        << "lost acknowledged mailbox " << p;
  }
  EXPECT_GE(acknowledged.size(), 40u);
  // Binding survived: a third claim is refused, the recipient still reads the update.
  EXPECT_EQ(after.Send("POST", base + path, {{"Mailbox-Device-Claim", NewUuidV4()}}).value().status,
            401);
  auto read = after.Send("POST", base + path, {{"Mailbox-Device-Claim", recipient}}).value();
  EXPECT_EQ(Json::parse(read.body).at("payload").at("data"), Base64Encode(Bytes(40, 5)));
  // The request-ID record survived: the retry is a duplicate.
  EXPECT_EQ(after.Send("PUT", base + path, Auth(recipient, rid), UpdateBody(6)).value().status,
            201);
}

TEST_F(RelayIntegrationTest, SigkillMidRunLosesNoAcknowledgedRecord) {
  CheckSigkillLosesNothing(*this, {});
}

TEST_F(RelayIntegrationTest, SigkillWithSynchronousNormalLosesNoAcknowledgedRecordEither) {
  CheckSigkillLosesNothing(*this, {"--sqlite-sync", "normal"});
}

TEST_F(RelayIntegrationTest, MemoryStoreForgetsEverythingOnRestart) {
  // The control for the test above: the same check catches a store that is not durable.
  auto relay = StartRelay({"--store", "memory"});
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  auto created =
      client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
  ASSERT_EQ(created.status, 200);
  relay->Signal(SIGKILL);
  ASSERT_TRUE(relay->WaitExit());
  auto restarted = StartRelay({"--store", "memory"});
  ASSERT_TRUE(restarted);
  EXPECT_EQ(client.Send("GET", restarted->BaseUrl() + PathOf(created.body), {}).value().status,
            404);
}

// A webhook receiver: an in-process HTTPS server with the same PKI.
class Receiver {
 public:
  explicit Receiver(const pki::TestPki& pki) {
    ServerOptions options;
    options.cert_chain_pem = pki.server_cert_pem;
    options.key_pem = pki.server_key_pem;
    options.threads = 1;
    options.log = [](std::string_view) {};
    server_ = HttpsServer::Start(options, [this](const HttpRequest& r) {
                {
                  std::lock_guard lock(mu_);
                  calls_.push_back(r);
                }
                cv_.notify_all();
                return HttpResponse{204, {}, {}};
              }).value();
  }
  std::string Url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  [[nodiscard]] ::testing::AssertionResult WaitForCalls(std::size_t n,
                                                        std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, timeout, [&] { return calls_.size() >= n; }))
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "waited for " << n << " webhook call(s), got " << calls_.size();
  }
  std::vector<HttpRequest> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<HttpRequest> calls_;
  std::unique_ptr<HttpsServer> server_;
};

TEST_F(RelayIntegrationTest, UpdateByRecipientPushesAnEmptyPostToTheInitiatorsWebhook) {
  Receiver receiver(pki_.pki);
  auto relay = StartRelay({"--webhook-allow", receiver.Url("/push/"), "--webhook-ca", pki_.ca});
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string base = relay->BaseUrl();
  std::string initiator = NewUuidV4(), recipient = NewUuidV4();
  Json init_token{{"type", "webhook"}, {"tokenData", receiver.Url("/push/initiator-7f3a")}};
  auto created =
      client.Send("POST", base + "/v1/m", Auth(initiator), CreateBody(1, init_token)).value();
  ASSERT_EQ(created.status, 200);
  EXPECT_TRUE(Json::parse(created.body).at("isPushNotificationSupported").get<bool>());
  std::string path = PathOf(created.body);
  ASSERT_EQ(client.Send("POST", base + path, {{"Mailbox-Device-Claim", recipient}}).value().status,
            200);
  Json rec_token{{"type", "webhook"}, {"tokenData", receiver.Url("/push/recipient-19bc")}};
  auto updated = client.Send("PUT", base + path, Auth(recipient), UpdateBody(2, rec_token)).value();
  ASSERT_EQ(updated.status, 200);
  EXPECT_TRUE(Json::parse(updated.body).at("isPushNotificationSupported").get<bool>());

  ASSERT_TRUE(receiver.WaitForCalls(1, std::chrono::seconds(10)));
  std::vector<HttpRequest> calls = receiver.Calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "POST");
  EXPECT_EQ(calls[0].target, "/push/initiator-7f3a");
  EXPECT_TRUE(calls[0].body.empty());
  std::string all_headers;
  for (const auto& [k, v] : calls[0].headers) all_headers += k + ": " + v + "\n";
  EXPECT_THAT(all_headers, Not(HasSubstr(path.substr(6, 8))));

  // A token outside the allowed prefixes gets no push support.
  Json evil{{"type", "webhook"}, {"tokenData", "https://127.0.0.1:1/elsewhere"}};
  auto refused =
      client.Send("POST", base + "/v1/m", Auth(NewUuidV4()), CreateBody(1, evil)).value();
  EXPECT_FALSE(Json::parse(refused.body).at("isPushNotificationSupported").get<bool>());
}

TEST_F(RelayIntegrationTest, UnknownFlagExitsWith2AndNamesIt) {
  auto r = ChildProcess::Run(Args({"--no-such-flag"})).value();
  EXPECT_EQ(r.first, 2);
  EXPECT_THAT(r.second, HasSubstr("--no-such-flag"));
  auto bad_fault = ChildProcess::Run(Args({"--fault", "nope"})).value();
  EXPECT_EQ(bad_fault.first, 2);
  EXPECT_THAT(bad_fault.second, HasSubstr("unknown fault 'nope'"));
  auto missing_cert = ChildProcess::Run({kRelayBin, "--listen", "127.0.0.1:0", "--tls-cert",
                                         "/nonexistent.pem", "--tls-key", pki_.key, "--public-url",
                                         "https://x", "--data-dir", dir_.path().string()})
                          .value();
  EXPECT_EQ(missing_cert.first, 2);
  EXPECT_THAT(missing_cert.second, HasSubstr("--tls-cert"));
}

TEST_F(RelayIntegrationTest, HelpListsEveryFlagAndFault) {
  auto r = ChildProcess::Run({kRelayBin, "--help"}).value();
  EXPECT_EQ(r.first, 0);
  for (const char* flag : {"--listen", "--tls-cert", "--tls-key", "--public-url", "--data-dir",
                           "--store", "--webhook-allow", "--webhook-ca", "--max-body",
                           "--sweep-interval", "--default-ttl", "--fault"}) {
    EXPECT_THAT(r.second, HasSubstr(flag));
  }
  for (const FaultInfo& f : AllFaults()) EXPECT_THAT(r.second, HasSubstr(std::string(f.name)));
  EXPECT_THAT(r.second, HasSubstr("--quirk"));
  for (const QuirkInfo& q : AllQuirks()) {
    EXPECT_THAT(r.second, HasSubstr(std::string(q.name) + ": "));
    EXPECT_THAT(r.second, HasSubstr(std::string(q.allowed_by)));
  }
}

TEST_F(RelayIntegrationTest, UnknownQuirkExitsWith2AndKnownOnesAreAnnounced) {
  auto bad = ChildProcess::Run(Args({"--quirk", "nope"})).value();
  EXPECT_EQ(bad.first, 2);
  EXPECT_THAT(bad.second, HasSubstr("unknown quirk 'nope'"));
  auto relay = StartRelay({"--quirk", "head-405", "--quirk", "trailing-slash"});
  ASSERT_TRUE(relay);
  relay->Signal(SIGTERM);
  ASSERT_EQ(relay->WaitExit().value(), 0);
  EXPECT_THAT(Stderr(), HasSubstr("QUIRK ENABLED: head-405"));
  EXPECT_THAT(Stderr(), HasSubstr("QUIRK ENABLED: trailing-slash"));
  EXPECT_THAT(Stderr(), Not(HasSubstr("DELIBERATE FAULT")));
}

TEST_F(RelayIntegrationTest, ListenOnPortZeroBindsAnOsChosenPortAndReadyPrintsIt) {
  auto first = StartRelay();
  ASSERT_TRUE(first);
  auto second = StartRelay({"--store", "memory"});
  ASSERT_TRUE(second);
  EXPECT_GT(first->port(), 0);
  EXPECT_NE(first->port(), second->port());
  EXPECT_EQ(first->ready_line(), "READY " + std::to_string(first->port()));
  EXPECT_EQ(second->ready_line(), "READY " + std::to_string(second->port()));
  // The printed port is the one that serves.
  HttpsClient client(pki_.pki.ca_cert_pem);
  for (ChildProcess* relay : {first.get(), second.get()}) {
    auto r = client.Send("GET", relay->BaseUrl() + "/v1/m/" + NewUuidV4(), {});
    ASSERT_TRUE(r) << r.error().Message();
    EXPECT_EQ(r->status, 404);
  }
}

// ---- How requests reach the service ----

TEST_F(RelayIntegrationTest, DuplicateHeaderLinesReachTheHandlerAsSeparateEntries) {
  std::mutex mu;
  std::vector<HttpRequest> seen;
  ServerOptions options;
  options.cert_chain_pem = pki_.pki.server_cert_pem;
  options.key_pem = pki_.pki.server_key_pem;
  options.threads = 1;
  options.log = [](std::string_view) {};
  auto server = HttpsServer::Start(options, [&](const HttpRequest& r) {
                  std::lock_guard lock(mu);
                  seen.push_back(r);
                  return HttpResponse{204, {}, {}};
                }).value();
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string url = "https://127.0.0.1:" + std::to_string(server->port()) + "/v1/m/x";
  auto r = client.Send("POST", url,
                       {{"Mailbox-Device-Claim", "first"},
                        {"X-Between", "1"},
                        {"mailbox-device-claim", "second"},
                        {"Mailbox-Device-Claim", "third, fourth"}});
  ASSERT_TRUE(r) << r.error().Message();
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 1u);
  std::vector<std::string> claims;
  std::vector<std::string> names;
  for (const auto& [k, v] : seen[0].headers) {
    names.push_back(k);
    if (FindHeader({{k, v}}, "Mailbox-Device-Claim")) claims.push_back(v);
  }
  // Never joined: one entry per line, values in arrival order (a comma in a
  // value stays inside it); Beast keeps the repeated lines together.
  EXPECT_EQ(claims, (std::vector<std::string>{"first", "second", "third, fourth"}));
  auto first = std::find(names.begin(), names.end(), "Mailbox-Device-Claim");
  ASSERT_NE(first, names.end());
  EXPECT_EQ(*(first + 1), "mailbox-device-claim");
  EXPECT_EQ(*(first + 3), "X-Between");
}

TEST_F(RelayIntegrationTest, DuplicateClaimLinesAreRefusedUnlessTheFaultIsOn) {
  for (bool faulty : {false, true}) {
    auto relay = StartRelay(faulty ? std::vector<std::string>{"--fault", "duplicate-claim-any"}
                                   : std::vector<std::string>{});
    ASSERT_TRUE(relay);
    HttpsClient client(pki_.pki.ca_cert_pem);
    std::string base = relay->BaseUrl();
    auto created = client.Send("POST", base + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
    ASSERT_EQ(created.status, 200);
    std::string path = PathOf(created.body);
    std::string recipient = NewUuidV4(), stranger = NewUuidV4();
    ASSERT_EQ(
        client.Send("POST", base + path, {{"Mailbox-Device-Claim", recipient}}).value().status,
        200);
    auto r = client.Send("POST", base + path,
                         {{"Mailbox-Device-Claim", stranger}, {"Mailbox-Device-Claim", recipient}});
    ASSERT_TRUE(r) << r.error().Message();
    EXPECT_EQ(r->status, faulty ? 200 : 400) << "fault " << faulty;
    EXPECT_EQ(client.Send("POST", base + path, {{"Mailbox-Device-Claim", stranger}}).value().status,
              401);
  }
}

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

TEST_F(RelayIntegrationTest, SweeperDeletesExpiredMailboxes) {
  auto relay = StartRelay({"--sweep-interval", "1"});
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  Json body = Json::parse(CreateBody());
  body["mailboxConfiguration"]["expiration"] =
      FormatUtc(std::chrono::system_clock::now() + std::chrono::seconds(2));
  auto created =
      client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), body.dump()).value();
  ASSERT_EQ(created.status, 200);
  // Wait (bounded) for the sweeper's log line rather than sleeping.
  EXPECT_TRUE(WaitFor([&] { return Stderr().find("swept 1 expired") != std::string::npos; },
                      std::chrono::seconds(10), "the sweeper's log line"))
      << Stderr();
  EXPECT_EQ(client.Send("GET", relay->BaseUrl() + PathOf(created.body), {}).value().status, 404);
}

}  // namespace
}  // namespace tigress::relay
