#include "harness/cli/repro.h"

#include <algorithm>

#include "harness/cli/app.h"
#include "harness/process/temp_dir.h"
#include "harness/repro/bundle.h"
#include "harness/run/runner.h"
#include "harness/scenario/scenario.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

bool HasName(const std::vector<Manifest>& ms, const std::string& name) {
  return std::any_of(ms.begin(), ms.end(), [&](const Manifest& m) { return m.name == name; });
}

// The bundle's scenario file, checked against this catalogue and bundle.json.
Result<Scenario> LoadBundleScenario(const fs::path& unpacked, const BundleInfo& info,
                                    const reports::Catalog& catalog) {
  auto scenario = LoadScenarioFile(
      unpacked / info.scenario, [&](const std::string& id) { return catalog.Find(id) != nullptr; });
  if (!scenario) {
    return MakeError(Errc::kCaseNotRunnable,
                     "the bundle's scenario does not load here: " + scenario.error().Message());
  }
  if (scenario->id != info.scenario_id) {
    return MakeError(Errc::kCaseNotRunnable, "the bundle's scenario is '" + scenario->id +
                                                 "', bundle.json says '" + info.scenario_id + "'");
  }
  return std::move(*scenario);
}

struct Rerun {
  RunOptions options;
  bool same_names = false;  // the manifests carry the recorded role names
};

Result<Rerun> RerunOptions(const ReproOptions& opt, const BundleInfo& info,
                           const fs::path& unpacked) {
  Rerun r;
  RunOptions& o = r.options;
  if (!opt.manifests.empty()) {
    o.manifests = opt.manifests;
  } else {
    for (const auto& impl : info.implementations) {
      TIGRESS_ASSIGN_OR_RETURN(Manifest m, LoadManifest(unpacked / impl.manifest));
      // Files a manifest names relative to itself ({root}) stay where they were.
      std::error_code ec;
      if (!impl.original_root.empty() && fs::is_directory(impl.original_root, ec)) {
        m.root = impl.original_root;
      }
      o.manifests.push_back(std::move(m));
    }
  }
  r.same_names = (info.relay.empty() || HasName(o.manifests, info.relay)) &&
                 (info.initiator.empty() || HasName(o.manifests, info.initiator)) &&
                 (info.recipient.empty() || HasName(o.manifests, info.recipient));
  if (r.same_names) {
    o.relay_impl = info.relay;
    o.initiator_impl = info.initiator;
    o.recipient_impl = info.recipient;
  }
  o.matrix = info.matrix && r.same_names;
  const std::string base_id =
      info.scenario_id + (info.repetition > 0 ? "#" + std::to_string(info.repetition + 1) : "");
  o.case_ids = {o.matrix ? info.case_id : base_id};
  o.seed = info.run_seed;
  o.repeat = info.repetition + 1;
  o.profile = reports::ParseProfile(info.profile).value_or(reports::Profile::kStandard);
  o.report_dir = opt.report_dir;
  o.run_id = opt.run_id;
  o.bindir = opt.bindir;
  o.harness_exe = opt.harness_exe;
  o.call_timeout = opt.call_timeout;
  o.http_timeout = opt.http_timeout;
  o.start_timeout = opt.start_timeout;
  o.command_line = opt.command_line;
  return r;
}

void PrintRecorded(const BundleInfo& info, bool same_names, std::ostream& out) {
  out << "tigress-harness: reproducing " << info.case_id << " (seed " << info.run_seed
      << ", case seed " << info.case_seed << ", recorded " << info.created << " by harness "
      << info.harness_version << ")\n";
  for (const auto& impl : info.implementations) {
    std::string roles;
    for (const auto& r : impl.roles) {
      roles += (roles.empty() ? "" : ",") + r;
    }
    out << "  recorded " << roles << ": " << impl.name << " " << impl.version << "\n";
  }
  if (!same_names) {
    out << "  (the --impl manifests do not carry the recorded names; roles go to the defaults)\n";
  }
}

}  // namespace

Result<int> RunRepro(const ReproOptions& opt, const reports::Catalog& catalog, std::ostream& out) {
  TIGRESS_ASSIGN_OR_RETURN(const Bundle bundle, ReadBundle(opt.bundle));
  const BundleInfo& info = bundle.info;
  TIGRESS_ASSIGN_OR_RETURN(TempDir tmp, TempDir::Create("tigress-repro", opt.keep));
  TIGRESS_RETURN_IF_ERROR(ExtractBundle(bundle, tmp.path()));
  ScenarioSet set;
  TIGRESS_ASSIGN_OR_RETURN(Scenario scenario, LoadBundleScenario(tmp.path(), info, catalog));
  set.scenarios.push_back(std::move(scenario));
  TIGRESS_ASSIGN_OR_RETURN(Rerun rerun, RerunOptions(opt, info, tmp.path()));

  const std::string recorded = FailureSignature(info.verdict, info.findings);
  PrintRecorded(info, rerun.same_names, out);
  if (opt.keep) {
    out << "  unpacked bundle: " << tmp.path().string() << "\n";
  }

  Runner runner(std::move(rerun.options), catalog, set);
  const Result<int> rc = runner.Run(out);
  if (!rc) {
    return MakeError(Errc::kCaseNotRunnable,
                     "the bundle's case could not be run: " + rc.error().Message());
  }
  if (runner.result().cases.size() != 1) {
    return MakeError(Errc::kCaseNotRunnable, "the bundle's case could not be run");
  }
  const reports::CaseResult& now = runner.result().cases.front();
  if (now.seed != info.case_seed) {
    // Another harness version derives case seeds differently: the generated
    // values (claims, ids, payloads) are not the recorded ones.
    out << "repro: note: the case seed is " << now.seed << ", the bundle recorded "
        << info.case_seed << "\n";
  }
  const std::string verdict(reports::VerdictName(now.verdict));
  const std::string current = FailureSignature(verdict, FailingFindings(now));
  out << "\nrepro: the paths under " << tmp.path().string()
      << (opt.keep ? " are kept" : " are removed now")
      << "; rerun with: " << ShellQuote(opt.harness_exe.string()) << " repro "
      << ShellQuote(fs::absolute(opt.bundle).string()) << "\n";
  out << "repro: recorded " << recorded << "\nrepro: now      "
      << (reports::IsFailing(now.verdict) ? current : verdict) << "\n";
  if (!reports::IsFailing(now.verdict)) {
    out << "repro: NOT REPRODUCED (the case now ends " << verdict << ")\n";
    return kReproNotReproduced;
  }
  if (current == recorded) {
    out << "repro: REPRODUCED\n";
    return kReproReproduced;
  }
  out << "repro: FAILS DIFFERENTLY\n";
  return kReproDiffers;
}

}  // namespace tigress::harness
