// File: reference/relay/sqlite_store.h
//
// `SqliteStore`: the durable MailboxStore (`--store sqlite`, the default), one
// SQLite file in the data directory, WAL journal (required: opening fails if
// SQLite cannot switch the file to WAL) with synchronous=FULL by default.
//
// Writes (create, read-and-bind when it binds or stores a token, update,
// delete, relinquish, sweep) run on one writer thread, one connection, in
// group commits (store_group_commit.h): the operations that arrive while a
// commit is in progress are committed together in the next transaction, one
// fsync for all of them, each operation in its own savepoint. An operation
// returns only after its transaction committed, so a write the relay
// acknowledged survives a SIGKILL of the relay (and, with kFull, a power
// loss); when a commit fails every operation of that batch gets the error.
// BEGIN IMMEDIATE keeps read-and-bind atomic even across processes sharing
// the file. Reads (get, count, and a secure read that changes nothing) use a
// pool of query-only connections and see committed state only, so they
// never wait for an fsync.
//
//   auto store = OpenSqliteStore("/var/lib/tigress/relay.sqlite3");
//   if (!store) Die(store.error().Message());
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "reference/relay/mailbox_store.h"

namespace tigress::relay {

// How hard a commit waits for the disk. Both survive a SIGKILL of the relay
// (the WAL write reaches the kernel before the commit returns); only kFull
// also survives a power loss, at one fsync per group commit.
enum class SqliteSync { kFull, kNormal };

struct SqliteOptions {
  SqliteSync sync = SqliteSync::kFull;
  // Tests only: when set and it returns true, SQLite turns the commit into a
  // rollback (sqlite3_commit_hook), the way a failing disk would fail it.
  std::function<bool()> fail_commit;
};

// `OpenSqliteStore` opens (creating if needed) the database file at `path`
// and its schema. Errors: kStoreFailure naming the path and SQLite's message,
// or the journal mode obtained when it is not WAL.
Result<std::unique_ptr<MailboxStore>> OpenSqliteStore(const std::string& path,
                                                      SqliteOptions options);
Result<std::unique_ptr<MailboxStore>> OpenSqliteStore(const std::string& path,
                                                      SqliteSync sync = SqliteSync::kFull);

}  // namespace tigress::relay
