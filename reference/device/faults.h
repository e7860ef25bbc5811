// File: reference/device/faults.h
//
// Deliberate faults of the reference device. Each one switches on exactly one
// violation of a device requirement, so the harness's negative checks can be
// proven to catch it (a negative check that never fails proves nothing).
// Chosen with `--fault NAME` or, in adapter mode, the environment variable
// TIGRESS_DEVICE_FAULT=NAME (or the `fault` parameter of `configure`).
//
//   Fault f = ParseFault("iv-reuse").value();
//   for (const FaultInfo& i : AllFaults()) std::cout << i.name << " " << i.requirements;
#pragma once

#include <span>
#include <string_view>

#include "protocol/result.h"

namespace tigress::device {

enum class Fault {
  kNone,
  kIvReuse,                 // the same IV for every message of the process
  kSecretToRelay,           // the Secret travels to the relay in a request header
  kFragmentToRelay,         // the recipient puts the URL fragment into the request query
  kClaimReuse,              // one Device Claim for every share of the process
  kTokenReuse,              // one notification token for every share of the process
  kClaimNotV4,              // version-1 (time + MAC-like node) claims
  kClaimSameAsInitiator,    // the recipient presents the initiator's claim
  kSkipIntegrity,           // payloads failing authentication are returned as content
  kAcceptUntrustedCert,     // TLS peer and host verification switched off
  kIdentifyingDisplayInfo,  // a name, phone number and e-mail in displayInformation
  kPlaintextPayload,        // payload data is base64 of the plaintext, not encrypted
  kIgnoreRequestIdEcho,     // a missing or different Mailbox-Request-ID echo is accepted
  kRequestIdReuse,          // one Mailbox-Request-ID for every request of the process
  kSecretReuse,             // one Secret for every share of the process
  kExpirationNotUtc,        // expiration sent with a numeric offset, not ...Z
  kNoWriteRight,            // accessRights "RD" for a multi-round share
  kSendCookie,              // one Cookie header on every request of the process
  kAttestationReuse,        // one Mailbox-Device-Attestation value for every share
  kNoContentType,           // bodies are sent without Content-Type: application/json
  kWeakSecret,              // the Secret's second half is zeros (half its bits random)
};

// `FaultInfo` describes one fault for `--list-faults` and docs/device.md.
struct FaultInfo {
  Fault fault;
  std::string_view name;          // "iv-reuse"
  std::string_view requirements;  // requirement IDs it violates, "PAYLOAD-04"
  std::string_view effect;        // one line: what the device then does
};

// `AllFaults` lists every fault except kNone, in a stable order.
std::span<const FaultInfo> AllFaults();

// `ParseFault` maps a name ("" and "none" are kNone). Errors: kFaultUnknown
// naming the value and the valid names.
Result<Fault> ParseFault(std::string_view name);

// `FaultName` is the name of `f` ("none" for kNone).
std::string_view FaultName(Fault f);

}  // namespace tigress::device
