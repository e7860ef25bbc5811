#include "reference/device/exchange.h"

#include <charconv>
#include <strings.h>

#include "protocol/json_depth.h"
#include "protocol/payload.h"
#include "protocol/share_url.h"

namespace tigress::device {

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

Error RelayRefusedError(int status, std::string_view what) {
  return MakeError(Errc::kRelayRefused,
                   "HTTP " + std::to_string(status) + " from " + std::string(what));
}

std::optional<int> RelayStatus(const Error& e) {
  if (!e.Is(Errc::kRelayRefused)) return std::nullopt;
  std::string_view d = e.detail;
  if (d.rfind("HTTP ", 0) != 0) return std::nullopt;
  d.remove_prefix(5);
  int status = 0;
  auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), status);
  if (ec != std::errc() || end == d.data()) return std::nullopt;
  return status;
}

int RpcCodeFor(const Error& e) {
  if (e.code.category() != ErrorCategory()) return kRpcInternal;
  switch (static_cast<Errc>(e.code.value())) {
    case Errc::kAuthenticationFailed:
    case Errc::kBase64Invalid:
    case Errc::kPayloadTooShort:
    case Errc::kKeyLengthMismatch:
    case Errc::kCipherUnknown:
    case Errc::kIvLengthInvalid:
    case Errc::kPayloadRejected:
      return kRpcIntegrity;
    case Errc::kRelayRefused:
      return kRpcRelayRefused;
    case Errc::kTransportFailure:
      return kRpcTransport;
    case Errc::kNoNewMessage:
      return kRpcNoNewMessage;
    case Errc::kPlaintextNotProvisioningInfo:
    case Errc::kProtocolViolation:
      return kRpcProtocol;
    case Errc::kJsonInvalid:
    case Errc::kFieldMissing:
    case Errc::kFieldWrongType:
    case Errc::kFieldInvalid:
    case Errc::kFieldUnknown:
    case Errc::kUrlInvalid:
    case Errc::kUrlNotHttps:
    case Errc::kUrlBadPath:
    case Errc::kUrlBadMailboxId:
    case Errc::kUrlBadSecret:
    case Errc::kUrlBadVertical:
    case Errc::kUrlBadHost:
    case Errc::kUuidInvalid:
    case Errc::kUuidNotV4:
    case Errc::kTimestampInvalid:
    case Errc::kTimestampNotStrict:
    case Errc::kHexInvalid:
    case Errc::kDeviceNotReady:
    case Errc::kDeviceUsage:
    case Errc::kFaultUnknown:
      return kRpcInvalidParams;
    default:
      return kRpcInternal;
  }
}

Result<void> CheckRequestIdEcho(const HttpResponse& response, std::string_view sent,
                                std::string_view header) {
  std::optional<std::string> echo = response.Header(header);
  if (!echo) {
    return MakeError(Errc::kProtocolViolation, "the " + std::to_string(response.status) +
                                                   " response has no " + std::string(header) +
                                                   " echo (sent " + std::string(sent) + ")");
  }
  if (*echo != sent) {
    return MakeError(Errc::kProtocolViolation, "the " + std::to_string(response.status) +
                                                   " response echoes " + std::string(header) +
                                                   " '" + *echo + "', sent '" + std::string(sent) +
                                                   "'");
  }
  return {};
}

Result<int> CheckSuccessStatus(const HttpResponse& response, std::string_view what) {
  if (response.status == 200 || response.status == 201) return response.status;
  if (response.status >= 400 && response.status <= 599)
    return RelayRefusedError(response.status, what);
  return MakeError(Errc::kProtocolViolation, std::string(what) + " answered the undefined status " +
                                                 std::to_string(response.status));
}

Result<std::string> UrlLinkFromCreateResponse(const HttpResponse& response) {
  auto violation = [&](const std::string& why) {
    return MakeError(Errc::kProtocolViolation,
                     "CreateMailbox " + std::to_string(response.status) + " response: " + why);
  };
  if (response.status == 201 && response.body.empty()) {
    return violation("a 201 (duplicate Request-ID) without a body carries no urlLink (C-05)");
  }
  auto parsed = ParseCreateMailboxResponse(response.body);
  if (!parsed) return violation(parsed.error().detail);
  const std::string& link = parsed->url_link;
  if (link.find('#') != std::string::npos) return violation("urlLink has a fragment");
  auto url = ParseShareUrl(link);
  if (!url) return violation("urlLink: " + url.error().detail);
  return link;
}

Result<ReadBody> ParseReadBody(std::string_view body, bool need_envelope) {
  auto violation = [](const std::string& why) {
    return MakeError(Errc::kProtocolViolation, "ReadSecureContent response: " + why);
  };
  // Copying a parsed value recurses once per level: a hostile relay's
  // deep nesting is refused before it is parsed.
  if (JsonNestingDepth(body) > kMaxJsonDepth) {
    return violation("body is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) return violation("body is not JSON");
  if (!j.is_object()) return violation("body is not a JSON object");
  if (!j.contains("payload")) return violation("payload: required field is missing");
  Json payload = j["payload"];
  if (payload.is_string()) {
    // C-12: the draft declares payload a String; tolerate a JSON string
    // that holds the {type, data} object. One nested too deep stays a string,
    // refused below like any other unreadable payload.
    const std::string text = payload.get<std::string>();
    if (JsonNestingDepth(text) <= kMaxJsonDepth) {
      Json inner = Json::parse(text, nullptr, false);
      if (!inner.is_discarded()) payload = std::move(inner);
    }
  }
  ReadBody out;
  auto p = PayloadFromJson(payload);
  if (!p) return MakeError(Errc::kPayloadRejected, p.error().detail);
  out.payload = std::move(*p);
  if (need_envelope) {
    if (!j.contains("displayInformation"))
      return violation("displayInformation: required field is missing");
    auto d = DisplayInformationFromJson(j["displayInformation"]);
    if (!d) return violation(d.error().detail);
    out.display_information = std::move(*d);
    if (!j.contains("expiration") || !j["expiration"].is_string()) {
      return violation("expiration: required string is missing");
    }
    out.expiration = j["expiration"].get<std::string>();
  }
  return out;
}

Result<ProvisioningInfo> OpenProvisioningInfo(const Payload& payload, ByteView secret) {
  TIGRESS_ASSIGN_OR_RETURN(Cipher expected, CipherForKeyLength(secret.size()));
  TIGRESS_ASSIGN_OR_RETURN(Cipher cipher, ParseCipher(payload.type));
  if (cipher != expected) {
    return MakeError(Errc::kPayloadRejected, "payload.type " + payload.type +
                                                 " does not match the " +
                                                 std::to_string(secret.size()) + "-octet Secret");
  }
  TIGRESS_ASSIGN_OR_RETURN(Bytes plaintext, OpenData(cipher, secret, payload.data));
  return ParseProvisioningInfo(ToString(plaintext));
}

}  // namespace tigress::device
