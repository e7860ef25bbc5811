// The service over a sqlite store whose commits fail: every request waiting
// on the failed group commit gets a 5xx, never a 2xx.
#include <atomic>
#include <latch>
#include <thread>

#include <gtest/gtest.h>

#include "protocol/encoding.h"
#include "protocol/uuid.h"
#include "reference/relay/relay_service.h"
#include "reference/relay/sqlite_store.h"
#include "tests/support/scratch_dir.h"

namespace tigress::relay {
namespace {

std::string CreateBody() {
  return Json{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", Base64Encode(Bytes(40, 1))}}},
              {"displayInformation",
               {{"title", "Car key"}, {"description", "d"}, {"imageURL", "https://i.test/x"}}},
              {"mailboxConfiguration", {{"accessRights", "RWD"}}}}
      .dump();
}

TEST(RelayServiceOverFailingCommits, EveryConcurrentCreateGetsA5xxAndNoneA2xx) {
  test_support::ScratchDir dir("tigress-store-failure");
  std::atomic<bool> veto{true};
  SqliteOptions store_options;
  store_options.fail_commit = [&] { return veto.load(); };
  auto store = OpenSqliteStore((dir.path() / "relay.sqlite3").string(), store_options).value();
  RelayOptions options;
  options.public_url = "https://relay.test";
  options.log = [](std::string_view) {};
  RelayService service(*store, options);

  constexpr int kClients = 8;
  std::atomic<int> server_errors{0}, successes{0};
  std::latch start(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      HttpRequest request{"POST",
                          "/v1/m",
                          {{"Mailbox-Device-Claim", NewUuidV4()},
                           {"Mailbox-Request-ID", NewUuidV4()},
                           {"Content-Type", "application/json"}},
                          CreateBody()};
      start.arrive_and_wait();
      HttpResponse r = service.Handle(request);
      if (r.status >= 500) ++server_errors;
      if (r.status >= 200 && r.status < 300) ++successes;
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(successes.load(), 0);
  EXPECT_EQ(server_errors.load(), kClients);
  veto = false;
  EXPECT_EQ(store->CountMailboxes().value(), 0u);
}

}  // namespace
}  // namespace tigress::relay
