#include "reference/device/device.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <thread>

#include <openssl/evp.h>

#include "protocol/payload.h"
#include "protocol/random.h"
#include "protocol/rfc3339.h"
#include "protocol/uuid.h"
#include "reference/device/exchange.h"

namespace tigress::device {
namespace {

constexpr std::string_view kSecretHeader = "X-Tigress-Debug-Secret";

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kInitiator:
      return "initiator";
    case Role::kRecipient:
      return "recipient";
    case Role::kNone:
      break;
  }
  return "none";
}

// The mailbox id's first 8 characters: enough to follow a log, not enough
// to address the mailbox.
std::string ShortMailbox(std::string_view url) {
  std::size_t m = url.find("/m/");
  if (m == std::string_view::npos) return "(new mailbox)";
  return std::string(url.substr(m + 3, 8));
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      std::array<char, 4> buf{};
      std::snprintf(buf.data(), buf.size(), "%%%02X", c);
      out += buf.data();
    }
  }
  return out;
}

Error StateError(std::string detail) {
  return MakeError(Errc::kStateFileInvalid, std::move(detail));
}

}  // namespace

Json DeviceStateToJson(const DeviceState& s) {
  Json j{{"role", RoleName(s.role)},
         {"closed", s.closed},
         {"mailboxUrl", s.mailbox_url},
         {"claim", s.claim},
         {"secret", Base64Encode(s.secret)},
         {"written", s.written},
         {"returned", s.returned}};
  if (auto c = CipherForKeyLength(s.secret.size())) j["cipher"] = CipherName(*c);
  if (s.notification_token) j["notificationToken"] = ToJson(*s.notification_token);
  if (s.attestation) j["attestation"] = *s.attestation;
  return j;
}

Result<DeviceState> DeviceStateFromJson(const Json& j) {
  if (!j.is_object()) return StateError("the state is not a JSON object");
  DeviceState s;
  auto str = [&](const char* key) -> Result<std::string> {
    if (!j.contains(key) || !j[key].is_string())
      return StateError(std::string(key) + ": missing or not a string");
    return j[key].get<std::string>();
  };
  TIGRESS_ASSIGN_OR_RETURN(std::string role, str("role"));
  if (role == "initiator") {
    s.role = Role::kInitiator;
  } else if (role == "recipient") {
    s.role = Role::kRecipient;
  } else if (role != "none") {
    return StateError("role: '" + role + "' is not initiator, recipient or none");
  }
  TIGRESS_ASSIGN_OR_RETURN(s.mailbox_url, str("mailboxUrl"));
  TIGRESS_ASSIGN_OR_RETURN(s.claim, str("claim"));
  TIGRESS_ASSIGN_OR_RETURN(std::string secret, str("secret"));
  auto key = Base64Decode(secret);
  if (!key) return StateError("secret: " + key.error().detail);
  s.secret = std::move(*key);
  if (j.contains("closed")) {
    if (!j["closed"].is_boolean()) return StateError("closed: not a boolean");
    s.closed = j["closed"].get<bool>();
  }
  for (const char* list : {"written", "returned"}) {
    if (!j.contains(list)) continue;
    if (!j[list].is_array()) return StateError(std::string(list) + ": not an array");
    auto& out = std::string_view(list) == "written" ? s.written : s.returned;
    for (const Json& v : j[list]) {
      if (!v.is_string()) return StateError(std::string(list) + ": an entry is not a string");
      out.push_back(v.get<std::string>());
    }
  }
  if (j.contains("notificationToken")) {
    const Json& t = j["notificationToken"];
    if (!t.is_object() || !t.contains("type") || !t["type"].is_string() ||
        !t.contains("tokenData") || !t["tokenData"].is_string()) {
      return StateError("notificationToken: needs string type and tokenData");
    }
    s.notification_token =
        NotificationToken{t["type"].get<std::string>(), t["tokenData"].get<std::string>()};
  }
  if (j.contains("attestation")) {
    TIGRESS_ASSIGN_OR_RETURN(s.attestation, str("attestation"));
  }
  return s;
}

Device::Device(Transport& transport, DeviceOptions options, FaultMemory& memory)
    : transport_(transport), options_(std::move(options)), memory_(memory) {
  if (!options_.sleep)
    options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (!options_.now) options_.now = [] { return std::chrono::steady_clock::now(); };
}

void Device::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

std::string Device::NewClaim(Role role, const std::optional<std::string>& initiator_claim) {
  switch (options_.fault) {
    case Fault::kClaimReuse:
      if (!memory_.claim) memory_.claim = NewUuidV4();
      return *memory_.claim;
    case Fault::kClaimNotV4:
      return MakeV1StyleUuid(memory_.v1_counter++);
    case Fault::kClaimSameAsInitiator:
      if (role == Role::kRecipient && initiator_claim) return *initiator_claim;
      return std::string(kSharedFaultClaim);
    default:
      return NewUuidV4();
  }
}

Result<std::string> Device::NewAttestation() {
  if (options_.fault == Fault::kAttestationReuse && memory_.attestation) {
    return *memory_.attestation;
  }
  TIGRESS_ASSIGN_OR_RETURN(Bytes random, RandomBytes(32));
  std::string value = "opaque." + Base64UrlEncode(random, false);
  if (options_.fault == Fault::kAttestationReuse) memory_.attestation = value;
  return value;
}

std::string Device::NewRequestId() {
  if (options_.fault == Fault::kRequestIdReuse) {
    if (!memory_.request_id) memory_.request_id = NewUuidV4();
    return *memory_.request_id;
  }
  return NewUuidV4();
}

std::optional<NotificationToken> Device::TokenFor(const std::optional<NotificationToken>& given) {
  if (options_.fault != Fault::kTokenReuse) return given;
  if (!memory_.token) {
    memory_.token = given.value_or(
        NotificationToken{"webhook", "https://localhost/tigress-device/fixed-token"});
  }
  return memory_.token;
}

Result<void> Device::RequireActive(std::string_view what) const {
  if (state_.role == Role::kNone) {
    return MakeError(
        Errc::kDeviceNotReady,
        std::string(what) + ": no share yet (call initiator.share or recipient.accept)");
  }
  // After close or relinquish the relay decides (404, 401): the harness
  // compares those statuses, so the device does not pre-empt them.
  return {};
}

Result<Payload> Device::Seal(std::string_view plaintext) {
  TIGRESS_ASSIGN_OR_RETURN(Cipher cipher, CipherForKeyLength(state_.secret.size()));
  if (options_.fault == Fault::kPlaintextPayload) {
    return Payload{std::string(CipherName(cipher)), Base64Encode(ToBytes(plaintext))};
  }
  if (options_.fault == Fault::kIvReuse) {
    if (!memory_.iv) {
      TIGRESS_ASSIGN_OR_RETURN(memory_.iv, RandomBytes(kIvLength));
    }
    TIGRESS_ASSIGN_OR_RETURN(std::string data,
                             SealData(cipher, state_.secret, *memory_.iv, ToBytes(plaintext)));
    return Payload{std::string(CipherName(cipher)), std::move(data)};
  }
  return SealPayload(cipher, state_.secret, ToBytes(plaintext));
}

Result<ProvisioningInfo> Device::Open(const Payload& payload) {
  auto info = OpenProvisioningInfo(payload, state_.secret);
  if (!info && options_.fault == Fault::kSkipIntegrity &&
      RpcCodeFor(info.error()) == kRpcIntegrity) {
    return UnverifiedOpen(payload, state_.secret);
  }
  return info;
}

Result<HttpResponse> Device::Perform(const Call& call, bool* resent) {
  const RevisionInfo& spoken = RevisionOf(options_.revision);
  HttpRequest req{call.method, call.url, {}, call.body};
  std::string request_id = NewRequestId();
  req.headers.emplace_back(spoken.claim_header, state_.claim);
  req.headers.emplace_back(spoken.request_id_header, request_id);
  if (state_.attestation) req.headers.emplace_back(spoken.attestation_header, *state_.attestation);
  if (!call.body.empty() && options_.fault != Fault::kNoContentType) {
    req.headers.emplace_back("Content-Type", "application/json");
  }
  if (options_.fault == Fault::kSecretToRelay)
    req.headers.emplace_back(kSecretHeader, Base64Encode(state_.secret));
  if (options_.fault == Fault::kSendCookie) {
    static const std::string cookie = "session=" + NewUuidV4();  // one per process
    req.headers.emplace_back("Cookie", cookie);
  }
  if (resent != nullptr) *resent = false;
  Result<HttpResponse> response = MakeError(Errc::kTransportFailure, "no attempt");
  for (int attempt = 0; attempt <= std::max(0, options_.retries); ++attempt) {
    if (attempt > 0) {
      // REPLAY-09: the same request with the same Request-ID, so a relay
      // that did process the first one answers 201 instead of acting twice.
      Log("device: " + call.what + " got no response, resending with the same Request-ID");
      if (resent != nullptr) *resent = true;
    }
    response = transport_.Send(req);
    if (response || !response.error().Is(Errc::kTransportFailure)) break;
  }
  if (response && call.resend_after_success) {
    Log("device: " + call.what + " answered " + std::to_string(response->status) +
        "; resending it with the same Request-ID (requestIdRetry)");
    if (resent != nullptr) *resent = true;
    response = transport_.Send(req);
  }
  if (!response) {
    Log("device: " + call.what + " " + ShortMailbox(call.url) +
        " failed: " + response.error().Message());
    return response.error();
  }
  Log("device: " + call.what + " " + call.method + " " + ShortMailbox(call.url) + " -> " +
      std::to_string(response->status) + " (claim " + Redact(state_.claim) + ")");
  if (response->status >= 200 && response->status <= 299 &&
      options_.fault != Fault::kIgnoreRequestIdEcho) {
    auto echo = CheckRequestIdEcho(*response, request_id, spoken.request_id_header);
    if (!echo) return MakeError(Errc::kProtocolViolation, call.what + ": " + echo.error().detail);
  }
  return response;
}

Result<ShareResult> Device::Share(const ShareParams& params) {
  if (!options_.relay_base_url || options_.relay_base_url->empty()) {
    return MakeError(Errc::kDeviceUsage,
                     "relayBaseUrl: an initiator needs the relay's base URL (configure)");
  }
  auto when = ParseRfc3339(params.expiration);
  if (!when) return MakeError(Errc::kDeviceUsage, "expiration: " + when.error().detail);
  std::string expiration = FormatUtc(*when);
  if (options_.fault == Fault::kExpirationNotUtc)
    expiration = expiration.substr(0, expiration.size() - 1) + "+00:00";
  std::string rights = params.access_rights.value_or("RWD");
  if (options_.fault == Fault::kNoWriteRight) rights = "RD";
  if (auto ok = ValidateAccessRights(rights); !ok)
    return MakeError(Errc::kDeviceUsage, ok.error().detail);
  if (params.vertical && *params.vertical != "a" && *params.vertical != "h" &&
      *params.vertical != "c") {
    return MakeError(Errc::kDeviceUsage, "vertical: '" + *params.vertical + "' is not a, h or c");
  }

  DeviceState next;
  next.role = Role::kInitiator;
  if (options_.fault == Fault::kSecretReuse && memory_.secret &&
      memory_.secret->size() == KeyLength(params.cipher)) {
    next.secret = *memory_.secret;
  } else {
    const std::size_t length = KeyLength(params.cipher);
    // Half the key random, the rest zero: the right length, half the entropy.
    TIGRESS_ASSIGN_OR_RETURN(
        next.secret, RandomBytes(options_.fault == Fault::kWeakSecret ? length / 2 : length));
    next.secret.resize(length, 0);
    if (options_.fault == Fault::kSecretReuse) memory_.secret = next.secret;
  }
  next.claim = NewClaim(Role::kInitiator, std::nullopt);
  next.notification_token = TokenFor(params.notify);
  if (params.attest) {
    TIGRESS_ASSIGN_OR_RETURN(next.attestation, NewAttestation());
  }
  DeviceState previous = std::move(state_);
  state_ = std::move(next);

  auto restore_on_error = [&](Error e) {
    state_ = std::move(previous);
    return e;
  };
  auto payload = Seal(ToJson(params.info).dump());
  if (!payload) return restore_on_error(payload.error());
  CreateMailboxRequest create;
  create.payload = *payload;
  create.display_information = params.display;
  if (options_.fault == Fault::kIdentifyingDisplayInfo) {
    create.display_information.description += " (" + std::string(kFaultPii) + ")";
  }
  create.notification_token = state_.notification_token;
  create.mailbox_configuration = MailboxConfiguration{rights, expiration};

  std::string base = *options_.relay_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto response = Perform(
      {"POST", base + "/v1/m", ToJson(create).dump(), "CreateMailbox", params.request_id_retry},
      nullptr);
  if (!response) return restore_on_error(response.error());
  if (auto st = CheckSuccessStatus(*response, "CreateMailbox"); !st)
    return restore_on_error(st.error());
  auto link = UrlLinkFromCreateResponse(*response);
  if (!link) return restore_on_error(link.error());

  state_.mailbox_url = *link;
  state_.written.push_back(payload->data);
  bool in_fragment = params.delivery == SecretDelivery::kFragment;
  auto url = BuildShareUrl(*link, params.vertical,
                           in_fragment ? std::optional<Bytes>(state_.secret) : std::nullopt);
  if (!url)
    return MakeError(Errc::kProtocolViolation,
                     "urlLink cannot make a Share URL: " + url.error().detail);
  ShareResult result;
  result.share_url = *url;
  if (!in_fragment) result.secret = state_.secret;
  return result;
}

Result<AcceptResult> Device::Accept(const AcceptParams& params) {
  TIGRESS_ASSIGN_OR_RETURN(ShareUrl parsed, ParseShareUrl(params.share_url));
  std::optional<Bytes> secret = params.secret ? params.secret : parsed.secret;
  if (!secret)
    return MakeError(Errc::kUrlBadSecret,
                     "no Secret: the Share URL has no fragment and none was given");
  TIGRESS_RETURN_IF_ERROR(CipherForKeyLength(secret->size()));
  // RECIP-01 / URL-08: the fragment never leaves the device; the query may.
  TIGRESS_ASSIGN_OR_RETURN(std::string url, StripFragment(params.share_url));
  if (options_.fault == Fault::kFragmentToRelay) {
    std::size_t hash = params.share_url.find('#');
    std::string fragment =
        hash != std::string::npos ? params.share_url.substr(hash + 1) : Base64Encode(*secret);
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("fragment=") +
           PercentEncode(fragment);
  }

  DeviceState next;
  next.role = Role::kRecipient;
  next.secret = *secret;
  next.mailbox_url = url;
  std::optional<std::string> initiator_claim = params.initiator_claim;
  next.claim = NewClaim(Role::kRecipient, initiator_claim);
  next.notification_token = TokenFor(params.notify);
  if (params.attest) {
    TIGRESS_ASSIGN_OR_RETURN(next.attestation, NewAttestation());
  }
  DeviceState previous = std::move(state_);
  state_ = std::move(next);
  auto restore_on_error = [&](Error e) {
    state_ = std::move(previous);
    return e;
  };

  std::string body;
  if (state_.notification_token)
    body = ToJson(ReadSecureContentRequest{state_.notification_token}).dump();
  auto response = Perform({"POST", state_.mailbox_url, body, "ReadSecureContent"}, nullptr);
  if (!response) return restore_on_error(response.error());
  auto st = CheckSuccessStatus(*response, "ReadSecureContent");
  if (!st) return restore_on_error(st.error());
  if (*st != 200)
    return restore_on_error(MakeError(Errc::kProtocolViolation, "ReadSecureContent answered 201"));
  auto read = ParseReadBody(response->body, true);
  if (!read) return restore_on_error(read.error());
  auto info = Open(read->payload);
  if (!info) return restore_on_error(info.error());
  state_.returned.push_back(read->payload.data);
  return AcceptResult{*read->display_information, std::move(*info), *read->expiration};
}

Result<void> Device::Send(const ProvisioningInfo& info,
                          const std::optional<NotificationToken>& notify, bool request_id_retry) {
  TIGRESS_RETURN_IF_ERROR(RequireActive("send"));
  TIGRESS_ASSIGN_OR_RETURN(Payload payload, Seal(ToJson(info).dump()));
  UpdateMailboxRequest update{payload, notify ? TokenFor(notify) : std::nullopt};
  TIGRESS_ASSIGN_OR_RETURN(
      HttpResponse response,
      Perform({"PUT", state_.mailbox_url, ToJson(update).dump(), "UpdateMailbox", request_id_retry},
              nullptr));
  TIGRESS_RETURN_IF_ERROR(CheckSuccessStatus(response, "UpdateMailbox"));
  state_.written.push_back(payload.data);
  return {};
}

Result<std::optional<ProvisioningInfo>> Device::ReadOnce() {
  std::string body;
  if (state_.notification_token)
    body = ToJson(ReadSecureContentRequest{state_.notification_token}).dump();
  TIGRESS_ASSIGN_OR_RETURN(
      HttpResponse response,
      Perform({"POST", state_.mailbox_url, body, "ReadSecureContent"}, nullptr));
  TIGRESS_ASSIGN_OR_RETURN(int status, CheckSuccessStatus(response, "ReadSecureContent"));
  if (status != 200) return MakeError(Errc::kProtocolViolation, "ReadSecureContent answered 201");
  TIGRESS_ASSIGN_OR_RETURN(ReadBody read, ParseReadBody(response.body, false));
  if (Contains(state_.written, read.payload.data) || Contains(state_.returned, read.payload.data)) {
    return std::optional<ProvisioningInfo>();
  }
  TIGRESS_ASSIGN_OR_RETURN(ProvisioningInfo info, Open(read.payload));
  state_.returned.push_back(read.payload.data);
  return std::optional<ProvisioningInfo>(std::move(info));
}

Result<ProvisioningInfo> Device::Receive(std::optional<std::chrono::milliseconds> timeout) {
  TIGRESS_RETURN_IF_ERROR(RequireActive("receive"));
  auto deadline = options_.now() + timeout.value_or(std::chrono::milliseconds(0));
  for (;;) {
    TIGRESS_ASSIGN_OR_RETURN(std::optional<ProvisioningInfo> got, ReadOnce());
    if (got) return std::move(*got);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - options_.now());
    if (left.count() <= 0) {
      return MakeError(
          Errc::kNoNewMessage,
          "the mailbox holds no message from the other party that was not returned before");
    }
    options_.sleep(std::min(left, options_.poll_interval));
  }
}

Result<void> Device::Close() {
  TIGRESS_RETURN_IF_ERROR(RequireActive("close"));
  bool resent = false;
  TIGRESS_ASSIGN_OR_RETURN(HttpResponse response,
                           Perform({"DELETE", state_.mailbox_url, "", "DeleteMailbox"}, &resent));
  // A resent DELETE whose first copy was processed finds nothing (REPLAY-05).
  if (!(resent && response.status == 404)) {
    TIGRESS_RETURN_IF_ERROR(CheckSuccessStatus(response, "DeleteMailbox"));
  }
  state_.closed = true;
  return {};
}

Result<void> Device::Relinquish() {
  TIGRESS_RETURN_IF_ERROR(RequireActive("relinquish"));
  if (state_.role != Role::kRecipient) {
    return MakeError(Errc::kDeviceNotReady,
                     "relinquish: only a recipient can relinquish a mailbox");
  }
  TIGRESS_ASSIGN_OR_RETURN(
      HttpResponse response,
      Perform({"PATCH", state_.mailbox_url, "", "RelinquishMailbox"}, nullptr));
  TIGRESS_RETURN_IF_ERROR(CheckSuccessStatus(response, "RelinquishMailbox"));
  state_.closed = true;
  return {};
}

std::string MakeV1StyleUuid(int counter) {
  // 100-ns intervals since 1582-10-15, the UUID v1 epoch.
  constexpr std::uint64_t kGregorianOffset = 0x01B21DD213814000ULL;
  auto since_unix = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  std::uint64_t t = static_cast<std::uint64_t>(since_unix.count() / 100) + kGregorianOffset +
                    static_cast<std::uint64_t>(counter);
  auto time_low = static_cast<unsigned>(t & 0xffffffffULL);
  auto time_mid = static_cast<unsigned>((t >> 32) & 0xffffULL);
  auto time_hi = static_cast<unsigned>((t >> 48) & 0x0fffULL) | 0x1000U;
  unsigned clock_seq = 0x8000U | (static_cast<unsigned>(counter) & 0x3fffU);
  std::array<char, 40> buf{};
  std::snprintf(buf.data(), buf.size(), "%08x-%04x-%04x-%04x-0242ac130002", time_low, time_mid,
                time_hi, clock_seq);
  return buf.data();
}

ProvisioningInfo UnverifiedOpen(const Payload& payload, ByteView secret) {
  ProvisioningInfo raw;
  raw.format = "tigress.device.unverified";
  raw.content = Json{{"data", payload.data}};
  auto bytes = Base64DecodeLenient(payload.data);
  if (!bytes || bytes->size() < kMinDataLength || (secret.size() != 16 && secret.size() != 32))
    return raw;
  // GCM's keystream is AES-CTR starting at counter block IV || 00000002.
  Bytes counter(bytes->begin(), bytes->begin() + kIvLength);
  counter.insert(counter.end(), {0, 0, 0, 2});
  std::size_t n = bytes->size() - kMinDataLength;
  Bytes plain(n + 16);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  const EVP_CIPHER* ctr = secret.size() == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr();
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), ctr, nullptr, secret.data(), counter.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), plain.data(), &len, bytes->data() + kIvLength,
                        static_cast<int>(n)) != 1) {
    return raw;
  }
  plain.resize(static_cast<std::size_t>(len));
  auto info = ParseProvisioningInfo(ToString(plain));
  return info ? *info : raw;
}

}  // namespace tigress::device
