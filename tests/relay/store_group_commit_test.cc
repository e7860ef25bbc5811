#include "reference/relay/store_group_commit.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tigress::relay {
namespace {

// Records the primitives called; Commit can be held until released, and any
// primitive can be made to fail.
class FakeTransactions : public Transactions {
 public:
  Result<void> Begin() override { return Note("begin", fail_begin); }
  Result<void> Commit() override {
    std::unique_lock lock(mu_);
    ++commits_started;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !hold_commit; });
    log.push_back("commit");
    if (fail_commit) return MakeError(Errc::kStoreFailure, "disk on fire");
    return {};
  }
  void Rollback() override { (void)Note("rollback", false); }
  Result<void> Savepoint() override { return Note("savepoint", false); }
  void RollbackToSavepoint() override { (void)Note("rollback-to", false); }
  Result<void> ReleaseSavepoint() override { return Note("release", false); }

  void WaitForCommitStarted(int n) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return commits_started >= n; });
  }
  void ReleaseCommit() {
    std::lock_guard lock(mu_);
    hold_commit = false;
    changed_.notify_all();
  }
  int Count(const std::string& what) {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::count(log.begin(), log.end(), what));
  }

  bool fail_begin = false;
  bool fail_commit = false;
  bool hold_commit = false;
  int commits_started = 0;
  std::vector<std::string> log;

 private:
  Result<void> Note(const std::string& what, bool fail) {
    std::lock_guard lock(mu_);
    log.push_back(what);
    if (fail) return MakeError(Errc::kStoreFailure, what + " failed");
    return {};
  }
  std::mutex mu_;
  std::condition_variable changed_;
};

Result<void> Ok() { return {}; }

TEST(GroupCommitter, OperationsArrivingDuringACommitShareTheNextTransaction) {
  FakeTransactions tx;
  tx.hold_commit = true;
  GroupCommitter committer(tx);
  std::thread first([&] { EXPECT_TRUE(committer.Run(Ok)); });
  tx.WaitForCommitStarted(1);
  // Eight writers arrive while the first commit is held at its fsync.
  constexpr int kWriters = 8;
  std::atomic<int> queued{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&] {
      EXPECT_TRUE(committer.Run([&]() -> Result<void> {
        ++queued;
        return {};
      }));
    });
  }
  // Let them all reach the queue before the commit returns.
  while (committer.pending() < static_cast<std::size_t>(kWriters))
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  tx.ReleaseCommit();
  first.join();
  for (auto& w : writers) w.join();
  EXPECT_EQ(queued.load(), kWriters);
  EXPECT_EQ(committer.operations(), static_cast<std::size_t>(kWriters + 1));
  EXPECT_EQ(committer.batches(), 2u);
  EXPECT_EQ(tx.Count("commit"), 2);
  EXPECT_EQ(tx.Count("savepoint"), kWriters + 1);
}

TEST(GroupCommitter, FailedCommitReachesEveryOperationOfTheBatchAndNoneSucceeds) {
  FakeTransactions tx;
  tx.fail_commit = true;
  tx.hold_commit = true;
  GroupCommitter committer(tx);
  constexpr int kWriters = 6;
  std::atomic<int> failed{0}, succeeded{0};
  auto write = [&] {
    Result<void> r = committer.Run(Ok);
    if (r) {
      ++succeeded;
    } else if (r.error().Is(Errc::kStoreFailure) &&
               r.error().detail.find("disk on fire") != std::string::npos) {
      ++failed;
    }
  };
  std::vector<std::thread> writers;
  writers.emplace_back(write);
  tx.WaitForCommitStarted(1);
  for (int i = 1; i < kWriters; ++i) writers.emplace_back(write);
  while (committer.pending() < static_cast<std::size_t>(kWriters - 1)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  tx.ReleaseCommit();
  for (auto& w : writers) w.join();
  EXPECT_EQ(succeeded.load(), 0);
  EXPECT_EQ(failed.load(), kWriters);
}

TEST(GroupCommitter, FailingOperationIsRolledBackAloneAndTheOthersCommit) {
  FakeTransactions tx;
  GroupCommitter committer(tx);
  EXPECT_TRUE(committer.Run(Ok));
  Result<void> bad =
      committer.Run([]() -> Result<void> { return MakeError(Errc::kStoreFailure, "row"); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail, "row");
  EXPECT_TRUE(committer.Run(Ok));
  EXPECT_EQ(tx.Count("rollback-to"), 1);
  EXPECT_EQ(tx.Count("rollback"), 0);
  EXPECT_EQ(tx.Count("release"), 3);
}

TEST(GroupCommitter, FailedBeginRunsNoOperation) {
  FakeTransactions tx;
  tx.fail_begin = true;
  GroupCommitter committer(tx);
  bool ran = false;
  Result<void> r = committer.Run([&]() -> Result<void> {
    ran = true;
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kStoreFailure));
  EXPECT_FALSE(ran);
  EXPECT_EQ(tx.Count("commit"), 0);
}

TEST(GroupCommitter, AnExceptionFromAnOperationBecomesItsErrorAndTheWriterGoesOn) {
  FakeTransactions tx;
  GroupCommitter committer(tx);
  Result<void> r = committer.Run([]() -> Result<void> { throw std::runtime_error("boom"); });
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("boom"), std::string::npos);
  EXPECT_TRUE(committer.Run(Ok));
}

}  // namespace
}  // namespace tigress::relay
