#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <signal.h>
#include <thread>

#include "tests/relay/relay_integration_fixture.h"

namespace tigress::relay {
namespace {

using namespace integration_test;

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

// Group commit keeps "a 2xx only after the commit": eight writers create at
// once (their writes share commits); the relay is SIGKILLed the moment one of
// them receives a 200. A fresh relay on the same data dir has every mailbox
// any writer was told about, and no writer saw anything but 200 before the
// kill.
TEST_F(RelayIntegrationTest, SigkillRightAfterA2xxAmidConcurrentWritersLosesNoAcknowledgedCreate) {
  auto relay = StartRelay();
  ASSERT_TRUE(relay);
  std::string base = relay->BaseUrl();
  constexpr int kWriters = 8;
  std::mutex mu;
  std::vector<std::string> acknowledged;  // paths
  std::atomic<int> refused{0}, total{0};
  std::atomic<bool> killed{false};
  std::latch start(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&] {
      HttpsClient w(pki_.pki.ca_cert_pem);
      (void)w.Send("GET", base + "/v1/m/" + NewUuidV4(), {});  // handshake first
      start.arrive_and_wait();
      while (!killed) {
        auto r = w.Send("POST", base + "/v1/m", Auth(NewUuidV4()), CreateBody(3));
        if (!r) break;  // the relay is gone
        if (r->status != 200) {
          ++refused;
          break;
        }
        std::lock_guard lock(mu);
        acknowledged.push_back(PathOf(r->body));
        // The kill follows this 2xx at once, while other writes are in flight.
        if (++total == 60 && !killed.exchange(true)) relay->Signal(SIGKILL);
      }
    });
  }
  for (auto& t : writers) t.join();
  ASSERT_TRUE(killed.load()) << "the writers stopped before 60 creates";
  EXPECT_EQ(relay->WaitExit().value(), 128 + SIGKILL);
  EXPECT_EQ(refused.load(), 0);

  auto restarted = StartRelay();
  ASSERT_TRUE(restarted);
  HttpsClient after(pki_.pki.ca_cert_pem);
  for (const std::string& p : acknowledged) {
    ASSERT_EQ(after.Send("GET", restarted->BaseUrl() + p, {}).value().status, 200)
        << "lost acknowledged mailbox " << p;
  }
  EXPECT_GE(acknowledged.size(), 60u);
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
