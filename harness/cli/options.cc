#include "harness/cli/options.h"

#include <charconv>

#include "harness/run/selection.h"
#include "protocol/revision.h"

namespace tigress::harness {

namespace {

// `run` carries the full text; interop and repro repeat only the gist.
std::string Pick(OptionStyle style, const std::string& run, const std::string& interop,
                 const char* repro = nullptr) {
  if (style == OptionStyle::kRun) {
    return run;
  }
  return (style == OptionStyle::kRepro && repro != nullptr) ? repro : interop;
}

// "<text> (default <ms>)", the default read from harness/config/defaults.h
// so the help cannot disagree with the behaviour.
std::string WithDefault(const char* text, std::int64_t ms) {
  return std::string(text) + " (default " + std::to_string(ms) + ")";
}

}  // namespace

void AddImplOption(CLI::App& sub, RunFlags& f) {
  sub.add_option("--impl", f.impls, "Implementation manifest (YAML); repeatable")->required();
}

void AddSelectionOptions(CLI::App& sub, RunFlags& f, OptionStyle style) {
  sub.add_option("--filter", f.filters,
                 Pick(style, "Only cases whose id matches this glob; repeatable or comma-separated",
                      "Only interop cases whose id matches this glob"));
  sub.add_option("--skip", f.skips,
                 Pick(style, "Skip cases whose id matches this glob; repeatable or comma-separated",
                      "Skip interop cases whose id matches this glob"));
  sub.add_option("--keywords", f.keywords,
                 Pick(style, "Only cases with one of these keywords; comma-separated",
                      "Only cases with one of these keywords"));
}

void AddScheduleOptions(CLI::App& sub, RunFlags& f, OptionStyle style) {
  sub.add_option("-j,--jobs", f.jobs,
                 Pick(style,
                      "Cases run in parallel, each with its own processes, ports and dirs "
                      "(default: enough for the run's wall time to near its longest case, from "
                      "the case times of the last run in --report-dir or the scenarios' waits; "
                      "at most 4 per CPU and 16). Cases start longest first",
                      "Cases run in parallel (default: the number of CPUs, at most 8)"))
      ->check(CLI::Range(1, 64));
  sub.add_option(
      "--seed", f.seed,
      Pick(style, "Seed of all generated claims, request IDs and payloads (default: random)",
           "Seed of all generated values (default: random)"));
  sub.add_option("--repeat", f.repeat, "Run every selected case N times")
      ->check(CLI::Range(1, 1000));
}

void AddProfileOption(CLI::App& sub, RunFlags& f, OptionStyle style) {
  sub.add_option(
         "--profile", f.profile,
         Pick(style,
              "How a failure that rests on an interpretation of the draft is reported: "
              "standard (default: by the interpretation's class, interop FAIL, robustness "
              "WARN, hardening INFO), strict (every one FAILs) or lenient (every one WARNs)",
              "standard (default), strict or lenient: see `run --help`"))
      ->check(CLI::IsMember({"standard", "strict", "lenient"}));
  std::vector<std::string> revisions;
  for (const RevisionInfo& r : AllRevisions()) revisions.emplace_back(r.name);
  sub.add_option(
         "--spec", f.spec,
         Pick(style,
              "The draft revision to judge against and speak on the wire: http-00 "
              "(draft-vinokurov-tigress-http-00) or sct-04 (draft-secure-credential-transfer-04). "
              "Overrides every manifest's `spec:` (default: each manifest's, else http-00); "
              "implementations of different revisions are not paired",
              "http-00 or sct-04 (default: each manifest's `spec:`): see `run --help`"))
      ->check(CLI::IsMember(revisions));
}

void AddReportOptions(CLI::App& sub, ReportLocation& r, OptionStyle style) {
  sub.add_option(
      "--report-dir", r.report_dir,
      Pick(style, "Where the run directory is created (default: reports/)",
           "Where the run directory is created", "Where the rerun's run directory is created"));
  sub.add_option("--run-id", r.run_id,
                 Pick(style, "Name of the run directory (default: UTC time and a suffix)",
                      "Name of the run directory", "Name of the rerun's run directory"));
}

void AddExpectationsOption(CLI::App& sub, RunFlags& f, OptionStyle style) {
  sub.add_option(
      "--expectations", f.expectations,
      Pick(style, "Per-implementation expectations file (known_failures / disabled case-id globs)",
           "Expectations file"));
}

void AddTimeoutOptions(CLI::App& sub, Timeouts& t, OptionStyle style) {
  if (style == OptionStyle::kReplay) {
    sub.add_option("--http-timeout-ms", t.http_ms, "Timeout of one exchange");
    return;
  }
  sub.add_option("--call-timeout-ms", t.call_ms,
                 Pick(style, WithDefault("Timeout of one adapter call", kDefaultCallTimeoutMs),
                      "Timeout of one adapter call"));
  sub.add_option(
      "--http-timeout-ms", t.http_ms,
      Pick(style, WithDefault("Timeout of one probe HTTP exchange", kDefaultHttpTimeoutMs),
           "Timeout of one probe exchange"));
  sub.add_option("--start-timeout-ms", t.start_ms,
                 Pick(style,
                      WithDefault("Timeout of an adapter's hello, contract probe and configure",
                                  kDefaultStartTimeoutMs),
                      "Timeout of an adapter's start-up"));
}

std::vector<std::string> SplitComma(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& s : values) {
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

Result<Shard> ParseShard(const std::string& text) {
  int i = 0;
  int n = 0;
  const auto slash = text.find('/');
  bool ok = slash != std::string::npos;
  if (ok) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    auto [p1, e1] = std::from_chars(begin, begin + slash, i);
    auto [p2, e2] = std::from_chars(begin + slash + 1, end, n);
    ok = e1 == std::errc() && e2 == std::errc() && p1 == begin + slash && p2 == end && n >= 1 &&
         i >= 1 && i <= n;
  }
  if (!ok) {
    return MakeError(Errc::kCommandUsage,
                     "--shard must be I/N with 1 <= I <= N, got '" + text + "'");
  }
  return Shard{i - 1, n};
}

std::string JoinArgs(int argc, const char* const* argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    s += (i != 0 ? " " : "") + ShellQuote(argv[i]);
  }
  return s;
}

}  // namespace tigress::harness
