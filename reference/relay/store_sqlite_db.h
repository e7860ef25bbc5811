// File: reference/relay/store_sqlite_db.h
//
// The SQLite plumbing under SqliteStore (sqlite_store.h): a connection with a
// cache of prepared statements, and the mailbox tables read and written
// through it. Not thread-safe: each connection is used by one thread at a
// time (the store's writer thread, or one reader borrowed from a pool).
//
//   auto db = SqliteDb::Open(path, SqliteDb::kWriter).value();
//   MailboxTables tables(*db);
//   auto m = tables.LoadMailbox(id);
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "reference/relay/mailbox_store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tigress::relay::internal {

// `RequireWalJournal` switches `db` to the WAL journal and checks the mode
// SQLite reports back: SQLite answers with the mode actually in force (an
// in-memory database stays "memory", some file systems cannot do WAL), and
// the store's durability argument holds only for "wal". Errors:
// kStoreFailure naming `path` and the mode obtained.
Result<void> RequireWalJournal(sqlite3* db, const std::string& path);

class SqliteDb;

// A prepared statement borrowed from a connection's cache; reset and
// cleared when it goes out of scope so the next user starts clean.
class Statement {
 public:
  Statement(SqliteDb& db, sqlite3_stmt* stmt, int prepare_rc);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  void Bind(int i, const std::string& s);
  void Bind(int i, const std::optional<std::string>& s);
  void Bind(int i, std::int64_t v);
  int Step();
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::int64_t Int(int col) const;
  std::string Error() const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  enum Role { kWriter, kReader };

  // `Open` opens (creating if `role` is kWriter) the database at `path`.
  // Writer: WAL is required (RequireWalJournal), `sync` is applied, the
  // file is made 0600 and `busy` is how long to wait for another process's
  // write lock. Reader: query-only. Errors: kStoreFailure naming `path`.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, Role role, bool full_sync,
                                                std::chrono::milliseconds busy);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // `Prepare` returns the cached statement for `sql` (prepared on first use).
  Statement Prepare(const std::string& sql);
  // `Exec` runs statements without results. Errors: kStoreFailure with `what`.
  Result<void> Exec(const char* sql, std::string_view what);
  int Changes() const;
  Error Fail(std::string_view what) const;
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// The rows of the two tables (mailboxes, request_records) as the store's types.
class MailboxTables {
 public:
  explicit MailboxTables(SqliteDb& db) : db_(db) {}

  Result<std::optional<Mailbox>> LoadMailbox(const std::string& id);
  Result<std::optional<RequestRecord>> LoadRecord(const std::string& claim);
  // `Apply` persists what a Decide* function decided (`insert`: the mailbox
  // must be new, so an id collision is an error).
  Result<void> Apply(const Change& c, const std::string& id, const std::optional<Mailbox>& m,
                     const std::string& claim, const std::optional<RequestRecord>& record,
                     bool insert);
  Result<std::size_t> DeleteExpired(SysSeconds now);
  Result<std::size_t> Count();

 private:
  Result<void> WriteMailbox(const Mailbox& m, bool insert);
  SqliteDb& db_;
};

}  // namespace tigress::relay::internal
