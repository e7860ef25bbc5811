// `coverage`: which scenarios and adapter vectors check each requirement.
#include <memory>

#include "harness/cli/app.h"
#include "harness/cli/command.h"
#include "harness/oracles/oracles.h"
#include "harness/scenario/coverage.h"

namespace tigress::harness {

namespace fs = std::filesystem;

namespace {

struct CoverageFlags {
  bool json = false;
  bool strict = false;
  bool verbose = false;
  std::string vectors;
  std::string spec;  // one revision; empty: all side by side
};

}  // namespace

Command AddCoverageCommand(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "coverage",
      "Which scenarios and adapter vectors check each requirement, and why the rest are not "
      "checked (exit 1 when a requirement has neither)");
  auto f = std::make_shared<CoverageFlags>();
  sub->add_flag("--json", f->json, "Print the coverage as JSON");
  sub->add_flag("--strict", f->strict,
                "Also fail on stale not_checked reasons (requirements that are checked)");
  sub->add_flag("-v,--verbose", f->verbose, "List every check, not the first three");
  sub->add_option("--vectors", f->vectors, "Vector directory (default: the catalogue's directory)");
  sub->add_option("--spec", f->spec,
                  "Draft revision whose levels and severities to list (http-00, sct-04; default: "
                  "the catalogue's own, with every revision's counts side by side)");
  return {
      sub, [f](const CommandContext& ctx) -> Result<int> {
        TIGRESS_ASSIGN_OR_RETURN(SourceTree tree, LoadSourceTree(ctx.paths));
        TIGRESS_ASSIGN_OR_RETURN(
            std::vector<VectorRef> refs,
            LoadVectorRefs(f->vectors.empty() ? tree.paths.catalog.parent_path()
                                              : fs::path(f->vectors)));
        const std::vector<std::string> oracle_reqs(kOracleRequirements.begin(),
                                                   kOracleRequirements.end());
        // The catalogue as written (default revision): each revision is
        // turned from it, whatever revision the source tree was loaded for.
        TIGRESS_ASSIGN_OR_RETURN(reports::Catalog base, reports::LoadCatalog(tree.paths.catalog));
        std::vector<std::string> specs;
        if (!f->spec.empty()) specs.push_back(f->spec);
        TIGRESS_ASSIGN_OR_RETURN(reports::Catalog listed,
                                 base.ForRevision(f->spec.empty() ? base.revision() : f->spec));
        CoverageReport rep = ComputeCatalogueCoverage(listed, tree.scenarios, refs, oracle_reqs);
        TIGRESS_RETURN_IF_ERROR(AddRevisionCoverage(rep, base, specs));
        if (f->json) {
          ctx.out << CoverageToJson(rep).dump(2) << "\n";
        } else {
          ctx.out << RenderCoverageText(rep, f->verbose);
        }
        return rep.Problems(f->strict).empty() ? kExitOk : kExitUnexpected;
      }};
}

}  // namespace tigress::harness
