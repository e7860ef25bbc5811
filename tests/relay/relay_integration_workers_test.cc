// The server runs the service off its io threads (security review, issue 15):
// with one io thread and a store whose create blocks, another connection is
// still served. In-process plaintext server on loopback; every wait is
// bounded.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <poll.h>
#include <string>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reference/relay/https_server.h"
#include "reference/relay/memory_store.h"
#include "reference/relay/relay_service.h"
#include "tests/relay/raw_client.h"
#include "tests/relay/relay_integration_fixture.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace tigress::relay::worker_pool_test {

using namespace std::chrono_literals;

// A memory store whose Create waits, before touching anything, until
// Release; every other operation goes straight through.
class GatedCreateStore : public MailboxStore {
 public:
  Result<StoreOutcome> Create(const Mailbox& mailbox, const RequestKey& key,
                              const std::string& response_body) override {
    {
      std::unique_lock lock(mu_);
      entered_ = true;
      cv_.notify_all();
      // Bounded: a test that never releases still ends.
      cv_.wait_for(lock, 30s, [this] { return released_; });
    }
    return inner_->Create(mailbox, key, response_body);
  }
  Result<std::optional<Mailbox>> Get(const std::string& id, SysSeconds now) override {
    return inner_->Get(id, now);
  }
  Result<StoreOutcome> ReadAndBind(const std::string& id, const std::string& claim, SysSeconds now,
                                   char right,
                                   const std::optional<NotificationToken>& token) override {
    return inner_->ReadAndBind(id, claim, now, right, token);
  }
  Result<StoreOutcome> Update(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const Payload& payload,
                              const std::optional<NotificationToken>& token,
                              const std::string& response_body) override {
    return inner_->Update(id, key, now, right, payload, token, response_body);
  }
  Result<StoreOutcome> Delete(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const std::string& response_body) override {
    return inner_->Delete(id, key, now, right, response_body);
  }
  Result<StoreOutcome> Relinquish(const std::string& id, const RequestKey& key, SysSeconds now,
                                  const std::string& response_body) override {
    return inner_->Relinquish(id, key, now, response_body);
  }
  Result<std::size_t> SweepExpired(SysSeconds now) override { return inner_->SweepExpired(now); }
  Result<std::size_t> CountMailboxes() override { return inner_->CountMailboxes(); }

  bool WaitEntered(std::chrono::milliseconds within) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, within, [this] { return entered_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::unique_ptr<MailboxStore> inner_ = MakeMemoryStore();
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool released_ = false;
};

// Releases the store on scope exit, so that a failed assertion does not leave
// Stop waiting for a worker parked in Create.
struct ReleaseOnExit {
  GatedCreateStore& store;
  ~ReleaseOnExit() { store.Release(); }
};

using integration_test::RawClient;

std::string CreateRequest() {
  std::string body = integration_test::CreateBody();
  return "POST /v1/m HTTP/1.1\r\nHost: relay.test\r\nMailbox-Device-Claim: " + NewUuidV4() +
         "\r\nMailbox-Request-ID: " + NewUuidV4() +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

TEST(RelayServerWorkers, AConnectionIsServedWhileAnotherRequestIsBlockedInTheStore) {
  GatedCreateStore store;
  RelayOptions relay_options;
  relay_options.public_url = "https://relay.test";
  relay_options.log = [](std::string_view) {};
  RelayService relay(store, relay_options);
  ServerOptions options;
  options.tls = false;
  options.threads = 1;
  options.log = [](std::string_view) {};
  auto server =
      HttpsServer::Start(options, [&relay](const HttpRequest& r) { return relay.Handle(r); });
  ASSERT_TRUE(server) << server.error().Message();
  ReleaseOnExit release{store};

  RawClient creator((*server)->port());
  ASSERT_TRUE(creator.connected());
  ASSERT_TRUE(creator.Send(CreateRequest()));
  ASSERT_TRUE(store.WaitEntered(5000ms)) << "the create never reached the store";

  RawClient reader((*server)->port());
  ASSERT_TRUE(reader.connected());
  ASSERT_TRUE(reader.Send("GET /v1/m/" + NewUuidV4() + " HTTP/1.1\r\nHost: relay.test\r\n\r\n"));
  EXPECT_THAT(reader.Receive(5000ms), ::testing::StartsWith("HTTP/1.1 404"))
      << "the preview waited for the create blocked in the store";

  EXPECT_EQ(creator.Receive(0ms), "") << "answered before its commit";
  store.Release();
  EXPECT_THAT(creator.Receive(5000ms), ::testing::StartsWith("HTTP/1.1 200"));
}

}  // namespace tigress::relay::worker_pool_test
