#include "harness/run/selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <variant>

#include <nlohmann/json.hpp>

#include "harness/config/expectations.h"
#include "reports/results.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

std::uint64_t Fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

bool AnyGlob(const std::vector<std::string>& globs, const std::string& id) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return GlobMatch(g, id); });
}

}  // namespace

std::uint64_t CaseSeed(std::uint64_t run_seed, const std::string& scenario_id, int repetition) {
  std::uint64_t h = Fnv1a(std::to_string(run_seed));
  h = Fnv1a(scenario_id, h);
  return Fnv1a(std::to_string(repetition), h);
}

std::vector<CaseSpec> SelectCases(const ScenarioSet& set, const RunOptions& opt) {
  std::vector<CaseSpec> out;
  for (const Scenario& s : set.scenarios) {
    if (!opt.filters.empty() && !AnyGlob(opt.filters, s.id)) {
      continue;
    }
    if (AnyGlob(opt.skips, s.id)) {
      continue;
    }
    if (!opt.keywords.empty()) {
      bool hit = std::any_of(opt.keywords.begin(), opt.keywords.end(), [&](const std::string& k) {
        return std::find(s.keywords.begin(), s.keywords.end(), k) != s.keywords.end();
      });
      if (!hit) {
        continue;
      }
    }
    if (opt.shard_count > 1 &&
        static_cast<int>(Fnv1a(s.id) % static_cast<std::uint64_t>(opt.shard_count)) !=
            opt.shard_index) {
      continue;
    }
    for (int r = 0; r < std::max(1, opt.repeat); ++r) {
      CaseSpec c;
      c.scenario = &s;
      c.repetition = r;
      c.case_id = r == 0 ? s.id : s.id + "#" + std::to_string(r + 1);
      c.seed = CaseSeed(opt.seed, s.id, r);
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::string ShellQuote(const std::string& arg) {
  if (!arg.empty() &&
      arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "@%_-+=:,./") == std::string::npos) {
    return arg;
  }
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Revision CaseRevision(const CaseSpec& c) {
  for (const Manifest* m : {c.relay, c.initiator, c.recipient}) {
    if (m != nullptr) return m->spec;
  }
  return kDefaultRevision;
}

std::string RevisionMismatch(const CaseSpec& c) {
  const Revision spoken = CaseRevision(c);
  bool differs = false;
  for (const Manifest* m : {c.relay, c.initiator, c.recipient}) {
    differs = differs || (m != nullptr && m->spec != spoken);
  }
  if (!differs) return "";
  auto name = [](const Manifest* m) { return std::string(RevisionOf(m->spec).name); };
  std::vector<std::string> parts;
  if (c.initiator != nullptr && c.recipient != nullptr && c.initiator->spec != c.recipient->spec) {
    parts.push_back(name(c.initiator) + " initiator");
    parts.push_back(name(c.recipient) + " recipient");
  } else if (const Manifest* d = c.initiator != nullptr ? c.initiator : c.recipient) {
    parts.push_back(name(d) + " device");
  }
  if (c.relay != nullptr) parts.push_back(name(c.relay) + " relay");
  std::string out = "revision mismatch (";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i != 0 ? ", " : "") + parts[i];
  return out + ")";
}

namespace {

double ScenarioEstimate(const std::vector<Step>& steps) {
  // Starting processes and a handful of exchanges cost about this much; a
  // step a few tens of milliseconds; a wait what it says.
  constexpr double kPerStep = 0.03;
  double s = 0;
  for (const Step& st : steps) {
    s += kPerStep;
    if (const auto* w = std::get_if<WaitAction>(&st.action)) s += static_cast<double>(w->ms) / 1000;
    if (const auto* p = std::get_if<ParallelAction>(&st.action)) s += ScenarioEstimate(p->steps);
  }
  return s;
}

}  // namespace

double ExpectedSeconds(const CaseSpec& c, const CaseTimings& timings) {
  if (auto it = timings.find(c.case_id); it != timings.end()) return it->second;
  constexpr double kCaseStart = 0.15;
  return kCaseStart + (c.scenario != nullptr ? ScenarioEstimate(c.scenario->steps) : 0.0);
}

std::vector<std::size_t> LongestFirst(const std::vector<CaseSpec>& cases,
                                      const CaseTimings& timings) {
  std::vector<std::size_t> order(cases.size());
  std::vector<double> expected(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    order[i] = i;
    expected[i] = ExpectedSeconds(cases[i], timings);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return expected[a] > expected[b]; });
  return order;
}

int DefaultJobs(const std::vector<CaseSpec>& cases, const CaseTimings& timings, unsigned cores) {
  double total = 0;
  double longest = 0;
  for (const CaseSpec& c : cases) {
    const double e = ExpectedSeconds(c, timings);
    total += e;
    longest = std::max(longest, e);
  }
  const int wanted = longest > 0 ? static_cast<int>(std::ceil(total / longest)) : 1;
  const int cap = std::min(16, 4 * static_cast<int>(std::max(1U, cores)));
  return std::clamp(wanted, 2, std::max(2, cap));
}

CaseTimings ParseCaseTimings(std::string_view json_text) {
  CaseTimings out;
  const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [id, seconds] : j.items()) {
    if (seconds.is_number() && seconds.get<double>() >= 0) out[id] = seconds.get<double>();
  }
  return out;
}

std::string CaseTimingsJson(const CaseTimings& timings) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, seconds] : timings) j[id] = std::round(seconds * 1000) / 1000;
  return j.dump(1) + "\n";
}

std::string RerunCommand(const RunOptions& opt, const CaseSpec& c) {
  std::vector<std::string> args = {opt.harness_exe.string(), "run"};
  for (const auto& m : opt.manifests) {
    args.emplace_back("--impl");
    args.push_back(m.path.string());
  }
  if (c.relay != nullptr) {
    args.insert(args.end(), {"--relay", c.relay->name});
  }
  if (c.initiator != nullptr) {
    args.insert(args.end(), {"--initiator", c.initiator->name});
  }
  if (c.recipient != nullptr) {
    args.insert(args.end(), {"--recipient", c.recipient->name});
  }
  if (!opt.scenarios_dir.empty()) {
    args.insert(args.end(),
                {"--scenarios", fs::absolute(opt.scenarios_dir).lexically_normal().string()});
  }
  args.insert(args.end(), {"--filter", c.scenario->id, "--seed", std::to_string(opt.seed)});
  if (c.repetition > 0) {
    args.insert(args.end(), {"--repeat", std::to_string(c.repetition + 1)});
  }
  args.insert(args.end(), {"--profile", std::string(reports::ProfileName(opt.profile))});
  if (opt.spec_override) {
    args.insert(args.end(), {"--spec", std::string(RevisionOf(*opt.spec_override).name)});
  }
  if (!opt.expectations_path.empty()) {
    args.insert(args.end(), {"--expectations", fs::absolute(opt.expectations_path).string()});
  }
  std::string cmd;
  for (const auto& a : args) {
    cmd += (cmd.empty() ? "" : " ") + ShellQuote(a);
  }
  return cmd;
}

namespace {

const Manifest* PickManifest(const std::vector<Manifest>& ms, const std::string& name, bool relay,
                             std::string* error) {
  for (const auto& m : ms) {
    if (!name.empty() && m.name != name) {
      continue;
    }
    if (relay ? m.relay.has_value() : m.device.has_value()) {
      return &m;
    }
    if (!name.empty()) {
      *error = "implementation '" + name + "' provides no " + (relay ? "relay" : "device");
      return nullptr;
    }
  }
  if (!name.empty()) {
    *error = "no --impl manifest is named '" + name + "'";
  }
  return nullptr;
}

}  // namespace

Result<std::vector<CaseSpec>> AssignImplementations(std::vector<CaseSpec> cases,
                                                    const RunOptions& opt) {
  std::string error;
  const Manifest* relay = PickManifest(opt.manifests, opt.relay_impl, true, &error);
  const Manifest* init =
      error.empty() ? PickManifest(opt.manifests, opt.initiator_impl, false, &error) : nullptr;
  const Manifest* recip =
      error.empty()
          ? PickManifest(opt.manifests,
                         opt.recipient_impl.empty() ? opt.initiator_impl : opt.recipient_impl,
                         false, &error)
          : nullptr;
  if (!error.empty()) {
    return MakeError(Errc::kConfigInvalid, error);
  }
  std::vector<CaseSpec> out;
  for (auto& c : cases) {
    const Scenario& s = *c.scenario;
    if (!opt.matrix) {
      c.relay = s.HasRole(Role::kRelay) ? relay : nullptr;
      c.initiator = s.HasRole(Role::kInitiator) ? init : nullptr;
      c.recipient = s.HasRole(Role::kRecipient) ? recip : nullptr;
      out.push_back(std::move(c));
      continue;
    }
    auto candidates = [&](Role role) {
      std::vector<const Manifest*> v;
      if (!s.HasRole(role)) {
        return std::vector<const Manifest*>{nullptr};
      }
      for (const auto& m : opt.manifests) {
        if (role == Role::kRelay ? m.relay.has_value() : m.device.has_value()) {
          v.push_back(&m);
        }
      }
      if (v.empty()) {
        v.push_back(nullptr);  // the case then reports the missing role
      }
      return v;
    };
    for (const Manifest* r : candidates(Role::kRelay)) {
      for (const Manifest* i : candidates(Role::kInitiator)) {
        for (const Manifest* p : candidates(Role::kRecipient)) {
          CaseSpec cell = c;
          cell.relay = r;
          cell.initiator = i;
          cell.recipient = p;
          std::string label;
          for (const Manifest* m : {r, i, p}) {
            if (m != nullptr) {
              label += (label.empty() ? "" : "+") + m->name;
            }
          }
          if (!label.empty()) {
            cell.case_id += "@" + label;
          }
          out.push_back(std::move(cell));
        }
      }
    }
  }
  return out;
}

std::string DefaultRunId(std::uint64_t seed, long pid, std::time_t now) {
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%04x",
                static_cast<unsigned>(Fnv1a(std::to_string(seed) + std::to_string(pid)) & 0xFFFF));
  return std::string(buf) + suffix;
}

}  // namespace tigress::harness
