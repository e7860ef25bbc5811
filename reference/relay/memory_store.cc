#include "reference/relay/memory_store.h"

#include <map>
#include <mutex>
#include <unordered_map>

namespace tigress::relay {
namespace {

using internal::Change;
using internal::RequestRecord;

class MemoryStore final : public MailboxStore {
 public:
  Result<StoreOutcome> Create(const Mailbox& mailbox, const RequestKey& key,
                              const std::string& response_body) override {
    std::lock_guard lock(mu_);
    std::optional<RequestRecord> record = FindRecord(key.claim);
    Change c = internal::DecideCreate(mailbox, key, record, response_body);
    if (c.write_mailbox && mailboxes_.count(mailbox.id) != 0) {
      return MakeError(Errc::kStoreFailure, "create: mailbox id collision");
    }
    Apply(c, mailbox.id, c.outcome.mailbox, key.claim, record);
    return c.outcome;
  }

  Result<std::optional<Mailbox>> Get(const std::string& id, SysSeconds now) override {
    std::lock_guard lock(mu_);
    auto it = mailboxes_.find(id);
    if (it == mailboxes_.end() || now >= it->second.expiration) return std::optional<Mailbox>();
    return std::optional<Mailbox>(it->second);
  }

  Result<StoreOutcome> ReadAndBind(const std::string& id, const std::string& claim, SysSeconds now,
                                   char right,
                                   const std::optional<NotificationToken>& token) override {
    std::lock_guard lock(mu_);
    std::optional<Mailbox> m = FindMailbox(id);
    Change c = internal::DecideReadAndBind(m, claim, now, right, token);
    std::optional<RequestRecord> none;
    Apply(c, id, m, claim, none);
    return c.outcome;
  }

  Result<StoreOutcome> Update(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const Payload& payload,
                              const std::optional<NotificationToken>& token,
                              const std::string& response_body) override {
    std::lock_guard lock(mu_);
    std::optional<Mailbox> m = FindMailbox(id);
    std::optional<RequestRecord> record = FindRecord(key.claim);
    Change c = internal::DecideUpdate(m, key, record, now, right, payload, token, response_body);
    Apply(c, id, m, key.claim, record);
    return c.outcome;
  }

  Result<StoreOutcome> Delete(const std::string& id, const RequestKey& key, SysSeconds now,
                              char right, const std::string& response_body) override {
    std::lock_guard lock(mu_);
    std::optional<Mailbox> m = FindMailbox(id);
    std::optional<RequestRecord> record = FindRecord(key.claim);
    Change c = internal::DecideDelete(m, key, record, now, right, response_body);
    Apply(c, id, m, key.claim, record);
    return c.outcome;
  }

  Result<StoreOutcome> Relinquish(const std::string& id, const RequestKey& key, SysSeconds now,
                                  const std::string& response_body) override {
    std::lock_guard lock(mu_);
    std::optional<Mailbox> m = FindMailbox(id);
    std::optional<RequestRecord> record = FindRecord(key.claim);
    Change c = internal::DecideRelinquish(m, key, record, now, response_body);
    Apply(c, id, m, key.claim, record);
    return c.outcome;
  }

  Result<std::size_t> SweepExpired(SysSeconds now) override {
    std::lock_guard lock(mu_);
    std::size_t removed = 0;
    for (auto it = mailboxes_.begin(); it != mailboxes_.end();) {
      if (now >= it->second.expiration) {
        it = mailboxes_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    for (auto it = records_.begin(); it != records_.end();) {
      if (mailboxes_.count(it->second.mailbox_id) == 0) {
        it = records_.erase(it);
      } else {
        ++it;
      }
    }
    return removed;
  }

  Result<std::size_t> CountMailboxes() override {
    std::lock_guard lock(mu_);
    return mailboxes_.size();
  }

 private:
  std::optional<Mailbox> FindMailbox(const std::string& id) const {
    auto it = mailboxes_.find(id);
    if (it == mailboxes_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<RequestRecord> FindRecord(const std::string& claim) const {
    auto it = records_.find(claim);
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }
  void Apply(const Change& c, const std::string& id, const std::optional<Mailbox>& m,
             const std::string& claim, const std::optional<RequestRecord>& record) {
    if (c.delete_mailbox) mailboxes_.erase(id);
    if (c.write_mailbox && m) mailboxes_[id] = *m;
    if (c.write_record && record) records_[claim] = *record;
  }

  std::mutex mu_;
  std::unordered_map<std::string, Mailbox> mailboxes_;
  std::unordered_map<std::string, RequestRecord> records_;
};

}  // namespace

std::unique_ptr<MailboxStore> MakeMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace tigress::relay
