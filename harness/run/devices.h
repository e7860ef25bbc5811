// File: harness/run/devices.h
//
// The device adapters of one case (production `AdapterPort`): each role's
// adapter process is started with the run's PKI and the case's work
// directory, checked with the contract probe (`hello` and an unknown method)
// and configured with the CA and the relay's public URL; restarted on
// request; stopped at teardown. Their JSON-RPC transcripts survive restarts.
//
//   CaseDevices devices(shared, case_dir, spec.initiator, spec.recipient, sc.start_late);
//   devices.set_public_url(proxy->base_url());
//   Result<void> up = devices.Start(Role::kInitiator, spec.initiator, &verdict);
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/run/run_shared.h"
#include "harness/run/step_executor.h"

namespace tigress::harness {

class CaseDevices final : public AdapterPort {
 public:
  CaseDevices(RunShared& shared, std::filesystem::path case_dir, const Manifest* initiator,
              const Manifest* recipient, std::vector<Role> start_late);
  ~CaseDevices() override;

  // Where devices reach the relay (the recording proxy); empty: no relay.
  void set_public_url(std::string url) { public_url_ = std::move(url); }

  // `Start` starts `role`'s adapter from `m`. On error `*verdict` is TIMEOUT
  // when the adapter did not answer in time, else ERROR.
  Result<void> Start(Role role, const Manifest* m, reports::Verdict* verdict);

  DeviceLookup Acquire(Role role) override;
  DeviceLookup Restart(Role role, const std::string& where) override;

  // `Dead` describes each adapter process that exited during the case
  // ("the initiator adapter exited with status 1 during the case; ...").
  std::vector<std::string> Dead();
  // `StopAll` asks every adapter to shut down, then stops its process.
  void StopAll();
  // Every running role's JSON-RPC transcript, with those of the processes
  // a restart replaced first, by role name.
  std::map<std::string, std::vector<std::string>> Transcripts() const;

 private:
  struct Adapter;
  // Starts the role's device from the case's manifest for it (a late start
  // or a restart); the lookup says why when it cannot.
  DeviceLookup StartForStep(Role role);
  static void StopAdapter(Adapter& ad);

  RunShared& sh_;
  std::filesystem::path case_dir_;
  const Manifest* initiator_;
  const Manifest* recipient_;
  std::vector<Role> start_late_;
  std::string public_url_;
  std::map<Role, std::unique_ptr<Adapter>> adapters_;
  std::mutex late_mu_;  // serialises late starts and restarts
  std::map<Role, std::vector<std::string>> restarted_transcripts_;
};

}  // namespace tigress::harness
