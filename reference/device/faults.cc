#include "reference/device/faults.h"

#include <array>
#include <string>

namespace tigress::device {
namespace {

constexpr std::array kFaults = {
    FaultInfo{Fault::kIvReuse, "iv-reuse", "PAYLOAD-04",
              "every message of the process is sealed with the same 12-octet IV"},
    FaultInfo{Fault::kSecretToRelay, "secret-to-relay", "PRIV-01 INIT-13 RECIP-02",
              "every request carries the Secret (base64) in an X-Tigress-Debug-Secret header"},
    FaultInfo{
        Fault::kFragmentToRelay, "fragment-to-relay", "URL-08 RECIP-01",
        "the recipient does not strip the fragment: it is sent as the query parameter 'fragment'"},
    FaultInfo{Fault::kClaimReuse, "claim-reuse", "INIT-01 RECIP-03 PRIV-05",
              "one Device Claim is used for every share and accept of the process"},
    FaultInfo{
        Fault::kTokenReuse, "token-reuse", "PRIV-07 RECIP-16",
        "the first notification token (or a fixed one) is sent on every share of the process"},
    FaultInfo{Fault::kClaimNotV4, "claim-not-v4", "PRIV-06 INIT-01 RECIP-03",
              "claims are version-1 UUIDs (timestamp and a MAC-like node 02:42:ac:13:00:02)"},
    FaultInfo{
        Fault::kClaimSameAsInitiator, "claim-same-as-initiator", "RECIP-03 RELAY-57",
        "initiator and recipient both use the fixed claim 7d444840-9dc0-41d1-b245-5ffdce74fad2 "
        "(or the recipient uses initiatorClaim / TIGRESS_DEVICE_INITIATOR_CLAIM)"},
    FaultInfo{
        Fault::kSkipIntegrity, "skip-integrity", "PAYLOAD-11 RECIP-05 INIT-15",
        "a payload that fails authentication is decrypted without the tag check (or returned raw)"},
    FaultInfo{Fault::kAcceptUntrustedCert, "accept-untrusted-cert", "INIT-12 RECIP-14 SEC-15",
              "TLS certificate and host-name verification are switched off"},
    FaultInfo{
        Fault::kIdentifyingDisplayInfo, "identifying-display-info", "PRIV-09 INIT-14",
        "displayInformation.description gains 'Alice Example +1-202-555-0143 alice@example.com'"},
    FaultInfo{Fault::kPlaintextPayload, "plaintext-payload", "PAYLOAD-12 INIT-03 PRIV-02",
              "payload data is the base64 of the plaintext JSON, not encrypted"},
    FaultInfo{Fault::kIgnoreRequestIdEcho, "ignore-request-id-echo", "REPLAY-10 INIT-06 RECIP-11",
              "a 2xx response with a missing or different Mailbox-Request-ID echo is accepted"},
    FaultInfo{Fault::kRequestIdReuse, "request-id-reuse", "REPLAY-11",
              "every request of the process carries the same Mailbox-Request-ID"},
    FaultInfo{Fault::kSecretReuse, "secret-reuse", "PAYLOAD-15 PAYLOAD-16",
              "every share of the process uses the same Secret"},
    FaultInfo{Fault::kExpirationNotUtc, "expiration-not-utc", "INIT-04",
              "mailboxConfiguration.expiration is sent as YYYY-MM-DDThh:mm:ss+00:00"},
    FaultInfo{Fault::kNoWriteRight, "no-write-right", "INIT-05",
              "the initiator asks for accessRights \"RD\" whatever it was told"},
    FaultInfo{Fault::kSendCookie, "send-cookie", "PRIV-05",
              "every request of the process carries one Cookie header (a stable identifier)"},
    FaultInfo{Fault::kAttestationReuse, "attestation-reuse", "PRIV-08 INIT-14",
              "shares with `attest` carry one Mailbox-Device-Attestation value for the whole "
              "process"},
    FaultInfo{Fault::kNoContentType, "no-content-type", "INIT-02",
              "requests with a JSON body carry no Content-Type header"},
    FaultInfo{Fault::kWeakSecret, "weak-secret", "PAYLOAD-15",
              "the Secret is half random octets and half zeros (8 + 8 for AES-128, 16 + 16 for "
              "AES-256)"},
};

}  // namespace

std::span<const FaultInfo> AllFaults() { return kFaults; }

Result<Fault> ParseFault(std::string_view name) {
  if (name.empty() || name == "none") return Fault::kNone;
  std::string names;
  for (const FaultInfo& f : kFaults) {
    if (f.name == name) return f.fault;
    names += names.empty() ? "" : ", ";
    names += f.name;
  }
  return MakeError(Errc::kFaultUnknown,
                   "fault '" + std::string(name) + "' is not one of: " + names);
}

std::string_view FaultName(Fault f) {
  for (const FaultInfo& i : kFaults) {
    if (i.fault == f) return i.name;
  }
  return "none";
}

}  // namespace tigress::device
