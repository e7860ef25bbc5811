// File: reference/relay/sqlite_store.h
//
// `SqliteStore`: the durable MailboxStore (`--store sqlite`, the default), one
// SQLite file in the data directory. WAL journal with synchronous=FULL (default), so a
// write the relay acknowledged survives a SIGKILL of the relay (and a power
// loss). Each operation runs in one BEGIN IMMEDIATE transaction on a single
// connection guarded by a mutex, which makes read-and-bind atomic even across
// processes sharing the file.
//
//   auto store = OpenSqliteStore("/var/lib/tigress/relay.sqlite3");
//   if (!store) Die(store.error().Message());
#pragma once

#include <memory>
#include <string>

#include "reference/relay/mailbox_store.h"

namespace tigress::relay {

// How hard a commit waits for the disk. Both survive a SIGKILL of the relay
// (the WAL write reaches the kernel before the commit returns); only kFull
// also survives a power loss, at one fsync per operation.
enum class SqliteSync { kFull, kNormal };

// `OpenSqliteStore` opens (creating if needed) the database file at `path`
// and its schema. Errors: kStoreFailure naming the path and SQLite's message.
Result<std::unique_ptr<MailboxStore>> OpenSqliteStore(const std::string& path,
                                                      SqliteSync sync = SqliteSync::kFull);

}  // namespace tigress::relay
