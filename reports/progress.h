// File: reports/progress.h
//
// Console progress of a run. One line per finished case,
//
//   [12/40] PASS   relay/6.1/create-basic (0.4s)
//   [13/40] FAIL   relay/8.1/second-recipient (1.2s)  RELAY-31: second claim got 200 (expected 401,
//   got 200)
//
// and, on a terminal, a live counter line below them that is rewritten in
// place ("[13/40] 11 pass 1 fail 1 warn  running 2  12.5s"). On a pipe or file
// only the finished-case lines are written, so CI logs stay clean. The
// end-of-run summary opens with the root causes of the failures
// (reports/root_causes.h):
//
//   ProgressPrinter progress(std::cout, cases.size(), IsTerminal(stdout), &guard);
//   progress.CaseStarted();            // from any worker thread
//   progress.CaseFinished(result);     // from any worker thread
//   progress.Finish();
//   progress.PrintRootCauses(results); // first thing after the counter line
//
// Text from results is made terminal-safe (no escape sequences) and passed
// through the optional `RedactionGuard`.
#pragma once

#include <cstdio>
#include <mutex>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "reports/redaction.h"
#include "reports/results.h"
#include "reports/root_causes.h"

namespace tigress::reports {

// `ProgressCounts` is what the live line shows.
struct ProgressCounts {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t running = 0;
  RunSummary summary;  // verdict counts of the finished cases
};

// `FormatCaseLine` is the line for one finished case (no newline). Non-PASS
// cases get their one-line reason; expected failures are marked
// "(expected)", stale expectations "(stale expectation)", a known failure
// that failed otherwise than expected "(unexpected: ...)".
std::string FormatCaseLine(std::size_t done, std::size_t total, const CaseResult& c);

// `FormatCounterLine` is the live counter line (no newline); zero counts are
// left out: "[13/40] 11 pass 1 fail 1 warn  running 2  12.5s".
std::string FormatCounterLine(const ProgressCounts& counts, double elapsed_s);

// `FormatRootCauses` is the root-cause block of the end-of-run summary: a
// "Root causes (N failing cases):" line, then for each of the first
// `kRootCausesShown` groups "  60 cases: <signature> [FAIL]" and a line of
// up to `kRootCauseExamples` example case ids; "" when no case failed.
// Terminal-safe (no control characters).
std::string FormatRootCauses(std::span<const FailureGroup> groups);

// `IsTerminal` tells whether `stream` is attached to a terminal.
bool IsTerminal(std::FILE* stream);

class ProgressPrinter {
 public:
  // `live` selects the in-place counter line (use `IsTerminal`). `guard` may
  // be null and must outlive the printer.
  ProgressPrinter(std::ostream& out, std::size_t total, bool live,
                  const RedactionGuard* guard = nullptr);

  // `CaseStarted` counts a case as running (live line only).
  void CaseStarted();
  // `CaseFinished` prints the case line and updates the counters.
  void CaseFinished(const CaseResult& c);
  // `Note` prints one line of its own between the case lines (the live line
  // is cleared and redrawn): a diagnosis found while the cases run.
  void Note(const std::string& text);
  // `Finish` clears the live line and prints a final counter line.
  void Finish();
  // `PrintRootCauses` prints `FormatRootCauses(GroupFailures(cases))`
  // through the guard; nothing when no case failed.
  void PrintRootCauses(std::span<const CaseResult> cases);

  ProgressCounts counts() const;

 private:
  void DrawLiveLocked();
  double Elapsed() const;

  std::ostream& out_;
  const bool live_;
  const RedactionGuard* guard_;
  const double start_s_;
  mutable std::mutex mu_;
  ProgressCounts counts_;
};

}  // namespace tigress::reports
