// File: harness/kat/core_backend.h
//
// `CoreBackend`: the `KatBackend` that runs vectors directly against the
// protocol core (tigress::protocol), with exact error tokens. It supports
// every operation, including message parsing, which adapters do not offer.
//
//   CoreBackend core;
//   FileReport r = RunVectorFile("vectors/payload_aead.json", core);
#pragma once

#include "harness/kat/kat_backend.h"

namespace tigress::kat {

class CoreBackend : public KatBackend {
 public:
  std::string Name() const override { return "core"; }
  bool ReportsErrorTokens() const override { return true; }

  // Parses `cipher` with ParseCipher, then SealData / OpenData.
  BackendResult<std::string> PayloadSeal(const SealRequest& req) override;
  BackendResult<Bytes> PayloadOpen(const OpenRequest& req) override;
  // ParseShareUrl.
  BackendResult<ShareUrlFields> ShareUrlParse(std::string_view url) override;
  // MailboxUrl(relay_base_url, mailbox_id), then BuildShareUrl.
  BackendResult<std::string> ShareUrlBuild(const ShareUrlBuildRequest& req) override;
  // StripFragment.
  BackendResult<std::string> ShareUrlStripFragment(std::string_view url) override;
  // The Parse* function of protocol/messages.h named by `req.message`, then
  // ToJson. "ProvisioningInfo" uses ParseProvisioningInfo (no strict mode).
  // An unknown message name is unsupported.
  BackendResult<nlohmann::json> MessageParse(const MessageRequest& req) override;
};

}  // namespace tigress::kat
