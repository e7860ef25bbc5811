#include "harness/run/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "harness/process/private_file.h"
#include "harness/repro/bundle.h"
#include "harness/run/case_run.h"
#include "harness/run/diagnosis.h"
#include "harness/run/run_shared.h"
#include "harness/run/selection.h"
#include "pki/test_ca.h"
#include "reports/progress.h"
#include "reports/root_causes.h"
#include "reports/writers.h"
#include "tigress/version.h"

namespace tigress::harness {

namespace fs = std::filesystem;
using reports::Verdict;

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

// The cases to run: selected, minus those the expectations disable (listed
// in `disabled`), with their implementations, narrowed to --case ids.
Result<std::vector<CaseSpec>> ChooseCases(
    const ScenarioSet& scenarios, const RunOptions& opt,
    std::vector<std::pair<std::string, std::string>>& disabled) {
  const Error none = MakeError(Errc::kCommandUsage, "no case matches the selection");
  std::vector<CaseSpec> cases = SelectCases(scenarios, opt);
  if (opt.expectations) {
    std::erase_if(cases, [&](const CaseSpec& c) {
      auto reason = opt.expectations->Disabled(c.case_id);
      if (reason) {
        disabled.emplace_back(c.case_id, *reason);
      }
      return reason.has_value();
    });
  }
  if (cases.empty()) {
    return none;
  }
  TIGRESS_ASSIGN_OR_RETURN(cases, AssignImplementations(std::move(cases), opt));
  if (!opt.case_ids.empty()) {
    std::erase_if(cases, [&](const CaseSpec& c) {
      return std::find(opt.case_ids.begin(), opt.case_ids.end(), c.case_id) == opt.case_ids.end();
    });
    if (cases.empty()) {
      return none;
    }
  }
  return cases;
}

// The run's test CA and server certificate under <run>/pki/, their paths in
// `sh`.
Result<void> WriteRunPki(RunShared& sh) {
  std::error_code ec;
  fs::create_directories(sh.run_dir / "pki", ec);
  if (ec) {
    return MakeError(Errc::kIoFailure, "cannot create " + sh.run_dir.string() + ": " + ec.message());
  }
  auto pki = pki::MakeTestPki();
  if (!pki) {
    return Error{pki.error().code, "cannot make the test CA: " + pki.error().detail};
  }
  sh.ca_file = (sh.run_dir / "pki" / "ca.pem").string();
  sh.cert_file = (sh.run_dir / "pki" / "server-cert.pem").string();
  sh.key_file = (sh.run_dir / "pki" / "server-key.pem").string();
  for (auto [p, t] : {std::pair<std::string, std::string>(sh.ca_file, pki->ca_cert_pem),
                      {sh.cert_file, pki->server_cert_pem}}) {
    TIGRESS_RETURN_IF_ERROR(WriteText(p, t));
  }
  return WritePrivateFile(sh.key_file, pki->server_key_pem);
}

// Writes a failing case's reproduction bundle and lists it in its evidence;
// why it could not be written is returned.
std::optional<std::string> AddReproBundle(RunShared& sh, const CaseSpec& spec,
                                          reports::CaseResult& c) {
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
    const std::optional<HelloInfo> h = sh.hellos.Find(name);
    return h ? std::pair<std::string, std::vector<std::string>>{h->version, h->features}
             : std::pair<std::string, std::vector<std::string>>{};
  };
  in.expectations_path = sh.opt.expectations_path;
  in.harness_version = std::string(kVersion);
  in.created = NowUtc();
  in.command = c.rerun_command;
  in.command_line = sh.opt.command_line;
  in.redact = [&sh](std::string_view s) { return sh.redaction.Apply(s); };
  auto written = WriteCaseBundle(in);
  if (!written) {
    return written.error().Message();
  }
  const reports::Attachment bundle{"reproduction bundle (tigress-harness repro FILE)",
                                   written->filename().string(), "application/gzip"};
  for (std::size_t i = 0; i < c.assertions.size(); ++i) {
    if (i == 0 || c.assertions[i].verdict != Verdict::kPass) {
      c.assertions[i].evidence.attachments.push_back(bundle);
    }
  }
  return std::nullopt;
}

// The cases of a run on `jobs` worker threads, with progress on `out`.
class CasePool {
 public:
  CasePool(RunShared& sh, const std::vector<CaseSpec>& cases, std::ostream& out)
      : sh_(sh),
        cases_(cases),
        out_(out),
        progress_(out, cases.size(), sh.opt.live_progress, &sh.redaction.guard()) {
    sh_.announce = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(out_mu_);
      progress_.Note("tigress-harness: diagnosis: " + line);
    };
  }
  ~CasePool() { sh_.announce = nullptr; }
  CasePool(const CasePool&) = delete;
  CasePool& operator=(const CasePool&) = delete;

  // Cases start in `order` (indexes into the cases); results keep the
  // cases' own order.
  std::vector<reports::CaseResult> Run(int jobs, std::vector<std::size_t> order) {
    order_ = std::move(order);
    results_.resize(cases_.size());
    std::vector<std::thread> pool;
    for (int j = 0; j < jobs; ++j) {
      pool.emplace_back([this] { Work(); });
    }
    for (auto& t : pool) {
      t.join();
    }
    progress_.Finish();
    progress_.PrintRootCauses(results_);
    return std::move(results_);
  }

 private:
  void Work() {
    for (std::size_t k = next_.fetch_add(1); k < order_.size(); k = next_.fetch_add(1)) {
      const std::size_t i = order_[k];
      Print([&] { progress_.CaseStarted(); });
      CaseRun run(sh_, cases_[i]);
      reports::CaseResult c = run.Execute();
      Finalize(cases_[i], c);
      Print([&] { progress_.CaseFinished(c); });
      results_[i] = std::move(c);
    }
  }

  // Known failures, the verdict under the profile, the root-cause signature
  // and, for a failing case, its reproduction bundle.
  void Finalize(const CaseSpec& spec, reports::CaseResult& c) {
    const RunOptions& opt = sh_.opt;
    if (opt.expectations) {
      if (auto why = opt.expectations->KnownFailure(c.case_id)) {
        c.expected_failure = true;
        c.expected_failure_reason = *why;
        c.expected_failure_requirements = opt.expectations->KnownFailureRequirements(c.case_id);
      }
    }
    reports::FinalizeCase(c, opt.profile);
    c.failure_signature = reports::FailureSignature(c);
    if (reports::IsFailing(c.verdict)) {
      if (auto why = AddReproBundle(sh_, spec, c)) {
        std::lock_guard<std::mutex> lock(out_mu_);
        out_ << "tigress-harness: no reproduction bundle for " << c.case_id << ": " << *why << "\n";
      }
    }
  }

  // Progress lines share `out` with the bundle warnings, and the printer
  // reads the run's redaction while cases add Secrets to it.
  template <typename F>
  void Print(F&& f) {
    std::lock_guard<std::mutex> lock(out_mu_);
    sh_.redaction.Locked(f);
  }

  RunShared& sh_;
  const std::vector<CaseSpec>& cases_;
  std::ostream& out_;
  std::mutex out_mu_;
  reports::ProgressPrinter progress_;
  std::atomic<std::size_t> next_{0};
  std::vector<std::size_t> order_;
  std::vector<reports::CaseResult> results_;
};

// What the report says of each implementation: the roles it played, and its
// version and features, with its adapter's own word on them when one ran.
reports::ImplementationInfo DescribeImplementation(const Manifest& m,
                                                   const std::vector<CaseSpec>& cases,
                                                   const HelloRegistry& hellos) {
  reports::ImplementationInfo info;
  info.name = m.name;
  info.version = m.version;
  for (const Role role : kAllRoles) {
    bool plays = std::any_of(cases.begin(), cases.end(),
                             [&](const CaseSpec& c) { return c.Player(role) == &m; });
    if (plays) {
      info.roles.push_back(RoleName(role));
    }
  }
  info.features = m.features;
  if (const std::optional<HelloInfo> hello = hellos.Find(m.name)) {
    if (!hello->version.empty()) {
      info.version = hello->version;
    }
    for (const auto& f : hello->features) {
      if (std::find(info.features.begin(), info.features.end(), f) == info.features.end()) {
        info.features.push_back(f);
      }
    }
  }
  info.manifest_path = m.path.string();
  info.spec = std::string(RevisionOf(m.spec).name);
  return info;
}

// The revision the run judged against: the one every case spoke, or
// "mixed" when the cases of a matrix spoke several.
std::string RunRevision(const std::vector<CaseSpec>& cases) {
  std::string name;
  for (const CaseSpec& c : cases) {
    const std::string n(RevisionOf(CaseRevision(c)).name);
    if (!name.empty() && n != name) return "mixed";
    name = n;
  }
  return name.empty() ? std::string(RevisionOf(kDefaultRevision).name) : name;
}

// The catalogue the reports quote: the one revision every case spoke, else
// (a mixed matrix) the default's; each assertion already carries the basis
// it was judged on.
const reports::Catalog& RunCatalog(const RunShared& sh, const std::vector<CaseSpec>& cases) {
  return cases.empty() || RunRevision(cases) == "mixed" ? sh.catalog
                                                         : sh.CatalogFor(CaseRevision(cases[0]));
}

// Before the cases: one create per revision to each relay of the run, and a
// diagnosis line (printed at once) for a relay that answers only another
// revision than the one its cases are judged against.
Result<void> ProbeRelays(RunShared& sh, const std::vector<CaseSpec>& cases, std::ostream& out) {
  std::vector<const Manifest*> relays;
  for (const CaseSpec& c : cases) {
    if (c.relay != nullptr && std::find(relays.begin(), relays.end(), c.relay) == relays.end()) {
      relays.push_back(c.relay);
    }
  }
  if (relays.empty()) return {};
  TIGRESS_ASSIGN_OR_RETURN(
      const Scenario probe,
      LoadScenarioString(RevisionProbeScenario(), "diagnosis/revision-probe.yaml",
                         [&sh](const std::string& id) { return sh.catalog.Find(id) != nullptr; }));
  for (const Manifest* relay : relays) {
    CaseSpec spec;
    spec.scenario = &probe;
    spec.case_id = "diagnosis/revision-probe@" + relay->name;
    spec.seed = CaseSeed(sh.opt.seed, spec.case_id, 0);
    spec.relay = relay;
    const reports::CaseResult result = CaseRun(sh, spec).Execute();
    if (std::optional<std::string> line =
            DiagnoseRelay(relay->name, relay->spec, ProbeOutcomes(result))) {
      if (sh.diagnosis.Add(*line)) out << "tigress-harness: diagnosis: " << *line << "\n";
    }
  }
  return {};
}

// The rerun command (and bundle) of every unexpected case, and where the
// reports are.
void PrintReruns(const reports::RunResult& run, const fs::path& run_dir, const RunOptions& opt,
                 std::ostream& out) {
  bool any = false;
  for (const auto& c : run.cases) {
    if (!c.Unexpected()) {
      continue;
    }
    if (!any) {
      out << "\nRerun a failing case with:\n";
    }
    any = true;
    out << "  " << c.rerun_command << "\n";
    const fs::path case_dir = run_dir / c.case_dir;
    if (const fs::path bundle = case_dir / BundleFileName(case_dir); fs::exists(bundle)) {
      out << "    or: " << ShellQuote(opt.harness_exe.string()) << " repro "
          << ShellQuote(bundle.string()) << " --trust-bundle\n";  // the run's own bundle
    }
  }
  out << "\nReports: " << (run_dir / "report.html").string() << "\n         "
      << (run_dir / "report.json").string() << "\n         " << (run_dir / "junit.xml").string()
      << "\n";
}

// The suite's wall time is what -j buys; the sum of case durations is the
// work it overlapped; no schedule beats the longest case, so the ratio to it
// says how much is left to gain.
void PrintTiming(const reports::RunResult& run, std::chrono::duration<double> wall, int jobs,
                 std::ostream& out) {
  double case_seconds = 0;
  const reports::CaseResult* longest = nullptr;
  for (const auto& c : run.cases) {
    case_seconds += c.duration_s;
    if (longest == nullptr || c.duration_s > longest->duration_s) longest = &c;
  }
  out << "tigress-harness: " << run.cases.size() << " case(s) in " << std::fixed
      << std::setprecision(1) << wall.count() << " s wall time with -j " << jobs << " ("
      << case_seconds << " s of cases";
  if (longest != nullptr && longest->duration_s > 0) {
    out << "; longest " << longest->case_id << " " << longest->duration_s << " s, wall "
        << std::setprecision(2) << wall.count() / longest->duration_s << " x longest";
  }
  out << ")\n" << std::defaultfloat;
}

// Case durations of earlier runs, kept beside the run directories so the
// next run can start its longest cases first.
fs::path TimingsFile(const RunOptions& opt) { return opt.report_dir / "case-timings.json"; }

CaseTimings LoadTimings(const RunOptions& opt) {
  std::ifstream in(TimingsFile(opt), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseCaseTimings(ss.str());
}

// A failing case's time says little about the next run's, but any time is
// a better guess than none; cases not run keep their earlier time.
void SaveTimings(const RunOptions& opt, CaseTimings timings, const reports::RunResult& run) {
  for (const auto& c : run.cases) {
    if (c.verdict != Verdict::kUnsupported) timings[c.case_id] = c.duration_s;
  }
  const fs::path tmp = TimingsFile(opt).string() + ".tmp";
  if (WriteText(tmp, CaseTimingsJson(timings))) {
    std::error_code ec;
    fs::rename(tmp, TimingsFile(opt), ec);
  }
}

}  // namespace

Result<int> Runner::Run(std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> disabled;
  TIGRESS_ASSIGN_OR_RETURN(const std::vector<CaseSpec> cases,
                           ChooseCases(scenarios_, opt_, disabled));

  run_.run_id =
      opt_.run_id.empty() ? DefaultRunId(opt_.seed, ::getpid(), std::time(nullptr)) : opt_.run_id;
  TIGRESS_ASSIGN_OR_RETURN(const fs::path dir, reports::RunDirectory(opt_.report_dir, run_.run_id));
  run_dir_ = fs::absolute(dir);
  RunShared sh(opt_, catalog_);
  sh.run_dir = run_dir_;
  for (const CaseSpec& c : cases) {
    const Revision r = CaseRevision(c);
    const std::string name(RevisionOf(r).name);
    if (name == catalog_.revision() || sh.revision_catalogs.contains(r)) continue;
    TIGRESS_ASSIGN_OR_RETURN(reports::Catalog turned, catalog_.ForRevision(name));
    sh.revision_catalogs.emplace(r, std::move(turned));
  }
  TIGRESS_RETURN_IF_ERROR(WriteRunPki(sh));

  run_.started = NowUtc();
  run_.harness_version = std::string(kVersion);
  run_.profile = opt_.profile;
  run_.seed = opt_.seed;
  run_.command_line = opt_.command_line;
  const CaseTimings timings = LoadTimings(opt_);
  const int jobs =
      opt_.jobs > 0 ? std::clamp(opt_.jobs, 1, 64)
                    : DefaultJobs(cases, timings, std::max(1U, std::thread::hardware_concurrency()));
  out << "tigress-harness: " << cases.size() << " case(s), " << jobs << " job(s), seed " << opt_.seed << ", profile " << reports::ProfileName(opt_.profile)
      << ", spec " << RunRevision(cases) << "; run directory " << run_dir_.string() << "\n";
  for (const auto& [id, why] : disabled) {
    out << "  disabled " << id << ": " << why << "\n";
  }
  TIGRESS_RETURN_IF_ERROR(ProbeRelays(sh, cases, out));

  const auto wall_start = std::chrono::steady_clock::now();
  run_.cases = CasePool(sh, cases, out).Run(jobs, LongestFirst(cases, timings));
  for (const auto& m : opt_.manifests) {
    run_.implementations.push_back(DescribeImplementation(m, cases, sh.hellos));
  }
  run_.disabled = disabled;
  run_.spec = RunRevision(cases);
  run_.diagnosis = sh.diagnosis.Lines();
  run_.finished = NowUtc();
  TIGRESS_RETURN_IF_ERROR(
      reports::WriteRunReports(run_, &RunCatalog(sh, cases), sh.redaction.guard(), run_dir_));
  PrintReruns(run_, run_dir_, opt_, out);
  PrintTiming(run_, std::chrono::steady_clock::now() - wall_start, jobs, out);
  SaveTimings(opt_, timings, run_);
  if (run_.NothingTested()) {
    out << "tigress-harness: every case is UNSUPPORTED: the implementations declare none of the "
           "optional features the selected cases need, so nothing was tested (exit 1)\n";
  }
  return run_.ExitCode();
}

}  // namespace tigress::harness
