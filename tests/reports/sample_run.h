// A run with one case of each interesting kind, shared by the writer tests.
#pragma once

#include <string>

#include "protocol/encoding.h"
#include "reports/results.h"

namespace tigress::reports::testing {

// Text an implementation under test might put anywhere.
inline const std::string kHostile = "<script>alert(\"x\")</script>&'\x1b[31m|`]]></testcase>\xff";

// A 16-octet Secret and its standard base64 form, as a Share URL carries it.
inline const Bytes kSecret = {0x85, 0x79, 0x6b, 0xe9, 0xa4, 0x42, 0xec, 0xa8,
                              0x09, 0xa4, 0xe2, 0xd3, 0x35, 0x96, 0x8b, 0xb3};
inline const std::string kSecretB64 = "hXlr6aRC7KgJpOLTNZaLsw==";

inline Assertion MakeAssertion(std::string id, Verdict v, std::string message) {
  Assertion a;
  a.requirement_id = std::move(id);
  a.verdict = v;
  a.message = std::move(message);
  return a;
}

inline RunResult SampleRun(Profile profile = Profile::kStrict) {
  RunResult run;
  run.run_id = "20261128T120000Z-3f2a";
  run.started = "2026-11-28T12:00:00Z";
  run.finished = "2026-11-28T12:00:09Z";
  run.harness_version = "0.1.0";
  run.profile = profile;
  run.seed = 18446744073709551557ull;  // above 2^53: must survive JSON
  run.command_line = "tigress-harness run --relay reference --seed 18446744073709551557";
  run.implementations.push_back({"reference",
                                 "0.1.0",
                                 {"relay", "initiator", "recipient"},
                                 {"push"},
                                 "implementations/reference.yaml"});

  CaseResult pass;
  pass.case_id = "relay/6.1/create-basic";
  pass.title = "Create returns a Share URL";
  pass.scenario_file = "scenarios/relay/create.yaml";
  pass.requirement_ids = {"RELAY-01", "RELAY-03"};
  pass.keywords = {"relay", "create"};
  pass.relay = "reference";
  pass.initiator = "reference";
  pass.duration_s = 0.412;
  pass.seed = 7;
  pass.rerun_command = "tigress-harness run --test relay/6.1/create-basic --seed 7";
  pass.case_dir = "cases/relay_6.1_create-basic";
  pass.assertions.push_back(MakeAssertion("RELAY-01", Verdict::kPass, "200 with urlLink"));
  pass.assertions.push_back(MakeAssertion("RELAY-03", Verdict::kPass, "mailbox id is a UUID"));
  FinalizeCase(pass, profile);
  run.cases.push_back(pass);

  CaseResult fail;
  fail.case_id = "relay/8.1/second-recipient";
  fail.title = "Second recipient is refused " + kHostile;
  fail.requirement_ids = {"RELAY-31"};
  fail.relay = "reference";
  fail.initiator = "reference";
  fail.recipient = "reference";
  fail.duration_s = 1.25;
  fail.rerun_command = "tigress-harness run --test 'relay/8.1/second-recipient' | tee x";
  fail.case_dir = "cases/relay_8.1_second-recipient";
  Assertion a = MakeAssertion("RELAY-31", Verdict::kFail, "second claim was bound " + kHostile);
  a.expected = "401";
  a.actual = "200";
  a.basis = {"draft", "[HTTP] §8.1.1", "SHALL", "A mailbox is bound to exactly one recipient."};
  a.evidence.fields = {{"mailbox", "6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a"}, {"note", kHostile}};
  HttpExcerpt h;
  h.vantage = "recipient->relay";
  h.request_line = "POST /v1/m/6f1c2d9e-0b7a-4c44-9a51-2f3e4d5c6b7a HTTP/1.1";
  h.request_headers = {{"Mailbox-Device-Claim", "c2…(36 chars)"}};
  h.status = 200;
  h.response_headers = {{"Content-Type", "application/json"}};
  h.response_body = "{\"payload\":{\"type\":\"AES-128-GCM\",\"data\":\"…\"}}";
  a.evidence.http.push_back(h);
  a.evidence.attachments.push_back({"HTTP transcript", "transcript.har", "application/json"});
  a.evidence.attachments.push_back({"evil", "javascript:alert(1)", ""});
  fail.assertions.push_back(a);
  FinalizeCase(fail, profile);
  run.cases.push_back(fail);

  CaseResult interp;
  interp.case_id = "relay/6.1/create-without-claim";
  interp.requirement_ids = {"RELAY-07"};
  interp.relay = "reference";
  Assertion ia = MakeAssertion("RELAY-07", Verdict::kFail, "create without claim answered 500");
  ia.interpretation = true;
  ia.interpretation_refs = {"C-11"};
  ia.interpretation_class = InterpretationClass::kRobustness;
  ia.basis = {"interpretation", "C-11 (robustness)", "MUST",
              "a create without a claim is refused with 400 or 401"};
  ia.expected = "400 or 401";
  ia.actual = "500";
  interp.assertions.push_back(ia);
  FinalizeCase(interp, profile);
  run.cases.push_back(interp);

  CaseResult timeout;
  timeout.case_id = "interop/flow/full-share";
  timeout.relay = "reference";
  timeout.initiator = "vendor-a";
  timeout.recipient = "reference";
  timeout.duration_s = 30;
  timeout.error_detail = "recipient adapter did not answer receive within 30 s";
  timeout.stopped_early = true;
  timeout.not_evaluated = {
      {"RELAY-40", "the recipient never read the share (step 'read' timed out)"}};
  timeout.assertions.push_back(MakeAssertion("", Verdict::kTimeout, "adapter timeout"));
  FinalizeCase(timeout, profile);
  run.cases.push_back(timeout);

  CaseResult unsupported;
  unsupported.case_id = "relay/push/token";
  unsupported.requirement_ids = {"RELAY-50"};
  unsupported.relay = "reference";
  unsupported.assertions.push_back(
      MakeAssertion("RELAY-50", Verdict::kUnsupported, "push not declared"));
  FinalizeCase(unsupported, profile);
  run.cases.push_back(unsupported);

  CaseResult known;
  known.case_id = "replay/5.1/duplicate-create";
  known.requirement_ids = {"REPLAY-02"};
  known.relay = "reference";
  known.expected_failure = true;
  known.expected_failure_reason = "issue #12: 201 body missing";
  known.expected_failure_requirements = {"REPLAY-02"};
  known.assertions.push_back(MakeAssertion("REPLAY-02", Verdict::kFail, "got 200 for duplicate"));
  FinalizeCase(known, profile);
  run.cases.push_back(known);

  CaseResult stale;
  stale.case_id = "replay/5.1/duplicate-update";
  stale.requirement_ids = {"REPLAY-03"};
  stale.relay = "reference";
  stale.expected_failure = true;
  stale.expected_failure_reason = "issue #13";
  stale.assertions.push_back(MakeAssertion("REPLAY-03", Verdict::kPass, "201 and unchanged"));
  FinalizeCase(stale, profile);
  run.cases.push_back(stale);
  run.disabled = {{"relay/race/parallel-binding", "needs more than one core"}};
  return run;
}

}  // namespace tigress::reports::testing
