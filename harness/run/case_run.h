// File: harness/run/case_run.h
//
// One case from start to end: its directory, the roles and optional
// features it needs, its relay (behind the recording proxy) and device
// adapters, its steps in order (harness/run/step_executor.h) until one stops
// the case, the processes' health, teardown, the privacy oracles on what the
// proxy saw, and the case files (harness/run/case_files.h).
//
//   CaseRun run(shared, spec);
//   reports::CaseResult c = run.Execute();   // not yet finalised (verdict, profile)
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/net/proxy.h"
#include "harness/process/supervisor.h"
#include "harness/run/case_files.h"
#include "harness/run/devices.h"
#include "harness/run/oracle_inputs.h"
#include "harness/run/run_shared.h"
#include "harness/run/step_executor.h"
#include "harness/scenario/vars.h"

namespace tigress::harness {

class CaseRun {
 public:
  CaseRun(RunShared& shared, const CaseSpec& spec);
  ~CaseRun();

  reports::CaseResult Execute();

 private:
  class Transport;
  class ProxyAccess;

  // The case's identity in the report, and its fresh directory.
  reports::CaseResult Begin();
  // `Unplayable` records why the selected implementations cannot play the
  // case (a missing role: ERROR; an undeclared feature: UNSUPPORTED).
  bool Unplayable();
  // `StartProcesses` starts the relay and the devices not started late; on
  // error the case is over.
  bool StartProcesses();
  Result<void> StartRelay();
  Result<void> StartRelayProcess(const Manifest& m, Placeholders& ph, int* port);
  StepContext MakeStepContext();
  // `RunSteps` runs the scenario's steps until one stops the case: a step
  // that broke, a failed step whose saved values later steps need, or a
  // failed positive control (the rules of harness/run/step_verdicts.h); the
  // requirements of the steps not run are listed as not evaluated.
  bool RunSteps(const std::vector<Step>& steps, StepContext& cx);
  // `StopCase` marks the case stopped and lists the requirements of
  // steps[first_not_run..] as not evaluated because of `why`.
  void StopCase(const std::vector<Step>& steps, std::size_t first_not_run, const std::string& why);
  void CheckProcessesAlive();
  void Teardown();
  void RunOracleChecks();
  // `DiagnoseDevices` notes a device that speaks another revision than the
  // case's (from the claim header names its requests carried).
  void DiagnoseDevices(const std::vector<std::pair<Revision, std::string>>& spoken,
                       Revision tested);
  void WriteFiles();
  reports::CaseResult Finish(reports::CaseResult c);

  RunShared& sh_;
  const CaseSpec& spec_;
  const Scenario& sc_;
  const std::chrono::steady_clock::time_point start_;
  VarContext vars_;
  std::filesystem::path case_dir_;
  std::unique_ptr<Process> relay_;
  std::string relay_url_;  // where the relay itself listens (probes go here)
  std::unique_ptr<RecordingProxy> proxy_;
  std::unique_ptr<ProxyAccess> proxy_port_;
  std::unique_ptr<Transport> transport_;
  OracleInputs oracle_;
  CaseLog log_;
  SystemClock clock_;
  std::unique_ptr<CaseDevices> devices_;
  std::vector<reports::Assertion> assertions_;
  std::vector<bool> negative_;  // per assertion: its step expects a refusal (ExpectsRefusal)
  bool stopped_early_ = false;
  std::vector<reports::NotEvaluated> not_evaluated_;
  std::vector<reports::Attachment> attachments_;
};

}  // namespace tigress::harness
