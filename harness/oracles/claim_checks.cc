// File: harness/oracles/claim_checks.cc
#include <cctype>
#include <set>

#include "harness/oracles/oracle_checks.h"
#include "protocol/uuid.h"

namespace tigress::harness {
namespace {

// A run of 8 or more equal hex digits: a counter or a constant, not 122
// random bits.
bool LooksSequential(const std::string& id) {
  std::string hex;
  for (char c : id) {
    if (c != '-') {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  std::size_t run = 1;
  for (std::size_t i = 1; i < hex.size(); ++i) {
    run = hex[i] == hex[i - 1] ? run + 1 : 1;
    if (run >= 8) {
      return true;
    }
  }
  return false;
}

}  // namespace

void CheckClaimsV4(const OracleContext& ctx, Findings& out) {
  for (const auto& [c, i] : ctx.claim_first_use) {
    if (!IsUuidV4(c)) {
      out.Fail("claims-v4", "PRIV-06",
               ctx.ex[i].name + ", header Mailbox-Device-Claim: " + Redact(c) +
                   " is not a version-4 UUID (version " + std::to_string(UuidVersion(c)) + ")",
               "a random version-4 UUID", "version " + std::to_string(UuidVersion(c)));
    }
  }
  out.PassIfClean("claims-v4", "PRIV-06", !ctx.claim_first_use.empty(),
                  "all " + std::to_string(ctx.claim_first_use.size()) +
                      " distinct device claims sent to the relay are version-4 UUIDs",
                  "random version-4 UUIDs");
}

void CheckInitiatorClaimFresh(const OracleContext& ctx, Findings& out) {
  for (const auto& [claim, boxes] : ctx.created_by_claim) {
    if (boxes.size() > 1) {
      out.Fail("initiator-claim-fresh", "INIT-01",
               "the claim " + Redact(claim) + " created " + std::to_string(boxes.size()) +
                   " mailboxes (first at " + ctx.ex[ctx.claim_first_use.at(claim)].name + ")",
               "a new claim for every mailbox", "one claim on " + std::to_string(boxes.size()));
    }
  }
  out.PassIfClean("initiator-claim-fresh", "INIT-01",
                  ctx.created_by_claim.size() > 1 || ctx.created_ids.size() > 1,
                  std::to_string(ctx.created_ids.size()) + " mailboxes created with " +
                      std::to_string(ctx.created_by_claim.size()) + " distinct claims",
                  "a new claim for every mailbox");
}

void CheckRecipientClaimFresh(const OracleContext& ctx, Findings& out) {
  // Recipient claims: successful requests on a mailbox with another claim
  // than the one that created it.
  std::map<std::string, std::set<std::string>> recipient_boxes;  // claim -> mailboxes
  std::map<std::string, std::size_t> recipient_first;
  for (std::size_t i = 0; i < ctx.ex.size(); ++i) {
    const ExchangeFacts& f = ctx.ex[i];
    auto it = ctx.initiator_of.find(f.target_mailbox);
    if (f.claim.empty() || it == ctx.initiator_of.end() || it->second == f.claim || !f.ok) {
      continue;
    }
    if (recipient_boxes[f.claim].insert(f.target_mailbox).second &&
        recipient_boxes[f.claim].size() == 1) {
      recipient_first[f.claim] = i;
    }
  }
  for (const auto& [claim, boxes] : recipient_boxes) {
    const std::string& first = ctx.ex[recipient_first[claim]].name;
    if (boxes.size() > 1) {
      out.Fail("recipient-claim-fresh", "RECIP-03",
               "the recipient claim " + Redact(claim) + " is used on " +
                   std::to_string(boxes.size()) + " mailboxes (first at " + first + ")",
               "a new recipient claim per mailbox", "one claim on " + std::to_string(boxes.size()));
    } else if (ctx.created_by_claim.contains(claim)) {
      out.Fail("recipient-claim-fresh", "RECIP-03",
               "the recipient claim " + Redact(claim) + " (" + first + ") also created a mailbox",
               "the recipient's own claim, new per mailbox", "an initiator's claim reused");
    }
  }
  out.PassIfClean("recipient-claim-fresh", "RECIP-03", !recipient_boxes.empty(),
                  std::to_string(recipient_boxes.size()) +
                      " recipient claim(s), each on one mailbox and none an initiator's",
                  "the recipient's own claim, new per mailbox");
}

void CheckMailboxIdsRandom(const OracleContext& ctx, Findings& out) {
  std::set<std::string> distinct;
  for (const auto& [id, i] : ctx.created_ids) {
    if (!IsUuidV4(id) || LooksSequential(id)) {
      out.Fail("mailbox-ids-random", "RELAY-04",
               ctx.ex[i].name + ", response urlLink: the mailbox id " + id +
                   (IsUuidV4(id) ? " has a run of 8 or more equal digits (not 122 random bits)"
                                 : " is not a version-4 UUID"),
               "a random version-4 UUID", id);
    } else if (!distinct.insert(id).second) {
      out.Fail("mailbox-ids-random", "RELAY-04",
               ctx.ex[i].name + ": the mailbox id " + id + " was handed out twice",
               "distinct mailbox ids", id + " twice");
    }
  }
  out.PassIfClean("mailbox-ids-random", "RELAY-04", !ctx.created_ids.empty(),
                  std::to_string(ctx.created_ids.size()) +
                      " created mailbox id(s): distinct version-4 UUIDs with no long digit runs",
                  "random version-4 UUIDs");
}

}  // namespace tigress::harness
