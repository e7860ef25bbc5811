#include "harness/kat/core_backend.h"

#include "protocol/messages.h"
#include "protocol/payload.h"
#include "protocol/share_url.h"

namespace tigress::kat {
namespace {

BackendError FromError(const Error& e) { return Rejected(std::string(e.Token()), e.detail); }

template <class T>
BackendResult<Json> Serialized(const Result<T>& r) {
  if (!r) return FromError(r.error());
  // Json converts to almost anything, so the value constructor must be named.
  return BackendResult<Json>(boost::system::in_place_value, ToJson(*r));
}

}  // namespace

BackendResult<std::string> CoreBackend::PayloadSeal(const SealRequest& req) {
  auto cipher = ParseCipher(req.cipher);
  if (!cipher) return FromError(cipher.error());
  auto data = SealData(*cipher, req.key, req.iv, req.plaintext);
  if (!data) return FromError(data.error());
  return std::move(*data);
}

BackendResult<Bytes> CoreBackend::PayloadOpen(const OpenRequest& req) {
  auto plaintext = OpenPayload(Payload{req.cipher, req.data}, req.key);
  if (!plaintext) return FromError(plaintext.error());
  return std::move(*plaintext);
}

BackendResult<ShareUrlFields> CoreBackend::ShareUrlParse(std::string_view url) {
  auto parsed = ParseShareUrl(url);
  if (!parsed) return FromError(parsed.error());
  return ShareUrlFields{parsed->relay_host, parsed->api_version, parsed->mailbox_id,
                        parsed->vertical, parsed->secret};
}

BackendResult<std::string> CoreBackend::ShareUrlBuild(const ShareUrlBuildRequest& req) {
  auto link = MailboxUrl(req.relay_base_url, req.mailbox_id);
  if (!link) return FromError(link.error());
  auto url = BuildShareUrl(*link, req.vertical, req.secret);
  if (!url) return FromError(url.error());
  return std::move(*url);
}

BackendResult<std::string> CoreBackend::ShareUrlStripFragment(std::string_view url) {
  auto stripped = StripFragment(url);
  if (!stripped) return FromError(stripped.error());
  return std::move(*stripped);
}

BackendResult<nlohmann::json> CoreBackend::MessageParse(const MessageRequest& req) {
  const std::string& m = req.message;
  if (m == "ProvisioningInfo") return Serialized(ParseProvisioningInfo(req.body));
  if (m == "CreateMailboxRequest") {
    return Serialized(ParseCreateMailboxRequest(req.body, req.strict));
  }
  if (m == "CreateMailboxResponse") {
    return Serialized(ParseCreateMailboxResponse(req.body, req.strict));
  }
  if (m == "UpdateMailboxRequest") {
    return Serialized(ParseUpdateMailboxRequest(req.body, req.strict));
  }
  if (m == "UpdateMailboxResponse") {
    return Serialized(ParseUpdateMailboxResponse(req.body, req.strict));
  }
  if (m == "ReadSecureContentRequest") {
    return Serialized(ParseReadSecureContentRequest(req.body, req.strict));
  }
  if (m == "ReadSecureContentResponse") {
    return Serialized(ParseReadSecureContentResponse(req.body, req.strict));
  }
  return Unsupported("no parser for message '" + m + "'");
}

}  // namespace tigress::kat
