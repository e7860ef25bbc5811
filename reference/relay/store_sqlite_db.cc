#include "reference/relay/store_sqlite_db.h"

#include <sqlite3.h>

#include <sys/stat.h>

namespace tigress::relay::internal {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS mailboxes (
  id TEXT PRIMARY KEY,
  initiator_claim TEXT NOT NULL,
  recipient_claim TEXT,
  payload_type TEXT NOT NULL,
  payload_data TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  image_url TEXT NOT NULL,
  access_rights TEXT NOT NULL,
  expiration INTEGER NOT NULL,
  initiator_token_type TEXT,
  initiator_token_data TEXT,
  recipient_token_type TEXT,
  recipient_token_data TEXT
);
CREATE INDEX IF NOT EXISTS mailboxes_expiration ON mailboxes(expiration);
CREATE TABLE IF NOT EXISTS request_records (
  claim TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  mailbox_id TEXT NOT NULL,
  body TEXT NOT NULL
);
)sql";

constexpr const char* kMailboxColumns =
    "id, initiator_claim, recipient_claim, payload_type, payload_data, title, description, "
    "image_url, access_rights, expiration, initiator_token_type, initiator_token_data, "
    "recipient_token_type, recipient_token_data";
constexpr const char* kMailboxValues =
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

const std::string kSelectMailbox =
    std::string("SELECT ") + kMailboxColumns + " FROM mailboxes WHERE id = ?1";
const std::string kInsertMailbox =
    std::string("INSERT INTO mailboxes (") + kMailboxColumns + ")" + kMailboxValues;
const std::string kReplaceMailbox =
    std::string("INSERT OR REPLACE INTO mailboxes (") + kMailboxColumns + ")" + kMailboxValues;

std::optional<NotificationToken> Token(const std::optional<std::string>& type,
                                       const std::optional<std::string>& data) {
  if (!type || !data) return std::nullopt;
  return NotificationToken{*type, *data};
}

std::optional<std::string> TokenPart(const std::optional<NotificationToken>& t, bool data) {
  if (!t) return std::nullopt;
  return data ? t->token_data : t->type;
}

std::int64_t Seconds(SysSeconds t) {
  return static_cast<std::int64_t>(t.time_since_epoch().count());
}

Error OpenError(const std::string& path, const std::string& what) {
  return MakeError(Errc::kStoreFailure, "sqlite open " + path + ": " + what);
}

}  // namespace

Result<void> RequireWalJournal(sqlite3* db, const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr) != SQLITE_OK) {
    return OpenError(path, std::string("PRAGMA journal_mode=WAL: ") + sqlite3_errmsg(db));
  }
  int rc = sqlite3_step(stmt);
  std::string mode;
  if (rc == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(stmt, 0);
    if (t != nullptr) mode = reinterpret_cast<const char*>(t);
  }
  std::string message = rc == SQLITE_ROW ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) return OpenError(path, "PRAGMA journal_mode=WAL: " + message);
  if (mode != "wal") {
    return OpenError(path, "journal mode is '" + mode +
                               "' after PRAGMA journal_mode=WAL (WAL is required for the "
                               "durability of acknowledged writes)");
  }
  return {};
}

Statement::Statement(SqliteDb& db, sqlite3_stmt* stmt, int prepare_rc)
    : db_(db), stmt_(prepare_rc == SQLITE_OK ? stmt : nullptr) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::Bind(int i, const std::string& s) {
  sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

void Statement::Bind(int i, const std::optional<std::string>& s) {
  if (s) {
    Bind(i, *s);
  } else {
    sqlite3_bind_null(stmt_, i);
  }
}

void Statement::Bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

int Statement::Step() { return sqlite3_step(stmt_); }

std::string Statement::Text(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return t == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(n));
}

std::optional<std::string> Statement::OptText(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return Text(col);
}

std::int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::Error() const { return sqlite3_errmsg(db_.handle()); }

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, Role role, bool full_sync,
                                                 std::chrono::milliseconds busy) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is only ever used by one thread at a time.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == kWriter) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK)
    return OpenError(path, raw != nullptr ? sqlite3_errmsg(raw) : "out of memory");
  sqlite3_busy_timeout(raw, static_cast<int>(busy.count()));
  if (role == kReader) {
    TIGRESS_RETURN_IF_ERROR(db->Exec("PRAGMA query_only=1", "open reader " + path));
    return db;
  }
  // Device claims act as bearer secrets: the file (and the -wal/-shm files,
  // which SQLite creates with the same mode) is for the relay's user only.
  if (chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    return OpenError(path, "cannot restrict permissions to 0600");
  }
  TIGRESS_RETURN_IF_ERROR(RequireWalJournal(raw, path));
  const char* sync = full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  TIGRESS_RETURN_IF_ERROR(db->Exec(sync, std::string(sync) + " on " + path));
  TIGRESS_RETURN_IF_ERROR(db->Exec(kSchema, "schema on " + path));
  return db;
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement SqliteDb::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Statement(*this, it->second, SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Statement(*this, nullptr, rc);
  }
  cache_.emplace(sql, stmt);
  return Statement(*this, stmt, rc);
}

Result<void> SqliteDb::Exec(const char* sql, std::string_view what) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return Fail(what);
  return {};
}

int SqliteDb::Changes() const { return sqlite3_changes(db_); }

Error SqliteDb::Fail(std::string_view what) const {
  return MakeError(Errc::kStoreFailure,
                   "sqlite " + std::string(what) + ": " + std::string(sqlite3_errmsg(db_)));
}

Result<std::optional<Mailbox>> MailboxTables::LoadMailbox(const std::string& id) {
  Statement s = db_.Prepare(kSelectMailbox);
  if (!s.ok()) return db_.Fail("load mailbox: prepare");
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Mailbox>();
  if (rc != SQLITE_ROW) return db_.Fail("load mailbox");
  Mailbox m;
  m.id = s.Text(0);
  m.initiator_claim = s.Text(1);
  m.recipient_claim = s.OptText(2);
  m.payload = Payload{s.Text(3), s.Text(4)};
  m.display = DisplayInformation{s.Text(5), s.Text(6), s.Text(7)};
  m.access_rights = s.Text(8);
  m.expiration = SysSeconds(std::chrono::seconds(s.Int(9)));
  m.initiator_token = Token(s.OptText(10), s.OptText(11));
  m.recipient_token = Token(s.OptText(12), s.OptText(13));
  return std::optional<Mailbox>(std::move(m));
}

Result<std::optional<RequestRecord>> MailboxTables::LoadRecord(const std::string& claim) {
  Statement s =
      db_.Prepare("SELECT request_id, mailbox_id, body FROM request_records WHERE claim = ?1");
  if (!s.ok()) return db_.Fail("load record: prepare");
  s.Bind(1, claim);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<RequestRecord>();
  if (rc != SQLITE_ROW) return db_.Fail("load record");
  return std::optional<RequestRecord>(RequestRecord{s.Text(0), s.Text(1), s.Text(2)});
}

Result<void> MailboxTables::WriteMailbox(const Mailbox& m, bool insert) {
  Statement s = db_.Prepare(insert ? kInsertMailbox : kReplaceMailbox);
  if (!s.ok()) return db_.Fail("write mailbox: prepare");
  s.Bind(1, m.id);
  s.Bind(2, m.initiator_claim);
  s.Bind(3, m.recipient_claim);
  s.Bind(4, m.payload.type);
  s.Bind(5, m.payload.data);
  s.Bind(6, m.display.title);
  s.Bind(7, m.display.description);
  s.Bind(8, m.display.image_url);
  s.Bind(9, m.access_rights);
  s.Bind(10, Seconds(m.expiration));
  s.Bind(11, TokenPart(m.initiator_token, false));
  s.Bind(12, TokenPart(m.initiator_token, true));
  s.Bind(13, TokenPart(m.recipient_token, false));
  s.Bind(14, TokenPart(m.recipient_token, true));
  if (s.Step() != SQLITE_DONE) return db_.Fail("write mailbox");
  return {};
}

Result<void> MailboxTables::Apply(const Change& c, const std::string& id,
                                  const std::optional<Mailbox>& m, const std::string& claim,
                                  const std::optional<RequestRecord>& record, bool insert) {
  if (c.delete_mailbox) {
    Statement s = db_.Prepare("DELETE FROM mailboxes WHERE id = ?1");
    if (!s.ok()) return db_.Fail("delete: prepare");
    s.Bind(1, id);
    if (s.Step() != SQLITE_DONE) return db_.Fail("delete");
  }
  if (c.write_mailbox && m) TIGRESS_RETURN_IF_ERROR(WriteMailbox(*m, insert));
  if (c.write_record && record) {
    Statement s = db_.Prepare(
        "INSERT OR REPLACE INTO request_records (claim, request_id, mailbox_id, body) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!s.ok()) return db_.Fail("record: prepare");
    s.Bind(1, claim);
    s.Bind(2, record->request_id);
    s.Bind(3, record->mailbox_id);
    s.Bind(4, record->body);
    if (s.Step() != SQLITE_DONE) return db_.Fail("record");
  }
  return {};
}

Result<std::size_t> MailboxTables::DeleteExpired(SysSeconds now) {
  Statement del = db_.Prepare("DELETE FROM mailboxes WHERE expiration <= ?1");
  if (!del.ok()) return db_.Fail("sweep: prepare");
  del.Bind(1, Seconds(now));
  if (del.Step() != SQLITE_DONE) return db_.Fail("sweep: delete");
  auto removed = static_cast<std::size_t>(db_.Changes());
  Statement orphans =
      db_.Prepare("DELETE FROM request_records WHERE mailbox_id NOT IN (SELECT id FROM mailboxes)");
  if (!orphans.ok() || orphans.Step() != SQLITE_DONE) return db_.Fail("sweep: records");
  return removed;
}

Result<std::size_t> MailboxTables::Count() {
  Statement s = db_.Prepare("SELECT COUNT(*) FROM mailboxes");
  if (!s.ok() || s.Step() != SQLITE_ROW) return db_.Fail("count");
  return static_cast<std::size_t>(s.Int(0));
}

}  // namespace tigress::relay::internal
