// File: reference/relay/store_group_commit.h
//
// `GroupCommitter`: one writer thread that runs store operations in batches,
// one transaction (and so one fsync) per batch. An operation submitted while
// a commit is in progress waits in the queue and is committed with the others
// that arrived meanwhile (group commit).
//
// Contract:
//   - `Run(op)` returns only after the transaction holding `op` has committed
//     (then: op's own result) or failed (then: an error). A caller is never
//     told "done" for a write that is not durable.
//   - Operations run one at a time, in arrival order, on the writer thread,
//     each inside its own savepoint: an operation that fails is rolled back
//     alone and gets its own error; the others of its batch are unaffected.
//     Later operations see the effects of earlier ones of the same batch.
//   - Before a batch the writer may wait a little (at most half the last
//     commit's duration, 2 ms at most) for the callers of the previous batch
//     to come back, so that steady load forms one large batch per commit
//     rather than two alternating half-size ones.
//   - When BEGIN or COMMIT fails, every operation of the batch gets that
//     error (kStoreFailure), including those that only read: what they read
//     was never committed.
//   - The destructor runs what is queued, then joins the thread. `Run` after
//     that point is an error.
//
//   GroupCommitter committer(transactions);
//   Result<void> r = committer.Run([&]() -> Result<void> { return WriteRow(); });
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "protocol/result.h"

namespace tigress::relay {

// The transaction primitives of the writer's connection, called only from
// the writer thread.
class Transactions {
 public:
  virtual ~Transactions() = default;
  virtual Result<void> Begin() = 0;
  // On failure the transaction must be left rolled back.
  virtual Result<void> Commit() = 0;
  virtual void Rollback() = 0;
  virtual Result<void> Savepoint() = 0;
  virtual void RollbackToSavepoint() = 0;
  virtual Result<void> ReleaseSavepoint() = 0;
};

class GroupCommitter {
 public:
  using Operation = std::function<Result<void>()>;

  // `max_batch` bounds how many operations share one transaction.
  explicit GroupCommitter(Transactions& transactions, std::size_t max_batch = 256);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // `Run` queues `op` and blocks until its batch is committed; see the
  // contract above. Errors: op's own, or kStoreFailure from the batch.
  Result<void> Run(Operation op);

  // Counters for tests and figures: committed-or-failed batches, operations.
  std::size_t batches() const;
  std::size_t operations() const;
  // Operations waiting for a batch (not yet started).
  std::size_t pending() const;

 private:
  struct Job;
  void Loop();
  void RunBatch(std::deque<Job*>& batch);

  Transactions& tx_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable wake_;  // the writer: work arrived or stop
  std::condition_variable done_;  // the callers: a batch finished
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::size_t batches_ = 0;
  std::size_t operations_ = 0;
  std::thread writer_;
};

}  // namespace tigress::relay
