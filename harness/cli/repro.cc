#include "harness/cli/repro.h"

#include <algorithm>

#include "harness/cli/app.h"
#include "harness/process/temp_dir.h"
#include "harness/repro/bundle.h"
#include "harness/run/runner.h"
#include "harness/run/selection.h"
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

// An argument as a shell would read it, with control characters spelled
// out: a bundle's text must not be able to redraw the terminal it is shown on.
std::string Shown(const std::string& arg) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : ShellQuote(arg)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += std::string("\\x") + kHex[u >> 4U] + kHex[u & 0xfU];
    } else {
      out += c;
    }
  }
  return out;
}

// Every command the manifests define, {bindir} and {root} resolved (the other
// placeholders are chosen per case), with the names of the env variables each
// process gets from its manifest; values are never shown.
std::string CommandPlan(const std::vector<Manifest>& ms, const fs::path& bindir) {
  std::string plan;
  for (const Manifest& m : ms) {
    Placeholders ph{.root = m.root.string(),
                    .port = "{port}",
                    .cert = "{cert}",
                    .key = "{key}",
                    .ca = "{ca}",
                    .workdir = "{workdir}",
                    .public_url = "{public_url}",
                    .bindir = bindir.string(),
                    .push_url = "{push_url}"};
    std::string env;
    for (const auto& [name, value] : m.env) {
      env += (env.empty() ? "" : ", ") + Shown(name) + "=<value not shown>";
    }
    for (const auto& [role, spec] :
         {std::pair<const char*, const std::optional<RoleSpec>*>{"relay", &m.relay},
          {"device", &m.device}}) {
      if (!spec->has_value()) {
        continue;
      }
      plan += "  " + std::string(role) + " of '" + Shown(m.name) + "':";
      for (const auto& arg : ExpandCommand((*spec)->command, ph)) {
        plan += " " + Shown(arg);
      }
      plan += "\n" + (env.empty() ? "" : "    env: " + env + "\n");
    }
  }
  return plan;
}

// Env variables whose value the bundle does not carry (kRedactedEnvValue)
// are left unset in the rerun rather than set to the marker; returns them
// as "NAME (manifest)".
std::vector<std::string> DropRedactedEnv(std::vector<Manifest>& ms) {
  std::vector<std::string> dropped;
  for (Manifest& m : ms) {
    std::erase_if(m.env, [&](const std::pair<std::string, std::string>& kv) {
      if (kv.second != kRedactedEnvValue) {
        return false;
      }
      dropped.push_back(Shown(kv.first) + " (" + Shown(m.name) + ")");
      return true;
    });
  }
  return dropped;
}

std::string RedactedEnvNote(const std::vector<std::string>& dropped) {
  if (dropped.empty()) {
    return "";
  }
  std::string names;
  for (const auto& d : dropped) {
    names += (names.empty() ? "" : ", ") + d;
  }
  return "repro: env values were redacted when the bundle was written: " + names +
         "; the rerun leaves them unset (give your own manifests with --impl to set them)\n";
}

// The refusal to run a bundle's own commands without --trust-bundle: what
// they are and the two ways on.
Error UntrustedBundle(const fs::path& bundle, const std::string& plan,
                      const std::string& env_note) {
  return MakeError(
      Errc::kCommandUsage,
      "repro: " + Shown(bundle.string()) +
          " reruns its case with the implementations its manifests name, which would start:\n" +
          plan + env_note +
          "Nothing was run. To go on, either\n"
          "  --impl FILE (repeatable)  rerun the case against your own manifests instead, or\n"
          "  --trust-bundle            run the commands above (only for a bundle whose author you "
          "trust)");
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

  const bool own_manifests = opt.manifests.empty();
  if (own_manifests) {
    // Opening someone's bundle must not run their code unasked.
    const std::string env_note = RedactedEnvNote(DropRedactedEnv(rerun.options.manifests));
    const std::string plan = CommandPlan(rerun.options.manifests, opt.bindir);
    if (!opt.trust_bundle) {
      return UntrustedBundle(opt.bundle, plan, env_note);
    }
    out << "repro: --trust-bundle: the bundle's manifests may start these commands:\n"
        << plan << env_note;
  }

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
      << ShellQuote(fs::absolute(opt.bundle).string())
      << (own_manifests ? " --trust-bundle" : " --impl ...") << "\n";
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
