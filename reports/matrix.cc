// The interop matrix: computed from the cases, rendered for every writer.
#include "reports/matrix.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "reports/escape.h"

namespace tigress::reports {
namespace {

using Json = nlohmann::ordered_json;

std::string Name(const std::string& s) { return s.empty() ? std::string(kNoImplementation) : s; }

bool Passed(Verdict v) { return v == Verdict::kPass || v == Verdict::kInfo; }

std::string VerdictCss(Verdict v) {
  std::string c = "v-";
  for (char ch : VerdictName(v)) c.push_back(static_cast<char>(ch - 'A' + 'a'));
  return c;
}

// The case's reproduction bundle (an application/gzip attachment) as a
// relative href; empty when it has none or the path could leave the run.
std::string BundleHref(const CaseResult& c) {
  for (const Assertion& a : c.assertions) {
    for (const Attachment& at : a.evidence.attachments) {
      if (at.media_type != "application/gzip") continue;
      const std::string full = c.case_dir.empty() ? at.path : c.case_dir + "/" + at.path;
      if (full.empty() || full.front() == '/' || full.front() == '\\') return "";
      return PercentEncodePath(full);
    }
  }
  return "";
}

Error Bad(const std::string& path, const std::string& what) {
  return MakeError(Errc::kConfigInvalid, "report.json: " + path + ": " + what);
}

// The spec an implementation declares; empty when the run does not list it.
std::string SpecOf(const RunResult& run, const std::string& name) {
  for (const ImplementationInfo& i : run.implementations) {
    if (i.name == name) return i.spec;
  }
  return "";
}

// "revision mismatch (http-00 device, sct-04 relay)" when the parties of a
// cell declare different revisions, device side first; "" otherwise or when
// a party is unknown to the run.
std::string Mismatch(const RunResult& run, const MatrixCell& c) {
  const std::string init = SpecOf(run, c.initiator);
  const std::string recip = SpecOf(run, c.recipient);
  const std::string relay = c.relay == kNoImplementation ? "" : SpecOf(run, c.relay);
  if (init.empty() || recip.empty()) return "";
  if (init == recip && (relay.empty() || relay == init)) return "";
  std::string text = "revision mismatch (";
  text += init == recip ? init + " device" : init + " initiator, " + recip + " recipient";
  if (!relay.empty()) text += ", " + relay + " relay";
  return text + ")";
}

}  // namespace

const MatrixCell* InteropMatrix::Find(std::string_view relay, std::string_view initiator,
                                      std::string_view recipient) const {
  for (const MatrixCell& c : cells) {
    if (c.relay == relay && c.initiator == initiator && c.recipient == recipient) return &c;
  }
  return nullptr;
}

InteropMatrix ComputeMatrix(const RunResult& run) {
  std::map<std::tuple<std::string, std::string, std::string>, MatrixCell> cells;
  std::set<std::string> relays;
  std::set<std::string> initiators;
  std::set<std::string> recipients;
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const CaseResult& c = run.cases[i];
    if (c.initiator.empty() || c.recipient.empty()) continue;
    const std::string relay = Name(c.relay);
    MatrixCell& cell = cells[{relay, c.initiator, c.recipient}];
    if (cell.cases.empty()) {
      cell.relay = relay;
      cell.initiator = c.initiator;
      cell.recipient = c.recipient;
    }
    cell.cases.push_back(i);
    if (c.Unexpected()) ++cell.unexpected;
    // A scenario one side cannot take part in says nothing about the pairing.
    if (c.verdict == Verdict::kUnsupported) {
      ++cell.unsupported;
    } else {
      cell.worst = cell.total == 0 ? c.verdict : Worst(cell.worst, c.verdict);
      ++cell.total;
      if (Passed(c.verdict)) {
        ++cell.passed;
      } else {
        cell.not_passed.push_back(i);
      }
    }
    relays.insert(relay);
    initiators.insert(c.initiator);
    recipients.insert(c.recipient);
  }
  InteropMatrix m;
  m.relays.assign(relays.begin(), relays.end());
  m.initiators.assign(initiators.begin(), initiators.end());
  m.recipients.assign(recipients.begin(), recipients.end());
  for (auto& [key, cell] : cells) {
    if (cell.total == 0) cell.worst = Verdict::kUnsupported;
    cell.mismatch = Mismatch(run, cell);
    m.cells.push_back(std::move(cell));
  }
  return m;
}

Json MatrixJson(const InteropMatrix& m, const RunResult& run) {
  Json cells = Json::array();
  for (const MatrixCell& c : m.cells) {
    Json ids = Json::array();
    for (std::size_t i : c.cases) ids.push_back(run.cases[i].case_id);
    Json bad = Json::array();
    for (std::size_t i : c.not_passed) bad.push_back(run.cases[i].case_id);
    cells.push_back(Json{{"relay", c.relay},
                         {"initiator", c.initiator},
                         {"recipient", c.recipient},
                         {"total", c.total},
                         {"passed", c.passed},
                         {"unexpected", c.unexpected},
                         {"unsupported", c.unsupported},
                         {"verdict", VerdictName(c.worst)},
                         {"cases", std::move(ids)},
                         {"not_passed", std::move(bad)}});
    if (!c.mismatch.empty()) cells.back()["mismatch"] = c.mismatch;
  }
  return Json{{"relays", m.relays},
              {"initiators", m.initiators},
              {"recipients", m.recipients},
              {"cells", std::move(cells)}};
}

Result<void> CheckMatrixJson(const Json& matrix) {
  if (!matrix.is_object()) return Bad("matrix", "must be an object");
  for (const char* key : {"relays", "initiators", "recipients"}) {
    auto it = matrix.find(key);
    if (it == matrix.end() || !it->is_array()) {
      return Bad(std::string("matrix.") + key, "must be an array");
    }
    for (const Json& v : *it) {
      if (!v.is_string()) return Bad(std::string("matrix.") + key, "must hold strings only");
    }
  }
  auto cells = matrix.find("cells");
  if (cells == matrix.end() || !cells->is_array()) return Bad("matrix.cells", "must be an array");
  for (std::size_t i = 0; i < cells->size(); ++i) {
    const std::string p = "matrix.cells[" + std::to_string(i) + "]";
    const Json& c = (*cells)[i];
    if (!c.is_object()) return Bad(p, "must be an object");
    for (const char* key : {"relay", "initiator", "recipient", "verdict"}) {
      if (!c.contains(key) || !c[key].is_string()) {
        return Bad(p + "." + key, "required string is missing");
      }
    }
    if (!ParseVerdict(c["verdict"].get<std::string>())) {
      return Bad(p + ".verdict", "unknown verdict");
    }
    for (const char* key : {"total", "passed", "unexpected"}) {
      if (!c.contains(key) || !c[key].is_number_integer() || c[key].get<std::int64_t>() < 0) {
        return Bad(p + "." + key, "must be a non-negative integer");
      }
    }
    if (c.contains("unsupported") &&
        (!c["unsupported"].is_number_integer() || c["unsupported"].get<std::int64_t>() < 0)) {
      return Bad(p + ".unsupported", "must be a non-negative integer");
    }
    if (c.contains("mismatch") && !c["mismatch"].is_string()) {
      return Bad(p + ".mismatch", "must be a string");
    }
    if (c["passed"].get<std::int64_t>() > c["total"].get<std::int64_t>()) {
      return Bad(p + ".passed", "exceeds total");
    }
    for (const char* key : {"cases", "not_passed"}) {
      if (!c.contains(key) || !c[key].is_array()) return Bad(p + "." + key, "must be an array");
      for (const Json& v : c[key]) {
        if (!v.is_string()) return Bad(p + "." + key, "must hold case ids");
      }
    }
  }
  return {};
}

std::string RenderMatrixMarkdown(const InteropMatrix& m) {
  if (m.empty()) return "";
  std::ostringstream out;
  for (const std::string& relay : m.relays) {
    out << "Relay **" << MarkdownInline(relay) << "** (rows: initiator, columns: recipient)\n\n";
    out << "| initiator \\ recipient |";
    for (const std::string& r : m.recipients) out << " " << MarkdownCell(r) << " |";
    out << "\n|---|";
    for (std::size_t k = 0; k < m.recipients.size(); ++k) out << "---|";
    out << "\n";
    for (const std::string& i : m.initiators) {
      out << "| " << MarkdownCell(i) << " |";
      for (const std::string& r : m.recipients) {
        const MatrixCell* c = m.Find(relay, i, r);
        if (c == nullptr) {
          out << " n/a |";
          continue;
        }
        if (!c->mismatch.empty()) {
          out << " " << MarkdownCell(c->mismatch) << " |";
          continue;
        }
        out << " " << c->passed << "/" << c->total << " " << VerdictName(c->worst);
        if (c->unsupported > 0) out << " (" << c->unsupported << " unsupported)";
        out << " |";
      }
      out << "\n";
    }
    out << "\n";
  }
  return out.str();
}

std::string RenderMatrixHtml(const InteropMatrix& m, const RunResult& run,
                             std::string (*case_href)(std::size_t)) {
  std::ostringstream out;
  if (m.empty()) {
    out << "<p class=\"muted\">No case had both an initiator and a recipient.</p>";
    return out.str();
  }
  out << "<p class=\"muted\">One grid per relay: rows are initiators, columns recipients; a "
         "cell is cases passed / cases run, coloured by the worst verdict, with links to the "
         "evidence of every case that did not pass; cases a side lacks the feature for are "
         "counted as unsupported, not run.</p>";
  for (const std::string& relay : m.relays) {
    out << "<h3>Relay " << HtmlEscape(relay) << "</h3>\n<table class=\"matrix\"><thead><tr>"
        << "<th>initiator \\ recipient</th>";
    for (const std::string& r : m.recipients) out << "<th>" << HtmlEscape(r) << "</th>";
    out << "</tr></thead><tbody>";
    for (const std::string& i : m.initiators) {
      out << "<tr><th>" << HtmlEscape(i) << "</th>";
      for (const std::string& r : m.recipients) {
        const MatrixCell* c = m.Find(relay, i, r);
        if (c == nullptr) {
          out << "<td class=\"muted\">n/a</td>";
          continue;
        }
        if (!c->mismatch.empty()) {
          out << "<td class=\"muted\">" << HtmlEscape(c->mismatch) << "</td>";
          continue;
        }
        out << "<td><span class=\"badge " << VerdictCss(c->worst) << "\">" << c->passed << "/"
            << c->total << " " << VerdictName(c->worst) << "</span>";
        if (c->unsupported > 0) {
          out << " <span class=\"muted\">" << c->unsupported << " unsupported</span>";
        }
        for (std::size_t k : c->not_passed) {
          out << "<br><a href=\"" << case_href(k) << "\">" << HtmlEscape(run.cases[k].case_id)
              << "</a> " << VerdictName(run.cases[k].verdict);
          if (const std::string bundle = BundleHref(run.cases[k]); !bundle.empty()) {
            out << " <a href=\"" << HtmlEscape(bundle) << "\">bundle</a>";
          }
        }
        out << "</td>";
      }
      out << "</tr>";
    }
    out << "</tbody></table>\n";
  }
  return out.str();
}

}  // namespace tigress::reports
