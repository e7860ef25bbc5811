#include "reference/relay/mailbox_store.h"

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "protocol/uuid.h"
#include "reference/relay/memory_store.h"
#include "reference/relay/sqlite_store.h"
#include "reference/relay/store_sqlite_db.h"
#include "tests/support/scratch_dir.h"

namespace tigress::relay {
namespace {

using namespace std::chrono_literals;

const SysSeconds kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28};

Mailbox MakeMailbox(const std::string& initiator, std::string rights = "RWD") {
  Mailbox m;
  m.id = NewUuidV4();
  m.initiator_claim = initiator;
  m.payload = Payload{"AEAD_AES_256_GCM", "ZGF0YQ=="};
  m.display = DisplayInformation{"t", "d", "https://i"};
  m.access_rights = std::move(rights);
  m.expiration = kNow + 1h;
  m.initiator_token = NotificationToken{"webhook", "https://push.test/a"};
  return m;
}

class MailboxStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { store_ = Open(); }
  std::unique_ptr<MailboxStore> Open() {
    if (GetParam() == "memory") return MakeMemoryStore();
    return OpenSqliteStore((dir_.path() / "store.sqlite3").string()).value();
  }
  test_support::ScratchDir dir_{"tigress-store"};
  std::unique_ptr<MailboxStore> store_;
  std::string initiator_ = NewUuidV4();
};

INSTANTIATE_TEST_SUITE_P(Stores, MailboxStoreTest, ::testing::Values("memory", "sqlite"));

TEST_P(MailboxStoreTest, CreateThenGetReturnsEveryField) {
  Mailbox m = MakeMailbox(initiator_);
  StoreOutcome out = store_->Create(m, {initiator_, NewUuidV4()}, "{}").value();
  EXPECT_EQ(out.status, StoreStatus::kOk);
  std::optional<Mailbox> got = store_->Get(m.id, kNow).value();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, m);
}

TEST_P(MailboxStoreTest, GetHidesAMailboxFromItsExpirationOn) {
  Mailbox m = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, "").value().status == StoreStatus::kOk);
  EXPECT_TRUE(store_->Get(m.id, m.expiration - 1s).value());
  EXPECT_FALSE(store_->Get(m.id, m.expiration).value());
  EXPECT_EQ(store_->ReadAndBind(m.id, initiator_, m.expiration, 'R', std::nullopt).value().status,
            StoreStatus::kNotFound);
}

TEST_P(MailboxStoreTest, DuplicateCreateReturnsTheRecordedBodyAndInsertsNothing) {
  std::string rid = NewUuidV4();
  Mailbox a = MakeMailbox(initiator_);
  ASSERT_EQ(store_->Create(a, {initiator_, rid}, "original").value().status, StoreStatus::kOk);
  StoreOutcome dup = store_->Create(MakeMailbox(initiator_), {initiator_, rid}, "second").value();
  EXPECT_EQ(dup.status, StoreStatus::kDuplicate);
  EXPECT_EQ(dup.recorded_body, "original");
  EXPECT_EQ(store_->CountMailboxes().value(), 1u);
}

TEST_P(MailboxStoreTest, IdCollisionIsAStoreFailure) {
  Mailbox a = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(a, {initiator_, std::nullopt}, ""));
  auto again = store_->Create(a, {NewUuidV4(), std::nullopt}, "");
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().Is(Errc::kStoreFailure));
}

TEST_P(MailboxStoreTest, ReadAndBindBindsOnlyTheFirstNewClaim) {
  Mailbox m = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, ""));
  StoreOutcome own = store_->ReadAndBind(m.id, initiator_, kNow, 'R', std::nullopt).value();
  EXPECT_EQ(own.status, StoreStatus::kOk);
  EXPECT_FALSE(own.newly_bound);
  std::string first = NewUuidV4();
  StoreOutcome bound = store_->ReadAndBind(m.id, first, kNow, 'R', std::nullopt).value();
  EXPECT_TRUE(bound.newly_bound);
  EXPECT_EQ(bound.party, Party::kRecipient);
  EXPECT_EQ(store_->ReadAndBind(m.id, NewUuidV4(), kNow, 'R', std::nullopt).value().status,
            StoreStatus::kUnauthorized);
  EXPECT_EQ(store_->Get(m.id, kNow).value()->recipient_claim, first);
}

TEST_P(MailboxStoreTest, ConcurrentFirstReadsBindExactlyOneClaim) {
  Mailbox m = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, ""));
  constexpr int kThreads = 16;
  std::latch start(kThreads);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      std::string claim = NewUuidV4();
      start.arrive_and_wait();
      auto r = store_->ReadAndBind(m.id, claim, kNow, 'R', std::nullopt);
      if (r && r->status == StoreStatus::kOk) {
        ++ok;
      } else if (r && r->status == StoreStatus::kUnauthorized) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
}

TEST_P(MailboxStoreTest, UpdateChecksNotFoundThenDuplicateThenAuthorisation) {
  Mailbox m = MakeMailbox(initiator_, "RD");
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, ""));
  Payload p{"AEAD_AES_128_GCM", "bmV3"};
  EXPECT_EQ(
      store_->Update(NewUuidV4(), {initiator_, "x"}, kNow, 'W', p, std::nullopt, "").value().status,
      StoreStatus::kNotFound);
  EXPECT_EQ(store_->Update(m.id, {initiator_, "x"}, kNow, 'W', p, std::nullopt, "").value().status,
            StoreStatus::kUnauthorized);  // no W
  StoreOutcome ok =
      store_->Update(m.id, {initiator_, "x"}, kNow, kNoRightCheck, p, std::nullopt, "b").value();
  EXPECT_EQ(ok.status, StoreStatus::kOk);
  EXPECT_EQ(store_->Update(m.id, {initiator_, "x"}, kNow, 'W', p, std::nullopt, "").value().status,
            StoreStatus::kDuplicate);
  EXPECT_EQ(store_->Get(m.id, kNow).value()->payload, p);
}

TEST_P(MailboxStoreTest, UpdateStoresTheWritersTokenOnly) {
  Mailbox m = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, ""));
  std::string recipient = NewUuidV4();
  ASSERT_TRUE(store_->ReadAndBind(m.id, recipient, kNow, 'R', std::nullopt));
  NotificationToken t{"webhook", "https://push.test/r"};
  StoreOutcome out = store_->Update(m.id, {recipient, "y"}, kNow, 'W', m.payload, t, "").value();
  EXPECT_EQ(out.party, Party::kRecipient);
  EXPECT_EQ(out.mailbox->recipient_token, t);
  EXPECT_EQ(out.mailbox->initiator_token, m.initiator_token);
}

TEST_P(MailboxStoreTest, RelinquishOnlyByTheBoundRecipient) {
  Mailbox m = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, ""));
  std::string recipient = NewUuidV4();
  EXPECT_EQ(store_->Relinquish(m.id, {recipient, "r1"}, kNow, "").value().status,
            StoreStatus::kUnauthorized);
  ASSERT_TRUE(store_->ReadAndBind(m.id, recipient, kNow, 'R', std::nullopt));
  EXPECT_EQ(store_->Relinquish(m.id, {initiator_, "r2"}, kNow, "").value().status,
            StoreStatus::kUnauthorized);
  EXPECT_EQ(store_->Relinquish(m.id, {recipient, "r3"}, kNow, "").value().status, StoreStatus::kOk);
  EXPECT_FALSE(store_->Get(m.id, kNow).value()->recipient_claim);
  EXPECT_EQ(store_->Relinquish(m.id, {recipient, "r3"}, kNow, "").value().status,
            StoreStatus::kDuplicate);
}

TEST_P(MailboxStoreTest, DeleteRemovesAndASecondDeleteFindsNothing) {
  Mailbox m = MakeMailbox(initiator_);
  ASSERT_TRUE(store_->Create(m, {initiator_, std::nullopt}, ""));
  EXPECT_EQ(store_->Delete(m.id, {NewUuidV4(), "d"}, kNow, 'D', "").value().status,
            StoreStatus::kUnauthorized);
  EXPECT_EQ(store_->Delete(m.id, {initiator_, "d"}, kNow, 'D', "").value().status,
            StoreStatus::kOk);
  EXPECT_EQ(store_->Delete(m.id, {initiator_, "d"}, kNow, 'D', "").value().status,
            StoreStatus::kNotFound);
  EXPECT_EQ(store_->CountMailboxes().value(), 0u);
}

TEST_P(MailboxStoreTest, SweepRemovesOnlyExpiredMailboxes) {
  Mailbox early = MakeMailbox(initiator_);
  Mailbox late = MakeMailbox(NewUuidV4());
  late.expiration = kNow + 2h;
  ASSERT_TRUE(store_->Create(early, {initiator_, "e"}, ""));
  ASSERT_TRUE(store_->Create(late, {late.initiator_claim, "l"}, ""));
  EXPECT_EQ(store_->SweepExpired(kNow + 1h).value(), 1u);
  EXPECT_FALSE(store_->Get(early.id, kNow).value());
  EXPECT_TRUE(store_->Get(late.id, kNow).value());
  // The swept mailbox's request record went with it: the same key creates anew.
  EXPECT_EQ(store_->Create(MakeMailbox(initiator_), {initiator_, "e"}, "").value().status,
            StoreStatus::kOk);
}

TEST(SqliteStore, AcknowledgedStateSurvivesReopen) {
  test_support::ScratchDir dir("tigress-store");
  std::string path = (dir.path() / "s.sqlite3").string();
  std::string initiator = NewUuidV4(), recipient = NewUuidV4();
  Mailbox m = MakeMailbox(initiator);
  {
    auto store = OpenSqliteStore(path).value();
    ASSERT_TRUE(store->Create(m, {initiator, "c1"}, "body"));
    ASSERT_TRUE(store->ReadAndBind(m.id, recipient, kNow, 'R', std::nullopt));
    ASSERT_TRUE(store->Update(m.id, {recipient, "u1"}, kNow, 'W',
                              Payload{"AEAD_AES_128_GCM", "eA=="}, std::nullopt, ""));
  }
  auto store = OpenSqliteStore(path).value();
  std::optional<Mailbox> got = store->Get(m.id, kNow).value();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->recipient_claim, recipient);
  EXPECT_EQ(got->payload.data, "eA==");
  EXPECT_EQ(store->Create(MakeMailbox(initiator), {initiator, "c1"}, "").value().recorded_body,
            "body");
  EXPECT_EQ(
      store->Update(m.id, {recipient, "u1"}, kNow, 'W', m.payload, std::nullopt, "").value().status,
      StoreStatus::kDuplicate);
}

TEST(SqliteStore, DatabaseFileIsReadableByItsOwnerOnly) {
  test_support::ScratchDir dir("tigress-store");
  auto path = dir.path() / "s.sqlite3";
  auto store = OpenSqliteStore(path.string()).value();
  auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(SqliteStore, UnwritablePathIsAStoreFailureNamingThePath) {
  auto store = OpenSqliteStore("/nonexistent-dir/x/relay.sqlite3");
  ASSERT_FALSE(store);
  EXPECT_TRUE(store.error().Is(Errc::kStoreFailure));
  EXPECT_NE(store.error().detail.find("/nonexistent-dir/x/relay.sqlite3"), std::string::npos);
}

TEST(SqliteStore, JournalModeOtherThanWalIsAnErrorNamingTheFile) {
  // An in-memory database answers "memory" to PRAGMA journal_mode=WAL.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  Result<void> r = internal::RequireWalJournal(db, "/data/relay.sqlite3");
  sqlite3_close(db);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kStoreFailure));
  EXPECT_NE(r.error().detail.find("/data/relay.sqlite3"), std::string::npos) << r.error().detail;
  EXPECT_NE(r.error().detail.find("'memory'"), std::string::npos) << r.error().detail;
}

TEST(SqliteStore, OpenedFileIsInWalMode) {
  test_support::ScratchDir dir("tigress-store");
  std::string path = (dir.path() / "s.sqlite3").string();
  ASSERT_TRUE(OpenSqliteStore(path));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_TRUE(internal::RequireWalJournal(db, path));  // already WAL: answers "wal"
  sqlite3_close(db);
}

// Many threads writing at once: every write succeeds and is visible.
TEST(SqliteStore, ConcurrentWritersAllSucceed) {
  test_support::ScratchDir dir("tigress-store");
  auto store = OpenSqliteStore((dir.path() / "s.sqlite3").string()).value();
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::atomic<int> failures{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kEach; ++i) {
        std::string claim = NewUuidV4();
        Mailbox m = MakeMailbox(claim);
        auto created = store->Create(m, {claim, NewUuidV4()}, "{}");
        auto bound = store->ReadAndBind(m.id, NewUuidV4(), kNow, 'R', std::nullopt);
        if (!created || created->status != StoreStatus::kOk || !bound || !bound->newly_bound) {
          ++failures;
        }
        ids[static_cast<std::size_t>(t)].push_back(m.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store->CountMailboxes().value(), static_cast<std::size_t>(kThreads * kEach));
  for (const auto& per : ids) {
    for (const std::string& id : per) {
      auto got = store->Get(id, kNow).value();
      ASSERT_TRUE(got) << id;
      EXPECT_TRUE(got->recipient_claim);
    }
  }
}

// A commit that fails (here vetoed through SQLite's commit hook, as a failing
// disk would fail it) fails every write waiting on it, and keeps none of them.
TEST(SqliteStore, FailedCommitFailsEveryWaitingWriteAndKeepsNothing) {
  test_support::ScratchDir dir("tigress-store");
  std::atomic<bool> veto{false};
  SqliteOptions options;
  options.fail_commit = [&] { return veto.load(); };
  auto store = OpenSqliteStore((dir.path() / "s.sqlite3").string(), options).value();
  Mailbox kept = MakeMailbox(NewUuidV4());
  ASSERT_EQ(store->Create(kept, {kept.initiator_claim, "k"}, "").value().status, StoreStatus::kOk);
  veto = true;
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, store_failures{0};
  std::vector<std::string> ids(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Mailbox m = MakeMailbox(NewUuidV4());
      ids[static_cast<std::size_t>(t)] = m.id;
      start.arrive_and_wait();
      auto r = store->Create(m, {m.initiator_claim, NewUuidV4()}, "");
      if (r) {
        ++ok;
      } else if (r.error().Is(Errc::kStoreFailure)) {
        ++store_failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 0);
  EXPECT_EQ(store_failures.load(), kThreads);
  // A secure read that would bind is a write: it fails too, and binds nobody.
  EXPECT_FALSE(store->ReadAndBind(kept.id, NewUuidV4(), kNow, 'R', std::nullopt));
  // A read that changes nothing needs no commit and still answers.
  auto initiator_read = store->ReadAndBind(kept.id, kept.initiator_claim, kNow, 'R', std::nullopt);
  ASSERT_TRUE(initiator_read);
  EXPECT_EQ(initiator_read->status, StoreStatus::kOk);
  veto = false;
  for (const std::string& id : ids) EXPECT_FALSE(store->Get(id, kNow).value()) << id;
  EXPECT_EQ(store->CountMailboxes().value(), 1u);
  EXPECT_FALSE(store->Get(kept.id, kNow).value()->recipient_claim);
}

}  // namespace
}  // namespace tigress::relay
