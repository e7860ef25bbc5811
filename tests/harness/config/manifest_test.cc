#include "harness/config/manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using ::testing::HasSubstr;

constexpr char kGood[] = R"(name: acme-relay
version: "1.2"
relay:
  command: ["{bindir}/relay", "--listen", "127.0.0.1:{port}", "--cert", "{cert}",
            "--key", "{key}", "--data", "{workdir}", "--url", "{public_url}", "--ca={ca}", "{root}/x"]
  ready: {stdout: "READY", timeout: 3s}
  base_url: "https://localhost:{port}"
device:
  command: ["{root}/device", "adapter"]
features: [relinquish]
env: {ACME_HOME: "{workdir}/home"}
)";

TEST(Manifest, LoadsEveryFieldAndSubstitutesEveryPlaceholder) {
  auto m = LoadManifestString(kGood, "/impls/acme.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_EQ(m->name, "acme-relay");
  EXPECT_EQ(m->version, "1.2");
  EXPECT_EQ(m->root, "/impls");
  ASSERT_TRUE(m->relay && m->device);
  EXPECT_EQ(m->relay->ready.kind, ReadySpec::Kind::kStdout);
  EXPECT_EQ(m->relay->ready.token, "READY");
  EXPECT_EQ(m->relay->ready.timeout.count(), 3000);
  EXPECT_TRUE(m->HasFeature("relinquish"));
  Placeholders ph{.root = m->root.string(),
                  .port = "4433",
                  .cert = "/c.pem",
                  .key = "/k.pem",
                  .ca = "/ca.pem",
                  .workdir = "/w",
                  .public_url = "https://localhost:9999",
                  .bindir = "/bin"};
  EXPECT_THAT(ExpandCommand(m->relay->command, ph),
              ::testing::ElementsAre("/bin/relay", "--listen", "127.0.0.1:4433", "--cert", "/c.pem",
                                     "--key", "/k.pem", "--data", "/w", "--url",
                                     "https://localhost:9999", "--ca=/ca.pem", "/impls/x"));
  EXPECT_EQ(Expand(m->relay->base_url, ph), "https://localhost:4433");
  EXPECT_EQ(Expand(m->env[0].second, ph), "/w/home");
}

TEST(Manifest, ReadsTheDraftRevisionItSpeaksDefaultingToHttp00) {
  auto m = LoadManifestString(kGood, "/impls/acme.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_EQ(m->spec, Revision::kHttp00);
  m = LoadManifestString(std::string(kGood) + "spec: sct-04\n", "/impls/acme.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_EQ(m->spec, Revision::kSct04);
  m = LoadManifestString(std::string(kGood) + "spec: sct-03\n", "/impls/acme.yaml");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().Message(), HasSubstr("acme.yaml:12"));
  EXPECT_THAT(m.error().Message(), HasSubstr("spec 'sct-03' is not a known draft revision (known: "
                                             "http-00, sct-04)"));
}

TEST(Manifest, AMisspelledFeatureIsAnErrorNamingItsLineAndTheNearestKnownName) {
  std::string text = kGood;
  text.replace(text.find("features: [relinquish]"), 22, "features: [relinquish, atestation]");
  auto m = LoadManifestString(text, "/impls/acme.yaml");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().Message(), HasSubstr("acme.yaml:10"));
  EXPECT_THAT(m.error().Message(), HasSubstr("unknown feature 'atestation' (did you mean "
                                             "'attestation'? known: aes-128-gcm"));
  EXPECT_EQ(CheckFeatureName("relinquish"), "");
  EXPECT_THAT(CheckFeatureName("quantum"), ::testing::Not(HasSubstr("did you mean")));
}

TEST(Manifest, AnUnknownFeatureGivenAsAScalarIsAnErrorNotAnException) {
  // Found by fuzz/manifest_fuzz.cc: the error pointed at element 0 of a scalar.
  auto m =
      LoadManifestString("name: d\ndevice:\n  command: [a]\nfeatures: quantum\n", "/impls/d.yaml");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().Message(), HasSubstr("d.yaml:4"));
  EXPECT_THAT(m.error().Message(), HasSubstr("unknown feature 'quantum'"));
}

TEST(Manifest, AKeyThatIsNotANameIsAnErrorNotAnException) {
  // Found by fuzz/manifest_fuzz.cc: reading the key as a string threw.
  auto m = LoadManifestString("name: x\nrelay: {[a]: b}\n", "/impls/x.yaml");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().Message(), HasSubstr("x.yaml:2"));
  EXPECT_THAT(m.error().Message(), HasSubstr("a key in relay must be a name"));
}

TEST(Manifest, AnEnvNameThatIsASequenceIsAnErrorNotAnException) {
  // Found by fuzz/manifest_fuzz.cc: reading the env key as a string threw.
  auto m = LoadManifestString("name: x\ndevice:\n  command: [a]\nenv:  { [a]}\n", "/impls/x.yaml");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().Message(), HasSubstr("x.yaml:4"));
  EXPECT_THAT(m.error().Message(), HasSubstr("env name must be a plain name"));
}

TEST(Manifest, ExportsPlaceholdersAsTigressEnvironment) {
  Placeholders ph{
      .port = "1", .cert = "c", .key = "k", .ca = "a", .workdir = "w", .public_url = "u"};
  auto env = PlaceholderEnv(ph);
  EXPECT_THAT(env, ::testing::Contains(std::pair<std::string, std::string>("TIGRESS_PORT", "1")));
  EXPECT_THAT(env,
              ::testing::Contains(std::pair<std::string, std::string>("TIGRESS_PUBLIC_URL", "u")));
  EXPECT_THAT(env, ::testing::Contains(std::pair<std::string, std::string>("TIGRESS_CA", "a")));
}

TEST(Manifest, LeavesNonPlaceholderBracesAlone) {
  EXPECT_EQ(Expand(R"({"a":1} {port})", Placeholders{.port = "7"}), R"({"a":1} 7)");
}

TEST(Manifest, DefaultsRelayReadinessToTcpAndBaseUrlToLocalhost) {
  auto m = LoadManifestString("name: r\nrelay:\n  command: [\"/bin/true\"]\n", "/x/r.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_EQ(m->relay->ready.kind, ReadySpec::Kind::kTcp);
  EXPECT_EQ(m->relay->ready.timeout.count(), kDefaultReadyTimeoutMs);
  EXPECT_EQ(m->relay->base_url, "https://localhost:{port}");
}

TEST(Manifest, ReadsARelayThatReportsItsPort) {
  auto m = LoadManifestString(
      "name: r\nrelay:\n  command: [\"/bin/relay\", \"--port\", \"{port}\"]\n"
      "  ready: {stdout: \"READY\", port: true, timeout: 10s}\n",
      "/x/r.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_EQ(m->relay->ready.kind, ReadySpec::Kind::kStdout);
  EXPECT_TRUE(m->relay->ready.reports_port);
  EXPECT_EQ(m->relay->ready.timeout.count(), 10000);
}

TEST(Manifest, ARelayDoesNotReportItsPortUnlessItSaysSo) {
  auto m = LoadManifestString(kGood, "/impls/acme.yaml");
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_FALSE(m->relay->ready.reports_port);
  auto off = LoadManifestString(
      "name: r\nrelay:\n  command: [a]\n  ready: {stdout: \"READY\", port: false}\n", "r.yaml");
  ASSERT_TRUE(off) << off.error().Message();
  EXPECT_FALSE(off->relay->ready.reports_port);
}

TEST(Manifest, BothShippedManifestsHaveTheirRelaysReportTheirPorts) {
  for (const char* rel :
       {"implementations/reference.yaml", "implementations/python-example/manifest.yaml"}) {
    SCOPED_TRACE(rel);
    auto m = LoadManifest(std::string(TIGRESS_SOURCE_DIR) + "/" + rel);
    ASSERT_TRUE(m) << m.error().Message();
    ASSERT_TRUE(m->relay);
    EXPECT_EQ(m->relay->ready.kind, ReadySpec::Kind::kStdout);
    EXPECT_TRUE(m->relay->ready.reports_port);
  }
}

struct BadCase {
  const char* text;
  const char* message;
};

class ManifestErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ManifestErrors, NameFileAndLine) {
  auto m = LoadManifestString(GetParam().text, "impl.yaml");
  ASSERT_FALSE(m);
  EXPECT_TRUE(m.error().Is(Errc::kManifestInvalid)) << m.error().Message();
  EXPECT_THAT(m.error().Message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ManifestErrors,
    ::testing::Values(
        BadCase{"name: x\nrelay:\n  command: [a]\n  comand: [b]\n",
                "impl.yaml:4: unknown key 'comand'"},
        BadCase{"name: x\nrelay:\n  command: [\"{prot}\"]\n",
                "impl.yaml:3: unknown placeholder {prot}"},
        BadCase{"name: Bad_Name\ndevice:\n  command: [a]\n", "impl.yaml:1: name 'Bad_Name'"},
        BadCase{"name: x\ndevice:\n  command: []\n",
                "impl.yaml:3: device.command must not be empty"},
        BadCase{"name: x\nrelay:\n  command: [a]\n  ready: {tcp: true, timeout: soon}\n",
                "impl.yaml:4:"},
        BadCase{"name: x\n", "a manifest must provide relay, device or both"},
        BadCase{"name: x\nrelay: {command: [a], base_url: \"http://x\"}\n",
                "must start with https://"},
        BadCase{"name: [x\n", "impl.yaml:2:1: YAML syntax error"},
        BadCase{"version: 1\ndevice: {command: [a]}\n", "missing key 'name'"},
        BadCase{"name: x\nrelay:\n  command: [a]\n  ready: {tcp: true, port: true}\n",
                "impl.yaml:4: ready.port: true needs stdout readiness"},
        BadCase{"name: x\nrelay:\n  command: [a]\n  ready:\n    port: true\n",
                "impl.yaml:5: ready.port: true needs stdout readiness"},
        BadCase{"name: x\nrelay:\n  command: [a]\n  ready: {stdout: READY, port: maybe}\n",
                "impl.yaml:4:"},
        BadCase{"name: x\ndevice:\n  command: [a]\n  ready: {stdout: READY, port: true}\n",
                "impl.yaml:4: device.ready.port: only a relay reports a port"}));

}  // namespace
}  // namespace tigress::harness
