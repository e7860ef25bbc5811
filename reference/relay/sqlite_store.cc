#include "reference/relay/sqlite_store.h"

#include <mutex>
#include <vector>

#include <sqlite3.h>

#include "reference/relay/store_group_commit.h"
#include "reference/relay/store_sqlite_db.h"

namespace tigress::relay {
namespace {

using internal::Change;
using internal::MailboxTables;
using internal::RequestRecord;
using internal::SqliteDb;

// How long a connection waits for another process's lock; only the writer
// thread and a reader that meets a WAL recovery ever wait, never under a lock
// shared by all io threads.
constexpr std::chrono::milliseconds kWriterBusy{5000};
constexpr std::chrono::milliseconds kReaderBusy{1000};

// The writer connection's transaction primitives, run by the GroupCommitter.
class WriterTransactions final : public Transactions {
 public:
  explicit WriterTransactions(SqliteDb& db) : db_(db) {}
  Result<void> Begin() override { return Step("BEGIN IMMEDIATE", "begin"); }
  Result<void> Commit() override {
    if (auto r = Step("COMMIT", "commit"); !r) {
      Rollback();  // a busy COMMIT leaves the transaction open
      return r;
    }
    return {};
  }
  void Rollback() override { (void)db_.Exec("ROLLBACK", "rollback"); }
  Result<void> Savepoint() override { return Step("SAVEPOINT op", "savepoint"); }
  void RollbackToSavepoint() override { (void)Step("ROLLBACK TO op", "rollback to savepoint"); }
  Result<void> ReleaseSavepoint() override { return Step("RELEASE op", "release savepoint"); }

 private:
  Result<void> Step(const char* sql, std::string_view what) {
    internal::Statement s = db_.Prepare(sql);
    if (!s.ok() || s.Step() != SQLITE_DONE) return db_.Fail(what);
    return {};
  }
  SqliteDb& db_;
};

int VetoCommit(void* options) {
  auto* o = static_cast<SqliteOptions*>(options);
  return o->fail_commit && o->fail_commit() ? 1 : 0;
}

class SqliteStore final : public MailboxStore {
 public:
  SqliteStore(std::string path, std::unique_ptr<SqliteDb> writer, SqliteOptions options)
      : path_(std::move(path)),
        options_(std::move(options)),
        writer_(std::move(writer)),
        tables_(*writer_),
        transactions_(*writer_),
        committer_(transactions_) {
    if (options_.fail_commit) sqlite3_commit_hook(writer_->handle(), VetoCommit, &options_);
  }

  Result<StoreOutcome> Create(const Mailbox& mailbox, const RequestKey& key,
                              const std::string& response_body) override {
    return Write([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, tables_.LoadRecord(key.claim));
      Change c = internal::DecideCreate(mailbox, key, record, response_body);
      TIGRESS_RETURN_IF_ERROR(
          tables_.Apply(c, mailbox.id, c.outcome.mailbox, key.claim, record, true));
      return c.outcome;
    });
  }

  Result<std::optional<Mailbox>> Get(const std::string& id, SysSeconds now) override {
    return Read([&](MailboxTables& tables) -> Result<std::optional<Mailbox>> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, tables.LoadMailbox(id));
      if (m && now >= m->expiration) m.reset();
      return m;
    });
  }

  Result<StoreOutcome> ReadAndBind(const std::string& id, const std::string& claim, SysSeconds now,
                                   char right,
                                   const std::optional<NotificationToken>& token) override {
    // Most secure reads change nothing (a bound party reading again): decided
    // on committed state they need no writer and no fsync. Only a decision to
    // write goes to the writer, which decides again on the latest state.
    TIGRESS_ASSIGN_OR_RETURN(
        std::optional<StoreOutcome> unchanged,
        Read([&](MailboxTables& tables) -> Result<std::optional<StoreOutcome>> {
          TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, tables.LoadMailbox(id));
          Change c = internal::DecideReadAndBind(m, claim, now, right, token);
          if (c.write_mailbox) return std::optional<StoreOutcome>();
          return std::optional<StoreOutcome>(std::move(c.outcome));
        }));
    if (unchanged) return *std::move(unchanged);
    return Write([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, tables_.LoadMailbox(id));
      Change c = internal::DecideReadAndBind(m, claim, now, right, token);
      std::optional<RequestRecord> none;
      TIGRESS_RETURN_IF_ERROR(tables_.Apply(c, id, m, claim, none, false));
      return c.outcome;
    });
  }

  Result<StoreOutcome> Update(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const Payload& payload,
                              const std::optional<NotificationToken>& token,
                              const std::string& response_body) override {
    return Write([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, tables_.LoadMailbox(id));
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, tables_.LoadRecord(key.claim));
      Change c = internal::DecideUpdate(m, key, record, now, right, payload, token, response_body);
      TIGRESS_RETURN_IF_ERROR(tables_.Apply(c, id, m, key.claim, record, false));
      return c.outcome;
    });
  }

  Result<StoreOutcome> Delete(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const std::string& response_body) override {
    return Write([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, tables_.LoadMailbox(id));
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, tables_.LoadRecord(key.claim));
      Change c = internal::DecideDelete(m, key, record, now, right, response_body);
      TIGRESS_RETURN_IF_ERROR(tables_.Apply(c, id, m, key.claim, record, false));
      return c.outcome;
    });
  }

  Result<StoreOutcome> Relinquish(const std::string& id, const RequestKey& key, SysSeconds now,
                                  const std::string& response_body) override {
    return Write([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, tables_.LoadMailbox(id));
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, tables_.LoadRecord(key.claim));
      Change c = internal::DecideRelinquish(m, key, record, now, response_body);
      TIGRESS_RETURN_IF_ERROR(tables_.Apply(c, id, m, key.claim, record, false));
      return c.outcome;
    });
  }

  Result<std::size_t> SweepExpired(SysSeconds now) override {
    return Write([&] { return tables_.DeleteExpired(now); });
  }

  Result<std::size_t> CountMailboxes() override {
    return Read([](MailboxTables& tables) { return tables.Count(); });
  }

 private:
  // Runs `body` as one operation of a group commit; its value is returned
  // once the commit holding it succeeded.
  template <class F>
  auto Write(F&& body) -> decltype(body()) {
    std::optional<decltype(body())> out;
    Result<void> committed = committer_.Run([&]() -> Result<void> {
      out.emplace(body());
      if (!*out) return out->error();
      return {};
    });
    if (!committed) return committed.error();
    return std::move(*out);
  }

  // Runs `body` on a query-only connection borrowed from the pool.
  template <class F>
  auto Read(F&& body) -> decltype(body(std::declval<MailboxTables&>())) {
    std::unique_ptr<SqliteDb> db;
    {
      std::lock_guard lock(readers_mu_);
      if (!readers_.empty()) {
        db = std::move(readers_.back());
        readers_.pop_back();
      }
    }
    if (!db) {
      auto opened = SqliteDb::Open(path_, SqliteDb::kReader, false, kReaderBusy);
      if (!opened) return opened.error();
      db = std::move(*opened);
    }
    MailboxTables tables(*db);
    auto result = body(tables);
    std::lock_guard lock(readers_mu_);
    readers_.push_back(std::move(db));
    return result;
  }

  std::string path_;
  SqliteOptions options_;
  std::unique_ptr<SqliteDb> writer_;
  MailboxTables tables_;  // over writer_, used only on the writer thread
  WriterTransactions transactions_;
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<SqliteDb>> readers_;
  GroupCommitter committer_;  // last: its thread stops before the rest goes
};

}  // namespace

Result<std::unique_ptr<MailboxStore>> OpenSqliteStore(const std::string& path,
                                                      SqliteOptions options) {
  TIGRESS_ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteDb> writer,
      SqliteDb::Open(path, SqliteDb::kWriter, options.sync == SqliteSync::kFull, kWriterBusy));
  return std::unique_ptr<MailboxStore>(
      std::make_unique<SqliteStore>(path, std::move(writer), std::move(options)));
}

Result<std::unique_ptr<MailboxStore>> OpenSqliteStore(const std::string& path, SqliteSync sync) {
  SqliteOptions options;
  options.sync = sync;
  return OpenSqliteStore(path, std::move(options));
}

}  // namespace tigress::relay
