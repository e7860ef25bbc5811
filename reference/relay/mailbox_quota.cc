#include "reference/relay/mailbox_quota.h"

#include <algorithm>

namespace tigress::relay {
namespace {

std::size_t TokenBytes(const std::optional<NotificationToken>& t) {
  return t ? t->type.size() + t->token_data.size() : 0;
}

}  // namespace

std::size_t MailboxBytes(const Mailbox& m) {
  return m.id.size() + m.initiator_claim.size() + m.recipient_claim.value_or("").size() +
         PayloadBytes(m.payload) + m.display.title.size() + m.display.description.size() +
         m.display.image_url.size() + m.access_rights.size() + TokenBytes(m.initiator_token) +
         TokenBytes(m.recipient_token);
}

MailboxQuota::MailboxQuota(QuotaLimits limits) : limits_(limits) {}

std::size_t PayloadBytes(const Payload& p) { return p.type.size() + p.data.size(); }

QuotaVerdict MailboxQuota::Reserve(const Mailbox& m, SysSeconds now) {
  const std::string& claim = m.initiator_claim;
  std::size_t bytes = MailboxBytes(m);
  std::lock_guard lock(mu_);
  ExpireLocked(now);
  // A reused id would be counted twice; the store refuses it anyway.
  if (entries_.count(m.id) != 0) return QuotaVerdict::kStoreFull;
  auto claim_it = per_claim_.find(claim);
  if (claim_it != per_claim_.end() && claim_it->second >= limits_.per_claim) {
    return QuotaVerdict::kClaimFull;
  }
  if (entries_.size() >= limits_.mailboxes ||
      bytes > limits_.bytes - std::min(bytes_, limits_.bytes)) {
    return QuotaVerdict::kStoreFull;
  }
  entries_[m.id] = Entry{claim, bytes, PayloadBytes(m.payload), m.expiration};
  ++per_claim_[claim];
  by_expiration_.emplace(m.expiration, m.id);
  bytes_ += bytes;
  return QuotaVerdict::kAdmitted;
}

void MailboxQuota::Release(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it != entries_.end()) EraseLocked(it);
}

bool MailboxQuota::Fits(const std::string& id, std::size_t payload_bytes) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return true;
  std::size_t without = bytes_ - it->second.payload_bytes;
  return payload_bytes <= limits_.bytes - std::min(without, limits_.bytes);
}

// Two concurrent updates may both have fitted: the total may then pass the
// limit by one payload, until an entry leaves.
void MailboxQuota::Resize(const std::string& id, std::size_t payload_bytes) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  bytes_ = bytes_ - it->second.payload_bytes + payload_bytes;
  it->second.bytes = it->second.bytes - it->second.payload_bytes + payload_bytes;
  it->second.payload_bytes = payload_bytes;
}

void MailboxQuota::Expire(SysSeconds now) {
  std::lock_guard lock(mu_);
  ExpireLocked(now);
}

std::size_t MailboxQuota::mailboxes() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::size_t MailboxQuota::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

// A mailbox is gone from its expiration instant on (C-22), so it stops
// counting then too.
void MailboxQuota::ExpireLocked(SysSeconds now) {
  while (!by_expiration_.empty() && by_expiration_.begin()->first <= now) {
    auto it = entries_.find(by_expiration_.begin()->second);
    if (it != entries_.end() && it->second.expiration == by_expiration_.begin()->first) {
      EraseLocked(it);
    } else {
      by_expiration_.erase(by_expiration_.begin());
    }
  }
}

void MailboxQuota::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  auto range = by_expiration_.equal_range(it->second.expiration);
  for (auto e = range.first; e != range.second; ++e) {
    if (e->second == it->first) {
      by_expiration_.erase(e);
      break;
    }
  }
  auto claim_it = per_claim_.find(it->second.claim);
  if (claim_it != per_claim_.end() && --claim_it->second == 0) per_claim_.erase(claim_it);
  bytes_ -= it->second.bytes;
  entries_.erase(it);
}

}  // namespace tigress::relay
