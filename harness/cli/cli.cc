#include "harness/cli/cli.h"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <random>
#include <set>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "harness/kat/adapter_kat_backend.h"
#include "harness/scenario/coverage.h"
#include "harness/kat/core_backend.h"
#include "harness/kat/runner.h"
#include "harness/oracles/oracles.h"
#include "harness/repro/replay.h"
#include "harness/cli/repro.h"
#include "harness/run/runner.h"
#include "reports/matrix.h"
#include "reports/progress.h"

namespace tigress::harness {

namespace fs = std::filesystem;

fs::path ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

std::optional<fs::path> FindSourceRoot(const fs::path& exe_dir) {
  auto looks_right = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p / "scenarios", ec) &&
           fs::is_regular_file(p / "vectors" / "requirements.json", ec);
  };
  if (const char* env = std::getenv("TIGRESS_SOURCE_DIR");
      (env != nullptr) && (*env != 0) && looks_right(env)) {
    return fs::path(env);
  }
  for (const fs::path& start : {exe_dir, fs::current_path()}) {
    for (fs::path p = start; !p.empty(); p = p.parent_path()) {
      if (looks_right(p)) {
        return p;
      }
      if (p == p.parent_path()) {
        break;
      }
    }
  }
  return std::nullopt;
}

namespace {

struct Common {
  std::string scenarios_dir;
  std::string catalog_file;
  std::string bindir;
};

struct Paths {
  fs::path source_root;
  fs::path scenarios;
  fs::path catalog;
  fs::path bindir;
};

bool ResolvePaths(const Common& c, Paths& p, std::ostream& err) {
  auto root = FindSourceRoot(ExecutableDir());
  if (root) {
    p.source_root = *root;
  }
  if (!c.scenarios_dir.empty()) {
    p.scenarios = c.scenarios_dir;
  } else if (root) {
    p.scenarios = *root / "scenarios";
  }
  if (!c.catalog_file.empty()) {
    p.catalog = c.catalog_file;
  } else if (root) {
    p.catalog = *root / "vectors" / "requirements.json";
  }
  if (p.scenarios.empty() || p.catalog.empty()) {
    err << "tigress-harness: cannot find the scenarios/ and vectors/requirements.json of the "
           "source tree; "
           "pass --scenarios and --catalog, or set TIGRESS_SOURCE_DIR\n";
    return false;
  }
  if (!c.bindir.empty()) {
    p.bindir = c.bindir;
  } else if (const char* env = std::getenv("TIGRESS_BINDIR"); (env != nullptr) && (*env != 0)) {
    p.bindir = env;
  } else {
    p.bindir = ExecutableDir();
  }
  p.bindir = fs::absolute(p.bindir).lexically_normal();
  return true;
}

struct Loaded {
  reports::Catalog catalog;
  ScenarioSet scenarios;
};

bool LoadAll(const Paths& p, Loaded& l, std::ostream& err) {
  auto cat = reports::LoadCatalog(p.catalog);
  if (!cat) {
    err << "tigress-harness: " << cat.error().Message() << "\n";
    return false;
  }
  l.catalog = std::move(*cat);
  const reports::Catalog* catalog = &l.catalog;
  auto set = LoadScenarioDir(
      p.scenarios, [catalog](const std::string& id) { return catalog->Find(id) != nullptr; });
  if (!set) {
    err << "tigress-harness: " << set.error().Message() << "\n";
    return false;
  }
  l.scenarios = std::move(*set);
  return true;
}

std::vector<std::string> SplitComma(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    std::size_t start = 0;
    while (start <= s.size()) {
      auto comma = s.find(',', start);
      std::string part =
          s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) {
        out.push_back(part);
      }
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
  }
  return out;
}

std::string JoinArgs(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    s += (i != 0 ? " " : "") + ShellQuote(argv[i]);
  }
  return s;
}

}  // namespace

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "tigress-harness: conformance and interop test harness for TIGRESS relays and devices"};
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 nothing unexpected, 1 an unexpected FAIL/ERROR/TIMEOUT or stale expectation, "
      "2 usage or configuration error (repro: 0 not reproduced, 1 reproduced, 2 error, 3 fails "
      "differently).\nDocs: docs/harness.md, docs/scenario-format.md, "
      "docs/adapter-contract.md\n");
  Common common;
  app.add_option("--scenarios", common.scenarios_dir,
                 "Scenario directory (default: <source>/scenarios)");
  app.add_option("--catalog", common.catalog_file,
                 "Requirement catalogue (default: <source>/vectors/requirements.json)");
  app.add_option("--bindir", common.bindir,
                 "Value of the {bindir} manifest placeholder (default: $TIGRESS_BINDIR or the "
                 "harness's directory)");

  // run
  auto* run = app.add_subcommand(
      "run", "Run scenarios against implementations and write reports/<run-id>/");
  std::vector<std::string> impls;
  std::vector<std::string> filters;
  std::vector<std::string> skips;
  std::vector<std::string> keywords;
  std::string relay_name;
  std::string initiator_name;
  std::string recipient_name;
  std::string profile = "standard";
  std::string shard;
  std::string report_dir = "reports";
  std::string expectations_file;
  std::string run_id;
  int jobs = 1;
  int repeat = 1;
  std::optional<std::uint64_t> seed;
  std::int64_t call_timeout_ms = 15000;
  std::int64_t http_timeout_ms = 10000;
  std::int64_t start_timeout_ms = 10000;
  run->add_option("--impl", impls, "Implementation manifest (YAML); repeatable")->required();
  run->add_option("--relay", relay_name,
                  "Manifest name that plays the relay (default: the first with a relay)");
  run->add_option("--initiator", initiator_name,
                  "Manifest name that plays the initiator (default: the first with a device)");
  bool matrix = false;
  run->add_flag("--matrix", matrix,
                "Run every combination of the --impl manifests for the roles each scenario uses");
  run->add_option("--recipient", recipient_name,
                  "Manifest name that plays the recipient (default: the initiator's)");
  run->add_option("--filter", filters,
                  "Only cases whose id matches this glob; repeatable or comma-separated");
  run->add_option("--skip", skips,
                  "Skip cases whose id matches this glob; repeatable or comma-separated");
  run->add_option("--keywords", keywords, "Only cases with one of these keywords; comma-separated");
  run->add_option("-j,--jobs", jobs,
                  "Cases run in parallel (each with its own processes, ports and dirs)")
      ->check(CLI::Range(1, 64));
  run->add_option("--seed", seed,
                  "Seed of all generated claims, request IDs and payloads (default: random)");
  run->add_option("--repeat", repeat, "Run every selected case N times")
      ->check(CLI::Range(1, 1000));
  run->add_option("--shard", shard,
                  "Run shard I of N (1-based, I/N), split by a stable hash of the case id");
  run->add_option("--profile", profile,
                  "How a failure that rests on an interpretation of the draft is reported: "
                  "standard (default: by the interpretation's class, interop FAIL, robustness "
                  "WARN, hardening INFO), strict (every one FAILs) or lenient (every one WARNs)")
      ->check(CLI::IsMember({"standard", "strict", "lenient"}));
  run->add_option("--report-dir", report_dir,
                  "Where the run directory is created (default: reports/)");
  run->add_option("--run-id", run_id, "Name of the run directory (default: UTC time and a suffix)");
  run->add_option("--expectations", expectations_file,
                  "Per-implementation expectations file (known_failures / disabled case-id globs)");
  run->add_option("--call-timeout-ms", call_timeout_ms,
                  "Timeout of one adapter call (default 15000)");
  run->add_option("--http-timeout-ms", http_timeout_ms,
                  "Timeout of one probe HTTP exchange (default 10000)");
  run->add_option("--start-timeout-ms", start_timeout_ms,
                  "Timeout of an adapter's hello, contract probe and configure (default 10000)");

  // list
  auto* list = app.add_subcommand("list", "List the cases with their requirement IDs");
  std::vector<std::string> list_filters;
  std::vector<std::string> list_keywords;
  list->add_option("--filter", list_filters, "Only ids matching this glob");
  list->add_option("--keywords", list_keywords,
                   "Only cases with one of these keywords; comma-separated");

  // explain
  auto* explain =
      app.add_subcommand("explain", "Show a requirement (or a case) and the cases that check it");
  std::string explain_id;
  explain
      ->add_option("ID", explain_id, "Requirement ID (RELAY-31), interpretation (C-11) or case id")
      ->required();

  // vectors
  auto* vectors = app.add_subcommand(
      "vectors", "Run known-answer vectors against the protocol core or an adapter");
  std::vector<std::string> vector_files;
  std::string vec_impl;
  std::string vec_role = "device";
  bool verbose = false;
  vectors->add_option("FILES", vector_files,
                      "Vector files (default: vectors/*.json except requirements*)");
  vectors->add_option("--impl", vec_impl,
                      "Run through this manifest's device adapter instead of the core");
  vectors->add_option("--role", vec_role, "Role of --impl (only 'device' has the offline methods)")
      ->check(CLI::IsMember({"device"}));
  vectors->add_flag("-v,--verbose", verbose, "Show details of passing vectors");

  // interop: `run` restricted to scenarios/interop/ with every combination
  // of the manifests (the --matrix assignment), in parallel.
  auto* interop = app.add_subcommand(
      "interop",
      "Run the interop scenarios for every relay x initiator x recipient combination of the "
      "--impl manifests and report the matrix");
  interop->add_option("--impl", impls, "Implementation manifest (YAML); repeatable")->required();
  interop->add_option("--filter", filters, "Only interop cases whose id matches this glob");
  interop->add_option("--skip", skips, "Skip interop cases whose id matches this glob");
  interop->add_option("--keywords", keywords, "Only cases with one of these keywords");
  interop
      ->add_option("-j,--jobs", jobs,
                   "Cases run in parallel (default: the number of CPUs, at most 8)")
      ->check(CLI::Range(1, 64));
  interop->add_option("--seed", seed, "Seed of all generated values (default: random)");
  interop->add_option("--repeat", repeat, "Run every selected case N times")
      ->check(CLI::Range(1, 1000));
  interop
      ->add_option("--profile", profile, "standard (default), strict or lenient: see `run --help`")
      ->check(CLI::IsMember({"standard", "strict", "lenient"}));
  interop->add_option("--report-dir", report_dir, "Where the run directory is created");
  interop->add_option("--run-id", run_id, "Name of the run directory");
  interop->add_option("--expectations", expectations_file, "Expectations file");
  interop->add_option("--call-timeout-ms", call_timeout_ms, "Timeout of one adapter call");
  interop->add_option("--http-timeout-ms", http_timeout_ms, "Timeout of one probe exchange");
  interop->add_option("--start-timeout-ms", start_timeout_ms, "Timeout of an adapter's start-up");

  // repro
  auto* repro = app.add_subcommand(
      "repro",
      "Rerun the case of a reproduction bundle (cases/<case>/repro-<case>.tar.gz); exit 0 not "
      "reproduced, 1 reproduced, 3 fails differently, 2 error");
  std::string repro_bundle;
  std::vector<std::string> repro_impls;
  bool repro_keep = false;
  repro->add_option("BUNDLE", repro_bundle, "The bundle (.tar.gz)")->required();
  repro->add_option("--impl", repro_impls,
                    "Run against these manifests instead of the bundle's own; repeatable");
  repro->add_option("--report-dir", report_dir, "Where the rerun's run directory is created");
  repro->add_option("--run-id", run_id, "Name of the rerun's run directory");
  repro->add_flag("--keep", repro_keep, "Keep the unpacked bundle and print where it is");
  repro->add_option("--call-timeout-ms", call_timeout_ms, "Timeout of one adapter call");
  repro->add_option("--http-timeout-ms", http_timeout_ms, "Timeout of one probe exchange");
  repro->add_option("--start-timeout-ms", start_timeout_ms, "Timeout of an adapter's start-up");

  // replay
  auto* replay = app.add_subcommand(
      "replay",
      "Replay a recorded transcript (HAR) against a fresh relay and show where its answers "
      "differ; exit 0 all same, 1 some differ, 2 error");
  std::string replay_har;
  std::string replay_relay;
  bool replay_keep = false;
  replay->add_option("TRANSCRIPT", replay_har, "The transcript (cases/<case>/transcript.har)")
      ->required();
  replay->add_option("--relay", replay_relay, "Manifest whose relay is started")->required();
  replay->add_option("--http-timeout-ms", http_timeout_ms, "Timeout of one exchange");
  replay->add_flag("--keep", replay_keep, "Keep the relay's work directory and logs");

  // coverage
  auto* coverage = app.add_subcommand(
      "coverage",
      "Which scenarios and adapter vectors check each requirement, and why the rest are not "
      "checked (exit 1 when a requirement has neither)");
  bool coverage_json = false;
  bool coverage_strict = false;
  bool coverage_verbose = false;
  std::string coverage_vectors;
  coverage->add_flag("--json", coverage_json, "Print the coverage as JSON");
  coverage->add_flag("--strict", coverage_strict,
                     "Also fail on stale not_checked reasons (requirements that are checked)");
  coverage->add_flag("-v,--verbose", coverage_verbose, "List every check, not the first three");
  coverage->add_option("--vectors", coverage_vectors,
                       "Vector directory (default: the catalogue's directory)");

  // --scenarios/--catalog/--bindir may also follow the subcommand.
  for (auto* sub : {run, interop, repro, replay, list, explain, vectors, coverage}) {
    sub->fallthrough();
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return 0;
    }
    err << "tigress-harness: " << e.what() << "\n";
    if (!app.get_subcommands().empty()) {
      err << app.get_subcommands().front()->help();
    }
    return 2;
  }

  if (*replay) {
    ReplayOptions ro;
    ro.transcript = replay_har;
    ro.relay_manifest = replay_relay;
    const char* env = std::getenv("TIGRESS_BINDIR");
    ro.bindir = !common.bindir.empty()          ? fs::path(common.bindir)
                : (env != nullptr && *env != 0) ? fs::path(env)
                                                : ExecutableDir();
    ro.bindir = fs::absolute(ro.bindir).lexically_normal();
    ro.http_timeout = std::chrono::milliseconds(http_timeout_ms);
    ro.keep = replay_keep;
    return RunReplay(ro, out, err);
  }

  Paths paths;
  if (*vectors) {
    auto root = FindSourceRoot(ExecutableDir());
    if (vector_files.empty()) {
      fs::path dir = root ? *root / "vectors" : fs::path("vectors");
      vector_files = kat::DefaultVectorFiles(dir);
      if (vector_files.empty()) {
        err << "tigress-harness: no vector files found in " << dir.string() << "\n";
        return 2;
      }
    }
    if (vec_impl.empty()) {
      kat::CoreBackend core;
      return kat::RunVectorsCommand(vector_files, out, core, verbose);
    }
    if (!ResolvePaths(common, paths, err)) {
      return 2;
    }
    auto m = LoadManifest(vec_impl);
    if (!m) {
      err << "tigress-harness: " << m.error().Message() << "\n";
      return 2;
    }
    fs::path work = fs::temp_directory_path() / ("tigress-vectors-" + std::to_string(::getpid()));
    fs::create_directories(work);
    int rc = 2;
    {
      auto backend = AdapterKatBackend::Start(*m, paths.bindir, work);
      if (!backend) {
        err << "tigress-harness: " << backend.error().Message() << "\n";
      } else {
        rc = kat::RunVectorsCommand(vector_files, out, **backend, verbose);
      }
    }
    std::error_code ec;
    fs::remove_all(work, ec);
    return rc;
  }

  if (!ResolvePaths(common, paths, err)) {
    return 2;
  }
  Loaded loaded;
  if (!LoadAll(paths, loaded, err)) {
    return 2;
  }

  if (*repro) {
    ReproOptions ro;
    ro.bundle = repro_bundle;
    for (const auto& f : repro_impls) {
      auto m = LoadManifest(f);
      if (!m) {
        err << "tigress-harness: " << m.error().Message() << "\n";
        return kReproUsage;
      }
      ro.manifests.push_back(std::move(*m));
    }
    ro.bindir = paths.bindir;
    ro.harness_exe = ExecutableDir() / "tigress-harness";
    ro.report_dir = report_dir;
    ro.run_id = run_id;
    ro.keep = repro_keep;
    ro.call_timeout = std::chrono::milliseconds(call_timeout_ms);
    ro.http_timeout = std::chrono::milliseconds(http_timeout_ms);
    ro.start_timeout = std::chrono::milliseconds(start_timeout_ms);
    ro.command_line = JoinArgs(argc, argv);
    return RunRepro(ro, loaded.catalog, out, err);
  }

  if (*coverage) {
    auto refs = LoadVectorRefs(coverage_vectors.empty() ? paths.catalog.parent_path()
                                                        : fs::path(coverage_vectors));
    if (!refs) {
      err << "tigress-harness: " << refs.error().Message() << "\n";
      return 2;
    }
    const std::vector<std::string> oracle_reqs(kOracleRequirements.begin(),
                                               kOracleRequirements.end());
    CoverageReport rep =
        ComputeCatalogueCoverage(loaded.catalog, loaded.scenarios, *refs, oracle_reqs);
    if (coverage_json) {
      out << CoverageToJson(rep).dump(2) << "\n";
    } else {
      out << RenderCoverageText(rep, coverage_verbose);
    }
    return rep.Problems(coverage_strict).empty() ? 0 : 1;
  }

  if (*list) {
    RunOptions o;
    o.filters = SplitComma(list_filters);
    o.keywords = SplitComma(list_keywords);
    for (const auto& c : SelectCases(loaded.scenarios, o)) {
      const Scenario& s = *c.scenario;
      std::string reqs;
      for (const auto& r : s.requirements) {
        reqs += (reqs.empty() ? "" : ",") + r;
      }
      std::string roles;
      for (const auto& r : s.roles) {
        roles += (roles.empty() ? "" : ",") + r;
      }
      out << std::left << std::setw(44) << s.id << " " << std::setw(26) << roles << " " << reqs
          << "\n";
      out << "    " << s.title << "\n";
    }
    return 0;
  }

  if (*explain) {
    const reports::Catalog& cat = loaded.catalog;
    if (const auto* r = cat.Find(explain_id)) {
      out << r->id << " (" << r->level_text << "; a violation is "
          << reports::VerdictName(reports::SeverityVerdict(r->severity)) << ")\n";
      out << "Source: " << r->source << "\n\n"
          << r->statement << "\n\nBlack-box test: " << r->test << "\n";
      if (r->interpretation || !r->related_interpretations.empty()) {
        out << "\nInterpretation:";
        for (const auto& c : r->related_interpretations) {
          out << " " << c;
        }
        out << (r->interpretation ? " (the verdict rests on it: the standard profile reports a "
                                    "FAIL by the reading's class, lenient as WARN)"
                                  : "")
            << "\n";
        for (const auto& c : r->related_interpretations) {
          if (const auto* i = cat.FindInterpretation(c)) {
            out << "  " << i->id << " [" << reports::InterpretationClassName(i->klass)
                << "]: " << i->interpretation << "\n";
          }
        }
      }
      out << "\nChecked by:\n";
      int n = 0;
      for (const auto& s : loaded.scenarios.scenarios) {
        if (std::find(s.requirements.begin(), s.requirements.end(), r->id) !=
            s.requirements.end()) {
          out << "  " << s.id << "  (" << s.file.string() << ")\n";
          ++n;
        }
      }
      if (n == 0) {
        out << "  (no scenario yet)\n";
      }
      if (r->not_checked) {
        out << "\nNot checked (" << r->not_checked->category << "): " << r->not_checked->reason
            << "\n";
      }
      return 0;
    }
    if (const auto* i = cat.FindInterpretation(explain_id)) {
      out << i->id << ": " << i->issue << "\n\nHarness interpretation: " << i->interpretation
          << "\n\nRequirements:";
      for (const auto& r : cat.requirements()) {
        if (std::find(r.related_interpretations.begin(), r.related_interpretations.end(), i->id) !=
            r.related_interpretations.end()) {
          out << " " << r.id;
        }
      }
      out << "\n";
      return 0;
    }
    if (const Scenario* s = loaded.scenarios.Find(explain_id)) {
      out << s->id << ": " << s->title << "\n" << s->file.string() << "\n";
      if (!s->description.empty()) {
        out << "\n" << s->description << "\n";
      }
      out << "\nRequirements:\n";
      for (const auto& id : s->requirements) {
        if (const auto* r = cat.Find(id)) {
          out << "  " << id << " (" << r->level << "): " << r->statement << "\n";
        }
      }
      return 0;
    }
    err << "tigress-harness: '" << explain_id
        << "' is neither a requirement, an interpretation nor a case id\n";
    return 2;
  }

  // run
  RunOptions o;
  for (const auto& f : impls) {
    auto m = LoadManifest(f);
    if (!m) {
      err << "tigress-harness: " << m.error().Message() << "\n";
      return 2;
    }
    for (const auto& existing : o.manifests) {
      if (existing.name == m->name) {
        err << "tigress-harness: two manifests are named '" << m->name << "'\n";
        return 2;
      }
    }
    o.manifests.push_back(std::move(*m));
  }
  o.relay_impl = relay_name;
  o.initiator_impl = initiator_name;
  o.recipient_impl = recipient_name;
  o.matrix = matrix;
  o.filters = SplitComma(filters);
  o.skips = SplitComma(skips);
  o.keywords = SplitComma(keywords);
  o.jobs = jobs;
  o.seed = seed ? *seed : std::random_device{}();
  o.repeat = repeat;
  if (!shard.empty()) {
    int i = 0;
    int n = 0;
    auto slash = shard.find('/');
    bool ok = slash != std::string::npos;
    if (ok) {
      auto [p1, e1] = std::from_chars(shard.data(), shard.data() + slash, i);
      auto [p2, e2] = std::from_chars(shard.data() + slash + 1, shard.data() + shard.size(), n);
      ok = e1 == std::errc() && e2 == std::errc() && p1 == shard.data() + slash &&
           p2 == shard.data() + shard.size() && n >= 1 && i >= 1 && i <= n;
    }
    if (!ok) {
      err << "tigress-harness: --shard must be I/N with 1 <= I <= N, got '" << shard << "'\n";
      return 2;
    }
    o.shard_index = i - 1;
    o.shard_count = n;
  }
  o.profile = *reports::ParseProfile(profile);
  o.report_dir = report_dir;
  o.run_id = run_id;
  if (!expectations_file.empty()) {
    auto e = LoadExpectations(expectations_file);
    if (!e) {
      err << "tigress-harness: " << e.error().Message() << "\n";
      return 2;
    }
    o.expectations = std::move(*e);
    o.expectations_path = fs::absolute(expectations_file);
  }
  o.scenarios_dir = paths.scenarios;
  o.bindir = paths.bindir;
  o.harness_exe = ExecutableDir() / "tigress-harness";
  o.call_timeout = std::chrono::milliseconds(call_timeout_ms);
  o.http_timeout = std::chrono::milliseconds(http_timeout_ms);
  o.start_timeout = std::chrono::milliseconds(start_timeout_ms);
  o.command_line = JoinArgs(argc, argv);
  o.live_progress = reports::IsTerminal(stdout);
  if (!*interop) {
    Runner runner(std::move(o), loaded.catalog, loaded.scenarios);
    return runner.Run(out);
  }
  o.matrix = true;
  if (interop->count("--jobs") == 0) {
    o.jobs = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 8U));
  }
  ScenarioSet interop_set;
  for (const auto& s : loaded.scenarios.scenarios) {
    if (s.Area() == "interop") {
      interop_set.scenarios.push_back(s);
    }
  }
  Runner runner(std::move(o), loaded.catalog, interop_set);
  const int rc = runner.Run(out);
  if (rc != 2) {
    out << "\nInterop matrix:\n\n"
        << reports::RenderMatrixMarkdown(reports::ComputeMatrix(runner.result()));
  }
  return rc;
}

}  // namespace tigress::harness
