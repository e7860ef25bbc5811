// File: tests/harness/run/fake_ports.h
//
// Fakes of the ports step executors run through (harness/run/step_executor.h)
// and a fixture that wires them into a StepContext: no process, no socket.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/run/step_executor.h"
#include "protocol/text.h"
#include "reports/requirements.h"

namespace tigress::harness::fakes {

// Answers probe requests with `handler` (default: 200 and an empty body) and
// records them.
class FakeTransport final : public HttpTransport {
 public:
  std::function<Result<HttpResponse>(const HttpRequest&)> handler = [](const HttpRequest&) {
    return Result<HttpResponse>(Ok(200));
  };

  Result<HttpResponse> Send(const HttpRequest& request) const override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      sent_.push_back(request);
    }
    return handler(request);
  }
  std::vector<HttpRequest> sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

  static HttpResponse Ok(int status, std::string body = "", text::HeaderList headers = {}) {
    HttpResponse r;
    r.status = status;
    r.http_version = "HTTP/1.1";
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<HttpRequest> sent_;
};

// One device whose calls `handler` answers; records method and parameters.
class FakeDevice final : public Device {
 public:
  const Manifest* manifest_ = nullptr;
  std::function<RpcOutcome(const std::string&, const nlohmann::json&)> handler =
      [](const std::string&, const nlohmann::json&) { return Returns(nlohmann::json::object()); };
  std::vector<std::pair<std::string, nlohmann::json>> calls;

  const Manifest* manifest() const override { return manifest_; }
  RpcOutcome Call(const std::string& method, const nlohmann::json& params,
                  std::chrono::milliseconds /*timeout*/) override {
    calls.emplace_back(method, params);
    return handler(method, params);
  }

  static RpcOutcome Returns(nlohmann::json result) {
    RpcOutcome o;
    o.kind = RpcOutcome::Kind::kResult;
    o.result = std::move(result);
    return o;
  }
  static RpcOutcome Refuses(int code, std::string message) {
    RpcOutcome o;
    o.kind = RpcOutcome::Kind::kError;
    o.code = code;
    o.message = std::move(message);
    return o;
  }
};

// Devices by role; a role without one reports `start_error` (if set).
class FakeAdapters final : public AdapterPort {
 public:
  std::map<Role, FakeDevice*> devices;
  std::string start_error;
  reports::Verdict start_verdict = reports::Verdict::kError;
  std::vector<std::string> restarted;  // "role@where"
  bool restart_fails = false;

  DeviceLookup Acquire(Role role) override {
    DeviceLookup out;
    if (auto it = devices.find(role); it != devices.end()) {
      out.device = it->second;
    } else {
      out.start_error = start_error;
      out.start_verdict = start_verdict;
    }
    return out;
  }
  DeviceLookup Restart(Role role, const std::string& where) override {
    restarted.push_back(RoleName(role) + "@" + where);
    if (restart_fails) {
      DeviceLookup out;
      out.start_error = "hello timed out";
      out.start_verdict = reports::Verdict::kTimeout;
      return out;
    }
    return Acquire(role);
  }
};

class FakeProxy final : public ProxyPort {
 public:
  HostileMode hostile = HostileMode::kOff;
  bool hostile_fails = false;  // SetHostile fails (as untrusted-cert may)
  har::Transcript transcript;
  std::vector<har::Exchange> pushes;

  std::string base_url() const override { return "https://127.0.0.1:5000"; }
  std::string push_url() const override { return "https://127.0.0.1:5000/push/"; }
  Result<void> SetHostile(HostileMode mode) override {
    if (hostile_fails) {
      return MakeError(Errc::kConfigInvalid, "cannot make the untrusted certificate");
    }
    hostile = mode;
    return {};
  }
  std::size_t ExchangeCount() const override { return transcript.exchanges.size(); }
  har::Transcript Transcript() const override { return transcript; }
  std::vector<har::Exchange> Pushes() const override { return pushes; }
};

// Time that moves only when a step sleeps.
class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void SleepFor(std::chrono::milliseconds d) override {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
    slept_ += d;
  }
  std::chrono::milliseconds slept() {
    std::lock_guard<std::mutex> lock(mu_);
    return slept_;
  }

 private:
  std::mutex mu_;
  std::chrono::steady_clock::time_point now_{};
  std::chrono::milliseconds slept_{0};
};

// An expectation of step line t.yaml:3 that the status is one of `codes`,
// citing `req`.
inline Expectation StatusIn(std::vector<int> codes, std::string req = "RELAY-01") {
  Expectation e;
  e.req = std::move(req);
  e.subject = Expectation::Subject::kStatus;
  e.codes = std::move(codes);
  e.where = "t.yaml:3";
  return e;
}

// The requirement catalogue of the repository.
inline const reports::Catalog& TheCatalogue() {
  static const reports::Catalog cat =
      reports::LoadCatalog(std::string(TIGRESS_SOURCE_DIR) + "/vectors/requirements.json").value();
  return cat;
}

// A case whose steps run against the fakes above.
class StepTest : public ::testing::Test {
 protected:
  StepTest() { scenario.requirements = {"RELAY-01"}; }

  StepContext Context(bool with_proxy = true) {
    return StepContext{
        .catalog = TheCatalogue(),
        .scenario = scenario,
        .http = transport,
        .adapters = adapters,
        .proxy = with_proxy ? &proxy : nullptr,
        .oracle = oracle,
        .log = log,
        .clock = clock,
        .relay_url = "https://127.0.0.1:4000",
        .revision = &RevisionOf(revision),
        .relay_down = [this] { return relay_down; },
        .http_timeout = std::chrono::milliseconds(1000),
        .call_timeout = std::chrono::milliseconds(1000),
    };
  }

  StepResult Run(const Step& st, bool with_proxy = true) {
    StepContext cx = Context(with_proxy);
    return ExecuteStep(st, vars, st.where, cx);
  }

  Scenario scenario;
  FakeTransport transport;
  FakeAdapters adapters;
  FakeProxy proxy;
  OracleInputs oracle;
  CaseLog log;
  FakeClock clock;
  VarContext vars{42};
  std::string relay_down;
  Revision revision = kDefaultRevision;
};

}  // namespace tigress::harness::fakes
