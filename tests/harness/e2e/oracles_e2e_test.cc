// End-to-end: the privacy and replay oracles (harness/oracles/oracles.h) run over the
// transcript the recording proxy wrote. Each deliberate device fault (and the
// relay's sequential-ids) must make exactly the expected requirements FAIL or
// WARN through an oracle, and the clean reference none.
#include <filesystem>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/har/har.h"
#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using e2e::ReadFile;

// Four scenarios with two devices: one share and a message back, several
// messages under one Secret (IV reuse shows), and two shares between the same
// processes (fresh claims and tokens), once more with attestation.
const char* const kScenarios =
    "interop/share-fragment-aes256,interop/recipient-consecutive-messages,"
    "privacy/two-shares-fresh-identifiers,privacy/attestation-fresh";
constexpr std::size_t kCases = 4;

// Every oracle requirement the four scenarios give the clean reference a
// chance to pass.
const char* const kExaminedByTheCleanRun[] = {
    "PRIV-01", "RECIP-01", "PRIV-02", "PRIV-06", "INIT-01",  "RECIP-03",   "PRIV-07",
    "PRIV-05", "PRIV-04",  "PRIV-09", "PRIV-08", "RELAY-04", "PAYLOAD-04", "INIT-02",
    "INIT-04", "INIT-13",  "INIT-14", "URL-08",  "RECIP-02", "RECIP-16",   "REPLAY-11",
};

class OracleRun : public e2e::HarnessRunTest {
 protected:
  OracleRun() : HarnessRunTest("tigress-oracles") {}

  // implementations/reference.yaml with an in-memory store, a relay fault and
  // a device fault.
  fs::path Manifest(const std::string& relay_fault, const std::string& device_fault) {
    const std::string relay = "\"{bindir}/tigress-relay\", ";
    std::string args = "\"--store\", \"memory\", ";
    if (!relay_fault.empty()) args += "\"--fault\", \"" + relay_fault + "\", ";
    std::vector<std::pair<std::string, std::string>> edits = {{relay, relay + args}};
    if (!device_fault.empty()) {
      edits.emplace_back("env: {}", "env: {TIGRESS_DEVICE_FAULT: " + device_fault + "}");
    }
    return ReferenceAs("ref", edits);
  }

  nlohmann::json Run(const fs::path& manifest, const std::string& filter = kScenarios) {
    // Strict: each fault must make its oracle FAIL or WARN; some oracles rest
    // on a hardening reading (C-39: v4 claims) that the standard profile
    // reports as INFO.
    RunHarness(e2e::With({"run", "--impl", manifest.string(), "--filter", filter, "-j", "2",
                          "--seed", "11", "--profile", "strict"},
                         SourceTree(), ReportDir()),
               "harness", std::chrono::seconds(120));
    return ReportJson();
  }

  // Requirement IDs of oracle assertions with the given verdicts.
  static std::set<std::string> OracleIds(const nlohmann::json& report,
                                         const std::set<std::string>& verdicts) {
    std::set<std::string> ids;
    for (const auto& c : report["cases"]) {
      for (const auto& a : c["assertions"]) {
        if (a["message"].get<std::string>().rfind("oracle ", 0) == 0 &&
            verdicts.contains(a["verdict"].get<std::string>())) {
          ids.insert(a["requirement_id"].get<std::string>());
        }
      }
    }
    return ids;
  }
};

TEST_F(OracleRun, CleanReferencePassesEveryOracleAndWritesTranscripts) {
  auto report = Run(Manifest("", ""));
  ASSERT_EQ(report["cases"].size(), kCases);
  EXPECT_TRUE(OracleIds(report, {"FAIL", "WARN", "ERROR"}).empty());
  const std::set<std::string> passed = OracleIds(report, {"PASS"});
  for (const char* id : kExaminedByTheCleanRun) {
    EXPECT_TRUE(passed.contains(id)) << id << " was never examined";
  }
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"];
    const fs::path har =
        dir_ / "reports" / "run" / c["case_dir"].get<std::string>() / "transcript.har";
    auto t = har::ReadHar(ReadFile(har));
    ASSERT_TRUE(t) << har << ": " << t.error().Message();
    EXPECT_GE(t->exchanges.size(), 4u);
    for (const auto& e : t->exchanges) EXPECT_GT(e.status, 0) << e.url;
  }
}

struct Fault {
  const char* relay;
  const char* device;
  std::set<std::string> caught;  // exactly these oracle requirements FAIL or WARN
};

const Fault kFaults[] = {
    // The reference devices of both roles send the Secret.
    {"", "secret-to-relay", {"PRIV-01", "INIT-13", "URL-08", "RECIP-02"}},
    {"", "fragment-to-relay", {"RECIP-01", "URL-08"}},
    {"", "iv-reuse", {"PAYLOAD-04"}},
    {"", "claim-not-v4", {"PRIV-06"}},
    {"", "claim-reuse", {"INIT-01", "RECIP-03"}},
    {"", "token-reuse", {"PRIV-07", "INIT-14", "RECIP-16"}},
    {"", "identifying-display-info", {"PRIV-09", "INIT-14"}},
    {"", "plaintext-payload", {"PRIV-02"}},
    {"", "request-id-reuse", {"REPLAY-11"}},
    {"", "expiration-not-utc", {"INIT-04"}},
    {"", "send-cookie", {"PRIV-05"}},
    {"", "attestation-reuse", {"PRIV-08", "INIT-14"}},
    {"", "no-content-type", {"INIT-02"}},
    {"set-cookie", "", {"PRIV-04"}},
    {"sequential-ids", "", {"RELAY-04"}},
};

void PrintTo(const Fault& f, std::ostream* os) { *os << f.relay << f.device; }

class OracleFault : public OracleRun, public ::testing::WithParamInterface<Fault> {};

TEST_P(OracleFault, IsCaughtByExactlyItsOracle) {
  auto report = Run(Manifest(GetParam().relay, GetParam().device));
  ASSERT_EQ(report["cases"].size(), kCases);
  EXPECT_EQ(OracleIds(report, {"FAIL", "WARN"}), GetParam().caught);
}

std::string FaultName(const ::testing::TestParamInfo<Fault>& info) {
  return e2e::CamelCaseName(std::string(info.param.relay) + info.param.device);
}

INSTANTIATE_TEST_SUITE_P(DeviceAndRelayFaults, OracleFault, ::testing::ValuesIn(kFaults),
                         FaultName);

// The hostile-relay scenarios (scenarios/hostile/): the clean reference
// refuses every altered answer; a device fault that accepts them fails
// exactly the requirement its scenario cites.
std::set<std::string> NonPassing(const nlohmann::json& report) {
  std::set<std::string> ids;
  for (const auto& c : report["cases"]) {
    for (const auto& a : c["assertions"]) {
      if (a["verdict"] != "PASS") ids.insert(a["requirement_id"].get<std::string>());
    }
  }
  return ids;
}

TEST_F(OracleRun, CleanReferenceRefusesEveryHostileAnswer) {
  auto report = Run(Manifest("", ""), "hostile/*");
  ASSERT_GE(report["cases"].size(), 5u);
  EXPECT_TRUE(NonPassing(report).empty());
  for (const auto& c : report["cases"]) EXPECT_EQ(c["verdict"], "PASS") << c["id"];
}

TEST_F(OracleRun, SkipIntegrityIsCaughtByTheTamperedPayloadScenarios) {
  auto report = Run(Manifest("", "skip-integrity"), "hostile/*");
  EXPECT_EQ(NonPassing(report), std::set<std::string>{"RECIP-05"});
}

TEST_F(OracleRun, AcceptUntrustedCertIsCaughtByTheUntrustedCertificateScenario) {
  auto report = Run(Manifest("", "accept-untrusted-cert"), "hostile/*");
  EXPECT_EQ(NonPassing(report), (std::set<std::string>{"INIT-12", "SEC-15"}));
}

TEST_F(OracleRun, IgnoreRequestIdEchoIsCaughtByTheMismatchScenario) {
  auto report = Run(Manifest("", "ignore-request-id-echo"), "hostile/*");
  EXPECT_EQ(NonPassing(report), (std::set<std::string>{"INIT-06", "REPLAY-10"}));
}

}  // namespace
}  // namespace tigress::harness
