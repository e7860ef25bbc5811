#include "reference/relay/store_group_commit.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string>

namespace tigress::relay {

struct GroupCommitter::Job {
  Operation op;
  std::optional<Error> error;
  bool finished = false;
};

namespace {

constexpr std::chrono::steady_clock::duration kMaxGather = std::chrono::milliseconds(2);

// An exception must not end the writer thread (and the process with it).
Result<void> RunGuarded(const GroupCommitter::Operation& op) {
  try {
    return op();
  } catch (const std::exception& e) {
    return MakeError(Errc::kStoreFailure, std::string("store operation: ") + e.what());
  }
}

}  // namespace

GroupCommitter::GroupCommitter(Transactions& transactions, std::size_t max_batch)
    : tx_(transactions), max_batch_(max_batch == 0 ? 1 : max_batch) {
  writer_ = std::thread([this] { Loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

Result<void> GroupCommitter::Run(Operation op) {
  Job job;
  job.op = std::move(op);
  std::unique_lock lock(mu_);
  if (stopping_) return MakeError(Errc::kStoreFailure, "store is shutting down");
  queue_.push_back(&job);
  wake_.notify_one();
  done_.wait(lock, [&] { return job.finished; });
  if (job.error) return *job.error;
  return {};
}

std::size_t GroupCommitter::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

std::size_t GroupCommitter::operations() const {
  std::lock_guard lock(mu_);
  return operations_;
}

std::size_t GroupCommitter::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void GroupCommitter::Loop() {
  std::size_t last_batch = 0, queued_after = 0;
  std::chrono::steady_clock::duration last_commit{};
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left to run
    // Under steady load the callers split into two groups that alternate:
    // one waits in the queue while the other's commit runs. The callers of
    // the last batch usually come back within a fraction of a commit, so
    // waiting that long (half the last commit, at most kMaxGather) for them
    // merges both groups into one commit. A lone caller never waits.
    std::size_t expected = std::min(max_batch_, last_batch + queued_after);
    if (queue_.size() < expected) {
      auto window = std::min<std::chrono::steady_clock::duration>(last_commit / 2, kMaxGather);
      wake_.wait_for(lock, window, [&] { return stopping_ || queue_.size() >= expected; });
    }
    std::deque<Job*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    // Callers keep queueing while this batch runs: they form the next one.
    lock.unlock();
    auto started = std::chrono::steady_clock::now();
    RunBatch(batch);
    last_commit = std::chrono::steady_clock::now() - started;
    lock.lock();
    last_batch = batch.size();
    queued_after = queue_.size();
    ++batches_;
    operations_ += batch.size();
    for (Job* job : batch) job->finished = true;
    done_.notify_all();
  }
}

void GroupCommitter::RunBatch(std::deque<Job*>& batch) {
  auto fail_all = [&](const Error& e) {
    for (Job* job : batch) {
      if (!job->error) job->error = e;
    }
  };
  if (auto begun = tx_.Begin(); !begun) return fail_all(begun.error());
  for (Job* job : batch) {
    if (auto sp = tx_.Savepoint(); !sp) {
      tx_.Rollback();
      return fail_all(sp.error());
    }
    Result<void> r = RunGuarded(job->op);
    if (!r) {
      job->error = r.error();
      tx_.RollbackToSavepoint();
    }
    // Released either way: after a rollback-to the savepoint is still open.
    // A connection that cannot release is in an unknown state: drop it all.
    if (auto released = tx_.ReleaseSavepoint(); !released) {
      tx_.Rollback();
      return fail_all(released.error());
    }
  }
  // A failed commit leaves nothing of the batch durable: no success reported.
  if (auto committed = tx_.Commit(); !committed) fail_all(committed.error());
}

}  // namespace tigress::relay
