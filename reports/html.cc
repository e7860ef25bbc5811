// report.html: one self-contained page. Everything from the run is escaped;
// the only script is an optional filter, the page reads fine without it.
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "reports/escape.h"
#include "reports/matrix.h"
#include "reports/render_util.h"
#include "reports/root_causes.h"
#include "reports/writers.h"

namespace tigress::reports {
namespace {

std::string H(std::string_view s) { return HtmlEscape(s); }

std::string VerdictClass(Verdict v) {
  std::string c = "v-";
  for (char ch : VerdictName(v)) c.push_back(static_cast<char>(ch - 'A' + 'a'));
  return c;
}

std::string CaseHref(std::size_t i) { return "#case-" + std::to_string(i); }

std::string Badge(Verdict v) {
  return "<span class=\"badge " + VerdictClass(v) + "\">" + std::string(VerdictName(v)) + "</span>";
}

// The badge of a requirement no assertion cited: NOT EVALUATED, NOT EXAMINED
// or NOT TESTED.
std::string StatusBadge(CoverageStatus s) {
  std::string name(CoverageStatusName(s));
  for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return "<span class=\"badge v-none\">" + name + "</span>";
}

constexpr std::string_view kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:80rem;padding:1rem 2rem;color:#1b1b1b;line-height:1.4}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #d0d0d0;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right}
.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-size:.85em;font-weight:600;color:#fff;white-space:nowrap}
.v-pass{background:#2e7d32}.v-fail{background:#c62828}.v-warn{background:#ef6c00}.v-info{background:#1565c0}
.v-unsupported{background:#757575}.v-error{background:#6a1b9a}.v-timeout{background:#8d2b0b}.v-none{background:#bdbdbd;color:#222}
.tag{display:inline-block;padding:0 .35rem;border-radius:.25rem;font-size:.8em;border:1px solid #888;margin-left:.25rem;white-space:nowrap}
.interp{border-color:#7b1fa2;color:#7b1fa2}.stale{border-color:#c62828;color:#c62828;font-weight:700}.xfail{border-color:#555;color:#555}
.result-ok{color:#2e7d32}.result-failed{color:#c62828}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
details.case{border:1px solid #d0d0d0;border-radius:.3rem;margin:.4rem 0;padding:.3rem .6rem}
details.case>summary{cursor:pointer}dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.4rem 0}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}.muted{color:#666}nav a{margin-right:1rem}
.basis{font-size:.85em;color:#444;margin-top:.15rem}ul.reqs{margin:.2rem 0;padding-left:1.2rem}
tr.untested td{color:#777}.filters{margin:.5rem 0}
.diagnosis{border:2px solid #ef6c00;background:#fff3e0;border-radius:.3rem;padding:.4rem .8rem;margin:.5rem 0}
.diagnosis ul{margin:.2rem 0}p.spec{margin:.2rem 0;font-weight:600}
)css";

constexpr std::string_view kScript = R"js(
(function(){
  var q=document.getElementById('cov-filter'),u=document.getElementById('cov-tested'),n=document.getElementById('case-nonpass');
  function cov(){var t=(q.value||'').toLowerCase();document.querySelectorAll('#coverage tbody tr').forEach(function(r){
    var ok=r.textContent.toLowerCase().indexOf(t)>=0&&(!u.checked||!r.classList.contains('untested'));r.style.display=ok?'':'none';});}
  function cases(){document.querySelectorAll('details.case').forEach(function(d){
    d.style.display=(n.checked&&d.classList.contains('v-pass'))?'none':'';});}
  document.querySelectorAll('.filters').forEach(function(f){f.hidden=false;});
  q.addEventListener('input',cov);u.addEventListener('change',cov);n.addEventListener('change',cases);
})();
)js";

// Anchors built only from characters that need no escaping anywhere.
std::string RequirementAnchor(const std::string& id, std::size_t index) {
  static const std::regex kSafe("^[A-Za-z0-9-]{1,40}$");
  return std::regex_match(id, kSafe) ? "req-" + id : "req-x" + std::to_string(index);
}

bool SafeInterpId(const std::string& id) {
  static const std::regex kInterp("^C-[0-9]{2}$");
  return std::regex_match(id, kInterp);
}

std::string InterpTags(const std::vector<std::string>& refs, const Catalog* catalog) {
  std::string out =
      "<span class=\"tag interp\" title=\"verdict rests on an interpretation of an "
      "ambiguous draft passage\">interpretation";
  for (const std::string& ref : refs) {
    out += " ";
    if (SafeInterpId(ref) && catalog != nullptr && catalog->FindInterpretation(ref) != nullptr) {
      out += "<a href=\"#interp-";
      out += ref + "\">" + ref + "</a>";
    } else {
      out += H(ref);
    }
  }
  return out + "</span>";
}

// A relative link to an artifact. Percent-encoding keeps it from becoming a
// scheme; a leading '/' or '\\' is refused because "//host/x" would point off
// the machine. ".." stays allowed: merged reports link into sibling runs.
std::string FileLink(const std::string& case_dir, const std::string& path,
                     const std::string& label) {
  const std::string full = case_dir.empty() ? path : case_dir + "/" + path;
  const bool unsafe = full.empty() || full.front() == '/' || full.front() == '\\';
  if (unsafe) return "<code>" + H(label) + "</code>";
  return "<a href=\"" + H(PercentEncodePath(full)) + "\">" + H(label) + "</a>";
}

void Headers(std::ostringstream& out, const std::vector<std::pair<std::string, std::string>>& hs) {
  for (const auto& [k, v] : hs) out << "\n" << H(k) << ": " << H(v);
}

void RenderEvidence(std::ostringstream& out, const Evidence& e, const std::string& case_dir) {
  if (e.empty()) return;
  if (!e.fields.empty()) {
    out << "<dl class=\"meta\">";
    for (const auto& [k, v] : e.fields) out << "<dt>" << H(k) << "</dt><dd>" << H(v) << "</dd>";
    out << "</dl>";
  }
  for (const HttpExcerpt& h : e.http) {
    out << "<div class=\"http\"><span class=\"muted\">HTTP exchange"
        << (h.vantage.empty() ? "" : " (" + H(h.vantage) + ")") << "</span><pre>";
    out << H(h.request_line);
    Headers(out, h.request_headers);
    if (!h.request_body.empty()) out << "\n\n" << H(h.request_body);
    out << "\n\n";
    if (h.status == 0) {
      out << "(no response)";
    } else {
      out << "HTTP " << h.status;
      Headers(out, h.response_headers);
      if (!h.response_body.empty()) out << "\n\n" << H(h.response_body);
    }
    out << "</pre></div>";
  }
  if (!e.attachments.empty()) {
    out << "<ul class=\"attachments\">";
    for (const Attachment& a : e.attachments) {
      out << "<li>" << FileLink(case_dir, a.path, a.path)
          << (a.name.empty() ? "" : " — " + H(a.name))
          << (a.media_type.empty() ? "" : " <span class=\"muted\">" + H(a.media_type) + "</span>")
          << "</li>";
    }
    out << "</ul>";
  }
}

}  // namespace

std::string RenderHtml(const RunResult& unguarded, const Catalog* catalog,
                       const RedactionGuard* guard) {
  const RunResult run = internal::Guarded(unguarded, guard);
  const RunSummary s = run.Summarize();
  const std::vector<CoverageEntry> coverage = ComputeCoverage(run, catalog);
  std::map<std::string, std::string> req_anchor;
  for (std::size_t i = 0; i < coverage.size(); ++i) {
    req_anchor[coverage[i].requirement_id] = RequirementAnchor(coverage[i].requirement_id, i);
  }
  auto req_link = [&](const std::string& id) {
    auto it = req_anchor.find(id);
    if (it == req_anchor.end()) return H(id);
    const Requirement* req = catalog != nullptr ? catalog->Find(id) : nullptr;
    const std::string title =
        req == nullptr ? std::string() : " title=\"" + H(req->level + ": " + req->statement) + "\"";
    return "<a href=\"#" + it->second + "\"" + title + ">" + H(id) + "</a>";
  };
  auto case_link = [&](std::size_t i) {
    return "<a href=\"#case-" + std::to_string(i) + "\">" + H(run.cases[i].case_id) + "</a>";
  };

  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>tigress-harness report " << H(run.run_id) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n";

  // ---- header ----
  const bool ok = run.ExitCode() == 0;
  out << "<header><h1>tigress-harness report</h1>\n";
  // The diagnosis explains the verdicts below it, so it comes first.
  if (!run.diagnosis.empty()) {
    out << "<div class=\"diagnosis\" role=\"alert\"><strong>Diagnosis</strong><ul>";
    for (const std::string& line : run.diagnosis) out << "<li>" << H(line) << "</li>";
    out << "</ul></div>\n";
  }
  out << "<p class=\"spec\">Spec: " << H(internal::SpecLabel(run.spec)) << "</p>\n<p class=\""
      << (ok ? "result-ok" : "result-failed") << "\"><strong>Result: " << (ok ? "OK" : "FAILED")
      << "</strong> — exit code " << run.ExitCode() << ", " << s.unexpected
      << " unexpected result(s)"
      << (run.NothingTested() ? "; nothing was tested: every case is UNSUPPORTED" : "") << "</p>\n";

  // ---- root causes, before anything else ----
  const std::vector<FailureGroup> groups = GroupFailures(run);
  if (!groups.empty()) {
    out << "<section id=\"root-causes\"><h2>Root causes</h2>\n<table><thead><tr><th>Cases</th>"
        << "<th>Verdict</th><th>Root cause</th><th>Examples</th></tr></thead><tbody>";
    for (std::size_t g = 0; g < groups.size() && g < kRootCausesShown; ++g) {
      const FailureGroup& group = groups[g];
      out << "<tr><td class=\"num\">" << group.cases.size() << "</td><td>" << Badge(group.verdict)
          << "</td><td>" << H(group.signature) << "</td><td>";
      for (std::size_t k = 0; k < group.indexes.size() && k < kRootCauseExamples; ++k) {
        out << (k > 0 ? "<br>" : "") << case_link(group.indexes[k]);
      }
      if (group.indexes.size() > kRootCauseExamples) {
        out << " <span class=\"muted\">(+" << group.indexes.size() - kRootCauseExamples
            << ")</span>";
      }
      out << "</td></tr>\n";
    }
    out << "</tbody></table>";
    if (groups.size() > kRootCausesShown) {
      out << "<p class=\"muted\">… and " << groups.size() - kRootCausesShown
          << " more root causes (see Needs attention).</p>";
    }
    out << "</section>\n";
  }

  out << "<dl class=\"meta\">"
      << "<dt>Run</dt><dd>" << H(run.run_id) << "</dd>"
      << "<dt>Started</dt><dd>" << H(run.started) << "</dd>"
      << "<dt>Finished</dt><dd>" << H(run.finished) << "</dd>"
      << "<dt>Profile</dt><dd>" << ProfileName(run.profile) << " <span class=\"muted\">("
      << H(internal::ProfileRule(run.profile)) << ")</span>"
      << "</dd><dt>Seed</dt><dd>" << run.seed << "</dd>"
      << "<dt>Harness</dt><dd>" << H(run.harness_version) << "</dd>"
      << "<dt>Command</dt><dd><code>" << H(run.command_line) << "</code></dd>";
  if (catalog != nullptr) {
    out << "<dt>Catalogue</dt><dd>" << H(catalog->title()) << " (" << catalog->requirements().size()
        << " requirements)</dd>";
  }
  if (!run.disabled.empty()) {
    out << "<dt>Disabled</dt><dd>";
    for (std::size_t k = 0; k < run.disabled.size(); ++k) {
      out << (k > 0 ? "<br>" : "") << H(run.disabled[k].first) << " <span class=\"muted\">— "
          << H(run.disabled[k].second) << "</span>";
    }
    out << "</dd>";
  }
  out << "</dl></header>\n";
  out << "<nav>" << (groups.empty() ? "" : "<a href=\"#root-causes\">Root causes</a>")
      << "<a href=\"#summary\">Summary</a><a href=\"#matrix\">Interop matrix</a>"
      << "<a href=\"#attention\">Needs attention</a><a href=\"#coverage\">Coverage</a>"
      << "<a href=\"#cases\">Cases</a><a href=\"#interpretations\">Interpretations</a>"
      << "<a href=\"#legend\">Legend</a></nav>\n";

  // ---- summary ----
  out << "<section id=\"summary\"><h2>Summary</h2>\n<table><thead><tr><th>Total</th>";
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kInfo,
                    Verdict::kUnsupported, Verdict::kError, Verdict::kTimeout}) {
    out << "<th>" << Badge(v) << "</th>";
  }
  out << "<th>Expected failures</th><th>Stale expectations</th><th>Interpretation findings</th>"
      << "</tr></thead><tbody><tr><td class=\"num\">" << s.total << "</td>";
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kInfo,
                    Verdict::kUnsupported, Verdict::kError, Verdict::kTimeout}) {
    out << "<td class=\"num\">" << s.Count(v) << "</td>";
  }
  out << "<td class=\"num\">" << s.expected_failures << "</td><td class=\"num\">" << s.stale
      << "</td><td class=\"num\">" << s.interpretation << "</td></tr></tbody></table>\n";
  if (!run.implementations.empty()) {
    out << "<table><thead><tr><th>Implementation</th><th>Version</th><th>Roles</th>"
        << "<th>Spec</th><th>Features</th><th>Manifest</th></tr></thead><tbody>";
    for (const ImplementationInfo& i : run.implementations) {
      out << "<tr><td>" << H(i.name) << "</td><td>" << H(i.version) << "</td><td>"
          << H(internal::Join(i.roles, ", ")) << "</td><td>" << H(i.spec) << "</td><td>"
          << H(internal::Join(i.features, ", ")) << "</td><td>" << H(i.manifest_path)
          << "</td></tr>";
    }
    out << "</tbody></table>\n";
  }
  out << "</section>\n";

  // ---- interop matrix: a grid per relay ----
  out << "<section id=\"matrix\"><h2>Interop matrix</h2>\n"
      << RenderMatrixHtml(ComputeMatrix(run), run, &CaseHref) << "</section>\n";

  // ---- needs attention ----
  out << "<section id=\"attention\"><h2>Needs attention</h2>\n";
  std::vector<std::size_t> notable;
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    if (run.cases[i].verdict != Verdict::kPass || run.cases[i].stale_expectation)
      notable.push_back(i);
  }
  if (notable.empty()) {
    out << "<p>Every case passed.</p>";
  } else {
    out << "<table><thead><tr><th>Verdict</th><th>Case</th><th>Requirements</th><th>Reason</th>"
        << "</tr></thead><tbody>";
    for (std::size_t i : notable) {
      const CaseResult& c = run.cases[i];
      out << "<tr><td>" << Badge(c.verdict);
      if (c.stale_expectation) {
        out << "<span class=\"tag stale\">STALE EXPECTATION</span>";
      } else if (internal::IsCoveredFailure(c)) {
        out << "<span class=\"tag xfail\">expected</span>";
      } else if (c.expected_failure && c.Unexpected()) {
        out << "<span class=\"tag stale\">" << H(internal::ExpectationNote(c)) << "</span>";
      }
      out << "</td><td>" << case_link(i) << "</td><td>";
      std::vector<std::string> ids = internal::FailingRequirements(c);
      if (ids.empty()) ids = c.requirement_ids;
      for (std::size_t k = 0; k < ids.size(); ++k) out << (k > 0 ? ", " : "") << req_link(ids[k]);
      out << "</td><td>" << H(internal::PrimaryReason(c)) << "</td></tr>";
    }
    out << "</tbody></table>";
  }
  out << "</section>\n";

  // ---- coverage ----
  out << "<section id=\"coverage\"><h2>Requirement coverage</h2>\n";
  if (catalog != nullptr) {
    // Per severity: catalogue size, checked by this run, explained by the
    // catalogue's not_checked reasons, and the rest.
    out << "<table class=\"tally\"><thead><tr><th>Severity</th><th>In catalogue</th>"
        << "<th>Checked</th><th>Not checked, reason in catalogue</th><th>Not checked, no "
        << "reason</th></tr></thead><tbody>";
    for (const internal::SeverityTally& t : internal::TallyBySeverity(coverage)) {
      out << "<tr><td>" << SeverityName(t.severity) << "</td><td>" << t.total << "</td><td>"
          << t.checked << "</td><td>" << t.explained << "</td><td>" << t.Unexplained()
          << "</td></tr>";
    }
    out << "</tbody></table>\n";
  }
  out << "<div class=\"filters\" hidden><label>Filter: <input id=\"cov-filter\" type=\"search\">"
      << "</label> <label><input id=\"cov-tested\" type=\"checkbox\"> tested only</label></div>\n"
      << "<table><thead><tr><th>Requirement</th><th>Level</th><th>Role</th><th>Statement</th>"
      << "<th>Verdict</th><th>Cases</th></tr></thead><tbody>";
  for (const CoverageEntry& e : coverage) {
    out << "<tr id=\"" << req_anchor[e.requirement_id] << "\""
        << (e.worst ? "" : " class=\"untested\"") << "><td>" << H(e.requirement_id) << "</td><td>";
    if (e.requirement != nullptr) {
      out << H(e.requirement->level) << " <span class=\"muted\">("
          << SeverityName(e.requirement->severity) << ")</span>";
      if (e.requirement->interpretation)
        out << " " << InterpTags(e.requirement->interpretation_refs, catalog);
      out << "</td><td>" << RoleName(e.requirement->role) << "</td><td>"
          << H(e.requirement->statement) << "<br><span class=\"muted\">" << H(e.requirement->source)
          << "</span>";
    } else {
      out << "<span class=\"muted\">not in catalogue</span></td><td></td><td>";
    }
    out << "</td><td>" << (e.worst ? Badge(*e.worst) : StatusBadge(e.status));
    if (e.worst && !e.not_evaluated.empty()) {
      out << " <span class=\"muted\">(not evaluated in " << e.not_evaluated.size()
          << " case(s))</span>";
    }
    out << "</td><td>";
    for (std::size_t k = 0; k < e.cases.size(); ++k)
      out << (k > 0 ? "<br>" : "") << case_link(e.cases[k]);
    for (const auto& [i, reason] : e.not_evaluated) {
      out << "<br><span class=\"muted\">not evaluated in " << H(run.cases[i].case_id) << ": "
          << H(reason) << "</span>";
    }
    if (e.status == CoverageStatus::kNotExamined) {
      out << "<br><span class=\"muted\">not examined: declared, but no assertion cites it</span>";
    }
    if (e.status == CoverageStatus::kNotTested && e.requirement != nullptr) {
      if (e.requirement->not_checked) {
        out << "<span class=\"muted\">not checked (" << H(e.requirement->not_checked->category)
            << "): " << H(e.requirement->not_checked->reason) << "</span>";
      } else {
        out << "<span class=\"muted\">no case of this run checks it</span>";
      }
    }
    out << "</td></tr>\n";
  }
  out << "</tbody></table></section>\n";

  // ---- cases ----
  out << "<section id=\"cases\"><h2>Cases</h2>\n<div class=\"filters\" hidden><label><input "
      << "id=\"case-nonpass\" type=\"checkbox\"> hide passing cases</label></div>\n";
  for (std::size_t i = 0; i < run.cases.size(); ++i) {
    const CaseResult& c = run.cases[i];
    const bool open = c.verdict != Verdict::kPass || c.stale_expectation;
    out << "<details class=\"case " << VerdictClass(c.verdict) << "\" id=\"case-" << i << "\""
        << (open ? " open" : "") << "><summary>" << Badge(c.verdict) << " <strong>" << H(c.case_id)
        << "</strong> " << H(c.title) << " <span class=\"muted\">("
        << internal::FormatSeconds(c.duration_s) << ")</span>";
    if (c.stale_expectation) {
      out << "<span class=\"tag stale\">STALE EXPECTATION: known failure did not fail</span>";
    }
    if (internal::IsCoveredFailure(c)) out << "<span class=\"tag xfail\">expected failure</span>";
    bool interp = false;
    for (const Assertion& a : c.assertions)
      interp =
          interp || (a.interpretation && a.verdict == c.verdict && c.verdict != Verdict::kPass);
    if (interp) out << "<span class=\"tag interp\">interpretation-based verdict</span>";
    out << "</summary>\n<dl class=\"meta\">";
    if (!c.scenario_file.empty()) out << "<dt>Scenario</dt><dd>" << H(c.scenario_file) << "</dd>";
    out << "<dt>Area</dt><dd>" << H(c.Area()) << "</dd>";
    if (const std::string impls = internal::Implementations(c); !impls.empty()) {
      out << "<dt>Implementations</dt><dd>" << H(impls) << "</dd>";
    }
    if (const std::vector<CaseRequirement> reqs = CaseRequirements(c); !reqs.empty()) {
      // A requirement's verdict here is that of the assertions citing it,
      // never the case's.
      out << "<dt>Requirements</dt><dd><ul class=\"reqs\">";
      for (const CaseRequirement& r : reqs) {
        out << "<li>" << req_link(r.requirement_id) << " "
            << (r.worst ? Badge(*r.worst) : StatusBadge(r.status));
        if (r.not_evaluated_too) {
          out << " <span class=\"muted\">not evaluated: " << H(r.not_evaluated) << "</span>";
        } else if (r.status == CoverageStatus::kNotExamined) {
          out << " <span class=\"muted\">declared, no assertion cites it</span>";
        }
        out << "</li>";
      }
      out << "</ul></dd>";
    }
    if (c.stopped_early) {
      out << "<dt>Stopped early</dt><dd>a step later steps depend on failed; "
          << c.not_evaluated.size() << " requirement(s) not evaluated</dd>";
    }
    if (!c.keywords.empty())
      out << "<dt>Keywords</dt><dd>" << H(internal::Join(c.keywords, ", ")) << "</dd>";
    out << "<dt>Seed</dt><dd>" << c.seed << "</dd>";
    if (c.expected_failure) {
      out << "<dt>Expectation</dt><dd>known failure";
      if (!c.expected_failure_requirements.empty()) {
        out << " of " << H(internal::Join(c.expected_failure_requirements, ", "));
      }
      out << ": " << H(c.expected_failure_reason);
      if (c.expected_failure && c.Unexpected() && !c.stale_expectation) {
        out << " <span class=\"tag stale\">" << H(internal::ExpectationNote(c)) << "</span>";
      }
      out << "</dd>";
    }
    if (const std::string cause = FailureSignature(c); !cause.empty()) {
      out << "<dt>Root cause</dt><dd>" << H(cause) << "</dd>";
    }
    if (!c.case_dir.empty()) {
      out << "<dt>Artifacts</dt><dd>" << FileLink(c.case_dir, "", c.case_dir) << "</dd>";
    }
    out << "</dl>\n";
    if (!c.rerun_command.empty())
      out << "<div>Rerun:<pre><code>" << H(c.rerun_command) << "</code></pre></div>";
    if (!c.error_detail.empty())
      out << "<div>Harness detail:<pre>" << H(c.error_detail) << "</pre></div>";
    if (c.assertions.empty()) {
      out << "<p class=\"muted\">No assertion was recorded.</p>";
    } else {
      out << "<table><thead><tr><th>Requirement</th><th>Verdict</th><th>Check</th><th>Expected</th>"
          << "<th>Actual</th></tr></thead><tbody>";
      for (const Assertion& a : c.assertions) {
        out << "<tr><td>"
            << (a.requirement_id.empty() ? "<span class=\"muted\">harness</span>"
                                         : req_link(a.requirement_id))
            << "</td><td>" << Badge(a.verdict);
        if (a.interpretation) out << " " << InterpTags(a.interpretation_refs, catalog);
        if (a.profile_downgrade) {
          out << "<span class=\"tag interp\">" << H(internal::DowngradeNote(a, run.profile))
              << "</span>";
        }
        out << "</td><td>" << H(a.message);
        if (const std::string basis = internal::BasisLine(a.basis); !basis.empty()) {
          out << "<div class=\"basis\">" << H(basis) << "</div>";
        }
        if (!a.evidence.empty()) {
          out << "<details><summary>evidence</summary>";
          RenderEvidence(out, a.evidence, c.case_dir);
          out << "</details>";
        }
        out << "</td><td>" << H(a.expected) << "</td><td>" << H(a.actual) << "</td></tr>\n";
      }
      out << "</tbody></table>";
    }
    out << "</details>\n";
  }
  out << "</section>\n";

  // ---- interpretations referenced ----
  out << "<section id=\"interpretations\"><h2>Interpretations</h2>\n";
  std::set<std::string> used;
  for (const CaseResult& c : run.cases) {
    for (const Assertion& a : c.assertions)
      used.insert(a.interpretation_refs.begin(), a.interpretation_refs.end());
  }
  for (const CoverageEntry& e : coverage) {
    if (e.requirement != nullptr) {
      used.insert(e.requirement->interpretation_refs.begin(),
                  e.requirement->interpretation_refs.end());
    }
  }
  if (catalog == nullptr) {
    out << "<p class=\"muted\">No catalogue was loaded.</p>";
  } else {
    out << "<p class=\"muted\">Where the drafts are ambiguous, the harness tests one reading; "
        << "verdicts that depend on it are labelled <span class=\"tag interp\">interpretation"
        << "</span>; its class decides what a FAIL becomes in the standard profile (interop: "
        << "FAIL, robustness: WARN, hardening: INFO).</p><table><thead><tr><th>ID</th>"
        << "<th>Class</th><th>Issue</th><th>Harness interpretation</th></tr></thead><tbody>";
    for (const Interpretation& i : catalog->interpretations()) {
      if (!used.contains(i.id)) continue;
      out << "<tr" << (SafeInterpId(i.id) ? " id=\"interp-" + i.id + "\"" : std::string())
          << "><td>" << H(i.id) << "</td><td>" << InterpretationClassName(i.klass) << "</td><td>"
          << H(i.issue) << "</td><td>" << H(i.interpretation) << "</td></tr>\n";
    }
    out << "</tbody></table>";
  }
  out << "</section>\n";

  // ---- legend ----
  out << "<section id=\"legend\"><h2>Legend</h2><dl class=\"meta\">"
      << "<dt>" << Badge(Verdict::kPass) << "</dt><dd>the requirement is met</dd>"
      << "<dt>" << Badge(Verdict::kFail) << "</dt><dd>a MUST/SHALL requirement is violated</dd>"
      << "<dt>" << Badge(Verdict::kWarn)
      << "</dt><dd>a SHOULD requirement is violated, or a profile softened an "
      << "interpretation-based FAIL (standard: robustness readings; lenient: every reading)</dd>"
      << "<dt>" << Badge(Verdict::kInfo) << "</dt><dd>recorded, not judged (MAY, informative), or "
      << "a FAIL of a hardening reading outside the strict profile</dd>"
      << "<dt>" << Badge(Verdict::kUnsupported) << "</dt><dd>the implementation declared the "
      << "optional feature absent</dd>"
      << "<dt>" << Badge(Verdict::kError) << "</dt><dd>the harness or an adapter broke (crash, "
      << "garbage, protocol error)</dd>"
      << "<dt>" << Badge(Verdict::kTimeout) << "</dt><dd>a bounded wait ran out</dd>"
      << "<dt><span class=\"tag stale\">STALE EXPECTATION</span></dt><dd>a known failure that no "
      << "longer fails; fails the run until the expectations file is updated</dd>"
      << "<dt>" << StatusBadge(CoverageStatus::kNotEvaluated) << "</dt><dd>a case meant to check "
      << "the requirement but stopped before (a step it depended on failed)</dd>"
      << "<dt>" << StatusBadge(CoverageStatus::kNotExamined) << "</dt><dd>a case declares the "
      << "requirement, but no assertion cites it: no verdict</dd>"
      << "<dt>" << StatusBadge(CoverageStatus::kNotTested) << "</dt><dd>no case of the run "
      << "mentions the requirement</dd>"
      << "</dl></section>\n";

  out << "<footer class=\"muted\"><p>Generated by tigress-harness " << H(run.harness_version)
      << ". Report schema " << kReportSchemaVersion << ".</p></footer>\n";
  out << "<script>" << kScript << "</script>\n</body>\n</html>\n";
  return internal::FinalGuard(out.str(), guard);
}

}  // namespace tigress::reports
