// File: harness/har/hostile.h
//
// The hostile modes of the recording proxy (harness/net/proxy.h): how a
// relay's answers are tampered with before they reach the devices, named as
// scenarios write them in a `hostile:` step, and the tampering itself as a
// pure function of the mode, the request target, the relay's answer and what
// earlier answers carried. The proxy does the I/O and holds the lock; nothing
// here touches a socket or a mutex.
//
//   auto mode = ParseHostileMode("flip-bit");   // HostileMode::kFlipBit
//   HostileModeName(*mode) == "flip-bit"
//
//   HostileState state;                          // one per proxy, under its lock
//   HostileOutcome out = ApplyHostile(*mode, "/v1/m/ID?v=c", relay_answer, state);
//   out.answer;                                  // what the device gets
//   out.note;                                    // "hostile: flip-bit", or "" if untouched
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/har/har.h"

namespace tigress::harness {

// `HostileMode` is one of the proxy's behaviours; see
// RecordingProxy::SetHostile for what each does to an answer.
enum class HostileMode {
  kOff,                // "off": forward faithfully
  kFlipBit,            // "flip-bit"
  kTruncate,           // "truncate"
  kReplayOlder,        // "replay-older"
  kSwapMailbox,        // "swap-mailbox"
  kRequestIdMismatch,  // "request-id-mismatch"
  kUntrustedCert,      // "untrusted-cert"
};

// `HostileModeName` is the mode's scenario name (the quoted names above).
std::string_view HostileModeName(HostileMode mode);

// `ParseHostileMode` is the mode named exactly `name` (case-sensitive), or
// nullopt for any other text.
std::optional<HostileMode> ParseHostileMode(std::string_view name);

// `HostileModeList` is every scenario name, in declaration order, joined by
// ", " (for messages that say which names exist).
std::string HostileModeList();

// `RelayAnswer` is an HTTP answer as the proxy relays it: the status, the
// header fields in order with their names as received, the body octets.
struct RelayAnswer {
  int status = 0;
  har::Headers headers;
  std::string body;
};

// `HostileState` is what the proxy remembers of earlier answers so later ones
// can be replayed or swapped. Only 2xx answers whose body is a JSON object
// with a string `payload.data` are remembered, whatever the mode.
struct HostileState {
  // mailbox path (the request target without query or fragment) -> each
  // distinct payload.data served from it, first seen first
  std::map<std::string, std::vector<std::string>> payloads;
  std::string last_path;  // the mailbox of the latest payload seen; "" before any
};

// `HostileOutcome` is the answer the device gets and the exchange's note:
// "hostile: MODE" when the mode changed the answer, "" when it is the relay's.
struct HostileOutcome {
  RelayAnswer answer;
  std::string note;
};

// `ApplyHostile` remembers the answer's payload in `state` (see HostileState)
// and applies `mode` to a 2xx answer (other statuses pass untouched):
//   kOff, kUntrustedCert  untouched (untrusted-cert acts on the TLS handshake)
//   kFlipBit              the octet after the 12-octet nonce of the base64
//                         payload.data has its low bit flipped
//   kTruncate             payload.data loses its last 8 octets (half the tag)
//   kReplayOlder          payload.data is the first one remembered for this
//                         mailbox that differs from the current one
//   kSwapMailbox          payload.data is the latest one remembered of the
//                         mailbox last served, when that is another mailbox
//   kRequestIdMismatch    every Mailbox-Request-ID field (any case) is replaced
//                         by one, appended last, holding a fresh UUID v4
// flip-bit and truncate leave a payload.data alone when it is not canonical
// base64 or decodes to 20 octets or fewer; a mode with nothing to act on
// leaves the answer untouched. A body whose payload changed is re-serialised
// as compact JSON with its members in name order.
HostileOutcome ApplyHostile(HostileMode mode, std::string_view target, RelayAnswer answer,
                            HostileState& state);

}  // namespace tigress::harness
