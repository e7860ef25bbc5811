// End-to-end: the real tigress-harness binary against the reference relay and
// device (TIGRESS_BIN_DIR), against deliberately faulty variants, and against
// fake adapters that hang, babble or never become ready.
#include <filesystem>
#include <fstream>
#include <set>
#include <signal.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/process/supervisor.h"
#include "tests/harness/harness_run_fixture.h"
#include "tests/support/relay_process.h"
#include "tests/support/wait_for.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using e2e::ReadFile;
using test_support::WaitFor;

const std::vector<std::string> kSeed = {"--seed", "7"};

const std::string kRelayCommand =
    std::string("[\"") + TIGRESS_BIN_DIR +
    "/tigress-relay\", \"--listen\", \"127.0.0.1:{port}\", \"--tls-cert\", \"{cert}\", "
    "\"--tls-key\", \"{key}\", \"--data-dir\", \"{workdir}\", \"--public-url\", "
    "\"{public_url}\", \"--store\", \"memory\"";

class HarnessRun : public e2e::HarnessRunTest {
 protected:
  HarnessRun() : HarnessRunTest("tigress-e2e") {}

  // A manifest with the reference relay (plus `relay_extra` arguments) and
  // `device` as the device command.
  fs::path Manifest(const std::string& name, const std::string& relay_extra,
                    const std::string& device) {
    return WriteFile(name + ".yaml",
                     "name: " + name + "\nrelay:\n  command: " + kRelayCommand + relay_extra +
                         "]\n  ready: {stdout: READY, timeout: 10s}\ndevice:\n  command: " +
                         device + "\nfeatures: [relinquish]\n");
  }

  std::string ReferenceDevice() {
    return std::string("[\"") + TIGRESS_BIN_DIR + "/tigress-device\", \"adapter\"]";
  }
  std::string FakeDevice(const std::string& mode) {
    return std::string("[\"/usr/bin/python3\", \"") + TIGRESS_SOURCE_DIR +
           "/tests/harness/fake_adapter.py\", \"" + mode + "\"]";
  }

  // tigress-harness `args`; a `run` gets the source tree, this test's report
  // directory and a fixed seed.
  std::vector<std::string> Full(std::vector<std::string> args) const {
    return args.front() == "run" ? e2e::With(args, SourceTree(), ReportDir(), kSeed) : args;
  }
  std::unique_ptr<Process> Start(std::vector<std::string> args) {
    return StartHarness(Full(std::move(args)));
  }
  int Run(std::vector<std::string> args) {
    return RunHarness(Full(std::move(args)), "harness", 120s);
  }
  nlohmann::json Report() { return ReportJson(); }

  // Every *adapter.pid / relay.pid a fake process wrote must name a dead process.
  void ExpectNoProcessLeft() {
    int checked = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      const auto name = e.path().filename().string();
      if (!name.ends_with("adapter.pid") && name != "relay.pid") continue;
      pid_t pid = std::stoi(ReadFile(e.path()));
      ++checked;
      auto gone = [pid] {
        return ::kill(pid, 0) != 0 ||
               ReadFile("/proc/" + std::to_string(pid) + "/stat").find(" Z ") != std::string::npos;
      };
      EXPECT_TRUE(WaitFor(gone, 2s, "the process's end"))
          << "process " << pid << " from " << e.path() << " outlived the run";
    }
    EXPECT_GT(checked, 0) << "no pid file was written; the check proved nothing";
  }
};

TEST_F(HarnessRun, RunsAReferenceSubsetAndWritesEveryReport) {
  int rc =
      Run({"run", "--impl", std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml",
           "-j", "2", "--filter",
           "relay/create-basic,relay/race-single-binding,interop/share-fragment-aes128"});
  EXPECT_EQ(rc, 0) << Stdout();
  for (const char* f : {"report.json", "junit.xml", "report.html", "summary.md"}) {
    EXPECT_TRUE(fs::exists(dir_ / "reports" / "run" / f)) << f;
  }
  auto report = Report();
  ASSERT_EQ(report["cases"].size(), 3u);
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"];
    EXPECT_TRUE(
        fs::exists(dir_ / "reports" / "run" / c["case_dir"].get<std::string>() / "repro.sh"));
  }
  EXPECT_TRUE(fs::exists(dir_ / "reports" / "run" / "cases" / "interop_share-fragment-aes128" /
                         "initiator.stderr.log"));
}

TEST_F(HarnessRun, CatchesAFaultyRelayAndPrintsTheRerunCommand) {
  auto m = Manifest("faulty", ", \"--fault\", \"bind-any-claim\"", ReferenceDevice());
  int rc = Run({"run", "--impl", m.string(), "--filter", "relay/second-recipient-refused"});
  EXPECT_EQ(rc, 1) << Stdout();
  EXPECT_THAT(Stdout(), HasSubstr("--filter relay/second-recipient-refused --seed 7"));
  auto c = Report()["cases"][0];
  EXPECT_EQ(c["verdict"], "FAIL");
  EXPECT_TRUE(c["is_unexpected"].get<bool>());
}

TEST_F(HarnessRun, PassesTheWholeSuiteAgainstTheReference) {
  int rc = Run({"run", "--impl",
                std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml", "-j", "2"});
  EXPECT_EQ(rc, 0) << Stdout();
  auto report = Report();
  EXPECT_GE(report["cases"].size(), 25u);
  for (const auto& c : report["cases"]) EXPECT_EQ(c["verdict"], "PASS") << c["id"];
  // Every case left a transcript, and a real HAR validator (Debian's
  // node-har-validator) accepts each; validate_har.js fails when it finds none.
  for (const auto& c : report["cases"]) {
    EXPECT_TRUE(fs::exists(dir_ / "reports" / "run" / c["case_dir"].get<std::string>() /
                           "transcript.har"))
        << c["id"];
  }
  auto validated = test_support::ChildProcess::Run(
      {"/usr/bin/env", "NODE_PATH=/usr/share/nodejs", "node",
       std::string(TIGRESS_SOURCE_DIR) + "/tests/harness/e2e/validate_har.js",
       (dir_ / "reports" / "run").string()},
      std::chrono::seconds(60));
  ASSERT_TRUE(validated) << validated.error().Message();
  EXPECT_EQ(validated->first, 0) << validated->second;
}

// A pairing whose relay exits before it is ready still has its matrix cells:
// each one ERROR, its case naming why, next to the cells that pass.
TEST_F(HarnessRun, GivesARelayThatNeverStartsErrorCellsInTheMatrix) {
  auto broken = WriteFile("broken.yaml",
                          "name: broken\nrelay:\n  command: [\"/bin/false\"]\n"
                          "  ready: {stdout: READY, timeout: 10s}\ndevice:\n  command: " +
                              ReferenceDevice() + "\nfeatures: [aes-128-gcm, relinquish]\n");
  int rc =
      Run({"run", "--impl", std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml",
           "--impl", broken.string(), "--matrix", "--filter", "interop/share-fragment-aes128"});
  EXPECT_EQ(rc, 1) << Stdout();
  auto report = Report();
  ASSERT_EQ(report["matrix"]["cells"].size(), 8u) << report["matrix"].dump();
  int broken_cells = 0;
  for (const auto& cell : report["matrix"]["cells"]) {
    if (cell["relay"] != "broken") {
      EXPECT_EQ(cell["verdict"], "PASS") << cell.dump();
      continue;
    }
    ++broken_cells;
    EXPECT_EQ(cell["verdict"], "ERROR") << cell.dump();
    EXPECT_EQ(cell["total"], 1) << cell.dump();
    ASSERT_EQ(cell["not_passed"].size(), 1u) << cell.dump();
    int named = 0;
    for (const auto& c : report["cases"]) {
      if (c["id"] != cell["not_passed"][0]) continue;
      ++named;
      EXPECT_THAT(c["error_detail"].get<std::string>(),
                  HasSubstr("relay did not start: harness.process_died: relay (broken) exited"));
    }
    EXPECT_EQ(named, 1) << cell.dump();
  }
  EXPECT_EQ(broken_cells, 4);
}

// The TLS checks flag nothing on the clean relay: not even an INFO, which
// would leave the case PASS (so the suite test above cannot see it).
TEST_F(HarnessRun, RecordsEveryTlsCheckAsPassedOnTheCleanReference) {
  int rc =
      Run({"run", "--impl", std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml",
           "--filter", "relay/tls-only,relay/tls-versions"});
  EXPECT_EQ(rc, 0) << Stdout();
  auto report = Report();
  ASSERT_EQ(report["cases"].size(), 2u);
  for (const auto& c : report["cases"]) {
    for (const auto& a : c["assertions"]) EXPECT_EQ(a["verdict"], "PASS") << c["id"] << a.dump();
  }
}

// Each negative scenario must catch the reference relay's matching deliberate
// fault (and pass on the clean relay, see the test above).
struct Mutant {
  const char* fault;
  const char* scenario;
  const char* req;  // a requirement the case must FAIL
};

// Requirement IDs of the case's FAIL assertions.
std::set<std::string> Failed(const nlohmann::json& c) {
  std::set<std::string> ids;
  for (const auto& a : c["assertions"]) {
    if (a["verdict"] == "FAIL") ids.insert(a["requirement_id"].get<std::string>());
  }
  return ids;
}

// Names the parameter in ctest's listing instead of dumping its bytes.
void PrintTo(const Mutant& m, std::ostream* os) { *os << m.fault << " -> " << m.scenario; }

// A fixture whose test runs `mutant.scenario` against the faulty `manifest`.
class MutantRun : public HarnessRun, public ::testing::WithParamInterface<Mutant> {
 protected:
  // The case must FAIL, citing `mutant.req` among its failures.
  void ExpectCaught(const fs::path& manifest, const Mutant& mutant) {
    // Strict: the proof is that the check can FAIL; some of these rest on a
    // robustness reading that the standard profile reports as WARN.
    EXPECT_EQ(Run({"run", "--impl", manifest.string(), "--filter", mutant.scenario, "--profile",
                   "strict"}),
              1)
        << Stdout();
    auto c = Report()["cases"][0];
    EXPECT_EQ(c["verdict"], "FAIL") << mutant.fault;
    EXPECT_TRUE(Failed(c).contains(mutant.req)) << c.dump(1);
  }
};

class RelayMutant : public MutantRun {};

TEST_P(RelayMutant, IsCaughtByItsScenario) {
  auto m = Manifest("mutant", std::string(", \"--fault\", \"") + GetParam().fault + "\"",
                    ReferenceDevice());
  ExpectCaught(m, GetParam());
}

std::string MutantName(const ::testing::TestParamInfo<Mutant>& param_info) {
  return e2e::CamelCaseName(param_info.param.fault);
}

// no-body-limit has no row: a body limit is the relay's choice (RELAY-55 is
// informative, [SI] threat 7), so no FAIL may follow from it.
INSTANTIATE_TEST_SUITE_P(
    Faults, RelayMutant,
    ::testing::Values(Mutant{"no-request-id-echo", "relay/echo-on-errors", "REPLAY-01"},
                      Mutant{"duplicate-reprocessed", "relay/duplicate-update", "REPLAY-03"},
                      Mutant{"duplicate-create-no-body", "relay/duplicate-create", "REPLAY-12"},
                      Mutant{"bind-any-claim", "relay/race-single-binding", "RELAY-56"},
                      Mutant{"not-found-as-401", "relay/unknown-mailbox-404", "RELAY-59"},
                      Mutant{"accept-past-expiration", "relay/create-past-expiration", "RELAY-47"},
                      Mutant{"ignore-access-rights", "relay/access-rights-default", "RELAY-48"},
                      Mutant{"urllink-without-version", "relay/create-basic", "RELAY-02"},
                      Mutant{"preview-leaks-payload", "relay/preview-opengraph", "RELAY-28"},
                      Mutant{"preview-unescaped", "relay/preview-escapes-html", "SEC-10"},
                      Mutant{"no-expiry", "relay/expiry", "RELAY-45"},
                      Mutant{"bad-json-500", "relay/robust-json", "RELAY-10"},
                      Mutant{"delete-keeps-mailbox", "relay/state-gone", "RELAY-22"},
                      Mutant{"expiration-not-strict", "relay/lifetime-long", "RELAY-29"},
                      Mutant{"plain-http", "relay/tls-only", "SEC-01"}),
    MutantName);

// SEC-03 is informative (C-43): a relay that accepts TLS 1.0 and 1.1 is a
// finding (INFO, with the 200 it answered), not a failure; the clean relay
// refuses both handshakes.
TEST_F(HarnessRun, AllowTls10IsRecordedAsAnInformativeFindingOfSec03) {
  auto sec03 = [&](const fs::path& manifest) {
    EXPECT_EQ(Run({"run", "--impl", manifest.string(), "--filter", "relay/tls-versions"}), 0)
        << Stdout();
    std::multiset<std::string> verdicts;
    const auto report = Report();
    for (const auto& a : report["cases"][0]["assertions"]) {
      if (a["requirement_id"] == "SEC-03") verdicts.insert(a["verdict"].get<std::string>());
    }
    return verdicts;
  };
  const auto weak = sec03(Manifest("weak", ", \"--fault\", \"allow-tls10\"", ReferenceDevice()));
  EXPECT_EQ(weak.count("INFO"), 2u) << "TLS 1.0 and 1.1 accepted";
  EXPECT_EQ(weak.count("PASS"), 2u) << "TLS 1.2 and 1.3 served";
  const auto clean = sec03(Manifest("clean", "", ReferenceDevice()));
  EXPECT_EQ(clean.count("PASS"), 4u);
}

// The recording proxy is the webhook receiver: the clean reference relay
// pushes only to the other party, with an empty body; each push fault is a
// WARN (RELAY-50 is RECOMMENDED, PRIV-10 SHOULD) of exactly its requirement.
TEST_F(HarnessRun, PushFaultsAreCaughtByThePushScenario) {
  const std::string relay = "\"{bindir}/tigress-relay\", ";
  auto non_passing = [&](const fs::path& manifest) {
    EXPECT_EQ(
        Run({"run", "--impl", manifest.string(), "--filter", "relay/push-notifies-other-party"}), 0)
        << Stdout();
    const auto report = Report();
    std::set<std::string> ids;
    for (const auto& a : report["cases"][0]["assertions"]) {
      if (a["verdict"] != "PASS")
        ids.insert(a["verdict"].get<std::string>() + " " + a["requirement_id"].get<std::string>());
    }
    return ids;
  };
  EXPECT_TRUE(non_passing(ReferenceAs("clean")).empty());
  for (const auto& [fault, caught] : std::vector<std::pair<std::string, std::string>>{
           {"push-to-writer", "WARN RELAY-50"}, {"push-with-payload", "WARN PRIV-10"}}) {
    const auto m = ReferenceAs("faulty", {{relay, relay + "\"--fault\", \"" + fault + "\", "}});
    EXPECT_EQ(non_passing(m), std::set<std::string>{caught}) << fault;
  }
}

// Each device-side scenario in which the harness plays the other party must
// catch the reference device's matching deliberate fault.
class DeviceMutant : public MutantRun {};

TEST_P(DeviceMutant, IsCaughtByItsScenario) {
  auto m = Manifest("mutant", "",
                    std::string("[\"") + TIGRESS_BIN_DIR + "/tigress-device\", \"--fault\", \"" +
                        GetParam().fault + "\", \"adapter\"]");
  ExpectCaught(m, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Faults, DeviceMutant,
    ::testing::Values(
        Mutant{"iv-reuse", "device/initiator-payload-on-the-wire", "PAYLOAD-04"},
        Mutant{"plaintext-payload", "device/initiator-payload-on-the-wire", "INIT-03"},
        Mutant{"no-write-right", "device/initiator-payload-on-the-wire", "INIT-05"},
        Mutant{"skip-integrity", "device/recipient-known-answer-payloads", "PAYLOAD-11"},
        Mutant{"claim-same-as-initiator", "device/recipient-binds-own-claim", "RECIP-03"},
        Mutant{"secret-reuse", "device/initiator-fresh-secret-per-share", "PAYLOAD-16"}),
    MutantName);

TEST_F(HarnessRun, KnownFailuresKeepTheRunGreenAndTurnStaleWhenFixed) {
  auto exp =
      WriteFile("exp.yaml", "known_failures:\n  \"relay/second-*\": \"BUG-1: binds any claim\"\n");
  auto faulty = Manifest("faulty", ", \"--fault\", \"bind-any-claim\"", ReferenceDevice());
  EXPECT_EQ(Run({"run", "--impl", faulty.string(), "--filter", "relay/second-recipient-refused",
                 "--expectations", exp.string()}),
            0)
      << Stdout();
  fs::remove_all(dir_ / "reports");
  auto clean = Manifest("clean", "", ReferenceDevice());
  EXPECT_EQ(Run({"run", "--impl", clean.string(), "--filter", "relay/second-recipient-refused",
                 "--expectations", exp.string()}),
            1)
      << "a known failure that passes is stale";
  EXPECT_TRUE(Report()["cases"][0]["stale_expectation"].get<bool>());
}

TEST_F(HarnessRun, AMuteAdapterTimesOutAndIsKilled) {
  auto m = Manifest("mute", "", FakeDevice("mute"));
  int rc = Run(
      {"run", "--impl", m.string(), "--filter", "device/nothing-new", "--start-timeout-ms", "500"});
  EXPECT_EQ(rc, 1);
  auto c = Report()["cases"][0];
  EXPECT_EQ(c["verdict"], "TIMEOUT");
  EXPECT_THAT(c["error_detail"].get<std::string>(), HasSubstr("no answer to hello"));
  ExpectNoProcessLeft();
}

TEST_F(HarnessRun, AnAdapterPrintingGarbageIsAnError) {
  auto m = Manifest("babble", "", FakeDevice("babble"));
  EXPECT_EQ(Run({"run", "--impl", m.string(), "--filter", "device/nothing-new"}), 1);
  auto c = Report()["cases"][0];
  EXPECT_EQ(c["verdict"], "ERROR");
  EXPECT_THAT(c["error_detail"].get<std::string>(), HasSubstr("not a JSON object"));
  ExpectNoProcessLeft();
}

TEST_F(HarnessRun, AnAdapterFailingTheContractProbeIsAnError) {
  auto m = Manifest("noprobe", "", FakeDevice("noprobe"));
  EXPECT_EQ(Run({"run", "--impl", m.string(), "--filter", "device/nothing-new"}), 1);
  auto c = Report()["cases"][0];
  EXPECT_EQ(c["verdict"], "ERROR");
  EXPECT_THAT(c["error_detail"].get<std::string>(), HasSubstr("-32601"));
}

TEST_F(HarnessRun, ARelayThatNeverBecomesReadyTimesOutAndIsKilled) {
  auto m = WriteFile("sleepy.yaml",
                     "name: sleepy\nrelay:\n  command: [\"/bin/sh\", \"-c\", \"echo $$ > "
                     "relay.pid; exec sleep 60\"]\n"
                     "  ready: {stdout: READY, timeout: 500ms}\n");
  EXPECT_EQ(Run({"run", "--impl", m.string(), "--filter", "relay/create-basic"}), 1);
  auto c = Report()["cases"][0];
  EXPECT_EQ(c["verdict"], "TIMEOUT");
  EXPECT_THAT(c["error_detail"].get<std::string>(), HasSubstr("READY"));
  ExpectNoProcessLeft();
}

TEST_F(HarnessRun, ABadManifestIsAConfigurationErrorNamingTheLine) {
  auto m = WriteFile("bad.yaml", "name: bad\nrelay:\n  command: [x]\n  comand: [y]\n");
  EXPECT_EQ(Run({"run", "--impl", m.string()}), 2);
  EXPECT_THAT(Stderr(), HasSubstr("bad.yaml:4: unknown key 'comand'"));
}

TEST_F(HarnessRun, InterruptKillsEveryChildAndExits130) {
  auto m = Manifest("mute", "", FakeDevice("mute"));
  auto p = Start({"run", "--impl", m.string(), "--filter", "device/nothing-new",
                  "--start-timeout-ms", "60000"});
  ASSERT_TRUE(p);
  // Wait (bounded) until the adapter is up, then press Ctrl-C.
  fs::path pid_file =
      dir_ / "reports" / "run" / "cases" / "device_nothing-new" / "initiator.work.adapter.pid";
  // Another process writes the file; polling (bounded) is the only way to see it.
  ASSERT_TRUE(WaitFor([&] { return !ReadFile(pid_file).empty(); }, 10s, "the adapter's pid file"))
      << "the adapter never started";
  ::kill(p->pid(), SIGINT);
  ASSERT_TRUE(p->WaitExit(10s));
  EXPECT_EQ(p->ExitStatus(), 130);
  ExpectNoProcessLeft();
}

TEST_F(HarnessRun, VectorsRunThroughTheReferenceAdapter) {
  EXPECT_EQ(Run({"vectors", "--impl",
                 std::string(TIGRESS_SOURCE_DIR) + "/implementations/reference.yaml"}),
            0)
      << Stdout();
  EXPECT_THAT(Stdout(), HasSubstr("0 failed"));
  auto babble = Manifest("babble", "", FakeDevice("babble"));
  EXPECT_EQ(Run({"vectors", "--impl", babble.string()}), 2)
      << "an adapter failing the probe is a setup error";
}

TEST_F(HarnessRun, ListAndExplainNameRequirementsAndCases) {
  EXPECT_EQ(Run({"list", "--scenarios", std::string(TIGRESS_SOURCE_DIR) + "/scenarios"}), 0);
  EXPECT_THAT(Stdout(), HasSubstr("relay/second-recipient-refused"));
  EXPECT_THAT(Stdout(), HasSubstr("RELAY-31"));
  EXPECT_EQ(Run({"explain", "RELAY-31"}), 0);
  EXPECT_THAT(Stdout(), HasSubstr("relay/race-single-binding"));
  EXPECT_EQ(Run({"explain", "NOPE-1"}), 2);
}

// The restart step: the reference device with its state file continues the
// share; the same device without one claims the feature but forgets the
// share, which the scenario reports against INIT-16 (WARN) and RECIP-21.
TEST_F(HarnessRun, ARestartStepCatchesADeviceThatForgetsItsShare) {
  auto manifest = [&](const std::string& name, const std::string& device_extra) {
    return WriteFile(name + ".yaml",
                     "name: " + name + "\nrelay:\n  command: " + kRelayCommand +
                         "]\n  ready: {stdout: READY, timeout: 10s}\ndevice:\n  command: [\"" +
                         TIGRESS_BIN_DIR + "/tigress-device\", \"adapter\"" + device_extra +
                         "]\nfeatures: [persistent-state]\n");
  };
  const auto keeps = manifest("keeps", ", \"--state-file\", \"{workdir}/state.json\"");
  EXPECT_EQ(Run({"run", "--impl", keeps.string(), "--filter", "interop/restart-mid-transfer"}), 0)
      << Stdout();
  auto report = Report();
  ASSERT_EQ(report["cases"].size(), 1u);
  EXPECT_EQ(report["cases"][0]["verdict"], "PASS");
  const fs::path case_dir =
      dir_ / "reports" / "run" / report["cases"][0]["case_dir"].get<std::string>();
  EXPECT_FALSE(fs::exists(case_dir / "initiator.work"))
      << "a device work directory may hold a Secret";
  EXPECT_THAT(ReadFile(case_dir / "initiator.jsonrpc.log"), HasSubstr("# restarted here"));

  const auto forgets = manifest("forgets", "");
  EXPECT_EQ(Run({"run", "--impl", forgets.string(), "--filter", "interop/restart-mid-transfer"}),
            1);
  report = Report();
  std::set<std::string> broken;
  for (const auto& a : report["cases"][0]["assertions"]) {
    if (a["verdict"] != "PASS") broken.insert(a["requirement_id"].get<std::string>());
  }
  EXPECT_TRUE(broken.contains("INIT-16")) << report["cases"][0].dump(1);
}

}  // namespace
}  // namespace tigress::harness
