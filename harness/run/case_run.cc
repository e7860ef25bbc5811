#include "harness/run/case_run.h"

#include <algorithm>
#include <mutex>
#include <span>

#include "harness/net/probe_client.h"
#include "harness/oracles/oracles.h"
#include "harness/process/child_io.h"
#include "harness/scenario/request_id_retry.h"
#include "harness/run/evidence.h"
#include "harness/run/selection.h"
#include "harness/run/step_verdicts.h"

namespace tigress::harness {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using reports::Assertion;
using reports::Verdict;

// Probes go out through the probe client, trusting only the run's CA.
// The probe client, keeping what it exchanged for the relay-only cases'
// transcript (parallel lanes send at once).
class CaseRun::Transport final : public HttpTransport {
 public:
  explicit Transport(std::string ca_file) : client_(std::move(ca_file)) {}
  Result<HttpResponse> Send(const HttpRequest& request) const override {
    const std::int64_t started = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
    Result<HttpResponse> response = client_.Send(request);
    std::lock_guard<std::mutex> lock(mu_);
    transcript_.exchanges.push_back(ProbeExchange(request, response, started));
    return response;
  }
  har::Transcript Transcript() const {
    std::lock_guard<std::mutex> lock(mu_);
    return transcript_;
  }

 private:
  ProbeClient client_;
  mutable std::mutex mu_;
  mutable har::Transcript transcript_;
};

class CaseRun::ProxyAccess final : public ProxyPort {
 public:
  explicit ProxyAccess(RecordingProxy& proxy) : proxy_(proxy) {}
  std::string base_url() const override { return proxy_.base_url(); }
  std::string push_url() const override { return proxy_.push_url(); }
  Result<void> SetHostile(HostileMode mode) override { return proxy_.SetHostile(mode); }
  std::size_t ExchangeCount() const override { return proxy_.ExchangeCount(); }
  har::Transcript Transcript() const override { return proxy_.Transcript(); }
  std::vector<har::Exchange> Pushes() const override { return proxy_.Pushes(); }

 private:
  RecordingProxy& proxy_;
};

namespace {

// The implementation playing `role` when the scenario uses the role.
const Manifest* Player(const Scenario& sc, const CaseSpec& spec, Role role) {
  return sc.HasRole(role) ? spec.Player(role) : nullptr;
}

}  // namespace

CaseRun::CaseRun(RunShared& shared, const CaseSpec& spec)
    : sh_(shared),
      spec_(spec),
      sc_(*spec.scenario),
      start_(std::chrono::steady_clock::now()),
      vars_(spec.seed),
      transport_(std::make_unique<Transport>(shared.ca_file)),
      oracle_([&shared](const Bytes& s) { shared.redaction.AddSecret(s); }) {}

CaseRun::~CaseRun() = default;

reports::CaseResult CaseRun::Execute() {
  reports::CaseResult c = Begin();
  if (Unplayable() || !StartProcesses()) {
    return Finish(std::move(c));
  }
  StepContext cx = MakeStepContext();
  RunSteps(sc_.steps, cx);
  CheckProcessesAlive();
  return Finish(std::move(c));
}

reports::CaseResult CaseRun::Begin() {
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
  vars_.Set("case", Json{{"id", spec_.case_id}, {"seed", spec_.seed}});
  for (const auto& [role, name] : {std::pair<Role, std::string*>(Role::kRelay, &c.relay),
                                   {Role::kInitiator, &c.initiator},
                                   {Role::kRecipient, &c.recipient}}) {
    if (const Manifest* m = Player(sc_, spec_, role); m != nullptr) {
      *name = m->name;
    }
  }
  devices_ = std::make_unique<CaseDevices>(sh_, case_dir_, spec_.initiator, spec_.recipient,
                                           sc_.start_late);
  return c;
}

bool CaseRun::Unplayable() {
  // Roles the scenario needs must be provided by the selected implementations.
  std::vector<const Manifest*> parties;
  for (const Role role : kAllRoles) {
    if (!sc_.HasRole(role)) {
      continue;
    }
    const Manifest* m = Player(sc_, spec_, role);
    if (m == nullptr) {
      assertions_.push_back(Broke(Verdict::kError, sc_.requirements.front(),
                                  "no implementation provides " +
                                      std::string(role == Role::kInitiator ? "an " : "a ") +
                                      RoleName(role)));
      return true;
    }
    parties.push_back(m);
  }
  // Implementations of different draft revisions cannot interoperate: the
  // case is not run, and the reason replaces a wall of failures.
  if (std::string mismatch = RevisionMismatch(spec_); !mismatch.empty()) {
    for (const auto& req : sc_.requirements) {
      assertions_.push_back(Broke(Verdict::kUnsupported, req, mismatch));
    }
    return true;
  }
  for (const auto& f : sc_.features) {
    for (const Manifest* m : parties) {
      if (m->HasFeature(f)) {
        continue;
      }
      for (const auto& req : sc_.requirements) {
        assertions_.push_back(
            Broke(Verdict::kUnsupported, req,
                  m->name + " does not declare the optional feature '" + f + "'"));
      }
      return true;
    }
  }
  return false;
}

bool CaseRun::StartProcesses() {
  if (sc_.HasRole(Role::kRelay)) {
    if (auto r = StartRelay(); !r) {
      assertions_.push_back(
          Broke(r.error().Is(Errc::kProcessNotReady) ? Verdict::kTimeout : Verdict::kError,
                sc_.requirements.front(), "relay did not start: " + r.error().Message()));
      return false;
    }
  }
  for (const Role role : {Role::kInitiator, Role::kRecipient}) {
    const Manifest* m = Player(sc_, spec_, role);
    if (m == nullptr || sc_.StartsLate(role)) {
      continue;
    }
    Verdict v = Verdict::kError;
    if (auto r = devices_->Start(role, m, &v); !r) {
      assertions_.push_back(Broke(v, sc_.requirements.front(),
                                  RoleName(role) + " adapter is unusable: " + r.error().Message()));
      return false;
    }
  }
  return true;
}

Result<void> CaseRun::StartRelay() {
  const Manifest& m = *spec_.relay;
  Placeholders ph = sh_.PlaceholdersFor(m, case_dir_ / "relay.work");
  // Devices (and the relay's urlLinks) go through the recording proxy; the
  // proxy reaches the relay lazily, so it can start first (pointed at the
  // relay's real port once a relay that reports it is ready).
  ph.port = "0";
  TIGRESS_ASSIGN_OR_RETURN(proxy_, RecordingProxy::Start({sh_.cert_file, sh_.key_file, sh_.ca_file,
                                                          Expand(m.relay->base_url, ph)}));
  proxy_port_ = std::make_unique<ProxyAccess>(*proxy_);
  const std::string public_url = proxy_->base_url();
  devices_->set_public_url(public_url);
  ph.public_url = public_url;
  ph.push_url = proxy_->push_url();
  int port = 0;
  TIGRESS_RETURN_IF_ERROR(StartRelayProcess(m, ph, &port));
  relay_url_ = Expand(m.relay->base_url, ph);
  TIGRESS_RETURN_IF_ERROR(proxy_->SetUpstream(relay_url_));
  std::string host = relay_url_.substr(relay_url_.find("://") + 3);
  host = host.substr(0, host.find('/'));
  vars_.Set("relay", Json{{"base_url", relay_url_},
                          {"public_url", public_url},
                          {"push_url", proxy_->push_url()},
                          {"host", host},
                          {"port", port},
                          {"name", m.name}});
  return {};
}

Result<void> CaseRun::StartRelayProcess(const Manifest& m, Placeholders& ph, int* port) {
  const bool reports_port = m.relay->ready.reports_port;
  // A relay that cannot report its port gets one the harness picked; it may
  // lose the race for it to another process, so it is retried on a new one.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    if (!reports_port) {
      TIGRESS_ASSIGN_OR_RETURN(*port, FreeLoopbackPort());
    }
    ph.port = std::to_string(*port);
    ProcessSpec ps = LaunchSpecFor(m, LaunchRole::kRelay, ph);
    ps.stderr_path = case_dir_ / "relay.stderr.log";
    ps.stdout_path = case_dir_ / "relay.stdout.log";
    ps.port = *port;
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
    *port = relay_->ReportedPort().value_or(0);
    ph.port = std::to_string(*port);
  }
  return {};
}

StepContext CaseRun::MakeStepContext() {
  return StepContext{
      .catalog = sh_.CatalogFor(CaseRevision(spec_)),
      .scenario = sc_,
      .http = *transport_,
      .adapters = *devices_,
      .proxy = proxy_port_.get(),
      .oracle = oracle_,
      .log = log_,
      .clock = clock_,
      .relay_url = relay_url_,
      .revision = &RevisionOf(CaseRevision(spec_)),
      .relay_down =
          [this] {
            return relay_ && !relay_->Running()
                       ? relay_->ExitDescription() + "; stderr tail: " + relay_->StderrTail(400)
                       : std::string();
          },
      .http_timeout = sh_.opt.http_timeout,
      .call_timeout = sh_.opt.call_timeout,
  };
}

bool CaseRun::RunSteps(const std::vector<Step>& steps, StepContext& cx) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& st = steps[i];
    StepResult r = ExecuteStep(st, vars_, st.where, cx);
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
  for (std::string& dead : devices_->Dead()) {
    assertions_.push_back(Broke(Verdict::kError, "", std::move(dead)));
  }
}

void CaseRun::Teardown() {
  devices_->StopAll();
  if (relay_) {
    relay_->Stop();
  }
  // A device's work directory may hold its Secret (a state file): it does not
  // stay in the report.
  for (const Role role : {Role::kInitiator, Role::kRecipient}) {
    std::error_code ec;
    fs::remove_all(case_dir_ / (RoleName(role) + ".work"), ec);
  }
}

void CaseRun::RunOracleChecks() {
  if (!proxy_) {
    return;
  }
  proxy_->Stop();
  const har::Transcript t = proxy_->Transcript();
  if (t.exchanges.empty()) {
    // A relay-only case: its transcript is what the probe exchanged (none
    // at all when, say, every TLS handshake was refused).
    attachments_.push_back(
        WriteTranscriptHar(case_dir_, transport_->Transcript(),
                           [this](std::string_view s) { return sh_.redaction.Apply(s); }));
    return;
  }
  // Secrets go through the run's redaction when written.
  attachments_.push_back(WriteTranscriptHar(
      case_dir_, t, [this](std::string_view s) { return sh_.redaction.Apply(s); }));
  // The oracles read one set of header names whatever revision was spoken.
  const RevisionInfo& revision = RevisionOf(CaseRevision(spec_));
  const reports::Catalog& catalog = sh_.CatalogFor(revision.id);
  const har::Transcript canonical = har::CanonicalView(t, revision);
  DiagnoseDevices(har::SpokenRevisions(t), revision.id);
  OracleInput in;
  in.transcript = &canonical;
  oracle_.FillInto(in);
  in.personal_data = sc_.personal_data;
  // The oracles see at most the first and the last 8 MiB of the relay's
  // stderr (a "[N bytes not read]" line between), not an unbounded log.
  constexpr std::size_t kRelayStderrReadBytes = std::size_t{8} << 20;
  in.relay_stderr =
      FileHeadAndTail(case_dir_ / "relay.stderr.log", kRelayStderrReadBytes, kRelayStderrReadBytes);
  std::vector<Finding> findings = RunOracles(in);
  const std::vector<Finding> iv = sh_.iv_ledger.Add(spec_.case_id, in);
  findings.insert(findings.end(), iv.begin(), iv.end());
  for (const Finding& f : findings) {
    // C-39: claims are held to version 4 in privacy checks only.
    const std::vector<std::string> refs =
        f.check == "claims-v4" ? std::vector<std::string>{"C-39"} : std::vector<std::string>{};
    Assertion a = catalog.Judge(f.requirement, f.ok, "oracle " + f.check + ": " + f.message,
                                    f.expected, f.actual);
    catalog.AddInterpretations(a, refs);
    assertions_.push_back(std::move(a));
  }
  for (Assertion& a : JudgeRequestIdRetry(catalog, sc_, in)) {
    assertions_.push_back(std::move(a));
  }
}

void CaseRun::DiagnoseDevices(const std::vector<std::pair<Revision, std::string>>& spoken,
                              Revision tested) {
  std::string names;
  for (const Manifest* m : {Player(sc_, spec_, Role::kInitiator), Player(sc_, spec_, Role::kRecipient)}) {
    if (m != nullptr && names.find(m->name) == std::string::npos) {
      names += (names.empty() ? "" : "', '") + m->name;
    }
  }
  if (names.empty()) return;
  if (std::optional<std::string> line = DiagnoseDevice(names, tested, spoken)) {
    sh_.Diagnose(*line);
  }
}

void CaseRun::WriteFiles() {
  CaseFilesInput in;
  in.case_dir = case_dir_;
  in.case_id = spec_.case_id;
  in.seed = spec_.seed;
  in.scenario_file = sc_.file.string();
  in.scenario_text = sc_.text;
  in.variables = vars_.values();
  in.log = &log_;
  in.transcripts = devices_->Transcripts();
  in.rerun_command = RerunCommand(sh_.opt, spec_);
  in.redact = [this](std::string_view s) { return sh_.redaction.Apply(s); };
  std::vector<reports::Attachment> files = WriteCaseFiles(in);
  attachments_.insert(attachments_.end(), files.begin(), files.end());
}

reports::CaseResult CaseRun::Finish(reports::CaseResult c) {
  Teardown();
  RunOracleChecks();
  ExcuseRelayRefusals(assertions_);
  WriteFiles();
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
  c.duration_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  return c;
}

}  // namespace tigress::harness
