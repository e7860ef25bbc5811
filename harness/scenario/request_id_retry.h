// File: harness/scenario/request_id_retry.h
//
// The check request-id-retried, for scenarios that use the adapter
// extension `requestIdRetry` (docs/adapter-contract.md; optional feature
// request-id-retry): a device asked to resend an answered request with the
// same Mailbox-Request-ID must be seen doing so in the transcript the
// recording proxy kept, and the relay's answer to the resend and what the
// case did next are judged there. It is not in the oracle table (oracles.h)
// because it holds only where the scenario asked: the runner adds
// `JudgeRequestIdRetry`'s assertions to the oracles' (none when the scenario
// asked for no resend).
//
//   for (Assertion& a : JudgeRequestIdRetry(catalog, scenario, in)) ...
#pragma once

#include <cstddef>
#include <vector>

#include "harness/oracles/oracles.h"
#include "harness/scenario/scenario.h"
#include "reports/requirements.h"
#include "reports/results.h"

namespace tigress::harness {

// `RequestIdRetriesAsked` is the number of call steps of `sc` (in parallel
// groups too) by `role` whose params hold `requestIdRetry: true`.
std::size_t RequestIdRetriesAsked(const Scenario& sc, Role role);

// How many resends the scenario asked of each device.
struct RetriesAsked {
  std::size_t initiator = 0;
  std::size_t recipient = 0;
};

// `RequestIdRetryFindings` reads the transcript of `in` (the canonical view:
// http-00 header names). A resend is a request with the method, target,
// Mailbox-Device-Claim and Mailbox-Request-ID of an earlier one (its first
// repeat only); the device that sent it is the one oracle_context.h names.
// Findings (check "request-id-retried"), in transcript order:
//   per resend of a create:  REPLAY-02, the relay answered it 201;
//                            REPLAY-12 only when that 201 has a body: its
//                            urlLink is the first answer's (C-05)
//   per resend of an update: REPLAY-03, the relay answered it 201 (C-04)
//   per resend:              INIT-07 (the initiator's) or RECIP-11 (the
//                            recipient's), and REPLAY-09: the body is the
//                            first one's and the case went on (a later
//                            request reached the relay)
// then, per device that sent fewer resends than `asked`, a FAIL of INIT-07 or
// RECIP-11 and of REPLAY-09 naming both counts: a device that ignores the
// flag is seen here. Nothing when nothing was asked.
std::vector<Finding> RequestIdRetryFindings(const OracleInput& in, const RetriesAsked& asked);

// `JudgeRequestIdRetry` is `RequestIdRetryFindings` for what `sc` asked,
// judged against `catalog` with the message "oracle request-id-retried:
// <message>". A failing device-side finding (INIT-07, RECIP-11, REPLAY-09)
// is a FAIL whatever the requirement's level: the scenario needs the
// feature request-id-retry, so the device declared it and did not do it
// (as a declared feature's missing method is a FAIL). The relay's side keeps
// its requirement's level.
std::vector<reports::Assertion> JudgeRequestIdRetry(const reports::Catalog& catalog,
                                                    const Scenario& sc, const OracleInput& in);

}  // namespace tigress::harness
