// tigress-report: re-render or merge report.json files without rerunning.
//
//   tigress-report render RUN/report.json [--out DIR] [--catalogue FILE]
//   tigress-report merge --out DIR [--run-id ID] [--catalogue FILE] A/report.json B/report.json...
//
// Both write report.json, junit.xml, summary.md and report.html into the output
// folder (render: next to the input by default). Exit code: the (merged) run's
// exit code, 0 or 1; 2 for usage, input or output errors.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "reports/merge.h"
#include "reports/writers.h"

namespace {

namespace fs = std::filesystem;
using tigress::Result;
using tigress::reports::Catalog;
using tigress::reports::RunResult;

constexpr int kUsageError = 2;

Result<RunResult> ReadReport(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tigress::MakeError(tigress::Errc::kIoFailure, path.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  auto run = tigress::reports::ParseReportJson(text.str());
  if (!run) {
    tigress::Error e = run.error();
    e.detail = path.string() + ": " + e.detail;
    return e;
  }
  return run;
}

// The catalogue is optional: without it coverage lists only the IDs the cases
// name and interpretations are not expanded.
std::optional<Catalog> LoadOptionalCatalogue(const std::string& path, bool* failed) {
  *failed = false;
  if (path.empty()) return std::nullopt;
  auto cat = tigress::reports::LoadCatalog(path);
  if (!cat) {
    std::cerr << "tigress-report: " << cat.error().Message() << "\n";
    *failed = true;
    return std::nullopt;
  }
  return std::move(*cat);
}

// The run's coverage and requirement levels are those of the revision it
// judged against (its `spec`), not the catalogue's default.
int Write(const RunResult& run, const std::optional<Catalog>& catalog, const fs::path& out) {
  std::optional<Catalog> judged;
  if (catalog) {
    auto turned = catalog->ForRevision(run.spec);
    if (!turned) {
      std::cerr << "tigress-report: " << turned.error().Message() << "\n";
      return kUsageError;
    }
    judged = std::move(*turned);
  }
  auto written = tigress::reports::WriteRunReports(run, judged ? &*judged : nullptr,
                                                   tigress::reports::RedactionGuard(), out);
  if (!written) {
    std::cerr << "tigress-report: " << written.error().Message() << "\n";
    return kUsageError;
  }
  const tigress::reports::RunSummary s = run.Summarize();
  std::cout << "wrote " << (out / "report.html").string() << ": " << s.total << " cases, "
            << s.unexpected << " unexpected\n";
  return run.ExitCode();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tigress-report: re-render or merge tigress-harness report.json files"};
  app.require_subcommand(1);
  std::string catalogue;
  app.add_option("--catalogue", catalogue, "requirements catalogue (vectors/requirements.json)");

  std::string render_input;
  std::string render_out;
  CLI::App* render = app.add_subcommand("render", "re-render the reports of one run");
  render->add_option("report", render_input, "report.json of the run")->required();
  render->add_option("--out", render_out, "output folder (default: the input's folder)");

  std::vector<std::string> merge_inputs;
  std::string merge_out;
  std::string merge_id = "merged";
  CLI::App* merge = app.add_subcommand("merge", "merge several runs into one report");
  merge->add_option("reports", merge_inputs, "report.json files, in order")->required();
  merge->add_option("--out", merge_out, "output folder")->required();
  merge->add_option("--run-id", merge_id, "run ID of the merged report");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kUsageError;
  }

  bool catalogue_failed = false;
  const std::optional<Catalog> cat = LoadOptionalCatalogue(catalogue, &catalogue_failed);
  if (catalogue_failed) return kUsageError;

  if (render->parsed()) {
    auto run = ReadReport(render_input);
    if (!run) {
      std::cerr << "tigress-report: " << run.error().Message() << "\n";
      return kUsageError;
    }
    const fs::path out =
        render_out.empty() ? fs::path(render_input).parent_path() : fs::path(render_out);
    return Write(*run, cat, out.empty() ? fs::path(".") : out);
  }

  std::vector<RunResult> runs;
  std::vector<fs::path> dirs;
  std::vector<std::size_t> counts;
  for (const std::string& input : merge_inputs) {
    auto run = ReadReport(input);
    if (!run) {
      std::cerr << "tigress-report: " << run.error().Message() << "\n";
      return kUsageError;
    }
    dirs.push_back(fs::path(input).parent_path().empty() ? fs::path(".")
                                                         : fs::path(input).parent_path());
    counts.push_back(run->cases.size());
    runs.push_back(std::move(*run));
  }
  auto merged = tigress::reports::MergeRuns(runs, merge_id);
  if (!merged) {
    std::cerr << "tigress-report: " << merged.error().Message() << "\n";
    return kUsageError;
  }
  if (auto rebased = tigress::reports::RebaseCaseDirs(*merged, dirs, counts, merge_out); !rebased) {
    std::cerr << "tigress-report: " << rebased.error().Message() << "\n";
    return kUsageError;
  }
  return Write(*merged, cat, merge_out);
}
