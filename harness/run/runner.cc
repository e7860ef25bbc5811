#include "harness/run/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <sstream>
#include <thread>

#include "harness/process/adapter_client.h"
#include "harness/repro/bundle.h"
#include "harness/har/har.h"
#include "harness/scenario/matchers.h"
#include "harness/oracles/oracles.h"
#include "harness/net/probe_client.h"
#include "harness/net/proxy.h"
#include "harness/run/step_verdicts.h"
#include "harness/process/supervisor.h"
#include "harness/scenario/vars.h"
#include "harness/config/yaml_util.h"
#include "pki/test_ca.h"
#include "protocol/encoding.h"
#include "tigress/version.h"
#include "reports/progress.h"
#include "reports/redaction.h"
#include "reports/root_causes.h"
#include "reports/writers.h"

namespace tigress::harness {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using reports::Assertion;
using reports::Verdict;
using namespace std::chrono_literals;

// ---- one case ----

namespace {

// Everything the cases of one run share.
struct RunShared {
  RunShared(const RunOptions& o, const reports::Catalog& c) : opt(o), catalog(c) {}
  const RunOptions& opt;
  const reports::Catalog& catalog;
  fs::path run_dir;
  std::string ca_file, cert_file, key_file;
  std::mutex guard_mu;
  // What each implementation's adapter said in `hello` (manifest name -> info).
  std::map<std::string, HelloInfo> hellos;
  reports::RedactionGuard guard;
  std::mutex iv_mu;
  IvLedger iv_ledger;  // the run-wide (key, IV) oracle

  void AddSecret(const Bytes& b) {
    std::lock_guard<std::mutex> lock(guard_mu);
    guard.AddSecret(b);
  }
};

// A share-URL fragment with its percent-escapes undone (%3D, %2B, %2F...).
std::string PercentDecodeFragment(const std::string& f) {
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '%' && i + 2 < f.size() && std::isxdigit(static_cast<unsigned char>(f[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(f[i + 2]))) {
      out += static_cast<char>(std::stoi(f.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += f[i];
    }
  }
  return out;
}

std::string SafeDirName(const std::string& id) {
  std::string out;
  for (char c : id) {
    out += (c == '/' || c == '#' || c == ' ') ? '_' : c;
  }
  return out;
}

std::string Truncate(const std::string& s, std::size_t max = 2048) {
  return s.size() <= max
             ? s
             : s.substr(0, max) + "\n...(" + std::to_string(s.size()) + " bytes in all)";
}

bool IsSensitiveHeader(const std::string& name) {
  std::string lower;
  for (char c : name) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "mailbox-device-claim" || lower == "mailbox-device-attestation";
}

std::vector<std::pair<std::string, std::string>> RedactHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  auto out = headers;
  for (auto& [k, v] : out) {
    if (IsSensitiveHeader(k) && !v.empty()) {
      v = Redact(v);
    }
  }
  return out;
}

// The request target of an absolute URL: its path and query.
std::string TargetOf(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return url;
  }
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

// One exchange the recording proxy saw, as report evidence (headers
// redacted, bodies truncated).
reports::HttpExcerpt ExcerptOf(const har::Exchange& x, const std::string& vantage) {
  reports::HttpExcerpt ex;
  ex.vantage = vantage;
  ex.request_line = x.method + " " + TargetOf(x.url) + " " + x.http_version;
  ex.request_headers = RedactHeaders(x.request_headers);
  ex.request_body = Truncate(x.request_body);
  ex.status = x.status;
  ex.response_headers = RedactHeaders(x.response_headers);
  ex.response_body = Truncate(x.response_body);
  return ex;
}

// A running device adapter.
struct Adapter {
  std::string role;
  const Manifest* manifest = nullptr;
  std::unique_ptr<Process> process;
  std::unique_ptr<AdapterClient> client;
  HelloInfo hello;
  std::mutex mu;  // one request at a time, also from parallel groups
};

// What one step produced.
struct StepResult {
  std::vector<std::pair<const Expectation*, Assertion>> checks;
  std::vector<Assertion> extra;  // implicit checks and harness errors
  bool stop = false;
  // Why the step could not be prepared from an earlier step's outcome (a
  // saved value without the field a template needs); set with `stop`.
  std::string unresolved;
  int status = 0;  // http steps: the status (0: no response)
  bool http = false;
};

class CaseRun {
 public:
  CaseRun(RunShared& shared, const CaseSpec& spec)
      : sh_(shared), spec_(spec), sc_(*spec.scenario), ctx_(spec.seed), probe_(shared.ca_file) {}

  reports::CaseResult Execute();

 private:
  const std::string& DefaultReq(const Step& st) const {
    if (!st.req.empty()) {
      return st.req;
    }
    if (!st.expect.empty()) {
      return st.expect.front().req;
    }
    return sc_.requirements.front();
  }

  // `Judge` judges a check of step `st` (nullptr: a check of no step, such as
  // an oracle's) resting on the expectation's readings `extra_refs` and the
  // step's (`StepRefs`).
  Assertion Judge(const Step* st, const std::string& req, bool ok, std::string message,
                  std::string expected, std::string actual,
                  const std::vector<std::string>& extra_refs) const {
    Assertion a =
        sh_.catalog.Judge(req, ok, std::move(message), std::move(expected), std::move(actual));
    sh_.catalog.AddInterpretations(a, extra_refs);
    if (st != nullptr) {
      sh_.catalog.AddInterpretations(a, StepRefs(*st));
    }
    return a;
  }

  // The readings a step's checks rest on: its own `interpretation:`, else the
  // scenario's, except for steps others depend on (positive controls and
  // steps that save values), which check the plain protocol.
  const std::vector<std::string>& StepRefs(const Step& st) const {
    static const std::vector<std::string> kNone;
    if (st.interpretation_refs) {
      return *st.interpretation_refs;
    }
    return st.control || !st.save.empty() ? kNone : sc_.interpretation_refs;
  }

  static Assertion Broke(Verdict v, const std::string& req, std::string message) {
    Assertion a;
    a.requirement_id = req;
    a.verdict = v;
    a.message = std::move(message);
    return a;
  }

  Result<void> StartRelay();
  Result<void> StartDevice(const std::string& role, const Manifest* m, Verdict* verdict_on_error);
  // `StartStepDevice` starts the device of `st.role` from the case's
  // manifest; when it cannot, it records why (`what`: "(started late) is
  // unusable") in `r`, stops the case and returns false.
  bool StartStepDevice(const Step& st, const std::string& where, const std::string& what,
                       StepResult& r);
  // `RunSteps` runs the scenario's steps until one stops the case: a step
  // that broke, a failed step whose saved values later steps need, or a
  // failed positive control (the rules of harness/run/step_verdicts.h); the
  // requirements of the steps not run are listed as not evaluated.
  bool RunSteps(const std::vector<Step>& steps);
  // `StopCase` marks the case stopped and lists the requirements of
  // steps[first_not_run..] as not evaluated because of `why`.
  void StopCase(const std::vector<Step>& steps, std::size_t first_not_run, const std::string& why);
  StepResult ExecStep(const Step& st, VarContext& ctx, const std::string& where);
  StepResult ExecHttp(const Step& st, VarContext& ctx, const std::string& where);
  // `Unresolved` stops step `st` whose templates cannot be resolved: a value
  // an earlier step saved lacks a field (that step's outcome decided it, so
  // the rest is not evaluated, not an ERROR); any other error is ERROR.
  void Unresolved(const Step& st, const std::string& where, const Error& e, StepResult& r) const {
    r.stop = true;
    if (e.Is(Errc::kVariableUndefined)) {
      r.unresolved = where + ": " + e.Message();
      return;
    }
    r.extra.push_back(Broke(Verdict::kError, DefaultReq(st), where + ": " + e.Message()));
  }
  StepResult ExecCall(const Step& st, VarContext& ctx, const std::string& where);
  StepResult ExecParallel(const Step& st, VarContext& ctx);
  // `JudgeCallError` judges an adapter error no expectation of `st` asked
  // for: -32601 is UNSUPPORTED only for an optional feature the manifest does
  // not declare, else FAIL; -32602 to a call whose parameters the scenario
  // fills from templates (`has_input`: the inputs it varies, such as Share
  // URL encodings) is the device's verdict on that input; a relay refusal (1002) is charged to the
  // relay operation refused (found among the proxy's exchanges from `exchanges_before` on);
  // anything else is a FAIL of the operation the method performs.
  Assertion JudgeCallError(const Step& st, const Adapter& ad, const RpcOutcome& out,
                           const std::string& where, const reports::Evidence& ev,
                           std::size_t exchanges_before, bool has_input);
  StepResult ExecRestart(const Step& st, const std::string& where);
  StepResult ExecPush(const Step& st, VarContext& ctx, const std::string& where);
  // What a push must not carry (PRIV-10): payload data and display text the
  // case's probe steps sent, and the case's Secrets.
  void NoteContent(const std::optional<std::string>& body);
  // `PlainHttpAnswer` asks the authority of an https `url` for "/" in plain
  // HTTP: its status line ("HTTP/1.1 404"), or "" when it does not answer so
  // (or answers a bare 400, the refusal of a TLS-only server).
  std::string PlainHttpAnswer(const std::string& url) const;
  void StopAdapter(Adapter& ad);
  void Save(const Step& st, const Json& doc, VarContext& ctx, StepResult& r);
  void NoteSecrets(const Json& result);
  void NoteOracleInputs(const Json& params);
  void RunOracleChecks();
  void CheckProcessesAlive();
  void Teardown();
  void WriteFiles(reports::CaseResult& c);
  void Log(const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mu_);
    http_log_ += line;
  }

  RunShared& sh_;
  const CaseSpec& spec_;
  const Scenario& sc_;
  VarContext ctx_;
  ProbeClient probe_;
  fs::path case_dir_;
  std::unique_ptr<Process> relay_;
  std::string relay_url_;   // where the relay itself listens (probes go here)
  std::string public_url_;  // where devices reach it: the recording proxy
  std::unique_ptr<RecordingProxy> proxy_;
  std::mutex oracle_mu_;  // the oracle inputs below, noted from parallel lanes
  std::vector<Bytes> secrets_;
  std::vector<std::string> fragments_;
  std::vector<std::string> canaries_;
  std::map<std::string, std::unique_ptr<Adapter>> adapters_;
  std::mutex late_mu_;  // serialises the start of start_late adapters
  // JSON-RPC transcripts of adapters a restart step stopped, by role, so
  // <role>.jsonrpc.log shows the whole case.
  std::map<std::string, std::vector<std::string>> restarted_transcripts_;
  std::vector<std::string> content_;  // NoteContent; under oracle_mu_
  std::vector<Assertion> assertions_;
  std::vector<bool> negative_;  // per assertion: its step expects a refusal (ExpectsRefusal)
  bool stopped_early_ = false;
  std::vector<reports::NotEvaluated> not_evaluated_;
  std::mutex log_mu_;
  std::string http_log_;
  std::vector<Json> resolved_steps_;
  std::mutex resolved_mu_;
  std::vector<reports::Attachment> attachments_;
};

Result<void> CaseRun::StartRelay() {
  const Manifest& m = *spec_.relay;
  const bool reports_port = m.relay->ready.reports_port;
  Placeholders ph;
  ph.root = m.root.string();
  ph.cert = sh_.cert_file;
  ph.key = sh_.key_file;
  ph.ca = sh_.ca_file;
  ph.workdir = (case_dir_ / "relay.work").string();
  ph.bindir = sh_.opt.bindir.string();
  // Devices (and the relay's urlLinks) go through the recording proxy; the
  // proxy reaches the relay lazily, so it can start first (pointed at the
  // relay's real port once a relay that reports it is ready).
  ph.port = "0";
  {
    auto proxy = RecordingProxy::Start(
        {sh_.cert_file, sh_.key_file, sh_.ca_file, Expand(m.relay->base_url, ph)});
    if (!proxy) {
      return std::move(proxy).error();
    }
    proxy_ = std::move(*proxy);
  }
  public_url_ = proxy_->base_url();
  ph.public_url = public_url_;
  ph.push_url = proxy_->push_url();
  // A relay that cannot report its port gets one the harness picked; it may
  // lose the race for it to another process, so it is retried on a new one.
  constexpr int kAttempts = 3;
  int port = 0;
  for (int attempt = 1;; ++attempt) {
    if (!reports_port) {
      TIGRESS_ASSIGN_OR_RETURN(port, FreeLoopbackPort());
    }
    ph.port = std::to_string(port);
    ProcessSpec ps = LaunchSpecFor(m, LaunchRole::kRelay, ph);
    ps.stderr_path = case_dir_ / "relay.stderr.log";
    ps.stdout_path = case_dir_ / "relay.stdout.log";
    ps.port = port;
    TIGRESS_ASSIGN_OR_RETURN(relay_, Process::Start(ps));
    auto ready = relay_->WaitReady();
    if (ready) {
      break;
    }
    if (reports_port || attempt == kAttempts || !relay_->AddressInUse()) {
      return std::move(ready).error();
    }
    relay_.reset();
  }
  if (reports_port) {
    port = relay_->ReportedPort().value_or(0);
    ph.port = std::to_string(port);
  }
  relay_url_ = Expand(m.relay->base_url, ph);
  TIGRESS_RETURN_IF_ERROR(proxy_->SetUpstream(relay_url_));
  std::string host = relay_url_.substr(relay_url_.find("://") + 3);
  host = host.substr(0, host.find('/'));
  ctx_.Set("relay", Json{{"base_url", relay_url_},
                         {"public_url", public_url_},
                         {"push_url", proxy_->push_url()},
                         {"host", host},
                         {"port", port},
                         {"name", m.name}});
  return {};
}

Result<void> CaseRun::StartDevice(const std::string& role, const Manifest* m,
                                  Verdict* verdict_on_error) {
  auto a = std::make_unique<Adapter>();
  a->role = role;
  a->manifest = m;
  Placeholders ph;
  ph.root = m->root.string();
  ph.cert = sh_.cert_file;
  ph.key = sh_.key_file;
  ph.ca = sh_.ca_file;
  ph.workdir = (case_dir_ / (role + ".work")).string();
  ph.public_url = public_url_;
  ph.bindir = sh_.opt.bindir.string();
  ProcessSpec ps = LaunchSpecFor(*m, LaunchRole::kDevice, ph);
  ps.name = role + " (" + m->name + ")";
  ps.stderr_path = case_dir_ / (role + ".stderr.log");
  *verdict_on_error = Verdict::kError;
  TIGRESS_ASSIGN_OR_RETURN(a->process, Process::Start(ps));
  Process* proc = a->process.get();
  a->client = std::make_unique<AdapterClient>(proc->stdin_fd(), proc->stdout_fd(), role, [proc] {
    proc->WaitExit(1s);
    return proc->ExitDescription() + "; stderr tail: " + proc->StderrTail(400);
  });
  Adapter* raw = a.get();
  adapters_[role] = std::move(a);
  auto hello = ContractProbe(*raw->client, sh_.opt.start_timeout);
  if (!hello) {
    if (hello.error().Is(Errc::kAdapterTimeout)) {
      *verdict_on_error = Verdict::kTimeout;
    }
    return std::move(hello).error();
  }
  raw->hello = *hello;
  {
    std::lock_guard<std::mutex> lock(sh_.guard_mu);
    sh_.hellos.emplace(m->name, *hello);
  }
  Json params{{"caFile", sh_.ca_file}};
  if (!public_url_.empty()) {
    params["relayBaseUrl"] = public_url_;
  }
  RpcOutcome conf = raw->client->Call("configure", params, sh_.opt.start_timeout);
  if (conf.kind == RpcOutcome::Kind::kTimeout) {
    *verdict_on_error = Verdict::kTimeout;
    return MakeError(Errc::kAdapterTimeout, conf.detail);
  }
  if (conf.kind != RpcOutcome::Kind::kResult) {
    return MakeError(Errc::kAdapterProtocol,
                     role + ": configure failed: " +
                         (conf.kind == RpcOutcome::Kind::kError
                              ? "error " + std::to_string(conf.code) + " " + conf.message
                              : conf.detail));
  }
  return {};
}

bool CaseRun::StartStepDevice(const Step& st, const std::string& where, const std::string& what,
                              StepResult& r) {
  const Manifest* m = st.role == "initiator" ? spec_.initiator : spec_.recipient;
  Verdict v = Verdict::kError;
  auto started = m == nullptr ? Result<void>(MakeError(Errc::kConfigInvalid,
                                                       "no manifest for the " + st.role + " role"))
                              : StartDevice(st.role, m, &v);
  if (!started) {
    r.extra.push_back(
        Broke(v, DefaultReq(st),
              where + ": the " + st.role + " adapter " + what + ": " + started.error().Message()));
    r.stop = true;
  }
  return static_cast<bool>(started);
}

void CaseRun::NoteSecrets(const Json& result) {
  if (!result.is_object()) {
    return;
  }
  std::lock_guard<std::mutex> lock(oracle_mu_);
  if (result.contains("secret") && result["secret"].is_string()) {
    auto b = Base64DecodeLenient(result["secret"].get<std::string>());
    if (b) {
      sh_.AddSecret(*b);
      secrets_.push_back(*b);
    }
  }
  for (const char* k : {"shareUrl", "url"}) {
    if (result.contains(k) && result[k].is_string()) {
      std::string u = result[k].get<std::string>();
      auto hash = u.find('#');
      if (hash != std::string::npos) {
        fragments_.push_back(u.substr(hash + 1));
        auto b = Base64DecodeLenient(u.substr(hash + 1));
        if (b) {
          sh_.AddSecret(*b);
          secrets_.push_back(*b);
        }
      }
    }
  }
}

// Plaintext planted in provisioningInfo (its string leaves of 8 or more
// characters, but the format name) and fragments of share URLs the harness
// hands to a recipient: what the privacy oracles look for on the wire.
void CaseRun::NoteOracleInputs(const Json& params) {
  std::function<void(const Json&, bool)> walk = [&](const Json& j, bool in_pi) {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (in_pi && k == "format") {
          continue;
        }
        if (k == "shareUrl" && v.is_string()) {
          const std::string u = v.get<std::string>();
          if (auto hash = u.find('#'); hash != std::string::npos) {
            std::lock_guard<std::mutex> lock(oracle_mu_);
            fragments_.push_back(u.substr(hash + 1));
            if (auto b = Base64DecodeLenient(PercentDecodeFragment(u.substr(hash + 1)))) {
              secrets_.push_back(*b);
            }
          }
        }
        walk(v, in_pi || k == "provisioningInfo");
      }
    } else if (j.is_array()) {
      for (const auto& v : j) {
        walk(v, in_pi);
      }
    } else if (in_pi && j.is_string() && j.get<std::string>().size() >= 8) {
      std::lock_guard<std::mutex> lock(oracle_mu_);
      canaries_.push_back(j.get<std::string>());
    }
  };
  walk(params, false);
}

void CaseRun::RunOracleChecks() {
  if (!proxy_) {
    return;
  }
  proxy_->Stop();
  har::Transcript t = proxy_->Transcript();
  if (t.exchanges.empty()) {
    return;
  }
  // The file shows claims shortened (like http.log); Secrets go through the
  // run's redaction guard when written.
  har::Transcript shown = t;
  for (auto& e : shown.exchanges) {
    e.request_headers = RedactHeaders(e.request_headers);
  }
  {
    std::string text = har::WriteHar(shown);
    {
      std::lock_guard<std::mutex> lock(sh_.guard_mu);
      text = sh_.guard.Apply(text);
    }
    std::ofstream(case_dir_ / "transcript.har", std::ios::binary) << text;
    attachments_.push_back(
        {"HTTP transcript the relay saw (HAR 1.2)", "transcript.har", "application/json"});
  }
  OracleInput in;
  in.transcript = &t;
  in.secrets = secrets_;
  in.fragments = fragments_;
  in.canaries = canaries_;
  in.personal_data = sc_.personal_data;
  {
    std::ifstream err(case_dir_ / "relay.stderr.log", std::ios::binary);
    std::stringstream ss;
    ss << err.rdbuf();
    in.relay_stderr = ss.str();
  }
  std::vector<Finding> findings = RunOracles(in);
  {
    std::lock_guard<std::mutex> lock(sh_.iv_mu);
    auto iv = sh_.iv_ledger.Add(spec_.case_id, in);
    findings.insert(findings.end(), iv.begin(), iv.end());
  }
  for (const Finding& f : findings) {
    // C-39: claims are held to version 4 in privacy checks only.
    const std::vector<std::string> refs =
        f.check == "claims-v4" ? std::vector<std::string>{"C-39"} : std::vector<std::string>{};
    assertions_.push_back(Judge(nullptr, f.requirement, f.ok,
                                "oracle " + f.check + ": " + f.message, f.expected, f.actual,
                                refs));
  }
}

void CaseRun::Save(const Step& st, const Json& doc, VarContext& ctx, StepResult& r) {
  for (const auto& [var, path] : st.save) {
    auto v = JsonPathGet(doc, path);
    if (!v) {
      r.extra.push_back(
          Judge(&st, DefaultReq(st), false,
                st.where + ": cannot save '" + var + "': the step's outcome has no '" + path + "'",
                path + " present", "absent", {}));
      r.stop = true;
      return;
    }
    ctx.Set(var, *v);
  }
}

StepResult CaseRun::ExecHttp(const Step& st, VarContext& ctx, const std::string& where) {
  StepResult r;
  r.http = true;
  auto fail_resolve = [&](const Error& e) {
    Unresolved(st, where, e, r);
    return r;
  };
  HttpRequest req;
  req.method = st.http_method;
  if (!st.path.empty()) {
    auto p = InterpolateString(st.path, ctx);
    if (!p) {
      return fail_resolve(p.error());
    }
    req.url = relay_url_ + *p;
  } else {
    auto u = InterpolateString(st.url, ctx);
    if (!u) {
      return fail_resolve(u.error());
    }
    req.url = StripFragment(*u);
    // Probe requests are the harness's own, not evidence about a device: a
    // URL on the recording proxy (a urlLink) goes to the relay directly.
    if (proxy_ && req.url.rfind(public_url_, 0) == 0) {
      req.url = relay_url_ + req.url.substr(public_url_.size());
    }
  }
  bool has_ct = false;
  for (const auto& [k, v] : st.headers) {
    auto val = InterpolateString(v, ctx);
    if (!val) {
      return fail_resolve(val.error());
    }
    has_ct = has_ct ||
             (k.size() == 12 && std::equal(k.begin(), k.end(), "content-type", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
              }));
    req.headers.emplace_back(k, *val);
  }
  if (st.body) {
    auto b = Interpolate(*st.body, ctx);
    if (!b) {
      return fail_resolve(b.error());
    }
    if (st.body->is_string()) {
      req.body = b->is_string() ? b->get<std::string>() : b->dump();
    } else {
      req.body = b->dump();
      if (!has_ct && st.as == "device") {
        req.headers.emplace_back("Content-Type", "application/json");
      }
    }
  }
  req.timeout = st.timeout_ms > 0 ? std::chrono::milliseconds(st.timeout_ms) : sh_.opt.http_timeout;
  req.chunk_size = st.slow_chunk;
  req.chunk_pause = std::chrono::milliseconds(st.slow_pause_ms);
  req.abort_after = st.abandon_after;
  req.connect_only = std::chrono::milliseconds(st.connect_only_ms);
  req.tls_max = st.tls_max;
  const std::string path_only = TargetOf(req.url);
  {
    Json resolved{{"step", where},
                  {"http", {{"as", st.as}, {"method", req.method}, {"url", req.url}}}};
    Json hdrs = Json::object();
    for (const auto& [k, v] : RedactHeaders(req.headers)) {
      hdrs[k] = v;
    }
    resolved["http"]["headers"] = hdrs;
    if (req.body) {
      resolved["http"]["body"] = Truncate(*req.body, 1024);
    }
    std::lock_guard<std::mutex> lock(resolved_mu_);
    resolved_steps_.push_back(std::move(resolved));
  }

  reports::HttpExcerpt ex;
  ex.vantage = "probe (" + st.as + ") -> relay";
  ex.request_line = req.method + " " + path_only + " HTTP/1.1";
  ex.request_headers = RedactHeaders(req.headers);
  if (req.body) {
    ex.request_body = Truncate(*req.body);
  }

  NoteContent(req.body);
  auto resp = probe_.Send(req);
  std::ostringstream log;
  log << "=== " << where << " (" << st.as << ")\n> " << ex.request_line << "\n";
  for (const auto& [k, v] : ex.request_headers) {
    log << "> " << k << ": " << v << "\n";
  }
  if (req.body) {
    log << ">\n" << Truncate(*req.body, 4096) << "\n";
  }
  // A step that lists status 0 expects that no response may arrive (a closed
  // connection is the only sane answer to some hostile requests): the
  // transport failure becomes status 0 and is judged like any status.
  const bool no_response_ok =
      std::any_of(st.expect.begin(), st.expect.end(), [](const Expectation& e) {
        return e.subject == Expectation::Subject::kStatus &&
               std::find(e.codes.begin(), e.codes.end(), 0) != e.codes.end();
      });
  if (!resp && no_response_ok) {
    log << "! " << resp.error().Message() << " (no response: status 0)\n";
    resp = HttpResponse{};
  }
  if (!resp) {
    log << "! " << resp.error().Message() << "\n\n";
    // SEC-01: a relay that cannot do TLS because it serves plain HTTP on its
    // port breaks the requirement; that is the relay's failure, not the run's.
    if (std::string plain = PlainHttpAnswer(req.url); !plain.empty()) {
      log << "! the same port answers plain HTTP: " << plain << "\n\n";
      Log(log.str());
      Assertion a =
          Broke(Verdict::kFail, "SEC-01",
                where + ": " + resp.error().Message() + "; the same port answers plain HTTP (" +
                    plain + "): the relay does not accept only TLS connections");
      a.expected = "a TLS handshake";
      a.actual = "plain HTTP: " + plain;
      a.evidence.http.push_back(ex);
      r.extra.push_back(std::move(a));
      r.stop = true;
      return r;
    }
    Log(log.str());
    std::string msg = where + ": " + resp.error().Message();
    if (relay_ && !relay_->Running()) {
      msg +=
          "; the relay " + relay_->ExitDescription() + "; stderr tail: " + relay_->StderrTail(400);
    }
    Assertion a = Broke(Verdict::kError, DefaultReq(st), msg);
    a.evidence.http.push_back(ex);
    r.extra.push_back(std::move(a));
    r.stop = true;
    return r;
  }
  log << "< " << resp->http_version << " " << resp->status << " ("
      << static_cast<long>(resp->elapsed_ms) << " ms)\n";
  for (const auto& [k, v] : resp->headers) {
    log << "< " << k << ": " << v << "\n";
  }
  log << "<\n" << Truncate(resp->body, 4096) << "\n";
  if (!resp->transport_note.empty()) {
    log << "! " << resp->transport_note << "\n";
  }
  log << "\n";
  Log(log.str());

  ex.status = resp->status;
  ex.response_headers = resp->headers;
  ex.response_body = Truncate(resp->body);
  r.status = resp->status;
  Json body_json = Json::parse(resp->body, nullptr, false);
  const bool is_json = !body_json.is_discarded();
  HttpView view{resp->status, &resp->headers, &resp->body, is_json ? &body_json : nullptr};
  for (const Expectation& e : st.expect) {
    auto operand = Interpolate(e.operand, ctx);
    if (!operand) {
      r.checks.emplace_back(
          &e, Broke(Verdict::kError, e.req, e.where + ": " + operand.error().Message()));
      continue;
    }
    MatchResult m = MatchHttp(e, view, *operand);
    std::string msg =
        ExpectationToString(e) + (e.note.empty() ? "" : " (" + e.note + ")") + " [" + where + "]";
    Assertion a =
        Judge(&st, e.req, m.ok, std::move(msg), m.expected, m.actual, e.interpretation_refs);
    a.evidence.http.push_back(ex);
    r.checks.emplace_back(&e, std::move(a));
  }
  Json headers_obj = Json::object();
  for (const auto& [k, v] : resp->headers) {
    std::string lower;
    for (char c : k) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    headers_obj[lower] = v;
  }
  Json doc{{"status", resp->status},
           {"headers", headers_obj},
           {"body", resp->body},
           {"json", is_json ? body_json : Json(nullptr)}};
  doc["response"] = doc;
  if (resp->status >= 200 && resp->status < 300) {
    for (const auto& [var, tmpl] : st.if_accepted) {
      auto value = Interpolate(tmpl, ctx);
      if (!value) {
        return fail_resolve(value.error());
      }
      ctx.Set(var, *value);
    }
  }
  Save(st, doc, ctx, r);
  return r;
}

StepResult CaseRun::ExecCall(const Step& st, VarContext& ctx, const std::string& where) {
  StepResult r;
  Adapter* found = nullptr;
  {
    // With start_late roles the map may grow during the steps: look up under
    // the lock (parallel lanes), and start the role's device at its first call.
    std::unique_lock<std::mutex> lock(late_mu_, std::defer_lock);
    if (!sc_.start_late.empty()) {
      lock.lock();
    }
    auto it = adapters_.find(st.role);
    if (it == adapters_.end() &&
        std::find(sc_.start_late.begin(), sc_.start_late.end(), st.role) != sc_.start_late.end()) {
      if (!StartStepDevice(st, where, "(started late) is unusable", r)) {
        return r;
      }
      it = adapters_.find(st.role);
    }
    if (it != adapters_.end()) {
      found = it->second.get();
    }
  }
  if (found == nullptr) {
    r.extra.push_back(
        Broke(Verdict::kError, DefaultReq(st), where + ": no " + st.role + " adapter is running"));
    r.stop = true;
    return r;
  }
  Adapter& ad = *found;
  auto params = Interpolate(st.params, ctx);
  if (!params) {
    Unresolved(st, where, params.error(), r);
    return r;
  }
  {
    std::lock_guard<std::mutex> lock(resolved_mu_);
    resolved_steps_.push_back(
        Json{{"step", where},
             {"call",
              {{"role", st.role},
               {"method", st.method},
               {"params", Json::parse(RedactRpcLine(params->dump()), nullptr, false)}}}});
  }
  NoteOracleInputs(*params);
  const auto timeout =
      st.timeout_ms > 0 ? std::chrono::milliseconds(st.timeout_ms) : sh_.opt.call_timeout;
  RpcOutcome out;
  const std::size_t exchanges_before = proxy_ ? proxy_->ExchangeCount() : 0;
  {
    std::lock_guard<std::mutex> lock(ad.mu);
    out = ad.client->Call(st.method, *params, timeout);
  }
  if (out.kind == RpcOutcome::Kind::kResult) {
    NoteSecrets(out.result);
  }
  reports::Evidence ev;
  ev.fields.emplace_back("call", st.role + " " + st.method);
  ev.fields.emplace_back("params", Truncate(RedactRpcLine(params->dump()), 1024));
  const Json doc = out.Document();
  ev.fields.emplace_back("outcome", out.kind == RpcOutcome::Kind::kTimeout ? out.detail
                                    : out.kind == RpcOutcome::Kind::kBroken
                                        ? out.detail
                                        : Truncate(RedactRpcLine(doc.dump()), 1024));
  ev.fields.emplace_back("elapsed_ms", std::to_string(static_cast<long>(out.elapsed_ms)));

  if (out.kind == RpcOutcome::Kind::kTimeout || out.kind == RpcOutcome::Kind::kBroken) {
    Assertion a =
        Broke(out.kind == RpcOutcome::Kind::kTimeout ? Verdict::kTimeout : Verdict::kError,
              DefaultReq(st), where + ": " + st.role + " " + st.method + ": " + out.detail);
    a.evidence = ev;
    r.extra.push_back(std::move(a));
    r.stop = true;
    return r;
  }
  const bool error_expected =
      std::any_of(st.expect.begin(), st.expect.end(), [](const Expectation& e) {
        return e.subject == Expectation::Subject::kError ||
               (e.subject == Expectation::Subject::kJson && e.target.rfind("error", 0) == 0);
      });
  if (out.kind == RpcOutcome::Kind::kError && !error_expected) {
    r.extra.push_back(JudgeCallError(st, ad, out, where, ev, exchanges_before,
                                     st.params.dump().find("${") != std::string::npos));
    r.stop = true;
    return r;
  }
  for (const Expectation& e : st.expect) {
    auto operand = Interpolate(e.operand, ctx);
    if (!operand) {
      r.checks.emplace_back(
          &e, Broke(Verdict::kError, e.req, e.where + ": " + operand.error().Message()));
      continue;
    }
    MatchResult m = MatchCall(e, doc, *operand);
    std::string msg = st.role + " " + st.method + ": " + ExpectationToString(e) +
                      (e.note.empty() ? "" : " (" + e.note + ")") + " [" + where + "]";
    Assertion a =
        Judge(&st, e.req, m.ok, std::move(msg), m.expected, m.actual, e.interpretation_refs);
    a.evidence = ev;
    r.checks.emplace_back(&e, std::move(a));
  }
  if (out.kind == RpcOutcome::Kind::kResult || error_expected) {
    Save(st, doc, ctx, r);
  }
  return r;
}

Assertion CaseRun::JudgeCallError(const Step& st, const Adapter& ad, const RpcOutcome& out,
                                  const std::string& where, const reports::Evidence& ev,
                                  std::size_t exchanges_before, bool has_input) {
  const std::string call = st.role + " " + st.method;
  std::string actual = "error " + std::to_string(out.code) + " " + out.message;
  if (!out.data.is_null()) {
    actual += " " + Truncate(RedactRpcLine(out.data.dump()), 200);
  }
  if (out.code == -32601) {
    const std::string_view feature = MethodFeature(st.method);
    if (!feature.empty() && (ad.manifest == nullptr || !ad.manifest->HasFeature(feature))) {
      Assertion a = Broke(Verdict::kUnsupported, DefaultReq(st),
                          where + ": " + st.role + " does not implement " + st.method +
                              " (-32601), part of the optional feature '" + std::string(feature) +
                              "' its manifest does not declare");
      a.evidence = ev;
      return a;
    }
    // As BoGo counts unimplemented behaviour: a method of the baseline
    // contract, or of a feature the manifest declares, must work.
    Assertion a = Broke(
        Verdict::kFail, DefaultReq(st),
        where + ": " + st.role + " does not implement " + st.method + " (-32601), which " +
            (feature.empty() ? std::string("the baseline adapter contract requires")
                             : "its declared feature '" + std::string(feature) + "' includes"));
    a.expected = "an implementation of " + st.method;
    a.actual = actual;
    a.evidence = ev;
    return a;
  }
  if (out.code == -32602 && has_input) {
    // The device refused an input the scenario gave it: that is its verdict
    // on the input, judged against the requirement the step checks.
    Assertion a = Judge(&st, DefaultReq(st), false,
                        where + ": " + call +
                            " refused the input as invalid (-32602): " + Truncate(out.message, 200),
                        "the input accepted", actual, {});
    a.evidence = ev;
    return a;
  }
  // The device says the relay refused (1002): blame the relay operation it
  // was refused, with the relay's answer, unless the request was the
  // device's fault (the oracles decide that at the end of the case).
  if (out.code == 1002 && proxy_) {
    const har::Transcript t = proxy_->Transcript();
    for (std::size_t i = exchanges_before; i < t.exchanges.size(); ++i) {
      const har::Exchange& x = t.exchanges[i];
      if (x.status < 400) {
        continue;
      }
      const std::string op = reports::OperationName(x.method, x.url);
      const std::string req = RelayOperationRequirement(op);
      if (req.empty()) {
        continue;
      }
      const reports::HttpExcerpt answer = ExcerptOf(x, st.role + "->relay");
      Assertion a =
          Judge(nullptr, req, false,
                where + ": " + call + " failed: the relay refused its " + op + " with " +
                    std::to_string(x.status) + " " + Truncate(reports::ErrorTextOf(answer), 120),
                op + " succeeds", std::to_string(x.status), {});
      a.verdict = reports::Worst(a.verdict, Verdict::kFail);
      a.evidence = ev;
      a.evidence.http.push_back(answer);
      a.evidence.fields.emplace_back("blame", "relay-refusal");
      return a;
    }
  }
  // Judged at the severity of the operation the step performs: a method the
  // device offers that fails is a FAIL, even where the step's requirement is
  // a SHOULD or a MAY (its checks never ran).
  Assertion a = Judge(&st, DefaultReq(st), false,
                      where + ": " + call +
                          " failed (the operation failed: FAIL whatever the "
                          "level of the requirement the step checks)",
                      "success", actual, {});
  a.verdict = reports::Worst(a.verdict, Verdict::kFail);
  a.evidence = ev;
  return a;
}

StepResult CaseRun::ExecParallel(const Step& st, VarContext& ctx) {
  StepResult r;
  struct Lane {
    std::vector<const Step*> steps;
    std::unique_ptr<VarContext> ctx;
    std::vector<StepResult> results;
  };
  std::vector<Lane> lanes;
  if (st.repeat > 0) {
    for (int i = 0; i < st.repeat; ++i) {
      Lane l;
      for (const auto& s : st.steps) {
        l.steps.push_back(&s);
      }
      l.ctx = std::make_unique<VarContext>(ctx.Child(i));
      lanes.push_back(std::move(l));
    }
  } else {
    int i = 0;
    for (const auto& s : st.steps) {
      Lane l;
      l.steps.push_back(&s);
      l.ctx = std::make_unique<VarContext>(ctx.Child(i++));
      lanes.push_back(std::move(l));
    }
  }
  // All lanes are released together so the requests really race.
  std::mutex mu;
  std::condition_variable cv;
  int ready = 0;
  bool go = false;
  std::vector<std::thread> threads;
  for (std::size_t li = 0; li < lanes.size(); ++li) {
    threads.emplace_back([&, li] {
      {
        std::unique_lock<std::mutex> lock(mu);
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      Lane& lane = lanes[li];
      for (const Step* s : lane.steps) {
        StepResult sr = ExecStep(*s, *lane.ctx, s->where + " (lane " + std::to_string(li) + ")");
        bool stop = sr.stop;
        lane.results.push_back(std::move(sr));
        if (stop) {
          break;
        }
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ready == static_cast<int>(lanes.size()); });
    go = true;
    cv.notify_all();
  }
  for (auto& t : threads) {
    t.join();
  }

  // Merge per expectation: one assertion saying how many lanes met it.
  std::vector<int> statuses;
  std::map<const Expectation*, std::vector<Assertion>> by_exp;
  std::vector<const Expectation*> order;
  for (auto& lane : lanes) {
    for (auto& sr : lane.results) {
      for (auto& [e, a] : sr.checks) {
        if (!by_exp.contains(e)) {
          order.push_back(e);
        }
        by_exp[e].push_back(std::move(a));
      }
      for (auto& a : sr.extra) {
        if (r.extra.size() < 3) {
          r.extra.push_back(std::move(a));
        }
      }
      if (sr.http) {
        statuses.push_back(sr.status);
      }
      r.stop = r.stop || sr.stop;
    }
  }
  for (const Expectation* e : order) {
    auto& list = by_exp[e];
    std::size_t bad = 0;
    const Assertion* worst = &list.front();
    for (const auto& a : list) {
      if (a.verdict != Verdict::kPass) {
        ++bad;
      }
      if (reports::VerdictRank(a.verdict) > reports::VerdictRank(worst->verdict)) {
        worst = &a;
      }
    }
    Assertion merged = *worst;
    merged.message = (bad == 0 ? "all " + std::to_string(list.size()) + " lanes: "
                               : std::to_string(bad) + " of " + std::to_string(list.size()) +
                                     " lanes failed: ") +
                     worst->message;
    r.checks.emplace_back(e, std::move(merged));
  }
  for (const Expectation& e : st.expect) {
    MatchResult m = MatchCount(e, statuses);
    r.checks.emplace_back(
        &e, Judge(&st, e.req, m.ok, ExpectationToString(e) + " [" + st.where + "]", m.expected,
                  m.actual, e.interpretation_refs));
  }
  // A parallel group's lanes do not stop the case unless the harness broke.
  r.stop = std::any_of(r.extra.begin(), r.extra.end(), [](const Assertion& a) {
    return a.verdict == Verdict::kError || a.verdict == Verdict::kTimeout;
  });
  return r;
}

StepResult CaseRun::ExecStep(const Step& st, VarContext& ctx, const std::string& where) {
  switch (st.kind) {
    case Step::Kind::kHttp:
      return ExecHttp(st, ctx, where);
    case Step::Kind::kCall:
      return ExecCall(st, ctx, where);
    case Step::Kind::kParallel:
      return ExecParallel(st, ctx);
    case Step::Kind::kHostile: {
      StepResult r;
      if (!proxy_) {
        r.extra.push_back(Broke(Verdict::kError, DefaultReq(st),
                                where + ": hostile needs the relay role (the recording proxy)"));
        r.stop = true;
      } else if (auto set = proxy_->SetHostile(st.hostile); !set) {
        r.extra.push_back(
            Broke(Verdict::kError, DefaultReq(st), where + ": " + set.error().Message()));
        r.stop = true;
      }
      return r;
    }
    case Step::Kind::kWait: {
      std::this_thread::sleep_for(std::chrono::milliseconds(st.wait_ms));
      return {};
    }
    case Step::Kind::kRestart:
      return ExecRestart(st, where);
    case Step::Kind::kPush:
      return ExecPush(st, ctx, where);
  }
  return {};
}

StepResult CaseRun::ExecRestart(const Step& st, const std::string& where) {
  StepResult r;
  std::lock_guard<std::mutex> lock(late_mu_);
  if (auto it = adapters_.find(st.role); it != adapters_.end()) {
    {
      std::lock_guard<std::mutex> busy(it->second->mu);
      StopAdapter(*it->second);
      auto& kept = restarted_transcripts_[st.role];
      if (it->second->client) {
        const auto& lines = it->second->client->Transcript();
        kept.insert(kept.end(), lines.begin(), lines.end());
      }
      kept.push_back("# restarted here by the scenario (" + where + ")");
    }
    adapters_.erase(it);
  }
  StartStepDevice(st, where, "did not come back after the restart", r);
  return r;
}

void CaseRun::NoteContent(const std::optional<std::string>& body) {
  if (!body) {
    return;
  }
  Json j = Json::parse(*body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return;
  }
  std::lock_guard<std::mutex> lock(oracle_mu_);
  for (const auto& [object, member] : {std::pair<const char*, const char*>{"payload", "data"},
                                       {"displayInformation", "title"},
                                       {"displayInformation", "description"}}) {
    if (j.contains(object) && j[object].is_object() && j[object].contains(member) &&
        j[object][member].is_string() && j[object][member].get<std::string>().size() >= 8) {
      content_.push_back(j[object][member].get<std::string>());
    }
  }
}

StepResult CaseRun::ExecPush(const Step& st, VarContext& ctx, const std::string& where) {
  StepResult r;
  const std::string& req = st.req.empty() ? std::string("RELAY-50") : st.req;
  auto url = InterpolateString(st.push_url, ctx);
  if (!url || !proxy_) {
    r.extra.push_back(Broke(
        Verdict::kError, req,
        where + ": " + (url ? "no recording proxy to receive pushes" : url.error().Message())));
    r.stop = true;
    return r;
  }
  auto arrived = [&] {
    std::vector<har::Exchange> at;
    for (auto& p : proxy_->Pushes()) {
      if (p.url == *url) at.push_back(std::move(p));
    }
    return at;
  };
  // The relay notifies from its own thread, after answering: polling the
  // proxy (bounded by `within`) is the only way to see it.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(st.push_within_ms);
  std::vector<har::Exchange> got = arrived();
  while (std::chrono::steady_clock::now() < deadline &&
         (st.push_count == 0 || static_cast<std::int64_t>(got.size()) < st.push_count)) {
    std::this_thread::sleep_for(20ms);
    got = arrived();
  }
  const std::string shown = Redact(url->substr(proxy_->push_url().size()));
  Assertion a = Judge(&st, req, static_cast<std::int64_t>(got.size()) == st.push_count,
                      where + ": " + std::to_string(got.size()) + " push(es) to the token " +
                          shown + " within " + std::to_string(st.push_within_ms) + " ms",
                      std::to_string(st.push_count) + " push(es)",
                      std::to_string(got.size()) + " push(es)", {});
  r.extra.push_back(std::move(a));
  std::vector<std::string> content;
  {
    std::lock_guard<std::mutex> lock(oracle_mu_);
    content = content_;
    for (const Bytes& s : secrets_) {
      for (auto& [name, text] : SecretEncodings(s)) content.push_back(std::move(text));
    }
  }
  for (const har::Exchange& p : got) {
    std::string leaked;
    for (const std::string& c : content) {
      if (p.request_body.find(c) != std::string::npos || p.url.find(c) != std::string::npos) {
        leaked = c;
        break;
      }
    }
    r.extra.push_back(
        Judge(nullptr, "PRIV-10", leaked.empty(),
              where + ": the push to " + shown + " (" + std::to_string(p.request_body.size()) +
                  "-octet body) " +
                  (leaked.empty() ? "carries no payload, display text or Secret"
                                  : "carries content the relay was given: " + Redact(leaked)),
              "a notification that only signals a change",
              leaked.empty() ? "no content" : "content in the push", {}));
  }
  return r;
}

std::string CaseRun::PlainHttpAnswer(const std::string& url) const {
  static constexpr std::string_view kHttps = "https://";
  if (url.rfind(kHttps, 0) != 0) {
    return "";
  }
  const std::size_t end = url.find_first_of("/?#", kHttps.size());
  std::string authority = url.substr(kHttps.size(), end - kHttps.size());
  // Without a port the TLS port is 443, not plain HTTP's 80.
  const std::size_t colon = authority.rfind(':');
  if (colon == std::string::npos || authority.find(']', colon) != std::string::npos) {
    authority += ":443";
  }
  HttpRequest plain;
  plain.url = "http://" + authority + "/";
  plain.timeout = 2s;
  auto resp = probe_.Send(plain);
  // A bare 400 is how some TLS servers turn plain HTTP away (nginx): no
  // request is processed, so SEC-01 holds (as relay/tls-only accepts it).
  if (!resp || resp->status <= 0 || resp->status == 400) {
    return "";
  }
  return (resp->http_version.empty() ? std::string("HTTP") : resp->http_version) + " " +
         std::to_string(resp->status);
}

void CaseRun::StopAdapter(Adapter& ad) {
  if (ad.client && !ad.client->broken() && ad.process && ad.process->Running()) {
    ad.client->Call("shutdown", Json::object(), 2s);
    ad.process->WaitExit(1s);
  }
  if (ad.process) {
    ad.process->Stop();
  }
}

bool CaseRun::RunSteps(const std::vector<Step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& st = steps[i];
    StepResult r = ExecStep(st, ctx_, st.where);
    const std::size_t first = assertions_.size();
    for (auto& [e, a] : r.checks) {
      assertions_.push_back(std::move(a));
    }
    for (auto& a : r.extra) {
      assertions_.push_back(std::move(a));
    }
    negative_.resize(assertions_.size(), ExpectsRefusal(st));
    auto failed = [&](auto pred) {
      return std::any_of(assertions_.begin() + static_cast<std::ptrdiff_t>(first),
                         assertions_.end(), pred);
    };
    const std::string label = st.name.empty() ? st.where : "'" + st.name + "' (" + st.where + ")";
    if (st.control && (r.stop || failed([](const Assertion& a) {
                         return a.verdict != Verdict::kPass && a.verdict != Verdict::kUnsupported;
                       }))) {
      const std::string why = "the positive control " + label + " failed";
      // Refusals checked before the control prove nothing without it.
      for (const std::string& req : FailControl(assertions_, negative_, first)) {
        NoteNotEvaluated(not_evaluated_, assertions_, req, why);
      }
      StopCase(steps, i + 1, why);
      return false;
    }
    const bool gate_failed = !st.save.empty() && failed([](const Assertion& a) {
      return reports::IsFailing(a.verdict);
    });
    if (!r.unresolved.empty()) {
      StopCase(steps, i,
               "an earlier step's outcome lacks what step " + label +
                   " needs: " + Truncate(r.unresolved, 200));
      return false;
    }
    if (r.stop || gate_failed) {
      std::string why = "step " + label + " failed";
      for (std::size_t k = first; k < assertions_.size(); ++k) {
        if (assertions_[k].verdict != Verdict::kPass) {
          why += ": " + Truncate(assertions_[k].message, 160);
          break;
        }
      }
      StopCase(steps, i + 1, why);
      return false;
    }
  }
  return true;
}

void CaseRun::StopCase(const std::vector<Step>& steps, std::size_t first_not_run,
                       const std::string& why) {
  stopped_early_ = true;
  const std::span<const Step> rest(steps.begin() + static_cast<std::ptrdiff_t>(first_not_run),
                                   steps.end());
  for (const std::string& req : RequirementsChecked(rest)) {
    NoteNotEvaluated(not_evaluated_, assertions_, req, why);
  }
}

void CaseRun::CheckProcessesAlive() {
  if (relay_ && !relay_->Running()) {
    assertions_.push_back(Broke(Verdict::kError, "",
                                "the relay " + relay_->ExitDescription() +
                                    " during the case; stderr tail: " + relay_->StderrTail(600)));
  }
  for (auto& [role, ad] : adapters_) {
    if (ad->process && !ad->process->Running()) {
      assertions_.push_back(
          Broke(Verdict::kError, "",
                "the " + role + " adapter " + ad->process->ExitDescription() +
                    " during the case; stderr tail: " + ad->process->StderrTail(600)));
    }
  }
}

void CaseRun::Teardown() {
  for (auto& [role, ad] : adapters_) {
    StopAdapter(*ad);
  }
  if (relay_) {
    relay_->Stop();
  }
  // A device's work directory may hold its Secret (a state file): it does not
  // stay in the report.
  for (const char* role : {"initiator", "recipient"}) {
    std::error_code ec;
    fs::remove_all(case_dir_ / (std::string(role) + ".work"), ec);
  }
}

void CaseRun::WriteFiles(reports::CaseResult& /*c*/) {
  auto write = [&](const std::string& name, const std::string& text, const std::string& what,
                   const std::string& media) {
    std::string safe;
    {
      std::lock_guard<std::mutex> lock(sh_.guard_mu);
      safe = sh_.guard.Apply(text);
    }
    std::ofstream(case_dir_ / name, std::ios::binary) << safe;
    attachments_.push_back({what, name, media});
  };
  write("scenario.yaml", sc_.text, "scenario as written", "application/yaml");
  Json resolved{{"case", spec_.case_id}, {"seed", spec_.seed}, {"scenario", sc_.file.string()}};
  Json vars = Json::object();
  for (const auto& [k, v] : ctx_.values()) {
    vars[k] = Json::parse(RedactRpcLine(Json{{k, v}}.dump()), nullptr, false)[k];
  }
  resolved["variables"] = vars;
  resolved["steps"] = resolved_steps_;
  write("resolved.yaml", JsonToYaml(resolved), "resolved scenario", "application/yaml");
  if (!http_log_.empty()) {
    write("http.log", http_log_, "probe HTTP exchanges", "text/plain");
  }
  for (auto& [role, ad] : adapters_) {
    std::string t;
    for (const auto& line : restarted_transcripts_[role]) {
      t += line + "\n";
    }
    for (const auto& line : ad->client ? ad->client->Transcript() : std::vector<std::string>{}) {
      t += line + "\n";
    }
    write(role + ".jsonrpc.log", t, role + " JSON-RPC transcript", "text/plain");
  }
  std::string repro = "#!/bin/sh\n# Reruns case " + spec_.case_id + " with the same seed.\nexec " +
                      RerunCommand(sh_.opt, spec_) + " \"$@\"\n";
  write("repro.sh", repro, "rerun command", "text/x-shellscript");
  fs::permissions(case_dir_ / "repro.sh",
                  fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  for (const auto& entry : fs::directory_iterator(case_dir_)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 4 && name.substr(name.size() - 4) == ".log" &&
        (name.find("stderr") != std::string::npos || name.find("stdout") != std::string::npos)) {
      attachments_.push_back({name.substr(0, name.find('.')) + " " +
                                  (name.find("stderr") != std::string::npos ? "stderr" : "stdout"),
                              name, "text/plain"});
    }
  }
}

}  // namespace

reports::CaseResult CaseRun::Execute() {
  const auto start = std::chrono::steady_clock::now();
  reports::CaseResult c;
  c.case_id = spec_.case_id;
  c.title = sc_.title;
  c.scenario_file = sc_.file.string();
  c.area = sc_.Area();
  c.requirement_ids = sc_.requirements;
  c.keywords = sc_.keywords;
  c.seed = spec_.seed;
  c.rerun_command = RerunCommand(sh_.opt, spec_);
  c.case_dir = "cases/" + SafeDirName(spec_.case_id);
  case_dir_ = sh_.run_dir / c.case_dir;
  std::error_code ec;
  fs::remove_all(case_dir_, ec);
  fs::create_directories(case_dir_, ec);
  ctx_.Set("case", Json{{"id", spec_.case_id}, {"seed", spec_.seed}});
  const Manifest* init = sc_.HasRole("initiator") ? spec_.initiator : nullptr;
  const Manifest* recip = sc_.HasRole("recipient") ? spec_.recipient : nullptr;
  if (sc_.HasRole("relay") && (spec_.relay != nullptr)) {
    c.relay = spec_.relay->name;
  }
  if (init != nullptr) {
    c.initiator = init->name;
  }
  if (recip != nullptr) {
    c.recipient = recip->name;
  }

  auto finish = [&]() -> reports::CaseResult {
    Teardown();
    RunOracleChecks();
    ExcuseRelayRefusals(assertions_);
    WriteFiles(c);
    c.assertions = std::move(assertions_);
    c.stopped_early = stopped_early_;
    c.not_evaluated = std::move(not_evaluated_);
    for (std::size_t i = 0; i < c.assertions.size(); ++i) {
      if (i == 0 || c.assertions[i].verdict != Verdict::kPass) {
        auto& att = c.assertions[i].evidence.attachments;
        att.insert(att.end(), attachments_.begin(), attachments_.end());
      }
    }
    for (const auto& a : c.assertions) {
      if ((a.verdict == Verdict::kError || a.verdict == Verdict::kTimeout) &&
          c.error_detail.empty()) {
        c.error_detail = a.message;
      }
    }
    c.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return c;
  };
  auto setup_failed = [&](Verdict v, const std::string& what) {
    assertions_.push_back(Broke(v, sc_.requirements.front(), what));
    return finish();
  };

  // Roles the scenario needs must be provided by the selected implementations.
  if (sc_.HasRole("relay") && (spec_.relay == nullptr)) {
    return setup_failed(Verdict::kError, "no implementation provides a relay");
  }
  if (sc_.HasRole("initiator") && (init == nullptr)) {
    return setup_failed(Verdict::kError, "no implementation provides an initiator");
  }
  if (sc_.HasRole("recipient") && (recip == nullptr)) {
    return setup_failed(Verdict::kError, "no implementation provides a recipient");
  }
  for (const auto& f : sc_.features) {
    std::vector<const Manifest*> parties;
    if (sc_.HasRole("relay")) {
      parties.push_back(spec_.relay);
    }
    if (init != nullptr) {
      parties.push_back(init);
    }
    if (recip != nullptr) {
      parties.push_back(recip);
    }
    for (const Manifest* m : parties) {
      if (!m->HasFeature(f)) {
        for (const auto& req : sc_.requirements) {
          assertions_.push_back(
              Broke(Verdict::kUnsupported, req,
                    m->name + " does not declare the optional feature '" + f + "'"));
        }
        return finish();
      }
    }
  }
  if (sc_.HasRole("relay")) {
    auto r = StartRelay();
    if (!r) {
      return setup_failed(
          r.error().Is(Errc::kProcessNotReady) ? Verdict::kTimeout : Verdict::kError,
          "relay did not start: " + r.error().Message());
    }
  }
  for (auto [role, m] :
       {std::pair<std::string, const Manifest*>("initiator", init), {"recipient", recip}}) {
    if (m == nullptr ||
        std::find(sc_.start_late.begin(), sc_.start_late.end(), role) != sc_.start_late.end()) {
      continue;
    }
    Verdict v = Verdict::kError;
    auto r = StartDevice(role, m, &v);
    if (!r) {
      return setup_failed(v, role + " adapter is unusable: " + r.error().Message());
    }
  }
  RunSteps(sc_.steps);
  CheckProcessesAlive();
  return finish();
}

Runner::Runner(RunOptions options, const reports::Catalog& catalog, const ScenarioSet& scenarios)
    : opt_(std::move(options)), catalog_(catalog), scenarios_(scenarios) {}

namespace {

std::string NowUtc() {
  return FormatUtcSeconds(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

Result<void> WriteText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) {
    return MakeError(Errc::kIoFailure, p.string() + ": cannot write");
  }
  out << text;
  return {};
}

// Writes a failing case's reproduction bundle and lists it in its evidence.
void AddReproBundle(RunShared& sh, const CaseSpec& spec, reports::CaseResult& c,
                    std::ostream& out) {
  CaseBundleInput in;
  in.result = &c;
  in.case_dir = sh.run_dir / c.case_dir;
  in.scenario_id = spec.scenario->id;
  in.scenario_text = spec.scenario->text;
  in.repetition = spec.repetition;
  in.run_seed = sh.opt.seed;
  in.profile = std::string(reports::ProfileName(sh.opt.profile));
  in.matrix = sh.opt.matrix;
  in.relay = c.relay.empty() ? nullptr : spec.relay;
  in.initiator = c.initiator.empty() ? nullptr : spec.initiator;
  in.recipient = c.recipient.empty() ? nullptr : spec.recipient;
  in.hello = [&sh](const std::string& name) {
    std::lock_guard<std::mutex> lock(sh.guard_mu);
    auto it = sh.hellos.find(name);
    return it == sh.hellos.end() ? std::pair<std::string, std::vector<std::string>>{}
                                 : std::pair<std::string, std::vector<std::string>>{
                                       it->second.version, it->second.features};
  };
  in.expectations_path = sh.opt.expectations_path;
  in.harness_version = tigress::kVersion;
  in.created = NowUtc();
  in.command = c.rerun_command;
  in.command_line = sh.opt.command_line;
  in.redact = [&sh](std::string_view s) {
    std::lock_guard<std::mutex> lock(sh.guard_mu);
    return sh.guard.Apply(s);
  };
  auto written = WriteCaseBundle(in);
  if (!written) {
    std::lock_guard<std::mutex> lock(sh.guard_mu);
    out << "tigress-harness: no reproduction bundle for " << c.case_id << ": "
        << written.error().Message() << "\n";
    return;
  }
  const reports::Attachment bundle{"reproduction bundle (tigress-harness repro FILE)",
                                   written->filename().string(), "application/gzip"};
  for (std::size_t i = 0; i < c.assertions.size(); ++i) {
    if (i == 0 || c.assertions[i].verdict != Verdict::kPass) {
      c.assertions[i].evidence.attachments.push_back(bundle);
    }
  }
}

}  // namespace

int Runner::Run(std::ostream& out) {
  RunShared sh(opt_, catalog_);
  std::vector<CaseSpec> cases = SelectCases(scenarios_, opt_);
  std::vector<std::pair<std::string, std::string>> disabled;
  if (opt_.expectations) {
    std::vector<CaseSpec> kept;
    for (auto& c : cases) {
      if (auto why = opt_.expectations->Disabled(c.case_id)) {
        disabled.emplace_back(c.case_id, *why);
      } else {
        kept.push_back(std::move(c));
      }
    }
    cases = std::move(kept);
  }
  if (cases.empty()) {
    out << "tigress-harness: no case matches the selection\n";
    return 2;
  }
  auto assigned = AssignImplementations(std::move(cases), opt_);
  if (!assigned) {
    out << "tigress-harness: " << assigned.error().Message() << "\n";
    return 2;
  }
  cases = std::move(*assigned);
  if (!opt_.case_ids.empty()) {
    std::erase_if(cases, [&](const CaseSpec& c) {
      return std::find(opt_.case_ids.begin(), opt_.case_ids.end(), c.case_id) ==
             opt_.case_ids.end();
    });
    if (cases.empty()) {
      out << "tigress-harness: no case matches the selection\n";
      return 2;
    }
  }

  run_.run_id = opt_.run_id;
  if (run_.run_id.empty()) {
    run_.run_id = DefaultRunId(opt_.seed, ::getpid(), std::time(nullptr));
  }
  auto dir = reports::RunDirectory(opt_.report_dir, run_.run_id);
  if (!dir) {
    out << "tigress-harness: " << dir.error().Message() << "\n";
    return 2;
  }
  run_dir_ = fs::absolute(*dir);
  sh.run_dir = run_dir_;
  std::error_code ec;
  fs::create_directories(run_dir_ / "pki", ec);
  if (ec) {
    out << "tigress-harness: cannot create " << run_dir_.string() << ": " << ec.message() << "\n";
    return 2;
  }
  auto pki = pki::MakeTestPki();
  if (!pki) {
    out << "tigress-harness: cannot make the test CA: " << pki.error().Message() << "\n";
    return 2;
  }
  sh.ca_file = (run_dir_ / "pki" / "ca.pem").string();
  sh.cert_file = (run_dir_ / "pki" / "server-cert.pem").string();
  sh.key_file = (run_dir_ / "pki" / "server-key.pem").string();
  for (auto [p, t] : {std::pair<std::string, std::string>(sh.ca_file, pki->ca_cert_pem),
                      {sh.cert_file, pki->server_cert_pem},
                      {sh.key_file, pki->server_key_pem}}) {
    if (auto w = WriteText(p, t); !w) {
      out << "tigress-harness: " << w.error().Message() << "\n";
      return 2;
    }
  }
  fs::permissions(sh.key_file, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace, ec);

  run_.started = NowUtc();
  run_.harness_version = tigress::kVersion;
  run_.profile = opt_.profile;
  run_.seed = opt_.seed;
  run_.command_line = opt_.command_line;
  out << "tigress-harness: " << cases.size() << " case(s), " << std::max(1, opt_.jobs)
      << " job(s), seed " << opt_.seed << ", profile " << reports::ProfileName(opt_.profile)
      << "; run directory " << run_dir_.string() << "\n";
  for (const auto& [id, why] : disabled) {
    out << "  disabled " << id << ": " << why << "\n";
  }

  reports::ProgressPrinter progress(out, cases.size(), opt_.live_progress, &sh.guard);
  const auto wall_start = std::chrono::steady_clock::now();
  std::vector<reports::CaseResult> results(cases.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= cases.size()) {
        return;
      }
      {
        std::lock_guard<std::mutex> lock(sh.guard_mu);
        progress.CaseStarted();
      }
      CaseRun cr(sh, cases[i]);
      reports::CaseResult c = cr.Execute();
      if (opt_.expectations) {
        if (auto why = opt_.expectations->KnownFailure(c.case_id)) {
          c.expected_failure = true;
          c.expected_failure_reason = *why;
          c.expected_failure_requirements = opt_.expectations->KnownFailureRequirements(c.case_id);
        }
      }
      reports::FinalizeCase(c, opt_.profile);
      c.failure_signature = reports::FailureSignature(c);
      if (reports::IsFailing(c.verdict)) {
        AddReproBundle(sh, cases[i], c, out);
      }
      {
        std::lock_guard<std::mutex> lock(sh.guard_mu);
        progress.CaseFinished(c);
      }
      results[i] = std::move(c);
    }
  };
  const int jobs = std::clamp(opt_.jobs, 1, 64);
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j) {
    pool.emplace_back(worker);
  }
  for (auto& t : pool) {
    t.join();
  }
  progress.Finish();
  progress.PrintRootCauses(results);

  for (const auto& m : opt_.manifests) {
    reports::ImplementationInfo info;
    info.name = m.name;
    info.version = m.version;
    for (std::string_view role : {"relay", "initiator", "recipient"}) {
      bool plays = std::any_of(cases.begin(), cases.end(), [&](const CaseSpec& c) {
        const Manifest* who = role == "relay"       ? c.relay
                              : role == "initiator" ? c.initiator
                                                    : c.recipient;
        return who == &m;
      });
      if (plays) {
        info.roles.emplace_back(role);
      }
    }
    info.features = m.features;
    // The adapter's own word on its version and features, when one ran.
    if (auto it = sh.hellos.find(m.name); it != sh.hellos.end()) {
      if (!it->second.version.empty()) {
        info.version = it->second.version;
      }
      for (const auto& f : it->second.features) {
        if (std::find(info.features.begin(), info.features.end(), f) == info.features.end()) {
          info.features.push_back(f);
        }
      }
    }
    info.manifest_path = m.path.string();
    run_.implementations.push_back(std::move(info));
  }

  run_.cases = std::move(results);
  run_.disabled = disabled;
  run_.finished = NowUtc();
  auto written = reports::WriteRunReports(run_, &catalog_, sh.guard, run_dir_);
  if (!written) {
    out << "tigress-harness: " << written.error().Message() << "\n";
    return 2;
  }
  bool any = false;
  for (const auto& c : run_.cases) {
    if (!c.Unexpected()) {
      continue;
    }
    if (!any) {
      out << "\nRerun a failing case with:\n";
    }
    any = true;
    out << "  " << c.rerun_command << "\n";
    const fs::path case_dir = run_dir_ / c.case_dir;
    if (const fs::path bundle = case_dir / BundleFileName(case_dir); fs::exists(bundle)) {
      out << "    or: " << ShellQuote(opt_.harness_exe.string()) << " repro "
          << ShellQuote(bundle.string()) << "\n";
    }
  }
  out << "\nReports: " << (run_dir_ / "report.html").string() << "\n         "
      << (run_dir_ / "report.json").string() << "\n         " << (run_dir_ / "junit.xml").string()
      << "\n";
  // The suite's wall time is what -j buys; the sum of case durations is the
  // work it overlapped.
  double case_seconds = 0;
  for (const auto& c : run_.cases) {
    case_seconds += c.duration_s;
  }
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_start;
  out << "tigress-harness: " << run_.cases.size() << " case(s) in " << std::fixed
      << std::setprecision(1) << wall.count() << " s wall time with -j " << jobs << " ("
      << case_seconds << " s of cases)\n"
      << std::defaultfloat;
  if (run_.NothingTested()) {
    out << "tigress-harness: every case is UNSUPPORTED: the implementations declare none of the "
           "optional features the selected cases need, so nothing was tested (exit 1)\n";
  }
  return run_.ExitCode();
}

}  // namespace tigress::harness
