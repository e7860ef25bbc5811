// End-to-end proofs for the draft revisions (protocol/revision.h): the
// reference pair passes under sct-04 as it does under http-00; a relay or a
// device of another revision than the run's is diagnosed before its failures
// have to be read; implementations of different revisions are not paired;
// and each sct-04 difference the catalogue lists is seen by a check that a
// deliberate fault trips.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness::e2e {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kSct04Manifest = kSourceDir + "/implementations/reference-sct04.yaml";

class RevisionRun : public HarnessRunTest {
 protected:
  RevisionRun() : HarnessRunTest("tigress-revision-e2e") {}

  // implementations/reference-sct04.yaml as ManifestAs writes it.
  fs::path Sct04As(const std::string& name,
                   const std::vector<std::pair<std::string, std::string>>& edits = {}) {
    return ManifestAs(kSct04Manifest, "reference-sct04", name, edits);
  }

  int Run(const std::vector<std::string>& manifests, const std::string& filter,
          const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"run"};
    for (const auto& m : manifests) args.insert(args.end(), {"--impl", m});
    return RunHarness(With(args, std::vector<std::string>{"--filter", filter, "-j", "2"}, extra,
                           SourceTree(), ReportDir()));
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
      const auto nl = text.find('\n', start);
      out.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    return out;
  }
};

TEST_F(RevisionRun, TheReferencePairPassesUnderSct04InEveryArea) {
  const int rc = Run({kSct04Manifest},
                     "relay/create-basic,relay/attestation-every-endpoint,relay/bind-first-reader,"
                     "device/recipient-binds-own-claim,privacy/attestation-fresh,"
                     "hostile/request-id-mismatch,interop/share-fragment-aes128");
  EXPECT_EQ(rc, 0) << Stdout();
  const json report = ReportJson();
  EXPECT_EQ(report["run"]["spec"], "sct-04");
  ASSERT_EQ(report["cases"].size(), 7u) << Stdout();
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"] << "\n" << c["assertions"].dump(1);
  }
  EXPECT_TRUE(report["run"]["diagnosis"].empty()) << report["run"]["diagnosis"];
  // The wire spoke sct-04: the device's own requests carried Device-Claim.
  const std::string har = ReadFile(dir_ / "reports" / "run" / "cases" /
                                   "interop_share-fragment-aes128" / "transcript.har");
  EXPECT_THAT(har, HasSubstr("\"Device-Claim\""));
  EXPECT_THAT(har, ::testing::Not(HasSubstr("\"Mailbox-Device-Claim\"")));
}

TEST_F(RevisionRun, AnHttp00RunAgainstAnSct04RelayPrintsTheDiagnosisInItsFirstLines) {
  // A vendor manifest that forgot `spec: sct-04` for a relay of that revision.
  std::string text = ReadFile(Sct04As("acme"));
  text.erase(text.find("spec: sct-04\n"), 13);
  const fs::path m = WriteFile("acme.yaml", text);
  const int rc = Run({m.string()}, "relay/create-basic");
  EXPECT_EQ(rc, 1) << Stdout();
  const std::vector<std::string> lines = Lines(Stdout());
  ASSERT_GE(lines.size(), 2u) << Stdout();
  EXPECT_THAT(lines[0], HasSubstr("spec http-00"));
  EXPECT_THAT(lines[1], StartsWith("tigress-harness: diagnosis: relay 'acme' appears to implement "
                                   "sct-04 (it refuses Mailbox-Device-Claim: 400"));
  EXPECT_THAT(lines[1], HasSubstr("rerun with --spec sct-04"));
  const json report = ReportJson();
  ASSERT_EQ(report["run"]["diagnosis"].size(), 1u);
  EXPECT_THAT(report["run"]["diagnosis"][0].get<std::string>(), StartsWith("relay 'acme' appears"));
  const std::string summary = ReadFile(dir_ / "reports" / "run" / "summary.md");
  const std::string html = ReadFile(dir_ / "reports" / "run" / "report.html");
  for (const std::string* doc : {&summary, &html}) {
    const auto at = doc->find("appears to implement sct-04");
    EXPECT_NE(at, std::string::npos);
    // Before the cases: the first case id comes later.
    EXPECT_LT(at, doc->find("relay/create-basic"));
  }

  // The rerun the line suggests judges the relay by its own revision.
  const int again = RunHarness(
      With({"run", "--impl", m.string(), "--filter", "relay/create-basic", "--spec", "sct-04"},
           SourceTree(), ReportDir("again")),
      "again");
  EXPECT_EQ(again, 0) << Stdout("again");
  EXPECT_THAT(Stdout("again"), ::testing::Not(HasSubstr("diagnosis")));
}

TEST_F(RevisionRun, ADeviceSpeakingSct04InAnHttp00RunIsDiagnosed) {
  const fs::path m = ReferenceAs(
      "acme",
      {{"\"{bindir}/tigress-device\",", "\"{bindir}/tigress-device\", \"--spec\", \"sct-04\","}});
  Run({m.string()}, "interop/share-fragment-aes128");
  EXPECT_THAT(Stdout(), HasSubstr("tigress-harness: diagnosis: device 'acme' appears to implement "
                                  "sct-04 (its requests carry Device-Claim, not "
                                  "Mailbox-Device-Claim); rerun with --spec sct-04"));
  EXPECT_EQ(ReportJson()["run"]["diagnosis"].size(), 1u);
}

TEST_F(RevisionRun, TheMatrixMarksMixedRevisionCellsAsAMismatchInsteadOfFailures) {
  const int rc = RunHarness(With({"interop", "--impl", kReferenceManifest, "--impl", kSct04Manifest,
                                  "--filter", "interop/share-fragment-aes128", "-j", "2"},
                                 SourceTree(), ReportDir()));
  EXPECT_EQ(rc, 0) << Stdout();
  const json report = ReportJson();
  ASSERT_EQ(report["cases"].size(), 8u) << Stdout();
  int passed = 0;
  int mismatched = 0;
  for (const auto& c : report["cases"]) {
    if (c["verdict"] == "PASS") {
      ++passed;
      continue;
    }
    EXPECT_EQ(c["verdict"], "UNSUPPORTED") << c.dump(1);
    EXPECT_THAT(c["assertions"][0]["message"].get<std::string>(), HasSubstr("revision mismatch ("))
        << c.dump(1);
    ++mismatched;
  }
  EXPECT_EQ(passed, 2) << "the two single-revision cells run";
  EXPECT_EQ(mismatched, 6);
  EXPECT_THAT(Stdout(), HasSubstr("revision mismatch (http-00 device, sct-04 relay)"));
  EXPECT_EQ(report["run"]["spec"], "mixed");
}

// Each sct-04 difference is seen by a check a fault trips: the attestation
// listed on every endpoint (REV-03), the Request-ID listed on none (REV-02),
// the attestation header name (REV-01).
TEST_F(RevisionRun, ARelayRefusingAnAttestationOutsideCreateFailsRelay76UnderSct04) {
  const fs::path m = Sct04As(
      "faulty", {{"\"--webhook-ca\", \"{ca}\"]",
                  "\"--webhook-ca\", \"{ca}\", \"--fault\", \"attestation-create-only\"]"}});
  EXPECT_EQ(Run({m.string()}, "relay/attestation-every-endpoint"), 1) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, "relay/attestation-every-endpoint");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(Has(VerdictsOf(*c, "RELAY-76"), "FAIL")) << c->dump(1);
  EXPECT_FALSE(Has(VerdictsOf(*c, "RELAY-75"), "FAIL")) << c->dump(1);
}

TEST_F(RevisionRun, ARelayAcceptingAMissingRequestIdIsLegalUnderSct04AndAFindingUnderHttp00) {
  const std::string quirk = "\"--webhook-ca\", \"{ca}\", \"--quirk\", \"request-id-optional\"]";
  const fs::path sct = Sct04As("lenient", {{"\"--webhook-ca\", \"{ca}\"]", quirk}});
  EXPECT_EQ(Run({sct.string()}, "relay/create-request-id-required"), 0) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, "relay/create-request-id-required");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(Has(VerdictsOf(*c, "RELAY-08"), "INFO")) << c->dump(1);

  const fs::path http = ReferenceAs("lenient-http", {{"\"--webhook-ca\", \"{ca}\"]", quirk}});
  RunHarness(With({"run", "--impl", http.string(), "--filter", "relay/create-request-id-required"},
                  SourceTree(), ReportDir("http")),
             "http");
  const json http_report = ReportJson("http");
  const json* h = Case(http_report, "relay/create-request-id-required");
  ASSERT_NE(h, nullptr);
  // RELAY-08 rests on C-11 under http-00, so the standard profile reports
  // the finding by that interpretation's class: FAIL or WARN, never a pass.
  const std::vector<std::string> v = VerdictsOf(*h, "RELAY-08");
  EXPECT_TRUE(Has(v, "FAIL") || Has(v, "WARN")) << h->dump(1);
  EXPECT_FALSE(Has(v, "INFO")) << h->dump(1);
}

TEST_F(RevisionRun, AReusedDeviceAttestationIsCaughtUnderSct04Names) {
  const fs::path m =
      Sct04As("reuse", {{"env: {}", "env: {TIGRESS_DEVICE_FAULT: attestation-reuse}"}});
  RunHarness(With(
      {"run", "--impl", m.string(), "--filter", "privacy/attestation-fresh", "--profile", "strict"},
      SourceTree(), ReportDir()));
  const json report = ReportJson();
  const json* c = Case(report, "privacy/attestation-fresh");
  ASSERT_NE(c, nullptr);
  EXPECT_NE((*c)["verdict"], "PASS") << c->dump(1);
  const std::vector<std::string> v = VerdictsOf(*c, "PRIV-08");
  EXPECT_TRUE(Has(v, "FAIL") || Has(v, "WARN")) << c->dump(1);
}

// REV-04 and REV-07: where sct-04 has a SHOULD for http-00's SHALL, the
// same deliberate fault is a FAIL under http-00 and a WARN under sct-04.
struct Lowered {
  const char* name;
  const char* from;  // the manifest text the fault replaces
  const char* to;
  const char* scenario;
  const char* requirement;
};

class LoweredSeverity : public RevisionRun, public ::testing::WithParamInterface<Lowered> {};

TEST_P(LoweredSeverity, TheSameFaultFailsUnderHttp00AndWarnsUnderSct04) {
  const Lowered& p = GetParam();
  const fs::path sct = Sct04As(std::string(p.name) + "-sct", {{p.from, p.to}});
  Run({sct.string()}, p.scenario);
  const json report = ReportJson();
  const json* c = Case(report, p.scenario);
  ASSERT_NE(c, nullptr) << Stdout();
  const std::vector<std::string> under_sct = VerdictsOf(*c, p.requirement);
  EXPECT_TRUE(Has(under_sct, "WARN")) << c->dump(1);
  EXPECT_FALSE(Has(under_sct, "FAIL")) << c->dump(1);

  const fs::path http = ReferenceAs(std::string(p.name) + "-http", {{p.from, p.to}});
  RunHarness(With({"run", "--impl", http.string(), "--filter", p.scenario}, SourceTree(),
                  ReportDir("http")),
             "http");
  const json http_report = ReportJson("http");
  const json* h = Case(http_report, p.scenario);
  ASSERT_NE(h, nullptr) << Stdout("http");
  EXPECT_TRUE(Has(VerdictsOf(*h, p.requirement), "FAIL")) << h->dump(1);
}

INSTANTIATE_TEST_SUITE_P(Rev, LoweredSeverity,
                         ::testing::Values(
                             // REV-04: exactly one recipient is a SHOULD in sct-04 §2.
                             Lowered{"second", "\"--webhook-ca\", \"{ca}\"]",
                                     "\"--webhook-ca\", \"{ca}\", \"--fault\", \"bind-any-claim\"]",
                                     "relay/second-recipient-refused", "RELAY-31"},
                             // REV-07: sct-04 asks the clients (SHOULD) not to be correlatable.
                             Lowered{"cookie", "env: {}",
                                     "env: {TIGRESS_DEVICE_FAULT: send-cookie}",
                                     "interop/share-fragment-aes128", "PRIV-05"}),
                         [](const ::testing::TestParamInfo<Lowered>& param_info) {
                           return std::string(param_info.param.name);
                         });

}  // namespace
}  // namespace tigress::harness::e2e
