// End-to-end: `interop` over two manifests, reproduction bundles written for
// failing cases, and `repro` rerunning them, with the real tigress-harness,
// tigress-relay and tigress-device binaries (TIGRESS_BIN_DIR). Failures are
// made on purpose with the binaries' deliberate faults.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/repro/bundle.h"
#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using e2e::ReadFile;
using e2e::With;

// Runs against the source tree's scenarios and catalogue.
class ReproE2e : public e2e::HarnessRunTest {
 protected:
  ReproE2e() : HarnessRunTest("tigress-repro-e2e") {}

  int Harness(const std::vector<std::string>& args, const std::string& tag) {
    return RunHarness(With(args, SourceTree()), tag);
  }
};

const Json* FindCell(const Json& report, const std::string& relay, const std::string& init,
                     const std::string& recip) {
  for (const Json& c : report["matrix"]["cells"]) {
    if (c["relay"] == relay && c["initiator"] == init && c["recipient"] == recip) {
      return &c;
    }
  }
  return nullptr;
}

TEST_F(ReproE2e, InteropOverTwoManifestsReportsTheWholeMatrix) {
  const fs::path a = e2e::kReferenceManifest;
  const fs::path b = ReferenceAs("reference-b");
  const int rc =
      Harness(With({"interop", "--impl", a.string(), "--impl", b.string(), "--seed", "11", "-j",
                    "2", "--filter", "interop/share-fragment-aes128,interop/share-separate-aes256"},
                   ReportDir("interop")),
              "interop");
  ASSERT_EQ(rc, 0) << Stdout("interop") << Stderr("interop");
  const Json report = ReportJson("interop");
  ASSERT_EQ(report["cases"].size(), 16U);  // 2 scenarios x 2 relays x 2 initiators x 2 recipients
  for (const Json& c : report["cases"]) {
    EXPECT_THAT(c["id"].get<std::string>(), ::testing::StartsWith("interop/"));
    EXPECT_THAT(c["id"].get<std::string>(), HasSubstr("@"));
  }
  const Json& m = report["matrix"];
  EXPECT_EQ(m["relays"], Json::array({"reference", "reference-b"}));
  EXPECT_EQ(m["initiators"], Json::array({"reference", "reference-b"}));
  EXPECT_EQ(m["recipients"], Json::array({"reference", "reference-b"}));
  ASSERT_EQ(m["cells"].size(), 8U);
  for (const Json& cell : m["cells"]) {
    EXPECT_EQ(cell["total"], 2) << cell.dump();
    EXPECT_EQ(cell["passed"], 2) << cell.dump();
    EXPECT_EQ(cell["verdict"], "PASS");
  }
  const Json* mixed = FindCell(report, "reference-b", "reference", "reference-b");
  ASSERT_NE(mixed, nullptr);
  EXPECT_THAT(mixed->at("cases").dump(),
              HasSubstr("interop/share-separate-aes256@reference-b+reference+reference-b"));

  const std::string md = ReadFile(dir_ / "reports" / "interop" / "summary.md");
  EXPECT_THAT(md, HasSubstr("## Interop matrix"));
  EXPECT_THAT(md, HasSubstr("Relay **reference-b**"));
  EXPECT_THAT(md, HasSubstr("| reference-b | 2/2 PASS | 2/2 PASS |"));
  EXPECT_THAT(ReadFile(dir_ / "reports" / "interop" / "report.html"),
              HasSubstr("<h3>Relay reference-b</h3>"));
  EXPECT_THAT(Stdout("interop"), HasSubstr("Interop matrix:"));
  // Nothing failed, so no case has a bundle.
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "reports" / "interop")) {
    EXPECT_THAT(e.path().filename().string(), Not(HasSubstr(".tar.gz")));
  }
}

TEST_F(ReproE2e, InteropIsolatesABrokenDeviceAndItsCellBundleReproduces) {
  const fs::path a = e2e::kReferenceManifest;
  const fs::path broken =
      ReferenceAs("broken", {{"env: {}", "env: {TIGRESS_DEVICE_FAULT: plaintext-payload}"}});
  const int rc = Harness(With({"interop", "--impl", a.string(), "--impl", broken.string(), "--seed",
                               "12", "--filter", "interop/share-fragment-aes128"},
                              ReportDir("interop")),
                         "interop");
  ASSERT_EQ(rc, 1) << Stdout("interop") << Stderr("interop");
  const Json report = ReportJson("interop");
  for (const char* relay : {"reference", "broken"}) {
    for (const char* init : {"reference", "broken"}) {
      for (const char* recip : {"reference", "broken"}) {
        const Json* cell = FindCell(report, relay, init, recip);
        ASSERT_NE(cell, nullptr) << relay << init << recip;
        const bool clean = std::string(init) == "reference" && std::string(recip) == "reference";
        EXPECT_EQ(cell->at("verdict") == "PASS", clean) << cell->dump();
        EXPECT_EQ(cell->at("not_passed").empty(), clean) << cell->dump();
      }
    }
  }
  const std::string html = ReadFile(dir_ / "reports" / "interop" / "report.html");
  EXPECT_THAT(html, HasSubstr("interop/share-fragment-aes128@reference+reference+broken</a> FAIL"));

  // The failing cell's bundle: listed in the evidence, self-contained, no Secret.
  const std::string id = "interop/share-fragment-aes128@reference+reference+broken";
  const fs::path case_dir = dir_ / "reports" / "interop" / "cases" /
                            "interop_share-fragment-aes128@reference+reference+broken";
  const fs::path bundle = case_dir / BundleFileName(case_dir);
  ASSERT_TRUE(fs::exists(bundle)) << bundle;
  for (const Json& c : report["cases"]) {
    if (c["id"] == id) {
      EXPECT_THAT(c["assertions"][0]["evidence"]["attachments"].dump(),
                  HasSubstr(bundle.filename().string()));
    }
  }
  auto b = ReadBundle(bundle);
  ASSERT_TRUE(b) << b.error().Message();
  EXPECT_EQ(b->info.case_id, id);
  EXPECT_TRUE(b->info.matrix);
  EXPECT_EQ(b->info.recipient, "broken");
  EXPECT_EQ(b->info.run_seed, 12U);
  // The manifest's env keeps its names, not its values.
  EXPECT_THAT(b->Find("manifests/broken.yaml")->data, HasSubstr("TIGRESS_DEVICE_FAULT"));
  EXPECT_THAT(b->Find("manifests/broken.yaml")->data, Not(HasSubstr("plaintext-payload")));
  ASSERT_NE(b->Find("case/initiator.jsonrpc.log"), nullptr);
  ASSERT_NE(b->Find("case/recipient.stderr.log"), nullptr);
  EXPECT_THAT(b->info.command, HasSubstr("--recipient broken"));
  const std::regex fragment("#[A-Za-z0-9_+/%-]{20,}");
  const std::regex secret_field("\"secret\" *: *\"[A-Za-z0-9+/]{20,}");
  for (const auto& mem : b->members) {
    EXPECT_FALSE(std::regex_search(mem.data, fragment)) << mem.path;
    EXPECT_FALSE(std::regex_search(mem.data, secret_field)) << mem.path;
  }
  // The Share URL is there, its fragment shortened by the transcript redaction.
  EXPECT_TRUE(
      std::regex_search(b->Find("case/initiator.jsonrpc.log")->data,
                        std::regex("shareUrl\":\"https://[^\"#]+#[^\"]{0,8}\\(\\d+ chars\\)")));

  // Moved away from the run directory, with the manifests (the bundle's lack
  // the fault's env value), it still reproduces the same failure.
  fs::copy_file(bundle, dir_ / "moved.tar.gz");
  fs::remove_all(dir_ / "reports" / "interop");
  const int again = Harness(With({"repro", (dir_ / "moved.tar.gz").string(), "--impl", a.string(),
                                  "--impl", broken.string()},
                                 ReportDir("again")),
                            "repro");
  EXPECT_EQ(again, 1) << Stdout("repro") << Stderr("repro");
  EXPECT_THAT(Stdout("repro"), HasSubstr("FAIL   " + id));
  EXPECT_THAT(Stdout("repro"), HasSubstr("repro: REPRODUCED"));
  EXPECT_EQ(ReportJson("again")["cases"][0]["id"], id);

  // From the bundle alone the env value is missing, and repro says so.
  EXPECT_EQ(Harness(With({"repro", (dir_ / "moved.tar.gz").string(), "--trust-bundle"},
                         ReportDir("alone")),
                    "alone"),
            0)
      << Stdout("alone") << Stderr("alone");
  EXPECT_THAT(Stdout("alone"),
              HasSubstr("env values were redacted when the bundle was written: "
                        "TIGRESS_DEVICE_FAULT (broken); the rerun leaves them unset"));
}

TEST_F(ReproE2e, ReproReproducesARelayFaultAndTellsFixedDifferentAndBrokenBundles) {
  const fs::path faulty = ReferenceAs(
      "faulty", {{"\"{bindir}/tigress-relay\", ",
                  "\"{bindir}/tigress-relay\", \"--fault\", \"no-request-id-echo\", "}});
  const int rc = Harness(
      With({"run", "--impl", faulty.string(), "--filter", "relay/echo-on-errors", "--seed", "3"},
           ReportDir("run")),
      "run");
  ASSERT_EQ(rc, 1) << Stdout("run") << Stderr("run");
  const fs::path bundle = dir_ / "reports" / "run" / "cases" / "relay_echo-on-errors" /
                          "repro-relay_echo-on-errors.tar.gz";
  ASSERT_TRUE(fs::exists(bundle));
  EXPECT_THAT(Stdout("run"),
              HasSubstr(" repro " + bundle.string() + " --trust-bundle"));  // offered
  auto b = ReadBundle(bundle);
  ASSERT_TRUE(b) << b.error().Message();
  EXPECT_EQ(b->info.verdict, "FAIL");
  EXPECT_EQ(FailureSignature(b->info.verdict, b->info.findings), "FAIL [REPLAY-01]");
  EXPECT_NE(b->Find("case/relay.stderr.log"), nullptr);
  EXPECT_THAT(b->Find("case/relay.stderr.log")->data, HasSubstr("DELIBERATE FAULT ENABLED"));

  // The same failure, from the bundle alone.
  EXPECT_EQ(Harness(With({"repro", bundle.string(), "--trust-bundle"}, ReportDir("r1")), "r1"), 1)
      << Stdout("r1") << Stderr("r1");
  EXPECT_THAT(Stdout("r1"), HasSubstr("FAIL   relay/echo-on-errors"));
  EXPECT_THAT(Stdout("r1"), HasSubstr("repro: recorded FAIL [REPLAY-01]"));
  EXPECT_THAT(Stdout("r1"), HasSubstr("repro: REPRODUCED"));
  EXPECT_THAT(Stdout("r1"), Not(HasSubstr("the case seed is")));
  EXPECT_EQ(ReportJson("r1")["cases"][0]["seed"], std::to_string(b->info.case_seed));

  // Against a fixed relay (the reference, given with --impl): not reproduced.
  EXPECT_EQ(
      Harness(With({"repro", bundle.string(), "--impl", e2e::kReferenceManifest}, ReportDir("r2")),
              "r2"),
      0)
      << Stdout("r2") << Stderr("r2");
  EXPECT_THAT(Stdout("r2"), HasSubstr("NOT REPRODUCED"));

  // A relay that does not even start fails, but differently.
  const fs::path dead = dir_ / "dead" / "faulty.yaml";
  fs::create_directories(dead.parent_path());
  std::ofstream(dead) << "name: faulty\nrelay:\n  command: [\"/bin/false\"]\n"
                         "  ready: {stdout: READY, timeout: 2s}\n";
  EXPECT_EQ(
      Harness(With({"repro", bundle.string(), "--impl", dead.string()}, ReportDir("r3")), "r3"), 3)
      << Stdout("r3") << Stderr("r3");
  EXPECT_THAT(Stdout("r3"), HasSubstr("FAILS DIFFERENTLY"));

  // A known failure still gets its bundle, with the expectations file in it;
  // repro ignores expectations and still says the failure reproduces.
  std::ofstream(dir_ / "expect.yaml")
      << "known_failures:\n  \"relay/echo-on-errors\": \"the fault drops the echo\"\n";
  ASSERT_EQ(Harness(With({"run", "--impl", faulty.string(), "--filter", "relay/echo-on-errors",
                          "--seed", "3", "--expectations", (dir_ / "expect.yaml").string()},
                         ReportDir("known")),
                    "known"),
            0)
      << Stdout("known") << Stderr("known");
  auto known = ReadBundle(dir_ / "reports" / "known" / "cases" / "relay_echo-on-errors" /
                          "repro-relay_echo-on-errors.tar.gz");
  ASSERT_TRUE(known) << known.error().Message();
  EXPECT_TRUE(known->info.expected_failure);
  ASSERT_NE(known->Find("expectations.yaml"), nullptr);
  EXPECT_THAT(known->Find("expectations.yaml")->data, HasSubstr("the fault drops the echo"));
  EXPECT_EQ(Harness(With({"repro",
                          (dir_ / "reports" / "known" / "cases" / "relay_echo-on-errors" /
                           "repro-relay_echo-on-errors.tar.gz")
                              .string(),
                          "--trust-bundle"},
                         ReportDir("r5")),
                    "r5"),
            1)
      << Stdout("r5") << Stderr("r5");

  // Not a bundle: a configuration error.
  std::ofstream(dir_ / "junk.tar.gz") << "junk";
  EXPECT_EQ(Harness({"repro", (dir_ / "junk.tar.gz").string()}, "r4"), 2);
  EXPECT_THAT(Stderr("r4"), HasSubstr("junk.tar.gz"));
}

// A bundle made by someone else: its manifest's relay writes `marker` and
// asks for a library to be preloaded.
fs::path HostileBundle(const fs::path& dir, const fs::path& marker) {
  BundleInfo info;
  info.case_id = "relay/echo-on-errors";
  info.scenario_id = "relay/echo-on-errors";
  info.run_seed = 3;
  info.verdict = "FAIL";
  info.relay = "evil";
  info.implementations.push_back(
      {"evil", "1", {}, {"relay"}, "manifests/evil.yaml", "/nowhere/evil.yaml", "/nowhere"});
  const std::string manifest = "name: evil\nrelay:\n  command: [\"/bin/sh\", \"-c\", \"touch " +
                               marker.string() +
                               "\"]\n  ready: {stdout: READY, timeout: 2s}\n"
                               "env: {LD_PRELOAD: /nowhere/evil.so}\n";
  const fs::path out = dir / "repro-evil.tar.gz";
  EXPECT_TRUE(WriteBundle(
      out, info,
      {{"scenario.yaml", ReadFile(e2e::kSourceDir + "/scenarios/relay/echo-on-errors.yaml"), false},
       {"manifests/evil.yaml", manifest, false}}));
  return out;
}

TEST_F(ReproE2e, AForeignBundleRunsNothingWithoutImplOrTrustBundle) {
  const fs::path marker = dir_ / "marker";
  const fs::path bundle = HostileBundle(dir_, marker);
  EXPECT_EQ(Harness(With({"repro", bundle.string()}, ReportDir("untrusted")), "untrusted"), 2)
      << Stdout("untrusted") << Stderr("untrusted");
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_FALSE(fs::exists(dir_ / "reports" / "untrusted"));
  const std::string err = Stderr("untrusted");
  EXPECT_THAT(err, HasSubstr("relay of 'evil': /bin/sh -c 'touch " + marker.string() + "'"));
  EXPECT_THAT(err, HasSubstr("env: LD_PRELOAD=<value not shown>"));
  EXPECT_THAT(err, Not(HasSubstr("evil.so")));
  EXPECT_THAT(err, HasSubstr("Nothing was run"));
  EXPECT_THAT(err, HasSubstr("--impl FILE"));
  EXPECT_THAT(err, HasSubstr("--trust-bundle"));
}

TEST_F(ReproE2e, TrustBundleShowsEveryCommandBeforeRunningIt) {
  const fs::path marker = dir_ / "marker";
  const fs::path bundle = HostileBundle(dir_, marker);
  Harness(With({"repro", bundle.string(), "--trust-bundle"}, ReportDir("trusted")), "trusted");
  EXPECT_TRUE(fs::exists(marker)) << Stdout("trusted") << Stderr("trusted");
  const std::string out = Stdout("trusted");
  const auto plan = out.find("relay of 'evil': /bin/sh -c 'touch " + marker.string() + "'");
  ASSERT_NE(plan, std::string::npos) << out;
  EXPECT_LT(plan, out.find("relay/echo-on-errors")) << out;  // before the case line
  EXPECT_LT(out.find("--trust-bundle: the bundle's manifests may start"), plan);
  EXPECT_THAT(out, HasSubstr("env: LD_PRELOAD=<value not shown>"));
  EXPECT_THAT(out, Not(HasSubstr("evil.so")));
}

TEST_F(ReproE2e, ASecretADeviceLogsIsInNoFileOfTheRunOthersCanRead) {
  const fs::path leaked = dir_ / "leaked.txt";
  const fs::path leaky = ReferenceAs(
      "leaky", {{"command: [\"{bindir}/tigress-device\"",
                 "command: [\"/usr/bin/python3\", \"" + e2e::kSourceDir +
                     "/tests/harness/fixtures/variant_device.py\", \"leak-secret\", \"--\", "
                     "\"{bindir}/tigress-device\""},
                {"env: {}", "env: {TIGRESS_DEVICE_FAULT: plaintext-payload, VARIANT_LEAK_FILE: " +
                                leaked.string() + "}"}});
  ASSERT_EQ(Harness(With({"run", "--impl", leaky.string(), "--filter",
                          "interop/share-fragment-aes128", "--seed", "5"},
                         ReportDir("leak")),
                    "leak"),
            1)
      << Stdout("leak") << Stderr("leak");
  std::vector<std::string> secrets;
  std::istringstream lines(ReadFile(leaked));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) secrets.push_back(line);
  }
  ASSERT_FALSE(secrets.empty()) << "the variant leaked nothing";
  const fs::path run = dir_ / "reports" / "leak";
  std::vector<fs::path> bundles;
  for (const auto& e : fs::recursive_directory_iterator(run)) {
    if (!e.is_regular_file()) continue;
    const std::string text = ReadFile(e.path());
    const bool others_read = (e.status().permissions() &
                              (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none;
    for (const auto& secret : secrets) {
      EXPECT_TRUE(text.find(secret) == std::string::npos || !others_read) << e.path();
    }
    const std::string name = e.path().filename().string();
    if (name.ends_with(".stderr.log") || name.ends_with(".stdout.log")) {
      EXPECT_EQ(e.status().permissions() & fs::perms::all,
                fs::perms::owner_read | fs::perms::owner_write)
          << e.path();
    }
    if (name.ends_with(".tar.gz")) bundles.push_back(e.path());
  }
  const fs::path case_dir = run / "cases" / "interop_share-fragment-aes128";
  EXPECT_THAT(ReadFile(case_dir / "initiator.stderr.log"),
              HasSubstr("leak-secret: my Secret is [REDACTED]"));
  ASSERT_EQ(bundles.size(), 1U);
  auto b = ReadBundle(bundles[0]);
  ASSERT_TRUE(b) << b.error().Message();
  for (const auto& mem : b->members) {
    for (const auto& secret : secrets) {
      EXPECT_EQ(mem.data.find(secret), std::string::npos) << mem.path;
    }
  }
}

TEST_F(ReproE2e, ADeviceAnsweringOneHundredThousandLevelsDeepIsAnErrorTheRunSurvives) {
  const fs::path deep = ReferenceAs(
      "deep", {{"command: [\"{bindir}/tigress-device\"",
                "command: [\"/usr/bin/python3\", \"" + e2e::kSourceDir +
                    "/tests/harness/fixtures/variant_device.py\", \"deep-result\", \"--\", "
                    "\"{bindir}/tigress-device\""}});
  // Exit 1 (an unexpected ERROR), not a signal: the harness finished its report.
  ASSERT_EQ(Harness(With({"run", "--impl", deep.string(), "--filter",
                          "interop/share-fragment-aes128", "--seed", "6"},
                         ReportDir("deep")),
                    "deep"),
            1)
      << Stdout("deep") << Stderr("deep");
  const Json report = ReportJson("deep");
  ASSERT_EQ(report["cases"].size(), 1U);
  EXPECT_EQ(report["cases"][0]["verdict"], "ERROR") << report["cases"][0].dump(1);
  EXPECT_THAT(report["cases"][0].dump(), HasSubstr("nested deeper than 128 levels"));
}

}  // namespace
}  // namespace tigress::harness
