// End-to-end: the real tigress-harness binary runs implementations/python-example
// (a third-party implementation written only against docs/adapter-contract.md)
// against the reference one: the interop matrix in both directions, the relay
// scenarios against the python relay, and the known-answer vectors through the
// python device adapter.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/supervisor.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kSource = TIGRESS_SOURCE_DIR;
const std::string kReference = kSource + "/implementations/reference.yaml";
const std::string kPython = kSource + "/implementations/python-example/manifest.yaml";

class PythonExample : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tigress-interop-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Runs tigress-harness `args` (a `run` gets the source tree's scenarios and
  // catalogue and this test's report directory) and returns its exit status.
  int Run(std::vector<std::string> args) {
    ProcessSpec spec;
    spec.name = "tigress-harness";
    spec.argv = {std::string(TIGRESS_BIN_DIR) + "/tigress-harness"};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    if (args.front() == "run") {
      spec.argv.insert(spec.argv.end(),
                       {"--scenarios", kSource + "/scenarios", "--catalog",
                        kSource + "/vectors/requirements.json", "--report-dir",
                        (dir_ / "reports").string(), "--run-id", "run", "-j", "2"});
    }
    spec.workdir = dir_;
    spec.stderr_path = dir_ / "harness.stderr";
    spec.stdout_path = dir_ / "harness.stdout";
    spec.grace = 5s;
    auto p = Process::Start(spec);
    EXPECT_TRUE(p) << p.error().Message();
    if (!p) return -1;
    EXPECT_TRUE((*p)->WaitExit(900s)) << "tigress-harness did not finish";
    (*p)->Stop();
    return (*p)->ExitStatus().value_or(-1);
  }

  nlohmann::json Report() {
    return nlohmann::json::parse(ReadFile(dir_ / "reports" / "run" / "report.json"));
  }
  std::string Stdout() { return ReadFile(dir_ / "harness.stdout"); }

  fs::path dir_;
};

TEST_F(PythonExample, PassesEveryCellOfTheInteropMatrixWithTheReference) {
  int rc =
      Run({"run", "--impl", kReference, "--impl", kPython, "--matrix", "--filter", "interop/*"});
  EXPECT_EQ(rc, 0) << Stdout();
  auto report = Report();
  const auto& cells = report["matrix"]["cells"];
  // 2 relays x 2 initiators x 2 recipients, each side of every pairing.
  ASSERT_EQ(cells.size(), 8u) << report["matrix"].dump(1);
  int python_relay = 0, python_to_reference = 0, reference_to_python = 0;
  for (const auto& c : cells) {
    SCOPED_TRACE(c.dump());
    EXPECT_GT(c["total"].get<int>(), 0);
    EXPECT_EQ(c["passed"], c["total"]);
    EXPECT_EQ(c["unexpected"], 0);
    EXPECT_EQ(c["verdict"], "PASS");
    python_relay += c["relay"] == "python-example";
    python_to_reference += c["initiator"] == "python-example" && c["recipient"] == "reference";
    reference_to_python += c["initiator"] == "reference" && c["recipient"] == "python-example";
  }
  EXPECT_EQ(python_relay, 4);
  EXPECT_EQ(python_to_reference, 2);
  EXPECT_EQ(reference_to_python, 2);
}

TEST_F(PythonExample, RelayPassesTheRelayScenarios) {
  int rc = Run({"run", "--impl", kReference, "--impl", kPython, "--relay", "python-example",
                "--initiator", "reference", "--filter", "relay/*", "--expectations",
                kSource + "/implementations/python-example/expectations.yaml"});
  EXPECT_EQ(rc, 0) << Stdout();
  auto report = Report();
  ASSERT_GT(report["cases"].size(), 40u);
  int passed = 0;
  for (const auto& c : report["cases"]) passed += c["verdict"] == "PASS";
  EXPECT_GT(passed, 40) << Stdout();
}

TEST_F(PythonExample, DeviceAdapterAnswersEveryKnownAnswerVector) {
  int rc = Run({"vectors", "--impl", kPython, "--role", "device"});
  EXPECT_EQ(rc, 0) << Stdout() << ReadFile(dir_ / "harness.stderr");
}

// The assertions above can fail: when the python relay cannot start, every
// case it serves is reported as not passing (and the run fails), while the
// cases on the reference relay (python device included) still pass.
TEST_F(PythonExample, MatrixCellsFailWhenThePythonRelayCannotStart) {
  std::string manifest = ReadFile(kPython);
  const std::string from = "{root}/relay.py";
  manifest.replace(manifest.find(from), from.size(),
                   kSource + "/implementations/python-example/no-such-relay.py");
  const std::string device_from = "{root}/device.py";
  manifest.replace(manifest.find(device_from), device_from.size(),
                   kSource + "/implementations/python-example/device.py");
  std::ofstream(dir_ / "broken.yaml") << manifest;
  int rc = Run({"run", "--impl", kReference, "--impl", (dir_ / "broken.yaml").string(), "--matrix",
                "--filter", "interop/share-fragment-aes128"});
  EXPECT_EQ(rc, 1) << Stdout();
  // Cases on the python relay are named "<scenario>@python-example+<initiator>+<recipient>".
  int failing = 0;
  auto report = Report();
  ASSERT_EQ(report["cases"].size(), 8u) << Stdout();
  for (const auto& c : report["cases"]) {
    const std::string id = c["id"];
    if (id.find("@python-example+") != std::string::npos) {
      EXPECT_NE(c["verdict"], "PASS") << id;
      ++failing;
    } else {
      EXPECT_EQ(c["verdict"], "PASS") << id;
    }
  }
  EXPECT_EQ(failing, 4);
}

}  // namespace
}  // namespace tigress::harness
