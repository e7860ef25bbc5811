// File: harness/oracles/oracle_checks.h
//
// The per-case checks of the oracle table (oracles.h `OracleTable`, where
// each is listed with the check names and requirement IDs it reports), one
// function per table entry, grouped by theme:
//   privacy_checks.cc     what a request leaks (Secret, fragment, plaintext),
//                         per sender, and cookies
//   identifier_checks.cc  what links shares or identifies a person: tokens,
//                         displayInformation, attestation
//   claim_checks.cc       claim format and freshness, mailbox ids
//   request_checks.cc     what creates and mutating requests must carry
//   payload_checks.cc     the Secrets of the case's shares (secret-quality)
// Each reads the context and reports through `out`; several entries share a
// check name (initiator-identifiers), so they must run on one `Findings`.
#pragma once

#include <cstddef>
#include <vector>

#include "harness/oracles/oracle_context.h"

namespace tigress::harness {

// What one request leaked: kLeak* bits and the findings that show where,
// in the order found. A leak can set its bit without a finding of its own
// (a second header of one name, a body already reported by field).
struct ExchangeLeaks {
  unsigned kinds = 0;
  std::vector<Finding> findings;
};

// `ScanLeaks` looks for the case's Secrets, fragments and canaries in
// request `i` of `ctx` (its needles and fragments set). BuildOracleContext
// stores the result in the exchange's facts.
ExchangeLeaks ScanLeaks(const OracleContext& ctx, std::size_t i);

// privacy_checks.cc
void CheckLeaks(const OracleContext& ctx, Findings& out);
void CheckInitiatorSendsNoSecret(const OracleContext& ctx, Findings& out);
void CheckRecipientStripsFragment(const OracleContext& ctx, Findings& out);
void CheckRecipientSendsNoSecret(const OracleContext& ctx, Findings& out);
void CheckNoCookies(const OracleContext& ctx, Findings& out);

// claim_checks.cc
void CheckClaimsV4(const OracleContext& ctx, Findings& out);
void CheckInitiatorClaimFresh(const OracleContext& ctx, Findings& out);
void CheckRecipientClaimFresh(const OracleContext& ctx, Findings& out);
void CheckMailboxIdsRandom(const OracleContext& ctx, Findings& out);

// identifier_checks.cc
void CheckTokenFresh(const OracleContext& ctx, Findings& out);
void CheckDisplayNotIdentifying(const OracleContext& ctx, Findings& out);
void CheckAttestationFresh(const OracleContext& ctx, Findings& out);

// request_checks.cc
void CheckCreateWellFormed(const OracleContext& ctx, Findings& out);
void CheckRequestIdFresh(const OracleContext& ctx, Findings& out);

// payload_checks.cc
void CheckSecretQuality(const OracleContext& ctx, Findings& out);
// `ShareSecrets` (oracles.h) over a built context.
std::vector<ShareSecret> ShareSecrets(const OracleContext& ctx);

}  // namespace tigress::harness
