// File: reports/matrix.h
//
// The interop matrix of a run: for every relay, a grid of initiator (rows) x
// recipient (columns) implementations, each cell counting the cases that ran
// with that combination. Derived from `RunResult::cases` (the roles each case
// records), so it is the same whether the run came from `run --matrix`,
// `interop`, or a merge of several runs.
//
//   InteropMatrix m = ComputeMatrix(run);
//   for (const std::string& relay : m.relays)
//     if (const MatrixCell* c = m.Find(relay, "reference", "acme")) ...
//
// Only cases in which both device roles were played (one phone to another)
// are part of it; an empty relay name (a case without a relay) is shown as
// "-". The writers render it as report.json `matrix`, a table per relay in
// summary.md, and a grid per relay in report.html whose cells link to the
// evidence of their cases that did not pass.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/result.h"
#include "reports/results.h"

namespace tigress::reports {

// `MatrixCell` is one relay x initiator x recipient combination.
struct MatrixCell {
  std::string relay;
  std::string initiator;
  std::string recipient;
  int total = 0;        // cases run (UNSUPPORTED ones are not run)
  int passed = 0;       // verdict PASS or INFO
  int unexpected = 0;   // cases for which `Unexpected()` holds
  int unsupported = 0;  // cases not run: an implementation lacks a feature the scenario needs
  Verdict worst = Verdict::kPass;       // worst verdict of the cases run; UNSUPPORTED when none ran
  std::vector<std::size_t> cases;       // indexes into RunResult::cases, run order (all of them)
  std::vector<std::size_t> not_passed;  // cases run whose verdict is neither PASS nor INFO
  // Set when the cell's implementations declare different draft revisions:
  // "revision mismatch (http-00 device, sct-04 relay)". Such a cell is shown
  // as that text, not as its verdict counts.
  std::string mismatch;
};

// `InteropMatrix` is every cell of a run, sorted by relay, initiator, recipient.
struct InteropMatrix {
  std::vector<std::string> relays;  // sorted, unique
  std::vector<std::string> initiators;
  std::vector<std::string> recipients;
  std::vector<MatrixCell> cells;

  bool empty() const { return cells.empty(); }
  // `Find` is the cell of that combination; null when no case ran with it.
  const MatrixCell* Find(std::string_view relay, std::string_view initiator,
                         std::string_view recipient) const;
};

// Shown instead of an empty role name.
inline constexpr std::string_view kNoImplementation = "-";

// `ComputeMatrix` builds the matrix of `run` (see the file comment). A cell
// whose implementations (`run.implementations`, by name) declare different
// specs gets `mismatch`: the device side's spec first ("http-00 device", or
// "http-00 initiator, sct-04 recipient" when they differ), then the relay's.
InteropMatrix ComputeMatrix(const RunResult& run);

// `MatrixJson` is report.json's `matrix` member: {relays, initiators,
// recipients, cells: [{relay, initiator, recipient, total, passed,
// unexpected, verdict, cases, not_passed, mismatch?}]} with case ids for
// cases; `mismatch` only when set.
nlohmann::ordered_json MatrixJson(const InteropMatrix& m, const RunResult& run);

// `CheckMatrixJson` validates the shape of a report.json `matrix` member
// (the reader's check; the matrix itself is recomputed from the cases).
// Errors: kConfigInvalid naming the JSON path.
Result<void> CheckMatrixJson(const nlohmann::ordered_json& matrix);

// `RenderMatrixMarkdown` is one GFM table per relay: rows initiators,
// columns recipients, cells "passed/total VERDICT", or the cell's `mismatch`
// text (the summary's case table names the cases). Empty string for an empty
// matrix.
std::string RenderMatrixMarkdown(const InteropMatrix& m);

// `RenderMatrixHtml` is one <table> per relay; a cell's badge is coloured by
// its worst verdict (a cell with `mismatch` shows that text instead) and
// lists links `case_href(i)` to the cases that did not
// pass, each with a link to its reproduction bundle when the case has one
// (an application/gzip attachment). `case_href` must return an already safe
// href (e.g. "#case-3").
std::string RenderMatrixHtml(const InteropMatrix& m, const RunResult& run,
                             std::string (*case_href)(std::size_t));

}  // namespace tigress::reports
