// Reproduction bundles: bundle.json round trip, the tar.gz layout, the
// refusal of unsafe archives, and the collection of a case directory.
#include "harness/repro/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;

BundleInfo SampleInfo() {
  BundleInfo info;
  info.case_id = "interop/share@ref+ref-b+ref";
  info.scenario_id = "interop/share";
  info.repetition = 2;
  info.run_seed = 18446744073709551615ULL;
  info.case_seed = 42;
  info.profile = "lenient";
  info.matrix = true;
  info.relay = "ref";
  info.initiator = "ref-b";
  info.recipient = "ref";
  info.verdict = "FAIL";
  info.findings.push_back({"RELAY-31", "FAIL", "second claim accepted", "401", "200"});
  info.implementations.push_back({"ref",
                                  "0.1.0",
                                  {"aes-128-gcm"},
                                  {"relay", "recipient"},
                                  "manifests/ref.yaml",
                                  "/x/ref.yaml",
                                  "/x"});
  info.command = "tigress-harness run --filter interop/share --seed 1";
  return info;
}
reports::Assertion Check(std::string req, reports::Verdict v, std::string message = "") {
  reports::Assertion a;
  a.requirement_id = std::move(req);
  a.verdict = v;
  a.message = std::move(message);
  return a;
}

class BundleTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure()) scratch_.Keep();  // the bundle and its inputs, to inspect
  }
  void Write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  static std::string ReadAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // A tar.gz with exactly the given entries, for archives WriteBundle would
  // never produce.
  void RawArchive(const fs::path& out,
                  const std::vector<std::tuple<std::string, int, std::string>>& entries) {
    archive* a = archive_write_new();
    archive_write_add_filter_gzip(a);
    archive_write_set_format_pax_restricted(a);
    ASSERT_EQ(archive_write_open_filename(a, out.c_str()), ARCHIVE_OK);
    for (const auto& [name, type, data] : entries) {
      archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, name.c_str());
      archive_entry_set_filetype(e, static_cast<unsigned>(type));
      archive_entry_set_perm(e, 0644);
      if (type == AE_IFLNK) {
        archive_entry_set_symlink(e, data.c_str());
        archive_entry_set_size(e, 0);
      } else {
        archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
      }
      archive_write_header(a, e);
      if (type == AE_IFREG) {
        archive_write_data(a, data.data(), data.size());
      }
      archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
  }
  test_support::ScratchDir scratch_{
      "tigress-bundle-" +
      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
  const fs::path dir_ = scratch_.path();
};

TEST(BundlePathTest, OnlyPlainRelativeMemberPathsAreSafe) {
  for (const char* ok : {"bundle.json", "case/http.log", "manifests/a-b.yaml", "a/b/c.d"}) {
    EXPECT_TRUE(IsSafeMemberPath(ok)) << ok;
  }
  for (const char* bad :
       {"", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/.", "a\\b", "a/\n", "case/"}) {
    EXPECT_FALSE(IsSafeMemberPath(bad)) << bad;
  }
}

TEST(BundleInfoTest, RoundTripsEveryField) {
  BundleInfo info = SampleInfo();
  info.expectations = "expectations.yaml";
  info.omitted = {"big.log (larger than 16 MiB)"};
  auto back = ParseBundleInfo(BundleInfoToJson(info));
  ASSERT_TRUE(back) << back.error().Message();
  EXPECT_EQ(back->case_id, info.case_id);
  EXPECT_EQ(back->scenario_id, info.scenario_id);
  EXPECT_EQ(back->repetition, 2);
  EXPECT_EQ(back->run_seed, 18446744073709551615ULL);
  EXPECT_EQ(back->case_seed, 42U);
  EXPECT_EQ(back->profile, "lenient");
  EXPECT_TRUE(back->matrix);
  EXPECT_EQ(back->initiator, "ref-b");
  ASSERT_EQ(back->findings.size(), 1U);
  EXPECT_EQ(back->findings[0].actual, "200");
  ASSERT_EQ(back->implementations.size(), 1U);
  EXPECT_EQ(back->implementations[0].roles, (std::vector<std::string>{"relay", "recipient"}));
  EXPECT_EQ(back->implementations[0].original_root, "/x");
  EXPECT_EQ(back->expectations, "expectations.yaml");
  EXPECT_EQ(back->omitted, info.omitted);
  EXPECT_EQ(back->command, info.command);
}

TEST(BundleInfoTest, RefusesAnotherFormatVersionAndUnsafeMemberNames) {
  std::string text = BundleInfoToJson(SampleInfo());
  std::string v2 = text;
  v2.replace(v2.find("\"format_version\": 1"), 19, "\"format_version\": 2");
  auto r = ParseBundleInfo(v2);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  std::string evil = text;
  evil.replace(evil.find("manifests/ref.yaml"), 18, "../../etc/passwd");
  ASSERT_FALSE(ParseBundleInfo(evil));
  EXPECT_FALSE(ParseBundleInfo("[1, 2]"));
}

TEST_F(BundleTest, WrittenBundleReadsBackWithItsMembersAndTheExecutableBit) {
  const fs::path out = dir_ / "repro-case.tar.gz";
  std::vector<BundleMember> members = {{"scenario.yaml", "id: interop/share\n", false},
                                       {"manifests/ref.yaml", "name: ref\n", false},
                                       {"case/repro.sh", "#!/bin/sh\nexit 0\n", true},
                                       {"case/empty.log", "", false}};
  ASSERT_TRUE(WriteBundle(out, SampleInfo(), members));
  EXPECT_FALSE(fs::exists(out.string() + ".part"));
  auto b = ReadBundle(out);
  ASSERT_TRUE(b) << b.error().Message();
  EXPECT_EQ(b->info.case_id, "interop/share@ref+ref-b+ref");
  EXPECT_EQ(b->info.files, (std::vector<std::string>{"scenario.yaml", "manifests/ref.yaml",
                                                     "case/repro.sh", "case/empty.log"}));
  ASSERT_EQ(b->members.size(), 4U);
  ASSERT_NE(b->Find("case/repro.sh"), nullptr);
  EXPECT_TRUE(b->Find("case/repro.sh")->executable);
  EXPECT_FALSE(b->Find("scenario.yaml")->executable);
  EXPECT_EQ(b->Find("manifests/ref.yaml")->data, "name: ref\n");
  EXPECT_EQ(b->Find("case/empty.log")->data, "");

  ASSERT_TRUE(ExtractBundle(*b, dir_ / "x"));
  EXPECT_EQ(ReadAll(dir_ / "x" / "scenario.yaml"), "id: interop/share\n");
  EXPECT_NE((fs::status(dir_ / "x" / "case" / "repro.sh").permissions() & fs::perms::owner_exec),
            fs::perms::none);
  EXPECT_TRUE(ParseBundleInfo(ReadAll(dir_ / "x" / "bundle.json")));
}

TEST_F(BundleTest, StandardTarListsEveryMemberUnderOneTopDirectory) {
  const fs::path out = dir_ / "repro-relay_x.tar.gz";
  ASSERT_TRUE(WriteBundle(out, SampleInfo(),
                          {{"scenario.yaml", "s", false}, {"manifests/ref.yaml", "m", false}}));
  auto tar = test_support::ChildProcess::Run({"/usr/bin/tar", "-tzf", out.string()});
  ASSERT_TRUE(tar) << tar.error().Message();
  ASSERT_EQ(tar->first, 0) << tar->second;
  EXPECT_EQ(tar->second,
            "repro-relay_x/bundle.json\nrepro-relay_x/scenario.yaml\n"
            "repro-relay_x/manifests/ref.yaml\n");
}

TEST_F(BundleTest, WriteRefusesUnsafeAndDuplicateMemberPaths) {
  auto r = WriteBundle(dir_ / "a.tar.gz", SampleInfo(), {{"../escape", "x", false}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  r = WriteBundle(dir_ / "b.tar.gz", SampleInfo(), {{"a", "1", false}, {"a", "2", false}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  r = WriteBundle(dir_ / "c.tar.gz", SampleInfo(), {{"bundle.json", "{}", false}});
  ASSERT_FALSE(r);
  EXPECT_FALSE(fs::exists(dir_ / "a.tar.gz"));
}

TEST_F(BundleTest, ReadRefusesTraversalLinksStrayMembersAndMissingBundleJson) {
  const std::string info = BundleInfoToJson(SampleInfo());
  const std::vector<std::tuple<std::string, int, std::string>> ok_rest = {
      {"t/bundle.json", AE_IFREG, info},
      {"t/scenario.yaml", AE_IFREG, "s"},
      {"t/manifests/ref.yaml", AE_IFREG, "m"}};
  RawArchive(dir_ / "ok.tar.gz", ok_rest);
  ASSERT_TRUE(ReadBundle(dir_ / "ok.tar.gz"));  // the control: the same archive, nothing added

  struct Case {
    const char* name;
    std::tuple<std::string, int, std::string> extra;
  };
  for (const Case& c : {Case{"traversal", {"t/../../evil", AE_IFREG, "x"}},
                        Case{"absolute", {"/tmp/evil", AE_IFREG, "x"}},
                        Case{"symlink", {"t/case/link", AE_IFLNK, "/etc/passwd"}},
                        Case{"second top directory", {"u/x", AE_IFREG, "x"}},
                        Case{"duplicate", {"t/scenario.yaml", AE_IFREG, "again"}}}) {
    auto entries = ok_rest;
    entries.push_back(c.extra);
    const fs::path p = dir_ / (std::string("bad-") + c.name + ".tar.gz");
    RawArchive(p, entries);
    auto r = ReadBundle(p);
    ASSERT_FALSE(r) << c.name;
    EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid)) << c.name << ": " << r.error().Message();
  }
  RawArchive(dir_ / "nojson.tar.gz", {{"t/scenario.yaml", AE_IFREG, "s"}});
  auto r = ReadBundle(dir_ / "nojson.tar.gz");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().Message().find("no bundle.json"), std::string::npos);
  RawArchive(dir_ / "nomanifest.tar.gz",
             {{"t/bundle.json", AE_IFREG, info}, {"t/scenario.yaml", AE_IFREG, "s"}});
  EXPECT_FALSE(ReadBundle(dir_ / "nomanifest.tar.gz"));
  Write(dir_ / "garbage.tar.gz", "this is not gzip");
  EXPECT_FALSE(ReadBundle(dir_ / "garbage.tar.gz"));
}

TEST_F(BundleTest, ReadNamesTheRefusedMemberAndTheRuleItBreaks) {
  const std::string info = BundleInfoToJson(SampleInfo());
  struct Case {
    const char* name;
    std::vector<std::tuple<std::string, int, std::string>> entries;
    std::string message;  // after "<archive>: "
  };
  const std::vector<Case> cases = {
      {"unsafe", {{"t/a/../b", AE_IFREG, "x"}}, "unsafe member path 't/a/../b'"},
      {"link", {{"t/link", AE_IFLNK, "/etc/passwd"}}, "member 't/link' is not a regular file"},
      {"outside",
       {{"t/bundle.json", AE_IFREG, info}, {"u/x", AE_IFREG, "x"}},
       "member 'u/x' is outside the top directory 't'"},
      {"no top", {{"loose", AE_IFREG, "x"}}, "member 'loose' is not inside a top directory"},
      {"twice",
       {{"t/scenario.yaml", AE_IFREG, "s"}, {"t/scenario.yaml", AE_IFREG, "s"}},
       "member 'scenario.yaml' appears twice"},
      {"no json",
       {{"t/scenario.yaml", AE_IFREG, "s"}},
       "no bundle.json (not a tigress-harness reproduction bundle)"},
      {"no scenario",
       {{"t/bundle.json", AE_IFREG, info}, {"t/manifests/ref.yaml", AE_IFREG, "m"}},
       "the scenario member 'scenario.yaml' is missing"},
      {"no manifest",
       {{"t/bundle.json", AE_IFREG, info}, {"t/scenario.yaml", AE_IFREG, "s"}},
       "the manifest member 'manifests/ref.yaml' is missing"},
  };
  for (const Case& c : cases) {
    const fs::path p = dir_ / (std::string(c.name) + ".tar.gz");
    RawArchive(p, c.entries);
    auto r = ReadBundle(p);
    ASSERT_FALSE(r) << c.name;
    EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid)) << c.name;
    EXPECT_EQ(r.error().detail, p.string() + ": " + c.message) << c.name;
  }
  auto r = ReadBundle(dir_ / "absent.tar.gz");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kIoFailure));
}

TEST_F(BundleTest, ReadRefusesMoreMembersThanTheCap) {
  std::vector<std::tuple<std::string, int, std::string>> entries = {
      {"t/bundle.json", AE_IFREG, BundleInfoToJson(SampleInfo())},
      {"t/scenario.yaml", AE_IFREG, "s"},
      {"t/manifests/ref.yaml", AE_IFREG, "m"}};
  for (std::size_t i = entries.size(); i < kMaxBundleMembers; ++i) {
    entries.emplace_back("t/case/f" + std::to_string(i), AE_IFREG, "");
  }
  RawArchive(dir_ / "full.tar.gz", entries);
  ASSERT_TRUE(ReadBundle(dir_ / "full.tar.gz"));  // exactly the cap is fine
  entries.emplace_back("t/case/one-more", AE_IFREG, "");
  RawArchive(dir_ / "over.tar.gz", entries);
  auto r = ReadBundle(dir_ / "over.tar.gz");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, (dir_ / "over.tar.gz").string() + ": more than " +
                                  std::to_string(kMaxBundleMembers) + " members");
}

TEST_F(BundleTest, ReadRefusesAMemberLargerThanTheCap) {
  RawArchive(dir_ / "big.tar.gz",
             {{"t/bundle.json", AE_IFREG, BundleInfoToJson(SampleInfo())},
              {"t/case/big.log", AE_IFREG, std::string(kMaxBundleMemberBytes + 1, 'x')}});
  auto r = ReadBundle(dir_ / "big.tar.gz");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  EXPECT_EQ(r.error().detail,
            (dir_ / "big.tar.gz").string() + ": member 't/case/big.log' is too large");
}

TEST_F(BundleTest, ReadRefusesMembersUnderTheMemberCapThatPassTheTotalCapTogether) {
  const std::string part(kMaxBundleMemberBytes - 4096, 'x');  // room for bundle.json
  std::vector<std::tuple<std::string, int, std::string>> entries = {
      {"t/bundle.json", AE_IFREG, BundleInfoToJson(SampleInfo())}};
  const std::size_t parts = kMaxBundleTotalBytes / part.size() + 1;
  for (std::size_t i = 0; i < parts; ++i) {
    entries.emplace_back("t/case/part" + std::to_string(i) + ".log", AE_IFREG, part);
  }
  RawArchive(dir_ / "total.tar.gz", entries);
  auto r = ReadBundle(dir_ / "total.tar.gz");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  EXPECT_EQ(r.error().detail,
            (dir_ / "total.tar.gz").string() + ": the members unpack to more than " +
                std::to_string(kMaxBundleTotalBytes >> 20U) + " MiB (at member 't/case/part" +
                std::to_string(parts - 1) + ".log')");
}

TEST_F(BundleTest, CaseBundleLeavesOutFilesThatWouldPassTheTotalCapAndStaysReadable) {
  const fs::path case_dir = dir_ / "cases" / "many";
  const std::size_t each = kMaxBundleMemberBytes - (1U << 20U);
  const std::size_t files = kMaxBundleTotalBytes / each + 1;
  for (std::size_t i = 0; i < files; ++i) {
    Write(case_dir / ("p" + std::to_string(i) + ".log"), std::string(each, 'y'));
  }
  reports::CaseResult c;
  c.case_id = "many";
  c.verdict = reports::Verdict::kFail;
  CaseBundleInput in;
  in.result = &c;
  in.case_dir = case_dir;
  in.scenario_id = "many";
  in.scenario_text = "id: many\n";
  auto path = WriteCaseBundle(in);
  ASSERT_TRUE(path) << path.error().Message();
  auto b = ReadBundle(*path);
  ASSERT_TRUE(b) << b.error().Message();
  ASSERT_EQ(b->info.omitted.size(), 1U);
  EXPECT_EQ(b->info.omitted[0], "p" + std::to_string(files - 1) + ".log (the bundle would pass " +
                                    std::to_string(kMaxBundleTotalBytes >> 20U) + " MiB)");
  EXPECT_EQ(b->members.size(), files);  // scenario.yaml and all but the last file
}

TEST_F(BundleTest, WriteRefusesMembersThatPassTheTotalCapTogether) {
  std::vector<BundleMember> members;
  for (std::size_t i = 0; i * kMaxBundleMemberBytes <= kMaxBundleTotalBytes; ++i) {
    members.push_back(
        {"case/f" + std::to_string(i), std::string(kMaxBundleMemberBytes, 'z'), false});
  }
  auto r = WriteBundle(dir_ / "repro-x.tar.gz", SampleInfo(), members);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  EXPECT_FALSE(fs::exists(dir_ / "repro-x.tar.gz"));
}

TEST(RedactManifestEnvTest, KeepsTheNamesAndReplacesEveryValue) {
  const std::string text =
      "name: acme\nrelay:\n  command: [x, --port, \"{port}\"]\n"
      "env: {LD_PRELOAD: /tmp/evil.so, ACME_TOKEN: tok-0123456789}\n";
  auto red = RedactManifestEnv(text, "/impl/acme.yaml");
  ASSERT_TRUE(red) << red.error().Message();
  EXPECT_EQ(red->find("/tmp/evil.so"), std::string::npos) << *red;
  EXPECT_EQ(red->find("tok-0123456789"), std::string::npos) << *red;
  auto m = LoadManifestString(*red, "/bundle/manifests/acme.yaml");
  ASSERT_TRUE(m) << m.error().Message() << "\n" << *red;
  using Env = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(m->env, (Env{{"LD_PRELOAD", std::string(kRedactedEnvValue)},
                         {"ACME_TOKEN", std::string(kRedactedEnvValue)}}));
  ASSERT_TRUE(m->relay);
  EXPECT_EQ(m->relay->command, (std::vector<std::string>{"x", "--port", "{port}"}));
}

TEST(RedactManifestEnvTest, LeavesAManifestWithoutEnvAsWritten) {
  const std::string text = "# my relay\nname: acme\nrelay: {command: [x]}\nenv: {}\n";
  auto red = RedactManifestEnv(text, "acme.yaml");
  ASSERT_TRUE(red);
  EXPECT_EQ(*red, text);
  auto bad = RedactManifestEnv("name: [unclosed\n", "bad.yaml");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().Is(Errc::kManifestInvalid));
  EXPECT_THAT(bad.error().detail, ::testing::StartsWith("bad.yaml: "));
}

TEST_F(BundleTest, CaseBundleCarriesManifestEnvNamesWithoutValues) {
  const fs::path case_dir = dir_ / "cases" / "env";
  Write(case_dir / "resolved.yaml", "case: env\n");
  Write(dir_ / "impl" / "acme.yaml",
        "name: acme\nrelay: {command: [x]}\nenv: {ACME_TOKEN: tok-0123456789}\n");
  Manifest m;
  m.name = "acme";
  m.path = dir_ / "impl" / "acme.yaml";
  m.root = dir_ / "impl";
  reports::CaseResult c;
  c.case_id = "env";
  c.verdict = reports::Verdict::kFail;
  CaseBundleInput in;
  in.result = &c;
  in.case_dir = case_dir;
  in.scenario_id = "env";
  in.relay = &m;
  auto path = WriteCaseBundle(in);
  ASSERT_TRUE(path) << path.error().Message();
  auto b = ReadBundle(*path);
  ASSERT_TRUE(b) << b.error().Message();
  const BundleMember* bundled = b->Find("manifests/acme.yaml");
  ASSERT_NE(bundled, nullptr);
  EXPECT_EQ(bundled->data.find("tok-0123456789"), std::string::npos) << bundled->data;
  EXPECT_NE(bundled->data.find("ACME_TOKEN"), std::string::npos) << bundled->data;
  EXPECT_NE(bundled->data.find(kRedactedEnvValue), std::string::npos) << bundled->data;
}

TEST_F(BundleTest, ExtractRefusesAnUnsafeMemberPath) {
  Bundle b;
  b.info = SampleInfo();
  b.members.push_back({"../escape", "x", false});
  auto r = ExtractBundle(b, dir_ / "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "unsafe member path '../escape'");
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
}

TEST_F(BundleTest, WriteIntoAMissingDirectoryIsAnIoFailureLeavingNothing) {
  const fs::path out = dir_ / "no-such-dir" / "repro-x.tar.gz";
  auto r = WriteBundle(out, SampleInfo(), {{"scenario.yaml", "s", false}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kIoFailure));
  EXPECT_EQ(r.error().detail.rfind(out.string() + ".part: ", 0), 0U) << r.error().Message();
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(BundleTest, CaseBundleCollectsTheCaseFilesRedactedWithoutWorkDirectories) {
  const fs::path case_dir = dir_ / "run" / "cases" / "interop_share";
  Write(case_dir / "resolved.yaml", "case: interop/share\n");
  Write(case_dir / "initiator.stderr.log", "debug: secret=S3CRET-VALUE-123 sent\n");
  Write(case_dir / "repro.sh", "#!/bin/sh\n");
  Write(case_dir / "relay.work" / "mailboxes.db", "database");
  Write(dir_ / "impl" / "ref.yaml", "name: ref\nrelay: {command: [x]}\n");
  Write(dir_ / "expect.yaml", "known_failures: []\n");
  Manifest m;
  m.name = "ref";
  m.version = "0.1.0";
  m.features = {"aes-128-gcm"};
  m.path = dir_ / "impl" / "ref.yaml";
  m.root = dir_ / "impl";
  reports::CaseResult c;
  c.case_id = "interop/share";
  c.seed = 99;
  c.relay = "ref";
  c.initiator = "ref";
  c.recipient = "ref";
  c.verdict = reports::Verdict::kFail;
  c.assertions.push_back(Check("INIT-08", reports::Verdict::kPass));
  c.assertions.push_back(
      Check("RELAY-31", reports::Verdict::kFail, "claim S3CRET-VALUE-123 accepted"));
  CaseBundleInput in;
  in.result = &c;
  in.case_dir = case_dir;
  in.scenario_id = "interop/share";
  in.scenario_text = "id: interop/share\n";
  in.run_seed = 7;
  in.profile = "strict";
  in.relay = &m;
  in.initiator = &m;
  in.recipient = &m;
  in.hello = [](const std::string&) {
    return std::pair<std::string, std::vector<std::string>>{"0.1.0+hello", {"relinquish"}};
  };
  in.expectations_path = dir_ / "expect.yaml";
  in.command = "tigress-harness run --filter interop/share --seed 7";
  in.redact = [](std::string_view s) {
    std::string out(s);
    for (auto p = out.find("S3CRET-VALUE-123"); p != std::string::npos;
         p = out.find("S3CRET-VALUE-123")) {
      out.replace(p, 16, "[REDACTED]");
    }
    return out;
  };
  auto path = WriteCaseBundle(in);
  ASSERT_TRUE(path) << path.error().Message();
  EXPECT_EQ(*path, case_dir / "repro-interop_share.tar.gz");
  // Written twice: the first bundle is not packed into the second.
  ASSERT_TRUE(WriteCaseBundle(in));
  auto b = ReadBundle(*path);
  ASSERT_TRUE(b) << b.error().Message();
  EXPECT_EQ(b->info.files,
            (std::vector<std::string>{"scenario.yaml", "manifests/ref.yaml", "expectations.yaml",
                                      "case/initiator.stderr.log", "case/repro.sh",
                                      "case/resolved.yaml"}));
  EXPECT_TRUE(b->Find("case/repro.sh")->executable);
  ASSERT_EQ(b->info.implementations.size(), 1U);
  EXPECT_EQ(b->info.implementations[0].roles,
            (std::vector<std::string>{"relay", "initiator", "recipient"}));
  EXPECT_EQ(b->info.implementations[0].version, "0.1.0+hello");
  EXPECT_EQ(b->info.implementations[0].features,
            (std::vector<std::string>{"aes-128-gcm", "relinquish"}));
  EXPECT_EQ(b->info.implementations[0].original_root, (dir_ / "impl").string());
  EXPECT_EQ(b->info.run_seed, 7U);
  EXPECT_EQ(b->info.case_seed, 99U);
  ASSERT_EQ(b->info.findings.size(), 1U);
  EXPECT_EQ(b->info.findings[0].requirement_id, "RELAY-31");
  EXPECT_EQ(b->info.findings[0].message, "claim [REDACTED] accepted");
  EXPECT_EQ(b->Find("case/initiator.stderr.log")->data, "debug: secret=[REDACTED] sent\n");
  // Nothing in the archive holds the value, compressed or not.
  for (const auto& mem : b->members) {
    EXPECT_EQ(mem.data.find("S3CRET-VALUE-123"), std::string::npos) << mem.path;
  }
}

TEST_F(BundleTest, CaseBundleLeavesOutAFileOverTheSizeCapAndSaysWhy) {
  const fs::path case_dir = dir_ / "cases" / "big_case";
  Write(case_dir / "resolved.yaml", "case: big\n");
  Write(case_dir / "huge.log", std::string(kMaxBundleMemberBytes + 1, 'x'));
  reports::CaseResult c;
  c.case_id = "big";
  c.verdict = reports::Verdict::kFail;
  CaseBundleInput in;
  in.result = &c;
  in.case_dir = case_dir;
  in.scenario_id = "big";
  in.scenario_text = "id: big\n";
  auto path = WriteCaseBundle(in);
  ASSERT_TRUE(path) << path.error().Message();
  auto b = ReadBundle(*path);
  ASSERT_TRUE(b) << b.error().Message();
  EXPECT_EQ(b->info.files, (std::vector<std::string>{"scenario.yaml", "case/resolved.yaml"}));
  EXPECT_EQ(b->info.omitted, (std::vector<std::string>{"huge.log (larger than 16 MiB)"}));
  EXPECT_EQ(b->Find("case/huge.log"), nullptr);
}

TEST_F(BundleTest, CaseBundleOfAnUnreadableManifestIsAnIoFailureNamingIt) {
  const fs::path case_dir = dir_ / "cases" / "c";
  Write(case_dir / "resolved.yaml", "case: c\n");
  Manifest m;
  m.name = "gone";
  m.path = dir_ / "impl" / "gone.yaml";  // never written
  reports::CaseResult c;
  c.case_id = "c";
  CaseBundleInput in;
  in.result = &c;
  in.case_dir = case_dir;
  in.scenario_id = "c";
  in.relay = &m;
  auto r = WriteCaseBundle(in);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kIoFailure));
  EXPECT_EQ(r.error().detail, m.path.string() + ": cannot read");
  EXPECT_FALSE(fs::exists(case_dir / BundleFileName(case_dir)));
}

TEST(BundleInfoTest, RefusesADocumentNestedTooDeepBeforeParsingIt) {
  const std::string deep = R"({"findings":)" + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  auto r = ParseBundleInfo(deep);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid));
  EXPECT_EQ(r.error().detail, "bundle.json: nested deeper than 128 levels");
}

TEST(BundleInfoTest, NamesTheFieldItRefuses) {
  const std::string base = BundleInfoToJson(SampleInfo());
  struct Case {
    const char* pointer;  // JSON pointer of the field to replace or remove
    const char* value;    // JSON text, or nullptr to remove the field
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"/format", R"("other")", "format is not 'tigress-harness/repro-bundle'"},
           {"/format_version", nullptr, "format_version must be 1"},
           {"/case_id", nullptr, "case_id is missing"},
           {"/scenario_id", "7", "scenario_id must be a string"},
           {"/repetition", "-1", "repetition must be a small non-negative integer"},
           {"/run_seed", "18", "run_seed must be a decimal string"},
           {"/case_seed", R"("18446744073709551616")", "case_seed must be a decimal string"},
           {"/matrix", R"("yes")", "matrix must be a boolean"},
           // A hostile bundle once crashed repro here (an uncaught type error).
           {"/expected_failure", R"("yes")", "expected_failure must be a boolean"},
           {"/roles", "[]", "roles must be an object"},
           {"/roles/initiator", "1", "roles.initiator must be a string"},
           {"/findings", "{}", "findings must be an array"},
           {"/findings/0", "1", "findings[0]. must be an object"},
           {"/findings/0/verdict", nullptr, "findings[0].verdict is missing"},
           {"/implementations", nullptr, "implementations must be an array"},
           {"/implementations/0", "1", "implementations[0]. must be an object"},
           {"/implementations/0/name", nullptr, "implementations[0].name is missing"},
           {"/implementations/0/features", R"([1])",
            "implementations[0].features must be an array of strings"},
           {"/implementations/0/manifest", R"("/etc/x")",
            "implementations[0].manifest is not a safe member path"},
           {"/scenario", R"("a/../b")", "scenario is not a safe member path"},
           {"/expectations", R"("../e")", "expectations is not a safe member path"},
           {"/files", R"("f")", "files must be an array of strings"},
       }) {
    nlohmann::json doc = nlohmann::json::parse(base);
    const nlohmann::json::json_pointer ptr(c.pointer);
    if (c.value == nullptr) {
      doc.at(ptr.parent_pointer()).erase(ptr.back());
    } else {
      doc[ptr] = nlohmann::json::parse(c.value);
    }
    auto r = ParseBundleInfo(doc.dump());
    ASSERT_FALSE(r) << c.pointer;
    EXPECT_TRUE(r.error().Is(Errc::kBundleInvalid)) << c.pointer;
    EXPECT_EQ(r.error().detail, std::string("bundle.json: ") + c.message) << c.pointer;
  }
  auto r = ParseBundleInfo("not json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "bundle.json: not a JSON object");
}

TEST(FailureSignatureTest, IsTheVerdictAndTheSortedUniqueRequirementIds) {
  std::vector<BundleFinding> f = {{"RELAY-31", "FAIL", "", "", ""},
                                  {"INIT-08", "FAIL", "", "", ""},
                                  {"RELAY-31", "FAIL", "", "", ""},
                                  {"", "ERROR", "", "", ""}};
  EXPECT_EQ(FailureSignature("ERROR", f), "ERROR [- INIT-08 RELAY-31]");
  EXPECT_EQ(FailureSignature("FAIL", {}), "FAIL []");
  reports::CaseResult c;
  c.assertions.push_back(Check("A-1", reports::Verdict::kWarn));
  c.assertions.push_back(Check("A-2", reports::Verdict::kTimeout));
  auto found = FailingFindings(c);
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].requirement_id, "A-2");
  EXPECT_EQ(found[0].verdict, "TIMEOUT");
}

}  // namespace
}  // namespace tigress::harness
