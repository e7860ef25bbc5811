// RunVectorsCommand (runner.h): runs the files and renders their reports as text.
#include <ostream>

#include "harness/kat/runner.h"

namespace tigress::kat {
namespace {

// One vector's line; a test of a skipped Wycheproof group only when verbose.
void PrintResult(const VectorResult& v, std::ostream& out, bool verbose) {
  const bool in_skipped_group = v.verdict == Verdict::kSkip && v.detail.starts_with("testGroups[");
  if (in_skipped_group && !verbose) return;
  out << VerdictName(v.verdict) << " " << v.id;
  if (v.verdict != Verdict::kPass || verbose) {
    if (!v.detail.empty()) out << ": " << v.detail;
  }
  if (verbose && !v.requirements.empty()) {
    out << " [";
    for (std::size_t i = 0; i < v.requirements.size(); ++i) {
      out << (i > 0 ? " " : "") << v.requirements[i];
    }
    for (const auto& c : v.interpretations) out << " " << c;
    out << "]";
  }
  out << "\n";
}

// A file's header, errors, vectors and skipped Wycheproof groups.
void PrintFileReport(const FileReport& r, const std::string& backend, std::ostream& out,
                     bool verbose) {
  out << "== " << r.file << " (" << (r.family.empty() ? "unknown family" : r.family) << ", "
      << r.results.size() << " vectors, backend " << backend << ")\n";
  for (const auto& e : r.errors) out << "ERROR " << r.file << ": " << e << "\n";
  for (const auto& v : r.results) PrintResult(v, out, verbose);
  std::size_t skipped_tests = 0;
  for (const auto& g : r.skipped_groups) {
    out << "SKIP " << r.file << " testGroups[" << g.group_index << "]: " << g.reason << ": "
        << g.tests << (g.tests == 1 ? " test\n" : " tests\n");
    skipped_tests += g.tests;
  }
  if (!r.skipped_groups.empty()) {
    out << "skipped " << r.skipped_groups.size() << " groups (" << skipped_tests
        << " tests) the protocol does not use\n";
  }
}

}  // namespace

int RunVectorsCommand(const std::vector<std::string>& files, std::ostream& out, KatBackend& backend,
                      bool verbose) {
  std::vector<FileReport> reports;
  for (const auto& file : files) {
    FileReport r = RunVectorFile(file, backend);
    PrintFileReport(r, backend.Name(), out, verbose);
    reports.push_back(std::move(r));
  }
  const Summary s = Summarize(reports);
  if (s.unsupported > 0) {
    out << s.unsupported << " vectors unsupported by backend " << backend.Name() << "\n";
  }
  out << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped";
  if (s.unsupported > 0) out << ", " << s.unsupported << " unsupported";
  out << "\n";
  return s.failed == 0 && s.passed > 0 ? 0 : 1;
}

}  // namespace tigress::kat
