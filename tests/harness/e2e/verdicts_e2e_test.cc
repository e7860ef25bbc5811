// End-to-end proofs that verdicts rest on the text: the harness runs against
// the reference relay with its legal-but-unusual quirks (no FAIL may follow,
// and each choice must still be seen by a check that ran) and with real
// violations (each must FAIL the requirement it breaks), and against device
// variants whose answers used to read as UNSUPPORTED, ERROR or PASS.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness::e2e {
namespace {

using nlohmann::json;

const std::string kVariantDevice = kSourceDir + "/tests/harness/fixtures/variant_device.py";

class VerdictRun : public HarnessRunTest {
 protected:
  VerdictRun() : HarnessRunTest("tigress-verdicts-e2e") {}

  // The reference manifest as `name` with relay flags added to its command.
  fs::path RelayWith(const std::string& name, const std::vector<std::string>& flags) {
    std::string extra;
    for (const auto& f : flags) extra += ", \"" + f + "\"";
    return ReferenceAs(
        name, {{"\"--webhook-ca\", \"{ca}\"]", "\"--webhook-ca\", \"{ca}\"" + extra + "]"}});
  }

  // The reference manifest as `name` whose device runs behind
  // fixtures/variant_device.py `variant`.
  fs::path DeviceVariant(const std::string& name, const std::string& variant) {
    return ReferenceAs(name, {{"command: [\"{bindir}/tigress-device\"",
                               "command: [\"/usr/bin/python3\", \"" + kVariantDevice + "\", \"" +
                                   variant + "\", \"--\", \"{bindir}/tigress-device\""}});
  }

  // Runs the cases matching `filter` with `manifests` and the role picks.
  int Run(const std::vector<std::string>& manifests, const std::string& filter,
          const std::vector<std::string>& roles = {}) {
    std::vector<std::string> args = {"run"};
    for (const auto& m : manifests) args.insert(args.end(), {"--impl", m});
    args = With(args, roles, std::vector<std::string>{"--filter", filter, "-j", "2"}, SourceTree(),
                ReportDir());
    return RunHarness(args);
  }
};

TEST_F(VerdictRun, LegalRelayChoicesGetNoFailAndAreStillRecorded) {
  const fs::path m = RelayWith(
      "quirky", {"--quirk", "method-501", "--quirk", "head-405", "--quirk", "early-413-close",
                 "--quirk", "any-request-id", "--quirk", "opaque-data", "--quirk", "trailing-slash",
                 "--quirk", "large-headers", "--quirk", "og-image-any-scheme"});
  const int rc = Run({m.string()}, "relay/*");
  const json report = ReportJson();
  for (const auto& c : report["cases"]) {
    EXPECT_NE(c["verdict"], "FAIL") << c["id"] << "\n" << c["assertions"].dump(1);
    EXPECT_NE(c["verdict"], "ERROR") << c["id"] << ": " << c["error_detail"];
    EXPECT_NE(c["verdict"], "TIMEOUT") << c["id"] << ": " << c["error_detail"];
  }
  EXPECT_EQ(rc, 0) << Stdout();
  // The checks ran and saw the choices: HEAD refused is a warning, the
  // oversized body got its 413 although the relay closed early, a non-UUID
  // Request-ID and undecoded payload data were accepted and recorded.
  const json* methods = Case(report, "relay/robust-methods");
  ASSERT_NE(methods, nullptr);
  EXPECT_TRUE(Has(VerdictsOf(*methods, "RELAY-62"), "WARN")) << methods->dump(1);
  const json* oversize = Case(report, "relay/oversize-body");
  ASSERT_NE(oversize, nullptr);
  EXPECT_TRUE(Has(VerdictsOf(*oversize, "RELAY-71"), "PASS")) << oversize->dump(1);
  const json* base64 = Case(report, "relay/robust-base64");
  ASSERT_NE(base64, nullptr);
  EXPECT_TRUE(Has(VerdictsOf(*base64, "RELAY-70"), "INFO")) << base64->dump(1);
}

struct Violation {
  std::string fault;
  std::string case_id;
  std::string requirement;
};

class RelayViolation : public VerdictRun, public ::testing::WithParamInterface<Violation> {};

TEST_P(RelayViolation, FailsTheRequirementItBreaks) {
  const Violation& v = GetParam();
  const fs::path m = RelayWith("faulty", {"--fault", v.fault});
  const int rc = Run({m.string()}, v.case_id);
  EXPECT_EQ(rc, 1) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, v.case_id);
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_EQ((*c)["verdict"], "FAIL") << c->dump(1);
  EXPECT_TRUE(Has(VerdictsOf(*c, v.requirement), "FAIL"))
      << v.fault << " must FAIL " << v.requirement << "\n"
      << c->dump(1);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, RelayViolation,
    ::testing::Values(Violation{"method-500", "relay/robust-methods", "RELAY-61"},
                      Violation{"head-500", "relay/robust-methods", "RELAY-61"},
                      Violation{"duplicate-claim-any", "relay/robust-headers", "RELAY-66"},
                      // The positive control catches it: never a PASS of the refusals.
                      Violation{"refuse-creates", "relay/create-past-expiration", "RELAY-01"},
                      Violation{"refuse-creates", "relay/create-missing-field", "RELAY-01"}),
    [](const ::testing::TestParamInfo<Violation>& p) {
      std::string name = p.param.fault + "_" + p.param.case_id;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST_F(VerdictRun, ARelayRefusingEveryCreateIsOneRootCauseChargedToRelay01) {
  const fs::path m = RelayWith("refuser", {"--fault", "refuse-creates"});
  const int rc = Run({m.string()}, "interop/share-*");
  EXPECT_EQ(rc, 1);
  const json report = ReportJson();
  ASSERT_FALSE(report["cases"].empty());
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "FAIL") << c["id"] << "\n" << c["assertions"].dump(1);
    EXPECT_TRUE(Has(VerdictsOf(c, "RELAY-01"), "FAIL")) << c.dump(1);
    EXPECT_NE(c["failure_signature"].get<std::string>().find("CreateMailbox refused, 400"),
              std::string::npos)
        << c["failure_signature"];
    EXPECT_FALSE(c["not_evaluated"].empty()) << c["id"];
  }
  const std::string summary = ReadFile(dir_ / "reports" / "run" / "summary.md");
  const auto root = summary.find("Root causes");
  ASSERT_NE(root, std::string::npos) << summary;
  EXPECT_NE(summary.find("CreateMailbox refused", root), std::string::npos) << summary;
}

TEST_F(VerdictRun, AnUnimplementedBaselineMethodIsAFailNotUnsupported) {
  const fs::path variant = DeviceVariant("no-share", "no-share");
  const int rc =
      Run({kReferenceManifest, variant.string()}, "interop/share-fragment-aes128",
          {"--relay", "reference", "--initiator", "no-share", "--recipient", "reference"});
  EXPECT_EQ(rc, 1) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, "interop/share-fragment-aes128");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ((*c)["verdict"], "FAIL") << c->dump(1);
  bool unimplemented_fails = false;
  for (const auto& a : (*c)["assertions"]) {
    unimplemented_fails = unimplemented_fails ||
                          (a["verdict"] == "FAIL" &&
                           a["message"].get<std::string>().find("-32601") != std::string::npos);
  }
  EXPECT_TRUE(unimplemented_fails) << c->dump(1);
}

TEST_F(VerdictRun, ARefusedShareUrlVariantIsTheRecipientsVerdictOnUrl09) {
  const fs::path variant = DeviceVariant("strict-url", "strict-share-url");
  Run({kReferenceManifest, variant.string()}, "device/recipient-fragment-encodings",
      {"--relay", "reference", "--initiator", "reference", "--recipient", "strict-url"});
  const json report = ReportJson();
  const json* c = Case(report, "device/recipient-fragment-encodings");
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_EQ((*c)["verdict"], "FAIL") << c->dump(1);
  EXPECT_TRUE(Has(VerdictsOf(*c, "URL-09"), "FAIL")) << c->dump(1);
}

TEST_F(VerdictRun, AFailedRelinquishStopsTheCaseAsAFailNotAPass) {
  const fs::path variant = DeviceVariant("no-relinquish", "relinquish-fails");
  Run({kReferenceManifest, variant.string()}, "interop/relinquish-rebind",
      {"--relay", "reference", "--initiator", "reference", "--recipient", "no-relinquish"});
  const json report = ReportJson();
  const json* c = Case(report, "interop/relinquish-rebind");
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_EQ((*c)["verdict"], "FAIL") << c->dump(1);
  EXPECT_TRUE((*c)["stopped_early"].get<bool>());
  EXPECT_FALSE((*c)["not_evaluated"].empty()) << c->dump(1);
}

TEST_F(VerdictRun, ARunWhereEveryCaseIsUnsupportedExitsOne) {
  const fs::path m = ReferenceAs("no-push", {{", push-webhook]", "]"}});
  const int rc = Run({m.string()}, "relay/push-notifies-other-party");
  EXPECT_EQ(rc, 1) << Stdout();
  EXPECT_NE(Stdout().find("nothing was tested"), std::string::npos) << Stdout();
}

TEST_F(VerdictRun, AWeakSecretIsCaughtAsPayload15) {
  const fs::path weak = ReferenceAs(
      "weak", {{"\"{bindir}/tigress-device\", \"adapter\"",
                "\"{bindir}/tigress-device\", \"--fault\", \"weak-secret\", \"adapter\""}});
  Run({kReferenceManifest, weak.string()}, "interop/share-fragment-aes128",
      {"--relay", "reference", "--initiator", "weak", "--recipient", "reference"});
  const json report = ReportJson();
  const json* c = Case(report, "interop/share-fragment-aes128");
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_TRUE(Has(VerdictsOf(*c, "PAYLOAD-15"), "WARN")) << c->dump(1);
}

// interop/request-id-retry asks the initiator for two resends (feature
// request-id-retry). A device that declares the feature but drops the flag
// resends nothing: the transcript shows it and INIT-07 and REPLAY-09 FAIL,
// where the reference resends and the relay's 201s are seen (REPLAY-02/03).
TEST_F(VerdictRun, ADeviceThatIgnoresRequestIdRetryFailsTheRetryCase) {
  const fs::path variant = DeviceVariant("no-retry", "ignore-request-id-retry");
  const int rc =
      Run({kReferenceManifest, variant.string()}, "interop/request-id-retry",
          {"--relay", "reference", "--initiator", "no-retry", "--recipient", "reference"});
  EXPECT_EQ(rc, 1) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, "interop/request-id-retry");
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_EQ((*c)["verdict"], "FAIL") << c->dump(1);
  EXPECT_TRUE(Has(VerdictsOf(*c, "INIT-07"), "FAIL")) << c->dump(1);
  EXPECT_TRUE(Has(VerdictsOf(*c, "REPLAY-09"), "FAIL")) << c->dump(1);
  EXPECT_TRUE(VerdictsOf(*c, "REPLAY-02").empty()) << "no resend, nothing for the relay to answer";
}

// The relay's side of the same check: a relay that processes the resend
// again (200, a second mailbox) instead of answering 201 fails REPLAY-02 on
// the transcript, where the reference device did resend.
TEST_F(VerdictRun, ARelayThatReprocessesAResendFailsReplay02OnTheTranscript) {
  const fs::path m = ReferenceAs(
      "reprocess", {{"\"--webhook-ca\", \"{ca}\"]",
                     "\"--webhook-ca\", \"{ca}\", \"--fault\", \"duplicate-reprocessed\"]"}});
  EXPECT_EQ(Run({m.string()}, "interop/request-id-retry"), 1) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, "interop/request-id-retry");
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_TRUE(Has(VerdictsOf(*c, "REPLAY-02"), "FAIL")) << c->dump(1);
}

TEST_F(VerdictRun, TheReferenceResendsAndTheRetryCasePassesOnTheTranscript) {
  const int rc = Run({kReferenceManifest}, "interop/request-id-retry");
  EXPECT_EQ(rc, 0) << Stdout();
  const json report = ReportJson();
  const json* c = Case(report, "interop/request-id-retry");
  ASSERT_NE(c, nullptr) << Stdout();
  EXPECT_EQ((*c)["verdict"], "PASS") << c->dump(1);
  for (const char* req : {"REPLAY-02", "REPLAY-03", "REPLAY-12", "INIT-07", "REPLAY-09"}) {
    const std::vector<std::string> v = VerdictsOf(*c, req);
    EXPECT_FALSE(v.empty()) << req << "\n" << c->dump(1);
    EXPECT_TRUE(std::all_of(v.begin(), v.end(), [](const std::string& x) { return x == "PASS"; }))
        << req << "\n"
        << c->dump(1);
  }
  bool seen = false;
  for (const auto& a : (*c)["assertions"]) {
    seen = seen || a["message"].get<std::string>().rfind("oracle request-id-retried: ", 0) == 0;
  }
  EXPECT_TRUE(seen) << c->dump(1);
}

}  // namespace
}  // namespace tigress::harness::e2e
