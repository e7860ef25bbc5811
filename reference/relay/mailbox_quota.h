// File: reference/relay/mailbox_quota.h
//
// `MailboxQuota`: the relay's bound on what anyone can make it store. It
// keeps, in memory, one entry per live mailbox the service created (its
// initiator claim, its size and its expiration) and refuses a new mailbox
// when the claim already holds `per_claim` live ones, or when the relay as a
// whole would hold more than `mailboxes` mailboxes or `bytes` octets. Entries
// leave at their expiration, on delete, or when the create did not happen.
//
// The tally starts empty: after a restart over a durable store, mailboxes
// created before the restart are not counted (they still expire within the
// maximum lifetime). Thread-safe.
//
//   MailboxQuota quota({.per_claim = 2, .mailboxes = 10, .bytes = 1 << 20});
//   switch (quota.Reserve(mailbox, now)) { ... }
//   if (the store refused or replayed the create) quota.Release(mailbox.id);
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "reference/relay/mailbox_store.h"

namespace tigress::relay {

struct QuotaLimits {
  std::size_t per_claim = 1000;              // live mailboxes one initiator claim may hold
  std::size_t mailboxes = 100000;            // live mailboxes in total
  std::size_t bytes = std::size_t{1} << 30;  // octets of all live mailboxes (MailboxBytes)
};

enum class QuotaVerdict {
  kAdmitted,   // reserved: the caller creates the mailbox, or calls Release
  kClaimFull,  // the claim holds per_claim live mailboxes
  kStoreFull,  // the total count or size would exceed its limit
};

// `MailboxBytes` is what a mailbox counts against the byte limit: the octets
// of every string it stores; `PayloadBytes` the part an update replaces.
std::size_t MailboxBytes(const Mailbox& m);
std::size_t PayloadBytes(const Payload& p);

class MailboxQuota {
 public:
  explicit MailboxQuota(QuotaLimits limits);

  // `Reserve` first forgets the entries expired at `now`, then admits mailbox
  // `m`, counted against its initiator_claim (compared exactly: the caller
  // normalises claims).
  QuotaVerdict Reserve(const Mailbox& m, SysSeconds now);

  // `Release` forgets `id` (deleted, or the create did not store it); an
  // unknown id is ignored.
  void Release(const std::string& id);

  // `Fits` tells whether replacing the payload of `id` by one of
  // `payload_bytes` octets keeps the total within the byte limit; an unknown
  // id (created before a restart) always fits. `Resize` records that
  // replacement once the store made it.
  bool Fits(const std::string& id, std::size_t payload_bytes) const;
  void Resize(const std::string& id, std::size_t payload_bytes);

  // `Expire` forgets the entries expired at `now` (the sweeper).
  void Expire(SysSeconds now);

  std::size_t mailboxes() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string claim;
    std::size_t bytes = 0;          // MailboxBytes at create, payload replaced since
    std::size_t payload_bytes = 0;  // the current payload's share of `bytes`
    SysSeconds expiration;
  };
  void ExpireLocked(SysSeconds now);
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  const QuotaLimits limits_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;          // by mailbox id
  std::unordered_map<std::string, std::size_t> per_claim_;  // live mailboxes by claim
  std::multimap<SysSeconds, std::string> by_expiration_;    // id by expiration
  std::size_t bytes_ = 0;
};

}  // namespace tigress::relay
