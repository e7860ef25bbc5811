// File: tests/harness/harness_run_fixture.h
//
// What the end-to-end tests share: a scratch directory per test and the real
// tigress-harness binary (TIGRESS_BIN_DIR) run in it against the source
// tree's scenarios, catalogue and manifests (TIGRESS_SOURCE_DIR).
//
//   class MyE2e : public e2e::HarnessRunTest {
//    protected:
//     MyE2e() : HarnessRunTest("tigress-my-e2e") {}
//   };
//   TEST_F(MyE2e, Works) {
//     int rc = RunHarness(With({"run", "--impl", kReferenceManifest}, SourceTree(), ReportDir()));
//     EXPECT_EQ(rc, 0) << Stdout();
//     nlohmann::json report = ReportJson();
//   }
//
// The directory is a fresh <tmp>/<prefix>-<test name>-XXXXXX (ScratchDir); it
// is kept when the test fails, so its reports and logs can be read.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/process/supervisor.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness::e2e {

namespace fs = std::filesystem;

inline const std::string kSourceDir = TIGRESS_SOURCE_DIR;
inline const std::string kBinDir = TIGRESS_BIN_DIR;
inline const std::string kReferenceManifest = kSourceDir + "/implementations/reference.yaml";

// `ReadFile` is the whole file, or "" when it cannot be read.
inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `With` is `a` followed by every list of `more`.
template <typename... More>
std::vector<std::string> With(std::vector<std::string> a, const More&... more) {
  (a.insert(a.end(), more.begin(), more.end()), ...);
  return a;
}

// `CamelCaseName` turns dash-separated words into one test-name word
// ("bind-any-claim" -> "BindAnyClaim"): each word's first letter upper-cased,
// the dashes dropped.
inline std::string CamelCaseName(const std::string& words) {
  std::string name;
  bool upper = true;
  for (char ch : words) {
    if (ch == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return name;
}

class HarnessRunTest : public ::testing::Test {
 protected:
  explicit HarnessRunTest(const std::string& prefix)
      : scratch_(prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name()),
        dir_(scratch_.path()) {}

  void TearDown() override {
    if (HasFailure()) scratch_.Keep();
  }

  fs::path WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  // The manifest at `path` (whose `name:` is `old_name`) renamed to `name`,
  // with each (from, to) text replacement applied once (a fault in a command
  // or the environment), written to <scratch>/<name>.yaml.
  fs::path ManifestAs(const std::string& path, const std::string& old_name, const std::string& name,
                      const std::vector<std::pair<std::string, std::string>>& edits = {}) {
    std::string text = ReadFile(path);
    const std::string line = "name: " + old_name + "\n";
    text.replace(text.find(line), line.size(), "name: " + name + "\n");
    for (const auto& [from, to] : edits) {
      const auto at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) text.replace(at, from.size(), to);
    }
    return WriteFile(name + ".yaml", text);
  }

  // implementations/reference.yaml as ManifestAs writes it.
  fs::path ReferenceAs(const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& edits = {}) {
    return ManifestAs(kReferenceManifest, "reference", name, edits);
  }

  // The case of a report.json whose id starts with `id_prefix` (a pointer
  // into `report`, so never a temporary), or null.
  static const nlohmann::json* Case(nlohmann::json&& report, const std::string& id_prefix) = delete;
  static const nlohmann::json* Case(const nlohmann::json& report, const std::string& id_prefix) {
    for (const auto& c : report["cases"]) {
      if (c["id"].get<std::string>().rfind(id_prefix, 0) == 0) return &c;
    }
    return nullptr;
  }

  // The verdicts of the assertions of case `c` that cite `req`.
  static std::vector<std::string> VerdictsOf(const nlohmann::json& c, const std::string& req) {
    std::vector<std::string> out;
    for (const auto& a : c["assertions"]) {
      if (a["requirement_id"] == req) out.push_back(a["verdict"].get<std::string>());
    }
    return out;
  }

  static bool Has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  // The source tree's scenarios and catalogue, for `run`, `interop`, `repro`.
  static std::vector<std::string> SourceTree() {
    return {"--scenarios", kSourceDir + "/scenarios", "--catalog",
            kSourceDir + "/vectors/requirements.json"};
  }
  // Reports under <dir>/reports/<run_id>.
  std::vector<std::string> ReportDir(const std::string& run_id = "run") const {
    return {"--report-dir", (dir_ / "reports").string(), "--run-id", run_id};
  }

  // `StartHarness` starts tigress-harness `args` in the scratch directory,
  // its stdout and stderr going to <tag>.stdout and <tag>.stderr.
  std::unique_ptr<Process> StartHarness(const std::vector<std::string>& args,
                                        const std::string& tag = "harness") {
    ProcessSpec spec;
    spec.name = "tigress-harness";
    spec.argv = {kBinDir + "/tigress-harness"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.workdir = dir_;
    spec.stdout_path = dir_ / (tag + ".stdout");
    spec.stderr_path = dir_ / (tag + ".stderr");
    spec.grace = std::chrono::seconds(5);
    auto p = Process::Start(spec);
    EXPECT_TRUE(p) << p.error().Message();
    return p ? std::move(*p) : nullptr;
  }

  // `RunHarness` is `StartHarness` waited for (at most `timeout`, times the
  // whole number in TIGRESS_TEST_TIME_SCALE when set: scripts/run-sanitizers
  // sets it, since an instrumented harness runs several times slower): its
  // exit status, or -1 when it could not start or be waited for.
  int RunHarness(const std::vector<std::string>& args, const std::string& tag = "harness",
                 std::chrono::seconds timeout = std::chrono::seconds(180)) {
    auto p = StartHarness(args, tag);
    if (!p) return -1;
    EXPECT_TRUE(p->WaitExit(timeout * TimeScale())) << "tigress-harness did not finish";
    p->Stop();
    return p->ExitStatus().value_or(-1);
  }

  static int TimeScale() {
    const char* v = std::getenv("TIGRESS_TEST_TIME_SCALE");  // NOLINT(concurrency-mt-unsafe)
    const int n = v == nullptr ? 1 : std::atoi(v);
    return n >= 1 && n <= 20 ? n : 1;
  }

  std::string Stdout(const std::string& tag = "harness") const {
    return ReadFile(dir_ / (tag + ".stdout"));
  }
  std::string Stderr(const std::string& tag = "harness") const {
    return ReadFile(dir_ / (tag + ".stderr"));
  }
  nlohmann::json ReportJson(const std::string& run_id = "run") const {
    return nlohmann::json::parse(ReadFile(dir_ / "reports" / run_id / "report.json"));
  }

  test_support::ScratchDir scratch_;
  fs::path dir_;
};

}  // namespace tigress::harness::e2e
