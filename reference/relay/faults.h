// File: reference/relay/faults.h
//
// The relay's switchable behaviours, as data: deliberate spec violations
// (`Fault`, at most one, `--fault`) and legal but unusual choices (`Quirk`,
// any number, `--quirk`). Each has a name, a one-line description for
// --help and docs/relay.md, and (quirks) the rule that allows it.
//
//   Result<Fault> f = ParseFault("no-request-id-echo");   // Fault::kNoRequestIdEcho
//   QuirkSet q{Quirk::kMethod501};
//   q.Has(Quirk::kHead405);                               // false
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "protocol/result.h"

namespace tigress::relay {

// Deliberate spec violations, one at a time, so that the harness can prove
// its negative checks fail on a relay that breaks the rule (issue 3). Never
// on by default.
enum class Fault {
  kNone,
  kNoRequestIdEcho,        // REPLAY-01: never echo Mailbox-Request-ID
  kDuplicateReprocessed,   // REPLAY-02..04: duplicates are processed again
  kDuplicateCreateNoBody,  // REPLAY-12/C-05: 201 to a duplicate create has an empty body
  kBindAnyClaim,           // RELAY-31/56, SEC-04: any claim reads, nobody is refused
  kNotFoundAs401,          // RELAY-59/C-44: unknown mailbox answers 401
  kNoExpiry,               // RELAY-45, SEC-07: expiration is never enforced
  kAcceptPastExpiration,   // RELAY-47/C-23: a past expiration is accepted
  kIgnoreAccessRights,     // RELAY-12/48: accessRights are not enforced
  kSequentialIds,          // RELAY-04/05, SEC-06: mailbox ids are a counter
  kUrlLinkWithoutVersion,  // RELAY-02/C-26: urlLink is <public-url>/m/<id>
  kPreviewUnescaped,       // SEC-10: display information inserted raw, javascript: kept
  kPreviewLeaksPayload,    // RELAY-28, PRIV: payload data appears in the preview
  kDeleteKeepsMailbox,     // RELAY-22: delete answers 200 but keeps the mailbox
  kExpirationNotStrict,    // RELAY-29/C-24: read returns a non-wire timestamp form
  kPushToWriter,           // RELAY-50/C-37: the writer is notified, not the other party
  kBadJson500,             // RELAY-10, robustness: malformed JSON answers 500
  kNoBodyLimit,            // RELAY-55: no request body limit (transport)
  kPlainHttp,              // SEC-01: serves plain HTTP instead of TLS (transport)
  kAllowTls10,             // SEC-03/C-43: accepts TLS 1.0 and weak ciphers (transport)
  kSetCookie,              // PRIV-04: every response sets a tracking cookie
  kPushWithPayload,        // PRIV-10: a push carries the new payload
  kRefuseCreates,          // RELAY-01: every create is refused with 400
  kDuplicateClaimAny,      // RELAY-66, SEC-04: of two claim lines, any party's one authorises
  kMethod500,              // RELAY-61, C-46: a method the relay does not implement answers 500
  kHead500,                // RELAY-61, RELAY-62: HEAD on a mailbox answers 500
  kAttestationCreateOnly,  // C-10 / sct-04 §6.3.2, §6.5.2, §6.6.2: the attestation header
                           // on delete, secure read or relinquish answers 400
};

struct FaultInfo {
  Fault fault;
  std::string_view name;         // "--fault" value, e.g. "no-request-id-echo"
  std::string_view description;  // one line for --help and docs
};

// `AllFaults` lists every fault except kNone, in declaration order.
const std::vector<FaultInfo>& AllFaults();
// `ParseFault` maps a --fault value to a Fault. Errors: kFieldInvalid listing
// the known names.
Result<Fault> ParseFault(std::string_view name);

// Legal but unusual behaviours, each allowed by the draft or the HTTP RFCs,
// that the reference relay does not show by default. They let the harness
// prove that it gives no FAIL to a relay that makes the other choice. Any
// number may be on at once; each changes only the behaviour it names.
enum class Quirk {
  kMethod501,          // a method the relay does not implement gets 501 (RFC 9110 §9.1)
  kHead405,            // HEAD on a mailbox gets 405 with Allow (RFC 9110 §9.1)
  kEarly413Close,      // over-limit Content-Length: 413 then close, body unread (transport)
  kAnyRequestId,       // any non-empty Mailbox-Request-ID is accepted (draft §5.1 SHOULD)
  kOpaqueData,         // payload data is only checked to be a non-empty string
  kTrailingSlash,      // /v1/m/ and /v1/m/<id>/ mean /v1/m and /v1/m/<id> (RFC 9110 §4.2.3)
  kLargeHeaders,       // header sections up to 1 MiB are accepted (transport, RFC 9110 §5.4)
  kOgImageAnyScheme,   // og:image keeps an imageURL of any scheme, escaped
  kRequestIdOptional,  // a missing Mailbox-Request-ID is accepted everywhere (sct-04 §6)
};

struct QuirkInfo {
  Quirk quirk;
  std::string_view name;         // "--quirk" value, e.g. "method-501"
  std::string_view description;  // one line for --help
  std::string_view allowed_by;   // the rule that allows it, e.g. "RFC 9110 §9.1"
};

// `AllQuirks` lists every quirk in declaration order.
const std::vector<QuirkInfo>& AllQuirks();
// `ParseQuirk` maps a --quirk value to a Quirk. Errors: kFieldInvalid listing
// the known names.
Result<Quirk> ParseQuirk(std::string_view name);

// The quirks switched on; empty by default.
class QuirkSet {
 public:
  QuirkSet() = default;
  QuirkSet(std::initializer_list<Quirk> quirks) {
    for (Quirk q : quirks) Add(q);
  }
  void Add(Quirk q) { bits_ |= Bit(q); }
  bool Has(Quirk q) const { return (bits_ & Bit(q)) != 0; }
  bool Empty() const { return bits_ == 0; }

 private:
  static unsigned Bit(Quirk q) { return 1u << static_cast<unsigned>(q); }
  unsigned bits_ = 0;
};

}  // namespace tigress::relay
