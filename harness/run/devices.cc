#include "harness/run/devices.h"

#include <algorithm>

#include "harness/process/supervisor.h"

namespace tigress::harness {

using Json = nlohmann::json;
using reports::Verdict;
using namespace std::chrono_literals;

struct CaseDevices::Adapter final : Device {
  Role role = Role::kInitiator;
  const Manifest* manifest_ = nullptr;
  std::unique_ptr<Process> process;
  std::unique_ptr<AdapterClient> client;
  HelloInfo hello;
  std::mutex mu;  // one request at a time, also from parallel lanes

  const Manifest* manifest() const override { return manifest_; }
  RpcOutcome Call(const std::string& method, const Json& params,
                  std::chrono::milliseconds timeout) override {
    std::lock_guard<std::mutex> lock(mu);
    return client->Call(method, params, timeout);
  }
};

CaseDevices::CaseDevices(RunShared& shared, std::filesystem::path case_dir,
                         const Manifest* initiator, const Manifest* recipient,
                         std::vector<Role> start_late)
    : sh_(shared),
      case_dir_(std::move(case_dir)),
      initiator_(initiator),
      recipient_(recipient),
      start_late_(std::move(start_late)) {}

CaseDevices::~CaseDevices() = default;

namespace {

// `configure`: the run's CA and, with a relay, where to reach it.
Result<void> Configure(AdapterClient& client, const std::string& role, const RunShared& sh,
                       const std::string& public_url, Verdict* verdict) {
  Json params{{"caFile", sh.ca_file}};
  if (!public_url.empty()) {
    params["relayBaseUrl"] = public_url;
  }
  RpcOutcome conf = client.Call("configure", params, sh.opt.start_timeout);
  if (conf.kind == RpcOutcome::Kind::kTimeout) {
    *verdict = Verdict::kTimeout;
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

}  // namespace

Result<void> CaseDevices::Start(Role role_id, const Manifest* m, Verdict* verdict) {
  const std::string& role = RoleName(role_id);
  auto a = std::make_unique<Adapter>();
  a->role = role_id;
  a->manifest_ = m;
  Placeholders ph = sh_.PlaceholdersFor(*m, case_dir_ / (role + ".work"));
  ph.public_url = public_url_;
  ProcessSpec ps = LaunchSpecFor(*m, LaunchRole::kDevice, ph);
  ps.name = role + " (" + m->name + ")";
  ps.stderr_path = case_dir_ / (role + ".stderr.log");
  *verdict = Verdict::kError;
  TIGRESS_ASSIGN_OR_RETURN(a->process, Process::Start(ps));
  Process* proc = a->process.get();
  a->client = std::make_unique<AdapterClient>(proc->stdin_fd(), proc->stdout_fd(), role, [proc] {
    proc->WaitExit(1s);
    return proc->ExitDescription() + "; stderr tail: " + proc->StderrTail(400);
  });
  // Kept from here on, so a device that fails its probe is still stopped,
  // checked and transcribed with the case.
  Adapter* raw = a.get();
  adapters_[role_id] = std::move(a);
  auto hello = ContractProbe(*raw->client, sh_.opt.start_timeout);
  if (!hello) {
    if (hello.error().Is(Errc::kAdapterTimeout)) {
      *verdict = Verdict::kTimeout;
    }
    return std::move(hello).error();
  }
  raw->hello = *hello;
  sh_.hellos.Add(m->name, *hello);
  return Configure(*raw->client, role, sh_, public_url_, verdict);
}

DeviceLookup CaseDevices::StartForStep(Role role) {
  const Manifest* m = role == Role::kInitiator ? initiator_ : recipient_;
  DeviceLookup out;
  if (m == nullptr) {
    out.start_error = "no manifest for the " + RoleName(role) + " role";
    return out;
  }
  if (auto started = Start(role, m, &out.start_verdict); !started) {
    out.start_error = started.error().Message();
    return out;
  }
  out.device = adapters_[role].get();
  return out;
}

DeviceLookup CaseDevices::Acquire(Role role) {
  // With start_late roles the map may grow during the steps: look up under
  // the lock (parallel lanes), and start the role's device at its first call.
  std::unique_lock<std::mutex> lock(late_mu_, std::defer_lock);
  if (!start_late_.empty()) {
    lock.lock();
  }
  if (auto it = adapters_.find(role); it != adapters_.end()) {
    DeviceLookup found;
    found.device = it->second.get();
    return found;
  }
  if (std::find(start_late_.begin(), start_late_.end(), role) != start_late_.end()) {
    return StartForStep(role);
  }
  return {};
}

DeviceLookup CaseDevices::Restart(Role role, const std::string& where) {
  std::lock_guard<std::mutex> lock(late_mu_);
  if (auto it = adapters_.find(role); it != adapters_.end()) {
    {
      std::lock_guard<std::mutex> busy(it->second->mu);
      StopAdapter(*it->second);
      auto& kept = restarted_transcripts_[role];
      if (it->second->client) {
        const auto& lines = it->second->client->Transcript();
        kept.insert(kept.end(), lines.begin(), lines.end());
      }
      kept.push_back("# restarted here by the scenario (" + where + ")");
    }
    adapters_.erase(it);
  }
  return StartForStep(role);
}

void CaseDevices::StopAdapter(Adapter& ad) {
  if (ad.client && !ad.client->broken() && ad.process && ad.process->Running()) {
    ad.client->Call("shutdown", Json::object(), 2s);
    ad.process->WaitExit(1s);
  }
  if (ad.process) {
    ad.process->Stop();
  }
}

std::vector<std::string> CaseDevices::Dead() {
  std::vector<std::string> out;
  for (auto& [role, ad] : adapters_) {
    if (ad->process && !ad->process->Running()) {
      out.push_back("the " + RoleName(role) + " adapter " + ad->process->ExitDescription() +
                    " during the case; stderr tail: " + ad->process->StderrTail(600));
    }
  }
  return out;
}

void CaseDevices::StopAll() {
  for (auto& [role, ad] : adapters_) {
    StopAdapter(*ad);
  }
}

std::map<std::string, std::vector<std::string>> CaseDevices::Transcripts() const {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [role, ad] : adapters_) {
    std::vector<std::string>& lines = out[RoleName(role)];
    if (auto it = restarted_transcripts_.find(role); it != restarted_transcripts_.end()) {
      lines = it->second;
    }
    if (ad->client) {
      const auto& now = ad->client->Transcript();
      lines.insert(lines.end(), now.begin(), now.end());
    }
  }
  return out;
}

}  // namespace tigress::harness
