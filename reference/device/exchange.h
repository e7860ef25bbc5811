// File: reference/device/exchange.h
//
// Pure pieces of the device's HTTP exchanges, free of I/O so they are unit
// tested directly: the error classification of the adapter contract
// (shared/design/adapter-protocol.md section 2), the Mailbox-Request-ID echo
// check (REPLAY-10), status-code checks and response-body parsing.
//
//   TIGRESS_RETURN_IF_ERROR(CheckRequestIdEcho(response, sent_id));
//   int code = RpcCodeFor(error);   // 1001..1005, -32602, -32603
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/messages.h"
#include "reference/device/transport.h"

namespace tigress::device {

// JSON-RPC error codes: the contract's application codes and JSON-RPC 2.0's.
inline constexpr int kRpcIntegrity = 1001;     // payload failed authentication / decoding
inline constexpr int kRpcRelayRefused = 1002;  // 4xx/5xx, data.status
inline constexpr int kRpcTransport = 1003;     // TLS or connection failure, data.detail
inline constexpr int kRpcNoNewMessage = 1004;  // nothing new from the other party
inline constexpr int kRpcProtocol = 1005;      // relay or peer broke the protocol, data.detail
inline constexpr int kRpcParseError = -32700;
inline constexpr int kRpcInvalidRequest = -32600;
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcInvalidParams = -32602;
inline constexpr int kRpcInternal = -32603;

// `RelayRefusedError` is a kRelayRefused error whose detail starts with
// "HTTP <status>" (read back by `RelayStatus`).
Error RelayRefusedError(int status, std::string_view what);
// `RelayStatus` is the HTTP status of a kRelayRefused error, nullopt otherwise.
std::optional<int> RelayStatus(const Error& e);

// `RpcCodeFor` classifies an error the way every adapter must: payload
// authentication, base64, length, type/key-length and cipher errors → 1001;
// relay 4xx/5xx → 1002; transport → 1003; no new message → 1004; plaintext
// that is not Provisioning Information and protocol violations → 1005;
// malformed parameters, URLs and calls out of order → -32602; anything else
// → -32603.
int RpcCodeFor(const Error& e);

// `CheckRequestIdEcho` requires the response's `header` (the revision's
// request_id_header) to be byte-identical to `sent`. Errors:
// kProtocolViolation (missing or different; the detail shows both values,
// which are not secret).
Result<void> CheckRequestIdEcho(const HttpResponse& response, std::string_view sent,
                                std::string_view header = kHeaderRequestId);

// `CheckSuccessStatus` accepts 200 and 201 (201 = the relay already processed
// this Request-ID, REPLAY-09). Errors: kRelayRefused for 4xx/5xx,
// kProtocolViolation for any other status. `what` names the call.
Result<int> CheckSuccessStatus(const HttpResponse& response, std::string_view what);

// `UrlLinkFromCreateResponse` reads `urlLink` from a 200 or 201 CreateMailbox
// body and checks it is a Share URL without fragment. Errors:
// kProtocolViolation (a 201 without urlLink, C-05; bad JSON; bad URL).
Result<std::string> UrlLinkFromCreateResponse(const HttpResponse& response);

// `ReadBody` is the parsed 200 body of ReadSecureContent, split so that a
// broken payload (→ 1001) and a broken envelope (→ 1005) are told apart.
struct ReadBody {
  Payload payload;
  std::optional<DisplayInformation> display_information;
  std::optional<std::string> expiration;
};

// `ParseReadBody` parses a ReadSecureContent body. `payload` must be the
// {type, data} object (a JSON string holding it is tolerated, C-12). Errors:
// kProtocolViolation (not JSON, no payload, bad displayInformation or
// expiration when `need_envelope`), kPayloadRejected (payload fields missing
// or not strings).
Result<ReadBody> ParseReadBody(std::string_view body, bool need_envelope);

// `OpenProvisioningInfo` opens `payload` under `secret` and parses the
// plaintext. The payload `type` must be the cipher whose key length is the
// Secret's. Errors: kPayloadRejected (type mismatch), the errors of
// `OpenData` (all → 1001), kPlaintextNotProvisioningInfo (→ 1005).
Result<ProvisioningInfo> OpenProvisioningInfo(const Payload& payload, ByteView secret);

}  // namespace tigress::device
