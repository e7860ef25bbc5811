#include "reference/relay/sqlite_store.h"

#include <mutex>
#include <string_view>

#include <sqlite3.h>

#include <sys/stat.h>

namespace tigress::relay {
namespace {

using internal::Change;
using internal::RequestRecord;

constexpr std::string_view kSchema = R"sql(
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

// RAII prepared statement with typed binding helpers.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, const std::optional<std::string>& s) {
    if (s) {
      Bind(i, *s);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  void Bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    int n = sqlite3_column_bytes(stmt_, col);
    return t == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(n));
  }
  std::optional<std::string> OptText(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

std::optional<NotificationToken> Token(const std::optional<std::string>& type,
                                       const std::optional<std::string>& data) {
  if (!type || !data) return std::nullopt;
  return NotificationToken{*type, *data};
}

class SqliteStore final : public MailboxStore {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close(db_); }

  Result<StoreOutcome> Create(const Mailbox& mailbox, const RequestKey& key,
                              const std::string& response_body) override {
    return InTransaction([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, LoadRecord(key.claim));
      Change c = internal::DecideCreate(mailbox, key, record, response_body);
      TIGRESS_RETURN_IF_ERROR(Apply(c, mailbox.id, c.outcome.mailbox, key.claim, record, true));
      return c.outcome;
    });
  }

  Result<std::optional<Mailbox>> Get(const std::string& id, SysSeconds now) override {
    std::lock_guard lock(mu_);
    TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, LoadMailbox(id));
    if (m && now >= m->expiration) m.reset();
    return m;
  }

  Result<StoreOutcome> ReadAndBind(const std::string& id, const std::string& claim, SysSeconds now,
                                   char right,
                                   const std::optional<NotificationToken>& token) override {
    return InTransaction([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, LoadMailbox(id));
      Change c = internal::DecideReadAndBind(m, claim, now, right, token);
      std::optional<RequestRecord> none;
      TIGRESS_RETURN_IF_ERROR(Apply(c, id, m, claim, none, false));
      return c.outcome;
    });
  }

  Result<StoreOutcome> Update(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const Payload& payload,
                              const std::optional<NotificationToken>& token,
                              const std::string& response_body) override {
    return InTransaction([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, LoadMailbox(id));
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, LoadRecord(key.claim));
      Change c = internal::DecideUpdate(m, key, record, now, right, payload, token, response_body);
      TIGRESS_RETURN_IF_ERROR(Apply(c, id, m, key.claim, record, false));
      return c.outcome;
    });
  }

  Result<StoreOutcome> Delete(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const std::string& response_body) override {
    return InTransaction([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, LoadMailbox(id));
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, LoadRecord(key.claim));
      Change c = internal::DecideDelete(m, key, record, now, right, response_body);
      TIGRESS_RETURN_IF_ERROR(Apply(c, id, m, key.claim, record, false));
      return c.outcome;
    });
  }

  Result<StoreOutcome> Relinquish(const std::string& id, const RequestKey& key, SysSeconds now,
                                  const std::string& response_body) override {
    return InTransaction([&]() -> Result<StoreOutcome> {
      TIGRESS_ASSIGN_OR_RETURN(std::optional<Mailbox> m, LoadMailbox(id));
      TIGRESS_ASSIGN_OR_RETURN(std::optional<RequestRecord> record, LoadRecord(key.claim));
      Change c = internal::DecideRelinquish(m, key, record, now, response_body);
      TIGRESS_RETURN_IF_ERROR(Apply(c, id, m, key.claim, record, false));
      return c.outcome;
    });
  }

  Result<std::size_t> SweepExpired(SysSeconds now) override {
    return InTransaction([&]() -> Result<std::size_t> {
      Statement del(db_, "DELETE FROM mailboxes WHERE expiration <= ?1");
      if (!del.ok()) return Fail("sweep: prepare", del);
      del.Bind(1, static_cast<std::int64_t>(now.time_since_epoch().count()));
      if (del.Step() != SQLITE_DONE) return Fail("sweep: delete", del);
      auto removed = static_cast<std::size_t>(sqlite3_changes(db_));
      Statement orphans(
          db_, "DELETE FROM request_records WHERE mailbox_id NOT IN (SELECT id FROM mailboxes)");
      if (!orphans.ok() || orphans.Step() != SQLITE_DONE) return Fail("sweep: records", orphans);
      return removed;
    });
  }

  Result<std::size_t> CountMailboxes() override {
    std::lock_guard lock(mu_);
    Statement s(db_, "SELECT COUNT(*) FROM mailboxes");
    if (!s.ok() || s.Step() != SQLITE_ROW) return Fail("count", s);
    return static_cast<std::size_t>(s.Int(0));
  }

 private:
  Error Fail(std::string_view what, const Statement& s) const {
    return MakeError(Errc::kStoreFailure,
                     std::string("sqlite ") + std::string(what) + ": " + s.Error());
  }
  Error Fail(std::string_view what) const {
    return MakeError(Errc::kStoreFailure,
                     std::string("sqlite ") + std::string(what) + ": " + sqlite3_errmsg(db_));
  }

  // Runs `body` between BEGIN IMMEDIATE and COMMIT under the mutex; rolls
  // back when `body` fails, so an operation is all or nothing.
  template <class F>
  auto InTransaction(F&& body) -> decltype(body()) {
    std::lock_guard lock(mu_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Fail("begin");
    }
    auto result = body();
    if (!result) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return result;
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      Error e = Fail("commit");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return e;
    }
    return result;
  }

  Result<std::optional<Mailbox>> LoadMailbox(const std::string& id) {
    std::string sql = std::string("SELECT ") + kMailboxColumns + " FROM mailboxes WHERE id = ?1";
    Statement s(db_, sql.c_str());
    if (!s.ok()) return Fail("load mailbox: prepare", s);
    s.Bind(1, id);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<Mailbox>();
    if (rc != SQLITE_ROW) return Fail("load mailbox", s);
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

  Result<std::optional<RequestRecord>> LoadRecord(const std::string& claim) {
    Statement s(db_, "SELECT request_id, mailbox_id, body FROM request_records WHERE claim = ?1");
    if (!s.ok()) return Fail("load record: prepare", s);
    s.Bind(1, claim);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return std::optional<RequestRecord>();
    if (rc != SQLITE_ROW) return Fail("load record", s);
    return std::optional<RequestRecord>(RequestRecord{s.Text(0), s.Text(1), s.Text(2)});
  }

  Result<void> WriteMailbox(const Mailbox& m, bool insert) {
    std::string sql = std::string(insert ? "INSERT" : "INSERT OR REPLACE") + " INTO mailboxes (" +
                      kMailboxColumns +
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
    Statement s(db_, sql.c_str());
    if (!s.ok()) return Fail("write mailbox: prepare", s);
    s.Bind(1, m.id);
    s.Bind(2, m.initiator_claim);
    s.Bind(3, m.recipient_claim);
    s.Bind(4, m.payload.type);
    s.Bind(5, m.payload.data);
    s.Bind(6, m.display.title);
    s.Bind(7, m.display.description);
    s.Bind(8, m.display.image_url);
    s.Bind(9, m.access_rights);
    s.Bind(10, static_cast<std::int64_t>(m.expiration.time_since_epoch().count()));
    auto opt = [](const std::optional<NotificationToken>& t,
                  bool data) -> std::optional<std::string> {
      if (!t) return std::nullopt;
      return data ? t->token_data : t->type;
    };
    s.Bind(11, opt(m.initiator_token, false));
    s.Bind(12, opt(m.initiator_token, true));
    s.Bind(13, opt(m.recipient_token, false));
    s.Bind(14, opt(m.recipient_token, true));
    if (s.Step() != SQLITE_DONE) return Fail("write mailbox", s);
    return {};
  }

  Result<void> Apply(const Change& c, const std::string& id, const std::optional<Mailbox>& m,
                     const std::string& claim, const std::optional<RequestRecord>& record,
                     bool insert) {
    if (c.delete_mailbox) {
      Statement s(db_, "DELETE FROM mailboxes WHERE id = ?1");
      if (!s.ok()) return Fail("delete: prepare", s);
      s.Bind(1, id);
      if (s.Step() != SQLITE_DONE) return Fail("delete", s);
    }
    if (c.write_mailbox && m) TIGRESS_RETURN_IF_ERROR(WriteMailbox(*m, insert));
    if (c.write_record && record) {
      Statement s(db_,
                  "INSERT OR REPLACE INTO request_records (claim, request_id, mailbox_id, body) "
                  "VALUES (?1, ?2, ?3, ?4)");
      if (!s.ok()) return Fail("record: prepare", s);
      s.Bind(1, claim);
      s.Bind(2, record->request_id);
      s.Bind(3, record->mailbox_id);
      s.Bind(4, record->body);
      if (s.Step() != SQLITE_DONE) return Fail("record", s);
    }
    return {};
  }

  std::mutex mu_;
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<MailboxStore>> OpenSqliteStore(const std::string& path, SqliteSync sync) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return MakeError(Errc::kStoreFailure, "sqlite open " + path + ": " + msg);
  }
  // Device claims act as bearer secrets: the file (and the -wal/-shm files,
  // which SQLite creates with the same mode) is for the relay's user only.
  if (chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    sqlite3_close(db);
    return MakeError(Errc::kStoreFailure,
                     "sqlite open " + path + ": cannot restrict permissions to 0600");
  }
  // Another process holding the write lock makes us wait rather than fail.
  sqlite3_busy_timeout(db, 5000);
  const char* setup[] = {"PRAGMA journal_mode=WAL", sync == SqliteSync::kFull
                                                        ? "PRAGMA synchronous=FULL"
                                                        : "PRAGMA synchronous=NORMAL"};
  for (const char* sql : setup) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::string msg = sqlite3_errmsg(db);
      sqlite3_close(db);
      return MakeError(Errc::kStoreFailure,
                       "sqlite " + std::string(sql) + " on " + path + ": " + msg);
    }
  }
  char* err = nullptr;
  if (sqlite3_exec(db, std::string(kSchema).c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown";
    sqlite3_free(err);
    sqlite3_close(db);
    return MakeError(Errc::kStoreFailure, "sqlite schema on " + path + ": " + msg);
  }
  return std::unique_ptr<MailboxStore>(std::make_unique<SqliteStore>(db));
}

}  // namespace tigress::relay
