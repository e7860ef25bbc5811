// File: harness/kat/adapter_kat_backend.h
//
// A `kat::KatBackend` that runs known-answer vectors through a device
// adapter's offline methods (payload.seal, payload.open, shareUrl.parse,
// shareUrl.build), for `tigress-harness vectors --impl MANIFEST`.
//
//   auto backend = AdapterKatBackend::Start(manifest, bindir, workdir);
//   int rc = kat::RunVectorsCommand(files, std::cout, **backend, verbose);
//
// Mapping of answers: error 1001 / -32602 / 1005 -> rejected (adapters carry
// no catalogue tokens), -32601 -> unsupported, timeout / crash / garbage ->
// broken (never a pass).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "harness/config/defaults.h"
#include "harness/config/manifest.h"
#include "harness/kat/kat_backend.h"
#include "harness/process/adapter_client.h"
#include "harness/process/supervisor.h"

namespace tigress::harness {

class AdapterKatBackend : public kat::KatBackend {
 public:
  // `Start` launches the manifest's device adapter in `workdir` (stderr goes
  // to workdir/device.stderr.log) and runs the contract probe. Errors: the
  // supervisor's and `ContractProbe`'s.
  static Result<std::unique_ptr<AdapterKatBackend>> Start(const Manifest& manifest,
                                                          const std::filesystem::path& bindir,
                                                          const std::filesystem::path& workdir);
  ~AdapterKatBackend() override;

  std::string Name() const override { return "adapter:" + name_; }
  bool ReportsErrorTokens() const override { return false; }
  kat::BackendResult<std::string> PayloadSeal(const kat::SealRequest& req) override;
  kat::BackendResult<Bytes> PayloadOpen(const kat::OpenRequest& req) override;
  kat::BackendResult<kat::ShareUrlFields> ShareUrlParse(std::string_view url) override;
  kat::BackendResult<std::string> ShareUrlBuild(const kat::ShareUrlBuildRequest& req) override;

 private:
  AdapterKatBackend() = default;
  // `Call` maps a JSON-RPC outcome to a result or a BackendError.
  kat::BackendResult<nlohmann::json> Call(const std::string& method, const nlohmann::json& params);

  std::string name_;
  std::unique_ptr<Process> process_;
  std::unique_ptr<AdapterClient> client_;
  std::chrono::milliseconds timeout_{kDefaultKatCallTimeoutMs};
};

}  // namespace tigress::harness
