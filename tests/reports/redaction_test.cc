#include "reports/redaction.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/writers.h"
#include "tests/reports/sample_run.h"

namespace tigress::reports {
namespace {

using testing::kSecret;
using testing::kSecretB64;

// Every form the Secret may take on the wire or in a log.
std::vector<std::string> SecretForms() {
  return {
      kSecretB64,                          // standard, padded
      "hXlr6aRC7KgJpOLTNZaLsw",            // standard, unpadded
      "hXlr6aRC7KgJpOLTNZaLsw%3D%3D",      // percent-encoded
      "hXlr6aRC7KgJpOLTNZaLsw%3d%3d",      // percent-encoded, lower-case hex
      "85796be9a442eca809a4e2d335968bb3",  // hex
      "85796BE9A442ECA809A4E2D335968BB3",  // upper-case hex
  };
}

TEST(RedactionGuard, ReplacesEveryEncodingOfASecret) {
  RedactionGuard guard;
  guard.AddSecret(kSecret);
  for (const std::string& form : SecretForms()) {
    const std::string text = "GET /v1/m/x#" + form + " HTTP/1.1";
    const std::string out = guard.Apply(text);
    EXPECT_EQ(out.find(form), std::string::npos) << form;
    EXPECT_NE(out.find("[REDACTED]"), std::string::npos) << form;
  }
}

TEST(RedactionGuard, ReplacesUrlSafeAndPercentFormsOfASecretWithPlusAndSlash) {
  // 0xfb 0xff ... encodes with '+' and '/' in the standard alphabet.
  const Bytes secret = {0xfb, 0xff, 0xfb, 0xff, 0xfb, 0xff, 0xfb, 0xff, 0xfb, 0xff};
  RedactionGuard guard;
  guard.AddSecret(secret);
  const std::string std_b64 = Base64Encode(secret);
  ASSERT_NE(std_b64.find('+'), std::string::npos);
  ASSERT_NE(std_b64.find('/'), std::string::npos);
  std::string percent;
  for (char c : std_b64) {
    percent += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
  }
  std::string json_escaped;
  for (char c : std_b64) json_escaped += c == '/' ? std::string("\\/") : std::string(1, c);
  for (const std::string& form : {std_b64, Base64UrlEncode(secret, true),
                                  Base64UrlEncode(secret, false), percent, json_escaped}) {
    EXPECT_EQ(guard.Apply("x=" + form + ";"), "x=[REDACTED];") << form;
  }
}

TEST(RedactionGuard, RemovesTheLongestMatchWhole) {
  RedactionGuard guard;
  guard.AddSecret(kSecret);
  // Padded form must go whole, not leave "==" behind after the unpadded form.
  EXPECT_EQ(guard.Apply(kSecretB64), "[REDACTED]");
}

TEST(RedactionGuard, RefusesValuesTooShortToBeSecrets) {
  RedactionGuard guard;
  EXPECT_FALSE(guard.Add("abc"));
  EXPECT_TRUE(guard.empty());
  EXPECT_TRUE(guard.Add("canary-7f3a"));
  EXPECT_EQ(guard.Apply("x canary-7f3a y canary-7f3a"), "x [REDACTED] y [REDACTED]");
}

// Plants the Secret in every kind of field a writer renders.
RunResult RunWithPlantedSecrets() {
  RunResult run = testing::SampleRun();
  CaseResult& c = run.cases[1];
  c.title += " " + kSecretB64;
  c.rerun_command += " --secret " + kSecretB64;
  c.error_detail = "hex " + std::string("85796be9a442eca809a4e2d335968bb3");
  Assertion& a = c.assertions[0];
  a.message = "leaked <" + kSecretB64 + ">";  // next to markup that HTML escapes
  a.actual = "hXlr6aRC7KgJpOLTNZaLsw";
  a.evidence.fields.push_back({"url", "https://relay/v1/m/x#hXlr6aRC7KgJpOLTNZaLsw%3D%3D"});
  a.evidence.http[0].request_body = "{\"secret\":\"" + kSecretB64 + "\"}";
  a.evidence.http[0].request_headers.push_back({"X-Leak", "85796BE9A442ECA809A4E2D335968BB3"});
  run.command_line += " --secret=" + kSecretB64;
  return run;
}

TEST(RedactionGuard, NoWriterOutputContainsARegisteredSecret) {
  const RunResult run = RunWithPlantedSecrets();
  RedactionGuard guard;
  guard.AddSecret(kSecret);
  const std::vector<std::pair<std::string, std::string>> outputs = {
      {"json", RenderReportJson(run, nullptr, &guard)},
      {"junit", RenderJunitXml(run, &guard)},
      {"markdown", RenderSummaryMarkdown(run, nullptr, &guard)},
      {"html", RenderHtml(run, nullptr, &guard)},
  };
  for (const auto& [name, text] : outputs) {
    for (const std::string& form : SecretForms()) {
      EXPECT_EQ(text.find(form), std::string::npos) << name << " leaks " << form;
    }
    // Markdown escapes '-' but not base64's alphabet; check the bare core too.
    EXPECT_EQ(text.find("6aRC7KgJpOLT"), std::string::npos) << name;
    EXPECT_NE(text.find("[REDACTED]"), std::string::npos) << name;
  }
}

TEST(RedactionGuard, WithoutTheGuardThePlantedSecretWouldLeak) {
  // The deliberate fault for the test above: no guard, and the Secret shows.
  const RunResult run = RunWithPlantedSecrets();
  EXPECT_NE(RenderReportJson(run, nullptr).find(kSecretB64), std::string::npos);
  EXPECT_NE(RenderHtml(run, nullptr).find(kSecretB64), std::string::npos);
  EXPECT_NE(RenderJunitXml(run).find(kSecretB64), std::string::npos);
}

TEST(RedactionGuard, ApplyToRedactsTheRunFieldByField) {
  RunResult run = RunWithPlantedSecrets();
  RedactionGuard guard;
  guard.AddSecret(kSecret);
  guard.ApplyTo(run);
  const Assertion& a = run.cases[1].assertions[0];
  EXPECT_EQ(a.message, "leaked <[REDACTED]>");
  EXPECT_EQ(a.actual, "[REDACTED]");
  EXPECT_EQ(a.evidence.http[0].request_headers.back().second, "[REDACTED]");
  EXPECT_EQ(run.command_line.find(kSecretB64), std::string::npos);
}

TEST(RedactionGuard, ApplyToCoversSignaturesNotEvaluatedReasonsBasesAndDisabledCases) {
  RunResult run = RunWithPlantedSecrets();
  CaseResult& c = run.cases[1];
  c.failure_signature = "ReadSecureContent refused, 400 bad " + kSecretB64;
  c.not_evaluated = {{"RELAY-31", "create with " + kSecretB64 + " refused"}};
  c.assertions[0].basis.text = "key " + kSecretB64;
  run.disabled = {{"relay/x", "reason " + kSecretB64}};
  RedactionGuard guard;
  guard.AddSecret(kSecret);
  guard.ApplyTo(run);
  EXPECT_EQ(c.failure_signature, "ReadSecureContent refused, 400 bad [REDACTED]");
  EXPECT_EQ(c.not_evaluated[0].reason, "create with [REDACTED] refused");
  EXPECT_EQ(c.assertions[0].basis.text, "key [REDACTED]");
  EXPECT_EQ(run.disabled[0].second, "reason [REDACTED]");
}

}  // namespace
}  // namespace tigress::reports
