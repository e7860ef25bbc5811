// File: reference/relay/mailbox_store.h
//
// The relay's storage contract: a small set of ATOMIC operations on mailboxes
// (spec-catalog A.11) and on the per-claim "last successfully processed
// Mailbox-Request-ID" records (A.5, B.2). Each operation is one transaction:
// it checks existence, expiry, the duplicate record, the caller's binding and
// access right, applies the change and records the request ID, all or
// nothing. The binding rule of A.3 (the first non-initiator claim on a secure
// read becomes the recipient) is enforced here so that it holds under
// concurrency (RELAY-56).
//
// Implementations: MemoryStore (memory_store.h, a mutex) and SqliteStore
// (sqlite_store.h, a durable file). A store never interprets payloads.
//
//   auto store = OpenSqliteStore(dir / "relay.sqlite3").value();
//   auto out = store->ReadAndBind(id, claim, now, 'R', std::nullopt);
//   if (out && out->status == StoreStatus::kOk) Use(out->mailbox);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "protocol/messages.h"
#include "protocol/result.h"
#include "protocol/rfc3339.h"

namespace tigress::relay {

// `Mailbox` is everything the relay keeps about one share.
struct Mailbox {
  std::string id;
  std::string initiator_claim;
  std::optional<std::string> recipient_claim;
  Payload payload;                                   // single slot, overwritten by updates
  DisplayInformation display;                        // immutable after creation (C-49)
  std::string access_rights;                         // validated letters from {R, W, D}
  SysSeconds expiration;                             // the mailbox is gone from this instant on
  std::optional<NotificationToken> initiator_token;  // only usable tokens are kept
  std::optional<NotificationToken> recipient_token;
  friend bool operator==(const Mailbox&, const Mailbox&) = default;
};

// `RequestKey` identifies a mutating request for duplicate detection: the
// caller's claim and its Mailbox-Request-ID (absent: never a duplicate and
// nothing is recorded).
struct RequestKey {
  std::string claim;
  std::optional<std::string> request_id;
};

enum class StoreStatus {
  kOk,            // performed
  kDuplicate,     // the key matches the claim's last recorded request: nothing done
  kNotFound,      // no such mailbox, or it has expired
  kUnauthorized,  // the claim is not (or may not become) a party, or lacks the right
};

// Which party a claim is in a mailbox.
enum class Party { kNone, kInitiator, kRecipient };

// `StoreOutcome` is the result of a mailbox operation. `mailbox` is the state
// after the operation for kOk (absent for Delete); `recorded_body` is the
// response body stored with the duplicate record for kDuplicate; `party` is
// the caller's role when known.
struct StoreOutcome {
  StoreStatus status = StoreStatus::kNotFound;
  std::optional<Mailbox> mailbox;
  std::string recorded_body;
  Party party = Party::kNone;
  bool newly_bound = false;  // ReadAndBind bound the caller as recipient
};

// `kNoRightCheck` passed as `right` skips the access-rights check (used only
// by a deliberate fault).
inline constexpr char kNoRightCheck = '\0';

class MailboxStore {
 public:
  virtual ~MailboxStore() = default;

  // `Create` inserts `mailbox` (its id must be new) unless `key` repeats the
  // claim's last recorded request, in which case it returns kDuplicate with the
  // body recorded by the original create. On kOk it records `key` with
  // `response_body`. Errors: kStoreFailure (including an id collision).
  virtual Result<StoreOutcome> Create(const Mailbox& mailbox, const RequestKey& key,
                                      const std::string& response_body) = 0;

  // `Get` returns the mailbox if it exists and `now` is before its expiration.
  virtual Result<std::optional<Mailbox>> Get(const std::string& id, SysSeconds now) = 0;

  // `ReadAndBind` is the secure read: kNotFound if absent/expired; kOk for the
  // initiator or the bound recipient; kOk and binding (newly_bound) for a new
  // claim when no recipient is bound; kUnauthorized otherwise, or when
  // `right` is not in the access rights. A usable `token` is stored for the
  // caller's party on kOk.
  virtual Result<StoreOutcome> ReadAndBind(const std::string& id, const std::string& claim,
                                           SysSeconds now, char right,
                                           const std::optional<NotificationToken>& token) = 0;

  // `Update` replaces the payload (and the caller's token when `token` is set)
  // if the caller is a bound party holding `right`. Order of checks: kNotFound,
  // kDuplicate (key matches the record for this mailbox), kUnauthorized.
  // Records `key` with `response_body` on kOk.
  virtual Result<StoreOutcome> Update(const std::string& id, const RequestKey& key, SysSeconds now,
                                      char right, const Payload& payload,
                                      const std::optional<NotificationToken>& token,
                                      const std::string& response_body) = 0;

  // `Delete` removes the mailbox if the caller is a bound party holding
  // `right`. A repeated delete finds nothing (kNotFound, C-03).
  virtual Result<StoreOutcome> Delete(const std::string& id, const RequestKey& key, SysSeconds now,
                                      char right, const std::string& response_body) = 0;

  // `Relinquish` unbinds the recipient; only the bound recipient may (C-19).
  // Order: kNotFound, kDuplicate, kUnauthorized.
  virtual Result<StoreOutcome> Relinquish(const std::string& id, const RequestKey& key,
                                          SysSeconds now, const std::string& response_body) = 0;

  // `SweepExpired` deletes every mailbox whose expiration is at or before
  // `now`, and request records that point at no live mailbox. Returns the
  // number of mailboxes deleted.
  virtual Result<std::size_t> SweepExpired(SysSeconds now) = 0;

  // `CountMailboxes` counts stored rows (expired but unswept ones included).
  virtual Result<std::size_t> CountMailboxes() = 0;
};

// `PartyOf` tells which party `claim` is in `m`.
Party PartyOf(const Mailbox& m, const std::string& claim);

// `HasRight` tells whether `rights` contains `right` (kNoRightCheck: always).
bool HasRight(const std::string& rights, char right);

}  // namespace tigress::relay

namespace tigress::relay::internal {

// The per-claim duplicate record (one row per claim).
struct RequestRecord {
  std::string request_id;
  std::string mailbox_id;
  std::string body;
};

// `Change` says what an operation decided to write back; both stores apply
// the same decisions (`Decide*` below), so their behaviour cannot drift.
struct Change {
  StoreOutcome outcome;
  bool write_mailbox = false;   // `mailbox` holds the new state to store
  bool delete_mailbox = false;  // remove the mailbox row
  bool write_record = false;    // `record` holds the new record for key.claim
};

// Each `Decide*` gets the current rows (the mailbox as stored, possibly
// expired: they check `now` themselves; the caller's request record) and
// mutates them in place, returning what to persist. For Create the new
// mailbox is `outcome.mailbox`.
Change DecideCreate(const Mailbox& fresh, const RequestKey& key,
                    std::optional<RequestRecord>& record, const std::string& body);
Change DecideReadAndBind(std::optional<Mailbox>& mailbox, const std::string& claim, SysSeconds now,
                         char right, const std::optional<NotificationToken>& token);
Change DecideUpdate(std::optional<Mailbox>& mailbox, const RequestKey& key,
                    std::optional<RequestRecord>& record, SysSeconds now, char right,
                    const Payload& payload, const std::optional<NotificationToken>& token,
                    const std::string& body);
Change DecideDelete(std::optional<Mailbox>& mailbox, const RequestKey& key,
                    std::optional<RequestRecord>& record, SysSeconds now, char right,
                    const std::string& body);
Change DecideRelinquish(std::optional<Mailbox>& mailbox, const RequestKey& key,
                        std::optional<RequestRecord>& record, SysSeconds now,
                        const std::string& body);

}  // namespace tigress::relay::internal
