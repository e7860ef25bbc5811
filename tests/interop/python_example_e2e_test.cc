// End-to-end: the real tigress-harness binary runs implementations/python-example
// (a third-party implementation written only against docs/adapter-contract.md)
// against the reference one: the interop matrix in both directions, the relay
// scenarios against the python relay, and the known-answer vectors through the
// python device adapter.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using e2e::ReadFile;

const std::string& kSource = e2e::kSourceDir;
const std::string& kReference = e2e::kReferenceManifest;
const std::string kPython = kSource + "/implementations/python-example/manifest.yaml";

class PythonExample : public e2e::HarnessRunTest {
 protected:
  PythonExample() : HarnessRunTest("tigress-interop") {}

  // tigress-harness `args`; a `run` gets the source tree's scenarios and
  // catalogue, this test's report directory and -j 2.
  int Run(std::vector<std::string> args) {
    if (args.front() == "run") {
      args = e2e::With(args, SourceTree(), ReportDir(), std::vector<std::string>{"-j", "2"});
    }
    return RunHarness(args, "harness", 900s);
  }
  nlohmann::json Report() { return ReportJson(); }
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
  EXPECT_EQ(rc, 0) << Stdout() << Stderr();
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
  // The matrix keeps the broken relay's cells (each ERROR), not only its cases.
  int error_cells = 0;
  for (const auto& cell : report["matrix"]["cells"]) {
    if (cell["relay"] != "python-example") continue;
    EXPECT_EQ(cell["verdict"], "ERROR") << cell.dump();
    ++error_cells;
  }
  EXPECT_EQ(error_cells, 4) << report["matrix"].dump();
}

}  // namespace
}  // namespace tigress::harness
