// File: harness/kat/kat_backend.h
//
// `KatBackend`: what the known-answer vector runner needs from an
// implementation. The methods mirror the adapter's known-answer operations
// (docs/adapter-contract.md: payload.seal, payload.open, shareUrl.parse,
// shareUrl.build), plus two that only the protocol core offers (fragment
// stripping and message-body parsing); other backends inherit the default
// implementations, which answer "unsupported".
//
//   CoreBackend core;                         // harness/kat/core_backend.h
//   auto data = core.PayloadSeal({"AEAD_AES_128_GCM", key, iv, plaintext});
//   if (!data) std::cout << data.error().token;   // "payload.key_length_mismatch"
//
// An adapter-backed backend (the harness's) maps JSON-RPC answers onto these
// types: error 1001 / -32602 become `BackendError::Kind::kRejected` with an
// empty token (adapters do not report catalogue tokens, so it returns false
// from `ReportsErrorTokens`), -32601 becomes `kUnsupported`, anything else
// (crash, garbage, timeout) `kBroken`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include "protocol/encoding.h"

namespace tigress::kat {

// `BackendError` is a backend's answer when an operation did not produce a value.
struct BackendError {
  enum class Kind {
    kRejected,     // the implementation refused the input (what invalid vectors expect)
    kUnsupported,  // the implementation does not offer this operation
    kBroken,       // the implementation or its adapter failed (never a pass)
  };
  Kind kind = Kind::kRejected;
  // Canonical error token from protocol/errors.def ("payload.auth_failed"),
  // or empty when the backend cannot tell.
  std::string token;
  // Human detail; for message parsing it names the offending field by JSON path.
  std::string detail;
};

// Found by argument-dependent lookup when `BackendResult<T>::value()` holds an error.
[[noreturn]] void throw_exception_from_error(const BackendError& e,
                                             const boost::source_location& loc);

template <class T>
using BackendResult = boost::system::result<T, BackendError>;

// `Rejected`, `Unsupported` and `Broken` build the three kinds of `BackendError`.
BackendError Rejected(std::string token, std::string detail);
BackendError Unsupported(std::string detail);
BackendError Broken(std::string detail);

// `SealRequest` is payload.seal: `cipher` is the wire `type` string as written
// in the vector (so unknown and legacy names reach the implementation).
struct SealRequest {
  std::string cipher;
  Bytes key;
  Bytes iv;
  Bytes plaintext;
};

// `OpenRequest` is payload.open: `data` is the exact wire string.
struct OpenRequest {
  std::string cipher;
  Bytes key;
  std::string data;
};

// `ShareUrlFields` is what shareUrl.parse returns. `relay_host` is the
// authority (host and ":port" when present); absent parts are nullopt.
struct ShareUrlFields {
  std::string relay_host;
  std::string api_version;
  std::string mailbox_id;
  std::optional<std::string> vertical;
  std::optional<Bytes> secret;
};

// `ShareUrlBuildRequest` is shareUrl.build.
struct ShareUrlBuildRequest {
  std::string relay_base_url;
  std::string mailbox_id;
  std::optional<std::string> vertical;
  std::optional<Bytes> secret;
};

// `MessageRequest` asks to parse `body` as `message` ("CreateMailboxRequest",
// "ProvisioningInfo", ...; the names of vectors/messages.schema.json).
struct MessageRequest {
  std::string message;
  std::string body;
  bool strict = false;
};

// `KatBackend` runs single known-answer operations. Implementations must not
// throw; every failure is a `BackendError`.
class KatBackend {
 public:
  KatBackend() = default;
  KatBackend(const KatBackend&) = delete;
  KatBackend& operator=(const KatBackend&) = delete;
  KatBackend(KatBackend&&) = delete;
  KatBackend& operator=(KatBackend&&) = delete;
  virtual ~KatBackend() = default;

  // `Name` identifies the backend in output ("core", "adapter:acme").
  virtual std::string Name() const = 0;
  // `ReportsErrorTokens` is true when rejections carry catalogue tokens; the
  // runner then requires the vector's exact token (and field, for messages).
  virtual bool ReportsErrorTokens() const = 0;

  // `PayloadSeal` returns the `data` string for the given IV.
  virtual BackendResult<std::string> PayloadSeal(const SealRequest& req) = 0;
  // `PayloadOpen` returns the plaintext.
  virtual BackendResult<Bytes> PayloadOpen(const OpenRequest& req) = 0;
  // `ShareUrlParse` parses and validates a Share URL.
  virtual BackendResult<ShareUrlFields> ShareUrlParse(std::string_view url) = 0;
  // `ShareUrlBuild` returns the Share URL.
  virtual BackendResult<std::string> ShareUrlBuild(const ShareUrlBuildRequest& req) = 0;
  // `ShareUrlStripFragment` returns `url` without its fragment. Default: unsupported.
  virtual BackendResult<std::string> ShareUrlStripFragment(std::string_view url);
  // `MessageParse` parses a body and returns its serialisation. Default: unsupported.
  virtual BackendResult<nlohmann::json> MessageParse(const MessageRequest& req);
};

}  // namespace tigress::kat
