// Runs every shipped vector file against the protocol core.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "harness/kat/core_backend.h"
#include "harness/kat/runner.h"

namespace tigress::kat {
namespace {

std::filesystem::path Source(std::string_view rel) {
  return std::filesystem::path(TIGRESS_SOURCE_DIR) / rel;
}

nlohmann::json Load(std::string_view rel) {
  std::ifstream in(Source(rel));
  return nlohmann::json::parse(in);
}

void ExpectEveryVectorPasses(const FileReport& r, std::size_t at_least) {
  for (const auto& e : r.errors) ADD_FAILURE() << r.file << ": " << e;
  EXPECT_GE(r.results.size(), at_least) << r.file;
  for (const auto& v : r.results) {
    EXPECT_EQ(VerdictName(v.verdict), "PASS") << v.id << ": " << v.detail;
  }
}

TEST(PayloadAeadVectors, EveryVectorPassesAgainstTheCore) {
  CoreBackend core;
  const FileReport r = RunVectorFile(Source("vectors/payload_aead.json"), core);
  EXPECT_EQ(r.family, "payload_aead");
  ExpectEveryVectorPasses(r, 40);
}

TEST(ShareUrlVectors, EveryVectorPassesAgainstTheCore) {
  CoreBackend core;
  const FileReport r = RunVectorFile(Source("vectors/share_url.json"), core);
  EXPECT_EQ(r.family, "share_url");
  ExpectEveryVectorPasses(r, 40);
}

TEST(MessageVectors, EveryVectorPassesAgainstTheCore) {
  CoreBackend core;
  const FileReport r = RunVectorFile(Source("vectors/messages.json"), core);
  EXPECT_EQ(r.family, "messages");
  ExpectEveryVectorPasses(r, 40);
}

TEST(ShippedVectors, IncludeEveryCatalogueD3VectorAndTheDraftExamples) {
  std::set<std::string> ids;
  for (const char* f : {"vectors/payload_aead.json", "vectors/share_url.json"}) {
    const nlohmann::json doc = Load(f);
    for (const auto& t : doc["tests"]) ids.insert(t["id"].get<std::string>());
  }
  for (const char* id :
       {"payload-aead-001-kat1", "payload-aead-011-kat1-tampered", "payload-aead-012-kat1-wrongkey",
        "payload-aead-002-kat2", "payload-aead-003-kat3-empty-plaintext",
        "payload-aead-004-kat-url-3-payload", "share-url-001-d2-draft-example",
        "share-url-003-d3-sample-impl-share-url", "share-url-004-kat-url-3-standard",
        "share-url-005-kat-url-3-urlsafe", "share-url-006-kat-url-3-unpadded",
        "share-url-008-kat-url-3-percent-encoded", "share-url-049-build-d2",
        "share-url-050-build-kat-url-3"}) {
    EXPECT_TRUE(ids.contains(id)) << id;
  }
}

TEST(ShippedVectors, KeepTheCatalogueD3ValuesVerbatim) {
  const nlohmann::json payload = Load("vectors/payload_aead.json")["tests"];
  EXPECT_EQ(
      payload[0]["dataBase64"],
      "AAECAwQFBgcICQoL+/Z5YN6e+U3cK1u8LEg4+h9q6F2v/K+o/mKGkWjzuY1twrugcJRellH5peuD6x11jD0yPemZ"
      "u9x05SolUkCVfZzE");
  EXPECT_EQ(payload[0]["keyHex"], "85796be9a442eca809a4e2d335968bb3");
  EXPECT_EQ(payload[2]["dataBase64"], "AAECAwQFBgcICQoL6JUXclvEElsyNKDxa4zpEA==");
  EXPECT_EQ(payload[10]["dataBase64"].get<std::string>().substr(100), "fZzF");
  const nlohmann::json urls = Load("vectors/share_url.json")["tests"];
  EXPECT_EQ(urls[0]["url"],
            "https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002"
            "?v=c#hXlr6aRC7KgJpOLTNZaLsw==");
  EXPECT_EQ(urls[0]["secretBase64"], "hXlr6aRC7KgJpOLTNZaLsw==");
}

TEST(ShippedVectors, CoverEveryRejectionRuleAndTotalAtLeastSixty) {
  std::set<std::string> tokens;
  std::size_t total = 0;
  for (const char* f :
       {"vectors/payload_aead.json", "vectors/share_url.json", "vectors/messages.json"}) {
    const nlohmann::json doc = Load(f);
    for (const auto& t : doc["tests"]) {
      ++total;
      if (t["result"] == "invalid") tokens.insert(t["error"].get<std::string>());
    }
  }
  EXPECT_GE(total, 60U);
  for (const char* token :
       {"payload.auth_failed", "payload.too_short", "base64.invalid", "payload.key_length_mismatch",
        "payload.cipher_unknown", "payload.iv_length", "url.invalid", "url.not_https",
        "url.bad_host", "url.bad_path", "url.bad_mailbox_id", "url.bad_secret", "url.bad_vertical",
        "json.invalid", "json.field_missing", "json.field_type", "json.field_invalid",
        "json.field_unknown", "payload.not_provisioning_info"}) {
    EXPECT_TRUE(tokens.contains(token)) << token;
  }
}

TEST(WycheproofStyleFile, RunsUsableGroupsAndCountsTheSkippedOnes) {
  CoreBackend core;
  const FileReport r =
      RunVectorFile(Source("tests/kat/fixtures/wycheproof_style_aes_gcm.json"), core);
  EXPECT_EQ(r.family, "wycheproof_aead");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.skipped_groups.size(), 3U);
  EXPECT_EQ(r.skipped_groups[0].group_index, 2U);
  EXPECT_NE(r.skipped_groups[0].reason.find("keySize 192"), std::string::npos);
  EXPECT_NE(r.skipped_groups[1].reason.find("ivSize 64"), std::string::npos);
  EXPECT_NE(r.skipped_groups[2].reason.find("tagSize 96"), std::string::npos);
  std::size_t in_groups = 0;
  for (const auto& g : r.skipped_groups) in_groups += g.tests;
  EXPECT_EQ(in_groups, 5U);
  const Summary s = Summarize({r});
  EXPECT_EQ(s.passed, 8U);
  EXPECT_EQ(s.failed, 0U);
  EXPECT_EQ(s.skipped, 6U);  // 5 in skipped groups + 1 with non-empty aad
  for (const auto& v : r.results) {
    if (v.id == "wycheproof_style_aes_gcm#5") {
      EXPECT_EQ(v.verdict, Verdict::kSkip);
      EXPECT_NE(v.detail.find("aad"), std::string::npos);
    }
    if (v.id == "wycheproof_style_aes_gcm#4") {
      EXPECT_EQ(v.verdict, Verdict::kPass) << v.detail;
    }
  }
}

TEST(VectorsCommand, PrintsOneLinePerVectorAndTheSummary) {
  CoreBackend core;
  std::ostringstream out;
  const int rc = RunVectorsCommand({Source("vectors/payload_aead.json").string()}, out, core,
                                   /*verbose=*/false);
  EXPECT_EQ(rc, 0);
  const std::string text = out.str();
  EXPECT_NE(text.find("\nPASS payload-aead-001-kat1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nPASS payload-aead-049-seal-legacy-type\n"), std::string::npos);
  EXPECT_TRUE(text.ends_with("\n49 passed, 0 failed, 0 skipped\n")) << text;
}

TEST(VectorsCommand, SaysHowManyWycheproofGroupsAndTestsItSkipped) {
  CoreBackend core;
  std::ostringstream out;
  const int rc = RunVectorsCommand(
      {Source("tests/kat/fixtures/wycheproof_style_aes_gcm.json").string()}, out, core, false);
  EXPECT_EQ(rc, 0);
  const std::string text = out.str();
  EXPECT_NE(text.find("skipped 3 groups (5 tests) the protocol does not use"), std::string::npos)
      << text;
  EXPECT_NE(text.find("SKIP wycheproof_style_aes_gcm#5: non-empty aad"), std::string::npos);
  EXPECT_TRUE(text.ends_with("8 passed, 0 failed, 6 skipped\n")) << text;
}

TEST(DefaultVectorFiles, ListsVectorFilesButNotSchemasOrTheRequirementsCatalogue) {
  const auto files = DefaultVectorFiles(Source("vectors"));
  std::set<std::string> names;
  for (const auto& f : files) names.insert(std::filesystem::path(f).filename().string());
  EXPECT_TRUE(names.contains("payload_aead.json"));
  EXPECT_TRUE(names.contains("share_url.json"));
  EXPECT_TRUE(names.contains("messages.json"));
  for (const auto& n : names) {
    EXPECT_FALSE(n.ends_with(".schema.json")) << n;
    EXPECT_FALSE(n.starts_with("requirements")) << n;
  }
}

}  // namespace
}  // namespace tigress::kat
