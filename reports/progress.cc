#include "reports/progress.h"

#include <chrono>
#include <unistd.h>

#include "reports/escape.h"
#include "reports/render_util.h"

namespace tigress::reports {
namespace {

double NowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string Counter(std::size_t done, std::size_t total) {
  std::string d = std::to_string(done);
  const std::string t = std::to_string(total);
  if (d.size() < t.size()) d.insert(0, t.size() - d.size(), ' ');
  return "[" + d + "/" + t + "]";
}

// Erase the current terminal line and return to its start.
constexpr std::string_view kClearLine = "\r\x1b[2K";

// The console reason of a non-PASS case. The expected/actual pair of the
// assertion PrimaryReason reports comes first and the description is what
// gets cut, so a long message never hides the value that failed.
std::string ConsoleReason(const CaseResult& c) {
  constexpr std::size_t kReasonChars = 120;
  constexpr std::size_t kValueChars = 48;
  constexpr std::size_t kMinDescription = 32;
  if (c.stale_expectation) return OneLine(internal::PrimaryReason(c), kReasonChars);
  // The same assertion PrimaryReason picks: the first with the case's verdict.
  for (const Assertion& a : c.assertions) {
    if (a.verdict != c.verdict) continue;
    if (a.expected.empty() && a.actual.empty()) break;
    std::string head = a.requirement_id.empty() ? "" : a.requirement_id + ": ";
    head += "expected " + OneLine(a.expected, kValueChars) + ", got " +
            OneLine(a.actual, kValueChars) + "; ";
    const std::size_t room =
        head.size() < kReasonChars - kMinDescription ? kReasonChars - head.size() : kMinDescription;
    return head + OneLine(a.message, room);
  }
  return OneLine(internal::PrimaryReason(c), kReasonChars);
}

}  // namespace

std::string FormatCaseLine(std::size_t done, std::size_t total, const CaseResult& c) {
  std::string verdict(VerdictName(c.verdict));
  if (verdict.size() < 6) verdict.append(6 - verdict.size(), ' ');
  std::string line = Counter(done, total) + " " + verdict + " " + TerminalSafe(c.case_id) + " (" +
                     internal::FormatSeconds(c.duration_s) + ")";
  if (c.stale_expectation) {
    line += "  (stale expectation) known failure did not fail";
  } else if (c.verdict != Verdict::kPass) {
    if (const std::string note = internal::ExpectationNote(c);
        c.expected_failure && !note.empty()) {
      line += "  (" + TerminalSafe(note) + ")";
    }
    line += "  " + TerminalSafe(ConsoleReason(c));
  }
  return line;
}

std::string FormatRootCauses(std::span<const FailureGroup> groups) {
  if (groups.empty()) return {};
  std::size_t failing = 0;
  for (const FailureGroup& g : groups) failing += g.cases.size();
  std::string out = "Root causes (" + std::to_string(failing) + " failing case" +
                    (failing == 1 ? "" : "s") + "):\n";
  for (std::size_t i = 0; i < groups.size() && i < kRootCausesShown; ++i) {
    const FailureGroup& g = groups[i];
    out += "  " + std::to_string(g.cases.size()) + (g.cases.size() == 1 ? " case: " : " cases: ") +
           TerminalSafe(OneLine(g.signature, 160)) + " [" + std::string(VerdictName(g.verdict)) +
           "]\n      e.g.";
    for (std::size_t k = 0; k < g.cases.size() && k < kRootCauseExamples; ++k) {
      out += (k > 0 ? ", " : " ") + TerminalSafe(OneLine(g.cases[k], 120));
    }
    if (g.cases.size() > kRootCauseExamples) {
      out += " (+" + std::to_string(g.cases.size() - kRootCauseExamples) + ")";
    }
    out += "\n";
  }
  if (groups.size() > kRootCausesShown) {
    out += "  ... and " + std::to_string(groups.size() - kRootCausesShown) +
           " more root causes (summary.md, report.html)\n";
  }
  return out;
}

std::string FormatCounterLine(const ProgressCounts& counts, double elapsed_s) {
  std::string line = Counter(counts.done, counts.total);
  if (const std::string tally = counts.summary.ToString(); !tally.empty()) line += " " + tally;
  if (counts.running > 0) line += "  running " + std::to_string(counts.running);
  line += "  " + internal::FormatSeconds(elapsed_s);
  return line;
}

bool IsTerminal(std::FILE* stream) { return stream != nullptr && ::isatty(::fileno(stream)) == 1; }

ProgressPrinter::ProgressPrinter(std::ostream& out, std::size_t total, bool live,
                                 const RedactionGuard* guard)
    : out_(out), live_(live), guard_(guard), start_s_(NowSeconds()) {
  counts_.total = total;
}

void ProgressPrinter::CaseStarted() {
  std::lock_guard lock(mu_);
  ++counts_.running;
  if (live_) DrawLiveLocked();
}

void ProgressPrinter::CaseFinished(const CaseResult& c) {
  std::lock_guard lock(mu_);
  if (counts_.running > 0) --counts_.running;
  ++counts_.done;
  counts_.summary.Add(c);
  std::string line = FormatCaseLine(counts_.done, counts_.total, c);
  if (guard_ != nullptr) line = guard_->Apply(line);
  if (live_) out_ << kClearLine;
  out_ << line << '\n';
  if (live_) DrawLiveLocked();
  out_.flush();
}

void ProgressPrinter::Note(const std::string& text) {
  std::lock_guard lock(mu_);
  std::string line = guard_ != nullptr ? guard_->Apply(text) : text;
  if (live_) out_ << kClearLine;
  out_ << line << '\n';
  if (live_) DrawLiveLocked();
  out_.flush();
}

void ProgressPrinter::Finish() {
  std::lock_guard lock(mu_);
  if (live_) out_ << kClearLine;
  counts_.running = 0;
  out_ << FormatCounterLine(counts_, Elapsed()) << '\n';
  out_.flush();
}

void ProgressPrinter::PrintRootCauses(std::span<const CaseResult> cases) {
  std::string text = FormatRootCauses(GroupFailures(cases));
  if (text.empty()) return;
  if (guard_ != nullptr) text = guard_->Apply(text);
  std::lock_guard lock(mu_);
  out_ << text;
  out_.flush();
}

ProgressCounts ProgressPrinter::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

void ProgressPrinter::DrawLiveLocked() {
  out_ << kClearLine << FormatCounterLine(counts_, Elapsed());
  out_.flush();
}

double ProgressPrinter::Elapsed() const { return NowSeconds() - start_s_; }

}  // namespace tigress::reports
