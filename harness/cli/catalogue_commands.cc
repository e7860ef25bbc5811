// `list` and `explain`: read-only views of the scenarios and the catalogue.
#include <algorithm>
#include <iomanip>
#include <memory>

#include "harness/cli/app.h"
#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "harness/run/selection.h"

namespace tigress::harness {

namespace {

std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    out += (out.empty() ? "" : ",") + s;
  }
  return out;
}

void ExplainRequirement(const reports::Requirement& r, const SourceTree& tree, std::ostream& out) {
  const reports::Catalog& cat = tree.catalog;
  out << r.id << " (" << r.level_text << "; a violation is "
      << reports::VerdictName(reports::SeverityVerdict(r.severity)) << ")\n";
  out << "Source: " << r.source << "\n\n"
      << r.statement << "\n\nBlack-box test: " << r.test << "\n";
  if (r.interpretation || !r.related_interpretations.empty()) {
    out << "\nInterpretation:";
    for (const auto& c : r.related_interpretations) {
      out << " " << c;
    }
    out << (r.interpretation ? " (the verdict rests on it: the standard profile reports a "
                               "FAIL by the reading's class, lenient as WARN)"
                             : "")
        << "\n";
    for (const auto& c : r.related_interpretations) {
      if (const auto* i = cat.FindInterpretation(c)) {
        out << "  " << i->id << " [" << reports::InterpretationClassName(i->klass)
            << "]: " << i->interpretation << "\n";
      }
    }
  }
  out << "\nChecked by:\n";
  int n = 0;
  for (const auto& s : tree.scenarios.scenarios) {
    if (std::find(s.requirements.begin(), s.requirements.end(), r.id) != s.requirements.end()) {
      out << "  " << s.id << "  (" << s.file.string() << ")\n";
      ++n;
    }
  }
  if (n == 0) {
    out << "  (no scenario yet)\n";
  }
  if (r.not_checked) {
    out << "\nNot checked (" << r.not_checked->category << "): " << r.not_checked->reason << "\n";
  }
}

void ExplainInterpretation(const reports::Interpretation& i, const reports::Catalog& cat,
                           std::ostream& out) {
  out << i.id << ": " << i.issue << "\n\nHarness interpretation: " << i.interpretation
      << "\n\nRequirements:";
  for (const auto& r : cat.requirements()) {
    if (std::find(r.related_interpretations.begin(), r.related_interpretations.end(), i.id) !=
        r.related_interpretations.end()) {
      out << " " << r.id;
    }
  }
  out << "\n";
}

void ExplainCase(const Scenario& s, const reports::Catalog& cat, std::ostream& out) {
  out << s.id << ": " << s.title << "\n" << s.file.string() << "\n";
  if (!s.description.empty()) {
    out << "\n" << s.description << "\n";
  }
  out << "\nRequirements:\n";
  for (const auto& id : s.requirements) {
    if (const auto* r = cat.Find(id)) {
      out << "  " << id << " (" << r->level << "): " << r->statement << "\n";
    }
  }
}

struct ListFlags {
  std::vector<std::string> filters;
  std::vector<std::string> keywords;
};

}  // namespace

Command AddListCommand(CLI::App& app) {
  auto* sub = app.add_subcommand("list", "List the cases with their requirement IDs");
  auto f = std::make_shared<ListFlags>();
  sub->add_option("--filter", f->filters, "Only ids matching this glob");
  sub->add_option("--keywords", f->keywords,
                  "Only cases with one of these keywords; comma-separated");
  return {sub, [f](const CommandContext& ctx) -> Result<int> {
            TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(ctx.paths));
            RunOptions o;
            o.filters = SplitComma(f->filters);
            o.keywords = SplitComma(f->keywords);
            for (const auto& c : SelectCases(tree.scenarios, o)) {
              const Scenario& s = *c.scenario;
              ctx.out << std::left << std::setw(44) << s.id << " " << std::setw(26)
                      << JoinComma(RoleNames(s.roles)) << " " << JoinComma(s.requirements) << "\n";
              ctx.out << "    " << s.title << "\n";
            }
            return kExitOk;
          }};
}

Command AddExplainCommand(CLI::App& app) {
  auto* sub =
      app.add_subcommand("explain", "Show a requirement (or a case) and the cases that check it");
  auto id = std::make_shared<std::string>();
  sub->add_option("ID", *id, "Requirement ID (RELAY-31), interpretation (C-11) or case id")
      ->required();
  return {sub, [id](const CommandContext& ctx) -> Result<int> {
            TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(ctx.paths));
            if (const auto* r = tree.catalog.Find(*id)) {
              ExplainRequirement(*r, tree, ctx.out);
            } else if (const auto* i = tree.catalog.FindInterpretation(*id)) {
              ExplainInterpretation(*i, tree.catalog, ctx.out);
            } else if (const Scenario* s = tree.scenarios.Find(*id)) {
              ExplainCase(*s, tree.catalog, ctx.out);
            } else {
              return MakeError(
                  Errc::kCommandUsage,
                  "'" + *id + "' is neither a requirement, an interpretation nor a case id");
            }
            return kExitOk;
          }};
}

}  // namespace tigress::harness
