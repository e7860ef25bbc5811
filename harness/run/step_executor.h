// File: harness/run/step_executor.h
//
// The steps of a case and the seams they run through. Each step kind has one
// executor (a function of the step, the case's variables, where it is in the
// scenario, and a `StepContext`); `ExecuteStep` picks it by `Step::kind()`.
// Executors reach the world only through the context's ports, so a unit test
// drives them with fakes and starts no process or socket:
//
//   HttpTransport  one probe request to the relay   (production: ProbeClient)
//   AdapterPort    a device role's JSON-RPC adapter (production: CaseDevices)
//   ProxyPort      the recording proxy devices use  (production: RecordingProxy)
//   Clock          now and sleep                    (production: steady_clock)
//
//   StepContext cx{.catalog = catalog, .scenario = sc, .http = transport,
//                  .adapters = devices, .proxy = &proxy, .oracle = inputs,
//                  .log = log, .clock = clock, .relay_url = "https://127.0.0.1:4000"};
//   StepResult r = ExecuteStep(step, vars, step.where, cx);
//
// Each executor reads its own kind of action (`st.As<HttpAction>()`, ...) and
// the fields every step has: where, name, req, expect, save, control,
// interpretation.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/config/defaults.h"
#include "harness/config/manifest.h"
#include "harness/har/har.h"
#include "harness/net/probe_client.h"
#include "harness/process/adapter_client.h"
#include "harness/run/case_files.h"
#include "harness/run/oracle_inputs.h"
#include "harness/scenario/matchers.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/vars.h"
#include "protocol/result.h"
#include "protocol/revision.h"
#include "reports/requirements.h"
#include "reports/results.h"

namespace tigress::harness {

// What one step produced.
struct StepResult {
  // One assertion per expectation of the step (in the step's order).
  std::vector<std::pair<const Expectation*, reports::Assertion>> checks;
  std::vector<reports::Assertion> extra;  // implicit checks and harness errors
  bool stop = false;
  // Why the step could not be prepared from an earlier step's outcome (a
  // saved value without the field a template needs); set with `stop`.
  std::string unresolved;
  int status = 0;  // http steps: the status (0: no response)
  bool http = false;
};

// `HttpTransport` sends one probe request (harness/net/probe_client.h's
// contract: a response whose status line arrived, else kHttpTransport).
// Called from parallel lanes at once.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) const = 0;
};

// `Device` is one running device adapter.
class Device {
 public:
  virtual ~Device() = default;
  // The implementation behind it (its declared features); may be null.
  virtual const Manifest* manifest() const = 0;
  // `Call` sends one JSON-RPC request and waits for its outcome; calls from
  // parallel lanes are serialised.
  virtual RpcOutcome Call(const std::string& method, const nlohmann::json& params,
                          std::chrono::milliseconds timeout) = 0;
};

// How asking for a role's device turned out.
struct DeviceLookup {
  Device* device = nullptr;  // null: no device for the role
  // When a device had to be started and could not: why (empty otherwise),
  // and whether that was a timeout (TIMEOUT) or not (ERROR).
  std::string start_error;
  reports::Verdict start_verdict = reports::Verdict::kError;
};

// `AdapterPort` gives steps the case's device adapters by role.
class AdapterPort {
 public:
  virtual ~AdapterPort() = default;
  // `Acquire` is the role's running device; a role the scenario starts late
  // is started at its first call.
  virtual DeviceLookup Acquire(Role role) = 0;
  // `Restart` stops the role's device (keeping its transcript, marked with
  // `where`) and starts it again.
  virtual DeviceLookup Restart(Role role, const std::string& where) = 0;
};

// `ProxyPort` is the recording proxy between the devices and the relay.
class ProxyPort {
 public:
  virtual ~ProxyPort() = default;
  virtual std::string base_url() const = 0;  // where devices reach the relay
  virtual std::string push_url() const = 0;  // where the relay's webhooks land
  // `SetHostile` changes how the proxy answers devices.
  virtual Result<void> SetHostile(HostileMode mode) = 0;
  virtual std::size_t ExchangeCount() const = 0;
  virtual har::Transcript Transcript() const = 0;
  virtual std::vector<har::Exchange> Pushes() const = 0;
};

// `Clock` is the time steps wait on.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

// `SystemClock` is steady_clock and a real sleep.
class SystemClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override;
  void SleepFor(std::chrono::milliseconds duration) override;
};

// Everything an executor may use. The referenced objects outlive the steps.
struct StepContext {
  const reports::Catalog& catalog;
  const Scenario& scenario;  // its requirements and readings: a step's defaults
  const HttpTransport& http;
  AdapterPort& adapters;
  ProxyPort* proxy = nullptr;  // null when the scenario has no relay role
  OracleInputs& oracle;
  CaseLog& log;
  Clock& clock;
  std::string relay_url;  // where the relay itself listens (probes go here)
  // The draft revision the case speaks: probe requests carry its header names.
  const RevisionInfo* revision = &RevisionOf(kDefaultRevision);
  // Why the relay is down ("exited with status 1; stderr tail: ..."), or ""
  // while it runs (or there is none).
  std::function<std::string()> relay_down = [] { return std::string(); };
  std::chrono::milliseconds http_timeout{kDefaultHttpTimeoutMs};
  std::chrono::milliseconds call_timeout{kDefaultCallTimeoutMs};

  // `DefaultReq` is the requirement of a step's implicit checks: its `req`,
  // else its first expectation's, else the scenario's first.
  const std::string& DefaultReq(const Step& st) const;
  // `StepRefs` is the readings a step's checks rest on: its own
  // `interpretation:`, else the scenario's, except for steps others depend
  // on (positive controls and steps that save values): the plain protocol.
  const std::vector<std::string>& StepRefs(const Step& st) const;
  // `Judge` judges a check of step `st` (nullptr: a check of no step, such
  // as an oracle's) resting on `extra_refs` and the step's readings.
  reports::Assertion Judge(const Step* st, const std::string& req, bool ok, std::string message,
                           std::string expected, std::string actual,
                           const std::vector<std::string>& extra_refs) const;
};

// `Broke` is an assertion the harness sets directly (ERROR, TIMEOUT,
// UNSUPPORTED, or a FAIL that needs no catalogue level).
reports::Assertion Broke(reports::Verdict v, const std::string& req, std::string message);

// `Unresolved` stops step `st` whose templates cannot be resolved: a value an
// earlier step saved lacks a field (that step's outcome decided it, so the
// rest is not evaluated, not an ERROR); any other error is an ERROR.
void Unresolved(const StepContext& cx, const Step& st, const std::string& where, const Error& e,
                StepResult& r);

// `SaveValues` sets the step's `save:` variables from its outcome document;
// a missing path is a failed check of the step and stops the case.
void SaveValues(const StepContext& cx, const Step& st, const nlohmann::json& doc, VarContext& vars,
                StepResult& r);

// `JudgeExpectations` adds one check per expectation of step `st`, in order:
// the expectation's operand resolved in `vars` (when that fails, an ERROR at
// the expectation's place and no match), then `match(expectation, operand)`
// judged with the message "<prefix><expectation> (<note>) [<place>]" (place:
// the expectation's file:line and what `where` adds to the step's, such as a
// lane) and `evidence` attached.
using ExpectationMatcher =
    std::function<MatchResult(const Expectation& e, const nlohmann::json& operand)>;
void JudgeExpectations(const Step& st, const std::string& where, const std::string& prefix,
                       const ExpectationMatcher& match, const reports::Evidence& evidence,
                       VarContext& vars, const StepContext& cx, StepResult& r);

// `ExecuteStep` runs one step of any kind.
StepResult ExecuteStep(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);

// The executors, one per kind (harness/run/*_step.cc).
using StepExecutor = StepResult (*)(const Step&, VarContext&, const std::string&, StepContext&);
StepResult ExecHttp(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);
StepResult ExecCall(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);
StepResult ExecParallel(const Step& st, VarContext& vars, const std::string& where,
                        StepContext& cx);
StepResult ExecWait(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);
StepResult ExecHostile(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);
StepResult ExecRestart(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);
StepResult ExecPush(const Step& st, VarContext& vars, const std::string& where, StepContext& cx);

// `PlainHttpAnswer` asks the authority of an https `url` for "/" in plain
// HTTP: its status line ("HTTP/1.1 404"), or "" when it does not answer so
// (or answers a bare 400, the refusal of a TLS-only server).
std::string PlainHttpAnswer(const HttpTransport& http, const std::string& url);

}  // namespace tigress::harness
