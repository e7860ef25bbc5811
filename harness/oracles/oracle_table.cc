// File: harness/oracles/oracle_table.cc
#include "harness/oracles/oracle_checks.h"

namespace tigress::harness {

const std::vector<OracleCheck>& OracleTable() {
  // Report order: users read the findings in this order.
  static const std::vector<OracleCheck> kTable = {
      {"request-leaks",
       {"secret-never-sent", "fragment-never-sent", "plaintext-never-sent"},
       {"PRIV-01", "RECIP-01", "PRIV-02"},
       CheckLeaks},
      {"claims-v4", {"claims-v4"}, {"PRIV-06"}, CheckClaimsV4},
      {"initiator-claim-fresh", {"initiator-claim-fresh"}, {"INIT-01"}, CheckInitiatorClaimFresh},
      {"recipient-claim-fresh", {"recipient-claim-fresh"}, {"RECIP-03"}, CheckRecipientClaimFresh},
      {"initiator-sends-no-secret",
       {"initiator-sends-no-secret"},
       {"INIT-13"},
       CheckInitiatorSendsNoSecret},
      {"recipient-strips-fragment",
       {"recipient-strips-fragment"},
       {"URL-08"},
       CheckRecipientStripsFragment},
      {"recipient-sends-no-secret",
       {"recipient-sends-no-secret"},
       {"RECIP-02"},
       CheckRecipientSendsNoSecret},
      {"token-fresh",
       {"token-fresh", "initiator-identifiers", "recipient-token-fresh"},
       {"PRIV-07", "INIT-14", "RECIP-16"},
       CheckTokenFresh},
      {"no-cookies", {"no-cookies"}, {"PRIV-05", "PRIV-04"}, CheckNoCookies},
      {"display-not-identifying",
       {"display-not-identifying", "initiator-identifiers"},
       {"PRIV-09", "INIT-14"},
       CheckDisplayNotIdentifying},
      {"attestation-fresh",
       {"attestation-fresh", "initiator-identifiers"},
       {"PRIV-08", "INIT-14"},
       CheckAttestationFresh},
      {"create-well-formed",
       {"create-well-formed", "expiration-utc"},
       {"INIT-02", "INIT-04"},
       CheckCreateWellFormed},
      {"request-id-fresh", {"request-id-fresh"}, {"REPLAY-11"}, CheckRequestIdFresh},
      {"mailbox-ids-random", {"mailbox-ids-random"}, {"RELAY-04"}, CheckMailboxIdsRandom},
      {"secret-quality", {"secret-quality"}, {"PAYLOAD-15"}, CheckSecretQuality},
  };
  return kTable;
}

std::vector<Finding> RunOracles(const OracleInput& in) {
  if (in.transcript == nullptr) {
    return {};
  }
  const OracleContext ctx = BuildOracleContext(in);
  Findings out;
  for (const OracleCheck& check : OracleTable()) {
    check.run(ctx, out);
  }
  return out.Take();
}

}  // namespace tigress::harness
