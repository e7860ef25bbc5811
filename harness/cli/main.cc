// tigress-harness: see harness/cli/app.h and docs/harness.md.
#include <iostream>

#include "harness/cli/app.h"
#include "harness/process/supervisor.h"

int main(int argc, char** argv) {
  tigress::harness::InstallInterruptHandler();
  try {
    return tigress::harness::RunCli(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // Only configuration code may throw; anything escaping is a setup error.
    std::cerr << "tigress-harness: " << e.what() << "\n";
    return tigress::harness::kExitUsage;
  }
}
