// File: reference/device/device.h
//
// The reference device: initiator and recipient logic of spec-catalog B.5 and
// B.6 over an injected `Transport`, with no I/O of its own (time and sleeping
// are injectable too), so every behaviour is unit tested against a fake relay.
//
//   FaultMemory memory;
//   Device initiator(transport, {.relay_base_url = "https://localhost:8443"}, memory);
//   ShareResult s = initiator.Share(params).value();       // CreateMailbox
//   Device recipient(transport2, {}, memory2);
//   AcceptResult a = recipient.Accept({.share_url = s.share_url}).value();  // POST read
//   recipient.Send(reply);                                 // UpdateMailbox
//   ProvisioningInfo got = initiator.Receive(std::chrono::seconds(2)).value();
//   initiator.Close();                                     // DeleteMailbox
//
// Headers carry the names of `DeviceOptions::revision` (protocol/revision.h):
// the claim is `Device-Claim` under sct-04, `Mailbox-Device-Claim` under
// http-00. Every mutating request carries a fresh v4 Mailbox-Request-ID (reads carry
// one too, C-01); a request that got no response is resent once with the same
// ID and body, and 201 counts as success (REPLAY-09). A 2xx whose echo is
// missing or different is a protocol violation (REPLAY-10). `Receive` returns
// only a message the other party wrote and this device has not returned
// before: it remembers the `data` strings it wrote and those it returned.
// Errors are classified for the adapter by `RpcCodeFor` (exchange.h).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "protocol/revision.h"
#include "protocol/share_url.h"
#include "reference/device/faults.h"
#include "reference/device/transport.h"

namespace tigress::device {

enum class Role { kNone, kInitiator, kRecipient };

// `DeviceState` is everything one share needs between calls; the CLI keeps it
// in its state file (state_file.h).
struct DeviceState {
  Role role = Role::kNone;
  bool closed = false;
  std::string mailbox_url;            // request URL: urlLink, or the Share URL without fragment
  std::string claim;                  // this device's Device Claim
  Bytes secret;                       // the AEAD key (16 or 32 octets)
  std::vector<std::string> written;   // payload `data` strings this device wrote
  std::vector<std::string> returned;  // payload `data` strings already returned to the caller
  std::optional<NotificationToken> notification_token;
  std::optional<std::string> attestation;  // the attestation header's value, if any
  friend bool operator==(const DeviceState&, const DeviceState&) = default;
};

// `DeviceStateToJson` / `DeviceStateFromJson` are the state file's JSON form
// (role, mailboxUrl, claim, secret as base64, cipher, written, returned,
// closed, notificationToken, attestation). Errors: kStateFileInvalid naming the field.
Json DeviceStateToJson(const DeviceState& s);
Result<DeviceState> DeviceStateFromJson(const Json& j);

// `FaultMemory` holds what a fault reuses across the shares of one process.
struct FaultMemory {
  std::optional<std::string> claim;
  std::optional<std::string> request_id;
  std::optional<Bytes> iv;
  std::optional<Bytes> secret;
  std::optional<NotificationToken> token;
  std::optional<std::string> attestation;
  int v1_counter = 0;
};

struct DeviceOptions {
  Fault fault = Fault::kNone;
  Revision revision = kDefaultRevision;       // the draft whose header names are sent (--spec)
  std::optional<std::string> relay_base_url;  // initiators: https://host[:port]
  int retries = 1;                            // resends of a request that got no response
  std::chrono::milliseconds poll_interval{100};
  // Injectable time; defaults: std::this_thread::sleep_for and steady_clock::now.
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<std::chrono::steady_clock::time_point()> now;
  // One stderr line per call; never receives a Secret, plaintext or full claim.
  std::function<void(const std::string&)> log;
};

struct ShareParams {
  ProvisioningInfo info;
  DisplayInformation display;
  std::optional<std::string> vertical;       // "a", "h", "c"
  std::string expiration;                    // RFC 3339; sent as YYYY-MM-DDThh:mm:ssZ
  std::optional<std::string> access_rights;  // default "RWD" (INIT-05)
  Cipher cipher = Cipher::kAes256Gcm;
  std::optional<NotificationToken> notify;
  SecretDelivery delivery = SecretDelivery::kFragment;
  // Extension `requestIdRetry`: after the relay answered, send the identical
  // request (same Request-ID, same body) once more, as if the answer had been
  // lost, and continue with the relay's second answer (201 with the original
  // urlLink, REPLAY-02/09/12).
  bool request_id_retry = false;
  // Extension `attest`: every request of the share carries a
  // Mailbox-Device-Attestation header (an opaque value, fresh per share:
  // PRIV-08). The reference has no OEM attestation to give.
  bool attest = false;
};

struct ShareResult {
  std::string share_url;
  std::optional<Bytes> secret;  // only for SecretDelivery::kSeparate
};

struct AcceptParams {
  std::string share_url;
  std::optional<Bytes> secret;  // overrides the fragment when given
  std::optional<NotificationToken> notify;
  std::optional<std::string> initiator_claim;  // used only by claim-same-as-initiator
  bool attest = false;                         // as ShareParams::attest
};

struct AcceptResult {
  DisplayInformation display;
  ProvisioningInfo info;
  std::string expiration;
};

// `kSharedFaultClaim` is the claim both roles use under claim-same-as-initiator.
inline constexpr std::string_view kSharedFaultClaim = "7d444840-9dc0-41d1-b245-5ffdce74fad2";
// `kFaultPii` is what identifying-display-info appends to the description.
inline constexpr std::string_view kFaultPii = "Alice Example +1-202-555-0143 alice@example.com";

class Device {
 public:
  // `transport` and `memory` must outlive the device.
  Device(Transport& transport, DeviceOptions options, FaultMemory& memory);

  // `Share` starts a share as initiator: fresh Secret and claim, seal, and
  // CreateMailbox. Errors: kDeviceUsage (no relay base URL, bad expiration or
  // rights), transport/relay/protocol errors.
  Result<ShareResult> Share(const ShareParams& params);

  // `Accept` takes a share as recipient: strips the fragment, makes its own
  // claim, POST read, verifies and opens message 1. Errors: URL errors (bad
  // Share URL), kUrlBadSecret (no Secret at all), payload errors (→ 1001),
  // kPlaintextNotProvisioningInfo, transport/relay/protocol errors.
  Result<AcceptResult> Accept(const AcceptParams& params);

  // `Send` seals `info` and UpdateMailbox. Errors: kDeviceNotReady, transport/relay/protocol.
  // `request_id_retry` is the extension described at `ShareParams`.
  Result<void> Send(const ProvisioningInfo& info,
                    const std::optional<NotificationToken>& notify = {},
                    bool request_id_retry = false);

  // `Receive` reads until a new message from the other party arrives or
  // `timeout` (default: one read) passes, sleeping `poll_interval` between
  // reads. Errors: kNoNewMessage, payload errors, transport/relay/protocol.
  Result<ProvisioningInfo> Receive(std::optional<std::chrono::milliseconds> timeout = {});

  // `Close` is DeleteMailbox (a 404 after a resend counts as done).
  Result<void> Close();
  // `Relinquish` is RelinquishMailbox (recipients only).
  Result<void> Relinquish();

  const DeviceState& state() const { return state_; }
  void set_state(DeviceState s) { state_ = std::move(s); }

 private:
  struct Call {
    std::string method;
    std::string url;
    std::string body;
    std::string what;                   // "UpdateMailbox", for errors and logs
    bool resend_after_success = false;  // the requestIdRetry extension
  };
  Result<HttpResponse> Perform(const Call& call, bool* resent);
  Result<std::optional<ProvisioningInfo>> ReadOnce();
  Result<Payload> Seal(std::string_view plaintext);
  Result<ProvisioningInfo> Open(const Payload& payload);
  std::string NewClaim(Role role, const std::optional<std::string>& initiator_claim);
  Result<std::string> NewAttestation();
  std::string NewRequestId();
  std::optional<NotificationToken> TokenFor(const std::optional<NotificationToken>& given);
  Result<void> RequireActive(std::string_view what) const;
  void Log(const std::string& line) const;

  Transport& transport_;
  DeviceOptions options_;
  FaultMemory& memory_;
  DeviceState state_;
};

// `MakeV1StyleUuid` is a version-1 UUID from the clock, `counter` and the
// MAC-like node 02:42:ac:13:00:02 (for the claim-not-v4 fault).
std::string MakeV1StyleUuid(int counter);

// `UnverifiedOpen` is what skip-integrity does instead of `OpenData`: AES-CTR
// decryption without checking the tag, or the raw data when even that fails.
ProvisioningInfo UnverifiedOpen(const Payload& payload, ByteView secret);

}  // namespace tigress::device
