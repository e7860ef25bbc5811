#include "reports/redaction.h"

#include <algorithm>

namespace tigress::reports {
namespace {

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  std::size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

std::string PercentEncodeBase64(std::string_view b64, bool lower) {
  std::string out;
  for (char c : b64) {
    switch (c) {
      case '+':
        out += lower ? "%2b" : "%2B";
        break;
      case '/':
        out += lower ? "%2f" : "%2F";
        break;
      case '=':
        out += lower ? "%3d" : "%3D";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

}  // namespace

bool RedactionGuard::Add(std::string_view sensitive) {
  if (sensitive.size() < kMinLength) return false;
  std::string value(sensitive);
  if (std::find(values_.begin(), values_.end(), value) != values_.end()) return true;
  values_.push_back(std::move(value));
  std::stable_sort(values_.begin(), values_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return true;
}

void RedactionGuard::AddSecret(ByteView secret) {
  if (secret.empty()) return;
  const std::string std_padded = Base64Encode(secret);
  std::string std_unpadded = std_padded;
  while (!std_unpadded.empty() && std_unpadded.back() == '=') std_unpadded.pop_back();
  for (const std::string& b64 :
       {std_padded, std_unpadded, Base64UrlEncode(secret, true), Base64UrlEncode(secret, false)}) {
    Add(b64);
    Add(PercentEncodeBase64(b64, false));
    Add(PercentEncodeBase64(b64, true));
    Add(ReplaceAll(b64, "/", "\\/"));  // as some JSON serialisers escape '/'
  }
  const std::string hex = HexEncode(secret);
  Add(hex);
  Add(Upper(hex));
  const bool printable = std::all_of(secret.begin(), secret.end(),
                                     [](std::uint8_t b) { return b >= 0x20 && b < 0x7F; });
  if (printable) Add(ToString(secret));
}

std::string RedactionGuard::Apply(std::string_view text) const {
  std::string out(text);
  for (const std::string& v : values_) {
    if (out.find(v) != std::string::npos) out = ReplaceAll(std::move(out), v, kRedacted);
  }
  return out;
}

void RedactionGuard::ApplyTo(RunResult& run) const {
  if (empty()) return;
  auto fix = [this](std::string& s) { s = Apply(s); };
  auto fix_all = [&fix](std::vector<std::string>& list) {
    for (std::string& s : list) fix(s);
  };
  auto fix_pairs = [&fix](std::vector<std::pair<std::string, std::string>>& list) {
    for (auto& [k, v] : list) {
      fix(k);
      fix(v);
    }
  };
  fix(run.run_id);
  fix(run.command_line);
  fix_pairs(run.disabled);
  for (ImplementationInfo& impl : run.implementations) {
    fix(impl.name);
    fix(impl.version);
    fix(impl.manifest_path);
    fix_all(impl.features);
    fix_all(impl.roles);
  }
  for (CaseResult& c : run.cases) {
    for (std::string* s : {&c.case_id, &c.title, &c.scenario_file, &c.area, &c.relay, &c.initiator,
                           &c.recipient, &c.rerun_command, &c.expected_failure_reason, &c.case_dir,
                           &c.error_detail, &c.failure_signature}) {
      fix(*s);
    }
    fix_all(c.requirement_ids);
    fix_all(c.keywords);
    fix_all(c.expected_failure_requirements);
    for (NotEvaluated& n : c.not_evaluated) {
      fix(n.requirement_id);
      fix(n.reason);
    }
    for (Assertion& a : c.assertions) {
      for (std::string* s : {&a.requirement_id, &a.message, &a.expected, &a.actual, &a.basis.kind,
                             &a.basis.source, &a.basis.level, &a.basis.text}) {
        fix(*s);
      }
      fix_all(a.interpretation_refs);
      fix_pairs(a.evidence.fields);
      for (HttpExcerpt& h : a.evidence.http) {
        for (std::string* s : {&h.vantage, &h.request_line, &h.request_body, &h.response_body}) {
          fix(*s);
        }
        fix_pairs(h.request_headers);
        fix_pairs(h.response_headers);
      }
      for (Attachment& at : a.evidence.attachments) {
        fix(at.name);
        fix(at.path);
        fix(at.media_type);
      }
    }
  }
}

}  // namespace tigress::reports
