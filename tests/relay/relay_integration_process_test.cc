#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <signal.h>

#include "tests/relay/relay_integration_fixture.h"

namespace tigress::relay {
namespace {

using namespace integration_test;

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
  for (const char* flag :
       {"--listen", "--tls-cert", "--tls-key", "--public-url", "--data-dir", "--store",
        "--webhook-allow", "--webhook-ca", "--max-body", "--sweep-interval", "--default-ttl",
        "--max-lifetime", "--max-mailboxes-per-claim", "--max-mailboxes", "--max-store-bytes",
        "--max-connections", "--fault"}) {
    EXPECT_THAT(r.second, HasSubstr(flag));
  }
  for (const FaultInfo& f : AllFaults()) EXPECT_THAT(r.second, HasSubstr(std::string(f.name)));
  EXPECT_THAT(r.second, HasSubstr("--quirk"));
  for (const QuirkInfo& q : AllQuirks()) {
    EXPECT_THAT(r.second, HasSubstr(std::string(q.name) + ": "));
    EXPECT_THAT(r.second, HasSubstr(std::string(q.allowed_by)));
  }
}

TEST_F(RelayIntegrationTest, TheStoreBoundsAreFlagsAndABadAllowEntryIsAUsageError) {
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--webhook-allow", "hooks.example"},
        std::vector<std::string>{"--webhook-allow", "https://user@hooks.example/"},
        std::vector<std::string>{"--default-ttl", "7200", "--max-lifetime", "3600"},
        std::vector<std::string>{"--max-mailboxes-per-claim", "0"}}) {
    auto r = ChildProcess::Run(Args(bad)).value();
    EXPECT_EQ(r.first, 2) << bad.front() << " " << bad.back();
    EXPECT_THAT(r.second, HasSubstr(bad.front()));
  }
  auto relay = StartRelay(
      {"--max-mailboxes-per-claim", "1", "--max-lifetime", "7200", "--default-ttl", "3600"});
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string claim = NewUuidV4();
  auto first = client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(claim), CreateBody()).value();
  EXPECT_EQ(first.status, 200);
  auto second = client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(claim), CreateBody()).value();
  EXPECT_EQ(second.status, 429);
  EXPECT_THAT(second.body, HasSubstr("relay.claim_quota"));
  Json far = Json::parse(CreateBody());
  far["mailboxConfiguration"]["expiration"] =
      FormatUtc(std::chrono::system_clock::now() + std::chrono::hours(3));
  auto distant =
      client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), far.dump()).value();
  EXPECT_EQ(distant.status, 400);
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

}  // namespace
}  // namespace tigress::relay
