// tigress-kat: runs known-answer vector files against the protocol core.
//
//   tigress-kat                         all vectors/*.json (except requirements)
//   tigress-kat --dir path/to/vectors   another folder
//   tigress-kat FILE... [-v]            given files (ours or Wycheproof AES-GCM)
//
// Exit status: 0 all ran vectors passed, 1 a failure, 2 usage error.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "harness/kat/core_backend.h"
#include "harness/kat/runner.h"

namespace {

int Run(int argc, char** argv) {
  CLI::App app{"Run TIGRESS known-answer vectors against the protocol core"};
  std::vector<std::string> files;
  std::string dir = "vectors";
  bool verbose = false;
  app.add_option("files", files, "Vector files (default: every vector file in --dir)");
  app.add_option("--dir", dir, "Folder searched when no FILES are given")->capture_default_str();
  app.add_flag("-v,--verbose", verbose, "Print details and requirement IDs for every vector");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (files.empty()) files = tigress::kat::DefaultVectorFiles(dir);
  if (files.empty()) {
    std::cerr << "tigress-kat: no vector files in '" << dir << "'\n";
    return 2;
  }
  tigress::kat::CoreBackend core;
  return tigress::kat::RunVectorsCommand(files, std::cout, core, verbose);
}

}  // namespace

int main(int argc, char** argv) {
  // The runner reports through return values; only start-up (CLI11) or
  // allocation failure can throw.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "tigress-kat: " << e.what() << "\n";
    return 2;
  }
}
