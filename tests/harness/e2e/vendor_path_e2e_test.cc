// End-to-end: the vendor's first hour as docs/vendor-guide.md describes it.
// A device-only manifest run with the guide's "check it" command, unchanged,
// is green because the reference relay plays the relay (and the first line
// says so); `run --matrix` prints the matrix as `interop` does.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class VendorPath : public e2e::HarnessRunTest {
 protected:
  VendorPath() : HarnessRunTest("tigress-vendor-e2e") {}

  // The command docs/vendor-guide.md gives after "Check it:", with the
  // manifest's file name in place of `manifest.yaml`.
  std::vector<std::string> CheckItCommand(const std::string& manifest) {
    const std::string guide = e2e::ReadFile(e2e::kSourceDir + "/docs/vendor-guide.md");
    const std::string lead = "Check it: `tigress-harness ";
    const auto at = guide.find(lead);
    EXPECT_NE(at, std::string::npos) << "docs/vendor-guide.md lost its check-it command";
    if (at == std::string::npos) return {};
    const auto start = at + lead.size();
    std::string command = guide.substr(start, guide.find('`', start) - start);
    std::vector<std::string> args;
    std::size_t pos = 0;
    while (pos < command.size()) {
      const auto end = command.find(' ', pos);
      std::string word = command.substr(pos, end == std::string::npos ? end : end - pos);
      if (word.size() >= 2 && word.front() == '\'' && word.back() == '\'') {
        word = word.substr(1, word.size() - 2);
      }
      if (word == "manifest.yaml") word = manifest;
      if (!word.empty()) args.push_back(word);
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    return args;
  }

  // The report.json of the one run under ./reports (the guide names no run id).
  nlohmann::json OnlyReport() {
    for (const auto& e : fs::directory_iterator(dir_ / "reports")) {
      if (fs::exists(e.path() / "report.json")) {
        return nlohmann::json::parse(e2e::ReadFile(e.path() / "report.json"));
      }
    }
    ADD_FAILURE() << "no report.json under " << (dir_ / "reports");
    return nlohmann::json::object();
  }
};

TEST_F(VendorPath, ADeviceOnlyManifestFollowingTheGuideGetsAGreenRun) {
  WriteFile("my-device.yaml", "name: my-device\nversion: \"1.0\"\ndevice:\n  command: [\"" +
                                  e2e::kBinDir +
                                  "/tigress-device\", \"adapter\"]\nfeatures: [aes-128-gcm]\n");
  const std::vector<std::string> args = CheckItCommand("my-device.yaml");
  ASSERT_GE(args.size(), 3u);
  EXPECT_EQ(args[0], "run");
  const int rc = RunHarness(args);
  EXPECT_EQ(rc, 0) << Stdout() << Stderr();
  EXPECT_THAT(Stdout(), StartsWith("tigress-harness: no --impl manifest provides a relay; the "
                                   "reference relay ("));
  EXPECT_THAT(Stdout().substr(0, Stdout().find('\n')),
              HasSubstr("implementations/reference.yaml) plays it"));
  const nlohmann::json report = OnlyReport();
  ASSERT_FALSE(report["cases"].empty()) << Stdout();
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c.dump(1);
    if (c["implementations"].contains("initiator")) {
      EXPECT_EQ(c["implementations"]["initiator"], "my-device") << c.dump(1);
    }
    if (c["implementations"].contains("relay")) {
      EXPECT_EQ(c["implementations"]["relay"], "reference") << c.dump(1);
    }
  }
}

TEST_F(VendorPath, RunWithMatrixPrintsTheMatrixOnTheConsole) {
  const int rc = RunHarness(
      e2e::With(std::vector<std::string>{"run", "--impl", e2e::kReferenceManifest, "--matrix",
                                         "--filter", "interop/share-fragment-aes128"},
                SourceTree(), ReportDir()));
  EXPECT_EQ(rc, 0) << Stdout();
  EXPECT_THAT(Stdout(), HasSubstr("\nInterop matrix:\n\n"));
  EXPECT_THAT(Stdout(), HasSubstr("1/1 PASS"));
}

}  // namespace
}  // namespace tigress::harness
