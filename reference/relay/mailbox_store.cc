#include "reference/relay/mailbox_store.h"

namespace tigress::relay {

Party PartyOf(const Mailbox& m, const std::string& claim) {
  if (claim == m.initiator_claim) return Party::kInitiator;
  if (m.recipient_claim && claim == *m.recipient_claim) return Party::kRecipient;
  return Party::kNone;
}

bool HasRight(const std::string& rights, char right) {
  return right == kNoRightCheck || rights.find(right) != std::string::npos;
}

namespace internal {
namespace {

bool Live(const std::optional<Mailbox>& m, SysSeconds now) { return m && now < m->expiration; }

bool IsDuplicate(const RequestKey& key, const std::optional<RequestRecord>& record,
                 const std::string& mailbox_id) {
  return key.request_id && record && record->request_id == *key.request_id &&
         record->mailbox_id == mailbox_id;
}

Change Status(StoreStatus s) {
  Change c;
  c.outcome.status = s;
  return c;
}

void Record(Change& c, const RequestKey& key, std::optional<RequestRecord>& record,
            const std::string& mailbox_id, const std::string& body) {
  if (!key.request_id) return;
  record = RequestRecord{*key.request_id, mailbox_id, body};
  c.write_record = true;
}

void StoreToken(Mailbox& m, Party party, const std::optional<NotificationToken>& token) {
  if (!token) return;
  if (party == Party::kInitiator) m.initiator_token = token;
  if (party == Party::kRecipient) m.recipient_token = token;
}

}  // namespace

Change DecideCreate(const Mailbox& fresh, const RequestKey& key,
                    std::optional<RequestRecord>& record, const std::string& body) {
  // A create's record points at the mailbox it made, so a retry is recognised
  // by the request ID alone (the retry cannot know the id).
  if (key.request_id && record && record->request_id == *key.request_id) {
    Change c = Status(StoreStatus::kDuplicate);
    c.outcome.recorded_body = record->body;
    c.outcome.party = Party::kInitiator;
    return c;
  }
  Change c = Status(StoreStatus::kOk);
  c.outcome.mailbox = fresh;
  c.outcome.party = Party::kInitiator;
  c.write_mailbox = true;
  Record(c, key, record, fresh.id, body);
  return c;
}

Change DecideReadAndBind(std::optional<Mailbox>& mailbox, const std::string& claim, SysSeconds now,
                         char right, const std::optional<NotificationToken>& token) {
  if (!Live(mailbox, now)) return Status(StoreStatus::kNotFound);
  Mailbox& m = *mailbox;
  if (!HasRight(m.access_rights, right)) return Status(StoreStatus::kUnauthorized);
  Change c = Status(StoreStatus::kOk);
  Party party = PartyOf(m, claim);
  if (party == Party::kNone) {
    if (m.recipient_claim) return Status(StoreStatus::kUnauthorized);
    m.recipient_claim = claim;
    party = Party::kRecipient;
    c.outcome.newly_bound = true;
    c.write_mailbox = true;
  }
  if (token) {
    StoreToken(m, party, token);
    c.write_mailbox = true;
  }
  c.outcome.party = party;
  c.outcome.mailbox = m;
  return c;
}

Change DecideUpdate(std::optional<Mailbox>& mailbox, const RequestKey& key,
                    std::optional<RequestRecord>& record, SysSeconds now, char right,
                    const Payload& payload, const std::optional<NotificationToken>& token,
                    const std::string& body) {
  if (!Live(mailbox, now)) return Status(StoreStatus::kNotFound);
  Mailbox& m = *mailbox;
  if (IsDuplicate(key, record, m.id)) {
    Change c = Status(StoreStatus::kDuplicate);
    c.outcome.recorded_body = record->body;
    c.outcome.party = PartyOf(m, key.claim);
    c.outcome.mailbox = m;
    return c;
  }
  Party party = PartyOf(m, key.claim);
  if (party == Party::kNone || !HasRight(m.access_rights, right)) {
    return Status(StoreStatus::kUnauthorized);
  }
  m.payload = payload;
  StoreToken(m, party, token);
  Change c = Status(StoreStatus::kOk);
  c.outcome.party = party;
  c.outcome.mailbox = m;
  c.write_mailbox = true;
  Record(c, key, record, m.id, body);
  return c;
}

Change DecideDelete(std::optional<Mailbox>& mailbox, const RequestKey& key,
                    std::optional<RequestRecord>& record, SysSeconds now, char right,
                    const std::string& body) {
  if (!Live(mailbox, now)) return Status(StoreStatus::kNotFound);
  Party party = PartyOf(*mailbox, key.claim);
  if (party == Party::kNone || !HasRight(mailbox->access_rights, right)) {
    return Status(StoreStatus::kUnauthorized);
  }
  Change c = Status(StoreStatus::kOk);
  c.outcome.party = party;
  c.delete_mailbox = true;
  Record(c, key, record, mailbox->id, body);
  mailbox.reset();
  return c;
}

Change DecideRelinquish(std::optional<Mailbox>& mailbox, const RequestKey& key,
                        std::optional<RequestRecord>& record, SysSeconds now,
                        const std::string& body) {
  if (!Live(mailbox, now)) return Status(StoreStatus::kNotFound);
  Mailbox& m = *mailbox;
  if (IsDuplicate(key, record, m.id)) {
    Change c = Status(StoreStatus::kDuplicate);
    c.outcome.recorded_body = record->body;
    c.outcome.party = PartyOf(m, key.claim);
    return c;
  }
  if (PartyOf(m, key.claim) != Party::kRecipient) return Status(StoreStatus::kUnauthorized);
  m.recipient_claim.reset();
  m.recipient_token.reset();
  Change c = Status(StoreStatus::kOk);
  c.outcome.party = Party::kRecipient;
  c.outcome.mailbox = m;
  c.write_mailbox = true;
  Record(c, key, record, m.id, body);
  return c;
}

}  // namespace internal
}  // namespace tigress::relay
